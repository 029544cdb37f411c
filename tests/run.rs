//! `poikkeama run` end to end: the workbook read back with calamine against the engine's figures,
//! formulas carrying results, the Markdown parsed as CommonMark, snapshots, injection, exit codes and the
//! nothing-written cases.

mod common;
use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use poikkeama::engine::{analyze, Analysis, Row};
use poikkeama::model::{LineItem, Org};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::Path;

fn example_run(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn engine() -> Analysis {
    let org = Org::load(&root("inputs/organisaatio.toml")).unwrap();
    let ex = poikkeama::ingest::extract(&[root("inputs")], Some(&org)).unwrap();
    analyze(&ex.figures, Some(&org)).unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn float(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        _ => String::new(),
    }
}

fn assert_money(cell: &Data, expected: Option<Decimal>, what: &str) {
    match expected {
        Some(e) => assert_eq!(float(cell), e.to_f64(), "{what}"),
        None => assert!(float(cell).is_none(), "{what}: expected blank, got {cell:?}"),
    }
}

fn assert_pct(cell: &Data, expected: Option<f64>, what: &str) {
    match expected {
        Some(e) => assert!((float(cell).unwrap_or(f64::NAN) - e / 100.0).abs() < 1e-9, "{what}: {cell:?} vs {e}"),
        None => assert!(float(cell).is_none(), "{what}"),
    }
}

/// A cell reference `D12` → (row, col), zero-based.
fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let row: u32 = r[letters.len()..].parse().ok()?;
    let col = letters.bytes().fold(0u32, |a, b| a * 26 + u32::from(b - b'A' + 1));
    (col > 0 && row > 0).then(|| (row - 1, col - 1))
}

/// The value of a formula of the few shapes the writer emits, from the stored values it refers to
/// (blank as 0, as a spreadsheet takes it): `A1+B1`, `A1-B1`, `IF(A1=0,"",B1/ABS(A1))`, `IF(A1=0,"",B1/A1)`,
/// `'Sheet'!A1`. None is the empty text.
fn evaluate(
    formula: &str,
    here: &calamine::Range<Data>,
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
) -> Option<f64> {
    let num = |range: &calamine::Range<Data>, r: &str| {
        let at = parse_ref(r).unwrap_or_else(|| panic!("reference {r} in {formula}"));
        range.get_value(at).and_then(float).unwrap_or(0.0)
    };
    let f = formula.trim_start_matches('=');
    if let Some(rest) = f.strip_prefix("IF(") {
        let body = rest.strip_suffix(')').unwrap();
        let (cond, rest) = body.split_once("=0,\"\",").unwrap_or_else(|| panic!("shape of {formula}"));
        if num(here, cond) == 0.0 {
            return None;
        }
        let (n, d) = rest.split_once('/').unwrap();
        let d = d.strip_prefix("ABS(").map_or_else(|| num(here, d), |a| num(here, a.trim_end_matches(')')).abs());
        return Some(num(here, n) / d);
    }
    if let Some(rest) = f.strip_prefix('\'') {
        let (sheet, cell) = rest.split_once("'!").unwrap();
        let other = book.worksheet_range(sheet).unwrap();
        return Some(num(&other, cell));
    }
    let (op, at) = f
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '+' || *c == '-')
        .map(|(i, c)| (c, i))
        .unwrap_or_else(|| panic!("shape of {formula}"));
    let (a, b) = (num(here, &f[..at]), num(here, &f[at + 1..]));
    Some(if op == '+' { a + b } else { a - b })
}

