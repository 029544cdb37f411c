//! Ledger exports: rows summed exactly per unit (cost centers by the org file's codes) and line item
//! (accounts by the chart of accounts), every figure with its row count, nothing dropped silently.

mod common;
use common::*;
use std::path::Path;

const ORG: &str = "name = \"Kunta\"\n\
[[unit]]\nname = \"Keskus\"\nbinding = [\"toimintakate\"]\n\
[[unit]]\nname = \"Alue A\"\nparent = \"Keskus\"\ncodes = [\"1100-1199\"]\n\
[[unit]]\nname = \"Alue B\"\nparent = \"Keskus\"\ncodes = [\"1200\", \"1201\"]\n";

/// Semicolons, decimal commas, months, an account of eight digits, a cost center no unit has, a tax account.
const LEDGER: &str = "vuosi;kuukausi;kustannuspaikka;tili;talousarvio;muutokset;toteuma\n\
2024;1;1100;3005;1000,00;;400,25\n\
2024;2;1150;3005;500,00;;700,75\n\
2024;1;1100;43010000;-20000,00;-1000,00;-9500,10\n\
2024;2;1101;4300;;;-11000,00\n\
2024;1;1200;4000;-30000,00;;-29000,00\n\
2024;1;1201;4000;-5000,00;;-5500,00\n\
2024;1;9999;4300;-100,00;;-90,00\n\
2024;1;1200;5000;0;;12345,67\n";

/// The scheme's totals a ledger's figures are summed into (the rows post only to their terms).
const DERIVED: [&str; 8] = [
    "toimintatuotot",
    "toimintakulut",
    "toimintakate",
    "henkilostokulut",
    "henkilosivukulut",
    "muut_toimintatuotot",
    "muut_toimintakulut",
    "poistot_ja_arvonalentumiset",
];

/// `extract` with these arguments in `dir`: it must succeed; its figures other than the scheme's totals, sorted.
fn leaves(dir: &Path, args: &[&str]) -> Vec<Key> {
    let out = run_in(dir, args);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    let mut got: Vec<Key> =
        parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).filter(|k| !DERIVED.contains(&k.1.as_str())).collect();
    got.sort();
    got
}

/// The same, sorted, for comparing with [`leaves`].
fn sorted(mut keys: Vec<Key>) -> Vec<Key> {
    keys.sort();
    keys
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    std::fs::write(dir.path().join("paakirja.csv"), LEDGER).unwrap();
    dir
}

#[test]
fn ledger_rows_become_figures_per_unit_and_line_item() {
    let dir = setup();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "paakirja.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    let find = |unit: &str, item: &str, sc: &str| {
        rows.iter().find(|(_, k)| k.0 == unit && k.1 == item && k.2 == sc).map(|(s, k)| (s.clone(), k.4.clone()))
    };
    // Alue A: 1100 and 1150 (a range) for sales; 1100's eight-digit account and 1101's 4300 for purchases.
    assert_eq!(find("Alue A", "myyntituotot", "ta"), Some(("paakirja.csv (2 rows)".into(), "1500".into())));
    assert_eq!(find("Alue A", "myyntituotot", "tp"), Some(("paakirja.csv (2 rows)".into(), "1101".into())));
    assert_eq!(find("Alue A", "palvelujen_ostot", "ta_muutokset").map(|x| x.1), Some("-1000".into()));
    assert_eq!(find("Alue A", "palvelujen_ostot", "tp").map(|x| x.1), Some("-20500.1".into()));
    assert_eq!(find("Alue B", "henkilostokulut", "tp"), Some(("paakirja.csv (2 rows)".into(), "-34500".into())));
    // Neither the unknown cost center nor the tax account made a figure.
    assert!(rows.iter().all(|(_, k)| k.4 != "-90" && k.4 != "12345.67"));
    // The scheme's totals from their terms, with the rows of the terms.
    assert_eq!(find("Alue A", "toimintatuotot", "tp"), Some(("paakirja.csv (2 rows)".into(), "1101".into())));
    assert_eq!(find("Alue A", "toimintakulut", "tp"), Some(("paakirja.csv (2 rows)".into(), "-20500.1".into())));
    assert_eq!(find("Alue A", "toimintakate", "tp"), Some(("paakirja.csv (4 rows)".into(), "-19399.1".into())));
}

#[test]
fn unmapped_rows_are_reported_and_the_totals_reconcile() {
    let dir = setup();
    let out = run_in(dir.path(), &["validate", "--format", "json", "--org", "org.toml", "paakirja.csv"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    let input: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "input").collect();
    let said = |kind: &str| -> Vec<&serde_json::Value> {
        input.iter().map(|f| &f["notes"][0]["said"]).filter(|s| s["kind"] == kind).collect()
    };
    let cc = said("unmapped_cost_center");
    assert!(cc
        .iter()
        .any(|s| s["code"] == "9999" && s["scenario"] == "tp" && s["amount"] == "-90.00" && s["rows"] == 1));
    let acc = said("unmapped_account");
    assert!(acc.iter().any(|s| s["account"] == "5000" && s["scenario"] == "tp" && s["amount"] == "12345.67"));
    // Actuals 2024: all rows = mapped + unmapped, to the cent.
    let tp = said("reconciliation").into_iter().find(|s| s["scenario"] == "tp").unwrap().clone();
    assert_eq!(
        (tp["total"].as_str(), tp["mapped"].as_str(), tp["unmapped"].as_str()),
        (Some("-41643.43"), Some("-53899.10"), Some("12255.67"))
    );
    let reconciliation = input.iter().find(|f| f["notes"][0]["said"]["kind"] == "reconciliation").unwrap();
    assert_eq!(reconciliation["severity"], "info");
    assert!(reconciliation["message"].as_str().unwrap().starts_with("täsmäytys, talousarvio 2024"));
}

#[test]
fn a_bad_amount_names_its_line() {
    let dir = setup();
    std::fs::write(dir.path().join("paakirja.csv"), format!("{LEDGER}2024;3;1100;4300;abc;;1\n")).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "paakirja.csv"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("paakirja.csv:10: column \"talousarvio\": \"abc\" is not an amount"),
        "{}",
        stderr(&out)
    );
}

