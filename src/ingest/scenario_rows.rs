//! Tables that print the budget's scenarios as rows under each line item, as many towns' execution tables
//! do:
//!
//! ```text
//! Talous                                 Talousarvio €   Toteutuma €   Poikkeama €
//! Toimintatulot          Alkuperäinen        2 000 400
//! Kv 27.5. §45           Muutos             -1 000 000
//!                        Yhteensä            5 722 400     5 805 607        83 207
//! Netto (Toimintakate)                        -604 400       359 691       964 091
//! ```
//!
//! The `Alkuperäinen` row is the budget (TA), each `Muutos` row one change with the council decision beside
//! it (kept as a [`BudgetChange`]), the `Yhteensä` row the budget after changes with the actuals and the
//! variance; a line item printed on one row (the margin) has its budget after changes there. The rows are
//! turned into one body row per line item with columns TA, TA-muutokset (the changes' sum, traced to their
//! cells), TA muutosten jälkeen and the table's other columns, so that sums, signs and figures are read as
//! in any other table.

use super::grid::Grid;
use super::label::{match_label, LabelMatch};
use super::structure::BodyRow;
use super::table::ValueColumn;
use crate::model::NotReadWhy;
use crate::model::{LineItem, Scenario};
use rust_decimal::Decimal;

/// What a row's stub says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Original,
    Change,
    Total,
}

fn kind_of(word: &str) -> Option<Kind> {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    match w.as_str() {
        "alkuperäinen" | "alkup" | "ursprunglig" | "ursprunglig budget" => Some(Kind::Original),
        "muutos" | "muutokset" | "ta-muutos" | "ändring" | "ändringar" | "budgetändring" => Some(Kind::Change),
        "yhteensä" | "yht" | "totalt" | "sammanlagt" | "summa" => Some(Kind::Total),
        _ => None,
    }
}

/// The text left of the figures of a row (the label column and any stub column), and the kind its last word
/// names with the text before that word.
fn stub(grid: &Grid, r: u32, first_value: u32) -> (String, Option<(Kind, String)>) {
    let text: Vec<String> = (grid.start.1..first_value).filter_map(|c| grid.get(r, c).text()).collect();
    let text = text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    let kind = text.rsplit_once(' ').map_or_else(
        || kind_of(&text).map(|k| (k, String::new())),
        |(rest, last)| kind_of(last).map(|k| (k, rest.to_string())),
    );
    (text, kind)
}

/// Is the body a scenarios-as-rows table: a row whose stub ends in `Alkuperäinen` (or `Ursprunglig`) and a
/// row that is the `Yhteensä` of it?
pub fn detect(grid: &Grid, from: u32, limit: u32, first_value: u32) -> bool {
    let kinds: Vec<Kind> = (from..limit).filter_map(|r| stub(grid, r, first_value).1.map(|(k, _)| k)).collect();
    kinds.contains(&Kind::Original) && kinds.contains(&Kind::Total)
}

/// A budget change printed as a row of its own: the council decision beside it (`Kv 22.4. §26`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub line_item: LineItem,
    pub decision: String,
    /// As printed (before the money unit and before costs printed positive are turned).
    pub value: Decimal,
    pub cell: String,
}

/// One line item's row of the turned table, with the cell each figure was read from (several for the
/// changes' sum).
#[derive(Debug, Clone)]
pub struct TurnedRow {
    pub row: BodyRow,
    pub cells: Vec<Vec<String>>,
}

/// A row that could not be placed: its cell, label and why.
#[derive(Debug, Clone)]
pub struct Unplaced {
    pub cell: String,
    pub label: String,
    pub reason: NotReadWhy,
}

/// The table turned: its columns, one row per line item, the change rows, and rows not placed.
#[derive(Debug, Clone)]
pub struct Turned {
    pub columns: Vec<ValueColumn>,
    pub rows: Vec<TurnedRow>,
    pub changes: Vec<ChangeRow>,
    pub unplaced: Vec<Unplaced>,
    /// The grid row after the last one read.
    pub end: u32,
}

