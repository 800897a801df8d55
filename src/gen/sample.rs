//! The distribution of random specs, drawn straight from a random number
//! generator: biased toward the boundaries where bugs live (counts at 0 and
//! near u32::MAX, releases around the supported range, landings one second
//! either side of a grace deadline, duplicate keys, foreign SIDs).
//!
//! Why not proptest's combinators: a proptest value tree of a whole scenario
//! is built for every case, with hundreds of boxed nodes and runner clones for
//! shrinking, and building it cost more than everything else the harness does
//! for a case. A spec is drawn here in a few microseconds, and its shrinker
//! ([`super::simplify`]) is made only for a case that fails. The weights are
//! those the proptest strategies had; [`super::strategy::scenario`] wraps this
//! draw for proptest properties.

use proptest::prelude::Rng;

use super::config::GenConfig;
use super::spec::*;
use crate::model::Kind;

/// A generator with the few draws the specs need.
pub struct Draw<'a, R: Rng + ?Sized>(pub &'a mut R);

impl<R: Rng + ?Sized> Draw<'_, R> {
    /// Uniform in `0..n` (`n > 0`; the modulo bias is below 2^-40 for the
    /// small `n` used here).
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n
    }

    /// Uniform in `0..n` as a `u8` (`n <= 256`).
    fn small(&mut self, n: u64) -> u8 {
        self.below(n) as u8
    }

    /// Any `u8`.
    fn byte(&mut self) -> u8 {
        self.0.next_u32() as u8
    }

    /// An index into `weights`, each chosen in proportion to its weight.
    fn pick(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(u64::from(total)) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// Counts: mostly small, sometimes 0 or near u32::MAX.
    pub fn count(&mut self) -> CountSpec {
        match self.pick(&[60, 10, 15, 15]) {
            0 => CountSpec::Small(self.small(16)),
            1 => CountSpec::Zero,
            2 => CountSpec::NearMax(self.small(4)),
            _ => CountSpec::Any(self.0.next_u32()),
        }
    }

    /// Needs: mostly small so that they land just below, at and above typical
    /// pools.
    pub fn need_count(&mut self) -> CountSpec {
        match self.pick(&[80, 10, 10]) {
            0 => CountSpec::Small(self.small(16)),
            1 => CountSpec::Zero,
            _ => CountSpec::NearMax(self.small(4)),
        }
    }

    /// Releases across and around 6.0 ..= 9.1; supported ones most often.
    pub fn release(&mut self) -> ReleaseSpec {
        match self.pick(&[60, 25, 5, 10]) {
            // 9.1, 9.0, 6.0, 8.1: supported.
            0 => ReleaseSpec::Listed([5, 4, 2, 3][self.below(4) as usize]),
            1 => ReleaseSpec::Listed(self.small(RELEASES.len() as u64)),
            // Leading zeros (D-REL-SPELLING): `09.01` must equal 9.1.
            2 => ReleaseSpec::Spelled(self.small(RELEASES.len() as u64), self.small(16)),
            // Mostly parts below 20; a 19 stands for a part of three digits
            // (D-REL-DIGITS), with no further draw.
            _ => {
                let (a, b) = (self.below(20) as u16, self.below(20) as u16);
                let three = |x: u16, other: u16| if x == 19 { 100 + other * 47 } else { x };
                ReleaseSpec::Any(three(a, b), three(b, a))
            }
        }
    }

    /// A license: centralized kinds most often, then Server Edition and
    /// unsupported ones; its own SID most often.
    pub fn license(&mut self) -> LicenseSpec {
        let key = self.small(16);
        let kind = match self.pick(&[65, 15, 20]) {
            0 => {
                let i = self.below(Kind::centralized().count() as u64) as usize;
                kind_index(Kind::centralized().nth(i).unwrap_or(Kind::PowerUser))
            }
            1 => kind_index(Kind::ServerEdition),
            _ => self.small(Kind::ALL.len() as u64),
        };
        let sid = match self.pick(&[75, 20, 5]) {
            0 => SidSpec::Own,
            1 => SidSpec::OfSystem(self.byte()),
            _ => SidSpec::Stranger,
        };
        let count = self.count();
        LicenseSpec {
            key,
            kind,
            sid,
            count,
        }
    }

    /// One system: mostly expansions with a valid Server Edition license, and
    /// up to `max_licenses` further licenses.
    pub fn system(&mut self, max_licenses: usize) -> SystemSpec {
        self.system_of(0, max_licenses)
    }

    /// One system with `min..=max` further licenses.
    pub fn system_of(&mut self, min_licenses: usize, max_licenses: usize) -> SystemSpec {
        let role =
            [RoleSpec::Expansion, RoleSpec::Secondary, RoleSpec::Portal][self.pick(&[70, 20, 10])];
        let release = self.release();
        let voicemail = self.below(2) == 1;
        let se = [
            SeSpec::Valid,
            SeSpec::Missing,
            SeSpec::CountZero,
            SeSpec::WrongSid,
        ][self.pick(&[85, 5, 5, 5])];
        let needs = (0..self.below(4))
            .map(|_| (self.small(7), self.need_count()))
            .collect();
        let min = min_licenses.min(max_licenses) as u64;
        let licenses = (0..min + self.below(max_licenses as u64 - min + 1))
            .map(|_| self.license())
            .collect();
        let down = self.below(10) == 0;
        SystemSpec {
            role,
            release,
            voicemail,
            se,
            needs,
            licenses,
            down,
        }
    }

    /// Time advances: short ones, whole grace periods, and landings one second
    /// before, on and after the next deadline; with `huge`, sometimes any u64.
    pub fn time(&mut self, huge: bool) -> TimeSpec {
        if huge && self.below(100) < 5 {
            return TimeSpec::Any(self.0.next_u64());
        }
        match self.pick(&[30, 10, 50]) {
            0 => TimeSpec::Seconds(self.below(1000) as u16),
            1 => TimeSpec::Grace,
            _ => TimeSpec::ToDeadline(self.small(3)),
        }
    }

    fn invalid(&mut self) -> InvalidSpec {
        match self.below(10) {
            0 => InvalidSpec::UnknownSystem,
            1 => InvalidSpec::PrimaryLink,
            2 => InvalidSpec::MissingKey(self.byte()),
            3 => InvalidSpec::NotCentralized(self.byte()),
            4 => InvalidSpec::NotAnObject,
            5 => InvalidSpec::TwoKeys,
            6 => InvalidSpec::UnknownField,
            7 => InvalidSpec::BadRelease,
            8 => InvalidSpec::BadCount,
            _ => InvalidSpec::EmptyKey,
        }
    }

    /// One event: link flaps and time most often, then restarts, needs,
    /// licenses; with `config.invalid_events`, 8% that must be rejected.
    pub fn event(&mut self, config: GenConfig) -> EventSpec {
        if config.invalid_events && self.below(100) < 8 {
            let s = self.byte();
            return EventSpec::Invalid(s, self.invalid());
        }
        match self.pick(&[20, 20, 12, 10, 6, 14, 10, 8]) {
            0 => EventSpec::Advance(self.time(config.huge_times)),
            1 => EventSpec::LinkDown(self.byte()),
            2 => EventSpec::LinkUp(self.byte()),
            3 => EventSpec::Restart(self.byte()),
            4 => EventSpec::Upgrade(self.byte(), self.release()),
            5 => EventSpec::SetNeed(self.byte(), self.small(7), self.need_count()),
            6 => EventSpec::AddLicense(self.byte(), self.license()),
            _ => EventSpec::RemoveLicense(self.byte(), self.small(16)),
        }
    }

    /// A whole scenario: up to `config.max_systems` systems (the primary
    /// included) and `config.max_events` events.
    pub fn scenario(&mut self, config: GenConfig) -> ScenarioSpec {
        let primary = self.system_of(config.min_licenses, config.max_licenses);
        let primary_at = self.byte();
        let max = config.max_systems.max(1);
        let min = config.min_systems.min(max - 1);
        let others = (0..min as u64 + self.below((max - min) as u64))
            .map(|_| self.system(config.max_licenses.min(5)))
            .collect();
        let events = (0..self.below(config.max_events as u64 + 1))
            .map(|_| self.event(config))
            .collect();
        // Drawn last, so that the rest of a case is what the same seed drew
        // before identifiers had styles.
        let idents = self.idents();
        ScenarioSpec {
            primary,
            primary_at,
            others,
            events,
            idents,
        }
    }

    /// How a case's identifiers are written: plain three times in four, else
    /// at one boundary of what RULES.md §1 allows (D-ID-*).
    pub fn idents(&mut self) -> IdentSpec {
        match self.pick(&[12, 1, 1, 1, 1, 1]) {
            0 => IdentSpec::Plain,
            1 => IdentSpec::CaseTwins,
            2 => IdentSpec::Unicode,
            3 => IdentSpec::Spaces,
            4 => IdentSpec::Escapes,
            // Short and long alike: 1 character, or 1,024 and more.
            _ => IdentSpec::Length(if self.byte() < 128 {
                0
            } else {
                1023 + u16::from(self.byte())
            }),
        }
    }
}

