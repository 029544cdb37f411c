//! Ledger exports as Parquet: the same columns as a CSV ledger (`ledger`), read by polars' streaming engine in
//! morsels and summed here as they come, exactly: amounts are read as decimals at the file's own scale (at least
//! cents; floats to the cent) and summed as integers of that scale, never as floats. Each distinct cost center
//! and account is mapped once, as a CSV ledger's are, with the same unmapped findings and reconciliation; an
//! error names its row. Each figure's source is the file and how many rows made it.

use super::groups::named_total;
use super::header::year_of_cell;
use super::ledger_amount;
use super::{
    figures_from_sums, internal_flag, layout_of, may_be_total, scenario_word, total_row, Chunk, FastHash, GroupRow,
    Layout, LedgerOptions, Mapper, INTERNAL_BIT, MAX_GROUP_ROWS, SLOTS,
};
use crate::error::quoted;
use crate::error::{Error, Result};
use crate::ingest::number::Parsed;
use crate::ingest::workbook::WorkbookFigures;
use crate::model::{Item, Org};
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

pub fn read_parquet(path: &Path, shown: &str, org: Option<&Org>, options: &LedgerOptions) -> Result<WorkbookFigures> {
    let bad = |reason: String| Error::File { path: shown.to_string(), reason };
    let plain = |e: PolarsError| bad(format!("not a readable Parquet ledger: {}", first_line(&e.to_string())));
    check_byte_ranges(path).map_err(bad)?;
    let source = PlRefPath::try_from_path(path).map_err(plain)?;
    let mut lf = LazyFrame::scan_parquet(source, ScanArgsParquet::default()).map_err(plain)?;
    let schema = lf.collect_schema().map_err(plain)?;
    let original: Vec<PlSmallStr> = schema.iter_names().cloned().collect();
    let header: Vec<String> = original.iter().map(|n| n.trim().to_lowercase()).collect();
    let layout = layout_of(header, &options.columns, shown, (1, &[]))?;
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
    // Amounts as text (`1 234,50`) are parsed here, at up to nine decimals, as a CSV's are.
    let text_amounts = layout.amount_cols.iter().any(|(k, _)| schema.get(&name(*k)) == Some(&DataType::String));
    let scale = if text_amounts { scale.max(9) } else { scale };
    let money = DataType::Decimal(38, scale);
    // Beyond any budget: more than 10^15 € in one row (the file's scale, at most 12, keeps this in an i128).
    let bound: i128 = 10i128.pow(15 + scale as u32);
    // The year as a number where the column is one, else as text (a date or period: `2024-03`, `15.3.2024`).
    let mut select = vec![
        match layout.year_col {
            Some(k) => col(name(k)).cast(code_type(schema.get(&name(k)))).alias("year"),
            None => lit(0i64).cast(DataType::Int64).alias("year"),
        },
        col(name(layout.cc_col)).cast(code_type(schema.get(&name(layout.cc_col)))).alias("cc"),
        col(name(layout.acc_col)).cast(code_type(schema.get(&name(layout.acc_col)))).alias("acc"),
    ];
    if let Some(k) = layout.internal_col {
        select.push(col(name(k)).cast(DataType::String).alias("internal"));
    }
    if let Some((_, k)) = layout.long {
        select.push(col(name(k)).cast(DataType::String).alias("scenario"));
    }
    if let Some(k) = layout.name_col {
        select.push(col(name(k)).cast(DataType::String).alias("name"));
    }
    let amount_names: Vec<PlSmallStr> = match layout.long {
        Some((a, _)) => vec![name(a)],
        None => layout.amount_cols.iter().map(|(k, _)| name(*k)).collect(),
    };
    for (i, n) in amount_names.iter().enumerate() {
        // Numbers as exact decimals; a value that cannot be one stops the read (never a blank in its place).
        let amount = match schema.get(n) {
            Some(DataType::String) => col(n.clone()),
            _ => col(n.clone()).strict_cast(money.clone()),
        };
        select.push(amount.alias(format!("a{i}")));
    }
    // Columns of a type no code, year or amount can be (lists, records, binary data): named before any row is
    // read (polars' cast would say `cannot cast List type` and no column).
    let used: Vec<(usize, &str)> = [
        layout.year_col.map(|k| (k, "years")),
        Some((layout.cc_col, "cost-center codes")),
        Some((layout.acc_col, "account codes")),
    ]
    .into_iter()
    .flatten()
    .chain(layout.amount_cols.iter().map(|(k, _)| (*k, "amounts")))
    .chain(layout.name_col.map(|k| (k, "names")))
    .collect();
    for (k, role) in used {
        let Some(dt) = schema.get(&name(k)) else { continue };
        let what = if dt.is_nested() {
            Some("lists or records (nested values)")
        } else if matches!(dt, DataType::Binary | DataType::BinaryOffset) {
            Some("binary data")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(bad(format!("column \"{}\" holds {what}, not {role}", original[k])));
        }
    }
    // Float amounts: a value past any budget (1e300, infinity, NaN) fails the cast to decimals with no row; the
    // first such row is found and named first.
    for n in amount_names.iter().filter(|n| matches!(schema.get(n), Some(DataType::Float32 | DataType::Float64))) {
        let limit = 1e15;
        let found = lf
            .clone()
            .with_row_index("__row", None)
            .filter(col(n.clone()).gt(lit(limit)).or(col(n.clone()).lt(lit(-limit))))
            .select([col("__row"), col(n.clone()).cast(DataType::Float64)])
            .limit(1)
            .collect()
            .map_err(plain)?;
        if found.height() > 0 {
            let row = found.column("__row").ok().and_then(|c| c.get(0).ok()).map(|v| v.to_string()).unwrap_or_default();
            let value =
                found.column(n.as_str()).ok().and_then(|c| c.f64().ok().and_then(|f| f.get(0))).unwrap_or(f64::NAN);
            let row: u64 = row.parse::<u64>().map_or(0, |r| r + 1);
            let what = if value.is_nan() {
                "NaN is not a number".to_string()
            } else if value.is_infinite() {
                format!("{value} is not a finite amount")
            } else {
                format!("{value:e} is beyond any budget (more than 10^15 €)")
            };
            return Err(bad(format!("row {row}: column \"{n}\": {what}")));
        }
    }
    let lf = lf.select(select);
    // polars' streaming engine reads the file in morsels and hands them, in order and numbered by their first
    // row, to two summing threads, which sum them as the CSV reader sums its rows: each distinct code mapped
    // once, sums per (year, unit, item). Memory is bounded by a few morsels, not by the rows: the summing keeps
    // up with the reading, so few morsels wait.
    // The file is read once for its sums; where codes may head others (`4000` and `400010`, or `4000
    // Personalkostnader`) a second time for those accounts alone, as a CSV ledger is.
    let scan = |family: Option<&std::collections::HashSet<u64>>| -> Result<Chunk> {
        let lf = lf.clone();
        let new_state = |family| Summing {
            family,
            groups_dropped: 0,
            named_seen: Default::default(),
            cc_items: Default::default(),
            last_pair: (u64::MAX, u64::MAX),
            layout: &layout,
            amount_names: &amount_names,
            scale: scale as u32,
            bound,
            shown,
            mapper: Mapper::new(org, &options.chart),
            chunk: Chunk { dates: super::rows::Dates::new(&layout.amount_cols), ..Chunk::default() },
            sums: HashMap::default(),
            interned: HashMap::new(),
            row: 0,
        };
        const WORKERS: usize = 2;
        const SLICE_ROWS: u64 = 4_000_000;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(WORKERS);
        let rx = std::sync::Mutex::new(rx);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let rows_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let done = tx.clone();
        let stopped = || bad("the Parquet reader stopped unexpectedly".into());
        // A thread that meets an error keeps taking morsels (dropping them) until the reader, told to stop, ends:
        // a reader left waiting to hand over a morsel would never end.
        let work = || -> std::result::Result<Summing, (u64, Error)> {
            let mut state = new_state(family);
            let mut failed = None;
            loop {
                let batch = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                match batch {
                    Ok(Batch::Rows(first, df)) if failed.is_none() => {
                        if let Err(e) = state.add(first, df) {
                            stop.store(true, std::sync::atomic::Ordering::Relaxed);
                            failed = Some(e);
                        }
                    }
                    Ok(Batch::Rows(..)) => {}
                    Ok(Batch::Done(Ok(()))) => return failed.map_or(Ok(state), Err),
                    Ok(Batch::Done(Err(e))) => {
                        return Err(
                            failed.unwrap_or((0, bad(format!("not a readable Parquet ledger: {}", first_line(&e)))))
                        )
                    }
                    Err(_) => return Err(failed.unwrap_or((0, stopped()))),
                }
            }
        };
        let results = std::thread::scope(|scope| {
            let (stop, rows_read) = (stop.clone(), rows_read.clone());
            let reader = scope.spawn(move || {
                // The file in slices of rows, each its own scan: polars maps the file into memory for a scan and
                // the pages it has read stay resident until the scan ends, so one scan of a 50 M-row file would
                // hold the whole file. A slice reads only its row groups.
                let mut result = Ok(());
                let mut start = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (stop, rows_read, tx) = (stop.clone(), rows_read.clone(), tx.clone());
                    let before = rows_read.load(std::sync::atomic::Ordering::Relaxed);
                    let counter = rows_read.clone();
                    let callback = PlanCallback::new(move |df: DataFrame| {
                        let first = rows_read.fetch_add(df.height() as u64, std::sync::atomic::Ordering::Relaxed);
                        Ok(stop.load(std::sync::atomic::Ordering::Relaxed) || tx.send(Batch::Rows(first, df)).is_err())
                    });
                    let slice = lf.clone().slice(start as i64, SLICE_ROWS as IdxSize);
                    if let Err(e) = slice
                        .sink_batches(callback, true, None)
                        .and_then(|lf| lf.collect_with_engine(Engine::Streaming))
                    {
                        result = Err(e.to_string());
                        break;
                    }
                    let read = counter.load(std::sync::atomic::Ordering::Relaxed) - before;
                    if read < SLICE_ROWS {
                        break;
                    }
                    start += read;
                }
                drop(tx);
                for _ in 0..WORKERS {
                    done.send(Batch::Done(result.clone())).ok();
                }
            });
            let others: Vec<_> = (1..WORKERS).map(|_| scope.spawn(work)).collect();
            let mut results = vec![work()];
            results.extend(others.into_iter().map(|h| h.join().unwrap_or_else(|_| Err((0, stopped())))));
            if reader.join().is_err() {
                results.push(Err((0, stopped())));
            }
            results
        });
        // The error of the earliest row, when the threads found several.
        let mut states = Vec::new();
        let mut first_error: Option<(u64, Error)> = None;
        for r in results {
            match r {
                Ok(state) => states.push(state),
                Err((row, e)) => {
                    if first_error.as_ref().is_none_or(|(r, _)| row < *r) {
                        first_error = Some((row, e));
                    }
                }
            }
        }
        if let Some((_, e)) = first_error {
            return Err(e);
        }
        let mut chunk = Chunk::default();
        for state in states {
            chunk = chunk.merge(state.finish()?);
        }
        chunk.overflow_error(shown);
        tracing::debug!(
            rows = rows_read.load(std::sync::atomic::Ordering::Relaxed),
            keys = chunk.sums.len(),
            "ledger: parquet rows summed"
        );
        Ok(chunk)
    };
    let mut chunk = scan(None)?;
    let said =
        super::groups::separate_groups(&mut chunk, Mapper::new(org, &options.chart), |family| scan(Some(family)))?;
    let period = super::interim_period(&chunk);
    let mut out = figures_from_sums(chunk, &layout, shown, org, options, period.as_ref().map(|p| &p.0))?;
    out.warnings.extend(said.into_iter().map(|said| crate::model::Warning { location: shown.to_string(), said }));
    super::apply_period(&mut out, period, shown);
    Ok(out)
}

