//! The bad-input corpus (tests/bad_inputs/, written by make.py there): each hostile or unlucky file gets
//! its answer — exit 0, 1 or 2 and a line that names the file and the cell or line in the user's terms —
//! with bounded memory (the far cells and the zip bomb are refused before anything is allocated). FIFOs,
//! devices, deep org files and runs that must write are in extract.rs, validate.rs and run.rs.

mod common;
use common::*;

/// (file, exit code, what stderr must say).
const CASES: &[(&str, i32, &str)] = &[
    ("far_cell.xlsx", 2, "cell XFD1048576: this cell makes the sheet's used range 17179869184 cells"),
    ("far_row.xlsx", 2, "cell Z1048576: this cell makes the sheet's used range 27262976 cells"),
    ("shared_strings_2e9.xlsx", 2, "it declares 2000000000 shared strings, more than the 2000000"),
    ("zip_bomb.xlsx", 2, "it unpacks to 600 MB, more than the 512 MB a workbook may"),
    ("huge_figure.xlsx", 2, "cell B3: 50000000000000000000000000000 is beyond any budget"),
    ("float_max_figure.xlsx", 2, "cell B3: 1e308, beyond any budget"),
    // A row that cannot be read is a warning naming its cell (with --strict an error: tests/extract.rs).
    ("dates_and_booleans.xlsx", 0, "cell B3: riviä \"Toimintatuotot\" ei luettu: päivämäärä (45352) ei ole luku"),
    ("html_page.xls", 2, "it is an HTML page, not a workbook"),
    ("truncated.xlsx", 2, "a damaged or truncated .xlsx/.ods"),
    (
        "calamine_panic.xlsx",
        2,
        "calamine_panic.xlsx: not a readable workbook (.xlsx, .xlsm, .xls, .xlsb, .ods): the file is damaged",
    ),
    (
        "cfb_sector_table_repeats.xlsx",
        2,
        "it is a damaged Excel 97–2003 file: its header lists 49 sectors of its sector table, more than the 18 sectors",
    ),
    (
        "cfb_directory_loop.xls",
        2,
        "it is a damaged Excel 97–2003 file: the chain of the directory loops back to sector 1",
    ),
    ("empty.xlsx", 2, "the file is empty"),
    ("no_table.xlsx", 2, "no budget table found"),
    ("not_really.pdf", 2, "not a readable PDF"),
    ("parquet_beyond_end.parquet", 2, "the file is damaged (row group 1 lies beyond its 2433 bytes)"),
    ("parquet_negative_page_count.parquet", 2, "the file is damaged (row group 1: a page claims"),
    (
        "parquet_footer_bool_list.parquet",
        2,
        "the file is damaged (its metadata: field 3 of statistics is declared with type 9, where Parquet has an \
         integer)",
    ),
    (
        "parquet_footer_bool_list_skip.parquet",
        2,
        "the file is damaged (its metadata: a list of booleans, which no Parquet structure has)",
    ),
    ("ledger_bad_amount.csv", 2, "ledger_bad_amount.csv:3: column \"talousarvio\": \"abc\" is not an amount"),
    ("formulas_without_results.xlsx", 0, "2 lukusolussa on kaava ilman tallennettua tulosta (D3, F3)"),
    ("unknown_labels.xlsx", 0, "cell A4: tuntematon rivin nimi \"Kahvikassan saldo\": riviä ei luettu"),
    ("duplicate_tables.xlsx", 1, "tilinpäätös 2024 on annettu useammin kuin kerran eri luvuin: 90"),
    ("windows_1252.txt", 0, ""),
    // The second torture run's (issue 22): an escape sequence and a bell in a label, shown, never acted on.
    ("control_chars.txt", 0, "tuntematon rivin nimi \"Kahvi\\u{1b}[31m kassa\\u{7}\""),
    // Found by the text fuzz target (third round): a row of four figures under 80 columns, 1.7 million placings.
    (
        "text_row_many_columns.txt",
        0,
        "text_row_many_columns.txt:20: riviä \"Aineet, tarvikkeet ja tavarat\" ei luettu: luvut \"-63 650  -63 652\" \
         voi lukea 80 sarakkeeseen usealla tavalla",
    ),
    ("decimals_28.txt", 2, "decimals_28.txt:4: a figure with more than 18 decimals cannot be checked exactly"),
    (
        "ledger_overflow.csv",
        2,
        "ledger_overflow.csv:2: column \"talousarvio\": \"79228162514264337593543950335\" is beyond any budget (more \
         than 10^15 €): check the amounts (2 rows in all)",
    ),
    (
        "ledger_decimal_max_two_accounts.csv",
        2,
        "ledger_decimal_max_two_accounts.csv:2: column \"talousarvio\": \"79228162514264337593543950335\" is beyond \
         any budget (more than 10^15 €): check the amounts (2 rows in all)",
    ),
    (
        "ledger_stray_quote.csv",
        2,
        "ledger_stray_quote.csv:2: column \"talousarvio\": a quote (\") opens here and is not closed on this line, so \
         the 2 lines after it read as one cell",
    ),
];

