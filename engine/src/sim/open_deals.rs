//! Deals already open at the start (a fixed number per stage, not Poisson).
//!
//! Each open deal independently follows a path (lost at some stage, or won)
//! whose probabilities are products of the trial's rates, and, given its path,
//! an outcome in time (left before the horizon, won in a given month, or still
//! open in a given stage) whose probabilities depend only on the scenario.
//! Per trial, the two combine into one distribution over outcomes; deals are
//! drawn from it one by one through an alias table, or, in stages with many
//! open deals, as multinomial counts through conditional binomials, which
//! costs the same whatever the number of deals.

use crate::alias::Alias;
use crate::outcome::TrialOut;
use crate::rng::{Stream, outcome_rng};
use crate::scenario::Scenario;
use crate::sim::multinomial::multinomial;
use crate::timing::open_deal_timing;

/// From this many open deals in a stage, counts are drawn as a multinomial.
const DEAL_BY_DEAL_UP_TO: u64 = 512;

/// Outcome cells: won in month m, lost at stage s, open in stage s at the horizon.
#[derive(Clone, Copy, Debug)]
struct Cells {
    months: usize,
    stages: usize,
}

impl Cells {
    fn len(self) -> usize {
        self.months + 2 * self.stages
    }
    fn won(self, month: usize) -> usize {
        month
    }
    fn lost(self, stage: usize) -> usize {
        self.months + stage
    }
    fn open(self, stage: usize) -> usize {
        self.months + self.stages + stage
    }
}

/// Buffers reused from trial to trial.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    probabilities: Vec<f64>,
    counts: Vec<u64>,
    table: Alias,
}

#[derive(Clone, Debug)]
pub struct OpenDeals {
    cells: Cells,
    groups: Vec<Group>,
}

#[derive(Clone, Debug)]
struct Group {
    first: usize,
    count: u64,
    /// Per path (lost at first + k, ..., then won): (cell, probability) given that path.
    timing: Vec<Vec<(usize, f64)>>,
}

impl OpenDeals {
    pub fn new(scenario: &Scenario) -> OpenDeals {
        let cells = Cells {
            months: scenario.horizon_months as usize,
            stages: scenario.stages.len(),
        };
        let groups = scenario
            .stages
            .iter()
            .enumerate()
            .filter(|(_, s)| s.open > 0)
            .map(|(first, s)| {
                let rows = open_deal_timing(scenario, first).outcomes;
                let won_path = rows.len() - 1;
                let timing = rows
                    .into_iter()
                    .enumerate()
                    .map(|(path, row)| {
                        let left = if path == won_path { cells.months } else { 1 };
                        row.into_iter()
                            .enumerate()
                            .map(|(i, p)| {
                                let cell = match (path == won_path, i < left) {
                                    (true, true) => cells.won(i),
                                    (false, true) => cells.lost(first + path),
                                    (_, false) => cells.open(first + i - left),
                                };
                                (cell, p)
                            })
                            .filter(|&(_, p)| p > 0.0)
                            .collect()
                    })
                    .collect();
                Group {
                    first,
                    count: s.open,
                    timing,
                }
            })
            .collect();
        OpenDeals { cells, groups }
    }

    /// Each starting stage's deals draw from their own stream, so a what-if at
    /// one stage does not reshuffle where another stage's deals end up.
    pub fn run(&self, seed: u64, trial: u64, out: &mut TrialOut, scratch: &mut Scratch) {
        let Scratch {
            probabilities,
            counts,
            table,
        } = scratch;
        probabilities.resize(self.cells.len(), 0.0);
        counts.resize(self.cells.len(), 0);
        for g in &self.groups {
            probabilities.fill(0.0);
            let mut reach = 1.0;
            for (k, rows) in g.timing.iter().enumerate() {
                let path = match out.rates.get(g.first + k) {
                    Some(&p) => {
                        let lose = reach * (1.0 - p);
                        reach *= p;
                        lose
                    }
                    None => reach,
                };
                if path > 0.0 {
                    for &(cell, p) in rows {
                        probabilities[cell] += path * p;
                    }
                }
            }
            let mut rng = outcome_rng(seed, trial, Stream::OpenDeals, g.first as u64);
            if g.count <= DEAL_BY_DEAL_UP_TO {
                counts.fill(0);
                table.rebuild(probabilities);
                for _ in 0..g.count {
                    counts[table.sample(&mut rng)] += 1;
                }
            } else {
                multinomial(g.count, probabilities, &mut rng, counts);
            }
            out.draws += rng.draws();
            self.record(counts, out);
        }
    }

    fn record(&self, counts: &[u64], out: &mut TrialOut) {
        let c = self.cells;
        for (m, won) in out.month_won.iter_mut().enumerate() {
            *won += counts[c.won(m)];
        }
        for s in 0..c.stages {
            out.lost[s] += counts[c.lost(s)];
            out.open_end[s] += counts[c.open(s)];
        }
    }
}
