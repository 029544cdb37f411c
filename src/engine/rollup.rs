//! Rollups up the org tree, at every depth: a parent's figure is checked against the sum of its
//! children's where it is reported, and computed from them where it is not. Root causes: a parent's
//! rollup error that a child's (or its own) error explains says so.

use super::build::UnitInfo;
use super::checks::{push_findings, read_checks, Dedup};
use super::finding::{Cause, Finding, Note, Part, RowRef, Rule, Severity};
use super::frame::*;
use crate::error::Result;
use crate::model::{Figure, LineItem, Scenario, TableSum};
use polars::prelude::*;
use rust_decimal::Decimal;

fn key_cols() -> [Expr; 4] {
    [col("unit"), col("line_item"), col("scenario"), col("year")]
}

/// Returns the effective figures: reported ones plus the rolled-up figures of parents that report none
/// (marked `computed`). Rollup differences become findings.
pub fn rollups(dedup: &Dedup, units: &UnitInfo, figures: &[Figure], findings: &mut Vec<Finding>) -> Result<Dedup> {
    let s = dedup.scale;
    // A figure: its key, amount, rounding unit and cell; the effective frame adds its place in the tree.
    let figure = || [key_cols().to_vec(), vec![col("amount"), col("ulp"), col("src")]].concat();
    let cols = || [figure(), vec![col("depth"), col("parent"), col("computed")]].concat();
    let eff = dedup
        .df
        .clone()
        .lazy()
        .with_column(lit(false).alias("computed"))
        .select(cols())
        .collect()
        .map_err(engine_err)?;
    let unit_frames = units.frames_by_depth()?;
    // From the deepest level any figure is on (the levels below hold nothing to roll up: an org 3 000 deep with
    // figures at its top took a polars pass for every empty level).
    let deepest = eff
        .column("depth")
        .ok()
        .and_then(|c| c.as_materialized_series().i32().ok().and_then(|ca| ca.max()))
        .unwrap_or(0)
        .min(units.max_depth());
    // The figures split by depth once, each level's computed figures added to the level above: every pass reads
    // its two levels only (filtering the whole growing frame at each level was quadratic in an org's depth).
    let mut levels = by_depth(&eff, deepest.max(0) as usize + 1)?;
    for depth in (1..=deepest).rev() {
        let (d, up) = (depth as usize, depth as usize - 1);
        if levels[d].height() == 0 {
            continue;
        }
        let kids = levels[d]
            .clone()
            .lazy()
            .filter(col("parent").is_not_null())
            .group_by([col("parent"), col("line_item"), col("scenario"), col("year")])
            .agg([col("amount").sum().alias("child_sum"), col("ulp").sum().alias("child_ulp")])
            .rename(["parent"], ["unit"], true);
        let level = levels[up].clone().lazy().select(figure());
        let joined =
            kids.join(level, key_cols(), key_cols(), JoinArgs::new(JoinType::Left)).collect().map_err(engine_err)?;
        // Parents with figures of their own are checked against their children's sum (in a chain whose figures are
        // at its leaf, none are: no pass to make).
        let given = joined.column("amount").map_err(engine_err)?.null_count() < joined.height();
        if given {
            let checks = joined
                .clone()
                .lazy()
                .filter(col("amount").is_not_null())
                .with_columns([
                    col("child_sum").alias("expected"),
                    col("amount").alias("actual"),
                    (col("amount") - col("child_sum")).alias("diff"),
                    (col("ulp") + col("child_ulp")).alias("tol"),
                ])
                .filter(col("diff").neq(money_lit(Decimal::ZERO, s)))
                .collect()
                .map_err(engine_err)?;
            // The children's cells, for the failing checks only (most levels have none: no join to make).
            if checks.height() > 0 {
                let child_cells = checks
                    .clone()
                    .lazy()
                    .select(key_cols())
                    .join(
                        levels[d].clone().lazy().select([
                            col("parent").alias("unit"),
                            col("line_item"),
                            col("scenario"),
                            col("year"),
                            col("src"),
                        ]),
                        key_cols(),
                        key_cols(),
                        JoinArgs::new(JoinType::Inner),
                    )
                    .group_by(key_cols())
                    .agg([col("src").alias("srcs")]);
                let checks = checks
                    .lazy()
                    .join(child_cells, key_cols(), key_cols(), JoinArgs::new(JoinType::Left))
                    .collect()
                    .map_err(engine_err)?;
                let rows = read_checks(&checks, figures, units, &["src"], Some("srcs"))?;
                push_findings(rows, Rule::Rollup, findings);
            }
        }
        let computed = joined
            .lazy()
            .filter(col("amount").is_null())
            .select([
                col("unit"),
                col("line_item"),
                col("scenario"),
                col("year"),
                col("child_sum").alias("amount"),
                col("child_ulp").alias("ulp"),
                lit(NULL).cast(DataType::UInt32).alias("src"),
                lit(depth - 1).alias("depth"),
            ])
            .join(unit_frames[up].clone().lazy(), [col("unit")], [col("unit")], JoinArgs::new(JoinType::Left))
            .with_column(lit(true).alias("computed"))
            .select(cols());
        levels[up] = concat([levels[up].clone().lazy(), computed], UnionArgs::default())
            .map_err(engine_err)?
            .collect()
            .map_err(engine_err)?;
    }
    // The figures as they came, then the computed ones deepest first, as the passes added them: appended level by
    // level and made one chunk (a lazy union of every level was a plan as deep as the org, and a frame of one chunk
    // per level made every later join on it quadratic in the depth: 11 s for the pivot of a 10 000-deep chain).
    let mut df = eff;
    for level in levels.iter().rev() {
        let computed = level.column("computed").and_then(|c| c.bool().cloned()).map_err(engine_err)?;
        let computed = level.filter(&computed).map_err(engine_err)?;
        df.vstack_mut(&computed).map_err(engine_err)?;
    }
    df.rechunk_mut();
    Ok(Dedup { df, scale: s })
}

