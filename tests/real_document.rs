//! A city's whole published year-end report, read as it comes: Seinäjoen kaupunki, tilinpäätös 2024, 189
//! pages (tests/fixtures/real/seinajoki/README.md: where it came from, and the answer key transcribed from it
//! page by page, independently of this code). The PDF and its page text (`pdftotext -layout`) are read end to
//! end; every figure of the operating tables they read must be the key's, the arithmetic gives no error it
//! does not have, and every other table is accounted for.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

const DIR: &str = "tests/fixtures/real/seinajoki";

/// The key's row: page, table id, (unit, item, scenario, year), amount, decision.
struct KeyRow {
    page: String,
    table: String,
    key: (String, String, String, String),
    amount: String,
    decision: String,
}

fn answer_key() -> Vec<KeyRow> {
    let mut rd = csv::Reader::from_path(root(&format!("{DIR}/seinajoki_tp2024.expected.csv"))).unwrap();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            KeyRow {
                page: r[0].into(),
                table: r[1].into(),
                key: (r[2].into(), r[3].into(), r[4].into(), r[5].into()),
                amount: r[6].into(),
                decision: r[8].into(),
            }
        })
        .collect()
}

/// The page a source names: `file.pdf:81:7` → 81; a stand-in `file.pdf:(142:17+142:18)` → 142.
fn page_of(source: &str) -> String {
    let rest = source.rsplit_once(".pdf:").or_else(|| source.rsplit_once(".txt:")).map_or("", |(_, r)| r);
    rest.trim_start_matches('(').split(':').next().unwrap_or("").to_string()
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// (unit, item, scenario, year, page) → the amounts read there.
type ByPage = BTreeMap<(String, String, String, String, String), Vec<String>>;

/// Reads `file` with the city's org file: its figures by (unit, item, scenario, year, page), their sources
/// and its stderr.
fn read(file: &str) -> (ByPage, Vec<String>, String) {
    let out = run(&["extract", "--org", &format!("{DIR}/seinajoki.org.toml"), &format!("{DIR}/{file}")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut by_key = ByPage::new();
    let mut sources = Vec::new();
    for (source, (unit, item, scenario, year, amount)) in parse_extract(&stdout(&out)) {
        // The statutory income statement gives the city's external items (beside 8.2's external and internal
        // ones): read as "Seinäjoen kaupunki (ulkoinen)"; the key names the city.
        let unit = unit.strip_suffix(" (ulkoinen)").map_or(unit.clone(), str::to_string);
        by_key.entry((unit, item, scenario, year, page_of(&source))).or_default().push(amount);
        sources.push(source);
    }
    (by_key, sources, stderr(&out))
}

/// Checks the figures read against the key: every key figure of `tables` read exactly, at its page; no
/// figure read that the key gives differently; figures beyond the key only stand-ins (sums of printed
/// sub-rows, named by their cells). Returns how many key figures were compared.
fn check_against_key(file: &str, tables: &dyn Fn(&str) -> bool) -> usize {
    let key = answer_key();
    let (got, sources, _) = read(file);
    let mut compared = 0;
    let mut wanted: BTreeSet<(String, String, String, String, String)> = BTreeSet::new();
    for row in key.iter().filter(|r| r.key.1 != "-" && r.key.2 != "ta_muutos") {
        let k = (row.key.0.clone(), row.key.1.clone(), row.key.2.clone(), row.key.3.clone(), row.page.clone());
        wanted.insert(k.clone());
        let read = got.get(&k);
        // A table not expected to be read may still be, in part: never with another figure.
        if tables(&row.table) && read.is_none() {
            panic!("{file}: {} p. {}: {:?} = {} not read", row.table, row.page, row.key, row.amount);
        }
        if let Some(read) = read {
            let same = read.iter().all(|a| dec(a) == dec(&row.amount));
            assert!(same, "{file}: {:?} p. {}: key {}, read {read:?}", row.key, row.page, row.amount);
            compared += usize::from(tables(&row.table));
        }
    }
    for (k, amounts) in &got {
        if !wanted.contains(k) {
            // Stand-ins (sums of printed sub-rows) and the separated statements of the city's business units
            // (section 13, units of their own), which the key leaves out.
            let stand_in = sources.iter().filter(|s| page_of(s) == k.4).any(|s| s.contains('('))
                && ["henkilostokulut", "henkilosivukulut"].contains(&k.1.as_str());
            let business_unit =
                ["Ravintolapalvelu", "Tuotemyynti", "Tukipalvelut", "Vuokraustoiminta"].contains(&k.0.as_str());
            assert!(stand_in || business_unit, "{file}: {k:?} = {amounts:?} read but not in the key");
        }
    }
    compared
}

/// The 8.1 tables (590 Nuorisopalvelut's among them, whose "Toteutuma €" heading is missing from the page: its
/// column is the actuals by the table's own arithmetic) and 8.2.
fn read_by_pdf(table: &str) -> bool {
    table.starts_with("8.1-") || table == "8.2-tuloslaskelmaosa"
}

/// The income statement (section 9 and its reprint in 1.4): its items' figures and its groups' totals stand
/// in two columns under each year, its groups a blank line apart, its title running past its labels.
fn income_statement(table: &str) -> bool {
    ["9-tuloslaskelma", "1.4-tuloslaskelma"].contains(&table)
}

#[test]
fn the_pdf_gives_every_operating_table_figure_exactly() {
    let compared = check_against_key("seinajoki_tilinpaatos_2024.pdf", &|t: &str| {
        read_by_pdf(t) || income_statement(t) || t == "8.5-kayttotalousosa" || t == "3.1-tuloslaskelma-1000e"
    });
    // 27 result areas' 8.1 tables (the changes' sums included), the 8.2 table's operating rows, the two
    // printings of the income statement's, the 8.5 summary of every result area (in 1 000 €) and the income
    // statement in 1 000 € (section 3.1): every operating figure of the key.
    assert_eq!(compared, 342 + 71 + 30 + 30 + 266 + 8, "figures compared");
    assert_eq!(compared, answer_key().iter().filter(|r| r.key.1 != "-" && r.key.2 != "ta_muutos").count());
}

/// The same document as `pdftotext -layout` prints it: read by position as the PDF is. pdftotext sets some
/// tables' blocks of rows off their headings by a few characters each (proportional print in fixed-width
/// characters): a block's full row (a figure in every column) lays out the block's other rows.
#[test]
fn its_page_text_gives_the_same_figures() {
    let compared = check_against_key("seinajoki_tilinpaatos_2024.txt", &|t: &str| {
        read_by_pdf(t) || income_statement(t) || t == "3.1-tuloslaskelma-1000e"
    });
    // All of the PDF's but the 8.5 summary.
    assert_eq!(compared, 342 + 71 + 30 + 30 + 8, "figures compared");
}

/// Every budget change is read with its council decision, its amount in the reports' signs (a cut of planned
/// costs, printed −4 000, is +4 000), and the item's TA-muutokset is their sum, traced to their cells.
#[test]
fn budget_changes_keep_their_decisions() {
    let out = run(&[
        "extract",
        "--explain",
        "--org",
        &format!("{DIR}/seinajoki.org.toml"),
        &format!("{DIR}/seinajoki_tilinpaatos_2024.pdf"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let explain = stdout(&out);
    let changes: BTreeSet<(String, String, String, String)> = explain
        .lines()
        .filter_map(|l| l.trim().strip_prefix("change: page "))
        .map(|l| {
            // "81, line 7 toimintatuotot -1000000 \"Kv 27.5. §45\""
            let (page, rest) = l.split_once(", line ").unwrap();
            let mut parts = rest.splitn(3, ' ');
            let (_line, item, rest) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
            let (amount, decision) = rest.split_once(' ').unwrap();
            (page.to_string(), item.to_string(), amount.to_string(), decision.trim_matches('"').to_string())
        })
        .collect();
    let key: BTreeSet<(String, String, String, String)> = answer_key()
        .into_iter()
        .filter(|r| r.key.2 == "ta_muutos")
        .map(|r| (r.page, r.key.1, r.amount, r.decision))
        .collect();
    assert_eq!(key.len(), 108);
    assert_eq!(changes, key);
}

/// The arithmetic of what is read: the book's real inconsistencies, each once, and no other error.
/// - 8.5 prints 690 Ympäristöterveydenhuolto's revenue variance 0 and 700 Elinvoima's −203 (thousand) where
///   8.1 has 581 156 and 173 644 (the key's README): "given twice with different figures".
/// - The city's 8.2 revenues and costs are not the sums of its result areas' (8.1, and 8.5 for 890): the
///   README's 8.2 − Σ 8.1 of +142 908 (revenues) and −6 358 (costs) less 890's 390 and −253 thousand, 247 092 €
///   and 246 642 € apart in the actuals (the margin agrees: the README's "reconcile only net").
///
/// Everything else holds: 8.5's thousands agree with 8.1's euros within their rounding, the 8.2 table's
/// one-euro gaps are rounding (info).
#[test]
fn the_books_real_inconsistencies_and_no_false_error() {
    let out = run(&[
        "validate",
        "--format",
        "json",
        "--org",
        &format!("{DIR}/seinajoki.org.toml"),
        &format!("{DIR}/seinajoki_tilinpaatos_2024.pdf"),
    ]);
    assert_eq!(code(&out), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let all = v["findings"].as_array().unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let mut errors: Vec<(String, String, String, String, String)> = all
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (s(&f["rule"]), s(&f["unit"]), s(&f["line_item"]), s(&f["scenario"]), s(&f["difference"])))
        .collect();
    errors.sort();
    let e = |r: &str, u: &str, li: &str, sc: &str, d: &str| (r.into(), u.into(), li.into(), sc.into(), d.into());
    let mut want = vec![
        e("duplicate", "690 Ympäristöterveydenhuolto", "toimintatuotot", "poikkeama", "-581156"),
        e("duplicate", "700 Elinvoima", "toimintatuotot", "poikkeama", "-376644"),
        e("rollup", "Seinäjoen kaupunki", "toimintatuotot", "tp", "-247092"),
        e("rollup", "Seinäjoen kaupunki", "toimintatuotot", "poikkeama", "-247092"),
        e("rollup", "Seinäjoen kaupunki", "toimintakulut", "tp", "246642"),
        e("rollup", "Seinäjoen kaupunki", "toimintakulut", "poikkeama", "246642"),
    ];
    want.sort();
    let norm = |v: Vec<(String, String, String, String, String)>| -> Vec<(String, String, String, String, String)> {
        v.into_iter()
            .map(|(r, u, l, sc, d)| (r, u, l, sc, if d.is_empty() { d } else { dec(&d).normalize().to_string() }))
            .collect()
    };
    assert_eq!(norm(errors), norm(want));
    // 84 083 126 by the rows, 84 083 125 printed: rounding, an info.
    assert!(all.iter().any(|f| f["severity"] == "info"
        && f["rule"] == "sum"
        && f["line_item"] == "toimintatuotot"
        && f["scenario"] == "tp"
        && f["difference"].as_str().is_some_and(|d| dec(d) == dec("-1"))));
    // Its page text too: the income statement in euros, in 1 000 € and 8.2's figures side by side, and the
    // business units' separated statements, give no error.
    let out = run(&[
        "validate",
        "--format",
        "json",
        "--org",
        &format!("{DIR}/seinajoki.org.toml"),
        &format!("{DIR}/seinajoki_tilinpaatos_2024.txt"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let errors: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code(&out), 0);
}

/// The rest of the book is accounted for: every table found is read or passed over with its reason, the
/// last line counts them, and the tables the reader cannot read say why.
#[test]
fn the_rest_of_the_book_is_accounted_for() {
    let out = run(&[
        "extract",
        "--explain",
        "--org",
        &format!("{DIR}/seinajoki.org.toml"),
        &format!("{DIR}/seinajoki_tilinpaatos_2024.pdf"),
    ]);
    let explain = stdout(&out);
    let last = explain.lines().last().unwrap();
    assert!(last.starts_with("36 tables read ("), "{last}");
    assert!(last.ends_with("31 passed over"), "{last}");
    // 590's table: the column whose heading the page left out is the actuals by the table's arithmetic.
    assert!(explain.contains("\"(no heading)\": tp 2024"), "{explain}");
    assert!(
        stderr(&out).contains(
            ":106:5: a column without a heading read as the actuals: on all 3 rows with figures in it the variance \
             is it minus the budget (425769 − 404800 = 20969)"
        ),
        "{}",
        stderr(&out)
    );
    // The group's statements are not the city's.
    assert!(explain.contains("page 71, line 3: no title names a unit of the org file"), "{explain}");
    // Subsidiaries' key figures and the balance sheet are passed over.
    assert!(explain.contains("(first rows: Liikevaihto; Liikevoitto/-tappio"), "{explain}");
    assert!(explain.contains("(first rows: PYSYVÄT VASTAAVAT"), "{explain}");
    // Each table read says where its year came from: the yearless columns take the title page's.
    assert!(explain.contains("year: 2024 (from the document's title \"Tilinpäätös 2024\", page 1, line 1)"));
    assert!(explain.contains("signs: scenarios as rows (Alkuperäinen, Muutos, Yhteensä); costs printed positive"));
    // The run's last line on stderr counts the rows not read and the tables passed over.
    assert!(stderr(&out).contains("36 tables read, 86 rows not read, 31 other tables passed over"), "{}", stderr(&out));
    // The 8.5 summary: units as rows, appropriations and revenue estimates by their column groups.
    assert!(explain.contains("signs: units as rows, the line item named by each column group's heading"), "{explain}");
    // The statements' rows outside the operating part are named as not read, with the reason.
    assert!(
        explain.contains("not read: page 149, line 25 \"Verotulot\": its label names no line item of the scheme"),
        "{explain}"
    );
}

/// Some of its tables in a workbook, laid out as the report prints them (scenarios as rows, costs positive,
/// no year in the headings: the sheet's name gives it): the same figures.
#[test]
fn a_workbook_of_its_tables_gives_the_same_figures() {
    use V::*;
    let key = answer_key();
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<Vec<V>> = Vec::new();
    let units = ["130 Yleishallinto", "160 Talouspalvelut", "610 Toimitilat"];
    // Rebuild each table's printed rows from the key: costs printed positive, the changes with their decisions.
    let printed = |unit: &str, item: &str, scenario: &str| -> Vec<(String, f64)> {
        key.iter()
            .filter(|r| r.key.0 == unit && r.key.1 == item && r.key.2 == scenario && r.table.starts_with("8.1"))
            .map(|r| {
                let v: f64 = r.amount.parse().unwrap();
                let cost = item == "toimintakulut" && scenario != "poikkeama";
                (r.decision.clone(), if cost { -v } else { v })
            })
            .collect()
    };
    let texts: Vec<String> = units.iter().map(|u| format!("Tulosalue {u}")).collect();
    let mut owned: Vec<Vec<(String, Option<f64>)>> = Vec::new();
    for unit in units {
        let mut t: Vec<Vec<(String, Option<f64>)>> = Vec::new();
        for (item, label) in [("toimintatuotot", "Toimintatulot"), ("toimintakulut", "Toimintamenot")] {
            let one = |s: &str| printed(unit, item, s).first().map(|p| p.1);
            t.push(vec![(label.into(), None), ("Alkuperäinen".into(), None), (String::new(), one("ta"))]);
            for (decision, v) in printed(unit, item, "ta_muutos") {
                t.push(vec![(decision, None), ("Muutos".into(), None), (String::new(), Some(v))]);
            }
            t.push(vec![
                (String::new(), None),
                ("Yhteensä".into(), None),
                (String::new(), one("ta_muutettu")),
                (String::new(), one("tp")),
                (String::new(), one("poikkeama")),
            ]);
        }
        let kate = |s: &str| printed(unit, "toimintakate", s).first().map(|p| p.1);
        t.push(vec![
            ("Netto (Toimintakate)".into(), None),
            (String::new(), None),
            (String::new(), kate("ta_muutettu")),
            (String::new(), kate("tp")),
            (String::new(), kate("poikkeama")),
        ]);
        owned.push(vec![]);
        owned.extend(t);
    }
    let mut k = 0;
    for (n, line) in owned.iter().enumerate() {
        if line.is_empty() {
            rows.push(vec![]);
            rows.push(vec![T(&texts[k])]);
            rows.push(vec![T("Talous"), E, T("Talousarvio €"), T("Toteutuma €"), T("Poikkeama €")]);
            k += 1;
            continue;
        }
        let _ = n;
        rows.push(
            line.iter()
                .map(|(t, v)| match v {
                    Some(v) => N(*v),
                    None if t.is_empty() => E,
                    None => T(t.as_str()),
                })
                .collect(),
        );
    }
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_sheet(&mut wb, "Tilinpäätös 2024", &rows, &[]);
    save(&mut wb, dir.path(), "tulosalueet.xlsx");
    let org = root(&format!("{DIR}/seinajoki.org.toml"));
    let out = run_in(dir.path(), &["extract", "--org", org.to_str().unwrap(), "tulosalueet.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let got: BTreeSet<(String, String, String, String, String)> =
        parse_extract(&stdout(&out)).into_iter().map(|(_, k)| k).collect();
    let want: BTreeSet<(String, String, String, String, String)> = key
        .iter()
        .filter(|r| units.contains(&r.key.0.as_str()) && r.table.starts_with("8.1") && r.key.2 != "ta_muutos")
        .map(|r| (r.key.0.clone(), r.key.1.clone(), r.key.2.clone(), r.key.3.clone(), r.amount.clone()))
        .collect();
    assert_eq!(got, want);
    assert!(stderr(&out).contains("costs turned"), "{}", stderr(&out));
}

/// Without an org file the 8.5 summary (units as rows, line items by column group) cannot be read, and the
/// reader says what it needs rather than that no row names a line item.
#[test]
fn without_an_org_the_summary_of_units_names_what_it_needs() {
    let out = run(&["extract", "--explain", &format!("{DIR}/seinajoki_tilinpaatos_2024.pdf")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "page 147, line 5: its column groups name line items (määrärahat, tuloarviot) and its rows are units \
             (first rows: KÄYTTÖTALOUSOSA; 100 Vaalit B; 120 Tarkastustoimi B): reading it needs the org file (--org)"
        ),
        "{}",
        stdout(&out)
    );
}
