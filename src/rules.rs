//! The rule catalogue: the one place where rule IDs, their origin, the quoted
//! product description and their statements live. `selc rules`, `docs/rules.md`
//! and every report are generated from it.

use std::fmt::Write as _;

use serde::Serialize;

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
    pub id: &'static str,
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
        id: "R-UNSUPPORTED",
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Unsupported Licenses Include: Essential and Preferred Edition, IP500 Voice Networking, Teleworker, Mobile Worker Licenses, Embedded Messaging Ports, CCR Agent and Supervisor, Voicemail Pro Networked Messaging, Database Interface, Visual Basic Script, CCC, VCM Channels and Mobility"),
        statement: "A license of an unsupported kind is invalid (reason unsupported_kind).",
    },
    Rule {
        id: "R-SID",
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Centralized licenses are entered into the configuration of the Primary Server and are based on the System Identification of that server; Other server specific licenses are entered into the configuration of the server requiring the feature and are based on the system identification of that system"),
        statement: "A license is valid only in the configuration of the system whose SID it was issued for (reason wrong_sid).",
    },
    Rule {
        id: "R-PLACE",
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Centralized licenses are entered into the configuration of the Primary Server"),
        statement: "Centralized kinds are valid only on the Primary, voicemail_channel also on the Secondary, server_edition anywhere (reason misplaced).",
    },
    Rule {
        id: "R-RELEASE",
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("Compatible with IP Office R6.0 - R9.1 systems; Will NOT work on R10.0 or higher"),
        statement: "A license is valid only on a system whose release is within 6.0 ..= 9.1 (reason incompatible_release).",
    },
    Rule {
        id: "R-DUPLICATE",
        section: VALIDITY,
        source: Source::ReferenceChoice,
        quote: None,
        statement: "A key counts once: a license is invalid if an earlier one in network order with the same key passed the checks above it, first wins (reason duplicate_key).",
    },
    Rule {
        id: "R-HOST",
        section: VALIDITY,
        source: Source::Seed,
        quote: Some("One Server Edition License is required for the Primary Server, the Secondary Server and for each expansion system"),
        statement: "A license other than server_edition is valid only on a licensed system (reason host_unlicensed).",
    },
    Rule {
        id: "R-SE",
        section: STATUS,
        source: Source::Seed,
        quote: Some("One Server Edition License is required for the Primary Server, the Secondary Server and for each expansion system"),
        statement: "A primary, secondary or expansion is licensed iff its release is within 6.0 ..= 9.1 and its own configuration holds a valid server_edition license with count >= 1.",
    },
    Rule {
        id: "R-PORTAL",
        section: STATUS,
        source: Source::Seed,
        quote: Some("An external One-X Portal Server does not require a Server Edition License"),
        statement: "A one-X Portal is exempt: never licensed or unlicensed, never allocated anything.",
    },
    Rule {
        id: "R-VOICENET",
        section: STATUS,
        source: Source::Seed,
        quote: Some("The license enables voice networking between systems in the Server Edition Network"),
        statement: "A system has voice networking iff it is licensed.",
    },
    Rule {
        id: "R-PRIMARY-FIRST",
        section: ALLOCATION,
        source: Source::Seed,
        quote: Some("the Primary Server only allocates those licenses to other systems after it has met its own license needs"),
        statement: "The Primary gets min(its need, pool - held) of each centralized kind before any other system.",
    },
    Rule {
        id: "R-NO-OVERGRANT",
        section: ALLOCATION,
        source: Source::Model,
        quote: None,
        statement: "No system is given more of a kind than it needs.",
    },
    Rule {
        id: "R-CAPACITY",
        section: ALLOCATION,
        source: Source::Model,
        quote: None,
        statement: "The Primary's share plus all connected shares of a kind never exceed pool - held.",
    },
    Rule {
        id: "R-WORK-CONSERVING",
        section: ALLOCATION,
        source: Source::Model,
        quote: None,
        statement: "If a licensed, connected system gets less than it needs, nothing of pool - held is left over.",
    },
    Rule {
        id: "R-ORDER",
        section: ALLOCATION,
        source: Source::ReferenceChoice,
        quote: None,
        statement: "After the Primary, the Secondary is served first, then expansions in network order, each taking min(need, what is left); rules mode accepts any split meeting R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING.",
    },
    Rule {
        id: "R-GRACE",
        section: GRACE,
        source: Source::Seed,
        quote: Some(Q_GRACE),
        statement: "When a connected system's link goes down at t, its shares are frozen and its deadline is t + 15 days (saturating); while down, before the deadline and not restarted it is in grace and, if licensed, keeps the frozen shares in effect.",
    },
    Rule {
        id: "R-EXPIRY",
        section: GRACE,
        source: Source::Seed,
        quote: Some(Q_GRACE),
        statement: "When now >= deadline, the system has nothing in effect and nothing reserved; its link state is lapsed.",
    },
    Rule {
        id: "R-RESTART",
        section: GRACE,
        source: Source::Seed,
        quote: Some(Q_GRACE),
        statement: "A restart while the link is down ends grace at once (nothing in effect, lapsed); reserved stays frozen until the deadline or reconnection (reference choice). A restart while connected, or of the Primary, changes nothing.",
    },
    Rule {
        id: "R-UPGRADE",
        section: GRACE,
        source: Source::Model,
        quote: None,
        statement: "The upgrade event sets a system's release and always restarts it (as R-RESTART), even to the same release.",
    },
    Rule {
        id: "R-RECONNECT",
        section: GRACE,
        source: Source::Model,
        quote: None,
        statement: "When the link comes up, the frozen shares are released, the deadline cleared, and the system takes part in allocation again.",
    },
    Rule {
        id: "R-VM-LICENSE",
        section: VOICEMAIL,
        source: Source::Seed,
        quote: Some(Q_VM_DEFAULT),
        statement: "Voicemail Pro on an unlicensed primary or secondary is not running and has 0 channels.",
    },
    Rule {
        id: "R-VM-DEFAULT",
        section: VOICEMAIL,
        source: Source::Seed,
        quote: Some(Q_VM_DEFAULT),
        statement: "On the licensed Primary: running with 2 + in_effect[voicemail_channel] channels; on the licensed, connected Secondary: 2 + in_effect[voicemail_channel] + its local voicemail_channel licenses.",
    },
    Rule {
        id: "R-VM-FAILOVER",
        section: VOICEMAIL,
        source: Source::ReferenceChoice,
        quote: Some(Q_VM_LOCAL),
        statement: "On the licensed Secondary with its link down (grace or lapsed): running iff it has local channels, with exactly those; default and centralized channels do not serve.",
    },
    Rule {
        id: "R-ATOMIC",
        section: EVENTS,
        source: Source::Model,
        quote: None,
        statement: "An event either applies fully or is rejected with invalid_event, and a rejected event changes nothing.",
    },
    Rule {
        id: "R-TOTAL",
        section: TOTALITY,
        source: Source::Model,
        quote: None,
        statement: "The model never panics, loops or overflows on any input: every malformed network or event is an error value with a clear message.",
    },
];