/// Every formula's stored result equals what the formula gives from the sheet's own stored values.
fn assert_formula_results(path: &Path) {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut checked = 0;
    for sheet in book.sheet_names() {
        let values = book.worksheet_range(&sheet).unwrap();
        let formulas = book.worksheet_formula(&sheet).unwrap();
        let Some((r0, c0)) = formulas.start() else { continue };
        for (r, c, f) in formulas.used_cells() {
            if f.is_empty() {
                continue;
            }
            let at = (r0 + r as u32, c0 + c as u32);
            let stored = values.get_value(at).cloned().unwrap_or(Data::Empty);
            let want = evaluate(f, &values, &mut book);
            match (want, float(&stored)) {
                (None, None) => assert!(text(&stored).is_empty(), "{sheet}!{at:?} {f}: {stored:?}"),
                (Some(w), Some(s)) => {
                    assert!((w - s).abs() <= 1e-9 * w.abs().max(1.0), "{sheet}!{at:?} {f}: {s} vs {w}")
                }
                (w, _) => panic!("{sheet}!{at:?} ={f}: stored {stored:?}, the formula gives {w:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} formulas");
}

fn line_item(label: &str) -> LineItem {
    LineItem::all().find(|li| li.label("fi") == label.trim()).unwrap_or_else(|| panic!("label {label}"))
}

#[test]
fn example_writes_every_report_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = example_run(&out, &["--lang", "fi,sv,en"]);
    assert_eq!(code(&o), 1, "the example figures have errors: {}", stderr(&o));
    assert_eq!(
        files(&out),
        [
            "findings.json",
            "manifest.json",
            "poikkeama.xlsx",
            "rivit.csv",
            "rivit.parquet",
            "sammandrag.html",
            "sammandrag.md",
            "sammandrag.pdf",
            "summary.html",
            "summary.md",
            "summary.pdf",
            "toimintakate_poikkeama.svg",
            "toimintakate_poikkeama_en.svg",
            "toimintakate_poikkeama_sv.svg",
            "toteutumisvertailu.docx",
            "yhteenveto.html",
            "yhteenveto.md",
            "yhteenveto.pdf"
        ]
    );
    assert!(stderr(&o).contains("11 virhettä lähdeluvuissa"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("ta_muutettu"), "no ids in what people read: {}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count(), 11);
    let svg = std::fs::read_to_string(out.join("toimintakate_poikkeama.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Talous- ja henkilöstöpalvelut") && svg.contains("−98 753"));
}

#[test]
fn workbook_figures_equal_the_engines_and_formulas_carry_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(code(&example_run(&out, &[])), 1);
    let a = engine();
    let mut wb: Xlsx<_> = open_workbook(out.join("poikkeama.xlsx")).unwrap();
    let props_title = wb.worksheet_range("Yhteenveto").unwrap().get_value((0, 0)).map(text).unwrap();
    assert_eq!(props_title, "Loviisan kaupunki: talousarvion toteutuminen 2024");

    // Summary sheet: every unit's revenue, costs and margin for 2024.
    let values = wb.worksheet_range("Yhteenveto").unwrap();
    let formulas = wb.worksheet_formula("Yhteenveto").unwrap();
    let mut checked = 0;
    for r in 4..values.end().unwrap().0 + 1 {
        let unit = text(values.get_value((r, 0)).unwrap());
        if unit.is_empty() {
            continue;
        }
        let li = line_item(&text(values.get_value((r, 1)).unwrap()));
        let row: &Row = a.row(&unit, li, 2024).unwrap();
        let cell = |c: u32| values.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        let what = format!("{unit} {li}");
        assert_money(&cell(2), row.ta, &what);
        assert_money(&cell(4), row.ta_muutettu, &what);
        assert_money(&cell(5), row.tp, &what);
        // The variance every report shows: the reported one where it agrees within rounding.
        assert_money(&cell(6), row.variance_shown(), &what);
        assert_pct(&cell(7), row.variance_pct, &what);
        assert_pct(&cell(8), row.realisation_pct, &what);
        // The percentages are formulas, and their stored results are what was just read.
        let f = |c: u32| formulas.get_value((r, c)).cloned().unwrap_or_default();
        assert!(f(7).starts_with("IF(") && f(8).starts_with("IF("), "{}", f(7));
        checked += 1;
    }
    assert_eq!(checked, 12, "4 units × 3 lines");
    assert_formula_results(&out.join("poikkeama.xlsx"));
    assert_eq!(text(values.get_value((6, 9)).unwrap()), "Määrärahassa", "binding status of the department's margin");

    // Unit sheets: one per top-level unit, its areas' tables under its own; every figure of every year block.
    let names: std::collections::HashSet<&str> = a.rows.iter().map(|r| r.unit.as_str()).collect();
    let unit_sheets: Vec<String> = wb
        .sheet_names()
        .into_iter()
        .filter(|s| !["Yhteenveto", "Havainnot", "Kaavio", "Taulukot"].contains(&s.as_str()))
        .collect();
    assert_eq!(unit_sheets, ["Kaupunginkansliakeskus"], "the department's sheet holds its areas");
    // The sheet of tables: one row per table read, each with its place and where its year came from.
    let tables = wb.worksheet_range("Taulukot").unwrap();
    assert_eq!(tables.height(), 1 + 8, "a header and the example's eight tables");
    assert_eq!(text(tables.get_value((0, 6)).unwrap()), "Vuosi mistä");
    assert!((1..9).all(|r| text(tables.get_value((r, 2)).unwrap()) == "luettu"));
    let mut figures = 0;
    for sheet in unit_sheets {
        let v = wb.worksheet_range(&sheet).unwrap();
        let mut unit = String::new();
        let mut year = 0;
        for r in 0..v.end().unwrap().0 + 1 {
            let label = text(v.get_value((r, 0)).unwrap_or(&Data::Empty));
            if names.contains(label.as_str()) {
                unit = label;
                continue;
            }
            if let Some(y) = label.strip_prefix("Vuosi ") {
                year = y.parse().unwrap();
                continue;
            }
            if label.is_empty() || label == "Rivi" {
                continue;
            }
            let row = a.row(&unit, line_item(&label), year).unwrap();
            let cell = |c: u32| v.get_value((r, c)).cloned().unwrap_or(Data::Empty);
            let what = format!("{sheet} {year} {label}");
            assert_money(&cell(1), row.ta, &what);
            assert_money(&cell(2), row.ta_muutokset, &what);
            assert_money(&cell(3), row.ta_muutettu, &what);
            assert_money(&cell(4), row.tp, &what);
            assert_money(&cell(5), row.poikkeama_reported, &what);
            assert_money(&cell(6), row.variance, &what);
            assert_eq!(text(&cell(7)).is_empty(), !row.variance_differs, "{what}");
            assert_money(&cell(10), row.ts, &what);
            // Every reported figure names its cell; computed ones (rolled up) name none.
            if unit == "Talous- ja henkilöstöpalvelut" && year == 2024 {
                // The finance office's explanation beside its variance; a significant one without says so.
                match label.as_str() {
                    "Toimintakate ulkoinen" => {
                        assert!(text(&cell(12)).starts_with("Esimerkki: tuotot"), "{what}");
                        // Its wrong actuals and variance: their reasons printed beside them (notes do not print).
                        let reasons = text(&cell(13));
                        assert!(reasons.contains("tilinpäätös 2024: ei ole rivien summa"), "{what}: {reasons}");
                        assert!(reasons.contains("poikkeama 2024: ei ole rivien summa"), "{what}: {reasons}");
                    }
                    "Toimintatuotot" => assert_eq!(text(&cell(12)), "perustelu puuttuu", "{what}"),
                    _ => {}
                }
            }
            let sources = text(&cell(14));
            assert_eq!(sources.contains("Tilinpäätös "), row.tp.is_some() && !row.rolled_up, "{what}: {sources}");
            if unit == "Kaupunginkansliakeskus" && year == 2024 && label == "Henkilöstökulut" {
                assert_eq!(
                    sources,
                    "Talousarvio B12, TA muutosten jälkeen D12, Tilinpäätös E12, Poikkeama F12 \
                     (inputs/kaupunginkansliakeskus_tp2024.xlsx:Keskus TP2024); Taloussuunnitelma E16 \
                     (inputs/kaupunginkansliakeskus_ta2023.xlsx:TA 2023)"
                );
            }
            figures += 1;
        }
    }
    assert_eq!(figures, a.rows.len(), "every row of the engine is on a unit sheet");
    // The one variance that differs beyond rounding is marked.
    let keskus = wb.worksheet_range("Kaupunginkansliakeskus").unwrap();
    let marked: Vec<String> = (0..keskus.end().unwrap().0)
        .filter(|r| text(keskus.get_value((*r, 7)).unwrap_or(&Data::Empty)).starts_with('≠'))
        .map(|r| text(keskus.get_value((r, 0)).unwrap()))
        .collect();
    assert_eq!(marked, ["Sisäiset erät"]);

    // Findings sheet: errors first, each linking to the unit sheet cell.
    let h = wb.worksheet_range("Havainnot").unwrap();
    assert_eq!(text(h.get_value((1, 0)).unwrap()), "virhe");
    // Then the warning of reading the input (a unit name read as a near match), with its cell.
    assert_eq!(text(h.get_value((12, 0)).unwrap()), "varoitus");
    assert_eq!(text(h.get_value((12, 1)).unwrap()), "lähtötieto");
    assert!(text(h.get_value((12, 9)).unwrap()).contains("\"Talousoalvelut\""));
    assert!(text(h.get_value((12, 10)).unwrap()).contains("cell B54"));
    // Then the one significant variance the example's explanations file leaves without a reason.
    assert_eq!(text(h.get_value((13, 1)).unwrap()), "perustelu puuttuu");
    assert_eq!(text(h.get_value((13, 2)).unwrap()), "Talous- ja henkilöstöpalvelut");
    assert_eq!(text(h.get_value((14, 0)).unwrap()), "huomio");
    // The department's 2022 revenue error (312 600 against its areas' 300 600) follows its cause (the area's
    // margin) and links to the cell holding that figure.
    let at = (1..12)
        .find(|&r| {
            text(h.get_value((r, 3)).unwrap()) == "Toimintatuotot"
                && text(h.get_value((r, 5)).unwrap_or(&Data::Empty)).is_empty()
        })
        .or_else(|| (1..12).find(|&r| text(h.get_value((r, 3)).unwrap()) == "Toimintatuotot"))
        .unwrap();
    assert_eq!(text(h.get_value((at - 1, 2)).unwrap()), "Talous- ja henkilöstöpalvelut", "right after its cause");
    let link = text(h.get_value((at, 11)).unwrap());
    let (sheet, cell) = link.split_once('!').unwrap();
    assert_eq!(sheet, "Kaupunginkansliakeskus");
    let col = cell.as_bytes()[0] - b'A';
    let row: u32 = cell[1..].parse().unwrap();
    let target = wb.worksheet_range(sheet).unwrap();
    assert_eq!(float(target.get_value((row - 1, col as u32)).unwrap()), Some(312600.0));
    assert_eq!(float(h.get_value((at, 7)).unwrap()), Some(312600.0));
}

/// Markdown tables as rows of cell texts.
fn tables(md: &str) -> Vec<Vec<Vec<String>>> {
    let mut out = Vec::new();
    let (mut table, mut row, mut cell): (Vec<Vec<String>>, Vec<String>, String) = Default::default();
    let mut in_cell = false;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Table(_)) => table.clear(),
            Event::End(TagEnd::Table) => out.push(std::mem::take(&mut table)),
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => table.push(std::mem::take(&mut row)),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                cell.clear()
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                row.push(std::mem::take(&mut cell))
            }
            Event::Text(t) | Event::Code(t) if in_cell => cell.push_str(&t),
            _ => {}
        }
    }
    out
}

