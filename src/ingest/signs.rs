//! Tables that print costs positive (`Toimintamenot 605 700`, `Netto (Toimintakate)` = tulot − menot), or
//! costs and the margin as a net cost (`Menot 81 615`, `Tulot 22 682`, `Netto 58 933` = menot − tulot),
//! recognised by the table's own arithmetic and turned to the reports' signs (revenues positive, costs and a
//! net cost negative). Never guessed from the figures' look: only a margin that is revenues minus costs (or
//! costs minus revenues) in every one of the table's columns that prints all three says so.

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
    /// The margin was printed as a net cost (costs − revenues) and was turned too.
    pub net_cost: bool,
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
    // Per column with all three: revenues − costs (costs positive), or costs − revenues (a net cost); one
    // reading for every such column, and never where revenues + costs would do as well.
    let (mut minus, mut net) = (0, 0);
    for (c, vc) in columns.iter().enumerate() {
        if matches!(vc.scenario, Scenario::Poikkeama | Scenario::EnnusteenPoikkeama) {
            continue;
        }
        let (Some(k), Some(t), Some(m)) = (rows[kate].values[c], rows[tuotot].values[c], rows[kulut].values[c]) else {
            continue;
        };
        let tol = tolerance(&[k, t, m]);
        let near = |x: Option<Decimal>| x.is_some_and(|x| x.abs() <= tol);
        let as_plus = near(t.checked_add(m).and_then(|x| x.checked_sub(k)));
        let as_minus = near(t.checked_sub(m).and_then(|x| x.checked_sub(k)));
        let as_net = near(m.checked_sub(t).and_then(|x| x.checked_sub(k)));
        match (as_plus, as_minus, as_net) {
            (false, true, false) => minus += 1,
            (false, false, true) => net += 1,
            _ => return None,
        }
    }
    if minus + net == 0 || (minus > 0 && net > 0) {
        return None;
    }
    let net_cost = net > 0;
    // In a net-cost table the margin is a cost like the costs: turned with them.
    let is_cost = |item: Item| is_cost(item) || (net_cost && item == Item::TOIMINTAKATE);
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
    Some(Turned { evidence_columns: minus + net, variance_turned, net_cost })
}