/// What the streaming reader hands over: a morsel of rows with the number of rows before it, or the end (with
/// polars' error, if any).
enum Batch {
    Rows(u64, DataFrame),
    Done(std::result::Result<(), String>),
}

/// A morsel's amounts: decimals as integers at the file's scale, or texts to parse.
enum Amounts<'s> {
    Scaled(&'s Array<Int128Type>),
    Texts(&'s Array<StringType>),
}

impl Amounts<'_> {
    /// Row `g`'s amount in units of `scale` decimals; none for a blank.
    fn get(&self, g: usize, scale: u32) -> std::result::Result<Option<i128>, String> {
        let text = match self {
            Amounts::Scaled(v) => return Ok(v.get(g)),
            Amounts::Texts(v) => v.get(g).unwrap_or(""),
        };
        match ledger_amount(text) {
            Parsed::Blank => Ok(None),
            Parsed::Number(d) if d.scale() <= scale => d
                .mantissa()
                .checked_mul(10i128.pow(scale - d.scale()))
                .map(Some)
                .ok_or_else(|| format!("{} is beyond the exact range", quoted(text))),
            Parsed::Number(_) => Err(format!("{} has more than {scale} decimals", quoted(text))),
            Parsed::NotANumber => Err(super::not_an_amount(text)),
        }
    }
}

