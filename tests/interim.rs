//! Interim reports (issue 21): a monthly ledger, generated here, cut at several months, against an independent
//! computation of every interim figure: actuals to date, realisation, the run-rate forecast to the cent, its
//! variance, and the binding appropriation's risk. The expected figures are computed here in integer cents,
//! never by the program.

// Amounts in cents are written euros_cents (`1_200_000_00` is 1 200 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

mod common;
use common::*;
use std::collections::BTreeMap;

const ORG: &str = "name = \"Kunta\"\n\
[[unit]]\nname = \"Keskus\"\nbinding = [\"toimintakate\"]\ncodes = [\"1000\"]\n\
[[unit]]\nname = \"Alue A\"\nparent = \"Keskus\"\ncodes = [\"1100\"]\n\
[[unit]]\nname = \"Alue B\"\nparent = \"Keskus\"\ncodes = [\"1200\"]\n";

/// (cost center, account, year's budget in cents as booked: costs positive, revenues negative).
const BUDGET: &[(u32, u32, i64)] = &[
    (1000, 4300, 1_200_000_00),
    (1100, 3000, -240_000_00),
    (1100, 4000, 2_400_000_00),
    (1200, 4300, 600_000_00),
    (1200, 3200, -60_000_00),
];

/// A month's actuals of one account, booked (cents): the twelfth of the budget, give or take a varying amount.
fn actual(cc: u32, account: u32, month: u32) -> i64 {
    let budget = BUDGET.iter().find(|b| b.0 == cc && b.1 == account).unwrap().2;
    let wobble = i64::from((month * 7919 + cc * 31 + account) % 100_003) - 40_000;
    budget / 12 + if budget > 0 { wobble } else { -wobble / 10 }
}

fn euros(cents: i64) -> String {
    format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100)
}

/// The ledger: the year's budget dated 1 January, each month's actuals on its 15th, months 1..=last.
fn ledger(last: u32) -> String {
    let mut out = String::from("kirjauspäivä;kustannuspaikka;tili;talousarvio;toteuma\n");
    for (cc, account, budget) in BUDGET {
        out.push_str(&format!("1.1.2024;{cc};{account};{};\n", euros(*budget)));
    }
    for month in 1..=last {
        for (cc, account, _) in BUDGET {
            out.push_str(&format!("15.{month}.2024;{cc};{account};;{}\n", euros(actual(*cc, *account, month))));
        }
    }
    out
}

/// Rounds `num / den` to the nearest integer, halves away from zero.
fn div_round(num: i128, den: i128) -> i128 {
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let q = (2 * num.abs() + den) / (2 * den);
    if num < 0 {
        -q
    } else {
        q
    }
}

/// The margin of a unit (cost centers), the reports' signs: (budget, actuals to date through `months`).
fn margin(ccs: &[u32], months: u32) -> (i64, i64) {
    let budget: i64 = BUDGET.iter().filter(|b| ccs.contains(&b.0)).map(|b| -b.2).sum();
    let to_date: i64 = (1..=months)
        .flat_map(|m| BUDGET.iter().filter(|b| ccs.contains(&b.0)).map(move |b| -actual(b.0, b.1, m)))
        .sum();
    (budget, to_date)
}

/// The flat rows' interim columns of 2024 by (unit, line item): toteuma_kausi, forecast, method, variance, risk.
fn interim_rows(dir: &std::path::Path) -> BTreeMap<(String, String), Vec<String>> {
    let mut rd = csv::Reader::from_path(dir.join("o/rivit.csv")).unwrap();
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    let cols = ["toteuma_kausi", "forecast", "forecast_method", "forecast_variance", "forecast_risk", "tp", "ta_kausi"];
    rd.records()
        .map(Result::unwrap)
        .filter(|r| &r[at("year")] == "2024")
        .map(|r| {
            (
                (r[at("unit")].to_string(), r[at("line_item")].to_string()),
                cols.iter().map(|c| r[at(c)].to_string()).collect(),
            )
        })
        .collect()
}

fn cents(text: &str) -> i128 {
    let d: rust_decimal::Decimal = text.parse().unwrap();
    (d * rust_decimal::Decimal::from(100)).normalize().mantissa()
}

