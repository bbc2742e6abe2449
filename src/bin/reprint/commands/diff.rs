//! `reprint diff A B`: the aligned paragraphs of two documents, with word changes.

use std::io::{self, IsTerminal};

use anyhow::{Context, Result};
use reprint::corpus::{Corpus, Input, ReadOptions};

use crate::args::{self, DiffArgs};
use crate::progress::{Progress, Timings};

/// Reads a document for `diff`: a whole file, at most `max` bytes.
fn read_text_file(path: &str, max: usize) -> Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).with_context(|| format!("reading {path}"))?;
    let mut bytes = Vec::new();
    file.take((max as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {path}"))?;
    if bytes.len() > max {
        return Err(reprint::Error::Oversized {
            location: path.to_owned(),
            max,
        }
        .into());
    }
    if reprint::corpus::looks_binary_file(&bytes) {
        anyhow::bail!("{path}: looks like a binary file (contains NUL bytes)");
    }
    let (text, lossy) = reprint::corpus::decode_file(&bytes);
    if lossy {
        crate::messages::say!(
            "reprint: warning: {path} is not valid UTF-8; decoded with U+FFFD replacements"
        );
    }
    Ok(text.into_owned())
}

pub fn run(a: &DiffArgs, quiet: bool) -> Result<bool> {
    use reprint::report::diff::{self, Color, DiffView, Side};
    let out = &a.out.out;
    out.check()?;
    // Stage times of a run that reads a corpus.
    let mut timings = Timings::start(a.timings && (!a.corpus.is_empty() || a.index.is_some()));
    let mut cmp = reprint::compare::Comparer::new(a.ngram.ngram);
    let mut input_bytes = None;
    let max = a.max_doc_mib.saturating_mul(1 << 20);
    let (ta, tb, idf, boiler) = if let Some(dir) = &a.index {
        let idx = reprint::index::Index::open(dir)?;
        let get = |id: &str| -> Result<String> {
            idx.text(id)?.with_context(|| {
                format!("no document with id {id:?} in the index {}", dir.display())
            })
        };
        let (ta, tb) = (get(&a.a)?, get(&a.b)?);
        timings.lap("read");
        (ta, tb, None, None)
    } else if a.corpus.is_empty() {
        let ta = read_text_file(&a.a, max)?;
        // `diff X X` reads X once (it may be a FIFO).
        let tb = if a.b == a.a {
            ta.clone()
        } else {
            read_text_file(&a.b, max)?
        };
        (ta, tb, None, None)
    } else {
        let inputs: Vec<Input> = a.corpus.iter().map(|p| Input::parse(p)).collect();
        let options = ReadOptions {
            text_field: a.text_field.clone(),
            id_field: a.id_field.clone(),
            max_document_bytes: max,
            ..ReadOptions::default()
        };
        let corpus = Corpus::open(&inputs, options)?;
        let progress = Progress::new(quiet, corpus.total_bytes());
        let found = reprint::mode::context::corpus_context(&corpus, &[&a.a, &a.b], &progress);
        progress.finish();
        let found = found?;
        timings.lap("read+context");
        input_bytes = Some(corpus.total_bytes());
        let mut texts = found.texts.into_iter();
        let (ta, tb) = (texts.next().flatten(), texts.next().flatten());
        let ta = ta.with_context(|| format!("no document with id {:?} in the corpus", a.a))?;
        let tb = tb.with_context(|| format!("no document with id {:?} in the corpus", a.b))?;
        (ta, tb, Some(found.idf), Some(found.boilerplate))
    };
    let is_boiler = |k: u64| {
        boiler
            .as_ref()
            .is_some_and(|b: &ahash::AHashSet<u64>| b.contains(&k))
    };
    let pa = cmp.prepare(&ta, &is_boiler);
    let pb = cmp.prepare(&tb, &is_boiler);
    let comparison = match a.idf.idf {
        args::IdfArg::Background => cmp.compare(&pa, &pb, None),
        args::IdfArg::Corpus => {
            let local = idf.unwrap_or_else(|| {
                reprint::compare::docscore::DocIdf::of_pair(&pa.analyzed, &pb.analyzed)
            });
            cmp.compare(&pa, &pb, Some(&local))
        }
    };
    timings.lap("compare");
    let view = DiffView::new(
        Side {
            id: &a.a,
            text: &ta,
            analyzed: &pa.analyzed,
        },
        Side {
            id: &a.b,
            text: &tb,
            analyzed: &pb.analyzed,
        },
        &comparison,
    );
    match a.format {
        args::DiffFormat::Json => out.write(|w| diff::write_json(w, &view))?,
        args::DiffFormat::Html => out.write(|w| diff::write_html(w, &view))?,
        args::DiffFormat::Terminal => {
            let to_terminal = out.is_stdout() && io::stdout().is_terminal();
            let color = match a.color {
                args::ColorArg::Always => Color::Always,
                args::ColorArg::Never => Color::Never,
                args::ColorArg::Auto => {
                    if to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
                        Color::Always
                    } else {
                        Color::Never
                    }
                }
            };
            let width = a.width.unwrap_or_else(|| {
                if to_terminal {
                    terminal_size::terminal_size().map_or(100, |(w, _)| w.0 as usize)
                } else {
                    100
                }
            });
            out.write(|w| diff::write_terminal(w, &view, width, color))?;
        }
    }
    timings.lap("output");
    timings.print(input_bytes);
    Ok(comparison.verdict.is_some())
}
