//! Scenarios side by side: 2 to 4 runs on the same seed and trials, and each
//! one against the first, with the standard error of every difference.
//!
//! Trial `t` of every run draws from the streams of `(seed, t, purpose)`
//! (`rng`). Where two scenarios lay those streams out alike ([`pairing`]),
//! trial `t` of one is trial `t` of the other with the change applied, so a
//! difference is measured trial by trial and its paired standard error
//! carries only the change's own noise. Where they do not, the runs are
//! compared as two samples (unpaired). docs/model-notes.md, "Comparing
//! scenarios", gives the reading.
//!
//! Everything here is a pure function of finished runs (`Comparison::from_runs`):
//! the page builds the same comparison from the runs it holds as
//! `funnelsim compare` prints.

use std::fmt;

use serde::Serialize;

use crate::sim::Method;
use crate::stats::mean_sd;
use crate::{Scenario, Summary};

/// Fewest scenarios a comparison takes.
pub const MIN_SCENARIOS: usize = 2;
/// Most scenarios a comparison takes.
pub const MAX_SCENARIOS: usize = 4;

/// A difference counts as real when it is more than this many standard
/// errors from 0 (about 95% two-sided).
pub const REAL_AT_SE: f64 = 2.0;

/// One finished run to compare: what a `funnelsim run` (or the page's
/// worker) leaves behind.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// What the comparison calls it (the scenario's name, or its file's).
    pub name: &'a str,
    /// The scenario that was run.
    pub scenario: &'a Scenario,
    /// Revenue of every trial, in trial order from trial 0 (`Chunk::revenue`).
    pub revenue: &'a [f64],
    /// The run's summary (`Summary::new` over the same trials).
    pub summary: &'a Summary,
}

/// What differs between two scenarios in how their trials use the random
/// streams; any one of them makes trial `t` of one unlike trial `t` of the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// A different number of stages: the streams of counts are laid out per stage.
    Stages {
        /// Stages of the first scenario.
        first: usize,
        /// Stages of the other.
        other: usize,
    },
    /// A different horizon: not the same revenue, and the week-by-week
    /// method's streams run over different weeks.
    Horizon {
        /// Months of the first scenario.
        first: u32,
        /// Months of the other.
        other: u32,
    },
    /// A different method: thinning and week by week read the same streams
    /// for different things.
    Method {
        /// The first scenario's.
        first: Method,
        /// The other's.
        other: Method,
    },
    /// Runs on different seeds: no stream is shared at all.
    Seed {
        /// The first run's seed.
        first: u64,
        /// The other's.
        other: u64,
    },
}

impl Mismatch {
    /// In plain words, with the two scenarios' names: "B has 5 stages, A has 4".
    /// The names go in as they are: the words are JSON strings and page text,
    /// escaped where they are written.
    pub fn words(&self, first: &str, other: &str) -> String {
        let (a, b) = (first, other);
        match *self {
            Mismatch::Stages { first, other } => {
                format!("{b} has {other} stages, {a} has {first}")
            }
            Mismatch::Horizon { first, other } => {
                format!("{b} forecasts {other} months, {a} {first}")
            }
            Mismatch::Method { first, other } => format!(
                "{b} runs {} (fixed lead counts or a stage capacity need week by week), {a} runs {}",
                other.words(),
                first.words()
            ),
            Mismatch::Seed { first, other } => {
                format!("{b} ran on seed {other}, {a} on seed {first}")
            }
        }
    }
}

/// Whether trial `t` of two runs draws from the same streams for the same things.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pairing {
    /// Trial by trial on common random numbers.
    Paired,
    /// As two independent samples, for these reasons (at least one).
    Unpaired(Vec<Mismatch>),
}

/// Whether `other`, run on the same seed as `base`, pairs with it trial by
/// trial: the same number of stages, the same horizon and the same method.
/// Nothing else moves a stream: rates, lead volume, days, deal size, open
/// deals, team and plans change what is drawn, never from which stream
/// (docs/model-notes.md, "Comparing scenarios").
pub fn pairing(base: &Scenario, other: &Scenario) -> Pairing {
    let mut reasons = Vec::new();
    if base.stages.len() != other.stages.len() {
        reasons.push(Mismatch::Stages {
            first: base.stages.len(),
            other: other.stages.len(),
        });
    }
    if base.horizon_months != other.horizon_months {
        reasons.push(Mismatch::Horizon {
            first: base.horizon_months,
            other: other.horizon_months,
        });
    }
    let (a, b) = (Method::for_scenario(base), Method::for_scenario(other));
    if a != b {
        reasons.push(Mismatch::Method { first: a, other: b });
    }
    if reasons.is_empty() {
        Pairing::Paired
    } else {
        Pairing::Unpaired(reasons)
    }
}

