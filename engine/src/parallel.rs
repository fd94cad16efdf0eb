//! Trials spread over threads, with results that do not depend on how many.
//!
//! The trials are cut into chunks of a fixed size, whatever the thread count,
//! and merged in trial order. A trial's draws depend only on `(seed, trial)`
//! and `merge` keeps per-trial values by position, so one thread or 256 give
//! the same bytes. Threads take the next chunk from a shared counter rather
//! than a fixed share each: on a machine shared with other work one thread
//! may be descheduled, and the others then take over its chunks.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::job::LeverSweep;
use crate::levers::LeverEffect;
use crate::{Chunk, MergeError, Scenario, ScenarioErrors, Simulation, merge};

/// Trials per chunk. Fixed, never derived from the thread count, so that the
/// split (and with it anything that might depend on it) is the same for every
/// `--threads`. Small enough that a million trials keep 256 threads busy to
/// the end, large enough that a chunk's bookkeeping is noise.
pub const CHUNK_TRIALS: u64 = 1_000;

/// The most threads `--threads` accepts.
pub const MAX_THREADS: usize = 256;

/// Every core this process may use (1 when the system cannot say).
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// What can go wrong inside a parallel run. Both are bugs, never the user's
/// input: a caller reports them instead of panicking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// A worker thread panicked (its message has already gone to stderr).
    WorkerPanicked,
    /// The chunks did not fit together.
    Merge(MergeError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::WorkerPanicked => f.write_str("a worker thread stopped with a panic"),
            RunError::Merge(e) => write!(f, "merging the trials failed: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// A refused scenario (the user's to fix) or a failed run (a bug).
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The scenario, or a lever's or goal candidate's change of it, was refused:
    /// the user's to fix.
    Scenario(ScenarioErrors),
    /// The run itself failed: a bug.
    Run(RunError),
}

impl From<ScenarioErrors> for Error {
    fn from(e: ScenarioErrors) -> Error {
        Error::Scenario(e)
    }
}

impl From<RunError> for Error {
    fn from(e: RunError) -> Error {
        Error::Run(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Scenario(e) => e.fmt(f),
            Error::Run(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// All of `sim`'s trials on up to `threads` threads (at least one, the
/// calling thread among them): the same chunk as `sim.run_all()`, to the bit.
pub fn run_parallel(sim: &Simulation, threads: usize) -> Result<Chunk, RunError> {
    let trials = sim.trials();
    let chunks = usize::try_from(trials.div_ceil(CHUNK_TRIALS)).unwrap_or(usize::MAX);
    let threads = threads.clamp(1, MAX_THREADS).min(chunks.max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            // Relaxed is enough: the counter only hands out distinct indices;
            // the helpers' chunks reach the caller through `join`, which
            // orders everything before it.
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= chunks {
                return done;
            }
            let start = i as u64 * CHUNK_TRIALS;
            done.push(sim.run_chunk(start..(start + CHUNK_TRIALS).min(trials)));
        }
    };
    let parts = if threads == 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            // A thread that cannot be started (limits, or a target without
            // threads) is no error: the others, and this one, take its chunks.
            let helpers: Vec<_> = (1..threads)
                .map_while(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
                .collect();
            let mut parts = work();
            // Every helper is joined, even after a failure: a scope with an
            // unjoined panicked thread would itself panic.
            let joined: Vec<_> = helpers.into_iter().map(|h| h.join()).collect();
            for result in joined {
                parts.extend(result.map_err(|_| RunError::WorkerPanicked)?);
            }
            Ok(parts)
        })?
    };
    merge(parts).map_err(RunError::Merge)
}

/// `levers::sensitivity` with each lever's rerun spread over `threads`: the
/// same effects in the same order, to the bit.
pub fn sensitivity(
    scenario: &Scenario,
    base: &Chunk,
    trials: u64,
    seed: u64,
    threads: usize,
) -> Result<Vec<LeverEffect>, Error> {
    // One lever at a time, each on every thread, rather than one lever per
    // thread: only one changed run is held in memory at once.
    let mut sweep = LeverSweep::new(scenario, trials, seed);
    while let Some((_, spec)) = sweep.next() {
        let changed = run_parallel(&spec.simulation()?, threads)?;
        sweep.record(base, &changed);
    }
    Ok(sweep.effects())
}
