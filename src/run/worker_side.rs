//! What a worker does with a request, as plain Rust (the binary in
//! `src/bin/worker.rs` only moves messages in and out).

use funnel_engine::job::RunSpec;
use funnel_engine::{Chunk, FieldError, Simulation, Summary};

use super::protocol::{Reply, Request, WireError};
use super::scheduler::Merger;

/// A worker's state between messages: the simulation it last built, since a
/// job's chunks mostly go to the same few workers and building a simulation
/// (parsing, validating, timing tables) is not free. Keyed by the spec, not
/// the job: the simulation is a function of the spec alone, and the summary
/// of a run is a job of its own.
#[derive(Default)]
pub struct WorkerSide {
    cached: Option<(RunSpec, Simulation)>,
}

impl WorkerSide {
    pub fn new() -> WorkerSide {
        WorkerSide::default()
    }

    /// Answers one request: the reply, and for a chunk its bytes. `pieces`
    /// are a `Summarize`'s chunks in trial order, each decoded only when its
    /// turn comes, so that one copy of a run's trials is in memory at a time.
    pub fn handle(
        &mut self,
        req: &Request,
        pieces: impl IntoIterator<Item = Vec<u8>>,
    ) -> (Reply, Option<Vec<u8>>) {
        let job = req.job();
        let refused = |errors: Vec<FieldError>| {
            (
                Reply::Refused {
                    job,
                    error: errors.iter().map(WireError::from).collect(),
                },
                None,
            )
        };
        match req {
            Request::Run {
                spec, start, end, ..
            } => {
                if start >= end || *end > spec.trials {
                    return refused(vec![FieldError::new(
                        "trials",
                        format!(
                            "trials {start}..{end} are not within the run's {}",
                            spec.trials
                        ),
                    )]);
                }
                let sim = match self.simulation(spec) {
                    Ok(sim) => sim,
                    Err(errors) => return refused(errors),
                };
                let chunk = sim.run_chunk(*start..*end);
                (
                    Reply::Chunk {
                        job,
                        start: *start,
                        end: *end,
                    },
                    Some(chunk.to_bytes()),
                )
            }
            Request::Summarize { spec, .. } => {
                let sim = match self.simulation(spec) {
                    Ok(sim) => sim,
                    Err(errors) => return refused(errors),
                };
                match summarize(sim, pieces) {
                    Ok(summary) => (
                        Reply::Summary {
                            job,
                            summary: Box::new(summary),
                        },
                        None,
                    ),
                    Err(e) => refused(vec![FieldError::new("", e)]),
                }
            }
        }
    }

    fn simulation(&mut self, spec: &RunSpec) -> Result<&Simulation, Vec<FieldError>> {
        if !matches!(&self.cached, Some((held, _)) if held == spec) {
            self.cached = None;
            self.cached = Some((spec.clone(), spec.simulation().map_err(|e| e.0)?));
        }
        match &self.cached {
            Some((_, sim)) => Ok(sim),
            None => Err(vec![FieldError::new("", "no simulation for this run")]),
        }
    }

    /// Whether the simulation of `spec` is held (for tests).
    pub fn holds(&self, spec: &RunSpec) -> bool {
        matches!(&self.cached, Some((held, _)) if held == spec)
    }
}

