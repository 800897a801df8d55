//! The random part's settings: each random case is derived from the run's seed
//! and its index alone ([`crate::gen::seeded`]), so any case, and any shard,
//! can be rerun by itself.

use proptest::strategy::Strategy;

use super::config::VerifyConfig;
use super::steer::Choices;
use crate::gen::seeded::candidate;
pub use crate::gen::simplify::SpecTree;
use crate::gen::{scenario as scenario_strategy, GenConfig, ScenarioSpec};

/// The generator settings of the random cases.
pub fn gen_config(config: &VerifyConfig) -> GenConfig {
    GenConfig {
        max_systems: config.max_systems.max(1),
        min_systems: 0,
        max_events: config.max_events,
        max_licenses: config.max_licenses,
        min_licenses: 0,
        invalid_events: true,
        huge_times: true,
    }
}

/// The random cases' candidates for a run of `config` (steered or not), to be
/// chosen by [`Choices::steer`] on a thread of its own.
pub fn choices(config: &VerifyConfig) -> Choices {
    Choices::new(gen_config(config), config.seed, config.cases, config.steer)
}

/// The strategy of the random cases.
pub fn strategy(config: &VerifyConfig) -> impl Strategy<Value = ScenarioSpec> {
    scenario_strategy(gen_config(config))
}

/// The spec of random case `index` unsteered (the first candidate of
/// [`crate::gen::seeded`]): what a run with `steer: false` uses, and the
/// benchmarks.
pub fn random_case(config: &VerifyConfig, index: u64) -> ScenarioSpec {
    candidate(gen_config(config), config.seed, index, 0)
}
