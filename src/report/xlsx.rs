//! The workbook for finance staff (rust_xlsxwriter): a summary sheet in tree order, one sheet per unit
//! with its whole table, a findings sheet linking to the cells, and a native chart. Reported figures are
//! values; computed cells are formulas with their results stored, so readers that do not recalculate see
//! them too. Text from the inputs is always written as text.

use super::fmt::Lang;
use super::tables_words as words;
use super::ReportContext;
use crate::engine::{Finding, Row, Rule, Severity};
use crate::error::{Error, Result};
use crate::model::{cell_ref, Item, LineItem, Scenario};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartPoint, ChartSolidFill, ChartType, ConditionalFormatCell, ConditionalFormatCellRule,
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Url, Workbook, Worksheet,
    XlsxError,
};
use std::collections::HashMap;

const MONEY: &str = "#,##0";
const PCT: &str = "0.0 %";

fn xerr(e: XlsxError) -> Error {
    Error::Report(format!("cannot build the workbook: {e}"))
}

/// The workbook's formats, and its language with its words.
struct Formats {
    lang: Lang,
    w: &'static super::xlsx_words::Words,
    title: Format,
    header: Format,
    text: Format,
    bold: Format,
    money: Format,
    money_bold: Format,
    pct: Format,
    pct_bold: Format,
    good: Format,
    bad: Format,
    error: Format,
    warning: Format,
    link: Format,
    /// A figure a finding is about: error (red fill) or warning (amber fill), plain and bold.
    marked_error: [Format; 2],
    marked_warning: [Format; 2],
    wrap: Format,
}

impl Formats {
    /// Every cell of a row aligns to its top, so that a wrapped explanation or reason reads beside its own
    /// figures, never as the row above's.
    fn new(lang: Lang) -> Formats {
        Formats {
            lang,
            w: super::xlsx_words::words(lang),
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#DDE5F0")
                .set_border_bottom(FormatBorder::Thin),
            text: Format::new().set_align(FormatAlign::Top),
            bold: Format::new().set_align(FormatAlign::Top).set_bold(),
            money: Format::new().set_align(FormatAlign::Top).set_num_format(MONEY),
            money_bold: Format::new().set_align(FormatAlign::Top).set_num_format(MONEY).set_bold(),
            pct: Format::new().set_align(FormatAlign::Top).set_num_format(PCT),
            pct_bold: Format::new().set_align(FormatAlign::Top).set_num_format(PCT).set_bold(),
            // A variance's sign in its text's colour only: a filled cell means a finding (the legend says so).
            good: Format::new().set_align(FormatAlign::Top).set_font_color("#006100"),
            bad: Format::new().set_align(FormatAlign::Top).set_font_color("#C00000"),
            error: Format::new().set_align(FormatAlign::Top).set_bold().set_font_color("#9C0006"),
            warning: Format::new().set_align(FormatAlign::Top).set_font_color("#9C5700"),
            link: Format::new()
                .set_align(FormatAlign::Top)
                .set_font_color("#0563C1")
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            marked_error: [false, true].map(|bold| {
                let f = Format::new()
                    .set_align(FormatAlign::Top)
                    .set_num_format(MONEY)
                    .set_background_color("#FFC7CE")
                    .set_font_color("#9C0006");
                if bold {
                    f.set_bold()
                } else {
                    f
                }
            }),
            marked_warning: [false, true].map(|bold| {
                let f = Format::new()
                    .set_align(FormatAlign::Top)
                    .set_num_format(MONEY)
                    .set_background_color("#FFEB9C")
                    .set_font_color("#9C5700");
                if bold {
                    f.set_bold()
                } else {
                    f
                }
            }),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters (cut with an ellipsis), unique
/// (case-insensitively) among `taken` (names in lower case).
pub fn sheet_name(unit: &str, taken: &std::collections::HashSet<String>) -> String {
    let clean: String = unit
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = clean.trim_matches('\'').to_string();
    let base = if clean.is_empty() { "Yksikkö".to_string() } else { clean };
    let cut = |s: &str, max: usize| -> String {
        if s.chars().count() <= max {
            s.to_string()
        } else {
            let head: String = s.chars().take(max - 1).collect();
            format!("{}…", head.trim_end())
        }
    };
    let is_taken = |n: &str| taken.contains(&n.to_lowercase());
    let mut name = cut(&base, 31);
    let mut k = 2;
    while is_taken(&name) {
        let suffix = format!(" ({k})");
        name = format!("{}{suffix}", cut(&base, 31 - suffix.chars().count()));
        k += 1;
    }
    name
}

fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Text as a cell holds it: Excel's limit is 32 767 characters; a longer text (a 10 MB name, a finding's
/// thousands of cells) is cut with a note of its length; findings.json keeps it whole.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_000;
    let n = text.chars().count();
    if n <= MAX {
        std::borrow::Cow::Borrowed(text)
    } else {
        let head: String = text.chars().take(MAX).collect();
        std::borrow::Cow::Owned(format!("{head}… ({n} merkkiä; koko teksti: findings.json)"))
    }
}

/// Writes a reported figure as a value, or nothing for a blank.
fn value(ws: &mut Worksheet, row: u32, col: u16, v: Option<Decimal>, fmt: &Format) -> Result<()> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, num(v), fmt).map_err(xerr)?;
    }
    Ok(())
}

/// Writes a formula with its result stored (blank result as an empty string).
fn formula(ws: &mut Worksheet, row: u32, col: u16, f: &str, result: Option<f64>, fmt: &Format) -> Result<()> {
    let result = result.map(|r| format!("{r}")).unwrap_or_default();
    ws.write_formula_with_format(row, col, Formula::new(f).set_result(result), fmt).map_err(xerr)?;
    Ok(())
}

