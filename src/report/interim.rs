//! The council summary's interim form (osavuosikatsaus): a headline per binding appropriation (actuals to
//! date against the budget and the elapsed share of the year, the forecast and its risk), the units' table of
//! budget, actuals to date, realisation, forecast and forecast variance, and the chart of realisation against
//! elapsed time. Every figure from the engine's interim rows ([`crate::engine::interim`]).

use super::fmt::{md_escape, money, number, percent, signed_number, xml_escape, Lang};
use super::ReportContext;
use crate::engine::interim::{elapsed_pct, Basis, InterimRow, Risk};
use crate::model::{Item, LineItem, Period};
use std::fmt::Write;

struct Words {
    binding: &'static str,
    units: &'static str,
    col_unit: &'static str,
    col_budget: &'static str,
    col_to_date: &'static str,
    col_real: &'static str,
    col_forecast: &'static str,
    col_fvar: &'static str,
    col_method: &'static str,
    col_expl: &'static str,
    chart: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Fi => Words {
            binding: "Sitovat määrärahat",
            units: "Yksiköt: ulkoinen toimintakate",
            col_unit: "Yksikkö",
            col_budget: "TA muutosten jälkeen, €",
            col_to_date: "Toteuma ajalta, €",
            col_real: "Toteuma, %",
            col_forecast: "Ennuste, €",
            col_fvar: "Ennusteen poikkeama, €",
            col_method: "Ennusteen peruste",
            col_expl: "Perustelu",
            chart: "Toteutumisaste ja kulunut aika yksiköittäin",
        },
        Lang::Sv => Words {
            binding: "Bindande anslag",
            units: "Enheter: externt verksamhetsbidrag",
            col_unit: "Enhet",
            col_budget: "Budget efter ändringar, €",
            col_to_date: "Utfall hittills, €",
            col_real: "Utfall, %",
            col_forecast: "Prognos, €",
            col_fvar: "Prognosens avvikelse, €",
            col_method: "Prognosens grund",
            col_expl: "Motivering",
            chart: "Utfallsgrad och förfluten tid per enhet",
        },
        Lang::En => Words {
            binding: "Binding appropriations",
            units: "Units: external operating margin",
            col_unit: "Unit",
            col_budget: "Budget after changes, €",
            col_to_date: "Actual to date, €",
            col_real: "Outturn, %",
            col_forecast: "Forecast, €",
            col_fvar: "Forecast variance, €",
            col_method: "Forecast by",
            col_expl: "Explanation",
            chart: "Outturn and elapsed time by unit",
        },
    }
}

/// What an interim report's signs mean.
pub fn signs_line(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "Ennusteen poikkeama = ennuste − talousarvio muutosten jälkeen: **+** on talousarviota parempi, **−** heikompi (tuotot positiivisina, kulut negatiivisina). Toteuma-% = toteuma ajalta / talousarvio.",
        Lang::Sv => "Prognosens avvikelse = prognos − budget efter ändringar: **+** är bättre än budgeten, **−** sämre (intäkter positiva, kostnader negativa). Utfall-% = utfall hittills / budget.",
        Lang::En => "Forecast variance = forecast − budget after changes: **+** is better than budget, **−** worse (revenues positive, costs negative). Outturn % = actual to date / budget.",
    }
}

