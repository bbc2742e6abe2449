//! Reading a corpus: paths, directories, JSON Lines (plain, gzip, zstd), `.json` files
//! holding one array of objects, Parquet files (feature `parquet`), stdin, or texts
//! held in memory ([`Corpus::from_texts`]).
//!
//! A corpus is an ordered list of [`Source`]s resolved once from the user's paths
//! (directories walked in sorted order, hidden entries skipped). Reading streams the
//! sources as batches of [`RawRecord`]s from a background thread, so only one batch of
//! raw text is in memory at a time; parsing happens in the caller (in parallel). A run
//! may read the corpus several times: the later passes ask only for the records they
//! need ([`Selection`]), and stdin is spooled to a temporary file so it can be re-read.
//!
//! Invariant: records come out in source order, then line order, on every pass, so a
//! document's index is the same on every pass.

mod docs;
#[cfg(feature = "parquet")]
pub(crate) mod parquet;
pub(crate) mod reader;
mod record;
mod stats;

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

pub use docs::DocTable;
pub use reader::{Batch, ReadProgress};
pub use record::{
    decode, decode_file, is_utf16, looks_binary, looks_binary_file, parse_fields,
    parse_fields_with, strip_bom, Fields, ParsedDoc, RawRecord, RecordProblem, UTF8_BOM,
};
pub use stats::InputStats;

use crate::error::{Error, Result};

/// How records are decoded into documents.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// JSON field (or Parquet column) holding the text.
    pub text_field: String,
    /// JSON field (or Parquet column) holding the id; documents without one get
    /// `FILE:LINE` (`FILE:ROW` for Parquet rows).
    pub id_field: String,
    /// Skip (and count) malformed JSON lines and lines without a text field instead of
    /// failing.
    pub skip_bad_lines: bool,
    /// File extensions (without the dot, lowercase) read as text documents when walking
    /// a directory; `""` stands for files without an extension. Explicit file paths
    /// are always read.
    pub text_extensions: Vec<String>,
    /// Documents (files or lines) larger than this many bytes are skipped with a
    /// warning.
    pub max_document_bytes: usize,
    /// One more JSON field to read from each record (a date, a quality score, an
    /// outlet), kept per document in [`DocTable::field`]; `None` (the default) reads
    /// only the id and text.
    pub extra_field: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            skip_bad_lines: false,
            text_extensions: vec!["txt".into(), "text".into(), "".into()],
            max_document_bytes: 64 << 20,
            extra_field: None,
        }
    }
}

/// What the user named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or directory.
    Path(PathBuf),
    /// JSON Lines on standard input (`-`).
    Stdin,
}

impl Input {
    /// `-` is stdin, anything else a path.
    pub fn parse(s: &str) -> Input {
        if s == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(s))
        }
    }
}

/// Compression of a JSON Lines source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain `.jsonl` / `.ndjson`.
    None,
    /// Gzip, name ending in `.gz`.
    Gzip,
    /// Zstandard, name ending in `.zst`.
    Zstd,
}

/// How a source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// One text file, one document.
    Text,
    /// One JSON object per line.
    JsonLines(Compression),
    /// A `.json` file holding one JSON array of objects; record `n` is the `n`-th
    /// element (1-based), read with the same field rules as a JSON Lines record.
    JsonArray(Compression),
    /// A Parquet file (`.parquet`): record `n` is row `n` (1-based, in file order);
    /// [`ReadOptions::text_field`], [`ReadOptions::id_field`] and
    /// [`ReadOptions::extra_field`] name columns.
    Parquet,
    /// Ids and texts held in memory ([`Corpus::from_texts`]); record `n` (1-based
    /// line `n`) is the `n`-th text given.
    Memory,
    /// Documents kept in a [`DocStore`] (the persistent index's stored texts,
    /// [`Corpus::from_store`]); record `n` is the store's `n`-th document.
    Store,
}

