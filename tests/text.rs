//! Reports as text: tables found in running text, figures grouped into columns by the digit rules, the
//! spacing and the table's arithmetic, every figure traced to `file:line`. Fixtures in tests/fixtures/text/
//! are our own text around the seed documents' tables (labels and figures); the seeds themselves are read
//! where ../shared/seeds/ is present.

mod common;
use common::*;
use std::collections::BTreeSet;

fn seed_rows(file: &str) -> BTreeSet<Key> {
    let mut rd = csv::Reader::from_path(root(file)).unwrap();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].into(), r[3].into(), r[4].into(), r[5].into(), r[6].into())
        })
        .collect()
}

/// The printed figures `extract` finds (stand-ins summed from sub-rows aside), with their sources.
fn extract(files: &[&str]) -> Vec<(String, Key)> {
    let mut args = vec!["extract", "--org", "inputs/organisaatio.toml"];
    args.extend_from_slice(files);
    let out = run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    parse_extract(&stdout(&out)).into_iter().filter(|(src, _)| !src.ends_with(')')).collect()
}

#[test]
fn space_separated_tables_with_headers_over_many_lines() {
    let file = "tests/fixtures/text/tilinpaatos_2024_rivit.txt";
    let rows = extract(&[file]);
    let got: BTreeSet<Key> = rows.iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(got.len(), rows.len(), "no figure twice");
    assert_eq!(rows.len(), 77, "15 rows of the department, 7 of the area");
    let seed = seed_rows("seeds/seed_001_tp2024.csv");
    assert!(got.is_subset(&seed), "{:?}", got.difference(&seed).collect::<Vec<_>>());
    // Blank columns kept by a double space; a wider gap that is no blank column; "1 1" alone in a row.
    let k = "Kaupunginkansliakeskus";
    for want in [
        key(k, "henkilostokulut", "ta", 2024, "-1935039"),
        key(k, "henkilostokulut", "poikkeama", 2024, "160157"),
        key(k, "palvelujen_ostot", "tp", 2024, "-1904647"),
        key(k, "muut_toimintatuotot", "tp", 2024, "1"),
        key(k, "muut_toimintatuotot", "poikkeama", 2024, "1"),
        key("Talous- ja henkilöstöpalvelut", "poistot_ja_arvonalentumiset", "tp", 2024, "-25811"),
    ] {
        assert!(got.contains(&want), "{want:?}");
    }
    assert!(!got.iter().any(|g| g.1 == "maksutuotot"), "a row without figures has none");
    // Each figure names its line.
    let src = |item: &str, sc: &str| rows.iter().find(|(_, g)| g.0 == k && g.1 == item && g.2 == sc).unwrap().0.clone();
    assert_eq!(src("henkilostokulut", "ta"), format!("{file}:40"));
    assert_eq!(src("sisaiset_erat", "poikkeama"), format!("{file}:56"));
}

#[test]
fn tab_separated_tables_with_html_remnants() {
    let rows = extract(&["tests/fixtures/text/talousarvio_2023_sarkaimin.txt"]);
    let got: BTreeSet<Key> = rows.iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(rows.len(), 55);
    let seed = seed_rows("seeds/seed_003_ta2023.csv");
    assert!(got.is_subset(&seed), "{:?}", got.difference(&seed).collect::<Vec<_>>());
    assert!(got.contains(&key("Kaupunginkansliakeskus", "poistot_ja_arvonalentumiset", "tp", 2021, "-18783")));
    assert!(got.contains(&key("Kaupunginkansliakeskus", "henkilostokulut", "ts", 2025, "-2015169")));
}

