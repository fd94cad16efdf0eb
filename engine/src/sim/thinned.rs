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
use crate::rng::TrialRng;
use crate::scenario::Scenario;
use crate::timing::{LeadWeights, lead_weights};

#[derive(Clone, Debug)]
pub struct Thinned {
    weights: LeadWeights,
}

impl Thinned {
    pub fn new(scenario: &Scenario) -> Thinned {
        Thinned {
            weights: lead_weights(scenario),
        }
    }

    pub fn leads(&self, multiplier: f64, out: &mut TrialOut, rng: &mut TrialRng) {
        let w = &self.weights;
        let mut reach = multiplier;
        let mut leads = 0;
        for (s, &p) in out.rates.iter().enumerate() {
            let lost = poisson(reach * (1.0 - p) * w.lost[s], rng);
            let open = poisson(reach * w.open[s], rng);
            out.lost[s] += lost;
            out.open_end[s] += open;
            leads += lost + open;
            reach *= p;
        }
        for (won, &weight) in out.month_won.iter_mut().zip(&w.won) {
            let n = poisson(reach * weight, rng);
            *won += n;
            leads += n;
        }
        out.leads = leads;
    }
}
