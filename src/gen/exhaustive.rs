//! Bounded-exhaustive scenarios: every scenario within a small scope over a
//! finite alphabet of boundary values, smallest first (the small-scope
//! hypothesis; SmallCheck and LeanCheck enumerate by size the same way).
//!
//! A *scope* bounds the non-primary systems and the events. The *alphabet* is
//! documented in docs/verify.md ("alphabet v1") and defined here: a primary
//! template, non-primary templates, and events over the systems of a network.
//! Scenarios are built as [`ScenarioSpec`]s and rendered exactly as random ones
//! are, so advances "to the next deadline" land one second before, on and after
//! it as the reference model computes it.
//!
//! *Symmetry reduction*: keys that no template holds ("fresh" keys) are
//! interchangeable: scenarios that differ only by renaming them are one
//! scenario up to renaming, which the reference model is invariant under (the
//! relabeling relation of [`crate::metamorphic`]; a test holds it over the
//! whole default scope). Only the representative whose fresh keys appear in
//! order of first use is run.
//!
//! Position `p` of the enumeration is the `p`-th scenario after reduction, so a
//! run is split into shards by position and resumed from one.

use std::fmt;
use std::str::FromStr;

use super::spec::{
    CountSpec, EventSpec, IdentSpec, InvalidSpec, LicenseSpec, ReleaseSpec, RoleSpec, ScenarioSpec,
    SeSpec, SidSpec, SystemSpec, TimeSpec,
};

/// The alphabet's version, named in every statement of what was covered.
pub const ALPHABET: &str = "v1";

/// How far the enumeration goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    /// Non-primary systems at most.
    pub systems: usize,
    /// Events at most.
    pub events: usize,
}

/// The scope `selc verify` runs by default: every scenario with at most 2
/// non-primary systems and 2 events.
pub const DEFAULT_SCOPE: Scope = Scope {
    systems: 2,
    events: 2,
};

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.systems, self.events)
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        let (a, b) = s
            .split_once('x')
            .ok_or_else(|| format!("scope {s:?}: expected SYSTEMSxEVENTS, e.g. 2x2"))?;
        let num = |x: &str, what: &str| {
            x.trim()
                .parse::<usize>()
                .map_err(|_| format!("scope {s:?}: bad number of {what} {x:?}"))
        };
        let scope = Scope {
            systems: num(a, "systems")?,
            events: num(b, "events")?,
        };
        if scope.systems > 3 || scope.events > 4 {
            return Err(format!(
                "scope {s:?}: at most 3 non-primary systems and 4 events (larger scopes run for days)"
            ));
        }
        Ok(scope)
    }
}

// Kinds by their position in `Kind::ALL`, and in the centralized kinds.
const SERVER_EDITION: u8 = 0;
const POWER_USER: u8 = 2;
const VOICEMAIL_CHANNEL: u8 = 7;
const MOBILITY: u8 = 21;
const NEED_POWER_USER: u8 = 1;
// Releases by their position in `spec::RELEASES`.
const R5_9: u8 = 1;
const R6_0: u8 = 2;
const R9_1: u8 = 5;
const R9_2: u8 = 6;
const R10_0: u8 = 8;
/// Keys no template holds: interchangeable, so reduced by symmetry.
const FRESH: [u8; 2] = [14, 15];
/// The Primary's power-user key, which events duplicate.
const PRIMARY_KEY: u8 = 1;

fn license(key: u8, kind: u8, sid: SidSpec, count: CountSpec) -> LicenseSpec {
    LicenseSpec {
        key,
        kind,
        sid,
        count,
    }
}

fn system(
    role: RoleSpec,
    release: u8,
    voicemail: bool,
    se: SeSpec,
    need: u8,
    licenses: Vec<LicenseSpec>,
    down: bool,
) -> SystemSpec {
    SystemSpec {
        role,
        release: ReleaseSpec::Listed(release),
        voicemail,
        se,
        needs: vec![(NEED_POWER_USER, CountSpec::Small(need.saturating_sub(1)))],
        licenses,
        down,
    }
}

