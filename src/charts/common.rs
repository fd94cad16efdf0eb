//! Layout helpers shared by the charts: ids, text width estimates, label
//! placement and tick selection. All pure and total.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::scale::{LinearScale, ticks};

/// Width of every chart's viewBox, in SVG user units.
pub const WIDTH: f64 = 640.0;

/// Estimated advance per character when the chart is scaled down on a phone
/// (the CSS raises the font to 22 user units there; ~0.6 em per glyph).
pub const CHAR_W_NARROW: f64 = 13.2;
/// Estimated advance per character at the desktop font size (14 units).
pub const CHAR_W_WIDE: f64 = 8.4;
/// Height reserved for one line of text (fits the 22-unit phone font).
pub const LINE_H: f64 = 26.0;

/// Ids for an SVG's `<title>` and `<desc>`, unique within the page.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartIds {
    pub title: String,
    pub desc: String,
    /// Prefix for other ids (patterns, clip paths) of the same chart.
    pub prefix: String,
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

impl ChartIds {
    pub fn new(kind: &str) -> Self {
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let prefix = format!("chart-{kind}-{n}");
        Self {
            title: format!("{prefix}-title"),
            desc: format!("{prefix}-desc"),
            prefix,
        }
    }

    /// The value for `aria-labelledby`.
    pub fn labelledby(&self) -> String {
        format!("{} {}", self.title, self.desc)
    }

    /// A further id derived from the chart's prefix.
    pub fn sub(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }
}

/// Conservative width of `text` in user units (phone-size font).
pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_W_NARROW
}

/// Truncate `text` with an ellipsis so that it fits `max_width`.
pub fn fit_text(text: &str, max_width: f64) -> String {
    let max_chars = if max_width.is_finite() && max_width > 0.0 {
        (max_width / CHAR_W_NARROW).floor() as usize
    } else {
        0
    };
    let n = text.chars().count();
    if n <= max_chars {
        return text.to_string();
    }
    if max_chars == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(max_chars - 1).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// An axis tick: a position in user units and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub pos: f64,
    pub label: String,
    /// Shown on wide screens only (hidden by CSS on phones).
    pub minor: bool,
}

/// Nice ticks for `scale`'s domain, as many as fit without labels
/// overlapping at phone font size (2–8 ticks).
pub fn fitted_ticks(scale: &LinearScale, label: impl Fn(f64) -> String) -> Vec<Tick> {
    let (d0, d1) = scale.domain;
    let length = (scale.range.1 - scale.range.0).abs();
    let mut best: Vec<Tick> = Vec::new();
    for n in (2..=8).rev() {
        let values = ticks(d0, d1, n);
        let made: Vec<Tick> = values
            .iter()
            .map(|&v| Tick {
                pos: scale.apply(v),
                label: label(v),
                minor: false,
            })
            .collect();
        if made.len() <= 1 {
            return made;
        }
        let widest = made
            .iter()
            .map(|t| text_width(&t.label))
            .fold(0.0, f64::max);
        let spacing = length / (made.len() - 1) as f64;
        let fits = spacing >= widest + 12.0 && made.len() <= 8;
        best = made;
        if fits {
            break;
        }
    }
    best
}

/// Nice ticks for a vertical `scale`: at least 3 when the domain allows
/// (2–3, one of them the unlabelled zero line, say too little to read a
/// value off), as many as fit a line of text apart, at most 8.
/// [`fitted_ticks`] measures the labels' widths, which stack vertically here.
pub fn fitted_y_ticks(scale: &LinearScale, label: impl Fn(f64) -> String) -> Vec<Tick> {
    let (d0, d1) = scale.domain;
    let length = (scale.range.1 - scale.range.0).abs();
    let make = |n: usize| -> Vec<Tick> {
        ticks(d0, d1, n)
            .iter()
            .map(|&v| Tick {
                pos: scale.apply(v),
                label: label(v),
                minor: false,
            })
            .collect()
    };
    let mut best = make(2);
    for n in 3..=8 {
        let made = make(n);
        let spacing = length / made.len().saturating_sub(1).max(1) as f64;
        if made.len() > 8 || spacing < LINE_H {
            continue;
        }
        if made.len() > best.len() {
            best = made;
        }
        if best.len() >= 4 {
            break;
        }
    }
    best
}

