//! The long table of figures as a polars frame, and what the engine needs to know of each unit.
//! Units, line items and scenarios go into the frame as dense integer ids (joins and groupings on
//! integers are fast and small); names come back through [`UnitInfo`], `LineItem::from_index` and
//! `Scenario::from_index`.

use super::finding::{Finding, Note, Rule, Severity};
use super::frame::engine_err;
use crate::error::Result;
use crate::model::{Figure, Kind, Org};
use polars::prelude::*;
use rust_decimal::Decimal;

/// Each unit's id (its place in tree order), depth and parent. Units not in the org file are roots
/// after the org's units, in the order the inputs name them.
pub struct UnitInfo {
    names: Vec<String>,
    index: PlHashMap<String, u32>,
    depth: Vec<i32>,
    parent: Vec<Option<u32>>,
    unknown: Vec<String>,
    /// The unit id of each figure given to [`UnitInfo::new`], in order.
    figure_units: Vec<u32>,
}

impl UnitInfo {
    pub fn new(figures: &[Figure], org: Option<&Org>) -> UnitInfo {
        let mut info = UnitInfo {
            names: Vec::new(),
            index: PlHashMap::new(),
            depth: Vec::new(),
            parent: Vec::new(),
            unknown: Vec::new(),
            figure_units: Vec::with_capacity(figures.len()),
        };
        if let Some(org) = org {
            let order = org.tree_order();
            for (unit, depth) in &order {
                info.add(&unit.name, *depth as i32);
            }
            for (unit, _) in &order {
                let parent = unit.parent.as_deref().and_then(|p| info.index.get(p).copied());
                if let Some(&id) = info.index.get(&unit.name) {
                    info.parent[id as usize] = parent;
                }
            }
        }
        // Figures come table by table, so the previous figure's unit is usually this one's.
        let mut last: Option<(&str, u32)> = None;
        for f in figures {
            let id = match last {
                Some((name, id)) if name == f.unit => id,
                _ => {
                    let id = match info.index.get(&f.unit) {
                        Some(&id) => id,
                        None => {
                            if org.is_some() {
                                info.unknown.push(f.unit.clone());
                            }
                            info.add(&f.unit, 0);
                            info.names.len() as u32 - 1
                        }
                    };
                    last = Some((f.unit.as_str(), id));
                    id
                }
            };
            info.figure_units.push(id);
        }
        info
    }

    fn add(&mut self, name: &str, depth: i32) {
        self.index.insert(name.to_string(), self.names.len() as u32);
        self.names.push(name.to_string());
        self.depth.push(depth);
        self.parent.push(None);
    }

