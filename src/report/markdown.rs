//! The council summary in Markdown: plain language, Finnish first (Swedish and English on request).
//! Every figure comes from the engine's rows and findings; nothing is computed here but wording.

use super::fmt::{euros, md_escape, percent, signed_euros, Lang};
use super::text::{message_at, mid_sentence};
use super::ReportContext;
use crate::engine::{Cause, Row, Severity};
use crate::model::{Item, LineItem};
use rust_decimal::Decimal;
use std::fmt::Write;

/// The file name of the summary in a language.
pub fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "yhteenveto.md",
        Lang::Sv => "sammandrag.md",
        Lang::En => "summary.md",
    }
}

struct Words {
    title: &'static str,
    binding: &'static str,
    units: &'static str,
    largest: &'static str,
    errors: &'static str,
    chart: &'static str,
    col_unit: &'static str,
    col_line: &'static str,
    col_budget: &'static str,
    col_actual: &'static str,
    col_var: &'static str,
    col_pct: &'static str,
    no_errors: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Fi => Words {
            title: "Talousarvion toteutuminen",
            binding: "Sitovat määrärahat",
            units: "Yksiköt: ulkoinen toimintakate",
            largest: "Suurimmat poikkeamat",
            errors: "Virheet lähdeluvuissa",
            chart: "Ulkoisen toimintakatteen poikkeama yksiköittäin",
            col_unit: "Yksikkö",
            col_line: "Rivi",
            col_budget: "TA muutosten jälkeen, €",
            col_actual: "TP, €",
            col_var: "Poikkeama, €",
            col_pct: "Poikkeama, %",
            no_errors: "Lähdeluvuista ei löytynyt virheitä.",
        },
        Lang::Sv => Words {
            title: "Budgetutfall",
            binding: "Bindande anslag",
            units: "Enheter: externt verksamhetsbidrag",
            largest: "Största avvikelser",
            errors: "Fel i källsiffrorna",
            chart: "Avvikelse i externt verksamhetsbidrag per enhet",
            col_unit: "Enhet",
            col_line: "Rad",
            col_budget: "Budget efter ändringar, €",
            col_actual: "Bokslut, €",
            col_var: "Avvikelse, €",
            col_pct: "Avvikelse, %",
            no_errors: "Inga fel hittades i källsiffrorna.",
        },
        Lang::En => Words {
            title: "Budget outturn",
            binding: "Binding appropriations",
            units: "Units: external operating margin",
            largest: "Largest variances",
            errors: "Errors in the source figures",
            chart: "External operating margin variance by unit",
            col_unit: "Unit",
            col_line: "Line",
            col_budget: "Budget after changes, €",
            col_actual: "Actual, €",
            col_var: "Variance, €",
            col_pct: "Variance, %",
            no_errors: "No errors were found in the source figures.",
        },
    }
}

/// How big a variance reads, by the thresholds (percent of the budget).
fn degree(pct: f64, ctx: &ReportContext, lang: Lang) -> Option<&'static str> {
    let p = pct.abs();
    if p < ctx.thresholds.hieman {
        None
    } else if p < ctx.thresholds.selvasti {
        Some(match lang {
            Lang::Fi => "hieman",
            Lang::Sv => "något",
            Lang::En => "slightly",
        })
    } else {
        Some(match lang {
            Lang::Fi => "selvästi",
            Lang::Sv => "klart",
            Lang::En => "clearly",
        })
    }
}

/// "Toimintakulut toteutuivat selvästi arvioitua pienempinä (+348 743 €, 8,2 %)."
fn line_sentence(row: &Row, ctx: &ReportContext, lang: Lang) -> Option<String> {
    let (tp, tam, var) = (row.tp?, row.ta_muutettu?, row.variance_shown()?);
    let pct = row.variance_pct?;
    let label = row.line_item.label(lang.code());
    let figures = format!("{} €, {}", signed_euros(var), percent(pct, lang));
    let larger = tp.abs() > tam.abs();
    Some(match (degree(pct, ctx, lang), lang) {
        (None, Lang::Fi) => format!("{label} toteutuivat lähes arvioidun mukaisina ({figures})."),
        (None, Lang::Sv) => format!("{label} blev ungefär som budgeterat ({figures})."),
        (None, Lang::En) => format!("{label} came in close to budget ({figures})."),
        (Some(d), Lang::Fi) => {
            format!(
                "{label} toteutuivat {d} arvioitua {} ({figures}).",
                if larger { "suurempina" } else { "pienempinä" }
            )
        }
        (Some(d), Lang::Sv) => {
            format!("{label} blev {d} {} än budgeterat ({figures}).", if larger { "högre" } else { "lägre" })
        }
        (Some(d), Lang::En) => {
            format!("{label} came in {d} {} budget ({figures}).", if larger { "above" } else { "below" })
        }
    })
}

