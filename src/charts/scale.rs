//! Linear scales and "nice" ticks (1-2-5 steps, after d3's `ticks`).
//!
//! Everything here is total: non-finite or degenerate input yields empty or
//! neutral output rather than NaN or a panic.

/// Upper bound on the number of ticks any function here returns.
pub const MAX_TICKS: usize = 1_000;

/// Maps a domain interval linearly onto a range interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl LinearScale {
    /// Non-finite bounds are replaced by 0 (domain) so `apply` stays finite.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        let fix = |v: f64| if v.is_finite() { v } else { 0.0 };
        Self {
            domain: (fix(domain.0), fix(domain.1)),
            range: (fix(range.0), fix(range.1)),
        }
    }

    /// Position of `x` in the range. A zero-width domain maps everything to
    /// the middle of the range; non-finite `x` maps to the range start.
    /// Values outside the domain extrapolate (use [`LinearScale::clamped`]).
    pub fn apply(&self, x: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if !x.is_finite() {
            return r0;
        }
        let span = d1 - d0;
        if span == 0.0 || !span.is_finite() {
            return (r0 + r1) / 2.0;
        }
        let out = r0 + (x - d0) / span * (r1 - r0);
        if out.is_finite() { out } else { r0 }
    }

    /// Like [`LinearScale::apply`] but never leaves the range.
    pub fn clamped(&self, x: f64) -> f64 {
        let (r0, r1) = self.range;
        let (lo, hi) = if r0 <= r1 { (r0, r1) } else { (r1, r0) };
        self.apply(x).clamp(lo, hi)
    }
}

/// The d3 tick increment: a 1-2-5 × 10ⁿ step giving about `count` intervals
/// over `[start, stop]`. Returns `None` for degenerate input.
pub fn tick_step(start: f64, stop: f64, count: usize) -> Option<f64> {
    if !start.is_finite() || !stop.is_finite() || count == 0 {
        return None;
    }
    let span = (stop - start).abs();
    if span == 0.0 || !span.is_finite() {
        return None;
    }
    let raw = span / count as f64;
    let power = raw.log10().floor();
    let base = 10f64.powf(power);
    let error = raw / base;
    let factor = if error >= 50f64.sqrt() {
        10.0
    } else if error >= 10f64.sqrt() {
        5.0
    } else if error >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    let step = factor * base;
    (step.is_finite() && step > 0.0).then_some(step)
}

/// `i × step`, computed so decimal steps (0.1, 0.2, …) come out exact-looking.
pub(crate) fn multiple(i: f64, step: f64) -> f64 {
    if step < 1.0 {
        let inv = (1.0 / step).round();
        if inv > 0.0 && (1.0 / inv - step).abs() <= step * 1e-9 {
            return i / inv;
        }
    }
    i * step
}

/// Nice round values within `[start, stop]` (inclusive), about `count` of
/// them, ascending. `start == stop` gives that single value.
pub fn ticks(start: f64, stop: f64, count: usize) -> Vec<f64> {
    if !start.is_finite() || !stop.is_finite() || count == 0 {
        return Vec::new();
    }
    if start == stop {
        return vec![start];
    }
    let (lo, hi) = if start < stop {
        (start, stop)
    } else {
        (stop, start)
    };
    let Some(step) = tick_step(lo, hi, count) else {
        return Vec::new();
    };
    let i0 = (lo / step - 1e-9).ceil();
    let i1 = (hi / step + 1e-9).floor();
    if !(i0.is_finite() && i1.is_finite()) || i1 < i0 || i1 - i0 >= MAX_TICKS as f64 {
        return Vec::new();
    }
    let n = (i1 - i0) as usize + 1;
    (0..n).map(|k| multiple(i0 + k as f64, step)).collect()
}

/// Extend `[start, stop]` outwards to multiples of the tick step (d3's
/// `nice`). Returns the input unchanged when it cannot be made nice.
pub fn nice(start: f64, stop: f64, count: usize) -> (f64, f64) {
    if !start.is_finite() || !stop.is_finite() {
        return (0.0, 0.0);
    }
    let (mut lo, mut hi) = if start <= stop {
        (start, stop)
    } else {
        (stop, start)
    };
    let mut prev: Option<f64> = None;
    for _ in 0..10 {
        let Some(step) = tick_step(lo, hi, count) else {
            break;
        };
        if prev == Some(step) {
            break;
        }
        lo = multiple((lo / step).floor(), step);
        hi = multiple((hi / step).ceil(), step);
        prev = Some(step);
    }
    (lo, hi)
}

