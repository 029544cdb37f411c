//! The council's summary (issue 20): every binding appropriation with its explanation, every overrun of one
//! explained or flagged whatever the thresholds, and what the variance's signs mean.

mod common;
use common::*;

/// A department with a binding margin whose areas overran it by 30 € (well under the thresholds for an
/// explanation): budget −500 on its own cost center, actuals −530 on its areas'.
fn setup(explanations: &str) -> tempfile::TempDir {
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
    std::fs::write(dir.path().join("perustelut.csv"), format!("yksikkö;rivi;vuosi;perustelu\n{explanations}")).unwrap();
    dir
}

fn run_all(dir: &std::path::Path) -> (std::process::Output, String, String) {
    let out = run_in(
        dir,
        &["run", "--org", "org.toml", "--explanations", "perustelut.csv", "--lang", "fi,en", "--out", "o", "l.csv"],
    );
    let fi = std::fs::read_to_string(dir.join("o/yhteenveto.md")).unwrap_or_default();
    let en = std::fs::read_to_string(dir.join("o/summary.md")).unwrap_or_default();
    (out, fi, en)
}

#[test]
fn an_overrun_of_a_binding_appropriation_needs_an_explanation_whatever_the_thresholds() {
    let dir = setup("");
    let (out, fi, en) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The overrun line says the reason is missing.
    let line = fi.lines().find(|l| l.starts_with("| **Keskus** |")).unwrap_or_else(|| panic!("{fi}"));
    let cells: Vec<&str> = line.split(" | ").map(|c| c.trim_matches(|c| c == '|' || c == ' ')).collect();
    assert_eq!(
        cells[1..],
        ["Toimintakate ulkoinen", "−500", "−530", "−30", "−6,0\u{a0}%", "**ylittyi**", "*perustelu puuttuu*"],
        "{line}"
    );
    assert!(fi.contains("Sitovan määrärahan ylitys vaatii valtuuston päätöksen"), "{fi}");
    // And findings.json has the warning, with the overrun.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap()).unwrap();
    let missing: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "explanation_missing").collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!((&missing[0]["unit"], &missing[0]["line_item"]), (&"Keskus".into(), &"toimintakate".into()));
    assert_eq!(missing[0]["severity"], "warning");
    assert!(
        missing[0]["message"].as_str().unwrap_or_default().contains("sitovan määrärahan ylitys −30"),
        "{:#}",
        missing[0]
    );
    // Every summary says what the signs mean.
    assert!(fi.contains("**+** on talousarviota parempi, **−** heikompi"), "{fi}");
    assert!(en.contains("**+** is better than budget, **−** worse"), "{en}");
}

/// A top-level unit whose margin is not binding: its explanation opens the summary.
#[test]
fn a_top_level_units_explanation_opens_the_summary() {
    let dir = setup("Keskus;Toimintakate;2024;Alue B:n kiinteistökulut nousivat.\n");
    let org =
        std::fs::read_to_string(dir.path().join("org.toml")).unwrap().replace("binding = [\"toimintakate\"]\n", "");
    std::fs::write(dir.path().join("org.toml"), org).unwrap();
    let (out, fi, _) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let opening = fi.lines().find(|l| l.starts_with("**Keskus**")).unwrap_or_else(|| panic!("{fi}"));
    assert!(opening.ends_with("Perustelu: Alue B:n kiinteistökulut nousivat."), "{opening}");
}

