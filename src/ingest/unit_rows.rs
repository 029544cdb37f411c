//! Summary tables whose rows are units and whose column groups name the line item: the council's summary of
//! appropriations and revenue estimates (`Määrärahat 1000€ | Tuloarviot 1000€`, each over `Alkup. talousarvio
//! | TA:n muutokset | TA muutosten jälkeen | Toteutuma | Poikkeama`), one row per result area ("100 Vaalit B").
//! Appropriations are costs, printed positive by what the word means: they are turned to the reports' signs
//! (their variance, budget − actuals, already is). A row that names no unit of the org file is not read, and
//! said so; a unit's name wrapped over two lines (the code on the second) is joined.

use super::grid::Grid;
use super::table::{RawFigure, ValueColumn};
use crate::model::{Item, LineItem, Org, Scenario};
use rust_decimal::Decimal;

/// The line item a column group's heading names: appropriations (määrärahat, anslag) are the operating costs,
/// revenue estimates (tuloarviot, inkomstberäkning) the operating revenues.
pub fn group_item(header: &str) -> Option<Item> {
    let t = header.to_lowercase();
    if t.contains("määrärah") || t.contains("anslag") {
        Some(Item::TOIMINTAKULUT)
    } else if t.contains("tuloarvi") || t.contains("inkomstberäkn") {
        Some(Item::TOIMINTATUOTOT)
    } else {
        None
    }
}

/// What reading the rows gave: figures (each with its unit), the rows not read (cell, label, reason) and the
/// row after the last one read.
pub struct Read {
    pub figures: Vec<RawFigure>,
    pub not_read: Vec<(String, String, crate::model::NotReadWhy)>,
    pub rows_read: usize,
    pub end: u32,
}

/// The unit a row's label names: the org's name, alias or code, with a marker after it ("100 Vaalit B"), or
/// with the part of its name on the line above (`above`).
fn unit_of(org: &Org, label: &str, above: Option<&str>) -> Option<String> {
    let t = label.trim();
    if let Some(u) = org.find_named(t).or_else(|| org.find_prefix(t)) {
        return Some(u.name.clone());
    }
    let above = above?;
    // "Sivistyksen ja hyvinvoinnin" / "400 toimialan hallinto B": the code first, then the name's parts.
    let (code, rest) = t.split_once(' ').filter(|(c, _)| c.chars().all(|ch| ch.is_ascii_digit()))?;
    let joined = format!("{code} {} {rest}", above.trim());
    org.find_named(&joined).or_else(|| org.find_prefix(&joined)).map(|u| u.name.clone())
}

/// Reads the rows `from..limit`, label in the grid's first column, figures in `columns` with their items.
pub fn read(grid: &Grid, from: u32, limit: u32, columns: &[(ValueColumn, Item)], org: &Org) -> Read {
    let mut out = Read { figures: Vec::new(), not_read: Vec::new(), rows_read: 0, end: from };
    let mut above: Option<String> = None;
    for r in from..limit {
        let label = grid.get(r, grid.start.1).text().unwrap_or_default();
        let mut values = Vec::new();
        let mut bad = None;
        for (vc, _) in columns {
            match super::table::figure_cell(grid.get(r, vc.col)) {
                Ok(v) => values.push(v),
                Err(reason) => {
                    bad.get_or_insert(reason);
                    values.push(None);
                }
            }
        }
        let cell = grid.cell_ref(r, grid.start.1);
        if values.iter().all(Option::is_none) && bad.is_none() {
            // A heading or the first line of a wrapped name; prose ends the table.
            if label.split_whitespace().count() > 8 || label.trim_end().ends_with('.') {
                break;
            }
            above = (!label.trim().is_empty()).then(|| label.clone());
            continue;
        }
        out.end = r + 1;
        if let Some(reason) = bad {
            out.not_read.push((cell, label.trim().to_string(), crate::model::NotReadWhy::NotANumber { value: reason }));
            above = None;
            continue;
        }
        let Some(unit) = unit_of(org, &label, above.as_deref()) else {
            out.not_read.push((cell, label.trim().to_string(), crate::model::NotReadWhy::NoUnit));
            above = None;
            continue;
        };
        above = None;
        out.rows_read += 1;
        for ((vc, item), value) in columns.iter().zip(values) {
            let Some(value) = value else { continue };
            // Appropriations are costs: printed positive, negative in the reports; their variance (budget −
            // actuals) is already the reports'.
            let cost = *item == Item::TOIMINTAKULUT && vc.scenario != Scenario::Poikkeama;
            let value = if cost && !value.is_zero() { -value } else { value };
            out.figures.push(RawFigure {
                unit: Some(unit.clone()),
                line_item: LineItem::new(*item),
                scenario: vc.scenario,
                year: vc.year,
                value: if value.is_zero() { Decimal::ZERO } else { value },
                cell: grid.cell_ref(r, vc.col),
                sum_of: None,
            });
        }
    }
    out
}
