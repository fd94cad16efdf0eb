//! The form's state: what the user typed, as text, and its conversion to and
//! from the engine's `Scenario`.
//!
//! Percentages are typed as percent (30 means a rate of 0.30). Every problem
//! comes back as a `FieldError` whose path is MODEL.md's field path (e.g.
//! `stages[2].conversion.mean`), so the form can mark the exact field; the
//! engine's own checks (`Scenario::validate`) are mapped back the same way,
//! with percent fields re-worded in percent.

use funnel_engine::scenario::{FORMAT_VERSION, MAX_HORIZON_MONTHS, MAX_STAGES};
use funnel_engine::{Conversion, FieldError, Noise, Scenario, Stage, Target};

mod milestones;
mod plans;
pub use milestones::{MAX_MILESTONES, MSG_CAPACITY, MilestoneDraft, milestone_at};
pub use plans::{
    BandDraft, MAX_BANDS, MAX_PLANS, PlanDraft, TeamDraft, UpliftDraft, parse_tiers, plan_at,
    plan_title, tiers_explained, tiers_str,
};

/// The most trials the app runs: the engine's own limit, now that the trials
/// run on background workers and plans keep bounded memory (docs/bounds.md).
pub const MAX_APP_TRIALS: u64 = funnel_engine::MAX_TRIALS;
pub const DEFAULT_TRIALS: u64 = funnel_engine::DEFAULT_TRIALS;

/// The most bytes of trials a run in the browser holds: the page keeps them
/// (outside its wasm memory) and a worker summarising them holds them twice.
pub const MAX_RUN_BYTES: u64 = 256 << 20;

/// The most trials the app runs of `scenario`: `MAX_APP_TRIALS`, fewer when
/// its months and plans make a trial big (60 months: 508,000; with 10 plans: 332,000).
pub fn max_trials(scenario: &Scenario) -> u64 {
    let per_trial = funnel_engine::codec::bytes_per_trial(
        scenario.horizon_months as usize,
        scenario.plans.len(),
    );
    (MAX_RUN_BYTES / per_trial.max(1) / 1_000 * 1_000).clamp(1_000, MAX_APP_TRIALS)
}
pub const DEFAULT_SEED: u64 = funnel_engine::DEFAULT_SEED;

pub const MSG_PERCENT: &str = "Enter a percentage from 0 to 100";

/// How the user states a stage's conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionKind {
    /// A known rate, in percent.
    Fixed,
    /// An uncertain rate: mean and spread (standard deviation), both in percent.
    Estimate,
    /// History: won X of Y.
    History,
}

impl ConversionKind {
    pub const ALL: [ConversionKind; 3] = [
        ConversionKind::Fixed,
        ConversionKind::Estimate,
        ConversionKind::History,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConversionKind::Fixed => "fixed",
            ConversionKind::Estimate => "estimate",
            ConversionKind::History => "history",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConversionKind::Fixed => "Fixed rate",
            ConversionKind::Estimate => "Mean and spread",
            ConversionKind::History => "Won X of Y",
        }
    }

    pub fn parse(s: &str) -> Option<ConversionKind> {
        ConversionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One stage as typed. `id` only keys the row in the page; it is not saved.
#[derive(Clone, Debug, PartialEq)]
pub struct StageDraft {
    pub id: u32,
    pub name: String,
    pub kind: ConversionKind,
    /// Fixed rate, percent.
    pub rate: String,
    /// Mean rate, percent.
    pub mean: String,
    /// Spread (standard deviation) of the rate, percent.
    pub sd: String,
    pub won: String,
    pub of: String,
    pub days: String,
    pub open: String,
    /// Deals that can leave the stage in a week; empty means no limit.
    pub capacity: String,
    /// The stage as loaded: fields the form does not edit are kept from it.
    base: Stage,
}

/// The whole form as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub name: String,
    pub currency: String,
    pub horizon_months: String,
    pub leads_per_month: String,
    /// Compound growth of leads, percent per month.
    pub growth: String,
    pub noise: Noise,
    /// Coefficient of variation of lead volume, percent.
    pub uncertainty: String,
    pub stages: Vec<StageDraft>,
    pub deal_median: String,
    pub deal_p90: String,
    /// Revenue target; empty means none.
    pub target: String,
    pub trials: String,
    pub seed: String,
    /// The sales team; off means no team and no plans in the scenario.
    pub team: TeamDraft,
    /// Incentive plans (see `draft/plans.rs`).
    pub plans: Vec<PlanDraft>,
    /// Cumulative revenue milestones (see `draft/milestones.rs`).
    pub milestones: Vec<MilestoneDraft>,
    next_id: u32,
    /// The scenario the form was loaded from: what the form does not edit
    /// (any field a later format adds) is kept from it.
    base: Scenario,
}

