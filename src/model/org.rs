//! The organisation: units in a tree of any depth, read from an org file in TOML.
//!
//! ```toml
//! name = "Loviisan kaupunki"
//! [[unit]]
//! name = "Kaupunginkansliakeskus"
//! binding = ["toimintakate"]
//! aliases = ["Stadskansliecentralen"]
//! [[unit]]
//! name = "Kaupunginkansliapalvelut"
//! parent = "Kaupunginkansliakeskus"
//! ```

use super::{fold_name, LineItem};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFile {
    name: Option<String>,
    /// The name of the municipality's total over several roots (`false`: none).
    total: Option<TotalName>,
    #[serde(default, rename = "unit")]
    units: Vec<UnitEntry>,
}

/// The org file's `total`: a name for the municipality's total, or `false` for none.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TotalName {
    Name(String),
    On(bool),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    name: String,
    parent: Option<String>,
    #[serde(default)]
    binding: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    name_sv: Option<String>,
    name_en: Option<String>,
    /// Cost centers (kustannuspaikat) of a ledger that belong to the unit: codes and ranges ("1101-1199").
    #[serde(default)]
    codes: Vec<String>,
}

/// A cost-center code, an inclusive range of numeric codes, or a range of codes that share a prefix and
/// run over their digits (`KP100-KP199`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codes {
    One(String),
    Range(u64, u64),
    Prefixed { prefix: String, lo: u64, hi: u64 },
}

/// A code's leading non-digits and its trailing number (`KP100` → `KP`, 100).
fn split_prefix(code: &str) -> Option<(&str, u64)> {
    let at = code.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = code.split_at(at);
    (!prefix.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| Some((prefix, digits.parse().ok()?)))?
}

impl Codes {
    fn parse(text: &str) -> std::result::Result<Codes, String> {
        let t = text.trim();
        if let Some((a, b)) = t.split_once('-') {
            let (a, b) = (a.trim(), b.trim());
            let backwards = || format!("\"{t}\": the range runs backwards");
            if let (Ok(lo), Ok(hi)) = (a.parse::<u64>(), b.parse::<u64>()) {
                return if lo > hi { Err(backwards()) } else { Ok(Codes::Range(lo, hi)) };
            }
            // Codes with a common prefix: KP100-KP199.
            if let (Some((pa, lo)), Some((pb, hi))) = (split_prefix(a), split_prefix(b)) {
                if pa == pb {
                    return if lo > hi { Err(backwards()) } else { Ok(Codes::Prefixed { prefix: pa.into(), lo, hi }) };
                }
            }
            // A code that has a hyphen in it (K-01) is one code; numbers on one side only are a mistake.
            if a.is_empty()
                || b.is_empty()
                || a.parse::<u64>().is_ok()
                || b.parse::<u64>().is_ok() && split_prefix(a).is_some()
            {
                return Err(format!(
                    "\"{t}\" is not a code range (numbers \"1101-1199\", or codes with one prefix \"KP100-KP199\")"
                ));
            }
        }
        if t.is_empty() {
            return Err("an empty cost-center code".into());
        }
        Ok(Codes::One(t.to_string()))
    }

    pub fn contains(&self, code: &str) -> bool {
        match self {
            Codes::One(c) => c == code,
            Codes::Range(lo, hi) => code.parse::<u64>().is_ok_and(|n| (*lo..=*hi).contains(&n)),
            Codes::Prefixed { prefix, lo, hi } => {
                split_prefix(code).is_some_and(|(p, n)| p == prefix && (*lo..=*hi).contains(&n))
            }
        }
    }
}

