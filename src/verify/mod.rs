//! `selc verify`: replay the shipped scenarios, then random ones from
//! [`crate::gen`], against an implementation; shrink every failure to a minimal
//! scenario that still breaks the same rule; count rule coverage.

pub mod case;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::check::Mode;
use crate::gen::{scenario as scenario_strategy, GenConfig, ScenarioSpec};
use crate::impls::Implementation;
use crate::model::Model;
use crate::rules::RULES;
use crate::scenario::{Expect, Scenario};
pub use case::{run_case, CaseRun, StepFailure};

/// What to run.
#[derive(Clone, Debug)]
pub struct VerifyConfig {
    /// `strict` or `rules`.
    pub mode: Mode,
    /// Random cases (after the shipped scenarios).
    pub cases: u64,
    /// Seed of the random cases.
    pub seed: u64,
    /// Events per random case at most.
    pub max_events: usize,
    /// Systems per random network at most.
    pub max_systems: usize,
    /// This run's shard `(i, n)`, 1-based: cases with `index % n == i - 1`.
    pub shard: (u64, u64),
    /// Replay the shipped golden and regression scenarios first.
    pub golden: bool,
    /// Shrink failing random cases.
    pub shrink: bool,
    /// Stop looking after this many failures.
    pub max_failures: usize,
}

impl Default for VerifyConfig {
    fn default() -> Self {
        VerifyConfig {
            mode: Mode::Rules,
            cases: 200,
            seed: 0x5e1c,
            max_events: 24,
            max_systems: 8,
            shard: (1, 1),
            golden: true,
            shrink: true,
            max_failures: 10,
        }
    }
}

/// Where a case came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseId {
    /// A shipped scenario, by path.
    Shipped(String),
    /// Random case number `index` of the run's seed.
    Random(u64),
}

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseId::Shipped(p) => write!(f, "{p}"),
            CaseId::Random(i) => write!(f, "random case {i}"),
        }
    }
}

/// A failing case, shrunk.
#[derive(Clone, Debug)]
pub struct Failure {
    /// Which case.
    pub case: CaseId,
    /// What broke, at which step, on the shrunk scenario.
    pub step: StepFailure,
    /// The shrunk scenario, with the reference's expected snapshots filled in.
    pub scenario: Scenario,
    /// Systems and events of the shrunk scenario.
    pub size: (usize, usize),
    /// Where it was saved, when saved.
    pub saved: Option<PathBuf>,
}

/// How often a rule was exercised and failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleStats {
    /// Steps that exercised it.
    pub exercised: u64,
    /// Cases that failed it.
    pub failed: u64,
}

/// The result of a run.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Cases run (shipped + random in this shard).
    pub cases: u64,
    /// Events applied.
    pub events: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Every failure, shrunk.
    pub failures: Vec<Failure>,
    /// Per rule, in catalogue order.
    pub coverage: BTreeMap<&'static str, RuleStats>,
}

impl Summary {
    /// No failure.
    pub fn compliant(&self) -> bool {
        self.failures.is_empty()
    }
}

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

/// The seed of random case `index` (splitmix64 of the run seed and the index), so
/// that any case, and any shard, can be rerun alone.
pub fn case_seed(seed: u64, index: u64) -> [u8; 32] {
    let mut x = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

/// The strategy of the random cases.
pub fn strategy(config: &VerifyConfig) -> impl Strategy<Value = ScenarioSpec> {
    scenario_strategy(GenConfig {
        max_systems: config.max_systems.max(1),
        max_events: config.max_events,
        invalid_events: true,
        huge_times: true,
    })
}

/// The spec of random case `index`, with its shrinker.
pub fn random_case(
    config: &VerifyConfig,
    index: u64,
) -> Option<Box<dyn ValueTree<Value = ScenarioSpec>>> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &case_seed(config.seed, index));
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    strategy(config)
        .new_tree(&mut runner)
        .ok()
        .map(|t| Box::new(t) as Box<_>)
}

/// Fill in the reference model's expected snapshots (strict), so that the saved
/// scenario is also a golden file `selc run` can check without an implementation.
pub fn with_expectations(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    match Model::load(&s.network, "network") {
        Err(_) => {
            s.expect_initial = Some(Expect::Error(crate::scenario::ErrorCode::InvalidNetwork));
            s.events.clear();
            s.expect = None;
        }
        Ok(mut m) => {
            s.expect_initial = Some(Expect::Snapshot(Box::new(m.snapshot().clone())));
            let expect = s
                .events
                .iter()
                .map(|e| {
                    Some(match m.apply_json(e, "event") {
                        Ok(snap) => Expect::Snapshot(Box::new(snap.clone())),
                        Err(_) => Expect::Error(crate::scenario::ErrorCode::InvalidEvent),
                    })
                })
                .collect();
            s.expect = Some(expect);
        }
    }
    s
}

