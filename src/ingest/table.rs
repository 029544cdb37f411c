//! Finding budget tables in a sheet grid: header block, value columns, label column, body rows, the
//! unit's title above, and the money unit.

use super::grid::{Cell, Grid};
use super::header::{caption_factor, classify, join_header_parts, unit_factor, ColumnHeader};
use super::label::{match_label, LabelMatch};
use super::number::{parse_fi, Parsed};
use super::structure::{stand_ins, table_sums, unlabelled_totals, BodyRow};
use crate::model::{Explanation, Figure, LineItem, Place, Said, Scenario, Source, TableSum, Unread};
use rust_decimal::Decimal;

/// A value column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueColumn {
    pub col: u32,
    pub scenario: Scenario,
    pub year: i32,
}

/// One figure read from a table, before its unit is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFigure {
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
}

impl Table {
    /// The table's figures and sums as the model has them: in `unit`, in euros (the money unit applied), each
    /// traced to `file:sheet!CELL`.
    pub fn into_model(self, unit: &str, file: &str, sheet: &str) -> (Vec<Figure>, Vec<TableSum>, Vec<Explanation>) {
        let place = |cell: &str| Place::Cell { sheet: sheet.to_string(), cell: cell.to_string() };
        self.into_model_at(unit, file, &place)
    }

    /// [`Table::into_model`] with the place of each grid cell given by `place` (a text file's line).
    pub fn into_model_at(
        self,
        unit: &str,
        file: &str,
        place: &dyn Fn(&str) -> Place,
    ) -> (Vec<Figure>, Vec<TableSum>, Vec<Explanation>) {
        let factor = self.factor;
        let explanations = self
            .explanations
            .into_iter()
            .map(|(line_item, year, cell, text)| Explanation {
                unit: unit.to_string(),
                line_item,
                year,
                text,
                source: Source { file: file.to_string(), place: place(&cell), factor: Decimal::ONE }.to_string(),
            })
            .collect();
        let source = |cell: String| Source { file: file.to_string(), place: place(&cell), factor };
        let figures = self
            .figures
            .into_iter()
            .map(|raw| Figure {
                unit: unit.to_string(),
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
                    })
                    .collect(),
            })
            .collect();
        (figures, sums, explanations)
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

