//! The sums a table prints: a total, the line items the table prints as its terms, the table's columns,
//! and the rows among the terms that could not be read. Ingest finds them; the engine checks them.

use super::{Figure, LineItem, Scenario};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// A total and its printed terms, checked in every column of the table where the total is given.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSum {
    pub unit: String,
    pub total: LineItem,
    pub terms: Vec<LineItem>,
    /// The (scenario, year) columns of the table.
    pub columns: Vec<(Scenario, i32)>,
    /// Rows with unknown labels among the terms: a failing check that involves them is not an error.
    pub unread: Vec<Unread>,
}

/// A row the extraction could not place: its label, where it is, and its figures in euros.
#[derive(Debug, Clone, PartialEq)]
pub struct Unread {
    pub label: String,
    pub source: String,
    pub values: Vec<(Scenario, i32, Decimal)>,
}

/// The scheme's sums over figures that carry no table structure (a ledger's, or hand-made ones): per unit
/// and year, each total present is checked against the terms present that no other present term is
/// above in the scheme.
pub fn scheme_sums(figures: &[Figure]) -> Vec<TableSum> {
    let mut present: BTreeMap<(&str, i32), BTreeSet<LineItem>> = BTreeMap::new();
    let mut columns: BTreeMap<(&str, i32), BTreeSet<Scenario>> = BTreeMap::new();
    for f in figures {
        if f.line_item.of_which_internal {
            continue;
        }
        present.entry((f.unit.as_str(), f.year)).or_default().insert(f.line_item);
        columns.entry((f.unit.as_str(), f.year)).or_default().insert(f.scenario);
    }
    let mut out = Vec::new();
    for ((unit, year), items) in &present {
        for total in items.iter().filter(|li| li.item.is_subtotal()) {
            let under: Vec<LineItem> = items.iter().copied().filter(|li| li.item.is_under(total.item)).collect();
            let terms: Vec<LineItem> =
                under.iter().copied().filter(|li| !under.iter().any(|o| o != li && li.item.is_under(o.item))).collect();
            if terms.is_empty() {
                continue;
            }
            out.push(TableSum {
                unit: unit.to_string(),
                total: *total,
                terms,
                columns: columns[&(*unit, *year)].iter().map(|&s| (s, *year)).collect(),
                unread: Vec::new(),
            });
        }
    }
    out
}
