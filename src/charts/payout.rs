//! Payout curves: what each incentive plan pays one rep by quota attainment.

use leptos::prelude::*;

use super::draw;
use super::frame::{ChartFrame, mark_if};
use super::table::ChartTable;

use super::common::{
    ChartIds, LINE_H, LegendSlot, Tick, WIDTH, fitted_y_ticks, flow_legend, series_class,
};
use super::path::line_path;
use super::scale::{LinearScale, nice, round2};
use crate::format::{MISSING, money, money_compact, percent};

/// One plan's payout curve.
#[derive(Clone, Debug, PartialEq)]
pub struct PayoutCurve {
    pub name: String,
    /// (attainment, payout for one rep); attainment 1.0 = 100% of quota.
    /// Two points with (nearly) the same attainment make a step.
    pub points: Vec<(f64, f64)>,
}

const SIDE: f64 = 30.0;
const PLOT_H: f64 = 220.0;
/// Attainment shown: 0% to 200%.
const MAX_ATTAINMENT: f64 = 2.0;
/// Attainments closer than this are one step (drawn exactly vertical).
pub const STEP_EPS: f64 = 1e-4;
/// Legend swatch length.
pub const SWATCH: f64 = 36.0;

/// A drawn plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveShape {
    /// `chart-series chart-series-N`: colour and dash pattern.
    pub class: String,
    /// SVG path (empty when the plan has no usable points).
    pub path: String,
    pub legend: LegendSlot,
    /// Baseline of the legend entry's text row.
    pub legend_y: f64,
    /// One sentence about the plan, for hover and the description.
    pub summary: String,
    /// The plan's whole name (the legend's may be shortened).
    pub name: String,
    /// The points drawn ([`clean_points`]), in attainment order.
    pub points: Vec<(f64, f64)>,
}

/// Everything the payout chart draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct PayoutLayout {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    pub curves: Vec<CurveShape>,
    pub quota_x: f64,
    pub quota_label: String,
    pub quota_label_y: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub x_label_y: f64,
    pub caption: String,
    pub caption_y: f64,
    pub title: String,
    pub desc: String,
    pub empty: bool,
}

/// Usable points of a curve: finite, attainment within 0..=200%, in
/// attainment order (points with equal attainment keep their input order).
pub fn clean_points(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(a, p)| {
            a.is_finite() && p.is_finite() && *a >= -STEP_EPS && *a <= MAX_ATTAINMENT + STEP_EPS
        })
        .collect();
    out.sort_by(|x, y| x.0.total_cmp(&y.0));
    out
}

/// Screen points for cleaned curve points; runs of nearly equal attainment
/// share the x of the run's last point, so steps are exactly vertical.
pub fn curve_points(points: &[(f64, f64)], x: &LinearScale, y: &LinearScale) -> Vec<(f64, f64)> {
    let mut xs: Vec<f64> = points.iter().map(|p| x.apply(p.0)).collect();
    for i in (0..points.len().saturating_sub(1)).rev() {
        if points[i + 1].0 - points[i].0 <= STEP_EPS {
            xs[i] = xs[i + 1];
        }
    }
    points
        .iter()
        .zip(xs)
        .map(|(p, px)| (round2(px), round2(y.apply(p.1))))
        .collect()
}

/// Jumps in a cleaned curve: (attainment, payout before, payout after).
pub fn steps(points: &[(f64, f64)]) -> Vec<(f64, f64, f64)> {
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    for w in points.windows(2) {
        let ((a0, p0), (a1, p1)) = (w[0], w[1]);
        let tol = 1e-9 * p0.abs().max(p1.abs()).max(1.0);
        if a1 - a0 <= STEP_EPS && (p1 - p0).abs() > tol {
            // Merge with a jump just found at the same place.
            match out.last_mut() {
                Some(last) if (a1 - last.0).abs() <= STEP_EPS => {
                    last.0 = a1;
                    last.2 = p1;
                }
                _ => out.push((a1, p0, p1)),
            }
        }
    }
    out
}

/// Payout at attainment `a` on a cleaned curve: the value after any step at
/// `a`, interpolated between points; `None` outside the curve.
pub fn payout_at(points: &[(f64, f64)], a: f64) -> Option<f64> {
    let i = points.iter().rposition(|p| p.0 <= a + STEP_EPS)?;
    let (a0, p0) = points[i];
    if (a0 - a).abs() <= STEP_EPS {
        return Some(p0);
    }
    let &(a1, p1) = points.get(i + 1)?;
    let t = (a - a0) / (a1 - a0);
    Some(p0 + t * (p1 - p0))
}

