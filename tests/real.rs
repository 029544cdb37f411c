//! Real published tables of four towns (tests/fixtures/real/README.md: where each came from), each laid
//! out in the town's own wording: every figure read exactly, and no error that the table does not have.

mod common;
use common::*;
use std::collections::BTreeSet;

fn expected(name: &str) -> BTreeSet<Key> {
    let mut rd = csv::Reader::from_path(root(&format!("tests/fixtures/real/{name}.expected.csv"))).unwrap();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].into(), r[1].into(), r[2].into(), r[3].into(), r[4].into())
        })
        .collect()
}

/// The printed figures, and the stand-ins (items summed from their printed sub-rows) with their sources.
fn extracted(org: &str, name: &str) -> BTreeSet<Key> {
    extracted_all(org, name).0
}

fn extracted_all(org: &str, name: &str) -> (BTreeSet<Key>, Vec<(String, Key)>) {
    extracted_from(org, &format!("tests/fixtures/real/{name}.xlsx"))
}

fn extracted_from(org: &str, file: &str) -> (BTreeSet<Key>, Vec<(String, Key)>) {
    let out = run(&["extract", "--org", &format!("tests/fixtures/real/{org}.org.toml"), file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    let (sums, printed): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(src, _)| src.ends_with(')'));
    let set: BTreeSet<Key> = printed.iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(set.len(), printed.len(), "no figure twice");
    (set, sums)
}

fn findings(org: &str, name: &str) -> (i32, Vec<serde_json::Value>) {
    findings_of(org, &format!("tests/fixtures/real/{name}.xlsx"))
}

fn findings_of(org: &str, file: &str) -> (i32, Vec<serde_json::Value>) {
    let out = run(&["validate", "--format", "json", "--org", &format!("tests/fixtures/real/{org}.org.toml"), file]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("findings JSON");
    let list = v["findings"].as_array().cloned().unwrap_or_default();
    (code(&out), list)
}

/// The checks' findings of one severity (what reading the input warned of is listed apart, rule `input`).
fn of<'a>(list: &'a [serde_json::Value], severity: &str) -> Vec<&'a serde_json::Value> {
    list.iter().filter(|f| f["severity"] == severity && f["rule"] != "input").collect()
}

