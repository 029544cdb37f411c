//! Matching row labels to line items: Finnish or Swedish, ignoring case, whitespace, punctuation and
//! HTML remnants, with the known variants and small typos.

use crate::model::{Item, LineItem};
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a label was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelMatch {
    Exact(LineItem),
    /// Matched despite a typo; the label it was taken for is given for the warning.
    Typo(LineItem, &'static str),
    Unknown,
}

/// Lower case letters and digits only; HTML tags dropped.
pub fn fold_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut in_tag = false;
    for c in label.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

struct Known {
    exact: HashMap<String, LineItem>,
    all: Vec<(String, LineItem, &'static str)>,
}

fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut all = Vec::new();
        for item in Item::ALL {
            for label in item.labels_fi().iter().chain(item.labels_sv()) {
                all.push((fold_label(label), LineItem::new(item), *label));
            }
        }
        let exact = all.iter().map(|(k, li, _)| (k.clone(), *li)).collect();
        Known { exact, all }
    })
}

/// Is this label an "of which internal" row (`joista sisäiset`, `varav interna`)?
pub fn is_of_which_internal(label: &str) -> bool {
    let f = fold_label(label);
    f.starts_with("joistasisäis") || f.starts_with("varavinterna") || f == "siitäsisäiset"
}

/// Matches a label. `previous` is the last matched line item above it, needed for "of which" rows.
pub fn match_label(label: &str, previous: Option<LineItem>) -> LabelMatch {
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
    let known = known();
    if let Some(li) = known.exact.get(&folded) {
        return LabelMatch::Exact(*li);
    }
    // Typos: at most one edit in short labels, two in long ones; the best match must be unique.
    let limit = match folded.chars().count() {
        0..=6 => 0,
        7..=14 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, LineItem, &'static str)> = None;
    let mut tie = false;
    for (key, li, label) in &known.all {
        let d = strsim::levenshtein(key, &folded);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, bli, _)) if d == bd && bli != *li => tie = true,
            Some((bd, _, _)) if d >= bd => {}
            _ => {
                best = Some((d, *li, label));
                tie = false;
            }
        }
    }
    match best {
        Some((_, li, label)) if !tie => LabelMatch::Typo(li, label),
        _ => LabelMatch::Unknown,
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
        assert_eq!(exact("Toimintakate ulkoinen "), Some(Item::Toimintakate));
        assert_eq!(exact("TOIMINTAKATE"), Some(Item::Toimintakate));
        assert_eq!(exact("Palveluiden ostot"), Some(Item::PalvelujenOstot));
        assert_eq!(exact("Valmistus oman käyttöön"), Some(Item::ValmistusOmaanKayttoon));
        assert_eq!(exact("<i>Sisäiset erät, netto</i>"), Some(Item::SisaisetErat));
        assert_eq!(exact("Laskennalliset erät, netto"), Some(Item::LaskennallisetErat));
        assert_eq!(exact("Kustannuslaskennalliset erät"), Some(Item::LaskennallisetErat));
        assert_eq!(exact("Aineet,tarvikkeet ja tavarat"), Some(Item::AineetTarvikkeetJaTavarat));
        assert_eq!(exact("Köp av tjänster"), Some(Item::PalvelujenOstot));
        assert_eq!(exact("Understöd"), Some(Item::Avustukset));
        assert_eq!(exact("Understöd och bidrag"), Some(Item::TuetJaAvustukset));
        // The Swedish income-statement scheme's own wording.
        assert_eq!(exact("Verksamhetens intäkter"), Some(Item::Toimintatuotot));
        assert_eq!(exact("Verksamhetens kostnader"), Some(Item::Toimintakulut));
    }

    #[test]
    fn of_which_rows_take_the_row_above() {
        let above = Some(LineItem::new(Item::Toimintatuotot));
        assert_eq!(
            match_label("<i>joista sisäiset</i>", above),
            LabelMatch::Exact(LineItem::joista_sisaiset(Item::Toimintatuotot))
        );
        assert_eq!(match_label("varav interna", None), LabelMatch::Unknown);
    }

    #[test]
    fn typos_within_small_distance() {
        assert_eq!(
            match_label("Henkilöstökulu", None),
            LabelMatch::Typo(LineItem::new(Item::Henkilostokulut), "Henkilöstökulut")
        );
        assert_eq!(
            match_label("Palvelujen ostto", None),
            LabelMatch::Typo(LineItem::new(Item::PalvelujenOstot), "Palvelujen ostot")
        );
        assert_eq!(match_label("Verotulot", None), LabelMatch::Unknown);
        assert_eq!(match_label("Rahoitustuotot ja -kulut", None), LabelMatch::Unknown);
        assert_eq!(match_label("Avustus", None), LabelMatch::Unknown);
    }
}
