//! Tornado chart: the effect of each lever on mean revenue, largest first,
//! with ±2 standard-error whiskers. Every row is a button that selects the
//! lever (the app applies it as a what-if).

use leptos::prelude::*;

use super::draw;
use super::frame::ChartFrame;

use super::common::{ChartIds, LINE_H, Tick, WIDTH, fit_text, fitted_ticks, text_width};
use super::scale::{LinearScale, nice, round2};
use crate::format::{money_compact, signed_money_compact, signed_points};

/// One lever's effect, as the app reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    /// What is changed, e.g. "Proposal conversion".
    pub lever: String,
    /// By how much, e.g. "+5 pts" or "+10%".
    pub change: String,
    /// Change in mean revenue.
    pub delta: f64,
    /// Standard error of `delta`.
    pub se: f64,
    /// Change in the chance of reaching the target (a share, 0.06 = 6 pts).
    pub probability_delta: Option<f64>,
}

const SIDE: f64 = 8.0;
const ROW_H: f64 = 78.0;
const BAR_H: f64 = 30.0;
/// Space between a bar (or its whisker) and its value label.
const PAD: f64 = 6.0;
/// Inset of the change text from the zero line inside a bar.
const INSET: f64 = 8.0;
const TOP: f64 = 8.0 + LINE_H + 8.0;

/// One drawn lever row (a button).
#[derive(Clone, Debug, PartialEq)]
pub struct LeverShape {
    /// Index into the input rows (what `on_select` receives).
    pub index: usize,
    /// Top of the row's band (height `ROW_H - 6`).
    pub y: f64,
    pub name_y: f64,
    pub bar_y: f64,
    /// Lever name (with the change when it does not fit on the bar), ✓ when
    /// selected, shortened to fit.
    pub name: String,
    /// "chance +6 pts" (right-aligned on the name line), or empty.
    pub chance: String,
    pub bar_x: f64,
    pub bar_width: f64,
    /// Revenue goes up (bar to the right of zero).
    pub positive: bool,
    /// The change text and its x when it is written inside the bar (anchored
    /// at the zero end: start for positive bars, end for negative ones).
    pub change_on_bar: Option<(f64, String)>,
    /// ±2 SE whisker ends, left to right.
    pub whisker: Option<(f64, f64)>,
    /// "+$753K".
    pub value: String,
    pub value_x: f64,
    /// "start" (right of the bar) or "end" (left of it).
    pub value_anchor: &'static str,
    pub selected: bool,
    /// Full sentence for the button's accessible name and hover text.
    pub label: String,
}

/// Everything the tornado component draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoLayout {
    pub width: f64,
    pub height: f64,
    pub caption_y: f64,
    pub caption: String,
    pub zero_x: f64,
    /// Vertical extents of the zero line: one piece per row (bar height
    /// plus a little), leaving the name lines clear, and one down to the axis.
    pub zero_segments: Vec<(f64, f64)>,
    pub plot_left: f64,
    pub plot_right: f64,
    pub axis_y: f64,
    pub tick_label_y: f64,
    pub ticks: Vec<Tick>,
    pub levers: Vec<LeverShape>,
    pub title: String,
    pub desc: String,
    pub empty: bool,
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// The ±2 SE interval, when the standard error is usable.
fn interval(row: &TornadoRow) -> Option<(f64, f64)> {
    let (d, se) = (row.delta, row.se);
    let lo = d - 2.0 * se;
    let hi = d + 2.0 * se;
    (d.is_finite() && se.is_finite() && se > 0.0 && lo.is_finite() && hi.is_finite())
        .then_some((lo, hi))
}

fn row_sentence(row: &TornadoRow, currency: &str) -> String {
    let mut s = format!(
        "{} {}: mean revenue {}",
        row.lever,
        row.change,
        signed_money_compact(row.delta, currency)
    );
    if interval(row).is_some() {
        s.push_str(&format!(
            " (±{} at 2 standard errors)",
            money_compact(2.0 * row.se, currency)
        ));
    }
    if let Some(p) = row.probability_delta.filter(|p| p.is_finite()) {
        s.push_str(&format!(", chance of target {}", signed_points(p)));
    }
    s
}

