//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use funnel_engine::{Scenario, Simulation, Summary};

pub const REFERENCE: &str = include_str!("../../../scenarios/reference.json");

pub fn scenario(json: &str) -> Scenario {
    match Scenario::from_json(json) {
        Ok(s) => s,
        Err(e) => panic!("test scenario is invalid:\n{e}"),
    }
}

pub fn summary(s: &Scenario, trials: u64, seed: u64) -> Summary {
    let sim = Simulation::new(s, trials, seed).expect("valid run");
    Summary::new(&sim, &sim.run_all())
}

/// Mean and standard error of the mean.
pub fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

pub fn variance(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
}

/// Asserts two independent estimates agree within `k` combined standard errors.
pub fn assert_agree(what: &str, a: (f64, f64), b: (f64, f64), k: f64) {
    let se = (a.1 * a.1 + b.1 * b.1).sqrt();
    let diff = (a.0 - b.0).abs();
    assert!(
        diff <= k * se + 1e-9,
        "{what}: {} vs {} differ by {diff}, more than {k} standard errors ({se})",
        a.0,
        b.0
    );
}

/// Where a summary may say `null` ("does not apply"; docs/bounds.md): every
/// other number must be finite. `[]` stands for any index.
pub const ALLOWED_NULLS: &[&str] = &[
    "stages[].conversion",
    "plans[].cost_of_sales.mean",
    "bottleneck",
    "pipeline.coverage",
    "pipeline.weighted_coverage",
    "pipeline.velocity_per_day",
];

/// Paths in `summary` whose value is `null` where no null is allowed (NaN and
/// infinity are written as `null` by serde_json).
pub fn misplaced_nulls(summary: &Summary) -> Vec<String> {
    fn walk(v: &serde_json::Value, path: String, generic: String, out: &mut Vec<String>) {
        use serde_json::Value;
        match v {
            Value::Null if !ALLOWED_NULLS.contains(&generic.as_str()) => out.push(path),
            Value::Number(n) if !n.as_f64().is_some_and(f64::is_finite) => out.push(path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), format!("{generic}[]"), out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let join = |p: &str| {
                        if p.is_empty() {
                            k.clone()
                        } else {
                            format!("{p}.{k}")
                        }
                    };
                    walk(item, join(&path), join(&generic), out);
                }
            }
            _ => {}
        }
    }
    let value = serde_json::to_value(summary).expect("a summary serialises");
    let mut out = Vec::new();
    walk(&value, String::new(), String::new(), &mut out);
    out
}

/// A generous ceiling on one trial's words of randomness, from the scenario's
/// shape alone (stages, months, weeks, reps, plans): never from its volumes.
/// Each count, value or rep share costs a handful of words (rejection samplers
/// retry now and then); 32 per draw leaves a wide margin.
pub fn draw_ceiling(sim: &Simulation) -> u64 {
    let s = sim.scenario();
    let stages = s.stages.len() as u64;
    let months = s.horizon_months as u64;
    let weeks = s.weeks() as u64;
    let reps = s.team.map_or(0, |t| t.reps as u64);
    let open_groups = s.stages.iter().filter(|st| st.open > 0).count() as u64;
    let counts = match sim.method() {
        funnel_engine::Method::Thinned => {
            2 * stages + months + open_groups * (512 + months + 2 * stages)
        }
        funnel_engine::Method::Stepper => weeks * (2 * stages + 1),
    };
    let values = months * (256 + 2 * reps);
    let runs = 1 + s.plans.len() as u64;
    32 * (stages + 1 + reps + runs * (counts + values))
}

/// `sum(open today) + leads == won + lost + open at the horizon`, in one trial.
pub fn conserves(s: &Scenario, out: &funnel_engine::outcome::TrialOut) -> bool {
    let open: u64 = s.stages.iter().map(|st| st.open).sum();
    let lost: u64 = out.lost.iter().sum();
    let open_end: u64 = out.open_end.iter().sum();
    open as u128 + out.leads as u128 == out.won() as u128 + lost as u128 + open_end as u128
}
