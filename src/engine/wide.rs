//! The wide table: one row per unit, line item and year with every scenario side by side, the computed
//! budget after changes, variance, percentages and change from the previous year; and the two checks that
//! need a whole row (ta_muutettu = ta + ta_muutokset, reported poikkeama = tp − ta_muutettu).

use super::build::UnitInfo;
use super::checks::{source, Check, Dedup};
use super::finding::{within_rounding, Finding, Note, Rule, Severity};
use super::frame::*;
use super::Row;
use crate::error::Result;
use crate::model::{Figure, LineItem, Scenario};
use polars::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

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
    tracing::debug!(seconds = t0.elapsed().as_secs_f64(), "engine: wide (pivot)");
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
    // Blank counts as 0 in a year whose table compares budget and actuals; a year with actuals only (last
    // year's TP beside this year's budget) has no variance at all.
    let year_has_tp = base.clone().group_by([col("unit"), col("year")]).agg([
        col("tp").is_not_null().any(true).alias("year_has_tp"),
        col("tam_eff").is_not_null().any(true).alias("year_has_budget"),
    ]);
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
                .when(
                    col("year_has_tp")
                        .and(col("year_has_budget"))
                        .and(col("tp").is_not_null().or(col("tam_eff").is_not_null())),
                )
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
            (col("ennusteen_poikkeama") - (col("ennuste") - col("tam_eff"))).alias("diff_epoik"),
            (f0("ulp_ennusteen_poikkeama")
                + f0("ulp_ennuste")
                + when(col("ta_muutettu").is_not_null())
                    .then(f0("ulp_ta_muutettu"))
                    .otherwise(f0("ulp_ta") + f0("ulp_ta_muutokset")))
            .alias("tol_epoik"),
        ])
        .sort(["unit", "line_item", "year"], SortMultipleOptions::default())
        .collect()
        .map_err(engine_err)?;
    tracing::debug!(seconds = t0.elapsed().as_secs_f64(), "engine: wide (polars part)");

    let unit: Vec<String> =
        read_u32(&df, "unit")?.into_iter().map(|u| units.name(u.unwrap_or(0)).to_string()).collect();
    let item = read_u32(&df, "line_item")?;
    let year = read_i32(&df, "year")?;
    let get = |c: &str| read_decimals(&df, c);
    let (ta, tam_ch, tam, tp, ts, poik) =
        (get("ta")?, get("ta_muutokset")?, get("ta_muutettu")?, get("tp")?, get("ts")?, get("poikkeama")?);
    let (ennuste, ehdotus, ylitysoikeus) = (get("ennuste")?, get("ehdotus")?, get("ylitysoikeus")?);
    let kausi = get("toteuma_kausi")?;
    let (tam_eff, tam_calc, variance, tp_change) =
        (get("tam_eff")?, get("tam_calc")?, get("variance")?, get("tp_change")?);
    let (diff_tam, tol_tam, diff_poik, tol_poik) =
        (get("diff_tam")?, get("tol_tam")?, get("diff_poik")?, get("tol_poik")?);
    let (epoik, diff_epoik, tol_epoik) = (get("ennusteen_poikkeama")?, get("diff_epoik")?, get("tol_epoik")?);
    let tam_computed = read_bool(&df, "tam_computed")?;
    let rolled_up = read_bool(&df, "rolled_up")?;
    let src: Vec<Vec<Option<u32>>> =
        Scenario::ALL.iter().map(|sc| read_u32(&df, &format!("src_{}", sc.id()))).collect::<Result<_>>()?;

    // The files and years that give changes: a blank changes cell there is 0; where a file gives no changes
    // at all (its budget after changes beside the original budget), they are unknown, and there is no sum of
    // budget and changes to check.
    let changes_given: std::collections::HashSet<(&str, i32)> = figures
        .iter()
        .filter(|f| f.scenario == Scenario::TaMuutokset)
        .map(|f| (f.source.file.as_str(), f.year))
        .collect();
    let unit_ids = read_u32(&df, "unit")?;
    let mut rows = Vec::with_capacity(df.height());
    let mut keys = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let Some(li) = item[i].and_then(LineItem::from_index) else { continue };
        let y = year[i].unwrap_or(0);
        let row_src: [Option<u32>; Scenario::COUNT] = std::array::from_fn(|k| src[k][i]);
        let cells = |scs: &[Scenario]| -> Vec<String> {
            scs.iter().filter_map(|sc| source(figures, row_src[sc.index() as usize])).collect()
        };
        let mut variance_differs = false;
        let row_check = |rule, scenario, expected, actual, diff, tol, sources| Check {
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
        };
        let changes_known = tam_ch[i].is_some()
            || [Scenario::TaMuutettu, Scenario::Ta].iter().any(|sc| {
                row_src[sc.index() as usize]
                    .and_then(|k| figures.get(k as usize))
                    .is_some_and(|f| changes_given.contains(&(f.source.file.as_str(), y)))
            });
        if let (Some(d), Some(t), true) = (diff_tam[i], tol_tam[i], changes_known) {
            if !d.is_zero() {
                let sources = cells(&[Scenario::TaMuutettu, Scenario::Ta, Scenario::TaMuutokset]);
                findings.push(
                    row_check(Rule::TaMuutettu, Scenario::TaMuutettu, tam_calc[i], tam[i], d, t, sources).finding(),
                );
            }
        }
        if let (Some(d), Some(t)) = (diff_poik[i], tol_poik[i]) {
            if !d.is_zero() {
                variance_differs = !within_rounding(d, t);
                let sources = cells(&[Scenario::Poikkeama, Scenario::Tp, Scenario::TaMuutettu, Scenario::Ta]);
                findings.push(
                    row_check(Rule::Poikkeama, Scenario::Poikkeama, variance[i], poik[i], d, t, sources).finding(),
                );
            }
        }
        // A printed forecast variance: forecast − budget after changes. Printed the other way round (budget −
        // forecast, as some towns print a cost's) it is a warning naming the convention, not an error.
        if let (Some(d), Some(t)) = (diff_epoik[i], tol_epoik[i]) {
            if !d.is_zero() {
                let sources = cells(&[Scenario::EnnusteenPoikkeama, Scenario::Ennuste, Scenario::TaMuutettu]);
                let expected = ennuste[i].zip(tam_eff[i]).and_then(|(e, b)| e.checked_sub(b));
                let mut f =
                    row_check(Rule::ForecastVariance, Scenario::EnnusteenPoikkeama, expected, epoik[i], d, t, sources)
                        .finding();
                let turned =
                    expected.zip(epoik[i]).and_then(|(x, p)| x.checked_add(p)).is_some_and(|s| within_rounding(s, t));
                if turned && f.severity == Severity::Error {
                    f.severity = Severity::Warning;
                    f.notes.push(Note::OppositeSign);
                }
                findings.push(f);
            }
        }
        let pct = |num: Option<Decimal>, den: Option<Decimal>| -> Option<f64> {
            let (n, d) = (num?, den?);
            if d.is_zero() {
                return None;
            }
            (n.checked_div(d)? * Decimal::ONE_HUNDRED).to_f64()
        };
        keys.push((unit_ids[i], li, y));
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
            ennuste: ennuste[i],
            ehdotus: ehdotus[i],
            ylitysoikeus: ylitysoikeus[i],
            kausi: kausi[i],
            poikkeama_reported: poik[i],
            variance: variance[i],
            variance_differs,
            // Of the variance every report shows (the reported one where it agrees within rounding).
            variance_pct: pct(
                if variance_differs || variance[i].is_none() { variance[i] } else { poik[i].or(variance[i]) },
                tam_eff[i].map(|d| d.abs()),
            ),
            realisation_pct: pct(tp[i], tam_eff[i]),
            tp_change: tp_change[i],
            rolled_up: rolled_up[i],
            summed: row_src.iter().flatten().any(|&k| figures.get(k as usize).is_some_and(|f| f.source.is_sum())),
            src: row_src,
        });
    }
    // Print order of the line items: the frame sorts by scheme index, which puts items a scheme file adds
    // after the default ones; the stable sort keeps units and years as the frame has them.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    let rows = order.into_iter().filter_map(|i| slots[i].take()).collect();
    tracing::debug!(seconds = t0.elapsed().as_secs_f64(), "engine: wide (rows built)");
    Ok(rows)
}
