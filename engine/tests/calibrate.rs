//! Calibration from a CRM export (MODEL.md, "Calibration from a CRM
//! export"): counting recovers the scenario that generated the deals, open
//! deals are censored, skips and steps back follow docs/model-notes.md,
//! backtests are calibrated, bad files name their line and column, and the
//! command line prints what the library computes.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

use funnel_engine::calibrate::backtest;
use funnel_engine::calibrate::dates::{Date, DateOrder};
use funnel_engine::calibrate::interval::rate_interval;
use funnel_engine::calibrate::synth::{self, DateForm};
use funnel_engine::calibrate::{self, Options, ProblemKind, Report, Warning};
use funnel_engine::{Conversion, Scenario, Simulation};

fn shipped(name: &str) -> String {
    format!("{}/../scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn source() -> Scenario {
    Scenario::from_json(&std::fs::read_to_string(shipped("deals-source.json")).unwrap()).unwrap()
}

fn day(text: &str) -> Date {
    Date::parse_iso(text).unwrap()
}

fn names(s: &Scenario) -> Vec<String> {
    s.stages.iter().map(|s| s.name.clone()).collect()
}

fn report(text: &str) -> Report {
    calibrate::calibrate(text, &Options::default()).unwrap_or_else(|p| panic!("{p:?}"))
}

/// Standard error of the sample `q` quantile of a lognormal (median, p90)
/// from `n` values: sqrt(q(1-q)/n) / f(x_q).
fn quantile_se(median: f64, p90: f64, q: f64, z: f64, n: u64) -> f64 {
    let s = libm::log(p90 / median) / 1.281_551_565_544_600_5;
    let x = median * libm::exp(s * z);
    let pdf = libm::exp(-z * z / 2.0) / (2.0 * std::f64::consts::PI).sqrt() / (x * s);
    (q * (1.0 - q) / n as f64).sqrt() / pdf
}

/// Checks a report against the scenario that made its deals.
fn assert_recovers(report: &Report, truth: &Scenario, months_from_start: f64) {
    for (got, want) in report.stages.iter().zip(&truth.stages) {
        let p = want.conversion.mean();
        let [lo, hi] = rate_interval(got.won, got.of, 0.99);
        assert!(
            lo <= p && p <= hi,
            "{}: {p} outside [{lo}, {hi}] of {}/{}",
            got.name,
            got.won,
            got.of
        );
        // Stays are 7 x (1 + Geometric(h)) days, h = 7/days: sd 7 sqrt(1-h)/h.
        let h = 7.0 / want.days;
        let se = 7.0 * (1.0 - h).sqrt() / h / (got.of as f64).sqrt();
        assert!(
            (got.days_mean - want.days).abs() < 4.0 * se,
            "{}: days {} vs {} (se {se})",
            got.name,
            got.days_mean,
            want.days
        );
    }
    let size = report.deal_size.as_ref().unwrap();
    let (m, p90) = (truth.deal_size.median, truth.deal_size.p90);
    let se = quantile_se(m, p90, 0.5, 0.0, size.count);
    assert!(
        (size.median - m).abs() < 4.0 * se,
        "median {} vs {m} (se {se})",
        size.median
    );
    let se = quantile_se(m, p90, 0.9, 1.281_551_565_544_600_5, size.count);
    assert!(
        (size.p90 - p90).abs() < 4.0 * se,
        "p90 {} vs {p90} (se {se})",
        size.p90
    );
    // Leads: the expectation in the forecast's first month.
    let leads = &truth.leads;
    let want = leads.per_month * libm::pow(1.0 + leads.growth_per_month, months_from_start);
    let got = &report.leads;
    assert!(
        (got.per_month - want).abs() < 4.0 * got.per_month_se,
        "leads {} vs {want} (se {})",
        got.per_month,
        got.per_month_se
    );
    assert!(
        (got.growth_per_month - leads.growth_per_month).abs() < 0.03,
        "growth {}",
        got.growth_per_month
    );
}

#[test]
fn the_shipped_exports_recover_their_source() {
    let truth = source();
    let long = report(&std::fs::read_to_string(shipped("deals-long.csv")).unwrap());
    let wide = report(&std::fs::read_to_string(shipped("deals-wide.csv")).unwrap());
    // 2024-01 to 2025-12: the forecast's first month is month 24 from the start.
    assert_recovers(&long, &truth, 24.0);
    assert_eq!(long, wide, "the long and the wide file hold the same deals");
    let names: Vec<&str> = long.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Lead", "Qualified", "Proposal", "Negotiation"]);
    let scenario = long.scenario("x", 12).unwrap();
    assert!(matches!(
        scenario.stages[0].conversion,
        Conversion::History { .. }
    ));
    // What the file says, exactly, is what the file will read back.
    let json = scenario.to_json_pretty();
    assert_eq!(Scenario::from_json(&json).unwrap(), scenario);
}

#[test]
fn generated_exports_recover_their_scenario_for_several_seeds() {
    let truth = source();
    for seed in [2, 3, 4] {
        let deals = synth::generate(&truth, day("2023-03-01"), day("2025-02-28"), seed);
        let text = synth::long_csv(
            &names(&truth),
            &deals,
            DateForm::Numeric(DateOrder::DayFirst),
        );
        assert_recovers(&report(&text), &truth, 24.0);
    }
}

fn censoring_scenario() -> Scenario {
    Scenario::from_json(
        r#"{"version": 1, "horizon_months": 12, "leads": {"per_month": 400},
            "stages": [{"name": "Pilot", "conversion": 0.5, "days": 70},
                       {"name": "Contract", "conversion": 0.8, "days": 7}],
            "deal_size": {"median": 1000, "p90": 2000}}"#,
    )
    .unwrap()
}

