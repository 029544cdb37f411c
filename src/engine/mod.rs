//! Engine: checks every sum and rollup, computes variances and rollups, judges binding appropriations.
//! Invariant: the engine never reads files and never formats for a reader; it works in polars over the
//! long table of figures with exact decimals (never floats for money) and returns model-level results.

mod binding;
mod build;
mod checks;
mod finding;
pub mod frame;
pub mod interim;
mod rollup;
mod wide;

pub use finding::{within_rounding, Cause, Finding, Given, Note, Part, RowRef, Rule, Severity};

use crate::error::Result;
use crate::model::{scheme_sums, Figure, Item, LineItem, Org, Scenario, TableSum};
use rust_decimal::Decimal;

/// One unit's line item in one year, with every scenario side by side and the computed figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub unit: String,
    pub line_item: LineItem,
    pub year: i32,
    pub ta: Option<Decimal>,
    pub ta_muutokset: Option<Decimal>,
    /// Budget after changes: as reported, else `ta + ta_muutokset` (see `ta_muutettu_computed`).
    pub ta_muutettu: Option<Decimal>,
    pub ta_muutettu_computed: bool,
    pub tp: Option<Decimal>,
    pub ts: Option<Decimal>,
    /// A forecast of the year (ennuste), a proposal (ehdotus), an overrun right (ylitysoikeus).
    pub ennuste: Option<Decimal>,
    pub ehdotus: Option<Decimal>,
    pub ylitysoikeus: Option<Decimal>,
    /// Actuals to date of an interim period ([`crate::model::Period`]).
    pub kausi: Option<Decimal>,
    /// The variance as the source reports it.
    pub poikkeama_reported: Option<Decimal>,
    /// tp − ta_muutettu, computed.
    pub variance: Option<Decimal>,
    /// True where a reported variance disagrees with the computed one beyond rounding.
    pub variance_differs: bool,
    /// The shown variance ([`Row::variance_shown`]) / |ta_muutettu| × 100 (none when the budget is 0).
    pub variance_pct: Option<f64>,
    /// Realisation (toteutumisaste): tp / ta_muutettu × 100.
    pub realisation_pct: Option<f64>,
    /// tp − previous year's tp, where both are present.
    pub tp_change: Option<Decimal>,
    /// Some figure of this row is the sum of the unit's children, not reported.
    pub rolled_up: bool,
    /// Some figure of this row is the sum of sub-rows its table prints instead of it (a stand-in).
    pub summed: bool,
    /// The reported figures behind this row, as indices into the figures given to [`analyze`], by
    /// scenario (in `Scenario::ALL` order); none for computed or blank figures.
    pub src: [Option<u32>; Scenario::COUNT],
}

impl Row {
    /// The variance a report shows: the reported one where it agrees with the computed one within
    /// rounding, else the computed one.
    pub fn variance_shown(&self) -> Option<Decimal> {
        match (self.poikkeama_reported, self.variance) {
            (Some(r), Some(_)) if !self.variance_differs => Some(r),
            (_, Some(v)) => Some(v),
            (r, None) => r,
        }
    }
}

/// A binding appropriation judged for one unit, line item and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub unit: String,
    pub line_item: LineItem,
    pub year: i32,
    pub ta_muutettu: Decimal,
    pub tp: Decimal,
    /// tp − ta_muutettu: negative is an overrun.
    pub variance: Decimal,
    pub variance_pct: Option<f64>,
    pub overrun: bool,
    /// The overrun right the council granted (ylitysoikeus), where the table gives one.
    pub overrun_right: Option<Decimal>,
    /// An overrun no larger than the granted overrun right: allowed, not a plain overrun.
    pub within_right: bool,
}

/// Where a binding appropriation stands. The reports word it in this order (their `status` arrays).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BindingStatus {
    /// Within the appropriation (määrärahassa).
    Within,
    /// An overrun no larger than the overrun right the council granted.
    WithinRight,
    /// An overrun the council must decide on (vaatii valtuuston päätöksen).
    Overrun,
}

impl BindingStatus {
    /// Its place in the reports' `status` word arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name in data files (the flat table's `binding` column).
    pub fn code(self) -> &'static str {
        match self {
            BindingStatus::Within => "within",
            BindingStatus::WithinRight => "within_right",
            BindingStatus::Overrun => "overrun",
        }
    }
}

impl Binding {
    pub fn status(&self) -> BindingStatus {
        match (self.overrun, self.within_right) {
            (true, true) => BindingStatus::WithinRight,
            (true, false) => BindingStatus::Overrun,
            (false, _) => BindingStatus::Within,
        }
    }