/// The Primary of every network: release 9.1, licensed by its Server Edition
/// license K0 (which events remove: R-HOST, R-VM-LICENSE), Voicemail Pro, a pool
/// of 2 power users (K1) and 1 voicemail channel (K2), needing 1 power user
/// itself, so that one is left for the others to share.
pub fn primary() -> SystemSpec {
    system(
        RoleSpec::Expansion,
        R9_1,
        true,
        SeSpec::Missing,
        1,
        vec![
            license(0, SERVER_EDITION, SidSpec::Own, CountSpec::Small(0)),
            license(PRIMARY_KEY, POWER_USER, SidSpec::Own, CountSpec::Small(1)),
            license(2, VOICEMAIL_CHANNEL, SidSpec::Own, CountSpec::Small(0)),
        ],
        false,
    )
}

/// The non-primary templates, by name.
pub fn templates() -> Vec<(&'static str, SystemSpec)> {
    vec![
        // The Secondary at the lower release bound, with Voicemail Pro and one
        // local channel (K4), needing 1 power user.
        (
            "sec",
            system(
                RoleSpec::Secondary,
                R6_0,
                true,
                SeSpec::Valid,
                1,
                vec![license(
                    4,
                    VOICEMAIL_CHANNEL,
                    SidSpec::Own,
                    CountSpec::Small(0),
                )],
                false,
            ),
        ),
        // An expansion at the upper bound needing more than is left (2), with a
        // misplaced power-user license (K5).
        (
            "exp",
            system(
                RoleSpec::Expansion,
                R9_1,
                false,
                SeSpec::Valid,
                2,
                vec![license(5, POWER_USER, SidSpec::Own, CountSpec::Small(0))],
                false,
            ),
        ),
        // An expansion whose link is down at time 0 (lapsed, no deadline), with
        // a misplaced voicemail-channel license (K8).
        (
            "exp-down",
            system(
                RoleSpec::Expansion,
                R9_1,
                false,
                SeSpec::Valid,
                1,
                vec![license(
                    8,
                    VOICEMAIL_CHANNEL,
                    SidSpec::Own,
                    CountSpec::Small(0),
                )],
                true,
            ),
        ),
        // An unlicensed expansion: release 5.9, its Server Edition license
        // issued for another SID, an unsupported license (K6) and a copy of the
        // Primary's key K1 that fails an earlier check.
        (
            "exp-bad",
            system(
                RoleSpec::Expansion,
                R5_9,
                false,
                SeSpec::WrongSid,
                1,
                vec![
                    license(6, MOBILITY, SidSpec::Own, CountSpec::Small(0)),
                    license(
                        PRIMARY_KEY,
                        SERVER_EDITION,
                        SidSpec::Own,
                        CountSpec::Small(0),
                    ),
                ],
                false,
            ),
        ),
        // A one-X Portal: exempt.
        (
            "portal",
            system(
                RoleSpec::Portal,
                R9_1,
                false,
                SeSpec::Missing,
                0,
                vec![],
                false,
            ),
        ),
    ]
}

/// The key of template `t`'s own license that events remove.
fn template_key(t: &SystemSpec) -> Option<u8> {
    t.licenses.first().map(|l| l.key)
}

/// The networks with exactly `n` non-primary systems, as template indices in
/// network order (after the Primary): at most one Secondary; the Portal, which
/// takes part in nothing, only as the one other system.
pub fn networks(n: usize) -> Vec<Vec<usize>> {
    let names: Vec<&str> = templates().iter().map(|(n, _)| *n).collect();
    let mut out: Vec<Vec<usize>> = vec![vec![]];
    for _ in 0..n {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                (0..names.len()).map(move |t| {
                    let mut p = prefix.clone();
                    p.push(t);
                    p
                })
            })
            .collect();
    }
    out.retain(|net| {
        let count = |name: &str| net.iter().filter(|&&t| names[t] == name).count();
        count("sec") <= 1 && (count("portal") == 0 || net.len() == 1)
    });
    out
}

