//! `poikkeama extract` end to end: the example workbooks against the transcribed seeds, more layouts
//! built here with rust_xlsxwriter, and every bad-input case.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::collections::BTreeSet;
use V::{E, N, T};

#[test]
fn example_workbooks_give_every_seed_figure_exactly() {
    let out = run(&["extract", "--org", "inputs/organisaatio.toml", "inputs/"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    let got: BTreeSet<Key> = rows.iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(rows.len(), 206, "no figure twice");
    let expected = seed_figures();
    assert_eq!(expected.len(), 206);
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}\nextra {extra:?}");
    // Traced to the cell: the pasted-as-text actual and a merged-header area figure.
    let source_of = |k: &Key| rows.iter().find(|(_, r)| r == k).map(|(s, _)| s.clone()).unwrap();
    assert_eq!(
        source_of(&key("Kaupunginkansliakeskus", "henkilostokulut", "tp", 2024, "-1774883")),
        "inputs/kaupunginkansliakeskus_tp2024.xlsx:Keskus TP2024!E12"
    );
    assert_eq!(
        source_of(&key("Talous- ja henkilöstöpalvelut", "toimintakate", "tp", 2024, "-1839760")),
        "inputs/kaupunginkansliakeskus_tp2024.xlsx:Vastuualueet TP2024!E39"
    );
    // The misspelt title of seed 003 is read as the org's unit, with a warning naming it.
    assert!(stderr(&out).contains("unit name \"Talousoalvelut\" read as \"Talous- ja henkilöstöpalvelut\""));
    // A printed zero is a figure; a blank is none.
    assert!(got.contains(&key("Kaupunginkansliakeskus", "avustukset", "tp", 2021, "0")));
    assert!(!got.iter().any(|k| k.1 == "maksutuotot"));
}

#[test]
fn json_format_has_the_same_fields_with_string_amounts() {
    let out = run(&[
        "extract",
        "--format",
        "json",
        "--org",
        "inputs/organisaatio.toml",
        "inputs/kaupunginkansliakeskus_tp2024.xlsx",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 121);
    let first = &arr[0];
    assert_eq!(first["source"], "inputs/kaupunginkansliakeskus_tp2024.xlsx:Keskus TP2024!B7");
    assert_eq!(first["unit"], "Kaupunginkansliakeskus");
    assert_eq!(first["line_item"], "myyntituotot");
    assert_eq!(first["scenario"], "ta");
    assert_eq!(first["year"], 2024);
    assert_eq!(first["amount"], "20500");
}

/// Swedish labels and headers, a merged group header, a unit named by alias in the header's first cell.
#[test]
fn swedish_table_with_group_header_and_alias() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "Blad1",
        &[
            vec![T("Stadskansliecentralen"), T("Budget 2024"), E, E, T("Bokslut 2024"), T("Avvikelse")],
            vec![E, T("Ursprunglig"), T("Budgetändringar"), T("Efter ändringar"), E, E],
            vec![T("Verksamhetsintäkter"), N(300500.0), N(1000.0), N(301500.0), N(281829.0), N(-19671.0)],
            vec![T("Köp av tjänster"), T("-2 094 095"), E, T("-2\u{a0}094\u{a0}095"), N(-1904647.0), N(189448.0)],
            vec![T("Verksamhetsbidrag"), N(-3942834.0), E, N(-3942834.0), N(-3612763.0), N(330072.0)],
        ],
        &[(0, 1, 0, 3, "Budget 2024")],
    );
    let path = save(&mut wb, dir.path(), "sv.xlsx");
    let org = dir.path().join("org.toml");
    std::fs::write(&org, "[[unit]]\nname = \"Kaupunginkansliakeskus\"\naliases = [\"Stadskansliecentralen\"]\n")
        .unwrap();
    let out = run(&["extract", "--org", org.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: BTreeSet<Key> = parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).collect();
    let u = "Kaupunginkansliakeskus";
    for k in [
        key(u, "toimintatuotot", "ta", 2024, "300500"),
        key(u, "toimintatuotot", "ta_muutokset", 2024, "1000"),
        key(u, "toimintatuotot", "ta_muutettu", 2024, "301500"),
        key(u, "toimintatuotot", "tp", 2024, "281829"),
        key(u, "toimintatuotot", "poikkeama", 2024, "-19671"),
        key(u, "palvelujen_ostot", "ta", 2024, "-2094095"),
        key(u, "palvelujen_ostot", "ta_muutettu", 2024, "-2094095"),
        key(u, "toimintakate", "poikkeama", 2024, "330072"),
    ] {
        assert!(got.contains(&k), "{k:?} not in {got:?}");
    }
    assert_eq!(got.len(), 13);
}

/// Stacked tables without an org file: units from titles (skipping notes), the sheet name as fallback,
/// a money unit of `1 000 €`, decimals in text, a group header written without merging.
#[test]
fn stacked_tables_units_and_money_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "Vastuualueet",
        &[
            vec![T("Kaupunginkansliapalvelut")],
            vec![T("Luvut toteutuman mukaan.")],
            vec![E, T("TA 2024"), T("TP 2024")],
            vec![T("Toimintatuotot"), N(500.0), N(2671.0)],
            vec![T("Toimintakulut"), N(-1070861.0), T("-896 060")],
            vec![],
            vec![T("Toimintakulut toteutuivat arvioitua pienempinä.")],
            vec![],
            vec![T("Tieto- ja viestintäteknologiapalvelut (1 000 €)")],
            vec![E, T("TALOUSARVIO 2024"), E, T("TILINPÄÄTÖS")],
            vec![E, T("ALKUPERÄINEN"), T("MUUTETTU"), T("2024")],
            vec![T("Toimintatuotot"), N(20.0), N(20.5), T("24,88")],
        ],
        &[],
    );
    write_sheet(
        &mut wb,
        "Talouspalvelut",
        &[vec![E, T("TA 2024"), T("TP 2024")], vec![T("Toimintakate"), N(-1741007.0), N(-1839760.0)]],
        &[],
    );
    let path = save(&mut wb, dir.path(), "stacked.xlsx");
    let out = run_in(dir.path(), &["extract", "stacked.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    let got: BTreeSet<Key> = rows.iter().map(|(_, k)| k.clone()).collect();
    let expected: BTreeSet<Key> = [
        key("Kaupunginkansliapalvelut", "toimintatuotot", "ta", 2024, "500"),
        key("Kaupunginkansliapalvelut", "toimintatuotot", "tp", 2024, "2671"),
        key("Kaupunginkansliapalvelut", "toimintakulut", "ta", 2024, "-1070861"),
        key("Kaupunginkansliapalvelut", "toimintakulut", "tp", 2024, "-896060"),
        key("Tieto- ja viestintäteknologiapalvelut", "toimintatuotot", "ta", 2024, "20000"),
        key("Tieto- ja viestintäteknologiapalvelut", "toimintatuotot", "ta_muutettu", 2024, "20500"),
        key("Tieto- ja viestintäteknologiapalvelut", "toimintatuotot", "tp", 2024, "24880"),
        key("Talouspalvelut", "toimintakate", "ta", 2024, "-1741007"),
        key("Talouspalvelut", "toimintakate", "tp", 2024, "-1839760"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, expected);
    assert!(rows.iter().any(|(s, _)| s == "stacked.xlsx:Vastuualueet!D12"));
    drop(path);
}

#[test]
fn unknown_and_misspelt_labels_are_warnings_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "TP",
        &[
            vec![T("Keskus")],
            vec![E, T("TALOUSARVIO 2024"), T("TILINPÄÄTÖS 2024"), T("Toteutuma-%")],
            vec![T("Henkilöstökulu"), N(-100.0), N(-90.0), N(90.0)],
            vec![T("Verotulot"), N(5.0), N(6.0), E],
            vec![T("Avustukset"), N(-10.0), N(-10.0), N(100.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "w.xlsx");
    let out = run_in(dir.path(), &["extract", "w.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("w.xlsx: sheet TP, cell A3: label \"Henkilöstökulu\" read as \"Henkilöstökulut\""), "{err}");
    assert!(err.contains("w.xlsx: sheet TP, cell A4: unknown label \"Verotulot\": row not read"), "{err}");
    let got: Vec<Key> = parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).collect();
    assert_eq!(
        got,
        vec![
            key("Keskus", "henkilostokulut", "ta", 2024, "-100"),
            key("Keskus", "henkilostokulut", "tp", 2024, "-90"),
            key("Keskus", "avustukset", "ta", 2024, "-10"),
            key("Keskus", "avustukset", "tp", 2024, "-10"),
        ],
        "the percent column is not money"
    );
}

#[test]
fn a_bad_figure_names_file_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let mut rows: Vec<Vec<V>> = (0..35).map(|_| vec![]).collect();
    rows.push(vec![E, T("TA 2024"), T("TA muutettu 2024"), T("TP 2024")]);
    rows.push(vec![T("Toimintakulut"), N(-1151466.0), N(-1151466.0), N(-904504.0)]);
    rows.push(vec![T("Toimintakate"), N(-1.0), N(-1.0), T("-1 151 4O6")]);
    write_sheet(&mut wb, "TP2024", &rows, &[]);
    std::fs::create_dir(dir.path().join("inputs")).unwrap();
    save(&mut wb, dir.path(), "inputs/x.xlsx");
    // Without --strict the row is not read, and said so with its cell; the rest of the table is read.
    let out = run_in(dir.path(), &["extract", "inputs/x.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "inputs/x.xlsx: sheet TP2024, cell D38: row \"Toimintakate\" not read: \"-1 151 4O6\" is not a number"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("1 tables read, 1 row not read"), "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    assert_eq!(rows.len(), 3, "the costs row's three figures, none of the margin's");
    assert!(rows.iter().all(|(_, k)| k.1 == "toimintakulut"));
    // With --strict the row stops the run.
    let out = run_in(dir.path(), &["extract", "--strict", "inputs/x.xlsx"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty(), "nothing printed on error");
    assert!(
        stderr(&out).contains("inputs/x.xlsx: sheet TP2024, cell D38: row \"Toimintakate\" not read: \"-1 151 4O6\" is not a number (--strict"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unreadable_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.xlsx"), "this is not a workbook").unwrap();
    std::fs::write(dir.path().join("empty.xlsx"), "").unwrap();
    // A real workbook cut in half.
    let full = std::fs::read(root("inputs/kaupunginkansliakeskus_tp2024.xlsx")).unwrap();
    std::fs::write(dir.path().join("cut.xlsx"), &full[..full.len() / 2]).unwrap();
    for name in ["notes.xlsx", "empty.xlsx", "cut.xlsx", "missing.xlsx"] {
        let out = run_in(dir.path(), &["extract", name]);
        assert_eq!(code(&out), 2, "{name}");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {name}: ")), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_workbook_without_tables_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(&mut wb, "Muistio", &[vec![T("Ei lukuja tässä")]], &[]);
    save(&mut wb, dir.path(), "memo.xlsx");
    let out = run_in(dir.path(), &["extract", "memo.xlsx"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("memo.xlsx: no budget table found"), "{}", stderr(&out));
}

#[test]
fn bad_org_file_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), "[[unit]]\nname = \"A\"\nparent = \"B\"\n").unwrap();
    let ex = root("inputs/kaupunginkansliakeskus_tp2024.xlsx");
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", ex.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("org.toml: unit \"A\": parent \"B\" is not a unit of this file"));
}

#[test]
fn help_version_and_usage() {
    let out = run(&["--help"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("extract"));
    let out = run(&["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out).trim(), format!("poikkeama {}", env!("CARGO_PKG_VERSION")));
    let out = run(&["extract"]);
    assert_eq!(code(&out), 2, "missing INPUT is a usage error");
    let out = run(&["extract", "--format", "xml", "inputs/"]);
    assert_eq!(code(&out), 2);
}

/// The same table saved by real clients as .xlsx, .ods and .xls gives the same exact figures.
#[test]
fn xlsx_ods_and_xls_from_real_clients_agree() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org.toml");
    std::fs::write(&org, "[[unit]]\nname = \"Kaupunginkansliakeskus\"\naliases = [\"Stadskansliecentralen\"]\n")
        .unwrap();
    let mut results = Vec::new();
    for ext in ["xlsx", "ods", "xls"] {
        let out = run(&["extract", "--org", org.to_str().unwrap(), &format!("tests/fixtures/bokslut_sv.{ext}")]);
        assert_eq!(code(&out), 0, "{ext}: {}", stderr(&out));
        let rows = parse_extract(&stdout(&out));
        assert!(rows.iter().all(|(s, _)| s.starts_with(&format!("tests/fixtures/bokslut_sv.{ext}:Bokslut 2024!"))));
        results.push(rows.into_iter().map(|(s, k)| (s.rsplit('!').next().unwrap().to_string(), k)).collect::<Vec<_>>());
    }
    let u = "Kaupunginkansliakeskus";
    let got: BTreeSet<Key> = results[0].iter().map(|(_, k)| k.clone()).collect();
    for k in [
        key(u, "toimintatuotot", "ta", 2024, "300500"),
        key(u, "toimintatuotot", "tp", 2024, "281829"),
        key(u, "toimintakulut", "ta_muutokset", 2024, "-10000"),
        key(u, "toimintakulut", "ta_muutettu", 2024, "-4253334"),
        key(u, "toimintakulut", "tp", 2024, "-3894591"),
        key(u, "toimintakate", "poikkeama", 2024, "340072"),
    ] {
        assert!(got.contains(&k), "{k:?}");
    }
    assert_eq!(results[0].len(), 14);
    assert_eq!(results[0], results[1], "xlsx and ods");
    assert_eq!(results[0], results[2], "xlsx and xls");
}

/// Excel saves an encrypted workbook as a compound (CFB) file, not a zip: an error naming the file.
#[test]
fn encrypted_looking_workbook_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(4096, 0);
    std::fs::write(dir.path().join("salattu.xlsx"), &bytes).unwrap();
    let out = run_in(dir.path(), &["extract", "salattu.xlsx"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("error: salattu.xlsx: not a readable workbook"), "{}", stderr(&out));
}

/// Account numbers before the labels, and a table with one value column (actuals only).
#[test]
fn account_number_column_and_one_column_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "Tilit",
        &[
            vec![T("Tilinpäätös 2024")],
            vec![T("Keskus")],
            vec![T("Tili"), T("Nimike"), T("TA 2024"), T("TP 2024")],
            vec![N(3000.0), T("Myyntituotot"), N(20500.0), N(25050.0)],
            vec![N(4000.0), T("Henkilöstökulut"), N(-1935039.0), N(-1774883.0)],
            vec![],
            vec![],
            vec![T("Palvelut")],
            vec![E, T("TP 2024")],
            vec![T("Toimintatuotot"), N(2671.0)],
            vec![T("Toimintakulut"), N(-896060.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "tilit.xlsx");
    let out = run_in(dir.path(), &["extract", "tilit.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "no warnings: {}", stderr(&out));
    let got: Vec<(String, Key)> = parse_extract(&stdout(&out));
    let keys: Vec<Key> = got.iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(
        keys,
        vec![
            key("Keskus", "myyntituotot", "ta", 2024, "20500"),
            key("Keskus", "myyntituotot", "tp", 2024, "25050"),
            key("Keskus", "henkilostokulut", "ta", 2024, "-1935039"),
            key("Keskus", "henkilostokulut", "tp", 2024, "-1774883"),
            key("Palvelut", "toimintatuotot", "tp", 2024, "2671"),
            key("Palvelut", "toimintakulut", "tp", 2024, "-896060"),
        ]
    );
    assert_eq!(got[0].0, "tilit.xlsx:Tilit!C4");
}

#[test]
fn formulas_without_stored_results_are_named_not_read_silently() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "TP",
        &[
            vec![T("Keskus")],
            vec![E, T("TA 2024"), T("TP 2024"), T("Poikkeama")],
            vec![T("Toimintatuotot"), N(100.0), N(110.0)],
            vec![T("Toimintakulut"), N(-500.0), N(-490.0)],
            vec![T("Toimintakate"), N(-400.0), N(-380.0), N(20.0)],
        ],
        &[],
    );
    // A program that does not calculate stores no result: the variance cells read as blank.
    let ws = wb.worksheet_from_name("TP").unwrap();
    ws.set_formula_result_default("");
    ws.write_formula(2, 3, "=C3-B3").unwrap();
    ws.write_formula(3, 3, "=C4-B4").unwrap();
    save(&mut wb, dir.path(), "f.xlsx");
    let out = run_in(dir.path(), &["extract", "f.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("f.xlsx: sheet TP: 2 figure cell(s) hold a formula with no stored result (D3, D4): not read"),
        "{err}"
    );
    let got = parse_extract(&stdout(&out));
    assert_eq!(got.len(), 7, "the six values and the one stored variance");
    assert!(got
        .iter()
        .any(|(s, k)| s == "f.xlsx:TP!D5" && *k == key("Keskus", "toimintakate", "poikkeama", 2024, "20")));
}

#[test]
fn titles_that_begin_with_a_unit_name_or_its_inflected_form_are_that_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "Taulukot",
        &[
            vec![T("Kaupunginkansliakeskus, tilinpäätös 2024")],
            vec![E, T("TA 2024"), T("TP 2024")],
            vec![T("Toimintakate"), N(-3942834.0), N(-3612763.0)],
            vec![],
            vec![T("Talouspalvelut (vastuualue)")],
            vec![E, T("TA 2024"), T("TP 2024")],
            vec![T("Toimintakate"), N(-1741007.0), N(-1839760.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "t.xlsx");
    let org = root("inputs/organisaatio.toml");
    let out = run_in(dir.path(), &["extract", "--org", org.to_str().unwrap(), "t.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "read without guessing: {}", stderr(&out));
    let units: BTreeSet<String> = parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k.0).collect();
    assert_eq!(
        units,
        ["Kaupunginkansliakeskus", "Talous- ja henkilöstöpalvelut"].into_iter().map(String::from).collect()
    );

    // A name in the genitive at the start of a sentence-like title is read, with a warning.
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "Taul1",
        &[
            vec![T("Kaupunginkansliapalveluiden tuloslaskelma")],
            vec![E, T("TA 2024"), T("TP 2024")],
            vec![T("Toimintakate"), N(-1070361.0), N(-893389.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "g.xlsx");
    let out = run_in(dir.path(), &["extract", "--org", org.to_str().unwrap(), "g.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "g.xlsx: sheet Taul1, cell B2: unit read from the title \"Kaupunginkansliapalveluiden tuloslaskelma\" \
             as \"Kaupunginkansliapalvelut\""
        ),
        "{}",
        stderr(&out)
    );
    let rows = parse_extract(&stdout(&out));
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|(_, k)| k.0 == "Kaupunginkansliapalvelut"));
}

#[test]
fn transposed_tables_line_items_across() {
    let dir = tempfile::tempdir().unwrap();
    let rows = |bad: &'static str| {
        vec![
            vec![T("Kaupunginkansliakeskus")],
            vec![T("1 000 €")],
            vec![E, T("Toimintatuotot"), T("Toimintakulut"), T("Toimintakate")],
            vec![T("TA 2024"), N(300.5), N(-4243.3), N(-3942.8)],
            vec![T("TP 2024"), T("281,8"), T(bad), N(-3612.8)],
        ]
    };
    let mut wb = Workbook::new();
    write_sheet(&mut wb, "Kuva", &rows("-3 894,6"), &[]);
    save(&mut wb, dir.path(), "across.xlsx");
    let out = run_in(dir.path(), &["extract", "across.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got = parse_extract(&stdout(&out));
    let expected = vec![
        ("across.xlsx:Kuva!B4", key("Kaupunginkansliakeskus", "toimintatuotot", "ta", 2024, "300500")),
        ("across.xlsx:Kuva!B5", key("Kaupunginkansliakeskus", "toimintatuotot", "tp", 2024, "281800")),
        ("across.xlsx:Kuva!C4", key("Kaupunginkansliakeskus", "toimintakulut", "ta", 2024, "-4243300")),
        ("across.xlsx:Kuva!C5", key("Kaupunginkansliakeskus", "toimintakulut", "tp", 2024, "-3894600")),
        ("across.xlsx:Kuva!D4", key("Kaupunginkansliakeskus", "toimintakate", "ta", 2024, "-3942800")),
        ("across.xlsx:Kuva!D5", key("Kaupunginkansliakeskus", "toimintakate", "tp", 2024, "-3612800")),
    ];
    assert_eq!(got, expected.into_iter().map(|(s, k)| (s.to_string(), k)).collect::<Vec<_>>());

    // A bad cell is named in the sheet's own coordinates.
    let mut wb = Workbook::new();
    write_sheet(&mut wb, "Kuva", &rows("-3 89A,6"), &[]);
    save(&mut wb, dir.path(), "bad.xlsx");
    let out = run_in(dir.path(), &["extract", "--strict", "bad.xlsx"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad.xlsx: sheet Kuva, cell C5: row"), "{}", stderr(&out));
    assert!(stderr(&out).contains("not read: \"-3 89A,6\" is not a number"), "{}", stderr(&out));
}

/// A budget book's layout: a section-numbered title naming the unit in the genitive, the money unit in a
/// note above, last year's actuals beside the budget year's columns (changes and variance without a year),
/// an unlabelled total under its group's heading, and a row the scheme does not know.
#[test]
fn budget_book_layout_with_caption_unit_and_yearless_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_sheet(
        &mut wb,
        "Talous",
        &[
            vec![V::T("3.2.1 Kaupunginkansliakeskuksen käyttötalous")],
            vec![V::T("(Taulukon summat ilmoitettu tuhansina euroina)")],
            vec![
                V::E,
                V::T("TP 2023"),
                V::T("TA 2024"),
                V::T("TA-muutokset"),
                V::T("Toteutunut 2024"),
                V::T("Poikkeama"),
            ],
            vec![V::T("Toimintatulot"), V::E, V::E, V::E, V::E, V::E],
            vec![V::T("Myyntitulot"), V::N(20.0), V::N(21.0), V::E, V::N(22.0), V::N(1.0)],
            vec![V::T("Maksutulot"), V::N(5.0), V::N(6.0), V::E, V::N(5.0), V::N(-1.0)],
            vec![V::E, V::N(25.0), V::N(27.0), V::E, V::N(27.0), V::N(0.0)],
            vec![V::T("Henkilöstömenot"), V::N(-300.0), V::N(-310.0), V::N(-10.0), V::N(-318.0), V::N(2.0)],
            vec![V::T("Tilapäiset menot"), V::N(-3.0), V::N(-4.0), V::E, V::N(-4.0), V::N(0.0)],
            vec![V::T("Toimintamenot"), V::N(-303.0), V::N(-314.0), V::N(-10.0), V::N(-322.0), V::N(2.0)],
            vec![V::T("Toimintakate"), V::N(-278.0), V::N(-287.0), V::N(-10.0), V::N(-295.0), V::N(2.0)],
        ],
        &[],
    );
    let file = save(&mut wb, dir.path(), "kirja.xlsx");
    let org = root("inputs/organisaatio.toml");
    let out = run(&["extract", "--org", org.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: BTreeSet<Key> = parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).collect();
    let k = |item: &str, sc: &str, year: i32, amount: &str| key("Kaupunginkansliakeskus", item, sc, year, amount);
    for want in [
        k("myyntituotot", "tp", 2023, "20000"),
        k("myyntituotot", "ta", 2024, "21000"),
        k("henkilostokulut", "ta_muutokset", 2024, "-10000"),
        k("henkilostokulut", "tp", 2024, "-318000"),
        k("henkilostokulut", "poikkeama", 2024, "2000"),
        k("toimintatuotot", "tp", 2024, "27000"),
        k("toimintatuotot", "ta", 2024, "27000"),
        k("toimintakulut", "tp", 2024, "-322000"),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:#?}");
    }
    let err = stderr(&out);
    assert!(err.contains("row without a label read as \"Toimintatuotot\""), "{err}");
    assert!(err.contains("unknown label \"Tilapäiset menot\""), "{err}");
    assert!(err.contains("read from the title \"Kaupunginkansliakeskuksen käyttötalous\""), "{err}");
    // The costs total includes the unknown row: warnings, never errors.
    let out = run(&["validate", "--org", org.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("\"Tilapäiset menot\""), "{}", stdout(&out));
}

/// A figure beyond any budget (5e28 €, or 1e26 in a table of thousands) is an input error naming its cell,
/// never a crash of the checks.
#[test]
fn a_figure_beyond_any_budget_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "TP",
        &[
            vec![T("Keskus")],
            vec![E, T("TA 2024"), T("TP 2024")],
            vec![T("Myyntituotot"), N(5e28), N(10.0)],
            vec![T("Toimintatuotot"), N(5e28), N(10.0)],
            vec![],
            vec![T("Alue (1 000 €)")],
            vec![E, T("TA 2024, 1 000 €"), T("TP 2024, 1 000 €")],
            vec![T("Toimintatuotot"), N(1e26), N(1.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "iso.xlsx");
    for cmd in ["extract", "validate", "run"] {
        let out = run_in(dir.path(), &[cmd, "iso.xlsx"]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{cmd}: {err}");
        assert!(!err.contains("panicked") && !err.contains("overflow"), "{cmd}: {err}");
        assert!(err.contains("iso.xlsx: sheet TP, cell B3: ") && err.contains("beyond any budget"), "{cmd}: {err}");
        assert!(err.contains("cell B8: ") && err.contains("when multiplied by 1000"), "{cmd}: {err}");
    }
}

/// A budget change row beyond any budget is an input error naming its cell, as a figure is: never a change
/// dropped without a word (and the changes' sum with it).
#[test]
fn a_budget_change_beyond_any_budget_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    write_sheet(
        &mut wb,
        "TP 2024",
        &[
            vec![T("Tulosalue 130 Yleishallinto")],
            vec![T("Talous"), E, T("Talousarvio €"), T("Toteutuma €"), T("Poikkeama €")],
            vec![T("Toimintatulot"), T("Alkuperäinen"), N(2_000_400.0)],
            vec![T("Kv 27.5. §45"), T("Muutos"), N(5e28)],
            vec![T("Kv 9.12. §98"), T("Muutos"), N(4_722_000.0)],
            vec![E, T("Yhteensä"), N(5_722_400.0), N(5_805_607.0), N(83_207.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "muutos.xlsx");
    let out = run_in(dir.path(), &["extract", "muutos.xlsx"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("muutos.xlsx: sheet TP 2024, cell C4: 50000000000000000000000000000 is beyond any budget"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// Only regular files are read: a FIFO named like a workbook and a link to a device are refused by name at
/// once (neither hangs nor grows).
#[test]
fn fifos_and_devices_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("putki.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available: skipped");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("nolla.txt")).unwrap();
    let out = run_in(dir.path(), &["extract", "putki.xlsx", "nolla.txt"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("putki.xlsx: not a regular file"), "{err}");
    assert!(err.contains("nolla.txt: not a regular file"), "{err}");
}

/// The files beside the inputs (org, scheme, explanations, chart of accounts, configuration) are read as inputs
/// are: a FIFO or a device is refused by name at once, never waited on or read without end.
#[test]
fn side_files_that_are_no_regular_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("org.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available: skipped");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("tilit.csv")).unwrap();
    std::fs::write(dir.path().join("l.csv"), "vuosi;kustannuspaikka;tili;toteuma\n2024;1100;4300;5\n").unwrap();
    for (args, named) in [
        (&["extract", "--org", "org.toml", "l.csv"][..], "org.toml: the org file is not a regular file"),
        (
            &["extract", "--accounts", "tilit.csv", "l.csv"][..],
            "tilit.csv: the chart of accounts is not a regular file",
        ),
        (&["run", "--config", "org.toml"][..], "org.toml: the configuration is not a regular file"),
        (&["run", "--explanations", "tilit.csv", "--out", "o", "l.csv"][..], "tilit.csv: the explanations file is not"),
    ] {
        let out = run_in(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(named), "{args:?}: {}", stderr(&out));
    }
}

/// A bad cell's value is quoted short and without control characters: one bad cell cannot flood the console.
#[test]
fn bad_values_are_quoted_short_and_clean() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let long = format!("12\u{7}{}", "x".repeat(5000));
    write_sheet(
        &mut wb,
        "TP",
        &[vec![T("Keskus")], vec![E, T("TA 2024"), T("TP 2024")], vec![T("Myyntituotot"), T(&long), N(1.0)]],
        &[],
    );
    save(&mut wb, dir.path(), "paha.xlsx");
    let out = run_in(dir.path(), &["extract", "--strict", "paha.xlsx"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("cell B3: row \"Myyntituotot\" not read: \"12\\u{7}xxx"), "{err}");
    assert!(err.contains("… (5003 characters) is not a number"), "{err}");
    assert!(err.len() < 400 && !err.contains('\u{7}'), "{}", err.len());
}

/// An unreadable file says what it is in plain words, never the reader library's type names.
#[test]
fn unreadable_files_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sivu.xls"), "<html><body><table><tr><td>1</td></tr></table></body></html>")
        .unwrap();
    std::fs::write(dir.path().join("rikki.xlsx"), b"PK\x03\x04 truncated").unwrap();
    std::fs::write(dir.path().join("tyhja.xlsx"), b"").unwrap();
    for (file, says) in [
        ("sivu.xls", "it is an HTML page, not a workbook"),
        ("rikki.xlsx", "a damaged or truncated .xlsx/.ods"),
        ("tyhja.xlsx", "the file is empty"),
    ] {
        let out = run_in(dir.path(), &["extract", file]);
        assert_eq!(code(&out), 2);
        let err = stderr(&out);
        assert!(err.contains(says), "{file}: {err}");
        for internal in ["Cfb", "OLE", "ZipCentral", "InvalidArchive", "Cannot detect"] {
            assert!(!err.contains(internal), "{file}: {err}");
        }
    }
}

/// A PDF nested 200 000 arrays deep overflows the PDF decoder's stack: the decoder runs in a child process
/// under limits, so the run gives one plain error naming the file (exit 2), never an abort.
#[test]
fn a_pdf_that_breaks_the_decoder_is_one_plain_error() {
    let depth = 200_000;
    let content = format!("BT /F1 12 Tf 10 10 Td {}(x){} TJ ET", "[".repeat(depth), "]".repeat(depth));
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("syva.pdf"), pdf).unwrap();
    let out = run_in(dir.path(), &["extract", "syva.pdf"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: syva.pdf: not a readable PDF"), "{err}");
}

/// A PDF of more pages than `[limits] pdf_pages` is refused by the decoder's child before any page is decoded
/// (10 000 pages took 23 s), in one plain line; within the limit it reads.
#[test]
fn a_pdf_past_the_page_limit_is_refused_before_its_pages_are_read() {
    let pages = 12;
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages).map(|k| format!("{} 0 R", 4 + k)).collect::<Vec<_>>().join(" ")
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let content = "BT /F1 12 Tf 72 720 Td (Toimintatuotot 100 90) Tj ET";
    for _ in 0..pages {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
            4 + pages
        ));
    }
    objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sivut.pdf"), pdf).unwrap();
    std::fs::write(dir.path().join("p.toml"), "[limits]\npdf_pages = 10\n").unwrap();
    let out = run_in(dir.path(), &["extract", "--config", "p.toml", "sivut.pdf"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim(),
        "error: sivut.pdf: 12 pages, more than the 10 a PDF may have ([limits] pdf_pages raises the limit)"
    );
    // The default limit lets it through (it has no budget table: that is the answer).
    let out = run_in(dir.path(), &["extract", "sivut.pdf"]);
    assert!(stderr(&out).contains("no budget table found"), "{}", stderr(&out));
}
