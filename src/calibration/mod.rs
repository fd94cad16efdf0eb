//! The app's side of a calibration from a CRM export, as plain data: the
//! column mapping the user can correct, the engine's problems and results
//! in the page's words, and the calibrated funnel put into the form's
//! scenario. Every number is the engine's (`funnel_engine::calibrate`).

use funnel_engine::Scenario;
use funnel_engine::calibrate::backtest::Backtest;
use funnel_engine::calibrate::{Layout, LayoutKind, Problem};

use crate::format::{money, percent};

/// Which column is what, as the page's selects hold it (columns from 0;
/// `None`: no such column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub kind: LayoutKind,
    pub deal: Option<usize>,
    pub stage: Option<usize>,
    pub entered: Option<usize>,
    pub amount: Option<usize>,
    pub status: Option<usize>,
    pub closed: Option<usize>,
}

impl Mapping {
    /// What detection found; with no layout found, the long layout with
    /// nothing chosen, for the user to fill in.
    pub fn detected(headers: &[String]) -> (Mapping, Option<Layout>) {
        match Layout::detect(headers) {
            Ok(l) => (
                Mapping {
                    kind: l.kind,
                    deal: Some(l.deal),
                    stage: l.stage,
                    entered: l.entered,
                    amount: l.amount,
                    status: Some(l.status),
                    closed: l.closed,
                },
                Some(l),
            ),
            Err(_) => (
                Mapping {
                    kind: LayoutKind::Long,
                    deal: None,
                    stage: None,
                    entered: None,
                    amount: None,
                    status: None,
                    closed: None,
                },
                None,
            ),
        }
    }

    /// The engine's layout, or what the user still has to choose. The wide
    /// layout's stage columns are the header's `entered STAGE` columns.
    pub fn layout(&self, headers: &[String]) -> Result<Layout, String> {
        let need = |c: Option<usize>, what: &str| {
            c.filter(|&c| c < headers.len())
                .ok_or_else(|| format!("Choose the column that holds {what}."))
        };
        let deal = need(self.deal, "the deal's id")?;
        let status = need(self.status, "the status (won, lost or open)")?;
        let (stage, entered, entered_stages) = match self.kind {
            LayoutKind::Long => (
                Some(need(self.stage, "the stage")?),
                Some(need(self.entered, "the date the deal entered the stage")?),
                Vec::new(),
            ),
            LayoutKind::Wide => {
                let stages = Layout::detect(headers)
                    .ok()
                    .filter(|l| l.kind == LayoutKind::Wide)
                    .map(|l| l.entered_stages)
                    .unwrap_or_default();
                if stages.is_empty() {
                    return Err(
                        "The wide layout needs one “entered STAGE” column per stage; this header has none."
                            .into(),
                    );
                }
                (None, None, stages)
            }
        };
        Ok(Layout {
            kind: self.kind,
            deal,
            stage,
            entered,
            entered_stages,
            amount: self.amount.filter(|&c| c < headers.len()),
            status,
            closed: self.closed.filter(|&c| c < headers.len()),
        })
    }
}

/// A problem with the file in the page's words: where (line and column,
/// with the column's name) and what; the engine's `code` quotes become
/// typographic ones.
pub fn problem_words(p: &Problem) -> String {
    let at = match (&p.column, p.line) {
        (Some(c), _) if c.name.trim().is_empty() => {
            format!("Line {}, column {}: ", c.line, c.column + 1)
        }
        (Some(c), _) => format!(
            "Line {}, column {} (“{}”): ",
            c.line,
            c.column + 1,
            c.name.trim()
        ),
        (None, 0) => String::new(),
        (None, line) => format!("Line {line}: "),
    };
    let mut open = false;
    let message: String = p
        .message
        .chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open { '“' } else { '”' }
            }
            c => c,
        })
        .collect();
    let text = format!("{at}{message}");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The form's scenario with its funnel (leads, stages, deal size) taken
/// from the calibration; everything else (name, currency, horizon, target,
/// team, plans, milestones) stays.
pub fn with_funnel(current: &Scenario, calibrated: &Scenario) -> Scenario {
    Scenario {
        leads: calibrated.leads.clone(),
        stages: calibrated.stages.clone(),
        deal_size: calibrated.deal_size,
        ..current.clone()
    }
}

/// "3 March 2025" from `YYYY-MM-DD` (the text back when it does not read).
pub fn date_words(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
            _ => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ...
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The backtest in one sentence.
pub fn backtest_words(b: &Backtest, currency: &str) -> String {
    let pct = b.percentile.round().clamp(0.0, 100.0) as u64;
    let place = match pct {
        0 => "below every simulated outcome".to_string(),
        100 => "above every simulated outcome".to_string(),
        p => format!("at its {} percentile", ordinal(p)),
    };
    format!(
        "The forecast made on {} for the next {} months put the revenue actually won ({}) {place}; it expected {} to {} (P10 to P90).",
        date_words(&b.as_of),
        b.months,
        money(b.actual, currency),
        money(b.p10, currency),
        money(b.p90, currency),
    )
}

/// P10 and P90 of revenue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub p10: f64,
    pub p90: f64,
}

impl Spread {
    pub fn of(revenue: &[f64]) -> Spread {
        let sorted = funnel_engine::stats::sorted(revenue);
        Spread {
            p10: funnel_engine::stats::percentile(&sorted, 0.1),
            p90: funnel_engine::stats::percentile(&sorted, 0.9),
        }
    }

    pub fn width(&self) -> f64 {
        self.p90 - self.p10
    }
}

