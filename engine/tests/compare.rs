//! Scenarios compared on the same seed and trials (`compare`, `funnelsim compare`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::*;
use funnel_engine::compare::{
    self, CompareError, Comparison, Entry, Mismatch, Pairing, Verdict, pairing,
};
use funnel_engine::sim::Method;
use funnel_engine::{Noise, Scenario, Simulation, Summary};

const TRIALS: u64 = 4_000;
const SEED: u64 = 11;

/// A finished run: its summary and per-trial revenue.
struct Run {
    scenario: Scenario,
    summary: Summary,
    revenue: Vec<f64>,
}

fn run(scenario: &Scenario, trials: u64, seed: u64) -> Run {
    let sim = Simulation::new(scenario, trials, seed).expect("valid run");
    let all = sim.run_all();
    Run {
        scenario: scenario.clone(),
        summary: Summary::new(&sim, &all),
        revenue: all.revenue,
    }
}

fn entries<'a>(runs: &'a [Run], names: &'a [&'a str]) -> Vec<Entry<'a>> {
    runs.iter()
        .zip(names)
        .map(|(r, name)| Entry {
            name,
            scenario: &r.scenario,
            revenue: &r.revenue,
            summary: &r.summary,
        })
        .collect()
}

fn more_leads(factor: f64) -> Scenario {
    let mut s = scenario(REFERENCE);
    s.leads.per_month *= factor;
    s
}

fn compare_runs(runs: &[Run]) -> Comparison {
    let names = ["A", "B", "C", "D", "E"];
    Comparison::from_runs(&entries(runs, &names[..runs.len()])).expect("comparable")
}

/// sd / sqrt(n) of `d`, written out here rather than through the engine.
fn se_of(d: &[f64]) -> f64 {
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let ss: f64 = d.iter().map(|x| (x - mean) * (x - mean)).sum();
    (ss / (n - 1.0)).sqrt() / n.sqrt()
}

fn d_unpaired(runs: &[Run]) -> f64 {
    let n = runs[0].revenue.len() as f64;
    ((variance(&runs[0].revenue) + variance(&runs[1].revenue)) / n).sqrt()
}

#[test]
fn a_scenario_against_itself_differs_by_exactly_nothing() {
    let base = scenario(REFERENCE);
    let runs = [run(&base, TRIALS, SEED), run(&base, TRIALS, SEED)];
    let c = compare_runs(&runs);
    let d = &c.differences[0];
    assert!(d.pairing.paired && d.pairing.reasons.is_empty());
    for gap in [
        d.revenue_mean,
        d.target_chance.expect("reference has a target"),
    ] {
        assert_eq!(gap.difference, 0.0);
        assert_eq!(gap.paired_se, 0.0);
        assert_eq!(gap.se, 0.0);
        assert!(gap.unpaired_se > 0.0, "as if independent: not 0");
        assert_eq!(gap.ahead, None);
        assert_eq!(gap.verdict, Verdict::Equal);
    }
    assert_eq!(c.scenarios[0], {
        let mut second = c.scenarios[1].clone();
        second.name = "A".into();
        second
    });
}

#[test]
fn more_leads_lead_and_the_paired_error_is_far_below_the_unpaired() {
    let runs = [
        run(&scenario(REFERENCE), TRIALS, SEED),
        run(&more_leads(1.1), TRIALS, SEED),
    ];
    let c = compare_runs(&runs);
    let d = &c.differences[0];
    assert!(d.pairing.paired);
    let gap = d.revenue_mean;
    let paired = gap.paired_se;
    // Measured on the reference at 10,000 trials, seed 1: 1,785 paired against
    // 20,350 unpaired (11x); a pairing that lost its streams would give about 1x.
    assert!(
        paired < gap.unpaired_se / 5.0,
        "paired {paired}, unpaired {}",
        gap.unpaired_se
    );
    assert_eq!(gap.se, paired);
    assert!(gap.difference > 0.0);
    assert_eq!(gap.ahead, Some(1));
    assert_eq!(gap.verdict, Verdict::Real);
    // About +10% of the mean, within a few paired errors (open deals do not grow).
    let mean = c.scenarios[0].revenue.mean;
    assert!(gap.difference < 0.1 * mean + 4.0 * paired, "{gap:?}");
    assert!(gap.difference > 0.05 * mean, "{gap:?}");

    let chance = d.target_chance.expect("target");
    assert!(chance.difference > 0.0 && chance.ahead == Some(1));
    assert!(chance.paired_se < chance.unpaired_se);
    assert_eq!(chance.verdict, Verdict::Real);

    // And the other way round: the first is ahead.
    let back = compare_runs(&[
        run(&more_leads(1.1), TRIALS, SEED),
        run(&scenario(REFERENCE), TRIALS, SEED),
    ]);
    assert_eq!(back.differences[0].revenue_mean.ahead, Some(0));
    assert_eq!(back.differences[0].revenue_mean.difference, -gap.difference);
}