#[test]
fn markdown_tables_parse_with_the_engines_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &[]);
    let md = std::fs::read_to_string(out.join("yhteenveto.md")).unwrap();
    let t = tables(&md);
    assert_eq!(t.len(), 3);
    // First the binding appropriations, each with its status and explanation.
    let binding = &t[0];
    assert_eq!(
        binding[0],
        ["Yksikkö", "Rivi", "TA muutosten jälkeen, €", "TP, €", "Poikkeama, €", "Poikkeama, %", "Tila", "Perustelu"]
    );
    assert_eq!(binding.len(), 2);
    assert_eq!(
        binding[1][..7],
        [
            "Kaupunginkansliakeskus",
            "Toimintakate ulkoinen",
            "−3\u{a0}942\u{a0}834",
            // The actuals the checks found wrong (and the variance from them) marked, the mark said under it.
            "−3\u{a0}612\u{a0}763*",
            "+330\u{a0}072*",
            "+8,4\u{a0}%",
            "määrärahassa"
        ]
    );
    assert!(md.contains("\\* Lähdeluku on virheellinen: katso kohta Virheet lähdeluvuissa."), "{md}");
    assert!(binding[1][7].starts_with("Esimerkki: keskuksen toimintakate jäi alle budjetin"), "{binding:?}");
    let units = &t[1];
    assert_eq!(
        units[0],
        ["Yksikkö", "TA, €", "TA-muutokset, €", "TA muutosten jälkeen, €", "TP, €", "Poikkeama, €", "Poikkeama, %"]
    );
    assert_eq!(units.len(), 5);
    assert!(units.iter().all(|r| r.len() == 7));
    assert_eq!(
        units[1],
        [
            "Kaupunginkansliakeskus",
            "−3\u{a0}942\u{a0}834",
            "",
            "−3\u{a0}942\u{a0}834",
            "−3\u{a0}612\u{a0}763",
            "+330\u{a0}072",
            "+8,4\u{a0}%"
        ]
    );
    assert_eq!(
        units[4],
        [
            "\u{2003}Talous- ja henkilöstöpalvelut",
            "−1\u{a0}741\u{a0}007",
            "",
            "−1\u{a0}741\u{a0}007",
            "−1\u{a0}839\u{a0}760",
            "−98\u{a0}753",
            "−5,7\u{a0}%"
        ]
    );
    // The largest variances: detail rows of the areas, never a department's sum of them or an internal item.
    let largest = &t[2];
    assert_eq!(largest[0], ["Yksikkö", "Rivi", "Poikkeama, €", "Poikkeama, %", "Perustelu"]);
    assert!(largest[1..].iter().all(|r| r[0] != "Kaupunginkansliakeskus" && !r[1].contains("erät")), "{largest:?}");
    assert_eq!(
        largest[1][..4],
        ["Tieto- ja viestintäteknologiapalvelut", "Toimintakulut", "+246\u{a0}962", "+21,4\u{a0}%"]
    );
    assert!(largest.iter().any(|r| r[1] == "Toimintatuotot" && r[4] == "perustelu puuttuu"));
    assert!(md.contains("Toimintakulut toteutuivat selvästi arvioitua pienempinä (+348\u{a0}743\u{a0}€, +8,2\u{a0}%)."));
    assert!(md.contains("Toimintatuotot toteutuivat hieman arvioitua pienempinä (−18\u{a0}671\u{a0}€, −6,2\u{a0}%)."));
    assert!(md.contains("![Ulkoisen toimintakatteen poikkeama yksiköittäin](toimintakate_poikkeama.svg)"));
    // Every area whose margin variance is significant gets its sentence, with the finance office's reason.
    assert!(md.contains(
        "- **Talous- ja henkilöstöpalvelut**: ulkoinen toimintakate toteutui 98\u{a0}753\u{a0}€ (5,7\u{a0}%) budjetoitua \
         heikompana. Perustelu: Esimerkki: tuotot jäivät arvioitua pienemmiksi ja kulut ylittyivät."
    ));

    // One truth per figure: each unit's margin variance is the same in the summary, the workbook's summary
    // sheet and chart data, the SVG and the binding finding.
    let mut wb: Xlsx<_> = open_workbook(out.join("poikkeama.xlsx")).unwrap();
    let summary = wb.worksheet_range("Yhteenveto").unwrap();
    let chart = wb.worksheet_range("Kaavio").unwrap();
    // The native chart shows the units below the top (the department's bar would dwarf theirs): its range is
    // the three areas, the department listed after them.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(out.join("poikkeama.xlsx")).unwrap()).unwrap();
    let mut chart_xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/charts/chart1.xml").unwrap(), &mut chart_xml).unwrap();
    assert!(chart_xml.contains("<c:f>Kaavio!$B$2:$B$4</c:f>"), "{chart_xml}");
    assert_eq!(text(chart.get_value((4, 0)).unwrap()), "Kaupunginkansliakeskus");
    let svg = std::fs::read_to_string(out.join("toimintakate_poikkeama.svg")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    for row in &units[1..] {
        let unit = row[0].trim_start_matches('\u{2003}');
        let md_value: f64 = row[5].replace('\u{a0}', "").replace('−', "-").replace('+', "").parse().unwrap();
        let sheet_row = (4..summary.height() as u32)
            .find(|&r| {
                text(summary.get_value((r, 0)).unwrap()) == unit
                    && text(summary.get_value((r, 1)).unwrap()) == "Toimintakate ulkoinen"
            })
            .unwrap();
        assert_eq!(float(summary.get_value((sheet_row, 6)).unwrap()), Some(md_value), "{unit}: summary sheet");
        let chart_row = (1..chart.height() as u32).find(|&r| text(chart.get_value((r, 0)).unwrap()) == unit).unwrap();
        assert_eq!(float(chart.get_value((chart_row, 1)).unwrap()), Some(md_value), "{unit}: chart data");
        assert!(svg.contains(&format!(">{}</text>", row[5].replace('\u{a0}', " ") + " €")), "{unit}: svg {}", row[5]);
        for b in
            json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "binding_within" && f["unit"] == unit)
        {
            assert_eq!(b["difference"].as_str().unwrap().parse::<f64>().unwrap(), md_value, "{unit}: findings.json");
        }
    }
}

