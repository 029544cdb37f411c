//! Ledger exports (CSV): one row per year, cost center (kustannuspaikka) and account (tili), with the
//! budget, its changes and the actuals as columns. Rows are summed in one streaming pass, exactly, per (year,
//! cost center, account); cost centers are mapped to units by the org file's `codes`, accounts to line
//! items by the chart of accounts; each figure's source is the file and how many rows made it. Nothing is
//! dropped: unmapped cost centers and accounts are reported with their totals and row counts, and a
//! reconciliation per scenario and year shows total in = mapped + unmapped, to the cent.

pub use super::ledger_header::is_ledger_header;
use super::ledger_header::year_of_cell;
pub(super) use super::ledger_header::{layout_of, Layout, SLOTS};
use super::number::{parse_fi, Parsed};
use super::workbook::WorkbookFigures;
use crate::error::{Error, Result};
use crate::model::{Figure, Item, Kind, LineItem, Org, Place, Said, Scenario, Source, Warning};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// The chart of accounts: account ranges (first four digits) to line items.
#[derive(Debug, Clone)]
pub struct Chart {
    ranges: Vec<(u32, u32, Item)>,
}

impl Chart {
    /// The default chart shipped in the binary (`src/model/accounts.csv`, from the municipal chart of
    /// accounts 2023).
    pub fn default_chart() -> Chart {
        Chart::parse(include_str!("../model/accounts.csv")).expect("the shipped chart of accounts is valid")
    }

    /// A chart file: `from,to,item` rows (item: a scheme id), `#` comments.
    pub fn parse(text: &str) -> std::result::Result<Chart, String> {
        let mut ranges = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("from") {
                continue;
            }
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad = || format!("line {}: expected from,to,item (e.g. 4300,4499,palvelujen_ostot)", i + 1);
            // A fourth field is a reference (the shipped chart's KKNR item code): not read.
            let (from, to, item) = match f.as_slice() {
                [from, to, item] | [from, to, item, _] => (from, to, item),
                _ => return Err(bad()),
            };
            let (Ok(from), Ok(to)) = (from.parse::<u32>(), to.parse::<u32>()) else { return Err(bad()) };
            let item = Item::all()
                .find(|it| it.id() == *item)
                .ok_or_else(|| format!("line {}: \"{item}\" is not an item of the scheme", i + 1))?;
            ranges.push((from, to, item));
        }
        Ok(Chart { ranges })
    }

    /// The line item of an account: by its first four digits.
    pub fn item_of(&self, account: &str) -> Option<Item> {
        let digits: String = account.chars().take_while(char::is_ascii_digit).take(4).collect();
        let n: u32 = digits.parse().ok()?;
        self.ranges.iter().find(|(a, b, _)| (*a..=*b).contains(&n)).map(|r| r.2)
    }
}

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
pub(super) fn scenario_word(word: &str) -> Option<Scenario> {
    let w = word.trim().to_lowercase();
    AMOUNTS.iter().find(|(words, _)| words.contains(&w.as_str())).map(|(_, sc)| *sc)
}

/// Whether an internal-flag cell marks the row internal; None for a value that is neither.
pub(super) fn internal_flag(cell: &[u8]) -> Option<bool> {
    let w = super::text_of_bytes(trim_bytes(cell)).trim_matches('"').trim().to_lowercase();
    match w.as_str() {
        "" | "0" | "e" | "ei" | "n" | "no" | "nej" | "false" | "epätosi" | "u" | "ulkoinen" | "external" | "extern" => {
            Some(false)
        }
        "1" | "x" | "k" | "kyllä" | "kylla" | "y" | "yes" | "ja" | "true" | "tosi" | "s" | "i" | "sisäinen"
        | "sisainen" | "internal" | "intern" => Some(true),
        _ => None,
    }
}

/// The bit that marks an account key as an internal row's (codes of digits stay below 2^62, interned codes
/// have bit 63 and a small index).
pub(super) const INTERNAL_BIT: u64 = 1 << 62;

/// A key already mapped while summing: bit 63 and bit 61 set, then a unit's index in the org file (cost
/// centers) or a line item's index in the scheme (accounts). Codes of digits stay below 2^61 and interned
/// codes' indices far below it, so the three kinds never meet.
const MAPPED: u64 = (1 << 63) | (1 << 61);

fn mapped_index(k: u64) -> Option<usize> {
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
fn unit_of_cell<'o>(org: &'o Org, cell: &str) -> Option<&'o crate::model::Unit> {
    org.unit_of_code(cell).or_else(|| {
        let (lead, rest) = cell.trim().split_once(char::is_whitespace)?;
        (lead.chars().any(|c| c.is_ascii_digit()) && !rest.trim().is_empty()).then(|| org.unit_of_code(lead)).flatten()
    })
}

