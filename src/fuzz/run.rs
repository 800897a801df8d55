//! `selc fuzz --impl CMD`: grey-box, structure-aware mutational fuzzing of a
//! program over the protocol. Each worker drives its own process; they share
//! one corpus ([`Corpus`]), one map of features seen ([`Seen`]) and one
//! count of inputs. An input is a corpus entry mutated ([`mutate`]), now and
//! then a fresh case of the generators; it is judged by the oracle of `selc
//! verify` ([`judge_case`]), and joins the corpus if it brings a new
//! (feature, bucket) pair ([`features`]). A divergence is confirmed on a fresh
//! start, shrunk and saved as `selc verify` does; an input on which a request
//! takes more than K times the median answer time, three times running, is a
//! slow input, saved and reported with its request.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::corpus::Corpus;
use super::features::{self, Seen};
use super::mutate::{mutate, Rng};
use crate::check::Mode;
use crate::gen::seeded::candidate;
use crate::impls::process::Process;
use crate::impls::{Driven, HarnessError};
use crate::report::record::{FuzzRecord, SlowRecord};
use crate::scenario::Scenario;
use crate::verify::case::{judge_case, send_plan};
use crate::verify::plan::plan;
use crate::verify::random::gen_config;
use crate::verify::shrink;
use crate::verify::{
    CaseId, CaseRun, Failure, Progress, ShrinkBudget, StepFailure, Summary, VerifyConfig,
};

/// What `selc fuzz` runs.
#[derive(Clone, Debug)]
pub struct FuzzConfig {
    /// The compliance mode.
    pub mode: Mode,
    /// The seed of the mutations and of the fresh cases.
    pub seed: u64,
    /// How long to fuzz (none: until `inputs` or a stop).
    pub time: Option<Duration>,
    /// How many inputs at most.
    pub inputs: Option<u64>,
    /// Stop after this many divergences.
    pub max_failures: usize,
    /// The corpus directory, kept between runs.
    pub corpus: Option<PathBuf>,
    /// More scenario files to start from (saved failures).
    pub seeds: Vec<PathBuf>,
    /// Where divergences and slow inputs are saved.
    pub save_to: PathBuf,
    /// K: a request slower than K times the median answer time is slow.
    pub slow_factor: f64,
    /// Shrink divergences.
    pub shrink: bool,
    /// Shrinking budgets.
    pub budget: ShrinkBudget,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Processes at once.
    pub jobs: usize,
    /// Print a status line this often (none: never).
    pub status_every: Option<Duration>,
    /// Where each input is told as it is judged (`--observe`).
    pub observe: Option<std::sync::Arc<dyn crate::verify::observe::Observe>>,
}

impl Default for FuzzConfig {
    fn default() -> FuzzConfig {
        FuzzConfig {
            mode: Mode::Rules,
            seed: crate::verify::VerifyConfig::default().seed,
            time: Some(Duration::from_secs(60)),
            inputs: None,
            max_failures: 10,
            corpus: None,
            seeds: Vec::new(),
            save_to: PathBuf::from("selc-failures"),
            slow_factor: 50.0,
            shrink: true,
            budget: ShrinkBudget::default(),
            timeout: Duration::from_secs(5),
            jobs: 1,
            status_every: Some(Duration::from_secs(5)),
            observe: None,
        }
    }
}

/// What a fuzzing run found.
#[derive(Debug)]
pub struct Fuzzed {
    /// Its cases, coverage and divergences, as `selc verify` counts them.
    pub summary: Summary,
    /// What is the fuzzer's own.
    pub record: FuzzRecord,
    /// The name the program gave in `hello`.
    pub name: String,
}

/// Answer times kept for the median.
const TIMES: usize = 4096;
/// Answers timed before a request may be called slow.
const TIMED_BEFORE_SLOW: usize = 256;
/// One input in this many is a fresh case of the generators, not a mutant.
const FRESH: u64 = 8;