/// Compute the tornado layout. Rows are drawn in the order given (the app
/// ranks them); `selected` marks one row as pressed.
pub fn tornado_layout(
    rows: &[TornadoRow],
    selected: Option<usize>,
    currency: &str,
) -> TornadoLayout {
    let title = "Levers ranked by effect on mean revenue".to_string();
    let caption =
        "Change in average revenue · thin line: give or take, from the simulation".to_string();
    let caption_y = 8.0 + LINE_H - 8.0;
    let selected = selected.filter(|&i| i < rows.len());
    if rows.is_empty() {
        return TornadoLayout {
            width: WIDTH,
            height: 80.0,
            caption_y,
            caption,
            zero_x: 0.0,
            zero_segments: Vec::new(),
            plot_left: 0.0,
            plot_right: WIDTH,
            axis_y: 0.0,
            tick_label_y: 0.0,
            ticks: Vec::new(),
            levers: Vec::new(),
            title,
            desc: "No levers to compare yet.".to_string(),
            empty: true,
        };
    }
    let money = |v: f64| money_compact(v, currency);

    // Domain: zero, every bar end and every whisker end.
    let (mut lo, mut hi) = rows
        .iter()
        .flat_map(|r| {
            let d = finite_or_zero(r.delta);
            let (a, b) = interval(r).unwrap_or((d, d));
            [d, a, b]
        })
        .fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    if hi - lo <= 0.0 || !(hi - lo).is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    (lo, hi) = nice(lo, hi, 4);

    // Room for value labels beside the bars and for the end tick labels.
    let values: Vec<String> = rows
        .iter()
        .map(|r| signed_money_compact(r.delta, currency))
        .collect();
    let room = |negative: bool| {
        rows.iter()
            .zip(&values)
            .filter(|(r, _)| (finite_or_zero(r.delta) < 0.0) == negative)
            .map(|(_, v)| text_width(v) + PAD)
            .fold(0.0, f64::max)
    };
    let left = SIDE + room(true).max(text_width(&money(lo)) / 2.0);
    let right = WIDTH - SIDE - room(false).max(text_width(&money(hi)) / 2.0);
    let x = LinearScale::new((lo, hi), (left, right));
    let zero_x = x.apply(0.0);

    let levers: Vec<LeverShape> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = TOP + i as f64 * ROW_H;
            let bar_y = y + 32.0;
            let d = finite_or_zero(r.delta);
            let positive = d >= 0.0;
            let end = x.apply(d);
            let mut bar_x = zero_x.min(end);
            let mut bar_width = (end - zero_x).abs();
            if d != 0.0 && bar_width < 1.5 {
                // Keep tiny effects visible.
                bar_width = 1.5;
                if !positive {
                    bar_x = zero_x - 1.5;
                }
            }
            let whisker = interval(r).map(|(a, b)| (x.apply(a), x.apply(b)));
            let value = values[i].clone();
            let (value_x, value_anchor) = if positive {
                let outer = whisker.map_or(end, |w| w.1.max(end));
                (outer + PAD, "start")
            } else {
                let outer = whisker.map_or(end, |w| w.0.min(end));
                (outer - PAD, "end")
            };

            // The change text goes inside the bar when it clears the whisker.
            let tw = text_width(&r.change);
            let change_on_bar = if r.change.is_empty() {
                None
            } else if positive {
                let limit = whisker.map_or(end, |w| w.0.min(end)) - 4.0;
                (zero_x + INSET + tw <= limit).then(|| (zero_x + INSET, r.change.clone()))
            } else {
                let limit = whisker.map_or(end, |w| w.1.max(end)) + 4.0;
                (zero_x - INSET - tw >= limit).then(|| (zero_x - INSET, r.change.clone()))
            };

            let chance = r
                .probability_delta
                .filter(|p| p.is_finite())
                .map(|p| format!("chance {}", signed_points(p)))
                .unwrap_or_default();
            let is_selected = selected == Some(i);
            let mut name = String::new();
            if is_selected {
                name.push_str("✓ ");
            }
            name.push_str(&r.lever);
            if change_on_bar.is_none() && !r.change.is_empty() {
                name.push_str(" · ");
                name.push_str(&r.change);
            }
            let chance_w = if chance.is_empty() {
                0.0
            } else {
                text_width(&chance) + 12.0
            };
            let name = fit_text(&name, WIDTH - 2.0 * SIDE - chance_w);

            // The accessible name starts with the row's visible text, in the
            // order drawn (name, change on the bar, value, chance), so that
            // what is seen is what a voice user says (WCAG 2.5.3); the full
            // sentence follows.
            let mut seen = vec![name.trim_start_matches("✓ ").to_string()];
            if let Some((_, change)) = &change_on_bar {
                seen.push(change.clone());
            }
            seen.push(values[i].clone());
            if !chance.is_empty() {
                seen.push(chance.clone());
            }
            let mut label = format!("{}. {}", seen.join(", "), row_sentence(r, currency));
            label.push_str(if is_selected {
                ". Applied as a what-if."
            } else {
                ". Select to apply as a what-if."
            });

            LeverShape {
                index: i,
                y,
                name_y: y + 24.0,
                bar_y,
                name,
                chance,
                bar_x: round2(bar_x),
                bar_width: round2(bar_width),
                positive,
                change_on_bar: change_on_bar.map(|(cx, t)| (round2(cx), t)),
                whisker: whisker.map(|(a, b)| (round2(a), round2(b))),
                value,
                value_x: round2(value_x),
                value_anchor,
                selected: is_selected,
                label,
            }
        })
        .collect();

    let axis_y = TOP + rows.len() as f64 * ROW_H;
    let zero_segments = levers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let bottom = if i + 1 == levers.len() {
                axis_y
            } else {
                s.bar_y + BAR_H + 6.0
            };
            (s.bar_y - 3.0, bottom)
        })
        .collect();
    let mut ticks = fitted_ticks(&x, |v| signed_money_compact(v, currency));
    for t in &mut ticks {
        t.pos = round2(t.pos);
    }

    TornadoLayout {
        width: WIDTH,
        height: axis_y + LINE_H + 14.0,
        caption_y,
        caption,
        zero_x: round2(zero_x),
        zero_segments,
        plot_left: round2(left),
        plot_right: round2(right),
        axis_y,
        tick_label_y: axis_y + LINE_H,
        ticks,
        levers,
        title,
        desc: describe(rows, selected, currency),
        empty: false,
    }
}

