//! Ledger exports as financial systems write them (issue 19): a report export's group and total rows, every
//! amount column accounted for, the official chart.
//!
//! The report exports here are written by [`report_export`] in the layout ERP reporting tools (Intime,
//! Talgraf and others) print: a title row, then per cost center a group row before its accounts
//! (`3000 TOIMINTATUOTOT`, `4000 HENKILÖSTÖKULUT`), the margin's row (`4999 TOIMINTAKATE/JÄÄMÄ`), a
//! `yhteensä` row without an account, and a grand total at the end. The expected figures are computed here
//! from the account rows alone, by the official account ranges, never by the program.

// Amounts in cents are written euros_cents (`-2_600_50` is −2 600,50 €).
#![allow(clippy::inconsistent_digit_grouping)]

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

const ORG: &str = "name = \"Kunta\"\n\
[[unit]]\nname = \"Hallinto\"\ncodes = [\"1100\"]\n\
[[unit]]\nname = \"Koulu\"\ncodes = [\"1200\", \"1201\"]\n";

/// An account row as the ledger books it: costs positive, revenues negative; budget, change, actuals (cents).
struct Row {
    cc: &'static str,
    account: u32,
    name: &'static str,
    amounts: [i64; 3],
}

const ROWS: &[Row] = &[
    Row { cc: "1100", account: 3010, name: "Myyntituotot", amounts: [-10_000_00, 0, -8_000_00] },
    Row { cc: "1100", account: 3150, name: "Myyntituotot, muut", amounts: [-2_000_00, -500_00, -2_600_50] },
    Row { cc: "1100", account: 3210, name: "Maksutuotot", amounts: [-5_000_00, 0, -5_100_00] },
    Row { cc: "1100", account: 4010, name: "Palkat", amounts: [70_000_00, 5_000_00, 80_000_00] },
    Row { cc: "1100", account: 4110, name: "Eläkevakuutusmaksut", amounts: [20_000_00, 0, 19_500_25] },
    Row { cc: "1100", account: 4300, name: "Asiakaspalvelujen ostot", amounts: [30_000_00, 0, 31_000_00] },
    Row { cc: "1100", account: 4820, name: "Rakennusten vuokrat", amounts: [12_000_00, 0, 12_000_00] },
    Row { cc: "1100", account: 4940, name: "Muut toimintakulut", amounts: [1_000_00, 0, 900_00] },
    Row { cc: "1200", account: 3440, name: "Maa-alueiden vuokratuotot", amounts: [-3_000_00, 0, -3_300_00] },
    Row { cc: "1200", account: 3530, name: "Muut tuotot", amounts: [-400_00, 0, -350_00] },
    Row { cc: "1200", account: 4000, name: "Maksetut palkat", amounts: [150_000_00, -2_000_00, 149_000_00] },
    Row { cc: "1200", account: 4200, name: "Sosiaaliturvamaksut", amounts: [3_000_00, 0, 2_950_00] },
    Row { cc: "1200", account: 4520, name: "Elintarvikkeet", amounts: [8_000_00, 0, 8_400_00] },
    Row { cc: "1201", account: 4010, name: "Palkat", amounts: [40_000_00, 0, 41_000_00] },
    Row { cc: "1201", account: 4580, name: "Kalusto", amounts: [2_000_00, 1_000_00, 2_900_00] },
];

/// An amount as printed, normalised (`-1203.00` → `-1203`).
fn norm(amount: &str) -> String {
    amount.parse::<rust_decimal::Decimal>().unwrap().normalize().to_string()
}

