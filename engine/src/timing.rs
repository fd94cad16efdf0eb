//! How long deals take, independent of how many move on.
//!
//! In the model a deal's path (how far it gets) depends on the trial's rates,
//! but its timing (when it leaves each stage) depends only on the scenario's
//! `days`. This module turns `days` into per-stage delay distributions and
//! into the tables the simulation multiplies by each trial's rates.

use crate::scenario::{Scenario, month_of_week};

/// Weekly chance that a deal able to leave stage i does leave: `h_i`.
pub fn leave_chance(days: f64) -> f64 {
    if days <= 7.0 { 1.0 } else { 7.0 / days }
}

/// Weeks a deal that enters stage i during a week spends there before leaving:
/// 0 when `days_i == 0` (it leaves in the same week); otherwise 1 + Geometric(h),
/// because only deals present at the start of a week may leave.
pub fn entry_delay(days: f64, weeks: usize) -> Vec<f64> {
    let mut pmf = vec![0.0; weeks];
    if days == 0.0 {
        pmf[0] = 1.0;
    } else {
        fill_geometric(&mut pmf[1..], leave_chance(days));
    }
    pmf
}

/// Weeks a deal already in stage i at the start of week 0 stays there: Geometric(h) from 0.
pub fn open_delay(days: f64, weeks: usize) -> Vec<f64> {
    let mut pmf = vec![0.0; weeks];
    fill_geometric(&mut pmf, leave_chance(days));
    pmf
}

fn fill_geometric(pmf: &mut [f64], h: f64) {
    let mut stay = 1.0;
    for p in pmf.iter_mut() {
        *p = stay * h;
        stay *= 1.0 - h;
    }
}

/// Distribution of `a + b`, truncated to the horizon.
pub fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    let n = a.len();
    let mut out = vec![0.0; n];
    for (i, &x) in a.iter().enumerate() {
        if x == 0.0 {
            continue;
        }
        for (j, &y) in b[..n - i].iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

/// Running sum: `cdf[k] = P(T <= k)`.
pub fn cumulative(pmf: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    pmf.iter()
        .map(|p| {
            acc += p;
            acc.min(1.0)
        })
        .collect()
}

/// `exits[s]`: distribution of the week (relative to the start) in which a deal
/// starting in stage `first` leaves stage `s`, for `s >= first`, if it gets there.
fn exit_times(scenario: &Scenario, first: usize, start: Vec<f64>, weeks: usize) -> Vec<Vec<f64>> {
    let mut exits = Vec::with_capacity(scenario.stages.len() - first);
    let mut current = start;
    for (s, stage) in scenario.stages.iter().enumerate().skip(first) {
        if s > first {
            current = convolve(&current, &entry_delay(stage.days, weeks));
        }
        exits.push(current.clone());
    }
    exits
}

/// Expected outcomes of the leads arriving over the horizon, before a trial's
/// lead multiplier and rates are applied.
///
/// With rates `p`, the expected number of leads that end
/// - won in month m is `u * prod(p) * won[m]`,
/// - lost at stage s is `u * prod(p[..s]) * (1 - p[s]) * lost[s]`,
/// - open in stage s at the horizon is `u * prod(p[..s]) * open[s]`.
///
/// These sum to the expected lead count for any rates (a telescoping sum), and
/// with Poisson arrivals the counts are independent Poisson variables.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadWeights {
    /// Per month of the horizon: the weight of being won in it; times `u * prod(p)`
    /// it is the expected deals won that month.
    pub won: Vec<f64>,
    /// Per stage s: the weight of leaving it before the horizon; times
    /// `u * prod(p[..s]) * (1 - p[s])` it is the expected deals lost there.
    pub lost: Vec<f64>,
    /// Per stage s: the weight of being in it at the horizon; times `u * prod(p[..s])`
    /// it is the expected deals still open there.
    pub open: Vec<f64>,
    /// Expected leads over the horizon with multiplier 1 (the sum of [`expected_leads`]).
    pub total: f64,
}

/// Expected leads arriving in each week with multiplier 1:
/// `per_month * (12/52) * (1 + growth)^month(w)`, times the month's
/// seasonality multiplier when the scenario has one (without, the product
/// is not formed at all, so the bits are those of before seasonality).
pub fn expected_leads(scenario: &Scenario) -> Vec<f64> {
    let per_week = scenario.leads.per_month * 12.0 / 52.0;
    let growth = 1.0 + scenario.leads.growth_per_month;
    let seasonal = scenario.leads.seasonality.is_some();
    (0..scenario.weeks())
        .map(|w| {
            let month = month_of_week(w);
            let lambda = per_week * libm::pow(growth, month as f64);
            if seasonal {
                lambda * scenario.season_factor(month)
            } else {
                lambda
            }
        })
        .collect()
}

/// Expected leads in each month of the horizon with multiplier 1 (the
/// weeks of [`expected_leads`] summed by month): what the app's seasonality
/// chart shows and the tests hold the simulation to.
pub fn expected_leads_by_month(scenario: &Scenario) -> Vec<f64> {
    let mut months = vec![0.0; scenario.horizon_months as usize];
    for (w, lambda) in expected_leads(scenario).into_iter().enumerate() {
        if let Some(m) = months.get_mut(month_of_week(w)) {
            *m += lambda;
        }
    }
    months
}

