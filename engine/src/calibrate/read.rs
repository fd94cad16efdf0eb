//! CSV rows to deals: every cell the layout names read and checked, with its
//! line and column for the message when it does not read.
//!
//! [`Import`] reads a bounded number of rows per [`Import::step`], so a page
//! can show progress on a 50,000-row file and yield between steps; dates are
//! kept as written until the file's [`DateOrder`] is known (`finish`), since a
//! later row may be the first to tell month-first from day-first.

// BTreeMap, not HashMap: deterministic on every target, with no random
// hash keys to seed in the browser.
use std::collections::BTreeMap;

use super::dates::{DateOrder, Detected, Evidence, RawDate};
use super::layout::{Layout, LayoutKind, normalize};
use super::{Cell, Problem, ProblemKind};
use crate::scenario::MAX_STAGES;

/// A deal's status in the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Won (`won`, `closed won`).
    Won,
    /// Lost (`lost`, `closed lost`).
    Lost,
    /// Still open.
    Open,
}

impl Status {
    fn parse(text: &str) -> Option<Status> {
        let n = normalize(text);
        match n.strip_prefix("closed").unwrap_or(&n) {
            "won" => Some(Status::Won),
            "lost" => Some(Status::Lost),
            "open" => Some(Status::Open),
            _ => None,
        }
    }
}

/// A value and the cell it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Its cell.
    pub cell: Cell,
}

/// One stage a deal entered, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Index into [`Deals::stages`].
    pub stage: usize,
    /// The day it entered.
    pub date: At<super::Date>,
}

/// One deal as the file describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Deal {
    /// Its id.
    pub id: String,
    /// The first line it is on.
    pub line: u64,
    /// The stages it entered, in the file's order.
    pub entries: Vec<Entry>,
    /// Won, lost or open, from its status cell.
    pub status: At<Status>,
    /// When it closed; read for every deal that has one.
    pub closed: Option<At<super::Date>>,
    /// Its value, when the file gives one.
    pub amount: Option<At<f64>>,
}

/// The file read: its deals, and the stages they name (in first-seen order,
/// or the caller's order when it gave one).
#[derive(Clone, Debug, PartialEq)]
pub struct Deals {
    /// The layout the rows were read with.
    pub layout: Layout,
    /// The order numeric dates were read in (`None`: every date was ISO).
    pub date_order: Option<DateOrder>,
    /// Stage names, each once.
    pub stages: Vec<String>,
    /// Whether `stages` is the caller's order (else first seen).
    pub stages_given: bool,
    /// The deals, in order of their first line.
    pub deals: Vec<Deal>,
    /// Data rows read (not counting the header or blank lines).
    pub rows: u64,
    /// Rows of a stage not in the caller's list, skipped.
    pub ignored_rows: u64,
}

/// How far an [`Import`] has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Data rows read so far.
    pub rows: u64,
    /// Bytes of the file read so far (of its length, for a progress bar).
    pub bytes: u64,
    /// Whether every row has been read (call [`Import::finish`]).
    pub done: bool,
}

struct RawDeal {
    id: String,
    line: u64,
    entries: Vec<(usize, At<RawDate>)>,
    status: Option<At<Status>>,
    closed: Option<At<RawDate>>,
    amount: Option<At<f64>>,
}

/// A file being read, step by step.
pub struct Import<'a> {
    text: &'a [u8],
    decimal: char,
    reader: csv::Reader<&'a [u8]>,
    headers: Vec<String>,
    layout: Layout,
    date_order: Option<DateOrder>,
    stages: Vec<String>,
    stage_keys: BTreeMap<String, usize>,
    stages_given: bool,
    by_id: BTreeMap<String, usize>,
    deals: Vec<RawDeal>,
    evidence: Evidence,
    problems: Vec<Problem>,
    rows: u64,
    ignored: u64,
    done: bool,
    record: csv::StringRecord,
}

/// Stop collecting after this many problems: one file with a million bad
/// cells must not make a million messages.
const MAX_PROBLEMS: usize = 20;

