//! The model's random quantities, each a small type with a validating
//! constructor and its own error, in the manner of `rand_distr`.
//!
//! All maths goes through `libm` so a seed gives the same bits on every target.

use rand::{Rng, RngExt};
use rand_distr::{Beta, Distribution, Gamma, StandardNormal};
use std::fmt;

use crate::scenario::Conversion;

/// z-score of the 90th percentile of the standard normal.
pub const Z90: f64 = 1.281_551_565_544_600_5;

/// Why a distribution cannot be built from the values given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistError {
    /// A rate outside [0, 1].
    RateOutOfRange,
    /// A standard deviation too large for a Beta with that mean.
    SpreadTooLarge,
    /// A coefficient of variation outside [0, 2].
    CvOutOfRange,
    /// Median not above 0, or p90 below the median.
    BadDealSize,
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DistError::RateOutOfRange => "rate outside [0, 1]",
            DistError::SpreadTooLarge => "sd must satisfy sd^2 < mean*(1-mean)",
            DistError::CvOutOfRange => "coefficient of variation outside [0, 2]",
            DistError::BadDealSize => "deal size needs 0 < median <= p90",
        })
    }
}

impl std::error::Error for DistError {}

/// A stage's conversion rate for one trial: fixed, or Beta-distributed.
#[derive(Clone, Debug)]
pub enum RateDist {
    /// The same rate in every trial.
    Fixed(f64),
    /// Beta with the given mean and standard deviation (or won + 1, lost + 1).
    Beta(Beta<f64>),
}

impl RateDist {
    /// The rate distribution of a stage's conversion, checked.
    pub fn new(conversion: &Conversion) -> Result<RateDist, DistError> {
        let in_range = |p: f64| p.is_finite() && (0.0..=1.0).contains(&p);
        match *conversion {
            Conversion::Fixed(p) if in_range(p) => Ok(RateDist::Fixed(p)),
            Conversion::Fixed(_) => Err(DistError::RateOutOfRange),
            Conversion::Estimate { mean, sd } => {
                if !in_range(mean) || !(sd >= 0.0) || !sd.is_finite() {
                    return Err(DistError::RateOutOfRange);
                }
                if sd == 0.0 {
                    return Ok(RateDist::Fixed(mean));
                }
                let var = sd * sd;
                if !(var < mean * (1.0 - mean)) {
                    return Err(DistError::SpreadTooLarge);
                }
                let k = mean * (1.0 - mean) / var - 1.0;
                // Past this concentration the Beta is a fixed rate to every digit we report.
                if k > 1.0e12 {
                    return Ok(RateDist::Fixed(mean));
                }
                Beta::new(mean * k, (1.0 - mean) * k)
                    .map(RateDist::Beta)
                    .map_err(|_| DistError::SpreadTooLarge)
            }
            Conversion::History { won, of } => {
                if won > of {
                    return Err(DistError::RateOutOfRange);
                }
                Beta::new(won as f64 + 1.0, (of - won) as f64 + 1.0)
                    .map(RateDist::Beta)
                    .map_err(|_| DistError::RateOutOfRange)
            }
        }
    }

    /// One trial's rate.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            RateDist::Fixed(p) => *p,
            RateDist::Beta(b) => b.sample(rng).clamp(0.0, 1.0),
        }
    }
}

/// The per-trial multiplier on lead volume: Gamma with mean 1 and the given CV.
#[derive(Clone, Debug)]
pub struct LeadMultiplier(Option<Gamma<f64>>);

impl LeadMultiplier {
    /// A multiplier with coefficient of variation `cv` (0 to 2; 0 is always 1).
    pub fn new(cv: f64) -> Result<LeadMultiplier, DistError> {
        if !(cv.is_finite() && (0.0..=2.0).contains(&cv)) {
            return Err(DistError::CvOutOfRange);
        }
        let v = cv * cv;
        // Below this the Gamma's spread is under one part in 1e16 of its mean:
        // every draw would round to 1, and 1/cv^2 could overflow (cv = 1e-320).
        if v < 1.0e-32 {
            return Ok(LeadMultiplier(None));
        }
        Gamma::new(1.0 / v, v)
            .map(|g| LeadMultiplier(Some(g)))
            .map_err(|_| DistError::CvOutOfRange)
    }

