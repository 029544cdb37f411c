//! Ledger exports as Parquet: the same columns as a CSV ledger (`ledger`), scanned by polars and summed per
//! (year, cost center, account) in the scan, exactly: amounts are read as decimals (`Decimal(38, s)`, the
//! file's own scale, at least cents), never summed as floats. The sums then map to units and line items as a
//! CSV ledger's do, with the same unmapped findings and reconciliation. Each figure's source is the file and
//! how many rows made it.

use super::ledger::{
    figures_from_sums, internal_flag, layout_of, mapped_key, o_index, scenario_word, Chunk, LedgerOptions, INTERNAL_BIT,
};
use super::workbook::WorkbookFigures;
use crate::error::{Error, Result};
use crate::model::Item;
use crate::model::{Org, Scenario};
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

pub fn read_parquet(path: &Path, shown: &str, org: Option<&Org>, options: &LedgerOptions) -> Result<WorkbookFigures> {
    let bad = |reason: String| Error::File { path: shown.to_string(), reason };
    let plain = |e: PolarsError| bad(format!("not a readable Parquet ledger: {}", first_line(&e.to_string())));
    let source = PlRefPath::try_from_path(path).map_err(plain)?;
    let mut lf = LazyFrame::scan_parquet(source, ScanArgsParquet::default()).map_err(plain)?;
    let schema = lf.collect_schema().map_err(plain)?;
    let original: Vec<PlSmallStr> = schema.iter_names().cloned().collect();
    let header: Vec<String> = original.iter().map(|n| n.trim().to_lowercase()).collect();
    let layout = layout_of(header, &options.columns, shown)?;
    let name = |k: usize| original[k].clone();
    // Amounts as exact decimals at the file's own scale (at least cents); integers and floats as cents.
    let scale = layout
        .amount_cols
        .iter()
        .filter_map(|(k, _)| match schema.get(&name(*k)) {
            Some(DataType::Decimal(_, s)) => Some(*s),
            _ => None,
        })
        .max()
        .unwrap_or(2)
        .clamp(2, 12);
    let money = DataType::Decimal(38, scale);
    // Each distinct code is mapped once, here: a small table gives every cost center its unit's index (and
    // every account its line item's) where the org file (the chart) maps it, else a key of its own past
    // UNMAPPED. The scan then groups by unit and item: a few thousand groups instead of a million.
    const UNMAPPED: i64 = 1 << 40;
    let distinct = |c: usize, alias: &str| -> Result<(DataFrame, Vec<String>)> {
        let df = lf
            .clone()
            .select([col(name(c)).alias(alias)])
            .unique(None, UniqueKeepStrategy::Any)
            .collect()
            .map_err(plain)?;
        let texts = df.column(alias).map_err(plain)?.as_materialized_series().cast(&DataType::String).map_err(plain)?;
        let texts: Vec<String> =
            texts.str().map_err(plain)?.iter().map(|v| v.unwrap_or_default().trim().to_string()).collect();
        Ok((df, texts))
    };
    let (cc_df, cc_texts) = distinct(layout.cc_col, "cc_v")?;
    let (acc_df, acc_texts) = distinct(layout.acc_col, "acc_v")?;
    let cc_keys: Vec<i64> = cc_texts
        .iter()
        .enumerate()
        .map(|(i, t)| match org.and_then(|o| o.unit_of_code(t)).and_then(|u| o_index(org, u)) {
            Some(u) => u as i64,
            None => UNMAPPED + i as i64,
        })
        .collect();
    let acc_keys: Vec<i64> = acc_texts
        .iter()
        .enumerate()
        .map(|(i, t)| match options.chart.item_of(t) {
            Some(item) => item.index() as i64,
            None => UNMAPPED + i as i64,
        })
        .collect();
    let with_keys = |df: DataFrame, k: &str, keys: Vec<i64>| -> Result<LazyFrame> {
        let mut df = df;
        df.with_column(Column::new(k.into(), keys)).map_err(plain)?;
        Ok(df.lazy())
    };
    let lf = lf.left_join(with_keys(cc_df, "cck", cc_keys)?, col(name(layout.cc_col)), col("cc_v")).left_join(
        with_keys(acc_df, "acck", acc_keys)?,
        col(name(layout.acc_col)),
        col("acc_v"),
    );
    let mut keys = vec![
        col(name(layout.year_col)).cast(DataType::Int32).alias("year"),
        col("cck").fill_null(lit(-1i64)).alias("cc"),
        col("acck").fill_null(lit(-1i64)).alias("acc"),
    ];
    if let Some(k) = layout.internal_col {
        keys.push(col(name(k)).cast(DataType::String).fill_null(lit("")).alias("internal"));
    }
    if let Some((_, k)) = layout.long {
        keys.push(col(name(k)).cast(DataType::String).alias("scenario"));
    }
    let amount_names: Vec<PlSmallStr> = match layout.long {
        Some((a, _)) => vec![name(a)],
        None => layout.amount_cols.iter().map(|(k, _)| name(*k)).collect(),
    };
    let mut aggs = vec![len().alias("rows")];
    for (i, n) in amount_names.iter().enumerate() {
        let amount = col(n.clone()).cast(money.clone());
        aggs.push(amount.clone().sum().alias(format!("sum{i}")));
        aggs.push(amount.clone().max().alias(format!("max{i}")));
        aggs.push(amount.clone().min().alias(format!("min{i}")));
        aggs.push(col(n.clone()).count().alias(format!("n{i}")));
    }
    let mut key_names = vec![col("year"), col("cc"), col("acc")];
    if layout.internal_col.is_some() {
        key_names.push(col("internal"));
    }
    if layout.long.is_some() {
        key_names.push(col("scenario"));
    }
    let df = lf
        .select(keys.into_iter().chain(amount_names.iter().map(|n| col(n.clone()))).collect::<Vec<_>>())
        .group_by(key_names)
        .agg(aggs)
        .collect()
        .map_err(plain)?;
    let strings = |c: &str| -> Result<Vec<Option<String>>> {
        let s = df.column(c).map_err(plain)?.as_materialized_series().str().map_err(plain)?.clone();
        Ok(s.iter().map(|v| v.map(str::to_string)).collect())
    };
    let decimals = |c: &str| -> Result<Vec<Option<Decimal>>> {
        let s = df.column(c).map_err(plain)?.as_materialized_series().clone();
        let d = s.decimal().map_err(plain)?;
        let sc = d.scale() as u32;
        Ok(d.physical().iter().map(|v| v.and_then(|m| Decimal::try_from_i128_with_scale(m, sc).ok())).collect())
    };
    let counts = |c: &str| -> Result<Vec<u64>> {
        let s = df.column(c).map_err(plain)?.as_materialized_series().cast(&DataType::UInt64).map_err(plain)?;
        Ok(s.u64().map_err(plain)?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let years: Vec<Option<i32>> =
        df.column("year").map_err(plain)?.as_materialized_series().i32().map_err(plain)?.iter().collect();
    let ints = |c: &str| -> Result<Vec<i64>> {
        let s = df.column(c).map_err(plain)?.as_materialized_series().cast(&DataType::Int64).map_err(plain)?;
        Ok(s.i64().map_err(plain)?.iter().map(|v| v.unwrap_or(-1)).collect())
    };
    let (ccs, accs) = (ints("cc")?, ints("acc")?);
    let text_of = |k: i64, texts: &[String]| -> String {
        usize::try_from(k - UNMAPPED).ok().and_then(|i| texts.get(i)).cloned().unwrap_or_default()
    };
    let internal = if layout.internal_col.is_some() { Some(strings("internal")?) } else { None };
    let scenarios = if layout.long.is_some() { Some(strings("scenario")?) } else { None };
    let rows = counts("rows")?;
    let mut sums = Vec::new();
    for i in 0..amount_names.len() {
        sums.push((
            decimals(&format!("sum{i}"))?,
            decimals(&format!("max{i}"))?,
            decimals(&format!("min{i}"))?,
            counts(&format!("n{i}"))?,
        ));
    }
    let mut chunk = Chunk::default();
    let mut interned: HashMap<String, u64> = HashMap::new();
    for g in 0..df.height() {
        let Some(year) = years[g] else {
            return Err(bad(format!("{} rows have no year (or one that is not a number)", rows[g])));
        };
        let cc = match ccs[g] {
            k @ 0..UNMAPPED => mapped_key(k as usize),
            k => chunk.key(&text_of(k, &cc_texts), &mut interned),
        };
        let mut acc = match accs[g] {
            k @ 0..UNMAPPED => mapped_key(k as usize),
            k => chunk.key(&text_of(k, &acc_texts), &mut interned),
        };
        if let Some(flags) = &internal {
            let v = flags[g].as_deref().unwrap_or("");
            match internal_flag(v.as_bytes()) {
                // An internal row's amount goes to the unit's internal items, whatever its account's line.
                Some(true) if accs[g] >= 0 && accs[g] < UNMAPPED => acc = mapped_key(Item::SISAISET_ERAT.index()),
                Some(true) => acc |= INTERNAL_BIT,
                Some(false) => {}
                None => {
                    return Err(bad(format!(
                        "column \"{}\": {} says neither internal (1, x, kyllä, S) nor external (0, blank, ei, U)",
                        name(layout.internal_col.unwrap_or_default()),
                        crate::error::quoted(v)
                    )))
                }
            }
        }
        // The slots this group fills: each amount column's, or in the long form its scenario's.
        let slots: Vec<(usize, usize)> = match &scenarios {
            Some(names) => {
                let word = names[g].as_deref().unwrap_or("");
                let sc = scenario_word(word).ok_or_else(|| {
                    bad(format!("scenario {} is none of talousarvio, muutokset, toteuma", crate::error::quoted(word)))
                })?;
                let slot = layout.amount_cols.iter().position(|(_, x)| *x == sc).unwrap_or(0);
                vec![(0, slot)]
            }
            None => (0..amount_names.len()).map(|i| (i, i)).collect(),
        };
        let entry = chunk.sums.entry((year, cc, acc)).or_insert(([Decimal::ZERO; 3], 0));
        entry.1 += rows[g];
        for (i, slot) in slots {
            let (sum, max, min, n) = (&sums[i].0[g], &sums[i].1[g], &sums[i].2[g], sums[i].3[g]);
            if [max, min].iter().any(|m| m.is_some_and(|m| !crate::model::plausible(m))) {
                return Err(bad(format!(
                    "column \"{}\" has an amount beyond any budget (more than 10^15 €): check the amounts",
                    amount_names[i]
                )));
            }
            let add = sum.unwrap_or(Decimal::ZERO);
            entry.0[slot] = entry.0[slot]
                .checked_add(add)
                .ok_or_else(|| bad("the amounts' sum is beyond the exact range".into()))?;
            let sc: Scenario = layout.amount_cols[slot].1;
            if n > 0 && !chunk.seen.contains(&(sc, year)) {
                chunk.seen.push((sc, year));
            }
        }
    }
    figures_from_sums(chunk, &layout.amount_cols, shown, org, &options.chart)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
