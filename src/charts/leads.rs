//! Leads per month from a CRM export (the calibration report): a bar per
//! month and the fitted growth as a line through the months' centres.

use leptos::prelude::*;

use super::common::ChartIds;
use super::frame::ChartFrame;
use super::scale::{LinearScale, nice, round2};
use super::table::ChartTable;
use crate::format::count;

pub const WIDTH: f64 = 480.0;
pub const HEIGHT: f64 = 160.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;

/// One month as the engine counted it.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthIn {
    /// `YYYY-MM`.
    pub month: String,
    pub leads: u64,
    pub fitted: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeadBar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// `MM` of the month under the bar (every other month when crowded).
    pub label: Option<String>,
    pub tip: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeadsLayout {
    pub bars: Vec<LeadBar>,
    /// The fitted line, `M x y L x y ...`; empty without months.
    pub fit_path: String,
    /// The y axis top, with its position.
    pub y_max: (f64, f64),
    pub baseline: f64,
}

/// Bars and the fitted line for `months` (oldest first).
pub fn leads_layout(months: &[MonthIn]) -> LeadsLayout {
    let top = months
        .iter()
        .map(|m| (m.leads as f64).max(m.fitted))
        .fold(0.0, f64::max);
    let (_, y_top) = nice(0.0, top.max(1.0), 4);
    let y = LinearScale::new((0.0, y_top), (HEIGHT - BOTTOM, TOP));
    let n = months.len().max(1) as f64;
    let step = (WIDTH - LEFT - RIGHT) / n;
    let every = if months.len() > 8 { 2 } else { 1 };
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let top = y.clamped(m.leads as f64);
            LeadBar {
                x: round2(LEFT + step * i as f64 + step * 0.15),
                y: round2(top),
                width: round2(step * 0.7),
                height: round2(HEIGHT - BOTTOM - top),
                label: (i % every == 0).then(|| m.month.get(5..).unwrap_or(&m.month).to_string()),
                tip: format!(
                    "{}: {} leads (fitted {})",
                    m.month,
                    count(m.leads as f64),
                    count(m.fitted.round())
                ),
            }
        })
        .collect();
    let fit_path = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "{}{} {}",
                if i == 0 { "M" } else { " L" },
                round2(LEFT + step * (i as f64 + 0.5)),
                round2(y.clamped(m.fitted))
            )
        })
        .collect();
    LeadsLayout {
        bars,
        fit_path,
        y_max: (y_top, round2(y.apply(y_top))),
        baseline: HEIGHT - BOTTOM,
    }
}

/// The chart's numbers as a table.
pub fn leads_table(months: &[MonthIn]) -> ChartTable {
    ChartTable {
        caption: "Leads per month, counted and fitted".into(),
        columns: vec!["Month".into(), "Leads".into(), "Fitted".into()],
        rows: months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    count(m.leads as f64),
                    count(m.fitted.round()),
                ]
            })
            .collect(),
    }
}

