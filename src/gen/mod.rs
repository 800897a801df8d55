//! Generators of random scenarios: [`spec`] holds the structured description
//! (with `arbitrary::Arbitrary` for fuzzing) and its rendering to a scenario file;
//! [`strategy`] the proptest strategies, biased toward rule boundaries; [`large`]
//! deterministic large networks for stress runs and benchmarks.

pub mod exhaustive;
pub mod large;
pub mod spec;
pub mod steer;
pub mod strategy;

pub use spec::ScenarioSpec;
pub use strategy::{scenario, GenConfig};
