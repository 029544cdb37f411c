//! Budget tables from workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) through calamine.

mod cfb;

use super::grid::Grid;
use super::table::{find_tables_in, Problems, Table, TableContext};
use crate::error::{Error, Result};
use crate::model::{cell_ref, Evidence, Figure, Org, Place, Said, TableSum, TitleMatch, Warning};
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
    /// Every table found, read or passed over, with what was read and why.
    pub tables: Vec<crate::model::TableReport>,
    /// Budget changes printed as rows of their own.
    pub changes: Vec<crate::model::BudgetChange>,
    /// Totals a ledger export prints as rows, with the sums of the rows they head.
    pub totals: Vec<crate::model::PrintedTotal>,
    /// The interim period the file's actuals cover (a ledger's dates, `--period`), if part of a year.
    pub periods: Vec<crate::model::Period>,
    /// Printed realisation percentages their rows' figures do not give.
    pub percents: Vec<crate::model::PrintedPercent>,
}

impl WorkbookFigures {
    /// Adds a table read for `unit`: its account (places from `here`) and its figures, sums, explanations,
    /// changes, printed percents and month totals (sources from `place`). A workbook names both by cell; a text
    /// file's account names page and line while its sources name the line of the whole file.
    pub(super) fn add_table(
        &mut self,
        table: Table,
        (unit, evidence): (&str, &Evidence),
        file: &str,
        here: &dyn Fn(&str) -> Place,
        place: &dyn Fn(&str) -> Place,
    ) {
        self.tables.push(table.report(file, here, Some((unit, evidence))));
        self.percents.extend(table.percents_model(unit, file, place));
        self.totals.extend(table.month_totals_model(unit, file, place));
        let (figures, sums, explanations, changes) = table.into_model_with_changes(unit, file, place);
        self.figures.extend(figures);
        self.sums.extend(sums);
        self.explanations.extend(explanations);
        self.changes.extend(changes);
    }
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
    let limits = super::limits::limits();
    let size = std::fs::metadata(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?.len();
    if size > limits.workbook_mb.saturating_mul(MB) {
        return Err(Error::Workbook {
            path: shown.to_string(),
            reason: format!(
                "{size} bytes is more than the {} MB a workbook may be ([limits] workbook_mb)",
                limits.workbook_mb
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if bytes.starts_with(b"PK") {
        check_zip(&bytes, shown)?;
    }
    if cfb::is_compound(&bytes) {
        cfb::check(&bytes).map_err(|why| Error::Workbook {
            path: shown.to_string(),
            reason: format!("it is a damaged Excel 97–2003 file: {why}"),
        })?;
    }
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

use super::limits::MB;

/// Checks a zip-based workbook's sizes before it is opened: the sizes its directory declares, then each
/// part's inflated size counted as it is inflated (a part that lies about its size stops at the limit), and
/// the number of shared strings it declares (the reader reserves room for them all).
fn check_zip(bytes: &[u8], shown: &str) -> Result<()> {
    let limits = super::limits::limits();
    let too_big = |reason: String| Error::Workbook { path: shown.to_string(), reason };
    // An archive that does not open is left to the reader, which says what the file is.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let budget = limits.uncompressed_mb.saturating_mul(MB);
    if zip.len() > 100_000 {
        return Err(too_big(format!("{} parts in the archive is more than a workbook has", zip.len())));
    }
    let declared: u64 = (0..zip.len()).filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size())).sum();
    if declared > budget {
        return Err(too_big(format!(
            "it unpacks to {} MB, more than the {} MB a workbook may ([limits] uncompressed_mb)",
            declared / MB,
            limits.uncompressed_mb
        )));
    }
    let mut used = 0u64;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else { continue };
        let name = part.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("number {}", i + 1));
        let mut counted = std::io::Read::take(&mut part, budget - used + 1);
        let n = match std::io::copy(&mut counted, &mut std::io::sink()) {
            Ok(n) => n,
            Err(_) => continue, // a damaged part: the reader reports the file
        };
        used += n;
        if used > budget {
            return Err(too_big(format!(
                "its part {name} inflates past the {} MB a workbook may unpack to ([limits] uncompressed_mb): a                  damaged file or a zip bomb",
                limits.uncompressed_mb
            )));
        }
    }
    if let Ok(mut sst) = zip.by_name("xl/sharedStrings.xml") {
        let mut head = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(&mut sst, 4096), &mut head);
        let head = String::from_utf8_lossy(&head);
        for attr in ["uniqueCount=\"", "count=\""] {
            let Some(at) = head.find(attr) else { continue };
            let digits: String = head[at + attr.len()..].chars().take_while(char::is_ascii_digit).collect();
            if digits.parse::<u64>().map_or(digits.len() > 18, |n| n > limits.shared_strings) {
                return Err(too_big(format!(
                    "it declares {digits} shared strings, more than the {} a workbook may ([limits] shared_strings)",
                    limits.shared_strings
                )));
            }
        }
    }
    Ok(())
}

/// A sheet's cells with values, read one by one: the used range and the number of cells are checked as they
/// grow, before the grid is laid out (a single cell at XFD1048576 would make it 17 billion cells).
fn bounded_range(book: &mut Book, sheet: &str, shown: &str) -> Result<calamine::Range<calamine::Data>> {
    let sheet_err = |reason: String| Error::Sheet { path: shown.to_string(), sheet: sheet.to_string(), reason };
    let Sheets::Xlsx(x) = book else {
        return book.worksheet_range(sheet).map_err(|e| sheet_err(e.to_string()));
    };
    let mut reader = match x.worksheet_cells_reader(sheet) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(calamine::Range::default()),
        Err(e) => return Err(sheet_err(e.to_string())),
    };
    let max = super::limits::limits().sheet_cells;
    let mut cells = Vec::new();
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    while let Some(cell) = reader.next_cell().map_err(|e| sheet_err(e.to_string()))? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        let area = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if area > max || cells.len() as u64 >= max {
            return Err(Error::Cell {
                path: shown.to_string(),
                sheet: sheet.to_string(),
                cell: cell_ref(r, c),
                message: format!(
                    "this cell makes the sheet's used range {area} cells ({}:{}), more than the {max} a sheet may have \
                     ([limits] sheet_cells): delete stray cells far from the table",
                    cell_ref(r0, c0),
                    cell_ref(r1, c1)
                ),
            });
        }
        cells.push(calamine::Cell::new((r, c), calamine::Data::from(cell.get_value().clone())));
    }
    Ok(calamine::Range::from_sparse(cells))
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
    let result = super::isolated(|| read_inner(path, shown, org, ledger));
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
        // A date cell (a booking date) as its ISO date: the ledger reads its year and month from it.
        calamine::Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
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
    let mut doc = super::context::DocContext::for_file(shown, super::context::configured_year());
    let mut titled = false;
    // Tables passed over (no row names a line item), listed after the ones read.
    let mut passed = Vec::new();
    for sheet in book.sheet_names() {
        let range = bounded_range(&mut book, &sheet, shown)?;
        if range.is_empty() {
            continue;
        }
        // A sheet that is a ledger (a row among its first ones names cost-center and account columns; a title
        // may stand above it).
        let head: Vec<Vec<String>> = range.rows().take(21).map(|r| r.iter().map(cell_text).collect()).collect();
        if let Some(above) = head.iter().position(|h| super::ledger::is_ledger_header(h, &ledger.columns)) {
            let all: Vec<Vec<String>> = range.rows().skip(above).map(|r| r.iter().map(cell_text).collect()).collect();
            let first = u64::from(range.start().map_or(0, |(r, _)| r)) + above as u64;
            let read = super::ledger::read_ledger_rows(&all, first, &format!("{shown}:{sheet}"), org, ledger)?;
            // Everything the ledger reader gives: its printed totals (group rows) and interim period too.
            out.figures.extend(read.figures);
            out.warnings.extend(read.warnings);
            out.totals.extend(read.totals);
            out.periods.extend(read.periods);
            out.errors.extend(read.errors);
            tables_found += 1;
            continue;
        }
        let grid = Grid::new(&range, merges(&mut book, &sheet));
        if doc.title_year.is_none() && !titled {
            // The document's title: the first text cells of its first sheet with a table.
            titled = true;
            let first: Vec<(String, Place)> = (grid.start.0..grid.row_end().min(grid.start.0 + 10))
                .flat_map(|r| (grid.start.1..grid.col_end()).map(move |c| (r, c)))
                .filter_map(|(r, c)| {
                    grid.get(r, c).text().map(|t| (t, Place::Cell { sheet: sheet.clone(), cell: grid.cell_ref(r, c) }))
                })
                .collect();
            doc.read_title(first.iter().map(|(t, p)| (t.as_str(), p.clone())));
        }
        // The sheet's name gives a year to its tables ("Keskus TP2024").
        let sheet_year = super::context::title_year(&sheet)
            .map(|y| super::context::Inferred::new(y, Evidence::SheetName { sheet: sheet.clone() }));
        let near = |_: u32| sheet_year.clone();
        let unreadable = std::collections::HashMap::new();
        let ctx = TableContext { doc: &doc, near: &near, page: &|_| 0, org, unreadable: &unreadable };
        let mut problems = Problems::default();
        let mut tables = find_tables_in(&grid, &mut problems, &ctx);
        if tables.iter().all(|t| t.report.passed_over.is_some()) {
            // A table printed the other way round: line items across, scenarios down.
            let mut turned = Problems::default();
            let found = find_tables_in(&grid.transpose(), &mut turned, &ctx);
            if found.iter().any(|t| t.report.passed_over.is_none()) {
                (tables, problems) = (found, turned);
            }
        }
        tables_found += tables.iter().filter(|t| t.report.passed_over.is_none()).count();
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
        let here = |cell: &str| Place::Cell { sheet: sheet.clone(), cell: cell.to_string() };
        let mut above: Option<(String, Place)> = None;
        for table in tables {
            if table.report.passed_over.is_some() {
                passed.push(table.report(shown, &here, None));
                continue;
            }
            let unit =
                resolve_unit(&table, &sheet, org, &mut out.warnings, &location(&table.header_cell), above.as_ref());
            let Some((unit, evidence)) = unit else {
                let mut report = table.report(shown, &here, None);
                report.passed_over = Some(crate::model::PassedOver::NoUnitTitle);
                out.tables.push(report);
                continue;
            };
            if !matches!(evidence, Evidence::UnitAbove { .. } | Evidence::OnlyRoot) {
                above = Some((unit.clone(), here(&table.header_cell)));
            }
            out.add_table(table, (&unit, &evidence), shown, &here, &here);
        }
    }
    if tables_found == 0 && out.errors.is_empty() {
        if passed.is_empty() {
            return Err(Error::NoTables { path: shown.to_string() });
        }
        let nearest: Vec<String> = passed
            .iter()
            .take(3)
            .map(|t| format!("{}: {}", t.from, t.passed_over.as_ref().map(ToString::to_string).unwrap_or_default()))
            .collect();
        return Err(Error::File {
            path: shown.to_string(),
            reason: format!("no budget table found; the nearest candidates: {}", nearest.join(" · ")),
        });
    }
    out.tables.extend(passed);
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