pub(super) fn o_index(org: Option<&Org>, unit: &crate::model::Unit) -> Option<usize> {
    org?.units.iter().position(|u| std::ptr::eq(u, unit))
}

/// A key's code as text (numbers as digits, interned codes by name).
fn code_of(k: u64, names: &[String]) -> String {
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
    if int.is_empty() || frac.len() > 9 || int.len() > 18 || (rest.len() > int.len() && frac.is_empty()) {
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
/// and a minus after the number as some financial systems print it (`1 234,50-`).
pub(super) fn ledger_amount(text: &str) -> Parsed {
    let t = text.trim();
    match t.strip_suffix(['-', '−']) {
        Some(body) if !body.is_empty() && !body.starts_with(['-', '−', '+', '(']) => match parse_fi(body) {
            Parsed::Number(d) => Parsed::Number(negated(d)),
            other => other,
        },
        _ => parse_fi(t),
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
            "ta-muutokset",
            "ta-muutos",
            "talousarviomuutokset",
            "budjettimuutokset",
            "changes",
            "ändringar",
        ],
        Scenario::TaMuutokset,
    ),
    (&["toteuma", "toteutuma", "tp", "tilinpäätös", "actual", "actuals", "utfall", "bokslut"], Scenario::Tp),
];

/// Is this CSV file a ledger export (its first line names a cost-center and an account column)?
pub fn is_ledger(path: &Path, columns: &LedgerColumns) -> bool {
    header_line(path, columns).is_some()
}

/// How many lines a ledger's header may have above it (a title, a date, Excel's `sep=;`).
const PREAMBLE_LINES: usize = 20;

/// Where a CSV ledger's header is: among its first lines, the first that names a cost-center and an account
/// column. Its byte offset, the number of lines above it, and its delimiter (`;`, tab or `,`: the one it has
/// most of).
fn header_line(path: &Path, columns: &LedgerColumns) -> Option<(u64, u64, u8)> {
    let file = std::fs::File::open(path).ok()?;
    let mut head = Vec::new();
    std::io::BufReader::new(file).take(64 * 1024).read_to_end(&mut head).ok()?;
    let mut offset = 0u64;
    for (n, line) in head.split_inclusive(|b| *b == b'\n').take(PREAMBLE_LINES + 1).enumerate() {
        let count = |b: u8| line.iter().filter(|&&c| c == b).count();
        let delimiter = [b';', b'\t', b','].into_iter().max_by_key(|&d| count(d)).unwrap_or(b',');
        let text = super::text_of_bytes(line);
        let cells: Vec<String> =
            // Excel's "CSV UTF-8" starts with a byte-order mark.
            text.trim_start_matches('\u{feff}')
                .trim_end()
                .split(char::from(delimiter))
                .map(|c| c.trim().trim_matches('"').to_lowercase())
                .collect();
        if is_ledger_header(&cells, columns) {
            return Some((offset, n as u64, delimiter));
        }
        offset += line.len() as u64;
    }
    None
}

use std::io::Read;

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

/// Reads a ledger export into figures per unit, line item, scenario and year.
pub fn read_ledger(path: &Path, shown: &str, org: Option<&Org>, options: &LedgerOptions) -> Result<WorkbookFigures> {
    let io = |e| Error::Io { path: path.to_path_buf(), source: e };
    let (start, lines_above, delimiter) = header_line(path, &options.columns).ok_or_else(|| Error::File {
        path: shown.to_string(),
        reason: format!(
            "a CSV file that is not a ledger export: none of its first {} lines names a cost-center and an account \
             column (kustannuspaikka, tili; other names go under [ledger] in poikkeama.toml)",
            PREAMBLE_LINES + 1
        ),
    })?;
    let mut file = std::fs::File::open(path).map_err(io)?;
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(start)).map_err(io)?;
    let rd = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(std::io::BufReader::new(file));
    let file = CsvFile { path, delimiter, start, lines_above };
    read_csv(rd, Some(file), lines_above, shown, org, options)
}

/// A CSV ledger on disk: where its header starts (after `lines_above` lines) and its delimiter, for reading
/// it again on two threads.
#[derive(Clone, Copy)]
struct CsvFile<'a> {
    path: &'a Path,
    delimiter: u8,
    start: u64,
    lines_above: u64,
}

