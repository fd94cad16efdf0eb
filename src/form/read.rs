//! Reading the form's text fields into numbers, collecting one
//! `FieldError` per field that does not read.

use funnel_engine::FieldError;

use super::numbers::{parse_money, parse_number, parse_percent, parse_whole};

/// Collects errors while reading fields.
pub(super) struct Errors<'a>(pub(super) &'a mut Vec<FieldError>);

impl Errors<'_> {
    pub(super) fn number(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        self.read(parse_number(text, false), path, message, ok)
    }

    pub(super) fn money(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        self.read(parse_money(text), path, message, ok)
    }

    /// A percentage, returned as a rate (30 -> 0.30). `ok` judges it in
    /// percent. The rate is read in one rounding, and a rate too large to
    /// write in percent (1e307 is 1e309 %) is judged as the infinite percent
    /// it is rather than refused as no number, so every rate a link carries
    /// loads back as itself.
    pub(super) fn percent(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        let rate = parse_percent(text);
        self.read(rate.map(|r| r * 100.0), path, message, ok)?;
        rate
    }

    pub(super) fn whole(
        &mut self,
        text: &str,
        path: &str,
        message: &str,
        ok: impl Fn(u64) -> bool,
    ) -> Option<u64> {
        match parse_whole(text) {
            Some(n) if ok(n) => Some(n),
            _ => {
                self.0.push(FieldError::new(path, message));
                None
            }
        }
    }

    pub(super) fn read(
        &mut self,
        value: Option<f64>,
        path: &str,
        message: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        match value {
            Some(x) if ok(x) => Some(x),
            _ => {
                self.0.push(FieldError::new(path, message));
                None
            }
        }
    }
}
