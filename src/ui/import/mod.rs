//! "Import deals (CSV)": a CRM export in, the engine's calibration report
//! out, and its funnel into the form on request (with Undo).
//!
//! The file's bytes stay in the browser's memory (`FileBytes`); every read
//! hands a copy to a worker (`run::import`), which reads, counts and
//! reports, saying how many rows it has read as it goes. The page only
//! draws: a 50,000-row export no longer costs its main thread the read.
//! With no worker the same engine task runs here in 20 ms steps.

mod mapping;
mod report;
mod tools;

use funnel_engine::Scenario;
use funnel_engine::calibrate::task::{ImportSpec, Imported, Outcome};
use funnel_engine::calibrate::{DateOrder, Options, Report};
use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::browser;
use crate::calibration::{Mapping, problem_words, with_funnel};
use crate::form::{DEFAULT_SEED, DEFAULT_TRIALS, Draft, Run};
use crate::run::{self, Stopped};
use crate::ui::state::{Ctx, use_ctx};

/// The largest export the page reads (the command line's limit).
const MAX_BYTES: f64 = funnel_engine::cli::MAX_DEALS_BYTES as f64;

/// A file's bytes, held by the browser outside the page's wasm memory.
/// `Send` only in name (`SendWrapper`): signals ask for it, and the page
/// has one thread.
#[derive(Clone)]
pub struct FileBytes(SendWrapper<js_sys::Uint8Array>);

impl FileBytes {
    pub fn get(&self) -> &js_sys::Uint8Array {
        &self.0
    }

    pub fn len(&self) -> u64 {
        u64::from(self.0.length())
    }
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &FileBytes) -> bool {
        wasm_bindgen::JsValue::from(&*self.0) == wasm_bindgen::JsValue::from(&*other.0)
    }
}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileBytes({} bytes)", self.0.length())
    }
}

/// A file chosen, with its header once a read has found it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub bytes: FileBytes,
    pub headers: Vec<String>,
    /// Whether the header matched a layout by itself.
    pub detected: bool,
}

/// A file read and counted.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted {
    pub report: Report,
    /// The scenario the report makes, or why it cannot.
    pub scenario: Result<Scenario, Vec<String>>,
    /// How it was read, and the file: a backtest reads it again so.
    pub spec: ImportSpec,
    pub bytes: FileBytes,
}

/// How far a read has got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReadingNow {
    pub rows: u64,
    /// Share of the file's bytes read.
    pub share: f64,
}

/// The import's state, shared by its parts.
#[derive(Clone, Copy)]
pub struct ImportState {
    pub file: RwSignal<Option<Loaded>>,
    pub mapping: RwSignal<Mapping>,
    /// The stage order the user set (`None`: the order deals enter them).
    pub stages: RwSignal<Option<Vec<String>>>,
    pub date_order: RwSignal<Option<DateOrder>>,
    /// While reading: how far.
    pub reading: RwSignal<Option<ReadingNow>>,
    pub counted: RwSignal<Option<Result<std::sync::Arc<Counted>, Vec<String>>>>,
    /// The form before "Use these numbers", for Undo.
    pub before: RwSignal<Option<Draft>>,
    /// Bumped by every new read and by Stop: older reads stop.
    generation: StoredValue<u64>,
}

