//! Percentiles of very many values in bounded memory.
//!
//! A plan's attainment has one value per rep per trial: 500 reps and 200,000
//! trials are 10^8 values, more than a browser tab can hold. This histogram
//! keeps counts in buckets of fixed *relative* width instead: a bucket is the
//! values whose f64 bits agree in sign, exponent and the top `SUB_BUCKET_BITS`
//! bits of the mantissa, so a bucket spans at most 1/256 of its lower edge and
//! its midpoint is within 0.2% of any value in it. Counts are integers, so
//! histograms merge exactly, in any order, and percentiles do not depend on how
//! a run was split into chunks.
//!
//! Memory is bounded by the buckets between `LOWEST` and `HIGHEST` (140
//! powers of two x 256 sub-buckets, 287 KB), and in practice by the span the
//! values really cover: a few thousand buckets.

use serde::Serialize;

/// Mantissa bits that pick a sub-bucket: buckets are 2^-8 wide relative to their edge.
pub const SUB_BUCKET_BITS: u32 = 8;

/// Values below this count as zero (for attainment: under a trillionth of quota).
pub const LOWEST: f64 = 9.094_947_017_729_282e-13; // 2^-40
/// Values above this count in the top bucket (attainment 10^30 times quota is
/// past anything a valid scenario can book).
pub const HIGHEST: f64 = 1.267_650_600_228_229_4e30; // 2^100

const SHIFT: u32 = 52 - SUB_BUCKET_BITS;

fn bucket(x: f64) -> u32 {
    // Positive finite x: sign bit 0, so the bits order like the values.
    (x.clamp(LOWEST, HIGHEST).to_bits() >> SHIFT) as u32
}

fn lower_edge(bucket: u32) -> f64 {
    f64::from_bits((bucket as u64) << SHIFT)
}

/// The middle of a bucket: the value reported for every value in it.
fn midpoint(bucket: u32) -> f64 {
    0.5 * (lower_edge(bucket) + lower_edge(bucket + 1))
}

/// Counts of values in buckets 2^-8 of their value wide: percentiles within
/// 0.2% in bounded memory, merging exactly in any order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogHistogram {
    /// Values at or below zero, below `LOWEST`, or not a number.
    zeros: u64,
    /// Bucket number of `counts[0]`.
    first: u32,
    counts: Vec<u64>,
    total: u64,
}

impl LogHistogram {
    /// An empty histogram.
    pub fn new() -> LogHistogram {
        LogHistogram::default()
    }

    /// Values counted.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether no value has been counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Counts one value: at or below zero, below [`LOWEST`] or NaN as zero; above
    /// [`HIGHEST`] in the top bucket.
    pub fn push(&mut self, x: f64) {
        self.add(x, 1);
    }

    fn add(&mut self, x: f64, n: u64) {
        self.total += n;
        if !(x >= LOWEST) {
            self.zeros += n;
            return;
        }
        let b = bucket(x);
        self.add_to_bucket(b, n);
    }

    fn add_to_bucket(&mut self, b: u32, n: u64) {
        if self.counts.is_empty() {
            self.first = b;
            self.counts.push(0);
        } else if b < self.first {
            let grow = (self.first - b) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.first = b;
        } else if (b - self.first) as usize >= self.counts.len() {
            self.counts.resize((b - self.first) as usize + 1, 0);
        }
        self.counts[(b - self.first) as usize] += n;
    }

    /// The raw counts (zeros, first bucket, counts, total), to store or send.
    pub fn parts(&self) -> (u64, u32, &[u64], u64) {
        (self.zeros, self.first, &self.counts, self.total)
    }

