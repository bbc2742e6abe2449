//! Writing the documents `dedup` keeps, the trail of those it drops, and the whole
//! corpus annotated with clusters.
//!
//! The kept documents are copied from the input, not re-serialized: a JSON Lines record
//! is written as its original line (every field kept, byte for byte); a document read
//! from a text file is written as its path, one per line. When text files and JSON
//! Lines are mixed in one run, text files are written as JSON objects
//! `{"<id-field>": path, "<text-field>": text}` so the output stays one format.
//!
//! When every input is Parquet, the output is Parquet: the kept rows with every
//! column, in the schema of the inputs (which must all have the same columns) and
//! the compression of the first input's first column; Parquet mixed with other
//! formats is refused ([`output_format`]), since one output file cannot be both. A
//! `.json` array's elements are written as JSON Lines records, one element a line.
//!
//! The trail ([`removed`], written by `report::write_removed`) has one JSON
//! line per dropped document: `{"id", "cluster_id", "cluster_size", "kept_id",
//! "score", "verdict"}`, where `score` and `verdict` are those of the reported pair of
//! the dropped and the kept document, or `null` when the two are in one cluster
//! through other documents only.
//!
//! The annotated corpus ([`write_annotated`]) has every document, in corpus order,
//! with three fields added: `cluster_id` (`null` for a document in no cluster),
//! `cluster_size` (1 for those) and `keep` (`true` for the documents [`write_kept`]
//! writes). A JSON Lines record is its original line with the fields appended before
//! its closing brace; a record that already has one of these fields is an error. A
//! text file is written as `{"<id-field>": path, ...}` when every input is a text file
//! (the text stays in the file), and with `"<text-field>": text` as well when text
//! files and JSON Lines are mixed, as [`write_kept`] does. A Parquet row gets the
//! three as columns (`cluster_id` and `cluster_size` 64-bit unsigned integers,
//! `cluster_id` null for a document in no cluster; `keep` a boolean); an input that
//! already has one of these columns is an error.

use std::io::Write;

use crate::cluster::{self, Cluster, Keep};
use crate::corpus::DocTable;
use crate::corpus::{Corpus, RawRecord, Selection, Source, SourceKind};
use crate::error::{Error, Result};
use crate::model::{Pair, Verdict};
use crate::progress::{Observer, Stage};
use crate::{DocIndex, Score};

/// The fields [`write_annotated`] adds to each record.
pub const ANNOTATION_FIELDS: [&str; 3] = ["cluster_id", "cluster_size", "keep"];

/// Which cluster each document is in and which document each cluster keeps.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// For each document, its cluster id ([`Cluster::id`]), `None` when it is in none.
    pub cluster: Vec<Option<usize>>,
    /// For each cluster id, the document kept.
    pub kept: Vec<DocIndex>,
    /// For each cluster id, its number of members.
    pub sizes: Vec<usize>,
}

impl Assignment {
    /// Assigns the `n` documents of `docs` to `clusters` (from
    /// [`cluster::clusters`]), keeping one per cluster by `keep`.
    pub fn new(n: usize, clusters: &[Cluster], docs: &DocTable, keep: Keep) -> Self {
        let mut cluster_of = vec![None; n];
        let mut kept = vec![0; clusters.len()];
        let mut sizes = vec![0; clusters.len()];
        for c in clusters {
            kept[c.id] = cluster::kept(c, docs, keep);
            sizes[c.id] = c.members.len();
            for &m in &c.members {
                cluster_of[m as usize] = Some(c.id);
            }
        }
        Assignment {
            cluster: cluster_of,
            kept,
            sizes,
        }
    }

    /// True when `d` is in a cluster and is not the one kept.
    pub fn is_dropped(&self, d: DocIndex) -> bool {
        self.cluster[d as usize].is_some_and(|c| self.kept[c] != d)
    }

    /// For each document, whether it is dropped (the input of [`write_kept`]).
    pub fn dropped(&self) -> Vec<bool> {
        (0..self.cluster.len() as DocIndex)
            .map(|d| self.is_dropped(d))
            .collect()
    }
}

/// A dropped document and the one kept in its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    /// The dropped document.
    pub doc: DocIndex,
    /// Its cluster id.
    pub cluster: usize,
    /// Members of the cluster.
    pub cluster_size: usize,
    /// The document the cluster keeps.
    pub kept: DocIndex,
    /// Score and verdict of the reported pair of `doc` and `kept`, when they are one.
    pub pair: Option<(Score, Verdict)>,
}