fn money(cents: i64) -> String {
    format!("{}{},{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100)
}

/// Sum of the rows of `cc` whose accounts satisfy `under`.
fn sum(cc: &str, under: &dyn Fn(u32) -> bool) -> [i64; 3] {
    let mut s = [0; 3];
    for r in ROWS.iter().filter(|r| r.cc == cc && under(r.account)) {
        for (t, a) in s.iter_mut().zip(r.amounts) {
            *t += a;
        }
    }
    s
}

/// The report export: `wrong` adds that many cents to the actuals of the group row of that label.
fn report_export(wrong: Option<(&str, i64)>) -> String {
    let mut out = String::from("Tuloslaskelma kustannuspaikoittain 1-12/2024;;;;;;\n");
    out.push_str(
        "Kustannuspaikka;Tili;Tilin nimi;Budjetti 2024;Bu-muutos 2024;Budjetti + muutos 2024;Toteutuma 2024\n",
    );
    let line = |cc: &str, acc: &str, name: &str, a: [i64; 3]| {
        let a = match wrong {
            Some((label, d)) if label == name => [a[0], a[1], a[2] + d],
            _ => a,
        };
        format!("{cc};{acc};{name};{};{};{};{}\n", money(a[0]), money(a[1]), money(a[0] + a[1]), money(a[2]))
    };
    let mut grand = [0; 3];
    for cc in ["1100", "1200", "1201"] {
        let revenue = sum(cc, &|a| (3000..4000).contains(&a));
        if revenue != [0; 3] {
            out.push_str(&line(cc, "3000", "TOIMINTATUOTOT", revenue));
        }
        for r in ROWS.iter().filter(|r| r.cc == cc && r.account < 4000) {
            out.push_str(&line(cc, &r.account.to_string(), r.name, r.amounts));
        }
        out.push_str(&line(cc, "4000", "HENKILÖSTÖKULUT", sum(cc, &|a| (4000..4300).contains(&a))));
        for r in ROWS.iter().filter(|r| r.cc == cc && r.account >= 4000) {
            out.push_str(&line(cc, &r.account.to_string(), r.name, r.amounts));
        }
        let all = sum(cc, &|_| true);
        out.push_str(&line(cc, "4999", "TOIMINTAKATE/JÄÄMÄ", all));
        out.push_str(&line(cc, "", &format!("Kustannuspaikka {cc} yhteensä"), all));
        for (g, a) in grand.iter_mut().zip(all) {
            *g += a;
        }
    }
    out.push_str(&line("", "", "YHTEENSÄ", grand));
    out
}

/// The expected leaf figures, in the reports' signs (revenues positive, costs negative), euros: each account
/// row by the official ranges (KKNR) to its line.
fn expected() -> BTreeMap<(String, String, String), i64> {
    let line = |a: u32| match a {
        3000..=3199 => "myyntituotot",
        3200..=3299 => "maksutuotot",
        3400..=3499 => "vuokratuotot",
        3500..=3559 => "muut_toimintatuotot",
        4000..=4099 => "palkat_ja_palkkiot",
        4100..=4149 => "elakekulut",
        4150..=4229 => "muut_henkilosivukulut",
        4300..=4499 => "palvelujen_ostot",
        4500..=4699 => "aineet_tarvikkeet_ja_tavarat",
        4800..=4899 => "vuokrakulut",
        4900..=4995 => "muut_toimintakulut",
        _ => unreachable!("no such account in ROWS"),
    };
    // Muut toimintatuotot and muut toimintakulut are both a line (3500-3559, 4900-4995) and the total of their
    // rents (3400-3499, 4800-4899): their figure is the total.
    let parent = |a: u32| match a {
        3400..=3499 => Some("muut_toimintatuotot"),
        4800..=4899 => Some("muut_toimintakulut"),
        _ => None,
    };
    let unit = |cc: &str| if cc == "1100" { "Hallinto" } else { "Koulu" };
    let mut want = BTreeMap::new();
    for r in ROWS {
        let budget_after = r.amounts[0] + r.amounts[1];
        for (sc, cents) in
            [("ta", r.amounts[0]), ("ta_muutokset", r.amounts[1]), ("ta_muutettu", budget_after), ("tp", r.amounts[2])]
        {
            // A change column left 0 is a row of it all the same: the export fills every cell.
            for line in [Some(line(r.account)), parent(r.account)].into_iter().flatten() {
                *want.entry((unit(r.cc).to_string(), line.to_string(), sc.to_string())).or_insert(0) -= cents;
            }
        }
    }
    want
}

/// `validate --format json` on the export, which must exit 1: its error findings.
fn validate_errors(dir: &Path) -> Vec<serde_json::Value> {
    let out = run_in(dir, &["validate", "--org", "org.toml", "--format", "json", "raportti.csv"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").cloned().collect()
}

fn setup(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    std::fs::write(dir.path().join("raportti.csv"), text).unwrap();
    dir
}

/// The figures `extract` gives for the lines `want` names, in cents.
fn read_leaves(dir: &Path, want: &BTreeMap<(String, String, String), i64>) -> BTreeMap<(String, String, String), i64> {
    let out = run_in(dir, &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    parse_extract(&stdout(&out))
        .into_iter()
        .filter(|(_, k)| want.keys().any(|w| w.1 == k.1))
        .map(|(_, k)| {
            let cents = k.4.parse::<rust_decimal::Decimal>().unwrap() * rust_decimal::Decimal::from(100);
            assert_eq!(k.3, "2024");
            ((k.0, k.1, k.2), i64::try_from(cents.normalize().mantissa()).unwrap())
        })
        .collect()
}

#[test]
fn a_report_exports_group_rows_are_never_summed_as_accounts() {
    let dir = setup(&report_export(None));
    let want = expected();
    assert_eq!(read_leaves(dir.path(), &want), want);
    // The totals are the sums of the account rows: Hallinto's toimintakulut, the whole unit's margin.
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    let all = parse_extract(&stdout(&out));
    let get = |unit: &str, item: &str, sc: &str| {
        all.iter().find(|(_, k)| k.0 == unit && k.1 == item && k.2 == sc).map(|(s, k)| (s.clone(), k.4.clone()))
    };
    assert_eq!(get("Hallinto", "henkilostokulut", "tp"), Some(("raportti.csv (2 rows)".into(), "-99500.25".into())));
    assert_eq!(get("Koulu", "toimintakate", "ta"), Some(("raportti.csv (7 rows)".into(), "-199600".into())));
    // No group row is an unmapped account; every group and total row is said, and checked.
    let err = stderr(&out);
    assert!(!err.contains("maps to no line item"), "{err}");
    // 3 cost centers' 11 group and total rows (1201 has no revenue: no revenue group) and the grand total.
    assert!(err.contains("12 row(s) total other rows"), "{err}");
    assert!(!err.contains("not checked"), "every total row is checked: {err}");
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn a_group_row_that_is_not_the_sum_of_its_accounts_is_one_error() {
    // Koulu's 1201 prints its staff costs 10,00 € too high.
    let text = report_export(None).replace(
        "1201;4000;HENKILÖSTÖKULUT;40000,00;0,00;40000,00;41000,00",
        "1201;4000;HENKILÖSTÖKULUT;40000,00;0,00;40000,00;41010,00",
    );
    assert_ne!(text, report_export(None));
    let dir = setup(&text);
    let want = expected();
    assert_eq!(read_leaves(dir.path(), &want), want, "the figures come from the accounts");
    let errors = validate_errors(dir.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!((e["rule"].as_str(), e["unit"].as_str()), (Some("sum"), Some("Koulu")));
    assert_eq!((e["line_item"].as_str(), e["scenario"].as_str()), (Some("henkilostokulut"), Some("tp")));
    // Koulu's two cost centers' group rows against its accounts, in the reports' signs: printed −193 960,
    // the rows −193 950.
    let d = |k: &str| e[k].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap().normalize().to_string();
    assert_eq!((d("actual"), d("expected"), d("difference")), ("-192960".into(), "-192950".into(), "-10".into()));
}

#[test]
fn the_default_chart_follows_the_official_taxonomy() {
    // Every KKNR operating item that names an account range and a line of the scheme: each account of the
    // range maps to that line or one below it.
    let text = std::fs::read_to_string(root("tests/fixtures/chart/kknr_operating_items.csv")).unwrap();
    let chart = std::fs::read_to_string(root("src/model/accounts.csv")).unwrap();
    let ranges: Vec<(u32, u32, String)> = chart
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].to_string())
        })
        .collect();
    let item_of = |a: u32| ranges.iter().find(|(x, y, _)| (*x..=*y).contains(&a)).map(|r| r.2.clone());
    // The scheme's parents, from the scheme file.
    let scheme = std::fs::read_to_string(root("src/model/scheme.toml")).unwrap();
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    let mut id = String::new();
    for l in scheme.lines() {
        if let Some(v) = l.strip_prefix("id = ") {
            id = v.trim_matches('"').to_string();
        }
        if let Some(v) = l.strip_prefix("sums_into = ") {
            parent.insert(id.clone(), v.trim_matches('"').to_string());
        }
    }
    let under = |mut item: String, top: &str| loop {
        if item == top {
            return true;
        }
        match parent.get(&item) {
            Some(p) => item = p.clone(),
            None => return false,
        }
    };
    let lines: BTreeMap<&str, &str> = [
        ("Myyntituotot", "myyntituotot"),
        ("Maksutuotot", "maksutuotot"),
        ("Tuet ja avustukset", "tuet_ja_avustukset"),
        ("Muut toimintatuotot", "muut_toimintatuotot"),
        ("Vuokratuotot", "vuokratuotot"),
        ("Valmistus omaan käyttöön", "valmistus_omaan_kayttoon"),
        ("Henkilöstökulut", "henkilostokulut"),
        ("Palkat ja palkkiot", "palkat_ja_palkkiot"),
        ("Henkilösivukulut", "henkilosivukulut"),
        ("Eläkekulut", "elakekulut"),
        ("Muut henkilösivukulut", "muut_henkilosivukulut"),
        ("Palvelujen ostot", "palvelujen_ostot"),
        ("Aineet, tarvikkeet ja tavarat", "aineet_tarvikkeet_ja_tavarat"),
        ("Avustukset", "avustukset"),
        ("Muut toimintakulut", "muut_toimintakulut"),
        ("Vuokrakulut", "vuokrakulut"),
        ("Poistot ja arvonalentumiset", "poistot_ja_arvonalentumiset"),
        ("Suunnitelman mukaiset poistot", "suunnitelman_mukaiset_poistot"),
        ("Arvonalentumiset", "arvonalentumiset"),
    ]
    .into_iter()
    .collect();
    let mut checked = 0;
    let mut rd = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    for rec in rd.records() {
        let rec = rec.unwrap();
        let label = &rec[1];
        let Some((range, name)) = label.split_once(' ').filter(|(r, _)| r.contains('-')) else { continue };
        let Some(line) = lines.get(name) else { continue };
        let (from, to) = range.split_once('-').unwrap();
        let (from, to): (u32, u32) = (from.trim().parse().unwrap(), to.trim().parse().unwrap());
        for a in from..=to {
            let item = item_of(a).unwrap_or_else(|| panic!("{label} ({}): account {a} is not mapped", &rec[2]));
            assert!(under(item.clone(), line), "{label} ({}): account {a} maps to {item}", &rec[2]);
        }
        checked += 1;
    }
    assert_eq!(checked, 19, "the KKNR ranges that name a line of the scheme");
    // Taxes, state grants, financial and extraordinary items are no operating line.
    for a in [5000, 5501, 6050, 6255, 8000, 8800] {
        assert_eq!(item_of(a), None, "{a}");
    }
}

/// Month columns beside the year's total (an ERP's monthly report): the total is the figure, the months are
/// checked against it; a month that does not add up is one error; months alone are summed.
#[test]
fn months_beside_a_year_total_are_checked_against_it() {
    let months = [
        "tammikuu",
        "helmikuu",
        "maaliskuu",
        "huhtikuu",
        "toukokuu",
        "kesäkuu",
        "heinäkuu",
        "elokuu",
        "syyskuu",
        "lokakuu",
        "marraskuu",
        "joulukuu",
    ];
    let header = format!(
        "Vuosi;Kustannuspaikka;Tili;Talousarvio;{};Toteuma yhteensä\n",
        months.map(|m| format!("Toteuma {m}")).join(";")
    );
    // Purchases of 100,25 € a month (booked positive), sales of 40 € a month (booked negative).
    let row = |acc: u32, budget: &str, month: &str, total: &str| {
        format!("2024;1100;{acc};{budget};{};{total}\n", [month; 12].join(";"))
    };
    let good = header.clone() + &row(4300, "1200", "100,25", "1203,00") + &row(3010, "-500", "-40", "-480");
    let dir = setup(&good);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: Vec<(String, Key)> = parse_extract(&stdout(&out));
    let find =
        |item: &str, sc: &str| got.iter().find(|(_, k)| k.1 == item && k.2 == sc).map(|(s, k)| (s.clone(), norm(&k.4)));
    assert_eq!(find("palvelujen_ostot", "tp"), Some(("raportti.csv (1 row)".into(), "-1203".into())));
    assert_eq!(find("myyntituotot", "tp"), Some(("raportti.csv (1 row)".into(), "480".into())));
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // A total 10 € off its months.
    let bad = good.replace(";1203,00\n", ";1213,00\n");
    std::fs::write(dir.path().join("raportti.csv"), &bad).unwrap();
    let errors = validate_errors(dir.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = |k: &str| errors[0][k].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap().normalize().to_string();
    assert_eq!(errors[0]["line_item"], "palvelujen_ostot");
    assert_eq!((d("actual"), d("expected"), d("difference")), ("-1213".into(), "-1203".into(), "-10".into()));
    // Its cells named by their columns' headers, in no language of ours.
    assert_eq!(
        errors[0]["sources"],
        serde_json::json!([
            "raportti.csv \"toteuma yhteensä\"",
            "raportti.csv \"toteuma tammikuu\" … \"toteuma joulukuu\""
        ])
    );
    assert!(errors[0]["message"].as_str().unwrap().contains("ei ole kuukausien summa"), "{errors:?}");
    // Two columns of one month: refused, without suggesting to read one month as the year's.
    let twice = "Vuosi;Kustannuspaikka;Tili;Toteuma tammikuu;Toteuma tammikuu 2\n2024;1100;4300;1;2\n";
    std::fs::write(dir.path().join("raportti.csv"), twice).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("months are read only all together or beside one column of the year's total"));
    assert!(!stderr(&out).contains("name the one to read"), "{}", stderr(&out));
}

/// A change column whose header names no year takes the year every other amount column names, and says so.
#[test]
fn a_change_column_without_a_year_takes_the_files_year() {
    let dir = setup("Kustannuspaikka;Tili;TA 2024;TA-muutokset;Toteutuma 2024\n1100;4300;-1000;-50;-1040\n");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = parse_extract(&stdout(&out));
    assert!(got.iter().any(|(_, k)| *k == key("Hallinto", "palvelujen_ostot", "ta_muutokset", 2024, "-50")), "{got:?}");
    assert!(stderr(&out).contains("column \"ta-muutokset\" names no year: read for 2024"), "{}", stderr(&out));
    // ta_muutettu is checked against the budget and its changes.
    let dir = setup(
        "Kustannuspaikka;Tili;Budjetti 2024;Bu-muutos 2024;Budjetti + muutos 2024;Toteutuma 2024\n\
         1100;4300;1000;50;1060;1040\n",
    );
    let errors = validate_errors(dir.path());
    assert!(errors.iter().all(|e| e["rule"] == "ta_muutettu"), "{errors:#?}");
    assert!(errors.iter().any(|e| e["line_item"] == "palvelujen_ostot"), "{errors:#?}");
}

/// An open-data purchase export (snake_case API fields, ISO dates, net, VAT and gross amounts), tab-separated
/// as `.tsv` and as `.txt`: read without configuration, the net amount as the actuals, the others named.
#[test]
fn a_tab_separated_purchase_export_is_read_by_its_content() {
    let text = "kustannuspaikan_id\ttilin_numero\tkirjauspaivamaara\tsumma_alv0_euroina\talv_euroina\tsumma_euroina\n\
                1100\t4300\t2024-03-15\t100,00\t25,50\t125,50\n\
                1100\t4300\t2024-04-15\t50,10\t12,78\t62,88\n\
                1100\t4520\t2024-12-31\t9,90\t1,39\t11,29\n";
    for name in ["ostot.tsv", "ostot.txt"] {
        let dir = setup("");
        std::fs::write(dir.path().join(name), text).unwrap();
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", name]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        let got: Vec<(String, Key)> =
            parse_extract(&stdout(&out)).into_iter().map(|(s, k)| (s, (k.0, k.1, k.2, k.3, norm(&k.4)))).collect();
        assert!(
            got.contains(&(format!("{name} (2 rows)"), key("Hallinto", "palvelujen_ostot", "tp", 2024, "-150.1"))),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                format!("{name} (1 row)"),
                key("Hallinto", "aineet_tarvikkeet_ja_tavarat", "tp", 2024, "-9.9")
            )),
            "{got:?}"
        );
        assert!(
            stderr(&out).contains(
                "column \"summa_alv0_euroina\" (without VAT) read as the actuals; not read: alv_euroina, summa_euroina"
            ),
            "{}",
            stderr(&out)
        );
    }
}

