//! Measurements printed by `funnelbench` (not tests: they report, they do not judge).

use std::io::Write;

use crate::stats::{percentile, sorted};
use crate::{Scenario, Simulation};

/// A high-volume scenario where every month has hundreds to thousands of won deals.
pub const HIGH_VOLUME: &str = r#"{
  "version": 1, "name": "High volume, for the sum shortcut", "horizon_months": 12,
  "leads": { "per_month": 20000, "growth_per_month": 0.05, "uncertainty_cv": 0.1 },
  "stages": [
    { "name": "Lead", "conversion": { "mean": 0.2, "sd": 0.03 }, "days": 3 },
    { "name": "Trial", "conversion": { "mean": 0.3, "sd": 0.05 }, "days": 10 }
  ],
  "deal_size": { "median": 900, "p90": 4000 }
}"#;

/// Revenue percentiles with and without the deal-value sum shortcut, on the
/// same trials (same counts), with their Monte Carlo noise for scale.
pub fn shortcut_report(out: &mut dyn Write) {
    let trials = 40_000;
    let scenario = match Scenario::from_json(HIGH_VOLUME) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(out, "shortcut: bad built-in scenario: {e}");
            return;
        }
    };
    let Ok(sim) = Simulation::new(&scenario, trials, 1) else {
        return;
    };
    let t0 = std::time::Instant::now();
    let fast = sim.run_all();
    let fast_secs = t0.elapsed().as_secs_f64();
    let exact_sim = sim.clone().with_sum_shortcut_from(u64::MAX);
    let t0 = std::time::Instant::now();
    let exact = exact_sim.run_all();
    let exact_secs = t0.elapsed().as_secs_f64();
    let won_per_month = exact.won.iter().sum::<u64>() as f64 / (trials as f64 * 12.0);
    let _ = writeln!(
        out,
        "sum shortcut (from {} deals a month), {trials} trials, about {won_per_month:.0} won deals a month:",
        crate::dist::SUM_SHORTCUT_FROM
    );
    let _ = writeln!(
        out,
        "  time: deal by deal {:.0} ms, with shortcut {:.0} ms",
        exact_secs * 1e3,
        fast_secs * 1e3
    );
    let (a, b) = (sorted(&fast.revenue), sorted(&exact.revenue));
    let mut worst: f64 = 0.0;
    for (name, q) in [
        ("P5", 0.05),
        ("P10", 0.10),
        ("P50", 0.50),
        ("P90", 0.90),
        ("P95", 0.95),
    ] {
        let (x, y) = (percentile(&a, q), percentile(&b, q));
        let rel = (x / y - 1.0) * 100.0;
        worst = worst.max(rel.abs());
        let _ = writeln!(
            out,
            "  {name}: shortcut {x:.0}, deal by deal {y:.0}, difference {rel:+.3}%"
        );
    }
    let _ = writeln!(
        out,
        "  largest difference on revenue percentiles: {worst:.3}%"
    );
}
