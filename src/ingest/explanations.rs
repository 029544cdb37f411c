//! The finance office's explanations of variances (perustelut) from a file: CSV (comma or semicolon, a
//! header row in Finnish, Swedish or English) or TOML (`[[explanation]]` entries). Each names a unit, a line
//! item (its id or any label the scheme knows), a year and the text; units resolve through the org file as
//! table titles do.

use super::label::{match_label, LabelMatch};
use crate::error::{Error, Result};
use crate::model::{Explanation, LineItem, Org};
use serde::Deserialize;
use std::path::Path;

/// Header words of each field, folded to lower case.
const UNIT: &[&str] = &["yksikkö", "yksikko", "unit", "enhet", "toimiala", "vastuualue"];
const LINE: &[&str] = &["rivi", "line_item", "line item", "line", "rad", "tili"];
const YEAR: &[&str] = &["vuosi", "year", "år", "ar"];
const TEXT: &[&str] = &["perustelu", "perustelut", "selitys", "motivering", "explanation", "text", "teksti"];
const LANG: &[&str] = &["kieli", "språk", "sprak", "lang", "language"];

/// Reads an explanations file: `.toml` as TOML, anything else as CSV.
pub fn load(path: &Path, org: Option<&Org>) -> Result<Vec<Explanation>> {
    let shown = path.display().to_string();
    let bad = |message: String| Error::Config { path: shown.clone(), message };
    let bytes = crate::ingest::limits::read_side_file(path, "explanations file")?;
    let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text: save the file as UTF-8".into()))?;
    let raw = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
        from_toml(&text).map_err(bad)?
    } else {
        from_csv(&text).map_err(bad)?
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    for r in raw {
        let place = format!("{shown}:{}", r.line);
        let line_item = match line_item(&r.line_item) {
            Some(li) => li,
            None => {
                errors.push(Error::Config {
                    path: place,
                    message: format!(
                        "\"{}\" is not a line item (an id such as toimintakate, or a row label)",
                        r.line_item
                    ),
                });
                continue;
            }
        };
        let unit = org
            .and_then(|o| o.find(&r.unit).or_else(|| o.find_fuzzy(&r.unit)))
            .map_or_else(|| r.unit.split_whitespace().collect::<Vec<_>>().join(" "), |u| u.name.clone());
        let lang = match r.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => match language(l) {
                Some(code) => Some(code.to_string()),
                None => {
                    errors.push(Error::Config {
                        path: place,
                        message: format!("language \"{l}\" is none of fi, sv, en (suomi, svenska, english)"),
                    });
                    continue;
                }
            },
        };
        out.push(Explanation { unit, line_item, year: r.year, text: r.text, source: place, lang });
    }
    match Error::from_list(errors) {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

#[derive(Debug)]
struct Raw {
    line: usize,
    unit: String,
    line_item: String,
    year: i32,
    text: String,
    lang: Option<String>,
}

/// A language's code from how a file names it.
fn language(l: &str) -> Option<&'static str> {
    match l.to_lowercase().as_str() {
        "fi" | "fin" | "suomi" | "finnish" | "finska" => Some("fi"),
        "sv" | "swe" | "ruotsi" | "svenska" | "swedish" => Some("sv"),
        "en" | "eng" | "englanti" | "engelska" | "english" => Some("en"),
        _ => None,
    }
}

fn line_item(s: &str) -> Option<LineItem> {
    let s = s.trim();
    if let Some(li) = LineItem::all().find(|li| li.id() == s) {
        return Some(li);
    }
    match match_label(s, None) {
        LabelMatch::Exact(li) => Some(li),
        _ => None,
    }
}

fn from_csv(text: &str) -> std::result::Result<Vec<Raw>, String> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut rd = csv::ReaderBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> =
        rd.headers().map_err(|e| format!("line 1: {e}"))?.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |words: &[&str], what: &str| {
        header.iter().position(|h| words.contains(&h.as_str())).ok_or_else(|| {
            format!(
                "line 1: no {what} column (headers: {}; expected e.g. yksikkö, rivi, vuosi, perustelu)",
                header.join(", ")
            )
        })
    };
    let (u, l, y, t) = (find(UNIT, "unit")?, find(LINE, "line item")?, find(YEAR, "year")?, find(TEXT, "text")?);
    let lang_col = header.iter().position(|h| LANG.contains(&h.as_str()));
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let get = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let year = get(y).parse::<i32>().map_err(|_| format!("line {line}: year \"{}\" is not a year", get(y)))?;
        if get(t).is_empty() {
            return Err(format!("line {line}: the explanation text is empty"));
        }
        out.push(Raw { line, unit: get(u), line_item: get(l), year, text: get(t), lang: lang_col.map(get) });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    explanation: Vec<TomlEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlEntry {
    unit: String,
    line_item: String,
    year: i32,
    text: String,
    #[serde(default)]
    lang: Option<String>,
}

fn from_toml(text: &str) -> std::result::Result<Vec<Raw>, String> {
    let file: TomlFile = toml::from_str(text).map_err(|e| crate::error::toml_message(text, &e))?;
    Ok(file
        .explanation
        .into_iter()
        .enumerate()
        .map(|(i, e)| Raw {
            line: i + 1,
            unit: e.unit,
            line_item: e.line_item,
            year: e.year,
            text: e.text.trim().to_string(),
            lang: e.lang,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;

    #[test]
    fn csv_with_finnish_headers_and_semicolons() {
        let raw =
            from_csv("Yksikkö;Rivi;Vuosi;Perustelu\nKeskus;Palvelujen ostot;2024;\"Hankinnat siirtyivät; osa 2025\"\n")
                .unwrap();
        assert_eq!(raw.len(), 1);
        assert_eq!((raw[0].line, raw[0].year, raw[0].text.as_str()), (2, 2024, "Hankinnat siirtyivät; osa 2025"));
        assert_eq!(line_item(&raw[0].line_item), Some(LineItem::new(Item::PALVELUJEN_OSTOT)));
        assert_eq!(line_item("toimintakate"), Some(LineItem::new(Item::TOIMINTAKATE)));
        assert!(from_csv("unit,year,text\nK,2024,x\n").unwrap_err().contains("no line item column"));
        assert!(from_csv("unit,line_item,year,text\nK,toimintakate,2O24,x\n").unwrap_err().starts_with("line 2:"));
    }
}