/// What [`DocStore::for_each`] calls for each document: `(n, id, source, text)`;
/// false stops the reading.
pub type StoredDoc<'a> = dyn FnMut(u64, &str, Option<&str>, &str) -> bool + 'a;

/// Documents kept elsewhere and read back by number: what [`Corpus::from_store`]
/// reads. The persistent index implements it over its segments' stored texts, so
/// every mode runs over an index as over files, with the same answers.
pub trait DocStore: std::fmt::Debug + Send + Sync {
    /// The number of documents.
    fn len(&self) -> u64;
    /// True when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Bytes of their texts (for progress).
    fn text_bytes(&self) -> u64;
    /// Calls `f(n, id, source, text)` for each document `n` (1-based) of `wanted`
    /// (ascending) or, without `wanted`, for all of them in order; `source` is the
    /// document's source (outlet) when it has one. Stops when `f` returns false, and
    /// then returns `Ok(false)`.
    fn for_each(&self, wanted: Option<&[u64]>, f: &mut StoredDoc<'_>) -> Result<bool>;
}

/// One file of the corpus.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown to users and used in ids (`FILE:LINE`, or the text file's id).
    pub name: String,
    /// Where the bytes are (for stdin, the spool file).
    pub path: PathBuf,
    /// How to read it.
    pub kind: SourceKind,
    /// Found by walking a directory (binary files are then skipped, not an error).
    pub walked: bool,
    /// Size on disk in bytes (compressed size for compressed files).
    pub size: u64,
}

/// Which records a later pass needs: for each source, `(line, offset)` in file order
/// (line 0 for a text file; for a Parquet file, the row number and the row index).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub(crate) lines: Vec<Vec<(u64, u64)>>,
}

impl Selection {
    /// An empty selection for `sources` sources.
    pub fn new(sources: usize) -> Self {
        Selection {
            lines: vec![Vec::new(); sources],
        }
    }

    /// Adds a record (its line and byte offset as read in an earlier pass); records
    /// must be added in corpus order.
    pub fn push(&mut self, source: u32, line: u64, offset: u64) {
        self.lines[source as usize].push((line, offset));
    }

    /// Number of selected records.
    pub fn len(&self) -> usize {
        self.lines.iter().map(Vec::len).sum()
    }

    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(Vec::is_empty)
    }
}

/// Counts of what was found while resolving paths.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct WalkStats {
    /// Files skipped while walking because their extension is not a text, JSON Lines,
    /// `.json` or `.parquet` one (`.parquet` files are skipped too in a build without
    /// the `parquet` feature).
    pub other_files_skipped: u64,
    /// Symbolic links skipped while walking because they lead nowhere (dangling) or
    /// back to a directory being walked (a loop). Other links are followed.
    pub links_skipped: u64,
}

/// A resolved corpus: files and directories ([`Corpus::open`]) or texts in memory
/// ([`Corpus::from_texts`]). Every run mode reads it through the same streaming
/// interface ([`Corpus::map_batches`]), so both kinds work everywhere.
#[derive(Debug)]
pub struct Corpus {
    sources: Vec<Source>,
    options: ReadOptions,
    walk: WalkStats,
    // Keeps the spool files of stdin and of FIFOs alive for re-reading.
    spools: Vec<reprint_fs::Spool>,
    // True when one of the sources is stdin.
    stdin: bool,
    // The documents of in-memory sources, by source index (empty for a corpus of
    // files only).
    memory: Vec<Option<Memory>>,
    // The stores of [`SourceKind::Store`] sources, by source index (empty when there
    // are none).
    stores: Vec<Option<std::sync::Arc<dyn DocStore>>>,
    // Whether the first full read of a Parquet source copies its decoded rows to a
    // spool for the later passes ([`Corpus::without_row_spool`]).
    spool_rows: bool,
    // Those copies, made while reading.
    row_spools: std::sync::Mutex<Vec<RowSpool>>,
    // The most a copy may take; `None`: half the temporary directory's free space.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub(crate) row_spool_limit: Option<u64>,
}

