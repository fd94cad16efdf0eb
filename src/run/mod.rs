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
pub mod worker_js;
pub mod worker_side;

use std::cell::RefCell;
use std::rc::Rc;

use funnel_engine::job::RunSpec;
use funnel_engine::parallel::CHUNK_TRIALS;
use funnel_engine::{Chunk, FieldError, Simulation, Summary, merge_from};
use js_sys::Uint8Array;
use send_wrapper::SendWrapper;

use crate::browser;

pub use pool::PoolInfo;

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

/// The bytes of a run's chunks (`Chunk::to_bytes`), in trial order, held by
/// the browser outside the page's wasm memory: all that a summary needs, and
/// what the page lends a worker to summarise (`summarize`), so that the page
/// itself never holds its trials month by month.
///
/// Lent, not copied: copying a million trials' bytes into a message took the
/// page's main thread a third of a second. Their buffers are transferred to
/// the worker and come back with its answer; a worker that dies with them
/// loses them, and the run is then run again.
///
/// `Send` only in name (`SendWrapper`): the page's state lives in signals
/// that ask for it, and the page has one thread.
#[derive(Clone)]
pub struct Pieces(SendWrapper<Rc<RefCell<Held>>>);

enum Held {
    Here(Vec<Uint8Array>),
    /// With a worker, for the summary job of this id.
    Lent,
    Lost,
}

impl Pieces {
    pub fn new(pieces: Vec<Uint8Array>) -> Pieces {
        Pieces(SendWrapper::new(Rc::new(RefCell::new(Held::Here(pieces)))))
    }

    /// Waits while the pieces are lent; `false` if they are lost. No run may
    /// be waiting on the pool meanwhile, so this wait gives up a worker that
    /// keeps them past its deadline itself (they are then lost).
    pub async fn home(&self) -> bool {
        loop {
            match &*self.0.borrow() {
                Held::Here(_) => return true,
                Held::Lost => return false,
                Held::Lent => {}
            }
            browser::sleep(20).await;
            pool::check_now();
        }
    }

    /// These pieces, then `more` (a run extended to more trials); `None`
    /// unless both are here.
    pub fn then(&self, more: &Pieces) -> Option<Pieces> {
        match (&*self.0.borrow(), &*more.0.borrow()) {
            (Held::Here(a), Held::Here(b)) => {
                Some(Pieces::new(a.iter().chain(b).cloned().collect()))
            }
            _ => None,
        }
    }

    /// The pieces as a JS array, and their buffers to transfer with it; they
    /// are lent until `restore` (or `lose`). `None` unless they are here.
    pub(crate) fn lend(&self) -> Option<(js_sys::Array, js_sys::Array)> {
        let mut held = self.0.borrow_mut();
        let Held::Here(pieces) = &*held else {
            return None;
        };
        let array: js_sys::Array = pieces.iter().collect();
        let buffers: js_sys::Array = pieces.iter().map(|p| p.buffer()).collect();
        *held = Held::Lent;
        Some((array, buffers))
    }

    /// The lent pieces are back (as the worker sent them: a JS array of
    /// `Uint8Array`s); `false`, and lost, if they do not look like them.
    pub(crate) fn restore(&self, back: &wasm_bindgen::JsValue, count: usize) -> bool {
        use wasm_bindgen::JsCast;
        let pieces: Option<Vec<Uint8Array>> = back
            .dyn_ref::<js_sys::Array>()
            .filter(|a| a.length() as usize == count)
            .and_then(|a| a.iter().map(|p| p.dyn_into::<Uint8Array>().ok()).collect());
        let mut held = self.0.borrow_mut();
        match pieces {
            Some(pieces) => {
                *held = Held::Here(pieces);
                true
            }
            None => {
                *held = Held::Lost;
                false
            }
        }
    }

    pub(crate) fn lose(&self) {
        *self.0.borrow_mut() = Held::Lost;
    }