/// What reading the input warned of: (cell, message).
fn input_warnings(list: &[serde_json::Value]) -> Vec<(String, String)> {
    list.iter()
        .filter(|f| f["rule"] == "input")
        .map(|f| {
            assert_eq!(f["severity"], "warning");
            (f["sources"][0].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn jyvaskyla_year_end_statement_with_its_sub_rows() {
    let (got, sums) = extracted_all("jyvaskyla", "jyvaskyla_tp2018");
    assert_eq!(got, expected("jyvaskyla_tp2018"));
    assert_eq!(got.len(), 38);
    // "Henkilösivukulut" is a heading without figures: its two sub-rows stand in for it.
    let unit = "Jyväskylän kaupunki";
    assert_eq!(
        sums,
        [
            (
                "tests/fixtures/real/jyvaskyla_tp2018.xlsx:Tuloslaskelma!(B14+B15)".to_string(),
                key(unit, "henkilosivukulut", "tp", 2018, "-72669244.55")
            ),
            (
                "tests/fixtures/real/jyvaskyla_tp2018.xlsx:Tuloslaskelma!(C14+C15)".to_string(),
                key(unit, "henkilosivukulut", "tp", 2017, "-72185268.11")
            ),
        ]
    );
    assert!(got.contains(&key("Jyväskylän kaupunki", "palkat_ja_palkkiot", "tp", 2018, "-267744141.18")));
    assert!(got.contains(&key("Jyväskylän kaupunki", "aineet_tarvikkeet_ja_tavarat", "tp", 2017, "-40577942.94")));
    let (exit, list) = findings("jyvaskyla", "jyvaskyla_tp2018");
    assert_eq!(exit, 0, "{list:#?}");
    assert!(of(&list, "error").is_empty());
    // The depreciation total includes "Muut lisäpoistot", a row the scheme does not know: a warning that
    // names it and says it completes the sum, in both years.
    let warnings = of(&list, "warning");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    for w in warnings {
        assert_eq!(w["line_item"], "poistot_ja_arvonalentumiset");
        let m = w["message"].as_str().unwrap();
        assert!(
            m.contains("\"Muut lisäpoistot\"") && m.contains("Tuloslaskelma!A31") && m.contains("täydentää"),
            "{m}"
        );
    }
}

#[test]
fn simo_finds_the_one_sum_its_table_does_not_add_up() {
    let got = extracted("simo", "simo_talous");
    assert_eq!(got, expected("simo_talous"));
    assert_eq!(got.len(), 15);
    let (exit, list) = findings("simo", "simo_talous");
    assert_eq!(exit, 1);
    let errors = of(&list, "error");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!(
        (e["rule"].as_str(), e["line_item"].as_str(), e["year"].as_i64()),
        (Some("sum"), Some("toimintakate"), Some(2013))
    );
    assert_eq!(
        (e["expected"].as_str(), e["actual"].as_str(), e["difference"].as_str()),
        (Some("-19790418"), Some("-19754418"), Some("36000"))
    );
}

#[test]
fn vanda_swedish_statement_in_millions_with_bare_years() {
    let got = extracted("vanda", "vanda_bokslut2008_sv");
    assert_eq!(got, expected("vanda_bokslut2008_sv"));
    assert_eq!(got.len(), 10);
    assert!(got.contains(&key("Vantaan kaupunki", "toimintakulut", "tp", 2007, "-974600000")));
    let (exit, list) = findings("vanda", "vanda_bokslut2008_sv");
    assert_eq!(exit, 0);
    assert!(of(&list, "error").is_empty() && of(&list, "warning").is_empty(), "{list:#?}");
    // The rows below the margin are not read, and the reports say so, each with its cell.
    let input = input_warnings(&list);
    assert!(
        input
            .iter()
            .any(|(cell, m)| cell.ends_with("sheet Resultaträkning, cell A7") && m.contains("\"Skatteinkomster\"")),
        "{input:#?}"
    );
    assert!(
        input
            .iter()
            .any(|(_, m)| m == "yksikkö luettiin otsikosta \"Resultaträkning för Vanda stad\": \"Vantaan kaupunki\""),
        "{input:#?}"
    );
    // 172,4 + 71,2 − 931,2 = −687,6 printed −687,5: rounding of figures in tenths of millions.
    let info = of(&list, "info");
    assert_eq!(info.len(), 1);
    let diff: rust_decimal::Decimal = info[0]["difference"].as_str().unwrap().parse().unwrap();
    assert_eq!(diff, rust_decimal::Decimal::from(100_000));
}

#[test]
fn helsinki_budget_words_wages_and_of_which_rows() {
    let (got, sums) = extracted_all("helsinki", "helsinki_sote_ta2023");
    assert_eq!(got, expected("helsinki_sote_ta2023"));
    assert_eq!(got.len(), 48);
    let unit = "Sosiaali-, terveys- ja pelastustoimiala";
    // Wages and social costs, no personnel-costs row: personnel costs are their sum, in every column.
    let sums: Vec<(&str, &str, &str)> = sums.iter().map(|(s, k)| (s.as_str(), k.1.as_str(), k.4.as_str())).collect();
    assert_eq!(sums.len(), 3, "{sums:?}");
    assert!(sums.iter().all(|s| s.1 == "henkilostokulut"));
    assert_eq!(sums[0].2, "-878918000", "-677 166 000 + -201 752 000");
    assert!(got.contains(&key(unit, "henkilosivukulut", "ta", 2023, "-201752000")));
    assert!(got.contains(&key(unit, "vuokrakulut", "ts", 2025, "-118910000")));
    let (exit, list) = findings("helsinki", "helsinki_sote_ta2023");
    assert_eq!(exit, 0);
    assert!(of(&list, "error").is_empty() && of(&list, "warning").is_empty(), "{list:#?}");
}

#[test]
fn a_scheme_file_teaches_a_new_row_label() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("kaava.toml");
    std::fs::write(
        &scheme,
        "[[item]]\nid = \"muut_lisapoistot\"\nkind = \"cost\"\nsums_into = \"poistot_ja_arvonalentumiset\"\n\
         fi = [\"Muut lisäpoistot\"]\nen = [\"Other additional depreciation\"]\n",
    )
    .unwrap();
    let file = root("tests/fixtures/real/jyvaskyla_tp2018.xlsx");
    let org = root("tests/fixtures/real/jyvaskyla.org.toml");
    let args = |cmd: &'static str| {
        vec![
            cmd.to_string(),
            "--scheme".into(),
            scheme.display().to_string(),
            "--org".into(),
            org.display().to_string(),
            file.display().to_string(),
        ]
    };
    let out = run_in(dir.path(), &args("extract").iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    assert!(rows.iter().any(|(_, k)| *k == key("Jyväskylän kaupunki", "muut_lisapoistot", "tp", 2017, "-2568445.62")));
    assert!(!stderr(&out).contains("Muut lisäpoistot"), "no longer unknown");
    let mut v = args("validate");
    v.insert(1, "--format".into());
    v.insert(2, "json".into());
    let out = run_in(dir.path(), &v.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let list = json["findings"].as_array().unwrap();
    let warnings = list.iter().filter(|f| f["severity"] != "info" && f["rule"] != "input").count();
    assert_eq!(warnings, 0, "the depreciation total now checks: {json:#}");
    assert!(!input_warnings(list).iter().any(|(_, m)| m.contains("Muut lisäpoistot")));
}

#[test]
fn a_bad_scheme_file_is_refused_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("kaava.toml");
    std::fs::write(
        &scheme,
        "[[item]]\nid = \"tilavuokrat\"\nkind = \"cost\"\nsums_into = \"vuokrat\"\nfi = [\"Tilavuokrat\"]\n",
    )
    .unwrap();
    let file = root("tests/fixtures/real/simo_talous.xlsx");
    let out = run_in(dir.path(), &["extract", "--scheme", scheme.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("kaava.toml") && err.contains("tilavuokrat") && err.contains("\"vuokrat\" is not an item"),
        "{err}"
    );
}

/// The four towns' tables printed to PDF by LibreOffice Calc (tests/fixtures/real/print_pdfs.py): figures with
/// an ordinary space between thousands in columns a single space apart, cents, `1 000 €` and `milj. €`
/// tables, headers over three lines, and a statement that runs on over a page break. Read by the glyphs'
/// positions, every figure equals the workbook's, with the same errors (Simo's one) and no others.
#[test]
fn the_towns_tables_printed_to_pdf_read_as_their_workbooks() {
    for (org, name, errors) in [
        ("jyvaskyla", "jyvaskyla_tp2018", 0),
        ("simo", "simo_talous", 1),
        ("vanda", "vanda_bokslut2008_sv", 0),
        ("helsinki", "helsinki_sote_ta2023", 0),
    ] {
        let pdf = format!("tests/fixtures/real/pdf/{name}.pdf");
        let (got, sums) = extracted_from(org, &pdf);
        assert_eq!(got, expected(name), "{name}");
        let (_, workbook_sums) = extracted_all(org, name);
        assert_eq!(sums.len(), workbook_sums.len(), "{name}: stand-ins");
        let (code, list) = findings_of(org, &pdf);
        assert_eq!(of(&list, "error").len(), errors, "{name}: {list:#?}");
        assert_eq!(code, if errors > 0 { 1 } else { 0 });
        let (_, from_workbook) = findings(org, name);
        assert_eq!(list.len(), from_workbook.len(), "{name}: the same findings");
        assert!(list
            .iter()
            .flat_map(|f| f["sources"].as_array().unwrap())
            .all(|s| s.as_str().unwrap().starts_with(&format!("{pdf}:"))));
    }
}
