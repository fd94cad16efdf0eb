//! The answer key as the page makes it: the class list read (the engine's
//! `read_class`, as `funnelsim key` reads it), each student's variant and
//! personal link, then (once `key_job` has the answers) the rows, the CSV
//! `funnelsim key` prints, and what the table shows.

use funnel_engine::Scenario;
use funnel_engine::exercise::key::{self, KeyRow, read_class};
use funnel_engine::exercise::{Exercise, Input, MAX_STUDENT_CHARS, Variant, VariedValue};

use crate::format::{count, money, percent};
use crate::share::link;

/// Most students the page makes a key for at once: a large lecture. Each
/// needs a run (a goal question, a dozen), so more would keep the page's
/// workers busy for an hour; `funnelsim key` takes any number.
pub const MAX_CLASS: usize = 1_000;

/// One student of the key before the answers are in.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    /// Line of the class list, from 1.
    pub line: usize,
    /// The name as typed, trimmed.
    pub name: String,
    pub variant: Variant,
    /// The exercise link with `student=` set to the name.
    pub link: String,
}

/// A class's key to compute: the exercise, and every student's variant.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPlan {
    /// The teacher's scenario, with its exercise.
    pub base: Scenario,
    pub exercise: Exercise,
    pub trials: u64,
    pub seed: u64,
    pub students: Vec<Planned>,
    /// What was left out of the list and why (blank lines, repeats), in words.
    pub notes: Vec<String>,
}

