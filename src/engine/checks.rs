//! The checks over the long frame: duplicates, the scheme's sums and signs; the shared pieces every
//! arithmetic check uses (`Check`, reading check frames back, source cells).

use super::build::{Facts, UnitInfo, COST, REVENUE};
use super::finding::{within_rounding, Finding, Given, Note, RowRef, Rule, Severity};
use super::frame::*;
use crate::error::Result;
use crate::model::{Figure, LineItem, Scenario, TableSum, Unread};
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// The frame with one figure per key, and its scale.
pub struct Dedup {
    pub df: DataFrame,
    pub scale: u32,
}

fn keys() -> [Expr; 4] {
    [col("unit"), col("line_item"), col("scenario"), col("year")]
}

/// Source text of figure `src`.
pub(super) fn source(figures: &[Figure], src: Option<u32>) -> Option<String> {
    src.and_then(|i| figures.get(i as usize)).map(|f| f.source.to_string())
}

/// Reads a list-of-indices column into source texts, per row.
fn read_src_lists(df: &DataFrame, name: &str, figures: &[Figure]) -> Result<Vec<Vec<String>>> {
    let col = df.column(name).map_err(engine_err)?;
    let list = col.as_materialized_series().list().map_err(engine_err)?;
    let mut out = Vec::with_capacity(list.len());
    for idx in 0..list.len() {
        let item = list.get_as_series(idx);
        let mut v = Vec::new();
        if let Some(s) = item {
            let s = s.cast(&DataType::UInt32).map_err(engine_err)?;
            for i in s.u32().map_err(engine_err)?.iter().flatten() {
                v.extend(source(figures, Some(i)));
            }
        }
        out.push(v);
    }
    Ok(out)
}

/// One figure per key. Two different amounts for one key are an error naming both cells; the same
/// amount twice is noted.
pub fn duplicates(facts: &Facts, figures: &[Figure], units: &UnitInfo, findings: &mut Vec<Finding>) -> Result<Dedup> {
    // The usual case, no key twice, needs only a count.
    let repeated = facts
        .df
        .clone()
        .lazy()
        .select([packed_key(col("unit"), col("line_item"), col("scenario"), col("year")).alias("key")])
        .select([col("key").n_unique().alias("distinct"), len().alias("n")])
        .collect()
        .map_err(engine_err)?;
    if read_u32(&repeated, "distinct")?.first() == read_u32(&repeated, "n")?.first() {
        return Ok(Dedup { df: facts.df.clone(), scale: facts.scale });
    }
    let grouped = facts
        .df
        .clone()
        .lazy()
        .group_by(keys())
        .agg([
            col("amount").first(),
            col("ulp").first(),
            col("src").first(),
            col("depth").first(),
            col("parent").first(),
            col("kind").first(),
            col("amount").min().alias("amin"),
            col("amount").max().alias("amax"),
            len().alias("n"),
        ])
        .collect()
        .map_err(engine_err)?;
    let dups = grouped.clone().lazy().filter(col("n").gt(lit(1))).collect().map_err(engine_err)?;
    if dups.height() > 0 {
        let unit_ids = read_u32(&dups, "unit")?;
        let items = read_u32(&dups, "line_item")?;
        let scens = read_u32(&dups, "scenario")?;
        let years = read_i32(&dups, "year")?;
        let mins = read_decimals(&dups, "amin")?;
        let maxs = read_decimals(&dups, "amax")?;
        type Key = (u32, u32, u32, i32);
        let key_of = |i: usize| -> Key {
            (unit_ids[i].unwrap_or(0), items[i].unwrap_or(0), scens[i].unwrap_or(0), years[i].unwrap_or(0))
        };
        let wanted: HashSet<Key> = (0..dups.height()).map(key_of).collect();
        let mut cells: HashMap<Key, Vec<&Figure>> = HashMap::new();
        for f in figures {
            let k = (units.id(&f.unit).unwrap_or(0), f.line_item.index(), f.scenario.index(), f.year);
            if wanted.contains(&k) {
                cells.entry(k).or_default().push(f);
            }
        }
        for i in 0..dups.height() {
            let key = key_of(i);
            let (li, sc) = (LineItem::from_index(key.1), Scenario::from_index(key.2));
            let given = cells.get(&key).cloned().unwrap_or_default();
            // Figures that agree within the coarser one's rounding unit are one figure: a summary in 1 000 €
            // beside a table in euros, whose figures (a variance, a budget after changes) it may have worked
            // out from its own rounded figures, a unit off.
            let differ = mins[i] != maxs[i]
                && given.iter().enumerate().any(|(a, fa)| {
                    given[a + 1..].iter().any(|fb| {
                        let tol = super::build::ulp(fa).max(super::build::ulp(fb));
                        (fa.amount - fb.amount).abs() > tol
                    })
                });
            let first = given.first().map(|f| f.amount);
            let other = given.iter().map(|f| f.amount).find(|a| Some(*a) != first);
            findings.push(Finding {
                severity: if differ { Severity::Error } else { Severity::Info },
                rule: Rule::Duplicate,
                unit: units.name(key.0).to_string(),
                line_item: li,
                scenario: sc,
                year: Some(key.3),
                expected: first,
                actual: if differ { other } else { first },
                difference: match (first, other) {
                    (Some(a), Some(b)) if differ => Some(b - a),
                    _ => Some(Decimal::ZERO),
                },
                sources: given.iter().map(|f| f.source.to_string()).collect(),
                notes: vec![Note::Given {
                    values: given.iter().map(|f| Given { amount: f.amount, source: f.source.to_string() }).collect(),
                }],
                explained_by: None,
            });
        }
    }
    let df = grouped.drop_many(["amin", "amax", "n"]);
    Ok(Dedup { df, scale: facts.scale })
}

