//! Coverage-steered random generation (anchors: PropEr's targeted
//! property-based testing, Hypothesis' `target()`). The guidance signal is the
//! reference model's own rule hits and interaction cells, so it works for an
//! implementation in any language without instrumenting it.
//!
//! For each random case, a few candidate specs are drawn from seeds derived from
//! the run's seed and the case's index; each is run through the reference model
//! alone, and the one that adds most where the run so far is thinnest is kept.
//! What "so far" means is the reference's coverage of the cases chosen before,
//! every index counted whatever the shard, so the choice depends on the seed and
//! the index only: never on timing, the implementation, or sharding, and any case
//! replays from `--seed` and its index.

use std::sync::{Condvar, Mutex};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::{strategy::scenario, GenConfig, ScenarioSpec};
use crate::check::coverage::{of_scenario, CellCounts, CELLS};
use crate::rules::{RuleCounts, RULES};

/// A spec with its shrinker.
pub type SpecTree = Box<dyn ValueTree<Value = ScenarioSpec>>;

/// How many candidates each random case is chosen from.
pub const CANDIDATES: u64 = 4;
/// Steering ends once every rule has been exercised this often by the chosen
/// cases...
pub const ENOUGH_PER_RULE: u64 = 500;
/// ...and every interaction cell hit this often: from then on each case is its
/// first candidate, and nothing is run through the reference to choose it (the
/// counts only grow, so steering never resumes).
pub const ENOUGH_PER_CELL: u64 = 50;

/// The steering state of one run: the reference's coverage of the cases
/// chosen so far.
#[derive(Clone, Debug, Default)]
pub struct Steering {
    rules: RuleCounts,
    cells: CellCounts,
}

/// The seed of candidate `c` of case `index` (splitmix64 of the run seed, the
/// index and the candidate); candidate 0 is the unsteered case.
pub fn candidate_seed(seed: u64, index: u64, candidate: u64) -> [u8; 32] {
    let mut x = (seed ^ candidate.wrapping_mul(0xD1B5_4A32_D192_ED03))
        ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
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

/// Candidate `c` of case `index`, with its shrinker.
pub fn candidate(config: GenConfig, seed: u64, index: u64, c: u64) -> Option<SpecTree> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &candidate_seed(seed, index, c));
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    scenario(config)
        .new_tree(&mut runner)
        .ok()
        .map(|t| Box::new(t) as SpecTree)
}

impl Steering {
    /// No case chosen yet.
    pub fn new() -> Steering {
        Steering::default()
    }

    /// How much a case with these hits adds: for each rule and cell it hits,
    /// more the less the run has hit it so far.
    fn score(&self, rules: &RuleCounts, cells: &CellCounts) -> f64 {
        let gain = |hit: u64, so_far: u64| {
            if hit > 0 {
                1.0 / (1.0 + so_far as f64)
            } else {
                0.0
            }
        };
        let r: f64 = (0..RULES.len())
            .map(|i| gain(rules.0[i], self.rules.0[i]))
            .sum();
        let c: f64 = (0..CELLS).map(|i| gain(cells.0[i], self.cells.0[i])).sum();
        r + c
    }

    /// Whether every rule and cell has been exercised enough: steering is over.
    pub fn saturated(&self) -> bool {
        self.rules.0.iter().all(|&n| n >= ENOUGH_PER_RULE)
            && self.cells.0.iter().all(|&n| n >= ENOUGH_PER_CELL)
    }

    /// Choose case `index`: the candidate that adds most (the first on a tie),
    /// and count what it exercises.
    pub fn next(&mut self, config: GenConfig, seed: u64, index: u64) -> Option<SpecTree> {
        self.pick(config, seed, index).map(|(_, tree)| tree)
    }

    /// Which candidate case `index` is (see [`Steering::next`]).
    pub fn choose(&mut self, config: GenConfig, seed: u64, index: u64) -> u64 {
        self.pick(config, seed, index).map_or(0, |(c, _)| c)
    }

    fn pick(&mut self, config: GenConfig, seed: u64, index: u64) -> Option<(u64, SpecTree)> {
        if self.saturated() {
            return candidate(config, seed, index, 0).map(|t| (0, t));
        }
        let mut best: Option<(f64, u64, SpecTree, RuleCounts, CellCounts)> = None;
        for c in 0..CANDIDATES {
            let Some(tree) = candidate(config, seed, index, c) else {
                continue;
            };
            let (rules, cells) = of_scenario(&tree.current().render());
            let score = self.score(&rules, &cells);
            if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                best = Some((score, c, tree, rules, cells));
            }
        }
        let (_, c, tree, rules, cells) = best?;
        for (a, b) in self.rules.0.iter_mut().zip(rules.0) {
            *a += b;
        }
        self.cells.merge(&cells);
        Some((c, tree))
    }
}

/// The candidate of every random case of a run, chosen once, in index order,
/// by one thread ([`Choices::steer`]) and read by any number of workers
/// ([`Choices::get`]). With `--jobs`, each worker's cases are then those of
/// the one steering of the whole run (the cases of a run with one worker), and
/// steering is paid for once, not once per worker.
pub struct Choices {
    config: GenConfig,
    seed: u64,
    cases: u64,
    steer: bool,
    state: Mutex<ChoiceState>,
    ready: Condvar,
}

#[derive(Default)]
struct ChoiceState {
    /// The candidate of each index chosen so far.
    chosen: Vec<u8>,
    /// Steering saturated here: this index and every later one is candidate 0.
    saturated_from: Option<u64>,
    /// The run is over: nobody waits for more choices.
    stopped: bool,
}

impl Choices {
    /// The choices of a run's random cases (`cases` at most); all candidate 0
    /// without `steer`.
    pub fn new(config: GenConfig, seed: u64, cases: u64, steer: bool) -> Choices {
        Choices {
            config,
            seed,
            cases,
            steer,
            state: Mutex::new(ChoiceState::default()),
            ready: Condvar::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ChoiceState> {
        // A panic elsewhere cannot leave the choices half-written: each is
        // pushed whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Choose every case in index order until all are chosen, steering
    /// saturates, or [`Choices::stop`]: run it in a thread of its own.
    pub fn steer(&self) {
        if !self.steer {
            return;
        }
        // However steering ends (all chosen, saturated, stopped, or a panic),
        // nobody waits for a choice that will never come.
        struct Close<'a>(&'a Choices);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                self.0.stop();
            }
        }
        let _close = Close(self);
        let mut steering = Steering::new();
        for index in 0..self.cases {
            if self.state().stopped {
                return;
            }
            if steering.saturated() {
                self.state().saturated_from = Some(index);
                self.ready.notify_all();
                return;
            }
            let c = steering.choose(self.config, self.seed, index);
            self.state().chosen.push(c as u8);
            self.ready.notify_all();
        }
    }

    /// The candidate of case `index`, waiting until it is chosen; `None` once
    /// the run is stopped.
    pub fn get(&self, index: u64) -> Option<u64> {
        if !self.steer {
            return Some(0);
        }
        let mut state = self.state();
        loop {
            if let Some(&c) = state.chosen.get(index as usize) {
                return Some(u64::from(c));
            }
            if state.saturated_from.is_some_and(|k| index >= k) || index >= self.cases {
                return Some(0);
            }
            if state.stopped {
                return None;
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The run is over: [`Choices::steer`] returns, and a wait for a choice not
    /// made gets `None`.
    pub fn stop(&self) {
        self.state().stopped = true;
        self.ready.notify_all();
    }
}