/// Why runs cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareError {
    /// Fewer than [`MIN_SCENARIOS`] or more than [`MAX_SCENARIOS`] runs.
    Count(usize),
    /// A run with another number of trials than the first.
    Trials {
        /// The run's name.
        name: String,
        /// Its trials.
        trials: u64,
        /// The first run's trials.
        first: u64,
    },
    /// A run whose revenue is not one value per trial of its summary.
    Revenue {
        /// The run's name.
        name: String,
        /// Revenue values given.
        values: usize,
        /// Trials of its summary.
        trials: u64,
    },
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::Count(n) => write!(
                f,
                "a comparison takes {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios, not {n}"
            ),
            CompareError::Trials {
                name,
                trials,
                first,
            } => write!(
                f,
                "{} ran {trials} trials and the first scenario {first}: compared scenarios run the same trials",
                crate::cli::quoted(name)
            ),
            CompareError::Revenue {
                name,
                values,
                trials,
            } => write!(
                f,
                "{} has {values} revenue values for {trials} trials",
                crate::cli::quoted(name)
            ),
        }
    }
}

impl std::error::Error for CompareError {}

/// The comparison, as `funnelsim compare` prints it. Every number is finite;
/// `null` only where a field says so.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Trials of every run.
    pub trials: u64,
    /// Seed of the first run (of every run, unless a pairing says otherwise).
    pub seed: u64,
    /// The first scenario's `target.revenue`, which every chance here is of;
    /// `null` when it has none (every chance is then `null`).
    pub target: Option<f64>,
    /// The scenarios in the order given; the first is the base.
    pub scenarios: Vec<ScenarioFigures>,
    /// Every scenario after the first against the first, in order.
    pub differences: Vec<Difference>,
}

/// One scenario's figures, as its own run reports them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioFigures {
    /// Its name in the comparison.
    pub name: String,
    /// The currency of its amounts (a label: nothing is converted).
    pub currency: String,
    /// Months of its forecast.
    pub horizon_months: u32,
    /// Revenue over the horizon: the summary's mean and percentiles.
    pub revenue: Headline,
    /// Chance of reaching the comparison's target; `null` without one.
    pub target_chance: Option<Chance>,
    /// Median cumulative revenue by the end of each month, months 1 to
    /// `horizon_months` (the summary's `months[i].cumulative.p50`).
    pub cumulative_p50: Vec<f64>,
}

/// Revenue over the horizon, from the run's summary (so the figures agree with `funnelsim run`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Headline {
    /// Mean over trials.
    pub mean: f64,
    /// Its Monte Carlo error: sd / sqrt(trials).
    pub mean_se: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// A chance over trials with its Monte Carlo error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Chance {
    /// Share of trials whose revenue is at least the target.
    pub probability: f64,
    /// sqrt(p (1 - p) / trials), as the summary's `target.probability_se`.
    pub se: f64,
}

/// One scenario against the first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// Its index in `scenarios` (1 to 3).
    pub scenario: usize,
    /// Its name.
    pub name: String,
    /// Whether its trials pair with the first scenario's.
    pub pairing: PairingReport,
    /// Mean revenue, this scenario minus the first.
    pub revenue_mean: Gap,
    /// Chance of the target, this scenario minus the first; `null` without a target.
    pub target_chance: Option<Gap>,
}

/// [`Pairing`] as the JSON says it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairingReport {
    /// Whether trial `t` of both runs shares its random numbers.
    pub paired: bool,
    /// Why not, in plain words; empty when paired.
    pub reasons: Vec<String>,
}

/// A difference (other minus first) with its standard errors and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// Other minus first.
    pub difference: f64,
    /// sd of the per-trial differences / sqrt(trials). A valid error of the
    /// difference whatever the pairing (trial pairs are independent of one
    /// another); far below `unpaired_se` when the streams line up.
    pub paired_se: f64,
    /// sqrt(var_first / n + var_other / n): the error were the runs independent.
    pub unpaired_se: f64,
    /// The one to show and the verdict uses: `paired_se` when paired, else
    /// the larger of the two (unpaired runs still share some streams, which
    /// could in principle make the unpaired formula too small).
    pub se: f64,
    /// Index in `scenarios` of the one ahead (0: the first, else this one);
    /// `null` when the difference is exactly 0.
    pub ahead: Option<usize>,
    /// What the difference means.
    pub verdict: Verdict,
}

/// What a difference means, next to its standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The difference and its error are both exactly 0: the same results.
    Equal,
    /// More than [`REAL_AT_SE`] standard errors from 0: not Monte Carlo noise.
    Real,
    /// Within [`REAL_AT_SE`] standard errors of 0: could be Monte Carlo noise.
    WithinError,
}

impl Verdict {
    /// The verdict on `difference` with standard error `se`.
    pub fn of(difference: f64, se: f64) -> Verdict {
        if difference == 0.0 && se == 0.0 {
            Verdict::Equal
        } else if difference.abs() > REAL_AT_SE * se {
            Verdict::Real
        } else {
            Verdict::WithinError
        }
    }
}