/// A scenario with the run settings: everything a simulation needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub scenario: Scenario,
    pub trials: u64,
    pub seed: u64,
}

/// Which way to move a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

impl Draft {
    pub fn from_scenario(scenario: &Scenario, trials: u64, seed: u64) -> Draft {
        let mut draft = Draft {
            name: scenario.name.clone(),
            currency: scenario.currency.clone(),
            horizon_months: scenario.horizon_months.to_string(),
            leads_per_month: num(scenario.leads.per_month),
            growth: pct(scenario.leads.growth_per_month),
            noise: scenario.leads.noise,
            uncertainty: pct(scenario.leads.uncertainty_cv),
            stages: Vec::new(),
            deal_median: num(scenario.deal_size.median),
            deal_p90: num(scenario.deal_size.p90),
            target: scenario
                .target
                .as_ref()
                .map(|t| num(t.revenue))
                .unwrap_or_default(),
            trials: trials.to_string(),
            seed: seed.to_string(),
            team: TeamDraft::default(),
            plans: Vec::new(),
            milestones: Vec::new(),
            next_id: 0,
            base: scenario.clone(),
        };
        for stage in &scenario.stages {
            let id = draft.take_id();
            draft.stages.push(StageDraft::from_stage(id, stage));
        }
        draft.load_team_and_plans(scenario);
        draft.load_milestones(scenario);
        draft
    }

    fn take_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    pub fn stage_index(&self, id: u32) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    pub fn stage_mut(&mut self, id: u32) -> Option<&mut StageDraft> {
        self.stages.iter_mut().find(|s| s.id == id)
    }

    /// Adds a stage at the end (or does nothing at the 20-stage limit);
    /// returns its id.
    pub fn add_stage(&mut self) -> Option<u32> {
        if self.stages.len() >= MAX_STAGES {
            return None;
        }
        let id = self.take_id();
        let mut n = self.stages.len() + 1;
        let mut name = format!("Stage {n}");
        while self.stages.iter().any(|s| s.name == name) {
            n += 1;
            name = format!("Stage {n}");
        }
        let mut stage = new_stage();
        stage.name = name;
        self.stages.push(StageDraft::from_stage(id, &stage));
        Some(id)
    }

    pub fn remove_stage(&mut self, id: u32) {
        self.stages.retain(|s| s.id != id);
    }

    /// Moves a stage one place; returns whether it moved.
    pub fn move_stage(&mut self, id: u32, direction: Move) -> bool {
        let Some(i) = self.stage_index(id) else {
            return false;
        };
        let j = match direction {
            Move::Up if i > 0 => i - 1,
            Move::Down if i + 1 < self.stages.len() => i + 1,
            _ => return false,
        };
        self.stages.swap(i, j);
        true
    }

    /// The scenario the form describes, or every problem with its field path.
    pub fn to_scenario(&self) -> Result<Scenario, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut e = Errors(&mut errors);

        let horizon_months = e.whole(
            &self.horizon_months,
            "horizon_months",
            "Enter a whole number of months from 1 to 60",
            |n| (1..=u64::from(MAX_HORIZON_MONTHS)).contains(&n),
        );
        let per_month = e.number(
            &self.leads_per_month,
            "leads.per_month",
            "Enter a number of leads, 0 or more",
            |x| x >= 0.0,
        );
        let growth = e.percent(
            &self.growth,
            "leads.growth_per_month",
            "Enter a percentage above -100 (0 for no growth)",
            |x| x > -100.0,
        );
        let uncertainty = e.percent(
            &self.uncertainty,
            "leads.uncertainty_cv",
            "Enter a percentage from 0 to 200 (0 for none)",
            |x| (0.0..=200.0).contains(&x),
        );