#[test]
fn a_monthly_ledger_cut_at_several_months_gives_the_interim_figures_of_an_independent_computation() {
    for cut in [3u32, 8, 11] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
        std::fs::write(dir.path().join("l.csv"), ledger(12)).unwrap();
        let period = format!("2024-{cut:02}");
        let out = run_in(dir.path(), &["run", "--org", "org.toml", "--period", &period, "--out", "o", "l.csv"]);
        assert!(code(&out) <= 1, "{}", stderr(&out));
        let rows = interim_rows(dir.path());
        for (unit, ccs) in [("Keskus", &[1000, 1100, 1200][..]), ("Alue A", &[1100][..]), ("Alue B", &[1200][..])] {
            let (budget, to_date) = margin(ccs, cut);
            let forecast = div_round(i128::from(to_date) * 12, i128::from(cut));
            let variance = forecast - i128::from(budget);
            let got = &rows[&(unit.to_string(), "toimintakate".to_string())];
            assert_eq!(cents(&got[0]), i128::from(to_date), "{unit} actuals to date, cut {cut}");
            assert_eq!(cents(&got[1]), forecast, "{unit} forecast, cut {cut}");
            assert_eq!(got[2], "run_rate");
            assert_eq!(cents(&got[3]), variance, "{unit} forecast variance, cut {cut}");
            assert_eq!(got[5], "", "{unit}: never the year's actuals");
            // The budget for the months elapsed: budget × months / 12, to the cent.
            assert_eq!(
                cents(&got[6]),
                div_round(i128::from(budget) * i128::from(cut), 12),
                "{unit} periodised, cut {cut}"
            );
            if unit == "Keskus" {
                let risk = if variance >= 0 { "within" } else { "overrun" };
                assert_eq!(got[4], risk, "cut {cut}");
            }
        }
        // The summary's headline names the period and the elapsed share.
        let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
        let elapsed = format!("{:.1}", f64::from(cut) / 12.0 * 100.0).replace('.', ",");
        assert!(md.contains(&format!("aikaa kulunut {elapsed}\u{a0}%")), "{md}");
        // Actuals dated after the period are named with their count.
        let after = (12 - cut) as usize * BUDGET.len();
        let findings = std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap();
        let said = format!("kauden jälkeen päivättyjä toteumarivejä ei luettu: {after} riviä");
        assert!(findings.contains(&said), "{said} in {findings}");
    }
}

/// Without --period a ledger whose actuals end in August is an interim report of January–August, said; with
/// all twelve months it is the year's, as before.
#[test]
fn a_ledgers_last_month_gives_the_period_and_a_whole_year_stays_year_end() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    std::fs::write(dir.path().join("l.csv"), ledger(8)).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "l.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("the actuals cover January–August 2024"), "{}", stderr(&out));
    let figures = parse_extract(&stdout(&out));
    assert!(figures.iter().all(|(_, k)| k.2 != "tp"), "no actuals of the year");
    let (_, to_date) = margin(&[1100], 8);
    assert!(figures.iter().any(|(_, k)| k.0 == "Alue A"
        && k.1 == "toimintakate"
        && k.2 == "toteuma_kausi"
        && cents(&k.4) == i128::from(to_date)));
    std::fs::write(dir.path().join("l.csv"), ledger(12)).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "l.csv"]);
    let figures = parse_extract(&stdout(&out));
    assert!(figures.iter().all(|(_, k)| k.2 != "toteuma_kausi"), "a whole year");
    let (_, year) = margin(&[1100], 12);
    assert!(figures
        .iter()
        .any(|(_, k)| k.0 == "Alue A" && k.1 == "toimintakate" && k.2 == "tp" && cents(&k.4) == i128::from(year)));
}

