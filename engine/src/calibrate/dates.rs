//! Dates in a CRM export: ISO `YYYY-MM-DD`, and the numeric forms
//! `MM/DD/YYYY` and `DD.MM.YYYY`, as day numbers.
//!
//! Hand-written rather than a date crate: the engine needs only "text to a
//! day number and back" for three fixed forms (no time zones, no clock, no
//! locale), which is Howard Hinnant's `days_from_civil` and a few checks;
//! `chrono` or `time` would add a dependency (and WASM size) for that.
//!
//! A numeric date like `03/04/2025` is month first in the US and day first in
//! most of Europe. The order is one choice for the whole file ([`DateOrder`]):
//! the caller sets it, or [`Evidence`] decides it from dates that only read
//! one way (`25/03/2025`); when no date in the file tells, detection says
//! "ambiguous" rather than guessing.

use serde::{Deserialize, Serialize};

/// A calendar date as days since 1970-01-01 (negative before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date(pub i64);

/// Which comes first in a numeric date with `/` or `.`: the month or the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `MM/DD/YYYY` (US).
    MonthFirst,
    /// `DD.MM.YYYY`, `DD/MM/YYYY` (most of Europe).
    DayFirst,
}

impl DateOrder {
    /// The word the command line takes (`--date-order mdy|dmy`).
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "mdy",
            DateOrder::DayFirst => "dmy",
        }
    }

    /// `mdy` or `dmy` (any case).
    pub fn parse(text: &str) -> Option<DateOrder> {
        match text.trim().to_ascii_lowercase().as_str() {
            "mdy" | "month-first" | "us" => Some(DateOrder::MonthFirst),
            "dmy" | "day-first" | "eu" => Some(DateOrder::DayFirst),
            _ => None,
        }
    }
}

/// A date as written, before the file's [`DateOrder`] is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawDate {
    /// `YYYY-MM-DD`: its order is fixed.
    Iso {
        /// Year.
        year: i64,
        /// Month, 1..=12 (not yet checked).
        month: u32,
        /// Day, 1..=31 (not yet checked).
        day: u32,
    },
    /// `A/B/YYYY` or `A.B.YYYY`: month and day in the file's order.
    Numeric {
        /// Year.
        year: i64,
        /// The first number.
        a: u32,
        /// The second number.
        b: u32,
    },
}

/// Why a cell is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the three forms.
    Form,
    /// The form, but no such day (`2025-02-30`, month 13).
    NoSuchDay,
}

impl RawDate {
    /// Reads one of the three forms; a time after the date (`2025-03-01T10:00`,
    /// `03/01/2025 10:00 AM`), as CRM exports often add, is ignored.
    pub fn parse(text: &str) -> Result<RawDate, DateError> {
        let text = text.trim();
        let date = text.split(['T', ' ']).next().unwrap_or_default();
        let (sep, iso) = if date.contains('-') {
            ('-', true)
        } else if date.contains('/') {
            ('/', false)
        } else if date.contains('.') {
            ('.', false)
        } else {
            return Err(DateError::Form);
        };
        let mut parts = date.split(sep);
        let (Some(p1), Some(p2), Some(p3), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Form);
        };
        let num = |s: &str, min: usize, max: usize| -> Result<u32, DateError> {
            if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateError::Form);
            }
            s.parse().map_err(|_| DateError::Form)
        };
        let raw = if iso {
            RawDate::Iso {
                year: num(p1, 4, 4)? as i64,
                month: num(p2, 1, 2)?,
                day: num(p3, 1, 2)?,
            }
        } else {
            RawDate::Numeric {
                a: num(p1, 1, 2)?,
                b: num(p2, 1, 2)?,
                year: num(p3, 4, 4)? as i64,
            }
        };
        // Numbers no date can have in either order are refused at once.
        let ok = match raw {
            RawDate::Iso { month, day, .. } => (1..=12).contains(&month) && (1..=31).contains(&day),
            RawDate::Numeric { a, b, .. } => {
                (1..=31).contains(&a) && (1..=31).contains(&b) && (a <= 12 || b <= 12)
            }
        };
        if ok {
            Ok(raw)
        } else {
            Err(DateError::NoSuchDay)
        }
    }

    /// The date in `order` (ignored for ISO dates).
    pub fn resolve(self, order: DateOrder) -> Result<Date, DateError> {
        let (year, month, day) = match (self, order) {
            (RawDate::Iso { year, month, day }, _) => (year, month, day),
            (RawDate::Numeric { year, a, b }, DateOrder::MonthFirst) => (year, a, b),
            (RawDate::Numeric { year, a, b }, DateOrder::DayFirst) => (year, b, a),
        };
        Date::from_ymd(year, month, day).ok_or(DateError::NoSuchDay)
    }
}

/// What the numeric dates of a file say about their order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Some date reads only month first (its second number is above 12).
    pub month_first: bool,
    /// Some date reads only day first (its first number is above 12).
    pub day_first: bool,
    /// Some date is numeric at all.
    pub numeric: bool,
}

/// What detection concludes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    /// Every date is ISO, or the numeric ones read only one way.
    Order(DateOrder),
    /// Every numeric date reads both ways: the caller must choose.
    Ambiguous,
    /// Some dates read only month first and others only day first.
    Conflict,
}

impl Evidence {
    /// Adds one date.
    pub fn add(&mut self, raw: RawDate) {
        if let RawDate::Numeric { a, b, .. } = raw {
            self.numeric = true;
            self.month_first |= b > 12;
            self.day_first |= a > 12;
        }
    }

