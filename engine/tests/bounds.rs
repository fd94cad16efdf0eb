//! MODEL.md's "Bounds, so that every result is a number": every valid scenario
//! runs in bounded cost and memory and gives finite numbers, every over-long
//! list is refused at once, and what is written reads back as the same bits.
//! Each test names the hostile case it was written against (docs/bounds.md).

mod common;

use common::*;
use funnel_engine::levers::{Lever, LeverEffect, LeverKind};
use funnel_engine::outcome::ATTAINMENT_SAMPLE_VALUES;
use funnel_engine::scenario::{CommissionBand, Conversion, Milestone, Plan, Stage};
use funnel_engine::{Scenario, Simulation, Summary};
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "version": 1,
        "horizon_months": 12,
        "leads": { "per_month": 1000 },
        "stages": [ { "name": "Lead", "conversion": 0.5, "days": 10 } ],
        "deal_size": { "median": 1000, "p90": 3000 },
    })
}

fn parsed(v: &Value) -> Result<Scenario, funnel_engine::ScenarioErrors> {
    Scenario::from_json(&v.to_string())
}

/// The link that froze the page: a fixed deal size with a team valued and
/// assigned every won deal one at a time (1e12 leads a month never finished).
#[test]
fn a_fixed_deal_size_with_a_team_costs_a_bounded_trial() {
    for per_month in [1.0e4, 1.0e6, 1.0e12] {
        let s = scenario(
            &json!({
                "version": 1,
                "horizon_months": 60,
                "leads": { "per_month": per_month },
                "stages": [ { "name": "Lead", "conversion": 1.0, "days": 0 } ],
                "deal_size": { "median": 1000, "p90": 1000 },
                "team": { "reps": 1, "quota": 1.0e6 },
                "plans": [ { "name": "Flat", "commission": [ { "from": 0, "rate": 0.1 } ] } ],
            })
            .to_string(),
        );
        let sim = Simulation::new(&s, 4, 1).unwrap();
        for t in 0..4 {
            let out = sim.trial(t);
            assert!(
                out.draws <= 10_000,
                "{per_month} leads a month: {} draws in trial {t}",
                out.draws
            );
            assert!(conserves(&s, &out));
            // Every deal is worth exactly the median, and the one rep books them all.
            for (&revenue, &won) in out.month_revenue.iter().zip(&out.month_won) {
                assert_eq!(revenue, won as f64 * 1000.0);
            }
            let revenue: f64 = out.month_revenue.iter().sum();
            assert!((out.bookings[0] - revenue).abs() <= revenue * 1e-12);
        }
    }
}

#[test]
fn many_reps_cost_a_few_draws_each_per_month() {
    // 100,000 deals a month over 500 reps: about 200 each, under the per-deal
    // threshold for a rep, which once meant 100,000 values a month.
    let mut s = scenario(REFERENCE);
    s.leads.per_month = 2.0e7;
    s.team = Some(funnel_engine::scenario::Team {
        reps: 500,
        quota: 1.0e6,
        skill_sd: 0.3,
    });
    let sim = Simulation::new(&s, 2, 3).unwrap();
    let ceiling = draw_ceiling(&sim);
    let out = sim.trial(0);
    assert!(out.won() > 500 * 12 * 256, "{} won", out.won());
    assert!(
        out.draws <= ceiling,
        "{} draws, ceiling {ceiling}",
        out.draws
    );
    let booked: f64 = out.bookings.iter().sum();
    let revenue: f64 = out.month_revenue.iter().sum();
    assert!((booked / revenue - 1.0).abs() < 1e-9);
}

fn team_of(reps: u32, plans: usize) -> Scenario {
    let mut s = scenario(include_str!("../../scenarios/team-50-reps.json"));
    s.team.as_mut().unwrap().reps = reps;
    let first = s.plans[0].clone();
    s.plans = (0..plans)
        .map(|k| Plan {
            name: format!("Plan {k}"),
            ..first.clone()
        })
        .collect();
    s
}

