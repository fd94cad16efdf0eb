//! The sales team and its incentive plans, as typed (MODEL.md, "Team and
//! incentive plans"), and their conversion to and from the engine's types.
//!
//! Rates, band starts, the cap and uplifts are typed as percent (8 means a
//! rate of 0.08; a band from 150 starts at 150% of quota). Field paths follow
//! MODEL.md (`plans[1].commission[2].from`, `plans[0].spif.stage`); an uplift
//! of a stage's conversion is a row of the form, so its fields are
//! `plans[0].effect.conversion[1].stage` and `…[1].uplift` (the engine names
//! it by stage, `plans[0].effect.conversion.Negotiation`, and `reword_plan`
//! maps that back to the row).
//!
//! A plan refers to stages by name. When a stage is removed or renamed, the
//! plan keeps the old name and the form says so at the plan's field, until
//! the user picks another stage.

use funnel_engine::scenario::{CommissionBand, MAX_REPS, Plan, Spif, Team, Tiers};
use funnel_engine::{ErrorKind, FieldError, Scenario};

use super::{Draft, Errors, MSG_PERCENT, num, parse_percent, pct, sentence};

/// At most this many plans in the form (the charts tell five apart).
pub const MAX_PLANS: usize = 5;
/// At most this many commission bands per plan.
pub const MAX_BANDS: usize = 8;
/// Reps a new team starts with.
pub const DEFAULT_REPS: u32 = 8;

pub const MSG_REPS: &str = "Enter a whole number of reps from 1 to 500";
pub const MSG_QUOTA: &str = "Enter an amount above 0";
pub const MSG_SKILL: &str = "Enter a number from 0 to 2 (0 = every rep equally good)";
pub const MSG_UPLIFT: &str = "Enter a percentage above -100 (0 for no change)";
pub const MSG_CAP: &str = "Enter a percentage of quota, at least 100 (or leave empty for no cap)";

/// The team as typed. Without a team the form leaves the plans out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamDraft {
    pub enabled: bool,
    pub reps: String,
    /// Bookings each rep is expected to close over the horizon.
    pub quota: String,
    /// Spread of rep performance (a plain number, 0 to 2).
    pub skill_sd: String,
}

/// One commission band: from `from` percent of quota upward, `rate` percent of bookings.
#[derive(Clone, Debug, PartialEq)]
pub struct BandDraft {
    pub id: u32,
    /// Percent of quota; the first band always starts at 0.
    pub from: String,
    pub rate: String,
}

/// An assumed uplift of one stage's conversion, in percent.
#[derive(Clone, Debug, PartialEq)]
pub struct UpliftDraft {
    pub id: u32,
    pub stage: String,
    pub uplift: String,
}

/// One incentive plan as typed. `id` keys it in the page; it is not saved.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanDraft {
    pub id: u32,
    pub name: String,
    pub bands: Vec<BandDraft>,
    pub tiers: Tiers,
    /// Money; empty means 0.
    pub quota_bonus: String,
    /// Percent of quota; empty means no cap.
    pub cap: String,
    /// Stage whose forward moves earn the SPIF; empty means no SPIF.
    pub spif_stage: String,
    pub spif_per_deal: String,
    pub uplifts: Vec<UpliftDraft>,
    /// Percent; empty means 0.
    pub leads_uplift: String,
    /// The plan as loaded: fields the form does not edit are kept from it.
    base: Plan,
}

/// "marginal" / "retroactive", as in the file format.
pub fn tiers_str(tiers: Tiers) -> &'static str {
    match tiers {
        Tiers::Marginal => "marginal",
        Tiers::Retroactive => "retroactive",
    }
}

pub fn parse_tiers(s: &str) -> Option<Tiers> {
    match s {
        "marginal" => Some(Tiers::Marginal),
        "retroactive" => Some(Tiers::Retroactive),
        _ => None,
    }
}

/// One plain sentence on what the tiers mean.
pub fn tiers_explained(tiers: Tiers) -> &'static str {
    match tiers {
        Tiers::Marginal => {
            "Marginal: each rate pays only on the bookings inside its band, like tax brackets."
        }
        Tiers::Retroactive => {
            "Retroactive: once a rep reaches a band, its rate pays on all their bookings."
        }
    }
}

