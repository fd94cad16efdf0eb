//! The inputs a link's `edit=` shows beside a compact view, as plain data:
//! each engine field path (MODEL.md's, e.g. `stages[2].conversion`) found
//! in the form's `Draft`, with what the form's own field for it shows
//! (`ui::edit`: the same label, unit, DOM id and error message).

use crate::form::{ConversionKind, Draft, stage_title};

/// A part of the draft one text field edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Horizon,
    Leads,
    Growth,
    Uncertainty,
    DealMedian,
    DealP90,
    Target,
    Reps,
    Quota,
    SkillSd,
    Trials,
    Rate(usize),
    Mean(usize),
    Sd(usize),
    Won(usize),
    Of(usize),
    Days(usize),
    Open(usize),
    Capacity(usize),
}

/// One text field of a compact view.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// The field's own path, as the form names it (`stages[2].conversion.mean`).
    pub path: String,
    pub slot: Slot,
    pub unit: Option<&'static str>,
    pub money: bool,
    pub inputmode: &'static str,
}

/// The inputs for one `edit=` path, under a heading when they belong to a
/// stage ("Stage 3 (Qualified)").
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub heading: Option<String>,
    pub inputs: Vec<Input>,
}

impl Slot {
    pub fn get(self, d: &Draft) -> String {
        let stage = |i: usize| d.stages.get(i);
        let text = match self {
            Slot::Horizon => Some(&d.horizon_months),
            Slot::Leads => Some(&d.leads_per_month),
            Slot::Growth => Some(&d.growth),
            Slot::Uncertainty => Some(&d.uncertainty),
            Slot::DealMedian => Some(&d.deal_median),
            Slot::DealP90 => Some(&d.deal_p90),
            Slot::Target => Some(&d.target),
            Slot::Reps => Some(&d.team.reps),
            Slot::Quota => Some(&d.team.quota),
            Slot::SkillSd => Some(&d.team.skill_sd),
            Slot::Trials => Some(&d.trials),
            Slot::Rate(i) => stage(i).map(|s| &s.rate),
            Slot::Mean(i) => stage(i).map(|s| &s.mean),
            Slot::Sd(i) => stage(i).map(|s| &s.sd),
            Slot::Won(i) => stage(i).map(|s| &s.won),
            Slot::Of(i) => stage(i).map(|s| &s.of),
            Slot::Days(i) => stage(i).map(|s| &s.days),
            Slot::Open(i) => stage(i).map(|s| &s.open),
            Slot::Capacity(i) => stage(i).map(|s| &s.capacity),
        };
        text.cloned().unwrap_or_default()
    }

    /// Sets the field; a stage that is gone (the draft changed under the
    /// view) is left alone.
    pub fn set(self, d: &mut Draft, value: String) {
        let field = match self {
            Slot::Horizon => Some(&mut d.horizon_months),
            Slot::Leads => Some(&mut d.leads_per_month),
            Slot::Growth => Some(&mut d.growth),
            Slot::Uncertainty => Some(&mut d.uncertainty),
            Slot::DealMedian => Some(&mut d.deal_median),
            Slot::DealP90 => Some(&mut d.deal_p90),
            Slot::Target => Some(&mut d.target),
            Slot::Reps => Some(&mut d.team.reps),
            Slot::Quota => Some(&mut d.team.quota),
            Slot::SkillSd => Some(&mut d.team.skill_sd),
            Slot::Trials => Some(&mut d.trials),
            Slot::Rate(i) => d.stages.get_mut(i).map(|s| &mut s.rate),
            Slot::Mean(i) => d.stages.get_mut(i).map(|s| &mut s.mean),
            Slot::Sd(i) => d.stages.get_mut(i).map(|s| &mut s.sd),
            Slot::Won(i) => d.stages.get_mut(i).map(|s| &mut s.won),
            Slot::Of(i) => d.stages.get_mut(i).map(|s| &mut s.of),
            Slot::Days(i) => d.stages.get_mut(i).map(|s| &mut s.days),
            Slot::Open(i) => d.stages.get_mut(i).map(|s| &mut s.open),
            Slot::Capacity(i) => d.stages.get_mut(i).map(|s| &mut s.capacity),
        };
        if let Some(field) = field {
            *field = value;
        }
    }
}

fn input(path: String, slot: Slot, unit: &'static str, inputmode: &'static str) -> Input {
    Input {
        path,
        slot,
        unit: (!unit.is_empty()).then_some(unit),
        money: false,
        inputmode,
    }
}

fn money(path: &str, slot: Slot) -> Input {
    Input {
        path: path.to_owned(),
        slot,
        unit: None,
        money: true,
        inputmode: "decimal",
    }
}

