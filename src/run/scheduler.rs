//! The pool's bookkeeping as plain types, with no browser in them: which
//! worker holds which chunk of which job (`Scheduler`), and the chunks that
//! came back put together in trial order (`Merger`). `pool.rs` only carries
//! messages between these and the workers.

use std::collections::{BTreeMap, VecDeque};

use funnel_engine::{Chunk, MergeError, merge_from};

pub type WorkerId = u64;
pub type JobId = u64;

/// How long to wait before giving a worker up, and how often to retry a chunk.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// From `new Worker` to its Ready message.
    pub ready_ms: f64,
    /// A chunk may take this long plus `chunk_per_trial_ms` a trial. Generous:
    /// a trial with hundreds of reps and plans costs milliseconds, and a
    /// busy machine can slow a worker down many times over.
    pub chunk_ms: f64,
    pub chunk_per_trial_ms: f64,
    /// A summary may take `chunk_ms` plus this a trial (sorting them, in
    /// microseconds a trial).
    pub summary_per_trial_ms: f64,
    /// A chunk whose worker died this many times fails its job: it is more
    /// likely to kill every worker than to succeed on the next.
    pub attempts: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            ready_ms: 5_000.0,
            chunk_ms: 30_000.0,
            chunk_per_trial_ms: 50.0,
            summary_per_trial_ms: 0.01,
            attempts: 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum WorkerState {
    Starting {
        since: f64,
    },
    Idle,
    Busy {
        job: JobId,
        start: u64,
        end: u64,
        since: f64,
        allowed_ms: f64,
    },
}

#[derive(Clone, Debug)]
struct Job {
    id: JobId,
    queue: VecDeque<(u64, u64)>,
    in_flight: usize,
    done: u64,
    total: u64,
    /// Worker deaths per chunk (by its first trial).
    deaths: BTreeMap<u64, u32>,
    failed: bool,
    /// How long a worker may take a trial of this job.
    per_trial_ms: f64,
}

/// A chunk handed to a worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub worker: WorkerId,
    pub job: JobId,
    pub start: u64,
    pub end: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Scheduler {
    limits: Limits,
    workers: BTreeMap<WorkerId, WorkerState>,
    /// Oldest first. The newest job is served first: a new run means the
    /// older ones are about to be cancelled, so it should not wait for them.
    jobs: Vec<Job>,
}

impl Scheduler {
    pub fn new(limits: Limits) -> Scheduler {
        Scheduler {
            limits,
            ..Scheduler::default()
        }
    }

    /// A worker was created at `now` and has not said Ready yet.
    pub fn add_worker(&mut self, id: WorkerId, now: f64) {
        self.workers
            .insert(id, WorkerState::Starting { since: now });
    }

    /// The worker said Ready; `false` if it is unknown or not starting.
    pub fn ready(&mut self, id: WorkerId) -> bool {
        match self.workers.get_mut(&id) {
            Some(state @ WorkerState::Starting { .. }) => {
                *state = WorkerState::Idle;
                true
            }
            _ => false,
        }
    }

    /// Workers still starting, and those ready (idle or busy).
    pub fn counts(&self) -> (usize, usize) {
        let starting = self
            .workers
            .values()
            .filter(|w| matches!(w, WorkerState::Starting { .. }))
            .count();
        (starting, self.workers.len() - starting)
    }

    /// What the worker is busy on: job and trials.
    pub fn held(&self, id: WorkerId) -> Option<(JobId, u64, u64)> {
        match self.workers.get(&id) {
            Some(&WorkerState::Busy {
                job, start, end, ..
            }) => Some((job, start, end)),
            _ => None,
        }
    }

    pub fn has_worker(&self, id: WorkerId) -> bool {
        self.workers.contains_key(&id)
    }

    /// Whether the worker said Ready once (so a replacement is worth trying).
    pub fn was_ready(&self, id: WorkerId) -> bool {
        matches!(
            self.workers.get(&id),
            Some(WorkerState::Idle | WorkerState::Busy { .. })
        )
    }

