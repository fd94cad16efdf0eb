//! Prints how fast the engine runs a scenario natively, single-threaded.
//!
//! `funnelbench [SCENARIO.json] [--trials N] [--repeat R]`
//! `funnelbench --shortcut` measures the error of the deal-value sum shortcut.

use std::io::Write;
use std::time::Instant;

use funnel_engine::{Scenario, Simulation, Summary};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--shortcut") {
        funnel_engine::bench::shortcut_report(&mut std::io::stdout());
        return;
    }
    let flag = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let trials = flag("--trials", 10_000);
    let repeat = flag("--repeat", 5).max(1);
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| "scenarios/reference.json".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("funnelbench: {path}: {e}");
            std::process::exit(2);
        }
    };
    let scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("funnelbench: {path}:\n{e}");
            std::process::exit(2);
        }
    };
    let sim = match Simulation::new(&scenario, trials, 1) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("funnelbench: {e}");
            std::process::exit(2);
        }
    };
    let mut best = f64::INFINITY;
    let mut checksum = 0.0;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let all = sim.run_all();
        let secs = t0.elapsed().as_secs_f64();
        best = best.min(secs);
        checksum = Summary::new(&sim, &all).revenue.mean;
    }
    let t0 = Instant::now();
    let all = sim.run_all();
    let _ = Summary::new(&sim, &all);
    let with_summary = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let levers = funnel_engine::levers::sensitivity(&scenario, &all, trials, 1).map(|e| e.len());
    let sensitivity_secs = t0.elapsed().as_secs_f64();
    // A closed pipe (`| head -1`) ends the output, not the program with a panic.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "native: {} trials of \"{}\" ({:?} method): best of {repeat} {:.1} ms = {:.0} trials/s; with summary {:.1} ms; mean revenue {:.0}",
        trials,
        scenario.name,
        sim.method(),
        best * 1e3,
        trials as f64 / best,
        with_summary * 1e3,
        checksum
    );
    if let Ok(n) = levers {
        let _ = writeln!(
            out,
            "native: sensitivity, {n} levers x {trials} trials on the same seed: {:.0} ms",
            sensitivity_secs * 1e3
        );
    }
}
