//! Cumulative revenue by month: P10–P90 band, median line and target.

use leptos::prelude::*;

use super::draw;
use super::frame::{ChartFrame, mark};
use super::months::{axis_label, axis_labels, month_words, short_label, widest_label};
use super::table::ChartTable;

use super::common::{
    CHAR_W_WIDE, ChartIds, LINE_H, Tick, WIDTH, fitted_y_ticks, flow_legend, text_width,
};
use super::path::{band_path, line_path};
use super::scale::{LinearScale, nice, round2};
use crate::format::{money, money_compact, percent};

/// Cumulative revenue percentiles at the end of one month.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthBand {
    /// Month number, from 1.
    pub month: usize,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub mean: f64,
}

/// A revenue milestone: cumulative `revenue` by the end of `month`, and the
/// chance (share 0..1) of being on track for it.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneMark {
    /// Month number, from 1.
    pub month: usize,
    pub revenue: f64,
    pub probability: f64,
}

const PLOT_H: f64 = 220.0;
/// Half the width (and height) of a milestone diamond.
const DIAMOND: f64 = 8.0;
const SIDE: f64 = 26.0;
/// Months above which per-month dots are not drawn.
const MAX_DOTS: usize = 24;

/// A legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// "band", "line", "target" or "milestone".
    pub kind: &'static str,
    pub x: f64,
    /// Text baseline (legends wrap on phones).
    pub y: f64,
    pub label: String,
}

/// A drawn milestone: a diamond at (`x`, `y`) and its "62% on track" label.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneShape {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub label_x: f64,
    /// Baseline of the label (centred on `label_x`).
    pub label_y: f64,
    pub tooltip: String,
    /// The milestone drawn.
    pub mark: MilestoneMark,
}

/// A hoverable point on the median line.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub tooltip: String,
}

/// Width of the P10–P90 bar drawn when there is only one month.
const INTERVAL_W: f64 = 64.0;

/// The one month of a one-month horizon: a P10–P90 bar with the median
/// across it (a band over one month has no width; its median, a lone dot).
#[derive(Clone, Debug, PartialEq)]
pub struct Interval {
    pub x: f64,
    pub width: f64,
    /// y of P90.
    pub top: f64,
    /// y of P10.
    pub bottom: f64,
    /// y of the median.
    pub median: f64,
}

/// Everything the pipeline chart draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineLayout {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    pub legend_y: f64,
    pub legend: Vec<LegendItem>,
    pub band: String,
    pub upper: String,
    pub lower: String,
    pub median: String,
    pub dots: Vec<Dot>,
    pub interval: Option<Interval>,
    pub milestones: Vec<MilestoneShape>,
    /// y position and label of the target line.
    pub target: Option<(f64, String)>,
    /// Centre and baseline of the target's label.
    pub target_label: (f64, f64),
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub x_label_y: f64,
    /// The months drawn, in order (months without a median left out).
    pub months: Vec<MonthBand>,
    /// The scenario's start month, naming months by calendar month when set.
    pub start_month: Option<u32>,
    pub title: String,
    pub desc: String,
    pub empty: bool,
}

/// Month-label step: the smallest of 1, 2, 3, 6, 12, 24 whose labels fit
/// `length` units with `char_w` per character.
pub fn month_step(months: usize, length: f64, char_w: f64) -> usize {
    month_step_for(format!("M{months}").len(), months, length, char_w)
}

/// [`month_step`] for labels of at most `chars` characters.
pub fn month_step_for(chars: usize, months: usize, length: f64, char_w: f64) -> usize {
    let label_w = chars as f64 * char_w + 14.0;
    for step in [1, 2, 3, 6, 12, 24] {
        let labels = months / step;
        if labels as f64 * label_w <= length.max(0.0) {
            return step;
        }
    }
    24
}

/// Month ticks: labels every `step` months that fit on phones; ticks that fit
/// only at desktop size are marked minor.
pub fn month_ticks(months: &[usize], x: &LinearScale) -> Vec<Tick> {
    month_ticks_in(months, x, None)
}

/// [`month_ticks`] named by calendar month once the forecast has a start month.
pub fn month_ticks_in(months: &[usize], x: &LinearScale, start: Option<u32>) -> Vec<Tick> {
    let last = months.iter().copied().max().unwrap_or(0);
    let length = (x.range.1 - x.range.0).abs();
    let chars = widest_label(last, start);
    let major = month_step_for(chars, last, length, super::common::CHAR_W_NARROW);
    let minor = month_step_for(chars, last, length, CHAR_W_WIDE).min(major);
    let shown: Vec<usize> = months.iter().copied().filter(|&m| m % minor == 0).collect();
    let majors: Vec<usize> = shown.iter().copied().filter(|&m| m % major == 0).collect();
    // A phone shows only the major labels, so they carry the year marks;
    // the minor ones between (desktop only) name their month alone.
    let mut major_labels = axis_labels(&majors, start).into_iter();
    shown
        .iter()
        .map(|&m| Tick {
            pos: round2(x.apply(m as f64)),
            label: if m % major == 0 {
                major_labels.next().unwrap_or_default()
            } else {
                short_label(m, start)
            },
            minor: m % major != 0,
        })
        .collect()
}

