//! CSV (and tab-separated) ledger exports, and ledgers laid out in workbook sheets: the header found among
//! the first lines, the rows summed exactly in one streaming pass (on two threads for a large file), each row
//! an account row or a group row of a report export.

use super::rows::{Dates, Fold};
use super::*;
use std::io::Read;

/// Is this CSV file a ledger export (its first line names a cost-center and an account column)?
pub fn is_ledger(path: &Path, columns: &LedgerColumns) -> bool {
    header_line(path, columns).is_some()
}

/// How many lines a ledger's header may have above it (a title, a date, Excel's `sep=;`).
const PREAMBLE_LINES: usize = 20;

/// Where a CSV ledger's header is: among its first lines, the first that names a cost-center and an account
/// column. Its byte offset, the number of lines above it, and its delimiter (`;`, tab or `,`: the one it has
/// most of).
type HeaderLine = (u64, u64, u8, Vec<String>, Option<(char, String)>);

fn header_line(path: &Path, columns: &LedgerColumns) -> Option<HeaderLine> {
    let file = std::fs::File::open(path).ok()?;
    let mut head = Vec::new();
    std::io::BufReader::new(file).take(64 * 1024).read_to_end(&mut head).ok()?;
    let mut offset = 0u64;
    let mut above = Vec::new();
    for (n, line) in head.split_inclusive(|b| *b == b'\n').take(PREAMBLE_LINES + 1).enumerate() {
        let count = |b: u8| line.iter().filter(|&&c| c == b).count();
        let delimiter = [b';', b'\t', b','].into_iter().max_by_key(|&d| count(d)).unwrap_or(b',');
        let text = crate::ingest::text_of_bytes(line);
        let cells: Vec<String> =
            // Excel's "CSV UTF-8" starts with a byte-order mark.
            text.trim_start_matches('\u{feff}')
                .trim_end()
                .split(char::from(delimiter))
                .map(|c| c.trim().trim_matches('"').to_lowercase())
                .collect();
        if is_ledger_header(&cells, columns) {
            let thousands = super::thousands_mark(&crate::ingest::text_of_bytes(&head));
            return Some((offset, n as u64, delimiter, above, thousands));
        }
        let cells = text.trim_start_matches('\u{feff}').trim_end().split(char::from(delimiter));
        above.push(cells.map(|c| c.trim().trim_matches('"')).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" "));
        offset += line.len() as u64;
    }
    None
}

/// Reads a ledger export into figures per unit, line item, scenario and year.
pub fn read_ledger(path: &Path, shown: &str, org: Option<&Org>, options: &LedgerOptions) -> Result<WorkbookFigures> {
    let io = |e| Error::Io { path: path.to_path_buf(), source: e };
    let (start, lines_above, delimiter, title, thousands) =
        header_line(path, &options.columns).ok_or_else(|| Error::File {
            path: shown.to_string(),
            reason: format!(
            "a CSV file that is not a ledger export: none of its first {} lines names a cost-center and an account \
             column (kustannuspaikka, tili; other names go under [ledger] in poikkeama.toml)",
            PREAMBLE_LINES + 1
        ),
        })?;
    let open = || -> Result<csv::Reader<Box<dyn std::io::Read>>> {
        use std::io::Seek;
        let mut file = std::fs::File::open(path).map_err(io)?;
        file.seek(std::io::SeekFrom::Start(start)).map_err(io)?;
        Ok(csv::ReaderBuilder::new()
            // Lines end at `\n` (a `\r` before it is trimmed with the field): the csv crate counts a CRLF file's
            // lines one short when the record ends at `\r` (BurntSushi/rust-csv#395).
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(Box::new(std::io::BufReader::new(file))))
    };
    let file = CsvFile { path, delimiter, start, lines_above };
    read_csv(open()?, &open, Some(file), (lines_above, &title, thousands), shown, org, options)
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
    let again = || -> Result<csv::Reader<Box<dyn std::io::Read + '_>>> {
        Ok(csv::ReaderBuilder::new().flexible(true).from_reader(Box::new(std::io::Cursor::new(bytes.as_slice()))))
    };
    let rd = csv::ReaderBuilder::new().flexible(true).from_reader(std::io::Cursor::new(bytes.as_slice()));
    let sample: String = rows.iter().take(2_000).flatten().map(|c| format!("{c} ")).collect();
    read_csv(rd, &again, None, (rows_above, &[], super::thousands_mark(&sample)), shown, org, options)
}

