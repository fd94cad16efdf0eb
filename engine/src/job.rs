//! Work as plain data, so that it can cross a thread or worker boundary and
//! be run anywhere with the same result.
//!
//! A `RunSpec` names one simulation: a scenario, its trials and seed, and the
//! change a lever or a goal candidate makes. The lever sweep and the goal
//! search are state machines that hand out one `RunSpec` at a time and take
//! back its merged trials: `levers::sensitivity` and `goal::solve` are loops
//! over them, and the app drives the same machines with its workers, so both
//! give the same answers to the bit.

use serde::{Deserialize, Serialize};

use crate::goal::{self, GoalAnswer, GoalLever};
use crate::levers::{self, Direction, Lever, LeverEffect, LeverKind};
use crate::{Chunk, Scenario, ScenarioErrors, Simulation};

/// One simulation to run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSpec {
    /// The scenario in its file format (the JSON a link carries).
    pub scenario: String,
    /// Trials to run.
    pub trials: u64,
    /// Seed of the run; a lever or goal run takes the baseline's, to share its
    /// random numbers.
    pub seed: u64,
    /// What the run changes against `scenario`.
    pub change: Change,
}

/// What a run changes against its scenario, on the same random numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The scenario as it is (the headline, with its plans).
    None,
    /// One lever pulled (plans left out: they do not change the headline).
    Lever {
        /// Which lever.
        lever: LeverKind,
        /// Which way it moves its input.
        direction: Direction,
    },
    /// A goal candidate: the lever set to `value` (plans left out): leads a month
    /// in month 1, or a stage's mean conversion 0..1.
    Goal {
        /// What the goal search changes.
        lever: GoalLever,
        /// The value it tries (leads a month, or a rate).
        value: f64,
    },
}

impl RunSpec {
    /// The spec of a run of `scenario`, carried as its JSON.
    pub fn new(scenario: &Scenario, trials: u64, seed: u64, change: Change) -> RunSpec {
        RunSpec {
            scenario: scenario.to_json(),
            trials,
            seed,
            change,
        }
    }

    /// The simulation this spec names (its scenario read and checked again:
    /// a spec may come from anywhere).
    pub fn simulation(&self) -> Result<Simulation, ScenarioErrors> {
        // `Simulation::new` validates the scenario it runs. Without a change
        // that is this one, and reading it is enough; a lever or a goal runs
        // a changed scenario, so the one given is validated here.
        let scenario = match self.change {
            Change::None => crate::parse::parse(&self.scenario)?.0,
            _ => Scenario::from_json(&self.scenario)?,
        };
        match &self.change {
            Change::None => Simulation::new(&scenario, self.trials, self.seed),
            Change::Lever { lever, direction } => {
                lever.simulation(&scenario, *direction, self.trials, self.seed)
            }
            Change::Goal { lever, value } => {
                goal::candidate(&scenario, lever, *value, self.trials, self.seed)
            }
        }
    }
}

/// Every lever's effect, one rerun at a time.
#[derive(Clone, Debug)]
pub struct LeverSweep {
    scenario: Scenario,
    trials: u64,
    seed: u64,
    levers: Vec<Lever>,
    effects: Vec<LeverEffect>,
}

impl LeverSweep {
    /// A sweep over every lever `scenario` offers ([`Lever::all`]), each run on
    /// `trials` and `seed`.
    pub fn new(scenario: &Scenario, trials: u64, seed: u64) -> LeverSweep {
        LeverSweep {
            levers: Lever::all(scenario),
            scenario: scenario.clone(),
            trials,
            seed,
            effects: Vec::new(),
        }
    }

    /// Levers run so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.effects.len(), self.levers.len())
    }

    /// The next lever to run, and its run; `None` once every lever has run.
    pub fn next(&self) -> Option<(&Lever, RunSpec)> {
        let lever = self.levers.get(self.effects.len())?;
        let change = Change::Lever {
            lever: lever.kind.clone(),
            direction: lever.direction,
        };
        Some((
            lever,
            RunSpec::new(&self.scenario, self.trials, self.seed, change),
        ))
    }

    /// Records the next lever's trials against the baseline's.
    pub fn record(&mut self, base: &Chunk, changed: &Chunk) {
        if let Some(lever) = self.levers.get(self.effects.len()) {
            let target = self.scenario.target.as_ref().map(|t| t.revenue);
            self.effects
                .push(LeverEffect::new(lever.clone(), base, changed, target));
        }
    }

    /// The effects recorded so far, largest first.
    pub fn effects(&self) -> Vec<LeverEffect> {
        let mut effects = self.effects.clone();
        levers::rank(&mut effects);
        effects
    }
}

/// The reverse funnel as a bisection that asks for one candidate at a time:
/// `next_candidate`, run it, `record` its trials, until `answer` is there.
#[derive(Clone, Debug)]
pub struct GoalSearch {
    /// The scenario without its plans (they do not change the headline).
    scenario: Scenario,
    lever: GoalLever,
    confidence: f64,
    target: f64,
    trials: u64,
    seed: u64,
    bounds: goal::Bounds,
    phase: Phase,
    runs: usize,
}

