//! The app's state, shared through context: the form (a `Draft`), what it
//! parses to, the last results and the state of the running job.
//!
//! Derived values are memos; effects only talk to the outside world (the URL,
//! timers). The controller below turns each settled, valid change into a job.

use std::sync::Arc;

use funnel_engine::FieldError;
use leptos::prelude::*;

use crate::browser;
use crate::form::{Draft, Run};
use crate::jobs::headline::{self, Ended, Forecast};
use crate::share::link;
use crate::share::presets::{self, Preset};

/// Milliseconds a change must settle before it is simulated.
pub const DEBOUNCE_MS: i32 = 300;

/// Where the simulation stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing running; the results match the inputs.
    Idle,
    /// A valid change is settling; a run starts shortly.
    Waiting,
    Running {
        done: u64,
        total: u64,
    },
    /// The user stopped the run; the results are for earlier inputs.
    Stopped,
    /// The inputs have errors; the results are for the last valid ones.
    Invalid,
    /// The engine refused the run.
    Failed,
}

/// A message above the form: a link or a file that could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
    pub footer: String,
}

#[derive(Clone, Copy)]
pub struct Ctx {
    pub draft: RwSignal<Draft>,
    /// The form, read: a run, or every problem with its field path.
    pub parsed: Memo<Result<Run, Vec<FieldError>>>,
    /// Problems to show at fields: the form's own and any the engine raised.
    pub errors: Memo<Vec<FieldError>>,
    /// Problems the engine raised when asked to run (rare).
    pub refused: RwSignal<Vec<FieldError>>,
    pub results: RwSignal<Option<Arc<Forecast>>>,
    pub phase: RwSignal<Phase>,
    /// Text for the screen-reader live region.
    pub announce: RwSignal<String>,
    pub notice: RwSignal<Option<Notice>>,
    /// Where runs go (how many workers, or the page itself); `None` until the
    /// first run has started the pool.
    pub runner: RwSignal<Option<crate::run::PoolInfo>>,
    /// Bumped by every change; a job runs only while it holds the current value.
    generation: StoredValue<u64>,
    /// The first URL update replaces the entry instead of adding one.
    first_sync: StoredValue<bool>,
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    /// Sets up the state from the page's URL and starts the controller.
    pub fn start() -> Ctx {
        let (initial, notice) = initial_run();
        let draft = RwSignal::new(Draft::from_scenario(
            &initial.scenario,
            initial.trials,
            initial.seed,
        ));
        let parsed = Memo::new(move |_| draft.with(Draft::to_run));
        let refused = RwSignal::new(Vec::<FieldError>::new());
        let errors = Memo::new(move |_| {
            let mut all = parsed.with(|p| p.as_ref().err().cloned().unwrap_or_default());
            let engine = refused.get();
            draft.with_untracked(|d| all.extend(engine.iter().map(|e| d.reword(e))));
            all
        });
        let ctx = Ctx {
            draft,
            parsed,
            errors,
            refused,
            results: RwSignal::new(None),
            phase: RwSignal::new(Phase::Waiting),
            announce: RwSignal::new(String::new()),
            notice: RwSignal::new(notice),
            runner: RwSignal::new(None),
            generation: StoredValue::new(0),
            first_sync: StoredValue::new(true),
        };
        ctx.start_controller();
        ctx.listen_to_history();
        ctx
    }

    /// The error at exactly this field path.
    pub fn error_at(&self, path: &str) -> Option<String> {
        self.errors.with(|es| {
            es.iter()
                .find(|e| e.path == path)
                .map(|e| e.message.clone())
        })
    }

    /// Replaces the form (a preset, an imported file, a link).
    pub fn load(&self, run: &Run) {
        self.draft
            .set(Draft::from_scenario(&run.scenario, run.trials, run.seed));
    }

    pub fn load_preset(&self, preset: &Preset) {
        self.load(&Run {
            scenario: preset.scenario(),
            trials: preset.trials,
            seed: preset.seed,
        });
    }

    fn bump(&self) -> u64 {
        let g = self.generation.get_value() + 1;
        self.generation.set_value(g);
        g
    }

    /// Whether job `g` is still the current one (no edit or Stop since).
    pub fn is_current(&self, g: u64) -> bool {
        self.generation.try_get_value() == Some(g)
    }

    /// The current job's number: background work started now (levers,
    /// goals) runs while `is_current` says so, so any edit cancels it.
    pub fn generation(&self) -> u64 {
        self.generation.get_value()
    }

