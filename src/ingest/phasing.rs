//! The phasing file (kausijaksotus) of an interim report: how the year's budgets spread over its months. A
//! CSV (`,` `;` or tab) with a month column and a weight column, and optionally a unit column:
//!
//! ```text
//! kuukausi;osuus
//! 1;7
//! 2;8
//! …
//! ```
//!
//! The weights are shares of the year in any scale (percentages, euros, days): each month's share is its
//! weight over the twelve months' sum. Rows with a unit give that unit (and the units under it) a phasing of
//! its own; rows without one, the common phasing. Every phasing names each month once.

use crate::error::{Error, Result};
use crate::model::{Org, Phasing};
use rust_decimal::Decimal;
use std::path::Path;

const MONTH: &[&str] = &["kuukausi", "kk", "month", "månad", "manad", "kausi", "jakso", "period"];
const WEIGHT: &[&str] =
    &["osuus", "paino", "jaksotus", "share", "weight", "andel", "vikt", "osuus %", "osuus, %", "%", "prosentti"];
const UNIT: &[&str] = &["yksikkö", "yksikko", "unit", "enhet", "toimiala", "vastuualue", "organisaatio"];

/// A phasing's months as read: each one's weight and the line that gave it.
type Months = [Option<(Decimal, usize)>; 12];

/// Reads a phasing file; units are matched to the org's names, aliases and other-language names.
pub fn load(path: &Path, org: Option<&Org>) -> Result<Phasing> {
    let shown = path.display().to_string();
    let bytes = crate::ingest::limits::read_side_file(path, "phasing file")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Config { path: shown.clone(), message: "not UTF-8 text: save the file as UTF-8".into() })?;
    parse(&text, &shown, org)
}

fn parse(text: &str, shown: &str, org: Option<&Org>) -> Result<Phasing> {
    let at = |line: usize, message: String| Error::Config { path: format!("{shown}:{line}"), message };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| first.matches(char::from(*d)).count())
        .filter(|d| first.contains(char::from(*d)))
        .ok_or_else(|| at(1, "no header of columns (expected e.g. kuukausi;osuus)".into()))?;
    let mut rd = csv::ReaderBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| at(1, format!("not a CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let find = |words: &[&str]| header.iter().position(|h| words.contains(&h.as_str()));
    let shown_header = || crate::error::quoted(&header.join(", "));
    let month_col = find(MONTH)
        .ok_or_else(|| at(1, format!("no month column (headers: {}; expected kuukausi or month)", shown_header())))?;
    let weight_col = find(WEIGHT)
        .ok_or_else(|| at(1, format!("no weight column (headers: {}; expected osuus or share)", shown_header())))?;
    let unit_col = find(UNIT);
    // Each phasing (none: the common one) with its months' weights and the line that gave each.
    let mut profiles: Vec<(Option<String>, Months)> = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| at(line, format!("not a CSV row: {e}")))?;
        let get = |k: usize| rec.get(k).unwrap_or("").trim();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let month = crate::ingest::header::month_of_word(get(month_col)).ok_or_else(|| {
            at(line, format!("{} is not a month (1–12 or a month's name)", crate::error::quoted(get(month_col))))
        })?;
        let raw = get(weight_col).trim_end_matches('%').trim();
        let weight = match crate::ingest::number::parse_fi(raw) {
            crate::ingest::number::Parsed::Number(w) => Some(w),
            _ => None,
        }
        .filter(|w| !w.is_sign_negative() && w.scale() <= 10)
        .ok_or_else(|| {
            at(line, format!("{} is not a weight (a number ≥ 0: a percentage or any share)", crate::error::quoted(raw)))
        })?;
        let unit = match unit_col.map(get).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => Some(match org {
                Some(o) => o
                    .find(u)
                    .or_else(|| o.find_fuzzy(u))
                    .map(|x| x.name.clone())
                    .ok_or_else(|| at(line, format!("{} is no unit of the org file", crate::error::quoted(u))))?,
                None => u.split_whitespace().collect::<Vec<_>>().join(" "),
            }),
        };
        let k = match profiles.iter().position(|(u, _)| *u == unit) {
            Some(k) => k,
            None => {
                profiles.push((unit.clone(), [None; 12]));
                profiles.len() - 1
            }
        };
        let slot = &mut profiles[k].1[usize::from(month) - 1];
        if let Some((_, before)) = slot {
            return Err(at(line, format!("month {month} is given twice for {} (first on line {before})", who(&unit))));
        }
        *slot = Some((weight, line));
    }
    let mut out = Phasing { from: shown.to_string(), ..Default::default() };
    for (unit, months) in profiles {
        let missing: Vec<String> =
            months.iter().enumerate().filter(|(_, m)| m.is_none()).map(|(i, _)| (i + 1).to_string()).collect();
        if !missing.is_empty() {
            return Err(Error::Config {
                path: shown.to_string(),
                message: format!(
                    "{}: no weight for month {} (each of the 12 months needs one)",
                    who(&unit),
                    missing.join(", ")
                ),
            });
        }
        let weights = months.map(|m| m.map(|(w, _)| w).unwrap_or_default());
        if weights.iter().try_fold(Decimal::ZERO, |a, w| a.checked_add(*w)).is_none_or(|s| s.is_zero()) {
            return Err(Error::Config {
                path: shown.to_string(),
                message: format!("{}: the weights sum to zero or past the exact range", who(&unit)),
            });
        }
        match unit {
            None => out.common = Some(weights),
            Some(u) => out.units.push((u, weights)),
        }
    }
    if out.common.is_none() && out.units.is_empty() {
        return Err(Error::Config { path: shown.to_string(), message: "no rows: a month and a weight per row".into() });
    }
    Ok(out)
}