/// A morsel's cost-center or account codes: integers as they are, any other type as text.
enum Codes<'s> {
    Numbers(&'s Array<Int64Type>),
    Texts(&'s Array<StringType>),
}

/// The arrow array of a column of one chunk.
type Array<T> = <T as PolarsDataType>::Array;

impl Codes<'_> {
    /// Row `g`'s code key: a number is its own key, as the same digits in a CSV are (see `Chunk::key`).
    fn key(&self, g: usize, chunk: &mut Chunk, interned: &mut HashMap<String, u64>) -> u64 {
        match self {
            Codes::Numbers(v) => match v.get(g) {
                Some(n) if (0..1 << 61).contains(&n) => n as u64,
                Some(n) => chunk.key(&n.to_string(), interned),
                None => chunk.key("", interned),
            },
            Codes::Texts(v) => chunk.key(v.get(g).unwrap_or("").trim(), interned),
        }
    }
}

/// A column's one chunk (the morsel is rechunked first).
fn one<T: PolarsDataType>(ca: &ChunkedArray<T>) -> PolarsResult<&Array<T>> {
    ca.downcast_get(0).ok_or_else(|| polars_err!(ComputeError: "a column without data"))
}

fn texts(s: &Series) -> PolarsResult<&Array<StringType>> {
    one(s.str()?)
}

