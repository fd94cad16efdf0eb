//! Scenarios compared month by month: each one's median cumulative revenue
//! by the end of each month (the engine's `ScenarioFigures::cumulative_p50`),
//! one line per scenario with its colour and dash pattern, the target as a
//! horizontal line.

use leptos::prelude::*;

use super::draw;
use super::frame::{ChartFrame, mark_if};
use super::table::ChartTable;

use super::common::{
    ChartIds, LINE_H, LegendSlot, Tick, WIDTH, fitted_y_ticks, flow_legend, series_class,
};
use super::path::line_path;
use super::scale::{LinearScale, nice, round2};
use crate::format::{MISSING, money, money_compact};

/// One scenario's line: its name and median cumulative revenue, month 1 first.
#[derive(Clone, Debug, PartialEq)]
pub struct MedianLine {
    pub name: String,
    pub cumulative_p50: Vec<f64>,
}

const SIDE: f64 = 30.0;
const PLOT_H: f64 = 220.0;
/// Legend swatch length.
pub const SWATCH: f64 = 36.0;

/// A drawn scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct MedianShape {
    /// `chart-series chart-series-N`: colour and dash pattern.
    pub class: String,
    pub path: String,
    /// Month-end points, as drawn.
    pub points: Vec<(f64, f64)>,
    pub legend: LegendSlot,
    pub legend_y: f64,
    /// "More leads: median $1.2M by month 6".
    pub summary: String,
    pub name: String,
}

/// Everything the chart draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct MediansLayout {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    pub lines: Vec<MedianShape>,
    /// The target's y and label, when there is one.
    pub target: Option<(f64, String)>,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub x_label_y: f64,
    pub caption: String,
    pub caption_y: f64,
    pub title: String,
    pub desc: String,
    /// The months of the longest line (the table's rows).
    pub months: usize,
    pub empty: bool,
}

/// The lines' layout. Non-finite values are left out of a line.
pub fn medians_layout(lines: &[MedianLine], target: Option<f64>, currency: &str) -> MediansLayout {
    let money_c = |v: f64| money_compact(v, currency);
    let title = "Median cumulative revenue by month".to_string();
    let caption = "Month".to_string();
    let (plot_left, plot_right) = (SIDE + 20.0, WIDTH - SIDE);
    let months = lines
        .iter()
        .map(|l| l.cumulative_p50.len())
        .max()
        .unwrap_or(0);
    let target = target.filter(|t| t.is_finite());
    if months == 0 {
        return MediansLayout {
            width: WIDTH,
            height: 80.0,
            plot_left,
            plot_right,
            plot_top: 0.0,
            plot_bottom: 80.0,
            lines: Vec::new(),
            target: None,
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            x_label_y: 0.0,
            caption,
            caption_y: 0.0,
            title,
            desc: "No months to show yet.".into(),
            months: 0,
            empty: true,
        };
    }
    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
    let legend = flow_legend(&names, SWATCH, 8.0, WIDTH - 8.0);
    let legend_rows = legend.iter().map(|s| s.row + 1).max().unwrap_or(0) as f64;
    let plot_top = 8.0 + legend_rows * LINE_H + 10.0 + LINE_H;
    let plot_bottom = plot_top + PLOT_H;

    let values = lines
        .iter()
        .flat_map(|l| l.cumulative_p50.iter().copied())
        .chain(target)
        .filter(|v| v.is_finite());
    let (mut lo, mut hi) = values.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    if hi - lo <= 0.0 || !(hi - lo).is_finite() {
        hi = lo + 1.0;
    }
    (lo, hi) = nice(lo, hi, 4);
    let y = LinearScale::new((lo, hi), (plot_bottom, plot_top));
    // Month 0 (the start, nothing yet) at the left edge.
    let x = LinearScale::new((0.0, months as f64), (plot_left, plot_right));

    let shapes: Vec<MedianShape> = lines
        .iter()
        .zip(legend)
        .enumerate()
        .map(|(i, (l, slot))| {
            let points: Vec<(f64, f64)> = l
                .cumulative_p50
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(m, &v)| (round2(x.apply(m as f64 + 1.0)), round2(y.apply(v))))
                .collect();
            let summary = match l.cumulative_p50.iter().rposition(|v| v.is_finite()) {
                Some(m) => format!(
                    "{}: median {} by month {}",
                    l.name,
                    money_c(l.cumulative_p50[m]),
                    m + 1
                ),
                None => format!("{}: no months", l.name),
            };
            MedianShape {
                class: series_class(i),
                path: line_path(&points),
                points,
                legend_y: 8.0 + (slot.row as f64 + 1.0) * LINE_H - 8.0,
                legend: slot,
                summary,
                name: l.name.clone(),
            }
        })
        .collect();

    let mut y_ticks = fitted_y_ticks(&y, money_c);
    y_ticks.retain(|t| t.pos >= plot_top - 0.5 && t.pos <= plot_bottom + 0.5);
    for t in &mut y_ticks {
        t.pos = round2(t.pos);
    }
    // Every month up to 12, then every other or every third.
    let every = months.div_ceil(12).max(1);
    let x_ticks = (1..=months)
        .map(|m| Tick {
            pos: round2(x.apply(m as f64)),
            label: m.to_string(),
            minor: m % every != 0 && m != 1,
        })
        .collect();
    let mut desc = format!(
        "Line chart of the median cumulative revenue by the end of each month for {} scenarios.",
        lines.len()
    );
    for s in &shapes {
        desc.push(' ');
        desc.push_str(&s.summary);
        desc.push('.');
    }
    let target = target.map(|t| {
        desc.push_str(&format!(" Target {}.", money_c(t)));
        (round2(y.apply(t)), format!("Target {}", money_c(t)))
    });
    MediansLayout {
        width: WIDTH,
        height: plot_bottom + 2.0 * LINE_H + 12.0,
        plot_left,
        plot_right,
        plot_top,
        plot_bottom,
        lines: shapes,
        target,
        y_ticks,
        x_ticks,
        x_label_y: plot_bottom + LINE_H,
        caption,
        caption_y: plot_bottom + 2.0 * LINE_H,
        title,
        desc,
        months,
        empty: false,
    }
}

