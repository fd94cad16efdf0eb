//! Numbers as people type them (`1,200`, `30%`, `$12,000`) and back as the
//! shortest text that reads back to the same value.

/// A number as people type it, cleaned for `parse`: `1,200`, ` 30 `, `+2`,
/// and with `percent`, `30%`.
fn clean_number(text: &str, percent: bool) -> Option<String> {
    let mut t = text.trim();
    if percent {
        t = t.strip_suffix('%').unwrap_or(t).trim_end();
    }
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    Some(cleaned)
}

/// A number as people type it: `1,200`, ` 30 `, `+2`, and with
/// `percent`, `30%`. Not `NaN` or `inf`.
pub fn parse_number(text: &str, percent: bool) -> Option<f64> {
    match clean_number(text, percent)?.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => None,
    }
}

/// A percentage as the rate it means, read in one rounding: "45.02" is the
/// decimal 0.4502 (dividing the double 45.02 by 100 would give 0.45020000000000004).
pub fn parse_percent(text: &str) -> Option<f64> {
    let cleaned = clean_number(text, true)?;
    let shifted = match cleaned.find(['e', 'E']) {
        None => format!("{cleaned}e-2"),
        Some(i) => {
            let exponent: i32 = cleaned[i + 1..].parse().ok()?;
            format!("{}e{}", &cleaned[..i], exponent.checked_sub(2)?)
        }
    };
    match shifted.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => None,
    }
}

/// An amount of money: a number, optionally with a currency sign or code.
pub fn parse_money(text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .trim_start_matches(|c: char| matches!(c, '$' | '€' | '£' | '¥') || c.is_ascii_alphabetic())
        .trim_end_matches(|c: char| matches!(c, '$' | '€' | '£' | '¥') || c.is_ascii_alphabetic())
        .to_owned();
    parse_number(&t, false)
}

/// A whole number >= 0: `12`, `1,000`, `12.0`.
pub fn parse_whole(text: &str) -> Option<u64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if let Ok(n) = cleaned.parse::<u64>() {
        return Some(n);
    }
    match parse_number(&cleaned, false) {
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x < 9.0e15 => Some(x as u64),
        _ => None,
    }
}

/// A number as the shortest text that reads back to the same value.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    format!("{x}")
}

/// A rate as the shortest percent text that `parse_percent` reads back to
/// the same rate: 0.3 -> "30", 0.015 -> "1.5", 0.4502 -> "45.02".
pub fn pct(rate: f64) -> String {
    if rate == 0.0 || !rate.is_finite() {
        return "0".into();
    }
    // Rust prints the shortest decimal that reads back exactly, never in
    // exponent form; moving its point two places keeps it exact.
    let text = format!("{rate}");
    let (sign, digits) = match text.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let int = format!("{int}{}", &frac[..2]);
    let int = int.trim_start_matches('0');
    let frac = frac[2..].trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

pub(super) fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

pub const MSG_CONFIDENCE: &str = "Enter a percentage above 0 and below 100, e.g. 80";

/// The required confidence, typed in percent: "80" -> 0.8.
pub fn parse_confidence(text: &str) -> Result<f64, String> {
    match parse_number(text, true) {
        Some(x) if x > 0.0 && x < 100.0 => {
            parse_percent(text).ok_or_else(|| MSG_CONFIDENCE.to_string())
        }
        _ => Err(MSG_CONFIDENCE.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_type_numbers_loosely() {
        assert_eq!(parse_number(" 1,200 ", false), Some(1200.0));
        assert_eq!(parse_number("30 %", true), Some(30.0));
        assert_eq!(parse_number("30%", false), None);
        assert_eq!(parse_number("NaN", false), None);
        assert_eq!(parse_number("inf", false), None);
        assert_eq!(parse_number("", false), None);
        assert_eq!(parse_money("$12,000"), Some(12000.0));
        assert_eq!(parse_money("12000 USD"), Some(12000.0));
        assert_eq!(parse_whole("1,000"), Some(1000));
        assert_eq!(parse_whole("12.0"), Some(12));
        assert_eq!(parse_whole("12.5"), None);
        assert_eq!(parse_whole("18446744073709551615"), Some(u64::MAX));
    }

    #[test]
    fn awkward_rates_read_back_exactly() {
        for rate in [
            0.3,
            0.07,
            0.123456789,
            1.0 / 3.0,
            0.92,
            0.0,
            1.0,
            0.015,
            1e-9,
            -0.5,
        ] {
            let text = pct(rate);
            assert_eq!(parse_percent(&text).unwrap(), rate, "{rate} -> {text}");
        }
        assert_eq!(pct(0.3), "30");
        assert_eq!(pct(0.015), "1.5");
        assert_eq!(pct(0.4502), "45.02");
        assert_eq!(pct(1e-9), "0.0000001");
        assert_eq!(pct(-0.5), "-50");
        assert_eq!(pct(2.0), "200");
        assert_eq!(parse_percent("45.02"), Some(0.4502));
        assert_eq!(parse_percent("4502e-2 %"), Some(0.4502));
        assert_eq!(parse_percent("1e400"), None);
    }
}
