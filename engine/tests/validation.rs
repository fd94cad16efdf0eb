//! Every invalid scenario is rejected with its field path and a clear message.

mod common;

use funnel_engine::{ErrorKind, Scenario};
use serde_json::{Value, json};

/// The reference scenario with one change applied at a JSON pointer.
fn with(pointer: &str, value: Value) -> String {
    let mut v: Value = serde_json::from_str(common::REFERENCE).unwrap();
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
    v.to_string()
}

fn without(parent: &str, key: &str) -> String {
    let mut v: Value = serde_json::from_str(common::REFERENCE).unwrap();
    v.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    v.to_string()
}

fn adding(parent: &str, key: &str, value: Value) -> String {
    let mut v: Value = serde_json::from_str(common::REFERENCE).unwrap();
    v.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert(key.into(), value);
    v.to_string()
}

#[test]
fn each_bad_field_is_named() {
    let cases: Vec<(String, &str, &str)> = vec![
        (with("/version", json!(2)), "version", "must be 1"),
        (
            with("/horizon_months", json!(0)),
            "horizon_months",
            "from 1 to 60",
        ),
        (
            with("/horizon_months", json!(61)),
            "horizon_months",
            "from 1 to 60",
        ),
        (
            with("/horizon_months", json!(2.5)),
            "horizon_months",
            "whole number",
        ),
        (
            with("/horizon_months", json!("12")),
            "horizon_months",
            "whole number",
        ),
        (
            with("/leads/per_month", json!(-1)),
            "leads.per_month",
            "0 or more",
        ),
        (
            with("/leads/per_month", json!("many")),
            "leads.per_month",
            "must be a number",
        ),
        (
            with("/leads/growth_per_month", json!(-1)),
            "leads.growth_per_month",
            "above -1",
        ),
        (
            with("/leads/noise", json!("gaussian")),
            "leads.noise",
            "\"poisson\" or \"fixed\"",
        ),
        (
            with("/leads/uncertainty_cv", json!(2.5)),
            "leads.uncertainty_cv",
            "from 0 to 2",
        ),
        (with("/stages", json!([])), "stages", "at least one stage"),
        (with("/stages", json!({})), "stages", "list of stages"),
        (
            with("/stages/0/name", json!("")),
            "stages[0].name",
            "must not be empty",
        ),
        (
            with("/stages/1/name", json!("Lead")),
            "stages[1].name",
            "unique",
        ),
        (
            with("/stages/5/conversion", json!(1.5)),
            "stages[5].conversion",
            "from 0 to 1",
        ),
        (
            with("/stages/5/conversion", json!(-0.1)),
            "stages[5].conversion",
            "from 0 to 1",
        ),
        (
            with("/stages/5/conversion", json!("half")),
            "stages[5].conversion",
            "a rate (0.3)",
        ),
        (
            with("/stages/0/conversion/mean", json!(1.2)),
            "stages[0].conversion.mean",
            "from 0 to 1",
        ),
        (
            with("/stages/0/conversion/sd", json!(0.6)),
            "stages[0].conversion.sd",
            "must be below 0.458",
        ),
        (
            with("/stages/0/conversion/sd", json!(-0.1)),
            "stages[0].conversion.sd",
            "0 or more",
        ),
        (
            with("/stages/1/conversion/won", json!(500)),
            "stages[1].conversion.won",
            "at most `of` (400)",
        ),
        (
            with("/stages/1/conversion/of", json!(-4)),
            "stages[1].conversion.of",
            "whole number",
        ),
        (
            with("/stages/2/days", json!(-3)),
            "stages[2].days",
            "0 or more",
        ),
        (
            with("/stages/2/open", json!(2.5)),
            "stages[2].open",
            "whole number",
        ),
        (
            with("/stages/2/open", json!(-1)),
            "stages[2].open",
            "whole number",
        ),
        (
            with("/deal_size/median", json!(0)),
            "deal_size.median",
            "above 0",
        ),
        (
            with("/deal_size/p90", json!(100)),
            "deal_size.p90",
            "at least the median",
        ),
        (
            with("/target/revenue", json!(-5)),
            "target.revenue",
            "from 0 to 1e15",
        ),
        (
            without("", "horizon_months"),
            "horizon_months",
            "is required",
        ),
        (
            without("/stages/0", "days"),
            "stages[0].days",
            "is required",
        ),
        (without("/deal_size", "p90"), "deal_size.p90", "is required"),
        (adding("", "horizon", json!(12)), "horizon", "unknown field"),
        (
            adding("/leads", "per_week", json!(12)),
            "leads.per_week",
            "unknown field",
        ),
        (
            adding("/stages/3", "probability", json!(0.5)),
            "stages[3].probability",
            "unknown field",
        ),
        (
            adding("/stages/0/conversion", "median", json!(0.5)),
            "stages[0].conversion.median",
            "unknown field",
        ),
        (
            adding("/target", "deals", json!(5)),
            "target.deals",
            "unknown field",
        ),
        ("[1, 2]".into(), "", "must be an object"),
        ("{ \"version\": 1,".into(), "", "not valid JSON"),
    ];
    for (json, path, message) in cases {
        let errors = match Scenario::from_json(&json) {
            Ok(_) => panic!("accepted a bad scenario; expected `{path}: {message}`"),
            Err(e) => e,
        };
        let hit = errors.0.iter().find(|e| e.path == path);
        assert!(
            hit.is_some_and(|e| e.message.contains(message)),
            "expected `{path}: ...{message}...`, got:\n{errors}"
        );
        // Every problem of the format has a kind of its own, for programs.
        for e in &errors.0 {
            assert_ne!(e.kind, ErrorKind::Other, "{e}");
        }
    }
}