/// The long form (one amount, a scenario column), column names from poikkeama.toml and a chart of accounts
/// of the town's own.
#[test]
fn long_form_own_column_names_and_own_chart() {
    let dir = setup();
    std::fs::write(
        dir.path().join("kirjanpito.csv"),
        "Vuosi,Kp,Tili,Laji,Summa\n2024,1100,9100,talousarvio,-100.50\n2024,1100,9100,toteuma,-90.25\n2024,1201,9100,toteuma,-10\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("tilit.csv"), "from,to,item\n9000,9199,palvelujen_ostot\n").unwrap();
    std::fs::write(
        dir.path().join("poikkeama.toml"),
        "inputs = [\"kirjanpito.csv\"]\norg = \"org.toml\"\naccounts = \"tilit.csv\"\nout = \"o\"\n\
         [ledger]\ncost_center = \"kp\"\nscenario = \"laji\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["run"]);
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap()).unwrap();
    let recon: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["notes"][0]["said"])
        .filter(|s| s["kind"] == "reconciliation")
        .collect();
    let tp = recon.iter().find(|s| s["scenario"] == "tp").unwrap();
    assert_eq!((tp["total"].as_str(), tp["unmapped"].as_str()), (Some("-100.25"), Some("0")));
    assert!(recon.iter().all(|s| s["scenario"] != "ta_muutokset"), "a scenario without rows has no line");
    // With the default chart the same accounts are no operating line: unmapped, with their total.
    let ex = run_in(dir.path(), &["validate", "--format", "json", "--org", "org.toml", "paakirja.csv"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&ex)).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["notes"][0]["said"]["kind"] == "unmapped_account"));
    // A CSV that is no ledger is said to be one, not called a broken workbook.
    std::fs::write(
        dir.path().join("muistio.csv"),
        "a,b
1,2
",
    )
    .unwrap();
    let bad = run_in(dir.path(), &["extract", "muistio.csv"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("muistio.csv: a CSV file that is not a ledger export"), "{}", stderr(&bad));
}

/// The same ledger as a workbook sheet (numbers as numbers): the same figures, traced to the sheet.
#[test]
fn a_ledger_sheet_in_a_workbook() {
    use common::V::{N, T};
    let dir = setup();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let mut rows = vec![vec![T("vuosi"), T("kustannuspaikka"), T("tili"), T("talousarvio"), T("toteuma")]];
    rows.push(vec![N(2024.0), N(1100.0), N(3005.0), N(1000.0), N(400.25)]);
    rows.push(vec![N(2024.0), N(1150.0), N(3005.0), N(500.0), N(700.75)]);
    rows.push(vec![N(2024.0), T("9999"), N(4300.0), N(-100.0), N(-90.0)]);
    write_sheet(&mut wb, "Kirjanpito", &rows, &[]);
    save(&mut wb, dir.path(), "kirjanpito.xlsx");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "kirjanpito.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = parse_extract(&stdout(&out));
    let tp = got.iter().find(|(_, k)| k.0 == "Alue A" && k.1 == "myyntituotot" && k.2 == "tp").unwrap();
    assert_eq!((tp.0.as_str(), tp.1 .4.as_str()), ("kirjanpito.xlsx:Kirjanpito (2 rows)", "1101"));
    assert!(stderr(&out).contains("cost center 9999 is in no unit's codes"), "{}", stderr(&out));
    // The same rows under a title and a blank row, headers in other words: the same figure.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let mut titled = vec![vec![T("Pääkirja 1.1.–31.12.2024")], vec![]];
    titled.push(vec![T("Vuosi"), T("Kustp nro"), T("Kustannuspaikan nimi"), T("Tilinumero"), T("TA"), T("TP")]);
    titled.push(vec![N(2024.0), N(1100.0), T("Nimi"), N(3005.0), N(1000.0), N(400.25)]);
    titled.push(vec![N(2024.0), N(1150.0), T("Nimi"), N(3005.0), N(500.0), N(700.75)]);
    titled.push(vec![N(2024.0), T("9999"), T("Nimi"), N(4300.0), N(-100.0), N(-90.0)]);
    write_sheet(&mut wb, "Kirjanpito", &titled, &[]);
    save(&mut wb, dir.path(), "otsikko.xlsx");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "otsikko.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = parse_extract(&stdout(&out));
    let tp = got.iter().find(|(_, k)| k.0 == "Alue A" && k.1 == "myyntituotot" && k.2 == "tp").unwrap();
    assert_eq!((tp.0.as_str(), tp.1 .4.as_str()), ("otsikko.xlsx:Kirjanpito (2 rows)", "1101"));
}

/// A column marking internal rows keeps them apart: their amounts go to the unit's internal items (Sisäiset
/// erät), not to the operating line of their account; a flag that says neither is an error naming its line.
#[test]
fn internal_rows_are_kept_apart_from_external_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let ledger = "vuosi;kustannuspaikka;tili;sisäinen;talousarvio;toteuma\n\
        2024;1100;4300;;-1000,00;-900,00\n\
        2024;1100;4300;x;-200,00;-250,50\n\
        2024;1101;4400;S;-50,00;-40,00\n\
        2024;1100;3005;0;300,00;310,00\n\
        2024;1100;3005;kyllä;70,00;60,00\n\
        2024;1100;5000;x;0;5,00\n";
    std::fs::write(dir.path().join("paakirja.csv"), ledger).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "paakirja.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    let find = |item: &str, sc: &str| {
        rows.iter().find(|(_, k)| k.0 == "Alue A" && k.1 == item && k.2 == sc).map(|(s, k)| (s.clone(), k.4.clone()))
    };
    assert_eq!(find("palvelujen_ostot", "tp"), Some(("paakirja.csv (1 row)".into(), "-900".into())));
    assert_eq!(find("myyntituotot", "ta"), Some(("paakirja.csv (1 row)".into(), "300".into())));
    // Internal purchases, sales and another cost center's services: one internal figure, −250.50 − 40 + 60.
    assert_eq!(find("sisaiset_erat", "tp"), Some(("paakirja.csv (3 rows)".into(), "-230.5".into())));
    assert_eq!(find("sisaiset_erat", "ta"), Some(("paakirja.csv (3 rows)".into(), "-180".into())));
    // The tax account stays unmapped, internal or not.
    assert!(rows.iter().all(|(_, k)| k.4 != "5"));

    // The same rows as Parquet (tests/fixtures/ledger/make_parquet.py): the same figures.
    std::fs::copy(root("tests/fixtures/ledger/paakirja_sisainen.parquet"), dir.path().join("s.parquet")).unwrap();
    let pq = run_in(dir.path(), &["extract", "--org", "org.toml", "s.parquet"]);
    assert_eq!(code(&pq), 0, "{}", stderr(&pq));
    let figures = |o: &std::process::Output| {
        let mut v: Vec<(String, String, String, rust_decimal::Decimal)> = parse_extract(&stdout(o))
            .into_iter()
            .map(|(_, k)| (k.0, k.1, k.2, k.4.parse::<rust_decimal::Decimal>().unwrap().normalize()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(figures(&pq), figures(&out));
    assert!(figures(&pq).iter().any(|f| f.1 == "sisaiset_erat" && f.2 == "tp" && f.3.to_string() == "-230.5"));

    std::fs::write(dir.path().join("paakirja.csv"), format!("{ledger}2024;1100;4300;ehkä;1;1\n")).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "paakirja.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("paakirja.csv:8") && stderr(&out).contains("\"ehkä\""), "{}", stderr(&out));
}