/// An interim table as towns publish it (`TA 2024 | TA-muutokset | TOTEUMA 1-8/2024 | ENNUSTE 2024`, the
/// layout of the published "Talousarvion toteutuminen 1–8/2024" reports): the eight months are actuals to
/// date, never the year's, and the table's own forecast is used and named; it shows the overrun.
#[test]
fn an_interim_table_is_read_with_its_period_and_its_forecast() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let text =
        "Talousarvion toteutuminen 1-8/2024\n\nKeskus\n\tTA 2024\tTA-muutokset\tTOTEUMA 1-8/2024\tENNUSTE 2024\n\
        Toimintatuotot\t300 000\t0\t190 000\t290 000\n\
        Toimintakulut\t-4 200 000\t-50 000\t-2 700 000\t-4 330 000\n\
        Toimintakate\t-3 900 000\t-50 000\t-2 510 000\t-4 040 000\n";
    std::fs::write(dir.path().join("seuranta.txt"), text).unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--out", "o", "seuranta.txt"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let rows = interim_rows(dir.path());
    let got = &rows[&("Keskus".to_string(), "toimintakate".to_string())];
    // Budget after changes −3 950 000; forecast −4 040 000: 90 000 over, the document's forecast.
    assert_eq!(got[..5], ["-2510000", "-4040000", "document", "-90000", "overrun"]);
    assert_eq!(got[5], "");
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    assert!(md.contains("# Kunta: talousarvion toteutuminen tammi–elokuu 2024"), "{md}");
    assert!(md.contains("**ennuste ylittää määrärahan 90\u{a0}000\u{a0}€**"), "{md}");
    let findings = std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap();
    assert!(findings.contains("\"forecast_overrun\""), "{findings}");
}

/// The workbook's interim sheet carries the same figures as the flat rows and the summary.
#[test]
fn the_workbook_has_an_interim_sheet_with_the_same_figures() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    std::fs::write(dir.path().join("l.csv"), ledger(12)).unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--period", "2024-08", "--out", "o", "l.csv"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("o/poikkeama.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[1], "Osavuosi");
    let sheet = book.worksheet_range("Osavuosi").unwrap();
    let (budget, to_date) = margin(&[1000, 1100, 1200], 8);
    let forecast = div_round(i128::from(to_date) * 12, 8);
    let row = (3..sheet.height() as u32)
        .find(|r| {
            sheet.get_value((*r, 0)) == Some(&Data::String("Keskus".into()))
                && sheet.get_value((*r, 1)) == Some(&Data::String("Toimintakate ulkoinen".into()))
        })
        .expect("Keskus' margin");
    let num = |c: u32| match sheet.get_value((row, c)) {
        Some(Data::Float(v)) => (*v * 100.0).round() as i128,
        other => panic!("{other:?}"),
    };
    // The budget for the eight months elapsed: budget × 8 / 12, to the cent.
    let periodised = div_round(i128::from(budget) * 8, 12);
    assert_eq!(
        (num(2), num(3), num(4), num(7), num(8)),
        (i128::from(budget), periodised, i128::from(to_date), forecast, forecast - i128::from(budget))
    );
}

