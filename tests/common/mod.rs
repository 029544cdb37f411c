//! Test harness: runs the real binary in a temporary folder, builds test workbooks, reads the seeds.
#![allow(dead_code)]

use rust_xlsxwriter::{Format, Workbook};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub fn root(rel: &str) -> PathBuf {
    Path::new(ROOT).join(rel)
}

/// Runs `poikkeama ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poikkeama")).args(args).current_dir(dir).output().expect("binary runs")
}

/// Runs `poikkeama ARGS` at the repo root.
pub fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// (unit, line_item, scenario, year, amount) as strings.
pub type Key = (String, String, String, String, String);

/// The transcribed seed tables.
pub fn seed_figures() -> BTreeSet<Key> {
    let mut out = BTreeSet::new();
    for f in ["seeds/seed_001_tp2024.csv", "seeds/seed_003_ta2023.csv"] {
        let mut rd = csv::Reader::from_path(root(f)).unwrap();
        for r in rd.records() {
            let r = r.unwrap();
            out.insert((r[1].into(), r[3].into(), r[4].into(), r[5].into(), r[6].into()));
        }
    }
    out
}

/// Parsed `extract` CSV rows: (source, key).
pub fn parse_extract(csv_text: &str) -> Vec<(String, Key)> {
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        ["source", "unit", "line_item", "scenario", "year", "amount"]
    );
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].into(), (r[1].into(), r[2].into(), r[3].into(), r[4].into(), r[5].into()))
        })
        .collect()
}

pub fn key(unit: &str, item: &str, scenario: &str, year: i32, amount: &str) -> Key {
    (unit.into(), item.into(), scenario.into(), year.to_string(), amount.into())
}

/// A cell value for test sheets.
#[derive(Clone, Copy)]
pub enum V<'a> {
    T(&'a str),
    N(f64),
    E,
}

/// Writes a sheet from rows of cells starting at A1; `merges` are (first_row, first_col, last_row, last_col, text).
pub fn write_sheet(wb: &mut Workbook, name: &str, rows: &[Vec<V>], merges: &[(u32, u16, u32, u16, &str)]) {
    let ws = wb.add_worksheet().set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v {
                V::T(t) => {
                    ws.write(r as u32, c as u16, *t).unwrap();
                }
                V::N(n) => {
                    ws.write(r as u32, c as u16, *n).unwrap();
                }
                V::E => {}
            }
        }
    }
    for (r1, c1, r2, c2, text) in merges {
        ws.merge_range(*r1, *c1, *r2, *c2, text, &Format::new()).unwrap();
    }
}

/// A temporary folder with the given workbook saved as `name`.
pub fn save(wb: &mut Workbook, dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    wb.save(&p).unwrap();
    p
}

/// Saves `name` in `dir`: one unit ("Keskus") with one consistent line (TA, TP, Poikkeama for 2024).
pub fn save_clean_workbook(dir: &Path, name: &str, label: &str, ta: f64, tp: f64) -> PathBuf {
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "S",
        &[
            vec![V::T("Keskus")],
            vec![V::E, V::T("TA 2024"), V::T("TP 2024"), V::T("Poikkeama")],
            vec![V::T(label), V::N(ta), V::N(tp), V::N(tp - ta)],
        ],
        &[],
    );
    save(&mut wb, dir, name)
}
