//! `selc verify`: replay the shipped scenarios, then random ones from
//! [`crate::gen`], against an implementation; shrink every failure to a minimal
//! scenario that still breaks the same rule; count rule coverage.
//!
//! The parts: [`config`] (what to run, budgets), [`shard`] (`I/N`), [`deal`]
//! (which worker runs which case, and the shared stop), [`jobs`] (N workers
//! against N processes), [`steer`] (which candidate each random case is),
//! [`random`] (the random part's settings), [`case`] (one case against the
//! implementation and the reference), [`shrink`], [`expect`] (the reference's
//! expectations for a saved case), [`save`], [`summary`] (what a run found).
//! This file runs one worker's cases in order.

pub mod case;
pub mod config;
pub mod deal;
pub mod envelope;
pub mod exchange;
pub mod expect;
pub mod jobs;
pub mod observe;
pub mod plan;
pub mod random;
pub mod save;
pub mod shard;
pub mod shrink;
pub mod source;
pub mod steer;
pub mod summary;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use case::{run_case, CaseRun, StepFailure};
pub use config::{CaseId, ShrinkBudget, VerifyConfig};
pub use deal::Deal;
pub use expect::{size_of, with_expectations};
pub use random::{random_case, strategy, SpecTree};
pub use shard::Shard;
pub use summary::{Coverage, ExhaustiveRun, Failure, RuleStats, Summary};

use crate::ahead::made_ahead;
use crate::gen::simplify::shrinker;
use crate::gen::ScenarioSpec;
use crate::impls::{Driven, HarnessError};
use crate::scenario::Scenario;
use plan::CaseScenario;
use source::{Made, Source};
use steer::Choices;

/// Progress callbacks, so the CLI can draw a bar or print lines.
pub trait Progress {
    /// `done` of `total` cases run; `failures` so far.
    fn update(&mut self, done: u64, total: u64, failures: usize);
    /// A message (a failure found, shrinking...).
    fn message(&mut self, msg: &str);
}

/// No progress output.
pub struct Quiet;

impl Progress for Quiet {
    fn update(&mut self, _: u64, _: u64, _: usize) {}
    fn message(&mut self, _: &str) {}
}

/// A case generated (and perhaps sent) ahead of its turn.
struct Planned {
    id: CaseId,
    /// Its position in its part.
    position: u64,
    /// Its spec, rendered only when needed (a random case's spec is shrunk
    /// too if it fails); why it cannot be run, for a given scenario that
    /// cannot.
    scenario: Result<CaseScenario, String>,
    /// The case planned by the thread that made it.
    plan: Option<plan::Plan>,
    /// What was sent, if it was; `None` after a failure dropped it.
    sent: Option<case::Sent>,
    /// The properties of the input domain it exercises, and its size.
    domain: Option<(crate::domain::DomainSet, crate::domain::cells::Size)>,
    /// An envelope probe: run alone, never sent ahead.
    probe: Option<usize>,
}

/// Cases planned with the reference's answers ([`plan`]) until this many in a
/// row get no answer in canonical form: this implementation writes its own
/// form, and planning answers for it is wasted.
const CANONICAL_MISSES: usize = 64;

/// Cases sent ahead of the one being judged. One would keep the
/// implementation busy if the harness always had a core when an answer came
/// in; with `--jobs` filling every core it often has not, and a small case
/// (the exhaustive part's) is over before the harness is back. A few more
/// cost only the answers drained after a failure (each case starts with its
/// own `load`, so none depends on another).
const IN_FLIGHT: usize = 4;

/// The state of one run.
struct WorkerRun<'a> {
    imp: &'a mut dyn Driven,
    config: &'a VerifyConfig,
    /// Which cases this worker runs, and the stop shared with the others.
    deal: &'a Deal,
    progress: &'a mut dyn Progress,
    summary: Summary,
    total: u64,
    /// When the run must end, whatever the implementation does.
    end: Option<Instant>,
    /// Cases in a row that failed on the harness, and how the last one did.
    harness_streak: (usize, String),
    /// What is left of the run's budget for shrinking harness failures.
    harness_budget: Duration,
    /// Cases that timed out, in all.
    timeouts: usize,
    /// Plan cases with the reference's answers (see [`CANONICAL_MISSES`]).
    expecting: Arc<AtomicBool>,
    /// Planned cases in a row with no answer in canonical form.
    canonical_misses: usize,
    /// When the run began (for `--observe`).
    run_start: std::time::SystemTime,
}