    /// One trial's multiplier on expected lead volume.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.0 {
            None => 1.0,
            Some(g) => g.sample(rng),
        }
    }
}

/// Lognormal value of one won deal, given by its median and 90th percentile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DealValue {
    mu: f64,
    sigma: f64,
    median: f64,
    mean: f64,
    /// E[X^2]
    second_moment: f64,
    /// Parameters of the lognormal matched to the mean and variance of a sum
    /// of `SUM_SHORTCUT_FROM` or more deals are derived per sum; these cache
    /// `Var[X] / E[X]^2` for it.
    rel_var: f64,
    /// `mu` and `sigma` in the units of `fastexp::exp2_256`.
    mu_units: f64,
    sigma_units: f64,
}

/// From this many deals in one month, the sum of their values is drawn from
/// one lognormal with the sum's exact mean and variance (Fenton-Wilkinson)
/// instead of deal by deal. The error this makes on revenue percentiles is
/// measured by `funnelbench --shortcut` and recorded in the README.
pub const SUM_SHORTCUT_FROM: u64 = 256;

impl DealValue {
    /// The lognormal with this median and 90th percentile (`p90 >= median > 0`;
    /// equal means every deal is worth the median).
    pub fn new(median: f64, p90: f64) -> Result<DealValue, DistError> {
        if !(median.is_finite() && p90.is_finite() && median > 0.0 && p90 >= median) {
            return Err(DistError::BadDealSize);
        }
        let mu = libm::log(median);
        let sigma = libm::log(p90 / median) / Z90;
        let s2 = sigma * sigma;
        Ok(DealValue {
            mu,
            sigma,
            median,
            mean: libm::exp(mu + s2 / 2.0),
            second_moment: libm::exp(2.0 * mu + 2.0 * s2),
            rel_var: libm::expm1(s2),
            mu_units: mu * crate::fastexp::UNITS_PER_E,
            sigma_units: sigma * crate::fastexp::UNITS_PER_E,
        })
    }

    /// The mean deal value, `exp(mu + sigma^2 / 2)`.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// `E[X^2]` of a deal value, for the variance of a sum.
    pub fn second_moment(&self) -> f64 {
        self.second_moment
    }

    /// Whether every deal is worth the median (P90 equals the median).
    pub fn is_fixed(&self) -> bool {
        self.sigma == 0.0
    }

    /// One deal's value.
    pub fn sample<R: Rng + Clone>(&self, rng: &mut R) -> f64 {
        if self.sigma == 0.0 {
            return self.median;
        }
        let z = crate::normal::standard_normal(rng);
        crate::fastexp::exp2_256(
            crate::fastexp::table_256(),
            self.mu_units + self.sigma_units * z,
        )
    }

    /// Total value of `n` won deals.
    pub fn sum<R: Rng + Clone>(&self, n: u64, rng: &mut R) -> f64 {
        self.sum_with_shortcut(n, SUM_SHORTCUT_FROM, rng)
    }

    /// `sum` with the shortcut threshold as a parameter, so its error can be measured.
    pub fn sum_with_shortcut<R: Rng + Clone>(&self, n: u64, from: u64, rng: &mut R) -> f64 {
        if n == 0 {
            return 0.0;
        }
        if self.sigma == 0.0 {
            return n as f64 * self.median;
        }
        if n >= from {
            // Lognormal with the sum's mean n*m and variance n*v.
            let s2 = libm::log1p(self.rel_var / n as f64);
            let mean = n as f64 * self.mean;
            let z: f64 = StandardNormal.sample(rng);
            return libm::exp(libm::log(mean) - s2 / 2.0 + libm::sqrt(s2) * z);
        }
        let table = crate::fastexp::table_256();
        // The generator's state as a local for the loop: through `rng` the
        // compiler stored its five words back to memory after every deal.
        let mut local = rng.clone();
        let mut total = 0.0;
        for _ in 0..n {
            let z = crate::normal::standard_normal(&mut local);
            total += crate::fastexp::exp2_256(table, self.mu_units + self.sigma_units * z);
        }
        *rng = local;
        total
    }
}

