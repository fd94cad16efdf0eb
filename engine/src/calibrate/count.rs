//! The counting rules of MODEL.md's "Calibration from a CRM export", deal
//! by deal, as of a date. One pass over the deals (each sorted by its own
//! few entries), so 50,000 deals cost a few milliseconds.
//!
//! This project's readings (docs/model-notes.md, "Calibration"):
//! - A deal's path is its **furthest stage so far**: entries sorted by date,
//!   an entry into a stage at or before the furthest one reached is a step
//!   back, which is noted and otherwise ignored. The time spent back there
//!   counts as time in the furthest stage, which the deal has yet to leave
//!   forward (the model has no way back).
//! - Stages between two stages entered, and before the first one entered
//!   (a deal created straight in Proposal), were passed with 0 days: entered
//!   and advanced. So every deal enters the first stage, on its first date,
//!   and counts as a lead of that month.
//! - A won deal advanced from every stage after its last entered one too.
//! - Only what was known at the as-of date counts: entries after it are
//!   dropped, a deal with none before it is not yet a deal, and a deal that
//!   closed after it is open.

use std::collections::BTreeMap;

use super::dates::Date;
use super::read::{Deals, Status};
use super::{Cell, Problem, ProblemKind};

/// One stage's counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageCount {
    /// Deals that entered the stage (skipped ones included).
    pub entered: u64,
    /// Deals that moved forward out of it (for the last stage: won).
    pub advanced: u64,
    /// Deals lost at it.
    pub lost: u64,
    /// Deals in it at the as-of date.
    pub open: u64,
    /// Days in the stage of every deal that entered it, up to the as-of date
    /// for those still there.
    pub days: u64,
    /// Each deal's stay: days and whether it left (false: still there).
    pub stays: Vec<(u32, bool)>,
}

impl StageCount {
    /// Deals that left the stage, forward or lost.
    pub fn left(&self) -> u64 {
        self.advanced + self.lost
    }
}

/// Everything counted from a file as of a date.
#[derive(Clone, Debug, PartialEq)]
pub struct Counts {
    /// The as-of date.
    pub as_of: Date,
    /// The stages in funnel order.
    pub stages: Vec<String>,
    /// Per stage, in that order.
    pub per_stage: Vec<StageCount>,
    /// Amounts of the deals won by the as-of date (only those with a
    /// positive amount), in file order.
    pub won_amounts: Vec<f64>,
    /// Deals won by the as-of date.
    pub won: u64,
    /// New deals (first-stage entries) per calendar month ([`Date::month_index`]).
    pub leads_by_month: BTreeMap<i64, u64>,
    /// The earliest first entry of any deal.
    pub first_lead: Option<Date>,
    /// Deals counted.
    pub deals: u64,
    /// Deals that went back to a stage before their furthest one.
    pub went_back: u64,
    /// Deals whose first stage entered was not the funnel's first.
    pub started_later: u64,
    /// Deals in the file not yet begun at the as-of date.
    pub after_as_of: u64,
}

/// The latest date anywhere in the file (entries and closings): the as-of
/// date by default.
pub fn latest_date(deals: &Deals) -> Option<Date> {
    deals
        .deals
        .iter()
        .flat_map(|d| {
            d.entries
                .iter()
                .map(|e| e.date.value)
                .chain(d.closed.as_ref().map(|c| c.value))
        })
        .max()
}

/// Funnel order of the stages: the caller's when given; else the order deals
/// enter them. For each pair of stages, the majority of deals that entered
/// both on different days says which comes first; stages are ranked by how
/// many others they precede (Copeland), ties by first appearance in the file
/// (for the wide layout, its column order). Returns, for each position, the
/// index into `deals.stages`.
pub fn stage_order(deals: &Deals) -> Vec<usize> {
    let n = deals.stages.len();
    if deals.stages_given {
        return (0..n).collect();
    }
    let mut before = vec![0u64; n * n];
    let mut first: Vec<Option<Date>> = vec![None; n];
    for deal in &deals.deals {
        first.iter_mut().for_each(|f| *f = None);
        for e in &deal.entries {
            let f = &mut first[e.stage];
            if f.is_none_or(|d| e.date.value < d) {
                *f = Some(e.date.value);
            }
        }
        for a in 0..n {
            let Some(da) = first[a] else { continue };
            for b in 0..n {
                if matches!(first[b], Some(db) if da < db) {
                    before[a * n + b] += 1;
                }
            }
        }
    }
    let score = |a: usize| {
        (0..n)
            .filter(|&b| before[a * n + b] > before[b * n + a])
            .count()
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&a| (std::cmp::Reverse(score(a)), a));
    order
}