impl WorkerRun<'_> {
    fn record(
        &mut self,
        source: &dyn Source,
        position: u64,
        run: &CaseRun,
        domain: Option<&(crate::domain::DomainSet, crate::domain::cells::Size)>,
    ) {
        if let Some((set, size)) = domain {
            self.summary.domain.add(*set, size);
        }
        self.summary.cases += 1;
        self.summary.events += run.events;
        let part = &mut self.summary.parts[source.kind().index()];
        part.0 += 1;
        part.1 += run.events;
        self.summary.coverage.add_exercised(&run.exercised);
        self.summary.interactions.merge(&run.interactions);
        source.ran(&mut self.summary, position, run.events);
    }

    /// Whether to stop before the next case; sets `summary.stopped` once, and
    /// stops the other workers of the run for the same reason.
    fn must_stop(&mut self) -> bool {
        if self.summary.stopped.is_some() {
            return true;
        }
        let failures = self.deal.failures();
        let why = if crate::interrupt::requested() {
            self.summary.interrupted = true;
            Some("the run was interrupted (SIGINT or SIGTERM)".to_string())
        } else if let Some(why) = self.deal.stopped() {
            Some(why.to_string())
        } else if failures >= self.config.max_failures {
            Some(format!(
                "stopped after {failures} failures (--max-failures)"
            ))
        } else if self.harness_streak.0 >= self.config.max_consecutive_harness_failures.max(1) {
            Some(format!(
                "the implementation stopped answering: {} consecutive cases {}",
                self.harness_streak.0, self.harness_streak.1
            ))
        } else if self.timeouts >= self.config.max_timeouts.max(1) {
            Some(format!(
                "the implementation stopped answering: {} cases timed out, each after the whole timeout",
                self.timeouts
            ))
        } else if self.end.is_some_and(|e| Instant::now() >= e) {
            Some(format!(
                "the run's time limit of {} s was reached",
                self.config.time_limit.unwrap_or_default().as_secs()
            ))
        } else {
            None
        };
        if let Some(why) = &why {
            if !self.summary.interrupted {
                self.deal.stop(why.clone());
            }
        }
        self.summary.stopped = why;
        self.summary.stopped.is_some()
    }

    /// A deadline `d` from now, never past the run's end.
    fn deadline(&self, d: Duration) -> Instant {
        deadline_within(self.end, d)
    }

    /// Record a failing case: shrink it within budget, then keep it.
    /// `spec`: a random case's spec, shrunk before the scenario is.
    fn failed(
        &mut self,
        case: CaseId,
        scenario: Scenario,
        f: StepFailure,
        spec: Option<ScenarioSpec>,
    ) {
        // Cut off by the run itself (its time limit, an interruption): not the
        // implementation's failure, and never reported as one.
        if f.cut_short() {
            if matches!(f.harness, Some(HarnessError::TimeLimit)) {
                self.end = Some(Instant::now());
            }
            self.must_stop();
            return;
        }
        match &f.harness {
            Some(e) => {
                self.timeouts += usize::from(matches!(e, HarnessError::Timeout(_)));
                self.harness_streak.0 += 1;
                self.harness_streak.1 = streak_words(e).into();
            }
            None => self.harness_streak.0 = 0,
        }
        self.progress.message(&format!(
            "FAIL {case}: {}{}",
            crate::rules::join(&f.rules),
            if self.config.shrink {
                "; shrinking"
            } else {
                ""
            }
        ));
        // A failure is reported only if it is the case's own.
        let Some((f, confirmed)) = shrink::own(
            &mut *self.imp,
            self.config.mode,
            &self.config.budget,
            &scenario,
            f,
        ) else {
            self.must_stop();
            return;
        };
        self.imp.restart();
        let shrink = confirmed && self.config.shrink && self.summary.stopped.is_none();
        let (scenario, step) = if shrink {
            self.shrink((scenario, f), spec.map(shrinker))
        } else {
            (scenario, f)
        };
        self.summary.coverage.add_failed(&step.rules);
        self.deal.failed();
        self.summary
            .failures
            .push(Failure::new(case, &scenario, step, shrink));
    }

    fn shrink(&mut self, found: shrink::Found, tree: Option<SpecTree>) -> shrink::Found {
        let budget = self.config.budget;
        // A harness failure's candidates may each cost a timeout: they share one
        // small budget.
        let harness = found.1.harness.is_some();
        let began = Instant::now();
        let spec_end = if harness {
            self.deadline(self.harness_budget)
        } else {
            self.deadline(budget.spec)
        };
        let end = self.end;
        let scenario_end = || {
            if harness {
                spec_end
            } else {
                deadline_within(end, budget.scenario)
            }
        };
        let found = shrink::minimal(
            &mut *self.imp,
            self.config.mode,
            &budget,
            found,
            tree,
            spec_end,
            &scenario_end,
        );
        if harness {
            self.harness_budget = self.harness_budget.saturating_sub(began.elapsed());
        }
        found
    }

    fn passed(&mut self) {
        self.harness_streak.0 = 0;
    }

    /// Tell the observer, if any, how case `id` ended.
    fn observe(
        &self,
        id: &CaseId,
        scenario: Option<&Scenario>,
        run: Option<&CaseRun>,
        status: observe::Status,
        domain: Option<&(crate::domain::DomainSet, crate::domain::cells::Size)>,
        took: Duration,
    ) {
        let Some(o) = &self.config.observe else {
            return;
        };
        o.case(&observe::Observation {
            command: "verify",
            case: id.to_string(),
            index: id.order().1,
            how: id.kind().how(self.config.steer),
            scenario,
            run,
            status,
            domain,
            took,
            run_start: self.run_start,
            seed: self.config.seed,
            shard: self.config.shard,
        });
    }

    /// One part of the run: the cases of `source` this worker takes, made on
    /// the maker threads and judged in order, within the part's budget.
    fn part(&mut self, source: &dyn Source) {
        source.begin(&mut self.summary);
        // A part's time budget is its own: it starts now.
        let until = source.budget().map(|t| Instant::now() + t);
        std::thread::scope(|s| {
            let expecting = Arc::clone(&self.expecting);
            let cases = source.cases(self.deal.hand(source.kind()));
            let lines = self.imp.takes_lines();
            let cases = made_ahead(s, cases, self.config.makers, move |(p, made)| {
                Some(planned(&expecting, lines, source.id(p), p, made))
            });
            let cases = cases.take_while(|_| until.is_none_or(|u| Instant::now() < u));
            self.pipelined(source, cases);
        });
        let complete = self.summary.stopped.is_none();
        source.end(&mut self.summary, complete);
    }

    /// Cases run pipelined across cases too: up to [`IN_FLIGHT`] cases are
    /// sent beyond the one being judged, so the implementation never waits for
    /// the harness, even while the harness waits for a core.
    fn pipelined(&mut self, source: &dyn Source, mut cases: impl Iterator<Item = Planned>) {
        let mut ahead: VecDeque<Planned> = VecDeque::with_capacity(IN_FLIGHT + 1);
        loop {
            if self.must_stop() {
                self.imp.discard();
                return;
            }
            while ahead.len() <= IN_FLIGHT {
                match cases.next() {
                    Some(next) => ahead.push_back(next),
                    None => break,
                }
            }
            for next in ahead.iter_mut() {
                // Nothing is sent beyond a probe: it needs the program alone.
                if next.probe.is_some() {
                    break;
                }
                if next.sent.is_some() {
                    continue;
                }
                if let Ok(scenario) = &next.scenario {
                    next.sent = Some(self.send(scenario, next.plan.take()));
                }
            }
            let Some(current) = ahead.pop_front() else {
                return;
            };
            let turn = Instant::now();
            let Planned {
                id,
                position,
                scenario,
                sent,
                domain,
                probe,
                ..
            } = current;
            if let Some(k) = probe {
                self.probe(source, id, position, k, domain);
                continue;
            }
            let scenario = match scenario {
                Ok(s) => s,
                Err(why) => {
                    let gave_up = observe::Status::GaveUp(why.clone());
                    self.observe(&id, None, None, gave_up, domain.as_ref(), turn.elapsed());
                    self.progress.message(&format!("skipped {id}: {why}"));
                    self.summary.skipped.push((id.to_string(), why));
                    continue;
                }
            };
            self.imp.set_context(&id.to_string());
            let sent = sent.unwrap_or_else(|| self.send(&scenario, None));
            let run = case::judge_case(&mut *self.imp, || scenario.get(), self.config.mode, sent);
            // A case the run cut short is neither passed nor failed: not
            // counted, its exchange not digested (a re-run would cut it
            // elsewhere), only observed.
            let cut = run.failure.as_ref().is_some_and(StepFailure::cut_short);
            if let Some(d) = self.imp.take_exchange().filter(|_| !cut) {
                self.summary.exchanges.push((id.to_string(), d));
            }
            self.canonical(&run);
            if !cut {
                self.record(source, position, &run, domain.as_ref());
            }
            let status = observe::Status::of(&run);
            let took = turn.elapsed();
            self.observe(
                &id,
                Some(scenario.get()),
                Some(&run),
                status,
                domain.as_ref(),
                took,
            );
            match run.failure {
                Some(f) => {
                    // Whatever was sent ahead is dropped, and sent again later.
                    self.imp.discard();
                    for a in ahead.iter_mut() {
                        a.sent = None;
                    }
                    let (scenario, spec) = scenario.into_parts();
                    let spec = spec.filter(|_| source.shrinks_spec());
                    self.failed(id, scenario, f, spec);
                    self.imp.forget_exchanges();
                }
                None => self.passed(),
            }
            self.progress
                .update(self.summary.cases, self.total, self.summary.failures.len());
        }
    }

    /// Run envelope probe `k` alone, on a fresh start of the program; a
    /// failure is confirmed by running the probe again, and never shrunk (a
    /// probe is a few lines already).
    fn probe(
        &mut self,
        source: &dyn Source,
        id: CaseId,
        position: u64,
        k: usize,
        domain: Option<(crate::domain::DomainSet, crate::domain::cells::Size)>,
    ) {
        let probes = envelope::probes();
        let probe = &probes[k];
        self.imp.set_context(&id.to_string());
        let turn = Instant::now();
        let Some(result) = envelope::run(&mut *self.imp, probe) else {
            return;
        };
        if !result.as_ref().is_err_and(StepFailure::cut_short) {
            self.record(source, position, &CaseRun::default(), domain.as_ref());
        }
        let status = observe::Status::of_failure(result.as_ref().err());
        self.observe(&id, None, None, status, domain.as_ref(), turn.elapsed());
        match result {
            Ok(()) => self.passed(),
            Err(f) => {
                let again = envelope::run(&mut *self.imp, probe);
                if f.cut_short() {
                    self.must_stop();
                    return;
                }
                let f = match again {
                    Some(Err(_)) => f,
                    _ => not_reproduced(f),
                };
                self.progress
                    .message(&format!("FAIL {id}: {}", crate::rules::join(&f.rules)));
                self.summary.coverage.add_failed(&f.rules);
                self.deal.failed();
                let scenario = envelope::scenario();
                self.summary
                    .failures
                    .push(Failure::new(id, &scenario, f, false));
            }
        }
        self.progress
            .update(self.summary.cases, self.total, self.summary.failures.len());
    }

    /// Send a case, planned ahead or not.
    fn send(&mut self, scenario: &CaseScenario, planned: Option<plan::Plan>) -> case::Sent {
        match planned {
            Some(p) => case::send_plan(&mut *self.imp, || scenario.get(), p),
            None => case::send_case(&mut *self.imp, scenario.get()),
        }
    }

    /// Stop planning answers for an implementation that never gives them in
    /// canonical form.
    fn canonical(&mut self, run: &CaseRun) {
        if !self.expecting.load(Ordering::Relaxed) {
            return;
        }
        self.canonical_misses = if run.canonical > 0 {
            0
        } else {
            self.canonical_misses + 1
        };
        if self.canonical_misses >= CANONICAL_MISSES {
            self.expecting.store(false, Ordering::Relaxed);
        }
    }
}

