//! Mapping while summing: cost centers to units by the org file's `codes`, accounts to line items by the
//! chart, once per distinct code, so that the sums are kept per unit and item; codes as integer keys without
//! allocating.

use super::Chart;
use crate::model::{Item, Org};
use std::collections::HashMap;

/// The bit that marks an account key as an internal row's (codes of digits stay below 2^62, interned codes
/// have bit 63 and a small index).
pub(super) const INTERNAL_BIT: u64 = 1 << 62;

/// A key already mapped while summing: bit 63 and bit 61 set, then a unit's index in the org file (cost
/// centers) or a line item's index in the scheme (accounts). Codes of digits stay below 2^61 and interned
/// codes' indices far below it, so the three kinds never meet.
pub(super) const MAPPED: u64 = (1 << 63) | (1 << 61);

pub(super) fn mapped_index(k: u64) -> Option<usize> {
    let k = k & !INTERNAL_BIT;
    (k & MAPPED == MAPPED).then_some((k & !MAPPED) as usize)
}

/// Maps codes to units and line items while rows are summed, once per distinct code: the sums are then kept
/// per unit and item (a few thousand keys) instead of per cost center and account (a million).
pub(super) struct Mapper<'a> {
    pub org: Option<&'a Org>,
    pub chart: &'a Chart,
    units: HashMap<u64, u64, FastHash>,
    items: HashMap<u64, u64, FastHash>,
}

impl<'a> Mapper<'a> {
    pub fn new(org: Option<&'a Org>, chart: &'a Chart) -> Self {
        Mapper { org, chart, units: HashMap::default(), items: HashMap::default() }
    }

    /// The cost center's key: its unit's, where the org file maps it.
    pub fn cost_center(&mut self, key: u64, names: &[String]) -> u64 {
        let org = self.org;
        *self.units.entry(key).or_insert_with(|| {
            let code = code_of(key, names);
            match org.and_then(|o| unit_of_cell(o, &code)).and_then(|u| o_index(org, u)) {
                Some(i) => MAPPED | i as u64,
                None => key,
            }
        })
    }

    /// The cost centers met that the org file maps, with their units' indices.
    pub fn cost_centers(&self, names: &[String]) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = self
            .units
            .iter()
            .filter_map(|(raw, mapped)| mapped_index(*mapped).map(|i| (code_of(*raw, names), i)))
            .collect();
        out.sort();
        out
    }

    /// The accounts met whose codes are digits (their keys are their numbers), internal rows' too.
    pub fn accounts(&self) -> Vec<u64> {
        let mut out: Vec<u64> = self.items.keys().map(|k| k & !INTERNAL_BIT).filter(|k| *k < 1 << 61).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The account's key: its line item's (Sisäiset erät for an internal row), where the chart maps it.
    pub fn account(&mut self, key: u64, names: &[String]) -> u64 {
        let chart = self.chart;
        *self.items.entry(key).or_insert_with(|| match chart.item_of(&code_of(key, names)) {
            Some(item) => {
                let item = if key & INTERNAL_BIT != 0 { Item::SISAISET_ERAT } else { item };
                MAPPED | item.index() as u64
            }
            None => key,
        })
    }
}

/// The unit of a cost-center cell: its code, or a cell of a code and a name (`110100 Hallinto`, `K-01 Keskus`)
/// by the code it starts with. The chart reads accounts the same way, by their leading digits.
pub(super) fn unit_of_cell<'o>(org: &'o Org, cell: &str) -> Option<&'o crate::model::Unit> {
    org.unit_of_code(cell).or_else(|| {
        let (lead, rest) = cell.trim().split_once(char::is_whitespace)?;
        (lead.chars().any(|c| c.is_ascii_digit()) && !rest.trim().is_empty()).then(|| org.unit_of_code(lead)).flatten()
    })
}

pub(super) fn o_index(org: Option<&Org>, unit: &crate::model::Unit) -> Option<usize> {
    org?.units.iter().position(|u| std::ptr::eq(u, unit))
}

/// A key's code as text (numbers as digits, interned codes by name).
pub(super) fn code_of(k: u64, names: &[String]) -> String {
    let k = k & !INTERNAL_BIT;
    if k >> 63 == 1 {
        names.get((k & !(1 << 63)) as usize).cloned().unwrap_or_default()
    } else {
        k.to_string()
    }
}

/// A fast hash for the sums' integer keys (FxHash's multiply-rotate): the ledger's hot loop hashes every row.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_i32(&mut self, n: i32) {
        self.write_u64(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub(super) type FastHash = std::hash::BuildHasherDefault<Fx>;