/// A ledger with its header and no rows says so.
#[test]
fn an_empty_ledger_is_a_warning() {
    let dir = setup("Vuosi;Kustannuspaikka;Tili;Talousarvio;Toteuma\n");
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("kirjanpidon aineistossa on otsikkorivi mutta ei rivejä"), "{}", stdout(&out));
}

/// Every amount column is read into a scenario or named with its total: a variance, a plan year.
#[test]
fn every_amount_column_is_read_or_named_with_its_total() {
    let dir = setup(
        "Kustannuspaikka;Tili;TA 2024;Toteutuma 2024;Poikkeama;TS 2025\n\
         1100;4300;-1000;-1040;-40;-1100\n\
         1100;4310;-10;-9,50;0,50;-10\n",
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "column \"poikkeama\" is not read (no figure of the scheme's scenarios); its amounts total -39.50"
        ),
        "{err}"
    );
    assert!(
        err.contains("column \"ts 2025\" is not read (no figure of the scheme's scenarios); its amounts total -1110"),
        "{err}"
    );
}

/// A report export that names each cost center once, on a heading row above its accounts (the accounts' cost
/// center cells blank): each row takes its heading's cost center, said; nothing was read before.
#[test]
fn cost_centers_on_heading_rows_are_their_rows_cost_centers() {
    let dir = setup(
        "Testilän kunta\n\
         Kustannuspaikka;Tili;Tilin nimi;TA 2024;Toteuma 2024\n\
         1100 Hallinto;;;;\n\
         ;3010;Myyntituotot;-1 000,00;-1 100,50\n\
         ;4300;Palvelujen ostot;5 000,00;4 900,00\n\
         1200 Koulu;;;;\n\
         ;4300;Palvelujen ostot;7 000,00;7 250,25\n\
         ;4010;Palkat;10 000,00;9 999,99\n",
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "raportti.csv:4: cost centers are printed once, above their rows: 4 rows with a blank cost center took \
             the one above them (the first here)"
        ),
        "{err}"
    );
    assert!(!err.contains("in no unit's codes"), "{err}");
    let figures = parse_extract(&stdout(&out));
    let find = |unit: &str, item: &str, sc: &str| {
        figures.iter().find(|(_, k)| k.0 == unit && k.1 == item && k.2 == sc).map(|(_, k)| k.4.clone())
    };
    // Costs booked positive are turned to the reports' signs.
    assert_eq!(find("Hallinto", "myyntituotot", "tp").as_deref(), Some("1100.5"));
    assert_eq!(find("Hallinto", "palvelujen_ostot", "ta").as_deref(), Some("-5000"));
    assert_eq!(find("Koulu", "palvelujen_ostot", "tp").as_deref(), Some("-7250.25"));
    assert_eq!(find("Koulu", "palkat_ja_palkkiot", "tp").as_deref(), Some("-9999.99"));
}