fn codes(s: &Series) -> PolarsResult<Codes<'_>> {
    Ok(match s.dtype() {
        DataType::Int64 => Codes::Numbers(one(s.i64()?)?),
        _ => Codes::Texts(texts(s)?),
    })
}

/// The type a code column is read as: integers as `Int64` (no text made per row), anything else as text.
fn code_type(dtype: Option<&DataType>) -> DataType {
    match dtype {
        Some(t) if t.is_integer() => DataType::Int64,
        _ => DataType::String,
    }
}

/// A key's amounts in units of the file's scale, and its rows.
type CentSums = ([i128; SLOTS], [u64; SLOTS]);

/// The running sums of a Parquet ledger's morsels.
struct Summing<'a> {
    layout: &'a Layout,
    amount_names: &'a [PlSmallStr],
    scale: u32,
    bound: i128,
    shown: &'a str,
    mapper: Mapper<'a>,
    chunk: Chunk,
    /// Sums per (year, cost center, account) in units of the file's scale (exact integers; made decimals at the
    /// end, in `finish`).
    sums: HashMap<(i32, u64, u64), CentSums, FastHash>,
    interned: HashMap<String, u64>,
    /// The row being summed (for the row an error names, counted from 1).
    row: u64,
    /// In the second reading, the accounts (by their codes) whose sums alone are kept, unmapped.
    family: Option<&'a std::collections::HashSet<u64>>,
    /// Group rows beyond those kept.
    groups_dropped: u64,
    /// Accounts whose names were looked at (see `groups::named_total`).
    named_seen: std::collections::HashSet<u64, FastHash>,
    /// (cost center as read, line item's key) pairs met.
    cc_items: std::collections::HashSet<(u64, u64), FastHash>,
    /// The last (cost center, line item) pair met.
    last_pair: (u64, u64),
}

