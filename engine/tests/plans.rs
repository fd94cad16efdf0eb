//! Team and incentive plans: closed forms, common random numbers, validation.

mod common;

use common::*;
use funnel_engine::comp::payout;
use funnel_engine::{Scenario, Simulation, Summary};
use serde_json::{Value, json};

/// One stage, every lead won in the week it arrives, fixed lead counts and a
/// fixed deal size: bookings are exactly 1,200 deals x $1,000 = $1.2M.
fn deterministic(team: Value, plans: Value) -> Scenario {
    let v = json!({
        "version": 1, "horizon_months": 12,
        "leads": { "per_month": 100, "noise": "fixed" },
        "stages": [ { "name": "Deal", "conversion": 1, "days": 0 } ],
        "deal_size": { "median": 1000, "p90": 1000 },
        "team": team, "plans": plans
    });
    scenario(&v.to_string())
}

fn bands(tiers: &str, cap: Option<f64>, bonus: f64) -> Value {
    let mut p = json!({
        "name": format!("{tiers} {cap:?} {bonus}"),
        "commission": [ { "from": 0.0, "rate": 0.08 }, { "from": 1.0, "rate": 0.12 }, { "from": 1.5, "rate": 0.15 } ],
        "tiers": tiers, "quota_bonus": bonus
    });
    if let Some(c) = cap {
        p["cap"] = json!(c);
    }
    p
}

#[test]
fn one_rep_with_known_bookings_earns_the_exact_commission() {
    let bookings = 1_200_000.0;
    // Quotas that put the rep just below, at and just above each band edge, and far above.
    let quotas = [
        bookings / 0.5,
        bookings / 0.999_999,
        bookings,
        bookings / 1.000_001,
        bookings / 1.2,
        bookings / 1.5,
        bookings / 1.75,
        bookings / 3.0,
    ];
    for quota in quotas {
        for (tiers, cap, bonus) in [
            ("marginal", None, 0.0),
            ("retroactive", None, 0.0),
            ("marginal", Some(1.25), 5_000.0),
            ("retroactive", Some(1.25), 5_000.0),
        ] {
            let s = deterministic(
                json!({ "reps": 1, "quota": quota }),
                json!([bands(tiers, cap, bonus)]),
            );
            let sum = summary(&s, 5, 1);
            let p = &sum.plans[0];
            let a = bookings / quota;
            let band_total = |upto: f64| -> f64 {
                // Marginal by hand: 8% to quota, 12% to 1.5x, 15% above.
                let x = upto * quota;
                0.08 * x.min(quota)
                    + 0.12 * (x.min(1.5 * quota) - quota).max(0.0)
                    + 0.15 * (x - 1.5 * quota).max(0.0)
            };
            let paid_a = cap.map_or(a, |c| a.min(c));
            let expected = match tiers {
                "marginal" => band_total(paid_a),
                _ => {
                    let rate = if paid_a >= 1.5 {
                        0.15
                    } else if paid_a >= 1.0 {
                        0.12
                    } else {
                        0.08
                    };
                    rate * paid_a * quota
                }
            } + if a >= 1.0 { bonus } else { 0.0 };
            assert!(
                (p.comp_cost.mean - expected).abs() < 1e-6 * expected.max(1.0),
                "{tiers} cap {cap:?} bonus {bonus} at attainment {a}: {} vs {expected}",
                p.comp_cost.mean
            );
            assert_eq!(p.comp_cost.sd, 0.0);
            assert_eq!(p.revenue.mean, bookings);
            assert_eq!(p.reps_at_quota.mean, if a >= 1.0 { 1.0 } else { 0.0 });
        }
    }
}

