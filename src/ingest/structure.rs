//! What a table's totals sum: for each printed total, the rows the table itself prints as its terms, read
//! from the print order and confirmed by the scheme and the table's own arithmetic; and totals printed
//! without a label, named by the heading above their group when their terms add up to them.
//!
//! The span of a total is the run of rows next to it (above it, else below it) that the scheme puts under
//! it; of-which rows are never terms; rows with unknown labels inside the span are "unread" and go with the
//! check, so that the engine can say a failing check depends on them instead of calling it an error.

use crate::model::{Item, LineItem};
use rust_decimal::Decimal;

/// One body row of a table, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyRow {
    /// The line item the label names; none for an unknown or missing label.
    pub line: Option<LineItem>,
    /// An "of which" row: part of the row above, never a term.
    pub of_which: bool,
    /// The label as printed (empty when the row has none).
    pub label: String,
    /// The label's cell (or the first figure's cell where there is no label).
    pub cell: String,
    /// The row's figures per value column, as printed (before the money unit); none for a blank cell.
    pub values: Vec<Option<Decimal>>,
}

impl BodyRow {
    fn has_values(&self) -> bool {
        self.values.iter().any(Option::is_some)
    }

    /// A row that can be a term or a total: a known line item, not an of-which row.
    fn item_row(&self) -> Option<LineItem> {
        self.line.filter(|li| !self.of_which && !li.of_which_internal)
    }

    fn is_unknown(&self) -> bool {
        self.line.is_none() && !self.label.trim().is_empty()
    }
}

/// A total the table prints, the line items it prints as its terms, and the unknown rows between them
/// (indices into the body rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSum {
    pub total: LineItem,
    pub terms: Vec<LineItem>,
    pub unread: Vec<usize>,
    /// The total's row and its term rows.
    pub total_row: usize,
    pub term_rows: Vec<usize>,
}

/// The rows of the span of the total at `t`: above it, else below it. Stops at a row of an item the scheme
/// does not put under the total (another heading of the same item included).
fn span(rows: &[BodyRow], t: usize) -> Vec<usize> {
    let Some(total) = rows[t].item_row().map(|li| li.item) else { return Vec::new() };
    let up = walk(rows, total, (0..t).rev());
    if up.iter().any(|&k| rows[k].item_row().is_some()) {
        return up;
    }
    walk(rows, total, t + 1..rows.len())
}

/// The rows from `order` on that belong to the span of `total`: rows under it and unknown rows, of-which
/// rows passed over, up to the first row of another item or an unlabelled row with figures.
fn walk(rows: &[BodyRow], total: Item, order: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out = Vec::new();
    for k in order {
        let r = &rows[k];
        if r.line.is_some_and(|li| li.of_which_internal) || r.of_which {
            continue;
        }
        match r.item_row() {
            Some(li) if li.item.is_under(total) => out.push(k),
            Some(_) => break,
            None if r.is_unknown() => out.push(k),
            // An unlabelled row with figures ends the span; a blank one does not.
            None if r.has_values() => break,
            None => {}
        }
    }
    out
}

/// Terms read as the scheme's tree: the span's valued rows that no other valued row of the span is above
/// in the scheme (a heading row without figures does not hide its sub-rows).
fn tree_terms(rows: &[BodyRow], span: &[usize]) -> Vec<usize> {
    let valued: Vec<usize> =
        span.iter().copied().filter(|&k| rows[k].item_row().is_some() && rows[k].has_values()).collect();
    let mut out: Vec<usize> = Vec::new();
    for &k in &valued {
        let item = rows[k].line.map(|l| l.item);
        let Some(item) = item else { continue };
        let hidden = valued.iter().any(|&o| o != k && rows[o].line.is_some_and(|l| item.is_under(l.item)));
        let twice = out.iter().any(|&o| rows[o].line.map(|l| l.item) == Some(item));
        if !hidden && !twice {
            out.push(k);
        }
    }
    out
}