/// The inputs for the `edit=` path `path` (its shape already checked by
/// `share::flags`), or why this scenario has none: a stage it does not
/// have, a team field without a team. Units and input modes are the form's
/// (`ui::edit::form`, `stages`, `team`).
pub fn resolve(path: &str, d: &Draft) -> Result<Group, String> {
    let top = |slot, unit, mode| {
        Ok(Group {
            heading: None,
            inputs: vec![input(path.to_owned(), slot, unit, mode)],
        })
    };
    match path {
        "horizon_months" => return top(Slot::Horizon, "months", "numeric"),
        "leads.per_month" => return top(Slot::Leads, "leads", "decimal"),
        "leads.growth_per_month" => return top(Slot::Growth, "% per month", "decimal"),
        "leads.uncertainty_cv" => return top(Slot::Uncertainty, "% up or down", "decimal"),
        "deal_size.median" => return Ok(one(money(path, Slot::DealMedian))),
        "deal_size.p90" => return Ok(one(money(path, Slot::DealP90))),
        "target.revenue" => return Ok(one(money(path, Slot::Target))),
        "trials" => return top(Slot::Trials, "simulated futures", "numeric"),
        "team.reps" | "team.quota" | "team.skill_sd" if !d.team.enabled => {
            return Err(format!(
                "The input “{path}” belongs to a sales team, and this scenario has none."
            ));
        }
        "team.reps" => return top(Slot::Reps, "reps", "numeric"),
        "team.quota" => return Ok(one(money(path, Slot::Quota))),
        "team.skill_sd" => return top(Slot::SkillSd, "", "decimal"),
        _ => {}
    }
    let (i, field) = path
        .strip_prefix("stages[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)))
        .ok_or_else(|| format!("The input “{path}” is not one this page can show."))?;
    let Some(stage) = d.stages.get(i) else {
        return Err(format!(
            "The input “{path}” is for stage {}, and this scenario has {} {}.",
            i + 1,
            d.stages.len(),
            if d.stages.len() == 1 {
                "stage"
            } else {
                "stages"
            }
        ));
    };
    let at = |f: &str| format!("stages[{i}].{f}");
    let kind_named = |kind: ConversionKind, wanted: ConversionKind| {
        if kind == wanted {
            Ok(())
        } else {
            Err(format!(
                "The input “{path}” does not apply: {} gives its conversion as {}; show stages[{i}].conversion instead.",
                stage_title(i, &stage.name),
                kind.label().to_lowercase()
            ))
        }
    };
    let inputs = match field {
        // The conversion as the stage gives it: a rate, a mean and spread, or history.
        "conversion" => match stage.kind {
            ConversionKind::Fixed => vec![input(at("conversion"), Slot::Rate(i), "%", "decimal")],
            ConversionKind::Estimate => vec![
                input(at("conversion.mean"), Slot::Mean(i), "%", "decimal"),
                input(at("conversion.sd"), Slot::Sd(i), "% pts", "decimal"),
            ],
            ConversionKind::History => vec![
                input(at("conversion.won"), Slot::Won(i), "deals", "numeric"),
                input(at("conversion.of"), Slot::Of(i), "deals decided", "numeric"),
            ],
        },
        "conversion.mean" | "conversion.sd" => {
            kind_named(stage.kind, ConversionKind::Estimate)?;
            match field {
                "conversion.mean" => vec![input(at(field), Slot::Mean(i), "%", "decimal")],
                _ => vec![input(at(field), Slot::Sd(i), "% pts", "decimal")],
            }
        }
        "conversion.won" | "conversion.of" => {
            kind_named(stage.kind, ConversionKind::History)?;
            match field {
                "conversion.won" => vec![input(at(field), Slot::Won(i), "deals", "numeric")],
                _ => vec![input(at(field), Slot::Of(i), "deals decided", "numeric")],
            }
        }
        "days" => vec![input(at(field), Slot::Days(i), "days", "decimal")],
        "open" => vec![input(at(field), Slot::Open(i), "deals", "numeric")],
        "capacity_per_week" => vec![input(at(field), Slot::Capacity(i), "deals/week", "numeric")],
        _ => return Err(format!("The input “{path}” is not one this page can show.")),
    };
    Ok(Group {
        heading: Some(stage_title(i, &stage.name)),
        inputs,
    })
}

fn one(input: Input) -> Group {
    Group {
        heading: None,
        inputs: vec![input],
    }
}

/// Every path of `edit=` resolved: the groups to draw, and a message for
/// each path this scenario has no input for.
pub fn resolve_all(paths: &[String], d: &Draft) -> (Vec<Group>, Vec<String>) {
    let mut groups = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match resolve(path, d) {
            Ok(g) => groups.push(g),
            Err(e) => problems.push(e),
        }
    }
    (groups, problems)
}