/// Open data's long form: an amount with its currency (`summa_eur`) beside a scenario column, scenarios in
/// the singular (`Talousarviomuutos`); where the amount column is not recognised, the hint names the long
/// form's key, never one that would read every scenario as the actuals.
#[test]
fn a_long_form_amount_with_its_currency_and_a_safe_hint() {
    let dir = setup(
        "vuosi,kustannuspaikka_id,tili_id,skenaario,summa_eur\n\
         2024,1100,4300,Talousarvio,-1000\n\
         2024,1100,4300,Talousarviomuutos,-200.50\n\
         2024,1100,4300,Toteutuma,-1150.25\n",
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut got: Vec<(String, String)> = parse_extract(&stdout(&out))
        .into_iter()
        .filter(|(_, k)| k.1 == "palvelujen_ostot")
        .map(|(_, k)| (k.2, k.4))
        .collect();
    got.sort();
    let want = [("ta", "-1000"), ("ta_muutokset", "-200.5"), ("tp", "-1150.25")];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    std::fs::write(
        dir.path().join("raportti.csv"),
        "vuosi,kustannuspaikka_id,tili_id,skenaario,summa_kokonaisuudessaan\n2024,1100,4300,Talousarvio,-1000\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(
            "if \"summa_kokonaisuudessaan\" holds the amounts of the scenarios \"skenaario\" names, say so under \
             [ledger] in poikkeama.toml: amount = \"summa_kokonaisuudessaan\""
        ),
        "{err}"
    );
    assert!(!err.contains("actual ="), "{err}");
    // Configured as the actuals anyway: every row is read so, and the scenario column is said to be passed over.
    std::fs::write(dir.path().join("p.toml"), "[ledger]\nactual = \"summa_kokonaisuudessaan\"\nyear = \"vuosi\"\n")
        .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "--config", "p.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: raportti.csv: column \"skenaario\" names each row's scenario, but the amounts"),
        "{}",
        stderr(&out)
    );
}

/// A Windows export: lines end in CRLF, and errors name the lines a text editor shows (the csv crate counts
/// them one short); a header refused names its own line, under the title rows; the title above the header
/// gives the year columns without one lack ("Tilikausi 2024"), a line of when it was printed does not.
#[test]
fn crlf_lines_the_headers_line_and_the_titles_year() {
    let dir = setup("Kustannuspaikka;Tili;Toteuma 2024\r\n1100;4300;-5\r\n1100;4300;abc\r\n");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("raportti.csv:3: column \"toteuma 2024\": \"abc\" is not an amount"), "{err}");
    let dir = setup("Talgraf\r\nTilikausi 2024\r\nTulostettu 20.1.2025 klo 9.14\r\n\r\nKustannuspaikka;Tili;Toteuma\r\n1100;4300;-5,25\r\n");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("read for 2024, the year of the title above the header (\"Tilikausi 2024\")"),
        "{}",
        stderr(&out)
    );
    let figures = parse_extract(&stdout(&out));
    assert!(
        figures.iter().any(|(_, k)| (k.0.as_str(), k.1.as_str(), k.2.as_str(), k.3.as_str(), k.4.as_str())
            == ("Hallinto", "palvelujen_ostot", "tp", "2024", "-5.25")),
        "{figures:?}"
    );
    // Two years in the titles: neither is taken.
    let dir = setup("Talousarvio 2025 ja toteuma 2024\r\nKustannuspaikka;Tili;Toteuma\r\n1100;4300;-5,25\r\n");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("raportti.csv:2: no year column"), "{}", stderr(&out));
}