#[test]
fn kinds_carry_the_numbers_a_message_needs() {
    let kind = |json: String, path: &str| {
        let errors = Scenario::from_json(&json).unwrap_err();
        errors
            .at(path)
            .unwrap_or_else(|| panic!("nothing at {path}: {errors}"))
            .kind
    };
    let (mean, sd) = (0.45, 0.6);
    assert_eq!(
        kind(
            with("/stages/0/conversion", json!({"mean": mean, "sd": sd})),
            "stages[0].conversion.sd"
        ),
        ErrorKind::SpreadTooWide {
            mean,
            limit: libm::sqrt(mean * (1.0 - mean))
        }
    );
    assert_eq!(
        kind(with("/horizon_months", json!(61)), "horizon_months"),
        ErrorKind::OutOfRange {
            min: 1.0,
            max: 60.0
        }
    );
    assert_eq!(
        kind(
            with("/stages/1/conversion", json!(1.5)),
            "stages[1].conversion"
        ),
        ErrorKind::NotARate
    );
    assert_eq!(
        kind(with("/stages/1/name", json!("Lead")), "stages[1].name"),
        ErrorKind::NotUnique
    );
    let stages: Vec<Value> = (0..21)
        .map(|i| json!({"name": format!("S{i}"), "conversion": 0.5, "days": 1}))
        .collect();
    assert_eq!(
        kind(with("/stages", json!(stages)), "stages"),
        ErrorKind::TooMany { max: 20 }
    );
    assert_eq!(
        kind(without("/deal_size", "p90"), "deal_size.p90"),
        ErrorKind::Missing
    );
    assert_eq!(
        kind(adding("/leads", "per_week", json!(1)), "leads.per_week"),
        ErrorKind::UnknownField
    );
    assert_eq!(kind("{".into(), ""), ErrorKind::Syntax);
}

#[test]
fn model_md_example_message_reads_as_documented() {
    let errors = Scenario::from_json(&with(
        "/stages/0/conversion",
        json!({"mean": 0.45, "sd": 0.6}),
    ))
    .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "stages[0].conversion.sd: must be below 0.497 (sqrt(mean*(1-mean)))"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut v: Value = serde_json::from_str(common::REFERENCE).unwrap();
    v["horizon_months"] = json!(0);
    v["stages"][2]["days"] = json!(-1);
    v["colour"] = json!("blue");
    let errors = Scenario::from_json(&v.to_string()).unwrap_err();
    let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"colour"), "{paths:?}");
    // Structure problems come first; range checks follow once it parses.
    let mut v: Value = serde_json::from_str(common::REFERENCE).unwrap();
    v["horizon_months"] = json!(0);
    v["stages"][2]["days"] = json!(-1);
    v["deal_size"]["median"] = json!(0);
    let errors = Scenario::from_json(&v.to_string()).unwrap_err();
    assert_eq!(errors.0.len(), 3, "{errors}");
}

