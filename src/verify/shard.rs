//! A run's shard, `I/N`: the one place it is parsed, for the command line, the
//! JSON report and `selc report merge` alike.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Shard `index` of `count` (1-based): the cases whose position `p` in their
/// part has `p % count == index - 1`. Always `1 <= index <= count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// The whole run.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Shard `index` of `count`, if `1 <= index <= count`.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// Its index, 1-based.
    pub fn index(self) -> u64 {
        self.index
    }

    /// How many shards the run has.
    pub fn count(self) -> u64 {
        self.count
    }

    /// Whether position `p` of a part belongs to this shard.
    pub fn holds(self, p: u64) -> bool {
        p % self.count == self.index - 1
    }

    /// The ordinal of position `p` among this shard's positions (for a `p` it
    /// holds): positions `index-1`, `index-1+count`, ... are 0, 1, ...
    pub fn ordinal(self, p: u64) -> u64 {
        p / self.count
    }

    /// Whether this is the whole run.
    pub fn is_whole(self) -> bool {
        self.count == 1
    }
}

impl Default for Shard {
    fn default() -> Self {
        Shard::WHOLE
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("bad shard {s:?}: expected I/N, e.g. 2/4"))?;
        let num = |x: &str, what: &str| {
            x.trim()
                .parse::<u64>()
                .map_err(|_| format!("bad shard {what} {x:?} in {s:?}: expected I/N, e.g. 2/4"))
        };
        let (i, n) = (num(i, "index")?, num(n, "count")?);
        Shard::new(i, n).ok_or_else(|| format!("shard {i}/{n}: need 1 <= I <= N"))
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shard, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_print_and_refuse_what_is_not_i_of_n() {
        let s: Shard = "2/4".parse().unwrap();
        assert_eq!((s.index(), s.count(), s.to_string()), (2, 4, "2/4".into()));
        assert!(s.holds(1) && s.holds(5) && !s.holds(2));
        assert_eq!(s.ordinal(5), 1);
        assert!("5/4".parse::<Shard>().unwrap_err().contains("1 <= I <= N"));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().unwrap_err().contains("I/N"));
        assert!("1/x".parse::<Shard>().unwrap_err().contains("count"));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"2/4\"");
        assert_eq!(serde_json::from_str::<Shard>(&json).unwrap(), s);
        assert!(serde_json::from_str::<Shard>("\"3/2\"").is_err());
    }
}