fn describe(rows: &[TornadoRow], selected: Option<usize>, currency: &str) -> String {
    let money = |v: f64| money_compact(v, currency);
    let n = rows.len();
    let mut s = format!(
        "Effect of {n} lever{} on mean revenue, largest first; the thin lines show give or take twice the standard error, from the simulation itself.",
        if n == 1 { "" } else { "s" }
    );
    if let Some(top) = rows.first() {
        let effect = if top.delta > 0.0 {
            format!("adds {} to mean revenue", money(top.delta))
        } else if top.delta < 0.0 {
            format!("lowers mean revenue by {}", money(-top.delta))
        } else {
            format!("changes mean revenue by {}", money(top.delta))
        };
        s.push_str(&format!(
            " Top lever: {} {} {effect}",
            top.lever, top.change
        ));
        if interval(top).is_some() {
            s.push_str(&format!(" (±{})", money(2.0 * top.se)));
        }
        if let Some(p) = top.probability_delta.filter(|p| p.is_finite()) {
            s.push_str(&format!(
                " and changes the chance of reaching the target by {}",
                signed_points(p)
            ));
        }
        s.push('.');
    }
    let lower = rows.iter().filter(|r| r.delta < 0.0).count();
    if lower > 0 {
        s.push_str(&format!(
            " {lower} lever{} lower{} revenue.",
            if lower == 1 { "" } else { "s" },
            if lower == 1 { "s" } else { "" }
        ));
    }
    if let Some(i) = selected {
        s.push_str(&format!(
            " Applied as a what-if: {} {}.",
            rows[i].lever, rows[i].change
        ));
    }
    s.push_str(" Select a lever to apply it as a what-if.");
    s
}

