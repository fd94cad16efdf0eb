//! Levers, capacity, goals and milestones (bottlenecks and goals).

mod common;

use common::*;
use funnel_engine::goal::{GoalLever, solve};
use funnel_engine::levers::{Lever, LeverKind, sensitivity};
use funnel_engine::{Method, Scenario, Simulation, Summary};
use serde_json::{Value, json};

/// Every stage at 0 days, fixed rates, Poisson leads: revenue is proportional
/// to each rate, so lever effects have closed forms.
const INSTANT: &str = r#"{
  "version": 1, "horizon_months": 6,
  "leads": { "per_month": 500 },
  "stages": [
    { "name": "A", "conversion": 0.2, "days": 0 },
    { "name": "B", "conversion": 0.5, "days": 0 },
    { "name": "C", "conversion": 0.9, "days": 0 }
  ],
  "deal_size": { "median": 10000, "p90": 25000 },
  "target": { "revenue": 4000000 }
}"#;

#[test]
fn relative_and_point_changes_move_revenue_as_the_closed_form_says() {
    let s = scenario(INSTANT);
    let trials = 4_000;
    let base = Simulation::new(&s, trials, 31).unwrap().run_all();
    let effects = sensitivity(&s, &base, trials, 31).unwrap();
    let (base_mean, _) = mean_se(&base.revenue);
    let find = |kind: LeverKind| effects.iter().find(|e| e.lever.kind == kind).unwrap();
    for (stage, rate) in [(0usize, 0.2), (1, 0.5), (2, 0.9)] {
        let rel = find(LeverKind::ConversionRelative { stage }).revenue_delta;
        let expected = 0.1 * base_mean;
        assert!(
            (rel.mean - expected).abs() < 4.0 * rel.se + 1e-9,
            "stage {stage} +10%: {rel:?} vs {expected}"
        );
        let pts = find(LeverKind::ConversionPoints { stage }).revenue_delta;
        let expected = (0.05f64.min(1.0 - rate) / rate) * base_mean;
        assert!(
            (pts.mean - expected).abs() < 4.0 * pts.se + 1e-9,
            "stage {stage} +5 pts: {pts:?} vs {expected}"
        );
    }
    let leads = find(LeverKind::Leads).revenue_delta;
    assert!((leads.mean - 0.1 * base_mean).abs() < 4.0 * leads.se);
    // Deal size scales every deal, so the effect is exact up to rounding.
    let deal = find(LeverKind::DealSize).revenue_delta;
    assert!((deal.mean / base_mean - 0.1).abs() < 1e-9, "{deal:?}");
    // Ranked by size: +5 pts on the 20% stage (+25%) comes first.
    assert_eq!(
        effects[0].lever.kind,
        LeverKind::ConversionPoints { stage: 0 }
    );
    // Chance of the target moves the same way, with a standard error.
    let p = effects[0].probability_delta.unwrap();
    assert!(p.mean > 0.0 && p.se > 0.0);
}

fn with_capacity(base: &str, stage: usize, capacity: u64) -> Scenario {
    let mut v: Value = serde_json::from_str(base).unwrap();
    v["stages"][stage]["capacity_per_week"] = json!(capacity);
    scenario(&v.to_string())
}

#[test]
fn capacity_far_above_the_flow_changes_nothing() {
    let plain = scenario(REFERENCE);
    let roomy = with_capacity(REFERENCE, 2, 1_000_000);
    let a = Simulation::with_method(&plain, 500, 3, Method::Stepper)
        .unwrap()
        .run_all();
    let b = Simulation::new(&roomy, 500, 3).unwrap();
    assert_eq!(b.method(), Method::Stepper);
    let b = b.run_all();
    assert_eq!(a.revenue, b.revenue);
    assert_eq!(a.won, b.won);
    assert_eq!(a.open_end, b.open_end);
    let sum = Summary::new(&Simulation::new(&roomy, 500, 3).unwrap(), &b);
    let cap = sum.stages[2].capacity.as_ref().unwrap();
    assert_eq!(cap.weeks_full, 0.0);
    assert!(cap.utilisation < 0.001);
}

#[test]
fn tiny_capacity_becomes_the_named_bottleneck() {
    // Discovery has a 60% rate, well above Lead's 30%, yet two deals a week cap it.
    let s = with_capacity(REFERENCE, 2, 2);
    let sum = summary(&s, 500, 4);
    let b = sum.bottleneck.as_ref().unwrap();
    assert_eq!(b.name, "Discovery");
    assert_eq!(b.reason, "capacity");
    let cap = sum.stages[2].capacity.as_ref().unwrap();
    assert!(cap.weeks_full > 0.9, "{cap:?}");
    assert!(cap.utilisation > 0.9, "{cap:?}");
    assert!(cap.waiting_at_horizon > 0.0);
    // Conservation holds with queues too.
    let sim = Simulation::new(&s, 50, 4).unwrap();
    for t in 0..50 {
        let o = sim.trial(t);
        let open: u64 = s.stages.iter().map(|st| st.open).sum();
        assert_eq!(
            open + o.leads,
            o.won() + o.lost.iter().sum::<u64>() + o.open_end.iter().sum::<u64>()
        );
        assert!(o.advanced[2] + o.lost[2] <= 2 * s.weeks() as u64);
    }
    // Its capacity is a lever, and more of it helps.
    let base = sim.run_all();
    let effects = sensitivity(&s, &base, 50, 4).unwrap();
    let more = effects
        .iter()
        .find(|e| e.lever.kind == LeverKind::Capacity { stage: 2 })
        .unwrap();
    assert!(more.revenue_delta.mean > 0.0);
}

