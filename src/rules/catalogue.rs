//! The rule catalogue: the one place where rule IDs, their origin, the quoted
//! product description and their statements live. `selc rules`, `docs/rules.md`
//! and every report are generated from it. This is the only file under `src/`
//! that spells a rule ID as text (a test in `tests/catalogue.rs` holds that).

use serde::{Deserialize, Serialize};

macro_rules! rule_ids {
    ($($(#[$doc:meta])* $variant:ident = $id:literal,)*) => {
        /// A rule ID. Declared in catalogue order, so `Ord` and `as usize` are the
        /// catalogue order and position; a misspelt ID does not compile.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($(#[$doc])* $variant,)*
        }

        impl RuleId {
            /// Every rule ID, in catalogue order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The ID as written in the rules document (`R-GRACE`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }
    };
}

rule_ids! {
    /// Unsupported kinds are invalid.
    Unsupported = "R-UNSUPPORTED",
    /// A license is valid only for its SID.
    Sid = "R-SID",
    /// Where each kind may be entered.
    Place = "R-PLACE",
    /// Releases 6.0 ..= 9.1 only.
    Release = "R-RELEASE",
    /// A key counts once.
    Duplicate = "R-DUPLICATE",
    /// Licenses need a licensed host.
    Host = "R-HOST",
    /// Server Edition status.
    Se = "R-SE",
    /// The one-X Portal is exempt.
    Portal = "R-PORTAL",
    /// Voice networking follows status.
    Voicenet = "R-VOICENET",
    /// The Primary is served first.
    PrimaryFirst = "R-PRIMARY-FIRST",
    /// Nobody gets more than it needs.
    NoOvergrant = "R-NO-OVERGRANT",
    /// Shares fit in the pool.
    Capacity = "R-CAPACITY",
    /// Nothing is left over while someone is short.
    WorkConserving = "R-WORK-CONSERVING",
    /// The reference's serving order.
    Order = "R-ORDER",
    /// The 15-day grace period.
    Grace = "R-GRACE",
    /// Grace ends at the deadline.
    Expiry = "R-EXPIRY",
    /// A restart while down ends grace.
    Restart = "R-RESTART",
    /// An upgrade is a restart.
    Upgrade = "R-UPGRADE",
    /// Reconnection releases frozen shares.
    Reconnect = "R-RECONNECT",
    /// Voicemail needs a licensed host.
    VmLicense = "R-VM-LICENSE",
    /// Default voicemail channels.
    VmDefault = "R-VM-DEFAULT",
    /// Voicemail on the Secondary when the Primary is away.
    VmFailover = "R-VM-FAILOVER",
    /// Events apply fully or not at all.
    Atomic = "R-ATOMIC",
    /// Totality: no panic, loop or overflow.
    Total = "R-TOTAL",
}

impl RuleId {
    /// The catalogue entry of this rule.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// The catalogue position.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Parse an ID as written (`R-GRACE`); `None` for an ID not in the catalogue.
    pub fn parse(text: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == text)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RuleId::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown rule ID {text:?} (see `selc rules` for the catalogue)"
            ))
        })
    }
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Straight from the product description (material code 302260).
    Seed,
    /// The description is silent: the reference model does exactly this, and a
    /// third-party implementation checked in `rules` mode may choose otherwise
    /// within the stated bounds.
    ReferenceChoice,
    /// Follows from how the model is specified rather than from the product text.
    Model,
}

/// One rule of the catalogue.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rule {
    /// The stable ID cited by code, tests and reports (`R-GRACE`).
    pub id: RuleId,
    /// The section of the rules it belongs to.
    pub section: &'static str,
    /// Where it comes from.
    pub source: Source,
    /// The sentence of the product description it rests on, if any.
    pub quote: Option<&'static str>,
    /// The rule in one line.
    pub statement: &'static str,
}

const VALIDITY: &str = "3. Which licenses are valid";
const STATUS: &str = "4. Server Edition status";
const ALLOCATION: &str = "5. Centralized allocation";
const GRACE: &str = "6. Losing the link to the Primary";
const VOICEMAIL: &str = "7. Voicemail Pro";
const EVENTS: &str = "8. Events";
const TOTALITY: &str = "10. Totality";

