//! Running a scenario through the reference model and judging each step against
//! the scenario's expectations (`selc run`).

use crate::rules::RuleId;
use thiserror::Error;

use crate::check::{compare_snapshots, Difference};
use crate::model::{Model, ModelError};
use std::sync::Arc;

use crate::protocol::{Answer, ErrorCode};
use crate::scenario::{Expect, Scenario};

/// How a step compares with its expectation.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The scenario gives no expectation for any step.
    Unchecked,
    /// The expectation for this step is `null`.
    Skipped,
    /// As expected.
    Match,
    /// Not as expected: every difference, each with the rules behind it.
    Mismatch(Vec<Difference>),
}

/// One step of a run: the load (`event: None`) or an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Index of the event in the scenario; `None` for the load.
    pub event: Option<usize>,
    /// What the model gave: a snapshot, or a rejection (the state is as
    /// before: R-ATOMIC).
    pub outcome: Answer,
    /// How it compares with the expectation.
    pub verdict: Verdict,
}

/// A scenario that cannot be run.
#[derive(Debug, Error)]
pub enum RunError {
    /// The network is invalid and the scenario does not expect that.
    #[error("{0}")]
    InvalidNetwork(String),
}

fn from_model_error(e: ModelError) -> Answer {
    let code = ErrorCode::from(&e);
    Answer::Rejected {
        code,
        message: e.message().to_string(),
    }
}

/// Judge an outcome against an expectation. `rule` is the rule a wrong accept or
/// reject breaks at this step.
fn judge(expect: Option<&Expect>, outcome: &Answer, rule: RuleId, event: Option<&str>) -> Verdict {
    let Some(expect) = expect else {
        return Verdict::Skipped;
    };
    let wrong = |expected: Option<serde_json::Value>, actual: Option<serde_json::Value>| {
        Verdict::Mismatch(vec![Difference {
            path: "error".into(),
            expected,
            actual,
            rules: vec![rule],
        }])
    };
    match (expect, outcome) {
        (Expect::Snapshot(e), Answer::Snapshot(a)) => {
            let diffs = compare_snapshots(e, a, event);
            if diffs.is_empty() {
                Verdict::Match
            } else {
                Verdict::Mismatch(diffs)
            }
        }
        (Expect::Error(c), Answer::Rejected { code, .. }) if c == code => Verdict::Match,
        (Expect::Error(c), outcome) => {
            let got = match outcome {
                Answer::Rejected { code, message } => {
                    format!("rejected as {}: {message}", code.as_str())
                }
                Answer::Snapshot(_) => "accepted".to_string(),
            };
            wrong(Some(c.as_str().into()), Some(got.into()))
        }
        (Expect::Snapshot(_), Answer::Rejected { message, .. }) => wrong(
            Some("accepted".into()),
            Some(format!("rejected: {message}").into()),
        ),
    }
}

/// Run a scenario through the reference model, judging every step.
pub fn run_scenario(scenario: &Scenario) -> Result<Vec<Step>, RunError> {
    let checked = scenario.has_expectations();
    let verdict = |expect: Option<&Expect>, outcome: &Answer, rule, event: Option<&str>| {
        if checked {
            judge(expect, outcome, rule, event)
        } else {
            Verdict::Unchecked
        }
    };
    let mut model = match Model::load(&scenario.network, "network") {
        Ok(m) => m,
        Err(e) => {
            if scenario.expect_initial.is_none() {
                return Err(RunError::InvalidNetwork(e.message().to_string()));
            }
            let outcome = from_model_error(e);
            let v = verdict(
                scenario.expect_initial.as_ref(),
                &outcome,
                RuleId::Total,
                None,
            );
            return Ok(vec![Step {
                event: None,
                outcome,
                verdict: v,
            }]);
        }
    };
    let mut steps = Vec::with_capacity(scenario.events.len() + 1);
    let outcome = Answer::Snapshot(Arc::new(model.snapshot().clone()));
    steps.push(Step {
        event: None,
        verdict: verdict(
            scenario.expect_initial.as_ref(),
            &outcome,
            RuleId::Total,
            None,
        ),
        outcome,
    });
    for (i, event) in scenario.events.iter().enumerate() {
        let before = model.snapshot().clone();
        let outcome = match model.apply_json(event, &format!("events[{i}]")) {
            Ok(s) => Answer::Snapshot(Arc::new(s.clone())),
            Err(e) => from_model_error(e),
        };
        let expect = scenario
            .expect
            .as_ref()
            .and_then(|l| l.get(i))
            .and_then(Option::as_ref);
        // The event's name narrows the rules cited for a difference.
        let name = event
            .as_object()
            .and_then(|o| o.keys().next())
            .map(String::as_str);
        let mut v = verdict(expect, &outcome, RuleId::Atomic, name);
        // R-ATOMIC: a rejected event leaves the state as it was.
        if matches!(outcome, Answer::Rejected { .. }) && model.snapshot() != &before {
            let mut diffs = compare_snapshots(&before, model.snapshot(), None);
            for d in &mut diffs {
                d.rules = vec![RuleId::Atomic];
            }
            v = Verdict::Mismatch(diffs);
        }
        steps.push(Step {
            event: Some(i),
            outcome,
            verdict: v,
        });
    }
    Ok(steps)
}

/// Whether every step matched or was skipped.
pub fn passed(steps: &[Step]) -> bool {
    steps
        .iter()
        .all(|s| !matches!(s.verdict, Verdict::Mismatch(_)))
}

/// A step at which the model broke an invariant.
#[derive(Clone, Debug, PartialEq)]
pub struct InvariantFailure {
    /// Index of the event (`None`: the load).
    pub event: Option<usize>,
    /// Every rule broken there.
    pub violations: Vec<crate::check::Violation>,
}

impl std::fmt::Display for InvariantFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.event {
            None => write!(f, "at load:")?,
            Some(i) => write!(f, "at event {i}:")?,
        }
        for v in &self.violations {
            write!(f, "\n  {}: {}", v.rule, v.message)?;
        }
        Ok(())
    }
}

/// Run a scenario through the reference model and check every invariant of
/// [`crate::check`] after every step. An invalid network is not a failure (there
/// is nothing to check).
pub fn check_invariants(
    scenario: &Scenario,
    mode: crate::check::Mode,
) -> Result<(), InvariantFailure> {
    use crate::check::{check_step, StepInput};
    use crate::model::Event;
    let Ok(mut model) = Model::load(&scenario.network, "network") else {
        return Ok(());
    };
    let fail = |event, violations: Vec<_>| {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(InvariantFailure { event, violations })
        }
    };
    fail(None, check_step(&StepInput::load(&model), mode))?;
    for (i, value) in scenario.events.iter().enumerate() {
        let before = model.snapshot().clone();
        let event = Event::from_json(value, "event").ok();
        let rejected = model.apply_json(value, "event").is_err();
        let input = StepInput::after_event(&model, &before, event.as_ref(), rejected);
        fail(Some(i), check_step(&input, mode))?;
    }
    Ok(())
}
