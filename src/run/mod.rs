//! Running the engine's work for the page: one `RunSpec` in, its merged
//! trials out, with progress, stoppable between chunks.
//!
//! Every run is cut into chunks of `parallel::CHUNK_TRIALS` trials (never a
//! size that depends on where it runs) and merged in trial order, so the
//! trials are the same bits whether they ran here, on one worker or many, or
//! on the command line. This is the one seam between the page and wherever the
//! trials run: the headline, the lever sweep and the goal search all come
//! through `run`.
//!
//! Runs go to a pool of Web Workers (`pool`, its bookkeeping in `scheduler`,
//! the messages in `protocol`, the worker's part in `worker_side`). Only when
//! no worker can start do they run here on the page, in slices.

pub mod pool;
pub mod protocol;
pub mod scheduler;
pub mod worker_side;

use funnel_engine::job::RunSpec;
use funnel_engine::parallel::CHUNK_TRIALS;
use funnel_engine::{Chunk, FieldError, Simulation, merge_from};

use crate::browser;

/// Why a run gave no trials.
#[derive(Clone, Debug, PartialEq)]
pub enum Stopped {
    /// A newer job took over, or the user pressed Stop.
    Cancelled,
    /// The engine refused the run (errors name their field paths).
    Refused(Vec<FieldError>),
}

/// The chunks of a run: `(start, end)` of each, in trial order.
pub fn chunks(trials: u64) -> impl Iterator<Item = (u64, u64)> {
    chunks_from(0, trials)
}

/// The chunks of trials `from..trials` (a run extended to more trials), on
/// the same boundaries as a whole run's.
pub fn chunks_from(from: u64, trials: u64) -> impl Iterator<Item = (u64, u64)> {
    (from / CHUNK_TRIALS..trials.div_ceil(CHUNK_TRIALS)).map(move |i| {
        let start = (i * CHUNK_TRIALS).max(from);
        (start, ((i + 1) * CHUNK_TRIALS).min(trials))
    })
}

pub use pool::PoolInfo;

/// Runs `spec` chunk by chunk, on the workers when there are any. The run
/// stops as soon as `current()` says no; `progress(done, total)` counts trials.
pub async fn run(
    spec: &RunSpec,
    current: impl Fn() -> bool,
    progress: impl FnMut(u64, u64),
) -> Result<Chunk, Stopped> {
    run_from(spec, 0, current, progress).await
}

/// `run` of trials `from..spec.trials` only: what a run that already has its
/// first `from` trials lacks (trial t depends only on the seed and t).
/// `progress` counts from `from`.
pub async fn run_from(
    spec: &RunSpec,
    from: u64,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Chunk, Stopped> {
    if let Some(workers) = pool::get().await {
        match pool::run(&workers, spec, from, &current, &mut progress).await {
            Ok(all) => return Ok(all),
            Err(pool::PoolError::Stopped(stopped)) => return Err(stopped),
            // Every worker died and none could be replaced: finish here.
            Err(pool::PoolError::NoWorkers) => {}
        }
    }
    if !current() {
        return Err(Stopped::Cancelled);
    }
    let sim = spec.simulation().map_err(|e| Stopped::Refused(e.0))?;
    run_simulation(&sim, from, &current, &mut progress).await
}

/// Stops every run at once, wherever it runs (the page's Stop button).
pub fn stop_all() {
    pool::cancel_all();
}

/// Where runs go: how many workers, or the page itself (`None` until the
/// first run has started the pool).
pub fn pool_info() -> Option<PoolInfo> {
    pool::info()
}

/// `run` on the page's main thread, for a simulation made already. Slices of a chunk keep the page
/// fluid: a trial can cost milliseconds (many reps, many plans), so a chunk is
/// run in slices of about 20 ms, and the browser gets its turn between them.
pub async fn run_simulation(
    sim: &Simulation,
    from: u64,
    current: &impl Fn() -> bool,
    progress: &mut impl FnMut(u64, u64),
) -> Result<Chunk, Stopped> {
    let total = sim.trials();
    let mut all: Option<Chunk> = None;
    let mut slice = 16u64;
    for (start, end) in chunks_from(from, total) {
        let mut at = start;
        while at < end {
            browser::sleep(0).await;
            if !current() {
                return Err(Stopped::Cancelled);
            }
            let stop = (at + slice).min(end);
            let t0 = browser::now_ms();
            let part = sim.run_chunk(at..stop);
            let ms = browser::now_ms() - t0;
            // Aim at 20 ms a slice; grow at most fourfold at a time.
            let per_trial = ms / (stop - at) as f64;
            slice = if per_trial > 0.0 {
                ((20.0 / per_trial) as u64).clamp(1, slice.saturating_mul(4))
            } else {
                slice.saturating_mul(4)
            }
            .min(CHUNK_TRIALS);
            all = Some(match all {
                None => part,
                Some(so_far) => merge_from(so_far.start, vec![so_far, part])
                    .map_err(|e| Stopped::Refused(vec![FieldError::new("", e.to_string())]))?,
            });
            at = stop;
            progress(at, total);
        }
    }
    all.ok_or_else(|| Stopped::Refused(vec![FieldError::new("trials", "must be at least 1")]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_trials_in_order() {
        let c: Vec<_> = chunks(2_500).collect();
        assert_eq!(c, vec![(0, 1_000), (1_000, 2_000), (2_000, 2_500)]);
        assert_eq!(chunks(1_000).count(), 1);
        assert_eq!(chunks(0).count(), 0);
        let more: Vec<_> = chunks_from(2_500, 4_000).collect();
        assert_eq!(more, vec![(2_500, 3_000), (3_000, 4_000)]);
        assert_eq!(chunks_from(3_000, 3_000).count(), 0);
    }
}