/// The decoded rows of one Parquet source (rows `1..offsets.len()`, as encoded in
/// batches), copied to a spool on its first full read so that later passes read the
/// rows they select from there instead of decompressing the file's pages again: a
/// verify pass selects a few rows on nearly every page. `offsets[r - 1]..offsets[r]`
/// is row `r`; an empty range is a row that was not copied (too large).
#[derive(Debug)]
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) struct RowSpool {
    pub(crate) source: usize,
    pub(crate) spool: reprint_fs::Spool,
    pub(crate) offsets: Vec<u64>,
}

/// Ids and texts of an in-memory corpus, in the order given, and named columns of
/// per-text values ([`Corpus::with_column`]).
#[derive(Debug, Default)]
pub(crate) struct Memory {
    pub(crate) ids: Vec<String>,
    pub(crate) texts: Vec<String>,
    pub(crate) columns: Vec<(String, Vec<Option<String>>)>,
}

impl Memory {
    /// The value of column `name` for text `i` (0-based), if it has one.
    fn value(&self, name: &str, i: usize) -> Option<&str> {
        let (_, values) = self.columns.iter().find(|(n, _)| n == name)?;
        values.get(i)?.as_deref()
    }
}

/// The name of the one source of an in-memory corpus, as shown in locations
/// (`<memory>:3` is the third text).
pub const MEMORY_SOURCE_NAME: &str = "<memory>";

/// The kind of a record file by its name: JSON Lines (`.jsonl`, `.ndjson`) or a JSON
/// array (`.json`), each optionally `.gz` or `.zst`, or Parquet (`.parquet`); `None`
/// for anything else.
/// Bytes of a stream read to decide its kind ([`sniff_stream`]).
const SNIFF_BYTES: u64 = 1 << 20;

fn has_extension(path: &Path) -> bool {
    path.extension().is_some()
}

/// Reads the start of a stream with no extension (up to the end of its first line that
/// is not blank, at most [`SNIFF_BYTES`]) and says how to read it: JSON Lines when that
/// line is a JSON object, else one text document. Returns the bytes read, which come
/// first in the copy.
fn sniff_stream(r: &mut dyn Read) -> io::Result<(SourceKind, Vec<u8>)> {
    let mut head = Vec::new();
    let mut lines = io::BufReader::new(r.take(SNIFF_BYTES));
    loop {
        let start = head.len();
        if lines.read_until(b'\n', &mut head)? == 0 {
            break;
        }
        let line = head[start..].trim_ascii();
        if line.is_empty() {
            continue;
        }
        let is_object =
            line.starts_with(b"{") && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
        // What BufReader read beyond the line belongs to the copy too.
        head.extend_from_slice(lines.buffer());
        let kind = if is_object {
            SourceKind::JsonLines(Compression::None)
        } else {
            SourceKind::Text
        };
        return Ok((kind, head));
    }
    Ok((SourceKind::Text, head))
}

fn record_kind(path: &Path) -> Option<SourceKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".parquet") {
        return Some(SourceKind::Parquet);
    }
    let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = name.strip_suffix(".zst") {
        (s, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") {
        Some(SourceKind::JsonLines(compression))
    } else if stem.ends_with(".json") {
        Some(SourceKind::JsonArray(compression))
    } else {
        None
    }
}

/// Checks a Parquet source before any reading: its footer, and the columns the
/// options need. Fails in a build without the `parquet` feature.
fn check_parquet(path: &Path, name: &str, options: &ReadOptions) -> Result<()> {
    #[cfg(feature = "parquet")]
    {
        parquet::check(path, name, options)
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = (path, options);
        Err(Error::ParquetDisabled { path: name.into() })
    }
}

