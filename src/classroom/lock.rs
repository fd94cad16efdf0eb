//! Which of the form's fields a student may change in an exercise.
//!
//! The exercise names inputs by the engine's paths (`stages[3].conversion`,
//! `leads.per_month`: `exercise::Input`); the form names its fields by the
//! paths of `form::labels` (`stages[3].conversion.mean`, `leads.noise`,
//! `team.reps`). A field belongs to the input whose path it is or starts
//! with: a conversion's rate, mean, spread, won and of, and how it is given
//! (`stages[i].conversion.kind`, the form's select), are all that stage's
//! conversion. Every field that belongs to no input (names, the horizon,
//! noise, the team, plans, milestones, trials and seed) is always locked,
//! and so is the shape of the form: stages, plans and milestones cannot be
//! added, removed or moved.

use funnel_engine::Scenario;
use funnel_engine::exercise::{Exercise, Input};

/// The form's path of the select that says how a stage's conversion is given.
pub fn kind_path(stage: usize) -> String {
    format!("stages[{stage}].conversion.kind")
}

/// The exercise input a form field belongs to, or `None` for a field no
/// exercise can open.
pub fn input_of_field(path: &str) -> Option<Input> {
    Input::from_path(path).or_else(|| {
        let (owner, part) = path.rsplit_once('.')?;
        match Input::from_path(owner)? {
            input @ Input::Conversion(_)
                if matches!(part, "mean" | "sd" | "won" | "of" | "kind") =>
            {
                Some(input)
            }
            _ => None,
        }
    })
}

/// The form's lock in a student's view: the inputs the exercise opens.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lock {
    editable: Vec<Input>,
}

impl Lock {
    pub fn new(exercise: &Exercise) -> Lock {
        Lock {
            editable: exercise.editable.clone(),
        }
    }

    /// Whether the student may change the form field at `path`.
    pub fn allows(&self, path: &str) -> bool {
        input_of_field(path).is_some_and(|i| self.editable.contains(&i))
    }

    /// The inputs the student may change, in the exercise's order.
    pub fn editable(&self) -> &[Input] {
        &self.editable
    }

    /// What of a what-if (`before` -> `after`) a student may apply: `before`
    /// with the open inputs' values of `after`, or `None` when it moves no
    /// open input. The locked inputs stay as they were: a what-if tidies
    /// every number it touches (`jobs::levers::tidy`), which must not move a
    /// student's locked numbers by a hair, and a lever on a locked input
    /// would undo the exercise.
    pub fn open_part(&self, before: &Scenario, after: &Scenario) -> Option<Scenario> {
        let mut open = before.clone();
        for &input in &self.editable {
            copy_input(after, &mut open, input);
        }
        (open != *before).then_some(open)
    }
}