#[test]
fn equal_reps_earn_the_binomial_expectation() {
    // 1,200 deals of $1,000 spread over 4 equal reps: bookings = 1000 x Binomial(1200, 1/4).
    let reps = 4u32;
    let quota = 300_000.0;
    let plan = bands("retroactive", None, 2_000.0);
    let s = deterministic(json!({ "reps": reps, "quota": quota }), json!([plan]));
    let trials = 4_000;
    let sim = Simulation::new(&s, trials, 21).unwrap();
    let all = sim.run_all();
    let sum = Summary::new(&sim, &all);

    let n = 1200u64;
    let q = 1.0 / reps as f64;
    let mut expected_payout = 0.0;
    let mut expected_sq = 0.0;
    let mut p_quota = 0.0;
    let mut log_pmf = n as f64 * libm::log(1.0 - q);
    for k in 0..=n {
        if k > 0 {
            log_pmf += libm::log((n - k + 1) as f64 / k as f64) + libm::log(q / (1.0 - q));
        }
        let pmf = libm::exp(log_pmf);
        let x = payout(&s.plans[0], quota, 1000.0 * k as f64);
        expected_payout += pmf * x;
        expected_sq += pmf * x * x;
        if 1000.0 * k as f64 >= quota {
            p_quota += pmf;
        }
    }
    let per_rep_var = expected_sq - expected_payout * expected_payout;
    // Reps' payouts are negatively correlated (they share 1,200 deals), so the
    // independent-reps variance is an upper bound for the team's.
    let se = (reps as f64 * per_rep_var / trials as f64).sqrt();
    let mean = sum.plans[0].comp_cost.mean;
    assert!(
        (mean - reps as f64 * expected_payout).abs() < 4.0 * se,
        "{mean} vs {} (se {se})",
        reps as f64 * expected_payout
    );
    let share = sum.plans[0].reps_at_quota.mean;
    let share_se = (p_quota * (1.0 - p_quota) / (trials as f64 * reps as f64)).sqrt() * 2.0;
    assert!(
        (share - p_quota).abs() < 4.0 * share_se,
        "{share} vs {p_quota}"
    );
    // Payout is convex here (retroactive step + bonus), so the naive cost at
    // average attainment differs from the average cost.
    assert!(sum.plans[0].cost_at_mean_attainment != mean);
}

fn reference_with_plans(plans: Value) -> Scenario {
    let mut v: Value = serde_json::from_str(REFERENCE).unwrap();
    v["team"] = json!({ "reps": 50, "quota": 120000, "skill_sd": 0.3 });
    v["plans"] = plans;
    scenario(&v.to_string())
}

#[test]
fn identical_plans_differ_by_exactly_zero() {
    let plan = json!({ "name": "A", "commission": [ { "from": 0, "rate": 0.1 } ],
        "effect": { "conversion": { "Proposal": 0.1 } } });
    let mut twin = plan.clone();
    twin["name"] = json!("B");
    let s = reference_with_plans(json!([plan, twin]));
    let sum = summary(&s, 2_000, 4);
    let d = &sum.plans[1].delta_vs_first;
    for x in [d.revenue, d.comp_cost, d.net_revenue] {
        assert_eq!((x.mean, x.se), (0.0, 0.0));
    }
}

#[test]
fn a_plan_without_effect_books_the_headline_revenue_in_every_trial() {
    let s = reference_with_plans(json!([
        { "name": "Flat", "commission": [ { "from": 0, "rate": 0.1 } ] },
        { "name": "Boost", "commission": [ { "from": 0, "rate": 0.1 } ],
          "effect": { "conversion": { "Proposal": 0.2 }, "leads": 0.05 } }
    ]));
    let sim = Simulation::new(&s, 3_000, 12).unwrap();
    let all = sim.run_all();
    assert_eq!(all.plans[0].revenue, all.revenue);
    // Adding a team does not change the headline forecast either.
    let mut plain = s.clone();
    plain.team = None;
    plain.plans.clear();
    let plain_all = Simulation::new(&plain, 3_000, 12).unwrap().run_all();
    let below_shortcut = all
        .won
        .iter()
        .all(|&w| w < funnel_engine::dist::SUM_SHORTCUT_FROM);
    if below_shortcut {
        assert_eq!(plain_all.revenue, all.revenue);
    }
    // An effect that lifts conversion and leads lifts revenue, and common
    // random numbers make the difference far more precise than its spread.
    let sum = Summary::new(&sim, &all);
    let d = sum.plans[1].delta_vs_first.revenue;
    assert!(d.mean > 5.0 * d.se, "{d:?}");
    let unpaired_se = (sum.plans[0].revenue.mean_se * sum.plans[0].revenue.mean_se
        + sum.plans[1].revenue.mean_se * sum.plans[1].revenue.mean_se)
        .sqrt();
    assert!(
        d.se < 0.7 * unpaired_se,
        "paired {} vs unpaired {unpaired_se}",
        d.se
    );
    // 10% of bookings, plus nothing else.
    let comp = sum.plans[0].comp_cost.mean;
    assert!((comp / sum.plans[0].revenue.mean - 0.1).abs() < 1e-9);
}

