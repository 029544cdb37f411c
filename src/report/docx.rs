//! The annual report's execution tables as a Word document (`toteutumisvertailu.docx`), to paste into the
//! toimintakertomus: one table per unit in tree order, in the published toteutumisvertailu layout (TA,
//! TA-muutokset, TA muutosten jälkeen, TP, poikkeama € and %) for its revenues, costs and margin, with the
//! finance office's explanations under the table. Written with `docx-rs`; the same numbers as every output.

use super::fmt::{number, signed_number, signed_percent, Lang};
use super::ReportContext;
use crate::error::{Error, Result};
use crate::model::{Item, LineItem, Scenario};
use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, Style, StyleType, Table, TableCell, TableCellMargins, TableRow,
    WidthType,
};
use rust_decimal::Decimal;

pub const FILE: &str = "toteutumisvertailu.docx";

/// The table's heading in a language.
fn head(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Fi => {
            ["", "TA, €", "TA-muutokset, €", "TA muutosten jälkeen, €", "TP, €", "Poikkeama, €", "Poikkeama, %"]
        }
        Lang::Sv => [
            "",
            "Budget, €",
            "Budgetändringar, €",
            "Budget efter ändringar, €",
            "Bokslut, €",
            "Avvikelse, €",
            "Avvikelse, %",
        ],
        Lang::En => {
            ["", "Budget, €", "Budget changes, €", "Budget after changes, €", "Actual, €", "Variance, €", "Variance, %"]
        }
    }
}
/// Column widths in twentieths of a point (the label wider, the figures alike): 15 cm in all, inside an A4
/// page's 2 cm margins (16.99 cm of text).
const WIDTHS: [usize; 7] = [1900, 1080, 1080, 1220, 1080, 1130, 1010];

/// A4, margins 2 cm.
const PAGE: (u32, u32) = (11906, 16838);
const MARGIN: i32 = 1134;

/// A cell; `keep` keeps its row on the page of the row below (a unit's table never splits across pages).
fn cell(text: &str, col: usize, bold: bool, size: usize, keep: bool) -> TableCell {
    let mut run = Run::new().add_text(text).size(size);
    if bold {
        run = run.bold();
    }
    let align = if col == 0 { AlignmentType::Left } else { AlignmentType::Right };
    let paragraph = Paragraph::new().add_run(run).align(align).keep_next(keep);
    TableCell::new().width(WIDTHS[col], WidthType::Dxa).add_paragraph(paragraph)
}

/// The document's words in a language.
struct Words {
    title: &'static str,
    binding: &'static str,
    /// By [`crate::engine::BindingStatus::index`]: within, within the overrun right, overrun.
    status: [&'static str; 3],
    missing: &'static str,
    wrong: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Fi => Words {
            title: "talousarvion toteutuminen",
            binding: "Sitova määräraha",
            status: ["määrärahassa", "ylitysoikeuden rajoissa", "ylittyi"],
            missing: "perustelu puuttuu",
            wrong: "lähdeluvussa on virhe",
        },
        Lang::Sv => Words {
            title: "budgetutfall",
            binding: "Bindande anslag",
            status: ["inom anslaget", "inom överskridningsrätten", "överskreds"],
            missing: "motivering saknas",
            wrong: "källsiffran är felaktig",
        },
        Lang::En => Words {
            title: "budget outturn",
            binding: "Binding appropriation",
            status: ["within", "within the overrun right", "overrun"],
            missing: "explanation missing",
            wrong: "the source figure is wrong",
        },
    }
}

/// The column of a table a scenario's figure stands in.
fn column_of(sc: Scenario) -> Option<usize> {
    match sc {
        Scenario::Ta => Some(1),
        Scenario::TaMuutokset => Some(2),
        Scenario::TaMuutettu => Some(3),
        Scenario::Tp => Some(4),
        Scenario::Poikkeama => Some(5),
        _ => None,
    }
}