/// The frame's rows split by their `depth` column into `n` frames (depth 0 … n − 1), each in the frame's order.
fn by_depth(df: &DataFrame, n: usize) -> Result<Vec<DataFrame>> {
    let mut rows: Vec<Vec<IdxSize>> = vec![Vec::new(); n];
    for (i, d) in read_u32(df, "depth")?.into_iter().enumerate() {
        if let Some(d) = d.map(|d| d as usize).filter(|d| *d < n) {
            rows[d].push(i as IdxSize);
        }
    }
    rows.into_iter().map(|r| df.take(&IdxCa::from_vec("idx".into(), r)).map_err(engine_err)).collect()
}

/// Do two line items belong to one sum (the same item, or a total and one of its terms)?
fn related(a: crate::model::LineItem, b: crate::model::LineItem) -> bool {
    a.of_which_internal == b.of_which_internal
        && (a.item == b.item || a.item.sums_into() == Some(b.item) || b.item.sums_into() == Some(a.item))
}

/// Marks rollup errors that another error explains: one inside the same subtree, same year, related line
/// item and scenario (a variance follows from its actuals and budget), with the same size of difference.
pub fn explain(findings: &mut [Finding], units: &UnitInfo) {
    let errors: Vec<Finding> = findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    // Rollup errors, and errors in a variance column, which follow from errors in actuals or budgets.
    let derived =
        |f: &Finding| f.rule == Rule::Rollup || (f.rule == Rule::Sum && f.scenario == Some(Scenario::Poikkeama));
    for f in findings.iter_mut().filter(|f| f.severity == Severity::Error && derived(f)) {
        let (Some(li), Some(d)) = (f.line_item, f.difference) else { continue };
        let slack = Decimal::TWO.max(d.abs() / Decimal::ONE_HUNDRED);
        let cause = errors.iter().find(|g| {
            !derived(g)
                && g.year == f.year
                && units.is_within(&g.unit, &f.unit)
                && g.line_item.is_some_and(|gl| related(gl, li))
                && (g.scenario == f.scenario
                    || (f.scenario == Some(Scenario::Poikkeama)
                        && matches!(g.scenario, Some(Scenario::Tp | Scenario::TaMuutettu))))
                && g.difference.is_some_and(|gd| (gd.abs() - d.abs()).abs() <= slack)
        });
        if let Some(g) = cause {
            f.explained_by = Some(Cause::of(g));
        }
    }
}

