//! One stage as typed: its conversion in one of three ways (a rate, an
//! estimate with a spread, or won of decided), days, open deals, capacity.

use funnel_engine::{Conversion, FieldError, Stage};

use super::numbers::{num, pct, round_to};
use super::read::Errors;
use super::{MSG_CAPACITY, MSG_PERCENT};

/// How the user states a stage's conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionKind {
    /// A known rate, in percent.
    Fixed,
    /// An uncertain rate: mean and spread (standard deviation), both in percent.
    Estimate,
    /// History: won X of Y.
    History,
}

impl ConversionKind {
    pub const ALL: [ConversionKind; 3] = [
        ConversionKind::Fixed,
        ConversionKind::Estimate,
        ConversionKind::History,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConversionKind::Fixed => "fixed",
            ConversionKind::Estimate => "estimate",
            ConversionKind::History => "history",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConversionKind::Fixed => "Fixed rate",
            ConversionKind::Estimate => "Mean and spread",
            ConversionKind::History => "Won X of Y",
        }
    }

    pub fn parse(s: &str) -> Option<ConversionKind> {
        ConversionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One stage as typed. `id` only keys the row in the page; it is not saved.
#[derive(Clone, Debug, PartialEq)]
pub struct StageDraft {
    pub id: u32,
    pub name: String,
    pub kind: ConversionKind,
    /// Fixed rate, percent.
    pub rate: String,
    /// Mean rate, percent.
    pub mean: String,
    /// Spread (standard deviation) of the rate, percent.
    pub sd: String,
    pub won: String,
    pub of: String,
    pub days: String,
    pub open: String,
    /// Deals that can leave the stage in a week; empty means no limit.
    pub capacity: String,
    /// The stage as loaded: fields the form does not edit are kept from it.
    base: Stage,
}

impl StageDraft {
    pub(super) fn from_stage(id: u32, stage: &Stage) -> StageDraft {
        let mean = stage.conversion.mean();
        let (kind, sd, won, of) = match stage.conversion {
            Conversion::Fixed(p) => (
                ConversionKind::Fixed,
                "0".to_owned(),
                num((p * 100.0).round()),
                "100".to_owned(),
            ),
            Conversion::Estimate { mean, sd } => (
                ConversionKind::Estimate,
                pct(sd),
                num((mean * 100.0).round()),
                "100".to_owned(),
            ),
            Conversion::History { won, of } => {
                // Beta(won + 1, of - won + 1): its standard deviation, for the other views.
                let (a, b) = (won as f64 + 1.0, (of - won.min(of)) as f64 + 1.0);
                let sd = (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt();
                (
                    ConversionKind::History,
                    num(round_to(sd * 100.0, 2)),
                    won.to_string(),
                    of.to_string(),
                )
            }
        };
        let mean_text = match stage.conversion {
            Conversion::History { .. } => num(round_to(mean * 100.0, 2)),
            _ => pct(mean),
        };
        StageDraft {
            id,
            name: stage.name.clone(),
            kind,
            rate: mean_text.clone(),
            mean: mean_text,
            sd,
            won,
            of,
            days: num(stage.days),
            open: stage.open.to_string(),
            capacity: stage
                .capacity_per_week
                .map(|c| c.to_string())
                .unwrap_or_default(),
            base: stage.clone(),
        }
    }

    pub(super) fn to_stage(&self, i: usize, e: &mut Errors) -> Option<Stage> {
        let at = |field: &str| format!("stages[{i}].{field}");
        let name = self.name.as_str();
        if name.trim().is_empty() {
            e.0.push(FieldError::new(at("name"), "Enter a name"));
        }
        let conversion = match self.kind {
            ConversionKind::Fixed => e
                .percent(&self.rate, &at("conversion"), MSG_PERCENT, |x| {
                    (0.0..=100.0).contains(&x)
                })
                .map(Conversion::Fixed),
            ConversionKind::Estimate => {
                let mean = e.percent(&self.mean, &at("conversion.mean"), MSG_PERCENT, |x| {
                    (0.0..=100.0).contains(&x)
                });
                let sd = e.percent(
                    &self.sd,
                    &at("conversion.sd"),
                    "Enter a spread in percentage points, 0 or more",
                    |x| (0.0..=100.0).contains(&x),
                );
                Some(Conversion::Estimate {
                    mean: mean?,
                    sd: sd?,
                })
            }
            ConversionKind::History => {
                let won = e.whole(
                    &self.won,
                    &at("conversion.won"),
                    "Enter a whole number of deals won, 0 or more",
                    |_| true,
                );
                let of = e.whole(
                    &self.of,
                    &at("conversion.of"),
                    "Enter a whole number of deals, 0 or more",
                    |_| true,
                );
                match (won, of) {
                    (Some(w), Some(o)) if w > o => {
                        e.0.push(FieldError::new(
                            at("conversion.won"),
                            format!("Enter at most {o}: deals won cannot exceed the deals decided"),
                        ));
                        None
                    }
                    (Some(won), Some(of)) => Some(Conversion::History { won, of }),
                    _ => None,
                }
            }
        };
        let days = e.number(
            &self.days,
            &at("days"),
            "Enter a number of days, 0 or more",
            |x| x >= 0.0,
        );
        let open = e.whole(
            &self.open,
            &at("open"),
            "Enter a whole number of deals, 0 or more",
            |_| true,
        );
        let capacity = if self.capacity.trim().is_empty() {
            Some(None)
        } else {
            e.whole(
                &self.capacity,
                &at("capacity_per_week"),
                MSG_CAPACITY,
                |n| n >= 1,
            )
            .map(Some)
        };
        if name.is_empty() {
            return None;
        }
        let mut stage = self.base.clone();
        stage.name = name.to_owned();
        stage.conversion = conversion?;
        stage.days = days?;
        stage.open = open?;
        stage.capacity_per_week = capacity?;
        Some(stage)
    }
}