/// Sets `input` of `to` to its value in `from` (when both have it).
fn copy_input(from: &Scenario, to: &mut Scenario, input: Input) {
    match input {
        Input::LeadsPerMonth => to.leads.per_month = from.leads.per_month,
        Input::LeadsGrowth => to.leads.growth_per_month = from.leads.growth_per_month,
        Input::LeadsUncertainty => to.leads.uncertainty_cv = from.leads.uncertainty_cv,
        Input::DealMedian => to.deal_size.median = from.deal_size.median,
        Input::DealP90 => to.deal_size.p90 = from.deal_size.p90,
        Input::TargetRevenue => {
            if let (Some(t), Some(f)) = (to.target.as_mut(), from.target.as_ref()) {
                t.revenue = f.revenue;
            }
        }
        Input::Conversion(i) | Input::Days(i) | Input::Open(i) | Input::Capacity(i) => {
            let (Some(s), Some(t)) = (from.stages.get(i), to.stages.get_mut(i)) else {
                return;
            };
            match input {
                Input::Conversion(_) => t.conversion = s.conversion,
                Input::Days(_) => t.days = s.days,
                Input::Open(_) => t.open = s.open,
                _ => t.capacity_per_week = s.capacity_per_week,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal_exercise() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/exercise-goal.json")).unwrap()
    }

    #[test]
    fn form_fields_map_to_the_inputs_they_belong_to() {
        assert_eq!(
            input_of_field("leads.per_month"),
            Some(Input::LeadsPerMonth)
        );
        assert_eq!(
            input_of_field("leads.growth_per_month"),
            Some(Input::LeadsGrowth)
        );
        assert_eq!(
            input_of_field("leads.uncertainty_cv"),
            Some(Input::LeadsUncertainty)
        );
        for field in ["", ".mean", ".sd", ".won", ".of", ".kind"] {
            assert_eq!(
                input_of_field(&format!("stages[3].conversion{field}")),
                Some(Input::Conversion(3)),
                "{field}"
            );
        }
        assert_eq!(kind_path(3), "stages[3].conversion.kind");
        assert_eq!(input_of_field("stages[12].days"), Some(Input::Days(12)));
        assert_eq!(input_of_field("stages[0].open"), Some(Input::Open(0)));
        assert_eq!(
            input_of_field("stages[2].capacity_per_week"),
            Some(Input::Capacity(2))
        );
        assert_eq!(input_of_field("deal_size.median"), Some(Input::DealMedian));
        assert_eq!(input_of_field("deal_size.p90"), Some(Input::DealP90));
        assert_eq!(input_of_field("target.revenue"), Some(Input::TargetRevenue));
        // Fields no exercise opens.
        for path in [
            "name",
            "horizon_months",
            "currency",
            "leads.noise",
            "stages[3].name",
            "stages[3].days.mean",
            "stages[03].days",
            "team.reps",
            "plans[0].name",
            "target.milestones[0].month",
            "trials",
            "seed",
        ] {
            assert_eq!(input_of_field(path), None, "{path}");
        }
    }

    #[test]
    fn only_the_exercises_inputs_are_open() {
        let s = goal_exercise();
        let lock = Lock::new(s.exercise.as_ref().unwrap());
        for open in [
            "stages[3].conversion",
            "stages[3].conversion.mean",
            "stages[3].conversion.sd",
            "stages[3].conversion.kind",
        ] {
            assert!(lock.allows(open), "{open}");
        }
        for locked in [
            "stages[2].conversion.mean",
            "stages[3].days",
            "stages[3].name",
            "leads.per_month",
            "name",
            "trials",
            "seed",
        ] {
            assert!(!lock.allows(locked), "{locked}");
        }
        // An exercise that opens nothing locks everything.
        let mut x = s.exercise.clone().unwrap();
        x.editable.clear();
        assert!(!Lock::new(&x).allows("stages[3].conversion.mean"));
        let draft = crate::form::Draft::from_scenario(&s, 1000, 1);
        // Every path the form can name is either open or not; none panics.
        assert!(draft.to_run().is_ok());
    }

    #[test]
    fn a_what_if_moves_only_open_inputs() {
        let s = goal_exercise();
        let lock = Lock::new(s.exercise.as_ref().unwrap());
        let mut proposal = s.clone();
        proposal.stages[3].conversion = proposal.stages[3].conversion.with_mean(0.6);
        assert_eq!(lock.open_part(&s, &proposal), Some(proposal.clone()));
        assert_eq!(lock.open_part(&s, &s), None, "nothing moved");
        let mut leads = s.clone();
        leads.leads.per_month *= 1.1;
        assert_eq!(lock.open_part(&s, &leads), None, "a locked input only");
        // A what-if that also nudges locked numbers (tidying them) applies
        // to the open one only.
        let mut both = proposal.clone();
        both.stages[1].conversion = both.stages[1].conversion.with_mean(0.5);
        both.leads.per_month += 1e-9;
        assert_eq!(lock.open_part(&s, &both), Some(proposal));
        let mut fewer = s.clone();
        fewer.stages.pop();
        assert_eq!(lock.open_part(&s, &fewer), None);
    }
}
