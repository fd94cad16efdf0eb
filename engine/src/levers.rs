//! Sensitivity: which lever moves revenue most, down and up.
//!
//! Every lever moves one input by 10% of its value, down and up: a stage's
//! conversion rate, its days or its weekly capacity, lead volume, deal size.
//! One step for every input, and the same unit as a plan's assumed uplift
//! (relative: +5% is five percent of the rate), so that bars compare like
//! with like; it is also the convention of spreadsheet tornado charts
//! (Crystal Ball's default is ±10% of the base value).
//!
//! Each lever reruns the model with one change and the same seed, so the
//! changed run shares every random draw with the baseline (common random
//! numbers) and the difference, trial by trial, is the lever's effect and not
//! sampling noise. Conversion and lead levers change the drawn values
//! (`Adjustment`); days, deal size and capacity change the scenario.
//!
//! A move that cannot change any trial, by the model's construction (the
//! days of a stage of a week or less: the model's clock is a week), is not
//! run: [`Lever::omitted`] says which and why, so no bar is zero for a reason
//! the reader cannot see.

use serde::{Deserialize, Serialize};

use crate::scenario::{Conversion, Scenario};
use crate::sim::Adjustment;
use crate::summary::MeanSe;
use crate::timing::leave_chance;
use crate::{Chunk, ScenarioErrors, Simulation};

/// The size of every lever's step: 10% of the input's value.
pub const STEP: f64 = 0.1;

/// Which way a lever moves its input (not which way revenue goes: fewer days
/// is `Down` and usually more revenue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The input 10% lower.
    Down,
    /// The input 10% higher.
    Up,
}

impl Direction {
    /// Both directions, down first (the order the page draws them in).
    pub const BOTH: [Direction; 2] = [Direction::Down, Direction::Up];

    /// What the input is multiplied by: 0.9 or 1.1.
    pub fn factor(self) -> f64 {
        match self {
            Direction::Down => 1.0 - STEP,
            Direction::Up => 1.0 + STEP,
        }
    }

    /// "-10%" or "+10%".
    pub fn change(self) -> &'static str {
        match self {
            Direction::Down => "-10%",
            Direction::Up => "+10%",
        }
    }
}

/// What a lever changes: the `kind` tag in the JSON, with `stage` the index
/// of the stage (from 0) where there is one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeverKind {
    /// A stage's conversion, moved by 10% of the rate (capped at 100%).
    // The tag predates the levers' one convention, when a +5-point lever
    // stood beside this one; `funnelsim --sensitivity` readers match on it.
    #[serde(rename = "conversion_relative")]
    Conversion {
        /// The stage's index.
        stage: usize,
    },
    /// A stage's average days.
    Days {
        /// The stage's index.
        stage: usize,
    },
    /// Lead volume.
    Leads,
    /// Every deal's value.
    DealSize,
    /// A stage's weekly capacity (at least one deal more or fewer).
    Capacity {
        /// The stage's index.
        stage: usize,
    },
}

/// One lever, one way, with the words the app's chart shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lever {
    /// What it changes (flattened into the JSON as `kind` and `stage`).
    #[serde(flatten)]
    pub kind: LeverKind,
    /// Which way it moves the input.
    pub direction: Direction,
    /// What is changed, in words: "Proposal conversion".
    pub lever: String,
    /// The change, written on the bar: "+10%" or "-10%".
    pub change: String,
    /// The unit of `change`, in words: "% of the rate", "% of the days".
    pub unit: String,
    /// The input's value today (a rate 0..1 is the stage's mean rate; days;
    /// leads a month; the median deal; deals a week).
    pub from: f64,
    /// The input's value with the lever pulled, in the same unit.
    pub to: f64,
}

/// A lever move that is not run, and why (for the note beside the chart).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Omitted {
    /// What it would change (flattened into the JSON as `kind` and `stage`).
    #[serde(flatten)]
    pub kind: LeverKind,
    /// Which way.
    pub direction: Direction,
    /// What would be changed, in words: "Lead days".
    pub lever: String,
    /// Why it is left out, in plain words.
    pub reason: String,
}