/// Terms read as printed siblings: a valued row under another valued row of the span is its sub-row only
/// when it follows that row directly (with only the parent's own sub-rows between); printed elsewhere it is
/// a row of its own beside it ("Vuokratulot" beside "Muut toimintatulot").
fn sibling_terms(rows: &[BodyRow], span: &[usize]) -> Vec<usize> {
    let mut in_print_order = span.to_vec();
    in_print_order.sort_unstable();
    let valued: Vec<usize> =
        in_print_order.iter().copied().filter(|&k| rows[k].item_row().is_some() && rows[k].has_values()).collect();
    let mut out: Vec<usize> = Vec::new();
    for &k in &valued {
        let Some(item) = rows[k].line.map(|l| l.item) else { continue };
        let attached = valued.iter().any(|&p| {
            let Some(parent) = rows[p].line.map(|l| l.item) else { return false };
            p < k
                && item.is_under(parent)
                && valued
                    .iter()
                    .filter(|&&m| m > p && m < k)
                    .all(|&m| rows[m].line.is_some_and(|l| l.item.is_under(parent)))
        });
        let twice = out.iter().any(|&o| rows[o].line.map(|l| l.item) == Some(item));
        if !attached && !twice {
            out.push(k);
        }
    }
    out
}

/// Half a unit of the last printed digit of each figure: the rounding a printed sum may carry.
fn half_ulp(d: Decimal) -> Decimal {
    Decimal::new(5, d.scale() + 1)
}

/// Does total = Σ terms hold, within rounding, in every column where the total and a term are printed?
fn holds(rows: &[BodyRow], total: usize, terms: &[usize]) -> bool {
    let columns = rows[total].values.len();
    (0..columns).all(|c| {
        let Some(t) = rows[total].values[c] else { return true };
        let printed: Vec<Decimal> = terms.iter().filter_map(|&k| rows[k].values.get(c).copied().flatten()).collect();
        if printed.is_empty() {
            return true;
        }
        let sum = printed.iter().try_fold(Decimal::ZERO, |a, b| a.checked_add(*b));
        let tol = printed.iter().fold(half_ulp(t), |a, b| a + half_ulp(*b));
        sum.and_then(|s| t.checked_sub(s)).is_some_and(|d| d.abs() <= tol)
    })
}

/// How deep an item sits in the scheme: 0 for one that sums into nothing.
fn depth(li: LineItem) -> usize {
    std::iter::successors(li.item.sums_into(), |i| i.sums_into()).count()
}

/// The sums a table prints. `rows` are its body rows in print order. Totals are read from the top of the
/// scheme down: a row that a higher total's arithmetic shows to be printed beside its scheme parent
/// ("Vuokratulot" beside "Muut toimintatulot") is no longer a term of that parent.
pub fn table_sums(rows: &[BodyRow]) -> Vec<RawSum> {
    let mut totals: Vec<(usize, LineItem)> = (0..rows.len())
        .filter_map(|t| rows[t].item_row().map(|li| (t, li)))
        .filter(|(t, li)| li.item.is_subtotal() && rows[*t].has_values())
        .collect();
    totals.sort_by_key(|(t, li)| (depth(*li), *t));
    let mut detached: Vec<usize> = Vec::new();
    let mut out: Vec<(usize, RawSum)> = Vec::new();
    for (t, total) in totals {
        let span: Vec<usize> = span(rows, t).into_iter().filter(|k| !detached.contains(k)).collect();
        let tree = tree_terms(rows, &span);
        if tree.is_empty() {
            continue;
        }
        let chosen = if holds(rows, t, &tree) {
            tree
        } else {
            let siblings = sibling_terms(rows, &span);
            if siblings != tree && holds(rows, t, &siblings) {
                for &k in &siblings {
                    let item = rows[k].line.map(|l| l.item);
                    let beside = span.iter().any(|&p| {
                        p != k
                            && rows[p].has_values()
                            && item.is_some_and(|i| rows[p].line.is_some_and(|l| i.is_under(l.item)))
                    });
                    if beside {
                        detached.push(k);
                    }
                }
                siblings
            } else {
                tree
            }
        };
        // Unknown rows count only between the total and its farthest term.
        let far = chosen.iter().map(|&k| k.abs_diff(t)).max().unwrap_or(0);
        let unread = span.iter().copied().filter(|&k| rows[k].is_unknown() && k.abs_diff(t) <= far).collect();
        let mut terms: Vec<LineItem> = chosen.iter().filter_map(|&k| rows[k].line).collect();
        terms.sort();
        out.push((t, RawSum { total, terms, unread, total_row: t, term_rows: chosen }));
    }
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, s)| s).collect()
}