/// Look up a rule by ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The position of rule `id` in [`RULES`]. Used in `const` context (see
/// [`rule_index!`](crate::rule_index)), an unknown ID fails the build.
pub const fn index_of(id: &str) -> usize {
    let mut i = 0;
    while i < RULES.len() {
        if RULES[i].id.len() == id.len() {
            let (a, b) = (RULES[i].id.as_bytes(), id.as_bytes());
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("unknown rule ID")
}

/// The catalogue position of a rule ID, computed at compile time.
#[macro_export]
macro_rules! rule_index {
    ($id:literal) => {
        const { $crate::rules::index_of($id) }
    };
}

// One bit per rule in a `RuleSet`.
const _: () = assert!(RULES.len() <= 64);

/// A set of rules, one bit per catalogue position: what a step exercises is
/// computed for every step of every case, so it is kept allocation-free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleSet(u64);

impl RuleSet {
    /// No rules.
    pub const fn new() -> RuleSet {
        RuleSet(0)
    }

    /// Add the rule at catalogue position `index` (see [`rule_index!`](crate::rule_index)).
    pub fn insert(&mut self, index: usize) {
        self.0 |= 1 << index;
    }

    /// Whether the rule `id` is in the set.
    pub fn contains(&self, id: &str) -> bool {
        self.indices().any(|i| RULES[i].id == id)
    }

    /// The catalogue positions in the set, in catalogue order.
    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..RULES.len()).filter(move |&i| self.0 & (1 << i) != 0)
    }

    /// The rule IDs in the set, in catalogue order.
    pub fn ids(self) -> impl Iterator<Item = &'static str> {
        self.indices().map(|i| RULES[i].id)
    }
}