impl LeverKind {
    /// What is changed, in words: "Proposal conversion", "Lead volume".
    pub fn name(&self, scenario: &Scenario) -> String {
        let stage = |i: usize| scenario.stages.get(i).map_or("?", |s| s.name.as_str());
        match *self {
            LeverKind::Conversion { stage: i } => format!("{} conversion", stage(i)),
            LeverKind::Days { stage: i } => format!("{} days", stage(i)),
            LeverKind::Leads => "Lead volume".into(),
            LeverKind::DealSize => "Deal size".into(),
            LeverKind::Capacity { stage: i } => format!("{} capacity", stage(i)),
        }
    }

    fn unit(&self) -> &'static str {
        match self {
            LeverKind::Conversion { .. } => "% of the rate",
            LeverKind::Days { .. } => "% of the days",
            LeverKind::Leads => "% of leads",
            LeverKind::DealSize => "% of deal value",
            LeverKind::Capacity { .. } => "% of deals a week",
        }
    }

    /// Every lever the scenario's shape offers, in a stable order.
    fn every(scenario: &Scenario) -> Vec<LeverKind> {
        let n = scenario.stages.len();
        let mut kinds: Vec<LeverKind> = (0..n)
            .map(|stage| LeverKind::Conversion { stage })
            .collect();
        kinds.extend((0..n).map(|stage| LeverKind::Days { stage }));
        kinds.push(LeverKind::Leads);
        kinds.push(LeverKind::DealSize);
        kinds.extend(
            (0..n)
                .filter(|&i| scenario.stages[i].capacity_per_week.is_some())
                .map(|stage| LeverKind::Capacity { stage }),
        );
        kinds
    }

    fn stage(&self) -> Option<usize> {
        match *self {
            LeverKind::Conversion { stage }
            | LeverKind::Days { stage }
            | LeverKind::Capacity { stage } => Some(stage),
            LeverKind::Leads | LeverKind::DealSize => None,
        }
    }

    /// The input's value today, in the unit of `Lever::from`.
    fn value(&self, scenario: &Scenario) -> f64 {
        let stage = |i: usize| &scenario.stages[i];
        match *self {
            LeverKind::Conversion { stage: i } => stage(i).conversion.mean(),
            LeverKind::Days { stage: i } => stage(i).days,
            LeverKind::Leads => scenario.leads.per_month,
            LeverKind::DealSize => scenario.deal_size.median,
            LeverKind::Capacity { stage: i } => stage(i).capacity_per_week.unwrap_or(0) as f64,
        }
    }

    /// Why moving this input `direction` cannot change any trial, if it
    /// cannot.
    fn no_effect(&self, scenario: &Scenario, direction: Direction) -> Option<String> {
        let stage = |i: usize| &scenario.stages[i];
        match *self {
            LeverKind::Conversion { stage: i } => match stage(i).conversion {
                Conversion::Fixed(0.0) => {
                    Some("its rate is 0%, and 10% of nothing is nothing".into())
                }
                Conversion::Fixed(p) if p >= 1.0 && direction == Direction::Up => {
                    Some("its rate is already 100%".into())
                }
                _ => None,
            },
            LeverKind::Days { stage: i } => {
                let days = stage(i).days;
                let same = |d: Direction| leave_chance(days * d.factor()) == leave_chance(days);
                if days == 0.0 {
                    Some("deals pass through it in the week they arrive".into())
                } else if same(direction) {
                    // Stays of 7 days or fewer all take one week.
                    let way = if Direction::BOTH.iter().all(|&d| same(d)) {
                        "more or fewer"
                    } else if direction == Direction::Up {
                        "more"
                    } else {
                        "fewer"
                    };
                    let unit = if days == 1.0 { "day" } else { "days" };
                    Some(format!(
                        "the model moves deals a week at a time, so 10% {way} than {} {unit} is still one week",
                        tidy(days)
                    ))
                } else {
                    None
                }
            }
            LeverKind::Leads if scenario.leads.per_month == 0.0 => {
                Some("no new leads come in".into())
            }
            LeverKind::Capacity { stage: i }
                if direction == Direction::Down && stage(i).capacity_per_week == Some(1) =>
            {
                Some("one deal a week is the least capacity there can be".into())
            }
            _ => None,
        }
    }

    /// The baseline's simulation with this lever pulled `direction`, on the
    /// same seed.
    pub fn simulation(
        &self,
        scenario: &Scenario,
        direction: Direction,
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
            LeverKind::Conversion { stage } => adjustment.rate_scale[stage] = direction.factor(),
            LeverKind::Leads => adjustment.leads_scale = direction.factor(),
            LeverKind::Days { .. } | LeverKind::DealSize | LeverKind::Capacity { .. } => {
                changed = self.apply(&changed, direction);
            }
        }
        Ok(Simulation::new(&changed, trials, seed)?.with_adjustment(adjustment))
    }

    /// The scenario with this lever pulled `direction`, as a what-if the user
    /// can keep. For an uncertain conversion the whole distribution moves by
    /// the change (its spread kept where the new mean allows).
    pub fn apply(&self, scenario: &Scenario, direction: Direction) -> Scenario {
        let mut s = scenario.clone();
        if self.stage().is_some_and(|i| i >= s.stages.len()) {
            return s;
        }
        let f = direction.factor();
        match *self {
            LeverKind::Conversion { stage } => {
                let c = &mut s.stages[stage].conversion;
                *c = c.with_mean(c.mean() * f);
            }
            LeverKind::Days { stage } => s.stages[stage].days *= f,
            LeverKind::Leads => s.leads.per_month *= f,
            LeverKind::DealSize => {
                s.deal_size.median *= f;
                s.deal_size.p90 *= f;
            }
            LeverKind::Capacity { stage } => {
                if let Some(c) = &mut s.stages[stage].capacity_per_week {
                    // A whole number of deals, and always at least one deal
                    // more or fewer (10% of 4 deals a week rounds to nothing).
                    *c = match direction {
                        Direction::Up => (*c + 1).max((*c as f64 * f).ceil() as u64),
                        Direction::Down => (*c - 1).min((*c as f64 * f).floor() as u64).max(1),
                    };
                }
            }
        }
        s
    }
}

