//! One trial of the model, run many times.
//!
//! `Simulation::new` does the per-scenario work once (distributions, timing
//! tables); `run_chunk` runs a contiguous range of trials. Chunks from any
//! split, merged in any order by `Collector`, give the same results.

mod adjust;
mod multinomial;
mod open_deals;
mod stepper;
mod team;
mod thinned;

use std::ops::Range;

use crate::dist::{DealValue, LeadMultiplier, RateDist};
use crate::outcome::{Chunk, TrialOut};
use crate::rng::{OutcomeStreams, Stream, trial_rng};
use crate::scenario::{Noise, Scenario};
use crate::{FieldError, ScenarioErrors};

pub use adjust::Adjustment;
pub use open_deals::OpenDeals;
pub use thinned::Thinned;

/// Trials of a run when none are asked for (MODEL.md).
pub const DEFAULT_TRIALS: u64 = 10_000;
/// The most trials a run may have (docs/bounds.md).
pub const MAX_TRIALS: u64 = 1_000_000;
/// The seed of a run when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// Which exact method runs the trials. Both are MODEL.md's model; they differ
/// in cost and in what they support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Week by week, stage by stage, with binomial draws: the model as written.
    /// Needed for fixed lead counts.
    Stepper,
    /// Poisson thinning: with Poisson leads whose paths do not interact, the
    /// counts of each outcome are independent Poisson variables, so a trial
    /// costs a few dozen draws whatever the lead volume.
    Thinned,
}

impl Method {
    /// The method `Simulation::new` runs `scenario` with: thinning needs deals
    /// whose paths do not interact, so fixed lead counts or a stage capacity
    /// take the week-by-week method.
    pub fn for_scenario(scenario: &Scenario) -> Method {
        let capacity = scenario
            .stages
            .iter()
            .any(|s| s.capacity_per_week.is_some());
        match scenario.leads.noise {
            Noise::Poisson if !capacity => Method::Thinned,
            _ => Method::Stepper,
        }
    }

    /// The method in words, for messages.
    pub fn words(self) -> &'static str {
        match self {
            Method::Stepper => "week by week",
            Method::Thinned => "by Poisson thinning",
        }
    }
}

/// A scenario made ready to simulate.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub(crate) scenario: Scenario,
    pub(crate) seed: u64,
    pub(crate) trials: u64,
    pub(crate) rates: Vec<RateDist>,
    pub(crate) lead_multiplier: LeadMultiplier,
    pub(crate) deal_value: DealValue,
    method: Method,
    sum_shortcut_from: u64,
    adjustment: Adjustment,
    team: Option<team::TeamModel>,
    plans: Vec<team::PlanModel>,
    funnel: Funnel,
    open_deals: OpenDeals,
}

/// The method's per-scenario tables.
#[derive(Clone, Debug)]
enum Funnel {
    Thinned(Thinned),
    Stepper(stepper::Stepper),
}

impl Simulation {
    /// Validates the scenario and the run settings and prepares the tables.
    pub fn new(scenario: &Scenario, trials: u64, seed: u64) -> Result<Simulation, ScenarioErrors> {
        Self::with_method(scenario, trials, seed, Method::for_scenario(scenario))
    }

