//! Finding budget tables in a sheet grid: header block, value columns, label column, body rows, the
//! unit's title above, and the money unit.

use super::context::{DocContext, Inferred};
use super::grid::{Cell, Grid};
use super::header::{caption_factor, classify, join_header_parts, unit_factor, ColumnHeader};
use super::label::{match_label, LabelMatch};
use super::number::{parse_figure, Parsed};
use super::structure::{stand_ins, table_sums, unlabelled_totals, BodyRow};
use crate::model::{
    BudgetChange, ChangeRead, ColumnNote, ColumnReading, Evidence, Explanation, Figure, LineItem, NotANumber,
    NotReadWhy, PassedOver, Place, PrintedPercent, RowNotRead, Said, Scenario, Signs, SignsRead, Source, TableReport,
    TableSum, Unread, YearFrom,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A value column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueColumn {
    pub col: u32,
    pub scenario: Scenario,
    pub year: i32,
}

/// A printed realisation percentage (actuals / budget × 100) that its row's figures do not give.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPercent {
    pub line_item: LineItem,
    pub year: i32,
    /// The actuals (to date, or the year's) and the budget it was worked against.
    pub actual: Scenario,
    pub budget: Scenario,
    pub printed: Decimal,
    pub computed: Decimal,
    pub cell: String,
    /// False where the table prints no budget after changes (the percentage may be of one it does not print).
    pub certain: bool,
}

/// One figure read from a table, before its unit is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFigure {
    /// The unit where a row names it (a summary of units as rows); none for the table's own unit.
    pub unit: Option<String>,
    pub line_item: LineItem,
    pub scenario: Scenario,
    pub year: i32,
    /// As written, before the money-unit factor.
    pub value: Decimal,
    pub cell: String,
    /// A stand-in for an item the table does not print: the cells it sums and its rounding unit (as
    /// printed). None for a printed figure.
    pub sum_of: Option<(Vec<String>, Decimal)>,
}

/// A table found in a sheet.
#[derive(Debug, Clone)]
pub struct Table {
    /// Candidate unit names from the nearest title upwards (and the header's label cell), nearest first.
    pub titles: Vec<String>,
    pub factor: Decimal,
    pub header_cell: String,
    pub figures: Vec<RawFigure>,
    /// The totals the table prints and their printed terms.
    pub sums: Vec<RawTableSum>,
    /// Explanations in a column of their own (PERUSTELU, SELITYS, MOTIVERING): line item, the year of the
    /// table's actuals, cell and text.
    pub explanations: Vec<(LineItem, i32, String, String)>,
    /// Budget changes printed as rows of their own, with their decisions (scenarios as rows).
    pub changes: Vec<(LineItem, i32, String, Decimal, String)>,
    /// Printed realisation percentages that their rows' figures do not give.
    pub percents: Vec<RawPercent>,
    /// Month columns beside the actuals to date: per row, the printed total and the months' sum (as printed,
    /// in the table's signs), the total's cell and the months' cells.
    pub month_sums: Vec<(LineItem, Scenario, i32, Decimal, Decimal, String, String)>,
    /// What was read and why, with grid cells for places.
    pub report: RawReport,
    /// The grid rows from the header's first to the one after the body.
    pub span: (u32, u32),
    /// The text of the lines right above the header, nearest first (titles, captions, notes).
    pub near_text: Vec<String>,
}

/// A table's account (see [`crate::model::TableReport`]) before its cells are places and its unit resolved.
#[derive(Debug, Clone, Default)]
pub struct RawReport {
    pub last_cell: String,
    pub passed_over: Option<PassedOver>,
    pub year: Option<i32>,
    pub year_evidence: Evidence,
    pub money_evidence: Evidence,
    pub signs: Option<SignsRead>,
    pub columns: Vec<ColumnNote>,
    pub rows_read: usize,
    /// Cell, label, reason.
    pub rows_not_read: Vec<(String, String, NotReadWhy)>,
    /// Actuals to date read (`Toteuma 1-8/2024`): their year and the month they end with.
    pub period: Option<(i32, u8)>,
}

impl Table {
    /// A table found but not read (passed over, or its columns without a year): its account only.
    fn not_read(
        titles: Vec<String>,
        factor: Decimal,
        header_cell: String,
        report: RawReport,
        span: (u32, u32),
        near_text: Vec<String>,
    ) -> Table {
        let (figures, sums, explanations, changes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (percents, month_sums) = (Vec::new(), Vec::new());
        Table {
            titles,
            factor,
            header_cell,
            figures,
            sums,
            explanations,
            changes,
            percents,
            month_sums,
            report,
            span,
            near_text,
        }
    }

    /// The table's figures and sums as the model has them: in `unit`, in euros (the money unit applied), each
    /// traced to `file:sheet!CELL`.
    #[cfg(test)]
    pub fn into_model(self, unit: &str, file: &str, sheet: &str) -> (Vec<Figure>, Vec<TableSum>, Vec<Explanation>) {
        let place = |cell: &str| Place::Cell { sheet: sheet.to_string(), cell: cell.to_string() };
        self.into_model_at(unit, file, &place)
    }

    /// [`Table::into_model`] with the place of each grid cell given by `place` (a text file's line).
    #[cfg(test)]
    pub fn into_model_at(
        self,
        unit: &str,
        file: &str,
        place: &dyn Fn(&str) -> Place,
    ) -> (Vec<Figure>, Vec<TableSum>, Vec<Explanation>) {
        let (figures, sums, explanations, _) = self.into_model_with_changes(unit, file, place);
        (figures, sums, explanations)
    }

    /// The table's printed realisation percentages that its figures do not give, in `unit`, traced to their cells.
    pub fn percents_model(&self, unit: &str, file: &str, place: &dyn Fn(&str) -> Place) -> Vec<PrintedPercent> {
        self.percents
            .iter()
            .map(|p| PrintedPercent {
                unit: unit.to_string(),
                line_item: p.line_item,
                year: p.year,
                actual: p.actual,
                budget: p.budget,
                printed: p.printed,
                computed: p.computed,
                source: Source { file: file.to_string(), place: place(&p.cell), factor: Decimal::ONE }.to_string(),
                certain: p.certain,
            })
            .collect()
    }

    /// The table's month columns against its actuals to date, per row, as printed totals (in euros, in `unit`).
    pub fn month_totals_model(
        &self,
        unit: &str,
        file: &str,
        place: &dyn Fn(&str) -> Place,
    ) -> Vec<crate::model::PrintedTotal> {
        self.month_sums
            .iter()
            .filter_map(|(li, scenario, year, printed, sum, at, from)| {
                let src =
                    |cell: &str| Source { file: file.to_string(), place: place(cell), factor: self.factor }.to_string();
                Some(crate::model::PrintedTotal {
                    unit: unit.to_string(),
                    line_item: Some(*li),
                    scenario: *scenario,
                    year: *year,
                    printed: printed.checked_mul(self.factor)?,
                    computed: sum.checked_mul(self.factor)?,
                    printed_at: src(at),
                    computed_from: format!("{} (the month columns)", src(from)),
                    certain: true,
                    of_months: true,
                })
            })
            .collect()
    }

    /// [`Table::into_model_at`] with the table's budget change rows.
    pub fn into_model_with_changes(
        self,
        unit: &str,
        file: &str,
        place: &dyn Fn(&str) -> Place,
    ) -> (Vec<Figure>, Vec<TableSum>, Vec<Explanation>, Vec<BudgetChange>) {
        let factor = self.factor;
        let changes = self
            .changes
            .iter()
            .filter_map(|(li, year, decision, value, cell)| {
                Some(BudgetChange {
                    unit: unit.to_string(),
                    line_item: *li,
                    year: *year,
                    decision: decision.clone(),
                    amount: value.checked_mul(factor)?,
                    source: Source { file: file.to_string(), place: place(cell), factor }.to_string(),
                })
            })
            .collect();
        let explanations = self
            .explanations
            .into_iter()
            .map(|(line_item, year, cell, text)| Explanation {
                unit: unit.to_string(),
                line_item,
                year,
                text,
                source: Source { file: file.to_string(), place: place(&cell), factor: Decimal::ONE }.to_string(),
                lang: None,
            })
            .collect();
        let source = |cell: String| Source { file: file.to_string(), place: place(&cell), factor };
        let figures = self
            .figures
            .into_iter()
            .map(|raw| Figure {
                unit: raw.unit.unwrap_or_else(|| unit.to_string()),
                line_item: raw.line_item,
                scenario: raw.scenario,
                year: raw.year,
                amount: raw.value * factor,
                source: match raw.sum_of {
                    None => source(raw.cell),
                    Some((cells, ulp)) => Source {
                        file: file.to_string(),
                        place: Place::Sum { places: cells.iter().map(|cell| place(cell)).collect(), ulp: ulp * factor },
                        factor,
                    },
                },
            })
            .collect();
        let sums = self
            .sums
            .into_iter()
            .map(|sum| TableSum {
                unit: unit.to_string(),
                total: sum.total,
                terms: sum.terms,
                columns: sum.columns,
                unread: sum
                    .unread
                    .into_iter()
                    .map(|u| Unread {
                        source: source(u.cell).to_string(),
                        label: u.label,
                        values: u
                            .values
                            .into_iter()
                            .filter_map(|(sc, y, v)| v.checked_mul(factor).map(|v| (sc, y, v)))
                            .collect(),
                        any_column: u.any_column,
                    })
                    .collect(),
            })
            .collect();
        (figures, sums, explanations, changes)
    }

    /// The table's account with its places and unit.
    pub fn report(&self, file: &str, place: &dyn Fn(&str) -> Place, unit: Option<(&str, &Evidence)>) -> TableReport {
        let r = &self.report;
        TableReport {
            file: file.to_string(),
            from: place(&self.header_cell),
            to: place(if r.last_cell.is_empty() { &self.header_cell } else { &r.last_cell }),
            passed_over: r.passed_over.clone(),
            unit: unit.map(|(u, _)| u.to_string()),
            unit_evidence: unit.map(|(_, e)| e.relocated(place)),
            year: r.year,
            year_evidence: r.year_evidence.relocated(place),
            money_unit: self.factor,
            money_evidence: r.money_evidence.relocated(place),
            signs: r.signs.clone(),
            columns: r.columns.iter().map(|c| c.relocated(place)).collect(),
            rows_read: r.rows_read,
            period: r.period,
            figures: self.figures.len(),
            rows_not_read: r
                .rows_not_read
                .iter()
                .map(|(c, l, why)| RowNotRead { place: place(c), label: l.clone(), why: why.clone() })
                .collect(),
            changes: self
                .changes
                .iter()
                .map(|(li, _, decision, v, cell)| ChangeRead {
                    place: place(cell),
                    line_item: *li,
                    amount: v.checked_mul(self.factor).map_or(*v, |e| e.normalize()),
                    decision: decision.clone(),
                })
                .collect(),
        }
    }
}

/// A printed total with its printed terms, the table's columns, and the unknown rows among its terms.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTableSum {
    pub total: LineItem,
    pub terms: Vec<LineItem>,
    pub columns: Vec<(Scenario, i32)>,
    pub unread: Vec<UnreadRaw>,
}

