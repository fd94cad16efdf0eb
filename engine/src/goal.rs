//! The reverse funnel: what lead volume, or what conversion at one stage,
//! reaches the target with a required confidence.
//!
//! Every candidate runs on the same seed, so the chance of the target moves
//! smoothly with the candidate (common random numbers) and bisection settles
//! on a value instead of chasing sampling noise. `bounds` says where the
//! search looks: the app's step-by-step search must look in the same place
//! to give the same answer.

use serde::{Deserialize, Serialize};

use crate::cli::quoted;
use crate::job::GoalSearch;
use crate::scenario::Scenario;
use crate::sim::Adjustment;
use crate::{Chunk, FieldError, ScenarioErrors, Simulation, parallel};

/// What the reverse funnel solves for: the `kind` tag in the JSON, with `stage`
/// the index of the stage (from 0) for a conversion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GoalLever {
    /// Expected leads per month in month 1.
    Leads,
    /// Mean conversion of one stage.
    Conversion {
        /// The stage's index.
        stage: usize,
    },
}

/// The reverse funnel's answer (the summary's `goal`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalAnswer {
    /// What was solved for (flattened into the JSON).
    #[serde(flatten)]
    pub lever: GoalLever,
    /// The chance of the target that was asked for, strictly between 0 and 1.
    pub confidence: f64,
    /// Whether some value within bounds reaches the confidence.
    pub reachable: bool,
    /// The smallest value found that reaches it (or the bound tried, when not reachable):
    /// leads a month in month 1, or a mean conversion 0..1. The bisection stops within
    /// 0.2% for leads and a tenth of a point for a rate.
    pub value: f64,
    /// Chance of the target at `value`: the share of trials with revenue >= target.
    pub probability: f64,
    /// Monte Carlo error of `probability`: sqrt(p(1-p)/trials).
    pub probability_se: f64,
    /// The value today, for comparison.
    pub current: f64,
    /// One sentence for people.
    pub message: String,
}

impl GoalAnswer {
    /// The value a what-if sets: leads rounded up to a whole number, a rate
    /// rounded up to a tenth of a point (so the confidence still holds).
    pub fn applied_value(&self) -> f64 {
        match self.lever {
            GoalLever::Leads => libm::ceil(self.value),
            GoalLever::Conversion { .. } => {
                (libm::ceil(self.value * 1000.0 - 1e-9) / 1000.0).min(1.0)
            }
        }
    }

    /// The scenario with the answer applied as a what-if: the lead volume
    /// set, or the stage's conversion moved to the answer (`Conversion::with_mean`).
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut s = scenario.clone();
        let value = self.applied_value();
        match self.lever {
            GoalLever::Leads => s.leads.per_month = value,
            GoalLever::Conversion { stage } => {
                if let Some(st) = s.stages.get_mut(stage) {
                    st.conversion = st.conversion.with_mean(value);
                }
            }
        }
        s
    }
}

/// Parses `leads` or `conversion:STAGE NAME` (as given on the command line).
pub fn parse_lever(text: &str, scenario: &Scenario) -> Result<GoalLever, String> {
    if text == "leads" {
        return Ok(GoalLever::Leads);
    }
    if let Some(name) = text.strip_prefix("conversion:") {
        return scenario
            .stages
            .iter()
            .position(|s| s.name == name)
            .map(|stage| GoalLever::Conversion { stage })
            .ok_or_else(|| format!("{} is not a stage of this funnel", quoted(name)));
    }
    Err(format!(
        "{}: use `leads` or `conversion:STAGE`",
        quoted(text)
    ))
}

/// Where the search looks for the answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// The lever's value today.
    pub current: f64,
    /// Bottom of the interval searched: 0.
    pub lo: f64,
    /// Top of the interval searched: for leads 20 times today's volume (at least
    /// 1,000 a month) but never past the model's limit; for a conversion 1.
    pub hi: f64,
    /// `hi` is the model's limit on lead volume (MODEL.md, "Bounds"), lower
    /// than the search would otherwise go, so an unreachable answer is the
    /// limit's doing and the message says so.
    pub at_limit: bool,
}

/// The interval `solve` searches: for leads, up to 20 times today's volume
/// (at least 1,000 a month, so that a funnel with no leads yet has somewhere
/// to look) but never past what the scenario's growth allows; for a
/// conversion, 0 to 1.
pub fn bounds(scenario: &Scenario, lever: &GoalLever) -> Result<Bounds, ScenarioErrors> {
    match *lever {
        GoalLever::Leads => {
            let now = scenario.leads.per_month;
            // A few ulps below the limit: the limit times the growth factor
            // may round to just above a trillion, which validation refuses.
            let limit = scenario.max_leads_per_month() * (1.0 - 4.0 * f64::EPSILON);
            let reach = (now * 20.0).max(1_000.0);
            Ok(Bounds {
                current: now,
                lo: 0.0,
                hi: reach.min(limit),
                at_limit: reach > limit,
            })
        }
        GoalLever::Conversion { stage } => match scenario.stages.get(stage) {
            Some(s) => Ok(Bounds {
                current: s.conversion.mean(),
                lo: 0.0,
                hi: 1.0,
                at_limit: false,
            }),
            None => Err(ScenarioErrors(vec![FieldError::new(
                "stages",
                "has no such stage",
            )])),
        },
    }
}

