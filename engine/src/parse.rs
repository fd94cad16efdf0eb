//! Reading a scenario from JSON by hand, so that every problem is reported at
//! once with its field path and in words a user understands (serde's derive
//! would stop at the first problem and speak of `u64`s).

use serde_json::{Map, Value};

use crate::scenario::{Conversion, DealSize, Leads, Noise, Scenario, Stage, Target};
use crate::{FieldError, ScenarioErrors};

pub fn parse(text: &str) -> Result<Scenario, ScenarioErrors> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ScenarioErrors(vec![FieldError::new("", format!("not valid JSON: {e}"))]))?;
    let mut errors = Vec::new();
    let scenario = scenario(&value, &mut errors);
    match scenario {
        Some(s) if errors.is_empty() => Ok(s),
        _ => Err(ScenarioErrors(errors)),
    }
}

fn scenario(value: &Value, errors: &mut Vec<FieldError>) -> Option<Scenario> {
    let mut o = Obj::new(value, String::new(), errors)?;
    let version = o.req("version", count).map(|v| v as u32);
    let name = o.opt("name", text).unwrap_or_default();
    let currency = o.opt("currency", text).unwrap_or_else(|| "USD".into());
    let horizon_months = o
        .req("horizon_months", count)
        .map(|v| v.min(u32::MAX as u64) as u32);
    let leads = o.req("leads", leads);
    let stages = o.req("stages", stages);
    let deal_size = o.req("deal_size", deal_size);
    let target = o.opt("target", target);
    o.finish();
    Some(Scenario {
        version: version?,
        name,
        currency,
        horizon_months: horizon_months?,
        leads: leads?,
        stages: stages?,
        deal_size: deal_size?,
        target,
    })
}

fn leads(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Leads> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let per_month = o.req("per_month", number);
    let growth_per_month = o.opt("growth_per_month", number).unwrap_or(0.0);
    let noise = o.opt("noise", noise).unwrap_or(Noise::Poisson);
    let uncertainty_cv = o.opt("uncertainty_cv", number).unwrap_or(0.0);
    o.finish();
    Some(Leads {
        per_month: per_month?,
        growth_per_month,
        noise,
        uncertainty_cv,
    })
}

fn stages(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Vec<Stage>> {
    let Value::Array(items) = value else {
        errors.push(FieldError::new(path, "must be a list of stages"));
        return None;
    };
    let parsed: Vec<Option<Stage>> = items
        .iter()
        .enumerate()
        .map(|(i, v)| stage(v, &format!("{path}[{i}]"), errors))
        .collect();
    parsed.into_iter().collect()
}

fn stage(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Stage> {
    let mut o = Obj::new(value, path.into(), errors)?;
    let name = o.req("name", text);
    let conversion = o.req("conversion", conversion);
    let days = o.req("days", number);
    let open = o.opt("open", count).unwrap_or(0);
    o.finish();
    Some(Stage {
        name: name?,
        conversion: conversion?,
        days: days?,
        open,
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
            errors.push(FieldError::new(
                path,
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
    o.finish();
    Some(Target { revenue: revenue? })
}

fn noise(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Noise> {
    match value.as_str() {
        Some("poisson") => Some(Noise::Poisson),
        Some("fixed") => Some(Noise::Fixed),
        _ => {
            errors.push(FieldError::new(path, "must be \"poisson\" or \"fixed\""));
            None
        }
    }
}

fn number(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    match value.as_f64() {
        Some(x) if x.is_finite() => Some(x),
        _ => {
            errors.push(FieldError::new(path, "must be a number"));
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
            errors.push(FieldError::new(path, "must be a whole number, 0 or more"));
            None
        }
    }
}

fn text(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match value.as_str() {
        Some(s) => Some(s.to_owned()),
        None => {
            errors.push(FieldError::new(path, "must be text"));
            None
        }
    }
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
                errors.push(FieldError::new(
                    path,
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
                self.errors.push(FieldError::new(path, "is required"));
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
                self.errors.push(FieldError::new(
                    self.child(key),
                    format!("unknown field (known here: {known})"),
                ));
            }
        }
    }
}