        if self.stages.is_empty() {
            e.0.push(FieldError::new("stages", "Add at least one stage"));
        }
        let stages: Vec<Option<Stage>> = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| s.to_stage(i, &mut e))
            .collect();

        let median = e.money(
            &self.deal_median,
            "deal_size.median",
            "Enter an amount above 0",
            |x| x > 0.0,
        );
        let p90 = e.money(
            &self.deal_p90,
            "deal_size.p90",
            "Enter an amount, at least the median",
            |x| x > 0.0,
        );
        let target = if self.target.trim().is_empty() {
            Some(None)
        } else {
            e.money(
                &self.target,
                "target.revenue",
                "Enter an amount, 0 or more (or leave empty for no target)",
                |x| x >= 0.0,
            )
            .map(|revenue| {
                // Keep what else the loaded target says (milestones are set below).
                let mut target = self.base.target.clone().unwrap_or_else(new_target);
                target.revenue = revenue;
                Some(target)
            })
        };

        let milestones = self.read_milestones(&mut e);

        let (
            Some(horizon_months),
            Some(per_month),
            Some(growth_per_month),
            Some(uncertainty_cv),
            Some(stages),
            Some(median),
            Some(p90),
            Some(target),
            Some((team, plans)),
        ) = (
            horizon_months,
            per_month,
            growth,
            uncertainty,
            stages.into_iter().collect::<Option<Vec<_>>>(),
            median,
            p90,
            target,
            self.team_and_plans(&mut e),
        )
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }

        // Start from the loaded scenario, so that what the form does not edit
        // (fields a later format adds) is kept.
        let mut scenario = self.base.clone();
        let currency = self.currency.trim();
        scenario.version = FORMAT_VERSION;
        // Text is kept exactly as typed, so a link reopens as it was saved.
        scenario.name = self.name.clone();
        scenario.currency = if currency.is_empty() {
            "USD".into()
        } else {
            self.currency.clone()
        };
        scenario.horizon_months = horizon_months as u32;
        scenario.leads.per_month = per_month;
        scenario.leads.growth_per_month = growth_per_month;
        scenario.leads.noise = self.noise;
        scenario.leads.uncertainty_cv = uncertainty_cv;
        scenario.stages = stages;
        scenario.deal_size.median = median;
        scenario.deal_size.p90 = p90;
        scenario.target = target;
        if let Some(t) = scenario.target.as_mut() {
            t.milestones = milestones;
        }
        scenario.team = team;
        scenario.plans = plans;
        match scenario.validate() {
            Ok(()) => Ok(scenario),
            Err(engine) => Err(engine.0.iter().map(|err| self.reword(err)).collect()),
        }
    }

    /// The trial count and seed, checked.
    pub fn run_settings(&self) -> Result<(u64, u64), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut e = Errors(&mut errors);
        let trials = e.whole(
            &self.trials,
            "trials",
            "Enter a whole number of trials from 1 to 1,000,000",
            |n| (1..=MAX_APP_TRIALS).contains(&n),
        );
        let seed = e.whole(
            &self.seed,
            "seed",
            "Enter a whole number, 0 or more (at most 20 digits)",
            |_| true,
        );
        match (trials, seed) {
            (Some(t), Some(s)) => Ok((t, s)),
            _ => Err(errors),
        }
    }

    /// Scenario and run settings together; errors from both.
    pub fn to_run(&self) -> Result<Run, Vec<FieldError>> {
        match (self.to_scenario(), self.run_settings()) {
            (Ok(scenario), Ok((trials, seed))) => {
                let most = max_trials(&scenario);
                if trials > most {
                    return Err(vec![FieldError::new(
                        "trials",
                        format!(
                            "At most {} trials for {} months{} in the browser (its memory); \
                             the command line runs more",
                            crate::format::count(most as f64),
                            scenario.horizon_months,
                            match scenario.plans.len() {
                                0 => String::new(),
                                1 => " and 1 incentive plan".into(),
                                n => format!(" and {n} incentive plans"),
                            }
                        ),
                    )]);
                }
                Ok(Run {
                    scenario,
                    trials,
                    seed,
                })
            }
            (a, b) => {
                let mut errors = a.err().unwrap_or_default();
                errors.extend(b.err().unwrap_or_default());
                Err(errors)
            }
        }
    }

    /// An engine error in the form's words: percent fields in percent.
    pub fn reword(&self, err: &FieldError) -> FieldError {
        if let Some(reworded) = self.reword_milestone(err) {
            return reworded;
        }
        if let Some(reworded) = self.reword_plan(err) {
            return reworded;
        }
        let path = err.path.as_str();
        let message = if path.ends_with(".conversion") || path.ends_with(".conversion.mean") {
            if err.message.contains("rate from 0 to 1") {
                MSG_PERCENT.to_owned()
            } else {
                sentence(&err.message)
            }
        } else if path.ends_with(".conversion.sd") && err.message.starts_with("must be below") {
            let mean = stage_at(path)
                .and_then(|i| self.stages.get(i))
                .and_then(|s| parse_percent(&s.mean));
            match mean {
                Some(m) if (0.0..=1.0).contains(&m) => {
                    let limit = (m * (1.0 - m)).sqrt() * 100.0;
                    format!(
                        "Enter a spread below {}% (with a mean of {}%, the spread must stay below {}%)",
                        round_to(limit, 1),
                        round_to(m * 100.0, 2),
                        round_to(limit, 1)
                    )
                }
                _ => "Enter a spread smaller than the mean allows".to_owned(),
            }
        } else if path == "leads.growth_per_month" && err.message.contains("above -1") {
            "Enter a percentage above -100 (0 for no growth)".to_owned()
        } else if path == "leads.uncertainty_cv" && err.message.contains("from 0 to 2") {
            "Enter a percentage from 0 to 200 (0 for none)".to_owned()
        } else if path.ends_with(".name") && err.message == "must not be empty" {
            "Enter a name".to_owned()
        } else {
            sentence(&err.message)
        };
        FieldError::new(err.path.clone(), message)
    }
}

