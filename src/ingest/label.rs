//! Matching row labels to line items of the scheme in force: Finnish or Swedish, ignoring case, whitespace,
//! punctuation and HTML remnants, with the scheme's variants and small typos; "of which" rows.

use crate::model::scheme::{scheme, Scheme};
use crate::model::{Item, LineItem};

use crate::model::scheme::fold_label;

/// How a label was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelMatch {
    Exact(LineItem),
    /// Matched despite a typo; the label it was taken for is given for the warning.
    Typo(LineItem, String),
    /// An "of which" row naming an item ("Josta vuokratulot", "varav hyresintäkter"): part of the row
    /// above, never a term of a sum.
    OfWhich(LineItem),
    Unknown,
}

impl LabelMatch {
    /// The line item, however matched.
    pub fn line_item(&self) -> Option<LineItem> {
        match self {
            LabelMatch::Exact(li) | LabelMatch::Typo(li, _) | LabelMatch::OfWhich(li) => Some(*li),
            LabelMatch::Unknown => None,
        }
    }
}

/// The words that open an "of which" row, folded.
const OF_WHICH: [&str; 6] = ["joista", "josta", "siitä", "niistä", "varav", "därav"];

/// Splits an "of which" label into the rest of it: `Josta vuokratulot` → `vuokratulot`.
fn of_which_rest(folded: &str) -> Option<&str> {
    OF_WHICH.iter().find_map(|w| folded.strip_prefix(w)).filter(|r| !r.is_empty())
}

/// Is this label an "of which internal" row (`joista sisäiset`, `varav interna`)?
pub fn is_of_which_internal(label: &str) -> bool {
    let f = fold_label(label);
    of_which_rest(&f).is_some_and(|r| r.starts_with("sisäis") || r.starts_with("interna"))
}

/// Matches a label against the scheme in force. `previous` is the last matched line item above it, needed
/// for "of which internal" rows.
pub fn match_label(label: &str, previous: Option<LineItem>) -> LabelMatch {
    match_in(scheme(), label, previous)
}

/// Matches a label against a given scheme.
pub fn match_in(scheme: &Scheme, label: &str, previous: Option<LineItem>) -> LabelMatch {
    if is_of_which_internal(label) {
        return match previous {
            Some(p) => LabelMatch::Exact(LineItem::joista_sisaiset(p.item)),
            None => LabelMatch::Unknown,
        };
    }
    let folded = fold_label(label);
    if folded.is_empty() {
        return LabelMatch::Unknown;
    }
    if let Some(rest) = of_which_rest(&folded) {
        return match exact_or_typo(scheme, rest) {
            Some((item, _)) => LabelMatch::OfWhich(LineItem::new(item)),
            None => LabelMatch::Unknown,
        };
    }
    match exact_or_typo(scheme, &folded) {
        Some((item, None)) => LabelMatch::Exact(LineItem::new(item)),
        Some((item, Some(known))) => LabelMatch::Typo(LineItem::new(item), known),
        None => LabelMatch::Unknown,
    }
}