/// "Kaupunginkansliakeskus: ulkoinen toimintakate toteutui 330 071 € (8,4 %) budjetoitua parempana."
fn margin_sentence(unit: &str, row: &Row, lang: Lang) -> Option<String> {
    let var = row.variance_shown()?;
    let pct = row.variance_pct.map(|p| format!(" ({})", percent(p.abs(), lang))).unwrap_or_default();
    let amount = euros(var.abs());
    let better = var >= Decimal::ZERO;
    Some(match lang {
        Lang::Fi => format!(
            "**{unit}**: ulkoinen toimintakate toteutui {amount} €{pct} budjetoitua {}.",
            if better { "parempana" } else { "heikompana" }
        ),
        Lang::Sv => format!(
            "**{unit}**: det externa verksamhetsbidraget blev {amount} €{pct} {} än budgeterat.",
            if better { "bättre" } else { "sämre" }
        ),
        Lang::En => format!(
            "**{unit}**: the external operating margin came in €{amount}{pct} {} than budgeted.",
            if better { "better" } else { "worse" }
        ),
    })
}

fn table_row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// The whole summary for one language.
pub fn render(ctx: &ReportContext, lang: Lang) -> String {
    let w = words(lang);
    let a = ctx.analysis;
    let year = ctx.year;
    let mut md = String::new();
    let org_name = ctx.org.and_then(|o| o.name.as_deref()).map(md_escape);
    match &org_name {
        Some(o) => {
            let _ = writeln!(md, "# {o}: {} {year}\n", w.title.to_lowercase());
        }
        None => {
            let _ = writeln!(md, "# {} {year}\n", w.title);
        }
    }
    let margin_li = LineItem::new(Item::TOIMINTAKATE);

    // Opening: each top-level unit's margin, revenue and costs, then the error count.
    for unit in ctx.units.iter().filter(|u| u.depth == 0) {
        let mut para = Vec::new();
        if let Some(r) = a.row(&unit.name, margin_li, year) {
            para.extend(margin_sentence(&md_escape(&unit.name), r, lang));
        }
        for item in [Item::TOIMINTATUOTOT, Item::TOIMINTAKULUT] {
            if let Some(r) = a.row(&unit.name, LineItem::new(item), year) {
                para.extend(line_sentence(r, ctx, lang));
            }
        }
        if !para.is_empty() {
            let _ = writeln!(md, "{}\n", para.join(" "));
        }
    }
    let n_err = a.count(Severity::Error);
    if n_err > 0 {
        let n_follow = a.findings.iter().filter(|f| f.severity == Severity::Error && f.explained_by.is_some()).count();
        let follow = match (lang, n_follow) {
            (_, 0) => String::new(),
            (Lang::Fi, n) => format!(" ({n} niistä johtuu toisesta virheestä)"),
            (Lang::Sv, n) => format!(" ({n} av dem följer av ett annat fel)"),
            (Lang::En, 1) => " (1 of them follows from another error)".to_string(),
            (Lang::En, n) => format!(" ({n} of them follow from another error)"),
        };
        let _ = writeln!(
            md,
            "{}\n",
            match (lang, n_err) {
                (Lang::Fi, 1) => "**Lähdeluvuissa on 1 virhe**; se on lueteltu alla ja se on korjattava ennen raportin hyväksymistä.".to_string(),
                (Lang::Fi, _) => format!("**Lähdeluvuissa on {n_err} virhettä**{follow}; ne on lueteltu alla ja ne on korjattava ennen raportin hyväksymistä."),
                (Lang::Sv, _) => format!("**Källsiffrorna innehåller {n_err} fel**{follow}; de listas nedan och ska rättas innan rapporten godkänns."),
                (Lang::En, 1) => "**The source figures contain 1 error**; it is listed below and must be corrected before the report is approved.".to_string(),
                (Lang::En, _) => format!("**The source figures contain {n_err} errors**{follow}; they are listed below and must be corrected before the report is approved."),
            }
        );
    }

    // Binding appropriations.
    let bindings: Vec<_> = a.bindings.iter().filter(|b| b.year == year).collect();
    if !bindings.is_empty() {
        let _ = writeln!(md, "## {}\n", w.binding);
        for b in bindings {
            let pct = b.variance_pct.map(|p| format!(" ({})", percent(p.abs(), lang))).unwrap_or_default();
            let unit = md_escape(&b.unit);
            let li = mid_sentence(&b.line_item.label(lang.code()));
            let amount = euros(b.variance.abs());
            let right = b.overrun_right.map(euros).unwrap_or_default();
            let text = match (lang, b.overrun && !b.within_right) {
                _ if b.within_right => match lang {
                    Lang::Fi => format!("- **{unit}**, {li}: määräraha ylittyi {amount} €{pct}, mikä mahtui valtuuston myöntämään ylitysoikeuteen ({right} €)."),
                    Lang::Sv => format!("- **{unit}**, {li}: anslaget överskreds med {amount} €{pct}, inom den överskridningsrätt fullmäktige beviljat ({right} €)."),
                    Lang::En => format!("- **{unit}**, {li}: appropriation overrun by €{amount}{pct}, within the overrun right the council granted (€{right})."),
                },
                (Lang::Fi, false) => format!("- **{unit}**, {li}: pysyi määrärahassa; toteuma oli {amount} €{pct} talousarviota parempi."),
                (Lang::Fi, true) => format!("- **{unit}**, {li}: **määräraha ylittyi {amount} €{pct}**. Ylitys vaatii valtuuston päätöksen."),
                (Lang::Sv, false) => format!("- **{unit}**, {li}: inom anslaget; utfallet var {amount} €{pct} bättre än budgeten."),
                (Lang::Sv, true) => format!("- **{unit}**, {li}: **anslaget överskreds med {amount} €{pct}**. Överskridningen kräver fullmäktiges beslut."),
                (Lang::En, false) => format!("- **{unit}**, {li}: within the appropriation; the outturn was €{amount}{pct} better than budget."),
                (Lang::En, true) => format!("- **{unit}**, {li}: **appropriation overrun by €{amount}{pct}**. The overrun needs a council decision."),
            };
            let _ = writeln!(md, "{text}");
        }
        md.push('\n');
    }

    // Units table.
    let _ = writeln!(md, "## {}\n", w.units);
    let _ = writeln!(
        md,
        "{}",
        table_row(&[w.col_unit.into(), w.col_budget.into(), w.col_actual.into(), w.col_var.into(), w.col_pct.into()])
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    for unit in &ctx.units {
        let Some(r) = a.row(&unit.name, margin_li, year) else { continue };
        let indent = "\u{2003}".repeat(unit.depth);
        let _ = writeln!(
            md,
            "{}",
            table_row(&[
                format!("{indent}{}", md_escape(&unit.name)),
                r.ta_muutettu.map(euros).unwrap_or_default(),
                r.tp.map(euros).unwrap_or_default(),
                r.variance_shown().map(signed_euros).unwrap_or_default(),
                r.variance_pct.map(|p| percent(p, lang)).unwrap_or_default(),
            ])
        );
    }
    md.push('\n');
    let _ = writeln!(md, "![{}]({})\n", w.chart, super::chart::FILE_NAME);

    // Largest variances among the detail and total lines.
    let mut largest: Vec<&Row> = a
        .rows
        .iter()
        .filter(|r| {
            r.year == year && !r.line_item.of_which_internal && r.variance_shown().is_some_and(|v| !v.is_zero())
        })
        .collect();
    largest.sort_by(|x, y| {
        y.variance_shown().map(|v| v.abs()).cmp(&x.variance_shown().map(|v| v.abs())).then(x.unit.cmp(&y.unit))
    });
    if !largest.is_empty() {
        let _ = writeln!(md, "## {}\n", w.largest);
        let _ =
            writeln!(md, "{}", table_row(&[w.col_unit.into(), w.col_line.into(), w.col_var.into(), w.col_pct.into()]));
        let _ = writeln!(md, "|---|---|---:|---:|");
        for r in largest.into_iter().take(8) {
            let _ = writeln!(
                md,
                "{}",
                table_row(&[
                    md_escape(&r.unit),
                    r.line_item.label(lang.code()),
                    r.variance_shown().map(signed_euros).unwrap_or_default(),
                    r.variance_pct.map(|p| percent(p, lang)).unwrap_or_default(),
                ])
            );
        }
        md.push('\n');
    }

    // Errors in the source figures, plainly.
    let _ = writeln!(md, "## {}\n", w.errors);
    let errors: Vec<_> = a.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    if errors.is_empty() {
        let _ = writeln!(md, "{}", w.no_errors);
    }
    for f in &errors {
        let cell = f.sources.first().map(|s| format!(" (`{}`)", s.replace('`', "'"))).unwrap_or_default();
        // Text from the inputs (names, labels) is escaped; the cell goes in as code after escaping.
        let text = md_escape(&message_at(f, lang, "\u{1}")).replace('\u{1}', &cell);
        // An error that follows from one listed above it is a sub-item of it.
        let follows = f.explained_by.as_ref().is_some_and(|c| errors.iter().any(|e| Cause::of(e) == *c));
        let indent = if follows { "  " } else { "" };
        let _ = writeln!(md, "{indent}- **{}**: {text}", md_escape(&f.unit));
    }
    md
}