/// A ledger laid out in a workbook sheet: its rows of cell texts, the first the header, which is row
/// `rows_above + 1` of the sheet.
pub fn read_ledger_rows(
    rows: &[Vec<String>],
    rows_above: u64,
    shown: &str,
    org: Option<&Org>,
    options: &LedgerOptions,
) -> Result<WorkbookFigures> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).map_err(|e| Error::Report(format!("{shown}: {e}")))?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Report(format!("{shown}: {e}")))?;
    let rd = csv::ReaderBuilder::new().flexible(true).from_reader(std::io::Cursor::new(bytes));
    read_csv(rd, None, rows_above, shown, org, options)
}

/// Reads a ledger's rows; `file` (the path and its delimiter) lets a large file be read on two threads.
fn read_csv<R: std::io::Read>(
    mut rd: csv::Reader<R>,
    file: Option<CsvFile>,
    lines_above: u64,
    shown: &str,
    org: Option<&Org>,
    options: &LedgerOptions,
) -> Result<WorkbookFigures> {
    let (chart, cols) = (&options.chart, &options.columns);
    let line_err = |line: u64, message: String| Error::Line { path: shown.to_string(), at: line.to_string(), message };
    let header: Vec<String> = rd
        .byte_headers()
        .map_err(|e| line_err(lines_above + 1, e.to_string()))?
        .iter()
        .map(|h| super::text_of_bytes(h).trim().trim_matches('"').to_lowercase())
        .collect();
    let layout = layout_of(header, cols, shown)?;
    // One pass: sums per (year, cost center, account), exact; on two threads for a large file (halves split
    // at a line break), when no field is quoted (a quoted line break could fall on the split).
    let size = file.and_then(|f| std::fs::metadata(f.path).ok()).map_or(0, |m| m.len());
    let split = match file {
        Some(f) if size > 16 << 20 => split_point(f.path, size).filter(|(mid, _)| *mid > f.start).map(|s| (f, s)),
        _ => None,
    };
    let delimiter = file.map_or(b',', |f| f.delimiter);
    let t0 = std::time::Instant::now();
    tracing::debug!(bytes = size, halves = split.is_some(), "ledger: {shown}");
    let chunk = match split {
        None => sum_rows(&mut rd, lines_above, &layout, shown, &mut Mapper::new(org, chart)),
        Some((f, (mid, lines_before))) => {
            let path = f.path;
            let open = |at: u64| -> Result<std::fs::File> {
                use std::io::Seek;
                let io = |e| Error::Io { path: path.to_path_buf(), source: e };
                let mut file = std::fs::File::open(path).map_err(io)?;
                file.seek(std::io::SeekFrom::Start(at)).map_err(io)?;
                Ok(file)
            };
            let (first, second) = (open(f.start)?, open(mid)?);
            let reader = |f: std::fs::File, limit: u64, headers: bool| {
                csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .has_headers(headers)
                    .from_reader(std::io::BufReader::with_capacity(1 << 20, f.take(limit)))
            };
            let (a, b) = std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let mut mapper = Mapper::new(org, chart);
                    sum_rows(&mut reader(second, u64::MAX, false), lines_before, &layout, shown, &mut mapper)
                });
                let here = sum_rows(
                    &mut reader(first, mid - f.start, true),
                    f.lines_above,
                    &layout,
                    shown,
                    &mut Mapper::new(org, chart),
                );
                (here, other.join())
            });
            let b = b.map_err(|_| Error::Engine(format!("{shown}: the second reading thread stopped unexpectedly")))?;
            a.merge(b)
        }
    };
    tracing::debug!(seconds = t0.elapsed().as_secs_f64(), keys = chunk.sums.len(), "ledger: rows summed");
    figures_from_sums(chunk, &layout, shown, org, options)
}

