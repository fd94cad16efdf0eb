//! What trials produce, and how chunks of trials merge.
//!
//! Per-trial values are kept in trial order so that statistics computed from
//! them do not depend on how the run was split: floating-point sums are not
//! associative, so merging partial sums would change the last bits.

use crate::histogram::LogHistogram;
use crate::scenario::Scenario;

/// Attainment values kept per plan, trial by trial from trial 0, for drawing
/// their distribution: every rep of the first `100,000 / reps` trials (at
/// least one trial). Percentiles come from the histogram of all of them.
pub const ATTAINMENT_SAMPLE_VALUES: usize = 100_000;

/// Trials whose attainment values are kept with `reps` reps.
pub fn attainment_sample_trials(reps: usize) -> u64 {
    (ATTAINMENT_SAMPLE_VALUES / reps.max(1)).max(1) as u64
}

/// The outcome of one trial, in buffers reused from trial to trial.
#[derive(Clone, Debug)]
pub struct TrialOut {
    /// Per stage: this trial's conversion rate as drawn, after any lever, goal or
    /// plan adjustment (0..1).
    pub rates: Vec<f64>,
    /// New leads that entered the first stage over the horizon.
    pub leads: u64,
    /// Per month of the horizon: deals won in it.
    pub month_won: Vec<u64>,
    /// Per month of the horizon: revenue won in it.
    pub month_revenue: Vec<f64>,
    /// Per stage: deals in it at the start plus those that came in.
    pub entered: Vec<u64>,
    /// Per stage: deals that moved forward (from the last stage: won).
    pub advanced: Vec<u64>,
    /// Per stage: deals lost at it.
    pub lost: Vec<u64>,
    /// Per stage: deals still open in it at the horizon.
    pub open_end: Vec<u64>,
    /// Per stage with a capacity: weeks in which it was the limit.
    pub full_weeks: Vec<u32>,
    /// Per stage with a capacity: deals ready to leave in the last week that had to wait.
    pub waiting: Vec<u64>,
    /// Open deals today x their chance of being won at this trial's rates x average deal.
    pub pipeline_weighted: f64,
    /// Per rep (when the scenario has a team): value of the deals they won.
    pub bookings: Vec<f64>,
    /// Per plan: what it earned and cost in this trial.
    pub plans: Vec<PlanTrial>,
    /// Words of randomness the trial took, over all its streams: its cost,
    /// which tests bound whatever the volumes.
    pub draws: u64,
}

/// One plan in one trial.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanTrial {
    /// Revenue over the horizon with the plan's effect.
    pub revenue: f64,
    /// Commission, quota bonuses and SPIF.
    pub comp_cost: f64,
    /// SPIF paid (part of `comp_cost`).
    pub spif: f64,
    /// Reps with attainment >= 1.
    pub at_quota: u32,
    /// Per rep: bookings / quota.
    pub attainment: Vec<f64>,
}

impl TrialOut {
    /// Buffers sized for `scenario` (its stages, months and plans).
    pub fn new(scenario: &Scenario) -> TrialOut {
        let stages = scenario.stages.len();
        let months = scenario.horizon_months as usize;
        TrialOut {
            rates: vec![0.0; stages],
            leads: 0,
            month_won: vec![0; months],
            month_revenue: vec![0.0; months],
            entered: vec![0; stages],
            advanced: vec![0; stages],
            lost: vec![0; stages],
            open_end: vec![0; stages],
            full_weeks: vec![0; stages],
            waiting: vec![0; stages],
            pipeline_weighted: 0.0,
            bookings: Vec::new(),
            plans: vec![PlanTrial::default(); scenario.plans.len()],
            draws: 0,
        }
    }

    /// Zeroes the counts a trial adds to, for the next trial (the rest the trial
    /// overwrites).
    pub fn clear(&mut self) {
        self.leads = 0;
        self.draws = 0;
        self.month_won.fill(0);
        self.month_revenue.fill(0.0);
        self.entered.fill(0);
        self.advanced.fill(0);
        self.lost.fill(0);
        self.open_end.fill(0);
        self.full_weeks.fill(0);
        self.waiting.fill(0);
    }

    /// Deals won over the horizon: the sum of `month_won`.
    pub fn won(&self) -> u64 {
        self.month_won.iter().sum()
    }