#[test]
fn open_deals_are_censored_not_lost() {
    // Pilots take ten weeks on average and the history is four months: most
    // deals are still in their pilot. Counted as lost, they would drag the
    // rate far below one half.
    let truth = censoring_scenario();
    let deals = synth::generate(&truth, day("2025-01-01"), day("2025-04-30"), 7);
    let r = report(&synth::long_csv(&names(&truth), &deals, DateForm::Iso));
    let pilot = &r.stages[0];
    assert!(pilot.open > pilot.of, "{pilot:?}");
    let [lo, hi] = rate_interval(pilot.won, pilot.of, 0.99);
    assert!(lo <= 0.5 && 0.5 <= hi, "{pilot:?}");
    let as_lost = pilot.won as f64 / (pilot.of + pilot.open) as f64;
    let [lo_lost, hi_lost] = rate_interval(pilot.won, pilot.of + pilot.open, 0.99);
    assert!(
        hi_lost < 0.4,
        "counting open deals as lost gives {as_lost} in [{lo_lost}, {hi_lost}]"
    );
    // Their days so far count too: the mean stay is recovered, where the
    // plain mean of finished pilots is far too short.
    let h = 0.1;
    let se = 7.0 * (1.0f64 - h).sqrt() / h / (pilot.of as f64).sqrt();
    assert!(
        (pilot.days_mean - 70.0).abs() < 4.0 * se,
        "{} (se {se})",
        pilot.days_mean
    );
    let finished: Vec<f64> = deals
        .iter()
        .filter(|d| d.entries.len() > 1 || d.closed.is_some())
        .map(|d| {
            (d.entries
                .get(1)
                .map_or_else(|| d.closed.unwrap(), |e| e.1)
                .0
                - d.entries[0].1.0) as f64
        })
        .collect();
    let plain = finished.iter().sum::<f64>() / finished.len() as f64;
    assert!(plain < 45.0, "the plain mean of finished stays is {plain}");
    assert_eq!(
        r.stages[0].open as usize,
        deals
            .iter()
            .filter(|d| d.entries.len() == 1 && d.closed.is_none())
            .count()
    );
}

const LONG: &str = "deal_id,stage,entered,amount,status,closed\n";

#[test]
fn a_skipped_stage_is_passed_with_no_days() {
    let text = format!(
        "{LONG}\
         A,Lead,2025-01-01,100,won,2025-01-31\n\
         A,Qualified,2025-01-05,100,won,2025-01-31\n\
         A,Proposal,2025-01-10,100,won,2025-01-31\n\
         B,Lead,2025-01-02,200,won,2025-01-20\n\
         B,Proposal,2025-01-12,200,won,2025-01-20\n\
         C,Proposal,2025-01-03,300,lost,2025-01-13\n"
    );
    let r = report(&text);
    let [lead, qual, prop] = &r.stages[..] else {
        panic!("{r:?}")
    };
    // B skipped Qualified, C began at Proposal: both passed the stages before with 0 days.
    assert_eq!(
        (lead.entered, lead.advanced, lead.lost, lead.open),
        (3, 3, 0, 0)
    );
    assert_eq!((qual.entered, qual.advanced), (3, 3));
    // Qualified: A's 5 days, B's and C's 0, over 3 that left.
    assert!((qual.days_mean - 5.0 / 3.0).abs() < 1e-12, "{qual:?}");
    // Lead: A 4 days, B 10 (to Proposal), C 0.
    assert!((lead.days_mean - 14.0 / 3.0).abs() < 1e-12, "{lead:?}");
    assert_eq!((prop.entered, prop.advanced, prop.lost), (3, 2, 1));
    assert!(
        (prop.days_mean - (21.0 + 8.0 + 10.0) / 3.0).abs() < 1e-12,
        "{prop:?}"
    );
    // Every deal is a lead of the month of its first date.
    assert_eq!(r.deals, 3);
    // The history ends on 31 January: one full month, of three leads.
    assert_eq!(r.leads.months.len(), 1);
    assert_eq!(r.leads.months[0].leads, 3);
    assert!((r.leads.per_month - 3.0).abs() < 1e-12, "{:?}", r.leads);
}

