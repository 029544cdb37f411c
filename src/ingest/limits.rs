//! Limits on what one input may cost, checked before the memory is taken: a workbook's file size and
//! uncompressed size (the zip directory's declared sizes, and the inflated streams counted as they are read,
//! so a zip bomb stops at the limit), a sheet's used range and cells, its shared strings, and a report
//! text's or PDF's size. Defaults keep one run under 1 GiB; `[limits]` in poikkeama.toml changes them.

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// A workbook file's size, MB.
    pub workbook_mb: u64,
    /// A workbook's contents uncompressed, MB (all its parts together).
    pub uncompressed_mb: u64,
    /// A sheet's used range (rows × columns from its first to its last cell with a value), cells.
    pub sheet_cells: u64,
    /// Distinct shared strings a workbook may declare.
    pub shared_strings: u64,
    /// A report text's size, MB.
    pub text_mb: u64,
    /// A PDF's size, MB.
    pub pdf_mb: u64,
    /// The memory the PDF decoder may take (its child process's address space), MB.
    pub pdf_memory_mb: u64,
    /// The CPU time the PDF decoder may take for one file, seconds.
    pub pdf_seconds: u64,
    /// The rows one table of a workbook, report text or PDF may have (a city's budget book: a few thousand).
    pub table_rows: u64,
    /// The lines a report text (or a PDF's laid-out text) may have (a 1 000-page budget book: about 60 000).
    pub text_lines: u64,
    /// The pages a PDF may have.
    pub pdf_pages: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            workbook_mb: 256,
            uncompressed_mb: 512,
            sheet_cells: 10_000_000,
            shared_strings: 2_000_000,
            text_mb: 64,
            pdf_mb: 256,
            pdf_memory_mb: 1024,
            pdf_seconds: 120,
            table_rows: 50_000,
            text_lines: 500_000,
            pdf_pages: 5_000,
        }
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Puts limits in force for the process (before any input is read); the defaults otherwise.
pub fn install(limits: Limits) {
    let _ = LIMITS.set(limits);
}

pub fn limits() -> &'static Limits {
    LIMITS.get_or_init(Limits::default)
}

pub const MB: u64 = 1 << 20;

/// The largest file beside the inputs a run reads (config, org, scheme, explanations, chart of accounts), MB:
/// an org file of 3 000 units is well under 1 MB.
pub const SIDE_FILE_MB: u64 = 64;

/// Reads a file the run is told of beside its inputs (`what`: "org file", "configuration" …) as the inputs
/// are read: a regular file only (a FIFO would hang the run, /dev/zero never ends), within
/// [`SIDE_FILE_MB`], never more bytes than that even if it grows while read.
pub fn read_side_file(path: &std::path::Path, what: &str) -> crate::error::Result<Vec<u8>> {
    use std::io::Read;
    let shown = path.display().to_string();
    let io = |e: std::io::Error| crate::error::Error::Io { path: path.to_path_buf(), source: e };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(crate::error::Error::Usage(format!(
            "{shown}: the {what} is not a regular file (a FIFO, device or folder): not read"
        )));
    }
    let too_big = || crate::error::Error::File {
        path: shown.clone(),
        reason: format!("the {what} is larger than {SIDE_FILE_MB} MB: not read (is it the right file?)"),
    };
    if meta.len() > SIDE_FILE_MB * MB {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path).map_err(io)?.take(SIDE_FILE_MB * MB + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > SIDE_FILE_MB * MB {
        return Err(too_big());
    }
    Ok(bytes)
}

/// [`read_side_file`] as UTF-8 text.
pub fn read_side_text(path: &std::path::Path, what: &str) -> crate::error::Result<String> {
    let bytes = read_side_file(path, what)?;
    String::from_utf8(bytes).map_err(|_| crate::error::Error::File {
        path: path.display().to_string(),
        reason: format!("the {what} is not UTF-8 text: save it as UTF-8"),
    })
}