fn table_row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// One binding appropriation's headline: `tammi–elokuu: toteuma 63 % talousarviosta, aikaa kulunut 67 %;
/// ennuste ylittää määrärahan 320 000 €`.
fn headline(r: &InterimRow, period: &Period, lang: Lang) -> String {
    let label = period.label(lang.code());
    let real = r.realisation_pct.map(|p| percent(p, lang)).unwrap_or_else(|| "–".into());
    let elapsed = expected(r.expected_pct, r.basis, lang);
    let over = money(r.forecast_variance.abs(), lang);
    match (lang, r.risk) {
        (Lang::Fi, risk) => {
            let tail = match risk {
                Some(Risk::Overrun) => format!("**ennuste ylittää määrärahan {over}**"),
                Some(Risk::WithinRight) => format!("ennuste ylittää määrärahan {over} ylitysoikeuden rajoissa"),
                _ => format!("ennuste alittaa määrärahan {over}"),
            };
            format!("{label}: toteuma {real} talousarviosta, {elapsed}; {tail}")
        }
        (Lang::Sv, risk) => {
            let tail = match risk {
                Some(Risk::Overrun) => format!("**prognosen överskrider anslaget med {over}**"),
                Some(Risk::WithinRight) => {
                    format!("prognosen överskrider anslaget med {over} inom överskridningsrätten")
                }
                _ => format!("prognosen underskrider anslaget med {over}"),
            };
            format!("{label}: utfall {real} av budgeten, {elapsed}; {tail}")
        }
        (Lang::En, risk) => {
            let tail = match risk {
                Some(Risk::Overrun) => format!("**the forecast overruns the appropriation by {over}**"),
                Some(Risk::WithinRight) => format!("the forecast overruns it by {over}, within the overrun right"),
                _ => format!("the forecast stays {over} within the appropriation"),
            };
            format!("{label}: actual {real} of the budget, {elapsed}; {tail}")
        }
    }
}

/// The share of the year expected by now in words: `aikaa kulunut 67 %`, `jaksotuksen mukaan 60 %`,
/// `67 % of the year elapsed`.
pub fn expected(pct: f64, basis: Basis, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} {}", percent(pct, lang), basis.words(lang.code())),
        _ => format!("{} {}", basis.words(lang.code()), percent(pct, lang)),
    }
}

/// The interim summary's sections.
pub fn sections(md: &mut String, ctx: &ReportContext, period: &Period, lang: Lang) {
    let w = words(lang);
    let a = ctx.analysis;
    let row_of = |unit: &str, li: LineItem| a.interim.iter().find(|r| r.unit == unit && r.line_item == li);
    // Binding appropriations: the overruns first.
    let mut binding: Vec<&InterimRow> = a.interim.iter().filter(|r| r.risk.is_some()).collect();
    binding.sort_by_key(|r| match r.risk {
        Some(Risk::Overrun) => 0,
        Some(Risk::WithinRight) => 1,
        _ => 2,
    });
    if !binding.is_empty() {
        let _ = writeln!(md, "## {}\n", w.binding);
        for r in &binding {
            let unit = md_escape(ctx.unit_name(&r.unit, lang));
            let li = r.line_item.label(lang.code()).to_lowercase();
            let mut line = format!("- **{unit}** ({li}): {}.", headline(r, period, lang));
            if let Some(e) = ctx.row(&r.unit, r.line_item, period.year).and_then(|x| ctx.explanation_in(x, lang)) {
                line.push_str(&format!(" {}: {}", w.col_expl, md_escape(e)));
            }
            let _ = writeln!(md, "{line}");
        }
        md.push('\n');
    }
    // The units' margins.
    let margin = LineItem::new(Item::TOIMINTAKATE);
    let units: Vec<(&super::UnitEntry, &InterimRow)> =
        ctx.overview_units().into_iter().filter_map(|u| row_of(&u.name, margin).map(|r| (u, r))).collect();
    if !units.is_empty() {
        let _ = writeln!(md, "## {}\n", w.units);
        let head = [w.col_unit, w.col_budget, w.col_to_date, w.col_real, w.col_forecast, w.col_fvar, w.col_method];
        let _ = writeln!(md, "{}", table_row(&head.map(String::from)));
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---|");
        for (u, r) in &units {
            let _ = writeln!(
                md,
                "{}",
                table_row(&[
                    format!("{}{}", "\u{2003}".repeat(u.depth), md_escape(ctx.unit_name(&u.name, lang))),
                    number(r.budget, lang),
                    number(r.to_date, lang),
                    r.realisation_pct.map(|p| percent(p, lang)).unwrap_or_default(),
                    number(r.forecast, lang),
                    signed_number(r.forecast_variance, lang),
                    r.method.label(lang.code()).to_string(),
                ])
            );
        }
        md.push('\n');
        let _ = writeln!(md, "![{}]({})\n", w.chart, super::chart::file_name(lang));
    }
}