/// Rollup errors that rows nobody could read may explain become warnings: a rollup of a line item in a
/// unit's subtree, where a table of a unit in that subtree has unread rows among the terms of a total
/// related to the line item (the total itself, above it or below it in the scheme), in the same column.
pub fn unconfirmed(findings: &mut [Finding], units: &UnitInfo, table_sums: &[TableSum]) {
    let with_unread: Vec<&TableSum> = table_sums.iter().filter(|t| !t.unread.is_empty()).collect();
    if with_unread.is_empty() {
        return;
    }
    for f in findings.iter_mut().filter(|f| f.severity == Severity::Error && f.rule == Rule::Rollup) {
        let (Some(li), Some(sc), Some(year)) = (f.line_item, f.scenario, f.year) else { continue };
        let cause = with_unread.iter().find(|t| {
            units.is_within(&t.unit, &f.unit)
                && (t.total.item == li.item || li.item.is_under(t.total.item) || t.total.item.is_under(li.item))
                && t.unread.iter().any(|u| u.any_column || u.values.iter().any(|(s, y, _)| *s == sc && *y == year))
        });
        if let Some(t) = cause {
            f.severity = Severity::Warning;
            f.notes.push(Note::UnreadBelow {
                unit: t.unit.clone(),
                rows: t.unread.iter().map(|u| RowRef { label: u.label.clone(), source: u.source.clone() }).collect(),
            });
        }
    }
}

/// Rollup errors where a unit below has no figure at all of that year in the inputs (its table was not
/// read, or the document has none; a blank in a table it prints counts as zero): the children's sum is not
/// all of them, so the difference is not proven. They become warnings naming those units.
pub fn silent_children(findings: &mut [Finding], units: &UnitInfo, figures: &[Figure]) {
    use std::collections::HashSet;
    let speaking: HashSet<(&str, i32)> = figures.iter().map(|f| (f.unit.as_str(), f.year)).collect();
    // Each unit with figures of a year and its ancestors are heard in that year.
    let mut heard: HashSet<(u32, i32)> = HashSet::new();
    for &(unit, year) in &speaking {
        let mut cur = units.id(unit);
        while let Some(id) = cur {
            if !heard.insert((id, year)) {
                break;
            }
            cur = units.parent_of(id);
        }
    }
    for f in findings.iter_mut().filter(|f| f.severity == Severity::Error && f.rule == Rule::Rollup) {
        let (Some(year), Some(parent)) = (f.year, units.id(&f.unit)) else { continue };
        // The topmost units of the subtree that are not heard: their parent is the unit or is heard.
        let silent: Vec<String> = (0..units.count() as u32)
            .filter(|&c| {
                let Some(p) = units.parent_of(c) else { return false };
                !heard.contains(&(c, year))
                    && (p == parent || heard.contains(&(p, year)))
                    && units.is_within(units.name(c), &f.unit)
            })
            .map(|c| units.name(c).to_string())
            .collect();
        if !silent.is_empty() {
            f.severity = Severity::Warning;
            f.notes.push(Note::SilentBelow { units: silent });
        }
    }
}

