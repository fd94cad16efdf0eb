//! The form's state: what the user typed, as text, and its conversion to and
//! from the engine's `Scenario`.
//!
//! Percentages are typed as percent (30 means a rate of 0.30). Every problem
//! comes back as a `FieldError` whose path is MODEL.md's field path (e.g.
//! `stages[2].conversion.mean`), so the form can mark the exact field; the
//! engine's own checks (`Scenario::validate`) are mapped back the same way,
//! with percent fields re-worded in percent.

use std::sync::LazyLock;

use funnel_engine::scenario::{FORMAT_VERSION, MAX_HORIZON_MONTHS, MAX_STAGES};
use funnel_engine::{FieldError, Noise, Scenario, Stage, Target};

mod labels;
mod limits;
mod messages;
mod milestones;
mod numbers;
mod plans;
mod read;
mod seasonality;
mod stage;
pub use labels::{field_id, field_label, label, stage_at, stage_title};
pub use limits::{DEFAULT_SEED, DEFAULT_TRIALS, MAX_APP_TRIALS, MAX_RUN_BYTES, max_trials};
use messages::sentence;
pub use milestones::{MAX_MILESTONES, MSG_CAPACITY, MilestoneDraft, milestone_at};
pub use numbers::{
    MSG_CONFIDENCE, num, parse_confidence, parse_money, parse_number, parse_percent, parse_whole,
    pct,
};
pub use plans::{
    BandDraft, MAX_BANDS, MAX_PLANS, PlanDraft, TeamDraft, UpliftDraft, parse_tiers, plan_at,
    plan_title, tiers_explained, tiers_str,
};
use read::Errors;
pub use seasonality::{MSG_SEASON, SeasonPreset, month_short, season_at};
pub use stage::{ConversionKind, StageDraft};

pub const MSG_PERCENT: &str = "Enter a percentage from 0 to 100";

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
    /// Leads of each calendar month, January first, in percent of an
    /// average month (see `form/seasonality.rs`).
    pub seasonality: [String; 12],
    /// Calendar month the forecast starts in (1 = January); `None` until chosen.
    pub start_month: Option<u32>,
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
            seasonality: Default::default(),
            start_month: None,
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
        draft.load_seasonality(scenario);
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
        self.insert_stage(self.stages.len())
    }

    /// Adds a stage right after the stage with this id (or does nothing at
    /// the 20-stage limit, or for an id that is not a stage); returns its id.
    pub fn insert_stage_after(&mut self, id: u32) -> Option<u32> {
        let i = self.stage_index(id)?;
        self.insert_stage(i + 1)
    }

    /// Puts a new stage at index `at`, named after its position. Stages
    /// carry their own open deals and plans name stages, never positions, so
    /// nothing else needs renumbering.
    fn insert_stage(&mut self, at: usize) -> Option<u32> {
        if self.stages.len() >= MAX_STAGES || at > self.stages.len() {
            return None;
        }
        // A name a plan still uses (its stage removed or renamed, the plan
        // marked) would silently give the plan to the new stage.
        let taken = |name: &str| {
            self.stages.iter().any(|s| s.name == name)
                || self
                    .plans
                    .iter()
                    .any(|p| p.spif_stage == name || p.uplifts.iter().any(|u| u.stage == name))
        };
        let mut n = at + 1;
        let mut name = format!("Stage {n}");
        while taken(&name) {
            n += 1;
            name = format!("Stage {n}");
        }
        let id = self.take_id();
        let mut stage = new_stage();
        stage.name = name;
        self.stages.insert(at, StageDraft::from_stage(id, &stage));
        Some(id)
    }

    pub fn remove_stage(&mut self, id: u32) {
        self.stages.retain(|s| s.id != id);
    }

    /// Moves a stage one place; returns its new index, or `None` when it
    /// is already at that end (or is not a stage).
    pub fn move_stage(&mut self, id: u32, direction: Move) -> Option<usize> {
        let i = self.stage_index(id)?;
        let j = match direction {
            Move::Up if i > 0 => i - 1,
            Move::Down if i + 1 < self.stages.len() => i + 1,
            _ => return None,
        };
        self.stages.swap(i, j);
        Some(j)
    }

    /// How the page names a stage in a sentence: its name, or its position
    /// while the name is empty.
    pub fn stage_who(&self, id: u32) -> String {
        let Some(i) = self.stage_index(id) else {
            return String::new();
        };
        match self.stages[i].name.trim() {
            "" => format!("stage {}", i + 1),
            name => name.to_owned(),
        }
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
        let seasonality = self.read_seasonality(&mut e);

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
            Some(seasonality),
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
            seasonality,
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
        scenario.leads.seasonality = seasonality;
        scenario.start_month = self.start_month;
        scenario.stages = stages;
        scenario.deal_size.median = median;
        scenario.deal_size.p90 = p90;
        scenario.target = target;
        if let Some(t) = scenario.target.as_mut() {
            t.milestones = milestones;
        }
        scenario.team = team;
        scenario.plans = plans;
        // The one validation of an edit. The form's own checks above only
        // read the fields (with their ranges, so that every problem shows at
        // once, the engine's check needing a whole scenario). A worker checks
        // the scenario again when it builds its `Simulation`: a run crosses a
        // message boundary, and the engine trusts no caller (the command line
        // is one).
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
}