/// A row with an unknown label inside a total's span: its label, label cell and figures (as printed).
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadRaw {
    pub label: String,
    pub cell: String,
    pub values: Vec<(Scenario, i32, Decimal)>,
    /// No figure of the row could be read: it may stand in any column.
    pub any_column: bool,
}

/// Problems met while reading tables: warnings go on, errors stop the run (exit 2).
#[derive(Debug, Default)]
pub struct Problems {
    pub warnings: Vec<(String, Said)>,
    /// (cell, message)
    pub errors: Vec<(String, String)>,
    /// Empty cells where a table's figure would stand (the sheet's row, column): a formula there with no stored
    /// result would otherwise be read as blank without a word.
    pub empty_figure_cells: Vec<(u32, u32)>,
}

/// What the document around the tables says: its own year, the year near a grid row (a page's running
/// header, the sheet's name), and the grid rows the reader could not split into cells (text and PDF).
pub struct TableContext<'a> {
    pub doc: &'a DocContext,
    pub near: &'a dyn Fn(u32) -> Option<Inferred<i32>>,
    /// The page of a grid row (a PDF's or a paged text's; 0 for a sheet): titles and captions are looked for
    /// on the table's own page.
    pub page: &'a dyn Fn(u32) -> u32,
    /// The org file, for tables whose rows are units.
    pub org: Option<&'a crate::model::Org>,
    pub unreadable: &'a HashMap<u32, NotReadWhy>,
}

const MAX_HEADER_ROWS: u32 = 4;

fn header_of(grid: &Grid, row: u32, col: u32) -> Option<ColumnHeader> {
    let text = grid.get(row, col).text()?;
    let h = classify(&join_header_parts([text.as_str()]));
    h.scenario.is_some().then_some(h)
}

/// Does a known line-item label stand in the first text cell of this row?
fn starts_with_label(grid: &Grid, row: u32) -> bool {
    (grid.start.1..grid.col_end())
        .filter_map(|c| match grid.get(row, c) {
            Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        })
        .take(2)
        .any(|t| !matches!(match_label(&t, None), LabelMatch::Unknown))
}

/// Does a title just above `row` (up to four rows) name a year-end statement (tuloslaskelma, tilinpäätös,
/// resultaträkning, bokslut)? Under such a title, columns headed by a bare year are that year's actuals.
fn under_statement_title(grid: &Grid, row: u32) -> bool {
    let from = row.saturating_sub(4).max(grid.start.0);
    (from..=row).any(|r| {
        (grid.start.1..grid.col_end()).any(|c| {
            grid.get(r, c).text().is_some_and(|t| {
                let t = t.to_lowercase();
                ["tuloslaskelma", "tilinpäätös", "resultaträkning", "bokslut"].iter().any(|w| t.contains(w))
            })
        })
    })
}

/// A cell that is a bare year (2024, "2024", "2024 1 000 €"): a column heading under a year-end statement's
/// title.
fn is_bare_year(grid: &Grid, row: u32, col: u32) -> bool {
    let cell = grid.get(row, col);
    is_year_like(cell)
        || cell.text().is_some_and(|t| {
            let t = t.trim();
            let year_and_money = t.get(..4).is_some_and(|y| {
                let rest = t[4..].trim();
                super::text::is_year(y) && !rest.is_empty() && unit_factor(rest).is_some() && {
                    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
                    digits.is_empty() || digits == "1000"
                }
            });
            year_and_money || matches!(parse_figure(t), Parsed::Number(d) if is_year_like(&Cell::Number(d)))
        })
}

/// A header row: at least two cells name a scenario; or one names a scenario and a year and the next
/// non-empty row starts with a known label (a one-column table, e.g. actuals only).
fn is_header_row(grid: &Grid, row: u32) -> bool {
    let years = (grid.start.1 + 1..grid.col_end()).filter(|&c| is_bare_year(grid, row, c)).count();
    if years >= 2 && under_statement_title(grid, row) {
        return true;
    }
    let mut found = (grid.start.1..grid.col_end()).filter_map(|c| header_of(grid, row, c).map(|h| (c, h)));
    match (found.next(), found.next()) {
        (Some(_), Some(_)) => true,
        // A lone scenario cell in the first column is a title ("Tilinpäätös 2024"), not a header.
        (Some((c, h)), None) if c > grid.start.1 && h.year.is_some() && !h.percent => {
            let has_label_cell =
                grid.get(row, grid.start.1).text().is_some_and(|t| match_label(&t, None) != LabelMatch::Unknown);
            let next = (row + 1..grid.row_end().min(row + 3)).find(|&r| !grid.row_is_empty(r));
            !has_label_cell && next.is_some_and(|r| starts_with_label(grid, r))
        }
        _ => false,
    }
}

/// The label column: of the columns left of the first value column, the one where most body rows hold a
/// known label (an account-number column before the labels is passed over); the first column on a tie.
fn label_column(grid: &Grid, first_value: u32, from: u32, limit: u32) -> u32 {
    let known = |c: u32| {
        (from..limit)
            .filter(|&r| grid.get(r, c).text().is_some_and(|t| match_label(&t, None) != LabelMatch::Unknown))
            .count()
    };
    let mut best = (grid.start.1, known(grid.start.1));
    for c in grid.start.1 + 1..first_value {
        let k = known(c);
        if k > best.1 {
            best = (c, k);
        }
    }
    best.0
}

fn is_year_like(cell: &Cell) -> bool {
    match cell {
        Cell::Number(d) => d.fract().is_zero() && *d >= Decimal::from(1990) && *d <= Decimal::from(2100),
        _ => false,
    }
}

/// A row that continues a header: no known label, only text or years, something at or right of `first_value`.
fn is_header_continuation(grid: &Grid, row: u32, first_value: u32, label_col: u32) -> bool {
    if grid.row_is_empty(row) {
        return false;
    }
    if let Some(t) = grid.get(row, label_col).text() {
        if !matches!(match_label(&t, None), LabelMatch::Unknown) {
            return false;
        }
    }
    let all_textual = (grid.start.1..grid.col_end()).all(|c| {
        let cell = grid.get(row, c);
        cell.is_empty()
            || is_year_like(cell)
            || matches!(cell, Cell::Text(t) if match parse_figure(t) {
                Parsed::Number(d) => is_year_like(&Cell::Number(d)),
                _ => true,
            })
    });
    let right = (first_value..grid.col_end()).any(|c| !grid.get(row, c).is_empty());
    all_textual && right
}

