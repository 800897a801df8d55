//! Random cases: each derived from the run's seed and its index alone, so any
//! case, and any shard, can be rerun by itself.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::config::VerifyConfig;
use crate::gen::{scenario as scenario_strategy, GenConfig, ScenarioSpec};

/// A random case's spec with its shrinker.
pub type SpecTree = Box<dyn ValueTree<Value = ScenarioSpec>>;

/// The seed of random case `index` (splitmix64 of the run seed and the index).
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

/// The generator settings of the random cases.
pub fn gen_config(config: &VerifyConfig) -> GenConfig {
    GenConfig {
        max_systems: config.max_systems.max(1),
        max_events: config.max_events,
        invalid_events: true,
        huge_times: true,
    }
}

/// The strategy of the random cases.
pub fn strategy(config: &VerifyConfig) -> impl Strategy<Value = ScenarioSpec> {
    scenario_strategy(gen_config(config))
}

/// The spec of random case `index` unsteered (the first candidate of
/// [`crate::gen::steer`]), with its shrinker: what a run with `steer: false`
/// uses, and the benchmarks.
pub fn random_case(config: &VerifyConfig, index: u64) -> Option<SpecTree> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &case_seed(config.seed, index));
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    strategy(config)
        .new_tree(&mut runner)
        .ok()
        .map(|t| Box::new(t) as SpecTree)
}