/// Parquet ledgers: the same rows as the CSV ledger, in the wide form with decimal amounts and integer cost
/// centers, and in the long form with float amounts and a scenario column (capitalised headers), give the
/// same figures to the cent, each with its row count, and the same unmapped totals.
#[test]
fn parquet_ledgers_read_as_the_csv_ledger() {
    let dir = setup();
    let csv = run_in(dir.path(), &["extract", "--org", "org.toml", "paakirja.csv"]);
    assert_eq!(code(&csv), 0, "{}", stderr(&csv));
    let amounts = |out: &std::process::Output| -> Vec<(String, String, String, String)> {
        let mut v: Vec<_> = parse_extract(&stdout(out))
            .into_iter()
            .filter(|(_, k)| !DERIVED.contains(&k.1.as_str()))
            .map(|(src, k)| {
                let rows = src.split_once(" (").map(|x| x.1.to_string()).unwrap_or_default();
                (k.0, k.1, format!("{} {}", k.2, k.4), rows)
            })
            .map(|(u, i, a, r)| (u, i, a.replace(".00", ""), r))
            .collect();
        v.sort();
        v
    };
    let want = amounts(&csv);
    // No changes were booked on the sales and salaries: no figure for them (blank cells are no rows).
    assert_eq!(want.len(), 7, "{want:?}");
    for file in ["paakirja.parquet", "paakirja_pitka.parquet"] {
        std::fs::copy(root(&format!("tests/fixtures/ledger/{file}")), dir.path().join(file)).unwrap();
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{file}: {}", stderr(&out));
        let got = amounts(&out);
        let normal = |v: &[(String, String, String, String)]| -> Vec<(String, String, String, String)> {
            v.iter()
                .map(|(u, i, a, r)| {
                    let (sc, amount) = a.split_once(' ').unwrap();
                    let d: rust_decimal::Decimal = amount.parse().unwrap();
                    (u.clone(), i.clone(), format!("{sc} {}", d.normalize()), r.clone())
                })
                .collect()
        };
        if file == "paakirja.parquet" {
            assert_eq!(normal(&got), normal(&want), "{file}");
        } else {
            // The long form counts its rows per key over all scenarios, as the CSV long form does.
            let no_rows =
                |v: Vec<(String, String, String, String)>| v.into_iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>();
            assert_eq!(no_rows(normal(&got)), no_rows(normal(&want)), "{file}");
        }
        // Nothing dropped: the unknown cost center and the tax account are reported as in the CSV.
        assert!(stderr(&out).contains("9999") && stderr(&out).contains("5000"), "{file}: {}", stderr(&out));
    }
    // A Parquet file that is no Parquet: one clear line naming it.
    std::fs::write(dir.path().join("rikki.parquet"), b"PAR1 not really").unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "rikki.parquet"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("error: rikki.parquet: not a readable Parquet ledger"), "{}", stderr(&out));
}