#[test]
fn markdown_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &["--lang", "fi,sv,en"]);
    for (name, file) in [("summary_fi", "yhteenveto.md"), ("summary_sv", "sammandrag.md"), ("summary_en", "summary.md")]
    {
        insta::assert_snapshot!(name, std::fs::read_to_string(out.join(file)).unwrap());
    }
}

#[test]
fn thresholds_change_the_wording() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("p.toml");
    let inputs = root("inputs");
    let org = root("inputs/organisaatio.toml");
    std::fs::write(
        &cfg,
        format!(
            "inputs = [{:?}]\norg = {:?}\nout = \"o\"\n[thresholds]\nhieman = 7.0\nselvasti = 20.0\n",
            inputs.to_str().unwrap(),
            org.to_str().unwrap()
        ),
    )
    .unwrap();
    let o = run_in(dir.path(), &["run", "--config", "p.toml"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    assert!(md.contains("Toimintatuotot toteutuivat lähes arvioidun mukaisina"), "{md}");
    assert!(md.contains("Toimintakulut toteutuivat hieman arvioitua pienempinä"), "{md}");
}

#[test]
fn text_from_inputs_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let evil = "=HYPERLINK(\"http://example.com\",\"klik\")";
    write_sheet(
        &mut wb,
        "S",
        &[
            vec![V::T(evil)],
            vec![V::E, V::T("TA 2024"), V::T("TP 2024")],
            vec![V::T("Toimintakate"), V::N(-100.0), V::N(-90.0)],
            vec![],
            vec![V::T("#1 | Pipe * yksikkö")],
            vec![V::E, V::T("TA 2024"), V::T("TP 2024")],
            vec![V::T("Toimintakate"), V::N(-10.0), V::N(-12.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "evil.xlsx");
    let o = run_in(dir.path(), &["run", "--out", "o", "evil.xlsx"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("o/poikkeama.xlsx")).unwrap();
    let v = book.worksheet_range("Yhteenveto").unwrap();
    let f = book.worksheet_formula("Yhteenveto").unwrap();
    assert_eq!(v.get_value((4, 0)), Some(&Data::String(evil.to_string())));
    assert!(f.get_value((4, 0)).is_none_or(|s| s.is_empty()), "no formula in the unit cell");
    assert!(book.sheet_names().iter().all(|n| n.chars().count() <= 31 && !n.contains(['/', ':', '*', '?', '[', ']'])));
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    let t = tables(&md);
    assert!(t.iter().all(|tab| tab.iter().all(|r| r.len() == tab[0].len())), "tables stay intact");
    assert_eq!(t[0][2][0], "#1 | Pipe * yksikkö");
    assert!(!md.lines().any(|l| l.starts_with("#1")), "a leading # never becomes a heading");
}

#[test]
fn strict_and_bad_input_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = example_run(&out, &["--strict"]);
    assert_eq!(code(&o), 1);
    assert!(files(&out).is_empty(), "--strict with errors writes nothing");
    std::fs::write(dir.path().join("bad.xlsx"), "not a workbook").unwrap();
    let o = run_in(dir.path(), &["run", "--out", "out", "bad.xlsx"]);
    assert_eq!(code(&o), 2);
    assert!(files(&out).is_empty());
    let o = run_in(dir.path(), &["run"]);
    assert_eq!(code(&o), 2, "no inputs and no poikkeama.toml here");
    assert!(stderr(&o).contains("no inputs"));
    let o = run_in(dir.path(), &["run", "--lang", "de", "bad.xlsx"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown language \"de\""));
    // An output "directory" that is a file is refused before any work, and the file is left alone.
    std::fs::write(dir.path().join("taken"), "keep").unwrap();
    let o = example_run(&dir.path().join("taken"), &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("the output directory is an existing file"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("taken")).unwrap(), "keep");
}

#[test]
fn clean_figures_exit_zero_and_replace_old_reports() {
    let dir = tempfile::tempdir().unwrap();
    save_clean_workbook(dir.path(), "ok.xlsx", "Toimintakate", -100.0, -90.0);
    std::fs::create_dir(dir.path().join("o")).unwrap();
    std::fs::write(dir.path().join("o/yhteenveto.md"), "old").unwrap();
    let o = run_in(dir.path(), &["run", "--out", "o", "ok.xlsx"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    assert!(md.contains("Lähdeluvuista ei löytynyt virheitä."));
    assert!(files(&dir.path().join("o")).iter().all(|f| !f.ends_with(".tmp")), "no temporary files left");
}

/// A row a scheme file adds prints under its parent, where the table prints it, not after every default row.
#[test]
fn scheme_rows_print_under_their_parent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kaava.toml"),
        "[[item]]\nid = \"kiinteistotuotot\"\nkind = \"revenue\"\nsums_into = \"toimintatuotot\"\n\
         fi = [\"Kiinteistötuotot\"]\n",
    )
    .unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_sheet(
        &mut wb,
        "Talous",
        &[
            vec![V::T("Keskus")],
            vec![V::E, V::T("TA 2024"), V::T("TP 2024")],
            vec![V::T("Myyntituotot"), V::N(10.0), V::N(12.0)],
            vec![V::T("Kiinteistötuotot"), V::N(5.0), V::N(6.0)],
            vec![V::T("Toimintatuotot"), V::N(15.0), V::N(18.0)],
            vec![V::T("Palvelujen ostot"), V::N(-40.0), V::N(-41.0)],
            vec![V::T("Toimintakulut"), V::N(-40.0), V::N(-41.0)],
            vec![V::T("Toimintakate"), V::N(-25.0), V::N(-23.0)],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "kirja.xlsx");
    let o = run_in(dir.path(), &["run", "--scheme", "kaava.toml", "--out", "o", "kirja.xlsx"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("o/poikkeama.xlsx")).unwrap();
    let sheet = book.sheet_names().into_iter().find(|n| n.starts_with("Keskus")).expect("the unit's sheet");
    let labels: Vec<String> = book.worksheet_range(&sheet).unwrap().rows().map(|r| r[0].to_string()).collect();
    let at = |l: &str| labels.iter().position(|x| x == l).unwrap_or_else(|| panic!("{l} in {labels:?}"));
    assert!(at("Myyntituotot") < at("Kiinteistötuotot"), "{labels:?}");
    assert!(at("Kiinteistötuotot") < at("Toimintatuotot"), "{labels:?}");
    assert!(at("Toimintatuotot") < at("Palvelujen ostot"), "{labels:?}");
}

/// The XML of one part of an xlsx file.
fn xlsx_part(path: &Path, part: &str) -> Option<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut file = zip.by_name(part).ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    Some(text)
}

/// Every figure an error is about is marked where it stands on its unit sheet: a cell note with the
/// finding's message and a red fill.
#[test]
fn errors_are_marked_where_they_stand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(code(&example_run(&out, &[])), 1);
    let book = out.join("poikkeama.xlsx");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    let workbook = xlsx_part(&book, "xl/workbook.xml").unwrap();
    let sheets: Vec<&str> = workbook.split("<sheet name=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    let mut wb: Xlsx<_> = open_workbook(&book).unwrap();
    let mut marked = 0;
    for f in json["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error") {
        let unit = f["unit"].as_str().unwrap();
        // Every unit of the example is on its department's sheet.
        let index = sheets.iter().position(|s| *s == "Kaupunginkansliakeskus").unwrap();
        let sheet = sheets[index];
        // The cell holding the figure: the row of its line item in its year's block of the unit's tables, the
        // scenario's column.
        let v = wb.worksheet_range(sheet).unwrap();
        let at_unit =
            (0..v.height() as u32).find(|&r| text(v.get_value((r, 0)).unwrap_or(&Data::Empty)) == unit).unwrap();
        let year = f["year"].as_i64().unwrap();
        let label = LineItem::all().find(|li| li.id() == f["line_item"].as_str().unwrap()).unwrap().label("fi");
        let col = match f["scenario"].as_str().unwrap() {
            "ta" => 1,
            "ta_muutettu" => 3,
            "tp" => 4,
            "poikkeama" => 5,
            other => panic!("{other}"),
        };
        let block = (at_unit..v.height() as u32)
            .find(|&r| text(v.get_value((r, 0)).unwrap_or(&Data::Empty)) == format!("Vuosi {year}"))
            .unwrap();
        let row =
            (block..v.height() as u32).find(|&r| text(v.get_value((r, 0)).unwrap_or(&Data::Empty)) == label).unwrap();
        let cell = poikkeama::model::cell_ref(row, col);
        // The sheet's notes part, found through the sheet's relationships.
        let rels = xlsx_part(&book, &format!("xl/worksheets/_rels/sheet{}.xml.rels", index + 1)).unwrap_or_default();
        let part = rels.split("Target=\"../").filter_map(|t| t.split('"').next()).find(|t| t.starts_with("comments"));
        let comments = part.and_then(|p| xlsx_part(&book, &format!("xl/{p}"))).unwrap_or_default();
        let note = comments
            .split(&format!("<comment ref=\"{cell}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("{sheet}!{cell} has no note"));
        let note = note.split("</comment>").next().unwrap();
        assert!(note.contains("virhe: "), "{sheet}!{cell}: {note}");
        // The fill: the cell's style is one with the error fill.
        let xml = xlsx_part(&book, &format!("xl/worksheets/sheet{}.xml", index + 1)).unwrap();
        let style: usize =
            xml.split(&format!("<c r=\"{cell}\" s=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let styles = xlsx_part(&book, "xl/styles.xml").unwrap();
        let xfs = styles.split("<cellXfs").nth(1).unwrap();
        let xf = xfs.split("<xf ").nth(style + 1).unwrap();
        let fill: usize = xf.split("fillId=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let fills = styles.split("<fills").nth(1).unwrap();
        assert!(fills.split("<fill>").nth(fill + 1).unwrap().contains("FFC7CE"), "{sheet}!{cell} fill {fill}");
        marked += 1;
    }
    assert_eq!(marked, 11);
}

/// A configuration or org file with a wrong key is refused naming the file, line and key, with the key it
/// probably meant; `lang = "fi"` is as good as `lang = ["fi"]`.
#[test]
fn config_and_org_errors_name_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let root_inputs = root("inputs");
    let inputs = root_inputs.display();
    std::fs::write(dir.path().join("ok.toml"), format!("inputs = [\"{inputs}\"]\nlang = \"en\"\nout = \"o\"\n"))
        .unwrap();
    let o = run_in(dir.path(), &["run", "--config", "ok.toml"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(dir.path().join("o/summary.md").is_file());

    std::fs::write(dir.path().join("bad.toml"), format!("inputs = [\"{inputs}\"]\nlangs = [\"fi\"]\n")).unwrap();
    let o = run_in(dir.path(), &["run", "--config", "bad.toml"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("bad.toml: line 2, key \"langs\": unknown key; did you mean \"lang\"?"), "{err}");

    std::fs::write(dir.path().join("org.toml"), "[[unit]]\nname = \"K\"\n\n[[unit]]\nname = \"A\"\nparnet = \"K\"\n")
        .unwrap();
    let o = run_in(dir.path(), &["validate", "--org", "org.toml", root_inputs.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("org.toml: not a valid org file: line 6, key \"parnet\": unknown key; did you mean \"parent\"?"),
        "{err}"
    );
}

/// A table's own PERUSTELU column is read as the finance office's explanations, printed beside their
/// variances; a significant variance left without one is warned of.
#[test]
fn explanations_from_the_tables_own_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_sheet(
        &mut wb,
        "TP",
        &[
            vec![V::T("Keskus")],
            vec![V::E, V::T("TA 2024"), V::T("TP 2024"), V::T("Poikkeama"), V::T("Perustelu")],
            vec![
                V::T("Myyntituotot"),
                V::N(100000.0),
                V::N(60000.0),
                V::N(-40000.0),
                V::T("Vuokralainen  lähti\nkesken vuoden"),
            ],
            vec![V::T("Palvelujen ostot"), V::N(-500000.0), V::N(-430000.0), V::N(70000.0)],
            vec![
                V::T("Toimintakate"),
                V::N(-400000.0),
                V::N(-370000.0),
                V::N(30000.0),
                V::T("Ostot jäivät pienemmiksi."),
            ],
        ],
        &[],
    );
    save(&mut wb, dir.path(), "kirja.xlsx");
    let o = run_in(dir.path(), &["run", "--out", "o", "kirja.xlsx"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    assert!(
        md.contains("| Keskus | Myyntituotot | −40\u{a0}000 | −40,0\u{a0}% | Vuokralainen lähti kesken vuoden |"),
        "{md}"
    );
    assert!(md.contains("| Keskus | Palvelujen ostot | +70\u{a0}000 | +14,0\u{a0}% | *perustelu puuttuu* |"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap()).unwrap();
    let missing: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "explanation_missing")
        .map(|f| f["line_item"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["palvelujen_ostot"]);
    // The explanation column is not read as figures: nine printed ones (and the stand-ins summed from them).
    let ex = run_in(dir.path(), &["extract", "kirja.xlsx"]);
    let rows = parse_extract(&stdout(&ex));
    assert_eq!(rows.iter().filter(|(src, _)| !src.ends_with(')')).count(), 9);
    assert!(rows.iter().all(|(src, _)| !src.contains("!E")), "{rows:?}");
}

/// `run` writes whenever `validate` can judge: a rollup over 800 children names 800 cells, far past Excel's
/// 32 767 characters a cell; the findings sheet cuts the list and says so, findings.json keeps it whole.
#[test]
fn long_lists_never_stop_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut org = String::from("[[unit]]\nname = \"Keskus\"\n");
    let mut rows: Vec<Vec<V>> =
        vec![vec![V::T("Keskus")], vec![V::E, V::T("TP 2024")], vec![V::T("Toimintakate"), V::N(-2000.0)], vec![]];
    let names: Vec<String> = (0..800).map(|i| format!("Alue {i:03}")).collect();
    for n in &names {
        org.push_str(&format!("[[unit]]\nname = \"{n}\"\nparent = \"Keskus\"\n"));
    }
    for n in &names {
        rows.push(vec![V::T(n)]);
        rows.push(vec![V::E, V::T("TP 2024")]);
        rows.push(vec![V::T("Toimintakate"), V::N(-1.0)]);
        rows.push(vec![]);
    }
    std::fs::write(dir.path().join("org.toml"), org).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_sheet(&mut wb, "TP", &rows, &[]);
    let long = format!("{}.xlsx", "tilinpaatos_".repeat(12));
    save(&mut wb, dir.path(), &long);
    let o = run_in(dir.path(), &["run", "--org", "org.toml", "--out", "o", &long]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap()).unwrap();
    let rollup = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "rollup").unwrap();
    assert_eq!(rollup["sources"].as_array().unwrap().len(), 801);
    let mut book: Xlsx<_> = open_workbook(dir.path().join("o/poikkeama.xlsx")).unwrap();
    let h = book.worksheet_range("Havainnot").unwrap();
    let cells = text(h.get_value((1, 10)).unwrap());
    assert!(cells.chars().count() <= 32_767 && cells.contains("koko teksti: findings.json"), "{}", cells.len());
}

/// What a killed run left is removed by the next run: its half-written set beside the output directory, and
/// temporary files of the earlier per-file writer inside it; files that are not ours stay, and so does the
/// lock file (it is released when a run ends, however it ends).
#[test]
fn stale_temporary_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let stage = dir.path().join(".out.new.4000000");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(stage.join("poikkeama.xlsx"), b"half").unwrap();
    let stale = out.join(".findings.json.4000000.tmp");
    std::fs::write(&stale, b"half").unwrap();
    let mine = out.join(".muistiinpano.4000000.tmp");
    std::fs::write(&mine, b"not ours").unwrap();
    assert_eq!(code(&example_run(&out, &[])), 1);
    assert!(!stage.exists(), "a dead run's set is removed");
    assert!(!stale.exists(), "a dead run's temporary file is removed");
    assert!(mine.exists(), "files that are not ours stay");
    assert!(out.join("poikkeama.xlsx").exists());
}

/// Two runs on one output directory at once: the second waits for the first (the lock), and the directory
/// ends up holding one run's whole set, with nothing left beside it.
#[test]
fn concurrent_runs_do_not_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let out = out.clone();
            std::thread::spawn(move || code(&example_run(&out, &[])))
        })
        .collect();
    for r in runs {
        assert_eq!(r.join().unwrap(), 1);
    }
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort();
    assert!(names.contains(&"poikkeama.xlsx".to_string()) && names.contains(&"findings.json".to_string()));
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "out" && n != ".out.lock")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

/// The same inputs and config give the same reports and manifest, byte for byte (the workbook's creation
/// time is never the clock); the manifest records every input with its size, SHA-256 and figures, every
/// output with its SHA-256, the findings per severity and the exit status.
#[test]
fn reruns_are_byte_identical_and_the_manifest_records_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let read_all = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(code(&example_run(&out, &[])), 1);
    let first = read_all(&out);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(code(&example_run(&out, &[])), 1);
    let second = read_all(&out);
    assert_eq!(first.iter().map(|f| &f.0).collect::<Vec<_>>(), second.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{name} differs between two runs of the same inputs");
    }
    let m: serde_json::Value =
        serde_json::from_slice(&first.iter().find(|f| f.0 == "manifest.json").unwrap().1).unwrap();
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["command"][1], "run");
    assert_eq!(m["org"]["path"], "inputs/organisaatio.toml");
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    for i in inputs {
        let path = root(i["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(i["bytes"], bytes.len());
        assert_eq!(i["sha256"], poikkeama::report::manifest::hash_bytes(&bytes));
    }
    // The seed tables: 85 budget figures and 121 year-end figures.
    let figures: Vec<u64> = inputs.iter().map(|i| i["figures"].as_u64().unwrap()).collect();
    assert_eq!(figures, [85, 121]);
    let outputs = m["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), first.len() - 1);
    for o in outputs {
        let (_, bytes) = first.iter().find(|f| f.0 == o["name"]).unwrap();
        assert_eq!(o["sha256"], poikkeama::report::manifest::hash_bytes(bytes));
    }
    let errors = m["findings"]["error"].as_u64().unwrap();
    assert!(errors > 0);
    assert_eq!(m["exit_status"], 1);
}

/// SOURCE_DATE_EPOCH stamps the workbook's creation time; a value that is no number of seconds is a usage
/// error.
#[test]
fn source_date_epoch_sets_the_workbooks_creation_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let with = |v: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_poikkeama"))
            .args(["run", "--out", out.to_str().unwrap()])
            .current_dir(ROOT)
            .env("SOURCE_DATE_EPOCH", v)
            .output()
            .unwrap()
    };
    assert_eq!(code(&with("1700000000")), 1);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(out.join("poikkeama.xlsx")).unwrap()).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
    assert!(core.contains("2023-11-14T22:13:20Z"), "{core}");
    let bad = with("eilen");
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&bad));
}

/// The console: a last line that sums the run up; `-q` prints nothing (the exit code tells); `-v` logs each
/// file read with its figures; no progress bar when stderr is not a terminal.
#[test]
fn summary_line_quiet_and_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = example_run(&out, &[]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("poikkeama: 2 tiedostoa, 206 lukua, 11 virhettä, "), "{last}");
    assert!(last.ends_with(&format!("→ {}", out.display())), "{last}");
    assert!(!err.contains('\r'), "no progress bar off a terminal");
    let q = run(&["-q", "run", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&q), 1);
    assert_eq!((stdout(&q), stderr(&q)), (String::new(), String::new()));
    let v = run(&["run", "-v", "--out", out.to_str().unwrap(), "--lang", "en"]);
    let err = stderr(&v);
    assert!(err.contains("read file=inputs/kaupunginkansliakeskus_tp2024.xlsx figures=121"), "{err}");
    assert!(err.lines().last().unwrap().starts_with("poikkeama: 2 files, 206 figures, 11 errors, "), "{err}");
    let both = run(&["-q", "-v", "run"]);
    assert_eq!(code(&both), 2, "-q and -v conflict: {}", stderr(&both));
}

/// The flat table of the final rows (`rivit.csv`, `rivit.parquet`) holds the same numbers as the engine's rows
/// and as each other: every amount exact, the unit's path, the binding status, the explanation.
#[test]
fn the_flat_rows_carry_the_same_numbers_as_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &[]);
    let a = engine();
    let mut rd = csv::Reader::from_path(out.join("rivit.csv")).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, poikkeama::report::flat::COLUMNS);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), a.rows.len());
    let dec = |s: &str| (!s.is_empty()).then(|| s.parse::<rust_decimal::Decimal>().unwrap());
    for (r, want) in rows.iter().zip(&a.rows) {
        assert_eq!(
            (&r[0], &r[2], r[4].parse::<i32>().unwrap()),
            (want.unit.as_str(), want.line_item.id().as_str(), want.year)
        );
        assert_eq!(dec(&r[5]), want.ta, "{r:?}");
        assert_eq!(dec(&r[8]), want.tp, "{r:?}");
        assert_eq!(dec(&r[9]), want.variance_shown(), "{r:?}");
    }
    // The binding margin of the centre, within its appropriation, with the finance office's explanation.
    let centre =
        rows.iter().find(|r| &r[0] == "Kaupunginkansliakeskus" && &r[2] == "toimintakate" && &r[4] == "2024").unwrap();
    assert_eq!((&centre[1], &centre[9], &centre[11]), ("Kaupunginkansliakeskus", "330072", "within"));
    assert!(centre[12].starts_with("Esimerkki: keskuksen toimintakate jäi alle budjetin"), "{centre:?}");
    let area = rows.iter().find(|r| &r[0] == "Kaupunginkansliapalvelut").unwrap();
    assert_eq!(&area[1], "Kaupunginkansliakeskus / Kaupunginkansliapalvelut");
    // Parquet: the same rows, amounts as exact decimals.
    use polars::prelude::*;
    let df = ParquetReader::new(std::fs::File::open(out.join("rivit.parquet")).unwrap()).finish().unwrap();
    assert_eq!(df.height(), rows.len());
    assert!(matches!(df.column("tp").unwrap().dtype(), DataType::Decimal(38, _)));
    let tp = df.column("tp").unwrap().cast(&DataType::String).unwrap();
    let tp = tp.str().unwrap();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(tp.get(i).map(|s| s.parse::<rust_decimal::Decimal>().unwrap()), dec(&r[8]), "row {i}");
    }
}

