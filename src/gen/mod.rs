//! Generators of random scenarios: [`spec`] holds the structured description
//! (with `arbitrary::Arbitrary` for fuzzing) and its rendering to a scenario file;
//! [`config`] the knobs; [`invalid`] invalid networks, one clause at a time; [`sample`] the distribution, biased toward rule boundaries;
//! [`seeded`] random case `index` of a seed; [`simplify`] the
//! shrinker; [`strategy`] both as a proptest strategy; [`large`]
//! deterministic large networks for stress runs and benchmarks.

pub mod config;
pub mod exhaustive;
pub mod invalid;
pub mod large;
pub mod sample;
pub mod seeded;
pub mod simplify;
pub mod spec;
pub mod strategy;

pub use config::GenConfig;
pub use spec::ScenarioSpec;
pub use strategy::scenario;