/// A group-header row above a header: cells only right of the label column, each a scenario or year.
fn is_group_row(grid: &Grid, row: u32, first_value: u32) -> bool {
    let mut any = false;
    for c in grid.start.1..grid.col_end() {
        let cell = grid.get(row, c);
        if cell.is_empty() {
            continue;
        }
        if c < first_value {
            return false;
        }
        let text = cell.text().unwrap_or_default();
        let h = classify(&join_header_parts([text.as_str()]));
        if h.scenario.is_none() && h.year.is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// The joined header text of one column over the header block, with merged and spanning group cells.
fn column_text(grid: &Grid, rows: std::ops::RangeInclusive<u32>, col: u32, first_value: u32) -> String {
    let mut parts = Vec::new();
    for r in rows.clone() {
        let mut text = grid.merged_text(r, col);
        if text.is_none() && !grid.has_merges() && col > first_value && r < *rows.end() {
            // Without merge information a group header sits in its first column only: carry it right over
            // the columns whose lower rows hold sub-headers.
            let below = |c: u32| (r + 1..=*rows.end()).any(|rr| !grid.get(rr, c).is_empty());
            if below(col) {
                let left = (first_value..col).rev().find(|&c| !grid.get(r, c).is_empty());
                if let Some(lc) = left {
                    if below(lc) {
                        text = grid.get(r, lc).text();
                    }
                }
            }
        }
        if let Some(t) = text {
            parts.push(t);
        }
    }
    join_header_parts(parts.iter().map(String::as_str))
}

/// A title without its section number and a money unit in parentheses at its end:
/// `2.2.1 Hallinto (1 000 €)` → `Hallinto`.
fn clean_title(text: &str) -> String {
    let mut t = text.trim();
    // Section numbers: "2.2.1", "3.", "7 01 02" before the words.
    while let Some((first, rest)) = t.split_once(char::is_whitespace) {
        let numbering = !first.is_empty()
            && first.chars().all(|c| c.is_ascii_digit() || c == '.')
            && first.chars().any(|c| c.is_ascii_digit())
            && !(first.len() == 4 && first.parse::<u32>().is_ok_and(|y| (1990..=2100).contains(&y)));
        if !numbering || !rest.chars().any(char::is_alphabetic) {
            break;
        }
        t = rest.trim_start();
    }
    if let Some(open) = t.strip_suffix(')').and_then(|s| s.rfind('(')) {
        if unit_factor(&t[open + 1..t.len() - 1]).is_some() {
            return t[..open].trim().to_string();
        }
    }
    t.to_string()
}

fn is_title_like(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    !t.is_empty()
        && t.chars().count() <= 80
        && !t.ends_with('.')
        && !t.starts_with(['*', '(', '¹', '['])
        && !["huom", "lähde", "note", "obs", "källa", "vastuuhenkilö", "ansvarsperson"]
            .iter()
            .any(|p| lower.starts_with(p))
        && !["määrära", "tuloarvio", "ohjeellinen", "sitova", "bindande", "anslag", "riktgivande"]
            .iter()
            .any(|w| lower.contains(w))
        && t.chars().any(char::is_alphabetic)
        && unit_factor(t).is_none_or(|_| t.chars().filter(|c| c.is_alphabetic()).count() > 6)
}

/// Finds every table in a sheet, with no document around it (the tests' grids).
#[cfg(test)]
pub fn find_tables(grid: &Grid, problems: &mut Problems) -> Vec<Table> {
    let doc = DocContext::default();
    let unreadable = HashMap::new();
    find_tables_in(
        grid,
        problems,
        &TableContext { doc: &doc, near: &|_| None, page: &|_| 0, org: None, unreadable: &unreadable },
    )
}

/// Finds every table in a sheet; years the columns do not give come from `ctx`. Tables that are not budget
/// tables (no row names a line item) come back too, passed over (see [`RawReport::passed_over`]), with no
/// figures and none of their rows' warnings.
pub fn find_tables_in(grid: &Grid, problems: &mut Problems, ctx: &TableContext) -> Vec<Table> {
    let header_rows: Vec<u32> = (grid.start.0..grid.row_end()).filter(|&r| is_header_row(grid, r)).collect();
    let mut tables = Vec::new();
    let mut previous_end = grid.start.0;
    let mut i = 0;
    while i < header_rows.len() {
        let h_start = header_rows[i];
        let first_value = (grid.start.1..grid.col_end())
            .find(|&c| header_of(grid, h_start, c).is_some())
            .or_else(|| (grid.start.1 + 1..grid.col_end()).find(|&c| is_bare_year(grid, h_start, c)));
        let Some(first_value) = first_value else { break };
        let label_col = grid.start.1;
        // Extend the header block downwards and (for group rows) upwards.
        let mut h_end = h_start;
        while h_end + 1 < grid.row_end()
            && h_end - h_start + 1 < MAX_HEADER_ROWS
            && is_header_continuation(grid, h_end + 1, first_value, label_col)
        {
            h_end += 1;
        }
        let mut top = h_start;
        while top > previous_end && h_end - top + 1 < MAX_HEADER_ROWS && is_group_row(grid, top - 1, first_value) {
            top -= 1;
        }
        // Skip header rows swallowed by this block.
        while i < header_rows.len() && header_rows[i] <= h_end {
            i += 1;
        }
        let body_end = header_rows.get(i).map_or(grid.row_end(), |&next| next);
        let table = read_table(grid, top..=h_end, first_value, previous_end, body_end, problems, ctx);
        previous_end = table.1;
        if let Some(t) = table.0 {
            tables.push(t);
        }
    }
    tables
}

/// The year for a table's columns that name none: its title rows (nearest first), the page or sheet, the
/// document; with the evidence.
fn context_year(titles: &[(String, String)], near: Option<Inferred<i32>>, doc: &DocContext) -> Option<Inferred<i32>> {
    titles
        .iter()
        .find_map(|(t, cell)| {
            super::context::title_year(t).map(|y| {
                Inferred::new(y, Evidence::TableTitle { text: super::context::short(t), at: Place::grid(cell) })
            })
        })
        .or(near)
        .or_else(|| doc.year().cloned())
}

/// Reads one table. Returns it (if it has value columns) and the row after its last body row.
fn read_table(
    grid: &Grid,
    header: std::ops::RangeInclusive<u32>,
    first_value: u32,
    title_floor: u32,
    body_limit: u32,
    problems: &mut Problems,
    ctx: &TableContext,
) -> (Option<Table>, u32) {
    let top = *header.start();
    let header_cell = grid.cell_ref(top, first_value);
    // Columns and their headers.
    let statement = under_statement_title(grid, top);
    let mut columns: Vec<(u32, ColumnHeader, String)> = Vec::new();
    let mut factor = None;
    let mut realisation_cols: Vec<u32> = Vec::new();
    let mut bare_percent_cols: Vec<u32> = Vec::new();
    let mut month_cols: Vec<(u32, u8)> = Vec::new();
    let mut weak_factor: Option<Evidence> = None;
    let mut money_evidence = Evidence::NoneStated;
    let mut explanation_col = None;
    let mut column_notes = Vec::new();
    let mut part_of_year = Vec::new();
    let mut kausi_months: Option<u8> = None;
    let mut unheaded = Vec::new();
    for c in grid.start.1..grid.col_end() {
        let text = column_text(grid, header.clone(), c, first_value);
        if factor.is_none() {
            let found = unit_factor(&text);
            let evidence =
                || Evidence::Header { text: super::context::short(&text), at: Place::grid(&grid.cell_ref(top, c)) };
            // A euro word in a column's words ("toteutuneet eurot") says euros but no scale: a caption's explicit
            // "1000 euroa" wins over it; it counts where nothing else states a unit.
            if found == Some(Decimal::ONE) && !text.contains('€') && weak_factor.is_none() {
                weak_factor = Some(evidence());
            } else if found.is_some() && found != Some(Decimal::ONE) || text.contains('€') {
                factor = found;
                money_evidence = evidence();
            }
        }
        if c < first_value {
            continue;
        }
        if is_explanation_header(&text) {
            explanation_col.get_or_insert(c);
            continue;
        }
        let mut h = classify(&text);
        if h.scenario.is_none() && h.year.is_some() && !h.percent && statement {
            // A bare year under a year-end statement's title: that year's actuals.
            h.scenario = Some(Scenario::Tp);
        }
        // Actuals from January to a month before December: actuals to date, never the year's.
        if h.part_of_year && h.scenario == Some(Scenario::Tp) && !h.percent {
            if let Some((1, m)) = h.months {
                h.scenario = Some(Scenario::Kausi);
                kausi_months.get_or_insert(m);
                column_notes.push(ColumnNote {
                    at: Place::grid(&grid.cell_ref(top, c)),
                    header: super::context::short(&text),
                    reading: ColumnReading::ToDate { months: m },
                });
                columns.push((c, h, text));
                continue;
            }
        }
        if h.scenario.is_some() && !h.percent && !h.part_of_year {
            columns.push((c, h, text));
        } else if text.trim().is_empty() {
            unheaded.push(c);
        } else {
            let why = if h.part_of_year {
                part_of_year.push((grid.cell_ref(top, c), Said::PartOfYear { column: super::context::short(&text) }));
                ColumnReading::PartOfYear
            } else if h.percent && is_realisation_percent(&text) {
                realisation_cols.push(c);
                ColumnReading::RealisationPercent
            } else if let Some(m) = month_column(&text).filter(|_| h.scenario.is_none() && !h.percent) {
                month_cols.push((c, m));
                ColumnReading::Month
            } else if h.percent && text.trim() == "%" {
                bare_percent_cols.push(c);
                ColumnReading::BarePercent
            } else if h.percent {
                ColumnReading::Percent
            } else {
                ColumnReading::NoScenario
            };
            column_notes.push(ColumnNote {
                at: Place::grid(&grid.cell_ref(top, c)),
                header: super::context::short(&text),
                reading: why,
            });
        }
    }
    // A bare "%" in a table without a variance column is its realisation (budget, actuals, %): checked.
    if !columns.iter().any(|(_, h, _)| matches!(h.scenario, Some(Scenario::Poikkeama | Scenario::EnnusteenPoikkeama))) {
        realisation_cols.append(&mut bare_percent_cols);
    }
    // A column of figures whose heading the page left out: the actuals where the table's own arithmetic shows
    // it (the variance is it minus the budget on every row), else not read, and said.
    let mut unheaded_said = Vec::new();
    unheaded.retain(|&c| match actuals_by_arithmetic(grid, *header.end() + 1..body_limit, &columns, c) {
        Some((year, rows, example)) => {
            let h =
                ColumnHeader { scenario: Some(Scenario::Tp), year, percent: false, part_of_year: false, months: None };
            let at = columns.iter().position(|(k, _, _)| *k > c).unwrap_or(columns.len());
            columns.insert(at, (c, h, "(no heading)".to_string()));
            unheaded_said.push((grid.cell_ref(top, c), Said::UnheadedActuals { rows, example }));
            false
        }
        None => true,
    });
    // Title rows above the header, nearest first, down to the previous table.
    let mut titles = Vec::new();
    let mut title_cells: Vec<(String, String)> = Vec::new();
    // The lines right above the table: at most eight that are not blank (farther up is another story).
    let mut near_text = Vec::new();
    let mut seen = 0;
    for r in (title_floor..top).rev() {
        if !grid.row_is_empty(r) {
            seen += 1;
        }
        if seen > 8 || (ctx.page)(r) != (ctx.page)(top) {
            break;
        }
        for c in grid.start.1..grid.col_end() {
            if let Some(t) = grid.get(r, c).text() {
                near_text.push(t.clone());
                if factor.is_none() {
                    factor = caption_factor(&t);
                    if factor.is_some() {
                        money_evidence = Evidence::Caption {
                            text: super::context::short(&t),
                            at: Place::grid(&grid.cell_ref(r, c)),
                        };
                    }
                }
                if is_title_like(&t) {
                    // Only the lines right above the table give it a year.
                    if top - r <= 6 {
                        title_cells.push((t.clone(), grid.cell_ref(r, c)));
                    }
                    if !titles.contains(&clean_title(&t)) {
                        titles.push(clean_title(&t));
                    }
                }
            }
        }
    }
    // A caption right above the table naming part of a year ("Tuloslaskelma 1 - 7 kk", "Toteuma tammi–heinäkuu
    // 2025") makes its actuals columns without a period of their own actuals to date: never the year's.
    if let Some((t, m)) = near_text
        .iter()
        .take(3)
        .find_map(|t| super::header::period_months(t).filter(|r| r.0 == 1 && r.1 < 12).map(|r| (t.clone(), r.1)))
    {
        for (c, h, _) in columns.iter_mut().filter(|(_, h, _)| h.scenario == Some(Scenario::Tp) && h.months.is_none()) {
            h.scenario = Some(Scenario::Kausi);
            h.part_of_year = true;
            h.months = Some((1, m));
            kausi_months.get_or_insert(m);
            column_notes.push(ColumnNote {
                at: Place::grid(&grid.cell_ref(top, *c)),
                header: String::new(),
                reading: ColumnReading::ToDateByCaption { months: m, caption: super::context::short(&t) },
            });
        }
    }
    // The header's cells left of the values are the table's caption too (a statement's "TULOSLASKELMA
    // (ULKOINEN)").
    for c in grid.start.1..first_value {
        if let Some(t) = grid.get(top, c).text() {
            near_text.insert(0, t);
        }
    }
    // Last, the header's own first cell, when it is the only text left of the values (not a row of
    // column headings such as "Tili | Nimike").
    let headings = (grid.start.1..first_value).filter(|&c| grid.get(top, c).text().is_some()).count();
    if let Some(t) = grid
        .get(top, grid.start.1)
        .text()
        .filter(|t| headings == 1 && is_title_like(t) && match_label(t, None) == LabelMatch::Unknown)
    {
        if classify(&t.to_uppercase()).scenario.is_none() && !titles.contains(&clean_title(&t)) {
            titles.push(clean_title(&t));
        }
    }
    let label_col = label_column(grid, first_value, *header.end() + 1, body_limit);
    if grid.is_transposed() {
        // The sheet's rows above the table are, here, the columns left of the labels: nearest first.
        let mut nearer = Vec::new();
        for c in (grid.start.1..label_col).rev() {
            for r in top..body_limit {
                let Some(t) = grid.get(r, c).text() else { continue };
                if factor.is_none() {
                    factor = caption_factor(&t);
                }
                if is_title_like(&t)
                    && match_label(&t, None) == LabelMatch::Unknown
                    && classify(&t.to_uppercase()).scenario.is_none()
                    && !nearer.contains(&clean_title(&t))
                {
                    nearer.push(clean_title(&t));
                }
            }
        }
        titles.retain(|t| !nearer.contains(t));
        nearer.append(&mut titles);
        titles = nearer;
    }
    if factor.is_none() {
        money_evidence = match weak_factor {
            Some(evidence) => {
                factor = Some(Decimal::ONE);
                evidence
            }
            None => Evidence::NoneStated,
        };
    }
    let factor = factor.unwrap_or(Decimal::ONE);

    // Years for columns whose header has none: the document around the table, never a neighbouring
    // column's. Only the columns a budget year alone has (changes, budget after changes, variance, overrun
    // right) belong to the budget year its budget columns name, or the budget column just left of them.
    let table_year = context_year(&title_cells, (ctx.near)(top), ctx.doc);
    let budget_year = {
        let mut ys: Vec<i32> = columns
            .iter()
            .filter(|(_, h, _)| matches!(h.scenario, Some(Scenario::Ta | Scenario::TaMuutokset | Scenario::TaMuutettu)))
            .filter_map(|(_, h, _)| h.year)
            .collect();
        ys.sort_unstable();
        ys.dedup();
        match ys.as_slice() {
            [y] => Some(*y),
            _ => None,
        }
    };
    let left_year = |i: usize| {
        columns[..i]
            .iter()
            .rev()
            .find(|(_, h, _)| h.year.is_some())
            .filter(|(_, h, _)| matches!(h.scenario, Some(Scenario::Ta | Scenario::TaMuutettu)))
            .and_then(|(_, h, _)| h.year)
    };
    let mut value_columns = Vec::new();
    let mut local = Problems::default();
    local.warnings.append(&mut part_of_year);
    local.warnings.append(&mut unheaded_said);
    let mut year_used: Option<Inferred<i32>> = None;
    for (i, (c, h, text)) in columns.iter().enumerate() {
        let Some(scenario) = h.scenario else { continue };
        let budget_only = matches!(
            scenario,
            Scenario::TaMuutokset
                | Scenario::TaMuutettu
                | Scenario::Poikkeama
                | Scenario::Ylitysoikeus
                | Scenario::EnnusteenPoikkeama
        );
        let year = match h.year {
            Some(y) => Some((y, YearFrom::Header)),
            None if budget_only => budget_year
                .or_else(|| left_year(i))
                .map(|y| (y, YearFrom::BudgetHeader))
                .or_else(|| table_year.as_ref().map(|t| (t.value, YearFrom::Table(t.evidence.clone())))),
            None => table_year.as_ref().map(|t| (t.value, YearFrom::Table(t.evidence.clone()))),
        };
        let cell = grid.cell_ref(top, *c);
        match year {
            Some((year, why)) => {
                if h.year.is_none() && year_used.is_none() {
                    year_used = table_year.clone().filter(|t| t.value == year);
                }
                column_notes.push(ColumnNote {
                    at: Place::grid(&cell),
                    header: super::context::short(text),
                    reading: ColumnReading::Read { scenario, year, year_from: why },
                });
                value_columns.push(ValueColumn { col: *c, scenario, year })
            }
            None => {
                column_notes.push(ColumnNote {
                    at: Place::grid(&cell),
                    header: super::context::short(text),
                    reading: ColumnReading::NoYear,
                });
                local.warnings.push((cell, Said::NoYear { column: scenario.label("fi").to_string() }))
            }
        }
    }
    let from = *header.end() + 1;
    let period =
        kausi_months.and_then(|m| value_columns.iter().find(|v| v.scenario == Scenario::Kausi).map(|v| (v.year, m)));
    // A summary whose rows are units and whose column groups name the line item.
    let items: Vec<Option<crate::model::Item>> = value_columns
        .iter()
        .map(|vc| columns.iter().find(|(c, _, _)| *c == vc.col).and_then(|(_, _, t)| super::unit_rows::group_item(t)))
        .collect();
    // A summary of units as rows: its column groups name two line items or more.
    let units_as_rows = items.iter().all(Option::is_some)
        && items.iter().flatten().collect::<std::collections::BTreeSet<_>>().len() >= 2;
    if let (Some(org), false) = (ctx.org, value_columns.is_empty()) {
        if units_as_rows {
            let cols: Vec<(ValueColumn, crate::model::Item)> =
                value_columns.iter().cloned().zip(items.iter().flatten().copied()).collect();
            let read = super::unit_rows::read(grid, from, body_limit, &cols, org);
            problems.warnings.append(&mut local.warnings);
            for (cell, label, reason) in &read.not_read {
                problems
                    .warnings
                    .push((cell.clone(), Said::RowNotRead { label: label.clone(), reason: reason.clone() }));
            }
            let end = read.end.max(from);
            let report = RawReport {
                last_cell: grid.cell_ref(end.saturating_sub(1).max(top), grid.start.1),
                passed_over: (read.rows_read == 0).then_some(PassedOver::NoUnitRow),
                year: year_used.as_ref().map(|y| y.value).or_else(|| value_columns.iter().map(|v| v.year).max()),
                year_evidence: year_used.map_or(Evidence::ColumnHeaders, |y| y.evidence),
                money_evidence,
                signs: Some(SignsRead { scenarios_as_rows: false, how: Signs::UnitsAsRows }),
                columns: column_notes,
                rows_read: read.rows_read,
                rows_not_read: read.not_read,
                period,
            };
            let mut t = Table::not_read(titles, factor, header_cell, report, (top, end), near_text);
            if t.report.passed_over.is_none() {
                t.figures = read.figures;
            }
            return (Some(t), end);
        }
    }
    let mut changes = Vec::new();
    let mut signs = SignsRead { scenarios_as_rows: false, how: Signs::AsPrinted };
    let (mut rows, cells, not_read, end, value_columns, sheet_rows) = if !value_columns.is_empty()
        && super::scenario_rows::detect(grid, from, body_limit, first_value)
    {
        let turned = super::scenario_rows::turn(grid, from, body_limit, first_value, &value_columns, ctx.unreadable);
        let not_read: Vec<(String, String, NotReadWhy)> =
            turned.unplaced.iter().map(|u| (u.cell.clone(), u.label.clone(), u.reason.clone())).collect();
        for ch in &turned.changes {
            changes.push((ch.line_item, turned.columns[1].year, ch.decision.clone(), ch.value, ch.cell.clone()));
        }
        signs.scenarios_as_rows = true;
        let (rows, cells): (Vec<BodyRow>, Vec<Vec<Vec<String>>>) =
            turned.rows.into_iter().map(|t| (t.row, t.cells)).unzip();
        (rows, cells, not_read, turned.end, turned.columns, Vec::new())
    } else {
        let body = read_body(grid, from, body_limit, label_col, &value_columns, &mut local, ctx);
        let cells = body
            .sheet_rows
            .iter()
            .map(|&r| value_columns.iter().map(|vc| vec![grid.cell_ref(r, vc.col)]).collect())
            .collect();
        (body.rows, cells, body.not_read, body.end, value_columns, body.sheet_rows)
    };
    // Columns of figures without a heading, not shown to be anything by the arithmetic: not read, and said.
    for c in unheaded {
        if (*header.end() + 1..end).any(|r| lenient_value(grid.get(r, c)).is_some()) {
            let cell = grid.cell_ref(top, c);
            column_notes.push(ColumnNote {
                at: Place::grid(&cell),
                header: String::new(),
                reading: ColumnReading::Unheaded,
            });
            local.warnings.push((cell, Said::UnheadedColumn));
        }
    }
    if value_columns.is_empty() {
        // Columns that name a scenario but no year, with nothing around the table to give it: a table that
        // is not read, said so (a file of only such tables names the way out: --year).
        let yearless: Vec<String> = local
            .warnings
            .iter()
            .filter_map(|(_, said)| match said {
                Said::NoYear { column } => Some(column.clone()),
                _ => None,
            })
            .collect();
        if yearless.is_empty() {
            return (None, end);
        }
        problems.warnings.append(&mut local.warnings);
        let report = RawReport {
            last_cell: grid.cell_ref(end.saturating_sub(1).max(top), grid.start.1),
            passed_over: Some(PassedOver::NoYear { columns: yearless }),
            columns: column_notes,
            ..RawReport::default()
        };
        return (Some(Table::not_read(titles, factor, header_cell, report, (top, end), near_text)), end);
    }
    // A budget table has a row naming a line item with figures, or one naming a line item whose figures could
    // not be read.
    let unread_known = not_read.iter().filter(|(_, label, _)| match_label(label, None).line_item().is_some()).count();
    let known_rows =
        rows.iter().filter(|r| r.line.is_some() && r.values.iter().any(Option::is_some)).count() + unread_known;
    // One line-item word among many other rows with figures is a balance sheet's or a key-figure table's
    // ("Aineet ja tarvikkeet" under inventories), not a budget table.
    let other_rows = rows.iter().filter(|r| r.line.is_none() && r.values.iter().any(Option::is_some)).count();
    let known_rows = if known_rows == 1 && other_rows >= 3 { 0 } else { known_rows };
    let last_cell = grid.cell_ref(end.saturating_sub(1).max(top), grid.start.1);
    let mut report = RawReport {
        last_cell,
        passed_over: None,
        year: year_used.as_ref().map(|y| y.value).or_else(|| value_columns.iter().map(|v| v.year).max()),
        year_evidence: year_used.map_or(Evidence::ColumnHeaders, |y| y.evidence),
        money_evidence,
        signs: None,
        columns: column_notes,
        rows_read: known_rows,
        rows_not_read: not_read.clone(),
        period,
    };
    if known_rows == 0 {
        // Goals, key figures, investments, the balance sheet: no row names a line item of the scheme.
        let first: Vec<String> = rows.iter().filter(|r| !r.label.is_empty()).take(3).map(|r| r.label.clone()).collect();
        report.passed_over = Some(if units_as_rows && ctx.org.is_none() {
            PassedOver::UnitsAsRowsNeedOrg { first }
        } else {
            PassedOver::NoLineItem { first }
        });
        report.rows_read = 0;
        report.rows_not_read.clear();
        return (Some(Table::not_read(titles, factor, header_cell, report, (top, end), near_text)), end);
    }
    // Costs printed positive, recognised by the margin, are turned to the reports' signs.
    if let Some(turned) = super::signs::turn_positive_costs(&mut rows, &value_columns) {
        local.warnings.push((
            header_cell.clone(),
            Said::CostsTurned {
                columns: turned.evidence_columns,
                variance_turned: turned.variance_turned,
                net_cost: turned.net_cost,
            },
        ));
        signs.how = Signs::CostsTurned {
            columns: turned.evidence_columns,
            net_cost: turned.net_cost,
            variance_turned: turned.variance_turned,
        };
        for ch in changes.iter_mut() {
            if ch.0.item == crate::model::Item::TOIMINTAKULUT
                || ch.0.item.is_under(crate::model::Item::TOIMINTAKULUT)
                || (turned.net_cost && ch.0.item == crate::model::Item::TOIMINTAKATE)
            {
                ch.3 = -ch.3;
            }
        }
    }
    report.signs = Some(signs);
    for (cell, label, reason) in &not_read {
        // Unknown labels were warned of as such when the row was read.
        if !local.warnings.iter().any(|(c, _)| c == cell) {
            local.warnings.push((cell.clone(), Said::RowNotRead { label: label.clone(), reason: reason.clone() }));
        }
    }
    let (mut figures, sums) = figures_and_sums(&rows, &cells, &value_columns);
    let percents = realisation_checks(grid, &rows, &sheet_rows, &value_columns, &realisation_cols);
    let month_sums = month_checks(grid, &rows, &sheet_rows, &value_columns, &month_cols);
    problems.warnings.append(&mut local.warnings);
    problems.errors.append(&mut local.errors);
    problems.empty_figure_cells.append(&mut local.empty_figure_cells);
    // A figure beyond any budget (in euros, after the money unit) is an input error, never a crash later.
    let beyond = |value: Decimal| {
        format!(
            "{value} is beyond any budget (more than 10^15 €{}): check the figure and the table's money unit",
            if factor == Decimal::ONE { String::new() } else { format!(" when multiplied by {factor}") }
        )
    };
    let in_range = |value: Decimal| value.checked_mul(factor).is_some_and(crate::model::plausible);
    figures.retain(|f| {
        let ok = in_range(f.value);
        if !ok && f.sum_of.is_none() {
            problems.errors.push((f.cell.clone(), beyond(f.value)));
        }
        ok
    });
    changes.retain(|(_, _, _, value, cell)| {
        let ok = in_range(*value);
        if !ok {
            problems.errors.push((cell.clone(), beyond(*value)));
        }
        ok
    });
    // Explanations are of the year the table reports on: its actuals' year, else its latest.
    let year = value_columns
        .iter()
        .filter(|v| v.scenario == Scenario::Tp)
        .map(|v| v.year)
        .max()
        .or_else(|| value_columns.iter().map(|v| v.year).max());
    let mut explanations = Vec::new();
    if let (Some(ec), Some(year)) = (explanation_col, year) {
        for r in from..end {
            let (Some(label), Some(text)) = (grid.get(r, label_col).text(), grid.get(r, ec).text()) else { continue };
            if let LabelMatch::Exact(li) | LabelMatch::Typo(li, _) = match_label(&label, None) {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                explanations.push((li, year, grid.cell_ref(r, ec), text));
            }
        }
    }
    (
        Some(Table {
            titles,
            factor,
            header_cell,
            figures,
            sums,
            explanations,
            changes,
            percents,
            month_sums,
            report,
            span: (top, end),
            near_text,
        }),
        end,
    )
}

/// A column headed by one month (`Tammikuu`, `tammi`, `Jan 2024`, `01/2024`): its number.
fn month_column(text: &str) -> Option<u8> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [w] | [w, _] if words.get(1).is_none_or(|y| super::text::is_year(y)) => {
            if let Some((m, y)) = w.split_once('/') {
                return (super::text::is_year(y))
                    .then(|| m.parse::<u8>().ok().filter(|m| (1..=12).contains(m)))
                    .flatten();
            }
            (w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
                .then(|| super::header::month_of_word(w))
                .flatten()
        }
        _ => None,
    }
}

/// Month columns beside actuals to date (or the year's actuals): on each row with figures in all of them, their
/// sum against the total, as printed. Only where the months are January to the total's last month, each once.
fn month_checks(
    grid: &Grid,
    rows: &[BodyRow],
    sheet_rows: &[u32],
    columns: &[ValueColumn],
    months: &[(u32, u8)],
) -> Vec<(LineItem, Scenario, i32, Decimal, Decimal, String, String)> {
    let mut have: Vec<u8> = months.iter().map(|(_, m)| *m).collect();
    have.sort_unstable();
    let n = have.len() as u8;
    if n == 0 || have != (1..=n).collect::<Vec<u8>>() {
        return Vec::new();
    }
    let total =
        columns.iter().find(|v| (v.scenario == Scenario::Kausi && n < 12) || (v.scenario == Scenario::Tp && n == 12));
    let Some(total) = total else { return Vec::new() };
    let mut out = Vec::new();
    for (row, &r) in rows.iter().zip(sheet_rows) {
        let Some(li) = row.line.filter(|_| !row.of_which) else { continue };
        let Ok(Some(printed)) = figure_cell(grid.get(r, total.col)) else { continue };
        // Each printed figure is off by up to half its last digit: the months' sum may differ from the total
        // by that much and be right.
        let (mut sum, mut slack) = (Some(Decimal::ZERO), half_digit(printed));
        for (c, _) in months {
            match figure_cell(grid.get(r, *c)) {
                Ok(Some(v)) => {
                    sum = sum.and_then(|s| s.checked_add(v));
                    slack += half_digit(v);
                }
                Ok(None) => {}
                Err(_) => sum = None,
            }
        }
        let Some(sum) = sum else { continue };
        if sum.checked_sub(printed).is_some_and(|d| d.abs() > slack) {
            let first = grid.cell_ref(r, months.iter().map(|(c, _)| *c).min().unwrap_or(total.col));
            out.push((li, total.scenario, total.year, printed, sum, grid.cell_ref(r, total.col), first));
        }
    }
    out
}

/// Half the last printed digit of a figure: how far its printed value may be from the one it rounds.
fn half_digit(d: Decimal) -> Decimal {
    Decimal::new(5, d.scale() + 1)
}

/// A realisation percentage worked from its row (actual / budget × 100), and whether the printed one agrees with
/// it within the rounding of the percentage and of both figures. None for a zero budget or figures whose
/// arithmetic passes the exact range. Shared by the check of printed percentages and the reading of rows whose
/// figures split more than one way (`text::group_with`).
pub(super) fn realisation(actual: Decimal, budget: Decimal, printed: Decimal) -> Option<(Decimal, bool)> {
    if budget.is_zero() {
        return None;
    }
    let computed = actual.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(budget)?;
    // The figures' rounding carried into the ratio: d(a/b) ≤ da/|b| + |a|·db/b².
    let of_actual = half_digit(actual).checked_div(budget.abs())?;
    let of_budget = actual.abs().checked_mul(half_digit(budget))?.checked_div(budget.checked_mul(budget)?)?;
    let spread = of_actual.checked_add(of_budget)?.checked_mul(Decimal::ONE_HUNDRED)?;
    let tol = half_digit(printed).checked_add(spread)?;
    Some((computed, printed.checked_sub(computed)?.abs() <= tol))
}

/// A percent column of realisation (`toteutumis-%`, `Käyttö-%`, `toteutumisprosentti`, `Tot-%`, `Utfall %`),
/// not of a variance or a change.
pub(super) fn is_realisation_percent(text: &str) -> bool {
    let t = text.to_uppercase();
    let says = |w: &str| t.contains(w);
    (says("TOTEUTUM") || says("TOTEUM") || says("TOT") || says("KÄYTTÖ") || says("UTFALL") || says("FÖRBRUKNING"))
        && !(says("POIKKEAMA") || says("ERO") || says("MUUTOS") || says("AVVIKELSE") || says("FÖRÄNDRING"))
}

/// Each row's printed realisation percentage against its own actuals (to date, else the year's) over its
/// budget (after changes where the table prints it, else the original), within the rounding of the printed
/// percentage and of the figures. Only the ones that do not agree come back; where the table prints no budget
/// after changes, a percentage computed against one it does not print would look wrong, so it is not certain.
fn realisation_checks(
    grid: &Grid,
    rows: &[BodyRow],
    sheet_rows: &[u32],
    columns: &[ValueColumn],
    percent_cols: &[u32],
) -> Vec<RawPercent> {
    let actual = columns
        .iter()
        .position(|v| v.scenario == Scenario::Kausi)
        .or_else(|| columns.iter().position(|v| v.scenario == Scenario::Tp));
    let Some(a) = actual else { return Vec::new() };
    let year = columns[a].year;
    let of_year = |s: Scenario| columns.iter().position(|v| v.scenario == s && v.year == year);
    let budgets: Vec<(usize, Scenario)> =
        [Scenario::TaMuutettu, Scenario::Ta].into_iter().filter_map(|s| of_year(s).map(|k| (k, s))).collect();
    let Some(&(main, budget)) = budgets.first() else { return Vec::new() };
    // Certain where the table prints the budget after changes, or shows there were no changes.
    let certain = budget == Scenario::TaMuutettu
        || of_year(Scenario::TaMuutokset).is_some_and(|k| rows.iter().all(|r| r.values[k].is_none_or(|v| v.is_zero())));
    let mut out = Vec::new();
    for &pc in percent_cols {
        for (row, &r) in rows.iter().zip(sheet_rows) {
            let Some(li) = row.line.filter(|_| !row.of_which) else { continue };
            let Ok(Some(printed)) = figure_cell(grid.get(r, pc)) else { continue };
            let Some(av) = row.values[a] else { continue };
            // The candidates: every budget the row prints; the percentage agrees with one of them, or it is
            // reported against the table's main budget (after changes where printed).
            let mut against_main: Option<Decimal> = None;
            let mut agrees = false;
            for &(k, _) in &budgets {
                let Some(bv) = row.values[k] else { continue };
                let Some((computed, agreeing)) = realisation(av, bv, printed) else { continue };
                if agreeing {
                    agrees = true;
                    break;
                }
                if k == main {
                    against_main = Some(computed);
                }
            }
            let Some(computed) = against_main.filter(|_| !agrees) else { continue };
            out.push(RawPercent {
                line_item: li,
                year,
                actual: columns[a].scenario,
                budget,
                printed,
                computed: computed.round_dp(printed.scale().max(1) + 1),
                cell: grid.cell_ref(r, pc),
                certain,
            });
        }
    }
    out
}

/// A column of explanations: "Perustelu", "Perustelut", "Poikkeaman perustelu", "Selitys", "Motivering",
/// "Explanation".
/// Whether a column without a heading holds the actuals, shown by the table's own arithmetic: the table has
/// one budget column (after changes, else the original), one variance column and no actuals; and on every row
/// with figures in all three (at least two rows) the variance is the column minus the budget, in the printed
/// signs or with costs printed positive (budget minus the column), as printed on at least one row with a
/// variance. The year is the budget's and variance's heading's (the same, or none). Returns the year, the
/// rows and one row worked as the evidence.
fn actuals_by_arithmetic(
    grid: &Grid,
    body: std::ops::Range<u32>,
    columns: &[(u32, ColumnHeader, String)],
    c: u32,
) -> Option<(Option<i32>, usize, String)> {
    let only = |s: Scenario| {
        let found: Vec<&(u32, ColumnHeader, String)> =
            columns.iter().filter(|(_, h, _)| h.scenario == Some(s)).collect();
        (found.len() == 1).then(|| found[0])
    };
    if columns.iter().any(|(_, h, _)| matches!(h.scenario, Some(Scenario::Tp | Scenario::Ennuste))) {
        return None;
    }
    let budget = only(Scenario::TaMuutettu).or_else(|| {
        columns.iter().all(|(_, h, _)| h.scenario != Some(Scenario::TaMuutettu)).then(|| only(Scenario::Ta)).flatten()
    })?;
    let variance = only(Scenario::Poikkeama)?;
    let year = match (budget.1.year, variance.1.year) {
        (Some(a), Some(b)) if a != b => return None,
        (a, b) => a.or(b),
    };
    let (mut rows, mut as_printed, mut example) = (0, false, String::new());
    for r in body {
        let (Some(b), Some(x), Some(v)) = (
            lenient_value(grid.get(r, budget.0)),
            lenient_value(grid.get(r, c)),
            lenient_value(grid.get(r, variance.0)),
        ) else {
            continue;
        };
        let diff = x.checked_sub(b)?;
        if v == diff && !v.is_zero() {
            as_printed = true;
            if example.is_empty() {
                example = format!("{x} − {b} = {v}");
            }
        } else if v != diff && v != -diff {
            return None;
        }
        rows += 1;
    }
    (rows >= 2 && as_printed).then_some((year, rows, example))
}

fn is_explanation_header(text: &str) -> bool {
    let t = text.to_lowercase();
    ["perustelu", "selitys", "selitykset", "motivering", "explanation"]
        .iter()
        .any(|w| t.split_whitespace().any(|x| x.trim_matches(|c: char| !c.is_alphanumeric()).starts_with(w)))
}

/// A figure cell read strictly: its number, none for a blank (or a placeholder such as "…"), or why it is no
/// number. Every table reader reads its figure cells through it.
pub(super) fn figure_cell(cell: &Cell) -> Result<Option<Decimal>, NotANumber> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(d) => Ok(Some(*d)),
        Cell::Text(t) => match parse_figure(t) {
            Parsed::Blank => Ok(None),
            Parsed::Number(d) => Ok(Some(d)),
            Parsed::NotANumber => Err(NotANumber::Text(t.clone())),
        },
        Cell::Other(what) => Err(what.clone()),
    }
}

