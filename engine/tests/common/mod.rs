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
