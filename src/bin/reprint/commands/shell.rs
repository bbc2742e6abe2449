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

/// The manual page, its `.TH` title line first (clap_mangen puts its definition of the
/// apostrophe string before it; roff takes it just as well after).
pub fn man() -> Result<bool> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let page = String::from_utf8(page)?;
    let (title, rest): (Vec<&str>, Vec<&str>) = page.lines().partition(|l| l.starts_with(".TH "));
    Output::Stdout.write(|w| {
        for line in title.into_iter().chain(rest) {
            writeln!(w, "{line}")?;
        }
        Ok(())
    })?;
    Ok(true)
}