    /// Fills `entered` and `advanced` from the outcome counts, walking back from
    /// the last stage: every deal that entered a stage moved on, was lost there
    /// or is still there, and what moved on entered the next stage.
    pub fn derive_flows(&mut self, scenario: &Scenario) {
        let mut advanced = self.won();
        for s in (0..scenario.stages.len()).rev() {
            self.advanced[s] = advanced;
            self.entered[s] = advanced + self.lost[s] + self.open_end[s];
            advanced = self.entered[s] - scenario.stages[s].open;
        }
    }
}

/// Per-stage totals over trials, exact in integers (so merge order cannot matter).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageTotals {
    /// Sum over trials of the deals that were in the stage (open today or came in).
    pub entered: u128,
    /// Sum over trials of the deals that moved forward (from the last stage: won).
    pub advanced: u128,
    /// Sum over trials of the deals lost at the stage.
    pub lost: u128,
    /// Sum over trials of the deals still open in the stage at the horizon.
    pub open_end: u128,
    /// Sum over trials of the weeks in which the stage's capacity was the limit.
    pub full_weeks: u128,
    /// Sum over trials of the deals ready to leave in the last week that had to wait.
    pub waiting: u128,
}

impl StageTotals {
    fn add(&mut self, other: &StageTotals) {
        self.entered += other.entered;
        self.advanced += other.advanced;
        self.lost += other.lost;
        self.open_end += other.open_end;
        self.full_weeks += other.full_weeks;
        self.waiting += other.waiting;
    }
}

/// Results of a contiguous range of trials.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// Number of the chunk's first trial (the run's trials are numbered from 0).
    pub start: u64,
    /// Months per trial in `month_revenue`: the horizon, or 0 once
    /// [`Chunk::without_months`] has dropped them.
    pub months: usize,
    /// Per trial: revenue over the horizon (its months summed in order).
    pub revenue: Vec<f64>,
    /// Per trial: deals won.
    pub won: Vec<u64>,
    /// Per trial: deals lost, all stages together.
    pub lost: Vec<u64>,
    /// Per trial: new leads.
    pub leads: Vec<u64>,
    /// Per trial: deals still open at the horizon, all stages together.
    pub open_end: Vec<u64>,
    /// `len * months` values, trial-major.
    pub month_revenue: Vec<f64>,
    /// Per stage: totals over the chunk's trials.
    pub stages: Vec<StageTotals>,
    /// Per plan: its per-trial results.
    pub plans: Vec<PlanChunk>,
    /// Per trial: the open pipeline's weighted value ([`TrialOut::pipeline_weighted`]).
    pub pipeline_weighted: Vec<f64>,
}

/// One plan's per-trial results, in trial order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanChunk {
    /// Per trial: revenue over the horizon with the plan's effect.
    pub revenue: Vec<f64>,
    /// Per trial: comp cost (commission, quota bonuses and SPIF).
    pub comp_cost: Vec<f64>,
    /// Per trial: SPIF paid.
    pub spif: Vec<f64>,
    /// Per trial: reps with attainment >= 1.
    pub at_quota: Vec<u32>,
    /// Every rep's attainment, trial-major, for the trials before
    /// `attainment_sample_trials(reps)` only: a bounded sample for charts.
    pub attainment: Vec<f64>,
    /// Every rep's attainment in every trial, as counts (for percentiles).
    pub attainment_histogram: LogHistogram,
}

impl PlanChunk {
    fn push(&mut self, trial: u64, t: &PlanTrial) {
        self.revenue.push(t.revenue);
        self.comp_cost.push(t.comp_cost);
        self.spif.push(t.spif);
        self.at_quota.push(t.at_quota);
        if trial < attainment_sample_trials(t.attainment.len()) {
            self.attainment.extend_from_slice(&t.attainment);
        }
        for &a in &t.attainment {
            self.attainment_histogram.push(a);
        }
    }

    fn append(&mut self, next: PlanChunk) {
        self.revenue.extend(next.revenue);
        self.comp_cost.extend(next.comp_cost);
        self.spif.extend(next.spif);
        self.at_quota.extend(next.at_quota);
        self.attainment.extend(next.attainment);
        self.attainment_histogram.merge(&next.attainment_histogram);
    }
}

impl Chunk {
    /// An empty chunk of trials from `start`, with room for `capacity` trials.
    pub fn new(scenario: &Scenario, start: u64, capacity: usize) -> Chunk {
        let months = scenario.horizon_months as usize;
        Chunk {
            start,
            months,
            revenue: Vec::with_capacity(capacity),
            won: Vec::with_capacity(capacity),
            lost: Vec::with_capacity(capacity),
            leads: Vec::with_capacity(capacity),
            open_end: Vec::with_capacity(capacity),
            month_revenue: Vec::with_capacity(capacity * months),
            stages: vec![StageTotals::default(); scenario.stages.len()],
            plans: vec![PlanChunk::default(); scenario.plans.len()],
            pipeline_weighted: Vec::with_capacity(capacity),
        }
    }

