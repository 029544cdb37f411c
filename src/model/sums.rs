//! The sums a table prints: a total, the line items the table prints as its terms, the table's columns,
//! and the rows among the terms that could not be read. Ingest finds them; the engine checks them.

use super::{Figure, Item, LineItem, Scenario};
use rust_decimal::Decimal;
use std::collections::HashMap;

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

/// A total a ledger export prints as a row of its own (a group row `4000 HENKILÖSTÖKULUT`, a
/// `Toimintatuotot yhteensä` row), against the sum of the account rows it heads, as the file signs them. It is
/// never summed as an account; a difference is an error like any printed total's.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedTotal {
    pub unit: String,
    /// The line item it totals; none for a total of all the unit's (or the file's) rows.
    pub line_item: Option<LineItem>,
    pub scenario: Scenario,
    pub year: i32,
    pub printed: Decimal,
    pub computed: Decimal,
    /// Where the printed total stands (`file:line`, and how many more rows of the unit's).
    pub printed_at: String,
    /// The rows it is checked against (`file (N rows)`).
    pub computed_from: String,
    /// Whether the row says it is a total: else a difference is a warning (its role cannot be told), not an
    /// error.
    pub certain: bool,
    /// A total checked against the month columns beside it (not rows below it).
    pub of_months: bool,
}

/// A table's printed realisation percentage (toteutumis-%, käyttö-%) that its row's actuals over its budget do
/// not give within rounding.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedPercent {
    pub unit: String,
    pub line_item: LineItem,
    pub year: i32,
    /// The actuals (to date or the year's) and the budget the percentage was worked against.
    pub actual: Scenario,
    pub budget: Scenario,
    pub printed: Decimal,
    pub computed: Decimal,
    /// Its cell (`file:line`, `file:sheet!D7`).
    pub source: String,
    /// False where the table prints no budget after changes: the percentage may be of one it does not print
    /// (a warning, not an error).
    pub certain: bool,
}

/// A row the extraction could not place: its label, where it is, and its figures in euros.
#[derive(Debug, Clone, PartialEq)]
pub struct Unread {
    pub label: String,
    pub source: String,
    pub values: Vec<(Scenario, i32, Decimal)>,
    /// None of the row's figures could be read: it may stand in any column.
    pub any_column: bool,
}

impl std::fmt::Display for Unread {
    /// `"label" (source)`, as messages name the row.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\" ({})", self.label, self.source)
    }
}

/// Which items (by scheme index) and which scenarios a unit has figures for in a year.
type Present = (Vec<bool>, [bool; Scenario::COUNT]);

/// The scheme's sums over figures that carry no table structure (a ledger's, or hand-made ones): per unit
/// and year, each total present is checked against the terms present that no other present term is
/// above in the scheme.
pub fn scheme_sums(figures: &[Figure]) -> Vec<TableSum> {
    // Per (unit, year): which items are present (by scheme index) and in which scenarios. One pass over the
    // figures with hashing on plain keys; the scheme is consulted per group, not per figure.
    let mut groups: HashMap<(&str, i32), Present> = HashMap::new();
    let n_items = Item::all().count();
    for f in figures.iter().filter(|f| !f.line_item.of_which_internal) {
        let (items, scenarios) =
            groups.entry((f.unit.as_str(), f.year)).or_insert_with(|| (vec![false; n_items], [false; Scenario::COUNT]));
        if let Some(slot) = items.get_mut(f.line_item.item.index()) {
            *slot = true;
        }
        scenarios[f.scenario.index() as usize] = true;
    }
    let mut keys: Vec<(&str, i32)> = groups.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for key in keys {
        let (present, scenarios) = &groups[&key];
        let items: Vec<LineItem> = Item::all().filter(|i| present[i.index()]).map(LineItem::new).collect();
        let columns: Vec<(Scenario, i32)> =
            Scenario::ALL.into_iter().filter(|s| scenarios[s.index() as usize]).map(|s| (s, key.1)).collect();
        for total in items.iter().filter(|li| li.item.is_subtotal()) {
            let under: Vec<LineItem> = items.iter().copied().filter(|li| li.item.is_under(total.item)).collect();
            let terms: Vec<LineItem> =
                under.iter().copied().filter(|li| !under.iter().any(|o| o != li && li.item.is_under(o.item))).collect();
            if terms.is_empty() {
                continue;
            }
            out.push(TableSum {
                unit: key.0.to_string(),
                total: *total,
                terms,
                columns: columns.clone(),
                unread: Vec::new(),
            });
        }
    }
    out
}