/// The event alphabet of a network whose non-primary systems are `others`
/// (template indices): systems are named by stable number, 0 the Primary.
pub fn events(others: &[usize]) -> Vec<EventSpec> {
    let t = templates();
    let mut out = vec![
        EventSpec::Advance(TimeSpec::Seconds(1)),
        // One second before, on and one second after the next grace deadline.
        EventSpec::Advance(TimeSpec::ToDeadline(0)),
        EventSpec::Advance(TimeSpec::ToDeadline(1)),
        EventSpec::Advance(TimeSpec::ToDeadline(2)),
        EventSpec::Advance(TimeSpec::Any(u64::MAX)),
        EventSpec::Invalid(0, InvalidSpec::NotAnObject),
        EventSpec::Invalid(0, InvalidSpec::UnknownSystem),
        // The Primary (a link event on it is rejected).
        EventSpec::LinkDown(0),
        EventSpec::LinkUp(0),
        EventSpec::Restart(0),
        EventSpec::Upgrade(0, ReleaseSpec::Listed(R9_2)),
        EventSpec::Upgrade(0, ReleaseSpec::Listed(R6_0)),
        EventSpec::SetNeed(0, NEED_POWER_USER, CountSpec::Zero),
        EventSpec::SetNeed(0, NEED_POWER_USER, CountSpec::Small(2)),
        EventSpec::AddLicense(
            0,
            license(PRIMARY_KEY, POWER_USER, SidSpec::Own, CountSpec::Small(0)),
        ),
        EventSpec::RemoveLicense(0, PRIMARY_KEY),
        EventSpec::RemoveLicense(0, 0),
    ];
    // Every event with a fresh key comes with each fresh key, so the alphabet is
    // closed under renaming them and the representative of every class is in it.
    for key in FRESH {
        out.extend([
            EventSpec::AddLicense(
                0,
                license(key, POWER_USER, SidSpec::Own, CountSpec::Small(0)),
            ),
            EventSpec::AddLicense(
                0,
                license(key, POWER_USER, SidSpec::Own, CountSpec::NearMax(0)),
            ),
            EventSpec::AddLicense(
                0,
                license(key, POWER_USER, SidSpec::Stranger, CountSpec::Small(0)),
            ),
            EventSpec::AddLicense(0, license(key, MOBILITY, SidSpec::Own, CountSpec::Small(0))),
            EventSpec::RemoveLicense(0, key),
        ]);
    }
    for (j, &tmpl) in others.iter().enumerate() {
        let s = u8::try_from(j + 1).unwrap_or(u8::MAX);
        out.extend([
            EventSpec::LinkDown(s),
            EventSpec::LinkUp(s),
            EventSpec::Restart(s),
            EventSpec::Upgrade(s, ReleaseSpec::Listed(R10_0)),
            EventSpec::Upgrade(s, ReleaseSpec::Listed(R9_1)),
            EventSpec::SetNeed(s, NEED_POWER_USER, CountSpec::Zero),
            EventSpec::SetNeed(s, NEED_POWER_USER, CountSpec::Small(2)),
        ]);
        for key in FRESH {
            out.push(EventSpec::AddLicense(
                s,
                license(key, SERVER_EDITION, SidSpec::Own, CountSpec::Small(0)),
            ));
        }
        if let Some(key) = template_key(&t[tmpl].1) {
            out.push(EventSpec::RemoveLicense(s, key));
        }
    }
    out
}

/// The fresh keys an event uses, in order.
fn fresh_keys(e: &EventSpec) -> Option<u8> {
    let key = match e {
        EventSpec::AddLicense(_, l) => l.key,
        EventSpec::RemoveLicense(_, k) => *k,
        _ => return None,
    };
    FRESH.contains(&key).then_some(key)
}

/// Whether `events` is the representative of its class under renaming of the
/// fresh keys: they appear in order of first use (`K14` before `K15`).
pub fn canonical(events: &[EventSpec]) -> bool {
    let mut next = 0;
    for key in events.iter().filter_map(fresh_keys) {
        match FRESH.iter().position(|&k| k == key) {
            Some(i) if i < next => {}
            Some(i) if i == next => next += 1,
            _ => return false,
        }
    }
    true
}

