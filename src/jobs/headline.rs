//! The headline job: a run's trials (on the worker pool, through
//! `crate::run`), then its summary (on a worker too) and the per-trial values
//! the charts need. A job stops as soon as it is no longer the current one.

use std::sync::Arc;

use funnel_engine::job::{Change, RunSpec};
use funnel_engine::outcome::PlanChunk;
use funnel_engine::{Chunk, FieldError, Scenario, Summary, merge};

use crate::run::Pieces;

use crate::browser;
use crate::form::Run;
use crate::run::Stopped;

/// Trials whose per-trial values the page draws. Trials are independent and
/// alike, so the first 100,000 are a sample of the run whose bars look the
/// same as all of them; binning a million values took the page 0.2 s.
pub const CHART_TRIALS: usize = 100_000;

/// What a finished job leaves behind.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    pub run: Run,
    pub summary: Summary,
    /// Every trial's results, in trial order, without their months
    /// (`Chunk::without_months`): what the charts draw.
    pub trials: Arc<Chunk>,
    /// Every trial's results as the chunks' bytes: what a new summary of the
    /// same trials reads, and what a run extended to more trials starts from
    /// (`reuse`).
    pub pieces: Pieces,
    /// Wall time of the whole job.
    pub elapsed_ms: f64,
}

impl Forecast {
    /// Revenue of each trial, in trial order (for the histogram).
    pub fn revenue(&self) -> &[f64] {
        &self.trials.revenue
    }

    /// Revenue of the first trials, at most `CHART_TRIALS`: what the page
    /// draws, at a cost that does not grow with the run.
    pub fn revenue_sample(&self) -> &[f64] {
        let r = self.revenue();
        &r[..r.len().min(CHART_TRIALS)]
    }

    /// Per incentive plan: per-trial comp cost, and every rep's attainment in
    /// the first trials (the engine's bounded sample), for its charts.
    pub fn plans(&self) -> &[PlanChunk] {
        &self.trials.plans
    }
}

/// What a new run can take from the last finished one. A trial's results
/// depend only on the seed, the trial's number and what the trials read, so
/// an edit of labels or goals needs only a new summary, and more trials need
/// only the new ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reuse {
    /// The same trials: only the summary is computed again.
    Summary,
    /// The first `n` trials are the same: only the rest run.
    Extend(u64),
    /// Everything runs.
    Nothing,
}

