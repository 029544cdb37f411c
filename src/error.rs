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

    /// A file that cannot be read as what its name says (a PDF, a CSV that is no ledger …).
    #[error("{path}: {reason}")]
    File { path: String, reason: String },

    #[error("{path}: sheet {sheet}: cannot read: {reason}")]
    Sheet { path: String, sheet: String, reason: String },

    #[error("{path}: sheet {sheet}, cell {cell}: {message}")]
    Cell { path: String, sheet: String, cell: String, message: String },

    /// A line of a text file (`12`) or of a PDF's page (`3:12`).
    #[error("{path}:{at}: {message}")]
    Line { path: String, at: String, message: String },

    #[error("{path}: no budget table found")]
    NoTables { path: String },

    /// A table row that could not be read, under `--strict`.
    #[error("{location}: {message} (--strict: a row that cannot be read stops the run)")]
    Unread { location: String, message: String },

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

/// A TOML file's error as a user reads it: the line, the key on that line, what was wrong, and for an
/// unknown key the closest one it accepts (`line 3, key "langs": unknown key; did you mean "lang"?`).
///
/// ```
/// use poikkeama::error::toml_message;
///
/// #[derive(serde::Deserialize, Debug)]
/// #[serde(deny_unknown_fields)]
/// struct C { lang: Option<Vec<String>>, out: Option<String> }
/// let text = "out = \"x\"\nlangs = [\"fi\"]\n";
/// let e = toml::from_str::<C>(text).unwrap_err();
/// assert_eq!(toml_message(text, &e), "line 2, key \"langs\": unknown key; did you mean \"lang\"? (keys: lang, out)");
/// ```
pub fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message();
    let at = e.span().map(|s| s.start.min(text.len()));
    let line_no = at.map(|a| text[..a].lines().count().max(1) + usize::from(text[..a].ends_with('\n')));
    let line_no = line_no.map(|l| l.min(text.lines().count().max(1)));
    let key = line_no
        .and_then(|l| text.lines().nth(l - 1))
        .and_then(|line| line.split_once('='))
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    // serde: "unknown field `langs`, expected one of `lang`, `out`" (or "expected `lang`").
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let what = if message.starts_with("unknown field") && !quoted.is_empty() {
        let expected = &quoted[1..];
        let closest = expected
            .iter()
            .map(|k| (strsim::levenshtein(k, quoted[0]), *k))
            .filter(|(d, k)| *d <= (k.len() / 2).max(2))
            .min();
        match closest {
            Some((_, k)) => format!("unknown key; did you mean \"{k}\"? (keys: {})", expected.join(", ")),
            None => format!("unknown key (keys: {})", expected.join(", ")),
        }
    } else {
        message.to_string()
    };
    match (line_no, key) {
        (Some(l), Some(k)) => format!("line {l}, key \"{k}\": {what}"),
        (Some(l), None) => format!("line {l}: {what}"),
        _ => what,
    }
}

/// A message as the console shows it: one line, control characters (an escape sequence, a bell, a carriage
/// return or a line break from a file's cell or name) shown as `\u{..}`, never acted on by the terminal.
///
/// ```
/// use poikkeama::error::plain_line;
///
/// assert_eq!(plain_line("rivi \u{1b}[31mpunainen"), "rivi \\u{1b}[31mpunainen");
/// assert_eq!(plain_line("a\nb"), "a\\u{a}b");
/// ```
pub fn plain_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A value from an input as a message quotes it: control characters shown as `\u{..}`, and a long value cut
/// with its length, so that one bad cell cannot flood the console.
///
/// ```
/// use poikkeama::error::quoted;
///
/// assert_eq!(quoted("12a"), "\"12a\"");
/// assert_eq!(quoted("a\u{7}b"), "\"a\\u{7}b\"");
/// assert!(quoted(&"9".repeat(400)).ends_with("… (400 characters)"));
/// ```
pub fn quoted(value: &str) -> String {
    const SHOWN: usize = 60;
    let n = value.chars().count();
    let mut out = String::from("\"");
    for c in value.chars().take(SHOWN) {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    if n > SHOWN {
        out.push_str(&format!("… ({n} characters)"));
    }
    out
}
