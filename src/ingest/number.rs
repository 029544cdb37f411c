//! Figures written the Finnish way: `-1 935 039`, `1 234,50 €`, `−12 845` (Unicode minus), with plain,
//! no-break (U+00A0) or narrow no-break (U+202F) spaces between thousands.

use rust_decimal::Decimal;
use std::str::FromStr;

/// What a text cell holds, seen as a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Nothing there: empty, only spaces, or a lone dash (the usual "nil" mark).
    Blank,
    Number(Decimal),
    NotANumber,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}')
}

/// A mark standing alone in a table's figure place for "nothing" or "not available": a dash, "…", "..",
/// "x". (A ledger's amount is never one.)
pub fn is_placeholder(t: &str) -> bool {
    matches!(t.trim(), "-" | "−" | "–" | "—" | "…" | ".." | "..." | "x" | "X")
}

/// A table's figure: [`parse_fi`], with a placeholder (`…`, `x`) standing alone read as blank.
///
/// ```
/// use poikkeama::ingest::number::{parse_figure, Parsed};
/// assert_eq!(parse_figure("…"), Parsed::Blank);
/// assert_eq!(parse_figure(" x "), Parsed::Blank);
/// ```
pub fn parse_figure(text: &str) -> Parsed {
    if is_placeholder(text.trim_matches(is_space)) {
        Parsed::Blank
    } else {
        parse_fi(text)
    }
}

/// Parses a figure in Finnish format. Thousands groups must be of three digits; the decimal mark is a
/// comma (a dot is taken as decimal mark only when the text has no comma and no digit grouping).
///
/// ```
/// use poikkeama::ingest::number::{parse_fi, Parsed};
/// use rust_decimal::Decimal;
///
/// assert_eq!(parse_fi("−1\u{a0}935\u{a0}039"), Parsed::Number(Decimal::from(-1_935_039)));
/// assert_eq!(parse_fi("1 234,50 €"), Parsed::Number(Decimal::new(123_450, 2)));
/// assert_eq!(parse_fi("-"), Parsed::Blank);
/// assert_eq!(parse_fi("-1 151 4O6"), Parsed::NotANumber);
/// ```
pub fn parse_fi(text: &str) -> Parsed {
    let t = text.trim_matches(is_space);
    if t.is_empty() || matches!(t, "-" | "−" | "–" | "—") {
        return Parsed::Blank;
    }
    let t = t.strip_suffix('€').unwrap_or(t).trim_end_matches(is_space);
    let (negative, body) = match t.chars().next() {
        Some('-' | '−' | '–') => (true, t[t.char_indices().nth(1).map_or(t.len(), |(i, _)| i)..].trim_start()),
        Some('+') => (false, t[1..].trim_start()),
        _ => match t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            Some(inner) => (true, inner.trim()),
            None => (false, t),
        },
    };
    let (int_part, frac_part) = match (body.find(','), body.find('.')) {
        (Some(_), Some(_)) => return Parsed::NotANumber,
        (Some(i), None) => (&body[..i], Some(&body[i + 1..])),
        (None, Some(i)) if !body.contains(is_space) => (&body[..i], Some(&body[i + 1..])),
        (None, Some(_)) => return Parsed::NotANumber,
        (None, None) => (body, None),
    };
    let groups: Vec<&str> = int_part.split(is_space).collect();
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let grouped_ok = groups.iter().all(|g| digits_only(g))
        && (groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    let frac_ok = frac_part.is_none_or(digits_only);
    if !grouped_ok || !frac_ok {
        return Parsed::NotANumber;
    }
    let mut plain = String::with_capacity(body.len() + 1);
    if negative {
        plain.push('-');
    }
    plain.extend(groups);
    if let Some(f) = frac_part {
        plain.push('.');
        plain.push_str(f);
    }
    match Decimal::from_str(&plain) {
        Ok(d) => Parsed::Number(d),
        Err(_) => Parsed::NotANumber,
    }
}

/// The decimal a spreadsheet float stands for. Excel keeps 15 significant digits, so the float is read
/// at 15 significant digits: a typed figure comes back as typed, and a stored formula result carrying
/// binary noise (`0.1 + 0.2` stored as 0.30000000000000004) comes back as Excel shows it (0.3).
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_scientific(&format!("{f:.14e}"))
        .ok()
        .or_else(|| Decimal::from_str(&format!("{f}")).ok())
        .map(|d| d.normalize())
}

