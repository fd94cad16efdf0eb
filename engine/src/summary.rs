//! The run's summary: MODEL.md's fields plus what the app shows.

use serde::{Deserialize, Serialize};

use crate::outcome::Chunk;
use crate::sim::Simulation;
use crate::stats::{Band, Stats};

/// The summary of a run: MODEL.md's summary JSON plus what the app shows.
/// Statistics are over the run's trials; amounts are in the scenario's
/// currency. Every number is finite; `None` (`null`) means "does not apply"
/// (docs/bounds.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Trials summarised.
    pub trials: u64,
    /// Seed of the run: with the scenario and `trials` it fixes every number here.
    pub seed: u64,
    /// The scenario's name (a label).
    pub name: String,
    /// The scenario's currency: the unit of every amount here.
    pub currency: String,
    /// Length of the forecast in months.
    pub horizon_months: u32,
    /// Weeks simulated: `round(horizon_months * 52 / 12)`.
    pub weeks: usize,
    /// Revenue over the horizon per trial: statistics over trials.
    pub revenue: Stats,
    /// Deals won over the horizon per trial: statistics over trials.
    pub won: Stats,
    /// New leads entering the first stage over the horizon per trial: statistics over trials.
    pub leads: Stats,
    /// Deals lost at any stage over the horizon per trial: statistics over trials.
    pub lost: Stats,
    /// Deals still open at the horizon, all stages together, per trial: statistics over trials.
    pub open_end: Stats,
    /// The chance of reaching the target; `None` (absent) without a target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetSummary>,
    /// Revenue month by month, months 1 to `horizon_months`.
    pub months: Vec<MonthSummary>,
    /// Flows through each stage, in funnel order.
    pub stages: Vec<StageSummary>,
    /// Average value of one won deal (the lognormal's mean).
    pub deal_value_mean: f64,
    /// One summary per incentive plan, in the scenario's order; empty without plans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<PlanSummary>,
    /// The chance of being on track at each milestone, in the scenario's order;
    /// empty without milestones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<MilestoneSummary>,
    /// Each lever's effect, largest first (filled by `levers::sensitivity`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitivity: Vec<crate::levers::LeverEffect>,
    /// The reverse-funnel answer, when asked for (filled by `goal::solve`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<crate::goal::GoalAnswer>,
    /// The deals open today and what they are worth.
    pub pipeline: PipelineSummary,
    /// The stage that limits the funnel: a capacity that is full in most
    /// weeks; otherwise the stage where the most would-be revenue is lost.
    /// `None` when no capacity is the limit in more than half the weeks and no
    /// stage loses would-be revenue.
    pub bottleneck: Option<Bottleneck>,
}

/// A mean with its Monte Carlo standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanSe {
    /// The estimate: a mean over trials.
    pub mean: f64,
    /// Its Monte Carlo error: the standard error of `mean`, sd / sqrt(trials).
    pub se: f64,
}

impl MeanSe {
    /// Mean of `a - b` trial by trial, with the paired standard error.
    pub fn paired(a: &[f64], b: &[f64]) -> MeanSe {
        let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
        let (mean, sd) = crate::stats::mean_sd(&d);
        MeanSe {
            mean,
            se: sd / libm::sqrt(d.len().max(1) as f64),
        }
    }
}

/// Percentiles: 10% of the values lie at or below `p10`, 90% at or below `p90`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// 10th percentile.
    pub p10: f64,
    /// Median (50th percentile).
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// A plan minus the first plan, trial by trial on common random numbers, with
/// paired standard errors: a difference is the plans', not sampling noise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDelta {
    /// Difference in revenue.
    pub revenue: MeanSe,
    /// Difference in comp cost.
    pub comp_cost: MeanSe,
    /// Difference in net revenue (revenue - comp cost).
    pub net_revenue: MeanSe,
}

