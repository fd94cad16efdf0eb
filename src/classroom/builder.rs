//! The Classroom panel's form: an exercise as the trainer types it (percent
//! fields as percent), read into the engine's `Exercise` with every problem
//! named by its field, in the panel's words.

use funnel_engine::exercise::{Ask, Exercise, Input, Question, VariantSpec};
use funnel_engine::{FieldError, Scenario};

use crate::form::{Draft, parse_confidence, parse_percent, pct};

/// The questions a trainer can ask, in the order the panel offers them:
/// the word in the file and what the panel calls it.
pub const ASKS: &[(&str, &str)] = &[
    ("probability", "Chance of reaching the target"),
    ("revenue_mean", "Mean revenue"),
    ("revenue_p10", "Revenue in a bad year (P10)"),
    ("revenue_p50", "Median revenue (P50)"),
    ("revenue_p90", "Revenue in a good year (P90)"),
    ("won_mean", "Mean deals won"),
    ("goal_leads", "Leads a month needed to reach the target"),
    (
        "goal_conversion",
        "A stage's conversion needed to reach the target",
    ),
];

/// What the panel calls the question `ask` (its word in the file).
pub fn ask_label(ask: &str) -> &'static str {
    ASKS.iter()
        .find(|(a, _)| *a == ask)
        .map_or("Question", |(_, l)| l)
}

/// One entry of `variants` as typed: the input's path and its spread in percent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantDraft {
    pub path: String,
    /// Percent either way: "10" is up to 10% up or down.
    pub spread: String,
}

/// The exercise as the panel holds it: text as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseDraft {
    pub title: String,
    pub task: String,
    /// The paths of the inputs a student may change.
    pub editable: Vec<String>,
    /// The question's word in the file (`ASKS`).
    pub ask: String,
    /// The stage of a `goal_conversion` question, by name.
    pub stage: String,
    /// The confidence of a goal question, in percent.
    pub confidence: String,
    /// In points for a probability or a conversion, else in percent of the truth.
    pub tolerance: String,
    pub variants: Vec<VariantDraft>,
    /// Whether a student's page says if their answer is right (and the truth).
    pub show_answer: bool,
}

/// The inputs a scenario has that an exercise can name, in the form's order.
pub fn inputs(scenario: &Scenario) -> Vec<Input> {
    let mut all = vec![
        Input::LeadsPerMonth,
        Input::LeadsGrowth,
        Input::LeadsUncertainty,
    ];
    for (i, stage) in scenario.stages.iter().enumerate() {
        all.extend([Input::Conversion(i), Input::Days(i), Input::Open(i)]);
        if stage.capacity_per_week.is_some() {
            all.push(Input::Capacity(i));
        }
    }
    all.extend([Input::DealMedian, Input::DealP90]);
    if scenario.target.is_some() {
        all.push(Input::TargetRevenue);
    }
    all
}

/// The form's label for an input, inside its stage: "Stage 2 (Qualified): conversion".
pub fn input_label(input: &Input, scenario: &Scenario) -> String {
    let draft = Draft::from_scenario(scenario, 1, 1);
    crate::form::field_label(&input.path(), &draft)
}

/// Every input of `scenario` ([`inputs`]) with its label, the form read once.
pub fn labelled_inputs(scenario: &Scenario) -> Vec<(Input, String)> {
    let draft = Draft::from_scenario(scenario, 1, 1);
    inputs(scenario)
        .into_iter()
        .map(|i| {
            let label = crate::form::field_label(&i.path(), &draft);
            (i, label)
        })
        .collect()
}

/// An input's value on `scenario` as the form shows it: a rate in percent,
/// money with its currency, counts with separators.
pub fn input_text(input: &Input, scenario: &Scenario) -> String {
    use funnel_engine::exercise::VariedValue::{Conversion, Count, Number};
    let stage = |i: usize| scenario.stages.get(i);
    let value = match *input {
        Input::LeadsPerMonth => Number(scenario.leads.per_month),
        Input::LeadsGrowth => Number(scenario.leads.growth_per_month),
        Input::LeadsUncertainty => {
            return crate::format::percent(scenario.leads.uncertainty_cv, 1);
        }
        Input::Conversion(i) => match stage(i) {
            Some(s) => Conversion(s.conversion),
            None => return String::new(),
        },
        Input::Days(i) => Number(stage(i).map_or(0.0, |s| s.days)),
        Input::Open(i) => Count(stage(i).map_or(0, |s| s.open)),
        Input::Capacity(i) => match stage(i).and_then(|s| s.capacity_per_week) {
            Some(c) => return format!("{} a week", crate::format::count(c as f64)),
            None => return "none".into(),
        },
        Input::DealMedian => Number(scenario.deal_size.median),
        Input::DealP90 => Number(scenario.deal_size.p90),
        Input::TargetRevenue => Number(scenario.target.as_ref().map_or(0.0, |t| t.revenue)),
    };
    super::key::value_text(input, &value, &scenario.currency)
}