/// The item a folded label names exactly (second `None`) or with a small typo (the label it was taken for).
fn exact_or_typo(scheme: &Scheme, folded: &str) -> Option<(Item, Option<String>)> {
    if let Some(item) = scheme.find(folded) {
        return Some((item, None));
    }
    // Typos: at most one edit in short labels, two in long ones; the best match must be unique.
    let limit = match folded.chars().count() {
        0..=6 => 0,
        7..=14 => 1,
        _ => 2,
    };
    if limit == 0 {
        return None;
    }
    let len = folded.chars().count();
    let mut best: Option<(usize, Item, &str)> = None;
    let mut tie = false;
    for (key, item, label) in scheme.labels() {
        // The distance is at least the difference in length: most lines of a report's prose end here,
        // which keeps a whole book's reading from being spent in edit distances.
        if key.len().abs_diff(folded.len()) > 2 * limit && key.chars().count().abs_diff(len) > limit {
            continue;
        }
        let d = strsim::levenshtein(key, folded);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, bi, _)) if d == bd && bi != *item => tie = true,
            Some((bd, _, _)) if d >= bd => {}
            _ => {
                best = Some((d, *item, label));
                tie = false;
            }
        }
    }
    match best {
        Some((_, item, label)) if !tie => Some((item, Some(label.to_string()))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(label: &str) -> Option<Item> {
        match match_label(label, None) {
            LabelMatch::Exact(li) => Some(li.item),
            _ => None,
        }
    }

    #[test]
    fn seed_labels() {
        assert_eq!(exact("Toimintakate ulkoinen "), Some(Item::TOIMINTAKATE));
        assert_eq!(exact("TOIMINTAKATE"), Some(Item::TOIMINTAKATE));
        assert_eq!(exact("Palveluiden ostot"), Some(Item::PALVELUJEN_OSTOT));
        assert_eq!(exact("Valmistus oman käyttöön"), Some(Item::VALMISTUS_OMAAN_KAYTTOON));
        assert_eq!(exact("<i>Sisäiset erät, netto</i>"), Some(Item::SISAISET_ERAT));
        assert_eq!(exact("Laskennalliset erät, netto"), Some(Item::LASKENNALLISET_ERAT));
        assert_eq!(exact("Kustannuslaskennalliset erät"), Some(Item::LASKENNALLISET_ERAT));
        assert_eq!(exact("Aineet,tarvikkeet ja tavarat"), Some(Item::AINEET_TARVIKKEET_JA_TAVARAT));
        assert_eq!(exact("Köp av tjänster"), Some(Item::PALVELUJEN_OSTOT));
        assert_eq!(exact("Understöd"), Some(Item::AVUSTUKSET));
        assert_eq!(exact("Understöd och bidrag"), Some(Item::TUET_JA_AVUSTUKSET));
        // The Swedish income-statement scheme's own wording.
        assert_eq!(exact("Verksamhetens intäkter"), Some(Item::TOIMINTATUOTOT));
        assert_eq!(exact("Verksamhetens kostnader"), Some(Item::TOIMINTAKULUT));
    }

    #[test]
    fn of_which_rows_take_the_row_above() {
        let above = Some(LineItem::new(Item::TOIMINTATUOTOT));
        assert_eq!(
            match_label("<i>joista sisäiset</i>", above),
            LabelMatch::Exact(LineItem::joista_sisaiset(Item::TOIMINTATUOTOT))
        );
        assert_eq!(match_label("varav interna", None), LabelMatch::Unknown);
    }

    #[test]
    fn typos_within_small_distance() {
        assert_eq!(
            match_label("Henkilöstökulu", None),
            LabelMatch::Typo(LineItem::new(Item::HENKILOSTOKULUT), "Henkilöstökulut".into())
        );
        assert_eq!(
            match_label("Palvelujen ostto", None),
            LabelMatch::Typo(LineItem::new(Item::PALVELUJEN_OSTOT), "Palvelujen ostot".into())
        );
        assert_eq!(match_label("Verotulot", None), LabelMatch::Unknown);
        assert_eq!(match_label("Rahoitustuotot ja -kulut", None), LabelMatch::Unknown);
        assert_eq!(match_label("Avustus", None), LabelMatch::Unknown);
    }

    #[test]
    fn budget_vocabulary_and_of_which_rows() {
        assert_eq!(exact("Toimintatulot yhteensä"), Some(Item::TOIMINTATUOTOT));
        assert_eq!(exact("Henkilöstömenot"), Some(Item::HENKILOSTOKULUT));
        assert_eq!(exact("Palkat"), Some(Item::PALKAT_JA_PALKKIOT));
        assert_eq!(exact("Muut menot"), Some(Item::MUUT_TOIMINTAKULUT));
        assert_eq!(exact("Övriga verksamhetsutgifter"), Some(Item::MUUT_TOIMINTAKULUT));
        assert_eq!(exact("Avgiftsinkomster"), Some(Item::MAKSUTUOTOT));
        assert_eq!(exact("Omkostnader"), Some(Item::TOIMINTAKULUT));
        assert_eq!(match_label("  Josta vuokratulot", None), LabelMatch::OfWhich(LineItem::new(Item::VUOKRATUOTOT)));
        assert_eq!(match_label("varav hyresintäkter", None), LabelMatch::OfWhich(LineItem::new(Item::VUOKRATUOTOT)));
        assert_eq!(match_label("Josta jotain muuta", None), LabelMatch::Unknown);
    }
}