/// A cell that is a bare year (2024, "2024"): a column heading under a year-end statement's title.
fn is_bare_year(grid: &Grid, row: u32, col: u32) -> bool {
    let cell = grid.get(row, col);
    is_year_like(cell)
        || cell.text().is_some_and(|t| matches!(parse_fi(&t), Parsed::Number(d) if is_year_like(&Cell::Number(d))))
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
            || matches!(cell, Cell::Text(t) if match parse_fi(t) {
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

/// Finds every table in a sheet.
pub fn find_tables(grid: &Grid, problems: &mut Problems) -> Vec<Table> {
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
        let table = read_table(grid, top..=h_end, first_value, previous_end, body_end, problems);
        previous_end = table.1;
        if let Some(t) = table.0 {
            tables.push(t);
        }
    }
    tables
}

/// Reads one table. Returns it (if it has value columns) and the row after its last body row.
fn read_table(
    grid: &Grid,
    header: std::ops::RangeInclusive<u32>,
    first_value: u32,
    title_floor: u32,
    body_limit: u32,
    problems: &mut Problems,
) -> (Option<Table>, u32) {
    let top = *header.start();
    let header_cell = grid.cell_ref(top, first_value);
    // Columns and their headers.
    let statement = under_statement_title(grid, top);
    let mut columns: Vec<(u32, ColumnHeader)> = Vec::new();
    let mut factor = None;
    let mut explanation_col = None;
    for c in grid.start.1..grid.col_end() {
        let text = column_text(grid, header.clone(), c, first_value);
        if factor.is_none() {
            factor = unit_factor(&text);
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
        if h.scenario.is_some() && !h.percent {
            columns.push((c, h));
        }
    }
    // Title rows above the header, nearest first, down to the previous table.
    let mut titles = Vec::new();
    let mut title_years = Vec::new();
    for r in (title_floor..top).rev() {
        for c in grid.start.1..grid.col_end() {
            if let Some(t) = grid.get(r, c).text() {
                if factor.is_none() {
                    factor = caption_factor(&t);
                }
                if let Some(y) = classify(&t.to_uppercase()).year {
                    title_years.push(y);
                }
                if is_title_like(&t) && !titles.contains(&clean_title(&t)) {
                    titles.push(clean_title(&t));
                }
            }
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
    let factor = factor.unwrap_or(Decimal::ONE);

    // Years for columns whose header has none: the table's other columns, else a year in the title.
    let years: Vec<i32> = columns.iter().filter_map(|(_, h)| h.year).collect();
    let fallback_year = {
        let mut distinct = years.clone();
        distinct.sort_unstable();
        distinct.dedup();
        match distinct.as_slice() {
            [y] => Some(*y),
            [] => title_years.first().copied(),
            _ => {
                let tp: Vec<i32> = columns
                    .iter()
                    .filter(|(_, h)| h.scenario == Some(Scenario::Tp))
                    .filter_map(|(_, h)| h.year)
                    .collect();
                match tp.as_slice() {
                    [y] => Some(*y),
                    _ => None,
                }
            }
        }
    };
    // In a table of several years, the columns that only a budget year has (changes, budget after changes,
    // variance, overrun right) belong to the budget year: the one year its budget columns name, else the
    // year of the budget or actuals column just left of them.
    let budget_year = {
        let mut ys: Vec<i32> = columns
            .iter()
            .filter(|(_, h)| matches!(h.scenario, Some(Scenario::Ta | Scenario::TaMuutokset | Scenario::TaMuutettu)))
            .filter_map(|(_, h)| h.year)
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
            .find(|(_, h)| h.year.is_some())
            .filter(|(_, h)| matches!(h.scenario, Some(Scenario::Ta | Scenario::TaMuutettu | Scenario::Tp)))
            .and_then(|(_, h)| h.year)
    };
    let mut value_columns = Vec::new();
    for (i, (c, h)) in columns.iter().enumerate() {
        let Some(scenario) = h.scenario else { continue };
        let budget_only = matches!(
            scenario,
            Scenario::TaMuutokset | Scenario::TaMuutettu | Scenario::Poikkeama | Scenario::Ylitysoikeus
        );
        let year = match h.year {
            Some(y) => Some(y),
            None if budget_only => budget_year.or_else(|| left_year(i)).or(fallback_year),
            None => fallback_year,
        };
        match year {
            Some(year) => value_columns.push(ValueColumn { col: *c, scenario, year }),
            None => problems
                .warnings
                .push((grid.cell_ref(top, *c), Said::NoYear { column: scenario.label("fi").to_string() })),
        }
    }
    let (mut figures, sums, end) = read_body(grid, *header.end() + 1, body_limit, label_col, &value_columns, problems);
    if value_columns.is_empty() {
        return (None, end);
    }
    // A figure beyond any budget (in euros, after the money unit) is an input error, never a crash later.
    figures.retain(|f| {
        let euros = f.value.checked_mul(factor);
        let ok = euros.is_some_and(crate::model::plausible);
        if !ok && f.sum_of.is_none() {
            problems.errors.push((
                f.cell.clone(),
                format!(
                    "{} is beyond any budget (more than 10^15 €{}): check the figure and the table's money unit",
                    f.value,
                    if factor == Decimal::ONE { String::new() } else { format!(" when multiplied by {factor}") }
                ),
            ));
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
        for r in *header.end() + 1..end {
            let (Some(label), Some(text)) = (grid.get(r, label_col).text(), grid.get(r, ec).text()) else { continue };
            if let LabelMatch::Exact(li) | LabelMatch::Typo(li, _) = match_label(&label, None) {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                explanations.push((li, year, grid.cell_ref(r, ec), text));
            }
        }
    }
    (Some(Table { titles, factor, header_cell, figures, sums, explanations }), end)
}

/// A column of explanations: "Perustelu", "Perustelut", "Poikkeaman perustelu", "Selitys", "Motivering",
/// "Explanation".
fn is_explanation_header(text: &str) -> bool {
    let t = text.to_lowercase();
    ["perustelu", "selitys", "selitykset", "motivering", "explanation"]
        .iter()
        .any(|w| t.split_whitespace().any(|x| x.trim_matches(|c: char| !c.is_alphanumeric()).starts_with(w)))
}

/// A figure cell read leniently: its number, or none for blank or text that is not a number.
fn lenient_value(cell: &Cell) -> Option<Decimal> {
    match cell {
        Cell::Number(d) => Some(*d),
        Cell::Text(t) => match parse_fi(t) {
            Parsed::Number(d) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

/// Reads body rows until the next header (or a gap followed by something that is not the table); then
/// works out what the table's totals sum and names unlabelled totals by their group's heading.
fn read_body(
    grid: &Grid,
    from: u32,
    limit: u32,
    label_col: u32,
    columns: &[ValueColumn],
    problems: &mut Problems,
) -> (Vec<RawFigure>, Vec<RawTableSum>, u32) {
    let mut rows: Vec<BodyRow> = Vec::new();
    // The sheet row of each body row.
    let mut sheet_rows: Vec<u32> = Vec::new();
    let mut previous: Option<LineItem> = None;
    let mut blank_run = 0;
    let mut last_row = from;
    for r in from..limit {
        let label = grid.get(r, label_col).text();
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
                let values: Vec<Option<Decimal>> =
                    columns.iter().map(|vc| lenient_value(grid.get(r, vc.col))).collect();
                if values.iter().any(Option::is_some) {
                    problems
                        .warnings
                        .push((grid.cell_ref(r, label_col), Said::UnknownLabel { label: label.trim().to_string() }));
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
        for vc in columns {
            let cell_name = grid.cell_ref(r, vc.col);
            let value = match grid.get(r, vc.col) {
                Cell::Empty => {
                    problems.empty_figure_cells.push(grid.origin(r, vc.col));
                    None
                }
                Cell::Number(d) => Some(*d),
                Cell::Text(t) => match parse_fi(t) {
                    Parsed::Blank => {
                        problems.empty_figure_cells.push(grid.origin(r, vc.col));
                        None
                    }
                    Parsed::Number(d) => Some(d),
                    Parsed::NotANumber => {
                        problems.errors.push((cell_name, format!("{} is not a number", crate::error::quoted(t))));
                        None
                    }
                },
                Cell::Other(what) => {
                    problems.errors.push((cell_name, format!("{what} is not a number")));
                    None
                }
            };
            values.push(value);
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
    }
    let mut figures = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let Some(li) = row.line else { continue };
        for (vc, value) in columns.iter().zip(&row.values) {
            if let Some(value) = value {
                figures.push(RawFigure {
                    line_item: li,
                    scenario: vc.scenario,
                    year: vc.year,
                    value: *value,
                    cell: grid.cell_ref(sheet_rows[k], vc.col),
                    sum_of: None,
                });
            }
        }
    }
    let raw_sums = table_sums(&rows);
    for (li, ks) in stand_ins(&rows, &raw_sums) {
        for (c, vc) in columns.iter().enumerate() {
            let parts: Vec<(usize, Decimal)> = ks.iter().filter_map(|&k| rows[k].values[c].map(|v| (k, v))).collect();
            let Some(value) = parts.iter().try_fold(Decimal::ZERO, |a, (_, v)| a.checked_add(*v)) else { continue };
            if parts.is_empty() {
                continue;
            }
            let ulp = parts.iter().fold(Decimal::ZERO, |a, (_, v)| a + Decimal::new(1, v.scale()));
            let cells = parts.iter().map(|&(k, _)| grid.cell_ref(sheet_rows[k], vc.col)).collect();
            figures.push(RawFigure {
                line_item: li,
                scenario: vc.scenario,
                year: vc.year,
                value,
                cell: String::new(),
                sum_of: Some((cells, ulp)),
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
                })
                .collect(),
        })
        .collect();
    (figures, sums, last_row)
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
