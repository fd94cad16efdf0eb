//! The reverse funnel: what lead volume, or what conversion at one stage,
//! reaches the target with a required confidence.
//!
//! Every candidate runs on the same seed, so the chance of the target moves
//! smoothly with the candidate (common random numbers) and bisection settles
//! on a value instead of chasing sampling noise.

use serde::Serialize;

use crate::scenario::Scenario;
use crate::sim::Adjustment;
use crate::{FieldError, ScenarioErrors, Simulation};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GoalLever {
    /// Expected leads per month in month 1.
    Leads,
    /// Mean conversion of one stage.
    Conversion { stage: usize },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalAnswer {
    #[serde(flatten)]
    pub lever: GoalLever,
    pub confidence: f64,
    /// Whether some value within bounds reaches the confidence.
    pub reachable: bool,
    /// The smallest value found that reaches it (or the bound tried, when not reachable).
    pub value: f64,
    /// Chance of the target at `value`, and its standard error.
    pub probability: f64,
    pub probability_se: f64,
    /// The value today, for comparison.
    pub current: f64,
    /// One sentence for people.
    pub message: String,
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
            .ok_or_else(|| format!("`{name}` is not a stage of this funnel"));
    }
    Err(format!("`{text}`: use `leads` or `conversion:STAGE`"))
}

fn chance(sim: &Simulation, target: f64) -> (f64, f64) {
    let all = sim.run_all();
    let n = all.len().max(1) as f64;
    let p = all.revenue.iter().filter(|&&r| r >= target).count() as f64 / n;
    (p, libm::sqrt(p * (1.0 - p) / n))
}

/// Finds the smallest value of `lever` at which P(revenue >= target) >= confidence.
pub fn solve(
    scenario: &Scenario,
    lever: &GoalLever,
    confidence: f64,
    trials: u64,
    seed: u64,
) -> Result<GoalAnswer, ScenarioErrors> {
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
    let (current, lo, hi) = match *lever {
        GoalLever::Leads => {
            let now = scenario.leads.per_month;
            (now, 0.0, (now * 20.0).max(1_000.0))
        }
        GoalLever::Conversion { stage } => (scenario.stages[stage].conversion.mean(), 0.0, 1.0),
    };
    // Plans do not change the headline revenue; leaving them out saves their reruns.
    let mut headline = scenario.clone();
    headline.plans.clear();
    let scenario = &headline;
    let run = |x: f64| -> Result<(f64, f64), ScenarioErrors> {
        let sim = match *lever {
            GoalLever::Leads => {
                let mut s = scenario.clone();
                s.leads.per_month = x;
                Simulation::new(&s, trials, seed)?
            }
            GoalLever::Conversion { stage } => {
                // Scale the drawn rate so its mean is x: the stage keeps its
                // uncertainty and every other draw stays the same.
                let mean = scenario.stages[stage].conversion.mean();
                let mut a = Adjustment::none(scenario.stages.len());
                if mean > 0.0 {
                    a.rate_scale[stage] = x / mean;
                } else {
                    a.rate_add[stage] = x;
                }
                Simulation::new(scenario, trials, seed)?.with_adjustment(a)
            }
        };
        Ok(chance(&sim, target))
    };
    let what = match *lever {
        GoalLever::Leads => "leads per month".to_string(),
        GoalLever::Conversion { stage } => format!("conversion at {}", scenario.stages[stage].name),
    };
    let (p_hi, se_hi) = run(hi)?;
    if p_hi < confidence {
        return Ok(GoalAnswer {
            lever: lever.clone(),
            confidence,
            reachable: false,
            value: hi,
            probability: p_hi,
            probability_se: se_hi,
            current,
            message: format!(
                "No value of {what} up to {} reaches the target with {:.0}% confidence: even there the chance is {:.1}%.",
                show(lever, hi),
                confidence * 100.0,
                p_hi * 100.0
            ),
        });
    }
    let (mut lo, mut hi, mut at_hi) = (lo, hi, (p_hi, se_hi));
    let (p_lo, se_lo) = run(lo)?;
    if p_lo >= confidence {
        hi = lo;
        at_hi = (p_lo, se_lo);
    } else {
        // Relative precision for leads, absolute (0.1 pt) for a rate.
        let precise = |lo: f64, hi: f64| match lever {
            GoalLever::Leads => hi - lo <= 0.002 * hi.max(1.0),
            GoalLever::Conversion { .. } => hi - lo <= 0.001,
        };
        while !precise(lo, hi) {
            let mid = 0.5 * (lo + hi);
            let at = run(mid)?;
            if at.0 >= confidence {
                hi = mid;
                at_hi = at;
            } else {
                lo = mid;
            }
        }
    }
    Ok(GoalAnswer {
        lever: lever.clone(),
        confidence,
        reachable: true,
        value: hi,
        probability: at_hi.0,
        probability_se: at_hi.1,
        current,
        message: format!(
            "To reach the target with {:.0}% confidence you need {what} of about {} (today: {}).",
            confidence * 100.0,
            show(lever, hi),
            show(lever, current)
        ),
    })
}

fn show(lever: &GoalLever, x: f64) -> String {
    match lever {
        GoalLever::Leads => format!("{:.0}", x),
        GoalLever::Conversion { .. } => format!("{:.1}%", x * 100.0),
    }
}