/// The council summary as a self-contained HTML page per language: the Markdown summary's words and numbers,
/// its chart inline (nothing beside it needed), print styles with page numbers.
#[test]
fn the_html_summary_is_the_markdown_one_with_its_chart_inline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &["--lang", "fi,sv,en"]);
    for (html, md, lang) in [
        ("yhteenveto.html", "yhteenveto.md", "fi"),
        ("sammandrag.html", "sammandrag.md", "sv"),
        ("summary.html", "summary.md", "en"),
    ] {
        let page = std::fs::read_to_string(out.join(html)).unwrap();
        let md = std::fs::read_to_string(out.join(md)).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        assert_eq!(page.matches("<svg").count(), 1, "{html}: the chart inline");
        assert!(!page.contains("<img") && !page.contains(" src="), "{html}: nothing outside the page");
        assert!(page.contains("counter(page)"), "{html}: page numbers in print");
        // Every table cell of the Markdown is a cell of the page, in the same order.
        let md_cells: Vec<String> = tables(&md).into_iter().flatten().flatten().filter(|c| !c.is_empty()).collect();
        // Cells: the text between `<td …>` / `<th …>` and `</td>` / `</th>`, inline markup dropped.
        let mut page_cells: Vec<String> = Vec::new();
        for tag in ["<td", "<th"] {
            for part in page.split(tag).skip(1).filter(|p| p.starts_with('>') || p.starts_with(' ')) {
                let inner = &part[part.find('>').unwrap() + 1..];
                let text = &inner[..inner.find("</t").unwrap()];
                let text =
                    text.replace("<strong>", "").replace("</strong>", "").replace("<em>", "").replace("</em>", "");
                page_cells.push(text.replace("&amp;", "&").replace("&quot;", "\""));
            }
        }
        for c in &md_cells {
            assert!(page_cells.contains(c), "{html}: {c:?} not in the page");
        }
    }
}

