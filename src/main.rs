//! The `poikkeama` binary: parses arguments, runs one command, turns errors into one clear message
//! per problem and the exit code (0 clean, 1 figure errors, 2 input or usage errors).

use clap::Parser;
use poikkeama::cli::{Cli, Command, FigureFormat, FindingsFormat, RunArgs};
use poikkeama::config::{parse_langs, RunConfig, Thresholds};
use poikkeama::model::{Org, Scheme};
use poikkeama::report::fmt::Lang;
use poikkeama::{engine, ingest, report, Error};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // polars' streaming Parquet reader decodes up to 16 row groups ahead of whoever takes its rows; a ledger's
    // rows are summed as they come, so one is enough and keeps the memory near a bare scan's (10 M rows:
    // 0.2–0.3 GiB instead of 0.4). Set here, before any thread exists; a value the user set is kept.
    if std::env::var_os("POLARS_ROW_GROUP_PREFETCH_SIZE").is_none() {
        std::env::set_var("POLARS_ROW_GROUP_PREFETCH_SIZE", "1");
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .without_time()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn load_org(path: Option<&std::path::Path>) -> Result<Option<Org>, Error> {
    path.map(Org::load).transpose()
}

/// Puts the line-item scheme in force: the default, extended by the given scheme file. Must run before the
/// org file (binding line items) or any input is read.
fn install_scheme(path: Option<&std::path::Path>) -> Result<(), Error> {
    if let Some(path) = path {
        let scheme = Scheme::load_extension(path)?;
        poikkeama::model::scheme::install(scheme)
            .map_err(|message| Error::Scheme { path: path.display().to_string(), message })?;
    }
    Ok(())
}

/// The chart of accounts (the default, or a file) and column names for ledger exports.
fn ledger_options(
    accounts: Option<&Path>,
    columns: poikkeama::ingest::ledger::LedgerColumns,
) -> Result<poikkeama::ingest::ledger::LedgerOptions, Error> {
    let chart = match accounts {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
            poikkeama::ingest::ledger::Chart::parse(&text)
                .map_err(|message| Error::Config { path: path.display().to_string(), message })?
        }
        None => poikkeama::ingest::ledger::Chart::default_chart(),
    };
    Ok(poikkeama::ingest::ledger::LedgerOptions { chart, columns })
}

/// `-q`: nothing on the console but errors that stop the run.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// What reading the inputs warned of, on stderr: in the run's language (`run`, `validate`), else in English
/// (`extract`, whose output is for programs and people alike).
fn print_warnings(warnings: &[poikkeama::model::Warning], lang: Option<Lang>) {
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
            Some(lang) => eprintln!("{kind}: {}: {}", w.location, report::text::said_text(&w.said, lang)),
            None => eprintln!("{kind}: {w}"),
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Extract(args) => {
            let (org, options) = setup(args.config.as_deref(), &args.org, &args.scheme, &args.accounts, args.year)?;
            let mut extraction = ingest::extract_with(&args.inputs, org.as_ref(), &options)?;
            strict_rows(&extraction, args.strict)?;
            ingest::ledger::separate_own_postings(&mut extraction.figures, org);
            print_warnings(&extraction.warnings, None);
            let stdout = std::io::stdout().lock();
            let written = match (args.explain, args.format) {
                (true, _) => report::explain::write_text(&extraction.tables, stdout),
                (false, FigureFormat::Csv) => report::extract::write_csv(&extraction.figures, stdout),
                (false, FigureFormat::Json) => report::extract::write_json(&extraction.figures, stdout),
            };
            check_written(written)?;
            if !quiet() {
                if let Some(line) = unread_line(&extraction, None) {
                    eprintln!("{line}");
                }
            }
            Ok(0)
        }
        Command::Run(args) => run_main_job(args),
        Command::Validate(args) => {
            let (org, options) = setup(args.config.as_deref(), &args.org, &args.scheme, &args.accounts, args.year)?;
            let lang = parse_langs(std::slice::from_ref(&args.lang))?.first().copied().unwrap_or(Lang::Fi);
            let mut extraction = ingest::extract_with(&args.inputs, org.as_ref(), &options)?;
            strict_rows(&extraction, args.strict)?;
            let org = ingest::ledger::separate_own_postings(&mut extraction.figures, org);
            print_warnings(&extraction.warnings, Some(lang));
            let mut analysis = engine::analyze_tables(&extraction.figures, &extraction.sums, org.as_ref())?;
            analysis.add_printed_totals(&extraction.totals);
            analysis.add_input_warnings(&extraction.warnings);
            let mut explanations = extraction.explanations.clone();
            if let Some(path) = &args.explanations {
                explanations.extend(ingest::explanations::load(path, org.as_ref())?);
            }
            if args.explanations.is_some() || !explanations.is_empty() {
                check_explanations(&mut analysis, &explanations, &Thresholds::default());
            }
            let stdout = std::io::stdout().lock();
            let written = match args.format {
                FindingsFormat::Text => report::findings::write_text(&analysis, lang, stdout),
                FindingsFormat::Json => report::findings::write_json(&analysis, lang, stdout),
            };
            check_written(written)?;
            if !quiet() {
                if let Some(line) = unread_line(&extraction, Some(lang)) {
                    eprintln!("{line}");
                }
            }
            Ok(if analysis.has_errors() { 1 } else { 0 })
        }
    }
}

