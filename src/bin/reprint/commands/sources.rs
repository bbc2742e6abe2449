//! `reprint sources --from WIRE ARTICLES...`: each article's sources in a collection.

use ahash::AHashMap;
use anyhow::Result;
use reprint::corpus::{Corpus, Input, ReadOptions};
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

/// The articles' dates by id, from their `field` (an ISO 8601 date or date-time); a
/// value that does not parse is an error naming file and line (skipped and counted
/// with `--skip-bad-lines`, as `index add` does).
fn article_dates(
    input: &InputArgs,
    options: &ReadOptions,
    field: &str,
) -> Result<AHashMap<String, i64>> {
    let mut options = options.clone();
    options.extra_field = Some(field.to_owned());
    let inputs: Vec<Input> = input.paths.iter().map(|p| Input::parse(p)).collect();
    let corpus = Corpus::open(&inputs, options)?;
    let mut dates = AHashMap::new();
    corpus.map_batches(
        None,
        None,
        |batch| {
            batch
                .records()
                .iter()
                .map(|rec| {
                    let doc = corpus.parse(rec).ok()?;
                    Some((doc.id.into_owned(), doc.extra.map(|e| e.into_owned())))
                })
                .collect::<Vec<_>>()
        },
        |batch, found| {
            for (rec, f) in batch.records().iter().zip(found) {
                let Some((id, Some(value))) = f else { continue };
                match reprint::index::parse_date(&value) {
                    Some(t) => {
                        dates.insert(id, t);
                    }
                    None if input.skip_bad_lines => {}
                    None => {
                        return Err(reprint::Error::BadDate {
                            location: corpus.location(rec.source, rec.line),
                            field: field.to_owned(),
                            value,
                        })
                    }
                }
            }
            Ok(())
        },
    )?;
    Ok(dates)
}

pub fn run(a: &SourcesArgs, quiet: bool) -> Result<bool> {
    let out = &a.out.out;
    out.check()?;
    let mut timings = Timings::start(a.timings.timings);
    // With --index: the index's documents are the source collection (one source,
    // first), the articles follow; dates of both, when given, order them.
    let (corpus, source_files, params, index) = match &a.index {
        Some(dir) => {
            let idx = reprint::index::Index::open(dir)?;
            let params = reprint::index::params_of(idx.options(), a.matching.max_bucket)?;
            let mut options = read_options(&a.input);
            options.text_field = idx.options().text_field.clone();
            options.id_field = idx.options().id_field.clone();
            let dates = match &a.date_field {
                Some(f) => Some(article_dates(&a.input, &options, f)?),
                None => None,
            };
            options.extra_field = a.group_field.clone();
            let inputs: Vec<Input> = a.input.paths.iter().map(|p| Input::parse(p)).collect();
            let articles = Corpus::open(&inputs, options)?;
            let archive = idx.corpus_with_sources(a.group_field.clone())?;
            (archive.chain(articles)?, 1, params, Some((idx, dates)))
        }
        None => {
            let (corpus, files) =
                open_sources_and_articles(&a.from, &a.input, a.group_field.as_deref())?;
            (corpus, files, params(&a.matching)?, None)
        }
    };
    let progress = Progress::new(quiet, corpus.total_bytes());
    let rules = Attribution {
        min_score: a.min_score,
        min_new_units: a.min_new_sentences,
        skip_same_group: a.group_field.is_some(),
    };
    let mode = mode(a.matching.mode, Mode::All);
    // A source dated after its article is not its source.
    let stored_dates: Vec<Option<i64>> = match &index {
        Some((idx, Some(_))) => idx
            .live()
            .iter()
            .map(|&(s, d)| idx.segments()[s as usize].meta(d).date)
            .collect(),
        _ => Vec::new(),
    };
    let keep = |docs: &reprint::corpus::DocTable, s: u32, art: u32| -> bool {
        let Some((_, Some(dates))) = &index else {
            return true;
        };
        let source_date = stored_dates.get(s as usize).copied().flatten();
        match (source_date, dates.get(docs.id(art))) {
            (Some(sd), Some(&ad)) => sd <= ad,
            _ => true,
        }
    };
    let res = sources::find_sources_in_where(
        mode,
        &corpus,
        source_files,
        &params,
        rules,
        &keep,
        &progress,
    );
    progress.finish();
    let mut res = res?;
    if let Some((idx, _)) = &index {
        idx.set_fields(&mut res.docs);
    }
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
