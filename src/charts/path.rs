//! SVG path strings for lines and bands.

use std::fmt::Write;

use super::scale::round2;

/// A point in SVG user units.
pub type Point = (f64, f64);

fn finite(p: &Point) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

/// Format a coordinate compactly (at most 2 decimals, no trailing zeros).
pub fn num(x: f64) -> String {
    format!("{}", round2(x))
}

/// A polyline "M x,y L x,y …" through the finite points (non-finite points
/// are skipped). Empty string when there are no finite points.
pub fn line_path(points: &[Point]) -> String {
    let mut out = String::new();
    for p in points.iter().filter(|p| finite(p)) {
        let cmd = if out.is_empty() { 'M' } else { 'L' };
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{cmd}{},{}", num(p.0), num(p.1));
    }
    out
}

/// A closed area between an upper and a lower edge sharing x positions:
/// along `upper` left to right, back along `lower` right to left, closed.
/// Pairs where either point is non-finite are dropped; extra points on the
/// longer edge are ignored. Empty string when no pair is usable.
pub fn band_path(upper: &[Point], lower: &[Point]) -> String {
    let pairs: Vec<(&Point, &Point)> = upper
        .iter()
        .zip(lower.iter())
        .filter(|(u, l)| finite(u) && finite(l))
        .collect();
    if pairs.is_empty() {
        return String::new();
    }
    let top: Vec<Point> = pairs.iter().map(|(u, _)| **u).collect();
    let bottom: Vec<Point> = pairs.iter().rev().map(|(_, l)| **l).collect();
    let mut out = line_path(&top);
    for p in bottom {
        let _ = write!(out, " L{},{}", num(p.0), num(p.1));
    }
    out.push_str(" Z");
    out
}

/// A closed rectangle path (for hatch-free outlines); empty when degenerate.
pub fn rect_path(x: f64, y: f64, w: f64, h: f64) -> String {
    if !(x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite()) || w <= 0.0 || h <= 0.0 {
        return String::new();
    }
    format!(
        "M{},{} H{} V{} H{} Z",
        num(x),
        num(y),
        num(x + w),
        num(y + h),
        num(x)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_formats_compactly() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn line_paths() {
        assert_eq!(line_path(&[]), "");
        assert_eq!(line_path(&[(1.0, 2.0)]), "M1,2");
        assert_eq!(
            line_path(&[(0.0, 10.0), (5.5, 7.25), (10.0, 0.0)]),
            "M0,10 L5.5,7.25 L10,0"
        );
        assert_eq!(
            line_path(&[
                (f64::NAN, 1.0),
                (0.0, 1.0),
                (1.0, f64::INFINITY),
                (2.0, 3.0)
            ]),
            "M0,1 L2,3"
        );
        assert_eq!(line_path(&[(f64::NAN, f64::NAN)]), "");
    }

    #[test]
    fn band_paths() {
        assert_eq!(band_path(&[], &[]), "");
        assert_eq!(
            band_path(&[(0.0, 1.0), (10.0, 2.0)], &[(0.0, 5.0), (10.0, 6.0)]),
            "M0,1 L10,2 L10,6 L0,5 Z"
        );
        assert_eq!(band_path(&[(0.0, 1.0)], &[(0.0, 3.0)]), "M0,1 L0,3 Z");
        // Mismatched lengths use the common prefix.
        assert_eq!(
            band_path(
                &[(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)],
                &[(0.0, 2.0), (1.0, 2.0)]
            ),
            "M0,1 L1,1 L1,2 L0,2 Z"
        );
        // Non-finite pairs are dropped.
        assert_eq!(
            band_path(&[(0.0, 1.0), (1.0, f64::NAN)], &[(0.0, 2.0), (1.0, 2.0)]),
            "M0,1 L0,2 Z"
        );
        assert_eq!(band_path(&[(f64::NAN, 0.0)], &[(0.0, 0.0)]), "");
    }

    #[test]
    fn rect_paths() {
        assert_eq!(rect_path(1.0, 2.0, 3.0, 4.0), "M1,2 H4 V6 H1 Z");
        assert_eq!(rect_path(0.0, 0.0, 0.0, 4.0), "");
        assert_eq!(rect_path(0.0, f64::NAN, 1.0, 4.0), "");
    }
}
