//! The council summary as a PDF (`yhteenveto.pdf`, `sammandrag.pdf`, `summary.pdf`) for council agendas: the
//! Markdown summary turned into Typst markup and typeset by the `typst` crate (A4, page numbers "1 / N" in the
//! footer, tables that break across pages with their header repeated, the chart drawn from its SVG). The same
//! words and numbers as the Markdown: it is rendered from it, never written twice. Fonts are the ones the
//! `typst-assets` crate carries (no system fonts, the same bytes on every machine).

use super::fmt::Lang;
use super::{chart, markdown, ReportContext};
use crate::error::{Error, Result};
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

pub fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "yhteenveto.pdf",
        Lang::Sv => "sammandrag.pdf",
        Lang::En => "summary.pdf",
    }
}

/// The page for one language.
pub fn render(ctx: &ReportContext, lang: Lang) -> Result<Vec<u8>> {
    let md = markdown::render(ctx, lang);
    let svg = chart::render(ctx, lang);
    let title = md.lines().next().and_then(|l| l.strip_prefix("# ")).unwrap_or_default().replace(['*', '\\'], "");
    let markup = typst_markup(&md, lang, &title);
    typeset(&markup, chart::file_name(lang), svg.into_bytes())
        .map_err(|e| Error::Report(format!("{}: {e}", file_name(lang))))
}

/// Page, text and table settings, then the summary's body.
fn typst_markup(md: &str, lang: Lang, title: &str) -> String {
    let mut out = format!(
        "#set document(title: \"{}\")\n\
         #set page(paper: \"a4\", margin: (x: 18mm, top: 18mm, bottom: 22mm), numbering: \"1 / 1\", \
         number-align: center)\n\
         #set text(font: \"Libertinus Serif\", size: 10.5pt, lang: \"{}\")\n\
         #set par(justify: false)\n\
         #show heading.where(level: 1): set text(size: 17pt)\n\
         #show heading.where(level: 2): it => block(above: 1.4em, below: 0.7em, sticky: true)[#set text(size: \
         12.5pt); #it]\n\
         #set table(stroke: (x, y) => (bottom: 0.4pt + luma(180)), inset: (x: 4pt, y: 3.5pt))\n\
         #show table: set text(size: 8.5pt, hyphenate: false)\n\
         #show table.cell.where(y: 0): set text(weight: \"bold\", hyphenate: false)\n",
        string_literal(title),
        lang.code()
    );
    markdown_to_typst(md, &mut out);
    out
}

/// A Typst string literal's content.
fn string_literal(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Text as Typst markup: every character that markup gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\#*_`$@<>[]~=-+/\"'.:".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Markdown summary as Typst markup: headings, paragraphs, bold and italic, lists, tables (text columns
/// share the width, figure columns right-aligned and as wide as their figures), the chart as an image.
fn markdown_to_typst(md: &str, out: &mut String) {
    let mut list_depth = 0usize;
    let mut in_cell = false;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                out.push('\n');
                out.push_str(&"=".repeat(n));
                out.push(' ');
            }
            Event::End(TagEnd::Heading(_)) => out.push('\n'),
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => out.push_str(if list_depth > 0 { "\n" } else { "\n\n" }),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => out.push('*'),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => out.push('_'),
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                out.push('\n');
            }
            Event::Start(Tag::Item) => {
                out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::Table(aligns)) => {
                // Figure columns a fixed width (their headings wrap); text columns share the rest: the first
                // (the unit) and, in a table of several text columns, the last (the explanation) wider.
                let texts = aligns.iter().filter(|a| **a != Alignment::Right).count();
                let last_text = aligns.iter().rposition(|a| *a != Alignment::Right);
                let columns: Vec<&str> = aligns
                    .iter()
                    .enumerate()
                    .map(|(i, a)| match a {
                        Alignment::Right => "19mm",
                        _ if i == 0 => "2fr",
                        _ if texts >= 3 && Some(i) == last_text => "3fr",
                        _ => "1.3fr",
                    })
                    .collect();
                let align: Vec<&str> =
                    aligns.iter().map(|a| if *a == Alignment::Right { "right" } else { "left" }).collect();
                out.push_str(&format!(
                    "#table(columns: ({},), align: ({},),\n",
                    columns.join(", "),
                    align.iter().map(|a| format!("{a} + top")).collect::<Vec<_>>().join(", ")
                ));
            }
            Event::End(TagEnd::Table) => out.push_str(")\n\n"),
            Event::Start(Tag::TableHead) => out.push_str("table.header("),
            Event::End(TagEnd::TableHead) => out.push_str("),\n"),
            Event::Start(Tag::TableRow) | Event::End(TagEnd::TableRow) => out.push('\n'),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                out.push('[');
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                out.push_str("], ");
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.push_str(&format!("#image(\"{}\", width: 100%)\n", string_literal(&dest_url)));
            }
            Event::End(TagEnd::Image) => {}
            Event::Text(t) if out.ends_with("width: 100%)\n") => {
                // The image's alternative text: the chart carries its own title.
                let _ = t;
            }
            Event::Text(t) => out.push_str(&escape(&t)),
            Event::Code(t) => out.push_str(&format!("#raw(\"{}\")", string_literal(&t))),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str(if in_cell { " " } else { " \\\n" }),
            _ => {}
        }
    }
}

/// The fonts typst-assets carries, read once.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

/// The one document typeset, and the one file it may read (the chart).
struct Document {
    library: LazyHash<Library>,
    main: Source,
    image: (String, Bytes),
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if file_id(&self.image.0).is_some_and(|i| i == id) {
            Ok(self.image.1.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn file_id(path: &str) -> Option<FileId> {
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?)))
}

/// Typesets Typst markup into PDF bytes; `image` is the one file the markup may name.
fn typeset(markup: &str, image_name: &str, image: Vec<u8>) -> std::result::Result<Vec<u8>, String> {
    let id = file_id("main.typ").ok_or("no path for the document")?;
    let document = Document {
        library: LazyHash::new(Library::default()),
        main: Source::new(id, markup.to_string()),
        image: (image_name.to_string(), Bytes::new(image)),
    };
    let warned = typst::compile::<typst_layout::PagedDocument>(&document);
    let paged =
        warned.output.map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))?;
    let options = typst_pdf::PdfOptions::default();
    typst_pdf::pdf(&paged, &options)
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_tables_keep_their_alignment() {
        let mut out = String::new();
        markdown_to_typst(
            "## Otsikko #1\n\n**Hallinto** −80 € / 16,0 % [sic] *perustelu puuttuu*\n\n| A | B |\n|---|---:|\n| x_y | −1 |\n",
            &mut out,
        );
        assert!(out.contains("== Otsikko \\#1\n"), "{out}");
        assert!(out.contains("*Hallinto* −80 € \\/ 16,0 % \\[sic\\] _perustelu puuttuu_"), "{out}");
        assert!(out.contains("#table(columns: (2fr, 19mm,), align: (left + top, right + top,),"), "{out}");
        assert!(out.contains("[x\\_y], [−1], "), "{out}");
    }

    #[test]
    fn a_page_is_typeset_with_its_number() {
        let markup = typst_markup("# Kunta 2024\n\nTeksti: ä ö å − 1\u{a0}234 €.\n", Lang::Fi, "Kunta 2024");
        let pdf = typeset(&markup, "x.svg", Vec::new()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains("1 / 1"), "{pages:?}");
    }
}
