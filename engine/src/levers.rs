//! Sensitivity: which lever moves revenue most.
//!
//! Each lever reruns the model with one change and the same seed, so the
//! changed run shares every random draw with the baseline (common random
//! numbers) and the difference, trial by trial, is the lever's effect and not
//! sampling noise. Conversion and lead levers change the drawn values
//! (`Adjustment`); days, deal size and capacity change the scenario.

use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;
use crate::sim::Adjustment;
use crate::summary::MeanSe;
use crate::{Chunk, ScenarioErrors, Simulation};

/// What a lever changes and by how much: the `kind` tag in the JSON, with
/// `stage` the index of the stage (from 0) where there is one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeverKind {
    /// +5 percentage points on a stage's conversion, capped at 100%.
    ConversionPoints {
        /// The stage's index.
        stage: usize,
    },
    /// +10% of a stage's conversion, capped at 100%.
    ConversionRelative {
        /// The stage's index.
        stage: usize,
    },
    /// -10% on a stage's average days.
    Days {
        /// The stage's index.
        stage: usize,
    },
    /// +10% lead volume.
    Leads,
    /// +10% on every deal's value.
    DealSize,
    /// +10% on a stage's weekly capacity (at least one more deal).
    Capacity {
        /// The stage's index.
        stage: usize,
    },
}

/// One lever of the sensitivity sweep, with the words the app's chart shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lever {
    /// What it changes (flattened into the JSON as `kind` and `stage`).
    #[serde(flatten)]
    pub kind: LeverKind,
    /// What is changed, in words: "Proposal conversion".
    pub lever: String,
    /// The change, written on the bar: "+5 pts".
    pub change: String,
    /// The unit of `change`, in words: "percentage points", "% of the rate".
    pub unit: String,
}

impl Lever {
    fn new(kind: LeverKind, lever: String, change: &str, unit: &str) -> Lever {
        Lever {
            kind,
            lever,
            change: change.into(),
            unit: unit.into(),
        }
    }

    /// Every lever the scenario offers, in a stable order.
    pub fn all(scenario: &Scenario) -> Vec<Lever> {
        use LeverKind::*;
        let stages = || scenario.stages.iter().enumerate();
        let mut levers = Vec::new();
        for (i, s) in stages() {
            let what = format!("{} conversion", s.name);
            levers.push(Lever::new(
                ConversionPoints { stage: i },
                what.clone(),
                "+5 pts",
                "percentage points",
            ));
            levers.push(Lever::new(
                ConversionRelative { stage: i },
                what,
                "+10%",
                "% of the rate",
            ));
        }
        for (i, s) in stages().filter(|(_, s)| s.days > 0.0) {
            levers.push(Lever::new(
                Days { stage: i },
                format!("{} days", s.name),
                "-10%",
                "% of the days",
            ));
        }
        levers.push(Lever::new(
            Leads,
            "Lead volume".into(),
            "+10%",
            "% of leads",
        ));
        levers.push(Lever::new(
            DealSize,
            "Deal size".into(),
            "+10%",
            "% of deal value",
        ));
        for (i, s) in stages().filter(|(_, s)| s.capacity_per_week.is_some()) {
            let what = format!("{} capacity", s.name);
            levers.push(Lever::new(
                Capacity { stage: i },
                what,
                "+10%",
                "% of deals a week",
            ));
        }
        // A lever that would carry the scenario past the model's bounds (a deal
        // size above 1e9, leads above a trillion a month) is not offered: its
        // run would be refused, and no answer is better than a wrong one.
        levers.retain(|l| l.within_bounds(scenario));
        levers
    }

    fn within_bounds(&self, scenario: &Scenario) -> bool {
        match self.kind {
            LeverKind::Leads => scenario.leads.per_month * 1.1 <= scenario.max_leads_per_month(),
            LeverKind::ConversionPoints { .. } | LeverKind::ConversionRelative { .. } => true,
            _ => self.apply(scenario).validate().is_ok(),
        }
    }

    /// The baseline's simulation with this lever pulled, on the same seed.
    pub fn simulation(
        &self,
        scenario: &Scenario,
        trials: u64,
        seed: u64,
    ) -> Result<Simulation, ScenarioErrors> {
        self.kind.simulation(scenario, trials, seed)
    }

    /// The scenario with this lever pulled, as a what-if the user can keep.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        self.kind.apply(scenario)
    }
}

