//! The income-statement line items (operating part), their labels and the sums that tie them.

use std::fmt;

/// One row of the operating part of the income statement, by its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Myyntituotot,
    Maksutuotot,
    TuetJaAvustukset,
    MuutToimintatuotot,
    Toimintatuotot,
    ValmistusOmaanKayttoon,
    Henkilostokulut,
    PalvelujenOstot,
    AineetTarvikkeetJaTavarat,
    Avustukset,
    MuutToimintakulut,
    Toimintakulut,
    Toimintakate,
    PoistotJaArvonalentumiset,
    SisaisetErat,
    LaskennallisetErat,
}

/// Whether a line item counts as revenue or cost, for the sign check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Revenue,
    Cost,
    /// A margin or net item: either sign is normal.
    Net,
}

impl Item {
    /// Every item, in the order the tables print them.
    pub const ALL: [Item; 16] = [
        Item::Myyntituotot,
        Item::Maksutuotot,
        Item::TuetJaAvustukset,
        Item::MuutToimintatuotot,
        Item::Toimintatuotot,
        Item::ValmistusOmaanKayttoon,
        Item::Henkilostokulut,
        Item::PalvelujenOstot,
        Item::AineetTarvikkeetJaTavarat,
        Item::Avustukset,
        Item::MuutToimintakulut,
        Item::Toimintakulut,
        Item::Toimintakate,
        Item::PoistotJaArvonalentumiset,
        Item::SisaisetErat,
        Item::LaskennallisetErat,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Item::Myyntituotot => "myyntituotot",
            Item::Maksutuotot => "maksutuotot",
            Item::TuetJaAvustukset => "tuet_ja_avustukset",
            Item::MuutToimintatuotot => "muut_toimintatuotot",
            Item::Toimintatuotot => "toimintatuotot",
            Item::ValmistusOmaanKayttoon => "valmistus_omaan_kayttoon",
            Item::Henkilostokulut => "henkilostokulut",
            Item::PalvelujenOstot => "palvelujen_ostot",
            Item::AineetTarvikkeetJaTavarat => "aineet_tarvikkeet_ja_tavarat",
            Item::Avustukset => "avustukset",
            Item::MuutToimintakulut => "muut_toimintakulut",
            Item::Toimintakulut => "toimintakulut",
            Item::Toimintakate => "toimintakate",
            Item::PoistotJaArvonalentumiset => "poistot_ja_arvonalentumiset",
            Item::SisaisetErat => "sisaiset_erat",
            Item::LaskennallisetErat => "laskennalliset_erat",
        }
    }

    /// The Finnish label as reports print it.
    pub fn label_fi(self) -> &'static str {
        self.labels_fi()[0]
    }

    /// The Swedish label.
    pub fn label_sv(self) -> &'static str {
        self.labels_sv()[0]
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Item::Myyntituotot => "Sales revenue",
            Item::Maksutuotot => "Fee revenue",
            Item::TuetJaAvustukset => "Subsidies and grants received",
            Item::MuutToimintatuotot => "Other operating revenue",
            Item::Toimintatuotot => "Operating revenue",
            Item::ValmistusOmaanKayttoon => "Production for own use",
            Item::Henkilostokulut => "Personnel expenses",
            Item::PalvelujenOstot => "Purchases of services",
            Item::AineetTarvikkeetJaTavarat => "Materials, supplies and goods",
            Item::Avustukset => "Grants paid",
            Item::MuutToimintakulut => "Other operating expenses",
            Item::Toimintakulut => "Operating expenses",
            Item::Toimintakate => "Operating margin (external)",
            Item::PoistotJaArvonalentumiset => "Depreciation and impairment",
            Item::SisaisetErat => "Internal items (net)",
            Item::LaskennallisetErat => "Imputed items (net)",
        }
    }

    /// Finnish labels: the first is the one reports print, the rest are known variants.
    pub fn labels_fi(self) -> &'static [&'static str] {
        match self {
            Item::Myyntituotot => &["Myyntituotot"],
            Item::Maksutuotot => &["Maksutuotot"],
            Item::TuetJaAvustukset => &["Tuet ja avustukset"],
            Item::MuutToimintatuotot => &["Muut toimintatuotot"],
            Item::Toimintatuotot => &["Toimintatuotot", "Toimintatuotot yhteensä", "Toimintatulot"],
            Item::ValmistusOmaanKayttoon => {
                &["Valmistus omaan käyttöön", "Valmistus oman käyttöön", "Valmistus omaan käyttöön (+)"]
            }
            Item::Henkilostokulut => &["Henkilöstökulut"],
            Item::PalvelujenOstot => &["Palvelujen ostot", "Palveluiden ostot"],
            Item::AineetTarvikkeetJaTavarat => &["Aineet, tarvikkeet ja tavarat"],
            Item::Avustukset => &["Avustukset"],
            Item::MuutToimintakulut => &["Muut toimintakulut"],
            Item::Toimintakulut => &["Toimintakulut", "Toimintakulut yhteensä", "Toimintamenot"],
            Item::Toimintakate => {
                &["Toimintakate ulkoinen", "Toimintakate", "Ulkoinen toimintakate", "Toimintakate, ulkoinen"]
            }
            Item::PoistotJaArvonalentumiset => &["Poistot ja arvonalentumiset", "Poistot"],
            Item::SisaisetErat => &["Sisäiset erät", "Sisäiset erät, netto", "Sisäiset erät netto"],
            Item::LaskennallisetErat => &[
                "Kustannuslaskennalliset erät",
                "Laskennalliset erät, netto",
                "Laskennalliset erät",
                "Kustannuslaskennalliset erät, netto",
            ],
        }
    }

    /// Swedish labels, first the usual one.
    pub fn labels_sv(self) -> &'static [&'static str] {
        match self {
            Item::Myyntituotot => &["Försäljningsintäkter"],
            Item::Maksutuotot => &["Avgiftsintäkter"],
            Item::TuetJaAvustukset => &["Understöd och bidrag"],
            Item::MuutToimintatuotot => &["Övriga verksamhetsintäkter"],
            Item::Toimintatuotot => &[
                "Verksamhetsintäkter",
                "Verksamhetsintäkter totalt",
                "Verksamhetens intäkter",
                "Verksamhetens intäkter totalt",
            ],
            Item::ValmistusOmaanKayttoon => &["Tillverkning för eget bruk"],
            Item::Henkilostokulut => &["Personalkostnader"],
            Item::PalvelujenOstot => &["Köp av tjänster"],
            Item::AineetTarvikkeetJaTavarat => &["Material, förnödenheter och varor"],
            Item::Avustukset => &["Understöd"],
            Item::MuutToimintakulut => &["Övriga verksamhetskostnader"],
            Item::Toimintakulut => &[
                "Verksamhetskostnader",
                "Verksamhetskostnader totalt",
                "Verksamhetens kostnader",
                "Verksamhetens kostnader totalt",
            ],
            Item::Toimintakate => &["Verksamhetsbidrag", "Verksamhetsbidrag externt", "Externt verksamhetsbidrag"],
            Item::PoistotJaArvonalentumiset => &["Avskrivningar och nedskrivningar", "Avskrivningar"],
            Item::SisaisetErat => &["Interna poster", "Interna poster, netto"],
            Item::LaskennallisetErat => &["Kalkylerade poster", "Kalkylerade poster, netto"],
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Item::Myyntituotot
            | Item::Maksutuotot
            | Item::TuetJaAvustukset
            | Item::MuutToimintatuotot
            | Item::Toimintatuotot
            | Item::ValmistusOmaanKayttoon => Kind::Revenue,
            Item::Henkilostokulut
            | Item::PalvelujenOstot
            | Item::AineetTarvikkeetJaTavarat
            | Item::Avustukset
            | Item::MuutToimintakulut
            | Item::Toimintakulut
            | Item::PoistotJaArvonalentumiset => Kind::Cost,
            Item::Toimintakate | Item::SisaisetErat | Item::LaskennallisetErat => Kind::Net,
        }
    }

    /// Totals (toimintatuotot, toimintakulut, toimintakate) print in bold.
    pub fn is_subtotal(self) -> bool {
        SUMS.iter().any(|s| s.total == self)
    }

    pub fn from_id(id: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.id() == id)
    }

    /// Position in [`Item::ALL`] (the scheme order).
    pub fn index(self) -> usize {
        // Declaration order is the order of ALL (a test checks it).
        self as usize
    }
}