    /// Each piece copied out, while they are here (the page's own summary,
    /// when no worker runs).
    pub fn bytes(&self) -> Option<Vec<Vec<u8>>> {
        match &*self.0.borrow() {
            Held::Here(pieces) => Some(pieces.iter().map(|p| p.to_vec()).collect()),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        match &*self.0.borrow() {
            Held::Here(pieces) => pieces.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for Pieces {
    fn eq(&self, other: &Pieces) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Pieces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = match &*self.0.borrow() {
            Held::Here(p) => format!("{} here", p.len()),
            Held::Lent => "lent".into(),
            Held::Lost => "lost".into(),
        };
        write!(f, "Pieces({held})")
    }
}

/// A run whose summary is left to `summarize`.
#[derive(Debug)]
pub struct Kept {
    /// Every trial, without its months (`Chunk::without_months`).
    pub trials: Chunk,
    pub pieces: Pieces,
}

/// Runs `spec` chunk by chunk, on the workers when there are any. The run
/// stops as soon as `current()` says no; `progress(done, total)` counts trials.
pub async fn run(
    spec: &RunSpec,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Chunk, Stopped> {
    run_any(spec, 0, false, &current, &mut progress)
        .await
        .map(|ran| ran.trials)
}

/// `run` of trials `from..spec.trials` (what a run that already has its first
/// `from` trials lacks: trial t depends only on the seed and t), keeping
/// each chunk's bytes for `summarize`. `progress` counts from `from`.
pub async fn run_kept(
    spec: &RunSpec,
    from: u64,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Kept, Stopped> {
    let ran = run_any(spec, from, true, &current, &mut progress).await?;
    match ran.pieces {
        Some(pieces) => Ok(Kept {
            trials: ran.trials,
            pieces,
        }),
        None => Err(Stopped::Refused(vec![FieldError::new(
            "",
            "the run did not keep its trials",
        )])),
    }
}

async fn run_any(
    spec: &RunSpec,
    from: u64,
    keep: bool,
    current: &impl Fn() -> bool,
    progress: &mut impl FnMut(u64, u64),
) -> Result<pool::Ran, Stopped> {
    if let Some(workers) = pool::get().await {
        match pool::run(&workers, spec, from, keep, current, progress).await {
            Ok(ran) => return Ok(ran),
            Err(pool::PoolError::Stopped(stopped)) => return Err(stopped),
            // Every worker died and none could be replaced: finish here.
            Err(pool::PoolError::NoWorkers) => {}
        }
    }
    if !current() {
        return Err(Stopped::Cancelled);
    }
    let sim = spec.simulation().map_err(|e| Stopped::Refused(e.0))?;
    run_simulation(&sim, from, keep, current, progress).await
}

/// The summary of the run of `spec` from its `pieces`: on a worker, or on
/// the page when there is none. `None` when the pieces were lost (a worker
/// died with them): the run must be run again.
pub async fn summarize(
    spec: &RunSpec,
    pieces: &Pieces,
    current: impl Fn() -> bool,
) -> Result<Option<Summary>, Stopped> {
    if !pieces.home().await {
        return Ok(None);
    }
    if let Some(workers) = pool::get().await {
        match pool::summarize(&workers, spec, pieces, &current).await {
            Ok(summary) => return Ok(summary),
            Err(pool::PoolError::Stopped(stopped)) => return Err(stopped),
            Err(pool::PoolError::NoWorkers) => {}
        }
    }
    if !current() {
        return Err(Stopped::Cancelled);
    }
    let sim = spec.simulation().map_err(|e| Stopped::Refused(e.0))?;
    let Some(bytes) = pieces.bytes() else {
        return Ok(None);
    };
    worker_side::summarize(&sim, bytes)
        .map(Some)
        .map_err(|e| Stopped::Refused(vec![FieldError::new("", e)]))
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
    keep: bool,
    current: &impl Fn() -> bool,
    progress: &mut impl FnMut(u64, u64),
) -> Result<pool::Ran, Stopped> {
    let merge_error =
        |e: funnel_engine::MergeError| Stopped::Refused(vec![FieldError::new("", e.to_string())]);
    let total = sim.trials();
    let mut all: Option<Chunk> = None;
    let mut pieces = Vec::new();
    let mut slice = 16u64;
    for (start, end) in chunks_from(from, total) {
        let mut chunk: Option<Chunk> = None;
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
            chunk = Some(match chunk {
                None => part,
                Some(so_far) => merge_from(start, vec![so_far, part]).map_err(merge_error)?,
            });
            at = stop;
            progress(at, total);
        }
        let Some(mut chunk) = chunk else { continue };
        if keep {
            pieces.push(Uint8Array::from(chunk.to_bytes().as_slice()));
            chunk = chunk.without_months();
        }
        all = Some(match all {
            None => chunk,
            Some(so_far) => merge_from(from, vec![so_far, chunk]).map_err(merge_error)?,
        });
    }
    let trials =
        all.ok_or_else(|| Stopped::Refused(vec![FieldError::new("trials", "must be at least 1")]))?;
    Ok(pool::Ran {
        trials,
        pieces: keep.then(|| Pieces::new(pieces)),
    })
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