#[test]
fn every_bad_input_gets_its_answer() {
    let listed: Vec<String> = std::fs::read_dir(root("tests/bad_inputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "make.py" && n != "README.md")
        .collect();
    for name in &listed {
        assert!(CASES.iter().any(|c| c.0 == name), "{name} is in the corpus without a case");
    }
    for (file, exit, says) in CASES {
        let path = format!("tests/bad_inputs/{file}");
        let out = run(&["validate", "--org", "inputs/organisaatio.toml", &path]);
        let (err, all) = (stderr(&out), format!("{}{}", stderr(&out), stdout(&out)));
        assert_eq!(code(&out), *exit, "{file}: {all}");
        assert!(all.contains(says), "{file}: expected {says:?} in\n{all}");
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{file}: {err}");
        assert!(all.chars().all(|c| !c.is_control() || c == '\n'), "{file}: no control characters: {all:?}");
        if *exit == 2 {
            assert!(
                err.lines().all(|l| l.starts_with(&format!("error: {path}"))),
                "{file}: one line per problem, naming the file: {err}"
            );
            assert!(err.chars().all(|c| !c.is_control() || c == '\n'), "{file}: no control characters");
        }
    }
}

/// The Windows-1252 text reads to its figures, its letters intact.
#[test]
fn windows_1252_text_reads_exactly() {
    let out = run(&["extract", "--org", "inputs/organisaatio.toml", "tests/bad_inputs/windows_1252.txt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = parse_extract(&stdout(&out));
    assert_eq!(rows.len(), 8);
    assert!(rows
        .iter()
        .any(|(_, k)| k.0 == "Kaupunginkansliakeskus" && k.1 == "henkilostokulut" && k.2 == "tp" && k.4 == "-1774883"));
}

/// Limits come from `[limits]` in poikkeama.toml: a lower one refuses a workbook the default lets through.
#[test]
fn limits_are_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("poikkeama.toml");
    let input = root("inputs/kaupunginkansliakeskus_tp2024.xlsx");
    std::fs::write(
        &cfg,
        format!(
            "inputs = [{:?}]\norg = {:?}\nout = \"o\"\n[limits]\nsheet_cells = 100\n",
            input.to_str().unwrap(),
            root("inputs/organisaatio.toml").to_str().unwrap()
        ),
    )
    .unwrap();
    let out = run_in(dir.path(), &["run", "--config", "poikkeama.toml"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("more than the 100 a sheet may have ([limits] sheet_cells)"), "{}", stderr(&out));
    assert!(!dir.path().join("o").exists(), "nothing written");
    std::fs::write(&cfg, "[limits]\nsheet_cels = 100\n").unwrap();
    let out = run_in(dir.path(), &["run", "--config", "poikkeama.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("sheet_cells"), "a misspelt key is named with the one meant: {}", stderr(&out));
}
