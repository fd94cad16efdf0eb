//! Range checks on a parsed scenario (MODEL.md's "valid" column and its
//! "Bounds, so that every result is a number").
//!
//! The app builds scenarios from its form, so these checks run on the typed
//! scenario rather than on JSON; the messages still name the file's field path.
//! Lists are checked against their limits before their items, so an over-long
//! list costs one message and no work per item; names are made unique with a
//! set, never by comparing pairs.

use std::collections::HashSet;

use crate::error::quote;
use crate::exercise::{
    Ask, Input, MAX_EDITABLE, MAX_TASK_CHARS, MAX_TITLE_CHARS, MAX_VARIANTS, Question,
};
use crate::parse::too_many;
use crate::scenario::{
    Conversion, FORMAT_VERSION, MAX_BANDS, MAX_DAYS, MAX_DEAL_MEDIAN, MAX_DEAL_SPREAD,
    MAX_HORIZON_MONTHS, MAX_LEADS_PER_MONTH, MAX_MILESTONES, MAX_OPEN, MAX_PAYMENT, MAX_PLANS,
    MAX_QUOTA, MAX_REPS, MAX_REVENUE_GOAL, MAX_SEASONALITY, MAX_STAGES, Plan, Scenario,
};
use crate::{ErrorKind, FieldError, ScenarioErrors};

/// Collects problems; `check` adds one when a condition fails.
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, kind: ErrorKind, message: impl Into<String>) {
        self.0.push(FieldError::with_kind(path, kind, message));
    }

    fn check(
        &mut self,
        ok: bool,
        path: impl Into<String>,
        kind: ErrorKind,
        message: impl Into<String>,
    ) {
        if !ok {
            self.add(path, kind, message);
        }
    }

    /// `x` finite and within `lo..=hi`.
    fn range(&mut self, x: f64, lo: f64, hi: f64, path: impl Into<String>, message: &str) {
        let kind = ErrorKind::OutOfRange { min: lo, max: hi };
        self.check(x.is_finite() && (lo..=hi).contains(&x), path, kind, message);
    }
}

