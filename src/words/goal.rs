//! The reverse funnel in plain words: the levers offered, the confidence
//! typed, the answer and its progress.

use funnel_engine::Scenario;
use funnel_engine::goal::{GoalAnswer, GoalLever};
use funnel_engine::summary::TargetSummary;

use crate::format::{count, money, percent};
use crate::words::headline::chance_give_or_take;

/// The goal levers the panel offers: lead volume, then each stage's conversion.
pub fn goal_options(stage_names: &[String]) -> Vec<(String, String)> {
    let mut options = vec![("leads".to_string(), "Lead volume per month".to_string())];
    for (i, name) in stage_names.iter().enumerate() {
        let name = name.trim();
        let name = if name.is_empty() {
            format!("stage {}", i + 1)
        } else {
            name.to_string()
        };
        options.push((format!("conversion:{i}"), format!("Conversion at {name}")));
    }
    options
}

/// Reads an option key back (`None` for a stage that is gone).
pub fn goal_lever(key: &str, stages: usize) -> Option<GoalLever> {
    if key == "leads" {
        return Some(GoalLever::Leads);
    }
    let stage: usize = key.strip_prefix("conversion:")?.parse().ok()?;
    (stage < stages).then_some(GoalLever::Conversion { stage })
}

/// A goal value as people read it: "1,235 leads a month", "41.3%".
pub fn goal_value(lever: &GoalLever, x: f64) -> String {
    match lever {
        GoalLever::Leads => format!("{} leads a month", count(x.ceil())),
        GoalLever::Conversion { .. } => percent(x, 1),
    }
}

fn goal_what(lever: &GoalLever, scenario: &Scenario) -> String {
    match *lever {
        GoalLever::Leads => "lead volume".into(),
        GoalLever::Conversion { stage } => format!(
            "conversion at {}",
            scenario
                .stages
                .get(stage)
                .map_or("the stage", |s| s.name.as_str())
        ),
    }
}

/// The answer in words, with money and percentages: "To reach $5,000,000
/// with 80% confidence you need about 1,235 leads a month (today: 1,000 leads
/// a month); there the chance is 80.1% (give or take 0.4 points from the simulation itself)."
pub fn goal_sentence(answer: &GoalAnswer, scenario: &Scenario) -> String {
    let c = scenario.currency.as_str();
    let target = scenario.target.as_ref().map_or(0.0, |t| t.revenue);
    let confidence = percent(answer.confidence, 0);
    let what = goal_what(&answer.lever, scenario);
    let shown = answer.applied_value();
    let value = goal_value(&answer.lever, shown);
    let chance = TargetSummary {
        revenue: target,
        probability: answer.probability,
        probability_se: answer.probability_se,
    };
    let chance = format!(
        "{} ({})",
        percent(answer.probability, 1),
        chance_give_or_take(&chance)
    );
    if !answer.reachable {
        let bound = match answer.lever {
            GoalLever::Leads => format!("{} leads a month", count(answer.value)),
            GoalLever::Conversion { .. } => percent(answer.value, 0),
        };
        return format!(
            "No {what} up to {bound} reaches {} with {confidence} confidence: even there the chance is {chance}.",
            money(target, c)
        );
    }
    let today = goal_value(&answer.lever, answer.current);
    if answer.value <= answer.current {
        return format!(
            "You already have enough: {what} of about {value} reaches {} with {confidence} confidence (today: {today}); there the chance is {chance}.",
            money(target, c)
        );
    }
    let need = match answer.lever {
        GoalLever::Leads => format!("about {value}"),
        GoalLever::Conversion { .. } => format!("{what} of about {value}"),
    };
    format!(
        "To reach {} with {confidence} confidence you need {need} (today: {today}); there the chance is {chance}.",
        money(target, c)
    )
}

/// "Trying 1,234 leads a month (3 of about 16)".
pub fn goal_progress(lever: &GoalLever, trying: f64, tried: usize, estimate: usize) -> String {
    format!(
        "Trying {} ({} of about {})",
        goal_value(lever, trying),
        tried + 1,
        estimate.max(tried + 1)
    )
}

/// The what-if's name: "Lead volume 1,235 a month", "Lead conversion 41.3%".
pub fn goal_what_if_label(answer: &GoalAnswer, scenario: &Scenario) -> String {
    let v = answer.applied_value();
    match answer.lever {
        GoalLever::Leads => format!("Lead volume {} a month", count(v)),
        GoalLever::Conversion { stage } => format!(
            "{} conversion {}",
            scenario
                .stages
                .get(stage)
                .map_or("Stage", |s| s.name.as_str()),
            percent(v, 1)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fixtures::reference;
    use funnel_engine::goal::{GoalAnswer, GoalLever};

    #[test]
    fn goal_choices_and_confidence() {
        let names = vec!["Lead".to_string(), " ".to_string()];
        let options = goal_options(&names);
        assert_eq!(options[0], ("leads".into(), "Lead volume per month".into()));
        assert_eq!(options[2].1, "Conversion at stage 2");
        assert_eq!(goal_lever("leads", 2), Some(GoalLever::Leads));
        assert_eq!(
            goal_lever("conversion:1", 2),
            Some(GoalLever::Conversion { stage: 1 })
        );
        assert_eq!(goal_lever("conversion:2", 2), None);
        use crate::form::parse_confidence;
        assert_eq!(parse_confidence("80"), Ok(0.8));
        assert_eq!(parse_confidence("95 %"), Ok(0.95));
        assert!(parse_confidence("100").is_err());
        assert!(parse_confidence("0").is_err());
        assert!(parse_confidence("lots").is_err());
    }

    #[test]
    fn goal_answers_in_words() {
        let s = reference();
        let answer = |lever, value, current, reachable| GoalAnswer {
            lever,
            confidence: 0.8,
            reachable,
            value,
            probability: 0.801,
            probability_se: 0.004,
            current,
            message: String::new(),
        };
        assert_eq!(
            goal_sentence(&answer(GoalLever::Leads, 1234.2, 1000.0, true), &s),
            "To reach $5,000,000 with 80% confidence you need about 1,235 leads a month (today: 1,000 leads a month); there the chance is 80.1% (give or take 0.4 points from the simulation itself)."
        );
        assert_eq!(
            goal_sentence(
                &answer(GoalLever::Conversion { stage: 0 }, 0.41234, 0.3, true),
                &s
            ),
            "To reach $5,000,000 with 80% confidence you need conversion at Lead of about 41.3% (today: 30.0%); there the chance is 80.1% (give or take 0.4 points from the simulation itself)."
        );
        assert_eq!(
            goal_sentence(&answer(GoalLever::Leads, 20_000.0, 1000.0, false), &s),
            "No lead volume up to 20,000 leads a month reaches $5,000,000 with 80% confidence: even there the chance is 80.1% (give or take 0.4 points from the simulation itself)."
        );
        assert!(
            goal_sentence(&answer(GoalLever::Leads, 800.0, 1000.0, true), &s).starts_with(
                "You already have enough: lead volume of about 800 leads a month reaches $5,000,000"
            )
        );
        assert_eq!(
            goal_what_if_label(
                &answer(GoalLever::Conversion { stage: 0 }, 0.41234, 0.3, true),
                &s
            ),
            "Lead conversion 41.3%"
        );
        assert_eq!(
            goal_progress(&GoalLever::Leads, 1234.5, 2, 16),
            "Trying 1,235 leads a month (3 of about 16)"
        );
    }
}
