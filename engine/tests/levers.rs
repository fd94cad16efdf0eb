//! Levers, capacity, goals and milestones (bottlenecks and goals).

mod common;

use common::*;
use funnel_engine::goal::{GoalLever, solve};
use funnel_engine::levers::{Direction, Lever, LeverKind, biggest_leak, ranges, sensitivity};
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
fn each_lever_both_ways_moves_revenue_as_the_closed_form_says() {
    let s = scenario(INSTANT);
    let trials = 4_000;
    let base = Simulation::new(&s, trials, 31).unwrap().run_all();
    let effects = sensitivity(&s, &base, trials, 31).unwrap();
    let (base_mean, _) = mean_se(&base.revenue);
    let find = |kind: LeverKind, direction: Direction| {
        effects
            .iter()
            .find(|e| e.lever.kind == kind && e.lever.direction == direction)
            .unwrap_or_else(|| panic!("{kind:?} {direction:?} missing"))
    };
    for direction in Direction::BOTH {
        // Revenue is proportional to each rate (C's 90% stays below 100% at +10%).
        let sign = if direction == Direction::Up {
            1.0
        } else {
            -1.0
        };
        let expected = sign * 0.1 * base_mean;
        for stage in 0..3 {
            let e = find(LeverKind::Conversion { stage }, direction);
            let d = e.revenue_delta;
            assert!(
                (d.mean - expected).abs() < 4.0 * d.se + 1e-9,
                "stage {stage} {direction:?}: {d:?} vs {expected}"
            );
            assert_eq!(e.lever.change, direction.change());
            assert_eq!(e.lever.unit, "% of the rate");
            assert!((e.lever.to - e.lever.from * direction.factor()).abs() < 1e-12);
        }
        let leads = find(LeverKind::Leads, direction).revenue_delta;
        assert!((leads.mean - expected).abs() < 4.0 * leads.se);
        // Deal size scales every deal, so the effect is exact up to rounding.
        let deal = find(LeverKind::DealSize, direction).revenue_delta;
        assert!(
            (deal.mean / base_mean - sign * 0.1).abs() < 1e-9,
            "{deal:?}"
        );
    }
    // Chance of the target moves the same way, with a standard error.
    let p = find(LeverKind::DealSize, Direction::Up)
        .probability_delta
        .unwrap();
    assert!(p.mean > 0.0 && p.se > 0.0);
    let p = find(LeverKind::DealSize, Direction::Down)
        .probability_delta
        .unwrap();
    assert!(p.mean < 0.0 && p.se > 0.0);
    // One row per lever, both ways, furthest reach first.
    let rows = ranges(&effects);
    assert_eq!(rows.len(), 5, "three conversions, leads and deal size");
    for r in &rows {
        assert!(r.down.is_some() && r.up.is_some(), "{}", r.lever);
    }
    assert!(rows.windows(2).all(|w| w[0].reach() >= w[1].reach()));
}