/// A new sheet whose formulas with no result given store an empty one (not 0), as their `IF(…,"",…)` gives.
/// The width a column of the run's amounts needs in `# ##0` with a sign (`−3 684 156 000`), never under
/// `least`: a column too narrow prints `###`.
fn money_width(ctx: &ReportContext, least: f64) -> f64 {
    let max = ctx
        .analysis
        .rows
        .iter()
        .flat_map(|r| [r.ta, r.ta_muutokset, r.ta_muutettu, r.tp, r.variance])
        .flatten()
        .map(|d| d.abs().trunc())
        .max()
        .unwrap_or_default();
    let digits = max.to_string().trim_start_matches('-').len().max(1);
    let width = digits + (digits - 1) / 3 + 3;
    (width as f64).max(least)
}

fn add_sheet<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet().set_name(name).map_err(xerr)?;
    ws.set_formula_result_default("");
    Ok(ws)
}

/// A4 landscape, one page wide; `repeat` is the header row every printed page repeats (none where blocks
/// have headers of their own).
fn print_setup(ws: &mut Worksheet, repeat: Option<u32>, f: &Formats) {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    // The sheet's name and the page's number on every printed page.
    ws.set_header("&L&A");
    ws.set_footer(format!("&C{} &P / &N", f.w.page));
    if let Some(row) = repeat {
        let _ = ws.set_repeat_rows(row, row);
    }
}

fn headers(ws: &mut Worksheet, row: u32, names: &[&str], f: &Formats) -> Result<()> {
    for (i, h) in names.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &f.header).map_err(xerr)?;
    }
    ws.set_row_height(row, 45).map_err(xerr)?;
    Ok(())
}

fn colour_by_sign(ws: &mut Worksheet, first: u32, last: u32, col: u16, f: &Formats) -> Result<()> {
    if last < first {
        return Ok(());
    }
    let good = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::GreaterThan(0)).set_format(&f.good);
    let bad = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::LessThan(0)).set_format(&f.bad);
    ws.add_conditional_format(first, col, last, col, &good).map_err(xerr)?;
    ws.add_conditional_format(first, col, last, col, &bad).map_err(xerr)?;
    Ok(())
}

/// Where each (unit, line item, year, scenario) a finding is about landed, for the findings' links: the
/// keys are the findings' (filled in as the unit sheets are written).
type Places<'a> = HashMap<(&'a str, LineItem, i32, Scenario), Option<(String, String)>>;

fn places(findings: &[Finding]) -> Places<'_> {
    findings.iter().filter_map(|x| Some(((x.unit.as_str(), x.line_item?, x.year?, x.scenario?), None))).collect()
}

/// The errors and warnings about each (unit, line item, year, scenario).
type Marks<'a> = HashMap<(&'a str, LineItem, i32, Scenario), Vec<&'a Finding>>;

fn marks(findings: &[Finding]) -> Marks<'_> {
    let mut out: Marks = HashMap::new();
    // A missing explanation shows in the row's own Perustelu cell, not as a mark on a figure.
    for x in findings.iter().filter(|x| x.severity != Severity::Info && x.rule != Rule::ExplanationMissing) {
        if let (Some(li), Some(y), Some(sc)) = (x.line_item, x.year, x.scenario) {
            out.entry((x.unit.as_str(), li, y, sc)).or_default().push(x);
        }
    }
    out
}

/// Writes the computed columns of one row (TA after changes if computed, variance, %), starting at the
/// columns given; returns nothing. `c` = (ta, changes, after, tp, variance, var %, realisation %).
/// `reported`: where the sheet has a column of the reported variance, the variance column is the formula
/// TP − TA muutosten jälkeen; else it holds the variance every report shows (the reported one where it agrees
/// within rounding) as a value. The percent is of the variance every report shows.
fn computed_cells(
    ws: &mut Worksheet,
    r: u32,
    row: &Row,
    c: [u16; 7],
    bold: bool,
    reported: Option<u16>,
    f: &Formats,
) -> Result<()> {
    let (money, pct) = if bold { (&f.money_bold, &f.pct_bold) } else { (&f.money, &f.pct) };
    let [ta, ch, after, tp, var, var_pct, real] = c;
    let a = |col: u16| cell_ref(r, col as u32);
    value(ws, r, ta, row.ta, money)?;
    value(ws, r, ch, row.ta_muutokset, money)?;
    if row.ta_muutettu_computed {
        formula(ws, r, after, &format!("={}+{}", a(ta), a(ch)), row.ta_muutettu.map(num), money)?;
    } else {
        value(ws, r, after, row.ta_muutettu, money)?;
    }
    value(ws, r, tp, row.tp, money)?;
    if row.variance.is_some() {
        let shown_col = match reported {
            None => {
                value(ws, r, var, row.variance_shown(), money)?;
                var
            }
            Some(rep) => {
                formula(ws, r, var, &format!("={}-{}", a(tp), a(after)), row.variance.map(num), money)?;
                let reported_shown = row.poikkeama_reported.is_some() && !row.variance_differs;
                if reported_shown {
                    rep
                } else {
                    var
                }
            }
        };
        formula(
            ws,
            r,
            var_pct,
            &format!("=IF({0}=0,\"\",{1}/ABS({0}))", a(after), a(shown_col)),
            row.variance_pct.map(|p| p / 100.0),
            pct,
        )?;
        formula(
            ws,
            r,
            real,
            &format!("=IF({0}=0,\"\",{1}/{0})", a(after), a(tp)),
            row.realisation_pct.map(|p| p / 100.0),
            pct,
        )?;
    }
    Ok(())
}

