//! The line-item scheme as data: a tree of items (id, labels in Finnish, Swedish and English, kind, and the
//! item each sums into). The default scheme ships inside the binary from `scheme.toml`; a user extends it
//! with a scheme file of the same form (extra labels, new sub-rows, new items) without code.
//!
//! The scheme in force is process-wide: [`install`] sets it once at start-up (before any org file or input
//! is read); without that, [`scheme`] is the default. [`Item`] is a small handle into it.

use super::line_item::Kind;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// One line item of the scheme, by its place in the scheme. Compare and sort with [`Item::order`] for
/// print order; the derived order is the scheme's declaration order, which for the default scheme is
/// print order too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Item(u16);

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Item {
    /// Print order: the order the scheme gives its items (extensions placed under their parent).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.order(), self.0).cmp(&(other.order(), other.0))
    }
}

/// The ids the code itself names, at their places in the default scheme (a test checks them).
impl Item {
    pub const MYYNTITUOTOT: Item = Item(0);
    pub const MAKSUTUOTOT: Item = Item(1);
    pub const TUET_JA_AVUSTUKSET: Item = Item(2);
    pub const MUUT_TOIMINTATUOTOT: Item = Item(3);
    pub const VUOKRATUOTOT: Item = Item(4);
    pub const TOIMINTATUOTOT: Item = Item(5);
    pub const VALMISTUS_OMAAN_KAYTTOON: Item = Item(6);
    pub const HENKILOSTOKULUT: Item = Item(8);
    pub const PALKAT_JA_PALKKIOT: Item = Item(9);
    pub const HENKILOSIVUKULUT: Item = Item(10);
    pub const PALVELUJEN_OSTOT: Item = Item(13);
    pub const AINEET_TARVIKKEET_JA_TAVARAT: Item = Item(14);
    pub const AVUSTUKSET: Item = Item(15);
    pub const MUUT_TOIMINTAKULUT: Item = Item(16);
    pub const TOIMINTAKULUT: Item = Item(18);
    pub const TOIMINTAKATE: Item = Item(19);
    pub const POISTOT_JA_ARVONALENTUMISET: Item = Item(20);
    pub const SISAISET_ERAT: Item = Item(24);
    pub const LASKENNALLISET_ERAT: Item = Item(25);

    fn def(self) -> &'static ItemDef {
        &scheme().items[self.0 as usize]
    }

    /// Every item of the scheme in force, in print order.
    pub fn all() -> impl Iterator<Item = Item> {
        scheme().print_order.iter().copied()
    }

    pub fn id(self) -> &'static str {
        &self.def().id
    }

    pub fn from_id(id: &str) -> Option<Item> {
        scheme().by_id.get(id).copied()
    }

    /// The Finnish label as reports print it.
    pub fn label_fi(self) -> &'static str {
        &self.def().fi[0]
    }

    /// The Swedish label (the Finnish one where the scheme gives none).
    pub fn label_sv(self) -> &'static str {
        self.def().sv.first().unwrap_or(&self.def().fi[0])
    }

    /// The English label (the Finnish one where the scheme gives none).
    pub fn label_en(self) -> &'static str {
        self.def().en.first().unwrap_or(&self.def().fi[0])
    }

    pub fn kind(self) -> Kind {
        self.def().kind
    }

    /// The item this one is a term of.
    pub fn sums_into(self) -> Option<Item> {
        self.def().sums_into
    }

    /// The items that sum into this one, in print order.
    pub fn terms(self) -> &'static [Item] {
        &scheme().terms[self.0 as usize]
    }

    /// Is this item a total of others (printed in bold)?
    pub fn is_subtotal(self) -> bool {
        !self.terms().is_empty()
    }

    /// Is `self` below `ancestor` in the scheme (a term, a term's term, …)?
    pub fn is_under(self, ancestor: Item) -> bool {
        let mut cur = self.sums_into();
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = c.sums_into();
        }
        false
    }

    /// Dense number: the item's place in the scheme (declaration order), for frames.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn from_index(i: usize) -> Option<Item> {
        (i < scheme().items.len()).then_some(Item(i as u16))
    }

    /// Place in print order.
    pub fn order(self) -> usize {
        scheme().rank.get(self.0 as usize).copied().unwrap_or(usize::MAX)
    }
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[derive(Debug, Clone)]
struct ItemDef {
    id: String,
    kind: Kind,
    sums_into: Option<Item>,
    fi: Vec<String>,
    sv: Vec<String>,
    en: Vec<String>,
}

