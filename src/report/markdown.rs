//! The council summary in Markdown: plain language, Finnish first (Swedish and English on request).
//! Every figure comes from the engine's rows and findings; nothing is computed here but wording.

use super::fmt::{md_escape, money, number, percent, signed_money, signed_number, signed_percent, Lang};
use super::text::message_at;
use super::{Overview, ReportContext};
use crate::engine::{BindingStatus, Cause, Row, Severity};
use crate::model::{Item, LineItem, Scenario};
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
    col_ta: &'static str,
    col_changes: &'static str,
    by_unit: &'static str,
    col_expl: &'static str,
    expl_missing: &'static str,
    no_errors: &'static str,
    col_status: &'static str,
    /// A binding appropriation's status: within, within the overrun right, overrun.
    status: [&'static str; 3],
    /// Under the table when an appropriation was overrun.
    overrun_note: &'static str,
    /// Under a table with a figure marked wrong.
    wrong_note: &'static str,
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
            col_ta: "TA, €",
            col_changes: "TA-muutokset, €",
            by_unit: "Poikkeamat yksiköittäin",
            col_expl: "Perustelu",
            expl_missing: "*perustelu puuttuu*",
            no_errors: "Lähdeluvuista ei löytynyt virheitä.",
            col_status: "Tila",
            status: ["määrärahassa", "ylitysoikeuden rajoissa", "**ylittyi**"],
            overrun_note: "Sitovan määrärahan ylitys vaatii valtuuston päätöksen, ja se on perusteltava valtuustolle.",
            wrong_note: "\\* Lähdeluku on virheellinen: katso kohta Virheet lähdeluvuissa.",
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
            col_ta: "Budget, €",
            col_changes: "Budgetändringar, €",
            by_unit: "Avvikelser per enhet",
            col_expl: "Motivering",
            expl_missing: "*motivering saknas*",
            no_errors: "Inga fel hittades i källsiffrorna.",
            col_status: "Läge",
            status: ["inom anslaget", "inom överskridningsrätten", "**överskreds**"],
            overrun_note:
                "Överskridning av ett bindande anslag kräver fullmäktiges beslut och ska motiveras för fullmäktige.",
            wrong_note: "\\* Källsiffran är felaktig: se avsnittet Fel i källsiffrorna.",
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
            col_ta: "Budget, €",
            col_changes: "Budget changes, €",
            by_unit: "Variances by unit",
            col_expl: "Explanation",
            expl_missing: "*explanation missing*",
            no_errors: "No errors were found in the source figures.",
            col_status: "Status",
            status: ["within", "within the overrun right", "**overrun**"],
            overrun_note:
                "An overrun of a binding appropriation needs a council decision and must be explained to the council.",
            wrong_note: "\\* The source figure is wrong: see Errors in the source figures.",
        },
    }
}

