//! `poikkeama validate` end to end on the example inputs (the seed documents' figures): exactly the real
//! inconsistencies are errors, with their differences; rounding is info; exit codes.

mod common;
use common::*;
use serde_json::Value;

fn findings() -> Vec<Value> {
    let out = run(&["validate", "--format", "json", "--org", "inputs/organisaatio.toml", "inputs/"]);
    assert_eq!(code(&out), 1, "the published figures have errors: {}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["findings"].as_array().unwrap().clone()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

#[test]
fn seed_errors_exactly_with_their_differences() {
    let all = findings();
    let mut errors: Vec<(String, String, String, String, i64, String)> = all
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                s(&f["rule"]).to_string(),
                s(&f["unit"]).to_string(),
                s(&f["line_item"]).to_string(),
                s(&f["scenario"]).to_string(),
                f["year"].as_i64().unwrap(),
                s(&f["difference"]).to_string(),
            )
        })
        .collect();
    errors.sort();
    let e = |rule: &str, unit: &str, li: &str, sc: &str, y: i64, diff: &str| {
        (rule.to_string(), unit.to_string(), li.to_string(), sc.to_string(), y, diff.to_string())
    };
    let k = "Kaupunginkansliakeskus";
    let thp = "Talous- ja henkilöstöpalvelut";
    let mut expected = vec![
        // Seed 001: the department's "Sisäiset erät" variance is printed with the wrong sign.
        e("poikkeama", k, "sisaiset_erat", "poikkeama", 2024, "-3390"),
        e("rollup", k, "sisaiset_erat", "poikkeama", 2024, "-3390"),
        // Seed 001: Talous- ja henkilöstöpalvelut's operating margin TP is 10 off its own rows …
        e("sum", thp, "toimintakate", "tp", 2024, "-10"),
        e("sum", thp, "toimintakate", "poikkeama", 2024, "-10"),
        // … so the department's margin is 10 off its areas' (and its variance 9).
        e("rollup", k, "toimintakate", "tp", 2024, "10"),
        e("rollup", k, "toimintakate", "poikkeama", 2024, "9"),
        // Seed 001: the department's depreciation includes 5 939 that no area reports.
        e("rollup", k, "poistot_ja_arvonalentumiset", "ta", 2024, "-5939"),
        e("rollup", k, "poistot_ja_arvonalentumiset", "ta_muutettu", 2024, "-5939"),
        e("rollup", k, "poistot_ja_arvonalentumiset", "tp", 2024, "-5939"),
        // Seed 003: Talouspalvelut's 2022 margin implies 12 000 of revenue its table leaves blank,
        // which the department's revenue includes.
        e("sum", thp, "toimintakate", "ta_muutettu", 2022, "12000"),
        e("rollup", k, "toimintatuotot", "ta_muutettu", 2022, "12000"),
    ];
    expected.sort();
    assert_eq!(errors, expected);

    // The root causes are named.
    let find = |rule: &str, li: &str, sc: &str| {
        all.iter()
            .find(|f| {
                f["severity"] == "error"
                    && f["rule"] == rule
                    && f["line_item"] == li
                    && f["scenario"] == sc
                    && f["unit"] == k
            })
            .unwrap()
    };
    assert!(s(&find("rollup", "toimintakate", "tp")["message"])
        .contains("Johtuu virheestä: Talous- ja henkilöstöpalvelut, Toimintakate ulkoinen, tilinpäätös 2024"));
    assert!(s(&find("rollup", "toimintatuotot", "ta_muutettu")["message"]).starts_with(
        "Toimintatuotot, TA muutosten jälkeen 2022: ei ole alayksiköiden summa: taulukossa 312\u{a0}600\u{a0}€, \
         laskettuna 300\u{a0}600\u{a0}€, ero +12\u{a0}000\u{a0}€. Johtuu virheestä: Talous- ja henkilöstöpalvelut"
    ));
    assert!(find("rollup", "poistot_ja_arvonalentumiset", "tp").get("explained_by").is_none());
    let margin = find("rollup", "toimintakate", "tp");
    assert_eq!(
        margin["explained_by"],
        serde_json::json!({"unit": "Talous- ja henkilöstöpalvelut", "rule": "sum", "line_item": "toimintakate",
            "scenario": "tp", "year": 2024})
    );
    // Five of the eleven errors follow from another one; six need correcting at their own cell.
    let follow = all.iter().filter(|f| f["severity"] == "error" && f.get("explained_by").is_some()).count();
    assert_eq!(follow, 5);
    assert_eq!(s(&margin["expected"]), "-3612773");
    assert_eq!(s(&margin["actual"]), "-3612763");
    assert_eq!(margin["sources"][0], "inputs/kaupunginkansliakeskus_tp2024.xlsx:Keskus TP2024!E19");
}