/// Columns a check frame gives: unit, line_item, scenario, year, expected, actual, diff, tol, src, srcs.
pub(super) struct CheckRows {
    pub units: Vec<String>,
    pub items: Vec<Option<LineItem>>,
    pub scens: Vec<Option<Scenario>>,
    pub years: Vec<Option<i32>>,
    pub expected: Vec<Option<Decimal>>,
    pub actual: Vec<Option<Decimal>>,
    pub diff: Vec<Option<Decimal>>,
    pub tol: Vec<Option<Decimal>>,
    pub sources: Vec<Vec<String>>,
}

pub(super) fn read_checks(
    df: &DataFrame,
    figures: &[Figure],
    units: &UnitInfo,
    src_cols: &[&str],
    list_col: Option<&str>,
) -> Result<CheckRows> {
    let mut sources: Vec<Vec<String>> = vec![Vec::new(); df.height()];
    for c in src_cols {
        for (i, s) in read_u32(df, c)?.into_iter().enumerate() {
            sources[i].extend(source(figures, s));
        }
    }
    if let Some(l) = list_col {
        for (i, v) in read_src_lists(df, l, figures)?.into_iter().enumerate() {
            for s in v {
                if !sources[i].contains(&s) {
                    sources[i].push(s);
                }
            }
        }
    }
    Ok(CheckRows {
        units: read_u32(df, "unit")?.into_iter().map(|u| units.name(u.unwrap_or(0)).to_string()).collect(),
        items: read_u32(df, "line_item")?.into_iter().map(|i| i.and_then(LineItem::from_index)).collect(),
        scens: read_u32(df, "scenario")?.into_iter().map(|i| i.and_then(Scenario::from_index)).collect(),
        years: read_i32(df, "year")?,
        expected: read_decimals(df, "expected")?,
        actual: read_decimals(df, "actual")?,
        diff: read_decimals(df, "diff")?,
        tol: read_decimals(df, "tol")?,
        sources,
    })
}

/// One arithmetic check's result: rounding → info, beyond → error.
pub(super) struct Check {
    pub rule: Rule,
    pub unit: String,
    pub line_item: Option<LineItem>,
    pub scenario: Option<Scenario>,
    pub year: Option<i32>,
    pub expected: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub diff: Decimal,
    pub tol: Decimal,
    pub sources: Vec<String>,
}

impl Check {
    pub fn finding(self) -> Finding {
        let rounding = within_rounding(self.diff, self.tol);
        Finding {
            severity: if rounding { Severity::Info } else { Severity::Error },
            rule: self.rule,
            unit: self.unit,
            line_item: self.line_item,
            scenario: self.scenario,
            year: self.year,
            expected: self.expected,
            actual: self.actual,
            difference: Some(self.diff),
            sources: self.sources,
            notes: Vec::new(),
            explained_by: None,
        }
    }
}

