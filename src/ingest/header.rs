//! Reading column headers: which scenario and year a column holds, and which money unit a table uses.

use crate::model::Scenario;
use rust_decimal::Decimal;

/// What one column's header says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnHeader {
    pub scenario: Option<Scenario>,
    pub year: Option<i32>,
    /// A percent column (toteutuma-%, poikkeama %): not money, not read.
    pub percent: bool,
    /// A column for part of a year (`Toteuma 1-8/2024`, `tammi–elokuu`, `1.1.–31.8.2024`, `Utfall jan–aug`):
    /// actuals to date are never the year's actuals: read as actuals to date where it runs from January.
    pub part_of_year: bool,
    /// The months of such a column (first, last).
    pub months: Option<(u8, u8)>,
}

const MONTHS_FI: [&str; 12] =
    ["TAMMI", "HELMI", "MAALIS", "HUHTI", "TOUKO", "KESÄ", "HEINÄ", "ELO", "SYYS", "LOKA", "MARRAS", "JOULU"];
const MONTHS_SV: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAJ", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC"];

/// A month a cell names: its number (`8`, `08`) or its name in Finnish, Swedish or English, whole or cut
/// (`elokuu`, `elo`, `augusti`, `Aug`).
pub fn month_of_word(text: &str) -> Option<u8> {
    let t = text.trim().trim_end_matches('.').to_uppercase();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const EN: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    let found = |names: &[&str; 12]| names.iter().position(|m| t.starts_with(m));
    // "MAALIS" before "MAR…", "HUHTI" before nothing alike: the Finnish names first, whole.
    let m = found(&MONTHS_FI).or_else(|| (t.len() >= 3).then(|| found(&MONTHS_SV).or_else(|| found(&EN))).flatten())?;
    Some(m as u8 + 1)
}

/// Does a header name part of a year: a month range that is not January–December, or a date range that
/// does not end on 31 December?
pub fn names_part_of_year(text: &str) -> bool {
    period_months(text).is_some_and(|r| r != (1, 12))
}

