//! The long table of figures as a polars frame, and what the engine needs to know of each unit.

use super::finding::{Finding, Rule, Severity};
use super::frame::{decimal_column, engine_err};
use crate::error::Result;
use crate::model::{Figure, Kind, Org};
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Each unit's place: tree order, depth and parent (from the org file; units not in it are roots).
pub struct UnitInfo {
    order: HashMap<String, usize>,
    depth: HashMap<String, i32>,
    parent: HashMap<String, String>,
    unknown: Vec<String>,
}

impl UnitInfo {
    pub fn new(figures: &[Figure], org: Option<&Org>) -> UnitInfo {
        let mut info =
            UnitInfo { order: HashMap::new(), depth: HashMap::new(), parent: HashMap::new(), unknown: Vec::new() };
        if let Some(org) = org {
            for (unit, depth) in org.tree_order() {
                info.order.insert(unit.name.clone(), info.order.len());
                info.depth.insert(unit.name.clone(), depth as i32);
                if let Some(p) = &unit.parent {
                    info.parent.insert(unit.name.clone(), p.clone());
                }
            }
        }
        for f in figures {
            if !info.order.contains_key(&f.unit) {
                info.order.insert(f.unit.clone(), info.order.len());
                info.depth.insert(f.unit.clone(), 0);
                if org.is_some() {
                    info.unknown.push(f.unit.clone());
                }
            }
        }
        info
    }

    pub fn order(&self, unit: &str) -> usize {
        self.order.get(unit).copied().unwrap_or(usize::MAX)
    }

    pub fn depth(&self, unit: &str) -> i32 {
        self.depth.get(unit).copied().unwrap_or(0)
    }

    pub fn max_depth(&self) -> i32 {
        self.depth.values().copied().max().unwrap_or(0)
    }

    pub fn parent(&self, unit: &str) -> Option<&str> {
        self.parent.get(unit).map(String::as_str)
    }

    /// Is `unit` `ancestor` itself or below it?
    pub fn is_within(&self, unit: &str, ancestor: &str) -> bool {
        let mut cur = Some(unit);
        while let Some(u) = cur {
            if u == ancestor {
                return true;
            }
            cur = self.parent(u);
        }
        false
    }

    /// Units in tree order.
    pub fn units_in_order(&self) -> Vec<&str> {
        let mut v: Vec<(&str, usize)> = self.order.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        v.sort_by_key(|x| x.1);
        v.into_iter().map(|x| x.0).collect()
    }

    /// A warning for each unit the inputs name that the org file does not, with the closest known name.
    pub fn unknown_unit_findings(&self, org: Option<&Org>) -> Vec<Finding> {
        let Some(org) = org else { return Vec::new() };
        self.unknown
            .iter()
            .map(|unit| {
                let closest = org.closest(unit).map(|(u, _)| u.name.clone());
                let message = match &closest {
                    Some(c) => format!("Yksikköä \"{unit}\" ei ole organisaatiotiedostossa; lähin nimi on \"{c}\"."),
                    None => format!("Yksikköä \"{unit}\" ei ole organisaatiotiedostossa."),
                };
                Finding {
                    severity: Severity::Warning,
                    rule: Rule::UnknownUnit,
                    unit: unit.clone(),
                    line_item: None,
                    scenario: None,
                    year: None,
                    expected: None,
                    actual: None,
                    difference: None,
                    sources: Vec::new(),
                    message,
                    explained_by: None,
                }
            })
            .collect()
    }
}

/// The rounding unit of a figure: its money unit for whole numbers (1 €, 1 000 €), else its last decimal.
pub fn ulp(f: &Figure) -> Decimal {
    let raw = if f.source.factor.is_zero() { f.amount } else { f.amount / f.source.factor };
    let raw = raw.normalize();
    if raw.fract().is_zero() {
        f.source.factor
    } else {
        f.source.factor * Decimal::new(1, raw.scale())
    }
}

/// The long frame and the decimal scale its amounts use.
pub struct Facts {
    pub df: DataFrame,
    pub scale: u32,
}

pub fn kind_id(kind: Kind) -> &'static str {
    match kind {
        Kind::Revenue => "revenue",
        Kind::Cost => "cost",
        Kind::Net => "net",
    }
}

/// Columns: unit, line_item, scenario, year, amount, ulp, src (index into the figures), depth, parent, kind.
pub fn facts(figures: &[Figure], units: &UnitInfo) -> Result<Facts> {
    let ulps: Vec<Decimal> = figures.iter().map(ulp).collect();
    let scale = figures
        .iter()
        .map(|f| f.amount.normalize().scale())
        .chain(ulps.iter().map(|u| u.normalize().scale()))
        .max()
        .unwrap_or(0);
    let n = figures.len();
    let columns = vec![
        Column::new("unit".into(), figures.iter().map(|f| f.unit.as_str()).collect::<Vec<_>>()),
        Column::new("line_item".into(), figures.iter().map(|f| f.line_item.id()).collect::<Vec<_>>()),
        Column::new("scenario".into(), figures.iter().map(|f| f.scenario.id()).collect::<Vec<_>>()),
        Column::new("year".into(), figures.iter().map(|f| f.year).collect::<Vec<_>>()),
        decimal_column("amount", figures.iter().map(|f| Some(f.amount)), scale)?,
        decimal_column("ulp", ulps.into_iter().map(Some), scale)?,
        Column::new("src".into(), (0..n as u32).collect::<Vec<_>>()),
        Column::new("depth".into(), figures.iter().map(|f| units.depth(&f.unit)).collect::<Vec<_>>()),
        Column::new("parent".into(), figures.iter().map(|f| units.parent(&f.unit)).collect::<Vec<_>>()),
        Column::new("kind".into(), figures.iter().map(|f| kind_id(f.line_item.item.kind())).collect::<Vec<_>>()),
    ];
    let df = DataFrame::new(n, columns).map_err(engine_err)?;
    Ok(Facts { df, scale })
}
