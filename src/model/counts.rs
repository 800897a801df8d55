//! Counts per license kind (`pool`, `in_effect`, `reserved`, frozen shares): a map
//! over the fixed, small key space of [`Kind`], stored inline.
//!
//! Why not a `BTreeMap`: the snapshot is computed afresh after every event
//! (section 5), and a heap-allocated map per system and field made allocation the
//! largest cost of `apply` (docs/performance.md). This type is `Copy`, yet keeps a
//! map's meaning exactly: a kind is either absent or present with a count, so an
//! implementation's answer that lists a kind with count 0 stays distinguishable
//! from one that leaves it out, and serializes as the same JSON object a
//! `BTreeMap<Kind, u64>` would (kinds in catalogue order).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::types::Kind;

/// A map from [`Kind`] to `u64`. The model keeps it free of zero entries
/// ([`Counts::add`]); one parsed from an implementation may hold any.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Counts {
    /// Bit `k` set: kind `k` (its index in [`Kind::ALL`]) is present.
    present: u32,
    values: [u64; Kind::COUNT],
}

// Every kind has a presence bit.
const _: () = assert!(Kind::COUNT <= 32);

impl Counts {
    /// No entries.
    pub const fn new() -> Counts {
        Counts {
            present: 0,
            values: [0; Kind::COUNT],
        }
    }

    /// The count of `kind`, 0 when absent.
    pub fn get(&self, kind: Kind) -> u64 {
        self.values[kind.index()]
    }

    /// Whether `kind` has an entry (possibly 0).
    pub fn contains(&self, kind: Kind) -> bool {
        self.present & (1 << kind.index()) != 0
    }

    /// Add `n` of `kind`, saturating; adding 0 adds no entry, which keeps the
    /// model's maps free of zero entries (section 9: "nonzero counts only").
    pub fn add(&mut self, kind: Kind, n: u64) {
        if n > 0 {
            let i = kind.index();
            self.present |= 1 << i;
            self.values[i] = self.values[i].saturating_add(n);
        }
    }

    /// Set the entry of `kind` to `n` (even 0), returning the previous count if any.
    pub fn insert(&mut self, kind: Kind, n: u64) -> Option<u64> {
        let old = self.remove(kind);
        let i = kind.index();
        self.present |= 1 << i;
        self.values[i] = n;
        old
    }

    /// Remove the entry of `kind`, returning its count if it had one.
    pub fn remove(&mut self, kind: Kind) -> Option<u64> {
        let had = self.contains(kind);
        let i = kind.index();
        let old = self.values[i];
        self.present &= !(1 << i);
        self.values[i] = 0;
        had.then_some(old)
    }

    /// Remove every entry.
    pub fn clear(&mut self) {
        *self = Counts::new();
    }

    /// No entries at all.
    pub fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.present.count_ones() as usize
    }

    /// The entries in catalogue order (the order of the JSON object).
    pub fn iter(&self) -> impl Iterator<Item = (Kind, u64)> + '_ {
        Kind::ALL
            .iter()
            .filter(|k| self.contains(**k))
            .map(|&k| (k, self.get(k)))
    }

    /// The kinds present, in catalogue order.
    pub fn keys(&self) -> impl Iterator<Item = Kind> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The counts present, in catalogue order.
    pub fn values(&self) -> impl Iterator<Item = u64> + '_ {
        self.iter().map(|(_, n)| n)
    }
}

impl<const N: usize> From<[(Kind, u64); N]> for Counts {
    fn from(entries: [(Kind, u64); N]) -> Counts {
        entries.into_iter().collect()
    }
}

impl FromIterator<(Kind, u64)> for Counts {
    /// Like a map: a later entry for the same kind replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (Kind, u64)>>(iter: I) -> Counts {
        let mut c = Counts::new();
        for (k, n) in iter {
            c.insert(k, n);
        }
        c
    }
}

impl fmt::Debug for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, n) in self.iter() {
            map.serialize_entry(&k, &n)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Counts, D::Error> {
        struct CountsVisitor;
        impl<'de> Visitor<'de> for CountsVisitor {
            type Value = Counts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from license kind to count")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Counts, A::Error> {
                let mut c = Counts::new();
                // A repeated key: the last wins, as in a map (and in serde_json's Value).
                while let Some((k, n)) = map.next_entry::<Kind, u64>()? {
                    c.insert(k, n);
                }
                Ok(c)
            }
        }
        d.deserialize_map(CountsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn behaves_like_a_map() {
        let mut c = Counts::new();
        assert!(c.is_empty());
        c.add(Kind::PowerUser, 0);
        assert!(c.is_empty(), "adding 0 adds no entry");
        c.add(Kind::PowerUser, 3);
        c.add(Kind::PowerUser, u64::MAX);
        assert_eq!(c.get(Kind::PowerUser), u64::MAX, "saturates");
        assert_eq!(c.insert(Kind::OfficeWorker, 0), None);
        assert!(c.contains(Kind::OfficeWorker));
        assert_ne!(c, Counts::from([(Kind::PowerUser, u64::MAX)]));
        assert_eq!(c.len(), 2);
        assert_eq!(
            c.keys().collect::<Vec<_>>(),
            [Kind::OfficeWorker, Kind::PowerUser]
        );
        assert_eq!(c.values().collect::<Vec<_>>(), [0, u64::MAX]);
        assert_eq!(c.remove(Kind::OfficeWorker), Some(0));
        assert_eq!(c.remove(Kind::OfficeWorker), None);
        assert_eq!(c, Counts::from([(Kind::PowerUser, u64::MAX)]));
        c.clear();
        assert_eq!(c, Counts::new());
    }

    #[test]
    fn json_is_that_of_a_btreemap() {
        let c = Counts::from([
            (Kind::VoicemailChannel, 2),
            (Kind::OfficeWorker, 0),
            (Kind::PowerUser, 7),
        ]);
        let m: BTreeMap<Kind, u64> = c.iter().collect();
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            serde_json::to_string(&m).unwrap()
        );
        assert_eq!(format!("{c:?}"), format!("{m:?}"));
        let back: Counts = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let e = serde_json::from_str::<Counts>(r#"{"mobilty": 1}"#).unwrap_err();
        assert!(e.to_string().contains("unknown kind \"mobilty\""), "{e}");
        assert!(serde_json::from_str::<Counts>(r#"{"power_user": -1}"#).is_err());
        let e = serde_json::from_str::<Counts>("[]").unwrap_err();
        assert!(
            e.to_string().contains("a map from license kind to count"),
            "{e}"
        );
    }
}
