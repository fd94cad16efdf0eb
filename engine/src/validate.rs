//! Range checks on a parsed scenario (MODEL.md's "valid" column).
//!
//! The app builds scenarios from its form, so these checks run on the typed
//! scenario rather than on JSON; the messages still name the file's field path.

use crate::scenario::{
    Conversion, FORMAT_VERSION, MAX_HORIZON_MONTHS, MAX_REPS, MAX_STAGES, Plan, Scenario,
};
use crate::{FieldError, ScenarioErrors};

impl Scenario {
    pub fn validate(&self) -> Result<(), ScenarioErrors> {
        let mut errors = Vec::new();
        let mut check = |ok: bool, path: &str, message: &str| {
            if !ok {
                errors.push(FieldError::new(path, message));
            }
        };
        check(
            self.version == FORMAT_VERSION,
            "version",
            "must be 1 (this program reads format version 1)",
        );
        check(
            (1..=MAX_HORIZON_MONTHS).contains(&self.horizon_months),
            "horizon_months",
            "must be a whole number of months from 1 to 60",
        );

        let leads = &self.leads;
        check(
            leads.per_month.is_finite() && leads.per_month >= 0.0,
            "leads.per_month",
            "must be 0 or more",
        );
        check(
            leads.growth_per_month.is_finite() && leads.growth_per_month > -1.0,
            "leads.growth_per_month",
            "must be above -1 (-100% a month)",
        );
        check(
            leads.uncertainty_cv.is_finite() && (0.0..=2.0).contains(&leads.uncertainty_cv),
            "leads.uncertainty_cv",
            "must be from 0 to 2",
        );
        // Expected leads over the horizon must stay a count the engine can hold.
        let months = self.horizon_months.min(MAX_HORIZON_MONTHS) as i32;
        let last_month = leads.per_month * libm::pow(1.0 + leads.growth_per_month, months as f64);
        check(
            !(last_month > 1.0e12),
            "leads.growth_per_month",
            "grows leads beyond a trillion a month within the horizon",
        );
        check(
            !(leads.per_month > 1.0e12),
            "leads.per_month",
            "must be at most a trillion leads a month",
        );

        if self.stages.is_empty() {
            errors.push(FieldError::new("stages", "needs at least one stage"));
        }
        if self.stages.len() > MAX_STAGES {
            errors.push(FieldError::new("stages", "can have at most 20 stages"));
        }
        for (i, stage) in self.stages.iter().enumerate() {
            let at = |field: &str| format!("stages[{i}].{field}");
            if stage.name.trim().is_empty() {
                errors.push(FieldError::new(at("name"), "must not be empty"));
            } else if self.stages[..i].iter().any(|s| s.name == stage.name) {
                errors.push(FieldError::new(
                    at("name"),
                    format!(
                        "\"{}\" is used by an earlier stage; names must be unique",
                        stage.name
                    ),
                ));
            }
            conversion(&stage.conversion, &at("conversion"), &mut errors);
            if !(stage.days.is_finite() && stage.days >= 0.0) {
                errors.push(FieldError::new(at("days"), "must be 0 or more"));
            } else if stage.days > 3650.0 {
                errors.push(FieldError::new(
                    at("days"),
                    "must be at most 3650 (ten years)",
                ));
            }
            if stage.capacity_per_week == Some(0) {
                errors.push(FieldError::new(
                    at("capacity_per_week"),
                    "must be at least 1 deal a week (leave it out for no limit)",
                ));
            }
            if stage.open > 1_000_000_000 {
                errors.push(FieldError::new(
                    at("open"),
                    "must be at most 1,000,000,000 deals",
                ));
            }
        }

        let d = &self.deal_size;
        if !(d.median.is_finite() && d.median > 0.0) {
            errors.push(FieldError::new("deal_size.median", "must be above 0"));
        } else if !(d.p90.is_finite() && d.p90 >= d.median) {
            errors.push(FieldError::new(
                "deal_size.p90",
                "must be at least the median (equal means every deal is the same size)",
            ));
        } else if d.p90 / d.median > 1000.0 {
            errors.push(FieldError::new(
                "deal_size.p90",
                "must be at most 1000 times the median",
            ));
        }
        if let Some(t) = &self.target {
            if !(t.revenue.is_finite() && t.revenue >= 0.0) {
                errors.push(FieldError::new("target.revenue", "must be 0 or more"));
            }
            for (i, m) in t.milestones.iter().enumerate() {
                if !(1..=self.horizon_months).contains(&m.month) {
                    errors.push(FieldError::new(
                        format!("target.milestones[{i}].month"),
                        format!(
                            "must be a month of the horizon, 1 to {}",
                            self.horizon_months
                        ),
                    ));
                } else if t.milestones[..i].iter().any(|e| e.month == m.month) {
                    errors.push(FieldError::new(
                        format!("target.milestones[{i}].month"),
                        "has a milestone already",
                    ));
                }
                if !(m.revenue.is_finite() && m.revenue >= 0.0) {
                    errors.push(FieldError::new(
                        format!("target.milestones[{i}].revenue"),
                        "must be 0 or more",
                    ));
                }
            }
        }

        if let Some(team) = &self.team {
            if !(1..=MAX_REPS).contains(&team.reps) {
                errors.push(FieldError::new(
                    "team.reps",
                    "must be a whole number from 1 to 500",
                ));
            }
            if !(team.quota.is_finite() && team.quota > 0.0) {
                errors.push(FieldError::new("team.quota", "must be above 0"));
            }
            if !(team.skill_sd.is_finite() && (0.0..=2.0).contains(&team.skill_sd)) {
                errors.push(FieldError::new("team.skill_sd", "must be from 0 to 2"));
            }
        }
        if !self.plans.is_empty() && self.team.is_none() {
            errors.push(FieldError::new(
                "plans",
                "need a team: add \"team\": {\"reps\", \"quota\"} so commissions have someone to pay",
            ));
        }
        for (k, plan) in self.plans.iter().enumerate() {
            let at = format!("plans[{k}]");
            if plan.name.trim().is_empty() {
                errors.push(FieldError::new(format!("{at}.name"), "must not be empty"));
            } else if self.plans[..k].iter().any(|p| p.name == plan.name) {
                errors.push(FieldError::new(
                    format!("{at}.name"),
                    format!(
                        "\"{}\" is used by an earlier plan; names must be unique",
                        plan.name
                    ),
                ));
            }
            self.validate_plan(plan, &at, &mut errors);
        }

        if errors.is_empty() {
            Ok(())
        } else {
            Err(ScenarioErrors(errors))
        }
    }
}

