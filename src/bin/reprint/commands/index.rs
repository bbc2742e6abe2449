//! `reprint index ...`: create, add to, query, inspect, verify, remove from and
//! compact a persistent index.

use std::io::Write;

use anyhow::Result;
use reprint::corpus::{Corpus, Input, ReadOptions};
use reprint::index::{self, DocFields, Index, IndexWriter, QueryOptions};
use reprint::mode::Mode;
use reprint::report::{self, PairsView};

use crate::args::{self, IndexArgs, IndexCommand, IndexInputArgs, SchemeArg};
use crate::config::format;
use crate::messages::{plural, warn_input};
use crate::progress::{Progress, Timings};

pub fn run(a: &IndexArgs, quiet: bool) -> Result<bool> {
    match &a.command {
        IndexCommand::Create(c) => {
            let params = reprint::params::ParamsInput {
                ngram: c.ngram.ngram,
                perms: c.lsh.perms,
                scheme: match c.scheme {
                    SchemeArg::OnePermutation => reprint::sketch::Scheme::OnePermutation,
                    SchemeArg::MultiplyShift => reprint::sketch::Scheme::MultiplyShift,
                },
                threshold: c.lsh.threshold,
                containment: c.lsh.containment,
                max_size_ratio: c.lsh.max_size_ratio,
                bands: c.lsh.bands,
                rows: c.lsh.rows,
                ..Default::default()
            }
            .validate()?;
            index::create(
                &c.dir,
                index::options_of(&params, &c.text_field, &c.id_field),
            )?;
            if !quiet {
                eprintln!(
                    "reprint: created index {} ({} bands x {} rows, {}-word shingles)",
                    c.dir.display(),
                    params.lsh().bands(),
                    params.lsh().rows(),
                    params.ngram()
                );
            }
            Ok(true)
        }
        IndexCommand::Add(c) => {
            let mut timings = Timings::start(c.timings.timings);
            let mut w = IndexWriter::open(&c.input.dir)?;
            // Read once: no copy of Parquet rows for later passes.
            let corpus = open_input(&c.input, w.index())?.without_row_spool();
            let progress = Progress::new(quiet, corpus.total_bytes());
            let res = w.add(&corpus, &fields(&c.input), &progress);
            progress.finish();
            let (report, stats) = res?;
            timings.lap("add");
            warn_input(&stats, quiet);
            if !quiet {
                eprintln!(
                    "reprint: added {} to {} (commit {}; {} in all)",
                    plural(report.added, "document", "documents"),
                    c.input.dir.display(),
                    report.commit,
                    plural(w.index().documents(), "document", "documents"),
                );
            }
            timings.print(Some(corpus.total_bytes()));
            Ok(true)
        }
        IndexCommand::Query(c) => query(c, quiet),
        IndexCommand::Clusters(c) => clusters(c, quiet),
        IndexCommand::Stats(c) => {
            let out = &c.out.out;
            out.check()?;
            let idx = Index::open(&c.dir)?;
            let st = idx.stats();
            if c.format.json() {
                out.write(|w| {
                    serde_json::to_writer_pretty(&mut *w, &st.to_json())?;
                    writeln!(w)
                })?;
            } else {
                out.write(|w| write_stats_table(w, &c.dir, &st))?;
            }
            Ok(st.documents > 0)
        }
        IndexCommand::Verify(c) => {
            let problems = Index::verify(&c.dir)?;
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() && !quiet {
                eprintln!("reprint: {}: the index is sound", c.dir.display());
            }
            Ok(problems.is_empty())
        }
        IndexCommand::Remove(c) => {
            let mut w = IndexWriter::open(&c.dir)?;
            let report = w.remove(&c.ids)?;
            if !quiet {
                eprintln!(
                    "reprint: removed {} (commit {}; {} in all)",
                    plural(report.removed, "document", "documents"),
                    report.commit,
                    plural(w.index().documents(), "document", "documents"),
                );
            }
            Ok(true)
        }
        IndexCommand::Compact(c) => {
            let mut w = IndexWriter::open(&c.dir)?;
            let before = w.index().segments().len();
            let report = w.compact()?;
            if !quiet {
                eprintln!(
                    "reprint: compacted {} into {} ({} kept, {} dropped; commit {})",
                    plural(before as u64, "segment", "segments"),
                    w.index().segments().len(),
                    report.added,
                    report.removed,
                    report.commit,
                );
            }
            Ok(true)
        }
    }
}

fn fields(a: &IndexInputArgs) -> DocFields {
    DocFields {
        date_field: a.date_field.clone(),
        source_field: a.source_field.clone(),
    }
}

fn open_input(a: &IndexInputArgs, idx: &Index) -> Result<Corpus> {
    let inputs: Vec<Input> = a.paths.iter().map(|p| Input::parse(p)).collect();
    let options = ReadOptions {
        text_field: idx.options().text_field.clone(),
        id_field: idx.options().id_field.clone(),
        skip_bad_lines: a.skip_bad_lines,
        text_extensions: a
            .ext
            .iter()
            .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
            .collect(),
        max_document_bytes: a.max_doc_mib.saturating_mul(1 << 20),
        extra_field: None,
    };
    Ok(Corpus::open(&inputs, options)?)
}