/// One block of the enumeration: networks of `systems` others, `events` events.
#[derive(Clone, Debug)]
struct Block {
    events: usize,
    networks: Vec<Vec<usize>>,
    /// The event alphabet of each network.
    alphabets: Vec<Vec<EventSpec>>,
}

impl Block {
    /// Scenarios in the block before reduction.
    fn raw(&self) -> u64 {
        self.alphabets
            .iter()
            .map(|a| (a.len() as u64).saturating_pow(self.events as u32))
            .sum()
    }
}

/// The whole enumeration of a scope, smallest first: by systems + events, then
/// by systems, then networks and event sequences in alphabet order.
#[derive(Clone, Debug)]
pub struct Enumeration {
    scope: Scope,
    blocks: Vec<Block>,
    reduce: bool,
}

/// One scenario of the enumeration.
#[derive(Clone, Debug)]
pub struct Case {
    /// Its position after reduction.
    pub position: u64,
    /// The scenario.
    pub spec: ScenarioSpec,
    /// Its templates, for messages (`sec, exp`).
    pub templates: Vec<&'static str>,
}

impl Enumeration {
    /// The enumeration of `scope` over alphabet v1.
    pub fn new(scope: Scope) -> Enumeration {
        let mut blocks = Vec::new();
        for size in 0..=scope.systems + scope.events {
            for systems in 0..=scope.systems.min(size) {
                let events = size - systems;
                if events > scope.events {
                    continue;
                }
                let networks = networks(systems);
                let alphabets = networks.iter().map(|n| self::events(n)).collect();
                blocks.push(Block {
                    events,
                    networks,
                    alphabets,
                });
            }
        }
        Enumeration {
            scope,
            blocks,
            reduce: true,
        }
    }

    /// The same enumeration without symmetry reduction: every scenario over the
    /// alphabet (to check that reduction changes no verdict).
    pub fn without_reduction(mut self) -> Enumeration {
        self.reduce = false;
        self
    }

    /// Scenarios before symmetry reduction.
    pub fn raw_count(&self) -> u64 {
        self.blocks.iter().map(Block::raw).sum()
    }

    /// Scenarios after symmetry reduction: the ones that are run.
    pub fn count(&self) -> u64 {
        if !self.reduce {
            return self.raw_count();
        }
        self.raw_cases().filter(|(_, _, ev)| canonical(ev)).count() as u64
    }

