//! What was read of each table and why, as data: `extract --explain` words it in English, the workbook's sheet
//! of tables in the run's language. Nothing here is worded; the report stage does that (`report::tables_words`).

use super::{LineItem, Place, Scenario};
use rust_decimal::Decimal;
use std::fmt;

/// What was read of one table and why: its place, its unit, year, money unit and signs each with the
/// evidence, each column's reading, and its rows read and not read. A table passed over (no row names a line
/// item: goals, key figures, the balance sheet) says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub file: String,
    /// The header's place and the last row's.
    pub from: Place,
    pub to: Place,
    /// None when read; why not when passed over.
    pub passed_over: Option<PassedOver>,
    pub unit: Option<String>,
    pub unit_evidence: Option<Evidence>,
    pub year: Option<i32>,
    pub year_evidence: Evidence,
    /// Actuals to date read from it: their year and the month they end with.
    pub period: Option<(i32, u8)>,
    pub money_unit: Decimal,
    pub money_evidence: Evidence,
    /// None for a table passed over before its signs were looked at.
    pub signs: Option<SignsRead>,
    /// Each value column: its header and what it was read as, or why it was not read.
    pub columns: Vec<ColumnNote>,
    pub rows_read: usize,
    pub figures: usize,
    pub rows_not_read: Vec<RowNotRead>,
    /// Budget change rows read, with their decisions.
    pub changes: Vec<ChangeRead>,
}

/// Where something the reader inferred (a table's unit, year or money unit) was read from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Evidence {
    /// Nothing says: the default (euros).
    #[default]
    NoneStated,
    /// The columns' own headers (each column's year).
    ColumnHeaders,
    /// A title above the table, and how it names its unit.
    Title {
        text: String,
        matched: TitleMatch,
    },
    /// The table's title, where it stands (a year).
    TableTitle {
        text: String,
        at: Place,
    },
    /// The document's title on its first lines.
    DocumentTitle {
        text: String,
        place: Place,
    },
    /// A page's running header.
    PageHeader {
        text: String,
        page: u32,
    },
    FileName {
        name: String,
    },
    SheetName {
        sheet: String,
    },
    /// `--year` or `year =` in the configuration.
    Configured,
    /// The unit named above the table in its section, at the place given.
    UnitAbove {
        place: Place,
    },
    /// The org file's only root (no title names a unit).
    OnlyRoot,
    /// A column's header (a money unit).
    Header {
        text: String,
        at: Place,
    },
    /// A caption near the table (a money unit).
    Caption {
        text: String,
        at: Place,
    },
    /// The unit as the evidence given names it, read as its external figures apart: the table's caption says
    /// external items only, where another table of the unit gives external and internal.
    ExternalApart(Box<Evidence>),
}

/// How a title names a table's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleMatch {
    /// By the unit's name, alias or code (or without an org file, as the title reads).
    Named,
    /// An inflected form of a unit's name (warned).
    Inflected,
    /// A small typo of a unit's name (warned).
    NearMatch,
    /// A unit's name the org file does not have.
    NotInOrg,
}

/// The signs the table's figures were read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignsRead {
    /// Scenarios as rows (Alkuperäinen, Muutos, Yhteensä) rather than columns.
    pub scenarios_as_rows: bool,
    pub how: Signs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signs {
    /// As printed: revenues positive, costs negative.
    AsPrinted,
    /// Costs printed positive, recognised by the margin in `columns` columns: turned; the margin too where it
    /// is printed as a net cost; cost variances too where they are printed actuals − budget.
    CostsTurned { columns: usize, net_cost: bool, variance_turned: bool },
    /// Units as rows, the line item named by each column group's heading; appropriations (määrärahat) are
    /// costs, turned to the reports' signs.
    UnitsAsRows,
}

