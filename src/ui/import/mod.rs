//! "Import deals (CSV)": a CRM export in, the engine's calibration report
//! out, and its funnel into the form on request (with Undo).
//!
//! The file is read on the page's main thread in steps of about 20 ms
//! (`calibrate::Import::step`), the browser getting its turn between them
//! and a progress bar showing the bytes read: the engine's reader borrows
//! the text, and a 50,000-row export is some 60 steps, so moving it to a
//! worker would buy little for the copy of the file it costs.

mod mapping;
mod report;
mod tools;

use std::sync::Arc;

use funnel_engine::Scenario;
use funnel_engine::calibrate::{self, DateOrder, Deals, Import, Layout, Problem, Report, count};
use leptos::html;
use leptos::prelude::*;

use crate::browser;
use crate::calibration::{Mapping, problem_words, with_funnel};
use crate::form::{DEFAULT_SEED, DEFAULT_TRIALS, Draft, Run};
use crate::ui::state::{Ctx, use_ctx};

/// The largest export the page reads (the command line's limit).
const MAX_BYTES: f64 = funnel_engine::cli::MAX_DEALS_BYTES as f64;
/// What a step aims at, in milliseconds.
const STEP_MS: f64 = 20.0;

/// A file chosen, with its header.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub text: Arc<String>,
    pub headers: Vec<String>,
    /// Whether the header matched a layout by itself.
    pub detected: bool,
}

/// A file read and counted.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted {
    pub deals: Arc<Deals>,
    pub report: Report,
    /// The scenario the report makes, or why it cannot.
    pub scenario: Result<Scenario, Vec<String>>,
}

/// The import's state, shared by its parts.
#[derive(Clone, Copy)]
pub struct ImportState {
    pub file: RwSignal<Option<Loaded>>,
    pub mapping: RwSignal<Mapping>,
    /// The stage order the user set (`None`: the order deals enter them).
    pub stages: RwSignal<Option<Vec<String>>>,
    pub date_order: RwSignal<Option<DateOrder>>,
    /// Share of the file read, while reading.
    pub reading: RwSignal<Option<f64>>,
    pub counted: RwSignal<Option<Result<Arc<Counted>, Vec<String>>>>,
    /// The form before "Use these numbers", for Undo.
    pub before: RwSignal<Option<Draft>>,
    /// Bumped by every new read: older reads stop.
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

    /// A file's text arrived: its header, the detected mapping, and a first
    /// read when detection found a layout.
    fn loaded(self, name: String, text: String) {
        self.counted.set(None);
        self.stages.set(None);
        self.date_order.set(None);
        match calibrate::read::header(&text) {
            Err(p) => {
                self.file.set(None);
                self.counted.set(Some(Err(vec![problem_words(&p)])));
            }
            Ok((_, headers)) => {
                let (mapping, layout) = Mapping::detected(&headers);
                self.mapping.set(mapping);
                self.file.set(Some(Loaded {
                    name,
                    text: Arc::new(text),
                    headers,
                    detected: layout.is_some(),
                }));
                if layout.is_some() {
                    self.read();
                }
            }
        }
    }

    /// Reads the file with the mapping, stage order and date order shown.
    pub fn read(self) {
        let Some(file) = self.file.get_untracked() else {
            return;
        };
        let layout = match self.mapping.get_untracked().layout(&file.headers) {
            Ok(l) => l,
            Err(e) => {
                self.counted.set(Some(Err(vec![e])));
                return;
            }
        };
        let stages = self.stages.get_untracked();
        let order = self.date_order.get_untracked();
        let g = self.generation.get_value() + 1;
        self.generation.set_value(g);
        let current = move || self.generation.try_get_value() == Some(g);
        self.counted.set(None);
        self.reading.set(Some(0.0));
        leptos::task::spawn_local(async move {
            let read = read_in_steps(&file.text, layout, stages, order, &current, |f| {
                self.reading.set(Some(f))
            })
            .await;
            if !current() {
                return;
            }
            self.reading.set(None);
            let stem = file
                .name
                .rsplit_once('.')
                .map_or(file.name.as_str(), |(s, _)| s);
            let counted = read.and_then(|deals| {
                let counts = count(&deals, None)?;
                let report = Report::new(&counts);
                let scenario = report
                    .scenario(
                        &format!("Calibrated from {stem} as of {}", report.as_of),
                        12,
                    )
                    .map_err(|ps| ps.iter().map(problem_words).collect());
                Ok(Counted {
                    deals: Arc::new(deals),
                    report,
                    scenario,
                })
            });
            match counted {
                Ok(c) => {
                    if self.stages.get_untracked().is_none() {
                        self.stages.set(Some(
                            c.report.stages.iter().map(|s| s.name.clone()).collect(),
                        ));
                    }
                    self.counted.set(Some(Ok(Arc::new(c))));
                }
                Err(problems) => self
                    .counted
                    .set(Some(Err(problems.iter().map(problem_words).collect()))),
            }
        });
    }
}

/// The engine's stepwise reader, in steps of about [`STEP_MS`], yielding to
/// the browser between them.
async fn read_in_steps(
    text: &str,
    layout: Layout,
    stages: Option<Vec<String>>,
    order: Option<DateOrder>,
    current: &impl Fn() -> bool,
    progress: impl Fn(f64),
) -> Result<Deals, Vec<Problem>> {
    let mut import = Import::new(text, Some(layout), stages.as_deref(), order)?;
    let total = text.len().max(1) as f64;
    let mut rows = 256u64;
    loop {
        let t0 = browser::now_ms();
        let p = import.step(rows)?;
        let ms = browser::now_ms() - t0;
        progress(p.bytes as f64 / total);
        if p.done {
            break;
        }
        // Aim at STEP_MS a step; grow at most fourfold at a time.
        let per_row = ms / rows as f64;
        rows = if per_row > 0.0 {
            ((STEP_MS / per_row) as u64).clamp(16, rows.saturating_mul(4))
        } else {
            rows.saturating_mul(4)
        };
        browser::sleep(0).await;
        if !current() {
            return Err(Vec::new());
        }
    }
    import.finish()
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
            match browser::read_text(&file, MAX_BYTES).await {
                Ok((name, text)) => {
                    ctx.announce.set(format!("Reading {name}."));
                    state.loaded(name, text);
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
        state.file.set(None);
        state.counted.set(None);
        state.reading.set(None);
        state.generation.update_value(|g| *g += 1);
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
                        .map(|f| {
                            view! {
                                <div class="import-progress">
                                    <label for="import-progress">"Reading the file…"</label>
                                    <progress id="import-progress" max="1" value=f></progress>
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
