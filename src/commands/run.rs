//! `run`: the main job, every report of the inputs written as one set, with the manifest.

use super::*;
use poikkeama::cli::RunArgs;
use poikkeama::config::parse_langs;

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
            phasing: None,
            accounts: None,
            ledger: Default::default(),
            out: PathBuf::from("outputs"),
            langs: vec![poikkeama::report::fmt::Lang::Fi],
            strict: false,
            year: None,
            period: None,
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
    if args.phasing.is_some() {
        cfg.phasing = args.phasing.clone();
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
    if args.period.is_some() {
        cfg.period = args.period;
    }
    if cfg.inputs.is_empty() {
        return Err(Error::Usage(
            "no inputs: give INPUT workbooks or folders, or a configuration (--config FILE, or poikkeama.toml here)"
                .into(),
        ));
    }
    Ok(cfg)
}

/// `run`: nothing is written when the input cannot be processed (exit 2) or, with --strict, when the
/// figures have errors (exit 1). Otherwise every report is written, errors shown in them (exit 1).
pub fn run(args: RunArgs) -> Result<u8, Error> {
    let cfg = run_config(&args)?;
    poikkeama::ingest::limits::install(cfg.limits);
    ingest::context::install_year(cfg.year);
    ingest::context::install_period(cfg.period);
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
    analysis.add_printed_percents(&extraction.percents);
    analysis.add_input_warnings(&extraction.warnings);
    let first_lang = cfg.langs.first().copied().unwrap_or(Lang::Fi);
    analysis = with_period(analysis, &extraction, org.as_ref(), cfg.phasing.as_deref(), first_lang)?;
    check_explanations(&mut analysis, &explanations, &cfg.thresholds);
    let lang = cfg.langs.first().copied().unwrap_or(Lang::Fi);
    let errors = analysis.count(engine::Severity::Error);
    for f in analysis.findings.iter().filter(|f| f.severity == engine::Severity::Error && !quiet()) {
        let follows = if f.explained_by.is_some() { "  ↳ " } else { "" };
        let severity = report::text::severity_name(f.severity, lang);
        let text = poikkeama::error::plain_line(&format!("{} · {}", f.unit, report::text::message(f, lang)));
        eprintln!("{follows}{severity}: {text}");
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
    ctx.lang = cfg.langs.first().copied().unwrap_or(Lang::Fi);
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
