//! Descriptive statistics over trials.
//!
//! Percentiles interpolate linearly between order statistics (Hyndman & Fan
//! type 7, the default of R and NumPy): P50 of 1..=4 is 2.5.

use serde::{Deserialize, Serialize};

/// Linear-interpolated percentile `q` in [0, 1] of ascending `sorted` values.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
            let lo = h as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// An ascending copy of `values`, ordered by `f64::total_cmp`.
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut keys: Vec<i64> = values.iter().map(|&x| order_key(x)).collect();
    // Values equal under `total_cmp` have the same bits, so a stable and an
    // unstable sort give the same array.
    keys.sort_unstable();
    keys.into_iter().map(from_order_key).collect()
}

/// `x` as an integer whose order is `f64::total_cmp`'s (the transform that
/// `total_cmp` itself applies): sorting and selecting on these compares
/// integers instead of calling a comparison closure, about twice as fast.
#[inline]
fn order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The inverse of `order_key` (the transform is its own inverse).
#[inline]
fn from_order_key(key: i64) -> f64 {
    f64::from_bits((key ^ (((key >> 63) as u64) >> 1) as i64) as u64)
}

/// Mean and sample standard deviation, summed in order.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut sum = 0.0;
    for v in values {
        sum += v;
    }
    let mean = sum / n as f64;
    if n == 1 {
        return (mean, 0.0);
    }
    let mut ss = 0.0;
    for v in values {
        ss += (v - mean) * (v - mean);
    }
    (mean, libm::sqrt(ss / (n - 1) as f64))
}

/// The statistics MODEL.md lists for revenue and won deals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Mean over trials.
    pub mean: f64,
    /// Sample standard deviation over trials (divided by n - 1).
    pub sd: f64,
    /// Monte Carlo standard error of the mean: sd / sqrt(trials).
    pub mean_se: f64,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median (50th percentile).
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile: 90% of trials lie at or below it.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

impl Stats {
    /// The statistics of `values`, one per trial (NaN throughout when empty).
    pub fn of(values: &[f64]) -> Stats {
        let (mean, sd) = mean_sd(values);
        let s = sorted(values);
        let p = |q| percentile(&s, q);
        Stats {
            mean,
            sd,
            mean_se: sd / libm::sqrt(values.len() as f64),
            min: s.first().copied().unwrap_or(f64::NAN),
            p5: p(0.05),
            p10: p(0.10),
            p25: p(0.25),
            p50: p(0.50),
            p75: p(0.75),
            p90: p(0.90),
            p95: p(0.95),
            max: s.last().copied().unwrap_or(f64::NAN),
        }
    }

    /// [`Stats::of`] counts (deals, leads), as numbers.
    pub fn of_counts(values: &[u64]) -> Stats {
        let v: Vec<f64> = values.iter().map(|&x| x as f64).collect();
        Stats::of(&v)
    }
}

/// Mean and the P10/P50/P90 band, for charts over time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Mean of the values.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median (50th percentile).
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Band {
    /// Mean and P10/P50/P90 of `values`: the same numbers as [`percentile`] of them sorted.
    pub fn of(values: &[f64]) -> Band {
        let (mean, _) = mean_sd(values);
        // Selection instead of a full sort: a summary computes two bands per
        // month, and this is most of its time for long horizons.
        let mut work: Vec<i64> = values.iter().map(|&x| order_key(x)).collect();
        let [p10, p50, p90] = select_percentiles(&mut work, [0.10, 0.50, 0.90]);
        Band {
            mean,
            p10,
            p50,
            p90,
        }
    }
}

/// `percentile` at each of the ascending `qs` of the values whose
/// `order_key`s are `keys`, reordering them. Each selection after the first
/// looks only right of the one before, where its order statistic must be.
fn select_percentiles<const N: usize>(keys: &mut [i64], qs: [f64; N]) -> [f64; N] {
    let n = keys.len();
    let mut from = 0;
    qs.map(|q| {
        if n < 2 {
            return keys.first().map_or(f64::NAN, |&k| from_order_key(k));
        }
        let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
        let lo = (h as usize).max(from);
        let (_, &mut at_lo, right) = keys[from..].select_nth_unstable(lo - from);
        let at_hi = right.iter().copied().min().unwrap_or(at_lo);
        from = lo;
        let (at_lo, at_hi) = (from_order_key(at_lo), from_order_key(at_hi));
        at_lo + (h - lo as f64) * (at_hi - at_lo)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&s, 0.5), 2.5);
        assert_eq!(percentile(&s, 0.0), 1.0);
        assert_eq!(percentile(&s, 1.0), 4.0);
        assert!((percentile(&s, 0.1) - 1.3).abs() < 1e-12);
    }

    /// Selection on order keys against a full sort with `total_cmp`, with
    /// ties, signed zeros and negative values, at every size up to 40 and
    /// one large one.
    #[test]
    fn selection_matches_sorting() {
        for n in (0..40).chain([1001]) {
            let values: Vec<f64> = (0..n)
                .map(|i| match i % 5 {
                    0 => -0.0,
                    1 => 0.0,
                    _ => ((i * 7919) % 1001) as f64 * 0.37 - 100.0,
                })
                .collect();
            let mut by_cmp = values.clone();
            by_cmp.sort_by(f64::total_cmp);
            let s = sorted(&values);
            assert!(
                s.iter()
                    .zip(&by_cmp)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            );
            let qs = [0.0, 0.1, 0.25, 0.5, 0.9, 0.999, 1.0];
            let mut keys: Vec<i64> = values.iter().map(|&x| order_key(x)).collect();
            let got = select_percentiles(&mut keys, qs);
            for (q, got) in qs.into_iter().zip(got) {
                let want = percentile(&by_cmp, q);
                assert_eq!(got.to_bits(), want.to_bits(), "n={n} q={q}");
            }
        }
    }

    #[test]
    fn stats_of_a_known_sample() {
        let st = Stats::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(st.mean, 5.0);
        assert!((st.sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(st.min, 2.0);
        assert_eq!(st.max, 9.0);
        assert_eq!(st.p50, 4.5);
    }
}