/// A cost-center code or range that two units claim: the same code, the same range, or ranges that overlap
/// without one holding the other (a range inside another is the more specific claim and wins). Each is an error
/// naming both units: a row would otherwise go to one of them by the order of the file.
fn claimed_twice(units: &[Unit]) -> std::result::Result<(), String> {
    // Every claim: its unit, its text, and its span (numbers of one prefix, "" for plain numbers).
    let mut ones: HashMap<&str, &str> = HashMap::new();
    let mut spans: Vec<(&str, &str, u64, u64, &str)> = Vec::new();
    for u in units {
        for c in &u.codes {
            match c {
                Codes::One(code) => {
                    if let Some(other) = ones.insert(code.as_str(), u.name.as_str()).filter(|o| *o != u.name) {
                        return Err(format!(
                            "cost-center code \"{code}\" is claimed by both \"{other}\" and \"{}\"",
                            u.name
                        ));
                    }
                }
                Codes::Range(lo, hi) => spans.push(("", &u.name, *lo, *hi, "")),
                Codes::Prefixed { prefix, lo, hi } => spans.push((prefix, &u.name, *lo, *hi, prefix)),
            }
        }
    }
    // Nested ranges are compared pairwise: bounded so that a file of ranges inside ranges stays quick.
    if spans.len() > 10_000 {
        return Err(format!("{} code ranges: more than the 10 000 an org file may have", spans.len()));
    }
    spans.sort_by(|a, b| (a.0, a.2, std::cmp::Reverse(a.3)).cmp(&(b.0, b.2, std::cmp::Reverse(b.3))));
    // Sorted by start (the wider first): a range overlaps a later one of its prefix that starts inside it; the
    // later one must end inside it too (nested), and not be the same range of another unit.
    for (k, a) in spans.iter().enumerate() {
        for b in spans[k + 1..].iter().take_while(|b| b.0 == a.0 && b.2 <= a.3) {
            if a.1 == b.1 {
                continue;
            }
            let show = |s: &(&str, &str, u64, u64, &str)| format!("{}{}-{}{}", s.4, s.2, s.4, s.3);
            if (a.2, a.3) == (b.2, b.3) || b.3 > a.3 {
                return Err(format!(
                    "cost-center codes {} of \"{}\" and {} of \"{}\" overlap: a code in both would go to one by the \
                     order of the file; give each code to one unit (a range inside another is allowed: the narrower \
                     wins)",
                    show(a),
                    a.1,
                    show(b),
                    b.1
                ));
            }
        }
    }
    Ok(())
}

/// Words before a unit's name that say what kind of unit it is (folded).
const UNIT_KINDS: [&str; 16] = [
    "tulosalue",
    "tulosalueet",
    "vastuualue",
    "palvelualue",
    "tulosyksikkö",
    "vastuuyksikkö",
    "toimiala",
    "palvelukeskus",
    "tilivelvollinen",
    "resultatområde",
    "ansvarsområde",
    "serviceområde",
    "resultatenhet",
    "ansvarsenhet",
    "sektor",
    "servicecentral",
];

/// A folded name without a leading code of digits ("100 vaalit" → "vaalit").
fn strip_code(name: &str) -> &str {
    match name.split_once(' ') {
        Some((code, rest)) if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit() || c == '.') => rest.trim(),
        _ => name,
    }
}

/// One unit of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    pub parent: Option<String>,
    pub binding: Vec<LineItem>,
    pub aliases: Vec<String>,
    /// The Swedish and English names: matched like aliases, and used for report text in that language.
    pub name_sv: Option<String>,
    pub name_en: Option<String>,
    /// The ledger's cost centers that belong to the unit.
    pub codes: Vec<Codes>,
}

impl Unit {
    /// The unit's name in a language (fi, sv, en), the Finnish name where none is given.
    pub fn name_in(&self, lang: &str) -> &str {
        match lang {
            "sv" => self.name_sv.as_deref().unwrap_or(&self.name),
            "en" => self.name_en.as_deref().unwrap_or(&self.name),
            _ => &self.name,
        }
    }
}

/// The organisation tree. Units keep the order of the file; [`Org::tree_order`] gives depth-first order.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub name: Option<String>,
    pub units: Vec<Unit>,
    /// The municipality's total added over the file's several roots (its name), if one was.
    pub total: Option<String>,
    /// Folded name or alias → index into `units`.
    lookup: HashMap<String, usize>,
}

impl Org {
    /// Reads and checks an org file.
    pub fn load(path: &Path) -> Result<Org> {
        let text = crate::ingest::limits::read_side_text(path, "org file")?;
        Org::parse(&text).map_err(|message| Error::Org { path: path.display().to_string(), message })
    }

    /// The unit a ledger's cost center belongs to: exact codes first, then the narrowest range.
    pub fn unit_of_code(&self, code: &str) -> Option<&Unit> {
        let exact = self.units.iter().find(|u| u.codes.iter().any(|c| matches!(c, Codes::One(x) if x == code)));
        exact.or_else(|| {
            self.units
                .iter()
                .filter_map(|u| {
                    u.codes.iter().find_map(|c| match c {
                        Codes::Range(lo, hi) | Codes::Prefixed { lo, hi, .. } if c.contains(code) => Some((hi - lo, u)),
                        _ => None,
                    })
                })
                .min_by_key(|(w, _)| *w)
                .map(|(_, u)| u)
        })
    }