impl Summing<'_> {
    /// Sums a morsel whose first row is row `first + 1`; an error comes with its row.
    fn add(&mut self, first: u64, df: DataFrame) -> std::result::Result<(), (u64, Error)> {
        self.row = first;
        self.add_rows(df).map_err(|e| (self.row, e))
    }

    fn add_rows(&mut self, mut df: DataFrame) -> Result<()> {
        if df.height() == 0 {
            return Ok(());
        }
        df.rechunk_mut();
        let shown = self.shown;
        let plain = |e: PolarsError| Error::File {
            path: shown.to_string(),
            reason: format!("not a readable Parquet ledger: {}", first_line(&e.to_string())),
        };
        let at =
            |row: u64, reason: String| Error::File { path: shown.to_string(), reason: format!("row {row}: {reason}") };
        let column = |c: &str| df.column(c).map(|c| c.as_materialized_series().clone()).map_err(plain);
        let (year_s, cc_s, acc_s) = (column("year")?, column("cc")?, column("acc")?);
        let (internal_s, scenario_s) = (
            self.layout.internal_col.map(|_| column("internal")).transpose()?,
            self.layout.long.map(|_| column("scenario")).transpose()?,
        );
        let years = codes(&year_s).map_err(plain)?;
        let (ccs, accs) = (codes(&cc_s).map_err(plain)?, codes(&acc_s).map_err(plain)?);
        let internal = internal_s.as_ref().map(texts).transpose().map_err(plain)?;
        let scenarios = scenario_s.as_ref().map(texts).transpose().map_err(plain)?;
        let name_s = self.layout.name_col.map(|_| column("name")).transpose()?;
        let names = name_s.as_ref().map(texts).transpose().map_err(plain)?;
        let amount_s: Vec<Series> =
            (0..self.amount_names.len()).map(|i| column(&format!("a{i}"))).collect::<Result<_>>()?;
        let amounts: Vec<Amounts> = amount_s
            .iter()
            .map(|s| match s.dtype() {
                DataType::String => texts(s).map(Amounts::Texts),
                _ => s.decimal().and_then(|d| one(d.physical())).map(Amounts::Scaled),
            })
            .collect::<PolarsResult<_>>()
            .map_err(plain)?;
        let amount_cols = &self.layout.amount_cols;
        for g in 0..df.height() {
            self.row += 1;
            let row = self.row;
            let year = match &years {
                _ if self.layout.year_col.is_none() => Some(0),
                Codes::Numbers(v) => v.get(g).and_then(|y| i32::try_from(y).ok()).filter(|y| (1900..=2100).contains(y)),
                Codes::Texts(v) => v.get(g).and_then(year_of_cell),
            };
            let Some(year) = year else {
                let c = self.layout.year_col.unwrap_or_default();
                let cell = match &years {
                    Codes::Numbers(v) => v.get(g).map(|y| y.to_string()),
                    Codes::Texts(v) => v.get(g).map(str::to_string),
                };
                return Err(at(
                    row,
                    format!(
                        "column \"{}\": {} is not a year (nor a date or period with one)",
                        self.layout.header[c],
                        cell.map_or("a blank".to_string(), |c| crate::error::quoted(&c))
                    ),
                ));
            };
            let flag = match &internal {
                Some(flags) => {
                    let v = flags.get(g).unwrap_or("");
                    match internal_flag(v.as_bytes()) {
                        Some(true) => INTERNAL_BIT,
                        Some(false) => 0,
                        None => {
                            let c = self.layout.internal_col.unwrap_or_default();
                            return Err(at(
                                row,
                                format!(
                                    "column \"{}\": {} says neither internal (1, x, kyllä, S) nor external (0, blank, \
                                     ei, U)",
                                    self.layout.header[c],
                                    crate::error::quoted(v)
                                ),
                            ));
                        }
                    }
                }
                None => 0,
            };
            // The slot each amount fills: its column's, or in the long form its row's scenario's.
            let only = match &scenarios {
                Some(names) => {
                    let word = names.get(g).unwrap_or("");
                    let sc = scenario_word(word).ok_or_else(|| {
                        at(
                            row,
                            format!(
                                "scenario {} is none of talousarvio, muutokset, toteuma",
                                crate::error::quoted(word)
                            ),
                        )
                    })?;
                    Some(amount_cols.iter().position(|(_, x)| *x == sc).unwrap_or(0))
                }
                None => None,
            };
            // The row's amount in each slot it fills (in the long form, its scenario's).
            let (mut vals, mut filled) = ([0i128; SLOTS], 0u32);
            for (i, column) in amounts.iter().enumerate() {
                let m = column
                    .get(g, self.scale)
                    .map_err(|e| at(row, format!("column \"{}\": {e}", self.amount_names[i])))?;
                let Some(m) = m else { continue };
                let m = if self.layout.negated.get(i) == Some(&true) { -m } else { m };
                // In euros: a column in thousands by its factor (a whole number; past the range: beyond any budget).
                let factor = self
                    .layout
                    .factors
                    .get(only.unwrap_or(i))
                    .map(|f| f.normalize())
                    .filter(|f| f.scale() == 0)
                    .map(|f| f.mantissa());
                let m = match factor {
                    Some(f) if f != 1 => m.checked_mul(f).unwrap_or(i128::MAX),
                    _ => m,
                };
                if m.unsigned_abs() > self.bound.unsigned_abs() {
                    return Err(at(
                        row,
                        format!(
                            "column \"{}\" has an amount beyond any budget (more than 10^15 €): check the amounts",
                            self.amount_names[i]
                        ),
                    ));
                }
                let slot = only.unwrap_or(i);
                vals[slot] = m;
                filled |= 1 << slot;
            }
            // Actuals by month, as a CSV ledger's: the last month each year's are dated; after an interim period's
            // end, not read (in the second reading too; counted and said once, in the first).
            let month = match &years {
                Codes::Texts(v) => v.get(g).and_then(super::header::month_of_cell),
                Codes::Numbers(_) => None,
            };
            let first = self.family.is_none();
            let decimal = |m: i128| Decimal::try_from_i128_with_scale(m, self.scale).unwrap_or_default();
            let before = filled;
            let dated = self.layout.year_col.is_some();
            filled = self.chunk.dates.cut(year, month, filled, first, dated, |k| decimal(vals[k]));
            for k in (0..SLOTS).filter(|k| (before & !filled) & (1 << k) != 0) {
                vals[k] = 0;
            }
            if filled == 0 && before != 0 {
                continue;
            }
            let name = names.as_ref().and_then(|n| n.get(g)).unwrap_or("").trim();
            // A report export's group or total row: kept to be checked, never summed as an account.
            if self.family.is_none() {
                let (acc_text, coded) = match &accs {
                    Codes::Numbers(v) => (v.get(g).map(|n| n.to_string()).unwrap_or_default(), v.get(g).is_some()),
                    Codes::Texts(v) => {
                        let t = v.get(g).unwrap_or("").trim();
                        (t.to_string(), !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                    }
                };
                if (!coded && may_be_total(acc_text.as_bytes()))
                    || (!name.is_empty() && may_be_total(name.as_bytes()))
                    || acc_text.is_empty()
                {
                    let cc_text = match &ccs {
                        Codes::Numbers(v) => v.get(g).map(|n| n.to_string()).unwrap_or_default(),
                        Codes::Texts(v) => v.get(g).unwrap_or("").trim().to_string(),
                    };
                    if let Some(total) = total_row(&acc_text, name, &cc_text) {
                        if self.chunk.groups.len() < MAX_GROUP_ROWS {
                            let mut decimals = [Decimal::ZERO; SLOTS];
                            for (d, m) in decimals.iter_mut().zip(vals) {
                                *d = Decimal::try_from_i128_with_scale(m, self.scale)
                                    .map_err(|_| at(row, "an amount is beyond the exact range".into()))?;
                            }
                            self.chunk.groups.push(GroupRow {
                                line: row,
                                year,
                                cost_center: cc_text,
                                unit: None,
                                label: total.label,
                                amounts: decimals,
                                filled,
                                certain: total.certain,
                                item: total.item,
                            });
                        } else {
                            self.groups_dropped += 1;
                        }
                        continue;
                    }
                }
            }
            let cc_raw = ccs.key(g, &mut self.chunk, &mut self.interned);
            let acc_raw = accs.key(g, &mut self.chunk, &mut self.interned);
            let key = match self.family {
                // The second reading: only the accounts that may head or be headed, by their codes.
                Some(family) if flag == 0 && family.contains(&acc_raw) => (year, cc_raw, acc_raw),
                Some(_) => continue,
                None => {
                    if acc_raw >> 61 == 0 && !name.is_empty() && self.named_seen.insert(acc_raw) {
                        if let Some(item) = named_total(&acc_raw.to_string(), name, self.mapper.chart) {
                            self.chunk.named_heads.push((acc_raw, item));
                        }
                    }
                    let (cc, acc) = (
                        self.mapper.cost_center(cc_raw, &self.chunk.names),
                        self.mapper.account(acc_raw | flag, &self.chunk.names),
                    );
                    // Codes in no unit or line item past the first few thousand: summed under one key, each
                    // counted (as a CSV's are).
                    let cc = self.chunk.fold.cost_center(cc, filled, self.layout, year);
                    let acc = if super::mapping::mapped_index(cc).is_some() {
                        self.chunk.fold.account(acc, filled, self.layout, year)
                    } else {
                        acc
                    };
                    if cc != super::rows::FOLDED && (cc_raw, acc) != self.last_pair {
                        self.last_pair = (cc_raw, acc);
                        self.cc_items.insert(self.last_pair);
                    }
                    // Dated actuals per month: last year's months give its monthly profile.
                    self.chunk.dates.add_month((year, month), (cc, acc), filled, self.layout, |k| decimal(vals[k]));
                    (year, cc, acc)
                }
            };
            let entry = self.sums.entry(key).or_insert(([0; SLOTS], [0; SLOTS]));
            let mut counted = 0u32;
            for (slot, m) in vals.iter().enumerate().filter(|(k, _)| filled & (1 << k) != 0) {
                // The row counts once for each figure it fills (a debit and a credit column of one figure, once).
                let canon = self.layout.canonical_slot(slot);
                if counted & (1 << canon) == 0 {
                    entry.1[canon] += 1;
                    counted |= 1 << canon;
                }
                entry.0[slot] = entry.0[slot]
                    .checked_add(*m)
                    .ok_or_else(|| at(row, "the amounts' sum is beyond the exact range".into()))?;
                let seen = (amount_cols[slot].1, self.layout.year_of_slot(slot, year));
                if !self.chunk.seen.contains(&seen) {
                    self.chunk.seen.push(seen);
                }
            }
        }
        Ok(())
    }

    /// The sums as decimals, in the chunk the CSV reader's sums also go into.
    fn finish(self) -> Result<Chunk> {
        let Summing { mut chunk, sums, scale, shown, mapper, cc_items, groups_dropped, .. } = self;
        chunk.accounts = mapper.accounts();
        chunk.cost_centers = mapper.cost_centers(&chunk.names);
        chunk.groups_dropped = groups_dropped;
        chunk.named_heads.sort_unstable_by_key(|(a, _)| *a);
        let names = &chunk.names;
        chunk.cc_items = cc_items
            .into_iter()
            .map(|(cc, acc)| (super::code_of(cc, names), super::mapping::mapped_index(acc).and_then(Item::from_index)))
            .collect::<std::collections::HashSet<_>>()
            .into_iter()
            .collect();
        for (key, (amounts, rows)) in sums {
            let mut decimals = [Decimal::ZERO; SLOTS];
            for (d, m) in decimals.iter_mut().zip(amounts) {
                *d = Decimal::try_from_i128_with_scale(m, scale).map_err(|_| Error::File {
                    path: shown.to_string(),
                    reason: "the amounts' sum is beyond the exact range".into(),
                })?;
            }
            chunk.sums.insert(key, (decimals, rows));
        }
        Ok(chunk)
    }
}

