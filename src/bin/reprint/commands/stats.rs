//! `reprint stats`: read and tokenize a corpus, print its size (the pipeline's floor).

use std::time::Instant;

use anyhow::Result;
use reprint::mode::engine;
use reprint::report::{summary, Format};

use crate::args::StatsArgs;
use crate::config::open_corpus;
use crate::messages::warn_input;
use crate::progress::{Progress, Timings};

pub fn run(a: &StatsArgs, quiet: bool) -> Result<bool> {
    let out = &a.out.out;
    out.check()?;
    let mut timings = Timings::start(a.timings.timings);
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let t0 = Instant::now();
    let res = engine::scan_corpus(&corpus, a.ngram.ngram, &progress);
    progress.finish();
    let (stats, shingles) = res?;
    let secs = t0.elapsed().as_secs_f64();
    timings.lap("read+tokenize");
    warn_input(&stats, quiet);
    let view = summary::StatsView {
        stats: &stats,
        shingles,
        ngram: a.ngram.ngram,
        input_bytes: corpus.total_bytes(),
    };
    let format = if a.format.json() {
        Format::Json
    } else {
        Format::Table
    };
    out.write(|w| summary::write_stats(w, format, &view))?;
    timings.lap("output");
    if !quiet {
        eprintln!(
            "reprint: read, tokenized and hashed in {secs:.3}s ({:.1} MB/s of input)",
            corpus.total_bytes() as f64 / 1e6 / secs.max(1e-9)
        );
    }
    timings.print(Some(corpus.total_bytes()));
    Ok(stats.documents > 0)
}