/// A ledger sheet whose booking dates are date cells (as Excel keeps them: day numbers) is cut by month like a
/// CSV's dates: its actuals through August are actuals to date.
#[test]
fn a_ledger_sheets_date_cells_give_its_months() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("d.m.yyyy");
    for (c, h) in ["Kirjauspäivä", "Kustannuspaikka", "Tili", "Talousarvio", "Toteuma"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_datetime_with_format(1, 0, ExcelDateTime::from_ymd(2024, 1, 1).unwrap(), &date).unwrap();
    ws.write_number(1, 1, 1100).unwrap();
    ws.write_number(1, 2, 4000).unwrap();
    ws.write_number(1, 3, 12000).unwrap();
    for m in 1..=8u8 {
        let r = u32::from(m) + 1;
        ws.write_datetime_with_format(r, 0, ExcelDateTime::from_ymd(2024, m, 15).unwrap(), &date).unwrap();
        ws.write_number(r, 1, 1100).unwrap();
        ws.write_number(r, 2, 4000).unwrap();
        ws.write_number(r, 4, 1000.0 + f64::from(m)).unwrap();
    }
    wb.save(dir.path().join("kirjaukset.xlsx")).unwrap();
    let out = run_in(dir.path(), &["extract", "--org", "org.toml", "kirjaukset.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("the actuals cover January–August 2024"), "{}", stderr(&out));
    let figures = parse_extract(&stdout(&out));
    // Costs 1 001 … 1 008: 8 036 to date, in the reports' signs.
    assert!(
        figures.iter().any(|(_, k)| k.0 == "Alue A"
            && k.1 == "palkat_ja_palkkiot"
            && k.2 == "toteuma_kausi"
            && cents(&k.4) == -8_036_00),
        "{figures:?}"
    );
}

/// Last year's month of one account, booked (cents): its twelfth of this year's budget by a seasonal weight
/// (July light, autumn heavy), so that last year's profile differs from the months'.
fn last_year_actual(cc: u32, account: u32, month: u32) -> i64 {
    const WEIGHT: [i64; 12] = [10, 10, 10, 10, 10, 12, 4, 8, 10, 12, 12, 12];
    let budget = BUDGET.iter().find(|b| b.0 == cc && b.1 == account).unwrap().2;
    budget / 12 * WEIGHT[month as usize - 1] / 10 + i64::from(cc % 7) * 100
}

/// A ledger of last year's twelve months and this year's budget and months 1..=8.
fn two_year_ledger() -> String {
    let mut out = ledger(8);
    for month in 1..=12 {
        for (cc, account, _) in BUDGET {
            out.push_str(&format!(
                "15.{month}.2023;{cc};{account};;{}\n",
                euros(last_year_actual(*cc, *account, month))
            ));
        }
    }
    out
}

/// Where the ledger holds last year's months, the budget is periodised and the forecast made by last year's
/// profile (its actuals to August over its year's), named; checked against an independent computation in
/// cents, for every unit (the parent's from the rolled-up sums). Last year's actuals to date are a figure of
/// their own (toteuma_kausi 2023).
#[test]
fn last_years_months_give_the_profile_of_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    std::fs::write(dir.path().join("l.csv"), two_year_ledger()).unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--out", "o", "l.csv"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let mut rd = csv::Reader::from_path(dir.path().join("o/rivit.csv")).unwrap();
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let get = |unit: &str, year: &str| {
        rows.iter()
            .find(|r| &r[at("unit")] == unit && &r[at("line_item")] == "toimintakate" && &r[at("year")] == year)
            .unwrap_or_else(|| panic!("{unit} {year}"))
            .clone()
    };
    for (unit, ccs) in [("Keskus", &[1000, 1100, 1200][..]), ("Alue A", &[1100][..]), ("Alue B", &[1200][..])] {
        let (budget, to_date) = margin(ccs, 8);
        let last = |months: u32| -> i128 {
            (1..=months)
                .flat_map(|m| BUDGET.iter().filter(|b| ccs.contains(&b.0)).map(move |b| -last_year_actual(b.0, b.1, m)))
                .map(i128::from)
                .sum()
        };
        let (last_to_date, last_year) = (last(8), last(12));
        // Forecast = actuals to date × last year's / last year's to date; budget due = budget × the inverse.
        let forecast = div_round(i128::from(to_date) * last_year, last_to_date);
        let due = div_round(i128::from(budget) * last_to_date, last_year);
        let r = get(unit, "2024");
        assert_eq!(&r[at("forecast_method")], "last_year_profile", "{unit}");
        assert_eq!(cents(&r[at("forecast")]), forecast, "{unit} forecast");
        assert_eq!(cents(&r[at("ta_kausi")]), due, "{unit} budget due by August");
        assert_eq!(cents(&r[at("forecast_variance")]), forecast - i128::from(budget), "{unit} variance");
        let r = get(unit, "2023");
        assert_eq!(cents(&r[at("toteuma_kausi")]), last_to_date, "{unit} last year's actuals to August");
        assert_eq!(cents(&r[at("tp")]), last_year, "{unit} last year's actuals");
    }
    let md = std::fs::read_to_string(dir.path().join("o/yhteenveto.md")).unwrap();
    assert!(md.contains("edellisen vuoden profiilin mukaan"), "{md}");
    assert!(md.contains("edellisen vuoden kuukausiprofiili"), "{md}");
}

/// A phasing file periodises the budget and makes the forecast (it wins over last year's profile); a unit
/// with a phasing of its own takes it, its children too, the others the common one.
#[test]
fn a_phasing_file_periodises_the_budget_and_makes_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    std::fs::write(dir.path().join("l.csv"), two_year_ledger()).unwrap();
    // Common: summer light (9 × 9 + 3 × 3 = 90; by August 5 × 9 + 3 × 3 = 54). Alue B: even months.
    let mut phasing = String::from("kuukausi;osuus;yksikkö\n");
    for (m, w) in [9, 9, 9, 9, 9, 3, 3, 3, 9, 9, 9, 9].iter().enumerate() {
        phasing.push_str(&format!("{};{w};\n", m + 1));
    }
    for m in 1..=12 {
        phasing.push_str(&format!("{m};1;Alue B\n"));
    }
    std::fs::write(dir.path().join("jaksotus.csv"), phasing).unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--phasing", "jaksotus.csv", "--out", "o", "l.csv"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let rows = interim_rows(dir.path());
    for (unit, ccs, (num, den)) in [
        ("Keskus", &[1000, 1100, 1200][..], (54, 90)),
        ("Alue A", &[1100][..], (54, 90)),
        ("Alue B", &[1200][..], (8, 12)),
    ] {
        let (budget, to_date) = margin(ccs, 8);
        let got = &rows[&(unit.to_string(), "toimintakate".to_string())];
        assert_eq!(got[2], "phasing", "{unit}");
        assert_eq!(cents(&got[1]), div_round(i128::from(to_date) * den, num), "{unit} forecast");
        assert_eq!(cents(&got[6]), div_round(i128::from(budget) * num, den), "{unit} budget due");
    }
    // A phasing file that is not a phasing: the file, the line and what is wrong; nothing written.
    std::fs::write(dir.path().join("bad.csv"), "kuukausi;osuus\n1;5\n13;5\n").unwrap();
    let out = run_in(dir.path(), &["run", "--org", "org.toml", "--phasing", "bad.csv", "--out", "o2", "l.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad.csv:3: \"13\" is not a month"), "{}", stderr(&out));
    assert!(!dir.path().join("o2").exists());
}

