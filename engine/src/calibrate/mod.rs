//! Calibration from a CRM export (MODEL.md, "Calibration from a CRM
//! export"): a CSV of deals in, a report and a version-1 scenario out.
//!
//! Plain data in and out, in steps a page can show progress between:
//! [`read::Import`] reads the rows (a bounded number per step), [`count`]
//! applies the counting rules as of a date, [`Report::new`] makes the
//! report and [`Report::scenario`] the scenario; [`calibrate`] does all in
//! one call. [`backtest`] replays a past as-of date against what happened.
//! Every problem names its line and column ([`Problem`]).
//!
//! - `layout.rs`: the header, long or wide
//! - `dates.rs`: the three date forms, month or day first
//! - `read.rs`: rows to deals
//! - `count.rs`: the counting rules
//! - `leads.rs`: leads per month and the growth fit
//! - `interval.rs`: Beta interval, Kaplan-Meier median
//! - `report.rs`: the report and the scenario
//! - `backtest.rs`: a forecast made in the past against its actual
//! - `synth.rs`: synthetic exports from a known scenario (tests, examples)

pub mod backtest;
pub mod count;
pub mod dates;
pub mod interval;
pub mod layout;
pub mod leads;
pub mod read;
pub mod report;
pub mod synth;

use serde::{Deserialize, Serialize};

pub use count::{Counts, count};
pub use dates::{Date, DateOrder};
pub use layout::{Layout, LayoutKind};
pub use read::{Deals, Import};
pub use report::{Report, StageReport, Warning};

/// One cell of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Line in the file, from 1 (a quoted field spanning lines: where its row starts).
    pub line: u64,
    /// Column, from 0.
    pub column: usize,
    /// The column's header name (empty when the row is longer than the header).
    pub name: String,
}

/// Which rule a file breaks; the app words its messages from this and the cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Not CSV, or not UTF-8.
    Csv,
    /// Nothing to read: no header, no rows, no deal.
    Empty,
    /// The header matches neither layout.
    NoHeader,
    /// A cell that is not a date, or a day that does not exist.
    BadDate,
    /// Numeric dates whose order the file does not tell (or contradicts).
    AmbiguousDates,
    /// An amount that is not a number 0 or more.
    BadAmount,
    /// A status other than won, lost or open.
    BadStatus,
    /// A cell that must be filled is empty.
    Missing,
    /// A deal on two rows of a wide file.
    Duplicate,
    /// A deal that closed before it entered a stage.
    LeavesBeforeEntering,
    /// The stage list: more than 20, or one given twice.
    Stages,
    /// No won deal to count the deal size from.
    NoWonDeals,
    /// The numbers break the model's bounds.
    Bounds,
    /// The as-of date or months of a backtest do not fit the file.
    Window,
}

/// A problem with the file, at a line and column where it has one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Line, from 1; 0 for the whole file.
    pub line: u64,
    /// The cell, when one cell is at fault.
    pub column: Option<Cell>,
    /// The rule broken.
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    /// A problem with the whole file.
    pub fn file(kind: ProblemKind, message: impl Into<String>) -> Problem {
        Problem {
            line: 0,
            column: None,
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.column, self.line) {
            (Some(c), _) if c.name.is_empty() => {
                write!(f, "line {}, column {}: ", c.line, c.column + 1)?
            }
            (Some(c), _) => write!(
                f,
                "line {}, column {} ({}): ",
                c.line,
                c.column + 1,
                crate::cli::quoted(c.name.trim())
            )?,
            (None, 0) => {}
            (None, line) => write!(f, "line {line}: ")?,
        }
        f.write_str(&self.message)
    }
}

/// How to read a file; every field may be left to detection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Which column is what; `None`: detected from the header.
    pub layout: Option<Layout>,
    /// The stages in funnel order (others skipped); `None`: the order deals enter them.
    pub stages: Option<Vec<String>>,
    /// How to read numeric dates; `None`: detected (ambiguous is a problem).
    pub date_order: Option<DateOrder>,
    /// Count as of this date; `None`: the latest date in the file.
    pub as_of: Option<Date>,
}

/// Reads every row of `text` into deals.
pub fn read(text: &str, options: &Options) -> Result<Deals, Vec<Problem>> {
    Import::new(
        text,
        options.layout.clone(),
        options.stages.as_deref(),
        options.date_order,
    )?
    .finish()
}

/// Reads, counts and reports in one call.
pub fn calibrate(text: &str, options: &Options) -> Result<Report, Vec<Problem>> {
    let deals = read(text, options)?;
    Ok(Report::new(&count(&deals, options.as_of)?))
}
