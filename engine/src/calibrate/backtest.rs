//! A forecast made in the past against what happened (MODEL.md, `backtest`):
//! calibrate on what was known at the as-of date, forecast `months` from it,
//! and place the revenue actually won in that window within the forecast.
//!
//! The window is the forecast's own: `round(months * 52 / 12)` weeks after
//! the as-of date, so the actual and the simulation cover the same days.
//! [`plan`] gives the scenario and the actual; whoever runs the trials (the
//! command line on threads, the app on its workers) hands the revenues to
//! [`judge`].

use serde::{Deserialize, Serialize};

use super::count::{count, latest_date};
use super::read::{Deals, Status};
use super::report::Report;
use super::{Date, Problem, ProblemKind};
use crate::Scenario;

/// What a backtest needs before its trials run.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The scenario calibrated as of the date, over `months`.
    pub scenario: Scenario,
    /// The report it was built from.
    pub report: Report,
    /// The last day of the window.
    pub end: Date,
    /// Revenue won in the file after the as-of date, up to `end`.
    pub actual: f64,
}

/// The backtest's answer: MODEL.md's `{as_of, months, p10, p50, p90, actual, percentile}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// The as-of date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Months forecast.
    pub months: u32,
    /// The forecast's P10 of revenue in the window.
    pub p10: f64,
    /// Its P50.
    pub p50: f64,
    /// Its P90.
    pub p90: f64,
    /// Revenue actually won in the window.
    pub actual: f64,
    /// Where the actual falls in the forecast, 0 to 100: the share of trials
    /// below it, ties counting half.
    pub percentile: f64,
}

/// Calibrates as of `as_of` and measures the actual over the next `months`.
pub fn plan(deals: &Deals, as_of: Date, months: u32) -> Result<Plan, Vec<Problem>> {
    let window = |m: String| vec![Problem::file(ProblemKind::Window, m)];
    if !(1..=crate::scenario::MAX_HORIZON_MONTHS).contains(&months) {
        return Err(window(format!(
            "--months: {months} is not a whole number from 1 to {}",
            crate::scenario::MAX_HORIZON_MONTHS
        )));
    }
    let counts = count(deals, Some(as_of))?;
    let latest = latest_date(deals).unwrap_or(as_of);
    let end = Date(as_of.0 + 7 * crate::scenario::weeks_in(months) as i64);
    if end > latest {
        return Err(window(format!(
            "--months: the forecast from {as_of} runs to {end}, after the file's last date {latest}: what was won by then is not in the file"
        )));
    }
    let report = Report::new(&counts);
    let scenario = report.scenario(&format!("Backtest as of {as_of}"), months)?;
    let actual = deals
        .deals
        .iter()
        .filter(|d| d.status.value == Status::Won)
        .filter(|d| {
            d.closed
                .as_ref()
                .is_some_and(|c| c.value > as_of && c.value <= end)
        })
        .filter_map(|d| d.amount.as_ref().map(|a| a.value))
        .sum();
    Ok(Plan {
        scenario,
        report,
        end,
        actual,
    })
}

/// Places `actual` within the trials' `revenue`.
pub fn judge(as_of: Date, months: u32, revenue: &[f64], actual: f64) -> Backtest {
    let sorted = crate::stats::sorted(revenue);
    let below = sorted.partition_point(|&r| r < actual);
    let at_or_below = sorted.partition_point(|&r| r <= actual);
    let n = sorted.len().max(1) as f64;
    Backtest {
        as_of: as_of.to_string(),
        months,
        p10: crate::stats::percentile(&sorted, 0.1),
        p50: crate::stats::percentile(&sorted, 0.5),
        p90: crate::stats::percentile(&sorted, 0.9),
        actual,
        percentile: 100.0 * (below as f64 + 0.5 * (at_or_below - below) as f64) / n,
    }
}
