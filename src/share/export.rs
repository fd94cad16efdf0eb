//! The results as files: the summary JSON and the per-trial CSV exactly as
//! `funnelsim run` writes them (the engine's own functions: one format, one
//! writer), and the page's funnel and open-at-the-horizon tables as CSV.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
//! formula (and some a tab or carriage return before one): any text cell
//! (a stage name is anyone's text) that starts with one gets a `'` in
//! front, which spreadsheets show as text. Numbers are written as numbers,
//! never escaped: a negative number is data, not a formula.

use funnel_engine::{Chunk, Summary};

/// `funnelsim run`'s standard output for this summary, to the byte: the
/// pretty JSON and the newline the command line ends it with.
pub fn summary_json(summary: &Summary) -> String {
    let mut text = summary.to_json_pretty();
    text.push('\n');
    text
}

/// `funnelsim run --samples FILE.csv`'s file: one row per trial, the
/// columns `trial,revenue,won,lost,leads,open_end`.
pub fn samples_csv(trials: &Chunk) -> String {
    funnel_engine::cli::samples_csv(trials)
}

/// A text cell made safe for a spreadsheet (see the module's note).
pub fn text_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A number cell: shortest round-trip form; empty for "does not apply"
/// (a stage no deal left has no conversion).
fn number(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{x}"),
        _ => String::new(),
    }
}

fn write(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a record is never longer than its header.
    let _ = out.write_record(header);
    for row in rows {
        let _ = out.write_record(&row);
    }
    out.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The funnel by stage, as the page's statistics table has it (averages
/// per trial): `stage,entered,moved_on,lost,conversion,lost_value`.
pub fn funnel_csv(summary: &Summary) -> String {
    let rows = summary
        .stages
        .iter()
        .map(|s| {
            vec![
                text_cell(&s.name),
                number(Some(s.entered.mean)),
                number(Some(s.advanced.mean)),
                number(Some(s.lost.mean)),
                number(s.conversion),
                number(Some(s.lost_value)),
            ]
        })
        .collect();
    write(
        &[
            "stage",
            "entered",
            "moved_on",
            "lost",
            "conversion",
            "lost_value",
        ],
        rows,
    )
}

/// The deals still open at the horizon by stage (the table under the
/// pipeline chart): `stage,deals,value,weighted_value`, averages per trial.
pub fn open_at_horizon_csv(summary: &Summary) -> String {
    let rows = summary
        .stages
        .iter()
        .map(|s| {
            vec![
                text_cell(&s.name),
                number(Some(s.open_end.mean)),
                number(Some(s.open_end_value)),
                number(Some(s.open_end_weighted_value)),
            ]
        })
        .collect();
    write(&["stage", "deals", "value", "weighted_value"], rows)
}

/// A file name for an export: the scenario's name as a slug, and what the
/// file holds ("b2b-saas-q3-summary.json").
pub fn file_name(scenario_name: &str, what: &str, extension: &str) -> String {
    let slug = super::file::slug(scenario_name);
    if slug.is_empty() {
        format!("{what}.{extension}")
    } else {
        format!("{slug}-{what}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use funnel_engine::{Scenario, Simulation};

    fn run(scenario: &Scenario) -> (Summary, Chunk) {
        let sim = Simulation::new(scenario, 300, 4).unwrap();
        let all = sim.run_all();
        (Summary::new(&sim, &all), all)
    }

    fn reference() -> Scenario {
        Scenario::from_json(include_str!("../../scenarios/reference.json")).unwrap()
    }

    #[test]
    fn formulas_are_escaped_and_plain_text_is_not() {
        for (text, shown) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Proposal", "Proposal"),
            ("Q=3", "Q=3"),
            ("", ""),
        ] {
            assert_eq!(text_cell(text), shown, "{text:?}");
        }
    }

    #[test]
    fn the_funnel_table_has_a_row_per_stage_with_escaped_names() {
        let mut s = reference();
        s.stages[0].name = "=cmd|' /C calc'!A0".into();
        s.stages[1].name = "Demo, \"live\"".into();
        let (summary, _) = run(&s);
        let text = funnel_csv(&summary);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec![
                "stage",
                "entered",
                "moved_on",
                "lost",
                "conversion",
                "lost_value"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), s.stages.len());
        assert_eq!(&rows[0][0], "'=cmd|' /C calc'!A0");
        assert_eq!(&rows[1][0], "Demo, \"live\"");
        for (row, stage) in rows.iter().zip(&summary.stages) {
            assert_eq!(row[1].parse::<f64>().unwrap(), stage.entered.mean);
            assert_eq!(row[3].parse::<f64>().unwrap(), stage.lost.mean);
            match stage.conversion {
                Some(c) => assert_eq!(row[4].parse::<f64>().unwrap(), c),
                None => assert_eq!(&row[4], ""),
            }
        }
        let open = open_at_horizon_csv(&summary);
        let mut reader = csv::Reader::from_reader(open.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), s.stages.len());
        for (row, stage) in rows.iter().zip(&summary.stages) {
            assert_eq!(row[1].parse::<f64>().unwrap(), stage.open_end.mean);
            assert_eq!(
                row[3].parse::<f64>().unwrap(),
                stage.open_end_weighted_value
            );
        }
    }

    #[test]
    fn the_summary_and_samples_are_the_command_line_s() {
        let (summary, all) = run(&reference());
        let json = summary_json(&summary);
        assert!(json.ends_with("}\n"));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["trials"], 300);
        assert_eq!(back["seed"], 4);
        let samples = samples_csv(&all);
        let mut lines = samples.lines();
        assert_eq!(lines.next(), Some("trial,revenue,won,lost,leads,open_end"));
        assert_eq!(lines.count(), 300);
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("B2B SaaS, Q3", "summary", "json"),
            "b2b-saas-q3-summary.json"
        );
        assert_eq!(file_name(" ", "trials", "csv"), "trials.csv");
    }
}