#[test]
fn defaults_and_every_conversion_form_are_accepted() {
    let s = Scenario::from_json(
        r#"{ "version": 1, "horizon_months": 3, "leads": { "per_month": 10 },
        "stages": [ { "name": "A", "conversion": 0.5, "days": 0 },
                    { "name": "B", "conversion": { "mean": 0.5, "sd": 0 }, "days": 8 },
                    { "name": "C", "conversion": { "won": 0, "of": 0 }, "days": 1 } ],
        "deal_size": { "median": 5, "p90": 5 } }"#,
    )
    .unwrap();
    assert_eq!(s.currency, "USD");
    assert_eq!(s.leads.noise, funnel_engine::Noise::Poisson);
    assert_eq!(s.leads.uncertainty_cv, 0.0);
    assert_eq!(s.stages[0].open, 0);
    assert!(s.target.is_none());
}

#[test]
fn scenarios_round_trip_through_their_json() {
    // The exercise example carries the optional `exercise` section (tests/exercise.rs
    // round-trips every kind of question and input).
    for text in [
        common::REFERENCE,
        include_str!("../../scenarios/exercise-goal.json"),
    ] {
        let s = Scenario::from_json(text).unwrap();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        assert_eq!(Scenario::from_json(&s.to_json_pretty()).unwrap(), s);
    }
}

#[test]
fn leads_past_the_limit_name_the_field_that_brings_the_excess() {
    // A trillion leads at the reference's 2% growth: the volume typed is the problem.
    let errors = Scenario::from_json(&with("/leads/per_month", json!(1e12))).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].path, "leads.per_month");
    let ErrorKind::LeadsPastLimit { most: Some(most) } = errors.0[0].kind else {
        panic!("{:?}", errors.0[0].kind);
    };
    let mut fixed: Value = serde_json::from_str(common::REFERENCE).unwrap();
    fixed["leads"]["per_month"] = json!(most);
    assert!(
        Scenario::from_json(&fixed.to_string()).is_ok(),
        "{most} fits"
    );
    fixed["leads"]["per_month"] = json!(most + 1.0);
    assert!(
        Scenario::from_json(&fixed.to_string()).is_err(),
        "{most} is the most"
    );
    // Without growth a trillion fits exactly.
    let mut flat: Value = serde_json::from_str(common::REFERENCE).unwrap();
    flat["leads"]["per_month"] = json!(1e12);
    flat["leads"]["growth_per_month"] = json!(0.0);
    assert!(Scenario::from_json(&flat.to_string()).is_ok());
    // 1,200 leads growing 500% a month: growth is what went too far.
    let errors = Scenario::from_json(&with("/leads/growth_per_month", json!(5.0))).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].path, "leads.growth_per_month");
    assert_eq!(errors.0[0].kind, ErrorKind::LeadsPastLimit { most: None });
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("funnel-validation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn a_file_carries_its_trials_and_seed_and_the_command_line_uses_them() {
    use funnel_engine::RunSettings;
    use funnel_engine::cli::{self, RunArgs};
    let s = Scenario::from_json(common::REFERENCE).unwrap();
    let saved = RunSettings {
        trials: Some(1_234),
        seed: Some(u64::MAX - 6),
    };
    let text = s.to_file_json(saved);
    assert_eq!(Scenario::from_file(&text).unwrap(), (s.clone(), saved));
    // A file without `run` (every export before it) reads as before.
    assert_eq!(
        Scenario::from_file(common::REFERENCE).unwrap(),
        (s.clone(), RunSettings::default())
    );
    assert_eq!(s.to_file_json(RunSettings::default()), s.to_json_pretty());

    let path = temp_file("exported.json", &text);
    let from_file = cli::run(&RunArgs::new(path.clone())).unwrap();
    let summary: Value = serde_json::from_str(&from_file).unwrap();
    assert_eq!(summary["trials"], json!(1_234));
    assert_eq!(summary["seed"], json!(u64::MAX - 6));
    let flags = RunArgs {
        trials: Some(1_234),
        seed: Some(u64::MAX - 6),
        ..RunArgs::new(temp_file("plain.json", common::REFERENCE))
    };
    assert_eq!(
        cli::run(&flags).unwrap(),
        from_file,
        "the same run as by flags"
    );
    // A flag overrides the file.
    let overridden = RunArgs {
        seed: Some(7),
        ..RunArgs::new(path)
    };
    let summary: Value = serde_json::from_str(&cli::run(&overridden).unwrap()).unwrap();
    assert_eq!(
        (summary["trials"].clone(), summary["seed"].clone()),
        (json!(1_234), json!(7))
    );

    let bad = adding("", "run", json!({"trials": 0, "sed": 1}));
    let errors = Scenario::from_file(&bad).unwrap_err();
    let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["run.sed", "run.trials"], "{errors}");
}