/// A text box for label collision checks: (x0, x1, top, bottom).
type TextBox = (f64, f64, f64, f64);

fn overlaps(a: &TextBox, b: &TextBox) -> bool {
    a.0 < b.1 && b.0 < a.1 && a.2 < b.3 && b.2 < a.3
}

/// Box of a label of `width` centred on `x` with its baseline at `y`
/// (phone font: 18 units above the baseline, 5 below).
fn text_box(x: f64, y: f64, width: f64) -> TextBox {
    (
        x - width / 2.0 - 3.0,
        x + width / 2.0 + 3.0,
        y - 18.0,
        y + 5.0,
    )
}

/// Place milestone labels above their diamonds, else below, else higher up,
/// avoiding each other and `obstacles`; centres are kept inside
/// `[min_x, max_x]` and baselines inside `[min_y, max_y]`. Returns
/// (label_x, baseline) per diamond.
pub fn place_milestone_labels(
    diamonds: &[(f64, f64, f64)],
    obstacles: &[TextBox],
    (min_x, max_x): (f64, f64),
    (min_y, max_y): (f64, f64),
) -> Vec<(f64, f64)> {
    let mut taken: Vec<TextBox> = obstacles.to_vec();
    let mut out = Vec::with_capacity(diamonds.len());
    for &(x, y, width) in diamonds {
        let half = width / 2.0;
        let lx = if min_x + half > max_x - half {
            (min_x + max_x) / 2.0
        } else {
            x.clamp(min_x + half, max_x - half)
        };
        let candidates = [
            y - DIAMOND - 6.0,
            y + DIAMOND + 22.0,
            y - DIAMOND - 6.0 - LINE_H,
            y + DIAMOND + 22.0 + LINE_H,
        ];
        let fits = |ly: f64| {
            let b = text_box(lx, ly, width);
            (min_y..=max_y).contains(&ly) && !taken.iter().any(|t| overlaps(t, &b))
        };
        let ly = candidates
            .iter()
            .copied()
            .find(|&ly| fits(ly))
            .unwrap_or_else(|| candidates[0].clamp(min_y, max_y.max(min_y)));
        taken.push(text_box(lx, ly, width));
        // The diamond itself is an obstacle for later labels.
        taken.push((x - DIAMOND, x + DIAMOND, y - DIAMOND, y + DIAMOND));
        out.push((lx, ly));
    }
    out
}

/// Compute the pipeline chart layout. Months are sorted and rows with a
/// month of 0 or no finite median are dropped; milestones outside the months
/// shown or without a finite revenue are left out.
pub fn pipeline_layout(
    months: &[MonthBand],
    target: Option<f64>,
    milestones: &[MilestoneMark],
    currency: &str,
) -> PipelineLayout {
    pipeline_layout_in(months, target, milestones, currency, None)
}

