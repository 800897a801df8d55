//! Where the cases of each part of a run come from: the shipped scenarios, the
//! exhaustive enumeration and the random cases are each a [`Source`]. The
//! runner deals a source's positions to the workers ([`super::deal`]), makes
//! each case on the maker threads, and judges it; a new generator is one new
//! source, listed in [`sources`], and nothing else changes.

use std::time::Duration;

use super::config::{CaseId, CaseKind, VerifyConfig};
use super::deal::Hand;
use super::shard::Shard;
use super::steer::Choices;
use super::summary::{ExhaustiveRun, Summary};
use crate::gen::exhaustive::{Enumeration, Scope};
use crate::gen::seeded::candidate;
use crate::gen::ScenarioSpec;
use crate::scenario::Scenario;

/// One case as a source gives it.
#[derive(Debug)]
pub enum Made {
    /// A generated case: its spec (a random one is shrunk as a spec first).
    Spec(ScenarioSpec),
    /// A scenario as given.
    Given(Scenario),
    /// A given scenario that cannot be run, and why: reported as skipped.
    Unreadable(String),
    /// An invalid network, and the property of the input domain it breaks.
    Invalid(Scenario, crate::domain::DomainId),
    /// Envelope probe `k` ([`super::envelope::probes`]).
    Probe(usize),
}

/// The cases of one part of a run, by position.
pub trait Source: Sync {
    /// Which part.
    fn kind(&self) -> CaseKind;

    /// The case at position `p`, as reports name it.
    fn id(&self, p: u64) -> CaseId;

    /// How many cases `shard` holds, when that is known before the run (the
    /// random cases of a time budget are not).
    fn count(&self, shard: Shard) -> Option<u64>;

    /// The cases `hand` takes, in position order from this part's first
    /// position on. A case is made only once it is taken: the cases of other
    /// workers and shards cost nothing but their positions.
    fn cases<'a>(&'a self, hand: Hand<'a>) -> Box<dyn Iterator<Item = (u64, Made)> + Send + 'a>;

    /// How long this part may run, from its start (a time budget).
    fn budget(&self) -> Option<Duration> {
        None
    }

    /// Whether a failing case's spec is shrunk (a random case's; an exhaustive
    /// case is the smallest of its scope already).
    fn shrinks_spec(&self) -> bool {
        false
    }

    /// Record in `summary` that the part starts.
    fn begin(&self, _summary: &mut Summary) {}

    /// Record in `summary` that case `p` of this part ran, with `events` events.
    fn ran(&self, _summary: &mut Summary, _p: u64, _events: u64) {}

    /// Record in `summary` that the part ended; `complete`: it was not stopped.
    fn end(&self, _summary: &mut Summary, _complete: bool) {}
}

/// The sources of a run of `config`, in the order they run.
pub fn sources<'a>(config: &'a VerifyConfig, choices: &'a Choices) -> Vec<Box<dyn Source + 'a>> {
    let mut out: Vec<Box<dyn Source + 'a>> = Vec::new();
    if config.envelope {
        out.push(Box::new(Envelope));
    }
    if config.golden {
        out.push(Box::new(Shipped));
    }
    if let Some(scope) = config.exhaustive {
        out.push(Box::new(Exhaustive::new(config, scope)));
    }
    if config.invalid_networks {
        out.push(Box::new(InvalidNetworks { config }));
    }
    out.push(Box::new(Random { config, choices }));
    out
}

/// Positions `from..to` that `shard` holds.
fn in_shard(shard: Shard, from: u64, to: u64) -> u64 {
    let n = shard.count();
    let first = (shard.index() - 1) as u128;
    let count = |end: u64| -> u128 {
        // Positions below `end` with p % n == first.
        let end = end as u128;
        if end <= first {
            0
        } else {
            (end - first).div_ceil(n as u128)
        }
    };
    (count(to).saturating_sub(count(from))) as u64
}

/// The probes of the protocol's envelope ([`super::envelope`]): a program's
/// answers to lines outside any case.
pub struct Envelope;

impl Source for Envelope {
    fn kind(&self) -> CaseKind {
        CaseKind::Envelope
    }

