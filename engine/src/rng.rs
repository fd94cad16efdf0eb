//! Random streams. Trial `t` of seed `s` owns its own streams, so results do
//! not depend on how trials are split into chunks or in what order chunks run.
//!
//! Each trial has one stream per purpose, and purposes whose draws vary in
//! number have one stream per outcome (`outcome_rng`). Keeping them apart
//! means that a change which adds a won deal, or moves one Poisson mean, does
//! not shift the draws of anything else, which keeps comparisons on common
//! random numbers as tight as the change allows.

use std::convert::Infallible;

use rand::{SeedableRng, TryRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Xoshiro256++ that counts its draws, so tests can bound the cost of a trial
/// in draws rather than in time (the count is a register add; it costs nothing
/// measurable and changes no output).
#[derive(Clone, Debug)]
pub struct TrialRng {
    inner: Xoshiro256PlusPlus,
    draws: u64,
}

impl TrialRng {
    /// Words of randomness taken so far.
    pub fn draws(&self) -> u64 {
        self.draws
    }
}

impl TryRng for TrialRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.draws += 1;
        self.inner.try_next_u32()
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.draws += 1;
        self.inner.try_next_u64()
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.draws += dst.len().div_ceil(8) as u64;
        self.inner.try_fill_bytes(dst)
    }
}

/// What a stream of a trial is for; each purpose has its own, so a change in
/// how many draws one needs shifts no other.
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
    /// Where the deals open today end up, one stream per starting stage.
    OpenDeals = 6,
}

/// SplitMix64's output function: a bijection on u64 with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

fn from_key(key: u64) -> TrialRng {
    let mut bytes = [0u8; 32];
    let mut state = key;
    for chunk in bytes.chunks_exact_mut(8) {
        state = state.wrapping_add(GOLDEN);
        chunk.copy_from_slice(&mix(state).to_le_bytes());
    }
    TrialRng {
        inner: Xoshiro256PlusPlus::from_seed(bytes),
        draws: 0,
    }
}

fn trial_key(seed: u64, trial: u64, stream: Stream) -> u64 {
    // Mixing each coordinate separately before combining keeps (seed, trial)
    // pairs that differ in one bit from sharing a state.
    mix(seed ^ mix(trial.wrapping_add(GOLDEN)) ^ mix((stream as u64).wrapping_mul(GOLDEN)))
}

/// A generator keyed by one number that is not a trial's: the exercise's
/// per-student stream (`exercise::Exercise::variant`), seeded the same way as
/// every trial stream so that it is as portable.
pub fn keyed_rng(key: u64) -> TrialRng {
    from_key(key)
}

/// The generator for `(seed, trial, stream)`.
pub fn trial_rng(seed: u64, trial: u64, stream: Stream) -> TrialRng {
    from_key(trial_key(seed, trial, stream))
}

/// The generator for one outcome (a stage's lost count, a month's won count,
/// a month's deal values) of `(seed, trial, stream)`.
pub fn outcome_rng(seed: u64, trial: u64, stream: Stream, outcome: u64) -> TrialRng {
    OutcomeStreams::new(seed, trial, stream).rng(outcome)
}

/// Every outcome's stream of `(seed, trial, stream)`, with the trial's key
/// mixed once rather than once per outcome: a trial seeds dozens of them, and
/// seeding is about a tenth of its time.
#[derive(Clone, Copy, Debug)]
pub struct OutcomeStreams(u64);

impl OutcomeStreams {
    /// The streams of `stream` in trial `trial` of `seed`.
    pub fn new(seed: u64, trial: u64, stream: Stream) -> OutcomeStreams {
        OutcomeStreams(trial_key(seed, trial, stream))
    }

    /// The same generator as `outcome_rng(seed, trial, stream, outcome)`.
    pub fn rng(self, outcome: u64) -> TrialRng {
        // An odd multiplier other than GOLDEN keeps outcome 0 apart from `trial_rng`.
        const OUTCOME: u64 = 0xd6e8_feb8_6659_fd93;
        from_key(mix(self.0 ^ mix((outcome + 1).wrapping_mul(OUTCOME))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn counts_every_word_and_keeps_the_stream() {
        let mut counted = trial_rng(3, 4, Stream::Counts);
        let mut plain = counted.inner.clone();
        assert_eq!(counted.next_u64(), plain.next_u64());
        assert_eq!(counted.next_u32(), plain.next_u32());
        let mut bytes = [0u8; 9];
        counted.fill_bytes(&mut bytes);
        assert_eq!(counted.draws(), 4);
    }

    #[test]
    fn outcome_streams_differ_from_each_other_and_from_the_trial_stream() {
        let first = |mut r: TrialRng| r.next_u64();
        let base = first(trial_rng(1, 0, Stream::Counts));
        let outcomes: Vec<u64> = (0..64)
            .map(|k| first(outcome_rng(1, 0, Stream::Counts, k)))
            .collect();
        assert!(!outcomes.contains(&base));
        let mut unique = outcomes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), outcomes.len());
    }
}
