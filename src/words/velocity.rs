//! Sales velocity and pipeline coverage of the deals open today, in plain words.

use funnel_engine::Summary;

use crate::format::{count, money_compact, percent};

/// A ratio as a multiple: 0.771 -> "0.77×", 1.24 -> "1.2×", 12.4 -> "12×".
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        return crate::format::MISSING.to_string();
    }
    if x < 0.995 {
        format!("{x:.2}×")
    } else if x < 9.95 {
        format!("{x:.1}×")
    } else {
        format!("{}×", count(x))
    }
}

/// "$8.9K a day", or `None` without open deals.
pub fn velocity_value(summary: &Summary) -> Option<String> {
    let v = summary.pipeline.velocity_per_day?;
    Some(format!(
        "{} a day",
        money_compact(v.mean, &summary.currency)
    ))
}

/// "Sales velocity: the deals open today turn into about $8.9K of revenue a
/// day (deals open today × win rate × average deal ÷ cycle length)."
pub fn velocity_sentence(summary: &Summary) -> String {
    let c = &summary.currency;
    match summary.pipeline.velocity_per_day {
        Some(v) => format!(
            "Sales velocity: the deals open today turn into about {} of revenue a day (deals open today × win rate × average deal ÷ cycle length: {} × {} × {} ÷ {} days).",
            money_compact(v.mean, c),
            count(summary.pipeline.open_deals as f64),
            percent(win_rate(summary), 1),
            money_compact(summary.deal_value_mean, c),
            count(summary.pipeline.cycle_days)
        ),
        None if summary.pipeline.open_deals == 0 => {
            "Sales velocity: no deals are open today, so there is no pipeline to turn into revenue yet.".into()
        }
        None => "Sales velocity: every stage takes 0 days, so the pipeline has no cycle length to measure.".into(),
    }
}

/// The win rate of the deals open today at mean rates: weighted value / value.
fn win_rate(summary: &Summary) -> f64 {
    let p = &summary.pipeline;
    if p.value > 0.0 {
        p.weighted_value.mean / p.value
    } else {
        0.0
    }
}

/// "8 in 10 trials: $7.1K to $10.6K a day."
pub fn velocity_range(summary: &Summary) -> Option<String> {
    let v = summary.pipeline.velocity_per_day?;
    let c = &summary.currency;
    Some(format!(
        "P10 to P90: {} to {} a day.",
        money_compact(v.p10, c),
        money_compact(v.p90, c)
    ))
}

/// "0.77×" (value open today / target), or `None` without a target.
pub fn coverage_value(summary: &Summary) -> Option<String> {
    Some(ratio(summary.pipeline.coverage?))
}

/// "Pipeline coverage: the deals open today are worth 0.77× the target; weighted by each
/// deal's chance of closing, 0.10×."
pub fn coverage_sentence(summary: &Summary) -> String {
    let p = &summary.pipeline;
    match (p.coverage, p.weighted_coverage) {
        (Some(c), Some(w)) => format!(
            "Pipeline coverage: the deals open today are worth {} the target; weighted by each deal's chance of closing, {}.",
            ratio(c),
            ratio(w.mean)
        ),
        _ => {
            "Pipeline coverage: set a revenue target above 0 to compare the deals open today with it."
                .into()
        }
    }
}

/// "Weighted 0.10×; P10 to P90: 0.08× to 0.12×."
pub fn coverage_range(summary: &Summary) -> Option<String> {
    let w = summary.pipeline.weighted_coverage?;
    Some(format!(
        "Weighted {}; P10 to P90: {} to {}.",
        ratio(w.mean),
        ratio(w.p10),
        ratio(w.p90)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fixtures::{reference, summary};

    #[test]
    fn velocity_and_coverage_sentences() {
        let sum = summary(&reference(), 1_000);
        let v = velocity_sentence(&sum);
        assert!(
            v.starts_with("Sales velocity: the deals open today turn into about $"),
            "{v}"
        );
        assert!(
            v.contains(
                " of revenue a day (deals open today × win rate × average deal ÷ cycle length: 249 × "
            ),
            "{v}"
        );
        assert!(v.ends_with(" ÷ 55 days)."), "{v}");
        let c = coverage_sentence(&sum);
        assert!(
            c.starts_with("Pipeline coverage: the deals open today are worth 0."),
            "{c}"
        );
        assert!(c.contains("× the target; weighted by each deal's chance of closing, 0."));
        assert!(velocity_range(&sum).unwrap().starts_with("P10 to P90: $"));
        assert!(coverage_range(&sum).unwrap().starts_with("Weighted 0.1"));
        assert_eq!(coverage_value(&sum).unwrap(), "0.77×");
        assert_eq!(ratio(0.771), "0.77×");
        assert_eq!(ratio(1.24), "1.2×");
        assert_eq!(ratio(12.4), "12×");

        let mut s = reference();
        s.target = None;
        for st in &mut s.stages {
            st.open = 0;
        }
        let none = summary(&s, 100);
        assert!(velocity_sentence(&none).contains("no deals are open today"));
        assert!(coverage_sentence(&none).contains("set a revenue target"));
        assert_eq!(coverage_value(&none), None);
        assert_eq!(velocity_value(&none), None);
    }
}