/// A table's printed forecast variance (`Ennusteen poikkeama`) is checked against forecast − budget after
/// changes: right, printed the other way round (budget − forecast: a warning naming the convention, not an
/// error), and wrong (an error with the difference). It is never read as the forecast.
#[test]
fn a_printed_forecast_variance_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let table = |rows: &str| {
        format!(
            "Talousarvion toteutuminen 1-8/2024\n\nKeskus\n\tTA 2024\tTA-muutokset\tTOTEUMA 1-8/2024\tENNUSTE 2024\t\
             Ennusteen poikkeama\n{rows}"
        )
    };
    let run = |rows: &str| {
        std::fs::write(dir.path().join("seuranta.txt"), table(rows)).unwrap();
        let _ = std::fs::remove_dir_all(dir.path().join("o"));
        let out = run_in(dir.path(), &["run", "--org", "org.toml", "--out", "o", "seuranta.txt"]);
        let findings: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/findings.json")).unwrap()).unwrap();
        let ours: Vec<serde_json::Value> = findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "forecast_variance")
            .cloned()
            .collect();
        (code(&out), ours, interim_rows(dir.path()))
    };
    // Right: −4 040 000 − (−3 950 000) = −90 000.
    let (c, found, rows) = run("Toimintakate\t-3 900 000\t-50 000\t-2 510 000\t-4 040 000\t-90 000\n");
    assert_eq!((c, found.len()), (0, 0), "{found:?}");
    assert_eq!(
        rows[&("Keskus".to_string(), "toimintakate".to_string())][1],
        "-4040000",
        "the forecast, not its variance"
    );
    // The other way round: a warning, exit 0.
    let (c, found, _) = run("Toimintakate\t-3 900 000\t-50 000\t-2 510 000\t-4 040 000\t90 000\n");
    assert_eq!(c, 0);
    assert_eq!((found.len(), found[0]["severity"].as_str()), (1, Some("warning")), "{found:?}");
    // Wrong by 10 000: an error with the difference.
    let (c, found, _) = run("Toimintakate\t-3 900 000\t-50 000\t-2 510 000\t-4 040 000\t-80 000\n");
    assert_eq!(c, 1);
    assert_eq!(found[0]["severity"], "error", "{found:?}");
    assert_eq!(found[0]["difference"], "10000");
}