struct Shared {
    corpus: Corpus,
    seen: Seen,
    /// Inputs handed out.
    next: u64,
    /// The inputs replayed first: the corpus directory's, then the seeds.
    initial: Vec<Scenario>,
    failures: usize,
    first_failure: Option<Duration>,
    times: Vec<u32>,
    times_at: usize,
    median: Duration,
    slow: Vec<SlowRecord>,
    stop: Option<String>,
    /// What is left of the run's budget for shrinking harness failures
    /// (each candidate may cost a timeout), as `selc verify` keeps one.
    harness_budget: Duration,
    /// Divergences that were timeouts: five stop the run, as in `selc verify`.
    timeouts: usize,
}

impl Shared {
    fn time(&mut self, d: Duration) {
        let ns = d.as_nanos().min(u32::MAX as u128) as u32;
        if self.times.len() < TIMES {
            self.times.push(ns);
        } else {
            self.times[self.times_at % TIMES] = ns;
        }
        self.times_at += 1;
        if self.times_at.is_multiple_of(64) || self.times.len() < 64 {
            let mut v = self.times.clone();
            v.sort_unstable();
            self.median = Duration::from_nanos(u64::from(v.get(v.len() / 2).copied().unwrap_or(0)));
        }
    }
}

/// The input numbered `n`: a replayed one, a fresh case, or a mutant.
fn input(shared: &mut Shared, config: &FuzzConfig, n: u64) -> Scenario {
    if let Some(s) = shared.initial.get(n as usize) {
        return s.clone();
    }
    let mut rng = Rng::new(config.seed ^ n.wrapping_mul(0xA24B_AED4_963E_E407));
    let entries = &shared.corpus.entries;
    if entries.is_empty() || rng.below(FRESH as usize) == 0 {
        // From the distribution of `selc verify`'s random part, its large
        // tiers included: a fuzzer is random sampling plus feedback.
        let gen = gen_config(&VerifyConfig::default());
        return candidate(gen, config.seed, n, 0).render();
    }
    // Recent finds half the time: what just brought something new is where
    // the next find most likely is.
    let len = entries.len();
    let size = |i: usize| {
        let (systems, events) = crate::verify::size_of(&entries[i].scenario);
        (systems + 1) * (events + 1)
    };
    // Otherwise the smaller of two entries half the time (AFL favours
    // small, fast entries: a corpus drifts toward its largest inputs, which
    // each bring something new and each run slowly), any entry the rest:
    // the large entries are where large-network bugs are.
    let pick = |rng: &mut Rng| {
        if rng.below(2) == 0 {
            len - 1 - rng.below(len.min(16))
        } else if rng.below(2) == 0 {
            let (a, b) = (rng.below(len), rng.below(len));
            if size(a) <= size(b) {
                a
            } else {
                b
            }
        } else {
            rng.below(len)
        }
    };
    let (a, b) = (pick(&mut rng), pick(&mut rng));
    let mut s = entries[a].scenario.clone();
    mutate(&mut s, &entries[b].scenario, &mut rng);
    s
}

/// Tell the observer, if any, how input `n` ended.
fn observe(config: &FuzzConfig, n: u64, scenario: &Scenario, ran: &Ran, began: Instant) {
    use crate::verify::observe::{How, Observation, Status};
    let Some(o) = &config.observe else {
        return;
    };
    let status = Status::of(&ran.run);
    o.case(&Observation {
        command: "fuzz",
        case: CaseId::Fuzz(n).to_string(),
        index: n,
        how: How::Fuzzed,
        scenario: Some(scenario),
        run: Some(&ran.run),
        status,
        domain: ran.domain.as_ref(),
        took: ran.took,
        run_start: std::time::SystemTime::now() - began.elapsed(),
        seed: config.seed,
        shard: crate::verify::Shard::WHOLE,
    });
}