/// Counts the deals as of `as_of` (default: [`latest_date`]).
pub fn count(deals: &Deals, as_of: Option<Date>) -> Result<Counts, Vec<Problem>> {
    let Some(latest) = latest_date(deals) else {
        return Err(vec![Problem::file(
            ProblemKind::Empty,
            "no dates in the file",
        )]);
    };
    let as_of = as_of.unwrap_or(latest);
    let order = stage_order(deals);
    let n = order.len();
    let mut rank = vec![0usize; n];
    for (pos, &s) in order.iter().enumerate() {
        rank[s] = pos;
    }
    let mut counts = Counts {
        as_of,
        stages: order.iter().map(|&s| deals.stages[s].clone()).collect(),
        per_stage: vec![StageCount::default(); n],
        won_amounts: Vec::new(),
        won: 0,
        leads_by_month: BTreeMap::new(),
        first_lead: None,
        deals: 0,
        went_back: 0,
        started_later: 0,
        after_as_of: 0,
    };
    let mut problems = Vec::new();
    let mut path: Vec<(usize, Date)> = Vec::new();
    let mut sorted = Vec::new();
    for deal in &deals.deals {
        let closing = matches!(deal.status.value, Status::Won | Status::Lost);
        // A deal cannot close before it entered a stage.
        if let (true, Some(closed)) = (closing, &deal.closed) {
            if let Some(late) = deal
                .entries
                .iter()
                .filter(|e| e.date.value > closed.value)
                .max_by_key(|e| e.date.value)
            {
                problems.push(Problem {
                    line: closed.cell.line,
                    column: Some(closed.cell.clone()),
                    kind: ProblemKind::LeavesBeforeEntering,
                    message: format!(
                        "deal {} closed on {}, before it entered {} on {} (line {}, column {})",
                        crate::cli::quoted(&deal.id),
                        closed.value,
                        crate::cli::quoted(&deals.stages[late.stage]),
                        late.date.value,
                        late.date.cell.line,
                        late.date.cell.column + 1
                    ),
                });
                continue;
            }
        }
        sorted.clear();
        sorted.extend(
            deal.entries
                .iter()
                .filter(|e| e.date.value <= as_of)
                .map(|e| (e.date.value, rank[e.stage])),
        );
        if sorted.is_empty() {
            counts.after_as_of += 1;
            continue;
        }
        sorted.sort_unstable();
        path.clear();
        let mut back = false;
        for &(date, r) in &sorted {
            match path.last() {
                // The same stage again is no step back (CRMs log edits as rows).
                Some(&(furthest, _)) if r <= furthest => back |= r < furthest,
                _ => path.push((r, date)),
            }
        }
        let decided = match (closing, &deal.closed) {
            (true, Some(c)) if c.value <= as_of => Some(c.value),
            (true, None) => {
                let cell = deals.layout.closed.map_or(
                    Cell {
                        line: deal.line,
                        column: deals.layout.status,
                        name: "status".into(),
                    },
                    |c| Cell {
                        line: deal.status.cell.line,
                        column: c,
                        name: "closed".into(),
                    },
                );
                problems.push(Problem {
                    line: cell.line,
                    column: Some(cell),
                    kind: ProblemKind::Missing,
                    message: format!(
                        "deal {} is {} but has no closed date",
                        crate::cli::quoted(&deal.id),
                        if deal.status.value == Status::Won {
                            "won"
                        } else {
                            "lost"
                        }
                    ),
                });
                continue;
            }
            _ => None,
        };
        counts.deals += 1;
        counts.went_back += u64::from(back);
        let (first_rank, start) = path[0];
        counts.started_later += u64::from(first_rank > 0);
        *counts
            .leads_by_month
            .entry(start.month_index())
            .or_default() += 1;
        if counts.first_lead.is_none_or(|d| start < d) {
            counts.first_lead = Some(start);
        }
        let pass = |s: &mut StageCount| {
            s.entered += 1;
            s.advanced += 1;
            s.stays.push((0, true));
        };
        for stage in &mut counts.per_stage[..first_rank] {
            pass(stage);
        }
        for (j, &(r, entered)) in path.iter().enumerate() {
            let s = &mut counts.per_stage[r];
            s.entered += 1;
            if let Some(&(next, left)) = path.get(j + 1) {
                let days = (left.0 - entered.0) as u64;
                s.advanced += 1;
                s.days += days;
                s.stays.push((days as u32, true));
                for stage in &mut counts.per_stage[r + 1..next] {
                    pass(stage);
                }
                continue;
            }
            // The furthest stage: won from it, lost at it, or still in it.
            let end = decided.unwrap_or(as_of);
            let days = (end.0 - entered.0).max(0) as u64;
            s.days += days;
            s.stays.push((days as u32, decided.is_some()));
            match (decided, deal.status.value) {
                (Some(_), Status::Won) => {
                    s.advanced += 1;
                    for stage in &mut counts.per_stage[r + 1..] {
                        pass(stage);
                    }
                    counts.won += 1;
                    if let Some(a) = deal.amount.as_ref().filter(|a| a.value > 0.0) {
                        counts.won_amounts.push(a.value);
                    }
                }
                (Some(_), _) => s.lost += 1,
                (None, _) => s.open += 1,
            }
        }
        if problems.len() >= 20 {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if counts.deals == 0 {
        return Err(vec![Problem::file(
            ProblemKind::Empty,
            format!("no deal had entered a stage by the as-of date {as_of}"),
        )]);
    }
    Ok(counts)
}
