//! Moving figures in and out of polars: exact decimals as `Decimal(38, scale)`, never floats.

use crate::error::{Error, Result};
use polars::prelude::*;
use rust_decimal::Decimal;

pub const PRECISION: usize = 38;

pub fn engine_err(e: PolarsError) -> Error {
    Error::Engine(format!("internal error in the figures engine: {e}"))
}

/// The decimal type used for every amount in a frame of the given scale.
pub fn money(scale: u32) -> DataType {
    DataType::Decimal(PRECISION, scale as usize)
}

/// A literal amount of the frame's decimal type.
pub fn money_lit(d: Decimal, scale: u32) -> Expr {
    let mut d = d;
    d.rescale(scale);
    lit(d.mantissa()).cast(money(scale))
}

/// Reads a decimal column back into exact amounts.
pub fn read_decimals(df: &DataFrame, name: &str) -> Result<Vec<Option<Decimal>>> {
    let col = df.column(name).map_err(engine_err)?;
    let col = col.as_materialized_series();
    let dec = col.decimal().map_err(engine_err)?;
    let scale = dec.scale() as u32;
    Ok(dec.physical().iter().map(|v| v.and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok())).collect())
}

pub fn read_strings(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let col = df.column(name).map_err(engine_err)?;
    let s = col.as_materialized_series().str().map_err(engine_err)?;
    Ok(s.iter().map(|v| v.unwrap_or_default().to_string()).collect())
}

pub fn read_i32(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    let col = df.column(name).map_err(engine_err)?;
    let s = col.as_materialized_series().i32().map_err(engine_err)?;
    Ok(s.iter().collect())
}

pub fn read_u32(df: &DataFrame, name: &str) -> Result<Vec<Option<u32>>> {
    let col = df.column(name).map_err(engine_err)?;
    let s = col.as_materialized_series().cast(&DataType::UInt32).map_err(engine_err)?;
    let s = s.u32().map_err(engine_err)?;
    Ok(s.iter().collect())
}

pub fn read_bool(df: &DataFrame, name: &str) -> Result<Vec<bool>> {
    let col = df.column(name).map_err(engine_err)?;
    let s = col.as_materialized_series().bool().map_err(engine_err)?;
    Ok(s.iter().map(|v| v.unwrap_or(false)).collect())
}

/// One integer key for (unit, line item, scenario, year): grouping on one column is much faster than on
/// four. Line items < 1024 (a scheme has at most 500 items, each with its "of which" row), scenarios < 16
/// and years 1900..5995 fit their fields; unit ids take the remaining 37 bits.
pub fn packed_key(unit: Expr, line_item: Expr, scenario: Expr, year: Expr) -> Expr {
    ((unit.cast(DataType::Int64) * lit(1024i64) + line_item.cast(DataType::Int64)) * lit(16i64)
        + scenario.cast(DataType::Int64))
        * lit(4096i64)
        + (year.cast(DataType::Int64) - lit(1900i64))
}
