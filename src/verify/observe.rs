//! One observation per case, as each is judged (`--observe FILE.jsonl`): what
//! ran, how it was made, what it exercised, how it ended. The types are the
//! verifier's; `crate::report::observe` writes them as Hypothesis'
//! observability JSON lines, which Tyche and pandas read.

use std::fmt::Debug;
use std::time::{Duration, SystemTime};

use super::case::{CaseRun, StepFailure};
use crate::domain::cells::Size;
use crate::domain::DomainSet;
use crate::scenario::Scenario;

/// How a case was made: Hypothesis' `how_generated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// A shipped golden or regression scenario, or a file given by path.
    Shipped,
    /// A case of the exhaustive enumeration.
    Exhaustive,
    /// An invalid network, one clause broken.
    InvalidNetwork,
    /// An envelope probe.
    Envelope,
    /// A random case chosen by coverage steering among candidates.
    Steered,
    /// A random case, unsteered (`--no-steer`).
    Random,
    /// A fuzzing input: a corpus entry mutated, or a fresh case.
    Fuzzed,
}

impl How {
    /// Its name in the stream.
    pub fn as_str(self) -> &'static str {
        match self {
            How::Shipped => "shipped",
            How::Exhaustive => "exhaustive",
            How::InvalidNetwork => "invalid network",
            How::Envelope => "envelope",
            How::Steered => "steered",
            How::Random => "random",
            How::Fuzzed => "fuzzed",
        }
    }
}

/// How a case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The implementation agreed with the reference (per mode).
    Passed,
    /// It did not: the rules broken, and the message.
    Failed(String),
    /// The case could not be run (a shipped file that cannot be read), or
    /// the run itself cut it short (its time limit, an interruption): then it
    /// is neither passed nor failed.
    GaveUp(String),
}

impl Status {
    /// How `run` ended, as `selc verify` and `selc fuzz` both observe it.
    pub fn of(run: &CaseRun) -> Status {
        Status::of_failure(run.failure.as_ref())
    }

    /// How a case that failed with `failure`, or passed, ended.
    pub fn of_failure(failure: Option<&StepFailure>) -> Status {
        match failure {
            Some(f) if f.cut_short() => {
                Status::GaveUp(format!("cut short by the run: {}", f.message))
            }
            Some(f) => Status::Failed(format!("{}: {}", crate::rules::join(&f.rules), f.message)),
            None => Status::Passed,
        }
    }
}

/// One case, judged.
#[derive(Debug)]
pub struct Observation<'a> {
    /// The command the run is of (`verify`, `fuzz`, `diff`).
    pub command: &'static str,
    /// Which case (`random case 3`).
    pub case: String,
    /// Its position in its part.
    pub index: u64,
    /// How it was made.
    pub how: How,
    /// Its scenario, when it has one (an envelope probe is raw lines).
    pub scenario: Option<&'a Scenario>,
    /// What running it observed (`None`: it did not run).
    pub run: Option<&'a CaseRun>,
    /// How it ended.
    pub status: Status,
    /// The input-domain properties it exercises and its size.
    pub domain: Option<&'a (DomainSet, Size)>,
    /// From its turn to its verdict.
    pub took: Duration,
    /// When the run began.
    pub run_start: SystemTime,
    /// The run's seed and shard.
    pub seed: u64,
    /// `I/N`.
    pub shard: super::Shard,
}

/// Where observations go. Called from every worker of a run, one case at a
/// time each.
pub trait Observe: Debug + Send + Sync {
    /// A case was judged.
    fn case(&self, o: &Observation<'_>);
}
