//! Leads per month and their growth: new deals per calendar month over the
//! last 12 full months before the as-of date, and a log-linear fit
//! `E[leads in month x] = exp(a + b x)`.
//!
//! The fit is Poisson regression (the maximum-likelihood log-linear fit for
//! counts; it takes a month with no leads, which least squares on the
//! logarithms cannot), solved by Newton's method on its two parameters.
//! `per_month` is the fit one month past the last full month (the first
//! month of the forecast) and `growth_per_month` is `exp(b) - 1`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dates::Date;

/// Months the fit looks back over (MODEL.md).
pub const FIT_MONTHS: i64 = 12;
/// Growth the fit may report, either way: beyond it a few months of data
/// extrapolate wildly (the report warns when this clamps).
pub const MAX_GROWTH: f64 = 0.5;

/// One month's count and what the fit makes of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthLeads {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// New deals that month.
    pub leads: u64,
    /// The fitted expectation that month.
    pub fitted: f64,
}

/// The leads part of a calibration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadsFit {
    /// The full months fitted, oldest first (at most 12).
    pub months: Vec<MonthLeads>,
    /// Expected leads in the first month of the forecast.
    pub per_month: f64,
    /// Standard error of `per_month` (delta method; 0 without a fit).
    pub per_month_se: f64,
    /// Compound growth a month.
    pub growth_per_month: f64,
    /// Whether `growth_per_month` was clamped to +-[`MAX_GROWTH`].
    pub growth_clamped: bool,
}

/// The months to fit: up to 12 full months ending before `as_of`, after the
/// first month with a lead unless that lead came on its first day (the
/// first month of an export is usually only part of a month of history).
fn window(first: Date, as_of: Date) -> std::ops::RangeInclusive<i64> {
    let next_day = Date(as_of.0 + 1);
    let last_full = next_day.month_index() - 1;
    let first_full = if first.ymd().2 == 1 {
        first.month_index()
    } else {
        first.month_index() + 1
    };
    first_full.max(last_full - FIT_MONTHS + 1)..=last_full
}

/// Fits leads per month as of `as_of`.
pub fn fit(by_month: &BTreeMap<i64, u64>, first: Option<Date>, as_of: Date) -> LeadsFit {
    let Some(first) = first else {
        return LeadsFit {
            months: Vec::new(),
            per_month: 0.0,
            per_month_se: 0.0,
            growth_per_month: 0.0,
            growth_clamped: false,
        };
    };
    let months = window(first, as_of);
    let ys: Vec<(i64, u64)> = months
        .clone()
        .map(|m| (m, by_month.get(&m).copied().unwrap_or(0)))
        .collect();
    let month_name = |m: i64| {
        let (y, mo, _) = Date::month_start(m).ymd();
        format!("{y:04}-{mo:02}")
    };
    if ys.is_empty() {
        // Less than a full month of history: the rate over the days there are.
        let leads: u64 = by_month.values().sum();
        let days = (as_of.0 - first.0 + 1).max(1) as f64;
        let per_month = leads as f64 / days * (365.25 / 12.0);
        return LeadsFit {
            months: Vec::new(),
            per_month,
            per_month_se: libm::sqrt(leads as f64) / days * (365.25 / 12.0),
            growth_per_month: 0.0,
            growth_clamped: false,
        };
    }
    let n = ys.len();
    let total: u64 = ys.iter().map(|y| y.1).sum();
    let (a, b, cov, clamped) = if total == 0 {
        (f64::NEG_INFINITY, 0.0, [0.0; 3], false)
    } else if n == 1 {
        let y = ys[0].1 as f64;
        (libm::log(y), 0.0, [1.0 / y, 0.0, 0.0], false)
    } else {
        poisson_fit(&ys.iter().map(|y| y.1 as f64).collect::<Vec<_>>())
    };
    let at = |x: f64| {
        if a.is_finite() {
            libm::exp(a + b * x)
        } else {
            0.0
        }
    };
    let x_next = n as f64;
    let per_month = at(x_next);
    // Var(a + b x) = Var a + 2x Cov(a, b) + x^2 Var b; delta method on exp.
    let var_log = (cov[0] + 2.0 * x_next * cov[1] + x_next * x_next * cov[2]).max(0.0);
    LeadsFit {
        months: ys
            .iter()
            .enumerate()
            .map(|(x, &(m, leads))| MonthLeads {
                month: month_name(m),
                leads,
                fitted: at(x as f64),
            })
            .collect(),
        per_month,
        per_month_se: per_month * libm::sqrt(var_log),
        growth_per_month: libm::exp(b) - 1.0,
        growth_clamped: clamped,
    }
}

