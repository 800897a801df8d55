//! Shrinking a spec: every simpler spec one step away from a given one, and a
//! proptest [`ValueTree`] that walks them greedily (QuickCheck's and
//! Hypothesis' way), so the same shrinker serves `selc verify` and the
//! proptest properties.
//!
//! "Simpler" is well-founded, so shrinking always ends: a candidate has fewer
//! events or systems, or one part replaced by an earlier alternative of its
//! kind (the order of [`super::sample`]'s choices: the first is the simplest),
//! or one number made smaller. Removals come first, biggest first, since they
//! shrink most per candidate run.

use proptest::strategy::ValueTree;

use super::spec::*;

/// The candidates for `x`: smaller numbers, 0 first, then half, then one less.
fn smaller(x: u64) -> Vec<u64> {
    let mut out = Vec::new();
    for c in [0, x / 2, x.saturating_sub(1)] {
        if c < x && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn smaller_u8(x: u8) -> impl Iterator<Item = u8> {
    smaller(u64::from(x)).into_iter().map(|c| c as u8)
}

fn smaller_u16(x: u16) -> impl Iterator<Item = u16> {
    smaller(u64::from(x)).into_iter().map(|c| c as u16)
}

/// `v` without a run of elements: the whole, then halves, quarters, ...,
/// single elements (QuickCheck's `shrinkList` removals).
fn removals<T: Clone>(v: &[T]) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut size = v.len();
    while size > 0 {
        let mut start = 0;
        while start < v.len() {
            let end = (start + size).min(v.len());
            let mut w = v[..start].to_vec();
            w.extend_from_slice(&v[end..]);
            out.push(w);
            start += size;
        }
        size /= 2;
    }
    out
}

/// `v` with one element replaced by each of its simpler forms.
fn each<T: Clone>(v: &[T], simpler: impl Fn(&T) -> Vec<T>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    for (i, x) in v.iter().enumerate() {
        for y in simpler(x) {
            let mut w = v.to_vec();
            w[i] = y;
            out.push(w);
        }
    }
    out
}

fn count(c: &CountSpec) -> Vec<CountSpec> {
    use CountSpec::*;
    match *c {
        Small(n) => smaller_u8(n).map(Small).collect(),
        Zero => vec![Small(0)],
        NearMax(n) => [Small(0), Zero]
            .into_iter()
            .chain(smaller_u8(n).map(NearMax))
            .collect(),
        Any(n) => [Small(0), Zero]
            .into_iter()
            .chain(smaller(u64::from(n)).into_iter().map(|x| Any(x as u32)))
            .collect(),
    }
}

fn release(r: &ReleaseSpec) -> Vec<ReleaseSpec> {
    match *r {
        // 9.1 is the simplest release: supported, and the newest.
        ReleaseSpec::Listed(5) => vec![],
        ReleaseSpec::Listed(i) => std::iter::once(5)
            .chain(smaller_u8(i).filter(|&j| j != 5))
            .map(ReleaseSpec::Listed)
            .collect(),
        ReleaseSpec::Any(a, b) => std::iter::once(ReleaseSpec::Listed(5))
            .chain(smaller_u16(a).map(|a| ReleaseSpec::Any(a, b)))
            .chain(smaller_u16(b).map(|b| ReleaseSpec::Any(a, b)))
            .collect(),
        // The plain spelling first: a failure that needs the zeros keeps them.
        ReleaseSpec::Spelled(i, z) => std::iter::once(ReleaseSpec::Listed(i))
            .chain(smaller_u8(z).map(|z| ReleaseSpec::Spelled(i, z)))
            .collect(),
    }
}

fn license(l: &LicenseSpec) -> Vec<LicenseSpec> {
    let mut out: Vec<LicenseSpec> = smaller_u8(l.key)
        .map(|key| LicenseSpec { key, ..*l })
        .collect();
    out.extend(smaller_u8(l.kind).map(|kind| LicenseSpec { kind, ..*l }));
    match l.sid {
        SidSpec::Own => {}
        SidSpec::OfSystem(i) => {
            out.push(LicenseSpec {
                sid: SidSpec::Own,
                ..*l
            });
            out.extend(smaller_u8(i).map(|i| LicenseSpec {
                sid: SidSpec::OfSystem(i),
                ..*l
            }));
        }
        SidSpec::Stranger => out.push(LicenseSpec {
            sid: SidSpec::Own,
            ..*l
        }),
    }
    out.extend(
        count(&l.count)
            .into_iter()
            .map(|count| LicenseSpec { count, ..*l }),
    );
    out
}

fn system(s: &SystemSpec) -> Vec<SystemSpec> {
    let with = |f: &dyn Fn(&mut SystemSpec)| {
        let mut t = s.clone();
        f(&mut t);
        t
    };
    let mut out = Vec::new();
    if s.role != RoleSpec::Expansion {
        out.push(with(&|t| t.role = RoleSpec::Expansion));
    }
    out.extend(
        release(&s.release)
            .into_iter()
            .map(|r| with(&|t| t.release = r)),
    );
    if s.voicemail {
        out.push(with(&|t| t.voicemail = false));
    }
    if s.se != SeSpec::Valid {
        out.push(with(&|t| t.se = SeSpec::Valid));
    }
    out.extend(
        removals(&s.needs)
            .into_iter()
            .map(|n| with(&|t| t.needs = n.clone())),
    );
    let need = |&(k, c): &(u8, CountSpec)| -> Vec<(u8, CountSpec)> {
        smaller_u8(k)
            .map(|k| (k, c))
            .chain(count(&c).into_iter().map(|c| (k, c)))
            .collect()
    };
    out.extend(
        each(&s.needs, need)
            .into_iter()
            .map(|n| with(&|t| t.needs = n.clone())),
    );
    out.extend(
        removals(&s.licenses)
            .into_iter()
            .chain(each(&s.licenses, license))
            .map(|l| with(&|t| t.licenses = l.clone())),
    );
    if s.down {
        out.push(with(&|t| t.down = false));
    }
    out
}

fn time(t: &TimeSpec) -> Vec<TimeSpec> {
    match *t {
        TimeSpec::Seconds(n) => smaller_u16(n).map(TimeSpec::Seconds).collect(),
        TimeSpec::Grace => vec![TimeSpec::Seconds(0)],
        TimeSpec::ToDeadline(n) => [TimeSpec::Seconds(0), TimeSpec::Grace]
            .into_iter()
            .chain(smaller_u8(n).map(TimeSpec::ToDeadline))
            .collect(),
        TimeSpec::Any(n) => [TimeSpec::Seconds(0), TimeSpec::Grace]
            .into_iter()
            .chain(smaller(n).into_iter().map(TimeSpec::Any))
            .collect(),
    }
}

fn invalid(i: &InvalidSpec) -> Vec<InvalidSpec> {
    match *i {
        InvalidSpec::UnknownSystem => vec![],
        InvalidSpec::MissingKey(k) => std::iter::once(InvalidSpec::UnknownSystem)
            .chain(smaller_u8(k).map(InvalidSpec::MissingKey))
            .collect(),
        InvalidSpec::NotCentralized(k) => std::iter::once(InvalidSpec::UnknownSystem)
            .chain(smaller_u8(k).map(InvalidSpec::NotCentralized))
            .collect(),
        _ => vec![InvalidSpec::UnknownSystem],
    }
}

fn event(e: &EventSpec) -> Vec<EventSpec> {
    use EventSpec::*;
    let system = |s: u8| smaller_u8(s);
    let mut out = Vec::new();
    // Any event may become the simplest one: a short advance of time.
    if !matches!(e, Advance(_)) {
        out.push(Advance(TimeSpec::Seconds(0)));
    }
    match *e {
        Advance(t) => out.extend(time(&t).into_iter().map(Advance)),
        LinkDown(s) => out.extend(system(s).map(LinkDown)),
        LinkUp(s) => out.extend(system(s).map(LinkUp)),
        Restart(s) => out.extend(system(s).map(Restart)),
        Upgrade(s, r) => {
            out.extend(system(s).map(|s| Upgrade(s, r)));
            out.extend(release(&r).into_iter().map(|r| Upgrade(s, r)));
        }
        SetNeed(s, k, c) => {
            out.extend(system(s).map(|s| SetNeed(s, k, c)));
            out.extend(smaller_u8(k).map(|k| SetNeed(s, k, c)));
            out.extend(count(&c).into_iter().map(|c| SetNeed(s, k, c)));
        }
        AddLicense(s, l) => {
            out.extend(system(s).map(|s| AddLicense(s, l)));
            out.extend(license(&l).into_iter().map(|l| AddLicense(s, l)));
        }
        RemoveLicense(s, k) => {
            out.extend(system(s).map(|s| RemoveLicense(s, k)));
            out.extend(smaller_u8(k).map(|k| RemoveLicense(s, k)));
        }
        Invalid(s, i) => {
            out.extend(system(s).map(|s| Invalid(s, i)));
            out.extend(invalid(&i).into_iter().map(|i| Invalid(s, i)));
        }
    }
    out
}

/// Simpler ways to write identifiers: plain first, then a shorter length (a
/// failure on a 1 KB name shrinks toward the shortest that still fails).
fn idents(i: IdentSpec) -> Vec<IdentSpec> {
    match i {
        IdentSpec::Plain => Vec::new(),
        IdentSpec::Length(n) => std::iter::once(IdentSpec::Plain)
            .chain(smaller_u16(n).map(IdentSpec::Length))
            .collect(),
        _ => vec![IdentSpec::Plain],
    }
}

/// Every spec one simplification away from `s`, most promising first: fewer
/// events, fewer systems, the primary first in the network, then simpler
/// systems and simpler events.
pub fn simpler(s: &ScenarioSpec) -> Vec<ScenarioSpec> {
    let with = |f: &dyn Fn(&mut ScenarioSpec)| {
        let mut t = s.clone();
        f(&mut t);
        t
    };
    let mut out: Vec<ScenarioSpec> = removals(&s.events)
        .into_iter()
        .map(|e| with(&|t| t.events = e.clone()))
        .collect();
    out.extend(
        removals(&s.others)
            .into_iter()
            .map(|o| with(&|t| t.others = o.clone())),
    );
    out.extend(smaller_u8(s.primary_at).map(|p| with(&|t| t.primary_at = p)));
    out.extend(
        idents(s.idents)
            .into_iter()
            .map(|i| with(&|t| t.idents = i)),
    );
    out.extend(
        system(&s.primary)
            .into_iter()
            .map(|p| with(&|t| t.primary = p.clone())),
    );
    out.extend(
        each(&s.others, system)
            .into_iter()
            .map(|o| with(&|t| t.others = o.clone())),
    );
    out.extend(
        each(&s.events, event)
            .into_iter()
            .map(|e| with(&|t| t.events = e.clone())),
    );
    out
}

/// A spec with its shrinker, boxed: what `selc verify` shrinks a failing
/// random case with.
pub type SpecTree = Box<dyn ValueTree<Value = ScenarioSpec>>;

/// The shrinker of a spec, made only when a case fails.
pub fn shrinker(spec: ScenarioSpec) -> SpecTree {
    Box::new(SpecShrinker::new(spec))
}

/// A spec with its shrinker: [`simpler`] walked greedily. `simplify` moves to
/// the first simpler candidate of the last spec that failed; `complicate`
/// (the candidate passed) moves on to the next candidate. It ends at a spec
/// none of whose candidates fails.
#[derive(Clone, Debug)]
pub struct SpecShrinker {
    /// The last spec known to fail (at first, the drawn one).
    base: ScenarioSpec,
    /// `base`'s candidates, once asked for.
    candidates: Vec<ScenarioSpec>,
    /// The candidate being tried, if any.
    trying: Option<usize>,
}

impl SpecShrinker {
    /// The shrinker of a spec that fails.
    pub fn new(spec: ScenarioSpec) -> SpecShrinker {
        SpecShrinker {
            base: spec,
            candidates: Vec::new(),
            trying: None,
        }
    }

    fn start(&mut self) -> bool {
        self.candidates = simpler(&self.base);
        self.trying = (!self.candidates.is_empty()).then_some(0);
        self.trying.is_some()
    }
}

impl ValueTree for SpecShrinker {
    type Value = ScenarioSpec;

    fn current(&self) -> ScenarioSpec {
        match self.trying {
            Some(i) => self.candidates[i].clone(),
            None => self.base.clone(),
        }
    }

    fn simplify(&mut self) -> bool {
        // The current value failed: it is the new base.
        if let Some(i) = self.trying.take() {
            self.base = self.candidates.swap_remove(i);
        }
        self.start()
    }

    fn complicate(&mut self) -> bool {
        // The current candidate passed: try the next one.
        match self.trying {
            Some(i) if i + 1 < self.candidates.len() => {
                self.trying = Some(i + 1);
                true
            }
            _ => {
                self.trying = None;
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::sample::Draw;
    use crate::gen::GenConfig;
    use proptest::test_runner::{RngAlgorithm, TestRng};

    fn specs(n: usize) -> Vec<ScenarioSpec> {
        let mut r = TestRng::from_seed(RngAlgorithm::XorShift, &[9; 16]);
        (0..n)
            .map(|_| Draw(&mut r).scenario(GenConfig::default()))
            .collect()
    }

    #[test]
    fn removals_go_from_all_to_one() {
        let r = removals(&[1, 2, 3, 4]);
        assert_eq!(r[0], Vec::<i32>::new());
        assert_eq!(r[1..3], [vec![3, 4], vec![1, 2]]);
        assert_eq!(
            r[r.len() - 4..],
            [vec![2, 3, 4], vec![1, 3, 4], vec![1, 2, 4], vec![1, 2, 3]]
        );
    }

    #[test]
    fn every_candidate_differs_and_none_grows() {
        for s in specs(200) {
            for c in simpler(&s) {
                assert_ne!(c, s);
                assert!(c.events.len() <= s.events.len() && c.others.len() <= s.others.len());
            }
        }
    }

    /// Shrinking toward "has an event that adds a license with a count near
    /// u32::MAX, on a network of two systems or more" ends at the smallest such
    /// spec.
    #[test]
    fn a_failing_spec_shrinks_to_the_smallest_that_still_fails() {
        let fails = |s: &ScenarioSpec| {
            !s.others.is_empty()
                && s.events.iter().any(
                    |e| matches!(e, EventSpec::AddLicense(_, l) if l.count.value() > u32::MAX - 4),
                )
        };
        let start = specs(3000)
            .into_iter()
            .find(|s| fails(s) && s.events.len() > 3);
        let mut t = SpecShrinker::new(start.expect("such a spec is drawn"));
        let mut steps = 0;
        if t.simplify() {
            loop {
                steps += 1;
                assert!(steps < 100_000, "shrinking ends");
                let more = if fails(&t.current()) {
                    t.simplify()
                } else {
                    t.complicate()
                };
                if !more {
                    break;
                }
            }
        }
        let min = t.current();
        assert!(fails(&min));
        assert_eq!(min.events.len(), 1);
        assert_eq!(min.others.len(), 1);
        assert_eq!(min.others[0].licenses, vec![]);
        assert!(min.primary.licenses.is_empty() && min.primary.needs.is_empty());
        let EventSpec::AddLicense(0, l) = min.events[0] else {
            panic!("{:?}", min.events[0]);
        };
        assert_eq!((l.key, l.kind, l.sid), (0, 0, SidSpec::Own));
        assert_eq!(l.count, CountSpec::NearMax(0));
    }
}
