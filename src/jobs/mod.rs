//! What the page asks the workers for. Each job is plain Rust over `run::run`:
//! the headline run and its summary, the lever sweep, the goal search. The
//! engine decides every answer; a job only drives it and reports progress.

pub mod goal;
pub mod headline;
pub mod levers;
pub mod truth;
