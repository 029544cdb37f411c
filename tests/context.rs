//! A table's year, unit and money unit from the document around it, each with its evidence; yearless columns
//! never borrow a neighbour's year; headings never units; a part of a year never the year's actuals.

mod common;
use common::*;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The commonest execution layout has no year in its columns; the report's title says it. A `TP 2023`
/// column beside them keeps its own year and lends it to none.
#[test]
fn yearless_columns_take_the_documents_year_never_a_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Esimerkkikunta\nTilinpäätös 2024\n\nKeskus\n\
        \tTP 2023\tAlkuperäinen TA\tTA muutokset\tTA muutosten jälkeen\tToteutuma\tPoikkeama\n\
        Toimintatuotot\t90\t100\t10\t110\t120\t10\n\
        Toimintakulut\t-400\t-500\t-20\t-520\t-510\t10\n\
        Toimintakate\t-310\t-400\t-10\t-410\t-390\t20\n";
    write(dir.path(), "kertomus.txt", text);
    let out = run_in(dir.path(), &["extract", "kertomus.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    assert_eq!(rows.len(), 18);
    let years =
        |sc: &str| -> Vec<String> { rows.iter().filter(|(_, k)| k.2 == sc).map(|(_, k)| k.3.clone()).collect() };
    assert!(years("tp").iter().filter(|y| *y == "2023").count() == 3, "{rows:?}");
    assert!(years("tp").iter().filter(|y| *y == "2024").count() == 3, "{rows:?}");
    for sc in ["ta", "ta_muutokset", "ta_muutettu", "poikkeama"] {
        assert!(years(sc).iter().all(|y| y == "2024"), "{sc}: {rows:?}");
    }
    // --explain says where the year came from.
    let out = run_in(dir.path(), &["extract", "--explain", "kertomus.txt"]);
    let explain = stdout(&out);
    // Places are the file's own: the title on line 2, the header on line 5 (never a grid's cell).
    assert!(explain.contains("year: 2024 (from the table's title \"Tilinpäätös 2024\" (line 2))"), "{explain}");
    assert!(explain.contains("column line 5 \"TP 2023\": tp 2023"), "{explain}");
    assert!(explain.contains("\"ALKUPERÄINEN TA\": ta 2024 (year from the table's title"), "{explain}");
    assert!(explain.contains("\"TP 2023\": tp 2023 (year from its header)"), "{explain}");
}

/// When nothing says the year, the columns are not read and the warning says to give it; `--year` gives it,
/// and the file's name does before that.
#[test]
fn without_a_year_nothing_is_read_until_one_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Keskus\n\tAlkuperäinen TA\tToteutuma\tPoikkeama\nToimintakate\t-400\t-390\t10\n";
    write(dir.path(), "raportti.txt", text);
    let out = run_in(dir.path(), &["extract", "raportti.txt"]);
    assert_eq!(code(&out), 2, "no figure read is no budget table: {}", stderr(&out));
    assert!(stderr(&out).contains("raportti.txt: no budget table found; the nearest candidates: line 2: its columns (Talousarvio, Tilinpäätös, Poikkeama) have no year"), "{}", stderr(&out));
    assert!(stderr(&out).contains("give it with --year"), "{}", stderr(&out));
    let out = run_in(dir.path(), &["extract", "--year", "2024", "raportti.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(parse_extract(&stdout(&out)).iter().filter(|(_, k)| k.3 == "2024").count(), 3);
    write(dir.path(), "raportti_tp2025.txt", text);
    let out = run_in(dir.path(), &["extract", "--year", "2024", "--explain", "raportti_tp2025.txt"]);
    assert!(stdout(&out).contains("year: 2025 (from the file's name \"raportti_tp2025.txt\")"), "{}", stdout(&out));
}

/// Section headings and line-item words are never units: under an org file the table belongs to the unit
/// named above it, or to the org's only root; a code-prefixed name in capitals is the org's unit.
#[test]
fn headings_are_never_units() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "org.toml",
        "name = \"Kunta\"\n[[unit]]\nname = \"Kunta\"\n[[unit]]\nname = \"100 Vaalit\"\nparent = \"Kunta\"\n",
    );
    let text = "Tilinpäätös 2024\n\nULKOINEN TULOSLASKELMA\n\tTA\tTP\nToimintatuotot\t10\t12\n\
        Toimintakulut\t-30\t-31\nToimintakate\t-20\t-19\n\n\
        Tulosalue 100 VAALIT\n\tTA\tTP\nToimintakate\t-5\t-4\n";
    write(dir.path(), "t.txt", text);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "t.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    let units: std::collections::BTreeSet<&str> = rows.iter().map(|(_, k)| k.0.as_str()).collect();
    assert_eq!(units.into_iter().collect::<Vec<_>>(), ["100 Vaalit", "Kunta"]);
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "--explain", "t.txt"]);
    assert!(stdout(&out).contains("unit: Kunta (from the org file's only root (no title names a unit))"));
    assert!(stdout(&out).contains("unit: 100 Vaalit (from the title \"Tulosalue 100 VAALIT\")"));
}

