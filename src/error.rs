//! Errors that stop processing: each names the file (and sheet and cell where there is one) and says what
//! was expected. `main` prints them one per line and exits with code 2.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{path}: not a readable workbook (.xlsx, .xlsm, .xls, .xlsb, .ods): {reason}")]
    Workbook { path: String, reason: String },

    #[error("{path}: sheet {sheet}: cannot read: {reason}")]
    Sheet { path: String, sheet: String, reason: String },

    #[error("{path}: sheet {sheet}, cell {cell}: {message}")]
    Cell { path: String, sheet: String, cell: String, message: String },

    #[error("{path}: no budget table found in any sheet")]
    NoTables { path: String },

    #[error("{path}: {message}")]
    Org { path: String, message: String },

    #[error("{path}: line-item scheme: {message}")]
    Scheme { path: String, message: String },

    #[error("{path}: {message}")]
    Config { path: String, message: String },

    #[error("{0}")]
    Usage(String),

    #[error("{path}: cannot write: {source}")]
    Write { path: PathBuf, source: std::io::Error },

    #[error("{0}")]
    Engine(String),

    #[error("{0}")]
    Report(String),

    /// Several errors found in one pass (e.g. every bad cell of every input), reported together.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Collapses a list of errors: one stays itself, several become [`Error::Many`].
    pub fn from_list(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Many(errors)),
        }
    }
}
