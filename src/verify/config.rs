//! What a `selc verify` run is asked to do: the cases, the mode, and the budgets
//! that bound its cost whatever the implementation does.

use std::time::Duration;

use crate::check::Mode;
use crate::gen::exhaustive::Scope;

/// How much time shrinking one failure may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShrinkBudget {
    /// Shrinking a random case's spec (proptest's shrinker).
    pub spec: Duration,
    /// Dropping systems and events of the scenario itself.
    pub scenario: Duration,
    /// Candidates tried at most, over both stages.
    pub candidates: u32,
    /// Total time, over the whole run, for shrinking harness failures (timeout,
    /// crash, garbage), each candidate of which may cost a timeout.
    pub harness: Duration,
}

impl Default for ShrinkBudget {
    fn default() -> Self {
        ShrinkBudget {
            spec: Duration::from_secs(45),
            scenario: Duration::from_secs(15),
            candidates: 5000,
            harness: Duration::from_secs(10),
        }
    }
}

/// Systems of the largest random networks by default: the 150 of later Server
/// Edition networks, and a few beyond (the spec sets no limit).
pub const DEFAULT_MAX_SYSTEMS: usize = 160;
/// Events of the longest random histories by default.
pub const DEFAULT_MAX_EVENTS: usize = 220;
/// Licenses of the longest random configurations by default.
pub const DEFAULT_MAX_LICENSES: usize = 70;

/// What to run.
#[derive(Clone, Debug)]
pub struct VerifyConfig {
    /// `strict` or `rules`.
    pub mode: Mode,
    /// Random cases (after the shipped and exhaustive ones); with `time`, a cap.
    pub cases: u64,
    /// Run random cases until this much time has passed since the run began,
    /// instead of an exact count.
    pub time: Option<Duration>,
    /// Run every scenario of this scope first (bounded-exhaustive).
    pub exhaustive: Option<Scope>,
    /// Start the exhaustive part at this position (resuming a run).
    pub resume_from: u64,
    /// Steer the random cases toward what the run has exercised least
    /// ([`crate::verify::steer`]).
    pub steer: bool,
    /// Reduce the exhaustive part by symmetry (the default; off only to check
    /// that reduction changes no verdict).
    pub symmetry: bool,
    /// Seed of the random cases.
    pub seed: u64,
    /// Events per random case at most (most cases have far fewer:
    /// [`crate::gen::seeded::sized`]).
    pub max_events: usize,
    /// Systems per random network at most (most have far fewer).
    pub max_systems: usize,
    /// Licenses per configuration of a random case at most, besides its
    /// Server Edition license (most have far fewer).
    pub max_licenses: usize,
    /// This run's shard: the cases of each part whose position `p` has
    /// `p % n == i - 1`.
    pub shard: super::shard::Shard,
    /// Replay the shipped golden and regression scenarios first.
    pub golden: bool,
    /// Send invalid networks, one clause broken in each
    /// ([`super::source::InvalidNetworks`]).
    pub invalid_networks: bool,
    /// Probe the protocol's envelope ([`super::envelope`]).
    pub envelope: bool,
    /// Shrink failing cases.
    pub shrink: bool,
    /// Shrinking budgets.
    pub budget: ShrinkBudget,
    /// Stop looking after this many failures.
    pub max_failures: usize,
    /// Stop after this many cases in a row fail on the harness (no answer,
    /// crash, garbage): the implementation has stopped answering.
    pub max_consecutive_harness_failures: usize,
    /// Stop after this many cases in all time out: each costs a whole timeout.
    pub max_timeouts: usize,
    /// Wall-clock cap of the whole run; it then ends with its report.
    pub time_limit: Option<Duration>,
    /// Threads making this run's cases ahead (by default `ahead::makers`): one
    /// per core alone, fewer when `--jobs` runs several workers on the cores.
    pub makers: usize,
    /// Digest each case's exchange with the implementation
    /// ([`super::exchange`]), for a claim.
    pub exchange_digest: bool,
    /// Where each case is told as it is judged (`--observe`).
    pub observe: Option<std::sync::Arc<dyn super::observe::Observe>>,
}

impl Default for VerifyConfig {
    fn default() -> Self {
        VerifyConfig {
            mode: Mode::Rules,
            cases: 200,
            time: None,
            exhaustive: None,
            resume_from: 0,
            symmetry: true,
            steer: true,
            seed: 0x5e1c,
            max_events: DEFAULT_MAX_EVENTS,
            max_systems: DEFAULT_MAX_SYSTEMS,
            max_licenses: DEFAULT_MAX_LICENSES,
            shard: super::shard::Shard::WHOLE,
            golden: true,
            invalid_networks: true,
            envelope: true,
            shrink: true,
            budget: ShrinkBudget::default(),
            max_failures: 10,
            max_consecutive_harness_failures: 3,
            max_timeouts: 5,
            time_limit: None,
            makers: crate::ahead::makers(),
            exchange_digest: false,
            observe: None,
        }
    }
}