/// One column of a table and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnNote {
    /// Where the header stands, and its text (cut).
    pub at: Place,
    pub header: String,
    pub reading: ColumnReading,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnReading {
    /// Read as a scenario of a year, the year from where it says.
    Read { scenario: Scenario, year: i32, year_from: YearFrom },
    /// Actuals from January to month `months`: read as actuals to date, never the year's.
    ToDate { months: u8 },
    /// Actuals made actuals to date (months 1 to `months`) by a caption above the table.
    ToDateByCaption { months: u8, caption: String },
    /// A scenario without a year, and nothing around the table gives one: not read.
    NoYear,
    /// Part of a year (actuals to date are never the year's actuals): not read.
    PartOfYear,
    /// A realisation percentage: checked against its row's actuals / budget.
    RealisationPercent,
    /// A month's actuals: checked to sum to the actuals to date.
    Month,
    /// A bare `%`: its heading says of what only where the table has no variance column.
    BarePercent,
    /// Another percentage: not read.
    Percent,
    /// No scenario: not read.
    NoScenario,
    /// Figures without a heading that the table's arithmetic does not show to be anything: not read.
    Unheaded,
}

/// Where a column's year came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearFrom {
    /// Its own header.
    Header,
    /// The budget column's header (changes, the budget after changes and the variance are the budget's year).
    BudgetHeader,
    /// The table's year, from the evidence given.
    Table(Evidence),
}

/// A row with figures that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNotRead {
    pub place: Place,
    pub label: String,
    pub why: NotReadWhy,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum NotReadWhy {
    /// Its label names no line item of the scheme.
    UnknownLabel,
    /// Figures without a label.
    NoLabel,
    /// Its label names no unit of the org file (a table of units as rows).
    NoUnit,
    /// A change row (Muutos) under no line item.
    ChangeUnderNoItem,
    /// A row of a scenarios-as-rows table without a label, and no line item above it names what it is.
    NoItemAbove,
    /// A row of a scenarios-as-rows table whose label names no scenario.
    UnknownScenario { label: String },
    /// A figure cell that holds no number.
    NotANumber { value: NotANumber },
    /// A text line's figures are more than its table has columns.
    TooManyNumbers { numbers: usize, columns: usize },
    /// A text line's figures can be read into its table's columns in more than one way: the figures as
    /// printed, the first readings (each its columns' figures, `–` for a blank) and how many more there are.
    Ambiguous { figures: String, columns: usize, readings: Vec<String>, more: usize },
}

/// What a figure cell holds instead of a number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum NotANumber {
    /// Text that is no number (as written).
    Text(String),
    /// A date (as the workbook gives it).
    Date(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    ErrorValue(String),
    /// A number past any budget (more than 10^15 €), said short (`1e308`).
    Beyond(String),
    /// Not a finite number (`inf`, `NaN`).
    NotFinite(String),
}

/// A budget change row read, with its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRead {
    pub place: Place,
    pub line_item: LineItem,
    /// In euros, the reports' signs (as printed where the money unit would take it past the exact range).
    pub amount: Decimal,
    pub decision: String,
}

/// Why a table was passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassedOver {
    /// No title names a unit of the org file.
    NoUnitTitle,
    /// A table of units as rows, and no row names a unit of the org file.
    NoUnitRow,
    /// Its columns (named) have no year and nothing around the table gives one.
    NoYear { columns: Vec<String> },
    /// Its column groups name line items and its rows are units (first rows given): reading it needs the org
    /// file.
    UnitsAsRowsNeedOrg { first: Vec<String> },
    /// No row names a line item of the scheme (first rows given, where it has any).
    NoLineItem { first: Vec<String> },
}

impl Place {
    /// A place read in a grid before its file's places are known: the grid's cell, `sheet` left empty.
    pub fn grid(cell: &str) -> Place {
        Place::Cell { sheet: String::new(), cell: cell.to_string() }
    }

    /// A grid's place (see [`Place::grid`]) as the file's place, by `place`; any other as it is.
    pub fn relocated(&self, place: &dyn Fn(&str) -> Place) -> Place {
        match self {
            Place::Cell { sheet, cell } if sheet.is_empty() => place(cell),
            other => other.clone(),
        }
    }

    /// The place within its table, in English: a cell by its reference alone (its sheet is the table's), a
    /// line as `page 81, line 7`.
    pub fn spot(&self) -> String {
        match self {
            Place::Cell { cell, .. } => cell.clone(),
            other => other.to_string(),
        }
    }
}