/// Largest Poisson mean the engine asks for. Validation keeps expected leads
/// within 1e12 a month over at most 60 months (plan effects included), so a
/// mean past this needs a lead multiplier above 16,000, which a Gamma with a CV
/// of at most 2 draws with a chance below e^-4000.
pub const MAX_POISSON_MEAN: f64 = 1.0e18;

/// Poisson count with mean `lambda` (0 for a mean of 0 or less).
///
/// Our own sampler rather than `rand_distr::Poisson`, whose constructor and
/// normal-based rejection (Ahrens and Dieter 1982, with `libm::floor` and
/// `powf` on its slow path) cost about 260 instructions a draw; the thinned
/// method draws two dozen Poisson counts a trial, each with a new mean. Below
/// a mean of 10, inversion (one uniform, about mean + 1 steps); from 10,
/// PTRS (Hormann 1993), the Poisson sibling of `btrs`: a square root and a
/// logarithm a call, two uniforms a candidate, log-factorials only outside
/// the squeeze. On the reference scenario this took the Poisson draws from
/// 12.6M to 10.9M instructions over 2,000 trials, and a trial of
/// `b2b-capacity.json` (weekly Poisson leads) from 320,000 to 281,000
/// (cachegrind).
///
/// A mean past `MAX_POISSON_MEAN` is a bug upstream (validation should have
/// refused the scenario): debug builds stop on it; release builds, rather than
/// turn it into 0 deals, draw the normal approximation, which is what a
/// Poisson of that size is to every digit the summary shows.
pub fn poisson<R: Rng + ?Sized>(lambda: f64, rng: &mut R) -> u64 {
    if !(lambda > 0.0) {
        return 0;
    }
    debug_assert!(
        lambda <= MAX_POISSON_MEAN,
        "Poisson mean {lambda} past the validated range"
    );
    if lambda < INVERSION_BELOW {
        poisson_inversion(lambda, rng)
    } else if lambda <= MAX_POISSON_MEAN {
        ptrs(lambda, rng)
    } else {
        let z: f64 = StandardNormal.sample(rng);
        // `as` saturates: infinity becomes u64::MAX, never a wrap.
        (lambda + libm::sqrt(lambda) * z).max(0.0) as u64
    }
}

/// Walks up the probabilities from P(0) = e^-lambda until the uniform is used
/// up (for `lambda` below 10).
fn poisson_inversion<R: Rng + ?Sized>(lambda: f64, rng: &mut R) -> u64 {
    let first = crate::fastexp::exp(-lambda);
    chop_down(first, |k| lambda / k as f64, rng)
}

/// Inversion by sequential search, for a count with a mean below 10: walks up
/// P(0) = `first`, P(k) = P(k-1) * `ratio(k)` until the uniform is used up.
/// More than 110 would be 30 standard deviations out: only rounding gets
/// there, and then the draw starts again (as in GSL). Shared by the Poisson
/// and the binomial (BINV), whose walks differ only in `first` and `ratio`.
#[inline(always)]
fn chop_down<R: Rng + ?Sized>(first: f64, ratio: impl Fn(u64) -> f64, rng: &mut R) -> u64 {
    const MAX_K: u64 = 110;
    'draw: loop {
        let mut r = first;
        let mut u: f64 = rng.random();
        let mut k = 0;
        while u > r {
            u -= r;
            k += 1;
            if k > MAX_K {
                continue 'draw;
            }
            r *= ratio(k);
        }
        return k;
    }
}

