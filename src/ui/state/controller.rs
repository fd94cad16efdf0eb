//! The headline run's state machine, as plain data: which job is current,
//! what it is doing, and the phase the page shows. `Ctx` keeps one
//! `Controller` and one `Job` and only connects them to timers, workers and
//! the URL; the transitions are tested here, natively.
//!
//! The phase is never stored: `phase` derives it from the form, the job and
//! the results on screen, so no effect has to keep it in step.

use funnel_engine::FieldError;

use crate::form::Run;

/// Milliseconds a change must settle before it is simulated.
pub const DEBOUNCE_MS: i32 = 300;

/// Where the simulation stands, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing running; the results match the inputs.
    Idle,
    /// A valid change is settling; a run starts shortly.
    Waiting,
    /// The current inputs are running: `done` of `total` trials.
    Running { done: u64, total: u64 },
    /// The user stopped the run; the results are for earlier inputs.
    Stopped,
    /// The inputs have errors; the results are for the last valid ones.
    Invalid,
    /// The engine refused the run.
    Failed,
}

/// What the last headline job is doing or did. Every variant names its run,
/// so an edit makes it irrelevant without anyone resetting it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Job {
    /// No job has been started yet, or the last one finished (its results
    /// are on screen).
    #[default]
    None,
    Running {
        id: u64,
        run: Run,
        done: u64,
        total: u64,
    },
    /// The user pressed Stop while `run` was the form's.
    Stopped { run: Option<Run> },
    /// The engine refused `run`, with these problems.
    Failed { run: Run, errors: Vec<FieldError> },
}

impl Job {
    /// Job `id` has run `done` of `total` trials; ignored unless it is the
    /// one running (a stale job's progress must not show).
    pub fn progress(&mut self, job: u64, done_now: u64, total_now: u64) {
        if let Job::Running {
            id, done, total, ..
        } = self
            && *id == job
        {
            *done = done_now;
            *total = total_now;
        }
    }

    /// The engine's problems with the form's run, if it refused it.
    pub fn refused(&self, parsed: Option<&Run>) -> &[FieldError] {
        match self {
            Job::Failed { run, errors } if Some(run) == parsed => errors,
            _ => &[],
        }
    }
}

/// The phase the page shows for the form's current reading, the job, and
/// the run whose results are on screen.
pub fn phase(parsed: &Result<Run, Vec<FieldError>>, job: &Job, shown: Option<&Run>) -> Phase {
    let Ok(run) = parsed else {
        return Phase::Invalid;
    };
    match job {
        Job::Running {
            run: r,
            done,
            total,
            ..
        } if r == run => Phase::Running {
            done: *done,
            total: *total,
        },
        Job::Stopped { run: r } if r.as_ref() == Some(run) => Phase::Stopped,
        Job::Failed { run: r, .. } if r == run => Phase::Failed,
        _ if shown == Some(run) => Phase::Idle,
        _ => Phase::Waiting,
    }
}

/// Numbers the jobs, so that each edit, Stop and "Run now" makes every
/// earlier job stale at once (they check `is_current` between chunks).
#[derive(Clone, Debug, Default)]
pub struct Controller {
    generation: u64,
    edits: u64,
}

impl Controller {
    /// The form changed. Cancels whatever runs; for a valid form, returns the
    /// new job's id and how long to let the change settle first (the page's
    /// first run starts at once, later ones wait for typing to pause).
    pub fn edited(&mut self, valid: bool) -> Option<(u64, i32)> {
        let id = self.bump();
        let delay = if self.edits == 0 { 0 } else { DEBOUNCE_MS };
        self.edits += 1;
        valid.then_some((id, delay))
    }

    /// Stop: every job so far is stale.
    pub fn stop(&mut self) {
        self.bump();
    }

    /// "Run now" (after a stop): a new job id.
    pub fn run_now(&mut self) -> u64 {
        self.bump()
    }

    /// Whether job `id` is still the current one (no edit or Stop since).
    pub fn is_current(&self, id: u64) -> bool {
        self.generation == id
    }

    /// The current job's id: background work started now (levers, goals)
    /// runs while `is_current` says so, so any edit cancels it.
    pub fn current(&self) -> u64 {
        self.generation
    }

    fn bump(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }
}

