//! Random streams. Trial `t` of seed `s` owns its own streams, so results do
//! not depend on how trials are split into chunks or in what order chunks run.
//!
//! Each trial has one stream per purpose. Keeping purposes apart means that a
//! change which adds a won deal does not shift the draws of the conversion
//! rates, which keeps comparisons on common random numbers tight.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

pub type TrialRng = Xoshiro256PlusPlus;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// What we do not know, drawn once per trial: rates, the lead multiplier.
    Uncertainty = 1,
    /// Counts of leads and deals moving through the funnel.
    Counts = 2,
    /// Values of won deals.
    Values = 3,
    /// Rep skill, drawn once per trial.
    Team = 4,
    /// Which rep each won deal goes to.
    Assign = 5,
}

/// SplitMix64's output function: a bijection on u64 with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generator for `(seed, trial, stream)`.
pub fn trial_rng(seed: u64, trial: u64, stream: Stream) -> TrialRng {
    const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
    // Mixing each coordinate separately before combining keeps (seed, trial)
    // pairs that differ in one bit from sharing a state.
    let key =
        mix(seed ^ mix(trial.wrapping_add(GOLDEN)) ^ mix((stream as u64).wrapping_mul(GOLDEN)));
    let mut bytes = [0u8; 32];
    let mut state = key;
    for chunk in bytes.chunks_exact_mut(8) {
        state = state.wrapping_add(GOLDEN);
        chunk.copy_from_slice(&mix(state).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}