/// The summary of a run from its chunks' bytes, which must cover every
/// trial of `sim` in order: the same `Summary::new` as everywhere else.
pub fn summarize(
    sim: &Simulation,
    pieces: impl IntoIterator<Item = Vec<u8>>,
) -> Result<Summary, String> {
    let mut merger = Merger::new();
    for bytes in pieces {
        let chunk = Chunk::from_bytes(&bytes).map_err(|e| e.to_string())?;
        merger.push(chunk).map_err(|e| e.to_string())?;
    }
    let all = merger.finish().map_err(|e| e.to_string())?;
    if all.len() as u64 != sim.trials() {
        return Err(format!(
            "the summary got {} trials of the run's {}",
            all.len(),
            sim.trials()
        ));
    }
    Ok(Summary::new(sim, &all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::Scenario;
    use funnel_engine::job::Change;

    fn spec(trials: u64) -> RunSpec {
        let s = Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap();
        RunSpec::new(&s, trials, 11, Change::None)
    }

    fn run(job: u64, spec: RunSpec, start: u64, end: u64) -> Request {
        Request::Run {
            job,
            spec,
            start,
            end,
        }
    }

    const NO_PIECES: [Vec<u8>; 0] = [];

    #[test]
    fn a_chunk_is_the_bytes_of_the_engine_chunk() {
        let mut w = WorkerSide::new();
        let req = run(3, spec(300), 100, 180);
        let (reply, bytes) = w.handle(&req, NO_PIECES);
        assert_eq!(
            reply,
            Reply::Chunk {
                job: 3,
                start: 100,
                end: 180
            }
        );
        let direct = spec(300).simulation().unwrap().run_chunk(100..180);
        assert_eq!(Chunk::from_bytes(&bytes.unwrap()).unwrap(), direct);
        assert!(w.holds(&spec(300)));
    }

    #[test]
    fn a_new_spec_replaces_the_cached_simulation() {
        let mut w = WorkerSide::new();
        w.handle(&run(1, spec(50), 0, 10), NO_PIECES);
        let other = RunSpec {
            seed: 99,
            ..spec(50)
        };
        let (_, bytes) = w.handle(&run(2, other.clone(), 0, 10), NO_PIECES);
        assert!(w.holds(&other) && !w.holds(&spec(50)));
        let direct = other.simulation().unwrap().run_chunk(0..10);
        assert_eq!(Chunk::from_bytes(&bytes.unwrap()).unwrap(), direct);
    }

    #[test]
    fn the_summary_of_the_pieces_is_the_summary_of_the_run() {
        let mut w = WorkerSide::new();
        let spec = spec(2_500);
        let sim = spec.simulation().unwrap();
        let pieces: Vec<Vec<u8>> = crate::run::chunks(2_500)
            .map(|(a, b)| sim.run_chunk(a..b).to_bytes())
            .collect();
        let (reply, bytes) = w.handle(
            &Request::Summarize {
                job: 9,
                spec: spec.clone(),
            },
            pieces.clone(),
        );
        assert!(bytes.is_none());
        let Reply::Summary { job: 9, summary } = reply else {
            panic!("{reply:?}")
        };
        assert_eq!(*summary, Summary::new(&sim, &sim.run_all()));
        // Pieces that do not make up the run are refused, not summarised.
        let short = &pieces[..2];
        let mut gap = pieces.clone();
        gap.remove(1);
        for bad in [short.to_vec(), gap, vec![vec![1, 2, 3]], Vec::new()] {
            let (reply, _) = w.handle(
                &Request::Summarize {
                    job: 10,
                    spec: spec.clone(),
                },
                bad,
            );
            assert!(matches!(reply, Reply::Refused { job: 10, .. }), "{reply:?}");
        }
    }

    #[test]
    fn refusals_name_fields_and_carry_no_bytes() {
        let mut w = WorkerSide::new();
        let mut bad = spec(100);
        bad.scenario = bad
            .scenario
            .replace("\"horizon_months\":", "\"horizon_monthz\":");
        let (reply, bytes) = w.handle(&run(5, bad, 0, 10), NO_PIECES);
        assert!(bytes.is_none());
        let Reply::Refused { job: 5, error } = reply else {
            panic!("{reply:?}")
        };
        assert!(
            error.iter().any(|e| e.path.contains("horizon")),
            "{error:?}"
        );
        // A range outside the run is refused, not clamped or panicked on.
        for (start, end) in [(10, 10), (20, 10), (90, 101)] {
            let (reply, _) = w.handle(&run(6, spec(100), start, end), NO_PIECES);
            assert!(
                matches!(reply, Reply::Refused { job: 6, .. }),
                "{start}..{end}"
            );
        }
    }
}