#[test]
fn no_lever_is_zero_by_construction() {
    // Stage days of 0, 5, 7 and 30: the model's clock is a week.
    let mut s = scenario(REFERENCE);
    s.stages[0].days = 0.0;
    s.stages[1].days = 5.0;
    s.stages[2].days = 7.0;
    s.stages[3].days = 6.5;
    s.stages[5].conversion = funnel_engine::Conversion::Fixed(1.0);
    let offered: Vec<(LeverKind, Direction)> = Lever::all(&s)
        .into_iter()
        .map(|l| (l.kind, l.direction))
        .collect();
    let omitted = Lever::omitted(&s);
    let left_out = |kind: LeverKind, d: Direction| {
        omitted
            .iter()
            .find(|o| o.kind == kind && o.direction == d)
            .map(|o| o.reason.clone())
    };
    for d in Direction::BOTH {
        assert!(
            left_out(LeverKind::Days { stage: 0 }, d)
                .unwrap()
                .contains("week they arrive")
        );
        assert!(
            left_out(LeverKind::Days { stage: 1 }, d)
                .unwrap()
                .contains("a week at a time"),
            "5 days x 0.9 or x 1.1 is still one week"
        );
    }
    // 7 days less is still one week; 7.7 days is not.
    assert_eq!(
        left_out(LeverKind::Days { stage: 2 }, Direction::Down).unwrap(),
        "the model moves deals a week at a time, so 10% fewer than 7 days is still one week"
    );
    assert!(offered.contains(&(LeverKind::Days { stage: 2 }, Direction::Up)));
    // 6.5 days: 7.15 days is longer than a week, 5.85 is not.
    assert!(offered.contains(&(LeverKind::Days { stage: 3 }, Direction::Up)));
    assert!(left_out(LeverKind::Days { stage: 3 }, Direction::Down).is_some());
    // A stage at 100% can only go down.
    assert_eq!(
        left_out(LeverKind::Conversion { stage: 5 }, Direction::Up).unwrap(),
        "its rate is already 100%"
    );
    assert!(offered.contains(&(LeverKind::Conversion { stage: 5 }, Direction::Down)));
    // Every lever offered and every one left out, each exactly once.
    let kinds = 6 * 2 + 2;
    assert_eq!(offered.len() + omitted.len(), 2 * kinds);
    // What is offered does change trials: run it.
    let trials = 300;
    let base = Simulation::new(&s, trials, 5).unwrap().run_all();
    for e in sensitivity(&s, &base, trials, 5).unwrap() {
        assert!(
            e.revenue_delta.mean != 0.0 || e.revenue_delta.se > 0.0,
            "{} {} changed no trial",
            e.lever.lever,
            e.lever.change
        );
    }
    // Without leads, lead volume is left out both ways; capacity 1 cannot go down.
    let mut quiet = with_capacity(REFERENCE, 2, 1);
    quiet.leads.per_month = 0.0;
    for d in Direction::BOTH {
        assert!(
            Lever::omitted(&quiet)
                .iter()
                .any(|o| o.kind == LeverKind::Leads && o.direction == d)
        );
    }
    let cap = LeverKind::Capacity { stage: 2 };
    assert!(
        Lever::omitted(&quiet)
            .iter()
            .any(|o| o.kind == cap && o.direction == Direction::Down)
    );
    let up = Lever::all(&quiet)
        .into_iter()
        .find(|l| l.kind == cap)
        .unwrap();
    assert_eq!((up.from, up.to), (1.0, 2.0));
}

#[test]
fn capacity_moves_by_at_least_one_deal_either_way() {
    let s = with_capacity(REFERENCE, 2, 4);
    let cap = LeverKind::Capacity { stage: 2 };
    let at = |d: Direction| cap.apply(&s, d).stages[2].capacity_per_week;
    assert_eq!(at(Direction::Up), Some(5));
    assert_eq!(at(Direction::Down), Some(3));
    let s = with_capacity(REFERENCE, 2, 40);
    assert_eq!(
        cap.apply(&s, Direction::Up).stages[2].capacity_per_week,
        Some(44)
    );
    assert_eq!(
        cap.apply(&s, Direction::Down).stages[2].capacity_per_week,
        Some(36)
    );
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
    // Its capacity is a lever: more of it helps, less of it hurts.
    let base = sim.run_all();
    let effects = sensitivity(&s, &base, 50, 4).unwrap();
    let capacity = |d: Direction| {
        effects
            .iter()
            .find(|e| e.lever.kind == LeverKind::Capacity { stage: 2 } && e.lever.direction == d)
            .unwrap()
            .revenue_delta
            .mean
    };
    assert!(capacity(Direction::Up) > 0.0);
    assert!(capacity(Direction::Down) < 0.0);
}

#[test]
fn without_a_full_stage_there_is_no_bottleneck() {
    // MODEL.md: `bottleneck` is null when no stage is full.
    let sum = summary(&scenario(REFERENCE), 500, 4);
    assert_eq!(sum.bottleneck, None);
    let roomy = with_capacity(REFERENCE, 2, 1_000_000);
    assert_eq!(summary(&roomy, 200, 4).bottleneck, None);
}

