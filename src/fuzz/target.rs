//! In-process differential fuzzing of a Rust implementation (anchor:
//! wasmtime's `crates/fuzzing` oracles and its `differential` target): a
//! libFuzzer target turns its bytes into a [`ScenarioSpec`] (the generators
//! `selc verify` draws from, identifier styles and release spellings
//! included), and [`check`] runs it against the implementation and the
//! reference and judges it with the oracle of `selc verify`
//! ([`run_case`], R-* rules, `rules` or `strict` mode).
//!
//! On a divergence the case is shrunk, saved as a scenario file that `selc
//! run` replays, and the target panics with the text `selc verify` prints. An
//! input the implementation answers with [`HarnessError::Unsupported`] is
//! skipped. Every [`Options::stats_every`] inputs, a line of statistics goes to
//! stderr (as wasmtime's `RuntimeStats`).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::check::Mode;
use crate::gen::simplify::shrinker;
use crate::gen::ScenarioSpec;
use crate::impls::{Driven, HarnessError, Implementation, InProcess};
use crate::rules::{RuleCounts, RULES};
use crate::scenario::Scenario;
use crate::verify::shrink::Shrinker;
use crate::verify::{run_case, CaseId, Failure, ShrinkBudget};

/// How [`check`] judges and reports.
#[derive(Clone, Debug)]
pub struct Options {
    /// The compliance mode (`rules` by default, as `selc verify`).
    pub mode: Mode,
    /// Where a divergence is saved (`selc-failures`, as `selc verify`).
    pub save_to: Option<PathBuf>,
    /// A statistics line every this many inputs; 0: never.
    pub stats_every: u64,
    /// How long shrinking a divergence may take.
    pub shrink: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: Mode::Rules,
            save_to: Some(PathBuf::from("selc-failures")),
            stats_every: 10_000,
            shrink: Duration::from_secs(10),
        }
    }
}

impl Options {
    /// The defaults, changed by the environment: `SELC_FUZZ_MODE`
    /// (`rules`/`strict`), `SELC_FUZZ_SAVE` (a directory, or empty for none),
    /// `SELC_FUZZ_STATS` (inputs between statistics lines, 0 for none). A value
    /// that does not parse is named on stderr and the default kept: a fuzz
    /// target has no other way to say so.
    pub fn from_env() -> Options {
        let mut o = Options::default();
        if let Ok(m) = std::env::var("SELC_FUZZ_MODE") {
            match serde_json::from_value(serde_json::Value::String(m.clone())) {
                Ok(mode) => o.mode = mode,
                Err(_) => eprintln!(
                    "selc::fuzz: SELC_FUZZ_MODE={m:?} is not rules or strict; using rules"
                ),
            }
        }
        if let Ok(dir) = std::env::var("SELC_FUZZ_SAVE") {
            o.save_to = (!dir.is_empty()).then(|| PathBuf::from(dir));
        }
        if let Ok(n) = std::env::var("SELC_FUZZ_STATS") {
            match n.parse() {
                Ok(n) => o.stats_every = n,
                Err(_) => eprintln!(
                    "selc::fuzz: SELC_FUZZ_STATS={n:?} is not a count; using {}",
                    o.stats_every
                ),
            }
        }
        o
    }
}

/// What one input came to.
#[derive(Debug)]
pub enum Outcome {
    /// The implementation agreed with the reference at every step.
    Agreed,
    /// The implementation does not support a request of this input.
    Skipped(String),
    /// A divergence, shrunk (and saved, if [`Options::save_to`]).
    Diverged(Box<Failure>),
}

/// What the inputs so far came to, for the statistics line.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Inputs judged.
    pub inputs: u64,
    /// Inputs skipped as not supported.
    pub skipped: u64,
    /// Inputs that diverged.
    pub diverged: u64,
    /// Steps per rule.
    pub rules: RuleCounts,
    /// The most systems and events of one input.
    pub max_systems: u64,
    /// The most events of one input.
    pub max_events: u64,
    /// Inputs with more than 32 systems.
    pub above_32: u64,
}

impl Stats {
    /// One line: inputs, skips, divergences, sizes and the least-hit rules.
    pub fn line(&self) -> String {
        let mut least: Vec<(u64, &str)> = RULES
            .iter()
            .enumerate()
            .map(|(i, r)| (self.rules.0[i], r.id.as_str()))
            .collect();
        least.sort();
        let hit = least.iter().filter(|(n, _)| *n > 0).count();
        let least: Vec<String> = least
            .iter()
            .take(3)
            .map(|(n, r)| format!("{r} {n}"))
            .collect();
        format!(
            "selc::fuzz: {} inputs, {} skipped (not supported), {} diverged; rules hit {hit}/{}, least: {}; up to {} systems ({} inputs above 32), {} events",
            self.inputs,
            self.skipped,
            self.diverged,
            RULES.len(),
            least.join(", "),
            self.max_systems,
            self.above_32,
            self.max_events
        )
    }
}