    fn id(&self, p: u64) -> CaseId {
        CaseId::Envelope(p)
    }

    fn count(&self, shard: Shard) -> Option<u64> {
        Some(in_shard(shard, 0, super::envelope::probes().len() as u64))
    }

    fn cases<'a>(
        &'a self,
        mut hand: Hand<'a>,
    ) -> Box<dyn Iterator<Item = (u64, Made)> + Send + 'a> {
        let n = super::envelope::probes().len();
        Box::new(
            (0..n)
                .filter(move |&k| hand.takes(k as u64))
                .map(|k| (k as u64, Made::Probe(k))),
        )
    }

    fn ran(&self, summary: &mut Summary, _p: u64, _events: u64) {
        summary.envelope += 1;
    }
}

/// The golden and regression scenarios built into selc, by their built-in order.
pub struct Shipped;

impl Source for Shipped {
    fn kind(&self) -> CaseKind {
        CaseKind::Shipped
    }

    fn id(&self, p: u64) -> CaseId {
        let path = crate::golden::scenarios()
            .get(p as usize)
            .map_or("", |(path, _)| path);
        CaseId::Shipped(path.to_string())
    }

    fn count(&self, shard: Shard) -> Option<u64> {
        Some(in_shard(shard, 0, crate::golden::scenarios().len() as u64))
    }

    fn cases<'a>(
        &'a self,
        mut hand: Hand<'a>,
    ) -> Box<dyn Iterator<Item = (u64, Made)> + Send + 'a> {
        Box::new(
            crate::golden::scenarios()
                .iter()
                .enumerate()
                .filter(move |(i, _)| hand.takes(*i as u64))
                .map(|(i, (_, text))| {
                    let made = match Scenario::from_json_str(text) {
                        Ok(s) => Made::Given(s),
                        Err(e) => Made::Unreadable(format!("not a valid scenario: {e}")),
                    };
                    (i as u64, made)
                }),
        )
    }
}

/// Every scenario of a scope, from the position a resumed run starts at.
pub struct Exhaustive {
    scope: Scope,
    enumeration: Enumeration,
    from: u64,
}

impl Exhaustive {
    /// The exhaustive part of a run of `config`.
    pub fn new(config: &VerifyConfig, scope: Scope) -> Exhaustive {
        Exhaustive {
            scope,
            enumeration: enumeration(config, scope),
            from: config.resume_from,
        }
    }
}

/// The enumeration a run of `config` goes through.
pub fn enumeration(config: &VerifyConfig, scope: Scope) -> Enumeration {
    let e = Enumeration::new(scope);
    if config.symmetry {
        e
    } else {
        e.without_reduction()
    }
}

impl Source for Exhaustive {
    fn kind(&self) -> CaseKind {
        CaseKind::Exhaustive
    }

    fn id(&self, p: u64) -> CaseId {
        CaseId::Exhaustive(p)
    }

    fn count(&self, shard: Shard) -> Option<u64> {
        Some(in_shard(shard, self.from, self.enumeration.count()))
    }

    fn cases<'a>(
        &'a self,
        mut hand: Hand<'a>,
    ) -> Box<dyn Iterator<Item = (u64, Made)> + Send + 'a> {
        Box::new(
            self.enumeration
                .cases(self.from)
                .filter(move |c| hand.takes(c.position))
                .map(|c| (c.position, Made::Spec(c.spec))),
        )
    }

    fn begin(&self, summary: &mut Summary) {
        let e = &self.enumeration;
        summary.exhaustive = Some(ExhaustiveRun {
            scope: self.scope,
            statement: e.statement(),
            total: e.count(),
            raw: e.raw_count(),
            from: self.from,
            run: 0,
            next: Some(self.from),
        });
    }

    fn ran(&self, summary: &mut Summary, p: u64, _events: u64) {
        if let Some(x) = summary.exhaustive.as_mut() {
            x.run += 1;
            x.next = Some(p + 1);
        }
    }

    fn end(&self, summary: &mut Summary, complete: bool) {
        if let Some(x) = summary.exhaustive.as_mut().filter(|_| complete) {
            x.next = None;
        }
    }
}