/// The dropped documents in corpus order, each with what was kept in its place;
/// `pairs` are the pairs the clusters were built from.
pub fn removed(a: &Assignment, pairs: &[Pair]) -> Vec<Removed> {
    let mut by_pair: ahash::AHashMap<(DocIndex, DocIndex), (Score, Verdict)> =
        ahash::AHashMap::new();
    for p in pairs {
        let key = (p.a.min(p.b), p.a.max(p.b));
        by_pair.entry(key).or_insert((p.score, p.verdict));
    }
    (0..a.cluster.len() as DocIndex)
        .filter(|&d| a.is_dropped(d))
        .map(|d| {
            let c = a.cluster[d as usize].expect("dropped documents are in a cluster");
            let k = a.kept[c];
            Removed {
                doc: d,
                cluster: c,
                cluster_size: a.sizes[c],
                kept: k,
                pair: by_pair.get(&(d.min(k), d.max(k))).copied(),
            }
        })
        .collect()
}

/// What the kept-documents file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptFormat {
    /// One path per line (all inputs were text files).
    Paths,
    /// JSON Lines.
    JsonLines,
    /// Parquet (all inputs were Parquet files).
    Parquet,
}

/// The output format for a corpus (JSON Lines when Parquet is mixed with other
/// formats, which [`output_format`] refuses).
pub fn kept_format(corpus: &Corpus) -> KeptFormat {
    let sources = corpus.sources();
    if sources.iter().all(|s| s.kind == SourceKind::Text) {
        KeptFormat::Paths
    } else if sources.iter().all(|s| s.kind == SourceKind::Parquet) {
        KeptFormat::Parquet
    } else {
        KeptFormat::JsonLines
    }
}