/// The inputs the Embed dialog offers to show beside a compact view, by
/// `edit=` path, each named as the form names it: the leads, each stage's
/// conversion and time, the deal size, the target, the team when there is
/// one, the horizon and the trials.
pub fn offered(d: &Draft) -> Vec<(String, String)> {
    let mut paths: Vec<String> = [
        "leads.per_month",
        "leads.growth_per_month",
        "leads.uncertainty_cv",
    ]
    .map(String::from)
    .to_vec();
    for i in 0..d.stages.len() {
        paths.push(format!("stages[{i}].conversion"));
        paths.push(format!("stages[{i}].days"));
    }
    paths.extend(["deal_size.median", "deal_size.p90", "target.revenue"].map(String::from));
    if d.team.enabled {
        paths.extend(["team.reps", "team.quota"].map(String::from));
    }
    paths.extend(["horizon_months", "trials"].map(String::from));
    paths
        .into_iter()
        .map(|p| {
            let label = crate::form::field_label(&p, d);
            (p, label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::flags;
    use funnel_engine::Scenario;

    fn draft() -> Draft {
        let s = Scenario::from_json(include_str!("../../../scenarios/reference.json")).unwrap();
        Draft::from_scenario(&s, 10_000, 1)
    }

    #[test]
    fn every_editable_shape_resolves_on_a_scenario_that_has_it() {
        let mut d = draft();
        d.team.enabled = true;
        for shape in flags::EDITABLE {
            let path = shape.replace("[]", "[1]");
            // The stage's conversion kind decides which of its fields exist.
            for kind in [
                ConversionKind::Fixed,
                ConversionKind::Estimate,
                ConversionKind::History,
            ] {
                d.stages[1].kind = kind;
                match resolve(&path, &d) {
                    Ok(g) => assert!(!g.inputs.is_empty(), "{path}"),
                    Err(e) => assert!(
                        path.contains("conversion.") && e.contains("does not apply"),
                        "{path}: {e}"
                    ),
                }
            }
        }
    }

    #[test]
    fn a_stage_s_conversion_is_shown_as_the_stage_gives_it() {
        let mut d = draft();
        d.stages[2].kind = ConversionKind::Estimate;
        let g = resolve("stages[2].conversion", &d).unwrap();
        assert_eq!(
            g.heading.as_deref(),
            Some(&*stage_title(2, &d.stages[2].name))
        );
        let paths: Vec<&str> = g.inputs.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            ["stages[2].conversion.mean", "stages[2].conversion.sd"]
        );
        d.stages[2].kind = ConversionKind::Fixed;
        let g = resolve("stages[2].conversion", &d).unwrap();
        assert_eq!(g.inputs[0].path, "stages[2].conversion");
        assert_eq!(g.inputs[0].slot, Slot::Rate(2));
    }

    #[test]
    fn every_offered_input_is_one_a_link_can_name_and_the_view_can_show() {
        let mut d = draft();
        d.team.enabled = true;
        let offered = offered(&d);
        assert!(offered.len() >= 8 + 2 * d.stages.len());
        for (path, label) in &offered {
            assert!(flags::is_editable(path), "{path}");
            assert!(resolve(path, &d).is_ok(), "{path}");
            assert!(!label.is_empty() && label != path, "{path}: {label}");
        }
        assert!(
            offered
                .iter()
                .any(|(p, l)| p == "stages[1].conversion" && l.starts_with("Stage 2"))
        );
    }

    #[test]
    fn an_input_edits_the_scenario() {
        let mut d = draft();
        let before = d.to_run().unwrap();
        let g = resolve("leads.per_month", &d).unwrap();
        assert_eq!(g.inputs[0].slot.get(&d), d.leads_per_month);
        g.inputs[0].slot.set(&mut d, "2,000".into());
        assert_eq!(d.to_run().unwrap().scenario.leads.per_month, 2000.0);
        let g = resolve("stages[1].days", &d).unwrap();
        g.inputs[0].slot.set(&mut d, "21".into());
        let after = d.to_run().unwrap();
        assert_eq!(after.scenario.stages[1].days, 21.0);
        assert_ne!(after, before);
        // A stage gone from under the view: nothing happens.
        Slot::Days(30).set(&mut d, "1".into());
        assert_eq!(Slot::Days(30).get(&d), "");
    }

    #[test]
    fn paths_this_scenario_has_no_input_for_say_why() {
        let d = draft();
        let n = d.stages.len();
        let (groups, problems) = resolve_all(
            &[
                "leads.per_month".into(),
                format!("stages[{n}].days"),
                "team.reps".into(),
            ],
            &d,
        );
        assert_eq!(groups.len(), 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains(&format!("this scenario has {n} stages")),
            "{}",
            problems[0]
        );
        assert!(problems[1].contains("sales team"), "{}", problems[1]);
    }
}