/// One incentive plan over all trials: the funnel run with the plan's effect,
/// and what the plan pays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    /// The plan's name.
    pub name: String,
    /// Revenue over the horizon with the plan's effect, per trial: statistics over trials.
    pub revenue: Stats,
    /// Comp cost per trial (commission, quota bonuses and SPIF over all reps):
    /// statistics over trials.
    pub comp_cost: Stats,
    /// revenue - comp_cost, trial by trial.
    pub net_revenue: Stats,
    /// Mean over trials with revenue of comp_cost / revenue; `null` when no
    /// trial had revenue.
    pub cost_of_sales: MaybeMean,
    /// Mean share of reps with attainment >= 1.
    pub reps_at_quota: Mean,
    /// Attainment percentiles over all reps and trials, from a histogram whose
    /// buckets are 1/256 of their value wide (within 0.2%; see `histogram`).
    pub attainment: Spread,
    /// Mean over trials of the SPIF paid (part of `comp_cost`).
    pub spif: Mean,
    /// This plan minus the first plan, trial by trial (zero for the first).
    pub delta_vs_first: PlanDelta,
    /// What the plan would cost if every rep hit the mean attainment exactly
    /// (plus the mean SPIF): the naive estimate, to set against `comp_cost.mean`.
    pub cost_at_mean_attainment: f64,
    /// Payout for one rep against attainment from 0 to 2.
    pub payout_curve: Vec<crate::comp::CurvePoint>,
}

/// The chance of reaching `target.revenue` over the horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetSummary {
    /// The target: revenue goal for the horizon.
    pub revenue: f64,
    /// Share of trials whose revenue reaches the target (revenue >= target).
    pub probability: f64,
    /// Monte Carlo error of `probability`: sqrt(p(1-p)/trials).
    pub probability_se: f64,
}

/// Chance of being on track at a milestone: cumulative revenue by the end of
/// `month` at least `revenue`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneSummary {
    /// Month of the horizon, from 1.
    pub month: u32,
    /// Cumulative revenue goal by the end of `month`.
    pub revenue: f64,
    /// Share of trials whose cumulative revenue by the end of `month` is at least `revenue`.
    pub probability: f64,
    /// Monte Carlo error of `probability`: sqrt(p(1-p)/trials).
    pub probability_se: f64,
}

/// The open pipeline today, as CRM reports show it, with its uncertainty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineSummary {
    /// Deals open today.
    pub open_deals: u64,
    /// Open deals at the average deal value, unweighted.
    pub value: f64,
    /// Open deals x each one's chance of being won (at the trial's rates) x average deal:
    /// mean and P10/P50/P90 over trials.
    pub weighted_value: Band,
    /// value / target revenue (CRM "pipeline coverage"); `None` without a target
    /// or with a target of 0.
    pub coverage: Option<f64>,
    /// weighted_value / target revenue, over trials; `None` as for `coverage`.
    pub weighted_coverage: Option<Band>,
    /// Days from entering the first stage to being won, summed over stages.
    pub cycle_days: f64,
    /// Sales velocity per day: open opportunities x win rate x average deal /
    /// cycle length (= weighted value / cycle days), over trials; `None` with no
    /// deals open today or when every stage takes 0 days.
    pub velocity_per_day: Option<Band>,
}

/// Revenue in one month of the horizon, over trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthSummary {
    /// Month of the horizon, from 1.
    pub month: usize,
    /// Revenue won in this month per trial: mean and P10/P50/P90 over trials.
    pub revenue: Band,
    /// Revenue won from month 1 to the end of this month per trial: mean and
    /// P10/P50/P90 over trials.
    pub cumulative: Band,
}

/// A mean over trials, as the JSON's `{mean}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mean {
    /// The mean.
    pub mean: f64,
}

/// A mean that may not apply (`null` in the JSON), e.g. a ratio with nothing to divide by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaybeMean {
    /// The mean; `None` (`null`) when it does not apply.
    pub mean: Option<f64>,
}

/// Flows through one stage, as means over trials (MODEL.md's `stages[i]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageSummary {
    /// The stage's name.
    pub name: String,
    /// Mean over trials of the deals that were in the stage: those open in it today
    /// plus those that came in during the horizon.
    pub entered: Mean,
    /// Mean over trials of the deals that moved forward out of the stage (for the
    /// last stage: won).
    pub advanced: Mean,
    /// Mean over trials of the deals lost at the stage.
    pub lost: Mean,
    /// Mean over trials of the deals still open in the stage at the horizon.
    pub open_end: Mean,
    /// advanced / (advanced + lost): the share of deals that left and moved on;
    /// `null` when no deal left the stage in any trial.
    pub conversion: Option<f64>,
    /// Expected revenue the deals lost here would have brought had they moved
    /// on: mean lost x the later stages' mean conversion x mean deal value.
    pub lost_value: f64,
    /// Mean over trials of the deals still open here at the horizon x the mean
    /// deal value.
    pub open_end_value: f64,
    /// `open_end_value` weighted by the chance of being won from this stage at the
    /// mean conversions (this stage's and every later one's).
    pub open_end_weighted_value: f64,
    /// How hard the stage's weekly capacity is pressed; `None` (absent) when the
    /// stage has no capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacitySummary>,
}