/// The town's own row words (`Menot`, `Tulot`, `Netto` in an operating-economy summary) as a scheme file adds
/// them: the default scheme does not take them (`Menot` heads investment tables too).
const MENOT_SCHEME: &str = "[[item]]\nid = \"toimintakulut\"\nfi = [\"Menot\", \"Kulut\"]\n\
[[item]]\nid = \"toimintatuotot\"\nfi = [\"Tulot\", \"Tuotot\"]\n\
[[item]]\nid = \"toimintakate\"\nfi = [\"Netto\"]\n";

/// Real interim tables (tests/fixtures/interim_real, SOURCES.md says where each was published), against the
/// answer keys transcribed by hand: Hämeenkyrö's "Käyttötalouden toteuma" of 1–8/2021 and 1–7/2021 — a
/// money unit in the stub ("1000 euroa"), the period in words ("elokuun loppuun mennessä", "heinäkuun
/// lopussa"), costs and the margin printed as a net cost (netto = menot − tulot), single spaces between
/// columns — read to the euro as actuals to date, turned to the reports' signs, its percentages agreeing.
#[test]
fn real_interim_tables_read_to_their_answer_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), "[[unit]]\nname = \"Hämeenkyrö\"\n").unwrap();
    std::fs::write(dir.path().join("scheme.toml"), MENOT_SCHEME).unwrap();
    for (name, months) in [("hameenkyro_1-8_2021", 8), ("hameenkyro_1-7_2021", 7)] {
        let file = root(&format!("tests/fixtures/interim_real/{name}.txt"));
        let out = run_in(
            dir.path(),
            &["validate", "--org", "org.toml", "--scheme", "scheme.toml", "--format", "json", file.to_str().unwrap()],
        );
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let rules: Vec<&str> =
            findings["findings"].as_array().unwrap().iter().filter_map(|f| f["rule"].as_str()).collect();
        assert!(!rules.contains(&"percent") && !rules.contains(&"sum"), "{name}: {rules:?}");
        let out =
            run_in(dir.path(), &["extract", "--org", "org.toml", "--scheme", "scheme.toml", file.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains("costs − revenues, a net cost"), "{}", stderr(&out));
        let got: BTreeMap<(String, String), String> =
            parse_extract(&stdout(&out)).into_iter().map(|(_, k)| ((k.1.clone(), k.2.clone()), k.4.clone())).collect();
        assert_eq!(got.len(), 6, "{name}: {got:?}");
        let key = std::fs::read_to_string(root(&format!("tests/fixtures/interim_real/{name}.key.csv"))).unwrap();
        for line in key.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f[1].contains("prosentti") {
                continue;
            }
            let item = match f[0].to_lowercase().as_str() {
                "menot" => "toimintakulut",
                "tulot" => "toimintatuotot",
                _ => "toimintakate",
            };
            let scenario = if f[1].starts_with("TA") || f[1] == "talousarvio" { "ta" } else { "toteuma_kausi" };
            // Thousands of euros; costs and the net cost turned negative.
            let euros = f[2].parse::<i64>().unwrap() * 1000 * if item == "toimintatuotot" { 1 } else { -1 };
            assert_eq!(got[&(item.to_string(), scenario.to_string())], euros.to_string(), "{name} {line}");
        }
        // Actuals to date of months 1..=months: the run is an interim report of that period.
        let o = format!("o{months}");
        let out = run_in(
            dir.path(),
            &[
                "run",
                "--org",
                "org.toml",
                "--scheme",
                "scheme.toml",
                "--year",
                "2021",
                "--out",
                &o,
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let md = std::fs::read_to_string(dir.path().join(&o).join("yhteenveto.md")).unwrap();
        let label = if months == 8 { "tammi–elokuu 2021" } else { "tammi–heinäkuu 2021" };
        assert!(md.contains(label), "{md}");
    }
}

/// A printed realisation percentage is checked against its row's actuals over its budget: where the table
/// prints the budget after changes a wrong one is an error with both figures; where it prints only the
/// original budget it may be of one the table does not print, a warning (Kaavi's published 1–7/2025 table:
/// costs 4 526 660 of 7 679 760 are 58,94 %, printed 58,7).
#[test]
fn printed_realisation_percentages_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let text = "Talousarvion toteutuminen 1-8/2024\n\nKeskus\n\tTA 2024\tTA-muutokset\tTA muutosten jälkeen\t\
                TOTEUMA 1-8/2024\tKäyttö-%\n\
                Toimintatuotot\t300 000\t0\t300 000\t190 000\t63,3\n\
                Toimintakulut\t-4 200 000\t-50 000\t-4 250 000\t-2 700 000\t65,0\n\
                Toimintakate\t-3 900 000\t-50 000\t-3 950 000\t-2 510 000\t63,5\n";
    std::fs::write(dir.path().join("seuranta.txt"), text).unwrap();
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "seuranta.txt"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "percent").collect();
    // 2 700 000 / 4 250 000 = 63,53 %: 65,0 is wrong; 63,3 and 63,5 agree.
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0]["severity"].as_str(), found[0]["line_item"].as_str()), (Some("error"), Some("toimintakulut")));
    assert_eq!((found[0]["actual"].as_str(), found[0]["expected"].as_str()), (Some("65.0"), Some("63.53")));
    assert!(found[0]["sources"][0].as_str().unwrap().ends_with("seuranta.txt:6"), "{found:?}");

    // The real table: only the original budget printed, a warning; its period from the caption.
    std::fs::write(dir.path().join("kaavi.toml"), "[[unit]]\nname = \"Kaavi\"\n").unwrap();
    std::fs::write(dir.path().join("scheme.toml"), MENOT_SCHEME).unwrap();
    let file = root("tests/fixtures/interim_real/kaavi_1-7_2025.txt");
    let out = run_in(
        dir.path(),
        &["validate", "--org", "kaavi.toml", "--scheme", "scheme.toml", "--format", "json", file.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "percent").collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!((found[0]["actual"].as_str(), found[0]["expected"].as_str()), (Some("58.7"), Some("58.94")));
    assert_eq!(found[0]["scenario"], "kausi", "the caption's 1 - 7 kk: actuals to date");
    // Its revenue row, single spaces between columns and between thousands ("2 155 950 914 455 42,4"), is split
    // where the printed percentage agrees (914 455 / 2 155 950 = 42,4 %): the answer key's figures.
    let out =
        run_in(dir.path(), &["extract", "--org", "kaavi.toml", "--scheme", "scheme.toml", file.to_str().unwrap()]);
    let got: Vec<(String, String)> = parse_extract(&stdout(&out))
        .into_iter()
        .filter(|(_, k)| k.1 == "toimintatuotot")
        .map(|(_, k)| (k.2, k.4))
        .collect();
    assert_eq!(got, [("ta".to_string(), "2155950".to_string()), ("toteuma_kausi".to_string(), "914455".to_string())]);
}

