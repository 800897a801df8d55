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

/// Candidate `c` of case `index`.
pub fn candidate(config: GenConfig, seed: u64, index: u64, c: u64) -> ScenarioSpec {
    let mut rng = TestRng::from_seed(
        RngAlgorithm::XorShift,
        &candidate_seed(seed, index, c)[..16],
    );
    Draw(&mut rng).scenario(config)
}
