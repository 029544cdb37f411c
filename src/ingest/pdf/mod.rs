//! Reports as PDF: the glyphs of each page come out with `pdf-extract` (pure Rust, over `lopdf`) with their
//! positions, are laid out into lines and tables by position (`layout`), and are read as report text
//! (`text`), each line keeping its page and line (`file:page:line`). A PDF the crate cannot read, or one that
//! makes it panic (odd fonts), is one clear error naming the file; the panic is caught and its message kept
//! out of the output.

mod layout;

use super::text::read_str;
use super::workbook::WorkbookFigures;
use crate::error::{Error, Result};
use crate::model::Org;
use std::path::Path;

pub fn read_pdf(path: &Path, shown: &str, org: Option<&Org>) -> Result<WorkbookFigures> {
    let bad = |reason: String| Error::File { path: shown.to_string(), reason };
    let meta = std::fs::metadata(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    let max = super::limits::limits().pdf_mb.saturating_mul(super::limits::MB);
    if meta.len() > max {
        return Err(bad(format!(
            "{} bytes is more than the {} MB a PDF report may be ([limits] pdf_mb)",
            meta.len(),
            max >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if !bytes.starts_with(b"%PDF") {
        return Err(bad("not a readable PDF: it does not start with %PDF".into()));
    }
    let pages = pages_glyphs(&bytes).map_err(bad)?;
    read_pages(pages, shown, org)
}

/// Reads pages of positioned glyphs: lays each into lines and tables, tables running on over page breaks,
/// and reads the result as report text, each line keeping its page and line.
fn read_pages(pages: Vec<Vec<layout::Glyph>>, shown: &str, org: Option<&Org>) -> Result<WorkbookFigures> {
    let mut text = String::new();
    let mut places = Vec::new();
    let mut carry = layout::Carry::default();
    let mut laid = Vec::new();
    for (p, glyphs) in pages.into_iter().enumerate() {
        laid.extend(layout::page_text(glyphs, p as u32 + 1, &mut carry));
    }
    laid.extend(carry.finish());
    for (line, place) in laid {
        // One text line per laid-out line: a line break inside a glyph run would shift every place after it.
        text.push_str(&line.replace(['\n', '\r'], " "));
        text.push('\n');
        places.push(place);
    }
    read_str(&text, shown, org, Some(&places))
}

/// Report text laid out in columns with spaces, pages apart by form feeds (what `pdftotext -layout` writes):
/// each character is a glyph at its column, each line at its row, so that the PDF's table finder reads it by
/// position, as it reads the PDF. Places are the page and the line on the page.
pub fn read_laid_text(text: &str, shown: &str, org: Option<&Org>) -> Result<WorkbookFigures> {
    // A character is an advance of 1; a space between digit groups is then under a third of the size (as in print),
    // two spaces or more set figures apart; lines stand 1.2 sizes apart.
    const SIZE: f64 = 3.5;
    const PITCH: f64 = 1.2 * SIZE;
    let mut pages: Vec<Vec<layout::Glyph>> = Vec::new();
    for page in text.split('\u{c}') {
        let mut glyphs = Vec::new();
        for (k, line) in page.split('\n').enumerate() {
            let y = PITCH * (k as f64 + 1.0);
            for (x, c) in line.trim_end_matches('\r').chars().enumerate() {
                if c.is_whitespace() {
                    continue;
                }
                let x0 = x as f64;
                glyphs.push(layout::Glyph { x0, x1: x0 + 1.0, y, size: SIZE, text: c.to_string() });
            }
        }
        pages.push(glyphs);
    }
    // pdftotext ends the last page with a form feed: no empty page after it.
    if pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    read_pages(pages, shown, org)
}

/// At most this many glyphs are read from one PDF (a budget book has a few million characters).
const MAX_GLYPHS: usize = 20_000_000;

/// Collects each page's glyphs with their positions (points from the page's top-left corner).
struct Collector {
    height: f64,
    pages: Vec<Vec<layout::Glyph>>,
    count: usize,
}

impl pdf_extract::OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> std::result::Result<(), pdf_extract::OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.pages.push(Vec::new());
        Ok(())
    }
    fn end_page(&mut self) -> std::result::Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> std::result::Result<(), pdf_extract::OutputError> {
        self.count += 1;
        if self.count > MAX_GLYPHS {
            return Err(pdf_extract::OutputError::IoError(std::io::Error::other(format!(
                "it has more than {MAX_GLYPHS} characters of text"
            ))));
        }
        // The font size as drawn: the side of the square with the area of the transformed size vector.
        let (vx, vy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let x0 = trm.m31;
        let glyph = layout::Glyph { x0, x1: x0 + width * size, y: self.height - trm.m32, size, text: char.to_string() };
        if let Some(page) = self.pages.last_mut() {
            page.push(glyph);
        }
        Ok(())
    }
    fn begin_word(&mut self) -> std::result::Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> std::result::Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> std::result::Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// The glyphs of each page. The crate may panic on fonts it does not know: that is caught and reported as
/// an unreadable PDF.
fn pages_glyphs(bytes: &[u8]) -> std::result::Result<Vec<Vec<layout::Glyph>>, String> {
    let result = super::isolated(|| {
        let mut doc = pdf_extract::Document::load_mem(bytes).map_err(pdf_extract::OutputError::PdfError)?;
        if doc.is_encrypted() {
            doc.decrypt("").map_err(pdf_extract::OutputError::PdfError)?;
        }
        let mut collector = Collector { height: 0.0, pages: Vec::new(), count: 0 };
        pdf_extract::output_doc(&doc, &mut collector)?;
        Ok::<_, pdf_extract::OutputError>(collector.pages)
    });
    match result {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(e)) => Err(format!("not a readable PDF: {e}")),
        Err(_) => {
            Err("not a readable PDF: its text could not be taken out (an unsupported font or a damaged file)".into())
        }
    }
}
