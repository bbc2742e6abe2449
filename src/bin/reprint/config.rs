//! Flags turned into library values: read options, parameters, formats, modes.

use anyhow::Result;
use reprint::corpus::{Corpus, Input, ReadOptions};
use reprint::mode::Mode;
use reprint::params::{Params, ParamsInput};
use reprint::report::Format;
use reprint::sketch::Scheme;

use crate::args::{self, FormatArg, InputArgs, MatchArgs, SchemeArg};

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
        max_document_bytes: a.max_doc_mib.saturating_mul(1 << 20),
    }
}

pub fn open_corpus(a: &InputArgs) -> Result<Corpus> {
    let inputs: Vec<Input> = a.paths.iter().map(|p| Input::parse(p)).collect();
    Ok(Corpus::open(&inputs, read_options(a))?)
}

pub fn params(m: &MatchArgs) -> Result<Params> {
    Ok(ParamsInput {
        ngram: m.ngram,
        perms: m.perms,
        scheme: match m.scheme {
            SchemeArg::OnePermutation => Scheme::OnePermutation,
            SchemeArg::MultiplyShift => Scheme::MultiplyShift,
        },
        threshold: m.threshold,
        containment: m.containment,
        max_size_ratio: m.max_size_ratio,
        bands: m.bands,
        rows: m.rows,
        max_bucket: m.max_bucket,
    }
    .validate()?)
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