    /// An overrun the council must decide on: every such overrun needs an explanation.
    pub fn needs_decision(&self) -> bool {
        self.status() == BindingStatus::Overrun
    }
}

/// Everything the engine found.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Rows in org tree order (units not in the org last), scheme order, year.
    pub rows: Vec<Row>,
    /// Errors first, then warnings, then info.
    pub findings: Vec<Finding>,
    pub bindings: Vec<Binding>,
    /// An interim report's period (set by [`Analysis::with_period`]) and its rows.
    pub period: Option<crate::model::Period>,
    pub interim: Vec<interim::InterimRow>,
}

impl Analysis {
    /// An interim report of `period`: its rows computed ([`interim::interim`]), and each binding
    /// appropriation whose forecast overruns it a warning.
    pub fn with_period(
        mut self,
        period: crate::model::Period,
        org: Option<&Org>,
        phasing: Option<&crate::model::Phasing>,
    ) -> Analysis {
        self.interim = interim::interim(&self.rows, &period, org, phasing);
        // Warnings go after the errors and warnings there are, before the info.
        let first_info = self.findings.iter().position(|f| f.severity == Severity::Info).unwrap_or(self.findings.len());
        let overruns: Vec<&interim::InterimRow> =
            self.interim.iter().filter(|r| r.risk == Some(interim::Risk::Overrun)).collect();
        for (at, r) in (first_info..).zip(overruns) {
            self.findings.insert(
                at,
                Finding {
                    severity: Severity::Warning,
                    rule: Rule::ForecastOverrun,
                    unit: r.unit.clone(),
                    line_item: Some(r.line_item),
                    scenario: Some(Scenario::Kausi),
                    year: Some(period.year),
                    expected: Some(r.budget),
                    actual: Some(r.forecast),
                    difference: Some(r.forecast_variance),
                    sources: Vec::new(),
                    notes: vec![Note::Forecast { period: period.label("fi"), method: r.method.id().to_string() }],
                    explained_by: None,
                },
            );
        }
        self.period = Some(period);
        self
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// The latest year with actuals (the year the report is about).
    pub fn report_year(&self) -> Option<i32> {
        self.rows.iter().filter(|r| r.tp.is_some()).map(|r| r.year).max()
    }

    /// Adds what reading the inputs warned of (a name read as a near match, a row not read), so that every
    /// report lists it with the place it is about; they go after the errors and the other warnings.
    /// An error for each total a ledger export prints as a row (a group row) that is not the sum of the rows it
    /// heads. (One that is, needs no finding: the rows are the figures.)
    pub fn add_printed_totals(&mut self, totals: &[crate::model::PrintedTotal]) {
        let at = self.findings.iter().position(|f| f.severity != Severity::Error).unwrap_or(self.findings.len());
        let (errors, warnings): (Vec<Finding>, Vec<Finding>) = totals
            .iter()
            .filter(|t| t.printed != t.computed)
            .map(|t| Finding {
                severity: if t.certain { Severity::Error } else { Severity::Warning },
                rule: Rule::Sum,
                unit: t.unit.clone(),
                line_item: t.line_item,
                scenario: Some(t.scenario),
                year: Some(t.year),
                expected: Some(t.computed),
                actual: Some(t.printed),
                difference: t.printed.checked_sub(t.computed),
                sources: vec![t.printed_at.clone(), t.computed_from.clone()],
                notes: if t.of_months { vec![finding::Note::OfMonths] } else { Vec::new() },
                explained_by: None,
            })
            .partition(|f| f.severity == Severity::Error);
        self.findings.splice(at..at, errors);
        let at = self.findings.iter().position(|f| f.severity == Severity::Info).unwrap_or(self.findings.len());
        self.findings.splice(at..at, warnings);
    }

    /// Printed realisation percentages their rows do not give: errors where the table prints the budget they
    /// are of, warnings where it may be of a budget the table does not print.
    pub fn add_printed_percents(&mut self, percents: &[crate::model::PrintedPercent]) {
        let (errors, warnings): (Vec<Finding>, Vec<Finding>) = percents
            .iter()
            .map(|p| Finding {
                severity: if p.certain { Severity::Error } else { Severity::Warning },
                rule: Rule::Percent,
                unit: p.unit.clone(),
                line_item: Some(p.line_item),
                scenario: Some(p.actual),
                year: Some(p.year),
                expected: Some(p.computed),
                actual: Some(p.printed),
                difference: p.printed.checked_sub(p.computed),
                sources: vec![p.source.clone()],
                notes: vec![finding::Note::PercentOf { budget: p.budget }],
                explained_by: None,
            })
            .partition(|f| f.severity == Severity::Error);
        let at = self.findings.iter().position(|f| f.severity != Severity::Error).unwrap_or(self.findings.len());
        self.findings.splice(at..at, errors);
        let at = self.findings.iter().position(|f| f.severity == Severity::Info).unwrap_or(self.findings.len());
        self.findings.splice(at..at, warnings);
    }

    pub fn add_input_warnings(&mut self, warnings: &[crate::model::Warning]) {
        let at = self.findings.iter().position(|f| f.severity == Severity::Info).unwrap_or(self.findings.len());
        let input = warnings.iter().map(|w| {
            let notes = vec![finding::Note::Input { said: w.said.clone() }];
            // A ledger's reconciliation is a record, not a problem.
            let severity = if w.said.is_info() { Severity::Info } else { Severity::Warning };
            Finding::about_unit(severity, Rule::Input, String::new(), vec![w.location.clone()], notes)
        });
        self.findings.splice(at..at, input);
    }

    /// Is a row's variance significant: at least `euros` and `percent` of the budget (a budget of 0 counts
    /// on euros alone)? Internal and imputed items (sisäiset, laskennalliset erät) and lines a table does not
    /// print never are.
    pub fn significant(row: &Row, euros: Decimal, percent: f64) -> bool {
        let Some(v) = row.variance_shown() else { return false };
        let item = row.line_item.item;
        let internal = [Item::SISAISET_ERAT, Item::LASKENNALLISET_ERAT].iter().any(|&i| item == i || item.is_under(i));
        // A line the table does not print (summed from its sub-rows) is explained on those rows.
        !row.summed
            && !row.line_item.of_which_internal
            && !internal
            && v.abs() >= euros
            && row.variance_pct.is_none_or(|p| p.abs() >= percent)
    }

    /// A warning for each significant variance of the report year that has no explanation.
    pub fn check_explanations(&mut self, explanations: &[crate::model::Explanation], euros: Decimal, percent: f64) {
        let Some(year) = self.report_year() else { return };
        let explained: std::collections::HashSet<(&str, LineItem, i32)> =
            explanations.iter().map(|e| (e.unit.as_str(), e.line_item, e.year)).collect();
        let mut missing: Vec<Finding> = self
            .rows
            .iter()
            .filter(|r| r.year == year && Analysis::significant(r, euros, percent))
            .filter(|r| !explained.contains(&(r.unit.as_str(), r.line_item, r.year)))
            .map(|r| Finding {
                severity: Severity::Warning,
                rule: Rule::ExplanationMissing,
                unit: r.unit.clone(),
                line_item: Some(r.line_item),
                scenario: Some(Scenario::Poikkeama),
                year: Some(r.year),
                expected: None,
                actual: r.variance_shown(),
                difference: None,
                sources: Vec::new(),
                notes: vec![finding::Note::Significant { euros, percent, pct: r.variance_pct }],
                explained_by: None,
            })
            .collect();
        // Every overrun of a binding appropriation is explained to the council, whatever the thresholds.
        let overruns: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| f.rule == Rule::BindingOverrun && f.year == Some(year))
            .filter(|f| f.line_item.is_some_and(|li| !explained.contains(&(f.unit.as_str(), li, year))))
            .filter(|f| !missing.iter().any(|m| m.unit == f.unit && m.line_item == f.line_item))
            .map(|f| Finding {
                severity: Severity::Warning,
                rule: Rule::ExplanationMissing,
                unit: f.unit.clone(),
                line_item: f.line_item,
                scenario: Some(Scenario::Poikkeama),
                year: Some(year),
                expected: None,
                actual: f.notes.iter().find_map(|n| match n {
                    finding::Note::Binding { variance, .. } => Some(*variance),
                    _ => None,
                }),
                difference: None,
                sources: Vec::new(),
                notes: f.notes.iter().filter(|n| matches!(n, finding::Note::Binding { .. })).cloned().collect(),
                explained_by: None,
            })
            .collect();
        missing.extend(overruns);
        let at = self.findings.iter().position(|f| f.severity == Severity::Info).unwrap_or(self.findings.len());
        let tail = self.findings.split_off(at);
        self.findings.append(&mut missing);
        self.findings.extend(tail);
    }

