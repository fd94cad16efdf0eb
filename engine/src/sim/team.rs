//! Reps and incentive plans inside a trial.
//!
//! Rep weights are drawn once per trial (stream `Team`) and shared by every
//! plan. Won deals are handed to reps on their own streams (`Assign`, one a
//! month), which every funnel run of the trial restarts, so a plan without an
//! effect books exactly the headline's deals to exactly the same reps.
//!
//! The cost of a month is bounded whatever its deal count: up to
//! `SUM_SHORTCUT_FROM` deals are valued and handed out one by one; past it, or
//! whenever every deal has the same size, the count is split over reps as a
//! multinomial and each rep's deals are valued as one sum: at most a few
//! draws per rep a month.

use crate::alias::Alias;
use crate::comp::payout;
use crate::dist::DealValue;
use crate::outcome::{PlanTrial, TrialOut};
use crate::rng::{OutcomeStreams, Stream, trial_rng};
use crate::scenario::{Plan, Scenario, Team};
use crate::sim::multinomial::multinomial;
use rand_distr::{Distribution, StandardNormal};

#[derive(Clone, Debug)]
pub struct TeamModel {
    team: Team,
}

/// One trial's rep weights, and buffers.
#[derive(Clone, Debug, Default)]
pub struct TeamDraw {
    shares: Vec<f64>,
    table: Alias,
    counts: Vec<u64>,
}

impl TeamModel {
    pub fn new(team: Team) -> TeamModel {
        TeamModel { team }
    }

    /// Draws the trial's rep weights; returns the words of randomness used.
    pub fn draw(&self, seed: u64, trial: u64, draw: &mut TeamDraw) -> u64 {
        let reps = self.team.reps as usize;
        draw.shares.clear();
        let mut draws = 0;
        if self.team.skill_sd == 0.0 {
            draw.shares.resize(reps, 1.0 / reps as f64);
        } else {
            let mut rng = trial_rng(seed, trial, Stream::Team);
            for _ in 0..reps {
                let z: f64 = StandardNormal.sample(&mut rng);
                draw.shares.push(libm::exp(self.team.skill_sd * z));
            }
            let total: f64 = draw.shares.iter().sum();
            for w in &mut draw.shares {
                *w /= total;
            }
            draws = rng.draws();
        }
        draw.table.rebuild(&draw.shares);
        draw.counts.resize(reps, 0);
        draws
    }

    /// Values the won deals month by month, handing each to a rep. Below the
    /// shortcut, and for deals of one fixed size, the month's revenue is the
    /// same bits as without a team (same draws, same order), so revenue does
    /// not depend on whether bookings are tracked.
    pub fn assign(
        &self,
        deal: &DealValue,
        shortcut_from: u64,
        seed: u64,
        trial: u64,
        draw: &mut TeamDraw,
        out: &mut TrialOut,
    ) {
        out.bookings.clear();
        out.bookings.resize(self.team.reps as usize, 0.0);
        let value_streams = OutcomeStreams::new(seed, trial, Stream::Values);
        let assign_streams = OutcomeStreams::new(seed, trial, Stream::Assign);
        for (m, (revenue, &won)) in out.month_revenue.iter_mut().zip(&out.month_won).enumerate() {
            let mut values = value_streams.rng(m as u64);
            let mut reps = assign_streams.rng(m as u64);
            let mut total = 0.0;
            if deal.is_fixed() {
                multinomial(won, &draw.shares, &mut reps, &mut draw.counts);
                let size = deal.sum(1, &mut values);
                for (booked, &n) in out.bookings.iter_mut().zip(&draw.counts) {
                    *booked += n as f64 * size;
                }
                total = deal.sum(won, &mut values);
            } else if won < shortcut_from {
                for _ in 0..won {
                    let v = deal.sample(&mut values);
                    out.bookings[draw.table.sample(&mut reps)] += v;
                    total += v;
                }
            } else {
                // Each rep's deals as one moment-matched sum, however few: valuing
                // them one by one would cost up to reps x SUM_SHORTCUT_FROM draws a
                // month. Exact for a rep with one deal; mean and variance exact always.
                multinomial(won, &draw.shares, &mut reps, &mut draw.counts);
                for (booked, &n) in out.bookings.iter_mut().zip(&draw.counts) {
                    let v = deal.sum_with_shortcut(n, 1, &mut values);
                    *booked += v;
                    total += v;
                }
            }
            *revenue = total;
            out.draws += values.draws() + reps.draws();
        }
    }
}

/// A plan made ready: its effect as per-stage multipliers, its SPIF stage as an index.
#[derive(Clone, Debug)]
pub struct PlanModel {
    plan: Plan,
    quota: f64,
    rate_scale: Vec<f64>,
    leads_scale: f64,
    spif_stage: Option<usize>,
}

impl PlanModel {
    pub fn new(plan: &Plan, scenario: &Scenario, team: Team) -> PlanModel {
        let rate_scale = scenario
            .stages
            .iter()
            .map(|s| {
                plan.effect
                    .conversion
                    .iter()
                    .filter(|(name, _)| *name == s.name)
                    .fold(1.0, |acc, (_, uplift)| acc * (1.0 + uplift))
            })
            .collect();
        PlanModel {
            plan: plan.clone(),
            quota: team.quota,
            rate_scale,
            leads_scale: 1.0 + plan.effect.leads,
            spif_stage: plan
                .spif
                .as_ref()
                .and_then(|s| scenario.stages.iter().position(|st| st.name == s.stage)),
        }
    }

    pub fn has_effect(&self) -> bool {
        !self.plan.effect.is_none()
    }

    pub fn leads_scale(&self) -> f64 {
        self.leads_scale
    }

    pub fn apply(&self, rates: &mut [f64]) {
        for (p, s) in rates.iter_mut().zip(&self.rate_scale) {
            *p = (*p * s).min(1.0);
        }
    }

    /// Fills `result` (reusing its buffer) with what the plan earns and costs in `run`.
    pub fn evaluate(&self, run: &TrialOut, result: &mut PlanTrial) {
        let mut revenue = 0.0;
        for &r in &run.month_revenue {
            revenue += r;
        }
        let mut comp_cost = 0.0;
        let mut at_quota = 0;
        result.attainment.clear();
        for &b in &run.bookings {
            comp_cost += payout(&self.plan, self.quota, b);
            at_quota += u32::from(b >= self.quota);
            result.attainment.push(b / self.quota);
        }
        let spif = match (&self.plan.spif, self.spif_stage) {
            (Some(s), Some(stage)) => s.per_deal * run.advanced[stage] as f64,
            _ => 0.0,
        };
        result.revenue = revenue;
        result.comp_cost = comp_cost + spif;
        result.spif = spif;
        result.at_quota = at_quota;
    }
}