/// A plain number for messages: `1e12` rather than `1000000000000`.
fn big(x: f64) -> String {
    if x >= 1.0e6 {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

impl Scenario {
    /// Every range check of docs/bounds.md on a typed scenario, each problem with
    /// its field path and kind (the app builds scenarios without parsing JSON).
    pub fn validate(&self) -> Result<(), ScenarioErrors> {
        let mut p = Problems(Vec::new());
        p.check(
            self.version == FORMAT_VERSION,
            "version",
            ErrorKind::Version {
                supported: FORMAT_VERSION,
            },
            "must be 1 (this program reads format version 1)",
        );
        p.check(
            (1..=MAX_HORIZON_MONTHS).contains(&self.horizon_months),
            "horizon_months",
            ErrorKind::OutOfRange {
                min: 1.0,
                max: f64::from(MAX_HORIZON_MONTHS),
            },
            "must be a whole number of months from 1 to 60",
        );
        if let Some(start) = self.start_month {
            p.check(
                (1..=12).contains(&start),
                "start_month",
                ErrorKind::OutOfRange {
                    min: 1.0,
                    max: 12.0,
                },
                "must be a month from 1 (January) to 12 (December)",
            );
        }
        self.validate_leads(&mut p);
        self.validate_stages(&mut p);

        let d = &self.deal_size;
        if !(d.median.is_finite() && d.median > 0.0) {
            p.add(
                "deal_size.median",
                ErrorKind::Above { min: 0.0 },
                "must be above 0",
            );
        } else if d.median > MAX_DEAL_MEDIAN {
            p.add(
                "deal_size.median",
                ErrorKind::AtMost {
                    max: MAX_DEAL_MEDIAN,
                },
                format!("must be at most {}", big(MAX_DEAL_MEDIAN)),
            );
        } else if !(d.p90.is_finite() && d.p90 >= d.median) {
            p.add(
                "deal_size.p90",
                ErrorKind::AtLeast { min: d.median },
                "must be at least the median (equal means every deal is the same size)",
            );
        } else if d.p90 / d.median > MAX_DEAL_SPREAD {
            p.add(
                "deal_size.p90",
                ErrorKind::AtMost {
                    max: d.median * MAX_DEAL_SPREAD,
                },
                "must be at most 1000 times the median",
            );
        }
        self.validate_target(&mut p);
        self.validate_team(&mut p);
        self.validate_exercise(&mut p);

        if p.0.is_empty() {
            Ok(())
        } else {
            Err(ScenarioErrors(p.0))
        }
    }

    fn validate_leads(&self, p: &mut Problems) {
        let leads = &self.leads;
        p.check(
            leads.per_month.is_finite() && leads.per_month >= 0.0,
            "leads.per_month",
            ErrorKind::AtLeast { min: 0.0 },
            "must be 0 or more",
        );
        p.check(
            leads.growth_per_month.is_finite() && leads.growth_per_month > -1.0,
            "leads.growth_per_month",
            ErrorKind::Above { min: -1.0 },
            "must be above -1 (-100% a month)",
        );
        p.range(
            leads.uncertainty_cv,
            0.0,
            2.0,
            "leads.uncertainty_cv",
            "must be from 0 to 2",
        );
        for (i, &x) in leads.seasonality.iter().flatten().enumerate() {
            p.range(
                x,
                0.0,
                MAX_SEASONALITY,
                format!("leads.seasonality[{i}]"),
                "must be from 0 to 12 (a multiplier of an average month's leads: 1 = average)",
            );
        }
        if leads.seasonality.iter().flatten().any(|x| !x.is_finite()) {
            // The limit below cannot be judged on numbers that are not numbers.
            return;
        }
        // The month-1 volume is the user's own number: name it first. A volume
        // that is fine on its own but grows past the limit is the fault of
        // whichever of the two brings more of the excess: a trillion leads at 2%
        // growth is a volume typed too big, 1,200 leads at 500% a month is growth.
        let peak = self.peak_lead_factor();
        if leads.per_month > MAX_LEADS_PER_MONTH {
            p.add(
                "leads.per_month",
                ErrorKind::AtMost {
                    max: MAX_LEADS_PER_MONTH,
                },
                "must be at most a trillion (1e12) leads a month",
            );
        } else if !(leads.per_month <= self.max_leads_per_month())
            && leads.per_month > 0.0
            && leads.per_month >= peak
        {
            // `per_month >= peak` keeps this at least 1: one lead a month always fits.
            let most = libm::floor(self.max_leads_per_month());
            p.add(
                "leads.per_month",
                ErrorKind::LeadsPastLimit { most: Some(most) },
                format!(
                    "grows beyond a trillion leads a month within the horizon at this growth{} (at most {} here)",
                    if leads.seasonality.is_some() { " and seasonality" } else { "" },
                    big(most)
                ),
            );
        } else if !(leads.per_month <= self.max_leads_per_month()) && leads.per_month > 0.0 {
            p.add(
                "leads.growth_per_month",
                ErrorKind::LeadsPastLimit { most: None },
                "grows leads beyond a trillion a month within the horizon",
            );
        }
    }

    fn validate_stages(&self, p: &mut Problems) {
        if self.stages.is_empty() {
            p.add("stages", ErrorKind::Empty, "needs at least one stage");
            return;
        }
        if self.stages.len() > MAX_STAGES {
            p.0.push(too_many("stages", self.stages.len(), MAX_STAGES));
            return;
        }
        let mut names = HashSet::new();
        for (i, stage) in self.stages.iter().enumerate() {
            let at = |field: &str| format!("stages[{i}].{field}");
            if stage.name.trim().is_empty() {
                p.add(at("name"), ErrorKind::Empty, "must not be empty");
            } else if !names.insert(stage.name.as_str()) {
                p.add(
                    at("name"),
                    ErrorKind::NotUnique,
                    format!(
                        "{} is used by an earlier stage; names must be unique",
                        quote(&stage.name)
                    ),
                );
            }
            conversion(&stage.conversion, &at("conversion"), p);
            if !(stage.days.is_finite() && stage.days >= 0.0) {
                p.add(
                    at("days"),
                    ErrorKind::AtLeast { min: 0.0 },
                    "must be 0 or more",
                );
            } else if stage.days > MAX_DAYS {
                p.add(
                    at("days"),
                    ErrorKind::AtMost { max: MAX_DAYS },
                    "must be at most 3650 (ten years)",
                );
            }
            p.check(
                stage.capacity_per_week != Some(0),
                at("capacity_per_week"),
                ErrorKind::AtLeast { min: 1.0 },
                "must be at least 1 deal a week (leave it out for no limit)",
            );
            p.check(
                stage.open <= MAX_OPEN,
                at("open"),
                ErrorKind::AtMost {
                    max: MAX_OPEN as f64,
                },
                "must be at most 1,000,000,000 deals",
            );
        }
    }

    fn validate_target(&self, p: &mut Problems) {
        let Some(t) = &self.target else { return };
        let goal = format!("must be from 0 to {}", big(MAX_REVENUE_GOAL));
        p.range(t.revenue, 0.0, MAX_REVENUE_GOAL, "target.revenue", &goal);
        if t.milestones.len() > MAX_MILESTONES {
            p.0.push(too_many(
                "target.milestones",
                t.milestones.len(),
                MAX_MILESTONES,
            ));
            return;
        }
        let mut months = HashSet::new();
        for (i, m) in t.milestones.iter().enumerate() {
            let at = |field: &str| format!("target.milestones[{i}].{field}");
            if !(1..=self.horizon_months).contains(&m.month) {
                p.add(
                    at("month"),
                    ErrorKind::OutOfRange {
                        min: 1.0,
                        max: f64::from(self.horizon_months),
                    },
                    format!(
                        "must be a month of the horizon, 1 to {}",
                        self.horizon_months
                    ),
                );
            } else if !months.insert(m.month) {
                p.add(at("month"), ErrorKind::NotUnique, "has a milestone already");
            }
            p.range(m.revenue, 0.0, MAX_REVENUE_GOAL, at("revenue"), &goal);
        }
    }

    fn validate_team(&self, p: &mut Problems) {
        if let Some(team) = &self.team {
            p.check(
                (1..=MAX_REPS).contains(&team.reps),
                "team.reps",
                ErrorKind::OutOfRange {
                    min: 1.0,
                    max: f64::from(MAX_REPS),
                },
                "must be a whole number from 1 to 500",
            );
            p.range(
                team.quota,
                1.0,
                MAX_QUOTA,
                "team.quota",
                "must be from 1 to 1e12",
            );
            p.range(
                team.skill_sd,
                0.0,
                2.0,
                "team.skill_sd",
                "must be from 0 to 2",
            );
        }
        if self.plans.is_empty() {
            return;
        }
        if self.team.is_none() {
            p.add(
                "plans",
                ErrorKind::NeedsTeam,
                "need a team: add \"team\": {\"reps\", \"quota\"} so commissions have someone to pay",
            );
        }
        if self.plans.len() > MAX_PLANS {
            p.0.push(too_many("plans", self.plans.len(), MAX_PLANS));
            return;
        }
        let mut names = HashSet::new();
        for (k, plan) in self.plans.iter().enumerate() {
            let at = format!("plans[{k}]");
            if plan.name.trim().is_empty() {
                p.add(format!("{at}.name"), ErrorKind::Empty, "must not be empty");
            } else if !names.insert(plan.name.as_str()) {
                p.add(
                    format!("{at}.name"),
                    ErrorKind::NotUnique,
                    format!(
                        "{} is used by an earlier plan; names must be unique",
                        quote(&plan.name)
                    ),
                );
            }
            self.validate_plan(plan, &at, p);
        }
    }

    fn validate_plan(&self, plan: &Plan, at: &str, p: &mut Problems) {
        let bands = &plan.commission;
        if bands.is_empty() {
            p.add(
                format!("{at}.commission"),
                ErrorKind::Empty,
                "needs at least one band",
            );
        } else if bands.len() > MAX_BANDS {
            p.0.push(too_many(
                &format!("{at}.commission"),
                bands.len(),
                MAX_BANDS,
            ));
        } else {
            for (b, band) in bands.iter().enumerate() {
                let path = format!("{at}.commission[{b}]");
                if !band.from.is_finite() {
                    p.add(
                        format!("{path}.from"),
                        ErrorKind::WrongType,
                        "must be a number",
                    );
                } else if b == 0 && band.from != 0.0 {
                    p.add(
                        format!("{path}.from"),
                        ErrorKind::FirstBandNotAtZero,
                        "the first band must start at 0",
                    );
                } else if b > 0 && !(band.from > bands[b - 1].from) {
                    p.add(
                        format!("{path}.from"),
                        ErrorKind::Above {
                            min: bands[b - 1].from,
                        },
                        format!(
                            "must be above the previous band's `from` ({}): bands are ordered and do not overlap",
                            bands[b - 1].from
                        ),
                    );
                }
                p.check(
                    is_rate(band.rate),
                    format!("{path}.rate"),
                    ErrorKind::NotARate,
                    "must be a rate from 0 to 1",
                );
            }
        }
        let payment = format!("must be from 0 to {}", big(MAX_PAYMENT));
        p.range(
            plan.quota_bonus,
            0.0,
            MAX_PAYMENT,
            format!("{at}.quota_bonus"),
            &payment,
        );
        if let Some(cap) = plan.cap {
            p.check(
                cap.is_finite() && cap >= 1.0,
                format!("{at}.cap"),
                ErrorKind::AtLeast { min: 1.0 },
                "must be at least 1 (a cap below quota would stop commission before quota)",
            );
        }
        if let Some(spif) = &plan.spif {
            p.check(
                self.stages.iter().any(|s| s.name == spif.stage),
                format!("{at}.spif.stage"),
                ErrorKind::NotAStage,
                format!("{} is not a stage of this funnel", quote(&spif.stage)),
            );
            p.range(
                spif.per_deal,
                0.0,
                MAX_PAYMENT,
                format!("{at}.spif.per_deal"),
                &payment,
            );
        }
        let uplifts = &plan.effect.conversion;
        if uplifts.len() > MAX_STAGES {
            p.0.push(too_many(
                &format!("{at}.effect.conversion"),
                uplifts.len(),
                MAX_STAGES,
            ));
        } else {
            for (name, uplift) in uplifts {
                let path = format!("{at}.effect.conversion.{name}");
                if !self.stages.iter().any(|s| &s.name == name) {
                    p.add(
                        path,
                        ErrorKind::NotAStage,
                        format!("{} is not a stage of this funnel", quote(name)),
                    );
                } else {
                    p.check(
                        uplift.is_finite() && *uplift > -1.0,
                        path,
                        ErrorKind::Above { min: -1.0 },
                        "must be above -1 (-100%)",
                    );
                }
            }
        }
        let leads = plan.effect.leads;
        let path = format!("{at}.effect.leads");
        if !(leads.is_finite() && leads > -1.0) {
            p.add(
                path,
                ErrorKind::Above { min: -1.0 },
                "must be above -1 (-100%)",
            );
        } else {
            // The plan's lead volume obeys the headline's limit: past it a Poisson
            // mean would leave the range any sampler can draw from.
            let limit = self.max_leads_per_month();
            let volume = self.leads.per_month * (1.0 + leads);
            if self.leads.per_month <= limit && !(volume <= limit) {
                let most = libm::floor((limit / self.leads.per_month - 1.0) * 1e4) / 1e4;
                p.add(
                    path,
                    ErrorKind::LeadsPastLimit { most: Some(most) },
                    format!(
                        "takes leads beyond a trillion a month within the horizon (at most {} here)",
                        big(most)
                    ),
                );
            }
        }
    }
}

impl Scenario {
    fn validate_exercise(&self, p: &mut Problems) {
        let Some(x) = &self.exercise else { return };
        let long = |path: &str, max: usize| {
            FieldError::with_kind(
                path,
                ErrorKind::TooLong { max },
                format!("is longer than {max} characters"),
            )
        };
        if x.title.chars().count() > MAX_TITLE_CHARS {
            p.0.push(long("exercise.title", MAX_TITLE_CHARS));
        }
        if x.task.trim().is_empty() {
            p.add("exercise.task", ErrorKind::Empty, "must not be empty");
        } else if x.task.chars().count() > MAX_TASK_CHARS {
            p.0.push(long("exercise.task", MAX_TASK_CHARS));
        }
        if x.editable.len() > MAX_EDITABLE {
            p.0.push(too_many(
                "exercise.editable",
                x.editable.len(),
                MAX_EDITABLE,
            ));
        } else {
            let mut seen = HashSet::new();
            for (k, input) in x.editable.iter().enumerate() {
                self.exercise_input(
                    input,
                    seen.insert(*input),
                    &format!("exercise.editable[{k}]"),
                    p,
                );
            }
        }
        self.validate_question(&x.question, p);
        if x.variants.len() > MAX_VARIANTS {
            p.0.push(too_many(
                "exercise.variants",
                x.variants.len(),
                MAX_VARIANTS,
            ));
            return;
        }
        let mut seen = HashSet::new();
        for (k, v) in x.variants.iter().enumerate() {
            let at = format!("exercise.variants[{k}]");
            let path = format!("{at}.path");
            if self.exercise_input(&v.path, seen.insert(v.path), &path, p) && !v.path.can_vary() {
                p.add(
                    path,
                    ErrorKind::CannotVary,
                    format!(
                        "{} cannot vary from student to student (vary a number: leads, growth, \
                         a stage's conversion, days or open deals, deal size or the target)",
                        v.path.path()
                    ),
                );
            }
            p.range(
                v.spread,
                0.0,
                1.0,
                format!("{at}.spread"),
                "must be from 0 to 1 (1 = up to 100% either way)",
            );
        }
    }

    /// Whether `input` is one of this scenario's and not named before (`new`);
    /// adds the problem when not.
    fn exercise_input(&self, input: &Input, new: bool, path: &str, p: &mut Problems) -> bool {
        if !input.exists_in(self) {
            let why = match input {
                Input::TargetRevenue => "the scenario has no target".to_string(),
                _ => format!(
                    "the funnel has {} stages, counted from 0",
                    self.stages.len()
                ),
            };
            p.add(
                path,
                ErrorKind::NotAnInput,
                format!("{} is not an input of this scenario: {why}", input.path()),
            );
            false
        } else if !new {
            p.add(
                path,
                ErrorKind::NotUnique,
                format!("{} is listed already", input.path()),
            );
            false
        } else {
            true
        }
    }

    fn validate_question(&self, q: &Question, p: &mut Problems) {
        let at = "exercise.question";
        if q.ask.needs_target() && self.target.is_none() {
            p.add(
                format!("{at}.ask"),
                ErrorKind::NeedsTarget,
                format!(
                    "{} needs a target: add \"target\": {{\"revenue\"}}",
                    quote(q.ask.as_str())
                ),
            );
        }
        match &q.ask {
            Ask::GoalLeads { confidence } => confidence_in(*confidence, at, p),
            Ask::GoalConversion { stage, confidence } => {
                p.check(
                    self.stages.iter().any(|s| &s.name == stage),
                    format!("{at}.stage"),
                    ErrorKind::NotAStage,
                    format!("{} is not a stage of this funnel", quote(stage)),
                );
                confidence_in(*confidence, at, p);
            }
            _ => {}
        }
        if q.ask.absolute_tolerance() {
            p.range(
                q.tolerance,
                0.0,
                1.0,
                format!("{at}.tolerance"),
                "must be from 0 to 1 (0.02 = 2 points either way)",
            );
        } else {
            p.check(
                q.tolerance.is_finite() && q.tolerance >= 0.0,
                format!("{at}.tolerance"),
                ErrorKind::AtLeast { min: 0.0 },
                "must be 0 or more (0.05 = 5% either way)",
            );
        }
    }
}

fn confidence_in(c: f64, at: &str, p: &mut Problems) {
    p.check(
        c.is_finite() && c > 0.0 && c < 1.0,
        format!("{at}.confidence"),
        ErrorKind::OutOfRange { min: 0.0, max: 1.0 },
        "must be between 0 and 1 (exclusive), e.g. 0.8",
    );
}

/// A rate: finite and from 0 to 1.
fn is_rate(x: f64) -> bool {
    x.is_finite() && (0.0..=1.0).contains(&x)
}

fn conversion(c: &Conversion, path: &str, p: &mut Problems) {
    let not_a_rate = "must be a rate from 0 to 1";
    match *c {
        Conversion::Fixed(x) => p.check(is_rate(x), path, ErrorKind::NotARate, not_a_rate),
        Conversion::Estimate { mean, sd } => {
            if !is_rate(mean) {
                p.add(format!("{path}.mean"), ErrorKind::NotARate, not_a_rate);
            } else if !(sd.is_finite() && sd >= 0.0) {
                p.add(
                    format!("{path}.sd"),
                    ErrorKind::AtLeast { min: 0.0 },
                    "must be 0 or more",
                );
            } else if sd > 0.0 && !(sd * sd < mean * (1.0 - mean)) {
                let limit = libm::sqrt(mean * (1.0 - mean));
                p.add(
                    format!("{path}.sd"),
                    ErrorKind::SpreadTooWide { mean, limit },
                    format!("must be below {limit:.3} (sqrt(mean*(1-mean)))"),
                );
            }
        }
        Conversion::History { won, of } => p.check(
            won <= of,
            format!("{path}.won"),
            ErrorKind::AtMost { max: of as f64 },
            format!("must be at most `of` ({of})"),
        ),
    }
}
