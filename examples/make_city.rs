//! Writes a large city's year as one workbook and its org file, for the report benchmark: `--departments D`
//! departments with `--areas A` responsibility areas each, every unit a stacked table (TA, TA-muutokset, TA
//! muutosten jälkeen, TP, Poikkeama for the year, and last year's TP) of 12 line items, all consistent;
//! departments print the sums of their areas. Deterministic for a given `--seed`.
//!
//! Run: `cargo run --release --example make_city -- --departments 300 --areas 10 --out /tmp/city`
//! (writes `/tmp/city/kaupunki.xlsx` and `/tmp/city/org.toml`).

use rust_xlsxwriter::Workbook;
use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The rows of each table: label and whether it is revenue (positive), a cost (negative) or a total.
const DETAIL: [(&str, bool); 8] = [
    ("Myyntituotot", true),
    ("Maksutuotot", true),
    ("Tuet ja avustukset", true),
    ("Muut toimintatuotot", true),
    ("Henkilöstökulut", false),
    ("Palvelujen ostot", false),
    ("Aineet, tarvikkeet ja tavarat", false),
    ("Muut toimintakulut", false),
];

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

/// One unit's figures: per detail row (ta, changes, tp, last year's tp).
type Table = Vec<[i64; 4]>;

fn area(rng: &mut Rng) -> Table {
    DETAIL
        .iter()
        .map(|&(_, revenue)| {
            let size = rng.range(10_000, 2_000_000);
            let ta = if revenue { size / 10 } else { -size };
            let changes = if rng.next().is_multiple_of(5) { ta / 20 } else { 0 };
            // Most lines land within a few percent of the budget; about one in eight is off by up to 15 %.
            let off = if rng.next().is_multiple_of(8) { rng.range(850, 1150) } else { rng.range(975, 1025) };
            let tp = (ta + changes) * off / 1000;
            let last = ta * rng.range(90, 110) / 100;
            [ta, changes, tp, last]
        })
        .collect()
}

fn write_table(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: &mut u32,
    name: &str,
    t: &Table,
) -> Result<(), Box<dyn Error>> {
    ws.write(*row, 0, name)?;
    *row += 1;
    for (c, h) in
        ["", "TP 2023", "TA 2024", "TA-muutokset 2024", "TA muutosten jälkeen 2024", "TP 2024", "Poikkeama 2024"]
            .iter()
            .enumerate()
    {
        ws.write(*row, c as u16, *h)?;
    }
    *row += 1;
    let line = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, label: &str, v: [i64; 4]| -> Result<(), Box<dyn Error>> {
        let [ta, ch, tp, last] = v;
        ws.write(r, 0, label)?;
        ws.write(r, 1, last as f64)?;
        ws.write(r, 2, ta as f64)?;
        if ch != 0 {
            ws.write(r, 3, ch as f64)?;
        }
        ws.write(r, 4, (ta + ch) as f64)?;
        ws.write(r, 5, tp as f64)?;
        ws.write(r, 6, (tp - ta - ch) as f64)?;
        Ok(())
    };
    let sum =
        |rows: &[[i64; 4]]| rows.iter().fold([0i64; 4], |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]);
    for (i, (label, _)) in DETAIL.iter().enumerate().take(4) {
        line(ws, *row, label, t[i])?;
        *row += 1;
    }
    let revenue = sum(&t[..4]);
    line(ws, *row, "Toimintatuotot", revenue)?;
    *row += 1;
    for (i, (label, _)) in DETAIL.iter().enumerate().skip(4) {
        line(ws, *row, label, t[i])?;
        *row += 1;
    }
    let costs = sum(&t[4..]);
    line(ws, *row, "Toimintakulut", costs)?;
    *row += 1;
    line(ws, *row, "Toimintakate", sum(&[revenue, costs]))?;
    *row += 2;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (mut departments, mut areas, mut seed, mut out) = (300usize, 10usize, 1u64, PathBuf::from("city"));
    while let Some(a) = args.next() {
        let v = args.next().ok_or("every option takes a value")?;
        match a.as_str() {
            "--departments" => departments = v.parse()?,
            "--areas" => areas = v.parse()?,
            "--seed" => seed = v.parse()?,
            "--out" => out = PathBuf::from(v),
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    std::fs::create_dir_all(&out)?;
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut org = String::from("name = \"Esimerkkikaupunki\"\n");
    // One sheet per 25 departments keeps sheets at a realistic size.
    let mut sheet_row = 0u32;
    let mut ws = rust_xlsxwriter::Worksheet::new();
    ws.set_name("Toimialat 1")?;
    let mut sheets = Vec::new();
    for d in 0..departments {
        if d > 0 && d.is_multiple_of(25) {
            sheets.push(ws);
            ws = rust_xlsxwriter::Worksheet::new();
            ws.set_name(format!("Toimialat {}", d / 25 + 1))?;
            sheet_row = 0;
        }
        let dept = format!("Toimiala {:03}", d + 1);
        let _ = writeln!(org, "[[unit]]\nname = \"{dept}\"\nbinding = [\"toimintakate\"]");
        let tables: Vec<Table> = (0..areas).map(|_| area(&mut rng)).collect();
        let total: Table = (0..DETAIL.len())
            .map(|i| {
                tables.iter().fold([0i64; 4], |a, t| [a[0] + t[i][0], a[1] + t[i][1], a[2] + t[i][2], a[3] + t[i][3]])
            })
            .collect();
        write_table(&mut ws, &mut sheet_row, &dept, &total)?;
        for (k, t) in tables.iter().enumerate() {
            let name = format!("Vastuualue {:03}-{:02}", d + 1, k + 1);
            let _ = writeln!(org, "[[unit]]\nname = \"{name}\"\nparent = \"{dept}\"");
            write_table(&mut ws, &mut sheet_row, &name, t)?;
        }
    }
    sheets.push(ws);
    let mut book = Workbook::new();
    for s in sheets {
        book.push_worksheet(s);
    }
    book.save(out.join("kaupunki.xlsx"))?;
    std::fs::write(out.join("org.toml"), org)?;
    println!("{} units in {}", departments * (areas + 1), out.display());
    Ok(())
}