impl Evidence {
    /// The evidence with its grid places as the file's places (see [`Place::relocated`]).
    pub fn relocated(&self, place: &dyn Fn(&str) -> Place) -> Evidence {
        match self {
            Evidence::TableTitle { text, at } => Evidence::TableTitle { text: text.clone(), at: at.relocated(place) },
            Evidence::Header { text, at } => Evidence::Header { text: text.clone(), at: at.relocated(place) },
            Evidence::Caption { text, at } => Evidence::Caption { text: text.clone(), at: at.relocated(place) },
            Evidence::DocumentTitle { text, place: p } => {
                Evidence::DocumentTitle { text: text.clone(), place: p.relocated(place) }
            }
            Evidence::UnitAbove { place: p } => Evidence::UnitAbove { place: p.relocated(place) },
            Evidence::ExternalApart(inner) => Evidence::ExternalApart(Box::new(inner.relocated(place))),
            other => other.clone(),
        }
    }
}

impl ColumnNote {
    /// The note with its grid places as the file's places (see [`Place::relocated`]).
    pub fn relocated(&self, place: &dyn Fn(&str) -> Place) -> ColumnNote {
        let reading = match &self.reading {
            ColumnReading::Read { scenario, year, year_from: YearFrom::Table(e) } => {
                ColumnReading::Read { scenario: *scenario, year: *year, year_from: YearFrom::Table(e.relocated(place)) }
            }
            other => other.clone(),
        };
        ColumnNote { at: self.at.relocated(place), header: self.header.clone(), reading }
    }
}

// English, as `extract --explain` and the console say it; the reports word it in each language.

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Cell { sheet, cell } => write!(f, "sheet {sheet}, cell {cell}"),
            Place::Line { line } => write!(f, "line {line}"),
            Place::Page { page, line } => write!(f, "page {page}, line {line}"),
            Place::Rows { count } => write!(f, "{}", super::rows_en(*count)),
            Place::Sum { places, .. } => {
                let parts: Vec<String> = places.iter().map(ToString::to_string).collect();
                write!(f, "{}", parts.join(" + "))
            }
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::NoneStated => write!(f, "none stated: euros"),
            Evidence::ColumnHeaders => write!(f, "the columns' headers"),
            Evidence::Title { text, matched } => {
                write!(f, "the title \"{text}\"")?;
                match matched {
                    TitleMatch::Named => Ok(()),
                    TitleMatch::Inflected => write!(f, " (an inflected form)"),
                    TitleMatch::NearMatch => write!(f, " (a near match)"),
                    TitleMatch::NotInOrg => write!(f, " (not in the org file)"),
                }
            }
            Evidence::TableTitle { text, at } => write!(f, "the table's title \"{text}\" ({})", at.spot()),
            Evidence::DocumentTitle { text, place } => write!(f, "the document's title \"{text}\", {place}"),
            Evidence::PageHeader { text, page } => write!(f, "the page header \"{text}\", page {page}"),
            Evidence::FileName { name } => write!(f, "the file's name \"{name}\""),
            Evidence::SheetName { sheet } => write!(f, "the sheet's name \"{sheet}\""),
            Evidence::Configured => write!(f, "--year / year = in the configuration"),
            Evidence::UnitAbove { place } => write!(f, "the unit named above the table, at {place}"),
            Evidence::OnlyRoot => write!(f, "the org file's only root (no title names a unit)"),
            Evidence::Header { text, at } => write!(f, "the header \"{text}\" ({})", at.spot()),
            Evidence::Caption { text, at } => write!(f, "the caption \"{text}\" ({})", at.spot()),
            Evidence::ExternalApart(inner) => write!(
                f,
                "{inner}; its caption says external items only, where another table of the unit gives external and \
                 internal"
            ),
        }
    }
}

impl fmt::Display for SignsRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scenarios_as_rows {
            write!(f, "scenarios as rows (Alkuperäinen, Muutos, Yhteensä); ")?;
        }
        match self.how {
            Signs::AsPrinted => write!(f, "as printed (revenues positive, costs negative)"),
            Signs::CostsTurned { columns, net_cost, variance_turned } => write!(
                f,
                "costs printed positive (the margin is {} in {columns} column(s)): turned{}",
                if net_cost { "costs − revenues, a net cost, turned too" } else { "revenues − costs" },
                if variance_turned { ", cost variances too (printed actuals − budget)" } else { "" }
            ),
            Signs::UnitsAsRows => write!(
                f,
                "units as rows, the line item named by each column group's heading; appropriations (määrärahat) \
                 are costs: turned to the reports' signs"
            ),
        }
    }
}