    /// Parses org TOML; the error is a message for the user.
    ///
    /// ```
    /// use poikkeama::model::Org;
    ///
    /// let org = Org::parse(
    ///     "[[unit]]\nname = \"Keskus\"\nbinding = [\"toimintakate\"]\n\
    ///      [[unit]]\nname = \"Palvelut\"\nparent = \"keskus\"\n",
    /// )
    /// .unwrap();
    /// assert_eq!(org.depth("Palvelut"), 1);
    /// assert_eq!(org.find("  KESKUS ").unwrap().binding[0].id(), "toimintakate");
    /// assert!(Org::parse("[[unit]]\nname = \"A\"\nparent = \"A\"\n").unwrap_err().contains("cycle"));
    /// ```
    pub fn parse(text: &str) -> std::result::Result<Org, String> {
        let file: OrgFile = toml::from_str(text)
            .map_err(|e| format!("not a valid org file: {}", crate::error::toml_message(text, &e)))?;
        let mut units = Vec::with_capacity(file.units.len());
        let mut lookup = HashMap::new();
        for (i, entry) in file.units.into_iter().enumerate() {
            let name = entry.name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                return Err(format!("unit {} has an empty name", i + 1));
            }
            let binding = entry
                .binding
                .iter()
                .map(|id| {
                    LineItem::from_id(id).ok_or_else(|| {
                        format!("unit \"{name}\": binding line item \"{id}\" is not a known line item id")
                    })
                })
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let names = std::iter::once(&name)
                .chain(entry.aliases.iter())
                .chain(entry.name_sv.iter())
                .chain(entry.name_en.iter());
            for key in names {
                let folded = fold_name(key);
                if folded.is_empty() {
                    return Err(format!("unit \"{name}\" has an empty alias"));
                }
                match lookup.get(&folded) {
                    // The unit's own name again (an alias or a Swedish name the same as the name, in any case):
                    // the same name, accepted.
                    Some(&other) if other == i => {}
                    Some(&other) => {
                        let other = units.get(other).map_or(name.as_str(), |u: &Unit| u.name.as_str());
                        return Err(format!("\"{key}\" names both \"{other}\" and \"{name}\""));
                    }
                    None => {
                        lookup.insert(folded, i);
                    }
                }
            }
            let codes = entry
                .codes
                .iter()
                .map(|c| Codes::parse(c).map_err(|e| format!("unit \"{name}\": codes: {e}")))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            units.push(Unit {
                name,
                parent: entry.parent,
                binding,
                aliases: entry.aliases,
                name_sv: entry.name_sv,
                name_en: entry.name_en,
                codes,
            });
        }
        claimed_twice(&units)?;
        let mut org = Org { name: file.name, units, lookup, total: None };
        org.resolve_parents()?;
        match file.total {
            Some(TotalName::On(false)) => {}
            Some(TotalName::Name(n)) => org.add_total(Some(n.split_whitespace().collect::<Vec<_>>().join(" ")))?,
            None | Some(TotalName::On(true)) => org.add_total(None)?,
        }
        Ok(org)
    }

    /// Where the file has several roots, the municipality's total over them: a unit of its own, their parent,
    /// computed from them like any parent without figures of its own (`{name} yhteensä`, or the org file's
    /// `total`; `Kunta yhteensä` / `Kommunen totalt` / `Municipality total` without a name). A figure under
    /// that name is checked against the roots' sum.
    fn add_total(&mut self, name: Option<String>) -> std::result::Result<(), String> {
        let roots: Vec<usize> = (0..self.units.len()).filter(|i| self.units[*i].parent.is_none()).collect();
        if roots.len() < 2 {
            return Ok(());
        }
        let (name, name_sv, name_en) = match (name, &self.name) {
            (Some(n), _) => (n, None, None),
            (None, Some(org)) => (format!("{org} yhteensä"), None, None),
            (None, None) => (
                "Kunta yhteensä".to_string(),
                Some("Kommunen totalt".to_string()),
                Some("Municipality total".to_string()),
            ),
        };
        if name.is_empty() {
            return Err("total: the municipality total's name is empty".into());
        }
        for key in std::iter::once(&name).chain(name_sv.iter()).chain(name_en.iter()) {
            if let Some(&other) = self.lookup.get(&fold_name(key)) {
                return Err(format!(
                    "\"{key}\" names both the unit \"{}\" and the municipality total over the org file's {} roots \
                     (give the total another name with `total = \"…\"`, or `total = false`)",
                    self.units[other].name,
                    roots.len()
                ));
            }
        }
        let i = self.units.len();
        for key in std::iter::once(&name).chain(name_sv.iter()).chain(name_en.iter()) {
            self.lookup.insert(fold_name(key), i);
        }
        for r in roots {
            self.units[r].parent = Some(name.clone());
        }
        self.total = Some(name.clone());
        self.units.push(Unit {
            name,
            parent: None,
            binding: Vec::new(),
            aliases: Vec::new(),
            name_sv,
            name_en,
            codes: Vec::new(),
        });
        Ok(())
    }

    /// Parents may be named by name or alias; they are stored by canonical name. Rejects unknown
    /// parents and cycles.
    fn resolve_parents(&mut self) -> std::result::Result<(), String> {
        for i in 0..self.units.len() {
            if let Some(p) = self.units[i].parent.clone() {
                let parent = self.find(&p).ok_or_else(|| {
                    format!("unit \"{}\": parent \"{p}\" is not a unit of this file", self.units[i].name)
                })?;
                self.units[i].parent = Some(parent.name.clone());
            }
        }
        // Cycles, in one pass: each walk up the parents stops at a unit already known to reach a root
        // (linear in the number of units, however deep the tree).
        let index: HashMap<&str, usize> = self.units.iter().enumerate().map(|(i, u)| (u.name.as_str(), i)).collect();
        let parent_of: Vec<Option<usize>> =
            self.units.iter().map(|u| u.parent.as_deref().and_then(|p| index.get(p).copied())).collect();
        // 0: not seen, 1: on the current walk, 2: reaches a root.
        let mut state = vec![0u8; self.units.len()];
        for start in 0..self.units.len() {
            let mut path: Vec<usize> = Vec::new();
            let mut cur = Some(start);
            while let Some(i) = cur {
                match state[i] {
                    2 => break,
                    1 => {
                        let from = path.iter().position(|&k| k == i).unwrap_or(0);
                        let mut names: Vec<&str> =
                            path[from..].iter().map(|&k: &usize| self.units[k].name.as_str()).collect();
                        names.push(self.units[i].name.as_str());
                        return Err(format!("the parents form a cycle: {}", names.join(" → ")));
                    }
                    _ => {
                        state[i] = 1;
                        path.push(i);
                        cur = parent_of[i];
                    }
                }
            }
            for k in path {
                state[k] = 2;
            }
        }
        Ok(())
    }

    /// The unit with this name or alias, ignoring case and extra whitespace.
    /// A child unit for the ledger rows booked on `parent` itself (its own cost centers), when it has units
    /// below it: `Keskus (omat kirjaukset)`, placed first among its children. A parent's figure is the sum of
    /// its children's, so rows of its own are one more child. Returns the child's name; an existing unit of
    /// that name is used as it is.
    pub fn own_postings_unit(&mut self, parent: &str) -> Option<String> {
        let at = self.units.iter().position(|u| u.name == parent)?;
        let p = &self.units[at];
        let name = format!("{} (omat kirjaukset)", p.name);
        if self.find(&name).is_none() {
            let unit = Unit {
                name: name.clone(),
                parent: Some(p.name.clone()),
                binding: Vec::new(),
                aliases: Vec::new(),
                name_sv: Some(format!("{} (egna bokningar)", p.name_in("sv"))),
                name_en: Some(format!("{} (own postings)", p.name_in("en"))),
                codes: Vec::new(),
            };
            self.units.insert(at + 1, unit);
            // Indices after the parent moved by one; the new unit's names are added unless taken.
            for i in self.lookup.values_mut().filter(|i| **i > at) {
                *i += 1;
            }
            let u = &self.units[at + 1];
            for key in [Some(&u.name), u.name_sv.as_ref(), u.name_en.as_ref()].into_iter().flatten() {
                self.lookup.entry(fold_name(key)).or_insert(at + 1);
            }
        }
        Some(name)
    }

    /// Does any unit have this one as its parent?
    pub fn has_children(&self, unit: &str) -> bool {
        self.units.iter().any(|u| u.parent.as_deref() == Some(unit))
    }

    pub fn find(&self, name: &str) -> Option<&Unit> {
        self.lookup.get(&fold_name(name)).map(|&i| &self.units[i])
    }

    /// A title that names a unit: its name, an alias or its other-language name, in any case, with or without
    /// a leading code ("100 Vaalit" = "100 VAALIT" = "Vaalit" where only one unit is "Vaalit" without its
    /// code), after a word saying what kind of unit it is ("Tulosalue 130 Yleishallinto", "Vastuualue
    /// Talouspalvelut", "Ansvarsområde …").
    pub fn find_named(&self, title: &str) -> Option<&Unit> {
        let folded = fold_name(title);
        let mut t = folded.as_str();
        for kind in UNIT_KINDS {
            if let Some(rest) = t.strip_prefix(kind).filter(|r| r.starts_with([' ', ':'])) {
                t = rest.trim_start_matches([' ', ':']);
                break;
            }
        }
        if let Some(&i) = self.lookup.get(t) {
            return Some(&self.units[i]);
        }
        // Without codes on either side: one unit only.
        let bare = strip_code(t);
        let mut found = self.lookup.iter().filter(|(key, _)| strip_code(key) == bare).map(|(_, &i)| i);
        match (found.next(), found.next()) {
            (Some(i), None) => Some(&self.units[i]),
            (Some(i), Some(j)) if i == j && found.all(|k| k == i) => Some(&self.units[i]),
            _ => None,
        }
    }

    /// A title that begins with a unit's name or alias and goes on after a break ("Kaupunginkansliakeskus,
    /// tilinpäätös 2024", "Talouspalvelut (TA 2023)"): the longest such name wins.
    pub fn find_prefix(&self, title: &str) -> Option<&Unit> {
        let folded = fold_name(title);
        self.lookup
            .iter()
            .filter(|(key, _)| {
                folded.strip_prefix(key.as_str()).is_some_and(|rest| {
                    let next = rest.chars().next();
                    next.is_some_and(|c| !c.is_alphanumeric() && c != '-') && rest.chars().any(char::is_alphanumeric)
                })
            })
            .max_by_key(|(key, _)| key.chars().count())
            .map(|(_, &i)| &self.units[i])
    }

    /// A title that names a unit in an inflected form, word by word, anywhere in it
    /// ("Kaupunginkansliakeskuksen tuloslaskelma", "2.2 Talouspalveluiden talousarvio", "Resultaträkning för
    /// Vanda stads sektorer"): each word of the name is the title's word at its place or an inflection of it
    /// (Finnish and Swedish stemmers, and Finnish stem changes). The unit whose name fits with the most
    /// words unchanged, then the longest name, wins; a tie is no answer.
    pub fn find_inflected(&self, title: &str) -> Option<&Unit> {
        let folded = fold_name(title);
        let words: Vec<String> =
            folded.split(' ').map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-').to_string()).collect();
        // For a name: the best (words unchanged, words) over the places it fits.
        let fit = |key: &str| -> Option<(usize, usize)> {
            let name_words: Vec<&str> =
                key.split(' ').map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')).collect();
            if name_words.len() > words.len() {
                return None;
            }
            (0..=words.len() - name_words.len())
                .filter(|&at| name_words.iter().zip(&words[at..]).all(|(n, t)| word_fits(n, t)))
                .map(|at| {
                    (name_words.iter().zip(&words[at..]).filter(|(n, t)| **n == t.as_str()).count(), name_words.len())
                })
                .max()
        };
        let mut found: Vec<((usize, usize), usize)> =
            self.lookup.iter().filter_map(|(key, &i)| fit(key).map(|score| (score, i))).collect();
        found.sort_unstable_by(|a, b| b.cmp(a));
        found.dedup_by_key(|(_, i)| *i);
        match found.as_slice() {
            [(_, i)] => Some(&self.units[*i]),
            [(a, i), (b, j), ..] if a > b || i == j => Some(&self.units[*i]),
            _ => None,
        }
    }

    /// The unit whose name or alias is closest to `name`, with the edit distance.
    pub fn closest(&self, name: &str) -> Option<(&Unit, usize)> {
        let folded = fold_name(name);
        self.lookup
            .iter()
            .map(|(key, &i)| (&self.units[i], strsim::levenshtein(key, &folded)))
            .min_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)))
    }

    /// A unit for a misspelt name: the closest name or alias within a small edit distance, if unique.
    pub fn find_fuzzy(&self, name: &str) -> Option<&Unit> {
        let folded = fold_name(name);
        let limit = match folded.chars().count() {
            0..=5 => 0,
            6..=11 => 1,
            _ => 2,
        };
        let mut best: Vec<(&Unit, usize)> = self
            .lookup
            .iter()
            .map(|(key, &i)| (&self.units[i], strsim::levenshtein(key, &folded)))
            .filter(|(_, d)| *d <= limit)
            .collect();
        best.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
        match best.as_slice() {
            [] => None,
            [(u, _)] => Some(u),
            [(u, d), (v, e), ..] => (d < e || u.name == v.name).then_some(*u),
        }
    }

    pub fn children(&self, name: &str) -> impl Iterator<Item = &Unit> {
        let name = name.to_string();
        self.units.iter().filter(move |u| u.parent.as_deref() == Some(name.as_str()))
    }

    /// Depth of a unit: roots are 0.
    pub fn depth(&self, name: &str) -> usize {
        let mut depth = 0;
        let mut cur = self.find(name);
        while let Some(p) = cur.and_then(|u| u.parent.as_deref()) {
            depth += 1;
            cur = self.find(p);
        }
        depth
    }

    /// Units depth-first from the roots, each with its depth, children in file order.
    pub fn tree_order(&self) -> Vec<(&Unit, usize)> {
        let mut children: HashMap<&str, Vec<&Unit>> = HashMap::new();
        for u in &self.units {
            if let Some(p) = &u.parent {
                children.entry(p.as_str()).or_default().push(u);
            }
        }
        let mut out = Vec::with_capacity(self.units.len());
        let mut stack: Vec<(&Unit, usize)> =
            self.units.iter().filter(|u| u.parent.is_none()).rev().map(|u| (u, 0)).collect();
        while let Some((unit, depth)) = stack.pop() {
            out.push((unit, depth));
            if let Some(kids) = children.get(unit.name.as_str()) {
                stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
            }
        }
        out
    }
}