/// PTRS (Hormann, "The transformed rejection method for generating Poisson
/// random variables", 1993) for means of 10 and more: exact, a candidate is
/// accepted with the Poisson's own probability, up to floating-point rounding
/// of its log-probability, which for means past the log-factorial table is
/// formed so that no large terms cancel.
fn ptrs<R: Rng + ?Sized>(lambda: f64, rng: &mut R) -> u64 {
    let slam = libm::sqrt(lambda);
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let v_r = 0.9277 - 3.6224 / (b - 2.0);
    // Per call, once a candidate needs it.
    let mut ln_lambda: Option<f64> = None;
    loop {
        let u = rng.random::<f64>() - 0.5;
        let v = rng.random::<f64>();
        let us = 0.5 - u.abs();
        let y = (2.0 * a / us + b) * u + lambda + 0.43;
        // u = -0.5 makes `us` 0 and the candidate -infinity: rejected here, as
        // is a candidate past 2^63 (its probability underflows to 0 anyway).
        if !(0.0..TWO_63).contains(&y) {
            continue;
        }
        let k = y as i64 as f64;
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        if us < 0.013 && v > us {
            continue;
        }
        // ln P(k) = -lambda + k ln(lambda) - ln(k!).
        let ln_p = if k <= LN_FACTORIAL_TABLE as f64 {
            let ln_lambda = *ln_lambda.get_or_insert_with(|| libm::log(lambda));
            -lambda + k * ln_lambda - ln_factorial_table()[k as usize]
        } else {
            // With ln(k!) by Stirling (`stirling_tail`) and d = lambda / (k + 1) - 1:
            // ln P(k) = k (ln(1 + d) - d) - d - ln(k + 1) / 2 - ln(2 pi) / 2 - tail(k),
            // whose terms are of the size of the result, not of lambda.
            const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;
            let d = (lambda - (k + 1.0)) / (k + 1.0);
            k * (libm::log1p(d) - d) - d - 0.5 * libm::log(k + 1.0) - HALF_LN_2PI - stirling_tail(k)
        };
        // exp of the bound rather than the log of `v`, as in `btrs`.
        if v * inv_alpha / (a / (us * us) + b) <= crate::fastexp::exp(ln_p) {
            return k as u64;
        }
    }
}

const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// Binomial count of `n` trials with success probability `p` (clamped to [0, 1]).
///
/// Our own front to `rand_distr::Binomial`, for speed measured on the
/// week-by-week method (two binomials per stage per week), where
/// `rand_distr`'s inversion branch spent most of its time in `libm::pow` for
/// `(1 - p)^n`: up to 16 trials are 16 Bernoulli draws, a small mean goes by
/// inversion with `(1 - p)^n` from `log1p` and the engine's `fastexp`, and
/// a mean of 10 or more goes by BTRS (`btrs`).
pub fn binomial<R: Rng + ?Sized>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || !(p > 0.0) {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    // Symmetry keeps the mean of what is drawn small.
    let flipped = p > 0.5;
    let p = if flipped { 1.0 - p } else { p };
    let k = if n <= BERNOULLI_UP_TO {
        bernoulli_sum(n, bernoulli_threshold(p), rng)
    } else if (n as f64) * p < INVERSION_BELOW {
        inversion(n, p, libm::log1p(-p), rng)
    } else {
        btrs(n, p, None, ln_factorial_table(), rng)
    };
    if flipped { n - k } else { k }
}

/// `binomial(n, p, ..)` for one `p` and many `n`, with what depends on `p`
/// alone worked out once: the week-by-week method draws every week of a stage
/// with the same two probabilities. The same draws, bit for bit, as
/// `binomial` (the same expressions, only hoisted); on `b2b-capacity.json` it
/// took a trial of `b2b-capacity.json` from 363,000 to 325,000 instructions
/// (cachegrind, 500 trials, with `trunc` below).
#[derive(Clone, Copy, Debug)]
pub struct Binomial {
    /// `p` as given, for the edge cases of `binomial`.
    given: f64,
    flipped: bool,
    /// min(p, 1 - p).
    p: f64,
    threshold: u64,
    /// ln(1 - p) of the flipped p, for inversion.
    ln_q: f64,
    /// ln(p / (1 - p)) of the flipped p, for BTRS.
    ln_ratio: f64,
    ln_factorials: &'static [f64; LN_FACTORIAL_TABLE + 1],
}

impl Binomial {
    /// Draws with success probability `p` (clamped to [0, 1]).
    pub fn new(p: f64) -> Binomial {
        let flipped = p > 0.5;
        let q = if flipped { 1.0 - p } else { p };
        let usable = p > 0.0 && p < 1.0;
        Binomial {
            given: p,
            flipped,
            p: q,
            threshold: if usable { bernoulli_threshold(q) } else { 0 },
            ln_q: if usable { libm::log1p(-q) } else { 0.0 },
            ln_ratio: if usable {
                libm::log(q / (1.0 - q))
            } else {
                0.0
            },
            ln_factorials: ln_factorial_table(),
        }
    }

