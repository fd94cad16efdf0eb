//! The results in plain words: the sentences and table rows the page shows,
//! computed from the engine's `Summary` (no browser, so tested natively).

use funnel_engine::Summary;
use funnel_engine::summary::TargetSummary;

use crate::format::{count, money, percent};

/// The stage where the most value is lost: the largest `lost_value`
/// (`None` when nothing is lost anywhere).
pub fn biggest_leak(summary: &Summary) -> Option<usize> {
    summary
        .stages
        .iter()
        .enumerate()
        .filter(|(_, s)| s.lost_value.is_finite() && s.lost_value > 0.0)
        .max_by(|a, b| a.1.lost_value.total_cmp(&b.1.lost_value))
        .map(|(i, _)| i)
}

/// "Most value leaks at Proposal: about 120 deals lost there, worth $1,234,567
/// had they moved on."
pub fn leak_sentence(summary: &Summary) -> Option<String> {
    let stage = &summary.stages[biggest_leak(summary)?];
    Some(format!(
        "Most value leaks at {}: about {} lost there, worth {} had they moved on.",
        stage.name,
        deals(stage.lost.mean),
        money(stage.lost_value, &summary.currency)
    ))
}

/// "8 in 10 trials land between $X and $Y."
pub fn range_sentence(summary: &Summary) -> String {
    format!(
        "8 in 10 trials land between {} and {}.",
        money(summary.revenue.p10, &summary.currency),
        money(summary.revenue.p90, &summary.currency)
    )
}

/// "over the next 12 months" / "over the next month".
pub fn horizon_words(months: u32) -> String {
    if months == 1 {
        "over the next month".into()
    } else {
        format!("over the next {months} months")
    }
}

/// The chance of reaching the target: "43.7%".
pub fn chance(t: &TargetSummary) -> String {
    percent(t.probability, 1)
}

/// Its Monte Carlo error: "± 0.5 pts", "± 0.03 pts".
pub fn chance_error(t: &TargetSummary) -> String {
    let pts = t.probability_se * 100.0;
    if !pts.is_finite() {
        return String::new();
    }
    if pts == 0.0 {
        // p is 0 or 1: every trial agreed; the standard error says nothing.
        return if t.probability >= 1.0 {
            "(every trial reached it)".into()
        } else {
            "(no trial reached it)".into()
        };
    }
    if pts >= 0.095 {
        format!("± {pts:.1} pts")
    } else {
        format!("± {pts:.2} pts")
    }
}

/// A number of deals: whole above 10, one decimal below ("2.4 deals").
pub fn deals(x: f64) -> String {
    let n = deal_count(x);
    let unit = if n == "1" { "deal" } else { "deals" };
    format!("{n} {unit}")
}

/// A stage's share of leaving deals that moved on, or why there is none.
pub fn stage_conversion(conversion: Option<f64>) -> String {
    conversion.map_or_else(
        || "no deals left this stage".to_owned(),
        |p| crate::format::percent(p, 1),
    )
}

/// A number of deals without the unit.
pub fn deal_count(x: f64) -> String {
    if x.is_finite() && x.abs() < 10.0 && (x - x.round()).abs() >= 0.05 {
        format!("{x:.1}")
    } else {
        count(x)
    }
}

/// One row of the open-pipeline table.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenRow {
    pub stage: String,
    pub deals: String,
    pub value: String,
    pub weighted: String,
}

/// Open pipeline at the horizon by stage, and the total row.
pub fn open_pipeline(summary: &Summary) -> (Vec<OpenRow>, OpenRow) {
    let c = summary.currency.as_str();
    let rows = summary
        .stages
        .iter()
        .map(|s| OpenRow {
            stage: s.name.clone(),
            deals: deal_count(s.open_end.mean),
            value: money(s.open_end_value, c),
            weighted: money(s.open_end_weighted_value, c),
        })
        .collect();
    let sum = |f: fn(&funnel_engine::summary::StageSummary) -> f64| {
        summary.stages.iter().map(f).sum::<f64>()
    };
    let total = OpenRow {
        stage: "Total".into(),
        deals: deal_count(sum(|s| s.open_end.mean)),
        value: money(sum(|s| s.open_end_value), c),
        weighted: money(sum(|s| s.open_end_weighted_value), c),
    };
    (rows, total)
}

/// The announcement for screen readers when new results arrive.
pub fn updated_announcement(summary: &Summary) -> String {
    let mut text = format!(
        "Results updated: average revenue {}.",
        money(summary.revenue.mean, &summary.currency)
    );
    if let Some(t) = &summary.target {
        text.push_str(&format!(" Chance of reaching the target {}.", chance(t)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::{Scenario, Simulation};

    fn summary(json: &str, trials: u64) -> Summary {
        let scenario = Scenario::from_json(json).unwrap();
        let sim = Simulation::new(&scenario, trials, 1).unwrap();
        Summary::new(&sim, &sim.run_all())
    }

    #[test]
    fn names_the_stage_that_loses_most_value() {
        let s = summary(include_str!("../scenarios/reference.json"), 2_000);
        let leak = biggest_leak(&s).unwrap();
        let max = s.stages.iter().map(|st| st.lost_value).fold(0.0, f64::max);
        assert_eq!(s.stages[leak].lost_value, max);
        let sentence = leak_sentence(&s).unwrap();
        assert!(sentence.starts_with(&format!(
            "Most value leaks at {}: about ",
            s.stages[leak].name
        )));
        assert!(sentence.contains(" had they moved on."), "{sentence}");
        assert!(sentence.contains('$'));
    }

    #[test]
    fn plain_sentences() {
        let s = summary(include_str!("../scenarios/presets/classroom.json"), 10_000);
        assert!(range_sentence(&s).starts_with("8 in 10 trials land between $"));
        let t = s.target.as_ref().unwrap();
        assert!(chance_error(t).starts_with("± 0.1"), "{}", chance_error(t));
        assert_eq!(horizon_words(1), "over the next month");
        assert_eq!(horizon_words(12), "over the next 12 months");
        // A single stage that loses deals: that is the leak.
        assert_eq!(biggest_leak(&s), Some(0));
        assert!(updated_announcement(&s).starts_with("Results updated: average revenue $"));
    }

    #[test]
    fn chance_error_wording() {
        let t = |p: f64, se: f64| TargetSummary {
            revenue: 1.0,
            probability: p,
            probability_se: se,
        };
        assert_eq!(chance_error(&t(0.62, 0.00485)), "± 0.5 pts");
        assert_eq!(chance_error(&t(0.982, 0.000296)), "± 0.03 pts");
        assert_eq!(chance_error(&t(1.0, 0.0)), "(every trial reached it)");
        assert_eq!(chance_error(&t(0.0, 0.0)), "(no trial reached it)");
        assert_eq!(chance(&t(0.982215, 0.0003)), "98.2%");
    }

    #[test]
    fn deal_counts() {
        assert_eq!(deals(1.0), "1 deal");
        assert_eq!(deals(2.44), "2.4 deals");
        assert_eq!(deals(1234.4), "1,234 deals");
        assert_eq!(deal_count(3.0), "3");
    }

    #[test]
    fn open_pipeline_totals() {
        let s = summary(include_str!("../scenarios/reference.json"), 1_000);
        let (rows, total) = open_pipeline(&s);
        assert_eq!(rows.len(), s.stages.len());
        assert_eq!(total.stage, "Total");
        assert!(total.value.starts_with('$'));
    }
}
