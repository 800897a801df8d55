//! Oracles over snapshots: one checker per rule ID, over (snapshot before, event,
//! snapshot after, network as it stands). They never assume the snapshot came from
//! the reference model, so the property suite, the verifier and the fuzz targets
//! all use them. They never call into the verifier or the CLI.

pub mod allocation;
pub mod compare;
pub mod coverage;
pub mod diff;
pub mod events;
pub mod explain;
pub mod grace;
pub mod oracle;
pub mod show;
pub mod step;
pub mod validity;
pub mod voicemail;

pub use compare::{compare_snapshots, Difference};
pub use step::{Facts, Sink, StepInput, Violation};

use crate::rules::RuleId;

/// A checker: looks at one step and reports what its rule forbids.
pub type Checker = fn(&Facts<'_>, &mut Sink<'_>);

/// Every checker, keyed by the rule it checks, in catalogue order.
pub const CHECKERS: &[(RuleId, Checker)] = &[
    (RuleId::Unsupported, validity::r_unsupported),
    (RuleId::Sid, validity::r_sid),
    (RuleId::Place, validity::r_place),
    (RuleId::Release, validity::r_release),
    (RuleId::Duplicate, validity::r_duplicate),
    (RuleId::Host, validity::r_host),
    (RuleId::Se, validity::r_se),
    (RuleId::Portal, validity::r_portal),
    (RuleId::Voicenet, validity::r_voicenet),
    (RuleId::PrimaryFirst, allocation::r_primary_first),
    (RuleId::NoOvergrant, allocation::r_no_overgrant),
    (RuleId::Capacity, allocation::r_capacity),
    (RuleId::WorkConserving, allocation::r_work_conserving),
    (RuleId::Order, allocation::r_order),
    (RuleId::Grace, grace::r_grace),
    (RuleId::Expiry, grace::r_expiry),
    (RuleId::Restart, grace::r_restart),
    (RuleId::Upgrade, grace::r_upgrade),
    (RuleId::Reconnect, grace::r_reconnect),
    (RuleId::VmLicense, voicemail::r_voicemail),
    (RuleId::VmDefault, voicemail::r_voicemail),
    (RuleId::VmFailover, voicemail::r_voicemail),
    (RuleId::Atomic, events::r_atomic),
    (RuleId::Total, events::r_total),
    (RuleId::Total, events::r_total_overflow),
];

/// Which rules to hold an implementation to (docs/protocol.md, "Compliance modes").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Everything, R-ORDER included.
    Strict,
    /// Any split meeting R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING.
    #[default]
    Rules,
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Mode {
    /// The mode's name on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Strict => "strict",
            Mode::Rules => "rules",
        }
    }
}

