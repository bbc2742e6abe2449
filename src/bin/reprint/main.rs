//! The `reprint` binary: parses flags, dispatches to one module per subcommand, and
//! turns errors into messages and exit codes (0 found, 1 none found, 2 error).

mod args;
mod bench;
mod commands;
mod config;
mod messages;
mod output;
mod progress;

use std::io;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use args::{Cli, Command};

fn run(cli: &Cli) -> Result<bool> {
    if let Some(n) = cli.threads {
        if n == 0 {
            anyhow::bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting the thread pool")?;
    }
    let quiet = cli.quiet;
    match &cli.command {
        Command::Pairs(a) => commands::pairs::run(a, quiet, false),
        Command::Clusters(a) => commands::pairs::run(a, quiet, true),
        Command::Dedup(a) => commands::dedup::run(a, quiet),
        Command::Diff(a) => commands::diff::run(a, quiet),
        Command::Report(a) => commands::report::run(a, quiet),
        Command::Sources(a) => commands::sources::run(a, quiet),
        Command::Score(a) => commands::score::run(a, quiet),
        Command::Explain(a) => commands::explain::run(a),
        Command::Stats(a) => commands::stats::run(a, quiet),
        Command::Gen(a) => commands::gen::run(a, quiet),
        Command::Bench(a) => commands::bench::run(a, quiet),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<reprint::Error>()
            .is_some_and(reprint::Error::is_broken_pipe)
            || c.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A library error as the command line says it: parameters by their flag names, and
/// the flag that would have avoided a record error.
fn cli_message(e: &reprint::Error) -> String {
    use reprint::Error as E;
    const SKIP: &str = " (use --skip-bad-lines to skip such lines)";
    match e {
        E::InvalidParameter { name, requirement } => {
            format!(
                "invalid parameter: {} {requirement}",
                name.replace('_', "-")
            )
        }
        E::LshShape { bands, rows, perms } => format!(
            "invalid parameter: {bands} bands x {rows} rows = {} exceeds --perms {perms}",
            bands * rows
        ),
        E::MissingField { .. } => format!("{e} (set the text field with --text-field){SKIP}"),
        E::BadJson { .. } | E::BadField { .. } => format!("{e}{SKIP}"),
        _ => e.to_string(),
    }
}

/// The error and its causes, each once: `reprint: error: A: B: C`.
fn error_message(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|c| {
            // A library error passed through `io::Error::other` (from an output
            // closure) is still the library's.
            let lib = c.downcast_ref::<reprint::Error>().or_else(|| {
                c.downcast_ref::<io::Error>()
                    .and_then(io::Error::get_ref)
                    .and_then(|i| i.downcast_ref::<reprint::Error>())
            });
            match lib {
                Some(r) => cli_message(r),
                None => c.to_string(),
            }
        })
        .collect();
    format!("reprint: error: {}", parts.join(": "))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(true) => ExitCode::from(0),
        Ok(false) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            eprintln!("{}", error_message(&e));
            ExitCode::from(2)
        }
    }
}
