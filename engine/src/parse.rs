//! Reading a scenario from JSON by hand, so that every problem is reported at
//! once with its field path and in words a user understands (serde's derive
//! would stop at the first problem and speak of `u64`s).

use serde_json::{Map, Value};

use crate::exercise::{Ask, Exercise, Input, MAX_EDITABLE, MAX_VARIANTS, Question, VariantSpec};
use crate::scenario::{
    CommissionBand, Conversion, DealSize, Effect, Leads, MAX_BANDS, MAX_MILESTONES, MAX_PLANS,
    MAX_STAGES, Milestone, Noise, Plan, RunSettings, Scenario, Spif, Stage, Target, Team, Tiers,
};
use crate::{ErrorKind, FieldError, ScenarioErrors};

pub fn parse(text: &str) -> Result<(Scenario, RunSettings), ScenarioErrors> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ScenarioErrors(vec![FieldError::with_kind(
            "",
            ErrorKind::Syntax,
            format!("not valid JSON: {e}"),
        )])
    })?;
    let mut errors = Vec::new();
    let scenario = scenario(&value, &mut errors);
    match scenario {
        Some(s) if errors.is_empty() => Ok(s),
        _ => Err(ScenarioErrors(errors)),
    }
}

fn scenario(value: &Value, errors: &mut Vec<FieldError>) -> Option<(Scenario, RunSettings)> {
    let mut o = Obj::new(value, String::new(), errors)?;
    // Out of u32's range is not version 1 either: saturate, and validation refuses it.
    let version = o
        .req("version", count)
        .map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    let name = o.opt("name", text).unwrap_or_default();
    let currency = o.opt("currency", text).unwrap_or_else(|| "USD".into());
    let horizon_months = o
        .req("horizon_months", count)
        .map(|v| v.min(u32::MAX as u64) as u32);
    let start_month = o
        .opt("start_month", count)
        .map(|v| v.min(u32::MAX as u64) as u32);
    let leads = o.req("leads", leads);
    let stages = o.req("stages", stages);
    let deal_size = o.req("deal_size", deal_size);
    let target = o.opt("target", target);
    let team = o.opt("team", team);
    let plans = o.opt("plans", plans).unwrap_or_default();
    let exercise = o.opt("exercise", exercise);
    let run = o.opt("run", run_settings).unwrap_or_default();
    o.finish();
    let scenario = Scenario {
        version: version?,
        name,
        currency,
        horizon_months: horizon_months?,
        start_month,
        leads: leads?,
        stages: stages?,
        deal_size: deal_size?,
        target,
        team,
        plans,
        exercise,
    };
    Some((scenario, run))
}

fn run_settings(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<RunSettings> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let trials = o.opt("trials", count);
    let seed = o.opt("seed", count);
    o.finish();
    // Checked here, not in `validate`: a typed `Scenario` has no run settings.
    let trials = match trials {
        Some(t) if !(1..=crate::MAX_TRIALS).contains(&t) => {
            errors.push(FieldError::with_kind(
                format!("{path}.trials"),
                ErrorKind::OutOfRange {
                    min: 1.0,
                    max: crate::MAX_TRIALS as f64,
                },
                format!("must be a whole number from 1 to {}", crate::MAX_TRIALS),
            ));
            return None;
        }
        t => t,
    };
    Some(RunSettings { trials, seed })
}

fn leads(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Leads> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let per_month = o.req("per_month", number);
    let growth_per_month = o.opt("growth_per_month", number).unwrap_or(0.0);
    let noise = o.opt("noise", noise).unwrap_or(Noise::Poisson);
    let uncertainty_cv = o.opt("uncertainty_cv", number).unwrap_or(0.0);
    let seasonality = o.opt("seasonality", seasonality);
    o.finish();
    Some(Leads {
        per_month: per_month?,
        growth_per_month,
        noise,
        uncertainty_cv,
        seasonality,
    })
}