#[test]
fn a_deal_that_goes_back_counts_at_its_furthest_stage() {
    let text = format!(
        "{LONG}\
         A,Lead,2025-01-01,,lost,2025-02-20\n\
         A,Qualified,2025-01-05,,lost,2025-02-20\n\
         A,Proposal,2025-01-10,,lost,2025-02-20\n\
         A,Qualified,2025-01-20,,lost,2025-02-20\n\
         A,Proposal,2025-02-01,,lost,2025-02-20\n\
         B,Lead,2025-01-01,500,won,2025-01-09\n\
         B,Qualified,2025-01-02,500,won,2025-01-09\n\
         B,Proposal,2025-01-03,500,won,2025-01-09\n\
         B,Proposal,2025-01-05,500,won,2025-01-09\n"
    );
    // B's second Proposal row is the same stage again, not a step back.
    let r = report(&text);
    let [lead, qual, prop] = &r.stages[..] else {
        panic!("{r:?}")
    };
    assert_eq!((qual.entered, qual.advanced, qual.lost), (2, 2, 0));
    assert_eq!((prop.entered, prop.advanced, prop.lost), (2, 1, 1));
    // A's time back in Qualified is time in Proposal: 10 Jan to 20 Feb.
    assert!(
        (prop.days_mean - (41.0 + 6.0) / 2.0).abs() < 1e-12,
        "{prop:?}"
    );
    assert!(
        (qual.days_mean - (5.0 + 1.0) / 2.0).abs() < 1e-12,
        "{qual:?}"
    );
    assert_eq!(lead.entered, 2);
    assert!(
        r.warnings.contains(&Warning::WentBack { deals: 1 }),
        "{:?}",
        r.warnings
    );
    // One won deal: its amount is the deal size, the one without is counted.
    assert_eq!(r.deal_size.as_ref().unwrap().median, 500.0);
}

#[test]
fn the_stage_order_is_the_order_deals_enter_them() {
    // The first deal in the file skips Qualified, so first appearance alone
    // would put Proposal second.
    let text = format!(
        "{LONG}\
         A,Lead,2025-01-01,1,open,\n\
         A,Proposal,2025-01-09,1,open,\n\
         B,Lead,2025-01-02,1,open,\n\
         B,Qualified,2025-01-03,1,open,\n\
         B,Proposal,2025-01-04,1,open,\n\
         C,Qualified,2025-01-05,1,open,\n\
         C,Proposal,2025-01-07,1,open,\n"
    );
    let r = calibrate::calibrate(&text, &Options::default()).unwrap();
    let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Lead", "Qualified", "Proposal"]);
    // --stages chooses the stages, in its order, and skips the rest.
    let options = Options {
        stages: Some(vec!["lead".into(), "Proposal".into()]),
        ..Options::default()
    };
    let deals = calibrate::read(&text, &options).unwrap();
    assert_eq!(deals.ignored_rows, 2);
    let r = Report::new(&calibrate::count(&deals, None).unwrap());
    assert_eq!(
        r.stages
            .iter()
            .map(|s| (s.name.as_str(), s.entered))
            .collect::<Vec<_>>(),
        [("lead", 3), ("Proposal", 3)]
    );
}

#[test]
fn as_of_counts_only_what_was_known() {
    let text = format!(
        "{LONG}\
         A,Lead,2025-01-01,100,won,2025-03-01\n\
         A,Qualified,2025-02-01,100,won,2025-03-01\n\
         B,Lead,2025-02-10,100,lost,2025-02-11\n"
    );
    let options = Options {
        as_of: Some(day("2025-01-31")),
        ..Options::default()
    };
    let r = calibrate::calibrate(&text, &options).unwrap();
    // On 31 January only A existed, still in Lead for 30 days.
    assert_eq!(r.deals, 1);
    assert_eq!(
        (r.stages[0].entered, r.stages[0].open, r.stages[0].of),
        (1, 1, 0)
    );
    assert_eq!(r.stages[0].days_mean, 30.0);
    assert!(r.warnings.contains(&Warning::NoneLeft {
        stage: "Lead".into()
    }));
}

