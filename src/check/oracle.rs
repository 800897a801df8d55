//! The oracle: the verdict on one step of a case, from the reference's result,
//! the implementation's answer and the mode. Every verdict selc gives is
//! decided here: which answers agree, when `rules` mode adopts the
//! implementation's split, and which rule a wrong answer breaks (R-TOTAL for a
//! wrong verdict on a network or an answer the protocol does not allow,
//! R-ATOMIC for a wrong verdict on an event or a state changed by a rejected
//! one, the rules that govern a differing field otherwise). The verifier only
//! sends, receives and orders.

use super::{check_step, compare_snapshots, Difference, Mode, StepInput, Violation};
use crate::model::{Event, Model, Snapshot};
use crate::protocol::ErrorCode;
use crate::rules::{in_catalogue_order, RuleId};

/// A step that did not agree: the rules it broke (in catalogue order, never
/// empty), what went wrong, and the evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The rules broken.
    pub rules: Vec<RuleId>,
    /// What went wrong, in one line.
    pub message: String,
    /// Expected (reference) against actual, field by field.
    pub diffs: Vec<Difference>,
    /// What the checkers found in the implementation's answer.
    pub violations: Vec<Violation>,
}

impl Verdict {
    /// A verdict naming `rules`: a difference no rule governs is charged to
    /// R-TOTAL, the catch-all, so that a verdict always names a rule (reports
    /// and shrinking rely on it).
    pub fn new(rules: Vec<RuleId>, message: impl Into<String>) -> Verdict {
        let rules = if rules.is_empty() {
            vec![RuleId::Total]
        } else {
            rules
        };
        Verdict {
            rules: in_catalogue_order(rules),
            message: message.into(),
            diffs: Vec::new(),
            violations: Vec::new(),
        }
    }

    /// The implementation did not answer as the protocol requires (no answer,
    /// garbage, an exit): R-TOTAL.
    pub fn harness(message: impl Into<String>) -> Verdict {
        Verdict::new(vec![RuleId::Total], message)
    }
}

/// The rules a split must meet to be lawful: in `rules` mode, a snapshot that
/// differs from the reference only in how the pool was split, and breaks none
/// of these, is adopted as the reference's own (R-NO-OVERGRANT, R-CAPACITY,
/// R-WORK-CONSERVING).
pub const LAWFUL_SPLIT: [RuleId; 3] = [
    RuleId::NoOvergrant,
    RuleId::Capacity,
    RuleId::WorkConserving,
];

impl Mode {
    /// The rules this mode does not hold an implementation to: R-ORDER (the
    /// reference's order of allocation) in `rules` mode.
    pub fn relaxes(self) -> &'static [RuleId] {
        match self {
            Mode::Strict => &[],
            Mode::Rules => &[RuleId::Order],
        }
    }

    /// Whether this mode adopts a lawful split ([`LAWFUL_SPLIT`]).
    pub fn adopts_lawful_splits(self) -> bool {
        self == Mode::Rules
    }
}

/// The verdict on a snapshot the implementation answered after a step the
/// reference accepted (`model` is the reference after it): `None` when they
/// agree, or when `mode` adopts the implementation's lawful split, which then
/// becomes the reference's.
pub fn snapshot(
    model: &mut Model,
    before: Option<&Snapshot>,
    event: Option<&Event>,
    theirs: &Snapshot,
    mode: Mode,
) -> Option<Verdict> {
    if model.snapshot() == theirs {
        return None;
    }
    let input = StepInput {
        network: model.network(),
        before,
        event,
        rejected: false,
        after: theirs,
    };
    let violations = check_step(&input, mode);
    let split_lawful = !violations.iter().any(|v| LAWFUL_SPLIT.contains(&v.rule));
    if mode.adopts_lawful_splits()
        && split_lawful
        && model.adopt_split(theirs).is_ok()
        && model.snapshot() == theirs
    {
        return None;
    }
    let diffs = compare_snapshots(model.snapshot(), theirs, event.map(Event::name));
    // The checkers name the rules a snapshot breaks; where none spoke, the
    // rules that govern each differing field do.
    let rules = if violations.is_empty() {
        diffs.iter().flat_map(|d| d.rules.iter().copied()).collect()
    } else {
        violations.iter().map(|v| v.rule).collect()
    };
    let mut v = Verdict::new(rules, "the snapshot differs from the reference");
    v.diffs = diffs;
    v.violations = violations;
    Some(v)
}

