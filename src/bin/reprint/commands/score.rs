//! `reprint score`: score text pairs given as JSON Lines, one result line per input line.

use anyhow::Result;

use crate::args::ScoreArgs;
use crate::messages::plural;
use crate::progress::Timings;

pub fn run(a: &ScoreArgs, quiet: bool) -> Result<bool> {
    let out = &a.out.out;
    out.check()?;
    let mut timings = Timings::start(a.timings.timings);
    let input = reprint::score::ScoreInput::open_with(
        &a.input,
        a.max_doc_mib.saturating_mul(1 << 20),
        a.skip_bad_lines,
    )?;
    let mut stats = None;
    out.write_lib(|w| {
        stats = Some(reprint::score::score_with(
            &input,
            a.ngram.ngram,
            a.idf.source(),
            a.skip_bad_lines,
            &mut |s| {
                reprint::report::write_scored_with(w, &s, a.passages).map_err(|e| {
                    reprint::Error::Write {
                        path: "<output>".into(),
                        source: e,
                    }
                })
            },
        )?);
        Ok(())
    })?;
    let stats = stats.unwrap_or_default();
    timings.lap("read+score+output");
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
    timings.print(None);
    Ok(stats.related > 0)
}
