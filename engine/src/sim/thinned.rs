//! Leads by Poisson thinning.
//!
//! Given a trial's rates and lead multiplier, each Poisson lead independently
//! ends in one outcome (won in month m, lost at stage s, open at stage s at the
//! horizon) with a probability that is a product of rates and of timing terms
//! fixed by the scenario. Thinning a Poisson process by independent outcomes
//! gives independent Poisson counts per outcome, so a trial needs one Poisson
//! draw per outcome, whatever the lead volume.

use crate::dist::poisson;
use crate::outcome::TrialOut;
use crate::rng::{OutcomeStreams, Stream};
use crate::scenario::Scenario;
use crate::timing::{LeadWeights, lead_weights};

/// The thinned method: Poisson leads split into independent Poisson counts
/// per outcome (stage lost or won, and month), with weights that depend only
/// on the scenario.
#[derive(Clone, Debug)]
pub struct Thinned {
    weights: LeadWeights,
}

impl Thinned {
    /// The outcome weights of `scenario`.
    pub fn new(scenario: &Scenario) -> Thinned {
        Thinned {
            weights: lead_weights(scenario),
        }
    }

    /// Draws every outcome count, each from its own stream: a what-if that
    /// moves one Poisson mean leaves every other count exactly as it was, so
    /// paired differences carry only the change's own noise.
    pub fn leads(&self, seed: u64, trial: u64, multiplier: f64, out: &mut TrialOut) {
        let w = &self.weights;
        let streams = OutcomeStreams::new(seed, trial, Stream::Counts);
        let count = |outcome: usize, mean: f64, draws: &mut u64| {
            let mut rng = streams.rng(outcome as u64);
            let n = poisson(mean, &mut rng);
            *draws += rng.draws();
            n
        };
        let stages = out.rates.len();
        let mut reach = multiplier;
        let mut leads = 0;
        for (s, &p) in out.rates.iter().enumerate() {
            let lost = count(2 * s, reach * (1.0 - p) * w.lost[s], &mut out.draws);
            let open = count(2 * s + 1, reach * w.open[s], &mut out.draws);
            out.lost[s] += lost;
            out.open_end[s] += open;
            leads += lost + open;
            reach *= p;
        }
        for (m, (won, &weight)) in out.month_won.iter_mut().zip(&w.won).enumerate() {
            let n = count(2 * stages + m, reach * weight, &mut out.draws);
            *won += n;
            leads += n;
        }
        out.leads = leads;
    }
}