/// The summary sheet; returns each unit's margin row (for the chart) and the first row of each unit (for the
/// links to its block).
fn summary_sheet(wb: &mut Workbook, ctx: &ReportContext, f: &Formats) -> Result<(UnitRows, UnitRows)> {
    let (w, lang) = (f.w, f.lang);
    let ws = add_sheet(wb, w.summary)?;
    let title = match ctx.org.and_then(|o| o.name.as_deref()) {
        Some(o) => format!("{o}: {} {}", w.title, ctx.year),
        None => format!("{} {}", capitalised(w.title), ctx.year),
    };
    ws.write_string_with_format(0, 0, fit(&title), &f.title).map_err(xerr)?;
    let errors = ctx.analysis.count(Severity::Error);
    if errors > 0 {
        let note = w.errors_note(lang, errors);
        ws.write_string_with_format(1, 0, &note, &f.error).map_err(xerr)?;
    }
    // What the colours mean, on paper too.
    ws.write_string_with_format(2, 0, w.legend, &f.text).map_err(xerr)?;
    let head = w.summary_head;
    let marks = marks(&ctx.analysis.findings);
    let h = 3;
    headers(ws, h, &head, f)?;
    let mut r = h + 1;
    let (mut margins, mut firsts) = (Vec::new(), Vec::new());
    for unit in &ctx.units {
        for item in [Item::TOIMINTATUOTOT, Item::TOIMINTAKULUT, Item::TOIMINTAKATE] {
            let li = LineItem::new(item);
            let Some(row) = ctx.row(&unit.name, li, ctx.year) else { continue };
            let indented =
                Format::new().set_align(FormatAlign::Top).set_indent(unit.depth.min(15) as u8).set_text_wrap();
            let bold = item == Item::TOIMINTAKATE;
            ws.write_string_with_format(
                r,
                0,
                fit(ctx.unit_name(&unit.name, lang)),
                &if bold { indented.clone().set_bold() } else { indented },
            )
            .map_err(xerr)?;
            if firsts.last().is_none_or(|(u, _): &(String, u32)| *u != unit.name) {
                firsts.push((unit.name.clone(), r));
            }
            ws.write_string_with_format(r, 1, li.label(lang.code()), if bold { &f.bold } else { &f.text })
                .map_err(xerr)?;
            computed_cells(ws, r, row, [2, 3, 4, 5, 6, 7, 8], bold, None, f)?;
            if let Some(b) = ctx.binding(&unit.name, li, ctx.year) {
                let fmt = if b.needs_decision() { &f.error } else { &f.text };
                ws.write_string_with_format(r, 9, w.status[b.status().index()], fmt).map_err(xerr)?;
            }
            let explained = explanation_cell(ws, ctx, row, (r, 10), f)?;
            // Wrong figures marked as on the unit sheets, and the reasons printed beside them (notes do not print).
            for (sc, col) in
                [(Scenario::Ta, 2), (Scenario::TaMuutokset, 3), (Scenario::TaMuutettu, 4), (Scenario::Tp, 5)]
            {
                mark(ws, &marks, (&unit.name, row, sc), (r, col), bold, f)?;
            }
            // A printed variance that is wrong: its reason too (the sheet shows the variance computed).
            let reason_lines = reasons_cell(ws, &marks, (&unit.name, li, ctx.year), (r, 11), 32, f)?;
            // The row as tall as its longest wrapped cell: the unit's name (about 28 characters a line after its
            // indent), the explanation, the reasons.
            let name_lines = (ctx.unit_name(&unit.name, lang).chars().count() + 2 * unit.depth).div_ceil(28) as u32;
            let lines = name_lines.max(explained).max(reason_lines);
            if lines > 1 {
                ws.set_row_height(r, 15 * lines).map_err(xerr)?;
            }
            if bold {
                margins.push((unit.name.clone(), r));
            }
            r += 1;
        }
    }
    let last = r.saturating_sub(1);
    colour_by_sign(ws, h + 1, last, 6, f)?;
    colour_by_sign(ws, h + 1, last, 7, f)?;
    ws.autofilter(h, 0, last.max(h), (head.len() - 1) as u16).map_err(xerr)?;
    ws.set_freeze_panes(h + 1, 1).map_err(xerr)?;
    // Printed one page wide: the text columns wrap rather than shrink every figure to a few points.
    ws.set_column_width(0, 32).map_err(xerr)?;
    ws.set_column_width(1, 20).map_err(xerr)?;
    ws.set_column_range_width(2, 8, money_width(ctx, 13.0)).map_err(xerr)?;
    ws.set_column_width(9, 14).map_err(xerr)?;
    ws.set_column_width(10, 36).map_err(xerr)?;
    ws.set_column_width(11, 36).map_err(xerr)?;
    print_setup(ws, Some(h), f);
    Ok((margins, firsts))
}

/// Units and a row each (of the summary sheet).
type UnitRows = Vec<(String, u32)>;

/// Where each unit's block starts: its sheet and the row of its title.
type Blocks = HashMap<String, (String, u32)>;

/// Each unit's name on the summary sheet a link to its block on its unit sheet (the same text, underlined).
fn link_summary(
    wb: &mut Workbook,
    ctx: &ReportContext,
    firsts: &[(String, u32)],
    blocks: &Blocks,
    f: &Formats,
) -> Result<()> {
    let ws = wb.worksheet_from_name(f.w.summary).map_err(xerr)?;
    let depth: HashMap<&str, usize> = ctx.units.iter().map(|u| (u.name.as_str(), u.depth)).collect();
    for (unit, r) in firsts {
        let Some((sheet, row)) = blocks.get(unit) else { continue };
        let target = format!("internal:'{}'!{}", sheet.replace('\'', "''"), cell_ref(*row, 0));
        let link = Format::new()
            .set_align(FormatAlign::Top)
            .set_indent(depth.get(unit.as_str()).copied().unwrap_or(0).min(15) as u8)
            .set_font_color("0563C1")
            .set_underline(rust_xlsxwriter::FormatUnderline::Single);
        let text = fit(ctx.unit_name(unit, f.lang));
        ws.write_url_with_format(*r, 0, Url::new(target).set_text(text), &link).map_err(xerr)?;
    }
    Ok(())
}

