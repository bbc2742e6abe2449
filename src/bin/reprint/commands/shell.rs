//! `reprint completions SHELL` and `reprint man`: shell completions (clap_complete)
//! and the manual page (clap_mangen), generated from the flags.

use anyhow::Result;
use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::output::Output;

pub fn completions(a: &CompletionsArgs) -> Result<bool> {
    let mut cmd = Cli::command();
    Output::Stdout.write(|w| {
        clap_complete::generate(a.shell, &mut cmd, "reprint", w);
        Ok(())
    })?;
    Ok(true)
}

/// The manual page of reprint, or of one of its commands (`reprint-pairs(1)`), its
/// `.TH` title line first (clap_mangen puts its definition of the apostrophe string
/// before it; roff takes it just as well after).
pub fn man(a: &ManArgs) -> Result<bool> {
    let mut cmd = Cli::command();
    cmd.build();
    let page_of = match &a.command {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name).cloned() else {
                let names: Vec<&str> = cmd
                    .get_subcommands()
                    .map(|c| c.get_name())
                    .filter(|&n| n != "help")
                    .collect();
                anyhow::bail!(
                    "no command {:?}; the commands are: {}",
                    name,
                    names.join(", ")
                );
            };
            // reprint-pairs(1), as git and cargo name their command pages. clap wants
            // a 'static name; the process prints one page and exits.
            let full: &'static str = format!("reprint-{}", sub.get_name()).leak();
            sub.name(full)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of).render(&mut page)?;
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
