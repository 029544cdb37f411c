//! The one data model every stage speaks: line items, scenarios, figures with their sources, and the
//! organisation tree. Nothing here reads files except [`org::Org::load`], which parses the org TOML.

mod line_item;
pub mod org;
pub mod scheme;
mod sums;
mod tables;

pub use line_item::{Item, Kind, LineItem};
pub use org::{Org, Unit};
pub use scheme::Scheme;
pub use sums::{scheme_sums, PrintedPercent, PrintedTotal, TableSum, Unread};
pub use tables::{
    ChangeRead, ColumnNote, ColumnReading, Evidence, NotANumber, NotReadWhy, PassedOver, RowNotRead, Signs, SignsRead,
    TableReport, TitleMatch, YearFrom,
};

use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// Which figure of the year a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// Budget as approved (talousarvio).
    Ta,
    /// Changes approved during the year (talousarviomuutokset).
    TaMuutokset,
    /// Budget after changes (TA muutosten jälkeen / muutoksineen).
    TaMuutettu,
    /// Actuals (tilinpäätös / toteuma).
    Tp,
    /// The variance as the source reports it.
    Poikkeama,
    /// Plan years (taloussuunnitelma).
    Ts,
    /// A forecast of the year's outcome (ennuste / prognos).
    Ennuste,
    /// A proposal (ehdotus / förslag): the department's or the board's budget proposal.
    Ehdotus,
    /// An overrun right the council granted (ylitysoikeus / överskridningsrätt): an overrun of a binding
    /// appropriation up to it is allowed.
    Ylitysoikeus,
    /// Actuals to date (toteuma ajalta, `Toteuma 1-8/2024`): part of the year, the run's period
    /// ([`Period`]); never the year's actuals.
    Kausi,
    /// A forecast's variance as the source prints it (ennusteen poikkeama): forecast − budget after changes.
    EnnusteenPoikkeama,
}

impl Scenario {
    pub const COUNT: usize = 11;
    pub const ALL: [Scenario; Scenario::COUNT] = [
        Scenario::Ta,
        Scenario::TaMuutokset,
        Scenario::TaMuutettu,
        Scenario::Tp,
        Scenario::Poikkeama,
        Scenario::Ts,
        Scenario::Ennuste,
        Scenario::Ehdotus,
        Scenario::Ylitysoikeus,
        Scenario::Kausi,
        Scenario::EnnusteenPoikkeama,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Scenario::Ta => "ta",
            Scenario::TaMuutokset => "ta_muutokset",
            Scenario::TaMuutettu => "ta_muutettu",
            Scenario::Tp => "tp",
            Scenario::Poikkeama => "poikkeama",
            Scenario::Ts => "ts",
            Scenario::Ennuste => "ennuste",
            Scenario::Ehdotus => "ehdotus",
            Scenario::Ylitysoikeus => "ylitysoikeus",
            Scenario::Kausi => "toteuma_kausi",
            Scenario::EnnusteenPoikkeama => "ennusteen_poikkeama",
        }
    }

    pub fn from_id(id: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Position in [`Scenario::ALL`], a dense number for frames.
    pub fn index(self) -> u32 {
        // Declaration order is the order of ALL (a test checks it).
        self as u32
    }

    pub fn from_index(i: u32) -> Option<Scenario> {
        Scenario::ALL.get(i as usize).copied()
    }

    /// Column heading in the given language.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Scenario::Ta, "sv") => "Budget",
            (Scenario::TaMuutokset, "sv") => "Budgetändringar",
            (Scenario::TaMuutettu, "sv") => "Budget efter ändringar",
            (Scenario::Tp, "sv") => "Bokslut",
            (Scenario::Poikkeama, "sv") => "Avvikelse",
            (Scenario::Ts, "sv") => "Ekonomiplan",
            (Scenario::Ennuste, "sv") => "Prognos",
            (Scenario::Ehdotus, "sv") => "Förslag",
            (Scenario::Ylitysoikeus, "sv") => "Överskridningsrätt",
            (Scenario::Kausi, "sv") => "Utfall hittills",
            (Scenario::EnnusteenPoikkeama, "sv") => "Prognosens avvikelse",
            (Scenario::Ta, "en") => "Budget",
            (Scenario::TaMuutokset, "en") => "Budget changes",
            (Scenario::TaMuutettu, "en") => "Budget after changes",
            (Scenario::Tp, "en") => "Actual",
            (Scenario::Poikkeama, "en") => "Variance",
            (Scenario::Ts, "en") => "Plan",
            (Scenario::Ennuste, "en") => "Forecast",
            (Scenario::Ehdotus, "en") => "Proposal",
            (Scenario::Ylitysoikeus, "en") => "Overrun right",
            (Scenario::Kausi, "en") => "Actual to date",
            (Scenario::EnnusteenPoikkeama, "en") => "Forecast variance",
            (Scenario::Ta, _) => "Talousarvio",
            (Scenario::TaMuutokset, _) => "Talousarviomuutokset",
            (Scenario::TaMuutettu, _) => "TA muutosten jälkeen",
            (Scenario::Tp, _) => "Tilinpäätös",
            (Scenario::Poikkeama, _) => "Poikkeama",
            (Scenario::Ts, _) => "Taloussuunnitelma",
            (Scenario::Ennuste, _) => "Ennuste",
            (Scenario::Ehdotus, _) => "Ehdotus",
            (Scenario::Ylitysoikeus, _) => "Ylitysoikeus",
            (Scenario::Kausi, _) => "Toteuma ajalta",
            (Scenario::EnnusteenPoikkeama, _) => "Ennusteen poikkeama",
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The part of a year an interim report covers: January to the end of month `months` of `year` (1–11; a
/// whole year is a year-end report), and where the run took it from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub months: u8,
    pub from: String,
}

/// A phasing of the year (kausijaksotus) the user gives: how budgets spread over the months, as a weight per
/// month, for every unit or for named units. A unit without a phasing of its own takes its nearest ancestor's,
/// else the common one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phasing {
    pub common: Option<[Decimal; 12]>,
    pub units: Vec<(String, [Decimal; 12])>,
    /// The file it was read from.
    pub from: String,
}

