//! `reprint completions SHELL` and `reprint man`: shell completions (clap_complete)
//! and the manual page (clap_mangen), generated from the flags.

use anyhow::Result;
use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::output::Output;

pub fn completions(a: &CompletionsArgs) -> Result<bool> {
    let mut cmd = Cli::command();
    Output::Stdout.write(|w| {
        clap_complete::generate(a.shell, &mut cmd, "reprint", w);
        Ok(())
    })?;
    Ok(true)
}

pub fn man() -> Result<bool> {
    let man = clap_mangen::Man::new(Cli::command());
    Output::Stdout.write(|w| man.render(w))?;
    Ok(true)
}