impl<'a> Import<'a> {
    /// Reads the header and settles the layout: `layout` if given (the app's
    /// mapping), else [`Layout::detect`]. `stages`: only these stages, in this
    /// order (rows of others are skipped); `date_order`: how to read numeric
    /// dates (else detected).
    pub fn new(
        text: &'a str,
        layout: Option<Layout>,
        stages: Option<&[String]>,
        date_order: Option<DateOrder>,
    ) -> Result<Import<'a>, Vec<Problem>> {
        let (reader, record, header_line, headers) = read_header(text).map_err(|p| vec![p])?;
        let layout = match layout {
            Some(l) => l,
            None => Layout::detect(&headers).map_err(|e| {
                vec![Problem {
                    line: header_line,
                    column: None,
                    kind: ProblemKind::NoHeader,
                    message: format!(
                        "no header this program knows: it needs {} (found {})",
                        e.missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        headers
                            .iter()
                            .map(|h| crate::cli::quoted(h))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }]
            })?,
        };
        let incomplete = match layout.kind {
            LayoutKind::Long => layout.stage.is_none() || layout.entered.is_none(),
            LayoutKind::Wide => layout.entered_stages.is_empty(),
        };
        if incomplete {
            return Err(vec![Problem {
                line: header_line,
                column: None,
                kind: ProblemKind::NoHeader,
                message: match layout.kind {
                    LayoutKind::Long => {
                        "the long layout needs a stage column and an entered column"
                    }
                    LayoutKind::Wide => "the wide layout needs at least one entered STAGE column",
                }
                .into(),
            }]);
        }
        let mut import = Import {
            text: text.as_bytes(),
            decimal: if delimiter(text) == b';' { ',' } else { '.' },
            reader,
            headers,
            layout,
            date_order,
            stages: Vec::new(),
            stage_keys: BTreeMap::new(),
            stages_given: stages.is_some(),
            by_id: BTreeMap::new(),
            deals: Vec::new(),
            evidence: Evidence::default(),
            problems: Vec::new(),
            rows: 0,
            ignored: 0,
            done: false,
            record,
        };
        if let Some(stages) = stages {
            for name in stages {
                let key = normalize(name);
                if import.stage_keys.contains_key(&key) {
                    return Err(vec![Problem::file(
                        ProblemKind::Stages,
                        format!("--stages: {} is listed twice", crate::cli::quoted(name)),
                    )]);
                }
                import.stage_keys.insert(key, import.stages.len());
                import.stages.push(name.trim().to_string());
            }
            if import.stages.is_empty() || import.stages.len() > MAX_STAGES {
                return Err(vec![Problem::file(
                    ProblemKind::Stages,
                    format!(
                        "--stages: lists {} stages; a funnel has 1 to {MAX_STAGES}",
                        import.stages.len()
                    ),
                )]);
            }
        } else if import.layout.kind == LayoutKind::Wide {
            // The columns name the stages: in their order, before any row.
            for s in import.layout.entered_stages.clone() {
                import.stage_index(
                    &s.stage,
                    Cell {
                        line: 1,
                        column: s.column,
                        name: String::new(),
                    },
                );
            }
        }
        import.check_problems()?;
        Ok(import)
    }