/// Month columns beside the actuals to date are checked to sum to them, within the rounding of the printed
/// figures (thousands of euros: eight rounded months may differ from their rounded total by a few units).
#[test]
fn month_columns_sum_to_the_periods_total() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let text =
        "Talousarvion toteutuminen 1-3/2024, 1000 €\n\nKeskus\n\tTA 2024\tTammi\tHelmi\tMaalis\tToteuma 1-3/2024\n\
                Toimintatuotot\t300\t20\t25\t31\t75\n\
                Toimintakulut\t-4 200\t-300\t-310\t-320\t-940\n\
                Toimintakate\t-3 900\t-280\t-285\t-289\t-865\n";
    std::fs::write(dir.path().join("kk.txt"), text).unwrap();
    let out = run_in(dir.path(), &["validate", "--org", "org.toml", "--format", "json", "kk.txt"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let months: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["notes"].as_array().is_some_and(|n| n.iter().any(|n| n["kind"] == "of_months")))
        .collect();
    // Revenues: months 76 against 75, within the rounding of four printed figures (1 ≤ 4 × 0,5): right. Costs
    // 930 against 940 and the margin 854 against 865: wrong.
    assert_eq!(months.len(), 2, "{months:?}");
    let by = |item: &str| months.iter().find(|f| f["line_item"] == item).unwrap();
    assert_eq!(
        (by("toimintakulut")["actual"].as_str(), by("toimintakulut")["expected"].as_str()),
        (Some("-940000"), Some("-930000"))
    );
    assert_eq!(by("toimintakate")["difference"], "-11000");
    assert!(by("toimintakulut")["message"].as_str().unwrap().contains("ei ole kuukausien summa"));
}