fn summary(name: &str, points: &[(f64, f64)], currency: &str) -> String {
    let money = |v: f64| money_compact(v, currency);
    if points.is_empty() {
        return format!("{name}: no payout data");
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(v) = payout_at(points, 0.5) {
        parts.push(format!("{} at 50%", money(v)));
    }
    if let Some(v) = payout_at(points, 1.0) {
        parts.push(format!("{} at quota", money(v)));
    }
    let &(last_a, last_p) = &points[points.len() - 1];
    if last_a > 1.0 + STEP_EPS {
        parts.push(format!("{} at {}", money(last_p), percent(last_a, 0)));
    }
    let mut s = if parts.is_empty() {
        format!("{name}: pays {} at {}", money(last_p), percent(last_a, 0))
    } else {
        let last = parts.pop().unwrap_or_default();
        if parts.is_empty() {
            format!("{name}: pays {last}")
        } else {
            format!("{name}: pays {} and {last}", parts.join(", "))
        }
    };
    let jumps = steps(points);
    for (i, (a, before, after)) in jumps.iter().take(3).enumerate() {
        s.push_str(if i == 0 { "; jumps " } else { ", " });
        s.push_str(&format!(
            "from {} to {} at {}",
            money(*before),
            money(*after),
            percent(*a, 0)
        ));
    }
    if jumps.len() > 3 {
        s.push_str(&format!(" and {} more times", jumps.len() - 3));
    }
    s
}

/// Attainments the table lists: every 25% from 0% to 200%, the x ticks.
const TABLE_STEP: f64 = 0.25;

/// The curves as a table: what each plan pays one rep at every 25% of
/// quota attainment, read off the points drawn.
pub fn payout_table(l: &PayoutLayout, currency: &str) -> ChartTable {
    let columns = std::iter::once("Attainment (% of quota)".to_string())
        .chain(l.curves.iter().map(|c| c.name.clone()))
        .collect();
    let steps = (MAX_ATTAINMENT / TABLE_STEP).round() as usize;
    let rows = (0..=steps)
        .map(|i| {
            let a = i as f64 * TABLE_STEP;
            std::iter::once(percent(a, 0))
                .chain(l.curves.iter().map(|c| match payout_at(&c.points, a) {
                    Some(v) => money(v, currency),
                    None => MISSING.to_string(),
                }))
                .collect()
        })
        .collect();
    ChartTable {
        caption: format!("{}. {}", l.title, l.quota_label),
        columns,
        rows,
    }
}

/// Compute the payout chart layout.
pub fn payout_layout(curves: &[PayoutCurve], quota: f64, currency: &str) -> PayoutLayout {
    let money = |v: f64| money_compact(v, currency);
    let title = "Payout for one rep by quota attainment".to_string();
    let caption = "Attainment (% of quota)".to_string();
    let cleaned: Vec<Vec<(f64, f64)>> = curves.iter().map(|c| clean_points(&c.points)).collect();
    let quota_label = if quota.is_finite() && quota > 0.0 {
        format!("Quota {}", money(quota))
    } else {
        "Quota".to_string()
    };
    let (plot_left, plot_right) = (SIDE, WIDTH - SIDE);

    if cleaned.iter().all(|c| c.is_empty()) {
        return PayoutLayout {
            width: WIDTH,
            height: 80.0,
            plot_left,
            plot_right,
            plot_top: 0.0,
            plot_bottom: 80.0,
            curves: Vec::new(),
            quota_x: 0.0,
            quota_label,
            quota_label_y: 0.0,
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            x_label_y: 0.0,
            caption,
            caption_y: 0.0,
            title,
            desc: "No payout curves to show yet.".to_string(),
            empty: true,
        };
    }

    let names: Vec<String> = curves.iter().map(|c| c.name.clone()).collect();
    let legend = flow_legend(&names, SWATCH, 8.0, WIDTH - 8.0);
    let legend_rows = legend.iter().map(|s| s.row + 1).max().unwrap_or(0) as f64;
    // Legend rows, then a row for the quota label and the top y label.
    let plot_top = 8.0 + legend_rows * LINE_H + 10.0 + LINE_H;
    let plot_bottom = plot_top + PLOT_H;

    let (mut lo, mut hi) = cleaned
        .iter()
        .flatten()
        .fold((0.0f64, 0.0f64), |(l, h), p| (l.min(p.1), h.max(p.1)));
    if hi - lo <= 0.0 || !(hi - lo).is_finite() {
        hi = lo + 1.0;
    }
    (lo, hi) = nice(lo, hi, 4);
    let y = LinearScale::new((lo, hi), (plot_bottom, plot_top));
    let x = LinearScale::new((0.0, MAX_ATTAINMENT), (plot_left, plot_right));

    let shapes: Vec<CurveShape> = cleaned
        .iter()
        .zip(curves)
        .zip(legend)
        .enumerate()
        .map(|(i, ((pts, c), slot))| CurveShape {
            class: series_class(i),
            path: line_path(&curve_points(pts, &x, &y)),
            legend_y: 8.0 + (slot.row as f64 + 1.0) * LINE_H - 8.0,
            legend: slot,
            summary: summary(&c.name, pts, currency),
            name: c.name.clone(),
            points: pts.clone(),
        })
        .collect();

    let mut y_ticks = fitted_y_ticks(&y, money);
    y_ticks.retain(|t| t.pos >= plot_top - 0.5 && t.pos <= plot_bottom + 0.5);
    for t in &mut y_ticks {
        if (t.pos - plot_bottom).abs() < 0.5 && lo == 0.0 {
            t.label.clear();
        }
        t.pos = round2(t.pos);
    }
    // Every 25% on wide screens, every 50% on phones.
    let x_ticks = (0..=8)
        .map(|i| {
            let a = i as f64 * 0.25;
            Tick {
                pos: round2(x.apply(a)),
                label: percent(a, 0),
                minor: i % 2 == 1,
            }
        })
        .collect();

    let n = curves.len();
    let mut desc = format!(
        "Line chart of what one rep is paid under {n} plan{} by attainment of {} from 0% to 200%.",
        if n == 1 { "" } else { "s" },
        if quota.is_finite() && quota > 0.0 {
            format!("a {} quota", money(quota))
        } else {
            "quota".to_string()
        }
    );
    for s in &shapes {
        desc.push(' ');
        desc.push_str(&s.summary);
        desc.push('.');
    }

    PayoutLayout {
        width: WIDTH,
        height: plot_bottom + 2.0 * LINE_H + 12.0,
        plot_left,
        plot_right,
        plot_top,
        plot_bottom,
        curves: shapes,
        quota_x: round2(x.apply(1.0)),
        quota_label,
        quota_label_y: plot_top - 8.0,
        y_ticks,
        x_ticks,
        x_label_y: plot_bottom + LINE_H,
        caption,
        caption_y: plot_bottom + 2.0 * LINE_H,
        title,
        desc,
        empty: false,
    }
}

/// Payout per rep against quota attainment, one line per plan (distinct
/// colour and dash pattern), with a quota line at 100%.
#[component]
pub fn PayoutCurveChart(
    #[prop(into)] curves: Vec<PayoutCurve>,
    /// One rep's quota, in money (shown in the quota label).
    #[prop(into)]
    quota: f64,
    /// ISO currency code, e.g. "USD".
    #[prop(into)]
    currency: String,
) -> impl IntoView {
    let l = payout_layout(&curves, quota, &currency);
    let table = (!l.empty).then(|| payout_table(&l, &currency));
    let marks = (!l.empty).then_some("line");
    let ids = ChartIds::new("payout");
    let (width, height) = (l.width, round2(l.height));

    let body = if l.empty {
        draw::empty_message(width, height, "No plans yet")
    } else {
        let (left, right, top, bottom) = (l.plot_left, l.plot_right, l.plot_top, l.plot_bottom);
        let legend = l
            .curves
            .iter()
            .map(|c| {
                let (x, y) = (c.legend.x, c.legend_y);
                draw::line_legend_item(c.class.clone(), x, y, SWATCH, c.legend.label.clone())
            })
            .collect_view();
        let grid = draw::y_grid(l.y_ticks, left, right);
        let x_axis = draw::x_axis(l.x_ticks, left, right, bottom, l.x_label_y);
        let lines = l
            .curves
            .into_iter()
            .map(|c| {
                let attrs = mark_if((!c.path.is_empty()).then(|| c.summary.clone()));
                view! {
                    <path {..attrs} class=c.class d=c.path>
                        <title>{c.summary}</title>
                    </path>
                }
            })
            .collect_view();
        let qx = l.quota_x;
        view! {
            <g class="chart-legend">{legend}</g>
            {grid}
            <g class="chart-marker chart-marker-ref">
                <line x1=qx x2=qx y1=top - 4.0 y2=bottom />
                <text class="chart-marker-label" x=qx y=l.quota_label_y text-anchor="middle">{l.quota_label}</text>
            </g>
            {x_axis}
            <g class="chart-lines">{lines}</g>
            <text class="chart-label chart-muted" x=(left + right) / 2.0 y=l.caption_y text-anchor="middle">
                {l.caption}
            </text>
        }
        .into_any()
    };

    view! {
        <ChartFrame kind="payout" ids=ids width=width height=height title=l.title desc=l.desc table=table marks=marks>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 8% up to quota, 12% retroactive above it, $5K bonus at quota, like the
    /// engine's `payout_curve` (both sides of each jump, 1e-9 apart).
    fn accelerator() -> Vec<(f64, f64)> {
        let q = 100_000.0;
        let mut a: Vec<f64> = (0..=200).map(|i| i as f64 / 100.0).collect();
        a.push(1.0 - 1e-9);
        a.sort_by(f64::total_cmp);
        a.into_iter()
            .map(|a| {
                let rate = if a >= 1.0 { 0.12 } else { 0.08 };
                let bonus = if a >= 1.0 { 5_000.0 } else { 0.0 };
                (a, rate * a * q + bonus)
            })
            .collect()
    }

    fn flat() -> Vec<(f64, f64)> {
        (0..=20)
            .map(|i| (i as f64 / 10.0, i as f64 * 1_000.0))
            .collect()
    }

    fn sample() -> Vec<PayoutCurve> {
        vec![
            PayoutCurve {
                name: "Accelerator".into(),
                points: accelerator(),
            },
            PayoutCurve {
                name: "Flat 10%".into(),
                points: flat(),
            },
        ]
    }

    #[test]
    fn the_table_reads_the_curves_every_quarter_of_quota() {
        let l = payout_layout(&sample(), 1e5, "USD");
        let t = payout_table(&l, "USD");
        assert!(t.is_rectangular());
        assert_eq!(
            t.columns,
            ["Attainment (% of quota)", "Accelerator", "Flat 10%"]
        );
        let levels: Vec<&str> = t.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            levels,
            [
                "0%", "25%", "50%", "75%", "100%", "125%", "150%", "175%", "200%"
            ]
        );
        // The rows are the x ticks: one per tick drawn.
        assert_eq!(t.rows.len(), l.x_ticks.len());
        for (r, tick) in t.rows.iter().zip(&l.x_ticks) {
            assert_eq!(r[0], tick.label);
        }
        // After the jump at quota, as the curve is drawn.
        assert_eq!(t.rows[4][1], "$17,000");
        assert_eq!(t.rows[2][1], "$4,000");
        assert_eq!(t.rows[4][2], "$10,000");
        assert_eq!(t.rows[8][2], "$20,000");
        for (c, curve) in l.curves.iter().enumerate() {
            for r in &t.rows {
                let a: f64 = r[0].trim_end_matches('%').parse::<f64>().unwrap() / 100.0;
                let v = payout_at(&curve.points, a).unwrap();
                assert_eq!(r[c + 1], money(v, "USD"));
            }
            // The line's own summary agrees at quota.
            let at_quota: f64 = t.rows[4][c + 1][1..].replace(',', "").parse().unwrap();
            assert!(
                curve
                    .summary
                    .contains(&format!("{} at quota", money_compact(at_quota, "USD"))),
                "{}",
                curve.summary
            );
        }
        // A plan whose points stop short: no number where nothing is drawn.
        let short = vec![PayoutCurve {
            name: "Short".into(),
            points: vec![(0.0, 0.0), (1.0, 1_000.0)],
        }];
        let t = payout_table(&payout_layout(&short, 1e5, "EUR"), "EUR");
        assert_eq!(t.rows[4][1], "€1,000");
        assert_eq!(t.rows[5][1], MISSING);
    }

    #[test]
    fn empty_input() {
        let l = payout_layout(&[], 1e5, "USD");
        assert!(l.empty && l.curves.is_empty());
        let bad = vec![PayoutCurve {
            name: "x".into(),
            points: vec![(f64::NAN, 1.0), (3.0, 1.0), (1.0, f64::INFINITY)],
        }];
        let l = payout_layout(&bad, f64::NAN, "USD");
        assert!(l.empty);
        assert_eq!(l.desc, "No payout curves to show yet.");
    }

    #[test]
    fn cleaning_sorts_stably_and_clips() {
        let p = clean_points(&[(1.0, 5.0), (0.5, 1.0), (1.0, 9.0), (2.5, 1.0), (-1.0, 0.0)]);
        assert_eq!(p, vec![(0.5, 1.0), (1.0, 5.0), (1.0, 9.0)]);
    }

    #[test]
    fn steps_draw_vertically() {
        let l = payout_layout(&sample(), 100_000.0, "USD");
        let path = &l.curves[0].path;
        let pts: Vec<(f64, f64)> = path
            .split(' ')
            .map(|s| {
                let (x, y) = s[1..].split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        assert_eq!(pts.len(), accelerator().len());
        let quota_x = l.quota_x;
        let vertical: Vec<_> = pts
            .windows(2)
            .filter(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
            .collect();
        assert_eq!(vertical.len(), 1, "{vertical:?}");
        assert!((vertical[0][0].0 - quota_x).abs() < 0.01);
        // Jump goes up (smaller y) at quota.
        assert!(vertical[0][1].1 < vertical[0][0].1);
        // x never decreases.
        assert!(pts.windows(2).all(|w| w[1].0 >= w[0].0));
        // The flat plan has no steps.
        assert!(steps(&clean_points(&flat())).is_empty());
    }

    #[test]
    fn steps_and_values() {
        let pts = clean_points(&accelerator());
        let s = steps(&pts);
        assert_eq!(s.len(), 1);
        assert!((s[0].0 - 1.0).abs() < 1e-9);
        assert!((s[0].1 - 8_000.0).abs() < 0.01);
        assert!((s[0].2 - 17_000.0).abs() < 0.01);
        assert_eq!(payout_at(&pts, 1.0), Some(17_000.0));
        assert!((payout_at(&pts, 0.5).unwrap() - 4_000.0).abs() < 1e-6);
        let coarse = [(0.0, 0.0), (1.0, 10.0)];
        assert_eq!(payout_at(&coarse, 0.25), Some(2.5));
        assert_eq!(payout_at(&coarse, 1.5), None);
        assert_eq!(payout_at(&[(0.5, 1.0)], 0.25), None);
        // Several points at one attainment are one jump.
        let multi = [(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)];
        assert_eq!(steps(&multi), vec![(1.0, 1.0, 3.0)]);
    }

    #[test]
    fn axes_legend_and_description() {
        let l = payout_layout(&sample(), 100_000.0, "USD");
        assert!(!l.empty);
        assert_eq!(l.x_ticks.len(), 9);
        assert_eq!(l.x_ticks[0].label, "0%");
        assert_eq!(l.x_ticks[4].label, "100%");
        assert_eq!(l.x_ticks[8].label, "200%");
        assert!(!l.x_ticks[4].minor && l.x_ticks[3].minor);
        assert_eq!(l.quota_x, l.x_ticks[4].pos);
        assert_eq!(l.quota_label, "Quota $100K");
        assert!(l.y_ticks.len() >= 3);
        assert_eq!(l.y_ticks[0].label, "");
        assert!(l.y_ticks.iter().skip(1).all(|t| t.label.starts_with('$')));
        assert_eq!(l.curves[0].class, "chart-series chart-series-1");
        assert_eq!(l.curves[1].class, "chart-series chart-series-2");
        assert_eq!(l.curves[1].legend.label, "Flat 10%");
        assert!(l.curves[1].legend.x > l.curves[0].legend.x);
        assert!(l.plot_top > l.curves[0].legend_y + 10.0);
        assert!(l.desc.starts_with(
            "Line chart of what one rep is paid under 2 plans by attainment of a $100K quota"
        ));
        assert!(l.desc.contains(
            "Accelerator: pays $4K at 50%, $17K at quota and $29K at 200%; jumps from $8K to $17K at 100%."
        ));
        assert!(
            l.desc
                .contains("Flat 10%: pays $5K at 50%, $10K at quota and $20K at 200%.")
        );
    }

    #[test]
    fn many_plans_wrap_the_legend_and_cycle_styles() {
        let curves: Vec<PayoutCurve> = (0..7)
            .map(|i| PayoutCurve {
                name: format!("Plan number {i}"),
                points: flat(),
            })
            .collect();
        let l = payout_layout(&curves, 0.0, "EUR");
        assert!(l.curves.iter().any(|c| c.legend.row > 0));
        assert_eq!(l.curves[5].class, l.curves[0].class);
        let last_legend = l.curves.iter().map(|c| c.legend_y).fold(0.0, f64::max);
        assert!(l.plot_top >= last_legend + LINE_H);
        assert_eq!(l.quota_label, "Quota");
        // A plan without points keeps its legend entry but draws nothing.
        let mut with_empty = sample();
        with_empty.push(PayoutCurve {
            name: "Empty".into(),
            points: vec![],
        });
        let l = payout_layout(&with_empty, 1e5, "USD");
        assert_eq!(l.curves.len(), 3);
        assert!(l.curves[2].path.is_empty());
        assert!(l.desc.contains("Empty: no payout data."));
    }
}
