//! The few things the app asks of the browser, behind plain functions:
//! the URL fragment and history, timers, the clock, files and the clipboard.
//! Nothing here panics when the browser refuses (e.g. in a sandboxed iframe).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The URL fragment, with its `#` (empty when there is none).
pub fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The URL query, with its `?` (empty when there is none).
pub fn search() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Puts `fragment` (starting with `#`) in the address bar: as a new history
/// entry with `push`, else replacing the current one. Never reloads.
pub fn set_hash(fragment: &str, push: bool) {
    let Some(w) = window() else { return };
    let Ok(history) = w.history() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let search = w.location().search().unwrap_or_default();
    let url = format!("{path}{search}{fragment}");
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// The page's full address (for "copy link").
pub fn href() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Milliseconds from a monotonic clock.
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Resolves after `ms` milliseconds (0: at the browser's next turn, after
/// it has handled input and painted).
pub async fn sleep(ms: i32) {
    let Some(w) = window() else { return };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// A random seed from the browser's generator (not for security).
pub fn random_seed() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    // Keep seeds short enough to read aloud: below 10^9.
    ((hi << 32) | lo) % 1_000_000_000
}

/// Offers `text` as a file download named `filename`.
pub fn download(filename: &str, text: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "could not create the file")?;
    download_blob(filename, &blob)
}

/// Offers `blob` as a file download named `filename`.
pub fn download_blob(filename: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let w = window().ok_or("no window")?;
    let document = w.document().ok_or("no document")?;
    let url =
        web_sys::Url::create_object_url_with_blob(blob).map_err(|_| "could not create the file")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "could not create a link")?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke later: revoking at once can cancel the download in some browsers.
    let url2 = url.clone();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url2);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// The charts on the page (`svg.chart`), by their titles, in page order.
pub fn chart_titles() -> Vec<String> {
    charts()
        .iter()
        .map(|svg| {
            svg.query_selector("title")
                .ok()
                .flatten()
                .and_then(|t| t.text_content())
                .unwrap_or_default()
        })
        .collect()
}

fn charts() -> Vec<web_sys::Element> {
    let Some(list) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("svg.chart").ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// The presentation properties a chart takes from the page's stylesheets,
/// written onto each element of an exported copy: a file has no page.
const CHART_STYLE: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "paint-order",
    "visibility",
    "display",
];

/// The `index`th chart (`chart_titles` order) as a standalone SVG file:
/// every element's computed presentation inlined, its size set from its
/// viewBox, and the chart's background drawn in. Also its size.
pub fn chart_svg(index: usize) -> Option<(String, f64, f64)> {
    let w = window()?;
    let svg = charts().into_iter().nth(index)?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    let inline = |from: &web_sys::Element, to: &web_sys::Element| {
        let Ok(Some(style)) = w.get_computed_style(from) else {
            return;
        };
        let text: String = CHART_STYLE
            .iter()
            .filter_map(|p| {
                let v = style.get_property_value(p).ok()?;
                (!v.is_empty()).then(|| format!("{p}:{v};"))
            })
            .collect();
        let _ = to.set_attribute("style", &text);
    };
    inline(&svg, &copy);
    for i in 0..originals.length().min(copies.length()) {
        if let (Some(a), Some(b)) = (originals.item(i), copies.item(i)) {
            if let (Ok(a), Ok(b)) = (
                a.dyn_into::<web_sys::Element>(),
                b.dyn_into::<web_sys::Element>(),
            ) {
                inline(&a, &b);
            }
        }
    }
    let (vw, vh) = view_box(&svg.get_attribute("viewBox").unwrap_or_default())?;
    let (background, _) = panel_colours(&svg);
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("width", &vw.to_string());
    let _ = copy.set_attribute("height", &vh.to_string());
    let _ = copy.remove_attribute("role");
    let _ = copy.remove_attribute("aria-labelledby");
    if let Some(doc) = w.document() {
        if let Ok(rect) = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect") {
            for (k, v) in [
                ("width", "100%"),
                ("height", "100%"),
                ("fill", background.as_str()),
            ] {
                let _ = rect.set_attribute(k, v);
            }
            let first = copy.first_element_child();
            // After <title> and <desc>: they stay the file's name and description.
            let at = first
                .and_then(|t| t.next_element_sibling())
                .and_then(|d| d.next_element_sibling());
            let _ = copy.insert_before(&rect, at.as_ref().map(|e| e.unchecked_ref()));
        }
    }
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some((text, vw, vh))
}

