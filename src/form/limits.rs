//! How much the browser runs: trials, and the memory a run holds.

use funnel_engine::Scenario;

/// The most trials the app runs: the engine's own limit, now that the trials
/// run on background workers and plans keep bounded memory (docs/bounds.md).
pub const MAX_APP_TRIALS: u64 = funnel_engine::MAX_TRIALS;
pub const DEFAULT_TRIALS: u64 = funnel_engine::DEFAULT_TRIALS;

/// The most bytes of trials a run in the browser holds: the page keeps them
/// (outside its wasm memory) and a worker summarising them holds them twice.
pub const MAX_RUN_BYTES: u64 = 256 << 20;

/// The most trials the app runs of `scenario`: `MAX_APP_TRIALS`, fewer when
/// its months and plans make a trial big (60 months: 508,000; with 10 plans: 332,000).
pub fn max_trials(scenario: &Scenario) -> u64 {
    let per_trial = funnel_engine::codec::bytes_per_trial(
        scenario.horizon_months as usize,
        scenario.plans.len(),
    );
    (MAX_RUN_BYTES / per_trial.max(1) / 1_000 * 1_000).clamp(1_000, MAX_APP_TRIALS)
}
pub const DEFAULT_SEED: u64 = funnel_engine::DEFAULT_SEED;
