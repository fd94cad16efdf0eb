//! The page's pool of Web Workers: the thin layer between the `Scheduler`
//! (who runs what) and the browser (`new Worker`, `postMessage`, timers).
//!
//! One pool per page, started on the first run: `navigator.hardwareConcurrency`
//! workers (1 to 16; `workers=N` in the URL fragment overrides it). Each is a
//! module worker at the relative URL `./worker_loader.js`, so the page works
//! from any path and inside an iframe. A worker gets work only after its Ready
//! message: anything posted before that is dropped without a word.
//!
//! Chunks come back as transferred bytes and are decoded and merged in the
//! message handler, one chunk at a time, so the page never runs one long
//! merge. A run that keeps its pieces (the headline's) keeps each chunk's
//! bytes as they came, in the browser's memory, and merges the trials without
//! their months; its summary is then a job of its own (`summarize`): the
//! pieces are lent to one worker (their buffers transferred), which sends
//! them back with the summary. The runs
//! themselves only wait: for their job to complete, for a tick to report
//! progress and to ask whether they are still wanted.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use funnel_engine::job::RunSpec;
use funnel_engine::{Chunk, FieldError, Summary};
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::protocol::{self, BYTES_KEY, Reply, Request};
use super::scheduler::{JobId, Limits, Merger, Scheduler, WorkerId};
use super::{Pieces, Stopped};
use crate::browser;

/// The most workers a page starts, whatever the machine says: beyond this
/// the memory of that many engines costs more than the cores give.
pub const MAX_WORKERS: usize = 16;

/// Relative, so that the worker is found beside the page wherever it is served.
const WORKER_URL: &str = "./worker_loader.js";

/// How often a waiting run looks up: progress, Stop, overdue workers.
const TICK_MS: i32 = 40;

/// Where runs go, for the page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolInfo {
    /// Workers that said Ready and are still alive.
    pub workers: usize,
    /// No worker could start: runs go on the page's main thread.
    pub fallback: bool,
}

type Shared = Rc<RefCell<Inner>>;

/// The page's pool (one per page; cloning it is cheap).
#[derive(Clone)]
pub struct Pool(Shared);

#[derive(Clone)]
enum State {
    NotStarted,
    Starting,
    Up(Shared),
    /// Not even one worker started.
    Down,
}

thread_local! {
    static POOL: RefCell<State> = const { RefCell::new(State::NotStarted) };
}

struct Slot {
    worker: Worker,
    // Kept alive as long as the worker may call them.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

struct JobState {
    spec: RunSpec,
    work: Work,
    /// Why the job cannot finish (a refusal, or a chunk that did not fit).
    stopped: Option<Vec<FieldError>>,
    /// Resolves the promise its run is waiting on.
    wake: Option<js_sys::Function>,
}

enum Work {
    /// Trials, merged as they come. With `pieces`, each chunk's bytes are
    /// kept (by first trial) and the trials are merged without their months.
    Trials {
        merger: Box<Merger>,
        pieces: Option<BTreeMap<u64, Uint8Array>>,
    },
    /// The summary of a run from its pieces: the lent pieces and their
    /// buffers until they are posted, then the summary once it comes.
    Summary {
        message: Option<(js_sys::Array, js_sys::Array)>,
        summary: Option<Box<Summary>>,
        /// The worker holding the pieces died with them.
        lost: bool,
    },
}

/// What a run on the pool gives back.
pub struct Ran {
    pub trials: Chunk,
    /// Each chunk's bytes in trial order, when the run kept them.
    pub pieces: Option<Pieces>,
}

struct Inner {
    me: Weak<RefCell<Inner>>,
    sched: Scheduler,
    slots: BTreeMap<WorkerId, Slot>,
    jobs: BTreeMap<JobId, JobState>,
    next_worker: WorkerId,
    next_job: JobId,
    /// Workers let go from inside one of their own handlers: their closures
    /// cannot be dropped while running, so they wait here for the next tick.
    retired: Vec<Slot>,
    build: String,
    /// Pieces lent for a summary job, and how many: they come back with any
    /// answer to it, even once the job is cancelled.
    lent: BTreeMap<JobId, (Pieces, usize)>,
}

/// The pool size this page asks for.
pub fn wanted_size() -> usize {
    let hardware = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n as usize);
    crate::share::link::workers(&browser::hash())
        .unwrap_or(hardware)
        .clamp(1, MAX_WORKERS)
}