    /// The worker is gone (it failed, timed out or was let go). Its chunk, if
    /// its job still runs, goes back to the front of the queue, unless that
    /// chunk has now cost `attempts` workers: then the job fails.
    pub fn remove_worker(&mut self, id: WorkerId) {
        let Some(WorkerState::Busy {
            job, start, end, ..
        }) = self.workers.remove(&id)
        else {
            return;
        };
        let attempts = self.limits.attempts;
        if let Some(j) = self.job_mut(job) {
            j.in_flight -= 1;
            let deaths = j.deaths.entry(start).or_insert(0);
            *deaths += 1;
            if *deaths >= attempts {
                j.failed = true;
                j.queue.clear();
            } else {
                j.queue.push_front((start, end));
            }
        }
    }

    /// A new job of trials `from..trials`, cut into the run's fixed chunks.
    pub fn add_job(&mut self, id: JobId, from: u64, trials: u64) {
        self.jobs.push(Job {
            id,
            queue: super::chunks_from(from, trials).collect(),
            in_flight: 0,
            done: 0,
            total: trials.saturating_sub(from),
            deaths: BTreeMap::new(),
            failed: false,
            per_trial_ms: self.limits.chunk_per_trial_ms,
        });
    }

    /// A new job of one task: the summary of a run of `trials` trials (held
    /// as the chunk `0..trials`, so a worker that dies on it hands it on).
    pub fn add_summary(&mut self, id: JobId, trials: u64) {
        self.jobs.push(Job {
            id,
            queue: VecDeque::from([(0, trials.max(1))]),
            in_flight: 0,
            done: 0,
            total: trials.max(1),
            deaths: BTreeMap::new(),
            failed: false,
            per_trial_ms: self.limits.summary_per_trial_ms,
        });
    }

    /// Forgets the job: its queued chunks are dropped at once; workers busy
    /// on it finish their chunk, and that reply is then ignored.
    pub fn cancel(&mut self, job: JobId) {
        self.jobs.retain(|j| j.id != job);
    }

    /// Hands queued chunks to idle workers, newest job first.
    pub fn assign(&mut self, now: f64) -> Vec<Assignment> {
        let mut out = Vec::new();
        for (&worker, state) in self.workers.iter_mut() {
            if *state != WorkerState::Idle {
                continue;
            }
            let Some(job) = self.jobs.iter_mut().rev().find(|j| !j.queue.is_empty()) else {
                break;
            };
            let Some((start, end)) = job.queue.pop_front() else {
                break;
            };
            job.in_flight += 1;
            *state = WorkerState::Busy {
                job: job.id,
                start,
                end,
                since: now,
                allowed_ms: self.limits.chunk_ms + job.per_trial_ms * (end - start) as f64,
            };
            out.push(Assignment {
                worker,
                job: job.id,
                start,
                end,
            });
        }
        out
    }

    /// The worker answered for `start..end` of `job` (with trials or a
    /// refusal) and is idle again. `true` when the answer is the one its job
    /// waits for; `false` for a stale one (a cancelled job, a worker given up).
    pub fn finished(&mut self, worker: WorkerId, job: JobId, start: u64, end: u64) -> bool {
        let Some(state) = self.workers.get_mut(&worker) else {
            return false;
        };
        let WorkerState::Busy {
            job: held,
            start: s,
            end: e,
            ..
        } = *state
        else {
            return false;
        };
        *state = WorkerState::Idle;
        let Some(j) = self.job_mut(held) else {
            return false;
        };
        j.in_flight -= 1;
        if (held, s, e) != (job, start, end) {
            // An answer for other trials than it was given (a bug): its own
            // chunk goes back rather than trusting either.
            j.queue.push_front((s, e));
            return false;
        }
        j.done += end - start;
        true
    }

    /// Workers to give up at `now`: no Ready in time, or a chunk overdue.
    pub fn overdue(&self, now: f64) -> Vec<WorkerId> {
        let l = &self.limits;
        self.workers
            .iter()
            .filter(|(_, state)| match **state {
                WorkerState::Starting { since } => now - since > l.ready_ms,
                WorkerState::Busy {
                    since, allowed_ms, ..
                } => now - since > allowed_ms,
                WorkerState::Idle => false,
            })
            .map(|(&id, _)| id)
            .collect()
    }