impl Corpus {
    /// Resolves the inputs into sources. Fails on a path that does not exist or cannot
    /// be read, naming it.
    pub fn open(inputs: &[Input], options: ReadOptions) -> Result<Corpus> {
        let mut sources = Vec::new();
        let mut walk = WalkStats::default();
        let mut spools = Vec::new();
        let mut stdin = false;
        for input in inputs {
            match input {
                Input::Stdin => {
                    if stdin {
                        return Err(Error::StdinTwice);
                    }
                    stdin = true;
                    let spool = reprint_fs::Spool::copy(&mut io::stdin().lock(), None)
                        .map_err(|e| Error::io("<stdin>", e))?;
                    sources.push(Source {
                        name: "<stdin>".into(),
                        path: spool.path().to_path_buf(),
                        kind: SourceKind::JsonLines(Compression::None),
                        walked: false,
                        size: spool.len(),
                    });
                    spools.push(spool);
                }
                Input::Path(path) => {
                    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
                    let kind = record_kind(path).unwrap_or(SourceKind::Text);
                    if meta.is_dir() {
                        walk_dir(path, &options, &mut sources, &mut walk)?;
                    } else if !meta.is_file() {
                        // A FIFO, process substitution (`<(cmd)`), a device: readable
                        // once, so copied once and every pass reads the copy. A text
                        // document needs at most one byte more than the size limit to
                        // be known as too large (so `/dev/zero` ends).
                        // A stream whose name says nothing (`/dev/fd/63` from `<(cmd)`)
                        // is JSON Lines when its first line is a JSON object, as a
                        // text document could hardly be.
                        let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
                        let (kind, head) = if kind == SourceKind::Text && !has_extension(path) {
                            sniff_stream(&mut file).map_err(|e| Error::io(path, e))?
                        } else {
                            (kind, Vec::new())
                        };
                        let limit =
                            (kind == SourceKind::Text).then_some(options.max_document_bytes as u64);
                        let mut stream = io::Cursor::new(head).chain(file);
                        let spool = reprint_fs::Spool::copy(&mut stream, limit)
                            .map_err(|e| Error::io(path, e))?;
                        if kind == SourceKind::Parquet {
                            check_parquet(spool.path(), &path.display().to_string(), &options)?;
                        }
                        sources.push(Source {
                            name: path.display().to_string(),
                            path: spool.path().to_path_buf(),
                            kind,
                            walked: false,
                            size: spool.len(),
                        });
                        spools.push(spool);
                    } else {
                        // Fail now, not half-way through, if it cannot be opened.
                        File::open(path).map_err(|e| Error::io(path, e))?;
                        if kind == SourceKind::Parquet {
                            check_parquet(path, &path.display().to_string(), &options)?;
                        }
                        sources.push(Source {
                            name: path.display().to_string(),
                            path: path.clone(),
                            kind,
                            walked: false,
                            size: meta.len(),
                        });
                    }
                }
            }
        }
        if sources.len() > u32::MAX as usize {
            return Err(Error::TooManyDocuments {
                max: u32::MAX as u64,
            });
        }
        Ok(Corpus {
            sources,
            options,
            walk,
            spools,
            stdin,
            memory: Vec::new(),
            stores: Vec::new(),
            spool_rows: true,
            row_spools: Default::default(),
            row_spool_limit: None,
        })
    }

    /// A corpus of texts held in memory, one document per `(id, text)`, in the order
    /// given. Ids must be unique (a run fails with [`Error::DuplicateId`] otherwise);
    /// the location of the `n`-th text (1-based) is `<memory>:n`. Texts are copied
    /// once into the corpus, which the run modes then read like a file, re-reading
    /// the documents they verify.
    ///
    /// ```
    /// use reprint::corpus::Corpus;
    /// let corpus = Corpus::from_texts([("a", "one text"), ("b", "another text")]).unwrap();
    /// assert_eq!(corpus.len_hint(), Some(2));
    /// ```
    pub fn from_texts<I, K, T>(texts: I) -> Result<Corpus>
    where
        I: IntoIterator<Item = (K, T)>,
        K: Into<String>,
        T: Into<String>,
    {
        Corpus::from_texts_with(MEMORY_SOURCE_NAME, texts, ReadOptions::default())
    }