fn view_box(text: &str) -> Option<(f64, f64)> {
    let n: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    match n[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// The background and text colours of the panel a chart sits on.
fn panel_colours(el: &web_sys::Element) -> (String, String) {
    let style = el
        .closest(".panel, .headline, body")
        .ok()
        .flatten()
        .and_then(|p| window()?.get_computed_style(&p).ok().flatten());
    let get = |p: &str, fallback: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(p).ok())
            .filter(|v| !v.is_empty() && v != "rgba(0, 0, 0, 0)")
            .unwrap_or_else(|| fallback.to_owned())
    };
    (get("background-color", "#ffffff"), get("color", "#161b26"))
}

/// The `index`th chart as a PNG, drawn from its SVG file (`chart_svg`) on a
/// canvas at twice its size, under its title and the scenario's name.
pub async fn chart_png(index: usize, title: &str, scenario: &str) -> Result<web_sys::Blob, String> {
    let (svg_text, vw, vh) = chart_svg(index).ok_or("the chart is not on the page")?;
    let svg_el = charts()
        .into_iter()
        .nth(index)
        .ok_or("the chart is not on the page")?;
    let (background, text_colour) = panel_colours(&svg_el);
    let document = window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg_text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "could not draw the chart")?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "could not draw the chart")?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "could not draw the chart")?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let drawn = JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    drawn.map_err(|_| "could not draw the chart")?;

    let scale = 2.0;
    let pad = 16.0;
    let header = 64.0;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .unchecked_into();
    canvas.set_width(((vw + 2.0 * pad) * scale) as u32);
    canvas.set_height(((vh + header + pad) * scale) as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("no canvas")?
        .unchecked_into();
    let _ = ctx.scale(scale, scale);
    ctx.set_fill_style_str(&background);
    ctx.fill_rect(0.0, 0.0, vw + 2.0 * pad, vh + header + pad);
    ctx.set_fill_style_str(&text_colour);
    ctx.set_font("bold 18px system-ui, sans-serif");
    let _ = ctx.fill_text_with_max_width(title, pad, pad + 18.0, vw);
    ctx.set_font("14px system-ui, sans-serif");
    let _ = ctx.fill_text_with_max_width(scenario, pad, pad + 40.0, vw);
    ctx.draw_image_with_html_image_element_and_dw_and_dh(&image, pad, header, vw, vh)
        .map_err(|_| "could not draw the chart")?;
    let made = js_sys::Promise::new(&mut |resolve, reject| {
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = reject.call0(&JsValue::NULL);
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        // to_blob throws only for a canvas tainted by another origin's
        // image; ours comes from the page itself.
        let _ = canvas.to_blob(callback.unchecked_ref());
    });
    let blob = JsFuture::from(made)
        .await
        .map_err(|_| "could not make the PNG")?;
    Ok(blob.unchecked_into())
}

/// Reads the first file chosen in an `<input type=file>` as text.
pub async fn read_file(
    input: &web_sys::HtmlInputElement,
) -> Result<Option<(String, String)>, String> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    let name = file.name();
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("could not read {name}"))?;
    Ok(Some((name, text.as_string().unwrap_or_default())))
}

/// The first file chosen in an `<input type=file>`.
pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    input.files().and_then(|f| f.get(0))
}

/// The first file dropped on an element.
pub fn dropped_file(ev: &web_sys::DragEvent) -> Option<web_sys::File> {
    ev.data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
}

/// A file's name and text; refused, unread, when it is over `max_bytes`
/// (a text that size would exhaust the page).
pub async fn read_text(file: &web_sys::File, max_bytes: f64) -> Result<(String, String), String> {
    let name = file.name();
    if file.size() > max_bytes {
        return Err(format!(
            "{name} is {:.0} MB; this page reads files up to {:.0} MB",
            file.size() / 1e6,
            max_bytes / 1e6
        ));
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("could not read {name}"))?;
    Ok((name, text.as_string().unwrap_or_default()))
}