impl Scenario {
    fn validate_plan(&self, plan: &Plan, at: &str, errors: &mut Vec<FieldError>) {
        let bands = &plan.commission;
        if bands.is_empty() {
            errors.push(FieldError::new(
                format!("{at}.commission"),
                "needs at least one band",
            ));
        }
        for (b, band) in bands.iter().enumerate() {
            let path = format!("{at}.commission[{b}]");
            if b == 0 && band.from != 0.0 {
                errors.push(FieldError::new(
                    format!("{path}.from"),
                    "the first band must start at 0",
                ));
            } else if b > 0 && !(band.from > bands[b - 1].from) {
                errors.push(FieldError::new(
                    format!("{path}.from"),
                    format!(
                        "must be above the previous band's `from` ({}): bands are ordered and do not overlap",
                        bands[b - 1].from
                    ),
                ));
            } else if !band.from.is_finite() {
                errors.push(FieldError::new(format!("{path}.from"), "must be a number"));
            }
            if !(band.rate.is_finite() && (0.0..=1.0).contains(&band.rate)) {
                errors.push(FieldError::new(
                    format!("{path}.rate"),
                    "must be a rate from 0 to 1",
                ));
            }
        }
        if !(plan.quota_bonus.is_finite() && plan.quota_bonus >= 0.0) {
            errors.push(FieldError::new(
                format!("{at}.quota_bonus"),
                "must be 0 or more",
            ));
        }
        if let Some(cap) = plan.cap {
            if !(cap.is_finite() && cap >= 1.0) {
                errors.push(FieldError::new(
                    format!("{at}.cap"),
                    "must be at least 1 (a cap below quota would stop commission before quota)",
                ));
            }
        }
        if let Some(spif) = &plan.spif {
            if !self.stages.iter().any(|s| s.name == spif.stage) {
                errors.push(FieldError::new(
                    format!("{at}.spif.stage"),
                    format!("\"{}\" is not a stage of this funnel", spif.stage),
                ));
            }
            if !(spif.per_deal.is_finite() && spif.per_deal >= 0.0) {
                errors.push(FieldError::new(
                    format!("{at}.spif.per_deal"),
                    "must be 0 or more",
                ));
            }
        }
        for (name, uplift) in &plan.effect.conversion {
            let path = format!("{at}.effect.conversion.{name}");
            if !self.stages.iter().any(|s| &s.name == name) {
                errors.push(FieldError::new(
                    path,
                    format!("\"{name}\" is not a stage of this funnel"),
                ));
            } else if !(uplift.is_finite() && *uplift > -1.0) {
                errors.push(FieldError::new(path, "must be above -1 (-100%)"));
            }
        }
        if !(plan.effect.leads.is_finite() && plan.effect.leads > -1.0) {
            errors.push(FieldError::new(
                format!("{at}.effect.leads"),
                "must be above -1 (-100%)",
            ));
        }
    }
}

fn conversion(c: &Conversion, path: &str, errors: &mut Vec<FieldError>) {
    let rate_ok = |p: f64| p.is_finite() && (0.0..=1.0).contains(&p);
    match *c {
        Conversion::Fixed(p) => {
            if !rate_ok(p) {
                errors.push(FieldError::new(path, "must be a rate from 0 to 1"));
            }
        }
        Conversion::Estimate { mean, sd } => {
            if !rate_ok(mean) {
                errors.push(FieldError::new(
                    format!("{path}.mean"),
                    "must be a rate from 0 to 1",
                ));
            } else if !(sd.is_finite() && sd >= 0.0) {
                errors.push(FieldError::new(format!("{path}.sd"), "must be 0 or more"));
            } else if sd > 0.0 && !(sd * sd < mean * (1.0 - mean)) {
                let limit = libm::sqrt(mean * (1.0 - mean));
                errors.push(FieldError::new(
                    format!("{path}.sd"),
                    format!("must be below {limit:.3} (sqrt(mean*(1-mean)))"),
                ));
            }
        }
        Conversion::History { won, of } => {
            if won > of {
                errors.push(FieldError::new(
                    format!("{path}.won"),
                    format!("must be at most `of` ({of})"),
                ));
            }
        }
    }
}