/// The message at a plan field whose stage is gone.
pub fn missing_stage(name: &str, instead: &str) -> String {
    format!("“{name}” is no longer a stage of this funnel (removed or renamed): {instead}")
}

impl TeamDraft {
    fn from_scenario(scenario: &Scenario) -> TeamDraft {
        match &scenario.team {
            Some(t) => TeamDraft {
                enabled: true,
                reps: t.reps.to_string(),
                quota: num(t.quota),
                skill_sd: num(t.skill_sd),
            },
            None => {
                // A starting point: the target shared by the default team.
                let quota = scenario
                    .target
                    .as_ref()
                    .map(|t| (t.revenue / f64::from(DEFAULT_REPS)).round())
                    .filter(|q| q.is_finite() && *q > 0.0)
                    .unwrap_or(250_000.0);
                TeamDraft {
                    enabled: false,
                    reps: DEFAULT_REPS.to_string(),
                    quota: num(quota),
                    skill_sd: "0.3".into(),
                }
            }
        }
    }
}

impl Draft {
    /// The team and plan fields of a freshly loaded draft.
    pub(super) fn load_team_and_plans(&mut self, scenario: &Scenario) {
        self.team = TeamDraft::from_scenario(scenario);
        self.plans = scenario.plans.iter().map(|p| self.plan_draft(p)).collect();
    }

    fn plan_draft(&mut self, plan: &Plan) -> PlanDraft {
        let id = self.take_id();
        let bands = plan
            .commission
            .iter()
            .map(|b| BandDraft {
                id: self.take_id(),
                from: pct(b.from),
                rate: pct(b.rate),
            })
            .collect();
        let uplifts = plan
            .effect
            .conversion
            .iter()
            .map(|(stage, uplift)| UpliftDraft {
                id: self.take_id(),
                stage: stage.clone(),
                uplift: pct(*uplift),
            })
            .collect();
        PlanDraft {
            id,
            name: plan.name.clone(),
            bands,
            tiers: plan.tiers,
            quota_bonus: num(plan.quota_bonus),
            cap: plan.cap.map(pct).unwrap_or_default(),
            spif_stage: plan
                .spif
                .as_ref()
                .map(|s| s.stage.clone())
                .unwrap_or_default(),
            spif_per_deal: plan
                .spif
                .as_ref()
                .map_or_else(|| "100".to_owned(), |s| num(s.per_deal)),
            uplifts,
            leads_uplift: pct(plan.effect.leads),
            base: plan.clone(),
        }
    }

    pub fn plan_index(&self, id: u32) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    pub fn plan(&self, id: u32) -> Option<&PlanDraft> {
        self.plans.iter().find(|p| p.id == id)
    }

    pub fn plan_mut(&mut self, id: u32) -> Option<&mut PlanDraft> {
        self.plans.iter_mut().find(|p| p.id == id)
    }

    /// Stage names as they stand in the form (as typed, not blank), in order.
    pub fn stage_names(&self) -> Vec<String> {
        self.stages
            .iter()
            .filter(|s| !s.name.trim().is_empty())
            .map(|s| s.name.clone())
            .collect()
    }

    fn unique_plan_name(&self, wanted: impl Fn(usize) -> String) -> String {
        (1..)
            .map(wanted)
            .find(|name| !self.plans.iter().any(|p| p.name == *name))
            .unwrap_or_default()
    }

    /// Adds a plan at the end (a flat 10% commission, no bonus, no cap, no
    /// SPIF, no effect); returns its id, or `None` at the limit.
    pub fn add_plan(&mut self) -> Option<u32> {
        if self.plans.len() >= MAX_PLANS {
            return None;
        }
        let first = self.plans.len() + 1;
        let name = self.unique_plan_name(|n| format!("Plan {}", first + n - 1));
        let mut plan = new_plan();
        plan.name = name;
        let draft = self.plan_draft(&plan);
        let id = draft.id;
        self.plans.push(draft);
        Some(id)
    }