#[test]
fn text_tables_are_checked_like_workbooks() {
    let out = run(&[
        "validate",
        "--format",
        "json",
        "--org",
        "inputs/organisaatio.toml",
        "tests/fixtures/text/tilinpaatos_2024_rivit.txt",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut errors: Vec<(String, String, String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" && f["rule"] != "rollup")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("rule"), s("unit"), s("line_item"), s("scenario"), s("difference"))
        })
        .collect();
    errors.sort();
    let e = |r: &str, u: &str, li: &str, sc: &str, d: &str| (r.into(), u.into(), li.into(), sc.into(), d.into());
    assert_eq!(
        errors,
        [
            e("poikkeama", "Kaupunginkansliakeskus", "sisaiset_erat", "poikkeama", "-3390"),
            e("sum", "Talous- ja henkilöstöpalvelut", "toimintakate", "poikkeama", "-10"),
            e("sum", "Talous- ja henkilöstöpalvelut", "toimintakate", "tp", "-10"),
        ]
    );
}

#[test]
fn a_row_that_splits_more_than_one_way_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Keskus\n\nTALOUSSUUNNITELMA 2025\nTALOUSSUUNNITELMA 2026\n\nMyyntituotot 1 000 200\n";
    std::fs::write(dir.path().join("ts.txt"), text).unwrap();
    let out = run_in(dir.path(), &["extract", "--strict", "ts.txt"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(
            "ts.txt:6: row \"Myyntituotot\" not read: the figures \"1 000 200\" can be read into the 2 columns in more than one way"
        ),
        "{err}"
    );
    // Without --strict the row is a warning naming the line and its candidates, and nothing is read of it.
    let out = run_in(dir.path(), &["extract", "ts.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("ts.txt:6: row \"Myyntituotot\" not read: the figures"), "{}", stderr(&out));
    assert!(parse_extract(&stdout(&out)).is_empty());
    assert!(err.contains("1000 | 200") && err.contains("1000200 | –"), "{err}");
}

/// Seeds 001 and 003 themselves, where the shared folder is present: every figure of their tables, exactly,
/// and the same eleven errors the workbooks give.
#[test]
fn the_seed_documents_themselves() {
    let dir = root("../shared/seeds");
    let find = |prefix: &str| {
        std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
    };
    let (Some(s1), Some(s3)) = (find("001_"), find("003_")) else {
        eprintln!("../shared/seeds not present: skipped");
        return;
    };
    let (c1, c3) = (s1, s3);
    let rows = extract(&[c1.to_str().unwrap(), c3.to_str().unwrap()]);
    let got: BTreeSet<Key> = rows.iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(got, seed_figures());
    assert_eq!(rows.len(), 206);
    let out = run(&[
        "validate",
        "--format",
        "json",
        "--org",
        "inputs/organisaatio.toml",
        c1.to_str().unwrap(),
        c3.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let errors = v["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(errors, 11);
}

/// A PDF printed by LibreOffice Writer from the space-separated fixture: the same figures, each at its
/// page and line.
#[test]
fn a_pdf_reads_as_its_text_with_page_and_line() {
    let pdf = extract(&["tests/fixtures/text/tilinpaatos_2024_rivit.pdf"]);
    let txt = extract(&["tests/fixtures/text/tilinpaatos_2024_rivit.txt"]);
    let keys = |rows: &[(String, Key)]| rows.iter().map(|(_, k)| k.clone()).collect::<BTreeSet<Key>>();
    assert_eq!(keys(&pdf), keys(&txt));
    assert_eq!(pdf.len(), 77);
    let (src, _) = pdf.iter().find(|(_, k)| k.1 == "henkilostokulut" && k.2 == "ta").unwrap();
    assert!(src.starts_with("tests/fixtures/text/tilinpaatos_2024_rivit.pdf:1:"), "{src}");
}

/// A damaged PDF, or one the text extraction chokes on, is one clear error naming the file (exit 2), never a
/// crash: the fixture with bytes flipped at random.
#[test]
fn damaged_pdfs_are_one_clear_error() {
    use proptest::prelude::*;
    let original = std::fs::read(root("tests/fixtures/text/tilinpaatos_2024_rivit.pdf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 24, ..ProptestConfig::default() });
    let flips = proptest::collection::vec((0..original.len(), any::<u8>()), 1..12);
    runner
        .run(&flips, |flips| {
            let mut bytes = original.clone();
            for (at, b) in flips {
                bytes[at] = b;
            }
            let path = dir.path().join("x.pdf");
            std::fs::write(&path, &bytes).unwrap();
            let out = run_in(dir.path(), &["extract", "x.pdf"]);
            let err = stderr(&out);
            prop_assert!(matches!(code(&out), 0 | 2), "exit {:?}: {}", out.status, err);
            prop_assert!(!err.contains("panicked"), "{}", err);
            if code(&out) == 2 {
                prop_assert!(err.lines().all(|l| l.starts_with("error: x.pdf")), "{}", err);
            }
            Ok(())
        })
        .unwrap();
}

/// A narrow word-processor table printed to PDF: figures are placed by their glyphs' positions under the
/// header's columns (the blank changes column included), wrapped labels and headers broken mid-word are
/// joined, on a page with left-aligned headers and one with centred headers. Every figure equals the text
/// fixture's, each at its page and line.
#[test]
fn a_narrow_table_pdf_is_read_by_glyph_positions() {
    let pdf = extract(&["tests/fixtures/text/tilinpaatos_2024_kapea.pdf"]);
    let txt = extract(&["tests/fixtures/text/tilinpaatos_2024_rivit.txt"]);
    let keys = |rows: &[(String, Key)]| rows.iter().map(|(_, k)| k.clone()).collect::<BTreeSet<Key>>();
    assert_eq!(pdf.len(), 77);
    assert_eq!(keys(&pdf), keys(&txt));
    let find = |unit: &str, item: &str, scenario: &str| {
        pdf.iter()
            .find(|(_, k)| k.0 == unit && k.1 == item && k.2 == scenario)
            .unwrap_or_else(|| panic!("{unit} {item}"))
    };
    // "1 1" alone in a row: by position the actuals and the variance, not the budget columns.
    let (src, k) = find("Kaupunginkansliakeskus", "muut_toimintatuotot", "tp");
    assert_eq!(k.4, "1");
    assert!(src.starts_with("tests/fixtures/text/tilinpaatos_2024_kapea.pdf:1:"), "{src}");
    assert!(!pdf.iter().any(|(_, k)| k.1 == "muut_toimintatuotot" && k.2 == "ta"));
    // A label over two lines with its figures on the middle line.
    assert_eq!(find("Kaupunginkansliakeskus", "poistot_ja_arvonalentumiset", "tp").1 .4, "-44594");
    // Page 2: centred headers, figures on the label's first line.
    let (src, k) = find("Talous- ja henkilöstöpalvelut", "laskennalliset_erat", "poikkeama");
    assert_eq!(k.4, "177302");
    assert!(src.starts_with("tests/fixtures/text/tilinpaatos_2024_kapea.pdf:2:"), "{src}");
}

/// Report text of header words alone, line after line, is read in time linear in its lines: each header block
/// spans at most 40 lines (every line started a scan to the end of the file before: 2 000 lines took minutes).
/// The bound is checked by its effect on what is read, not by a clock: 3 000 such lines give no table.
#[test]
fn header_words_alone_make_no_table_and_no_endless_scan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("otsikot.txt"), "TA 2024 TP 2024 Muutokset\n".repeat(3000)).unwrap();
    let out = run_in(dir.path(), &["extract", "otsikot.txt"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("otsikot.txt"), "{}", stderr(&out));
}

/// A report text is bounded by its lines and a table by its rows (`[limits] text_lines`, `table_rows`): past
/// them the file is refused in one line naming the limit, before anything is held per line (a 64 MB text of
/// three million rows under one header took 30 s and 1.5 GB).
#[test]
fn text_lines_and_table_rows_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), "[limits]\ntable_rows = 100\ntext_lines = 1000\n").unwrap();
    let table = |rows: usize| format!("KESKUS\n\n\tTA 2024\tTP 2024\n{}", "Toimintatuotot\t100\t90\n".repeat(rows));
    std::fs::write(dir.path().join("rivit.txt"), table(150)).unwrap();
    let out = run_in(dir.path(), &["extract", "--config", "p.toml", "rivit.txt"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out).trim(),
        "error: rivit.txt:104: the table goes on past 100 rows, more than any budget table has (a ledger export is \
         read as CSV); [limits] table_rows raises the limit"
    );
    std::fs::write(dir.path().join("rivit.txt"), table(1200)).unwrap();
    let out = run_in(dir.path(), &["extract", "--config", "p.toml", "rivit.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("rivit.txt: 1203 lines of text, more than the 1000"), "{}", stderr(&out));
    // Within the limits it reads.
    std::fs::write(dir.path().join("rivit.txt"), table(1)).unwrap();
    assert_eq!(code(&run_in(dir.path(), &["extract", "--config", "p.toml", "rivit.txt"])), 0);
}