/// Marks a figure that errors or warnings are about where it stands: a fill (red for an error, amber for a
/// warning) and a cell note with the findings' messages. Reported figures only (computed cells have none).
fn mark(
    ws: &mut Worksheet,
    marks: &Marks,
    (unit, row, sc): (&str, &Row, Scenario),
    (r, col): (u32, u16),
    bold: bool,
    f: &Formats,
) -> Result<()> {
    let Some(about) = marks.get(&(unit, row.line_item, row.year, sc)) else { return Ok(()) };
    let Some(worst) = about.iter().map(|x| x.severity).min() else { return Ok(()) };
    let amount = match sc {
        Scenario::Ta => row.ta,
        Scenario::TaMuutokset => row.ta_muutokset,
        Scenario::TaMuutettu if !row.ta_muutettu_computed => row.ta_muutettu,
        Scenario::Tp => row.tp,
        Scenario::Poikkeama => row.poikkeama_reported,
        Scenario::Ts => row.ts,
        _ => None,
    };
    let Some(amount) = amount else { return Ok(()) };
    let formats = if worst == Severity::Error { &f.marked_error } else { &f.marked_warning };
    ws.write_number_with_format(r, col, num(amount), &formats[usize::from(bold)]).map_err(xerr)?;
    let text: Vec<String> = about.iter().map(|x| finding_line(x, f.lang)).collect();
    let note = Note::new(text.join("\n\n")).set_author("poikkeama").set_width(420).set_height(160);
    ws.insert_note(r, col, &note).map_err(xerr)?;
    Ok(())
}

/// A finding as a sheet prints it: `virhe: <message>`.
/// The reasons of a row's figures the checks marked (budget, changes, budget after changes, actuals, printed
/// variance), printed in cell `(r, c)` since notes do not print, coloured by the worst; how many lines they wrap
/// to at about `per_line` characters a line (1 where there are none).
fn reasons_cell(
    ws: &mut Worksheet,
    marks: &Marks,
    (unit, li, year): (&str, LineItem, i32),
    (r, c): (u32, u16),
    per_line: usize,
    f: &Formats,
) -> Result<u32> {
    let mut about: Vec<&Finding> = Vec::new();
    for sc in [Scenario::Ta, Scenario::TaMuutokset, Scenario::TaMuutettu, Scenario::Tp, Scenario::Poikkeama] {
        for x in marks.get(&(unit, li, year, sc)).into_iter().flatten() {
            if !about.iter().any(|a| std::ptr::eq(*a, *x)) {
                about.push(x);
            }
        }
    }
    let Some(worst) = about.iter().map(|x| x.severity).min() else { return Ok(1) };
    let reasons: Vec<String> = about.iter().map(|x| finding_line(x, f.lang)).collect();
    let fmt = if worst == Severity::Error { &f.error } else { &f.warning };
    ws.write_string_with_format(r, c, fit(&reasons.join("\n")), &fmt.clone().set_text_wrap()).map_err(xerr)?;
    Ok(reasons.iter().map(|t| t.chars().count().div_ceil(per_line) as u32).sum::<u32>().clamp(1, 40))
}

fn finding_line(x: &Finding, lang: Lang) -> String {
    format!("{}: {}", super::text::severity_name(x.severity, lang), super::text::message(x, lang))
}

/// The finance office's explanation of a row's variance; a significant variance without one says so. Returns
/// the lines the explanation wraps to (the row is made that high).
fn explanation_cell(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    row: &Row,
    (r, c): (u32, u16),
    f: &Formats,
) -> Result<u32> {
    match ctx.explanation_in(row, f.lang) {
        Some(text) => {
            ws.write_string_with_format(r, c, fit(text), &f.wrap).map_err(xerr)?;
            // Wrapped text needs its row's height: about 45 characters a line in this column.
            let lines = text.chars().count().div_ceil(45).clamp(1, 20) as u32;
            if lines > 1 {
                ws.set_row_height(r, 15 * lines).map_err(xerr)?;
            }
            Ok(lines)
        }
        None if row.year == ctx.year
            && crate::engine::Analysis::significant(
                row,
                Decimal::from(ctx.thresholds.explain_euros),
                ctx.thresholds.explain_percent,
            ) =>
        {
            ws.write_string_with_format(r, c, f.w.missing, &f.warning).map(|_| 1).map_err(xerr)
        }
        None => Ok(1),
    }
}

