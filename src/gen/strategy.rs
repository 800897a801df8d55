//! The generator settings, and the proptest strategy over specs: the draw of
//! [`super::sample`] with the shrinker of [`super::simplify`], so properties
//! and `selc verify` draw from one distribution and shrink one way (toward
//! fewer systems and events, small counts and short times).

use proptest::strategy::{NewTree, Strategy};
use proptest::test_runner::TestRunner;

use super::sample::Draw;
use super::simplify::SpecShrinker;
use super::spec::ScenarioSpec;

/// Knobs for generated scenarios.
#[derive(Clone, Copy, Debug)]
pub struct GenConfig {
    /// Systems per network, at least 1 (R9.0 allows 2 servers + 30 expansions).
    pub max_systems: usize,
    /// Events per scenario.
    pub max_events: usize,
    /// Mix in events that must be rejected (R-ATOMIC).
    pub invalid_events: bool,
    /// Allow time jumps to the end of time (u64 saturation). Off for properties
    /// that shift time.
    pub huge_times: bool,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            max_systems: 32,
            max_events: 24,
            invalid_events: true,
            huge_times: true,
        }
    }
}

/// Random specs as a proptest strategy.
#[derive(Clone, Copy, Debug)]
pub struct SpecStrategy(GenConfig);

impl Strategy for SpecStrategy {
    type Tree = SpecShrinker;
    type Value = ScenarioSpec;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(SpecShrinker::new(Draw(runner.rng()).scenario(self.0)))
    }
}

/// A whole scenario.
pub fn scenario(config: GenConfig) -> SpecStrategy {
    SpecStrategy(config)
}
