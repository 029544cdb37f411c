//! Findings: what the checks found, with the cells involved and a plain message.

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
    pub message: String,
    /// Set on an error that follows from another error (its root cause), naming that error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explained_by: Option<Cause>,
}

/// The error another error follows from: enough to find it among the findings and to name it to a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