    /// Trials done and in all, while the job is known.
    pub fn progress(&self, job: JobId) -> Option<(u64, u64)> {
        self.job(job).map(|j| (j.done, j.total))
    }

    /// Every chunk of the job came back.
    pub fn is_complete(&self, job: JobId) -> bool {
        self.job(job).is_some_and(|j| {
            !j.failed && j.queue.is_empty() && j.in_flight == 0 && j.done == j.total
        })
    }

    /// A chunk of the job cost too many workers.
    pub fn has_failed(&self, job: JobId) -> bool {
        self.job(job).is_some_and(|j| j.failed)
    }

    fn job(&self, id: JobId) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    fn job_mut(&mut self, id: JobId) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|j| j.id == id)
    }
}

/// Chunks merged in trial order, whatever order they arrive in: each one is
/// appended as soon as every trial before it is in, so the work is spread
/// over the run instead of one long merge at its end.
#[derive(Debug, Default)]
pub struct Merger {
    merged: Option<Chunk>,
    next: u64,
    waiting: BTreeMap<u64, Chunk>,
}

impl Merger {
    pub fn new() -> Merger {
        Merger::default()
    }

    /// A merger of trials from `from` on (the rest of an extended run).
    pub fn starting_at(from: u64) -> Merger {
        Merger {
            next: from,
            ..Merger::default()
        }
    }

    pub fn push(&mut self, chunk: Chunk) -> Result<(), MergeError> {
        if chunk.start < self.next || self.waiting.contains_key(&chunk.start) {
            // A chunk already in: the same trials again change nothing.
            return Ok(());
        }
        self.waiting.insert(chunk.start, chunk);
        while let Some(next) = self.waiting.remove(&self.next) {
            self.next = next.end();
            self.merged = Some(match self.merged.take() {
                None => next,
                Some(so_far) => merge_from(so_far.start, vec![so_far, next])?,
            });
        }
        Ok(())
    }

    /// Trials merged so far without a gap.
    pub fn merged_trials(&self) -> u64 {
        self.next
    }