/// 500 reps, 5 plans and 200,000 trials needed 4.75 GB: every rep's attainment
/// in every trial was kept, then cloned. Now a bounded sample plus a histogram.
#[test]
fn plan_memory_does_not_grow_with_trials_times_reps() {
    let s = team_of(500, 5);
    let trials = 1_000;
    let sim = Simulation::new(&s, trials, 1).unwrap();
    let all = sim.run_all();
    for plan in &all.plans {
        assert!(
            plan.attainment.len() <= ATTAINMENT_SAMPLE_VALUES,
            "{} attainment values kept",
            plan.attainment.len()
        );
        assert_eq!(plan.attainment.len() % 500, 0, "whole trials only");
        assert_eq!(plan.attainment_histogram.len(), trials * 500);
    }
}

/// The histogram's percentiles against the exact ones from every value: the
/// documented error is half a bucket, 1/512 of the value.
#[test]
fn attainment_percentiles_are_within_their_documented_error() {
    let s = team_of(50, 2);
    let trials = 400;
    let sim = Simulation::new(&s, trials, 9).unwrap();
    let summary = Summary::new(&sim, &sim.run_all());
    for (k, plan) in summary.plans.iter().enumerate() {
        let mut every: Vec<f64> = (0..trials)
            .flat_map(|t| sim.trial(t).plans[k].attainment.clone())
            .collect();
        every.sort_by(f64::total_cmp);
        for (q, got) in [
            (0.1, plan.attainment.p10),
            (0.5, plan.attainment.p50),
            (0.9, plan.attainment.p90),
        ] {
            let want = funnel_engine::stats::percentile(&every, q);
            assert!(
                (got - want).abs() <= want / 512.0 + 1e-12,
                "{}: P{} {got} vs exact {want}",
                plan.name,
                q * 100.0
            );
        }
    }
}

#[test]
fn list_limits_hold_in_the_engine_for_files_links_and_forms() {
    let mut too_many_plans = base();
    too_many_plans["team"] = json!({ "reps": 2, "quota": 1000 });
    too_many_plans["plans"] = Value::Array(
        (0..11)
            .map(|k| json!({ "name": format!("P{k}"), "commission": [ { "from": 0, "rate": 0.1 } ] }))
            .collect(),
    );
    let mut too_many_bands = base();
    too_many_bands["team"] = json!({ "reps": 2, "quota": 1000 });
    too_many_bands["plans"] = json!([{
        "name": "P",
        "commission": (0..21).map(|b| json!({ "from": b, "rate": 0.1 })).collect::<Vec<_>>(),
    }]);
    let mut too_many_milestones = base();
    too_many_milestones["horizon_months"] = json!(60);
    too_many_milestones["target"] = json!({
        "revenue": 1000,
        "milestones": (1..=61).map(|m| json!({ "month": m, "revenue": 1 })).collect::<Vec<_>>(),
    });
    for (v, path) in [
        (too_many_plans, "plans"),
        (too_many_bands, "plans[0].commission"),
        (too_many_milestones, "target.milestones"),
    ] {
        let errors = parsed(&v).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(errors.0[0].path, path);
        assert!(errors.0[0].message.contains("at most"), "{errors}");
    }
    // The app builds typed scenarios: the same limits hold there.
    let mut typed = team_of(3, 1);
    typed.plans[0].commission = (0..21)
        .map(|b| CommissionBand {
            from: b as f64,
            rate: 0.1,
        })
        .collect();
    typed.target.as_mut().unwrap().milestones = (0..61)
        .map(|m| Milestone {
            month: m % 12 + 1,
            revenue: 1.0,
        })
        .collect();
    let errors = typed.validate().unwrap_err();
    assert!(errors.at("plans[0].commission").is_some(), "{errors}");
    assert!(errors.at("target.milestones").is_some(), "{errors}");
    assert_eq!(errors.0.len(), 2, "{errors}");
}

/// 100,000 stages of one name took 102 s and 99,999 messages to reject.
#[test]
fn an_over_long_list_is_refused_with_one_message() {
    let mut v = base();
    v["stages"] = Value::Array(
        (0..100_000)
            .map(|_| json!({ "name": "S", "conversion": 0.5, "days": 1 }))
            .collect(),
    );
    let errors = parsed(&v).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{} messages", errors.0.len());
    assert_eq!(errors.0[0].path, "stages");

    let mut typed = scenario(REFERENCE);
    typed.stages = vec![typed.stages[0].clone(); 100_000];
    let errors = typed.validate().unwrap_err();
    assert_eq!(errors.0.len(), 1, "{} messages", errors.0.len());

    let mut bands = base();
    bands["team"] = json!({ "reps": 2, "quota": 1000 });
    bands["plans"] = json!([{
        "name": "P",
        "commission": (0..100_000).map(|b| json!({ "from": b, "rate": 0.1 })).collect::<Vec<_>>(),
    }]);
    assert_eq!(parsed(&bands).unwrap_err().0.len(), 1);

    // Uniqueness within the limit still names the duplicate.
    let mut dup = base();
    dup["stages"] = json!([
        { "name": "A", "conversion": 0.5, "days": 1 },
        { "name": "A", "conversion": 0.5, "days": 1 },
    ]);
    let errors = parsed(&dup).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].path, "stages[1].name");
}

