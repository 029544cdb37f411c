//! Writes a city-shaped ledger export and its org file, for the ledger benchmark: 8 sectors, 150 departments,
//! 3 000 cost centers (20 per department), 400 accounts (most on operating lines, some taxes and financial
//! items), 12 months; budget, changes and actuals with cents, semicolons and decimal commas as Finnish
//! exports write them. About 1 % of the rows go to a cost center no unit has. Deterministic for a seed.
//!
//! Run: `cargo run --release --example gen_ledger -- --rows 1000000 --seed 1 --out /tmp/ledger`
//! (writes `/tmp/ledger/paakirja.csv` and `/tmp/ledger/org.toml`).

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cents(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", v.abs() / 100, v.abs() % 100)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (mut rows, mut seed, mut out) = (1_000_000u64, 1u64, PathBuf::from("ledger"));
    while let Some(a) = args.next() {
        let v = args.next().ok_or("every option takes a value")?;
        match a.as_str() {
            "--rows" => rows = v.parse()?,
            "--seed" => seed = v.parse()?,
            "--out" => out = PathBuf::from(v),
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    std::fs::create_dir_all(&out)?;
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // The org: sectors, departments with their cost-center ranges.
    let mut org = String::from("name = \"Esimerkkikaupunki\"\n");
    for s in 0..8 {
        let _ = writeln!(org, "[[unit]]\nname = \"Toimiala {}\"\nbinding = [\"toimintakate\"]", s + 1);
    }
    for d in 0..150u64 {
        let first = 100_000 + d * 20;
        let _ = writeln!(
            org,
            "[[unit]]\nname = \"Palvelu {:03}\"\nparent = \"Toimiala {}\"\ncodes = [\"{first}-{}\"]",
            d + 1,
            d % 8 + 1,
            first + 19
        );
    }
    std::fs::write(out.join("org.toml"), org)?;
    // 400 accounts: operating ones spread over the chart's lines, and some that are no operating line.
    let operating: [(u64, u64); 11] = [
        (3000, 3099),
        (3200, 3299),
        (3300, 3399),
        (3400, 3599),
        (4000, 4299),
        (4300, 4499),
        (4500, 4699),
        (4700, 4799),
        (4800, 4995),
        (7100, 7299),
        (3700, 3799),
    ];
    let mut accounts: Vec<u64> = (0..380)
        .map(|k| {
            let (a, b) = operating[k % operating.len()];
            a + (k as u64 * 7) % (b - a + 1)
        })
        .collect();
    accounts.extend((0..20).map(|k| 5000 + k * 10));
    let file = std::fs::File::create(out.join("paakirja.csv"))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(w, "vuosi;kuukausi;kustannuspaikka;tili;talousarvio;muutokset;toteuma")?;
    for _ in 0..rows {
        let cc = if rng.below(100) == 0 { 999_999 } else { 100_000 + rng.below(3000) };
        let account = accounts[rng.below(accounts.len() as u64) as usize];
        let month = rng.below(12) + 1;
        let revenue = account < 4000;
        let size = (rng.below(500_000) + 100) as i64 * if revenue { 1 } else { -1 };
        let changes = if rng.below(10) == 0 { size / 20 } else { 0 };
        let actual = size * (90 + rng.below(21) as i64) / 100;
        writeln!(
            w,
            "2024;{month};{cc};{account};{};{};{}",
            cents(size),
            if changes == 0 { String::new() } else { cents(changes) },
            cents(actual)
        )?;
    }
    w.flush()?;
    println!("{rows} rows in {}", out.display());
    Ok(())
}
