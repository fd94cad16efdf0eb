//! The Web Worker that runs chunks of trials for the page (`src/run/pool.rs`).
//! It holds the engine and the messages only, no Leptos: the logic is in
//! `funnel_app::run::worker_side`, and this shell moves messages in and out.
//!
//! Trunk builds it as an ES module (`data-bindgen-target="web"`) with a loader
//! shim, `worker_loader.js`, which the page starts as a module worker.

#[cfg(target_arch = "wasm32")]
fn main() {
    use funnel_app::run::protocol::{self, BYTES_KEY, Reply, Request, WireError};
    use funnel_app::run::worker_side::WorkerSide;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();

    fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply, bytes: Option<Vec<u8>>) {
        let Ok(msg) = protocol::to_js(reply) else {
            return;
        };
        let sent = match bytes {
            None => scope.post_message(&msg),
            Some(bytes) => {
                // Transferred, not copied: the page gets this very buffer.
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let _ = js_sys::Reflect::set(&msg, &JsValue::from_str(BYTES_KEY), &array);
                scope.post_message_with_transfer(&msg, &js_sys::Array::of1(&array.buffer()))
            }
        };
        if let Err(e) = sent {
            web_sys::console::warn_2(&JsValue::from_str("worker: could not reply"), &e);
        }
    }

    let mut side = WorkerSide::new();
    let out = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let (reply, bytes) = match protocol::from_js::<Request>(data.clone()) {
            Ok(req) => side.handle(&req),
            Err(e) => {
                // Answer for the job the page named, so that it is not left waiting.
                let job = js_sys::Reflect::get(&data, &JsValue::from_str("job"))
                    .ok()
                    .and_then(|v| u64::try_from(v).ok())
                    .unwrap_or(0);
                let error = vec![WireError {
                    path: String::new(),
                    message: format!("the worker could not read its work: {e}"),
                }];
                (Reply::Refused { job, error }, None)
            }
        };
        post(&out, &reply, bytes);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(
        &scope,
        &Reply::Ready {
            build: protocol::build_id(),
        },
        None,
    );
}

// Natively there is no worker to be: `cargo test` and clippy build this as a no-op.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
