//! The worker's message handling (`run::worker_js::answer`) inside a real
//! dedicated worker in Chromium, with the messages the page really sends:
//! serde-wasm-bindgen objects with BigInt u64s, chunk bytes in transferred
//! buffers, a summary's pieces as an array of `Uint8Array`s.
//!
//! `cargo test -p funnel-app --target wasm32-unknown-unknown --test worker_wasm`
//! with `CHROMEDRIVER` set (scripts/test sets it to Debian's chromedriver).
#![cfg(target_arch = "wasm32")]

use funnel_app::run::protocol::{self, BYTES_KEY, Reply, Request};
use funnel_app::run::worker_js::{self, Answer};
use funnel_app::run::worker_side::WorkerSide;
use funnel_engine::job::{Change, RunSpec};
use funnel_engine::{Chunk, Scenario, Summary};
use js_sys::{Array, ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn spec(trials: u64, seed: u64) -> RunSpec {
    let s = Scenario::from_json(include_str!("../scenarios/team-50-reps.json")).unwrap();
    RunSpec::new(&s, trials, seed, Change::None)
}

fn reply(answer: &Answer) -> Reply {
    protocol::from_js(answer.message.clone()).unwrap()
}

fn bytes(answer: &Answer) -> Vec<u8> {
    Reflect::get(&answer.message, &JsValue::from_str(BYTES_KEY))
        .unwrap()
        .dyn_into::<Uint8Array>()
        .unwrap()
        .to_vec()
}

#[wasm_bindgen_test]
fn this_is_a_dedicated_worker() {
    assert!(
        js_sys::global()
            .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
            .is_ok()
    );
    assert_eq!(
        reply(&worker_js::ready()),
        Reply::Ready {
            build: protocol::build_id()
        }
    );
}

#[wasm_bindgen_test]
fn a_run_gets_its_chunk_in_a_transferred_buffer() {
    // A seed above 2^53: a JS number would lose its last bits.
    let spec = spec(400, u64::MAX - 2);
    let msg = protocol::to_js(&Request::Run {
        job: 7,
        spec: spec.clone(),
        start: 100,
        end: 250,
    })
    .unwrap();
    let seed = Reflect::get(&Reflect::get(&msg, &"spec".into()).unwrap(), &"seed".into()).unwrap();
    assert!(seed.is_bigint(), "u64 as BigInt on the wire");
    let mut side = WorkerSide::new();
    let answer = worker_js::answer(&mut side, &msg);
    assert_eq!(
        reply(&answer),
        Reply::Chunk {
            job: 7,
            start: 100,
            end: 250
        }
    );
    let transfer = answer.transfer.as_ref().expect("the buffer is transferred");
    assert_eq!(transfer.length(), 1);
    assert!(transfer.get(0).is_instance_of::<ArrayBuffer>());
    let direct = spec.simulation().unwrap().run_chunk(100..250);
    assert_eq!(Chunk::from_bytes(&bytes(&answer)).unwrap(), direct);
}

#[wasm_bindgen_test]
fn a_summary_of_pieces_is_the_summary_of_the_run() {
    let spec = spec(2_300, 3);
    let sim = spec.simulation().unwrap();
    let mut side = WorkerSide::new();
    // The pieces as the page holds them: the bytes that came back from runs.
    let pieces: Array = funnel_app::run::chunks(2_300)
        .map(|(start, end)| {
            let msg = protocol::to_js(&Request::Run {
                job: 1,
                spec: spec.clone(),
                start,
                end,
            })
            .unwrap();
            JsValue::from(Uint8Array::from(
                bytes(&worker_js::answer(&mut side, &msg)).as_slice(),
            ))
        })
        .collect();
    let msg = protocol::to_js(&Request::Summarize {
        job: 2,
        spec: spec.clone(),
    })
    .unwrap();
    Reflect::set(&msg, &JsValue::from_str(BYTES_KEY), &pieces).unwrap();
    let answer = worker_js::answer(&mut WorkerSide::new(), &msg);
    // Lent, so sent back: the same pieces, their buffers transferred again.
    let back = Reflect::get(&answer.message, &JsValue::from_str(BYTES_KEY)).unwrap();
    assert_eq!(back, JsValue::from(pieces.clone()));
    assert_eq!(answer.transfer.as_ref().map(Array::length), Some(3));
    let Reply::Summary { job: 2, summary } = reply(&answer) else {
        panic!("not a summary")
    };
    assert_eq!(*summary, Summary::new(&sim, &sim.run_all()));

    // One piece missing: refused, with the reason, not a wrong summary.
    pieces.splice(1, 1, &JsValue::UNDEFINED);
    Reflect::set(&msg, &JsValue::from_str(BYTES_KEY), &pieces).unwrap();
    let answer = worker_js::answer(&mut side, &msg);
    assert!(matches!(reply(&answer), Reply::Refused { job: 2, .. }));
    // Refused, and still sent back, all but the hole.
    assert_eq!(answer.transfer.as_ref().map(Array::length), Some(2));
}

#[wasm_bindgen_test]
fn an_unreadable_message_is_refused_for_the_job_it_names() {
    let mut side = WorkerSide::new();
    let msg = js_sys::Object::new();
    Reflect::set(&msg, &"kind".into(), &"run".into()).unwrap();
    Reflect::set(&msg, &"job".into(), &JsValue::bigint_from_str("12")).unwrap();
    let answer = worker_js::answer(&mut side, &msg.into());
    let Reply::Refused { job: 12, error } = reply(&answer) else {
        panic!("not refused")
    };
    assert!(
        error[0]
            .message
            .starts_with("the worker could not read its work")
    );
    for junk in [JsValue::NULL, JsValue::from_str("run"), JsValue::from(1.5)] {
        assert!(matches!(
            reply(&worker_js::answer(&mut side, &junk)),
            Reply::Refused { job: 0, .. }
        ));
    }
}