    pub fn row(&self, unit: &str, line_item: LineItem, year: i32) -> Option<&Row> {
        self.rows.iter().find(|r| r.unit == unit && r.line_item == line_item && r.year == year)
    }
}

/// Runs every check and computation over the figures.
///
/// ```
/// use poikkeama::engine::{analyze, Rule, Severity};
/// use poikkeama::model::{Figure, Item, LineItem, Scenario, Source};
/// use rust_decimal::Decimal;
///
/// let fig = |item, scenario, amount: i64, cell: &str| Figure {
///     unit: "Keskus".into(),
///     line_item: LineItem::new(item),
///     scenario,
///     year: 2024,
///     amount: Decimal::from(amount),
///     source: Source::cell("x.xlsx", "S", cell, Decimal::ONE),
/// };
/// let figures = [
///     fig(Item::TOIMINTAKATE, Scenario::TaMuutettu, -1_741_007, "D9"),
///     fig(Item::TOIMINTAKATE, Scenario::Tp, -1_839_760, "E9"),
///     fig(Item::TOIMINTAKATE, Scenario::Poikkeama, -98_743, "F9"),
/// ];
/// let a = analyze(&figures, None).unwrap();
/// let f = &a.findings[0];
/// assert_eq!((f.severity, f.rule, f.difference), (Severity::Error, Rule::Poikkeama, Some(Decimal::from(10))));
/// ```
pub fn analyze(figures: &[Figure], org: Option<&Org>) -> Result<Analysis> {
    analyze_tables(figures, &scheme_sums(figures), org)
}