#[test]
fn spif_pays_per_deal_moving_on() {
    let s = reference_with_plans(json!([
        { "name": "SPIF", "commission": [ { "from": 0, "rate": 0 } ],
          "spif": { "stage": "Proposal", "per_deal": 150 } }
    ]));
    let sum = summary(&s, 1_000, 2);
    let advanced = sum.stages[3].advanced.mean;
    assert!((sum.plans[0].comp_cost.mean - 150.0 * advanced).abs() < 1e-6 * advanced * 150.0);
}

#[test]
fn bad_plans_are_named() {
    let base = || -> Value {
        let mut v: Value = serde_json::from_str(REFERENCE).unwrap();
        v["team"] = json!({ "reps": 5, "quota": 100000 });
        v["plans"] = json!([{ "name": "P", "commission": [ { "from": 0, "rate": 0.1 }, { "from": 1, "rate": 0.2 } ] }]);
        v
    };
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, &str, &str)> = vec![
        (
            Box::new(|v| v["plans"][0]["spif"] = json!({ "stage": "Demo", "per_deal": 10 })),
            "plans[0].spif.stage",
            "\"Demo\" is not a stage",
        ),
        (
            Box::new(|v| v["plans"][0]["commission"][1]["from"] = json!(0)),
            "plans[0].commission[1].from",
            "must be above the previous band",
        ),
        (
            Box::new(|v| v["plans"][0]["commission"][0]["from"] = json!(0.5)),
            "plans[0].commission[0].from",
            "must start at 0",
        ),
        (
            Box::new(|v| v["plans"][0]["commission"][1]["rate"] = json!(1.5)),
            "plans[0].commission[1].rate",
            "from 0 to 1",
        ),
        (
            Box::new(|v| v["plans"][0]["cap"] = json!(0.8)),
            "plans[0].cap",
            "at least 1",
        ),
        (
            Box::new(|v| v["plans"][0]["tiers"] = json!("stepped")),
            "plans[0].tiers",
            "\"marginal\" or \"retroactive\"",
        ),
        (
            Box::new(|v| v["plans"][0]["effect"] = json!({ "conversion": { "Demo": 0.1 } })),
            "plans[0].effect.conversion.Demo",
            "not a stage",
        ),
        (
            Box::new(|v| v["plans"][0]["effect"] = json!({ "leads": -1 })),
            "plans[0].effect.leads",
            "above -1",
        ),
        (
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("team");
            }),
            "plans",
            "need a team",
        ),
        (
            Box::new(|v| v["team"]["reps"] = json!(0)),
            "team.reps",
            "from 1 to 500",
        ),
        (
            Box::new(|v| v["team"]["quota"] = json!(0)),
            "team.quota",
            "from 1 to 1e12",
        ),
        (
            Box::new(|v| v["team"]["skill_sd"] = json!(3)),
            "team.skill_sd",
            "from 0 to 2",
        ),
        (
            Box::new(|v| v["plans"][0]["bonus"] = json!(3)),
            "plans[0].bonus",
            "unknown field",
        ),
    ];
    for (change, path, message) in cases {
        let mut v = base();
        change(&mut v);
        let errors = Scenario::from_json(&v.to_string()).expect_err(path);
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.path == path && e.message.contains(message)),
            "expected `{path}: ...{message}`, got:\n{errors}"
        );
    }
    assert!(Scenario::from_json(&base().to_string()).is_ok());
}

#[test]
fn plans_round_trip_through_json() {
    let s = reference_with_plans(json!([
        { "name": "Current plan",
          "commission": [ { "from": 0.0, "rate": 0.08 }, { "from": 1.0, "rate": 0.12 } ],
          "tiers": "retroactive", "quota_bonus": 5000, "cap": 2.0,
          "spif": { "stage": "Proposal", "per_deal": 150 },
          "effect": { "conversion": { "Negotiation": 0.05, "Lead": 0.01 }, "leads": 0.02 } }
    ]));
    let back = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.plans[0].effect.conversion[0].0, "Negotiation");
}
