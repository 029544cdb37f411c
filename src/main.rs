//! The `poikkeama` binary: parses arguments, runs one command, turns errors into one clear message
//! per problem and the exit code (0 clean, 1 figure errors, 2 input or usage errors).

use clap::Parser;
use poikkeama::cli::{Cli, Command, FigureFormat, FindingsFormat};
use poikkeama::model::Org;
use poikkeama::{engine, ingest, report, Error};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
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

fn print_warnings(warnings: &[poikkeama::model::Warning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Extract(args) => {
            let org = load_org(args.org.as_deref())?;
            let extraction = ingest::extract(&args.inputs, org.as_ref())?;
            print_warnings(&extraction.warnings);
            let stdout = std::io::stdout().lock();
            let written = match args.format {
                FigureFormat::Csv => report::extract::write_csv(&extraction.figures, stdout),
                FigureFormat::Json => report::extract::write_json(&extraction.figures, stdout),
            };
            check_written(written)?;
            Ok(0)
        }
        Command::Validate(args) => {
            let org = load_org(args.org.as_deref())?;
            let extraction = ingest::extract(&args.inputs, org.as_ref())?;
            print_warnings(&extraction.warnings);
            let analysis = engine::analyze(&extraction.figures, org.as_ref())?;
            let stdout = std::io::stdout().lock();
            let written = match args.format {
                FindingsFormat::Text => report::findings::write_text(&analysis, stdout),
                FindingsFormat::Json => report::findings::write_json(&analysis, stdout),
            };
            check_written(written)?;
            Ok(if analysis.has_errors() { 1 } else { 0 })
        }
    }
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
