//! The two statistics of a calibration report that need more than counting:
//! the Beta interval of a `{won, of}` rate and the median stay of a stage
//! with open deals in it (Kaplan-Meier).
//!
//! Hand-written: the Beta quantile is the regularized incomplete beta
//! function (Numerical Recipes' continued fraction, Lentz's method) and a
//! bisection; a statistics crate (statrs) would bring nalgebra and more into
//! the WASM build for these thirty lines. Maths from `libm`, as everywhere
//! in the engine.

/// `I_x(a, b)`, the Beta(a, b) distribution function at `x`.
pub fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if !(x > 0.0) {
        return 0.0;
    }
    if !(x < 1.0) {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log(1.0 - x);
    let front = libm::exp(ln_front);
    // The continued fraction converges fast below the mean; use the symmetry above it.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * continued_fraction(x, a, b) / a
    } else {
        1.0 - front * continued_fraction(1.0 - x, b, a) / b
    }
}

fn continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=100_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The `q` quantile of Beta(a, b), by bisection (to about 1e-15).
pub fn beta_quantile(q: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if beta_cdf(mid, a, b) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The central `level` interval (0.9: P5 to P95) of the rate a `{won, of}`
/// conversion draws from, Beta(won + 1, of - won + 1) (MODEL.md).
pub fn rate_interval(won: u64, of: u64, level: f64) -> [f64; 2] {
    let a = won as f64 + 1.0;
    let b = of.saturating_sub(won) as f64 + 1.0;
    let tail = (1.0 - level.clamp(0.0, 1.0)) / 2.0;
    [beta_quantile(tail, a, b), beta_quantile(1.0 - tail, a, b)]
}

/// The Kaplan-Meier median of stays, each `(days, left)`: `left` false for a
/// deal still in the stage after `days` (censored). `None` when the
/// survival curve never falls to one half (over half the deals are still
/// there, as far as the data tells) or there are no stays.
pub fn km_median(stays: &mut [(u32, bool)]) -> Option<f64> {
    // At equal days, deals that left count before those censored (the usual convention).
    stays.sort_unstable_by_key(|&(d, left)| (d, !left));
    let mut at_risk = stays.len() as f64;
    let mut survival = 1.0;
    let mut i = 0;
    while i < stays.len() {
        let day = stays[i].0;
        let (mut left, mut all) = (0.0, 0.0);
        while i < stays.len() && stays[i].0 == day {
            left += f64::from(u8::from(stays[i].1));
            all += 1.0;
            i += 1;
        }
        if left > 0.0 {
            survival *= 1.0 - left / at_risk;
            if survival <= 0.5 {
                return Some(f64::from(day));
            }
        }
        at_risk -= all;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_cdf_matches_closed_forms() {
        // Beta(1, 1) is uniform; Beta(2, 1) has cdf x^2; Beta(1, 3): 1 - (1-x)^3.
        for x in [0.1, 0.37, 0.5, 0.9] {
            assert!((beta_cdf(x, 1.0, 1.0) - x).abs() < 1e-12);
            assert!((beta_cdf(x, 2.0, 1.0) - x * x).abs() < 1e-12);
            assert!(
                (beta_cdf(x, 1.0, 3.0) - (1.0 - (1.0 - x) * (1.0 - x) * (1.0 - x))).abs() < 1e-12
            );
        }
        // Symmetric: the median of Beta(a, a) is 1/2.
        assert!((beta_quantile(0.5, 40.0, 40.0) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn large_counts_give_the_normal_interval() {
        // 30,000 of 100,000: the interval is about mean +- 1.645 sd.
        let [lo, hi] = rate_interval(30_000, 100_000, 0.9);
        let (a, b) = (30_001.0, 70_001.0);
        let mean = a / (a + b);
        let sd = libm::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
        assert!((lo - (mean - 1.644_853_6 * sd)).abs() < 0.02 * sd, "{lo}");
        assert!((hi - (mean + 1.644_853_6 * sd)).abs() < 0.02 * sd, "{hi}");
    }

    #[test]
    fn no_decided_deal_gives_the_uniform_interval() {
        let [lo, hi] = rate_interval(0, 0, 0.9);
        assert!((lo - 0.05).abs() < 1e-9 && (hi - 0.95).abs() < 1e-9);
        let [lo, hi] = rate_interval(5, 5, 0.9);
        // Beta(6, 1): cdf x^6.
        assert!(
            (lo - libm::pow(0.05, 1.0 / 6.0)).abs() < 1e-9 && hi < 1.0,
            "{lo} {hi}"
        );
    }

    #[test]
    fn kaplan_meier_counts_open_deals_at_risk() {
        // Without censoring: the plain median (the lower one of an even count).
        assert_eq!(
            km_median(&mut [(1, true), (2, true), (3, true), (4, true)]),
            Some(2.0)
        );
        // Two deals still in after 10 days: survival 3/4 after day 1, 2/4 after day 2.
        assert_eq!(
            km_median(&mut [(1, true), (2, true), (10, false), (10, false)]),
            Some(2.0)
        );
        // Censored early, they leave the risk set: 1 of 3 then 1 of 2 leaves.
        assert_eq!(
            km_median(&mut [(0, false), (5, true), (7, true), (9, false)]),
            Some(7.0)
        );
        // Most deals still there: no median yet.
        assert_eq!(km_median(&mut [(5, true), (10, false), (10, false)]), None);
        assert_eq!(km_median(&mut []), None);
    }
}
