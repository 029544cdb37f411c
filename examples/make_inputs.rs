//! Writes the example workbooks in `inputs/` from the transcribed seed tables in `seeds/`, laid out the
//! way a finance office keeps them: titles and notes above the tables, headers with line breaks and
//! merged group cells, spacer rows, some figures pasted as Finnish-formatted text.
//!
//! Run: `cargo run --example make_inputs` (rewrites inputs/*.xlsx).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;
use std::error::Error;

type Key = (String, String, String, i32); // unit, line item, scenario, year

fn load(path: &str) -> Result<HashMap<Key, i64>, Box<dyn Error>> {
    let mut out = HashMap::new();
    for rec in csv::Reader::from_path(path)?.records() {
        let r = rec?;
        out.insert((r[1].to_string(), r[3].to_string(), r[4].to_string(), r[5].parse()?), r[6].parse()?);
    }
    Ok(out)
}

struct Formats {
    title: Format,
    header: Format,
    label: Format,
    bold: Format,
    number: Format,
    bold_number: Format,
    italic: Format,
    note: Format,
}

fn formats() -> Formats {
    let num = "# ##0;-# ##0;0";
    Formats {
        title: Format::new().set_bold().set_font_size(13),
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border_bottom(FormatBorder::Thin),
        label: Format::new(),
        bold: Format::new().set_bold(),
        number: Format::new().set_num_format(num),
        bold_number: Format::new().set_bold().set_num_format(num),
        italic: Format::new().set_italic(),
        note: Format::new().set_italic().set_font_color("#555555"),
    }
}

/// Writes one body row; `as_text` lists columns whose figure is pasted as text (NBSP, Unicode minus).
#[allow(clippy::too_many_arguments)]
fn body_row(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    label: &str,
    values: &[Option<i64>],
    total: bool,
    as_text: &[usize],
) -> Result<(), XlsxError> {
    ws.write_with_format(row, 0, label, if total { &f.bold } else { &f.label })?;
    for (i, v) in values.iter().enumerate() {
        let col = 1 + i as u16;
        match v {
            Some(v) if as_text.contains(&i) => {
                let digits = v.abs().to_string();
                let mut grouped = String::new();
                for (k, ch) in digits.chars().enumerate() {
                    if k > 0 && (digits.len() - k) % 3 == 0 {
                        grouped.push('\u{a0}');
                    }
                    grouped.push(ch);
                }
                let text = if *v < 0 { format!("\u{2212}{grouped}") } else { grouped };
                ws.write(row, col, text)?;
            }
            Some(v) => {
                ws.write_with_format(row, col, *v as f64, if total { &f.bold_number } else { &f.number })?;
            }
            None => {}
        }
    }
    Ok(())
}

fn values(fig: &HashMap<Key, i64>, unit: &str, item: &str, cols: &[(&str, i32)]) -> Vec<Option<i64>> {
    cols.iter().map(|(s, y)| fig.get(&(unit.into(), item.into(), (*s).into(), *y)).copied()).collect()
}

const TOTALS: [&str; 3] = ["toimintatuotot", "toimintakulut", "toimintakate"];

