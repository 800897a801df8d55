//! What a checker sees of one step, and what it reports.

use crate::model::Model;
use crate::rules::RuleId;
use std::sync::Arc;

use crate::model::{Event, Network, Snapshot, SystemSnapshot};

/// One step to check: the load (`before` is `None`) or an event.
///
/// The networks are the configurations as they stand (licenses added or removed,
/// needs and releases changed by events): they follow from the events alone, so a
/// harness tracks them with the reference model whatever the implementation
/// under test answers. The snapshots may come from anywhere.
#[derive(Clone, Copy, Debug)]
pub struct StepInput<'a> {
    /// The network after the step.
    pub network: &'a Network,
    /// The snapshot before the step; `None` for the load.
    pub before: Option<&'a Snapshot>,
    /// The event, when it parsed; `None` for the load or an event that did not parse.
    pub event: Option<&'a Event>,
    /// Whether the step was answered with `invalid_event`.
    pub rejected: bool,
    /// The snapshot after the step (after a rejection: the state asked for again).
    pub after: &'a Snapshot,
}

/// A step with what several checkers derive from it, computed once (the
/// expected validity of every license): checkers take this and read the step
/// through `Deref`.
#[derive(Debug)]
pub struct Facts<'a> {
    /// The step.
    pub input: StepInput<'a>,
    /// Expected first failing reason of every license (R-HOST judged by the
    /// reported statuses, so a wrong status is charged to R-SE alone).
    pub reasons: Vec<Vec<Option<crate::model::Reason>>>,
    /// The expected diagnostics, in order.
    pub diagnostics: Vec<crate::model::Diagnostic>,
    /// The expected R-SE status of each system (true: licensed), from the
    /// network alone.
    pub licensed: Vec<bool>,
}

impl Facts<'_> {
    /// The sum of the counts of the licenses of `kind` in system `i`'s
    /// configuration that are expected to be valid, in u64 (never wraps).
    pub fn valid_sum(&self, i: usize, kind: crate::model::Kind) -> u64 {
        self.network.systems[i]
            .licenses
            .iter()
            .zip(&self.reasons[i])
            .filter(|(l, reason)| reason.is_none() && l.kind == kind)
            .map(|(l, _)| u64::from(l.count))
            .sum()
    }
}

impl<'a> std::ops::Deref for Facts<'a> {
    type Target = StepInput<'a>;
    fn deref(&self) -> &StepInput<'a> {
        &self.input
    }
}

/// A rule broken at a step.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Violation {
    /// The rule ID.
    pub rule: RuleId,
    /// What is wrong, naming the system, kind and values.
    pub message: String,
}

/// Whether two names are the same. The model's snapshots share the network's
/// names, so this is mostly a pointer comparison; `Arc<str>`'s own `==` always
/// compares the text, and the checkers ask this for every system, kind and rule.
fn same_name(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

impl<'a> StepInput<'a> {
    /// The load step of `model`: its snapshot, nothing before it.
    pub fn load(model: &'a Model) -> StepInput<'a> {
        StepInput {
            network: model.network(),
            before: None,
            event: None,
            rejected: false,
            after: model.snapshot(),
        }
    }

    /// The step of `event` on `model` as it now stands, from `before`
    /// (`rejected`: the model, or the implementation, rejected it).
    pub fn after_event(
        model: &'a Model,
        before: &'a Snapshot,
        event: Option<&'a Event>,
        rejected: bool,
    ) -> StepInput<'a> {
        StepInput {
            network: model.network(),
            before: Some(before),
            event,
            rejected,
            after: model.snapshot(),
        }
    }

    /// The system snapshot at network index `i`, if the snapshot has it under the right name.
    pub fn after_system(&self, i: usize) -> Option<&'a SystemSnapshot> {
        let name = &self.network.systems.get(i)?.name;
        self.after
            .systems
            .get(i)
            .filter(|s| same_name(&s.name, name))
    }

    /// The same system in the snapshot before, if any.
    pub fn before_system(&self, i: usize) -> Option<&'a SystemSnapshot> {
        let name = &self.network.systems.get(i)?.name;
        self.before?
            .systems
            .get(i)
            .filter(|s| same_name(&s.name, name))
    }

    /// The index of the system the event names, when it applied.
    pub fn target(&self) -> Option<usize> {
        if self.rejected {
            return None;
        }
        self.event?.system().and_then(|n| self.network.index_of(n))
    }
}

/// Collects the violations of one rule.
pub struct Sink<'v> {
    /// The rule being checked.
    pub rule: RuleId,
    /// Where violations go.
    pub out: &'v mut Vec<Violation>,
}

impl Sink<'_> {
    /// Record a violation of this rule.
    pub fn fail(&mut self, message: String) {
        self.out.push(Violation {
            rule: self.rule,
            message,
        });
    }

    /// Record a violation unless `got == want`; `what` names the field.
    pub fn expect<T: PartialEq + serde::Serialize>(
        &mut self,
        what: impl FnOnce() -> String,
        want: T,
        got: T,
    ) {
        if want != got {
            self.fail(format!(
                "{}: expected {}, got {}",
                what(),
                super::show::json(&want),
                super::show::json(&got)
            ));
        }
    }

    /// Record a violation unless deadline `got == want`; `what` names it.
    pub fn expect_deadline(
        &mut self,
        what: impl FnOnce() -> String,
        want: Option<u64>,
        got: Option<u64>,
    ) {
        if want != got {
            self.fail(format!(
                "{}: expected {}, got {}",
                what(),
                super::show::deadline(want),
                super::show::deadline(got)
            ));
        }
    }
}