impl ImportState {
    fn new() -> ImportState {
        let (mapping, _) = Mapping::detected(&[]);
        ImportState {
            file: RwSignal::new(None),
            mapping: RwSignal::new(mapping),
            stages: RwSignal::new(None),
            date_order: RwSignal::new(None),
            reading: RwSignal::new(None),
            counted: RwSignal::new(None),
            before: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// A file's bytes arrived: a first read, which detects the layout.
    fn loaded(self, name: String, bytes: js_sys::Uint8Array) {
        self.stages.set(None);
        self.date_order.set(None);
        self.file.set(Some(Loaded {
            name,
            bytes: FileBytes(SendWrapper::new(bytes)),
            headers: Vec::new(),
            detected: false,
        }));
        self.start(true);
    }

    /// Reads the file with the mapping, stage order and date order shown.
    pub fn read(self) {
        self.start(false);
    }

    /// Stops the read under way; what was shown before stays.
    pub fn stop(self) {
        self.generation.update_value(|g| *g += 1);
        self.reading.set(None);
    }

    /// A read: `detect`, the layout from the header (a new file); else the
    /// mapping shown.
    fn start(self, detect: bool) {
        let Some(file) = self.file.get_untracked() else {
            return;
        };
        let layout = if detect {
            None
        } else {
            match self.mapping.get_untracked().layout(&file.headers) {
                Ok(l) => Some(l),
                Err(e) => {
                    self.counted.set(Some(Err(vec![e])));
                    return;
                }
            }
        };
        let spec = ImportSpec {
            name: file.name.clone(),
            options: Options {
                layout,
                stages: self.stages.get_untracked(),
                date_order: self.date_order.get_untracked(),
                as_of: None,
            },
            backtest: None,
        };
        let g = self.generation.get_value() + 1;
        self.generation.set_value(g);
        let current = move || self.generation.try_get_value() == Some(g);
        self.counted.set(None);
        self.reading.set(Some(ReadingNow {
            rows: 0,
            share: 0.0,
        }));
        let total = file.bytes.len().max(1) as f64;
        leptos::task::spawn_local(async move {
            let got = run::import(&spec, file.bytes.get(), current, |rows, bytes| {
                self.reading.set(Some(ReadingNow {
                    rows,
                    share: bytes as f64 / total,
                }))
            })
            .await;
            if !current() {
                return;
            }
            self.reading.set(None);
            match got {
                Ok(imported) => self.take(detect, spec, file, imported),
                Err(Stopped::Cancelled) => {}
                Err(Stopped::Refused(errors)) => self
                    .counted
                    .set(Some(Err(errors.iter().map(|e| e.to_string()).collect()))),
            }
        });
    }

    /// What a read found: the header (and, for a new file, the detected
    /// mapping), then the report or the file's problems.
    fn take(self, detect: bool, spec: ImportSpec, file: Loaded, imported: Imported) {
        let Imported {
            headers,
            layout,
            outcome,
        } = imported;
        if detect {
            if headers.is_empty() {
                // Not even a header: nothing to map.
                self.file.set(None);
            } else {
                let (mapping, found) = Mapping::detected(&headers);
                self.mapping.set(mapping);
                self.file.set(Some(Loaded {
                    headers,
                    detected: found.is_some(),
                    ..file.clone()
                }));
                if found.is_none() {
                    // The user maps the columns by hand, then reads again.
                    return;
                }
            }
        }
        match outcome {
            Ok(Outcome::Calibrated { report, scenario }) => {
                let scenario = scenario
                    .map_err(|ps| ps.iter().map(problem_words).collect())
                    .and_then(|json| {
                        Scenario::from_json(&json)
                            .map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
                    });
                if self.stages.get_untracked().is_none() {
                    self.stages
                        .set(Some(report.stages.iter().map(|s| s.name.clone()).collect()));
                }
                let spec = ImportSpec {
                    options: Options {
                        layout: layout.or(spec.options.layout),
                        ..spec.options
                    },
                    ..spec
                };
                self.counted.set(Some(Ok(std::sync::Arc::new(Counted {
                    report,
                    scenario,
                    spec,
                    bytes: file.bytes,
                }))));
            }
            Ok(Outcome::Backtest { .. }) => self.counted.set(Some(Err(vec![
                "The file was read for a backtest, not a calibration.".into(),
            ]))),
            Err(problems) => self
                .counted
                .set(Some(Err(problems.iter().map(problem_words).collect()))),
        }
    }
}

/// The toolbar's button (choose, or drop a file on it) and the panel.
#[component]
pub fn ImportDeals() -> impl IntoView {
    let ctx = use_ctx();
    let state = ImportState::new();
    let input = NodeRef::<html::Input>::new();
    let (over, set_over) = signal(false);

    let take = move |file: web_sys::File| {
        leptos::task::spawn_local(async move {
            match browser::read_bytes(&file, MAX_BYTES).await {
                Ok((name, bytes)) => {
                    ctx.announce.set(format!("Reading {name}."));
                    state.loaded(name, bytes);
                }
                Err(e) => {
                    state.file.set(None);
                    state.counted.set(Some(Err(vec![e])));
                }
            }
        });
    };

    let chosen = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        if let Some(file) = browser::chosen_file(&el) {
            take(file);
        }
        // Let the same file be chosen again later.
        el.set_value("");
    };

    let close = move |_| {
        state.stop();
        state.file.set(None);
        state.counted.set(None);
    };

    view! {
        <div
            class="import-deals"
            class:drag-over=over
            on:dragover=move |ev| {
                ev.prevent_default();
                set_over.set(true);
            }
            on:dragleave=move |_| set_over.set(false)
            on:drop=move |ev| {
                ev.prevent_default();
                set_over.set(false);
                if let Some(file) = browser::dropped_file(&ev) {
                    take(file);
                }
            }
        >
            <button
                type="button"
                id="import-deals"
                class="secondary"
                title="Choose a CSV export of deals, or drop it here"
                on:click=move |_| {
                    if let Some(el) = input.get_untracked() {
                        el.click();
                    }
                }
            >
                "Import deals (CSV)…"
            </button>
            <input
                type="file"
                id="import-deals-file"
                accept=".csv,.tsv,.txt,text/csv"
                class="visually-hidden"
                tabindex="-1"
                aria-hidden="true"
                node_ref=input
                on:change=chosen
            />
        </div>
        <Show when=move || {
            state.file.with(Option::is_some) || state.counted.with(Option::is_some)
                || state.reading.with(Option::is_some)
        }>
            <section class="import-panel" id="import-panel" aria-labelledby="import-title">
                <div class="import-head">
                    <h2 id="import-title">
                        {move || {
                            state
                                .file
                                .with(|f| f.as_ref().map(|f| format!("Deals from {}", f.name)))
                                .unwrap_or_else(|| "Import deals".into())
                        }}
                    </h2>
                    <button type="button" id="import-close" class="secondary" on:click=close>
                        "Close"
                    </button>
                </div>
                <p class="hint">
                    "Nothing is uploaded: the file is read in this page. "
                    "Nothing in the form changes until you choose “Use these numbers”."
                </p>
                <mapping::MappingForm state=state />
                {move || {
                    state
                        .reading
                        .get()
                        .map(|r| {
                            view! {
                                <div class="import-progress" role="status">
                                    <label for="import-progress">
                                        {if r.rows == 0 {
                                            "Reading the file…".to_string()
                                        } else {
                                            format!(
                                                "Reading the file… {} rows",
                                                crate::format::count(r.rows as f64),
                                            )
                                        }}
                                    </label>
                                    <progress
                                        id="import-progress"
                                        max="1"
                                        value=r.share
                                        data-rows=r.rows
                                    ></progress>
                                    <button
                                        type="button"
                                        id="import-stop"
                                        class="secondary"
                                        on:click=move |_| state.stop()
                                    >
                                        "Stop"
                                    </button>
                                </div>
                            }
                        })
                }}
                {move || {
                    state
                        .counted
                        .get()
                        .map(|c| match c {
                            Err(lines) => {
                                view! {
                                    <div class="import-problems" id="import-problems" role="alert">
                                        <h3>"The file could not be read"</h3>
                                        <ul>
                                            {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                        </ul>
                                        <p>"Your scenario is unchanged."</p>
                                    </div>
                                }
                                    .into_any()
                            }
                            Ok(counted) => {
                                view! {
                                    <report::ReportView counted=counted.clone() state=state />
                                    <tools::Tools counted=counted />
                                }
                                    .into_any()
                            }
                        })
                }}
            </section>
        </Show>
    }
}

/// Puts the calibrated funnel into the form: the scenario on the page with
/// its leads, stages and deal size replaced (a form with problems takes the
/// calibrated scenario whole).
pub fn apply(ctx: Ctx, state: ImportState, calibrated: &Scenario) {
    let run = match ctx.parsed.get_untracked() {
        Ok(run) => Run {
            scenario: with_funnel(&run.scenario, calibrated),
            ..run
        },
        Err(_) => Run {
            scenario: calibrated.clone(),
            trials: DEFAULT_TRIALS,
            seed: DEFAULT_SEED,
        },
    };
    if let Err(errors) = run.scenario.validate() {
        ctx.notice.set(Some(crate::ui::state::Notice {
            title: "The counted numbers do not fit this scenario".into(),
            lines: errors.0.iter().map(|e| e.to_string()).collect(),
            footer: "Your current scenario is unchanged.".into(),
        }));
        return;
    }
    state.before.set(Some(ctx.draft.get_untracked()));
    ctx.notice.set(None);
    ctx.load(&run);
    ctx.announce.set(
        "The counted funnel is in the form; the forecast is updating. Undo puts the form back."
            .into(),
    );
}

/// Puts the form back as it was before "Use these numbers".
pub fn undo(ctx: Ctx, state: ImportState) {
    if let Some(before) = state.before.get_untracked() {
        ctx.draft.set(before);
        state.before.set(None);
        ctx.announce
            .set("The form is back as it was before the import.".into());
    }
}
