//! The `reprint` binary: parses flags, dispatches to one module per subcommand, and
//! turns errors into messages and exit codes (0 found, 1 none found, 2 error).

mod args;
mod bench;
mod commands;
mod config;
mod messages;
mod output;
mod progress;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use args::{Cli, Command};

fn run(cli: &Cli) -> Result<bool> {
    config::thread_pool(cli.threads)?;
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
        Command::Index(a) => commands::index::run(a, quiet),
        Command::Completions(a) => commands::shell::completions(a),
        Command::Man(a) => commands::shell::man(a),
    }
}

/// Exit status after SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl-C).
const INTERRUPTED: i32 = 130;

/// On Ctrl-C (SIGINT) or SIGTERM: removes the temporary files of the run (spools of
/// stdin and FIFOs, an output file not yet renamed into place) and exits with 130. An
/// output renamed into place before the signal stays, complete.
fn on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        reprint_fs::remove_all_then(|| {
            progress::clear_terminal();
            std::process::exit(INTERRUPTED)
        })
    });
}

fn main() -> ExitCode {
    on_interrupt();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(true) => ExitCode::from(0),
        Ok(false) => ExitCode::from(1),
        Err(e) if messages::is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            crate::messages::say!("{}", messages::error_message(&e));
            ExitCode::from(2)
        }
    }
}