/// A label to place above a vertical marker line at `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRequest {
    pub x: f64,
    pub width: f64,
}

/// Where a marker label ended up: its centre and its text row (0 = top).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedLabel {
    pub x: f64,
    pub row: usize,
}

/// Stack marker labels into rows so that labels in a row do not overlap and
/// no label covers the line of a marker whose label sits in a higher row
/// (that line runs down through the lower rows); when that is impossible,
/// only same-row overlaps are avoided. Labels are kept inside
/// `[min_x, max_x]`. Requests are placed in order (most important first).
pub fn place_labels(requests: &[LabelRequest], min_x: f64, max_x: f64) -> Vec<PlacedLabel> {
    const PAD: f64 = 6.0;
    let mut placed: Vec<(PlacedLabel, f64, f64)> = Vec::new(); // label, half width, marker x
    for req in requests {
        let half = (req.width.max(0.0)) / 2.0;
        let x = clamp_centre(req.x, half, min_x, max_x);
        let fits = |row: usize, strict: bool| {
            placed.iter().all(|&(p, h, mx)| {
                let (a0, a1) = (x - half - PAD, x + half + PAD);
                if p.row == row {
                    a1 <= p.x - h || a0 >= p.x + h
                } else if !strict {
                    true
                } else if p.row < row {
                    // p's line crosses this row: our label must avoid it.
                    !(a0 < mx && mx < a1)
                } else {
                    // our line crosses p's row: p's label must avoid it.
                    !(p.x - h - PAD < req.x && req.x < p.x + h + PAD)
                }
            })
        };
        let rows = placed.len() + 1;
        let row = (0..rows)
            .find(|&r| fits(r, true))
            .or_else(|| (0..rows).find(|&r| fits(r, false)))
            .unwrap_or(rows);
        placed.push((PlacedLabel { x, row }, half, req.x));
    }
    placed.into_iter().map(|(p, _, _)| p).collect()
}

fn clamp_centre(x: f64, half: f64, min_x: f64, max_x: f64) -> f64 {
    let x = if x.is_finite() { x } else { min_x };
    let lo = min_x + half;
    let hi = max_x - half;
    if lo > hi {
        (min_x + max_x) / 2.0
    } else {
        x.clamp(lo, hi)
    }
}

/// Number of distinct series styles (colour + dash pattern) in
/// `style/charts.css` (`.chart-series-1` … `.chart-series-5`).
pub const SERIES_STYLES: usize = 5;

/// CSS class giving series `i` its colour and dash pattern (cycles after
/// [`SERIES_STYLES`]).
pub fn series_class(i: usize) -> String {
    format!("chart-series chart-series-{}", i % SERIES_STYLES + 1)
}

/// A range of money, "$1.2M to $1.3M": compact, or in full where compact
/// would read the same at both ends (a bin from $1.00M to $1.04M is not
/// "$1M to $1M").
pub fn money_range(lo: f64, hi: f64, currency: &str) -> String {
    use crate::format::{money, money_compact};
    let (a, b) = (money_compact(lo, currency), money_compact(hi, currency));
    if a == b {
        format!("{} to {}", money(lo, currency), money(hi, currency))
    } else {
        format!("{a} to {b}")
    }
}

/// A share as a short percentage tick label: 0.25 → "25%", 0.005 → "0.5%".
pub fn percent_tick(share: f64) -> String {
    let s = crate::format::percent(share, 1);
    match s.strip_suffix(".0%") {
        Some(whole) => format!("{whole}%"),
        None => s,
    }
}

/// Shares from which an axis reads in multiples ("4,000×") rather than
/// percent: "400000%" is hard to read, and a share of 10 is already 1,000%.
pub const TIMES_FROM: f64 = 10.0;

/// A share as a multiple tick label for axes reaching [`TIMES_FROM`]:
/// 4000 → "4,000×", 12.5 → "12.5×", 0 → "0×".
pub fn times_tick(share: f64) -> String {
    // Tenths of a share near f64::MAX overflow: "inf×" in a bin's label.
    let tenths = (share * 10.0).round();
    if !tenths.is_finite() {
        return "–".to_string();
    }
    if tenths % 10.0 == 0.0 {
        format!("{}×", crate::format::count(tenths / 10.0))
    } else {
        format!("{:.1}×", tenths / 10.0)
    }
}