/// A total and the terms that add up to it, from the income statement scheme.
#[derive(Debug, Clone, Copy)]
pub struct SumRule {
    pub total: Item,
    pub terms: &'static [Item],
}

/// The sums that tie the scheme together (DOMAIN.md).
pub const SUMS: [SumRule; 3] = [
    SumRule {
        total: Item::Toimintatuotot,
        terms: &[Item::Myyntituotot, Item::Maksutuotot, Item::TuetJaAvustukset, Item::MuutToimintatuotot],
    },
    SumRule {
        total: Item::Toimintakulut,
        terms: &[
            Item::Henkilostokulut,
            Item::PalvelujenOstot,
            Item::AineetTarvikkeetJaTavarat,
            Item::Avustukset,
            Item::MuutToimintakulut,
        ],
    },
    SumRule {
        total: Item::Toimintakate,
        terms: &[Item::Toimintatuotot, Item::ValmistusOmaanKayttoon, Item::Toimintakulut],
    },
];

/// A line item as a table reports it: a scheme item, or the "of which internal" row under one.
/// An "of which" row is never added into a sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineItem {
    pub item: Item,
    pub of_which_internal: bool,
}

impl LineItem {
    pub const fn new(item: Item) -> Self {
        LineItem { item, of_which_internal: false }
    }

