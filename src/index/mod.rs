//! A persistent, incremental index: a directory of immutable segment files plus a
//! manifest, so that new documents can be checked against an archive without
//! re-reading it.
//!
//! * [`segment`]: the segment file (document table, texts compressed in blocks with
//!   random access by document, one sorted run of `(band key, document)` per LSH band),
//!   checksummed section by section and read by memory mapping.
//! * [`manifest`]: the manifest (options that fix the index's meaning, segments,
//!   tombstones, a commit counter), the commit protocol and the write lock.
//! * [`Index`] opens the last commit for reading (stats, verify, texts by id, queries);
//!   [`IndexWriter`] holds the lock and commits (add, query and add, remove, compact).
//!
//! Documents are numbered in the archive's order: segments in manifest order, then
//! the documents of a segment in the order they were added. A query over the index
//! with new documents N gives the pairs that [`crate::mode::near_dup`] gives over the
//! archive followed by N, among the pairs touching N: buckets are taken over the
//! archive's live documents and N together, and a bucket larger than `max_bucket`
//! becomes a star around its first document in that order. In the default mode
//! ([`QueryOptions::mode`] = [`Mode::All`]) it gives the pairs of
//! [`crate::mode::all`] over the same documents, by running it over
//! [`Index::corpus`] (the stored texts, a [`DocStore`]) followed by N.

pub mod clusters;
pub mod manifest;
pub mod query;
pub mod segment;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ahash::{AHashMap, AHashSet};

use crate::corpus::{
    parse_fields_with, Batch, Corpus, DocStore, DocTable, InputStats, ReadOptions, RecordProblem,
    SourceKind, StoredDoc,
};
use crate::error::{Error, Result};
use crate::mode::Mode;
use crate::params::{Params, ParamsInput};
use crate::progress::{Observer, Stage};
use crate::shingle::Shingler;
use crate::sketch::{MinHasher, Scheme};

pub use clusters::{StoryCluster, StoryMember};
pub use manifest::{IndexOptions, Manifest, SegmentEntry, Tombstone};
pub use query::QueryOptions;
pub use segment::Segment;

use manifest::{remove_unreferenced, WriteLock, SHINGLE_VERSION};
use segment::{NewDoc, SegmentWriter, Written};

/// Per-document fields read from the input besides the id and the text: JSON fields
/// of JSON Lines records, or columns of texts in memory ([`Corpus::with_column`]).
#[derive(Debug, Clone, Default)]
pub struct DocFields {
    /// JSON field (or in-memory column) with an ISO 8601 date or date-time. Inputs
    /// other than JSON Lines and texts in memory are refused when it is set.
    pub date_field: Option<String>,
    /// JSON field (or in-memory column) with the document's source (outlet, agency,
    /// site).
    pub source_field: Option<String>,
}

/// Parses an ISO 8601 date (`2024-05-01`, midnight UTC) or date-time (with `Z` or an
/// offset, or without one, taken as UTC) into seconds since the Unix epoch.
///
/// ```
/// use reprint::index::parse_date;
/// assert_eq!(parse_date("1970-01-02"), Some(86_400));
/// assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0));
/// assert_eq!(parse_date("1970-01-01T00:00:10"), Some(10));
/// assert_eq!(parse_date("yesterday"), None);
/// ```
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_second());
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return jiff::tz::TimeZone::UTC
            .to_timestamp(dt)
            .ok()
            .map(|t| t.as_second());
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return jiff::tz::TimeZone::UTC
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .ok()
            .map(|t| t.as_second());
    }
    None
}

/// The validated parameters of an index's options, with `max_bucket` for queries.
pub fn params_of(o: &IndexOptions, max_bucket: usize) -> Result<Params> {
    ParamsInput {
        ngram: o.ngram,
        perms: o.perms,
        scheme: scheme_of(&o.scheme)?,
        threshold: o.threshold,
        containment: o.containment,
        max_size_ratio: o.max_size_ratio,
        bands: Some(o.bands),
        rows: Some(o.rows),
        max_bucket,
        // Near-dup queries verify by exact Jaccard; IDF is not used.
        idf: crate::compare::docscore::IdfSource::Background,
    }
    .validate()
}

fn scheme_of(name: &str) -> Result<Scheme> {
    match name {
        "one-permutation" => Ok(Scheme::OnePermutation),
        "multiply-shift" => Ok(Scheme::MultiplyShift),
        other => Err(Error::invalid(
            "scheme",
            format!("unknown MinHash scheme {other:?} in the index"),
        )),
    }
}

/// The options of a new index from validated parameters and the JSON fields.
pub fn options_of(params: &Params, text_field: &str, id_field: &str) -> IndexOptions {
    IndexOptions {
        ngram: params.ngram(),
        perms: params.perms(),
        scheme: params.scheme().name().to_owned(),
        threshold: params.threshold(),
        containment: params.containment(),
        max_size_ratio: params.max_size_ratio(),
        bands: params.lsh().bands(),
        rows: params.lsh().rows(),
        shingle_version: SHINGLE_VERSION,
        text_field: text_field.to_owned(),
        id_field: id_field.to_owned(),
    }
}