fn size_of(s: &Scenario) -> (usize, usize) {
    let systems = s.network["systems"].as_array().map_or(0, Vec::len);
    (systems, s.events.len())
}

/// Shrink a failing random case: the smallest spec that still fails with
/// `rule` among its broken rules. Returns the shrunk scenario and its failure.
fn shrink(
    imp: &mut dyn Implementation,
    mut tree: Box<dyn ValueTree<Value = ScenarioSpec>>,
    rule: &'static str,
    first: (Scenario, StepFailure),
    mode: Mode,
    budget: Duration,
) -> (Scenario, StepFailure) {
    let start = Instant::now();
    let mut best = first;
    let fails =
        |spec: &ScenarioSpec, imp: &mut dyn Implementation| -> Option<(Scenario, StepFailure)> {
            let s = spec.render();
            let run = run_case(imp, &s, mode);
            let f = run.failure?;
            f.rules.contains(&rule).then_some((s, f))
        };
    let mut iterations = 0;
    if !tree.simplify() {
        return best;
    }
    loop {
        iterations += 1;
        if iterations > 5000 || start.elapsed() > budget {
            break;
        }
        let more = match fails(&tree.current(), imp) {
            Some(found) => {
                best = found;
                tree.simplify()
            }
            None => tree.complicate(),
        };
        if !more {
            break;
        }
    }
    best
}