#[test]
fn edge_cases_give_a_valid_scenario_or_a_clear_error() {
    // No deal decided anywhere: {0, 0} (a uniform rate), days so far, warnings.
    let text = format!("{LONG}A,Lead,2025-01-01,5,open,\nB,Lead,2025-01-03,5,open,\n");
    let r = calibrate::calibrate(&text, &Options::default()).unwrap();
    assert_eq!(
        (r.stages[0].won, r.stages[0].of, r.stages[0].rate),
        (0, 0, None)
    );
    assert!(r.stages[0].days_mean.is_finite());
    let e = r.scenario("x", 12).unwrap_err();
    assert_eq!(e[0].kind, ProblemKind::NoWonDeals);
    assert!(e[0].to_string().contains("no won deal"), "{}", e[0]);
    // A won deal, a short history: a valid scenario with every number finite.
    let text = format!("{LONG}A,Lead,2025-01-01,5,won,2025-01-15\nB,Lead,2025-01-03,5,open,\n");
    let r = calibrate::calibrate(&text, &Options::default()).unwrap();
    let s = r.scenario("x", 12).unwrap();
    assert!(s.leads.per_month.is_finite() && s.leads.per_month > 0.0);
    assert_eq!(s.leads.growth_per_month, 0.0);
    assert_eq!(s.deal_size.median, 5.0);
    assert!(r.warnings.contains(&Warning::FewMonths { months: 0 }));
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, Warning::FewDecided { .. }))
    );
    assert!(
        serde_json::to_string(&r).unwrap().len() > 10,
        "the report serialises for the page"
    );
}