/// Every row group's and column chunk's bytes lie inside the file. polars 0.55 slices a memory-mapped file by
/// these ranges without checking them (`get_unchecked`, undefined behaviour on a damaged file: a debug build
/// aborts on it, found by the fuzzer); a damaged file is refused here first.
fn check_byte_ranges(path: &Path) -> std::result::Result<(), String> {
    let len = std::fs::metadata(path).map_err(cannot_read)?.len();
    check_footer(path, len)?;
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let mut reader = ParquetReader::new(file);
    let metadata =
        reader.get_metadata().map_err(|e| format!("not a readable Parquet ledger: {}", first_line(&e.to_string())))?;
    for (i, group) in metadata.row_groups.iter().enumerate() {
        let outside = |r: std::ops::Range<u64>| r.start > r.end || r.end > len;
        if outside(group.full_byte_range()) || group.byte_ranges_iter().any(outside) {
            return Err(format!(
                "not a readable Parquet ledger: the file is damaged (row group {} lies beyond its {len} bytes)",
                i + 1
            ));
        }
    }
    check_pages(path, &metadata.row_groups)
}

/// A file the checks could not read, in the reader's words.
fn cannot_read(e: std::io::Error) -> String {
    format!("cannot be read: {e}")
}

/// The footer's Thrift structures walked before polars decodes them ([`super::thrift`]): a collection that
/// declares more elements than it has bytes is refused at once (polars spent three seconds on each).
fn check_footer(path: &Path, len: u64) -> std::result::Result<(), String> {
    use std::io::{Read, Seek};
    let damaged = |what: String| format!("not a readable Parquet ledger: the file is damaged ({what})");
    if len < 12 {
        return Ok(()); // polars says what is wrong with a file this short
    }
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let mut tail = [0u8; 8];
    file.seek(std::io::SeekFrom::End(-8)).and_then(|_| file.read_exact(&mut tail)).map_err(cannot_read)?;
    let footer_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if &tail[4..] != b"PAR1" || footer_len > len - 12 {
        return Ok(()); // polars names these
    }
    let mut footer = vec![0u8; footer_len as usize];
    file.seek(std::io::SeekFrom::End(-8 - footer_len as i64))
        .and_then(|_| file.read_exact(&mut footer))
        .map_err(cannot_read)?;
    super::thrift::check_footer(&footer).map_err(|e| damaged(format!("its metadata: {e}")))
}