/// Turns check rows into findings.
pub(super) fn push_findings(rows: CheckRows, rule: Rule, findings: &mut Vec<Finding>) {
    for i in 0..rows.units.len() {
        let (Some(diff), Some(tol)) = (rows.diff[i], rows.tol[i]) else { continue };
        findings.push(
            Check {
                rule,
                unit: rows.units[i].clone(),
                line_item: rows.items[i],
                scenario: rows.scens[i],
                year: rows.years[i],
                expected: rows.expected[i],
                actual: rows.actual[i],
                diff,
                tol,
                sources: rows.sources[i].clone(),
            }
            .finding(),
        );
    }
}

/// One check of a printed total against its printed terms, in one column.
struct SumKey {
    sum: usize,
    unit: u32,
    scenario: Scenario,
    year: i32,
}

/// Rows naming a figure of a check: (check, unit, scenario, year, line item), column by column.
#[derive(Default)]
struct CheckCells {
    check: Vec<u32>,
    unit: Vec<u32>,
    scenario: Vec<u32>,
    year: Vec<i32>,
    line_item: Vec<u32>,
}

impl CheckCells {
    fn push(&mut self, check: u32, key: &SumKey, line_item: u32) {
        self.check.push(check);
        self.unit.push(key.unit);
        self.scenario.push(key.scenario.index());
        self.year.push(key.year);
        self.line_item.push(line_item);
    }

    fn frame(self) -> Result<DataFrame> {
        DataFrame::new(
            self.check.len(),
            vec![
                Column::new("check".into(), self.check),
                Column::new("unit".into(), self.unit),
                Column::new("scenario".into(), self.scenario),
                Column::new("year".into(), self.year),
                Column::new("line_item".into(), self.line_item),
            ],
        )
        .map_err(engine_err)
    }
}

/// The tables' sums: each printed total against the terms its table prints, in every column where the
/// total and at least one term are given. A failing check with unread rows among its terms is a warning
/// that names them and says whether they would complete it; it is never an error.
pub fn sums(
    dedup: &Dedup,
    figures: &[Figure],
    units: &UnitInfo,
    table_sums: &[TableSum],
    findings: &mut Vec<Finding>,
) -> Result<()> {
    // One check per (unit, total, terms, column); the same check from two tables counts once.
    let mut seen: HashSet<(u32, u32, Vec<u32>, u32, i32)> = HashSet::new();
    let mut keys: Vec<SumKey> = Vec::new();
    let (mut terms, mut totals) = (CheckCells::default(), CheckCells::default());
    for (k, ts) in table_sums.iter().enumerate() {
        let Some(unit) = units.id(&ts.unit) else { continue };
        let term_ids: Vec<u32> = ts.terms.iter().map(LineItem::index).collect();
        for &(scenario, year) in &ts.columns {
            if !seen.insert((unit, ts.total.index(), term_ids.clone(), scenario.index(), year)) {
                continue;
            }
            let id = keys.len() as u32;
            let key = SumKey { sum: k, unit, scenario, year };
            for &term in &term_ids {
                terms.push(id, &key, term);
            }
            totals.push(id, &key, ts.total.index());
            keys.push(key);
        }
    }
    if keys.is_empty() {
        return Ok(());
    }
    let (terms, totals) = (terms.frame()?, totals.frame()?);
    let on = || [col("unit"), col("scenario"), col("year"), col("line_item")];
    let figs = || dedup.df.clone().lazy().select([on().to_vec(), vec![col("amount"), col("ulp"), col("src")]].concat());
    let parts = terms.lazy().join(figs(), on(), on(), JoinArgs::new(JoinType::Inner)).group_by([col("check")]).agg([
        col("amount").sum().alias("expected"),
        col("ulp").sum().alias("ulp_terms"),
        col("src").alias("srcs"),
    ]);
    let df = totals
        .lazy()
        .join(figs(), on(), on(), JoinArgs::new(JoinType::Inner))
        .join(parts, [col("check")], [col("check")], JoinArgs::new(JoinType::Inner))
        .with_columns([
            col("amount").alias("actual"),
            (col("amount") - col("expected")).alias("diff"),
            (col("ulp_terms") + col("ulp")).alias("tol"),
        ])
        .filter(col("diff").neq(money_lit(Decimal::ZERO, dedup.scale)))
        .sort(["check"], SortMultipleOptions::default())
        .collect()
        .map_err(engine_err)?;
    let checks = read_u32(&df, "check")?;
    let rows = read_checks(&df, figures, units, &["src"], Some("srcs"))?;
    for (i, check_id) in checks.into_iter().enumerate() {
        let (Some(diff), Some(tol), Some(c)) = (rows.diff[i], rows.tol[i], check_id) else { continue };
        let key = &keys[c as usize];
        let ts = &table_sums[key.sum];
        let check = Check {
            rule: Rule::Sum,
            unit: units.name(key.unit).to_string(),
            line_item: Some(ts.total),
            scenario: Some(key.scenario),
            year: Some(key.year),
            expected: rows.expected[i],
            actual: rows.actual[i],
            diff,
            tol,
            sources: rows.sources[i].clone(),
        };
        if ts.unread.is_empty() || within_rounding(diff, tol) {
            findings.push(check.finding());
        } else {
            findings.push(unread_warning(check, &ts.unread, key.scenario, key.year));
        }
    }
    Ok(())
}

