//! The model exactly as MODEL.md words it: week by week, stage by stage, with
//! binomial draws for who leaves and who moves on. Its cost does not grow with
//! lead volume either (binomials are drawn in constant time), but it makes
//! two draws per stage per week; the thinned method is used where it applies.
//!
//! A stage's weeks depend only on what arrives from the stage before (no
//! queue looks downstream), so the trial runs stage after stage, all weeks of
//! one stage at a time, each stage on its own stream (and the weekly leads on
//! another). Two things follow. A what-if at one stage leaves every earlier
//! stage's draws exactly as they were, and every later stage's draws start
//! from the same point of their streams, so paired differences carry only the
//! change's own noise. And a plan whose effect starts at stage `f` reruns only
//! stages `f..`: what arrives at `f` is the headline run's, kept in `Scratch`.

use crate::dist::{Binomial, poisson};
use crate::outcome::TrialOut;
use crate::rng::OutcomeStreams;
use crate::scenario::{Noise, Scenario, month_of_week};
use crate::timing::{expected_leads, leave_chance};

/// The per-scenario tables, made once rather than at every run.
#[derive(Clone, Debug)]
pub struct Stepper {
    leave: Vec<f64>,
    same_week: Vec<bool>,
    capacity: Vec<Option<u64>>,
    open: Vec<u64>,
    /// Expected leads arriving in each week with multiplier 1.
    weekly_leads: Vec<f64>,
    noise: Noise,
    months: Vec<usize>,
}

/// Arrivals into each stage, week by week (`stages + 1` rows of `weeks`; the
/// first row is the leads, the last the deals won), of the headline run, and
/// of a plan's run.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    headline: Vec<u64>,
    plan: Vec<u64>,
}

impl Stepper {
    pub fn new(scenario: &Scenario) -> Stepper {
        let weekly_leads = expected_leads(scenario);
        Stepper {
            leave: scenario
                .stages
                .iter()
                .map(|s| leave_chance(s.days))
                .collect(),
            same_week: scenario.stages.iter().map(|s| s.days == 0.0).collect(),
            capacity: scenario
                .stages
                .iter()
                .map(|s| s.capacity_per_week)
                .collect(),
            open: scenario.stages.iter().map(|s| s.open).collect(),
            months: (0..weekly_leads.len()).map(month_of_week).collect(),
            weekly_leads,
            noise: scenario.leads.noise,
        }
    }

    /// The headline run of a trial, with the rates in `out.rates`.
    pub fn run(
        &self,
        multiplier: f64,
        out: &mut TrialOut,
        streams: OutcomeStreams,
        scratch: &mut Scratch,
    ) {
        let rows = &mut scratch.headline;
        rows.resize((self.leave.len() + 1) * self.weekly_leads.len(), 0);
        self.run_from(0, multiplier, out, streams, rows);
    }

    /// A plan's run of the same trial, after the headline run `headline`:
    /// stages before the first whose rate differs (all of them when the lead
    /// volume changes) are the headline's, draw for draw on the same streams,
    /// so they are copied rather than drawn again.
    pub fn rerun(
        &self,
        multiplier: f64,
        headline_multiplier: f64,
        headline: &TrialOut,
        out: &mut TrialOut,
        streams: OutcomeStreams,
        scratch: &mut Scratch,
    ) {
        let stages = self.leave.len();
        let from = if multiplier.to_bits() != headline_multiplier.to_bits() {
            0
        } else {
            (0..stages)
                .find(|&s| out.rates[s].to_bits() != headline.rates[s].to_bits())
                .unwrap_or(stages)
        };
        if from > 0 {
            out.leads = headline.leads;
        }
        for s in 0..from {
            out.entered[s] = headline.entered[s];
            out.advanced[s] = headline.advanced[s];
            out.lost[s] = headline.lost[s];
            out.open_end[s] = headline.open_end[s];
            out.full_weeks[s] = headline.full_weeks[s];
            out.waiting[s] = headline.waiting[s];
        }
        if from == stages {
            out.month_won.copy_from_slice(&headline.month_won);
            return;
        }
        let Scratch { headline, plan } = scratch;
        plan.clone_from(headline);
        self.run_from(from, multiplier, out, streams, plan);
    }