/// Rollup errors where a unit below prints only the sub-rows of the line item (wages and social costs, no
/// personnel costs) in a table whose own total did not confirm them: the children's sum lacks that unit's
/// share, so the difference is not proven. They become warnings that name the unit and its rows.
pub fn incomplete_children(findings: &mut [Finding], units: &UnitInfo, figures: &[Figure]) {
    let suspects: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].severity == Severity::Error && findings[i].rule == Rule::Rollup)
        .collect();
    if suspects.is_empty() {
        return;
    }
    use std::collections::{HashMap, HashSet};
    type Key = (LineItem, Scenario, i32);
    let wanted: HashSet<Key> = suspects
        .iter()
        .filter_map(|&i| Some((findings[i].line_item?, findings[i].scenario?, findings[i].year?)))
        .collect();
    let has: HashSet<(&str, LineItem, Scenario, i32)> =
        figures.iter().map(|f| (f.unit.as_str(), f.line_item, f.scenario, f.year)).collect();
    // Figures of units that print a sub-row of a suspect's item but not the item: one pass, up the scheme.
    let mut below: HashMap<Key, Vec<&Figure>> = HashMap::new();
    for g in figures {
        for item in std::iter::successors(g.line_item.item.sums_into(), |i| i.sums_into()) {
            let li = LineItem { item, ..g.line_item };
            let key = (li, g.scenario, g.year);
            if wanted.contains(&key) && !has.contains(&(g.unit.as_str(), li, g.scenario, g.year)) {
                below.entry(key).or_default().push(g);
            }
        }
    }
    for i in suspects {
        let f = &findings[i];
        let (Some(li), Some(sc), Some(year)) = (f.line_item, f.scenario, f.year) else { continue };
        let mut parts: Vec<&Figure> = below
            .get(&(li, sc, year))
            .map(|v| v.iter().copied().filter(|g| g.unit != f.unit && units.is_within(&g.unit, &f.unit)).collect())
            .unwrap_or_default();
        if parts.is_empty() {
            continue;
        }
        parts.sort_by(|a, b| (&a.unit, a.line_item).cmp(&(&b.unit, b.line_item)));
        const SHOWN: usize = 5;
        let more = parts.len().saturating_sub(SHOWN);
        let parts = parts
            .iter()
            .take(SHOWN)
            .map(|g| Part { unit: g.unit.clone(), line_item: g.line_item, source: g.source.to_string() })
            .collect();
        let f = &mut findings[i];
        f.severity = Severity::Warning;
        f.notes.push(Note::SubRowsOnly { parts, more });
    }
}

/// Rollup errors that a unit missing from the org file explains: its figure in the same column is the
/// difference (it is a child the tree does not place). They become warnings whose cause is that unit, so one
/// missing unit reads as one cause, not dozens of errors.
pub fn unplaced(findings: &mut [Finding], units: &UnitInfo, figures: &[Figure]) {
    if units.unknown().is_empty() {
        return;
    }
    use std::collections::HashMap;
    type Figures<'a> = Vec<(&'a str, Decimal)>;
    let mut of_unknown: HashMap<(LineItem, Scenario, i32), Figures> = HashMap::new();
    for f in figures.iter().filter(|f| units.unknown().contains(&f.unit)) {
        let slot = of_unknown.entry((f.line_item, f.scenario, f.year)).or_default();
        match slot.iter_mut().find(|(u, _)| *u == f.unit) {
            Some((_, v)) => *v += f.amount,
            None => slot.push((f.unit.as_str(), f.amount)),
        }
    }
    for f in findings.iter_mut().filter(|f| f.severity == Severity::Error && f.rule == Rule::Rollup) {
        let (Some(li), Some(sc), Some(year), Some(d)) = (f.line_item, f.scenario, f.year, f.difference) else {
            continue;
        };
        let Some(candidates) = of_unknown.get(&(li, sc, year)) else { continue };
        // Whole euros may differ by rounding: a euro per figure involved.
        let slack = Decimal::from(candidates.len() + 1);
        let all: Decimal = candidates.iter().map(|(_, v)| *v).sum();
        let cause = candidates
            .iter()
            .find(|(_, v)| (d - *v).abs() <= slack)
            .map(|(u, _)| *u)
            .or_else(|| ((d - all).abs() <= slack).then_some(candidates[0].0));
        if let Some(u) = cause {
            f.severity = Severity::Warning;
            f.explained_by = Some(Cause {
                unit: u.to_string(),
                rule: Rule::UnknownUnit,
                line_item: None,
                scenario: None,
                year: None,
            });
        }
    }
}