    /// One count of `n` trials.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, n: u64, rng: &mut R) -> u64 {
        if n == 0 || !(self.given > 0.0) {
            return 0;
        }
        if self.given >= 1.0 {
            return n;
        }
        let p = self.p;
        let k = if n <= BERNOULLI_UP_TO {
            bernoulli_sum(n, self.threshold, rng)
        } else if (n as f64) * p < INVERSION_BELOW {
            inversion(n, p, self.ln_q, rng)
        } else {
            btrs(n, p, Some(self.ln_ratio), self.ln_factorials, rng)
        };
        if self.flipped { n - k } else { k }
    }
}

/// `random::<f64>() < p` in integers: the uniform is (w >> 11) * 2^-53
/// and p * 2^53 is exact, so w >> 11 < ceil(p * 2^53) is the same test
/// (same bits) without a conversion and a multiply per draw.
fn bernoulli_threshold(p: f64) -> u64 {
    libm::ceil(p * TWO_53) as u64
}

#[inline]
fn bernoulli_sum<R: Rng + ?Sized>(n: u64, threshold: u64, rng: &mut R) -> u64 {
    let mut k = 0;
    for _ in 0..n {
        k += u64::from((rng.next_u64() >> 11) < threshold);
    }
    k
}

const BERNOULLI_UP_TO: u64 = 16;
const TWO_53: f64 = 9_007_199_254_740_992.0;
/// As `rand_distr` (and the BINV paper): inversion below a mean of 10.
const INVERSION_BELOW: f64 = 10.0;

/// BINV (Kachitvichyanukul and Schmeiser, 1988): walk up the probabilities
/// from P(0) = (1-p)^n until the uniform is used up.
fn inversion<R: Rng + ?Sized>(n: u64, p: f64, ln_q: f64, rng: &mut R) -> u64 {
    let q = 1.0 - p;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let first = crate::fastexp::exp(n as f64 * ln_q);
    chop_down(first, |x| a / x as f64 - s, rng).min(n)
}

/// BTRS (Hormann, "The generation of binomial random variates", 1993):
/// transformed rejection with a squeeze, for means of 10 and more with
/// `p <= 0.5`. Exact: a candidate is accepted with the binomial's own
/// probability ratio, up to floating-point rounding of the log-factorials.
///
/// It replaces `rand_distr`'s BTPE, whose setup (three tails, a dozen
/// divisions) was paid at every call: the week-by-week method draws two
/// binomials per stage per week, each with a new `n`. Here a call costs a
/// square root and three divisions, a candidate two uniforms and a division,
/// and only candidates outside the squeeze (about 20-50% at the means the
/// funnel sees) need the log-factorials, from a table.
fn btrs<R: Rng + ?Sized>(
    n: u64,
    p: f64,
    ln_ratio: Option<f64>,
    ln_factorials: &[f64; LN_FACTORIAL_TABLE + 1],
    rng: &mut R,
) -> u64 {
    let ln_factorial = |k: f64| ln_factorials[(k as usize).min(LN_FACTORIAL_TABLE)];
    let nf = n as f64;
    let q = 1.0 - p;
    let spq = libm::sqrt(nf * p * q);
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let v_r = 0.92 - 4.2 / b;
    let alpha = (2.83 + 5.1 / b) * spq;
    // Truncation is floor for what is not negative; `libm::floor` is a
    // software routine on baseline x86-64 and was a seventh of the stepper's time.
    let m = trunc((nf + 1.0) * p);
    // Per call, once a candidate needs it: ln(p/q) and the log-factorials at the mode.
    let mut at_mode: Option<(f64, f64)> = None;
    loop {
        let u = rng.random::<f64>() - 0.5;
        let v = rng.random::<f64>();
        let us = 0.5 - u.abs();
        // u = -0.5 makes `us` 0 and the candidate -infinity: rejected here.
        let y = (2.0 * a / us + b) * u + c;
        if !(y >= 0.0 && y < nf + 1.0) {
            continue;
        }
        let kf = trunc(y);
        if us >= 0.07 && v <= v_r {
            return (kf as u64).min(n);
        }
        let v = v * alpha / (a / (us * us) + b);
        let (lnr, h) = *at_mode.get_or_insert_with(|| {
            let lnr = ln_ratio.unwrap_or_else(|| libm::log(p / q));
            (lnr, ln_factorial(m) + ln_factorial(nf - m))
        });
        let bound = if nf <= LN_FACTORIAL_TABLE as f64 {
            h - ln_factorial(kf) - ln_factorial(nf - kf) + (kf - m) * lnr
        } else {
            // For large n the difference of log-factorials cancels many digits:
            // Hormann's form takes it as logs of ratios plus Stirling tails.
            let r = p / q;
            (m + 0.5) * libm::log((m + 1.0) / (r * (nf - m + 1.0)))
                + (nf + 1.0) * libm::log((nf - m + 1.0) / (nf - kf + 1.0))
                + (kf + 0.5) * libm::log(r * (nf - kf + 1.0) / (kf + 1.0))
                + stirling_tail(m)
                + stirling_tail(nf - m)
                - stirling_tail(kf)
                - stirling_tail(nf - kf)
        };
        // exp of the bound rather than the log of `v`: the engine's exp is
        // several times cheaper than `libm::log`.
        if v <= crate::fastexp::exp(bound) {
            return (kf as u64).min(n);
        }
    }
}

