//! What each field is called, in the form and in its error messages, and
//! its DOM id.
//!
//! One table, `LABELS`, names every field: the page's `<label>` shows its
//! entry and a message about the field starts with the same words, inside
//! the name of what the field belongs to ("Stage 3 (Proposal): conversion").
//! A field called two things on one page reads as two fields.

use super::{Draft, milestones, plans};

/// Every field of the form and what contains one that an error can name,
/// by its path in the scenario format with each index written `[]`, and
/// its label as the page shows it (money fields add their currency). The
/// containers' entries (`stages`, `plans[].commission`) are used by messages only.
const LABELS: &[(&str, &str)] = &[
    ("", "Scenario"),
    ("version", "Format version"),
    ("name", "Scenario name"),
    ("currency", "Currency"),
    ("horizon_months", "Horizon"),
    ("leads", "Leads"),
    ("leads.per_month", "Leads per month"),
    ("leads.growth_per_month", "Growth"),
    ("leads.noise", "Week-to-week noise"),
    ("leads.uncertainty_cv", "Volume uncertainty"),
    ("leads.seasonality", "Seasonality"),
    ("leads.seasonality[]", "Seasonality"),
    ("start_month", "Forecast starts in"),
    ("stages", "Stages"),
    ("stages[].name", "Name"),
    ("stages[].conversion", "Conversion"),
    ("stages[].conversion.mean", "Mean conversion"),
    ("stages[].conversion.sd", "Spread"),
    ("stages[].conversion.won", "Won"),
    ("stages[].conversion.of", "Of"),
    ("stages[].days", "Time in stage"),
    ("stages[].open", "Open today"),
    ("stages[].capacity_per_week", "Capacity"),
    ("deal_size", "Deal size"),
    ("deal_size.median", "Median deal"),
    ("deal_size.p90", "Large deal (P90)"),
    ("target", "Revenue target"),
    ("target.revenue", "Revenue target"),
    ("target.milestones", "Milestones"),
    ("target.milestones[].month", "Month"),
    ("target.milestones[].revenue", "Revenue booked"),
    ("team", "Sales team"),
    ("team.reps", "Reps"),
    ("team.quota", "Quota per rep"),
    ("team.skill_sd", "How much reps differ"),
    ("plans", "Incentive plans"),
    ("plans[].name", "Plan name"),
    ("plans[].commission", "Commission"),
    ("plans[].tiers", "Tiers"),
    ("plans[].commission[].from", "Start"),
    ("plans[].commission[].rate", "Rate"),
    ("plans[].quota_bonus", "Quota bonus"),
    ("plans[].cap", "Cap"),
    ("plans[].spif", "SPIF stage"),
    ("plans[].spif.stage", "SPIF stage"),
    ("plans[].spif.per_deal", "SPIF per deal"),
    ("plans[].effect", "Assumed effect"),
    ("plans[].effect.conversion", "Conversion uplifts"),
    ("plans[].effect.conversion[].stage", "Stage"),
    ("plans[].effect.conversion[].uplift", "Conversion uplift"),
    ("plans[].effect.leads", "Lead volume uplift"),
    ("trials", "Trials"),
    ("seed", "Random numbers"),
];

/// Rows inside a plan, as messages count them: "band 2 rate".
const ROWS: &[(&str, &str)] = &[("commission[", "band"), ("effect.conversion[", "uplift")];

/// `path` with every index written `[]`: `stages[2].days` -> `stages[].days`.
fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// The page's label for the field at `path` (`stages[2].days` -> "Time in
/// stage"), or `None` for a path the table does not name.
pub fn label(path: &str) -> Option<&'static str> {
    let pattern = pattern(path);
    LABELS
        .iter()
        .find(|(p, _)| *p == pattern)
        .map(|(_, label)| *label)
}