    pub const fn joista_sisaiset(item: Item) -> Self {
        LineItem { item, of_which_internal: true }
    }

    /// The stable id: `toimintatuotot`, or `toimintatuotot_joista_sisaiset` for an "of which" row.
    pub fn id(&self) -> String {
        if self.of_which_internal {
            format!("{}_joista_sisaiset", self.item.id())
        } else {
            self.item.id().to_string()
        }
    }

    pub fn from_id(id: &str) -> Option<LineItem> {
        match id.strip_suffix("_joista_sisaiset") {
            Some(base) => Item::from_id(base).map(LineItem::joista_sisaiset),
            None => Item::from_id(id).map(LineItem::new),
        }
    }

    /// A dense number for frames: scheme order, each item followed by its "of which" row.
    pub fn index(&self) -> u32 {
        self.item.index() as u32 * 2 + u32::from(self.of_which_internal)
    }

    pub fn from_index(i: u32) -> Option<LineItem> {
        let item = *Item::ALL.get((i / 2) as usize)?;
        Some(LineItem { item, of_which_internal: i % 2 == 1 })
    }

    /// Label in the given language ("fi", "sv", "en").
    pub fn label(&self, lang: &str) -> String {
        let base = match lang {
            "sv" => self.item.label_sv(),
            "en" => self.item.label_en(),
            _ => self.item.label_fi(),
        };
        if self.of_which_internal {
            let of_which = match lang {
                "sv" => "varav interna",
                "en" => "of which internal",
                _ => "joista sisäiset",
            };
            format!("{base}: {of_which}")
        } else {
            base.to_string()
        }
    }

    /// Every line item in scheme order: each item followed by its "of which" row.
    pub fn all() -> impl Iterator<Item = LineItem> {
        Item::ALL.into_iter().flat_map(|i| [LineItem::new(i), LineItem::joista_sisaiset(i)])
    }
}

impl fmt::Display for LineItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for li in LineItem::all() {
            assert_eq!(LineItem::from_id(&li.id()), Some(li));
        }
        assert_eq!(LineItem::from_id("toimintatuotot_joista_sisaiset").unwrap().item, Item::Toimintatuotot);
        assert_eq!(LineItem::from_id("nonsense"), None);
    }

    #[test]
    fn indices_follow_all() {
        for (i, item) in Item::ALL.iter().enumerate() {
            assert_eq!(item.index(), i);
        }
    }

    #[test]
    fn indices_round_trip() {
        for li in LineItem::all() {
            assert_eq!(LineItem::from_index(li.index()), Some(li));
        }
        assert_eq!(LineItem::from_index(99), None);
    }

    #[test]
    fn sums_use_each_term_once() {
        for s in SUMS {
            assert!(!s.terms.contains(&s.total));
        }
        assert!(Item::Toimintakate.is_subtotal());
        assert!(!Item::Henkilostokulut.is_subtotal());
    }
}