/// The [`LeadWeights`] of `scenario`'s new leads, computed once per simulation
/// and shared by its trials.
pub fn lead_weights(scenario: &Scenario) -> LeadWeights {
    let weeks = scenario.weeks();
    let months = scenario.horizon_months as usize;
    let arrivals = expected_leads(scenario);
    let stages = scenario.stages.len();
    let first = entry_delay(scenario.stages[0].days, weeks);
    let exits = exit_times(scenario, 0, first, weeks);
    let cdfs: Vec<Vec<f64>> = exits.iter().map(|e| cumulative(e)).collect();

    let mut won = vec![0.0; months];
    let mut lost = vec![0.0; stages];
    let mut open = vec![0.0; stages];
    let last = &exits[stages - 1];
    for (a, &lambda) in arrivals.iter().enumerate() {
        if lambda == 0.0 {
            continue;
        }
        let left = weeks - 1 - a;
        for (d, &p) in last[..=left].iter().enumerate() {
            won[month_of_week(a + d)] += lambda * p;
        }
        let mut reached = 1.0;
        for s in 0..stages {
            let exited = cdfs[s][left];
            lost[s] += lambda * exited;
            open[s] += lambda * (reached - exited).max(0.0);
            reached = exited;
        }
    }
    LeadWeights {
        won,
        lost,
        open,
        total: arrivals.iter().sum(),
    }
}

/// Where a deal open in stage `first` at the start ends up, given how far its
/// path goes. Index `f` in `0..stages - first` is "lost at stage first + f";
/// the last index is "won". For each, `outcomes[f]` lists probabilities of:
/// - index 0: it left (was lost at, or won from, its final stage) before the
///   horizon; for "won", indexes `0..months` instead give the month it was won,
/// - then one entry per stage `first..=final` it can be open in at the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenDealTiming {
    /// The stage the deals are open in today.
    pub first: usize,
    /// Per path end (lost at stage `first + f`, then won), the probabilities listed above.
    pub outcomes: Vec<Vec<f64>>,
}

/// The [`OpenDealTiming`] of deals open in stage `first` today.
pub fn open_deal_timing(scenario: &Scenario, first: usize) -> OpenDealTiming {
    let weeks = scenario.weeks();
    let months = scenario.horizon_months as usize;
    let stages = scenario.stages.len();
    let start = open_delay(scenario.stages[first].days, weeks);
    let exits = exit_times(scenario, first, start, weeks);
    let exited: Vec<f64> = exits
        .iter()
        .map(|e| e.iter().sum::<f64>().min(1.0))
        .collect();

    let open_in = |upto: usize| -> Vec<f64> {
        // Open in stage first + k at the horizon: reached it, has not left it.
        (0..=upto)
            .map(|k| {
                let reached = if k == 0 { 1.0 } else { exited[k - 1] };
                (reached - exited[k]).max(0.0)
            })
            .collect()
    };
    let mut outcomes: Vec<Vec<f64>> = exited
        .iter()
        .enumerate()
        .map(|(k, &left)| std::iter::once(left).chain(open_in(k)).collect())
        .collect();
    let last = stages - first - 1;
    let mut won = vec![0.0; months];
    for (w, p) in exits[last].iter().enumerate() {
        won[month_of_week(w)] += p;
    }
    won.extend(open_in(last));
    outcomes.push(won);
    OpenDealTiming { first, outcomes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_stays_have_the_stated_mean() {
        // days = 21 -> h = 1/3 -> mean stay 3 weeks for an open deal's 0-based
        // count plus the entry week: 1 + (1-h)/h = 3.
        let pmf = entry_delay(21.0, 400);
        let mean: f64 = pmf.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
        assert!((mean - 3.0).abs() < 1e-9, "{mean}");
        assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn short_stays_take_exactly_one_week_and_zero_days_none() {
        assert_eq!(entry_delay(5.0, 4), vec![0.0, 1.0, 0.0, 0.0]);
        assert_eq!(entry_delay(0.0, 3), vec![1.0, 0.0, 0.0]);
        assert_eq!(open_delay(5.0, 3), vec![1.0, 0.0, 0.0]);
    }

    #[test]
    fn lead_weights_partition_the_leads_for_any_rates() {
        let s = crate::Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap();
        let w = lead_weights(&s);
        for rates in [
            [0.3, 0.45, 0.6, 0.5, 0.7, 0.92],
            [1.0; 6],
            [0.0; 6],
            [0.9, 0.1, 0.5, 1.0, 0.2, 0.7],
        ] {
            let mut reach = 1.0;
            let mut total = 0.0;
            for (s, p) in rates.iter().enumerate() {
                total += reach * (1.0 - p) * w.lost[s] + reach * w.open[s];
                reach *= p;
            }
            total += reach * w.won.iter().sum::<f64>();
            assert!(
                (total / w.total - 1.0).abs() < 1e-12,
                "{total} vs {}",
                w.total
            );
        }
    }

    #[test]
    fn open_deal_outcomes_sum_to_one() {
        let s = crate::Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap();
        for first in 0..s.stages.len() {
            let t = open_deal_timing(&s, first);
            for row in &t.outcomes {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{row:?}");
            }
        }
    }
}
