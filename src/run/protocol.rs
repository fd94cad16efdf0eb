//! The messages between the page and its workers.
//!
//! Small messages go through serde-wasm-bindgen with 64-bit integers as
//! BigInt: a seed may be any u64, and a plain JS number would lose bits above
//! 2^53. A chunk's trials never go through serde: they travel as the bytes of
//! `Chunk::to_bytes`, in one transferred `ArrayBuffer` beside the message.

use funnel_engine::job::RunSpec;
use funnel_engine::{FieldError, Summary};
use serde::{Deserialize, Serialize};

/// Work for a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Trials `start..end` of `spec`. Every chunk of a job carries the same
    /// spec; the worker builds the simulation once per job.
    Run {
        job: u64,
        spec: RunSpec,
        start: u64,
        end: u64,
    },
    /// The summary of `spec`'s run, from all its trials: the bytes of every
    /// chunk in trial order, as an array of `Uint8Array`s in `BYTES_KEY`
    /// (copied, not transferred: the page keeps them to summarise again).
    Summarize { job: u64, spec: RunSpec },
}

impl Request {
    pub fn job(&self) -> u64 {
        match self {
            Request::Run { job, .. } | Request::Summarize { job, .. } => *job,
        }
    }
}

/// What a worker says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// Sent once, when its `onmessage` is set: before this, messages to a
    /// worker are dropped without a word.
    Ready { build: String },
    /// Trials `start..end` of `job` ran; their bytes are in `BYTES_KEY`.
    Chunk { job: u64, start: u64, end: u64 },
    /// The summary a `Request::Summarize` asked for.
    Summary { job: u64, summary: Box<Summary> },
    /// The engine would not run the job (its errors name field paths).
    Refused { job: u64, error: Vec<WireError> },
}

/// A `FieldError` on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    pub path: String,
    pub message: String,
}

impl From<&FieldError> for WireError {
    fn from(e: &FieldError) -> WireError {
        WireError {
            path: e.path.clone(),
            message: e.message.clone(),
        }
    }
}

impl From<WireError> for FieldError {
    fn from(e: WireError) -> FieldError {
        FieldError::new(e.path, e.message)
    }
}

/// The property that holds a message's bytes: a `Reply::Chunk`'s trials (a
/// `Uint8Array` whose buffer was transferred), a `Request::Summarize`'s
/// chunks (an array of them).
pub const BYTES_KEY: &str = "bytes";

/// Worker files are not content-hashed by Trunk, so after a deploy a page can
/// meet a stale cached worker. The id changes with the message shapes, the
/// chunk layout and the run format, and the page refuses a worker whose id is
/// not its own.
pub fn build_id() -> String {
    format!(
        "funnel-app {} protocol {PROTOCOL_HASH:016x}",
        env!("CARGO_PKG_VERSION")
    )
}

const PROTOCOL_HASH: u64 = fnv1a(
    concat!(
        include_str!("protocol.rs"),
        include_str!("../../engine/src/codec.rs"),
        include_str!("../../engine/src/job.rs"),
    )
    .as_bytes(),
);

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

/// Takes a message's bytes (`BYTES_KEY`) out of it, before serde reads the
/// rest: serde reads a tagged enum's every field, unknown ones too, and would
/// copy all the bytes into wasm memory only to drop them (a third of a second
/// for a million trials' pieces).
pub fn take_bytes(message: &wasm_bindgen::JsValue) -> wasm_bindgen::JsValue {
    let key = wasm_bindgen::JsValue::from_str(BYTES_KEY);
    let Some(object) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Object>(message) else {
        return wasm_bindgen::JsValue::UNDEFINED;
    };
    let bytes = js_sys::Reflect::get(object, &key).unwrap_or_default();
    let _ = js_sys::Reflect::delete_property(object, &key);
    bytes
}

fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true)
}

/// A message as a JS value (in the browser only).
pub fn to_js<T: Serialize>(value: &T) -> Result<wasm_bindgen::JsValue, String> {
    value.serialize(&serializer()).map_err(|e| e.to_string())
}

/// A JS value as a message (in the browser only).
pub fn from_js<T: for<'de> Deserialize<'de>>(value: wasm_bindgen::JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::Scenario;
    use funnel_engine::job::Change;
    use funnel_engine::levers::LeverKind;

    fn spec() -> RunSpec {
        let s = Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap();
        RunSpec::new(&s, 50_000, u64::MAX, Change::None)
    }

    // serde_json stands in for serde-wasm-bindgen here: both walk the same
    // serde data model, so the shapes below are the ones on the wire.
    #[test]
    fn requests_round_trip_with_every_change() {
        let s = spec();
        let changes = [
            Change::None,
            Change::Lever {
                lever: LeverKind::Leads,
                direction: funnel_engine::levers::Direction::Up,
            },
            Change::Goal {
                lever: funnel_engine::goal::GoalLever::Leads,
                value: 1234.5678,
            },
        ];
        for change in changes {
            let spec = RunSpec {
                change,
                ..s.clone()
            };
            let run = Request::Run {
                job: 7,
                spec: spec.clone(),
                start: 3_000,
                end: 4_000,
            };
            let summarize = Request::Summarize { job: 8, spec };
            for req in [run, summarize] {
                let json = serde_json::to_string(&req).unwrap();
                assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), req);
            }
        }
    }

    #[test]
    fn replies_are_tagged_by_kind() {
        let ready = Reply::Ready { build: build_id() };
        let json = serde_json::to_value(&ready).unwrap();
        assert_eq!(json["kind"], "ready");
        let chunk = Reply::Chunk {
            job: 1,
            start: 0,
            end: 1_000,
        };
        assert_eq!(
            serde_json::to_value(&chunk).unwrap(),
            serde_json::json!({"kind": "chunk", "job": 1, "start": 0, "end": 1000})
        );
        let refused = Reply::Refused {
            job: 2,
            error: vec![WireError::from(&FieldError::new(
                "trials",
                "must be at least 1",
            ))],
        };
        let json = serde_json::to_string(&refused).unwrap();
        assert!(json.contains(r#""error":[{"path":"trials","message":"must be at least 1"}]"#));
        for r in [ready, chunk, refused] {
            let back: Reply = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
            assert_eq!(back, r);
        }
        // The bytes ride beside the message under their own key, which the
        // reply's fields must not shadow and serde must ignore.
        let mut with_bytes = serde_json::to_value(Reply::Chunk {
            job: 1,
            start: 0,
            end: 5,
        })
        .unwrap();
        with_bytes[BYTES_KEY] = serde_json::json!([1, 2, 3]);
        assert!(serde_json::from_value::<Reply>(with_bytes).is_ok());
    }

    #[test]
    fn a_summary_crosses_to_the_bit() {
        // Plans, a target and milestones: every optional part of a summary.
        for json in [
            include_str!("../../scenarios/team-50-reps.json"),
            include_str!("../../scenarios/reference.json"),
        ] {
            let scenario = Scenario::from_json(json).unwrap();
            let sim = funnel_engine::Simulation::new(&scenario, 300, 5).unwrap();
            let summary = Summary::new(&sim, &sim.run_all());
            let reply = Reply::Summary {
                job: 4,
                summary: Box::new(summary),
            };
            let text = serde_json::to_string(&reply).unwrap();
            assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), reply);
        }
    }

    #[test]
    fn the_build_id_names_the_version_and_protocol() {
        let id = build_id();
        assert!(id.starts_with(concat!("funnel-app ", env!("CARGO_PKG_VERSION"))));
        assert_eq!(id, build_id());
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