/// A generated ledger of 500 000 rows (18 MB: read on two threads), checked against sums made here
/// independently, in integer cents, with this test's own reading of the org's ranges and of the chart of
/// accounts: every figure to the cent, with its row count.
#[test]
fn a_large_ledger_matches_an_independent_sum() {
    use std::collections::BTreeMap;
    let dir = tempfile::tempdir().unwrap();
    let mut org = String::from("name = \"Kaupunki\"\n");
    for d in 0..30u64 {
        let first = 5000 + d * 10;
        org.push_str(&format!("[[unit]]\nname = \"Palvelu {d}\"\ncodes = [\"{first}-{}\"]\n", first + 9));
    }
    std::fs::write(dir.path().join("org.toml"), &org).unwrap();
    // The chart as this test reads it: from,to,item rows of the shipped file.
    let chart: Vec<(u64, u64, String)> = std::fs::read_to_string(root("src/model/accounts.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].to_string())
        })
        .collect();
    let accounts: Vec<u64> =
        (0..60).map(|i| [3000, 3210, 3350, 4000, 4100, 4320, 4510, 4710, 4810, 5010][i % 10] + i as u64).collect();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut text = String::from("vuosi;kustannuspaikka;tili;talousarvio;muutokset;toteuma\n");
    // The same rows as Parquet: cost centers as text, accounts as integers, amounts as decimals.
    let mut columns: [Vec<String>; 4] = Default::default();
    let mut accs: Vec<i64> = Vec::new();
    let mut want: BTreeMap<(String, String, &str), (i64, u64)> = BTreeMap::new();
    for _ in 0..500_000 {
        let cc = 5000 + next(310); // 5300-5309: no unit
        let acc = accounts[next(accounts.len() as u64) as usize];
        let cents =
            [next(2_000_000) as i64 - 1_000_000, next(20_000) as i64 - 10_000, next(2_000_000) as i64 - 1_000_000];
        let show = |c: i64| format!("{}{},{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100);
        text.push_str(&format!("2024;{cc};{acc};{};{};{}\n", show(cents[0]), show(cents[1]), show(cents[2])));
        columns[0].push(cc.to_string());
        accs.push(acc as i64);
        for k in 0..3 {
            columns[k + 1].push(show(cents[k]).replace(',', "."));
        }
        let unit = (cc < 5300).then(|| format!("Palvelu {}", (cc - 5000) / 10));
        let item = chart.iter().find(|(a, b, _)| (*a..=*b).contains(&acc)).map(|c| c.2.clone());
        if let (Some(u), Some(i)) = (unit, item) {
            for (k, sc) in ["ta", "ta_muutokset", "tp"].into_iter().enumerate() {
                let e = want.entry((u.clone(), i.clone(), sc)).or_insert((0, 0));
                e.0 += cents[k];
                e.1 += 1;
            }
        }
    }
    assert!(text.len() > 16 << 20, "large enough for two threads: {}", text.len());
    std::fs::write(dir.path().join("iso.csv"), &text).unwrap();
    // Parquet in row groups of 20 000 rows: many morsels, summed on two threads.
    let [ccs, ta, muutokset, tp] = columns;
    let mut df = polars::df!(
        "vuosi" => vec![2024i32; accs.len()],
        "kustannuspaikka" => ccs,
        "tili" => accs,
        "talousarvio" => ta,
        "muutokset" => muutokset,
        "toteuma" => tp,
    )
    .unwrap();
    write_parquet(&mut df, &dir.path().join("iso.parquet"), &["talousarvio", "muutokset", "toteuma"]);
    let mut want: BTreeMap<(String, String, String), (i64, u64)> =
        want.into_iter().map(|((u, i, s), v)| ((u, i, s.to_string()), v)).collect();
    // Every mapped account here is under toimintakate: it is the sum of the unit's lines, with all their rows.
    let mut kate: BTreeMap<(String, String, String), (i64, u64)> = BTreeMap::new();
    for ((u, _, sc), (cents, rows)) in &want {
        let e = kate.entry((u.clone(), "toimintakate".into(), sc.clone())).or_insert((0, 0));
        e.0 += cents;
        e.1 += rows;
    }
    want.extend(kate);
    for file in ["iso.csv", "iso.parquet"] {
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{file}: {}", stderr(&out));
        let mut got: BTreeMap<(String, String, String), (i64, u64)> = BTreeMap::new();
        for (src, k) in parse_extract(&stdout(&out))
            .into_iter()
            .filter(|(_, k)| !DERIVED.contains(&k.1.as_str()) || k.1 == "toimintakate")
        {
            let cents: rust_decimal::Decimal =
                k.4.parse::<rust_decimal::Decimal>().unwrap() * rust_decimal::Decimal::from(100);
            let rows: u64 = src.split_once(" (").unwrap().1.split(' ').next().unwrap().parse().unwrap();
            got.insert((k.0, k.1, k.2), (i64::try_from(cents.normalize().mantissa()).unwrap(), rows));
        }
        assert_eq!(got.len(), want.len(), "{file}");
        assert_eq!(got, want, "{file}");
    }
}

/// Writes `df` as Parquet in row groups of 20 000 rows, the `decimals` columns (texts like `-12.50`) as
/// `Decimal(14, 2)`.
fn write_parquet(df: &mut polars::prelude::DataFrame, path: &Path, decimals: &[&str]) {
    use polars::prelude::*;
    for c in decimals {
        let d = df.column(c).unwrap().cast(&DataType::Decimal(14, 2)).unwrap();
        df.with_column(d).unwrap();
    }
    ParquetWriter::new(std::fs::File::create(path).unwrap()).with_row_group_size(Some(20_000)).finish(df).unwrap();
}

/// A bad row deep in a Parquet ledger of many row groups is named by its row, whichever thread sums it; and a
/// bad row stops the reading (no figures, exit 2).
#[test]
fn a_bad_parquet_row_is_named_by_its_row() {
    let dir = setup();
    let n = 100_000;
    let flags: Vec<&str> = (0..n)
        .map(|i| {
            if i == 76_543 {
                "ehkä"
            } else if i % 7 == 0 {
                "x"
            } else {
                ""
            }
        })
        .collect();
    let mut df = polars::df!(
        "vuosi" => vec![2024i64; n],
        "kustannuspaikka" => (0..n).map(|i| 1100 + (i % 3) as i64).collect::<Vec<_>>(),
        "tili" => vec!["4300"; n],
        "sisäinen" => flags,
        "talousarvio" => vec!["-1.25"; n],
        "toteuma" => vec!["-1.50"; n],
    )
    .unwrap();
    write_parquet(&mut df, &dir.path().join("s.parquet"), &["talousarvio", "toteuma"]);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "s.parquet"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        stderr(&out).lines().next().unwrap_or_default(),
        "error: s.parquet: row 76544: column \"sisäinen\": \"ehkä\" says neither internal (1, x, kyllä, S) nor \
         external (0, blank, ei, U)"
    );
    assert!(stdout(&out).is_empty());
}

/// A purchase-invoice export in the layout of Kuntaliitto's guideline for opening municipal purchase data
/// (2021), with the field names Sastamala lists for its 2023 data (sastamala.fi, "Ostolaskut 2023"): no year
/// column but a voucher date, the account as "Kirjanpidon tilinumero", the amount as "Laskun summa ilman ALV",
/// names beside codes, Windows-1252 text. The rows are made up. The amount names no scenario, but the rows
/// are bookings (a voucher date) and it is the amount without VAT: the actuals, read and said so; the same
/// when the configuration names it.
#[test]
fn a_purchase_invoice_export_with_dates_and_the_amount_named_in_the_config() {
    let dir = setup();
    let text = "Kuntanumero;Kunnan nimi;Kunnan Y-tunnus;Tositenumero;Toimittajan nimi;Toimittajan Y-tunnus;\
Laskun summa ilman ALV;Tositepäivämäärä;Kirjanpidon tilinumero;Tilin nimi;Kustannuspaikka;Kustannuspaikan nimi\n\
790;Kunta;0144411-3;10001;Toimittaja Oy;1234567-8;1 250,00;15.3.2023;4300;Asiantuntijapalvelut;1100;Hallinto\n\
790;Kunta;0144411-3;10002;Toimittaja Oy;1234567-8;-200,00;2.4.2023;4310;Asiantuntijapalvelut;1101;Hallinto\n\
790;Kunta;0144411-3;10003;Kauppa Ab;7654321-0;300,50;31.12.2023;4500;Tarvikkeet;1200;Koulu\n\
790;Kunta;0144411-3;10004;Kauppa Ab;7654321-0;99,99;5.1.2023;4510;Tarvikkeet;1201 Koulu;Koulu\n";
    // Latin-1 letters (ä, ö) are the same bytes in Windows-1252.
    let cp1252: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
    std::fs::write(dir.path().join("ostot.csv"), &cp1252).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "ostot.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "bookings with a posting date: column \"laskun summa ilman alv\" (without VAT) read as the actuals"
        ),
        "{}",
        stderr(&out)
    );
    let mut unconfigured = parse_extract(&stdout(&out));
    unconfigured.retain(|(_, k)| !DERIVED.contains(&k.1.as_str()));
    unconfigured.sort();
    std::fs::write(
        dir.path().join("poikkeama.toml"),
        "org = \"org.toml\"\n[ledger]\nactual = \"Laskun summa ilman ALV\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--config", "poikkeama.toml", "ostot.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut got = parse_extract(&stdout(&out));
    got.retain(|(_, k)| !DERIVED.contains(&k.1.as_str()));
    got.sort();
    assert_eq!(
        got,
        [
            ("ostot.csv (2 rows)".into(), key("Alue A", "palvelujen_ostot", "tp", 2023, "-1050")),
            ("ostot.csv (2 rows)".into(), key("Alue B", "aineet_tarvikkeet_ja_tavarat", "tp", 2023, "-400.49")),
        ]
    );
    assert_eq!(got, unconfigured);
    // Invoices are booked positive; the reports print costs negative, and the turn is said.
    assert!(
        stderr(&out).contains("amounts turned to the reports' signs (revenues positive, costs negative): costs were booked positive; costs summed 1450.49 and revenues 0 as booked"),
        "{}",
        stderr(&out)
    );
    // Said to be signed as the reports are, they are kept as booked.
    std::fs::write(
        dir.path().join("poikkeama.toml"),
        "org = \"org.toml\"\n[ledger]\nactual = \"Laskun summa ilman ALV\"\nsigns = \"report\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--config", "poikkeama.toml", "ostot.csv"]);
    assert!(parse_extract(&stdout(&out)).iter().any(|(_, k)| k.1 == "palvelujen_ostot" && k.4 == "1050"));
    assert!(!stderr(&out).contains("turned"), "{}", stderr(&out));
}