/// The whole part of `x` for 0 <= x < 2^64 (`x as u64 as f64`), through `i64`
/// below 2^63: baseline x86-64 converts to `u64` with a dozen instructions
/// and two branches, to `i64` with one instruction and a saturation check.
#[inline]
fn trunc(x: f64) -> f64 {
    if x < TWO_63 {
        x as i64 as f64
    } else {
        x as u64 as f64
    }
}

/// ln(k!) is tabled up to this k.
const LN_FACTORIAL_TABLE: usize = 1024;

fn ln_factorial_table() -> &'static [f64; LN_FACTORIAL_TABLE + 1] {
    static TABLE: std::sync::OnceLock<[f64; LN_FACTORIAL_TABLE + 1]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| core::array::from_fn(|k| libm::lgamma(k as f64 + 1.0)))
}

/// ln(k!) - [(k + 1/2) ln(k + 1) - (k + 1) + ln(2 pi)/2] for a whole `k`:
/// tabled below 10, then the Stirling series to the 1/x^9 term, whose error
/// (under 7e-15 at k = 10, falling as 1/x^11) is below the rounding of the
/// terms it is added to.
fn stirling_tail(k: f64) -> f64 {
    const TAIL: [f64; 10] = [
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_29,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_19,
        0.013_876_128_823_070_75,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_1,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
    ];
    if k < 10.0 {
        return TAIL[k as usize];
    }
    let x = k + 1.0;
    let x2 = x * x;
    (1.0 / 12.0
        - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * x2)) / x2) / x2) / x2)
        / x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::trial_rng;

    #[test]
    fn deal_value_moments_match_the_closed_form() {
        let d = DealValue::new(12_000.0, 30_000.0).unwrap();
        let mut rng = trial_rng(7, 0, crate::rng::Stream::Values);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let true_var = d.second_moment() - d.mean() * d.mean();
        let se = libm::sqrt(true_var / n as f64);
        assert!(
            (mean - d.mean()).abs() < 4.0 * se,
            "mean {mean} vs {}",
            d.mean()
        );
        let mut sorted = xs;
        sorted.sort_by(f64::total_cmp);
        // The median of a sample of 200k is within ~0.4% here.
        let median = sorted[n / 2];
        assert!((median / 12_000.0 - 1.0).abs() < 0.01, "median {median}");
        let p90 = sorted[n * 9 / 10];
        assert!((p90 / 30_000.0 - 1.0).abs() < 0.02, "p90 {p90}");
    }

    #[test]
    fn shortcut_sum_keeps_mean_and_variance() {
        let d = DealValue::new(12_000.0, 30_000.0).unwrap();
        let mut rng = trial_rng(11, 0, crate::rng::Stream::Values);
        let n_deals = 400;
        let draws = 50_000;
        let sums: Vec<f64> = (0..draws).map(|_| d.sum(n_deals, &mut rng)).collect();
        let mean = sums.iter().sum::<f64>() / draws as f64;
        let var = sums.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (draws - 1) as f64;
        let true_mean = n_deals as f64 * d.mean();
        let true_var = n_deals as f64 * (d.second_moment() - d.mean() * d.mean());
        assert!((mean - true_mean).abs() < 4.0 * libm::sqrt(true_var / draws as f64));
        // Standard error of a sample variance is about var * sqrt(2/(n-1)) (plus kurtosis), ~1%.
        assert!(
            (var / true_var - 1.0).abs() < 0.05,
            "var ratio {}",
            var / true_var
        );
    }

    /// Each branch of `binomial` (Bernoulli sum, inversion, BTPE, and the
    /// flipped side of each) against the closed-form mean and variance.
    #[test]
    fn binomial_branches_match_mean_and_variance() {
        let mut rng = trial_rng(5, 0, crate::rng::Stream::Counts);
        for (n, p) in [
            (7u64, 0.3),
            (16, 0.9),
            (40, 0.1),
            (500, 0.999),
            (200, 0.5),
            (10_000, 0.03),
            (1_000_000_000, 0.7),
        ] {
            let draws = 40_000;
            let xs: Vec<f64> = (0..draws)
                .map(|_| binomial(n, p, &mut rng) as f64)
                .collect();
            assert!(xs.iter().all(|&x| x <= n as f64));
            let mean = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (draws - 1) as f64;
            let true_var = n as f64 * p * (1.0 - p);
            let se = libm::sqrt(true_var / draws as f64);
            assert!(
                (mean - n as f64 * p).abs() < 4.0 * se,
                "B({n}, {p}): mean {mean}"
            );
            // The sample variance's standard error is about var * sqrt(2 / draws): 0.7%.
            assert!(
                (var / true_var - 1.0).abs() < 0.05,
                "B({n}, {p}): var {var} vs {true_var}"
            );
        }
    }

    /// Each branch of `poisson` (inversion, PTRS inside and past the
    /// log-factorial table) against the exact pmf: a chi-square over cells of
    /// expected count >= 20, then mean and variance at means too large to tabulate.
    #[test]
    fn poisson_matches_the_pmf() {
        let mut rng = trial_rng(23, 0, crate::rng::Stream::Counts);
        for lambda in [
            0.3, 3.0, 9.99, 10.0, 27.5, 400.0, 1000.0, 1030.0, 4000.0, 90_000.0,
        ] {
            let draws = 200_000;
            let xs: Vec<u64> = (0..draws).map(|_| poisson(lambda, &mut rng)).collect();
            let top = *xs.iter().max().unwrap() as usize;
            let mut counts = vec![0u64; top + 1];
            for &x in &xs {
                counts[x as usize] += 1;
            }
            let ln_pmf =
                |k: usize| -lambda + k as f64 * libm::log(lambda) - libm::lgamma(k as f64 + 1.0);
            let (mut chi2, mut cells, mut pooled_e, mut pooled_o) = (0.0, 0, 0.0, 0.0);
            let mut k = 0usize;
            let mut seen_e = 0.0;
            // Cells up to the largest draw, then the rest of the tail in the pool.
            while k <= top || seen_e < draws as f64 * (1.0 - 1e-12) && k < top + 1000 {
                let e = draws as f64 * libm::exp(ln_pmf(k));
                seen_e += e;
                let o = counts.get(k).copied().unwrap_or(0) as f64;
                if e >= 20.0 {
                    chi2 += (o - e) * (o - e) / e;
                    cells += 1;
                } else {
                    pooled_e += e;
                    pooled_o += o;
                }
                k += 1;
            }
            pooled_e += (draws as f64 - seen_e).max(0.0);
            if pooled_e > 0.0 {
                chi2 += (pooled_o - pooled_e) * (pooled_o - pooled_e) / pooled_e;
            }
            let df = cells as f64;
            assert!(
                chi2 < df + 5.0 * libm::sqrt(2.0 * df),
                "Poisson({lambda}): chi2 {chi2} over {cells} cells"
            );
        }
        for lambda in [3.0e7, 1.0e12, 1.0e18] {
            let draws = 40_000;
            let xs: Vec<f64> = (0..draws)
                .map(|_| poisson(lambda, &mut rng) as f64)
                .collect();
            let mean = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (draws - 1) as f64;
            let se = libm::sqrt(lambda / draws as f64);
            assert!(
                (mean - lambda).abs() < 4.0 * se,
                "Poisson({lambda}): mean {mean}"
            );
            assert!(
                (var / lambda - 1.0).abs() < 0.05,
                "Poisson({lambda}): var {var}"
            );
        }
        assert_eq!(poisson(0.0, &mut rng), 0);
        assert_eq!(poisson(-1.0, &mut rng), 0);
        assert_eq!(poisson(f64::NAN, &mut rng), 0);
    }

    /// `Binomial` is `binomial` with the work on `p` hoisted: the same draws,
    /// bit for bit, on every branch and edge.
    #[test]
    fn prepared_binomial_draws_what_binomial_draws() {
        for p in [0.0, -0.1, 1.0, 1.5, f64::NAN, 0.03, 0.3, 0.5, 0.7, 0.999] {
            let prepared = Binomial::new(p);
            let (mut a, mut b) = (
                trial_rng(3, 1, crate::rng::Stream::Counts),
                trial_rng(3, 1, crate::rng::Stream::Counts),
            );
            for n in [0u64, 1, 5, 16, 17, 30, 100, 1000, 5000, 1_000_000] {
                for _ in 0..50 {
                    assert_eq!(
                        prepared.sample(n, &mut a),
                        binomial(n, p, &mut b),
                        "B({n}, {p})"
                    );
                }
            }
            assert_eq!(a.draws(), b.draws());
        }
    }

    /// BTRS against the exact pmf (chi-square over cells of expected count >= 20),
    /// at small and large means, with n inside and past the log-factorial table.
    #[test]
    fn btrs_matches_the_binomial_pmf() {
        let mut rng = trial_rng(17, 0, crate::rng::Stream::Counts);
        // The series against the tail computed to 40 digits (mpmath).
        for (k, exact) in [
            (10.0, 0.007_573_675_487_951_841),
            (11.0, 0.006_942_840_107_209_53),
            (20.0, 0.003_967_954_218_640_86),
            (100.0, 0.000_825_079_812_242_588_4),
        ] {
            let error = (stirling_tail(k) - exact).abs();
            assert!(error < 1e-14, "tail at {k}: off by {error}");
        }
        for (n, p) in [
            (25u64, 0.4),
            (60, 0.3),
            (400, 0.5),
            (3000, 0.01),
            (5000, 0.2),
        ] {
            let draws = 200_000;
            let mut counts = vec![0u64; n as usize + 1];
            for _ in 0..draws {
                counts[btrs(n, p, None, ln_factorial_table(), &mut rng) as usize] += 1;
            }
            let ln_pmf = |k: u64| {
                libm::lgamma(n as f64 + 1.0)
                    - libm::lgamma(k as f64 + 1.0)
                    - libm::lgamma((n - k) as f64 + 1.0)
                    + k as f64 * libm::log(p)
                    + (n - k) as f64 * libm::log1p(-p)
            };
            // Cells with an expected count under 20 are pooled into one.
            let (mut chi2, mut cells, mut pooled_e, mut pooled_o) = (0.0, 0, 0.0, 0.0);
            for k in 0..=n {
                let e = draws as f64 * libm::exp(ln_pmf(k));
                let o = counts[k as usize] as f64;
                if e >= 20.0 {
                    chi2 += (o - e) * (o - e) / e;
                    cells += 1;
                } else {
                    pooled_e += e;
                    pooled_o += o;
                }
            }
            chi2 += (pooled_o - pooled_e) * (pooled_o - pooled_e) / pooled_e;
            let df = cells as f64;
            // About 5 standard deviations of a chi-square with df degrees of freedom.
            assert!(
                chi2 < df + 5.0 * libm::sqrt(2.0 * df),
                "B({n}, {p}): chi2 {chi2} over {cells} cells"
            );
        }
    }

    #[test]
    fn constructors_reject_bad_parameters() {
        assert_eq!(
            RateDist::new(&Conversion::Fixed(1.5)).unwrap_err(),
            DistError::RateOutOfRange
        );
        assert_eq!(
            RateDist::new(&Conversion::Estimate { mean: 0.5, sd: 0.5 }).unwrap_err(),
            DistError::SpreadTooLarge
        );
        assert_eq!(
            LeadMultiplier::new(3.0).unwrap_err(),
            DistError::CvOutOfRange
        );
        assert_eq!(
            DealValue::new(10.0, 5.0).unwrap_err(),
            DistError::BadDealSize
        );
    }
}