/// The pool's state once it has started (`None` before the first run).
pub fn info() -> Option<PoolInfo> {
    POOL.with(|p| match &*p.borrow() {
        State::NotStarted | State::Starting => None,
        State::Down => Some(PoolInfo {
            workers: 0,
            fallback: true,
        }),
        State::Up(inner) => {
            let (_, ready) = inner.borrow().sched.counts();
            Some(PoolInfo {
                workers: ready,
                fallback: ready == 0,
            })
        }
    })
}

/// The pool, started on first use; `None` when no worker could start.
pub async fn get() -> Option<Pool> {
    loop {
        let state = POOL.with(|p| p.borrow().clone());
        match state {
            State::NotStarted => {
                POOL.with(|p| *p.borrow_mut() = State::Starting);
                let started = start(wanted_size()).await;
                POOL.with(|p| {
                    *p.borrow_mut() = match &started {
                        Some(inner) => State::Up(inner.clone()),
                        None => State::Down,
                    }
                });
                return started.map(Pool);
            }
            State::Starting => browser::sleep(10).await,
            State::Up(inner) => return Some(Pool(inner)),
            State::Down => return None,
        }
    }
}

/// Starts `size` workers and waits until each has said Ready or been given
/// up (`Limits::ready_ms`).
async fn start(size: usize) -> Option<Shared> {
    let inner = Rc::new_cyclic(|me| {
        RefCell::new(Inner {
            me: me.clone(),
            sched: Scheduler::new(Limits::default()),
            slots: BTreeMap::new(),
            jobs: BTreeMap::new(),
            next_worker: 0,
            next_job: 0,
            retired: Vec::new(),
            build: protocol::build_id(),
            lent: BTreeMap::new(),
        })
    });
    for _ in 0..size {
        if let Err(e) = inner.borrow_mut().spawn() {
            // A browser (or a policy) without workers: no point trying again.
            warn(&format!("background workers unavailable: {e:?}"));
            break;
        }
    }
    loop {
        let (starting, ready) = {
            let mut i = inner.borrow_mut();
            i.check();
            i.sched.counts()
        };
        if starting == 0 {
            return (ready > 0).then_some(inner);
        }
        browser::sleep(10).await;
    }
}

/// Gives up overdue workers now, as a waiting run does at every tick: for a
/// wait outside any run (pieces lent to a worker that stopped answering).
pub fn check_now() {
    POOL.with(|p| {
        if let State::Up(inner) = &*p.borrow() {
            if let Ok(mut i) = inner.try_borrow_mut() {
                i.check();
            }
        }
    });
}

/// Drops every job on the pool at once (Stop: it ends every run of the
/// current generation, so none of them should get another chunk). Their runs
/// return `Cancelled`; busy workers finish their chunk, unheeded.
pub fn cancel_all() {
    POOL.with(|p| {
        if let State::Up(inner) = &*p.borrow() {
            if let Ok(mut i) = inner.try_borrow_mut() {
                let jobs: Vec<JobId> = i.jobs.keys().copied().collect();
                for job in jobs {
                    i.wake(job);
                    i.drop_job(job);
                }
            }
        }
    });
}

/// Why the pool could not finish a run.
pub enum PoolError {
    Stopped(Stopped),
    /// Every worker is gone: the caller runs it elsewhere.
    NoWorkers,
}

