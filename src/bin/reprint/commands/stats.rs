//! `reprint stats`: read and tokenize a corpus, print its size (the pipeline's floor).

use std::io::{self, Write};
use std::time::Instant;

use anyhow::Result;
use reprint::mode::engine;

use crate::args::StatsArgs;
use crate::config::open_corpus;
use crate::messages::warn_input;
use crate::progress::Progress;

pub fn run(a: &StatsArgs, quiet: bool) -> Result<bool> {
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let t0 = Instant::now();
    let res = engine::scan_corpus(&corpus, a.ngram.max(1), &progress);
    progress.finish();
    let (stats, shingles) = res?;
    let secs = t0.elapsed().as_secs_f64();
    warn_input(&stats, quiet);
    let mut stdout = io::stdout().lock();
    if a.json {
        let v = serde_json::json!({
            "input": stats,
            "shingles": shingles,
            "input_bytes": corpus.total_bytes(),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        writeln!(
            stdout,
            "{} documents, {} words, {} shingles ({}-grams), {} bytes of text, {} bytes read",
            stats.documents,
            stats.words,
            shingles,
            a.ngram,
            stats.text_bytes,
            corpus.total_bytes()
        )?;
        writeln!(
            stdout,
            "empty {}, short {}, lossy UTF-8 {}, binary skipped {}, bad lines skipped {}",
            stats.empty,
            stats.short,
            stats.lossy_utf8,
            stats.binary_skipped,
            stats.bad_lines_skipped
        )?;
    }
    if !quiet {
        eprintln!(
            "reprint: read, tokenized and hashed in {secs:.3}s ({:.1} MB/s of input)",
            corpus.total_bytes() as f64 / 1e6 / secs.max(1e-9)
        );
    }
    Ok(stats.documents > 0)
}
