//! proptest strategies over the specs, biased toward the boundaries where bugs
//! live. Shrinking goes toward fewer systems and events, small counts and short
//! times: every `Vec` shrinks by dropping elements, and every enum toward its
//! first (simplest) variant.

use proptest::collection::vec;
use proptest::prelude::*;

use super::spec::*;
use crate::model::Kind;

/// Knobs for generated scenarios.
#[derive(Clone, Copy, Debug)]
pub struct GenConfig {
    /// Systems per network, at least 1 (R9.0 allows 2 servers + 30 expansions).
    pub max_systems: usize,
    /// Events per scenario.
    pub max_events: usize,
    /// Mix in events that must be rejected (R-ATOMIC).
    pub invalid_events: bool,
    /// Allow time jumps to the end of time (u64 saturation). Off for properties
    /// that shift time.
    pub huge_times: bool,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            max_systems: 32,
            max_events: 24,
            invalid_events: true,
            huge_times: true,
        }
    }
}

/// Counts: mostly small, sometimes 0 or near u32::MAX.
pub fn count() -> impl Strategy<Value = CountSpec> {
    prop_oneof![
        60 => (0u8..16).prop_map(CountSpec::Small),
        10 => Just(CountSpec::Zero),
        15 => (0u8..4).prop_map(CountSpec::NearMax),
        15 => any::<u32>().prop_map(CountSpec::Any),
    ]
}

/// Needs: mostly small so that they land just below, at and above typical pools.
pub fn need_count() -> impl Strategy<Value = CountSpec> {
    prop_oneof![
        80 => (0u8..16).prop_map(CountSpec::Small),
        10 => Just(CountSpec::Zero),
        10 => (0u8..4).prop_map(CountSpec::NearMax),
    ]
}

/// Releases across and around 6.0 ..= 9.1; supported ones most often.
pub fn release() -> impl Strategy<Value = ReleaseSpec> {
    prop_oneof![
        // 9.1, 9.0, 6.0, 8.1: supported.
        60 => prop_oneof![Just(5u8), Just(4), Just(2), Just(3)].prop_map(ReleaseSpec::Listed),
        30 => (0u8..RELEASES.len() as u8).prop_map(ReleaseSpec::Listed),
        10 => (0u16..20, 0u16..20).prop_map(|(a, b)| ReleaseSpec::Any(a, b)),
    ]
}

fn kind_index(kind: Kind) -> u8 {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

/// A license: centralized kinds most often, then Server Edition and unsupported.
pub fn license() -> BoxedStrategy<LicenseSpec> {
    let centralized: Vec<u8> = Kind::centralized().map(kind_index).collect();
    let kind = prop_oneof![
        65 => proptest::sample::select(centralized),
        15 => Just(kind_index(Kind::ServerEdition)),
        20 => 0u8..Kind::ALL.len() as u8,
    ];
    let sid = prop_oneof![
        75 => Just(SidSpec::Own),
        20 => any::<u8>().prop_map(SidSpec::OfSystem),
        5 => Just(SidSpec::Stranger),
    ];
    (0u8..16, kind, sid, count())
        .prop_map(|(key, kind, sid, count)| LicenseSpec {
            key,
            kind,
            sid,
            count,
        })
        .boxed()
}

/// One system.
pub fn system() -> BoxedStrategy<SystemSpec> {
    let role = prop_oneof![
        70 => Just(RoleSpec::Expansion),
        20 => Just(RoleSpec::Secondary),
        10 => Just(RoleSpec::Portal),
    ];
    let se = prop_oneof![
        85 => Just(SeSpec::Valid),
        5 => Just(SeSpec::Missing),
        5 => Just(SeSpec::CountZero),
        5 => Just(SeSpec::WrongSid),
    ];
    (
        role,
        release(),
        any::<bool>(),
        se,
        vec((0u8..7, need_count()), 0..4),
        vec(license(), 0..6),
        proptest::bool::weighted(0.1),
    )
        .prop_map(
            |(role, release, voicemail, se, needs, licenses, down)| SystemSpec {
                role,
                release,
                voicemail,
                se,
                needs,
                licenses,
                down,
            },
        )
        // Boxed: a system's value tree is large, and unboxed it is moved
        // (copied) at every level of the scenario's tree as it is built.
        .boxed()
}

/// Time advances: short ones, whole grace periods, and landings one second
/// before, on and after the next deadline.
pub fn time(huge: bool) -> BoxedStrategy<TimeSpec> {
    let base = prop_oneof![
        30 => (0u16..1000).prop_map(TimeSpec::Seconds),
        10 => Just(TimeSpec::Grace),
        50 => (0u8..3).prop_map(TimeSpec::ToDeadline),
    ];
    if huge {
        prop_oneof![95 => base, 5 => any::<u64>().prop_map(TimeSpec::Any)].boxed()
    } else {
        base.boxed()
    }
}

fn invalid() -> impl Strategy<Value = InvalidSpec> {
    prop_oneof![
        Just(InvalidSpec::UnknownSystem),
        Just(InvalidSpec::PrimaryLink),
        any::<u8>().prop_map(InvalidSpec::MissingKey),
        any::<u8>().prop_map(InvalidSpec::NotCentralized),
        Just(InvalidSpec::NotAnObject),
        Just(InvalidSpec::TwoKeys),
        Just(InvalidSpec::UnknownField),
        Just(InvalidSpec::BadRelease),
        Just(InvalidSpec::BadCount),
        Just(InvalidSpec::EmptyKey),
    ]
}

/// One event: link flaps and time most often, then restarts, needs, licenses.
pub fn event(config: GenConfig) -> BoxedStrategy<EventSpec> {
    let sys = any::<u8>();
    let valid = prop_oneof![
        20 => time(config.huge_times).prop_map(EventSpec::Advance),
        20 => sys.prop_map(EventSpec::LinkDown),
        12 => sys.prop_map(EventSpec::LinkUp),
        10 => sys.prop_map(EventSpec::Restart),
        6 => (sys, release()).prop_map(|(s, r)| EventSpec::Upgrade(s, r)),
        14 => (sys, 0u8..7, need_count()).prop_map(|(s, k, c)| EventSpec::SetNeed(s, k, c)),
        10 => (sys, license()).prop_map(|(s, l)| EventSpec::AddLicense(s, l)),
        8 => (sys, 0u8..16).prop_map(|(s, k)| EventSpec::RemoveLicense(s, k)),
    ];
    if config.invalid_events {
        prop_oneof![
            92 => valid,
            8 => (sys, invalid()).prop_map(|(s, i)| EventSpec::Invalid(s, i)),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

/// A whole scenario.
pub fn scenario(config: GenConfig) -> impl Strategy<Value = ScenarioSpec> {
    (
        system(),
        any::<u8>(),
        vec(system(), 0..config.max_systems.max(1)),
        vec(event(config), 0..=config.max_events),
    )
        .prop_map(|(primary, primary_at, others, events)| ScenarioSpec {
            primary,
            primary_at,
            others,
            events,
        })
}
