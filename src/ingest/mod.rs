//! Ingest: reads the inputs into model figures, each traced to its file, sheet and cell.
//! Invariant: ingest knows nothing of checks or reports; it never drops a row silently (unknown labels
//! are warnings naming the cell) and never guesses a number (bad cells are errors).

pub mod context;
pub mod explanations;
mod grid;
pub mod header;
pub mod label;
pub mod ledger;
pub mod limits;
pub mod number;
pub mod pdf;
pub mod phasing;
mod scenario_rows;
mod signs;
mod structure;
mod table;
pub mod text;
mod unit_rows;
mod workbook;

use crate::error::{Error, Result};
use crate::model::{Figure, Org, TableSum, Warning};
use std::path::{Path, PathBuf};

/// Figures and warnings from all inputs.
#[derive(Debug, Default)]
pub struct Extraction {
    pub figures: Vec<Figure>,
    pub warnings: Vec<Warning>,
    /// The totals the tables print and their printed terms, for the engine's sum checks.
    pub sums: Vec<TableSum>,
    /// The finance office's explanations printed in the tables (a PERUSTELU column).
    pub explanations: Vec<crate::model::Explanation>,
    /// Every table found in the inputs, read or passed over, with what was read and why (`--explain`).
    pub tables: Vec<crate::model::TableReport>,
    /// Budget changes printed as rows of their own, with their council decisions.
    pub changes: Vec<crate::model::BudgetChange>,
    /// Totals a ledger export prints as rows (group rows), with the sums of the rows they head.
    pub totals: Vec<crate::model::PrintedTotal>,
    /// The interim period the inputs' actuals to date cover (one per run), if any.
    pub period: Option<crate::model::Period>,
    /// Printed realisation percentages their rows' figures do not give.
    pub percents: Vec<crate::model::PrintedPercent>,
}

/// Expands inputs: a directory stands for the workbooks, report texts, PDFs and ledger exports directly inside
/// it, sorted by name.
pub fn expand_inputs(inputs: &[PathBuf], columns: &ledger::LedgerColumns) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| Error::Io { path: input.clone(), source: e })?;
            let mut books: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| is_input_name(p, columns)).collect();
            books.sort();
            if books.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no workbooks (.xlsx, .xls, .ods …), report texts (.txt), PDFs or ledger exports (.csv) in this folder",
                    input.display()
                )));
            }
            out.extend(books);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

fn is_input_name(p: &Path, columns: &ledger::LedgerColumns) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Skip Excel's lock files (~$book.xlsx) and hidden files.
    !name.starts_with("~$")
        && !name.starts_with('.')
        && (p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(e.to_lowercase().as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "txt" | "pdf" | "parquet" | "pq")
        })
            // A CSV in a folder is read when it is a ledger export (an explanations file beside it is not).
            || p.extension().and_then(|e| e.to_str()).is_some_and(|e| ["csv", "tsv", "tab"].contains(&e.to_lowercase().as_str()))
                && ledger::is_ledger(p, columns))
}

/// Text from a file's bytes: UTF-8 where they are, else Windows-1252 (what older Windows tools and many
/// financial systems still save: `ä` is one byte 0xE4, `€` 0x80).
pub(crate) fn text_of_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