/// [`pipeline_layout`] with months named from the scenario's `start_month`
/// (calendar months; by number when it is `None`).
pub fn pipeline_layout_in(
    months: &[MonthBand],
    target: Option<f64>,
    milestones: &[MilestoneMark],
    currency: &str,
    start_month: Option<u32>,
) -> PipelineLayout {
    let money = |v: f64| money_compact(v, currency);
    let title = "Cumulative revenue by month".to_string();
    let target = target.filter(|t| t.is_finite());
    let mut rows: Vec<MonthBand> = months
        .iter()
        .filter(|m| m.month > 0 && m.p50.is_finite())
        .cloned()
        .collect();
    rows.sort_by_key(|m| m.month);
    rows.dedup_by_key(|m| m.month);

    let first_month = rows.first().map_or(0, |m| m.month);
    let last_month = rows.last().map_or(0, |m| m.month);
    let mut marks: Vec<MilestoneMark> = milestones
        .iter()
        .filter(|m| m.revenue.is_finite() && (first_month..=last_month).contains(&m.month))
        .cloned()
        .collect();
    marks.sort_by_key(|m| m.month);

    let legend_y = 8.0 + LINE_H - 8.0;
    let (plot_left, plot_right) = (SIDE, WIDTH - SIDE);
    let kinds: Vec<(&'static str, &str)> = [("band", "P10–P90 range"), ("line", "Median")]
        .into_iter()
        .chain(target.map(|_| ("target", "Target")))
        .chain((!marks.is_empty()).then_some(("milestone", "Milestone")))
        .collect();
    let labels: Vec<String> = kinds.iter().map(|(_, l)| l.to_string()).collect();
    let legend: Vec<LegendItem> = kinds
        .iter()
        .zip(flow_legend(&labels, 20.0, plot_left, plot_right))
        .map(|(&(kind, _), slot)| LegendItem {
            kind,
            x: round2(slot.x),
            y: legend_y + slot.row as f64 * LINE_H,
            label: slot.label,
        })
        .collect();
    let legend_rows = legend.iter().map(|i| i.y).fold(legend_y, f64::max) - legend_y;
    // Legend rows, then room for the top y label above the top grid line.
    let plot_top = 8.0 + LINE_H + legend_rows + 10.0 + LINE_H;
    let plot_bottom = plot_top + PLOT_H;
    let height = plot_bottom + LINE_H + 12.0;

    if rows.is_empty() {
        return PipelineLayout {
            width: WIDTH,
            height: 80.0,
            plot_left,
            plot_right,
            plot_top: 0.0,
            plot_bottom: 80.0,
            legend_y,
            legend: Vec::new(),
            band: String::new(),
            upper: String::new(),
            lower: String::new(),
            median: String::new(),
            dots: Vec::new(),
            interval: None,
            milestones: Vec::new(),
            target: None,
            target_label: (0.0, 0.0),
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            x_label_y: 0.0,
            months: Vec::new(),
            start_month,
            title,
            desc: "No monthly revenue data yet.".to_string(),
            empty: true,
        };
    }

    // y domain: zero (or the lowest value) up to the highest value or target.
    let finite = |v: f64| v.is_finite().then_some(v);
    let all = rows
        .iter()
        .flat_map(|m| [finite(m.p10), finite(m.p50), finite(m.p90)])
        .flatten()
        .chain(target)
        .chain(marks.iter().map(|m| m.revenue));
    let (mut lo, mut hi) = all.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    if hi <= lo {
        hi = lo + 1.0;
    }
    (lo, hi) = nice(lo, hi * 1.02, 4);
    let y = LinearScale::new((lo, hi), (plot_bottom, plot_top));
    let first = rows[0].month as f64;
    let last = rows[rows.len() - 1].month as f64;
    let x = LinearScale::new((first, last), (plot_left, plot_right));

    let point = |m: &MonthBand, v: f64| (x.apply(m.month as f64), y.clamped(v));
    let pairs: Vec<_> = rows
        .iter()
        .filter(|m| m.p10.is_finite() && m.p90.is_finite())
        .map(|m| (point(m, m.p90), point(m, m.p10)))
        .collect();
    let upper_pts: Vec<_> = pairs.iter().map(|p| p.0).collect();
    let lower_pts: Vec<_> = pairs.iter().map(|p| p.1).collect();
    let median_pts: Vec<_> = rows.iter().map(|m| point(m, m.p50)).collect();

    let dots = if rows.len() <= MAX_DOTS {
        rows.iter()
            .map(|m| {
                let (px, py) = point(m, m.p50);
                Dot {
                    x: round2(px),
                    y: round2(py),
                    tooltip: format!(
                        "{}: median {} (P10 {}, P90 {}, mean {})",
                        axis_label(m.month, start_month),
                        money(m.p50),
                        money(m.p10),
                        money(m.p90),
                        money(m.mean)
                    ),
                }
            })
            .collect()
    } else {
        Vec::new()
    };

    let mut y_ticks = fitted_y_ticks(&y, money);
    y_ticks.retain(|t| t.pos >= plot_top - 0.5 && t.pos <= plot_bottom + 0.5);
    for t in &mut y_ticks {
        // The zero line is the x axis; its label would sit on the first
        // months' data, so leave it unlabelled.
        if (t.pos - plot_bottom).abs() < 0.5 && lo == 0.0 {
            t.label.clear();
        }
        t.pos = round2(t.pos);
    }
    let interval = match rows.as_slice() {
        [m] if m.p10.is_finite() && m.p90.is_finite() => {
            let ((px, top), (_, bottom)) = (point(m, m.p90), point(m, m.p10));
            Some(Interval {
                x: round2(px - INTERVAL_W / 2.0),
                width: INTERVAL_W,
                top: round2(top),
                // A bar with no spread still shows as a line.
                bottom: round2(bottom.max(top + 2.0)),
                median: round2(point(m, m.p50).1),
            })
        }
        _ => None,
    };
    let months_list: Vec<usize> = rows.iter().map(|m| m.month).collect();
    let x_ticks = month_ticks_in(&months_list, &x, start_month);

    let target_shape = target.map(|t| (round2(y.clamped(t)), format!("Target {}", money(t))));
    let y_label_boxes = y_label_boxes(&y_ticks, plot_left);
    let target_label = target_shape.as_ref().map_or((0.0, 0.0), |(ty, label)| {
        place_target_label(
            *ty,
            text_width(label),
            &median_pts,
            &y_label_boxes,
            (plot_left, plot_right),
        )
    });
    let target_box = target_shape
        .as_ref()
        .map(|(_, label)| text_box(target_label.0, target_label.1, text_width(label)));
    let milestones = milestone_shapes(&marks, &x, &y, &y_label_boxes, target_box, currency);

    PipelineLayout {
        width: WIDTH,
        height,
        plot_left,
        plot_right,
        plot_top,
        plot_bottom,
        legend_y,
        legend,
        band: band_path(&upper_pts, &lower_pts),
        upper: line_path(&upper_pts),
        lower: line_path(&lower_pts),
        median: line_path(&median_pts),
        dots,
        interval,
        milestones,
        target: target_shape,
        target_label: (round2(target_label.0), round2(target_label.1)),
        y_ticks,
        x_ticks,
        x_label_y: plot_bottom + LINE_H,
        title,
        desc: describe(&rows, target, &marks, currency),
        months: rows,
        start_month,
        empty: false,
    }
}

/// The months as a table: the band's edges, the median line and the mean,
/// and the milestones due that month with their chance of being on track.
pub fn pipeline_table(l: &PipelineLayout, currency: &str) -> ChartTable {
    let money = |v: f64| money(v, currency);
    let with_milestones = !l.milestones.is_empty();
    let mut columns = vec![
        "Month",
        "Low (P10)",
        "Median (P50)",
        "High (P90)",
        "Average",
    ];
    if with_milestones {
        columns.push("Milestone");
    }
    let rows = l
        .months
        .iter()
        .map(|m| {
            let mut row = vec![
                month_words(m.month, l.start_month),
                money(m.p10),
                money(m.p50),
                money(m.p90),
                money(m.mean),
            ];
            if with_milestones {
                let due: Vec<String> = l
                    .milestones
                    .iter()
                    .filter(|s| s.mark.month == m.month)
                    .map(|s| {
                        format!(
                            "{}, {} on track",
                            money(s.mark.revenue),
                            percent(s.mark.probability, 0)
                        )
                    })
                    .collect();
                row.push(due.join("; "));
            }
            row
        })
        .collect();
    let mut caption =
        "Cumulative revenue by month: 8 in 10 trials between low and high".to_string();
    if let Some((_, label)) = &l.target {
        caption.push_str(&format!(". {label}"));
    }
    ChartTable {
        caption,
        columns: columns.into_iter().map(String::from).collect(),
        rows,
    }
}

/// Boxes of the y labels, drawn inside the plot at its left edge.
fn y_label_boxes(y_ticks: &[Tick], plot_left: f64) -> Vec<TextBox> {
    y_ticks
        .iter()
        .filter(|t| !t.label.is_empty())
        .map(|t| {
            let w = text_width(&t.label);
            text_box(plot_left + 2.0 + w / 2.0, t.pos - 5.0, w)
        })
        .collect()
}

/// Centre and baseline for the target's label of `width`: above its line at
/// the right end, else below it, else the same at the left end past the y
/// labels; the first clear of the median line and its dots (a median ending
/// at the target used to run through the label), and of the y labels.
fn place_target_label(
    ty: f64,
    width: f64,
    median: &[(f64, f64)],
    y_labels: &[TextBox],
    (left, right): (f64, f64),
) -> (f64, f64) {
    let past_y_labels = y_labels.iter().map(|b| b.1).fold(left, f64::max) + 6.0;
    let candidates = [
        (right - width / 2.0, ty - 7.0),
        (right - width / 2.0, ty + 20.0),
        (past_y_labels + width / 2.0, ty - 7.0),
        (past_y_labels + width / 2.0, ty + 20.0),
    ];
    // The dots' radius, and the line's half-width with some air.
    let r = 5.0;
    let hits_median = |b: &TextBox| {
        let inside = |(x, y): (f64, f64)| x > b.0 - r && x < b.1 + r && y > b.2 - r && y < b.3 + r;
        median.iter().any(|&p| inside(p))
            || median.windows(2).any(|w| {
                (1..16).any(|k| {
                    let t = k as f64 / 16.0;
                    inside((
                        w[0].0 + (w[1].0 - w[0].0) * t,
                        w[0].1 + (w[1].1 - w[0].1) * t,
                    ))
                })
            })
    };
    candidates
        .iter()
        .copied()
        .find(|&(cx, by)| {
            let b = text_box(cx, by, width);
            !hits_median(&b) && !y_labels.iter().any(|o| overlaps(o, &b))
        })
        .unwrap_or(candidates[0])
}

/// Diamonds and labels for the milestones (already filtered and sorted),
/// labels kept clear of the y labels and the target label.
fn milestone_shapes(
    marks: &[MilestoneMark],
    x: &LinearScale,
    y: &LinearScale,
    y_labels: &[TextBox],
    target: Option<TextBox>,
    currency: &str,
) -> Vec<MilestoneShape> {
    let (plot_bottom, plot_top) = y.range;
    let mut obstacles: Vec<TextBox> = y_labels.to_vec();
    obstacles.extend(target);
    let labels: Vec<String> = marks
        .iter()
        .map(|m| format!("{} on track", percent(m.probability, 0)))
        .collect();
    let diamonds: Vec<(f64, f64, f64)> = marks
        .iter()
        .zip(&labels)
        .map(|(m, l)| (x.apply(m.month as f64), y.clamped(m.revenue), text_width(l)))
        .collect();
    let placed = place_milestone_labels(
        &diamonds,
        &obstacles,
        (0.0, WIDTH),
        (plot_top - LINE_H + 14.0, plot_bottom - 4.0),
    );
    marks
        .iter()
        .zip(labels)
        .zip(diamonds.iter().zip(placed))
        .map(|((m, label), (&(dx, dy, _), (lx, ly)))| MilestoneShape {
            x: round2(dx),
            y: round2(dy),
            tooltip: format!(
                "M{} milestone {}: {} chance of being on track",
                m.month,
                money_compact(m.revenue, currency),
                percent(m.probability, 0)
            ),
            label,
            label_x: round2(lx),
            label_y: round2(ly),
            mark: m.clone(),
        })
        .collect()
}

fn describe(
    rows: &[MonthBand],
    target: Option<f64>,
    marks: &[MilestoneMark],
    currency: &str,
) -> String {
    let money = |v: f64| money_compact(v, currency);
    let Some(end) = rows.last() else {
        return "No monthly revenue data yet.".to_string();
    };
    let n = rows.len();
    let mut s = format!(
        "Cumulative revenue over {n} month{}. By M{} the median reaches {}, \
         with an 80% range (P10 to P90) of {} to {}.",
        if n == 1 { "" } else { "s" },
        end.month,
        money(end.p50),
        money(end.p10),
        money(end.p90)
    );
    if let Some(t) = target {
        match rows.iter().find(|m| m.p50 >= t) {
            Some(m) => s.push_str(&format!(
                " Target {}: the median reaches it in M{}.",
                money(t),
                m.month
            )),
            None => s.push_str(&format!(" Target {}: the median stays below it.", money(t))),
        }
    }
    if !marks.is_empty() {
        let list: Vec<String> = marks
            .iter()
            .map(|m| {
                format!(
                    "{} by M{}, {} on track",
                    money(m.revenue),
                    m.month,
                    percent(m.probability, 0)
                )
            })
            .collect();
        s.push_str(&format!(" Milestones: {}.", list.join("; ")));
    }
    s
}

/// SVG path of a milestone diamond centred on (`x`, `y`).
fn diamond(x: f64, y: f64) -> String {
    use super::path::num;
    format!(
        "M{},{} L{},{} L{},{} L{},{} Z",
        num(x),
        num(y - DIAMOND),
        num(x + DIAMOND),
        num(y),
        num(x),
        num(y + DIAMOND),
        num(x - DIAMOND),
        num(y)
    )
}

/// Cumulative revenue by month with a P10–P90 band, median, target line and
/// optional milestone diamonds.
#[component]
pub fn PipelineChart(
    /// One entry per month, cumulative values.
    #[prop(into)]
    months: Vec<MonthBand>,
    /// Revenue target, if any.
    #[prop(into)]
    target: Option<f64>,
    /// ISO currency code, e.g. "USD".
    #[prop(into)]
    currency: String,
    /// Revenue milestones, drawn as diamonds labelled with the chance of
    /// being on track.
    #[prop(optional, into)]
    milestones: Vec<MilestoneMark>,
    /// The scenario's `start_month`: the axis names calendar months once set.
    #[prop(default = None)]
    start_month: Option<u32>,
) -> impl IntoView {
    let l = pipeline_layout_in(&months, target, &milestones, &currency, start_month);
    let table = (!l.empty).then(|| pipeline_table(&l, &currency));
    // Past MAX_DOTS months there are no dots, and maybe no milestone either.
    let marks = (!l.dots.is_empty() || !l.milestones.is_empty()).then_some("point");
    let ids = ChartIds::new("pipeline");
    let (width, height) = (l.width, round2(l.height));

    let body = if l.empty {
        draw::empty_message(width, height, "No results yet")
    } else {
        let (left, right, bottom) = (l.plot_left, l.plot_right, l.plot_bottom);
        let legend = l
            .legend
            .into_iter()
            .map(|item| {
                let legend_y = item.y;
                let swatch = match item.kind {
                    "band" => view! {
                        <rect class="chart-band" x=item.x y=legend_y - 12.0 width=20 height=14 />
                    }
                    .into_any(),
                    "line" => view! {
                        <line class="chart-median" x1=item.x x2=item.x + 20.0 y1=legend_y - 5.0 y2=legend_y - 5.0 />
                    }
                    .into_any(),
                    "milestone" => view! {
                        <path class="chart-milestone" d=diamond(item.x + 10.0, legend_y - 6.0) />
                    }
                    .into_any(),
                    _ => view! {
                        <line class="chart-target" x1=item.x x2=item.x + 20.0 y1=legend_y - 5.0 y2=legend_y - 5.0 />
                    }
                    .into_any(),
                };
                view! {
                    <g class="chart-legend-item">
                        {swatch}
                        <text class="chart-label" x=item.x + 26.0 y=legend_y>{item.label}</text>
                    </g>
                }
            })
            .collect_view();
        let grid = draw::y_grid(l.y_ticks, left, right);
        let x_axis = draw::x_axis(l.x_ticks, left, right, bottom, l.x_label_y);
        let (tx, tby) = l.target_label;
        let target = l.target.map(|(ty, label)| {
            view! {
                <g class="chart-target-group">
                    <line class="chart-target" x1=left x2=right y1=ty y2=ty />
                    <text class="chart-target-label chart-halo" x=tx y=tby text-anchor="middle">{label}</text>
                </g>
            }
        });
        let dots = l
            .dots
            .into_iter()
            .map(|d| {
                let attrs = mark(d.tooltip.clone());
                view! {
                    <circle class="chart-dot" cx=d.x cy=d.y r=4 {..attrs}>
                        <title>{d.tooltip}</title>
                    </circle>
                }
            })
            .collect_view();
        let milestones = l
            .milestones
            .into_iter()
            .map(|m| {
                let attrs = mark(m.tooltip.clone());
                view! {
                    <g class="chart-milestone-group" {..attrs}>
                        <title>{m.tooltip}</title>
                        <path class="chart-milestone" d=diamond(m.x, m.y) />
                        <text class="chart-milestone-label chart-halo" x=m.label_x y=m.label_y text-anchor="middle">
                            {m.label}
                        </text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <g class="chart-legend">{legend}</g>
            {grid}
            <path class="chart-band" d=l.band />
            <path class="chart-band-edge" d=l.upper />
            <path class="chart-band-edge" d=l.lower />
            {x_axis}
            {target}
            <path class="chart-median" d=l.median />
            {l.interval.map(|i| view! {
                <g class="chart-interval">
                    <rect class="chart-band" x=i.x y=i.top width=i.width height=i.bottom - i.top />
                    <line class="chart-median" x1=i.x x2=i.x + i.width y1=i.median y2=i.median />
                </g>
            })}
            <g class="chart-dots">{dots}</g>
            <g class="chart-milestones">{milestones}</g>
        }
        .into_any()
    };

    view! {
        <ChartFrame kind="pipeline" ids=ids width=width height=height title=l.title desc=l.desc table=table marks=marks>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(n: usize) -> Vec<MonthBand> {
        (1..=n)
            .map(|m| {
                let base = m as f64 * 400_000.0;
                MonthBand {
                    month: m,
                    p10: base * 0.7,
                    p50: base,
                    p90: base * 1.3,
                    mean: base * 1.01,
                }
            })
            .collect()
    }

    #[test]
    fn empty_months() {
        let l = pipeline_layout(&[], Some(1e6), &[], "USD");
        assert!(l.empty);
        assert!(l.band.is_empty() && l.median.is_empty());
        let bad = vec![MonthBand {
            month: 0,
            p10: 1.0,
            p50: 1.0,
            p90: 1.0,
            mean: 1.0,
        }];
        assert!(pipeline_layout(&bad, None, &[], "USD").empty);
        let nan = vec![MonthBand {
            month: 1,
            p10: 1.0,
            p50: f64::NAN,
            p90: 1.0,
            mean: 1.0,
        }];
        assert!(pipeline_layout(&nan, None, &[], "USD").empty);
    }

    #[test]
    fn twelve_months() {
        let l = pipeline_layout(&months(12), Some(4e6), &[], "USD");
        assert!(!l.empty);
        assert!(l.band.starts_with('M') && l.band.ends_with('Z'));
        assert_eq!(l.median.matches('L').count(), 11);
        assert_eq!(l.dots.len(), 12);
        assert!(l.dots[0].tooltip.starts_with("M1: median $400K"));
        // Median increases: y decreases.
        assert!(l.dots.windows(2).all(|w| w[1].y < w[0].y));
        assert!(
            l.dots
                .iter()
                .all(|d| d.y >= l.plot_top && d.y <= l.plot_bottom)
        );
        let (ty, label) = l.target.clone().unwrap();
        assert_eq!(label, "Target $4M");
        assert!(ty > l.plot_top && ty < l.plot_bottom);
        // All twelve labels exist, at least every other one shown on phones.
        assert_eq!(l.x_ticks.len(), 12);
        assert_eq!(l.x_ticks[0].label, "M1");
        assert!(l.x_ticks.iter().filter(|t| !t.minor).count() >= 6);
        assert!(l.y_ticks.len() >= 3);
        assert_eq!(l.y_ticks[0].label, "");
        assert_eq!(l.y_ticks[0].pos, l.plot_bottom);
        assert_eq!(l.y_ticks[1].label, "$2M");
        assert!(l.desc.contains("By M12 the median reaches $4.8M"));
        assert!(l.desc.contains("the median reaches it in M10"));
        assert_eq!(l.legend.len(), 3);
    }

    #[test]
    fn sixty_months_thinned() {
        let l = pipeline_layout(&months(60), None, &[], "USD");
        assert!(l.dots.is_empty());
        let major: Vec<&Tick> = l.x_ticks.iter().filter(|t| !t.minor).collect();
        assert!(major.len() <= 12 && major.len() >= 5, "{}", major.len());
        assert!(l.x_ticks.len() <= 30);
        for w in major.windows(2) {
            assert!(w[1].pos - w[0].pos >= text_width(&w[1].label));
        }
        assert!(l.target.is_none());
        assert_eq!(l.legend.len(), 2);
    }

    #[test]
    fn target_above_data_fits_and_is_described() {
        let l = pipeline_layout(&months(6), Some(1e8), &[], "GBP");
        let (ty, _) = l.target.clone().unwrap();
        assert!(ty >= l.plot_top - 0.01);
        assert!(l.desc.contains("stays below it"));
        assert!(l.y_ticks.iter().skip(1).all(|t| t.label.starts_with('£')));
    }

    #[test]
    fn the_target_label_keeps_clear_of_the_median_reaching_it() {
        let rows = months(12);
        let t = rows[11].p50;
        let l = pipeline_layout(&rows, Some(t), &[], "USD");
        let (_, label) = l.target.clone().unwrap();
        let (cx, by) = l.target_label;
        let b = text_box(cx, by, text_width(&label));
        for d in &l.dots {
            let clear =
                d.x + 4.0 <= b.0 || d.x - 4.0 >= b.1 || d.y + 4.0 <= b.2 || d.y - 4.0 >= b.3;
            assert!(clear, "{label} at {b:?} over the dot at ({}, {})", d.x, d.y);
        }
        assert!(b.0 >= 0.0 && b.1 <= l.width);
        // Far from the median the label stays where it was: above the line, at the right end.
        let l = pipeline_layout(&rows, Some(rows[5].p90 * 0.4), &[], "USD");
        let (ty, label) = l.target.clone().unwrap();
        assert_eq!(
            l.target_label,
            (
                round2(l.plot_right - text_width(&label) / 2.0),
                round2(ty - 7.0)
            )
        );
    }

    #[test]
    fn single_month_and_odd_values() {
        let one = vec![MonthBand {
            month: 3,
            p10: 1.0,
            p50: 2.0,
            p90: 3.0,
            mean: 2.0,
        }];
        let l = pipeline_layout(&one, None, &[], "USD");
        assert!(!l.empty);
        assert_eq!(l.x_ticks.len(), 1);
        assert_eq!(l.x_ticks[0].pos, 320.0);
        // One month is a bar from P10 up to P90, the median across it.
        let i = l.interval.clone().expect("a one-month bar");
        assert_eq!(i.x + i.width / 2.0, 320.0);
        assert!(i.width >= 40.0);
        assert!(i.top < i.median && i.median < i.bottom, "{i:?}");
        assert!(i.bottom - i.top > 40.0, "{i:?}");
        assert!(i.top >= l.plot_top && i.bottom <= l.plot_bottom);
        assert!(
            pipeline_layout(&months(2), None, &[], "USD")
                .interval
                .is_none()
        );
        let zeros = vec![
            MonthBand {
                month: 1,
                p10: 0.0,
                p50: 0.0,
                p90: 0.0,
                mean: 0.0,
            },
            MonthBand {
                month: 2,
                p10: f64::NAN,
                p50: 0.0,
                p90: f64::INFINITY,
                mean: 0.0,
            },
        ];
        let l = pipeline_layout(&zeros, Some(f64::NAN), &[], "USD");
        assert!(!l.empty && l.target.is_none());
        assert!(!l.median.contains("NaN") && !l.band.contains("NaN"));
    }

    #[test]
    fn a_start_month_names_calendar_months_on_the_axis_and_in_the_table() {
        let plain = pipeline_layout(&months(12), None, &[], "USD");
        assert_eq!(plain.x_ticks[0].label, "M1");
        let l = pipeline_layout_in(&months(14), None, &[], "USD", Some(11));
        let labels: Vec<&str> = l.x_ticks.iter().map(|t| t.label.as_str()).collect();
        // Every other month on a desktop, every sixth on a phone: the phone's
        // first label of the new year carries its mark, and only it.
        assert_eq!(labels, ["Dec", "Feb", "Apr Y2", "Jun", "Aug", "Oct", "Dec"]);
        let majors: Vec<&str> = l
            .x_ticks
            .iter()
            .filter(|t| !t.minor)
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(majors, ["Apr Y2", "Oct"]);
        assert!(
            l.dots[2].tooltip.starts_with("Jan Y2: median"),
            "{}",
            l.dots[2].tooltip
        );
        let t = pipeline_table(&l, "USD");
        assert_eq!(t.rows[0][0], "Month 1 (November)");
        assert_eq!(t.rows[13][0], "Month 14 (December, year 2)");
        // Wider labels thin out sooner on a phone than "M1".."M14".
        let numbered = pipeline_layout(&months(14), None, &[], "USD");
        let majors = |l: &PipelineLayout| l.x_ticks.iter().filter(|t| !t.minor).count();
        assert!(majors(&l) <= majors(&numbered));
    }

    #[test]
    fn month_steps() {
        assert_eq!(month_step(12, 588.0, CHAR_W_WIDE), 1);
        assert_eq!(month_step(24, 588.0, CHAR_W_WIDE), 2);
        assert_eq!(month_step(60, 588.0, CHAR_W_WIDE), 6);
        assert_eq!(month_step(12, 588.0, 13.2), 2);
        assert_eq!(month_step(60, 588.0, 13.2), 6);
        assert_eq!(month_step(0, 588.0, 13.2), 1);
        assert_eq!(month_step(60, 0.0, 13.2), 24);
    }

    #[test]
    fn the_table_is_the_months_and_milestones() {
        let marks = vec![
            MilestoneMark {
                month: 6,
                revenue: 2_400_000.0,
                probability: 0.62,
            },
            MilestoneMark {
                month: 30,
                revenue: 1e6,
                probability: 0.5,
            },
        ];
        let mut input = months(12);
        input.swap(0, 5);
        let l = pipeline_layout(&input, Some(4e6), &marks, "USD");
        let t = pipeline_table(&l, "USD");
        assert!(t.is_rectangular());
        assert_eq!(t.rows.len(), 12);
        assert_eq!(t.rows.len(), l.dots.len());
        assert_eq!(t.columns[5], "Milestone");
        for (i, (r, d)) in t.rows.iter().zip(&l.dots).enumerate() {
            let m = &months(12)[i];
            assert_eq!(r[0], format!("Month {}", i + 1));
            // The dot drawn for the month is the median listed.
            assert!(d.tooltip.starts_with(&format!(
                "M{}: median {}",
                m.month,
                money_compact(m.p50, "USD")
            )));
            assert_eq!(r[2], money(m.p50, "USD"));
            assert_eq!(
                [&r[1], &r[3], &r[4]],
                [
                    &money(m.p10, "USD"),
                    &money(m.p90, "USD"),
                    &money(m.mean, "USD")
                ]
            );
        }
        // Only the milestone drawn, in its month.
        let due: Vec<&str> = t.column("Milestone").unwrap();
        assert_eq!(
            due.iter().filter(|c| !c.is_empty()).count(),
            l.milestones.len()
        );
        assert_eq!(due[5], "$2,400,000, 62% on track");
        assert!(t.caption.ends_with("Target $4M"), "{}", t.caption);
        // Too many months for dots: still every month in the table.
        let l = pipeline_layout(&months(36), None, &[], "USD");
        let t = pipeline_table(&l, "USD");
        assert!(l.dots.is_empty());
        assert_eq!(t.rows.len(), 36);
        assert_eq!(t.columns.len(), 5);
    }

    #[test]
    fn milestones_are_drawn_labelled_and_described() {
        let marks = vec![
            MilestoneMark {
                month: 6,
                revenue: 2_400_000.0,
                probability: 0.62,
            },
            MilestoneMark {
                month: 3,
                revenue: 1_200_000.0,
                probability: 0.8,
            },
            MilestoneMark {
                month: 12,
                revenue: 9e6,
                probability: 0.15,
            },
            // Outside the months shown, or unusable: left out.
            MilestoneMark {
                month: 30,
                revenue: 1e6,
                probability: 0.5,
            },
            MilestoneMark {
                month: 4,
                revenue: f64::NAN,
                probability: 0.5,
            },
        ];
        let l = pipeline_layout(&months(12), Some(5e6), &marks, "USD");
        assert_eq!(l.milestones.len(), 3);
        let m = &l.milestones;
        // Sorted by month, at the right x.
        let tick = |month: usize| {
            l.x_ticks
                .iter()
                .find(|t| t.label == format!("M{month}"))
                .unwrap()
                .pos
        };
        assert_eq!(m[0].x, tick(3));
        assert_eq!(m[1].x, tick(6));
        assert_eq!(m[0].label, "80% on track");
        assert_eq!(m[1].label, "62% on track");
        assert!(m[1].tooltip.starts_with("M6 milestone $2.4M: 62% chance"));
        // The y domain grows to include the highest milestone.
        assert!(m[2].y >= l.plot_top - 0.01 && m[2].y < l.plot_top + 30.0);
        for s in m {
            assert!(s.y >= l.plot_top - 0.01 && s.y <= l.plot_bottom + 0.01);
            // Labels next to their diamond, inside the chart.
            assert!((s.label_y - s.y).abs() <= DIAMOND + 22.0 + LINE_H + 0.01);
            let w = text_width(&s.label);
            assert!(s.label_x - w / 2.0 >= -0.01 && s.label_x + w / 2.0 <= WIDTH + 0.01);
        }
        // Labels do not overlap each other.
        for (i, a) in m.iter().enumerate() {
            for b in &m[i + 1..] {
                let ba = text_box(a.label_x, a.label_y, text_width(&a.label));
                let bb = text_box(b.label_x, b.label_y, text_width(&b.label));
                assert!(!overlaps(&ba, &bb), "{a:?} {b:?}");
            }
        }
        assert_eq!(l.legend.len(), 4);
        assert_eq!(l.legend[3].kind, "milestone");
        // Four legend entries do not fit one phone-size row.
        assert!(l.legend[3].y > l.legend[0].y);
        assert!(l.plot_top >= l.legend[3].y + 10.0 + LINE_H);
        assert!(l.desc.contains(
            "Milestones: $1.2M by M3, 80% on track; $2.4M by M6, 62% on track; $9M by M12, 15% on track."
        ));
        // Without milestones nothing changes.
        let plain = pipeline_layout(&months(12), Some(5e6), &[], "USD");
        assert!(plain.milestones.is_empty() && !plain.desc.contains("Milestones"));
        assert_eq!(plain.legend.len(), 3);
    }

    #[test]
    fn crowded_milestone_labels_avoid_each_other() {
        let diamonds: Vec<(f64, f64, f64)> = (0..4)
            .map(|i| (300.0 + i as f64 * 20.0, 150.0, 150.0))
            .collect();
        let placed = place_milestone_labels(&diamonds, &[], (0.0, 640.0), (40.0, 300.0));
        let boxes: Vec<TextBox> = placed.iter().map(|&(x, y)| text_box(x, y, 150.0)).collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlaps(a, b));
            }
        }
        // An obstacle pushes the label below the diamond.
        let obstacle = text_box(300.0, 150.0 - DIAMOND - 6.0, 200.0);
        let p = place_milestone_labels(
            &[(300.0, 150.0, 100.0)],
            &[obstacle],
            (0.0, 640.0),
            (40.0, 300.0),
        );
        assert!(p[0].1 > 150.0);
        // Clamped inside.
        let p = place_milestone_labels(&[(5.0, 150.0, 100.0)], &[], (0.0, 640.0), (40.0, 300.0));
        assert_eq!(p[0].0, 50.0);
        assert!(place_milestone_labels(&[], &[], (0.0, 640.0), (40.0, 300.0)).is_empty());
    }
}
