//! The sensitivity analysis as a background job: every lever the scenario
//! offers (`Lever::all`) reruns the model on the headline's seed and trial
//! count, a few hundred trials at a time, so the page stays responsive.
//!
//! `LeverSweep` is the plan, with no browser in it: `step` runs the next
//! slice of trials of the lever under test and moves on when that lever is
//! done. `sweep` drives it on the page like `job::simulate` drives a run:
//! chunks sized by `ChunkPlanner`, a yield to the browser between them, and a
//! stop as soon as the job is no longer current (an edit, or Stop).

use std::sync::Arc;

use funnel_engine::levers::{Lever, LeverEffect, rank};
use funnel_engine::{Chunk, Conversion, FieldError, Scenario, Simulation};

use crate::browser;
use crate::draft::Run;
use crate::job::{ChunkPlanner, Outcome};

/// What a finished sweep leaves behind.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverResults {
    /// The run the levers were pulled on (the headline's).
    pub run: Run,
    /// Every lever's effect, largest effect on mean revenue first.
    pub effects: Vec<LeverEffect>,
    /// Wall time of the whole sweep.
    pub elapsed_ms: f64,
}

/// How a sweep ended.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepEnded {
    Done(Arc<LeverResults>),
    /// A newer job took over, or the user pressed Stop.
    Cancelled,
    Refused(Vec<FieldError>),
}

/// Every lever of a run, tested one after the other in slices of trials.
#[derive(Clone, Debug)]
pub struct LeverSweep {
    scenario: Scenario,
    trials: u64,
    seed: u64,
    target: Option<f64>,
    /// The headline's trials (only their revenue is compared).
    base: Chunk,
    levers: Vec<Lever>,
    /// Index of the lever under test (`levers.len()` when all are done).
    current: usize,
    /// The lever under test, prepared; `None` until its first slice.
    sim: Option<Simulation>,
    /// Revenue of the lever's trials run so far, in trial order.
    revenue: Vec<f64>,
    effects: Vec<LeverEffect>,
}

impl LeverSweep {
    /// A sweep of `run`'s levers against the headline's per-trial revenue
    /// (`base_revenue`, in trial order, from the same run).
    pub fn new(run: &Run, base_revenue: &[f64]) -> LeverSweep {
        let mut base = Chunk::new(&run.scenario, 0, 0);
        base.revenue = base_revenue.to_vec();
        LeverSweep {
            levers: Lever::all(&run.scenario),
            target: run.scenario.target.as_ref().map(|t| t.revenue),
            scenario: run.scenario.clone(),
            trials: run.trials,
            seed: run.seed,
            base,
            current: 0,
            sim: None,
            revenue: Vec::new(),
            effects: Vec::new(),
        }
    }

    /// How many levers there are to test.
    pub fn levers(&self) -> usize {
        self.levers.len()
    }

    /// Levers fully tested so far.
    pub fn levers_done(&self) -> usize {
        self.current
    }

    /// The share of the work done, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.levers.is_empty() || self.trials == 0 {
            return 1.0;
        }
        let within = self.revenue.len() as f64 / self.trials as f64;
        ((self.current as f64 + within) / self.levers.len() as f64).min(1.0)
    }

    pub fn is_done(&self) -> bool {
        self.current >= self.levers.len()
    }

    /// Runs up to `max_trials` trials of the lever under test (at least
    /// one); returns how many ran. When the lever's last trial has run, its
    /// effect is recorded and the next lever is up.
    pub fn step(&mut self, max_trials: u64) -> Result<u64, Vec<FieldError>> {
        if self.is_done() {
            return Ok(0);
        }
        if self.sim.is_none() {
            let sim = self.levers[self.current]
                .simulation(&self.scenario, self.trials, self.seed)
                .map_err(|e| e.0)?;
            self.sim = Some(sim);
            self.revenue = Vec::with_capacity(self.trials as usize);
        }
        let Some(sim) = &self.sim else {
            return Ok(0);
        };
        let start = self.revenue.len() as u64;
        let end = (start + max_trials.max(1)).min(self.trials);
        let chunk = sim.run_chunk(start..end);
        self.revenue.extend_from_slice(&chunk.revenue);
        if end >= self.trials {
            let mut changed = Chunk::new(&self.scenario, 0, 0);
            changed.revenue = std::mem::take(&mut self.revenue);
            let lever = self.levers[self.current].clone();
            self.effects
                .push(LeverEffect::new(lever, &self.base, &changed, self.target));
            self.sim = None;
            self.current += 1;
        }
        Ok(end - start)
    }

    /// The effects, ranked by the engine (`levers::rank`), once every lever is done.
    pub fn finish(self) -> Vec<LeverEffect> {
        let mut effects = self.effects;
        rank(&mut effects);
        effects
    }
}

