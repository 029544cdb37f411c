//! What both ledger readers (CSV and Parquet) keep row by row beside the sums: what the rows' dates say (the
//! last month each year's actuals are dated, the rows after an interim period's end, last year's monthly
//! profile), and the unmapped codes folded into one key past the first few thousand.

use super::mapping::{mapped_index, FastHash, INTERNAL_BIT};
use super::{Layout, SLOTS};
use crate::model::Scenario;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// Dated actuals per (year, month, cost center key, account key): their sum and rows.
pub(super) type Monthly = HashMap<(i32, u8, u64, u64), (Decimal, u64), FastHash>;

/// Distinct unmapped codes (their keys) folded into [`FOLDED`], with the scenario and year of each figure they
/// have rows for.
pub(super) type Folded = HashSet<(u64, Scenario, i32), FastHash>;

/// The key unmapped codes past [`MAX_OWN_UNMAPPED`] are summed under: no code's (bit 60 of an interned key, far
/// above any index), mapped to no unit and no line item.
pub(super) const FOLDED: u64 = (1 << 63) | (1 << 60);

/// Distinct unmapped cost centers, and distinct unmapped accounts, a reading keeps sums of their own for (the
/// largest are named; the rest are counted and summed anyway).
pub(super) const MAX_OWN_UNMAPPED: usize = 5_000;

/// What a reading's dates say: the interim period's end it cuts at, and what it learned.
#[derive(Default)]
pub(super) struct Dates {
    /// The end of an interim period `--period` gives: actuals dated later are not read.
    cutoff: Option<(i32, u8)>,
    /// The amount slots holding actuals.
    actual_slots: u32,
    /// Per year, the last month an actuals row is dated.
    pub last_month: Vec<(i32, u8)>,
    /// Actuals rows dated after the period's end: not read; their count and sum.
    pub after_period: (u64, Decimal),
    /// Actuals rows without a month while a period is given: it cannot cut them.
    pub undated: u64,
    /// Dated actuals per (year, month, cost center, account) as the sums key them, with their rows: the months
    /// of last year up to the period's month are its actuals to date, the monthly profile of a forecast.
    pub monthly: Monthly,
}

impl Dates {
    /// For a reading of these amount columns, cut at `--period` where given.
    pub fn new(amount_cols: &[(usize, Scenario)]) -> Self {
        let actual_slots =
            amount_cols.iter().enumerate().filter(|(_, (_, sc))| *sc == Scenario::Tp).fold(0, |m, (k, _)| m | (1 << k));
        Dates { cutoff: crate::ingest::context::configured_period(), actual_slots, ..Default::default() }
    }

    /// A row of `year` dated `month` (None: no month) filling the slots `filled`: notes the last month its
    /// actuals are dated, and returns the slots it still fills, its actuals taken out where it falls after the
    /// period's end (`amount(k)` is slot k's amount; the caller empties the slots taken out). In a second reading of the same
    /// rows (`first` false) the rows are cut the same way but not counted again. `dated` says whether the file
    /// has a column of dates (only then is a row without a month one the period cannot cut).
    pub fn cut(
        &mut self,
        year: i32,
        month: Option<u8>,
        filled: u32,
        first: bool,
        dated: bool,
        amount: impl Fn(usize) -> Decimal,
    ) -> u32 {
        if filled & self.actual_slots == 0 {
            return filled;
        }
        let Some(m) = month else {
            if first && dated && self.cutoff.is_some() {
                self.undated += 1;
            }
            return filled;
        };
        if first {
            match self.last_month.iter_mut().find(|(y, _)| *y == year) {
                Some(e) => e.1 = e.1.max(m),
                None => self.last_month.push((year, m)),
            }
        }
        if !self.cutoff.is_some_and(|(py, pm)| year == py && m > pm) {
            return filled;
        }
        if first {
            for k in (0..SLOTS).filter(|k| self.actual_slots & filled & (1 << k) != 0) {
                let after = &mut self.after_period.1;
                *after = after.checked_add(amount(k)).unwrap_or(*after);
            }
        }
        self.after_period.0 += u64::from(first);
        filled & !self.actual_slots
    }