/// The unit a table belongs to, with the evidence: a title naming an org unit (by name, alias or code, after
/// a word saying what kind of unit it is, or beginning with one), then the sheet's name; a group's statement
/// (konserni) is none of the org's; then, nearest title first, one naming a unit in an inflected form or with
/// a small typo (both warned) or reading as a unit's name not in the org file; then the unit named nearest
/// above the table in its section (`above`), then the org file's only root. Without an org file, the nearest
/// title that is no heading or line-item word, the unit above, or the sheet's name. None when nothing names
/// one: with an org file, the table's figures are not read and a warning says so.
pub(super) fn resolve_unit(
    table: &Table,
    sheet: &str,
    org: Option<&Org>,
    warnings: &mut Vec<Warning>,
    location: &str,
    above: Option<&(String, Place)>,
) -> Option<(String, Evidence)> {
    let from_title = |t: &str, matched| Evidence::Title { text: super::context::short(t), matched };
    if let Some(org) = org {
        if let Some((unit, t)) =
            table.titles.iter().find_map(|t| org.find_named(t).or_else(|| org.find_prefix(t)).map(|u| (u, t)))
        {
            return Some((unit.name.clone(), from_title(t, TitleMatch::Named)));
        }
        if let Some(unit) = org.find_named(sheet) {
            return Some((unit.name.clone(), Evidence::SheetName { sheet: sheet.to_string() }));
        }
        // The group's statements (konsernituloslaskelma) are not the municipality's own: unless the org file
        // has a unit for the group, they are not read.
        if table.titles.iter().chain(&table.near_text).any(|t| names_group(t)) {
            warnings.push(Warning {
                location: location.to_string(),
                said: Said::NoUnit { titles: table.near_text.iter().take(2).cloned().collect() },
            });
            return None;
        }
        // Nearest title first: one naming a unit in an inflected form or with a small typo (warned), or one
        // that reads as a unit's name but is not in the org file (a unit of its own, which the checks report
        // as missing from the org file); headings are passed over.
        for t in table.titles.iter().filter(|t| !is_heading(t)) {
            if let Some(unit) = org.find_inflected(t) {
                warnings.push(Warning {
                    location: location.to_string(),
                    said: Said::UnitFromTitle { title: t.clone(), unit: unit.name.clone() },
                });
                return Some((unit.name.clone(), from_title(t, TitleMatch::Inflected)));
            }
            if let Some(unit) = org.find_fuzzy(t) {
                warnings.push(Warning {
                    location: location.to_string(),
                    said: Said::UnitNearMatch { name: t.clone(), unit: unit.name.clone() },
                });
                return Some((unit.name.clone(), from_title(t, TitleMatch::NearMatch)));
            }
            if name_like(t) {
                return Some((t.split_whitespace().collect::<Vec<_>>().join(" "), from_title(t, TitleMatch::NotInOrg)));
            }
        }
        if let Some((unit, at)) = above {
            return Some((unit.clone(), Evidence::UnitAbove { place: at.clone() }));
        }
        let mut roots = org.units.iter().filter(|u| u.parent.is_none());
        if let (Some(root), None) = (roots.next(), roots.next()) {
            return Some((root.name.clone(), Evidence::OnlyRoot));
        }
        warnings.push(Warning { location: location.to_string(), said: Said::NoUnit { titles: table.titles.clone() } });
        return None;
    }
    if let Some(t) = table.titles.iter().find(|t| !is_heading(t)) {
        return Some((t.split_whitespace().collect::<Vec<_>>().join(" "), from_title(t, TitleMatch::Named)));
    }
    if let Some((unit, at)) = above {
        return Some((unit.clone(), Evidence::UnitAbove { place: at.clone() }));
    }
    Some((sheet.to_string(), Evidence::SheetName { sheet: sheet.to_string() }))
}