/// Whether a question's tolerance is in points (absolute) rather than in
/// percent of the true answer.
pub fn tolerance_in_points(ask: &str) -> bool {
    matches!(ask, "probability" | "goal_conversion")
}

impl ExerciseDraft {
    /// The panel for `scenario`: its exercise if it has one, else a start
    /// (the scenario's name as the title, the chance of its target if it
    /// has one, else mean revenue; 2 points or 5% either way).
    pub fn for_scenario(scenario: &Scenario) -> ExerciseDraft {
        match &scenario.exercise {
            Some(x) => ExerciseDraft::from_exercise(x),
            None => {
                let ask = if scenario.target.is_some() {
                    "probability"
                } else {
                    "revenue_mean"
                };
                ExerciseDraft {
                    title: scenario.name.clone(),
                    task: String::new(),
                    editable: Vec::new(),
                    ask: ask.into(),
                    stage: scenario
                        .stages
                        .first()
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    confidence: "80".into(),
                    tolerance: if tolerance_in_points(ask) { "2" } else { "5" }.into(),
                    variants: Vec::new(),
                    show_answer: false,
                }
            }
        }
    }

    pub fn from_exercise(x: &Exercise) -> ExerciseDraft {
        let (stage, confidence) = match &x.question.ask {
            Ask::GoalConversion { stage, confidence } => (stage.clone(), pct(*confidence)),
            Ask::GoalLeads { confidence } => (String::new(), pct(*confidence)),
            _ => (String::new(), "80".into()),
        };
        ExerciseDraft {
            title: x.title.clone(),
            task: x.task.clone(),
            editable: x.editable.iter().map(Input::path).collect(),
            ask: x.question.ask.as_str().into(),
            stage,
            confidence,
            tolerance: pct(x.question.tolerance),
            show_answer: x.show_answer,
            variants: x
                .variants
                .iter()
                .map(|v| VariantDraft {
                    path: v.path.path(),
                    spread: pct(v.spread),
                })
                .collect(),
        }
    }

    /// Ticks or unticks an input students may change, keeping the form's order.
    pub fn set_editable(&mut self, path: &str, on: bool, scenario: &Scenario) {
        let mut set: Vec<String> = self.editable.clone();
        set.retain(|p| p != path);
        if on {
            set.push(path.to_owned());
        }
        let order: Vec<String> = inputs(scenario).iter().map(Input::path).collect();
        set.sort_by_key(|p| order.iter().position(|o| o == p).unwrap_or(usize::MAX));
        self.editable = set;
    }