/// Reads a ledger's rows; `file` (the path and its delimiter) lets a large file be read on two threads.
fn read_csv<'a, R: std::io::Read>(
    mut rd: csv::Reader<R>,
    again: &dyn Fn() -> Result<csv::Reader<Box<dyn std::io::Read + 'a>>>,
    file: Option<CsvFile>,
    (lines_above, title, thousands): (u64, &[String], Option<(char, String)>),
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
        .map(|h| crate::ingest::text_of_bytes(h).trim().trim_matches('"').to_lowercase())
        .collect();
    let mut layout = layout_of(header, cols, shown, (lines_above + 1, title))?;
    layout.thousands = thousands;
    // One pass: sums per (year, cost center, account), exact; on two threads for a large file (halves split
    // at a line break), when no field is quoted (a quoted line break could fall on the split).
    let size = file.and_then(|f| std::fs::metadata(f.path).ok()).map_or(0, |m| m.len());
    let split = match file {
        Some(f) if size > 16 << 20 => split_point(f.path, size)
            .and_then(|mid| at_cost_center(f.path, mid, layout.cc_col, f.delimiter))
            .filter(|(mid, _)| *mid > f.start)
            .map(|s| (f, s)),
        _ => None,
    };
    let delimiter = file.map_or(b',', |f| f.delimiter);
    let t0 = std::time::Instant::now();
    tracing::debug!(bytes = size, halves = split.is_some(), "ledger: {shown}");
    let chunk = match split {
        None => sum_rows(&mut rd, lines_above, &layout, shown, &mut Mapper::new(org, chart), None),
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
                    .terminator(csv::Terminator::Any(b'\n'))
                    .delimiter(delimiter)
                    .flexible(true)
                    .has_headers(headers)
                    .from_reader(std::io::BufReader::with_capacity(1 << 20, f.take(limit)))
            };
            let (a, b) = std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let mut mapper = Mapper::new(org, chart);
                    sum_rows(&mut reader(second, u64::MAX, false), lines_before, &layout, shown, &mut mapper, None)
                });
                let here = sum_rows(
                    &mut reader(first, mid - f.start, true),
                    f.lines_above,
                    &layout,
                    shown,
                    &mut Mapper::new(org, chart),
                    None,
                );
                (here, other.join())
            });
            let b = b.map_err(|_| Error::Engine(format!("{shown}: the second reading thread stopped unexpectedly")))?;
            a.merge(b)
        }
    };
    tracing::debug!(seconds = t0.elapsed().as_secs_f64(), keys = chunk.sums.len(), "ledger: rows summed");
    let mut chunk = chunk;
    chunk.overflow_error(shown);
    // Codes that head other codes of the file (`4000` and `400010`), and codes named as a scheme total above
    // their own line (`4000 Personalkostnader`): read again for those accounts and the ones they would head
    // alone, and each head's rows that are their sum are group rows, taken out of the sums.
    let said = super::groups::separate_groups(&mut chunk, Mapper::new(org, chart), |family| {
        let mut rd = again()?;
        rd.byte_headers().map_err(|e| line_err(lines_above + 1, e.to_string()))?;
        Ok(sum_rows(&mut rd, lines_above, &layout, shown, &mut Mapper::new(org, chart), Some(family)))
    })?;
    let period = super::interim_period(&chunk);
    let mut out = figures_from_sums(chunk, &layout, shown, org, options, period.as_ref().map(|p| &p.0))?;
    out.warnings.extend(said.into_iter().map(|said| crate::model::Warning { location: shown.to_string(), said }));
    super::apply_period(&mut out, period, shown);
    Ok(out)
}