    /// The header's names, as written.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The layout the rows are read with.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Reads up to `rows` more rows.
    pub fn step(&mut self, rows: u64) -> Result<Progress, Vec<Problem>> {
        let mut read = 0;
        while read < rows && !self.done {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    read += 1;
                    self.rows += 1;
                    let line = self
                        .record
                        .position()
                        .map_or(0, |p| start_line(self.text, p));
                    let record = std::mem::take(&mut self.record);
                    self.row(line, &record);
                    self.record = record;
                    self.check_problems()?;
                }
                Ok(false) => self.done = true,
                Err(e) => return Err(vec![csv_problem(&e)]),
            }
        }
        Ok(Progress {
            rows: self.rows,
            bytes: self.reader.position().byte(),
            done: self.done,
        })
    }

    fn check_problems(&mut self) -> Result<(), Vec<Problem>> {
        if self.problems.len() >= MAX_PROBLEMS {
            Err(std::mem::take(&mut self.problems))
        } else {
            Ok(())
        }
    }

    fn cell(&self, line: u64, column: usize) -> Cell {
        Cell {
            line,
            column,
            name: self.headers.get(column).cloned().unwrap_or_default(),
        }
    }

    fn problem(&mut self, cell: Cell, kind: ProblemKind, message: String) {
        self.problems.push(Problem {
            line: cell.line,
            column: Some(cell),
            kind,
            message,
        });
    }

    /// The stage's index, adding it when the stages were not given; `None`
    /// for a stage outside the caller's list (or past the limit, a problem).
    fn stage_index(&mut self, name: &str, cell: Cell) -> Option<usize> {
        let key = normalize(name);
        if let Some(&i) = self.stage_keys.get(&key) {
            return Some(i);
        }
        if self.stages_given {
            return None;
        }
        if self.stages.len() >= MAX_STAGES {
            self.problem(
                cell,
                ProblemKind::Stages,
                format!("a {}th stage, {}: a funnel has at most {MAX_STAGES} (choose them with --stages)", MAX_STAGES + 1, crate::cli::quoted(name)),
            );
            return None;
        }
        self.stage_keys.insert(key, self.stages.len());
        self.stages.push(name.trim().to_string());
        Some(self.stages.len() - 1)
    }

    fn date(&mut self, text: &str, cell: Cell) -> Option<At<RawDate>> {
        match RawDate::parse(text) {
            Ok(raw) => {
                self.evidence.add(raw);
                Some(At { value: raw, cell })
            }
            Err(_) => {
                let message = format!(
                    "{} is not a date (YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY)",
                    crate::cli::quoted(text.trim())
                );
                self.problem(cell, ProblemKind::BadDate, message);
                None
            }
        }
    }

    fn row(&mut self, line: u64, record: &csv::StringRecord) {
        let get = |c: usize| record.get(c).unwrap_or("").trim();
        let layout = self.layout.clone();
        let id = get(layout.deal);
        if id.is_empty() {
            let cell = self.cell(line, layout.deal);
            self.problem(cell, ProblemKind::Missing, "no deal id".into());
            return;
        }
        // The stages this row entered.
        let mut entered = Vec::new();
        match layout.kind {
            LayoutKind::Long => {
                let (Some(sc), Some(ec)) = (layout.stage, layout.entered) else {
                    let cell = self.cell(line, layout.deal);
                    self.problem(
                        cell,
                        ProblemKind::NoHeader,
                        "the long layout needs a stage and an entered column".into(),
                    );
                    return;
                };
                let stage = get(sc);
                if stage.is_empty() {
                    let cell = self.cell(line, sc);
                    self.problem(cell, ProblemKind::Missing, "no stage".into());
                    return;
                }
                let Some(index) = self.stage_index(stage, self.cell(line, sc)) else {
                    self.ignored += 1;
                    return;
                };
                let text = get(ec);
                if text.is_empty() {
                    let cell = self.cell(line, ec);
                    self.problem(
                        cell,
                        ProblemKind::Missing,
                        "no date: when did the deal enter the stage?".into(),
                    );
                    return;
                }
                if let Some(date) = self.date(text, self.cell(line, ec)) {
                    entered.push((index, date));
                }
            }
            LayoutKind::Wide => {
                for s in &layout.entered_stages {
                    let text = get(s.column);
                    if text.is_empty() {
                        continue;
                    }
                    let Some(index) = self.stage_index(&s.stage, self.cell(line, s.column)) else {
                        continue;
                    };
                    if let Some(date) = self.date(text, self.cell(line, s.column)) {
                        entered.push((index, date));
                    }
                }
            }
        }
        let status = {
            let text = get(layout.status);
            let cell = self.cell(line, layout.status);
            match Status::parse(text) {
                Some(s) => Some(At { value: s, cell }),
                None if text.is_empty() && layout.kind == LayoutKind::Long => None,
                None => {
                    self.problem(
                        cell,
                        ProblemKind::BadStatus,
                        format!(
                            "{} is not a status: `won`, `lost` or `open`",
                            crate::cli::quoted(text)
                        ),
                    );
                    None
                }
            }
        };
        let closed = match layout.closed {
            Some(c) if !get(c).is_empty() => self.date(get(c), self.cell(line, c)),
            _ => None,
        };
        let amount = match layout.amount {
            Some(c) if !get(c).is_empty() => {
                let cell = self.cell(line, c);
                match read_amount(get(c), self.decimal) {
                    Some(a) => Some(At { value: a, cell }),
                    None => {
                        self.problem(
                            cell,
                            ProblemKind::BadAmount,
                            format!(
                                "{} is not an amount (a number 0 or more, `{}` for decimals)",
                                crate::cli::quoted(get(c)),
                                self.decimal
                            ),
                        );
                        None
                    }
                }
            }
            _ => None,
        };
        let index = match self.by_id.get(id) {
            Some(&i) if layout.kind == LayoutKind::Wide => {
                let first = self.deals[i].line;
                let cell = self.cell(line, layout.deal);
                self.problem(
                    cell,
                    ProblemKind::Duplicate,
                    format!(
                        "deal {} is also on line {first}: the wide layout has one row per deal",
                        crate::cli::quoted(id)
                    ),
                );
                return;
            }
            Some(&i) => i,
            None => {
                self.by_id.insert(id.to_string(), self.deals.len());
                self.deals.push(RawDeal {
                    id: id.to_string(),
                    line,
                    entries: Vec::new(),
                    status: None,
                    closed: None,
                    amount: None,
                });
                self.deals.len() - 1
            }
        };
        // Deal columns may repeat on every row of a deal: the last one given counts.
        let deal = &mut self.deals[index];
        deal.entries.extend(entered);
        if status.is_some() {
            deal.status = status;
        }
        if closed.is_some() {
            deal.closed = closed;
        }
        if amount.is_some() {
            deal.amount = amount;
        }
    }

    /// Reads whatever rows are left and settles the dates.
    pub fn finish(mut self) -> Result<Deals, Vec<Problem>> {
        while !self.step(u64::MAX)?.done {}
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        if self.rows == 0 {
            return Err(vec![Problem::file(
                ProblemKind::Empty,
                "the file has a header but no rows",
            )]);
        }
        let order = match (self.date_order, self.evidence.detect()) {
            (Some(o), _) => o,
            (None, Detected::Order(o)) => o,
            (None, Detected::Ambiguous) => {
                return Err(vec![Problem::file(
                    ProblemKind::AmbiguousDates,
                    "every numeric date reads both month first and day first (like 03/04/2025): say which with --date-order mdy or dmy",
                )]);
            }
            (None, Detected::Conflict) => {
                return Err(vec![Problem::file(
                    ProblemKind::AmbiguousDates,
                    "some dates read only month first (03/24/2025) and others only day first (24/03/2025): one file has one order; fix the file or choose with --date-order mdy or dmy",
                )]);
            }
        };
        let mut problems = Vec::new();
        let mut resolve = |raw: At<RawDate>| -> Option<At<super::Date>> {
            match raw.value.resolve(order) {
                Ok(d) => Some(At {
                    value: d,
                    cell: raw.cell,
                }),
                Err(_) => {
                    if problems.len() < MAX_PROBLEMS {
                        problems.push(Problem {
                            line: raw.cell.line,
                            column: Some(raw.cell.clone()),
                            kind: ProblemKind::BadDate,
                            message: format!(
                                "no such day (read {})",
                                match order {
                                    DateOrder::MonthFirst => "month first",
                                    DateOrder::DayFirst => "day first",
                                }
                            ),
                        });
                    }
                    None
                }
            }
        };
        let mut unstated = Vec::new();
        let mut deals = Vec::with_capacity(self.deals.len());
        for raw in std::mem::take(&mut self.deals) {
            let entries: Vec<Entry> = raw
                .entries
                .into_iter()
                .filter_map(|(stage, date)| resolve(date).map(|date| Entry { stage, date }))
                .collect();
            let closed = raw.closed.and_then(&mut resolve);
            let Some(status) = raw.status else {
                if unstated.len() < MAX_PROBLEMS {
                    let cell = Cell {
                        line: raw.line,
                        column: self.layout.status,
                        name: self
                            .headers
                            .get(self.layout.status)
                            .cloned()
                            .unwrap_or_default(),
                    };
                    unstated.push(Problem {
                        line: raw.line,
                        column: Some(cell),
                        kind: ProblemKind::Missing,
                        message: format!(
                            "deal {} has no status on any of its rows",
                            crate::cli::quoted(&raw.id)
                        ),
                    });
                }
                continue;
            };
            if entries.is_empty() {
                // A wide row with no stage entered (or only unlisted stages).
                self.ignored += 1;
                continue;
            }
            deals.push(Deal {
                id: raw.id,
                line: raw.line,
                entries,
                status,
                closed,
                amount: raw.amount,
            });
        }
        problems.extend(unstated);
        if !problems.is_empty() {
            return Err(problems);
        }
        if deals.is_empty() {
            return Err(vec![Problem::file(
                ProblemKind::Empty,
                "no deal entered any stage of the funnel",
            )]);
        }
        let numeric = self.evidence.numeric;
        Ok(Deals {
            layout: self.layout,
            date_order: numeric.then_some(order),
            stages: self.stages,
            stages_given: self.stages_given,
            deals,
            rows: self.rows,
            ignored_rows: self.ignored,
        })
    }
}