/// `INSTANT` with deals open at its last stage: they pass only that stage's
/// rate, so a better rate there pays more than anywhere else.
#[test]
fn the_biggest_leak_is_where_fewer_losses_pay_most() {
    let trials = 2_000;
    let sweep = |s: &Scenario| {
        let base = Simulation::new(s, trials, 8).unwrap().run_all();
        sensitivity(s, &base, trials, 8).unwrap()
    };
    let mut s = scenario(INSTANT);
    s.stages[2].open = 300;
    let effects = sweep(&s);
    let leak = biggest_leak(&effects).unwrap();
    assert_eq!(leak.stage, 2, "{leak:?}");
    assert_eq!(leak.tied_with, None);
    // Its effect is the conversion lever's, up.
    assert_eq!(leak.effect.lever.kind, LeverKind::Conversion { stage: 2 });
    assert_eq!(leak.effect.lever.direction, Direction::Up);
    // Without the open deals every rate multiplies every won deal alike: the
    // three stages pay the same, within Monte Carlo error, and the leak says so.
    let effects = sweep(&scenario(INSTANT));
    let leak = biggest_leak(&effects).unwrap();
    assert!(leak.tied_with.is_some(), "{leak:?}");
    // Not the top of the funnel just for losing the most deals: in the
    // reference scenario (long stages, a year) Lead loses the most value.
    let r = scenario(REFERENCE);
    let sum = summary(&r, 1_000, 2);
    let most_lost = (0..sum.stages.len())
        .max_by(|&a, &b| {
            sum.stages[a]
                .lost_value
                .total_cmp(&sum.stages[b].lost_value)
        })
        .unwrap();
    assert_eq!(most_lost, 0);
    let base = Simulation::new(&r, 1_000, 2).unwrap().run_all();
    let leak = biggest_leak(&sensitivity(&r, &base, 1_000, 2).unwrap()).unwrap();
    assert_ne!(leak.stage, 0, "{leak:?}");
    // No leak when no better rate adds anything.
    assert_eq!(biggest_leak(&[]), None);
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
            .unwrap_or_else(|e| panic!("{} {}: {e}", lever.lever, lever.change));
        assert_ne!(
            changed, s,
            "{} {} changed nothing",
            lever.lever, lever.change
        );
    }
}

/// With seasonality the leads lever still scales every month by 10%: in the
/// instant funnel revenue moves by 10% of the base (closed form), and each
/// month's leads by 10% of that month's seasonal expectation. The goal search
/// on leads answers a per-month volume that, run forward, meets the confidence.
#[test]
fn the_leads_lever_and_goal_scale_every_seasonal_month() {
    let mut s = scenario(INSTANT);
    s.start_month = Some(6);
    s.leads.seasonality = Some([1.1, 1.1, 1.1, 1.1, 1.1, 0.9, 0.7, 0.7, 0.9, 1.1, 1.1, 1.1]);
    let trials = 4_000;
    let base = Simulation::new(&s, trials, 31).unwrap().run_all();
    let (base_mean, _) = mean_se(&base.revenue);
    let effects = sensitivity(&s, &base, trials, 31).unwrap();
    for direction in Direction::BOTH {
        let e = effects
            .iter()
            .find(|e| e.lever.kind == LeverKind::Leads && e.lever.direction == direction)
            .unwrap();
        let sign = if direction == Direction::Up {
            1.0
        } else {
            -1.0
        };
        let d = e.revenue_delta;
        assert!(
            (d.mean - sign * 0.1 * base_mean).abs() < 4.0 * d.se,
            "{direction:?}: {d:?} vs {}",
            sign * 0.1 * base_mean
        );
        let moved = e.lever.apply(&s);
        let (before, after) = (
            funnel_engine::timing::expected_leads_by_month(&s),
            funnel_engine::timing::expected_leads_by_month(&moved),
        );
        for (b, a) in before.iter().zip(&after) {
            assert!((a / b - direction.factor()).abs() < 1e-12, "{a} vs {b}");
        }
    }
    let answer = solve(&s, &GoalLever::Leads, 0.8, 2_000, 9).unwrap();
    assert!(answer.reachable, "{answer:?}");
    let mut forward = s.clone();
    forward.leads.per_month = answer.value;
    assert!(forward.leads.seasonality.is_some());
    let (p, _) = forward_chance(&forward, 2_000, 9);
    assert!(p >= 0.8, "{p}");
}