fn tp2024(fig: &HashMap<Key, i64>) -> Result<(), Box<dyn Error>> {
    let f = formats();
    let mut wb = Workbook::new();
    let cols = [("ta", 2024), ("ta_muutokset", 2024), ("ta_muutettu", 2024), ("tp", 2024), ("poikkeama", 2024)];

    // The department: a one-row header with line breaks, as the report prints it.
    let ws = wb.add_worksheet().set_name("Keskus TP2024")?;
    ws.set_column_width(0, 34)?;
    ws.set_column_range_width(1, 5, 14)?;
    ws.write_with_format(0, 0, "Loviisan kaupunki, tilinpäätös 2024", &f.title)?;
    ws.write_with_format(2, 0, "Kaupunginkansliakeskus", &f.title)?;
    ws.write_with_format(
        3,
        0,
        "Keskuksen kaupunginvaltuustoon nähden sitova määräraha on ulkoinen toimintakate.",
        &f.note,
    )?;
    let head = [
        "€",
        "TALOUSARVIO\n2024",
        "TALOUSARVIO-\nMUUTOKSET",
        "TALOUSARVIO\n2024\nMUUTOSTEN\nJÄLKEEN",
        "TILINPÄÄTÖS\n2024",
        "POIKKEAMA",
    ];
    for (i, h) in head.iter().enumerate() {
        ws.write_with_format(5, i as u16, *h, &f.header)?;
    }
    ws.set_row_height(5, 64)?;
    let rows: [(&str, &str); 16] = [
        ("Myyntituotot", "myyntituotot"),
        ("Maksutuotot", "maksutuotot"),
        ("Tuet ja avustukset", "tuet_ja_avustukset"),
        ("Muut toimintatuotot", "muut_toimintatuotot"),
        ("Toimintatuotot", "toimintatuotot"),
        ("Henkilöstökulut", "henkilostokulut"),
        ("Palvelujen ostot", "palvelujen_ostot"),
        ("Aineet, tarvikkeet ja tavarat", "aineet_tarvikkeet_ja_tavarat"),
        ("Avustukset", "avustukset"),
        ("Muut toimintakulut", "muut_toimintakulut"),
        ("Toimintakulut", "toimintakulut"),
        ("", ""),
        ("Toimintakate ulkoinen", "toimintakate"),
        ("Poistot ja arvonalentumiset", "poistot_ja_arvonalentumiset"),
        ("Sisäiset erät", "sisaiset_erat"),
        ("Kustannuslaskennalliset erät", "laskennalliset_erat"),
    ];
    let mut r = 6;
    for (label, item) in rows {
        if !label.is_empty() {
            let v = values(fig, "Kaupunginkansliakeskus", item, &cols);
            // Two rows pasted from the PDF: text with no-break spaces and a Unicode minus.
            let as_text: &[usize] = if matches!(item, "henkilostokulut" | "palvelujen_ostot") { &[3] } else { &[] };
            body_row(ws, &f, r, label, &v, TOTALS.contains(&item), as_text)?;
        }
        r += 1;
    }
    ws.write_with_format(r + 1, 0, "Toimintakulut toteutuivat selkeästi arvioitua pienempinä.", &f.note)?;
    ws.set_freeze_panes(6, 1)?;

    // The responsibility areas: stacked tables, two-row headers with a merged group cell.
    let ws = wb.add_worksheet().set_name("Vastuualueet TP2024")?;
    ws.set_column_width(0, 34)?;
    ws.set_column_range_width(1, 5, 14)?;
    let areas = [
        ("Kaupunginkansliapalvelut", "hallintojohtaja"),
        ("Tieto- ja viestintäteknologiapalvelut", "tietohallintopäällikkö"),
        ("Talous- ja henkilöstöpalvelut", "talousjohtaja"),
    ];
    let area_rows = [
        ("Toimintatuotot", "toimintatuotot"),
        ("Valmistus oman käyttöön", "valmistus_omaan_kayttoon"),
        ("Toimintakulut", "toimintakulut"),
        ("Toimintakate ulkoinen", "toimintakate"),
        ("Poistot ja arvonalentumiset", "poistot_ja_arvonalentumiset"),
        ("Sisäiset erät", "sisaiset_erat"),
        ("Kustannuslaskennalliset erät", "laskennalliset_erat"),
    ];
    let mut r = 0;
    for (unit, person) in areas {
        ws.write_with_format(r, 0, unit, &f.title)?;
        ws.write_with_format(r + 1, 0, format!("Vastuuhenkilö: {person}"), &f.note)?;
        let h = r + 3;
        ws.merge_range(h, 1, h, 3, "TALOUSARVIO 2024", &f.header)?;
        ws.merge_range(h, 4, h + 1, 4, "TILINPÄÄTÖS\n2024", &f.header)?;
        ws.merge_range(h, 5, h + 1, 5, "POIKKEAMA", &f.header)?;
        ws.write_with_format(h, 0, "", &f.header)?;
        ws.write_with_format(h + 1, 0, "euroa", &f.header)?;
        for (i, sub) in ["ALKUPERÄINEN", "MUUTOKSET", "MUUTOSTEN\nJÄLKEEN"].iter().enumerate() {
            ws.write_with_format(h + 1, 1 + i as u16, *sub, &f.header)?;
        }
        ws.set_row_height(h + 1, 30)?;
        r = h + 2;
        for (label, item) in area_rows {
            body_row(ws, &f, r, label, &values(fig, unit, item, &cols), TOTALS.contains(&item), &[])?;
            r += 1;
        }
        ws.write_with_format(r, 0, "Toimintakulut toteutuivat arvioitua pienempinä.", &f.note)?;
        r += 3;
    }
    wb.save("inputs/kaupunginkansliakeskus_tp2024.xlsx")?;
    Ok(())
}

