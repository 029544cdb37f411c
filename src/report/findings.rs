//! Findings as text for a terminal and as JSON (`{"findings": [...]}`, amounts as decimal strings).

use crate::engine::{Analysis, Finding, Severity};
use serde::Serialize;
use std::io::Write;

fn line(f: &Finding) -> String {
    let what =
        [f.line_item.map(|l| l.label("fi")), f.scenario.map(|s| s.id().to_string()), f.year.map(|y| y.to_string())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
    let mut out = format!("{:<7} [{}] {}", f.severity.id(), f.rule.id(), f.unit);
    if !what.is_empty() {
        out.push_str(&format!(" · {what}"));
    }
    out.push_str(&format!("\n        {}", f.message));
    if !f.sources.is_empty() {
        out.push_str(&format!("\n        solut: {}", f.sources.join(", ")));
    }
    out
}

/// A readable list, errors first (the analysis keeps them sorted), with a count at the end.
pub fn write_text<W: Write>(analysis: &Analysis, mut out: W) -> std::io::Result<()> {
    for f in &analysis.findings {
        writeln!(out, "{}", line(f))?;
    }
    writeln!(
        out,
        "{} virhettä, {} varoitusta, {} huomiota ({} errors, {} warnings, {} info)",
        analysis.count(Severity::Error),
        analysis.count(Severity::Warning),
        analysis.count(Severity::Info),
        analysis.count(Severity::Error),
        analysis.count(Severity::Warning),
        analysis.count(Severity::Info),
    )
}

#[derive(Serialize)]
struct FindingsJson<'a> {
    findings: &'a [Finding],
}

pub fn to_json(analysis: &Analysis) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&FindingsJson { findings: &analysis.findings })
}

pub fn write_json<W: Write>(analysis: &Analysis, mut out: W) -> std::io::Result<()> {
    let text = to_json(analysis)?;
    writeln!(out, "{text}")
}