/// A cost center printing one total twice — on its group's heading row and on its `yhteensä` row — is one
/// total, not two summed (32 false errors before); printed twice unalike, each is checked, and only the wrong
/// one is an error.
#[test]
fn a_total_printed_on_the_heading_and_the_yhteensa_row_is_one_total() {
    let text = |sub: &str| {
        format!(
            "Kustannuspaikka;Tili;Tilin nimi;TA 2024;Toteuma 2024\n\
             1100 Hallinto;3000;TOIMINTATUOTOT;-300,00;-310,00\n\
             1100 Hallinto;3010;Myyntituotot;-100,00;-110,00\n\
             1100 Hallinto;3210;Maksutuotot;-200,00;-200,00\n\
             1100 Hallinto;;Toimintatuotot yhteensä;-300,00;{sub}\n\
             1200 Koulu;3000;TOIMINTATUOTOT;-50,00;-55,00\n\
             1200 Koulu;3010;Myyntituotot;-50,00;-55,00\n\
             1200 Koulu;;Toimintatuotot yhteensä;-50,00;-55,00\n"
        )
    };
    let dir = setup(&text("-310,00"));
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let dir = setup(&text("-320,00"));
    let errors = validate_errors(dir.path());
    let got: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|f| (f["unit"].as_str().unwrap(), f["scenario"].as_str().unwrap(), f["difference"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("Hallinto", "tp", "-10.00")], "{errors:?}");
}

/// A cost center's total with its cost center left blank and its label in the cost center's name column
/// (`;Kiinteistöt yhteensä;;`) is that cost center's total, checked against its rows, and the grand total
/// below is the file's; neither is summed as a cost center of its own (false errors and "cost center  in no
/// unit" before).
#[test]
fn a_cost_centers_total_named_in_its_name_column_is_its_total() {
    let text = |grand: &str| {
        format!(
            "Kustannuspaikka;Kustannuspaikan nimi;Tili;Tilin nimi;TA 2024;Toteuma 2024\n\
             1100;Hallinto;3010;Myyntituotot;-100,00;-110,00\n\
             1100;Hallinto;4300;Palvelut;300,00;290,00\n\
             ;Hallinto yhteensä;;;200,00;180,00\n\
             1200;Koulu;4300;Palvelut;50,00;55,00\n\
             ;Koulu yhteensä;;;50,00;55,00\n\
             ;;;Kaikki yhteensä;250,00;{grand}\n"
        )
    };
    let dir = setup(&text("235,00"));
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    let err = stderr(&out);
    assert!(!err.contains("in no unit's codes"), "{err}");
    assert!(err.contains("3 row(s) total other rows"), "{err}");
    let dir = setup(&text("245,00"));
    let errors = validate_errors(dir.path());
    let got: Vec<(&str, &str)> =
        errors.iter().map(|f| (f["scenario"].as_str().unwrap(), f["difference"].as_str().unwrap())).collect();
    assert_eq!(got, [("tp", "-10.00")], "{errors:?}");
}