/// "What the data is worth": how much of the forecast's spread comes from
/// how little history there is.
pub fn worth_words(history: Spread, fixed: Spread, currency: &str) -> Vec<String> {
    let mut lines = vec![
        format!(
            "With the rates as counted (each drawn from its won-of-decided history): {} to {} (P10 to P90), a width of {}.",
            money(history.p10, currency),
            money(history.p90, currency),
            money(history.width(), currency)
        ),
        format!(
            "If the rates were known exactly: {} to {}, a width of {}.",
            money(fixed.p10, currency),
            money(fixed.p90, currency),
            money(fixed.width(), currency)
        ),
    ];
    if history.width() > 0.0 {
        let share = (1.0 - fixed.width() / history.width()).max(0.0);
        lines.push(format!(
            "So about {} of the spread comes from how little history there is; more closed deals would narrow it.",
            percent(share, 0)
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_detected_header_maps_back_to_its_layout() {
        let headers = h(&["deal_id", "stage", "entered", "amount", "status", "closed"]);
        let (m, l) = Mapping::detected(&headers);
        assert_eq!(m.layout(&headers).unwrap(), l.unwrap());
        let wide = h(&[
            "deal_id",
            "amount",
            "status",
            "closed",
            "entered Lead",
            "entered Won",
        ]);
        let (m, l) = Mapping::detected(&wide);
        assert_eq!(m.kind, LayoutKind::Wide);
        assert_eq!(m.layout(&wide).unwrap(), l.unwrap());
    }

    #[test]
    fn an_unusual_header_is_mapped_by_hand() {
        let headers = h(&["Opportunity", "Phase", "Since", "Value", "Outcome", "Close"]);
        let (mut m, l) = Mapping::detected(&headers);
        assert!(l.is_none());
        assert!(m.layout(&headers).unwrap_err().contains("deal's id"));
        m.deal = Some(0);
        m.stage = Some(1);
        m.entered = Some(2);
        m.status = Some(4);
        assert!(m.layout(&headers).is_ok());
        m.amount = Some(3);
        m.closed = Some(5);
        let l = m.layout(&headers).unwrap();
        assert_eq!(
            (l.stage, l.entered, l.amount, l.closed),
            (Some(1), Some(2), Some(3), Some(5))
        );
        // Wide needs its stage columns.
        m.kind = LayoutKind::Wide;
        assert!(m.layout(&headers).unwrap_err().contains("entered STAGE"));
    }

    #[test]
    fn the_funnel_is_replaced_and_the_rest_stays() {
        let current = crate::share::presets::default_preset().scenario();
        let mut calibrated = current.clone();
        calibrated.stages.truncate(1);
        calibrated.stages[0].name = "Counted".into();
        calibrated.leads.per_month = 1234.0;
        calibrated.deal_size.median = 7.0;
        calibrated.name = "Calibrated".into();
        calibrated.horizon_months = 1;
        calibrated.target = None;
        let merged = with_funnel(&current, &calibrated);
        assert_eq!(merged.stages, calibrated.stages);
        assert_eq!(merged.leads, calibrated.leads);
        assert_eq!(merged.deal_size, calibrated.deal_size);
        assert_eq!(merged.name, current.name);
        assert_eq!(merged.horizon_months, current.horizon_months);
        assert_eq!(merged.target, current.target);
        assert_eq!(merged.team, current.team);
        assert_eq!(merged.plans, current.plans);
    }

    #[test]
    fn words_for_dates_ordinals_and_the_backtest() {
        assert_eq!(date_words("2025-03-01"), "1 March 2025");
        assert_eq!(date_words("2025-13-01"), "2025-13-01");
        let o: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 62, 100]
            .map(ordinal)
            .into();
        assert_eq!(
            o,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "62nd", "100th"
            ]
        );
        let b = Backtest {
            as_of: "2025-03-01".into(),
            months: 3,
            p10: 100.0,
            p50: 150.0,
            p90: 200.0,
            actual: 160.0,
            percentile: 61.7,
        };
        let s = backtest_words(&b, "USD");
        assert!(s.starts_with("The forecast made on 1 March 2025"), "{s}");
        assert!(s.contains("at its 62nd percentile"), "{s}");
        let below = Backtest {
            percentile: 0.0,
            ..b
        };
        assert!(backtest_words(&below, "USD").contains("below every"));
    }

    #[test]
    fn the_spread_and_its_share_from_history() {
        let r: Vec<f64> = (0..=100).map(f64::from).collect();
        let s = Spread::of(&r);
        assert!((s.p10 - 10.0).abs() < 1e-9 && (s.p90 - 90.0).abs() < 1e-9);
        let fixed = Spread {
            p10: 30.0,
            p90: 70.0,
        };
        let lines = worth_words(s, fixed, "USD");
        assert!(lines[2].contains("50%"), "{}", lines[2]);
    }

    #[test]
    fn problems_read_with_line_and_column() {
        let text = "deal_id,stage,entered,status\nA,Lead,2024-01-01,won\nB,Lead,2024-02-30,lost\n";
        let e = funnel_engine::calibrate::read(text, &Default::default()).unwrap_err();
        let w = problem_words(&e[0]);
        assert!(w.starts_with("Line 3, column 3 (“entered”): "), "{w}");
        let text = "deal_id,stage,entered,status\nA,Lead,2024-01-01,maybe\n";
        let e = funnel_engine::calibrate::read(text, &Default::default()).unwrap_err();
        let w = problem_words(&e[0]);
        assert!(
            w.starts_with("Line 2, column 4 (“status”): “maybe” is not a status"),
            "{w}"
        );
        let e = funnel_engine::calibrate::read("", &Default::default()).unwrap_err();
        assert!(problem_words(&e[0]).starts_with("The file is empty"));
    }
}
