//! The checks over the long frame: duplicates, the scheme's sums, signs, budget after changes and the
//! reported variance; the wide per-row table with the computed figures; binding appropriations.

use super::build::{Facts, UnitInfo, COST, REVENUE};
use super::finding::{within_rounding, Finding, Rule, Severity};
use super::frame::*;
use super::{Binding, Row};
use crate::error::Result;
use crate::ingest::number::format_fi;
use crate::model::{Figure, LineItem, Org, Scenario, SUMS};
use polars::prelude::*;
use rust_decimal::prelude::ToPrimitive;
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

pub fn fmt(d: Decimal) -> String {
    format_fi(d, " ")
}

pub(super) fn li_label(li: Option<LineItem>) -> String {
    li.map(|l| l.label("fi")).unwrap_or_default()
}

/// Source text of figure `src`.
fn source(figures: &[Figure], src: Option<u32>) -> Option<String> {
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
            let differ = mins[i] != maxs[i];
            let listed: Vec<String> = given.iter().map(|f| format!("{} ({})", fmt(f.amount), f.source)).collect();
            let first = given.first().map(|f| f.amount);
            let other = given.iter().map(|f| f.amount).find(|a| Some(*a) != first);
            let what = format!("{} ({} {})", li_label(li), sc.map_or("", |s| s.id()), key.3);
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
                message: if differ {
                    format!(
                        "{what} on annettu useammin kuin kerran eri luvuin: {}. Ensimmäinen on käytetty.",
                        listed.join(", ")
                    )
                } else {
                    format!("{what} on annettu kahdesti samana lukuna: {}.", listed.join(", "))
                },
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
    /// What was checked, e.g. "Toimintakulut (tp 2024): rivien summa ei täsmää".
    pub head: String,
}

impl Check {
    pub fn finding(self) -> Finding {
        let rounding = within_rounding(self.diff, self.tol);
        let exp = self.expected.map(fmt).unwrap_or_default();
        let act = self.actual.map(fmt).unwrap_or_default();
        let note = if rounding { " (pyöristysero)" } else { "" };
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
            message: format!("{}: odotettu {exp}, taulukossa {act}, ero {}{note}.", self.head, fmt(self.diff)),
            explained_by: None,
        }
    }
}

/// Turns check rows into findings.
pub(super) fn push_findings(
    rows: CheckRows,
    rule: Rule,
    findings: &mut Vec<Finding>,
    what: impl Fn(&CheckRows, usize) -> String,
) {
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
                head: what(&rows, i),
            }
            .finding(),
        );
    }
}

pub(super) fn scen_year(rows: &CheckRows, i: usize) -> String {
    format!("{} {}", rows.scens[i].map_or("", |s| s.id()), rows.years[i].map(|y| y.to_string()).unwrap_or_default())
}