const Q_GRACE: &str = "When another system loses its connection to the Primary Server - any license requirements based on those licenses entered in the Primary Server's configuration are supported for a grace period of 15 days provided the system is not restarted.";
const Q_VM_DEFAULT: &str = "Enables support for the Voicemail Pro Application on the Primary Server and Secondary Servers, with default support for 2 Voicemail Channels";
const Q_VM_LOCAL: &str = "When Voicemail Pro is deployed on the Secondary Server, additional Voicemail channels must be installed locally on the Secondary Server for the service to work when the Primary Server is offline or unreachable.";

/// Every rule, in the order of the rules document.
pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::Unsupported,
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Unsupported Licenses Include: Essential and Preferred Edition, IP500 Voice Networking, Teleworker, Mobile Worker Licenses, Embedded Messaging Ports, CCR Agent and Supervisor, Voicemail Pro Networked Messaging, Database Interface, Visual Basic Script, CCC, VCM Channels and Mobility"),
        statement: "A license of an unsupported kind is invalid (reason unsupported_kind).",
    },
    Rule {
        id: RuleId::Sid,
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Centralized licenses are entered into the configuration of the Primary Server and are based on the System Identification of that server; Other server specific licenses are entered into the configuration of the server requiring the feature and are based on the system identification of that system"),
        statement: "A license is valid only in the configuration of the system whose SID it was issued for (reason wrong_sid).",
    },
    Rule {
        id: RuleId::Place,
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Centralized licenses are entered into the configuration of the Primary Server"),
        statement: "Centralized kinds are valid only on the Primary, voicemail_channel also on the Secondary, server_edition anywhere (reason misplaced).",
    },
    Rule {
        id: RuleId::Release,
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Compatible with IP Office R6.0 - R9.1 systems; Will NOT work on R10.0 or higher"),
        statement: "A license is valid only on a system whose release is within 6.0 ..= 9.1 (reason incompatible_release).",
    },
    Rule {
        id: RuleId::Duplicate,
        section: VALIDITY,
        source: Source::ReferenceChoice,
        quote: None,
        statement: "A key counts once: a license is invalid if an earlier one in network order with the same key passed the checks above it, first wins (reason duplicate_key).",
    },
    Rule {
        id: RuleId::Host,
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("One Server Edition License is required for the Primary Server, the Secondary Server and for each expansion system"),
        statement: "A license other than server_edition is valid only on a licensed system (reason host_unlicensed).",
    },
    Rule {
        id: RuleId::Se,
        section: STATUS,
        source: Source::Seed,
        quote: Some("One Server Edition License is required for the Primary Server, the Secondary Server and for each expansion system"),
        statement: "A primary, secondary or expansion is licensed iff its release is within 6.0 ..= 9.1 and its own configuration holds a valid server_edition license with count >= 1.",
    },
    Rule {
        id: RuleId::Portal,
        section: STATUS,
        source: Source::Seed,
        quote: Some("An external One-X Portal Server does not require a Server Edition License"),
        statement: "A one-X Portal is exempt: never licensed or unlicensed, never allocated anything.",
    },
    Rule {
        id: RuleId::Voicenet,
        section: STATUS,
        source: Source::Seed,
        quote: Some("The license enables voice networking between systems in the Server Edition Network"),
        statement: "A system has voice networking iff it is licensed.",
    },
    Rule {
        id: RuleId::PrimaryFirst,
        section: ALLOCATION,
        source: Source::Seed,
        quote: Some("the Primary Server only allocates those licenses to other systems after it has met its own license needs"),
        statement: "The Primary gets min(its need, pool - held) of each centralized kind before any other system.",
    },
    Rule {
        id: RuleId::NoOvergrant,
        section: ALLOCATION,
        source: Source::Model,
        quote: None,
        statement: "No system is given more of a kind than it needs.",
    },
    Rule {
        id: RuleId::Capacity,
        section: ALLOCATION,
        source: Source::Model,
        quote: None,
        statement: "The Primary's share plus all connected shares of a kind never exceed pool - held.",
    },
    Rule {
        id: RuleId::WorkConserving,
        section: ALLOCATION,
        source: Source::Model,
        quote: None,
        statement: "If a licensed, connected system gets less than it needs, nothing of pool - held is left over.",
    },
    Rule {
        id: RuleId::Order,
        section: ALLOCATION,
        source: Source::ReferenceChoice,
        quote: None,
        statement: "After the Primary, the Secondary is served first, then expansions in network order, each taking min(need, what is left); rules mode accepts any split meeting R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING.",
    },
    Rule {
        id: RuleId::Grace,
        section: GRACE,
        source: Source::Seed,
        quote: Some(Q_GRACE),
        statement: "When a connected system's link goes down at t, its shares are frozen and its deadline is t + 15 days (saturating); while down, before the deadline and not restarted it is in grace and, if licensed, keeps the frozen shares in effect.",
    },
    Rule {
        id: RuleId::Expiry,
        section: GRACE,
        source: Source::Seed,
        quote: Some(Q_GRACE),
        statement: "When now >= deadline, the system has nothing in effect and nothing reserved; its link state is lapsed.",
    },
    Rule {
        id: RuleId::Restart,
        section: GRACE,
        source: Source::Seed,
        quote: Some(Q_GRACE),
        statement: "A restart while the link is down ends grace at once (nothing in effect, lapsed); reserved stays frozen until the deadline or reconnection (reference choice). A restart while connected, or of the Primary, changes nothing.",
    },
    Rule {
        id: RuleId::Upgrade,
        section: GRACE,
        source: Source::Model,
        quote: None,
        statement: "The upgrade event sets a system's release and always restarts it (as R-RESTART), even to the same release.",
    },
    Rule {
        id: RuleId::Reconnect,
        section: GRACE,
        source: Source::Model,
        quote: None,
        statement: "When the link comes up, the frozen shares are released, the deadline cleared, and the system takes part in allocation again.",
    },
    Rule {
        id: RuleId::VmLicense,
        section: VOICEMAIL,
        source: Source::Seed,
        quote: Some(Q_VM_DEFAULT),
        statement: "Voicemail Pro on an unlicensed primary or secondary is not running and has 0 channels.",
    },
    Rule {
        id: RuleId::VmDefault,
        section: VOICEMAIL,
        source: Source::Seed,
        quote: Some(Q_VM_DEFAULT),
        statement: "On the licensed Primary: running with 2 + in_effect[voicemail_channel] channels; on the licensed, connected Secondary: 2 + in_effect[voicemail_channel] + its local voicemail_channel licenses.",
    },
    Rule {
        id: RuleId::VmFailover,
        section: VOICEMAIL,
        source: Source::ReferenceChoice,
        quote: Some(Q_VM_LOCAL),
        statement: "On the licensed Secondary with its link down (grace or lapsed): running iff it has local channels, with exactly those; default and centralized channels do not serve.",
    },
    Rule {
        id: RuleId::Atomic,
        section: EVENTS,
        source: Source::Model,
        quote: None,
        statement: "An event either applies fully or is rejected with invalid_event, and a rejected event changes nothing.",
    },
    Rule {
        id: RuleId::Total,
        section: TOTALITY,
        source: Source::Model,
        quote: None,
        statement: "The model never panics, loops or overflows on any input: every malformed network or event is an error value with a clear message.",
    },
];

// The table is in enum order, so `RuleId as usize` indexes it; checked at build time.
const _: () = {
    assert!(RULES.len() == RuleId::ALL.len());
    let mut i = 0;
    while i < RULES.len() {
        assert!(RULES[i].id as usize == i);
        assert!(RuleId::ALL[i] as usize == i);
        i += 1;
    }
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_well_formed_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(r.id.as_str().starts_with("R-"), "{}", r.id);
            assert!(seen.insert(r.id.as_str()), "duplicate {}", r.id);
            assert_eq!(RuleId::parse(r.id.as_str()), Some(r.id));
            assert_eq!(r.id.rule().id, r.id);
        }
        assert_eq!(RULES.len(), 24);
        assert_eq!(RuleId::parse("R-NOPE"), None);
        let json = serde_json::to_string(&RuleId::Grace).unwrap();
        assert_eq!(json, format!("\"{}\"", RuleId::Grace));
        let err = serde_json::from_str::<RuleId>("\"R-GRCAE\"").unwrap_err();
        assert!(err.to_string().contains("unknown rule ID"), "{err}");
    }
}
