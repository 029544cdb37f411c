//! Reports as PDF: the text of each page comes out with `pdf-extract` (pure Rust, over `lopdf`) and is read
//! as report text (`text`), each line keeping its page and line (`file:page:line`). A PDF the crate cannot
//! read, or one that makes it panic (odd fonts), is one clear error naming the file; the panic is caught and
//! its message kept out of the output.

use super::text::read_str;
use super::workbook::WorkbookFigures;
use crate::error::{Error, Result};
use crate::model::{Org, Place};
use std::path::Path;

/// PDFs larger than this are refused before reading.
const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;

pub fn read_pdf(path: &Path, shown: &str, org: Option<&Org>) -> Result<WorkbookFigures> {
    let bad = |reason: String| Error::File { path: shown.to_string(), reason };
    let meta = std::fs::metadata(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if meta.len() > MAX_PDF_BYTES {
        return Err(bad(format!(
            "{} bytes is more than the {} MB a PDF report can be",
            meta.len(),
            MAX_PDF_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if !bytes.starts_with(b"%PDF") {
        return Err(bad("not a readable PDF: it does not start with %PDF".into()));
    }
    let pages = pages_text(&bytes).map_err(bad)?;
    let mut text = String::new();
    let mut places = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        for (l, line) in page.lines().enumerate() {
            text.push_str(line);
            text.push('\n');
            places.push(Place::Page { page: p as u32 + 1, line: l as u32 + 1 });
        }
    }
    read_str(&text, shown, org, Some(&places))
}

/// The text of each page. The crate may panic on fonts it does not know: that is caught and reported as
/// an unreadable PDF.
fn pages_text(bytes: &[u8]) -> std::result::Result<Vec<String>, String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    std::panic::set_hook(previous);
    match result {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(e)) => Err(format!("not a readable PDF: {e}")),
        Err(_) => {
            Err("not a readable PDF: its text could not be taken out (an unsupported font or a damaged file)".into())
        }
    }
}
