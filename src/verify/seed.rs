//! Random cases: each derived from the run's seed and its index alone, so any
//! case, and any shard, can be rerun by itself.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::config::VerifyConfig;
use crate::gen::{scenario as scenario_strategy, GenConfig, ScenarioSpec};

/// A random case's spec with its shrinker.
pub type SpecTree = Box<dyn ValueTree<Value = ScenarioSpec>>;

/// The seed of random case `index` unsteered: candidate 0 of
/// [`crate::gen::steer::candidate_seed`].
pub fn case_seed(seed: u64, index: u64) -> [u8; 32] {
    crate::gen::steer::candidate_seed(seed, index, 0)
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