#[test]
fn the_errors_are_the_direct_computations() {
    let runs = [
        run(&scenario(REFERENCE), TRIALS, SEED),
        run(&more_leads(1.02), TRIALS, SEED),
    ];
    let c = compare_runs(&runs);
    let (a, b) = (&runs[0], &runs[1]);
    let gap = c.differences[0].revenue_mean;
    let d: Vec<f64> = b
        .revenue
        .iter()
        .zip(&a.revenue)
        .map(|(y, x)| y - x)
        .collect();
    let direct = se_of(&d);
    let paired = gap.paired_se;
    assert!(
        (paired - direct).abs() <= 1e-9 * direct,
        "{paired} vs {direct}"
    );
    let (sa, sb) = (a.summary.revenue.mean_se, b.summary.revenue.mean_se);
    let unpaired = (sa * sa + sb * sb).sqrt();
    assert!((gap.unpaired_se - unpaired).abs() <= 1e-9 * unpaired);
    assert_eq!(
        gap.difference,
        b.summary.revenue.mean - a.summary.revenue.mean
    );

    let target = c.target.unwrap();
    assert_eq!(target, a.scenario.target.as_ref().unwrap().revenue);
    let hit = |r: f64| if r >= target { 1.0 } else { 0.0 };
    let d: Vec<f64> = b
        .revenue
        .iter()
        .zip(&a.revenue)
        .map(|(&y, &x)| hit(y) - hit(x))
        .collect();
    let chance = c.differences[0].target_chance.unwrap();
    let direct = se_of(&d);
    assert!((chance.paired_se - direct).abs() <= 1e-12);
    // The first scenario's chance is its summary's.
    let own = a.summary.target.as_ref().unwrap();
    let first = c.scenarios[0].target_chance.unwrap();
    assert_eq!(
        (first.probability, first.se),
        (own.probability, own.probability_se)
    );
    // Headline figures are the summaries'.
    assert_eq!(c.scenarios[1].revenue.p90, b.summary.revenue.p90);
    let medians: Vec<f64> = b.summary.months.iter().map(|m| m.cumulative.p50).collect();
    assert_eq!(c.scenarios[1].cumulative_p50, medians);
}

#[test]
fn what_moves_the_streams_unpairs_and_nothing_else_does() {
    let base = scenario(REFERENCE);
    let mut changed = base.clone();
    changed.leads.per_month *= 2.0;
    changed.leads.uncertainty_cv = 0.3;
    changed.deal_size.median *= 1.5;
    changed.deal_size.p90 *= 1.5;
    changed.stages[1].days += 10.0;
    changed.stages[0].open += 40;
    changed.target = None;
    assert_eq!(pairing(&base, &changed), Pairing::Paired);

    let mut fewer = base.clone();
    fewer.stages.pop();
    assert_eq!(
        pairing(&base, &fewer),
        Pairing::Unpaired(vec![Mismatch::Stages {
            first: base.stages.len(),
            other: base.stages.len() - 1
        }])
    );
    let mut fixed = base.clone();
    fixed.leads.noise = Noise::Fixed;
    fixed.horizon_months = 24;
    assert_eq!(
        pairing(&base, &fixed),
        Pairing::Unpaired(vec![
            Mismatch::Horizon {
                first: 12,
                other: 24
            },
            Mismatch::Method {
                first: Method::Thinned,
                other: Method::Stepper
            },
        ])
    );
    let mut capacity = base.clone();
    capacity.stages[2].capacity_per_week = Some(50);
    assert!(matches!(pairing(&base, &capacity), Pairing::Unpaired(_)));
}

#[test]
fn a_different_stage_count_is_reported_unpaired() {
    let base = scenario(REFERENCE);
    let mut fewer = base.clone();
    fewer.stages.remove(1);
    let runs = [run(&base, TRIALS, SEED), run(&fewer, TRIALS, SEED)];
    let c = compare_runs(&runs);
    let d = &c.differences[0];
    assert!(!d.pairing.paired);
    let n = base.stages.len();
    assert_eq!(
        d.pairing.reasons,
        vec![format!("B has {} stages, A has {n}", n - 1)]
    );
    for gap in [d.revenue_mean, d.target_chance.unwrap()] {
        // The larger of the two: here the unpaired (measured at 10,000
        // trials, seed 1: 26,571 paired, 32,965 unpaired).
        assert_eq!(gap.se, gap.paired_se.max(gap.unpaired_se));
        assert!(gap.paired_se > gap.unpaired_se / 2.0, "{gap:?}");
    }
    // Dropping a stage with conversion < 1 lets more deals through.
    assert_eq!(d.revenue_mean.ahead, Some(1));
}

