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

/// Picks chunk sizes so that each chunk takes about `target_ms`: long enough
/// that the pauses between chunks cost little, short enough that typing stays
/// fluid.
#[derive(Clone, Debug)]
pub struct ChunkPlanner {
    size: u64,
    target_ms: f64,
}

impl ChunkPlanner {
    // Small at first: the planner has not yet seen what a trial costs, and a
    // scenario with many reps and plans can cost milliseconds a trial. It grows
    // fourfold per chunk, so a fast scenario reaches its size in a few chunks.
    pub const FIRST: u64 = 20;
    pub const MIN: u64 = 1;
    pub const MAX: u64 = 20_000;

    pub fn new(target_ms: f64) -> ChunkPlanner {
        ChunkPlanner {
            size: Self::FIRST,
            target_ms,
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Learns from the last chunk (`trials` took `ms`) and returns the next size.
    pub fn next(&mut self, trials: u64, ms: f64) -> u64 {
        if trials > 0 && ms.is_finite() && ms > 0.0 {
            let per_trial = ms / trials as f64;
            let ideal = (self.target_ms / per_trial) as u64;
            // Grow at most 4x at a time: one fast chunk can be a fluke.
            self.size = ideal
                .min(self.size.saturating_mul(4))
                .clamp(Self::MIN, Self::MAX);
        } else if trials > 0 {
            // Too fast to measure: grow.
            self.size = self.size.saturating_mul(4).clamp(Self::MIN, Self::MAX);
        }
        self.size
    }
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
    fn planner_aims_at_the_target_time() {
        let mut p = ChunkPlanner::new(25.0);
        assert_eq!(p.size(), 20);
        // 20 trials in 0.4 ms: 0.02 ms each, ideal 1250, but growth is capped at 4x.
        assert_eq!(p.next(20, 0.4), 80);
        assert_eq!(p.next(80, 1.6), 320);
        assert_eq!(p.next(320, 6.4), 1250);
        // Slow trials shrink the chunk.
        assert_eq!(p.next(1250, 250.0), 125);
        // Never below the minimum or above the maximum.
        assert_eq!(p.next(125, 10_000.0), ChunkPlanner::MIN);
        for _ in 0..10 {
            p.next(p.size(), 0.0);
        }
        assert_eq!(p.size(), ChunkPlanner::MAX);
    }

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