/// The verdict on a `load` one side rejected: `reference` is why the reference
/// rejected the network, if it did; `answer` the implementation's rejection, if
/// it rejected. A verdict on a network is R-TOTAL's: every valid network is
/// loaded, every invalid one answered `invalid_network`.
pub fn load_rejection(
    reference: Option<&str>,
    answer: Option<(ErrorCode, &str)>,
) -> Option<Verdict> {
    match (reference, answer) {
        (Some(_), Some((ErrorCode::InvalidNetwork, _))) | (None, None) => None,
        (Some(why), None) => Some(Verdict::new(
            vec![RuleId::Total],
            format!("accepted a network that must be rejected: {why}"),
        )),
        (Some(why), Some((code, message))) => Some(Verdict::new(
            vec![RuleId::Total],
            format!(
                "rejected with {} instead of invalid_network ({why}): {message}",
                code.as_str()
            ),
        )),
        (None, Some((code, message))) => Some(Verdict::new(
            vec![RuleId::Total],
            format!("rejected a valid network as {}: {message}", code.as_str()),
        )),
    }
}

/// The verdict on an `apply` one side rejected: `reference` is why the
/// reference rejected the event, if it did; `answer` the implementation's
/// rejection, if it rejected. A verdict on an event is R-ATOMIC's: every event
/// is applied whole or answered `invalid_event` with nothing changed.
pub fn event_rejection(
    reference: Option<&str>,
    answer: Option<(ErrorCode, &str)>,
) -> Option<Verdict> {
    let why = match (reference, answer) {
        (Some(_), Some((ErrorCode::InvalidEvent, _))) | (None, None) => return None,
        (Some(why), None) => format!("accepted an event that must be rejected: {why}"),
        (Some(_), Some((code, message))) => format!(
            "rejected with {} instead of invalid_event: {message}",
            code.as_str()
        ),
        (None, Some((code, message))) => {
            format!("rejected a valid event ({}): {message}", code.as_str())
        }
    };
    Some(Verdict::new(vec![RuleId::Atomic], why))
}

/// The verdict on the state after an event both sides rejected (R-ATOMIC: a
/// rejected event changes nothing).
pub fn after_rejection(before: &Snapshot, after: &Snapshot) -> Option<Verdict> {
    if after == before {
        return None;
    }
    let mut v = Verdict::new(
        vec![RuleId::Atomic],
        "the state changed after the event was rejected",
    );
    v.diffs = compare_snapshots(before, after, None);
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_always_names_a_rule_in_catalogue_order() {
        assert_eq!(Verdict::new(Vec::new(), "x").rules, [RuleId::Total]);
        let v = Verdict::new(vec![RuleId::Grace, RuleId::Sid, RuleId::Grace], "x");
        assert_eq!(v.rules, [RuleId::Sid, RuleId::Grace]);
    }

    #[test]
    fn wrong_verdicts_on_networks_break_r_total_and_on_events_r_atomic() {
        let bad = Some((ErrorCode::BadRequest, "no"));
        assert_eq!(
            load_rejection(Some("dup"), Some((ErrorCode::InvalidNetwork, ""))),
            None
        );
        assert_eq!(load_rejection(None, None), None);
        for v in [
            load_rejection(Some("dup"), None),
            load_rejection(None, bad),
            load_rejection(Some("dup"), bad),
        ] {
            assert_eq!(v.unwrap().rules, [RuleId::Total]);
        }
        assert_eq!(
            event_rejection(Some("unknown"), Some((ErrorCode::InvalidEvent, ""))),
            None
        );
        assert_eq!(event_rejection(None, None), None);
        for v in [
            event_rejection(Some("x"), None),
            event_rejection(None, bad),
            event_rejection(Some("x"), bad),
        ] {
            assert_eq!(v.unwrap().rules, [RuleId::Atomic]);
        }
    }

    #[test]
    fn modes_say_what_they_relax() {
        assert!(Mode::Rules.relaxes().contains(&RuleId::Order));
        assert!(Mode::Strict.relaxes().is_empty());
        assert!(Mode::Rules.adopts_lawful_splits() && !Mode::Strict.adopts_lawful_splits());
    }
}