/// A failing sum whose table has rows that could not be read among the terms: a warning that names them
/// and says whether adding them makes the sum hold.
fn unread_warning(check: Check, unread: &[Unread], scenario: Scenario, year: i32) -> Finding {
    let in_column: Vec<Decimal> = unread
        .iter()
        .flat_map(|u| u.values.iter().filter(|(s, y, _)| *s == scenario && *y == year).map(|(_, _, v)| *v))
        .collect();
    let added = in_column.iter().try_fold(Decimal::ZERO, |a, b| a.checked_add(*b));
    // A row none of whose figures could be read may or may not complete it: that is not said.
    let unknown = unread.iter().any(|u| u.any_column);
    let completes =
        !unknown && added.and_then(|a| check.diff.checked_sub(a)).is_some_and(|rest| within_rounding(rest, check.tol));
    let mut f = check.finding();
    f.severity = Severity::Warning;
    f.notes.push(Note::Unread {
        rows: unread.iter().map(|u| RowRef { label: u.label.clone(), source: u.source.clone() }).collect(),
        completes,
    });
    f.sources.extend(unread.iter().map(|u| u.source.clone()));
    f
}

/// Revenues below zero and costs above zero, in budgets, actuals and plans.
pub fn signs(dedup: &Dedup, figures: &[Figure], units: &UnitInfo, findings: &mut Vec<Finding>) -> Result<()> {
    let zero = || money_lit(Decimal::ZERO, dedup.scale);
    let is = |sc: Scenario| col("scenario").eq(lit(sc.index()));
    let scen = is(Scenario::Ta).or(is(Scenario::TaMuutettu)).or(is(Scenario::Tp)).or(is(Scenario::Ts));
    let wrong = col("kind")
        .eq(lit(REVENUE))
        .and(col("amount").lt(zero()))
        .or(col("kind").eq(lit(COST)).and(col("amount").gt(zero())));
    let df = dedup.df.clone().lazy().filter(scen.and(wrong)).collect().map_err(engine_err)?;
    let unit_ids = read_u32(&df, "unit")?;
    let items = read_u32(&df, "line_item")?;
    let scens = read_u32(&df, "scenario")?;
    let years = read_i32(&df, "year")?;
    let amounts = read_decimals(&df, "amount")?;
    let srcs = read_u32(&df, "src")?;
    for i in 0..df.height() {
        let li = items[i].and_then(LineItem::from_index);
        let sc = scens[i].and_then(Scenario::from_index);
        findings.push(Finding {
            severity: Severity::Warning,
            rule: Rule::Sign,
            unit: units.name(unit_ids[i].unwrap_or(0)).to_string(),
            line_item: li,
            scenario: sc,
            year: years[i],
            expected: None,
            actual: amounts[i],
            difference: None,
            sources: source(figures, srcs[i]).into_iter().collect(),
            notes: Vec::new(),
            explained_by: None,
        });
    }
    Ok(())
}