/// The figures of a ledger's sums per (year, cost center, account): cost centers and accounts mapped, once
/// each; unmapped ones and the reconciliation as warnings. `slots` gives each sums slot's scenario, and the
/// year its column's header names (else the row's year, the key's).
pub(super) fn figures_from_sums(
    chunk: Chunk,
    layout: &Layout,
    shown: &str,
    org: Option<&Org>,
    options: &LedgerOptions,
) -> Result<WorkbookFigures> {
    let slots = &layout.slots()[..];
    let chart = &options.chart;
    // Month columns beside their year's total: (unit, item, scenario, year) → (the total's sum, the months').
    type MonthKey = (Option<u32>, Option<Item>, Scenario, i32);
    let mut months: std::collections::BTreeMap<MonthKey, (Decimal, Decimal)> = Default::default();
    let has_months = |k: usize| layout.check_of.contains(&Some(k));
    let Chunk { sums, names, seen, errors, groups, groups_dropped, cost_centers, cc_items, unread } = chunk;
    let mut not_read: Vec<Warning> = layout
        .unread_cols
        .iter()
        .enumerate()
        .map(|(i, c)| Warning {
            location: shown.to_string(),
            said: Said::ColumnNotRead { column: layout.header[*c].clone(), total: unread.get(i).copied() },
        })
        .collect();
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
    let add = |t: &mut Total, d: Decimal, n: u64| {
        t.0 += d;
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
            t[0] += d;
            if let Some(u) = unit {
                add(unit_all.entry((u, *sc, *year)).or_default(), d, *rows);
            }
            match (unit, item) {
                (Some(u), Some(it)) => {
                    t[1] += d;
                    add(mapped.entry((u, it, *sc, *year)).or_default(), d, *rows);
                }
                (None, _) => {
                    t[2] += d;
                    add(no_unit.entry((*cc_key, *sc, *year)).or_default(), d, *rows);
                }
                (Some(_), None) => {
                    t[2] += d;
                    add(no_item.entry((*acc_key & !INTERNAL_BIT, *sc, *year)).or_default(), d, *rows);
                }
            }
        }
    }
    let mut out = WorkbookFigures::default();
    // The signs: a ledger books costs as positive (debit) and revenues as negative (credit); the reports, as
    // the published tables, print revenues positive and costs negative. Costs summing positive while revenues
    // do not are the ledger's convention (a purchase-invoice export has costs only, positive), and every
    // amount is turned; the findings say so.
    let (mut costs, mut revenues) = (Decimal::ZERO, Decimal::ZERO);
    for ((_, item, _, _), (amount, _)) in &mapped {
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
        out.totals.push(crate::model::PrintedTotal {
            unit: unit.map_or_else(|| shown.to_string(), |u| unit_names[u as usize].clone()),
            line_item: item.map(LineItem::new),
            scenario,
            year,
            printed: sign(total),
            computed: sign(sum),
            printed_at: format!("{shown} (the year's total column)"),
            computed_from: format!("{shown} (the month columns)"),
            certain: true,
        });
    }
    out.warnings.extend(layout.inferred.iter().map(|said| Warning { location: shown.to_string(), said: said.clone() }));
    out.warnings.append(&mut not_read);
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
    let mut unmapped: Vec<Warning> = Vec::new();
    for ((key, scenario, year), (amount, rows)) in no_unit {
        unmapped.push(Warning {
            location: shown.to_string(),
            said: Said::UnmappedCostCenter { code: code(key), scenario, year, amount, rows },
        });
    }
    for ((key, scenario, year), (amount, rows)) in no_item {
        unmapped.push(Warning {
            location: shown.to_string(),
            said: Said::UnmappedAccount { account: code(key), scenario, year, amount, rows },
        });
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

/// A mapped sum's key: the unit (its index among the file's units), line item, scenario and year.
type MappedKey = (u32, Item, Scenario, i32);

/// A report export's group rows against the account rows they head.
struct GroupCheck<'a> {
    groups: &'a [GroupRow],
    dropped: u64,
    cost_centers: &'a [(String, usize)],
    cc_items: &'a [(String, Option<Item>)],
    slots: &'a [(Scenario, Option<i32>)],
    shown: &'a str,
    org: Option<&'a Org>,
}