/// Run every checker on one step, but those of the rules `mode` relaxes
/// ([`Mode::relaxes`]: R-ORDER in `rules` mode).
pub fn check_step(input: &StepInput<'_>, mode: Mode) -> Vec<Violation> {
    let facts = validity::facts(*input);
    let mut out = Vec::new();
    for (rule, checker) in CHECKERS {
        if mode.relaxes().contains(rule) {
            continue;
        }
        checker(
            &facts,
            &mut Sink {
                rule: *rule,
                out: &mut out,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Model, Snapshot};
    use serde_json::json;

    /// Every checker on the load step of `m`, with `after` as the answer.
    fn check_load(m: &Model, after: &Snapshot, mode: Mode) -> Vec<Violation> {
        let input = StepInput {
            network: m.network(),
            before: None,
            event: None,
            rejected: false,
            after,
        };
        check_step(&input, mode)
    }

    #[test]
    fn modes_are_named_as_on_the_command_line() {
        assert_eq!(
            (Mode::Strict.as_str(), Mode::Rules.as_str()),
            ("strict", "rules")
        );
    }

    #[test]
    fn rules_mode_accepts_another_lawful_split_and_strict_mode_does_not() {
        let se = |sid: &str| json!({"key": format!("SE-{sid}"), "kind": "server_edition", "sid": sid, "count": 1});
        let net = json!({"systems": [
            {"name": "p", "role": "primary", "sid": "P", "release": "9.1",
             "licenses": [se("P"), {"key": "PU", "kind": "power_user", "sid": "P", "count": 10}]},
            {"name": "a", "role": "expansion", "sid": "A", "release": "9.1", "needs": {"power_user": 6}, "licenses": [se("A")]},
            {"name": "b", "role": "expansion", "sid": "B", "release": "9.1", "needs": {"power_user": 6}, "licenses": [se("B")]}]});
        let m = Model::load(&net, "network").unwrap();
        let mut other = m.snapshot().clone();
        for (i, n) in [(1, 4), (2, 6)] {
            other.systems[i].in_effect.insert(Kind::PowerUser, n);
            other.systems[i].reserved.insert(Kind::PowerUser, n);
        }
        assert!(check_load(&m, &other, Mode::Rules).is_empty());
        let strict: Vec<RuleId> = check_load(&m, &other, Mode::Strict)
            .iter()
            .map(|v| v.rule)
            .collect();
        assert_eq!(strict, [RuleId::Order]);
    }

    #[test]
    fn a_pool_wrapped_at_32_bits_is_an_overflow() {
        let lic = |k: &str, n: u32| json!({"key": k, "kind": "power_user", "sid": "P", "count": n});
        let net = json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1",
            "licenses": [{"key": "SE", "kind": "server_edition", "sid": "P", "count": 1},
                         lic("A", u32::MAX), lic("B", u32::MAX)]}]});
        let m = Model::load(&net, "network").unwrap();
        let rules_for = |pool: u64| {
            let mut s = m.snapshot().clone();
            s.pool.insert(Kind::PowerUser, pool);
            check_load(&m, &s, Mode::Strict)
                .iter()
                .map(|v| v.rule)
                .collect::<Vec<_>>()
        };
        let truth = 2 * u64::from(u32::MAX);
        assert_eq!(
            rules_for(truth - (1 << 32)),
            [RuleId::Capacity, RuleId::Total]
        );
        assert_eq!(rules_for(truth - 1), [RuleId::Capacity]);
        assert!(rules_for(truth).is_empty());
    }

    #[test]
    fn systems_are_matched_by_name_not_by_identity() {
        let se = |sid: &str| json!({"key": format!("SE-{sid}"), "kind": "server_edition", "sid": sid, "count": 1});
        let net = json!({"systems": [
            {"name": "p", "role": "primary", "sid": "P", "release": "9.1", "licenses": [se("P")]},
            {"name": "a", "role": "expansion", "sid": "A", "release": "9.1", "licenses": [se("A")]}]});
        let m = Model::load(&net, "network").unwrap();
        let rules_for = |after: &Snapshot| check_load(&m, after, Mode::Strict);
        // Parsed from JSON, as an implementation's answer is: equal names, not shared.
        let parsed = Snapshot::from_json(&m.snapshot().to_value()).unwrap();
        assert!(rules_for(&parsed).is_empty(), "{:?}", rules_for(&parsed));
        let mut renamed = parsed.clone();
        renamed.systems[1].name = "b".into();
        let found = rules_for(&renamed);
        assert!(
            found
                .iter()
                .any(|v| v.message.contains("a missing from the snapshot")),
            "{found:?}"
        );
    }

    #[test]
    fn a_pool_entry_of_zero_or_of_a_non_centralized_kind_breaks_r_capacity() {
        let net = json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1",
            "licenses": [{"key": "SE", "kind": "server_edition", "sid": "P", "count": 1}]}]});
        let m = Model::load(&net, "network").unwrap();
        for (kind, n) in [(Kind::OfficeWorker, 0), (Kind::ServerEdition, 1)] {
            let mut s = m.snapshot().clone();
            s.pool.insert(kind, n);
            let found = check_load(&m, &s, Mode::Strict);
            assert!(
                found
                    .iter()
                    .any(|v| v.rule == RuleId::Capacity
                        && v.message.contains("zero or non-centralized")),
                "{kind} {n}: {found:?}"
            );
        }
    }
}