/// Code-only group rows over six-digit accounts that do not all begin with the group's code (`4300` over
/// `430010` and `434010`; `4500` over `450010` and `460010`, both on the chart's line aineet): the group is the
/// range its significant digits open or its line of the chart, where its rows are their sum, never summed as
/// an account (181 of 468 figures were twice their size, in silence); a group row that is not the sum in one
/// cost center is said. The same as a workbook sheet, whose group rows are checked too (they were dropped).
#[test]
fn code_groups_over_ranges_are_never_summed_and_a_sheets_totals_are_checked() {
    use common::V::{N, T};
    let rows: Vec<(u32, u32, &str, i64, i64)> = vec![
        (1100, 4300, "", 300, 320),
        (1100, 430010, "Asiantuntijapalvelut", 100, 110),
        (1100, 434010, "Muut palvelut", 200, 210),
        (1100, 4500, "", 50, 65),
        (1100, 450010, "Toimistotarvikkeet", 20, 25),
        (1100, 460010, "Elintarvikkeet", 30, 40),
        (1200, 4300, "", 70, 75),
        (1200, 434010, "Muut palvelut", 70, 75),
        (1200, 0, "TOIMINTAKATE", 70, 75),
    ];
    let csv: String = std::iter::once("Kustannuspaikka;Tili;Tilin nimi;TA 2024;Toteuma 2024\n".to_string())
        .chain(rows.iter().map(|(cc, acc, name, ta, tp)| {
            let acc = if *acc == 0 { String::new() } else { acc.to_string() };
            format!("{cc};{acc};{name};{ta};{tp}\n")
        }))
        .collect();
    let dir = setup(&csv);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let mut sheet = vec![vec![T("Kustannuspaikka"), T("Tili"), T("Tilin nimi"), T("TA 2024"), T("Toteuma 2024")]];
    for (cc, acc, name, ta, tp) in &rows {
        let acc = if *acc == 0 { T("") } else { N(f64::from(*acc)) };
        sheet.push(vec![N(f64::from(*cc)), acc, T(name), N(*ta as f64), N(*tp as f64)]);
    }
    write_sheet(&mut wb, "Raportti", &sheet, &[]);
    save(&mut wb, dir.path(), "raportti.xlsx");
    for file in ["raportti.csv", "raportti.xlsx"] {
        let out = run_in(dir.path(), &["extract", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{file}: {}", stderr(&out));
        let figures = parse_extract(&stdout(&out));
        let find = |unit: &str, item: &str| {
            figures.iter().find(|(_, k)| k.0 == unit && k.1 == item && k.2 == "tp").map(|(_, k)| k.4.clone())
        };
        // Costs booked positive, turned: the accounts' sums, each once.
        assert_eq!(find("Hallinto", "palvelujen_ostot").as_deref(), Some("-320"), "{file}: {figures:?}");
        assert_eq!(find("Hallinto", "aineet_tarvikkeet_ja_tavarat").as_deref(), Some("-65"), "{file}: {figures:?}");
        assert_eq!(find("Koulu", "palvelujen_ostot").as_deref(), Some("-75"), "{file}: {figures:?}");
        let out = run_in(dir.path(), &["validate", "--org", "org.toml", file]);
        assert_eq!(code(&out), 0, "{file}: {}", stdout(&out));
    }
    // A margin row 1 000 € off: an error in the sheet as in the CSV.
    let mut wrong = sheet.clone();
    let last = wrong.len() - 1;
    wrong[last][4] = N(1075.0);
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_sheet(&mut wb, "Raportti", &wrong, &[]);
    save(&mut wb, dir.path(), "vaara.xlsx");
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "vaara.xlsx"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    // A group row that is its accounts' sum in one cost center and not in another: said, not silent.
    let mixed = csv.replace("1200;4300;;70;75", "1200;4300;;70;80");
    std::fs::write(dir.path().join("raportti.csv"), mixed).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert!(
        stderr(&out).contains(
            "account 4300 is a group row where its rows are the sum of the accounts it heads, but not in 1 cost \
             center(s) (the first 1200)"
        ),
        "{}",
        stderr(&out)
    );
}

/// Totals as report exports print them without a cost center: a pivot table's block (the cost center on its
/// first row only, a bare `Yhteensä` closing it), a Swedish `Summa kostnadsställe 1200`, a unit's
/// `Koulu yhteensä`, a two-digit group named by its line (`45 Aineet, tarvikkeet ja tavarat` over 450010 and
/// 460010), and the grand total: each read as the total it is and checked, no row's money lost or counted twice.
#[test]
fn totals_without_a_cost_center_are_the_blocks_the_units_or_the_files() {
    let text = |grand: &str| {
        format!(
            "Kustannuspaikka;Tili;Tilin nimi;TA 2024;Toteuma 2024\n\
             1100;3010;Myyntituotot;-100,00;-110,00\n\
             ;450010;Toimistotarvikkeet;20,00;25,00\n\
             ;460010;Elintarvikkeet;30,00;40,00\n\
             ;45;Aineet, tarvikkeet ja tavarat;50,00;65,00\n\
             ;;Yhteensä;-50,00;-45,00\n\
             1200;4300;Palvelut;70,00;75,00\n\
             ;;Summa kostnadsställe 1200;70,00;75,00\n\
             1201;4300;Palvelut;10,00;12,00\n\
             ;;Koulu yhteensä;80,00;87,00\n\
             ;;Kaikki yhteensä;30,00;{grand}\n"
        )
    };
    let dir = setup(&text("42,00"));
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("in no unit's codes") && !err.contains("maps to no line item"), "{err}");
    let figures = parse_extract(&stdout(&out));
    let find = |unit: &str, item: &str| {
        figures.iter().find(|(_, k)| k.0 == unit && k.1 == item && k.2 == "tp").map(|(_, k)| k.4.clone())
    };
    assert_eq!(find("Hallinto", "aineet_tarvikkeet_ja_tavarat").as_deref(), Some("-65"), "{figures:?}");
    assert_eq!(find("Hallinto", "myyntituotot").as_deref(), Some("110"), "{figures:?}");
    assert_eq!(find("Koulu", "palvelujen_ostot").as_deref(), Some("-87"), "{figures:?}");
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // The grand total 1 € off: one error, the file's.
    let dir = setup(&text("43,00"));
    let errors = validate_errors(dir.path());
    let got: Vec<(&str, &str)> =
        errors.iter().map(|f| (f["unit"].as_str().unwrap(), f["difference"].as_str().unwrap())).collect();
    assert_eq!(got, [("raportti.csv", "-1.00")], "{errors:?}");
}

/// A budget after changes beside the original budget, with no changes column: the changes are unknown, not 0,
/// so there is no sum to check (74 false errors before); a changes column that is there is checked, a blank
/// cell in it being 0.
#[test]
fn a_budget_after_changes_without_a_changes_column_is_no_sum_to_check() {
    let dir = setup(
        "Kustannuspaikka;Tili;Alkuperäinen talousarvio 2024;Muutettu talousarvio 2024;Toteutuma 2024\n\
         1100;4300;-1000;-1200;-1150\n\
         1200;4300;-500;-500;-450\n",
    );
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let dir = setup(
        "Kustannuspaikka;Tili;Alkuperäinen talousarvio 2024;Muutokset 2024;Muutettu talousarvio 2024;Toteutuma 2024\n\
         1100;4300;-1000;-100;-1200;-1150\n\
         1200;4300;-500;;-510;-450\n",
    );
    let errors = validate_errors(dir.path());
    // Each unit's account line (and the totals it is in: toimintakulut, toimintakate), and the municipality's.
    let mut got: Vec<(&str, &str)> = errors
        .iter()
        .filter(|f| f["line_item"] == "palvelujen_ostot")
        .map(|f| (f["unit"].as_str().unwrap(), f["difference"].as_str().unwrap()))
        .collect();
    got.sort();
    assert_eq!(got, [("Hallinto", "-100"), ("Koulu", "-10"), ("Kunta yhteensä", "-110")], "{errors:?}");
    assert_eq!(errors.len(), 9, "{errors:?}");
}

/// Columns not read are named with totals that count every form of amount (thousands in spaces); a percentage
/// is named without a sum; months that name no scenario are one warning with their total, never dropped in
/// silence; an amount whose one mark could be thousands or decimals is an error naming it, never read 1 000×
/// too small.
#[test]
fn months_percentages_and_thousands_marks_are_named_not_guessed() {
    let dir = setup(
        "Testilän kunta – Toteuma kuukausittain 2024\n\
         Kustannuspaikka;Tili;Talousarvio 2024;Tammi 2024;Helmi 2024;Maalis 2024;Erotus;Käyttö-%\n\
         1100;4300;-1 000,00;-100,00;-200,50;-300;-1 399,50;140\n\
         1100;4310;-10;-1;-2;-3;4;60\n",
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning: raportti.csv: 3 month columns (tammi 2024 … maalis 2024) name no scenario and are not read; \
             their amounts total -606.50"
        ),
        "{err}"
    );
    assert!(
        err.contains("column \"erotus\" is not read (no figure of the scheme's scenarios); its amounts total -1395.50"),
        "{err}"
    );
    assert!(err.contains("column \"käyttö-%\" is not read (no figure of the scheme's scenarios)\n"), "{err}");
    // The budget is read, to the cent.
    let figures = parse_extract(&stdout(&out));
    let ta: Vec<&str> =
        figures.iter().filter(|(_, k)| k.1 == "palvelujen_ostot" && k.2 == "ta").map(|(_, k)| k.4.as_str()).collect();
    assert_eq!(ta, ["-1010"], "{figures:?}");

    // Thousands marked with dots in a file of whole euros: 250.000 is not read as 250 €.
    std::fs::write(
        dir.path().join("raportti.csv"),
        "Kustannuspaikka;Tili;TA 2024;Toteuma 2024\n1100;4300;-250.000;-198.455\n1100;4310;-12.500;(1.000)\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "raportti.csv:2: column \"ta 2024\": \"-250.000\" is not read: its dot could mark thousands or three \
             decimals (money has two)"
        ),
        "{err}"
    );
    assert_eq!(err.matches("could mark thousands").count(), 4, "{err}");
    // Where the file's own amounts show the dot marks thousands (1.198.455,50), 250.000 is 250 000, said.
    std::fs::write(
        dir.path().join("raportti.csv"),
        "Kustannuspaikka;Tili;TA 2024;Toteuma 2024\n1100;4300;-250.000;-198.455\n1100;4310;-1.250.000;(1.198.455,50)\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "2 amount(s) with one '.' before three digits (such as 250.000) read with it as the thousands mark, as \
             the file's own 1.250.000 shows"
        ) || stderr(&out).contains("as the file's own 1.198.455,50 shows"),
        "{}",
        stderr(&out)
    );
    let figures = parse_extract(&stdout(&out));
    let tp: Vec<&str> =
        figures.iter().filter(|(_, k)| k.1 == "palvelujen_ostot" && k.2 == "tp").map(|(_, k)| k.4.as_str()).collect();
    assert_eq!(tp, ["-1396910.5"], "{figures:?}");
    // Where the marks show which is which, the amounts read exactly.
    std::fs::write(
        dir.path().join("raportti.csv"),
        "Kustannuspaikka;Tili;TA 2024;Toteuma 2024\n1100;4310;-1.250.000;-1.198.455,50\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let figures = parse_extract(&stdout(&out));
    let tp: Vec<&str> =
        figures.iter().filter(|(_, k)| k.1 == "palvelujen_ostot" && k.2 == "tp").map(|(_, k)| k.4.as_str()).collect();
    assert_eq!(tp, ["-1198455.5"], "{figures:?}");
}

