//! Oracles over snapshots. They read snapshots (from the model or from an
//! implementation under test) and never call into the verifier or the CLI.

pub mod compare;
pub mod diff;

pub use compare::{compare_snapshots, Difference};
