//! Overlaid outline histograms comparing distributions (comp cost per plan,
//! rep attainment, …) on shared bins, with an optional marker line.

use leptos::prelude::*;

use super::draw;
use super::frame::{ChartFrame, mark_if};
use super::table::ChartTable;

use super::bins::histogram_shared;
use super::common::{
    ChartIds, LINE_H, LabelRequest, LegendSlot, TIMES_FROM, Tick, WIDTH, fitted_ticks,
    fitted_y_ticks, flow_legend, money_range, percent_tick, place_labels, series_class, text_width,
    times_tick,
};
use super::path::line_path;
use super::scale::{LinearScale, nice, round2};
use crate::format::{count, money_compact, percent};

/// One named set of values.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    pub name: String,
    pub values: Vec<f64>,
}

/// Target number of shared bins.
pub const TARGET_BINS: usize = 30;
const PLOT_H: f64 = 200.0;
/// Legend swatch length.
pub const SWATCH: f64 = 36.0;

/// A drawn series.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesShape {
    /// `chart-series chart-series-N`: colour and dash pattern.
    pub class: String,
    /// Step outline (empty when the series has no finite values).
    pub outline: String,
    /// The outline closed along the baseline, for a faint fill.
    pub area: String,
    pub legend: LegendSlot,
    /// Baseline of the legend entry's text row.
    pub legend_y: f64,
    /// "Plan A: median $120K, 62% of values at or above Quota".
    pub summary: String,
    /// The series' whole name (the legend's may be shortened).
    pub name: String,
}

/// A transparent column over one bin carrying its hover text.
#[derive(Clone, Debug, PartialEq)]
pub struct BinHover {
    pub x: f64,
    pub width: f64,
    pub tooltip: String,
    /// The bin's values, as the axis reads them: "$10K to $20K".
    pub range: String,
    /// Per series: its share 0..1 of its values in the bin (the height of
    /// its outline there) and their number.
    pub values: Vec<(f64, usize)>,
}

/// The optional vertical marker.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub line_top: f64,
    pub label: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// Everything the distribution chart draws, in viewBox units.
#[derive(Clone, Debug, PartialEq)]
pub struct DistributionLayout {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    pub series: Vec<SeriesShape>,
    pub hovers: Vec<BinHover>,
    pub marker: Option<Marker>,
    /// "Share of each series per bin" (what the height means).
    pub y_caption: String,
    pub y_caption_y: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub x_tick_y: f64,
    pub x_label: String,
    pub x_label_y: f64,
    pub title: String,
    pub desc: String,
    pub empty: bool,
}

/// Median of the finite values (mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        v[n / 2 - 1] / 2.0 + v[n / 2] / 2.0
    })
}

/// Share of the finite values at or above `threshold`.
pub fn share_at_or_above(values: &[f64], threshold: f64) -> Option<f64> {
    let finite = values.iter().filter(|v| v.is_finite());
    let n = finite.clone().count();
    (n > 0).then(|| finite.filter(|&&v| v >= threshold).count() as f64 / n as f64)
}

/// "Comp cost per rep" → "comp cost per rep"; "ARR" stays.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_string(),
    }
}

/// "12.5% (40)": a series' share of its values in a bin, and their number.
fn share_and_count((share, n): (f64, usize)) -> String {
    format!("{} ({})", percent(share, 1), count(n as f64))
}

/// The bins as a table: one row per bin, one column per series, each cell
/// the series' share of its values in the bin and their number.
pub fn distribution_table(l: &DistributionLayout) -> ChartTable {
    let first = if l.x_label.trim().is_empty() {
        "Range".to_string()
    } else {
        l.x_label.trim().to_string()
    };
    let columns = std::iter::once(first)
        .chain(l.series.iter().map(|s| s.name.clone()))
        .collect();
    let rows = l
        .hovers
        .iter()
        .map(|h| {
            std::iter::once(h.range.clone())
                .chain(h.values.iter().map(|&v| share_and_count(v)))
                .collect()
        })
        .collect();
    ChartTable {
        caption: format!(
            "{}: the share of each one's values in each range, how many in brackets",
            l.title
        ),
        columns,
        rows,
    }
}