#[test]
fn rounding_is_info_never_error() {
    let all = findings();
    let info: Vec<&Value> = all.iter().filter(|f| f["severity"] == "info" && f["rule"] != "binding_within").collect();
    assert_eq!(info.len(), 21);
    for f in &info {
        let d: i64 = s(&f["difference"]).parse().unwrap();
        assert!(d.abs() <= 2, "{f}");
    }
    // The printed 160 157 for −1 774 883 − (−1 935 039) = 160 156 is rounding.
    assert!(info
        .iter()
        .any(|f| f["rule"] == "poikkeama" && f["line_item"] == "henkilostokulut" && f["difference"] == "1"));
    // Errors come first.
    let first_info = all.iter().position(|f| f["severity"] != "error").unwrap();
    assert!(all[first_info..].iter().all(|f| f["severity"] != "error"));
}

#[test]
fn binding_appropriation_of_the_department() {
    let all = findings();
    let b: Vec<&Value> = all.iter().filter(|f| s(&f["rule"]).starts_with("binding")).collect();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0]["rule"], "binding_within");
    assert_eq!(b[0]["unit"], "Kaupunginkansliakeskus");
    assert_eq!(b[0]["expected"], "-3942834");
    assert_eq!(b[0]["actual"], "-3612763");
    // TP − TA = 330 071; the table prints 330 072, within rounding: every report shows the printed one.
    assert_eq!(b[0]["difference"], "330072");
    assert!(s(&b[0]["message"]).contains("330\u{a0}072\u{a0}€ parempi kuin talousarvio (8,4\u{a0}%)"));
}

#[test]
fn text_format_lists_errors_first_with_cells() {
    let out = run(&["validate", "--org", "inputs/organisaatio.toml", "inputs/"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.starts_with("virhe · alayksiköiden summa · Kaupunginkansliakeskus"), "{text}");
    assert!(text.contains("solut: inputs/kaupunginkansliakeskus_tp2024.xlsx:Keskus TP2024!F21"));
    assert!(text.trim_end().ends_with("11 virhettä, 1 varoitus, 22 huomiota"), "{text}");
    // The same in English: words, not ids.
    let out = run(&["validate", "--lang", "en", "--org", "inputs/organisaatio.toml", "inputs/"]);
    let text = stdout(&out);
    assert!(text.starts_with("error · sum of sub-units · Kaupunginkansliakeskus"), "{text}");
    assert!(text.contains("Operating revenue, budget after changes 2022: is not the sum of the sub-units"));
    assert!(!text.contains("ta_muutettu") && !text.contains("[rollup]"), "{text}");
    assert!(text.trim_end().ends_with("11 errors, 1 warning, 22 info"), "{text}");
}

#[test]
fn clean_figures_exit_zero_and_bad_input_two() {
    let dir = tempfile::tempdir().unwrap();
    save_clean_workbook(dir.path(), "ok.xlsx", "Toimintatuotot", 500.0, 2671.0);
    let out = run_in(dir.path(), &["validate", "ok.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("0 virhettä"));
    std::fs::write(dir.path().join("bad.xlsx"), "nope").unwrap();
    let out = run_in(dir.path(), &["validate", "bad.xlsx"]);
    assert_eq!(code(&out), 2);
}

/// A department printing personnel costs over two areas that print wages and social costs instead: each
/// area's personnel costs are the sum of its two rows (its own total confirms them), so the rollup holds.
/// Where an area's total does not add up, its sub-rows are not taken as the whole item, and the
/// department's rollup of personnel costs is a warning, not an error.
#[test]
fn sub_rows_stand_in_for_their_item_in_rollups() {
    use common::V::{E, N, T};
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org.toml");
    std::fs::write(
        &org,
        "name = \"Kunta\"\n[[unit]]\nname = \"Keskus\"\n[[unit]]\nname = \"Alue A\"\nparent = \"Keskus\"\n\
         [[unit]]\nname = \"Alue B\"\nparent = \"Keskus\"\n",
    )
    .unwrap();
    let table = |name: &'static str, rows: Vec<(&'static str, f64, f64)>| {
        let mut out = vec![vec![T(name)], vec![E, T("TA 2024"), T("TP 2024")]];
        out.extend(rows.into_iter().map(|(l, ta, tp)| vec![T(l), N(ta), N(tp)]));
        out.push(vec![]);
        out
    };
    let book = |b_costs_tp: f64| {
        let mut rows = table(
            "Keskus",
            vec![
                ("Myyntituotot", 100.0, 110.0),
                ("Henkilöstökulut", -500.0, -520.0),
                ("Palvelujen ostot", -200.0, -190.0),
                ("Toimintakulut", -700.0, -710.0),
                ("Toimintakate", -600.0, -600.0),
            ],
        );
        rows.extend(table(
            "Alue A",
            vec![
                ("Myyntituotot", 60.0, 70.0),
                ("Palkat ja palkkiot", -200.0, -210.0),
                ("Henkilösivukulut", -50.0, -50.0),
                ("Palvelujen ostot", -120.0, -110.0),
                ("Toimintakulut", -370.0, -370.0),
                ("Toimintakate", -310.0, -300.0),
            ],
        ));
        rows.extend(table(
            "Alue B",
            vec![
                ("Myyntituotot", 40.0, 40.0),
                ("Palkat ja palkkiot", -200.0, -210.0),
                ("Henkilösivukulut", -50.0, -50.0),
                ("Palvelujen ostot", -80.0, -80.0),
                ("Toimintakulut", -330.0, b_costs_tp),
                ("Toimintakate", -290.0, -300.0),
            ],
        ));
        let mut wb = rust_xlsxwriter::Workbook::new();
        write_sheet(&mut wb, "Talous", &rows, &[]);
        save(&mut wb, dir.path(), "kirja.xlsx")
    };
    let validate = |file: &std::path::Path| {
        let out = run(&["validate", "--format", "json", "--org", org.to_str().unwrap(), file.to_str().unwrap()]);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|_| panic!("{}", stderr(&out)));
        (code(&out), v["findings"].as_array().unwrap().clone())
    };

    let (exit, list) = validate(&book(-340.0));
    assert_eq!(exit, 0, "{list:#?}");
    assert!(list.iter().all(|f| f["severity"] == "info"), "{list:#?}");

    // Alue B prints 350 where its rows add up to 340: that is its own error (and the department's costs
    // rollup follows from it), but its wages and social costs are not proven to be all its personnel costs.
    let (exit, list) = validate(&book(-350.0));
    assert_eq!(exit, 1);
    let errors: Vec<(&str, &str, &str, &str)> = list
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (s(&f["rule"]), s(&f["unit"]), s(&f["line_item"]), s(&f["difference"])))
        .collect();
    assert!(errors.contains(&("sum", "Alue B", "toimintakulut", "-10")), "{errors:?}");
    assert!(errors.iter().all(|e| e.2 != "henkilostokulut"), "{errors:?}");
    let warning = list
        .iter()
        .find(|f| f["severity"] == "warning" && f["line_item"] == "henkilostokulut" && f["scenario"] == "tp")
        .expect("the personnel-costs rollup is a warning");
    let m = s(&warning["message"]);
    assert!(m.contains("Alue B") && m.contains("kirja.xlsx:Talous!C"), "{m}");
}

