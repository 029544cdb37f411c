//! The commands, one module each (`extract`, `validate`, `run`), and what they share: the scheme, org and
//! ledger options set up from the arguments or the configuration, warnings and the last lines printed.

pub mod extract;
pub mod run;
pub mod validate;

use poikkeama::config::{RunConfig, Thresholds};
use poikkeama::model::{Org, Scheme};
use poikkeama::report::fmt::Lang;
use poikkeama::{engine, ingest, report, Error};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) fn load_org(path: Option<&std::path::Path>) -> Result<Option<Org>, Error> {
    path.map(Org::load).transpose()
}

/// Puts the line-item scheme in force: the default, extended by the given scheme file. Must run before the
/// org file (binding line items) or any input is read.
pub(crate) fn install_scheme(path: Option<&std::path::Path>) -> Result<(), Error> {
    if let Some(path) = path {
        let scheme = Scheme::load_extension(path)?;
        poikkeama::model::scheme::install(scheme)
            .map_err(|message| Error::Scheme { path: path.display().to_string(), message })?;
    }
    Ok(())
}

/// The chart of accounts (the default, or a file) and column names for ledger exports.
pub(crate) fn ledger_options(
    accounts: Option<&Path>,
    columns: poikkeama::ingest::ledger::LedgerColumns,
) -> Result<poikkeama::ingest::ledger::LedgerOptions, Error> {
    let chart = match accounts {
        Some(path) => {
            let text = poikkeama::ingest::limits::read_side_text(path, "chart of accounts")?;
            poikkeama::ingest::ledger::Chart::parse(&text)
                .map_err(|message| Error::Config { path: path.display().to_string(), message })?
        }
        None => poikkeama::ingest::ledger::Chart::default_chart(),
    };
    Ok(poikkeama::ingest::ledger::LedgerOptions { chart, columns })
}

/// `-q`: nothing on the console but errors that stop the run.
pub(crate) static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// What reading the inputs warned of, on stderr: in the run's language (`run`, `validate`), else in English
/// (`extract`, whose output is for programs and people alike).
pub(crate) fn print_warnings(warnings: &[poikkeama::model::Warning], lang: Option<Lang>) {
    if quiet() {
        return;
    }
    for w in warnings {
        let info = w.said.is_info();
        let kind = match (lang, info) {
            (Some(Lang::Fi), true) => "huomio",
            (Some(Lang::Fi), false) => "varoitus",
            (Some(Lang::Sv), false) => "varning",
            (Some(Lang::Sv), true) | (Some(Lang::En) | None, true) => "info",
            (Some(Lang::En) | None, false) => "warning",
        };
        match lang {
            Some(lang) => eprintln!(
                "{kind}: {}",
                poikkeama::error::plain_line(&format!("{}: {}", w.location, report::text::said_text(&w.said, lang)))
            ),
            None => eprintln!("{kind}: {}", poikkeama::error::plain_line(&w.to_string())),
        }
    }
}

/// An interim report where the inputs give a period (with the phasing file, if one is given); a phasing file
/// given to a year-end run is read (its errors stop the run) and said not to be used.
pub(crate) fn with_period(
    analysis: engine::Analysis,
    extraction: &ingest::Extraction,
    org: Option<&poikkeama::model::Org>,
    phasing: Option<&Path>,
    lang: Lang,
) -> Result<engine::Analysis, Error> {
    let read = phasing.map(|p| ingest::phasing::load(p, org)).transpose()?;
    Ok(match extraction.period.clone() {
        Some(period) => analysis.with_period(period, org, read.as_ref()),
        None => {
            if let (Some(p), false) = (phasing, quiet()) {
                let line = match lang {
                    Lang::Fi => "jaksotustiedostoa ei käytetty: aineisto on koko vuoden (ei osavuotta)",
                    Lang::Sv => "periodiseringsfilen användes inte: materialet gäller hela året",
                    Lang::En => "the phasing file was not used: the inputs cover the whole year (no interim period)",
                };
                let kind = match lang {
                    Lang::Fi => "varoitus",
                    Lang::Sv => "varning",
                    Lang::En => "warning",
                };
                eprintln!("{kind}: {}: {line}", p.display());
            }
            analysis
        }
    })
}