fn kind_index(kind: Kind) -> u8 {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{RngAlgorithm, TestRng};

    fn rng(seed: u8) -> TestRng {
        TestRng::from_seed(RngAlgorithm::XorShift, &[seed; 16])
    }

    #[test]
    fn sizes_stay_within_the_config() {
        let config = GenConfig {
            max_systems: 3,
            max_events: 5,
            ..GenConfig::default()
        };
        let mut r = rng(1);
        let specs: Vec<ScenarioSpec> = (0..2000).map(|_| Draw(&mut r).scenario(config)).collect();
        assert!(specs
            .iter()
            .all(|s| s.others.len() < 3 && s.events.len() <= 5));
        // Every size is reached, the extremes included.
        assert!(specs
            .iter()
            .any(|s| s.others.len() == 2 && s.events.len() == 5));
        assert!(specs
            .iter()
            .any(|s| s.others.is_empty() && s.events.is_empty()));
    }

    #[test]
    fn weights_are_kept() {
        let mut r = rng(2);
        let mut d = Draw(&mut r);
        let n = 20_000;
        let hits = (0..n).filter(|_| d.pick(&[60, 10, 15, 15]) == 0).count();
        // 60% within a few standard deviations (sd ≈ 0.35%).
        assert!((11_600..12_400).contains(&hits), "{hits}");
        let invalid = (0..n)
            .filter(|_| matches!(d.event(GenConfig::default()), EventSpec::Invalid(..)))
            .count();
        assert!((1_400..1_800).contains(&invalid), "{invalid}");
        let none = GenConfig {
            invalid_events: false,
            huge_times: false,
            ..GenConfig::default()
        };
        assert!((0..n).all(|_| !matches!(
            d.event(none),
            EventSpec::Invalid(..) | EventSpec::Advance(TimeSpec::Any(_))
        )));
    }

    #[test]
    fn the_same_seed_draws_the_same_spec() {
        let a: Vec<_> = (0..50)
            .map(|_| ())
            .scan(rng(3), |r, _| Some(Draw(r).scenario(GenConfig::default())))
            .collect();
        let b: Vec<_> = (0..50)
            .map(|_| ())
            .scan(rng(3), |r, _| Some(Draw(r).scenario(GenConfig::default())))
            .collect();
        assert_eq!(a, b);
    }
}
