//! The frame every chart is drawn in, so that what screen readers are told
//! and how a chart scales are decided once.

use leptos::prelude::*;

use super::common::ChartIds;

/// A chart's `<svg>`: a viewBox of `width` × `height` user units scaled to
/// its container (`width="100%"`), named by its `<title>` and described by
/// its `<desc>` (both through `aria-labelledby`), then the drawing.
#[component]
pub fn ChartFrame(
    /// The chart's CSS name: the svg's class is `chart chart-{kind}`.
    kind: &'static str,
    /// Ids for the title and description (made before the drawing, which
    /// may refer to others of the same prefix, e.g. patterns).
    ids: ChartIds,
    width: f64,
    height: f64,
    #[prop(into)] title: String,
    #[prop(into)] desc: String,
    /// "img" for a picture; "group" where the drawing holds controls (an
    /// img's children are hidden from assistive technology).
    #[prop(default = "img")]
    role: &'static str,
    children: Children,
) -> impl IntoView {
    let labelledby = ids.labelledby();
    view! {
        <svg
            class=format!("chart chart-{kind}")
            role=role
            width="100%"
            viewBox=format!("0 0 {width} {height}")
            aria-labelledby=labelledby
        >
            <title id=ids.title>{title}</title>
            <desc id=ids.desc>{desc}</desc>
            {children()}
        </svg>
    }
}