/// Exactly twelve numbers, January to December. Another length is refused
/// whole, before any item is read (one message, no work per item).
fn seasonality(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<[f64; 12]> {
    let wrong = |message: String| FieldError::with_kind(path, ErrorKind::WrongType, message);
    let Value::Array(items) = value else {
        errors.push(wrong(
            "must be a list of 12 multipliers, January to December (1 = an average month)".into(),
        ));
        return None;
    };
    if items.len() != 12 {
        errors.push(wrong(format!(
            "has {} entries; needs 12, one multiplier per month from January to December",
            items.len()
        )));
        return None;
    }
    let mut season = [0.0; 12];
    let mut ok = true;
    for (i, (item, slot)) in items.iter().zip(season.iter_mut()).enumerate() {
        match number(item, &format!("{path}[{i}]"), errors) {
            Some(x) => *slot = x,
            None => ok = false,
        }
    }
    ok.then_some(season)
}

fn stages(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Vec<Stage>> {
    list(
        value,
        path,
        errors,
        "must be a list of stages",
        MAX_STAGES,
        stage,
    )
}

fn stage(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Stage> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let name = o.req("name", text);
    let conversion = o.req("conversion", conversion);
    let days = o.req("days", number);
    let open = o.opt("open", count).unwrap_or(0);
    let capacity_per_week = o.opt("capacity_per_week", count);
    o.finish();
    Some(Stage {
        name: name?,
        conversion: conversion?,
        days: days?,
        open,
        capacity_per_week,
    })
}

fn conversion(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Conversion> {
    match value {
        Value::Number(_) => number(value, path, errors).map(Conversion::Fixed),
        Value::Object(map) if map.contains_key("won") || map.contains_key("of") => {
            let mut o = Obj::new(value, path.into(), errors)?;
            let won = o.req("won", count);
            let of = o.req("of", count);
            o.finish();
            Some(Conversion::History { won: won?, of: of? })
        }
        Value::Object(_) => {
            let mut o = Obj::new(value, path.into(), errors)?;
            let mean = o.req("mean", number);
            let sd = o.req("sd", number);
            o.finish();
            Some(Conversion::Estimate {
                mean: mean?,
                sd: sd?,
            })
        }
        _ => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::WrongType,
                "must be a rate (0.3), {\"mean\", \"sd\"} or {\"won\", \"of\"}",
            ));
            None
        }
    }
}

fn deal_size(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<DealSize> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let median = o.req("median", number);
    let p90 = o.req("p90", number);
    o.finish();
    Some(DealSize {
        median: median?,
        p90: p90?,
    })
}

fn target(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Target> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let revenue = o.req("revenue", number);
    let milestones = o
        .opt("milestones", |v, p, e| {
            list(
                v,
                p,
                e,
                "must be a list of {\"month\", \"revenue\"}",
                MAX_MILESTONES,
                milestone,
            )
        })
        .unwrap_or_default();
    o.finish();
    Some(Target {
        revenue: revenue?,
        milestones,
    })
}

fn milestone(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Milestone> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let month = o.req("month", count);
    let revenue = o.req("revenue", number);
    o.finish();
    Some(Milestone {
        month: month?.min(u32::MAX as u64) as u32,
        revenue: revenue?,
    })
}

fn team(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Team> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let reps = o.req("reps", count);
    let quota = o.req("quota", number);
    let skill_sd = o.opt("skill_sd", number).unwrap_or(0.0);
    o.finish();
    Some(Team {
        reps: reps?.min(u32::MAX as u64) as u32,
        quota: quota?,
        skill_sd,
    })
}