/// A figure cell read leniently: its number, or none for blank or text that is not a number.
fn lenient_value(cell: &Cell) -> Option<Decimal> {
    figure_cell(cell).ok().flatten()
}

/// A table's body as read: its rows, the sheet row of each, the rows not read (cell, label, reason) and the
/// row after the last one read.
struct Body {
    rows: Vec<BodyRow>,
    sheet_rows: Vec<u32>,
    not_read: Vec<(String, String, NotReadWhy)>,
    end: u32,
}

/// Reads body rows until the next header (or a gap followed by something that is not the table), and names
/// unlabelled totals by their group's heading. A row whose figures cannot be read (a cell that is no
/// number, figures the text reader could not split: `unreadable`) is kept as an unread row, never read in
/// part.
fn read_body(
    grid: &Grid,
    from: u32,
    limit: u32,
    label_col: u32,
    columns: &[ValueColumn],
    problems: &mut Problems,
    ctx: &TableContext,
) -> Body {
    let unreadable = ctx.unreadable;
    let mut rows: Vec<BodyRow> = Vec::new();
    // The sheet row of each body row.
    let mut sheet_rows: Vec<u32> = Vec::new();
    let mut not_read = Vec::new();
    let mut previous: Option<LineItem> = None;
    let mut blank_run = 0;
    let mut last_row = from;
    let max_rows = crate::ingest::limits::limits().table_rows;
    for r in from..limit {
        // A table of more rows than any budget table has: not read past the limit, and an error (its figures
        // would be held row by row: a million rows under one header took 2 GB).
        if rows.len() as u64 >= max_rows {
            problems.errors.push((
                grid.cell_ref(r, label_col),
                format!(
                    "the table goes on past {max_rows} rows, more than any budget table has (a ledger export is read \
                     as CSV); [limits] table_rows raises the limit"
                ),
            ));
            break;
        }
        let label = grid.get(r, label_col).text();
        // A new page goes on with the table only where its first row has figures (a table the PDF reader
        // found running on); page furniture or another text ends it.
        if r > from && (ctx.page)(r) != (ctx.page)(r - 1) && columns.iter().all(|vc| grid.get(r, vc.col).is_empty()) {
            break;
        }
        if let Some(reason) = unreadable.get(&r) {
            let label = label.unwrap_or_default().trim().to_string();
            let known = match_label(&label, previous).line_item().is_some();
            if known || !label.is_empty() {
                not_read.push((grid.cell_ref(r, label_col), label.clone(), reason.clone()));
                rows.push(BodyRow {
                    line: None,
                    of_which: false,
                    label,
                    cell: grid.cell_ref(r, label_col),
                    values: vec![None; columns.len()],
                });
                sheet_rows.push(r);
                last_row = r + 1;
            }
            continue;
        }
        let values_empty = columns.iter().all(|vc| grid.get(r, vc.col).is_empty());
        let Some(label) = label else {
            if values_empty {
                blank_run += 1;
                continue;
            }
            let first = columns.iter().find(|vc| !grid.get(r, vc.col).is_empty()).map_or(label_col, |vc| vc.col);
            let values: Vec<Option<Decimal>> = columns.iter().map(|vc| lenient_value(grid.get(r, vc.col))).collect();
            let all_read = columns.iter().zip(&values).all(|(vc, v)| v.is_some() || grid.get(r, vc.col).is_empty());
            if all_read {
                rows.push(BodyRow {
                    line: None,
                    of_which: false,
                    label: String::new(),
                    cell: grid.cell_ref(r, first),
                    values,
                });
                sheet_rows.push(r);
            } else {
                problems.warnings.push((grid.cell_ref(r, first), Said::NoLabel));
                not_read.push((grid.cell_ref(r, first), String::new(), NotReadWhy::NoLabel));
            }
            continue;
        };
        let (item, of_which) = match match_label(&label, previous) {
            LabelMatch::Exact(li) => (li, false),
            LabelMatch::Typo(li, known) => {
                problems.warnings.push((
                    grid.cell_ref(r, label_col),
                    Said::LabelTypo { label: label.trim().to_string(), known, id: li.id() },
                ));
                (li, false)
            }
            LabelMatch::OfWhich(li) => (li, true),
            LabelMatch::Unknown => {
                if blank_run >= 2 {
                    break;
                }
                // A line of prose after the table's rows ends it (report text keeps no blank rows).
                let prose = {
                    let t = label.trim();
                    t.split_whitespace().count() > 6 || t.ends_with('.')
                };
                if values_empty && prose && rows.iter().any(|r| r.line.is_some()) {
                    break;
                }
                let values: Vec<Option<Decimal>> =
                    columns.iter().map(|vc| lenient_value(grid.get(r, vc.col))).collect();
                if values.iter().any(Option::is_some) {
                    problems
                        .warnings
                        .push((grid.cell_ref(r, label_col), Said::UnknownLabel { label: label.trim().to_string() }));
                    not_read.push((grid.cell_ref(r, label_col), label.trim().to_string(), NotReadWhy::UnknownLabel));
                }
                rows.push(BodyRow {
                    line: None,
                    of_which: false,
                    label: label.trim().to_string(),
                    cell: grid.cell_ref(r, label_col),
                    values,
                });
                sheet_rows.push(r);
                blank_run = 0;
                continue;
            }
        };
        blank_run = 0;
        if !of_which {
            previous = Some(item);
        }
        last_row = r + 1;
        let mut values = Vec::with_capacity(columns.len());
        let mut bad = None;
        for vc in columns {
            let value = match figure_cell(grid.get(r, vc.col)) {
                Ok(None) => {
                    problems.empty_figure_cells.push(grid.origin(r, vc.col));
                    None
                }
                Ok(v) => v,
                Err(reason) => {
                    bad.get_or_insert((grid.cell_ref(r, vc.col), reason));
                    None
                }
            };
            values.push(value);
        }
        if let Some((cell, reason)) = bad {
            // A figure past any budget is an input error, whatever the table (README: never a crash later).
            if matches!(reason, NotANumber::Beyond(_)) {
                problems.errors.push((cell.clone(), reason.to_string()));
            }
            // The whole row is unread: a row read in part would make its sums look wrong.
            not_read.push((cell, label.trim().to_string(), NotReadWhy::NotANumber { value: reason }));
            rows.push(BodyRow {
                line: None,
                of_which: false,
                label: label.trim().to_string(),
                cell: grid.cell_ref(r, label_col),
                values: vec![None; columns.len()],
            });
            sheet_rows.push(r);
            continue;
        }
        rows.push(BodyRow {
            line: Some(item),
            of_which,
            label: label.trim().to_string(),
            cell: grid.cell_ref(r, label_col),
            values,
        });
        sheet_rows.push(r);
    }
    // Unlabelled totals named by their heading; the rest stay unread, with a warning.
    let named = unlabelled_totals(&rows);
    for (k, li) in &named {
        rows[*k].line = Some(*li);
        last_row = last_row.max(sheet_rows[*k] + 1);
        problems.warnings.push((
            rows[*k].cell.clone(),
            Said::UnlabelledTotal { label: li.item.label_fi().to_string(), id: li.id() },
        ));
    }
    for row in rows.iter().filter(|r| r.line.is_none() && r.label.is_empty()) {
        problems.warnings.push((row.cell.clone(), Said::NoLabel));
        not_read.push((row.cell.clone(), String::new(), NotReadWhy::NoLabel));
    }
    Body { rows, sheet_rows, not_read, end: last_row }
}