    /// Rebuilds a histogram from `parts`; `None` when they do not fit together.
    pub fn from_parts(
        zeros: u64,
        first: u32,
        counts: Vec<u64>,
        total: u64,
    ) -> Option<LogHistogram> {
        let sum = counts
            .iter()
            .try_fold(zeros, |acc, &n| acc.checked_add(n))?;
        let fits = (first as u64).checked_add(counts.len() as u64)? <= bucket(HIGHEST) as u64 + 1;
        (sum == total && fits).then_some(LogHistogram {
            zeros,
            first,
            counts,
            total,
        })
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        self.zeros += other.zeros;
        self.total += other.zeros;
        for (i, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                self.total += n;
                self.add_to_bucket(other.first + i as u32, n);
            }
        }
    }

    /// The value of rank `k` (0-based, ascending), to the bucket's resolution.
    fn at_rank(&self, k: u64) -> f64 {
        if k < self.zeros {
            return 0.0;
        }
        let mut seen = self.zeros;
        for (i, &n) in self.counts.iter().enumerate() {
            seen += n;
            if k < seen {
                return midpoint(self.first + i as u32);
            }
        }
        self.counts
            .iter()
            .rposition(|&n| n > 0)
            .map_or(0.0, |i| midpoint(self.first + i as u32))
    }

    /// Percentile `q` in [0, 1], interpolated between order statistics as
    /// `stats::percentile` does (type 7); `None` when empty.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let h = (self.total - 1) as f64 * q.clamp(0.0, 1.0);
        let lo = h as u64;
        let a = self.at_rank(lo);
        let b = self.at_rank((lo + 1).min(self.total - 1));
        Some(a + (h - lo as f64) * (b - a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{percentile, sorted};

    #[test]
    fn percentiles_are_within_the_bucket_resolution() {
        // A lognormal-looking spread over five decades, with zeros.
        let values: Vec<f64> = (0..20_000u64)
            .map(|i| {
                if i % 17 == 0 {
                    0.0
                } else {
                    libm::exp(((i * 7919) % 20_000) as f64 / 20_000.0 * 11.0 - 6.0)
                }
            })
            .collect();
        let mut h = LogHistogram::new();
        values.iter().for_each(|&v| h.push(v));
        let exact = sorted(&values);
        for q in [0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0] {
            let want = percentile(&exact, q);
            let got = h.percentile(q).unwrap();
            assert!(
                (got - want).abs() <= want * 0.5 / 256.0 + 1e-12,
                "q {q}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn merging_in_any_order_gives_the_same_counts() {
        let parts: Vec<Vec<f64>> = (0..4)
            .map(|p| (0..500).map(|i| (i * (p + 3)) as f64 / 97.0).collect())
            .collect();
        let build = |order: &[usize]| {
            let mut all = LogHistogram::new();
            for &k in order {
                let mut h = LogHistogram::new();
                parts[k].iter().for_each(|&v| h.push(v));
                all.merge(&h);
            }
            all
        };
        let a = build(&[0, 1, 2, 3]);
        assert_eq!(a, build(&[3, 1, 0, 2]));
        let mut one = LogHistogram::new();
        parts.iter().flatten().for_each(|&v| one.push(v));
        assert_eq!(a, one);
        assert_eq!(a.len(), 2_000);
    }

    #[test]
    fn memory_is_bounded_whatever_the_values() {
        let mut h = LogHistogram::new();
        for x in [
            0.0,
            f64::MIN_POSITIVE,
            1e-300,
            1e300,
            f64::MAX,
            f64::NAN,
            -1.0,
        ] {
            h.push(x);
        }
        assert!(h.counts.len() <= 140 * 256 + 1, "{}", h.counts.len());
        assert_eq!(h.percentile(0.0), Some(0.0));
        assert!(h.percentile(1.0).unwrap().is_finite());
        assert_eq!(LogHistogram::new().percentile(0.5), None);
    }

    #[test]
    fn edges_are_powers_of_two() {
        assert_eq!(LOWEST, libm::pow(2.0, -40.0));
        assert_eq!(HIGHEST, libm::pow(2.0, 100.0));
    }
}
