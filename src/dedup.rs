//! Writing the documents `dedup` keeps.
//!
//! The kept documents are copied from the input, not re-serialized: a JSON Lines record
//! is written as its original line (every field kept, byte for byte); a document read
//! from a text file is written as its path, one per line. When text files and JSON
//! Lines are mixed in one run, text files are written as JSON objects
//! `{"<id-field>": path, "<text-field>": text}` so the output stays one format.

use std::io::Write;

use crate::corpus::DocTable;
use crate::corpus::{Corpus, Selection, SourceKind};
use crate::error::{Error, Result};
use crate::progress::{Observer, Stage};
use crate::DocIndex;

/// What the kept-documents file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptFormat {
    /// One path per line (all inputs were text files).
    Paths,
    /// JSON Lines.
    JsonLines,
}

/// The output format for a corpus.
pub fn kept_format(corpus: &Corpus) -> KeptFormat {
    if corpus.sources().iter().all(|s| s.kind == SourceKind::Text) {
        KeptFormat::Paths
    } else {
        KeptFormat::JsonLines
    }
}

/// Streams the corpus once more and writes every document not marked in `dropped`.
/// Returns the number written.
pub fn write_kept(
    corpus: &Corpus,
    docs: &DocTable,
    dropped: &[bool],
    out: &mut dyn Write,
    out_name: &str,
    obs: &dyn Observer,
) -> Result<u64> {
    let format = kept_format(corpus);
    let mut selection = Selection::new(corpus.sources().len());
    let mut order: Vec<DocIndex> = Vec::new();
    for d in 0..docs.len() as DocIndex {
        if !dropped[d as usize] {
            let (s, l) = docs.location(d);
            selection.push(s, l, docs.offset(d));
            order.push(d);
        }
    }
    if order.is_empty() {
        return Ok(0);
    }
    obs.stage(Stage::Copy, Some(corpus.total_bytes()));
    let werr = |e: std::io::Error| Error::Write {
        path: out_name.to_owned(),
        source: e,
    };
    let mut cursor = 0usize;
    let opts = corpus.options();
    corpus.read_batches(Some(&selection), Some(obs), |batch| {
        for rec in batch.records() {
            let source = &corpus.sources()[rec.source as usize];
            let Some(&d) = order.get(cursor) else {
                return Err(corpus.changed());
            };
            if docs.location(d) != (rec.source, rec.line) {
                return Err(corpus.changed());
            }
            cursor += 1;
            match (source.kind, format) {
                (SourceKind::JsonLines(_), _) => {
                    // The output is one file: a byte order mark of an input is not
                    // copied into it.
                    let bytes = if rec.line == 1 {
                        crate::corpus::strip_bom(rec.bytes)
                    } else {
                        rec.bytes
                    };
                    out.write_all(bytes).map_err(werr)?;
                    out.write_all(b"\n").map_err(werr)?;
                }
                (SourceKind::Text, KeptFormat::Paths) => {
                    writeln!(out, "{}", source.name).map_err(werr)?;
                }
                (SourceKind::Text | SourceKind::Memory, _) => {
                    let (text, _) = match source.kind {
                        SourceKind::Text => crate::corpus::decode_file(rec.bytes),
                        _ => crate::corpus::decode(rec.bytes),
                    };
                    let id = match source.kind {
                        SourceKind::Memory => docs.id(d).to_owned(),
                        _ => source.name.clone(),
                    };
                    let mut obj = serde_json::Map::new();
                    obj.insert(opts.id_field.clone(), id.into());
                    obj.insert(opts.text_field.clone(), text.into_owned().into());
                    serde_json::to_writer(&mut *out, &obj).map_err(|e| werr(e.into()))?;
                    out.write_all(b"\n").map_err(werr)?;
                }
            }
        }
        Ok(())
    })?;
    Ok(cursor as u64)
}