/// One case: sent, judged, timed.
struct Ran {
    run: CaseRun,
    /// Its time per request and per system: what is compared with the
    /// median to call an input slow. Per system, so that a large network is
    /// not slow for being large, only for costing more per system than the
    /// usual case (a quadratic step); per request, so a long history is not
    /// slow for being long. An implementation may hold its answers until a
    /// case is over (the Python example does), so the case is timed whole.
    cost: Duration,
    /// The whole case's time.
    took: Duration,
    domain: Option<(crate::domain::DomainSet, crate::domain::cells::Size)>,
}

/// A case shorter than this is never a slow input, whatever its cost: on a
/// shared machine a few milliseconds are the scheduler's, and a case of one
/// request on two systems costing 50 times the median is a blip, not a
/// finding. What matters to allocation benchmarking is a case that takes long.
const SLOW_FLOOR: Duration = Duration::from_millis(20);

/// The pause before each run that confirms a slow input: long enough that a
/// burst of load on the machine (a compiler, another job) ends in between.
const SLOW_PAUSE: Duration = Duration::from_millis(250);

fn run_one(imp: &mut dyn Driven, s: &Scenario, mode: Mode) -> Ran {
    let began = Instant::now();
    let p = plan(s, false);
    let requests = p.requests.len().max(1) as u32;
    let systems = s.network["systems"]
        .as_array()
        .map_or(1, |a| a.len().max(1)) as u32;
    let domain = p.domain;
    let sent = send_plan(imp, || s, p);
    let run = judge_case(imp, || s, mode, sent);
    let took = began.elapsed();
    Ran {
        run,
        cost: took / requests / systems,
        took,
        domain,
    }
}

/// Each request of `s` sent alone and timed: which one is slow.
fn time_each(imp: &mut dyn Driven, s: &Scenario) -> Vec<(String, Duration)> {
    let p = plan(s, false);
    let mut out = Vec::new();
    imp.restart();
    for i in 0..p.requests.len() {
        let line = p.line(i);
        let t = Instant::now();
        match imp.exchange(line) {
            Some(Ok(_)) => out.push((line.to_string(), t.elapsed())),
            _ => break,
        }
    }
    imp.restart();
    out
}