/// A scheme: items, their tree, their print order and the label index for matching.
#[derive(Debug, Clone)]
pub struct Scheme {
    items: Vec<ItemDef>,
    by_id: HashMap<String, Item>,
    terms: Vec<Vec<Item>>,
    print_order: Vec<Item>,
    rank: Vec<usize>,
    /// Folded label → item.
    labels: HashMap<String, Item>,
    /// (folded label, item, label as written), for typo matching.
    all_labels: Vec<(String, Item, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    #[serde(default, rename = "item")]
    items: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    kind: Option<KindName>,
    sums_into: Option<String>,
    #[serde(default)]
    fi: Vec<String>,
    #[serde(default)]
    sv: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum KindName {
    Revenue,
    Cost,
    Net,
}

impl From<KindName> for Kind {
    fn from(k: KindName) -> Kind {
        match k {
            KindName::Revenue => Kind::Revenue,
            KindName::Cost => Kind::Cost,
            KindName::Net => Kind::Net,
        }
    }
}

const DEFAULT: &str = include_str!("scheme.toml");

static INSTALLED: OnceLock<Scheme> = OnceLock::new();

/// The scheme in force: the installed one, else the default.
pub fn scheme() -> &'static Scheme {
    INSTALLED.get_or_init(Scheme::default_scheme)
}

/// Puts a scheme in force for the rest of the process. Call it once, before anything reads the scheme;
/// afterwards it fails with the scheme already in force.
pub fn install(s: Scheme) -> std::result::Result<(), String> {
    INSTALLED.set(s).map_err(|_| "the line-item scheme is already in use and cannot be replaced".to_string())
}

/// Lower case letters and digits only; HTML tags dropped. The form labels are matched in.
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

impl Scheme {
    /// The scheme shipped in the binary.
    pub fn default_scheme() -> Scheme {
        // The embedded file is ours and tested; a failure here is a build defect, not an input error.
        Scheme::from_entries(parse_file(DEFAULT).expect("embedded scheme parses"), Vec::new())
            .expect("embedded scheme is consistent")
    }

    /// The default scheme extended by a user's scheme file.
    pub fn load_extension(path: &Path) -> crate::error::Result<Scheme> {
        let text = crate::ingest::limits::read_side_text(path, "scheme file")?;
        Scheme::extend_default(&text)
            .map_err(|message| crate::error::Error::Scheme { path: path.display().to_string(), message })
    }

    /// The default scheme extended by scheme TOML; the error is a message naming the entry.
    ///
    /// ```
    /// use poikkeama::model::Scheme;
    ///
    /// let s = Scheme::extend_default(
    ///     "[[item]]\nid = \"muut_toimintakulut\"\nfi = [\"Sekalaiset kulut\"]\n\
    ///      [[item]]\nid = \"tilavuokrat\"\nkind = \"cost\"\nsums_into = \"vuokrakulut\"\nfi = [\"Tilavuokrat\"]\n",
    /// )
    /// .unwrap();
    /// assert_eq!(s.find("Sekalaiset kulut"), s.find("Muut toimintakulut"));
    /// assert!(s.find("Tilavuokrat").is_some());
    /// let err = Scheme::extend_default("[[item]]\nid = \"x\"\nkind = \"cost\"\nsums_into = \"nothing\"\nfi = [\"X\"]\n");
    /// assert!(err.unwrap_err().contains("nothing"));
    /// ```
    pub fn extend_default(text: &str) -> std::result::Result<Scheme, String> {
        let base = parse_file(DEFAULT).expect("embedded scheme parses");
        let extra = parse_file(text)?;
        Scheme::from_entries(base, extra)
    }

