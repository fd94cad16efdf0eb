//! The calibration report: what was counted, per stage and for the funnel,
//! in a form a page can show before anything changes, and the version-1
//! scenario built from it.

use serde::{Deserialize, Serialize};

use super::count::Counts;
use super::interval::{km_median, rate_interval};
use super::leads::{self, LeadsFit};
use super::{Problem, ProblemKind};
use crate::scenario::{
    Conversion, DealSize, Leads, MAX_DAYS, MAX_DEAL_SPREAD, Noise, Scenario, Stage,
};

/// Decided deals (advanced + lost) below which a stage's rate is flagged
/// as resting on little history.
pub const FEW_DECIDED: u64 = 30;
/// The report's interval: the central 90% of the Beta (P5 to P95).
pub const INTERVAL_LEVEL: f64 = 0.9;

/// One stage, as counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageReport {
    /// The stage's name.
    pub name: String,
    /// Deals that entered it (skipped ones included).
    pub entered: u64,
    /// Deals that moved on from it (for the last stage: won).
    pub advanced: u64,
    /// Deals lost at it.
    pub lost: u64,
    /// Deals in it at the as-of date (censored: in no rate).
    pub open: u64,
    /// The scenario's `{won: advanced, of: advanced + lost}`.
    pub won: u64,
    /// Decided deals: advanced + lost.
    pub of: u64,
    /// `won / of`; `None` when no deal was decided.
    pub rate: Option<f64>,
    /// The 90% interval of the rate the scenario draws (Beta(won+1, of-won+1)).
    pub interval: [f64; 2],
    /// Mean days in the stage: every entered deal's days (open ones up to the
    /// as-of date) over the deals that left; the scenario's `days`.
    pub days_mean: f64,
    /// Median days in the stage (Kaplan-Meier, open deals censored); `None`
    /// while over half the deals are still there.
    pub days_median: Option<f64>,
    /// Fewer than [`FEW_DECIDED`] decided deals.
    pub few: bool,
}

/// The value of won deals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealSizeReport {
    /// Won deals with a positive amount, the sample.
    pub count: u64,
    /// Their median.
    pub median: f64,
    /// Their 90th percentile.
    pub p90: f64,
    /// Whether `p90` was capped at [`MAX_DEAL_SPREAD`] times the median.
    pub p90_capped: bool,
}

/// Something the report's reader should know; the app words each itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// A stage with fewer than [`FEW_DECIDED`] decided deals.
    FewDecided {
        /// The stage.
        stage: String,
        /// Its decided deals.
        decided: u64,
    },
    /// No deal left a stage: its days are the days counted so far (a floor).
    NoneLeft {
        /// The stage.
        stage: String,
    },
    /// Fewer than 12 full months of leads.
    FewMonths {
        /// Full months fitted.
        months: usize,
    },
    /// The fitted growth was beyond +-50% a month and was clamped.
    GrowthClamped,
    /// Deals that went back to an earlier stage (counted at their furthest).
    WentBack {
        /// How many.
        deals: u64,
    },
    /// Won deals without a positive amount (not in the deal size).
    WonWithoutAmount {
        /// How many.
        deals: u64,
    },
    /// No won deal with an amount: the deal size cannot be counted.
    NoDealSize,
    /// The deal size's P90 was capped at 1000 times its median.
    DealSpreadCapped,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::FewDecided { stage, decided } => write!(
                f,
                "stage {}: only {decided} decided deals (fewer than {FEW_DECIDED}); its rate is uncertain",
                crate::cli::quoted(stage)
            ),
            Warning::NoneLeft { stage } => write!(
                f,
                "stage {}: no deal has left it yet; its days are the days counted so far",
                crate::cli::quoted(stage)
            ),
            Warning::FewMonths { months } => write!(
                f,
                "leads: {months} full months of history (12 wanted); the growth is {}",
                if *months < 2 {
                    "set to 0"
                } else {
                    "fitted on those"
                }
            ),
            Warning::GrowthClamped => write!(
                f,
                "leads: the fitted growth was beyond 50% a month and is held there"
            ),
            Warning::WentBack { deals } => write!(
                f,
                "{deals} deals went back to an earlier stage; each counts at the furthest stage it reached"
            ),
            Warning::WonWithoutAmount { deals } => write!(
                f,
                "{deals} won deals have no amount and are not in the deal size"
            ),
            Warning::NoDealSize => write!(
                f,
                "no won deal with an amount: the deal size cannot be counted"
            ),
            Warning::DealSpreadCapped => {
                write!(f, "deal size: P90 capped at 1000 times the median")
            }
        }
    }
}

