//! The input-domain catalogue: every property that RULES.md §1–2 and
//! PROTOCOL.md §3 state about the inputs an implementation must accept
//! (identifiers, releases, counts, seconds, sizes, the protocol envelope), each
//! with an ID as the rules have. A verdict says which of them its cases
//! reached ([`DomainCounts`], the "reach" line): an implementation that passes
//! on small, tidy networks only is not said to pass on the rest.
//!
//! [`cells`] tells which properties one case exercises, from the network and
//! events the reference model was given.

pub mod cells;

use serde::{Deserialize, Serialize};

/// What part of the input a property is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// Names, SIDs and keys.
    Identifiers,
    /// `MAJOR.MINOR`.
    Releases,
    /// Counts (u32) and seconds (u64).
    Numbers,
    /// How large networks, configurations and histories are.
    Sizes,
    /// Networks that must be rejected, one clause of RULES.md §1 at a time.
    Networks,
    /// The protocol's own rules (PROTOCOL.md §3).
    Envelope,
}

impl Area {
    /// Every area, in catalogue order.
    pub const ALL: [Area; 6] = [
        Area::Identifiers,
        Area::Releases,
        Area::Numbers,
        Area::Sizes,
        Area::Networks,
        Area::Envelope,
    ];

    /// As the reach line names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Identifiers => "identifiers",
            Area::Releases => "releases",
            Area::Numbers => "numbers",
            Area::Sizes => "sizes",
            Area::Networks => "invalid networks",
            Area::Envelope => "envelope",
        }
    }
}

