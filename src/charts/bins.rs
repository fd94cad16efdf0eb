//! Histogram binning with "nice" bin edges.

use super::scale::multiple;

/// Upper bound on the number of bins [`histogram`] returns.
pub const MAX_BINS: usize = 500;

/// One histogram bin covering `[x0, x1)` (the last bin also includes `x1`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bin {
    pub x0: f64,
    pub x1: f64,
    pub count: usize,
}

/// Step factors tried for bin widths, per power of ten. Consecutive factors
/// differ by at most 1.5×, so some step lands within about ±22% of the
/// target bin count.
const FACTORS: [f64; 8] = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5];

/// Number of nice-edged bins of width `step` needed to cover `[lo, hi]`.
fn bins_needed(lo: f64, hi: f64, step: f64) -> Option<(f64, usize)> {
    let k0 = (lo / step).floor();
    let mut k1 = (hi / step).ceil();
    if k1 <= k0 {
        k1 = k0 + 1.0;
    }
    let n = k1 - k0;
    if !n.is_finite() || n > MAX_BINS as f64 {
        return None;
    }
    Some((k0, n as usize))
}

/// A bin width from {1, 1.5, 2, 2.5, 3, 4, 5, 7.5} × 10ⁿ whose nice-edged bin count over
/// `[lo, hi]` is closest to `target` (ties go to the wider bin).
pub fn nice_bin_step(lo: f64, hi: f64, target: usize) -> Option<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo || target == 0 {
        return None;
    }
    let raw = (hi - lo) / target as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return None;
    }
    let power = raw.log10().floor() as i32;
    let mut best: Option<(usize, f64)> = None;
    for p in (power - 1)..=(power + 1) {
        let base = 10f64.powi(p);
        for f in FACTORS {
            let step = f * base;
            if !(step.is_finite() && step > 0.0) {
                continue;
            }
            let Some((_, n)) = bins_needed(lo, hi, step) else {
                continue;
            };
            let diff = n.abs_diff(target);
            let better = match best {
                None => true,
                Some((d, s)) => diff < d || (diff == d && step > s),
            };
            if better {
                best = Some((diff, step));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// Bin the finite `values` into about `target` bins with nice edges.
///
/// * empty input (or no finite values) → no bins;
/// * all values equal → one bin of a nice width containing the value;
/// * otherwise consecutive bins from a multiple of the step below the minimum
///   to one at or above the maximum; the maximum falls in the last bin.
pub fn histogram(values: &[f64], target: usize) -> Vec<Bin> {
    let mut finite = values.iter().copied().filter(|v| v.is_finite());
    let Some(first) = finite.next() else {
        return Vec::new();
    };
    let (lo, hi) = finite.fold((first, first), |(a, b), v| (a.min(v), b.max(v)));

    if lo == hi {
        return vec![single_value_bin(lo, values)];
    }
    let step = match nice_bin_step(lo, hi, target.max(1)) {
        Some(s) => s,
        None => {
            // Range too wide to bin nicely (e.g. ±f64::MAX): one plain bin.
            let count = values.iter().filter(|v| v.is_finite()).count();
            return vec![Bin {
                x0: lo,
                x1: hi,
                count,
            }];
        }
    };
    let Some((k0, n)) = bins_needed(lo, hi, step) else {
        return Vec::new();
    };
    let mut bins: Vec<Bin> = (0..n)
        .map(|i| Bin {
            x0: multiple(k0 + i as f64, step),
            x1: multiple(k0 + i as f64 + 1.0, step),
            count: 0,
        })
        .collect();
    for v in values.iter().copied().filter(|v| v.is_finite()) {
        let mut i = ((v - bins[0].x0) / step).floor();
        if !i.is_finite() || i < 0.0 {
            i = 0.0;
        }
        let mut i = (i as usize).min(n - 1);
        // Correct for floating error at the edges.
        while i > 0 && v < bins[i].x0 {
            i -= 1;
        }
        while i + 1 < n && v >= bins[i + 1].x0 {
            i += 1;
        }
        bins[i].count += 1;
    }
    bins
}

/// One bin around a repeated value, with a width of a tenth of its order of
/// magnitude (1 for zero).
fn single_value_bin(v: f64, values: &[f64]) -> Bin {
    let count = values.iter().filter(|x| x.is_finite()).count();
    let width = if v == 0.0 {
        1.0
    } else {
        10f64.powi(v.abs().log10().floor() as i32 - 1)
    };
    let mut k = (v / width).floor();
    if multiple(k + 1.0, width) <= v {
        k += 1.0;
    } else if multiple(k, width) > v {
        k -= 1.0;
    }
    let x0 = multiple(k, width);
    let x1 = multiple(k + 1.0, width);
    if x0.is_finite() && x1.is_finite() && x0 <= v && v < x1 {
        Bin { x0, x1, count }
    } else {
        Bin {
            x0: v,
            x1: v,
            count,
        }
    }
}

/// Bin several series on shared nice edges: those [`histogram`] picks for
/// all their finite values together. Returns one bin list per series, all
/// with the same edges (no bins at all when no series has a finite value).
pub fn histogram_shared(series: &[&[f64]], target: usize) -> Vec<Vec<Bin>> {
    let all: Vec<f64> = series
        .iter()
        .flat_map(|s| s.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    let edges = histogram(&all, target);
    series
        .iter()
        .map(|s| {
            let mut bins: Vec<Bin> = edges.iter().map(|b| Bin { count: 0, ..*b }).collect();
            if bins.is_empty() {
                return bins;
            }
            for v in s.iter().copied().filter(|v| v.is_finite()) {
                // Last bin whose lower edge is at or below v; the edges cover
                // every value, so only rounding can push v outside.
                let i = edges.partition_point(|b| b.x0 <= v).saturating_sub(1);
                bins[i.min(edges.len() - 1)].count += 1;
            }
            bins
        })
        .collect()
}

/// Most lattice points a run's range may span for [`lattice_step`] to call
/// it a lattice: past this every bin holds hundreds of points, and a bin
/// holding one point more than its neighbour no longer shows.
const MAX_LATTICE_POINTS: f64 = 10_000.0;

/// The step `g` when every finite value is an integer multiple of it (a
/// fixed deal size makes revenue one), up to rounding in float sums; `None`
/// when the values are not on a lattice, or on one so fine it cannot show.
pub fn lattice_step(values: &[f64]) -> Option<f64> {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let scale = finite().fold(0.0f64, |m, v| m.max(v.abs()));
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    // Float sums of a step drift by a few ulps of the total per term.
    let tol = scale * 1e-9;
    let mut g = 0.0f64;
    for v in finite().map(f64::abs).filter(|&v| v > tol) {
        g = if g == 0.0 { v } else { approx_gcd(g, v, tol) };
        if g <= tol {
            return None;
        }
    }
    if g == 0.0 {
        return None;
    }
    let (lo, hi) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if (hi - lo) / g > MAX_LATTICE_POINTS {
        return None;
    }
    // Euclid with a tolerance can settle on a step that does not divide
    // every value; only a step that does is a lattice.
    let on = finite().all(|v| {
        let k = v / g;
        (k - k.round()).abs() <= 1e-6
    });
    on.then_some(g)
}

/// Euclid's algorithm on floats: remainders within `tol` of 0 or of the
/// divisor count as exact.
fn approx_gcd(a: f64, b: f64, tol: f64) -> f64 {
    let (mut a, mut b) = if a >= b { (a, b) } else { (b, a) };
    while b > tol {
        let r = a % b;
        let r = if r <= tol || b - r <= tol { 0.0 } else { r };
        a = b;
        b = r;
    }
    a
}

/// Bins over the central part of some values, with what falls outside them.
#[derive(Clone, Debug, PartialEq)]
pub struct Trimmed {
    pub bins: Vec<Bin>,
    /// Values below the first bin.
    pub below: usize,
    /// Values above the last bin.
    pub above: usize,
    /// The values' lattice step, when [`lattice_step`] finds one: each bin
    /// then holds the same whole number of lattice points, its edges at
    /// half-steps.
    pub step: Option<f64>,
}

/// Bin the finite `values` into about `target` bins covering the values from
/// quantile `tail` to `1 - tail` (a few extreme trials would otherwise
/// stretch the axis into mostly empty space); the rest are counted in
/// `below` and `above`. Values on a lattice get bins of whole lattice
/// points: bins of 1.5 steps would hold one point, then two, and draw a
/// comb.
pub fn histogram_trimmed(values: &[f64], target: usize, tail: f64) -> Trimmed {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let none = Trimmed {
        bins: Vec::new(),
        below: 0,
        above: 0,
        step: None,
    };
    let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else {
        return none;
    };
    let n = sorted.len();
    let tail = if tail.is_finite() {
        tail.clamp(0.0, 0.5)
    } else {
        0.0
    };
    let lo = sorted[((n - 1) as f64 * tail).floor() as usize];
    let hi = sorted[((n - 1) as f64 * (1.0 - tail)).ceil() as usize];
    let step = lattice_step(&sorted).filter(|_| first < last);
    let bins = match step {
        Some(g) => lattice_bins(lo, hi, g, target.max(1)),
        None => histogram(
            &sorted[sorted.partition_point(|&v| v < lo)..sorted.partition_point(|&v| v <= hi)],
            target,
        ),
    };
    let Some((b0, b1)) = bins.first().zip(bins.last()) else {
        return none;
    };
    let (x0, x1) = (b0.x0, b1.x1);
    let below = sorted.partition_point(|&v| v < x0);
    let above = n - sorted.partition_point(|&v| v <= x1);
    let mut bins = bins;
    for b in &mut bins {
        b.count = 0;
    }
    for &v in &sorted[below..n - above] {
        let i = bins.partition_point(|b| b.x0 <= v).saturating_sub(1);
        bins[i].count += 1;
    }
    Trimmed {
        bins,
        below,
        above,
        step,
    }
}

/// Points per bin tried on a lattice: 1-2-5 multiples, so bin edges stay
/// round multiples of the step.
fn lattice_points_per_bin(points: f64, target: usize) -> f64 {
    let mut best = (f64::INFINITY, 1.0);
    let mut base = 1.0;
    while base <= points.max(1.0) {
        for f in [1.0, 2.0, 5.0] {
            let k = f * base;
            let diff = ((points / k).ceil() - target as f64).abs();
            // Ties go to the wider bin.
            if diff <= best.0 {
                best = (diff, k);
            }
        }
        base *= 10.0;
    }
    best.1
}

/// Bins of `k` lattice points each (the same `k` for every bin), edges at
/// half-steps, covering the lattice points from `lo` to `hi`.
fn lattice_bins(lo: f64, hi: f64, g: f64, target: usize) -> Vec<Bin> {
    let (i_lo, i_hi) = ((lo / g).round(), (hi / g).round());
    let k = lattice_points_per_bin(i_hi - i_lo + 1.0, target);
    let first = (i_lo / k).floor() * k;
    let n = ((i_hi - first + 1.0) / k).ceil().max(1.0) as usize;
    (0..n)
        .map(|j| {
            let a = first + j as f64 * k;
            Bin {
                x0: (a - 0.5) * g,
                x1: (a + k - 0.5) * g,
                count: 0,
            }
        })
        .collect()
}

/// The largest bin count (0 when there are no bins).
pub fn max_count(bins: &[Bin]) -> usize {
    bins.iter().map(|b| b.count).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(bins: &[Bin]) -> usize {
        bins.iter().map(|b| b.count).sum()
    }

    #[test]
    fn empty_and_non_finite_input() {
        assert!(histogram(&[], 35).is_empty());
        assert!(histogram(&[f64::NAN, f64::INFINITY], 35).is_empty());
    }

    #[test]
    fn single_value() {
        let b = histogram(&[4_912_169.0], 35);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].count, 1);
        assert!(b[0].x0 <= 4_912_169.0 && 4_912_169.0 < b[0].x1);
        assert_eq!((b[0].x0, b[0].x1), (4_900_000.0, 5_000_000.0));
    }

    #[test]
    fn all_equal_values() {
        let b = histogram(&[0.0; 100], 35);
        assert_eq!(
            b,
            vec![Bin {
                x0: 0.0,
                x1: 1.0,
                count: 100
            }]
        );
        let b = histogram(&[-250.0, -250.0, f64::NAN], 35);
        assert_eq!(
            b,
            vec![Bin {
                x0: -250.0,
                x1: -240.0,
                count: 2
            }]
        );
        let b = histogram(&[0.37; 3], 35);
        assert_eq!(b.len(), 1);
        assert!(b[0].x0 <= 0.37 && 0.37 < b[0].x1);
    }

    #[test]
    fn nice_edges_and_about_target_bins() {
        let values: Vec<f64> = (0..10_000)
            .map(|i| 1_000_000.0 + (i as f64) * 437.77)
            .collect();
        let bins = histogram(&values, 35);
        assert!((29..=44).contains(&bins.len()), "{}", bins.len());
        assert_eq!(total(&bins), values.len());
        let step = bins[0].x1 - bins[0].x0;
        assert_eq!(step, 150_000.0);
        for w in bins.windows(2) {
            assert_eq!(w[0].x1, w[1].x0);
        }
        for b in &bins {
            assert_eq!(b.x0 % step, 0.0, "edge {} not a multiple", b.x0);
        }
        assert!(bins[0].x0 <= 1_000_000.0);
        assert!(bins.last().unwrap().x1 >= *values.last().unwrap());
    }

    #[test]
    fn max_value_lands_in_last_bin() {
        let bins = histogram(&[0.0, 10.0], 10);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins[0].count, 1);
        assert_eq!(bins[9].count, 1);
        assert_eq!(bins[9].x1, 10.0);
    }

    #[test]
    fn many_ranges_keep_all_values() {
        for &(lo, hi) in &[
            (0.0, 1.0),
            (0.1, 0.7),
            (-3.3, 9.1),
            (123.0, 124.0),
            (1e6, 9.87e6),
        ] {
            let values: Vec<f64> = (0..=997)
                .map(|i| lo + (hi - lo) * i as f64 / 997.0)
                .collect();
            let bins = histogram(&values, 35);
            assert_eq!(total(&bins), values.len(), "{lo}..{hi}");
            assert!(
                (28..=45).contains(&bins.len()),
                "{lo}..{hi}: {}",
                bins.len()
            );
            for b in &bins {
                assert!(b.x0 < b.x1);
            }
            for &v in &values {
                let inside = bins.iter().any(|b| b.x0 <= v && v <= b.x1);
                assert!(inside, "{v} outside bins");
            }
        }
    }

    #[test]
    fn extreme_ranges_do_not_panic() {
        let b = histogram(&[-f64::MAX, f64::MAX], 35);
        assert_eq!(total(&b), 2);
        let b = histogram(&[0.0, f64::MIN_POSITIVE], 35);
        assert_eq!(total(&b), 2);
        let b = histogram(&[1.0, 2.0], 0);
        assert_eq!(total(&b), 2);
        let b = histogram(&[1e300, 1e300], 35);
        assert_eq!(total(&b), 2);
    }

    #[test]
    fn lattices_are_found_up_to_float_sums() {
        let thousands: Vec<f64> = (30..70).map(|k| k as f64 * 1000.0).collect();
        assert_eq!(lattice_step(&thousands), Some(1000.0));
        // Only even multiples sampled: the lattice the values are on.
        let evens: Vec<f64> = (0..20).map(|k| k as f64 * 3000.0).collect();
        assert_eq!(lattice_step(&evens), Some(3000.0));
        // Sums of a tenth drift in the last bits, and are still a lattice.
        let tenths: Vec<f64> = (1..200).map(|k| (0..k).map(|_| 0.1).sum::<f64>()).collect();
        let g = lattice_step(&tenths).unwrap();
        assert!((g - 0.1).abs() < 1e-9, "{g}");
        // Revenue of drawn deal sizes is no lattice.
        let spread: Vec<f64> = (0..500)
            .map(|i| 1e6 + i as f64 * 437.77 + (i * i) as f64 * 0.013)
            .collect();
        assert_eq!(lattice_step(&spread), None);
        assert_eq!(lattice_step(&[0.0, 0.0]), None);
        assert_eq!(lattice_step(&[]), None);
        // A lattice too fine to show is binned like any values.
        let fine: Vec<f64> = (0..50_000).map(|k| k as f64).collect();
        assert_eq!(lattice_step(&fine), None);
    }

    #[test]
    fn lattice_bins_hold_whole_points() {
        // 0..=60 steps of 1000, the middle heavier: bins of 1.5 steps would
        // alternate one point and two.
        let mut v = Vec::new();
        for k in 0..=60u32 {
            let weight = 61 - (k as i32 - 30).unsigned_abs();
            v.extend(std::iter::repeat_n(k as f64 * 1000.0, weight as usize));
        }
        let t = histogram_trimmed(&v, 36, 0.0);
        assert_eq!(t.step, Some(1000.0));
        assert_eq!((t.below, t.above), (0, 0));
        assert_eq!(total(&t.bins), v.len());
        let width = t.bins[0].x1 - t.bins[0].x0;
        for b in &t.bins {
            assert_eq!(b.x1 - b.x0, width);
            assert_eq!((b.x0 / 1000.0 + 0.5).fract(), 0.0, "edge {}", b.x0);
            assert_eq!((width / 1000.0).fract(), 0.0);
        }
    }

    #[test]
    fn trimmed_bins_leave_the_tails_out_and_count_them() {
        let mut v: Vec<f64> = (0..1000).map(|i| i as f64 * 1.37).collect();
        v.push(1e7);
        let t = histogram_trimmed(&v, 30, 0.005);
        assert_eq!(t.step, None);
        let (x0, x1) = (t.bins[0].x0, t.bins.last().unwrap().x1);
        assert!(x1 < 2000.0, "{x1}");
        assert!(x0 <= 5.0 * 1.37);
        assert_eq!(total(&t.bins) + t.below + t.above, v.len());
        assert!(t.above >= 1 && t.above <= 6, "{}", t.above);
        assert!(t.below <= 5, "{}", t.below);
        let none = histogram_trimmed(&[f64::NAN], 30, 0.005);
        assert!(none.bins.is_empty());
        let one = histogram_trimmed(&[5.0; 10], 30, 0.005);
        assert_eq!(total(&one.bins), 10);
    }

    #[test]
    fn step_choice() {
        assert_eq!(nice_bin_step(0.0, 35.0, 35), Some(1.0));
        assert_eq!(nice_bin_step(0.0, 70.0, 35), Some(2.0));
        assert_eq!(nice_bin_step(0.0, 87.5, 35), Some(2.5));
        assert_eq!(nice_bin_step(1.0, 1.0, 35), None);
        assert_eq!(nice_bin_step(0.0, 1.0, 0), None);
        assert_eq!(max_count(&[]), 0);
    }

    #[test]
    fn shared_bins_use_common_edges() {
        let a: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let b: Vec<f64> = (50..250).map(|i| i as f64).collect();
        let c = [f64::NAN];
        let out = histogram_shared(&[&a, &b, &c], 25);
        assert_eq!(out.len(), 3);
        let whole = histogram(&[a.clone(), b.clone()].concat(), 25);
        for bins in &out {
            assert_eq!(bins.len(), whole.len());
            for (x, y) in bins.iter().zip(&whole) {
                assert_eq!((x.x0, x.x1), (y.x0, y.x1));
            }
        }
        assert_eq!(total(&out[0]), 100);
        assert_eq!(total(&out[1]), 200);
        assert_eq!(total(&out[2]), 0);
        // Counts per bin add up to the joint histogram.
        for (i, w) in whole.iter().enumerate() {
            assert_eq!(out[0][i].count + out[1][i].count, w.count);
        }
        assert!(histogram_shared(&[], 25).is_empty());
        let none = histogram_shared(&[&c], 25);
        assert_eq!(none.len(), 1);
        assert!(none[0].is_empty());
        let same = histogram_shared(&[&[3.0, 3.0], &[3.0]], 25);
        assert_eq!(total(&same[0]) + total(&same[1]), 3);
    }
}