fn query(c: &args::IndexQueryArgs, quiet: bool) -> Result<bool> {
    let out = &c.out.out;
    out.check()?;
    let mode = crate::config::mode(c.mode, Mode::All);
    let mut timings = Timings::start(c.timings.timings);
    let opts = QueryOptions {
        within: c.within,
        max_bucket: c.max_bucket,
        mode,
    };
    let mut writer = if c.add {
        Some(IndexWriter::open(&c.input.dir)?)
    } else {
        None
    };
    let reader = if c.add {
        None
    } else {
        Some(Index::open(&c.input.dir)?)
    };
    let (corpus, params, archive) = {
        let idx = match (&writer, &reader) {
            (Some(w), _) => w.index(),
            (None, Some(r)) => r,
            (None, None) => unreachable!("one of them is open"),
        };
        (
            open_input(&c.input, idx)?,
            index::params_of(idx.options(), c.max_bucket)?,
            idx.documents(),
        )
    };
    let progress = Progress::new(quiet, corpus.total_bytes());
    let res = match writer.as_mut() {
        Some(w) => w
            .query_and_add(&corpus, &fields(&c.input), &opts, &progress)
            .map(|(r, rep)| (r, Some(rep))),
        None => reader
            .as_ref()
            .expect("open without --add")
            .query(&corpus, &fields(&c.input), &opts, &progress)
            .map(|r| (r, None)),
    };
    progress.finish();
    let (res, added) = res?;
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    warn_input(&res.stats, quiet);
    let view = PairsView {
        docs: &res.docs,
        pairs: &res.pairs,
        params: &params,
        stats: &res.stats,
        candidates: res.candidates,
        mode: mode.name(),
        earlier: true,
    };
    out.write(|w| report::write_pairs(w, format(c.format), &view))?;
    if !quiet {
        eprintln!(
            "reprint: {} between {} and the index's {} ({} verified){}",
            plural(res.pairs.len() as u64, "pair", "pairs"),
            plural(res.stats.documents, "new document", "new documents"),
            plural(archive, "document", "documents"),
            plural(res.candidates as u64, "candidate", "candidates"),
            match &added {
                Some(r) => format!("; added them (commit {})", r.commit),
                None => String::new(),
            }
        );
        if res.star_buckets > 0 {
            eprintln!(
                "reprint: note: {} held more than {} documents and were linked as stars",
                plural(res.star_buckets as u64, "LSH bucket", "LSH buckets"),
                c.max_bucket
            );
        }
    }
    timings.lap("output");
    timings.print(Some(corpus.total_bytes()));
    Ok(!res.pairs.is_empty())
}

fn clusters(c: &args::IndexClustersArgs, quiet: bool) -> Result<bool> {
    let out = &c.out.out;
    out.check()?;
    let mut timings = Timings::start(c.timings.timings);
    let mode = crate::config::mode(c.mode, Mode::All);
    let idx = Index::open(&c.dir)?;
    let params = index::params_of(idx.options(), c.max_bucket)?;
    let live = idx.live();
    let bytes: u64 = live
        .iter()
        .map(|&(s, d)| idx.segments()[s as usize].meta(d).text_len)
        .sum();
    let progress = Progress::new(quiet, bytes);
    let res = idx.story_clusters(mode, c.max_bucket, &progress);
    progress.finish();
    let (res, found) = res?;
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    let dates: Vec<Option<&str>> = live
        .iter()
        .map(|&(s, d)| idx.segments()[s as usize].date_text(d))
        .collect();
    let view = reprint::report::StoryClustersView {
        docs: &res.docs,
        dates: &dates,
        pairs: &res.pairs,
        clusters: &found,
        params: &params,
        mode: mode.name(),
    };
    out.write(|w| report::write_story_clusters(w, format(c.format), &view))?;
    if !quiet {
        eprintln!(
            "reprint: {} in {} from {} among the index's {}",
            plural(found.len() as u64, "cluster", "clusters"),
            plural(
                found.iter().map(|c| c.members.len() as u64).sum(),
                "document",
                "documents"
            ),
            plural(res.pairs.len() as u64, "pair", "pairs"),
            plural(live.len() as u64, "document", "documents"),
        );
    }
    timings.lap("output");
    timings.print(Some(bytes));
    Ok(!found.is_empty())
}

fn write_stats_table(
    w: &mut dyn Write,
    dir: &std::path::Path,
    st: &index::IndexStats,
) -> std::io::Result<()> {
    let o = &st.options;
    writeln!(w, "index       {}", dir.display())?;
    writeln!(w, "documents   {}", st.documents)?;
    writeln!(w, "segments    {}", st.segments)?;
    writeln!(w, "tombstones  {}", st.tombstones)?;
    writeln!(w, "commit      {}", st.commit)?;
    writeln!(w, "bytes       {}", st.bytes)?;
    for (k, v) in &st.sections {
        writeln!(w, "  {k:<10}{v}")?;
    }
    writeln!(
        w,
        "options     ngram {}, perms {} ({}), threshold {}, containment {}, {} bands x {} rows, text field {:?}, id field {:?}",
        o.ngram,
        o.perms,
        o.scheme,
        o.threshold,
        o.containment.map_or_else(|| "none".to_owned(), |c| c.to_string()),
        o.bands,
        o.rows,
        o.text_field,
        o.id_field
    )
}