macro_rules! domain_ids {
    ($($(#[$doc:meta])* $variant:ident = $id:literal,)*) => {
        /// A property of the input domain, by catalogue position.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum DomainId {
            $($(#[$doc])* $variant,)*
        }

        impl DomainId {
            /// Every property, in catalogue order.
            pub const ALL: &'static [DomainId] = &[$(DomainId::$variant,)*];

            /// Its ID, `D-ID-CASE`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(DomainId::$variant => $id,)*
                }
            }
        }
    };
}

domain_ids! {
    /// Identifiers that differ only in case are distinct.
    IdCase = "D-ID-CASE",
    /// Identifiers may hold multi-byte characters.
    IdUnicode = "D-ID-UNICODE",
    /// The same text in NFC and NFD is two identifiers.
    IdNormalization = "D-ID-NFC-NFD",
    /// Whitespace is part of an identifier.
    IdWhitespace = "D-ID-WHITESPACE",
    /// Identifiers may hold what JSON must escape.
    IdEscape = "D-ID-ESCAPE",
    /// An identifier of one character.
    IdShort = "D-ID-SHORT",
    /// An identifier of at least 1 KB.
    IdLong = "D-ID-LONG",
    /// Release parts of three digits.
    RelDigits = "D-REL-DIGITS",
    /// Releases compare as integer pairs.
    RelOrder = "D-REL-ORDER",
    /// Releases spelled with leading zeros.
    RelSpelling = "D-REL-SPELLING",
    /// A count of 0.
    CountZero = "D-COUNT-ZERO",
    /// A count of u32::MAX.
    CountMax = "D-COUNT-MAX",
    /// Counts whose sum exceeds u32.
    CountSum = "D-COUNT-SUM",
    /// The clock saturating at u64::MAX.
    Seconds = "D-SECONDS-SATURATE",
    /// More systems than R9.0 documents.
    Systems32 = "D-SIZE-32",
    /// As many systems as later Server Edition networks hold.
    Systems150 = "D-SIZE-150",
    /// A long configuration.
    Licenses64 = "D-SIZE-LICENSES",
    /// A long history.
    Events200 = "D-SIZE-HISTORY",
    /// Repeated outages of one system.
    Outages = "D-SIZE-OUTAGES",
    /// A duplicate name.
    NetDupName = "D-NET-DUP-NAME",
    /// A duplicate SID, portals included.
    NetDupSid = "D-NET-DUP-SID",
    /// A missing field.
    NetMissing = "D-NET-MISSING",
    /// A field the role does not have.
    NetRoleField = "D-NET-ROLE-FIELD",
    /// A malformed release.
    NetRelease = "D-NET-RELEASE",
    /// An unknown kind.
    NetKind = "D-NET-KIND",
    /// Every line answered.
    EnvLine = "D-ENV-LINE",
    /// Each `bad_request` case.
    EnvBadRequest = "D-ENV-BAD-REQUEST",
    /// `apply` and `snapshot` before any `load`.
    EnvBeforeLoad = "D-ENV-BEFORE-LOAD",
    /// A rejected `load` keeps the previous case.
    EnvRejectedLoad = "D-ENV-REJECTED-LOAD",
    /// `hello` is optional.
    EnvHello = "D-ENV-HELLO",
}

/// A property as the catalogue states it.
#[derive(Clone, Copy, Debug)]
pub struct Property {
    /// Its ID.
    pub id: DomainId,
    /// What part of the input.
    pub area: Area,
    /// Where the spec states it.
    pub source: &'static str,
    /// What must hold.
    pub statement: &'static str,
    /// What a case must hold to exercise it.
    pub hit: &'static str,
}

const RULES_1: &str = "RULES.md §1";
const RULES_2: &str = "RULES.md §2";
const PROTOCOL_3: &str = "PROTOCOL.md §3";

/// The catalogue, in [`DomainId`] order.
pub const PROPERTIES: &[Property] = &[
    Property {
        id: DomainId::IdCase,
        area: Area::Identifiers,
        source: RULES_1,
        statement: "Names and SIDs are case-sensitive (keys too: they are compared as strings): two that differ only in case are distinct.",
        hit: "two names, two SIDs or two keys of one network that are equal ignoring case",
    },
    Property {
        id: DomainId::IdUnicode,
        area: Area::Identifiers,
        source: RULES_1,
        statement: "An identifier is any non-empty JSON string: multi-byte characters are characters like any other.",
        hit: "an identifier holding a character outside ASCII",
    },
    Property {
        id: DomainId::IdNormalization,
        area: Area::Identifiers,
        source: RULES_1,
        statement: "Identifiers are compared as written: the same text in NFC and in NFD is two identifiers.",
        hit: "two identifiers of one class that are equal once both are in NFC, and differ as written",
    },
    Property {
        id: DomainId::IdWhitespace,
        area: Area::Identifiers,
        source: RULES_1,
        statement: "Whitespace inside an identifier and at its ends is part of it; nothing trims it.",
        hit: "an identifier that starts or ends with whitespace",
    },
    Property {
        id: DomainId::IdEscape,
        area: Area::Identifiers,
        source: PROTOCOL_3,
        statement: "Identifiers may hold the characters JSON must escape (quotes, backslash, control characters) and markup; every answer carries them back escaped.",
        hit: "an identifier holding a quote, a backslash or a control character",
    },
    Property {
        id: DomainId::IdShort,
        area: Area::Identifiers,
        source: RULES_1,
        statement: "An identifier is non-empty: one character is enough.",
        hit: "an identifier of one character",
    },
    Property {
        id: DomainId::IdLong,
        area: Area::Identifiers,
        source: RULES_1,
        statement: "An identifier has no length limit.",
        hit: "an identifier of at least 1,024 bytes",
    },
    Property {
        id: DomainId::RelDigits,
        area: Area::Releases,
        source: RULES_1,
        statement: "A release is MAJOR.MINOR with 1-3 ASCII digits each.",
        hit: "a release with a part of three digits",
    },
    Property {
        id: DomainId::RelOrder,
        area: Area::Releases,
        source: RULES_1,
        statement: "Releases compare as the integer pair: 9.10 is after 9.1 (and beyond R-RELEASE's 9.1).",
        hit: "a release whose minor part has two digits or more, beside one of the same major with a one-digit minor",
    },
    Property {
        id: DomainId::RelSpelling,
        area: Area::Releases,
        source: RULES_1,
        statement: "09.01 equals 9.1: leading zeros do not change a release.",
        hit: "a release spelled with a leading zero",
    },
    Property {
        id: DomainId::CountZero,
        area: Area::Numbers,
        source: RULES_2,
        statement: "A count of 0 is allowed and grants nothing.",
        hit: "a license count or a need of 0",
    },
    Property {
        id: DomainId::CountMax,
        area: Area::Numbers,
        source: RULES_1,
        statement: "Counts and needs are u32: 4,294,967,295 is a count.",
        hit: "a license count or a need of u32::MAX",
    },
    Property {
        id: DomainId::CountSum,
        area: Area::Numbers,
        source: "RULES.md §10 (R-TOTAL)",
        statement: "Sums of counts are u64: counts of one kind may add up beyond u32.",
        hit: "counts of one kind in one network adding up beyond u32::MAX",
    },
    Property {
        id: DomainId::Seconds,
        area: Area::Numbers,
        source: RULES_1,
        statement: "Seconds are u64 and the clock saturates at its end.",
        hit: "advances adding up beyond u64::MAX",
    },
    Property {
        id: DomainId::Systems32,
        area: Area::Sizes,
        source: RULES_1,
        statement: "Any number of expansions and portals: more than the 32 devices (2 servers, 30 expansions) R9.0 documents.",
        hit: "a network of more than 32 systems",
    },
    Property {
        id: DomainId::Systems150,
        area: Area::Sizes,
        source: RULES_1,
        statement: "Any number of expansions and portals: the 150 systems of later Server Edition networks, and beyond.",
        hit: "a network of at least 150 systems",
    },
    Property {
        id: DomainId::Licenses64,
        area: Area::Sizes,
        source: RULES_2,
        statement: "A configuration holds any number of licenses.",
        hit: "a configuration of at least 64 licenses",
    },
    Property {
        id: DomainId::Events200,
        area: Area::Sizes,
        source: "RULES.md §8",
        statement: "A history has any number of events.",
        hit: "a case of at least 200 events",
    },
    Property {
        id: DomainId::Outages,
        area: Area::Sizes,
        source: "RULES.md §6",
        statement: "A system may lose and regain its link any number of times.",
        hit: "one system going down at least 5 times in a case",
    },
    Property {
        id: DomainId::NetDupName,
        area: Area::Networks,
        source: RULES_1,
        statement: "A duplicate name makes the network invalid.",
        hit: "a load with two systems of one name",
    },
    Property {
        id: DomainId::NetDupSid,
        area: Area::Networks,
        source: RULES_1,
        statement: "A duplicate SID, a portal's included, makes the network invalid.",
        hit: "a load with two systems of one SID",
    },
    Property {
        id: DomainId::NetMissing,
        area: Area::Networks,
        source: RULES_1,
        statement: "A missing required field (sid, release) makes the network invalid.",
        hit: "a load missing a required field",
    },
    Property {
        id: DomainId::NetRoleField,
        area: Area::Networks,
        source: RULES_1,
        statement: "A field the role does not have makes the network invalid, even at its default value.",
        hit: "a load with a field its role lacks",
    },
    Property {
        id: DomainId::NetRelease,
        area: Area::Networks,
        source: RULES_1,
        statement: "A release that is not MAJOR.MINOR of 1-3 digits makes the network invalid.",
        hit: "a load with a malformed release",
    },
    Property {
        id: DomainId::NetKind,
        area: Area::Networks,
        source: RULES_2,
        statement: "An unknown kind makes the network invalid.",
        hit: "a load with an unknown kind",
    },
    Property {
        id: DomainId::EnvLine,
        area: Area::Envelope,
        source: PROTOCOL_3,
        statement: "Every input line, blank or not, gets exactly one response line.",
        hit: "a blank line or a line that is not JSON",
    },
    Property {
        id: DomainId::EnvBadRequest,
        area: Area::Envelope,
        source: PROTOCOL_3,
        statement: "bad_request answers an unknown op, a missing or extra request field, and a protocol other than 1.",
        hit: "each bad_request case",
    },
    Property {
        id: DomainId::EnvBeforeLoad,
        area: Area::Envelope,
        source: PROTOCOL_3,
        statement: "apply and snapshot before any successful load are bad_request.",
        hit: "apply or snapshot before a load",
    },
    Property {
        id: DomainId::EnvRejectedLoad,
        area: Area::Envelope,
        source: PROTOCOL_3,
        statement: "A rejected load changes nothing: the previous case stays loaded.",
        hit: "snapshot after a rejected load",
    },
    Property {
        id: DomainId::EnvHello,
        area: Area::Envelope,
        source: PROTOCOL_3,
        statement: "hello is optional.",
        hit: "a session without hello",
    },
];

// The catalogue is in enum order, so `id as usize` indexes it.
const _: () = {
    let mut i = 0;
    while i < PROPERTIES.len() {
        assert!(PROPERTIES[i].id as usize == i);
        i += 1;
    }
    assert!(PROPERTIES.len() == DomainId::ALL.len());
    assert!(PROPERTIES.len() <= 64);
};

impl DomainId {
    /// Its entry in the catalogue.
    pub fn property(self) -> &'static Property {
        &PROPERTIES[self as usize]
    }
}