/// The council summary as a PDF per language (for council agendas): the Markdown summary's words and numbers,
/// typeset with page numbers "n / N".
#[test]
fn the_pdf_summary_is_the_markdown_one_with_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &["--lang", "fi,en"]);
    for (pdf, md) in [("yhteenveto.pdf", "yhteenveto.md"), ("summary.pdf", "summary.md")] {
        let bytes = std::fs::read(out.join(pdf)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{pdf}");
        let squeeze =
        // Hyphens dropped on both sides: the PDF hyphenates long words in narrow cells (minus signs are U+2212).
            |s: &str| s.chars().filter(|c| !c.is_whitespace() && !"*-\u{2003}".contains(*c)).collect::<String>();
        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
        for (n, page) in pages.iter().enumerate() {
            assert!(squeeze(page).contains(&format!("{}/{}", n + 1, pages.len())), "{pdf}: page {}", n + 1);
        }
        let flat = squeeze(&pages.concat());
        let md = std::fs::read_to_string(out.join(md)).unwrap();
        // Every figure of the Markdown's tables (text cells wrap and hyphenate in the PDF's narrow columns).
        let cells: Vec<String> = tables(&md)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|c| c.chars().any(|c| c.is_ascii_digit()) && c.chars().count() < 20)
            .collect();
        assert!(cells.len() > 30, "{pdf}: {} cells", cells.len());
        for c in &cells {
            assert!(flat.contains(&squeeze(c)), "{pdf}: {c:?} not in the text");
        }
    }
}