impl Phasing {
    /// The share of `unit`'s year due by the end of month `months`, as its months' weights over the year's
    /// (a fraction, so that it scales exactly), and the unit whose phasing gave it (none: the common one). None
    /// where no phasing covers the unit.
    pub fn fraction_by(&self, unit: &str, months: u8, org: Option<&Org>) -> Option<((Decimal, Decimal), Option<&str>)> {
        let mut name = Some(unit.to_string());
        let mut found: Option<(&[Decimal; 12], Option<&str>)> = None;
        // The org's parent chain, bounded by its size (a cycle in it is refused where the org is read).
        let mut steps = org.map_or(1, |o| o.units.len() + 1);
        while let (Some(n), true) = (name, steps > 0) {
            if let Some((u, w)) = self.units.iter().find(|(u, _)| fold_name(u) == fold_name(&n)) {
                found = Some((w, Some(u.as_str())));
                break;
            }
            name = org.and_then(|o| o.find(&n)).and_then(|u| u.parent.clone());
            steps -= 1;
        }
        let (weights, by) = found.or_else(|| self.common.as_ref().map(|w| (w, None)))?;
        let m = usize::from(months.clamp(1, 12));
        let year = weights.iter().try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))?;
        let to_date = weights[..m].iter().try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))?;
        (!year.is_zero()).then_some(((to_date, year), by))
    }

    /// [`Phasing::fraction_by`] without who gave it.
    pub fn fraction(&self, unit: &str, months: u8, org: Option<&Org>) -> Option<(Decimal, Decimal)> {
        self.fraction_by(unit, months, org).map(|(f, _)| f)
    }

    /// The share as one number (0–1).
    pub fn share(&self, unit: &str, months: u8, org: Option<&Org>) -> Option<(Decimal, Option<&str>)> {
        self.fraction_by(unit, months, org).and_then(|((a, b), by)| Some((a.checked_div(b)?, by)))
    }
}