/// Poisson regression of counts `y[x]` on `x = 0, 1, ...`: `(a, b)`, their
/// covariance `[Var a, Cov, Var b]` and whether `b` hit the growth limit.
fn poisson_fit(y: &[f64]) -> (f64, f64, [f64; 3], bool) {
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let (b_min, b_max) = (libm::log(1.0 - MAX_GROWTH), libm::log(1.0 + MAX_GROWTH));
    let (mut a, mut b) = (libm::log(mean), 0.0);
    let mut cov = [0.0; 3];
    let mut clamped = false;
    for _ in 0..100 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (x, &yx) in y.iter().enumerate() {
            let x = x as f64;
            let mu = libm::exp(a + b * x);
            g0 += yx - mu;
            g1 += (yx - mu) * x;
            h00 += mu;
            h01 += mu * x;
            h11 += mu * x * x;
        }
        let det = h00 * h11 - h01 * h01;
        if !(det > 0.0) {
            break;
        }
        cov = [h11 / det, -h01 / det, h00 / det];
        let da = (h11 * g0 - h01 * g1) / det;
        let db = (h00 * g1 - h01 * g0) / det;
        // Damped steps: the log-likelihood is concave, but a far start can overshoot.
        let scale = 1.0_f64.min(1.0 / da.abs().max(db.abs() * y.len() as f64).max(1e-300));
        a += da * scale;
        let nb = b + db * scale;
        clamped = !(b_min..=b_max).contains(&nb);
        b = nb.clamp(b_min, b_max);
        if clamped {
            // With b held at its limit, a is the one-parameter MLE.
            let s: f64 = (0..y.len()).map(|x| libm::exp(b * x as f64)).sum();
            a = libm::log(y.iter().sum::<f64>() / s);
        }
        if da.abs() < 1e-12 && db.abs() < 1e-12 {
            break;
        }
    }
    (a, b, cov, clamped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(counts: &[u64]) -> (BTreeMap<i64, u64>, Date, Date) {
        let start = Date::from_ymd(2024, 1, 1).unwrap();
        let m0 = start.month_index();
        let map = counts
            .iter()
            .enumerate()
            .map(|(i, &c)| (m0 + i as i64, c))
            .collect();
        let end = Date(Date::month_start(m0 + counts.len() as i64).0 - 1);
        (map, start, end)
    }

    #[test]
    fn exact_exponential_counts_are_fitted_exactly() {
        // 100 * 1.1^x rounded: the fit finds about 10% growth.
        let counts: Vec<u64> = (0..12)
            .map(|x| (100.0 * libm::pow(1.1, x as f64)).round() as u64)
            .collect();
        let (map, first, as_of) = months(&counts);
        let f = fit(&map, Some(first), as_of);
        assert_eq!(f.months.len(), 12);
        assert!((f.growth_per_month - 0.1).abs() < 0.002, "{f:?}");
        assert!(
            (f.per_month - 100.0 * libm::pow(1.1, 12.0)).abs() < 3.0,
            "{f:?}"
        );
        assert!(f.per_month_se > 0.0 && f.per_month_se < 0.1 * f.per_month);
    }

    #[test]
    fn flat_counts_have_no_growth_and_their_mean() {
        let (map, first, as_of) = months(&[50; 18]);
        let f = fit(&map, Some(first), as_of);
        assert_eq!(f.months.len(), 12, "the last 12 full months only");
        assert_eq!(f.months[0].month, "2024-07");
        assert!(
            f.growth_per_month.abs() < 1e-9 && (f.per_month - 50.0).abs() < 1e-6,
            "{f:?}"
        );
    }

    #[test]
    fn months_without_leads_and_short_histories_stay_finite() {
        let (map, first, as_of) = months(&[0, 0, 0, 5]);
        let f = fit(&map, Some(first), as_of);
        assert!(
            f.per_month.is_finite()
                && f.growth_clamped
                && (f.growth_per_month - MAX_GROWTH).abs() < 1e-12,
            "{f:?}"
        );
        let (map, first, as_of) = months(&[7]);
        let f = fit(&map, Some(first), as_of);
        assert!(
            (f.per_month - 7.0).abs() < 1e-12 && f.growth_per_month == 0.0,
            "{f:?}"
        );
        // Ten days of history, 20 leads: about 61 a month.
        let mut map = BTreeMap::new();
        let first = Date::from_ymd(2024, 1, 5).unwrap();
        map.insert(first.month_index(), 20);
        let f = fit(&map, Some(first), Date(first.0 + 9));
        assert!((f.per_month - 20.0 / 10.0 * 30.4375).abs() < 1e-9, "{f:?}");
        let (map, first, as_of) = months(&[0; 5]);
        let f = fit(&map, Some(first), as_of);
        assert_eq!((f.per_month, f.growth_per_month), (0.0, 0.0));
    }
}