#[test]
fn another_seed_is_unpaired_and_other_trial_counts_are_refused() {
    let base = scenario(REFERENCE);
    let runs = [run(&base, 500, SEED), run(&base, 500, SEED + 1)];
    let d = &compare_runs(&runs).differences[0];
    assert!(!d.pairing.paired);
    assert_eq!(
        d.pairing.reasons,
        vec![format!("B ran on seed {}, A on seed {SEED}", SEED + 1)]
    );
    // Independent trials: the per-trial differences' error is the unpaired
    // one, far from the fifth that pairing gives above.
    let d: Vec<f64> = runs[1]
        .revenue
        .iter()
        .zip(&runs[0].revenue)
        .map(|(y, x)| y - x)
        .collect();
    let unpaired = d_unpaired(&runs);
    assert!(se_of(&d) > unpaired / 2.0, "{} vs {unpaired}", se_of(&d));

    let runs = [run(&base, 500, SEED), run(&base, 400, SEED)];
    let got = Comparison::from_runs(&entries(&runs, &["A", "B"]));
    assert!(matches!(got, Err(CompareError::Trials { .. })), "{got:?}");
    let mut bad = entries(&runs[..1], &["A"]);
    let short = &runs[0].revenue[..10];
    bad.push(Entry {
        revenue: short,
        ..bad[0]
    });
    assert!(matches!(
        Comparison::from_runs(&bad),
        Err(CompareError::Revenue { values: 10, .. })
    ));
}

#[test]
fn one_or_five_scenarios_are_refused() {
    let base = scenario(REFERENCE);
    let runs: Vec<Run> = (0..5).map(|_| run(&base, 100, SEED)).collect();
    let names = ["A", "B", "C", "D", "E"];
    for n in [0, 1, 5] {
        let got = Comparison::from_runs(&entries(&runs[..n], &names[..n]));
        assert_eq!(got, Err(CompareError::Count(n)));
        let message = got.unwrap_err().to_string();
        assert!(message.contains("2 to 4"), "{message}");
    }
    let four = compare_runs(&runs[..4]);
    assert_eq!(four.differences.len(), 3);
    assert_eq!(four.differences[2].scenario, 3);
    assert_eq!(compare::MAX_SCENARIOS, 4);
}

#[test]
fn without_a_target_in_the_first_every_chance_is_null() {
    let mut base = scenario(REFERENCE);
    base.target = None;
    let runs = [run(&base, 300, SEED), run(&scenario(REFERENCE), 300, SEED)];
    let c = compare_runs(&runs);
    assert_eq!(c.target, None);
    assert!(c.scenarios.iter().all(|s| s.target_chance.is_none()));
    assert!(c.differences[0].target_chance.is_none());
    let json: serde_json::Value = serde_json::from_str(&c.to_json_pretty()).unwrap();
    assert!(json["target"].is_null());
    assert!(json["scenarios"][1]["target_chance"].is_null());
}

// The command line.

fn funnelsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args(args)
        .output()
        .expect("funnelsim runs")
}

fn reference_path() -> String {
    format!("{}/../scenarios/reference.json", env!("CARGO_MANIFEST_DIR"))
}

fn temp(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("funnelsim-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn plus_ten_percent_file() -> String {
    let mut json: serde_json::Value = serde_json::from_str(REFERENCE).unwrap();
    let leads = json["leads"]["per_month"].as_f64().unwrap();
    json["leads"]["per_month"] = (leads * 1.1).into();
    json["name"] = "More leads".into();
    let path = temp("more-leads.json", &json.to_string());
    path.to_string_lossy().into_owned()
}

/// Every number in `v` is finite and every null is at a documented place.
fn check_nulls(v: &serde_json::Value, key: &str) {
    match v {
        serde_json::Value::Null => assert!(
            ["target", "target_chance", "ahead"].contains(&key),
            "null at {key}"
        ),
        serde_json::Value::Number(n) => assert!(n.as_f64().unwrap().is_finite()),
        serde_json::Value::Array(items) => items.iter().for_each(|x| check_nulls(x, key)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, x)| check_nulls(x, k)),
        _ => {}
    }
}

