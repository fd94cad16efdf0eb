//! Tornado chart: each lever's effect on mean revenue with its input 10%
//! lower and 10% higher, the lever that reaches furthest first, with ±2
//! standard-error whiskers. Each lever's two moves are two thin bars, one
//! above the other, so that a lever whose two moves push revenue the same
//! way still reads; every bar is a button that selects that move (the app
//! applies it as a what-if).

use leptos::prelude::*;

use super::draw;
use super::frame::ChartFrame;

use super::common::{ChartIds, LINE_H, Tick, WIDTH, fit_text, fitted_ticks, text_width};
use super::scale::{LinearScale, nice, round2};
use super::table::ChartTable;
use crate::format::{money_compact, signed_money_compact, signed_points};

/// One move of a lever, as the app reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoSide {
    /// What selecting this move passes to `on_select` (the app's index of
    /// the effect).
    pub index: usize,
    /// "-10%" or "+10%".
    pub change: String,
    /// The input before and after: "50% → 45%".
    pub values: String,
    /// Change in mean revenue.
    pub delta: f64,
    /// Standard error of `delta`.
    pub se: f64,
    /// Change in the chance of reaching the target (a share, 0.06 = 6 pts).
    pub probability_delta: Option<f64>,
}

/// One lever, both ways (a side is absent when that move cannot change any
/// trial).
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    /// What is changed, e.g. "Proposal conversion".
    pub lever: String,
    /// Its value today, e.g. "now 50%".
    pub now: String,
    pub down: Option<TornadoSide>,
    pub up: Option<TornadoSide>,
}

impl TornadoRow {
    fn sides(&self) -> impl Iterator<Item = &TornadoSide> {
        [&self.down, &self.up].into_iter().flatten()
    }
}

const SIDE: f64 = 8.0;
/// Width of the column that says which way each bar moves its input.
const CHANGE_COL: f64 = 52.0;
const BAR_H: f64 = 24.0;
/// From a row's top: its name line, then its two bars.
const NAME_DY: f64 = 22.0;
const FIRST_BAR_DY: f64 = 32.0;
const BAR_STEP: f64 = BAR_H + 6.0;
const ROW_H: f64 = FIRST_BAR_DY + 2.0 * BAR_STEP + 6.0;
/// Space between a bar (or its whisker) and its value label.
const PAD: f64 = 6.0;
const TOP: f64 = 8.0 + LINE_H + 8.0;

/// One drawn move (a button).
#[derive(Clone, Debug, PartialEq)]
pub struct SideShape {
    /// The side's `index` (what `on_select` receives).
    pub index: usize,
    /// "-10%" or "+10%", written in the column left of the plot.
    pub change: String,
    pub bar_y: f64,
    pub bar_x: f64,
    pub bar_width: f64,
    /// Revenue goes up (bar to the right of zero).
    pub positive: bool,
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

/// One drawn lever: its name line and its moves.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverShape {
    /// Top of the row's band (height `ROW_H - 6`).
    pub y: f64,
    pub name_y: f64,
    /// "Proposal conversion · now 50%", ✓ when a move is selected, shortened to fit.
    pub name: String,
    /// "chance -3.1 pts / +2.9 pts" (right-aligned on the name line), or empty.
    pub chance: String,
    pub sides: Vec<SideShape>,
}

/// Everything the tornado component draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoLayout {
    pub width: f64,
    pub height: f64,
    pub caption_y: f64,
    pub caption: String,
    pub zero_x: f64,
    /// Vertical extents of the zero line: one piece per row (its bars plus a
    /// little), leaving the name lines clear, and one down to the axis.
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
fn interval(side: &TornadoSide) -> Option<(f64, f64)> {
    let (d, se) = (side.delta, side.se);
    let lo = d - 2.0 * se;
    let hi = d + 2.0 * se;
    (d.is_finite() && se.is_finite() && se > 0.0 && lo.is_finite() && hi.is_finite())
        .then_some((lo, hi))
}

fn side_sentence(row: &TornadoRow, side: &TornadoSide, currency: &str) -> String {
    let mut s = format!(
        "{} {} ({}): mean revenue {}",
        row.lever,
        side.change,
        side.values,
        signed_money_compact(side.delta, currency)
    );
    if interval(side).is_some() {
        s.push_str(&format!(
            " (give or take {}, from the simulation)",
            money_compact(2.0 * side.se, currency)
        ));
    }
    if let Some(p) = side.probability_delta.filter(|p| p.is_finite()) {
        s.push_str(&format!(", chance of target {}", signed_points(p)));
    }
    s
}