/// How much of `previous` the run `next` can reuse.
pub fn reuse(previous: &Run, next: &Run) -> Reuse {
    // Name, currency, target and milestones are read by the summary only.
    let trials_read = |s: &Scenario| Scenario {
        name: String::new(),
        currency: String::new(),
        target: None,
        ..s.clone()
    };
    if previous.seed != next.seed || trials_read(&previous.scenario) != trials_read(&next.scenario)
    {
        return Reuse::Nothing;
    }
    match next.trials.cmp(&previous.trials) {
        std::cmp::Ordering::Equal => Reuse::Summary,
        std::cmp::Ordering::Greater => Reuse::Extend(previous.trials),
        // Fewer trials: the attainment histogram cannot drop trials, so rerun.
        std::cmp::Ordering::Less => Reuse::Nothing,
    }
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ended {
    Done(Arc<Forecast>),
    /// A newer job took over, or the user pressed Stop.
    Cancelled,
    /// The engine refused the run (errors name their field paths).
    Refused(Vec<FieldError>),
}

/// Runs `run` through `crate::run` (on the workers), reusing what it can of
/// `previous` (`reuse`). The job stops as soon as `current()` says no;
/// `progress(done, total)` counts trials.
pub async fn simulate(
    run: Run,
    previous: Option<Arc<Forecast>>,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(u64, u64),
) -> Ended {
    let started = browser::now_ms();
    // No check of the spec here: the form validated the scenario
    // (`Draft::to_run`), and whatever runs the spec, a worker or the page,
    // reads and checks it again before it runs (`RunSpec::simulation`), so a
    // refusal still ends the job as `Refused`. Checking it on the page too
    // read the scenario, validated it twice and built its tables on the main
    // thread at every edit, for nothing.
    let spec = RunSpec::new(&run.scenario, run.trials, run.seed, Change::None);
    let done = async {
        // Twice at most: a worker that dies with the pieces it was summarising
        // loses them, and the trials then run again from the start.
        let mut previous = previous;
        for _ in 0..2 {
            let (trials, pieces) = match previous.take().map(|p| (reuse(&p.run, &run), p)) {
                Some((Reuse::Summary, p)) if p.pieces.home().await => {
                    (Arc::clone(&p.trials), p.pieces.clone())
                }
                Some((Reuse::Extend(from), p)) if p.pieces.home().await => {
                    let more = crate::run::run_kept(&spec, from, &current, &mut progress).await?;
                    let trials = merge(vec![(*p.trials).clone(), more.trials])
                        .map_err(|e| Stopped::Refused(vec![FieldError::new("", e.to_string())]))?;
                    let Some(pieces) = p.pieces.then(&more.pieces) else {
                        continue;
                    };
                    (Arc::new(trials), pieces)
                }
                _ => {
                    let kept = crate::run::run_kept(&spec, 0, &current, &mut progress).await?;
                    (Arc::new(kept.trials), kept.pieces)
                }
            };
            if !current() {
                return Err(Stopped::Cancelled);
            }
            if let Some(summary) = crate::run::summarize(&spec, &pieces, &current).await? {
                return Ok(Forecast {
                    run,
                    summary,
                    trials,
                    pieces,
                    elapsed_ms: browser::now_ms() - started,
                });
            }
        }
        Err(Stopped::Refused(vec![FieldError::new(
            "",
            "the background workers kept failing on this run's summary",
        )]))
    };
    match done.await {
        Ok(forecast) => Ended::Done(Arc::new(forecast)),
        Err(Stopped::Cancelled) => Ended::Cancelled,
        Err(Stopped::Refused(errors)) => Ended::Refused(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::Simulation;

    #[test]
    fn labels_goals_and_more_trials_reuse_the_trials() {
        let base = Run {
            scenario: crate::share::presets::default_preset().scenario(),
            trials: 2_000,
            seed: 7,
        };
        let with = |f: &dyn Fn(&mut Run)| {
            let mut r = base.clone();
            f(&mut r);
            r
        };
        assert_eq!(reuse(&base, &base), Reuse::Summary);
        let relabelled = with(&|r| {
            r.scenario.name = "Other".into();
            r.scenario.currency = "EUR".into();
            r.scenario.target = None;
        });
        assert_eq!(reuse(&base, &relabelled), Reuse::Summary);
        assert_eq!(
            reuse(&base, &with(&|r| r.trials = 5_000)),
            Reuse::Extend(2_000)
        );
        assert_eq!(reuse(&base, &with(&|r| r.trials = 1_000)), Reuse::Nothing);
        assert_eq!(reuse(&base, &with(&|r| r.seed = 8)), Reuse::Nothing);
        let more_leads = with(&|r| r.scenario.leads.per_month += 1.0);
        assert_eq!(reuse(&base, &more_leads), Reuse::Nothing);
        // An extended run is the run of all its trials, to the bit.
        let sim = Simulation::new(&base.scenario, 5_000, 7).unwrap();
        let first = Simulation::new(&base.scenario, 2_000, 7).unwrap().run_all();
        let extended = merge(vec![first, sim.run_chunk(2_000..5_000)]).unwrap();
        assert_eq!(
            Summary::new(&sim, &extended),
            Summary::new(&sim, &sim.run_all())
        );
    }

    #[test]
    fn chunked_runs_match_one_run() {
        // What `simulate` does, without the browser: chunks of planner sizes,
        // merged, give the very same summary as one call.
        let scenario = crate::share::presets::default_preset().scenario();
        let sim = Simulation::new(&scenario, 2_000, 7).unwrap();
        let whole = Summary::new(&sim, &sim.run_all());
        let mut chunks = Vec::new();
        let mut done = 0;
        for size in [250u64, 1000, 13, 400, 5000] {
            let end = (done + size).min(2_000);
            chunks.push(sim.run_chunk(done..end));
            done = end;
        }
        chunks.reverse();
        let merged = merge(chunks).unwrap();
        assert_eq!(Summary::new(&sim, &merged), whole);
    }
}
