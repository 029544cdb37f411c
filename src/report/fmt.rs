//! Formatting figures for readers: Finnish style with no-break spaces between thousands, a true minus
//! sign (−) and a decimal comma (`−1 935 039`, `8,4 %`); English keeps the spaces and uses a point.

use crate::ingest::number::format_fi;
use rust_decimal::Decimal;

pub const NBSP: &str = "\u{a0}";

/// A reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "fi" | "suomi" | "finnish" => Some(Lang::Fi),
            "sv" | "svenska" | "swedish" => Some(Lang::Sv),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

/// Whole euros: `−1 935 039` (rounded half away from zero to whole euros for display only).
///
/// ```
/// use poikkeama::report::fmt::{euros, percent, Lang};
/// use rust_decimal::Decimal;
///
/// assert_eq!(euros(Decimal::from(-1_935_039)), "−1\u{a0}935\u{a0}039");
/// assert_eq!(percent(8.37, Lang::Fi), "8,4\u{a0}%");
/// ```
pub fn euros(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format_fi(r, NBSP).replacen('-', "−", 1)
}

/// A signed euro amount, `+` shown for gains: `+330 071`, `−18 671`.
pub fn signed_euros(d: Decimal) -> String {
    let s = euros(d);
    if d > Decimal::ZERO {
        format!("+{s}")
    } else {
        s
    }
}

/// Euros in the reader's style: `330 072 €` (fi, sv), `€330,072` (en); a true minus sign before either.
///
/// ```
/// use poikkeama::report::fmt::{money, signed_money, Lang};
/// use rust_decimal::Decimal;
///
/// assert_eq!(money(Decimal::from(-18_671), Lang::Fi), "−18\u{a0}671\u{a0}€");
/// assert_eq!(signed_money(Decimal::from(330_072), Lang::En), "+€330,072");
/// assert_eq!(signed_money(Decimal::from(-18_671), Lang::En), "−€18,671");
/// ```
pub fn money(d: Decimal, lang: Lang) -> String {
    money_with(euros(d.abs()), d.round_dp(0), lang)
}

/// [`money`] to the cent where the amount has cents (a ledger's reconciliation): `−5 900,50 €`, `−€5,900.50`.
///
/// ```
/// use poikkeama::report::fmt::{money_cents, Lang};
/// use rust_decimal::Decimal;
///
/// assert_eq!(money_cents(Decimal::new(-590050, 2), Lang::Fi), "−5\u{a0}900,50\u{a0}€");
/// assert_eq!(money_cents(Decimal::new(-590050, 2), Lang::En), "−€5,900.50");
/// assert_eq!(money_cents(Decimal::from(120), Lang::Fi), "120\u{a0}€");
/// ```
pub fn money_cents(d: Decimal, lang: Lang) -> String {
    if d.fract().is_zero() {
        return money(d, lang);
    }
    let cents = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format_fi(cents.abs(), NBSP);
    let text = match text.split_once(',') {
        Some((i, f)) => format!("{i},{f:0<2}"),
        None => text,
    };
    let text = match lang {
        Lang::En => text.replace(',', ".").replace(NBSP, ","),
        Lang::Fi | Lang::Sv => text,
    };
    money_with(text, cents, lang)
}

/// Digits already in the reader's style, with the sign of `d` and the currency placed for `lang`.
fn money_with(digits: String, d: Decimal, lang: Lang) -> String {
    let minus = if d.is_sign_negative() && !d.is_zero() { "−" } else { "" };
    match lang {
        Lang::En => format!("{minus}€{}", digits.replace(NBSP, ",")),
        Lang::Fi | Lang::Sv => format!("{minus}{digits}{NBSP}€"),
    }
}

/// A table's figure (the column says €): `−1 935 039` (fi, sv), `−1,935,039` (en).
pub fn number(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::En => euros(d).replace(NBSP, ","),
        Lang::Fi | Lang::Sv => euros(d),
    }
}

/// [`number`] with `+` before a gain.
pub fn signed_number(d: Decimal, lang: Lang) -> String {
    let s = number(d, lang);
    if d.round_dp(0) > Decimal::ZERO {
        format!("+{s}")
    } else {
        s
    }
}

/// [`money`] with `+` before a gain.
pub fn signed_money(d: Decimal, lang: Lang) -> String {
    let s = money(d, lang);
    if d.round_dp(0) > Decimal::ZERO {
        format!("+{s}")
    } else {
        s
    }
}

/// One decimal and a percent sign: `8,4 %` (fi, sv), `8.4 %` (en).
pub fn percent(p: f64, lang: Lang) -> String {
    let s = format!("{:.1}", p);
    // A share that rounds to zero has no sign (never "−0,0 %").
    let s = if s == "-0.0" { "0.0".to_string() } else { s };
    let s = if lang == Lang::En { s } else { s.replace('.', ",") };
    format!("{}{NBSP}%", s.replacen('-', "−", 1))
}

/// A percent with its sign, as a variance reads: `+8,4 %`, `−6,2 %`.
pub fn signed_percent(p: f64, lang: Lang) -> String {
    let s = percent(p, lang);
    if p > 0.0 && !s.starts_with("0,0") && !s.starts_with("0.0") {
        format!("+{s}")
    } else {
        s
    }
}

/// Escapes text for XML and HTML (element text and attribute values).
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Escapes text from inputs for Markdown: table pipes, leading heading marks, emphasis and link syntax.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_figures() {
        assert_eq!(euros(Decimal::from(3612763)), "3\u{a0}612\u{a0}763");
        assert_eq!(euros(Decimal::from(-1935039)), "−1\u{a0}935\u{a0}039");
        assert_eq!(signed_euros(Decimal::from(330071)), "+330\u{a0}071");
        assert_eq!(euros(Decimal::new(-5, 1)), "−1");
        assert_eq!(percent(8.37, Lang::Fi), "8,4\u{a0}%");
        assert_eq!(percent(-6.21, Lang::En), "−6.2\u{a0}%");
        // A share that rounds to zero has no sign.
        assert_eq!(percent(-0.04, Lang::Fi), "0,0\u{a0}%");
        assert_eq!(signed_percent(-0.04, Lang::Fi), "0,0\u{a0}%");
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(md_escape("# A|B"), "\\# A\\|B");
        assert_eq!(md_escape("Talous- ja henkilöstöpalvelut"), "Talous- ja henkilöstöpalvelut");
        assert_eq!(md_escape("[x](y)"), "\\[x\\](y)");
    }
}
