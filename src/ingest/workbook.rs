//! Budget tables from workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) through calamine.

use super::grid::Grid;
use super::table::{find_tables, Problems, Table};
use crate::error::{Error, Result};
use crate::model::{cell_ref, Figure, Org, Said, TableSum, Warning};
use calamine::{open_workbook_auto_from_rs, open_workbook_from_rs, Dimensions, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};
use std::io::Cursor;
use std::path::Path;

type Book = Sheets<Cursor<Vec<u8>>>;

/// Everything read from one workbook.
#[derive(Debug, Default)]
pub struct WorkbookFigures {
    pub figures: Vec<Figure>,
    pub warnings: Vec<Warning>,
    pub sums: Vec<TableSum>,
    /// Explanations printed in the tables' own column.
    pub explanations: Vec<crate::model::Explanation>,
    /// Bad cells: each stops the run, all are reported.
    pub errors: Vec<Error>,
}

/// The reader's error in a user's terms: what the file turned out to be, never the library's type names.
fn plain_reason(reason: &str, bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    if head.contains("<html") || head.contains("<!doctype") || head.contains("<table") {
        "it is an HTML page, not a workbook (save it from the browser or Excel as .xlsx)".into()
    } else if bytes.starts_with(b"PK") {
        "it is a damaged or truncated .xlsx/.ods (a zip archive that does not open as a workbook)".into()
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "it is a damaged or password-protected Excel 97–2003 file".into()
    } else if bytes.is_empty() {
        "the file is empty".into()
    } else if reason.to_lowercase().contains("password") || reason.to_lowercase().contains("encrypt") {
        "the workbook is password-protected: save an unprotected copy".into()
    } else {
        "the file is not a workbook (neither an .xlsx/.ods zip nor an Excel 97–2003 file)".into()
    }
}

fn open(path: &Path, shown: &str) -> Result<Book> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    let head: Vec<u8> = bytes[..bytes.len().min(512)].to_vec();
    let bad = |reason: String| Error::Workbook { path: shown.to_string(), reason: plain_reason(&reason, &head) };
    let cursor = Cursor::new(bytes);
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase);
    match ext.as_deref() {
        Some("xlsx" | "xlsm" | "xlam") => {
            open_workbook_from_rs::<Xlsx<_>, _>(cursor).map(Sheets::Xlsx).map_err(|e| bad(e.to_string()))
        }
        Some("xls" | "xla") => {
            open_workbook_from_rs::<Xls<_>, _>(cursor).map(Sheets::Xls).map_err(|e| bad(e.to_string()))
        }
        Some("xlsb") => open_workbook_from_rs::<Xlsb<_>, _>(cursor).map(Sheets::Xlsb).map_err(|e| bad(e.to_string())),
        Some("ods") => open_workbook_from_rs::<Ods<_>, _>(cursor).map(Sheets::Ods).map_err(|e| bad(e.to_string())),
        _ => open_workbook_auto_from_rs(cursor).map_err(|e| bad(e.to_string())),
    }
}

