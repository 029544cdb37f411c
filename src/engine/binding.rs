//! Binding appropriations (sitova määräraha): tp against the budget after changes for every unit and line
//! item the org file marks binding. An overrun is its own finding kind, not a data error.

use super::checks::source;
use super::finding::{Finding, Note, Rule, Severity};
use super::{Binding, Row};
use crate::model::{Figure, Org, Scenario};
use rust_decimal::Decimal;

/// Binding appropriations: for each unit whose org entry lists binding line items, tp against
/// ta_muutettu in every year with both. Worse than budget is an overrun.
pub fn bindings(rows: &[Row], org: Option<&Org>, figures: &[Figure], findings: &mut Vec<Finding>) -> Vec<Binding> {
    let Some(org) = org else { return Vec::new() };
    let mut out = Vec::new();
    for unit in &org.units {
        for li in &unit.binding {
            for row in rows.iter().filter(|r| r.unit == unit.name && r.line_item == *li) {
                let (Some(tam), Some(tp)) = (row.ta_muutettu, row.tp) else { continue };
                // The variance readers see: the reported one where it agrees within rounding.
                let variance = row.variance_shown().unwrap_or(tp - tam);
                let overrun = variance < Decimal::ZERO;
                let overrun_right = row.ylitysoikeus.map(|r| r.abs());
                let within_right = overrun && overrun_right.is_some_and(|r| -variance <= r);
                let pct = row.variance_pct;
                let (severity, rule) = match (overrun, within_right) {
                    (true, false) => (Severity::Warning, Rule::BindingOverrun),
                    (true, true) => (Severity::Info, Rule::BindingWithinRight),
                    (false, _) => (Severity::Info, Rule::BindingWithin),
                };
                findings.push(Finding {
                    severity,
                    rule,
                    unit: unit.name.clone(),
                    line_item: Some(*li),
                    scenario: Some(Scenario::Tp),
                    year: Some(row.year),
                    expected: Some(tam),
                    actual: Some(tp),
                    // The variance readers see everywhere: the reported one where it agrees within rounding.
                    difference: Some(variance),
                    sources: [Scenario::Tp, Scenario::TaMuutettu, Scenario::Ylitysoikeus]
                        .iter()
                        .filter_map(|sc| source(figures, row.src[sc.index() as usize]))
                        .collect(),
                    notes: vec![Note::Binding { variance, pct, right: overrun_right }],
                    explained_by: None,
                });
                out.push(Binding {
                    unit: unit.name.clone(),
                    line_item: *li,
                    year: row.year,
                    ta_muutettu: tam,
                    tp,
                    variance,
                    variance_pct: pct,
                    overrun,
                    overrun_right,
                    within_right,
                });
            }
        }
    }
    out
}
