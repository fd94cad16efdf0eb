//! The key inputs of a run as rows of a printed table (the print
//! stylesheet's page shows them instead of the form): what a reader of the
//! paper needs to know the forecast is for, named as the form names them.

use funnel_engine::scenario::Conversion;

use crate::form::{Run, label, stage_title};
use crate::format::{count, money, percent};

/// One row: what (the form's label) and its value as people read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub what: String,
    pub value: String,
}

fn row(what: impl Into<String>, value: impl Into<String>) -> Row {
    Row {
        what: what.into(),
        value: value.into(),
    }
}

fn named(path: &str) -> String {
    label(path).unwrap_or(path).to_owned()
}

/// A conversion as the form gives it: "30%", "30% ± 4 pts", "won 180 of 400".
pub fn conversion(c: &Conversion) -> String {
    match *c {
        Conversion::Fixed(r) => percent(r, 1),
        Conversion::Estimate { mean, sd } => {
            format!(
                "{} ± {} pts",
                percent(mean, 1),
                percent(sd, 1).trim_end_matches('%')
            )
        }
        Conversion::History { won, of } => {
            format!("won {} of {}", count(won as f64), count(of as f64))
        }
    }
}

/// The rows for `run`: horizon, leads, each stage (conversion, days, open
/// today), deal size, target, team, then trials and seed. The scenario's
/// name is the printed page's heading, not a row.
pub fn key_inputs(run: &Run) -> Vec<Row> {
    let s = &run.scenario;
    let c = s.currency.as_str();
    let mut rows = vec![
        row(
            named("horizon_months"),
            format!("{} months", s.horizon_months),
        ),
        row(named("leads.per_month"), count(s.leads.per_month)),
        row(
            named("leads.growth_per_month"),
            format!("{} a month", percent(s.leads.growth_per_month, 1)),
        ),
    ];
    if s.leads.uncertainty_cv > 0.0 {
        rows.push(row(
            named("leads.uncertainty_cv"),
            format!("± {}", percent(s.leads.uncertainty_cv, 0)),
        ));
    }
    for (i, st) in s.stages.iter().enumerate() {
        let mut value = format!(
            "{} move on; {} days",
            conversion(&st.conversion),
            count(st.days)
        );
        if st.open > 0 {
            value.push_str(&format!("; {} open today", count(st.open as f64)));
        }
        if let Some(cap) = st.capacity_per_week {
            value.push_str(&format!("; at most {} a week", count(cap as f64)));
        }
        rows.push(row(stage_title(i, &st.name), value));
    }
    rows.push(row(named("deal_size.median"), money(s.deal_size.median, c)));
    rows.push(row(named("deal_size.p90"), money(s.deal_size.p90, c)));
    if let Some(t) = &s.target {
        rows.push(row(named("target.revenue"), money(t.revenue, c)));
    }
    if let Some(team) = &s.team {
        rows.push(row(
            named("team"),
            format!(
                "{} reps, quota {} each",
                count(team.reps as f64),
                money(team.quota, c)
            ),
        ));
    }
    if !s.plans.is_empty() {
        let names: Vec<&str> = s.plans.iter().map(|p| p.name.as_str()).collect();
        rows.push(row(named("plans"), names.join(", ")));
    }
    rows.push(row(named("trials"), count(run.trials as f64)));
    rows.push(row(named("seed"), run.seed.to_string()));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::Scenario;

    fn run() -> Run {
        Run {
            scenario: Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap(),
            trials: 20_000,
            seed: 42,
        }
    }

    #[test]
    fn every_stage_and_the_run_settings_are_rows() {
        let r = run();
        let rows = key_inputs(&r);
        for (i, st) in r.scenario.stages.iter().enumerate() {
            let title = stage_title(i, &st.name);
            let found = rows.iter().find(|row| row.what == title).unwrap();
            assert!(
                found.value.contains(&conversion(&st.conversion)),
                "{found:?}"
            );
        }
        let value = |what: &str| {
            rows.iter()
                .find(|r| r.what == what)
                .map(|r| r.value.clone())
        };
        assert_eq!(value("Trials").as_deref(), Some("20,000"));
        assert_eq!(value("Random numbers").as_deref(), Some("42"));
        assert_eq!(
            value("Horizon"),
            Some(format!("{} months", r.scenario.horizon_months))
        );
        assert_eq!(
            value("Revenue target").is_some(),
            r.scenario.target.is_some()
        );
    }

    #[test]
    fn conversions_as_the_form_gives_them() {
        assert_eq!(conversion(&Conversion::Fixed(0.55)), "55.0%");
        assert_eq!(
            conversion(&Conversion::Estimate {
                mean: 0.3,
                sd: 0.04
            }),
            "30.0% ± 4.0 pts"
        );
        assert_eq!(
            conversion(&Conversion::History { won: 180, of: 1400 }),
            "won 180 of 1,400"
        );
    }
}
