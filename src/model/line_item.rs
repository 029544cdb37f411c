//! A line item as a table reports it: a scheme item, or the "of which internal" row under one.

pub use super::scheme::Item;
use std::fmt;

/// Whether a line item counts as revenue or cost, for the sign check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Revenue,
    Cost,
    /// A margin or net item: either sign is normal.
    Net,
}

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
        let item = Item::from_index((i / 2) as usize)?;
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
        Item::all().flat_map(|i| [LineItem::new(i), LineItem::joista_sisaiset(i)])
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
        assert_eq!(LineItem::from_id("toimintatuotot_joista_sisaiset").unwrap().item, Item::TOIMINTATUOTOT);
        assert_eq!(LineItem::from_id("nonsense"), None);
    }

    #[test]
    fn indices_round_trip() {
        for li in LineItem::all() {
            assert_eq!(LineItem::from_index(li.index()), Some(li));
        }
        assert_eq!(LineItem::from_index(9999), None);
    }

    #[test]
    fn print_order_is_scheme_order() {
        let all: Vec<Item> = Item::all().collect();
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert!(Item::TOIMINTAKATE.is_subtotal());
        assert!(!Item::PALVELUJEN_OSTOT.is_subtotal());
        assert!(Item::PALKAT_JA_PALKKIOT.is_under(Item::TOIMINTAKATE));
    }
}
