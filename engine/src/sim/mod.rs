//! One trial of the model, run many times.
//!
//! `Simulation::new` does the per-scenario work once (distributions, timing
//! tables); `run_chunk` runs a contiguous range of trials. Chunks from any
//! split, merged in any order by `Collector`, give the same results.

mod multinomial;
mod open_deals;
mod stepper;
mod thinned;

use std::ops::Range;

use crate::dist::{DealValue, LeadMultiplier, RateDist};
use crate::outcome::{Chunk, TrialOut};
use crate::rng::{Stream, trial_rng};
use crate::scenario::{Noise, Scenario};
use crate::{FieldError, ScenarioErrors};

pub use open_deals::{OpenDeals, Scratch};
pub use thinned::Thinned;

pub const DEFAULT_TRIALS: u64 = 10_000;
pub const MAX_TRIALS: u64 = 1_000_000;
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
    thinned: Option<Thinned>,
    open_deals: OpenDeals,
}

impl Simulation {
    /// Validates the scenario and the run settings and prepares the tables.
    pub fn new(scenario: &Scenario, trials: u64, seed: u64) -> Result<Simulation, ScenarioErrors> {
        scenario.validate()?;
        if !(1..=MAX_TRIALS).contains(&trials) {
            return Err(ScenarioErrors(vec![FieldError::new(
                "trials",
                format!("must be from 1 to {MAX_TRIALS}"),
            )]));
        }
        let method = match scenario.leads.noise {
            Noise::Poisson => Method::Thinned,
            Noise::Fixed => Method::Stepper,
        };
        Self::with_method(scenario, trials, seed, method)
    }

    /// As `new`, choosing the method (tests run both on the same scenario).
    pub fn with_method(
        scenario: &Scenario,
        trials: u64,
        seed: u64,
        method: Method,
    ) -> Result<Simulation, ScenarioErrors> {
        scenario.validate()?;
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
        Ok(Simulation {
            thinned: (method == Method::Thinned).then(|| Thinned::new(scenario)),
            open_deals: OpenDeals::new(scenario),
            scenario: scenario.clone(),
            seed,
            trials,
            rates,
            lead_multiplier,
            deal_value,
            method,
            sum_shortcut_from: crate::dist::SUM_SHORTCUT_FROM,
        })
    }

    /// Sets how many deals in one month make their values be drawn as one sum
    /// (`u64::MAX`: always deal by deal). Only for measuring the shortcut.
    pub fn with_sum_shortcut_from(mut self, deals: u64) -> Simulation {
        self.sum_shortcut_from = deals;
        self
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn trials(&self) -> u64 {
        self.trials
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn method(&self) -> Method {
        self.method
    }

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
        let multiplier = self.lead_multiplier.sample(&mut rng);

        let mut rng = trial_rng(self.seed, trial, Stream::Counts);
        match (&self.thinned, self.method) {
            (Some(thinned), Method::Thinned) => {
                thinned.leads(multiplier, out, &mut rng);
                self.open_deals.run(out, scratch, &mut rng);
                out.derive_flows(&self.scenario);
            }
            _ => stepper::run(self, multiplier, out, &mut rng),
        }

        let mut rng = trial_rng(self.seed, trial, Stream::Values);
        for (revenue, &won) in out.month_revenue.iter_mut().zip(&out.month_won) {
            *revenue = self
                .deal_value
                .sum_with_shortcut(won, self.sum_shortcut_from, &mut rng);
        }
    }
}