/// Plan a case on the thread that makes it, with the reference's answers
/// while `expecting`. Its scenario is rendered there too when it will be
/// needed: to send the case to an implementation that does not take lines, or
/// to judge it step by step (without expectations, every case is).
fn planned(expecting: &AtomicBool, lines: bool, id: CaseId, position: u64, made: Made) -> Planned {
    use crate::domain::{cells::Size, DomainSet};
    // A case made to exercise one property, on a network of `systems`: the
    // reference reads no properties from a network it rejects, or from raw lines.
    let exercising = |property, systems: u64| {
        let mut set = DomainSet::default();
        set.insert(property);
        let size = Size {
            systems,
            ..Size::default()
        };
        Some((set, size))
    };
    let expect = expecting.load(Ordering::Relaxed);
    let (plan, scenario, domain, probe) = match made {
        Made::Spec(spec) => (
            Some(plan::plan_spec(&spec, expect)),
            Ok(CaseScenario::of_spec(spec)),
            None,
            None,
        ),
        Made::Given(s) => (
            Some(plan::plan(&s, expect)),
            Ok(CaseScenario::from(s)),
            None,
            None,
        ),
        Made::Unreadable(why) => (None, Err(why), None, None),
        Made::Invalid(s, clause) => {
            let systems = s.network["systems"].as_array().map_or(0, Vec::len) as u64;
            (
                Some(plan::plan(&s, expect)),
                Ok(CaseScenario::from(s)),
                exercising(clause, systems),
                None,
            )
        }
        Made::Probe(k) => (
            None,
            Ok(CaseScenario::from(envelope::scenario())),
            exercising(envelope::probes()[k].id, 0),
            Some(k),
        ),
    };
    if let Ok(s) = &scenario {
        if !(expect && lines) {
            s.get();
        }
    }
    Planned {
        id,
        position,
        domain: domain.or_else(|| plan.as_ref().and_then(|p| p.domain)),
        plan,
        scenario,
        sent: None,
        probe,
    }
}

