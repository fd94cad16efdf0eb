//! One import of a deals file as a task: the file's bytes and what to do
//! with them ([`ImportSpec`]) in, the header, the layout read with, and the
//! report and scenario or the backtest's plan ([`Imported`]) out.
//!
//! This is what the page hands a worker (or, with no worker, does itself in
//! steps): the worker only moves bytes and messages, so that the rules for
//! the file's name, its text and its steps are the engine's, and the same
//! wherever it runs. [`Reading`] reads in steps; [`import`] does it all,
//! telling `progress` the rows read every `rows_per_step`.

use serde::{Deserialize, Serialize};

use super::backtest;
use super::count::count;
use super::read::{Import, Progress, header};
use super::report::Report;
use super::{Date, Layout, Options, Problem, ProblemKind};

/// What to do with a deals file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportSpec {
    /// The file's name: the calibrated scenario is named after its stem.
    pub name: String,
    /// How to read it (`options.as_of`: count as of that day).
    pub options: Options,
    /// A backtest instead of a calibration.
    pub backtest: Option<Window>,
}

/// A backtest's as-of date and months.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Calibrate on what was known this day.
    pub as_of: Date,
    /// Forecast this many months from it.
    pub months: u32,
}

/// What came of an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// The header's names (empty when the file has none): for a page that
    /// lets the user map the columns by hand when detection fails.
    pub headers: Vec<String>,
    /// The layout the rows were read with, when one was settled.
    pub layout: Option<Layout>,
    /// The report or plan, or the file's problems (each with its line and column).
    pub outcome: Result<Outcome, Vec<Problem>>,
}

/// A calibration's report and scenario, or a backtest's plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// A calibration.
    Calibrated {
        /// What was counted.
        report: Report,
        /// The scenario in its file format (`Scenario::from_json` reads it
        /// back), or why the report makes none.
        scenario: Result<String, Vec<Problem>>,
    },
    /// A backtest's plan, before its trials run.
    Backtest {
        /// The forecast's scenario, as of the date, in its file format.
        scenario: String,
        /// The last day of the window.
        end: Date,
        /// Revenue won in the file after the as-of date, up to `end`.
        actual: f64,
    },
}

impl Imported {
    /// The task as JSON (how it crosses to the page: the scenario inside is
    /// text already, and every number keeps its bits).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            serde_json::to_string(&Imported {
                headers: self.headers.clone(),
                layout: None,
                outcome: Err(vec![Problem::file(ProblemKind::Csv, e.to_string())]),
            })
            .unwrap_or_default()
        })
    }

    /// The task read back from [`Imported::to_json`].
    pub fn from_json(text: &str) -> Result<Imported, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    fn failed(headers: Vec<String>, layout: Option<Layout>, problems: Vec<Problem>) -> Imported {
        Imported {
            headers,
            layout,
            outcome: Err(problems),
        }
    }
}

/// The name without its extension ("deals-long" of "deals-long.csv").
pub fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// The file as text: the engine reads UTF-8 only, and says where it is not.
pub fn text(bytes: &[u8]) -> Result<&str, Problem> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        Problem::file(
            ProblemKind::Csv,
            format!(
                "not UTF-8 text (byte {}); save the export as UTF-8 CSV",
                e.valid_up_to()
            ),
        )
    })
}

/// A file being read in steps, for a caller that shows progress between them.
pub struct Reading<'a> {
    import: Import<'a>,
    spec: &'a ImportSpec,
    headers: Vec<String>,
}

impl<'a> Reading<'a> {
    /// Reads the header; the whole answer already when the file goes no further.
    pub fn begin(bytes: &'a [u8], spec: &'a ImportSpec) -> Result<Reading<'a>, Box<Imported>> {
        let text = text(bytes).map_err(|p| Box::new(Imported::failed(vec![], None, vec![p])))?;
        let (_, headers) =
            header(text).map_err(|p| Box::new(Imported::failed(vec![], None, vec![p])))?;
        let o = &spec.options;
        let import = Import::new(text, o.layout.clone(), o.stages.as_deref(), o.date_order)
            .map_err(|ps| Box::new(Imported::failed(headers.clone(), o.layout.clone(), ps)))?;
        Ok(Reading {
            import,
            spec,
            headers,
        })
    }

    /// Reads up to `rows` more rows.
    pub fn step(&mut self, rows: u64) -> Result<Progress, Box<Imported>> {
        self.import.step(rows).map_err(|ps| {
            Box::new(Imported::failed(
                self.headers.clone(),
                Some(self.import.layout().clone()),
                ps,
            ))
        })
    }

    /// Reads what is left, then counts and reports (or plans the backtest).
    pub fn finish(self) -> Imported {
        let Reading {
            import,
            spec,
            headers,
        } = self;
        let layout = Some(import.layout().clone());
        let outcome = import.finish().and_then(|deals| match spec.backtest {
            Some(w) => backtest::plan(&deals, w.as_of, w.months).map(|p| Outcome::Backtest {
                scenario: p.scenario.to_json(),
                end: p.end,
                actual: p.actual,
            }),
            None => {
                let report = Report::new(&count(&deals, spec.options.as_of)?);
                let scenario = report
                    .scenario(
                        &format!(
                            "Calibrated from {} as of {}",
                            stem(&spec.name),
                            report.as_of
                        ),
                        12,
                    )
                    .map(|s| s.to_json());
                Ok(Outcome::Calibrated { report, scenario })
            }
        });
        Imported {
            headers,
            layout,
            outcome,
        }
    }
}

