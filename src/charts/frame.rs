//! The frame every chart is drawn in, so that what screen readers are told,
//! how a chart scales, its table and how its marks are read by keyboard and
//! touch are decided once.

use leptos::attr::Attribute;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::common::ChartIds;
use super::table::{ChartTable, ChartTableView};

/// The attribute a mark carries its details in. `<title>` tooltips need a
/// mouse; the frame reads this one on focus and on tap instead, so each
/// chart only marks its marks (see [`mark`]).
pub const TIP_ATTR: &str = "data-tip";

/// The text of the mark an event happened on or inside, if any.
fn tip_of(ev: &web_sys::Event) -> Option<String> {
    let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
    el.closest(&format!("[{TIP_ATTR}]"))
        .ok()??
        .get_attribute(TIP_ATTR)
}

/// What a chart's readout line says before any mark is chosen.
pub fn readout_hint(mark: &str) -> String {
    format!("Tab to or tap a {mark} (arrow keys move between them) to read its numbers here.")
}

/// The marks inside `root`, in document order.
fn marks_in(root: &web_sys::Element) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(&format!("[{TIP_ATTR}]")) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// Roving focus (WAI-ARIA's "roving tabindex"): of a chart's marks only
/// `current` is a Tab stop, so that a histogram's 40 bars are one stop on
/// the way through the page, and arrow keys move among them.
fn rove(marks: &[web_sys::Element], current: usize) {
    for (i, m) in marks.iter().enumerate() {
        let _ = m.set_attribute("tabindex", if i == current { "0" } else { "-1" });
    }
}

/// Where an arrow, Home or End key moves focus from mark `at` of `n`.
pub fn next_mark(key: &str, at: usize, n: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    match key {
        "ArrowRight" | "ArrowDown" => Some((at + 1).min(n - 1)),
        "ArrowLeft" | "ArrowUp" => Some(at.saturating_sub(1)),
        "Home" => Some(0),
        "End" => Some(n - 1),
        _ => None,
    }
}

fn on_mark_key(root: &web_sys::Element, ev: &web_sys::KeyboardEvent) {
    let marks = marks_in(root);
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Some(at) = marks.iter().position(|m| *m == target) else {
        return;
    };
    let Some(to) = next_mark(&ev.key(), at, marks.len()) else {
        return;
    };
    ev.prevent_default();
    rove(&marks, to);
    if let Some(el) = marks[to].dyn_ref::<web_sys::SvgElement>() {
        let _ = el.focus();
    }
}

/// A chart's `<svg>`: a viewBox of `width` × `height` user units scaled to
/// its container (`width="100%"`), named by its `<title>` and described by
/// its `<desc>` (both through `aria-labelledby`), then the drawing.
///
/// With a `table`, the svg comes with a "Show as table" toggle and a
/// readout line (a polite live region) showing the details of the focused
/// or tapped mark.
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
    /// The numbers drawn, offered instead of the drawing on request.
    #[prop(default = None)]
    table: Option<ChartTable>,
    /// What one focusable mark is called ("bar", "stage"), when the drawing
    /// has marks carrying [`TIP_ATTR`]: the svg is then a group (focusable
    /// children inside an img are an accessibility error) and the readout
    /// starts with a hint naming them.
    #[prop(default = None)]
    marks: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let labelledby = ids.labelledby();
    let role = if marks.is_some() { "group" } else { role };
    let readout = RwSignal::new(marks.map(readout_hint).unwrap_or_default());
    let show_tip = move |ev: &web_sys::Event| {
        if let Some(tip) = tip_of(ev) {
            readout.set(tip);
        }
    };
    let title_id = ids.title.clone();
    let svg = view! {
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
    };
    let Some(table) = table else {
        return svg.into_any();
    };
    let showing = RwSignal::new(false);
    let table_id = ids.prefix.clone() + "-table";
    let drawing = NodeRef::<leptos::html::Div>::new();
    // Once drawn, only the first mark is a Tab stop.
    Effect::new(move |_| {
        if let Some(div) = drawing.get() {
            rove(&marks_in(&div), 0);
        }
    });
    let on_focus = move |ev: web_sys::FocusEvent| {
        show_tip(&ev);
        // The mark focused (by tap, click or arrow) is where Tab comes back to.
        if let (Some(div), Some(target)) = (
            drawing.get_untracked(),
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok()),
        ) {
            let marks = marks_in(&div);
            if let Some(i) = marks.iter().position(|m| *m == target) {
                rove(&marks, i);
            }
        }
    };
    view! {
        <div class="chart-frame">
            <button
                type="button"
                class="secondary chart-toggle"
                aria-expanded=move || showing.get().to_string()
                aria-controls=table_id.clone()
                aria-describedby=title_id
                on:click=move |_| showing.update(|s| *s = !*s)
            >
                {move || if showing.get() { "Show as chart" } else { "Show as table" }}
            </button>
            // Listening here, not on the svg: Chromium puts an SVG element
            // with focus listeners in the tab order.
            <div
                class="chart-drawing"
                node_ref=drawing
                hidden=move || showing.get()
                on:focusin=on_focus
                on:click=move |ev| show_tip(&ev)
                on:keydown=move |ev| {
                    if let Some(div) = drawing.get_untracked() {
                        on_mark_key(&div, &ev);
                    }
                }
            >
                {svg}
                {marks.map(|_| view! { <p class="chart-readout" aria-live="polite">{move || readout.get()}</p> })}
            </div>
            <div class="chart-table-holder" hidden=move || !showing.get()>
                <ChartTableView table=table id=table_id />
            </div>
        </div>
    }
    .into_any()
}

/// The attributes that make a mark reachable by keyboard and touch, for a
/// mark whose details are `tip`: focusable, named by its details (as an
/// img, so that the name is allowed and its parts read as one thing), and
/// carrying them for the frame's readout. Spread onto the mark:
/// `<g {..mark(tip)}>`.
pub fn mark(tip: String) -> impl Attribute {
    mark_if(Some(tip))
}

/// [`mark`] for a mark that may have nothing to show (an empty bin): none
/// of the attributes without a `tip`, so it is left out of the tab order.
pub fn mark_if(tip: Option<String>) -> impl Attribute {
    use leptos::attr::{aria_label, custom::custom_attribute, role, tabindex};
    let on = tip.is_some();
    (
        tabindex(on.then_some("0")),
        role(on.then_some("img")),
        aria_label(tip.clone()),
        custom_attribute(TIP_ATTR, tip),
    )
}

#[cfg(test)]
mod tests {
    use super::next_mark;

    #[test]
    fn arrows_move_one_mark_and_stop_at_the_ends() {
        assert_eq!(next_mark("ArrowRight", 0, 3), Some(1));
        assert_eq!(next_mark("ArrowDown", 2, 3), Some(2));
        assert_eq!(next_mark("ArrowLeft", 0, 3), Some(0));
        assert_eq!(next_mark("ArrowUp", 2, 3), Some(1));
        assert_eq!(next_mark("Home", 2, 3), Some(0));
        assert_eq!(next_mark("End", 0, 3), Some(2));
        assert_eq!(next_mark("Tab", 0, 3), None);
        assert_eq!(next_mark("ArrowRight", 0, 0), None);
    }
}