    /// Copies a plan, as typed, right after it; returns the copy's id.
    pub fn duplicate_plan(&mut self, id: u32) -> Option<u32> {
        if self.plans.len() >= MAX_PLANS {
            return None;
        }
        let i = self.plan_index(id)?;
        let mut copy = self.plans[i].clone();
        let base = copy.name.trim().to_owned();
        copy.name = self.unique_plan_name(|n| {
            if n == 1 {
                format!("{base} (copy)")
            } else {
                format!("{base} (copy {n})")
            }
        });
        copy.id = self.take_id();
        for band in &mut copy.bands {
            band.id = self.take_id();
        }
        for uplift in &mut copy.uplifts {
            uplift.id = self.take_id();
        }
        let new_id = copy.id;
        self.plans.insert(i + 1, copy);
        Some(new_id)
    }

    pub fn remove_plan(&mut self, id: u32) {
        self.plans.retain(|p| p.id != id);
    }

    /// Adds a band above the plan's last one (50 points of quota higher, same
    /// rate); returns its id.
    pub fn add_band(&mut self, plan: u32) -> Option<u32> {
        let id = self.take_id();
        let p = self.plan_mut(plan)?;
        if p.bands.len() >= MAX_BANDS {
            return None;
        }
        let (from, rate) = match p.bands.last() {
            Some(last) => {
                let from = parse_percent(&last.from).unwrap_or(0.0);
                (pct(from + 0.5), last.rate.clone())
            }
            None => ("0".to_owned(), "10".to_owned()),
        };
        p.bands.push(BandDraft { id, from, rate });
        Some(id)
    }

    /// Removes a band; the first band (from 0) stays.
    pub fn remove_band(&mut self, plan: u32, band: u32) {
        if let Some(p) = self.plan_mut(plan) {
            if p.bands.first().is_some_and(|b| b.id != band) {
                p.bands.retain(|b| b.id != band);
            }
        }
    }

    /// Adds an uplift of a stage not yet uplifted in this plan (+5%); returns its id.
    pub fn add_uplift(&mut self, plan: u32) -> Option<u32> {
        let names = self.stage_names();
        let id = self.take_id();
        let p = self.plan_mut(plan)?;
        if p.uplifts.len() >= names.len() {
            return None;
        }
        let stage = names
            .iter()
            .find(|n| !p.uplifts.iter().any(|u| u.stage == **n))
            .or(names.first())?
            .clone();
        p.uplifts.push(UpliftDraft {
            id,
            stage,
            uplift: "5".into(),
        });
        Some(id)
    }

    pub fn remove_uplift(&mut self, plan: u32, uplift: u32) {
        if let Some(p) = self.plan_mut(plan) {
            p.uplifts.retain(|u| u.id != uplift);
        }
    }

    /// The team and plans, or `None` with the problems added to `e`. Without
    /// a team, plans are left out (the engine needs a team to pay).
    pub(super) fn team_and_plans(&self, e: &mut Errors) -> Option<(Option<Team>, Vec<Plan>)> {
        if !self.team.enabled {
            return Some((None, Vec::new()));
        }
        let reps = e.whole(&self.team.reps, "team.reps", MSG_REPS, |n| {
            (1..=u64::from(MAX_REPS)).contains(&n)
        });
        let quota = e.money(&self.team.quota, "team.quota", MSG_QUOTA, |x| x > 0.0);
        let skill_sd = e.number(&self.team.skill_sd, "team.skill_sd", MSG_SKILL, |x| {
            (0.0..=2.0).contains(&x)
        });
        let names = self.stage_names();
        let plans: Vec<Option<Plan>> = self
            .plans
            .iter()
            .enumerate()
            .map(|(k, p)| p.to_plan(k, &names, e))
            .collect();
        let team = Team {
            reps: reps? as u32,
            quota: quota?,
            skill_sd: skill_sd?,
        };
        Some((Some(team), plans.into_iter().collect::<Option<Vec<_>>>()?))
    }

