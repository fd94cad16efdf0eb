//! The debrief chart: the true answers of the class's variants as a
//! histogram (the luck of the draw: how much the funnel a student got moves
//! the answer), the base case's answer as a line, and each student's answer
//! as a tick below it, up for right and down for wrong (judgement). Pure
//! layout plus a component that only draws it.

use leptos::prelude::*;

use super::bins::{histogram, max_count};
use super::common::{ChartIds, Tick, WIDTH, fitted_ticks};
use super::draw;
use super::frame::{ChartFrame, mark};
use super::scale::{LinearScale, nice, round2};
use super::table::ChartTable;

/// Room for half an axis label at each end.
const LEFT: f64 = 36.0;
const RIGHT: f64 = WIDTH - 36.0;
const TOP: f64 = 24.0;
const PLOT_H: f64 = 140.0;
/// The strip of answer ticks below the axis labels.
const STRIP_GAP: f64 = 68.0;
const TICK_H: f64 = 16.0;
const BOTTOM_PAD: f64 = 30.0;
/// Bins aimed at: a class is tens of students.
const TARGET_BINS: usize = 12;

/// A bar of true answers.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthBar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub count: usize,
    /// The answers it covers, in words.
    pub span: String,
}

/// One student's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerTick {
    pub x: f64,
    /// From `y1` to `y2`: above the strip's middle when right, below when wrong.
    pub y1: f64,
    pub y2: f64,
    pub right: bool,
    /// Beyond the axis: drawn at its edge.
    pub off_scale: bool,
    pub tip: String,
}

/// A student's answer for the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Answered {
    pub student: String,
    pub answer: f64,
    pub truth: f64,
    pub right: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DebriefLayout {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub axis_y: f64,
    pub strip_mid: f64,
    pub bars: Vec<TruthBar>,
    pub ticks: Vec<AnswerTick>,
    pub base_x: Option<f64>,
    pub x_ticks: Vec<Tick>,
}

/// The layout of `truths` (each student's true answer), the class's
/// `answers` and the `base` case's answer, with `label` writing a value;
/// the axis stays within `bounds`, the values the quantity can take (0 to 1
/// for a chance or a rate). `None` without a finite truth.
pub fn debrief_layout(
    truths: &[f64],
    answers: &[Answered],
    base: Option<f64>,
    bounds: (f64, f64),
    label: &dyn Fn(f64) -> String,
) -> Option<DebriefLayout> {
    let finite: Vec<f64> = truths
        .iter()
        .copied()
        .chain(base)
        .filter(|x| x.is_finite())
        .collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    let span = if hi > lo {
        hi - lo
    } else {
        (hi.abs() * 0.05).max(1e-3)
    };
    // Answers near the truths widen the axis; one far off (a typo, an answer
    // in the wrong unit) would squash the class into one bar: it is drawn
    // at the edge instead.
    let (near_lo, near_hi) = (lo - 2.0 * span, hi + 2.0 * span);
    let (mut d0, mut d1) = (lo - span * 0.25, hi + span * 0.25);
    for a in answers.iter().map(|a| a.answer).filter(|x| x.is_finite()) {
        if (near_lo..=near_hi).contains(&a) {
            d0 = d0.min(a);
            d1 = d1.max(a);
        }
    }
    let (d0, d1) = nice(d0, d1, 6);
    let (d0, d1) = (d0.max(bounds.0), d1.min(bounds.1));
    let x = LinearScale::new((d0, d1), (LEFT, RIGHT));
    let axis_y = TOP + PLOT_H;
    let bins = histogram(truths, TARGET_BINS.min(truths.len().max(1)));
    let most = max_count(&bins).max(1) as f64;
    let y = LinearScale::new((0.0, most), (axis_y, TOP));
    let bars = bins
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| {
            let x0 = x.clamped(b.x0);
            let x1 = x.clamped(b.x1);
            let top = y.apply(b.count as f64);
            TruthBar {
                x: round2(x0 + 0.5),
                y: round2(top),
                width: round2((x1 - x0 - 1.0).max(1.0)),
                height: round2(axis_y - top),
                count: b.count,
                span: if b.x0 == b.x1 {
                    label(b.x0)
                } else {
                    format!("{} to {}", label(b.x0), label(b.x1))
                },
            }
        })
        .collect();
    let strip_mid = axis_y + STRIP_GAP;
    let ticks = answers
        .iter()
        .map(|a| {
            let off_scale = !(a.answer.is_finite() && (d0..=d1).contains(&a.answer));
            let (y1, y2) = if a.right {
                (strip_mid - TICK_H, strip_mid)
            } else {
                (strip_mid, strip_mid + TICK_H)
            };
            let verdict = if a.right { "right" } else { "wrong" };
            let off = if off_scale { ", off the scale" } else { "" };
            AnswerTick {
                x: round2(x.clamped(a.answer)),
                y1,
                y2,
                right: a.right,
                off_scale,
                tip: format!(
                    "{}: answered {}, true answer {} ({verdict}{off})",
                    a.student,
                    label(a.answer),
                    label(a.truth)
                ),
            }
        })
        .collect();
    Some(DebriefLayout {
        width: WIDTH,
        height: strip_mid + TICK_H + BOTTOM_PAD,
        left: LEFT,
        right: RIGHT,
        axis_y,
        strip_mid,
        bars,
        ticks,
        base_x: base.filter(|b| b.is_finite()).map(|b| round2(x.apply(b))),
        x_ticks: fitted_ticks(&x, label),
    })
}

