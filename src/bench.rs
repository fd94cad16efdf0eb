//! Bench mode (`/?bench&trials=N`): runs the reference scenario in one
//! `run_chunk` call, best of five, and shows the timing as JSON in
//! `<output id="bench">` for the benchmark script to read.
//!
//! `&scenario=team-50` runs `scenarios/team-50-reps.json` (50 reps, 3 plans)
//! instead, and the JSON also gives `best_with_summary_ms`: the run and its
//! summary, what a job computes (without the pauses between its chunks).

use leptos::prelude::*;

use funnel_engine::{Scenario, Simulation, Summary};

use crate::browser;

pub const REFERENCE: &str = include_str!("../scenarios/reference.json");
pub const TEAM_50: &str = include_str!("../scenarios/team-50-reps.json");
pub const DEFAULT_TRIALS: u64 = 10_000;
pub const REPETITIONS: usize = 5;

/// Reads the query (`?bench&trials=N`): `None` when not in bench mode, else
/// the trial count (default 10,000; bad or out-of-range values fall back too).
pub fn requested(search: &str) -> Option<u64> {
    let query = search.strip_prefix('?').unwrap_or(search);
    let mut bench = false;
    let mut trials = DEFAULT_TRIALS;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "bench" => bench = true,
            "trials" => {
                if let Ok(n) = value.parse::<u64>() {
                    if (1..=funnel_engine::MAX_TRIALS).contains(&n) {
                        trials = n;
                    }
                }
            }
            _ => {}
        }
    }
    bench.then_some(trials)
}

/// The scenario the query asks for (`scenario=team-50`), else the reference:
/// (name, scenario JSON).
pub fn scenario_requested(search: &str) -> (&'static str, &'static str) {
    let query = search.strip_prefix('?').unwrap_or(search);
    if query.split('&').any(|pair| pair == "scenario=team-50") {
        ("team-50", TEAM_50)
    } else {
        ("reference", REFERENCE)
    }
}

/// The JSON the benchmark script reads.
pub fn report(trials: u64, best_ms: f64, mean_revenue: f64) -> String {
    let per_sec = if best_ms > 0.0 {
        trials as f64 / (best_ms / 1000.0)
    } else {
        0.0
    };
    serde_json::json!({
        "trials": trials,
        "best_ms": best_ms,
        "trials_per_sec": per_sec,
        "mean_revenue": mean_revenue,
    })
    .to_string()
}

async fn measure(trials: u64, (name, json): (&str, &str)) -> Result<String, String> {
    let scenario = Scenario::from_json(json).map_err(|e| e.to_string())?;
    let sim = Simulation::new(&scenario, trials, funnel_engine::DEFAULT_SEED)
        .map_err(|e| e.to_string())?;
    let mut best = f64::INFINITY;
    let mut best_with_summary = f64::INFINITY;
    let mut last = None;
    for _ in 0..REPETITIONS {
        // Let the page paint between repetitions.
        browser::sleep(0).await;
        let t0 = browser::now_ms();
        let chunk = sim.run_chunk(0..trials);
        let t1 = browser::now_ms();
        let summary = Summary::new(&sim, &chunk);
        best = best.min(t1 - t0);
        best_with_summary = best_with_summary.min(browser::now_ms() - t0);
        last = Some(summary);
    }
    let summary = last.ok_or("no repetitions")?;
    let json = report(trials, best, summary.revenue.mean);
    if name == "reference" {
        return Ok(json);
    }
    let mut value: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    value["scenario"] = name.into();
    value["best_with_summary_ms"] = best_with_summary.into();
    Ok(value.to_string())
}

#[component]
pub fn Bench(trials: u64) -> impl IntoView {
    let (result, set_result) = signal(None::<Result<String, String>>);
    let scenario = scenario_requested(&browser::search());
    leptos::task::spawn_local(async move {
        set_result.set(Some(measure(trials, scenario).await));
    });
    view! {
        <main class="bench">
            <h1>"Benchmark"</h1>
            <p>
                {format!(
                    "{} scenario, {trials} trials in one chunk, best of {REPETITIONS}.",
                    if scenario.0 == "reference" { "Reference" } else { "50 reps, 3 plans" },
                )}
            </p>
            {move || match result.get() {
                None => view! { <p role="status">"Running…"</p> }.into_any(),
                Some(Ok(json)) => view! { <output id="bench">{json}</output> }.into_any(),
                Some(Err(e)) => view! { <p id="bench-error" role="alert">{e}</p> }.into_any(),
            }}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_query() {
        assert_eq!(requested(""), None);
        assert_eq!(requested("?trials=5"), None);
        assert_eq!(requested("?bench"), Some(10_000));
        assert_eq!(requested("?bench&trials=2500"), Some(2_500));
        assert_eq!(requested("?trials=2500&bench="), Some(2_500));
        assert_eq!(requested("?bench&trials=0"), Some(10_000));
        assert_eq!(requested("?bench&trials=abc"), Some(10_000));
    }

    #[test]
    fn the_team_scenario_on_request() {
        assert_eq!(scenario_requested("?bench").0, "reference");
        assert_eq!(scenario_requested("?bench&scenario=team-50").0, "team-50");
        assert_eq!(scenario_requested("?bench&scenario=other").0, "reference");
        let team = Scenario::from_json(scenario_requested("?scenario=team-50").1).unwrap();
        assert_eq!((team.team.unwrap().reps, team.plans.len()), (50, 3));
    }

    #[test]
    fn report_is_the_agreed_json() {
        let v: serde_json::Value = serde_json::from_str(&report(10_000, 250.0, 4.9e6)).unwrap();
        assert_eq!(v["trials"], 10_000);
        assert_eq!(v["best_ms"], 250.0);
        assert_eq!(v["trials_per_sec"], 40_000.0);
        assert_eq!(v["mean_revenue"], 4.9e6);
    }
}
