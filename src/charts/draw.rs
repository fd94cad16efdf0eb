//! SVG pieces every chart draws the same way. Layouts decide where things go;
//! these only draw them, so a change of axis or grid style is made once.

use leptos::prelude::*;

use super::common::Tick;

/// The message an empty chart shows in its middle.
pub fn empty_message(width: f64, height: f64, text: &'static str) -> AnyView {
    view! {
        <text class="chart-label chart-empty" x=width / 2.0 y=height / 2.0 + 6.0 text-anchor="middle">
            {text}
        </text>
    }
    .into_any()
}

/// Horizontal grid lines across the plot, each with its label just above it.
pub fn y_grid(ticks: Vec<Tick>, left: f64, right: f64) -> impl IntoView {
    let lines = ticks
        .into_iter()
        .map(|t| {
            view! {
                <line class="chart-grid" x1=left x2=right y1=t.pos y2=t.pos />
                <text class="chart-label chart-halo" x=left + 2.0 y=t.pos - 5.0>{t.label}</text>
            }
        })
        .collect_view();
    view! { <g class="chart-grid-lines">{lines}</g> }
}

/// The horizontal axis at `y` from `left` to `right`, with its ticks below
/// and their labels on the line at `label_y`.
pub fn x_axis(ticks: Vec<Tick>, left: f64, right: f64, y: f64, label_y: f64) -> impl IntoView {
    view! {
        <line class="chart-axis" x1=left x2=right y1=y y2=y />
        <g class="chart-ticks">{x_ticks(ticks, y, label_y)}</g>
    }
}

/// Tick marks below the plot with their labels; minor labels hide on narrow screens.
fn x_ticks(ticks: Vec<Tick>, bottom: f64, label_y: f64) -> impl IntoView {
    ticks
        .into_iter()
        .map(|t| {
            let class = if t.minor {
                "chart-label chart-minor"
            } else {
                "chart-label"
            };
            view! {
                <line class="chart-tick" x1=t.pos x2=t.pos y1=bottom y2=bottom + 5.0 />
                <text class=class x=t.pos y=label_y text-anchor="middle">{t.label}</text>
            }
        })
        .collect_view()
}

/// A legend entry drawn as a short line in the series' style, then its name.
pub fn line_legend_item(
    class: String,
    x: f64,
    y: f64,
    swatch: f64,
    label: String,
) -> impl IntoView {
    view! {
        <g class="chart-legend-item">
            <line class=class x1=x x2=x + swatch y1=y - 6.0 y2=y - 6.0 />
            <text class="chart-label" x=x + swatch + 6.0 y=y>{label}</text>
        </g>
    }
}
