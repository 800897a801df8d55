//! How checkers and reports write values for people: as JSON (never Rust's
//! `Debug`: no `Some(...)`, no `None`), and times of the model's clock as the
//! HTML pages write them, in days and hours with the seconds.

use serde::Serialize;

/// A value as JSON (`"lapsed"`, `2592000`, `null`, `{"office_worker":3}`).
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("(not writable as JSON: {e})"))
}

/// `93784` seconds as `1 d 02:03:04`.
pub fn clock(seconds: u64) -> String {
    let (d, rest) = (seconds / 86_400, seconds % 86_400);
    format!(
        "{d} d {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A time of the model's clock: `15 d 00:00:00 (1296000 s)`.
pub fn time(seconds: u64) -> String {
    format!("{} ({seconds} s)", clock(seconds))
}

/// A deadline: a [`time`], or `none`.
pub fn deadline(d: Option<u64>) -> String {
    d.map_or_else(|| "none".to_string(), time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_json_and_times_as_clocks() {
        assert_eq!(json(&Some(3u64)), "3");
        assert_eq!(json(&None::<u64>), "null");
        assert_eq!(json(&crate::model::LinkState::Lapsed), "\"lapsed\"");
        assert_eq!(time(93_784), "1 d 02:03:04 (93784 s)");
        assert_eq!(deadline(None), "none");
        assert_eq!(deadline(Some(1_296_000)), "15 d 00:00:00 (1296000 s)");
    }
}