/// Budget and actuals side by side per cost center and account, the year only in the amount headers, a plan
/// year beside them (not read), codes with their names in one cell; and the same in Swedish.
#[test]
fn years_in_the_amount_headers_and_codes_with_names() {
    let dir = setup();
    std::fs::write(
        dir.path().join("kp.csv"),
        "Kustp;Kustannuspaikan nimi;Tili;Tilin nimi;TA 2024;TA-muutokset 2024;Toteutuma 2024;TS 2025\n\
1100 Hallinto;Hallinto;4300 Asiantuntijapalvelut;Asiantuntijapalvelut;-1 000,00;-100,00;-1 050,50;-1 100\n\
1150 Hallinto;Hallinto;4300 Asiantuntijapalvelut;Asiantuntijapalvelut;-10,00;;-9,00;-10\n\
1201;Koulu;4000;Palkat;-500;;-480;-520\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ks.csv"),
        "Kostnadsställe\tKonto\tKontonamn\tBudget 2024\tÄndringar 2024\tUtfall 2024\tUtfall 2023\n\
1100\t4300\tTjänster\t-1000.00\t-100\t-1050.50\t-990\n",
    )
    .unwrap();
    assert_eq!(
        leaves(dir.path(), &["extract", "--org", "org.toml", "kp.csv"]),
        sorted(vec![
            key("Alue A", "palvelujen_ostot", "ta", 2024, "-1010"),
            key("Alue A", "palvelujen_ostot", "ta_muutokset", 2024, "-100"),
            key("Alue A", "palvelujen_ostot", "tp", 2024, "-1059.5"),
            key("Alue B", "palkat_ja_palkkiot", "ta", 2024, "-500"),
            // The changes column is there, blank on the row: no changes.
            key("Alue B", "palkat_ja_palkkiot", "tp", 2024, "-480"),
        ])
    );
    assert_eq!(
        leaves(dir.path(), &["extract", "--org", "org.toml", "ks.csv"]),
        sorted(vec![
            key("Alue A", "palvelujen_ostot", "ta", 2024, "-1000"),
            key("Alue A", "palvelujen_ostot", "ta_muutokset", 2024, "-100"),
            key("Alue A", "palvelujen_ostot", "tp", 2024, "-1050.5"),
            key("Alue A", "palvelujen_ostot", "tp", 2023, "-990"),
        ])
    );
}

/// The purchase-invoice shape as Parquet: dates as text, the year and month from them, cost centers with their
/// names.
#[test]
fn a_parquet_export_with_dates_and_no_year_column() {
    let dir = setup();
    let mut df = polars::df!(
        "Tositepäivämäärä" => ["2023-03-15", "2023-04-02", "2024-01-05"],
        "Kustannuspaikka" => ["1100 Hallinto", "1101", "1200"],
        "Kirjanpidon tilinumero" => [4300i64, 4310, 4500],
        "Tilin nimi" => ["Asiantuntijapalvelut", "Asiantuntijapalvelut", "Tarvikkeet"],
        "Laskun summa ilman ALV" => ["1250.00", "-200.00", "300.50"],
    )
    .unwrap();
    write_parquet(&mut df, &dir.path().join("ostot.parquet"), &["Laskun summa ilman ALV"]);
    std::fs::write(dir.path().join("p.toml"), "org = \"org.toml\"\n[ledger]\nactual = \"Laskun summa ilman ALV\"\n")
        .unwrap();
    assert_eq!(
        leaves(dir.path(), &["extract", "--config", "p.toml", "ostot.parquet"]),
        [
            key("Alue A", "palvelujen_ostot", "tp", 2023, "-1050"),
            // 2024's bookings end on 5 January: actuals to date of January, as a CSV's would be.
            key("Alue B", "aineet_tarvikkeet_ja_tavarat", "toteuma_kausi", 2024, "-300.5"),
        ]
    );
}

/// The budget kept on the department's own cost center, the spending on its areas': the department's figures
/// are its areas' and its own rows rolled up, and its variance is judged on those; its own rows are a child
/// of their own, not a reported total the areas would be checked against (that gave four rollup "errors").
#[test]
fn a_budget_on_the_parent_cost_center_is_rolled_up_before_the_variance() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("org.toml"),
        "name = \"Kunta\"\n[[unit]]\nname = \"Keskus\"\nbinding = [\"toimintakate\"]\ncodes = [\"1000\"]\n\
         [[unit]]\nname = \"Alue A\"\nparent = \"Keskus\"\ncodes = [\"1100-1199\"]\n\
         [[unit]]\nname = \"Alue B\"\nparent = \"Keskus\"\ncodes = [\"1200-1299\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("l.csv"),
        "vuosi;kustannuspaikka;tili;talousarvio;toteuma\n2024;1000;4300;-1000,00;\n2024;1000;3000;500,00;\n\
         2024;1100;4300;;-600,00\n2024;1200;4300;;-450,00\n2024;1200;3000;;520,00\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["validate", "--format", "json", "--org", "org.toml", "l.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["severity"] != "error"), "{findings:?}");
    // The department's binding toimintakate: budget −500 (its own rows), actuals −530 (its areas'): 30 € over.
    let binding =
        findings.iter().find(|f| f["rule"] == "binding_overrun").expect("the binding appropriation is judged");
    assert_eq!(
        (&binding["unit"], &binding["expected"], &binding["actual"], &binding["difference"]),
        (&"Keskus".into(), &"-500.00".into(), &"-530.00".into(), &"-30.00".into())
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "l.csv"]);
    let rows = parse_extract(&stdout(&out));
    let units: std::collections::BTreeSet<String> = rows.iter().map(|(_, k)| k.0.clone()).collect();
    assert_eq!(units.into_iter().collect::<Vec<_>>(), ["Alue A", "Alue B", "Keskus (omat kirjaukset)"]);
}

