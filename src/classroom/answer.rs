//! The student's answer: what the question asks for in words, in what unit
//! it is typed, how it is read, and the code handed to the trainer.

use funnel_engine::exercise::{self, Ask, Question};

use crate::form::{parse_money, parse_number, parse_percent};
use crate::format;

/// How an answer is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A chance or a rate, typed in percent (54.2 means 54.2%).
    Percent,
    /// An amount in the scenario's currency.
    Money,
    /// Leads a month.
    Leads,
    /// A number of deals.
    Deals,
}

pub fn unit(ask: &Ask) -> Unit {
    match ask {
        Ask::Probability | Ask::GoalConversion { .. } => Unit::Percent,
        Ask::RevenueMean | Ask::RevenueP10 | Ask::RevenueP50 | Ask::RevenueP90 => Unit::Money,
        Ask::GoalLeads { .. } => Unit::Leads,
        Ask::WonMean => Unit::Deals,
    }
}

/// What the answer field is called: the quantity asked for.
pub fn answer_label(ask: &Ask) -> String {
    let chance = |c: f64| format::percent(c, 0);
    match ask {
        Ask::Probability => "Chance of reaching the target".into(),
        Ask::RevenueMean => "Average revenue".into(),
        Ask::RevenueP10 => "Revenue, 10th percentile (P10)".into(),
        Ask::RevenueP50 => "Revenue, median (P50)".into(),
        Ask::RevenueP90 => "Revenue, 90th percentile (P90)".into(),
        Ask::WonMean => "Average number of deals won".into(),
        Ask::GoalLeads { confidence } => format!(
            "Leads per month needed for the target with a chance of {}",
            chance(*confidence)
        ),
        Ask::GoalConversion { stage, confidence } => format!(
            "{stage} conversion needed for the target with a chance of {}",
            chance(*confidence)
        ),
    }
}

/// The unit as the field shows it beside its label.
pub fn unit_text(unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Percent => "%".into(),
        Unit::Money => {
            let c = currency.trim();
            if c.is_empty() { "USD".into() } else { c.into() }
        }
        Unit::Leads => "leads a month".into(),
        Unit::Deals => "deals".into(),
    }
}

/// Reads a typed answer as the value the question asks for (a rate 0..1 for
/// percent), or the message to show at the field, naming it.
pub fn parse_answer(text: &str, unit: Unit) -> Result<f64, String> {
    let (value, hint) = match unit {
        Unit::Percent => (
            parse_percent(text).filter(|r| (0.0..=1.0).contains(r)),
            "a percentage from 0 to 100, e.g. 54.2",
        ),
        Unit::Money => (
            parse_money(text).filter(|x| *x >= 0.0),
            "an amount, 0 or more, e.g. 1,250,000",
        ),
        Unit::Leads => (
            parse_number(text, false).filter(|x| *x >= 0.0),
            "a number of leads, 0 or more, e.g. 1,150",
        ),
        Unit::Deals => (
            parse_number(text, false).filter(|x| *x >= 0.0),
            "a number of deals, 0 or more, e.g. 42",
        ),
    };
    let message = |what: &str| format!("Your answer: {what}; enter {hint}");
    if text.trim().is_empty() {
        return Err(message("it is empty"));
    }
    value.ok_or_else(|| message(&format!("“{}” is not one", text.trim())))
}

/// The code for `name`'s answer, or what to fix first.
pub fn answer_code(name: &str, text: &str, question: &Question) -> Result<String, String> {
    if name.trim().is_empty() {
        return Err("Your name: enter it first; the code carries it.".into());
    }
    let value = parse_answer(text, unit(&question.ask))?;
    exercise::encode(name, value).map_err(|e| format!("Your answer: {e}"))
}

/// An answer as it reads back ("54.2%", "$1,250,000", "1,150 leads a month").
pub fn answer_text(value: f64, unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Percent => format::percent(value, 1),
        Unit::Money => format::money(value, currency),
        Unit::Leads => format!("{} leads a month", format::count(value)),
        Unit::Deals => format!("{} deals", format::count(value)),
    }
}

/// What the page says when the exercise shows the answer: the truth on the
/// student's numbers and whether theirs is within the tolerance.
pub fn verdict(question: &Question, truth: f64, answer: f64, currency: &str) -> String {
    let unit = unit(&question.ask);
    let within = if question.ask.absolute_tolerance() {
        match trim_zeros(question.tolerance * 100.0) {
            one if one == "1" => "1 point".to_owned(),
            points => format!("{points} points"),
        }
    } else {
        format!("{}%", trim_zeros(question.tolerance * 100.0))
    };
    let yours = answer_text(answer, unit, currency);
    format!(
        "The answer on your numbers: {}. Yours ({yours}) is {} {within} of it.",
        answer_text(truth, unit, currency),
        if question.judge(truth, answer) {
            "within"
        } else {
            "not within"
        }
    )
}

