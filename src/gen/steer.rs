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
        if self.saturated() {
            return candidate(config, seed, index, 0);
        }
        let mut best: Option<(f64, SpecTree, RuleCounts, CellCounts)> = None;
        for c in 0..CANDIDATES {
            let Some(tree) = candidate(config, seed, index, c) else {
                continue;
            };
            let (rules, cells) = of_scenario(&tree.current().render());
            let score = self.score(&rules, &cells);
            if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                best = Some((score, tree, rules, cells));
            }
        }
        let (_, tree, rules, cells) = best?;
        for (a, b) in self.rules.0.iter_mut().zip(rules.0) {
            *a += b;
        }
        self.cells.merge(&cells);
        Some(tree)
    }
}
