//! What each field is called, in the form and in its error messages, and
//! its DOM id.

use super::{Draft, milestones, plans};

/// The stage index in a path like `stages[2].days`.
pub fn stage_at(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("stages[")?;
    rest[..rest.find(']')?].parse().ok()
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

    fn reference() -> funnel_engine::Scenario {
        funnel_engine::Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
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
