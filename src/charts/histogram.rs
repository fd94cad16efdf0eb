//! Revenue distribution histogram: pure layout plus a drawing component.

use leptos::prelude::*;

use super::draw;
use super::frame::{ChartFrame, mark_if};
use super::table::ChartTable;

use super::bins::{Trimmed, histogram_trimmed, max_count};
use super::common::{
    ChartIds, LINE_H, LabelRequest, Tick, WIDTH, fitted_ticks, money_range, place_labels,
    text_width,
};
use super::scale::{LinearScale, round2};
use crate::format::{count, money_compact, percent};

/// Target number of histogram bins.
pub const TARGET_BINS: usize = 36;
/// Share of trials at each end left out of the bars (and counted in the
/// note): the x axis covers P0.5 to P99.5.
pub const TAIL: f64 = 0.005;
const PLOT_H: f64 = 180.0;
const TOP_PAD: f64 = 6.0;

/// One part of a bar (a bar straddling the target is split in two).
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// At or above the target.
    pub above: bool,
}

/// A histogram bar with its hover text and the numbers it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct BarShape {
    pub segments: Vec<Segment>,
    pub tooltip: String,
    /// The revenue the bar covers: "$1.2M to $1.3M", or one outcome.
    pub span: String,
    /// Trials in the bar, scaled to the whole run when the bars are drawn
    /// from its first trials.
    pub trials: f64,
    /// Share 0..1 of the drawn trials in the bar (what its height shows).
    pub share: f64,
}

/// What a vertical marker shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// P10 or P90.
    Percentile,
    /// P50.
    Median,
    Target,
}

/// A vertical marker line with its label.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerShape {
    pub kind: MarkerKind,
    pub x: f64,
    pub line_top: f64,
    pub line_bottom: f64,
    pub label: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// Everything the histogram component draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramLayout {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_bottom: f64,
    pub tick_label_y: f64,
    pub bars: Vec<BarShape>,
    pub ticks: Vec<Tick>,
    pub markers: Vec<MarkerShape>,
    /// The trials past the bars at either end, as a sentence.
    pub tail_note: Option<String>,
    /// The note as drawn: lines that fit the width at phone size, each
    /// with its baseline.
    pub tail_lines: Vec<(String, f64)>,
    pub title: String,
    pub desc: String,
    /// The bars are drawn from the first trials of a larger run, so their
    /// counts are estimates.
    pub sampled: bool,
    /// No finite revenue values: draw only a message.
    pub empty: bool,
}