fn who(unit: &Option<String>) -> String {
    match unit {
        Some(u) => format!("unit {}", crate::error::quoted(u)),
        None => "the common phasing".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(weights: &str) -> String {
        let mut s = String::from("kuukausi;osuus\n");
        for (i, w) in weights.split(',').enumerate() {
            s.push_str(&format!("{};{w}\n", i + 1));
        }
        s
    }

    #[test]
    fn shares_are_weights_over_the_year_exactly() {
        // Summer months light: 9 × 9 + 3 × 3 = 90.
        let p = parse(&year("9,9,9,9,9,3,3,3,9,9,9,9"), "j.csv", None).unwrap();
        let (share, by) = p.share("Any", 8, None).unwrap();
        // 5 × 9 + 3 × 3 = 54 of 90 = 0.6 (against 8/12 = 0.667 by months).
        assert_eq!((share, by), (Decimal::new(6, 1), None));
        assert_eq!(p.share("Any", 12, None).unwrap().0, Decimal::ONE);
    }

    #[test]
    fn a_unit_takes_its_own_else_its_ancestors_else_the_common_phasing() {
        let org = Org::parse(
            "[[unit]]\nname = \"Sivistys\"\n[[unit]]\nname = \"Koulut\"\nparent = \"Sivistys\"\n[[unit]]\nname = \"Tekninen\"\n",
        )
        .unwrap();
        let mut text = year("1,1,1,1,1,1,1,1,1,1,1,1");
        text = text.replace("kuukausi;osuus", "kuukausi;osuus;yksikkö").replace('\n', ";\n").replacen(";\n", "\n", 1);
        for m in 1..=12 {
            text.push_str(&format!("{m};{};sivistys\n", if m <= 6 { 2 } else { 1 }));
        }
        let p = parse(&text, "j.csv", Some(&org)).unwrap();
        // Sivistys: 2 × 6 + 1 × 2 = 14 of 18 by August.
        let (s, by) = p.share("Koulut", 8, Some(&org)).unwrap();
        assert_eq!((s, by), (Decimal::from(14) / Decimal::from(18), Some("Sivistys")));
        assert_eq!(p.share("Tekninen", 6, Some(&org)).unwrap(), (Decimal::new(5, 1), None));
    }

    #[test]
    fn refusals_name_the_line_and_what_is_wrong() {
        let err = |t: &str| parse(t, "j.csv", None).unwrap_err().to_string();
        assert!(
            err("kuukausi;osuus\n1;5\n1;6\n").contains("j.csv:3: month 1 is given twice"),
            "{}",
            err("kuukausi;osuus\n1;5\n1;6\n")
        );
        assert!(err("kuukausi;osuus\n13;5\n").contains("j.csv:2: \"13\" is not a month"));
        assert!(err("kuukausi;osuus\n1;-5\n").contains("is not a weight"));
        assert!(err("kuukausi;osuus\n1;5\n2;5\n").contains("no weight for month 3, 4, 5"));
        assert!(err("kk;x\n1;5\n").contains("no weight column"));
        assert!(err(&year("0,0,0,0,0,0,0,0,0,0,0,0")).contains("sum to zero"));
        // Month names and percentages read.
        let p = parse("month,share\ntammikuu,10 %\nhelmi,10\nMar,10\napril,10\nmaj,5\njun,5\njuly,5\naug,5\nsyyskuu,10\nokt,10\nnov,10\ndec,10\n", "j.csv", None).unwrap();
        assert_eq!(p.share("x", 4, None).unwrap().0, Decimal::new(4, 1));
    }
}