/// A column of actuals to date is not the year's actuals: read as actuals to date (issue 21), with its period;
/// its forecast column beside it is read as the forecast.
#[test]
fn part_of_a_year_is_never_the_years_actuals() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Keskus\n\tTA 2024\tTA-muutokset\tTOTEUMA 1-8/2024\tENNUSTE 2024\n\
        Toimintakate\t-1000\t-50\t-700\t-1100\n";
    write(dir.path(), "osavuosi.txt", text);
    let out = run_in(dir.path(), &["extract", "osavuosi.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    assert!(rows.iter().all(|(_, k)| k.2 != "tp"), "{rows:?}");
    let get = |sc: &str| rows.iter().find(|(_, k)| k.1 == "toimintakate" && k.2 == sc).map(|(_, k)| k.4.clone());
    assert_eq!(get("toteuma_kausi").as_deref(), Some("-700"), "{rows:?}");
    assert_eq!(get("ennuste").as_deref(), Some("-1100"), "{rows:?}");
    let out = run_in(dir.path(), &["extract", "--explain", "osavuosi.txt"]);
    assert!(stdout(&out).contains("actuals to date (months 1–8): read as actuals to date"), "{}", stdout(&out));
}

/// Scenarios as rows with costs printed positive (the layout of many towns' execution tables), in report
/// text: the reports' signs, the changes' sum, said once for the table.
#[test]
fn scenarios_as_rows_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Tilinpäätös 2024\n\nKeskus\nTalous\tTalousarvio €\tToteutuma €\tPoikkeama €\n\
        Toimintatulot Alkuperäinen\t420 000\t\t\n\
        Yhteensä\t420 000\t368 762\t-51 238\n\
        Toimintamenot Alkuperäinen\t192 100\t\t\n\
        Kv 22.4. §26 Muutos\t-4 000\t\t\n\
        Kv 9.12. §98 Muutos\t3 100\t\t\n\
        Yhteensä\t191 200\t203 437\t-12 237\n\
        Netto (Toimintakate)\t228 800\t165 325\t-63 475\n";
    write(dir.path(), "rivit.txt", text);
    let out = run_in(dir.path(), &["extract", "rivit.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: std::collections::BTreeSet<Key> = parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).collect();
    for k in [
        key("Keskus", "toimintakulut", "ta", 2024, "-192100"),
        key("Keskus", "toimintakulut", "ta_muutokset", 2024, "900"),
        key("Keskus", "toimintakulut", "ta_muutettu", 2024, "-191200"),
        key("Keskus", "toimintakulut", "tp", 2024, "-203437"),
        key("Keskus", "toimintakulut", "poikkeama", 2024, "-12237"),
        key("Keskus", "toimintatuotot", "ta_muutettu", 2024, "420000"),
        key("Keskus", "toimintakate", "tp", 2024, "165325"),
    ] {
        assert!(got.contains(&k), "{k:?} in {got:?}");
    }
    assert!(stderr(&out).contains("the table prints costs positive"), "{}", stderr(&out));
    let out = run_in(dir.path(), &["validate", "rivit.txt"]);
    assert_eq!(code(&out), 0, "the table's arithmetic holds: {}", stdout(&out));
}