/// A unit the org file lacks is one cause, not dozens of errors: the rollups its figures would complete are
/// warnings explained by it, listed right after it; the errors that remain are the real ones.
#[test]
fn a_missing_unit_is_one_cause_listed_first() {
    let dir = tempfile::tempdir().unwrap();
    let org = std::fs::read_to_string(root("inputs/organisaatio.toml")).unwrap();
    let cut = org.find("[[unit]]\nname = \"Talous- ja henkilöstöpalvelut\"").unwrap();
    let path = dir.path().join("org.toml");
    std::fs::write(&path, &org[..cut]).unwrap();
    let out = run(&["validate", "--format", "json", "--org", path.to_str().unwrap(), "inputs/"]);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let all = v["findings"].as_array().unwrap();
    let errors = all.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(errors, 11, "the seeds' own errors, not one per rollup of the missing unit");
    let explained: Vec<usize> = (0..all.len()).filter(|&i| all[i]["explained_by"]["rule"] == "unknown_unit").collect();
    assert_eq!(explained.len(), 23);
    for &i in &explained {
        let f = &all[i];
        assert_eq!((f["severity"].as_str(), f["rule"].as_str()), (Some("warning"), Some("rollup")));
        let cause = f["explained_by"]["unit"].as_str().unwrap();
        // Its cause stands above it, with only findings of the same cause in between.
        let at = (0..i).rev().find(|&j| all[j]["rule"] == "unknown_unit" && all[j]["unit"] == cause).unwrap();
        assert!((at + 1..i).all(|j| all[j]["explained_by"]["unit"] == cause), "{f}");
        assert!(s(&f["message"]).contains(&format!("Selittyy yksiköllä \"{cause}\"")), "{f}");
    }
    // The revenue of 2024: the department's 300 500 is its areas' 20 500 and the missing unit's 280 000.
    assert!(explained.iter().any(|&i| {
        all[i]["line_item"] == "toimintatuotot" && all[i]["scenario"] == "ta" && all[i]["difference"] == "280000"
    }));
}