type HeaderRead<'a> = (csv::Reader<&'a [u8]>, csv::StringRecord, u64, Vec<String>);

/// The reader past the header (the first line that is not blank), its line and names.
fn read_header(text: &str) -> Result<HeaderRead<'_>, Problem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Ok(true) => {
                let line = record
                    .position()
                    .map_or(1, |p| start_line(text.as_bytes(), p));
                let headers = record.iter().map(str::to_string).collect();
                return Ok((reader, record, line, headers));
            }
            Ok(false) => {
                return Err(Problem::file(
                    ProblemKind::Empty,
                    "the file is empty: no header and no rows",
                ));
            }
            Err(e) => return Err(csv_problem(&e)),
        }
    }
}

/// The header row of a file and its line, for a page that shows the
/// columns found and lets the user map them by hand ([`Layout`]).
pub fn header(text: &str) -> Result<(u64, Vec<String>), Problem> {
    read_header(text).map(|(_, _, line, headers)| (line, headers))
}

/// The separator of the file's first non-blank line: `,`, or `;` (what
/// Excel writes where the comma is the decimal mark) or a tab when the line
/// has more of those than commas, outside quotes.
pub fn delimiter(text: &str) -> u8 {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [c, s, t] if s > c && s >= t => b';',
        [c, _, t] if t > c => b'\t',
        _ => b',',
    }
}

