//! The debrief: the answer codes a class handed in, read (one a line, with
//! or without the student's name before it), matched to the students of the
//! key (`AnswerCode::is_for`) and judged against each one's truth
//! (`Question::judge`).

use funnel_engine::exercise::{self, AnswerCode, Question, normalise_name};

/// Most lines of codes read at once: a class is far smaller; a pasted file
/// of millions of lines would only stall the page.
pub const MAX_LINES: usize = 20_000;

/// One student of the key and their true answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Truth {
    pub student: String,
    pub truth: f64,
}

/// A student's line of the debrief.
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub student: String,
    pub truth: f64,
    /// The answer their code holds, and the line it was on; `None`: no code.
    pub answer: Option<(f64, usize)>,
    /// Within the tolerance; `None` without a code.
    pub right: Option<bool>,
}

/// The whole debrief: a row per student of the key, in its order, and
/// every line that could not be used, in words naming the line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Debrief {
    pub rows: Vec<Judged>,
    pub problems: Vec<String>,
}

impl Debrief {
    /// Codes handed in and matched, and how many of them were right.
    pub fn tally(&self) -> (usize, usize) {
        let handed = self.rows.iter().filter(|r| r.answer.is_some()).count();
        let right = self.rows.iter().filter(|r| r.right == Some(true)).count();
        (handed, right)
    }
}

/// A line split into the name typed before the code (if any) and the code:
/// the code is the last word (after a tab, comma, semicolon, colon or space).
fn split_line(line: &str) -> (Option<&str>, &str) {
    let line = line.trim();
    match line.rfind(['\t', ',', ';', ':', ' ']) {
        Some(i) => {
            let name = line[..i].trim().trim_end_matches([',', ';', ':']).trim();
            let code = line[i + 1..].trim();
            ((!name.is_empty()).then_some(name), code)
        }
        None => (None, line),
    }
}

/// Reads the codes in `text` against the students of the key and judges
/// each by `question`.
pub fn debrief(question: &Question, students: &[Truth], text: &str) -> Debrief {
    let mut rows: Vec<Judged> = students
        .iter()
        .map(|t| Judged {
            student: t.student.clone(),
            truth: t.truth,
            answer: None,
            right: None,
        })
        .collect();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate().take(MAX_LINES) {
        let at = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let (name, code) = split_line(line);
        let decoded: AnswerCode = match exercise::decode(code) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("Line {at}: {e}."));
                continue;
            }
        };
        let matches: Vec<usize> = match name {
            Some(name) => {
                let wanted = normalise_name(name);
                match students
                    .iter()
                    .position(|s| normalise_name(&s.student) == wanted)
                {
                    None => {
                        problems.push(format!("Line {at}: “{name}” is not on the class list."));
                        continue;
                    }
                    Some(k) if !decoded.is_for(&students[k].student) => {
                        problems.push(format!(
                            "Line {at}: this code was made for another name than “{name}”."
                        ));
                        continue;
                    }
                    Some(k) => vec![k],
                }
            }
            None => students
                .iter()
                .enumerate()
                .filter(|(_, s)| decoded.is_for(&s.student))
                .map(|(k, _)| k)
                .collect(),
        };
        let k = match matches.as_slice() {
            [k] => *k,
            [] => {
                problems.push(format!(
                    "Line {at}: the code matches no student on the class list."
                ));
                continue;
            }
            many => {
                let names: Vec<&str> = many.iter().map(|&k| students[k].student.as_str()).collect();
                problems.push(format!(
                    "Line {at}: the code could be {}'s: put the name before it.",
                    names.join(" or ")
                ));
                continue;
            }
        };
        let row = &mut rows[k];
        if let Some((_, before)) = row.answer {
            problems.push(format!(
                "Line {at}: a second code from {} (line {before}); the later one counts.",
                row.student
            ));
        }
        row.answer = Some((decoded.answer, at));
        row.right = Some(question.judge(row.truth, decoded.answer));
    }
    if text.lines().count() > MAX_LINES {
        problems.push(format!("Only the first {MAX_LINES} lines were read."));
    }
    Debrief { rows, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::exercise::{Ask, encode};

    fn class() -> Vec<Truth> {
        ["Ana", "Ben Okafor", "Chloé"]
            .iter()
            .enumerate()
            .map(|(k, s)| Truth {
                student: (*s).into(),
                truth: 0.5 + 0.1 * k as f64,
            })
            .collect()
    }

    fn question() -> Question {
        Question {
            ask: Ask::Probability,
            tolerance: 0.02,
        }
    }

    #[test]
    fn codes_are_matched_by_name_and_judged() {
        let text = format!(
            "{}\n\n  ben okafor,\t{}\nCHLOÉ: {}\n",
            encode("ana", 0.51).unwrap(),
            encode("Ben Okafor", 0.65).unwrap(),
            encode("Chloé", 0.7).unwrap().to_lowercase(),
        );
        let d = debrief(&question(), &class(), &text);
        assert_eq!(d.problems, Vec::<String>::new());
        let got: Vec<_> = d
            .rows
            .iter()
            .map(|r| (r.answer.map(|a| a.1), r.right))
            .collect();
        assert_eq!(
            got,
            [
                (Some(1), Some(true)),
                (Some(3), Some(false)),
                (Some(4), Some(true))
            ]
        );
        assert_eq!(d.rows[1].answer.unwrap().0, 0.65);
        assert_eq!(d.tally(), (3, 2));
    }

    #[test]
    fn every_line_that_cannot_be_used_is_named() {
        let ana = encode("Ana", 0.5).unwrap();
        let mut typo = ana.clone().into_bytes();
        typo.swap(3, 4);
        if typo[3] == typo[4] {
            typo[3] = if typo[3] == b'A' { b'B' } else { b'A' };
        }
        let typo = String::from_utf8(typo).unwrap();
        let text = [
            ana.clone(),
            typo,
            "Ben Okafor ABC".into(),
            format!("Dan {}", encode("Dan", 0.5).unwrap()),
            encode("Dan", 0.5).unwrap(),
            format!("Ben Okafor {}", encode("Ana", 0.5).unwrap()),
            encode("ANA", 0.9).unwrap(),
        ]
        .join("\n");
        let d = debrief(&question(), &class(), &text);
        assert_eq!(d.problems.len(), 6, "{:#?}", d.problems);
        assert!(
            d.problems[0].starts_with("Line 2: the code does not check out"),
            "{}",
            d.problems[0]
        );
        assert!(d.problems[1].starts_with("Line 3: the code has 3 characters"));
        assert_eq!(d.problems[2], "Line 4: “Dan” is not on the class list.");
        assert_eq!(
            d.problems[3],
            "Line 5: the code matches no student on the class list."
        );
        assert_eq!(
            d.problems[4],
            "Line 6: this code was made for another name than “Ben Okafor”."
        );
        assert!(d.problems[5].starts_with("Line 7: a second code from Ana (line 1)"));
        assert_eq!(d.rows[0].answer, Some((0.9, 7)));
        assert_eq!(d.rows[0].right, Some(false));
        assert_eq!(d.rows[1].answer, None);
        assert_eq!(d.tally(), (1, 0));
    }

    #[test]
    fn a_line_splits_into_name_and_code() {
        assert_eq!(split_line(" ABC "), (None, "ABC"));
        assert_eq!(split_line("Ana Lee\tABC"), (Some("Ana Lee"), "ABC"));
        assert_eq!(split_line("Ana Lee, ABC"), (Some("Ana Lee"), "ABC"));
        assert_eq!(split_line("Ana: ABC"), (Some("Ana"), "ABC"));
    }
}