    /// Like [`Corpus::from_texts`], naming the source `name` in locations
    /// (`name:3`), e.g. to tell two collections apart after [`Corpus::chain`].
    pub fn from_named_texts<I, K, T>(name: &str, texts: I) -> Result<Corpus>
    where
        I: IntoIterator<Item = (K, T)>,
        K: Into<String>,
        T: Into<String>,
    {
        Corpus::from_texts_with(name, texts, ReadOptions::default())
    }

    /// Like [`Corpus::from_named_texts`], with read options; of these only
    /// [`ReadOptions::max_document_bytes`] applies to texts (and the id and text field
    /// names to what `dedup::write_kept` writes, and [`ReadOptions::extra_field`] to the
    /// columns of [`Corpus::with_column`]).
    pub fn from_texts_with<I, K, T>(name: &str, texts: I, options: ReadOptions) -> Result<Corpus>
    where
        I: IntoIterator<Item = (K, T)>,
        K: Into<String>,
        T: Into<String>,
    {
        let mut memory = Memory::default();
        for (id, text) in texts {
            memory.ids.push(id.into());
            memory.texts.push(text.into());
        }
        if memory.texts.len() > u32::MAX as usize {
            return Err(Error::TooManyDocuments {
                max: u32::MAX as u64,
            });
        }
        let size = memory.texts.iter().map(|t| t.len() as u64).sum();
        Ok(Corpus {
            sources: vec![Source {
                name: name.into(),
                path: PathBuf::new(),
                kind: SourceKind::Memory,
                walked: false,
                size,
            }],
            options,
            walk: WalkStats::default(),
            spools: Vec::new(),
            stdin: false,
            memory: vec![Some(memory)],
            stores: Vec::new(),
            spool_rows: true,
            row_spools: Default::default(),
            row_spool_limit: None,
        })
    }

    /// Gives the texts of an in-memory corpus ([`Corpus::from_texts_with`]) a named
    /// column of values, one per text (`None`: no value), read wherever a JSON field of
    /// that name would be: [`ReadOptions::extra_field`], and the persistent index's date
    /// and source fields (its `DocFields`). Giving a column again replaces it.
    ///
    /// ```
    /// use reprint::corpus::Corpus;
    /// let corpus = Corpus::from_texts([("a", "one text"), ("b", "another text")])
    ///     .unwrap()
    ///     .with_column("date", vec![Some("2024-05-01".into()), None])
    ///     .unwrap();
    /// assert_eq!(corpus.memory_value(0, 1, "date"), Some("2024-05-01"));
    /// assert_eq!(corpus.memory_value(0, 2, "date"), None);
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when the corpus is not one in-memory source, or
    /// when there are not as many values as texts.
    pub fn with_column(mut self, name: &str, values: Vec<Option<String>>) -> Result<Corpus> {
        let memory = match self.memory.as_mut_slice() {
            [Some(m)] if self.sources.len() == 1 => m,
            _ => {
                return Err(Error::invalid(
                    "column",
                    "applies to a corpus of texts in memory (one source)".into(),
                ))
            }
        };
        if values.len() != memory.texts.len() {
            return Err(Error::invalid(
                "column",
                format!(
                    "{name:?} has {} values for {} texts: give one per text",
                    values.len(),
                    memory.texts.len()
                ),
            ));
        }
        memory.columns.retain(|(n, _)| n != name);
        memory.columns.push((name.to_owned(), values));
        Ok(self)
    }

    /// The value of column `name` ([`Corpus::with_column`]) for record `line`
    /// (1-based) of in-memory source `source`; `None` for a source of files, a text
    /// without a value, or a column never given.
    pub fn memory_value(&self, source: u32, line: u64, name: &str) -> Option<&str> {
        let i = usize::try_from(line.checked_sub(1)?).ok()?;
        self.memory(source as usize)?.value(name, i)
    }

