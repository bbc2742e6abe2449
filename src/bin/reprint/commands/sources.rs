//! `reprint sources --from WIRE ARTICLES...`: each article's sources in a collection.

use std::time::Instant;

use anyhow::Result;
use reprint::corpus::{Corpus, Input};
use reprint::mode::sources::{self, Attribution, SourcesResult};
use reprint::report;

use crate::args::{self, InputArgs, SourcesArgs};
use crate::config::{format, params, read_options};
use crate::messages::{plural, warn_input};
use crate::output::{check_output, with_output};
use crate::progress::Progress;

/// Opens the source collection (`--from`) and the articles as one corpus; returns it
/// and the number of its files that hold sources (they come first).
pub fn open_sources_and_articles(
    from: &[String],
    input: &InputArgs,
    mode: Option<args::Mode>,
) -> Result<(Corpus, u32)> {
    if mode == Some(args::Mode::NearDup) {
        anyhow::bail!("--from compares pairs in full; --mode near-dup does not apply");
    }
    if from.iter().any(|p| p == "-") {
        anyhow::bail!("--from reads files or directories, not stdin (-)");
    }
    let options = read_options(input);
    let from: Vec<Input> = from.iter().map(|p| Input::parse(p)).collect();
    // The files of the source collection, to know where the articles begin.
    let source_files = Corpus::open(&from, options.clone())?.sources().len() as u32;
    let mut inputs = from;
    inputs.extend(input.paths.iter().map(|p| Input::parse(p)));
    Ok((Corpus::open(&inputs, options)?, source_files))
}

/// Says so when either collection of a sources run holds no documents.
pub fn warn_empty_sides(res: &SourcesResult, quiet: bool) {
    if quiet {
        return;
    }
    if res.sources == 0 {
        eprintln!("reprint: warning: the --from collection holds no documents");
    }
    if res.articles == 0 {
        eprintln!("reprint: warning: no articles to attribute (only --from documents were read)");
    }
}

pub fn run(a: &SourcesArgs, quiet: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    if !(a.min_score.is_finite() && a.min_score >= 0.0) {
        anyhow::bail!("--min-score must be a number at least 0");
    }
    let params = params(&a.matching)?;
    let (corpus, source_files) = open_sources_and_articles(&a.from, &a.input, a.matching.mode)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let t0 = Instant::now();
    let rules = Attribution {
        min_score: a.min_score,
        min_new_units: a.min_new_sentences,
    };
    let res = sources::find_sources(&corpus, source_files, &params, rules, &progress);
    progress.finish();
    let res = res?;
    warn_input(&res.stats, quiet);
    warn_empty_sides(&res, quiet);
    let t_out = Instant::now();
    let view = report::SourcesView {
        result: &res,
        params: &params,
    };
    with_output(a.out.as_deref(), |w| {
        report::write_sources(w, format(a.format), &view)
    })?;
    if !quiet {
        eprintln!(
            "reprint: {} of {} attributed ({} with reused text): {} among {} ({} verified)",
            res.attributed(),
            plural(res.articles as u64, "article", "articles"),
            res.reused(),
            plural(res.links.len() as u64, "link", "links"),
            plural(res.sources as u64, "source document", "source documents"),
            plural(res.candidates as u64, "candidate", "candidates"),
        );
    }
    if a.timings {
        let t = &res.timings;
        eprintln!(
            "reprint: timings: read+sketch {:.3}s, candidates {:.3}s, verify {:.3}s, output {:.3}s, total {:.3}s",
            t.sketch.as_secs_f64(),
            t.candidates.as_secs_f64(),
            t.verify.as_secs_f64(),
            t_out.elapsed().as_secs_f64(),
            t0.elapsed().as_secs_f64(),
        );
    }
    Ok(!res.links.is_empty())
}