/// Everything a calibration counted, for the page to show and the scenario
/// to be built from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The as-of date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Deals counted (begun by the as-of date).
    pub deals: u64,
    /// Per stage, in funnel order.
    pub stages: Vec<StageReport>,
    /// Won deals by the as-of date.
    pub won: u64,
    /// The deal size; `None` without a won deal with an amount.
    pub deal_size: Option<DealSizeReport>,
    /// Leads per month and growth.
    pub leads: LeadsFit,
    /// What the reader should know.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The report of `counts`.
    pub fn new(counts: &Counts) -> Report {
        let mut warnings = Vec::new();
        let stages: Vec<StageReport> = counts
            .stages
            .iter()
            .zip(&counts.per_stage)
            .map(|(name, s)| {
                let (won, of) = (s.advanced, s.left());
                if of < FEW_DECIDED {
                    warnings.push(Warning::FewDecided {
                        stage: name.clone(),
                        decided: of,
                    });
                }
                if s.left() == 0 && s.entered > 0 {
                    warnings.push(Warning::NoneLeft {
                        stage: name.clone(),
                    });
                }
                // With no deal left the maximum-likelihood mean is unbounded;
                // the days so far (as if one had left) are a floor, within the model's limit.
                let days_mean = (s.days as f64 / s.left().max(1) as f64).min(MAX_DAYS);
                StageReport {
                    name: name.clone(),
                    entered: s.entered,
                    advanced: s.advanced,
                    lost: s.lost,
                    open: s.open,
                    won,
                    of,
                    rate: (of > 0).then(|| won as f64 / of as f64),
                    interval: rate_interval(won, of, INTERVAL_LEVEL),
                    days_mean,
                    days_median: km_median(&mut s.stays.clone()),
                    few: of < FEW_DECIDED,
                }
            })
            .collect();
        let mut amounts = counts.won_amounts.clone();
        amounts.sort_by(f64::total_cmp);
        let without = counts.won - amounts.len() as u64;
        if without > 0 {
            warnings.push(Warning::WonWithoutAmount { deals: without });
        }
        let deal_size = if amounts.is_empty() {
            warnings.push(Warning::NoDealSize);
            None
        } else {
            let median = crate::stats::percentile(&amounts, 0.5);
            let p90 = crate::stats::percentile(&amounts, 0.9);
            let capped = p90 > MAX_DEAL_SPREAD * median;
            if capped {
                warnings.push(Warning::DealSpreadCapped);
            }
            Some(DealSizeReport {
                count: amounts.len() as u64,
                median,
                p90: p90.min(MAX_DEAL_SPREAD * median),
                p90_capped: capped,
            })
        };
        let leads = leads::fit(&counts.leads_by_month, counts.first_lead, counts.as_of);
        if leads.months.len() < leads::FIT_MONTHS as usize {
            warnings.push(Warning::FewMonths {
                months: leads.months.len(),
            });
        }
        if leads.growth_clamped {
            warnings.push(Warning::GrowthClamped);
        }
        if counts.went_back > 0 {
            warnings.push(Warning::WentBack {
                deals: counts.went_back,
            });
        }
        Report {
            as_of: counts.as_of.to_string(),
            deals: counts.deals,
            stages,
            won: counts.won,
            deal_size,
            leads,
            warnings,
        }
    }

    /// The version-1 scenario these numbers make: per stage `{won, of}`,
    /// `days` and `open`; the deal size; leads per month and growth (Poisson
    /// noise, no volume uncertainty). Refused without a deal size, or when
    /// the numbers break the model's bounds (every problem by field path).
    pub fn scenario(&self, name: &str, horizon_months: u32) -> Result<Scenario, Vec<Problem>> {
        let Some(size) = &self.deal_size else {
            return Err(vec![Problem::file(
                ProblemKind::NoWonDeals,
                "no won deal with an amount by the as-of date: the deal size cannot be counted",
            )]);
        };
        let scenario = Scenario {
            version: crate::scenario::FORMAT_VERSION,
            name: name.to_string(),
            currency: "USD".into(),
            horizon_months,
            start_month: None,
            leads: Leads {
                per_month: self.leads.per_month,
                growth_per_month: self.leads.growth_per_month,
                noise: Noise::Poisson,
                uncertainty_cv: 0.0,
                seasonality: None,
            },
            stages: self
                .stages
                .iter()
                .map(|s| Stage {
                    name: s.name.clone(),
                    conversion: Conversion::History {
                        won: s.won,
                        of: s.of,
                    },
                    days: s.days_mean,
                    open: s.open,
                    capacity_per_week: None,
                })
                .collect(),
            deal_size: DealSize {
                median: size.median,
                p90: size.p90,
            },
            target: None,
            team: None,
            plans: Vec::new(),
            exercise: None,
        };
        scenario.validate().map_err(|errors| {
            errors
                .0
                .iter()
                .map(|e| {
                    Problem::file(
                        ProblemKind::Bounds,
                        format!("the calibrated scenario breaks a bound: {e}"),
                    )
                })
                .collect::<Vec<_>>()
        })?;
        Ok(scenario)
    }
}

/// The same scenario with every `{won, of}` rate fixed at the mean the
/// forecast draws it around, `(won + 1) / (of + 2)`: what the app's "what
/// the data is worth" sets against the calibrated scenario, so that the
/// difference in spread is what the size of the history leaves unknown
/// (the means agree). Other conversions stay as they are.
pub fn with_fixed_rates(scenario: &Scenario) -> Scenario {
    let mut fixed = scenario.clone();
    for stage in &mut fixed.stages {
        if let Conversion::History { .. } = stage.conversion {
            stage.conversion = Conversion::Fixed(stage.conversion.mean());
        }
    }
    fixed
}