/// The chart's numbers: each student's answer against their truth.
pub fn debrief_table(answers: &[Answered], label: &dyn Fn(f64) -> String) -> ChartTable {
    ChartTable {
        caption: "Each student's answer and true answer".into(),
        columns: vec![
            "Student".into(),
            "Answer".into(),
            "True answer".into(),
            "Right".into(),
        ],
        rows: answers
            .iter()
            .map(|a| {
                vec![
                    a.student.clone(),
                    label(a.answer),
                    label(a.truth),
                    if a.right { "yes" } else { "no" }.into(),
                ]
            })
            .collect(),
    }
}

/// Draws the layout.
#[component]
pub fn DebriefChart(
    layout: DebriefLayout,
    table: ChartTable,
    #[prop(into)] title: String,
    #[prop(into)] desc: String,
) -> impl IntoView {
    let ids = ChartIds::new("debrief");
    let DebriefLayout {
        width,
        height,
        left,
        right,
        axis_y,
        strip_mid,
        bars,
        ticks,
        base_x,
        x_ticks,
    } = layout;
    let bars = bars
        .into_iter()
        .map(|b| {
            let tip = format!("{}: {} of the class's variants", b.span, b.count);
            view! {
                <rect class="debrief-bar" x=b.x y=b.y width=b.width height=b.height {..mark(tip)} />
            }
        })
        .collect_view();
    let ticks = ticks
        .into_iter()
        .map(|t| {
            let class = if t.right {
                "debrief-tick debrief-right"
            } else {
                "debrief-tick debrief-wrong"
            };
            view! { <line class=class x1=t.x x2=t.x y1=t.y1 y2=t.y2 {..mark(t.tip)} /> }
        })
        .collect_view();
    let base = base_x.map(|bx| {
        view! {
            <line class="debrief-base" x1=bx x2=bx y1=TOP - 6.0 y2=axis_y />
            <text class="chart-label chart-halo" x=bx + 4.0 y=TOP - 8.0>"base case"</text>
        }
    });
    view! {
        <ChartFrame
            kind="debrief"
            ids=ids
            width=width
            height=height
            title=title
            desc=desc
            table=Some(table)
            marks=Some("mark")
        >
            {bars}
            {base}
            {draw::x_axis(x_ticks, left, right, axis_y, axis_y + 20.0)}
            <line class="chart-axis" x1=left x2=right y1=strip_mid y2=strip_mid />
            <text class="chart-label" x=left y=strip_mid - TICK_H - 4.0>"answers: right ▲"</text>
            <text class="chart-label" x=left y=strip_mid + TICK_H + 14.0>"wrong ▼"</text>
            {ticks}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(x: f64) -> String {
        crate::format::percent(x, 1)
    }

    fn answered(student: &str, answer: f64, truth: f64, right: bool) -> Answered {
        Answered {
            student: student.into(),
            answer,
            truth,
            right,
        }
    }

    #[test]
    fn truths_are_bars_and_answers_are_ticks_on_the_same_axis() {
        let truths = [0.62, 0.64, 0.65, 0.70, 0.71];
        let answers = [
            answered("Ana", 0.63, 0.62, true),
            answered("Ben", 0.50, 0.64, false),
            answered("Zoë", 98.0, 0.70, false),
        ];
        let l = debrief_layout(&truths, &answers, Some(0.66), (0.0, 1.0), &pct).unwrap();
        let total: usize = l.bars.iter().map(|b| b.count).sum();
        assert_eq!(total, truths.len());
        for b in &l.bars {
            assert!(b.x >= l.left && b.x + b.width <= l.right + 1e-9, "{b:?}");
            assert!(b.y >= TOP - 1e-9 && (b.y + b.height - l.axis_y).abs() < 0.01);
        }
        // The tallest bar reaches the top.
        assert!(l.bars.iter().any(|b| (b.y - TOP).abs() < 0.01));
        let [ana, ben, zoe] = &l.ticks[..] else {
            panic!()
        };
        assert!(ana.y2 == l.strip_mid && ana.y1 < ana.y2, "right: up");
        assert!(ben.y1 == l.strip_mid && ben.y2 > ben.y1, "wrong: down");
        assert!(ben.x < ana.x, "0.50 left of 0.63");
        assert!(!ben.off_scale, "an answer near the truths widens the axis");
        assert!(zoe.off_scale && zoe.x == l.right, "98 is drawn at the edge");
        assert!(zoe.tip.contains("off the scale"), "{}", zoe.tip);
        assert_eq!(ana.tip, "Ana: answered 63.0%, true answer 62.0% (right)");
        let bx = l.base_x.unwrap();
        assert!(ana.x < bx && bx < l.right);
        assert!(l.height > l.strip_mid + TICK_H);
        let table = debrief_table(&answers, &pct);
        assert!(table.is_rectangular());
        assert_eq!(table.column("Right").unwrap(), ["yes", "no", "no"]);
    }

    #[test]
    fn a_chance_stays_between_0_and_1() {
        let truths = [0.97, 0.99, 1.0];
        let answers = [answered("Ana", 0.9, 0.97, false)];
        let l = debrief_layout(&truths, &answers, Some(0.98), (0.0, 1.0), &pct).unwrap();
        let last = l.x_ticks.last().unwrap();
        assert_eq!(last.label, "100.0%");
        assert!((last.pos - l.right).abs() < 0.01, "the axis ends at 100%");
        // Money has no upper bound.
        let l = debrief_layout(&[5e5, 6e5], &[], None, (0.0, f64::INFINITY), &pct).unwrap();
        assert!(l.x_ticks.len() >= 2);
    }

    #[test]
    fn one_truth_or_none() {
        // Every student on the base funnel: one bar, still an axis around it.
        let l = debrief_layout(&[0.5, 0.5], &[], Some(0.5), (0.0, 1.0), &pct).unwrap();
        assert_eq!(l.bars.len(), 1);
        assert!(l.bars[0].width >= 1.0);
        assert!(l.x_ticks.len() >= 2);
        assert_eq!(debrief_layout(&[], &[], None, (0.0, 1.0), &pct), None);
        assert_eq!(
            debrief_layout(&[f64::NAN], &[], None, (0.0, 1.0), &pct),
            None
        );
    }
}