impl StageDraft {
    fn from_stage(id: u32, stage: &Stage) -> StageDraft {
        let mean = stage.conversion.mean();
        let (kind, sd, won, of) = match stage.conversion {
            Conversion::Fixed(p) => (
                ConversionKind::Fixed,
                "0".to_owned(),
                num((p * 100.0).round()),
                "100".to_owned(),
            ),
            Conversion::Estimate { mean, sd } => (
                ConversionKind::Estimate,
                pct(sd),
                num((mean * 100.0).round()),
                "100".to_owned(),
            ),
            Conversion::History { won, of } => {
                // Beta(won + 1, of - won + 1): its standard deviation, for the other views.
                let (a, b) = (won as f64 + 1.0, (of - won.min(of)) as f64 + 1.0);
                let sd = (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt();
                (
                    ConversionKind::History,
                    num(round_to(sd * 100.0, 2)),
                    won.to_string(),
                    of.to_string(),
                )
            }
        };
        let mean_text = match stage.conversion {
            Conversion::History { .. } => num(round_to(mean * 100.0, 2)),
            _ => pct(mean),
        };
        StageDraft {
            id,
            name: stage.name.clone(),
            kind,
            rate: mean_text.clone(),
            mean: mean_text,
            sd,
            won,
            of,
            days: num(stage.days),
            open: stage.open.to_string(),
            capacity: stage
                .capacity_per_week
                .map(|c| c.to_string())
                .unwrap_or_default(),
            base: stage.clone(),
        }
    }

    fn to_stage(&self, i: usize, e: &mut Errors) -> Option<Stage> {
        let at = |field: &str| format!("stages[{i}].{field}");
        let name = self.name.as_str();
        if name.trim().is_empty() {
            e.0.push(FieldError::new(at("name"), "Enter a name"));
        }
        let conversion = match self.kind {
            ConversionKind::Fixed => e
                .percent(&self.rate, &at("conversion"), MSG_PERCENT, |x| {
                    (0.0..=100.0).contains(&x)
                })
                .map(Conversion::Fixed),
            ConversionKind::Estimate => {
                let mean = e.percent(&self.mean, &at("conversion.mean"), MSG_PERCENT, |x| {
                    (0.0..=100.0).contains(&x)
                });
                let sd = e.percent(
                    &self.sd,
                    &at("conversion.sd"),
                    "Enter a spread in percentage points, 0 or more",
                    |x| (0.0..=100.0).contains(&x),
                );
                Some(Conversion::Estimate {
                    mean: mean?,
                    sd: sd?,
                })
            }
            ConversionKind::History => {
                let won = e.whole(
                    &self.won,
                    &at("conversion.won"),
                    "Enter a whole number of deals won, 0 or more",
                    |_| true,
                );
                let of = e.whole(
                    &self.of,
                    &at("conversion.of"),
                    "Enter a whole number of deals, 0 or more",
                    |_| true,
                );
                match (won, of) {
                    (Some(w), Some(o)) if w > o => {
                        e.0.push(FieldError::new(
                            at("conversion.won"),
                            format!("Enter at most {o}: deals won cannot exceed the deals decided"),
                        ));
                        None
                    }
                    (Some(won), Some(of)) => Some(Conversion::History { won, of }),
                    _ => None,
                }
            }
        };
        let days = e.number(
            &self.days,
            &at("days"),
            "Enter a number of days, 0 or more",
            |x| x >= 0.0,
        );
        let open = e.whole(
            &self.open,
            &at("open"),
            "Enter a whole number of deals, 0 or more",
            |_| true,
        );
        let capacity = if self.capacity.trim().is_empty() {
            Some(None)
        } else {
            e.whole(
                &self.capacity,
                &at("capacity_per_week"),
                MSG_CAPACITY,
                |n| n >= 1,
            )
            .map(Some)
        };
        if name.is_empty() {
            return None;
        }
        let mut stage = self.base.clone();
        stage.name = name.to_owned();
        stage.conversion = conversion?;
        stage.days = days?;
        stage.open = open?;
        stage.capacity_per_week = capacity?;
        Some(stage)
    }
}

/// Defaults for parts the user adds, read from the file format so that
/// fields a later format adds get their defaults too.
fn template() -> Scenario {
    const NEW: &str = r#"{"version":1,"horizon_months":1,"leads":{"per_month":0},
        "stages":[{"name":"New","conversion":0.5,"days":7,"open":0}],
        "deal_size":{"median":1,"p90":1},"target":{"revenue":0}}"#;
    Scenario::from_json(NEW).expect("the template is a valid scenario")
}