/// Items the table does not print but whose sub-rows it prints as terms of a total that adds up (wages and
/// social costs under operating costs, with no personnel-costs row): each such item with the rows that make
/// it, so that rollups and reports can work on the scheme's item. A total whose reading fails, or that has
/// unread rows among its terms, gives none: there the sub-rows may not be all of the item.
pub fn stand_ins(rows: &[BodyRow], sums: &[RawSum]) -> Vec<(LineItem, Vec<usize>)> {
    let printed = |li: LineItem| rows.iter().any(|r| r.item_row() == Some(li) && r.has_values());
    let mut out: Vec<(LineItem, Vec<usize>)> = Vec::new();
    for sum in sums.iter().filter(|s| s.unread.is_empty() && holds(rows, s.total_row, &s.term_rows)) {
        let mut found: Vec<(LineItem, Vec<usize>)> = Vec::new();
        for &k in &sum.term_rows {
            let Some(term) = rows[k].item_row() else { continue };
            let ancestors = std::iter::successors(term.item.sums_into(), |i| i.sums_into())
                .take_while(|&a| a != sum.total.item)
                .map(|a| LineItem { item: a, ..term });
            for a in ancestors.filter(|&a| !printed(a)) {
                match found.iter_mut().find(|(li, _)| *li == a) {
                    Some((_, ks)) => ks.push(k),
                    None => found.push((a, vec![k])),
                }
            }
        }
        for (li, mut ks) in found {
            ks.sort_unstable();
            if !out.iter().any(|(o, _)| *o == li) {
                out.push((li, ks));
            }
        }
    }
    out
}