/// The figures of a table's rows (each from its cell; a figure of several cells is their sum, as a turned
/// table's changes are), the stand-ins for items printed only as sub-rows, and the table's sums.
fn figures_and_sums(
    rows: &[BodyRow],
    cells: &[Vec<Vec<String>>],
    columns: &[ValueColumn],
) -> (Vec<RawFigure>, Vec<RawTableSum>) {
    let mut figures = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let Some(li) = row.line else { continue };
        for (c, (vc, value)) in columns.iter().zip(&row.values).enumerate() {
            let Some(value) = value else { continue };
            let at = &cells[k][c];
            let (cell, sum_of) = match at.as_slice() {
                [one] => (one.clone(), None),
                many => (String::new(), Some((many.to_vec(), Decimal::new(many.len() as i64, value.scale())))),
            };
            figures.push(RawFigure {
                unit: None,
                line_item: li,
                scenario: vc.scenario,
                year: vc.year,
                value: *value,
                cell,
                sum_of,
            });
        }
    }
    let raw_sums = table_sums(rows);
    for (li, ks) in stand_ins(rows, &raw_sums) {
        for (c, vc) in columns.iter().enumerate() {
            let parts: Vec<(usize, Decimal)> = ks.iter().filter_map(|&k| rows[k].values[c].map(|v| (k, v))).collect();
            let Some(value) = parts.iter().try_fold(Decimal::ZERO, |a, (_, v)| a.checked_add(*v)) else { continue };
            if parts.is_empty() {
                continue;
            }
            let ulp = parts.iter().fold(Decimal::ZERO, |a, (_, v)| a + Decimal::new(1, v.scale()));
            let at = parts.iter().flat_map(|&(k, _)| cells[k][c].iter().cloned()).collect();
            figures.push(RawFigure {
                unit: None,
                line_item: li,
                scenario: vc.scenario,
                year: vc.year,
                value,
                cell: String::new(),
                sum_of: Some((at, ulp)),
            });
        }
    }
    let column_keys: Vec<(Scenario, i32)> = columns.iter().map(|vc| (vc.scenario, vc.year)).collect();
    let sums = raw_sums
        .into_iter()
        .map(|s| RawTableSum {
            total: s.total,
            terms: s.terms,
            columns: column_keys.clone(),
            unread: s
                .unread
                .iter()
                .map(|&k| UnreadRaw {
                    label: rows[k].label.clone(),
                    cell: rows[k].cell.clone(),
                    values: column_keys
                        .iter()
                        .zip(&rows[k].values)
                        .filter_map(|(&(sc, y), v)| v.map(|v| (sc, y, v)))
                        .collect(),
                    any_column: rows[k].values.iter().all(Option::is_none),
                })
                .collect(),
        })
        .collect();
    (figures, sums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Range};

    fn grid(rows: &[&[&str]]) -> Grid {
        let w = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let mut range = Range::new((0, 0), (rows.len() as u32 - 1, w as u32 - 1));
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let data = match v.parse::<f64>() {
                    Ok(f) => Data::Float(f),
                    Err(_) if v.is_empty() => Data::Empty,
                    Err(_) => Data::String(v.to_string()),
                };
                range.set_value((r as u32, c as u32), data);
            }
        }
        Grid::new(&range, Vec::new())
    }

    #[test]
    fn transposed_table_is_read_with_the_sheets_cell_names() {
        let g = grid(&[
            &["Kaupunginkansliakeskus"],
            &["euroa"],
            &["Tuloslaskelma", "Toimintatuotot", "Toimintakulut", "Toimintakate"],
            &["TA 2024", "300500", "-4243334", "-3942834"],
            &["TA muutokset 2024", "", "-10000", "-10000"],
            &["TP 2024", "281 829", "-3894591", "-3612762"],
            &["Poikkeama", "-18671", "358743", "340072"],
        ]);
        let mut p = Problems::default();
        assert!(find_tables(&g, &mut p).is_empty(), "no header row across");
        let t = find_tables(&g.transpose(), &mut p);
        assert_eq!(t.len(), 1, "{p:?}");
        assert_eq!(t[0].titles.first().map(String::as_str), Some("Kaupunginkansliakeskus"));
        let got: Vec<(String, &str, Scenario, i32, String)> = t[0]
            .figures
            .iter()
            .map(|f| (f.cell.clone(), f.line_item.item.id(), f.scenario, f.year, f.value.to_string()))
            .collect();
        assert_eq!(got.len(), 11);
        assert_eq!(got[0], ("B4".to_string(), "toimintatuotot", Scenario::Ta, 2024, "300500".to_string()));
        assert!(got.contains(&("D7".to_string(), "toimintakate", Scenario::Poikkeama, 2024, "340072".to_string())));
    }

    /// A table whose actuals' heading the page left out (scenarios as rows, costs printed positive): the column
    /// is the actuals where the variance is it minus the budget on every row, and nothing otherwise.
    fn unheaded(variance_of_costs: &str) -> (Vec<Table>, Problems) {
        let g = grid(&[
            &["590 Nuorisopalvelut"],
            &["Talous", "", "Talousarvio 2024 €", "", "Poikkeama 2024 €"],
            &["Toimintatulot", "Alkuperäinen", "402800", "", ""],
            &["Kv 22.4. §26", "Muutos", "2000", "", ""],
            &["", "Yhteensä", "404800", "425769", "20969"],
            &["Toimintamenot", "Alkuperäinen", "2917900", "", ""],
            &["Kv 22.4. §26", "Muutos", "-30700", "", ""],
            &["", "Yhteensä", "2887200", "2866441", variance_of_costs],
            &["Netto (Toimintakate)", "", "-2482400", "-2440672", "41728"],
        ]);
        let mut p = Problems::default();
        (find_tables(&g, &mut p), p)
    }

    #[test]
    fn a_column_without_heading_is_the_actuals_where_the_arithmetic_shows_it() {
        let (t, p) = unheaded("20759");
        assert_eq!(t.len(), 1, "{p:?}");
        let tp: Vec<(&str, String, String)> = t[0]
            .figures
            .iter()
            .filter(|f| f.scenario == Scenario::Tp)
            .map(|f| (f.line_item.item.id(), f.cell.clone(), f.value.to_string()))
            .collect();
        assert_eq!(
            tp,
            [
                ("toimintatuotot", "D5".to_string(), "425769".to_string()),
                ("toimintakulut", "D8".to_string(), "-2866441".to_string()),
                ("toimintakate", "D9".to_string(), "-2440672".to_string())
            ]
        );
        assert!(p.warnings.iter().any(|(cell, said)| cell == "D2"
            && *said == Said::UnheadedActuals { rows: 3, example: "425769 − 404800 = 20969".into() }));
        // One row where the variance is no difference of the two: the column is not read, and said.
        let (t, p) = unheaded("20000");
        assert!(t[0].figures.iter().all(|f| f.scenario != Scenario::Tp));
        assert!(p.warnings.iter().any(|(cell, said)| cell == "D2" && *said == Said::UnheadedColumn), "{p:?}");
        assert!(t[0]
            .report
            .columns
            .iter()
            .any(|c| c.to_string() == "D2 (no heading): a column of figures without a heading: not read"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Adding any row with an unknown label and figures into a consistent table, anywhere in its body,
        /// never produces an error: the checks it could touch become warnings, the others still hold.
        #[test]
        fn an_unknown_row_never_makes_an_error(
            revenue in proptest::collection::vec((0i64..5_000_000, 0i64..5_000_000), 4),
            costs in proptest::collection::vec((0i64..9_000_000, 0i64..9_000_000), 5),
            extra in (-9_000_000i64..9_000_000, -9_000_000i64..9_000_000),
            at in 0usize..13,
            name in 0usize..4,
        ) {
            let labels_in = ["Myyntituotot", "Maksutuotot", "Tuet ja avustukset", "Muut toimintatuotot"];
            let labels_out =
                ["Henkilöstökulut", "Palvelujen ostot", "Aineet, tarvikkeet ja tavarat", "Avustukset", "Muut toimintakulut"];
            let mut body: Vec<[String; 4]> = Vec::new();
            let row = |label: &str, ta: i64, tp: i64| [label.to_string(), ta.to_string(), tp.to_string(), (tp - ta).to_string()];
            let (mut ta_in, mut tp_in, mut ta_out, mut tp_out) = (0, 0, 0, 0);
            for (l, (ta, tp)) in labels_in.iter().zip(&revenue) {
                body.push(row(l, *ta, *tp));
                ta_in += ta;
                tp_in += tp;
            }
            body.push(row("Toimintatuotot", ta_in, tp_in));
            for (l, (ta, tp)) in labels_out.iter().zip(&costs) {
                body.push(row(l, -ta, -tp));
                ta_out -= ta;
                tp_out -= tp;
            }
            body.push(row("Toimintakulut", ta_out, tp_out));
            body.push(row("Toimintakate", ta_in + ta_out, tp_in + tp_out));
            let unknown = ["Projektitulot", "Sekalaiset erät", "Tilapäiset menot", "Övriga poster"][name];
            body.insert(at.min(body.len()), row(unknown, extra.0, extra.1));
            let mut rows: Vec<Vec<String>> = vec![
                vec!["K".into()],
                vec!["".into(), "TA 2024".into(), "TP 2024".into(), "Poikkeama".into()],
            ];
            rows.extend(body.into_iter().map(|r| r.to_vec()));
            let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let mut p = Problems::default();
            let tables = find_tables(&grid(&slices), &mut p);
            proptest::prop_assert_eq!(tables.len(), 1);
            let (figures, sums, _) = tables.into_iter().next().unwrap().into_model("K", "t.xlsx", "S");
            let a = crate::engine::analyze_tables(&figures, &sums, None).unwrap();
            proptest::prop_assert!(!a.has_errors(), "{:#?}", a.findings);
            proptest::prop_assert_eq!(figures.len(), 36, "every known figure is read");
        }
    }
}