/// Does a caption name the municipal group (konserni, koncern) rather than the municipality?
fn names_group(t: &str) -> bool {
    let lower = t.to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with("konserni") || w.starts_with("koncern"))
}

/// A title that reads as a unit's name: a few words, starting with a capital or a code, no sentence.
fn name_like(t: &str) -> bool {
    let words = t.split_whitespace().count();
    (1..=6).contains(&words)
        && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && !t.contains([':', ';', '?', '!'])
}

/// Word beginnings of section and table headings that never name a unit (folded): "Tuloslaskelmaosan
/// toteutuminen", "ULKOINEN TULOSLASKELMA", "Toteutumisvertailu", "Resultaträkning".
const HEADING_STEMS: &[&str] = &[
    "tuloslaskelm",
    "toteutu",
    "vertailu",
    "käyttötalou",
    "yhteenveto",
    "taulukko",
    "erittely",
    "ulkoi",
    "sisäi",
    "resultaträkning",
    "driftsekonomi",
    "sammandrag",
    "uppföljning",
    "extern",
    "intern",
];

/// Whole words of headings: "Talous", money units, joining words.
const HEADING_WORDS: &[&str] =
    &["talous", "euro", "euroa", "eur", "tuhatta", "milj", "tusen", "osa", "ja", "och", "sekä", "netto"];

/// A section or table heading, or line-item words with a money unit ("Verksamhetsutgifter, 1 000 euro"):
/// every word is a heading word, a scenario word, a line item's word, a year or a money unit.
pub(super) fn is_heading(title: &str) -> bool {
    use super::header::{classify, unit_factor};
    use super::label::{match_label, LabelMatch};
    let t = title.trim();
    let head = t.split([',', '(']).next().unwrap_or(t);
    if match_label(head, None) != LabelMatch::Unknown {
        return true;
    }
    let words: Vec<String> =
        t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    !words.is_empty()
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || HEADING_STEMS.iter().any(|s| w.starts_with(s))
                || HEADING_WORDS.contains(&w.as_str())
                || classify(&w.to_uppercase()).scenario.is_some()
                || unit_factor(w).is_some()
                || match_label(w, None) != LabelMatch::Unknown
        })
}