/// `extract` and `validate`: the scheme installed, the org loaded and the ledger options, from the files given,
/// else from the configuration's (`--config`), whose [ledger] column names and [limits] also apply.
fn setup(
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
fn check_written(written: std::io::Result<()>) -> Result<(), Error> {
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

/// The configuration file a run reads: the one given, else `poikkeama.toml` here when no inputs are given.
fn config_path(args: &RunArgs) -> Option<PathBuf> {
    let default = Path::new("poikkeama.toml");
    args.config.clone().or_else(|| (args.inputs.is_empty() && default.is_file()).then(|| default.to_path_buf()))
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970): the time reproducible builds stamp their outputs with.
fn source_date_epoch() -> Result<Option<i64>, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
            Error::Usage(format!("SOURCE_DATE_EPOCH={v:?}: expected seconds since 1970-01-01 (e.g. 1735603200)"))
        }),
        Err(_) => Ok(None),
    }
}

/// Merges the configuration file and the command line (the command line wins).
fn run_config(args: &RunArgs) -> Result<RunConfig, Error> {
    let default = Path::new("poikkeama.toml");
    let mut cfg = match &args.config {
        Some(path) => RunConfig::load(path)?,
        None if args.inputs.is_empty() && default.is_file() => RunConfig::load(default)?,
        None => RunConfig {
            inputs: Vec::new(),
            org: None,
            scheme: None,
            explanations: None,
            accounts: None,
            ledger: Default::default(),
            out: PathBuf::from("outputs"),
            langs: vec![poikkeama::report::fmt::Lang::Fi],
            strict: false,
            year: None,
            thresholds: Thresholds::default(),
            limits: Default::default(),
        },
    };
    if !args.inputs.is_empty() {
        cfg.inputs = args.inputs.clone();
    }
    if args.org.is_some() {
        cfg.org = args.org.clone();
    }
    if args.scheme.is_some() {
        cfg.scheme = args.scheme.clone();
    }
    if args.explanations.is_some() {
        cfg.explanations = args.explanations.clone();
    }
    if args.accounts.is_some() {
        cfg.accounts = args.accounts.clone();
    }
    if let Some(out) = &args.out {
        cfg.out = out.clone();
    }
    let langs = parse_langs(&args.lang)?;
    if !langs.is_empty() {
        cfg.langs = langs;
    }
    cfg.strict |= args.strict;
    if args.year.is_some() {
        cfg.year = args.year;
    }
    if cfg.inputs.is_empty() {
        return Err(Error::Usage(
            "no inputs: give INPUT workbooks or folders, or a configuration (--config FILE, or poikkeama.toml here)"
                .into(),
        ));
    }
    Ok(cfg)
}

/// A significant variance of the report year without the finance office's explanation is a warning.
fn check_explanations(analysis: &mut engine::Analysis, explanations: &[poikkeama::model::Explanation], t: &Thresholds) {
    analysis.check_explanations(explanations, rust_decimal::Decimal::from(t.explain_euros), t.explain_percent);
}

