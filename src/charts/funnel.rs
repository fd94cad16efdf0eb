//! Sales funnel: one centred bar per stage, width proportional to the deals
//! entering it, split into advanced, still-open and lost parts.

use leptos::prelude::*;

use super::draw;
use super::frame::{ChartFrame, mark};
use super::table::ChartTable;

use super::common::{ChartIds, LINE_H, WIDTH, fit_text, text_width};
use super::scale::round2;
use crate::format::{count, money, money_compact, percent};

/// One funnel stage as the app reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelRow {
    pub name: String,
    /// Deals that entered the stage.
    pub entered: f64,
    /// Deals that moved on to the next stage (or won, for the last).
    pub advanced: f64,
    /// Deals lost at this stage.
    pub lost: f64,
    /// Share 0..1 of entered deals that advanced.
    pub conversion: f64,
    /// Money value of the deals lost at this stage.
    pub lost_value: f64,
}

const SIDE: f64 = 8.0;
const ROW_H: f64 = 100.0;
const BAR_H: f64 = 30.0;
const LEGEND_H: f64 = 8.0 + LINE_H + 10.0;
/// Narrowest stage bar: late stages of a wide funnel would be slivers whose
/// split into advanced and lost cannot be seen. A bar widened to it says so.
pub const MIN_BAR_W: f64 = 64.0;

/// What part of a stage a bar segment shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    Advanced,
    Open,
    Lost,
}

/// A horizontal piece of a stage bar.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelSegment {
    pub kind: SegmentKind,
    pub x: f64,
    pub width: f64,
}

/// One drawn stage.
#[derive(Clone, Debug, PartialEq)]
pub struct StageShape {
    /// Top of the stage's band.
    pub y: f64,
    pub bar_y: f64,
    pub name_y: f64,
    pub detail_y: f64,
    pub segments: Vec<FunnelSegment>,
    /// Stage name, shortened to fit.
    pub name: String,
    /// "1,000 entered".
    pub entered: String,
    /// "42.1% advance".
    pub conversion: String,
    /// "579 lost · $2.3M".
    pub lost: String,
    pub leak: bool,
    /// Drawn wider than the scale ([`MIN_BAR_W`]); its split is still to
    /// its own scale.
    pub widened: bool,
    /// Full sentence for hover and screen readers.
    pub summary: String,
    /// The numbers the stage is drawn from.
    pub data: FunnelRow,
    /// Deals neither moved on nor lost (the still-open segments' total).
    pub open: f64,
}

/// A legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelLegend {
    pub kind: SegmentKind,
    pub x: f64,
    pub label: &'static str,
}

/// Everything the funnel component draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelLayout {
    pub width: f64,
    pub height: f64,
    pub legend_y: f64,
    pub legend: Vec<FunnelLegend>,
    pub stages: Vec<StageShape>,
    pub title: String,
    pub desc: String,
    pub empty: bool,
}

fn non_negative(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 0.0 }
}

/// Bar segments for one stage, centred on the chart, lost parts outermost.
fn segments(row: &FunnelRow, scale: f64) -> Vec<FunnelSegment> {
    let a = non_negative(row.advanced);
    let l = non_negative(row.lost);
    let open = still_open(row);
    let total = a + l + open;
    let w = |v: f64| v * scale;
    let total_w = w(total);
    if !(total_w.is_finite() && total_w > 0.0) {
        return Vec::new();
    }
    let mut x = WIDTH / 2.0 - total_w / 2.0;
    let mut out = Vec::new();
    let parts = [
        (SegmentKind::Lost, w(l) / 2.0),
        (SegmentKind::Open, w(open) / 2.0),
        (SegmentKind::Advanced, w(a)),
        (SegmentKind::Open, w(open) / 2.0),
        (SegmentKind::Lost, w(l) / 2.0),
    ];
    for (kind, width) in parts {
        if width > 0.0 {
            out.push(FunnelSegment {
                kind,
                x: round2(x),
                width: round2(width.max(0.5)),
            });
        }
        x += width;
    }
    out
}