/// A row with a name and no account is a total: checked where its figures are the unit's; where they are not,
/// its role cannot be told, and that is a warning, never a guess and never an error.
#[test]
fn a_named_row_without_an_account_is_a_total_or_a_warning() {
    let head = "Kustannuspaikka;Tili;Tilin nimi;TA 2024;Toteutuma 2024\n";
    let rows = "1100;4300;Palvelut;1000;1040\n1100;4500;Aineet;200;190\n";
    let dir = setup(&format!("{head}{rows}1100;;Hallinto;1200;1230\n"));
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["severity"] != "warning"), "{v:#}");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    let got = parse_extract(&stdout(&out));
    assert!(got.iter().any(|(_, k)| k.1 == "toimintakulut" && k.2 == "tp" && norm(&k.4) == "-1230"), "{got:?}");
    // 1 230 printed as 1 300: not the unit's rows; a warning.
    std::fs::write(dir.path().join("raportti.csv"), format!("{head}{rows}1100;;Hallinto;1200;1300\n")).unwrap();
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let warned: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "warning" && f["rule"] == "sum").collect();
    assert_eq!(warned.len(), 1, "{v:#}");
    assert_eq!(warned[0]["unit"], "Hallinto");
}

/// A report export whose group rows carry codes only (`4300` over `430010` and `430020`): a code that heads
/// other codes of the file and whose rows are their sums is a group, not summed; one whose rows are not their
/// sum stays an account, and a warning says so.
#[test]
fn a_code_that_heads_other_codes_and_is_their_sum_is_a_group() {
    let dir = setup(
        "Kustannuspaikka;Tili;TA 2024;TP 2024\n\
         1100;3000;-50;-60\n\
         1100;300010;-50;-60\n\
         1100;4300;300;310\n\
         1100;430010;100;110\n\
         1100;430020;200;200\n\
         1100;4500;20;25\n\
         1100;450010;10;12\n",
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: Vec<Key> =
        parse_extract(&stdout(&out)).into_iter().map(|(_, k)| (k.0, k.1, k.2, k.3, norm(&k.4))).collect();
    for want in [
        key("Hallinto", "myyntituotot", "ta", 2024, "50"),
        key("Hallinto", "palvelujen_ostot", "ta", 2024, "-300"),
        key("Hallinto", "palvelujen_ostot", "tp", 2024, "-310"),
        // 4500's rows are not 450010's sum: both are accounts.
        key("Hallinto", "aineet_tarvikkeet_ja_tavarat", "ta", 2024, "-30"),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
    }
    let err = stderr(&out);
    assert!(err.contains("accounts 3000, 4300 head other accounts of the file and their 2 row(s)"), "{err}");
    assert!(err.contains("account 4500 heads other accounts of the file, but its rows are not their sum"), "{err}");
}

/// A Swedish report export whose group rows are in mixed case and carry codes that do not extend their
/// accounts' (`4000 Personalkostnader` over `400010` and `410010`, `3000 Verksamhetens intäkter` over
/// `320010`): a code named as a scheme total above its own line is a group where its rows are the sum of the
/// file's accounts the chart maps under that total, never summed; where they are not, a warning names it.
#[test]
fn a_code_named_as_a_scheme_total_is_a_group_where_its_rows_are_the_sum_under_it() {
    let text = |staff_budget: i64| {
        format!(
            "Kostnadsställe;Konto;Kontonamn;Budget 2024;Utfall 2024\n\
             1100;3000;Verksamhetens intäkter;-500;-520\n\
             1100;320010;Avgiftsintäkter;-500;-520\n\
             1100;4000;Personalkostnader;{staff_budget};1250\n\
             1100;400010;Löner;1000;1010\n\
             1100;410010;Pensionsavgifter;200;240\n\
             1100;430010;Köp av tjänster;300;280\n\
             1100;4940;Övriga verksamhetskostnader;40;45\n\
             ;;Totalt;1040;1055\n"
        )
    };
    let dir = setup(&text(1200));
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: Vec<Key> =
        parse_extract(&stdout(&out)).into_iter().map(|(_, k)| (k.0, k.1, k.2, k.3, norm(&k.4))).collect();
    for want in [
        key("Hallinto", "henkilostokulut", "ta", 2024, "-1200"),
        key("Hallinto", "henkilostokulut", "tp", 2024, "-1250"),
        key("Hallinto", "palkat_ja_palkkiot", "tp", 2024, "-1010"),
        key("Hallinto", "toimintatuotot", "tp", 2024, "520"),
        key("Hallinto", "toimintakulut", "tp", 2024, "-1575"),
        key("Hallinto", "toimintakate", "tp", 2024, "-1055"),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
    }
    let err = stderr(&out);
    assert!(err.contains("accounts 3000, 4000 head other accounts"), "{err}");
    assert!(!err.contains("maps to no line item"), "{err}");
    // The group row's budget 10 € off its accounts': not a group by its figures, so an account of its own,
    // said in a warning; summed in both columns, it makes the Totalt row differ from the rows by its own figures.
    let dir = setup(&text(1210));
    let errors = validate_errors(dir.path());
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0]["message"].as_str().unwrap().contains("ero +1\u{a0}210\u{a0}€"), "{errors:#?}");
    assert!(errors[1]["message"].as_str().unwrap().contains("ero +1\u{a0}250\u{a0}€"), "{errors:#?}");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    let err = stderr(&out);
    assert!(err.contains("account 4000 is named as a total (Personnel expenses)"), "{err}");
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert!(stdout(&out).contains("tilin 4000 nimi on summarivin nimi (Henkilöstökulut)"), "{}", stdout(&out));
}

/// The same report export as Parquet (`tests/fixtures/ledger/raportti.parquet`, written by `make_parquet.py`):
/// its group and total rows told as a CSV's are, never summed.
#[test]
fn a_parquet_report_exports_group_rows_are_never_summed() {
    let dir = setup("");
    std::fs::copy(root("tests/fixtures/ledger/raportti.parquet"), dir.path().join("raportti.parquet")).unwrap();
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "raportti.parquet"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.parquet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: Vec<Key> =
        parse_extract(&stdout(&out)).into_iter().map(|(_, k)| (k.0, k.1, k.2, k.3, norm(&k.4))).collect();
    for want in [
        key("Hallinto", "toimintatuotot", "tp", 2024, "520"),
        key("Hallinto", "henkilostokulut", "ta", 2024, "-1200"),
        key("Hallinto", "henkilostokulut", "tp", 2024, "-1250"),
        key("Hallinto", "toimintakulut", "tp", 2024, "-1530"),
        key("Hallinto", "toimintakate", "ta", 2024, "-1000"),
        key("Hallinto", "toimintakate", "tp", 2024, "-1010"),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
    }
    let err = stderr(&out);
    assert!(err.contains("2 row(s) total other rows"), "{err}");
    assert!(err.contains("4 of their figures checked"), "{err}");
    assert!(err.contains("accounts 4000 head other accounts"), "{err}");
}