#[test]
fn the_cli_prints_the_comparison_the_same_on_any_thread_count() {
    let (a, b) = (reference_path(), plus_ten_percent_file());
    let args = |threads: &'static str| {
        vec![
            "compare".to_owned(),
            a.clone(),
            b.clone(),
            "--trials".into(),
            "2500".into(),
            "--seed".into(),
            "5".into(),
            "--threads".into(),
            threads.into(),
        ]
    };
    let run_with = |threads| {
        let args = args(threads);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        funnelsim(&args)
    };
    let one = run_with("1");
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let two = run_with("2");
    assert_eq!(one.stdout, two.stdout, "--threads 1 and 2 differ");

    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    check_nulls(&json, "");
    assert_eq!(json["trials"], 2500);
    assert_eq!(json["seed"], 5);
    assert_eq!(json["scenarios"][1]["name"], "More leads");
    for field in ["revenue", "target_chance", "cumulative_p50", "currency"] {
        assert!(!json["scenarios"][0][field].is_null(), "{field}");
    }
    let d = &json["differences"][0];
    assert_eq!(d["pairing"]["paired"], true);
    assert_eq!(d["revenue_mean"]["ahead"], 1);
    assert_eq!(d["revenue_mean"]["verdict"], "real");
    for field in ["difference", "paired_se", "unpaired_se", "se"] {
        assert!(d["revenue_mean"][field].is_f64(), "{field}");
        assert!(d["target_chance"][field].is_f64(), "{field}");
    }

    // The same comparison as the library builds from the same runs.
    let runs = [
        run(&scenario(REFERENCE), 2500, 5),
        run(&more_leads(1.1), 2500, 5),
    ];
    let names = [runs[0].scenario.name.as_str(), "More leads"];
    let c = Comparison::from_runs(&entries(&runs, &names)).unwrap();
    assert_eq!(
        String::from_utf8(one.stdout).unwrap().trim_end(),
        c.to_json_pretty()
    );
}

#[test]
fn the_cli_takes_the_first_files_run_unless_flags_say_otherwise() {
    let mut json: serde_json::Value = serde_json::from_str(REFERENCE).unwrap();
    json["run"] = serde_json::json!({"trials": 300, "seed": 9});
    let first = temp("with-run.json", &json.to_string());
    let first = first.to_str().unwrap();
    let out = funnelsim(&["compare", first, &reference_path(), "--threads", "1"]);
    assert_eq!(out.status.code(), Some(0));
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (c["trials"].as_u64(), c["seed"].as_u64()),
        (Some(300), Some(9))
    );
    // The second file runs the first's settings too, so it pairs and equals it.
    assert_eq!(c["differences"][0]["revenue_mean"]["verdict"], "equal");
    let out = funnelsim(&["compare", first, first, "--trials", "200"]);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["trials"], 200);
}

fn assert_refused(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty());
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
}

#[test]
fn the_cli_refuses_bad_input_with_exit_2() {
    let a = reference_path();
    assert_refused(
        &funnelsim(&["compare", &a]),
        &["2 to 4 scenario files", "not 1"],
    );
    assert_refused(&funnelsim(&["compare"]), &["not 0"]);
    let five = vec![a.as_str(); 5];
    let mut args = vec!["compare"];
    args.extend(&five);
    assert_refused(&funnelsim(&args), &["not 5"]);

    let mut json: serde_json::Value = serde_json::from_str(REFERENCE).unwrap();
    json["stages"][2]["days"] = (-3.0).into();
    let bad = temp("bad-days.json", &json.to_string());
    let bad = bad.to_str().unwrap();
    assert_refused(
        &funnelsim(&["compare", &a, bad]),
        &["bad-days.json", "stages[2].days"],
    );
    assert_refused(
        &funnelsim(&["compare", &a, "/nonexistent/x.json"]),
        &["x.json", "cannot read"],
    );
    assert_refused(
        &funnelsim(&["compare", &a, &a, "--sensitivity"]),
        &["--sensitivity: only for `funnelsim run`"],
    );
    assert_refused(
        &funnelsim(&["compare", &a, &a, "--trials", "0"]),
        &["--trials"],
    );
}

#[test]
fn the_comparison_is_pinned() {
    // FNV-1a of the JSON: a change of any figure, field or order shows here.
    let runs = [
        run(&scenario(REFERENCE), 500, 2024),
        run(&more_leads(1.1), 500, 2024),
    ];
    let json = compare_runs(&runs).to_json_pretty();
    let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    assert_eq!(hash, 1_539_446_178_045_833_809, "{json}");
}