impl std::fmt::Display for DomainId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DomainId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DomainId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DomainId, D::Error> {
        let s = String::deserialize(d)?;
        DomainId::ALL
            .iter()
            .copied()
            .find(|id| id.as_str() == s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown domain property {s:?}")))
    }
}

/// A set of properties, one bit per catalogue position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DomainSet(u64);

impl DomainSet {
    /// Add a property.
    pub fn insert(&mut self, id: DomainId) {
        self.0 |= 1 << id as usize;
    }

    /// Whether it holds the property.
    pub fn contains(self, id: DomainId) -> bool {
        self.0 & (1 << id as usize) != 0
    }

    /// Its properties, in catalogue order.
    pub fn ids(self) -> impl Iterator<Item = DomainId> {
        DomainId::ALL
            .iter()
            .copied()
            .filter(move |&d| self.contains(d))
    }
}

/// Cases that exercised each property, and how large the cases were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainCounts {
    /// Cases per property, by catalogue position.
    pub cases: Vec<u64>,
    /// The most systems of a case.
    pub max_systems: u64,
    /// The most licenses in one configuration of a case.
    pub max_licenses: u64,
    /// The most events of a case.
    pub max_events: u64,
    /// Cases of more than 32 systems.
    pub above_32: u64,
}

impl DomainCounts {
    /// Count one case that exercised `set`, with its sizes.
    pub fn add(&mut self, set: DomainSet, size: &cells::Size) {
        self.cases.resize(DomainId::ALL.len(), 0);
        for id in set.ids() {
            self.cases[id as usize] += 1;
        }
        self.max_systems = self.max_systems.max(size.systems);
        self.max_licenses = self.max_licenses.max(size.licenses);
        self.max_events = self.max_events.max(size.events);
        self.above_32 += u64::from(size.systems > 32);
    }

