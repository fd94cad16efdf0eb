//! Revenue milestones as typed: cumulative revenue by the end of a month
//! (`target.milestones[i].month` / `.revenue`, docs/model-notes.md), and
//! stage capacity's words. Milestones live in the target, so they need one.

use funnel_engine::scenario::Milestone;
use funnel_engine::{ErrorKind, FieldError, Scenario};

use super::{Draft, Errors, num, sentence};

/// At most this many milestones in the form.
pub const MAX_MILESTONES: usize = 12;

pub const MSG_CAPACITY: &str =
    "Enter a whole number of deals a week, 1 or more (or leave empty for no limit)";
pub const MSG_MILESTONE_REVENUE: &str = "Enter an amount, 0 or more";
pub const MSG_MILESTONES_NEED_TARGET: &str =
    "Enter a revenue target: milestones are checked on the way to it (or remove the milestones)";

/// One milestone as typed. `id` keys its row in the page; it is not saved.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneDraft {
    pub id: u32,
    /// Month from 1, within the horizon.
    pub month: String,
    /// Cumulative revenue by the end of that month.
    pub revenue: String,
}

impl Draft {
    pub(super) fn load_milestones(&mut self, scenario: &Scenario) {
        self.milestones.clear();
        for m in scenario.target.iter().flat_map(|t| &t.milestones) {
            let id = self.take_id();
            self.milestones.push(MilestoneDraft {
                id,
                month: m.month.to_string(),
                revenue: num(m.revenue),
            });
        }
    }

    /// Adds a milestone after the last one (a quarter later, at the revenue
    /// of a straight line to the target); returns its id.
    pub fn add_milestone(&mut self) -> Option<u32> {
        if self.milestones.len() >= MAX_MILESTONES {
            return None;
        }
        let horizon = super::parse_whole(&self.horizon_months)
            .unwrap_or(12)
            .max(1);
        let last = self
            .milestones
            .iter()
            .filter_map(|m| super::parse_whole(&m.month))
            .max()
            .unwrap_or(0);
        let month = (last + 3).min(horizon).max(1);
        let revenue = super::parse_money(&self.target)
            .map(|t| (t * month as f64 / horizon as f64).round())
            .unwrap_or(0.0);
        let id = self.take_id();
        self.milestones.push(MilestoneDraft {
            id,
            month: month.to_string(),
            revenue: num(revenue),
        });
        Some(id)
    }

    pub fn remove_milestone(&mut self, id: u32) {
        self.milestones.retain(|m| m.id != id);
    }

    pub fn milestone_mut(&mut self, id: u32) -> Option<&mut MilestoneDraft> {
        self.milestones.iter_mut().find(|m| m.id == id)
    }

    pub fn milestone_index(&self, id: u32) -> Option<usize> {
        self.milestones.iter().position(|m| m.id == id)
    }

    /// The milestones, read; problems go to `e` (the engine checks the
    /// horizon and repeated months).
    pub(super) fn read_milestones(&self, e: &mut Errors) -> Vec<Milestone> {
        if !self.milestones.is_empty() && self.target.trim().is_empty() {
            e.0.push(FieldError::new(
                "target.revenue",
                MSG_MILESTONES_NEED_TARGET,
            ));
        }
        let horizon = super::parse_whole(&self.horizon_months).filter(|&h| h >= 1);
        let month_message = match horizon {
            Some(h) => format!("Enter a month from 1 to {h} (within the horizon)"),
            None => "Enter a month from 1, within the horizon".to_owned(),
        };
        self.milestones
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let month = e.whole(
                    &m.month,
                    &format!("target.milestones[{i}].month"),
                    &month_message,
                    |n| n >= 1 && n <= u64::from(u32::MAX),
                );
                let revenue = e.money(
                    &m.revenue,
                    &format!("target.milestones[{i}].revenue"),
                    MSG_MILESTONE_REVENUE,
                    |x| x >= 0.0,
                );
                Some(Milestone {
                    month: month? as u32,
                    revenue: revenue?,
                })
            })
            .collect()
    }

    /// The engine's milestone and capacity messages in the form's words.
    pub(super) fn reword_milestone(&self, err: &FieldError) -> Option<FieldError> {
        let path = err.path.as_str();
        let message = if path.ends_with(".capacity_per_week") {
            MSG_CAPACITY.to_owned()
        } else if milestone_at(path).is_some() && path.ends_with(".month") {
            match err.kind {
                ErrorKind::NotUnique => {
                    "Enter another month: this one has a milestone already".to_owned()
                }
                ErrorKind::OutOfRange { min, max } => {
                    format!("Enter a month from {min} to {max} (within the horizon)")
                }
                _ => sentence(&err.message),
            }
        } else if milestone_at(path).is_some() {
            MSG_MILESTONE_REVENUE.to_owned()
        } else {
            return None;
        };
        Some(FieldError::with_kind(err.path.clone(), err.kind, message))
    }
}

