//! Findings as text for a terminal and as JSON (`{"findings": [...]}`, amounts as decimal strings), worded
//! in the first report language; machine fields (`severity`, `rule`, `line_item`, `scenario`) keep their ids.

use super::fmt::Lang;
use super::text::{message, rule_name, severity_name};
use crate::engine::{Analysis, Finding, Severity};
use serde::Serialize;
use std::io::Write;

fn cells_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "solut",
        Lang::Sv => "celler",
        Lang::En => "cells",
    }
}

/// One finding: its head line, message and cells; one that follows from the finding above it is indented
/// under it (the list keeps causes first).
fn line(f: &Finding, lang: Lang) -> String {
    let indent = if f.explained_by.is_some() { "  ↳ " } else { "" };
    let pad = if f.explained_by.is_some() { "        " } else { "    " };
    // Three lines at most, each plain: a unit, a label or a file name never breaks one or acts on the terminal.
    let plain = crate::error::plain_line;
    let mut out =
        format!("{indent}{} · {} · {}", severity_name(f.severity, lang), rule_name(f.rule, lang), plain(&f.unit));
    out.push_str(&format!("\n{pad}{}", plain(&message(f, lang))));
    if !f.sources.is_empty() {
        let sources: Vec<String> = f.sources.iter().map(|s| super::text::source_in(s, lang)).collect();
        out.push_str(&format!("\n{pad}{}: {}", cells_word(lang), plain(&sources.join(", "))));
    }
    out
}

/// "3 virhettä, 1 varoitus, 2 huomiota".
pub fn counts(analysis: &Analysis, lang: Lang) -> String {
    let (e, w, i) =
        (analysis.count(Severity::Error), analysis.count(Severity::Warning), analysis.count(Severity::Info));
    let pick = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    match lang {
        Lang::Fi => format!(
            "{e} {}, {w} {}, {i} {}",
            pick(e, "virhe", "virhettä"),
            pick(w, "varoitus", "varoitusta"),
            pick(i, "huomio", "huomiota")
        ),
        Lang::Sv => {
            format!("{e} fel, {w} {}, {i} {}", pick(w, "varning", "varningar"), pick(i, "notering", "noteringar"))
        }
        Lang::En => format!("{e} {}, {w} {}, {i} info", pick(e, "error", "errors"), pick(w, "warning", "warnings")),
    }
}

/// A readable list, errors first (the analysis keeps them sorted), with a count at the end.
pub fn write_text<W: Write>(analysis: &Analysis, lang: Lang, mut out: W) -> std::io::Result<()> {
    for f in &analysis.findings {
        writeln!(out, "{}", line(f, lang))?;
    }
    writeln!(out, "{}", counts(analysis, lang))
}

#[derive(Serialize)]
struct Worded<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    message: String,
}

#[derive(Serialize)]
struct FindingsJson<'a> {
    findings: Vec<Worded<'a>>,
}

pub fn to_json(analysis: &Analysis, lang: Lang) -> serde_json::Result<String> {
    let findings = analysis.findings.iter().map(|f| Worded { finding: f, message: message(f, lang) }).collect();
    serde_json::to_string_pretty(&FindingsJson { findings })
}

pub fn write_json<W: Write>(analysis: &Analysis, lang: Lang, mut out: W) -> std::io::Result<()> {
    let text = to_json(analysis, lang)?;
    writeln!(out, "{text}")
}
