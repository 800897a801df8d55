//! What a run found: failures, rule coverage, and why it stopped early, if it
//! did. Every report format (text, JSON, JUnit) renders these types.

use std::path::PathBuf;
use std::time::Duration;

use super::case::StepFailure;
use super::config::CaseId;
use crate::rules::{RuleCounts, RuleId, RULES};
use crate::scenario::Scenario;

/// A failing case, shrunk when shrinking was asked for and possible.
#[derive(Clone, Debug)]
pub struct Failure {
    /// Which case.
    pub case: CaseId,
    /// What broke, at which step, on the (shrunk) scenario.
    pub step: StepFailure,
    /// The scenario, with the reference's expected snapshots filled in.
    pub scenario: Scenario,
    /// Systems and events of that scenario.
    pub size: (usize, usize),
    /// Whether shrinking ran on it (`--no-shrink` and `selc run` do not shrink).
    pub shrunk: bool,
    /// Where it was saved, when saved.
    pub saved: Option<PathBuf>,
    /// Why it could not be saved, when saving failed.
    pub save_error: Option<String>,
}

impl Failure {
    /// The failure of `case`, found on `scenario` (as shrunk, if it was): its
    /// size, and the scenario with the reference's expectations filled in, so
    /// that it is also a golden file.
    pub fn new(case: CaseId, scenario: &Scenario, step: StepFailure, shrunk: bool) -> Failure {
        Failure {
            case,
            size: super::expect::size_of(scenario),
            scenario: super::expect::with_expectations(scenario),
            step,
            shrunk,
            saved: None,
            save_error: None,
        }
    }
}

/// How often a rule was exercised and failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleStats {
    /// Steps that exercised it.
    pub exercised: u64,
    /// Cases that failed it.
    pub failed: u64,
}

/// Per rule, by catalogue position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage(pub [RuleStats; RULES.len()]);

impl Default for Coverage {
    fn default() -> Self {
        Coverage([RuleStats::default(); RULES.len()])
    }
}

impl Coverage {
    /// The figures of one rule.
    pub fn get(&self, id: RuleId) -> RuleStats {
        self.0[id.index()]
    }

    /// Add the steps of a case that exercised each rule.
    pub fn add_exercised(&mut self, counts: &RuleCounts) {
        for (s, n) in self.0.iter_mut().zip(counts.0) {
            s.exercised += n;
        }
    }

    /// Count one failed case against each of its rules.
    pub fn add_failed(&mut self, rules: &[RuleId]) {
        for id in rules {
            self.0[id.index()].failed += 1;
        }
    }

    /// Every rule with its figures, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = (RuleId, RuleStats)> + '_ {
        RuleId::ALL.iter().copied().zip(self.0.iter().copied())
    }
}

/// What the exhaustive part of a run covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExhaustiveRun {
    /// The scope.
    pub scope: crate::gen::exhaustive::Scope,
    /// What the whole enumeration is (`every scenario with ...`).
    pub statement: String,
    /// Scenarios of the enumeration after symmetry reduction.
    pub total: u64,
    /// Before reduction.
    pub raw: u64,
    /// The position the run started at.
    pub from: u64,
    /// Cases of this shard run.
    pub run: u64,
    /// The first position not run, when the run stopped before the end (resume
    /// from it); `None` when this shard's part is complete.
    pub next: Option<u64>,
}

impl ExhaustiveRun {
    /// Whether every scenario of the enumeration (in this shard) was run.
    pub fn complete(&self) -> bool {
        self.next.is_none() && self.from == 0
    }
}

/// The result of a run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Cases run (shipped + random in this shard).
    pub cases: u64,
    /// Events applied.
    pub events: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Every failure.
    pub failures: Vec<Failure>,
    /// Per rule.
    pub coverage: Coverage,
    /// Steps per interaction cell (event kind × target state, advance × landing).
    pub interactions: crate::check::coverage::CellCounts,
    /// Shipped scenarios that could not be run, with why.
    pub skipped: Vec<(String, String)>,
    /// Why the run stopped before its last case, if it did.
    pub stopped: Option<String>,
    /// The exhaustive part, when there was one.
    pub exhaustive: Option<ExhaustiveRun>,
    /// Random cases run, and their events.
    pub random: (u64, u64),
    /// Invalid networks sent.
    pub invalid_networks: u64,
    /// Envelope probes run.
    pub envelope: u64,
    /// One past the highest random case index run: `--cases` of a rerun.
    pub random_through: u64,
    /// Why the run could not take place at all (the implementation could not
    /// be started, refused `hello`, speaks another protocol version).
    pub error: Option<String>,
    /// A signal (SIGINT, SIGTERM) stopped the run: what it holds is what was
    /// done before.
    pub interrupted: bool,
    /// The properties of the input domain its cases exercised, and how large
    /// they were (the reach of the verdict).
    pub domain: crate::domain::DomainCounts,
    /// Each case's exchange digest, when digested (a claim).
    pub exchanges: Vec<(String, [u8; 32])>,
    /// Cases and events of each part, by [`super::config::CaseKind::index`].
    pub parts: [(u64, u64); 6],
}

impl Summary {
    /// A run that could not take place, for `why`: reported like any other.
    pub fn aborted(why: String) -> Summary {
        Summary {
            error: Some(why),
            ..Summary::default()
        }
    }

    /// No failure, the run took place, and it was not interrupted.
    pub fn compliant(&self) -> bool {
        self.failures.is_empty() && self.error.is_none() && !self.interrupted
    }

    /// The summary of a whole run from those of its workers (each ran some of
    /// the run's cases): counts add up, failures are put in case order, and
    /// the run stopped early if any worker did. `None` for no worker.
    pub fn merge(parts: Vec<Summary>) -> Option<Summary> {
        let mut parts = parts.into_iter();
        let mut whole = parts.next()?;
        for p in parts {
            whole.cases += p.cases;
            whole.events += p.events;
            whole.elapsed = whole.elapsed.max(p.elapsed);
            whole.failures.extend(p.failures);
            for (a, b) in whole.coverage.0.iter_mut().zip(p.coverage.0) {
                a.exercised += b.exercised;
                a.failed += b.failed;
            }
            whole.interactions.merge(&p.interactions);
            whole.domain.merge(&p.domain);
            whole.skipped.extend(p.skipped);
            whole.stopped = whole.stopped.or(p.stopped);
            whole.exhaustive = match (whole.exhaustive, p.exhaustive) {
                (Some(mut a), Some(b)) => {
                    a.run += b.run;
                    // Resuming from the first position some worker did not
                    // reach runs again what others ran beyond it: never less.
                    a.next = match (a.next, b.next) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    };
                    Some(a)
                }
                (a, b) => a.or(b),
            };
            whole.invalid_networks += p.invalid_networks;
            whole.envelope += p.envelope;
            whole.exchanges.extend(p.exchanges);
            for (a, b) in whole.parts.iter_mut().zip(p.parts) {
                a.0 += b.0;
                a.1 += b.1;
            }
            whole.random.0 += p.random.0;
            whole.random.1 += p.random.1;
            whole.random_through = whole.random_through.max(p.random_through);
            whole.error = whole.error.or(p.error);
            whole.interrupted |= p.interrupted;
        }
        whole
            .failures
            .sort_by(|a, b| a.case.order().cmp(&b.case.order()));
        let golden = crate::golden::scenarios();
        let at = |p: &str| golden.iter().position(|(g, _)| *g == p);
        whole.skipped.sort_by_key(|a| at(&a.0));
        Some(whole)
    }
}