/// Compute the layout. `currency` `None` means values are shares shown as
/// percentages (1.0 = 100%).
pub fn distribution_layout(
    series: &[Distribution],
    currency: Option<&str>,
    marker: Option<(f64, &str)>,
    x_label: &str,
) -> DistributionLayout {
    let fmt = |v: f64| match currency {
        Some(c) => money_compact(v, c),
        None => percent_tick(v),
    };
    let fmt_value = |v: f64| match currency {
        Some(c) => money_compact(v, c),
        None => percent(v, 0),
    };
    let title = if x_label.trim().is_empty() {
        "Distributions compared".to_string()
    } else {
        format!("Distribution of {}", lower_first(x_label.trim()))
    };
    let y_caption = "Share of each series per bin".to_string();
    let marker = marker.filter(|(v, _)| v.is_finite());
    let slices: Vec<&[f64]> = series.iter().map(|s| s.values.as_slice()).collect();
    let binned = histogram_shared(&slices, TARGET_BINS);
    let edges = binned.first().cloned().unwrap_or_default();
    if edges.is_empty() {
        return DistributionLayout {
            width: WIDTH,
            height: 80.0,
            plot_left: 0.0,
            plot_right: WIDTH,
            plot_top: 0.0,
            plot_bottom: 80.0,
            series: Vec::new(),
            hovers: Vec::new(),
            marker: None,
            y_caption,
            y_caption_y: 0.0,
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            x_tick_y: 0.0,
            x_label: x_label.to_string(),
            x_label_y: 0.0,
            title,
            desc: "No values to show yet.".to_string(),
            empty: true,
        };
    }

    // Shares per bin, per series.
    let shares: Vec<Vec<f64>> = binned
        .iter()
        .map(|bins| {
            let n: usize = bins.iter().map(|b| b.count).sum();
            bins.iter()
                .map(|b| {
                    if n > 0 {
                        b.count as f64 / n as f64
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();

    // Rows from the top: legend, y caption, marker label / top y label.
    let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    let legend = flow_legend(&names, SWATCH, 8.0, WIDTH - 8.0);
    let legend_rows = legend.iter().map(|s| s.row + 1).max().unwrap_or(0) as f64;
    let y_caption_y = 8.0 + (legend_rows + 1.0) * LINE_H - 8.0;
    let label_row_bottom = 8.0 + (legend_rows + 2.0) * LINE_H + 4.0;
    let plot_top = label_row_bottom + 6.0;
    let plot_bottom = plot_top + PLOT_H;

    // x domain: the bins, widened to show the marker.
    let mut lo = edges[0].x0;
    let mut hi = edges[edges.len() - 1].x1;
    if let Some((m, _)) = marker {
        lo = lo.min(m);
        hi = hi.max(m);
    }
    if hi - lo <= 0.0 || !(hi - lo).is_finite() {
        let pad = (lo.abs() * 0.05).max(if currency.is_some() { 1.0 } else { 0.01 });
        lo -= pad;
        hi += pad;
    }
    let times = currency.is_none() && lo.abs().max(hi.abs()) >= TIMES_FROM;
    let fmt = |v: f64| if times { times_tick(v) } else { fmt(v) };
    let side = (text_width(&fmt(lo)).max(text_width(&fmt(hi))) / 2.0 + 4.0).max(16.0);
    let (plot_left, plot_right) = (side, WIDTH - side);
    let x = LinearScale::new((lo, hi), (plot_left, plot_right));

    let top_share = shares.iter().flatten().copied().fold(0.0, f64::max);
    let (y_lo, y_hi) = nice(0.0, if top_share > 0.0 { top_share } else { 1.0 }, 4);
    let y = LinearScale::new((y_lo, y_hi), (plot_bottom, plot_top));

    let shapes: Vec<SeriesShape> = series
        .iter()
        .zip(&shares)
        .zip(legend)
        .enumerate()
        .map(|(i, ((s, sh), slot))| {
            let first = sh.iter().position(|&v| v > 0.0);
            let last = sh.iter().rposition(|&v| v > 0.0);
            let (outline, area) = match (first, last) {
                (Some(f), Some(l)) => {
                    let mut pts = vec![(x.apply(edges[f].x0), plot_bottom)];
                    for (b, &v) in edges.iter().zip(sh).take(l + 1).skip(f) {
                        let py = y.apply(v);
                        pts.push((x.apply(b.x0), py));
                        pts.push((x.apply(b.x1), py));
                    }
                    pts.push((x.apply(edges[l].x1), plot_bottom));
                    let outline = line_path(&pts);
                    let area = format!("{outline} Z");
                    (outline, area)
                }
                _ => (String::new(), String::new()),
            };
            let mut summary = match median(&s.values) {
                Some(m) => format!("{}: median {}", s.name, fmt_value(m)),
                None => format!("{}: no values", s.name),
            };
            let above =
                marker.and_then(|(m, label)| Some((share_at_or_above(&s.values, m)?, label)));
            if let Some((share, label)) = above {
                summary.push_str(&format!(
                    ", {} of values at or above {label}",
                    percent(share, 0)
                ));
            }
            SeriesShape {
                class: series_class(i),
                outline,
                area,
                legend_y: 8.0 + (slot.row as f64 + 1.0) * LINE_H - 8.0,
                legend: slot,
                summary,
                name: s.name.clone(),
            }
        })
        .collect();

    let hovers = edges
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x0 = x.apply(b.x0);
            let values: Vec<(f64, usize)> = shares
                .iter()
                .zip(&binned)
                .map(|(sh, bins)| (sh[i], bins[i].count))
                .collect();
            let parts: Vec<String> = series
                .iter()
                .zip(&values)
                .map(|(s, &v)| format!("{} {}", s.name, share_and_count(v)))
                .collect();
            let range = match currency {
                Some(c) => money_range(b.x0, b.x1, c),
                None => format!("{} to {}", fmt(b.x0), fmt(b.x1)),
            };
            BinHover {
                x: round2(x0),
                width: round2((x.apply(b.x1) - x0).max(0.0)),
                tooltip: format!("{range}: {}", parts.join(", ")),
                range,
                values,
            }
        })
        .collect();

    let mut y_ticks = fitted_y_ticks(&y, percent_tick);
    y_ticks.retain(|t| t.pos >= plot_top - 0.5 && t.pos <= plot_bottom + 0.5);
    for t in &mut y_ticks {
        if (t.pos - plot_bottom).abs() < 0.5 {
            t.label.clear();
        }
        t.pos = round2(t.pos);
    }

    let label_y = label_row_bottom - 7.0;
    let marker_shape = marker.map(|(m, label)| {
        let mx = x.apply(m);
        let w = text_width(label);
        let placed = place_labels(&[LabelRequest { x: mx, width: w }], 0.0, WIDTH);
        let mut label_x = placed.first().map_or(mx, |p| p.x);
        // The top y label sits on the same row at the plot's left edge: a
        // marker near it moves its label to the right of it.
        for t in y_ticks.iter().filter(|t| !t.label.is_empty()) {
            let (x0, x1) = (plot_left + 2.0, plot_left + 2.0 + text_width(&t.label));
            let (top, bottom) = (t.pos - 5.0 - 18.0, t.pos);
            let rows_meet = label_y - 18.0 < bottom && top < label_y + 5.0;
            if rows_meet && label_x - w / 2.0 < x1 + 4.0 && x0 < label_x + w / 2.0 {
                label_x = (x1 + 4.0 + w / 2.0).min(WIDTH - w / 2.0);
            }
        }
        Marker {
            x: round2(mx),
            line_top: round2(label_row_bottom),
            label: label.to_string(),
            label_x: round2(label_x),
            label_y: round2(label_y),
        }
    });

    let mut x_ticks = fitted_ticks(&x, fmt);
    for t in &mut x_ticks {
        t.pos = round2(t.pos);
    }

    let n = series.len();
    let mut desc = format!(
        "Overlaid histograms of {} for {n} series, on shared bins; heights are each series' share of its values.",
        if x_label.trim().is_empty() {
            "values".to_string()
        } else {
            lower_first(x_label.trim())
        }
    );
    if let Some((m, label)) = marker {
        desc.push_str(&format!(" Marker: {label} at {}.", fmt_value(m)));
    }
    for s in &shapes {
        desc.push(' ');
        desc.push_str(&s.summary);
        desc.push('.');
    }

    DistributionLayout {
        width: WIDTH,
        height: plot_bottom + 2.0 * LINE_H + 12.0,
        plot_left,
        plot_right,
        plot_top,
        plot_bottom,
        series: shapes,
        hovers,
        marker: marker_shape,
        y_caption,
        y_caption_y,
        y_ticks,
        x_ticks,
        x_tick_y: plot_bottom + LINE_H,
        x_label: x_label.to_string(),
        x_label_y: plot_bottom + 2.0 * LINE_H,
        title,
        desc,
        empty: false,
    }
}

/// Overlaid step-outline histograms of several series on shared bins, with
/// a legend and an optional labelled marker line.
#[component]
pub fn DistributionChart(
    #[prop(into)] series: Vec<Distribution>,
    /// ISO currency code for money values; `None` for shares shown as
    /// percentages (1.0 = 100%).
    #[prop(into)]
    currency: Option<String>,
    /// A vertical marker line at a value, with its label, e.g. (1.0, "Quota").
    #[prop(into)]
    marker: Option<(f64, String)>,
    /// What the x axis shows, e.g. "Comp cost per rep".
    #[prop(into)]
    x_label: String,
) -> impl IntoView {
    let l = distribution_layout(
        &series,
        currency.as_deref(),
        marker.as_ref().map(|(v, s)| (*v, s.as_str())),
        &x_label,
    );
    let table = (!l.empty).then(|| distribution_table(&l));
    let marks = (!l.empty).then_some("range");
    let ids = ChartIds::new("distribution");
    let (width, height) = (l.width, round2(l.height));

    let body = if l.empty {
        draw::empty_message(width, height, "No results yet")
    } else {
        let (left, right, top, bottom) = (l.plot_left, l.plot_right, l.plot_top, l.plot_bottom);
        let legend = l
            .series
            .iter()
            .map(|s| {
                let (x, y) = (s.legend.x, s.legend_y);
                draw::line_legend_item(s.class.clone(), x, y, SWATCH, s.legend.label.clone())
            })
            .collect_view();
        let grid = draw::y_grid(l.y_ticks, left, right);
        let x_axis = draw::x_axis(l.x_ticks, left, right, bottom, l.x_tick_y);
        let areas = l
            .series
            .iter()
            .map(|s| view! { <path class=format!("{} chart-series-area", s.class) d=s.area.clone() /> })
            .collect_view();
        let outlines = l
            .series
            .into_iter()
            .map(|s| {
                view! {
                    <path class=s.class d=s.outline>
                        <title>{s.summary}</title>
                    </path>
                }
            })
            .collect_view();
        let hovers = l
            .hovers
            .into_iter()
            .map(|h| {
                // A bin no series reaches is only air between the outlines.
                let attrs = mark_if(h.values.iter().any(|v| v.1 > 0).then(|| h.tooltip.clone()));
                view! {
                    <rect {..attrs} class="chart-hover" x=h.x y=top width=h.width height=bottom - top>
                        <title>{h.tooltip}</title>
                    </rect>
                }
            })
            .collect_view();
        let marker = l.marker.map(|m| {
            view! {
                <g class="chart-marker chart-marker-ref">
                    <line x1=m.x x2=m.x y1=m.line_top y2=bottom />
                    <text class="chart-marker-label" x=m.label_x y=m.label_y text-anchor="middle">{m.label}</text>
                </g>
            }
        });
        view! {
            <g class="chart-legend">{legend}</g>
            <text class="chart-label chart-muted" x=8 y=l.y_caption_y>{l.y_caption}</text>
            {grid}
            <g class="chart-areas">{areas}</g>
            {x_axis}
            {marker}
            <g class="chart-lines">{outlines}</g>
            <g class="chart-hovers">{hovers}</g>
            <text class="chart-label chart-muted" x=(left + right) / 2.0 y=l.x_label_y text-anchor="middle">
                {l.x_label}
            </text>
        }
        .into_any()
    };

    view! {
        <ChartFrame kind="distribution" ids=ids width=width height=height title=l.title desc=l.desc table=table marks=marks>
            {body}
        </ChartFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic, roughly bell-shaped values around `centre`.
    fn bell(centre: f64, spread: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| {
                let u = ((i * 7919) % n) as f64 / n as f64;
                let v = ((i * 104_729) % n) as f64 / n as f64;
                centre + (u + v - 1.0) * spread
            })
            .collect()
    }

    fn attainment() -> Vec<Distribution> {
        vec![
            Distribution {
                name: "Current plan".into(),
                values: bell(0.95, 0.6, 2_000),
            },
            Distribution {
                name: "Accelerator".into(),
                values: bell(1.05, 0.6, 1_000),
            },
        ]
    }

    fn path_points(d: &str) -> Vec<(f64, f64)> {
        d.split(' ')
            .filter(|s| *s != "Z")
            .map(|s| {
                let (x, y) = s[1..].split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn the_table_is_the_bins() {
        let series = attainment();
        let l = distribution_layout(&series, None, Some((1.0, "Quota")), "Attainment");
        let t = distribution_table(&l);
        assert!(t.is_rectangular());
        assert_eq!(t.columns, ["Attainment", "Current plan", "Accelerator"]);
        assert_eq!(t.rows.len(), l.hovers.len());
        for (k, (s, shape)) in series.iter().zip(&l.series).enumerate() {
            let mut n = 0;
            for (r, h) in t.rows.iter().zip(&l.hovers) {
                assert_eq!(r[0], h.range);
                assert_eq!(r[k + 1], share_and_count(h.values[k]));
                // Hover, focus and table read the same numbers.
                assert!(h.tooltip.contains(&format!("{} {}", s.name, r[k + 1])));
                n += h.values[k].1;
            }
            assert_eq!(n, s.values.len(), "every value in a row");
            // The outline's steps are the shares listed, to scale.
            let pts = path_points(&shape.outline);
            let steps: Vec<f64> = pts[1..pts.len() - 1]
                .chunks(2)
                .map(|p| l.plot_bottom - p[0].1)
                .collect();
            let first = l.hovers.iter().position(|h| h.values[k].0 > 0.0).unwrap();
            let shares: Vec<f64> = l.hovers[first..first + steps.len()]
                .iter()
                .map(|h| h.values[k].0)
                .collect();
            let top = steps.iter().copied().fold(0.0, f64::max);
            let top_share = shares.iter().copied().fold(0.0, f64::max);
            for (h, sh) in steps.iter().zip(&shares) {
                assert!((h / top - sh / top_share).abs() < 0.01, "{h} vs {sh}");
            }
        }
        assert!(t.caption.starts_with("Distribution of attainment: "));
    }

    #[test]
    fn statistics() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0, f64::NAN]), Some(2.5));
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(median(&[f64::MAX, f64::MAX]), Some(f64::MAX));
        assert_eq!(
            share_at_or_above(&[0.5, 1.0, 1.5, f64::NAN], 1.0),
            Some(2.0 / 3.0)
        );
        assert_eq!(share_at_or_above(&[], 1.0), None);
        assert_eq!(lower_first("Comp cost"), "comp cost");
        assert_eq!(lower_first("ARR"), "ARR");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn empty_input() {
        let l = distribution_layout(&[], None, Some((1.0, "Quota")), "Attainment");
        assert!(l.empty && l.series.is_empty());
        assert_eq!(l.desc, "No values to show yet.");
        let nan = vec![Distribution {
            name: "A".into(),
            values: vec![f64::NAN],
        }];
        assert!(distribution_layout(&nan, Some("USD"), None, "Cost").empty);
    }

    #[test]
    fn outlines_are_steps_on_shared_bins() {
        let l = distribution_layout(&attainment(), None, Some((1.0, "Quota")), "Rep attainment");
        assert!(!l.empty);
        assert_eq!(l.series.len(), 2);
        assert!((20..=40).contains(&l.hovers.len()), "{}", l.hovers.len());
        for s in &l.series {
            let pts = path_points(&s.outline);
            // Starts and ends on the baseline; every segment is horizontal or
            // vertical; x never goes back.
            assert_eq!(pts[0].1, l.plot_bottom);
            assert_eq!(pts[pts.len() - 1].1, l.plot_bottom);
            for w in pts.windows(2) {
                assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "{w:?}");
                assert!(w[1].0 >= w[0].0);
            }
            for p in &pts {
                assert!(p.0 >= l.plot_left - 0.01 && p.0 <= l.plot_right + 0.01);
                assert!(p.1 >= l.plot_top - 0.01 && p.1 <= l.plot_bottom + 0.01);
            }
            // Every step edge is a bin edge.
            for p in &pts {
                assert!(
                    l.hovers
                        .iter()
                        .any(|h| (h.x - p.0).abs() < 0.02 || (h.x + h.width - p.0).abs() < 0.02)
                );
            }
            assert!(s.area.ends_with(" Z"));
        }
        assert_eq!(l.series[0].class, "chart-series chart-series-1");
        assert_eq!(l.series[1].class, "chart-series chart-series-2");
        // Shares: the tallest bin reaches into the top part of the plot.
        let min_y = l
            .series
            .iter()
            .flat_map(|s| path_points(&s.outline))
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min);
        assert!(min_y < l.plot_top + 0.5 * (l.plot_bottom - l.plot_top));
        // Hover columns tile the bins.
        for w in l.hovers.windows(2) {
            assert!((w[0].x + w[0].width - w[1].x).abs() < 0.02);
        }
        assert!(l.hovers[0].tooltip.contains("Current plan"));
        assert!(l.hovers[0].tooltip.contains("Accelerator"));
    }

    #[test]
    fn a_marker_at_the_left_edge_keeps_its_label_off_the_top_y_label() {
        let d = vec![Distribution {
            name: "Current plan".into(),
            values: bell(1.6, 1.2, 2_000),
        }];
        let lo = d[0].values.iter().copied().fold(f64::INFINITY, f64::min);
        let l = distribution_layout(&d, None, Some((lo, "Quota")), "Rep attainment");
        let m = l.marker.clone().unwrap();
        assert!(m.x - l.plot_left < 20.0, "{} {}", m.x, l.plot_left);
        let w = text_width(&m.label);
        let label = (
            m.label_x - w / 2.0,
            m.label_x + w / 2.0,
            m.label_y - 18.0,
            m.label_y + 5.0,
        );
        let top = l
            .y_ticks
            .iter()
            .filter(|t| !t.label.is_empty())
            .min_by(|a, b| a.pos.total_cmp(&b.pos))
            .unwrap();
        assert!(
            (top.pos - l.plot_top).abs() < 1.0,
            "the top y label shares the marker's row"
        );
        for t in l.y_ticks.iter().filter(|t| !t.label.is_empty()) {
            let tick = (
                l.plot_left + 2.0,
                l.plot_left + 2.0 + text_width(&t.label),
                t.pos - 23.0,
                t.pos,
            );
            let apart =
                label.1 <= tick.0 || tick.1 <= label.0 || label.3 <= tick.2 || tick.3 <= label.2;
            assert!(apart, "{} over {}: {label:?} {tick:?}", m.label, t.label);
        }
        assert!(label.1 <= l.width);
    }

    #[test]
    fn a_huge_share_axis_reads_in_multiples() {
        // A million leads against a quota made for a thousand.
        let d = vec![Distribution {
            name: "Current plan".into(),
            values: bell(3000.0, 2000.0, 1_000),
        }];
        let l = distribution_layout(&d, None, Some((1.0, "Quota")), "Rep attainment");
        assert!(l.x_ticks.len() >= 3);
        for t in &l.x_ticks {
            assert!(
                t.label.ends_with('×') && !t.label.contains('%'),
                "{}",
                t.label
            );
            assert!(t.label.len() <= 8, "{}", t.label);
        }
        assert!(
            l.x_ticks.iter().any(|t| t.label == "2,000×"),
            "{:?}",
            l.x_ticks
        );
        // Ordinary attainment stays in percent.
        let l = distribution_layout(&attainment(), None, Some((1.0, "Quota")), "Rep attainment");
        assert!(l.x_ticks.iter().all(|t| t.label.ends_with('%')));
    }

    #[test]
    fn percent_axis_marker_and_description() {
        let l = distribution_layout(&attainment(), None, Some((1.0, "Quota")), "Rep attainment");
        assert!(l.x_ticks.iter().all(|t| t.label.ends_with('%')));
        assert!(l.x_ticks.iter().any(|t| t.label == "100%"));
        assert!(l.y_ticks.iter().skip(1).all(|t| t.label.ends_with('%')));
        assert_eq!(l.y_ticks[0].label, "");
        let m = l.marker.clone().unwrap();
        let hundred = l.x_ticks.iter().find(|t| t.label == "100%").unwrap();
        assert!((m.x - hundred.pos).abs() < 0.02);
        assert_eq!(m.label, "Quota");
        assert!(m.line_top < l.plot_top && m.label_y < m.line_top);
        assert!(m.label_y > l.y_caption_y);
        assert_eq!(l.title, "Distribution of rep attainment");
        assert!(
            l.desc
                .starts_with("Overlaid histograms of rep attainment for 2 series")
        );
        assert!(l.desc.contains("Marker: Quota at 100%."));
        let cur = share_at_or_above(&attainment()[0].values, 1.0).unwrap();
        let med = median(&attainment()[0].values).unwrap();
        assert!(l.desc.contains(&format!(
            "Current plan: median {}, {} of values at or above Quota.",
            percent(med, 0),
            percent(cur, 0)
        )));
        assert!(l.desc.contains("Accelerator: median"));
    }

    #[test]
    fn money_axis_and_marker_outside_data() {
        let series = vec![
            Distribution {
                name: "Plan A".into(),
                values: bell(120_000.0, 40_000.0, 500),
            },
            Distribution {
                name: "Plan B".into(),
                values: bell(135_000.0, 60_000.0, 500),
            },
            Distribution {
                name: "No data".into(),
                values: vec![],
            },
        ];
        let l = distribution_layout(
            &series,
            Some("USD"),
            Some((400_000.0, "Budget")),
            "Comp cost per rep",
        );
        assert!(l.x_ticks.iter().all(|t| t.label.starts_with('$')));
        let m = l.marker.clone().unwrap();
        assert!((m.x - l.plot_right).abs() < 0.02);
        assert!(l.series[2].outline.is_empty());
        let med = median(&series[0].values).unwrap();
        assert!(l.desc.contains(&format!(
            "Plan A: median {}, 0% of values at or above Budget.",
            money_compact(med, "USD")
        )));
        assert!(l.desc.contains("No data: no values."));
        assert!(l.desc.contains("Marker: Budget at $400K."));
        // No marker: no share sentence.
        let l = distribution_layout(&series, Some("USD"), None, "");
        assert!(l.marker.is_none());
        assert!(!l.desc.contains("at or above"));
        assert_eq!(l.title, "Distributions compared");
    }

    #[test]
    fn single_value_and_many_series() {
        let one = vec![Distribution {
            name: "Only".into(),
            values: vec![1.0; 10],
        }];
        let l = distribution_layout(&one, None, Some((1.0, "Quota")), "Attainment");
        assert!(!l.empty);
        assert!(!l.series[0].outline.is_empty());
        assert!(l.desc.contains("100% of values at or above Quota"));
        let many: Vec<Distribution> = (0..7)
            .map(|i| Distribution {
                name: format!("Series number {i}"),
                values: bell(i as f64, 2.0, 50),
            })
            .collect();
        let l = distribution_layout(&many, Some("EUR"), None, "Cost");
        assert!(l.series.iter().any(|s| s.legend.row > 0));
        let last = l.series.iter().map(|s| s.legend_y).fold(0.0, f64::max);
        assert!(l.y_caption_y >= last + LINE_H - 0.01);
        assert!(l.plot_top > l.y_caption_y + LINE_H);
    }
}