/// The scheme's sums, wherever the total and at least one term are reported.
pub fn sums(dedup: &Dedup, figures: &[Figure], units: &UnitInfo, findings: &mut Vec<Finding>) -> Result<()> {
    let (mut term, mut total) = (Vec::new(), Vec::new());
    for rule in SUMS {
        for t in rule.terms {
            term.push(LineItem::new(*t).index());
            total.push(LineItem::new(rule.total).index());
        }
    }
    let n = term.len();
    let terms = DataFrame::new(n, vec![Column::new("term".into(), term), Column::new("total".into(), total)])
        .map_err(engine_err)?;
    let keys = || [col("unit"), col("scenario"), col("year"), col("total")];
    // Every term figure with the total it belongs to.
    let parts = dedup
        .df
        .clone()
        .lazy()
        .join(terms.lazy(), [col("line_item")], [col("term")], JoinArgs::new(JoinType::Inner))
        .select([col("unit"), col("scenario"), col("year"), col("total"), col("amount"), col("ulp"), col("src")])
        .collect()
        .map_err(engine_err)?;
    let totals = dedup.df.clone().lazy().select([
        col("unit"),
        col("scenario"),
        col("year"),
        col("line_item").alias("total"),
        col("amount").alias("actual"),
        col("ulp").alias("ulp_total"),
        col("src"),
    ]);
    let failing = parts
        .clone()
        .lazy()
        .group_by(keys())
        .agg([col("amount").sum().alias("expected"), col("ulp").sum().alias("ulp_terms")])
        .join(totals, keys(), keys(), JoinArgs::new(JoinType::Inner))
        .with_columns([
            (col("actual") - col("expected")).alias("diff"),
            (col("ulp_terms") + col("ulp_total")).alias("tol"),
        ])
        .filter(col("diff").neq(money_lit(Decimal::ZERO, dedup.scale)))
        .collect()
        .map_err(engine_err)?;
    // The terms' cells, for the failing checks only.
    let term_cells = failing
        .clone()
        .lazy()
        .select(keys())
        .join(parts.lazy(), keys(), keys(), JoinArgs::new(JoinType::Inner))
        .group_by(keys())
        .agg([col("src").alias("srcs")]);
    let df = failing
        .lazy()
        .join(term_cells, keys(), keys(), JoinArgs::new(JoinType::Left))
        .with_column(col("total").alias("line_item"))
        .collect()
        .map_err(engine_err)?;
    let rows = read_checks(&df, figures, units, &["src"], Some("srcs"))?;
    push_findings(rows, Rule::Sum, findings, |r, i| {
        format!("{} ({}): rivien summa ei täsmää", li_label(r.items[i]), scen_year(r, i))
    });
    Ok(())
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
        let revenue = li.is_some_and(|l| l.item.kind() == crate::model::Kind::Revenue);
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
            message: format!(
                "{} ({} {}) on {}: {}. Tuotot ovat positiivisia ja kulut negatiivisia.",
                li_label(li),
                sc.map_or("", |s| s.id()),
                years[i].unwrap_or(0),
                if revenue { "negatiivinen tuottorivi" } else { "positiivinen kulurivi" },
                amounts[i].map(fmt).unwrap_or_default()
            ),
            explained_by: None,
        });
    }
    Ok(())
}

