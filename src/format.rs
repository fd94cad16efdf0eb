//! Human-readable number formatting for the UI and the charts.
//!
//! All functions are total: non-finite input renders as an en dash ("–"),
//! negative zero never shows a minus sign, and huge values keep all digits.

/// What non-finite numbers render as.
pub const MISSING: &str = "–";

/// Where a currency's symbol goes.
enum Symbol<'a> {
    /// Symbol before the number: "$1,234".
    Prefix(&'static str),
    /// Code after the number: "1,234 CHF".
    Suffix(&'a str),
    /// No currency at all (empty code): "1,234".
    None,
}

fn symbol(currency: &str) -> Symbol<'_> {
    let code = currency.trim();
    match code.to_ascii_uppercase().as_str() {
        "" => Symbol::None,
        "USD" | "$" => Symbol::Prefix("$"),
        "EUR" | "€" => Symbol::Prefix("€"),
        "GBP" | "£" => Symbol::Prefix("£"),
        "JPY" | "¥" => Symbol::Prefix("¥"),
        _ => Symbol::Suffix(code),
    }
}

/// Put the sign, symbol and number magnitude together.
fn with_currency(negative: bool, magnitude: &str, currency: &str) -> String {
    let sign = if negative { "-" } else { "" };
    match symbol(currency) {
        Symbol::Prefix(s) => format!("{sign}{s}{magnitude}"),
        Symbol::Suffix(code) => format!("{sign}{magnitude} {code}"),
        Symbol::None => format!("{sign}{magnitude}"),
    }
}

/// Insert thousands separators into a string of ASCII digits.
fn group_digits(digits: &str) -> String {
    let len = digits.len();
    let head = match len % 3 {
        0 => 3.min(len),
        r => r,
    };
    let mut out = String::with_capacity(len + len / 3);
    out.push_str(&digits[..head]);
    let mut rest = &digits[head..];
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(3.min(rest.len()));
        out.push(',');
        out.push_str(chunk);
        rest = tail;
    }
    out
}

/// Round half away from zero and return (is_negative, grouped magnitude).
/// A value that rounds to zero is never negative.
fn rounded_grouped(x: f64) -> (bool, String) {
    let r = x.round();
    let negative = r < 0.0;
    // `{:.0}` on an already-integral finite value prints every digit.
    let digits = format!("{:.0}", r.abs());
    (negative, group_digits(&digits))
}

/// Full money amount rounded to whole units: "$4,912,169", "€1,234",
/// "1,234 CHF", "-$1,234".
pub fn money(x: f64, currency: &str) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let (negative, magnitude) = rounded_grouped(x);
    with_currency(negative, &magnitude, currency)
}

/// Compact magnitude without sign or currency: "4.9M", "830K", "950".
/// Values below 10 of a unit keep one decimal (dropped when it is ".0"),
/// larger ones are whole, so results have 2–3 significant digits.
pub fn compact_number(x: f64) -> String {
    money_compact(x, "")
}

/// Returns (nonzero, text) for a non-negative finite value.
fn compact_magnitude(a: f64) -> (bool, String) {
    const UNITS: [(&str, f64); 4] = [("K", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12)];
    let whole = a.round();
    if whole < 1000.0 {
        return (whole > 0.0, format!("{whole:.0}"));
    }
    for (i, &(suffix, unit)) in UNITS.iter().enumerate() {
        let v = a / unit;
        let last = i + 1 == UNITS.len();
        let one_decimal = (v * 10.0).round() / 10.0;
        if one_decimal < 10.0 {
            let text = format!("{one_decimal:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
            return (true, format!("{text}{suffix}"));
        }
        let rounded = v.round();
        if rounded < 1000.0 || last {
            let digits = format!("{rounded:.0}");
            return (true, format!("{}{suffix}", group_digits(&digits)));
        }
    }
    // The loop always returns at the last unit; this keeps the function total.
    (true, group_digits(&format!("{whole:.0}")))
}

/// Compact money: "$4.9M", "$830K", "$1.2B", "$950", "-$2.5K", "4.9M CHF".
pub fn money_compact(x: f64, currency: &str) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let (nonzero, magnitude) = compact_magnitude(x.abs());
    let negative = nonzero && x < 0.0;
    with_currency(negative, &magnitude, currency)
}