/// Deals that entered a stage and neither moved on nor were lost.
fn still_open(row: &FunnelRow) -> f64 {
    let e = non_negative(row.entered);
    let a = non_negative(row.advanced);
    let l = non_negative(row.lost);
    e.max(a + l) - a - l
}

fn stage_summary(row: &FunnelRow, currency: &str) -> String {
    let mut s = format!(
        "{}: {} deals entered, {} advanced, {} lost",
        row.name,
        count(row.entered),
        percent(row.conversion, 1),
        count(row.lost)
    );
    if row.lost_value.is_finite() && row.lost_value > 0.0 {
        s.push_str(&format!(
            " (worth {})",
            money_compact(row.lost_value, currency)
        ));
    }
    s
}

/// Compute the funnel layout. `leak` is the index of the biggest leak.
pub fn funnel_layout(rows: &[FunnelRow], leak: Option<usize>, currency: &str) -> FunnelLayout {
    let title = "Sales funnel by stage".to_string();
    let leak = leak.filter(|&i| i < rows.len());
    if rows.is_empty() {
        return FunnelLayout {
            width: WIDTH,
            height: 80.0,
            legend_y: 0.0,
            legend: Vec::new(),
            stages: Vec::new(),
            title,
            desc: "No funnel stages to show.".to_string(),
            empty: true,
        };
    }
    let widest = rows
        .iter()
        .map(|r| non_negative(r.entered).max(non_negative(r.advanced) + non_negative(r.lost)))
        .fold(0.0, f64::max);
    let scale = if widest > 0.0 && widest.is_finite() {
        (WIDTH - 2.0 * SIDE) / widest
    } else {
        0.0
    };

    let stages: Vec<StageShape> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let y = LEGEND_H + i as f64 * ROW_H;
            let total =
                non_negative(row.entered).max(non_negative(row.advanced) + non_negative(row.lost));
            let widened = total > 0.0 && total * scale < MIN_BAR_W;
            let row_scale = if widened { MIN_BAR_W / total } else { scale };
            let entered = if widened {
                format!("{} entered (bar not to scale)", count(row.entered))
            } else {
                format!("{} entered", count(row.entered))
            };
            let mut lost = format!("{} lost", count(row.lost));
            if row.lost_value.is_finite() && row.lost_value > 0.0 {
                lost.push_str(&format!(" · {}", money_compact(row.lost_value, currency)));
            }
            let name_room = WIDTH - 2.0 * SIDE - text_width(&entered) - 16.0;
            StageShape {
                y,
                bar_y: y + 30.0,
                name_y: y + 21.0,
                detail_y: y + 30.0 + BAR_H + 24.0,
                segments: segments(row, row_scale),
                name: fit_text(&row.name, name_room),
                entered,
                conversion: if row.conversion.is_finite() {
                    format!("{} advance", percent(row.conversion, 1))
                } else {
                    "no deals left".to_owned()
                },
                lost,
                leak: leak == Some(i),
                widened,
                summary: stage_summary(row, currency),
                data: row.clone(),
                open: still_open(row),
            }
        })
        .collect();

    let any_open = stages
        .iter()
        .any(|s| s.segments.iter().any(|g| g.kind == SegmentKind::Open));
    let mut legend = Vec::new();
    let mut x = SIDE;
    for (kind, label) in [
        (SegmentKind::Advanced, "Advanced"),
        (SegmentKind::Open, "Still open"),
        (SegmentKind::Lost, "Lost"),
    ] {
        if kind == SegmentKind::Open && !any_open {
            continue;
        }
        legend.push(FunnelLegend { kind, x, label });
        x += 26.0 + text_width(label) + 18.0;
    }

    let mut desc = format!(
        "Sales funnel with {} stage{}. ",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    desc.push_str(
        &stages
            .iter()
            .map(|s| s.summary.clone())
            .collect::<Vec<_>>()
            .join(". "),
    );
    desc.push('.');
    if let Some(i) = leak {
        desc.push_str(&format!(" The biggest leak is {}.", rows[i].name));
    }

    FunnelLayout {
        width: WIDTH,
        height: LEGEND_H + rows.len() as f64 * ROW_H,
        legend_y: 8.0 + LINE_H - 8.0,
        legend,
        stages,
        title,
        desc,
        empty: false,
    }
}