#[test]
fn a_binding_appropriations_explanation_reaches_the_council() {
    let dir = setup("Keskus;Toimintakate;2024;Alue B:n kiinteistökulut nousivat.\n");
    let (out, fi, _) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let line = fi.lines().find(|l| l.starts_with("| **Keskus** |")).unwrap_or_else(|| panic!("{fi}"));
    assert!(line.ends_with("| Alue B:n kiinteistökulut nousivat. |"), "{line}");
    // Once: the department's margin is its binding appropriation, explained there, not again in the opening.
    assert_eq!(fi.matches("Alue B:n kiinteistökulut nousivat.").count(), 1, "{fi}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap()).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["rule"] != "explanation_missing"), "{v:#}");
}

/// Explanations may carry their language (`kieli`): each summary prints the one in its language, else the one
/// without a language.
#[test]
fn each_summary_prints_the_explanation_in_its_language() {
    let dir = setup("");
    std::fs::write(
        dir.path().join("perustelut.csv"),
        "yksikkö;rivi;vuosi;kieli;perustelu\n\
         Keskus;Toimintakate;2024;fi;Kiinteistökulut nousivat.\n\
         Keskus;Toimintakate;2024;en;Property costs rose.\n",
    )
    .unwrap();
    let (out, fi, en) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let line = |md: &str| md.lines().find(|l| l.starts_with("| **Keskus** |")).unwrap_or_default().to_string();
    assert!(line(&fi).ends_with("| Kiinteistökulut nousivat. |"), "{fi}");
    assert!(line(&en).ends_with("| Property costs rose. |"), "{en}");
    assert!(!en.contains("Kiinteistökulut"), "{en}");
    // A language the tool does not know is an error naming the line.
    std::fs::write(
        dir.path().join("perustelut.csv"),
        "yksikkö;rivi;vuosi;kieli;perustelu\nKeskus;Toimintakate;2024;de;x\n",
    )
    .unwrap();
    let (out, _, _) = run_all(dir.path());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("perustelut.csv:2") && stderr(&out).contains("\"de\" is none of fi, sv, en"),
        "{}",
        stderr(&out)
    );
}

/// An org with several roots (two departments, no common parent): the municipality's total is computed from
/// them and opens the summary, in every language; the flat rows carry it with its figures.
#[test]
fn several_roots_get_a_municipality_total() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("org.toml"),
        "name = \"Kunta\"\n[[unit]]\nname = \"Hallinto\"\ncodes = [\"1100\"]\n\
         [[unit]]\nname = \"Koulu\"\nname_en = \"School\"\ncodes = [\"1200\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("l.csv"),
        "Kustannuspaikka;Tili;TA 2024;TP 2024\n1100;3000;-500;-520\n1100;4300;1000;1100\n\
         1200;4300;2000;1900\n1200;3000;-100;-90\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--lang", "fi,en", "--out", "o", "l.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let fi = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    let row = |md: &str, unit: &str| -> Vec<String> {
        let line = md.lines().find(|l| l.trim_start_matches("| ").trim_start_matches('\u{2003}').starts_with(unit));
        let line = line.unwrap_or_else(|| panic!("{unit} in {md}"));
        line.split(" | ").map(|c| c.trim_matches(|c| c == '|' || c == ' ' || c == '\u{2003}').to_string()).collect()
    };
    // Revenues 520 + 90 = 610 against 600; costs 1 100 + 1 900 = 3 000 against 3 000: margin −2 390 / −2 400.
    assert_eq!(
        row(&fi, "Kunta yhteensä")[1..],
        ["−2\u{a0}400", "", "−2\u{a0}400", "−2\u{a0}390", "+10", "+0,4\u{a0}%"]
    );
    assert_eq!(row(&fi, "Koulu")[5], "+90");
    assert!(fi.contains("**Kunta yhteensä**: ulkoinen toimintakate toteutui 10\u{a0}€"), "{fi}");
    let en = std::fs::read_to_string(dir.path().join("o/summary.md")).unwrap();
    assert_eq!(row(&en, "Kunta yhteensä")[4], "−2,390");
    assert_eq!(row(&en, "School")[5], "+90");
    let flat = std::fs::read_to_string(dir.path().join("o/rivit.csv")).unwrap();
    assert!(flat.lines().any(|l| l.starts_with("Kunta yhteensä,") && l.contains(",toimintakate,")), "{flat}");
}

