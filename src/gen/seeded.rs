//! Random case `index` of a run, candidate `c`: a spec drawn from a seed
//! derived from the run's seed, the index and the candidate alone, so any case
//! replays from `--seed` and its index. Candidate 0 is the unsteered case;
//! steering (`crate::verify::steer`) chooses among the others.

use proptest::test_runner::{RngAlgorithm, TestRng};

use super::{config::GenConfig, sample::Draw, ScenarioSpec};

/// The seed of candidate `c` of case `index` (splitmix64 of the run seed, the
/// index and the candidate); candidate 0 is the unsteered case.
pub fn candidate_seed(seed: u64, index: u64, candidate: u64) -> [u8; 32] {
    let mut x = (seed ^ candidate.wrapping_mul(0xD1B5_4A32_D192_ED03))
        ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

/// Candidate `c` of case `index`, drawn at the size of its index
/// ([`sized`]).
pub fn candidate(config: GenConfig, seed: u64, index: u64, c: u64) -> ScenarioSpec {
    let mut rng = TestRng::from_seed(
        RngAlgorithm::XorShift,
        &candidate_seed(seed, index, c)[..16],
    );
    Draw(&mut rng).scenario(sized(config, seed, index))
}

/// Systems of a typical case at most: small networks find most bugs, and are
/// cheap, so most cases are small.
pub const TYPICAL_SYSTEMS: usize = 8;
/// Events of a typical case at most.
pub const TYPICAL_EVENTS: usize = 24;
/// Licenses per configuration of a typical case at most.
pub const TYPICAL_LICENSES: usize = 5;

/// The size of random case `index`, within the bounds of `config` (every
/// case, whatever its tier, stays within them). As QuickCheck's size
/// parameter does, the bounds of the large tiers grow with the index, so a
/// run meets small cases first and large ones later; which tier a case is in
/// depends on the seed and the index alone:
/// - 1 case in 256: a large network (from 33 systems, growing by one system
///   every 4 indices up to `max_systems`, drawn in the upper half of that
///   range), and a history of up to as many events (D-SIZE-32, D-SIZE-150);
/// - 1 in 512: a long history (from 24 events up to `max_events`) on at most
///   4 systems, where one system goes down and up again and again
///   (D-SIZE-HISTORY, D-SIZE-OUTAGES);
/// - 1 in 512: a long configuration of the Primary (up to `max_licenses`,
///   growing likewise, in the upper half of its range: D-SIZE-LICENSES);
/// - every other case: at most [`TYPICAL_SYSTEMS`], [`TYPICAL_EVENTS`] and
///   [`TYPICAL_LICENSES`].
pub fn sized(config: GenConfig, seed: u64, index: u64) -> GenConfig {
    let typical = GenConfig {
        max_systems: config.max_systems.min(TYPICAL_SYSTEMS),
        max_events: config.max_events.min(TYPICAL_EVENTS),
        max_licenses: config.max_licenses.min(TYPICAL_LICENSES),
        min_systems: 0,
        min_licenses: 0,
        ..config
    };
    let grown = |bound: usize, from: usize| {
        bound.min(from.saturating_add(usize::try_from(index / 4).unwrap_or(usize::MAX)))
    };
    let tier = u64::from_le_bytes(
        candidate_seed(seed ^ 0x51_2e, index, 0)[..8]
            .try_into()
            .unwrap_or([0; 8]),
    ) % 512;
    match tier {
        0 | 1 => {
            let max_systems = grown(config.max_systems, 33);
            GenConfig {
                max_systems,
                min_systems: max_systems / 2,
                max_events: grown(config.max_events, TYPICAL_EVENTS),
                ..typical
            }
        }
        2 => GenConfig {
            max_systems: typical.max_systems.min(4),
            max_events: grown(config.max_events, TYPICAL_EVENTS),
            ..typical
        },
        3 => {
            let max_licenses = grown(config.max_licenses, TYPICAL_LICENSES);
            GenConfig {
                max_licenses,
                min_licenses: max_licenses / 2,
                ..typical
            }
        }
        _ => typical,
    }
}
