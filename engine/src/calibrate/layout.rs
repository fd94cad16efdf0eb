//! Which column is what: the header row of a CRM export, read as one of
//! MODEL.md's two layouts (long: a row per stage a deal entered; wide: a row
//! per deal with an `entered STAGE` column per stage).
//!
//! Header names match without regard to case, spaces and quotes (MODEL.md),
//! and, in this project's reading, underscores and dashes too, so that
//! `Deal ID`, `"deal_id"` and `deal-id` are the same column. A byte-order
//! mark before the first name (Excel's UTF-8 CSV) is ignored.

use serde::{Deserialize, Serialize};

/// One row per stage a deal entered, or one row per deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// `deal_id, stage, entered` (+ deal columns), a row per stage entered.
    Long,
    /// `deal_id` + deal columns + `entered STAGE` per stage, a row per deal.
    Wide,
}

/// A stage's own column in the wide layout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageColumn {
    /// The stage's name as the header writes it (`entered Proposal`: `Proposal`).
    pub stage: String,
    /// Its column, from 0.
    pub column: usize,
}

/// What each column holds; columns from 0. Detected by [`Layout::detect`];
/// the app may build or correct one (its column mapping) and read with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// Long or wide.
    pub kind: LayoutKind,
    /// The deal's id (`deal_id`).
    pub deal: usize,
    /// Long only: the stage entered (`stage`).
    pub stage: Option<usize>,
    /// Long only: the date it was entered (`entered`).
    pub entered: Option<usize>,
    /// Wide only: one `entered STAGE` column per stage, in the file's order.
    pub entered_stages: Vec<StageColumn>,
    /// The deal's value (`amount`); needed for won deals.
    pub amount: Option<usize>,
    /// `won`, `lost` or `open` (`status`).
    pub status: usize,
    /// When a won or lost deal closed (`closed`); needed for those.
    pub closed: Option<usize>,
}

/// A header name with case, spaces, quotes, underscores and dashes taken out.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '"' | '\''
                        | '`'
                        | '_'
                        | '-'
                        | '\u{feff}'
                        | '\u{2018}'
                        | '\u{2019}'
                        | '\u{201c}'
                        | '\u{201d}'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The stage named by an `entered STAGE` (or `date entered STAGE`) header.
fn entered_stage(name: &str) -> Option<String> {
    let trimmed = name.trim_start_matches('\u{feff}').trim();
    let lower = trimmed.to_lowercase();
    let rest = lower
        .strip_prefix("date entered")
        .or_else(|| lower.strip_prefix("date_entered"))
        .or_else(|| lower.strip_prefix("entered"))?;
    if !rest.starts_with([' ', '_', '-', ':']) {
        return None;
    }
    // Same length in bytes: lower-casing ASCII prefixes keeps offsets, and a
    // header whose case folding changes its length is not one of ours.
    if lower.len() != trimmed.len() {
        return None;
    }
    let stage = trimmed[trimmed.len() - rest.len()..].trim_matches(|c: char| {
        c.is_whitespace() || "_-:\"'`\u{2018}\u{2019}\u{201c}\u{201d}".contains(c)
    });
    (!stage.is_empty()).then(|| stage.to_string())
}

/// What is missing from a header that is neither layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoLayout {
    /// The columns a layout needs that the header lacks, by their names.
    pub missing: Vec<&'static str>,
}

impl Layout {
    /// The layout of a header row: long when it has `stage` and `entered`,
    /// else wide when it has `entered STAGE` columns. Both need `deal_id`
    /// and `status`.
    pub fn detect(headers: &[String]) -> Result<Layout, NoLayout> {
        let find = |want: &str| headers.iter().position(|h| normalize(h) == want);
        let deal = find("dealid");
        let status = find("status");
        let stage = find("stage");
        let entered = find("entered");
        let entered_stages: Vec<StageColumn> = headers
            .iter()
            .enumerate()
            .filter_map(|(column, h)| entered_stage(h).map(|stage| StageColumn { stage, column }))
            .collect();
        let kind = if stage.is_some() && entered.is_some() {
            LayoutKind::Long
        } else if !entered_stages.is_empty() {
            LayoutKind::Wide
        } else {
            let mut missing = Vec::new();
            if deal.is_none() {
                missing.push("deal_id");
            }
            if status.is_none() {
                missing.push("status");
            }
            if stage.is_none() {
                missing.push("stage");
            }
            if entered.is_none() {
                missing.push("entered");
            }
            return Err(NoLayout { missing });
        };
        match (deal, status) {
            (Some(deal), Some(status)) => Ok(Layout {
                kind,
                deal,
                stage: stage.filter(|_| kind == LayoutKind::Long),
                entered: entered.filter(|_| kind == LayoutKind::Long),
                entered_stages: if kind == LayoutKind::Wide {
                    entered_stages
                } else {
                    Vec::new()
                },
                amount: find("amount"),
                status,
                closed: find("closed"),
            }),
            _ => Err(NoLayout {
                missing: [("deal_id", deal), ("status", status)]
                    .into_iter()
                    .filter(|(_, c)| c.is_none())
                    .map(|(n, _)| n)
                    .collect(),
            }),
        }
    }

    /// The date columns this layout reads.
    pub fn date_columns(&self) -> Vec<usize> {
        let mut cols: Vec<usize> = self.entered.into_iter().chain(self.closed).collect();
        cols.extend(self.entered_stages.iter().map(|s| s.column));
        cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_match_without_case_spaces_and_quotes() {
        assert_eq!(normalize(" \"Deal ID\" "), "dealid");
        assert_eq!(normalize("deal_id"), "dealid");
        assert_eq!(normalize("\u{feff}DEAL-ID"), "dealid");
        let l = Layout::detect(&headers(&[
            "\u{feff}Deal ID",
            "Stage",
            "'Entered'",
            "Amount",
            "STATUS",
            "closed",
            "owner",
        ]))
        .unwrap();
        assert_eq!(l.kind, LayoutKind::Long);
        assert_eq!(
            (l.deal, l.stage, l.entered, l.amount, l.status, l.closed),
            (0, Some(1), Some(2), Some(3), 4, Some(5))
        );
    }

    #[test]
    fn wide_headers_name_their_stages() {
        let l = Layout::detect(&headers(&[
            "deal_id",
            "amount",
            "status",
            "closed",
            "entered Lead",
            "Entered  Proposal ",
            "Date entered \"Negotiation\"",
            "enteredx",
        ]))
        .unwrap();
        assert_eq!(l.kind, LayoutKind::Wide);
        let names: Vec<_> = l
            .entered_stages
            .iter()
            .map(|s| (s.stage.as_str(), s.column))
            .collect();
        assert_eq!(names, [("Lead", 4), ("Proposal", 5), ("Negotiation", 6)]);
    }

    #[test]
    fn an_unknown_header_says_what_is_missing() {
        let e = Layout::detect(&headers(&["id", "name", "value"])).unwrap_err();
        assert_eq!(e.missing, ["deal_id", "status", "stage", "entered"]);
        let e = Layout::detect(&headers(&["deal", "stage", "entered", "status"])).unwrap_err();
        assert_eq!(e.missing, ["deal_id"]);
    }
}