impl GroupCheck<'_> {
    /// Each group row's figures, summed per unit, line item, scenario and year, with the sums of the account
    /// rows under that item (as the file signs them, turned where the ledger's are): a printed total each. A
    /// unit's group rows are checked where every cost center of the unit has one (else they total part of
    /// it); a total that names no line item where it totals the whole file. The rest are warnings, never
    /// guesses.
    fn check(
        &self,
        mapped: &HashMap<MappedKey, (Decimal, u64), FastHash>,
        unit_all: &HashMap<(u32, Scenario, i32), (Decimal, u64), FastHash>,
        unit_names: &[String],
        raw_totals: &HashMap<(Scenario, i32), Decimal>,
        turn: bool,
    ) -> (Vec<crate::model::PrintedTotal>, Vec<Warning>) {
        let mut warnings = Vec::new();
        if self.groups.is_empty() {
            return (Vec::new(), warnings);
        }
        let at = |line: u64| format!("{}:{line}", self.shown);
        let sign = |d: Decimal| if turn { negated(d) } else { d };
        // (unit or "" for the whole file, item or none, scenario, year) → printed sum, rows' lines, cost centers.
        type Key = (String, Option<Item>, Scenario, i32);
        type Printed = (Decimal, Vec<u64>, Vec<String>, bool);
        let mut printed: std::collections::BTreeMap<Key, Printed> = Default::default();
        for g in self.groups {
            let words: Vec<&str> = g
                .label
                .split(|c: char| !c.is_alphanumeric() && c != '/')
                .filter(|w| {
                    let w = w.to_lowercase();
                    !w.is_empty()
                        && !["yhteensä", "yht", "summa", "total", "totalt", "sammanlagt", "kaikki"]
                            .contains(&w.as_str())
                })
                .collect();
            let item = super::label::match_label(&words.join(" "), None).line_item().map(|li| li.item);
            let unit = if g.cost_center.is_empty() {
                Some(String::new())
            } else {
                self.org.and_then(|o| unit_of_cell(o, &g.cost_center)).map(|u| u.name.clone())
            };
            let Some(unit) = unit else {
                warnings.push(Warning {
                    location: at(g.line),
                    said: Said::GroupNotChecked {
                        label: g.label.clone(),
                        why: format!("its cost center {} is in no unit's codes", g.cost_center),
                    },
                });
                continue;
            };
            for (k, (sc, slot_year)) in self.slots.iter().enumerate() {
                if g.filled & (1 << k) == 0 {
                    continue;
                }
                let year = slot_year.unwrap_or(g.year);
                let e = printed.entry((unit.clone(), item, *sc, year)).or_insert((
                    Decimal::ZERO,
                    Vec::new(),
                    Vec::new(),
                    true,
                ));
                e.3 &= g.certain;
                e.0 = e.0.checked_add(g.amounts[k]).unwrap_or(e.0);
                if !e.1.contains(&g.line) {
                    e.1.push(g.line);
                }
                if !e.2.contains(&g.cost_center) {
                    e.2.push(g.cost_center.clone());
                }
            }
        }
        let mut out = Vec::new();
        for ((unit, item, scenario, year), (amount, lines, ccs, certain)) in printed {
            let first = lines.first().copied().unwrap_or_default();
            let printed_at = match lines.len() {
                1 => at(first),
                n => format!("{} and {} more rows", at(first), n - 1),
            };
            let (computed, rows) = match item {
                None if unit.is_empty() => match raw_totals.get(&(scenario, year)) {
                    Some(t) => (*t, None),
                    None => continue,
                },
                _ => {
                    let Some(u) = unit_names.iter().position(|n| *n == unit) else { continue };
                    // Every cost center of the unit in the file with rows under the item has the group row: else
                    // it totals part of the unit.
                    let posts_under = |cc: &String| {
                        self.cc_items.iter().any(|(c, it)| {
                            c == cc && item.is_none_or(|g| it.is_some_and(|it| it == g || it.is_under(g)))
                        })
                    };
                    let missing: Vec<&String> = self
                        .cost_centers
                        .iter()
                        .filter(|(_, i)| self.org.and_then(|o| o.units.get(*i)).is_some_and(|x| x.name == unit))
                        .map(|(cc, _)| cc)
                        .filter(|cc| !ccs.contains(cc) && posts_under(cc))
                        .collect();
                    if !missing.is_empty() {
                        warnings.push(Warning {
                            location: at(first),
                            said: Said::GroupNotChecked {
                                label: format!("{} {scenario} {year}", item.map_or("yhteensä", |g| g.id())),
                                why: format!(
                                    "{unit}'s cost centers {} have no such row, so it totals part of the unit",
                                    missing.iter().take(3).map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                                ),
                            },
                        });
                        continue;
                    }
                    let (mut sum, mut n) = (Decimal::ZERO, 0u64);
                    match item {
                        Some(g) => {
                            for ((mu, it, sc, y), (d, r)) in mapped {
                                if *mu as usize == u && *sc == scenario && *y == year && (*it == g || it.is_under(g)) {
                                    sum = sum.checked_add(*d).unwrap_or(sum);
                                    n += r;
                                }
                            }
                        }
                        // A total naming no line item: all the unit's rows, mapped to a line item or not.
                        None => match unit_all.get(&(u as u32, scenario, year)) {
                            Some((d, r)) => (sum, n) = (*d, *r),
                            None => continue,
                        },
                    }
                    (sum, Some(n))
                }
            };
            out.push(crate::model::PrintedTotal {
                unit: if unit.is_empty() { self.shown.to_string() } else { unit },
                line_item: item.map(LineItem::new),
                scenario,
                year,
                printed: sign(amount),
                computed: sign(computed),
                printed_at,
                computed_from: match rows {
                    Some(n) => format!("{} ({})", self.shown, crate::model::rows_en(n)),
                    None => format!("{} (all its account rows)", self.shown),
                },
                certain,
            });
        }
        warnings.insert(
            0,
            Warning {
                location: self.shown.to_string(),
                said: Said::GroupRows {
                    count: self.groups.len() as u64 + self.dropped,
                    first: format!("{} \"{}\"", at(self.groups[0].line), self.groups[0].label),
                    checked: out.len(),
                },
            },
        );
        (out, warnings)
    }
}

