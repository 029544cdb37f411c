//! The SVG chart of the external operating margin's variance by unit, drawn here as plain SVG (bars,
//! labels, a zero line): no fonts to load, no external programs, the same bytes on every machine.

use super::fmt::{signed_money, xml_escape, Lang};
use super::ReportContext;
use crate::model::{Item, LineItem};
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

pub const FILE_NAME: &str = "toimintakate_poikkeama.svg";

/// The chart's file in each language: Finnish keeps the plain name; the others carry their code.
pub fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => FILE_NAME,
        Lang::Sv => "toimintakate_poikkeama_sv.svg",
        Lang::En => "toimintakate_poikkeama_en.svg",
    }
}

/// An SVG chart's opening: its size, a white ground and its title.
pub(super) fn svg_open(width: f64, height: f64, title: &str) -> String {
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Arial, Helvetica, sans-serif" font-size="13">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(svg, r#"<text x="10" y="24" font-size="15" font-weight="bold">{}</text>"#, xml_escape(title));
    svg
}

/// The chart's title (the workbook's native chart has the same).
pub fn title(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Fi => format!("Ulkoisen toimintakatteen poikkeama {year} (TP − TA muutosten jälkeen), €"),
        Lang::Sv => format!("Avvikelse i externt verksamhetsbidrag {year} (bokslut − budget efter ändringar), €"),
        Lang::En => format!("External operating margin variance {year} (actual − budget after changes), €"),
    }
}

/// Bars right of the zero line are favourable (green), left unfavourable (red).
pub fn render(ctx: &ReportContext, lang: Lang) -> String {
    // An interim report's chart: realisation against the elapsed share of the year.
    if let Some(period) = &ctx.analysis.period {
        return super::interim::chart(ctx, period, lang);
    }
    let li = LineItem::new(Item::TOIMINTAKATE);
    let overview = ctx.overview();
    let mut bars: Vec<(String, usize, rust_decimal::Decimal)> = overview
        .units
        .iter()
        .filter_map(|u| {
            ctx.row(&u.name, li, ctx.year)
                .and_then(|r| r.variance_shown())
                .map(|v| (ctx.unit_name(&u.name, lang).to_string(), u.depth, v))
        })
        .collect();
    // The units a city-scale overview leaves out, as one bar.
    if let Some((o, v)) = overview.others.as_ref().and_then(|o| o.variance.map(|v| (o, v))) {
        let depth = overview.units.iter().map(|u| u.depth).max().unwrap_or(0);
        bars.push((o.label(lang), depth, v));
    }
    let title = title(ctx.year, lang);
    let (label_w, plot_w, bar_h, top) = (300.0, 460.0, 26.0, 50.0);
    let width = label_w + plot_w + 120.0;
    let height = top + bar_h * bars.len().max(1) as f64 + 30.0;
    // The scale is the units' below the top where there are any: a municipality's total, many times any
    // department's, would leave theirs thin as hairs. A bar past the plot is drawn broken, its figure beside it.
    let below_top = bars.iter().any(|(_, d, _)| *d > 0);
    let max = bars
        .iter()
        .filter(|(_, d, _)| *d > 0 || !below_top)
        .filter_map(|(_, _, v)| v.abs().to_f64())
        .fold(1.0_f64, f64::max);
    let has_neg = bars.iter().any(|(_, _, v)| v.is_sign_negative() && !v.is_zero());
    let has_pos = bars.iter().any(|(_, _, v)| !v.is_sign_negative() && !v.is_zero());
    // The zero line sits left when all bars are favourable, right when all are not, centred otherwise.
    let zero_x = label_w
        + match (has_neg, has_pos) {
            (true, true) => plot_w / 2.0,
            (true, false) => plot_w,
            _ => 0.0,
        };
    let room = if has_neg && has_pos { plot_w / 2.0 } else { plot_w };
    let scale = room / max;
    let mut svg = svg_open(width, height, &title);
    for (i, (name, depth, v)) in bars.iter().enumerate() {
        let y = top + i as f64 * bar_h;
        let full = v.abs().to_f64().unwrap_or(0.0) * scale;
        // A bar too small to see gets a sliver; one past the plot is cut at its edge.
        let len = if v.is_zero() { 0.0 } else { full.clamp(1.5, room) };
        let (x, fill) = if v.is_sign_negative() { (zero_x - len, "#c0392b") } else { (zero_x, "#2e8b57") };
        let indent = 10.0 + 14.0 * *depth as f64;
        let _ = writeln!(svg, r#"<text x="{indent}" y="{:.1}">{}</text>"#, y + 17.0, xml_escape(name));
        let _ = writeln!(
            svg,
            r#"<rect x="{x:.1}" y="{:.1}" width="{len:.1}" height="{:.1}" fill="{fill}"/>"#,
            y + 4.0,
            bar_h - 8.0
        );
        if full > room {
            // Two white strokes across the bar's end: broken, not to scale.
            let cut = if v.is_sign_negative() { x + 10.0 } else { x + len - 14.0 };
            for dx in [0.0, 5.0] {
                let _ = writeln!(
                    svg,
                    r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#fff" stroke-width="2"/>"##,
                    cut + dx,
                    y + bar_h - 2.0,
                    cut + dx + 4.0,
                    y + 2.0
                );
            }
        }
        let (tx, anchor) = if v.is_sign_negative() { (x - 6.0, "end") } else { (x + len + 6.0, "start") };
        let _ = writeln!(
            svg,
            r#"<text x="{tx:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
            y + 17.0,
            xml_escape(&signed_money(*v, lang).replace('\u{a0}', " "))
        );
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{zero_x:.1}" y1="{:.1}" x2="{zero_x:.1}" y2="{:.1}" stroke="#333" stroke-width="1"/>"##,
        top - 4.0,
        height - 26.0
    );
    svg.push_str("</svg>\n");
    svg
}