/// At city scale (300 departments of 10 units each, no common parent): the summary's unit table holds the
/// municipality total, the 38 departments with the largest margin variances and one row summing the other
/// 262, whose figures equal the sums of their units' rows computed here from the ledger; the chart as many bars.
#[test]
fn at_city_scale_the_overview_keeps_the_largest_and_sums_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut org = String::from("name = \"Kaupunki\"\n");
    let mut ledger = String::from("kustannuspaikka;tili;talousarvio;toteuma\n");
    // Cost overrun of unit (i, j) in euros: the margin's variance is its negation.
    let d = |i: i64, j: i64| (i * 7 + j * 13) % 101 - 50;
    for i in 0..300i64 {
        org.push_str(&format!("[[unit]]\nname = \"Toimiala {i:03}\"\n"));
        for j in 0..10 {
            let cc = 10_000 + i * 10 + j;
            org.push_str(&format!(
                "[[unit]]\nname = \"Yksikkö {i:03}-{j}\"\nparent = \"Toimiala {i:03}\"\ncodes = [\"{cc}\"]\n"
            ));
            ledger.push_str(&format!("{cc};4300;1000;{}\n", 1000 + d(i, j)));
        }
    }
    std::fs::write(dir.path().join("org.toml"), org).unwrap();
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--year", "2024", "--out", "o", "l.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    // Independently: each department's variance, the 38 largest (ties by name), the rest summed.
    let mut deps: Vec<(String, i64)> =
        (0..300).map(|i| (format!("Toimiala {i:03}"), -(0..10).map(|j| d(i, j)).sum::<i64>())).collect();
    deps.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    let rest = deps.split_off(38);
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("## Yksiköt"))
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| Yksikkö"))
        .collect();
    assert_eq!(table.len(), 1 + 38 + 1, "{md}");
    assert!(table[0].starts_with("| Kaupunki yhteensä |"), "{}", table[0]);
    let shown: Vec<&str> = table[1..39]
        .iter()
        .map(|l| l.trim_start_matches("| ").trim_start_matches('\u{2003}').split(" |").next().unwrap())
        .collect();
    let mut want: Vec<&str> = deps.iter().map(|(n, _)| n.as_str()).collect();
    want.sort();
    assert_eq!(shown, want, "the largest, in tree order");
    let num = |v: i64| {
        let s = v.abs().to_string();
        let mut out = String::new();
        for (k, c) in s.chars().enumerate() {
            if k > 0 && (s.len() - k).is_multiple_of(3) {
                out.push('\u{a0}');
            }
            out.push(c);
        }
        format!(
            "{}{out}",
            if v < 0 {
                "−"
            } else if v > 0 {
                "+"
            } else {
                ""
            }
        )
    };
    let others = table[39];
    let cells: Vec<&str> = others.split(" | ").map(|c| c.trim_matches(|c| c == '|' || c == ' ')).collect();
    assert!(cells[0].ends_with("*Muut 262 yksikköä yhteensä*"), "{others}");
    // Budget: 262 departments × 10 units × −1 000 €; variance: the rest's sum.
    assert_eq!(cells[3], num(-2_620_000).trim_start_matches('+'), "{others}");
    assert_eq!(cells[5], num(rest.iter().map(|(_, v)| v).sum()), "{others}");
    let svg = std::fs::read_to_string(dir.path().join("o/toimintakate_poikkeama.svg")).unwrap();
    assert_eq!(svg.matches("<rect x=").count(), 40, "one bar per row of the table");
    assert!(svg.contains("Muut 262 yksikköä yhteensä"));
}

