//! Generators of random scenarios: [`spec`] holds the structured description
//! (with `arbitrary::Arbitrary` for fuzzing) and its rendering to a scenario file;
//! [`sample`] the distribution, biased toward rule boundaries; [`simplify`] the
//! shrinker; [`strategy`] both as a proptest strategy; [`large`]
//! deterministic large networks for stress runs and benchmarks.

pub mod exhaustive;
pub mod large;
pub mod sample;
pub mod simplify;
pub mod spec;
pub mod steer;
pub mod strategy;

pub use spec::ScenarioSpec;
pub use strategy::{scenario, GenConfig};
