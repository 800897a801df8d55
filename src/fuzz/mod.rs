//! Fuzzing an implementation, not selc: [`target`] judges `arbitrary` inputs
//! against a Rust implementation in process (a libFuzzer target's body, as
//! wasmtime's differential oracles); [`run`] is `selc fuzz --impl CMD`, a
//! grey-box mutational fuzzer over scenarios for a program in any language,
//! guided by [`features`] read off the reference and the answers, keeping a
//! [`corpus`] of inputs between runs and mutating them with [`mutate`].
//! Both judge with the oracle of `selc verify` (`check::oracle`) and report
//! with its types, so a divergence reads, saves and replays as a failure of
//! `selc verify` does.

pub mod corpus;
pub mod features;
pub mod mutate;
pub mod run;
pub mod target;

pub use target::{check, judge, judge_scenario, stats, Options, Outcome, Stats};