fn plans(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Vec<Plan>> {
    list(
        value,
        path,
        errors,
        "must be a list of plans",
        MAX_PLANS,
        plan,
    )
}

fn exercise(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Exercise> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let title = o.opt("title", text).unwrap_or_default();
    let task = o.req("task", text);
    let editable = o
        .opt("editable", |v, p, e| {
            list(
                v,
                p,
                e,
                "must be a list of field paths, e.g. [\"stages[3].conversion\"]",
                MAX_EDITABLE,
                input,
            )
        })
        .unwrap_or_default();
    let question = o.req("question", question);
    let variants = o
        .opt("variants", |v, p, e| {
            list(
                v,
                p,
                e,
                "must be a list of {\"path\", \"spread\"}",
                MAX_VARIANTS,
                variant_spec,
            )
        })
        .unwrap_or_default();
    let show_answer = o.opt("show_answer", boolean).unwrap_or(false);
    o.finish();
    Some(Exercise {
        title,
        task: task?,
        editable,
        question: question?,
        variants,
        show_answer,
    })
}

/// A field path naming an input; whether this scenario has it is for `validate`.
fn input(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Input> {
    let name = text(value, path, errors)?;
    let input = Input::from_path(&name);
    if input.is_none() {
        errors.push(FieldError::with_kind(
            path,
            ErrorKind::NotOneOf,
            format!(
                "{} is not an input: use leads.per_month, leads.growth_per_month, \
                 leads.uncertainty_cv, stages[i].conversion, stages[i].days, stages[i].open, \
                 stages[i].capacity_per_week, deal_size.median, deal_size.p90 or target.revenue",
                crate::error::quote(&name)
            ),
        ));
    }
    input
}

fn variant_spec(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<VariantSpec> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let input = o.req("path", input);
    let spread = o.req("spread", number);
    o.finish();
    Some(VariantSpec {
        path: input?,
        spread: spread?,
    })
}

/// `ask` says which of `stage` and `confidence` belong: the others are
/// unknown fields here, as anywhere.
fn question(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Question> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let word = o.req("ask", ask_word);
    let tolerance = o.req("tolerance", number);
    let ask = match word {
        Some("goal_conversion") => {
            let stage = o.req("stage", text);
            let confidence = o.req("confidence", number);
            stage
                .zip(confidence)
                .map(|(stage, confidence)| Ask::GoalConversion { stage, confidence })
        }
        Some("goal_leads") => o
            .req("confidence", number)
            .map(|confidence| Ask::GoalLeads { confidence }),
        Some(word) => ASKS.iter().find(|a| a.as_str() == word).cloned(),
        None => {
            // The ask is unreadable: which fields belong is unknown, so none is refused.
            o.opt("stage", text);
            o.opt("confidence", number);
            None
        }
    };
    o.finish();
    Some(Question {
        ask: ask?,
        tolerance: tolerance?,
    })
}

const ASKS: [Ask; 6] = [
    Ask::Probability,
    Ask::RevenueMean,
    Ask::RevenueP10,
    Ask::RevenueP50,
    Ask::RevenueP90,
    Ask::WonMean,
];

fn ask_word(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<&'static str> {
    let words = [
        "probability",
        "revenue_mean",
        "revenue_p10",
        "revenue_p50",
        "revenue_p90",
        "won_mean",
        "goal_leads",
        "goal_conversion",
    ];
    match value.as_str().and_then(|s| words.iter().find(|w| **w == s)) {
        Some(w) => Some(w),
        None => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::NotOneOf,
                "must be one of \"probability\", \"revenue_mean\", \"revenue_p10\", \"revenue_p50\", \
                 \"revenue_p90\", \"won_mean\", \"goal_leads\", \"goal_conversion\"",
            ));
            None
        }
    }
}

/// A list of at most `max` items. A longer one is refused whole, before any
/// item is read: one message, and no work that grows with the surplus.
fn list<T>(
    value: &Value,
    path: &str,
    errors: &mut Vec<FieldError>,
    message: &str,
    max: usize,
    read: Reader<T>,
) -> Option<Vec<T>> {
    let Value::Array(items) = value else {
        errors.push(FieldError::with_kind(path, ErrorKind::WrongType, message));
        return None;
    };
    if items.len() > max {
        errors.push(too_many(path, items.len(), max));
        return None;
    }
    let parsed: Vec<Option<T>> = items
        .iter()
        .enumerate()
        .map(|(i, v)| read(v, &format!("{path}[{i}]"), errors))
        .collect();
    parsed.into_iter().collect()
}

fn plan(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Plan> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let name = o.req("name", text);
    let commission = o.req("commission", |v, p, e| {
        list(
            v,
            p,
            e,
            "must be a list of bands [{\"from\", \"rate\"}, ...]",
            MAX_BANDS,
            band,
        )
    });
    let tiers = o.opt("tiers", tiers).unwrap_or(Tiers::Marginal);
    let quota_bonus = o.opt("quota_bonus", number).unwrap_or(0.0);
    let cap = o.opt("cap", number);
    let spif = o.opt("spif", spif);
    let effect = o.opt("effect", effect).unwrap_or_default();
    o.finish();
    Some(Plan {
        name: name?,
        commission: commission?,
        tiers,
        quota_bonus,
        cap,
        spif,
        effect,
    })
}

fn band(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<CommissionBand> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let from = o.req("from", number);
    let rate = o.req("rate", number);
    o.finish();
    Some(CommissionBand {
        from: from?,
        rate: rate?,
    })
}

fn tiers(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Tiers> {
    match value.as_str() {
        Some("marginal") => Some(Tiers::Marginal),
        Some("retroactive") => Some(Tiers::Retroactive),
        _ => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::NotOneOf,
                "must be \"marginal\" or \"retroactive\"",
            ));
            None
        }
    }
}

fn spif(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Spif> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let stage = o.req("stage", text);
    let per_deal = o.req("per_deal", number);
    o.finish();
    Some(Spif {
        stage: stage?,
        per_deal: per_deal?,
    })
}