    /// Trials in the chunk.
    pub fn len(&self) -> usize {
        self.revenue.len()
    }

    /// Whether the chunk holds no trials.
    pub fn is_empty(&self) -> bool {
        self.revenue.is_empty()
    }

    /// The trial after the chunk's last: the chunk holds trials `start..end()`.
    pub fn end(&self) -> u64 {
        self.start + self.len() as u64
    }

    /// The chunk without its revenue month by month, which only the summary
    /// reads (`Summary::new` needs the whole chunk): by far its largest part,
    /// `len * months` values, so a holder that leaves the summary to someone
    /// else (the page, whose workers summarise) keeps the rest of it only.
    pub fn without_months(mut self) -> Chunk {
        self.months = 0;
        self.month_revenue = Vec::new();
        self
    }

    /// Appends trial `end()`'s outcome.
    pub fn push(&mut self, t: &TrialOut) {
        let trial = self.end();
        // Summed month by month in order, so the total is the same bits as the
        // cumulative revenue at the last month.
        let mut revenue = 0.0;
        for &r in &t.month_revenue {
            revenue += r;
        }
        self.revenue.push(revenue);
        self.won.push(t.won());
        self.lost.push(t.lost.iter().sum());
        self.leads.push(t.leads);
        self.open_end.push(t.open_end.iter().sum());
        self.month_revenue.extend_from_slice(&t.month_revenue);
        self.pipeline_weighted.push(t.pipeline_weighted);
        for (s, totals) in self.stages.iter_mut().enumerate() {
            totals.entered += t.entered[s] as u128;
            totals.advanced += t.advanced[s] as u128;
            totals.lost += t.lost[s] as u128;
            totals.open_end += t.open_end[s] as u128;
            totals.full_weeks += t.full_weeks[s] as u128;
            totals.waiting += t.waiting[s] as u128;
        }
        for (plan, result) in self.plans.iter_mut().zip(&t.plans) {
            plan.push(trial, result);
        }
    }

    /// Appends the next chunk (which must start where this one ends).
    fn append(&mut self, next: Chunk) {
        self.revenue.extend(next.revenue);
        self.won.extend(next.won);
        self.lost.extend(next.lost);
        self.leads.extend(next.leads);
        self.open_end.extend(next.open_end);
        self.month_revenue.extend(next.month_revenue);
        self.pipeline_weighted.extend(next.pipeline_weighted);
        for (a, b) in self.stages.iter_mut().zip(&next.stages) {
            a.add(b);
        }
        for (a, b) in self.plans.iter_mut().zip(next.plans) {
            a.append(b);
        }
    }
}

/// Why chunks cannot be merged into one run's trials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// Trials missing or covered twice at this trial number.
    Gap {
        /// The trial number at which the chunks stop fitting together.
        at: u64,
    },
    /// Chunks from runs with a different number of months or stages.
    Mismatch,
    /// No chunk held a trial.
    Empty,
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::Gap { at } => write!(f, "chunks do not cover the trials at trial {at}"),
            MergeError::Mismatch => f.write_str("chunks come from different scenarios"),
            MergeError::Empty => f.write_str("no trials to merge"),
        }
    }
}

impl std::error::Error for MergeError {}

/// Merges chunks that arrive in any order into the run's trials `0..n`.
pub fn merge(chunks: Vec<Chunk>) -> Result<Chunk, MergeError> {
    merge_from(0, chunks)
}

/// Merges chunks that arrive in any order into trials `first..n`: the part
/// of a run that an extended run adds, before it joins the trials it had.
pub fn merge_from(first: u64, mut chunks: Vec<Chunk>) -> Result<Chunk, MergeError> {
    chunks.retain(|c| !c.is_empty());
    chunks.sort_by_key(|c| c.start);
    let mut iter = chunks.into_iter();
    let mut all = iter.next().ok_or(MergeError::Empty)?;
    if all.start != first {
        return Err(MergeError::Gap { at: first });
    }
    for next in iter {
        if next.start != all.end() {
            return Err(MergeError::Gap { at: all.end() });
        }
        if next.months != all.months
            || next.stages.len() != all.stages.len()
            || next.plans.len() != all.plans.len()
        {
            return Err(MergeError::Mismatch);
        }
        all.append(next);
    }
    Ok(all)
}
