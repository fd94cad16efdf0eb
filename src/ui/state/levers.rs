//! The lever sweep's state, shared through context: its results, where it
//! stands, and when a new sweep starts (once a forecast is on screen whose
//! levers are not). The sweep itself is `jobs::levers`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::form::Run;
use crate::jobs::headline::Forecast;
use crate::jobs::levers::{self, LeverResults, SweepEnded};
use crate::ui::state::{Ctx, Phase, WhatIfSource};
use crate::words;

/// Where the lever job stands.
#[derive(Clone, Debug, PartialEq)]
pub enum LeverPhase {
    /// Nothing running (no forecast yet, or the levers shown are done).
    Idle,
    Running {
        done: usize,
        total: usize,
        fraction: f64,
    },
    /// The user pressed Stop.
    Stopped,
    Failed(String),
}

/// The levers' state, shared through context (the goal panel applies its
/// answers as what-ifs through it too).
#[derive(Clone, Copy)]
pub struct Levers {
    pub results: RwSignal<Option<Arc<LeverResults>>>,
    pub phase: RwSignal<LeverPhase>,
    /// The headline run the last job was started for, and the forecast job
    /// it belongs to.
    job: StoredValue<Option<(Run, u64)>>,
    /// Bumped by Stop and by every new lever job.
    token: StoredValue<u64>,
}

pub fn use_levers() -> Levers {
    expect_context::<Levers>()
}

impl Levers {
    /// Sets up the state and starts testing levers whenever a forecast is
    /// on screen whose levers are not.
    pub fn start(ctx: Ctx) -> Levers {
        let levers = Levers {
            results: RwSignal::new(None),
            phase: RwSignal::new(LeverPhase::Idle),
            job: StoredValue::new(None),
            token: StoredValue::new(0),
        };
        Effect::new(move |_| {
            let idle = ctx.phase.with(|p| *p == Phase::Idle);
            let forecast = ctx.results.get();
            if !idle {
                return;
            }
            if let Some(forecast) = forecast {
                levers.maybe_launch(ctx, forecast);
            }
        });
        levers
    }

    fn maybe_launch(self, ctx: Ctx, forecast: Arc<Forecast>) {
        let run = &forecast.run;
        if self
            .results
            .with_untracked(|r| r.as_ref().is_some_and(|r| &r.run == run))
        {
            return;
        }
        let same_job = self
            .job
            .with_value(|j| j.as_ref().map(|(r, g)| (r == run, *g)));
        if let Some((true, g)) = same_job {
            match self.phase.get_untracked() {
                // Stopped by the user: wait to be asked again.
                LeverPhase::Stopped | LeverPhase::Failed(_) => return,
                LeverPhase::Running { .. } if ctx.is_current(g) => return,
                _ => {}
            }
        }
        self.launch(ctx, forecast);
    }

    /// Tests every lever of the forecast on screen, in the background.
    pub fn launch(self, ctx: Ctx, forecast: Arc<Forecast>) {
        let g = ctx.generation();
        let t = self.token.get_value() + 1;
        self.token.set_value(t);
        self.job.set_value(Some((forecast.run.clone(), g)));
        let current = move || ctx.is_current(g) && self.token.try_get_value() == Some(t);
        self.phase.set(LeverPhase::Running {
            done: 0,
            total: 0,
            fraction: 0.0,
        });
        leptos::task::spawn_local(async move {
            let ended = levers::sweep(forecast, current, move |done, total, fraction| {
                if current() {
                    self.phase.set(LeverPhase::Running {
                        done,
                        total,
                        fraction,
                    });
                }
            })
            .await;
            // Stop, or a newer lever job, took over: they set the phase.
            if self.token.try_get_value() != Some(t) {
                return;
            }
            match ended {
                // An edit cancelled it: the next forecast starts a new one.
                SweepEnded::Cancelled => self.phase.set(LeverPhase::Idle),
                SweepEnded::Done(_) if !ctx.is_current(g) => self.phase.set(LeverPhase::Idle),
                SweepEnded::Done(results) => {
                    ctx.announce.set(format!(
                        "Levers tested. {}",
                        words::levers::biggest_lever_sentence(
                            &results.effects,
                            &results.run.scenario.currency
                        )
                        .unwrap_or_default()
                    ));
                    self.results.set(Some(results));
                    self.phase.set(LeverPhase::Idle);
                }
                SweepEnded::Refused(errors) => {
                    let text = errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; ");
                    self.phase.set(LeverPhase::Failed(text));
                }
            }
        });
    }

    /// Stops the lever job; the levers shown (if any) stay.
    pub fn stop(&self) {
        self.token.set_value(self.token.get_value() + 1);
        self.phase.set(LeverPhase::Stopped);
    }

    /// Applies lever `index` of the levers on screen.
    pub fn apply_lever(&self, ctx: Ctx, index: usize) {
        let Some(results) = self.results.get_untracked() else {
            return;
        };
        let Some(effect) = results.effects.get(index) else {
            return;
        };
        let run = Run {
            scenario: levers::tidy(&effect.lever.apply(&results.run.scenario)),
            trials: results.run.trials,
            seed: results.run.seed,
        };
        ctx.apply_what_if(
            run,
            words::levers::what_if_label(&effect.lever, &results.run.scenario.currency),
            WhatIfSource::Lever {
                index,
                run: Arc::new(results.run.clone()),
            },
        );
    }
}