/// Where a case came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CaseId {
    /// A shipped scenario or a file given on the command line, by path.
    Shipped(String),
    /// Random case number `index` of the run's seed.
    Random(u64),
    /// Position `p` of the exhaustive enumeration.
    Exhaustive(u64),
    /// Invalid network `p` ([`crate::gen::invalid`]).
    Invalid(u64),
    /// Envelope probe `p` ([`super::envelope`]).
    Envelope(u64),
    /// Input `n` of a fuzzing run ([`crate::fuzz`]): found by mutation, so
    /// replayed from its saved scenario file, not from a seed.
    Fuzz(u64),
}

impl CaseId {
    /// Which part of a run it belongs to.
    pub fn kind(&self) -> CaseKind {
        match self {
            CaseId::Shipped(_) => CaseKind::Shipped,
            CaseId::Random(_) => CaseKind::Random,
            CaseId::Fuzz(_) => CaseKind::Fuzz,
            CaseId::Exhaustive(_) => CaseKind::Exhaustive,
            CaseId::Invalid(_) => CaseKind::Invalid,
            CaseId::Envelope(_) => CaseKind::Envelope,
        }
    }

    /// Where the case stands in a run's order: shipped scenarios in the
    /// built-in order (others after them, by path), then exhaustive positions,
    /// then random indices. Reports list failures in this order, whichever
    /// worker or shard found them.
    pub fn order(&self) -> (CaseKind, u64, &str) {
        match self {
            CaseId::Shipped(path) => {
                let i = crate::golden::scenarios()
                    .iter()
                    .position(|(p, _)| p == path)
                    .map_or(u64::MAX, |i| i as u64);
                (CaseKind::Shipped, i, path)
            }
            CaseId::Exhaustive(p) => (CaseKind::Exhaustive, *p, ""),
            CaseId::Invalid(p) => (CaseKind::Invalid, *p, ""),
            CaseId::Envelope(p) => (CaseKind::Envelope, *p, ""),
            CaseId::Random(i) => (CaseKind::Random, *i, ""),
            CaseId::Fuzz(i) => (CaseKind::Fuzz, *i, ""),
        }
    }
}

/// The parts of a run, in the order a run takes them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CaseKind {
    /// A shipped golden or regression scenario, or a file given by path.
    Shipped,
    /// A case of the exhaustive enumeration.
    Exhaustive,
    /// An invalid network, one clause broken.
    Invalid,
    /// A probe of the protocol's envelope.
    Envelope,
    /// A random case.
    Random,
    /// An input of `selc fuzz` or `selc::fuzz`.
    Fuzz,
}

impl CaseKind {
    /// Every part, in run order.
    pub const ALL: [CaseKind; 6] = [
        CaseKind::Envelope,
        CaseKind::Shipped,
        CaseKind::Exhaustive,
        CaseKind::Invalid,
        CaseKind::Random,
        CaseKind::Fuzz,
    ];

    /// As the JSON report spells it, and its position in [`CaseKind::ALL`].
    pub const fn spelling(self) -> (&'static str, usize) {
        match self {
            CaseKind::Envelope => ("envelope", 0),
            CaseKind::Shipped => ("shipped", 1),
            CaseKind::Exhaustive => ("exhaustive", 2),
            CaseKind::Invalid => ("invalid", 3),
            CaseKind::Random => ("random", 4),
            CaseKind::Fuzz => ("fuzz", 5),
        }
    }

    /// As the JSON report spells it.
    pub fn as_str(self) -> &'static str {
        self.spelling().0
    }

    /// Its position in [`CaseKind::ALL`].
    pub fn index(self) -> usize {
        self.spelling().1
    }

    /// How a case of this part was made, in a run steered or not.
    pub fn how(self, steered: bool) -> super::observe::How {
        use super::observe::How;
        match self {
            CaseKind::Shipped => How::Shipped,
            CaseKind::Exhaustive => How::Exhaustive,
            CaseKind::Invalid => How::InvalidNetwork,
            CaseKind::Envelope => How::Envelope,
            CaseKind::Random if steered => How::Steered,
            CaseKind::Random => How::Random,
            CaseKind::Fuzz => How::Fuzzed,
        }
    }
}

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseId::Shipped(p) => write!(f, "{p}"),
            CaseId::Random(i) => write!(f, "random case {i}"),
            CaseId::Exhaustive(p) => write!(f, "exhaustive case {p}"),
            CaseId::Invalid(p) => write!(f, "invalid network {p}"),
            CaseId::Envelope(p) => write!(f, "envelope probe {p}"),
            CaseId::Fuzz(i) => write!(f, "fuzz input {i}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_kind_is_in_all_at_its_index() {
        for (i, k) in CaseKind::ALL.into_iter().enumerate() {
            assert_eq!(k.index(), i);
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
