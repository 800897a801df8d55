//! What `selc fuzz` learns from a case without instrumenting the
//! implementation (AFL's edge coverage, read off the reference and the
//! answers instead): the reference's rule × state cells, the link
//! transitions a case walks ((state before, event, state after) of the system
//! an event aims at), the shape of each allocation, the shape of each answer,
//! the input-domain properties, and the log2 bucket of the case's cost (its
//! time per request and per system).
//! Each feature is counted per case and the count put in AFL's buckets (1, 2,
//! 3, 4–7, 8–15, 16–31, 32–127, 128+): an input that brings a new (feature,
//! bucket) pair joins the corpus.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Duration;

use crate::domain::DomainSet;
use crate::model::{Event, LinkState, Model, Snapshot, Status};
use crate::scenario::Scenario;
use crate::verify::CaseRun;

/// A feature and the bucket of its count in one case.
pub type Hit = (u64, u8);

/// AFL's bucket of a count (0 for none).
pub fn bucket(n: u64) -> u8 {
    match n {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4..=7 => 4,
        8..=15 => 5,
        16..=31 => 6,
        32..=127 => 7,
        _ => 8,
    }
}

fn id(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

fn link(s: &Snapshot, name: &str) -> Option<(LinkState, Status)> {
    s.systems
        .iter()
        .find(|x| &*x.name == name)
        .map(|x| (x.link, x.status))
}

/// How an allocation looks, coarsely, one feature per dimension: how many
/// systems are licensed, in grace, lapsed, holding a frozen share,
/// running voicemail (each bucketed); whether the pool is empty; how many
/// diagnostics. One feature per dimension rather than one per combination:
/// the combinations are so many that nearly every input brought a new one,
/// and a corpus that keeps everything guides nothing.
fn shape(s: &Snapshot) -> [u64; 7] {
    let count = |f: &dyn Fn(&crate::model::SystemSnapshot) -> bool| {
        bucket(s.systems.iter().filter(|x| f(x)).count() as u64)
    };
    [
        id(("licensed", count(&|x| x.status == Status::Licensed))),
        id(("grace", count(&|x| x.link == LinkState::Grace))),
        id(("lapsed", count(&|x| x.link == LinkState::Lapsed))),
        id(("frozen", count(&|x| x.in_effect != x.reserved))),
        id(("voicemail", count(&|x| x.voicemail.is_some()))),
        id(("pool empty", s.pool.is_empty())),
        id(("diagnostics", bucket(s.diagnostics.len() as u64))),
    ]
}

/// How far down the network order the allocation reaches: the position of
/// the last system with a share in effect, in steps of 8. AFL's buckets are
/// too coarse here: a bug in the 41st system's share (an allocation table
/// sized for R9.0's 32 systems and some room) lies in the bucket of the
/// 32nd, and only a finer step rewards the network for growing towards it.
fn served(s: &Snapshot) -> u64 {
    let last = s.systems.iter().rposition(|x| !x.in_effect.is_empty());
    id(("served", last.map(|p| p / 8)))
}

/// The features of one case that ran: `cost` its time per request and per
/// system, `domain` the input-domain properties its plan found (none for a
/// network the reference rejects).
pub fn of_case(
    scenario: &Scenario,
    run: &CaseRun,
    cost: Duration,
    domain: Option<DomainSet>,
) -> Vec<Hit> {
    let mut counts: HashMap<u64, u64> = HashMap::new();
    let mut add = |f: u64, n: u64| *counts.entry(f).or_default() += n;
    for (i, n) in run.exercised.0.iter().enumerate() {
        add(id(("rule", i)), *n);
    }
    for (i, n) in run.interactions.0.iter().enumerate() {
        add(id(("cell", i)), *n);
    }
    // In ns: a cost per request and system is often under a microsecond.
    let nanos = cost.as_nanos().clamp(1, u128::from(u64::MAX)) as u64;
    add(id(("cost", nanos.ilog2())), 1);
    for d in domain.iter().flat_map(|d| d.ids()) {
        add(id(("domain", d.as_str())), 1);
    }
    match Model::load(&scenario.network, "network") {
        Err(e) => {
            add(id("load rejected"), 1);
            // Which clause of RULES.md §1–2 the network broke, as the
            // reference words it, identifiers and numbers left out.
            add(id(("load rejected", rejection_shape(e.message()))), 1);
        }
        Ok(mut model) => {
            add(
                id(("systems", bucket(model.snapshot().systems.len() as u64))),
                1,
            );
            for f in shape(model.snapshot()) {
                add(f, 1);
            }
            add(served(model.snapshot()), 1);
            for e in &scenario.events {
                let Ok(event) = Event::from_json(e, "event") else {
                    add(id(("answer", "unparsed event")), 1);
                    continue;
                };
                let target = event.system().map(str::to_string);
                let before = target.as_deref().and_then(|t| link(model.snapshot(), t));
                match model.apply(&event) {
                    Ok(after) => {
                        let after_link = target.as_deref().and_then(|t| link(after, t));
                        add(id(("transition", event.name(), before, after_link)), 1);
                        for f in shape(after) {
                            add(f, 1);
                        }
                        add(served(after), 1);
                    }
                    Err(_) => add(id(("answer", "invalid_event", event.name(), before)), 1),
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(f, n)| (f, bucket(n)))
        .collect()
}

/// Every (feature, bucket) pair seen so far in a run.
#[derive(Debug, Default)]
pub struct Seen(HashSet<Hit>);

impl Seen {
    /// Add `hits`; how many were new.
    pub fn add(&mut self, hits: &[Hit]) -> usize {
        hits.iter().filter(|h| self.0.insert(**h)).count()
    }

    /// Pairs seen.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none was seen.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `hits` holds a pair not seen.
    pub fn adds(&self, hits: &[Hit]) -> bool {
        hits.iter().any(|h| !self.0.contains(h))
    }
}

/// A rejection message with what varies from case to case left out: quoted
/// identifiers (the model quotes them as JSON) and numbers.
fn rejection_shape(message: &str) -> String {
    let mut out = String::new();
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push('_');
            }
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_afls() {
        let b: Vec<u8> = [0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 127, 128, u64::MAX]
            .iter()
            .map(|&n| bucket(n))
            .collect();
        assert_eq!(b, [0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
    }

    #[test]
    fn a_longer_history_of_outages_adds_a_bucket() {
        let s = |n: usize| {
            let mut s = crate::golden::scenarios()
                .iter()
                .filter_map(|(_, t)| Scenario::from_json_str(t).ok())
                .find(|s| {
                    s.network["systems"]
                        .as_array()
                        .is_some_and(|a| a.len() >= 2 && a[1]["role"] == "expansion")
                })
                .unwrap();
            let name = s.network["systems"][1]["name"].clone();
            s.events = (0..n)
                .flat_map(|_| {
                    [
                        serde_json::json!({"link_down": {"system": name}}),
                        serde_json::json!({"link_up": {"system": name}}),
                    ]
                })
                .collect();
            s
        };
        let run = |s: &Scenario| {
            let mut r = crate::impls::reference::Reference::new();
            crate::verify::run_case(&mut r, s, crate::check::Mode::Strict)
        };
        let (one, many) = (s(1), s(9));
        let mut seen = Seen::default();
        let features = |s: &Scenario, cost| {
            let domain = crate::verify::plan::plan(s, false).domain.map(|d| d.0);
            of_case(s, &run(s), cost, domain)
        };
        seen.add(&features(&one, Duration::from_nanos(500)));
        let again = features(&one, Duration::from_nanos(500));
        assert!(!seen.adds(&again), "the same case adds nothing");
        assert!(seen.adds(&features(&many, Duration::from_nanos(500))));
        // A costlier case is a feature of its own, below a microsecond too.
        assert!(seen.adds(&features(&one, Duration::from_nanos(5_000))));
    }

    #[test]
    fn each_broken_clause_is_a_feature_whatever_its_identifiers() {
        use crate::gen::invalid::{broken, CLAUSES};
        use crate::gen::seeded::candidate;
        let shape = |seed: u64, clause, variant| {
            let spec = candidate(crate::gen::GenConfig::default(), seed, 3, 0);
            let net = broken(&spec, clause, variant);
            rejection_shape(Model::load(&net, "network").unwrap_err().message())
        };
        let mut owner = std::collections::HashMap::new();
        for clause in CLAUSES {
            // Twelve networks, each with identifiers and numbers of its own:
            // a handful of shapes (the role a message names), not twelve.
            let mine: std::collections::HashSet<String> =
                (0..12).map(|seed| shape(seed, clause, 0)).collect();
            assert!(mine.len() <= 4, "{clause}: {mine:?}");
            for m in mine {
                let other = owner.insert(m.clone(), clause);
                assert!(other.is_none(), "{clause} and {other:?} share {m}");
            }
        }
        assert_eq!(
            rejection_shape(r#"system "a\"b" 12 and "c" 3"#),
            "system _ # and _ #"
        );
    }
}