/// The lines as a table: a row per month, a column per scenario.
pub fn medians_table(l: &MediansLayout, lines: &[MedianLine], currency: &str) -> ChartTable {
    let columns = std::iter::once("Month".to_string())
        .chain(l.lines.iter().map(|s| s.name.clone()))
        .collect();
    let rows = (0..l.months)
        .map(|m| {
            std::iter::once((m + 1).to_string())
                .chain(lines.iter().map(|line| {
                    line.cumulative_p50
                        .get(m)
                        .filter(|v| v.is_finite())
                        .map_or_else(|| MISSING.to_string(), |&v| money(v, currency))
                }))
                .collect()
        })
        .collect();
    ChartTable {
        caption: format!(
            "{}: half the trials had earned at least this by the end of the month",
            l.title
        ),
        columns,
        rows,
    }
}

/// The scenarios' median cumulative revenue, one line each, and the target.
#[component]
pub fn MediansChart(
    #[prop(into)] lines: Vec<MedianLine>,
    #[prop(into)] target: Option<f64>,
    #[prop(into)] currency: String,
) -> impl IntoView {
    let l = medians_layout(&lines, target, &currency);
    let table = (!l.empty).then(|| medians_table(&l, &lines, &currency));
    let marks = (!l.empty).then_some("line");
    let ids = ChartIds::new("medians");
    let (width, height) = (l.width, round2(l.height));
    let body = if l.empty {
        draw::empty_message(width, height, "No results yet")
    } else {
        let (left, right, bottom) = (l.plot_left, l.plot_right, l.plot_bottom);
        let legend = l
            .lines
            .iter()
            .map(|c| {
                let (x, y) = (c.legend.x, c.legend_y);
                draw::line_legend_item(c.class.clone(), x, y, SWATCH, c.legend.label.clone())
            })
            .collect_view();
        let grid = draw::y_grid(l.y_ticks, left, right);
        let x_axis = draw::x_axis(l.x_ticks, left, right, bottom, l.x_label_y);
        let target = l.target.map(|(ty, label)| {
            view! {
                <g class="chart-marker chart-marker-target">
                    <line x1=left x2=right y1=ty y2=ty />
                    <text class="chart-marker-label" x=right y=ty - 6.0 text-anchor="end">{label}</text>
                </g>
            }
        });
        let lines = l
            .lines
            .into_iter()
            .map(|c| {
                let attrs = mark_if((!c.path.is_empty()).then(|| c.summary.clone()));
                let dots = c
                    .points
                    .iter()
                    .map(|&(x, y)| view! { <circle class=format!("{} chart-dot", c.class) cx=x cy=y r="3" /> })
                    .collect_view();
                view! {
                    <path {..attrs} class=c.class.clone() d=c.path>
                        <title>{c.summary}</title>
                    </path>
                    {dots}
                }
            })
            .collect_view();
        view! {
            <g class="chart-legend">{legend}</g>
            {grid}
            {target}
            {x_axis}
            <g class="chart-lines">{lines}</g>
            <text class="chart-label chart-muted" x=(left + right) / 2.0 y=l.caption_y text-anchor="middle">
                {l.caption}
            </text>
        }
        .into_any()
    };
    view! {
        <ChartFrame kind="medians" ids=ids width=width height=height title=l.title desc=l.desc table=table marks=marks>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<MedianLine> {
        vec![
            MedianLine {
                name: "Base".into(),
                cumulative_p50: vec![100_000.0, 250_000.0, 400_000.0],
            },
            MedianLine {
                name: "More leads".into(),
                cumulative_p50: vec![120_000.0, 300_000.0, 500_000.0],
            },
        ]
    }

    #[test]
    fn lines_rise_with_revenue_and_share_the_axes() {
        let l = medians_layout(&lines(), Some(450_000.0), "USD");
        assert!(!l.empty);
        assert_eq!(l.months, 3);
        assert_eq!(l.lines.len(), 2);
        let (a, b) = (&l.lines[0].points, &l.lines[1].points);
        assert_eq!(a.len(), 3);
        for i in 0..3 {
            assert_eq!(a[i].0, b[i].0, "month {i} at one x for both");
            assert!(b[i].1 < a[i].1, "more revenue is higher (smaller y)");
            assert!(a[i].0 > l.plot_left && a[i].0 <= l.plot_right + 0.01);
            assert!(a[i].1 >= l.plot_top - 0.01 && a[i].1 <= l.plot_bottom + 0.01);
        }
        assert!(a[2].1 < a[0].1);
        // The target lies between the two lines' last points.
        let (ty, label) = l.target.clone().unwrap();
        assert!(b[2].1 < ty && ty < a[2].1, "{ty}");
        assert_eq!(label, "Target $450K");
        assert_ne!(l.lines[0].class, l.lines[1].class, "each its own style");
        assert_eq!(l.lines[1].summary, "More leads: median $500K by month 3");
    }

    #[test]
    fn the_table_lists_every_month() {
        let lines = lines();
        let l = medians_layout(&lines, None, "USD");
        let t = medians_table(&l, &lines, "USD");
        assert!(t.is_rectangular());
        assert_eq!(t.columns, ["Month", "Base", "More leads"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2], ["3", "$400,000", "$500,000"]);
    }

    #[test]
    fn nothing_to_draw_and_odd_values() {
        assert!(medians_layout(&[], None, "USD").empty);
        let odd = vec![MedianLine {
            name: "Odd".into(),
            cumulative_p50: vec![f64::NAN, 5.0, f64::INFINITY],
        }];
        let l = medians_layout(&odd, Some(f64::NAN), "USD");
        assert_eq!(l.lines[0].points.len(), 1);
        assert!(l.target.is_none());
        let t = medians_table(&l, &odd, "USD");
        assert_eq!(t.rows[0][1], MISSING);
        // Long horizons thin the labelled ticks: month 1 and every third.
        let long = vec![MedianLine {
            name: "Long".into(),
            cumulative_p50: (1..=36).map(|m| m as f64 * 1e5).collect(),
        }];
        let l = medians_layout(&long, None, "USD");
        assert_eq!(l.x_ticks.iter().filter(|t| !t.minor).count(), 13);
    }
}