/// A new stage: a 50% fixed rate, a week, no open deals.
fn new_stage() -> Stage {
    template().stages.remove(0)
}

/// A new target (its revenue is set by the caller).
fn new_target() -> Target {
    template().target.expect("the template has a target")
}

/// Collects errors while reading fields.
struct Errors<'a>(&'a mut Vec<FieldError>);

impl Errors<'_> {
    fn number(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        self.read(parse_number(text, false), path, message, ok)
    }

    fn money(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        self.read(parse_money(text), path, message, ok)
    }

    /// A percentage, returned as a rate (30 -> 0.30). `ok` judges it in
    /// percent. The rate is read in one rounding, and a rate too large to
    /// write in percent (1e307 is 1e309 %) is judged as the infinite percent
    /// it is rather than refused as no number, so every rate a link carries
    /// loads back as itself.
    fn percent(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        let rate = parse_percent(text);
        self.read(rate.map(|r| r * 100.0), path, message, ok)?;
        rate
    }

    fn whole(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(u64) -> bool,
    ) -> Option<u64> {
        match parse_whole(text) {
            Some(n) if ok(n) => Some(n),
            _ => {
                self.0.push(FieldError::new(path, message));
                None
            }
        }
    }

    fn read(
        &mut self,
        value: Option<f64>,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        match value {
            Some(x) if ok(x) => Some(x),
            _ => {
                self.0.push(FieldError::new(path, message));
                None
            }
        }
    }
}

/// A number as people type it, cleaned for `parse`: `1,200`, ` 30 `, `+2`,
/// and with `percent`, `30%`.
fn clean_number(text: &str, percent: bool) -> Option<String> {
    let mut t = text.trim();
    if percent {
        t = t.strip_suffix('%').unwrap_or(t).trim_end();
    }
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    Some(cleaned)
}

/// A number as people type it: `1,200`, ` 30 `, `+2`, and with
/// `percent`, `30%`. Not `NaN` or `inf`.
pub fn parse_number(text: &str, percent: bool) -> Option<f64> {
    match clean_number(text, percent)?.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => None,
    }
}

/// A percentage as the rate it means, read in one rounding: "45.02" is the
/// decimal 0.4502 (dividing the double 45.02 by 100 would give 0.45020000000000004).
pub fn parse_percent(text: &str) -> Option<f64> {
    let cleaned = clean_number(text, true)?;
    let shifted = match cleaned.find(['e', 'E']) {
        None => format!("{cleaned}e-2"),
        Some(i) => {
            let exponent: i32 = cleaned[i + 1..].parse().ok()?;
            format!("{}e{}", &cleaned[..i], exponent.checked_sub(2)?)
        }
    };
    match shifted.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => None,
    }
}

/// An amount of money: a number, optionally with a currency sign or code.
pub fn parse_money(text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .trim_start_matches(|c: char| matches!(c, '$' | '€' | '£' | '¥') || c.is_ascii_alphabetic())
        .trim_end_matches(|c: char| matches!(c, '$' | '€' | '£' | '¥') || c.is_ascii_alphabetic())
        .to_owned();
    parse_number(&t, false)
}

/// A whole number >= 0: `12`, `1,000`, `12.0`.
pub fn parse_whole(text: &str) -> Option<u64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if let Ok(n) = cleaned.parse::<u64>() {
        return Some(n);
    }
    match parse_number(&cleaned, false) {
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x < 9.0e15 => Some(x as u64),
        _ => None,
    }
}

/// A number as the shortest text that reads back to the same value.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    format!("{x}")
}