/// `x` to 12 significant digits: 13200.000000000002 (12,000 x 1.1) becomes
/// 13200, so a what-if reads well in the form; the change is far below any
/// effect the model can show.
pub fn tidy_number(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// The scenario with the numbers a lever changes tidied (`tidy_number`).
pub fn tidy(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    s.leads.per_month = tidy_number(s.leads.per_month);
    s.deal_size.median = tidy_number(s.deal_size.median);
    s.deal_size.p90 = tidy_number(s.deal_size.p90);
    for stage in &mut s.stages {
        stage.days = tidy_number(stage.days);
        stage.conversion = match stage.conversion {
            Conversion::Fixed(p) => Conversion::Fixed(tidy_number(p)),
            Conversion::Estimate { mean, sd } => Conversion::Estimate {
                mean: tidy_number(mean),
                sd: tidy_number(sd),
            },
            history => history,
        };
    }
    s
}

/// Runs the sweep of the headline's run against its revenue in chunks,
/// yielding to the browser between them. `current()` is asked before each
/// chunk; `progress(levers_done, levers, fraction)` is told after each one.
pub async fn sweep(
    headline: Arc<Outcome>,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(usize, usize, f64),
) -> SweepEnded {
    let started = browser::now_ms();
    let run = headline.run.clone();
    let mut sweep = LeverSweep::new(&run, &headline.revenue);
    let mut planner = ChunkPlanner::new(25.0);
    progress(0, sweep.levers(), 0.0);
    while !sweep.is_done() {
        // Let the browser paint the headline (and handle input) first.
        browser::sleep(0).await;
        if !current() {
            return SweepEnded::Cancelled;
        }
        let t0 = browser::now_ms();
        let ran = match sweep.step(planner.size()) {
            Ok(n) => n,
            Err(errors) => return SweepEnded::Refused(errors),
        };
        planner.next(ran, browser::now_ms() - t0);
        progress(sweep.levers_done(), sweep.levers(), sweep.fraction());
    }
    if !current() {
        return SweepEnded::Cancelled;
    }
    SweepEnded::Done(Arc::new(LeverResults {
        run,
        effects: sweep.finish(),
        elapsed_ms: browser::now_ms() - started,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::levers;

    fn run(json: &str, trials: u64, seed: u64) -> Run {
        Run {
            scenario: Scenario::from_json(json).unwrap(),
            trials,
            seed,
        }
    }

    /// Drives a sweep to the end with the given slice sizes (cycled).
    fn drive(sweep: &mut LeverSweep, sizes: &[u64]) -> usize {
        let mut steps = 0;
        let mut last = 0.0;
        while !sweep.is_done() {
            let ran = sweep.step(sizes[steps % sizes.len()]).unwrap();
            assert!(ran > 0);
            assert!(sweep.fraction() >= last, "progress never goes back");
            last = sweep.fraction();
            steps += 1;
        }
        assert_eq!(sweep.fraction(), 1.0);
        steps
    }

    #[test]
    fn sliced_sweep_matches_the_engines_sensitivity() {
        let r = run(include_str!("../scenarios/reference.json"), 600, 3);
        let sim = Simulation::new(&r.scenario, r.trials, r.seed).unwrap();
        let base = sim.run_all();
        let expected = levers::sensitivity(&r.scenario, &base, r.trials, r.seed).unwrap();

        let mut sweep = LeverSweep::new(&r, &base.revenue);
        assert_eq!(
            sweep.levers(),
            20,
            "6 stages x 2 + 6 days + leads + deal size"
        );
        let steps = drive(&mut sweep, &[250, 1, 97, 1000]);
        assert!(steps > 20);
        assert_eq!(sweep.levers_done(), 20);
        assert_eq!(sweep.finish(), expected);
    }

    #[test]
    fn what_ifs_read_well_in_the_form() {
        let r = run(include_str!("../scenarios/reference.json"), 10, 1);
        assert_eq!(12_000.0 * 1.1, 13_200.000000000002);
        assert_eq!(tidy_number(12_000.0 * 1.1), 13_200.0);
        assert_eq!(tidy_number(0.1 + 0.2), 0.3);
        assert_eq!(tidy_number(0.123456789), 0.123456789);
        assert_eq!(tidy_number(1.0 / 3.0), 0.333333333333);
        for lever in Lever::all(&r.scenario) {
            let s = tidy(&lever.apply(&r.scenario));
            assert!(s.validate().is_ok(), "{}", lever.lever);
            let d = crate::draft::Draft::from_scenario(&s, 10, 1);
            let texts = [&d.deal_median, &d.deal_p90, &d.leads_per_month]
                .into_iter()
                .chain(
                    d.stages
                        .iter()
                        .flat_map(|st| [&st.mean, &st.sd, &st.rate, &st.days]),
                );
            for t in texts {
                let noise = t.contains("000000") || t.contains("999999");
                assert!(!noise, "{} {}: {t}", lever.lever, lever.change);
            }
        }
    }

    #[test]
    fn capacity_levers_are_tested_too() {
        let mut r = run(include_str!("../scenarios/reference.json"), 200, 1);
        r.scenario.stages[2].capacity_per_week = Some(2);
        let sim = Simulation::new(&r.scenario, r.trials, r.seed).unwrap();
        let base = sim.run_all();
        let mut sweep = LeverSweep::new(&r, &base.revenue);
        assert_eq!(sweep.levers(), 21);
        drive(&mut sweep, &[64]);
        let effects = sweep.finish();
        let capacity = effects
            .iter()
            .find(|e| e.lever.lever == "Discovery capacity")
            .unwrap();
        assert!(capacity.revenue_delta.mean > 0.0, "{capacity:?}");
        // Ranked: largest effect on mean revenue first.
        for w in effects.windows(2) {
            assert!(w[0].revenue_delta.mean.abs() >= w[1].revenue_delta.mean.abs());
        }
    }

    #[test]
    fn no_target_means_no_chance_deltas() {
        let mut r = run(include_str!("../scenarios/presets/classroom.json"), 100, 1);
        r.scenario.target = None;
        let sim = Simulation::new(&r.scenario, r.trials, r.seed).unwrap();
        let mut sweep = LeverSweep::new(&r, &sim.run_all().revenue);
        drive(&mut sweep, &[1000]);
        let effects = sweep.finish();
        assert!(!effects.is_empty());
        assert!(effects.iter().all(|e| e.probability_delta.is_none()));
    }

    #[test]
    fn a_finished_sweep_runs_nothing() {
        let r = run(include_str!("../scenarios/presets/classroom.json"), 10, 1);
        let sim = Simulation::new(&r.scenario, r.trials, r.seed).unwrap();
        let mut sweep = LeverSweep::new(&r, &sim.run_all().revenue);
        drive(&mut sweep, &[3]);
        assert_eq!(sweep.step(100).unwrap(), 0);
    }
}