/// A legend entry placed by [`flow_legend`]: the swatch starts at `x`, the
/// label at `x + swatch + 6`, on text row `row` (0 = first).
#[derive(Clone, Debug, PartialEq)]
pub struct LegendSlot {
    pub x: f64,
    pub row: usize,
    /// The label, shortened when it could not fit a whole row.
    pub label: String,
}

/// Lay legend entries (a `swatch`-wide symbol and a label) out left to right
/// from `left`, wrapping to a new row when an entry would pass `right`
/// (widths at phone font size).
pub fn flow_legend(labels: &[String], swatch: f64, left: f64, right: f64) -> Vec<LegendSlot> {
    const GAP: f64 = 18.0;
    let room = (right - left - swatch - 6.0).max(0.0);
    let mut out = Vec::with_capacity(labels.len());
    let (mut x, mut row) = (left, 0);
    for label in labels {
        let label = fit_text(label, room);
        let w = swatch + 6.0 + text_width(&label);
        if x > left && x + w > right {
            x = left;
            row += 1;
        }
        out.push(LegendSlot { x, row, label });
        x += w + GAP;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_ranges_never_read_the_same_at_both_ends() {
        assert_eq!(money_range(1.2e6, 1.3e6, "USD"), "$1.2M to $1.3M");
        assert_eq!(
            money_range(1.0e6, 1.04e6, "USD"),
            "$1,000,000 to $1,040,000"
        );
        assert_eq!(money_range(950.0, 990.0, "EUR"), "€950 to €990");
    }

    #[test]
    fn ids_are_unique() {
        let a = ChartIds::new("x");
        let b = ChartIds::new("x");
        assert_ne!(a.title, b.title);
        assert_ne!(a.desc, a.title);
        assert_eq!(a.labelledby(), format!("{} {}", a.title, a.desc));
        assert!(a.sub("hatch").starts_with(&a.prefix));
    }

    #[test]
    fn fit_text_truncates() {
        assert_eq!(fit_text("Demo", 1000.0), "Demo");
        let t = fit_text("A very long stage name indeed", 10.0 * CHAR_W_NARROW);
        assert_eq!(t.chars().count(), 10);
        assert!(t.ends_with('…'));
        assert_eq!(fit_text("Demo", 0.0), "");
        assert_eq!(fit_text("Demo", f64::NAN), "");
    }

    #[test]
    fn fitted_ticks_do_not_overlap() {
        let s = LinearScale::new((0.0, 10_000_000.0), (40.0, 600.0));
        let t = fitted_ticks(&s, |v| crate::format::money_compact(v, "USD"));
        assert!(t.len() >= 3 && t.len() <= 8, "{t:?}");
        for w in t.windows(2) {
            let gap = w[1].pos - w[0].pos;
            assert!(gap >= text_width(&w[0].label).max(text_width(&w[1].label)));
        }
        assert_eq!(t[0].label, "$0");
    }

    #[test]
    fn y_ticks_are_at_least_three_and_a_line_apart() {
        // 0..$1.5M over 220 units: width-fitted ticks gave $0 and $1M only.
        for (hi, h) in [
            (1.5e6, 220.0),
            (1.02e6, 220.0),
            (3.0e5, 160.0),
            (1.0, 220.0),
            (8e6, 120.0),
        ] {
            let s = LinearScale::new((0.0, hi), (40.0 + h, 40.0));
            let t = fitted_y_ticks(&s, |v| crate::format::money_compact(v, "USD"));
            assert!(t.len() >= 3 && t.len() <= 8, "{hi}: {t:?}");
            for w in t.windows(2) {
                assert!((w[0].pos - w[1].pos).abs() >= LINE_H, "{hi}: {t:?}");
            }
        }
        let s = LinearScale::new((5.0, 5.0), (0.0, 100.0));
        assert_eq!(fitted_y_ticks(&s, |v| format!("{v}")).len(), 1);
    }

    #[test]
    fn fitted_ticks_degenerate() {
        let s = LinearScale::new((5.0, 5.0), (0.0, 100.0));
        let t = fitted_ticks(&s, |v| format!("{v}"));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].pos, 50.0);
        let s = LinearScale::new((f64::NAN, 1.0), (0.0, 100.0));
        assert!(fitted_ticks(&s, |v| format!("{v}")).len() <= 8);
    }

    #[test]
    fn labels_far_apart_share_the_top_row() {
        let reqs = [
            LabelRequest {
                x: 100.0,
                width: 50.0,
            },
            LabelRequest {
                x: 300.0,
                width: 50.0,
            },
            LabelRequest {
                x: 500.0,
                width: 50.0,
            },
        ];
        let p = place_labels(&reqs, 0.0, 640.0);
        assert!(p.iter().all(|l| l.row == 0));
        assert_eq!(p[1].x, 300.0);
    }

    #[test]
    fn close_labels_stack_and_avoid_lines() {
        let reqs = [
            LabelRequest {
                x: 300.0,
                width: 100.0,
            },
            LabelRequest {
                x: 320.0,
                width: 100.0,
            },
            LabelRequest {
                x: 340.0,
                width: 100.0,
            },
        ];
        let p = place_labels(&reqs, 0.0, 640.0);
        let rows: Vec<usize> = p.iter().map(|l| l.row).collect();
        assert_eq!(rows, vec![0, 1, 2]);
        // Row 0 holds label 0 whose line at x=300 passes label 1's row;
        // since every label covers x=300, they must stack.
        for (i, a) in p.iter().enumerate() {
            for (j, b) in p.iter().enumerate() {
                if i != j && a.row == b.row {
                    assert!((a.x - b.x).abs() >= 100.0);
                }
            }
        }
    }

    #[test]
    fn labels_clamped_inside() {
        let p = place_labels(
            &[LabelRequest {
                x: 2.0,
                width: 60.0,
            }],
            0.0,
            640.0,
        );
        assert_eq!(p[0].x, 30.0);
        let p = place_labels(
            &[LabelRequest {
                x: 639.0,
                width: 60.0,
            }],
            0.0,
            640.0,
        );
        assert_eq!(p[0].x, 610.0);
        let p = place_labels(
            &[LabelRequest {
                x: f64::NAN,
                width: 60.0,
            }],
            0.0,
            640.0,
        );
        assert_eq!(p[0].x, 30.0);
        let p = place_labels(
            &[LabelRequest {
                x: 10.0,
                width: 1000.0,
            }],
            0.0,
            640.0,
        );
        assert_eq!(p[0].x, 320.0);
        assert!(place_labels(&[], 0.0, 640.0).is_empty());
    }
    #[test]
    fn legend_wraps_and_shortens() {
        let labels: Vec<String> = ["Current plan", "Accelerator", "Flat 10%"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let wide = flow_legend(&labels, 28.0, 0.0, 2000.0);
        assert!(wide.iter().all(|s| s.row == 0));
        assert!(wide.windows(2).all(|w| w[1].x > w[0].x));
        let narrow = flow_legend(&labels, 28.0, 10.0, 400.0);
        assert_eq!(narrow[0].row, 0);
        assert_eq!(narrow[0].x, 10.0);
        assert!(narrow.iter().any(|s| s.row > 0));
        for s in &narrow {
            assert!(s.x + 34.0 + text_width(&s.label) <= 400.0 + 0.01, "{s:?}");
        }
        let long = vec!["x".repeat(200)];
        let l = flow_legend(&long, 28.0, 0.0, 640.0);
        assert!(l[0].label.ends_with('…'));
        assert!(34.0 + text_width(&l[0].label) <= 640.0);
        assert!(flow_legend(&[], 28.0, 0.0, 640.0).is_empty());
    }

    #[test]
    fn series_classes_and_percent_ticks() {
        assert_eq!(series_class(0), "chart-series chart-series-1");
        assert_eq!(series_class(SERIES_STYLES), "chart-series chart-series-1");
        assert_eq!(percent_tick(0.25), "25%");
        assert_eq!(percent_tick(0.005), "0.5%");
        assert_eq!(percent_tick(2.0), "200%");
        assert_eq!(percent_tick(f64::NAN), "–");
        assert_eq!(times_tick(4000.0), "4,000×");
        assert_eq!(times_tick(12.5), "12.5×");
        assert_eq!(times_tick(0.0), "0×");
        assert_eq!(times_tick(f64::MAX), "–");
        assert_eq!(times_tick(f64::NAN), "–");
    }
}