/// Reads, counts and reports `bytes` in one go, telling `progress` how far
/// it got after every `rows_per_step` rows (a worker's progress messages).
pub fn import(
    bytes: &[u8],
    spec: &ImportSpec,
    rows_per_step: u64,
    mut progress: impl FnMut(Progress),
) -> Imported {
    let mut reading = match Reading::begin(bytes, spec) {
        Ok(r) => r,
        Err(done) => return *done,
    };
    loop {
        match reading.step(rows_per_step.max(1)) {
            Ok(p) if p.done => break,
            Ok(p) => progress(p),
            Err(done) => return *done,
        }
    }
    reading.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;
    use crate::calibrate::{calibrate, read};

    const LONG: &str = "deal_id,stage,entered,amount,status,closed\n\
        A,Lead,2024-01-03,,won,\nA,Demo,2024-01-10,,won,\nA,Won,2024-01-20,500,won,2024-01-20\n\
        B,Lead,2024-01-05,,lost,2024-01-12\nC,Lead,2024-02-01,,open,\n";

    fn spec(backtest: Option<Window>) -> ImportSpec {
        ImportSpec {
            name: "my.deals.csv".into(),
            options: Options::default(),
            backtest,
        }
    }

    #[test]
    fn an_import_is_the_calibration_of_the_file() {
        let mut steps = Vec::new();
        let got = import(LONG.as_bytes(), &spec(None), 2, |p| steps.push(p.rows));
        assert_eq!(steps, vec![2, 4], "progress every 2 rows, none at the end");
        assert_eq!(got.headers[0], "deal_id");
        let Ok(Outcome::Calibrated { report, scenario }) = &got.outcome else {
            panic!("{got:?}")
        };
        assert_eq!(*report, calibrate(LONG, &Options::default()).unwrap());
        let scenario = Scenario::from_json(scenario.as_ref().unwrap()).unwrap();
        assert_eq!(
            scenario.name,
            format!("Calibrated from my.deals as of {}", report.as_of)
        );
        // Across the wire and back, to the bit.
        assert_eq!(Imported::from_json(&got.to_json()).unwrap(), got);
    }

    #[test]
    fn a_backtest_plans_as_the_command_line_does() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scenarios/deals-long.csv"
        ))
        .unwrap();
        let deals = read(&text, &Options::default()).unwrap();
        let w = Window {
            as_of: Date::parse_iso("2025-03-01").unwrap(),
            months: 3,
        };
        let plan = backtest::plan(&deals, w.as_of, w.months).unwrap();
        let got = import(text.as_bytes(), &spec(Some(w)), 1_000, |_| {});
        assert_eq!(
            got.outcome,
            Ok(Outcome::Backtest {
                scenario: plan.scenario.to_json(),
                end: plan.end,
                actual: plan.actual
            })
        );
        assert_eq!(Imported::from_json(&got.to_json()).unwrap(), got);
        // The stepwise reader with any step gives the same.
        let again = spec(Some(w));
        let mut r = Reading::begin(text.as_bytes(), &again).ok().unwrap();
        while !r.step(7).ok().unwrap().done {}
        assert_eq!(r.finish(), got);
    }

    #[test]
    fn problems_come_back_with_the_header_and_where() {
        // No known header: the names still come back, for mapping by hand.
        let got = import(
            b"Opp,Phase,Since\nA,Lead,2024-01-01\n",
            &spec(None),
            10,
            |_| {},
        );
        assert_eq!(got.headers, ["Opp", "Phase", "Since"]);
        let problems = got.outcome.unwrap_err();
        assert_eq!(problems[0].kind, ProblemKind::NoHeader);
        // A bad date: its line and column.
        let bad = LONG.replace("2024-02-01", "2024-02-31");
        let problems = import(bad.as_bytes(), &spec(None), 10, |_| {})
            .outcome
            .unwrap_err();
        let cell = problems[0].column.as_ref().unwrap();
        assert_eq!((cell.line, cell.column), (6, 2));
        // Not UTF-8, empty: whole-file problems.
        let got = import(b"deal_id,stage\n\xff\n", &spec(None), 10, |_| {});
        assert!(got.outcome.unwrap_err()[0].message.contains("byte 14"));
        let got = import(b"", &spec(None), 10, |_| {});
        assert_eq!(got.outcome.unwrap_err()[0].kind, ProblemKind::Empty);
        // A byte-order mark is not part of the first column's name.
        let bom = [b"\xef\xbb\xbf".as_slice(), LONG.as_bytes()].concat();
        assert_eq!(import(&bom, &spec(None), 10, |_| {}).headers[0], "deal_id");
    }

    #[test]
    fn the_stem_drops_only_the_extension() {
        assert_eq!(stem("deals.csv"), "deals");
        assert_eq!(stem("a.b.csv"), "a.b");
        assert_eq!(stem("deals"), "deals");
        assert_eq!(stem(".csv"), ".csv");
    }
}
