//! The classroom exercise as plain logic. The student's page: which fields
//! are locked (`lock`), the student's case, name and variant and the words
//! for their numbers (`student`), and their answer and its code (`answer`).
//! The trainer's panel: its form read into an `Exercise` (`builder`), the
//! answer key (`key`, computed on the worker pool by `key_job`), the debrief
//! of the answer codes handed in (`debrief`) and the QR code of the exercise
//! link (`qr`).
//!
//! The engine owns the exercise itself (variants, true answers, codes, the
//! key's CSV: `funnel_engine::exercise`); this layer only reads what people
//! typed and drives the engine through `run`. The components are in
//! `ui::classroom`.

pub mod answer;
pub mod builder;
pub mod debrief;
pub mod key;
pub mod key_job;
pub mod lock;
pub mod qr;
pub mod student;

use funnel_engine::exercise::Ask;

use crate::format::{count, money, percent};

/// An answer as a trainer reads it: a chance or a rate in percent (one
/// decimal), money with its currency, deals and leads with one decimal.
pub fn format_answer(ask: &Ask, value: f64, currency: &str) -> String {
    match ask {
        Ask::Probability | Ask::GoalConversion { .. } => percent(value, 1),
        Ask::RevenueMean | Ask::RevenueP10 | Ask::RevenueP50 | Ask::RevenueP90 => {
            money(value, currency)
        }
        Ask::WonMean | Ask::GoalLeads { .. } => one_decimal(value),
    }
}

fn one_decimal(x: f64) -> String {
    if !x.is_finite() {
        return count(x);
    }
    let whole = x.trunc();
    let tenth = ((x - whole).abs() * 10.0).round() as i64;
    if tenth == 10 {
        return count(x.round());
    }
    if tenth == 0 {
        count(whole)
    } else {
        format!("{}.{tenth}", count(whole))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_their_kind() {
        assert_eq!(format_answer(&Ask::Probability, 0.9823, "USD"), "98.2%");
        assert_eq!(format_answer(&Ask::WonMean, 1234.56, "USD"), "1,234.6");
        assert_eq!(format_answer(&Ask::WonMean, 3.97, "USD"), "4");
        assert!(format_answer(&Ask::RevenueMean, 50_000.0, "USD").contains("50,000"));
    }
}