/// Round to 2 decimals for compact SVG attribute output.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_maps_linearly() {
        let s = LinearScale::new((0.0, 10.0), (100.0, 200.0));
        assert_eq!(s.apply(0.0), 100.0);
        assert_eq!(s.apply(5.0), 150.0);
        assert_eq!(s.apply(10.0), 200.0);
        assert_eq!(s.apply(20.0), 300.0);
        assert_eq!(s.clamped(20.0), 200.0);
        assert_eq!(s.clamped(-5.0), 100.0);
    }

    #[test]
    fn scale_inverted_range() {
        let s = LinearScale::new((0.0, 100.0), (300.0, 0.0));
        assert_eq!(s.apply(0.0), 300.0);
        assert_eq!(s.apply(100.0), 0.0);
        assert_eq!(s.apply(25.0), 225.0);
        assert_eq!(s.clamped(200.0), 0.0);
    }

    #[test]
    fn scale_degenerate_inputs_stay_finite() {
        let s = LinearScale::new((5.0, 5.0), (0.0, 100.0));
        assert_eq!(s.apply(5.0), 50.0);
        assert_eq!(s.apply(1e9), 50.0);
        let s = LinearScale::new((f64::NAN, f64::INFINITY), (0.0, 10.0));
        assert!(s.apply(3.0).is_finite());
        let s = LinearScale::new((0.0, 1.0), (0.0, 10.0));
        assert_eq!(s.apply(f64::NAN), 0.0);
        assert_eq!(s.apply(f64::INFINITY), 0.0);
        let s = LinearScale::new((-f64::MAX, f64::MAX), (0.0, 10.0));
        assert!(s.apply(1.0).is_finite());
    }

    #[test]
    fn tick_step_is_1_2_5() {
        assert_eq!(tick_step(0.0, 10.0, 10), Some(1.0));
        assert_eq!(tick_step(0.0, 10.0, 5), Some(2.0));
        assert_eq!(tick_step(0.0, 10.0, 2), Some(5.0));
        assert_eq!(tick_step(0.0, 1.0, 10), Some(0.1));
        assert_eq!(tick_step(0.0, 4_912_169.0, 5), Some(1_000_000.0));
        assert_eq!(tick_step(0.0, 0.0, 5), None);
        assert_eq!(tick_step(0.0, 1.0, 0), None);
        assert_eq!(tick_step(f64::NAN, 1.0, 5), None);
    }

    #[test]
    fn ticks_like_d3() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            ticks(0.0, 1.0, 10),
            vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        );
        assert_eq!(ticks(-10.0, 10.0, 4), vec![-10.0, -5.0, 0.0, 5.0, 10.0]);
        assert_eq!(ticks(1.0, 9.0, 4), vec![2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(10.0, 0.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            ticks(1_234_567.0, 6_789_012.0, 5),
            vec![2e6, 3e6, 4e6, 5e6, 6e6]
        );
    }

    #[test]
    fn ticks_degenerate() {
        assert_eq!(ticks(3.0, 3.0, 5), vec![3.0]);
        assert!(ticks(0.0, 10.0, 0).is_empty());
        assert!(ticks(f64::NAN, 10.0, 5).is_empty());
        assert!(ticks(0.0, f64::INFINITY, 5).is_empty());
        assert!(ticks(-f64::MAX, f64::MAX, 5).len() <= MAX_TICKS);
        assert!(ticks(0.0, 1.0, usize::MAX).len() <= MAX_TICKS);
    }

    #[test]
    fn ticks_within_bounds() {
        for &(a, b) in &[(0.13, 0.97), (17.0, 1234.0), (-3.3, 7.7), (1e-6, 3e-6)] {
            let t = ticks(a, b, 5);
            assert!(!t.is_empty(), "{a}..{b}");
            assert!(t.iter().all(|&v| v >= a - 1e-12 && v <= b + 1e-12), "{t:?}");
            assert!(t.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn nice_extends_to_steps() {
        assert_eq!(nice(0.0, 9.3, 5), (0.0, 10.0));
        assert_eq!(nice(1.2, 8.7, 5), (0.0, 10.0));
        assert_eq!(nice(0.0, 4_912_169.0, 5), (0.0, 5_000_000.0));
        assert_eq!(nice(-0.13, 0.97, 5), (-0.2, 1.0));
        assert_eq!(nice(5.0, 5.0, 5), (5.0, 5.0));
        assert_eq!(nice(10.0, 0.0, 5), (0.0, 10.0));
        assert_eq!(nice(f64::NAN, 1.0, 5), (0.0, 0.0));
    }

    #[test]
    fn round2_is_tidy() {
        assert_eq!(round2(1.23456), 1.23);
        assert_eq!(round2(-0.001), 0.0);
        assert_eq!(round2(f64::NAN), 0.0);
        assert_eq!(round2(0.1 + 0.2), 0.3);
    }
}