/// Rows printed with figures but no label, right under a group whose heading (a known total without
/// figures) stands above it: the row is that total when the group's rows add up to it in every column.
/// Returns (row, line item) for each such row.
pub fn unlabelled_totals(rows: &[BodyRow]) -> Vec<(usize, LineItem)> {
    let mut out = Vec::new();
    for u in 0..rows.len() {
        let r = &rows[u];
        if r.line.is_some() || !r.label.trim().is_empty() || !r.has_values() {
            continue;
        }
        // The nearest heading above with only rows under it in between (a heading of a sub-group, as
        // "Henkilöstökulut" inside "TOIMINTAKULUT", is passed for the one above it).
        let mut heading = None;
        for k in (0..u).rev() {
            let row = &rows[k];
            if row.of_which || row.line.is_some_and(|l| l.of_which_internal) {
                continue;
            }
            match row.item_row() {
                Some(li) if !row.has_values() && li.item.is_subtotal() => {
                    let inside = (k + 1..u).all(|g| rows[g].item_row().is_none_or(|gl| gl.item.is_under(li.item)));
                    if inside {
                        heading = Some((k, li));
                        break;
                    }
                }
                Some(_) => {}
                None => break,
            }
        }
        let Some((h, li)) = heading else { continue };
        let group: Vec<usize> = (h + 1..u).collect();
        if group.iter().any(|&k| rows[k].item_row().is_some_and(|g| !g.item.is_under(li.item))) {
            continue;
        }
        if group.iter().any(|&k| rows[k].is_unknown()) {
            continue;
        }
        let terms = tree_terms(rows, &group);
        if !terms.is_empty() && holds(rows, u, &terms) {
            out.push((u, li));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, values: &[i64]) -> BodyRow {
        let m = if crate::ingest::label::is_of_which_internal(label) {
            crate::ingest::label::LabelMatch::Exact(LineItem::joista_sisaiset(Item::MUUT_TOIMINTATUOTOT))
        } else {
            crate::ingest::label::match_label(label, None)
        };
        let of_which = matches!(m, crate::ingest::label::LabelMatch::OfWhich(_));
        BodyRow {
            line: m.line_item(),
            of_which,
            label: label.to_string(),
            cell: String::new(),
            values: values.iter().map(|&v| (v != 0).then(|| Decimal::from(v))).collect(),
        }
    }

    fn ids(s: &RawSum) -> (String, Vec<String>) {
        (s.total.id(), s.terms.iter().map(|t| t.id()).collect())
    }

    #[test]
    fn totals_sum_what_the_table_prints() {
        // Wages and social costs instead of personnel costs; rents beside other revenue; an of-which row.
        let rows = vec![
            row("Myyntitulot", &[100]),
            row("Vuokratulot", &[30]),
            row("Muut toimintatulot", &[20]),
            row("Josta sisäiset", &[5]),
            row("Toimintatulot yhteensä", &[150]),
            row("Palkat", &[-400]),
            row("Henkilösivumenot", &[-100]),
            row("Palvelujen ostot", &[-200]),
            row("Toimintamenot yhteensä", &[-700]),
            row("Toimintakate", &[-550]),
        ];
        let sums = table_sums(&rows);
        let got: Vec<(String, Vec<String>)> = sums.iter().map(ids).collect();
        assert_eq!(got.len(), 3, "muut_toimintatuotot is not checked against the rents beside it: {got:?}");
        assert_eq!(got[0].1, ["myyntituotot", "muut_toimintatuotot", "vuokratuotot"]);
        assert_eq!(got[1].1, ["palkat_ja_palkkiot", "henkilosivukulut", "palvelujen_ostot"]);
        assert_eq!(
            got[2],
            ("toimintakate".to_string(), vec!["toimintatuotot".to_string(), "toimintakulut".to_string()])
        );
        assert!(sums.iter().all(|s| s.unread.is_empty()));
    }

    #[test]
    fn sub_rows_under_a_printed_total_are_not_counted_twice() {
        // A year-end statement: totals first, sub-rows under them, a heading row without figures.
        let rows = vec![
            row("Toimintakulut", &[-1000]),
            row("Henkilöstökulut", &[-600]),
            row("Palkat ja palkkiot", &[-450]),
            row("Henkilösivukulut", &[]),
            row("Eläkekulut", &[-120]),
            row("Muut henkilösivukulut", &[-30]),
            row("Palvelujen ostot", &[-400]),
            row("Toimintakate", &[-1000]),
        ];
        let sums = table_sums(&rows);
        let by_total = |id: &str| sums.iter().find(|s| s.total.id() == id).map(ids).unwrap().1;
        assert_eq!(by_total("toimintakulut"), ["henkilostokulut", "palvelujen_ostot"]);
        assert_eq!(by_total("henkilostokulut"), ["palkat_ja_palkkiot", "elakekulut", "muut_henkilosivukulut"]);
        assert_eq!(by_total("toimintakate"), ["toimintakulut"]);
    }

    #[test]
    fn sub_rows_stand_in_for_an_unprinted_item_only_where_the_total_adds_up() {
        let mut rows = vec![
            row("Myyntitulot", &[100]),
            row("Palkat", &[-400]),
            row("Henkilösivumenot", &[-100]),
            row("Palvelujen ostot", &[-200]),
            row("Toimintamenot yhteensä", &[-700]),
        ];
        let got = stand_ins(&rows, &table_sums(&rows));
        assert_eq!(got, [(LineItem::new(Item::HENKILOSTOKULUT), vec![1, 2])]);
        // 400 + 100 + 200 ≠ 710: the wages and social costs are not proven to be all personnel costs.
        rows[4] = row("Toimintamenot yhteensä", &[-710]);
        assert!(stand_ins(&rows, &table_sums(&rows)).is_empty());
        // A printed personnel-costs row needs no stand-in.
        rows[4] = row("Toimintamenot yhteensä", &[-700]);
        rows.insert(1, row("Henkilöstömenot", &[-500]));
        assert!(stand_ins(&rows, &table_sums(&rows)).is_empty());
    }

    #[test]
    fn unknown_rows_in_a_span_go_with_the_check() {
        let rows = vec![
            row("Myyntituotot", &[100]),
            row("Kiinteistötulot", &[50]),
            row("Toimintatuotot", &[150]),
            row("Verotulot", &[999]),
        ];
        let sums = table_sums(&rows);
        assert_eq!(sums.len(), 1);
        assert_eq!(sums[0].unread, [1]);
    }

    #[test]
    fn unlabelled_total_named_by_its_heading_when_it_adds_up() {
        let rows = vec![
            row("Toimintatulot", &[]),
            row("Myyntitulot", &[100]),
            row("Maksutulot", &[50]),
            row("", &[150]),
            row("Toimintamenot", &[]),
            row("Palvelujen ostot", &[-70]),
            row("", &[-75]),
        ];
        assert_eq!(unlabelled_totals(&rows), [(3, LineItem::new(Item::TOIMINTATUOTOT))]);
    }
}