/// How hard a stage with a weekly capacity is pressed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapacitySummary {
    /// The stage's capacity: the most deals that can leave it in one week.
    pub per_week: u64,
    /// Mean over trials of deals that left / (capacity x weeks), 0..1.
    pub utilisation: f64,
    /// Mean share of weeks in which the capacity was the limit.
    pub weeks_full: f64,
    /// Mean deals ready to leave in the last week that had to wait.
    pub waiting_at_horizon: f64,
}

/// The stage that limits the funnel, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    /// Index of the stage in `stages`, from 0.
    pub stage: usize,
    /// The stage's name.
    pub name: String,
    /// Always "capacity": the stage was full in most weeks. (Until December
    /// 2026 a funnel with no full stage named the stage losing the most
    /// would-be revenue here, as "value lost"; MODEL.md has `bottleneck` null
    /// when no stage is full, and the stage where fewer losses pay most is
    /// `levers::biggest_leak`.)
    pub reason: String,
    /// The stage's `capacity.weeks_full` (mean share of weeks its capacity was the
    /// limit); 0 without a capacity.
    pub weeks_full: f64,
    /// The stage's `lost_value`.
    pub lost_value: f64,
}

impl Summary {
    /// The share of the trials whose revenue reaches `target` ("at least"):
    /// the summary's `target.probability` (and an exercise's answer).
    pub fn target_probability(all: &Chunk, target: f64) -> f64 {
        let hits = all.revenue.iter().filter(|&&r| r >= target).count();
        hits as f64 / all.len().max(1) as f64
    }

    /// Summarises all trials of `sim`, merged into one chunk in trial order.
    pub fn new(sim: &Simulation, all: &Chunk) -> Summary {
        let scenario = sim.scenario();
        let n = all.len().max(1);
        let revenue = Stats::of(&all.revenue);

        let target = scenario.target.as_ref().map(|t| {
            let p = Summary::target_probability(all, t.revenue);
            TargetSummary {
                revenue: t.revenue,
                probability: p,
                probability_se: libm::sqrt(p * (1.0 - p) / n as f64),
            }
        });

        let milestones = scenario
            .target
            .iter()
            .flat_map(|t| &t.milestones)
            .map(|m| {
                let col = m.month as usize - 1;
                let hits = (0..all.len())
                    .filter(|&i| {
                        let mut cum = 0.0;
                        for r in &all.month_revenue[i * all.months..=i * all.months + col] {
                            cum += r;
                        }
                        cum >= m.revenue
                    })
                    .count();
                let p = hits as f64 / n as f64;
                MilestoneSummary {
                    month: m.month,
                    revenue: m.revenue,
                    probability: p,
                    probability_se: libm::sqrt(p * (1.0 - p) / n as f64),
                }
            })
            .collect();

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
        let stages: Vec<StageSummary> = scenario
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
                    conversion: (left > 0).then(|| t.advanced as f64 / left as f64),
                    lost_value: lost * downstream * deal_mean,
                    open_end_value: open_end * deal_mean,
                    open_end_weighted_value: open_end * win_from(s) * deal_mean,
                    capacity: stage.capacity_per_week.map(|cap| {
                        let weeks = scenario.weeks() as f64;
                        CapacitySummary {
                            per_week: cap,
                            utilisation: mean(t.advanced + t.lost) / (cap as f64 * weeks),
                            weeks_full: mean(t.full_weeks) / weeks,
                            waiting_at_horizon: mean(t.waiting),
                        }
                    }),
                }
            })
            .collect();

        let plans = plan_summaries(sim, all);
        let pipeline = pipeline_summary(sim, all);
        let bottleneck = bottleneck(&stages);
        Summary {
            sensitivity: Vec::new(),
            goal: None,
            milestones,
            pipeline,
            plans,
            bottleneck,
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

    /// The summary JSON, pretty-printed: what `funnelsim run` prints.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn pipeline_summary(sim: &Simulation, all: &Chunk) -> PipelineSummary {
    let scenario = sim.scenario();
    let open_deals: u64 = scenario.stages.iter().map(|s| s.open).sum();
    let value = open_deals as f64 * sim.deal_value().mean();
    let cycle_days: f64 = scenario.stages.iter().map(|s| s.days).sum();
    let weighted = &all.pipeline_weighted;
    let target = scenario
        .target
        .as_ref()
        .map(|t| t.revenue)
        .filter(|&t| t > 0.0);
    let scaled = |k: f64| -> Band {
        let v: Vec<f64> = weighted.iter().map(|w| w * k).collect();
        Band::of(&v)
    };
    PipelineSummary {
        open_deals,
        value,
        weighted_value: Band::of(weighted),
        coverage: target.map(|t| value / t),
        weighted_coverage: target.map(|t| scaled(1.0 / t)),
        cycle_days,
        velocity_per_day: (cycle_days > 0.0 && open_deals > 0).then(|| scaled(1.0 / cycle_days)),
    }
}