impl LeverKind {
    /// The baseline's simulation with this lever pulled, on the same seed.
    pub fn simulation(
        &self,
        scenario: &Scenario,
        trials: u64,
        seed: u64,
    ) -> Result<Simulation, ScenarioErrors> {
        if let Some(stage) = self.stage() {
            if stage >= scenario.stages.len() {
                return Err(ScenarioErrors(vec![crate::FieldError::new(
                    "stages",
                    "has no such stage",
                )]));
            }
        }
        let mut adjustment = Adjustment::none(scenario.stages.len());
        // Plans do not change the headline (each reruns the funnel on its own),
        // so a lever's run leaves them out; the team stays, so deal values are
        // drawn the same way as in the baseline.
        let mut changed = scenario.clone();
        changed.plans.clear();
        match *self {
            LeverKind::ConversionPoints { stage } => adjustment.rate_add[stage] = 0.05,
            LeverKind::ConversionRelative { stage } => adjustment.rate_scale[stage] = 1.1,
            LeverKind::Leads => adjustment.leads_scale = 1.1,
            LeverKind::Days { .. } | LeverKind::DealSize | LeverKind::Capacity { .. } => {
                changed = self.apply(&changed);
            }
        }
        Ok(Simulation::new(&changed, trials, seed)?.with_adjustment(adjustment))
    }

    fn stage(&self) -> Option<usize> {
        match *self {
            LeverKind::ConversionPoints { stage }
            | LeverKind::ConversionRelative { stage }
            | LeverKind::Days { stage }
            | LeverKind::Capacity { stage } => Some(stage),
            LeverKind::Leads | LeverKind::DealSize => None,
        }
    }

    /// The scenario with this lever pulled, as a what-if the user can keep.
    /// For an uncertain conversion the whole distribution moves by the change
    /// (its spread kept where the new mean allows).
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut s = scenario.clone();
        if self.stage().is_some_and(|i| i >= s.stages.len()) {
            return s;
        }
        match *self {
            LeverKind::ConversionPoints { stage } => {
                let c = &mut s.stages[stage].conversion;
                *c = c.with_mean(c.mean() + 0.05);
            }
            LeverKind::ConversionRelative { stage } => {
                let c = &mut s.stages[stage].conversion;
                *c = c.with_mean(c.mean() * 1.1);
            }
            LeverKind::Days { stage } => s.stages[stage].days *= 0.9,
            LeverKind::Leads => s.leads.per_month *= 1.1,
            LeverKind::DealSize => {
                s.deal_size.median *= 1.1;
                s.deal_size.p90 *= 1.1;
            }
            LeverKind::Capacity { stage } => {
                if let Some(c) = &mut s.stages[stage].capacity_per_week {
                    *c = (*c + 1).max((*c as f64 * 1.1).ceil() as u64);
                }
            }
        }
        s
    }
}

/// A lever's effect on mean revenue and on the chance of the target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeverEffect {
    /// The lever (flattened into the JSON).
    #[serde(flatten)]
    pub lever: Lever,
    /// Mean over trials of the changed run's revenue minus the baseline's, with its
    /// paired standard error.
    pub revenue_delta: MeanSe,
    /// Change in the chance of the target (a share 0..1), with its paired standard
    /// error; `None` (absent) without a target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability_delta: Option<MeanSe>,
}

impl LeverEffect {
    /// `lever`'s effect from the baseline's trials and the changed run's, trial by
    /// trial; `target` is the revenue goal, if any.
    pub fn new(lever: Lever, base: &Chunk, changed: &Chunk, target: Option<f64>) -> LeverEffect {
        let hits = |c: &Chunk, t: f64| -> Vec<f64> {
            c.revenue
                .iter()
                .map(|&r| if r >= t { 1.0 } else { 0.0 })
                .collect()
        };
        LeverEffect {
            lever,
            revenue_delta: MeanSe::paired(&changed.revenue, &base.revenue),
            probability_delta: target.map(|t| MeanSe::paired(&hits(changed, t), &hits(base, t))),
        }
    }
}

/// Every lever's effect, largest effect on mean revenue first: the
/// `job::LeverSweep`, each lever run on the calling thread.
pub fn sensitivity(
    scenario: &Scenario,
    base: &Chunk,
    trials: u64,
    seed: u64,
) -> Result<Vec<LeverEffect>, ScenarioErrors> {
    let mut sweep = crate::job::LeverSweep::new(scenario, trials, seed);
    while let Some((_, spec)) = sweep.next() {
        let changed = spec.simulation()?.run_all();
        sweep.record(base, &changed);
    }
    Ok(sweep.effects())
}

/// Orders effects by the size of their effect on mean revenue, largest first.
pub fn rank(effects: &mut [LeverEffect]) {
    effects.sort_by(|a, b| {
        b.revenue_delta
            .mean
            .abs()
            .total_cmp(&a.revenue_delta.mean.abs())
    });
}
