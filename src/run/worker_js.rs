//! The worker's messages in JS terms: a `postMessage` payload in, the reply
//! and what to transfer out. `src/bin/worker.rs` only installs `serve`;
//! `tests/worker_wasm.rs` calls `answer` inside a real dedicated worker.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{self, BYTES_KEY, Reply, Request, WireError};
use super::worker_side::WorkerSide;

/// A reply ready to post: the message, and the buffers to transfer with it.
pub struct Answer {
    pub message: JsValue,
    pub transfer: Option<Array>,
}

/// The first message a worker sends.
pub fn ready() -> Answer {
    plain(&Reply::Ready {
        build: protocol::build_id(),
    })
}

/// The reply to one message from the page. Never fails: a message it cannot
/// read is refused for the job it names, so that the page is not left waiting.
/// Pieces lent with a message go back with its reply, whatever the reply.
pub fn answer(side: &mut WorkerSide, data: &JsValue) -> Answer {
    let lent = protocol::take_bytes(data).dyn_into::<Array>().ok();
    let (reply, bytes) = match protocol::from_js::<Request>(data.clone()) {
        Ok(req) => {
            // A summary's pieces: copied out one at a time, as the engine
            // reads them, so the buffers stay whole to go back.
            let pieces = lent
                .iter()
                .flat_map(|a| a.iter())
                .map(|p| Uint8Array::new(&p).to_vec());
            side.handle(&req, pieces)
        }
        Err(e) => {
            let job = Reflect::get(data, &JsValue::from_str("job"))
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
    let mut answer = plain(&reply);
    if let Some(lent) = lent {
        let buffers: Array = lent
            .iter()
            .filter_map(|p| p.dyn_into::<Uint8Array>().ok())
            .map(|p| p.buffer())
            .collect();
        if Reflect::set(&answer.message, &JsValue::from_str(BYTES_KEY), &lent).is_ok() {
            answer.transfer = Some(buffers);
        }
        return answer;
    }
    let Some(bytes) = bytes else {
        return answer;
    };
    // Transferred, not copied: the page gets this very buffer.
    let array = Uint8Array::from(bytes.as_slice());
    if Reflect::set(&answer.message, &JsValue::from_str(BYTES_KEY), &array).is_ok() {
        answer.transfer = Some(Array::of1(&array.buffer()));
    }
    answer
}

fn plain(reply: &Reply) -> Answer {
    Answer {
        message: protocol::to_js(reply).map_or(JsValue::NULL, JsValue::from),
        transfer: None,
    }
}

/// Makes this worker answer the page's messages, and says Ready.
pub fn serve(scope: DedicatedWorkerGlobalScope) {
    let mut side = WorkerSide::new();
    let out = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        post(&out, answer(&mut side, &ev.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, ready());
}

fn post(scope: &DedicatedWorkerGlobalScope, answer: Answer) {
    let sent = match &answer.transfer {
        None => scope.post_message(&answer.message),
        Some(transfer) => scope.post_message_with_transfer(&answer.message, transfer),
    };
    if let Err(e) = sent {
        web_sys::console::warn_2(&JsValue::from_str("worker: could not reply"), &e);
    }
}
