//! `extract --explain`: every table found, with what was read of it and why. For each table: its place,
//! unit, year, money unit and signs each with the evidence, each column's reading, its rows read and the
//! rows not read with the reason; then the tables passed over (no row names a line item) with why. The last
//! line counts them, so that no number of a document goes unaccounted for.

use crate::model::TableReport;
use std::io::Write;

/// Writes the account of `tables`, budget changes with their decisions among them.
pub fn write_text(tables: &[TableReport], mut out: impl Write) -> std::io::Result<()> {
    let read: Vec<&TableReport> = tables.iter().filter(|t| t.passed_over.is_none()).collect();
    let passed: Vec<&TableReport> = tables.iter().filter(|t| t.passed_over.is_some()).collect();
    for (k, t) in read.iter().enumerate() {
        writeln!(out, "table {} of {}: {} {} – {}", k + 1, read.len(), t.file, t.from, t.to)?;
        let unit_from = t.unit_evidence.as_ref().map(ToString::to_string).unwrap_or_default();
        writeln!(out, "  unit: {} (from {unit_from})", t.unit.as_deref().unwrap_or("–"))?;
        match t.year {
            Some(y) => writeln!(out, "  year: {y} (from {})", t.year_evidence)?,
            None => writeln!(out, "  year: none")?,
        }
        writeln!(out, "  money unit: {} € (from {})", t.money_unit.normalize(), t.money_evidence)?;
        writeln!(out, "  signs: {}", t.signs.as_ref().map(ToString::to_string).unwrap_or_default())?;
        for c in &t.columns {
            writeln!(out, "  column {c}")?;
        }
        writeln!(
            out,
            "  rows read: {}, figures: {}, rows not read: {}",
            t.rows_read,
            t.figures,
            t.rows_not_read.len()
        )?;
        for r in &t.rows_not_read {
            writeln!(out, "    not read: {} \"{}\": {}", r.place, r.label, r.why)?;
        }
        for c in &t.changes {
            writeln!(out, "    change: {} {} {} \"{}\"", c.place, c.line_item.id(), c.amount, c.decision)?;
        }
    }
    if !passed.is_empty() {
        writeln!(out, "passed over ({}): tables that are not budget tables", passed.len())?;
        for t in &passed {
            let why = t.passed_over.as_ref().map(ToString::to_string).unwrap_or_default();
            writeln!(out, "  {} {}: {why}", t.file, t.from)?;
        }
    }
    let not_read: usize = read.iter().map(|t| t.rows_not_read.len()).sum();
    let figures: usize = read.iter().map(|t| t.figures).sum();
    writeln!(
        out,
        "{} tables read ({figures} figures, {not_read} rows not read), {} passed over",
        read.len(),
        passed.len()
    )
}