#[test]
fn without_capacity_the_biggest_value_leak_is_the_bottleneck() {
    let sum = summary(&scenario(REFERENCE), 500, 4);
    let b = sum.bottleneck.unwrap();
    assert_eq!(b.reason, "value lost");
    let most = sum
        .stages
        .iter()
        .max_by(|x, y| x.lost_value.total_cmp(&y.lost_value))
        .unwrap();
    assert_eq!(b.name, most.name);
}

fn forward_chance(s: &Scenario, trials: u64, seed: u64) -> (f64, f64) {
    let sum = summary(s, trials, seed);
    let t = sum.target.unwrap();
    (t.probability, t.probability_se)
}

#[test]
fn the_reverse_funnel_answer_run_forward_meets_the_confidence() {
    let s = scenario(REFERENCE);
    let trials = 3_000;
    let answer = solve(&s, &GoalLever::Leads, 0.8, trials, 9).unwrap();
    assert!(answer.reachable);
    assert!(answer.value > s.leads.per_month, "{answer:?}");
    let mut forward = s.clone();
    forward.leads.per_month = answer.value;
    // On the same seed: exactly what the search saw.
    let (p, _) = forward_chance(&forward, trials, 9);
    assert!(p >= 0.8, "{p}");
    // On fresh random numbers: within its standard error.
    let (p, se) = forward_chance(&forward, trials, 10);
    assert!((p - 0.8).abs() < 4.0 * se + 0.01, "{p} ± {se}");

    let stage = 3;
    let answer = solve(&s, &GoalLever::Conversion { stage }, 0.6, trials, 9).unwrap();
    assert!(answer.reachable, "{answer:?}");
    assert!(answer.value > s.stages[stage].conversion.mean());
}

#[test]
fn the_reverse_funnel_says_when_no_value_can() {
    let mut s = scenario(REFERENCE);
    s.target.as_mut().unwrap().revenue = 1.0e12;
    let answer = solve(&s, &GoalLever::Conversion { stage: 5 }, 0.8, 500, 1).unwrap();
    assert!(!answer.reachable);
    assert!(answer.message.contains("No value"), "{}", answer.message);
}

#[test]
fn milestones_report_the_chance_of_being_on_track() {
    let mut v: Value = serde_json::from_str(REFERENCE).unwrap();
    v["target"]["milestones"] =
        json!([{ "month": 3, "revenue": 600000 }, { "month": 6, "revenue": 1800000 }]);
    let s = scenario(&v.to_string());
    let sim = Simulation::new(&s, 2_000, 5).unwrap();
    let all = sim.run_all();
    let sum = Summary::new(&sim, &all);
    assert_eq!(sum.milestones.len(), 2);
    for m in &sum.milestones {
        let months = all.months;
        let hits = (0..all.len())
            .filter(|&i| {
                all.month_revenue[i * months..i * months + m.month as usize]
                    .iter()
                    .sum::<f64>()
                    >= m.revenue
            })
            .count();
        assert_eq!(m.probability, hits as f64 / 2_000.0);
    }
}

#[test]
fn bad_capacity_and_milestones_are_named() {
    let mut v: Value = serde_json::from_str(REFERENCE).unwrap();
    v["stages"][1]["capacity_per_week"] = json!(0);
    v["target"]["milestones"] =
        json!([{ "month": 13, "revenue": 1 }, { "month": 2, "revenue": -1 }]);
    let e = Scenario::from_json(&v.to_string()).unwrap_err();
    for path in [
        "stages[1].capacity_per_week",
        "target.milestones[0].month",
        "target.milestones[1].revenue",
    ] {
        assert!(
            e.0.iter().any(|x| x.path == path),
            "{path} missing in:\n{e}"
        );
    }
    v["stages"][1]["capacity_per_week"] = json!(2.5);
    let e = Scenario::from_json(&v.to_string()).unwrap_err();
    assert!(
        e.0.iter()
            .any(|x| x.path == "stages[1].capacity_per_week" && x.message.contains("whole number"))
    );
}

#[test]
fn levers_apply_as_what_ifs() {
    let s = scenario(REFERENCE);
    for lever in Lever::all(&s) {
        let changed = lever.apply(&s);
        changed
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", lever.lever));
        assert_ne!(changed, s, "{} changed nothing", lever.lever);
    }
}