    /// This corpus followed by `other`: its sources come after this one's, so the
    /// first `self.sources().len()` sources are this corpus's (what
    /// `Pipeline::sources` takes as the source collection). Read options are
    /// this corpus's.
    ///
    /// # Errors
    ///
    /// [`Error::StdinTwice`] when both read standard input; [`Error::TooManyDocuments`]
    /// when the sources no longer fit a 32-bit index.
    pub fn chain(mut self, mut other: Corpus) -> Result<Corpus> {
        if self.stdin && other.stdin {
            return Err(Error::StdinTwice);
        }
        if self.sources.len() + other.sources.len() > u32::MAX as usize {
            return Err(Error::TooManyDocuments {
                max: u32::MAX as u64,
            });
        }
        if !self.memory.is_empty() || !other.memory.is_empty() {
            self.memory.resize_with(self.sources.len(), || None);
            other.memory.resize_with(other.sources.len(), || None);
            self.memory.append(&mut other.memory);
        }
        if !self.stores.is_empty() || !other.stores.is_empty() {
            self.stores.resize_with(self.sources.len(), || None);
            other.stores.resize_with(other.sources.len(), || None);
            self.stores.append(&mut other.stores);
        }
        let shift = self.sources.len();
        self.sources.append(&mut other.sources);
        self.walk.other_files_skipped += other.walk.other_files_skipped;
        self.walk.links_skipped += other.walk.links_skipped;
        self.spools.append(&mut other.spools);
        let mut theirs = std::mem::take(
            other
                .row_spools
                .get_mut()
                .unwrap_or_else(|e| e.into_inner()),
        );
        for r in &mut theirs {
            r.source += shift;
        }
        self.row_spools
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .append(&mut theirs);
        self.spool_rows &= other.spool_rows;
        self.stdin |= other.stdin;
        Ok(self)
    }

    /// Does not copy the decoded rows of Parquet sources to a spool on their first full
    /// read. By default they are, so that later passes (verifying candidates, comparing
    /// pairs) read the rows they need back from there rather than decompressing the
    /// file's pages again; the copy takes at most half the free space of the temporary
    /// directory (rows past that are read from the file again) and is removed with the
    /// corpus. For a caller that reads the corpus once.
    pub fn without_row_spool(mut self) -> Corpus {
        self.spool_rows = false;
        self
    }

    /// The number of documents when known before reading: the number of texts of an
    /// in-memory corpus, `None` when it has files.
    pub fn len_hint(&self) -> Option<usize> {
        (0..self.sources.len())
            .map(|i| self.memory(i).map(|m| m.texts.len()))
            .sum()
    }

    /// A corpus of the documents of `store`, one source named `name` (locations
    /// `name:N` for its `N`-th document). Only [`ReadOptions::max_document_bytes`] and
    /// [`ReadOptions::extra_field`] apply (when set, a document's extra field is its
    /// source).
    ///
    /// # Errors
    ///
    /// [`Error::TooManyDocuments`] past `u32::MAX` documents.
    pub fn from_store(
        name: &str,
        store: std::sync::Arc<dyn DocStore>,
        options: ReadOptions,
    ) -> Result<Corpus> {
        if store.len() > u32::MAX as u64 {
            return Err(Error::TooManyDocuments {
                max: u32::MAX as u64,
            });
        }
        Ok(Corpus {
            sources: vec![Source {
                name: name.into(),
                path: PathBuf::new(),
                kind: SourceKind::Store,
                walked: false,
                size: store.text_bytes(),
            }],
            options,
            walk: WalkStats::default(),
            spools: Vec::new(),
            stdin: false,
            memory: Vec::new(),
            stores: vec![Some(store)],
            spool_rows: true,
            row_spools: Default::default(),
            row_spool_limit: None,
        })
    }

    /// The store of source `idx` when it is a [`SourceKind::Store`].
    pub(crate) fn store(&self, idx: usize) -> Option<&dyn DocStore> {
        self.stores.get(idx).and_then(Option::as_ref).map(|s| &**s)
    }

    /// The texts of source `idx` when it is held in memory.
    pub(crate) fn memory(&self, idx: usize) -> Option<&Memory> {
        self.memory.get(idx).and_then(Option::as_ref)
    }