/// The workbook on paper: the summary sheet prints the reason beside every figure an error or warning is about
/// (cell notes do not print), in a column of its own, on the row of the figure.
#[test]
fn the_summary_sheet_prints_the_reasons_beside_marked_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &[]);
    let mut book: Xlsx<_> = open_workbook(out.join("poikkeama.xlsx")).unwrap();
    let sheet = book.worksheet_range("Yhteenveto").unwrap();
    let text = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    assert_eq!(text(3, 11), "Virheet ja varoitukset");
    let row = (4..sheet.height() as u32)
        .find(|&r| text(r, 0) == "Kaupunginkansliakeskus" && text(r, 1) == "Toimintakate ulkoinen")
        .unwrap();
    assert!(
        text(row, 11).starts_with("virhe: Toimintakate ulkoinen, tilinpäätös 2024: ei ole alayksiköiden summa"),
        "{}",
        text(row, 11)
    );
    // A row without findings prints none.
    let clean = (4..sheet.height() as u32)
        .find(|&r| text(r, 0) == "Kaupunginkansliapalvelut" && text(r, 1) == "Toimintatuotot")
        .unwrap();
    assert_eq!(text(clean, 11), "");
}

/// The annual report's execution tables as a Word document: one table per unit with the summary's numbers, the
/// explanations under it; a valid package (the zip parts Word needs).
#[test]
fn the_execution_tables_document_carries_the_summarys_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &[]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(out.join("toteutumisvertailu.docx")).unwrap()).unwrap();
    for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        assert!(zip.by_name(part).is_ok(), "{part}");
    }
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let md = std::fs::read_to_string(out.join("yhteenveto.md")).unwrap();
    // The summary's unit table (the margin's figures of each unit) is in the document, cell for cell.
    let units = &tables(&md)[1];
    for row in &units[1..] {
        for c in row.iter().map(|c| c.trim_start_matches('\u{2003}')).filter(|c| !c.is_empty()) {
            // A figure the checks found wrong is marked `*` (the finding under the table).
            assert!(xml.contains(&format!(">{c}<")) || xml.contains(&format!(">*{c}<")), "{c:?} not in the document");
        }
    }
    assert!(xml.contains("Esimerkki: tuotot jäivät arvioitua pienemmiksi ja kulut ylittyivät."));
    // The example's wrong figures: Talous- ja henkilöstöpalvelut's margin actuals, marked, with the finding.
    assert!(xml.contains(">*−1\u{a0}839\u{a0}760<"), "the wrong margin is not marked");
    assert!(xml.contains("lähdeluvussa on virhe:"));
    assert!(
        xml.contains(
            ">* Toimintakate ulkoinen, tilinpäätös 2024: ei ole rivien summa: taulukossa −1\u{a0}839\u{a0}760"
        ),
        "the finding is not under the table"
    );
    // The binding appropriation's status, each unit a heading (Word's navigation), the parts deflated.
    assert!(xml.contains("Sitova määräraha (Toimintakate ulkoinen): määrärahassa, +330\u{a0}072 €"), "{xml}");
    assert_eq!(xml.matches("<w:pStyle w:val=\"Heading2\" />").count(), 1, "the department a heading 2");
    assert_eq!(xml.matches("<w:pStyle w:val=\"Heading3\" />").count(), 3, "its areas headings 3");
    // Each table's header row repeats where it continues on a page; no attribute outside the schema.
    assert_eq!(xml.matches("<w:tblHeader />").count(), 4);
    assert!(!xml.contains("<w:gridCol w:w=\"1900\" w:type="), "gridCol carries w:type");
    let part = zip.by_name("word/document.xml").unwrap();
    assert_eq!(part.compression(), zip::CompressionMethod::Deflated);
}