    /// The order these dates need.
    pub fn detect(self) -> Detected {
        match (self.numeric, self.month_first, self.day_first) {
            // Without numeric dates the order is never used.
            (false, _, _) => Detected::Order(DateOrder::MonthFirst),
            (true, true, true) => Detected::Conflict,
            (true, true, false) => Detected::Order(DateOrder::MonthFirst),
            (true, false, true) => Detected::Order(DateOrder::DayFirst),
            (true, false, false) => Detected::Ambiguous,
        }
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1..=12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if the day exists (years 1 to 9999).
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Hinnant, "chrono-Compatible Low-Level Date Algorithms": days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Year, month (1..=12) and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        // Hinnant: civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// Months since January of year 0: consecutive months differ by one.
    pub fn month_index(self) -> i64 {
        let (y, m, _) = self.ymd();
        y * 12 + m as i64 - 1
    }

    /// The first day of month `index` ([`Date::month_index`]).
    pub fn month_start(index: i64) -> Date {
        let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Date::from_ymd(y.clamp(1, 9999), m, 1).unwrap_or(Date(0))
    }

    /// Reads an ISO date only (the command line's `--as-of`).
    pub fn parse_iso(text: &str) -> Option<Date> {
        match RawDate::parse(text) {
            Ok(raw @ RawDate::Iso { .. }) if text.trim().len() == 10 => {
                raw.resolve(DateOrder::MonthFirst).ok()
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<Date> {
        RawDate::parse(text)
            .ok()?
            .resolve(DateOrder::MonthFirst)
            .ok()
    }

    #[test]
    fn day_numbers_match_known_dates() {
        assert_eq!(iso("1970-01-01"), Some(Date(0)));
        assert_eq!(iso("2000-03-01"), Some(Date(11_017)));
        assert_eq!(
            iso("2024-02-29").unwrap().0 + 1,
            iso("2024-03-01").unwrap().0
        );
        assert_eq!(
            iso("2025-02-28").unwrap().0 + 1,
            iso("2025-03-01").unwrap().0
        );
        assert_eq!(iso("1969-12-31"), Some(Date(-1)));
    }

    #[test]
    fn leap_years_and_days_that_do_not_exist() {
        assert!(iso("2024-02-29").is_some());
        assert!(iso("2000-02-29").is_some(), "divisible by 400");
        assert_eq!(iso("1900-02-29"), None, "divisible by 100 only");
        assert_eq!(iso("2025-02-29"), None);
        assert_eq!(iso("2025-02-30"), None);
        assert_eq!(iso("2025-04-31"), None);
        assert_eq!(RawDate::parse("2025-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(RawDate::parse("2025-00-10"), Err(DateError::NoSuchDay));
        assert_eq!(RawDate::parse("2025-1-1x"), Err(DateError::Form));
        assert_eq!(RawDate::parse("March 3"), Err(DateError::Form));
        assert_eq!(RawDate::parse(""), Err(DateError::Form));
        assert_eq!(RawDate::parse("25-03-01"), Err(DateError::Form));
    }

    #[test]
    fn every_day_round_trips() {
        let start = iso("1899-12-01").unwrap().0;
        for n in start..start + 200 * 366 {
            let (y, m, d) = Date(n).ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(Date(n)));
        }
    }

    #[test]
    fn numeric_dates_follow_the_order() {
        let raw = RawDate::parse("03/04/2025").unwrap();
        assert_eq!(
            raw.resolve(DateOrder::MonthFirst),
            iso("2025-03-04").ok_or(DateError::Form)
        );
        assert_eq!(
            raw.resolve(DateOrder::DayFirst),
            iso("2025-04-03").ok_or(DateError::Form)
        );
        let eu = RawDate::parse("31.01.2025 09:30").unwrap();
        assert_eq!(
            eu.resolve(DateOrder::DayFirst),
            iso("2025-01-31").ok_or(DateError::Form)
        );
        assert_eq!(eu.resolve(DateOrder::MonthFirst), Err(DateError::NoSuchDay));
        assert_eq!(
            RawDate::parse("02/30/2024")
                .unwrap()
                .resolve(DateOrder::MonthFirst),
            Err(DateError::NoSuchDay)
        );
        assert_eq!(RawDate::parse("13/13/2024"), Err(DateError::NoSuchDay));
        assert_eq!(iso("2025-03-01T10:00:00Z"), iso("2025-03-01"));
    }

    #[test]
    fn detection_says_ambiguous_rather_than_guessing() {
        let mut e = Evidence::default();
        e.add(RawDate::parse("2025-03-04").unwrap());
        assert_eq!(e.detect(), Detected::Order(DateOrder::MonthFirst));
        e.add(RawDate::parse("03/04/2025").unwrap());
        assert_eq!(e.detect(), Detected::Ambiguous);
        let mut us = e;
        us.add(RawDate::parse("03/24/2025").unwrap());
        assert_eq!(us.detect(), Detected::Order(DateOrder::MonthFirst));
        let mut eu = e;
        eu.add(RawDate::parse("24.03.2025").unwrap());
        assert_eq!(eu.detect(), Detected::Order(DateOrder::DayFirst));
        eu.add(RawDate::parse("03/24/2025").unwrap());
        assert_eq!(eu.detect(), Detected::Conflict);
    }

    #[test]
    fn months_are_consecutive() {
        let a = iso("2024-12-31").unwrap();
        let b = iso("2025-01-01").unwrap();
        assert_eq!(a.month_index() + 1, b.month_index());
        assert_eq!(Date::month_start(b.month_index()), b);
        assert_eq!(a.to_string(), "2024-12-31");
        assert_eq!(Date::parse_iso("2025-02-30"), None);
        assert_eq!(Date::parse_iso("03/04/2025"), None);
    }
}