    /// The sources, in reading order.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The read options.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// What walking directories skipped.
    pub fn walk_stats(&self) -> &WalkStats {
        &self.walk
    }

    /// Total size of the sources on disk.
    pub fn total_bytes(&self) -> u64 {
        self.sources.iter().map(|s| s.size).sum()
    }

    /// The location of a record as users see it: `FILE` or `FILE:LINE`.
    pub fn location(&self, source: u32, line: u64) -> String {
        let name = &self.sources[source as usize].name;
        if line == 0 {
            name.clone()
        } else {
            format!("{name}:{line}")
        }
    }

    /// Decodes a raw record into a document, or says why it is not one.
    pub fn parse<'a>(&'a self, rec: &RawRecord<'a>) -> Result<ParsedDoc<'a>, RecordProblem> {
        let source = &self.sources[rec.source as usize];
        match source.kind {
            SourceKind::Memory => {
                let memory = self
                    .memory(rec.source as usize)
                    .expect("a memory source has texts");
                let i = (rec.line - 1) as usize;
                let id = &memory.ids[i];
                let (text, lossy) = decode(rec.bytes);
                let extra = self.options.extra_field.as_deref();
                Ok(ParsedDoc {
                    id: id.as_str().into(),
                    text,
                    lossy,
                    id_missing: false,
                    extra: extra.and_then(|f| memory.value(f, i)).map(Into::into),
                })
            }
            SourceKind::Text => {
                if looks_binary_file(rec.bytes) {
                    return Err(RecordProblem::Binary);
                }
                let (text, lossy) = decode_file(rec.bytes);
                Ok(ParsedDoc {
                    id: source.name.as_str().into(),
                    text,
                    lossy,
                    id_missing: false,
                    extra: None,
                })
            }
            SourceKind::Parquet | SourceKind::Store => {
                let Some(row) = record::decode_row(rec.bytes) else {
                    return Err(RecordProblem::BadField("unreadable row".into()));
                };
                let Some(text) = row.text else {
                    return Err(RecordProblem::BadField(format!(
                        "column {:?} is null",
                        self.options.text_field
                    )));
                };
                let id_missing = row.id.is_none();
                let id = match row.id {
                    Some(id) => id.into(),
                    None => self.location(rec.source, rec.line).into(),
                };
                Ok(ParsedDoc {
                    id,
                    text: text.into(),
                    lossy: false,
                    id_missing,
                    extra: row.extra.map(Into::into),
                })
            }
            SourceKind::JsonLines(_) | SourceKind::JsonArray(_) => {
                // A byte order mark may start the file: skipped (UTF-8), or named
                // (UTF-16, which JSON Lines cannot be).
                let bytes = if rec.line == 1 {
                    if is_utf16(rec.bytes) {
                        return Err(RecordProblem::BadJson(
                            "the file is UTF-16 (byte order mark); JSON Lines must be UTF-8".into(),
                        ));
                    }
                    strip_bom(rec.bytes)
                } else {
                    rec.bytes
                };
                let (line, lossy) = decode(bytes);
                let o = &self.options;
                let extra = o.extra_field.as_deref();
                let fields = match line {
                    std::borrow::Cow::Borrowed(s) => {
                        parse_fields_with(s, &o.text_field, &o.id_field, extra)?
                    }
                    std::borrow::Cow::Owned(s) => {
                        let f = parse_fields_with(&s, &o.text_field, &o.id_field, extra)?;
                        Fields {
                            id: f.id.map(|c| c.into_owned().into()),
                            text: f.text.map(|c| c.into_owned().into()),
                            text_not_string: f.text_not_string,
                            text_null: f.text_null,
                            id_bad_type: f.id_bad_type,
                            extra: f.extra.map(|c| c.into_owned().into()),
                        }
                    }
                };
                if fields.text_not_string {
                    return Err(RecordProblem::BadField(format!(
                        "field {:?} is not a string",
                        self.options.text_field
                    )));
                }
                if fields.text_null {
                    return Err(RecordProblem::BadField(format!(
                        "field {:?} is null",
                        self.options.text_field
                    )));
                }
                if fields.id_bad_type {
                    return Err(RecordProblem::BadField(format!(
                        "field {:?} is neither a string nor a number",
                        self.options.id_field
                    )));
                }
                let Some(text) = fields.text else {
                    return Err(RecordProblem::MissingField(self.options.text_field.clone()));
                };
                let id_missing = fields.id.is_none();
                let id = fields
                    .id
                    .unwrap_or_else(|| self.location(rec.source, rec.line).into());
                Ok(ParsedDoc {
                    id,
                    text,
                    lossy,
                    id_missing,
                    extra: fields.extra,
                })
            }
        }
    }

