//! Synthetic CRM exports from a known scenario, deal by deal, so that
//! calibration can be tested against the numbers that made the data (and
//! the shipped examples regenerated: `engine/examples/gen_deals.rs`).
//!
//! Each deal follows MODEL.md's model: deals arrive through each calendar
//! month (Poisson with `per_month * (1 + growth)^m` in month m from the
//! start, on uniform days), stay in each stage whole weeks (0 weeks for
//! `days == 0`, 1 week up to 7 days, else 1 + Geometric(7 / days), mean
//! `days / 7` weeks), then move on with the stage's mean conversion or are
//! lost, and carry a lognormal amount (every deal has one, as CRM deals do;
//! only won ones make the deal size). The scenario's `open` deals and
//! capacity are not simulated: the history starts empty. A deal whose next
//! step falls after `end` is open at `end`, and the file shows no later step.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Geometric, Poisson, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::dates::{Date, DateOrder, days_in_month};
use super::read::Status;
use crate::Scenario;

/// One generated deal.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthDeal {
    /// `D00001`, in order of arrival.
    pub id: String,
    /// Stage index and the day it entered, in order.
    pub entries: Vec<(usize, Date)>,
    /// Won, lost, or open at the end.
    pub status: Status,
    /// The day it was won or lost.
    pub closed: Option<Date>,
    /// Its value.
    pub amount: f64,
}

/// The stay, in days, of one deal in a stage with mean `days`.
fn stay(days: f64, rng: &mut Xoshiro256PlusPlus) -> i64 {
    if days <= 0.0 {
        0
    } else if days <= 7.0 {
        7
    } else {
        let weeks = Geometric::new(7.0 / days).map_or(0, |g| g.sample(rng));
        7 * (1 + weeks as i64)
    }
}

/// Deals arriving from `start` to `end` (both included) under `scenario`.
pub fn generate(scenario: &Scenario, start: Date, end: Date, seed: u64) -> Vec<SynthDeal> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mu = libm::log(scenario.deal_size.median);
    let s = libm::log(scenario.deal_size.p90 / scenario.deal_size.median) / 1.281_551_565_544_600_5;
    let mut arrivals = Vec::new();
    let first = start.month_index();
    for m in first..=end.month_index() {
        let mean = scenario.leads.per_month
            * libm::pow(1.0 + scenario.leads.growth_per_month, (m - first) as f64);
        let n = Poisson::new(mean).map_or(0.0, |p| p.sample(&mut rng)) as u64;
        let month_start = Date::month_start(m);
        let (y, mo, _) = month_start.ymd();
        let len = days_in_month(y, mo) as i64;
        for _ in 0..n {
            let day = Date(month_start.0 + rng.random_range(0..len));
            if day >= start && day <= end {
                arrivals.push(day);
            }
        }
    }
    arrivals.sort_unstable();
    let last = scenario.stages.len() - 1;
    arrivals
        .into_iter()
        .enumerate()
        .map(|(k, arrival)| {
            let z: f64 = StandardNormal.sample(&mut rng);
            let amount = (libm::exp(mu + s * z) * 100.0).round() / 100.0;
            let mut deal = SynthDeal {
                id: format!("D{:05}", k + 1),
                entries: Vec::new(),
                status: Status::Open,
                closed: None,
                amount,
            };
            let mut t = arrival;
            for (i, stage) in scenario.stages.iter().enumerate() {
                deal.entries.push((i, t));
                let leave = Date(t.0 + stay(stage.days, &mut rng));
                let forward = rng.random_bool(stage.conversion.mean().clamp(0.0, 1.0));
                if leave > end {
                    break;
                }
                if !forward {
                    deal.status = Status::Lost;
                    deal.closed = Some(leave);
                    break;
                }
                if i == last {
                    deal.status = Status::Won;
                    deal.closed = Some(leave);
                }
                t = leave;
            }
            deal
        })
        .collect()
}

/// How an export writes its dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateForm {
    /// `YYYY-MM-DD`.
    Iso,
    /// `MM/DD/YYYY` or `DD.MM.YYYY`.
    Numeric(DateOrder),
}

impl DateForm {
    /// `date` in this form.
    pub fn write(self, date: Date) -> String {
        let (y, m, d) = date.ymd();
        match self {
            DateForm::Iso => date.to_string(),
            DateForm::Numeric(DateOrder::MonthFirst) => format!("{m:02}/{d:02}/{y:04}"),
            DateForm::Numeric(DateOrder::DayFirst) => format!("{d:02}.{m:02}.{y:04}"),
        }
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Won => "won",
        Status::Lost => "lost",
        Status::Open => "open",
    }
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    // Writing text to memory cannot fail.
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The long layout: a row per stage entered, the deal columns on every row.
pub fn long_csv(stages: &[String], deals: &[SynthDeal], form: DateForm) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["deal_id", "stage", "entered", "amount", "status", "closed"]);
    for d in deals {
        let closed = d.closed.map(|c| form.write(c)).unwrap_or_default();
        for &(s, date) in &d.entries {
            let _ = w.write_record([
                &d.id,
                &stages[s],
                &form.write(date),
                &format!("{:.2}", d.amount),
                status_word(d.status),
                &closed,
            ]);
        }
    }
    finish(w)
}

/// The wide layout: a row per deal, an `entered STAGE` column per stage.
pub fn wide_csv(stages: &[String], deals: &[SynthDeal], form: DateForm) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "deal_id".to_string(),
        "amount".into(),
        "status".into(),
        "closed".into(),
    ];
    header.extend(stages.iter().map(|s| format!("entered {s}")));
    let _ = w.write_record(&header);
    for d in deals {
        let mut row = vec![
            d.id.clone(),
            format!("{:.2}", d.amount),
            status_word(d.status).into(),
            d.closed.map(|c| form.write(c)).unwrap_or_default(),
        ];
        row.extend(std::iter::repeat_n(String::new(), stages.len()));
        for &(s, date) in &d.entries {
            row[4 + s] = form.write(date);
        }
        let _ = w.write_record(&row);
    }
    finish(w)
}