impl fmt::Display for ColumnNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (cell, header) = (self.at.spot(), &self.header);
        let why = match &self.reading {
            ColumnReading::Read { scenario, year, year_from } => {
                let from = match year_from {
                    YearFrom::Header => "its header".to_string(),
                    YearFrom::BudgetHeader => "the budget column's header".to_string(),
                    YearFrom::Table(e) => e.to_string(),
                };
                return write!(f, "{cell} \"{header}\": {} {year} (year from {from})", scenario.id());
            }
            ColumnReading::ToDateByCaption { months, caption } => {
                return write!(
                    f,
                    "{cell}: actuals to date (months 1–{months}) by the caption \"{caption}\": read as actuals to date, \
                     not the year's actuals"
                );
            }
            ColumnReading::Unheaded => {
                return write!(f, "{cell} (no heading): a column of figures without a heading: not read");
            }
            ColumnReading::ToDate { months } => {
                format!("actuals to date (months 1–{months}): read as actuals to date, not the year's actuals")
            }
            ColumnReading::NoYear => "no year: not read".into(),
            ColumnReading::PartOfYear => {
                "part of a year (actuals to date are never the year's actuals): not read".into()
            }
            ColumnReading::RealisationPercent => {
                "a realisation percentage: checked against its row's actuals / budget".into()
            }
            ColumnReading::Month => "a month's actuals: checked to sum to the actuals to date".into(),
            ColumnReading::BarePercent => {
                "a percentage (its heading says of what only where the table has no variance column)".into()
            }
            ColumnReading::Percent => "a percentage: not read".into(),
            ColumnReading::NoScenario => "no scenario: not read".into(),
        };
        write!(f, "{cell} \"{header}\": {why}")
    }
}

impl fmt::Display for NotReadWhy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotReadWhy::UnknownLabel => write!(f, "its label names no line item of the scheme"),
            NotReadWhy::NoLabel => write!(f, "figures without a label"),
            NotReadWhy::NoUnit => write!(f, "its label names no unit of the org file"),
            NotReadWhy::ChangeUnderNoItem => write!(f, "a change row under no line item"),
            NotReadWhy::NoItemAbove => write!(f, "no line item above it names what it is"),
            NotReadWhy::UnknownScenario { label } => write!(f, "unknown label {}", crate::error::quoted(label)),
            NotReadWhy::NotANumber { value } => write!(f, "{value}"),
            NotReadWhy::TooManyNumbers { numbers, columns } => {
                write!(f, "{numbers} numbers do not fit the table's {columns} columns")
            }
            NotReadWhy::Ambiguous { figures, columns, readings, more } => write!(
                f,
                "the figures \"{figures}\" can be read into the {columns} columns in more than one way ({}{}): write \
                 the row with its columns separated (tabs, or blank columns marked)",
                readings.join("; "),
                if *more > 0 { format!("; {more} more") } else { String::new() }
            ),
        }
    }
}

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotANumber::Text(t) => write!(f, "{} is not a number", crate::error::quoted(t)),
            NotANumber::Date(d) => write!(f, "a date ({d}) is not a number"),
            NotANumber::Bool(b) => write!(f, "{} is not a number", if *b { "TRUE" } else { "FALSE" }),
            NotANumber::ErrorValue(e) => write!(f, "the error value {e} is not a number"),
            NotANumber::Beyond(v) => write!(f, "{v}, beyond any budget (more than 10^15 €), is not a number"),
            NotANumber::NotFinite(v) => write!(f, "{v} is not a number"),
        }
    }
}

impl fmt::Display for PassedOver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PassedOver::NoUnitTitle => write!(f, "no title names a unit of the org file"),
            PassedOver::NoUnitRow => write!(f, "no row names a unit of the org file"),
            PassedOver::NoYear { columns } => write!(
                f,
                "its columns ({}) have no year and nothing around the table gives one: give it with --year or \
                 year = in poikkeama.toml",
                columns.join(", ")
            ),
            PassedOver::UnitsAsRowsNeedOrg { first } => write!(
                f,
                "its column groups name line items (määrärahat, tuloarviot) and its rows are units (first rows: {}): \
                 reading it needs the org file (--org)",
                first.join("; ")
            ),
            PassedOver::NoLineItem { first } if first.is_empty() => write!(f, "no row names a line item of the scheme"),
            PassedOver::NoLineItem { first } => {
                write!(f, "no row names a line item of the scheme (first rows: {})", first.join("; "))
            }
        }
    }
}
