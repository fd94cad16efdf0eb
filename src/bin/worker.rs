//! The Web Worker that runs chunks of trials and summaries for the page
//! (`src/run/pool.rs`). It holds the engine and the messages only, no Leptos:
//! what it does is `funnel_app::run::worker_side` (plain Rust) and
//! `funnel_app::run::worker_js` (the messages in JS terms).
//!
//! Trunk builds it as an ES module (`data-bindgen-target="web"`) with a loader
//! shim, `worker_loader.js`, which the page starts as a module worker.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    console_error_panic_hook::set_once();
    funnel_app::run::worker_js::serve(js_sys::global().unchecked_into());
}

// Natively there is no worker to be: `cargo test` and clippy build this as a no-op.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
