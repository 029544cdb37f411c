//! The document around a table: what its year is when its columns do not say, and where that was read.
//! Nearest first: the table's own title rows and caption, the page's running header (a PDF's or a text's
//! page) or the sheet's name, the document's title (its first page or first lines), the file's name, and
//! last `--year` / `year =` in poikkeama.toml. Every inference keeps its evidence, so `extract --explain` can
//! show it and a wrong year can be traced to the words it came from.

use super::header::classify;
use crate::model::{Evidence, Place};

static CONFIGURED_YEAR: std::sync::OnceLock<Option<i32>> = std::sync::OnceLock::new();
static CONFIGURED_PERIOD: std::sync::OnceLock<Option<(i32, u8)>> = std::sync::OnceLock::new();

/// Sets the interim period `--period` or `period =` gives (the year and the month it ends with). Once.
pub fn install_period(period: Option<(i32, u8)>) {
    let _ = CONFIGURED_PERIOD.set(period);
}

/// The configured interim period's end, if any.
pub fn configured_period() -> Option<(i32, u8)> {
    CONFIGURED_PERIOD.get().copied().flatten()
}

/// Sets the year `--year` or `year =` in poikkeama.toml gives: the last resort for a table's year. Once, at
/// start-up.
pub fn install_year(year: Option<i32>) {
    let _ = CONFIGURED_YEAR.set(year);
}

/// The configured year, if any.
pub fn configured_year() -> Option<i32> {
    CONFIGURED_YEAR.get().copied().flatten()
}

/// A value read from the document with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred<T> {
    pub value: T,
    /// Where it was read: `the page header "Tilinpäätös 2024", page 73`.
    pub evidence: Evidence,
}

impl<T> Inferred<T> {
    pub fn new(value: T, evidence: Evidence) -> Self {
        Inferred { value, evidence }
    }
}

/// What a file says about all its tables: its title's year, its name's year, the configured year.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// The year of the document's title (first page or first lines): "Tilinpäätös 2024".
    pub title_year: Option<Inferred<i32>>,
    /// A year in the file's name: `seinajoki_tilinpaatos_2024.pdf`, `keskus_tp2024.xlsx`.
    pub file_year: Option<Inferred<i32>>,
    /// `--year` or `year =` in poikkeama.toml.
    pub configured_year: Option<Inferred<i32>>,
}

impl DocContext {
    /// The context of a file: its name's year and the configured year; the title is the reader's to add.
    pub fn for_file(shown: &str, configured: Option<i32>) -> Self {
        DocContext {
            title_year: None,
            file_year: year_in_file_name(shown)
                .map(|y| Inferred::new(y, Evidence::FileName { name: base(shown).to_string() })),
            configured_year: configured.map(|y| Inferred::new(y, Evidence::Configured)),
        }
    }

    /// The document's own year: its title's, else its name's, else the configured one.
    pub fn year(&self) -> Option<&Inferred<i32>> {
        self.title_year.as_ref().or(self.file_year.as_ref()).or(self.configured_year.as_ref())
    }

    /// Reads the title's year from the document's first lines (its title page): the first line that names
    /// a report of a year ("Tilinpäätös 2024", "Talousarvio 2025 ja taloussuunnitelma 2025–2027").
    pub fn read_title<'a>(&mut self, first_lines: impl IntoIterator<Item = (&'a str, Place)>) {
        for (text, place) in first_lines {
            if let Some(y) = report_year(text) {
                self.title_year = Some(Inferred::new(y, Evidence::DocumentTitle { text: short(text), place }));
                return;
            }
        }
    }
}

fn base(shown: &str) -> &str {
    shown.rsplit(['/', '\\']).next().unwrap_or(shown)
}

/// A text cut to its first 60 characters, spaces collapsed, for evidence.
pub fn short(text: &str) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t,
    }
}

/// Words that name a report of one year (or its parts): the year beside them is the report's.
const REPORT_WORDS: &[&str] = &[
    "TILINPÄÄTÖS",
    "TILINPÄÄTÖKSEN",
    "TILINPÄÄTÖSKIRJA",
    "TALOUSARVIO",
    "TALOUSARVION",
    "TOIMINTAKERTOMUS",
    "VUOSIKERTOMUS",
    "TILIKAUSI",
    "TILIKAUDEN",
    "TOTEUTUMISVERTAILU",
    "BOKSLUT",
    "BOKSLUTET",
    "BUDGET",
    "BUDGETEN",
    "VERKSAMHETSBERÄTTELSE",
    "ÅRSBERÄTTELSE",
    "ÅRSREDOVISNING",
    "RÄKENSKAPSPERIOD",
    "TP",
    "TA",
];

