//! The engine's checks in the form's words: percent fields in percent.
//!
//! Messages are chosen by the error's kind and path, never by the engine's
//! wording: the engine may rephrase a message for the command line without
//! the form noticing.

use funnel_engine::{ErrorKind, FieldError};

use super::numbers::{pct, round_to};
use super::{Draft, MSG_PERCENT, stage_at};

impl Draft {
    /// An engine error in the form's words: percent fields in percent.
    pub fn reword(&self, err: &FieldError) -> FieldError {
        if let Some(reworded) = self.reword_milestone(err) {
            return reworded;
        }
        if let Some(reworded) = self.reword_plan(err) {
            return reworded;
        }
        if let Some(reworded) = self.reword_season(err) {
            return reworded;
        }
        let path = err.path.as_str();
        let stage_field = stage_at(path).and_then(|_| path.split_once("].").map(|(_, f)| f));
        let message = match (stage_field, err.kind) {
            (Some("conversion" | "conversion.mean"), ErrorKind::NotARate) => MSG_PERCENT.to_owned(),
            (Some("conversion.sd"), ErrorKind::SpreadTooWide { mean, limit }) => {
                let limit = round_to(limit * 100.0, 1);
                format!(
                    "Enter a spread below {limit}% (with a mean of {}%, the spread must stay below {limit}%)",
                    round_to(mean * 100.0, 2),
                )
            }
            (Some("name"), ErrorKind::Empty) => "Enter a name".to_owned(),
            _ => match (path, err.kind) {
                ("leads.per_month", ErrorKind::LeadsPastLimit { most: Some(most) }) => format!(
                    "Enter at most {} leads a month: at this growth{}, more would pass a trillion a month within the horizon",
                    crate::format::count(most),
                    if self.season_preset() == Some(super::SeasonPreset::Flat) {
                        ""
                    } else {
                        " and seasonality"
                    }
                ),
                ("leads.growth_per_month", ErrorKind::Above { min }) => {
                    format!("Enter a percentage above {} (0 for no growth)", pct(min))
                }
                ("leads.uncertainty_cv", ErrorKind::OutOfRange { min, max }) => format!(
                    "Enter a percentage from {} to {} (0 for none)",
                    pct(min),
                    pct(max)
                ),
                _ => sentence(&err.message),
            },
        };
        FieldError::with_kind(err.path.clone(), err.kind, message)
    }
}

/// "must be 0 or more" -> "Must be 0 or more".
pub(super) fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