    /// Builds a scheme from the base entries and then the extension's. Extension entries with a known id
    /// add labels; new ids add items.
    fn from_entries(base: Vec<Entry>, extra: Vec<Entry>) -> std::result::Result<Scheme, String> {
        let base_len = base.len();
        let mut defs: Vec<ItemDef> = Vec::new();
        let mut by_id: HashMap<String, Item> = HashMap::new();
        let mut parents: Vec<Option<String>> = Vec::new();
        let mut extended: Vec<bool> = Vec::new();
        let all = base.into_iter().map(|e| (e, false)).chain(extra.into_iter().map(|e| (e, true)));
        for (n, (entry, from_extension)) in all.enumerate() {
            let where_ = |id: &str| format!("item {} (id \"{id}\")", n + 1 - if from_extension { base_len } else { 0 });
            let id = entry.id.trim().to_string();
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(format!(
                    "{}: an id is lower-case ASCII letters, digits and underscores",
                    where_(&entry.id)
                ));
            }
            if id.ends_with("_joista_sisaiset") {
                return Err(format!("{}: ids ending in _joista_sisaiset are reserved", where_(&id)));
            }
            let labels_empty = entry.fi.iter().chain(&entry.sv).chain(&entry.en).all(|l| fold_label(l).is_empty());
            if let Some(&item) = by_id.get(&id) {
                // A known id: labels only; kind and sums_into may be repeated but not changed.
                if !from_extension {
                    return Err(format!("{}: the id is given twice", where_(&id)));
                }
                let def = &mut defs[item.0 as usize];
                if let Some(k) = entry.kind {
                    if Kind::from(k) != def.kind {
                        return Err(format!("{}: the kind of a known item cannot be changed", where_(&id)));
                    }
                }
                if let Some(p) = &entry.sums_into {
                    if parents[item.0 as usize].as_deref() != Some(p.trim()) {
                        return Err(format!(
                            "{}: what a known item sums into cannot be changed (it is {})",
                            where_(&id),
                            parents[item.0 as usize].as_deref().unwrap_or("nothing")
                        ));
                    }
                }
                if labels_empty {
                    return Err(format!("{}: gives no labels to add", where_(&id)));
                }
                def.fi.extend(entry.fi);
                def.sv.extend(entry.sv);
                def.en.extend(entry.en);
                continue;
            }
            let Some(kind) = entry.kind else {
                return Err(format!("{}: a new item needs a kind (revenue, cost or net)", where_(&id)));
            };
            if entry.fi.iter().all(|l| fold_label(l).is_empty()) {
                return Err(format!("{}: a new item needs at least one Finnish label (fi)", where_(&id)));
            }
            if defs.len() >= 500 {
                return Err(format!("{}: a scheme has at most 500 items", where_(&id)));
            }
            let item = Item(defs.len() as u16);
            by_id.insert(id.clone(), item);
            parents.push(entry.sums_into.map(|p| p.trim().to_string()));
            extended.push(from_extension);
            defs.push(ItemDef { id, kind: kind.into(), sums_into: None, fi: entry.fi, sv: entry.sv, en: entry.en });
        }
        // Parents, by id, then cycles.
        for (i, parent) in parents.iter().enumerate() {
            if let Some(p) = parent {
                let Some(&pi) = by_id.get(p) else {
                    return Err(format!("item \"{}\": sums_into \"{p}\" is not an item of the scheme", defs[i].id));
                };
                defs[i].sums_into = Some(pi);
            }
        }
        for (i, def) in defs.iter().enumerate() {
            let mut seen = 0;
            let mut cur = def.sums_into;
            while let Some(c) = cur {
                seen += 1;
                if c.0 as usize == i || seen > defs.len() {
                    return Err(format!("item \"{}\": sums_into goes round in a cycle", def.id));
                }
                cur = defs[c.0 as usize].sums_into;
            }
        }
        let mut terms = vec![Vec::new(); defs.len()];
        for (i, def) in defs.iter().enumerate() {
            if let Some(p) = def.sums_into {
                terms[p.0 as usize].push(Item(i as u16));
            }
        }
        // Print order: declaration order; an extension's new item goes after the last item under its
        // parent (or after the parent when none is), a new top-level item at the end.
        let is_under = |mut c: Option<Item>, anc: Item| {
            while let Some(x) = c {
                if x == anc {
                    return true;
                }
                c = defs[x.0 as usize].sums_into;
            }
            false
        };
        let mut print_order: Vec<Item> = Vec::with_capacity(defs.len());
        for (i, def) in defs.iter().enumerate() {
            let item = Item(i as u16);
            let pos = match (extended[i], def.sums_into) {
                (true, Some(parent)) => {
                    let last_under = print_order.iter().rposition(|&x| is_under(defs[x.0 as usize].sums_into, parent));
                    let at_parent = print_order.iter().position(|&x| x == parent);
                    last_under.or(at_parent).map_or(print_order.len(), |p| p + 1)
                }
                _ => print_order.len(),
            };
            print_order.insert(pos, item);
        }
        let mut rank = vec![0; defs.len()];
        for (r, item) in print_order.iter().enumerate() {
            rank[item.0 as usize] = r;
        }
        // The label index: a label names one item only.
        let mut labels: HashMap<String, Item> = HashMap::new();
        let mut all_labels = Vec::new();
        for (i, def) in defs.iter().enumerate() {
            for label in def.fi.iter().chain(&def.sv) {
                let folded = fold_label(label);
                if folded.is_empty() {
                    continue;
                }
                match labels.get(&folded) {
                    Some(&other) if other.0 as usize != i => {
                        return Err(format!(
                            "item \"{}\": the label \"{label}\" is already a label of \"{}\"",
                            def.id, defs[other.0 as usize].id
                        ));
                    }
                    _ => {}
                }
                labels.insert(folded.clone(), Item(i as u16));
                all_labels.push((folded, Item(i as u16), label.clone()));
            }
        }
        Ok(Scheme { items: defs, by_id, terms, print_order, rank, labels, all_labels })
    }