/// Runs trials `from..spec.trials` of `spec` on the pool's workers: the
/// trials in order, the same bytes as one `run_chunk` over them all, or with
/// `keep` the trials without their months and every chunk's bytes.
pub async fn run(
    pool: &Pool,
    spec: &RunSpec,
    from: u64,
    keep: bool,
    current: &impl Fn() -> bool,
    progress: &mut impl FnMut(u64, u64),
) -> Result<Ran, PoolError> {
    let pool = &pool.0;
    let job = {
        let mut i = pool.borrow_mut();
        let job = i.new_job();
        i.sched.add_job(job, from, spec.trials);
        let pieces = keep.then(BTreeMap::new);
        i.insert_job(
            job,
            spec,
            Work::Trials {
                merger: Box::new(Merger::starting_at(from)),
                pieces,
            },
        );
        job
    };
    // Dropped when the run ends in any way (also when its future is dropped):
    // the job's queued chunks go with it.
    let _cancel = CancelOnDrop { pool, job };
    let mut reported = None;
    loop {
        let mut now = None;
        let ran = tick(pool, job, current, |sched, state| {
            if sched.has_failed(job) {
                return Some(Err(PoolError::Stopped(Stopped::Refused(vec![
                    FieldError::new("", "the background workers kept failing on this run"),
                ]))));
            }
            if !sched.is_complete(job) {
                now = sched.progress(job);
                return None;
            }
            let Work::Trials { merger, pieces } = &mut state.work else {
                return Some(Err(PoolError::Stopped(Stopped::Cancelled)));
            };
            let pieces = pieces
                .take()
                .map(|p| Pieces::new(p.into_values().collect()));
            Some(
                std::mem::take(merger)
                    .finish()
                    .map(|trials| Ran { trials, pieces })
                    .map_err(|_| {
                        PoolError::Stopped(Stopped::Refused(vec![FieldError::new(
                            "trials",
                            "must be at least 1",
                        )]))
                    }),
            )
        })
        .await?;
        if let Some(ran) = ran {
            return Ok(ran);
        }
        if now != reported {
            if let Some((done, total)) = now {
                progress(from + done, from + total);
            }
            reported = now;
        }
    }
}

/// One tick of a run waiting on its job: waits for a change or `TICK_MS`,
/// gives up overdue workers, then lets `look` see whether the job is done
/// (`Some`). `Err` when the run is no longer wanted, its job is gone or was
/// stopped, or no worker is left.
async fn tick<R>(
    pool: &Shared,
    job: JobId,
    current: &impl Fn() -> bool,
    look: impl FnOnce(&Scheduler, &mut JobState) -> Option<Result<R, PoolError>>,
) -> Result<Option<R>, PoolError> {
    wait(pool, job, TICK_MS).await;
    if !current() {
        return Err(PoolError::Stopped(Stopped::Cancelled));
    }
    let mut i = pool.borrow_mut();
    i.check();
    let Inner { sched, jobs, .. } = &mut *i;
    let Some(state) = jobs.get_mut(&job) else {
        return Err(PoolError::Stopped(Stopped::Cancelled));
    };
    if let Some(errors) = state.stopped.take() {
        return Err(PoolError::Stopped(Stopped::Refused(errors)));
    }
    if let Some(done) = look(sched, state) {
        return done.map(Some);
    }
    if sched.counts() == (0, 0) {
        return Err(PoolError::NoWorkers);
    }
    Ok(None)
}

/// The summary of the run of `spec` whose chunks' bytes are `pieces`, from
/// one worker; `None` if it died with the pieces (or they were not here).
pub async fn summarize(
    pool: &Pool,
    spec: &RunSpec,
    pieces: &Pieces,
    current: &impl Fn() -> bool,
) -> Result<Option<Summary>, PoolError> {
    let pool = &pool.0;
    let count = pieces.len();
    let Some(message) = pieces.lend() else {
        return Ok(None);
    };
    let job = {
        let mut i = pool.borrow_mut();
        let job = i.new_job();
        i.lent.insert(job, (pieces.clone(), count));
        i.sched.add_summary(job, spec.trials);
        i.insert_job(
            job,
            spec,
            Work::Summary {
                message: Some(message),
                summary: None,
                lost: false,
            },
        );
        job
    };
    let _cancel = CancelOnDrop { pool, job };
    loop {
        let done = tick(pool, job, current, |_, state| match &mut state.work {
            Work::Summary { summary, lost, .. } => match summary.take() {
                Some(summary) => Some(Ok(Some(*summary))),
                None => lost.then_some(Ok(None)),
            },
            Work::Trials { .. } => None,
        })
        .await?;
        if let Some(summary) = done {
            return Ok(summary);
        }
    }
}

struct CancelOnDrop<'a> {
    pool: &'a Shared,
    job: JobId,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if let Ok(mut i) = self.pool.try_borrow_mut() {
            i.drop_job(self.job);
            i.dispatch();
        }
    }
}

/// Resolves after `ms`, or earlier when the job's state changes.
async fn wait(pool: &Shared, job: JobId, ms: i32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        if let Some(state) = pool.borrow_mut().jobs.get_mut(&job) {
            state.wake = Some(resolve.clone());
        }
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(text));
}