/// Ordinary what-ifs (0 leads, a 0% stage) and the extremes of every bound
/// printed `null` where a number belongs.
#[test]
fn every_summary_number_is_finite_bar_the_documented_nulls() {
    let mut cases: Vec<(&str, Scenario)> = Vec::new();
    let plans = scenario(include_str!("../../scenarios/team-50-reps.json"));
    let mut no_leads = plans.clone();
    no_leads.leads.per_month = 0.0;
    for st in &mut no_leads.stages {
        st.open = 0;
    }
    cases.push(("no leads", no_leads));
    let mut closed = plans.clone();
    closed.stages[1].conversion = Conversion::Fixed(0.0);
    cases.push(("a 0% stage", closed));
    let mut tiny = plans.clone();
    tiny.team.as_mut().unwrap().quota = 1.0;
    tiny.target.as_mut().unwrap().revenue = 0.0;
    cases.push(("tiny quota, zero target", tiny));
    let mut huge = plans.clone();
    huge.leads.per_month = 1.0e12 / 1.5;
    huge.leads.growth_per_month = 0.0;
    huge.deal_size.median = 1.0e9;
    huge.deal_size.p90 = 1.0e12;
    huge.target.as_mut().unwrap().revenue = 1.0e15;
    for p in &mut huge.plans {
        p.quota_bonus = 1.0e9;
        p.effect.leads = 0.4;
    }
    huge.team.as_mut().unwrap().quota = 1.0e12;
    cases.push(("every bound at its largest", huge));
    let mut week_by_week = scenario(REFERENCE);
    week_by_week.leads.noise = funnel_engine::Noise::Fixed;
    week_by_week.leads.per_month = 0.0;
    week_by_week.stages.push(Stage {
        name: "Never reached".into(),
        conversion: Conversion::Fixed(1.0),
        days: 3650.0,
        open: 0,
        capacity_per_week: Some(1),
    });
    for st in &mut week_by_week.stages {
        st.open = 0;
    }
    cases.push(("week by week, nothing moves", week_by_week));

    for (what, s) in cases {
        let sim = Simulation::new(&s, 200, 4).unwrap();
        let summary = Summary::new(&sim, &sim.run_all());
        let bad = misplaced_nulls(&summary);
        assert!(bad.is_empty(), "{what}: not a number at {bad:?}");
    }
}

#[test]
fn documented_nulls_say_does_not_apply() {
    let mut s = scenario(include_str!("../../scenarios/team-50-reps.json"));
    s.leads.per_month = 0.0;
    for st in &mut s.stages {
        st.open = 0;
    }
    let summary = Summary::new(&Simulation::new(&s, 50, 1).unwrap(), &{
        Simulation::new(&s, 50, 1).unwrap().run_all()
    });
    assert!(summary.stages.iter().all(|st| st.conversion.is_none()));
    assert!(summary.plans.iter().all(|p| p.cost_of_sales.mean.is_none()));
}

/// `effect.leads` of 1e9 silently dropped the plan's leads to 0.
#[test]
fn a_plan_effect_may_not_take_leads_past_the_limit() {
    let mut s = scenario(include_str!("../../scenarios/team-50-reps.json"));
    s.plans[0].effect.leads = 1.0e9;
    let errors = s.validate().unwrap_err();
    assert!(errors.at("plans[0].effect.leads").is_some(), "{errors}");
    // Just inside the limit the plan's funnel gets every one of its leads.
    s.leads.growth_per_month = 0.0;
    s.plans[0].effect.leads = s.max_leads_per_month() / s.leads.per_month - 1.0;
    s.validate().unwrap();
    let sim = Simulation::new(&s, 3, 1).unwrap();
    let summary = Summary::new(&sim, &sim.run_all());
    assert!(summary.plans[0].revenue.mean > 1.0e4 * summary.revenue.mean);
}

