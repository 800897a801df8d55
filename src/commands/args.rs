//! Parsers of command-line values, with messages that say what was expected.

use std::time::Duration;

use crate::check::Mode;

/// The compliance mode on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeArg {
    /// Every snapshot equals the reference model's.
    Strict,
    /// Any split meeting R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING.
    Rules,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Strict => Mode::Strict,
            ModeArg::Rules => Mode::Rules,
        }
    }
}

/// `20s`, `5m`, `1h` or plain seconds.
pub fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("bad duration {s:?}: expected e.g. 20s, 5m, 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("bad duration {s:?}: the unit is s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

/// `I/N`, 1-based: shard I of N.
pub fn shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s.split_once('/').ok_or("expected I/N, e.g. 2/4")?;
    let num = |x: &str, what: &str| {
        x.trim()
            .parse::<u64>()
            .map_err(|_| format!("bad shard {what} {x:?}"))
    };
    let (i, n) = (num(i, "index")?, num(n, "count")?);
    if n == 0 || i == 0 || i > n {
        return Err(format!("shard {i}/{n}: need 1 <= I <= N"));
    }
    Ok((i, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_shards_parse_or_say_why_not() {
        assert_eq!(duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(duration("90"), Ok(Duration::from_secs(90)));
        assert!(duration("5d").unwrap_err().contains("s, m or h"));
        assert!(duration("soon").is_err());
        assert_eq!(shard("2/4"), Ok((2, 4)));
        assert!(shard("5/4").unwrap_err().contains("1 <= I <= N"));
        assert!(shard("x").is_err());
    }
}
