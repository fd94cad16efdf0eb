//! The headline job: a run's trials (on the worker pool, through
//! `crate::run`), then its summary and the per-trial values the charts need.
//! A job stops as soon as it is no longer the current one.

use std::sync::Arc;

use funnel_engine::job::{Change, RunSpec};
use funnel_engine::{FieldError, Summary};

use crate::browser;
use crate::draft::Run;

/// What a finished job leaves behind.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub run: Run,
    pub summary: Summary,
    /// Revenue of each trial, in trial order (for the histogram).
    pub revenue: Vec<f64>,
    /// Per incentive plan: per-trial comp cost and rep attainment (for its charts).
    pub plans: Vec<PlanSamples>,
    /// Wall time of the whole job.
    pub elapsed_ms: f64,
}

/// One plan's per-trial results, kept for the distribution charts.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSamples {
    /// Comp cost of each trial, in trial order.
    pub comp_cost: Vec<f64>,
    /// Attainment of every rep, trial-major, for the first trials only (the
    /// engine keeps a bounded sample: `outcome::ATTAINMENT_SAMPLE_VALUES`).
    pub attainment: Vec<f64>,
}

impl PlanSamples {
    pub fn from_chunk(plan: funnel_engine::outcome::PlanChunk) -> PlanSamples {
        PlanSamples {
            comp_cost: plan.comp_cost,
            attainment: plan.attainment,
        }
    }
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ended {
    Done(Arc<Outcome>),
    /// A newer job took over, or the user pressed Stop.
    Cancelled,
    /// The engine refused the run (errors name their field paths).
    Refused(Vec<FieldError>),
}

/// Runs `run` through `crate::run` (on the workers). The job stops as soon as
/// `current()` says no; `progress(done, total)` counts trials.
pub async fn simulate(
    run: Run,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(u64, u64),
) -> Ended {
    let started = browser::now_ms();
    let spec = RunSpec::new(&run.scenario, run.trials, run.seed, Change::None);
    // The very simulation the workers build from the spec, for the summary;
    // made first so that a refusal shows at once.
    let sim = match spec.simulation() {
        Ok(sim) => sim,
        Err(errors) => return Ended::Refused(errors.0),
    };
    let all = match crate::run::run(&spec, &current, &mut progress).await {
        Ok(all) => all,
        Err(crate::run::Stopped::Cancelled) => return Ended::Cancelled,
        Err(crate::run::Stopped::Refused(errors)) => return Ended::Refused(errors),
    };
    if !current() {
        return Ended::Cancelled;
    }
    let summary = Summary::new(&sim, &all);
    let plans = all.plans.into_iter().map(PlanSamples::from_chunk).collect();
    Ended::Done(Arc::new(Outcome {
        run,
        summary,
        plans,
        revenue: all.revenue,
        elapsed_ms: browser::now_ms() - started,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::{Simulation, merge};

    #[test]
    fn chunked_runs_match_one_run() {
        // What `simulate` does, without the browser: chunks of planner sizes,
        // merged, give the very same summary as one call.
        let scenario = crate::presets::default_preset().scenario();
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
