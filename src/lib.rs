//! selc, the Server Edition Licensing Conformance suite: an executable reference
//! model of the licensing rules of an Avaya IP Office Server Edition network
//! (R6.0–R9.1), and tools to test implementations against it.
//!
//! Data flows one way: input ([`scenario`], [`protocol`]) → validation and the
//! [`model`] → [`model::Snapshot`] → [`check`] → [`report`]. The rules are
//! catalogued in [`rules`]; every module cites their IDs.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ahead;
pub mod bench;
pub mod check;
pub mod claim;
pub mod cli;
pub mod commands;
pub mod diff;
pub mod digest;
pub mod domain;
pub mod fuzz;
pub mod gen;
pub mod golden;
pub mod impls;
pub mod interrupt;
pub mod metamorphic;
pub mod model;
pub mod protocol;
pub mod report;
pub mod rules;
pub mod run;
pub mod scenario;
pub mod shell;
pub mod verify;