static STATS: Mutex<Option<Stats>> = Mutex::new(None);

/// The statistics of this process's inputs so far.
pub fn stats() -> Stats {
    STATS
        .lock()
        .map(|s| s.clone().unwrap_or_default())
        .unwrap_or_default()
}

fn count<R>(every: u64, f: impl FnOnce(&mut Stats) -> R) -> R {
    // A panic in another input (a divergence) leaves whole counts behind.
    let mut guard = STATS.lock().unwrap_or_else(|e| e.into_inner());
    let s = guard.get_or_insert_with(Stats::default);
    let out = f(s);
    if every > 0 && s.inputs.is_multiple_of(every) {
        eprintln!("{}", s.line());
    }
    out
}

/// Judge `spec` against `imp` as `selc verify` judges a random case: the
/// same rendering, the same oracle, the same shrinking (spec, then scenario).
pub fn judge(imp: &mut dyn Driven, spec: &ScenarioSpec, options: &Options) -> Outcome {
    judged(imp, spec.render(), Some(spec), options)
}

/// Judge a scenario (a corpus entry, a shipped scenario) as [`judge`] judges a
/// spec; a divergence is shrunk on the scenario alone.
pub fn judge_scenario(imp: &mut dyn Driven, scenario: &Scenario, options: &Options) -> Outcome {
    judged(imp, scenario.clone(), None, options)
}

fn judged(
    imp: &mut dyn Driven,
    scenario: Scenario,
    spec: Option<&ScenarioSpec>,
    options: &Options,
) -> Outcome {
    let run = run_case(imp, &scenario, options.mode);
    let size = crate::verify::size_of(&scenario);
    let skipped = match &run.failure {
        Some(f) => match &f.harness {
            Some(HarnessError::Unsupported(why)) => Some(why.clone()),
            _ => None,
        },
        None => None,
    };
    let n = count(0, |s| {
        s.inputs += 1;
        s.inputs
    });
    let outcome = match (run.failure, skipped) {
        (None, _) => Outcome::Agreed,
        (Some(_), Some(why)) => Outcome::Skipped(why),
        (Some(f), None) => {
            imp.restart();
            let budget = ShrinkBudget {
                spec: options.shrink,
                scenario: options.shrink,
                ..ShrinkBudget::default()
            };
            let end = Instant::now() + options.shrink;
            let mut shrinking = Shrinker::new(imp, options.mode, &f, &budget);
            let found = match spec {
                Some(spec) => shrinking.spec(shrinker(spec.clone()), (scenario, f), end),
                None => (scenario, f),
            };
            let (scenario, step) = shrinking.scenario(found, end + options.shrink);
            imp.restart();
            let mut failure = Failure::new(CaseId::Fuzz(n), &scenario, step, true);
            if let Some(dir) = &options.save_to {
                // A failure not saved says why in its text (`save_error`).
                let _ = crate::verify::save::keep(dir, &mut failure);
            }
            Outcome::Diverged(Box::new(failure))
        }
    };
    count(options.stats_every, |s| {
        for (a, b) in s.rules.0.iter_mut().zip(&run.exercised.0) {
            *a += b;
        }
        s.max_systems = s.max_systems.max(size.0 as u64);
        s.max_events = s.max_events.max(size.1 as u64);
        s.above_32 += u64::from(size.0 > 32);
        match &outcome {
            Outcome::Skipped(_) => s.skipped += 1,
            Outcome::Diverged(_) => s.diverged += 1,
            Outcome::Agreed => {}
        }
    });
    outcome
}

/// The body of a fuzz target: judge `spec` against `imp` in process, and
/// panic on a divergence with the text `selc verify` prints (rules, diff,
/// request) and where the scenario was saved.
///
/// ```ignore
/// fuzz_target!(|spec: selc::gen::ScenarioSpec| {
///     selc::fuzz::check(MyEngine::default(), &spec, &selc::fuzz::Options::from_env());
/// });
/// ```
pub fn check<I: Implementation>(imp: I, spec: &ScenarioSpec, options: &Options) {
    let mut driven = InProcess::new(imp);
    if let Outcome::Diverged(f) = judge(&mut driven, spec, options) {
        let text = crate::report::terminal::failure_text(&f, None);
        let replay = match (&f.saved, &f.save_error) {
            (Some(p), _) => format!("saved: {} (replay: selc run {})", p.display(), p.display()),
            (None, Some(e)) => format!("not saved: {e}"),
            (None, None) => "not saved (no directory given)".into(),
        };
        panic!("selc::fuzz: the implementation diverged from the reference\n{text}\n{replay}");
    }
}
