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
    let w = window().ok_or("no window")?;
    let document = w.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "could not create the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "could not create the file")?;
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