/// A figure marked `*` where the checks found it wrong.
fn star(text: String, wrong: bool) -> String {
    if wrong {
        format!("{text}\\*")
    } else {
        text
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

/// A Swedish label in its definite form, as a sentence's subject: "Verksamhetsintäkter" →
/// "Verksamhetsintäkterna" (plural nouns in -er/-ar), "Verksamhetsbidrag" → "Verksamhetsbidraget".
fn sv_definite(label: &str) -> String {
    let (head, last) = label.rsplit_once(' ').map_or(("", label), |(h, l)| (h, l));
    let last = if last.ends_with("er") || last.ends_with("ar") {
        format!("{last}na")
    } else if last.ends_with("bidrag") {
        format!("{last}et")
    } else {
        last.to_string()
    };
    if head.is_empty() {
        last
    } else {
        format!("{head} {last}")
    }
}

/// "(+348 743 €, +8,2 %)": a variance in euros and percent, signed, in the reader's style.
fn figures(var: Decimal, pct: Option<f64>, lang: Lang) -> String {
    match pct {
        Some(p) => format!("{}, {}", signed_money(var, lang), signed_percent(p, lang)),
        None => signed_money(var, lang),
    }
}

/// "Toimintakulut toteutuivat selvästi arvioitua pienempinä (+348 743 €, +8,2 %)."
fn line_sentence(row: &Row, ctx: &ReportContext, lang: Lang) -> Option<String> {
    let (tp, tam, var) = (row.tp?, row.ta_muutettu?, row.variance_shown()?);
    let pct = row.variance_pct?;
    let label = row.line_item.label(lang.code());
    let figures = figures(var, Some(pct), lang);
    let larger = tp.abs() > tam.abs();
    Some(match (degree(pct, ctx, lang), lang) {
        (None, Lang::Fi) => format!("{label} toteutuivat lähes arvioidun mukaisina ({figures})."),
        (None, Lang::Sv) => format!("{} blev ungefär som budgeterat ({figures}).", sv_definite(&label)),
        (None, Lang::En) => format!("{label} came in close to budget ({figures})."),
        (Some(d), Lang::Fi) => {
            format!(
                "{label} toteutuivat {d} arvioitua {} ({figures}).",
                if larger { "suurempina" } else { "pienempinä" }
            )
        }
        (Some(d), Lang::Sv) => format!(
            "{} blev {d} {} än budgeterat ({figures}).",
            sv_definite(&label),
            if larger { "högre" } else { "lägre" }
        ),
        (Some(d), Lang::En) => {
            format!("{label} came in {d} {} budget ({figures}).", if larger { "above" } else { "below" })
        }
    })
}

/// "Kaupunginkansliakeskus: ulkoinen toimintakate toteutui 330 072 € (8,4 %) budjetoitua parempana."
fn margin_sentence(unit: &str, row: &Row, lang: Lang) -> Option<String> {
    let var = row.variance_shown()?;
    let pct = row.variance_pct.map(|p| format!(" ({})", percent(p.abs(), lang))).unwrap_or_default();
    let amount = money(var.abs(), lang);
    let better = var >= Decimal::ZERO;
    Some(match lang {
        Lang::Fi => format!(
            "**{unit}**: ulkoinen toimintakate toteutui {amount}{pct} budjetoitua {}.",
            if better { "parempana" } else { "heikompana" }
        ),
        Lang::Sv => format!(
            "**{unit}**: det externa verksamhetsbidraget blev {amount}{pct} {} än budgeterat.",
            if better { "bättre" } else { "sämre" }
        ),
        Lang::En => format!(
            "**{unit}**: the external operating margin came in {amount}{pct} {} than budgeted.",
            if better { "better" } else { "worse" }
        ),
    })
}

/// The finance office's explanation of a row's variance, or a note that a significant one has none.
fn explanation(row: &Row, ctx: &ReportContext, w: &Words, lang: Lang) -> String {
    match ctx.explanation_in(row, lang) {
        Some(text) => md_escape(text),
        None if crate::engine::Analysis::significant(
            row,
            Decimal::from(ctx.thresholds.explain_euros),
            ctx.thresholds.explain_percent,
        ) =>
        {
            w.expl_missing.to_string()
        }
        None => String::new(),
    }
}

/// What the variance's signs mean, as a line above the figures.
pub fn signs_line(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "Poikkeama = toteuma − talousarvio muutosten jälkeen: **+** on talousarviota parempi, **−** heikompi (tuotot positiivisina, kulut negatiivisina).",
        Lang::Sv => "Avvikelse = utfall − budget efter ändringar: **+** är bättre än budgeten, **−** sämre (intäkter positiva, kostnader negativa).",
        Lang::En => "Variance = actual − budget after changes: **+** is better than budget, **−** worse (revenues positive, costs negative).",
    }
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
    // An interim report names its period (`tammi–elokuu 2024`).
    let when = a.period.as_ref().map_or(year.to_string(), |p| p.label(lang.code()));
    match &org_name {
        Some(o) => {
            let _ = writeln!(md, "# {o}: {} {when}\n", w.title.to_lowercase());
        }
        None => {
            let _ = writeln!(md, "# {} {when}\n", w.title);
        }
    }
    // What the variances' signs mean, before any variance.
    let signs = if a.period.is_some() { super::interim::signs_line(lang) } else { signs_line(lang) };
    let _ = writeln!(md, "{signs}\n");

    match &a.period {
        Some(period) => super::interim::sections(&mut md, ctx, period, lang),
        None => year_end_sections(&mut md, ctx, &w, lang),
    }

    // Errors in the source figures, plainly.
    let _ = writeln!(md, "## {}\n", w.errors);
    let errors: Vec<_> = a.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    if errors.is_empty() {
        let _ = writeln!(md, "{}", w.no_errors);
    }
    const LISTED: usize = 100;
    for f in errors.iter().take(LISTED) {
        let cell = f
            .sources
            .first()
            .map(|s| format!(" (`{}`)", super::text::source_in(s, lang).replace('`', "'")))
            .unwrap_or_default();
        // Text from the inputs (names, labels) is escaped; the cell goes in as code after escaping.
        let text = md_escape(&message_at(f, lang, "\u{1}")).replace('\u{1}', &cell);
        // An error that follows from one listed above it is a sub-item of it.
        let follows = f.explained_by.as_ref().is_some_and(|c| errors.iter().any(|e| Cause::of(e) == *c));
        let indent = if follows { "  " } else { "" };
        let _ = writeln!(md, "{indent}- **{}**: {text}", md_escape(ctx.unit_name(&f.unit, lang)));
    }
    if errors.len() > LISTED {
        let n = errors.len() - LISTED;
        let sheet = super::xlsx_words::words(ctx.lang).findings;
        let _ = writeln!(
            md,
            "\n{}",
            match lang {
                Lang::Fi => format!(
                    "… ja {n} muuta virhettä: kaikki ovat työkirjan välilehdellä {} ja tiedostossa {}.",
                    sheet,
                    super::FINDINGS
                ),
                Lang::Sv => format!(
                    "… och {n} fel till: alla finns i arbetsbokens flik {} och i filen {}.",
                    sheet,
                    super::FINDINGS
                ),
                Lang::En => format!(
                    "… and {n} more errors: all are on the workbook's {} sheet and in {}.",
                    sheet,
                    super::FINDINGS
                ),
            }
        );
    }
    md
}

/// The binding appropriations in one sentence: how many, how many overrun and by how much in all, how many of
/// those without an explanation, within the overrun right, within the budget.
fn binding_counts(
    bindings: &[&crate::engine::Binding],
    org: Option<&crate::model::Org>,
    explained: impl Fn(&crate::engine::Binding) -> bool,
    lang: Lang,
) -> String {
    let over: Vec<_> = bindings.iter().filter(|b| b.needs_decision()).collect();
    // Each euro once: an appropriation inside an overrun one of the same line (an area's inside its
    // department's) is in that one's variance already.
    let below = |unit: &str, ancestor: &str| {
        let mut cur = org.and_then(|o| o.find(unit)).and_then(|u| u.parent.clone());
        while let Some(p) = cur {
            if p == ancestor {
                return true;
            }
            cur = org.and_then(|o| o.find(&p)).and_then(|u| u.parent.clone());
        }
        false
    };
    let outermost = over.iter().filter(|b| !over.iter().any(|o| o.line_item == b.line_item && below(&b.unit, &o.unit)));
    let total = outermost.fold(Decimal::ZERO, |t, b| t.checked_add(b.variance).unwrap_or(t));
    let unexplained = over.iter().filter(|b| !explained(b)).count();
    let right = bindings.iter().filter(|b| b.status() == BindingStatus::WithinRight).count();
    let within = bindings.len() - over.len() - right;
    let (n, o, amount) = (bindings.len(), over.len(), super::fmt::signed_money(total, lang));
    if o == 0 {
        let (none, within_right) = match lang {
            Lang::Fi => (format!("Sitovia määrärahoja on {n}; yksikään ei ylittynyt"), "ylitysoikeuden rajoissa"),
            Lang::Sv => (format!("Bindande anslag: {n}; inget överskreds"), "inom överskridningsrätten"),
            Lang::En => (format!("Binding appropriations: {n}; none overrun"), "within the overrun right"),
        };
        return if right > 0 { format!("{none}; {within_right} {right}.") } else { format!("{none}.") };
    }
    match lang {
        Lang::Fi => {
            let mut s = format!("Sitovia määrärahoja on {n}: **ylittyi {o}** (yhteensä {amount})");
            if unexplained > 0 {
                s.push_str(&format!(", joista **{unexplained} ilman perustelua**"));
            }
            if right > 0 {
                s.push_str(&format!("; ylitysoikeuden rajoissa {right}"));
            }
            s.push_str(&format!("; talousarviossa pysyi {within}."));
            s
        }
        Lang::Sv => {
            let mut s = format!("Bindande anslag: {n}; **{o} överskreds** (sammanlagt {amount})");
            if unexplained > 0 {
                s.push_str(&format!(", varav **{unexplained} utan motivering**"));
            }
            if right > 0 {
                s.push_str(&format!("; inom överskridningsrätten {right}"));
            }
            s.push_str(&format!("; inom budget {within}."));
            s
        }
        Lang::En => {
            let mut s = format!("Binding appropriations: {n}; **{o} overrun** ({amount} in all)");
            if unexplained > 0 {
                s.push_str(&format!(", **{unexplained} of them without an explanation**"));
            }
            if right > 0 {
                s.push_str(&format!("; within the overrun right {right}"));
            }
            s.push_str(&format!("; within budget {within}."));
            s
        }
    }
}

/// The year-end summary's sections: the opening, binding appropriations (counted, overruns first by size), notable units, the units table with
/// its chart, the largest variances.
fn year_end_sections(md: &mut String, ctx: &ReportContext, w: &Words, lang: Lang) {
    let a = ctx.analysis;
    let year = ctx.year;
    let margin_li = LineItem::new(Item::TOIMINTAKATE);

    // Opening: each top-level unit's margin, revenue and costs, then the error count.
    // With many top-level units the unit table below is the overview; the opening would only repeat it.
    let tops: Vec<&super::UnitEntry> = ctx.units.iter().filter(|u| u.depth == 0).collect();
    for unit in tops.iter().filter(|_| tops.len() <= 10) {
        let mut para = Vec::new();
        if let Some(r) = ctx.row(&unit.name, margin_li, year) {
            para.extend(margin_sentence(&md_escape(ctx.unit_name(&unit.name, lang)), r, lang));
        }
        for item in [Item::TOIMINTATUOTOT, Item::TOIMINTAKULUT] {
            if let Some(r) = ctx.row(&unit.name, LineItem::new(item), year) {
                para.extend(line_sentence(r, ctx, lang));
            }
        }
        // A top-level unit's own explanation of its margin (a binding one's stands with its appropriation below).
        let binding = a.bindings.iter().any(|b| b.unit == unit.name && b.line_item == margin_li && b.year == year);
        if let Some(e) =
            ctx.row(&unit.name, margin_li, year).and_then(|r| ctx.explanation_in(r, lang)).filter(|_| !binding)
        {
            para.push(format!("{}: {}", w.col_expl, md_escape(e)));
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

    // Binding appropriations: all of them in one table, overruns first, each with its status and the finance
    // office's explanation (an overrun without one is flagged: every overrun is explained to the council).
    let mut bindings: Vec<_> = a.bindings.iter().filter(|b| b.year == year).collect();
    // Overruns first, the largest first; then those within the overrun right; then the rest in tree order.
    bindings.sort_by(|x, y| {
        let by_size = if x.needs_decision() && y.needs_decision() {
            x.variance.cmp(&y.variance)
        } else {
            std::cmp::Ordering::Equal
        };
        y.status().cmp(&x.status()).then(by_size)
    });
    if !bindings.is_empty() {
        let _ = writeln!(md, "## {}\n", w.binding);
        let explained = |b: &crate::engine::Binding| {
            ctx.row(&b.unit, b.line_item, year).and_then(|r| ctx.explanation_in(r, lang)).is_some()
        };
        let _ = writeln!(md, "{}\n", binding_counts(&bindings, ctx.org, explained, lang));
        let _ = writeln!(
            md,
            "{}",
            table_row(&[
                w.col_unit.into(),
                w.col_line.into(),
                w.col_budget.into(),
                w.col_actual.into(),
                w.col_var.into(),
                w.col_pct.into(),
                w.col_status.into(),
                w.col_expl.into()
            ])
        );
        let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---|---|");
        // A figure of the table the checks found wrong: marked, with a line under the table.
        let wrong = |b: &crate::engine::Binding, scs: &[Scenario]| {
            scs.iter().any(|&sc| ctx.wrong_figure(&b.unit, b.line_item, year, sc).is_some())
        };
        let mut marked = false;
        for b in &bindings {
            let unit = md_escape(ctx.unit_name(&b.unit, lang));
            let li = b.line_item.label(lang.code());
            let pct = b.variance_pct.map(|p| signed_percent(p, lang)).unwrap_or_default();
            let mut status = w.status[b.status().index()].to_string();
            if b.status() == BindingStatus::WithinRight {
                if let Some(r) = b.overrun_right {
                    status = format!("{status} ({})", money(r, lang));
                }
            }
            let reason = match ctx.row(&b.unit, b.line_item, year).and_then(|r| ctx.explanation_in(r, lang)) {
                Some(e) => md_escape(e),
                None if b.needs_decision() => w.expl_missing.to_string(),
                None => String::new(),
            };
            let _ = writeln!(
                md,
                "{}",
                table_row(&[
                    format!("**{unit}**"),
                    li,
                    star(number(b.ta_muutettu, lang), wrong(b, &[Scenario::TaMuutettu, Scenario::Ta])),
                    star(number(b.tp, lang), wrong(b, &[Scenario::Tp])),
                    star(
                        signed_number(b.variance, lang),
                        wrong(b, &[Scenario::Tp, Scenario::TaMuutettu, Scenario::Poikkeama])
                    ),
                    pct,
                    status,
                    reason
                ])
            );
        }
        md.push('\n');
        marked |=
            bindings.iter().any(|b| wrong(b, &[Scenario::Ta, Scenario::TaMuutettu, Scenario::Tp, Scenario::Poikkeama]));
        if marked {
            let _ = writeln!(md, "{}\n", w.wrong_note);
        }
        if bindings.iter().any(|b| b.needs_decision()) {
            let _ = writeln!(md, "{}\n", w.overrun_note);
        }
    }

    // A sentence for every unit below the top that is binding or whose margin variance is significant,
    // with the finance office's explanation.
    let (limit_euros, limit_pct) = (Decimal::from(ctx.thresholds.explain_euros), ctx.thresholds.explain_percent);
    let Overview { units: overview, others } = ctx.overview();
    let notable: Vec<(&super::UnitEntry, &Row)> = overview
        .iter()
        .copied()
        .filter(|u| u.depth > 0)
        .filter_map(|u| ctx.row(&u.name, margin_li, year).map(|r| (u, r)))
        .filter(|(u, r)| {
            crate::engine::Analysis::significant(r, limit_euros, limit_pct)
                || a.bindings.iter().any(|b| b.unit == u.name && b.year == year)
        })
        .collect();
    if !notable.is_empty() {
        let _ = writeln!(md, "## {}\n", w.by_unit);
        for (u, r) in notable {
            let Some(mut text) = margin_sentence(&md_escape(ctx.unit_name(&u.name, lang)), r, lang) else { continue };
            match ctx.explanation_in(r, lang) {
                Some(e) => text.push_str(&format!(" {}: {}", w.col_expl, md_escape(e))),
                // Significant, or a binding appropriation overrun (every one is explained to the council).
                None if crate::engine::Analysis::significant(r, limit_euros, limit_pct)
                    || ctx.binding(&u.name, r.line_item, year).is_some_and(|b| b.needs_decision()) =>
                {
                    text.push_str(&format!(" {}", w.expl_missing))
                }
                None => {}
            }
            let _ = writeln!(md, "- {text}");
        }
        md.push('\n');
    }

    // Units table: the margin's budget, changes, budget after changes, actuals and variance.
    let _ = writeln!(md, "## {}\n", w.units);
    let _ = writeln!(
        md,
        "{}",
        table_row(&[
            w.col_unit.into(),
            w.col_ta.into(),
            w.col_changes.into(),
            w.col_budget.into(),
            w.col_actual.into(),
            w.col_var.into(),
            w.col_pct.into()
        ])
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
    for unit in &overview {
        let Some(r) = ctx.row(&unit.name, margin_li, year) else { continue };
        let indent = "\u{2003}".repeat(unit.depth);
        let n = |d: Option<Decimal>| d.map(|d| number(d, lang)).unwrap_or_default();
        let _ = writeln!(
            md,
            "{}",
            table_row(&[
                format!("{indent}{}", md_escape(ctx.unit_name(&unit.name, lang))),
                n(r.ta),
                n(r.ta_muutokset),
                n(r.ta_muutettu),
                n(r.tp),
                r.variance_shown().map(|v| signed_number(v, lang)).unwrap_or_default(),
                r.variance_pct.map(|p| signed_percent(p, lang)).unwrap_or_default(),
            ])
        );
    }
    if let Some(o) = &others {
        let n = |d: Option<Decimal>| d.map(|d| number(d, lang)).unwrap_or_default();
        let indent = "\u{2003}".repeat(overview.iter().map(|u| u.depth).max().unwrap_or(0));
        let _ = writeln!(
            md,
            "{}",
            table_row(&[
                format!("{indent}*{}*", o.label(lang)),
                n(o.ta),
                n(o.ta_muutokset),
                n(o.ta_muutettu),
                n(o.tp),
                o.variance.map(|v| signed_number(v, lang)).unwrap_or_default(),
                String::new(),
            ])
        );
    }
    md.push('\n');
    if overview.len() < ctx.units.len() {
        let n = number(Decimal::from(ctx.units.len() - overview.len()), lang);
        let _ = writeln!(
            md,
            "{}\n",
            match lang {
                Lang::Fi => format!("Taulukossa ovat ylimmät tasot; muiden {n} yksikön luvut ovat työkirjassa ({}).", super::WORKBOOK),
                Lang::Sv => format!("Tabellen visar de översta nivåerna; siffrorna för de övriga {n} enheterna finns i arbetsboken ({}).", super::WORKBOOK),
                Lang::En => format!("The table shows the top levels; the figures of the other {n} units are in the workbook ({}).", super::WORKBOOK),
            }
        );
    }
    let _ = writeln!(md, "![{}]({})\n", w.chart, super::chart::file_name(lang));

    // Largest variances among the detail rows of the units at the bottom of the tree: not the totals of rows
    // listed, not a parent's sum of its children's, not internal or imputed items.
    let parents: std::collections::HashSet<&str> =
        ctx.org.map(|o| o.units.iter().filter_map(|u| u.parent.as_deref()).collect()).unwrap_or_default();
    let leaf = |unit: &str| ctx.org.and_then(|o| o.find(unit)).is_none_or(|u| !parents.contains(u.name.as_str()));
    let this_year: Vec<&Row> = a.rows.iter().filter(|r| r.year == year && !r.line_item.of_which_internal).collect();
    // (unit, item) for every item some row of the unit is under: those rows are totals of rows shown.
    let totals: std::collections::HashSet<(&str, Item)> = this_year
        .iter()
        .flat_map(|r| {
            std::iter::successors(r.line_item.item.sums_into(), |i| i.sums_into()).map(|i| (r.unit.as_str(), i))
        })
        .collect();
    let mut largest: Vec<&Row> = this_year
        .iter()
        .copied()
        .filter(|r| {
            let item = r.line_item.item;
            let internal =
                [Item::SISAISET_ERAT, Item::LASKENNALLISET_ERAT].iter().any(|&i| item == i || item.is_under(i));
            let total = totals.contains(&(r.unit.as_str(), item));
            !internal && !total && leaf(&r.unit) && r.variance_shown().is_some_and(|v| !v.is_zero())
        })
        .collect();
    largest.sort_by(|x, y| {
        y.variance_shown().map(|v| v.abs()).cmp(&x.variance_shown().map(|v| v.abs())).then(x.unit.cmp(&y.unit))
    });
    // Not the crumbs: a variance under 1 % of the largest one is no "largest variance" (a +1 € row).
    if let Some(top) = largest.first().and_then(|r| r.variance_shown()).map(|v| v.abs()) {
        let floor = top / Decimal::ONE_HUNDRED;
        largest.retain(|r| r.variance_shown().is_some_and(|v| v.abs() >= floor));
    }
    if !largest.is_empty() {
        let _ = writeln!(md, "## {}\n", w.largest);
        let _ = writeln!(
            md,
            "{}",
            table_row(&[w.col_unit.into(), w.col_line.into(), w.col_var.into(), w.col_pct.into(), w.col_expl.into()])
        );
        let _ = writeln!(md, "|---|---|---:|---:|---|");
        for r in largest.into_iter().take(8) {
            let _ = writeln!(
                md,
                "{}",
                table_row(&[
                    md_escape(ctx.unit_name(&r.unit, lang)),
                    r.line_item.label(lang.code()),
                    r.variance_shown().map(|v| signed_number(v, lang)).unwrap_or_default(),
                    r.variance_pct.map(|p| signed_percent(p, lang)).unwrap_or_default(),
                    explanation(r, ctx, w, lang),
                ])
            );
        }
        md.push('\n');
    }
}
