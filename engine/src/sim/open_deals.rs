//! Deals already open at the start (a fixed number per stage, not Poisson).
//!
//! Each open deal independently follows a path (lost at some stage, or won)
//! whose probabilities are products of the trial's rates, and, given its path,
//! an outcome in time (left before the horizon, won in a given month, or still
//! open in a given stage) whose probabilities depend only on the scenario.
//! So: draw the path from the rates, then the timing from a fixed alias table.
//! Stages with many open deals draw the same multinomial counts through
//! conditional binomials, which costs the same whatever the number of deals.

use rand::RngExt;

use crate::alias::Alias;
use crate::dist::binomial;
use crate::outcome::TrialOut;
use crate::rng::TrialRng;
use crate::scenario::Scenario;
use crate::timing::open_deal_timing;

/// From this many open deals in a stage, counts are drawn as a multinomial.
const DEAL_BY_DEAL_UP_TO: u64 = 512;

#[derive(Clone, Debug)]
pub struct OpenDeals {
    months: usize,
    groups: Vec<Group>,
}

#[derive(Clone, Debug)]
struct Group {
    first: usize,
    count: u64,
    /// Per path (lost at first + k, then won): the timing table and its probabilities.
    timing: Vec<(Alias, Vec<f64>)>,
}

impl OpenDeals {
    pub fn new(scenario: &Scenario) -> OpenDeals {
        let groups = scenario
            .stages
            .iter()
            .enumerate()
            .filter(|(_, s)| s.open > 0)
            .map(|(first, s)| Group {
                first,
                count: s.open,
                timing: open_deal_timing(scenario, first)
                    .outcomes
                    .into_iter()
                    .map(|p| (Alias::new(&p), p))
                    .collect(),
            })
            .collect();
        OpenDeals {
            months: scenario.horizon_months as usize,
            groups,
        }
    }

    pub fn run(&self, out: &mut TrialOut, rng: &mut TrialRng) {
        let mut paths = Vec::new();
        let mut counts = Vec::new();
        for g in &self.groups {
            path_probabilities(&out.rates[g.first..], &mut paths);
            if g.count <= DEAL_BY_DEAL_UP_TO {
                for _ in 0..g.count {
                    let path = pick(&paths, rng.random::<f64>());
                    let outcome = g.timing[path].0.sample(rng);
                    self.record(g.first, path, outcome, 1, out);
                }
            } else {
                let mut per_path = vec![0; paths.len()];
                multinomial(g.count, &paths, rng, &mut per_path);
                for (path, &n) in per_path.iter().enumerate() {
                    counts.resize(g.timing[path].1.len(), 0);
                    multinomial(n, &g.timing[path].1, rng, &mut counts);
                    for (outcome, &k) in counts.iter().enumerate() {
                        if k > 0 {
                            self.record(g.first, path, outcome, k, out);
                        }
                    }
                }
            }
        }
    }

    fn record(&self, first: usize, path: usize, outcome: usize, n: u64, out: &mut TrialOut) {
        let stages = out.rates.len();
        let won = path == stages - first;
        let left_slots = if won { self.months } else { 1 };
        if outcome < left_slots {
            if won {
                out.month_won[outcome] += n;
            } else {
                out.lost[first + path] += n;
            }
        } else {
            out.open_end[first + outcome - left_slots] += n;
        }
    }
}

/// Probabilities of "lost at stage k" for each remaining stage, then "won".
fn path_probabilities(rates: &[f64], out: &mut Vec<f64>) {
    out.clear();
    let mut reach = 1.0;
    for &p in rates {
        out.push(reach * (1.0 - p));
        reach *= p;
    }
    out.push(reach);
}

fn pick(probabilities: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (i, &p) in probabilities.iter().enumerate() {
        acc += p;
        if u < acc {
            return i;
        }
    }
    // Rounding can leave the sum a hair under 1: the last non-zero outcome.
    probabilities.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

/// Multinomial counts by conditional binomials.
pub(crate) fn multinomial(n: u64, probabilities: &[f64], rng: &mut TrialRng, out: &mut [u64]) {
    let mut left = n;
    let mut mass: f64 = probabilities.iter().sum();
    for (slot, &p) in out.iter_mut().zip(probabilities) {
        *slot = 0;
        if left == 0 || mass <= 0.0 {
            continue;
        }
        let k = if p >= mass { left } else { binomial(left, p / mass, rng) };
        *slot = k;
        left -= k;
        mass -= p;
    }
    if left > 0 {
        // Only reachable through rounding in `mass`: give the rest to the last possible slot.
        if let Some(i) = probabilities.iter().rposition(|&p| p > 0.0) {
            out[i] += left;
        }
    }
}