    /// The exercise on `scenario`, checked as the engine checks it; else
    /// every problem, each with its path (`exercise.task`,
    /// `exercise.variants[1].spread`) and a message in the panel's words.
    pub fn to_exercise(&self, scenario: &Scenario) -> Result<Exercise, Vec<FieldError>> {
        let mut errors = Vec::new();
        let percent =
            |text: &str, path: &str, what: &str, errors: &mut Vec<FieldError>| match parse_percent(
                text,
            ) {
                Some(x) => Some(x),
                None => {
                    errors.push(FieldError::new(path, format!("enter {what}")));
                    None
                }
            };
        let points = tolerance_in_points(&self.ask);
        let tolerance = percent(
            &self.tolerance,
            "exercise.question.tolerance",
            if points {
                "the points either way, e.g. 2"
            } else {
                "the percent either way, e.g. 5"
            },
            &mut errors,
        );
        if let Some(t) = tolerance {
            let ok = t >= 0.0 && (!points || t <= 1.0);
            if !ok {
                errors.push(FieldError::new(
                    "exercise.question.tolerance",
                    if points {
                        "must be from 0 to 100 points"
                    } else {
                        "must be 0% or more"
                    },
                ));
            }
        }
        let goal = matches!(self.ask.as_str(), "goal_leads" | "goal_conversion");
        let confidence = if goal {
            match parse_confidence(&self.confidence) {
                Ok(c) => Some(c),
                Err(m) => {
                    errors.push(FieldError::new("exercise.question.confidence", m));
                    None
                }
            }
        } else {
            Some(0.0)
        };
        let ask = match self.ask.as_str() {
            "probability" => Some(Ask::Probability),
            "revenue_mean" => Some(Ask::RevenueMean),
            "revenue_p10" => Some(Ask::RevenueP10),
            "revenue_p50" => Some(Ask::RevenueP50),
            "revenue_p90" => Some(Ask::RevenueP90),
            "won_mean" => Some(Ask::WonMean),
            "goal_leads" => confidence.map(|confidence| Ask::GoalLeads { confidence }),
            "goal_conversion" => confidence.map(|confidence| Ask::GoalConversion {
                stage: self.stage.clone(),
                confidence,
            }),
            _ => {
                errors.push(FieldError::new(
                    "exercise.question.ask",
                    "choose what the students answer",
                ));
                None
            }
        };
        let mut editable = Vec::new();
        for (k, path) in self.editable.iter().enumerate() {
            match Input::from_path(path) {
                Some(i) => editable.push(i),
                None => errors.push(FieldError::new(
                    format!("exercise.editable[{k}]"),
                    format!("{path} is not an input"),
                )),
            }
        }
        let mut variants = Vec::new();
        for (k, v) in self.variants.iter().enumerate() {
            let at = format!("exercise.variants[{k}]");
            let input = Input::from_path(&v.path);
            if input.is_none() {
                errors.push(FieldError::new(
                    format!("{at}.path"),
                    "choose the value that varies",
                ));
            }
            let spread = percent(
                &v.spread,
                &format!("{at}.spread"),
                "the percent either way, e.g. 10",
                &mut errors,
            );
            if let Some(s) = spread
                && !(0.0..=1.0).contains(&s)
            {
                errors.push(FieldError::new(
                    format!("{at}.spread"),
                    "must be from 0% to 100%",
                ));
            }
            if let (Some(path), Some(spread)) = (input, spread) {
                variants.push(VariantSpec { path, spread });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(ask), Some(tolerance)) = (ask, tolerance) else {
            return Err(errors);
        };
        let exercise = Exercise {
            title: self.title.trim().to_owned(),
            task: self.task.trim().to_owned(),
            editable,
            question: Question { ask, tolerance },
            variants,
            show_answer: self.show_answer,
        };
        let mut with = scenario.clone();
        with.exercise = Some(exercise.clone());
        match with.validate() {
            Ok(()) => Ok(exercise),
            Err(errors) => Err(errors.0.into_iter().map(|e| self.reword(e)).collect()),
        }
    }

    /// The engine's message about an exercise field in the panel's words
    /// (rates in percent, inputs by their labels).
    fn reword(&self, e: FieldError) -> FieldError {
        let message = match e.path.as_str() {
            "exercise.task" => "must not be empty: write what the students are to do".into(),
            "exercise.question.ask" => {
                "needs a revenue target: set one in the form first".to_string()
            }
            "exercise.question.stage" => "choose one of the funnel's stages".into(),
            _ => e.message.clone(),
        };
        FieldError::new(e.path, message)
    }
}

/// What the panel calls the field at `path`, for its messages: "Tolerance",
/// "Value that varies 2: spread".
pub fn field_name(path: &str) -> String {
    let fixed = [
        ("exercise.title", "Title"),
        ("exercise.task", "Task"),
        ("exercise.question.ask", "Question"),
        ("exercise.question.stage", "Stage"),
        ("exercise.question.confidence", "Confidence"),
        ("exercise.question.tolerance", "Tolerance"),
        ("exercise.editable", "Inputs students may change"),
        ("exercise.variants", "Values that vary"),
    ];
    if let Some((_, name)) = fixed.iter().find(|(p, _)| *p == path) {
        return (*name).into();
    }
    if path.starts_with("exercise.editable[") {
        return "Inputs students may change".into();
    }
    if let Some(rest) = path.strip_prefix("exercise.variants[")
        && let Some((k, field)) = rest.split_once("].")
        && let Ok(k) = k.parse::<usize>()
    {
        let what = if field == "spread" { "spread" } else { "value" };
        return format!("Value that varies {}: {what}", k + 1);
    }
    path.into()
}

/// The DOM id of the panel's field at `path`, for "go to the field".
pub fn field_id(path: &str) -> String {
    crate::form::field_id(&format!("cx.{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b2b() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/exercise-goal.json")).unwrap()
    }

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
    }

    #[test]
    fn the_panel_reads_back_the_exercise_it_was_given() {
        let s = b2b();
        let x = s.exercise.clone().unwrap();
        let draft = ExerciseDraft::for_scenario(&s);
        assert_eq!(draft.tolerance, "2");
        assert_eq!(draft.confidence, "80");
        assert_eq!(draft.variants[0].spread, "10");
        assert_eq!(draft.to_exercise(&s), Ok(x));
    }

    #[test]
    fn a_new_exercise_from_the_panel() {
        let mut s = reference();
        s.exercise = None;
        let mut d = ExerciseDraft::for_scenario(&s);
        assert_eq!(
            d.ask,
            if s.target.is_some() {
                "probability"
            } else {
                "revenue_mean"
            }
        );
        d.task = "  What is the chance?  ".into();
        d.set_editable("deal_size.median", true, &s);
        d.set_editable("leads.per_month", true, &s);
        d.set_editable("stages[1].conversion", true, &s);
        d.set_editable("deal_size.median", false, &s);
        assert_eq!(d.editable, ["leads.per_month", "stages[1].conversion"]);
        d.ask = "revenue_p50".into();
        d.tolerance = "5%".into();
        d.variants.push(VariantDraft {
            path: "leads.per_month".into(),
            spread: "12.5".into(),
        });
        let x = d.to_exercise(&s).unwrap();
        assert_eq!(x.task, "What is the chance?");
        assert_eq!(
            x.question,
            Question {
                ask: Ask::RevenueP50,
                tolerance: 0.05
            }
        );
        assert_eq!(
            x.variants,
            [VariantSpec {
                path: Input::LeadsPerMonth,
                spread: 0.125
            }]
        );
        assert_eq!(x.editable, [Input::LeadsPerMonth, Input::Conversion(1)]);
    }

    fn paths(e: Result<Exercise, Vec<FieldError>>) -> Vec<(String, String)> {
        e.unwrap_err()
            .into_iter()
            .map(|e| (e.path, e.message))
            .collect()
    }

    #[test]
    fn problems_name_their_field() {
        let s = b2b();
        let mut d = ExerciseDraft::for_scenario(&s);
        d.tolerance = "two".into();
        d.confidence = "100".into();
        d.variants[1].spread = "150".into();
        d.variants[0].path = String::new();
        let got = paths(d.to_exercise(&s));
        let at: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            at,
            [
                "exercise.question.tolerance",
                "exercise.question.confidence",
                "exercise.variants[0].path",
                "exercise.variants[1].spread",
            ]
        );
        assert_eq!(field_name(at[3]), "Value that varies 2: spread");
        assert_eq!(field_name(at[0]), "Tolerance");
        // What only the engine checks comes back by field too.
        let mut d = ExerciseDraft::for_scenario(&s);
        d.task = " ".into();
        d.stage = "Demo".into();
        d.variants[1].path = "leads.per_month".into();
        let got = paths(d.to_exercise(&s));
        let at: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            at,
            [
                "exercise.task",
                "exercise.question.stage",
                "exercise.variants[1].path"
            ]
        );
        assert!(got[2].1.contains("listed already"), "{got:?}");
        // A question about the target needs one.
        let mut s = s;
        s.target = None;
        s.exercise = None;
        let mut d = ExerciseDraft::for_scenario(&s);
        d.task = "x".into();
        d.ask = "probability".into();
        let got = paths(d.to_exercise(&s));
        assert_eq!(got[0].0, "exercise.question.ask");
        assert!(got[0].1.contains("target"), "{got:?}");
    }

    #[test]
    fn inputs_follow_the_scenario() {
        let s = b2b();
        let all = inputs(&s);
        assert_eq!(all.len(), 3 + 6 * 3 + 3, "no capacities; a target");
        assert_eq!(
            input_label(&Input::Conversion(3), &s),
            "Stage 4 (Proposal): conversion"
        );
        assert_eq!(input_label(&Input::LeadsPerMonth, &s), "Leads per month");
        let labelled = labelled_inputs(&s);
        assert_eq!(labelled.len(), all.len());
        assert!(labelled.iter().all(|(i, l)| *l == input_label(i, &s)));
        let mut s = s;
        s.target = None;
        assert!(!inputs(&s).contains(&Input::TargetRevenue));
    }
}