/// A ledger with a thousand cost centers no unit claims: the twenty largest are named with their totals, the
/// other 980 counted and summed in one line per scenario and year; nothing of their money unsaid.
#[test]
fn many_unmapped_codes_are_named_by_the_largest_and_the_rest_summed() {
    let mut text = String::from("vuosi;kustannuspaikka;tili;toteuma\n2024;1100;4300;10\n");
    for k in 0..1000u32 {
        text.push_str(&format!("2024;{};4300;{}\n", 50_000 + k, k + 1));
    }
    let dir = setup(&text);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    let named: Vec<&str> = err.lines().filter(|l| l.contains("is in no unit's codes")).collect();
    assert_eq!(named.len(), 20, "{err}");
    // The largest: 51 000 … 50 980 (amounts 1 000 … 981).
    assert!(named.iter().any(|l| l.contains("cost center 50999 ")), "{err}");
    // The rest: amounts 1 … 980, summed 480 690, in 980 rows.
    let more: Vec<&str> = err.lines().filter(|l| l.contains("more cost centers map to nothing")).collect();
    assert_eq!(more.len(), 1, "{err}");
    assert!(
        more[0].contains("980 more cost centers") && more[0].contains("480690") && more[0].contains("980 rows"),
        "{}",
        more[0]
    );
}

/// Rows whose sums pass the exact decimal range are one error naming the first row and how many there are, not
/// a line each; a Parquet file that is no Parquet file says so in plain words.
#[test]
fn sums_past_the_range_are_one_line_and_a_damaged_parquet_is_said_plainly() {
    let big = "79228162514264337593543950335";
    let mut text = String::from("vuosi;kustannuspaikka;tili;toteuma\n");
    for _ in 0..50 {
        text.push_str(&format!("2024;1100;4300;{big}\n"));
    }
    let dir = setup(&text);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    // Each amount is beyond any budget (as a sheet's or a Parquet ledger's would be): one line for all 50 rows.
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "raportti.csv:2: column \"toteuma\": \"{big}\" is beyond any budget (more than 10^15 €): check the \
             amounts (50 rows in all)"
        )),
        "{err}"
    );
    // A stray quote: one line saying so, not the rest of the file echoed.
    std::fs::write(
        dir.path().join("lainaus.csv"),
        "vuosi;kustannuspaikka;tili;toteuma\n2024;1100;4300;\"10\n2024;1100;4300;20\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "lainaus.csv"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("lainaus.csv:2: column \"toteuma\": a quote (\") opens here and is not closed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    std::fs::write(dir.path().join("rikki.parquet"), b"PAR1 this is not a parquet file at all PAR1").unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "rikki.parquet"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("rikki.parquet: not a readable Parquet ledger: the file is damaged"), "{err}");
    assert!(!err.contains("Error {") && !err.contains("source_location"), "{err}");
}

/// A cost center's total row where its unit's other cost center has none totals part of the unit: not checked,
/// and the warning says why in the reader's language.
#[test]
fn a_total_of_part_of_a_unit_is_not_checked_and_says_why_in_finnish() {
    let dir = setup(
        "Kustannuspaikka;Tili;Tilin nimi;TA 2024;Toteuma 2024\n\
         1200;4300;Palvelut;70,00;75,00\n\
         1200;;Palvelujen ostot yhteensä;70,00;75,00\n\
         1201;4300;Palvelut;10,00;12,00\n",
    );
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let all = stdout(&out) + &stderr(&out);
    assert!(
        all.contains(
            "ei tarkistettu: yksikön Koulu kustannuspaikoilla 1201 ei ole tällaista riviä, joten se on vain osan \
             yksiköstä summa"
        ),
        "{all}"
    );
    assert!(!all.contains("cost centers"), "{all}");
}

/// A budget column in thousands of euros (`TA 2024 (1000 €)`, or a title above the header saying so) beside
/// actuals in euros: read in euros, said (it was read 1 000× too small without a word); quarters
/// (`Q1 2024` … `Q4 2024`, `Toteuma 1. neljännes`) are parts of the year as months are: summed, or checked
/// against the year's total beside them.
#[test]
fn a_column_in_thousands_and_quarters_are_read_in_euros_and_by_the_year() {
    let dir = setup(
        "Kustannuspaikka;Tili;TA 2024 (1000 €);TP 2024 (€)\n\
         1100;4300;21,1;20 950,50\n\
         1100;3010;-5;-5 100\n",
    );
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "column \"ta 2024 (1000 €)\" is in thousands of euros (its header says so): its amounts read × 1000"
        ),
        "{}",
        stderr(&out)
    );
    let figures = parse_extract(&stdout(&out));
    let find = |item: &str, sc: &str| {
        figures.iter().find(|(_, k)| k.0 == "Hallinto" && k.1 == item && k.2 == sc).map(|(_, k)| k.4.clone())
    };
    assert_eq!(find("palvelujen_ostot", "ta").as_deref(), Some("-21100"), "{figures:?}");
    assert_eq!(find("palvelujen_ostot", "tp").as_deref(), Some("-20950.5"), "{figures:?}");
    assert_eq!(find("myyntituotot", "ta").as_deref(), Some("5000"), "{figures:?}");
    // The unit in a title above the header.
    std::fs::write(
        dir.path().join("raportti.csv"),
        "Talousarvio 2024 (1 000 €)\nKustannuspaikka;Tili;TA 2024\n1100;4300;21,1\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the title above the header says so: \"Talousarvio 2024 (1 000 €)\""),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("Hallinto,palvelujen_ostot,ta,2024,-21100"), "{}", stdout(&out));
    // Quarters of the actuals summed; beside the year's total, checked against it.
    std::fs::write(
        dir.path().join("raportti.csv"),
        "Kustannuspaikka;Tili;Budget 2024;Actual Q1 2024;Actual Q2 2024;Actual Q3 2024;Actual Q4 2024\n\
         1100;4300;1000;250;250,50;240;260\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "raportti.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Hallinto,palvelujen_ostot,tp,2024,-1000.5"), "{}", stdout(&out));
    std::fs::write(
        dir.path().join("raportti.csv"),
        "Vuosi;Kustannuspaikka;Tili;Talousarvio;Toteuma 1. neljännes;Toteuma 2. neljännes;Toteuma 3. neljännes;\
         Toteuma 4. neljännes;Toteuma yhteensä\n2024;1100;4300;1000;250;250;240;260;1010\n",
    )
    .unwrap();
    let errors = validate_errors(dir.path());
    let got: Vec<(&str, &str)> =
        errors.iter().map(|f| (f["scenario"].as_str().unwrap(), f["difference"].as_str().unwrap())).collect();
    assert_eq!(got.len(), 1, "{errors:?}");
    assert_eq!(got[0].0, "tp", "{errors:?}");
}
