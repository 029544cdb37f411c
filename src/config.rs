//! The run configuration, `poikkeama.toml`: where the inputs and org file are, where reports go, which
//! languages, and the thresholds of the summary's wording. Paths are relative to the file's folder.

use crate::error::{Error, Result};
use crate::report::fmt::Lang;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// When a variance reads as "slightly" (hieman) or "clearly" (selvästi), in percent of the budget.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// From this percent on, a variance is "hieman"; below it "close to budget".
    #[serde(default = "default_slightly")]
    pub hieman: f64,
    /// From this percent on, a variance is "selvästi".
    #[serde(default = "default_clearly")]
    pub selvasti: f64,
    /// A variance of at least this many euros and `explain_percent` percent needs an explanation.
    #[serde(default = "default_explain_euros")]
    pub explain_euros: u64,
    #[serde(default = "default_explain_percent")]
    pub explain_percent: f64,
}

fn default_explain_euros() -> u64 {
    20_000
}
fn default_explain_percent() -> f64 {
    5.0
}

fn default_slightly() -> f64 {
    1.0
}
fn default_clearly() -> f64 {
    7.5
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            hieman: default_slightly(),
            selvasti: default_clearly(),
            explain_euros: default_explain_euros(),
            explain_percent: default_explain_percent(),
        }
    }
}

/// `lang = "fi"` or `lang = ["fi", "sv"]` (or `"fi,sv"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Langs {
    One(String),
    Many(Vec<String>),
}

impl Default for Langs {
    fn default() -> Self {
        Langs::Many(Vec::new())
    }
}

impl Langs {
    fn list(&self) -> Vec<String> {
        match self {
            Langs::One(s) => vec![s.clone()],
            Langs::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    inputs: Vec<PathBuf>,
    org: Option<PathBuf>,
    scheme: Option<PathBuf>,
    explanations: Option<PathBuf>,
    /// `phasing = "jaksotus.csv"`: how budgets spread over the months, for an interim report.
    phasing: Option<PathBuf>,
    accounts: Option<PathBuf>,
    #[serde(default)]
    ledger: crate::ingest::ledger::LedgerColumns,
    out: Option<PathBuf>,
    #[serde(default)]
    lang: Langs,
    #[serde(default)]
    strict: bool,
    /// The year of tables whose columns and document name none (the last resort: headers, captions, page
    /// headers, the title and the file's name come first).
    year: Option<i32>,
    /// `period = "2024-08"`: an interim report up to the end of that month.
    period: Option<String>,
    #[serde(default)]
    thresholds: Option<Thresholds>,
    #[serde(default)]
    limits: crate::ingest::limits::Limits,
}

/// Everything `run` needs, after the file and the command line are merged (the command line wins).
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub inputs: Vec<PathBuf>,
    pub org: Option<PathBuf>,
    /// A scheme file extending the default line-item scheme.
    pub scheme: Option<PathBuf>,
    /// The finance office's explanations of variances (CSV or TOML).
    pub explanations: Option<PathBuf>,
    /// The phasing file (kausijaksotus) of an interim report.
    pub phasing: Option<PathBuf>,
    /// A chart of accounts replacing the default one, for ledger exports.
    pub accounts: Option<PathBuf>,
    /// A ledger export's column names where they differ from the defaults.
    pub ledger: crate::ingest::ledger::LedgerColumns,
    pub out: PathBuf,
    pub langs: Vec<Lang>,
    pub strict: bool,
    /// `year =`: the year of tables nothing else gives one.
    pub year: Option<i32>,
    /// `period =` / `--period`: an interim report up to the end of that month (year, month).
    pub period: Option<(i32, u8)>,
    pub thresholds: Thresholds,
    /// What one input may cost (`[limits]`).
    pub limits: crate::ingest::limits::Limits,
}

pub fn parse_langs(list: &[String]) -> Result<Vec<Lang>> {
    let mut out = Vec::new();
    for item in list.iter().flat_map(|s| s.split(',')) {
        let lang = Lang::parse(item)
            .ok_or_else(|| Error::Usage(format!("unknown language \"{}\": use fi, sv or en", item.trim())))?;
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    Ok(out)
}

impl RunConfig {
    /// Reads a config file. Relative paths in it are taken from the file's folder.
    pub fn load(path: &Path) -> Result<RunConfig> {
        let text = crate::ingest::limits::read_side_text(path, "configuration")?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.display().to_string(),
            message: crate::error::toml_message(&text, &e),
        })?;
        let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let rel = |p: PathBuf| if p.is_absolute() || base == Path::new(".") { p } else { base.join(p) };
        let langs = parse_langs(&file.lang.list())
            .map_err(|e| Error::Config { path: path.display().to_string(), message: format!("key \"lang\": {e}") })?;
        let thresholds = file.thresholds.unwrap_or_default();
        if thresholds.explain_percent.is_nan() || thresholds.explain_percent < 0.0 {
            return Err(Error::Config {
                path: path.display().to_string(),
                message: "key \"thresholds.explain_percent\": need a percent ≥ 0".into(),
            });
        }
        if !(thresholds.hieman >= 0.0 && thresholds.selvasti > thresholds.hieman) {
            return Err(Error::Config {
                path: path.display().to_string(),
                message: "key \"thresholds\": need 0 ≤ hieman < selvasti (percent)".into(),
            });
        }
        let period =
            file.period.as_deref().map(crate::cli::parse_period).transpose().map_err(|e| Error::Config {
                path: path.display().to_string(),
                message: format!("key \"period\": {e}"),
            })?;
        Ok(RunConfig {
            inputs: file.inputs.into_iter().map(rel).collect(),
            org: file.org.map(rel),
            scheme: file.scheme.map(rel),
            explanations: file.explanations.map(rel),
            phasing: file.phasing.map(rel),
            accounts: file.accounts.map(rel),
            ledger: file.ledger,
            out: rel(file.out.unwrap_or_else(|| PathBuf::from("outputs"))),
            langs: if langs.is_empty() { vec![Lang::Fi] } else { langs },
            strict: file.strict,
            year: file.year,
            period,
            thresholds,
            limits: file.limits,
        })
    }
}