/// 12.8% of doubles read back 1 ULP off without serde_json's float_roundtrip.
#[test]
fn written_scenarios_read_back_as_the_same_bits() {
    let mut s = scenario(REFERENCE);
    let mut x: u64 = 0x1234_5678_9abc_def0;
    for _ in 0..2_000 {
        // A rate with all 52 bits of mantissa in use.
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let rate = (x >> 11) as f64 / (1u64 << 53) as f64;
        s.stages[5].conversion = Conversion::Fixed(rate);
        s.stages[0].days = rate * 100.0;
        s.leads.per_month = rate * 1.0e6;
        let back = Scenario::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s, "{rate:e}");
        let back = Scenario::from_json(&s.to_json_pretty()).unwrap();
        assert_eq!(back, s, "{rate:e}");
    }
}

#[test]
fn a_version_past_u32_is_refused_not_wrapped() {
    let mut v = base();
    v["version"] = json!(4_294_967_297u64);
    let errors = parsed(&v).unwrap_err();
    assert!(errors.at("version").is_some(), "{errors}");
}

#[test]
fn a_tiny_lead_uncertainty_is_no_uncertainty() {
    let mut s = scenario(REFERENCE);
    s.leads.uncertainty_cv = 1.0e-320;
    let tiny = summary(&s, 300, 2);
    s.leads.uncertainty_cv = 0.0;
    assert_eq!(tiny, summary(&s, 300, 2));
}

#[test]
fn names_with_control_characters_are_escaped_in_messages() {
    let mut v = base();
    v["stages"] = json!([
        { "name": "Evil\u{1b}[31m\nfunnelsim: forged", "conversion": 0.5, "days": 1 },
        { "name": "Evil\u{1b}[31m\nfunnelsim: forged", "conversion": 0.5, "days": 1 },
    ]);
    let mut key = base();
    key["bogus\u{7}\nfunnelsim: forged"] = json!(1);
    for v in [v, key] {
        let errors = parsed(&v).unwrap_err();
        let text = errors.to_string();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert_eq!(text.lines().count(), errors.0.len(), "{text}");
        assert!(text.contains("\\u{"), "{text}");
    }
}

/// On a pass-through funnel (rates 0.2, 0.5, 0.9), "+10% on the 0.9 stage"
/// had 3x the paired standard error of "+10% on the 0.2 stage", though both
/// multiply the chance of a win by 1.1: changing one Poisson mean shifted the
/// draws of every count after it. Each count now has its own stream.
#[test]
fn equal_changes_have_equal_paired_errors() {
    let s = scenario(
        &json!({
            "version": 1,
            "horizon_months": 12,
            "leads": { "per_month": 2000 },
            "stages": [
                { "name": "A", "conversion": 0.2, "days": 0 },
                { "name": "B", "conversion": 0.5, "days": 0 },
                { "name": "C", "conversion": 0.9, "days": 0 },
            ],
            "deal_size": { "median": 1000, "p90": 3000 },
        })
        .to_string(),
    );
    let trials = 4_000;
    let base = Simulation::new(&s, trials, 11).unwrap().run_all();
    let effect = |stage: usize| {
        let lever = Lever::all(&s)
            .into_iter()
            .find(|l| {
                l.kind == LeverKind::Conversion { stage }
                    && l.direction == funnel_engine::levers::Direction::Up
            })
            .unwrap();
        let changed = lever.simulation(&s, trials, 11).unwrap().run_all();
        LeverEffect::new(lever, &base, &changed, None).revenue_delta
    };
    let (first, last) = (effect(0), effect(2));
    let ratio = last.se.max(first.se) / last.se.min(first.se);
    assert!(
        ratio < 1.1,
        "paired se {} (0.2 stage) vs {} (0.9 stage)",
        first.se,
        last.se
    );
    // Paired: far below the spread of revenue itself.
    let (_, sd) = funnel_engine::stats::mean_sd(&base.revenue);
    // About sqrt(0.1) of it: only the extra tenth of deals differ.
    assert!(first.se < 0.5 * sd / (trials as f64).sqrt());
}