/// Copies `text` to the clipboard; `false` when the browser refuses (e.g.
/// inside an iframe without permission).
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = window() else { return false };
    let clipboard = w.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Selects the text of the `<textarea>` or `<input>` with this id and
/// focuses it (for copying by hand when the clipboard is refused).
pub fn select_text(id: &str) {
    let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        let _ = area.focus();
        area.select();
    } else if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    }
}

/// The height of a `{type: "funnel-sim:height", height}` message's data
/// (`share::embed`), when it is one with a sensible height.
pub fn height_message(data: &JsValue) -> Option<u32> {
    let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    if get("type")?.as_string()? != crate::share::embed::HEIGHT {
        return None;
    }
    let h = get("height")?.as_f64()?;
    (h > 0.0 && h < 20_000.0).then(|| h.ceil() as u32)
}

/// Focuses the element with this id, if there is one.
pub fn focus(id: &str) {
    let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Scrolls the element with this id to the top of the view.
pub fn scroll_into_view(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}

/// Sets the page's title (the tab, the history list, a bookmark's name).
pub fn set_title(title: &str) {
    if let Some(d) = window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// Sets (or, with `None`, removes) an attribute of the root `<html>`
/// element, e.g. the forced colour scheme `data-theme`.
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Whether the page is inside a frame of another page (an embed).
pub fn in_frame() -> bool {
    let Some(w) = window() else { return false };
    match w.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &w),
        _ => false,
    }
}

/// Posts the JSON object `message` to the embedding page, if any. Any
/// origin may listen ("*"): the message holds the headline figures of a
/// scenario its link already carries, and an embed cannot know its host.
pub fn post_to_parent(message: &str) {
    let Some(w) = window() else { return };
    let (Ok(Some(parent)), Ok(value)) = (w.parent(), js_sys::JSON::parse(message)) else {
        return;
    };
    let _ = parent.post_message(&value, "*");
}

/// Calls `on_height` with the page's content height (CSS pixels) now and
/// whenever it changes, for as long as the page lives.
pub fn watch_height(on_height: impl Fn(f64) + 'static) {
    use wasm_bindgen::closure::Closure;
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let measured = root.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries| {
        on_height(measured.get_bounding_client_rect().height());
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
        // The observer and its callback live as long as the page.
        callback.forget();
        std::mem::forget(observer);
    }
}

/// The page's localStorage as the library's `Store`. Every call asks the
/// browser again: a sandboxed frame throws SecurityError on the mere
/// access (caught by web-sys), private modes may throw on any write, and
/// a full quota throws QuotaExceededError; each becomes a `StoreError`.
pub struct LocalStore;

impl LocalStore {
    fn storage() -> Result<web_sys::Storage, crate::library::store::StoreError> {
        window()
            .and_then(|w| w.local_storage().ok().flatten())
            .ok_or(crate::library::store::StoreError::Unavailable)
    }
}

impl crate::library::store::Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, crate::library::store::StoreError> {
        Self::storage()?
            .get_item(key)
            .map_err(|_| crate::library::store::StoreError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), crate::library::store::StoreError> {
        use crate::library::store::StoreError;
        Self::storage()?.set_item(key, value).map_err(|e| {
            let name = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.name()))
                .or_else(|| {
                    js_sys::Reflect::get(&e, &"name".into())
                        .ok()
                        .and_then(|n| n.as_string())
                })
                .unwrap_or_default();
            // Quota errors go by two names across browsers.
            if name.contains("Quota") {
                StoreError::Full
            } else {
                StoreError::Unavailable
            }
        })
    }
}

/// The page's address without its fragment: what a saved scenario's link
/// starts with.
pub fn href_without_hash() -> String {
    let href = href();
    match href.find('#') {
        Some(i) => href[..i].to_owned(),
        None => href,
    }
}

/// Closes the `<dialog>` with this id, if it is open.
pub fn close_dialog(id: &str) {
    if let Some(d) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
    {
        d.close();
    }
}
