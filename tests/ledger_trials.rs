//! Ledger exports written by trials as a new user would, not for these tests (see
//! `tests/fixtures/ledger_trials/SOURCES.md` and `ledger_trials3/SOURCES.md`): every figure `extract` gives
//! equals the one computed from the account rows alone (`expected.json`), no figure more, and a correct file
//! validates with no error.

mod common;
use common::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

type Figures = BTreeMap<(String, String, String, String), Decimal>;

fn expected(dir: &str) -> BTreeMap<String, Figures> {
    let path = root(&format!("tests/fixtures/{dir}/expected.json"));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // The first trial's file wraps the figures in "expected"; the third's is the figures alone.
    let figures = if v.get("expected").is_some() { &v["expected"] } else { &v };
    figures
        .as_object()
        .unwrap()
        .iter()
        .map(|(file, figures)| {
            let figures = figures
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, amount)| {
                    let p: Vec<&str> = k.split('|').collect();
                    let key = (p[0].to_string(), p[1].to_string(), p[2].to_string(), p[3].to_string());
                    (key, amount.as_str().unwrap().parse::<Decimal>().unwrap().normalize())
                })
                .collect();
            (file.clone(), figures)
        })
        .collect()
}

#[test]
fn every_trial_export_reads_to_the_cent_and_validates_clean() {
    check("ledger_trials", 13);
}

#[test]
fn the_third_trials_exports_read_to_the_cent_and_validate_clean() {
    check("ledger_trials3", 10);
}

fn check(fixtures: &str, files: usize) {
    let dir = root(&format!("tests/fixtures/{fixtures}"));
    let all = expected(fixtures);
    assert_eq!(all.len(), files);
    let mut failures = Vec::new();
    for (file, want) in &all {
        let out = run_in(&dir, &["extract", "--org", "org.toml", file]);
        if code(&out) != 0 {
            failures.push(format!("{file}: extract exit {}: {}", code(&out), stderr(&out)));
            continue;
        }
        let mut got: Figures = BTreeMap::new();
        for (_, k) in parse_extract(&stdout(&out)) {
            let amount = k.4.parse::<Decimal>().unwrap();
            *got.entry((k.0, k.1, k.2, k.3)).or_default() += amount;
        }
        let got: Figures = got.into_iter().map(|(k, v)| (k, v.normalize())).collect();
        // A figure expected as 0 may be absent (no row fills it).
        let want: Figures =
            want.iter().filter(|(k, v)| !v.is_zero() || got.contains_key(*k)).map(|(k, v)| (k.clone(), *v)).collect();
        if got != want {
            let wrong: Vec<String> = want
                .iter()
                .filter(|(k, v)| got.get(*k) != Some(v))
                .take(5)
                .map(|(k, v)| format!("{k:?}: want {v}, got {:?}", got.get(k)))
                .chain(got.keys().filter(|k| !want.contains_key(*k)).take(5).map(|k| format!("{k:?}: not expected")))
                .collect();
            failures.push(format!("{file}: {}", wrong.join("; ")));
        }
        let out = run_in(&dir, &["validate", "--org", "org.toml", file]);
        if code(&out) != 0 {
            failures.push(format!("{file}: validate exit {}: {}", code(&out), stdout(&out)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
