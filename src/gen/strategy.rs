//! The proptest strategy over specs: the draw of
//! [`super::sample`] with the shrinker of [`super::simplify`], so properties
//! and `selc verify` draw from one distribution and shrink one way (toward
//! fewer systems and events, small counts and short times).

use proptest::strategy::{NewTree, Strategy};
use proptest::test_runner::TestRunner;

use super::config::GenConfig;
use super::sample::Draw;
use super::simplify::SpecShrinker;
use super::spec::ScenarioSpec;

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