/// The workbook on paper and on screen: each unit's name on the summary sheet links to its block, and each
/// block after a sheet's first starts a printed page (a row break just above the unit's title).
#[test]
fn the_summary_sheet_links_to_each_units_block_and_blocks_start_pages() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    example_run(&out, &[]);
    let file = std::fs::File::open(out.join("poikkeama.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let (summary, units) = (xml("xl/worksheets/sheet1.xml"), xml("xl/worksheets/sheet2.xml"));
    let attr = |tag: &str, name: &str| {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].to_string()
    };
    let links: Vec<(String, String)> =
        summary.split("<hyperlink ").skip(1).map(|t| (attr(t, "display"), attr(t, "location"))).collect();
    let mut book: Xlsx<_> = open_workbook(out.join("poikkeama.xlsx")).unwrap();
    let names: Vec<String> = book.sheet_names().to_vec();
    let sheet = book.worksheet_range(&names[1]).unwrap();
    let mut titles = Vec::new();
    for (unit, location) in &links {
        let (target, cell) = location.rsplit_once('!').unwrap();
        assert_eq!(target.trim_matches('\''), names[1], "{unit}");
        let row: u32 = cell.trim_start_matches('A').parse().unwrap();
        assert_eq!(sheet.get_value((row - 1, 0)).map(|v| v.to_string()), Some(unit.clone()), "{unit} at {cell}");
        titles.push(row - 1);
    }
    assert_eq!(links.len(), 4, "{links:?}");
    // Row breaks are written after a 1-based row: the row above each title but the first.
    let breaks: Vec<u32> = units.split("<brk ").skip(1).map(|t| attr(t, "id").parse().unwrap()).collect();
    assert_eq!(breaks, titles[1..].to_vec());
}

/// The workbook and the Word document in the run's first language: `--lang sv,en` gives Swedish sheet names,
/// headings, line labels and statuses, and the same figures as the Finnish workbook.
#[test]
fn the_workbook_and_the_docx_are_in_the_runs_first_language() {
    let dir = tempfile::tempdir().unwrap();
    let (fi, sv) = (dir.path().join("fi"), dir.path().join("sv"));
    example_run(&fi, &[]);
    example_run(&sv, &["--lang", "sv,en"]);
    let mut book: Xlsx<_> = open_workbook(sv.join("poikkeama.xlsx")).unwrap();
    let names = book.sheet_names().to_vec();
    assert_eq!(names.first().map(String::as_str), Some("Sammandrag"), "{names:?}");
    assert!(names.contains(&"Iakttagelser".to_string()) && names.contains(&"Diagram".to_string()), "{names:?}");
    let s = book.worksheet_range("Sammandrag").unwrap();
    let heads: Vec<String> = (0..12).map(|c| s.get_value((3, c)).map(|v| v.to_string()).unwrap_or_default()).collect();
    assert_eq!(heads[..6], ["Enhet", "Rad", "Budget", "Budgetändringar", "Budget efter ändringar", "Bokslut"]);
    let mut fi_book: Xlsx<_> = open_workbook(fi.join("poikkeama.xlsx")).unwrap();
    let f = fi_book.worksheet_range("Yhteenveto").unwrap();
    let labels: Vec<String> =
        (4..s.height() as u32).filter_map(|r| s.get_value((r, 1)).map(|v| v.to_string())).collect();
    assert!(labels.contains(&"Verksamhetsbidrag externt".to_string()), "{labels:?}");
    assert!((4..s.height() as u32).any(|r| s.get_value((r, 9)).is_some_and(|v| *v == "Inom anslaget")));
    // Same figures, cell by cell.
    for r in 4..f.height() as u32 {
        for c in 2..9 {
            assert_eq!(s.get_value((r, c)), f.get_value((r, c)), "row {r} column {c}");
        }
    }
    // The sheet of tables: places, evidence, signs and columns in the run's language, line items by name.
    let fi_tables = fi_book.worksheet_range("Taulukot").unwrap();
    let sv_tables = book.worksheet_range("Tabeller").unwrap();
    let row = |t: &calamine::Range<Data>, r: u32| -> Vec<String> {
        (0..15).map(|c| t.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default()).collect()
    };
    let first_fi = row(&fi_tables, 1);
    assert_eq!(first_fi[1], "välilehti TA 2023, solu B7 – välilehti TA 2023, solu A25");
    assert_eq!(first_fi[4], "otsikko \"Kaupunginkansliakeskus\"");
    assert_eq!(first_fi[6], "sarakkeiden otsikot");
    assert_eq!(first_fi[8], "taulukon yläpuolinen teksti \"euroa\" (A2)");
    assert_eq!(first_fi[9], "kuten painettu (tulot positiivisina, menot negatiivisina)");
    assert!(first_fi[10].starts_with("B7 \"TILINPÄÄTÖS 2021\": Tilinpäätös 2021 (vuosi: sen otsikko)"), "{first_fi:?}");
    let first_sv = row(&sv_tables, 1);
    assert_eq!(first_sv[1], "blad TA 2023, cell B7 – blad TA 2023, cell A25");
    assert_eq!(first_sv[6], "kolumnernas rubriker");
    assert_eq!(first_sv[9], "som tryckt (intäkter positiva, kostnader negativa)");
    assert!(first_sv[10].starts_with("B7 \"TILINPÄÄTÖS 2021\": Bokslut 2021 (år: dess rubrik)"), "{first_sv:?}");
    // No English and no ids in either: every table's every cell.
    for (t, lang) in [(&fi_tables, "fi"), (&sv_tables, "sv")] {
        for r in 1..t.height() as u32 {
            for cell in row(t, r) {
                for english in
                    ["the title", "header", "none stated", "as printed", "year from", "sheet ", "ta_muutettu"]
                {
                    assert!(!cell.contains(english), "{lang} row {r}: {english:?} in {cell:?}");
                }
            }
        }
    }
    let docx = std::fs::read(sv.join("toteutumisvertailu.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("Budget efter ändringar, €") && xml.contains("budgetutfall 2024"), "Swedish headings");
    assert!(!xml.contains("TA muutosten jälkeen"), "no Finnish headings");
}