/// The months a header's period covers (`Toteuma 1-8/2024`, `TOT 01–08/2024`, `tammi–elokuu 2024`,
/// `1.1.–31.8.2024`, `Utfall jan–aug 2024`): first and last, 1–12. None where it names no month range.
pub fn period_months(text: &str) -> Option<(u8, u8)> {
    let t = text.to_uppercase().replace(['–', '—', '−'], "-");
    let chars: Vec<char> = t.chars().collect();
    // "1-8/2024", "01-08/2024", "1-8 2024": month numbers around a dash, then a year.
    let number_at = |mut i: usize| -> Option<(u32, usize)> {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let n: String = chars[start..i].iter().collect();
        (i > start && i - start <= 2).then(|| n.parse().ok().map(|v| (v, i)))?
    };
    for i in 0..chars.len() {
        if i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.') {
            continue;
        }
        let Some((a, j)) = number_at(i) else { continue };
        let mut k = j;
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        if chars.get(k) != Some(&'-') {
            continue;
        }
        k += 1;
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        let Some((b, l)) = number_at(k) else { continue };
        let slash_year = chars.get(l) == Some(&'/') || chars.get(l) == Some(&' ');
        if slash_year && (1..=12).contains(&a) && (1..=12).contains(&b) && a <= b && chars.get(l) != Some(&'.') {
            return Some((a as u8, b as u8));
        }
    }
    // "1.1.-31.8.2024": from a day and month to a day and month.
    if let Some((from, to)) = t.split_once('-') {
        let dm = |s: &str| -> Option<u8> {
            let parts: Vec<&str> = s.trim().split('.').collect();
            let (d, m) = (parts.first()?.trim().parse::<u8>().ok()?, parts.get(1)?.trim().parse::<u8>().ok()?);
            ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some(m)
        };
        let from_word = from.split_whitespace().last().unwrap_or("");
        let to_word = to.split_whitespace().next().unwrap_or("");
        if let (Some(a), Some(b)) = (dm(from_word), dm(to_word)) {
            if from_word.matches('.').count() >= 2 && a <= b {
                return Some((a, b));
            }
        }
    }
    // Up to a month's end: "elokuun loppuun (mennessä)", "heinäkuun lopussa", "t.o.m. augusti", "till och med
    // augusti", "to end of August", "per 31.8.", "31.8. mennessä", "31.8.2024 asti".
    let ws: Vec<&str> = t.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let fi_month = |w: &str| MONTHS_FI.iter().position(|m| w.starts_with(m) && w.contains("KUU"));
    for (i, w) in ws.iter().enumerate() {
        let next = ws.get(i + 1).copied().unwrap_or("");
        // "ELOKUUN LOPPUUN", "ELOKUUN LOPUSSA", "ELOKUUN LOPPUUN MENNESSÄ".
        if let Some(m) = fi_month(w).filter(|_| w.ends_with("KUUN") && next.starts_with("LOP")) {
            return Some((1, m as u8 + 1));
        }
        // "T.O.M. AUGUSTI", "TOM AUGUSTI", "TILL OCH MED AUGUSTI", "END OF AUGUST".
        let after = match *w {
            "T.O.M." | "T.O.M" | "TOM" => Some(next),
            "MED" if i >= 2 && ws[i - 2] == "TILL" && ws[i - 1] == "OCH" => Some(next),
            "OF" if i >= 1 && ws[i - 1] == "END" => Some(next),
            _ => None,
        };
        if let Some(m) = after.and_then(|a| month_of_word(a).filter(|_| a.len() >= 3)) {
            return Some((1, m));
        }
        // "PER 31.8.", "31.8. MENNESSÄ", "31.8.2024 ASTI": a day and month other than 31.12.
        let day_month = |x: &str| -> Option<u8> {
            let parts: Vec<&str> = x.split('.').collect();
            if parts.len() < 3 {
                return None;
            }
            let (d, m) = (parts[0].parse::<u8>().ok()?, parts[1].parse::<u8>().ok()?);
            ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some(m)
        };
        if *w == "PER" {
            if let Some(m) = day_month(next) {
                return Some((1, m));
            }
        }
        if matches!(next, "MENNESSÄ" | "ASTI" | "SAAKKA") {
            if let Some(m) = day_month(w) {
                return Some((1, m));
            }
        }
    }
    // "TAMMI-ELOKUU", "TAMMIKUU-ELOKUU", "JAN-AUG".
    for months in [&MONTHS_FI[..], &MONTHS_SV[..]] {
        for part in t.split(|c: char| c.is_whitespace()) {
            let Some((a, b)) = part.split_once('-') else { continue };
            let month = |w: &str| months.iter().position(|m| w.starts_with(m));
            if let (Some(x), Some(y)) = (month(a), month(b)) {
                if x <= y {
                    return Some((x as u8 + 1, y as u8 + 1));
                }
            }
        }
    }
    None
}

/// Joins header fragments (cells of a multi-row header, lines of one cell) into one upper-case text,
/// mending words hyphenated across lines or cells: `TALOUSARVIO-` + `MUUTOKSET` → `TALOUSARVIOMUUTOKSET`.
pub fn join_header_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        for line in part.lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() {
                continue;
            }
            if out.ends_with('-') && !out.ends_with(" -") {
                out.pop();
            } else if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&line);
        }
    }
    // A hyphen at the end of a word inside one line ("TALOUS- SUUNNITELMA") is a break too.
    let mut mended = String::with_capacity(out.len());
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' && chars.peek() == Some(&' ') && mended.chars().last().is_some_and(char::is_alphabetic) {
            chars.next();
            continue;
        }
        mended.push(c);
    }
    mended.to_uppercase()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '%').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn year_of(word: &str) -> Option<i32> {
    let y: i32 = word.parse().ok()?;
    (word.len() == 4 && (1990..=2100).contains(&y)).then_some(y)
}

