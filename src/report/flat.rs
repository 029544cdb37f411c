//! The final rows as a flat table for pivot tables, Power BI and open data (`rivit.csv`, `rivit.parquet`): one
//! row per unit, line item and year with the unit's path in the organisation, the budget, its changes, the
//! budget after changes, the actuals, the variance in euros and percent, the binding appropriation's status,
//! the finance office's explanation and the sources. The same numbers as every other output: the engine's rows,
//! never recomputed. Amounts are exact (decimal text in the CSV, a Decimal column in Parquet).

use super::ReportContext;
use crate::engine::interim::{InterimRow, Risk};
use crate::engine::Row;
use crate::error::{Error, Result};
use rust_decimal::Decimal;

pub const CSV: &str = "rivit.csv";
pub const PARQUET: &str = "rivit.parquet";

/// The columns, in order.
pub const COLUMNS: [&str; 21] = [
    "unit",
    "unit_path",
    "line_item",
    "line_item_fi",
    "year",
    "ta",
    "ta_muutokset",
    "ta_muutettu",
    "tp",
    "variance",
    "variance_pct",
    "binding",
    "explanation",
    "sources",
    "rolled_up",
    // An interim report's: actuals to date, the budget due by now, the forecast to year end, its method (`document`,
    // `run_rate`, `phasing`, `last_year_profile`), its
    // variance against the budget after changes, and a binding appropriation's risk (`within`, `within_right`,
    // `overrun`).
    "toteuma_kausi",
    "ta_kausi",
    "forecast",
    "forecast_method",
    "forecast_variance",
    "forecast_risk",
];

/// The amount columns (exact decimals).
const AMOUNTS: [&str; 9] = [
    "ta",
    "ta_muutokset",
    "ta_muutettu",
    "tp",
    "variance",
    "toteuma_kausi",
    "ta_kausi",
    "forecast",
    "forecast_variance",
];

/// A unit's path from its root, ` / ` between names (`Kaupunki / Sivistystoimi / Perusopetus`).
fn path(ctx: &ReportContext, unit: &str) -> String {
    let Some(org) = ctx.org else { return unit.to_string() };
    let mut names = vec![unit.to_string()];
    let mut at = org.find(unit);
    // The org file's tree has no cycles (it is checked when loaded); the bound is a guard all the same.
    while let Some(parent) = at.and_then(|u| u.parent.clone()).filter(|_| names.len() <= org.units.len()) {
        at = org.find(&parent);
        names.push(parent);
    }
    names.reverse();
    names.join(" / ")
}

/// A binding appropriation's status for the row: `within`, `within_right`, `overrun`, or empty.
fn binding(ctx: &ReportContext, row: &Row) -> &'static str {
    ctx.binding(&row.unit, row.line_item, row.year).map_or("", |b| b.status().code())
}

/// Each row's cells as text (amounts as exact decimal text, blank where there is none).
fn cells(ctx: &ReportContext, interims: &Interims, row: &Row) -> Vec<String> {
    let d = |x: Option<Decimal>| x.map(|d| d.normalize().to_string()).unwrap_or_default();
    let interim = interim_of(ctx, interims, row);
    let risk = match interim.and_then(|i| i.risk) {
        Some(Risk::Within) => "within",
        Some(Risk::WithinRight) => "within_right",
        Some(Risk::Overrun) => "overrun",
        None => "",
    };
    vec![
        row.unit.clone(),
        path(ctx, &row.unit),
        row.line_item.id(),
        row.line_item.label("fi"),
        row.year.to_string(),
        d(row.ta),
        d(row.ta_muutokset),
        d(row.ta_muutettu),
        d(row.tp),
        d(row.variance_shown()),
        row.variance_pct.map(|p| format!("{p:.1}")).unwrap_or_default(),
        binding(ctx, row).to_string(),
        ctx.explanation(row).unwrap_or_default().to_string(),
        ctx.sources(row),
        if row.rolled_up { "true" } else { "false" }.to_string(),
        d(row.kausi),
        d(interim.map(|i| i.budget_to_date)),
        d(interim.map(|i| i.forecast)),
        interim.map(|i| i.method.id()).unwrap_or_default().to_string(),
        d(interim.map(|i| i.forecast_variance)),
        risk.to_string(),
    ]
}

/// An interim report's rows by unit and line item (looked up once a row: a city has tens of thousands).
type Interims<'a> = std::collections::HashMap<(&'a str, crate::model::LineItem), &'a InterimRow>;

fn interims<'a>(ctx: &'a ReportContext) -> Interims<'a> {
    ctx.analysis.interim.iter().map(|i| ((i.unit.as_str(), i.line_item), i)).collect()
}

/// A row's interim figures, where the run is an interim report.
fn interim_of<'a>(ctx: &ReportContext, interims: &Interims<'a>, row: &Row) -> Option<&'a InterimRow> {
    ctx.analysis.period.as_ref().filter(|p| p.year == row.year)?;
    interims.get(&(row.unit.as_str(), row.line_item)).copied()
}

/// The rows as CSV (UTF-8, comma-separated, a header row).
pub fn render_csv(ctx: &ReportContext) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Report(format!("{CSV}: {e}"));
    w.write_record(COLUMNS).map_err(err)?;
    let interims = interims(ctx);
    for row in &ctx.analysis.rows {
        w.write_record(cells(ctx, &interims, row)).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Report(format!("{CSV}: {e}")))
}

/// The rows as Parquet: amounts as Decimal(38, s) at the largest scale among them, the year as an integer,
/// the percent as a float (a ratio, not money), the rest as text.
pub fn render_parquet(ctx: &ReportContext) -> Result<Vec<u8>> {
    use polars::prelude::*;
    let err = |e: PolarsError| Error::Report(format!("{PARQUET}: {e}"));
    let interims = interims(ctx);
    let rows: Vec<Vec<String>> = ctx.analysis.rows.iter().map(|r| cells(ctx, &interims, r)).collect();
    let scale = ctx
        .analysis
        .rows
        .iter()
        .flat_map(|r| {
            let i = interim_of(ctx, &interims, r);
            [
                r.ta,
                r.ta_muutokset,
                r.ta_muutettu,
                r.tp,
                r.variance_shown(),
                r.kausi,
                i.map(|i| i.budget_to_date),
                i.map(|i| i.forecast),
                i.map(|i| i.forecast_variance),
            ]
        })
        .flatten()
        .map(|d| d.normalize().scale())
        .max()
        .unwrap_or(0) as usize;
    let mut columns: Vec<Column> = Vec::new();
    for (k, name) in COLUMNS.iter().enumerate() {
        let texts: Vec<Option<&str>> =
            rows.iter().map(|r| Some(r[k].as_str()).filter(|t| !t.is_empty() || !AMOUNTS.contains(name))).collect();
        let series = Series::new((*name).into(), texts);
        let column = match *name {
            "year" => series.cast(&DataType::Int32).map_err(err)?,
            "variance_pct" => {
                let v: Vec<Option<f64>> = ctx.analysis.rows.iter().map(|r| r.variance_pct).collect();
                Series::new((*name).into(), v)
            }
            "rolled_up" => {
                let v: Vec<bool> = ctx.analysis.rows.iter().map(|r| r.rolled_up).collect();
                Series::new((*name).into(), v)
            }
            n if AMOUNTS.contains(&n) => series.cast(&DataType::Decimal(38, scale)).map_err(err)?,
            _ => series,
        };
        columns.push(column.into());
    }
    let mut df = DataFrame::new(rows.len(), columns).map_err(err)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).finish(&mut df).map_err(err)?;
    Ok(out)
}