/// Pivots the effective figures (reported and rolled up) to one row per unit, line item and year;
/// computes the budget after changes, variance, realisation and change from the previous year; checks
/// ta_muutettu = ta + ta_muutokset and the reported poikkeama = tp − ta_muutettu.
pub fn wide(effective: &Dedup, figures: &[Figure], units: &UnitInfo, findings: &mut Vec<Finding>) -> Result<Vec<Row>> {
    let t0 = std::time::Instant::now();
    let s = effective.scale;
    let zero = || money_lit(Decimal::ZERO, s);
    let f0 = |c: &str| col(c).fill_null(zero());
    // Pivot: one row per (unit, line item, year), a column per scenario. Each scenario's figures (at
    // most one per key after deduplication) are left-joined onto the keys on one packed integer key.
    let eff = effective
        .df
        .clone()
        .lazy()
        .with_column(packed_key(col("unit"), col("line_item"), lit(0i64), col("year")).alias("key"))
        .collect()
        .map_err(engine_err)?;
    let mut base = eff.clone().lazy().group_by([col("key")]).agg([
        col("unit").first(),
        col("line_item").first(),
        col("year").first(),
        col("computed").any(true).alias("rolled_up"),
    ]);
    for sc in Scenario::ALL {
        let id = sc.id();
        let part = eff.clone().lazy().filter(col("scenario").eq(lit(sc.index()))).select([
            col("key"),
            col("amount").alias(id),
            col("ulp").alias(format!("ulp_{id}")),
            col("src").alias(format!("src_{id}")),
        ]);
        base = base.join(part, [col("key")], [col("key")], JoinArgs::new(JoinType::Left));
    }
    let base = base.collect().map_err(engine_err)?;
    if std::env::var_os("POIKKEAMA_TIMING").is_some() {
        eprintln!("wide (pivot) {:.3} s", t0.elapsed().as_secs_f64());
    }
    let base = base
        .lazy()
        .with_columns([col("ta").is_not_null().or(col("ta_muutokset").is_not_null()).alias("has_ta")])
        .with_columns([when(col("has_ta"))
            .then(f0("ta") + f0("ta_muutokset"))
            .otherwise(lit(NULL).cast(money(s)))
            .alias("tam_calc")])
        .with_columns([
            when(col("ta_muutettu").is_not_null()).then(col("ta_muutettu")).otherwise(col("tam_calc")).alias("tam_eff"),
            col("ta_muutettu").is_null().and(col("has_ta")).alias("tam_computed"),
        ]);
    let year_has_tp =
        base.clone().group_by([col("unit"), col("year")]).agg([col("tp").is_not_null().any(true).alias("year_has_tp")]);
    let prev = base.clone().select([
        col("unit"),
        col("line_item"),
        (col("year") + lit(1)).alias("year"),
        col("tp").alias("tp_prev"),
    ]);
    let df = base
        .join(year_has_tp, [col("unit"), col("year")], [col("unit"), col("year")], JoinArgs::new(JoinType::Left))
        .join(
            prev,
            [col("unit"), col("line_item"), col("year")],
            [col("unit"), col("line_item"), col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            when(col("tp").is_not_null().and(col("tam_eff").is_not_null()))
                .then(col("tp") - col("tam_eff"))
                .when(col("year_has_tp").and(col("tp").is_not_null().or(col("tam_eff").is_not_null())))
                .then(f0("tp") - f0("tam_eff"))
                .otherwise(lit(NULL).cast(money(s)))
                .alias("variance"),
            when(col("tp").is_not_null().and(col("tp_prev").is_not_null()))
                .then(col("tp") - col("tp_prev"))
                .otherwise(lit(NULL).cast(money(s)))
                .alias("tp_change"),
            (col("ta_muutettu") - col("tam_calc")).alias("diff_tam"),
            (f0("ulp_ta") + f0("ulp_ta_muutokset") + f0("ulp_ta_muutettu")).alias("tol_tam"),
        ])
        .with_columns([
            (col("poikkeama") - col("variance")).alias("diff_poik"),
            (f0("ulp_poikkeama")
                + f0("ulp_tp")
                + when(col("ta_muutettu").is_not_null())
                    .then(f0("ulp_ta_muutettu"))
                    .otherwise(f0("ulp_ta") + f0("ulp_ta_muutokset")))
            .alias("tol_poik"),
        ])
        .sort(["unit", "line_item", "year"], SortMultipleOptions::default())
        .collect()
        .map_err(engine_err)?;
    if std::env::var_os("POIKKEAMA_TIMING").is_some() {
        eprintln!("wide (polars part) {:.3} s", t0.elapsed().as_secs_f64());
    }

    let unit: Vec<String> =
        read_u32(&df, "unit")?.into_iter().map(|u| units.name(u.unwrap_or(0)).to_string()).collect();
    let item = read_u32(&df, "line_item")?;
    let year = read_i32(&df, "year")?;
    let get = |c: &str| read_decimals(&df, c);
    let (ta, tam_ch, tam, tp, ts, poik) =
        (get("ta")?, get("ta_muutokset")?, get("ta_muutettu")?, get("tp")?, get("ts")?, get("poikkeama")?);
    let (tam_eff, tam_calc, variance, tp_change) =
        (get("tam_eff")?, get("tam_calc")?, get("variance")?, get("tp_change")?);
    let (diff_tam, tol_tam, diff_poik, tol_poik) =
        (get("diff_tam")?, get("tol_tam")?, get("diff_poik")?, get("tol_poik")?);
    let tam_computed = read_bool(&df, "tam_computed")?;
    let rolled_up = read_bool(&df, "rolled_up")?;
    let src: Vec<Vec<Option<u32>>> =
        Scenario::ALL.iter().map(|sc| read_u32(&df, &format!("src_{}", sc.id()))).collect::<Result<_>>()?;

    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let Some(li) = item[i].and_then(LineItem::from_index) else { continue };
        let y = year[i].unwrap_or(0);
        let row_src: [Option<u32>; 6] = std::array::from_fn(|k| src[k][i]);
        let cells = |scs: &[Scenario]| -> Vec<String> {
            scs.iter().filter_map(|sc| source(figures, row_src[sc.index() as usize])).collect()
        };
        let mut variance_differs = false;
        let label = li.label("fi");
        let row_check = |rule, scenario, expected, actual, diff, tol, sources, what: &str| Check {
            rule,
            unit: unit[i].clone(),
            line_item: Some(li),
            scenario: Some(scenario),
            year: Some(y),
            expected,
            actual,
            diff,
            tol,
            sources,
            head: format!("{label} {y}: {what}"),
        };
        if let (Some(d), Some(t)) = (diff_tam[i], tol_tam[i]) {
            if !d.is_zero() {
                let sources = cells(&[Scenario::TaMuutettu, Scenario::Ta, Scenario::TaMuutokset]);
                let what = "TA muutosten jälkeen ei ole TA + muutokset";
                findings.push(
                    row_check(Rule::TaMuutettu, Scenario::TaMuutettu, tam_calc[i], tam[i], d, t, sources, what)
                        .finding(),
                );
            }
        }
        if let (Some(d), Some(t)) = (diff_poik[i], tol_poik[i]) {
            if !d.is_zero() {
                variance_differs = !within_rounding(d, t);
                let sources = cells(&[Scenario::Poikkeama, Scenario::Tp, Scenario::TaMuutettu, Scenario::Ta]);
                let what = "poikkeama ei ole TP − TA muutosten jälkeen";
                findings.push(
                    row_check(Rule::Poikkeama, Scenario::Poikkeama, variance[i], poik[i], d, t, sources, what)
                        .finding(),
                );
            }
        }
        let pct = |num: Option<Decimal>, den: Option<Decimal>| -> Option<f64> {
            let (n, d) = (num?, den?);
            if d.is_zero() {
                return None;
            }
            (n.checked_div(d)? * Decimal::ONE_HUNDRED).to_f64()
        };
        rows.push(Row {
            unit: unit[i].clone(),
            line_item: li,
            year: y,
            ta: ta[i],
            ta_muutokset: tam_ch[i],
            ta_muutettu: tam_eff[i],
            ta_muutettu_computed: tam_computed[i],
            tp: tp[i],
            ts: ts[i],
            poikkeama_reported: poik[i],
            variance: variance[i],
            variance_differs,
            variance_pct: pct(variance[i], tam_eff[i].map(|d| d.abs())),
            realisation_pct: pct(tp[i], tam_eff[i]),
            tp_change: tp_change[i],
            rolled_up: rolled_up[i],
            src: row_src,
        });
    }
    if std::env::var_os("POIKKEAMA_TIMING").is_some() {
        eprintln!("wide (rows built) {:.3} s", t0.elapsed().as_secs_f64());
    }
    Ok(rows)
}

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
                let pct = row.variance_pct;
                let pct_text = pct.map(|p| format!(" ({:.1} %)", p.abs()).replace('.', ",")).unwrap_or_default();
                let message = if overrun {
                    format!(
                        "Sitova määräraha ({}) {}: ylitys {} €{pct_text}. TP {}, TA muutosten jälkeen {}.",
                        li.label("fi").to_lowercase(),
                        row.year,
                        fmt(-variance),
                        fmt(tp),
                        fmt(tam)
                    )
                } else {
                    format!(
                        "Sitova määräraha ({}) {} piti: {} € parempi kuin talousarvio{pct_text}. TP {}, TA muutosten jälkeen {}.",
                        li.label("fi").to_lowercase(),
                        row.year,
                        fmt(variance),
                        fmt(tp),
                        fmt(tam)
                    )
                };
                findings.push(Finding {
                    severity: if overrun { Severity::Warning } else { Severity::Info },
                    rule: if overrun { Rule::BindingOverrun } else { Rule::BindingWithin },
                    unit: unit.name.clone(),
                    line_item: Some(*li),
                    scenario: Some(Scenario::Tp),
                    year: Some(row.year),
                    expected: Some(tam),
                    actual: Some(tp),
                    difference: Some(tp - tam),
                    sources: [Scenario::Tp, Scenario::TaMuutettu]
                        .iter()
                        .filter_map(|sc| source(figures, row.src[sc.index() as usize]))
                        .collect(),
                    message,
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
                });
            }
        }
    }
    out
}