/// A label inside a sentence: "Conversion" -> "conversion"; "SPIF stage"
/// and other labels that start with an abbreviation stay as they are.
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() || second == ' ' => first
            .to_lowercase()
            .chain(label[first.len_utf8()..].chars())
            .collect(),
        _ => label.to_owned(),
    }
}

/// The stage index in a path like `stages[2].days`.
pub fn stage_at(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("stages[")?;
    rest[..rest.find(']')?].parse().ok()
}

/// The words for a field, for messages: "Stage 4 (Proposal): spread". A
/// field inside a stage, a plan, a milestone or the team is named inside
/// it; a path the table does not name is named by what holds it.
pub fn field_label(path: &str, draft: &Draft) -> String {
    let own = label(path);
    let field = path.split_once("].").map(|(_, f)| f);
    if let Some(i) = stage_at(path) {
        let stage = stage_title(
            i,
            draft.stages.get(i).map(|s| s.name.as_str()).unwrap_or(""),
        );
        return match (own, field) {
            (Some(own), Some(_)) => format!("{stage}: {}", in_sentence(own)),
            _ => stage,
        };
    }
    if let Some(k) = plans::plan_at(path) {
        let plan = plans::plan_title(k, draft.plans.get(k).map(|p| p.name.as_str()).unwrap_or(""));
        let Some(field) = field else {
            return plan;
        };
        // An engine path names an uplift by its stage (`effect.conversion.Proposal`).
        let own = own.or_else(|| label(path.rsplit_once('.')?.0));
        return match own {
            Some(own) => format!("{plan}: {}", in_row(field, own)),
            None => plan,
        };
    }
    if let Some(i) = super::season_at(path) {
        return format!("Seasonality: {}", funnel_engine::scenario::MONTH_NAMES[i]);
    }
    if let Some(i) = milestones::milestone_at(path) {
        let milestone = format!("Milestone {}", i + 1);
        return match (own, field) {
            (Some(own), Some(_)) => format!("{milestone}: {}", in_sentence(own)),
            _ => milestone,
        };
    }
    match (own, path.strip_prefix("team.")) {
        (Some(own), Some(_)) => format!("Sales team: {}", in_sentence(own)),
        (Some(own), None) => own.to_owned(),
        (None, _) => path.to_owned(),
    }
}