/// Amounts as financial systems print them: a minus after the number (`1 000,00-`), in parentheses, with a
/// Unicode minus; in a CSV and in a Parquet file whose amounts are text. A text that is no amount is an error
/// naming its row, never a blank.
#[test]
fn amounts_with_a_trailing_minus_and_as_text_in_parquet() {
    let dir = setup();
    let rows = [("1100", "1 000,00-", "(200,50)"), ("1101", "−300", "+5"), ("1200", "20,5", "10,25-")];
    let mut text = String::from("vuosi;kustannuspaikka;tili;talousarvio;toteuma\n");
    for (cc, ta, tp) in rows {
        text.push_str(&format!("2024;{cc};4300;{ta};{tp}\n"));
    }
    std::fs::write(dir.path().join("n.csv"), &text).unwrap();
    let mut df = polars::df!(
        "vuosi" => [2024i64; 3],
        "kustannuspaikka" => rows.map(|r| r.0),
        "tili" => ["4300"; 3],
        "talousarvio" => rows.map(|r| r.1),
        "toteuma" => rows.map(|r| r.2),
    )
    .unwrap();
    write_parquet(&mut df, &dir.path().join("n.parquet"), &[]);
    for file in ["n.csv", "n.parquet"] {
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{file}: {}", stderr(&out));
        let mut got: Vec<_> = parse_extract(&stdout(&out))
            .into_iter()
            .map(|(_, k)| k)
            .filter(|k| k.1 == "palvelujen_ostot")
            .map(|mut k| {
                k.4 = k.4.parse::<rust_decimal::Decimal>().unwrap().normalize().to_string();
                k
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                key("Alue A", "palvelujen_ostot", "ta", 2024, "-1300"),
                key("Alue A", "palvelujen_ostot", "tp", 2024, "-195.5"),
                key("Alue B", "palvelujen_ostot", "ta", 2024, "20.5"),
                key("Alue B", "palvelujen_ostot", "tp", 2024, "-10.25"),
            ],
            "{file}"
        );
    }
    let mut df = polars::df!(
        "vuosi" => [2024i64; 2],
        "kustannuspaikka" => ["1100", "1101"],
        "tili" => ["4300"; 2],
        "toteuma" => ["10,00", "kymmenen"],
    )
    .unwrap();
    write_parquet(&mut df, &dir.path().join("bad.parquet"), &[]);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "bad.parquet"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out).lines().next().unwrap_or_default(),
        "error: bad.parquet: row 2: column \"toteuma\": \"kymmenen\" is not an amount"
    );
}

/// Excel's "CSV UTF-8": a byte-order mark before the first header and Windows line ends; the first column,
/// the cost center, is one only the configuration names.
#[test]
fn a_byte_order_mark_and_windows_line_ends() {
    let dir = setup();
    std::fs::write(
        dir.path().join("excel.csv"),
        "\u{feff}Paikka;Tili;Vuosi;TA;TP\r\n1100;4300;2024;-100,00;-90,00\r\n1201;4300;2024;-10;-5\r\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("p.toml"), "org = \"org.toml\"\n[ledger]\ncost_center = \"paikka\"\n").unwrap();
    assert_eq!(
        leaves(dir.path(), &["extract", "--config", "p.toml", "excel.csv"]),
        sorted(vec![
            key("Alue A", "palvelujen_ostot", "ta", 2024, "-100"),
            key("Alue A", "palvelujen_ostot", "tp", 2024, "-90"),
            key("Alue B", "palvelujen_ostot", "ta", 2024, "-10"),
            key("Alue B", "palvelujen_ostot", "tp", 2024, "-5"),
        ])
    );
}

/// Lines above the header (Excel's `sep=;`, a report title, a blank line) are passed over, and lines are
/// still named by their number in the file.
#[test]
fn lines_above_the_header() {
    let dir = setup();
    std::fs::write(
        dir.path().join("r.csv"),
        "sep=;\nKirjanpitoraportti 1-12/2024;;\n;;\nvuosi;kustannuspaikka;tili;talousarvio;toteuma\n\
         2024;1100;4300;-100;-90\n2024;1200;4300;x;-5\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "r.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("r.csv:6: column \"talousarvio\": \"x\" is not an amount"), "{}", stderr(&out));
    let fixed = std::fs::read_to_string(dir.path().join("r.csv")).unwrap().replace(";x;", ";-10;");
    std::fs::write(dir.path().join("r.csv"), fixed).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "r.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: Vec<_> =
        parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).filter(|k| k.1 == "palvelujen_ostot").collect();
    assert_eq!(
        got,
        [
            key("Alue A", "palvelujen_ostot", "ta", 2024, "-100"),
            key("Alue A", "palvelujen_ostot", "tp", 2024, "-90"),
            key("Alue B", "palvelujen_ostot", "ta", 2024, "-10"),
            key("Alue B", "palvelujen_ostot", "tp", 2024, "-5"),
        ]
    );
}