/// A number for a sentence: 6.3, not 6.300000000000001.
fn tidy(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

impl Lever {
    fn candidates(scenario: &Scenario) -> Vec<Result<Lever, Omitted>> {
        LeverKind::every(scenario)
            .into_iter()
            .flat_map(|kind| Direction::BOTH.map(|d| (kind.clone(), d)))
            .map(|(kind, direction)| {
                let lever = kind.name(scenario);
                if let Some(reason) = kind.no_effect(scenario, direction) {
                    return Err(Omitted {
                        kind,
                        direction,
                        lever,
                        reason,
                    });
                }
                let changed = kind.apply(scenario, direction);
                let within = match kind {
                    LeverKind::Leads => {
                        scenario.leads.per_month * direction.factor()
                            <= scenario.max_leads_per_month()
                    }
                    LeverKind::Conversion { .. } => true,
                    _ => changed.validate().is_ok(),
                };
                if !within {
                    // Its run would be refused (a deal above 1e9, leads above a
                    // trillion a month): no answer is better than a wrong one.
                    return Err(Omitted {
                        kind,
                        direction,
                        lever,
                        reason: "it would take the scenario past the model's limits".into(),
                    });
                }
                Ok(Lever {
                    from: kind.value(scenario),
                    to: kind.value(&changed),
                    change: direction.change().into(),
                    unit: kind.unit().into(),
                    kind,
                    direction,
                    lever,
                })
            })
            .collect()
    }

    /// Every lever move the scenario offers and that can change a trial, in a
    /// stable order (each lever down, then up).
    pub fn all(scenario: &Scenario) -> Vec<Lever> {
        Lever::candidates(scenario)
            .into_iter()
            .filter_map(Result::ok)
            .collect()
    }

    /// The lever moves left out of [`Lever::all`], each with its reason.
    pub fn omitted(scenario: &Scenario) -> Vec<Omitted> {
        Lever::candidates(scenario)
            .into_iter()
            .filter_map(Result::err)
            .collect()
    }

    /// The baseline's simulation with this lever pulled, on the same seed.
    pub fn simulation(
        &self,
        scenario: &Scenario,
        trials: u64,
        seed: u64,
    ) -> Result<Simulation, ScenarioErrors> {
        self.kind.simulation(scenario, self.direction, trials, seed)
    }

    /// The scenario with this lever pulled, as a what-if the user can keep.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        self.kind.apply(scenario, self.direction)
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

/// Orders effects by the size of their effect on mean revenue, largest first
/// (stable: equal effects keep the sweep's order).
pub fn rank(effects: &mut [LeverEffect]) {
    effects.sort_by(|a, b| {
        b.revenue_delta
            .mean
            .abs()
            .total_cmp(&a.revenue_delta.mean.abs())
    });
}

/// One lever both ways: a row of the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverRange {
    /// What the lever changes.
    pub kind: LeverKind,
    /// What is changed, in words.
    pub lever: String,
    /// The input 10% lower, unless that cannot change a trial.
    pub down: Option<LeverEffect>,
    /// The input 10% higher, unless that cannot change a trial.
    pub up: Option<LeverEffect>,
}

impl LeverRange {
    /// The larger of the two effects on mean revenue, in size.
    pub fn reach(&self) -> f64 {
        [&self.down, &self.up]
            .into_iter()
            .flatten()
            .map(|e| e.revenue_delta.mean.abs())
            .filter(|m| m.is_finite())
            .fold(0.0, f64::max)
    }

    /// The effect one way.
    pub fn side(&self, direction: Direction) -> Option<&LeverEffect> {
        match direction {
            Direction::Down => self.down.as_ref(),
            Direction::Up => self.up.as_ref(),
        }
    }
}

/// The effects as one row per lever (down and up together), the lever that
/// reaches furthest either way first.
pub fn ranges(effects: &[LeverEffect]) -> Vec<LeverRange> {
    let mut rows: Vec<LeverRange> = Vec::new();
    for e in effects {
        let i = match rows.iter().position(|r| r.kind == e.lever.kind) {
            Some(i) => i,
            None => {
                rows.push(LeverRange {
                    kind: e.lever.kind.clone(),
                    lever: e.lever.lever.clone(),
                    down: None,
                    up: None,
                });
                rows.len() - 1
            }
        };
        let slot = match e.lever.direction {
            Direction::Down => &mut rows[i].down,
            Direction::Up => &mut rows[i].up,
        };
        *slot = Some(e.clone());
    }
    rows.sort_by(|a, b| b.reach().total_cmp(&a.reach()));
    rows
}

/// The biggest leak: the stage where losing fewer deals pays most, that is
/// whose conversion, 10% higher, adds the most mean revenue within the
/// horizon. Not the stage that loses the most deals (nearly always the top of
/// the funnel, which no one needs to be told), and not the lowest rate: an
/// early stage's better rate reaches revenue only once its deals have crossed
/// every later stage, and today's open deals pass only the stages ahead of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Leak {
    /// The stage's index.
    pub stage: usize,
    /// Its conversion lever, up.
    pub effect: LeverEffect,
    /// The next best stage's, when it is within Monte Carlo error of this one
    /// (twice the sum of the two standard errors, a bound that holds however
    /// the two runs are correlated): then the two pay about the same.
    pub tied_with: Option<LeverEffect>,
}

/// The biggest leak among `effects`, if any stage's better rate adds revenue.
pub fn biggest_leak(effects: &[LeverEffect]) -> Option<Leak> {
    let mut ups: Vec<(usize, &LeverEffect)> = effects
        .iter()
        .filter(|e| e.lever.direction == Direction::Up)
        .filter_map(|e| match e.lever.kind {
            LeverKind::Conversion { stage } => Some((stage, e)),
            _ => None,
        })
        .filter(|(_, e)| e.revenue_delta.mean.is_finite() && e.revenue_delta.mean > 0.0)
        .collect();
    // Largest first; equal effects keep the earlier stage first.
    ups.sort_by(|a, b| {
        b.1.revenue_delta
            .mean
            .total_cmp(&a.1.revenue_delta.mean)
            .then(a.0.cmp(&b.0))
    });
    let (stage, top) = *ups.first()?;
    let tied_with = ups.get(1).and_then(|&(_, next)| {
        let (a, b) = (top.revenue_delta, next.revenue_delta);
        let error = 2.0 * (a.se + b.se);
        (a.mean - b.mean <= error).then(|| next.clone())
    });
    Some(Leak {
        stage,
        effect: top.clone(),
        tied_with,
    })
}