/// The output format for a corpus, or [`Error::MixedInputs`] when Parquet files are
/// mixed with inputs of other formats: the output is one file of one format, Parquet
/// only when every input is. Callers check this before the run to fail early;
/// [`write_kept`] and [`write_annotated`] check it again.
pub fn output_format(corpus: &Corpus) -> Result<KeptFormat> {
    let sources = corpus.sources();
    let parquet = sources.iter().find(|s| s.kind == SourceKind::Parquet);
    let other = sources.iter().find(|s| s.kind != SourceKind::Parquet);
    if let (Some(p), Some(o)) = (parquet, other) {
        return Err(Error::MixedInputs {
            message: format!(
                "{} is Parquet and {} is not: the output is one file, Parquet only when \
                 every input is Parquet; convert the inputs to one format",
                p.name, o.name
            ),
        });
    }
    Ok(kept_format(corpus))
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
    let format = output_format(corpus)?;
    let mut selection = Selection::new(corpus.sources().len());
    let mut order: Vec<DocIndex> = Vec::new();
    for d in 0..docs.len() as DocIndex {
        if !dropped[d as usize] {
            let (s, l) = docs.location(d);
            selection.push(s, l, docs.offset(d));
            order.push(d);
        }
    }
    if format == KeptFormat::Parquet {
        return parquet_out::write(corpus, docs, &selection, &order, None, out, out_name, obs);
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
                (SourceKind::JsonLines(_) | SourceKind::JsonArray(_), _) => {
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
                (SourceKind::Parquet, _) => {
                    unreachable!("Parquet is written by parquet_out")
                }
                (SourceKind::Text | SourceKind::Memory | SourceKind::Store, _) => {
                    let text = match source.kind {
                        SourceKind::Text => crate::corpus::decode_file(rec.bytes).0,
                        SourceKind::Store => corpus.parse(&rec).map_err(|_| corpus.changed())?.text,
                        _ => crate::corpus::decode(rec.bytes).0,
                    };
                    let id = match source.kind {
                        SourceKind::Memory | SourceKind::Store => docs.id(d).to_owned(),
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

/// Streams the corpus once more and writes every document with its cluster, its
/// cluster's size and whether it is kept (see the module docs). Returns the number
/// written.
pub fn write_annotated(
    corpus: &Corpus,
    docs: &DocTable,
    assignment: &Assignment,
    out: &mut dyn Write,
    out_name: &str,
    obs: &dyn Observer,
) -> Result<u64> {
    let format = output_format(corpus)?;
    let mut selection = Selection::new(corpus.sources().len());
    for d in 0..docs.len() as DocIndex {
        let (s, l) = docs.location(d);
        selection.push(s, l, docs.offset(d));
    }
    if format == KeptFormat::Parquet {
        let order: Vec<DocIndex> = (0..docs.len() as DocIndex).collect();
        return parquet_out::write(
            corpus,
            docs,
            &selection,
            &order,
            Some(assignment),
            out,
            out_name,
            obs,
        );
    }
    if docs.is_empty() {
        return Ok(0);
    }
    obs.stage(Stage::Copy, Some(corpus.total_bytes()));
    let werr = |e: std::io::Error| Error::Write {
        path: out_name.to_owned(),
        source: e,
    };
    let opts = corpus.options();
    let mut d: DocIndex = 0;
    corpus.read_batches(Some(&selection), Some(obs), |batch| {
        for rec in batch.records() {
            if d as usize >= docs.len() || docs.location(d) != (rec.source, rec.line) {
                return Err(corpus.changed());
            }
            let source = &corpus.sources()[rec.source as usize];
            let cluster = assignment.cluster[d as usize];
            let size = cluster.map_or(1, |c| assignment.sizes[c]);
            let keep = !assignment.is_dropped(d);
            let tail = format!(
                r#""cluster_id":{},"cluster_size":{size},"keep":{keep}}}"#,
                cluster.map_or_else(|| "null".to_owned(), |c| c.to_string())
            );
            match source.kind {
                SourceKind::Parquet => unreachable!("Parquet is written by parquet_out"),
                SourceKind::JsonLines(_) | SourceKind::JsonArray(_) => {
                    let (head, comma) = open_object(source, &rec)?;
                    out.write_all(head).map_err(werr)?;
                    if comma {
                        out.write_all(b",").map_err(werr)?;
                    }
                    out.write_all(tail.as_bytes()).map_err(werr)?;
                }
                SourceKind::Text | SourceKind::Memory | SourceKind::Store => {
                    let id = match source.kind {
                        SourceKind::Memory | SourceKind::Store => docs.id(d).to_owned(),
                        _ => source.name.clone(),
                    };
                    let mut obj = serde_json::Map::new();
                    obj.insert(opts.id_field.clone(), id.into());
                    if source.kind == SourceKind::Store {
                        let doc = corpus.parse(&rec).map_err(|_| corpus.changed())?;
                        obj.insert(opts.text_field.clone(), doc.text.into_owned().into());
                    } else if source.kind == SourceKind::Memory || format == KeptFormat::JsonLines {
                        let (text, _) = crate::corpus::decode(rec.bytes);
                        obj.insert(opts.text_field.clone(), text.into_owned().into());
                    }
                    let mut line = serde_json::to_vec(&obj).map_err(|e| werr(e.into()))?;
                    line.pop(); // the closing brace
                    line.push(b',');
                    out.write_all(&line).map_err(werr)?;
                    out.write_all(tail.as_bytes()).map_err(werr)?;
                }
            }
            out.write_all(b"\n").map_err(werr)?;
            d += 1;
        }
        Ok(())
    })?;
    Ok(d as u64)
}

/// The record's line up to (not including) its closing brace, and whether the object
/// has members (then a comma must follow); an error when it already has an
/// annotation field.
fn open_object<'a>(source: &Source, rec: &RawRecord<'a>) -> Result<(&'a [u8], bool)> {
    let bad = |message: String| Error::BadField {
        path: source.name.clone().into(),
        line: rec.line,
        message,
    };
    let bytes = rec.bytes;
    for name in ANNOTATION_FIELDS {
        let quoted = format!("\"{name}\"");
        if memchr::memmem::find(bytes, quoted.as_bytes()).is_some() && has_key(bytes, name) {
            return Err(bad(format!(
                "the record already has a field {name:?}, which --annotate adds"
            )));
        }
    }
    let Some(body) = bytes.trim_ascii_end().strip_suffix(b"}") else {
        return Err(bad("not a JSON object".into()));
    };
    let empty = body.trim_ascii_end().ends_with(b"{");
    Ok((body, !empty))
}

/// True when the JSON object `line` has the top-level key `name`.
fn has_key(line: &[u8], name: &str) -> bool {
    serde_json::from_slice::<std::collections::HashMap<String, serde::de::IgnoredAny>>(line)
        .is_ok_and(|m| m.contains_key(name))
}

/// Writing Parquet output: the selected rows of every input, all columns.
mod parquet_out {
    use super::*;

    /// Writes the rows of `selection` (the documents `order`, in corpus order) of a
    /// corpus of Parquet files as one Parquet file, with the annotation columns when
    /// `annotate` is given. Returns the number of rows written.
    #[cfg(feature = "parquet")]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn write(
        corpus: &Corpus,
        docs: &DocTable,
        selection: &Selection,
        order: &[DocIndex],
        annotate: Option<&Assignment>,
        out: &mut dyn Write,
        out_name: &str,
        obs: &dyn Observer,
    ) -> Result<u64> {
        use crate::corpus::parquet::{with_fields, ParquetSink};
        use arrow_array::{ArrayRef, BooleanArray, RecordBatch, UInt64Array};
        use arrow_schema::{DataType, Field};
        use std::sync::Arc;

        let werr = |e: std::io::Error| Error::Write {
            path: out_name.to_owned(),
            source: e,
        };
        let sources = corpus.sources();
        let files = (0..sources.len())
            .map(|i| corpus.parquet_file(i))
            .collect::<Result<Vec<_>>>()?;
        let Some(first) = files.first() else {
            return Ok(0);
        };
        let schema = first.schema().clone();
        for (i, f) in files.iter().enumerate().skip(1) {
            if f.schema().fields() != schema.fields() {
                return Err(Error::MixedInputs {
                    message: format!(
                        "{} and {} have different columns: the output is one Parquet file \
                         of one schema",
                        sources[0].name, sources[i].name
                    ),
                });
            }
        }
        let out_schema = match annotate {
            None => schema.clone(),
            Some(_) => {
                if let Some(name) = ANNOTATION_FIELDS
                    .iter()
                    .find(|n| schema.fields().iter().any(|f| f.name() == *n))
                {
                    return Err(Error::Parquet {
                        location: sources[0].name.clone(),
                        message: format!(
                            "the file already has a column {name:?}, which --annotate adds"
                        ),
                    });
                }
                with_fields(
                    &schema,
                    vec![
                        Field::new("cluster_id", DataType::UInt64, true),
                        Field::new("cluster_size", DataType::UInt64, false),
                        Field::new("keep", DataType::Boolean, false),
                    ],
                )
            }
        };
        let mut sink = ParquetSink::new(out_schema.clone(), first.compression())
            .map_err(|e| werr(std::io::Error::other(e)))?;
        obs.stage(Stage::Copy, Some(corpus.total_bytes()));
        let mut cursor = 0usize;
        for (idx, file) in files.iter().enumerate() {
            let rows: Vec<u64> = selection.lines[idx].iter().map(|&(l, _)| l).collect();
            if rows.is_empty() {
                continue;
            }
            file.for_each_batch(None, Some(&rows), Some(obs), 1, |batch, numbers| {
                let start = cursor;
                for &row in numbers {
                    let Some(&d) = order.get(cursor) else {
                        return Err(corpus.changed());
                    };
                    if docs.location(d) != (idx as u32, row) {
                        return Err(corpus.changed());
                    }
                    cursor += 1;
                }
                let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
                if let Some(a) = annotate {
                    let ds = &order[start..cursor];
                    let cluster = |d: &DocIndex| a.cluster[*d as usize];
                    columns.push(Arc::new(
                        ds.iter()
                            .map(|d| cluster(d).map(|c| c as u64))
                            .collect::<UInt64Array>(),
                    ));
                    columns.push(Arc::new(
                        ds.iter()
                            .map(|d| Some(cluster(d).map_or(1, |c| a.sizes[c]) as u64))
                            .collect::<UInt64Array>(),
                    ));
                    columns.push(Arc::new(
                        ds.iter()
                            .map(|&d| Some(!a.is_dropped(d)))
                            .collect::<BooleanArray>(),
                    ));
                }
                let batch = RecordBatch::try_new(out_schema.clone(), columns).map_err(|e| {
                    Error::Parquet {
                        location: sources[idx].name.clone(),
                        message: format!("its rows do not fit the output's columns: {e}"),
                    }
                })?;
                sink.write(&batch, out).map_err(werr)?;
                Ok(true)
            })?;
        }
        if cursor != order.len() {
            return Err(corpus.changed());
        }
        sink.finish(out).map_err(werr)?;
        Ok(cursor as u64)
    }

    /// Without the `parquet` feature no source is Parquet.
    #[cfg(not(feature = "parquet"))]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn write(
        corpus: &Corpus,
        _docs: &DocTable,
        _selection: &Selection,
        _order: &[DocIndex],
        _annotate: Option<&Assignment>,
        _out: &mut dyn Write,
        _out_name: &str,
        _obs: &dyn Observer,
    ) -> Result<u64> {
        Err(Error::ParquetDisabled {
            path: corpus.sources()[0].name.clone().into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_drops_what_cluster_dropped_drops() {
        let mut docs = DocTable::default();
        for (i, w) in [5, 9, 9, 1, 7, 7, 3].iter().enumerate() {
            docs.push(&format!("d{i}"), 0, i as u64 + 1, 0, *w);
        }
        let groups = cluster::clusters(7, [(0, 1), (1, 2), (4, 5), (3, 6)]);
        for keep in [Keep::First, Keep::Longest] {
            let a = Assignment::new(7, &groups, &docs, keep);
            assert_eq!(a.dropped(), cluster::dropped(7, &groups, &docs, keep));
        }
        let a = Assignment::new(7, &groups, &docs, Keep::Longest);
        let r = removed(&a, &[]);
        let got: Vec<(DocIndex, usize, DocIndex)> =
            r.iter().map(|r| (r.doc, r.cluster, r.kept)).collect();
        assert_eq!(got, vec![(0, 0, 1), (2, 0, 1), (3, 1, 6), (5, 2, 4)]);
        assert!(r.iter().all(|r| r.pair.is_none()));
    }
}