    /// The item a label names exactly (ignoring case, spaces, punctuation and HTML).
    pub fn find(&self, label: &str) -> Option<Item> {
        self.labels.get(&fold_label(label)).copied()
    }

    /// Every known label: (folded, item, as written).
    pub fn labels(&self) -> &[(String, Item, String)] {
        &self.all_labels
    }

    /// The id of an item of this scheme (not necessarily the one in force).
    pub fn id_of(&self, item: Item) -> Option<&str> {
        self.items.get(item.0 as usize).map(|d| d.id.as_str())
    }

    /// The item with this id in this scheme.
    pub fn item(&self, id: &str) -> Option<Item> {
        self.by_id.get(id).copied()
    }

    /// What an item of this scheme sums into.
    pub fn parent_of(&self, item: Item) -> Option<Item> {
        self.items.get(item.0 as usize).and_then(|d| d.sums_into)
    }

    /// Items of this scheme in print order.
    pub fn print_order(&self) -> &[Item] {
        &self.print_order
    }
}

fn parse_file(text: &str) -> std::result::Result<Vec<Entry>, String> {
    let file: SchemeFile = toml::from_str(text).map_err(|e| crate::error::toml_message(text, &e))?;
    Ok(file.items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_name_their_ids() {
        let s = Scheme::default_scheme();
        let named = [
            (Item::MYYNTITUOTOT, "myyntituotot"),
            (Item::MAKSUTUOTOT, "maksutuotot"),
            (Item::TUET_JA_AVUSTUKSET, "tuet_ja_avustukset"),
            (Item::MUUT_TOIMINTATUOTOT, "muut_toimintatuotot"),
            (Item::VUOKRATUOTOT, "vuokratuotot"),
            (Item::TOIMINTATUOTOT, "toimintatuotot"),
            (Item::VALMISTUS_OMAAN_KAYTTOON, "valmistus_omaan_kayttoon"),
            (Item::HENKILOSTOKULUT, "henkilostokulut"),
            (Item::PALKAT_JA_PALKKIOT, "palkat_ja_palkkiot"),
            (Item::HENKILOSIVUKULUT, "henkilosivukulut"),
            (Item::PALVELUJEN_OSTOT, "palvelujen_ostot"),
            (Item::AINEET_TARVIKKEET_JA_TAVARAT, "aineet_tarvikkeet_ja_tavarat"),
            (Item::AVUSTUKSET, "avustukset"),
            (Item::MUUT_TOIMINTAKULUT, "muut_toimintakulut"),
            (Item::TOIMINTAKULUT, "toimintakulut"),
            (Item::TOIMINTAKATE, "toimintakate"),
            (Item::POISTOT_JA_ARVONALENTUMISET, "poistot_ja_arvonalentumiset"),
            (Item::SISAISET_ERAT, "sisaiset_erat"),
            (Item::LASKENNALLISET_ERAT, "laskennalliset_erat"),
        ];
        for (item, id) in named {
            assert_eq!(s.id_of(item), Some(id));
        }
    }

    #[test]
    fn default_scheme_ties_the_income_statement() {
        let s = Scheme::default_scheme();
        let terms = |id: &str| -> Vec<&str> {
            let total = s.item(id).unwrap();
            s.print_order().iter().filter(|&&i| s.parent_of(i) == Some(total)).map(|&i| s.id_of(i).unwrap()).collect()
        };
        assert_eq!(
            terms("toimintatuotot"),
            ["myyntituotot", "maksutuotot", "tuet_ja_avustukset", "muut_toimintatuotot"]
        );
        assert_eq!(
            terms("toimintakulut"),
            ["henkilostokulut", "palvelujen_ostot", "aineet_tarvikkeet_ja_tavarat", "avustukset", "muut_toimintakulut"]
        );
        assert_eq!(
            terms("toimintakate"),
            ["toimintatuotot", "valmistus_omaan_kayttoon", "valmistevarastojen_muutos", "toimintakulut"]
        );
        assert_eq!(terms("henkilostokulut"), ["palkat_ja_palkkiot", "henkilosivukulut"]);
        assert_eq!(s.parent_of(s.item("poistot_ja_arvonalentumiset").unwrap()), None);
        // Both vocabularies name the same items.
        assert_eq!(s.find("Toimintamenot"), s.item("toimintakulut"));
        assert_eq!(s.find("HENKILÖSTÖMENOT"), s.item("henkilostokulut"));
        assert_eq!(s.find("Verksamhetens inkomster"), s.item("toimintatuotot"));
        assert_eq!(s.find("Köp av tjänster"), s.item("palvelujen_ostot"));
        assert_eq!(s.find("Vuokratulot"), s.item("vuokratuotot"));
        assert_eq!(s.find("Henkilösivumenot"), s.item("henkilosivukulut"));
    }

    #[test]
    fn extension_adds_labels_and_sub_rows_in_print_order() {
        let s = Scheme::extend_default(
            "[[item]]\nid = \"tilavuokrat\"\nkind = \"cost\"\nsums_into = \"muut_toimintakulut\"\n\
             fi = [\"Tilavuokrat\"]\nsv = [\"Lokalhyror\"]\n\
             [[item]]\nid = \"toimintakate\"\nfi = [\"Toimintakate (netto)\"]\n",
        )
        .unwrap();
        let t = s.item("tilavuokrat").unwrap();
        assert_eq!(s.find("lokalhyror"), Some(t));
        assert_eq!(s.find("Toimintakate (netto)"), s.item("toimintakate"));
        let order: Vec<&str> = s.print_order().iter().map(|&i| s.id_of(i).unwrap()).collect();
        let at = |id: &str| order.iter().position(|x| *x == id).unwrap();
        assert!(at("vuokrakulut") < at("tilavuokrat") && at("tilavuokrat") < at("toimintakulut"), "{order:?}");
    }

    #[test]
    fn bad_extensions_name_the_entry() {
        let err = |t: &str| Scheme::extend_default(t).unwrap_err();
        assert!(err("[[item]]\nid = \"Bad Id\"\nkind = \"cost\"\nfi = [\"X\"]\n").contains("item 1"));
        assert!(err("[[item]]\nid = \"uusi\"\nfi = [\"Uusi rivi\"]\n").contains("needs a kind"));
        assert!(err("[[item]]\nid = \"uusi\"\nkind = \"cost\"\nfi = [\"Palvelujen ostot\"]\n")
            .contains("already a label of \"palvelujen_ostot\""));
        assert!(err("[[item]]\nid = \"toimintakate\"\nkind = \"cost\"\nfi = [\"X\"]\n").contains("kind"));
        assert!(err("[[item]]\nid = \"x\"\nkind = \"costs\"\nfi = [\"X\"]\n").contains("line"));
        assert!(err("[[item]]\nid = \"x\"\nkind = \"cost\"\nfi = [\"X\"]\ncolour = 1\n").contains("colour"));
        assert!(err("[[item]]\nid = \"a\"\nkind = \"cost\"\nsums_into = \"b\"\nfi = [\"A\"]\n\
             [[item]]\nid = \"b\"\nkind = \"cost\"\nsums_into = \"a\"\nfi = [\"B\"]\n")
        .contains("cycle"));
    }
}