    /// The error for an input that differs between two passes, naming the first few
    /// sources.
    pub(crate) fn changed(&self) -> Error {
        let names: Vec<&str> = self
            .sources
            .iter()
            .take(3)
            .map(|s| s.name.as_str())
            .collect();
        let more = if self.sources.len() > 3 { ", ..." } else { "" };
        Error::InputChanged {
            sources: format!("{}{more}", names.join(", ")),
        }
    }

    /// Turns a record problem into the error a user sees.
    pub fn problem_error(&self, rec_source: u32, line: u64, problem: RecordProblem) -> Error {
        let path = PathBuf::from(&self.sources[rec_source as usize].name);
        match problem {
            RecordProblem::BadJson(message) => Error::BadJson {
                path,
                line,
                message,
            },
            RecordProblem::BadField(message) => Error::BadField {
                path,
                line,
                message,
            },
            RecordProblem::Binary => Error::Binary { path },
            RecordProblem::MissingField(field) => Error::MissingField { path, line, field },
            RecordProblem::Oversized => Error::Oversized {
                location: self.location(rec_source, line),
                max: self.options.max_document_bytes,
            },
        }
    }

    /// Wraps a source's bytes in its decompressor (identity for plain files).
    pub(crate) fn open_decoder<'r>(
        &self,
        idx: usize,
        file: impl Read + Send + 'r,
    ) -> Result<Box<dyn Read + Send + 'r>> {
        let s = &self.sources[idx];
        Ok(match s.kind {
            SourceKind::JsonLines(Compression::Gzip) | SourceKind::JsonArray(Compression::Gzip) => {
                Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::new(file)))
            }
            SourceKind::JsonLines(Compression::Zstd) | SourceKind::JsonArray(Compression::Zstd) => {
                Box::new(zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(&s.name, e))?)
            }
            _ => Box::new(file),
        })
    }
}

fn walk_dir(
    root: &Path,
    options: &ReadOptions,
    sources: &mut Vec<Source>,
    walk: &mut WalkStats,
) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
        });
    for entry in walker {
        // A dangling link, or a link back to a directory being walked: skipped and
        // counted (walkdir finds loops when it follows links).
        if let Err(e) = &entry {
            let dangling = e
                .io_error()
                .is_some_and(|io| io.kind() == io::ErrorKind::NotFound)
                && e.path().is_some_and(|p| p.is_symlink());
            if e.loop_ancestor().is_some() || dangling {
                walk.links_skipped += 1;
                continue;
            }
        }
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_path_buf();
            let source = e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("filesystem loop"));
            Error::io(path, source)
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let kind = if let Some(kind) = record_kind(path) {
            if kind == SourceKind::Parquet {
                if cfg!(not(feature = "parquet")) {
                    walk.other_files_skipped += 1;
                    continue;
                }
                check_parquet(path, &path.display().to_string(), options)?;
            }
            kind
        } else {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if options.text_extensions.contains(&ext) {
                SourceKind::Text
            } else {
                walk.other_files_skipped += 1;
                continue;
            }
        };
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        sources.push(Source {
            name: path.display().to_string(),
            path: path.to_path_buf(),
            kind,
            walked: true,
            size,
        });
    }
    Ok(())
}
