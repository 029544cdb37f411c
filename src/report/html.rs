//! The council summary as a self-contained HTML page (`yhteenveto.html`, `sammandrag.html`, `summary.html`):
//! the Markdown summary rendered, its chart inline (no file beside it needed), styles for the screen and for
//! print (A4, tables kept together, the page's number in the footer where the browser prints one). The same
//! words and numbers as the Markdown: it is rendered from it, never written twice.

use super::fmt::{xml_escape, Lang};
use super::{chart, markdown, ReportContext};
use pulldown_cmark::{html, Options, Parser};

pub fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "yhteenveto.html",
        Lang::Sv => "sammandrag.html",
        Lang::En => "summary.html",
    }
}

const STYLE: &str = "
body { font-family: 'Segoe UI', Calibri, Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #1a1a1a;
       max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.6em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #bbb; padding-bottom: 0.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
td[style*='right'] { white-space: nowrap; font-variant-numeric: tabular-nums; }
th[style*='right'] { text-align: right; }
td:last-child:not([style*='right']) { min-width: 12em; }
svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 18mm 15mm 20mm; @bottom-center { content: counter(page) ' / ' counter(pages); } }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, svg { break-inside: avoid; }
  thead { display: table-header-group; }
}
";

/// The page for one language.
pub fn render(ctx: &ReportContext, lang: Lang) -> String {
    let md = markdown::render(ctx, lang);
    let title = md.lines().next().and_then(|l| l.strip_prefix("# ")).unwrap_or_default().to_string();
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(&md, Options::ENABLE_TABLES));
    // The chart inline, in place of its image (the SVG is ours: plain text, no scripts).
    let svg = chart::render(ctx, lang);
    let image = format!("<img src=\"{}\"", chart::file_name(lang));
    if let Some(at) = body.find(&image) {
        let end = body[at..].find('>').map_or(body.len(), |e| at + e + 1);
        let inline =
            svg.trim_start_matches(|c| c != '<').trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        body.replace_range(at..end, inline.trim());
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         {body}</body>\n</html>\n",
        lang.code(),
        xml_escape(&title.replace(['*', '\\'], ""))
    )
}