    /// Every scenario before reduction, with whether it is its class's
    /// representative (and so run).
    pub fn all(&self) -> impl Iterator<Item = (bool, ScenarioSpec)> + '_ {
        let t = templates();
        self.raw_cases().map(move |(b, n, events)| {
            let net = &self.blocks[b].networks[n];
            (
                canonical(&events),
                ScenarioSpec {
                    primary: primary(),
                    primary_at: 0,
                    others: net.iter().map(|&i| t[i].1.clone()).collect(),
                    events,
                    // Alphabet v1's identifiers are plain: its scope is the
                    // rules, the random part's is the input domain.
                    idents: IdentSpec::Plain,
                },
            )
        })
    }

    /// The representative of a scenario's class: its fresh keys renamed into
    /// order of first use.
    pub fn representative(events: &[EventSpec]) -> Vec<EventSpec> {
        let mut order: Vec<u8> = Vec::new();
        for k in events.iter().filter_map(fresh_keys) {
            if !order.contains(&k) {
                order.push(k);
            }
        }
        let rename = |k: u8| order.iter().position(|&x| x == k).map_or(k, |i| FRESH[i]);
        events
            .iter()
            .map(|e| match *e {
                EventSpec::AddLicense(s, mut l) if FRESH.contains(&l.key) => {
                    l.key = rename(l.key);
                    EventSpec::AddLicense(s, l)
                }
                EventSpec::RemoveLicense(s, k) if FRESH.contains(&k) => {
                    EventSpec::RemoveLicense(s, rename(k))
                }
                other => other,
            })
            .collect()
    }

    /// Every scenario before reduction: (block, network, events).
    fn raw_cases(&self) -> impl Iterator<Item = (usize, usize, Vec<EventSpec>)> + '_ {
        self.blocks.iter().enumerate().flat_map(|(b, block)| {
            block.networks.iter().enumerate().flat_map(move |(n, _)| {
                let alphabet = &block.alphabets[n];
                let len = alphabet.len() as u64;
                let total = len.saturating_pow(block.events as u32);
                (0..total).map(move |mut i| {
                    let mut seq = Vec::with_capacity(block.events);
                    for _ in 0..block.events {
                        seq.push(alphabet[(i % len) as usize]);
                        i /= len;
                    }
                    seq.reverse();
                    (b, n, seq)
                })
            })
        })
    }

    /// The scenarios after reduction, from position `from` on, in order.
    pub fn cases(&self, from: u64) -> impl Iterator<Item = Case> + '_ {
        let names: Vec<&'static str> = templates().iter().map(|(n, _)| *n).collect();
        let t = templates();
        let reduce = self.reduce;
        self.raw_cases()
            .filter(move |(_, _, ev)| !reduce || canonical(ev))
            .enumerate()
            .skip(usize::try_from(from).unwrap_or(usize::MAX))
            .map(move |(position, (b, n, events))| {
                let net = &self.blocks[b].networks[n];
                Case {
                    position: position as u64,
                    spec: ScenarioSpec {
                        primary: primary(),
                        primary_at: 0,
                        others: net.iter().map(|&i| t[i].1.clone()).collect(),
                        events,
                        idents: IdentSpec::Plain,
                    },
                    templates: net.iter().map(|&i| names[i]).collect(),
                }
            })
    }

    /// The statement of what an enumeration covers, e.g. `every scenario with <=
    /// 2 non-primary systems and <= 2 events over alphabet v1 (N cases; M before
    /// symmetry reduction)`.
    pub fn statement(&self) -> String {
        if !self.reduce {
            return format!(
                "every scenario with <= {} non-primary systems and <= {} events over alphabet {ALPHABET} ({} cases, no symmetry reduction)",
                self.scope.systems,
                self.scope.events,
                thousands(self.raw_count())
            );
        }
        format!(
            "every scenario with <= {} non-primary systems and <= {} events over alphabet {ALPHABET} ({} cases; {} before symmetry reduction)",
            self.scope.systems,
            self.scope.events,
            thousands(self.count()),
            thousands(self.raw_count())
        )
    }
}