    /// Add the counts of another part of the run.
    pub fn merge(&mut self, other: &DomainCounts) {
        self.cases.resize(DomainId::ALL.len(), 0);
        for (a, b) in self.cases.iter_mut().zip(&other.cases) {
            *a += b;
        }
        self.max_systems = self.max_systems.max(other.max_systems);
        self.max_licenses = self.max_licenses.max(other.max_licenses);
        self.max_events = self.max_events.max(other.max_events);
        self.above_32 += other.above_32;
    }

    /// Cases that exercised `id`.
    pub fn get(&self, id: DomainId) -> u64 {
        self.cases.get(id as usize).copied().unwrap_or(0)
    }
}

/// The catalogue as Markdown (`docs/domain.md`).
pub fn to_markdown() -> String {
    let mut out = String::from(
        "# The input domain\n\n\
         Generated from `src/domain/mod.rs` by `SELC_BLESS=1 cargo test --test catalogue`; do not edit.\n\n\
         Every property RULES.md and PROTOCOL.md state about the inputs an implementation must \
         accept, with an ID. A verdict's reach line counts, for each area, the properties its cases \
         exercised (`selc verify` counts a case for a property when the network and events it sent \
         hold what the last column says; the envelope probes count their own). A property no case \
         exercised is named in the verdict as never reached.\n",
    );
    for area in Area::ALL {
        out.push_str(&format!("\n## {}\n\n| ID | source | property | a case exercises it with |\n| --- | --- | --- | --- |\n", area.as_str()));
        for p in PROPERTIES.iter().filter(|p| p.area == area) {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                p.id, p.source, p.statement, p.hit
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for id in DomainId::ALL {
            assert!(seen.insert(id.as_str()), "{id} twice");
            assert!(id.as_str().starts_with("D-"));
            let json = serde_json::to_string(id).unwrap();
            assert_eq!(serde_json::from_str::<DomainId>(&json).unwrap(), *id);
        }
        assert!(serde_json::from_str::<DomainId>("\"D-NOPE\"").is_err());
    }

    #[test]
    fn sets_and_counts_add_up() {
        let mut s = DomainSet::default();
        s.insert(DomainId::IdCase);
        s.insert(DomainId::EnvHello);
        assert_eq!(
            s.ids().collect::<Vec<_>>(),
            [DomainId::IdCase, DomainId::EnvHello]
        );
        let mut c = DomainCounts::default();
        let size = cells::Size {
            systems: 40,
            licenses: 3,
            events: 7,
        };
        c.add(s, &size);
        c.merge(&c.clone());
        assert_eq!(c.get(DomainId::IdCase), 2);
        assert_eq!(c.get(DomainId::IdUnicode), 0);
        assert_eq!((c.max_systems, c.above_32), (40, 2));
    }
}