/// A byte offset near the middle of the file, just after a line break, and the number of lines before it; none
/// when a field is quoted anywhere (a quoted line break could fall on the split).
pub(super) fn split_point(path: &Path, size: u64) -> Option<(u64, u64)> {
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

/// Does a total's label (`Kiinteistöt yhteensä`, `3200 yhteensä`) name this cost center, by its code or a text
/// of its rows (its name)?
fn names_cost_center(label: &str, code: &str, texts: &[String]) -> bool {
    let rest = without_total_words(label);
    let lead = code.split_whitespace().next().unwrap_or("").to_lowercase();
    !rest.is_empty()
        && (rest == code.to_lowercase()
            || (!lead.is_empty() && rest.split_whitespace().any(|w| w == lead))
            || texts.iter().any(|t| t.to_lowercase() == rest))
}

/// A total's label without its total words and the words for a cost center (`Summa kostnadsställe 6110` →
/// `6110`; `Varhaiskasvatus yhteensä` → `varhaiskasvatus`), lower case.
fn without_total_words(label: &str) -> String {
    const WORDS: [&str; 11] = [
        "yhteensä",
        "yht",
        "yht.",
        "summa",
        "total",
        "totalt",
        "sammanlagt",
        "kustannuspaikka",
        "kustannuspaikat",
        "kostnadsställe",
        "kostnadsställen",
    ];
    let rest: Vec<String> =
        label.split_whitespace().map(str::to_lowercase).filter(|w| !WORDS.contains(&w.as_str())).collect();
    rest.join(" ")
}

/// The first line at or after `(at, lines)` whose cost-center cell is filled: the second half of a file must
/// not start below a cost center's heading row, whose rows take its cost center.
fn at_cost_center(path: &Path, (at, lines): (u64, u64), cc_col: usize, delimiter: u8) -> Option<(u64, u64)> {
    use std::io::{BufRead, Seek};
    let mut file = std::fs::File::open(path).ok()?;
    file.seek(std::io::SeekFrom::Start(at)).ok()?;
    let mut rd = std::io::BufReader::new(file);
    let (mut at, mut lines, mut line) = (at, lines, Vec::new());
    // A heading's block is short; past a few thousand lines without a cost center, no split.
    for _ in 0..10_000 {
        line.clear();
        let n = rd.read_until(b'\n', &mut line).ok()?;
        if n == 0 {
            return None;
        }
        let cell = line.split(|b| *b == delimiter).nth(cc_col).unwrap_or_default();
        if !trim_bytes(cell).is_empty() {
            return Some((at, lines));
        }
        at += n as u64;
        lines += 1;
    }
    None
}

/// Sums a run of rows. `line0` is the number of lines before the run (for the lines errors name).
pub(super) fn sum_rows<R: std::io::Read>(
    rd: &mut csv::Reader<R>,
    line0: u64,
    layout: &Layout,
    shown: &str,
    mapper: &mut Mapper,
    family: Option<&std::collections::HashSet<u64>>,
) -> Chunk {
    let Layout { year_col, cc_col, acc_col, ref amount_cols, long, internal_col, name_col, ref header, .. } = *layout;
    let (mut groups, mut groups_dropped): (Vec<GroupRow>, u64) = (Vec::new(), 0);
    // (cost center as read, line item) pairs met, the last one remembered (exports are sorted by them).
    let mut cc_items: std::collections::HashSet<(u64, u64), FastHash> = Default::default();
    let mut unread = vec![Decimal::ZERO; layout.unread_cols.len()];
    let mut last_pair = (u64::MAX, u64::MAX);
    // Accounts whose names were looked at (each once), and those naming a scheme total above their line.
    let (mut named_seen, mut named_heads): (std::collections::HashSet<u64, FastHash>, Vec<(u64, Item)>) =
        Default::default();
    let mut last_named = u64::MAX;
    let (mut overflow_rows, mut overflow_at) = (0u64, 0u64);
    // Amounts beyond any budget: how many rows, and the first's line, column and value.
    let (mut beyond_rows, mut beyond_first): (u64, Option<(u64, String, String)>) = (0, None);
    // What the dates say (interim periods), and unmapped codes folded past the first few thousand.
    let mut dates = Dates::new(amount_cols);
    let mut fold = Fold::default();
    // A report export that names each cost center once, on a heading row above its accounts (`1100
    // Hallinto;;;`, the rows below with the cost center blank): the heading's cost center, and the rows that
    // took it.
    let (mut block_cc, mut block_rows, mut first_heading): (Option<String>, u64, u64) = (None, 0, 0);
    let mut block_raw: Vec<u8> = Vec::new();
    let mut marks_read = 0u64;
    // A column of text beside the codes (a cost center's name, a total's label): neither code, account name,
    // amount nor a column named as not read.
    let text_col = |k: usize| {
        ![cc_col, acc_col].contains(&k)
            && Some(k) != name_col
            && !amount_cols.iter().any(|(c, _)| *c == k)
            && !layout.unread_cols.contains(&k)
    };
    // Whether the last row summed took its cost center from above.
    let mut prev_took = false;
    // The last cost center of the rows summed, with the other texts of its first row (its name).
    let (mut last_cc, mut last_cc_key): (Option<(String, Vec<String>)>, u64) = (None, u64::MAX);
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
        let field = |k: usize| {
            crate::ingest::text_of_bytes(record.get(k).unwrap_or_default()).trim().trim_matches('"').to_string()
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        // A cost center's heading row: a cost center, no account and no amount.
        let cell_blank = |k: usize| trim_bytes(record.get(k).unwrap_or_default()).is_empty();
        if !cell_blank(cc_col) && cell_blank(acc_col) && amount_cols.iter().all(|(c, _)| cell_blank(*c)) {
            block_cc = Some(field(cc_col));
            block_raw = trim_bytes(record.get(cc_col).unwrap_or_default()).to_vec();
            continue;
        }
        // A blank cost center is the one above it: its heading's, or that of the row above (a report that
        // prints each cost center once, on its first row). Counted where the row is summed as an account.
        let own_cc = !cell_blank(cc_col);
        if own_cc && block_raw.as_slice() != trim_bytes(record.get(cc_col).unwrap_or_default()) {
            block_raw = trim_bytes(record.get(cc_col).unwrap_or_default()).to_vec();
            block_cc = Some(field(cc_col));
        }
        let cc_taken = if own_cc { None } else { block_cc.clone() };
        let cc_field = || cc_taken.clone().unwrap_or_else(|| field(cc_col));
        // The row's year (0 when every amount column's header names its own).
        let mut month = None;
        let year = match year_col {
            None => Some(0),
            Some(c) => match digits_u64(trim_bytes(record.get(c).unwrap_or_default())) {
                Some(y) if (1900..=2100).contains(&y) => Some(y as i32),
                _ => {
                    let text = field(c);
                    month = super::header::month_of_cell(&text);
                    year_of_cell(&text)
                }
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
        // The amount slots the row fills (a blank cell fills none; in the long form only its scenario's).
        let mut filled = 0u32;
        for (k, (c, _)) in amount_cols.iter().enumerate() {
            if only.is_some_and(|o| o != k) {
                continue;
            }
            let raw = trim_bytes(record.get(*c).unwrap_or_default());
            if !raw.is_empty() {
                filled |= 1 << k;
            }
            let (parsed, by_mark) = cell_amount(raw, || field(*c), layout.thousands.as_ref().map(|t| t.0));
            marks_read += u64::from(by_mark);
            // In euros: a column in thousands (`TA 2025 (1000 €)`) by its factor (past the range: beyond any budget).
            let parsed = match (parsed, layout.factors.get(k)) {
                (Parsed::Number(d), Some(f)) if *f != Decimal::ONE => {
                    Parsed::Number(d.checked_mul(*f).unwrap_or(Decimal::MAX))
                }
                (p, _) => p,
            };
            match parsed {
                // An amount no budget has (more than 10^15 €), as a Parquet ledger's and a sheet's figures.
                // One error for them all: the first, and how many rows (a file of such rows is one mistake).
                Parsed::Number(d) if !crate::model::plausible(d) => {
                    beyond_rows += 1;
                    if beyond_rows == 1 {
                        beyond_first = Some((line, header[*c].clone(), crate::error::quoted(&field(*c))));
                    }
                    bad = true;
                }
                Parsed::Number(d) if layout.negated.get(k) == Some(&true) => amounts[k] = negated(d),
                Parsed::Number(d) => amounts[k] = d,
                Parsed::Blank => {}
                Parsed::NotANumber => {
                    let cell = field(*c);
                    // A quote opened and never closed swallows the lines after it into this cell.
                    let message = if cell.contains('\n') {
                        format!(
                            "column \"{}\": a quote (\") opens here and is not closed on this line, so the {} lines \
                             after it read as one cell: close or remove the quote",
                            header[*c],
                            cell.matches('\n').count()
                        )
                    } else {
                        format!("column \"{}\": {}", header[*c], not_an_amount(&cell))
                    };
                    errors.push(line_err(line, message));
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
        // Actuals by month: the last month each year's are dated; after an interim period's end, not read (in
        // the second reading too, so that both readings sum the same rows; counted and said once, in the first).
        let first = family.is_none();
        let before = filled;
        filled = dates.cut(year, month, filled, first, year_col.is_some(), |k| amounts[k]);
        for k in (0..SLOTS).filter(|k| (before & !filled) & (1 << k) != 0) {
            amounts[k] = Decimal::ZERO;
        }
        if filled == 0 && before != 0 {
            continue;
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
            // Text beside a blank cost center and account (`;Hallinto yhteensä;;` in a cost center's name column).
            // A total row never takes the cost center above it: its own, or the one its label names.
            let cc = if own_cc { field(cc_col) } else { String::new() };
            let other = if cc.is_empty() {
                (0..record.len())
                    .filter(|k| text_col(*k))
                    .map(&field)
                    .find(|t| !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()))
                    .unwrap_or_default()
            } else {
                cc.clone()
            };
            if let Some(total) = total_row(&field(acc_col), &name, &other) {
                if groups.len() < MAX_GROUP_ROWS {
                    let (label, item, certain) = (total.label, total.item, total.certain);
                    // A total with a blank cost center under a cost center's rows that names it (`Kiinteistöt
                    // yhteensä` under the rows of 3200 Kiinteistöt) is that cost center's.
                    // A bare `Yhteensä` closing a block whose rows took their cost center from above (a report
                    // printing each cost center once) is that block's.
                    let bare = without_total_words(&label).is_empty();
                    let cost_center = match &last_cc {
                        Some((code, texts)) if cc.is_empty() && names_cost_center(&label, code, texts) => code.clone(),
                        Some((code, _)) if cc.is_empty() && bare && prev_took => code.clone(),
                        _ => cc,
                    };
                    // Else a total without a cost center may name a unit (`Varhaiskasvatus yhteensä`).
                    let unit = cost_center
                        .is_empty()
                        .then(|| without_total_words(&label))
                        .and_then(|rest| mapper.org.and_then(|o| o.find_named(&rest)))
                        .map(|u| u.name.clone());
                    groups.push(GroupRow { line, year, cost_center, unit, label, amounts, filled, certain, item });
                } else {
                    groups_dropped += 1;
                }
                continue;
            }
        }
        prev_took = cc_taken.is_some();
        if cc_taken.is_some() && family.is_none() {
            block_rows += 1;
            if first_heading == 0 {
                first_heading = line;
            }
        }
        // Columns not read, totalled over the rows summed as accounts (a group row's would count twice).
        if family.is_none() {
            for (t, c) in unread.iter_mut().zip(&layout.unread_cols) {
                let raw = trim_bytes(record.get(*c).unwrap_or_default());
                if let (Parsed::Number(d), _) = cell_amount(raw, || field(*c), layout.thousands.as_ref().map(|t| t.0)) {
                    *t = t.checked_add(d).unwrap_or(*t);
                }
            }
        }
        let cc_taken_key =
            cc_taken.as_ref().map(|cc| code_key(cc.as_bytes(), || cc.clone(), &mut names, &mut interned));
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
        let cc_raw = match cc_taken_key {
            Some(k) => k,
            None => key(cc_col),
        };
        let acc_raw = key(acc_col);
        // The cost center of the rows, and the texts beside it, where it changes (a total below may name it).
        if family.is_none() && cc_raw != last_cc_key {
            last_cc_key = cc_raw;
            let texts = (0..record.len()).filter(|k| text_col(*k)).map(&field).filter(|t| !t.is_empty()).collect();
            last_cc = Some((cc_field(), texts));
        }
        if family.is_none() && acc_raw != last_named && acc_raw >> 61 == 0 {
            last_named = acc_raw;
            if let Some(c) = name_col.filter(|_| named_seen.insert(acc_raw)) {
                if let Some(item) = super::groups::named_total(&acc_raw.to_string(), &field(c), mapper.chart) {
                    named_heads.push((acc_raw, item));
                }
            }
        }
        // The second pass over a file with codes heading other codes: only those accounts, by their codes.
        if let Some(family) = family {
            if internal == 0 && family.contains(&acc_raw) {
                // A sum beyond the exact range was reported by the first pass.
                let _ = add_row(sums.entry((year, cc_raw, acc_raw)).or_default(), &amounts, filled, layout);
            }
            continue;
        }
        let acc_key = acc_raw | internal;
        let (cc_key, acc_key) = (mapper.cost_center(cc_raw, &names), mapper.account(acc_key, &names));
        // Codes in no unit or line item past the first few thousand distinct ones: summed under one key, each
        // counted (a million stray codes took a million sums, 1.7 GB).
        let cc_key = fold.cost_center(cc_key, filled, layout, year);
        let acc_key =
            if mapped_index(cc_key).is_some() { fold.account(acc_key, filled, layout, year) } else { acc_key };
        if cc_key != super::FOLDED && (cc_raw, acc_key) != last_pair {
            last_pair = (cc_raw, acc_key);
            cc_items.insert(last_pair);
        }
        if !add_row(sums.entry((year, cc_key, acc_key)).or_default(), &amounts, filled, layout) {
            // One line for them all: the first row, and how many more (a file of such rows is one mistake).
            overflow_rows += 1;
            if overflow_rows == 1 {
                overflow_at = line;
            }
        }
        dates.add_month((year, month), (cc_key, acc_key), filled, layout, |k| amounts[k]);
        for (k, (_, sc)) in amount_cols.iter().enumerate() {
            let year = layout.year_of_slot(k, year);
            if filled & (1 << k) != 0 && !seen.contains(&(*sc, year)) {
                seen.push((*sc, year));
            }
        }
    }
    if let Some((at, column, value)) = beyond_first {
        let more = if beyond_rows > 1 { format!(" ({beyond_rows} rows in all)") } else { String::new() };
        errors.insert(
            0,
            line_err(
                at,
                format!(
                    "column \"{column}\": {value} is beyond any budget (more than 10^15 €): check the amounts{more}"
                ),
            ),
        );
    }
    if overflow_rows > 0 {
        let more = if overflow_rows > 1 { format!(" ({overflow_rows} rows in all)") } else { String::new() };
        errors.push(line_err(overflow_at, format!("the amounts' sum is beyond the exact range{more}")));
    }
    let cost_centers = mapper.cost_centers(&names);
    let cc_items = cc_items
        .into_iter()
        .map(|(cc, acc)| (code_of(cc, &names), mapped_index(acc).and_then(Item::from_index)))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let accounts = mapper.accounts();
    named_heads.sort_unstable_by_key(|(a, _)| *a);
    Chunk {
        headed: (block_rows, first_heading),
        marks_read,
        sums,
        names,
        seen,
        errors,
        groups,
        groups_dropped,
        cost_centers,
        cc_items,
        unread,
        accounts,
        named_heads,
        dates,
        fold,
        overflowed: false,
    }
}

/// Adds a row's amounts to a key's sums, and counts the row once for each figure it fills (`filled`: its amount
/// slots with a cell; a debit and a credit column of one figure count it once). False when a sum would pass
/// the exact range (that slot is left as it was).
fn add_row(entry: &mut Sums, amounts: &[Decimal; SLOTS], filled: u32, layout: &Layout) -> bool {
    let mut in_range = true;
    let mut counted = 0u32;
    for (k, a) in amounts.iter().enumerate().take(layout.amount_cols.len()) {
        match entry.0[k].checked_add(*a) {
            Some(s) => entry.0[k] = s,
            None => in_range = false,
        }
        let canon = layout.canonical_slot(k);
        if filled & (1 << k) != 0 && counted & (1 << canon) == 0 {
            entry.1[canon] += 1;
            counted |= 1 << canon;
        }
    }
    in_range
}