/// A plan field's label, with its row when it has one: "band 3 start",
/// "uplift 1 stage"; a label that already says what the row is takes
/// the row's number instead ("conversion uplift 2").
fn in_row(field: &str, label: &str) -> String {
    let label = in_sentence(label);
    for (prefix, row) in ROWS {
        let Some(rest) = field.strip_prefix(prefix) else {
            continue;
        };
        let Some(n) = rest
            .split_once(']')
            .and_then(|(n, _)| n.parse::<usize>().ok())
        else {
            continue;
        };
        return if label.ends_with(row) {
            format!("{label} {}", n + 1)
        } else {
            format!("{row} {} {label}", n + 1)
        };
    }
    label
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
            "Stage 4 (Proposal): spread"
        );
        assert_eq!(label("stages[3].conversion.sd"), Some("Spread"));
        assert_eq!(field_label("deal_size.p90", &d), "Large deal (P90)");
        assert_eq!(
            field_label("leads.uncertainty_cv", &d),
            "Volume uncertainty"
        );
        assert_eq!(field_label("stages[9]", &d), "Stage 10");
        assert_eq!(stage_at("stages[12].days"), Some(12));
        assert_eq!(stage_at("leads"), None);
        assert_eq!(
            pattern("plans[1].commission[12].from"),
            "plans[].commission[].from"
        );
    }

    /// Every text of the form, to be broken one at a time.
    fn texts(d: &mut Draft) -> Vec<&mut String> {
        let mut all = vec![
            &mut d.name,
            &mut d.currency,
            &mut d.horizon_months,
            &mut d.leads_per_month,
            &mut d.growth,
            &mut d.uncertainty,
            &mut d.deal_median,
            &mut d.deal_p90,
            &mut d.target,
            &mut d.trials,
            &mut d.seed,
            &mut d.team.reps,
            &mut d.team.quota,
            &mut d.team.skill_sd,
        ];
        for s in &mut d.stages {
            all.extend([
                &mut s.name,
                &mut s.rate,
                &mut s.mean,
                &mut s.sd,
                &mut s.won,
                &mut s.of,
                &mut s.days,
                &mut s.open,
                &mut s.capacity,
            ]);
        }
        for p in &mut d.plans {
            all.extend([
                &mut p.name,
                &mut p.quota_bonus,
                &mut p.cap,
                &mut p.spif_stage,
                &mut p.spif_per_deal,
                &mut p.leads_uplift,
            ]);
            for b in &mut p.bands {
                all.extend([&mut b.from, &mut b.rate]);
            }
            for u in &mut p.uplifts {
                all.extend([&mut u.stage, &mut u.uplift]);
            }
        }
        for m in &mut d.milestones {
            all.extend([&mut m.month, &mut m.revenue]);
        }
        all
    }

    #[test]
    fn every_field_an_error_can_name_has_a_label() {
        use crate::form::ConversionKind;
        let team =
            funnel_engine::Scenario::from_json(include_str!("../../scenarios/team-50-reps.json"))
                .unwrap();
        let mut base = Draft::from_scenario(&team, 10_000, 1);
        // Each way of giving a conversion, a cap, a SPIF, bands, uplifts, milestones.
        for (stage, kind) in base.stages.iter_mut().zip(ConversionKind::ALL) {
            stage.kind = kind;
        }
        base.plans[0].cap = "150".into();
        base.plans[0].spif_stage = base.stages[0].name.clone();
        let plan = base.plans[0].id;
        base.add_band(plan).unwrap();
        base.add_uplift(plan).unwrap();
        base.add_milestone().unwrap();
        base.add_milestone().unwrap();
        assert!(base.to_run().is_ok());

        // Values the form refuses, and values only the engine refuses (a
        // name used twice, a spread too wide, leads that grow past the limit).
        let stage_name = base.stages[0].name.clone();
        let plan_name = base.plans[0].name.clone();
        let values = [
            "x",
            "",
            "-5",
            "0",
            "1",
            "3",
            "60",
            "1e12",
            "1e20",
            &stage_name,
            &plan_name,
        ];
        let mut drafts = Vec::new();
        for i in 0..texts(&mut base.clone()).len() {
            for value in values {
                let mut d = base.clone();
                *texts(&mut d)[i] = value.to_owned();
                drafts.push(d);
            }
        }
        let mut no_stages = base.clone();
        no_stages.stages.clear();
        let mut no_bands = base.clone();
        no_bands.plans[1].bands.clear();
        drafts.extend([no_stages, no_bands]);

        let mut seen = std::collections::BTreeSet::new();
        for d in &drafts {
            for e in d.to_run().err().unwrap_or_default() {
                assert!(
                    label(&e.path).is_some(),
                    "no label for {}: {}",
                    e.path,
                    e.message
                );
                assert_ne!(field_label(&e.path, d), e.path);
                seen.insert(pattern(&e.path));
            }
        }
        // The walk reaches every kind of field, so it proves what it says.
        for wanted in [
            "stages",
            "stages[].conversion.sd",
            "stages[].conversion.won",
            "plans[].commission",
            "plans[].commission[].from",
            "plans[].effect.conversion[].stage",
            "plans[].spif.stage",
            "target.milestones[].month",
            "leads.growth_per_month",
            "trials",
        ] {
            assert!(seen.contains(wanted), "{wanted} not reached: {seen:?}");
        }
    }

    #[test]
    fn labels_in_sentences_keep_abbreviations() {
        assert_eq!(in_sentence("Time in stage"), "time in stage");
        assert_eq!(in_sentence("SPIF stage"), "SPIF stage");
        assert_eq!(in_sentence("P90"), "P90");
        assert_eq!(in_sentence(""), "");
    }
}