/// Creates an empty index in `dir` (created; it must not exist or be empty).
pub fn create(dir: &Path, options: IndexOptions) -> Result<()> {
    params_of(&options, crate::params::DEFAULT_MAX_BUCKET)?;
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::IndexExists {
                    path: dir.to_path_buf(),
                    reason:
                        "exists and is not empty; an index is created in a new or empty directory"
                            .into(),
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(Error::IndexExists {
                path: dir.to_path_buf(),
                reason: "exists and is not a directory".into(),
            })
        }
        Err(e) => return Err(Error::io(dir, e)),
    }
    let _lock = WriteLock::acquire(dir)?;
    Manifest::new(options).commit(dir)
}

/// Where a live document of the archive is: segment (in manifest order) and number.
pub type DocRef = (u32, u32);

/// The last commit of an index, open for reading. Segments are memory-mapped and
/// checked as they are opened (see [`segment`]).
#[derive(Debug)]
pub struct Index {
    dir: PathBuf,
    manifest: Manifest,
    segments: Vec<Arc<Segment>>,
    /// Tombstoned document numbers, per segment.
    dead: Vec<AHashSet<u32>>,
}

impl Index {
    /// Opens the last commit of the index in `dir`.
    pub fn open(dir: &Path) -> Result<Index> {
        // A compaction may commit and remove the segments we are about to open between
        // our reading the manifest and opening them: then read the new manifest.
        let mut tries = 0;
        loop {
            let manifest = Manifest::read(dir)?;
            match Index::open_at(dir, manifest) {
                Err(Error::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound && tries < 3 =>
                {
                    tries += 1;
                }
                r => return r,
            }
        }
    }

    fn open_at(dir: &Path, manifest: Manifest) -> Result<Index> {
        let bands = manifest.options.bands;
        let mut segments = Vec::with_capacity(manifest.segments.len());
        for e in &manifest.segments {
            let path = dir.join(&e.file);
            let seg = Segment::open(&path, bands)?;
            let mismatch = |what: &str| Error::IndexCorrupt {
                path: path.clone(),
                section: "header".into(),
                reason: format!("{what} differs from the manifest"),
            };
            if format!("{:016x}", seg.checksum()) != e.checksum {
                return Err(mismatch("the checksum"));
            }
            if seg.len() as u64 != e.docs {
                return Err(mismatch("the document count"));
            }
            if seg.file_len() != e.bytes {
                return Err(mismatch("the size"));
            }
            segments.push(Arc::new(seg));
        }
        let mut dead = vec![AHashSet::new(); segments.len()];
        for t in &manifest.tombstones {
            let s = manifest.segments.iter().position(|e| e.file == t.segment);
            match s {
                Some(s) if (t.doc as usize) < segments[s].len() => {
                    dead[s].insert(t.doc);
                }
                _ => {
                    return Err(Error::IndexCorrupt {
                        path: dir.join(manifest::MANIFEST),
                        section: "manifest".into(),
                        reason: format!("tombstone of {:?} names no document", t.id),
                    })
                }
            }
        }
        Ok(Index {
            dir: dir.to_path_buf(),
            manifest,
            segments,
            dead,
        })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The committed manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The options that fix the index's meaning.
    pub fn options(&self) -> &IndexOptions {
        &self.manifest.options
    }

    /// The segments, in document order.
    pub fn segments(&self) -> &[Arc<Segment>] {
        &self.segments
    }

    /// True when document `d` of segment `s` is live (not removed).
    pub fn is_live(&self, s: u32, d: u32) -> bool {
        !self.dead[s as usize].contains(&d)
    }

    /// Live documents.
    pub fn documents(&self) -> u64 {
        self.segments.iter().map(|s| s.len() as u64).sum::<u64>()
            - self.manifest.tombstones.len() as u64
    }

    /// The live document with this id.
    pub fn find(&self, id: &str) -> Option<DocRef> {
        for (s, seg) in self.segments.iter().enumerate() {
            if let Some(d) = seg.find(id) {
                if self.is_live(s as u32, d) {
                    return Some((s as u32, d));
                }
            }
        }
        None
    }

    /// The stored text of a live document, by id.
    pub fn text(&self, id: &str) -> Result<Option<String>> {
        match self.find(id) {
            Some((s, d)) => self.segments[s as usize].text(d).map(Some),
            None => Ok(None),
        }
    }

    /// The live documents, in archive order, as a [`DocStore`] (texts read from
    /// the segments block by block).
    pub fn store(&self) -> StoredDocs {
        let mut docs = Vec::new();
        let mut bytes = 0;
        for (s, seg) in self.segments.iter().enumerate() {
            for d in 0..seg.len() as u32 {
                if self.is_live(s as u32, d) {
                    docs.push((s as u32, d));
                    bytes += seg.meta(d).text_len;
                }
            }
        }
        StoredDocs {
            segments: self.segments.clone(),
            docs,
            bytes,
        }
    }

    /// The live documents as a corpus (one source named by the index directory):
    /// every mode runs over it as over the files they were added from, texts read
    /// from the index.
    pub fn corpus(&self) -> Result<Corpus> {
        self.corpus_with_sources(None)
    }

    /// [`Index::corpus`], each document's stored source as the read options'
    /// [`ReadOptions::extra_field`] named `field` (what `sources --group-field`
    /// compares) when given.
    pub fn corpus_with_sources(&self, field: Option<String>) -> Result<Corpus> {
        Corpus::from_store(
            &self.dir.display().to_string(),
            Arc::new(self.store()),
            ReadOptions {
                extra_field: field,
                ..stored_read_options()
            },
        )
    }

    /// Gives the documents of `docs` (a run over [`Index::corpus`], possibly
    /// followed by more documents) their dates and sources from the index: the first
    /// documents are the index's live ones in archive order.
    pub fn set_fields(&self, docs: &mut DocTable) {
        set_fields_from(&self.store(), docs, 0);
    }

    /// The live documents in archive order: record `n + 1` of [`Index::corpus`] is
    /// the `n`-th.
    pub fn live(&self) -> Vec<DocRef> {
        self.store().docs
    }

    /// The reprint clusters of the live documents ([`clusters`]): the pairs of `mode`
    /// over [`Index::corpus`] with the index's options (dates and sources set from
    /// the index), and their clusters with origins.
    pub fn story_clusters(
        &self,
        mode: Mode,
        max_bucket: usize,
        obs: &dyn Observer,
    ) -> Result<(crate::mode::PairsResult, Vec<StoryCluster>)> {
        let params = params_of(self.options(), max_bucket)?;
        let corpus = self.corpus()?;
        let mut res = crate::mode::find_pairs(mode, &corpus, &params, obs)?;
        self.set_fields(&mut res.docs);
        let found = clusters::story_clusters(&res);
        Ok((res, found))
    }

    /// A document's location for messages: where it was read from, and its segment.
    pub fn location(&self, (s, d): DocRef) -> String {
        let seg = &self.segments[s as usize];
        format!(
            "{} (in the index, {})",
            seg.origin(d),
            self.manifest.segments[s as usize].file
        )
    }

    /// Checks everything (see [`Segment::verify`]) and the manifest's counts and
    /// tombstones; returns the problems found (none: the index is sound).
    pub fn verify(dir: &Path) -> Result<Vec<String>> {
        let manifest = Manifest::read(dir)?;
        let mut problems = Vec::new();
        let bands = manifest.options.bands;
        let mut segs = Vec::new();
        for e in &manifest.segments {
            let path = dir.join(&e.file);
            match Segment::open(&path, bands) {
                Err(err) => problems.push(err.to_string()),
                Ok(seg) => {
                    if format!("{:016x}", seg.checksum()) != e.checksum {
                        problems.push(format!(
                            "{}: header checksum differs from the manifest",
                            path.display()
                        ));
                    }
                    if seg.len() as u64 != e.docs {
                        problems.push(format!(
                            "{}: {} documents, the manifest says {}",
                            path.display(),
                            seg.len(),
                            e.docs
                        ));
                    }
                    if seg.file_len() != e.bytes {
                        problems.push(format!(
                            "{}: {} bytes, the manifest says {}",
                            path.display(),
                            seg.file_len(),
                            e.bytes
                        ));
                    }
                    problems.extend(seg.verify());
                    segs.push((e.file.clone(), seg));
                }
            }
        }
        if !problems.is_empty() {
            return Ok(problems);
        }
        let mut dead: AHashSet<(usize, u32)> = AHashSet::new();
        for t in &manifest.tombstones {
            match segs.iter().position(|(f, _)| *f == t.segment) {
                Some(s) if (t.doc as usize) < segs[s].1.len() && segs[s].1.id(t.doc) == t.id => {
                    if !dead.insert((s, t.doc)) {
                        problems.push(format!("tombstone of {:?} given twice", t.id));
                    }
                }
                _ => problems.push(format!("tombstone of {:?} names no document", t.id)),
            }
        }
        let mut seen: AHashMap<&str, (usize, u32)> = AHashMap::new();
        for (s, (_, seg)) in segs.iter().enumerate() {
            for d in 0..seg.len() as u32 {
                if dead.contains(&(s, d)) {
                    continue;
                }
                if let Some(&(s0, d0)) = seen.get(seg.id(d)) {
                    problems.push(format!(
                        "document id {:?} is live twice: {} and {}",
                        seg.id(d),
                        segs[s0].1.origin(d0),
                        seg.origin(d)
                    ));
                } else {
                    seen.insert(seg.id(d), (s, d));
                }
            }
        }
        Ok(problems)
    }

    /// Runs a query of the documents of `corpus` against the index in the mode of
    /// `opts` (see [`query`]). The new documents are staged in a temporary segment, which is
    /// dropped afterwards.
    pub fn query(
        &self,
        corpus: &Corpus,
        fields: &DocFields,
        opts: &QueryOptions,
        obs: &dyn Observer,
    ) -> Result<crate::mode::PairsResult> {
        let params = params_of(self.options(), opts.max_bucket)?;
        let tmp = tempfile::Builder::new()
            .prefix("reprint-query-")
            .tempdir()
            .map_err(|e| Error::io(std::env::temp_dir(), e))?;
        // Removed with its segment by a Ctrl-C handler (`reprint_fs::remove_all_then`).
        let _registered = reprint_fs::register(tmp.path());
        let path = tmp.path().join("seg-query.rps");
        let (_, stats, staged) = self.stage(corpus, &params, fields, &path, false, obs)?;
        match opts.mode {
            Mode::NearDup => query::run(self, &staged, stats, &params, opts, obs),
            Mode::All => query::run_all(self, staged, stats, &params, opts, obs),
        }
    }

    /// Reads `corpus` into a new segment file at `path`: streams the texts into
    /// blocks, sketches every document, and refuses ids already live in the index or
    /// given twice.
    fn stage(
        &self,
        corpus: &Corpus,
        params: &Params,
        fields: &DocFields,
        path: &Path,
        durable: bool,
        obs: &dyn Observer,
    ) -> Result<(Written, InputStats, Segment)> {
        let written = stage_into(self, corpus, params, fields, path, durable, obs)?;
        let (written, stats) = written;
        let seg = Segment::open(path, self.options().bands)?;
        // Ids given twice among the new documents: neighbours in id order.
        let order: Vec<u32> = seg.id_order().collect();
        if let Some(w) = order.windows(2).find(|w| seg.id(w[0]) == seg.id(w[1])) {
            return Err(Error::DuplicateId {
                id: seg.id(w[0]).to_owned(),
                first: seg.origin(w[0].min(w[1])).to_owned(),
                second: seg.origin(w[0].max(w[1])).to_owned(),
            });
        }
        Ok((written, stats, seg))
    }
}

struct Staged {
    id: String,
    origin: String,
    /// Length of the text in bytes, and its offset in its block.
    text_len: u64,
    in_block: u64,
    words: usize,
    keys: Option<Vec<u64>>,
    date: Option<(i64, String)>,
    source: Option<String>,
    lossy: bool,
    id_missing: bool,
}

/// A compressed block of texts and the number of documents in it.
type Block = (Vec<u8>, usize);

enum StageProblem {
    Record(RecordProblem),
    Date { field: String, value: String },
}

fn stage_into(
    index: &Index,
    corpus: &Corpus,
    params: &Params,
    fields: &DocFields,
    path: &Path,
    durable: bool,
    obs: &dyn Observer,
) -> Result<(Written, InputStats)> {
    // Dates and sources are fields of JSON Lines records (or in-memory columns); from
    // any other input they would be missing without a word.
    for (name, field) in [
        ("date_field", &fields.date_field),
        ("source_field", &fields.source_field),
    ] {
        let Some(field) = field else { continue };
        let other = corpus
            .sources()
            .iter()
            .find(|s| !matches!(s.kind, SourceKind::JsonLines(_) | SourceKind::Memory));
        if let Some(s) = other {
            return Err(Error::InvalidParameter {
                name,
                requirement: format!(
                    "({field:?}) is read from JSON Lines records and in-memory columns \
                     only, and {} is not JSON Lines",
                    s.name
                ),
            });
        }
    }
    let hasher = MinHasher::new(params.scheme(), params.perms());
    let lsh = params.lsh();
    let mut writer = SegmentWriter::create(path, lsh.bands())?;
    if !durable {
        writer = writer.without_sync();
    }
    let mut stats = InputStats {
        other_files_skipped: corpus.walk_stats().other_files_skipped,
        links_skipped: corpus.walk_stats().links_skipped,
        id_field: corpus.options().id_field.clone(),
        ..Default::default()
    };
    let opts = corpus.options();
    let extra = |rec: &crate::corpus::RawRecord, field: &Option<String>| -> Option<String> {
        let field = field.as_deref()?;
        match corpus.sources()[rec.source as usize].kind {
            SourceKind::JsonLines(_) => {}
            // Texts in memory: the corpus's column of that name (`Corpus::with_column`).
            SourceKind::Memory => {
                return corpus
                    .memory_value(rec.source, rec.line, field)
                    .map(str::to_owned)
            }
            _ => return None,
        }
        let (line, _) = crate::corpus::decode(rec.bytes);
        parse_fields_with(&line, &opts.text_field, &opts.id_field, Some(field))
            .ok()
            .and_then(|f| f.extra.map(|c| c.into_owned()))
    };
    obs.stage(Stage::Sketch, Some(corpus.total_bytes()));
    // Texts are compressed into blocks by the workers, batch by batch (a block
    // never spans two batches), so that compression runs in parallel.
    let work = |batch: &Batch| -> (Vec<Result<Staged, StageProblem>>, Vec<Block>) {
        let mut shingler = Shingler::new(params.ngram());
        let mut buf = Vec::new();
        let mut sig = vec![0u64; params.perms()];
        let mut block: Vec<u8> = Vec::new();
        let mut in_block = 0usize;
        let mut blocks: Vec<Block> = Vec::new();
        let flush = |block: &mut Vec<u8>, n: &mut usize, blocks: &mut Vec<Block>| {
            if *n > 0 {
                blocks.push((segment::compress(block), *n));
                block.clear();
                *n = 0;
            }
        };
        let docs = batch
            .records()
            .iter()
            .map(|rec| {
                let doc = corpus.parse(rec).map_err(StageProblem::Record)?;
                let date = match extra(rec, &fields.date_field) {
                    None => None,
                    Some(v) => match parse_date(&v) {
                        Some(t) => Some((t, v)),
                        None => {
                            return Err(StageProblem::Date {
                                field: fields.date_field.clone().unwrap_or_default(),
                                value: v,
                            })
                        }
                    },
                };
                buf.clear();
                let words = shingler.shingles(&doc.text, &mut buf);
                let keys = hasher.sketch_into(&buf, &mut sig).then(|| {
                    let mut k = vec![0u64; lsh.bands()];
                    lsh.band_keys(&sig, &mut k);
                    k
                });
                if in_block > 0 && block.len() + doc.text.len() > segment::BLOCK_BYTES {
                    flush(&mut block, &mut in_block, &mut blocks);
                }
                let offset = block.len() as u64;
                block.extend_from_slice(doc.text.as_bytes());
                in_block += 1;
                Ok(Staged {
                    id: doc.id.into_owned(),
                    origin: corpus.location(rec.source, rec.line),
                    text_len: doc.text.len() as u64,
                    in_block: offset,
                    words,
                    keys,
                    date,
                    source: extra(rec, &fields.source_field),
                    lossy: doc.lossy,
                    id_missing: doc.id_missing,
                })
            })
            .collect();
        flush(&mut block, &mut in_block, &mut blocks);
        (docs, blocks)
    };
    corpus.map_batches(None, Some(obs), work, |batch, (results, blocks)| {
        let mut kept: Vec<Staged> = Vec::with_capacity(results.len());
        for (rec, res) in batch.records().iter().zip(results) {
            let d = match res {
                Ok(d) => d,
                Err(StageProblem::Record(p)) => {
                    crate::mode::engine::skip_or_fail(corpus, &mut stats, rec, p)?;
                    continue;
                }
                Err(StageProblem::Date { field, value }) => {
                    let location = corpus.location(rec.source, rec.line);
                    if opts.skip_bad_lines {
                        stats.bad_lines_skipped += 1;
                        stats.example(
                            "bad",
                            format!("{location}: {field:?} is not a date: {value:?}"),
                        );
                        continue;
                    }
                    return Err(Error::BadDate {
                        location,
                        field,
                        value,
                    });
                }
            };
            stats.documents += 1;
            stats.words += d.words as u64;
            stats.text_bytes += d.text_len;
            if d.words == 0 {
                stats.empty += 1;
                stats.example("empty", d.origin.clone());
            } else if d.words < params.ngram() {
                stats.short += 1;
            }
            if d.lossy {
                stats.lossy_utf8 += 1;
                stats.example("lossy", d.origin.clone());
            }
            if d.id_missing {
                stats.id_missing += 1;
                stats.example("id", d.origin.clone());
            }
            if let Some(at) = index.find(&d.id) {
                return Err(Error::DuplicateId {
                    id: d.id,
                    first: index.location(at),
                    second: d.origin,
                });
            }
            kept.push(d);
        }
        let mut docs = kept.iter();
        for (compressed, n) in &blocks {
            let list: Vec<(NewDoc, u64, u64)> = docs
                .by_ref()
                .take(*n)
                .map(|d| {
                    (
                        NewDoc {
                            id: &d.id,
                            origin: &d.origin,
                            date: d.date.as_ref().map(|(t, s)| (*t, s.as_str())),
                            source: d.source.as_deref(),
                            words: d.words.min(u32::MAX as usize) as u32,
                            keys: d.keys.as_deref(),
                        },
                        d.text_len,
                        d.in_block,
                    )
                })
                .collect();
            writer.push_block(compressed, &list)?;
        }
        for &(source, line) in &batch.oversized {
            stats.oversized_skipped += 1;
            stats.example("oversized", corpus.location(source, line));
        }
        Ok(())
    })?;
    Ok((writer.finish()?, stats))
}

/// What a commit did.
#[derive(Debug, Clone, Default)]
pub struct CommitReport {
    /// The commit number now.
    pub commit: u64,
    /// Documents added (or, for compaction, written).
    pub added: u64,
    /// Documents removed (or, for compaction, dropped).
    pub removed: u64,
    /// Files of earlier commits or killed writers removed.
    pub cleaned: usize,
}

/// The writer of an index: holds the lock, so there is one at a time. Taking it
/// removes files no commit names (a killed writer's).
#[derive(Debug)]
pub struct IndexWriter {
    index: Index,
    _lock: WriteLock,
    cleaned: usize,
}

impl IndexWriter {
    /// Takes the write lock of the index in `dir` (failing at once if another process
    /// holds it) and opens its last commit.
    pub fn open(dir: &Path) -> Result<IndexWriter> {
        Manifest::read(dir)?;
        let lock = WriteLock::acquire(dir)?;
        let index = Index::open(dir)?;
        let cleaned = remove_unreferenced(dir, &index.manifest)?;
        Ok(IndexWriter {
            index,
            _lock: lock,
            cleaned,
        })
    }

    /// The last commit.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Releases the lock and returns the last commit (the one this writer made, if
    /// any), open for reading without opening it again.
    pub fn into_index(self) -> Index {
        self.index
    }

    fn next_segment(&self) -> (String, PathBuf) {
        let name = format!("seg-{:08}.rps", self.index.manifest.commit + 1);
        let path = self.index.dir.join(&name);
        (name, path)
    }

    /// Commits `manifest`; `staged` is the new segment it names, registered as a
    /// temporary file until the manifest that names it is in place (a Ctrl-C handler
    /// removes it before, never after).
    fn commit(
        &mut self,
        mut manifest: Manifest,
        report: &mut CommitReport,
        staged: Option<&mut reprint_fs::Registered>,
    ) -> Result<()> {
        manifest.commit += 1;
        manifest.written_by = concat!("reprint ", env!("CARGO_PKG_VERSION")).into();
        // The segments the new commit no longer names are removed in the same
        // critical section as the rename: a Ctrl-C waits for both, so it leaves either
        // the old commit with its files or the new one without the old files.
        let dir = self.index.dir.clone();
        let commit_and_clean = || -> Result<usize> {
            manifest.commit(&dir)?;
            remove_unreferenced(&dir, &manifest)
        };
        let cleaned = match staged {
            Some(r) => r.keep_with(commit_and_clean)?,
            None => reprint_fs::hold(commit_and_clean)?,
        };
        report.commit = manifest.commit;
        self.index = Index::open_at(&dir, manifest)?;
        report.cleaned = self.cleaned + cleaned;
        self.cleaned = 0;
        Ok(())
    }

    /// Commits the staged segment `name` at `path`, or, when it holds no document,
    /// removes it and reports the current commit.
    fn commit_segment(
        &mut self,
        name: String,
        path: &Path,
        written: &Written,
        staged: &mut reprint_fs::Registered,
    ) -> Result<CommitReport> {
        let mut report = CommitReport {
            added: written.docs,
            ..Default::default()
        };
        if written.docs == 0 {
            let _ = std::fs::remove_file(path);
            report.commit = self.index.manifest.commit;
            return Ok(report);
        }
        let mut manifest = self.index.manifest.clone();
        manifest.segments.push(Self::entry(name, written));
        // A failed commit may have failed after the rename: the segment stays, and the
        // next writer removes it if no manifest names it.
        self.commit(manifest, &mut report, Some(staged))?;
        Ok(report)
    }

    fn entry(name: String, w: &Written) -> SegmentEntry {
        SegmentEntry {
            file: name,
            docs: w.docs,
            bytes: w.bytes,
            checksum: format!("{:016x}", w.checksum),
        }
    }

    /// Adds the documents of `corpus` as one new segment and commits. Ids already live
    /// in the index, or given twice, are refused (nothing is committed then).
    pub fn add(
        &mut self,
        corpus: &Corpus,
        fields: &DocFields,
        obs: &dyn Observer,
    ) -> Result<(CommitReport, InputStats)> {
        let params = params_of(self.index.options(), crate::params::DEFAULT_MAX_BUCKET)?;
        let (name, path) = self.next_segment();
        let mut registered = reprint_fs::register(&path);
        let staged = self.index.stage(corpus, &params, fields, &path, true, obs);
        let (written, stats, seg) = match staged {
            Ok(s) => s,
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
        };
        drop(seg);
        let report = self.commit_segment(name, &path, &written, &mut registered)?;
        Ok((report, stats))
    }

    /// [`Index::query`], then adds the queried documents in the same commit.
    pub fn query_and_add(
        &mut self,
        corpus: &Corpus,
        fields: &DocFields,
        opts: &QueryOptions,
        obs: &dyn Observer,
    ) -> Result<(crate::mode::PairsResult, CommitReport)> {
        let params = params_of(self.index.options(), opts.max_bucket)?;
        let (name, path) = self.next_segment();
        let mut registered = reprint_fs::register(&path);
        let run = || -> Result<_> {
            let (written, stats, staged) = self
                .index
                .stage(corpus, &params, fields, &path, true, obs)?;
            let res = match opts.mode {
                Mode::NearDup => query::run(&self.index, &staged, stats, &params, opts, obs)?,
                Mode::All => query::run_all(&self.index, staged, stats, &params, opts, obs)?,
            };
            Ok((written, res))
        };
        let (written, res) = match run() {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
        };
        let report = self.commit_segment(name, &path, &written, &mut registered)?;
        Ok((res, report))
    }

    /// Removes the documents with these ids (tombstones in the manifest) and commits.
    /// An id that is not live in the index is an error, and nothing is removed.
    pub fn remove(&mut self, ids: &[String]) -> Result<CommitReport> {
        let mut manifest = self.index.manifest.clone();
        let mut seen = AHashSet::new();
        for id in ids {
            if !seen.insert(id.as_str()) {
                continue;
            }
            let (s, d) = self
                .index
                .find(id)
                .ok_or_else(|| Error::UnknownId { id: id.clone() })?;
            manifest.tombstones.push(Tombstone {
                segment: manifest.segments[s as usize].file.clone(),
                doc: d,
                id: id.clone(),
            });
        }
        let mut report = CommitReport {
            removed: seen.len() as u64,
            ..Default::default()
        };
        self.commit(manifest, &mut report, None)?;
        Ok(report)
    }

    /// Merges every segment into one, dropping removed documents, and commits; the
    /// old segments are deleted after the commit. Band runs are merged k-way from the
    /// segments' sorted runs (memory: one cursor per segment, plus the document table
    /// and a 4-byte renumbering per document); text blocks whose documents are all
    /// live are copied compressed, the others recompressed.
    pub fn compact(&mut self) -> Result<CommitReport> {
        let idx = &self.index;
        let mut report = CommitReport::default();
        if idx.segments.len() <= 1 && idx.manifest.tombstones.is_empty() {
            report.commit = idx.manifest.commit;
            return Ok(report);
        }
        let (name, path) = self.next_segment();
        let mut registered = reprint_fs::register(&path);
        let written = match compact_into(idx, &path) {
            Ok(w) => w,
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
        };
        report.added = written.docs;
        report.removed = idx.manifest.tombstones.len() as u64;
        let mut manifest = idx.manifest.clone();
        manifest.tombstones.clear();
        manifest.segments.clear();
        if written.docs > 0 {
            manifest.segments.push(Self::entry(name, &written));
            self.commit(manifest, &mut report, Some(&mut registered))?;
        } else {
            let _ = std::fs::remove_file(&path);
            self.commit(manifest, &mut report, None)?;
        }
        Ok(report)
    }
}

fn compact_into(idx: &Index, path: &Path) -> Result<Written> {
    let bands = idx.options().bands;
    let mut w = SegmentWriter::create(path, bands)?;
    let mut remap: Vec<Vec<u32>> = Vec::with_capacity(idx.segments.len());
    for (s, seg) in idx.segments.iter().enumerate() {
        let mut map = vec![u32::MAX; seg.len()];
        for b in 0..seg.blocks() {
            let e = seg.block(b);
            let docs = e.first..e.first + e.docs;
            let all_live = docs.clone().all(|d| idx.is_live(s as u32, d));
            let doc_of = |d: u32| {
                let m = seg.meta(d);
                let date = m.date.map(|t| (t, seg.date_text(d).unwrap_or("")));
                (
                    NewDoc {
                        id: seg.id(d),
                        origin: seg.origin(d),
                        date,
                        source: seg.source(d),
                        words: m.words,
                        // Keys come from the merge of the band runs below.
                        keys: (m.flags & segment::HAS_KEYS != 0).then_some(&[][..]),
                    },
                    m,
                )
            };
            if all_live {
                let raw = seg.block_bytes(b)?;
                let mut list = Vec::with_capacity(e.docs as usize);
                for d in docs {
                    map[d as usize] = w.len() + list.len() as u32;
                    let (nd, m) = doc_of(d);
                    list.push((nd, m.text_len, m.in_block));
                }
                w.push_block(raw, &list)?;
            } else {
                let block = seg.read_block(b)?;
                for d in docs.filter(|&d| idx.is_live(s as u32, d)) {
                    map[d as usize] = w.len();
                    let text = seg.text_in(&block, d)?;
                    let (nd, _) = doc_of(d);
                    w.push(&nd, &text)?;
                }
            }
        }
        remap.push(map);
    }
    let runs: Vec<Vec<segment::BandRun>> = (0..bands)
        .map(|b| idx.segments.iter().map(|s| s.band(b)).collect())
        .collect::<Result<_>>()?;
    w.finish_with(|band, sink| {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let runs = &runs[band];
        let mut pos = vec![0usize; runs.len()];
        let mut heap = BinaryHeap::new();
        let next = |s: usize, pos: &mut [usize]| -> Option<(u64, u32)> {
            while pos[s] < runs[s].len() {
                let i = pos[s];
                pos[s] += 1;
                let new = remap[s][runs[s].doc(i) as usize];
                if new != u32::MAX {
                    return Some((runs[s].key(i), new));
                }
            }
            None
        };
        for s in 0..runs.len() {
            if let Some((k, d)) = next(s, &mut pos) {
                heap.push(Reverse((k, d, s)));
            }
        }
        while let Some(Reverse((k, d, s))) = heap.pop() {
            sink.entry(k, d)?;
            if let Some((k, d)) = next(s, &mut pos) {
                heap.push(Reverse((k, d, s)));
            }
        }
        Ok(())
    })
}

/// Bytes per section kind over every segment, and other counts, for `index stats`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexStats {
    /// Live documents.
    pub documents: u64,
    /// Segments.
    pub segments: usize,
    /// Removed documents not yet compacted away.
    pub tombstones: usize,
    /// The commit counter.
    pub commit: u64,
    /// Bytes on disk of the segment files.
    pub bytes: u64,
    /// Bytes per section kind (`texts`, `ids`, `bands`, ...), in a fixed order.
    pub sections: Vec<(String, u64)>,
    /// The index's options.
    pub options: IndexOptions,
}

impl IndexStats {
    /// The object `reprint index stats --format json` prints (and Python's
    /// `Index.stats()` returns): the counts, `sections` as an object of bytes per
    /// section kind, and `options`.
    pub fn to_json(&self) -> serde_json::Value {
        let sections: serde_json::Map<String, serde_json::Value> = self
            .sections
            .iter()
            .map(|(k, v)| (k.clone(), (*v).into()))
            .collect();
        serde_json::json!({
            "documents": self.documents,
            "segments": self.segments,
            "tombstones": self.tombstones,
            "commit": self.commit,
            "bytes": self.bytes,
            "sections": sections,
            "options": self.options,
        })
    }
}

impl Index {
    /// Counts for `index stats`.
    pub fn stats(&self) -> IndexStats {
        let mut sections: Vec<(String, u64)> = Vec::new();
        for seg in &self.segments {
            for s in seg.sections() {
                let name = s.kind.name();
                match sections.iter_mut().find(|(n, _)| n == name) {
                    Some((_, b)) => *b += s.len,
                    None => sections.push((name.to_owned(), s.len)),
                }
            }
        }
        IndexStats {
            documents: self.documents(),
            segments: self.segments.len(),
            tombstones: self.manifest.tombstones.len(),
            commit: self.manifest.commit,
            bytes: self.segments.iter().map(|s| s.file_len()).sum(),
            sections,
            options: self.manifest.options.clone(),
        }
    }
}

/// Read options of a corpus of stored documents: they were accepted when added, so
/// no size limit drops them now.
fn stored_read_options() -> ReadOptions {
    ReadOptions {
        max_document_bytes: usize::MAX,
        ..ReadOptions::default()
    }
}

/// Documents of some segments, in order: the [`DocStore`] behind [`Index::corpus`]
/// (the live documents of an index) and the corpus of a default-mode query (the
/// archive followed by the staged new documents).
#[derive(Debug)]
pub struct StoredDocs {
    segments: Vec<Arc<Segment>>,
    /// `(segment, document)` of record `n` at `n - 1`.
    docs: Vec<(u32, u32)>,
    bytes: u64,
}

impl StoredDocs {
    /// Every document of `seg`, in order.
    fn of_segment(seg: Arc<Segment>) -> StoredDocs {
        let docs: Vec<(u32, u32)> = (0..seg.len() as u32).map(|d| (0, d)).collect();
        let bytes = docs.iter().map(|&(_, d)| seg.meta(d).text_len).sum();
        StoredDocs {
            segments: vec![seg],
            docs,
            bytes,
        }
    }