/// Second stage of shrinking, on the scenario itself (so it also serves shipped
/// scenarios): drop whole systems (with the events that name them) and single
/// events while the case still fails with `rule`, until nothing more can go.
fn shrink_scenario(
    imp: &mut dyn Implementation,
    mut best: (Scenario, StepFailure),
    rule: &'static str,
    mode: Mode,
    budget: Duration,
) -> (Scenario, StepFailure) {
    let start = Instant::now();
    let fails = |s: &Scenario, imp: &mut dyn Implementation| {
        let f = run_case(imp, s, mode).failure?;
        f.rules.contains(&rule).then_some(f)
    };
    loop {
        let mut progress = false;
        let names: Vec<(String, bool)> = best.0.network["systems"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        (
                            s["name"].as_str().unwrap_or("").to_string(),
                            s["role"] == "primary",
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (name, primary) in names {
            if primary || start.elapsed() > budget {
                continue;
            }
            let mut s = best.0.clone();
            if let Some(a) = s.network["systems"].as_array_mut() {
                a.retain(|x| x["name"] != name.as_str());
            }
            s.events.retain(|e| {
                e.as_object()
                    .and_then(|o| o.values().next())
                    .and_then(|b| b.get("system"))
                    .is_none_or(|n| n != name.as_str())
            });
            if let Some(f) = fails(&s, imp) {
                best = (s, f);
                progress = true;
            }
        }
        let mut i = 0;
        while i < best.0.events.len() && start.elapsed() <= budget {
            let mut s = best.0.clone();
            s.events.remove(i);
            match fails(&s, imp) {
                Some(f) => {
                    best = (s, f);
                    progress = true;
                }
                None => i += 1,
            }
        }
        if !progress || start.elapsed() > budget {
            return best;
        }
    }
}

/// A random case generated (and perhaps sent) ahead of its turn: index, shrinker,
/// scenario, and what was sent.
type Ahead = (
    u64,
    Box<dyn ValueTree<Value = ScenarioSpec>>,
    Scenario,
    Option<case::Sent>,
);

/// Run the whole verification: shipped scenarios, then this shard's random cases.
pub fn verify(
    imp: &mut dyn Implementation,
    config: &VerifyConfig,
    save_to: Option<&Path>,
    progress: &mut dyn Progress,
) -> Summary {
    let start = Instant::now();
    let mut summary = Summary {
        cases: 0,
        events: 0,
        elapsed: Duration::ZERO,
        failures: Vec::new(),
        coverage: RULES.iter().map(|r| (r.id, RuleStats::default())).collect(),
    };
    let (shard, shards) = (config.shard.0.max(1), config.shard.1.max(1));
    let shipped: Vec<(&str, &str)> = if config.golden {
        crate::golden::scenarios()
            .iter()
            .enumerate()
            .filter(|(i, _)| (*i as u64) % shards == shard - 1)
            .map(|(_, x)| *x)
            .collect()
    } else {
        Vec::new()
    };
    let random: Vec<u64> = (0..config.cases)
        .filter(|i| i % shards == shard - 1)
        .collect();
    let total = (shipped.len() + random.len()) as u64;
    let record = |summary: &mut Summary, run: &CaseRun| {
        summary.cases += 1;
        summary.events += run.events;
        for (rule, n) in RULES.iter().zip(run.exercised.0) {
            if let Some(s) = summary.coverage.get_mut(rule.id) {
                s.exercised += n;
            }
        }
    };
    for (path, text) in shipped {
        let Ok(s) = Scenario::from_json_str(text) else {
            continue;
        };
        let run = run_case(imp, &s, config.mode);
        record(&mut summary, &run);
        if let Some(f) = run.failure {
            progress.message(&format!("FAIL {path}: {}", f.rules.join(", ")));
            let rule = f.rules[0];
            let (s, f) = if config.shrink {
                shrink_scenario(imp, (s, f), rule, config.mode, Duration::from_secs(15))
            } else {
                (s, f)
            };
            summary.failures.push(Failure {
                case: CaseId::Shipped(path.to_string()),
                size: size_of(&s),
                scenario: with_expectations(&s),
                step: f,
                saved: None,
            });
        }
        progress.update(summary.cases, total, summary.failures.len());
    }
    // Random cases are pipelined across cases too: the next case is generated
    // and sent before the current one is judged, so the implementation never
    // waits for the harness.
    let prepare = |index: u64| {
        random_case(config, index).map(|t| {
            let s = t.current().render();
            (index, t, s)
        })
    };
    let mut queue = random.into_iter();
    let mut ahead: Option<Ahead> = None;
    loop {
        if summary.failures.len() >= config.max_failures {
            imp.discard();
            break;
        }
        let (index, tree, s, sent) = match ahead.take() {
            Some(c) => c,
            None => match queue.next().and_then(prepare) {
                Some((i, t, s)) => (i, t, s, None),
                None => break,
            },
        };
        let sent = sent.unwrap_or_else(|| case::send_case(imp, &s));
        if let Some((i, t, next)) = queue.next().and_then(prepare) {
            let next_sent = case::send_case(imp, &next);
            ahead = Some((i, t, next, Some(next_sent)));
        }
        let run = case::judge_case(imp, &s, config.mode, sent);
        record(&mut summary, &run);
        if let Some(f) = run.failure {
            // Whatever was sent ahead is dropped, and sent again later.
            imp.discard();
            if let Some(a) = ahead.as_mut() {
                a.3 = None;
            }
            let rule = f.rules[0];
            progress.message(&format!(
                "FAIL random case {index}: {}; shrinking",
                f.rules.join(", ")
            ));
            let (s, f) = if config.shrink {
                let found = shrink(
                    imp,
                    tree,
                    rule,
                    (s, f),
                    config.mode,
                    Duration::from_secs(45),
                );
                shrink_scenario(imp, found, rule, config.mode, Duration::from_secs(15))
            } else {
                (s, f)
            };
            summary.failures.push(Failure {
                case: CaseId::Random(index),
                size: size_of(&s),
                scenario: with_expectations(&s),
                step: f,
                saved: None,
            });
        }
        progress.update(summary.cases, total, summary.failures.len());
    }
    for f in &mut summary.failures {
        for id in &f.step.rules {
            if let Some(s) = summary.coverage.get_mut(id) {
                s.failed += 1;
            }
        }
        if let Some(dir) = save_to {
            f.saved = save(dir, f).ok();
        }
    }
    summary.elapsed = start.elapsed();
    summary
}

fn save(dir: &Path, f: &Failure) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let tag = match &f.case {
        CaseId::Shipped(p) => p.replace(['/', '.'], "_"),
        CaseId::Random(i) => format!("case-{i}"),
    };
    let path = dir.join(format!("{}-{tag}.json", f.step.rules[0].to_lowercase()));
    let mut s = f.scenario.clone();
    s.name = Some(format!("{}: {}", f.step.rules.join(", "), f.step.message));
    s.rules = f.step.rules.iter().map(|r| r.to_string()).collect();
    std::fs::write(&path, s.to_json_string())?;
    Ok(path)
}