/// Run `config` against `command`.
pub fn run(
    command: &str,
    config: &FuzzConfig,
    progress: &mut (dyn Progress + Send),
) -> Result<Fuzzed, String> {
    let corpus = Corpus::open(config.corpus.as_deref())?;
    for (p, why) in &corpus.unreadable {
        eprintln!(
            "selc fuzz: {} is not a scenario, left out: {why}",
            p.display()
        );
    }
    let mut initial: Vec<Scenario> = corpus.entries.iter().map(|e| e.scenario.clone()).collect();
    let mut seeds = Corpus::default();
    seeds.seed_shipped();
    for dir in &config.seeds {
        if dir.is_dir() {
            seeds
                .load(dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    initial.extend(seeds.entries.into_iter().map(|e| e.scenario));
    // The directory's entries are parents from the start; the seeds become
    // parents as they bring features.
    let began = Instant::now();
    let shared = Mutex::new(Shared {
        corpus,
        seen: Seen::default(),
        next: 0,
        initial,
        failures: 0,
        first_failure: None,
        times: Vec::new(),
        times_at: 0,
        median: Duration::ZERO,
        slow: Vec::new(),
        stop: None,
        harness_budget: config.budget.harness,
        timeouts: 0,
    });
    let progress = Mutex::new(progress);
    let workers = config.jobs.max(1);
    let parts: Vec<Result<(Summary, String), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|j| {
                let (shared, progress) = (&shared, &progress);
                s.spawn(move || worker(j, command, config, shared, progress, began))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a worker panicked".into())))
            .collect()
    });
    let mut name = String::new();
    let mut summaries = Vec::new();
    let mut errors = Vec::new();
    for p in parts {
        match p {
            Ok((s, n)) => {
                if name.is_empty() {
                    name = n;
                }
                summaries.push(s);
            }
            Err(e) => errors.push(e),
        }
    }
    let Some(mut summary) = Summary::merge(summaries) else {
        return Err(errors.join("; "));
    };
    summary.elapsed = began.elapsed();
    let shared = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    summary.stopped = shared.stop.clone().or(summary.stopped);
    let secs = summary.elapsed.as_secs_f64().max(1e-9);
    let record = FuzzRecord {
        inputs: summary.cases,
        execs_per_second: summary.cases as f64 / secs,
        corpus: shared.corpus.entries.len() as u64,
        corpus_added: shared.corpus.added as u64,
        corpus_dir: shared.corpus.dir().map(|d| d.display().to_string()),
        features: shared.seen.len() as u64,
        first_divergence_seconds: shared.first_failure.map(|d| d.as_secs_f64()),
        slow_factor: config.slow_factor,
        median_cost_nanos: shared.median.as_nanos() as u64,
        slow: shared.slow,
    };
    Ok(Fuzzed {
        summary,
        record,
        name,
    })
}

fn stop_reason(config: &FuzzConfig, sh: &Shared, began: Instant) -> Option<String> {
    if crate::interrupt::requested() {
        return Some("the run was interrupted (SIGINT or SIGTERM)".into());
    }
    if let Some(s) = &sh.stop {
        return Some(s.clone());
    }
    if sh.timeouts >= 5 {
        return Some(format!(
            "the implementation stopped answering: {} inputs timed out, each after the whole timeout",
            sh.timeouts
        ));
    }
    if sh.failures >= config.max_failures.max(1) {
        return Some(format!(
            "stopped after {} divergences (--max-failures)",
            sh.failures
        ));
    }
    if config.inputs.is_some_and(|n| sh.next >= n) {
        return Some(format!("{} inputs run (--inputs)", sh.next));
    }
    if config.time.is_some_and(|t| began.elapsed() >= t) {
        return Some(format!(
            "the time limit of {} s was reached",
            config.time.unwrap_or_default().as_secs()
        ));
    }
    None
}

fn worker(
    j: usize,
    command: &str,
    config: &FuzzConfig,
    shared: &Mutex<Shared>,
    progress: &Mutex<&mut (dyn Progress + Send)>,
    began: Instant,
) -> Result<(Summary, String), String> {
    let (mut imp, name) = Process::started(command, config.timeout)?;
    let end = config.time.map(|t| began + t);
    imp.set_deadline(end);
    let lock = || shared.lock().unwrap_or_else(|e| e.into_inner());
    let mut summary = Summary::default();
    let mut last_status = Instant::now();
    loop {
        let (n, scenario) = {
            let mut sh = lock();
            if let Some(why) = stop_reason(config, &sh, began) {
                if sh.stop.is_none() && !crate::interrupt::requested() {
                    sh.stop = Some(why.clone());
                }
                summary.interrupted = crate::interrupt::requested();
                summary.stopped = Some(why);
                break;
            }
            let n = sh.next;
            sh.next += 1;
            (n, input(&mut sh, config, n))
        };
        let ran = run_one(&mut imp, &scenario, config.mode);
        observe(config, n, &scenario, &ran, began);
        // Cut short by the run itself: neither passed nor failed, not counted
        // (as `selc verify` does not count it).
        if ran.run.failure.as_ref().is_some_and(StepFailure::cut_short) {
            continue;
        }
        summary.cases += 1;
        summary.events += ran.run.events;
        summary.coverage.add_exercised(&ran.run.exercised);
        summary.interactions.merge(&ran.run.interactions);
        if let Some((set, size)) = &ran.domain {
            summary.domain.add(*set, size);
        }
        if let Some(f) = ran.run.failure {
            diverged(
                &mut imp,
                config,
                shared,
                &mut summary,
                n,
                scenario,
                f,
                began,
                progress,
            );
            continue;
        }
        let hits = features::of_case(&scenario, &ran.run, ran.cost, ran.domain.map(|d| d.0));
        let (median, timed) = {
            let mut sh = lock();
            if sh.seen.adds(&hits) {
                sh.seen.add(&hits);
                sh.corpus.add(scenario.clone());
            }
            sh.time(ran.cost);
            (sh.median, sh.times.len())
        };
        if timed >= TIMED_BEFORE_SLOW && median > Duration::ZERO {
            let limit = median.mul_f64(config.slow_factor);
            if ran.cost > limit && ran.took >= SLOW_FLOOR {
                slow_input(
                    &mut imp,
                    config,
                    shared,
                    n,
                    &scenario,
                    (ran.cost, limit, median),
                );
            }
        }
        if j == 0 {
            if let Some(every) = config.status_every {
                if last_status.elapsed() >= every {
                    last_status = Instant::now();
                    let sh = lock();
                    let line = status(&sh, began);
                    drop(sh);
                    if let Ok(mut p) = progress.lock() {
                        p.message(&line);
                    }
                }
            }
        }
    }
    Ok((summary, name))
}

fn status(sh: &Shared, began: Instant) -> String {
    let secs = began.elapsed().as_secs_f64().max(1e-9);
    format!(
        "{} inputs ({:.0}/s), corpus {} (+{}), features {}, divergences {}, slow inputs {}",
        sh.next,
        sh.next as f64 / secs,
        sh.corpus.entries.len(),
        sh.corpus.added,
        sh.seen.len(),
        sh.failures,
        sh.slow.len()
    )
}

/// A slow input must be slow again on two more runs (the fastest of the
/// three counts: one slow case is the machine's hiccup more often than the
/// program's); then each of its requests is sent alone and timed, and the
/// slowest is the one reported.
fn slow_input(
    imp: &mut dyn Driven,
    config: &FuzzConfig,
    shared: &Mutex<Shared>,
    n: u64,
    s: &Scenario,
    (first, limit, median): (Duration, Duration, Duration),
) {
    let mut cost = first;
    for _ in 0..2 {
        std::thread::sleep(SLOW_PAUSE);
        let ran = run_one(imp, s, config.mode);
        if ran.run.failure.is_some() || ran.cost <= limit || ran.took < SLOW_FLOOR {
            return;
        }
        cost = cost.min(ran.cost);
    }
    let times = time_each(imp, s);
    let Some((i, (line, t))) = times.iter().enumerate().max_by_key(|(_, (_, t))| *t) else {
        return;
    };
    let dir = config.save_to.join("slow");
    let file = std::fs::create_dir_all(&dir)
        .and_then(|_| {
            let p = dir.join(format!("slow-{n}.json"));
            let mut named = s.clone();
            named.name = Some(format!(
                "slow input: {:.0}× the median cost per request and system; request {i} took {} µs alone",
                cost.as_secs_f64() / median.as_secs_f64().max(1e-12),
                t.as_micros()
            ));
            std::fs::write(&p, named.to_json_string()).map(|_| p)
        })
        .ok();
    let mut sh = shared.lock().unwrap_or_else(|e| e.into_inner());
    sh.slow.push(SlowRecord {
        input: n,
        request_index: i as u64,
        request: crate::protocol::preview(line),
        micros: t.as_micros() as u64,
        cost_nanos: cost.as_nanos() as u64,
        median_cost_nanos: median.as_nanos() as u64,
        file: file.map(|p| p.display().to_string()),
    });
}

#[allow(clippy::too_many_arguments)]
fn diverged(
    imp: &mut Process,
    config: &FuzzConfig,
    shared: &Mutex<Shared>,
    summary: &mut Summary,
    n: u64,
    scenario: Scenario,
    f: crate::verify::StepFailure,
    began: Instant,
    progress: &Mutex<&mut (dyn Progress + Send)>,
) {
    {
        let mut sh = shared.lock().unwrap_or_else(|e| e.into_inner());
        if sh.failures >= config.max_failures.max(1) {
            return;
        }
        sh.failures += 1;
        sh.first_failure.get_or_insert(began.elapsed());
        sh.timeouts += usize::from(matches!(f.harness, Some(HarnessError::Timeout(_))));
    }
    let harness = f.harness.is_some();
    if let Ok(mut p) = progress.lock() {
        p.message(&format!(
            "DIVERGED fuzz input {n}: {}{}",
            crate::rules::join(&f.rules),
            if config.shrink { "; shrinking" } else { "" }
        ));
    }
    // Judged as `selc verify` judges: reported only if the case fails again
    // alone on a fresh start, then shrunk, the minimal case confirmed.
    imp.restart();
    let Some((f, confirmed)) = shrink::own(imp, config.mode, &config.budget, &scenario, f) else {
        return;
    };
    // A harness failure's candidates may each cost a timeout: they share the
    // run's small harness budget.
    let budget = if harness {
        shared.lock().map(|s| s.harness_budget).unwrap_or_default()
    } else {
        config.budget.scenario
    };
    let shrink = confirmed && config.shrink && budget > Duration::ZERO;
    let (scenario, step) = if shrink {
        let start = Instant::now();
        let end = (start + budget).min(
            config
                .time
                .map_or(start + budget, |t| (began + t).max(start)),
        );
        let found = shrink::minimal(
            imp,
            config.mode,
            &config.budget,
            (scenario, f),
            None,
            end,
            &|| end,
        );
        if harness {
            if let Ok(mut s) = shared.lock() {
                s.harness_budget = s.harness_budget.saturating_sub(start.elapsed());
            }
        }
        found
    } else {
        (scenario, f)
    };
    summary.coverage.add_failed(&step.rules);
    let mut failure = Failure::new(CaseId::Fuzz(n), &scenario, step, shrink);
    if let Err(why) = crate::verify::save::keep(&config.save_to, &mut failure) {
        if let Ok(mut p) = progress.lock() {
            p.message(&format!("{}: {why}", failure.case));
        }
    }
    summary.failures.push(failure);
}

/// `selc fuzz --minimize`: keep the smallest set of the corpus's inputs with
/// the same features (afl-cmin): for every (feature, bucket) pair, the
/// smallest input that has it. The latency buckets are left out: they are
/// the machine's as much as the input's. The others are removed from the
/// directory. Returns (inputs before, inputs kept).
pub fn minimize(command: &str, dir: &Path, config: &FuzzConfig) -> Result<(usize, usize), String> {
    let corpus = Corpus::open(Some(dir))?;
    if !corpus.unreadable.is_empty() {
        let (p, why) = &corpus.unreadable[0];
        return Err(format!(
            "{} is not a scenario ({why}); the corpus is left as it is",
            p.display()
        ));
    }
    let (mut imp, _) = Process::started(command, config.timeout)?;
    let mut scored = Vec::new();
    for e in &corpus.entries {
        let ran = run_one(&mut imp, &e.scenario, config.mode);
        let hits = features::of_case(
            &e.scenario,
            &ran.run,
            Duration::ZERO,
            ran.domain.map(|d| d.0),
        );
        let size = crate::verify::size_of(&e.scenario);
        scored.push((size.0 + size.1, e.origin.clone(), hits));
    }
    scored.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut seen = Seen::default();
    let mut keep = std::collections::HashSet::new();
    for (_, origin, hits) in &scored {
        if seen.add(hits) > 0 {
            keep.insert(origin.clone());
        }
    }
    for (_, origin, _) in &scored {
        if !keep.contains(origin) {
            std::fs::remove_file(origin).map_err(|e| format!("{origin}: {e}"))?;
        }
    }
    Ok((scored.len(), keep.len()))
}
