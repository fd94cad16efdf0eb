//! What a worker does with a request, as plain Rust (the binary in
//! `src/bin/worker.rs` only moves messages in and out).

use funnel_engine::job::RunSpec;
use funnel_engine::{FieldError, Simulation};

use super::protocol::{Reply, Request, WireError};

/// A worker's state between messages: the simulation of the job it last
/// ran, since a job's chunks mostly go to the same few workers and building
/// a simulation (parsing, validating, timing tables) is not free.
#[derive(Default)]
pub struct WorkerSide {
    cached: Option<(u64, RunSpec, Simulation)>,
}

impl WorkerSide {
    pub fn new() -> WorkerSide {
        WorkerSide::default()
    }

    /// Runs one request: the reply, and for a chunk its bytes.
    pub fn handle(&mut self, req: &Request) -> (Reply, Option<Vec<u8>>) {
        let refused = |errors: Vec<FieldError>| {
            (
                Reply::Refused {
                    job: req.job,
                    error: errors.iter().map(WireError::from).collect(),
                },
                None,
            )
        };
        if req.start >= req.end || req.end > req.spec.trials {
            return refused(vec![FieldError::new(
                "trials",
                format!(
                    "trials {}..{} are not within the run's {}",
                    req.start, req.end, req.spec.trials
                ),
            )]);
        }
        // Keyed by the spec too: a job id alone would trust the page never to
        // reuse one.
        let hit =
            matches!(&self.cached, Some((job, spec, _)) if *job == req.job && *spec == req.spec);
        if !hit {
            self.cached = None;
            match req.spec.simulation() {
                Ok(sim) => self.cached = Some((req.job, req.spec.clone(), sim)),
                Err(e) => return refused(e.0),
            }
        }
        let Some((_, _, sim)) = &self.cached else {
            return refused(vec![FieldError::new("", "no simulation for this job")]);
        };
        let chunk = sim.run_chunk(req.start..req.end);
        (
            Reply::Chunk {
                job: req.job,
                start: req.start,
                end: req.end,
            },
            Some(chunk.to_bytes()),
        )
    }

    /// Whether a simulation is held for `job` (for tests).
    pub fn holds(&self, job: u64) -> bool {
        matches!(&self.cached, Some((j, _, _)) if *j == job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::job::Change;
    use funnel_engine::{Chunk, Scenario};

    fn spec(trials: u64) -> RunSpec {
        let s = Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap();
        RunSpec::new(&s, trials, 11, Change::None)
    }

    #[test]
    fn a_chunk_is_the_bytes_of_the_engine_chunk() {
        let mut w = WorkerSide::new();
        let req = Request {
            job: 3,
            spec: spec(300),
            start: 100,
            end: 180,
        };
        let (reply, bytes) = w.handle(&req);
        assert_eq!(
            reply,
            Reply::Chunk {
                job: 3,
                start: 100,
                end: 180
            }
        );
        let direct = req.spec.simulation().unwrap().run_chunk(100..180);
        assert_eq!(Chunk::from_bytes(&bytes.unwrap()).unwrap(), direct);
        assert!(w.holds(3));
    }

    #[test]
    fn a_new_job_replaces_the_cached_simulation() {
        let mut w = WorkerSide::new();
        let a = Request {
            job: 1,
            spec: spec(50),
            start: 0,
            end: 10,
        };
        w.handle(&a);
        let b = Request {
            job: 2,
            spec: RunSpec {
                seed: 99,
                ..spec(50)
            },
            ..a.clone()
        };
        let (_, bytes) = w.handle(&b);
        assert!(w.holds(2) && !w.holds(1));
        let direct = b.spec.simulation().unwrap().run_chunk(0..10);
        assert_eq!(Chunk::from_bytes(&bytes.unwrap()).unwrap(), direct);
    }

    #[test]
    fn refusals_name_fields_and_carry_no_bytes() {
        let mut w = WorkerSide::new();
        let mut bad = spec(100);
        bad.scenario = bad
            .scenario
            .replace("\"horizon_months\":", "\"horizon_monthz\":");
        let (reply, bytes) = w.handle(&Request {
            job: 5,
            spec: bad,
            start: 0,
            end: 10,
        });
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
            let (reply, _) = w.handle(&Request {
                job: 6,
                spec: spec(100),
                start,
                end,
            });
            assert!(
                matches!(reply, Reply::Refused { job: 6, .. }),
                "{start}..{end}"
            );
        }
    }
}