/// One sheet per top-level unit: its own table and then each unit under it, in tree order, every unit's
/// year blocks under its name. A city of 300 departments has 300 sheets, not 3 300.
fn unit_sheet<'a>(
    wb: &mut Workbook,
    ctx: &ReportContext,
    members: &[&'a super::UnitEntry],
    name: &str,
    (places, blocks): (&mut Places<'a>, &mut Blocks),
    marks: &Marks,
    f: &Formats,
) -> Result<()> {
    let ws = add_sheet(wb, name)?;
    // Each unit's block starts a printed page (Excel keeps at most 1 023 breaks a sheet).
    let mut breaks: Vec<u32> = Vec::new();
    let (w, lang) = (f.w, f.lang);
    let head = w.unit_head;
    let mut r = 0;
    let mut first_header = None;
    // Units that findings are about: only their cells are looked up (most units of a large city have none).
    let flagged: std::collections::HashSet<&str> = places.keys().map(|k| k.0).collect();
    for member in members {
        let unit = member.name.as_str();
        let flagged = flagged.contains(unit);
        if r > 0 {
            r += 1;
            if breaks.len() < 1023 {
                breaks.push(r);
            }
        }
        blocks.insert(unit.to_string(), (name.to_string(), r));
        ws.write_string_with_format(r, 0, fit(ctx.unit_name(unit, lang)), &f.title).map_err(xerr)?;
        r += 2;
        let mut years: Vec<i32> = ctx.unit_rows(unit).iter().map(|r| r.year).collect();
        // The report year first, then the others newest first (a plan year 2025 after the year reported on).
        years.sort_unstable_by_key(|y| (*y != ctx.year, std::cmp::Reverse(*y)));
        years.dedup();
        for year in years {
            ws.write_string_with_format(r, 0, format!("{} {year}", w.year), &f.bold).map_err(xerr)?;
            r += 1;
            headers(ws, r, &head, f)?;
            first_header.get_or_insert(r);
            r += 1;
            let start = r;
            let block: Vec<&Row> = ctx.unit_rows(unit).iter().copied().filter(|x| x.year == year).collect();
            for row in block.iter().copied() {
                // A total is bold where the block shows rows under it (not "Muut toimintatuotot" on its own).
                let bold = !row.line_item.of_which_internal
                    && block
                        .iter()
                        .any(|o| !o.line_item.of_which_internal && o.line_item.item.is_under(row.line_item.item));
                let label = if row.line_item.of_which_internal {
                    format!("  {}", row.line_item.label(lang.code()))
                } else {
                    row.line_item.label(lang.code())
                };
                ws.write_string_with_format(r, 0, fit(&label), if bold { &f.bold } else { &f.text }).map_err(xerr)?;
                computed_cells(ws, r, row, [1, 2, 3, 4, 6, 8, 9], bold, Some(5), f)?;
                let money = if bold { &f.money_bold } else { &f.money };
                value(ws, r, 5, row.poikkeama_reported, money)?;
                if row.variance_differs {
                    ws.write_string_with_format(r, 7, w.differs, &f.error).map_err(xerr)?;
                }
                value(ws, r, 10, row.ts, money)?;
                if row.tp_change.is_some() {
                    // The previous year's TP is not on this sheet's row: the change is stored as a value.
                    value(ws, r, 11, row.tp_change, money)?;
                }
                let explained = explanation_cell(ws, ctx, row, (r, 12), f)?;
                let sources = ctx.sources_in(row, lang);
                if !sources.is_empty() {
                    ws.write_string(r, 14, fit(&super::text::source_in(&sources, lang))).map_err(xerr)?;
                }
                // The reasons of the figures marked on this row, printed (notes do not print).
                let lines = reasons_cell(ws, marks, (unit, row.line_item, year), (r, 13), 38, f)?;
                if lines > 1 || explained > 1 {
                    ws.set_row_height(r, 15 * lines.max(explained)).map_err(xerr)?;
                }
                for (sc, col) in [
                    (Scenario::Ta, 1u16),
                    (Scenario::TaMuutokset, 2),
                    (Scenario::TaMuutettu, 3),
                    (Scenario::Tp, 4),
                    (Scenario::Poikkeama, 5),
                    (Scenario::Ts, 10),
                ] {
                    if !flagged {
                        break;
                    }
                    if let Some(slot) = places.get_mut(&(unit, row.line_item, year, sc)) {
                        // A variance no table printed (a ledger's) is the computed one, beside the empty column.
                        let at = if sc == Scenario::Poikkeama && row.poikkeama_reported.is_none() { 6 } else { col };
                        *slot = Some((name.to_string(), cell_ref(r, u32::from(at))));
                    }
                    mark(ws, marks, (unit, row, sc), (r, col), bold, f)?;
                }
                r += 1;
            }
            colour_by_sign(ws, start, r.saturating_sub(1), 6, f)?;
            colour_by_sign(ws, start, r.saturating_sub(1), 8, f)?;
            r += 1;
        }
    }
    ws.set_column_width(0, 30).map_err(xerr)?;
    ws.set_column_range_width(1, 11, money_width(ctx, 13.0)).map_err(xerr)?;
    ws.set_column_width(7, 8).map_err(xerr)?;
    ws.set_column_width(12, 40).map_err(xerr)?;
    ws.set_column_width(13, 40).map_err(xerr)?;
    ws.set_column_width(14, 60).map_err(xerr)?;
    if first_header.is_some() {
        // Several units' blocks follow each other: the label column stays, no header row is frozen.
        ws.set_freeze_panes(0, 1).map_err(xerr)?;
        print_setup(ws, None, f);
        // The page holds the figures, explanations and the marked figures' reasons; the source cells stay on
        // screen (column O) so that they do not shrink the printed figures.
        ws.set_print_area(0, 0, r.max(1), 13).map_err(xerr)?;
        ws.set_page_breaks(&breaks).map_err(xerr)?;
    }
    Ok(())
}

fn findings_sheet(wb: &mut Workbook, ctx: &ReportContext, places: &Places, f: &Formats) -> Result<()> {
    let (w, lang, findings) = (f.w, f.lang, &ctx.analysis.findings);
    let ws = add_sheet(wb, w.findings)?;
    let head = w.findings_head;
    headers(ws, 0, &head, f)?;
    // Every cell of a finding's row sits at the top, beside its wrapped message.
    let top = |fmt: &Format| fmt.clone().set_align(FormatAlign::Top);
    let (text, money, link) = (top(&f.text), top(&f.money), top(&f.link));
    let (error, warning) = (top(&f.error), top(&f.warning));
    for (i, x) in findings.iter().enumerate() {
        let r = i as u32 + 1;
        let sev = super::text::severity_name(x.severity, lang);
        let sev_fmt = match x.severity {
            Severity::Error => &error,
            Severity::Warning => &warning,
            Severity::Info => &text,
        };
        ws.write_string_with_format(r, 0, sev, sev_fmt).map_err(xerr)?;
        ws.write_string_with_format(r, 1, super::text::rule_name(x.rule, lang), &text).map_err(xerr)?;
        // Unit and line wrap: a long unit name (`Kaupunginkanslia – vastuualue 041`) stays whole on paper.
        let wrap_top = top(&f.wrap);
        ws.write_string_with_format(r, 2, fit(ctx.unit_name(&x.unit, lang)), &wrap_top).map_err(xerr)?;
        if let Some(li) = x.line_item {
            ws.write_string_with_format(r, 3, li.label(lang.code()), &wrap_top).map_err(xerr)?;
        }
        if let Some(s) = x.scenario {
            ws.write_string_with_format(r, 4, s.label(lang.code()), &text).map_err(xerr)?;
        }
        if let Some(y) = x.year {
            ws.write_number_with_format(r, 5, y, &text).map_err(xerr)?;
        }
        value(ws, r, 6, x.expected, &money)?;
        value(ws, r, 7, x.actual, &money)?;
        value(ws, r, 8, x.difference, &money)?;
        let message = super::text::message(x, lang);
        ws.write_string_with_format(r, 9, fit(&message), &f.wrap).map_err(xerr)?;
        let sources: Vec<String> = x.sources.iter().map(|s| super::text::source_in(s, lang)).collect();
        ws.write_string_with_format(r, 10, fit(&sources.join("\n")), &f.wrap).map_err(xerr)?;
        // Wrapped text needs its rows' height: about 62 characters a line in the message column, 22 in the
        // unit's and the line's.
        let name_lines = ctx.unit_name(&x.unit, lang).chars().count().div_ceil(22);
        let lines = (message.chars().count().div_ceil(62)).max(x.sources.len()).max(name_lines).clamp(1, 30);
        ws.set_row_height(r, 15 * lines as u32).map_err(xerr)?;
        let place = match (x.line_item, x.year, x.scenario) {
            (Some(li), Some(y), Some(s)) => places.get(&(x.unit.as_str(), li, y, s)).and_then(Option::as_ref),
            _ => None,
        };
        if let Some((sheet, cell)) = place {
            let target = format!("internal:'{}'!{cell}", sheet.replace('\'', "''"));
            ws.write_url_with_format(r, 11, Url::new(target).set_text(format!("{sheet}!{cell}")), &link)
                .map_err(xerr)?;
        }
    }
    let last = findings.len() as u32;
    ws.autofilter(0, 0, last, (head.len() - 1) as u16).map_err(xerr)?;
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    ws.set_column_width(0, 10).map_err(xerr)?;
    ws.set_column_width(1, 20).map_err(xerr)?;
    ws.set_column_width(2, 24).map_err(xerr)?;
    ws.set_column_width(3, 22).map_err(xerr)?;
    ws.set_column_width(4, 14).map_err(xerr)?;
    ws.set_column_width(5, 6).map_err(xerr)?;
    ws.set_column_range_width(6, 8, money_width(ctx, 12.0)).map_err(xerr)?;
    ws.set_column_width(9, 60).map_err(xerr)?;
    ws.set_column_width(10, 45).map_err(xerr)?;
    ws.set_column_width(11, 28).map_err(xerr)?;
    // The page holds the finding and its message; the cells and links stay on screen.
    ws.set_print_area(0, 0, last.max(1), 9).map_err(xerr)?;
    print_setup(ws, Some(0), f);
    Ok(())
}

fn chart_sheet(wb: &mut Workbook, ctx: &ReportContext, margins: &[(String, u32)], f: &Formats) -> Result<()> {
    let (w, lang) = (f.w, f.lang);
    // The units the council summary's chart shows (at city scale the overview's), without the top where units
    // below it are shown: a municipality's bar, many times any department's, would leave theirs invisible.
    let overview = ctx.overview();
    let below_top = overview.units.iter().any(|u| u.depth > 0);
    let shown: std::collections::HashSet<&str> =
        overview.units.iter().filter(|u| u.depth > 0 || !below_top).map(|u| u.name.as_str()).collect();
    // The data: the charted units first (the chart's range), then the rest of the summary's, listed only.
    type Listed<'m> = Vec<&'m (String, u32)>;
    let (charted, listed): (Listed, Listed) = margins.iter().partition(|(u, _)| shown.contains(u.as_str()));
    let margins = charted.clone();
    let ws = add_sheet(wb, w.chart)?;
    headers(ws, 0, &w.chart_head, f)?;
    for (i, (unit, summary_row)) in charted.iter().chain(&listed).enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, fit(ctx.unit_name(unit, lang))).map_err(xerr)?;
        let v = ctx.row(unit, LineItem::new(Item::TOIMINTAKATE), ctx.year).and_then(|x| x.variance_shown()).map(num);
        formula(ws, r, 1, &format!("='{}'!{}", w.summary, cell_ref(*summary_row, 6)), v, &f.money)?;
    }
    ws.set_column_width(0, 38).map_err(xerr)?;
    ws.set_column_width(1, 18).map_err(xerr)?;
    if !margins.is_empty() {
        let n = margins.len() as u32;
        // Each bar coloured by its sign: favourable green, unfavourable red (a per-point fill, which Excel
        // and LibreOffice both honour).
        let points: Vec<ChartPoint> = margins
            .iter()
            .map(|(unit, _)| {
                let v = ctx.row(unit, LineItem::new(Item::TOIMINTAKATE), ctx.year).and_then(|x| x.variance_shown());
                let colour = if v.is_some_and(|v| v < Decimal::ZERO) { "#C0392B" } else { "#2E8B57" };
                ChartPoint::new().set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)))
            })
            .collect();
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(w.chart_series)
            .set_categories((w.chart, 1, 0, n, 0))
            .set_values((w.chart, 1, 1, n, 1))
            .set_points(&points);
        chart.title().set_name(&super::chart::title(ctx.year, lang));
        chart.legend().set_hidden();
        // In a bar chart the value axis runs horizontally (x) and the categories vertically (y).
        chart.x_axis().set_num_format(MONEY);
        chart.y_axis().set_reverse().set_label_position(rust_xlsxwriter::ChartAxisLabelPosition::Low);
        chart.set_width(760).set_height(120 + 40 * n);
        ws.insert_chart(1, 3, &chart).map_err(xerr)?;
    }
    print_setup(ws, Some(0), f);
    Ok(())
}

