//! `validate`: the checks' findings, as text or JSON.

use super::*;
use poikkeama::cli::{FindingsFormat, ValidateArgs};
use poikkeama::config::parse_langs;

/// `validate`: the findings, as text or JSON; exit 1 when the figures have errors.
pub fn validate(args: ValidateArgs) -> Result<u8, Error> {
    let (org, options) = setup(args.config.as_deref(), &args.org, &args.scheme, &args.accounts, args.year)?;
    ingest::context::install_period(args.period);
    let lang = parse_langs(std::slice::from_ref(&args.lang))?.first().copied().unwrap_or(Lang::Fi);
    let mut extraction = ingest::extract_with(&args.inputs, org.as_ref(), &options)?;
    strict_rows(&extraction, args.strict)?;
    let org = ingest::ledger::separate_own_postings(&mut extraction.figures, org);
    print_warnings(&extraction.warnings, Some(lang));
    let mut analysis = engine::analyze_tables(&extraction.figures, &extraction.sums, org.as_ref())?;
    analysis.add_printed_totals(&extraction.totals);
    analysis.add_printed_percents(&extraction.percents);
    analysis.add_input_warnings(&extraction.warnings);
    analysis = with_period(analysis, &extraction, org.as_ref(), args.phasing.as_deref(), lang)?;
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
