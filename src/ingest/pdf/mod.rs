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
    let max_pages = crate::ingest::limits::limits().pdf_pages;
    if pages.len() as u64 > max_pages {
        return Err(Error::File {
            path: shown.to_string(),
            reason: format!(
                "{} pages, more than the {max_pages} a PDF may have ([limits] pdf_pages raises the limit)",
                pages.len()
            ),
        });
    }
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
    match WORKER.get() {
        Some(exe) => glyphs_in_child(exe, bytes),
        None => glyphs_in_process(bytes, super::limits::limits().pdf_pages),
    }
}

/// The program that reads a PDF's glyphs in a child process (the `poikkeama` binary itself), once set by it:
/// the PDF decoder is not ours, and a file nested thousands deep, a page tree that loops or a stream that
/// inflates to gigabytes must not take the run down. Unset (a library caller, the tests of the library), the
/// glyphs are read in this process.
static WORKER: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// The argument that makes the `poikkeama` binary a PDF glyph reader (hidden from the CLI).
pub const WORKER_ARG: &str = "__pdf-glyphs";

/// Reads PDFs in child processes of `exe` (the `poikkeama` binary: `exe __pdf-glyphs`).
pub fn install_worker(exe: std::path::PathBuf) {
    let _ = WORKER.set(exe);
}

/// The child's side: the PDF on stdin, its glyphs on stdout (one line a glyph, a `P` line opening each page),
/// an error on stderr with exit 3.
pub fn worker_main() -> std::process::ExitCode {
    use std::io::{Read, Write};
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::from(3);
    }
    // The page limit the parent runs under (its `[limits]`), given as the argument after WORKER_ARG.
    let max_pages =
        std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(super::limits::Limits::default().pdf_pages);
    match glyphs_in_process(&bytes, max_pages) {
        Ok(pages) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for (p, glyphs) in pages.iter().enumerate() {
                let _ = writeln!(out, "P\t{p}");
                for g in glyphs {
                    let text =
                        g.text.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r");
                    let _ = writeln!(out, "{}\t{}\t{}\t{}\t{text}", g.x0, g.x1, g.y, g.size);
                }
            }
            if out.flush().is_err() {
                return std::process::ExitCode::from(3);
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(3)
        }
    }
}

/// Reads the glyphs in a child process with a memory and a CPU-time limit ([limits] pdf_memory_mb,
/// pdf_seconds): whatever the file does to the decoder, this run gets glyphs or one plain error.
fn glyphs_in_child(exe: &std::path::Path, bytes: &[u8]) -> std::result::Result<Vec<Vec<layout::Glyph>>, String> {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    let limits = super::limits::limits();
    let (memory, seconds) = (limits.pdf_memory_mb.saturating_mul(super::limits::MB), limits.pdf_seconds);
    let mut command = std::process::Command::new(exe);
    command
        .arg(WORKER_ARG)
        .arg(limits.pdf_pages.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    // SAFETY: between fork and exec only async-signal-safe calls (setrlimit) are made.
    unsafe {
        command.pre_exec(move || {
            let set = |resource, value: u64| {
                let limit = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
                if libc::setrlimit(resource, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            };
            set(libc::RLIMIT_AS, memory)?;
            set(libc::RLIMIT_CPU, seconds)?;
            Ok(())
        });
    }
    let mut child = command.spawn().map_err(|e| format!("the PDF reader could not be started: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("the PDF reader could not be started")?;
    let output = std::thread::scope(|scope| {
        // The PDF goes in while the glyphs come out (a large file would fill both pipes otherwise).
        scope.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        child.wait_with_output()
    })
    .map_err(|e| format!("the PDF reader stopped: {e}"))?;
    if !output.status.success() {
        use std::os::unix::process::ExitStatusExt;
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().next().unwrap_or("").trim();
        return Err(match (output.status.code(), output.status.signal()) {
            (Some(3), _) if !said.is_empty() => said.to_string(),
            _ => format!(
                "not a readable PDF: reading it passed the limits ({} MB of memory, {seconds} s; [limits] pdf_memory_mb, \
                 pdf_seconds) or broke the PDF decoder (a file nested too deep, a page tree that loops)",
                memory >> 20
            ),
        });
    }
    let text = String::from_utf8(output.stdout).map_err(|_| "the PDF reader's output was not text".to_string())?;
    let mut pages: Vec<Vec<layout::Glyph>> = Vec::new();
    for line in text.lines() {
        let mut parts = line.splitn(5, '\t');
        let first = parts.next().unwrap_or("");
        if first == "P" {
            pages.push(Vec::new());
            continue;
        }
        let num = |s: Option<&str>| s.and_then(|s| s.parse::<f64>().ok());
        let (Some(x0), Some(x1), Some(y), Some(size)) =
            (num(Some(first)), num(parts.next()), num(parts.next()), num(parts.next()))
        else {
            return Err("the PDF reader's output could not be read".into());
        };
        let raw = parts.next().unwrap_or("");
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('t') => text.push('\t'),
                    Some('n') => text.push('\n'),
                    Some('r') => text.push('\r'),
                    Some(other) => text.push(other),
                    None => {}
                }
            } else {
                text.push(c);
            }
        }
        match pages.last_mut() {
            Some(page) => page.push(layout::Glyph { x0, x1, y, size, text }),
            None => return Err("the PDF reader's output could not be read".into()),
        }
    }
    Ok(pages)
}

fn glyphs_in_process(bytes: &[u8], max_pages: u64) -> std::result::Result<Vec<Vec<layout::Glyph>>, String> {
    let result = super::isolated(|| {
        let mut doc = pdf_extract::Document::load_mem(bytes).map_err(pdf_extract::OutputError::PdfError)?;
        if doc.is_encrypted() {
            doc.decrypt("").map_err(pdf_extract::OutputError::PdfError)?;
        }
        // Counted before any page is decoded: 10 000 pages took 23 s.
        let pages = doc.get_pages().len() as u64;
        if pages > max_pages {
            return Ok(Err(format!(
                "{pages} pages, more than the {max_pages} a PDF may have ([limits] pdf_pages raises the limit)"
            )));
        }
        let mut collector = Collector { height: 0.0, pages: Vec::new(), count: 0 };
        pdf_extract::output_doc(&doc, &mut collector)?;
        Ok::<_, pdf_extract::OutputError>(Ok(collector.pages))
    });
    match result {
        Ok(Ok(Ok(pages))) => Ok(pages),
        Ok(Ok(Err(too_many))) => Err(too_many),
        Ok(Err(e)) => Err(format!("not a readable PDF: {e}")),
        Err(_) => {
            Err("not a readable PDF: its text could not be taken out (an unsupported font or a damaged file)".into())
        }
    }
}