/// A deadline `d` from now, never past `end`.
fn deadline_within(end: Option<Instant>, d: Duration) -> Instant {
    let at = Instant::now() + d;
    end.map_or(at, |e| e.min(at))
}

/// A failure that did not happen again when its case ran alone on a fresh start:
/// what the implementation answered depended on earlier requests.
pub(crate) fn not_reproduced(mut f: StepFailure) -> StepFailure {
    let why = format!(
        "the failure did not happen again when the case ran alone on a fresh start: \
         the implementation's answers depend on earlier requests (an answer to no \
         request, or state kept across `load`). First seen as: {}",
        f.message
    );
    // Answers that depend on earlier requests are not what the protocol
    // allows: the oracle charges them to R-TOTAL.
    let v = crate::check::oracle::Verdict::harness(why.clone());
    f.rules = v.rules;
    f.message = v.message;
    f.harness = Some(HarnessError::Protocol(why));
    f
}

/// How a run of harness failures reads in the verdict ("timed out").
fn streak_words(e: &HarnessError) -> &'static str {
    match e {
        HarnessError::Timeout(_) => "timed out",
        HarnessError::Exited(_) => "ended with the implementation's exit or closed output",
        HarnessError::BadResponse(_) => "got a bad response",
        HarnessError::Protocol(_) | HarnessError::Spawn(_) => "failed on the protocol",
        HarnessError::Unsupported(_) => "were not supported",
        HarnessError::TimeLimit => "reached the time limit",
        HarnessError::Interrupted => "were interrupted",
    }
}

