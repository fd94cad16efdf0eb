//! Sales-funnel Monte Carlo engine: the scenario format, its validation, the
//! simulation and its statistics. Knows nothing of browsers or terminals.
//!
//! ```
//! use funnel_engine::{Scenario, Simulation, Summary};
//! let scenario = Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap();
//! let sim = Simulation::new(&scenario, 1_000, 1).unwrap();
//! let summary = Summary::new(&sim, &sim.run_all());
//! assert!(summary.revenue.mean > 0.0);
//! ```

// `!(x > 0.0)` is how the engine says "not a positive number, NaN included".
#![allow(clippy::neg_cmp_op_on_partial_ord)]
#![warn(missing_docs)]

pub mod alias;
pub mod bench;
pub mod calibrate;
pub mod cli;
pub mod codec;
pub mod comp;
pub mod compare;
pub mod dist;
mod error;
pub mod exercise;
pub mod fastexp;
pub mod goal;
pub mod histogram;
pub mod job;
pub mod levers;
mod normal;
pub mod outcome;
pub mod parallel;
mod parse;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod summary;
pub mod timing;
mod validate;

pub use error::{ErrorKind, FieldError, ScenarioErrors};
pub use outcome::{Chunk, MergeError, merge, merge_from};
pub use scenario::{Conversion, DealSize, Leads, Noise, RunSettings, Scenario, Stage, Target};
pub use sim::{DEFAULT_SEED, DEFAULT_TRIALS, MAX_TRIALS, Method, Simulation};
pub use summary::Summary;
