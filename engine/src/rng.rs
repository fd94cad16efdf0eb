//! Random streams. Trial `t` of seed `s` owns its own streams, so results do
//! not depend on how trials are split into chunks or in what order chunks run.
//!
//! Each trial has one stream per purpose, and purposes whose draws vary in
//! number have one stream per outcome (`outcome_rng`). Keeping them apart
//! means that a change which adds a won deal, or moves one Poisson mean, does
//! not shift the draws of anything else, which keeps comparisons on common
//! random numbers as tight as the change allows.

use std::convert::Infallible;

use rand::TryRng;

/// Xoshiro256++ (Blackman and Vigna), the same generator as
/// `rand_xoshiro::Xoshiro256PlusPlus`, word for word (a test checks), but
/// made from its four state words rather than from 32 seed bytes. A trial
/// seeds about 45 streams, and the crate's only constructors go through a
/// byte array and a check that it is not all zero: written as words and read
/// back as wider loads, which the processor cannot forward from the stores
/// (about a tenth of the funnel's samples in `perf`). The words come from
/// `mix`, a bijection, at four different inputs, so at most one of them is 0
/// and the crate's all-zero fallback is never taken: the same streams.
/// Measured on the reference scenario: 111.4M -> 109.4M instructions over
/// 2,000 trials (cachegrind), 270.9 -> 258.4 ms of CPU time for 50,000 trials
/// (`funnelsim run --threads 1`, best of 8 alternated runs).
#[derive(Clone, Debug)]
struct Xoshiro256pp {
    s: [u64; 4],
}

impl Xoshiro256pp {
    #[inline]
    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

/// Xoshiro256++ that counts its draws, so tests can bound the cost of a trial
/// in draws rather than in time (the count is a register add; it costs nothing
/// measurable and changes no output).
#[derive(Clone, Debug)]
pub struct TrialRng {
    inner: Xoshiro256pp,
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
        // The upper bits, as rand_xoshiro does: the lowest have linear dependencies.
        Ok((self.inner.next_u64() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.draws += 1;
        Ok(self.inner.next_u64())
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.draws += dst.len().div_ceil(8) as u64;
        rand::rand_core::utils::fill_bytes_via_next_word(dst, || {
            Ok::<u64, Infallible>(self.inner.next_u64())
        })
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

#[inline]
fn from_key(key: u64) -> TrialRng {
    let word = |k: u64| mix(key.wrapping_add(GOLDEN.wrapping_mul(k)));
    TrialRng {
        inner: Xoshiro256pp {
            s: [word(1), word(2), word(3), word(4)],
        },
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

    /// The streams `from_key` made before it built the state itself: the
    /// crate's generator seeded with the same words as little-endian bytes.
    fn crate_stream(key: u64) -> rand_xoshiro::Xoshiro256PlusPlus {
        use rand::SeedableRng;
        let mut bytes = [0u8; 32];
        let mut state = key;
        for chunk in bytes.chunks_exact_mut(8) {
            state = state.wrapping_add(GOLDEN);
            chunk.copy_from_slice(&mix(state).to_le_bytes());
        }
        rand_xoshiro::Xoshiro256PlusPlus::from_seed(bytes)
    }

    #[test]
    fn streams_are_rand_xoshiros_word_for_word() {
        for key in [
            0,
            1,
            2,
            GOLDEN.wrapping_neg(),
            u64::MAX,
            0x1234_5678_9abc_def0,
        ] {
            let (mut ours, mut theirs) = (from_key(key), crate_stream(key));
            for _ in 0..1000 {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "key {key}");
            }
            assert_eq!(ours.next_u32(), theirs.next_u32(), "key {key}");
            let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
            ours.fill_bytes(&mut a);
            theirs.fill_bytes(&mut b);
            assert_eq!(a, b, "key {key}");
        }
    }

    #[test]
    fn counts_every_word_and_keeps_the_stream() {
        let mut counted = trial_rng(3, 4, Stream::Counts);
        let mut plain = counted.clone();
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