    /// The segment and number of record `n` (1-based).
    fn at(&self, n: u64) -> Option<(&Segment, u32)> {
        let &(s, d) = self.docs.get(usize::try_from(n.checked_sub(1)?).ok()?)?;
        Some((&self.segments[s as usize], d))
    }
}

impl DocStore for StoredDocs {
    fn len(&self) -> u64 {
        self.docs.len() as u64
    }

    fn text_bytes(&self) -> u64 {
        self.bytes
    }

    fn for_each(&self, wanted: Option<&[u64]>, f: &mut StoredDoc<'_>) -> Result<bool> {
        // The last block read, by (segment, block): documents come in order, so each
        // block is decompressed once.
        let mut held: Option<(u32, u32, Vec<u8>)> = None;
        let mut visit = |n: u64| -> Result<bool> {
            let Some(&(s, d)) = usize::try_from(n.wrapping_sub(1))
                .ok()
                .and_then(|i| self.docs.get(i))
            else {
                // Past the end: the reader's caller sees a short read and says the
                // corpus changed.
                return Ok(true);
            };
            let seg = &self.segments[s as usize];
            let b = seg.meta(d).block;
            if !matches!(&held, Some((hs, hb, _)) if (*hs, *hb) == (s, b)) {
                held = Some((s, b, seg.read_block(b as usize)?));
            }
            let block = &held.as_ref().expect("read above").2;
            let text = seg.text_in(block, d)?;
            Ok(f(n, seg.id(d), seg.source(d), &text))
        };
        match wanted {
            None => {
                for n in 1..=self.docs.len() as u64 {
                    if !visit(n)? {
                        return Ok(false);
                    }
                }
            }
            Some(w) => {
                for &n in w {
                    if !visit(n)? {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }
}

/// Sets the dates and sources of `docs[first..]` from the records of `store`.
fn set_fields_from(store: &StoredDocs, docs: &mut DocTable, first: usize) {
    for n in 1..=store.docs.len() as u64 {
        let i = first + n as usize - 1;
        if i >= docs.len() {
            break;
        }
        let (seg, d) = store.at(n).expect("in range");
        docs.set_field(i as crate::DocIndex, seg.source(d));
        docs.set_date(i as crate::DocIndex, seg.meta(d).date);
    }
}
