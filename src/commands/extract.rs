//! `extract`: the figures read from the inputs, as CSV or JSON, or every table found with `--explain`.

use super::*;
use poikkeama::cli::{ExtractArgs, FigureFormat};

/// `extract`: the figures read, or with `--explain` every table found and what was read of it.
pub fn extract(args: ExtractArgs) -> Result<u8, Error> {
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