#[test]
fn seasonality_and_start_month_problems_are_named() {
    let season = |v: Value| adding("/leads", "seasonality", v);
    let cases: Vec<(String, &str, &str)> = vec![
        (
            adding("", "start_month", json!(0)),
            "start_month",
            "from 1 (January) to 12",
        ),
        (
            adding("", "start_month", json!(13)),
            "start_month",
            "from 1 (January) to 12",
        ),
        (
            adding("", "start_month", json!(1.5)),
            "start_month",
            "whole number",
        ),
        (
            season(json!(1)),
            "leads.seasonality",
            "list of 12 multipliers",
        ),
        (
            season(json!([1, 1, 1])),
            "leads.seasonality",
            "has 3 entries; needs 12",
        ),
        (
            season(json!([1, 1, 1, -0.1, 1, 1, 1, 1, 1, 1, 1, 1])),
            "leads.seasonality[3]",
            "must be from 0 to 12",
        ),
        (
            season(json!([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100])),
            "leads.seasonality[11]",
            "must be from 0 to 12",
        ),
        (
            season(json!([1, 1, "x", 1, 1, 1, 1, 1, 1, 1, 1, 1])),
            "leads.seasonality[2]",
            "must be a number",
        ),
    ];
    for (text, path, words) in cases {
        let errors = Scenario::from_json(&text).unwrap_err().0;
        assert!(
            errors
                .iter()
                .any(|e| e.path == path && e.message.contains(words)),
            "{path}: {errors:?}"
        );
    }
    // A long list costs one message, not one per entry.
    let errors = Scenario::from_json(&season(json!(vec![1; 100_000])))
        .unwrap_err()
        .0;
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn seasonality_counts_in_the_lead_volume_limit() {
    // 1e11 leads a month is fine flat, but not with a month at 12 times it.
    let mut v: Value = serde_json::from_str(common::REFERENCE).unwrap();
    v["leads"]["per_month"] = json!(1e11);
    v["leads"]["growth_per_month"] = json!(0);
    assert!(Scenario::from_json(&v.to_string()).is_ok());
    v["leads"]["seasonality"] = json!([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 12]);
    let errors = Scenario::from_json(&v.to_string()).unwrap_err().0;
    assert_eq!(errors[0].path, "leads.per_month", "{errors:?}");
    assert!(
        errors[0].message.contains("growth and seasonality"),
        "{errors:?}"
    );
    assert!(matches!(errors[0].kind, ErrorKind::LeadsPastLimit { .. }));
}

#[test]
fn seasonal_scenarios_round_trip_and_old_ones_gain_no_field() {
    let old = Scenario::from_json(common::REFERENCE).unwrap();
    let text = old.to_json_pretty();
    assert!(!text.contains("seasonality") && !text.contains("start_month"));
    let text = adding("", "start_month", json!(9));
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["leads"]["seasonality"] = json!([1.1, 1.1, 1.1, 1.1, 1.1, 0.9, 0.7, 0.7, 0.9, 1.1, 1.1, 0.1]);
    let s = Scenario::from_json(&v.to_string()).unwrap();
    assert_eq!((s.start_month, s.start_month()), (Some(9), 9));
    let back = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.to_json(), s.to_json());
}