/// Formats a decimal the Finnish way with the given thousands separator: `-1 935 039`, `1 234,5`.
pub fn format_fi(d: Decimal, sep: &str) -> String {
    let d = d.normalize();
    let s = d.abs().to_string();
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    if d.is_sign_negative() && !d.is_zero() {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn num(s: &str) -> Parsed {
        Parsed::Number(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn finnish_formats() {
        assert_eq!(parse_fi("-1 935 039"), num("-1935039"));
        assert_eq!(parse_fi("−1\u{a0}935\u{a0}039"), num("-1935039"));
        assert_eq!(parse_fi("3\u{202f}689\u{202f}886 €"), num("3689886"));
        assert_eq!(parse_fi("1 234,50"), num("1234.50"));
        assert_eq!(parse_fi("  20 500  "), num("20500"));
        assert_eq!(parse_fi("1234.5"), num("1234.5"));
        assert_eq!(parse_fi("(1 000)"), num("-1000"));
        assert_eq!(parse_fi("0"), num("0"));
        assert_eq!(parse_fi("- 5"), num("-5"));
    }

    #[test]
    fn blanks() {
        assert_eq!(parse_fi(""), Parsed::Blank);
        assert_eq!(parse_fi(" \u{a0} "), Parsed::Blank);
        assert_eq!(parse_fi("-"), Parsed::Blank);
        assert_eq!(parse_fi("–"), Parsed::Blank);
    }

    #[test]
    fn not_numbers() {
        for bad in ["-1 151 4O6", "abc", "1 15 1", "1.234,5", "1 234.5", "12,", "€", "--5", "1,2,3", "2024-01-01"] {
            assert_eq!(parse_fi(bad), Parsed::NotANumber, "{bad}");
        }
    }

    #[test]
    fn floats_become_the_typed_decimal() {
        assert_eq!(decimal_from_f64(-1935039.0), Some(Decimal::from(-1935039)));
        assert_eq!(decimal_from_f64(0.1), Some(Decimal::from_str("0.1").unwrap()));
        assert_eq!(decimal_from_f64(1234.56), Some(Decimal::from_str("1234.56").unwrap()));
        assert_eq!(decimal_from_f64(f64::NAN), None);
        // A formula's stored result with binary noise reads as Excel shows it.
        assert_eq!(decimal_from_f64(0.1 + 0.2), Some(Decimal::from_str("0.3").unwrap()));
        assert_eq!(decimal_from_f64(1234.56 * 3.0), Some(Decimal::from_str("3703.68").unwrap()));
        assert_eq!(decimal_from_f64(-3612763.4999999995), Some(Decimal::from_str("-3612763.5").unwrap()));
        assert_eq!(decimal_from_f64(123456789012345.0), Some(Decimal::from(123456789012345i64)));
        assert_eq!(decimal_from_f64(0.0), Some(Decimal::ZERO));
        assert_eq!(decimal_from_f64(1e-40), Some(Decimal::ZERO), "below the decimal's scale: zero");
    }

    #[test]
    fn formats_back() {
        assert_eq!(format_fi(Decimal::from(-1935039), " "), "-1 935 039");
        assert_eq!(format_fi(Decimal::from_str("1234.5").unwrap(), " "), "1 234,5");
        assert_eq!(format_fi(Decimal::from(500), " "), "500");
        assert_eq!(format_fi(Decimal::ZERO, " "), "0");
    }

    fn space() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(" "), Just("\u{a0}"), Just("\u{202f}")]
    }

    proptest! {
        /// Any decimal written the Finnish way parses back exactly.
        #[test]
        fn finnish_round_trip(mantissa in -10_000_000_000_000i64..10_000_000_000_000i64, scale in 0u32..4,
                              sep in space(), unicode_minus: bool, euro: bool) {
            let d = Decimal::new(mantissa, scale);
            let mut text = format_fi(d, sep);
            if unicode_minus { text = text.replacen('-', "−", 1); }
            if euro { text.push_str(" €"); }
            prop_assert_eq!(parse_fi(&text), Parsed::Number(d));
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_fi(&s);
        }
    }
}
