//! Deals already open at the start (a fixed number per stage, not Poisson).
//!
//! Each open deal independently follows a path (lost at some stage, or won)
//! whose probabilities are products of the trial's rates, and, given its path,
//! an outcome in time (left before the horizon, won in a given month, or still
//! open in a given stage) whose probabilities depend only on the scenario.
//! Per trial, a stage's deals are split over paths as the funnel splits them
//! (conditional binomials at the trial's rates), then each path's deals over
//! their outcomes in time, through a table built once per scenario: one by
//! one when a path has few deals for its outcomes, or else as multinomial
//! counts through conditional binomials, which costs the same whatever the
//! number of deals.
//! The same law as one table over all outcomes at the trial's rates, without
//! building that table in every trial (it was a tenth of a trial's
//! instructions, the one-by-one draws from it another fifth).

use crate::alias::FixedAlias;
use crate::dist::binomial;
use crate::outcome::TrialOut;
use crate::rng::{Stream, outcome_rng};
use crate::scenario::Scenario;
use crate::sim::multinomial::multinomial;
use crate::timing::open_deal_timing;

/// A path's deals are placed one by one (one alias draw each) while they are
/// fewer than this many per outcome cell past the first; from there on as a
/// multinomial (one binomial per cell). Most open deals are lost at the stage
/// they are in, on a path of two or three cells (gone before the horizon, or
/// still open in one of the stages before), where a binomial or two replace
/// dozens of alias draws: a trial of the reference scenario went from 60,600 to
/// 55,700 instructions (cachegrind, 2,000 trials; 2 and 4 deals per cell gave
/// 56,000 and 55,700). A path of one cell takes no draw.
const DEALS_PER_CELL_ONE_BY_ONE: u64 = 8;

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
    counts: Vec<u64>,
    path_counts: Vec<u64>,
}

/// Where the deals open today end up: for each stage with open deals, the
/// split over their paths (lost at a later stage, or won) and, per path, the
/// month or end state, tabled once per scenario.
#[derive(Clone, Debug)]
pub struct OpenDeals {
    cells: Cells,
    groups: Vec<Group>,
}

#[derive(Clone, Debug)]
struct Group {
    first: usize,
    count: u64,
    /// Per path (lost at first + k, ..., then won): where its deals end up.
    paths: Vec<Path>,
}

/// One path's outcomes in time, which depend only on the scenario.
#[derive(Clone, Debug)]
struct Path {
    cells: Vec<usize>,
    /// Given the path; the same order as `cells`.
    probabilities: Vec<f64>,
    table: FixedAlias,
}

impl OpenDeals {
    /// The tables of `scenario`'s open deals.
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
                let paths = rows
                    .into_iter()
                    .enumerate()
                    .map(|(path, row)| {
                        let cells_of = cells;
                        let left = if path == won_path { cells.months } else { 1 };
                        let (cells, probabilities): (Vec<usize>, Vec<f64>) = row
                            .into_iter()
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
                            .unzip();
                        // A path's timing sums to 1; should rounding ever leave it
                        // empty, its deals end at the path's first outcome rather
                        // than index an empty table.
                        let (cells, probabilities) = if cells.is_empty() {
                            let first_cell = if path == won_path {
                                cells_of.won(0)
                            } else {
                                cells_of.lost(first + path)
                            };
                            (vec![first_cell], vec![1.0])
                        } else {
                            (cells, probabilities)
                        };
                        Path {
                            table: FixedAlias::new(&probabilities),
                            cells,
                            probabilities,
                        }
                    })
                    .collect();
                Group {
                    first,
                    count: s.open,
                    paths,
                }
            })
            .collect();
        OpenDeals { cells, groups }
    }

    /// Each starting stage's deals draw from their own stream, so a what-if at
    /// one stage does not reshuffle where another stage's deals end up.
    pub fn run(&self, seed: u64, trial: u64, out: &mut TrialOut, scratch: &mut Scratch) {
        let Scratch {
            counts,
            path_counts,
        } = scratch;
        counts.resize(self.cells.len(), 0);
        for g in &self.groups {
            counts.fill(0);
            let mut rng = outcome_rng(seed, trial, Stream::OpenDeals, g.first as u64);
            let mut left = g.count;
            for (k, path) in g.paths.iter().enumerate() {
                if left == 0 {
                    break;
                }
                let n = match out.rates.get(g.first + k) {
                    Some(&p) => {
                        let lost = binomial(left, 1.0 - p, &mut rng);
                        left -= lost;
                        lost
                    }
                    None => std::mem::take(&mut left),
                };
                if n == 0 {
                    continue;
                }
                if let [cell] = path.cells[..] {
                    counts[cell] += n;
                } else if n < DEALS_PER_CELL_ONE_BY_ONE * (path.cells.len() as u64 - 1) {
                    for _ in 0..n {
                        counts[path.cells[path.table.sample(&mut rng)]] += 1;
                    }
                } else {
                    path_counts.resize(path.cells.len(), 0);
                    multinomial(n, &path.probabilities, &mut rng, path_counts);
                    for (&cell, &c) in path.cells.iter().zip(path_counts.iter()) {
                        counts[cell] += c;
                    }
                }
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