    /// Every change of the parsed form cancels what runs and, once the
    /// change settles, updates the URL and starts a new run.
    fn start_controller(self) {
        Effect::new(move |previous: Option<()>| {
            let parsed = self.parsed.get();
            let g = self.bump();
            self.refused.set(Vec::new());
            match parsed {
                Err(_) => self.phase.set(Phase::Invalid),
                Ok(run) => {
                    self.phase.set(Phase::Waiting);
                    // The first run starts at once; later ones wait for typing to pause.
                    let delay = if previous.is_none() { 0 } else { DEBOUNCE_MS };
                    leptos::task::spawn_local(async move {
                        browser::sleep(delay).await;
                        if !self.is_current(g) {
                            return;
                        }
                        self.sync_url(&run);
                        // Typed back to what is on screen: nothing to compute.
                        if self
                            .results
                            .with_untracked(|r| r.as_ref().is_some_and(|o| o.run == run))
                        {
                            self.phase.set(Phase::Idle);
                            return;
                        }
                        self.run(run, g).await;
                    });
                }
            }
        });
    }

    /// Runs `run` as job `g`, publishing progress and, if still current, the results.
    async fn run(self, run: Run, g: u64) {
        let total = run.trials;
        self.phase.set(Phase::Running { done: 0, total });
        self.announce.set("Simulating…".into());
        let previous = self.results.get_untracked();
        let ended = headline::simulate(
            run,
            previous,
            move || self.is_current(g),
            move |done, total| {
                if self.is_current(g) {
                    self.phase.set(Phase::Running { done, total });
                }
            },
        )
        .await;
        self.runner.set(crate::run::pool_info());
        if !self.is_current(g) {
            return;
        }
        match ended {
            Ended::Done(forecast) => {
                self.announce
                    .set(crate::words::headline::updated_announcement(
                        &forecast.summary,
                    ));
                self.results.set(Some(forecast));
                self.phase.set(Phase::Idle);
            }
            Ended::Cancelled => {}
            Ended::Refused(errors) => {
                self.announce
                    .set("The simulation could not run; see the marked fields.".into());
                self.refused.set(errors);
                self.phase.set(Phase::Failed);
            }
        }
    }

    /// Stops the running job; the results stay, marked as for earlier inputs.
    pub fn stop(&self) {
        self.bump();
        // The bump alone would stop the runs at their next look (a tick
        // later); this drops their queued chunks now.
        crate::run::stop_all();
        self.phase.set(Phase::Stopped);
        self.announce
            .set("Stopped. The results shown are for earlier inputs.".into());
    }

    /// Runs the current inputs now (after a stop).
    pub fn run_now(&self) {
        if let Ok(run) = self.parsed.get_untracked() {
            let g = self.bump();
            let ctx = *self;
            leptos::task::spawn_local(async move {
                ctx.sync_url(&run);
                ctx.run(run, g).await;
            });
        }
    }

    /// Puts the run in the URL: a new history entry when it differs from what
    /// the URL holds (the first time, replacing the entry instead).
    pub fn sync_url(&self, run: &Run) {
        let current = browser::hash();
        let first = self.first_sync.get_value();
        self.first_sync.set_value(false);
        if link::decode(&current).ok().flatten().as_ref() == Some(run) {
            return;
        }
        browser::set_hash(&link::encode_keeping(run, &current), !first);
    }

    /// Back and forward restore the scenario from the URL, without pushing.
    fn listen_to_history(self) {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            match link::decode(&browser::hash()) {
                Ok(Some(run)) => {
                    self.notice.set(None);
                    self.load(&run);
                }
                Ok(None) => {
                    self.notice.set(None);
                    self.load_preset(presets::default_preset());
                }
                Err(e) => self.notice.set(Some(bad_link_notice(&e))),
            }
        });
        on_cleanup(move || handle.remove());
    }
}

/// The run the page opens with: the link's, else the default preset.
fn initial_run() -> (Run, Option<Notice>) {
    let preset = presets::default_preset();
    let fallback = Run {
        scenario: preset.scenario(),
        trials: preset.trials,
        seed: preset.seed,
    };
    match link::decode(&browser::hash()) {
        Ok(Some(run)) => (run, None),
        Ok(None) => (fallback, None),
        Err(e) => (fallback, Some(bad_link_notice(&e))),
    }
}

fn bad_link_notice(e: &link::LinkError) -> Notice {
    Notice {
        title: "This link could not be read".into(),
        lines: e.0.clone(),
        footer: format!(
            "Showing the “{}” example instead.",
            presets::default_preset().scenario().name
        ),
    }
}