/// The year a short title line names as a report's: a report word and one year, and no other figures (a
/// sentence of prose with a year is no title). "Tilinpäätös 2024" → 2024; "Talousarvio 2025 ja
/// taloussuunnitelma 2025–2027" → 2025 (the first year after a report word).
pub fn report_year(text: &str) -> Option<i32> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 90 || t.ends_with('.') {
        return None;
    }
    let upper = t.to_uppercase();
    let words: Vec<&str> = upper.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    // Prose has many words; a title few. A line with figures other than years is a table's row.
    if words.len() > 9 || !no_figures_but_years(t) {
        return None;
    }
    let mut after_report = false;
    for w in &words {
        if REPORT_WORDS.contains(w) {
            after_report = true;
            continue;
        }
        // "TP2024", "TA2025": glued.
        if let Some(y) = w.get(2..).filter(|_| w.len() == 6 && (w.starts_with("TP") || w.starts_with("TA"))) {
            if let Some(y) = year(y) {
                return Some(y);
            }
        }
        if let Some(y) = year(w) {
            if after_report {
                return Some(y);
            }
        }
    }
    None
}

/// Does a line hold no figure but years (`2024`, `TP2024`, `2025–2027`)? A row of a table has others.
fn no_figures_but_years(text: &str) -> bool {
    let upper = text.to_uppercase();
    !upper.split(|c: char| !c.is_alphanumeric()).any(|w| {
        w.chars().any(|c| c.is_ascii_digit())
            && year(w).is_none()
            && !(w.len() == 6 && (w.starts_with("TP") || w.starts_with("TA")) && year(&w[2..]).is_some())
    })
}

fn year(w: &str) -> Option<i32> {
    let y: i32 = w.parse().ok()?;
    (w.len() == 4 && (1990..=2100).contains(&y)).then_some(y)
}

/// The one year a file's name gives (`tilinpaatos_2024`, `tp2024`, `TA-2025`); none when it gives two.
pub fn year_in_file_name(shown: &str) -> Option<i32> {
    let name = base(shown);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut found = Vec::new();
    let bytes = stem.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if let Some(y) = year(&stem[start..i]) {
                found.push(y);
            }
        } else {
            i += 1;
        }
    }
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [y] => Some(*y),
        _ => None,
    }
}

/// The year a table's title or caption gives: a title-like line that names a report or a scenario with a
/// year ("Tilinpäätös 2024", "Talousarvion toteutuminen 2024", "TP 2024").
pub fn title_year(text: &str) -> Option<i32> {
    report_year(text).or_else(|| {
        let t = text.trim();
        if t.chars().count() > 60 || t.ends_with('.') || !no_figures_but_years(t) {
            return None;
        }
        let h = classify(&t.to_uppercase());
        h.scenario.and(h.year).filter(|_| !h.percent)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_titles_give_their_year() {
        assert_eq!(report_year("Tilinpäätös 2024"), Some(2024));
        assert_eq!(report_year("TILINPÄÄTÖS 2024"), Some(2024));
        assert_eq!(report_year("Talousarvio 2025 ja taloussuunnitelma 2025–2027"), Some(2025));
        assert_eq!(report_year("Bokslut 2008"), Some(2008));
        assert_eq!(report_year("Keskus TP2024"), Some(2024));
        // Prose and lines without a report word give none.
        assert_eq!(report_year("Vuonna 2023 raportoiduista havainnoista 75 % johti toimenpiteisiin."), None);
        assert_eq!(report_year("Strategia 2030"), None);
        assert_eq!(report_year("Toteutumisvertailu"), None);
        // A row of a goal table is no title.
        assert_eq!(report_year("Emokaupungin velkamäärä 4 970 (TP2022) 4 900 5 529"), None);
        assert_eq!(title_year("Konsernin velkamäärä 9 335 (TP2022) 9 900 9179"), None);
        assert_eq!(title_year("Keskus TP 2024"), Some(2024));
    }

    #[test]
    fn file_names_give_one_year() {
        assert_eq!(year_in_file_name("../real/seinajoki_tilinpaatos_2024.pdf"), Some(2024));
        assert_eq!(year_in_file_name("inputs/kaupunginkansliakeskus_tp2024.xlsx"), Some(2024));
        assert_eq!(year_in_file_name("ta2023_tp2024.xlsx"), None);
        assert_eq!(year_in_file_name("raportti.xlsx"), None);
        assert_eq!(year_in_file_name("2024/raportti.xlsx"), None);
    }

    #[test]
    fn the_nearest_context_wins() {
        let mut c = DocContext::for_file("kertomus.pdf", Some(2023));
        assert_eq!(c.year().map(|y| y.value), Some(2023));
        let first = Place::Page { page: 1, line: 1 };
        c.read_title([("Seinäjoen kaupunki", first.clone()), ("Tilinpäätös 2024", Place::Page { page: 1, line: 2 })]);
        let y = c.year().unwrap();
        assert_eq!(y.value, 2024);
        assert_eq!(y.evidence.to_string(), "the document's title \"Tilinpäätös 2024\", page 1, line 2");
    }
}
