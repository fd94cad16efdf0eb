//! The engine's checks in the form's words: percent fields in percent.

use funnel_engine::FieldError;

use super::numbers::{parse_percent, round_to};
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
        let path = err.path.as_str();
        let message = if path.ends_with(".conversion") || path.ends_with(".conversion.mean") {
            if err.message.contains("rate from 0 to 1") {
                MSG_PERCENT.to_owned()
            } else {
                sentence(&err.message)
            }
        } else if path.ends_with(".conversion.sd") && err.message.starts_with("must be below") {
            let mean = stage_at(path)
                .and_then(|i| self.stages.get(i))
                .and_then(|s| parse_percent(&s.mean));
            match mean {
                Some(m) if (0.0..=1.0).contains(&m) => {
                    let limit = (m * (1.0 - m)).sqrt() * 100.0;
                    format!(
                        "Enter a spread below {}% (with a mean of {}%, the spread must stay below {}%)",
                        round_to(limit, 1),
                        round_to(m * 100.0, 2),
                        round_to(limit, 1)
                    )
                }
                _ => "Enter a spread smaller than the mean allows".to_owned(),
            }
        } else if path == "leads.growth_per_month" && err.message.contains("above -1") {
            "Enter a percentage above -100 (0 for no growth)".to_owned()
        } else if path == "leads.uncertainty_cv" && err.message.contains("from 0 to 2") {
            "Enter a percentage from 0 to 200 (0 for none)".to_owned()
        } else if path.ends_with(".name") && err.message == "must not be empty" {
            "Enter a name".to_owned()
        } else {
            sentence(&err.message)
        };
        FieldError::new(err.path.clone(), message)
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