fn ta2023(fig: &HashMap<Key, i64>) -> Result<(), Box<dyn Error>> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("TA 2023")?;
    ws.set_column_width(0, 34)?;
    ws.set_column_range_width(1, 5, 15)?;
    ws.write_with_format(0, 0, "Talousarvio 2023 ja taloussuunnitelma 2024–2025", &f.title)?;
    ws.write_with_format(1, 0, "euroa", &f.note)?;
    ws.write_with_format(3, 0, "Kaupunginkansliakeskus", &f.title)?;
    ws.write_with_format(
        4,
        0,
        "Toimintaa varten käytettävissä olevat ulkoiset määrärahat (ulkoinen toimintakate on sitova kaupunginvaltuustoon nähden)",
        &f.note,
    )?;
    // A two-row header with words hyphenated across cells.
    let dept_cols = [("tp", 2021), ("ta_muutettu", 2022), ("ta", 2023), ("ts", 2024), ("ts", 2025)];
    let top = ["", "TILINPÄÄTÖS 2021", "TALOUSARVIO 2022 muutoksineen", "TALOUSARVIO 2023", "TALOUS-", "TALOUS-"];
    let bottom = ["", "", "", "", "SUUNNITELMA 2024", "SUUNNITELMA 2025"];
    for (i, (t, b)) in top.iter().zip(bottom).enumerate() {
        ws.write_with_format(6, i as u16, *t, &f.header)?;
        ws.write_with_format(7, i as u16, b, &f.header)?;
    }
    let rows: [(&str, &str); 17] = [
        ("Myyntituotot", "myyntituotot"),
        ("Maksutuotot", "maksutuotot"),
        ("Tuet ja avustukset", "tuet_ja_avustukset"),
        ("Muut toimintatuotot", "muut_toimintatuotot"),
        ("Toimintatuotot", "toimintatuotot"),
        ("joista sisäiset", "toimintatuotot_joista_sisaiset"),
        ("Valmistus omaan käyttöön", "valmistus_omaan_kayttoon"),
        ("Henkilöstökulut", "henkilostokulut"),
        ("Palveluiden ostot", "palvelujen_ostot"),
        ("Aineet, tarvikkeet ja tavarat", "aineet_tarvikkeet_ja_tavarat"),
        ("Avustukset", "avustukset"),
        ("Muut toimintakulut", "muut_toimintakulut"),
        ("Toimintakulut", "toimintakulut"),
        ("Toimintakate ulkoinen", "toimintakate"),
        ("Poistot ja arvonalentumiset", "poistot_ja_arvonalentumiset"),
        ("Sisäiset erät, netto", "sisaiset_erat"),
        ("Laskennalliset erät, netto", "laskennalliset_erat"),
    ];
    let mut r = 8;
    for (label, item) in rows {
        let v = values(fig, "Kaupunginkansliakeskus", item, &dept_cols);
        if item.ends_with("_joista_sisaiset") {
            ws.write_with_format(r, 0, label, &f.italic)?;
        } else {
            body_row(ws, &f, r, label, &v, TOTALS.contains(&item), &[])?;
        }
        r += 1;
    }
    r += 2;
    let area_cols = [("tp", 2021), ("ta_muutettu", 2022), ("ta", 2023)];
    // The third area's title is misspelt as in the printed budget book.
    let areas = [
        ("Kaupunginkansliapalvelut", "Kaupunginkansliapalvelut"),
        ("Tieto- ja viestintäteknologiapalvelut", "Tieto- ja viestintäteknologiapalvelut"),
        ("Talous- ja henkilöstöpalvelut", "Talousoalvelut"),
    ];
    let area_rows = [
        ("Toimintatuotot", "toimintatuotot"),
        ("Valmistus omaan käyttöön", "valmistus_omaan_kayttoon"),
        ("Toimintakulut", "toimintakulut"),
        ("Toimintakate ulkoinen", "toimintakate"),
        ("Poistot ja arvonalentumiset", "poistot_ja_arvonalentumiset"),
        ("Sisäiset erät, netto", "sisaiset_erat"),
        ("Laskennalliset erät, netto", "laskennalliset_erat"),
    ];
    for (unit, title) in areas {
        ws.write_with_format(r, 0, title, &f.title)?;
        ws.write_with_format(r + 1, 0, "Vastuualueen tuloarvio ja määrärahat (ohjeellinen)", &f.note)?;
        let h = r + 2;
        for (i, t) in
            ["", "TILINPÄÄTÖS\n2021", "TALOUSARVIO 2022\nmuutoksineen", "TALOUSARVIO\n2023"].iter().enumerate()
        {
            ws.write_with_format(h, i as u16, *t, &f.header)?;
        }
        r = h + 1;
        for (label, item) in area_rows {
            body_row(ws, &f, r, label, &values(fig, unit, item, &area_cols), TOTALS.contains(&item), &[])?;
            r += 1;
        }
        r += 2;
    }
    wb.save("inputs/kaupunginkansliakeskus_ta2023.xlsx")?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    tp2024(&load("seeds/seed_001_tp2024.csv")?)?;
    ta2023(&load("seeds/seed_003_ta2023.csv")?)?;
    println!("wrote inputs/kaupunginkansliakeskus_tp2024.xlsx and inputs/kaupunginkansliakeskus_ta2023.xlsx");
    Ok(())
}
