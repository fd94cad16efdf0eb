//! The scenario and summaries the sentence tests read.

use funnel_engine::{Scenario, Simulation, Summary};

/// The project's reference scenario (scenarios/reference.json).
pub fn reference() -> Scenario {
    Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
}

/// `s` run for `trials` trials (seed 1) and summarised.
pub fn summary(s: &Scenario, trials: u64) -> Summary {
    let sim = Simulation::new(s, trials, 1).unwrap();
    Summary::new(&sim, &sim.run_all())
}
