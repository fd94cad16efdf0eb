//! A student's seat in an exercise: the case as the trainer gave it, the
//! name the student typed, and what follows from the two: their variant,
//! the run the page shows and the words that say which numbers are theirs.
//!
//! The case is never the form: the variant is drawn from a hash of the case
//! (MODEL.md, "Exercise"), so it must be the scenario the link, file or
//! preset held, not a copy the student has edited.

use funnel_engine::Scenario;
use funnel_engine::exercise::{Exercise, Input, MAX_STUDENT_CHARS, Variant, VariedValue};

use crate::classroom::lock::Lock;
use crate::form::{Draft, Run, field_label};
use crate::format;

/// Why a what-if that moves a locked input is not applied.
pub const LOCKED_WHAT_IF: &str =
    "It changes only inputs this exercise locks; only the inputs not marked locked can change.";

/// What the page knows of the student in an exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct Student {
    /// The exercise's run as loaded (link, file or preset): the base of every
    /// variant, with its trials and seed (the truth is at those).
    pub case: Run,
    /// The name as typed (the engine trims and case-folds it).
    pub name: String,
}

/// The student's variant, or why there is none yet.
#[derive(Clone, Debug, PartialEq)]
pub enum Seat {
    /// No name yet: the page runs the case as given and asks for a name.
    NoName,
    /// A name the exercise cannot use (too long); the case runs meanwhile.
    BadName(String),
    /// The student's own funnel.
    Variant(Box<Variant>),
}

impl Student {
    /// The student's seat in `case`, or `None` when it holds no exercise.
    pub fn new(case: &Run, name: &str) -> Option<Student> {
        case.scenario.exercise.as_ref()?;
        Some(Student {
            case: case.clone(),
            name: name.to_owned(),
        })
    }

    pub fn exercise(&self) -> &Exercise {
        self.case
            .scenario
            .exercise
            .as_ref()
            .expect("a student's case has an exercise (Student::new)")
    }

    pub fn lock(&self) -> Lock {
        Lock::new(self.exercise())
    }

    /// The student's variant through the engine (`Exercise::variant`).
    pub fn seat(&self) -> Seat {
        if self.name.trim().is_empty() {
            return Seat::NoName;
        }
        match self.exercise().variant(&self.case.scenario, &self.name) {
            Ok(v) => Seat::Variant(Box::new(v)),
            Err(errors) => Seat::BadName(match errors.0.first() {
                Some(e) if e.path == "student" => format!("Your name {}.", e.message),
                _ => format!("Your numbers could not be made: {errors}"),
            }),
        }
    }

    /// The run the form starts from: the student's variant once they have
    /// one, else the case as given.
    pub fn run(&self) -> Run {
        match self.seat() {
            Seat::Variant(v) => Run {
                scenario: v.scenario,
                ..self.case.clone()
            },
            _ => self.case.clone(),
        }
    }
}

/// One value of the student's variant, in words: what it is, theirs, the case's.
#[derive(Clone, Debug, PartialEq)]
pub struct YourNumber {
    /// The field as the form labels it: "Stage 2 (Qualified): conversion".
    pub label: String,
    pub yours: String,
    pub case: String,
}

/// The values of `variant` that differ from `case`'s in words, in the
/// exercise's order ("Leads per month", "1,043", "1,000").
pub fn your_numbers(case: &Scenario, variant: &Variant) -> Vec<YourNumber> {
    let draft = Draft::from_scenario(case, 1, 1);
    variant
        .values
        .iter()
        .map(|(input, value)| YourNumber {
            label: field_label(&input.path(), &draft),
            yours: value_text(*input, *value, &case.currency),
            case: value_text(*input, value_in(case, *input), &case.currency),
        })
        .collect()
}

/// The sentence above the form: "Your numbers: Leads per month 1,043 (the
/// case: 1,000); …". An exercise that varies nothing says so.
pub fn your_numbers_sentence(numbers: &[YourNumber]) -> String {
    if numbers.is_empty() {
        return "Every student has the same numbers in this exercise.".into();
    }
    let parts: Vec<String> = numbers
        .iter()
        .map(|n| format!("{} {} (the case: {})", n.label, n.yours, n.case))
        .collect();
    format!("Your numbers: {}.", parts.join("; "))
}