/// Invalid networks: each a random network of the run's seed with one clause
/// of RULES.md §1–2 broken ([`crate::gen::invalid`]), every clause in turn,
/// each of several ways. Each must be answered `invalid_network` (R-TOTAL).
pub struct InvalidNetworks<'a> {
    config: &'a VerifyConfig,
}

/// Invalid networks per run: eight of each clause.
pub const INVALID_NETWORKS: u64 = 8 * crate::gen::invalid::CLAUSES.len() as u64;

impl Source for InvalidNetworks<'_> {
    fn kind(&self) -> CaseKind {
        CaseKind::Invalid
    }

    fn id(&self, p: u64) -> CaseId {
        CaseId::Invalid(p)
    }

    fn count(&self, shard: Shard) -> Option<u64> {
        Some(in_shard(shard, 0, INVALID_NETWORKS))
    }

    fn cases<'a>(
        &'a self,
        mut hand: Hand<'a>,
    ) -> Box<dyn Iterator<Item = (u64, Made)> + Send + 'a> {
        use crate::gen::invalid::{broken, CLAUSES};
        let gen = crate::gen::GenConfig {
            max_systems: 8,
            ..super::random::gen_config(self.config)
        };
        // Networks of their own stream: not the random part's cases.
        let seed = self.config.seed ^ 0x1_1d;
        Box::new(
            (0..INVALID_NETWORKS)
                .filter(move |&p| hand.takes(p))
                .map(move |p| {
                    let clause = CLAUSES[(p % CLAUSES.len() as u64) as usize];
                    let spec = candidate(gen, seed, p, 0);
                    let scenario = Scenario {
                        name: Some(format!("invalid network: {clause}")),
                        rules: vec![],
                        network: broken(&spec, clause, p / CLAUSES.len() as u64),
                        events: vec![],
                        expect_initial: None,
                        expect: None,
                    };
                    (p, Made::Invalid(scenario, clause))
                }),
        )
    }

    fn ran(&self, summary: &mut Summary, _p: u64, _events: u64) {
        summary.invalid_networks += 1;
    }
}

/// The random cases: case `index` is the candidate steering chose for it
/// ([`Choices`]), drawn from the run's seed and the index alone.
pub struct Random<'a> {
    config: &'a VerifyConfig,
    choices: &'a Choices,
}

impl Source for Random<'_> {
    fn kind(&self) -> CaseKind {
        CaseKind::Random
    }

    fn id(&self, p: u64) -> CaseId {
        CaseId::Random(p)
    }

    fn count(&self, shard: Shard) -> Option<u64> {
        self.config
            .time
            .is_none()
            .then(|| in_shard(shard, 0, self.config.cases))
    }

    fn cases<'a>(
        &'a self,
        mut hand: Hand<'a>,
    ) -> Box<dyn Iterator<Item = (u64, Made)> + Send + 'a> {
        let gen = super::random::gen_config(self.config);
        let seed = self.config.seed;
        let taken = (0..self.config.cases).filter(move |&i| hand.takes(i));
        Box::new(taken.map_while(move |index| {
            let c = self.choices.get(index)?;
            Some((index, Made::Spec(candidate(gen, seed, index, c))))
        }))
    }

    fn budget(&self) -> Option<Duration> {
        self.config.time
    }

    fn shrinks_spec(&self) -> bool {
        true
    }

    fn ran(&self, summary: &mut Summary, p: u64, events: u64) {
        summary.random_through = p + 1;
        summary.random.0 += 1;
        summary.random.1 += events;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_holds_every_nth_position() {
        let s = Shard::new(2, 3).unwrap();
        for (from, to) in [
            (0, 0),
            (0, 1),
            (0, 2),
            (0, 10),
            (4, 10),
            (5, 5),
            (0, u64::MAX),
        ] {
            let want = if to < 1_000 {
                (from..to).filter(|&p| s.holds(p)).count() as u64
            } else {
                (u64::MAX - 1) / 3 + 1
            };
            assert_eq!(in_shard(s, from, to), want, "{from}..{to}");
        }
        assert_eq!(in_shard(Shard::WHOLE, 3, 10), 7);
    }
}