/// An amount as CRMs export it: digits with `decimal` as the decimal mark
/// (`.`, or `,` in a `;`-separated file), the other mark, spaces or `_`
/// between thousands, a currency sign before or after (`$12,000.50`,
/// `12.000,50 EUR`).
fn read_amount(text: &str, decimal: char) -> Option<f64> {
    let thousands = if decimal == ',' { '.' } else { ',' };
    let cleaned: String = text
        .trim()
        .trim_matches(|c: char| c.is_alphabetic() || "$€£¥ ".contains(c))
        .chars()
        .filter(|c| *c != thousands && *c != '_' && !c.is_whitespace())
        .map(|c| if c == decimal { '.' } else { c })
        .collect();
    if cleaned.is_empty() || !cleaned.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|a| a.is_finite() && *a >= 0.0)
}

/// The line a record starts on. The csv crate gives where the reader stood
/// when the record began, before the empty lines it skips; those are
/// counted here.
fn start_line(text: &[u8], pos: &csv::Position) -> u64 {
    let mut line = pos.line();
    let rest = text.get(pos.byte() as usize..).unwrap_or_default();
    for &b in rest.iter().take_while(|&&b| b == b'\n' || b == b'\r') {
        line += u64::from(b == b'\n');
    }
    line
}

fn csv_problem(e: &csv::Error) -> Problem {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        _ => format!("not CSV: {e}"),
    };
    Problem {
        line,
        column: None,
        kind: ProblemKind::Csv,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::{delimiter, read_amount};

    #[test]
    fn amounts_read_as_exports_write_them() {
        assert_eq!(read_amount("12000", '.'), Some(12000.0));
        assert_eq!(read_amount("$12,000.50", '.'), Some(12000.5));
        assert_eq!(read_amount("12 000 EUR", '.'), Some(12000.0));
        assert_eq!(read_amount("12.000,50 €", ','), Some(12000.5));
        assert_eq!(read_amount("1500,5", ','), Some(1500.5));
        assert_eq!(read_amount("-5", '.'), None);
        assert_eq!(read_amount("1e400", '.'), None);
        assert_eq!(read_amount("twelve", '.'), None);
        assert_eq!(read_amount("NaN", '.'), None);
    }

    #[test]
    fn the_separator_is_the_header_line_s() {
        assert_eq!(delimiter("deal_id,stage,entered\n"), b',');
        assert_eq!(delimiter("\ndeal_id;stage;entered;\"a,b\"\n"), b';');
        assert_eq!(delimiter("deal_id\tstage\tentered\n"), b'\t');
        assert_eq!(delimiter("deal_id\n"), b',');
        assert_eq!(delimiter(""), b',');
    }
}