impl Period {
    /// `tammi–elokuu 2024`, `januari–augusti 2024`, `January–August 2024`.
    pub fn label(&self, lang: &str) -> String {
        const FI: [&str; 12] =
            ["tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"];
        const SV: [&str; 12] = [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let m = usize::from(self.months.clamp(1, 12)) - 1;
        match lang {
            "sv" if m == 0 => format!("januari {}", self.year),
            "sv" => format!("januari–{} {}", SV[m], self.year),
            "en" if m == 0 => format!("January {}", self.year),
            "en" => format!("January–{} {}", EN[m], self.year),
            _ if m == 0 => format!("tammikuu {}", self.year),
            _ => format!("tammi–{}kuu {}", FI[m], self.year),
        }
    }
}

/// Where in its file a figure stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// A workbook cell: sheet and A1 reference (`D38`).
    Cell { sheet: String, cell: String },
    /// A line of a text file (1-based).
    Line { line: u32 },
    /// A line on a page of a PDF (both 1-based).
    Page { page: u32, line: u32 },
    /// The sum of this many rows of a ledger export.
    Rows { count: u64 },
    /// The sum of figures one table prints, standing in for an item it does not print (wages and social
    /// costs for personnel costs): their places, and the rounding unit of the sum in euros.
    Sum { places: Vec<Place>, ulp: Decimal },
}

/// `1 row`, `2 rows`.
pub fn rows_en(n: u64) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

impl Place {
    /// The place without its file: `sheet!D12`, `12`, `3:12`, `(N rows)`; a sum's parts joined with `+` in
    /// parentheses, the sheet named once where they share it (`sheet!(D12+D14)`).
    fn within_file(&self) -> String {
        match self {
            Place::Cell { sheet, cell } => format!("{sheet}!{cell}"),
            Place::Line { line } => line.to_string(),
            Place::Page { page, line } => format!("{page}:{line}"),
            Place::Rows { count } => format!("({})", rows_en(*count)),
            Place::Sum { places, .. } => {
                let cells: Vec<(&str, &str)> = places
                    .iter()
                    .filter_map(|p| match p {
                        Place::Cell { sheet, cell } => Some((sheet.as_str(), cell.as_str())),
                        _ => None,
                    })
                    .collect();
                match cells.first() {
                    Some((first, _)) if cells.len() == places.len() && cells.iter().all(|(s, _)| s == first) => {
                        let refs: Vec<&str> = cells.iter().map(|(_, c)| *c).collect();
                        format!("{first}!({})", refs.join("+"))
                    }
                    _ => format!("({})", places.iter().map(Place::within_file).collect::<Vec<_>>().join("+")),
                }
            }
        }
    }
}

/// Where a figure came from: the file, the place in it, and the unit factor applied to it
/// (1 for euros, 1000 for a table in `1 000 €`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    pub file: String,
    pub place: Place,
    pub factor: Decimal,
}

impl Source {
    /// A workbook cell.
    pub fn cell(file: impl Into<String>, sheet: impl Into<String>, cell: impl Into<String>, factor: Decimal) -> Self {
        Source { file: file.into(), place: Place::Cell { sheet: sheet.into(), cell: cell.into() }, factor }
    }

    /// The file and the part of it that holds the place (`file:sheet` for a cell), for grouping sources.
    pub fn container(&self) -> String {
        match &self.place {
            Place::Cell { sheet, .. } => format!("{}:{sheet}", self.file),
            Place::Page { page, .. } => format!("{}:{page}", self.file),
            Place::Line { .. } | Place::Rows { .. } => self.file.clone(),
            Place::Sum { places, .. } => match places.first() {
                Some(first) => {
                    Source { file: self.file.clone(), place: first.clone(), factor: self.factor }.container()
                }
                None => self.file.clone(),
            },
        }
    }

    /// The place within [`Source::container`]: the cell, the line, or the row count.
    pub fn spot(&self) -> String {
        match &self.place {
            Place::Cell { cell, .. } => cell.clone(),
            Place::Line { line } | Place::Page { line, .. } => format!("rivi {line}"),
            Place::Rows { count } => format!("{count} riviä"),
            Place::Sum { places, .. } => format!(
                "({})",
                places
                    .iter()
                    .map(|p| Source { file: self.file.clone(), place: p.clone(), factor: self.factor }.spot())
                    .collect::<Vec<_>>()
                    .join("+")
            ),
        }
    }

