//! `reprint score`: score text pairs given as JSON Lines, one result line per input line.

use std::io;

use anyhow::Result;

use crate::args::ScoreArgs;
use crate::messages::plural;
use crate::output::{check_output, with_output};

pub fn run(a: &ScoreArgs, quiet: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    if a.ngram == 0 {
        anyhow::bail!("--ngram must be at least 1");
    }
    let input = reprint::score::ScoreInput::open(&a.input)?;
    let mut stats = None;
    with_output(a.out.as_deref(), |w| {
        stats = Some(
            reprint::score::score(&input, a.ngram, a.skip_bad_lines, &mut |s| {
                reprint::report::write_scored(w, &s).map_err(|e| reprint::Error::Write {
                    path: "<output>".into(),
                    source: e,
                })
            })
            .map_err(io::Error::other)?,
        );
        Ok(())
    })?;
    let stats = stats.unwrap_or_default();
    if !quiet {
        eprintln!(
            "reprint: scored {}, {} related{}",
            plural(stats.pairs, "pair", "pairs"),
            stats.related,
            if stats.bad_lines > 0 {
                format!(", {} malformed", plural(stats.bad_lines, "line", "lines"))
            } else {
                String::new()
            }
        );
    }
    Ok(stats.related > 0)
}