fn problems(text: &str, options: &Options) -> Vec<String> {
    match calibrate::calibrate(text, options) {
        Ok(r) => panic!("accepted: {r:?}"),
        Err(p) => p.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn bad_files_name_the_line_and_the_column() {
    let o = Options::default();
    let e = problems("id,name,value\n1,a,2\n", &o);
    assert!(
        e[0].starts_with("line 1: no header") && e[0].contains("`deal_id`"),
        "{e:?}"
    );
    let e = problems(
        &format!("{LONG}A,Lead,2025-01-01,1,open,\nB,Lead,2025-02-30,1,open,\n"),
        &o,
    );
    assert_eq!(
        e,
        ["line 3, column 3 (`entered`): no such day (read month first)"]
    );
    let e = problems(
        &format!("{LONG}A,Lead,2025-01-01,1,open,\n\nB,Lead,yesterday,1,open,\n"),
        &o,
    );
    assert!(
        e[0].starts_with("line 4, column 3 (`entered`): `yesterday` is not a date"),
        "{e:?}"
    );
    let e = problems(&format!("{LONG}A,Lead,2025-01-10,1,lost,2025-01-05\n"), &o);
    assert!(e[0].starts_with("line 2, column 6 (`closed`): deal `A` closed on 2025-01-05, before it entered `Lead` on 2025-01-10"), "{e:?}");
    let e = problems(LONG, &o);
    assert_eq!(e, ["the file has a header but no rows"]);
    let e = problems("", &o);
    assert_eq!(e, ["the file is empty: no header and no rows"]);
    let e = problems(&format!("{LONG}A,Lead,2025-01-01,1,maybe,\n"), &o);
    assert!(
        e[0].starts_with("line 2, column 5 (`status`): `maybe` is not a status"),
        "{e:?}"
    );
    let e = problems(&format!("{LONG}A,Lead,2025-01-01,1,won,\n"), &o);
    assert!(
        e[0].starts_with("line 2, column 6 (`closed`): deal `A` is won but has no closed date"),
        "{e:?}"
    );
    let e = problems(
        &format!("{LONG}A,Lead,2025-01-01,12.000,00,won,2025-02-01\n"),
        &o,
    );
    assert!(!e.is_empty());
    let e = problems(&format!("{LONG}A,Lead,2025-01-01,ten,won,2025-02-01\n"), &o);
    assert!(
        e[0].starts_with("line 2, column 4 (`amount`): `ten` is not an amount"),
        "{e:?}"
    );
    let wide =
        "deal_id,amount,status,closed,entered Lead\nA,1,open,,2025-01-01\nA,1,open,,2025-01-02\n";
    let e = problems(wide, &o);
    assert!(
        e[0].starts_with("line 3, column 1 (`deal_id`): deal `A` is also on line 2"),
        "{e:?}"
    );
}

#[test]
fn numeric_dates_need_an_order_only_when_the_file_does_not_tell() {
    let header = "deal_id,amount,status,closed,entered Lead\n";
    let ambiguous = format!("{header}A,1,won,03/05/2025,03/04/2025\n");
    let e = problems(&ambiguous, &Options::default());
    assert!(e[0].contains("--date-order"), "{e:?}");
    let us = Options {
        date_order: Some(DateOrder::MonthFirst),
        ..Options::default()
    };
    let r = calibrate::calibrate(&ambiguous, &us).unwrap();
    assert_eq!(r.as_of, "2025-03-05");
    let eu = Options {
        date_order: Some(DateOrder::DayFirst),
        ..Options::default()
    };
    assert_eq!(
        calibrate::calibrate(&ambiguous, &eu).unwrap().as_of,
        "2025-05-03"
    );
    // One date past the 12th tells the whole file.
    let told = format!("{ambiguous}B,1,open,,03/24/2025\n");
    assert_eq!(
        calibrate::calibrate(&told, &Options::default())
            .unwrap()
            .as_of,
        "2025-03-24"
    );
    let clash = format!("{told}C,1,open,,24.03.2025\n");
    assert!(problems(&clash, &Options::default())[0].contains("one file has one order"));
}

fn stationary() -> Scenario {
    Scenario::from_json(
        r#"{"version": 1, "horizon_months": 3, "leads": {"per_month": 80},
            "stages": [{"name": "Lead", "conversion": 0.5, "days": 10},
                       {"name": "Demo", "conversion": 0.6, "days": 14},
                       {"name": "Deal", "conversion": 0.7, "days": 7}],
            "deal_size": {"median": 5000, "p90": 12000}}"#,
    )
    .unwrap()
}

#[test]
fn backtests_of_a_stationary_funnel_are_calibrated() {
    // The actual is one draw of the process the forecast simulates, so its
    // percentile is uniform: inside P5..P95 nine times in ten.
    let truth = stationary();
    let mut inside = 0;
    let mut percentiles = Vec::new();
    for seed in 0..20 {
        let deals = synth::generate(&truth, day("2024-01-01"), day("2025-04-30"), 100 + seed);
        let text = synth::wide_csv(&names(&truth), &deals, DateForm::Iso);
        let read = calibrate::read(&text, &Options::default()).unwrap();
        let plan = backtest::plan(&read, day("2024-12-31"), 3).unwrap();
        let sim = Simulation::new(&plan.scenario, 400, seed).unwrap();
        let b = backtest::judge(day("2024-12-31"), 3, &sim.run_all().revenue, plan.actual);
        assert!(
            b.p10 <= b.p50 && b.p50 <= b.p90 && (0.0..=100.0).contains(&b.percentile),
            "{b:?}"
        );
        percentiles.push(b.percentile);
        inside += u32::from((5.0..=95.0).contains(&b.percentile));
    }
    assert!(inside >= 15, "{percentiles:?}");
    // And not all on one side: the median percentile is near the middle.
    percentiles.sort_by(f64::total_cmp);
    assert!((20.0..=80.0).contains(&percentiles[10]), "{percentiles:?}");
}

#[test]
fn a_backtest_window_must_lie_inside_the_file() {
    let text = std::fs::read_to_string(shipped("deals-long.csv")).unwrap();
    let read = calibrate::read(&text, &Options::default()).unwrap();
    let e = backtest::plan(&read, day("2025-10-01"), 6).unwrap_err();
    assert!(
        e[0].message
            .contains("after the file's last date 2025-12-31"),
        "{e:?}"
    );
    let plan = backtest::plan(&read, day("2025-06-30"), 6).unwrap();
    // 26 weeks after 30 June 2025.
    assert_eq!(plan.end, day("2025-12-29"));
    assert!(plan.actual > 0.0);
}

// The command line.

fn funnelsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_funnelsim"))
        .args(args)
        .output()
        .expect("funnelsim runs")
}