/// Compute the histogram layout. `percentiles` are P10, P50 and P90.
/// `revenue` may be the first trials of a run of `trials` (a sample that keeps
/// drawing cheap whatever the run's size): the bars then say "about".
pub fn histogram_layout(
    revenue: &[f64],
    trials: u64,
    target: Option<f64>,
    percentiles: [f64; 3],
    currency: &str,
) -> HistogramLayout {
    let title = "Distribution of simulated revenue".to_string();
    let values: Vec<f64> = revenue.iter().copied().filter(|v| v.is_finite()).collect();
    // The trials the bars stand for: a sample's counts are scaled to them.
    let all = usize::try_from(trials)
        .unwrap_or(usize::MAX)
        .max(revenue.len());
    let sampled = revenue.len() < all;
    let all = all - (revenue.len() - values.len());
    let Trimmed {
        bins,
        below,
        above,
        step,
    } = histogram_trimmed(&values, TARGET_BINS, TAIL);
    let target = target.filter(|t| t.is_finite());
    if bins.is_empty() {
        return HistogramLayout {
            width: WIDTH,
            height: 80.0,
            plot_left: 0.0,
            plot_right: WIDTH,
            plot_bottom: 80.0,
            tick_label_y: 0.0,
            bars: Vec::new(),
            ticks: Vec::new(),
            markers: Vec::new(),
            tail_note: None,
            tail_lines: Vec::new(),
            title,
            desc: "No simulation results yet.".to_string(),
            sampled,
            empty: true,
        };
    }
    let money = |v: f64| money_compact(v, currency);

    // Domain: the bins, widened to show every marker.
    let mut lo = bins[0].x0;
    let mut hi = bins[bins.len() - 1].x1;
    let [p10, p50, p90] = percentiles;
    for v in [p10, p50, p90].into_iter().chain(target) {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if hi - lo <= 0.0 || !(hi - lo).is_finite() {
        let pad = (lo.abs() * 0.05).max(1.0);
        lo -= pad;
        hi += pad;
    }

    // Horizontal room for the outermost tick labels.
    let side = (text_width(&money(lo)).max(text_width(&money(hi))) / 2.0 + 4.0).max(16.0);
    let (plot_left, plot_right) = (side, WIDTH - side);
    let x = LinearScale::new((lo, hi), (plot_left, plot_right));

    // Marker labels, most important first.
    let mut wanted: Vec<(MarkerKind, f64, String)> = Vec::new();
    if let Some(t) = target {
        wanted.push((MarkerKind::Target, t, format!("Target {}", money(t))));
    }
    for (kind, v, name) in [
        (MarkerKind::Median, p50, "P50"),
        (MarkerKind::Percentile, p10, "P10"),
        (MarkerKind::Percentile, p90, "P90"),
    ] {
        if v.is_finite() {
            wanted.push((kind, v, format!("{name} {}", money(v))));
        }
    }
    let requests: Vec<LabelRequest> = wanted
        .iter()
        .map(|(_, v, label)| LabelRequest {
            x: x.apply(*v),
            width: text_width(label),
        })
        .collect();
    let placed = place_labels(&requests, 0.0, WIDTH);
    let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(0) as f64;
    let plot_top = TOP_PAD + rows * LINE_H + 4.0;
    let plot_bottom = plot_top + PLOT_H;
    let markers = wanted
        .into_iter()
        .zip(placed)
        .map(|((kind, v, label), p)| {
            let row_bottom = TOP_PAD + (p.row as f64 + 1.0) * LINE_H;
            MarkerShape {
                kind,
                x: round2(x.apply(v)),
                line_top: round2(row_bottom),
                line_bottom: round2(plot_bottom),
                label,
                label_x: round2(p.x),
                label_y: round2(row_bottom - 7.0),
            }
        })
        .collect();

    // Bars. On a lattice the trials reaching the target are the outcomes
    // from the first one at or above it: shading splits between outcomes,
    // never through one.
    let shade_from = target.map(|t| match step {
        Some(g) => ((t / g) - 1e-9).ceil() * g - g / 2.0,
        None => t,
    });
    let tallest = max_count(&bins).max(1) as f64;
    let n = values.len();
    let bars = bins
        .iter()
        .map(|b| {
            let h = if b.count == 0 {
                0.0
            } else {
                (b.count as f64 / tallest * PLOT_H).max(1.0)
            };
            let y = plot_bottom - h;
            let mut parts: Vec<(f64, f64, bool)> = match shade_from {
                Some(t) if t > b.x0 && t < b.x1 => vec![(b.x0, t, false), (t, b.x1, true)],
                Some(t) => vec![(b.x0, b.x1, b.x0 >= t)],
                None => vec![(b.x0, b.x1, false)],
            };
            parts.retain(|&(a, c, _)| c >= a);
            let last = parts.len().saturating_sub(1);
            let segments = if h > 0.0 {
                parts
                    .iter()
                    .enumerate()
                    .map(|(i, &(a, c, above))| {
                        let x0 = x.apply(a);
                        // 1-unit gap after each bar, none inside a split bar.
                        let gap = if i == last { 1.0 } else { 0.0 };
                        let w = (x.apply(c) - x0 - gap).max(0.5);
                        Segment {
                            x: round2(x0),
                            y: round2(y),
                            width: round2(w),
                            height: round2(h),
                            above,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let share = if n > 0 {
                b.count as f64 / n as f64
            } else {
                0.0
            };
            let about = if sampled { "about " } else { "" };
            // On a lattice a bin is the outcomes it holds, not its edges
            // half a step beyond them.
            let span = match step {
                Some(g) if b.x1 - b.x0 <= 1.5 * g => money(b.x0 + g / 2.0),
                Some(g) => money_range(b.x0 + g / 2.0, b.x1 - g / 2.0, currency),
                None => money_range(b.x0, b.x1, currency),
            };
            let trials = (share * all as f64).round();
            BarShape {
                segments,
                tooltip: format!(
                    "{span}: {about}{} trials ({})",
                    count(trials),
                    percent(share, 1)
                ),
                span,
                trials,
                share,
            }
        })
        .collect();

    let mut ticks = fitted_ticks(&x, money);
    for t in &mut ticks {
        t.pos = round2(t.pos);
    }

    let tail_note = tail_note(below, above, n, &bins, step, currency);
    let mut desc = describe(&values, all, target, percentiles, currency);
    if let Some(note) = &tail_note {
        desc.push(' ');
        desc.push_str(note);
    }
    let lines = tail_note
        .as_deref()
        .map_or(Vec::new(), |note| match note.split_once(", ") {
            Some((a, b)) if plot_left + text_width(note) > WIDTH => {
                vec![format!("{a},"), b.to_string()]
            }
            _ => vec![note.to_string()],
        });
    let note_rows = lines.len() as f64;
    let tail_lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| (l, round2(plot_bottom + (2.0 + i as f64) * LINE_H)))
        .collect();
    HistogramLayout {
        width: WIDTH,
        height: plot_bottom + (1.0 + note_rows) * LINE_H + 12.0,
        plot_left,
        plot_right,
        plot_bottom: round2(plot_bottom),
        tick_label_y: round2(plot_bottom + LINE_H),
        bars,
        ticks,
        markers,
        tail_note,
        tail_lines,
        title,
        desc,
        sampled,
        empty: false,
    }
}

/// The bars as a table: the revenue each covers, its trials and their share.
pub fn histogram_table(l: &HistogramLayout) -> ChartTable {
    let about = if l.sampled { "about " } else { "" };
    let mut caption = "Simulated revenue: how many trials fall in each range".to_string();
    if let Some(note) = &l.tail_note {
        caption.push_str(". ");
        caption.push_str(note);
    }
    ChartTable {
        caption,
        columns: vec![
            "Revenue".to_string(),
            "Trials".to_string(),
            "Share of trials".to_string(),
        ],
        rows: l
            .bars
            .iter()
            .map(|b| {
                vec![
                    b.span.clone(),
                    format!("{about}{}", count(b.trials)),
                    percent(b.share, 1),
                ]
            })
            .collect(),
    }
}

/// What the bars leave out at either end: the share of trials below the
/// first bar and above the last, with the outcome each side starts at.
fn tail_note(
    below: usize,
    above: usize,
    n: usize,
    bins: &[super::bins::Bin],
    step: Option<f64>,
    currency: &str,
) -> Option<String> {
    let (first, last) = (bins.first()?, bins.last()?);
    if n == 0 || below + above == 0 {
        return None;
    }
    let money = |v: f64| money_compact(v, currency);
    // On a lattice the outcomes left out start a step past the bars' edge
    // points; otherwise at the edges themselves.
    let half = step.map_or(0.0, |g| g / 2.0);
    let share = |k: usize| percent(k as f64 / n as f64, 1);
    let mut parts = Vec::new();
    if below > 0 {
        parts.push((share(below), format!("below {}", money(first.x0 + half))));
    }
    if above > 0 {
        parts.push((share(above), format!("above {}", money(last.x1 - half))));
    }
    let parts: Vec<String> = parts
        .into_iter()
        .enumerate()
        .map(|(i, (share, rest))| {
            let of = if i == 0 { " of trials" } else { "" };
            format!("{share}{of} {rest}")
        })
        .collect();
    Some(format!("Not drawn: {}.", parts.join(", ")))
}

/// A sentence-level summary of the distribution for screen readers.
fn describe(
    values: &[f64],
    all: usize,
    target: Option<f64>,
    [p10, p50, p90]: [f64; 3],
    currency: &str,
) -> String {
    let money = |v: f64| money_compact(v, currency);
    let n = values.len();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let drawn = if n < all {
        format!(", the bars from the first {}", count(n as f64))
    } else {
        String::new()
    };
    let mut s = format!(
        "Histogram of total revenue over {} simulated trial{}{drawn}, ranging from {} to {}.",
        count(all as f64),
        if all == 1 { "" } else { "s" },
        money(min),
        money(max)
    );
    if p10.is_finite() || p50.is_finite() || p90.is_finite() {
        s.push_str(&format!(
            " P10 {}, median (P50) {}, P90 {}.",
            money(p10),
            money(p50),
            money(p90)
        ));
    }
    if let Some(t) = target {
        let hit = values.iter().filter(|&&v| v >= t).count();
        let share = if n > 0 { hit as f64 / n as f64 } else { 0.0 };
        s.push_str(&format!(
            " Target {}: {}{} of trials reach it.",
            money(t),
            if n < all { "about " } else { "" },
            percent(share, 1)
        ));
    }
    s
}

/// Histogram of total revenue per trial with P10/P50/P90 and target markers.
#[component]
pub fn RevenueHistogram(
    /// Total revenue of each trial, or of the first trials of the run.
    #[prop(into)]
    revenue: Vec<f64>,
    /// How many trials the run had.
    trials: u64,
    /// Revenue target, if any.
    #[prop(into)]
    target: Option<f64>,
    #[prop(into)] p10: f64,
    #[prop(into)] p50: f64,
    #[prop(into)] p90: f64,
    /// ISO currency code, e.g. "USD".
    #[prop(into)]
    currency: String,
) -> impl IntoView {
    let layout = histogram_layout(&revenue, trials, target, [p10, p50, p90], &currency);
    let table = (!layout.empty).then(|| histogram_table(&layout));
    let marks = (!layout.empty).then_some("bar");
    let ids = ChartIds::new("histogram");
    let HistogramLayout {
        width,
        height,
        plot_left,
        plot_right,
        plot_bottom,
        tick_label_y,
        bars,
        ticks,
        markers,
        tail_note: _,
        tail_lines,
        title,
        desc,
        sampled: _,
        empty,
    } = layout;

    let body = if empty {
        draw::empty_message(width, height, "No results yet")
    } else {
        let bars = bars
            .into_iter()
            .map(|bar| {
                let empty_bar = bar.segments.is_empty();
                let segments = bar
                    .segments
                    .into_iter()
                    .map(|s| {
                        let class = if s.above {
                            "chart-bar chart-bar-above"
                        } else {
                            "chart-bar"
                        };
                        view! { <rect class=class x=s.x y=s.y width=s.width height=s.height /> }
                    })
                    .collect_view();
                // An empty bin draws nothing to focus; the table still lists it.
                let attrs = mark_if((!empty_bar).then(|| bar.tooltip.clone()));
                view! {
                    <g {..attrs} class="chart-bin">
                        <title>{bar.tooltip}</title>
                        {segments}
                    </g>
                }
            })
            .collect_view();
        let x_axis = draw::x_axis(ticks, plot_left, plot_right, plot_bottom, tick_label_y);
        let markers = markers
            .into_iter()
            .map(|m| {
                let kind = match m.kind {
                    MarkerKind::Percentile => "chart-marker chart-marker-pct",
                    MarkerKind::Median => "chart-marker chart-marker-median",
                    MarkerKind::Target => "chart-marker chart-marker-target",
                };
                view! {
                    <g class=kind>
                        <line x1=m.x x2=m.x y1=m.line_top y2=m.line_bottom />
                        <text class="chart-marker-label" x=m.label_x y=m.label_y text-anchor="middle">
                            {m.label}
                        </text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <g class="chart-bars">{bars}</g>
            {x_axis}
            <g class="chart-markers">{markers}</g>
            {tail_lines.into_iter().map(|(line, y)| view! {
                <text class="chart-label chart-muted chart-tail-note" x=plot_left y=y>{line}</text>
            }).collect_view()}
        }
        .into_any()
    };

    view! {
        <ChartFrame kind="histogram" ids=ids width=width height=round2(height) title=title desc=desc table=table marks=marks>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::super::bins::histogram_trimmed;
    use super::*;

    fn sample() -> Vec<f64> {
        (0..5_000)
            .map(|i| 3_000_000.0 + ((i * 7919) % 5_000) as f64 * 800.0)
            .collect()
    }

    #[test]
    fn a_sample_of_the_trials_says_so_and_scales_its_counts() {
        let v = sample();
        let whole = histogram_layout(&v, 5_000, Some(5e6), [3.4e6, 5e6, 6.6e6], "USD");
        let part = histogram_layout(&v, 50_000, Some(5e6), [3.4e6, 5e6, 6.6e6], "USD");
        assert!(
            whole
                .desc
                .starts_with("Histogram of total revenue over 5,000 simulated trials, ranging")
        );
        assert!(part.desc.starts_with(
            "Histogram of total revenue over 50,000 simulated trials, the bars from the first 5,000, ranging"
        ));
        assert!(part.desc.contains("about "), "{}", part.desc);
        assert_eq!(whole.bars.len(), part.bars.len());
        for (w, p) in whole.bars.iter().zip(&part.bars) {
            assert!(!w.tooltip.contains("about"));
            // The same bar, ten times the trials, the same share.
            let (head, _) = w.tooltip.split_once(": ").unwrap();
            assert!(
                p.tooltip.starts_with(&format!("{head}: about ")),
                "{}",
                p.tooltip
            );
            assert_eq!(
                w.tooltip.rsplit_once(' ').unwrap().1,
                p.tooltip.rsplit_once(' ').unwrap().1
            );
        }
    }

    /// A scenario's revenue per trial and its summary's P10, P50, P90.
    fn run(json: &str, trials: u64) -> (Vec<f64>, [f64; 3]) {
        use funnel_engine::{Scenario, Simulation, Summary};
        let sim = Simulation::new(&Scenario::from_json(json).unwrap(), trials, 1).unwrap();
        let chunk = sim.run_all();
        let r = Summary::new(&sim, &chunk).revenue;
        (chunk.revenue, [r.p10, r.p50, r.p90])
    }

    /// Trials per bar, read back from the tooltips.
    fn counts(l: &HistogramLayout) -> Vec<f64> {
        l.bars
            .iter()
            .map(|b| {
                let (_, rest) = b.tooltip.split_once(": ").unwrap();
                rest.split(' ')
                    .next()
                    .unwrap()
                    .replace(',', "")
                    .parse()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn fixed_deal_sizes_get_bins_of_whole_deals_and_no_comb() {
        let json = include_str!("../../scenarios/presets/classroom.json");
        let (v, p) = run(json, 4_000);
        let bins = histogram_trimmed(&v, TARGET_BINS, TAIL);
        assert_eq!(bins.step, Some(1000.0));
        let width = bins.bins[0].x1 - bins.bins[0].x0;
        assert_eq!((width / 1000.0).fract(), 0.0, "{width}");
        for b in &bins.bins {
            assert_eq!(b.x1 - b.x0, width, "every bin the same number of deals");
            assert_eq!(
                (b.x0 / 1000.0 + 0.5).fract(),
                0.0,
                "edge {} between deals",
                b.x0
            );
        }
        let l = histogram_layout(&v, 4_000, Some(40_000.0), p, "USD");
        // A binomial is smooth: no bar far off the mean of its neighbours
        // (bins of 1.5 deals made every other bar twice its neighbours).
        let c = counts(&l);
        for w in c.windows(3).filter(|w| w[1] >= 100.0) {
            let between = (w[0] + w[2]) / 2.0;
            assert!((w[1] - between).abs() < 0.25 * w[1], "comb: {c:?}");
        }
        // Each bar one outcome, named as such.
        assert!(
            l.bars.iter().any(|b| b.tooltip.starts_with("$50K: ")),
            "{:?}",
            l.bars[0].tooltip
        );
        let widths: Vec<f64> = l
            .bars
            .iter()
            .filter_map(|b| b.segments.last())
            .map(|s| s.width)
            .collect();
        assert!(
            widths.iter().all(|w| (w - widths[0]).abs() < 0.02),
            "{widths:?}"
        );
    }

    #[test]
    fn a_long_tail_is_summarised_not_drawn() {
        let json = include_str!("../../scenarios/reference.json");
        let (v, p) = run(json, 3_000);
        let l = histogram_layout(&v, 3_000, None, p, "USD");
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len() - 1;
        let (q_lo, q_hi) = (sorted[n / 200], sorted[n - n / 200]);
        let (max, min) = (sorted[n], sorted[0]);
        let t = histogram_trimmed(&v, TARGET_BINS, TAIL);
        let (x0, x1) = (t.bins[0].x0, t.bins.last().unwrap().x1);
        let bin = t.bins[0].x1 - t.bins[0].x0;
        // The bars cover P0.5..P99.5, and little more.
        assert!(x0 <= q_lo && x1 >= q_hi, "{x0}..{x1} vs {q_lo}..{q_hi}");
        assert!(
            x1 - x0 <= q_hi - q_lo + 2.0 * bin,
            "{x0}..{x1} vs {q_lo}..{q_hi}"
        );
        assert!(
            max > x1 && min < x0,
            "the reference run has tails: {min}..{max}"
        );
        assert!((t.above as f64) / (v.len() as f64) <= 0.006, "{}", t.above);
        // The axis ends where the bars do (the markers are inside them).
        let last = l.bars.iter().rev().find_map(|b| b.segments.last()).unwrap();
        assert!(last.x + last.width >= l.plot_right - 1.5, "{last:?}");
        let note = l.tail_note.clone().unwrap();
        // Drawn in lines that fit a phone's width, below the tick labels.
        for (line, y) in &l.tail_lines {
            assert!(l.plot_left + text_width(line) <= l.width, "{line}");
            assert!(*y > l.tick_label_y && *y < l.height, "{y}");
        }
        let drawn: Vec<&str> = l.tail_lines.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(drawn.join(" "), note);
        assert!(note.starts_with("Not drawn: "), "{note}");
        assert!(
            note.contains(" of trials below $") && note.contains(", ") && note.contains(" above $"),
            "{note}"
        );
        assert!(l.desc.ends_with(&note), "{}", l.desc);
        // Every trial is in a bar or in the note.
        assert_eq!(
            counts(&l).iter().sum::<f64>() as usize + t.below + t.above,
            v.len()
        );
    }

    #[test]
    fn the_table_is_the_bars() {
        let v = sample();
        for trials in [v.len() as u64, 10 * v.len() as u64] {
            let l = histogram_layout(&v, trials, Some(5_050_000.0), [3.4e6, 5e6, 6.6e6], "USD");
            let t = histogram_table(&l);
            assert!(t.is_rectangular());
            assert_eq!(t.columns, ["Revenue", "Trials", "Share of trials"]);
            assert_eq!(t.rows.len(), l.bars.len());
            let top = l.bars.iter().map(|b| b.share).fold(0.0, f64::max);
            let mut total = 0.0;
            for (r, b) in t.rows.iter().zip(&l.bars) {
                // What a mouse, a keyboard and the table read are one text.
                assert_eq!(b.tooltip, format!("{}: {} trials ({})", r[0], r[1], r[2]));
                assert_eq!(r[2], percent(b.share, 1));
                // The height drawn is the share listed.
                let h = b.segments.first().map_or(0.0, |g| g.height);
                let want = if b.share > 0.0 {
                    (b.share / top * PLOT_H).max(1.0)
                } else {
                    0.0
                };
                assert!((h - want).abs() < 0.01, "{h} vs {want}");
                let n = r[1].trim_start_matches("about ").replace(',', "");
                total += n.parse::<f64>().unwrap();
            }
            // Every trial drawn is in a row (to rounding of scaled counts).
            assert!(
                (total - trials as f64).abs() <= l.bars.len() as f64,
                "{total}"
            );
            assert_eq!(t.rows[0][1].starts_with("about "), trials > v.len() as u64);
        }
        let t = histogram_table(&histogram_layout(&[], 0, None, [1.0; 3], "USD"));
        assert!(t.rows.is_empty());
    }

    #[test]
    fn empty_input_gives_message() {
        let l = histogram_layout(&[], 0, Some(1.0), [1.0, 2.0, 3.0], "USD");
        assert!(l.empty);
        assert!(l.bars.is_empty() && l.ticks.is_empty() && l.markers.is_empty());
        assert_eq!(l.desc, "No simulation results yet.");
        let l = histogram_layout(&[f64::NAN], 1, None, [f64::NAN; 3], "USD");
        assert!(l.empty);
    }

    #[test]
    fn bars_cover_all_trials_and_fit_plot() {
        let v = sample();
        let l = histogram_layout(&v, v.len() as u64, None, [3.4e6, 5e6, 6.6e6], "USD");
        assert!(!l.empty);
        assert!((25..=45).contains(&l.bars.len()), "{}", l.bars.len());
        let total: usize = l
            .bars
            .iter()
            .map(|b| {
                b.tooltip
                    .split(": ")
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .replace(',', "")
                    .parse::<usize>()
                    .unwrap()
            })
            .sum();
        assert_eq!(total, v.len());
        for b in &l.bars {
            for s in &b.segments {
                assert!(s.x >= l.plot_left - 0.01 && s.x + s.width <= l.plot_right + 0.01);
                assert!(s.y >= 0.0 && (s.y + s.height - l.plot_bottom).abs() < 0.02);
                assert!(!s.above);
            }
        }
        assert!(l.height > l.plot_bottom);
        assert!(l.ticks.len() >= 3);
        assert!(l.ticks.iter().all(|t| t.label.starts_with('$')));
    }

    #[test]
    fn markers_and_target_shading() {
        let v = sample();
        let l = histogram_layout(
            &v,
            v.len() as u64,
            Some(5_050_000.0),
            [3.4e6, 5e6, 6.6e6],
            "USD",
        );
        let kinds: Vec<MarkerKind> = l.markers.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            vec![
                MarkerKind::Target,
                MarkerKind::Median,
                MarkerKind::Percentile,
                MarkerKind::Percentile
            ]
        );
        assert!(l.markers[0].label.starts_with("Target"));
        assert_eq!(l.markers[1].label, "P50 $5M");
        // Target and P50 are close: their labels must not share a row.
        assert_ne!(l.markers[0].label_y, l.markers[1].label_y);
        let target_x = l.markers[0].x;
        let mut split = 0;
        for b in &l.bars {
            if b.segments.len() == 2 {
                split += 1;
                assert!(!b.segments[0].above && b.segments[1].above);
                assert!((b.segments[1].x - target_x).abs() < 0.02);
            }
            for s in &b.segments {
                if s.x >= target_x + 0.01 {
                    assert!(s.above);
                } else if s.x + s.width < target_x - 0.01 {
                    assert!(!s.above);
                }
            }
        }
        assert!(split <= 1);
        assert!(l.desc.contains("Target $5.1M"));
        assert!(l.desc.contains("of trials reach it"));
    }

    #[test]
    fn target_outside_data_widens_domain() {
        let v = sample();
        let l = histogram_layout(&v, v.len() as u64, Some(20e6), [3.4e6, 5e6, 6.6e6], "EUR");
        let t = &l.markers[0];
        assert!((t.x - l.plot_right).abs() < 0.02);
        assert!(l.bars.iter().flat_map(|b| &b.segments).all(|s| !s.above));
        assert!(l.desc.contains("0.0% of trials"));
        assert!(l.ticks.iter().all(|t| t.label.starts_with('€')));
    }

    #[test]
    fn single_and_equal_values() {
        let l = histogram_layout(&[1e6; 50], 50, Some(1e6), [1e6; 3], "USD");
        assert!(!l.empty);
        assert_eq!(l.bars.len(), 1);
        assert!(
            l.bars[0]
                .segments
                .iter()
                .all(|s| s.width > 0.0 && s.height > 0.0)
        );
        assert!(l.desc.contains("100.0% of trials"));
        let l = histogram_layout(&[0.0], 1, None, [f64::NAN; 3], "USD");
        assert_eq!(l.bars.len(), 1);
        assert!(l.markers.is_empty());
        assert!(l.desc.contains("1 simulated trial,"));
    }

    #[test]
    fn geometry_is_finite() {
        let cases: Vec<Vec<f64>> = vec![
            vec![-5.0, 5.0],
            vec![0.0, f64::MAX],
            vec![f64::MIN_POSITIVE, 1.0, f64::NAN],
        ];
        for v in cases {
            let l = histogram_layout(
                &v,
                v.len() as u64,
                Some(f64::INFINITY),
                [f64::NAN, 0.0, 1.0],
                "CHF",
            );
            for s in l.bars.iter().flat_map(|b| &b.segments) {
                assert!(s.x.is_finite() && s.width.is_finite() && s.height.is_finite());
            }
            for m in &l.markers {
                assert!(m.x.is_finite() && m.label_x.is_finite());
            }
            assert!(l.height.is_finite());
        }
    }
}