/// "chance -6 / +6.2 pts": the unit once, after the last figure.
fn chance_text(row: &TornadoRow) -> String {
    let parts: Vec<String> = row
        .sides()
        .filter_map(|s| s.probability_delta.filter(|p| p.is_finite()))
        .map(signed_points)
        .collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(|p| p.trim_end_matches(" pts")).collect();
            let mut s = String::from("chance ");
            for p in rest {
                s.push_str(p);
                s.push_str(" / ");
            }
            s.push_str(last);
            s
        }
    }
}

/// Compute the tornado layout. Rows are drawn in the order given (the app
/// ranks them); the side whose `index` is `selected` is drawn pressed.
pub fn tornado_layout(
    rows: &[TornadoRow],
    selected: Option<usize>,
    currency: &str,
) -> TornadoLayout {
    let title = "Levers ranked by effect on mean revenue".to_string();
    // Short enough for a phone; the text above the chart says the rest.
    let caption = fit_text(
        "Change in average revenue · thin line: give or take",
        WIDTH - 2.0 * SIDE,
    );
    let caption_y = 8.0 + LINE_H - 8.0;
    let sides = || rows.iter().flat_map(TornadoRow::sides);
    if sides().next().is_none() {
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
    let (mut lo, mut hi) = sides()
        .flat_map(|s| {
            let d = finite_or_zero(s.delta);
            let (a, b) = interval(s).unwrap_or((d, d));
            [d, a, b]
        })
        .fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    if hi - lo <= 0.0 || !(hi - lo).is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    (lo, hi) = nice(lo, hi, 4);

    // Room for value labels beside the bars and for the end tick labels.
    let room = |negative: bool| {
        sides()
            .filter(|s| (finite_or_zero(s.delta) < 0.0) == negative)
            .map(|s| text_width(&signed_money_compact(s.delta, currency)) + PAD)
            .fold(0.0, f64::max)
    };
    let mut left = SIDE + CHANGE_COL + room(true).max(text_width(&money(lo)) / 2.0);
    let mut right = WIDTH - SIDE - room(false).max(text_width(&money(hi)) / 2.0);
    // Labels long on both sides (absurd sums) still leave a plot that runs
    // left to right; they may then run past the edge.
    const MIN_PLOT: f64 = 160.0;
    if right - left < MIN_PLOT {
        left = (SIDE + CHANGE_COL).max((left + right - MIN_PLOT) / 2.0);
        right = left + MIN_PLOT;
    }
    let x = LinearScale::new((lo, hi), (left, right));
    let zero_x = x.apply(0.0);

    let shape_side = |row: &TornadoRow, side: &TornadoSide, bar_y: f64| {
        let d = finite_or_zero(side.delta);
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
        let whisker = interval(side)
            .map(|(a, b)| (x.apply(a), x.apply(b)))
            .filter(|(a, b)| a.is_finite() && b.is_finite());
        let value = signed_money_compact(side.delta, currency);
        let (value_x, value_anchor) = if positive {
            let outer = whisker.map_or(end, |w| w.1.max(end));
            (outer + PAD, "start")
        } else {
            let outer = whisker.map_or(end, |w| w.0.min(end));
            (outer - PAD, "end")
        };
        let is_selected = selected == Some(side.index);
        // The accessible name starts with what is drawn, in the order read
        // (lever, move, value), so that what is seen is what a voice user
        // says (WCAG 2.5.3); the full sentence follows.
        let mut label = format!(
            "{}, {}, {}. {}",
            row.lever,
            side.change,
            value,
            side_sentence(row, side, currency)
        );
        label.push_str(if is_selected {
            ". Applied as a what-if."
        } else {
            ". Select to apply as a what-if."
        });
        SideShape {
            index: side.index,
            change: side.change.clone(),
            bar_y,
            bar_x: round2(bar_x),
            bar_width: round2(bar_width),
            positive,
            whisker: whisker.map(|(a, b)| (round2(a), round2(b))),
            value,
            value_x: round2(value_x),
            value_anchor,
            selected: is_selected,
            label,
        }
    };

    let levers: Vec<LeverShape> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = TOP + i as f64 * ROW_H;
            let sides: Vec<SideShape> = [&r.down, &r.up]
                .into_iter()
                .enumerate()
                .filter_map(|(k, s)| s.as_ref().map(|s| (k, s)))
                .map(|(k, s)| shape_side(r, s, y + FIRST_BAR_DY + k as f64 * BAR_STEP))
                .collect();
            let chance = chance_text(r);
            let mut name = String::new();
            if sides.iter().any(|s| s.selected) {
                name.push_str("✓ ");
            }
            name.push_str(&r.lever);
            let chance_w = if chance.is_empty() {
                0.0
            } else {
                text_width(&chance) + 12.0
            };
            let room = WIDTH - 2.0 * SIDE - chance_w;
            // Today's value where it fits; the lever's name comes first (each
            // bar's accessible name says the values too).
            let with_now = format!("{name} · {}", r.now);
            if !r.now.is_empty() && text_width(&with_now) <= room {
                name = with_now;
            }
            LeverShape {
                y,
                name_y: y + NAME_DY,
                name: fit_text(&name, room),
                chance,
                sides,
            }
        })
        .collect();

    let axis_y = TOP + rows.len() as f64 * ROW_H;
    let zero_segments = levers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let top = l.y + FIRST_BAR_DY - 3.0;
            let bottom = if i + 1 == levers.len() {
                axis_y
            } else {
                l.y + FIRST_BAR_DY + BAR_STEP + BAR_H + 3.0
            };
            (top, bottom)
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
    let n = rows.len();
    let mut s = format!(
        "Effect on mean revenue of {n} lever{}, each with its input 10% lower and 10% higher, the furthest-reaching first; the thin lines show give or take twice the standard error, from the simulation itself.",
        if n == 1 { "" } else { "s" }
    );
    if let Some(top) = rows.first() {
        let moves: Vec<String> = top
            .sides()
            .map(|side| {
                let mut m = format!(
                    "{} ({}) changes mean revenue by {}",
                    side.change,
                    side.values,
                    signed_money_compact(side.delta, currency)
                );
                if interval(side).is_some() {
                    m.push_str(&format!(" (±{})", money_compact(2.0 * side.se, currency)));
                }
                m
            })
            .collect();
        s.push_str(&format!(" Top lever: {}: {}.", top.lever, moves.join("; ")));
    }
    let selected = rows
        .iter()
        .flat_map(|r| r.sides().map(move |side| (r, side)))
        .find(|(_, side)| Some(side.index) == selected);
    if let Some((r, side)) = selected {
        s.push_str(&format!(
            " Applied as a what-if: {} {}.",
            r.lever, side.change
        ));
    }
    s.push_str(" Select a bar to apply that change as a what-if.");
    s
}