/// `run`: nothing is written when the input cannot be processed (exit 2) or, with --strict, when the
/// figures have errors (exit 1). Otherwise every report is written, errors shown in them (exit 1).
fn run_main_job(args: RunArgs) -> Result<u8, Error> {
    let cfg = run_config(&args)?;
    poikkeama::ingest::limits::install(cfg.limits);
    ingest::context::install_year(cfg.year);
    report::check_out_dir(&cfg.out)?;
    install_scheme(cfg.scheme.as_deref())?;
    let org = load_org(cfg.org.as_deref())?;
    let t = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::info!(seconds = t.elapsed().as_secs_f64(), "{what}");
    };
    let options = ledger_options(cfg.accounts.as_deref(), cfg.ledger.clone())?;
    // The inputs are hashed for the manifest on a thread of their own while they are read.
    let input_files = ingest::expand_inputs(&cfg.inputs, &options.columns)?;
    let hashing = report::manifest::hash_inputs(input_files.clone());
    // A progress bar on a terminal for several files or a large one; nothing of it elsewhere.
    let bytes: u64 = input_files.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = if !quiet() && (input_files.len() > 1 || bytes > 16 << 20) {
        indicatif::ProgressBar::with_draw_target(
            Some(input_files.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    // The files just listed (and hashed), not the inputs again: a folder is read once, as it was listed.
    let extraction = ingest::extract_with_progress(&input_files, org.as_ref(), &options, &mut |path, index, _| {
        bar.set_position(index as u64);
        bar.set_message(path.display().to_string());
    });
    bar.finish_and_clear();
    let mut extraction = extraction?;
    strict_rows(&extraction, cfg.strict)?;
    let org = ingest::ledger::separate_own_postings(&mut extraction.figures, org);
    lap("read");
    print_warnings(&extraction.warnings, Some(cfg.langs.first().copied().unwrap_or(Lang::Fi)));
    // The tables' own explanation column first; a file's entry for the same line replaces it.
    let mut explanations = extraction.explanations.clone();
    if let Some(path) = &cfg.explanations {
        let from_file = ingest::explanations::load(path, org.as_ref())?;
        explanations
            .retain(|e| !from_file.iter().any(|f| f.unit == e.unit && f.line_item == e.line_item && f.year == e.year));
        explanations.extend(from_file);
    }
    let mut analysis = engine::analyze_tables(&extraction.figures, &extraction.sums, org.as_ref())?;
    analysis.add_printed_totals(&extraction.totals);
    analysis.add_input_warnings(&extraction.warnings);
    check_explanations(&mut analysis, &explanations, &cfg.thresholds);
    let lang = cfg.langs.first().copied().unwrap_or(Lang::Fi);
    let errors = analysis.count(engine::Severity::Error);
    for f in analysis.findings.iter().filter(|f| f.severity == engine::Severity::Error && !quiet()) {
        let follows = if f.explained_by.is_some() { "  ↳ " } else { "" };
        let severity = report::text::severity_name(f.severity, lang);
        eprintln!("{follows}{severity}: {} · {}", f.unit, report::text::message(f, lang));
    }
    let in_figures = report::text::errors_in_figures(errors, lang);
    if errors > 0 && cfg.strict {
        let nothing = match lang {
            Lang::Fi => "mitään ei kirjoitettu",
            Lang::Sv => "inget skrevs",
            Lang::En => "nothing written",
        };
        eprintln!("{in_figures}: {nothing} (--strict)");
        return Ok(1);
    }
    let mut ctx = report::ReportContext::new(&analysis, &extraction.figures, org.as_ref(), cfg.thresholds);
    ctx.explanations = &explanations;
    ctx.tables = &extraction.tables;
    ctx.created = source_date_epoch()?;
    lap("checked");
    let mut files = report::render_all(&ctx, &cfg.langs)?;
    lap("rendered");
    let status: u8 = if errors > 0 { 1 } else { 0 };
    let mut inputs = hashing.join().map_err(|_| Error::Engine("hashing the inputs stopped unexpectedly".into()))??;
    for input in &mut inputs {
        input.figures = Some(extraction.figures.iter().filter(|f| f.source.file == input.path).count());
    }
    let manifest = report::manifest::Manifest {
        tool: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
        command: std::iter::once("poikkeama".to_string()).chain(std::env::args().skip(1)).collect(),
        config: report::manifest::record(config_path(&args).as_deref())?,
        org: report::manifest::record(cfg.org.as_deref())?,
        scheme: report::manifest::record(cfg.scheme.as_deref())?,
        explanations: report::manifest::record(cfg.explanations.as_deref())?,
        accounts: report::manifest::record(cfg.accounts.as_deref())?,
        inputs,
        outputs: Vec::new(),
        findings: report::manifest::Counts {
            error: errors,
            warning: analysis.count(engine::Severity::Warning),
            info: analysis.count(engine::Severity::Info),
        },
        exit_status: status,
    }
    .render(&files)?;
    files.push((report::MANIFEST.to_string(), manifest));
    let written = report::output::write_set(&cfg.out, &files)?;
    lap("written");
    if !quiet() {
        for path in &written {
            println!("{}", path.display());
        }
    }
    if errors > 0 && !quiet() {
        let see = match lang {
            Lang::Fi => "katso",
            Lang::Sv => "se",
            Lang::En => "see",
        };
        eprintln!("{in_figures}: {see} {}", cfg.out.join(report::FINDINGS).display());
    }
    if !quiet() {
        let warnings = analysis.count(engine::Severity::Warning);
        let mut line = summary_line(lang, input_files.len(), extraction.figures.len(), errors, warnings, &cfg.out);
        if let Some(unread) = unread_line(&extraction, Some(lang)) {
            line = format!("{unread}\n{line}");
        }
        eprintln!("{line}");
    }
    Ok(status)
}

/// The table rows that could not be read.
fn unread_rows(extraction: &ingest::Extraction) -> impl Iterator<Item = &poikkeama::model::Warning> {
    extraction.warnings.iter().filter(|w| matches!(w.said, poikkeama::model::Said::RowNotRead { .. }))
}

/// Under `--strict`, a table row that could not be read stops the run (exit 2), every such row named.
fn strict_rows(extraction: &ingest::Extraction, strict: bool) -> Result<(), Error> {
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
fn unread_line(extraction: &ingest::Extraction, lang: Option<Lang>) -> Option<String> {
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
fn summary_line(lang: Lang, files: usize, figures: usize, errors: usize, warnings: usize, out: &Path) -> String {
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
