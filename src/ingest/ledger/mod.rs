//! Ledger exports: rows per year, cost center (kustannuspaikka) and account (tili), with the budget, its
//! changes, the budget after changes and the actuals as columns (or one amount column and a scenario
//! column), from CSV/TSV files, workbook sheets and Parquet. Rows are summed in one streaming pass, exactly, per
//! (year, cost center, account); cost centers are mapped to units by the org file's `codes`, accounts to
//! line items by the chart (the KKNR ranges by default); each figure's source is the file and how many rows
//! fill it. A report export's group and total rows are told apart and checked, never summed. Nothing is
//! dropped: unmapped cost centers and accounts are reported with their totals and row counts, every money
//! column not read is named with its total, and a reconciliation per scenario and year shows total in =
//! mapped + unmapped, to the cent.
//!
//! `header` reads the columns' roles, `delimited` the CSV/TSV files and sheet rows, `parquet` Parquet files,
//! `mapping` the codes, `chart` the chart of accounts, `groups` the group rows; this module the options, the
//! amounts and the figures from the sums.

mod chart;
mod delimited;
mod groups;
mod header;
mod mapping;
pub(super) mod parquet;
mod rows;
mod thrift;

pub use chart::Chart;
pub use delimited::{is_ledger, read_ledger, read_ledger_rows};
use groups::{may_be_total, total_row, GroupCheck, GroupRow, MAX_GROUP_ROWS};
use mapping::{code_of, mapped_index, unit_of_cell, FastHash, Mapper, INTERNAL_BIT};

use crate::error::{Error, Result};
use crate::ingest::number::{parse_fi, Parsed};
use crate::ingest::workbook::WorkbookFigures;
use crate::model::{Figure, Item, Kind, LineItem, Org, Place, Said, Scenario, Source, Warning};
pub use header::is_ledger_header;
use header::year_of_cell;
use header::{layout_of, Layout, SLOTS};
use rows::{Dates, Fold, FOLDED};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// How to read ledgers: the chart of accounts and the column names (a name given replaces the defaults of
/// its column).
#[derive(Debug, Clone)]
pub struct LedgerOptions {
    pub chart: Chart,
    pub columns: LedgerColumns,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions { chart: Chart::default_chart(), columns: LedgerColumns::default() }
    }
}

/// Column names from `[ledger]` in poikkeama.toml; none means the defaults below.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerColumns {
    pub year: Option<String>,
    pub cost_center: Option<String>,
    pub account: Option<String>,
    pub budget: Option<String>,
    pub changes: Option<String>,
    pub actual: Option<String>,
    /// The long form: one amount column and a scenario column (talousarvio, muutokset, toteuma …).
    pub amount: Option<String>,
    pub scenario: Option<String>,
    /// A column that marks internal rows (sisäinen: 1/x/kyllä/S …; ulkoinen: 0/blank/ei/U …): their amounts go
    /// to the unit's internal items (Sisäiset erät), kept apart from the external lines.
    pub internal: Option<String>,
    /// The amounts' signs: `auto` (the default: costs summing positive and revenues not are a ledger's
    /// convention and are turned), `ledger` (costs positive, revenues negative: turned), `report` (revenues
    /// positive, costs negative, as the reports print them: kept).
    pub signs: Option<Signs>,
}

/// How a ledger's amounts are signed (`[ledger] signs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signs {
    Auto,
    Ledger,
    Report,
}

/// A scenario as a long-form ledger names it.
fn scenario_word(word: &str) -> Option<Scenario> {
    let w = word.trim().to_lowercase();
    AMOUNTS.iter().find(|(words, _)| words.contains(&w.as_str())).map(|(_, sc)| *sc)
}

/// Whether an internal-flag cell marks the row internal; None for a value that is neither.
fn internal_flag(cell: &[u8]) -> Option<bool> {
    let w = crate::ingest::text_of_bytes(trim_bytes(cell)).trim_matches('"').trim().to_lowercase();
    match w.as_str() {
        "" | "0" | "e" | "ei" | "n" | "no" | "nej" | "false" | "epätosi" | "u" | "ulkoinen" | "external" | "extern" => {
            Some(false)
        }
        "1" | "x" | "k" | "kyllä" | "kylla" | "y" | "yes" | "ja" | "true" | "tosi" | "s" | "i" | "sisäinen"
        | "sisainen" | "internal" | "intern" => Some(true),
        _ => None,
    }
}

/// A field without surrounding blanks and quotes.
fn trim_bytes(b: &[u8]) -> &[u8] {
    let b = b.trim_ascii();
    b.strip_prefix(b"\"").and_then(|x| x.strip_suffix(b"\"")).map_or(b, <[u8]>::trim_ascii)
}

/// Digits only, as a number (none for anything else or more than 18 digits).
fn digits_u64(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |a, d| a * 10 + u64::from(d - b'0')))
}