    pub fn id(&self, unit: &str) -> Option<u32> {
        self.index.get(unit).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// Tree order of a unit (its id); unknown names last.
    pub fn order(&self, unit: &str) -> usize {
        self.id(unit).map_or(usize::MAX, |i| i as usize)
    }

    pub fn depth_of(&self, id: u32) -> i32 {
        self.depth.get(id as usize).copied().unwrap_or(0)
    }

    /// How many units there are (ids run from 0).
    pub fn count(&self) -> usize {
        self.names.len()
    }

    pub fn max_depth(&self) -> i32 {
        self.depth.iter().copied().max().unwrap_or(0)
    }

    pub fn parent_of(&self, id: u32) -> Option<u32> {
        self.parent.get(id as usize).copied().flatten()
    }

    /// Is `unit` `ancestor` itself or below it?
    pub fn is_within(&self, unit: &str, ancestor: &str) -> bool {
        let (Some(mut cur), Some(anc)) = (self.id(unit), self.id(ancestor)) else { return false };
        loop {
            if cur == anc {
                return true;
            }
            match self.parent_of(cur) {
                Some(p) => cur = p,
                None => return false,
            }
        }
    }

    /// Each unit's id and parent id as a frame, split by depth: element `d` holds the units at depth `d`.
    pub fn frames_by_depth(&self) -> Result<Vec<DataFrame>> {
        let mut units: Vec<Vec<u32>> = vec![Vec::new(); self.max_depth().max(0) as usize + 1];
        for (id, d) in self.depth.iter().enumerate() {
            units[(*d).max(0) as usize].push(id as u32);
        }
        units
            .into_iter()
            .map(|ids| {
                let parents: Vec<Option<u32>> = ids.iter().map(|&i| self.parent[i as usize]).collect();
                DataFrame::new(ids.len(), vec![Column::new("unit".into(), ids), Column::new("parent".into(), parents)])
                    .map_err(engine_err)
            })
            .collect()
    }

    /// Units the inputs name that the org file does not.
    pub fn unknown(&self) -> &[String] {
        &self.unknown
    }

    /// A warning for each unit the inputs name that the org file does not, with the closest known name.
    pub fn unknown_unit_findings(&self, org: Option<&Org>) -> Vec<Finding> {
        let Some(org) = org else { return Vec::new() };
        self.unknown
            .iter()
            .map(|unit| {
                let closest = org.closest(unit).map(|(u, _)| u.name.clone());
                let notes = closest.into_iter().map(|name| Note::Closest { name }).collect();
                Finding::about_unit(Severity::Warning, Rule::UnknownUnit, unit.clone(), Vec::new(), notes)
            })
            .collect()
    }
}

/// The rounding unit of a figure: its money unit for whole numbers (1 €, 1 000 €), else its last decimal.
pub fn ulp(f: &Figure) -> Decimal {
    if let crate::model::Place::Sum { ulp, .. } = &f.source.place {
        return *ulp;
    }
    if f.source.factor == Decimal::ONE && f.amount.fract().is_zero() {
        return Decimal::ONE;
    }
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

/// Kind ids in frames.
pub const REVENUE: u32 = 0;
pub const COST: u32 = 1;
pub const NET: u32 = 2;

pub fn kind_id(kind: Kind) -> u32 {
    match kind {
        Kind::Revenue => REVENUE,
        Kind::Cost => COST,
        Kind::Net => NET,
    }
}

/// Columns: unit, line_item, scenario (ids), year, amount, ulp, src (index into the figures), depth,
/// parent (id), kind.
pub fn facts(figures: &[Figure], units: &UnitInfo) -> Result<Facts> {
    // Figures from any reader are bounded, so that sums in the frames cannot overflow.
    if let Some(f) = figures.iter().find(|f| !crate::model::plausible(f.amount)) {
        return Err(crate::error::Error::Engine(format!(
            "{}: {} is beyond any budget (more than 10^15 €)",
            f.source, f.amount
        )));
    }
    // First pass: the common scale. Second: every column at once (figures are large and scattered in
    // memory, so one pass over them beats one per column).
    let scale = figures.iter().map(|f| f.amount.scale().max(ulp(f).scale())).max().unwrap_or(0);
    // Frames hold 38 digits: 18 decimals leave 20 for euros. More would need rounding, which money never gets.
    if scale > 18 {
        let f = figures.iter().find(|f| f.amount.scale() > 18).map(|f| f.source.to_string()).unwrap_or_default();
        return Err(crate::error::Error::Engine(format!(
            "{f}: a figure with more than 18 decimals cannot be checked exactly"
        )));
    }
    let n = figures.len();
    let unit_ids = &units.figure_units;
    let mantissa = |mut d: Decimal| {
        d.rescale(scale);
        d.mantissa()
    };
    let (mut amount, mut ulps) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut line, mut scen, mut year, mut kind) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for f in figures {
        amount.push(mantissa(f.amount));
        ulps.push(mantissa(ulp(f)));
        line.push(f.line_item.index());
        scen.push(f.scenario.index());
        year.push(f.year);
        kind.push(kind_id(f.line_item.item.kind()));
    }
    let money_column = |name: &str, v: Vec<i128>| -> Result<Column> {
        let ca = Int128Chunked::from_vec(name.into(), v).into_decimal(super::frame::PRECISION, scale as usize);
        Ok(ca.map_err(engine_err)?.into_series().into_column())
    };
    let columns = vec![
        money_column("amount", amount)?,
        money_column("ulp", ulps)?,
        Column::new("line_item".into(), line),
        Column::new("scenario".into(), scen),
        Column::new("year".into(), year),
        Column::new("src".into(), (0..n as u32).collect::<Vec<_>>()),
        Column::new("depth".into(), unit_ids.iter().map(|u| units.depth_of(*u)).collect::<Vec<_>>()),
        Column::new("parent".into(), unit_ids.iter().map(|u| units.parent_of(*u)).collect::<Vec<_>>()),
        Column::new("kind".into(), kind),
        Column::new("unit".into(), unit_ids.clone()),
    ];
    let df = DataFrame::new(n, columns).map_err(engine_err)?;
    Ok(Facts { df, scale })
}