/// How many times each rule was counted, by catalogue position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCounts(pub [u64; RULES.len()]);

impl Default for RuleCounts {
    fn default() -> RuleCounts {
        RuleCounts([0; RULES.len()])
    }
}

impl RuleCounts {
    /// Count every rule of `set` once.
    pub fn add(&mut self, set: RuleSet) {
        for i in set.indices() {
            self.0[i] += 1;
        }
    }

    /// The count of rule `id` (0 for an unknown ID).
    pub fn get(&self, id: &str) -> u64 {
        RULES
            .iter()
            .position(|r| r.id == id)
            .map_or(0, |i| self.0[i])
    }
}

/// The rule behind each diagnostic reason (section 3).
pub fn rule_for_reason(reason: crate::model::Reason) -> &'static str {
    use crate::model::Reason::*;
    match reason {
        UnsupportedKind => "R-UNSUPPORTED",
        WrongSid => "R-SID",
        Misplaced => "R-PLACE",
        IncompatibleRelease => "R-RELEASE",
        DuplicateKey => "R-DUPLICATE",
        HostUnlicensed => "R-HOST",
    }
}

/// What is known about where a snapshot field differs, to narrow the rules.
#[derive(Clone, Copy, Debug, Default)]
pub struct FieldContext<'a> {
    /// The field belongs to the Primary.
    pub primary: bool,
    /// The system's link is down (grace or lapsed) on either side.
    pub down: bool,
    /// The name of the event of this step (`None` for the load).
    pub event: Option<&'a str>,
}

/// The section 6 rule an event exercises, if any.
fn grace_rule_of_event(event: &str) -> Option<&'static [&'static str]> {
    Some(match event {
        "link_down" => &["R-GRACE"],
        "link_up" => &["R-RECONNECT"],
        "restart" => &["R-RESTART"],
        "upgrade" => &["R-UPGRADE", "R-RESTART"],
        "advance" => &["R-EXPIRY"],
        _ => return None,
    })
}

/// The rules the pool follows from: section 3 (which licenses count) and R-SE
/// (an unlicensed Primary distributes nothing).
const POOL_RULES: &[&str] = &[
    "R-UNSUPPORTED",
    "R-SID",
    "R-PLACE",
    "R-RELEASE",
    "R-DUPLICATE",
    "R-HOST",
    "R-SE",
];

/// The rules of section 3, in check order: each gives one diagnostic reason.
pub const VALIDITY_RULES: &[&str] = POOL_RULES.split_at(6).0;

