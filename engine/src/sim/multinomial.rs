//! Multinomial counts by conditional binomials: cost grows with the number of
//! outcomes, not with the number of deals.

use crate::dist::binomial;
use crate::rng::TrialRng;

pub fn multinomial(n: u64, probabilities: &[f64], rng: &mut TrialRng, out: &mut [u64]) {
    let mut left = n;
    let mut mass: f64 = probabilities.iter().sum();
    for (slot, &p) in out.iter_mut().zip(probabilities) {
        *slot = 0;
        if left == 0 || mass <= 0.0 || p <= 0.0 {
            continue;
        }
        let k = if p >= mass {
            left
        } else {
            binomial(left, p / mass, rng)
        };
        *slot = k;
        left -= k;
        mass -= p;
    }
    if left > 0 {
        // Only reachable through rounding in `mass`: the rest go to the last possible outcome.
        if let Some(i) = probabilities.iter().rposition(|&p| p > 0.0) {
            out[i] += left;
        }
    }
}