/// What the page says until the student has their numbers.
pub fn seat_sentence(seat: &Seat, varies: bool) -> Option<String> {
    match seat {
        Seat::NoName if varies => Some(
            "Enter your name to get your own numbers. Until then the form shows the case as given."
                .into(),
        ),
        Seat::NoName => Some("Enter your name: your answer code carries it.".into()),
        Seat::BadName(message) => Some(format!(
            "{message} The form shows the case as given until your name is at most {MAX_STUDENT_CHARS} characters."
        )),
        Seat::Variant(_) => None,
    }
}

fn value_in(s: &Scenario, input: Input) -> VariedValue {
    let stage = |i: usize| s.stages.get(i);
    match input {
        Input::LeadsPerMonth => VariedValue::Number(s.leads.per_month),
        Input::LeadsGrowth => VariedValue::Number(s.leads.growth_per_month),
        Input::LeadsUncertainty => VariedValue::Number(s.leads.uncertainty_cv),
        Input::Conversion(i) => stage(i).map_or(VariedValue::Number(f64::NAN), |st| {
            VariedValue::Conversion(st.conversion)
        }),
        Input::Days(i) => VariedValue::Number(stage(i).map_or(f64::NAN, |st| st.days)),
        Input::Open(i) => VariedValue::Count(stage(i).map_or(0, |st| st.open)),
        Input::Capacity(i) => VariedValue::Count(
            stage(i)
                .and_then(|st| st.capacity_per_week)
                .unwrap_or_default(),
        ),
        Input::DealMedian => VariedValue::Number(s.deal_size.median),
        Input::DealP90 => VariedValue::Number(s.deal_size.p90),
        Input::TargetRevenue => {
            VariedValue::Number(s.target.as_ref().map_or(f64::NAN, |t| t.revenue))
        }
    }
}

/// How a varied value reads: money with its currency, rates in percent,
/// leads and days to a tenth, counts whole.
fn value_text(input: Input, value: VariedValue, currency: &str) -> String {
    let x = match value {
        VariedValue::Conversion(c) => return format::percent(c.mean(), 1),
        VariedValue::Count(n) => return format::count(n as f64),
        VariedValue::Number(x) => x,
    };
    match input {
        Input::LeadsGrowth | Input::LeadsUncertainty => format::percent(x, 1),
        Input::DealMedian | Input::DealP90 | Input::TargetRevenue => format::money(x, currency),
        Input::Days(_) => format!("{} days", tenths(x)),
        _ => tenths(x),
    }
}

