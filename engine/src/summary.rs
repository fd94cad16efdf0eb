//! The run's summary: MODEL.md's fields plus what the app shows.

use serde::Serialize;

use crate::outcome::Chunk;
use crate::sim::Simulation;
use crate::stats::{Band, Stats};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub trials: u64,
    pub seed: u64,
    pub name: String,
    pub currency: String,
    pub horizon_months: u32,
    pub weeks: usize,
    pub revenue: Stats,
    pub won: Stats,
    pub leads: Stats,
    pub lost: Stats,
    pub open_end: Stats,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetSummary>,
    pub months: Vec<MonthSummary>,
    pub stages: Vec<StageSummary>,
    /// Average value of one won deal (the lognormal's mean).
    pub deal_value_mean: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetSummary {
    pub revenue: f64,
    /// Share of trials whose revenue reaches the target (revenue >= target).
    pub probability: f64,
    /// sqrt(p(1-p)/trials).
    pub probability_se: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthSummary {
    pub month: usize,
    pub revenue: Band,
    pub cumulative: Band,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mean {
    pub mean: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageSummary {
    pub name: String,
    pub entered: Mean,
    pub advanced: Mean,
    pub lost: Mean,
    pub open_end: Mean,
    /// advanced / (advanced + lost): the share of deals that left and moved on.
    pub conversion: f64,
    /// Expected revenue the deals lost here would have brought had they moved
    /// on: mean lost x the later stages' mean conversion x mean deal value.
    pub lost_value: f64,
    /// Deals open here at the horizon at the mean deal value, and weighted by
    /// the chance of winning from here at mean rates.
    pub open_end_value: f64,
    pub open_end_weighted_value: f64,
}

impl Summary {
    /// Summarises all trials of `sim`, merged into one chunk in trial order.
    pub fn new(sim: &Simulation, all: &Chunk) -> Summary {
        let scenario = sim.scenario();
        let n = all.len().max(1);
        let revenue = Stats::of(&all.revenue);

        let target = scenario.target.map(|t| {
            let hits = all.revenue.iter().filter(|&&r| r >= t.revenue).count();
            let p = hits as f64 / n as f64;
            TargetSummary {
                revenue: t.revenue,
                probability: p,
                probability_se: libm::sqrt(p * (1.0 - p) / n as f64),
            }
        });

        let months_n = all.months;
        let mut cumulative = vec![0.0; all.len()];
        let mut column = vec![0.0; all.len()];
        let months = (0..months_n)
            .map(|m| {
                for (i, (c, cum)) in column.iter_mut().zip(cumulative.iter_mut()).enumerate() {
                    *c = all.month_revenue[i * months_n + m];
                    *cum += *c;
                }
                MonthSummary {
                    month: m + 1,
                    revenue: Band::of(&column),
                    cumulative: Band::of(&cumulative),
                }
            })
            .collect();

        let deal_mean = sim.deal_value().mean();
        let mean_rates: Vec<f64> = scenario
            .stages
            .iter()
            .map(|s| s.conversion.mean())
            .collect();
        // Chance of winning from the start of stage s at mean rates.
        let win_from = |s: usize| -> f64 { mean_rates[s..].iter().product() };
        let stages = scenario
            .stages
            .iter()
            .zip(&all.stages)
            .enumerate()
            .map(|(s, (stage, t))| {
                let mean = |x: u128| x as f64 / n as f64;
                let left = t.advanced + t.lost;
                let lost = mean(t.lost);
                let open_end = mean(t.open_end);
                let downstream = if s + 1 < mean_rates.len() {
                    win_from(s + 1)
                } else {
                    1.0
                };
                StageSummary {
                    name: stage.name.clone(),
                    entered: Mean {
                        mean: mean(t.entered),
                    },
                    advanced: Mean {
                        mean: mean(t.advanced),
                    },
                    lost: Mean { mean: lost },
                    open_end: Mean { mean: open_end },
                    conversion: if left == 0 {
                        f64::NAN
                    } else {
                        t.advanced as f64 / left as f64
                    },
                    lost_value: lost * downstream * deal_mean,
                    open_end_value: open_end * deal_mean,
                    open_end_weighted_value: open_end * win_from(s) * deal_mean,
                }
            })
            .collect();

        Summary {
            trials: all.len() as u64,
            seed: sim.seed(),
            name: scenario.name.clone(),
            currency: scenario.currency.clone(),
            horizon_months: scenario.horizon_months,
            weeks: scenario.weeks(),
            revenue,
            won: Stats::of_counts(&all.won),
            leads: Stats::of_counts(&all.leads),
            lost: Stats::of_counts(&all.lost),
            open_end: Stats::of_counts(&all.open_end),
            target,
            months,
            stages,
            deal_value_mean: deal_mean,
        }
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