    /// Is this figure the sum of printed figures rather than printed itself?
    pub fn is_sum(&self) -> bool {
        matches!(self.place, Place::Sum { .. })
    }
}

impl fmt::Display for Source {
    /// `file:sheet!CELL`, `file:line`, `file:page:line`, `file (N rows)`, or a sum `file:sheet!(D12+D14)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::Rows { count } => write!(f, "{} ({})", self.file, rows_en(*count)),
            place => write!(f, "{}:{}", self.file, place.within_file()),
        }
    }
}

/// One figure of one unit: a line item, scenario and year, exactly in euros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub unit: String,
    pub line_item: LineItem,
    pub scenario: Scenario,
    pub year: i32,
    pub amount: Decimal,
    pub source: Source,
}

/// No budget line of any town comes near this (10^15 €, a thousand times the largest city's yearly budget): a
/// figure beyond it is an input error, so that no sum of figures can overflow the exact arithmetic.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Is this amount within [`MAX_AMOUNT`]?
pub fn plausible(d: Decimal) -> bool {
    d.abs() <= MAX_AMOUNT
}

/// The finance office's explanation of a variance (perustelu): for one unit, line item and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub unit: String,
    pub line_item: LineItem,
    pub year: i32,
    pub text: String,
    /// Where it was read: `file:line` or `file:sheet!CELL`.
    pub source: String,
    /// The language it is written in (`fi`, `sv`, `en`), where the file says; each report prints the one in its
    /// language, else one without a language, else any.
    pub lang: Option<String>,
}

/// A budget change printed as a row of its own, with the council decision that made it (`Kv 22.4. §26`):
/// the table's TA-muutokset figure is the sum of its change rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetChange {
    pub unit: String,
    pub line_item: LineItem,
    pub year: i32,
    pub decision: String,
    pub amount: Decimal,
    pub source: String,
}

/// Why a report export's total row could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum GroupWhy {
    /// Its cost center is in no unit's codes.
    NoUnit { cost_center: String },
    /// Cost centers of its unit with rows under it have no such row: it totals part of the unit.
    PartOfUnit { unit: String, missing: Vec<String> },
}

impl fmt::Display for GroupWhy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupWhy::NoUnit { cost_center } => write!(f, "its cost center {cost_center} is in no unit's codes"),
            GroupWhy::PartOfUnit { unit, missing } => write!(
                f,
                "{unit}'s cost centers {} have no such row, so it totals part of the unit",
                missing.join(", ")
            ),
        }
    }
}

