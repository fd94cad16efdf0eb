//! Expected leads by month with seasonality: a bar per month of the horizon
//! (the engine's `timing::expected_leads_by_month`, at the average lead
//! multiplier), named by its calendar month, with the flat level (no
//! seasonality) as a dashed line to read each month against.

use leptos::prelude::*;

use super::common::ChartIds;
use super::frame::{ChartFrame, mark};
use super::months::{axis_label, month_words};
use super::scale::{LinearScale, nice, round2};
use super::table::ChartTable;
use crate::format::count;

pub const WIDTH: f64 = 480.0;
pub const HEIGHT: f64 = 150.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 24.0;

#[derive(Clone, Debug, PartialEq)]
pub struct SeasonBar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// The calendar month under the bar; `None` where labels would crowd.
    pub label: Option<String>,
    pub tip: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SeasonLayout {
    pub bars: Vec<SeasonBar>,
    /// The flat months' line, `M x y L x y ...` (empty without months).
    pub flat_path: String,
    pub y_max: (f64, f64),
    pub baseline: f64,
    /// Rows of the chart's table: month in words, expected, without seasonality.
    pub rows: Vec<(String, f64, f64)>,
}

/// Bars for `expected` leads per month (from month 1) and the line of
/// `flat` (the same months without seasonality), months named from `start`.
pub fn season_layout(expected: &[f64], flat: &[f64], start: u32) -> SeasonLayout {
    let finite = |x: f64| if x.is_finite() { x.max(0.0) } else { 0.0 };
    let top = expected
        .iter()
        .chain(flat)
        .map(|&x| finite(x))
        .fold(0.0, f64::max);
    let (_, y_top) = nice(0.0, top.max(1.0), 4);
    let y = LinearScale::new((0.0, y_top), (HEIGHT - BOTTOM, TOP));
    let n = expected.len().max(1) as f64;
    let step = (WIDTH - LEFT - RIGHT) / n;
    // Three letters need ~26 units at the phone font's scale.
    let every = ((26.0 / step).ceil() as usize).max(1);
    let start = Some(start);
    let bars = expected
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let top = y.clamped(finite(v));
            SeasonBar {
                x: round2(LEFT + step * i as f64 + step * 0.15),
                y: round2(top),
                width: round2(step * 0.7),
                height: round2(HEIGHT - BOTTOM - top),
                label: (i % every == 0).then(|| axis_label(i + 1, start)),
                tip: format!(
                    "{}: {} leads expected",
                    month_words(i + 1, start),
                    count(finite(v).round())
                ),
            }
        })
        .collect();
    let flat_path = flat
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| {
            let yv = round2(y.clamped(finite(v)));
            let (x0, x1) = (
                round2(LEFT + step * i as f64),
                round2(LEFT + step * (i + 1) as f64),
            );
            [(x0, yv), (x1, yv)]
        })
        .enumerate()
        .map(|(k, (x, yv))| format!("{}{x} {yv}", if k == 0 { "M" } else { " L" }))
        .collect();
    let rows = expected
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            (
                month_words(i + 1, start),
                finite(v),
                finite(*flat.get(i).unwrap_or(&0.0)),
            )
        })
        .collect();
    SeasonLayout {
        bars,
        flat_path,
        y_max: (y_top, round2(y.apply(y_top))),
        baseline: HEIGHT - BOTTOM,
        rows,
    }
}

/// The chart's numbers as a table.
pub fn season_table(l: &SeasonLayout) -> ChartTable {
    ChartTable {
        caption: "Expected new leads by month, with and without seasonality".into(),
        columns: vec![
            "Month".into(),
            "Expected leads".into(),
            "Without seasonality".into(),
        ],
        rows: l
            .rows
            .iter()
            .map(|(m, v, f)| vec![m.clone(), count(v.round()), count(f.round())])
            .collect(),
    }
}

#[component]
pub fn SeasonChart(expected: Vec<f64>, flat: Vec<f64>, start: u32) -> impl IntoView {
    let layout = season_layout(&expected, &flat, start);
    let table = season_table(&layout);
    let ids = ChartIds::new("season");
    let desc = format!(
        "Expected new leads in each of the {} months as bars; the dashed line is the same months without seasonality.",
        expected.len()
    );
    let baseline = layout.baseline;
    view! {
        <ChartFrame
            kind="season"
            ids=ids
            width=WIDTH
            height=HEIGHT
            title="Expected leads by month"
            desc=desc
            table=Some(table)
            marks=Some("bar")
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
                        <rect class="bar season-bar" x=b.x y=b.y width=b.width height=b.height {..mark(b.tip)} />
                        {b.label.map(|l| view! {
                            <text class="tick-label" x=cx y=baseline + 16.0 text-anchor="middle">{l}</text>
                        })}
                    }
                })
                .collect_view()}
            <path class="season-flat" d=layout.flat_path fill="none" />
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_follow_the_expected_leads_and_name_calendar_months() {
        let flat = vec![100.0; 12];
        let expected: Vec<f64> = [110, 110, 110, 110, 110, 90, 70, 70, 90, 110, 110, 110]
            .iter()
            .map(|&p| p as f64)
            .collect();
        let l = season_layout(&expected, &flat, 1);
        assert_eq!(l.bars.len(), 12);
        // Taller bar, more leads; July below June.
        assert!(l.bars[6].height < l.bars[5].height);
        assert!((l.bars[0].height / l.bars[6].height - 110.0 / 70.0).abs() < 1e-3);
        assert!(l.bars.iter().all(|b| b.y + b.height <= l.baseline + 1e-9));
        assert_eq!(l.bars[0].label.as_deref(), Some("Jan"));
        assert!(
            l.bars[6].tip.starts_with("Month 7 (July): 70 leads"),
            "{}",
            l.bars[6].tip
        );
        assert!(l.flat_path.starts_with("M44 "), "{}", l.flat_path);
        let t = season_table(&l);
        assert!(t.is_rectangular());
        assert_eq!(t.rows[8], ["Month 9 (September)", "90", "100"]);
    }

    #[test]
    fn long_horizons_thin_the_labels_and_odd_numbers_draw_nothing_wrong() {
        let v: Vec<f64> = (0..60)
            .map(|i| if i == 3 { f64::NAN } else { i as f64 })
            .collect();
        let l = season_layout(&v, &v, 11);
        assert_eq!(l.bars.len(), 60);
        assert!(l.bars.iter().filter(|b| b.label.is_some()).count() < 60);
        assert_eq!(l.bars[0].label.as_deref(), Some("Nov"));
        assert!(
            l.bars
                .iter()
                .all(|b| b.height.is_finite() && b.height >= 0.0)
        );
        assert!(!l.flat_path.contains("NaN"));
        let empty = season_layout(&[], &[], 1);
        assert!(empty.bars.is_empty() && empty.flat_path.is_empty());
    }
}