fn temp(name: &str, contents: &str) -> String {
    let dir = std::env::temp_dir().join(format!("funnelsim-calibrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn assert_refused(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
    assert!(
        stderr.contains(needle),
        "stderr should mention `{needle}`:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn cli_calibrate_prints_the_scenario_the_library_counts() {
    let path = shipped("deals-wide.csv");
    let out = funnelsim(&["calibrate", &path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = Scenario::from_json(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let want = report(&text)
        .scenario("Calibrated from deals-wide as of 2025-12-31", 12)
        .unwrap();
    assert_eq!(printed, want);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["stages"][0]["conversion"]["won"].is_u64() && v["stages"][0]["conversion"]["of"].is_u64()
    );
    for key in ["days", "open"] {
        assert!(v["stages"][3][key].is_number(), "{key}");
    }
    assert!(v["leads"]["per_month"].is_number() && v["leads"]["growth_per_month"].is_number());
    assert!(v["deal_size"]["median"].is_number() && v["deal_size"]["p90"].is_number());
    // --as-of and --stages.
    let out = funnelsim(&[
        "calibrate",
        &path,
        "--as-of",
        "2025-06-30",
        "--stages",
        "Lead,Qualified",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stages"].as_array().unwrap().len(), 2);
    assert!(v["name"].as_str().unwrap().ends_with("as of 2025-06-30"));
    // The scenario runs.
    let file = temp("calibrated.json", std::str::from_utf8(&out.stdout).unwrap());
    assert!(
        funnelsim(&["run", &file, "--trials", "100"])
            .status
            .success()
    );
}

#[test]
fn cli_backtest_prints_the_percentile_of_the_actual() {
    let path = shipped("deals-long.csv");
    let args = [
        "backtest",
        &path,
        "--as-of",
        "2025-06-30",
        "--months",
        "6",
        "--trials",
        "500",
        "--seed",
        "3",
    ];
    let out = funnelsim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], "2025-06-30");
    assert_eq!(v["months"], 6);
    let text = std::fs::read_to_string(&path).unwrap();
    let read = calibrate::read(&text, &Options::default()).unwrap();
    let plan = backtest::plan(&read, day("2025-06-30"), 6).unwrap();
    let sim = Simulation::new(&plan.scenario, 500, 3).unwrap();
    let want = backtest::judge(day("2025-06-30"), 6, &sim.run_all().revenue, plan.actual);
    assert_eq!(serde_json::to_value(&want).unwrap(), v);
    // The same bytes on one thread.
    let mut one = args.to_vec();
    one.extend(["--threads", "1"]);
    assert_eq!(funnelsim(&one).stdout, out.stdout);
}

#[test]
fn cli_refusals_exit_2_naming_line_and_column() {
    let bad = temp(
        "bad-date.csv",
        &format!("{LONG}A,Lead,2025-01-01,1,open,\nB,Lead,2025-02-30,1,open,\n"),
    );
    assert_refused(
        &funnelsim(&["calibrate", &bad]),
        "bad-date.csv`: line 3, column 3 (`entered`): no such day",
    );
    let header = temp("header.csv", "id,name\n1,a\n");
    assert_refused(
        &funnelsim(&["calibrate", &header]),
        "line 1: no header this program knows",
    );
    let before = temp(
        "before.csv",
        &format!("{LONG}A,Lead,2025-01-10,1,lost,2025-01-05\n"),
    );
    assert_refused(
        &funnelsim(&[
            "backtest",
            &before,
            "--as-of",
            "2025-01-07",
            "--months",
            "1",
        ]),
        "line 2, column 6 (`closed`)",
    );
    let empty = temp("empty.csv", LONG);
    assert_refused(&funnelsim(&["calibrate", &empty]), "no rows");
    let path = shipped("deals-long.csv");
    assert_refused(
        &funnelsim(&["backtest", &path, "--months", "3"]),
        "--as-of: needed",
    );
    assert_refused(
        &funnelsim(&["backtest", &path, "--as-of", "2025-06-30"]),
        "--months: needed",
    );
    assert_refused(
        &funnelsim(&["calibrate", &path, "--as-of", "30/06/2025"]),
        "is not a date YYYY-MM-DD",
    );
    assert_refused(
        &funnelsim(&["calibrate", &path, "--months", "3"]),
        "--months: only for `funnelsim backtest`",
    );
    assert_refused(
        &funnelsim(&["calibrate", &path, "--trials", "3"]),
        "--trials: only for `funnelsim run`, `funnelsim key`, `funnelsim compare` and `funnelsim backtest`",
    );
    assert_refused(
        &funnelsim(&["run", &path, "--as-of", "2025-01-01"]),
        "--as-of: only for `funnelsim calibrate` and `funnelsim backtest`",
    );
    assert_refused(
        &funnelsim(&["backtest", &path, "--as-of", "2025-11-30", "--months", "3"]),
        "after the file's last date",
    );
    assert_refused(
        &funnelsim(&["calibrate", &path, "--date-order", "ymd"]),
        "neither `mdy`",
    );
    assert_refused(&funnelsim(&["calibrate"]), "missing DEALS.csv");
    let ambiguous = temp(
        "ambiguous.csv",
        "deal_id,amount,status,closed,entered Lead\nA,1,won,03/05/2025,03/04/2025\n",
    );
    assert_refused(
        &funnelsim(&["calibrate", &ambiguous]),
        "--date-order mdy or dmy",
    );
    assert!(
        funnelsim(&["calibrate", &ambiguous, "--date-order", "dmy"])
            .status
            .success()
    );
    // Warnings go to stderr and do not stop it.
    let out = funnelsim(&["calibrate", &ambiguous, "--date-order", "dmy"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: "),
        "{out:?}"
    );
}

#[test]
fn a_file_reads_the_same_in_steps_as_in_one_go() {
    // What a page does with a large file: a bounded number of rows per step,
    // progress in between.
    let text = std::fs::read_to_string(shipped("deals-long.csv")).unwrap();
    let mut import = calibrate::Import::new(&text, None, None, None).unwrap();
    let mut last = 0;
    let mut steps = 0;
    loop {
        let p = import.step(1000).unwrap();
        assert!(p.bytes >= last && p.bytes <= text.len() as u64, "{p:?}");
        last = p.bytes;
        steps += 1;
        if p.done {
            break;
        }
        assert_eq!(p.rows, 1000 * steps);
    }
    assert!(steps > 5, "{steps}");
    assert_eq!(
        import.finish().unwrap(),
        calibrate::read(&text, &Options::default()).unwrap()
    );
}

#[test]
fn unusual_headers_read_with_a_mapping_given_by_hand() {
    let text = "Opportunity,Phase,Date,Value,State,Closed On\n\
                A,Lead,2025-01-01,100,won,2025-01-20\n\
                A,Deal,2025-01-08,100,won,2025-01-20\n\
                B,Lead,2025-01-02,50,lost,2025-01-09\n";
    let e = problems(text, &Options::default());
    assert!(e[0].contains("no header"), "{e:?}");
    let (line, names) = calibrate::read::header(&format!("\n{text}")).unwrap();
    assert_eq!((line, names[5].as_str()), (2, "Closed On"));
    let layout = calibrate::Layout {
        kind: calibrate::LayoutKind::Long,
        deal: 0,
        stage: Some(1),
        entered: Some(2),
        entered_stages: Vec::new(),
        amount: Some(3),
        status: 4,
        closed: Some(5),
    };
    let r = calibrate::calibrate(
        text,
        &Options {
            layout: Some(layout),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        (
            r.stages[0].won,
            r.stages[0].of,
            r.stages[1].won,
            r.stages[1].of
        ),
        (1, 2, 1, 1)
    );
    assert_eq!(r.deal_size.unwrap().median, 100.0);
}

/// A cell: mostly one of `good`, sometimes anything a messy export has
/// (bad dates in each form, odd statuses and amounts, blanks, quotes,
/// separators, escape codes).
fn cell(good: &'static [&'static str]) -> proptest::strategy::BoxedStrategy<String> {
    use proptest::prelude::*;
    let bad = proptest::sample::select(vec![
        "2025-02-29",
        "0000-01-01",
        "03/04/2025",
        "13/04/2025",
        "04/13/2025",
        "31.12.2024",
        "12.31.2024",
        "2025-1-5",
        "Closed Won",
        "maybe",
        "",
        " ",
        "$1,200.50",
        "-3",
        "1e308",
        "lead",
        "\"q\"",
        "a,b",
        "\u{1b}[31m",
        "2025-13-01",
        "line\nbreak",
    ]);
    prop_oneof![
        40 => proptest::sample::select(good.to_vec()).prop_map(str::to_string),
        1 => bad.prop_map(str::to_string),
    ]
    .boxed()
}

const DATES: &[&str] = &[
    "2025-01-01",
    "2025-01-09",
    "2025-01-20",
    "2025-02-03",
    "2025-02-28",
    "2025-03-15",
    "2025-04-30",
    "2025-06-01",
    "2024-02-29",
    "2024-12-31",
    "",
];

#[test]
fn messy_files_never_panic_and_every_number_is_finite() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let row = (
        cell(&["A", "B", "C", "D", "E", "F"]),
        cell(&["Lead", "Qualified", "Proposal", "Closed Won"]),
        proptest::collection::vec(cell(DATES), 4),
        cell(&["100", "2500", "0", "12000.5", ""]),
        cell(&["won", "lost", "open", "open"]),
        cell(&["2025-06-01", "2025-06-01", "2025-05-10", "2025-01-25", ""]),
    );
    let file = (0..3usize, proptest::collection::vec(row, 0..16));
    let config = Config {
        cases: 500,
        max_shrink_iters: 0,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[3; 32]));
    let accepted = std::cell::Cell::new(0u32);
    let result = runner.run(&file, |(kind, rows)| {
        let header: &[&str] = match kind {
            0 => &["deal_id", "stage", "entered", "amount", "status", "closed"],
            1 => &[
                "deal_id",
                "amount",
                "status",
                "closed",
                "entered Lead",
                "entered Qualified",
                "entered Proposal",
            ],
            _ => &["Deal ID", "Stage", "Entered", "Status"],
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).unwrap();
        for (id, stage, dates, amount, status, closed) in rows {
            let record: Vec<&str> = match kind {
                0 => vec![&id, &stage, &dates[0], &amount, &status, &closed],
                1 => vec![
                    &id, &amount, &status, &closed, &dates[1], &dates[2], &dates[3],
                ],
                _ => vec![&id, &stage, &dates[0], &status],
            };
            w.write_record(&record).unwrap();
        }
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        for order in [None, Some(DateOrder::DayFirst)] {
            let options = Options {
                date_order: order,
                ..Options::default()
            };
            match calibrate::calibrate(&text, &options) {
                Ok(r) => {
                    accepted.set(accepted.get() + 1);
                    for s in &r.stages {
                        prop_assert!(
                            s.days_mean.is_finite() && s.interval.iter().all(|x| x.is_finite())
                        );
                        prop_assert!(
                            s.rate.is_none_or(f64::is_finite)
                                && s.days_median.is_none_or(f64::is_finite)
                        );
                        prop_assert_eq!(s.entered, s.advanced + s.lost + s.open, "{:?}", s);
                    }
                    prop_assert!(
                        r.leads.per_month.is_finite() && r.leads.growth_per_month.is_finite()
                    );
                    prop_assert!(r.leads.per_month_se.is_finite());
                    if let Ok(s) = r.scenario("x", 12) {
                        prop_assert!(s.validate().is_ok());
                        prop_assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
                    }
                }
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Enough files read to the end for the checks on a report to mean something.
    assert!(accepted.get() >= 100, "{} of 1000 read", accepted.get());
}

#[test]
fn a_mapping_without_the_columns_its_layout_needs_is_one_problem() {
    let text = format!("{LONG}A,Lead,2025-01-01,1,open,\n");
    let layout = calibrate::Layout {
        kind: calibrate::LayoutKind::Long,
        deal: 0,
        stage: None,
        entered: Some(2),
        entered_stages: Vec::new(),
        amount: None,
        status: 4,
        closed: None,
    };
    let e = problems(
        &text,
        &Options {
            layout: Some(layout),
            ..Options::default()
        },
    );
    assert_eq!(
        e,
        ["line 1: the long layout needs a stage column and an entered column"]
    );
}

#[test]
fn fixed_rates_show_what_a_short_history_leaves_unknown() {
    // Three months of a small funnel: few decided deals, wide Beta rates.
    let truth = stationary();
    let deals = synth::generate(&truth, day("2025-01-01"), day("2025-03-31"), 11);
    let r = report(&synth::long_csv(&names(&truth), &deals, DateForm::Iso));
    let history = r.scenario("x", 6).unwrap();
    let fixed = calibrate::report::with_fixed_rates(&history);
    for (h, f) in history.stages.iter().zip(&fixed.stages) {
        assert_eq!(f.conversion, Conversion::Fixed(h.conversion.mean()));
    }
    let run = |s: &Scenario| {
        let sim = Simulation::new(s, 4000, 5).unwrap();
        funnel_engine::Summary::new(&sim, &sim.run_all()).revenue
    };
    let (h, f) = (run(&history), run(&fixed));
    assert!(h.sd > 1.2 * f.sd, "history sd {} vs fixed {}", h.sd, f.sd);
    // The means agree within their Monte Carlo errors (4 se).
    let se = (h.mean_se * h.mean_se + f.mean_se * f.mean_se).sqrt();
    assert!(
        (h.mean - f.mean).abs() < 4.0 * se,
        "{} vs {} (se {se})",
        h.mean,
        f.mean
    );
}

#[test]
fn a_european_export_reads_with_semicolons_and_decimal_commas() {
    let text = "Deal ID;Stage;Entered;Amount;Status;Closed\r\n\
                A;Lead;01.02.2025;12.000,50;won;20.02.2025\r\n\
                A;Deal;10.02.2025;12.000,50;won;20.02.2025\r\n\
                \r\n\
                B;Lead;03.02.2025;900;lost;31.02.2025\r\n";
    let e = problems(text, &Options::default());
    // CRLF line ends and the blank line counted: B is on line 5.
    assert_eq!(
        e,
        ["line 5, column 6 (`Closed`): no such day (read day first)"]
    );
    let r = report(&text.replace("31.02.2025", "28.02.2025"));
    assert_eq!(r.deal_size.as_ref().unwrap().median, 12000.5);
    assert_eq!((r.stages[0].won, r.stages[0].of), (1, 2));
}