/// Classifies one column's joined header text (upper case).
pub fn classify(text: &str) -> ColumnHeader {
    let ws = words(text);
    let has = |w: &str| ws.iter().any(|x| x == w);
    let has_seq = |a: &str, b: &str| ws.windows(2).any(|p| p[0] == a && p[1] == b);
    let starts = |p: &str| ws.iter().any(|x| x.starts_with(p));
    // A period's end date names its year before any other year in the text ("Vertailussa 2023–2024 …
    // 1.1.-31.12.2024").
    let period_year =
        text.match_indices("31.12.").find_map(|(i, m)| text.get(i + m.len()..i + m.len() + 4).and_then(year_of));
    let year = period_year.or_else(|| ws.iter().find_map(|w| year_of(w))).or_else(|| {
        // "TA2024", "TP2023": a scenario abbreviation glued to its year.
        ws.iter().find_map(|w| w.get(2..).filter(|_| w.len() == 6).and_then(year_of))
    });
    let percent =
        text.contains('%') || ws.iter().any(|w| w.contains("PROSENT")) || has("PROS") || starts("TOTEUTUMISASTE");
    let glued = |p: &str| ws.iter().any(|w| w.len() == 6 && w.starts_with(p) && year_of(&w[2..]).is_some());

    let ends = |p: &str| ws.iter().any(|x| x.ends_with(p));
    // A financial year as a period, "1.1.–31.12.2024": the year-end statement's actuals.
    let full_year = text.contains("31.12") && (text.contains("1.1.") || text.contains("1.1 "));
    // A budget word beside a change word: `Bu-muutos`, `TA muutos`; with a plus, the budget after changes
    // (`Budjetti + muutos`, `Bu+muutos`, `TA + muutokset`).
    let budget_word = ["TA", "BU", "BUDJETTI", "TALOUSARVIO", "BUDGET"].iter().any(|w| has(w));
    let change_word = has("MUUTOS") || has("MUUTOKSET") || has("ÄNDRING") || has("ÄNDRINGAR");
    let scenario = if starts("YLITYSOIKE") || starts("ÖVERSKRIDNINGSRÄTT") {
        Some(Scenario::Ylitysoikeus)
    } else if (ends("ENNUSTE") || starts("ENNUSTE") || has("PROGNOS") || ends("PROGNOS") || starts("PROGNOSENS"))
        && (has("POIKKEAMA") || has("ERO") || has("EROTUS") || has("AVVIKELSE") || has("POIKK"))
    {
        // `Ennusteen poikkeama`, `Ero ennuste – TA`, `Prognosens avvikelse`: the forecast's variance, not the
        // forecast.
        Some(Scenario::EnnusteenPoikkeama)
    } else if ends("ENNUSTE") || starts("ENNUSTE") || has("PROGNOS") || ends("PROGNOS") {
        Some(Scenario::Ennuste)
    } else if ends("EHDOTUS") || starts("EHDOTUS") || has("FÖRSLAG") || ends("FÖRSLAG") {
        Some(Scenario::Ehdotus)
    } else if (budget_word && change_word && text.contains('+'))
        || has_seq("MUUTOSTEN", "JÄLKEEN")
        || has("MUUTETTU")
        || starts("MUUTOKSINEEN")
        || has_seq("EFTER", "ÄNDRINGAR")
        || has("KORRIGERAD")
        || has("ÄNDRAD")
    {
        Some(Scenario::TaMuutettu)
    } else if has("MUUTOKSET")
        || has("TALOUSARVIOMUUTOKSET")
        || has("TA-MUUTOKSET")
        || has("BUDGETÄNDRINGAR")
        || has("BUDGETÄNDRING")
        || has("TA-MUUTOS")
        || has("ÄNDRINGAR")
        || has("BUDJETTIMUUTOKSET")
        || starts("BUDJETTIMUUTOS")
        || starts("TALOUSARVIOMUUTOS")
        || (budget_word && change_word)
    {
        Some(Scenario::TaMuutokset)
    } else if has("POIKKEAMA") || has("AVVIKELSE") || has("ERO") {
        Some(Scenario::Poikkeama)
    } else if has("TALOUSSUUNNITELMA") || has("TS") || has("EKONOMIPLAN") || has("EP") || has("SUUNNITELMA") {
        Some(Scenario::Ts)
    } else if has("TILINPÄÄTÖS")
        || has("TP")
        || has("TOTEUMA")
        || has("TOTEUTUMA")
        || has("BOKSLUT")
        || has("UTFALL")
        || has("TOTEUTUNUT")
        || has("TOTEUTUNEET")
        || has("TOT")
        || has("KÄYTTÖ")
        || has("FÖRBRUKNING")
        || glued("TP")
        || full_year
    {
        Some(Scenario::Tp)
    } else if has("TALOUSARVIO")
        || has("TA")
        || has("BUDJETTI")
        || has("BUDGET")
        || has("ALKUPERÄINEN")
        || has("URSPRUNGLIG")
        || glued("TA")
    {
        Some(Scenario::Ta)
    } else {
        None
    };
    let months = period_months(text).filter(|r| *r != (1, 12));
    ColumnHeader { scenario, year, percent, part_of_year: months.is_some(), months }
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word))
}