/// A key's sums per amount slot, and per slot the rows that fill it (a blank cell is no row of that figure).
pub(super) type Sums = ([Decimal; SLOTS], [u64; SLOTS]);

/// The sums of a run of rows, its interned codes, the scenarios and years it has, and its errors.
#[derive(Default)]
pub(super) struct Chunk {
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
}

/// At most this many group rows of a ledger are kept for checking (a report export has a few per cost center).
const MAX_GROUP_ROWS: usize = 100_000;

/// A row of a report export that totals other rows: a group (`4000 HENKILÖSTÖKULUT`, `4999
/// TOIMINTAKATE/JÄÄMÄ`) or a total (`Toimintatuotot yhteensä`, `YHTEENSÄ` without an account).
#[derive(Debug, Clone)]
pub(super) struct GroupRow {
    pub line: u64,
    pub year: i32,
    pub cost_center: String,
    pub label: String,
    pub amounts: [Decimal; SLOTS],
    /// Which amount slots the row fills.
    pub filled: u32,
    /// Whether its words say it is a total (else only its figures can show it).
    pub certain: bool,
}

/// Whether a row of a report export totals other rows, its label, and whether its role is certain: a row
/// whose account's name (or the name in its account cell, `3000 TOIMINTATUOTOT`) says total (`yhteensä`,
/// `summa`, `total`) or names one of the scheme's totals in capitals (`HENKILÖSTÖKULUT`,
/// `TOIMINTAKATE/JÄÄMÄ`); a row with a name and no account (certain where the name says total or names a line
/// item; otherwise a total only if its figures show it, else a warning); and a row without an account whose
/// other text says total (`YHTEENSÄ` in the cost-center column).
fn total_row(account: &str, name: &str, other: &str) -> Option<(String, bool)> {
    let code_len = account.chars().take_while(|c| c.is_ascii_digit()).count();
    let in_cell = account[code_len..].trim();
    let no_account = account.trim().is_empty();
    let label = if !in_cell.is_empty() {
        in_cell
    } else if !name.is_empty() {
        name
    } else if no_account {
        other
    } else {
        ""
    };
    if label.is_empty() {
        return None;
    }
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric() && c != '/').filter(|w| !w.is_empty()).collect();
    let total_words = ["yhteensä", "yht", "summa", "total", "totalt", "sammanlagt", "kaikki"];
    let says_total = words.iter().any(|w| total_words.contains(w));
    let capitals = label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase);
    let item = || {
        let rest: Vec<&str> = words.iter().copied().filter(|w| !total_words.contains(w)).collect();
        super::label::match_label(&rest.join(" "), None).line_item().map(|li| li.item)
    };
    if no_account {
        // Text from the cost-center column makes a total only where it says so.
        let from_other = name.is_empty();
        return (says_total || !from_other).then(|| (label.to_string(), says_total || item().is_some()));
    }
    let names_total = || item().is_some_and(|i| i.is_subtotal() || i == Item::TOIMINTAKATE);
    (says_total || (capitals && names_total())).then(|| (label.to_string(), true))
}

/// A quick test on a cell's bytes before [`total_row`]: could it be a total's label (any upper-case letter,
/// or a total word)? Most account names are neither all capitals nor totals.
fn may_be_total(b: &[u8]) -> bool {
    let has_lower = b.iter().any(u8::is_ascii_lowercase);
    let word = |w: &[u8]| b.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    !has_lower || word(b"yhteens") || word(b"yht") || word(b"summa") || word(b"total") || word(b"sammanlagt")
}

impl Chunk {
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
    pub(super) fn merge(mut self, other: Chunk) -> Chunk {
        let mut index: HashMap<String, u64> =
            self.names.iter().enumerate().map(|(i, n)| (n.clone(), (1 << 63) | i as u64)).collect();
        let mut rekey = |k: u64, names: &mut Vec<String>| -> u64 {
            if k >> 63 == 0 || mapped_index(k).is_some() {
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
                *sum += a;
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
        let mut have: std::collections::HashSet<(String, Option<Item>)> = self.cc_items.drain(..).collect();
        have.extend(other.cc_items);
        self.cc_items = have.into_iter().collect();
        self
    }
}

/// A byte offset near the middle of the file, just after a line break, and the number of lines before it; none
/// when a field is quoted anywhere (a quoted line break could fall on the split).
fn split_point(path: &Path, size: u64) -> Option<(u64, u64)> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut at, mut lines, mut mid) = (0u64, 0u64, None);
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        for (i, b) in buf[..n].iter().enumerate() {
            match b {
                b'"' => return None,
                b'\n' if mid.is_none() => {
                    lines += 1;
                    if at + i as u64 + 1 >= size / 2 {
                        mid = Some((at + i as u64 + 1, lines));
                    }
                }
                _ => {}
            }
        }
        at += n as u64;
    }
    mid
}