/// The stages as a table: the deals entering, moving on, still open (when
/// any are) and lost, and the value lost, as the bars and their labels show.
pub fn funnel_table(l: &FunnelLayout, currency: &str) -> ChartTable {
    let any_open = l.stages.iter().any(|s| s.open > 0.0);
    let mut columns = vec!["Stage", "Deals entered", "Deals moved on", "Share moved on"];
    if any_open {
        columns.push("Still open");
    }
    columns.extend(["Deals lost", "Value lost"]);
    let rows = l
        .stages
        .iter()
        .map(|s| {
            let d = &s.data;
            let name = if s.leak {
                format!("{} (biggest leak)", d.name)
            } else {
                d.name.clone()
            };
            let mut row = vec![
                name,
                count(d.entered),
                count(d.advanced),
                percent(d.conversion, 1),
            ];
            if any_open {
                row.push(count(s.open));
            }
            row.push(count(d.lost));
            row.push(money(non_negative(d.lost_value), currency));
            row
        })
        .collect();
    ChartTable {
        caption: "Sales funnel: deals at each stage".to_string(),
        columns: columns.into_iter().map(String::from).collect(),
        rows,
    }
}

/// Funnel chart: a centred bar per stage, advanced/open/lost parts, labels,
/// and the biggest leak highlighted.
#[component]
pub fn FunnelChart(
    #[prop(into)] rows: Vec<FunnelRow>,
    /// Index into `rows` of the biggest leak, if any.
    #[prop(into)]
    leak: Option<usize>,
    /// ISO currency code, e.g. "USD".
    #[prop(into)]
    currency: String,
) -> impl IntoView {
    let l = funnel_layout(&rows, leak, &currency);
    let table = (!l.empty).then(|| funnel_table(&l, &currency));
    let marks = (!l.empty).then_some("stage");
    let ids = ChartIds::new("funnel");
    let (width, height) = (l.width, round2(l.height));
    let lost_fill = format!("url(#{})", ids.sub("lost"));
    let leak_fill = format!("url(#{})", ids.sub("leak"));

    let body = if l.empty {
        draw::empty_message(width, height, "No results yet")
    } else {
        let legend_y = l.legend_y;
        let legend = l
            .legend
            .into_iter()
            .map(|item| {
                let (class, fill) = match item.kind {
                    SegmentKind::Advanced => ("chart-advanced", None),
                    SegmentKind::Open => ("chart-open", None),
                    SegmentKind::Lost => ("chart-lost", Some(lost_fill.clone())),
                };
                view! {
                    <g class="chart-legend-item">
                        <rect class=class fill=fill x=item.x y=legend_y - 13.0 width=20 height=16 />
                        <text class="chart-label" x=item.x + 26.0 y=legend_y>{item.label}</text>
                    </g>
                }
            })
            .collect_view();
        let stages = l
            .stages
            .into_iter()
            .map(|s| {
                let lost_fill = if s.leak { leak_fill.clone() } else { lost_fill.clone() };
                let leak = s.leak;
                let segments = s
                    .segments
                    .into_iter()
                    .map(|g| {
                        let (class, fill) = match (g.kind, leak) {
                            (SegmentKind::Advanced, _) => ("chart-advanced", None),
                            (SegmentKind::Open, _) => ("chart-open", None),
                            (SegmentKind::Lost, false) => ("chart-lost", Some(lost_fill.clone())),
                            (SegmentKind::Lost, true) => {
                                ("chart-lost chart-lost-leak", Some(lost_fill.clone()))
                            }
                        };
                        view! {
                            <rect class=class fill=fill x=g.x y=s.bar_y width=g.width height=BAR_H />
                        }
                    })
                    .collect_view();
                let highlight = leak.then(|| {
                    view! {
                        <rect class="chart-leak-bg" x=2 y=s.y - 2.0 width=width - 4.0 height=ROW_H - 6.0 rx=6 />
                    }
                });
                let leak_tag = leak.then(|| view! { <tspan class="chart-leak-tag">" · biggest leak"</tspan> });
                let class = if leak { "chart-stage chart-stage-leak" } else { "chart-stage" };
                let attrs = mark(s.summary.clone());
                view! {
                    <g {..attrs} class=class>
                        <title>{s.summary}</title>
                        {highlight}
                        <text class="chart-label chart-stage-name" x=SIDE y=s.name_y>{s.name}</text>
                        <text class="chart-label" x=width - SIDE y=s.name_y text-anchor="end">{s.entered}</text>
                        {segments}
                        <text class="chart-label chart-muted" x=SIDE y=s.detail_y>
                            {s.conversion}
                            {leak_tag}
                        </text>
                        <text class="chart-label chart-muted" x=width - SIDE y=s.detail_y text-anchor="end">
                            {s.lost}
                        </text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <g class="chart-legend">{legend}</g>
            <g class="chart-stages">{stages}</g>
        }
        .into_any()
    };

    let (lost_id, leak_id) = (ids.sub("lost"), ids.sub("leak"));
    view! {
        <ChartFrame kind="funnel" ids=ids width=width height=height title=l.title desc=l.desc table=table marks=marks>
            <defs>
                <pattern id=lost_id width=8 height=8 patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect class="chart-hatch-bg" width=8 height=8 />
                    <line class="chart-hatch" x1=0 y1=0 x2=0 y2=8 />
                </pattern>
                <pattern id=leak_id width=8 height=8 patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect class="chart-hatch-bg chart-hatch-bg-leak" width=8 height=8 />
                    <line class="chart-hatch chart-hatch-leak" x1=0 y1=0 x2=0 y2=8 />
                </pattern>
            </defs>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, entered: f64, advanced: f64, lost: f64) -> FunnelRow {
        FunnelRow {
            name: name.to_string(),
            entered,
            advanced,
            lost,
            conversion: if entered > 0.0 {
                advanced / entered
            } else {
                0.0
            },
            lost_value: lost * 10_000.0,
        }
    }

    fn sample() -> Vec<FunnelRow> {
        vec![
            row("Lead", 1000.0, 600.0, 400.0),
            row("Qualified", 600.0, 250.0, 330.0),
            row("Proposal", 250.0, 120.0, 130.0),
            row("Won", 120.0, 120.0, 0.0),
        ]
    }

    fn total_width(s: &StageShape) -> f64 {
        s.segments.iter().map(|g| g.width).sum()
    }

    #[test]
    fn empty_rows() {
        let l = funnel_layout(&[], Some(0), "USD");
        assert!(l.empty && l.stages.is_empty());
        assert_eq!(l.desc, "No funnel stages to show.");
    }

    #[test]
    fn late_stages_keep_a_readable_bar_and_say_it_is_widened() {
        let rows = vec![
            row("Lead", 10_000.0, 120.0, 9_880.0),
            row("Demo", 120.0, 30.0, 90.0),
            row("Won", 30.0, 30.0, 0.0),
        ];
        let l = funnel_layout(&rows, None, "USD");
        let widths: Vec<f64> = l.stages.iter().map(total_width).collect();
        assert!((widths[0] - (WIDTH - 2.0 * SIDE)).abs() < 0.05);
        for ((s, w), r) in l.stages.iter().zip(&widths).zip(&rows).skip(1) {
            assert!((w - MIN_BAR_W).abs() < 0.05, "{w}");
            assert!(s.widened);
            assert!(s.entered.starts_with(&format!("{} ", count(r.entered))));
            assert!(
                s.entered.ends_with("entered (bar not to scale)"),
                "{}",
                s.entered
            );
        }
        assert!(!l.stages[0].widened && l.stages[0].entered == "10,000 entered");
        // A widened bar's split keeps its shares: Demo advances a quarter.
        let demo = &l.stages[1];
        let advanced: f64 = demo
            .segments
            .iter()
            .filter(|g| g.kind == SegmentKind::Advanced)
            .map(|g| g.width)
            .sum();
        assert!((advanced / MIN_BAR_W - 0.25).abs() < 0.01, "{advanced}");
    }

    #[test]
    fn widths_proportional_to_entered() {
        let l = funnel_layout(&sample(), Some(1), "USD");
        let widths: Vec<f64> = l.stages.iter().map(total_width).collect();
        assert!((widths[0] - (WIDTH - 2.0 * SIDE)).abs() < 0.05);
        assert!((widths[1] / widths[0] - 0.6).abs() < 0.001);
        assert!((widths[2] / widths[0] - 0.25).abs() < 0.001);
        for s in &l.stages {
            // Centred.
            if let (Some(first), Some(last)) = (s.segments.first(), s.segments.last()) {
                let mid = (first.x + last.x + last.width) / 2.0;
                assert!((mid - WIDTH / 2.0).abs() < 0.05, "{mid}");
            }
            // Contiguous.
            for w in s.segments.windows(2) {
                assert!((w[0].x + w[0].width - w[1].x).abs() < 0.05);
            }
        }
    }

    #[test]
    fn advanced_lost_and_open_parts() {
        let l = funnel_layout(&sample(), Some(1), "USD");
        let kinds: Vec<SegmentKind> = l.stages[0].segments.iter().map(|g| g.kind).collect();
        assert_eq!(
            kinds,
            vec![SegmentKind::Lost, SegmentKind::Advanced, SegmentKind::Lost]
        );
        // Qualified: 600 entered, 250 advanced, 330 lost → 20 still open.
        let kinds: Vec<SegmentKind> = l.stages[1].segments.iter().map(|g| g.kind).collect();
        assert_eq!(
            kinds,
            vec![
                SegmentKind::Lost,
                SegmentKind::Open,
                SegmentKind::Advanced,
                SegmentKind::Open,
                SegmentKind::Lost
            ]
        );
        assert_eq!(l.stages[3].segments.len(), 1);
        assert_eq!(l.legend.len(), 3);
        assert_eq!(l.legend[1].label, "Still open");
    }

    #[test]
    fn the_table_is_the_stages() {
        let rows = sample();
        let l = funnel_layout(&rows, Some(1), "USD");
        let t = funnel_table(&l, "USD");
        assert!(t.is_rectangular());
        assert_eq!(t.rows.len(), l.stages.len());
        assert_eq!(
            t.columns,
            [
                "Stage",
                "Deals entered",
                "Deals moved on",
                "Share moved on",
                "Still open",
                "Deals lost",
                "Value lost"
            ]
        );
        for ((r, s), input) in t.rows.iter().zip(&l.stages).zip(&rows) {
            // The labels drawn start with the table's numbers.
            assert_eq!(s.entered, format!("{} entered", r[1]));
            assert_eq!(s.conversion, format!("{} advance", r[3]));
            assert!(s.lost.starts_with(&format!("{} lost", r[5])), "{}", s.lost);
            assert_eq!(r[2], count(input.advanced));
            assert_eq!(r[6], money(input.lost_value, "USD"));
            // The open segments are the open column.
            let open_w: f64 = s
                .segments
                .iter()
                .filter(|g| g.kind == SegmentKind::Open)
                .map(|g| g.width)
                .sum();
            let open: f64 = r[4].replace(',', "").parse().unwrap();
            assert_eq!(open_w > 0.0, open > 0.0, "{}", r[0]);
            assert_eq!(open, input.entered - input.advanced - input.lost);
        }
        assert_eq!(t.rows[1][0], "Qualified (biggest leak)");
        assert_eq!(t.rows[0][0], "Lead");
        assert_eq!(t.rows[1][6], "$3,300,000");
        // No deal left open: no column for them.
        let closed: Vec<FunnelRow> = rows
            .iter()
            .filter(|r| r.name != "Qualified")
            .cloned()
            .collect();
        let t = funnel_table(&funnel_layout(&closed, None, "EUR"), "EUR");
        assert!(!t.columns.iter().any(|c| c == "Still open"));
        assert!(t.is_rectangular());
        assert_eq!(t.rows.len(), 3);
    }

    #[test]
    fn labels_and_leak() {
        let l = funnel_layout(&sample(), Some(1), "USD");
        let s = &l.stages[1];
        assert!(s.leak);
        assert!(l.stages.iter().filter(|s| s.leak).count() == 1);
        assert_eq!(s.name, "Qualified");
        assert_eq!(s.entered, "600 entered");
        assert_eq!(s.conversion, "41.7% advance");
        assert_eq!(s.lost, "330 lost · $3.3M");
        assert_eq!(l.stages[3].lost, "0 lost");
        assert!(
            l.desc
                .starts_with("Sales funnel with 4 stages. Lead: 1,000 deals entered")
        );
        assert!(
            l.desc
                .contains("Qualified: 600 deals entered, 41.7% advanced, 330 lost (worth $3.3M)")
        );
        assert!(l.desc.ends_with("The biggest leak is Qualified."));
        assert!(l.height >= LEGEND_H + 4.0 * ROW_H);
        // Rows do not overlap.
        for w in l.stages.windows(2) {
            assert!(w[1].y >= w[0].detail_y);
        }
    }

    #[test]
    fn leak_out_of_range_or_missing() {
        let l = funnel_layout(&sample(), Some(9), "USD");
        assert!(l.stages.iter().all(|s| !s.leak));
        assert!(!l.desc.contains("biggest leak"));
        let l = funnel_layout(&sample(), None, "USD");
        assert!(l.stages.iter().all(|s| !s.leak));
    }

    #[test]
    fn degenerate_rows() {
        let rows = vec![
            row("Zero", 0.0, 0.0, 0.0),
            FunnelRow {
                name: "Bad".into(),
                entered: f64::NAN,
                advanced: -3.0,
                lost: f64::INFINITY,
                conversion: f64::NAN,
                lost_value: f64::NAN,
            },
        ];
        let l = funnel_layout(&rows, Some(0), "USD");
        assert!(!l.empty);
        assert!(l.stages.iter().all(|s| s.segments.is_empty()));
        assert_eq!(l.stages[1].conversion, "no deals left");
        assert_eq!(l.stages[1].lost, "– lost");
        // More advanced + lost than entered: scaled to the larger total.
        let l = funnel_layout(&[row("Odd", 10.0, 8.0, 8.0)], None, "USD");
        assert!((total_width(&l.stages[0]) - (WIDTH - 2.0 * SIDE)).abs() < 0.05);
    }

    #[test]
    fn long_names_are_shortened() {
        let long = "An extraordinarily long stage name that would never fit on a phone";
        let l = funnel_layout(&[row(long, 10.0, 5.0, 5.0)], None, "USD");
        let s = &l.stages[0];
        assert!(s.name.ends_with('…'));
        assert!(text_width(&s.name) + text_width(&s.entered) + 16.0 <= WIDTH - 2.0 * SIDE);
        assert!(s.summary.starts_with(long));
    }
}