/// The money unit a text states (`€`, `euroa`, `1 000 €`, `t€`, `milj. €`), as a factor to euros.
pub fn unit_factor(text: &str) -> Option<Decimal> {
    let t: String = text.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("milj.€")
        || t.contains("milj€")
        || t.contains("m€")
        || t.contains("miljoonaaeuroa")
        || t.contains("milj.euro")
        || t.contains("miljoonina")
        || t.contains("miljoonissa")
        || t.contains("miljonereuro")
        || has_word(text, "meur")
    {
        Some(Decimal::from(1_000_000))
    } else if t.contains("1000€")
        || t.contains("t€")
        || t.contains("1000euroa")
        || t.contains("tuhattaeuroa")
        || t.contains("tuhansina")
        || t.contains("tuhansissa")
        || t.contains("tusentalseuro")
        || t.contains("tusentaleuro")
        || has_word(text, "teur")
        || t.contains("1000eur")
        || t.contains("tuseneuro")
        || t.contains("tusentalseuro")
        || has_word(text, "tkr")
        || has_word(text, "keur")
    {
        Some(Decimal::from(1000))
    } else if t.contains('€') || t.contains("euroa") || t.contains("euro") || t == "eur" {
        Some(Decimal::ONE)
    } else {
        None
    }
}

