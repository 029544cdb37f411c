//! Command-line interface: clap definitions and the glue from arguments to the pipeline stages.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "poikkeama",
    version,
    about = "Checked budget-versus-actual variance reports for Finnish municipalities",
    long_about = "Reads budget tables (talousarvio, muutokset, tilinpäätös, poikkeama) from workbooks, \
                  checks every sum and rollup, and writes variance reports.\n\n\
                  Exit codes: 0 clean, 1 the figures have errors, 2 input or usage could not be processed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log what is read and how long each stage takes to stderr (-v: files and stages; -vv: details).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print nothing but errors that stop the run; the exit code tells the rest.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every figure found in the input workbooks, one per row.
    Extract(ExtractArgs),
    /// Check every sum, variance and rollup; judge binding appropriations; list the findings.
    Validate(ValidateArgs),
    /// The main job: extract, check and write the workbook, the council summary, the chart and findings.json.
    ///
    /// With no arguments it reads poikkeama.toml in the current folder.
    Run(RunArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Run configuration (TOML); default: poikkeama.toml in the current folder when no INPUT is given.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Organisation file (TOML); overrides the configuration's.
    #[arg(long, value_name = "ORG.toml")]
    pub org: Option<PathBuf>,
    /// Line-item scheme file (TOML) extending the default scheme: extra labels, sub-rows, new items.
    #[arg(long, value_name = "SCHEME.toml")]
    pub scheme: Option<PathBuf>,
    /// Chart of accounts for ledger exports (CSV rows from,to,item), replacing the default one.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// The finance office's explanations of variances (CSV or TOML); overrides the configuration's.
    #[arg(long, value_name = "FILE")]
    pub explanations: Option<PathBuf>,
    /// Folder the reports are written to; overrides the configuration's (default: outputs).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Languages of the council summary, comma-separated: fi, sv, en (default: fi).
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// Write nothing when the figures have errors (exit 1); a table row that cannot be read stops the run
    /// (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// The year of tables whose columns, captions, page headers, title and file name give none (2024).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1990..=2100))]
    pub year: Option<i32>,
    /// An interim report up to the end of this month (2024-08): ledger actuals dated later are not read and
    /// the actuals are actuals to date; by default a ledger's last month of actuals, where it is not December.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_period)]
    pub period: Option<(i32, u8)>,
    /// An interim report's phasing (CSV: kuukausi;osuus, optionally yksikkö): the share of the year's budget
    /// due each month; it periodises the budgets and makes the forecasts. Default: last year's monthly
    /// profile where the ledger holds last year's months, else months elapsed.
    #[arg(long, value_name = "FILE")]
    pub phasing: Option<PathBuf>,

    /// Workbooks or folders of them; override the configuration's inputs.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FindingsFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Run configuration (TOML) whose org, scheme, chart of accounts, [ledger] column names and [limits] are
    /// used where not given here (its inputs are not: name them).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Organisation file (TOML): unit tree for rollups, aliases, binding line items.
    #[arg(long, value_name = "ORG.toml")]
    pub org: Option<PathBuf>,
    /// Line-item scheme file (TOML) extending the default scheme: extra labels, sub-rows, new items.
    #[arg(long, value_name = "SCHEME.toml")]
    pub scheme: Option<PathBuf>,
    /// Chart of accounts for ledger exports (CSV rows from,to,item), replacing the default one.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,
    /// The finance office's explanations of variances (CSV or TOML): a significant variance without one is a
    /// warning.
    #[arg(long, value_name = "FILE")]
    pub explanations: Option<PathBuf>,
    /// Language of the messages: fi, sv or en (default: fi).
    #[arg(long, value_name = "LANG", default_value = "fi")]
    pub lang: String,
    /// A table row that cannot be read stops the run (exit 2) instead of a warning.
    #[arg(long)]
    pub strict: bool,
    /// The year of tables whose columns, captions, page headers, title and file name give none (2024).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1990..=2100))]
    pub year: Option<i32>,
    /// An interim report up to the end of this month (2024-08): see `run --period`.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_period)]
    pub period: Option<(i32, u8)>,
    /// An interim report's phasing file: see `run --phasing`.
    #[arg(long, value_name = "FILE")]
    pub phasing: Option<PathBuf>,

    /// Workbooks (.xlsx, .xls, .ods …) or folders of them.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FigureFormat {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Run configuration (TOML) whose org, scheme, chart of accounts, [ledger] column names and [limits] are
    /// used where not given here (its inputs are not: name them).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Organisation file (TOML): unit names, aliases, tree, binding line items.
    #[arg(long, value_name = "ORG.toml")]
    pub org: Option<PathBuf>,
    /// Line-item scheme file (TOML) extending the default scheme: extra labels, sub-rows, new items.
    #[arg(long, value_name = "SCHEME.toml")]
    pub scheme: Option<PathBuf>,
    /// Chart of accounts for ledger exports (CSV rows from,to,item), replacing the default one.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FigureFormat::Csv)]
    pub format: FigureFormat,
    /// Instead of the figures, print every table found: its place, unit, year, money unit and signs with
    /// the evidence for each, its columns, and its rows read and not read with the reason; and the tables
    /// passed over (goals, key figures, the balance sheet) with why.
    #[arg(long)]
    pub explain: bool,
    /// A table row that cannot be read stops the run (exit 2) instead of a warning.
    #[arg(long)]
    pub strict: bool,
    /// The year of tables whose columns, captions, page headers, title and file name give none (2024).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1990..=2100))]
    pub year: Option<i32>,

    /// Workbooks (.xlsx, .xls, .ods …) or folders of them.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
}

/// `2024-08` (or `8/2024`): the year and the month an interim period ends with.
pub fn parse_period(text: &str) -> Result<(i32, u8), String> {
    let t = text.trim();
    let (y, m) = match (t.split_once('-'), t.split_once('/')) {
        (Some((y, m)), _) => (y, m),
        (None, Some((m, y))) => (y, m),
        _ => return Err(format!("\"{t}\" is not a month: give it as 2024-08")),
    };
    match (y.trim().parse::<i32>(), m.trim().parse::<u8>()) {
        (Ok(y), Ok(m)) if (1990..=2100).contains(&y) && (1..=12).contains(&m) => Ok((y, m)),
        _ => Err(format!("\"{t}\" is not a month: give it as 2024-08 (a year 1990–2100, a month 1–12)")),
    }
}