impl Gap {
    fn new(
        index: usize,
        difference: f64,
        per_trial: &[f64],
        unpaired_se: f64,
        paired: bool,
    ) -> Gap {
        let paired_se = match per_trial.len() {
            0 | 1 => 0.0,
            n => mean_sd(per_trial).1 / libm::sqrt(n as f64),
        };
        let se = if paired {
            paired_se
        } else {
            paired_se.max(unpaired_se)
        };
        Gap {
            difference,
            paired_se,
            unpaired_se,
            se,
            ahead: if difference > 0.0 {
                Some(index)
            } else if difference < 0.0 {
                Some(0)
            } else {
                None
            },
            verdict: Verdict::of(difference, se),
        }
    }
}

/// Share of `revenue` at least `target`.
fn chance(revenue: &[f64], target: f64) -> Chance {
    let n = revenue.len().max(1) as f64;
    let hits = revenue.iter().filter(|&&r| r >= target).count();
    let p = hits as f64 / n;
    Chance {
        probability: p,
        se: libm::sqrt(p * (1.0 - p) / n),
    }
}

impl Comparison {
    /// The comparison of finished runs, the first the base. Each run's
    /// revenue must be its summary's trials, in trial order; all runs the
    /// same number of trials.
    pub fn from_runs(entries: &[Entry<'_>]) -> Result<Comparison, CompareError> {
        if !(MIN_SCENARIOS..=MAX_SCENARIOS).contains(&entries.len()) {
            return Err(CompareError::Count(entries.len()));
        }
        let base = &entries[0];
        let trials = base.summary.trials;
        for e in entries {
            if e.revenue.len() as u64 != e.summary.trials {
                return Err(CompareError::Revenue {
                    name: e.name.to_owned(),
                    values: e.revenue.len(),
                    trials: e.summary.trials,
                });
            }
            if e.summary.trials != trials {
                return Err(CompareError::Trials {
                    name: e.name.to_owned(),
                    trials: e.summary.trials,
                    first: trials,
                });
            }
        }
        let n = trials.max(1) as f64;
        let target = base.scenario.target.as_ref().map(|t| t.revenue);
        let scenarios: Vec<ScenarioFigures> = entries
            .iter()
            .map(|e| {
                let r = &e.summary.revenue;
                ScenarioFigures {
                    name: e.name.to_owned(),
                    currency: e.summary.currency.clone(),
                    horizon_months: e.summary.horizon_months,
                    revenue: Headline {
                        mean: r.mean,
                        mean_se: r.mean_se,
                        p10: r.p10,
                        p50: r.p50,
                        p90: r.p90,
                    },
                    target_chance: target.map(|t| chance(e.revenue, t)),
                    cumulative_p50: e.summary.months.iter().map(|m| m.cumulative.p50).collect(),
                }
            })
            .collect();
        let differences = entries
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, e)| {
                let mut pairing = pairing(base.scenario, e.scenario);
                if e.summary.seed != base.summary.seed {
                    let seed = Mismatch::Seed {
                        first: base.summary.seed,
                        other: e.summary.seed,
                    };
                    pairing = match pairing {
                        Pairing::Paired => Pairing::Unpaired(vec![seed]),
                        Pairing::Unpaired(mut reasons) => {
                            reasons.push(seed);
                            Pairing::Unpaired(reasons)
                        }
                    };
                }
                let paired = pairing == Pairing::Paired;
                let (a, b) = (&base.summary.revenue, &e.summary.revenue);
                let per_trial: Vec<f64> = e
                    .revenue
                    .iter()
                    .zip(base.revenue)
                    .map(|(y, x)| y - x)
                    .collect();
                let revenue_mean = Gap::new(
                    i,
                    b.mean - a.mean,
                    &per_trial,
                    libm::sqrt(a.sd * a.sd / n + b.sd * b.sd / n),
                    paired,
                );
                drop(per_trial);
                let target_chance = target.map(|t| {
                    let (pa, pb) = (
                        scenarios[0].target_chance.map_or(0.0, |c| c.probability),
                        scenarios[i].target_chance.map_or(0.0, |c| c.probability),
                    );
                    let hit = |r: f64| if r >= t { 1.0 } else { 0.0 };
                    let per_trial: Vec<f64> = e
                        .revenue
                        .iter()
                        .zip(base.revenue)
                        .map(|(&y, &x)| hit(y) - hit(x))
                        .collect();
                    Gap::new(
                        i,
                        pb - pa,
                        &per_trial,
                        libm::sqrt(pa * (1.0 - pa) / n + pb * (1.0 - pb) / n),
                        paired,
                    )
                });
                Difference {
                    scenario: i,
                    name: e.name.to_owned(),
                    pairing: PairingReport {
                        paired,
                        reasons: match &pairing {
                            Pairing::Paired => Vec::new(),
                            Pairing::Unpaired(reasons) => {
                                reasons.iter().map(|m| m.words(base.name, e.name)).collect()
                            }
                        },
                    },
                    revenue_mean,
                    target_chance,
                }
            })
            .collect();
        Ok(Comparison {
            trials,
            seed: base.summary.seed,
            target,
            scenarios,
            differences,
        })
    }

    /// The JSON `funnelsim compare` prints.
    pub fn to_json_pretty(&self) -> String {
        // Plain data of finite numbers, strings and options: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
