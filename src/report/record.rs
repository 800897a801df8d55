//! The JSON report of a `selc verify` run as a type: written by `--report`, read
//! back by `selc report merge`, and rendered to JUnit. Built from a [`Summary`]
//! and its [`RunInfo`] in one place ([`Report::new`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::verify::{basis_lines, RunInfo};
use crate::check::coverage::Cell;
use crate::check::{Difference, Violation};
use crate::rules::RuleId;
use crate::verify::{CaseId, Failure, Summary};

/// The implementation a run was against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementationRecord {
    /// Its command line.
    pub command: String,
    /// The name it gave in `hello`.
    pub name: String,
}

/// A shipped scenario that could not be run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedRecord {
    /// Its path.
    pub scenario: String,
    /// Why.
    pub why: String,
}

/// Systems and events of a failing scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRecord {
    /// Systems.
    pub systems: usize,
    /// Events.
    pub events: usize,
}

/// One failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureRecord {
    /// A shipped scenario's path, or a random index or exhaustive position.
    pub case: Value,
    /// `shipped`, `random` or `exhaustive`.
    pub case_kind: String,
    /// The rules broken, in catalogue order.
    pub rules: Vec<RuleId>,
    /// The event index; `null` for the load.
    pub step: Option<usize>,
    /// What went wrong.
    pub message: String,
    /// The harness error, when it failed on the harness.
    pub harness_error: Option<String>,
    /// The request that caused it.
    pub request: Value,
    /// What the checkers found.
    pub violations: Vec<Violation>,
    /// Expected against actual, field by field.
    pub diffs: Vec<Difference>,
    /// The implementation's last stderr lines.
    pub stderr: Vec<String>,
    /// The size of the (shrunk) scenario.
    pub size: SizeRecord,
    /// Whether it was shrunk.
    pub shrunk: bool,
    /// Where it was saved.
    pub scenario_file: Option<String>,
    /// Why it could not be saved.
    pub save_error: Option<String>,
}

impl FailureRecord {
    /// The record of a failure.
    pub fn new(f: &Failure) -> FailureRecord {
        let (case, kind) = match &f.case {
            CaseId::Shipped(p) => (Value::from(p.as_str()), "shipped"),
            CaseId::Random(i) => (Value::from(*i), "random"),
            CaseId::Exhaustive(p) => (Value::from(*p), "exhaustive"),
        };
        FailureRecord {
            case,
            case_kind: kind.to_string(),
            rules: f.step.rules.clone(),
            step: f.step.step,
            message: f.step.message.clone(),
            harness_error: f.step.harness.as_ref().map(ToString::to_string),
            request: f.step.request.clone(),
            violations: f.step.violations.clone(),
            diffs: f.step.diffs.clone(),
            stderr: f.step.stderr.clone(),
            size: SizeRecord {
                systems: f.size.0,
                events: f.size.1,
            },
            shrunk: f.shrunk,
            scenario_file: f.saved.as_ref().map(|p| p.display().to_string()),
            save_error: f.save_error.clone(),
        }
    }

    /// Which case, as people read it (`random case 3`).
    pub fn label(&self) -> String {
        match (self.case_kind.as_str(), &self.case) {
            ("random", c) => format!("random case {c}"),
            ("exhaustive", c) => format!("exhaustive case {c}"),
            (_, Value::String(p)) => p.clone(),
            (_, c) => c.to_string(),
        }
    }

    /// Where the case stands in an unsharded run's order: shipped scenarios in
    /// the built-in order, then exhaustive positions, then random indices.
    pub fn order(&self) -> (u8, u64) {
        let n = self.case.as_u64().unwrap_or(u64::MAX);
        match self.case_kind.as_str() {
            "shipped" => {
                let path = self.case.as_str().unwrap_or("");
                let i = crate::golden::scenarios()
                    .iter()
                    .position(|(p, _)| *p == path)
                    .map_or(u64::MAX, |i| i as u64);
                (0, i)
            }
            "exhaustive" => (1, n),
            _ => (2, n),
        }
    }
}