    /// As `new`, choosing the method (tests run both on the same scenario).
    pub fn with_method(
        scenario: &Scenario,
        trials: u64,
        seed: u64,
        method: Method,
    ) -> Result<Simulation, ScenarioErrors> {
        scenario.validate()?;
        if !(1..=MAX_TRIALS).contains(&trials) {
            return Err(ScenarioErrors(vec![FieldError::new(
                "trials",
                format!("must be from 1 to {MAX_TRIALS}"),
            )]));
        }
        let dist_error = |path: String, e: crate::dist::DistError| {
            ScenarioErrors(vec![FieldError::new(path, e.to_string())])
        };
        let rates = scenario
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                RateDist::new(&s.conversion)
                    .map_err(|e| dist_error(format!("stages[{i}].conversion"), e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let lead_multiplier = LeadMultiplier::new(scenario.leads.uncertainty_cv)
            .map_err(|e| dist_error("leads.uncertainty_cv".into(), e))?;
        let deal_value = DealValue::new(scenario.deal_size.median, scenario.deal_size.p90)
            .map_err(|e| dist_error("deal_size".into(), e))?;
        if method == Method::Thinned && scenario.leads.noise == Noise::Fixed {
            return Err(ScenarioErrors(vec![FieldError::new(
                "leads.noise",
                "fixed lead counts need the week-by-week method",
            )]));
        }
        if method == Method::Thinned
            && scenario
                .stages
                .iter()
                .any(|s| s.capacity_per_week.is_some())
        {
            return Err(ScenarioErrors(vec![FieldError::new(
                "stages",
                "stage capacity needs the week-by-week method",
            )]));
        }
        Ok(Simulation {
            funnel: match method {
                Method::Thinned => Funnel::Thinned(Thinned::new(scenario)),
                Method::Stepper => Funnel::Stepper(stepper::Stepper::new(scenario)),
            },
            open_deals: OpenDeals::new(scenario),
            scenario: scenario.clone(),
            seed,
            trials,
            rates,
            lead_multiplier,
            deal_value,
            method,
            sum_shortcut_from: crate::dist::SUM_SHORTCUT_FROM,
            adjustment: Adjustment::none(scenario.stages.len()),
            team: scenario.team.map(team::TeamModel::new),
            plans: match scenario.team {
                Some(t) => scenario
                    .plans
                    .iter()
                    .map(|p| team::PlanModel::new(p, scenario, t))
                    .collect(),
                None => Vec::new(),
            },
        })
    }

    /// Sets how many deals in one month make their values be drawn as one sum
    /// (`u64::MAX`: always deal by deal). Only for measuring the shortcut.
    pub fn with_sum_shortcut_from(mut self, deals: u64) -> Simulation {
        self.sum_shortcut_from = deals;
        self
    }

    /// Applies a what-if change to every trial's drawn rates and lead volume,
    /// keeping the same random streams (common random numbers).
    pub fn with_adjustment(mut self, adjustment: Adjustment) -> Simulation {
        self.adjustment = adjustment;
        self
    }

    /// The scenario this simulation runs.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// How many trials a full run has.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The seed every trial's streams derive from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How a trial is run: thinned, or week by week.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The distribution of a won deal's value.
    pub fn deal_value(&self) -> &DealValue {
        &self.deal_value
    }

    /// Runs trials `range` (clamped to the run's trial count).
    pub fn run_chunk(&self, range: Range<u64>) -> Chunk {
        let range = range.start.min(self.trials)..range.end.min(self.trials);
        let mut chunk = Chunk::new(
            &self.scenario,
            range.start,
            (range.end - range.start) as usize,
        );
        let mut out = TrialOut::new(&self.scenario);
        let mut scratch = Scratch::default();
        for trial in range {
            self.run_trial(trial, &mut out, &mut scratch);
            chunk.push(&out);
        }
        chunk
    }

    /// The full outcome of one trial (for inspection and tests; `run_chunk`
    /// keeps only what the summary needs).
    pub fn trial(&self, trial: u64) -> TrialOut {
        let mut out = TrialOut::new(&self.scenario);
        self.run_trial(trial, &mut out, &mut Scratch::default());
        out
    }

    /// All trials in one chunk.
    pub fn run_all(&self) -> Chunk {
        self.run_chunk(0..self.trials)
    }

    pub(crate) fn run_trial(&self, trial: u64, out: &mut TrialOut, scratch: &mut Scratch) {
        out.clear();
        let mut rng = trial_rng(self.seed, trial, Stream::Uncertainty);
        for (rate, dist) in out.rates.iter_mut().zip(&self.rates) {
            *rate = dist.sample(&mut rng);
        }
        let multiplier = self.lead_multiplier.sample(&mut rng) * self.adjustment.leads_scale;
        out.draws += rng.draws();
        self.adjustment.apply(&mut out.rates);
        let mut win_from = 1.0;
        let mut weighted = 0.0;
        for (stage, &p) in self.scenario.stages.iter().zip(&out.rates).rev() {
            win_from *= p;
            weighted += stage.open as f64 * win_from;
        }
        out.pipeline_weighted = weighted * self.deal_value.mean();
        if let Some(team) = &self.team {
            out.draws += team.draw(self.seed, trial, &mut scratch.team);
        }
        self.run_funnel(trial, multiplier, out, scratch, None);

        // Taken out so each plan can fill its result while `out` is read.
        let mut results = std::mem::take(&mut out.plans);
        for (plan, result) in self.plans.iter().zip(results.iter_mut()) {
            if plan.has_effect() {
                let mut plan_out = scratch
                    .plan_out
                    .take()
                    .unwrap_or_else(|| TrialOut::new(&self.scenario));
                plan_out.clear();
                plan_out.rates.copy_from_slice(&out.rates);
                plan.apply(&mut plan_out.rates);
                self.run_funnel(
                    trial,
                    multiplier * plan.leads_scale(),
                    &mut plan_out,
                    scratch,
                    Some((multiplier, &*out)),
                );
                plan.evaluate(&plan_out, result);
                out.draws += plan_out.draws;
                scratch.plan_out = Some(plan_out);
            } else {
                plan.evaluate(out, result);
            }
        }
        out.plans = results;
    }

    /// Moves deals through the funnel with the given rates (in `out.rates`)
    /// and lead multiplier, then values the won deals. Plans rerun this with
    /// their effect on the same streams (common random numbers), passing the
    /// headline run (its multiplier and outcome) that the week-by-week method
    /// can reuse.
    fn run_funnel(
        &self,
        trial: u64,
        multiplier: f64,
        out: &mut TrialOut,
        scratch: &mut Scratch,
        headline: Option<(f64, &TrialOut)>,
    ) {
        match &self.funnel {
            Funnel::Thinned(thinned) => {
                thinned.leads(self.seed, trial, multiplier, out);
                self.open_deals
                    .run(self.seed, trial, out, &mut scratch.open);
                out.derive_flows(&self.scenario);
            }
            Funnel::Stepper(stepper) => {
                let streams = OutcomeStreams::new(self.seed, trial, Stream::Counts);
                match headline {
                    None => stepper.run(multiplier, out, streams, &mut scratch.stepper),
                    Some((headline_multiplier, headline)) => stepper.rerun(
                        multiplier,
                        headline_multiplier,
                        headline,
                        out,
                        streams,
                        &mut scratch.stepper,
                    ),
                }
            }
        }
        match &self.team {
            None => {
                // One stream per month: a deal more in one month leaves every
                // other month's values as they were.
                let streams = OutcomeStreams::new(self.seed, trial, Stream::Values);
                for (m, (revenue, &won)) in
                    out.month_revenue.iter_mut().zip(&out.month_won).enumerate()
                {
                    let mut rng = streams.rng(m as u64);
                    *revenue =
                        self.deal_value
                            .sum_with_shortcut(won, self.sum_shortcut_from, &mut rng);
                    out.draws += rng.draws();
                }
            }
            Some(team) => team.assign(
                &self.deal_value,
                self.sum_shortcut_from,
                self.seed,
                trial,
                &mut scratch.team,
                out,
            ),
        }
    }
}

/// Buffers reused from trial to trial.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    open: open_deals::Scratch,
    team: team::TeamDraw,
    stepper: stepper::Scratch,
    plan_out: Option<TrialOut>,
}