/// Sums a run of rows. `line0` is the number of lines before the run (for the lines errors name).
fn sum_rows<R: std::io::Read>(
    rd: &mut csv::Reader<R>,
    line0: u64,
    layout: &Layout,
    shown: &str,
    mapper: &mut Mapper,
) -> Chunk {
    let Layout { year_col, cc_col, acc_col, ref amount_cols, long, internal_col, name_col, ref header, .. } = *layout;
    let (mut groups, mut groups_dropped): (Vec<GroupRow>, u64) = (Vec::new(), 0);
    // (cost center as read, line item) pairs met, the last one remembered (exports are sorted by them).
    let mut cc_items: std::collections::HashSet<(u64, u64), FastHash> = Default::default();
    let mut unread = vec![Decimal::ZERO; layout.unread_cols.len()];
    let mut last_pair = (u64::MAX, u64::MAX);
    let line_err = |line: u64, message: String| Error::Line { path: shown.to_string(), at: line.to_string(), message };
    // Codes as keys without allocating: a code of digits is its number; any other is interned.
    let mut names: Vec<String> = Vec::new();
    let mut interned: HashMap<String, u64> = HashMap::new();
    let mut sums: HashMap<(i32, u64, u64), Sums, FastHash> = HashMap::default();
    let mut errors = Vec::new();
    // Scenarios and years some row gives a figure for (the long form fills one per row).
    let mut seen: Vec<(Scenario, i32)> = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match rd.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(line_err(line0 + e.position().map_or(0, |p| p.line()), format!("not a CSV row: {e}")));
                break;
            }
        }
        let line = line0 + record.position().map_or(0, |p| p.line());
        let field =
            |k: usize| super::text_of_bytes(record.get(k).unwrap_or_default()).trim().trim_matches('"').to_string();
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        // The row's year (0 when every amount column's header names its own).
        let year = match year_col {
            None => Some(0),
            Some(c) => match digits_u64(trim_bytes(record.get(c).unwrap_or_default())) {
                Some(y) if (1900..=2100).contains(&y) => Some(y as i32),
                _ => year_of_cell(&field(c)),
            },
        };
        let Some(year) = year else {
            let c = year_col.unwrap_or_default();
            errors.push(line_err(
                line,
                format!(
                    "column \"{}\": {} is not a year (nor a date or period with one)",
                    header[c],
                    crate::error::quoted(&field(c))
                ),
            ));
            if errors.len() >= 20 {
                break;
            }
            continue;
        };
        let mut amounts = [Decimal::ZERO; SLOTS];
        let mut bad = false;
        // In the long form the row's scenario picks its one amount slot.
        let only = match long {
            Some((_, s)) => match scenario_word(&field(s)) {
                Some(sc) => amount_cols.iter().position(|(_, x)| *x == sc),
                None => {
                    errors.push(line_err(
                        line,
                        format!("scenario \"{}\" is none of talousarvio, muutokset, toteuma", field(s)),
                    ));
                    if errors.len() >= 20 {
                        break;
                    }
                    continue;
                }
            },
            None => None,
        };
        for (k, (c, _)) in amount_cols.iter().enumerate() {
            if only.is_some_and(|o| o != k) {
                continue;
            }
            let raw = trim_bytes(record.get(*c).unwrap_or_default());
            let parsed = match amount_bytes(raw) {
                Some(d) => Parsed::Number(d),
                None if raw.is_empty() => Parsed::Blank,
                None => ledger_amount(&field(*c)),
            };
            match parsed {
                Parsed::Number(d) if layout.negated.get(k) == Some(&true) => amounts[k] = negated(d),
                Parsed::Number(d) => amounts[k] = d,
                Parsed::Blank => {}
                Parsed::NotANumber => {
                    errors.push(line_err(
                        line,
                        format!("column \"{}\": {} is not an amount", header[*c], crate::error::quoted(&field(*c))),
                    ));
                    bad = true;
                }
            }
        }
        if bad {
            if errors.len() >= 20 {
                break;
            }
            continue;
        }
        for (t, c) in unread.iter_mut().zip(&layout.unread_cols) {
            if let Some(d) = amount_bytes(trim_bytes(record.get(*c).unwrap_or_default())) {
                *t = t.checked_add(d).unwrap_or(*t);
            }
        }
        // A report export's group or total row: kept to be checked, never summed as an account.
        let acc_bytes = trim_bytes(record.get(acc_col).unwrap_or_default());
        let name_bytes = name_col.map_or(&b""[..], |c| trim_bytes(record.get(c).unwrap_or_default()));
        let coded = acc_bytes.iter().all(u8::is_ascii_digit) && !acc_bytes.is_empty();
        if (!coded && may_be_total(acc_bytes))
            || may_be_total(name_bytes) && !name_bytes.is_empty()
            || acc_bytes.is_empty()
        {
            let name = name_col.map(&field).unwrap_or_default();
            if let Some((label, certain)) = total_row(&field(acc_col), &name, &field(cc_col)) {
                let mut filled = 0u32;
                for (k, (c, _)) in amount_cols.iter().enumerate() {
                    if !trim_bytes(record.get(*c).unwrap_or_default()).is_empty() {
                        filled |= 1 << k;
                    }
                }
                if groups.len() < MAX_GROUP_ROWS {
                    groups.push(GroupRow { line, year, cost_center: field(cc_col), label, amounts, filled, certain });
                } else {
                    groups_dropped += 1;
                }
                continue;
            }
        }
        let mut key = |k: usize| -> u64 {
            code_key(trim_bytes(record.get(k).unwrap_or_default()), || field(k), &mut names, &mut interned)
        };
        let internal = match internal_col.map(|c| internal_flag(record.get(c).unwrap_or_default())) {
            None | Some(Some(false)) => 0,
            Some(Some(true)) => INTERNAL_BIT,
            Some(None) => {
                let c = internal_col.unwrap_or_default();
                errors.push(line_err(
                    line,
                    format!(
                        "column \"{}\": {} says neither internal (1, x, kyllä, S) nor external (0, blank, ei, U)",
                        header[c],
                        crate::error::quoted(&field(c))
                    ),
                ));
                if errors.len() >= 20 {
                    break;
                }
                continue;
            }
        };
        let (cc_raw, acc_key) = (key(cc_col), key(acc_col) | internal);
        let (cc_key, acc_key) = (mapper.cost_center(cc_raw, &names), mapper.account(acc_key, &names));
        if (cc_raw, acc_key) != last_pair {
            last_pair = (cc_raw, acc_key);
            cc_items.insert(last_pair);
        }
        let entry = sums.entry((year, cc_key, acc_key)).or_insert_with(|| ([Decimal::ZERO; SLOTS], [0; SLOTS]));
        for (k, a) in amounts.into_iter().enumerate().take(amount_cols.len()) {
            match entry.0[k].checked_add(a) {
                Some(s) => entry.0[k] = s,
                None => errors.push(line_err(line, "the amounts' sum is beyond the exact range".into())),
            }
        }
        // The row counts for each figure it fills (a debit and a credit column of one figure, once).
        let mut counted = 0u32;
        for (k, (c, _)) in amount_cols.iter().enumerate() {
            let filled = only.is_none_or(|o| o == k) && !trim_bytes(record.get(*c).unwrap_or_default()).is_empty();
            let canon = layout.canonical_slot(k);
            if filled && counted & (1 << canon) == 0 {
                entry.1[canon] += 1;
                counted |= 1 << canon;
            }
        }
        for (k, (c, sc)) in amount_cols.iter().enumerate() {
            let year = layout.year_of_slot(k, year);
            if only.is_none_or(|o| o == k)
                && !trim_bytes(record.get(*c).unwrap_or_default()).is_empty()
                && !seen.contains(&(*sc, year))
            {
                seen.push((*sc, year));
            }
        }
    }
    let cost_centers = mapper.cost_centers(&names);
    let cc_items = cc_items
        .into_iter()
        .map(|(cc, acc)| (code_of(cc, &names), mapped_index(acc).and_then(Item::from_index)))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    Chunk { sums, names, seen, errors, groups, groups_dropped, cost_centers, cc_items, unread }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        );
        let (mid, lines) = split_point(&path, text.len() as u64).unwrap();
        let first = sum_rows(
            &mut reader(std::fs::File::open(&path).unwrap(), mid, true),
            0,
            &layout,
            "l.csv",
            &mut Mapper::new(None, &chart),
        );
        let mut f2 = std::fs::File::open(&path).unwrap();
        std::io::Seek::seek(&mut f2, std::io::SeekFrom::Start(mid)).unwrap();
        let second =
            sum_rows(&mut reader(f2, u64::MAX, false), lines, &layout, "l.csv", &mut Mapper::new(None, &chart));
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