/// The workbook as bytes.
/// The workbook as bytes, in the run's first language.
pub fn render(ctx: &ReportContext) -> Result<Vec<u8>> {
    let lang = ctx.lang;
    let f = Formats::new(lang);
    let w = f.w;
    let mut wb = Workbook::new();
    // Compressing the XML is much of the time a large workbook takes; level 1 is several times faster than
    // the default 6 for a file about a third larger.
    wb.set_zip_compression_level(1);
    let org_name = ctx.org.and_then(|o| o.name.clone()).unwrap_or_default();
    let created = match ctx.created {
        Some(t) => ExcelDateTime::from_timestamp(t),
        None => ExcelDateTime::from_ymd(ctx.year.clamp(1900, 9999) as u16, 12, 31),
    }
    .map_err(|e| Error::Report(format!("the workbook's creation time: {e}")))?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(format!("{} {}", capitalised(w.title), ctx.year))
            .set_subject(w.subject)
            .set_company(&org_name)
            .set_author("poikkeama"),
    );
    let t = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::debug!(seconds = t.elapsed().as_secs_f64(), "workbook: {what}");
    };
    let (margins, firsts) = summary_sheet(&mut wb, ctx, &f)?;
    if let Some(period) = &ctx.analysis.period {
        interim_sheet(&mut wb, ctx, period, &f)?;
    }
    lap("summary sheet");
    // "History" is reserved by Excel.
    let mut taken: std::collections::HashSet<String> =
        [w.summary, w.findings, w.chart, w.tables, w.interim, "History"].iter().map(|n| n.to_lowercase()).collect();
    let mut places = places(&ctx.analysis.findings);
    let marks = marks(&ctx.analysis.findings);
    // Units come in tree order: each top-level unit with the units under it (below a municipality total added
    // over several roots, each root with its units; the total on a sheet of its own).
    let split = usize::from(ctx.org.is_some_and(|o| o.total.is_some()));
    let mut groups: Vec<Vec<&super::UnitEntry>> = Vec::new();
    for unit in &ctx.units {
        match groups.last_mut() {
            Some(g) if unit.depth > split => g.push(unit),
            _ => groups.push(vec![unit]),
        }
    }
    let mut blocks = HashMap::new();
    for group in &groups {
        let name = sheet_name(ctx.unit_name(&group[0].name, lang), &taken);
        taken.insert(name.to_lowercase());
        unit_sheet(&mut wb, ctx, group, &name, (&mut places, &mut blocks), &marks, &f)?;
    }
    link_summary(&mut wb, ctx, &firsts, &blocks, &f)?;
    lap("unit sheets");
    findings_sheet(&mut wb, ctx, &places, &f)?;
    lap("findings sheet");
    // The chart shows the overview's units; every unit is on the summary sheet.
    let overview: std::collections::HashSet<&str> = ctx.overview_units().iter().map(|u| u.name.as_str()).collect();
    let margins: Vec<(String, u32)> = margins.into_iter().filter(|(u, _)| overview.contains(u.as_str())).collect();
    chart_sheet(&mut wb, ctx, &margins, &f)?;
    if !ctx.tables.is_empty() {
        tables_sheet(&mut wb, ctx.tables, &f)?;
    }
    let bytes = wb.save_to_buffer().map_err(xerr);
    lap("saved");
    bytes
}

