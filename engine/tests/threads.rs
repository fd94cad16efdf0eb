//! Trials on many threads give the same results, to the bit, as on one.
#![cfg(not(target_arch = "wasm32"))]

use funnel_engine::goal::{self, GoalLever};
use funnel_engine::levers;
use funnel_engine::parallel::{self, CHUNK_TRIALS, run_parallel};
use funnel_engine::{Scenario, Simulation, Summary};

fn scenario(file: &str) -> Scenario {
    let path = format!("{}/../scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_split_is_fixed_whatever_the_thread_count() {
    // Trial counts that do not share out evenly: a split that depended on
    // the thread count would show.
    assert_eq!(CHUNK_TRIALS, 1_000);
    for (file, trials) in [
        ("reference.json", 2_500),
        ("reference.json", 1),
        ("reference.json", 999),
        ("reference.json", 2_000),
        ("team-50-reps.json", 1_500),
    ] {
        let sim = Simulation::new(&scenario(file), trials, 11).unwrap();
        let one = sim.run_all();
        for threads in [1, 2, 3, 1_000] {
            let many = run_parallel(&sim, threads).unwrap();
            assert_eq!(many, one, "{file}, {trials} trials, {threads} threads");
        }
        let summary = Summary::new(&sim, &one).to_json_pretty();
        assert_eq!(
            Summary::new(&sim, &run_parallel(&sim, 3).unwrap()).to_json_pretty(),
            summary
        );
    }
}

#[test]
fn the_lever_sweep_is_the_same_on_threads() {
    let s = scenario("reference.json");
    let trials = 1_100;
    let sim = Simulation::new(&s, trials, 5).unwrap();
    let base = sim.run_all();
    let expected = levers::sensitivity(&s, &base, trials, 5).unwrap();
    assert!(!expected.is_empty());
    for threads in [1, 3] {
        let got = parallel::sensitivity(&s, &base, trials, 5, threads).unwrap();
        assert_eq!(got, expected, "{threads} threads");
    }
}

#[test]
fn the_goal_search_is_the_same_on_threads() {
    let s = scenario("reference.json");
    for lever in [GoalLever::Leads, GoalLever::Conversion { stage: 3 }] {
        let expected = goal::solve(&s, &lever, 0.8, 1_200, 2).unwrap();
        for threads in [1, 3] {
            let got = goal::solve_threads(&s, &lever, 0.8, 1_200, 2, threads).unwrap();
            assert_eq!(got, expected, "{lever:?} on {threads} threads");
        }
    }
}

#[test]
fn refusals_keep_their_field_paths() {
    let mut s = scenario("reference.json");
    s.target = None;
    match goal::solve_threads(&s, &GoalLever::Leads, 0.8, 100, 1, 2) {
        Err(parallel::Error::Scenario(e)) => assert_eq!(e.0[0].path, "target.revenue"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn default_threads_is_within_bounds() {
    let n = parallel::default_threads();
    assert!((1..=parallel::MAX_THREADS).contains(&n));
}