/// The rules that govern a snapshot field, for explaining a difference. `field` is
/// the first named field of a JSON path below the system (`in_effect`, `link`, ...),
/// or a top-level field (`pool`, `diagnostics`, `now`).
pub fn rules_for_field(field: &str, ctx: FieldContext<'_>) -> &'static [&'static str] {
    const GRACE_RULES: &[&str] = &[
        "R-GRACE",
        "R-EXPIRY",
        "R-RESTART",
        "R-UPGRADE",
        "R-RECONNECT",
    ];
    match field {
        "pool" => POOL_RULES,
        "diagnostics" => VALIDITY_RULES,
        "status" => &["R-SE", "R-PORTAL"],
        "voice_networking" => &["R-VOICENET"],
        "link" | "deadline" => ctx
            .event
            .and_then(grace_rule_of_event)
            .unwrap_or(GRACE_RULES),
        "voicemail" => &["R-VM-LICENSE", "R-VM-DEFAULT", "R-VM-FAILOVER"],
        "in_effect" | "reserved" if ctx.primary => &["R-PRIMARY-FIRST", "R-CAPACITY"],
        "in_effect" | "reserved" if ctx.down => ctx
            .event
            .and_then(grace_rule_of_event)
            .unwrap_or(&["R-GRACE", "R-EXPIRY", "R-RESTART"]),
        "in_effect" | "reserved" => &[
            "R-NO-OVERGRANT",
            "R-CAPACITY",
            "R-WORK-CONSERVING",
            "R-ORDER",
        ],
        "error" => &["R-ATOMIC"],
        _ => &[],
    }
}

/// The catalogue as plain text (`selc rules`).
pub fn to_text() -> String {
    let mut out = String::new();
    for r in RULES {
        let _ = writeln!(out, "{:<18} {}", r.id, r.statement);
        if r.source == Source::ReferenceChoice {
            let _ = writeln!(out, "{:<18} (reference choice)", "");
        }
        if let Some(q) = r.quote {
            let _ = writeln!(out, "{:<18} \"{q}\"", "");
        }
    }
    out
}

/// The catalogue as JSON (`selc rules --format json`).
pub fn to_json() -> String {
    serde_json::to_string_pretty(RULES).unwrap_or_default() + "\n"
}

/// The catalogue as Markdown: the content of `docs/rules.md`.
pub fn to_markdown() -> String {
    let mut out = String::from(
        "# The rules selc checks\n\n\
         Generated from `src/rules.rs` by `selc rules --format markdown`; do not edit by hand \
         (a test fails when this file is stale; `SELC_BLESS=1 cargo test` rewrites it).\n\n\
         Source: the product description of the Avaya IP Office R9 Server Edition Upgrade ADI \
         License (material code 302260). *seed* rules come straight from it; a *reference \
         choice* is where the description is silent: the reference model does exactly that, \
         and an implementation checked in `rules` mode may choose otherwise within the stated \
         bounds; *model* rules follow from how the model is specified.\n",
    );
    let mut section = "";
    for r in RULES {
        if r.section != section {
            section = r.section;
            let _ = write!(
                out,
                "\n## {section}\n\n| ID | source | rule |\n| --- | --- | --- |\n"
            );
        }
        let source = match r.source {
            Source::Seed => "seed",
            Source::ReferenceChoice => "reference choice",
            Source::Model => "model",
        };
        let quote = r
            .quote
            .map(|q| format!("<br>*\"{q}\"*"))
            .unwrap_or_default();
        let _ = writeln!(out, "| `{}` | {source} | {}{quote} |", r.id, r.statement);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_sets_and_counts_are_by_catalogue_position() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(index_of(r.id), i);
        }
        assert_eq!(crate::rule_index!("R-TOTAL"), RULES.len() - 1);
        let mut set = RuleSet::new();
        set.insert(crate::rule_index!("R-TOTAL"));
        set.insert(crate::rule_index!("R-SID"));
        set.insert(crate::rule_index!("R-SID"));
        assert_eq!(set.ids().collect::<Vec<_>>(), ["R-SID", "R-TOTAL"]);
        assert!(set.contains("R-SID") && !set.contains("R-SE") && !set.contains("R-NOPE"));
        let mut counts = RuleCounts::default();
        counts.add(set);
        counts.add(set);
        assert_eq!((counts.get("R-SID"), counts.get("R-SE")), (2, 0));
        assert_eq!(counts.0.iter().sum::<u64>(), 4);
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(r.id.starts_with("R-"), "{}", r.id);
            assert!(seen.insert(r.id), "duplicate {}", r.id);
        }
        assert_eq!(RULES.len(), 24);
        assert_eq!(
            VALIDITY_RULES,
            &RULES[..6].iter().map(|r| r.id).collect::<Vec<_>>()[..]
        );
    }

    #[test]
    fn every_field_rule_is_in_the_catalogue() {
        for f in [
            "pool",
            "diagnostics",
            "status",
            "voice_networking",
            "link",
            "deadline",
            "voicemail",
            "in_effect",
            "reserved",
            "error",
        ] {
            for primary in [true, false] {
                let ctx = FieldContext {
                    primary,
                    ..FieldContext::default()
                };
                for id in rules_for_field(f, ctx) {
                    assert!(rule(id).is_some(), "{id}");
                }
            }
        }
    }
}