/// The chance of the target in `all`'s trials, and its standard error.
pub(crate) fn chance(all: &Chunk, target: f64) -> (f64, f64) {
    let n = all.len().max(1) as f64;
    let p = all.revenue.iter().filter(|&&r| r >= target).count() as f64 / n;
    (p, libm::sqrt(p * (1.0 - p) / n))
}

/// The target, and where to search, once the question is known to make sense.
pub(crate) fn check(
    scenario: &Scenario,
    lever: &GoalLever,
    confidence: f64,
) -> Result<(f64, Bounds), ScenarioErrors> {
    let Some(target) = scenario.target.as_ref().map(|t| t.revenue) else {
        return Err(ScenarioErrors(vec![FieldError::new(
            "target.revenue",
            "is needed to work out what it takes to reach it",
        )]));
    };
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(ScenarioErrors(vec![FieldError::new(
            "confidence",
            "must be between 0 and 1 (exclusive), e.g. 0.8",
        )]));
    }
    Ok((target, bounds(scenario, lever)?))
}

/// The headline's simulation with `lever` set to `value`, on the same seed.
/// Plans are left out: they do not change the headline revenue.
pub fn candidate(
    scenario: &Scenario,
    lever: &GoalLever,
    value: f64,
    trials: u64,
    seed: u64,
) -> Result<Simulation, ScenarioErrors> {
    let mut s = scenario.clone();
    s.plans.clear();
    match *lever {
        GoalLever::Leads => {
            s.leads.per_month = value;
            Simulation::new(&s, trials, seed)
        }
        GoalLever::Conversion { stage } => {
            // Scale the drawn rate so its mean is the value: the stage keeps
            // its uncertainty and every other draw stays the same.
            let Some(st) = s.stages.get(stage) else {
                return Err(ScenarioErrors(vec![FieldError::new(
                    "stages",
                    "has no such stage",
                )]));
            };
            let mean = st.conversion.mean();
            let mut a = Adjustment::none(s.stages.len());
            if mean > 0.0 {
                a.rate_scale[stage] = value / mean;
            } else {
                a.rate_add[stage] = value;
            }
            Ok(Simulation::new(&s, trials, seed)?.with_adjustment(a))
        }
    }
}

/// The answer and its sentence, once the search has settled on `value`.
pub(crate) fn answer(
    scenario: &Scenario,
    lever: &GoalLever,
    confidence: f64,
    bounds: &Bounds,
    value: f64,
    (probability, probability_se): (f64, f64),
    reachable: bool,
) -> GoalAnswer {
    let what = match *lever {
        GoalLever::Leads => "leads per month".to_string(),
        GoalLever::Conversion { stage } => format!("conversion at {}", scenario.stages[stage].name),
    };
    let message = if reachable {
        format!(
            "To reach the target with {:.0}% confidence you need {what} of about {} (today: {}).",
            confidence * 100.0,
            show(lever, value),
            show(lever, bounds.current)
        )
    } else {
        let mut message = format!(
            "No value of {what} up to {} reaches the target with {:.0}% confidence: even there the chance is {:.1}%.",
            show(lever, value),
            confidence * 100.0,
            probability * 100.0
        );
        if bounds.at_limit {
            message.push_str(
                " The search stopped there because that is the model's limit: expected leads may not pass a trillion in any month of the horizon, which with this growth caps month 1 at that volume.",
            );
        }
        message
    };
    GoalAnswer {
        lever: lever.clone(),
        confidence,
        reachable,
        value,
        probability,
        probability_se,
        current: bounds.current,
        message,
    }
}

/// Finds the smallest value of `lever` at which P(revenue >= target) >= confidence,
/// running every candidate on the calling thread.
pub fn solve(
    scenario: &Scenario,
    lever: &GoalLever,
    confidence: f64,
    trials: u64,
    seed: u64,
) -> Result<GoalAnswer, ScenarioErrors> {
    search(scenario, lever, confidence, trials, seed, |sim| {
        Ok(sim.run_all())
    })
}

/// `solve` with every candidate's trials spread over `threads`: the same
/// answer, to the bit, for any number of threads.
pub fn solve_threads(
    scenario: &Scenario,
    lever: &GoalLever,
    confidence: f64,
    trials: u64,
    seed: u64,
    threads: usize,
) -> Result<GoalAnswer, parallel::Error> {
    search(scenario, lever, confidence, trials, seed, |sim| {
        Ok(parallel::run_parallel(sim, threads)?)
    })
}

/// The bisection (`job::GoalSearch`), with `run_all` running each candidate's trials.
fn search<E: From<ScenarioErrors>>(
    scenario: &Scenario,
    lever: &GoalLever,
    confidence: f64,
    trials: u64,
    seed: u64,
    run_all: impl Fn(&Simulation) -> Result<Chunk, E>,
) -> Result<GoalAnswer, E> {
    let mut search = GoalSearch::new(scenario, lever, confidence, trials, seed)?;
    while let Some(value) = search.next_candidate() {
        let sim = search.spec(value).simulation()?;
        search.record(&run_all(&sim)?);
    }
    match search.answer() {
        Some(answer) => Ok(answer.clone()),
        None => Err(ScenarioErrors(vec![FieldError::new("", "the search did not settle")]).into()),
    }
}

fn show(lever: &GoalLever, x: f64) -> String {
    match lever {
        GoalLever::Leads => format!("{:.0}", x),
        GoalLever::Conversion { .. } => format!("{:.1}%", x * 100.0),
    }
}