/// A rate as the shortest percent text that `parse_percent` reads back to
/// the same rate: 0.3 -> "30", 0.015 -> "1.5", 0.4502 -> "45.02".
pub fn pct(rate: f64) -> String {
    if rate == 0.0 || !rate.is_finite() {
        return "0".into();
    }
    // Rust prints the shortest decimal that reads back exactly, never in
    // exponent form; moving its point two places keeps it exact.
    let text = format!("{rate}");
    let (sign, digits) = match text.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let int = format!("{int}{}", &frac[..2]);
    let int = int.trim_start_matches('0');
    let frac = frac[2..].trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// The stage index in a path like `stages[2].days`.
pub fn stage_at(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("stages[")?;
    rest[..rest.find(']')?].parse().ok()
}

/// "must be 0 or more" -> "Must be 0 or more".
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The words for a field, for messages: "Proposal: conversion mean".
pub fn field_label(path: &str, draft: &Draft) -> String {
    let fixed = match path {
        "" => "Scenario",
        "version" => "Format version",
        "name" => "Scenario name",
        "currency" => "Currency",
        "horizon_months" => "Horizon",
        "leads" => "Leads",
        "leads.per_month" => "Leads per month",
        "leads.growth_per_month" => "Lead growth",
        "leads.noise" => "Lead noise",
        "leads.uncertainty_cv" => "Lead uncertainty",
        "stages" => "Stages",
        "deal_size" => "Deal size",
        "deal_size.median" => "Deal size, median",
        "deal_size.p90" => "Deal size, P90",
        "target" | "target.revenue" => "Revenue target",
        "trials" => "Trials",
        "seed" => "Seed",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_owned();
    }
    if let Some(label) = milestones::milestone_label(path) {
        return label;
    }
    if let Some(label) = plans::plan_label(path, draft) {
        return label;
    }
    if let Some(i) = stage_at(path) {
        let stage = stage_title(
            i,
            draft.stages.get(i).map(|s| s.name.as_str()).unwrap_or(""),
        );
        let field = path.split_once("].").map(|(_, f)| f).unwrap_or("");
        let what = match field {
            "name" => "name",
            "conversion" => "conversion",
            "conversion.mean" => "conversion mean",
            "conversion.sd" => "conversion spread",
            "conversion.won" => "deals won",
            "conversion.of" => "deals decided",
            "days" => "average days",
            "open" => "open deals today",
            "capacity_per_week" => "capacity",
            _ => return stage,
        };
        return format!("{stage}: {what}");
    }
    path.to_owned()
}

/// "Stage 3 (Proposal)", or "Stage 3" without a name.
pub fn stage_title(index: usize, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        format!("Stage {}", index + 1)
    } else {
        format!("Stage {} ({name})", index + 1)
    }
}