fn windows_1252(b: u8) -> char {
    const C1: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => C1[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Runs a reader that is not ours (calamine, pdf-extract) so that a panic inside it on a malformed file is
/// caught and says nothing on the console: the caller turns it into one error naming the file.
pub(crate) fn isolated<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result
}

/// Reads every input. Every bad cell and unreadable file is collected; any of them fails the whole call.
pub fn extract(inputs: &[PathBuf], org: Option<&Org>) -> Result<Extraction> {
    extract_with(inputs, org, &ledger::LedgerOptions::default())
}

/// [`extract`] with the ledger's chart of accounts and column names.
pub fn extract_with(
    inputs: &[PathBuf],
    org: Option<&Org>,
    ledger_options: &ledger::LedgerOptions,
) -> Result<Extraction> {
    extract_with_progress(inputs, org, ledger_options, &mut |_, _, _| {})
}

/// [`extract_with`], telling `progress` of each file before it is read (the file, its index, how many).
pub fn extract_with_progress(
    inputs: &[PathBuf],
    org: Option<&Org>,
    ledger_options: &ledger::LedgerOptions,
    progress: &mut dyn FnMut(&std::path::Path, usize, usize),
) -> Result<Extraction> {
    let mut out = Extraction::default();
    let mut errors = Vec::new();
    let files = expand_inputs(inputs, &ledger_options.columns)?;
    let total = files.len();
    for (index, path) in files.into_iter().enumerate() {
        progress(&path, index, total);
        let started = std::time::Instant::now();
        let shown = path.display().to_string();
        // Only regular files: a FIFO would hang the run, a device (a link to /dev/zero) never ends.
        match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => {
                errors.push(Error::Usage(format!("{shown}: not a regular file (a FIFO, device or socket): not read")));
                continue;
            }
            Err(e) => {
                errors.push(Error::Io { path: path.clone(), source: e });
                continue;
            }
            Ok(_) => {}
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).unwrap_or_default();
        let read = match ext.as_str() {
            // A text file whose first lines hold a ledger's header (a tab-separated export saved as .txt) is a
            // ledger; any other is report text.
            "txt" if ledger::is_ledger(&path, &ledger_options.columns) => {
                ledger::read_ledger(&path, &shown, org, ledger_options)
            }
            "txt" => text::read_text(&path, &shown, org),
            "pdf" => pdf::read_pdf(&path, &shown, org),
            // polars is not ours: a panic inside it on a damaged file becomes an error naming the file.
            "parquet" | "pq" => isolated(|| ledger::parquet::read_parquet(&path, &shown, org, ledger_options))
                .unwrap_or_else(|_| {
                    Err(Error::File {
                        path: shown.clone(),
                        reason: "not a readable Parquet ledger: the file is damaged (the reader gave up)".into(),
                    })
                }),
            // read_ledger finds the header once, and says so when the CSV is no ledger.
            "csv" | "tsv" | "tab" => ledger::read_ledger(&path, &shown, org, ledger_options),
            _ => workbook::read_workbook(&path, &shown, org, ledger_options),
        };
        match read {
            Ok(wb) => {
                tracing::info!(
                    file = %shown,
                    figures = wb.figures.len(),
                    warnings = wb.warnings.len(),
                    seconds = started.elapsed().as_secs_f64(),
                    "read"
                );
                out.figures.extend(wb.figures);
                out.warnings.extend(wb.warnings);
                out.sums.extend(wb.sums);
                out.explanations.extend(wb.explanations);
                let tables_before = out.tables.len();
                out.tables.extend(wb.tables);
                out.changes.extend(wb.changes);
                out.totals.extend(wb.totals);
                out.percents.extend(wb.percents);
                let from_tables = out.tables[tables_before..].iter().filter_map(|t| {
                    t.period.map(|(year, months)| crate::model::Period {
                        year,
                        months,
                        from: format!("{} {}", t.file, t.from),
                    })
                });
                let periods: Vec<crate::model::Period> = wb.periods.into_iter().chain(from_tables).collect();
                for p in periods {
                    match &out.period {
                        Some(q) if (q.year, q.months) != (p.year, p.months) => errors.push(Error::File {
                            path: shown.clone(),
                            reason: format!(
                                "its actuals cover {} ({}), another input's {} ({}): one run reports one period; give \
                                 it with --period",
                                p.label("fi"),
                                p.from,
                                q.label("fi"),
                                q.from
                            ),
                        }),
                        Some(_) => {}
                        None => out.period = Some(p),
                    }
                }
                errors.extend(wb.errors);
            }
            Err(e) => errors.push(e),
        }
    }
    match Error::from_list(errors) {
        Some(e) => Err(e),
        None => {
            drop_covered_stand_ins(&mut out.figures);
            Ok(out)
        }
    }
}

/// A stand-in (an item summed from its printed sub-rows) gives way where another table prints the item in
/// the same money unit or a finer one (a sum of figures in euros is kept beside a summary in 1 000 €).
fn drop_covered_stand_ins(figures: &mut Vec<Figure>) {
    if !figures.iter().any(|f| f.source.is_sum()) {
        return;
    }
    let mut printed: std::collections::HashMap<_, rust_decimal::Decimal> = std::collections::HashMap::new();
    for f in figures.iter().filter(|f| !f.source.is_sum()) {
        let finest = printed.entry((f.unit.clone(), f.line_item, f.scenario, f.year)).or_insert(f.source.factor);
        *finest = (*finest).min(f.source.factor);
    }
    figures.retain(|f| {
        !f.source.is_sum()
            || printed.get(&(f.unit.clone(), f.line_item, f.scenario, f.year)).is_none_or(|p| *p > f.source.factor)
    });
}