#[derive(Clone, Debug)]
enum Phase {
    /// Trying the top of the range: is the target reachable at all?
    High,
    /// Trying the bottom: is it reached already?
    Low {
        at_hi: (f64, f64),
    },
    Bisect {
        lo: f64,
        hi: f64,
        at_hi: (f64, f64),
    },
    Done(GoalAnswer),
}

impl GoalSearch {
    /// A search for the smallest value of `lever` at which the chance of the target
    /// is at least `confidence` (strictly between 0 and 1); refused without a target.
    pub fn new(
        scenario: &Scenario,
        lever: &GoalLever,
        confidence: f64,
        trials: u64,
        seed: u64,
    ) -> Result<GoalSearch, ScenarioErrors> {
        let (target, bounds) = goal::check(scenario, lever, confidence)?;
        let mut headline = scenario.clone();
        headline.plans.clear();
        Ok(GoalSearch {
            scenario: headline,
            lever: lever.clone(),
            confidence,
            target,
            trials,
            seed,
            bounds,
            phase: Phase::High,
            runs: 0,
        })
    }

    /// Candidates run so far.
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// The lever being solved for.
    pub fn lever(&self) -> &GoalLever {
        &self.lever
    }

    /// How many candidates the whole search will have run, as far as can be
    /// told now (exact once it is done): for progress bars.
    pub fn estimated_runs(&self) -> usize {
        let halvings = |lo: f64, hi: f64| -> usize {
            let mut width = hi - lo;
            let mut n = 0;
            while !self.is_precise(hi - width, hi) && n < 64 {
                width /= 2.0;
                n += 1;
            }
            n
        };
        let (lo, hi) = (self.bounds.lo, self.bounds.hi);
        match &self.phase {
            Phase::High => 2 + halvings(lo, hi),
            Phase::Low { .. } => self.runs + 1 + halvings(lo, hi),
            Phase::Bisect { lo, hi, .. } => self.runs + halvings(*lo, *hi),
            Phase::Done(_) => self.runs,
        }
    }

    /// The bisection stops once the interval is this narrow: relative for
    /// leads, a tenth of a point for a rate.
    fn is_precise(&self, lo: f64, hi: f64) -> bool {
        match self.lever {
            GoalLever::Leads => hi - lo <= 0.002 * hi.max(1.0),
            GoalLever::Conversion { .. } => hi - lo <= 0.001,
        }
    }

    /// The value to try next; `None` once the answer is known.
    pub fn next_candidate(&self) -> Option<f64> {
        match &self.phase {
            Phase::High => Some(self.bounds.hi),
            Phase::Low { .. } => Some(self.bounds.lo),
            Phase::Bisect { lo, hi, .. } => Some(0.5 * (lo + hi)),
            Phase::Done(_) => None,
        }
    }

    /// The run of a candidate.
    pub fn spec(&self, value: f64) -> RunSpec {
        let change = Change::Goal {
            lever: self.lever.clone(),
            value,
        };
        RunSpec::new(&self.scenario, self.trials, self.seed, change)
    }

    /// Records the trials of the candidate `next_candidate` gave.
    pub fn record(&mut self, all: &Chunk) {
        let Some(x) = self.next_candidate() else {
            return;
        };
        self.runs += 1;
        let at = goal::chance(all, self.target);
        let reached = at.0 >= self.confidence;
        let answer = |value: f64, at: (f64, f64), reachable: bool| {
            goal::answer(
                &self.scenario,
                &self.lever,
                self.confidence,
                &self.bounds,
                value,
                at,
                reachable,
            )
        };
        self.phase = match self.phase.clone() {
            Phase::High if !reached => Phase::Done(answer(x, at, false)),
            Phase::High => Phase::Low { at_hi: at },
            Phase::Low { .. } if reached => Phase::Done(answer(x, at, true)),
            Phase::Low { at_hi } => self.bisect(self.bounds.lo, self.bounds.hi, at_hi),
            Phase::Bisect { lo, hi, at_hi } => {
                if reached {
                    self.bisect(lo, x, at)
                } else {
                    self.bisect(x, hi, at_hi)
                }
            }
            done @ Phase::Done(_) => done,
        };
    }

    fn bisect(&self, lo: f64, hi: f64, at_hi: (f64, f64)) -> Phase {
        if self.is_precise(lo, hi) {
            Phase::Done(goal::answer(
                &self.scenario,
                &self.lever,
                self.confidence,
                &self.bounds,
                hi,
                at_hi,
                true,
            ))
        } else {
            Phase::Bisect { lo, hi, at_hi }
        }
    }

    /// The answer, once the search has settled.
    pub fn answer(&self) -> Option<&GoalAnswer> {
        match &self.phase {
            Phase::Done(a) => Some(a),
            _ => None,
        }
    }
}