impl Inner {
    fn spawn(&mut self) -> Result<(), JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)?;
        self.next_worker += 1;
        let id = self.next_worker;
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(inner) = me.upgrade() {
                inner.borrow_mut().on_message(id, ev.data());
            }
        });
        let me = self.me.clone();
        // A plain `Event`, not an `ErrorEvent`, when the script fails to load:
        // its message is read without assuming either.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
            // Handled here: the worker is replaced and its chunk runs again.
            ev.prevent_default();
            let message = Reflect::get(&ev, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "it could not start".into());
            if let Some(inner) = me.upgrade() {
                warn(&format!("a background worker failed: {message}"));
                inner.borrow_mut().let_go(id);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.sched.add_worker(id, browser::now_ms());
        self.slots.insert(
            id,
            Slot {
                worker,
                _on_message: on_message,
                _on_error: on_error,
            },
        );
        Ok(())
    }

    /// Forgets a job; pieces it had lent but not yet posted are back at once.
    fn drop_job(&mut self, job: JobId) {
        self.sched.cancel(job);
        if let Some(JobState {
            work:
                Work::Summary {
                    message: Some((array, _)),
                    ..
                },
            ..
        }) = self.jobs.remove(&job)
        {
            if let Some((pieces, count)) = self.lent.remove(&job) {
                pieces.restore(&array, count);
            }
        }
    }

    fn new_job(&mut self) -> JobId {
        self.next_job += 1;
        self.next_job
    }

    /// The job's state, once the scheduler knows it; hands out its work.
    fn insert_job(&mut self, job: JobId, spec: &RunSpec, work: Work) {
        self.jobs.insert(
            job,
            JobState {
                spec: spec.clone(),
                work,
                stopped: None,
                wake: None,
            },
        );
        self.dispatch();
    }

    fn on_message(&mut self, id: WorkerId, data: JsValue) {
        if !self.sched.has_worker(id) {
            return;
        }
        let bytes = protocol::take_bytes(&data);
        let reply = match protocol::from_js::<Reply>(data) {
            Ok(reply) => reply,
            Err(e) => {
                warn(&format!(
                    "a background worker sent an unreadable message: {e}"
                ));
                self.let_go(id);
                return;
            }
        };
        // Lent pieces come back with any answer to their job.
        if let Reply::Summary { job, .. } | Reply::Refused { job, .. } = &reply {
            if let Some((pieces, count)) = self.lent.remove(job) {
                pieces.restore(&bytes, count);
            }
        }
        match reply {
            Reply::Ready { build } => {
                if build == self.build {
                    self.sched.ready(id);
                } else {
                    // A stale cached worker beside a newer page: its trials
                    // might not be this page's. Not replaced (it would load
                    // the same file); if none is left, runs stay on the page.
                    warn(&format!(
                        "a background worker is from another build ({build}, not {}); not using it",
                        self.build
                    ));
                    self.let_go(id);
                }
            }
            Reply::Chunk { job, start, end } => {
                if self.sched.finished(id, job, start, end) {
                    self.take_chunk(job, start, bytes.dyn_into::<Uint8Array>().ok());
                }
            }
            Reply::Summary { job, summary } => {
                if let Some((held, start, end)) = self.sched.held(id) {
                    if held == job && self.sched.finished(id, job, start, end) {
                        if let Some(JobState {
                            work: Work::Summary { summary: slot, .. },
                            ..
                        }) = self.jobs.get_mut(&job)
                        {
                            *slot = Some(summary);
                        }
                        self.wake(job);
                    }
                }
            }
            Reply::Refused { job, error } => {
                if let Some((held, start, end)) = self.sched.held(id) {
                    if self.sched.finished(id, held, start, end) && held == job {
                        self.stop_job(job, error.into_iter().map(FieldError::from).collect());
                    }
                }
            }
        }
        self.dispatch();
    }

    fn take_chunk(&mut self, job: JobId, start: u64, bytes: Option<Uint8Array>) {
        let Some(JobState {
            work: Work::Trials { merger, pieces },
            ..
        }) = self.jobs.get_mut(&job)
        else {
            return;
        };
        let pushed = bytes
            .ok_or_else(|| "a chunk came without its trials".to_owned())
            .and_then(|b| {
                let chunk = Chunk::from_bytes(&b.to_vec()).map_err(|e| e.to_string())?;
                Ok(match pieces {
                    Some(pieces) => {
                        pieces.insert(start, b);
                        chunk.without_months()
                    }
                    None => chunk,
                })
            })
            .and_then(|chunk| merger.push(chunk).map_err(|e| e.to_string()));
        match pushed {
            Err(e) => self.stop_job(job, vec![FieldError::new("", e)]),
            Ok(()) if self.sched.is_complete(job) => self.wake(job),
            Ok(()) => {}
        }
    }

    fn stop_job(&mut self, job: JobId, errors: Vec<FieldError>) {
        self.sched.cancel(job);
        if let Some(state) = self.jobs.get_mut(&job) {
            state.stopped = Some(errors);
        }
        self.wake(job);
    }

    fn wake(&mut self, job: JobId) {
        if let Some(f) = self.jobs.get_mut(&job).and_then(|s| s.wake.take()) {
            let _ = f.call0(&JsValue::NULL);
        }
    }

    /// Hands queued chunks to idle workers.
    fn dispatch(&mut self) {
        for a in self.sched.assign(browser::now_ms()) {
            let (Some(state), Some(slot)) = (self.jobs.get(&a.job), self.slots.get(&a.worker))
            else {
                continue;
            };
            let summary = matches!(state.work, Work::Summary { .. });
            let posted = match &state.work {
                Work::Trials { .. } => protocol::to_js(&Request::Run {
                    job: a.job,
                    spec: state.spec.clone(),
                    start: a.start,
                    end: a.end,
                })
                .map_err(JsValue::from)
                .and_then(|msg| slot.worker.post_message(&msg)),
                // Posted once already (`let_go` ends the job if its worker
                // dies with the pieces, so this is not meant to happen).
                Work::Summary { message: None, .. } => Err(JsValue::from_str(
                    "the trials to summarise were handed out already",
                )),
                Work::Summary {
                    message: Some((array, buffers)),
                    ..
                } => protocol::to_js(&Request::Summarize {
                    job: a.job,
                    spec: state.spec.clone(),
                })
                .map_err(JsValue::from)
                .and_then(|msg| {
                    Reflect::set(&msg, &JsValue::from_str(BYTES_KEY), array)?;
                    slot.worker.post_message_with_transfer(&msg, buffers)
                }),
            };
            if let Some(JobState {
                work: Work::Summary { message, .. },
                ..
            }) = self.jobs.get_mut(&a.job)
            {
                if let (Err(_), Some((array, _))) = (&posted, message.take()) {
                    // Not sent, so not transferred: they are still here.
                    if let Some((pieces, count)) = self.lent.remove(&a.job) {
                        pieces.restore(&array, count);
                    }
                }
            }
            if let Err(e) = posted {
                warn(&format!(
                    "could not send work to a background worker: {e:?}"
                ));
                if summary {
                    // Not handed on to another worker: the run reports it.
                    self.stop_job(
                        a.job,
                        vec![FieldError::new(
                            "",
                            "could not hand the trials to a background worker to summarise",
                        )],
                    );
                }
                self.let_go(a.worker);
            }
        }
    }

    /// Terminates a worker; its chunk goes back to the queue, and a worker
    /// that had been running is replaced (one that never started is not:
    /// the next would most likely fail the same way).
    fn let_go(&mut self, id: WorkerId) {
        let replace = self.sched.was_ready(id);
        if let Some((job, _, _)) = self.sched.held(id) {
            if let Some((pieces, _)) = self.lent.remove(&job) {
                // Transferred to this worker: gone with it.
                pieces.lose();
                self.sched.cancel(job);
                if let Some(JobState {
                    work: Work::Summary { lost, .. },
                    ..
                }) = self.jobs.get_mut(&job)
                {
                    *lost = true;
                }
            }
        }
        self.sched.remove_worker(id);
        if let Some(slot) = self.slots.remove(&id) {
            slot.worker.terminate();
            self.retired.push(slot);
        }
        if replace && self.spawn().is_err() {
            warn("could not replace a background worker");
        }
        let jobs: Vec<JobId> = self.jobs.keys().copied().collect();
        for job in jobs {
            self.wake(job);
        }
        self.dispatch();
    }

    /// Gives up overdue workers; drops the closures of those let go earlier.
    fn check(&mut self) {
        self.retired.clear();
        for id in self.sched.overdue(browser::now_ms()) {
            if self.sched.was_ready(id) {
                warn("a background worker did not answer in time; replacing it");
            }
            self.let_go(id);
        }
    }
}