/// What reading the input warned of, as data: the report stage words it in each language; `Display` gives the
/// English the console of `extract` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Said {
    /// A row with figures whose label the scheme does not know: not read.
    UnknownLabel { label: String },
    /// A label read as the known one it nearly is.
    LabelTypo { label: String, known: String, id: String },
    /// Figures in a row with no label: not read.
    NoLabel,
    /// A row without a label read as the total of the group under the heading above it.
    UnlabelledTotal { label: String, id: String },
    /// A column whose year neither its header nor the document around the table tells: not read.
    NoYear { column: String },
    /// A table of external items only (a statutory income statement) of a unit that another table gives on
    /// external and internal items: read as the unit's external figures, `<unit> (ulkoinen)`.
    ExternalApart { unit: String },
    /// A column for part of a year (`Toteuma 1-8/2024`): actuals to date are not the year's actuals; not read.
    PartOfYear { column: String },
    /// A report export's rows that total other rows (group rows, `yhteensä` rows): not summed as accounts;
    /// `checked` of their figures checked against the rows they head.
    GroupRows { count: u64, first: String, checked: usize },
    /// A group or total row of a report export that could not be checked, and why.
    GroupNotChecked { label: String, why: GroupWhy },
    /// A ledger's amount column whose header names no year, read for the year its other amount columns name.
    ColumnYear { column: String, year: i32 },
    /// A ledger without a year column whose amount columns name no year: read for the year the file's name
    /// gives, or (`by_option`) the year given with `--year`.
    LedgerYear {
        columns: Vec<String>,
        year: i32,
        by_option: bool,
        /// The title line above the header that named the year.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// A booking export's amounts without VAT read as the actuals; its other amount columns (with VAT, the
    /// VAT) not read.
    NetAmounts { net: String, others: Vec<String> },
    /// A ledger with its header and no rows: no figures.
    EmptyLedger,
    /// A ledger's actuals cover part of the year (`period`, by `--period` or by the ledger's dates): read as
    /// actuals to date, never the year's; rows dated after the period not read (`after_rows`, their sum),
    /// actuals rows without a month the period cannot cut (`undated`).
    ActualsToDate { year: i32, months: u8, by_option: bool, after_rows: u64, after_sum: String, undated: u64 },
    /// Account codes that head other codes of the file and whose rows are their sums: group rows, not summed.
    CodeGroups { codes: Vec<String>, rows: u64 },
    /// An account code that heads other codes of the file (or whose name names a scheme total above its line:
    /// `named`, that total) but whose rows are not their sum: read as an account.
    CodeNotGroup { code: String, named: Option<String> },
    /// An account code that is a group row in some cost centers (its rows the sum of the codes it heads) but
    /// not in `not_in` others (the first, `first`): read there as an account of its own.
    CodeGroupInPart { code: String, not_in: u64, first: String },
    /// A ledger's amount column in thousands or millions of euros, by its header or a title above the header
    /// (`title`): its amounts read × `factor`.
    ColumnUnit {
        column: String,
        #[serde(with = "rust_decimal::serde::str")]
        factor: Decimal,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// A ledger's scenario column beside amount columns read in the wide form: each row is read as the
    /// scenario its amount column's header (or the configuration) names, whatever the scenario column says.
    ScenarioColumnIgnored { column: String, read: Vec<String> },
    /// Amounts with one mark before three digits (`250.000`) read with it as the thousands mark, as the file's
    /// own amounts show (`example`: `207.932,96`); `count` of them.
    ThousandsMark { mark: char, example: String, count: u64 },
    /// A report export printing each cost center once, on a heading row or its first row: `rows` rows with a
    /// blank cost center took the one above them.
    CostCenterHeadings { rows: u64 },
    /// A ledger's month columns whose headers name no scenario (`Tammi 2025` … `Joulu 2025`): not read, with
    /// their total; a warning, for they are most likely a figure's months.
    MonthsNotRead {
        columns: Vec<String>,
        #[serde(with = "rust_decimal::serde::str_option")]
        total: Option<Decimal>,
    },
    /// A ledger's column whose header says money but no figure it gives (a variance, a percentage, a plan
    /// year, VAT): not read; its total where it was summed.
    ColumnNotRead {
        column: String,
        #[serde(with = "rust_decimal::serde::str_option")]
        total: Option<Decimal>,
    },
    /// A column of figures without a heading: not read.
    UnheadedColumn,
    /// A column without a heading read as the actuals: on every row with figures in it the table's variance is
    /// it minus the budget (`rows` rows; `example` one of them, worked).
    UnheadedActuals { rows: usize, example: String },
    /// A row of a budget table that could not be read (its figures could not be split into the columns, a
    /// cell that is no number, a row no line item names): why, and the candidate readings where there are.
    RowNotRead { label: String, reason: NotReadWhy },
    /// A table that prints costs positive, recognised by its margin (revenues − costs) in `columns` columns:
    /// its costs were turned to the reports' signs (and its cost variances too when printed actuals − budget).
    CostsTurned {
        columns: usize,
        variance_turned: bool,
        /// The margin was printed as a net cost (costs − revenues), turned too.
        #[serde(default)]
        net_cost: bool,
    },
    /// A table under no title that names a unit of the org file, no unit named above it in its section,
    /// and an org of several roots: its figures were not read.
    NoUnit { titles: Vec<String> },
    /// Figure cells that hold a formula without a stored result: not read.
    FormulasWithoutResults { count: usize, shown: Vec<String> },
    /// A table's unit read from its title in an inflected form.
    UnitFromTitle { title: String, unit: String },
    /// A unit name read as the closest name in the org file.
    UnitNearMatch { name: String, unit: String },
    /// A ledger's cost center that no unit's `codes` cover: its total and rows, per scenario and year.
    UnmappedCostCenter {
        code: String,
        scenario: Scenario,
        year: i32,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        rows: u64,
    },
    /// Unmapped codes beyond those named (the largest are): how many, their total and rows, per scenario and year.
    UnmappedMore {
        accounts: bool,
        count: u64,
        /// Where codes past the first N met were summed together: the named are the largest of those N.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        among_first: Option<u64>,
        scenario: Scenario,
        year: i32,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        rows: u64,
    },
    /// A ledger's account that the chart of accounts maps to no line item.
    UnmappedAccount {
        account: String,
        scenario: Scenario,
        year: i32,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        rows: u64,
    },
    /// A ledger's amounts were turned to the reports' signs (revenues positive, costs negative): its costs
    /// summed `costs` (positive) and its revenues `revenues` as booked; `configured` when `[ledger] signs`
    /// said so rather than the sums.
    SignsTurned {
        #[serde(with = "rust_decimal::serde::str")]
        costs: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        revenues: Decimal,
        configured: bool,
    },
    /// A ledger's totals of one scenario and year: all rows = mapped + unmapped, to the cent.
    Reconciliation {
        scenario: Scenario,
        year: i32,
        #[serde(with = "rust_decimal::serde::str")]
        total: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        mapped: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        unmapped: Decimal,
    },
}

/// The first and last of a run of column names (`Tammi 2025 … Joulu 2025`).
pub fn month_span(columns: &[String]) -> String {
    match columns {
        [] => String::new(),
        [one] => one.clone(),
        [first, .., last] => format!("{first} … {last}"),
    }
}

impl Said {
    /// A record rather than a problem (shown as info): a ledger's reconciliation, its signs turned.
    pub fn is_info(&self) -> bool {
        matches!(
            self,
            Said::Reconciliation { .. }
                | Said::GroupRows { .. }
                | Said::ColumnYear { .. }
                | Said::LedgerYear { .. }
                | Said::ActualsToDate { undated: 0, .. }
                | Said::NetAmounts { .. }
                | Said::ColumnNotRead { .. }
                | Said::CostCenterHeadings { .. }
                | Said::ThousandsMark { .. }
                | Said::ColumnUnit { .. }
                | Said::CodeGroups { .. }
                | Said::SignsTurned { .. }
                | Said::CostsTurned { .. }
                | Said::ExternalApart { .. }
        )
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Said::UnknownLabel { label } => write!(f, "unknown label \"{label}\": row not read"),
            Said::LabelTypo { label, known, id } => write!(f, "label \"{label}\" read as \"{known}\" ({id})"),
            Said::NoLabel => write!(f, "figures without a label: row not read"),
            Said::UnlabelledTotal { label, id } => {
                write!(f, "row without a label read as \"{label}\" ({id}): the rows above it add up to it")
            }
            Said::NoYear { column } => write!(
                f,
                "column \"{column}\" has no year and nothing around the table tells it: column not read (give the \
                 year with --year or year = in poikkeama.toml)"
            ),
            Said::RowNotRead { label, reason } => write!(f, "row \"{label}\" not read: {reason}"),
            Said::ExternalApart { unit } => write!(
                f,
                "the table gives {unit}'s external items only, where another gives its external and internal items: \
                 read as \"{unit} (ulkoinen)\""
            ),
            Said::PartOfYear { column } => write!(
                f,
                "column \"{column}\" is for part of a year: actuals to date are not the year's actuals, so it is not read"
            ),
            Said::GroupRows { count, first, checked } => write!(
                f,
                "{count} row(s) total other rows (group and total rows; the first {first}): not summed as accounts; \
                 {checked} of their figures checked against the rows they head"
            ),
            Said::GroupNotChecked { label, why } => write!(f, "total row \"{label}\" not checked: {why}"),
            Said::ColumnYear { column, year } => write!(
                f,
                "column \"{column}\" names no year: read for {year}, the year every other amount column names"
            ),
            Said::LedgerYear { columns, year, by_option, title } => write!(
                f,
                "no year column, and columns {} name no year: read for {year}, {}",
                columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
                match (title, by_option) {
                    (Some(t), _) => format!("the year of the title above the header (\"{t}\")"),
                    (None, true) => "the year given with --year".to_string(),
                    (None, false) => "the year in the file's name".to_string(),
                }
            ),
            Said::NetAmounts { net, others } => write!(
                f,
                "bookings with a posting date: column \"{net}\" (without VAT) read as the actuals{}",
                if others.is_empty() { String::new() } else { format!("; not read: {}", others.join(", ")) }
            ),
            Said::ColumnUnit { column, factor, title } => write!(
                f,
                "column \"{column}\" is in {} euros ({}): its amounts read × {factor}",
                if *factor == Decimal::from(1_000_000) { "millions of" } else { "thousands of" },
                match title {
                    Some(t) => format!("the title above the header says so: \"{t}\""),
                    None => "its header says so".to_string(),
                }
            ),
            Said::ScenarioColumnIgnored { column, read } => write!(
                f,
                "column \"{column}\" names each row's scenario, but the amounts are read from {} by their headers or \
                 the configuration, whatever it says; for one amount column of every scenario, configure amount = \
                 and scenario = instead",
                read.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
            ),
            Said::ThousandsMark { mark, example, count } => write!(
                f,
                "{count} amount(s) with one '{mark}' before three digits (such as 250{mark}000) read with it as the \
                 thousands mark, as the file's own {example} shows"
            ),
            Said::CostCenterHeadings { rows } => write!(
                f,
                "cost centers are printed once, above their rows: {} with a blank cost center took the one above \
                 them (the first here)",
                rows_en(*rows)
            ),
            Said::MonthsNotRead { columns, total } => write!(
                f,
                "{} month columns ({}) name no scenario and are not read{}: name it in their headers (\"Toteuma {}\", \
                 \"Talousarvio {}\") or beside them in a total column",
                columns.len(),
                month_span(columns),
                total.map(|t| format!("; their amounts total {t}")).unwrap_or_default(),
                columns[0],
                columns[0]
            ),
            Said::ColumnNotRead { column, total } => write!(
                f,
                "column \"{column}\" is not read (no figure of the scheme's scenarios){}",
                total.map(|t| format!("; its amounts total {t}")).unwrap_or_default()
            ),
            Said::CodeGroups { codes, rows } => write!(
                f,
                "accounts {} head other accounts of the file and their {rows} row(s) are those accounts' sums: group \
                 rows, not summed",
                codes.join(", ")
            ),
            Said::CodeGroupInPart { code, not_in, first } => write!(
                f,
                "account {code} is a group row where its rows are the sum of the accounts it heads, but not in {not_in} \
                 cost center(s) (the first {first}): read there as an account of its own; check those rows"
            ),
            Said::CodeNotGroup { code, named: None } => write!(
                f,
                "account {code} heads other accounts of the file, but its rows are not their sum: read as an account \
                 of its own; check whether it is a group row"
            ),
            Said::CodeNotGroup { code, named: Some(total) } => {
                let total = Item::from_id(total).map_or(total.as_str(), |i| i.label_en());
                write!(
                f,
                "account {code} is named as a total ({total}), but its rows are neither the sum of the accounts under \
                 {total} nor of the codes it heads: read as an account of its own; check whether it is a group row"
            )
            }
            Said::EmptyLedger => write!(f, "the ledger has a header and no rows: it gives no figures"),
            Said::ActualsToDate { year, months, by_option, after_rows, after_sum, undated } => {
                let period = Period { year: *year, months: *months, from: String::new() }.label("en");
                write!(
                    f,
                    "the actuals cover {period} ({}): read as actuals to date, not the year's actuals (an interim \
                     report)",
                    if *by_option { "--period" } else { "the last month the ledger's actuals are dated" }
                )?;
                if *after_rows > 0 {
                    write!(f, "; {after_rows} actuals row(s) dated after it not read (their sum {after_sum})")?;
                }
                if *undated > 0 {
                    write!(f, "; {undated} actuals row(s) without a month could not be cut to the period: check them")?;
                }
                Ok(())
            }
            Said::UnheadedColumn => write!(f, "a column of figures without a heading: not read"),
            Said::UnheadedActuals { rows, example } => write!(
                f,
                "a column without a heading read as the actuals: on all {rows} rows with figures in it the variance \
                 is it minus the budget ({example})"
            ),
            Said::CostsTurned { columns, variance_turned, net_cost } => write!(
                f,
                "the table prints costs positive (its margin is {} in {columns} column{}): costs{} turned to the \
                 reports' signs{}",
                if *net_cost { "costs − revenues, a net cost" } else { "revenues − costs" },
                if *columns == 1 { "" } else { "s" },
                if *net_cost { " and the margin" } else { "" },
                if *variance_turned { ", and their variances (printed actuals − budget)" } else { "" }
            ),
            Said::NoUnit { titles } => write!(
                f,
                "no title above the table names a unit of the org file ({}): its figures were not read",
                if titles.is_empty() { "it has no title".to_string() } else { titles.join("; ") }
            ),
            Said::FormulasWithoutResults { count, shown } => {
                let more = count.saturating_sub(shown.len());
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                write!(
                    f,
                    "{count} figure cell(s) hold a formula with no stored result ({}{more}): not read; open the file \
                     in Excel or LibreOffice and save it so the results are stored",
                    shown.join(", ")
                )
            }
            Said::UnitFromTitle { title, unit } => write!(f, "unit read from the title \"{title}\" as \"{unit}\""),
            Said::UnitNearMatch { name, unit } => {
                write!(f, "unit name \"{name}\" read as \"{unit}\" (closest name in the org file)")
            }
            Said::UnmappedCostCenter { code, scenario, year, amount, rows } => write!(
                f,
                "cost center {code} is in no unit's codes: {scenario} {year} {amount} in {} not read",
                rows_en(*rows)
            ),
            Said::UnmappedMore { accounts, count, among_first, scenario, year, amount, rows } => write!(
                f,
                "{count} more {} map to nothing (the largest{} are named above): {scenario} {year} {amount} in {} not \
                 read",
                if *accounts { "accounts" } else { "cost centers" },
                among_first.map(|n| format!(" of the first {n} met")).unwrap_or_default(),
                rows_en(*rows)
            ),
            Said::UnmappedAccount { account, scenario, year, amount, rows } => {
                write!(
                    f,
                    "account {account} maps to no line item: {scenario} {year} {amount} in {} not read",
                    rows_en(*rows)
                )
            }
            Said::SignsTurned { costs, revenues, configured } => write!(
                f,
                "amounts turned to the reports' signs (revenues positive, costs negative): {}; costs summed {costs} \
                 and revenues {revenues} as booked",
                if *configured { "[ledger] signs = \"ledger\"" } else { "costs were booked positive" }
            ),
            Said::Reconciliation { scenario, year, total, mapped, unmapped } => {
                write!(f, "{scenario} {year}: all rows {total} = mapped {mapped} + unmapped {unmapped}")
            }
        }
    }
}

/// A problem in the input that does not stop processing, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: String,
    pub said: Said,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.said)
    }
}

/// A1 column letters for a zero-based column index: 0 → A, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// A1 reference for zero-based row and column: (37, 3) → `D38`.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// Folds a name for matching: lower case, whitespace runs collapsed, ends trimmed.
pub fn fold_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(37, 3), "D38");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn scenario_ids_round_trip() {
        for (i, s) in Scenario::ALL.into_iter().enumerate() {
            assert_eq!(s.index() as usize, i);
            assert_eq!(Scenario::from_index(i as u32), Some(s));
            assert_eq!(Scenario::from_id(s.id()), Some(s));
        }
    }

    #[test]
    fn names_fold() {
        assert_eq!(fold_name("  Talous-  ja\u{a0}HENKILÖSTÖpalvelut "), "talous- ja henkilöstöpalvelut");
    }
}