    /// The whole run, once every chunk is in.
    pub fn finish(self) -> Result<Chunk, MergeError> {
        if !self.waiting.is_empty() {
            return Err(MergeError::Gap { at: self.next });
        }
        self.merged.ok_or(MergeError::Empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::protocol::{Reply, Request};
    use crate::run::worker_side::WorkerSide;
    use funnel_engine::job::{Change, RunSpec};
    use funnel_engine::{Scenario, Simulation, Summary};

    fn limits() -> Limits {
        Limits {
            ready_ms: 100.0,
            chunk_ms: 1_000.0,
            chunk_per_trial_ms: 1.0,
            summary_per_trial_ms: 0.5,
            attempts: 3,
        }
    }

    #[test]
    fn a_summary_is_one_task_that_outlives_a_dead_worker() {
        let mut s = two_ready();
        s.add_summary(5, 4_000);
        let a = s.assign(0.0);
        assert_eq!(a.len(), 1, "one task, one worker");
        assert_eq!((a[0].job, a[0].start, a[0].end), (5, 0, 4_000));
        // Its own allowance: 1,000 ms + 0.5 ms a trial, not a chunk's 1 ms.
        assert!(s.overdue(2_999.0).is_empty());
        assert_eq!(s.overdue(3_001.0), vec![a[0].worker]);
        s.remove_worker(a[0].worker);
        let b = s.assign(3_001.0);
        assert_eq!((b.len(), b[0].job, b[0].end), (1, 5, 4_000));
        assert_ne!(b[0].worker, a[0].worker);
        assert!(s.finished(b[0].worker, 5, 0, 4_000));
        assert!(s.is_complete(5));
    }

    fn two_ready() -> Scheduler {
        let mut s = Scheduler::new(limits());
        s.add_worker(1, 0.0);
        s.add_worker(2, 0.0);
        assert_eq!(s.counts(), (2, 0));
        assert!(s.ready(1) && s.ready(2));
        assert!(!s.ready(2), "Ready twice");
        assert_eq!(s.counts(), (0, 2));
        s
    }

    #[test]
    fn chunks_go_out_in_trial_order_and_complete_the_job() {
        let mut s = two_ready();
        s.add_job(7, 0, 2_500);
        let a = s.assign(0.0);
        assert_eq!(
            a.iter()
                .map(|a| (a.worker, a.start, a.end))
                .collect::<Vec<_>>(),
            vec![(1, 0, 1_000), (2, 1_000, 2_000)]
        );
        assert!(s.assign(0.0).is_empty(), "both busy");
        // Worker 2 answers first: order of answers does not matter.
        assert!(s.finished(2, 7, 1_000, 2_000));
        assert_eq!(s.progress(7), Some((1_000, 2_500)));
        let b = s.assign(1.0);
        assert_eq!((b[0].worker, b[0].start, b[0].end), (2, 2_000, 2_500));
        assert!(s.finished(2, 7, 2_000, 2_500));
        assert!(!s.is_complete(7));
        assert!(s.finished(1, 7, 0, 1_000));
        assert!(s.is_complete(7));
        assert_eq!(s.progress(7), Some((2_500, 2_500)));
    }

    #[test]
    fn the_newest_job_is_served_first_and_a_cancelled_one_is_dropped() {
        let mut s = two_ready();
        s.add_job(1, 0, 5_000);
        s.assign(0.0);
        s.add_job(2, 0, 3_000);
        // Worker 1 finishes job 1's chunk; its next chunk is job 2's.
        assert!(s.finished(1, 1, 0, 1_000));
        let a = s.assign(0.0);
        assert_eq!((a[0].worker, a[0].job, a[0].start), (1, 2, 0));
        s.cancel(1);
        assert_eq!(s.progress(1), None);
        // Worker 2 was busy on job 1: its answer is ignored, and it moves on.
        assert!(!s.finished(2, 1, 1_000, 2_000));
        let b = s.assign(0.0);
        assert_eq!((b[0].worker, b[0].job, b[0].start), (2, 2, 1_000));
        // Nothing of job 1 is ever handed out again.
        for (w, start, end) in [(1, 0, 1_000), (2, 1_000, 2_000), (1, 2_000, 3_000)] {
            assert!(s.finished(w, 2, start, end));
            for next in s.assign(0.0) {
                assert_eq!(next.job, 2);
            }
        }
        assert!(s.is_complete(2));
    }

    #[test]
    fn a_dead_workers_chunk_is_requeued_first_until_it_has_cost_too_many() {
        let mut s = two_ready();
        s.add_job(1, 0, 4_000);
        s.assign(0.0);
        s.remove_worker(1);
        assert_eq!(s.counts(), (0, 1));
        s.add_worker(3, 0.0);
        s.ready(3);
        let a = s.assign(0.0);
        assert_eq!(
            (a[0].worker, a[0].start),
            (3, 0),
            "chunk 0 again, before 2,000"
        );
        // Chunk 0 kills two more workers: the job fails rather than loop.
        s.remove_worker(3);
        s.add_worker(4, 0.0);
        s.ready(4);
        assert_eq!(s.assign(0.0)[0].start, 0);
        assert!(!s.has_failed(1));
        s.remove_worker(4);
        assert!(s.has_failed(1));
        assert!(!s.is_complete(1));
        s.add_worker(5, 0.0);
        s.ready(5);
        assert!(s.assign(0.0).is_empty(), "a failed job hands out nothing");
    }

    #[test]
    fn answers_that_do_not_match_are_not_counted() {
        let mut s = two_ready();
        s.add_job(1, 0, 2_000);
        s.assign(0.0);
        assert!(!s.finished(1, 1, 1_000, 2_000), "worker 1 holds 0..1000");
        assert!(!s.finished(9, 1, 0, 1_000), "unknown worker");
        assert_eq!(s.progress(1), Some((0, 2_000)));
        // Its own chunk went back to the queue.
        assert_eq!(s.assign(0.0)[0].start, 0);
    }

    #[test]
    fn workers_that_do_not_start_or_answer_in_time_are_overdue() {
        let mut s = Scheduler::new(limits());
        s.add_worker(1, 0.0);
        s.add_worker(2, 0.0);
        s.ready(1);
        assert_eq!(s.overdue(100.0), Vec::<WorkerId>::new());
        assert_eq!(s.overdue(101.0), vec![2]);
        s.remove_worker(2);
        s.add_job(1, 0, 500);
        s.assign(200.0);
        // 1,000 ms plus 1 ms a trial for 500 trials.
        assert!(s.overdue(1_700.0).is_empty());
        assert_eq!(s.overdue(1_701.0), vec![1]);
    }

    #[test]
    fn merged_in_any_order_is_the_run_to_the_bit() {
        let scenario = crate::share::presets::default_preset().scenario();
        let sim = Simulation::new(&scenario, 5_300, 9).unwrap();
        let whole = sim.run_all();
        let parts: Vec<_> = crate::run::chunks(5_300).collect();
        for order in [
            vec![0, 1, 2, 3, 4, 5],
            vec![5, 3, 1, 0, 4, 2],
            vec![2, 1, 0, 5, 4, 3],
        ] {
            let mut m = Merger::new();
            for &i in &order {
                let (start, end) = parts[i];
                m.push(sim.run_chunk(start..end)).unwrap();
            }
            assert_eq!(m.merged_trials(), 5_300);
            assert_eq!(m.finish().unwrap(), whole);
        }
        let mut gap = Merger::new();
        gap.push(sim.run_chunk(1_000..2_000)).unwrap();
        assert_eq!(gap.merged_trials(), 0);
        assert!(gap.finish().is_err());
        // An extended run's new trials, from 2,500 on, out of order: joined to
        // the first 2,500 they are the whole run.
        let mut more = Merger::starting_at(2_500);
        let later: Vec<_> = crate::run::chunks_from(2_500, 5_300).collect();
        for &(start, end) in later.iter().rev() {
            more.push(sim.run_chunk(start..end)).unwrap();
        }
        assert_eq!(more.merged_trials(), 5_300);
        let joined = funnel_engine::merge(vec![sim.run_chunk(0..2_500), more.finish().unwrap()]);
        assert_eq!(joined.unwrap(), whole);
    }

    /// The pool's loop without a browser: workers that answer out of order,
    /// one that dies mid-chunk and its replacement, all through the real
    /// messages and bytes. The summary is the one of a single run.
    #[test]
    fn a_simulated_pool_gives_the_same_summary_as_one_run() {
        let scenario =
            Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap();
        let spec = RunSpec::new(&scenario, 2_321, 5, Change::None);
        let mut s = Scheduler::new(Limits::default());
        let mut sides: BTreeMap<WorkerId, WorkerSide> = BTreeMap::new();
        for id in 1..=3 {
            s.add_worker(id, 0.0);
            s.ready(id);
            sides.insert(id, WorkerSide::new());
        }
        s.add_job(1, 0, spec.trials);
        let mut merger = Merger::new();
        let mut held: Vec<Assignment> = Vec::new();
        let mut next_id = 4;
        let mut killed = false;
        let mut round = 0;
        while !s.is_complete(1) {
            held.extend(s.assign(round as f64));
            round += 1;
            // Answer the most recent assignment first: replies arrive out of order.
            let a = held.pop().expect("work in flight");
            if !killed && a.start == 2_000 {
                killed = true;
                s.remove_worker(a.worker);
                sides.remove(&a.worker);
                s.add_worker(next_id, 0.0);
                s.ready(next_id);
                sides.insert(next_id, WorkerSide::new());
                next_id += 1;
                continue;
            }
            let req = Request::Run {
                job: a.job,
                spec: spec.clone(),
                start: a.start,
                end: a.end,
            };
            let (reply, bytes) = sides.get_mut(&a.worker).unwrap().handle(&req, []);
            let Reply::Chunk { job, start, end } = reply else {
                panic!("{reply:?}")
            };
            assert!(s.finished(a.worker, job, start, end));
            merger
                .push(Chunk::from_bytes(&bytes.unwrap()).unwrap())
                .unwrap();
        }
        assert!(killed);
        let sim = spec.simulation().unwrap();
        let all = merger.finish().unwrap();
        let whole = sim.run_all();
        assert_eq!(all, whole);
        assert_eq!(Summary::new(&sim, &all), Summary::new(&sim, &whole));
    }
}