/// The document: every unit with a row of the report year, in the run's first language. Each unit's name is a
/// heading (Word's navigation lists them), its table the toteutumisvertailu's, a figure the checks found wrong
/// marked `*` with the finding under the table, then its binding appropriations' status and the finance
/// office's explanations of its lines.
pub fn render(ctx: &ReportContext) -> Result<Vec<u8>> {
    let year = ctx.year;
    let lang = ctx.lang;
    let w = words(lang);
    let title = match ctx.org.and_then(|o| o.name.as_deref()) {
        Some(o) => format!("{o}: {} {year}", w.title),
        None => {
            let mut c = w.title.chars();
            let capital: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
            format!("{capital} {year}")
        }
    };
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph).name(name).bold().size(size).outline_lvl(level)
    };
    let mut doc = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
        .add_style(heading("Heading1", "heading 1", 32, 0))
        .add_style(heading("Heading2", "heading 2", 24, 1))
        .add_style(heading("Heading3", "heading 3", 22, 2))
        .add_paragraph(Paragraph::new().style("Heading1").add_run(Run::new().add_text(title)));
    let n = |d: Option<Decimal>| d.map(|d| number(d, lang)).unwrap_or_default();
    // Figures of ten digits and more in a smaller size, so that none breaks across lines in its column.
    let widest = ctx
        .analysis
        .rows
        .iter()
        .flat_map(|r| [r.ta, r.ta_muutokset, r.ta_muutettu, r.tp])
        .flatten()
        .map(|d| d.abs().trunc().to_string().len())
        .max()
        .unwrap_or(1);
    let size = if widest >= 10 { 14 } else { 16 };
    for unit in &ctx.units {
        let rows: Vec<_> = [Item::TOIMINTATUOTOT, Item::TOIMINTAKULUT, Item::TOIMINTAKATE]
            .into_iter()
            .filter_map(|i| ctx.row(&unit.name, LineItem::new(i), year))
            .collect();
        if rows.is_empty() {
            continue;
        }
        doc = doc.add_paragraph(
            Paragraph::new()
                // The top units a level above the rest, so that Word's navigation shows the tree.
                .style(if unit.depth == 0 { "Heading2" } else { "Heading3" })
                .add_run(Run::new().add_text(ctx.unit_name(&unit.name, lang)))
                .keep_next(true),
        );
        let mut table_rows =
            vec![TableRow::new(head(lang).iter().enumerate().map(|(k, h)| cell(h, k, true, size, true)).collect())
                .cant_split()];
        let mut notes: Vec<String> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let bold = r.line_item.item == Item::TOIMINTAKATE;
            let keep = i + 1 < rows.len();
            let mut texts = [
                r.line_item.label(lang.code()),
                n(r.ta),
                n(r.ta_muutokset),
                n(r.ta_muutettu),
                n(r.tp),
                r.variance_shown().map(|d| signed_number(d, lang)).unwrap_or_default(),
                r.variance_pct.map(|p| signed_percent(p, lang)).unwrap_or_default(),
            ];
            for sc in [Scenario::Ta, Scenario::TaMuutokset, Scenario::TaMuutettu, Scenario::Tp, Scenario::Poikkeama] {
                let (Some(col), Some(f)) = (column_of(sc), ctx.wrong_figure(&unit.name, r.line_item, year, sc)) else {
                    continue;
                };
                texts[col] = format!("*{}", texts[col]);
                notes.push(format!("* {}", super::text::message(f, lang)));
            }
            table_rows.push(
                TableRow::new(texts.iter().enumerate().map(|(k, t)| cell(t, k, bold, size, keep)).collect())
                    .cant_split(),
            );
        }
        doc = doc.add_table(
            Table::new(table_rows)
                .set_grid(WIDTHS.to_vec())
                .width(WIDTHS.iter().sum(), WidthType::Dxa)
                .margins(TableCellMargins::new().margin(20, 60, 20, 60)),
        );
        let small = |text: String| Paragraph::new().add_run(Run::new().add_text(text).size(18));
        if !notes.is_empty() {
            doc = doc.add_paragraph(small(format!("{}:", w.wrong)));
            for note in notes {
                doc = doc.add_paragraph(small(note));
            }
        }
        // Its binding appropriations: status, and an overrun without an explanation said so.
        for b in ctx.analysis.bindings.iter().filter(|b| b.unit == unit.name && b.year == year) {
            let status = w.status[b.status().index()];
            let explained = ctx.row(&b.unit, b.line_item, year).and_then(|r| ctx.explanation_in(r, lang)).is_some();
            let missing = if b.needs_decision() && !explained { format!(" ({})", w.missing) } else { String::new() };
            let text = format!(
                "{} ({}): {status}, {} €{missing}",
                w.binding,
                b.line_item.label(lang.code()),
                signed_number(b.variance, lang)
            );
            doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold().size(20)));
        }
        // The explanations under the table: the lines shown, then any other line of the unit.
        let mut explained: Vec<&crate::engine::Row> = rows.clone();
        explained.extend(
            ctx.unit_rows(&unit.name)
                .iter()
                .copied()
                .filter(|r| r.year == year && !rows.iter().any(|s| s.line_item == r.line_item)),
        );
        let mut printed: Vec<&str> = Vec::new();
        for r in explained {
            // One explanation once, under the first line it stands for.
            if let Some(text) = ctx.explanation_in(r, lang).filter(|t| !printed.contains(t)) {
                printed.push(text);
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(format!("{}: ", r.line_item.label(lang.code()))).bold().size(20))
                        .add_run(Run::new().add_text(text).size(20)),
                );
            }
        }
        doc = doc.add_paragraph(Paragraph::new());
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| Error::Report(format!("{FILE}: {e}")))?;
    deflated(&out.into_inner())
}

/// The package with every part deflated: docx-rs stores them uncompressed (25 MB for a city's 3 000 tables).
fn deflated(stored: &[u8]) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let err = |e: &dyn std::fmt::Display| Error::Report(format!("{FILE}: {e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| err(&e))?;
        let name = part.name().map_err(|e| err(&e))?.to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).map_err(|e| err(&e))?;
        if name == "word/document.xml" {
            bytes = schema_fixes(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(&bytes).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

/// What docx-rs writes and cannot be told otherwise: a grid column's `w:type`, which the schema does not have
/// (LibreOffice ignores it; Word may offer to repair), is dropped; each table's first row repeats as its header
/// on a page the table continues to (`w:tblHeader`).
fn schema_fixes(xml: &str) -> String {
    let mut parts = xml.split("<w:gridCol ");
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        out.push_str("<w:gridCol ");
        let end = part.find("/>").unwrap_or(0);
        out.push_str(&part[..end].replace(" w:type=\"dxa\"", ""));
        out.push_str(&part[end..]);
    }
    out.replace("</w:tblGrid><w:tr><w:trPr><w:cantSplit />", "</w:tblGrid><w:tr><w:trPr><w:cantSplit /><w:tblHeader />")
}