/// A number to at most two decimals, without trailing zeros: 2, 0.5, 12.25.
fn trim_zeros(x: f64) -> String {
    let text = format!("{:.2}", (x * 100.0).round() / 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(ask: Ask) -> Question {
        Question {
            ask,
            tolerance: 0.02,
        }
    }

    #[test]
    fn each_question_is_answered_in_its_unit() {
        assert_eq!(unit(&Ask::Probability), Unit::Percent);
        let goal = Ask::GoalConversion {
            stage: "Proposal".into(),
            confidence: 0.8,
        };
        assert_eq!(unit(&goal), Unit::Percent);
        assert_eq!(
            answer_label(&goal),
            "Proposal conversion needed for the target with a chance of 80%"
        );
        for ask in [
            Ask::RevenueMean,
            Ask::RevenueP10,
            Ask::RevenueP50,
            Ask::RevenueP90,
        ] {
            assert_eq!(unit(&ask), Unit::Money);
        }
        assert_eq!(unit(&Ask::GoalLeads { confidence: 0.9 }), Unit::Leads);
        assert_eq!(unit(&Ask::WonMean), Unit::Deals);
        assert_eq!(unit_text(Unit::Money, "EUR"), "EUR");
        assert_eq!(unit_text(Unit::Money, " "), "USD");
        assert_eq!(unit_text(Unit::Percent, "EUR"), "%");
    }

    #[test]
    fn answers_read_as_people_type_them() {
        assert_eq!(parse_answer("54.2", Unit::Percent), Ok(0.542));
        assert_eq!(parse_answer(" 98.2 % ", Unit::Percent), Ok(0.982));
        assert_eq!(parse_answer("$1,250,000", Unit::Money), Ok(1_250_000.0));
        assert_eq!(parse_answer("1,150", Unit::Leads), Ok(1150.0));
        assert_eq!(parse_answer("42.5", Unit::Deals), Ok(42.5));
    }

    #[test]
    fn a_bad_answer_says_what_is_wrong_naming_the_field() {
        for (text, unit) in [
            ("", Unit::Percent),
            ("120", Unit::Percent),
            ("-1", Unit::Percent),
            ("abc", Unit::Money),
            ("-5", Unit::Money),
            ("NaN", Unit::Leads),
            ("1e400", Unit::Deals),
        ] {
            let message = parse_answer(text, unit).unwrap_err();
            assert!(message.starts_with("Your answer: "), "{message}");
            assert!(message.contains("enter "), "{message}");
        }
        assert_eq!(
            parse_answer("120", Unit::Percent).unwrap_err(),
            "Your answer: “120” is not one; enter a percentage from 0 to 100, e.g. 54.2"
        );
        assert!(
            parse_answer(" ", Unit::Money)
                .unwrap_err()
                .contains("it is empty")
        );
    }

    #[test]
    fn the_verdict_names_the_answer_and_the_tolerance() {
        let q = question(Ask::Probability);
        assert_eq!(
            verdict(&q, 0.9822, 0.981, "USD"),
            "The answer on your numbers: 98.2%. Yours (98.1%) is within 2 points of it."
        );
        assert!(verdict(&q, 0.9822, 0.95, "USD").contains("is not within 2 points"));
        let one = Question {
            ask: Ask::Probability,
            tolerance: 0.01,
        };
        assert!(verdict(&one, 0.9822, 0.95, "USD").ends_with("within 1 point of it."));
        let money = Question {
            ask: Ask::RevenueMean,
            tolerance: 0.05,
        };
        assert_eq!(
            verdict(&money, 1_000_000.0, 1_100_000.0, "EUR"),
            "The answer on your numbers: €1,000,000. Yours (€1,100,000) is not within 5% of it."
        );
    }

    #[test]
    fn the_code_carries_the_name_and_the_answer() {
        let q = question(Ask::Probability);
        let code = answer_code("Ana", "98.2", &q).unwrap();
        assert_eq!(code.len(), exercise::CODE_LEN);
        let back = exercise::decode(&code).unwrap();
        assert!(back.is_for(" ana "));
        assert!(!back.is_for("Ben"));
        assert!((back.answer - 0.982).abs() < 1e-12, "{}", back.answer);
        assert!(
            answer_code(" ", "98.2", &q)
                .unwrap_err()
                .starts_with("Your name")
        );
        assert!(
            answer_code("Ana", "x", &q)
                .unwrap_err()
                .starts_with("Your answer")
        );
        assert_eq!(answer_text(0.982, Unit::Percent, "USD"), "98.2%");
        assert_eq!(
            answer_text(1150.0, Unit::Leads, "USD"),
            "1,150 leads a month"
        );
    }
}