/// The interim chart: each unit's realisation (actuals to date / budget) as a bar, the elapsed share of the
/// year as a line across them.
pub fn chart(ctx: &ReportContext, period: &Period, lang: Lang) -> String {
    let margin = LineItem::new(Item::TOIMINTAKATE);
    // (name, depth, realisation, whether the budget is a net cost: then running ahead of time is unfavourable,
    // the share expected by now).
    let bars: Vec<(String, usize, f64, bool, f64)> = ctx
        .overview_units()
        .into_iter()
        .filter_map(|u| {
            let r = ctx.analysis.interim.iter().find(|r| r.unit == u.name && r.line_item == margin)?;
            let cost = r.budget.is_sign_negative();
            Some((ctx.unit_name(&u.name, lang).to_string(), u.depth, r.realisation_pct?, cost, r.expected_pct))
        })
        .collect();
    let title = format!("{} {}, %", words(lang).chart, period.label(lang.code()));
    let (label_w, plot_w, bar_h, top) = (300.0, 460.0, 26.0, 50.0);
    let width = label_w + plot_w + 80.0;
    let height = top + bar_h * bars.len().max(1) as f64 + 40.0;
    let max = bars.iter().map(|b| b.2).fold(100.0_f64, f64::max).min(400.0);
    let x = |p: f64| label_w + p.clamp(0.0, max) / max * plot_w;
    let elapsed = elapsed_pct(period);
    let mut svg = super::chart::svg_open(width, height, &title);
    for (i, (name, depth, p, cost, due)) in bars.iter().enumerate() {
        let y = top + i as f64 * bar_h;
        let fill = if (*p > *due) == *cost { "#c0392b" } else { "#2e8b57" };
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
            10.0 + 14.0 * *depth as f64,
            y + 17.0,
            xml_escape(name)
        );
        let _ = writeln!(
            svg,
            r#"<rect x="{label_w:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/>"#,
            y + 4.0,
            x(*p) - label_w,
            bar_h - 8.0
        );
        let _ = writeln!(svg, r#"<text x="{:.1}" y="{:.1}">{}</text>"#, x(*p) + 6.0, y + 17.0, percent(*p, lang));
        // A phasing's or last year's share, where it is not the months': a mark across the bar.
        if (*due - elapsed).abs() > 0.05 {
            let dx = x(*due);
            let _ = writeln!(
                svg,
                r##"<line x1="{dx:.1}" y1="{:.1}" x2="{dx:.1}" y2="{:.1}" stroke="#333" stroke-width="3"/>"##,
                y + 1.0,
                y + bar_h - 1.0
            );
        }
    }
    let ex = x(elapsed);
    let _ = writeln!(
        svg,
        r##"<line x1="{ex:.1}" y1="{:.1}" x2="{ex:.1}" y2="{:.1}" stroke="#333" stroke-width="2" stroke-dasharray="6 4"/>"##,
        top - 4.0,
        height - 34.0
    );
    let caption = match lang {
        Lang::Fi => format!("aikaa kulunut {}", percent(elapsed, lang)),
        Lang::Sv => format!("förfluten tid {}", percent(elapsed, lang)),
        Lang::En => format!("{} of the year elapsed", percent(elapsed, lang)),
    };
    let _ = writeln!(svg, r#"<text x="{ex:.1}" y="{:.1}" text-anchor="middle">{caption}</text>"#, height - 14.0);
    // The solid marks: each unit's own share due by now (a phasing, last year's profile), named.
    if bars.iter().any(|b| (b.4 - elapsed).abs() > 0.05) {
        let marks = match lang {
            Lang::Fi => "▍ odotettu osuus (jaksotus tai edellisen vuoden profiili)",
            Lang::Sv => "▍ väntad andel (periodisering eller föregående års profil)",
            Lang::En => "▍ share due (phasing or last year's profile)",
        };
        let _ = writeln!(svg, r#"<text x="10" y="{:.1}">{marks}</text>"#, height - 14.0);
    }
    svg.push_str("</svg>\n");
    svg
}