/// The stage full in more than half the weeks (the fullest), or `None`.
fn bottleneck(stages: &[StageSummary]) -> Option<Bottleneck> {
    stages
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.capacity.as_ref().map(|c| (i, c.weeks_full)))
        .filter(|&(_, share)| share > 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, share)| Bottleneck {
            stage: i,
            name: stages[i].name.clone(),
            reason: "capacity".into(),
            weeks_full: share,
            lost_value: stages[i].lost_value,
        })
}

fn plan_summaries(sim: &Simulation, all: &Chunk) -> Vec<PlanSummary> {
    let scenario = sim.scenario();
    let Some(team) = scenario.team else {
        return Vec::new();
    };
    let first = all.plans.first();
    scenario
        .plans
        .iter()
        .zip(&all.plans)
        .map(|(plan, c)| {
            let net: Vec<f64> = c
                .revenue
                .iter()
                .zip(&c.comp_cost)
                .map(|(r, k)| r - k)
                .collect();
            let ratios: Vec<f64> = c
                .revenue
                .iter()
                .zip(&c.comp_cost)
                .filter(|(r, _)| **r > 0.0)
                .map(|(r, k)| k / r)
                .collect();
            let n = c.revenue.len().max(1) as f64;
            let at_quota: f64 =
                c.at_quota.iter().map(|&k| k as f64).sum::<f64>() / (n * team.reps as f64);
            let attainment = |q: f64| c.attainment_histogram.percentile(q).unwrap_or(0.0);
            // All bookings over all quotas: the plan's revenue is its reps' bookings.
            let (revenue_mean, _) = crate::stats::mean_sd(&c.revenue);
            let mean_attainment = revenue_mean / (team.quota * team.reps as f64);
            let (spif, _) = crate::stats::mean_sd(&c.spif);
            let delta = match first {
                Some(f) => {
                    let f_net: Vec<f64> = f
                        .revenue
                        .iter()
                        .zip(&f.comp_cost)
                        .map(|(r, k)| r - k)
                        .collect();
                    PlanDelta {
                        revenue: MeanSe::paired(&c.revenue, &f.revenue),
                        comp_cost: MeanSe::paired(&c.comp_cost, &f.comp_cost),
                        net_revenue: MeanSe::paired(&net, &f_net),
                    }
                }
                None => zero_delta(),
            };
            PlanSummary {
                name: plan.name.clone(),
                revenue: Stats::of(&c.revenue),
                comp_cost: Stats::of(&c.comp_cost),
                net_revenue: Stats::of(&net),
                cost_of_sales: MaybeMean {
                    mean: (!ratios.is_empty()).then(|| crate::stats::mean_sd(&ratios).0),
                },
                reps_at_quota: Mean { mean: at_quota },
                attainment: Spread {
                    p10: attainment(0.10),
                    p50: attainment(0.50),
                    p90: attainment(0.90),
                },
                spif: Mean { mean: spif },
                delta_vs_first: delta,
                cost_at_mean_attainment: team.reps as f64
                    * crate::comp::payout(plan, team.quota, mean_attainment * team.quota)
                    + spif,
                payout_curve: crate::comp::payout_curve(plan, team.quota),
            }
        })
        .collect()
}

fn zero_delta() -> PlanDelta {
    let zero = MeanSe { mean: 0.0, se: 0.0 };
    PlanDelta {
        revenue: zero,
        comp_cost: zero,
        net_revenue: zero,
    }
}
