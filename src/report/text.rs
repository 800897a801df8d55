//! Plain-text reports for `selc run`.

use std::fmt::Write as _;

use serde_json::Value;

use crate::check::Difference;
use crate::protocol::Answer;
use crate::rules::{self, RuleId};
use crate::run::{Step, Verdict};
use crate::scenario::Scenario;

fn show(v: &Option<Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => v.to_string(),
    }
}

/// One difference as a report line (without indentation): `path: expected X, got Y`.
pub fn difference_line(d: &Difference) -> String {
    // The path names a system, which may hold anything: shown escaped.
    format!(
        "{}: expected {}, got {}",
        super::escape::visible(&d.path).replace('\n', "\\n"),
        show(&d.expected),
        show(&d.actual)
    )
}

/// The rule IDs involved in a set of differences, each once, in catalogue order.
pub fn rules_involved(diffs: &[Difference]) -> Vec<RuleId> {
    rules::in_catalogue_order(diffs.iter().flat_map(|d| d.rules.iter().copied()).collect())
}

/// A step's label: `load` or `event 3 {"link_down":...}`.
pub fn step_label(scenario: &Scenario, step: &Step) -> String {
    match step.event {
        None => "load".into(),
        Some(i) => format!(
            "event {i} {}",
            scenario
                .events
                .get(i)
                .map(Value::to_string)
                .unwrap_or_default()
        ),
    }
}

/// The mismatching steps of a run, with rule IDs and a field-by-field diff.
pub fn mismatches(scenario: &Scenario, steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        let Verdict::Mismatch(diffs) = &step.verdict else {
            continue;
        };
        let _ = writeln!(out, "  at {}", step_label(scenario, step));
        let ids = rules_involved(diffs);
        let _ = writeln!(out, "    rules involved: {}", rules::join(&ids));
        for id in &ids {
            let _ = writeln!(out, "      {id}: {}", id.rule().statement);
        }
        for d in diffs {
            let _ = writeln!(out, "    {}", difference_line(d));
        }
    }
    out
}

/// A step's outcome as one JSON value: the snapshot, or `{"error": {...}}`.
pub fn outcome_value(step: &Step) -> Value {
    match &step.outcome {
        Answer::Snapshot(s) => s.to_value(),
        Answer::Rejected { code, message } => {
            serde_json::json!({"error": {"code": code.as_str(), "message": message}})
        }
    }
}