/// Levers ranked by their effect on mean revenue; each row is a toggle-like
/// button that calls `on_select` with its index.
#[component]
pub fn TornadoChart(
    /// Levers, ranked (largest effect first).
    #[prop(into)]
    rows: Vec<TornadoRow>,
    /// ISO currency code, e.g. "USD".
    #[prop(into)]
    currency: String,
    /// Index of the lever currently applied, if any.
    #[prop(into)]
    selected: Option<usize>,
    /// Called with a row's index on click, Enter or Space.
    #[prop(into)]
    on_select: Callback<usize>,
) -> impl IntoView {
    let l = tornado_layout(&rows, selected, &currency);
    let ids = ChartIds::new("tornado");
    let (width, height) = (l.width, round2(l.height));

    let body = if l.empty {
        draw::empty_message(width, height, "No levers yet")
    } else {
        let (zero_x, axis_y, tick_label_y) = (l.zero_x, l.axis_y, l.tick_label_y);
        let zero = l
            .zero_segments
            .into_iter()
            .map(|(y1, y2)| view! { <line class="chart-zero" x1=zero_x x2=zero_x y1=y1 y2=y2 /> })
            .collect_view();
        let levers = l
            .levers
            .into_iter()
            .map(|s| {
                let i = s.index;
                let bar_class = if s.positive {
                    "chart-lever-bar chart-gain"
                } else {
                    "chart-lever-bar chart-loss"
                };
                let text_y = s.bar_y + BAR_H / 2.0 + 7.0;
                let on_bar = s.change_on_bar.map(|(cx, text)| {
                    let anchor = if s.positive { "start" } else { "end" };
                    view! {
                        <text class="chart-label chart-on-bar" x=cx y=text_y text-anchor=anchor>{text}</text>
                    }
                });
                let mid = s.bar_y + BAR_H / 2.0;
                let whisker = s.whisker.map(|(a, b)| {
                    let d = format!(
                        "M{a},{} V{} M{a},{mid} H{b} M{b},{} V{}",
                        mid - 7.0,
                        mid + 7.0,
                        mid - 7.0,
                        mid + 7.0
                    );
                    view! {
                        <path class="chart-whisker-halo" d=d.clone() />
                        <path class="chart-whisker" d=d />
                    }
                });
                let pressed = if s.selected { "true" } else { "false" };
                let band_h = ROW_H - 6.0;
                let aria_label = s.label.clone();
                view! {
                    <g
                        class="chart-lever"
                        tabindex="0"
                        role="button"
                        aria-pressed=pressed
                        aria-label=aria_label
                        on:click=move |_| on_select.run(i)
                        on:keydown=move |ev| {
                            let key = ev.key();
                            if key == "Enter" || key == " " || key == "Spacebar" {
                                ev.prevent_default();
                                on_select.run(i);
                            }
                        }
                    >
                        <title>{s.label}</title>
                        <rect class="chart-row-bg" x=2 y=s.y width=width - 4.0 height=band_h rx=6 />
                        <rect class="chart-focus-ring" x=0.5 y=s.y - 1.5 width=width - 1.0 height=band_h + 3.0 rx=7 />
                        // The texts in the order the accessible name reads them, with
                        // spaces between (not drawn) so their words stay apart.
                        <text class="chart-label chart-lever-name" x=SIDE y=s.name_y>{s.name}</text>
                        " "
                        <rect class=bar_class x=s.bar_x y=s.bar_y width=s.bar_width height=BAR_H />
                        {on_bar}
                        " "
                        {whisker}
                        <text class="chart-label chart-lever-value" x=s.value_x y=text_y text-anchor=s.value_anchor>
                            {s.value}
                        </text>
                        " "
                        <text class="chart-label chart-muted" x=width - SIDE y=s.name_y text-anchor="end">{s.chance}</text>
                    </g>
                }
            })
            .collect_view();
        let x_axis = draw::x_axis(l.ticks, l.plot_left, l.plot_right, axis_y, tick_label_y);
        view! {
            <text class="chart-label chart-muted" x=SIDE y=l.caption_y>{l.caption}</text>
            {x_axis}
            <g class="chart-levers">{levers}</g>
            <g class="chart-zero-line">{zero}</g>
        }
        .into_any()
    };

    // role="group", not "img": the rows are buttons, and an img's children
    // are hidden from assistive technology.
    view! {
        <ChartFrame kind="tornado" role="group" ids=ids width=width height=height title=l.title desc=l.desc>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lever: &str, change: &str, delta: f64, se: f64, p: Option<f64>) -> TornadoRow {
        TornadoRow {
            lever: lever.to_string(),
            change: change.to_string(),
            delta,
            se,
            probability_delta: p,
        }
    }

    fn sample() -> Vec<TornadoRow> {
        vec![
            row(
                "Proposal conversion",
                "+5 pts",
                753_000.0,
                40_000.0,
                Some(0.062),
            ),
            row("Deal size", "+10%", 480_000.0, 35_000.0, Some(0.04)),
            row("Cycle length", "-10%", 120_000.0, 50_000.0, None),
            row("Lead volume", "-10%", -300_000.0, 30_000.0, Some(-0.03)),
        ]
    }

    #[test]
    fn empty_rows() {
        let l = tornado_layout(&[], Some(0), "USD");
        assert!(l.empty && l.levers.is_empty() && l.ticks.is_empty());
        assert_eq!(l.desc, "No levers to compare yet.");
    }

    #[test]
    fn bars_grow_from_zero_in_both_directions() {
        let l = tornado_layout(&sample(), Some(1), "USD");
        assert!(!l.empty);
        assert_eq!(l.levers.len(), 4);
        let z = l.zero_x;
        assert!(z > l.plot_left && z < l.plot_right);
        let top = &l.levers[0];
        assert!(top.positive && (top.bar_x - z).abs() < 0.02);
        // Widths are proportional to |delta|.
        let ratio = l.levers[1].bar_width / top.bar_width;
        assert!((ratio - 480.0 / 753.0).abs() < 0.01, "{ratio}");
        let neg = &l.levers[3];
        assert!(!neg.positive);
        assert!((neg.bar_x + neg.bar_width - z).abs() < 0.02);
        assert!((neg.bar_width / top.bar_width - 300.0 / 753.0).abs() < 0.01);
        // Value labels sit beyond bar and whisker, inside the chart.
        assert_eq!(top.value, "+$753K");
        assert_eq!(top.value_anchor, "start");
        let (_, w1) = top.whisker.unwrap();
        assert!(top.value_x > w1 && top.value_x > top.bar_x + top.bar_width);
        assert!(top.value_x + text_width(&top.value) <= WIDTH + 0.01);
        assert_eq!(neg.value, "-$300K");
        assert_eq!(neg.value_anchor, "end");
        assert!(
            neg.value_x < neg.whisker.unwrap().0 && neg.value_x - text_width(&neg.value) >= -0.01
        );
        // Rows stack without overlapping.
        for w in l.levers.windows(2) {
            assert!(w[1].y >= w[0].bar_y + BAR_H);
            assert_eq!(w[1].index, w[0].index + 1);
        }
        assert!(l.axis_y >= l.levers[3].bar_y + BAR_H);
        // The zero line spans each bar but not the name line above it.
        assert_eq!(l.zero_segments.len(), 4);
        for (s, &(y1, y2)) in l.levers.iter().zip(&l.zero_segments) {
            assert!(y1 >= s.name_y + 5.0 && y1 <= s.bar_y && y2 >= s.bar_y + BAR_H);
        }
        assert_eq!(l.zero_segments[3].1, l.axis_y);
        assert!(l.height > l.tick_label_y);
        assert!(l.ticks.iter().any(|t| t.label == "$0"));
        assert!(
            l.ticks
                .iter()
                .all(|t| t.pos >= l.plot_left - 0.01 && t.pos <= l.plot_right + 0.01)
        );
    }

    #[test]
    fn whiskers_are_two_standard_errors() {
        let l = tornado_layout(&sample(), None, "USD");
        let top = &l.levers[0];
        let (a, b) = top.whisker.unwrap();
        let end = top.bar_x + top.bar_width;
        let per_dollar = top.bar_width / 753_000.0;
        assert!(((end - a) - 80_000.0 * per_dollar).abs() < 0.05);
        assert!(((b - end) - 80_000.0 * per_dollar).abs() < 0.05);
        let l = tornado_layout(&[row("A", "+1", 10.0, 0.0, None)], None, "USD");
        assert!(l.levers[0].whisker.is_none());
        let l = tornado_layout(&[row("A", "+1", 10.0, f64::NAN, None)], None, "USD");
        assert!(l.levers[0].whisker.is_none());
    }

    #[test]
    fn change_text_on_bar_or_beside_the_name() {
        let l = tornado_layout(&sample(), None, "USD");
        let top = &l.levers[0];
        let (cx, text) = top.change_on_bar.clone().unwrap();
        assert_eq!(text, "+5 pts");
        assert!(cx > l.zero_x && cx + text_width(&text) <= top.whisker.unwrap().0);
        assert_eq!(top.name, "Proposal conversion");
        assert_eq!(top.chance, "chance +6.2 pts");
        // A short bar cannot hold its change text: it joins the name.
        let small = &l.levers[2];
        assert!(small.change_on_bar.is_none());
        assert_eq!(small.name, "Cycle length · -10%");
        assert_eq!(small.chance, "");
        let neg = &l.levers[3];
        if let Some((cx, t)) = &neg.change_on_bar {
            assert!(*cx < l.zero_x && cx - text_width(t) >= neg.whisker.unwrap().1);
        }
        assert_eq!(neg.chance, "chance -3 pts");
    }

    #[test]
    fn selection_and_description() {
        let l = tornado_layout(&sample(), Some(1), "USD");
        assert!(l.levers[1].selected && !l.levers[0].selected);
        assert!(l.levers[1].name.starts_with("✓ Deal size"));
        assert!(l.levers[1].label.ends_with("Applied as a what-if."));
        assert!(l.levers[0].label.starts_with(
            "Proposal conversion, +5 pts, +$753K, chance +6.2 pts. Proposal conversion +5 pts: mean revenue +$753K (±$80K at 2 standard errors), chance of target +6.2 pts"
        ), "{}", l.levers[0].label);
        // The selected row's name starts with its visible name, without the tick.
        assert!(
            l.levers[1].label.starts_with("Deal size"),
            "{}",
            l.levers[1].label
        );
        assert!(l.desc.starts_with("Effect of 4 levers on mean revenue"));
        assert!(l.desc.contains(
            "Top lever: Proposal conversion +5 pts adds $753K to mean revenue (±$80K) and changes the chance of reaching the target by +6.2 pts."
        ));
        assert!(l.desc.contains("1 lever lowers revenue."));
        assert!(l.desc.contains("Applied as a what-if: Deal size +10%."));
        let l = tornado_layout(&sample(), Some(99), "USD");
        assert!(l.levers.iter().all(|s| !s.selected));
        assert!(!l.desc.contains("Applied"));
    }

    #[test]
    fn all_negative_or_zero_and_long_names() {
        let rows = vec![
            row(
                "A lever with an extremely long name that will not fit",
                "+1%",
                -5e5,
                1e4,
                Some(0.5),
            ),
            row("Zero", "+0%", 0.0, 0.0, None),
            row("Bad", "?", f64::NAN, f64::INFINITY, Some(f64::NAN)),
        ];
        let l = tornado_layout(&rows, None, "EUR");
        assert!(l.levers[0].name.ends_with('…'));
        assert!(
            text_width(&l.levers[0].name) + text_width(&l.levers[0].chance) + 12.0
                <= WIDTH - 2.0 * SIDE + 0.01
        );
        assert_eq!(l.levers[1].bar_width, 0.0);
        assert_eq!(l.levers[2].value, "–");
        assert_eq!(l.levers[2].chance, "");
        assert!(l.zero_x >= l.plot_right - 0.01);
        let all_zero = tornado_layout(&rows[1..2], None, "USD");
        assert!(!all_zero.empty);
        assert!(all_zero.zero_x.is_finite());
        assert!(all_zero.desc.contains("changes mean revenue by $0"));
    }
}