/// Every data page of a flat column claims no more values than its row group has rows. polars sizes its buffers by a page's
/// count before it decodes a value (a damaged count of −1 read as 2^64 asked for 2^61 bytes and aborted the
/// process; found by the fuzzer). The page headers are read with polars' own reader, one column chunk at a
/// time.
fn check_pages(
    path: &Path,
    groups: &[polars_parquet::parquet::metadata::RowGroupMetadata],
) -> std::result::Result<(), String> {
    use polars_parquet::parquet::page::CompressedPage;
    use std::io::{Read, Seek};
    let damaged = |what: String| format!("not a readable Parquet ledger: the file is damaged ({what})");
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    for (i, group) in groups.iter().enumerate() {
        let rows = group.num_rows();
        // A repeated (list) column has more values than rows; a ledger's columns are flat.
        for chunk in group.parquet_columns().iter().filter(|c| c.descriptor().descriptor.max_rep_level == 0) {
            let range = chunk.byte_range();
            let mut bytes = vec![0u8; usize::try_from(range.end - range.start).unwrap_or(0)];
            file.seek(std::io::SeekFrom::Start(range.start))
                .and_then(|_| file.read_exact(&mut bytes))
                .map_err(|e| damaged(format!("row group {}: {e}", i + 1)))?;
            super::thrift::check_pages(&bytes)
                .map_err(|e| damaged(format!("row group {}: a page header: {e}", i + 1)))?;
            let cursor = std::io::Cursor::new(polars_buffer::Buffer::from(bytes));
            let pages = polars_parquet::parquet::read::PageReader::new(cursor, chunk, Vec::new(), 64 << 20);
            for page in pages {
                let page = page.map_err(|e| damaged(format!("row group {}: {e}", i + 1)))?;
                if let CompressedPage::Data(data) = page {
                    if data.num_values() > rows {
                        return Err(damaged(format!(
                            "row group {}: a page claims {} values of {rows} rows",
                            i + 1,
                            data.num_values()
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

/// polars' and the Parquet decoder's error in a user's terms: what is wrong with the file, on one line, never
/// the library's type names (`Error { source_location: … }`, `InvalidByte(390, 64)`, `NegativeFooterLength`).
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    let lower = line.to_lowercase();
    if let Some(at) = lower.find("casting from ") {
        // `casting from Boolean to Decimal(38, 2)`: a column of something else where amounts are read.
        let from = line[at + 13..].split_whitespace().next().unwrap_or("another type");
        return format!("a column read as amounts holds {} values, not numbers", from.to_lowercase());
    }
    let damaged = [
        "source_location",
        "invalidbyte",
        "footer",
        "out of spec",
        "outofspec",
        "thrift",
        "magic",
        "eof",
        "unexpected end",
        "compression",
        "decompress",
        "snappy",
        "zstd",
        "gzip",
        "lz4",
        "page header",
        "overflow",
    ];
    if damaged.iter().any(|w| lower.contains(w)) {
        return "the file is damaged (its metadata or pages cannot be decoded; is it a whole Parquet file?)".into();
    }
    // Anything else: its first line, cut short and without control characters.
    crate::ingest::context::short(&line.chars().filter(|c| !c.is_control()).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Float amounts are read to the cent by rounding, not by cutting: 0.29 is 0.28999999999999998 as a float.
    #[test]
    fn floats_become_the_nearest_cent() {
        let floats = Series::new("a".into(), [0.29, -0.29, 8.23, 1234.56, 1e12 + 0.07, -4.005000001]);
        let d = floats.cast(&DataType::Decimal(38, 2)).unwrap();
        let cents: Vec<Option<i128>> = d.decimal().unwrap().physical().iter().collect();
        assert_eq!(cents, [29, -29, 823, 123456, 100_000_000_000_007, -401].map(Some));
    }
}
