//! The results in plain words: the sentences and table rows the page shows,
//! computed from the engine's `Summary` (no browser, so tested natively).

use funnel_engine::Summary;
use funnel_engine::summary::TargetSummary;

use crate::format::{money, percent};

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

/// The chance's Monte Carlo error in plain words, for the headline: "give
/// or take 0.5 points from the simulation itself", "every trial reached it".
pub fn chance_give_or_take(t: &TargetSummary) -> String {
    match chance_error(t).strip_prefix("± ") {
        Some(pts) => format!(
            "give or take {} from the simulation itself",
            pts.replace("pts", "points")
        ),
        None => chance_error(t)
            .trim_start_matches('(')
            .trim_end_matches(')')
            .to_owned(),
    }
}

/// The statistic behind [`chance_give_or_take`], one click away (its title).
pub fn chance_error_detail(t: &TargetSummary) -> String {
    let pts = t.probability_se * 100.0;
    if !pts.is_finite() {
        String::new()
    } else if pts == 0.0 {
        "Every trial agreed, so this estimate's standard error (its Monte Carlo error) is 0.".into()
    } else {
        format!(
            "Monte Carlo error: the standard error of this estimate from the trials run, {pts:.2} percentage points. More trials make it smaller."
        )
    }
}

/// A stage's share of leaving deals that moved on, or why there is none.
pub fn stage_conversion(conversion: Option<f64>) -> String {
    conversion.map_or_else(
        || "no deals left this stage".to_owned(),
        |p| crate::format::percent(p, 1),
    )
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

/// The page's title: the scenario's name first, so tabs and bookmarks of
/// several scenarios tell apart ("B2B SaaS · Sales funnel forecast").
pub fn page_title(scenario_name: &str) -> String {
    let name = scenario_name.trim();
    if name.is_empty() {
        "Sales funnel forecast".into()
    } else {
        format!("{name} · Sales funnel forecast")
    }
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
    fn plain_sentences() {
        let s = summary(
            include_str!("../../scenarios/presets/classroom.json"),
            10_000,
        );
        assert!(range_sentence(&s).starts_with("8 in 10 trials land between $"));
        let t = s.target.as_ref().unwrap();
        assert!(chance_error(t).starts_with("± 0.1"), "{}", chance_error(t));
        assert_eq!(horizon_words(1), "over the next month");
        assert_eq!(horizon_words(12), "over the next 12 months");
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
    fn the_headline_says_give_or_take_and_keeps_the_statistic_one_click_away() {
        let t = |p: f64, se: f64| TargetSummary {
            revenue: 1.0,
            probability: p,
            probability_se: se,
        };
        assert_eq!(
            chance_give_or_take(&t(0.438, 0.00485)),
            "give or take 0.5 points from the simulation itself"
        );
        assert_eq!(
            chance_give_or_take(&t(0.982, 0.000296)),
            "give or take 0.03 points from the simulation itself"
        );
        assert_eq!(chance_give_or_take(&t(1.0, 0.0)), "every trial reached it");
        assert_eq!(chance_give_or_take(&t(0.0, 0.0)), "no trial reached it");
        assert_eq!(chance_give_or_take(&t(0.5, f64::NAN)), "");
        assert_eq!(
            chance_error_detail(&t(0.438, 0.00487)),
            "Monte Carlo error: the standard error of this estimate from the trials run, 0.49 percentage points. More trials make it smaller."
        );
        assert!(chance_error_detail(&t(1.0, 0.0)).starts_with("Every trial agreed"));
    }

    #[test]
    fn the_page_title_follows_the_scenario_name() {
        assert_eq!(page_title(" B2B SaaS "), "B2B SaaS · Sales funnel forecast");
        assert_eq!(page_title("  "), "Sales funnel forecast");
    }
}