/// Budget and actuals in two files, keyed by result unit (tulosyksikkö) and general-ledger account, with the
/// columns Helsinki's open finance data names (HRI: "Helsingin kaupungin talousarviotiedot", the model from 2016
/// on: Tulosyksikkö, Tulosyksikön nimi, Pääkirjatili, Pääkirjatilin nimi, EUR, Vuosi; and "Helsingin kaupungin
/// tulot ja menot": Pääluokka nro, Tulosyksikkö nro, Talousarvion tiliryhmä, Pääkirjatili nro, Toteuma …) and
/// six-digit accounts. The rows are made up. `budget = "EUR"` in the configuration names the budget file's
/// amount; the actuals file has no such column and is read by its words.
#[test]
fn budget_and_actuals_by_result_unit_in_two_files() {
    let dir = setup();
    std::fs::write(
        dir.path().join("ta.csv"),
        "Tulosyksikkö;Tulosyksikön nimi;Pääkirjatili;Pääkirjatilin nimi;EUR;Vuosi\n\
         1100;Hallinto;447800;Koulutuspalvelut;-50000;2024\n1100;Hallinto;300000;Myyntituotot;20000;2024\n\
         1200;Koulu;400000;Palkat;-80000;2024\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tp.csv"),
        "Vuosi;Pääluokka nro;Pääluokka nimi;Tulosyksikkö nro;Tulosyksikkö nimi;Talousarvion tiliryhmä;\
         Pääkirjatili nro;Pääkirjatili nimi;Toteuma\n\
         2024;1;Keskus;1100;Hallinto;Palvelujen ostot;447800;Koulutuspalvelut;-52000,00\n\
         2024;1;Keskus;1100;Hallinto;Myyntituotot;300000;Myyntituotot;21000,00\n\
         2024;1;Keskus;1201;Koulu;Henkilöstökulut;400000;Palkat;-79000,00\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("p.toml"), "org = \"org.toml\"\n[ledger]\nbudget = \"EUR\"\n").unwrap();
    let out = run_in(dir.path(), &["extract", "--config", "p.toml", "ta.csv", "tp.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut got: Vec<_> = parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).collect();
    got.retain(|k| ["palvelujen_ostot", "myyntituotot", "henkilostokulut", "toimintakate"].contains(&k.1.as_str()));
    got.sort();
    let mut want = vec![
        key("Alue A", "myyntituotot", "ta", 2024, "20000"),
        key("Alue A", "myyntituotot", "tp", 2024, "21000"),
        key("Alue A", "palvelujen_ostot", "ta", 2024, "-50000"),
        key("Alue A", "palvelujen_ostot", "tp", 2024, "-52000"),
        key("Alue A", "toimintakate", "ta", 2024, "-30000"),
        key("Alue A", "toimintakate", "tp", 2024, "-31000"),
        key("Alue B", "henkilostokulut", "ta", 2024, "-80000"),
        key("Alue B", "henkilostokulut", "tp", 2024, "-79000"),
        key("Alue B", "toimintakate", "ta", 2024, "-80000"),
        key("Alue B", "toimintakate", "tp", 2024, "-79000"),
    ];
    want.sort();
    assert_eq!(got, want);
    // Checked together: no error, and Keskus' binding toimintakate judged on its areas' rollup (−110 000 vs −110 000).
    let out = run_in(dir.path(), &["validate", "--config", "p.toml", "--format", "json", "ta.csv", "tp.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// A voucher listing (pääkirjaote): debit and credit columns, a voucher date, a description. The actuals are
/// debit − credit, each figure counting its rows once; booked costs positive, they are turned to the reports'
/// signs.
#[test]
fn a_voucher_listing_with_debit_and_credit() {
    let dir = setup();
    std::fs::write(
        dir.path().join("tositteet.csv"),
        "Tosite;Pvm;Kustannuspaikka;Tili;Selite;Debet;Kredit\n\
         1;15.1.2024;1100;4300;Konsultointi;1 000,00;\n\
         2;20.1.2024;1100;4300;Hyvityslasku;;200,00\n\
         3;31.1.2024;1100;3000;Myynti;;500,00\n\
         4;5.2.2024;1201;4000;Palkat;300,00;\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "tositteet.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut got: Vec<(String, Key)> =
        parse_extract(&stdout(&out)).into_iter().filter(|(_, k)| !DERIVED.contains(&k.1.as_str())).collect();
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        [
            // Dated January and February only: actuals to date (issue 21), never the year's.
            ("tositteet.csv (1 row)".into(), key("Alue A", "myyntituotot", "toteuma_kausi", 2024, "500")),
            ("tositteet.csv (2 rows)".into(), key("Alue A", "palvelujen_ostot", "toteuma_kausi", 2024, "-800")),
            ("tositteet.csv (1 row)".into(), key("Alue B", "palkat_ja_palkkiot", "toteuma_kausi", 2024, "-300")),
        ]
    );
    assert!(stderr(&out).contains("costs summed 1100.00 and revenues -500.00 as booked"), "{}", stderr(&out));
}

/// Actuals by month in columns of their own (`Toteuma tammikuu` …) beside the year's budget: the months are
/// summed into the year's actuals, the rows counted once.
#[test]
fn actuals_by_month_in_columns() {
    let dir = setup();
    std::fs::write(
        dir.path().join("kk.csv"),
        "Vuosi;Kustannuspaikka;Tili;TA;Toteuma tammikuu;Toteuma helmikuu;Toteuma maaliskuu\n\
         2024;1100;4300;-1000;-100;-200,50;\n2024;1101;4300;-10;-1;-2;-3\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "kk.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let tp = parse_extract(&stdout(&out)).into_iter().find(|(_, k)| k.1 == "palvelujen_ostot" && k.2 == "tp");
    assert_eq!(tp, Some(("kk.csv (2 rows)".into(), key("Alue A", "palvelujen_ostot", "tp", 2024, "-306.5"))));
}

/// Parquet amounts the decimal cast cannot take (1e300, NaN, infinity in a float column) and columns no code can
/// be (lists) are named with their row and column in plain words, not polars' (`conversion from f64 to
/// decimal[38,2] failed in column …`, `cannot cast List type`).
#[test]
fn parquet_values_no_amount_or_code_can_be_are_named_by_row_and_column() {
    use polars::prelude::*;
    let dir = setup();
    let write = |name: &str, mut df: DataFrame| {
        ParquetWriter::new(std::fs::File::create(dir.path().join(name)).unwrap()).finish(&mut df).unwrap();
    };
    let floats = |v: [f64; 3]| {
        polars::df!(
            "vuosi" => [2024i64; 3], "kustannuspaikka" => [1100i64; 3], "tili" => [4300i64; 3],
            "talousarvio" => v, "toteuma" => [1.5, 2.0, 3.0],
        )
        .unwrap()
    };
    write("huge.parquet", floats([1.0, 2.0, 1e300]));
    write("nan.parquet", floats([1.0, f64::NAN, 2.0]));
    write("inf.parquet", floats([f64::NEG_INFINITY, 1.0, 2.0]));
    let lists = Series::new("kustannuspaikka".into(), [Series::new("".into(), [1i64]), Series::new("".into(), [2i64])]);
    let mut df = polars::df!("vuosi" => [2024i64; 2], "tili" => [4300i64; 2], "toteuma" => [1.5, 2.0]).unwrap();
    df.with_column(lists.into_column()).unwrap();
    write("list.parquet", df);
    for (file, says) in [
        ("huge.parquet", "huge.parquet: row 3: column \"talousarvio\": 1e300 is beyond any budget"),
        ("nan.parquet", "nan.parquet: row 2: column \"talousarvio\": NaN is not a number"),
        ("inf.parquet", "inf.parquet: row 1: column \"talousarvio\": -inf is not a finite amount"),
        (
            "list.parquet",
            "list.parquet: column \"kustannuspaikka\" holds lists or records (nested values), not cost-center codes",
        ),
    ] {
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 2, "{file}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{file}: {}", stderr(&out));
    }
}

/// Many distinct cost centers in no unit (here 12 000, past the 5 000 a reading keeps sums of their own for):
/// the largest named, the rest counted and summed exactly, per scenario, whichever thread read them; memory
/// stays bounded (a million such codes took 1.7 GB; now about 0.2 GB, BENCHMARKS.md).
#[test]
fn many_unmapped_cost_centers_are_counted_and_summed_exactly() {
    let dir = setup();
    let n = 12_000i64;
    let mut text = String::from("vuosi;kustannuspaikka;tili;talousarvio;toteuma\n");
    for i in 0..n {
        // Budget on every code; actuals on the even ones only.
        let tp = if i % 2 == 0 { format!("-{}.{:02}", i / 100, i % 100) } else { String::new() };
        text.push_str(&format!("2024;{};4300;-1,00;{tp}\n", 500_000 + i));
    }
    text.push_str("2024;1100;4300;-5,00;-4,00\n");
    std::fs::write(dir.path().join("hajalla.csv"), &text).unwrap();
    // The same rows as Parquet: the same answer.
    parquet_of(&text, &dir.path().join("hajalla.parquet"));
    for file in ["hajalla.csv", "hajalla.parquet"] {
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let err = stderr(&out);
        let named: Vec<&str> = err.lines().filter(|l| l.contains("is in no unit's codes")).collect();
        assert_eq!(named.len(), 20, "{err}");
        // Past the first 5 000 codes a reading thread meets, codes are summed together: the 20 named are the
        // largest of those with sums of their own, and the message says so. The rest is everything else.
        let named_tp: i64 = err
            .lines()
            .filter(|l| l.contains("is in no unit's codes: tp 2024 -"))
            .map(|l| {
                let amount = l.split("tp 2024 -").nth(1).unwrap().split(' ').next().unwrap();
                let (e, c) = amount.split_once('.').unwrap();
                e.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
            })
            .sum();
        let all_tp: i64 = (0..n).filter(|i| i % 2 == 0).sum();
        let rest_tp = all_tp - named_tp;
        // How many kept sums of their own: as the message says (one or two readings of 5 000 each).
        let own: u64 = err
            .split("the largest of the first ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        assert!((5_000..=10_000).contains(&own), "{err}");
        let tp_line = format!(
        "{} more cost centers map to nothing (the largest of the first {} met are named above): tp 2024 -{}.{:02} in {} \
         rows not read",
        n / 2 - 20,
        own,
        rest_tp / 100,
        rest_tp % 100,
        n / 2 - 20
    );
        assert!(err.contains(&tp_line), "{tp_line} in {err}");
        let ta_line = format!(
        "{n} more cost centers map to nothing (the largest of the first {own} met are named above): ta 2024 -{n}.00 \
         in {n} rows not read"
    );
        assert!(err.contains(&ta_line), "{ta_line} in {err}");
        assert!(
            err.contains(&format!(
                "tp 2024: all rows -{}.{:02} = mapped -4.00",
                (all_tp + 400) / 100,
                (all_tp + 400) % 100
            )),
            "{err}"
        );
    }
}

#[test]
fn many_unmapped_accounts_are_counted_and_summed_exactly() {
    // Accounts the chart maps to no line item, under a unit's cost center: past the first 5 000 a reading meets,
    // summed together and counted, as cost centers are.
    let dir = setup();
    let n = 12_000i64;
    let mut text = String::from("vuosi;kustannuspaikka;tili;talousarvio;toteuma\n");
    for i in 0..n {
        let tp = if i % 3 == 0 { format!("{}.{:02}", i / 100, i % 100) } else { String::new() };
        text.push_str(&format!("2024;1100;{};2,00;{tp}\n", 50_000_000 + i));
    }
    text.push_str("2024;1100;4300;-5,00;-4,00\n");
    std::fs::write(dir.path().join("tilit.csv"), &text).unwrap();
    parquet_of(&text, &dir.path().join("tilit.parquet"));
    let cents = |t: &str| -> i64 {
        let (e, c) = t.split_once('.').unwrap();
        e.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
    };
    let all_tp: i64 = (0..n).filter(|i| i % 3 == 0).sum();
    for file in ["tilit.csv", "tilit.parquet"] {
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let err = stderr(&out);
        let named: Vec<&str> = err.lines().filter(|l| l.contains("maps to no line item")).collect();
        assert_eq!(named.len(), 20, "{err}");
        // Each named with its own amount (account 50 000 000 + i holds i cents), the largest of those kept apart.
        let mut named_tp = 0;
        for line in &named {
            let account: i64 = line.split("account ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
            let amount = cents(line.split("line item: tp 2024 ").nth(1).unwrap().split(' ').next().unwrap());
            assert_eq!(amount, account - 50_000_000, "{line}");
            named_tp += amount;
        }
        let own: u64 = err
            .split("the largest of the first ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        assert!((5_000..=10_000).contains(&own), "{err}");
        let rest = all_tp - named_tp;
        let tp_line = format!(
            "{} more accounts map to nothing (the largest of the first {own} met are named above): tp 2024 {}.{:02} in \
             {} rows not read",
            n / 3 - 20,
            rest / 100,
            rest % 100,
            n / 3 - 20
        );
        assert!(err.contains(&tp_line), "{tp_line} in {err}");
        let ta_line = format!(
            "{n} more accounts map to nothing (the largest of the first {own} met are named above): ta 2024 {}.00 in \
             {n} rows not read",
            2 * n
        );
        assert!(err.contains(&ta_line), "{ta_line} in {err}");
        // Every euro reconciled: all rows = mapped + not read.
        assert!(
            err.contains(&format!(
                "tp 2024: all rows {}.{:02} = mapped -4.00",
                (all_tp - 400) / 100,
                (all_tp - 400) % 100
            )),
            "{err}"
        );
        // The mapped row reads exactly.
        let figures = parse_extract(&stdout(&out));
        assert!(
            figures.iter().any(|(s, k)| s == &format!("{file} (1 row)")
                && (k.0.as_str(), k.1.as_str(), k.2.as_str(), k.4.as_str())
                    == ("Alue A", "palvelujen_ostot", "tp", "-4")),
            "{figures:?}"
        );
    }
}

/// A ledger CSV of `vuosi;kustannuspaikka;tili;talousarvio;toteuma` rows (codes of digits, decimal commas, an
/// empty actuals cell a null) written as the same ledger in Parquet, amounts as decimals.
fn parquet_of(text: &str, path: &Path) {
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(';').collect()).collect();
    let mut df = polars::df!(
        "vuosi" => rows.iter().map(|r| r[0].parse::<i64>().unwrap()).collect::<Vec<_>>(),
        "kustannuspaikka" => rows.iter().map(|r| r[1].parse::<i64>().unwrap()).collect::<Vec<_>>(),
        "tili" => rows.iter().map(|r| r[2].parse::<i64>().unwrap()).collect::<Vec<_>>(),
        "talousarvio" => rows.iter().map(|r| r[3].replace(',', ".")).collect::<Vec<_>>(),
        "toteuma" => rows.iter().map(|r| (!r[4].is_empty()).then(|| r[4].replace(',', "."))).collect::<Vec<_>>(),
    )
    .unwrap();
    write_parquet(&mut df, path, &["talousarvio", "toteuma"]);
}
