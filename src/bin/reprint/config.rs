//! Flags turned into library values: read options, parameters, formats, modes.

use anyhow::{Context, Result};
use reprint::corpus::{Corpus, Input, ReadOptions};
use reprint::mode::Mode;
use reprint::params::{Params, ParamsInput};
use reprint::report::Format;
use reprint::sketch::Scheme;

use crate::args::{self, FormatArg, InputArgs, LshArgs, MatchArgs, SchemeArg};

/// Starts rayon's global pool with `--threads` workers (default: one per core).
pub fn thread_pool(threads: Option<usize>) -> Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting the thread pool")?;
    }
    Ok(())
}

pub fn read_options(a: &InputArgs) -> ReadOptions {
    ReadOptions {
        text_field: a.text_field.clone(),
        id_field: a.id_field.clone(),
        skip_bad_lines: a.skip_bad_lines,
        text_extensions: a
            .ext
            .iter()
            .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
            .collect(),
        // --max-doc-mib is at most 2^20: no overflow on 64-bit targets.
        max_document_bytes: a.max_doc_mib.saturating_mul(1 << 20),
        extra_field: None,
    }
}

pub fn open_corpus(a: &InputArgs) -> Result<Corpus> {
    let inputs: Vec<Input> = a.paths.iter().map(|p| Input::parse(p)).collect();
    Ok(Corpus::open(&inputs, read_options(a))?)
}

pub fn params(m: &MatchArgs) -> Result<Params> {
    Ok(ParamsInput {
        ngram: m.ngram.ngram,
        scheme: match m.scheme {
            SchemeArg::OnePermutation => Scheme::OnePermutation,
            SchemeArg::MultiplyShift => Scheme::MultiplyShift,
        },
        max_bucket: m.max_bucket,
        idf: m.idf.source(),
        ..lsh_input(&m.lsh)
    }
    .validate()?)
}

/// The LSH flags over the library's defaults for the rest (for `explain`).
pub fn lsh_params(l: &LshArgs) -> Result<Params> {
    Ok(lsh_input(l).validate()?)
}

fn lsh_input(l: &LshArgs) -> ParamsInput {
    ParamsInput {
        perms: l.perms,
        threshold: l.threshold,
        containment: l.containment,
        max_size_ratio: l.max_size_ratio,
        bands: l.bands,
        rows: l.rows,
        ..Default::default()
    }
}

pub fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Tsv => Format::Tsv,
    }
}

/// The library's mode of a `--mode` flag, with the command's default.
pub fn mode(m: Option<args::Mode>, default: Mode) -> Mode {
    match m {
        Some(args::Mode::All) => Mode::All,
        Some(args::Mode::NearDup) => Mode::NearDup,
        None => default,
    }
}