#[component]
pub fn LeadsChart(months: Vec<MonthIn>, growth: String) -> impl IntoView {
    let layout = leads_layout(&months);
    let ids = ChartIds::new("leads");
    let desc = format!(
        "{} months of leads as bars; the line is the fitted trend ({growth} a month).",
        months.len()
    );
    let baseline = layout.baseline;
    view! {
        <ChartFrame
            kind="leads"
            ids=ids
            width=WIDTH
            height=HEIGHT
            title="Leads per month"
            desc=desc
            table=Some(leads_table(&months))
        >
            <text class="tick-label" x=LEFT - 4.0 y=layout.y_max.1 + 4.0 text-anchor="end">
                {count(layout.y_max.0)}
            </text>
            <text class="tick-label" x=LEFT - 4.0 y=baseline text-anchor="end">"0"</text>
            <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=baseline y2=baseline />
            {layout
                .bars
                .into_iter()
                .map(|b| {
                    let cx = b.x + b.width / 2.0;
                    view! {
                        <rect class="bar leads-bar" x=b.x y=b.y width=b.width height=b.height>
                            <title>{b.tip}</title>
                        </rect>
                        {b.label.map(|l| view! {
                            <text class="tick-label" x=cx y=baseline + 14.0 text-anchor="middle">{l}</text>
                        })}
                    }
                })
                .collect_view()}
            <path class="leads-fit" d=layout.fit_path fill="none" />
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(counts: &[(u64, f64)]) -> Vec<MonthIn> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &(leads, fitted))| MonthIn {
                month: format!("2025-{:02}", i + 1),
                leads,
                fitted,
            })
            .collect()
    }

    #[test]
    fn bars_stand_on_the_baseline_in_proportion() {
        let l = leads_layout(&months(&[(50, 48.0), (100, 100.0), (0, 52.0)]));
        assert_eq!(l.bars.len(), 3);
        for b in &l.bars {
            assert!((b.y + b.height - l.baseline).abs() < 0.02, "{b:?}");
        }
        // 100 leads are twice the height of 50.
        assert!((l.bars[1].height - 2.0 * l.bars[0].height).abs() < 0.05);
        assert_eq!(l.bars[2].height, 0.0);
        // Bars go left to right without overlap, inside the plot.
        assert!(l.bars[0].x + l.bars[0].width < l.bars[1].x);
        assert!(l.bars[2].x + l.bars[2].width <= WIDTH - RIGHT);
        assert!(l.bars[0].x >= LEFT);
    }

    #[test]
    fn the_fit_passes_through_each_month_s_centre_at_its_value() {
        let m = months(&[(50, 40.0), (100, 80.0)]);
        let l = leads_layout(&m);
        let points: Vec<(f64, f64)> = l
            .fit_path
            .split(['M', 'L'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                let mut it = s.split_whitespace().map(|v| v.parse::<f64>().unwrap());
                (it.next().unwrap(), it.next().unwrap())
            })
            .collect();
        assert_eq!(points.len(), 2);
        for (p, b) in points.iter().zip(&l.bars) {
            assert!((p.0 - (b.x + b.width / 2.0)).abs() < 0.02);
        }
        // 80 fitted is twice as far above the baseline as 40.
        let h = |p: &(f64, f64)| l.baseline - p.1;
        assert!((h(&points[1]) - 2.0 * h(&points[0])).abs() < 0.05);
        // The axis top holds the largest value.
        assert!(l.y_max.0 >= 100.0);
    }

    #[test]
    fn crowded_months_label_every_other_and_no_months_draw_nothing() {
        let m = months(&[(1, 1.0); 12]);
        let l = leads_layout(&m);
        assert_eq!(l.bars.iter().filter(|b| b.label.is_some()).count(), 6);
        assert_eq!(l.bars[0].label.as_deref(), Some("01"));
        let empty = leads_layout(&[]);
        assert!(empty.bars.is_empty() && empty.fit_path.is_empty());
        let t = leads_table(&m);
        assert!(t.is_rectangular() && t.rows.len() == 12);
    }
}

/// The backtest's strip: the forecast's P10..P90 as a band and the actual
/// as a line, on one axis wide enough for both (x positions in a 360-wide box).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strip {
    pub band: (f64, f64),
    pub actual: f64,
}

/// The strip's viewBox width.
pub const STRIP_WIDTH: f64 = 360.0;

pub fn strip_layout(p10: f64, p90: f64, actual: f64) -> Strip {
    let lo = p10.min(actual);
    let hi = p90.max(actual);
    let pad = ((hi - lo) * 0.1).max(1.0);
    let x = LinearScale::new((lo - pad, hi + pad), (16.0, STRIP_WIDTH - 16.0));
    Strip {
        band: (round2(x.apply(p10)), round2(x.apply(p90))),
        actual: round2(x.apply(actual)),
    }
}

#[cfg(test)]
mod strip_tests {
    use super::*;

    #[test]
    fn the_actual_sits_where_it_falls_against_the_band() {
        let inside = strip_layout(100.0, 200.0, 150.0);
        assert!((inside.actual - (inside.band.0 + inside.band.1) / 2.0).abs() < 0.02);
        let above = strip_layout(100.0, 200.0, 300.0);
        assert!(above.actual > above.band.1 && above.actual <= STRIP_WIDTH - 16.0);
        let below = strip_layout(100.0, 200.0, 0.0);
        assert!(below.actual < below.band.0 && below.actual >= 16.0);
    }
}