/// A number to a tenth with separators, the tenth left out when it is 0:
/// "1,043.3", "1,000".
fn tenths(x: f64) -> String {
    let tenths = (x * 10.0).round();
    if tenths % 10.0 == 0.0 || !x.is_finite() {
        format::count(x)
    } else {
        let whole = format::count((tenths / 10.0).trunc());
        format!("{whole}.{}", (tenths % 10.0).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> Run {
        Run {
            scenario: Scenario::from_json(include_str!("../../scenarios/exercise-goal.json"))
                .unwrap(),
            trials: 2000,
            seed: 7,
        }
    }

    fn variant_of(s: &Student) -> Variant {
        match s.seat() {
            Seat::Variant(v) => *v,
            other => panic!("no variant: {other:?}"),
        }
    }

    #[test]
    fn a_scenario_without_an_exercise_has_no_student() {
        let mut run = case();
        run.scenario.exercise = None;
        assert_eq!(Student::new(&run, "Ana"), None);
    }

    #[test]
    fn each_name_gets_the_engines_variant_and_the_case_runs_without_one() {
        let case = case();
        let none = Student::new(&case, "  ").unwrap();
        assert_eq!(none.seat(), Seat::NoName);
        assert_eq!(none.run(), case);

        let ana = Student::new(&case, "Ana").unwrap();
        let x = case.scenario.exercise.as_ref().unwrap();
        let engine = x.variant(&case.scenario, "Ana").unwrap();
        assert_eq!(variant_of(&ana), engine);
        assert_eq!(ana.run().scenario, engine.scenario);
        assert_eq!((ana.run().trials, ana.run().seed), (2000, 7));
        // The same student however typed; another student, other numbers.
        assert_eq!(Student::new(&case, " ANA ").unwrap().run(), ana.run());
        let ben = Student::new(&case, "Ben").unwrap();
        assert_ne!(
            ben.run().scenario.leads.per_month,
            ana.run().scenario.leads.per_month
        );
        // The lock is the exercise's.
        assert!(ana.lock().allows("stages[3].conversion.mean"));
        assert!(!ana.lock().allows("leads.per_month"));
    }

    #[test]
    fn a_name_too_long_says_so_and_the_case_runs() {
        let case = case();
        let long = Student::new(&case, &"a".repeat(MAX_STUDENT_CHARS + 1)).unwrap();
        let Seat::BadName(message) = long.seat() else {
            panic!("{:?}", long.seat());
        };
        assert_eq!(message, "Your name is longer than 200 characters.");
        assert_eq!(long.run(), case);
        let said = seat_sentence(&long.seat(), true).unwrap();
        assert!(said.starts_with("Your name is longer"), "{said}");
    }

    #[test]
    fn your_numbers_name_each_varied_value_with_the_cases() {
        let case = case();
        let ana = Student::new(&case, "Ana").unwrap();
        let v = variant_of(&ana);
        let numbers = your_numbers(&case.scenario, &v);
        assert_eq!(numbers.len(), 2);
        assert_eq!(numbers[0].label, "Leads per month");
        assert_eq!(numbers[0].case, "1,000");
        let leads = v.scenario.leads.per_month;
        let read: f64 = numbers[0].yours.replace(',', "").parse().unwrap();
        assert!(
            (read - leads).abs() <= 0.05,
            "{} vs {leads}",
            numbers[0].yours
        );
        assert_ne!(numbers[0].yours, numbers[0].case);
        assert_eq!(numbers[1].label, "Stage 2 (Qualified): conversion");
        assert_eq!(numbers[1].case, "45.0%");
        let mean = v.scenario.stages[1].conversion.mean();
        assert_eq!(numbers[1].yours, format::percent(mean, 1));
        assert_eq!(
            your_numbers_sentence(&numbers),
            format!(
                "Your numbers: Leads per month {} (the case: 1,000); \
                 Stage 2 (Qualified): conversion {} (the case: 45.0%).",
                numbers[0].yours, numbers[1].yours
            )
        );
        assert_eq!(
            your_numbers_sentence(&[]),
            "Every student has the same numbers in this exercise."
        );
    }

    #[test]
    fn values_read_in_their_units() {
        let usd = "USD";
        assert_eq!(
            value_text(Input::LeadsPerMonth, VariedValue::Number(1043.27), usd),
            "1,043.3"
        );
        assert_eq!(
            value_text(Input::LeadsPerMonth, VariedValue::Number(1000.0), usd),
            "1,000"
        );
        assert_eq!(
            value_text(Input::LeadsGrowth, VariedValue::Number(0.021), usd),
            "2.1%"
        );
        assert_eq!(
            value_text(Input::DealMedian, VariedValue::Number(12_345.6), usd),
            "$12,346"
        );
        assert_eq!(
            value_text(Input::Days(2), VariedValue::Number(9.96), usd),
            "10 days"
        );
        assert_eq!(
            value_text(Input::Days(2), VariedValue::Number(9.44), usd),
            "9.4 days"
        );
        assert_eq!(
            value_text(Input::Open(1), VariedValue::Count(1200), usd),
            "1,200"
        );
        assert_eq!(
            value_text(
                Input::Conversion(0),
                VariedValue::Conversion(funnel_engine::Conversion::Fixed(0.4567)),
                usd
            ),
            "45.7%"
        );
    }

    #[test]
    fn until_a_name_the_page_asks_for_one() {
        let said = seat_sentence(&Seat::NoName, true).unwrap();
        assert!(said.contains("Enter your name"), "{said}");
        assert!(
            seat_sentence(&Seat::NoName, false)
                .unwrap()
                .contains("code")
        );
        let v = variant_of(&Student::new(&case(), "Ana").unwrap());
        assert_eq!(seat_sentence(&Seat::Variant(Box::new(v)), true), None);
    }
}