/// The exhaustive part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhaustiveRecord {
    /// `SxE`.
    pub scope: String,
    /// The alphabet's version.
    pub alphabet: String,
    /// What the whole enumeration is.
    pub statement: String,
    /// Its cases after reduction.
    pub cases: u64,
    /// Before reduction.
    pub cases_before_symmetry_reduction: u64,
    /// The position the run started at.
    pub from: u64,
    /// Cases run.
    pub run: u64,
    /// Where to resume, when stopped early.
    pub next: Option<u64>,
    /// Every case of the enumeration was run (in this shard).
    pub complete: bool,
}

/// The random part.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomRecord {
    /// Cases run.
    pub cases: u64,
    /// Their events.
    pub events: u64,
    /// One past the highest index run.
    pub indices_below: u64,
}

/// Steps per interaction cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellRecord {
    /// The cell (`restart × in grace`).
    pub cell: String,
    /// Steps that hit it.
    pub steps: u64,
}

/// One rule's coverage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRecord {
    /// The rule.
    pub rule: RuleId,
    /// Steps that exercised it.
    pub exercised: u64,
    /// Cases that failed it.
    pub failed: u64,
}

/// The JSON report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// selc's version.
    pub selc_version: String,
    /// The implementation.
    pub implementation: ImplementationRecord,
    /// `strict` or `rules`.
    pub mode: String,
    /// The seed.
    pub seed: u64,
    /// Random cases asked for (for a run on a time budget: reached).
    pub cases_requested: u64,
    /// `I/N`.
    pub shard: String,
    /// The command line that reruns exactly this run.
    pub rerun: String,
    /// Cases run.
    pub cases: u64,
    /// Events applied.
    pub events: u64,
    /// Wall time.
    pub seconds: f64,
    /// The verdict.
    pub compliant: bool,
    /// Why the run could not take place.
    pub error: Option<String>,
    /// Why it stopped early.
    pub stopped: Option<String>,
    /// Shipped scenarios that could not be run.
    pub skipped: Vec<SkippedRecord>,
    /// Every failure, in case order.
    pub failures: Vec<FailureRecord>,
    /// The exhaustive part.
    pub exhaustive: Option<ExhaustiveRecord>,
    /// The random part.
    pub random: RandomRecord,
    /// What the verdict rests on, as the text summary says it.
    pub basis: Vec<String>,
    /// Steps per interaction cell, in table order.
    pub interactions: Vec<CellRecord>,
    /// Per rule, in catalogue order.
    pub coverage: Vec<CoverageRecord>,
}

impl Report {
    /// The report of a run.
    pub fn new(s: &Summary, info: &RunInfo) -> Report {
        let mut r = Report {
            selc_version: env!("CARGO_PKG_VERSION").to_string(),
            implementation: ImplementationRecord {
                command: info.command.clone(),
                name: info.name.clone(),
            },
            mode: info.mode.as_str().to_string(),
            seed: info.seed,
            cases_requested: info.cases,
            shard: info.shard.clone(),
            rerun: info.rerun.clone(),
            cases: s.cases,
            events: s.events,
            seconds: s.elapsed.as_secs_f64(),
            compliant: s.compliant(),
            error: s.error.clone(),
            stopped: s.stopped.clone(),
            skipped: s
                .skipped
                .iter()
                .map(|(p, why)| SkippedRecord {
                    scenario: p.clone(),
                    why: why.clone(),
                })
                .collect(),
            failures: s.failures.iter().map(FailureRecord::new).collect(),
            exhaustive: s.exhaustive.as_ref().map(|x| ExhaustiveRecord {
                scope: x.scope.to_string(),
                alphabet: crate::gen::exhaustive::ALPHABET.to_string(),
                statement: x.statement.clone(),
                cases: x.total,
                cases_before_symmetry_reduction: x.raw,
                from: x.from,
                run: x.run,
                next: x.next,
                complete: x.complete(),
            }),
            random: RandomRecord {
                cases: s.random.0,
                events: s.random.1,
                indices_below: s.random_through,
            },
            basis: Vec::new(),
            interactions: Cell::all()
                .map(|c| CellRecord {
                    cell: c.to_string(),
                    steps: s.interactions.0[c.index()],
                })
                .collect(),
            coverage: s
                .coverage
                .iter()
                .map(|(rule, st)| CoverageRecord {
                    rule,
                    exercised: st.exercised,
                    failed: st.failed,
                })
                .collect(),
        };
        r.basis = basis_lines(&r);
        r
    }
}