fn merges(book: &mut Book, sheet: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Reads every budget table of every sheet. `shown` is the file name as figures' sources give it.
pub fn read_workbook(
    path: &Path,
    shown: &str,
    org: Option<&Org>,
    ledger: &super::ledger::LedgerOptions,
) -> Result<WorkbookFigures> {
    // calamine is not ours: a panic inside it on a malformed file becomes an error naming the file.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(path, shown, org, ledger)));
    result.unwrap_or_else(|_| {
        Err(Error::Workbook { path: shown.to_string(), reason: "the file is damaged (the reader gave up)".into() })
    })
}

/// A cell as the text a ledger row holds.
fn cell_text(d: &calamine::Data) -> String {
    match d {
        calamine::Data::Empty => String::new(),
        calamine::Data::Float(f) => {
            super::number::decimal_from_f64(*f).map(|d| d.normalize().to_string()).unwrap_or_default()
        }
        calamine::Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

fn read_inner(
    path: &Path,
    shown: &str,
    org: Option<&Org>,
    ledger: &super::ledger::LedgerOptions,
) -> Result<WorkbookFigures> {
    let mut book = open(path, shown)?;
    let mut out = WorkbookFigures::default();
    let mut tables_found = 0;
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).map_err(|e| Error::Sheet {
            path: shown.to_string(),
            sheet: sheet.clone(),
            reason: e.to_string(),
        })?;
        if range.is_empty() {
            continue;
        }
        // A sheet that is a ledger (its first row names cost-center and account columns).
        let rows: Vec<Vec<String>> = range.rows().take(1).map(|r| r.iter().map(cell_text).collect()).collect();
        if rows.first().is_some_and(|h| super::ledger::is_ledger_header(h, &ledger.columns)) {
            let all: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
            let read = super::ledger::read_ledger_rows(&all, &format!("{shown}:{sheet}"), org, ledger)?;
            out.figures.extend(read.figures);
            out.warnings.extend(read.warnings);
            tables_found += 1;
            continue;
        }
        let grid = Grid::new(&range, merges(&mut book, &sheet));
        let mut problems = Problems::default();
        let mut tables = find_tables(&grid, &mut problems);
        if tables.is_empty() {
            // A table printed the other way round: line items across, scenarios down.
            let mut turned = Problems::default();
            let found = find_tables(&grid.transpose(), &mut turned);
            if !found.is_empty() {
                (tables, problems) = (found, turned);
            }
        }
        tables_found += tables.len();
        let location = |cell: &str| format!("{shown}: sheet {sheet}, cell {cell}");
        for (cell, said) in problems.warnings {
            out.warnings.push(Warning { location: location(&cell), said });
        }
        if let Some(said) = formulas_without_results(&mut book, &sheet, &problems.empty_figure_cells) {
            out.warnings.push(Warning { location: format!("{shown}: sheet {sheet}"), said });
        }
        for (cell, message) in problems.errors {
            out.errors.push(Error::Cell { path: shown.to_string(), sheet: sheet.clone(), cell, message });
        }
        for table in tables {
            let unit = resolve_unit(&table, &sheet, org, &mut out.warnings, &location(&table.header_cell));
            let (figures, sums, explanations) = table.into_model(&unit, shown, &sheet);
            out.figures.extend(figures);
            out.sums.extend(sums);
            out.explanations.extend(explanations);
        }
    }
    if tables_found == 0 && out.errors.is_empty() {
        return Err(Error::NoTables { path: shown.to_string() });
    }
    Ok(out)
}

/// Figure cells that look empty but hold a formula: the file was saved by a program that does not
/// calculate (no stored results), so those figures cannot be read. One warning per sheet names them.
fn formulas_without_results(book: &mut Book, sheet: &str, empty: &[(u32, u32)]) -> Option<Said> {
    if empty.is_empty() {
        return None;
    }
    let formulas = book.worksheet_formula(sheet).ok()?;
    let cells: Vec<String> = empty
        .iter()
        .filter(|&&(r, c)| formulas.get_value((r, c)).is_some_and(|f| !f.trim().is_empty()))
        .map(|&(r, c)| cell_ref(r, c))
        .collect();
    if cells.is_empty() {
        return None;
    }
    const SHOWN: usize = 8;
    Some(Said::FormulasWithoutResults { count: cells.len(), shown: cells[..cells.len().min(SHOWN)].to_vec() })
}

/// The unit a table belongs to: the nearest title naming an org unit (by name or alias, or beginning with
/// one), then the sheet name, then a title naming a unit in an inflected form or with a small typo (both
/// warned), else the nearest title, else the sheet name.
pub(super) fn resolve_unit(
    table: &Table,
    sheet: &str,
    org: Option<&Org>,
    warnings: &mut Vec<Warning>,
    location: &str,
) -> String {
    if let Some(org) = org {
        if let Some(unit) = table.titles.iter().find_map(|t| org.find(t).or_else(|| org.find_prefix(t))) {
            return unit.name.clone();
        }
        if let Some(unit) = org.find(sheet) {
            return unit.name.clone();
        }
        for t in &table.titles {
            if let Some(unit) = org.find_inflected(t) {
                warnings.push(Warning {
                    location: location.to_string(),
                    said: Said::UnitFromTitle { title: t.clone(), unit: unit.name.clone() },
                });
                return unit.name.clone();
            }
        }
        for t in &table.titles {
            if let Some(unit) = org.find_fuzzy(t) {
                warnings.push(Warning {
                    location: location.to_string(),
                    said: Said::UnitNearMatch { name: t.clone(), unit: unit.name.clone() },
                });
                return unit.name.clone();
            }
        }
    }
    match table.titles.first() {
        Some(t) => t.split_whitespace().collect::<Vec<_>>().join(" "),
        None => sheet.to_string(),
    }
}