/// Every table of the inputs, as `extract --explain` gives them: where it is, whether it was read (or why
/// it was passed over), its unit, year, money unit and signs with their evidence, its columns, its rows read
/// and not read, and its budget changes with their decisions. One row a table, cells wrapped at the top.
fn tables_sheet(wb: &mut Workbook, tables: &[crate::model::TableReport], f: &Formats) -> Result<()> {
    let w = f.w;
    let ws = add_sheet(wb, w.tables)?;
    let head = w.tables_head;
    headers(ws, 0, &head, f)?;
    let text = f.text.clone().set_align(FormatAlign::Top).set_text_wrap();
    let number = f.text.clone().set_align(FormatAlign::Top);
    for (i, t) in tables.iter().enumerate() {
        let r = i as u32 + 1;
        let lang = f.lang;
        let read = match &t.passed_over {
            None => w.read.to_string(),
            Some(why) => format!("{}: {}", w.passed_over, words::passed_over(why, lang)),
        };
        let not_read: Vec<String> = t
            .rows_not_read
            .iter()
            .map(|r| format!("{} \"{}\": {}", words::place(&r.place, lang), r.label, words::not_read(&r.why, lang)))
            .collect();
        let changes: Vec<String> = t
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} \"{}\"",
                    words::place(&c.place, lang),
                    c.line_item.label(lang.code()),
                    super::fmt::signed_money(c.amount, lang),
                    c.decision
                )
            })
            .collect();
        let columns: Vec<String> = t.columns.iter().map(|c| words::column(c, lang)).collect();
        let cells: [String; 15] = [
            t.file.clone(),
            format!("{} – {}", words::place(&t.from, lang), words::place(&t.to, lang)),
            read,
            t.unit.clone().unwrap_or_default(),
            t.unit_evidence.as_ref().map(|e| words::evidence(e, lang)).unwrap_or_default(),
            t.year.map(|y| y.to_string()).unwrap_or_default(),
            words::evidence(&t.year_evidence, lang),
            t.money_unit.normalize().to_string(),
            words::evidence(&t.money_evidence, lang),
            t.signs.as_ref().map(|s| words::signs(s, lang)).unwrap_or_default(),
            columns.join("\n"),
            t.rows_read.to_string(),
            t.figures.to_string(),
            not_read.join("\n"),
            changes.join("\n"),
        ];
        for (c, v) in cells.iter().enumerate() {
            let fmt = if matches!(c, 5 | 11 | 12) { &number } else { &text };
            ws.write_string_with_format(r, c as u16, fit(v), fmt).map_err(xerr)?;
        }
        // The row as tall as its longest wrapped cell (rows overlapped on paper).
        let lines = cells
            .iter()
            .zip(WIDTHS)
            .map(|(v, w)| v.split('\n').map(|l| l.chars().count().div_ceil(w as usize).max(1)).sum::<usize>())
            .max()
            .unwrap_or(1)
            .clamp(1, 60);
        ws.set_row_height(r, 15 * lines as u32).map_err(xerr)?;
    }
    const WIDTHS: [f64; 15] = [28.0, 30.0, 24.0, 24.0, 30.0, 8.0, 36.0, 15.0, 30.0, 30.0, 50.0, 10.0, 10.0, 50.0, 40.0];
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    print_setup(ws, Some(0), f);
    Ok(())
}

