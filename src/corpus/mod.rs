//! Reading a corpus: paths, directories, JSON Lines (plain, gzip, zstd) and stdin.
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
mod reader;
mod record;
mod stats;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub use docs::DocTable;
pub use reader::{Batch, ReadProgress};
pub use record::{decode, looks_binary, parse_fields, Fields, ParsedDoc, RawRecord, RecordProblem};
pub use stats::InputStats;

use crate::error::{Error, Result};

/// How records are decoded into documents.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// JSON field holding the text.
    pub text_field: String,
    /// JSON field holding the id; documents without one get `FILE:LINE`.
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
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            skip_bad_lines: false,
            text_extensions: vec!["txt".into(), "text".into(), "".into()],
            max_document_bytes: 64 << 20,
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
    None,
    Gzip,
    Zstd,
}

/// How a source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// One text file, one document.
    Text,
    /// One JSON object per line.
    JsonLines(Compression),
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
/// (line 0 for a text file).
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
    /// Files skipped while walking because their extension is not a text or JSON Lines
    /// one.
    pub other_files_skipped: u64,
}

/// A resolved corpus.
#[derive(Debug)]
pub struct Corpus {
    sources: Vec<Source>,
    options: ReadOptions,
    walk: WalkStats,
    // Keeps stdin's spool file alive for re-reading.
    _spool: Option<tempfile::NamedTempFile>,
}

fn jsonl_kind(path: &Path) -> Option<Compression> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = name.strip_suffix(".zst") {
        (s, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    (stem.ends_with(".jsonl") || stem.ends_with(".ndjson")).then_some(compression)
}

impl Corpus {
    /// Resolves the inputs into sources. Fails on a path that does not exist or cannot
    /// be read, naming it.
    pub fn open(inputs: &[Input], options: ReadOptions) -> Result<Corpus> {
        let mut sources = Vec::new();
        let mut walk = WalkStats::default();
        let mut spool = None;
        for input in inputs {
            match input {
                Input::Stdin => {
                    if spool.is_some() {
                        return Err(Error::Param("stdin (-) given more than once".into()));
                    }
                    let mut file = tempfile::NamedTempFile::new()
                        .map_err(|e| Error::io("temporary file for stdin", e))?;
                    let size = io::copy(&mut io::stdin().lock(), file.as_file_mut())
                        .map_err(|e| Error::io("<stdin>", e))?;
                    sources.push(Source {
                        name: "<stdin>".into(),
                        path: file.path().to_path_buf(),
                        kind: SourceKind::JsonLines(Compression::None),
                        walked: false,
                        size,
                    });
                    spool = Some(file);
                }
                Input::Path(path) => {
                    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
                    if meta.is_dir() {
                        walk_dir(path, &options, &mut sources, &mut walk)?;
                    } else {
                        // Fail now, not half-way through, if it cannot be opened.
                        File::open(path).map_err(|e| Error::io(path, e))?;
                        let kind = match jsonl_kind(path) {
                            Some(c) => SourceKind::JsonLines(c),
                            None => SourceKind::Text,
                        };
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
            _spool: spool,
        })
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
            SourceKind::Text => {
                if looks_binary(rec.bytes) {
                    return Err(RecordProblem::Binary);
                }
                let (text, lossy) = decode(rec.bytes);
                Ok(ParsedDoc {
                    id: source.name.as_str().into(),
                    text,
                    lossy,
                })
            }
            SourceKind::JsonLines(_) => {
                let (line, lossy) = decode(rec.bytes);
                let fields = match line {
                    std::borrow::Cow::Borrowed(s) => {
                        parse_fields(s, &self.options.text_field, &self.options.id_field)?
                    }
                    std::borrow::Cow::Owned(s) => {
                        let f = parse_fields(&s, &self.options.text_field, &self.options.id_field)?;
                        Fields {
                            id: f.id.map(|c| c.into_owned().into()),
                            text: f.text.map(|c| c.into_owned().into()),
                            text_not_string: f.text_not_string,
                            id_bad_type: f.id_bad_type,
                        }
                    }
                };
                if fields.text_not_string {
                    return Err(RecordProblem::BadField(format!(
                        "field {:?} is not a string",
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
                    return Err(RecordProblem::BadField(format!(
                        "no {:?} field (set the text field with --text-field)",
                        self.options.text_field
                    )));
                };
                let id = fields
                    .id
                    .unwrap_or_else(|| self.location(rec.source, rec.line).into());
                Ok(ParsedDoc { id, text, lossy })
            }
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
            RecordProblem::Oversized => Error::Param(format!(
                "{}: document larger than {} bytes",
                self.location(rec_source, line),
                self.options.max_document_bytes
            )),
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
            SourceKind::JsonLines(Compression::Gzip) => {
                Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::new(file)))
            }
            SourceKind::JsonLines(Compression::Zstd) => {
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
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
        });
    for entry in walker {
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
        let kind = if let Some(c) = jsonl_kind(path) {
            SourceKind::JsonLines(c)
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
