//! The `poikkeama` binary: parses arguments, runs one command, turns errors into one clear message
//! per problem and the exit code (0 clean, 1 figure errors, 2 input or usage errors).

use clap::Parser;
mod commands;

use poikkeama::cli::{Cli, Command};
use poikkeama::Error;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A child reading one PDF's glyphs under limits (see `ingest::pdf`): nothing else.
    if std::env::args_os().nth(1).is_some_and(|a| a == poikkeama::ingest::pdf::WORKER_ARG) {
        return poikkeama::ingest::pdf::worker_main();
    }
    if let Ok(exe) = std::env::current_exe() {
        poikkeama::ingest::pdf::install_worker(exe);
    }
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
    commands::QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
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
            // One line per problem (a list of errors is one per line), each plain.
            for line in e.to_string().lines() {
                eprintln!("error: {}", poikkeama::error::plain_line(line));
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Extract(args) => commands::extract::extract(args),
        Command::Run(args) => commands::run::run(args),
        Command::Validate(args) => commands::validate::validate(args),
    }
}