/// An interim report's sheet: every unit's line items with a budget and actuals to date, in tree order, with
/// the realisation against the elapsed share of the year, the forecast (its method named), its variance and a
/// binding appropriation's risk.
fn interim_sheet(wb: &mut Workbook, ctx: &ReportContext, period: &crate::model::Period, f: &Formats) -> Result<()> {
    use crate::engine::interim::Risk;
    let (w, lang) = (f.w, f.lang);
    let ws = add_sheet(wb, w.interim)?;
    let title = format!("{} {}", capitalised(w.title), period.label(lang.code()));
    ws.write_string_with_format(0, 0, fit(&title), &f.title).map_err(xerr)?;
    let h = 2;
    headers(ws, h, &w.interim_head, f)?;
    let order: HashMap<&str, usize> = ctx.units.iter().enumerate().map(|(i, u)| (u.name.as_str(), i)).collect();
    let mut rows: Vec<&crate::engine::interim::InterimRow> = ctx.analysis.interim.iter().collect();
    rows.sort_by_key(|r| (order.get(r.unit.as_str()).copied().unwrap_or(usize::MAX), r.line_item));
    let pct = |p: f64| p / 100.0;
    let mut r = h + 1;
    for x in rows {
        let bold = x.line_item.item == Item::TOIMINTAKATE;
        let (text, money) = if bold { (&f.bold, &f.money_bold) } else { (&f.text, &f.money) };
        ws.write_string_with_format(r, 0, fit(ctx.unit_name(&x.unit, lang)), text).map_err(xerr)?;
        ws.write_string_with_format(r, 1, x.line_item.label(lang.code()), text).map_err(xerr)?;
        value(ws, r, 2, Some(x.budget), money)?;
        value(ws, r, 3, Some(x.budget_to_date), money)?;
        value(ws, r, 4, Some(x.to_date), money)?;
        if let Some(p) = x.realisation_pct {
            ws.write_number_with_format(r, 5, pct(p), &f.pct).map_err(xerr)?;
        }
        ws.write_number_with_format(r, 6, pct(x.expected_pct), &f.pct).map_err(xerr)?;
        value(ws, r, 7, Some(x.forecast), money)?;
        value(ws, r, 8, Some(x.forecast_variance), money)?;
        ws.write_string_with_format(r, 9, x.method.label(lang.code()), &f.text).map_err(xerr)?;
        if let Some(risk) = x.risk {
            let (t, fmt) = match risk {
                Risk::Within => (w.risk[0], &f.text),
                Risk::WithinRight => (w.risk[1], &f.text),
                Risk::Overrun => (w.risk[2], &f.error),
            };
            ws.write_string_with_format(r, 10, t, fmt).map_err(xerr)?;
        }
        r += 1;
    }
    colour_by_sign(ws, h + 1, r.saturating_sub(1), 8, f)?;
    ws.set_freeze_panes(h + 1, 1).map_err(xerr)?;
    ws.set_column_width(0, 38).map_err(xerr)?;
    ws.set_column_width(1, 24).map_err(xerr)?;
    ws.set_column_range_width(2, 8, 15).map_err(xerr)?;
    ws.set_column_width(9, 32).map_err(xerr)?;
    ws.set_column_width(10, 26).map_err(xerr)?;
    print_setup(ws, Some(h), f);
    Ok(())
}

/// "talousarvion toteutuminen" → "Talousarvion toteutuminen".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|first| first.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_unique_and_readable() {
        let set = |names: &[&str]| names.iter().map(|n| n.to_lowercase()).collect::<std::collections::HashSet<_>>();
        let taken = set(&["Yhteenveto"]);
        assert_eq!(sheet_name("Tieto- ja viestintäteknologiapalvelut", &taken), "Tieto- ja viestintäteknologiap…");
        assert_eq!(sheet_name("Tieto- ja viestintäteknologiapalvelut", &taken).chars().count(), 31);
        assert_eq!(sheet_name("yhteenveto", &taken), "yhteenveto (2)");
        assert_eq!(sheet_name("A/B: [C]?", &taken), "A B C");
        let long = "Tieto- ja viestintäteknologiapalvelut";
        let first = sheet_name(long, &taken);
        let second = sheet_name(long, &set(&[first.as_str()]));
        assert_ne!(first, second);
        assert!(second.ends_with(" (2)") && second.chars().count() <= 31);
        assert_eq!(sheet_name("''", &taken), "Yksikkö");
        assert_eq!(sheet_name("history", &set(&["History"])), "history (2)");
    }
}
