//! Tables that print costs positive (`Toimintamenot 605 700`, `Netto (Toimintakate)` = tulot − menot),
//! recognised by the table's own arithmetic and turned to the reports' signs (revenues positive, costs
//! negative). Never guessed from the figures' look: only a margin that is revenues minus costs in the
//! table's own columns says so.

use super::structure::BodyRow;
use super::table::ValueColumn;
use crate::model::{Item, Scenario};
use rust_decimal::Decimal;

fn is_cost(item: Item) -> bool {
    item == Item::TOIMINTAKULUT || item.is_under(Item::TOIMINTAKULUT)
}

fn tolerance(values: &[Decimal]) -> Decimal {
    values.iter().map(|v| Decimal::new(5, v.scale() + 1)).sum()
}

/// How the table was turned: the columns whose margin showed it, and whether its cost variances were
/// printed as actuals − budget (and so turned too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turned {
    pub evidence_columns: usize,
    pub variance_turned: bool,
}

/// Turns a table that prints costs positive. The margin row (toimintakate), the revenue total and the cost
/// total must be printed in at least one column, and in every such column the margin must be revenues −
/// costs and not revenues + costs. Costs (the cost total and every row under it) are negated in every
/// column but the variance; cost variances are kept where they are budget − actuals (better than budget
/// positive, as the reports have it) and negated where the table prints actuals − budget.
pub fn turn_positive_costs(rows: &mut [BodyRow], columns: &[ValueColumn]) -> Option<Turned> {
    let find = |item: Item| {
        rows.iter().position(|r| r.line.is_some_and(|l| l.item == item && !l.of_which_internal) && !r.of_which)
    };
    let (kate, tuotot, kulut) = (find(Item::TOIMINTAKATE)?, find(Item::TOIMINTATUOTOT)?, find(Item::TOIMINTAKULUT)?);
    let mut minus = 0;
    for (c, vc) in columns.iter().enumerate() {
        if vc.scenario == Scenario::Poikkeama {
            continue;
        }
        let (Some(k), Some(t), Some(m)) = (rows[kate].values[c], rows[tuotot].values[c], rows[kulut].values[c]) else {
            continue;
        };
        let tol = tolerance(&[k, t, m]);
        let as_minus = (t - m - k).abs() <= tol;
        let as_plus = (t + m - k).abs() <= tol;
        if as_plus || !as_minus {
            return None;
        }
        minus += 1;
    }
    if minus == 0 {
        return None;
    }
    // Cost variances: budget − actuals as printed positive is the reports' variance; actuals − budget is not.
    let budget = columns
        .iter()
        .position(|vc| vc.scenario == Scenario::TaMuutettu)
        .or_else(|| columns.iter().position(|vc| vc.scenario == Scenario::Ta));
    let actual = columns.iter().position(|vc| vc.scenario == Scenario::Tp);
    let variance = columns.iter().position(|vc| vc.scenario == Scenario::Poikkeama);
    let mut variance_turned = false;
    if let (Some(b), Some(a), Some(v)) = (budget, actual, variance) {
        let (mut kept, mut turned) = (0, 0);
        for r in rows.iter().filter(|r| r.line.is_some_and(|l| is_cost(l.item))) {
            let (Some(bv), Some(av), Some(vv)) = (r.values[b], r.values[a], r.values[v]) else { continue };
            let tol = tolerance(&[bv, av, vv]);
            if (bv - av - vv).abs() <= tol {
                kept += 1;
            } else if (av - bv - vv).abs() <= tol {
                turned += 1;
            }
        }
        variance_turned = turned > kept;
    }
    for r in rows.iter_mut().filter(|r| r.line.is_some_and(|l| is_cost(l.item))) {
        for (c, vc) in columns.iter().enumerate() {
            if vc.scenario != Scenario::Poikkeama || variance_turned {
                if let Some(v) = r.values[c].as_mut() {
                    *v = -*v;
                }
            }
        }
    }
    Some(Turned { evidence_columns: minus, variance_turned })
}