    /// An engine error about the team or a plan in the form's words, at the
    /// form's field (`None` for other paths).
    pub(super) fn reword_plan(&self, err: &FieldError) -> Option<FieldError> {
        let path = err.path.as_str();
        let at = |path: String, message: String| FieldError::with_kind(path, err.kind, message);
        if path == "team.skill_sd" {
            return Some(at(path.to_owned(), MSG_SKILL.to_owned()));
        }
        let k = plan_at(path)?;
        let field = path.split_once("].").map(|(_, f)| f).unwrap_or("");
        if let Some(stage) = field.strip_prefix("effect.conversion.") {
            // The engine names an uplift by its stage; the form has rows.
            let plan = self.plans.get(k)?;
            let j = plan.uplifts.iter().position(|u| u.stage == stage)?;
            let (what, message) = match err.kind {
                ErrorKind::NotAStage => (
                    "stage",
                    missing_stage(stage, "choose a stage or remove this uplift"),
                ),
                _ => ("uplift", MSG_UPLIFT.to_owned()),
            };
            return Some(at(
                format!("plans[{k}].effect.conversion[{j}].{what}"),
                message,
            ));
        }
        let message = match (field, err.kind) {
            (f, ErrorKind::NotARate) if f.ends_with(".rate") => MSG_PERCENT.to_owned(),
            (f, _) if f.ends_with(".from") => {
                "Enter a percentage of quota above the band before".to_owned()
            }
            ("cap", _) => MSG_CAP.to_owned(),
            ("effect.leads", ErrorKind::LeadsPastLimit { most: Some(most) }) => format!(
                "Enter a percentage of at most {}: more would take leads beyond a trillion a month within the horizon",
                pct(most)
            ),
            ("effect.leads", _) => MSG_UPLIFT.to_owned(),
            ("spif.stage", _) => {
                let stage = self
                    .plans
                    .get(k)
                    .map(|p| p.spif_stage.as_str())
                    .unwrap_or("");
                missing_stage(stage, "choose a stage or “No SPIF”")
            }
            ("name", ErrorKind::Empty) => "Enter a name".to_owned(),
            _ => sentence(&err.message),
        };
        Some(at(path.to_owned(), message))
    }
}

impl PlanDraft {
    fn to_plan(&self, k: usize, stages: &[String], e: &mut Errors) -> Option<Plan> {
        let at = |field: &str| format!("plans[{k}].{field}");
        // Names are kept exactly as typed (a link must reopen as it was);
        // only a blank one is refused, as the engine does.
        let name = self.name.as_str();
        if name.trim().is_empty() {
            e.0.push(FieldError::new(at("name"), "Enter a name"));
        }

        if self.bands.is_empty() {
            e.0.push(FieldError::new(at("commission"), "Add at least one band"));
        }
        let mut previous: Option<f64> = None;
        let bands: Vec<Option<CommissionBand>> = self
            .bands
            .iter()
            .enumerate()
            .map(|(b, band)| {
                let from = if b == 0 {
                    Some(0.0)
                } else {
                    let path = at(&format!("commission[{b}].from"));
                    // A later band is checked against the last one that reads.
                    match previous {
                        Some(prev) => e.percent(
                            &band.from,
                            &path,
                            &format!(
                                "Enter a percentage of quota above the band before ({}%)",
                                pct(prev)
                            ),
                            |x| x / 100.0 > prev,
                        ),
                        None => e.percent(
                            &band.from,
                            &path,
                            "Enter a percentage of quota above 0",
                            |x| x > 0.0,
                        ),
                    }
                };
                previous = from.or(previous);
                let rate = e.percent(
                    &band.rate,
                    &at(&format!("commission[{b}].rate")),
                    MSG_PERCENT,
                    |x| (0.0..=100.0).contains(&x),
                );
                Some(CommissionBand {
                    from: from?,
                    rate: rate?,
                })
            })
            .collect();

        let quota_bonus = if self.quota_bonus.trim().is_empty() {
            Some(0.0)
        } else {
            e.money(
                &self.quota_bonus,
                &at("quota_bonus"),
                "Enter an amount, 0 or more (0 for no bonus)",
                |x| x >= 0.0,
            )
        };
        let cap = if self.cap.trim().is_empty() {
            Some(None)
        } else {
            e.percent(&self.cap, &at("cap"), MSG_CAP, |x| x >= 100.0)
                .map(Some)
        };

        let spif_stage = self.spif_stage.as_str();
        let spif = if spif_stage.trim().is_empty() {
            Some(None)
        } else {
            if !stages.iter().any(|s| s == spif_stage) {
                e.0.push(FieldError::new(
                    at("spif.stage"),
                    missing_stage(spif_stage, "choose a stage or “No SPIF”"),
                ));
            }
            let per_deal = e.money(
                &self.spif_per_deal,
                &at("spif.per_deal"),
                "Enter an amount per deal, 0 or more",
                |x| x >= 0.0,
            );
            per_deal
                .filter(|_| stages.iter().any(|s| s == spif_stage))
                .map(|per_deal| {
                    Some(Spif {
                        stage: spif_stage.to_owned(),
                        per_deal,
                    })
                })
        };

        let mut conversion = Vec::new();
        let mut uplifts_ok = true;
        for (j, u) in self.uplifts.iter().enumerate() {
            let stage = u.stage.as_str();
            let path = at(&format!("effect.conversion[{j}].stage"));
            let known = stages.iter().any(|s| s == stage);
            if !known {
                e.0.push(FieldError::new(
                    path,
                    missing_stage(stage, "choose a stage or remove this uplift"),
                ));
            } else if self.uplifts[..j].iter().any(|v| v.stage == stage) {
                e.0.push(FieldError::new(
                    path,
                    format!("“{stage}” already has an uplift in this plan: choose another stage"),
                ));
            }
            let uplift = e.percent(
                &u.uplift,
                &at(&format!("effect.conversion[{j}].uplift")),
                MSG_UPLIFT,
                |x| x > -100.0,
            );
            match uplift {
                Some(x) if known => conversion.push((stage.to_owned(), x)),
                _ => uplifts_ok = false,
            }
        }
        let leads = if self.leads_uplift.trim().is_empty() {
            Some(0.0)
        } else {
            e.percent(&self.leads_uplift, &at("effect.leads"), MSG_UPLIFT, |x| {
                x > -100.0
            })
        };

        if name.is_empty() || !uplifts_ok {
            return None;
        }
        let mut plan = self.base.clone();
        plan.name = name.to_owned();
        plan.commission = bands.into_iter().collect::<Option<Vec<_>>>()?;
        plan.tiers = self.tiers;
        plan.quota_bonus = quota_bonus?;
        plan.cap = cap?;
        plan.spif = spif?;
        plan.effect.conversion = conversion;
        plan.effect.leads = leads?;
        Some(plan)
    }
}

