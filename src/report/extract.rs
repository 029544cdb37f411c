//! The `extract` output: every figure, one per row, as CSV or JSON.

use crate::model::Figure;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Row<'a> {
    source: String,
    unit: &'a str,
    line_item: String,
    scenario: &'static str,
    year: i32,
    /// A plain decimal with `.`; a string in JSON so that no reader turns it into a float.
    amount: String,
}

fn rows(figures: &[Figure]) -> impl Iterator<Item = Row<'_>> {
    figures.iter().map(|f| Row {
        source: f.source.to_string(),
        unit: &f.unit,
        line_item: f.line_item.id(),
        scenario: f.scenario.id(),
        year: f.year,
        amount: f.amount.normalize().to_string(),
    })
}

/// CSV with the header `source,unit,line_item,scenario,year,amount`.
pub fn write_csv<W: Write>(figures: &[Figure], out: W) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["source", "unit", "line_item", "scenario", "year", "amount"])?;
    for row in rows(figures) {
        w.write_record([
            row.source,
            row.unit.to_string(),
            row.line_item,
            row.scenario.into(),
            row.year.to_string(),
            row.amount,
        ])?;
    }
    w.flush()
}

/// JSON: an array of objects with the same fields, amounts as strings.
pub fn write_json<W: Write>(figures: &[Figure], mut out: W) -> std::io::Result<()> {
    let rows: Vec<Row> = rows(figures).collect();
    serde_json::to_writer_pretty(&mut out, &rows)?;
    writeln!(out)
}