/// A Parquet ledger with a date column is cut and profiled as its CSV is: the two-year ledger written both
/// ways gives the same interim rows (actuals to date, last year's profile, forecasts), and `--period` cuts it
/// the same, naming the rows after the period.
#[test]
fn a_parquet_ledgers_dates_give_the_same_interim_report_as_its_csv() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.toml"), ORG).unwrap();
    let csv_text = two_year_ledger();
    std::fs::write(dir.path().join("l.csv"), &csv_text).unwrap();
    let rows: Vec<Vec<&str>> = csv_text.lines().skip(1).map(|l| l.split(';').collect()).collect();
    // ISO dates, as a system's export writes them (the CSV's are Finnish: 15.3.2024).
    let iso = |d: &str| {
        let p: Vec<&str> = d.split('.').collect();
        format!("{}-{:0>2}-{:0>2}", p[2], p[1], p[0])
    };
    let text = |k: usize| rows.iter().map(|r| (!r[k].is_empty()).then(|| r[k].to_string())).collect::<Vec<_>>();
    let mut df = polars::df!(
        "kirjauspäivä" => rows.iter().map(|r| iso(r[0])).collect::<Vec<_>>(),
        "kustannuspaikka" => rows.iter().map(|r| r[1].parse::<i64>().unwrap()).collect::<Vec<_>>(),
        "tili" => rows.iter().map(|r| r[2].parse::<i64>().unwrap()).collect::<Vec<_>>(),
        "talousarvio" => text(3),
        "toteuma" => text(4),
    )
    .unwrap();
    for c in ["talousarvio", "toteuma"] {
        let d = df.column(c).unwrap().cast(&DataType::Decimal(14, 2)).unwrap();
        df.with_column(d).unwrap();
    }
    ParquetWriter::new(std::fs::File::create(dir.path().join("l.parquet")).unwrap()).finish(&mut df).unwrap();
    let run = |file: &str, extra: &[&str]| {
        let out_dir = format!("o_{file}_{}", extra.len());
        let mut args = vec!["run", "--org", "org.toml", "--out", &out_dir];
        args.extend_from_slice(extra);
        args.push(file);
        let out = run_in(dir.path(), &args);
        assert!(code(&out) <= 1, "{file}: {}", stderr(&out));
        let flat = std::fs::read_to_string(dir.path().join(&out_dir).join("rivit.csv")).unwrap();
        (
            flat.lines()
                .map(|l| {
                    l.split(',')
                        .filter(|c| !c.contains("l.csv") && !c.contains("l.parquet"))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect::<Vec<_>>(),
            stderr(&out),
        )
    };
    let (csv_rows, _) = run("l.csv", &[]);
    let (pq_rows, said) = run("l.parquet", &[]);
    assert!(said.contains("2024"), "{said}");
    assert!(pq_rows.iter().any(|r| r.contains("last_year_profile")), "{pq_rows:?}");
    assert_eq!(csv_rows, pq_rows);
    let (csv_rows, _) = run("l.csv", &["--period", "2024-05"]);
    let (pq_rows, said) = run("l.parquet", &["--period", "2024-05"]);
    assert_eq!(csv_rows, pq_rows);
    assert!(said.contains(&(3 * BUDGET.len()).to_string()), "the rows of June–August named: {said}");
}