/// Whether a settled run has to be simulated: not when the form was typed
/// back to the run whose results are on screen.
pub fn needs_run(run: &Run, shown: Option<&Run>) -> bool {
    shown != Some(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::test_run as run;

    fn bad() -> Result<Run, Vec<FieldError>> {
        Err(vec![FieldError::new("leads.per_month", "Enter a number")])
    }

    /// The shell's part, as `Ctx` does it: a settled job starts when current.
    fn settle(c: &Controller, job: &mut Job, id: u64, r: &Run, shown: Option<&Run>) -> bool {
        if !c.is_current(id) || !needs_run(r, shown) {
            return false;
        }
        *job = Job::Running {
            id,
            run: r.clone(),
            done: 0,
            total: r.trials,
        };
        true
    }

    #[test]
    fn the_first_run_starts_at_once_and_later_edits_wait() {
        let mut c = Controller::default();
        let (first, delay) = c.edited(true).unwrap();
        assert_eq!(delay, 0);
        let (second, delay) = c.edited(true).unwrap();
        assert_eq!(delay, DEBOUNCE_MS);
        assert!(!c.is_current(first));
        assert!(c.is_current(second));
        assert_eq!(c.edited(false), None, "an invalid form starts nothing");
        assert!(!c.is_current(second), "and still cancels what ran");
    }

    #[test]
    fn an_edit_cancels_the_run_and_keeps_the_results_shown() {
        let mut c = Controller::default();
        let mut job = Job::None;
        let (a, b) = (run(1000.0), run(1200.0));
        let (id, _) = c.edited(true).unwrap();
        assert_eq!(phase(&Ok(a.clone()), &job, None), Phase::Waiting);
        assert!(settle(&c, &mut job, id, &a, None));
        job.progress(id, 400, 1_000);
        assert_eq!(
            phase(&Ok(a.clone()), &job, None),
            Phase::Running {
                done: 400,
                total: 1_000
            }
        );
        // Finished: the results are a's.
        job = Job::None;
        assert_eq!(phase(&Ok(a.clone()), &job, Some(&a)), Phase::Idle);

        // Edit to b while b's run goes; then edit again to c.
        let (id_b, _) = c.edited(true).unwrap();
        assert!(settle(&c, &mut job, id_b, &b, Some(&a)));
        let (id_c, _) = c.edited(true).unwrap();
        let cc = run(1500.0);
        assert!(!c.is_current(id_b), "b's job is stale at once");
        assert_eq!(phase(&Ok(cc.clone()), &job, Some(&a)), Phase::Waiting);
        // b's late progress does not show as c's.
        job.progress(id_b, 900, 1_000);
        assert_eq!(phase(&Ok(cc.clone()), &job, Some(&a)), Phase::Waiting);
        // A settled but stale id starts nothing.
        assert!(!settle(&c, &mut job, id_b, &b, Some(&a)));
        assert!(settle(&c, &mut job, id_c, &cc, Some(&a)));
        job.progress(id_b, 1_000, 1_000);
        assert_eq!(
            phase(&Ok(cc), &job, Some(&a)),
            Phase::Running {
                done: 0,
                total: 1_000
            },
            "progress of a stale job is ignored"
        );
    }

    #[test]
    fn typing_back_to_the_results_on_screen_runs_nothing() {
        let mut c = Controller::default();
        let mut job = Job::None;
        let a = run(1000.0);
        let (id, _) = c.edited(true).unwrap();
        assert!(!settle(&c, &mut job, id, &a, Some(&a)));
        assert_eq!(phase(&Ok(a.clone()), &job, Some(&a)), Phase::Idle);
    }

    #[test]
    fn stop_then_run_now_then_an_edit() {
        let mut c = Controller::default();
        let mut job = Job::None;
        let (a, b) = (run(1000.0), run(1200.0));
        let (id, _) = c.edited(true).unwrap();
        settle(&c, &mut job, id, &b, Some(&a));
        c.stop();
        job = Job::Stopped {
            run: Some(b.clone()),
        };
        assert!(!c.is_current(id), "Stop makes the running job stale");
        assert_eq!(phase(&Ok(b.clone()), &job, Some(&a)), Phase::Stopped);
        // Run now: a new id, running the same inputs.
        let again = c.run_now();
        assert_ne!(again, id);
        job = Job::Running {
            id: again,
            run: b.clone(),
            done: 0,
            total: 1_000,
        };
        assert!(matches!(
            phase(&Ok(b.clone()), &job, Some(&a)),
            Phase::Running { .. }
        ));
        // Stop again, then an edit: the stop no longer applies.
        c.stop();
        job = Job::Stopped {
            run: Some(b.clone()),
        };
        let cc = run(1500.0);
        c.edited(true).unwrap();
        assert_eq!(phase(&Ok(cc), &job, Some(&a)), Phase::Waiting);
    }

    #[test]
    fn invalid_inputs_and_refusals() {
        let a = run(1000.0);
        assert_eq!(phase(&bad(), &Job::None, Some(&a)), Phase::Invalid);
        let refused = vec![FieldError::new("trials", "too many")];
        let job = Job::Failed {
            run: a.clone(),
            errors: refused.clone(),
        };
        assert_eq!(phase(&Ok(a.clone()), &job, None), Phase::Failed);
        assert_eq!(job.refused(Some(&a)), refused.as_slice());
        // An edit makes the refusal irrelevant: no errors, no Failed.
        let b = run(1200.0);
        assert_eq!(job.refused(Some(&b)), &[]);
        assert_eq!(phase(&Ok(b), &job, Some(&a)), Phase::Waiting);
    }
}