/// Runs every check and computation over figures read from tables, with the sums the tables print (ingest's
/// [`crate::ingest::Extraction::sums`]): each total is checked against the terms its own table prints.
pub fn analyze_tables(figures: &[Figure], table_sums: &[TableSum], org: Option<&Org>) -> Result<Analysis> {
    let t = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::debug!(seconds = t.elapsed().as_secs_f64(), "engine: {what}");
    };
    let units = build::UnitInfo::new(figures, org);
    lap("units");
    let facts = build::facts(figures, &units)?;
    lap("facts");
    let mut findings = units.unknown_unit_findings(org);
    let dedup = checks::duplicates(&facts, figures, &units, &mut findings)?;
    lap("duplicates");
    // The scheme sums and signs and the rollups are independent: two threads keep both cores busy.
    let (own, effective) = std::thread::scope(|scope| {
        let own = scope.spawn(|| -> Result<Vec<Finding>> {
            let mut found = Vec::new();
            checks::sums(&dedup, figures, &units, table_sums, &mut found)?;
            checks::signs(&dedup, figures, &units, &mut found)?;
            Ok(found)
        });
        let mut found = Vec::new();
        let effective = rollup::rollups(&dedup, &units, figures, &mut found).map(|e| (e, found));
        let own =
            own.join().unwrap_or_else(|_| Err(crate::Error::Engine("the sum checks stopped unexpectedly".into())));
        (own, effective)
    });
    let (effective, rollup_findings) = effective?;
    findings.extend(own?);
    findings.extend(rollup_findings);
    lap("sums, signs and rollups");
    let rows = wide::wide(&effective, figures, &units, &mut findings)?;
    lap("wide");
    let bindings = binding::bindings(&rows, org, figures, &mut findings);
    rollup::unconfirmed(&mut findings, &units, table_sums);
    rollup::incomplete_children(&mut findings, &units, figures);
    rollup::silent_children(&mut findings, &units, figures);
    rollup::unplaced(&mut findings, &units, figures);
    rollup::explain(&mut findings, &units);
    sort_findings(&mut findings, &units);
    Ok(Analysis { rows, findings, bindings, period: None, interim: Vec::new() })
}

/// Errors first, then warnings, then info; within each, in tree order. A finding that follows from another
/// goes right after its cause (causes first), whatever its own severity.
fn sort_findings(findings: &mut Vec<Finding>, units: &build::UnitInfo) {
    type Key = (Severity, usize, Option<LineItem>, Option<Scenario>, Option<i32>, Rule);
    let key = |f: &Finding| -> Key { (f.severity, units.order(&f.unit), f.line_item, f.scenario, f.year, f.rule) };
    findings.sort_by_key(|f| key(f));
    let index: std::collections::HashMap<Cause, usize> =
        findings.iter().enumerate().map(|(i, f)| (Cause::of(f), i)).collect();
    // The head of each finding's chain of causes (a cause that is itself explained leads further).
    let head = |mut i: usize| {
        for _ in 0..8 {
            match findings[i].explained_by.as_ref().and_then(|c| index.get(c)) {
                Some(&j) if j != i => i = j,
                _ => break,
            }
        }
        i
    };
    let mut order: Vec<(usize, bool, usize)> =
        (0..findings.len()).map(|i| (head(i), findings[i].explained_by.is_some(), i)).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<Finding>> = std::mem::take(findings).into_iter().map(Some).collect();
    findings.extend(order.into_iter().filter_map(|(_, _, i)| slots[i].take()));
}

#[cfg(test)]
mod tests;