/// A ledger run prints no variance of its own: a finding about the variance (the overrun's missing
/// explanation) links to the computed variance the sheet shows (column G), not the empty reported one (F).
#[test]
fn a_ledger_runs_variance_finding_links_to_the_variance_shown() {
    let dir = setup("");
    let (out, _, _) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = std::fs::File::open(dir.path().join("o/poikkeama.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.to_string())).collect();
    let mut links = Vec::new();
    for name in names.iter().filter(|n| n.starts_with("xl/worksheets/sheet")) {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        links.extend(xml.split("display=\"").skip(1).map(|t| t[..t.find('"').unwrap()].to_string()));
    }
    // Findings: the binding overrun on TP (column E) and the missing explanation on the variance (G).
    assert!(links.iter().any(|l| l.starts_with("Keskus!E")), "{links:?}");
    assert!(links.iter().any(|l| l.starts_with("Keskus!G")), "{links:?}");
    assert!(!links.iter().any(|l| l.starts_with("Keskus!F")), "{links:?}");
}

/// Many binding appropriations: the summary opens with the municipality's margin, then counts them (overrun,
/// by how much in all, how many without an explanation, within budget) and lists the overruns first, the
/// largest first, so that a council member has the answer on the first page.
#[test]
fn binding_appropriations_are_counted_and_the_largest_overruns_come_first() {
    let dir = tempfile::tempdir().unwrap();
    // Ten binding areas under one department: budget −1 000 each; actuals −1 000 − 10·k for k = 0..9 (area 0
    // within, areas 1–9 overrun by 10·k €), so the overruns are 90, 80, …, 10 € and 450 € in all.
    let mut org = String::from("name = \"Kunta\"\n[[unit]]\nname = \"Keskus\"\ncodes = [\"1000\"]\n");
    let mut ledger = String::from("vuosi;kustannuspaikka;tili;talousarvio;toteuma\n");
    for k in 0..10 {
        org.push_str(&format!(
            "[[unit]]\nname = \"Alue {k}\"\nparent = \"Keskus\"\nbinding = [\"toimintakate\"]\ncodes = [\"{}\"]\n",
            1100 + k
        ));
        ledger.push_str(&format!("2024;{};4300;-1000,00;-{},00\n", 1100 + k, 1000 + 10 * k));
    }
    std::fs::write(dir.path().join("org.toml"), org).unwrap();
    std::fs::write(dir.path().join("l.csv"), ledger).unwrap();
    // Areas 3 and 7 explain theirs.
    std::fs::write(
        dir.path().join("perustelut.csv"),
        "yksikkö;rivi;vuosi;perustelu\nAlue 3;Toimintakate;2024;Sijaisia tarvittiin.\nAlue 7;Toimintakate;2024;Vuokrat nousivat.\n",
    )
    .unwrap();
    let (out, fi, en) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        fi.contains(
            "Sitovia määrärahoja on 10: **ylittyi 9** (yhteensä −450\u{a0}€), joista **7 ilman perustelua**; \
             talousarviossa pysyi 1."
        ),
        "{fi}"
    );
    assert!(
        en.contains("Binding appropriations: 10; **9 overrun** (−€450 in all), **7 of them without an explanation**"),
        "{en}"
    );
    // The opening (the department's margin) comes before the binding table.
    let opening = fi.find("**Keskus**: ").unwrap_or_else(|| panic!("{fi}"));
    assert!(opening < fi.find("## Sitovat määrärahat").unwrap(), "{fi}");
    // Overruns by size, the largest first; the one within budget last.
    let order: Vec<&str> = fi
        .lines()
        .filter(|l| l.starts_with("| **Alue "))
        .map(|l| l.trim_start_matches("| **").split("**").next().unwrap())
        .collect();
    let want: Vec<String> = (1..10).rev().map(|k| format!("Alue {k}")).chain(["Alue 0".to_string()]).collect();
    assert_eq!(order, want, "{fi}");
    // Under the units' variances too, an unexplained overrun says its explanation is missing, however small.
    let alue9 = fi.lines().find(|l| l.starts_with("- **Alue 9**")).unwrap_or_else(|| panic!("{fi}"));
    assert!(alue9.ends_with("*perustelu puuttuu*"), "{alue9}");
    let alue3 = fi.lines().find(|l| l.starts_with("- **Alue 3**")).unwrap_or_else(|| panic!("{fi}"));
    assert!(alue3.ends_with("Perustelu: Sijaisia tarvittiin."), "{alue3}");
}

/// Appropriations inside one another (a department's margin and its areas'): the overruns' total counts each
/// euro once — the areas' overruns are in the department's already.
#[test]
fn nested_overruns_are_counted_once_in_the_total() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("org.toml"),
        "name = \"Kunta\"\n[[unit]]\nname = \"Keskus\"\nbinding = [\"toimintakate\"]\n\
         [[unit]]\nname = \"Alue 1\"\nparent = \"Keskus\"\nbinding = [\"toimintakate\"]\ncodes = [\"1100\"]\n\
         [[unit]]\nname = \"Alue 2\"\nparent = \"Keskus\"\nbinding = [\"toimintakate\"]\ncodes = [\"1200\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("l.csv"),
        "vuosi;kustannuspaikka;tili;talousarvio;toteuma\n2024;1100;4300;-1000,00;-1010,00\n2024;1200;4300;-1000,00;-1020,00\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("perustelut.csv"), "yksikkö;rivi;vuosi;perustelu\n").unwrap();
    let (out, fi, _) = run_all(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(fi.contains("Sitovia määrärahoja on 3: **ylittyi 3** (yhteensä −30\u{a0}€)"), "{fi}");
}
