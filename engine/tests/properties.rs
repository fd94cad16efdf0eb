//! Scenarios generated across the whole valid range and beyond (proptest, with
//! a fixed seed so a run never flakes). For every one:
//! - reading it never panics; a refused one names a field for every problem,
//!   in words with no control characters (what `funnelsim` prints, exit 2);
//! - an accepted one always gets a simulation, conserves deals in every trial,
//!   costs each trial at most `draw_ceiling` words of randomness whatever its
//!   volumes, and gives a summary (levers included) whose every number is
//!   finite but for the documented nulls.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use funnel_engine::{Scenario, Simulation, Summary, levers};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// Names a user may type by mistake or on purpose (an empty one, a blank one,
/// one a later stage repeats, one that tries to forge a line on a terminal).
const HOSTILE_NAMES: &[&str] = &["", "   ", "Stage 0", "Evil\u{1b}[31m\nfunnelsim: forged"];

/// `None` for the item's own name ("Stage 3"), or now and then a hostile one.
fn name() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![24 => Just(None), 1 => select(HOSTILE_NAMES).prop_map(Some)]
}

fn named(v: &mut Value, name: Option<&str>, prefix: &str, i: usize) {
    v["name"] = json!(name.map_or_else(|| format!("{prefix} {i}"), str::to_owned));
}

/// 10^e for e uniform in `lo..hi`: volumes and money across their magnitudes.
fn magnitude(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo..hi).prop_map(|e| libm::pow(10.0, e))
}

/// Mostly inside `lo..=hi`, often on its edges, sometimes past them.
fn ranged(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    let span = hi - lo;
    prop_oneof![
        40 => lo..=hi,
        2 => Just(lo),
        2 => Just(hi),
        1 => (lo - span)..(hi + span),
        1 => select(vec![-1.0e300, 1.0e300, 1.0e-320, -0.0]),
    ]
}

fn rate() -> impl Strategy<Value = f64> {
    ranged(0.0, 1.0)
}

fn conversion() -> impl Strategy<Value = Value> {
    prop_oneof![
        rate().prop_map(|p| json!(p)),
        // The spread as a share of its largest value, sqrt(mean(1-mean)): past 1, refused.
        (rate(), prop_oneof![12 => 0.0..0.99, 1 => 0.99..1.5]).prop_map(|(mean, f)| {
            let sd = f * (mean * (1.0 - mean)).max(0.0).sqrt();
            json!({ "mean": mean, "sd": sd })
        }),
        (0u64..3_000, prop_oneof![12 => 0.0..=1.0, 1 => 1.0..1.5]).prop_map(|(of, share)| {
            let won = (of as f64 * share) as u64;
            json!({ "won": won, "of": of })
        }),
    ]
}

fn stage() -> impl Strategy<Value = Value> {
    (
        name(),
        conversion(),
        prop_oneof![Just(0.0), 0.0..30.0, ranged(0.0, 3650.0)],
        prop_oneof![
            12 => Just(0u64),
            8 => 0u64..200,
            4 => 0u64..100_000,
            2 => Just(1_000_000_000u64),
            1 => Just(2_000_000_000u64),
        ],
        prop_oneof![
            6 => Just(None),
            6 => (1u64..50).prop_map(Some),
            1 => select(vec![0u64, u32::MAX as u64]).prop_map(Some),
        ],
    )
        .prop_map(|(name, conversion, days, open, capacity)| {
            let mut st = json!({ "conversion": conversion, "days": days, "open": open });
            st["hostile"] = json!(name);
            if let Some(c) = capacity {
                st["capacity_per_week"] = json!(c);
            }
            st
        })
}

fn leads() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            2 => Just(0.0),
            16 => magnitude(0.0, 12.0),
            1 => select(vec![1.0e12, 1.5e12, -5.0]),
        ],
        prop_oneof![16 => -0.05..0.05, 4 => -0.3..0.3, 1 => ranged(-1.0, 3.0)],
        select(vec!["poisson", "fixed"]),
        prop_oneof![Just(0.0), ranged(0.0, 2.0)],
    )
        .prop_map(|(per_month, growth, noise, cv)| {
            json!({
                "per_month": per_month,
                "growth_per_month": growth,
                "noise": noise,
                "uncertainty_cv": cv,
            })
        })
}

fn plan() -> impl Strategy<Value = Value> {
    (
        name(),
        vec((0.0..1.0f64, rate()), 1..5),
        select(vec!["marginal", "retroactive"]),
        prop_oneof![Just(0.0), magnitude(0.0, 9.2)],
        option::of(ranged(1.0, 3.0)),
        option::of((0usize..7, magnitude(0.0, 9.2))),
        vec((0usize..7, ranged(-0.9, 2.0)), 0..3),
        prop_oneof![6 => Just(0.0), 4 => -0.5..1.0, 1 => select(vec![1.0e6, 1.0e9])],
    )
        .prop_map(|(name, steps, tiers, bonus, cap, spif, uplifts, leads)| {
            let mut from = 0.0;
            let bands: Vec<Value> = steps
                .iter()
                .enumerate()
                .map(|(i, &(step, rate))| {
                    if i > 0 {
                        from += step;
                    }
                    json!({ "from": from, "rate": rate })
                })
                .collect();
            let conversion: Map<String, Value> = uplifts
                .into_iter()
                .map(|(stage, u)| (format!("Stage {stage}"), json!(u)))
                .collect();
            let mut p = json!({
                "hostile": name,
                "commission": bands,
                "tiers": tiers,
                "quota_bonus": bonus,
                "effect": { "conversion": conversion, "leads": leads },
            });
            if let Some(c) = cap {
                p["cap"] = json!(c);
            }
            if let Some((stage, per_deal)) = spif {
                p["spif"] = json!({ "stage": format!("Stage {stage}"), "per_deal": per_deal });
            }
            p
        })
}