/// The numbers the tornado draws, one row per lever: the change in mean
/// revenue each way (as written beside its bar, with its give or take) and,
/// with a target, the change in its chance.
pub fn tornado_table(rows: &[TornadoRow], currency: &str) -> ChartTable {
    let with_chance = rows
        .iter()
        .flat_map(TornadoRow::sides)
        .any(|s| s.probability_delta.is_some_and(f64::is_finite));
    let mut columns: Vec<String> = [
        "Lever",
        "Today",
        "10% lower: mean revenue",
        "10% higher: mean revenue",
    ]
    .map(String::from)
    .to_vec();
    if with_chance {
        columns.push("10% lower: chance of target".into());
        columns.push("10% higher: chance of target".into());
    }
    let revenue = |s: &Option<TornadoSide>| match s {
        None => "not shown".to_string(),
        Some(s) => {
            let mut t = format!("{} ({})", signed_money_compact(s.delta, currency), s.values);
            if interval(s).is_some() {
                t.push_str(&format!(
                    ", give or take {}",
                    money_compact(2.0 * s.se, currency)
                ));
            }
            t
        }
    };
    let chance = |s: &Option<TornadoSide>| {
        s.as_ref()
            .and_then(|s| s.probability_delta.filter(|p| p.is_finite()))
            .map_or("–".to_string(), signed_points)
    };
    ChartTable {
        caption: "Levers: the change in mean revenue with each input 10% lower and 10% higher, furthest-reaching first".into(),
        columns,
        rows: rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    r.lever.clone(),
                    r.now.strip_prefix("now ").unwrap_or(&r.now).to_string(),
                    revenue(&r.down),
                    revenue(&r.up),
                ];
                if with_chance {
                    row.push(chance(&r.down));
                    row.push(chance(&r.up));
                }
                row
            })
            .collect(),
    }
}

