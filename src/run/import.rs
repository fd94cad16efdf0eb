//! Reading a deals file for the page: on one of the pool's workers, which
//! says how many rows it has read as it goes, or, when no worker runs, here
//! on the page in steps of about 20 ms with the browser getting its turn
//! between them. Either way the engine's `calibrate::task` does the work,
//! so the answer is the same bits wherever it ran.

use funnel_engine::calibrate::task::{ImportSpec, Imported, Reading};
use js_sys::Uint8Array;

use super::{Stopped, pool};
use crate::browser;

/// What a step on the page aims at, in milliseconds.
const STEP_MS: f64 = 20.0;

/// Reads and calibrates `file` as `spec` says. `progress(rows, bytes)` as
/// the reading goes; stops (`Cancelled`) as soon as `current()` says no.
pub async fn import(
    spec: &ImportSpec,
    file: &Uint8Array,
    current: impl Fn() -> bool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Imported, Stopped> {
    if let Some(workers) = pool::get().await {
        match pool::import(&workers, spec, file, &current, &mut progress).await {
            Ok(imported) => return Ok(imported),
            Err(pool::PoolError::Stopped(stopped)) => return Err(stopped),
            // Every worker died and none could be replaced: read it here.
            Err(pool::PoolError::NoWorkers) => {}
        }
    }
    if !current() {
        return Err(Stopped::Cancelled);
    }
    let bytes = file.to_vec();
    let mut reading = match Reading::begin(&bytes, spec) {
        Ok(r) => r,
        Err(done) => return Ok(*done),
    };
    let mut rows = 256u64;
    loop {
        let t0 = browser::now_ms();
        let p = match reading.step(rows) {
            Ok(p) => p,
            Err(done) => return Ok(*done),
        };
        let ms = browser::now_ms() - t0;
        progress(p.rows, p.bytes);
        if p.done {
            break;
        }
        rows = next_step(rows, ms);
        browser::sleep(0).await;
        if !current() {
            return Err(Stopped::Cancelled);
        }
    }
    Ok(reading.finish())
}

/// The rows of the next step, from the last step's `rows` and `ms`: aimed at
/// [`STEP_MS`], growing at most fourfold at a time.
fn next_step(rows: u64, ms: f64) -> u64 {
    let per_row = ms / rows.max(1) as f64;
    if per_row > 0.0 {
        ((STEP_MS / per_row) as u64).clamp(16, rows.saturating_mul(4))
    } else {
        rows.saturating_mul(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_aim_at_twenty_milliseconds() {
        assert_eq!(next_step(256, 10.0), 512);
        assert_eq!(next_step(256, 0.0), 1_024, "a clock too coarse to see it");
        assert_eq!(next_step(256, 1.0), 1_024, "at most fourfold");
        assert_eq!(next_step(1_000, 200.0), 100);
        assert_eq!(next_step(100, 10_000.0), 16, "never below 16 rows");
    }
}