fn scenario_json() -> impl Strategy<Value = Value> {
    (
        prop_oneof![24 => 1u32..=60, 1 => select(vec![0u32, 61])],
        leads(),
        prop_oneof![12 => vec(stage(), 1..7), 1 => vec(stage(), 0..22)],
        (
            prop_oneof![12 => magnitude(-3.0, 9.0), 1 => select(vec![1.0e9, 2.0e9])],
            prop_oneof![4 => Just(1.0), 4 => 1.0..5.0, 4 => 1.0..1100.0, 1 => 0.9..1.0],
        ),
        option::of((
            prop_oneof![Just(0.0), magnitude(0.0, 15.2)],
            vec((0.0..1.05f64, magnitude(0.0, 15.1)), 0..3),
        )),
        prop_oneof![1 => Just(None), 3 => (
            prop_oneof![8 => 1u32..=12, 1 => select(vec![0u32, 500, 501])],
            prop_oneof![magnitude(-0.2, 12.1), Just(1.0)],
            ranged(0.0, 2.0),
        ).prop_map(Some)],
        vec(plan(), 0..3),
    )
        .prop_map(
            |(months, leads, mut stages, (median, ratio), target, team, mut plans)| {
                for (i, v) in stages.iter_mut().enumerate() {
                    let hostile = v["hostile"].as_str().map(str::to_owned);
                    v.as_object_mut().unwrap().remove("hostile");
                    named(v, hostile.as_deref(), "Stage", i);
                }
                for (k, v) in plans.iter_mut().enumerate() {
                    let hostile = v["hostile"].as_str().map(str::to_owned);
                    v.as_object_mut().unwrap().remove("hostile");
                    named(v, hostile.as_deref(), "Plan", k);
                }
                let mut s = json!({
                    "version": 1,
                    "name": "generated",
                    "horizon_months": months,
                    "leads": leads,
                    "stages": stages,
                    "deal_size": { "median": median, "p90": median * ratio },
                });
                if let Some((revenue, milestones)) = target {
                    // Months mostly inside the horizon; past 1.0, beyond it.
                    let milestones: Vec<Value> = milestones
                        .into_iter()
                        .map(|(at, revenue)| {
                            let month = (at * months as f64).ceil().max(1.0) as u32;
                            json!({ "month": month, "revenue": revenue })
                        })
                        .collect();
                    s["target"] = json!({ "revenue": revenue, "milestones": milestones });
                }
                if let Some((reps, quota, skill_sd)) = team {
                    s["team"] = json!({ "reps": reps, "quota": quota, "skill_sd": skill_sd });
                }
                if !plans.is_empty() {
                    s["plans"] = Value::Array(plans);
                }
                s
            },
        )
}

fn check(text: &str) -> Result<bool, TestCaseError> {
    let scenario = match Scenario::from_json(text) {
        Ok(s) => s,
        Err(errors) => {
            prop_assert!(!errors.0.is_empty());
            for e in &errors.0 {
                prop_assert!(!e.path.is_empty(), "no field named: {e}");
                prop_assert!(!e.to_string().chars().any(char::is_control), "{e:?}");
            }
            return Ok(false);
        }
    };
    let trials = 6;
    let sim = Simulation::new(&scenario, trials, 17);
    prop_assert!(sim.is_ok(), "valid but refused: {:?}", sim.err());
    let sim = sim.unwrap();
    let ceiling = draw_ceiling(&sim);
    for t in 0..trials {
        let out = sim.trial(t);
        prop_assert!(
            conserves(&scenario, &out),
            "deals not conserved in trial {t}"
        );
        prop_assert!(
            out.draws <= ceiling,
            "trial {t}: {} draws, ceiling {ceiling}",
            out.draws
        );
    }
    let all = sim.run_all();
    let mut summary = Summary::new(&sim, &all);
    let effects = levers::sensitivity(&scenario, &all, trials, 17);
    prop_assert!(effects.is_ok(), "levers refused: {:?}", effects.err());
    summary.sensitivity = effects.unwrap();
    let bad = misplaced_nulls(&summary);
    prop_assert!(bad.is_empty(), "not a number at {bad:?}");
    Ok(true)
}

#[test]
fn any_scenario_is_refused_with_a_field_or_runs_to_finite_numbers() {
    let config = Config {
        cases: 1_000,
        // Shrinking replays a case many times; a failure is reported as found.
        max_shrink_iters: 0,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let accepted = std::cell::Cell::new(0u32);
    let result = runner.run(&scenario_json(), |v| {
        if check(&v.to_string())? {
            accepted.set(accepted.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Both sides of the line are exercised, not just the refusals.
    let accepted = accepted.get();
    assert!(
        (100..=900).contains(&accepted),
        "{accepted} of 1,000 accepted"
    );
}