/// Turns the body rows `from..limit` (value columns `columns`, the budget column the one of scenario TA).
/// Rows it cannot read are returned unplaced; `unreadable` names grid rows the reader could not split.
pub fn turn(
    grid: &Grid,
    from: u32,
    limit: u32,
    first_value: u32,
    columns: &[ValueColumn],
    unreadable: &std::collections::HashMap<u32, NotReadWhy>,
) -> Turned {
    let budget = columns.iter().position(|vc| matches!(vc.scenario, Scenario::Ta | Scenario::TaMuutettu));
    let year = budget.map(|b| columns[b].year).or_else(|| columns.first().map(|c| c.year)).unwrap_or(0);
    // Output columns: TA, the changes, TA after changes, then the table's other columns.
    let mut out_cols = vec![
        ValueColumn { col: u32::MAX, scenario: Scenario::Ta, year },
        ValueColumn { col: u32::MAX, scenario: Scenario::TaMuutokset, year },
        ValueColumn { col: u32::MAX, scenario: Scenario::TaMuutettu, year },
    ];
    let others: Vec<usize> = (0..columns.len()).filter(|&i| Some(i) != budget).collect();
    out_cols.extend(others.iter().map(|&i| columns[i].clone()));
    // Where an input column's figure goes outside the Alkuperäinen and Muutos rows: the budget column to TA
    // muutosten jälkeen, the others after the three budget columns in their order.
    let target = |i: usize| if Some(i) == budget { 2 } else { 3 + others.iter().position(|&o| o == i).unwrap_or(0) };
    let width = out_cols.len();
    let mut rows: Vec<TurnedRow> = Vec::new();
    let mut changes = Vec::new();
    let mut unplaced = Vec::new();
    let mut current: Option<usize> = None;
    let mut pending: Option<LineItem> = None;
    let mut blank_run = 0;
    let mut end = from;
    let row_for = |rows: &mut Vec<TurnedRow>, li: LineItem, label: &str, cell: String| -> usize {
        if let Some(k) = rows.iter().position(|t| t.row.line == Some(li)) {
            return k;
        }
        rows.push(TurnedRow {
            row: BodyRow { line: Some(li), of_which: false, label: label.to_string(), cell, values: vec![None; width] },
            cells: vec![Vec::new(); width],
        });
        rows.len() - 1
    };
    for r in from..limit {
        let (text, kind) = stub(grid, r, first_value);
        let label_cell = grid.cell_ref(r, grid.start.1);
        if let Some(reason) = unreadable.get(&r) {
            unplaced.push(Unplaced { cell: label_cell, label: text, reason: reason.clone() });
            end = r + 1;
            continue;
        }
        let mut values = Vec::with_capacity(columns.len());
        let mut bad = None;
        for vc in columns {
            match super::table::figure_cell(grid.get(r, vc.col)) {
                Ok(v) => values.push(v),
                Err(e) => {
                    bad.get_or_insert((grid.cell_ref(r, vc.col), e));
                    values.push(None);
                }
            }
        }
        if let Some((cell, reason)) = bad {
            unplaced.push(Unplaced { cell, label: text, reason: NotReadWhy::NotANumber { value: reason } });
            end = r + 1;
            continue;
        }
        let has_values = values.iter().any(Option::is_some);
        if text.is_empty() && !has_values {
            blank_run += 1;
            if blank_run >= 3 {
                break;
            }
            continue;
        }
        let known = |t: &str| match match_label(t, None) {
            LabelMatch::Exact(li) | LabelMatch::Typo(li, _) => Some(li),
            _ => None,
        };
        let (kind, rest) = match kind {
            Some((k, rest)) => (Some(k), rest),
            None => (None, text.clone()),
        };
        match kind {
            Some(Kind::Original) | Some(Kind::Total) => {
                let item = if rest.is_empty() { None } else { known(&rest) };
                let item =
                    item.or(if rest.is_empty() { pending.or(current.and_then(|k| rows[k].row.line)) } else { None });
                let Some(li) = item else {
                    if has_values {
                        let reason = if rest.is_empty() {
                            NotReadWhy::NoItemAbove
                        } else {
                            NotReadWhy::UnknownScenario { label: rest.clone() }
                        };
                        unplaced.push(Unplaced { cell: label_cell, label: text, reason });
                        end = r + 1;
                    }
                    continue;
                };
                let k = row_for(&mut rows, li, &rest, label_cell);
                current = Some(k);
                pending = None;
                if let Some(b) = budget {
                    let target = if kind == Some(Kind::Original) { 0 } else { 2 };
                    if let Some(v) = values[b] {
                        rows[k].row.values[target] = Some(v);
                        rows[k].cells[target] = vec![grid.cell_ref(r, columns[b].col)];
                    }
                }
                if kind == Some(Kind::Total) {
                    for &i in &others {
                        if let Some(v) = values[i] {
                            rows[k].row.values[target(i)] = Some(v);
                            rows[k].cells[target(i)] = vec![grid.cell_ref(r, columns[i].col)];
                        }
                    }
                }
                blank_run = 0;
                end = r + 1;
            }
            Some(Kind::Change) => {
                let (Some(k), Some(b)) = (current, budget) else {
                    if has_values {
                        unplaced.push(Unplaced {
                            cell: label_cell,
                            label: text,
                            reason: NotReadWhy::ChangeUnderNoItem,
                        });
                    }
                    continue;
                };
                if let Some(v) = values[b] {
                    let li = rows[k].row.line.unwrap_or_else(|| unreachable!("turned rows have items"));
                    let sum = rows[k].row.values[1].unwrap_or(Decimal::ZERO).checked_add(v);
                    rows[k].row.values[1] = sum;
                    let cell = grid.cell_ref(r, columns[b].col);
                    rows[k].cells[1].push(cell.clone());
                    changes.push(ChangeRow { line_item: li, decision: rest, value: v, cell });
                }
                blank_run = 0;
                end = r + 1;
            }
            None => match known(&rest) {
                Some(li) if has_values => {
                    // An item printed on one row (the margin): its budget is the budget after changes.
                    let k = row_for(&mut rows, li, &rest, label_cell);
                    current = Some(k);
                    pending = None;
                    for (i, vc) in columns.iter().enumerate() {
                        let Some(v) = values[i] else { continue };
                        rows[k].row.values[target(i)] = Some(v);
                        rows[k].cells[target(i)] = vec![grid.cell_ref(r, vc.col)];
                    }
                    blank_run = 0;
                    end = r + 1;
                }
                Some(li) => {
                    pending = Some(li);
                    current = None;
                }
                None if has_values => {
                    // An unknown row with figures ends the item above; it is kept as unread.
                    current = None;
                    pending = None;
                    rows.push(TurnedRow {
                        row: BodyRow {
                            line: None,
                            of_which: false,
                            label: rest.clone(),
                            cell: label_cell.clone(),
                            values: {
                                let mut v = vec![None; width];
                                for (i, value) in values.iter().enumerate() {
                                    v[target(i)] = *value;
                                }
                                v
                            },
                        },
                        cells: vec![Vec::new(); width],
                    });
                    unplaced.push(Unplaced {
                        cell: label_cell,
                        label: rest.clone(),
                        reason: if rest.trim().is_empty() {
                            NotReadWhy::NoLabel
                        } else {
                            NotReadWhy::UnknownScenario { label: rest.clone() }
                        },
                    });
                    end = r + 1;
                }
                None => {
                    // A heading or prose: the table ends at prose after it has rows.
                    if !rows.is_empty() && rest.split_whitespace().count() > 4 {
                        break;
                    }
                }
            },
        }
    }
    // The budget after changes of an item without change rows is its budget; the changes column stays blank.
    Turned { columns: out_cols, rows, changes, unplaced, end }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Range};

    fn grid(rows: &[&[&str]]) -> Grid {
        let w = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let mut range = Range::new((0, 0), (rows.len() as u32 - 1, w as u32 - 1));
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    range.set_value((r as u32, c as u32), Data::String(v.to_string()));
                }
            }
        }
        Grid::new(&range, Vec::new())
    }

    /// Seinäjoki, tilinpäätös 2024, p. 81 (PDF), 130 Yleishallinto, as a workbook would lay it out.
    #[test]
    fn seinajoki_yleishallinto_turns_into_items() {
        let g = grid(&[
            &["Toimintatulot", "Alkuperäinen", "2 000 400", "", ""],
            &["Kv 27.5. §45", "Muutos", "-1 000 000", "", ""],
            &["Kv 9.12. §98", "Muutos", "4 722 000", "", ""],
            &["", "Yhteensä", "5 722 400", "5 805 607", "83 207"],
            &["Toimintamenot", "Alkuperäinen", "6 024 800", "", ""],
            &["Kv 22.4. §26", "Muutos", "-31 000", "", ""],
            &["Kv 9.12. §98", "Muutos", "333 000", "", ""],
            &["", "Yhteensä", "6 326 800", "5 445 916", "880 884"],
            &["Netto (Toimintakate)", "", "-604 400", "359 691", "964 091"],
        ]);
        assert!(detect(&g, 0, 9, 2));
        let cols = vec![
            ValueColumn { col: 2, scenario: Scenario::Ta, year: 2024 },
            ValueColumn { col: 3, scenario: Scenario::Tp, year: 2024 },
            ValueColumn { col: 4, scenario: Scenario::Poikkeama, year: 2024 },
        ];
        let t = turn(&g, 0, 9, 2, &cols, &Default::default());
        assert!(t.unplaced.is_empty(), "{:?}", t.unplaced);
        let ids: Vec<&str> = t.rows.iter().map(|r| r.row.line.map_or("?", |l| l.item.id())).collect();
        assert_eq!(ids, ["toimintatuotot", "toimintakulut", "toimintakate"]);
        let d = |v: i64| Some(Decimal::from(v));
        assert_eq!(t.rows[0].row.values, vec![d(2_000_400), d(3_722_000), d(5_722_400), d(5_805_607), d(83_207)]);
        assert_eq!(t.rows[1].row.values, vec![d(6_024_800), d(302_000), d(6_326_800), d(5_445_916), d(880_884)]);
        assert_eq!(t.rows[2].row.values, vec![None, None, d(-604_400), d(359_691), d(964_091)]);
        assert_eq!(t.rows[1].cells[1], vec!["C6".to_string(), "C7".to_string()]);
        assert_eq!(t.changes.len(), 4);
        assert_eq!(t.changes[0].decision, "Kv 27.5. §45");
        assert_eq!(t.changes[3].value, Decimal::from(333_000));
    }
}