/// Defaults for parts the user adds, read from the file format so that
/// fields a later format adds get their defaults too. Read once: a typed
/// target takes its defaults from here at every edit.
fn template() -> &'static Scenario {
    static TEMPLATE: LazyLock<Scenario> = LazyLock::new(|| {
        const NEW: &str = r#"{"version":1,"horizon_months":1,"leads":{"per_month":0},
            "stages":[{"name":"New","conversion":1,"days":0,"open":0}],
            "deal_size":{"median":1,"p90":1},"target":{"revenue":0}}"#;
        Scenario::from_json(NEW).expect("the template is a valid scenario")
    });
    &TEMPLATE
}

/// A new stage: every deal moves on, in the week it arrives, none open. Added
/// at the end, it changes no forecast until the user fills it in (a 50%
/// default halved the revenue the moment the button was pressed).
fn new_stage() -> Stage {
    template().stages[0].clone()
}

/// A new target (its revenue is set by the caller).
fn new_target() -> Target {
    template()
        .target
        .clone()
        .expect("the template has a target")
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::{Conversion, ErrorKind};

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
    }

    fn paths(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn a_run_too_big_for_the_browser_names_trials_and_its_limit() {
        let reference =
            Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap();
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
        let team = Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap();
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
        scenarios.extend(crate::share::presets::PRESETS.iter().map(|p| p.scenario()));
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
        let reworded = d.reword(&FieldError::with_kind(
            "stages[1].conversion",
            ErrorKind::NotARate,
            "must be a rate from 0 to 1",
        ));
        assert_eq!(reworded.message, MSG_PERCENT);
        let reworded = d.reword(&FieldError::with_kind(
            "leads.uncertainty_cv",
            ErrorKind::OutOfRange { min: 0.0, max: 2.0 },
            "must be from 0 to 2",
        ));
        assert_eq!(
            reworded.message,
            "Enter a percentage from 0 to 200 (0 for none)"
        );
        // The kind decides, not the words: a message the form does not know
        // is shown as the engine wrote it.
        let reworded = d.reword(&FieldError::with_kind(
            "stages[1].conversion",
            ErrorKind::Other,
            "must be a rate from 0 to 1",
        ));
        assert_eq!(reworded.message, "Must be a rate from 0 to 1");
    }

    #[test]
    fn a_trillion_leads_a_month_marks_leads_per_month_not_growth() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        d.leads_per_month = "1e12".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["leads.per_month"]);
        assert!(
            errors[0].message.starts_with("Enter at most 7"),
            "{}",
            errors[0].message
        );
        // The most it names is accepted.
        let most = errors[0].message["Enter at most ".len()..]
            .split(' ')
            .next()
            .unwrap()
            .replace(',', "");
        d.leads_per_month = most;
        assert!(d.to_scenario().is_ok());
        // Growth past all reason is growth's fault.
        d.leads_per_month = "1200".into();
        d.growth = "500".into();
        assert_eq!(
            paths(&d.to_scenario().unwrap_err()),
            ["leads.growth_per_month"]
        );
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
    fn stages_add_remove_and_move() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        let names = |d: &Draft| d.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        let id = d.add_stage().unwrap();
        assert_eq!(d.stages.last().unwrap().name, "Stage 7");
        assert!(d.to_scenario().is_ok());
        assert_eq!(d.move_stage(id, Move::Up), Some(5));
        assert_eq!(d.stage_index(id), Some(5));
        assert_eq!(d.move_stage(d.stages[0].id, Move::Up), None);
        let last = d.stages.last().unwrap().id;
        assert_eq!(d.move_stage(last, Move::Down), None);
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
    fn adding_a_stage_leaves_the_forecast_as_it_was() {
        let mean = |s: &Scenario| {
            let sim = funnel_engine::Simulation::new(s, 2_000, 7).unwrap();
            let revenue = funnel_engine::Summary::new(&sim, &sim.run_all()).revenue;
            (revenue.mean, revenue.mean_se)
        };
        let mut d = Draft::from_scenario(&reference(), 2_000, 7);
        let (before, se_before) = mean(&d.to_scenario().unwrap());
        d.add_stage().unwrap();
        let after = d.to_scenario().unwrap();
        assert_eq!(after.stages.len(), 7);
        // The new stage's outcomes (lost there, open there) are draws of their
        // own, so the figures move by Monte Carlo error only, not by the stage.
        let (after, se_after) = mean(&after);
        let tolerance = 4.0 * se_before.hypot(se_after);
        assert!(
            (after - before).abs() <= tolerance,
            "{before} -> {after} (tolerance {tolerance})"
        );
        assert!(tolerance < 0.05 * before, "{tolerance}");
    }

    fn names(d: &Draft) -> Vec<&str> {
        d.stages.iter().map(|s| s.name.as_str()).collect()
    }

    fn team50() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap()
    }

    #[test]
    fn a_stage_inserted_after_another_comes_right_after_it() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        let qualified = d.stages[1].id;
        let id = d.insert_stage_after(qualified).unwrap();
        assert_eq!(
            names(&d),
            [
                "Lead",
                "Qualified",
                "Stage 3",
                "Discovery",
                "Proposal",
                "Negotiation",
                "Contract"
            ]
        );
        assert_eq!(d.stage_index(id), Some(2));
        assert_eq!(d.stages.iter().filter(|s| s.id == id).count(), 1);
        // Numbered by position, and never a name already in the list.
        let again = d.insert_stage_after(qualified).unwrap();
        assert_eq!(d.stages[2].id, again);
        assert_eq!(d.stages[2].name, "Stage 4");
        // After the last stage is the end.
        let last = d.stages.last().unwrap().id;
        let end = d.insert_stage_after(last).unwrap();
        assert_eq!(d.stage_index(end), Some(d.stages.len() - 1));
        assert!(d.to_scenario().is_ok());

        assert_eq!(d.insert_stage_after(9_999), None, "no such stage");
        while d.add_stage().is_some() {}
        let before = d.clone();
        assert_eq!(d.insert_stage_after(qualified), None, "at the limit");
        assert_eq!(d, before);
    }

    #[test]
    fn a_new_stage_anywhere_is_neutral() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        let before = d.to_scenario().unwrap();
        for at in [0, 2, 5] {
            let mut d = d.clone();
            d.insert_stage_after(d.stages[at].id).unwrap();
            let after = d.to_scenario().unwrap();
            let new = &after.stages[at + 1];
            assert_eq!(
                (new.conversion, new.days, new.open, new.capacity_per_week),
                (Conversion::Fixed(1.0), 0.0, 0, None),
                "after stage {at}"
            );
            // Every other stage, with its open deals, is as it was.
            let mut rest = after.stages.clone();
            rest.remove(at + 1);
            assert_eq!(rest, before.stages, "after stage {at}");
            assert_eq!(after.target, before.target);
        }
        // The neutral stage does not take the template's name.
        d.add_stage().unwrap();
        assert_eq!(d.stages.last().unwrap().name, "Stage 7");
    }

    #[test]
    fn inserting_a_stage_in_the_middle_leaves_the_forecast_as_it_was() {
        let mean = |s: &Scenario| {
            let sim = funnel_engine::Simulation::new(s, 2_000, 7).unwrap();
            let revenue = funnel_engine::Summary::new(&sim, &sim.run_all()).revenue;
            (revenue.mean, revenue.mean_se)
        };
        let scenario = crate::share::presets::PRESETS[0].scenario();
        let d = Draft::from_scenario(&scenario, 2_000, 7);
        let (before, se_before) = mean(&d.to_scenario().unwrap());
        for at in [0, 2, 4] {
            let mut d = d.clone();
            d.insert_stage_after(d.stages[at].id).unwrap();
            // Later stages' outcomes are drawn from other streams now, so the
            // figures move by Monte Carlo error only, not by the stage.
            let (after, se_after) = mean(&d.to_scenario().unwrap());
            let tolerance = 4.0 * se_before.hypot(se_after);
            assert!(
                (after - before).abs() <= tolerance,
                "after stage {at}: {before} -> {after} (tolerance {tolerance})"
            );
            assert!(tolerance < 0.05 * before, "{tolerance}");
        }
    }

    #[test]
    fn plans_and_milestones_keep_their_stages_through_inserts_and_moves() {
        let mut scenario = team50();
        scenario.target.as_mut().unwrap().milestones = vec![funnel_engine::scenario::Milestone {
            month: 6,
            revenue: 1_000_000.0,
        }];
        let mut d = Draft::from_scenario(&scenario, 10_000, 1);
        let before = d.to_scenario().unwrap();
        let proposal = d.stages[3].id;
        d.insert_stage_after(d.stages[2].id).unwrap();
        d.insert_stage_after(proposal).unwrap();
        assert_eq!(d.move_stage(proposal, Move::Down), Some(5));
        let after = d.to_scenario().unwrap();
        assert_eq!(after.plans, before.plans, "plans name their stages");
        assert_eq!(after.target, before.target);
        assert_eq!(after.team, before.team);
        let proposal = after.stages.iter().find(|s| s.name == "Proposal").unwrap();
        assert_eq!(proposal.open, 20, "open deals move with their stage");
    }

    #[test]
    fn a_new_stage_never_takes_a_name_a_plan_still_uses() {
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        // Plan 3's stage was renamed away; the plan is marked until the user chooses.
        d.plans[2].spif_stage = "Stage 3".into();
        d.plans[2].uplifts[0].stage = "Stage 4".into();
        d.insert_stage_after(d.stages[1].id).unwrap();
        assert_eq!(d.stages[2].name, "Stage 5");
        assert_eq!(
            paths(&d.to_scenario().unwrap_err()),
            ["plans[2].spif.stage", "plans[2].effect.conversion[0].stage"]
        );
    }

    #[test]
    fn a_stage_moves_one_place_at_a_time_and_back() {
        let d0 = Draft::from_scenario(&reference(), 10_000, 1);
        let mut d = d0.clone();
        let proposal = d.stages[3].id;
        assert_eq!(d.move_stage(proposal, Move::Down), Some(4));
        assert_eq!(d.move_stage(proposal, Move::Down), Some(5));
        assert_eq!(
            names(&d),
            [
                "Lead",
                "Qualified",
                "Discovery",
                "Negotiation",
                "Contract",
                "Proposal"
            ]
        );
        assert_eq!(d.move_stage(proposal, Move::Down), None, "already last");
        let lead = d.stages[0].id;
        assert_eq!(d.move_stage(lead, Move::Up), None, "already first");
        assert_eq!(d.move_stage(9_999, Move::Up), None, "no such stage");
        assert_eq!(d.move_stage(proposal, Move::Up), Some(4));
        assert_eq!(d.move_stage(proposal, Move::Up), Some(3));
        assert_eq!(d, d0);
    }

    #[test]
    fn a_stage_is_named_by_its_name_or_else_its_position() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        let id = d.stages[3].id;
        assert_eq!(d.stage_who(id), "Proposal");
        d.stages[3].name = "  ".into();
        assert_eq!(d.stage_who(id), "stage 4");
        d.move_stage(id, Move::Up);
        assert_eq!(d.stage_who(id), "stage 3");
        assert_eq!(d.stage_who(9_999), "");
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
}

#[cfg(test)]
mod exercise_tests {
    use super::*;

    /// The form does not edit a classroom exercise yet; a scenario that has
    /// one keeps it through the form, so a trainer's link is never stripped.
    #[test]
    fn the_form_keeps_an_exercise_it_does_not_edit() {
        let s = Scenario::from_json(include_str!("../../scenarios/exercise-goal.json")).unwrap();
        assert!(s.exercise.is_some());
        let mut d = Draft::from_scenario(&s, 2_000, 7);
        d.leads_per_month = "1200".into();
        let back = d.to_scenario().unwrap();
        assert_eq!(back.exercise, s.exercise);
    }
}