    /// Adds a dated row's actuals of its own year to the monthly profile under the keys the sums use.
    pub fn add_month(
        &mut self,
        (year, month): (i32, Option<u8>),
        (cc, acc): (u64, u64),
        filled: u32,
        layout: &Layout,
        amount: impl Fn(usize) -> Decimal,
    ) {
        let Some(m) = month.filter(|_| filled & self.actual_slots != 0) else { return };
        let own = (0..SLOTS)
            .filter(|k| self.actual_slots & filled & (1 << k) != 0 && layout.year_of_slot(*k, year) == year)
            .peekable();
        let mut own = own;
        if own.peek().is_none() {
            return;
        }
        let e = self.monthly.entry((year, m, cc, acc)).or_default();
        for k in own {
            e.0 = e.0.checked_add(amount(k)).unwrap_or(e.0);
        }
        e.1 += 1;
    }

    /// Adds another reading's dates to these, its keys re-keyed by `rekey`; false where a monthly sum passed
    /// the exact range.
    pub fn merge(&mut self, other: Dates, mut rekey: impl FnMut(u64) -> u64) -> bool {
        let mut fits = true;
        for (y, m) in other.last_month {
            match self.last_month.iter_mut().find(|(x, _)| *x == y) {
                Some(e) => e.1 = e.1.max(m),
                None => self.last_month.push((y, m)),
            }
        }
        for ((year, month, cc, acc), (amount, rows)) in other.monthly {
            let e = self.monthly.entry((year, month, rekey(cc), rekey(acc))).or_default();
            match e.0.checked_add(amount) {
                Some(s) => e.0 = s,
                None => fits = false,
            }
            e.1 += rows;
        }
        self.after_period.0 += other.after_period.0;
        self.after_period.1 = self.after_period.1.checked_add(other.after_period.1).unwrap_or(self.after_period.1);
        self.undated += other.undated;
        fits
    }
}

/// Unmapped codes past the first [`MAX_OWN_UNMAPPED`] distinct ones a reading meets, of cost centers and of
/// accounts apart: summed under [`FOLDED`], each counted (a million stray codes took a million sums, 1.7 GB).
#[derive(Default)]
pub(super) struct Fold {
    own_cost_centers: HashSet<u64, FastHash>,
    own_accounts: HashSet<u64, FastHash>,
    /// Cost centers folded, with their figures' scenarios and years.
    pub cost_centers: Folded,
    /// Accounts folded (under a cost center of a unit), with their figures' scenarios and years.
    pub accounts: Folded,
}

impl Fold {
    /// The key a row of cost center `cc` (as mapped) is summed under: its own, or [`FOLDED`].
    pub fn cost_center(&mut self, cc: u64, filled: u32, layout: &Layout, year: i32) -> u64 {
        fold(&mut self.own_cost_centers, &mut self.cost_centers, cc, filled, layout, year)
    }

    /// The key a row of account `acc` (as mapped, its internal bit kept) under a unit's cost center is summed
    /// under: its own, or [`FOLDED`] with the internal bit.
    pub fn account(&mut self, acc: u64, filled: u32, layout: &Layout, year: i32) -> u64 {
        let internal = acc & INTERNAL_BIT;
        let key = fold(&mut self.own_accounts, &mut self.accounts, acc & !INTERNAL_BIT, filled, layout, year);
        key | internal
    }

    /// Adds another reading's folded codes, re-keyed.
    pub fn merge(&mut self, other: Fold, mut rekey: impl FnMut(u64) -> u64) {
        for (k, sc, y) in other.cost_centers {
            self.cost_centers.insert((rekey(k), sc, y));
        }
        for (k, sc, y) in other.accounts {
            self.accounts.insert((rekey(k), sc, y));
        }
    }
}

fn fold(
    own: &mut HashSet<u64, FastHash>,
    folded: &mut Folded,
    key: u64,
    filled: u32,
    layout: &Layout,
    year: i32,
) -> u64 {
    if mapped_index(key).is_some() || own.contains(&key) {
        return key;
    }
    if own.len() < MAX_OWN_UNMAPPED {
        own.insert(key);
        return key;
    }
    for (k, (_, sc)) in layout.amount_cols.iter().enumerate().filter(|(k, _)| filled & (1 << k) != 0) {
        folded.insert((key, *sc, layout.year_of_slot(k, year)));
    }
    FOLDED
}

/// The counts of folded codes per scenario and year, less those another reading kept sums of (`own`).
pub(super) fn folded_counts(folded: &Folded, own: &HashSet<u64>) -> HashMap<(Scenario, i32), u64> {
    let mut out: HashMap<(Scenario, i32), u64> = HashMap::new();
    for (k, sc, y) in folded {
        if !own.contains(k) {
            *out.entry((*sc, *y)).or_default() += 1;
        }
    }
    out
}