/// A new plan: defaults read from the file format, like new stages.
fn new_plan() -> Plan {
    const NEW: &str = r#"{"version":1,"horizon_months":1,"leads":{"per_month":0},
        "stages":[{"name":"New","conversion":0.5,"days":7,"open":0}],
        "deal_size":{"median":1,"p90":1},
        "team":{"reps":1,"quota":1},
        "plans":[{"name":"New","commission":[{"from":0,"rate":0.1}]}]}"#;
    Scenario::from_json(NEW)
        .expect("the plan template is a valid scenario")
        .plans
        .remove(0)
}

/// The plan index in a path like `plans[2].cap`.
pub fn plan_at(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("plans[")?;
    rest[..rest.find(']')?].parse().ok()
}

/// "Plan 2 (Accelerators)", or "Plan 2" without a name.
pub fn plan_title(index: usize, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        format!("Plan {}", index + 1)
    } else {
        format!("Plan {} ({name})", index + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::field_label;
    use funnel_engine::scenario::Effect;

    fn team50() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap()
    }

    fn b2b() -> Scenario {
        crate::share::presets::default_preset().scenario()
    }

    fn paths(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.path.as_str()).collect()
    }

    fn message<'a>(errors: &'a [FieldError], path: &str) -> &'a str {
        &errors
            .iter()
            .find(|e| e.path == path)
            .unwrap_or_else(|| panic!("no error at {path}: {errors:?}"))
            .message
    }

    #[test]
    fn team_and_plans_round_trip_exactly() {
        let mut scenarios = vec![team50(), b2b()];
        // Retroactive tiers, a SPIF, lead uplift, odd numbers.
        let mut odd = team50();
        odd.plans[0].tiers = Tiers::Retroactive;
        odd.plans[0].cap = Some(1.234_567);
        odd.plans[0].quota_bonus = 1234.5;
        odd.plans[1].effect.leads = -0.125;
        odd.plans[1].commission[1].rate = 0.123_456_789;
        odd.plans[2].effect.conversion.push(("Lead".into(), 0.0));
        odd.team.as_mut().unwrap().skill_sd = 1.75;
        scenarios.push(odd);
        // A team without plans.
        let mut bare = team50();
        bare.plans.clear();
        scenarios.push(bare);
        for scenario in scenarios {
            let draft = Draft::from_scenario(&scenario, 10_000, 1);
            let back = draft.to_scenario().unwrap();
            assert_eq!(back, scenario, "{}", scenario.name);
            assert_eq!(back.to_json(), scenario.to_json());
            // And through the JSON of a link or a file.
            let again = Scenario::from_json(&back.to_json_pretty()).unwrap();
            assert_eq!(Draft::from_scenario(&again, 10_000, 1), draft);
        }
    }

    #[test]
    fn fields_are_typed_in_percent_of_quota_and_percent() {
        let d = Draft::from_scenario(&team50(), 10_000, 1);
        assert!(d.team.enabled);
        assert_eq!(
            (
                d.team.reps.as_str(),
                d.team.quota.as_str(),
                d.team.skill_sd.as_str()
            ),
            ("50", "100000", "0.3")
        );
        let p = &d.plans[1];
        let bands: Vec<(&str, &str)> = p
            .bands
            .iter()
            .map(|b| (b.from.as_str(), b.rate.as_str()))
            .collect();
        assert_eq!(bands, [("0", "8"), ("100", "12"), ("150", "15")]);
        assert_eq!(p.cap, "200");
        assert_eq!(p.quota_bonus, "5000");
        assert_eq!(
            (p.uplifts[0].stage.as_str(), p.uplifts[0].uplift.as_str()),
            ("Negotiation", "5")
        );
        assert_eq!(d.plans[2].spif_stage, "Proposal");
        assert_eq!(d.plans[2].spif_per_deal, "150");
        assert_eq!(d.plans[0].cap, "");
        assert_eq!(d.plans[0].spif_stage, "");

        let mut d = d;
        d.plans[0].bands[0].rate = "12.5%".into();
        d.plans[1].bands[2].from = "175".into();
        d.plans[1].cap = "".into();
        let s = d.to_scenario().unwrap();
        assert_eq!(s.plans[0].commission[0].rate, 0.125);
        assert_eq!(s.plans[1].commission[2].from, 1.75);
        assert_eq!(s.plans[1].cap, None);
    }

    #[test]
    fn no_team_means_no_plans_and_still_runs() {
        let reference =
            Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap();
        let d = Draft::from_scenario(&reference, 10_000, 1);
        assert!(!d.team.enabled);
        assert!(d.plans.is_empty());
        assert_eq!(d.to_scenario().unwrap(), reference);

        // Turning the team off leaves the plans out but keeps them in the form.
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        d.team.enabled = false;
        let s = d.to_scenario().unwrap();
        assert_eq!((s.team, s.plans.len()), (None, 0));
        assert_eq!(d.plans.len(), 3);
        // Even broken plans do not stop a run without a team.
        d.plans[0].bands[0].rate = "lots".into();
        assert!(d.to_scenario().is_ok());
        d.team.enabled = true;
        assert_eq!(
            paths(&d.to_scenario().unwrap_err()),
            ["plans[0].commission[0].rate"]
        );
    }

    #[test]
    fn every_bad_field_is_reported_with_its_path() {
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        d.team.reps = "0".into();
        d.team.quota = "-5".into();
        d.team.skill_sd = "3".into();
        d.plans[0].name = " ".into();
        d.plans[0].bands[0].rate = "120".into();
        d.plans[1].bands[1].from = "abc".into();
        d.plans[1].bands[2].from = "90".into(); // below the band before (100%)
        d.plans[1].quota_bonus = "-1".into();
        d.plans[1].cap = "80".into();
        d.plans[1].uplifts[0].uplift = "-100".into();
        d.plans[1].leads_uplift = "x".into();
        d.plans[2].spif_per_deal = "-3".into();
        let errors = d.to_run().unwrap_err();
        assert_eq!(
            paths(&errors),
            [
                "team.reps",
                "team.quota",
                "team.skill_sd",
                "plans[0].name",
                "plans[0].commission[0].rate",
                "plans[1].commission[1].from",
                "plans[1].quota_bonus",
                "plans[1].cap",
                "plans[1].effect.conversion[0].uplift",
                "plans[1].effect.leads",
                "plans[2].spif.per_deal",
            ]
        );
        assert!(
            errors.iter().all(|e| e.message.starts_with("Enter")),
            "{errors:?}"
        );
        assert_eq!(message(&errors, "plans[0].commission[0].rate"), MSG_PERCENT);

        // Once band 2 reads, band 3 is checked against it, in percent.
        d.plans[1].bands[1].from = "100".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(
            message(&errors, "plans[1].commission[2].from"),
            "Enter a percentage of quota above the band before (100%)"
        );
        assert_eq!(
            field_label("plans[1].commission[2].from", &d),
            "Plan 2 (Accelerators): band 3 start"
        );
        assert_eq!(
            field_label("plans[1].effect.conversion[0].uplift", &d),
            "Plan 2 (Accelerators): conversion uplift 1"
        );
        assert_eq!(
            field_label("team.skill_sd", &d),
            "Sales team: how much reps differ"
        );
    }

    #[test]
    fn duplicate_plan_names_come_back_from_the_engine_at_the_field() {
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        d.plans[2].name = "Flat 10%".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["plans[2].name"]);
        assert!(
            errors[0].message.contains("unique"),
            "{}",
            errors[0].message
        );
        assert!(errors[0].message.starts_with('“') || errors[0].message.starts_with('"'));
    }

    #[test]
    fn a_removed_or_renamed_stage_is_named_at_the_plan_field() {
        // Plan 3 pays a SPIF on Proposal and assumes +8% on Proposal's conversion.
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        let proposal = d.stages[3].id;
        d.remove_stage(proposal);
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(
            paths(&errors),
            ["plans[2].spif.stage", "plans[2].effect.conversion[0].stage"]
        );
        assert_eq!(
            message(&errors, "plans[2].spif.stage"),
            "“Proposal” is no longer a stage of this funnel (removed or renamed): choose a stage or “No SPIF”"
        );
        assert!(
            message(&errors, "plans[2].effect.conversion[0].stage").contains("remove this uplift")
        );
        assert_eq!(
            field_label("plans[2].spif.stage", &d),
            "Plan 3 (Proposal SPIF): SPIF stage"
        );
        // The plan keeps the name until the user chooses.
        assert_eq!(d.plans[2].spif_stage, "Proposal");

        // Renaming does the same; choosing the new name fixes it.
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        d.stages[4].name = "Negotiating".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["plans[1].effect.conversion[0].stage"]);
        d.plans[1].uplifts[0].stage = "Negotiating".into();
        let s = d.to_scenario().unwrap();
        assert_eq!(
            s.plans[1].effect.conversion,
            [("Negotiating".to_owned(), 0.05)]
        );

        // "No SPIF" is always a way out.
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        d.stages[3].name = "Offer".into();
        d.plans[2].spif_stage.clear();
        d.plans[2].uplifts.clear();
        let s = d.to_scenario().unwrap();
        assert_eq!(s.plans[2].spif, None);
        assert_eq!(s.plans[2].effect, Effect::default());
    }

    #[test]
    fn engine_names_uplifts_by_stage_and_the_form_by_row() {
        let d = Draft::from_scenario(&team50(), 10_000, 1);
        let e = d.reword(&FieldError::with_kind(
            "plans[1].effect.conversion.Negotiation",
            ErrorKind::Above { min: -1.0 },
            "must be above -1 (-100%)",
        ));
        assert_eq!(e.path, "plans[1].effect.conversion[0].uplift");
        assert_eq!(e.message, MSG_UPLIFT);
        let e = d.reword(&FieldError::with_kind(
            "plans[1].effect.conversion.Negotiation",
            ErrorKind::NotAStage,
            "\"Negotiation\" is not a stage of this funnel",
        ));
        assert_eq!(e.path, "plans[1].effect.conversion[0].stage");
        let e = d.reword(&FieldError::with_kind(
            "plans[1].commission[1].rate",
            ErrorKind::NotARate,
            "must be a rate from 0 to 1",
        ));
        assert_eq!(e.message, MSG_PERCENT);
    }

    #[test]
    fn a_lead_uplift_past_the_limit_says_so() {
        // 1e11 leads a month for 2 months: a plan may add at most +900%.
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        d.horizon_months = "2".into();
        d.leads_per_month = "1e11".into();
        d.growth = "0".into();
        d.plans[1].leads_uplift = "2000".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["plans[1].effect.leads"]);
        // It was "Enter a percentage above -100 (0 for no change)", which
        // 2000 already is.
        assert_eq!(
            errors[0].message,
            "Enter a percentage of at most 900: more would take leads beyond a trillion a month within the horizon"
        );
        d.plans[1].leads_uplift = "900".into();
        assert!(d.to_scenario().is_ok());
    }

    #[test]
    fn plans_are_added_duplicated_and_removed() {
        let mut d = Draft::from_scenario(&b2b(), 10_000, 1);
        let n = d.plans.len();
        let first = d.plans[0].id;
        let copy = d.duplicate_plan(first).unwrap();
        assert_eq!(d.plan_index(copy), Some(1));
        assert_eq!(d.plans[1].name, format!("{} (copy)", d.plans[0].name));
        let again = d.duplicate_plan(first).unwrap();
        assert_eq!(
            d.plan(again).unwrap().name,
            format!("{} (copy 2)", d.plans[0].name)
        );
        // Copies get their own ids all the way down.
        assert_ne!(d.plans[1].bands[0].id, d.plans[0].bands[0].id);
        assert!(d.to_scenario().is_ok());
        d.remove_plan(copy);
        d.remove_plan(again);
        assert_eq!(d.plans.len(), n);

        let added = d.add_plan().unwrap();
        let p = d.plan(added).unwrap();
        assert_eq!(p.name, format!("Plan {}", n + 1));
        let s = d.to_scenario().unwrap();
        let new = s.plans.last().unwrap();
        assert_eq!(
            new.commission,
            [CommissionBand {
                from: 0.0,
                rate: 0.1
            }]
        );
        assert_eq!(
            (new.tiers, new.quota_bonus, new.cap),
            (Tiers::Marginal, 0.0, None)
        );
        while d.add_plan().is_some() {}
        assert_eq!(d.plans.len(), MAX_PLANS);
        assert_eq!(d.duplicate_plan(first), None);
        let names: std::collections::HashSet<_> = d.plans.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), MAX_PLANS);

        for id in d.plans.iter().map(|p| p.id).collect::<Vec<_>>() {
            d.remove_plan(id);
        }
        let s = d.to_scenario().unwrap();
        assert!(s.team.is_some() && s.plans.is_empty());
    }

    #[test]
    fn bands_and_uplifts_are_added_and_removed() {
        let mut d = Draft::from_scenario(&team50(), 10_000, 1);
        let plan = d.plans[1].id;
        let band = d.add_band(plan).unwrap();
        let p = d.plan(plan).unwrap();
        assert_eq!(
            (p.bands[3].from.as_str(), p.bands[3].rate.as_str()),
            ("200", "15")
        );
        assert_eq!(d.to_scenario().unwrap().plans[1].commission[3].from, 2.0);
        d.remove_band(plan, band);
        // The first band stays.
        let first = d.plan(plan).unwrap().bands[0].id;
        d.remove_band(plan, first);
        assert_eq!(d.plan(plan).unwrap().bands.len(), 3);

        let uplift = d.add_uplift(plan).unwrap();
        let p = d.plan(plan).unwrap();
        // The first stage without an uplift yet.
        assert_eq!(
            (p.uplifts[1].stage.as_str(), p.uplifts[1].uplift.as_str()),
            ("Lead", "5")
        );
        let s = d.to_scenario().unwrap();
        assert_eq!(s.plans[1].effect.conversion[1], ("Lead".to_owned(), 0.05));
        // Two uplifts of one stage cannot both hold.
        d.plan_mut(plan).unwrap().uplifts[1].stage = "Negotiation".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["plans[1].effect.conversion[1].stage"]);
        assert!(errors[0].message.contains("already has an uplift"));
        d.remove_uplift(plan, uplift);
        assert_eq!(d.to_scenario().unwrap(), team50());
    }
}
