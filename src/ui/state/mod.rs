//! The app's state, shared through context: the form (a `Draft`), what it
//! parses to, the last results, the headline job and the what-ifs applied.
//!
//! Derived values are memos (the phase, the errors shown); the one effect
//! feeds each change of the form to the `Controller` and talks to timers,
//! workers and the URL. The transitions themselves are plain data
//! (`controller`, `what_ifs`), tested natively.

pub mod controller;
pub mod levers;
pub mod what_ifs;

use std::sync::Arc;

use funnel_engine::FieldError;
use leptos::prelude::*;

use crate::browser;
use crate::classroom::lock::Lock;
use crate::classroom::student::Student;
use crate::form::{Draft, Run};
use crate::jobs::headline::{self, Ended, Forecast};
use crate::share::link;
use crate::share::presets::{self, Preset};
pub use controller::{Controller, DEBOUNCE_MS, Job, Phase};
pub use what_ifs::{WhatIf, WhatIfSource, WhatIfs};

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
    pub results: RwSignal<Option<Arc<Forecast>>>,
    /// What the last headline job is doing (written by the job as it goes).
    pub job: RwSignal<Job>,
    /// Where the simulation stands: derived from the form, the job and the results.
    pub phase: Memo<Phase>,
    /// What-ifs applied, the latest last.
    pub what_ifs: RwSignal<WhatIfs>,
    /// Text for the screen-reader live region.
    pub announce: RwSignal<String>,
    pub notice: RwSignal<Option<Notice>>,
    /// Where runs go (how many workers, or the page itself); `None` until the
    /// first run has started the pool.
    pub runner: RwSignal<Option<crate::run::PoolInfo>>,
    /// A student's view: set when the loaded scenario (link, file, preset)
    /// has an exercise; it keeps the case as given and the student's name.
    pub student: RwSignal<Option<Student>>,
    /// What the form may change in a student's view (`None`: everything).
    pub lock: Memo<Option<Lock>>,
    /// Which job is current: not reactive, read by jobs between chunks.
    controller: StoredValue<Controller>,
    /// The first URL update replaces the entry instead of adding one.
    first_sync: StoredValue<bool>,
    /// The run the URL holds, as far as the page knows (read at start and
    /// on Back, written by `sync_url`), so that an edit needs no decoding of
    /// the old link to know it changed.
    url_run: StoredValue<Option<Run>>,
    /// The example shown in place of a link that could not be read. Until
    /// the form differs from it the address bar keeps the broken link, so
    /// that the user can see it and mend it (a cut-off copy, most often).
    bad_link: StoredValue<Option<Run>>,
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    /// Sets up the state from the page's URL and starts the controller.
    pub fn start() -> Ctx {
        let (initial, notice, from_link) = initial_run();
        let bad_link = notice.is_some().then(|| initial.clone());
        let student = Student::new(
            &initial,
            &link::student(&browser::hash()).unwrap_or_default(),
        );
        let shown = student
            .as_ref()
            .map_or_else(|| initial.clone(), Student::run);
        let draft = RwSignal::new(Draft::from_scenario(
            &shown.scenario,
            shown.trials,
            shown.seed,
        ));
        let student = RwSignal::new(student);
        let lock = Memo::new(move |_| student.with(|s| s.as_ref().map(Student::lock)));
        let parsed = Memo::new(move |_| draft.with(Draft::to_run));
        let job = RwSignal::new(Job::None);
        let results = RwSignal::new(None::<Arc<Forecast>>);
        let errors = Memo::new(move |_| {
            parsed.with(|p| match p {
                Err(errors) => errors.clone(),
                Ok(run) => job.with(|j| {
                    draft.with_untracked(|d| {
                        j.refused(Some(run)).iter().map(|e| d.reword(e)).collect()
                    })
                }),
            })
        });
        let phase = Memo::new(move |_| {
            parsed.with(|p| {
                job.with(|j| results.with(|r| controller::phase(p, j, r.as_ref().map(|f| &f.run))))
            })
        });
        let ctx = Ctx {
            draft,
            parsed,
            errors,
            results,
            job,
            phase,
            what_ifs: RwSignal::new(WhatIfs::default()),
            announce: RwSignal::new(String::new()),
            notice: RwSignal::new(notice),
            runner: RwSignal::new(None),
            student,
            lock,
            controller: StoredValue::new(Controller::default()),
            first_sync: StoredValue::new(true),
            url_run: StoredValue::new(from_link.then(|| initial.clone())),
            bad_link: StoredValue::new(bad_link),
        };
        ctx.start_controller();
        ctx.listen_to_history();
        // The tab's title follows the scenario's name (the outside world: the document).
        Effect::new(move |_| {
            browser::set_title(&crate::words::headline::page_title(
                &draft.with(|d| d.name.clone()),
            ))
        });
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

    /// Replaces the form (a preset, an imported file, a link). A run with
    /// an exercise opens a student's view of it, keeping the name typed so
    /// far unless `name` (a link's `student=`) says otherwise.
    pub fn load(&self, run: &Run) {
        self.load_for(run, None);
    }

    fn load_for(&self, run: &Run, name: Option<String>) {
        let name = name.unwrap_or_else(|| {
            self.student
                .with_untracked(|s| s.as_ref().map(|s| s.name.clone()))
                .unwrap_or_default()
        });
        let student = Student::new(run, &name);
        let shown = student.as_ref().map_or_else(|| run.clone(), Student::run);
        self.student.set(student);
        self.set_form(&shown);
    }

    fn set_form(&self, run: &Run) {
        self.draft
            .set(Draft::from_scenario(&run.scenario, run.trials, run.seed));
    }

    /// What Export writes: in a student's view the exercise as it was
    /// given (a file of a student's variant would be another exercise, and
    /// give every student other numbers), else the form's run.
    pub fn run_to_export(&self) -> Option<Run> {
        self.student
            .with_untracked(|s| s.as_ref().map(|s| s.case.clone()))
            .or_else(|| self.parsed.get_untracked().ok())
    }

    /// The student typed their name: the form shows their variant (their
    /// edits start again from it) and the URL keeps the name.
    pub fn set_student_name(&self, name: &str) {
        let mut shown = None;
        self.student.update(|s| {
            if let Some(s) = s.as_mut() {
                s.name = name.to_owned();
                shown = Some(s.run());
            }
        });
        if let Some(run) = shown {
            self.set_form(&run);
            self.sync_url(&run);
        }
    }

    pub fn load_preset(&self, preset: &Preset) {
        self.load(&Run {
            scenario: preset.scenario(),
            trials: preset.trials,
            seed: preset.seed,
        });
    }

    /// Whether job `g` is still the current one (no edit or Stop since).
    pub fn is_current(&self, g: u64) -> bool {
        self.controller.try_with_value(|c| c.is_current(g)) == Some(true)
    }

    /// The current job's number: background work started now (levers,
    /// goals) runs while `is_current` says so, so any edit cancels it.
    pub fn generation(&self) -> u64 {
        self.controller.with_value(Controller::current)
    }

    /// Every change of the parsed form cancels what runs and, once the
    /// change settles, updates the URL and starts a new run. This effect
    /// writes no signal: the phase follows from the form and the job.
    fn start_controller(self) {
        Effect::new(move |_| {
            let parsed = self.parsed.get();
            let started = self
                .controller
                .try_update_value(|c| c.edited(parsed.is_ok()))
                .flatten();
            let (Some((g, delay)), Ok(run)) = (started, parsed) else {
                return;
            };
            leptos::task::spawn_local(async move {
                browser::sleep(delay).await;
                if !self.is_current(g) {
                    return;
                }
                self.follow_edit(&run);
                let shown = self
                    .results
                    .with_untracked(|r| r.as_ref().map(|f| f.run.clone()));
                if controller::needs_run(&run, shown.as_ref()) {
                    self.run(run, g).await;
                }
            });
        });
    }

    /// Runs `run` as job `g`, publishing progress and, if still current, the results.
    async fn run(self, run: Run, g: u64) {
        let total = run.trials;
        self.job.set(Job::Running {
            id: g,
            run: run.clone(),
            done: 0,
            total,
        });
        self.announce.set("Simulating…".into());
        let previous = self.results.get_untracked();
        let ended = headline::simulate(
            run.clone(),
            previous,
            move || self.is_current(g),
            move |done, total| self.job.update(|j| j.progress(g, done, total)),
        )
        .await;
        self.runner.set(crate::run::pool_info());
        if !self.is_current(g) {
            // Cancelled by an edit (Stop has set its own state): the job's
            // progress must not stand for the next run's.
            self.job.update(|j| {
                if matches!(j, Job::Running { id, .. } if *id == g) {
                    *j = Job::None;
                }
            });
            return;
        }
        match ended {
            Ended::Done(forecast) => {
                self.announce
                    .set(crate::words::headline::updated_announcement(
                        &forecast.summary,
                    ));
                self.results.set(Some(forecast));
                self.job.set(Job::None);
            }
            Ended::Cancelled => {}
            Ended::Refused(errors) => {
                self.announce
                    .set("The simulation could not run; see the marked fields.".into());
                self.job.set(Job::Failed { run, errors });
            }
        }
    }

    /// Stops the running job; the results stay, marked as for earlier inputs.
    pub fn stop(&self) {
        self.controller.update_value(Controller::stop);
        // Making the jobs stale alone would stop the runs at their next look
        // (a tick later); this drops their queued chunks now.
        crate::run::stop_all();
        self.job.set(Job::Stopped {
            run: self.parsed.get_untracked().ok(),
        });
        self.announce
            .set("Stopped. The results shown are for earlier inputs.".into());
    }

    /// Runs the current inputs now (after a stop).
    pub fn run_now(&self) {
        if let Ok(run) = self.parsed.get_untracked() {
            let g = self
                .controller
                .try_update_value(Controller::run_now)
                .unwrap_or_default();
            let ctx = *self;
            leptos::task::spawn_local(async move {
                ctx.sync_url(&run);
                ctx.run(run, g).await;
            });
        }
    }

    /// Applies `run` to the form as a what-if named `label`.
    pub fn apply_what_if(&self, mut run: Run, label: String, source: WhatIfSource) {
        let before = self.draft.get_untracked();
        let before_run = self.parsed.get_untracked().ok();
        // In an exercise a what-if may move only what the student may change.
        let open = self.lock.with_untracked(|lock| {
            let (Some(lock), Some(b)) = (lock, &before_run) else {
                return Some(None);
            };
            lock.open_part(&b.scenario, &run.scenario).map(Some)
        });
        match open {
            Some(Some(scenario)) => run.scenario = scenario,
            Some(None) => {}
            None => {
                self.refuse_what_if(&label);
                return;
            }
        }
        self.what_ifs.update(|w| {
            w.push(WhatIf {
                before,
                before_run,
                label: label.clone(),
                source,
            })
        });
        self.notice.set(None);
        self.set_form(&run);
        self.announce.set(format!(
            "Applied “{label}” as a what-if; the forecast is updating. Undo it with the Undo what-if button or the browser's Back button."
        ));
    }

    /// Says why a what-if that moves only locked inputs was not applied.
    fn refuse_what_if(&self, label: &str) {
        use crate::classroom::student::LOCKED_WHAT_IF;
        self.notice.set(Some(Notice {
            title: format!("“{label}” was not applied"),
            lines: vec![LOCKED_WHAT_IF.into()],
            footer: String::new(),
        }));
        self.announce
            .set(format!("“{label}” was not applied: {LOCKED_WHAT_IF}"));
    }

    /// Restores the form as it was before the latest what-if.
    pub fn undo_what_if(&self) {
        let mut last = None;
        self.what_ifs.update(|w| last = w.undo());
        if let Some(w) = last {
            self.draft.set(w.before);
            self.announce
                .set(format!("Undid the what-if “{}”.", w.label));
        }
    }

    /// Puts an edited run in the URL, unless it is still the example shown
    /// for a broken link (the page's first run, before any edit).
    fn follow_edit(&self, run: &Run) {
        match self.bad_link.get_value() {
            Some(shown) if shown == *run => return,
            // The first edit adds an entry: Back still finds the broken link.
            Some(_) => {
                self.bad_link.set_value(None);
                self.first_sync.set_value(false);
            }
            None => {}
        }
        self.sync_url(run);
    }

    /// Puts the run in the URL: a new history entry when it differs from what
    /// the URL holds (the first time, replacing the entry instead).
    pub fn sync_url(&self, run: &Run) {
        let first = self.first_sync.get_value();
        self.first_sync.set_value(false);
        // A student's view keeps the case as given and the name: the variant
        // is drawn from the case, so a link to an edited copy would give the
        // student other numbers. A new case adds an entry (as any load does);
        // the name and the student's edits replace it.
        let current = browser::hash();
        if let Some((case, fragment)) = self.student.with_untracked(|s| {
            s.as_ref().map(|s| {
                let fragment = link::encode_student(&s.case, &s.name, &current);
                (s.case.clone(), fragment)
            })
        }) {
            let new_case = self.url_run.with_value(|u| u.as_ref() != Some(&case));
            if fragment != current {
                browser::set_hash(&fragment, new_case && !first);
            }
            self.url_run.set_value(Some(case));
            return;
        }
        if self.url_run.with_value(|u| u.as_ref() == Some(run)) {
            return;
        }
        self.url_run.set_value(Some(run.clone()));
        let current = browser::hash();
        browser::set_hash(&link::encode_keeping(run, &current), !first);
    }

    /// Back and forward restore the scenario from the URL, without pushing.
    fn listen_to_history(self) {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            // Back to a good entry: what the page shows is that entry's.
            self.bad_link.set_value(None);
            match link::decode(&browser::hash()) {
                Ok(Some(run)) => {
                    self.notice.set(None);
                    self.url_run.set_value(Some(run.clone()));
                    self.what_ifs.update(|w| {
                        w.returned_to(&run);
                    });
                    self.load_for(&run, link::student(&browser::hash()));
                }
                Ok(None) => {
                    self.notice.set(None);
                    self.url_run.set_value(None);
                    self.load_preset(presets::default_preset());
                }
                Err(e) => {
                    self.url_run.set_value(None);
                    self.notice.set(Some(bad_link_notice(&e)));
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
}

/// The run the page opens with: the link's, else the default preset (and
/// whether it came from the link).
fn initial_run() -> (Run, Option<Notice>, bool) {
    let preset = presets::default_preset();
    let fallback = Run {
        scenario: preset.scenario(),
        trials: preset.trials,
        seed: preset.seed,
    };
    match link::decode(&browser::hash()) {
        Ok(Some(run)) => (run, None, true),
        Ok(None) => (fallback, None, false),
        Err(e) => (fallback, Some(bad_link_notice(&e)), false),
    }
}

fn bad_link_notice(e: &link::LinkError) -> Notice {
    Notice {
        title: "This link could not be read".into(),
        lines: e.0.clone(),
        footer: format!(
            "Showing the “{}” example instead. The address bar keeps the link until you edit, so that you can mend it.",
            presets::default_preset().scenario().name
        ),
    }
}

/// Runs for the transition tests: the reference scenario at `leads` a month.
#[cfg(test)]
pub(crate) fn test_run(leads: f64) -> Run {
    let mut scenario =
        funnel_engine::Scenario::from_json(include_str!("../../../scenarios/reference.json"))
            .unwrap();
    scenario.leads.per_month = leads;
    Run {
        scenario,
        trials: 1_000,
        seed: 1,
    }
}