/// The milestone index in a path like `target.milestones[2].month`.
pub fn milestone_at(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("target.milestones[")?;
    rest[..rest.find(']')?].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::field_label;

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
    }

    fn paths(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn capacity_and_milestones_round_trip() {
        let mut s = reference();
        s.stages[2].capacity_per_week = Some(2);
        s.target.as_mut().unwrap().milestones = vec![
            Milestone {
                month: 3,
                revenue: 900_000.0,
            },
            Milestone {
                month: 6,
                revenue: 2_000_000.5,
            },
        ];
        let d = Draft::from_scenario(&s, 10_000, 1);
        assert_eq!(d.stages[2].capacity, "2");
        assert_eq!(d.stages[0].capacity, "");
        assert_eq!(d.milestones.len(), 2);
        assert_eq!(
            (
                d.milestones[1].month.as_str(),
                d.milestones[1].revenue.as_str()
            ),
            ("6", "2000000.5")
        );
        assert_eq!(d.to_scenario().unwrap(), s);
        // And through the JSON a link carries.
        let back = Scenario::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        assert_eq!(Draft::from_scenario(&back, 10_000, 1), d);
    }

    #[test]
    fn capacity_is_a_whole_number_of_at_least_one() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        d.stages[2].capacity = " 3 ".into();
        assert_eq!(
            d.to_scenario().unwrap().stages[2].capacity_per_week,
            Some(3)
        );
        d.stages[2].capacity = String::new();
        assert_eq!(d.to_scenario().unwrap().stages[2].capacity_per_week, None);
        for bad in ["0", "2.5", "-1", "many"] {
            d.stages[2].capacity = bad.into();
            let errors = d.to_scenario().unwrap_err();
            assert_eq!(paths(&errors), ["stages[2].capacity_per_week"], "{bad}");
            assert_eq!(errors[0].message, MSG_CAPACITY);
        }
        assert_eq!(
            field_label("stages[2].capacity_per_week", &d),
            "Stage 3 (Discovery): capacity"
        );
    }

    #[test]
    fn milestone_errors_are_at_their_fields() {
        let mut d = Draft::from_scenario(&reference(), 10_000, 1);
        let a = d.add_milestone().unwrap();
        let b = d.add_milestone().unwrap();
        assert_eq!(d.milestones[0].month, "3");
        assert_eq!(d.milestones[0].revenue, "1250000");
        assert_eq!(d.milestones[1].month, "6");
        let s = d.to_scenario().unwrap();
        assert_eq!(s.target.as_ref().unwrap().milestones.len(), 2);

        d.milestone_mut(a).unwrap().month = "13".into();
        d.milestone_mut(b).unwrap().revenue = "a lot".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(
            paths(&errors),
            ["target.milestones[1].revenue"],
            "the form's own errors come first"
        );
        d.milestone_mut(b).unwrap().revenue = "100".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["target.milestones[0].month"]);
        assert_eq!(
            errors[0].message,
            "Enter a month from 1 to 12 (within the horizon)"
        );
        d.milestone_mut(a).unwrap().month = "6".into();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["target.milestones[1].month"]);
        assert!(errors[0].message.contains("has a milestone already"));
        assert_eq!(
            field_label("target.milestones[1].month", &d),
            "Milestone 2: month"
        );

        // Milestones need a target.
        d.milestone_mut(a).unwrap().month = "3".into();
        d.target = String::new();
        let errors = d.to_scenario().unwrap_err();
        assert_eq!(paths(&errors), ["target.revenue"]);
        assert_eq!(errors[0].message, MSG_MILESTONES_NEED_TARGET);

        d.remove_milestone(a);
        d.remove_milestone(b);
        assert_eq!(d.to_scenario().unwrap().target, None);
        while d.add_milestone().is_some() {}
        assert_eq!(d.milestones.len(), MAX_MILESTONES);
    }
}