    fn run_from(
        &self,
        from: usize,
        multiplier: f64,
        out: &mut TrialOut,
        streams: OutcomeStreams,
        rows: &mut [u64],
    ) {
        let weeks = self.weekly_leads.len();
        if from == 0 {
            let mut rng = streams.rng(0);
            let leads = &mut rows[..weeks];
            let mut expected_so_far = 0.0;
            for (n, &base) in leads.iter_mut().zip(&self.weekly_leads) {
                let lambda = multiplier * base;
                *n = match self.noise {
                    Noise::Poisson => poisson(lambda, &mut rng),
                    Noise::Fixed => {
                        let before = libm::round(expected_so_far);
                        expected_so_far += lambda;
                        (libm::round(expected_so_far) - before).max(0.0) as u64
                    }
                };
            }
            out.leads = leads.iter().sum();
            out.draws += rng.draws();
        }
        let stages = self.leave.len();
        for s in from..stages {
            let mut rng = streams.rng(s as u64 + 1);
            let (done, next) = rows.split_at_mut((s + 1) * weeks);
            let arriving = &done[s * weeks..];
            let forwards = &mut next[..weeks];
            let (leave, rate) = (Binomial::new(self.leave[s]), Binomial::new(out.rates[s]));
            let same_week = self.same_week[s];
            let mut held = self.open[s];
            let mut entered = held;
            let (mut advanced, mut lost, mut full_weeks, mut waiting) = (0, 0, 0, 0);
            for (&arrived, forward_out) in arriving.iter().zip(forwards.iter_mut()) {
                entered += arrived;
                let can_leave = held + if same_week { arrived } else { 0 };
                let ready = leave.sample(can_leave, &mut rng);
                let leaving = match self.capacity[s] {
                    Some(cap) if ready >= cap => {
                        full_weeks += 1;
                        waiting = ready - cap;
                        cap
                    }
                    _ => {
                        waiting = 0;
                        ready
                    }
                };
                let forward = rate.sample(leaving, &mut rng);
                held = held + arrived - leaving;
                advanced += forward;
                lost += leaving - forward;
                *forward_out = forward;
            }
            out.entered[s] = entered;
            out.advanced[s] = advanced;
            out.lost[s] = lost;
            out.full_weeks[s] = full_weeks;
            out.waiting[s] = waiting;
            out.open_end[s] = held;
            out.draws += rng.draws();
        }
        out.month_won.fill(0);
        for (&won, &m) in rows[stages * weeks..].iter().zip(&self.months) {
            out.month_won[m] += won;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    /// A plan's rerun from its first changed stage gives what a full run at the plan's rates gives.
    #[test]
    fn rerun_from_a_stage_matches_a_full_run() {
        let s = crate::Scenario::from_json(include_str!("../../../scenarios/b2b-capacity.json"))
            .unwrap();
        let stepper = Stepper::new(&s);
        for trial in 0..50 {
            let streams = OutcomeStreams::new(9, trial, Stream::Counts);
            let mut scratch = Scratch::default();
            let mut headline = TrialOut::new(&s);
            headline
                .rates
                .copy_from_slice(&[0.3, 0.45, 0.6, 0.5, 0.7, 0.92]);
            stepper.run(1.05, &mut headline, streams, &mut scratch);
            for changed in 0..=s.stages.len() {
                let mut rates = headline.rates.clone();
                if changed < rates.len() {
                    rates[changed] *= 1.1;
                }
                let mut plan = TrialOut::new(&s);
                plan.rates.copy_from_slice(&rates);
                stepper.rerun(1.05, 1.05, &headline, &mut plan, streams, &mut scratch);
                let mut full = TrialOut::new(&s);
                full.rates.copy_from_slice(&rates);
                stepper.run(1.05, &mut full, streams, &mut Scratch::default());
                assert_eq!(
                    (&plan.month_won, &plan.entered, &plan.advanced, &plan.lost),
                    (&full.month_won, &full.entered, &full.advanced, &full.lost),
                    "trial {trial}, change at {changed}"
                );
                assert_eq!(
                    (&plan.open_end, &plan.full_weeks, &plan.waiting, plan.leads),
                    (&full.open_end, &full.full_weeks, &full.waiting, full.leads),
                    "trial {trial}, change at {changed}"
                );
            }
        }
    }
}
