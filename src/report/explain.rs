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
        writeln!(out, "  unit: {} (from {})", t.unit.as_deref().unwrap_or("–"), t.unit_evidence)?;
        match t.year {
            Some(y) => writeln!(out, "  year: {y} (from {})", t.year_evidence)?,
            None => writeln!(out, "  year: none")?,
        }
        writeln!(out, "  money unit: {} € (from {})", t.money_unit.normalize(), t.money_evidence)?;
        writeln!(out, "  signs: {}", t.signs)?;
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
        for (place, label, why) in &t.rows_not_read {
            writeln!(out, "    not read: {place} \"{label}\": {why}")?;
        }
        for (place, item, amount, decision) in &t.changes {
            writeln!(out, "    change: {place} {item} {amount} \"{decision}\"")?;
        }
    }
    if !passed.is_empty() {
        writeln!(out, "passed over ({}): tables that are not budget tables", passed.len())?;
        for t in &passed {
            writeln!(out, "  {} {}: {}", t.file, t.from, t.passed_over.as_deref().unwrap_or(""))?;
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
