//! Findings: what the checks found, with the cells involved and the facts a reader needs, as data. The
//! engine never words them: the report stage renders each finding in the reader's language.

use crate::model::{LineItem, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The rule a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A total of the scheme against its terms (toimintatuotot, toimintakulut, toimintakate).
    Sum,
    /// ta_muutettu = ta + ta_muutokset.
    TaMuutettu,
    /// The reported poikkeama = tp − ta_muutettu.
    Poikkeama,
    /// A parent's figure = the sum of its children's.
    Rollup,
    /// Revenue below zero or cost above zero.
    Sign,
    /// The same key given twice.
    Duplicate,
    /// A unit not in the org file.
    UnknownUnit,
    /// A binding appropriation overrun (määrärahan ylitys): not a data error.
    BindingOverrun,
    /// A binding appropriation kept.
    BindingWithin,
    /// A binding appropriation overrun within the overrun right the council granted (ylitysoikeus).
    BindingWithinRight,
    /// Something in the input that was read with a warning (a name read as a near match, a row not read).
    Input,
    /// A significant variance without the finance office's explanation (perustelu puuttuu).
    ExplanationMissing,
    /// An interim report's forecast overruns a binding appropriation (beyond any overrun right).
    ForecastOverrun,
    /// A printed forecast variance against forecast − budget after changes.
    ForecastVariance,
    /// A printed realisation percentage against actuals / budget × 100.
    Percent,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::Sum => "sum",
            Rule::TaMuutettu => "ta_muutettu",
            Rule::Poikkeama => "poikkeama",
            Rule::Rollup => "rollup",
            Rule::Sign => "sign",
            Rule::Duplicate => "duplicate",
            Rule::UnknownUnit => "unknown_unit",
            Rule::BindingOverrun => "binding_overrun",
            Rule::BindingWithin => "binding_within",
            Rule::BindingWithinRight => "binding_within_overrun_right",
            Rule::Input => "input",
            Rule::ExplanationMissing => "explanation_missing",
            Rule::ForecastOverrun => "forecast_overrun",
            Rule::ForecastVariance => "forecast_variance",
            Rule::Percent => "percent",
        }
    }
}

/// One finding. `difference` = `actual` − `expected`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    pub unit: String,
    #[serde(serialize_with = "ser_line_item")]
    pub line_item: Option<LineItem>,
    pub scenario: Option<Scenario>,
    pub year: Option<i32>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub expected: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub actual: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub difference: Option<Decimal>,
    /// The cells involved, `file:sheet!CELL`; the checked figure first.
    pub sources: Vec<String>,
    /// What the finding says beyond its figures (rows not read, values given twice …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Set on an error that follows from another error (its root cause), naming that error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explained_by: Option<Cause>,
}

impl Finding {
    /// A finding about a unit as a whole: no line item, column or figures, only notes and cells.
    pub fn about_unit(severity: Severity, rule: Rule, unit: String, sources: Vec<String>, notes: Vec<Note>) -> Self {
        Finding {
            severity,
            rule,
            unit,
            line_item: None,
            scenario: None,
            year: None,
            expected: None,
            actual: None,
            difference: None,
            sources,
            notes,
            explained_by: None,
        }
    }
}

/// A row of a table named in a finding: its label as printed and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowRef {
    pub label: String,
    pub source: String,
}

/// A figure of another unit named in a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub unit: String,
    #[serde(serialize_with = "ser_item")]
    pub line_item: LineItem,
    pub source: String,
}

/// One of the values a key was given, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Given {
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub source: String,
}

/// Facts a finding carries beyond its figures, for the report stage to word in each language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// Rows among a failing sum's terms that could not be read, and whether adding them completes the sum.
    Unread { rows: Vec<RowRef>, completes: bool },
    /// A rollup a table below cannot confirm: that table's unit and its rows that were not read.
    UnreadBelow { unit: String, rows: Vec<RowRef> },
    /// A rollup that units below leave open: the inputs give none of their figures of that year (no table
    /// of theirs was read), so the children's sum is not all of them.
    SilentBelow { units: Vec<String> },
    /// A rollup that units below leave open: they print only sub-rows of the line item, which their own
    /// tables do not confirm (the first few, and how many more).
    SubRowsOnly { parts: Vec<Part>, more: usize },
    /// The values one key was given, in input order (the first is used).
    Given { values: Vec<Given> },
    /// The closest name in the org file to a unit it does not have.
    Closest { name: String },
    /// What reading the input warned of.
    Input { said: crate::model::Said },
    /// The limits a variance passed (whole euros and percent of the budget), making it significant.
    Significant {
        #[serde(with = "rust_decimal::serde::str")]
        euros: Decimal,
        percent: f64,
        pct: Option<f64>,
    },
    /// An interim forecast: the period (its Finnish label) and the forecast's method id.
    Forecast { period: String, method: String },
    /// A total checked against the month columns beside it.
    OfMonths,
    /// A realisation percentage: the budget it was worked against (after changes, or the original).
    PercentOf { budget: Scenario },
    /// A printed variance that equals the computed one with the sign turned: the source's convention (budget −
    /// forecast), not an error of its figures.
    OppositeSign,
    /// A binding appropriation: the variance readers see (the reported one where it agrees within
    /// rounding), its percent of the budget, and the overrun right granted, if any.
    Binding {
        #[serde(with = "rust_decimal::serde::str")]
        variance: Decimal,
        pct: Option<f64>,
        #[serde(with = "rust_decimal::serde::str_option")]
        right: Option<Decimal>,
    },
}

/// The error another error follows from: enough to find it among the findings and to name it to a reader.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Cause {
    pub unit: String,
    pub rule: Rule,
    #[serde(serialize_with = "ser_line_item")]
    pub line_item: Option<LineItem>,
    pub scenario: Option<Scenario>,
    pub year: Option<i32>,
}

impl Cause {
    /// The cause as a key of `finding`.
    pub fn of(finding: &Finding) -> Self {
        Cause {
            unit: finding.unit.clone(),
            rule: finding.rule,
            line_item: finding.line_item,
            scenario: finding.scenario,
            year: finding.year,
        }
    }
}

fn ser_item<S: serde::Serializer>(li: &LineItem, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&li.id())
}

fn ser_line_item<S: serde::Serializer>(li: &Option<LineItem>, s: S) -> Result<S::Ok, S::Error> {
    match li {
        Some(li) => s.serialize_str(&li.id()),
        None => s.serialize_none(),
    }
}

/// Rounding: each whole-euro figure may be off by half a euro, so a check over figures whose rounding
/// units add up to `ulp_sum` tolerates a difference of `ulp_sum / 2`.
///
/// ```
/// use poikkeama::engine::within_rounding;
/// use rust_decimal::Decimal;
///
/// // a − b − c: three whole-euro figures tolerate 1 (1.5 rounded down to whole euros).
/// assert!(within_rounding(Decimal::ONE, Decimal::from(3)));
/// assert!(!within_rounding(Decimal::TWO, Decimal::from(3)));
/// ```
pub fn within_rounding(difference: Decimal, ulp_sum: Decimal) -> bool {
    difference.abs() * Decimal::TWO <= ulp_sum
}