/// The money unit a caption or note above a table states: a short text whose only figure is the unit's
/// own "1 000" (a sentence of prose that mentions "milj. euroa" beside its own figures is not a caption).
pub fn caption_factor(text: &str) -> Option<Decimal> {
    if text.chars().count() > 100 {
        return None;
    }
    let without_unit = text.replace("1 000", "").replace("1\u{a0}000", "").replace("1000", "").replace("1.000", "");
    // A year or a period with one ("2024", "1-3/2024", "31.8.2024") is no figure: a title may name it beside
    // its unit ("Talousarvion toteutuminen 1-3/2024, 1000 €").
    let has_year = |w: &str| {
        w.split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() == 4 && run.parse::<i32>().is_ok_and(|y| (1990..=2100).contains(&y)))
    };
    let without_unit: String = without_unit
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !has_year(w))
        .collect::<Vec<_>>()
        .join(" ");
    if without_unit.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    unit_factor(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(parts: &[&str]) -> ColumnHeader {
        classify(&join_header_parts(parts.iter().copied()))
    }

    #[test]
    fn parts_of_a_year() {
        for t in [
            "TOTEUMA 1-8/2024",
            "Toteuma 1–8/2024",
            "TOT 01–08/2024",
            "tammi–elokuu 2024",
            "1.1.–31.8.2024",
            "Utfall jan–aug 2024",
        ] {
            assert!(names_part_of_year(t), "{t}");
        }
        for t in [
            "Toteutuma 1-12/2024",
            "1.1.–31.12.2024",
            "TP 2024",
            "TA 2024-2025",
            "tammi–joulukuu 2024",
            "Talousarvio €",
            "Joulukuun loppuun mennessä",
            "per 31.12.2024",
            "Kuukauden loppuun",
        ] {
            assert!(!names_part_of_year(t), "{t}");
        }
        // Up to a month's end, in words.
        for (t, m) in [
            ("Käyttö elokuun loppuun mennessä", 8),
            ("toteutuneet eurot heinäkuun lopussa", 7),
            ("Utfall t.o.m. augusti 2024", 8),
            ("Utfall till och med juni", 6),
            ("Actual to end of September", 9),
            ("Toteuma per 30.4.2024", 4),
            ("Toteuma 31.8. mennessä", 8),
        ] {
            assert_eq!(period_months(t), Some((1, m)), "{t}");
        }
    }

    #[test]
    fn seed_001_headers() {
        assert_eq!(
            col(&["TALOUSARVIO\n2024"]),
            ColumnHeader {
                scenario: Some(Scenario::Ta),
                year: Some(2024),
                percent: false,
                part_of_year: false,
                months: None
            }
        );
        assert_eq!(col(&["TALOUSARVIO-\nMUUTOKSET"]).scenario, Some(Scenario::TaMuutokset));
        let after = col(&["TALOUSARVIO\n2024\nMUUTOSTEN\nJÄLKEEN"]);
        assert_eq!((after.scenario, after.year), (Some(Scenario::TaMuutettu), Some(2024)));
        assert_eq!(col(&["TILINPÄÄTÖS 2024"]).scenario, Some(Scenario::Tp));
        assert_eq!(col(&["POIKKEAMA"]).scenario, Some(Scenario::Poikkeama));
    }

    #[test]
    fn seed_003_headers() {
        let c = col(&["TALOUSARVIO 2022 muutoksineen"]);
        assert_eq!((c.scenario, c.year), (Some(Scenario::TaMuutettu), Some(2022)));
        let c = col(&["TALOUS- SUUNNITELMA 2024"]);
        assert_eq!((c.scenario, c.year), (Some(Scenario::Ts), Some(2024)));
        let c = col(&["TALOUS-", "SUUNNITELMA", "2025"]);
        assert_eq!((c.scenario, c.year), (Some(Scenario::Ts), Some(2025)));
        assert_eq!(col(&["TILINPÄÄTÖS 2021"]).year, Some(2021));
    }

    #[test]
    fn group_headers_and_swedish() {
        assert_eq!(col(&["TALOUSARVIO 2024", "ALKUPERÄINEN"]).scenario, Some(Scenario::Ta));
        assert_eq!(col(&["TALOUSARVIO 2024", "MUUTOKSET"]).scenario, Some(Scenario::TaMuutokset));
        assert_eq!(col(&["TALOUSARVIO 2024", "MUUTOSTEN JÄLKEEN"]).scenario, Some(Scenario::TaMuutettu));
        assert_eq!(col(&["Budget 2024"]).scenario, Some(Scenario::Ta));
        assert_eq!(col(&["Budgetändringar"]).scenario, Some(Scenario::TaMuutokset));
        assert_eq!(col(&["Budget efter ändringar"]).scenario, Some(Scenario::TaMuutettu));
        assert_eq!(col(&["Bokslut 2024"]).scenario, Some(Scenario::Tp));
        assert_eq!(col(&["Utfall"]).scenario, Some(Scenario::Tp));
        assert_eq!(col(&["Avvikelse"]).scenario, Some(Scenario::Poikkeama));
        assert_eq!(col(&["Ekonomiplan 2025"]).scenario, Some(Scenario::Ts));
        assert_eq!(
            col(&["TP2023"]),
            ColumnHeader {
                scenario: Some(Scenario::Tp),
                year: Some(2023),
                percent: false,
                part_of_year: false,
                months: None
            }
        );
        assert_eq!(col(&["TA 2024"]).year, Some(2024));
        assert!(col(&["Toteutuma-%"]).percent);
        assert_eq!(col(&["Kaupunginkansliakeskus"]).scenario, None);
    }

    #[test]
    fn budget_book_column_words() {
        assert_eq!(col(&["Toteutunut 2023"]).scenario, Some(Scenario::Tp));
        assert_eq!(
            col(&["Käyttö", "2021"]),
            ColumnHeader {
                scenario: Some(Scenario::Tp),
                year: Some(2021),
                percent: false,
                part_of_year: false,
                months: None
            }
        );
        assert_eq!(col(&["Förbrukning 2023"]).scenario, Some(Scenario::Tp));
        assert!(col(&["Käyttö-%"]).percent);
        assert_eq!(col(&["Ennuste 2024"]).scenario, Some(Scenario::Ennuste));
        assert_eq!(col(&["TP-ennuste 2024"]).scenario, Some(Scenario::Ennuste));
        assert_eq!(col(&["Prognos 2024"]).scenario, Some(Scenario::Ennuste));
        assert_eq!(col(&["Ehdotus", "2023"]).scenario, Some(Scenario::Ehdotus));
        assert_eq!(col(&["Talousarvioehdotus 2025"]).scenario, Some(Scenario::Ehdotus));
        assert_eq!(col(&["Förslag 2023"]).scenario, Some(Scenario::Ehdotus));
        assert_eq!(col(&["Ylitysoikeus"]).scenario, Some(Scenario::Ylitysoikeus));
        assert_eq!(col(&["Ennusteen poikkeama"]).scenario, Some(Scenario::EnnusteenPoikkeama));
        assert_eq!(col(&["Ero ennuste-TA"]).scenario, Some(Scenario::EnnusteenPoikkeama));
        assert_eq!(col(&["Prognosens avvikelse"]).scenario, Some(Scenario::EnnusteenPoikkeama));
        assert_eq!(col(&["Ennuste 2024"]).scenario, Some(Scenario::Ennuste));
        assert_eq!(col(&["Överskridningsrätt"]).scenario, Some(Scenario::Ylitysoikeus));
        assert_eq!(col(&["TA-muutokset"]).scenario, Some(Scenario::TaMuutokset));
        let period = col(&["1.1.-31.12.2018"]);
        assert_eq!((period.scenario, period.year), (Some(Scenario::Tp), Some(2018)));
        assert_eq!(col(&["Talous-", "arvio", "2022"]).scenario, Some(Scenario::Ta));
    }

    #[test]
    fn unit_factors() {
        assert_eq!(unit_factor("1 000 €"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("t€"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("(Tabellens belopp i tusen euro)"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("Tkr"), Some(Decimal::from(1000)));
        // A word that only contains the letters of a unit is none.
        assert_eq!(unit_factor("Tuloslaskelmaosan toteutumisista on laadittu oheiset taulukot"), None);
        assert_eq!(unit_factor("meur."), Some(Decimal::from(1_000_000)));
        assert_eq!(unit_factor("milj. €"), Some(Decimal::from(1_000_000)));
        assert_eq!(unit_factor("euroa"), Some(Decimal::ONE));
        assert_eq!(unit_factor("€"), Some(Decimal::ONE));
        assert_eq!(unit_factor("Kaupunginkansliakeskus"), None);
        assert_eq!(unit_factor("(Taulukon summat ilmoitettu tuhansina euroina)"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("1 000 euroa"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("1\u{a0}000 euro"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("tuhatta euroa"), Some(Decimal::from(1000)));
        assert_eq!(unit_factor("milj. euroa"), Some(Decimal::from(1_000_000)));
        assert_eq!(unit_factor("Belopp i tusental euro"), Some(Decimal::from(1000)));
        assert_eq!(caption_factor("Summat tuhansina euroina"), Some(Decimal::from(1000)));
        assert_eq!(caption_factor("Toimintakate parani 3,2 milj. euroa vuodesta 2023."), None);
    }
}