/// Reads the class list for the exercise on `base` (which carries it); the
/// students' links extend `exercise_link` (the whole exercise URL). A name
/// the key cannot take refuses the list, naming its line, as `funnelsim key`
/// does.
pub fn plan(
    base: &Scenario,
    trials: u64,
    seed: u64,
    class_text: &str,
    exercise_link: &str,
) -> Result<KeyPlan, Vec<String>> {
    let Some(exercise) = base.exercise.clone() else {
        return Err(vec!["The scenario has no exercise yet.".into()]);
    };
    let class = read_class(class_text);
    let mut problems: Vec<String> = class
        .too_long
        .iter()
        .map(|line| format!("Line {line}: the name is longer than {MAX_STUDENT_CHARS} characters."))
        .collect();
    if class.students.is_empty() && problems.is_empty() {
        problems.push("The class list has no names: type one name a line.".into());
    }
    if class.students.len() > MAX_CLASS {
        problems.push(format!(
            "The class list has {} names; the page makes a key for at most {} at once \
             (split the list, or use `funnelsim key`).",
            count(class.students.len() as f64),
            count(MAX_CLASS as f64)
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut notes = Vec::new();
    if class.blank > 0 {
        notes.push(match class.blank {
            1 => "1 blank line skipped.".to_string(),
            n => format!("{n} blank lines skipped."),
        });
    }
    for d in &class.duplicates {
        let first = &class
            .students
            .iter()
            .find(|s| s.line == d.first_line)
            .map_or("", |s| s.name.as_str());
        notes.push(format!(
            "Line {}: “{}” is the same student as “{first}” on line {} (names are read \
             without case and outer spaces): listed once.",
            d.line, d.name, d.first_line
        ));
    }
    let mut students = Vec::with_capacity(class.students.len());
    for s in class.students {
        let variant = exercise.variant(base, &s.name).map_err(|e| {
            e.0.iter()
                .map(|e| format!("Line {}: {e}", s.line))
                .collect::<Vec<_>>()
        })?;
        students.push(Planned {
            line: s.line,
            link: format!("{exercise_link}{}", link::student_param(&s.name)),
            name: s.name,
            variant,
        });
    }
    Ok(KeyPlan {
        base: base.clone(),
        exercise,
        trials,
        seed,
        students,
        notes,
    })
}

impl KeyPlan {
    /// The key's rows, given each student's answer in order.
    pub fn rows(&self, answers: &[f64]) -> Vec<KeyRow> {
        self.students
            .iter()
            .zip(answers)
            .map(|(s, &answer)| KeyRow {
                student: s.name.clone(),
                answer,
                values: s.variant.values.iter().map(|(_, v)| *v).collect(),
            })
            .collect()
    }

    /// The key as CSV, the bytes `funnelsim key` prints for the same list,
    /// trials and seed.
    pub fn csv(&self, answers: &[f64]) -> Result<String, String> {
        key::csv(&self.exercise, &self.rows(answers))
    }
}

/// A varied value as the key's table shows it: a rate in percent, money
/// with its currency, counts with separators.
pub fn value_text(input: &Input, value: &VariedValue, currency: &str) -> String {
    match (input, value) {
        (_, VariedValue::Conversion(c)) => percent(c.mean(), 1),
        (_, VariedValue::Count(n)) => count(*n as f64),
        (Input::LeadsGrowth, VariedValue::Number(x)) => percent(*x, 2),
        (Input::DealMedian | Input::DealP90 | Input::TargetRevenue, VariedValue::Number(x)) => {
            money(*x, currency)
        }
        (Input::Days(_), VariedValue::Number(x)) => format!("{} days", trim_number(*x, 1)),
        (_, VariedValue::Number(x)) => trim_number(*x, 1),
    }
}

fn trim_number(x: f64, digits: usize) -> String {
    let text = format!("{x:.digits$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let int: f64 = int.parse().unwrap_or(0.0);
    let grouped = count(int);
    let grouped = if x < 0.0 && !grouped.starts_with('-') {
        format!("-{grouped}")
    } else {
        grouped
    };
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b2b() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/exercise-goal.json")).unwrap()
    }

    #[test]
    fn the_plan_reads_the_list_as_the_command_line_does() {
        let s = b2b();
        let plan = plan(&s, 300, 3, "Ana\n\n  ben \nANA\n+Zoë", "https://x/#v=1").unwrap();
        let names: Vec<_> = plan.students.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana", "ben", "+Zoë"]);
        assert_eq!(plan.notes.len(), 2, "{:?}", plan.notes);
        assert!(plan.notes[0].contains("1 blank line"));
        assert!(plan.notes[1].contains("Line 4") && plan.notes[1].contains("line 1"));
        assert_eq!(plan.students[2].link, "https://x/#v=1&student=%2BZo%C3%AB");
        let x = s.exercise.clone().unwrap();
        assert_eq!(plan.students[1].variant, x.variant(&s, "Ben").unwrap());
        // The CSV is the engine's, defused names and all.
        let csv = plan.csv(&[0.5, 0.25, 0.125]).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "student,answer,leads.per_month,stages[1].conversion"
        );
        assert!(lines[3].starts_with("'+Zoë,0.125,"), "{csv}");
        assert!(csv.ends_with('\n'));
    }

    #[test]
    fn lists_the_key_cannot_take_are_refused_by_line() {
        let s = b2b();
        let long = format!("Ana\n{}\n", "x".repeat(MAX_STUDENT_CHARS + 1));
        assert_eq!(
            plan(&s, 300, 3, &long, "").unwrap_err(),
            ["Line 2: the name is longer than 200 characters."]
        );
        assert!(plan(&s, 300, 3, "\n \n", "").unwrap_err()[0].contains("no names"));
        let many: String = (0..=MAX_CLASS).map(|i| format!("s{i}\n")).collect();
        assert!(plan(&s, 300, 3, &many, "").unwrap_err()[0].contains("at most 1,000"));
        let mut none = s.clone();
        none.exercise = None;
        assert!(plan(&none, 300, 3, "Ana", "").is_err());
    }

    #[test]
    fn values_read_as_the_form_shows_them() {
        let s = b2b();
        let v = s.exercise.clone().unwrap().variant(&s, "Ana").unwrap();
        let (input, value) = &v.values[1];
        assert!(value_text(input, value, "USD").ends_with('%'));
        assert_eq!(
            value_text(&Input::LeadsPerMonth, &VariedValue::Number(1234.56), "USD"),
            "1,234.6"
        );
        assert_eq!(
            value_text(&Input::Days(0), &VariedValue::Number(12.0), "USD"),
            "12 days"
        );
        assert_eq!(
            value_text(&Input::DealMedian, &VariedValue::Number(12000.4), "USD"),
            "$12,000"
        );
    }
}