/// A share 0..1 as a percentage: `percent(0.4213, 1)` = "42.1%".
/// `digits` is capped at 6.
pub fn percent(p: f64, digits: usize) -> String {
    if !p.is_finite() {
        return MISSING.to_string();
    }
    let digits = digits.min(6);
    let scale = 10f64.powi(digits as i32);
    let v = (p * 100.0 * scale).round() / scale;
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0.0%"
    format!("{v:.digits$}%")
}

/// A count rounded to a whole number with separators: "1,234".
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let (negative, magnitude) = rounded_grouped(x);
    if negative {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

/// A number of deals, whole: "8 deals", "1 deal", "under 1 deal".
pub fn deals(x: f64) -> String {
    let n = deal_count(x);
    let unit = if n == "1" || n == UNDER_ONE {
        "deal"
    } else {
        "deals"
    };
    format!("{n} {unit}")
}

/// An average number of deals in a sentence: "about 8 deals", "under 1 deal".
pub fn about_deals(x: f64) -> String {
    if deal_count(x) == UNDER_ONE {
        deals(x)
    } else {
        format!("about {}", deals(x))
    }
}

/// What an average of some deals, but fewer than half a deal, reads as.
const UNDER_ONE: &str = "under 1";

/// A number of deals without the unit. Deals come whole, so averages are
/// rounded ("7.9" reads "8"); one that would round to 0 but is not says so.
pub fn deal_count(x: f64) -> String {
    if x.is_finite() && x > 0.0 && x < 0.5 {
        UNDER_ONE.to_owned()
    } else {
        count(x)
    }
}

/// Money with an explicit sign: "+$1,234", "-$1,234", "$0". A gain too small
/// to show (it rounds to "$0") gets no sign, nor does a dash.
pub fn signed_money(x: f64, currency: &str) -> String {
    plus_if_shown(x, money(x, currency), &money(0.0, currency))
}

/// [`signed_money`] in compact form: "+$753K", "-$20K", "$0".
pub fn signed_money_compact(x: f64, currency: &str) -> String {
    plus_if_shown(x, money_compact(x, currency), &money_compact(0.0, currency))
}

/// "+" before `text` (`x` as shown) when `x` is a gain that shows as more
/// than `zero`; a minus comes with the number itself.
fn plus_if_shown(x: f64, text: String, zero: &str) -> String {
    if x.is_finite() && x > 0.0 && text != zero {
        format!("+{text}")
    } else {
        text
    }
}

/// A change in a share as signed percentage points, short for charts:
/// 0.062 → "+6.2 pts", -0.153 → "-15 pts", tiny changes → "0 pts".
pub fn signed_points(share: f64) -> String {
    points_with_unit(share, "pts", "pts")
}

/// The same in words for sentences: 0.2 → "+20 points", -0.01 → "-1 point".
pub fn signed_points_words(share: f64) -> String {
    points_with_unit(share, "point", "points")
}

/// Points to one decimal below 10 and whole from 10 up (a tenth of a point
/// is noise at that size), signed, with `one` or `many` after the number.
fn points_with_unit(share: f64, one: &str, many: &str) -> String {
    let v = share * 100.0;
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let r = if v.abs() >= 9.95 {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    };
    let text = format!("{:.1}", r.abs());
    let text = text.strip_suffix(".0").unwrap_or(&text);
    let sign = if r > 0.0 {
        "+"
    } else if r < 0.0 {
        "-"
    } else {
        ""
    };
    let unit = if text == "1" { one } else { many };
    format!("{sign}{text} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_usd_and_symbols() {
        assert_eq!(money(4_912_169.0, "USD"), "$4,912,169");
        assert_eq!(money(4_912_168.6, "USD"), "$4,912,169");
        assert_eq!(money(1234.0, "EUR"), "€1,234");
        assert_eq!(money(1234.0, "GBP"), "£1,234");
        assert_eq!(money(1234.0, "JPY"), "¥1,234");
        assert_eq!(money(1234.0, "usd"), "$1,234");
        assert_eq!(money(1234.0, " eur "), "€1,234");
    }

    #[test]
    fn money_other_codes_suffix() {
        assert_eq!(money(1234.0, "CHF"), "1,234 CHF");
        assert_eq!(money(-1234.0, "CHF"), "-1,234 CHF");
        assert_eq!(money(1234.0, ""), "1,234");
    }

    #[test]
    fn money_small_and_negative() {
        assert_eq!(money(0.0, "USD"), "$0");
        assert_eq!(money(-0.0, "USD"), "$0");
        assert_eq!(money(-0.4, "USD"), "$0");
        assert_eq!(money(0.5, "USD"), "$1");
        assert_eq!(money(999.0, "USD"), "$999");
        assert_eq!(money(1000.0, "USD"), "$1,000");
        assert_eq!(money(-1234.0, "USD"), "-$1,234");
        assert_eq!(money(-1234.5, "USD"), "-$1,235");
        assert_eq!(money(100_000.0, "USD"), "$100,000");
        assert_eq!(money(1_000_000_000.0, "USD"), "$1,000,000,000");
    }

    #[test]
    fn money_huge_values_keep_digits() {
        assert_eq!(money(1e20, "USD"), "$100,000,000,000,000,000,000");
        assert!(money(f64::MAX, "USD").starts_with("$179,769,313"));
    }

    #[test]
    fn non_finite_is_dash() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(money(x, "USD"), "–");
            assert_eq!(money_compact(x, "USD"), "–");
            assert_eq!(percent(x, 1), "–");
            assert_eq!(count(x), "–");
            assert_eq!(compact_number(x), "–");
        }
    }

    #[test]
    fn compact_examples() {
        assert_eq!(money_compact(4_912_169.0, "USD"), "$4.9M");
        assert_eq!(money_compact(830_000.0, "USD"), "$830K");
        assert_eq!(money_compact(1_200_000_000.0, "USD"), "$1.2B");
        assert_eq!(money_compact(950.0, "USD"), "$950");
        assert_eq!(money_compact(45_300_000.0, "USD"), "$45M");
        assert_eq!(money_compact(2_500.0, "USD"), "$2.5K");
        assert_eq!(money_compact(3e12, "USD"), "$3T");
        assert_eq!(money_compact(4.9e15, "USD"), "$4,900T");
    }

    #[test]
    fn compact_drops_trailing_zero_decimal() {
        assert_eq!(money_compact(2_000_000.0, "USD"), "$2M");
        assert_eq!(money_compact(1_000.0, "USD"), "$1K");
        assert_eq!(money_compact(0.0, "USD"), "$0");
    }

    #[test]
    fn compact_rounding_crosses_units() {
        assert_eq!(money_compact(999.4, "USD"), "$999");
        assert_eq!(money_compact(999.6, "USD"), "$1K");
        assert_eq!(money_compact(9_960.0, "USD"), "$10K");
        assert_eq!(money_compact(999_600.0, "USD"), "$1M");
        assert_eq!(money_compact(9_999_999.0, "USD"), "$10M");
        assert_eq!(money_compact(999_999_999.0, "USD"), "$1B");
    }

    #[test]
    fn compact_negative_and_codes() {
        assert_eq!(money_compact(-2_500.0, "USD"), "-$2.5K");
        assert_eq!(money_compact(-0.3, "USD"), "$0");
        assert_eq!(money_compact(4_912_169.0, "CHF"), "4.9M CHF");
        assert_eq!(money_compact(4_912_169.0, "EUR"), "€4.9M");
        assert_eq!(money_compact(830_000.0, "GBP"), "£830K");
        assert_eq!(money_compact(-830_000.0, "SEK"), "-830K SEK");
        assert_eq!(compact_number(-4_912_169.0), "-4.9M");
        assert_eq!(compact_number(12.0), "12");
    }

    #[test]
    fn percent_examples() {
        assert_eq!(percent(0.4213, 1), "42.1%");
        assert_eq!(percent(0.4213, 0), "42%");
        assert_eq!(percent(0.4213, 2), "42.13%");
        assert_eq!(percent(1.0, 1), "100.0%");
        assert_eq!(percent(0.0, 1), "0.0%");
        assert_eq!(percent(-0.00001, 1), "0.0%");
        assert_eq!(percent(-0.25, 0), "-25%");
        assert_eq!(percent(0.0005, 1), "0.1%");
        assert_eq!(percent(1.5, 0), "150%");
        assert_eq!(percent(0.5, 99), "50.000000%");
    }

    #[test]
    fn count_examples() {
        assert_eq!(count(1234.0), "1,234");
        assert_eq!(count(1234.4), "1,234");
        assert_eq!(count(1234.5), "1,235");
        assert_eq!(count(0.0), "0");
        assert_eq!(count(-0.2), "0");
        assert_eq!(count(-1234.0), "-1,234");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1_000_000.0), "1,000,000");
        assert_eq!(count(12.0), "12");
    }

    #[test]
    fn grouping() {
        assert_eq!(group_digits(""), "");
        assert_eq!(group_digits("1"), "1");
        assert_eq!(group_digits("123"), "123");
        assert_eq!(group_digits("1234"), "1,234");
        assert_eq!(group_digits("123456"), "123,456");
        assert_eq!(group_digits("1234567"), "1,234,567");
    }

    #[test]
    fn deal_counts() {
        assert_eq!(deals(1.0), "1 deal");
        assert_eq!(deals(2.44), "2 deals");
        assert_eq!(deals(1234.4), "1,234 deals");
        assert_eq!(deal_count(3.0), "3");
        assert_eq!(deal_count(7.9), "8");
        assert_eq!(deal_count(0.0), "0");
        assert_eq!(deal_count(0.3), "under 1");
        assert_eq!(deals(0.3), "under 1 deal");
        assert_eq!(deals(0.6), "1 deal");
        assert_eq!(about_deals(7.9), "about 8 deals");
        assert_eq!(about_deals(0.2), "under 1 deal");
    }
    #[test]
    fn signed_money_full_and_compact() {
        assert_eq!(signed_money(1234.4, "USD"), "+$1,234");
        assert_eq!(signed_money(-1234.4, "USD"), "-$1,234");
        assert_eq!(signed_money(0.2, "USD"), "$0");
        assert_eq!(signed_money(0.5, "USD"), "+$1");
        assert_eq!(signed_money(1234.0, "CHF"), "+1,234 CHF");
        assert_eq!(signed_money_compact(753_000.0, "USD"), "+$753K");
        assert_eq!(signed_money_compact(-20_000.0, "USD"), "-$20K");
        assert_eq!(signed_money_compact(0.0, "USD"), "$0");
        assert_eq!(signed_money_compact(0.2, "USD"), "$0");
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(signed_money(x, "USD"), "–");
            assert_eq!(signed_money_compact(x, "USD"), "–");
        }
    }

    #[test]
    fn signed_points_short_and_in_words() {
        assert_eq!(signed_points(0.062), "+6.2 pts");
        assert_eq!(signed_points(0.05), "+5 pts");
        assert_eq!(signed_points(0.01), "+1 pts");
        assert_eq!(signed_points(-0.153), "-15 pts");
        assert_eq!(signed_points(0.0001), "0 pts");
        assert_eq!(signed_points(f64::NAN), "–");
        assert_eq!(signed_points_words(0.2), "+20 points");
        assert_eq!(signed_points_words(0.062), "+6.2 points");
        assert_eq!(signed_points_words(-0.004), "-0.4 points");
        assert_eq!(signed_points_words(-0.01), "-1 point");
        assert_eq!(signed_points_words(0.0), "0 points");
        assert_eq!(signed_points_words(f64::INFINITY), "–");
    }
}
