//! The answer key of an exercise: the class list as a trainer types it, and
//! the key as CSV. `funnelsim key` and the page's Classroom panel both go
//! through these, so that the same class list gives the same rows and the
//! same bytes.

use super::{MAX_STUDENT_CHARS, VariedValue, normalise_name};
use crate::exercise::Exercise;

/// A class list read line by line: the students in the order first listed,
/// and what was left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassList {
    /// Each student once, as first typed (trimmed), with the line it is on.
    pub students: Vec<Listed>,
    /// Names that are a student listed before (the same once trimmed and
    /// case-folded, [`normalise_name`]): one student, one variant, one row.
    pub duplicates: Vec<Duplicate>,
    /// Names that cannot be a student's: longer than [`MAX_STUDENT_CHARS`].
    pub too_long: Vec<usize>,
    /// Lines left blank (or only spaces).
    pub blank: usize,
}

/// A name on the class list and its line, from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The line, from 1.
    pub line: usize,
    /// The name as typed, trimmed.
    pub name: String,
}

/// A line naming a student already listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The line, from 1.
    pub line: usize,
    /// The name as typed there, trimmed.
    pub name: String,
    /// The line where the same student is first listed.
    pub first_line: usize,
}

/// Reads a class list: one name a line, blank lines skipped, a name that
/// normalises to one listed before skipped and recorded as a duplicate.
pub fn read_class(text: &str) -> ClassList {
    let mut list = ClassList::default();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let name = line.trim();
        if name.is_empty() {
            list.blank += 1;
            continue;
        }
        if name.chars().count() > MAX_STUDENT_CHARS {
            list.too_long.push(line_no);
            continue;
        }
        match seen.get(&normalise_name(name)) {
            Some(&first_line) => list.duplicates.push(Duplicate {
                line: line_no,
                name: name.to_owned(),
                first_line,
            }),
            None => {
                seen.insert(normalise_name(name), line_no);
                list.students.push(Listed {
                    line: line_no,
                    name: name.to_owned(),
                });
            }
        }
    }
    list
}

/// One student's row of the key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRow {
    /// The name as listed.
    pub student: String,
    /// The true answer on the student's variant ([`super::Question::answer`]).
    pub answer: f64,
    /// The variant's values, in the order of the exercise's `variants`.
    pub values: Vec<VariedValue>,
}

/// A text cell made safe to open in a spreadsheet: one that starts with
/// `=`, `+`, `-`, `@` (or a tab or carriage return, which some spreadsheets
/// skip before looking) would be read as a formula, so it gets a leading
/// apostrophe, as OWASP's advice on CSV injection says. Names are typed by
/// people; numbers are written by the engine and are left as they are.
pub fn text_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// The key as CSV: `student,answer` and a column per variant path (named by
/// the path), one row per student; every record ends with `\n`. Answers are
/// written in their shortest form that reads back to the same bits; the
/// values as [`VariedValue::to_text`]; quoting as the `csv` crate does it.
pub fn csv(exercise: &Exercise, rows: &[KeyRow]) -> Result<String, String> {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["student".to_string(), "answer".into()];
    header.extend(exercise.variants.iter().map(|v| v.path.path()));
    out.write_record(&header).map_err(|e| e.to_string())?;
    for row in rows {
        let mut record = vec![text_cell(&row.student), format!("{}", row.answer)];
        record.extend(row.values.iter().map(VariedValue::to_text));
        out.write_record(&record).map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error().to_string())?;
    String::from_utf8(bytes).map_err(|_| "the CSV is not UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_list_skips_blanks_and_repeats_and_says_so() {
        let list = read_class("Ana\n\n   Ben Okafor  \r\n\t\nchloé\n ANA\nChloé");
        let names: Vec<_> = list
            .students
            .iter()
            .map(|s| (s.line, s.name.as_str()))
            .collect();
        assert_eq!(names, [(1, "Ana"), (3, "Ben Okafor"), (5, "chloé")]);
        assert_eq!(list.blank, 2);
        assert_eq!(
            list.duplicates,
            [
                Duplicate {
                    line: 6,
                    name: "ANA".into(),
                    first_line: 1
                },
                Duplicate {
                    line: 7,
                    name: "Chloé".into(),
                    first_line: 5
                },
            ]
        );
        let long = read_class(&format!("Ana\n{}\n", "x".repeat(201)));
        assert_eq!(long.too_long, [2]);
        assert_eq!(long.students.len(), 1);
    }

    #[test]
    fn text_cells_that_a_spreadsheet_would_run_are_defused() {
        for bad in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
            assert_eq!(text_cell(bad), format!("'{bad}"));
        }
        for ok in ["Ana", "O'Brien", "1", " =x", ""] {
            assert_eq!(text_cell(ok), ok);
        }
    }
}
