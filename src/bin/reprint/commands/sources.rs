//! `reprint sources --from WIRE ARTICLES...`: each article's sources in a collection.

use anyhow::Result;
use reprint::corpus::{Corpus, Input};
use reprint::mode::sources::{self, Attribution, SourcesResult};
use reprint::mode::Mode;
use reprint::report;

use crate::args::{InputArgs, SourcesArgs};
use crate::config::{format, mode, params, read_options};
use crate::messages::{plural, warn_input};
use crate::progress::{Progress, Timings};

/// Opens the source collection (`--from`) and the articles as one corpus; returns it
/// and the number of its files that hold sources (they come first). `group_field` is
/// read from each record too when given.
pub fn open_sources_and_articles(
    from: &[String],
    input: &InputArgs,
    group_field: Option<&str>,
) -> Result<(Corpus, u32)> {
    if from.iter().any(|p| p == "-") {
        anyhow::bail!("--from reads files or directories, not stdin (-)");
    }
    let mut options = read_options(input);
    options.extra_field = group_field.map(str::to_owned);
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
    let out = &a.out.out;
    out.check()?;
    let params = params(&a.matching)?;
    let mut timings = Timings::start(a.timings.timings);
    let (corpus, source_files) =
        open_sources_and_articles(&a.from, &a.input, a.group_field.as_deref())?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let rules = Attribution {
        min_score: a.min_score,
        min_new_units: a.min_new_sentences,
        skip_same_group: a.group_field.is_some(),
    };
    let mode = mode(a.matching.mode, Mode::All);
    let res = sources::find_sources_in(mode, &corpus, source_files, &params, rules, &progress);
    progress.finish();
    let res = res?;
    warn_input(&res.stats, quiet);
    warn_empty_sides(&res, quiet);
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    let view = report::SourcesView {
        result: &res,
        params: &params,
        all: a.all,
    };
    out.write(|w| report::write_sources(w, format(a.format), &view))?;
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
        if let Some(field) = &a.group_field {
            eprintln!(
                "reprint: left out {} within one {field:?}",
                plural(res.same_group as u64, "candidate pair", "candidate pairs"),
            );
        }
    }
    timings.lap("output");
    timings.print(Some(corpus.total_bytes()));
    Ok(!res.links.is_empty())
}
