//! The engine's jobs as plain data (`job`): what the app's workers run is
//! what the command line runs, to the bit.

mod common;

use common::*;
use funnel_engine::goal::{self, GoalAnswer, GoalLever};
use funnel_engine::job::{Change, GoalSearch, LeverSweep, RunSpec};
use funnel_engine::levers::{self, Direction, LeverKind};
use funnel_engine::{Chunk, Conversion, Simulation, merge};

/// A spec's trials run in pieces, out of order, after crossing a boundary as
/// JSON (the worker's way), then merged: the chunk `run_all` gives.
fn run_like_a_worker(spec: &RunSpec) -> Chunk {
    let text = serde_json::to_string(spec).unwrap();
    let spec: RunSpec = serde_json::from_str(&text).unwrap();
    let sim = spec.simulation().unwrap();
    let n = sim.trials();
    let mut parts: Vec<Chunk> = [(n / 3, n), (0, n / 3)]
        .into_iter()
        .map(|(a, b)| Chunk::from_bytes(&sim.run_chunk(a..b).to_bytes()).unwrap())
        .collect();
    parts.rotate_left(1);
    merge(parts).unwrap()
}

#[test]
fn a_run_spec_crossing_a_boundary_runs_the_same_trials() {
    let s = scenario(include_str!("../../scenarios/team-50-reps.json"));
    let spec = RunSpec::new(&s, 300, 4, Change::None);
    let direct = Simulation::new(&s, 300, 4).unwrap().run_all();
    assert_eq!(run_like_a_worker(&spec), direct);
    let lever = RunSpec::new(
        &s,
        300,
        4,
        Change::Lever {
            lever: LeverKind::Leads,
            direction: Direction::Down,
        },
    );
    assert_eq!(
        run_like_a_worker(&lever).revenue,
        LeverKind::Leads
            .simulation(&s, Direction::Down, 300, 4)
            .unwrap()
            .run_all()
            .revenue
    );
}

#[test]
fn the_sweep_driven_step_by_step_is_the_engines_sensitivity() {
    let s = scenario(REFERENCE);
    let base = Simulation::new(&s, 400, 2).unwrap().run_all();
    let mut sweep = LeverSweep::new(&s, 400, 2);
    let mut steps = 0;
    while let Some((_, spec)) = sweep.next() {
        sweep.record(&base, &run_like_a_worker(&spec));
        steps += 1;
        assert_eq!(sweep.progress().0, steps);
    }
    // Six conversions, four stages longer than a week, leads and deal size; both ways.
    assert_eq!(steps, 24);
    assert_eq!(
        sweep.effects(),
        levers::sensitivity(&s, &base, 400, 2).unwrap()
    );
}

#[test]
fn the_search_driven_step_by_step_is_solve() {
    let s = scenario(REFERENCE);
    for lever in [GoalLever::Leads, GoalLever::Conversion { stage: 3 }] {
        let mut search = GoalSearch::new(&s, &lever, 0.8, 300, 1).unwrap();
        while let Some(x) = search.next_candidate() {
            search.record(&run_like_a_worker(&search.spec(x)));
            assert!(search.runs() <= search.estimated_runs());
        }
        assert_eq!(search.estimated_runs(), search.runs(), "exact once done");
        assert_eq!(
            search.answer().unwrap(),
            &goal::solve(&s, &lever, 0.8, 300, 1).unwrap()
        );
    }
    // 2 bounds + 10 halvings of 0..1 down to 0.1 pt.
    let search = GoalSearch::new(&s, &GoalLever::Conversion { stage: 2 }, 0.8, 300, 1).unwrap();
    assert_eq!(search.estimated_runs(), 12);
}

#[test]
fn an_unreachable_goal_takes_one_run() {
    let mut s = scenario(include_str!("../../scenarios/presets/classroom.json"));
    s.target.as_mut().unwrap().revenue = 1.0e9;
    let lever = GoalLever::Conversion { stage: 0 };
    let mut search = GoalSearch::new(&s, &lever, 0.8, 500, 1).unwrap();
    let x = search.next_candidate().unwrap();
    search.record(&run_like_a_worker(&search.spec(x)));
    assert_eq!(search.next_candidate(), None);
    assert!(!search.answer().unwrap().reachable);
}

#[test]
fn bad_questions_are_refused_with_a_field() {
    let mut s = scenario(REFERENCE);
    let path =
        |r: Result<GoalSearch, funnel_engine::ScenarioErrors>| r.unwrap_err().0[0].path.clone();
    assert_eq!(
        path(GoalSearch::new(&s, &GoalLever::Leads, 1.0, 10, 1)),
        "confidence"
    );
    assert_eq!(
        path(GoalSearch::new(
            &s,
            &GoalLever::Conversion { stage: 9 },
            0.8,
            10,
            1
        )),
        "stages"
    );
    s.target = None;
    assert_eq!(
        path(GoalSearch::new(&s, &GoalLever::Leads, 0.8, 10, 1)),
        "target.revenue"
    );
}

#[test]
fn answers_apply_as_a_what_if() {
    let s = scenario(REFERENCE);
    let answer = |lever, value| GoalAnswer {
        lever,
        confidence: 0.8,
        reachable: true,
        value,
        probability: 0.8,
        probability_se: 0.01,
        current: 0.0,
        message: String::new(),
    };
    assert_eq!(
        answer(GoalLever::Leads, 1234.2).apply(&s).leads.per_month,
        1235.0
    );
    // Estimate: the mean moves (rounded up to a tenth of a point), the spread stays.
    let moved = answer(GoalLever::Conversion { stage: 0 }, 0.41234).apply(&s);
    assert_eq!(
        moved.stages[0].conversion,
        Conversion::Estimate {
            mean: 0.413,
            sd: 0.04
        }
    );
    // History becomes a mean and spread; a fixed rate stays fixed.
    let moved = answer(GoalLever::Conversion { stage: 1 }, 0.5).apply(&s);
    assert!(matches!(moved.stages[1].conversion, Conversion::Estimate { mean, .. } if mean == 0.5));
    let moved = answer(GoalLever::Conversion { stage: 5 }, 0.9999).apply(&s);
    assert_eq!(moved.stages[5].conversion, Conversion::Fixed(1.0));
    assert!(moved.validate().is_ok());
    // At 100% an uncertain rate has no room for spread.
    let moved = answer(GoalLever::Conversion { stage: 0 }, 1.0).apply(&s);
    assert_eq!(
        moved.stages[0].conversion,
        Conversion::Estimate { mean: 1.0, sd: 0.0 }
    );
    assert!(moved.validate().is_ok());
}
