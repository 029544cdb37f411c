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