/// Is a title's word the name's word, or an inflected form of it?
fn word_fits(base: &str, word: &str) -> bool {
    use rust_stemmers::{Algorithm, Stemmer};
    use std::sync::OnceLock;
    static STEMMERS: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    if base == word {
        return true;
    }
    if base.chars().count() < 3 || !word.chars().all(char::is_alphabetic) {
        return false;
    }
    let (fi, sv) = STEMMERS.get_or_init(|| (Stemmer::create(Algorithm::Finnish), Stemmer::create(Algorithm::Swedish)));
    let same_stem = |s: &Stemmer| {
        let (a, b) = (s.stem(base), s.stem(word));
        a.chars().count() >= 3 && a == b
    };
    inflected_form(base, word) || same_stem(fi) || same_stem(sv)
}

/// Could `word` be `base` with a Finnish case ending ("keskus" → "keskuksen", "palvelut" → "palveluiden",
/// "lautakunta" → "lautakunnan")? The stem may lose up to a few letters, the ending add a few.
fn inflected_form(base: &str, word: &str) -> bool {
    if base == word {
        return true;
    }
    let (b, w): (Vec<char>, Vec<char>) = (base.chars().collect(), word.chars().collect());
    let stem_loss = match b.len() {
        0..=4 => return false,
        5..=7 => 2,
        _ => 3,
    };
    let common = b.iter().zip(&w).take_while(|(x, y)| x == y).count();
    common >= b.len() - stem_loss && w.len() > common && w.len() <= b.len() + 4 && w.iter().all(|c| c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;

    /// Cost-center codes: numbers and number ranges, ranges of codes with one prefix, codes with a hyphen in
    /// them; an exact code wins over a range, a narrower range over a wider; `0200` is not `200` as a code
    /// but is in the range 100-300 as a number.
    #[test]
    fn cost_center_codes_of_every_shape() {
        let org = Org::parse(
            "[[unit]]\nname = \"A\"\ncodes = [\"1100-1199\", \"KP100-KP199\", \"K-01\"]\n\
             [[unit]]\nname = \"B\"\ncodes = [\"1150\", \"KP150-KP159\", \"0200\"]\n\
             [[unit]]\nname = \"C\"\ncodes = [\"100-300\"]\n",
        )
        .unwrap();
        let unit = |c: &str| org.unit_of_code(c).map(|u| u.name.clone());
        assert_eq!(unit("1101"), Some("A".into()));
        assert_eq!(unit("1150"), Some("B".into()));
        assert_eq!(unit("KP120"), Some("A".into()));
        assert_eq!(unit("KP155"), Some("B".into()), "the narrower range");
        assert_eq!(unit("KP200"), None);
        assert_eq!(unit("XP120"), None);
        assert_eq!(unit("K-01"), Some("A".into()));
        assert_eq!(unit("0200"), Some("B".into()));
        assert_eq!(unit("200"), Some("C".into()));
        for bad in ["1199-1100", "KP199-KP100", "1100-KP", "KP100-1199", "-5", "5-"] {
            let e = Org::parse(&format!("[[unit]]\nname = \"A\"\ncodes = [\"{bad}\"]\n")).unwrap_err();
            assert!(e.contains(bad), "{bad}: {e}");
        }
    }

    const ORG: &str = r#"
name = "Loviisan kaupunki"
[[unit]]
name = "Kaupunginkansliakeskus"
binding = ["toimintakate"]
aliases = ["Stadskansliecentralen"]
[[unit]]
name = "Kaupunginkansliapalvelut"
parent = "Kaupunginkansliakeskus"
[[unit]]
name = "Talous- ja henkilöstöpalvelut"
parent = "Stadskansliecentralen"
aliases = ["Talouspalvelut"]
"#;

    #[test]
    fn several_roots_get_the_municipalitys_total_as_their_parent() {
        let two = "[[unit]]\nname = \"Sivistys\"\n[[unit]]\nname = \"Tekninen\"\n";
        let org = Org::parse(&format!("name = \"Kunta\"\n{two}")).unwrap();
        let total = org.find("Kunta yhteensä").unwrap();
        assert_eq!(total.parent, None);
        assert_eq!(org.find("Sivistys").unwrap().parent.as_deref(), Some("Kunta yhteensä"));
        assert_eq!(org.tree_order()[0].0.name, "Kunta yhteensä");
        // Without a name: a name in each language; `total` names it, or turns it off.
        let org = Org::parse(two).unwrap();
        assert_eq!(org.find("Municipality total").unwrap().name_in("sv"), "Kommunen totalt");
        let org = Org::parse(&format!("total = \"Koko kunta\"\n{two}")).unwrap();
        assert!(org.find("Koko kunta").is_some());
        let org = Org::parse(&format!("total = false\n{two}")).unwrap();
        assert_eq!(org.units.len(), 2);
        // One root: it is the total already.
        let org = Org::parse(ORG).unwrap();
        assert!(org.find("Loviisan kaupunki yhteensä").is_none());
        // A unit under the total's name: an error saying what to do.
        let err = Org::parse(&format!("name = \"Kunta\"\n{two}[[unit]]\nname = \"Kunta yhteensä\"\n")).unwrap_err();
        assert!(err.contains("names both the unit \"Kunta yhteensä\" and the municipality total"), "{err}");
    }

    #[test]
    fn an_alias_may_repeat_the_name_and_no_code_is_claimed_twice() {
        let org = Org::parse("[[unit]]\nname = \"Keskus\"\naliases = [\"keskus\"]\nname_sv = \"Keskus\"\n").unwrap();
        assert_eq!(org.find("KESKUS").unwrap().name, "Keskus");
        let two = |a: &str, b: &str| {
            Org::parse(&format!("[[unit]]\nname = \"A\"\ncodes = [{a}]\n[[unit]]\nname = \"B\"\ncodes = [{b}]\n"))
        };
        let e = two("\"1100\"", "\"1100\"").unwrap_err();
        assert!(e.contains("\"1100\" is claimed by both \"A\" and \"B\""), "{e}");
        let e = two("\"1000-1999\"", "\"1000-1999\"").unwrap_err();
        assert!(e.contains("1000-1999 of \"A\" and 1000-1999 of \"B\" overlap"), "{e}");
        let e = two("\"KP100-KP150\"", "\"KP140-KP199\"").unwrap_err();
        assert!(e.contains("KP100-KP150 of \"A\" and KP140-KP199 of \"B\" overlap"), "{e}");
        // Nested: the narrower wins; a code inside a range: the code wins; other prefixes do not meet.
        let org = two("\"1000-1999\"", "\"1500-1599\"").unwrap();
        assert_eq!(
            (org.unit_of_code("1550").unwrap().name.as_str(), org.unit_of_code("1600").unwrap().name.as_str()),
            ("B", "A")
        );
        assert!(two("\"1000-1999\"", "\"1500\"").is_ok());
        assert!(two("\"KP100-KP199\"", "\"KT100-KT199\"").is_ok());
    }

    #[test]
    fn parses_tree_and_aliases() {
        let org = Org::parse(ORG).unwrap();
        assert_eq!(org.name.as_deref(), Some("Loviisan kaupunki"));
        assert_eq!(org.units.len(), 3);
        assert_eq!(org.find("  stadskansliecentralen ").unwrap().name, "Kaupunginkansliakeskus");
        assert_eq!(org.find("TALOUSPALVELUT").unwrap().name, "Talous- ja henkilöstöpalvelut");
        assert_eq!(org.units[2].parent.as_deref(), Some("Kaupunginkansliakeskus"));
        assert_eq!(org.units[0].binding, vec![LineItem::new(Item::TOIMINTAKATE)]);
        let order: Vec<_> = org.tree_order().iter().map(|(u, d)| (u.name.as_str(), *d)).collect();
        assert_eq!(
            order,
            vec![("Kaupunginkansliakeskus", 0), ("Kaupunginkansliapalvelut", 1), ("Talous- ja henkilöstöpalvelut", 1)]
        );
    }

    #[test]
    fn fuzzy_finds_misspelt_unit() {
        let org = Org::parse(ORG).unwrap();
        assert_eq!(org.find_fuzzy("Talousoalvelut").unwrap().name, "Talous- ja henkilöstöpalvelut");
        assert!(org.find_fuzzy("Sivistyskeskus").is_none());
        assert_eq!(org.find_prefix("Kaupunginkansliakeskus, TP 2024").unwrap().name, "Kaupunginkansliakeskus");
        assert_eq!(org.find_prefix("Talouspalvelut (TA 2023)").unwrap().name, "Talous- ja henkilöstöpalvelut");
        assert!(org.find_prefix("Kaupunginkansliakeskuksen tuloslaskelma").is_none(), "no break after the name");
        assert!(org.find_prefix("Kaupunginkansliakeskus").is_none(), "the whole title is for find");
        assert!(org.find_prefix("Kaupunginkansliakeskus -").is_none(), "nothing after the break");
        assert_eq!(
            org.find_inflected("Kaupunginkansliakeskuksen tuloslaskelma").unwrap().name,
            "Kaupunginkansliakeskus"
        );
        assert_eq!(
            org.find_inflected("Kaupunginkansliapalveluiden talousarvio 2024").unwrap().name,
            "Kaupunginkansliapalvelut"
        );
        assert_eq!(org.find_inflected("Talouspalvelujen TP").unwrap().name, "Talous- ja henkilöstöpalvelut");
        assert!(org.find_inflected("Kaupunginkanslian tuloslaskelma").is_none(), "too far from any name");
        assert!(org.find_inflected("Talouspalvelukeskuksen tuloslaskelma").is_none(), "another word");
        assert!(org.find_inflected("Tuloslaskelma").is_none());
        // Section numbers, the name in the middle, Swedish genitives.
        assert_eq!(
            org.find_inflected("2.2.1 Kaupunginkansliakeskuksen tuloslaskelman toteutumisvertailu").unwrap().name,
            "Kaupunginkansliakeskus"
        );
        let vanda = Org::parse("[[unit]]\nname = \"Vantaan kaupunki\"\nname_sv = \"Vanda stad\"\n").unwrap();
        assert_eq!(vanda.find_inflected("Resultaträkning för Vanda stads sektorer").unwrap().name, "Vantaan kaupunki");
        assert_eq!(vanda.find("vanda stad").unwrap().name_in("sv"), "Vanda stad");
        assert_eq!(vanda.find("Vanda stad").unwrap().name_in("en"), "Vantaan kaupunki");
        assert_eq!(org.closest("Kaupunginkansliapalvelu").unwrap().0.name, "Kaupunginkansliapalvelut");
    }

    #[test]
    fn finnish_case_endings() {
        for (base, word) in [
            ("kaupunginkansliakeskus", "kaupunginkansliakeskuksen"),
            ("lautakunta", "lautakunnan"),
            ("kaupunki", "kaupungin"),
            ("sivistystoimi", "sivistystoimen"),
            ("toimiala", "toimialan"),
            ("palvelut", "palvelujen"),
        ] {
            assert!(inflected_form(base, word), "{base} → {word}");
        }
        for (base, word) in [("keskus", "kesto"), ("talous", "talousarvio"), ("ja", "jaos"), ("palvelut", "palvelu2")] {
            assert!(!inflected_form(base, word), "{base} ↛ {word}");
        }
    }

    #[test]
    fn rejects_bad_files() {
        let unknown = "[[unit]]\nname = \"A\"\nparent = \"B\"\n";
        assert!(Org::parse(unknown).unwrap_err().contains("parent \"B\" is not a unit"));
        // A chain 10 000 deep loads (each parent walk stops at a unit already known to reach the root).
        let deep: String = (0..10_000)
            .map(|i| match i {
                0 => "[[unit]]\nname = \"U0\"\n".to_string(),
                i => format!("[[unit]]\nname = \"U{i}\"\nparent = \"U{}\"\n", i - 1),
            })
            .collect();
        let org = Org::parse(&deep).unwrap();
        assert_eq!(org.depth("U9999"), 9_999);
        assert_eq!(org.tree_order().len(), 10_000);
        let cycle = "[[unit]]\nname = \"A\"\nparent = \"B\"\n[[unit]]\nname = \"B\"\nparent = \"A\"\n";
        assert!(Org::parse(cycle).unwrap_err().contains("cycle"));
        let dup = "[[unit]]\nname = \"A\"\n[[unit]]\nname = \" a \"\n";
        assert!(Org::parse(dup).unwrap_err().contains("names both"));
        let dup_alias = "[[unit]]\nname = \"A\"\naliases=[\"X\"]\n[[unit]]\nname = \"B\"\naliases=[\"x\"]\n";
        assert!(Org::parse(dup_alias).unwrap_err().contains("\"x\" names both \"A\" and \"B\""));
        let bad_item = "[[unit]]\nname = \"A\"\nbinding = [\"kate\"]\n";
        assert!(Org::parse(bad_item).unwrap_err().contains("not a known line item"));
        assert!(Org::parse("unit = 3").unwrap_err().contains("not a valid org file"));
        let self_parent = "[[unit]]\nname = \"A\"\nparent = \"A\"\n";
        assert!(Org::parse(self_parent).unwrap_err().contains("cycle"));
    }
}
