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
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
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
        let mut work = values.to_vec();
        Band {
            mean,
            p10: select_percentile(&mut work, 0.10),
            p50: select_percentile(&mut work, 0.50),
            p90: select_percentile(&mut work, 0.90),
        }
    }
}

/// `percentile` of unsorted values, reordering them; the same result as
/// sorting first, since order statistics do not depend on the method.
pub fn select_percentile(values: &mut [f64], q: f64) -> f64 {
    let n = values.len();
    if n < 2 {
        return values.first().copied().unwrap_or(f64::NAN);
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h as usize;
    let (_, &mut at_lo, right) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let at_hi = right
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .unwrap_or(at_lo);
    at_lo + (h - lo as f64) * (at_hi - at_lo)
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

    #[test]
    fn selection_matches_sorting() {
        let values: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1001) as f64 * 0.37)
            .collect();
        let s = sorted(&values);
        for q in [0.0, 0.1, 0.25, 0.5, 0.9, 0.999, 1.0] {
            let mut work = values.clone();
            assert_eq!(select_percentile(&mut work, q), percentile(&s, q), "q={q}");
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
