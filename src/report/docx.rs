//! The annual report's execution tables as a Word document (`toteutumisvertailu.docx`), to paste into the
//! toimintakertomus: one table per unit in tree order, in the published toteutumisvertailu layout (TA,
//! TA-muutokset, TA muutosten jälkeen, TP, poikkeama € and %) for its revenues, costs and margin, with the
//! finance office's explanations under the table. Written with `docx-rs`; the same numbers as every output.

use super::fmt::{number, signed_number, signed_percent, Lang};
use super::ReportContext;
use crate::error::{Error, Result};
use crate::model::{Item, LineItem};
use docx_rs::{AlignmentType, Docx, Paragraph, Run, Table, TableCell, TableRow, WidthType};
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
/// Column widths in twentieths of a point (the label wider, the figures alike): 16 cm in all.
const WIDTHS: [usize; 7] = [2400, 1300, 1300, 1450, 1300, 1300, 1100];

fn cell(text: &str, col: usize, bold: bool) -> TableCell {
    let mut run = Run::new().add_text(text).size(18);
    if bold {
        run = run.bold();
    }
    let align = if col == 0 { AlignmentType::Left } else { AlignmentType::Right };
    TableCell::new().width(WIDTHS[col], WidthType::Dxa).add_paragraph(Paragraph::new().add_run(run).align(align))
}

/// The document: every unit with a row of the report year, in the run's first language.
pub fn render(ctx: &ReportContext) -> Result<Vec<u8>> {
    let year = ctx.year;
    let lang = ctx.lang;
    let words = match lang {
        Lang::Fi => "talousarvion toteutuminen",
        Lang::Sv => "budgetutfall",
        Lang::En => "budget outturn",
    };
    let title = match ctx.org.and_then(|o| o.name.as_deref()) {
        Some(o) => format!("{o}: {words} {year}"),
        None => {
            let mut c = words.chars();
            let capital: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
            format!("{capital} {year}")
        }
    };
    let mut doc = Docx::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(title).bold().size(32)));
    let n = |d: Option<Decimal>| d.map(|d| number(d, lang)).unwrap_or_default();
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
                .add_run(Run::new().add_text(ctx.unit_name(&unit.name, lang)).bold().size(24))
                .keep_next(true),
        );
        let mut table_rows =
            vec![TableRow::new(head(lang).iter().enumerate().map(|(k, h)| cell(h, k, true)).collect()).cant_split()];
        for r in &rows {
            let bold = r.line_item.item == Item::TOIMINTAKATE;
            let texts = [
                r.line_item.label(lang.code()),
                n(r.ta),
                n(r.ta_muutokset),
                n(r.ta_muutettu),
                n(r.tp),
                r.variance_shown().map(|d| signed_number(d, lang)).unwrap_or_default(),
                r.variance_pct.map(|p| signed_percent(p, lang)).unwrap_or_default(),
            ];
            table_rows
                .push(TableRow::new(texts.iter().enumerate().map(|(k, t)| cell(t, k, bold)).collect()).cant_split());
        }
        doc = doc.add_table(Table::new(table_rows).set_grid(WIDTHS.to_vec()));
        // The explanations under the table, each with its line.
        for r in &rows {
            if let Some(text) = ctx.explanation_in(r, lang) {
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
    Ok(out.into_inner())
}