/// `18432` as `18,432`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn the_alphabet_names_the_kinds_it_means() {
        let kind = |i: u8| Kind::ALL[usize::from(i)];
        assert_eq!(
            [SERVER_EDITION, POWER_USER, VOICEMAIL_CHANNEL, MOBILITY].map(kind),
            [
                Kind::ServerEdition,
                Kind::PowerUser,
                Kind::VoicemailChannel,
                Kind::Mobility
            ]
        );
        assert_eq!(
            Kind::centralized().nth(usize::from(NEED_POWER_USER)),
            Some(Kind::PowerUser)
        );
        let r = |i: u8| ReleaseSpec::Listed(i).value().to_string();
        assert_eq!(
            [r(R5_9), r(R6_0), r(R9_1), r(R9_2), r(R10_0)],
            ["5.9", "6.0", "9.1", "9.2", "10.0"]
        );
    }

    /// Worked out by hand: with no non-primary system the alphabet has 7 global
    /// events, 10 on the Primary without a fresh key (link_down, link_up,
    /// restart, 2 upgrades, 2 set_need, add a copy of K1, remove K1, remove K0)
    /// and 5 per fresh key (add 1, add u32::MAX, add for a stranger SID, add
    /// mobility, remove), 27 in all. Scope 0x1 is the load alone plus 27
    /// one-event scenarios; the 5 that use K15 are renamings of the 5 that use
    /// K14.
    ///
    /// Scope 0x2 adds 27 * 27 = 729 two-event sequences over 17 events without
    /// a fresh key, 5 with K14 and 5 with K15. Kept: those using no K15, (17 + 5)
    /// * (17 + 5) = 484, and K14 then K15, 5 * 5 = 25: 509.
    #[test]
    fn the_case_count_of_a_tiny_scope_is_exact() {
        assert_eq!(events(&[]).len(), 27);
        let e = Enumeration::new(Scope {
            systems: 0,
            events: 1,
        });
        assert_eq!(e.raw_count(), 1 + 27);
        assert_eq!(e.count(), 1 + 27 - 5);
        let e = Enumeration::new(Scope {
            systems: 0,
            events: 2,
        });
        assert_eq!(e.raw_count(), 1 + 27 + 729);
        assert_eq!(e.count(), 1 + 22 + 509);
        assert_eq!(e.without_reduction().count(), 1 + 27 + 729);
        // Scope 1x0: the load of the Primary alone and of each of the 5 templates.
        let e = Enumeration::new(Scope {
            systems: 1,
            events: 0,
        });
        assert_eq!((e.raw_count(), e.count()), (6, 6));
        // Two others: 16 ordered pairs of the 4 templates other than the
        // Portal, less sec+sec.
        assert_eq!(networks(2).len(), 15);
    }

    #[test]
    fn smallest_first_and_positions_in_order() {
        let e = Enumeration::new(Scope {
            systems: 1,
            events: 1,
        });
        let cases: Vec<Case> = e.cases(0).collect();
        assert_eq!(cases.len() as u64, e.count());
        let sizes: Vec<usize> = cases
            .iter()
            .map(|c| c.spec.others.len() + c.spec.events.len())
            .collect();
        assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
        assert!(cases
            .iter()
            .enumerate()
            .all(|(i, c)| c.position == i as u64));
        let resumed: Vec<u64> = e.cases(10).map(|c| c.position).take(3).collect();
        assert_eq!(resumed, [10, 11, 12]);
    }

    /// The alphabet is closed under swapping the fresh keys, so every skipped
    /// scenario's representative is enumerated.
    #[test]
    fn the_alphabet_is_closed_under_renaming_fresh_keys() {
        let swap = |e: &EventSpec| match *e {
            EventSpec::AddLicense(s, mut l) if FRESH.contains(&l.key) => {
                l.key = FRESH[1 - FRESH.iter().position(|&k| k == l.key).unwrap()];
                EventSpec::AddLicense(s, l)
            }
            EventSpec::RemoveLicense(s, k) if FRESH.contains(&k) => {
                EventSpec::RemoveLicense(s, FRESH[1 - FRESH.iter().position(|&x| x == k).unwrap()])
            }
            other => other,
        };
        for n in 0..=2 {
            for net in networks(n) {
                let a = events(&net);
                assert!(a.iter().all(|e| a.contains(&swap(e))), "{net:?}");
            }
        }
    }

    #[test]
    fn fresh_keys_are_canonical_in_order_of_first_use() {
        let add =
            |k| EventSpec::AddLicense(0, license(k, POWER_USER, SidSpec::Own, CountSpec::Small(0)));
        assert!(canonical(&[add(14)]));
        assert!(!canonical(&[add(15)]));
        assert!(canonical(&[add(14), add(15)]));
        assert!(canonical(&[add(14), add(14)]));
        assert!(!canonical(&[add(15), add(14)]));
        assert!(canonical(&[add(1), add(14)]));
    }

    #[test]
    #[ignore = "prints the sizes of scopes"]
    fn sizes() {
        for s in ["1x2", "2x2", "2x3", "3x2"] {
            let e = Enumeration::new(s.parse().unwrap());
            println!("{s}: {}", e.statement());
        }
    }

    #[test]
    fn scopes_parse_or_say_why_not() {
        assert_eq!(
            "2x3".parse::<Scope>(),
            Ok(Scope {
                systems: 2,
                events: 3
            })
        );
        assert!("2".parse::<Scope>().unwrap_err().contains("SYSTEMSxEVENTS"));
        assert!("9x9".parse::<Scope>().unwrap_err().contains("at most"));
        assert_eq!(DEFAULT_SCOPE.to_string(), "2x2");
    }
}
