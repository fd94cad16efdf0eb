//! What a month of the horizon is called on a chart: its number ("M3",
//! "Month 3") until the scenario says when the forecast starts, then its
//! calendar month ("Mar"), January after the first marked with the year of
//! the forecast it opens ("Jan Y2"), so that a year end reads as one.

use crate::form::month_short;
use funnel_engine::scenario::MONTH_NAMES;

/// Calendar month (0 = January) and year of the forecast (from 1) of month
/// `month` (from 1) of a horizon starting in `start` (1..=12).
fn calendar(month: usize, start: u32) -> (usize, usize) {
    let from_january = start.clamp(1, 12) as usize - 1 + month.saturating_sub(1);
    (from_january % 12, from_january / 12 + 1)
}

/// The axis label of month `month` (from 1): "M3", or "Mar", "Jan Y2".
pub fn axis_label(month: usize, start: Option<u32>) -> String {
    match start {
        None => format!("M{month}"),
        Some(start) => {
            let (c, year) = calendar(month, start);
            if c == 0 && month > 1 {
                format!("{} Y{year}", month_short(c))
            } else {
                month_short(c).to_owned()
            }
        }
    }
}

/// The label without a year mark: "M3", or "Mar" (also for a January).
pub fn short_label(month: usize, start: Option<u32>) -> String {
    match start {
        None => format!("M{month}"),
        Some(s) => month_short(calendar(month, s).0).to_owned(),
    }
}

/// Labels for the months shown on an axis, in order: each month's
/// [`axis_label`], and the first month shown of each later year of the
/// forecast marked with its year, so that a year end shows when labels skip
/// months (every other month: "Dec", "Feb Y2", "Apr").
pub fn axis_labels(shown: &[usize], start: Option<u32>) -> Vec<String> {
    let Some(s) = start else {
        return shown.iter().map(|&m| axis_label(m, None)).collect();
    };
    let mut year_shown = 0;
    shown
        .iter()
        .map(|&m| {
            let (c, year) = calendar(m, s);
            let marked = year > 1 && year != year_shown;
            year_shown = year;
            if marked {
                format!("{} Y{year}", month_short(c))
            } else {
                axis_label(m, start)
            }
        })
        .collect()
}

/// The month in words, for tables and readouts: "Month 3", or
/// "Month 3 (March)", "Month 14 (February, year 2)".
pub fn month_words(month: usize, start: Option<u32>) -> String {
    match start {
        None => format!("Month {month}"),
        Some(start) => {
            let (c, year) = calendar(month, start);
            if year > 1 {
                format!("Month {month} ({}, year {year})", MONTH_NAMES[c])
            } else {
                format!("Month {month} ({})", MONTH_NAMES[c])
            }
        }
    }
}

/// The most characters an axis label of these months takes.
pub fn widest_label(last_month: usize, start: Option<u32>) -> usize {
    match start {
        None => format!("M{last_month}").len(),
        Some(_) if last_month > 12 || start != Some(1) && last_month > 1 => "Jan Y2".len(),
        Some(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_until_a_start_month_is_set() {
        assert_eq!(axis_label(3, None), "M3");
        assert_eq!(month_words(3, None), "Month 3");
    }

    #[test]
    fn calendar_months_cross_the_year_end_as_one() {
        let labels: Vec<String> = (1..=4).map(|m| axis_label(m, Some(11))).collect();
        assert_eq!(labels, ["Nov", "Dec", "Jan Y2", "Feb"]);
        assert_eq!(axis_label(1, Some(1)), "Jan");
        assert_eq!(axis_label(13, Some(1)), "Jan Y2");
        assert_eq!(axis_label(25, Some(1)), "Jan Y3");
        assert_eq!(month_words(1, Some(9)), "Month 1 (September)");
        assert_eq!(month_words(6, Some(9)), "Month 6 (February, year 2)");
        // Out of range start months are clamped, never panic.
        assert_eq!(axis_label(1, Some(0)), "Jan");
        assert_eq!(axis_label(1, Some(99)), "Dec");
    }

    #[test]
    fn skipped_year_ends_still_show() {
        assert_eq!(
            axis_labels(&[2, 4, 6, 8, 10, 12, 14], Some(11)),
            ["Dec", "Feb Y2", "Apr", "Jun", "Aug", "Oct", "Dec"]
        );
        assert_eq!(axis_labels(&[1, 2, 3], Some(11)), ["Nov", "Dec", "Jan Y2"]);
        assert_eq!(axis_labels(&[6, 12], None), ["M6", "M12"]);
        assert_eq!(short_label(3, Some(11)), "Jan");
        assert_eq!(short_label(3, None), "M3");
    }

    #[test]
    fn widest_label_counts_the_year_marker() {
        assert_eq!(widest_label(12, None), 3);
        assert_eq!(widest_label(12, Some(1)), 3);
        assert_eq!(widest_label(12, Some(5)), 6);
        assert_eq!(widest_label(1, Some(5)), 3);
    }
}