/// Run the whole verification against one implementation: the shipped
/// scenarios, the exhaustive scope, then the random cases of `config.shard`,
/// steered on a thread of its own; failures are saved under `save_to` when
/// given. Several implementation processes at once: [`jobs::run`].
pub fn verify(
    imp: &mut dyn Driven,
    config: &VerifyConfig,
    save_to: Option<&Path>,
    progress: &mut dyn Progress,
) -> Summary {
    let deal = Deal::new(config.shard);
    let choices = random::choices(config);
    std::thread::scope(|s| {
        // However the run ends, steering stops with it.
        let _stop = choices.stop_on_drop();
        // Steering starts with the run: while the shipped and exhaustive cases
        // run, the implementation keeps one core busy and the other is mostly
        // free, so the random cases' choices are ready when they are needed.
        s.spawn(|| choices.steer());
        worker(imp, config, &deal, &choices, save_to, progress)
    })
}

/// One worker of a run: the cases `deal` gives it, the random ones as
/// `choices` (shared by every worker) chose them.
pub fn worker(
    imp: &mut dyn Driven,
    config: &VerifyConfig,
    deal: &Deal,
    choices: &Choices,
    save_to: Option<&Path>,
    progress: &mut dyn Progress,
) -> Summary {
    let start = Instant::now();
    let sources = source::sources(config, choices);
    let mut digesting;
    let imp: &mut dyn Driven = if config.exchange_digest {
        digesting = exchange::Digesting::new(imp);
        &mut digesting
    } else {
        imp
    };
    let mut runner = WorkerRun {
        total: sources.iter().filter_map(|s| s.count(config.shard)).sum(),
        imp,
        config,
        deal,
        progress,
        summary: Summary::default(),
        end: config.time_limit.map(|t| start + t),
        harness_streak: (0, String::new()),
        harness_budget: config.budget.harness,
        timeouts: 0,
        expecting: Arc::new(AtomicBool::new(true)),
        canonical_misses: 0,
        run_start: std::time::SystemTime::now() - start.elapsed(),
    };
    runner.imp.set_deadline(runner.end);
    for source in &sources {
        runner.part(source.as_ref());
    }
    runner.imp.set_deadline(None);
    let mut summary = runner.summary;
    if let Some(why) = &summary.stopped {
        runner.progress.message(why);
    }
    if let Some(dir) = save_to {
        for f in &mut summary.failures {
            if matches!(f.case, CaseId::Envelope(_)) {
                f.save_error = Some(
                    "an envelope probe is a few raw lines, not a scenario file: the rerun line runs it again".into(),
                );
                continue;
            }
            if let Err(why) = save::keep(dir, f) {
                runner.progress.message(&format!("{}: {why}", f.case));
            }
        }
    }
    summary.elapsed = start.elapsed();
    summary
}