/// The common form of an amount, without allocating: an optional minus, digits, and a decimal comma or
/// point with up to nine decimals (`-1234,50`, `1234.5`). Anything else goes through the Finnish number parser.
fn amount_bytes(b: &[u8]) -> Option<Decimal> {
    let (neg, rest) = match b.split_first() {
        Some((b'-', r)) => (true, r),
        _ => (false, b),
    };
    let (int, frac) = match rest.iter().position(|c| *c == b',' || *c == b'.') {
        Some(p) => (&rest[..p], &rest[p + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    // Three decimals may be a thousands mark: the slow path tells.
    if int.is_empty()
        || frac.len() > 9
        || frac.len() == 3
        || int.len() > 18
        || (rest.len() > int.len() && frac.is_empty())
    {
        return None;
    }
    let i = digits_u64(int)?;
    let f = if frac.is_empty() { 0 } else { digits_u64(frac)? };
    let scale = frac.len() as u32;
    let m = i128::from(i) * 10i128.pow(scale) + i128::from(f);
    let d = Decimal::try_from_i128_with_scale(if neg { -m } else { m }, scale).ok()?;
    Some(d)
}

/// A ledger's amount text the fast path did not take: the Finnish number forms (`1 234,50`, `(200,00)`, `−5`),
/// a minus after the number as some financial systems print it (`1 234,50-`), and thousands marked by dots or
/// commas where the text shows which mark is which (`1.250.000`, `406.000,00`, `1,250,000.50`). One mark
/// followed by exactly three digits (`250.000`, `198,455`) could be either and is not an amount (see
/// [`ambiguous_mark`]).
fn ledger_amount(text: &str) -> Parsed {
    ledger_amount_with(text, None)
}

/// A cell's amount: the bytes' fast path ([`amount_bytes`]), else its text (made only then) read with the
/// thousands mark the file has shown, if any. Also whether that mark decided the reading (`250.000` read as
/// 250 000), for the count the reader reports.
fn cell_amount(raw: &[u8], text: impl FnOnce() -> String, thousands: Option<char>) -> (Parsed, bool) {
    if let Some(d) = amount_bytes(raw) {
        return (Parsed::Number(d), false);
    }
    if raw.is_empty() {
        return (Parsed::Blank, false);
    }
    let text = text();
    (ledger_amount_with(&text, thousands), thousands.is_some() && ambiguous_mark(&text))
}

/// [`ledger_amount`], where the file has shown which mark stands for thousands (`thousands`: a cell such as
/// `207.932,96` among its first rows): then `250.000` is 250 000, not a question.
fn ledger_amount_with(text: &str, thousands: Option<char>) -> Parsed {
    let t = text.trim();
    match t.strip_suffix(['-', '−']) {
        Some(body) if !body.is_empty() && !body.starts_with(['-', '−', '+', '(']) => {
            match plain_amount(body, thousands) {
                Parsed::Number(d) => Parsed::Number(negated(d)),
                other => other,
            }
        }
        _ => plain_amount(t, thousands),
    }
}

/// The mark a file's amounts use for thousands, where its text shows it unambiguously (`1.234,56` → `.`,
/// `1,234.56` → `,`) and never the other way round; none otherwise.
pub(super) fn thousands_mark(text: &str) -> Option<(char, String)> {
    let (mut dot, mut comma, mut example) = (false, false, String::new());
    for token in text.split(|c: char| c.is_whitespace() || c == ';' || c == '\t' || c == '"') {
        let t = token.trim_matches(|c: char| !c.is_ascii_digit());
        if let (Some(d), Some(c)) = (t.rfind('.'), t.rfind(',')) {
            match plain_amount(t, None) {
                Parsed::Number(_) if d < c => dot = true,
                Parsed::Number(_) => comma = true,
                _ => continue,
            }
            if example.is_empty() {
                example = crate::ingest::context::short(t);
            }
        }
    }
    match (dot, comma) {
        (true, false) => Some(('.', example)),
        (false, true) => Some((',', example)),
        _ => None,
    }
}

/// [`parse_fi`], and thousands marked by dots or commas: the mark used between groups of three digits more
/// than once, or before the other mark (the decimal one), is the thousands mark; a lone mark before three
/// digits is one only where the file has shown it (`thousands`).
fn plain_amount(t: &str, thousands: Option<char>) -> Parsed {
    if ambiguous_mark(t) {
        return match thousands.filter(|m| t.contains(*m)) {
            Some(m) => parse_fi(&t.replace(m, "")),
            None => Parsed::NotANumber,
        };
    }
    match parse_fi(t) {
        Parsed::NotANumber => {}
        other => return other,
    }
    // In parentheses, negative (`(66.165,36)`).
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        return match plain_amount(inner.trim(), thousands) {
            Parsed::Number(d) => Parsed::Number(negated(d)),
            other => other,
        };
    }
    let (sign, body) = match t.strip_prefix(['-', '−']) {
        Some(b) => ("-", b.trim_start()),
        None => ("", t),
    };
    let (dots, commas) = (body.matches('.').count(), body.matches(',').count());
    let (thousands, decimal) = match (body.rfind('.'), body.rfind(',')) {
        (Some(d), Some(c)) if d < c && commas == 1 => ('.', Some(',')),
        (Some(d), Some(c)) if c < d && dots == 1 => (',', Some('.')),
        (Some(_), None) if dots > 1 => ('.', None),
        (None, Some(_)) if commas > 1 => (',', None),
        _ => return Parsed::NotANumber,
    };
    let (int, frac) = match decimal.and_then(|m| body.split_once(m)) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = int.split(thousands).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.iter().all(|g| digits(g))
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && frac.is_none_or(digits);
    if !grouped {
        return Parsed::NotANumber;
    }
    let plain = format!("{sign}{}{}", groups.concat(), frac.map(|f| format!(".{f}")).unwrap_or_default());
    parse_fi(&plain)
}

/// An amount with one dot or comma followed by exactly three digits and at most three before it (`250.000`,
/// `-198,455`): a thousands mark (250 000) or three decimals (250,000)? Money has two decimals, and the file
/// does not say: not read, never guessed.
fn ambiguous_mark(t: &str) -> bool {
    let body = t.trim().trim_start_matches(['-', '−', '+', '(']).trim_end_matches(['-', '−', ')']);
    let marks: Vec<usize> = body.match_indices(['.', ',']).map(|(i, _)| i).collect();
    let [m] = marks[..] else { return false };
    let (int, frac) = (&body[..m], &body[m + 1..]);
    frac.len() == 3
        && (1..=3).contains(&int.len())
        && int.bytes().all(|b| b.is_ascii_digit())
        && !int.starts_with('0')
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Why an amount cell is not an amount, in words for its error.
fn not_an_amount(cell: &str) -> String {
    if ambiguous_mark(cell) {
        let mark = if cell.contains('.') { "dot" } else { "comma" };
        format!(
            "{} is not read: its {mark} could mark thousands or three decimals (money has two), and the file does \
             not say which; write it without the {mark} or with two decimals",
            crate::error::quoted(cell)
        )
    } else {
        format!("{} is not an amount", crate::error::quoted(cell))
    }
}

/// `-d`, but zero stays `0` (a decimal's negative zero would print as `-0`).
fn negated(d: Decimal) -> Decimal {
    if d.is_zero() {
        Decimal::ZERO
    } else {
        -d
    }
}

/// Scenario words of a long-form ledger's scenario column.
const AMOUNTS: &[(&[&str], Scenario)] = &[
    (&["talousarvio", "budget", "ta", "budjetti", "alkuperäinen talousarvio"], Scenario::Ta),
    (
        &[
            "muutokset",
            "muutos",
            "ta-muutokset",
            "ta-muutos",
            "talousarviomuutos",
            "budjettimuutos",
            "ändring",
            "change",
            "talousarviomuutokset",
            "budjettimuutokset",
            "changes",
            "ändringar",
        ],
        Scenario::TaMuutokset,
    ),
    (&["toteuma", "toteutuma", "tp", "tilinpäätös", "actual", "actuals", "utfall", "bokslut"], Scenario::Tp),
];

/// The scheme's totals (toimintatuotot, toimintakulut, toimintakate …) of a ledger's figures, per unit,
/// scenario and year: a ledger posts to accounts, which map to the lines the totals are made of, and the
/// reports are read by their totals (the council summary's toimintakate). A total is the exact sum of its
/// terms present, each total from the terms below it, and of the rows posted to it directly (an account of
/// the taxonomy's range of the total outside every sub-range of it: 3500-3559 muut tuotot under muut
/// toimintatuotot beside 3400-3499 vuokratuotot); one no term of which is present is not made. Its source is
/// the rows of its terms. Returns the figures with the totals; None when a sum is beyond the exact range.
fn scheme_totals(mut figures: Vec<Figure>) -> Option<Vec<Figure>> {
    // Per (unit, scenario, year): each line's amount, rows and where its figure is.
    type Lines = HashMap<Item, (Decimal, u64, usize)>;
    let mut groups: std::collections::BTreeMap<(String, Scenario, i32), Lines> = std::collections::BTreeMap::new();
    for (k, f) in figures.iter().enumerate().filter(|(_, f)| !f.line_item.of_which_internal) {
        let rows = match f.source.place {
            Place::Rows { count } => count,
            _ => 0,
        };
        groups.entry((f.unit.clone(), f.scenario, f.year)).or_default().insert(f.line_item.item, (f.amount, rows, k));
    }
    /// An item's amount and rows: its own rows and its terms'.
    fn value(item: Item, present: &Lines) -> Option<Option<(Decimal, u64)>> {
        let mut sum: Option<(Decimal, u64)> = present.get(&item).map(|(a, r, _)| (*a, *r));
        for term in item.terms() {
            if let Some((a, r)) = value(*term, present)? {
                let (s, n) = sum.unwrap_or((Decimal::ZERO, 0));
                sum = Some((s.checked_add(a)?, n + r));
            }
        }
        Some(sum)
    }
    let mut made = Vec::new();
    for ((unit, scenario, year), present) in &groups {
        let Some((_, _, first)) = present.values().next() else { continue };
        let file = figures[*first].source.file.clone();
        for total in Item::all().filter(|i| i.is_subtotal()) {
            let terms_present = total.terms().iter().any(|t| value(*t, present).is_some_and(|v| v.is_some()));
            let Some((amount, count)) = value(total, present)? else { continue };
            match present.get(&total) {
                // Rows posted to the total itself, and terms beside them: the total is both.
                Some((_, _, k)) if terms_present => {
                    figures[*k].amount = amount;
                    figures[*k].source.place = Place::Rows { count };
                }
                Some(_) => {}
                None => made.push(Figure {
                    unit: unit.clone(),
                    line_item: LineItem::new(total),
                    scenario: *scenario,
                    year: *year,
                    amount,
                    source: Source { file: file.clone(), place: Place::Rows { count }, factor: Decimal::ONE },
                }),
            }
        }
    }
    figures.extend(made);
    Some(figures)
}

/// Ledger rows booked on a unit that has units below it (a parent's own cost centers: the budget kept at the
/// department, the spending on its areas) go to a child of their own, `<unit> (omat kirjaukset)`, added to the
/// org. The parent's figures are then the sum of its children's, own rows included, so its variance is
/// computed after the rollup; taken as the parent's reported total, they would be called rollup errors that
/// are not. Returns the org, extended where rows moved.
pub fn separate_own_postings(figures: &mut [Figure], org: Option<Org>) -> Option<Org> {
    let mut org = org?;
    let mut moved: HashMap<String, Option<String>> = HashMap::new();
    for f in figures.iter_mut().filter(|f| matches!(f.source.place, Place::Rows { .. })) {
        let own = match moved.get(&f.unit) {
            Some(own) => own.clone(),
            None => {
                let own = if org.has_children(&f.unit) { org.own_postings_unit(&f.unit) } else { None };
                moved.insert(f.unit.clone(), own.clone());
                own
            }
        };
        if let Some(own) = own {
            f.unit = own;
        }
    }
    Some(org)
}

/// The figures of a ledger's sums per (year, cost center, account): cost centers and accounts mapped, once
/// each; unmapped ones and the reconciliation as warnings. `slots` gives each sums slot's scenario, and the
/// year its column's header names (else the row's year, the key's).
fn figures_from_sums(
    chunk: Chunk,
    layout: &Layout,
    shown: &str,
    org: Option<&Org>,
    options: &LedgerOptions,
    period: Option<&crate::model::Period>,
) -> Result<WorkbookFigures> {
    let slots = &layout.slots()[..];
    let chart = &options.chart;
    // Month columns beside their year's total: (unit, item, scenario, year) → (the total's sum, the months').
    type MonthKey = (Option<u32>, Option<Item>, Scenario, i32);
    let mut months: std::collections::BTreeMap<MonthKey, (Decimal, Decimal)> = Default::default();
    let has_months = |k: usize| layout.check_of.contains(&Some(k));
    let Chunk {
        sums,
        names,
        seen,
        errors,
        groups,
        groups_dropped,
        cost_centers,
        cc_items,
        unread,
        dates,
        fold,
        headed,
        marks_read,
        ..
    } = chunk;
    // Columns not read: each named with its total (a percentage's is no sum); months that name no scenario
    // together, as a warning, with theirs.
    let mut not_read: Vec<Warning> = Vec::new();
    let (mut month_names, mut months_total) = (Vec::new(), Some(Decimal::ZERO));
    for (i, c) in layout.unread_cols.iter().enumerate() {
        let total = unread.get(i).copied();
        if layout.month_cols.contains(c) {
            month_names.push(layout.header[*c].clone());
            months_total = months_total.zip(total).and_then(|(a, b)| a.checked_add(b));
            continue;
        }
        let total = total.filter(|_| !layout.percent_cols.contains(c));
        let said = Said::ColumnNotRead { column: layout.header[*c].clone(), total };
        not_read.push(Warning { location: shown.to_string(), said });
    }
    if !month_names.is_empty() {
        let said = Said::MonthsNotRead { columns: month_names, total: months_total };
        not_read.push(Warning { location: shown.to_string(), said });
    }
    if let Some(e) = Error::from_list(errors) {
        return Err(e);
    }
    if sums.is_empty() && groups.is_empty() {
        let mut out = WorkbookFigures::default();
        out.warnings.push(Warning { location: shown.to_string(), said: Said::EmptyLedger });
        return Ok(out);
    }
    // Map cost centers and accounts, once each, by their keys; names only at the end.
    let code = |k: u64| code_of(k, &names);
    let mut unit_names: Vec<String> = Vec::new();
    let mut units: HashMap<u64, Option<u32>, FastHash> = HashMap::default();
    let mut items: HashMap<u64, Option<Item>, FastHash> = HashMap::default();
    type Total = (Decimal, u64);
    let mut mapped: HashMap<(u32, Item, Scenario, i32), Total, FastHash> = HashMap::default();
    let mut no_unit: HashMap<(u64, Scenario, i32), Total, FastHash> = HashMap::default();
    let mut no_item: HashMap<(u64, Scenario, i32), Total, FastHash> = HashMap::default();
    let mut totals: HashMap<(Scenario, i32), [Decimal; 3], FastHash> = HashMap::default();
    // Each unit's rows, mapped to a line item or not (a report export's unit total is checked against them).
    let mut unit_all: HashMap<(u32, Scenario, i32), Total, FastHash> = HashMap::default();
    // Every sum checked: past the exact range is one error for the file, never a panic or a wrong figure.
    let mut overflow = false;
    let sum = |x: &mut Decimal, d: Decimal, overflow: &mut bool| match x.checked_add(d) {
        Some(v) => *x = v,
        None => *overflow = true,
    };
    let add = |t: &mut Total, d: Decimal, n: u64, overflow: &mut bool| {
        sum(&mut t.0, d, overflow);
        t.1 += n;
    };
    for ((year, cc_key, acc_key), (amounts, slot_rows)) in &sums {
        let unit = *units.entry(*cc_key).or_insert_with(|| {
            let name = match mapped_index(*cc_key) {
                Some(i) => org?.units.get(i)?.name.clone(),
                None => org.and_then(|o| unit_of_cell(o, &code(*cc_key))).map(|u| u.name.clone())?,
            };
            match unit_names.iter().position(|n| *n == name) {
                Some(i) => Some(i as u32),
                None => {
                    unit_names.push(name);
                    Some(unit_names.len() as u32 - 1)
                }
            }
        });
        // An internal row's amount goes to the unit's internal items, whatever operating line its account is.
        let item = *items.entry(*acc_key).or_insert_with(|| {
            if let Some(i) = mapped_index(*acc_key) {
                return Item::from_index(i);
            }
            if acc_key & !INTERNAL_BIT == FOLDED {
                return None;
            }
            let item = chart.item_of(&code(*acc_key))?;
            Some(if acc_key & INTERNAL_BIT != 0 { Item::SISAISET_ERAT } else { item })
        });
        for (k, (sc, slot_year)) in slots.iter().enumerate() {
            let year = &slot_year.unwrap_or(*year);
            let d = amounts[k];
            // A month beside its total is checked against it, never summed into the figures.
            if layout.check_of.get(k).copied().flatten().is_some() {
                let e = months.entry((unit, item, *sc, *year)).or_default();
                e.1 = e.1.checked_add(d).unwrap_or(e.1);
                continue;
            }
            if has_months(k) {
                let e = months.entry((unit, item, *sc, *year)).or_default();
                e.0 = e.0.checked_add(d).unwrap_or(e.0);
            }
            // Two columns of one figure (debit and credit) count its rows once, on the first; a figure no row
            // fills (blank cells) is none.
            let canon = layout.canonical_slot(k);
            if slot_rows[canon] == 0 {
                continue;
            }
            let rows = &if canon == k { slot_rows[k] } else { 0 };
            let t = totals.entry((*sc, *year)).or_insert([Decimal::ZERO; 3]);
            sum(&mut t[0], d, &mut overflow);
            if let Some(u) = unit {
                add(unit_all.entry((u, *sc, *year)).or_default(), d, *rows, &mut overflow);
            }
            match (unit, item) {
                (Some(u), Some(it)) => {
                    sum(&mut t[1], d, &mut overflow);
                    add(mapped.entry((u, it, *sc, *year)).or_default(), d, *rows, &mut overflow);
                }
                (None, _) => {
                    sum(&mut t[2], d, &mut overflow);
                    add(no_unit.entry((*cc_key, *sc, *year)).or_default(), d, *rows, &mut overflow);
                }
                (Some(_), None) => {
                    sum(&mut t[2], d, &mut overflow);
                    add(no_item.entry((*acc_key & !INTERNAL_BIT, *sc, *year)).or_default(), d, *rows, &mut overflow);
                }
            }
        }
    }
    if overflow {
        return Err(Error::File {
            path: shown.to_string(),
            reason: "the amounts' sum is beyond the exact range (more than 7.9 × 10^28): check the amounts".into(),
        });
    }
    // Last year's actuals up to the interim period's month (its actuals to date): the months of its rows the
    // sums still hold (a group row taken out of the sums is out of these too).
    if let Some(p) = period {
        let last = p.year - 1;
        for ((year, month, cc_key, acc_key), (amount, rows)) in &dates.monthly {
            if *year != last || *month > p.months || !sums.contains_key(&(*year, *cc_key, *acc_key)) {
                continue;
            }
            let (Some(Some(u)), Some(Some(it))) = (units.get(cc_key), items.get(acc_key)) else { continue };
            let e: &mut Total = mapped.entry((*u, *it, Scenario::Kausi, last)).or_default();
            e.0 = e.0.checked_add(*amount).ok_or_else(|| Error::File {
                path: shown.to_string(),
                reason: "the amounts' sum is beyond the exact range".into(),
            })?;
            e.1 += rows;
        }
    }
    let mut out = WorkbookFigures::default();
    // The signs: a ledger books costs as positive (debit) and revenues as negative (credit); the reports, as
    // the published tables, print revenues positive and costs negative. Costs summing positive while revenues
    // do not are the ledger's convention (a purchase-invoice export has costs only, positive), and every
    // amount is turned; the findings say so.
    let (mut costs, mut revenues) = (Decimal::ZERO, Decimal::ZERO);
    for ((_, item, _, _), (amount, _)) in mapped.iter().filter(|((_, _, sc, _), _)| *sc != Scenario::Kausi) {
        match item.kind() {
            Kind::Cost => costs = costs.checked_add(*amount).unwrap_or(costs),
            Kind::Revenue => revenues = revenues.checked_add(*amount).unwrap_or(revenues),
            Kind::Net => {}
        }
    }
    let signs = options.columns.signs.unwrap_or(Signs::Auto);
    let turn = match signs {
        Signs::Ledger => true,
        Signs::Report => false,
        Signs::Auto => costs > Decimal::ZERO && revenues <= Decimal::ZERO,
    };
    let raw_totals: HashMap<(Scenario, i32), Decimal> = totals.iter().map(|(k, t)| (*k, t[0])).collect();
    let groups = GroupCheck {
        groups: &groups,
        dropped: groups_dropped,
        cost_centers: &cost_centers,
        cc_items: &cc_items,
        slots,
        shown,
        org,
    };
    let (printed_totals, group_warnings) = groups.check(&mapped, &unit_all, &unit_names, &raw_totals, turn);
    out.totals = printed_totals;
    out.warnings.extend(group_warnings);
    // The months' sums against their year's total.
    for ((unit, item, scenario, year), (total, sum)) in months {
        let sign = |d: Decimal| if turn { negated(d) } else { d };
        // The columns by their headers: the total's, and its months' first and last.
        let total_slot = (0..slots.len()).find(|t| slots[*t].0 == scenario && layout.check_of.contains(&Some(*t)));
        let header_of = |k: usize| layout.header[layout.amount_cols[k].0].clone();
        let total_name = total_slot.map(header_of).unwrap_or_default();
        let month_cols: Vec<String> = (0..slots.len())
            .filter(|k| total_slot.is_some() && layout.check_of[*k] == total_slot)
            .map(header_of)
            .collect();
        let month_names = crate::model::month_span(&month_cols).replace(" … ", "\" … \"");
        out.totals.push(crate::model::PrintedTotal {
            unit: unit.map_or_else(|| shown.to_string(), |u| unit_names[u as usize].clone()),
            line_item: item.map(LineItem::new),
            scenario,
            year,
            printed: sign(total),
            computed: sign(sum),
            printed_at: format!("{shown} \"{}\"", total_name),
            computed_from: format!("{shown} \"{}\"", month_names),
            certain: true,
            of_months: true,
        });
    }
    out.warnings.extend(layout.inferred.iter().map(|said| Warning { location: shown.to_string(), said: said.clone() }));
    out.warnings.append(&mut not_read);
    if let (Some((mark, example)), true) = (&layout.thousands, marks_read > 0) {
        out.warnings.push(Warning {
            location: shown.to_string(),
            said: Said::ThousandsMark { mark: *mark, example: example.clone(), count: marks_read },
        });
    }
    if headed.0 > 0 {
        out.warnings.push(Warning {
            location: format!("{shown}:{}", headed.1),
            said: Said::CostCenterHeadings { rows: headed.0 },
        });
    }
    if turn {
        for (amount, _) in mapped.values_mut().chain(no_unit.values_mut()).chain(no_item.values_mut()) {
            *amount = negated(*amount);
        }
        for t in totals.values_mut() {
            for x in t.iter_mut() {
                *x = negated(*x);
            }
        }
        out.warnings.push(Warning {
            location: shown.to_string(),
            said: Said::SignsTurned { costs, revenues, configured: signs == Signs::Ledger },
        });
    }
    if let Some(((u, it, sc, y), (amount, _))) = mapped.iter().find(|(_, (a, _))| !crate::model::plausible(*a)) {
        return Err(Error::File {
            path: shown.to_string(),
            reason: format!(
                "{} {} {sc} {y} sums to {amount}, beyond any budget (more than 10^15 €): check the amounts",
                unit_names[*u as usize],
                it.id()
            ),
        });
    }
    let mut figures: Vec<Figure> = mapped
        .into_iter()
        .map(|((unit, item, scenario, year), (amount, rows))| Figure {
            unit: unit_names[unit as usize].clone(),
            line_item: LineItem::new(item),
            scenario,
            year,
            // Revenue accounts carry credit balances as negative numbers in many exports; the sign the
            // scheme expects is checked by the engine (signs), not changed here.
            amount,
            source: Source { file: shown.to_string(), place: Place::Rows { count: rows }, factor: Decimal::ONE },
        })
        .collect();
    figures.sort_by(|a, b| (&a.unit, a.line_item, a.scenario, a.year).cmp(&(&b.unit, b.line_item, b.scenario, b.year)));
    let mut figures = scheme_totals(figures).ok_or_else(|| Error::File {
        path: shown.to_string(),
        reason: "the amounts' sum is beyond the exact range".into(),
    })?;
    figures.sort_by(|a, b| (&a.unit, a.line_item, a.scenario, a.year).cmp(&(&b.unit, b.line_item, b.scenario, b.year)));
    out.figures = figures;
    // Unmapped codes: the largest by amount named (their codes cut short), the rest counted and summed per
    // scenario and year, so that a million stray codes make a few lines, not a million.
    const NAMED: usize = 20;
    let mut unmapped: Vec<Warning> = Vec::new();
    let at = |said| Warning { location: shown.to_string(), said };
    // Folded codes counted per scenario and year, less those another reading thread kept sums of.
    let own_of = |m: &HashMap<(u64, Scenario, i32), Total, FastHash>| -> std::collections::HashSet<u64> {
        m.keys().map(|(k, _, _)| *k).filter(|k| *k != FOLDED).collect()
    };
    let own = [own_of(&no_unit), own_of(&no_item)];
    let folded = [&fold.cost_centers, &fold.accounts];
    let folded_count = [rows::folded_counts(folded[0], &own[0]), rows::folded_counts(folded[1], &own[1])];
    for (accounts, entries) in [(false, no_unit.into_iter().collect::<Vec<_>>()), (true, no_item.into_iter().collect())]
    {
        let mut entries = entries;
        entries.sort_by(|a, b| b.1 .0.abs().cmp(&a.1 .0.abs()).then(a.0 .0.cmp(&b.0 .0)));
        let mut rest: std::collections::BTreeMap<(Scenario, i32), (u64, Decimal, u64)> = Default::default();
        let mut named = 0;
        for ((key, scenario, year), (amount, rows)) in entries.into_iter() {
            if key == FOLDED {
                let e = rest.entry((scenario, year)).or_default();
                e.0 += folded_count[usize::from(accounts)].get(&(scenario, year)).copied().unwrap_or(0);
                e.1 = e.1.checked_add(amount).unwrap_or(e.1);
                e.2 += rows;
                continue;
            }
            named += 1;
            if named > NAMED {
                let e = rest.entry((scenario, year)).or_default();
                e.0 += 1;
                e.1 = e.1.checked_add(amount).unwrap_or(e.1);
                e.2 += rows;
                continue;
            }
            let shortened = crate::ingest::context::short(&code(key));
            unmapped.push(at(if accounts {
                Said::UnmappedAccount { account: shortened, scenario, year, amount, rows }
            } else {
                Said::UnmappedCostCenter { code: shortened, scenario, year, amount, rows }
            }));
        }
        for ((scenario, year), (count, amount, rows)) in rest {
            let i = usize::from(accounts);
            let among_first = (!folded[i].is_empty()).then_some(own[i].len() as u64);
            unmapped.push(at(Said::UnmappedMore { accounts, count, among_first, scenario, year, amount, rows }));
        }
    }
    unmapped.sort_by_key(|w| w.said.to_string());
    out.warnings.extend(unmapped);
    let mut recon: Vec<((Scenario, i32), [Decimal; 3])> = totals.into_iter().collect();
    recon.sort_by_key(|(k, _)| *k);
    for ((scenario, year), [total, mapped, unmapped]) in recon.into_iter().filter(|(k, _)| seen.contains(k)) {
        out.warnings.push(Warning {
            location: shown.to_string(),
            said: Said::Reconciliation { scenario, year, total, mapped, unmapped },
        });
    }
    Ok(out)
}

/// A key's sums per amount slot, and per slot the rows that fill it (a blank cell is no row of that figure).
type Sums = ([Decimal; SLOTS], [u64; SLOTS]);

/// The sums of a run of rows, its interned codes, the scenarios and years it has, and its errors.
#[derive(Default)]
struct Chunk {
    pub sums: HashMap<(i32, u64, u64), Sums, FastHash>,
    pub names: Vec<String>,
    pub seen: Vec<(Scenario, i32)>,
    pub errors: Vec<Error>,
    /// A report export's group and total rows, never summed as accounts (at most [`MAX_GROUP_ROWS`] kept).
    pub groups: Vec<GroupRow>,
    /// Group rows beyond those kept.
    pub groups_dropped: u64,
    /// Each cost center met (its code) and the unit the org file maps it to (its index).
    pub cost_centers: Vec<(String, usize)>,
    /// Each cost center (its code) and the line items its rows post to: which group rows a cost center needs.
    pub cc_items: Vec<(String, Option<Item>)>,
    /// The totals of the columns not read (`Layout::unread_cols`), in their order.
    pub unread: Vec<Decimal>,
    /// The accounts met whose codes are digits: a code that heads others (`4000` and `400010`) may be a group.
    pub accounts: Vec<u64>,
    /// Accounts whose names name a scheme total above the line the chart gives their codes (`4000
    /// Personalkostnader`, `3000 Toimintatuotot`), with that total: groups where their figures show it.
    pub named_heads: Vec<(u64, Item)>,
    /// What the rows' dates say (a ledger with dates or periods).
    pub dates: Dates,
    /// Unmapped codes summed under [`FOLDED`].
    pub fold: Fold,
    /// Amounts whose one mark before three digits was read as thousands, as the file's first rows show.
    pub marks_read: u64,
    /// Rows whose blank cost center was their heading row's, and the first heading's line.
    pub headed: (u64, u64),
    /// Two halves' sums of one key passed the exact decimal range when added (see [`Chunk::overflow_error`]).
    pub overflowed: bool,
}

/// The interim period a ledger's actuals cover: up to `--period`'s month (its later actuals not read), else
/// up to the last month the report year's actuals are dated where that is not December; none for a whole year
/// or a ledger without months. With what to say about it.
fn interim_period(chunk: &Chunk) -> Option<(crate::model::Period, Said)> {
    let (after_rows, after_sum) = chunk.dates.after_period;
    let (year, months, by_option) = match crate::ingest::context::configured_period() {
        Some((y, m)) => (y, m, true),
        None => {
            let (y, m) = chunk.dates.last_month.iter().max_by_key(|(y, _)| *y).copied()?;
            (y, m, false)
        }
    };
    if months >= 12 || !chunk.dates.last_month.iter().any(|(y, _)| *y == year) {
        return None;
    }
    let from = if by_option { format!("--period {year}-{months:02}") } else { "the ledger's dates".to_string() };
    let period = crate::model::Period { year, months, from };
    let said = Said::ActualsToDate {
        year,
        months,
        by_option,
        after_rows,
        after_sum: after_sum.normalize().to_string(),
        undated: chunk.dates.undated,
    };
    Some((period, said))
}

/// A ledger's actuals of an interim period's year are actuals to date ([`Scenario::Kausi`]), never the
/// year's: relabelled, said, and the period handed on.
fn apply_period(out: &mut WorkbookFigures, period: Option<(crate::model::Period, Said)>, shown: &str) {
    let Some((period, said)) = period else { return };
    for f in out.figures.iter_mut().filter(|f| f.scenario == Scenario::Tp && f.year == period.year) {
        f.scenario = Scenario::Kausi;
    }
    for t in out.totals.iter_mut().filter(|t| t.scenario == Scenario::Tp && t.year == period.year) {
        t.scenario = Scenario::Kausi;
    }
    out.warnings.push(Warning { location: shown.to_string(), said });
    out.periods.push(period);
}

impl Chunk {
    /// The error for sums past the exact range, naming the file (the rows' own sums name their lines).
    fn overflow_error(&mut self, shown: &str) {
        if self.overflowed && self.errors.is_empty() {
            self.errors.push(Error::File {
                path: shown.to_string(),
                reason: "the amounts of one cost center and account sum past the exact decimal range (more than \
                         7.9 × 10^28): check the amounts"
                    .into(),
            });
        }
    }

    /// A code's key (see [`code_key`]).
    pub fn key(&mut self, code: &str, interned: &mut HashMap<String, u64>) -> u64 {
        code_key(code.as_bytes(), || code.to_string(), &mut self.names, interned)
    }
}

/// A code's key without allocating for the usual case: a code of digits (no leading zero, below 2^61) is its
/// number; any other is interned by its text (`text`, asked for only then) into `names`.
fn code_key(
    raw: &[u8],
    text: impl FnOnce() -> String,
    names: &mut Vec<String>,
    interned: &mut HashMap<String, u64>,
) -> u64 {
    match digits_u64(raw).filter(|n| *n < 1 << 61 && !(raw.len() > 1 && raw[0] == b'0')) {
        Some(n) => n,
        None => {
            let text = text();
            *interned.entry(text.clone()).or_insert_with(|| {
                names.push(text);
                (1 << 63) | (names.len() as u64 - 1)
            })
        }
    }
}

impl Chunk {
    /// Adds another run's sums to this one's, its interned codes re-keyed.
    fn merge(mut self, other: Chunk) -> Chunk {
        let mut index: HashMap<String, u64> =
            self.names.iter().enumerate().map(|(i, n)| (n.clone(), (1 << 63) | i as u64)).collect();
        let mut rekey = |k: u64, names: &mut Vec<String>| -> u64 {
            if k >> 63 == 0 || mapped_index(k).is_some() || k & !INTERNAL_BIT == FOLDED {
                return k;
            }
            let flag = k & INTERNAL_BIT;
            let name = &other.names[(k & !(1 << 63) & !INTERNAL_BIT) as usize];
            flag | *index.entry(name.clone()).or_insert_with(|| {
                names.push(name.clone());
                (1 << 63) | (names.len() as u64 - 1)
            })
        };
        for ((year, cc, acc), (amounts, rows)) in other.sums {
            let key = (year, rekey(cc, &mut self.names), rekey(acc, &mut self.names));
            let entry = self.sums.entry(key).or_insert(([Decimal::ZERO; SLOTS], [0; SLOTS]));
            for (sum, a) in entry.0.iter_mut().zip(amounts) {
                match sum.checked_add(a) {
                    Some(s) => *sum = s,
                    None => self.overflowed = true,
                }
            }
            for (n, r) in entry.1.iter_mut().zip(rows) {
                *n += r;
            }
        }
        for s in other.seen {
            if !self.seen.contains(&s) {
                self.seen.push(s);
            }
        }
        self.errors.extend(other.errors);
        let room = MAX_GROUP_ROWS.saturating_sub(self.groups.len());
        self.groups_dropped += other.groups_dropped + other.groups.len().saturating_sub(room) as u64;
        self.groups.extend(other.groups.into_iter().take(room));
        for cc in other.cost_centers {
            if !self.cost_centers.contains(&cc) {
                self.cost_centers.push(cc);
            }
        }
        if self.unread.len() < other.unread.len() {
            self.unread.resize(other.unread.len(), Decimal::ZERO);
        }
        for (t, u) in self.unread.iter_mut().zip(other.unread) {
            *t = t.checked_add(u).unwrap_or(*t);
        }
        self.accounts.extend(other.accounts);
        self.accounts.sort_unstable();
        self.accounts.dedup();
        self.named_heads.extend(other.named_heads);
        let rekey_names = &mut self.names;
        self.overflowed |= !self.dates.merge(other.dates, |k| rekey(k, rekey_names));
        self.fold.merge(other.fold, |k| rekey(k, rekey_names));
        self.marks_read += other.marks_read;
        self.headed.0 += other.headed.0;
        if self.headed.1 == 0 {
            self.headed.1 = other.headed.1;
        }
        self.overflowed |= other.overflowed;
        self.named_heads.sort_unstable_by_key(|(a, _)| *a);
        self.named_heads.dedup_by_key(|(a, _)| *a);
        let mut have: std::collections::HashSet<(String, Option<Item>)> = self.cc_items.drain(..).collect();
        have.extend(other.cc_items);
        self.cc_items = have.into_iter().collect();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::delimited::{split_point, sum_rows};
    use super::*;
    use std::io::Read;

    /// The two-thread reading gives the same sums as one pass, interned codes included, and errors name the
    /// file's own lines.
    #[test]
    fn halves_merge_into_the_sums_of_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.csv");
        let mut text = String::from("vuosi,kp,tili,sis,ta,tp\n");
        for i in 0..400 {
            let cc = if i % 3 == 0 { "K-01".to_string() } else { format!("{}", 1100 + i % 7) };
            let acc = if i % 11 == 0 { "S-43".to_string() } else { format!("{}", 4300 + i % 5) };
            let internal = if i % 4 == 0 { "x" } else { "" };
            text.push_str(&format!("2024,{cc},{acc},{internal},{}.25,-{}\n", i, i * 2));
        }
        text.push_str("2024,1100,4300,,x,1\n");
        std::fs::write(&path, &text).unwrap();
        let chart = Chart::default_chart();
        let layout = Layout {
            year_col: Some(0),
            cc_col: 1,
            acc_col: 2,
            amount_cols: vec![(4, Scenario::Ta), (5, Scenario::Tp)],
            amount_years: vec![None, None],
            negated: vec![false, false],
            check_of: vec![None, None],
            inferred: Vec::new(),
            unread_cols: Vec::new(),
            thousands: None,
            factors: vec![Decimal::ONE; 2],
            percent_cols: Vec::new(),
            month_cols: Vec::new(),
            long: None,
            internal_col: Some(3),
            name_col: None,
            header: ["vuosi", "kp", "tili", "sis", "ta", "tp"].map(String::from).to_vec(),
        };
        let reader = |f: std::fs::File, limit: u64, headers: bool| {
            csv::ReaderBuilder::new().has_headers(headers).from_reader(f.take(limit))
        };
        let whole = sum_rows(
            &mut reader(std::fs::File::open(&path).unwrap(), u64::MAX, true),
            0,
            &layout,
            "l.csv",
            &mut Mapper::new(None, &chart),
            None,
        );
        let (mid, lines) = split_point(&path, text.len() as u64).unwrap();
        let first = sum_rows(
            &mut reader(std::fs::File::open(&path).unwrap(), mid, true),
            0,
            &layout,
            "l.csv",
            &mut Mapper::new(None, &chart),
            None,
        );
        let mut f2 = std::fs::File::open(&path).unwrap();
        std::io::Seek::seek(&mut f2, std::io::SeekFrom::Start(mid)).unwrap();
        let second =
            sum_rows(&mut reader(f2, u64::MAX, false), lines, &layout, "l.csv", &mut Mapper::new(None, &chart), None);
        let merged = first.merge(second);
        let by_name = |c: &Chunk| -> std::collections::BTreeMap<(i32, String, String), Sums> {
            let name = |k: u64| {
                if let Some(i) = mapped_index(k) {
                    return format!("mapped {i}");
                }
                let flag = if k & INTERNAL_BIT != 0 { "+sis" } else { "" };
                let k = k & !INTERNAL_BIT;
                let code = if k >> 63 == 1 { c.names[(k & !(1 << 63)) as usize].clone() } else { k.to_string() };
                format!("{code}{flag}")
            };
            c.sums.iter().map(|((y, cc, a), v)| ((*y, name(*cc), name(*a)), *v)).collect()
        };
        assert_eq!(by_name(&merged), by_name(&whole));
        assert!(by_name(&whole).keys().any(|k| k.1 == "K-01"));
        assert!(by_name(&whole).keys().any(|k| k.2 == "S-43+sis") && by_name(&whole).keys().any(|k| k.2 == "S-43"));
        let msg = |c: &Chunk| c.errors.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(msg(&merged), msg(&whole));
        assert_eq!(msg(&whole), ["l.csv:402: column \"ta\": \"x\" is not an amount"]);
        // A quoted field anywhere: no split.
        std::fs::write(&path, "a,b\n\"1\",2\n").unwrap();
        assert_eq!(split_point(&path, 10), None);
    }

    #[test]
    fn amounts_and_codes_without_allocating() {
        assert_eq!(amount_bytes(b"-1234,50"), Some(Decimal::new(-123450, 2)));
        assert_eq!(amount_bytes(b"1234.5"), Some(Decimal::new(12345, 1)));
        assert_eq!(amount_bytes(b"0"), Some(Decimal::ZERO));
        assert_eq!(amount_bytes(b"1 234,50"), None, "spaces go through the Finnish parser");
        assert_eq!(amount_bytes(b"12,"), None);
        assert_eq!(amount_bytes(b"abc"), None);
        // Three decimals may be a thousands mark: the slow path tells.
        assert_eq!(amount_bytes(b"250.000"), None);
    }

    #[test]
    fn thousands_marks_read_where_the_text_shows_them_and_never_guessed() {
        let n = |s: &str| match ledger_amount(s) {
            Parsed::Number(d) => Some(d),
            _ => None,
        };
        assert_eq!(n("1.250.000"), Some(Decimal::from(1_250_000)));
        assert_eq!(n("406.000,00-"), Some(Decimal::from(-406_000)));
        assert_eq!(n("1,250,000.50"), Some(Decimal::new(125_000_050, 2)));
        assert_eq!(n("-12.345.678,9"), Some(Decimal::new(-123_456_789, 1)));
        // One mark before exactly three digits: thousands or decimals? Not read.
        for s in ["250.000", "-198,455", "12.500", "1,000-"] {
            assert_eq!(n(s), None, "{s}");
            assert!(not_an_amount(s).contains("could mark thousands or three decimals"), "{s}");
        }
        // Three decimals where no thousands mark could stand: decimals.
        assert_eq!(n("1250.000"), Some(Decimal::new(1_250_000, 3)));
        assert_eq!(n("0,125"), Some(Decimal::new(125, 3)));
        // Groups that are not of three digits, or both marks twice: not an amount.
        for s in ["1.25.000", "1.250,000,00", "1,250.000.00", "1.2345"] {
            assert!(n(s).is_none() || s == "1.2345", "{s}");
        }
        assert_eq!(n("1.2345"), Some(Decimal::new(12345, 4)));
        assert_eq!(n("1 234,50"), Some(Decimal::new(123_450, 2)));
        assert_eq!(digits_u64(b"100150"), Some(100150));
        assert_eq!(trim_bytes(b" \"1100\" "), b"1100");
    }

    #[test]
    fn the_default_chart_maps_accounts_by_their_first_four_digits() {
        let c = Chart::default_chart();
        assert_eq!(c.item_of("4300"), Some(Item::PALVELUJEN_OSTOT));
        assert_eq!(c.item_of("43010000"), Some(Item::PALVELUJEN_OSTOT));
        assert_eq!(c.item_of("4000"), Some(Item::PALKAT_JA_PALKKIOT));
        assert_eq!(c.item_of("4250"), Some(Item::HENKILOSTOKULUT), "in henkilöstökulut, in none of its sub-ranges");
        assert_eq!(c.item_of("3005"), Some(Item::MYYNTITUOTOT));
        assert_eq!(c.item_of("3150"), Some(Item::MYYNTITUOTOT), "KKNR R0020: 3000-3199");
        assert_eq!(c.item_of("5000"), None, "taxes are no operating line");
        assert_eq!(c.item_of("x"), None);
        assert!(Chart::parse("1,2,nonsense").unwrap_err().contains("not an item"));
    }
}