/// A DOM id for a field path: `stages[2].conversion.mean` -> `f-stages-2-conversion-mean`.
pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    let mut last_dash = true;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
            last_dash = false;
        } else if !last_dash {
            id.push('-');
            last_dash = true;
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../scenarios/reference.json")).unwrap()
    }

    fn paths(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn a_run_too_big_for_the_browser_names_trials_and_its_limit() {
        let reference = Scenario::from_json(include_str!("../scenarios/reference.json")).unwrap();
        assert_eq!(
            max_trials(&reference),
            MAX_APP_TRIALS,
            "12 months, no plans"
        );
        let mut d = Draft::from_scenario(&reference, 1_000_000, 1);
        assert!(d.to_run().is_ok());
        d.horizon_months = "60".into();
        let errors = d.to_run().unwrap_err();
        assert_eq!(paths(&errors), ["trials"]);
        assert_eq!(
            errors[0].message,
            "At most 508,000 trials for 60 months in the browser (its memory); \
             the command line runs more"
        );
        d.trials = "508000".into();
        assert!(d.to_run().is_ok());
        // The budget holds for the biggest trial the format allows.
        let team = Scenario::from_json(include_str!("../scenarios/team-50-reps.json")).unwrap();
        let mut big = team.clone();
        big.horizon_months = MAX_HORIZON_MONTHS;
        big.plans = (0..funnel_engine::scenario::MAX_PLANS)
            .map(|_| team.plans[0].clone())
            .collect();
        let n = max_trials(&big);
        let per_trial = funnel_engine::codec::bytes_per_trial(60, 10);
        assert!(n * per_trial <= MAX_RUN_BYTES && n >= 100_000, "{n}");
    }

    #[test]
    fn scenario_round_trips_through_the_form() {
        let mut scenarios = vec![reference()];
        scenarios.extend(crate::presets::PRESETS.iter().map(|p| p.scenario()));
        for scenario in scenarios {
            let draft = Draft::from_scenario(&scenario, 5000, 42);
            assert_eq!(draft.to_scenario().unwrap(), scenario, "{}", scenario.name);
            let run = draft.to_run().unwrap();
            assert_eq!((run.trials, run.seed), (5000, 42));
            // And through the JSON a link carries.
            let back = Scenario::from_json(&scenario.to_json()).unwrap();
            assert_eq!(Draft::from_scenario(&back, 5000, 42), draft);
        }
    }

    /// Hostile but valid links that the form used to change on loading
    /// (blank or padded names trimmed, rates past 1e306 read back as no number).
    #[test]
    fn every_valid_link_loads_back_as_itself() {
        let hostile = r#"{
            "version": 1, "name": "   ", "currency": " EUR ", "horizon_months": 60,
            "leads": { "per_month": 0, "growth_per_month": 1e307, "uncertainty_cv": 1e-320 },
            "stages": [
                { "name": " Lead ", "conversion": 5e-324, "days": 3650, "open": 1000000000 },
                { "name": "Qualified\t", "conversion": { "mean": 0.123456789012345, "sd": 1e-300 }, "days": 7.000000000000001 },
                { "name": "Won?", "conversion": { "won": 0, "of": 4000000000 }, "days": 0, "capacity_per_week": 18446744073709551615 }
            ],
            "deal_size": { "median": 5e-324, "p90": 4.94e-321 },
            "target": { "revenue": 1e15, "milestones": [ { "month": 60, "revenue": 1e15 } ] },
            "team": { "reps": 500, "quota": 1, "skill_sd": 2 },
            "plans": [ {
                "name": " P ", "commission": [ { "from": 0, "rate": 1e-300 }, { "from": 1e300, "rate": 1 } ],
                "tiers": "retroactive", "quota_bonus": 1e9, "cap": 1e300,
                "spif": { "stage": " Lead ", "per_deal": 1e9 },
                "effect": { "conversion": { "Qualified\t": 1e307 }, "leads": 1e15 }
            } ]
        }"#;
        let scenario = Scenario::from_json(hostile).unwrap();
        let draft = Draft::from_scenario(&scenario, 1, u64::MAX);
        assert_eq!(draft.to_scenario(), Ok(scenario));
    }

    #[test]
    fn percent_fields_are_typed_as_percent() {
        let draft = Draft::from_scenario(&reference(), 10_000, 1);
        assert_eq!(draft.growth, "2");
        assert_eq!(draft.uncertainty, "10");
        assert_eq!(draft.stages[0].kind, ConversionKind::Estimate);
        assert_eq!(
            (draft.stages[0].mean.as_str(), draft.stages[0].sd.as_str()),
            ("30", "4")
        );
        assert_eq!(draft.stages[5].rate, "92");
        assert_eq!(
            (draft.stages[1].won.as_str(), draft.stages[1].of.as_str()),
            ("180", "400")
        );

        let mut d = draft.clone();
        d.stages[5].rate = "30%".into();
        d.growth = "1.5".into();
        let s = d.to_scenario().unwrap();
        assert_eq!(s.stages[5].conversion, Conversion::Fixed(0.3));
        assert_eq!(s.leads.growth_per_month, 0.015);
    }

    #[test]
    fn awkward_rates_read_back_exactly() {
        for rate in [
            0.3,
            0.07,
            0.123456789,
            1.0 / 3.0,
            0.92,
            0.0,
            1.0,
            0.015,
            1e-9,
            -0.5,
        ] {
            let text = pct(rate);
            assert_eq!(parse_percent(&text).unwrap(), rate, "{rate} -> {text}");
        }
        assert_eq!(pct(0.3), "30");
        assert_eq!(pct(0.015), "1.5");
        assert_eq!(pct(0.4502), "45.02");
        assert_eq!(pct(1e-9), "0.0000001");
        assert_eq!(pct(-0.5), "-50");
        assert_eq!(pct(2.0), "200");
        assert_eq!(parse_percent("45.02"), Some(0.4502));
        assert_eq!(parse_percent("4502e-2 %"), Some(0.4502));
        assert_eq!(parse_percent("1e400"), None);
    }

    #[test]
    fn conversion_above_100_percent_names_the_field_in_percent() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        d.stages[2].kind = ConversionKind::Fixed;
        d.stages[2].rate = "150".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["stages[2].conversion"]);
        assert_eq!(errors[0].message, MSG_PERCENT);
        assert_eq!(
            field_label(&errors[0].path, &d),
            "Stage 3 (Discovery): conversion"
        );

        d.stages[2].kind = ConversionKind::Estimate;
        d.stages[2].mean = "-5".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["stages[2].conversion.mean"]);
        assert_eq!(errors[0].message, MSG_PERCENT);
    }

    #[test]
    fn every_bad_field_is_reported_with_its_path() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        d.horizon_months = "0".into();
        d.leads_per_month = "lots".into();
        d.growth = "-100".into();
        d.uncertainty = "".into();
        d.stages[0].name = " ".into();
        d.stages[1].won = "500".into();
        d.stages[3].days = "-1".into();
        d.stages[4].open = "2.5".into();
        d.deal_median = "0".into();
        d.target = "a lot".into();
        d.trials = "1000001".into();
        d.seed = "-1".into();
        let errors = d.to_run().unwrap_err();
        assert_eq!(
            paths(&errors),
            [
                "horizon_months",
                "leads.per_month",
                "leads.growth_per_month",
                "leads.uncertainty_cv",
                "stages[0].name",
                "stages[1].conversion.won",
                "stages[3].days",
                "stages[4].open",
                "deal_size.median",
                "target.revenue",
                "trials",
                "seed",
            ]
        );
        assert!(errors.iter().all(|e| e.message.starts_with("Enter")));
    }

    #[test]
    fn engine_checks_map_back_to_the_form() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        d.stages[0].sd = "60".into(); // mean 30%: the spread must stay below 45.8%
        d.stages[2].name = "Lead".into(); // duplicate
        d.deal_p90 = "100".into(); // below the median
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(
            paths(&errors),
            ["stages[0].conversion.sd", "stages[2].name", "deal_size.p90"]
        );
        assert!(errors[0].message.contains("45.8%"), "{}", errors[0].message);
        assert!(errors[1].message.contains("unique"));
        assert!(errors[2].message.starts_with("Must be at least the median"));
    }

    #[test]
    fn engine_rate_messages_become_percent_messages() {
        let d = Draft::from_scenario(&reference(), 10_000, 1);
        let reworded = d.reword(&FieldError::new(
            "stages[1].conversion",
            "must be a rate from 0 to 1",
        ));
        assert_eq!(reworded.message, MSG_PERCENT);
        let reworded = d.reword(&FieldError::new(
            "leads.uncertainty_cv",
            "must be from 0 to 2",
        ));
        assert!(reworded.message.contains("0 to 200"));
    }

    #[test]
    fn empty_target_means_none() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        d.target = "  ".into();
        assert_eq!(d.to_scenario().unwrap().target, None);
        d.target = "$1,500,000".into();
        assert_eq!(
            d.to_scenario().unwrap().target.map(|t| t.revenue),
            Some(1_500_000.0)
        );
    }

    #[test]
    fn people_type_numbers_loosely() {
        assert_eq!(parse_number(" 1,200 ", false), Some(1200.0));
        assert_eq!(parse_number("30 %", true), Some(30.0));
        assert_eq!(parse_number("30%", false), None);
        assert_eq!(parse_number("NaN", false), None);
        assert_eq!(parse_number("inf", false), None);
        assert_eq!(parse_number("", false), None);
        assert_eq!(parse_money("$12,000"), Some(12000.0));
        assert_eq!(parse_money("12000 USD"), Some(12000.0));
        assert_eq!(parse_whole("1,000"), Some(1000));
        assert_eq!(parse_whole("12.0"), Some(12));
        assert_eq!(parse_whole("12.5"), None);
        assert_eq!(parse_whole("18446744073709551615"), Some(u64::MAX));
    }

    #[test]
    fn stages_add_remove_and_move() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        let names = |d: &Draft| d.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        let id = d.add_stage().unwrap();
        assert_eq!(d.stages.last().unwrap().name, "Stage 7");
        assert!(d.to_scenario().is_ok());
        assert!(d.move_stage(id, Move::Up));
        assert_eq!(d.stage_index(id), Some(5));
        assert!(!d.move_stage(d.stages[0].id, Move::Up));
        let last = d.stages.last().unwrap().id;
        assert!(!d.move_stage(last, Move::Down));
        d.remove_stage(id);
        assert_eq!(
            names(&d),
            names(&Draft::from_scenario(&reference(), 10_000, 1))
        );
        // Ids stay unique after removals.
        let a = d.add_stage().unwrap();
        assert_ne!(a, id);
        while d.add_stage().is_some() {}
        assert_eq!(d.stages.len(), MAX_STAGES);

        for id in d.stages.iter().map(|s| s.id).collect::<Vec<_>>() {
            d.remove_stage(id);
        }
        assert_eq!(paths(&d.to_scenario().unwrap_err()), ["stages"]);
    }

    #[test]
    fn history_and_estimate_views_stay_filled_in() {
        let d = Draft::from_scenario(&reference(), 10_000, 1);
        // Qualified is "won 180 of 400": switching to a rate shows its mean.
        assert_eq!(d.stages[1].rate, "45.02");
        let mut d2 = d.clone();
        d2.stages[1].kind = ConversionKind::Fixed;
        assert_eq!(
            d2.to_scenario().unwrap().stages[1].conversion,
            Conversion::Fixed(0.4502)
        );
        // Contract is a fixed 92%: the spread starts at 0, so switching changes nothing.
        d2.stages[5].kind = ConversionKind::Estimate;
        assert_eq!(
            d2.to_scenario().unwrap().stages[5].conversion,
            Conversion::Estimate {
                mean: 0.92,
                sd: 0.0
            }
        );
    }

    #[test]
    fn field_ids_and_labels() {
        let d = Draft::from_scenario(&reference(), 10_000, 1);
        assert_eq!(
            field_id("stages[2].conversion.mean"),
            "f-stages-2-conversion-mean"
        );
        assert_eq!(field_id("leads.per_month"), "f-leads-per_month");
        assert_eq!(
            field_label("stages[3].conversion.sd", &d),
            "Stage 4 (Proposal): conversion spread"
        );
        assert_eq!(field_label("deal_size.p90", &d), "Deal size, P90");
        assert_eq!(stage_at("stages[12].days"), Some(12));
        assert_eq!(stage_at("leads"), None);
    }
}