fn effect(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Effect> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let conversion = o.opt("conversion", uplifts).unwrap_or_default();
    let leads = o.opt("leads", number).unwrap_or(0.0);
    o.finish();
    Some(Effect { conversion, leads })
}

/// `{ "Stage name": uplift, ... }`, keeping the order written.
fn uplifts(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Vec<(String, f64)>> {
    let Value::Object(map) = value else {
        errors.push(FieldError::with_kind(
            path,
            ErrorKind::WrongType,
            "must map stage names to uplifts, e.g. {\"Proposal\": 0.05}",
        ));
        return None;
    };
    // One uplift per stage at most: a longer map names a stage twice or a stage that is not there.
    if map.len() > MAX_STAGES {
        errors.push(too_many(path, map.len(), MAX_STAGES));
        return None;
    }
    let pairs: Vec<Option<(String, f64)>> = map
        .iter()
        .map(|(k, v)| number(v, &format!("{path}.{k}"), errors).map(|x| (k.clone(), x)))
        .collect();
    pairs.into_iter().collect()
}

fn noise(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Noise> {
    match value.as_str() {
        Some("poisson") => Some(Noise::Poisson),
        Some("fixed") => Some(Noise::Fixed),
        _ => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::NotOneOf,
                "must be \"poisson\" or \"fixed\"",
            ));
            None
        }
    }
}

fn number(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    match value.as_f64() {
        Some(x) if x.is_finite() => Some(x),
        _ => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::WrongType,
                "must be a number",
            ));
            None
        }
    }
}

/// A whole number >= 0, written either as `12` or `12.0`.
fn count(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<u64> {
    if let Some(n) = value.as_u64() {
        return Some(n);
    }
    match value.as_f64() {
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x < 9.0e15 => Some(x as u64),
        _ => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::WrongType,
                "must be a whole number, 0 or more",
            ));
            None
        }
    }
}

fn boolean(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<bool> {
    match value.as_bool() {
        Some(b) => Some(b),
        None => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::WrongType,
                "must be true or false",
            ));
            None
        }
    }
}

fn text(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match value.as_str() {
        Some(s) => Some(s.to_owned()),
        None => {
            errors.push(FieldError::with_kind(
                path,
                ErrorKind::WrongType,
                "must be text",
            ));
            None
        }
    }
}

pub(crate) fn too_many(path: &str, len: usize, max: usize) -> FieldError {
    FieldError::with_kind(
        path,
        ErrorKind::TooMany { max },
        format!("has {len} entries; at most {max} are allowed"),
    )
}

type Reader<T> = fn(&Value, &str, &mut Vec<FieldError>) -> Option<T>;

/// An object being read: remembers which keys were used so leftovers (typos)
/// can be reported as unknown fields.
struct Obj<'a, 'e> {
    map: &'a Map<String, Value>,
    path: String,
    used: Vec<&'static str>,
    errors: &'e mut Vec<FieldError>,
}

impl<'a, 'e> Obj<'a, 'e> {
    fn new(value: &'a Value, path: String, errors: &'e mut Vec<FieldError>) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Obj {
                map,
                path,
                used: Vec::new(),
                errors,
            }),
            _ => {
                let what = if path.is_empty() {
                    "the scenario"
                } else {
                    "this field"
                };
                errors.push(FieldError::with_kind(
                    path,
                    ErrorKind::WrongType,
                    format!("{what} must be an object {{...}}"),
                ));
                None
            }
        }
    }

    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn req<T>(&mut self, key: &'static str, read: Reader<T>) -> Option<T> {
        self.used.push(key);
        let path = self.child(key);
        match self.map.get(key) {
            Some(v) if !v.is_null() => read(v, &path, self.errors),
            _ => {
                self.errors.push(FieldError::with_kind(
                    path,
                    ErrorKind::Missing,
                    "is required",
                ));
                None
            }
        }
    }

    fn opt<T>(&mut self, key: &'static str, read: Reader<T>) -> Option<T> {
        self.used.push(key);
        let path = self.child(key);
        match self.map.get(key) {
            Some(v) if !v.is_null() => read(v, &path, self.errors),
            _ => None,
        }
    }

    fn finish(self) {
        for key in self.map.keys() {
            if !self.used.contains(&key.as_str()) {
                let known = self.used.join(", ");
                self.errors.push(FieldError::with_kind(
                    self.child(key),
                    ErrorKind::UnknownField,
                    format!("unknown field (known here: {known})"),
                ));
            }
        }
    }
}