/// Levers ranked by their reach; each bar is a toggle-like button that calls
/// `on_select` with its side's index.
#[component]
pub fn TornadoChart(
    /// Levers, ranked (furthest reach first).
    #[prop(into)]
    rows: Vec<TornadoRow>,
    /// ISO currency code, e.g. "USD".
    #[prop(into)]
    currency: String,
    /// Index of the move currently applied, if any.
    #[prop(into)]
    selected: Option<usize>,
    /// Called with a side's index on click, Enter or Space.
    #[prop(into)]
    on_select: Callback<usize>,
) -> impl IntoView {
    let l = tornado_layout(&rows, selected, &currency);
    let table = (!l.empty).then(|| tornado_table(&rows, &currency));
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
            .map(|lever| {
                let sides = lever
                    .sides
                    .into_iter()
                    .map(|s| {
                        let i = s.index;
                        let bar_class = if s.positive {
                            "chart-lever-bar chart-gain"
                        } else {
                            "chart-lever-bar chart-loss"
                        };
                        let text_y = s.bar_y + BAR_H / 2.0 + 6.0;
                        let mid = s.bar_y + BAR_H / 2.0;
                        let whisker = s.whisker.map(|(a, b)| {
                            let d = format!(
                                "M{a},{} V{} M{a},{mid} H{b} M{b},{} V{}",
                                mid - 6.0,
                                mid + 6.0,
                                mid - 6.0,
                                mid + 6.0
                            );
                            view! {
                                <path class="chart-whisker-halo" d=d.clone() />
                                <path class="chart-whisker" d=d />
                            }
                        });
                        let pressed = if s.selected { "true" } else { "false" };
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
                                <rect class="chart-row-bg" x=2 y=s.bar_y - 3.0 width=width - 4.0 height=BAR_H + 6.0 rx=5 />
                                <rect class="chart-focus-ring" x=0.5 y=s.bar_y - 4.5 width=width - 1.0 height=BAR_H + 9.0 rx=6 />
                                // The texts in the order the accessible name reads them, with
                                // spaces between (not drawn) so their words stay apart.
                                <text class="chart-label chart-lever-change" x=SIDE y=text_y>{s.change}</text>
                                " "
                                <rect class=bar_class x=s.bar_x y=s.bar_y width=s.bar_width height=BAR_H />
                                {whisker}
                                <text class="chart-label chart-lever-value" x=s.value_x y=text_y text-anchor=s.value_anchor>
                                    {s.value}
                                </text>
                            </g>
                        }
                    })
                    .collect_view();
                view! {
                    <g class="chart-lever-row">
                        <text class="chart-label chart-lever-name" x=SIDE y=lever.name_y>{lever.name}</text>
                        <text class="chart-label chart-muted" x=width - SIDE y=lever.name_y text-anchor="end">{lever.chance}</text>
                        {sides}
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

    // role="group", not "img": the bars are buttons, and an img's children
    // are hidden from assistive technology.
    view! {
        <ChartFrame kind="tornado" role="group" ids=ids width=width height=height title=l.title desc=l.desc table=table>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(index: usize, change: &str, delta: f64, se: f64, p: Option<f64>) -> TornadoSide {
        TornadoSide {
            index,
            change: change.to_string(),
            values: "50% → 55%".to_string(),
            delta,
            se,
            probability_delta: p,
        }
    }

    fn row(lever: &str, down: Option<TornadoSide>, up: Option<TornadoSide>) -> TornadoRow {
        TornadoRow {
            lever: lever.to_string(),
            now: "now 50%".to_string(),
            down,
            up,
        }
    }

    fn sample() -> Vec<TornadoRow> {
        vec![
            row(
                "Proposal conversion",
                Some(side(0, "-10%", -740_000.0, 40_000.0, Some(-0.06))),
                Some(side(1, "+10%", 753_000.0, 40_000.0, Some(0.062))),
            ),
            row(
                "Deal size",
                Some(side(2, "-10%", -480_000.0, 35_000.0, None)),
                Some(side(3, "+10%", 480_000.0, 35_000.0, None)),
            ),
            // Only one way: the other cannot change a trial.
            row(
                "Proposal days",
                None,
                Some(side(4, "+10%", -120_000.0, 50_000.0, None)),
            ),
        ]
    }

    #[test]
    fn empty_rows() {
        let l = tornado_layout(&[], Some(0), "USD");
        assert!(l.empty && l.levers.is_empty() && l.ticks.is_empty());
        assert_eq!(l.desc, "No levers to compare yet.");
        let l = tornado_layout(&[row("A", None, None)], None, "USD");
        assert!(l.empty);
    }

    #[test]
    fn each_lever_is_drawn_both_ways_from_zero() {
        let l = tornado_layout(&sample(), None, "USD");
        assert!(!l.empty);
        assert_eq!(l.levers.len(), 3);
        let z = l.zero_x;
        assert!(z > l.plot_left && z < l.plot_right);
        let top = &l.levers[0];
        assert_eq!(top.sides.len(), 2);
        let (down, up) = (&top.sides[0], &top.sides[1]);
        assert_eq!((down.change.as_str(), up.change.as_str()), ("-10%", "+10%"));
        assert!(!down.positive && up.positive);
        // The down bar ends at zero from the left, the up bar starts there.
        assert!((down.bar_x + down.bar_width - z).abs() < 0.02);
        assert!((up.bar_x - z).abs() < 0.02);
        // Widths are proportional to |delta|, across rows too.
        assert!((down.bar_width / up.bar_width - 740.0 / 753.0).abs() < 0.01);
        let deal = &l.levers[1].sides[1];
        assert!((deal.bar_width / up.bar_width - 480.0 / 753.0).abs() < 0.01);
        // One bar above the other, each row below the one before.
        assert!(up.bar_y >= down.bar_y + BAR_H);
        for w in l.levers.windows(2) {
            let last = w[0].sides.last().unwrap();
            assert!(w[1].y >= last.bar_y + BAR_H);
        }
        assert_eq!(l.levers[2].sides.len(), 1);
        assert!(l.axis_y >= l.levers[2].sides[0].bar_y + BAR_H);
        // The move's column sits left of the plot, clear of every bar and label.
        for s in l.levers.iter().flat_map(|r| &r.sides) {
            assert!(SIDE + text_width(&s.change) <= l.plot_left);
            let label_left = if s.value_anchor == "end" {
                s.value_x - text_width(&s.value)
            } else {
                s.value_x
            };
            assert!(label_left >= SIDE + CHANGE_COL - 0.01, "{s:?}");
        }
        // Value labels sit beyond bar and whisker, inside the chart.
        assert_eq!(up.value, "+$753K");
        assert_eq!(up.value_anchor, "start");
        let (_, w1) = up.whisker.unwrap();
        assert!(up.value_x > w1);
        assert!(up.value_x + text_width(&up.value) <= WIDTH + 0.01);
        assert_eq!(down.value, "-$740K");
        assert_eq!(down.value_anchor, "end");
        assert!(down.value_x < down.whisker.unwrap().0);
        // The zero line spans each row's bars but not its name line.
        assert_eq!(l.zero_segments.len(), 3);
        for (r, &(y1, y2)) in l.levers.iter().zip(&l.zero_segments) {
            assert!(y1 >= r.name_y + 5.0 && y2 >= r.sides.last().unwrap().bar_y + BAR_H);
        }
        assert_eq!(l.zero_segments[2].1, l.axis_y);
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
        let up = &l.levers[0].sides[1];
        let (a, b) = up.whisker.unwrap();
        let end = up.bar_x + up.bar_width;
        let per_dollar = up.bar_width / 753_000.0;
        assert!(((end - a) - 80_000.0 * per_dollar).abs() < 0.05);
        assert!(((b - end) - 80_000.0 * per_dollar).abs() < 0.05);
        let one = |se: f64| vec![row("A", None, Some(side(0, "+10%", 10.0, se, None)))];
        assert!(
            tornado_layout(&one(0.0), None, "USD").levers[0].sides[0]
                .whisker
                .is_none()
        );
        assert!(
            tornado_layout(&one(f64::NAN), None, "USD").levers[0].sides[0]
                .whisker
                .is_none()
        );
    }

    #[test]
    fn names_chance_and_labels() {
        let l = tornado_layout(&sample(), None, "USD");
        let top = &l.levers[0];
        assert_eq!(top.chance, "chance -6 / +6.2 pts");
        // Today's value only where it fits beside the name and the chance.
        assert_eq!(top.name, "Proposal conversion");
        assert_eq!(l.levers[1].name, "Deal size · now 50%");
        assert_eq!(l.levers[1].chance, "");
        assert!(top.sides[1].label.starts_with(
            "Proposal conversion, +10%, +$753K. Proposal conversion +10% (50% → 55%): mean revenue +$753K (give or take $80K, from the simulation), chance of target +6.2 pts"
        ), "{}", top.sides[1].label);
        assert!(
            top.sides[1]
                .label
                .ends_with("Select to apply as a what-if.")
        );
        assert!(l.desc.contains(
            "Top lever: Proposal conversion: -10% (50% → 55%) changes mean revenue by -$740K (±$80K); +10% (50% → 55%) changes mean revenue by +$753K (±$80K)."
        ), "{}", l.desc);
    }

    #[test]
    fn the_table_is_what_the_bars_say() {
        let rows = sample();
        let t = tornado_table(&rows, "USD");
        assert!(t.is_rectangular());
        assert_eq!(t.rows.len(), rows.len());
        let l = tornado_layout(&rows, None, "USD");
        for (row, drawn) in t.rows.iter().zip(&l.levers) {
            assert!(
                drawn.name.starts_with(&row[0]),
                "{} vs {}",
                drawn.name,
                row[0]
            );
            for s in &drawn.sides {
                let col = if s.change == "-10%" { 2 } else { 3 };
                assert!(
                    row[col].starts_with(&format!("{} (", s.value)),
                    "{} vs {}",
                    row[col],
                    s.value
                );
            }
        }
        assert_eq!(t.rows[0][2], "-$740K (50% → 55%), give or take $80K");
        assert_eq!(t.rows[0][4], "-6 pts");
        assert_eq!(t.rows[2][2], "not shown");
        assert_eq!(t.rows[1][4], "–");
        assert_eq!(t.rows[0][1], "50%");
    }

    #[test]
    fn selection_presses_one_move() {
        let l = tornado_layout(&sample(), Some(3), "USD");
        let pressed: Vec<usize> = l
            .levers
            .iter()
            .flat_map(|r| &r.sides)
            .filter(|s| s.selected)
            .map(|s| s.index)
            .collect();
        assert_eq!(pressed, vec![3]);
        assert!(l.levers[1].name.starts_with("✓ Deal size"));
        assert!(!l.levers[0].name.starts_with('✓'));
        assert!(
            l.levers[1].sides[1]
                .label
                .ends_with("Applied as a what-if.")
        );
        assert!(l.desc.contains("Applied as a what-if: Deal size +10%."));
        let l = tornado_layout(&sample(), Some(99), "USD");
        assert!(l.levers.iter().flat_map(|r| &r.sides).all(|s| !s.selected));
        assert!(!l.desc.contains("Applied"));
    }

    #[test]
    fn odd_values_and_long_names() {
        let rows = vec![
            row(
                "A lever with an extremely long name that will not fit on one line at all",
                Some(side(0, "-10%", -5e5, 1e4, Some(0.5))),
                None,
            ),
            row("Zero", Some(side(1, "-10%", 0.0, 0.0, None)), None),
            row(
                "Bad",
                None,
                Some(side(2, "+10%", f64::NAN, f64::INFINITY, Some(f64::NAN))),
            ),
        ];
        let l = tornado_layout(&rows, None, "EUR");
        assert!(l.levers[0].name.ends_with('…'));
        assert!(
            text_width(&l.levers[0].name) + text_width(&l.levers[0].chance) + 12.0
                <= WIDTH - 2.0 * SIDE + 0.01
        );
        assert_eq!(l.levers[1].sides[0].bar_width, 0.0);
        assert_eq!(l.levers[2].sides[0].value, "–");
        assert_eq!(l.levers[2].chance, "");
        assert!(l.zero_x >= l.plot_right - 0.01);
    }
}