/// `extract` and `validate`: the scheme installed, the org loaded and the ledger options, from the files given,
/// else from the configuration's (`--config`), whose [ledger] column names and [limits] also apply.
pub(crate) fn setup(
    config: Option<&Path>,
    org: &Option<PathBuf>,
    scheme: &Option<PathBuf>,
    accounts: &Option<PathBuf>,
    year: Option<i32>,
) -> Result<(Option<poikkeama::model::Org>, poikkeama::ingest::ledger::LedgerOptions), Error> {
    let cfg = config.map(RunConfig::load).transpose()?;
    ingest::context::install_year(year.or_else(|| cfg.as_ref().and_then(|c| c.year)));
    let from = |given: &Option<PathBuf>, configured: fn(&RunConfig) -> &Option<PathBuf>| {
        given.clone().or_else(|| cfg.as_ref().and_then(|c| configured(c).clone()))
    };
    if let Some(c) = &cfg {
        poikkeama::ingest::limits::install(c.limits);
    }
    install_scheme(from(scheme, |c| &c.scheme).as_deref())?;
    let org = load_org(from(org, |c| &c.org).as_deref())?;
    let columns = cfg.as_ref().map(|c| c.ledger.clone()).unwrap_or_default();
    let options = ledger_options(from(accounts, |c| &c.accounts).as_deref(), columns)?;
    Ok((org, options))
}

/// A closed pipe (`| head`) is not an error of ours; anything else writing to stdout is.
pub(crate) fn check_written(written: std::io::Result<()>) -> Result<(), Error> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Write { path: "standard output".into(), source: e })
        }
        _ => {
            let _ = std::io::stdout().flush();
            Ok(())
        }
    }
}

/// A significant variance of the report year without the finance office's explanation is a warning.
pub(crate) fn check_explanations(
    analysis: &mut engine::Analysis,
    explanations: &[poikkeama::model::Explanation],
    t: &Thresholds,
) {
    analysis.check_explanations(explanations, rust_decimal::Decimal::from(t.explain_euros), t.explain_percent);
}

/// The table rows that could not be read.
pub(crate) fn unread_rows(extraction: &ingest::Extraction) -> impl Iterator<Item = &poikkeama::model::Warning> {
    extraction.warnings.iter().filter(|w| matches!(w.said, poikkeama::model::Said::RowNotRead { .. }))
}

/// Under `--strict`, a table row that could not be read stops the run (exit 2), every such row named.
pub(crate) fn strict_rows(extraction: &ingest::Extraction, strict: bool) -> Result<(), Error> {
    if !strict {
        return Ok(());
    }
    let errors: Vec<Error> = unread_rows(extraction)
        .map(|w| Error::Unread { location: w.location.clone(), message: w.said.to_string() })
        .collect();
    Error::from_list(errors).map_or(Ok(()), Err)
}

/// How many rows of the tables read were not read, and how many tables were passed over, for the run's last
/// lines; none when every row was read.
pub(crate) fn unread_line(extraction: &ingest::Extraction, lang: Option<Lang>) -> Option<String> {
    let rows: usize = extraction.tables.iter().filter(|t| t.passed_over.is_none()).map(|t| t.rows_not_read.len()).sum();
    let read = extraction.tables.iter().filter(|t| t.passed_over.is_none()).count();
    let passed = extraction.tables.len() - read;
    if rows == 0 && passed == 0 {
        return None;
    }
    Some(match lang {
        Some(Lang::Fi) => format!(
            "poikkeama: {read} taulukkoa luettu, {rows} {} ei luettu, {passed} muuta taulukkoa ohitettu (extract --explain kertoo miksi)",
            if rows == 1 { "rivi" } else { "riviä" }
        ),
        Some(Lang::Sv) => format!(
            "poikkeama: {read} tabeller lästa, {rows} {} lästes inte, {passed} andra tabeller förbigångna (extract --explain säger varför)",
            if rows == 1 { "rad" } else { "rader" }
        ),
        Some(Lang::En) | None => format!(
            "poikkeama: {read} tables read, {rows} {} not read, {passed} other tables passed over (extract --explain says why)",
            if rows == 1 { "row" } else { "rows" }
        ),
    })
}

/// The run's last line: files, figures, errors, warnings and where the reports are.
pub(crate) fn summary_line(
    lang: Lang,
    files: usize,
    figures: usize,
    errors: usize,
    warnings: usize,
    out: &Path,
) -> String {
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    let parts = match lang {
        Lang::Fi => [
            n(files, "tiedosto", "tiedostoa"),
            n(figures, "luku", "lukua"),
            n(errors, "virhe", "virhettä"),
            n(warnings, "varoitus", "varoitusta"),
        ],
        Lang::Sv => [
            n(files, "fil", "filer"),
            n(figures, "tal", "tal"),
            n(errors, "fel", "fel"),
            n(warnings, "varning", "varningar"),
        ],
        Lang::En => [
            n(files, "file", "files"),
            n(figures, "figure", "figures"),
            n(errors, "error", "errors"),
            n(warnings, "warning", "warnings"),
        ],
    };
    format!("poikkeama: {} → {}", parts.join(", "), out.display())
}
