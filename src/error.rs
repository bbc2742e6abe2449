//! The library's error type.
//!
//! Every variant carries what a user needs to find the problem: the path, the line
//! (1-based, as editors count), the field or the parameter. Messages name library
//! values (a parameter such as `threshold`, a JSON field), never command-line flags;
//! only the binary turns errors into messages with flag hints and exit codes.
//!
//! `Display` shows one level: a variant that wraps another error exposes it through
//! [`std::error::Error::source`] and does not repeat it, so a caller printing the
//! whole chain (`e`, then each `source()`) prints each cause once.

use std::path::PathBuf;

/// Errors returned by the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input path could not be opened or read (the cause is the source).
    #[error("{}", path.display())]
    Io {
        /// The path, or a description such as `<stdin>`.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file given explicitly looks binary (contains NUL bytes).
    #[error("{}: looks like a binary file (contains NUL bytes); not a text document", path.display())]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// A JSON Lines record could not be parsed (`ReadOptions::skip_bad_lines`
    /// skips such lines).
    #[error("{}:{line}: malformed JSON line: {message}", path.display())]
    BadJson {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// A JSON Lines record's text or id field has the wrong type
    /// (`ReadOptions::skip_bad_lines` skips such lines).
    #[error("{}:{line}: {message}", path.display())]
    BadField {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// What is wrong with the field.
        message: String,
    },
    /// A JSON Lines record has no text field (named by
    /// `ReadOptions::text_field`; `skip_bad_lines` skips such lines).
    #[error("{}:{line}: no {field:?} field", path.display())]
    MissingField {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The name of the missing field.
        field: String,
    },
    /// A Parquet file cannot be read: it is not Parquet, it is corrupt or truncated, or
    /// it lacks a column the run needs or has it with a type that cannot be read.
    #[error("{location}: {message}")]
    Parquet {
        /// The file, and the row group (`row group 2 of 5 (rows 1025-2048)`) when the
        /// problem is in one.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A `.json` file that is not one JSON array of objects, or a malformed one.
    #[error("{}:{line}:{column}: {message}", path.display())]
    JsonArray {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the problem.
        line: usize,
        /// The 1-based column of the problem.
        column: usize,
        /// What is wrong, and what is expected.
        message: String,
    },
    /// The inputs cannot be written as one output file (`dedup` of Parquet files mixed
    /// with other formats, or of Parquet files with different columns).
    #[error("{message}")]
    MixedInputs {
        /// What differs.
        message: String,
    },
    /// A Parquet input in a build without the `parquet` feature.
    #[error("{}: reading Parquet needs reprint built with its `parquet` feature", path.display())]
    ParquetDisabled {
        /// The file.
        path: PathBuf,
    },
    /// Two documents carry the same id.
    #[error("duplicate document id {id:?}: first at {first}, again at {second}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Location of the first document with it.
        first: String,
        /// Location of the second.
        second: String,
    },
    /// A parameter is out of range: `name` (a `ParamsInput` field)
    /// `requirement` (e.g. `must be in (0, 1], got 0`).
    #[error("invalid parameter: {name} {requirement}")]
    InvalidParameter {
        /// The parameter's name, as the field of `ParamsInput`.
        name: &'static str,
        /// What it must be, and what it was.
        requirement: String,
    },
    /// Explicit LSH bands and rows need more signature slots than there are.
    #[error("invalid parameter: {bands} bands x {rows} rows = {} exceeds perms {perms}", bands * rows)]
    LshShape {
        /// Bands asked for.
        bands: usize,
        /// Rows per band asked for.
        rows: usize,
        /// Signature slots available.
        perms: usize,
    },
    /// Standard input was named more than once among the inputs.
    #[error("stdin (-) given more than once")]
    StdinTwice,
    /// A document is larger than `ReadOptions::max_document_bytes`.
    #[error("{location}: document larger than {max} bytes")]
    Oversized {
        /// `FILE` or `FILE:LINE`.
        location: String,
        /// The size limit in bytes.
        max: usize,
    },
    /// An input line of `score` is longer than the limit (two documents of
    /// `ReadOptions::max_document_bytes`, and 1 MiB more).
    #[error("{location}: line longer than {max} bytes")]
    LineTooLong {
        /// `FILE:LINE`.
        location: String,
        /// The limit in bytes.
        max: usize,
    },
    /// The input differed between two passes over it (a file was edited or replaced
    /// during the run).
    #[error("the input changed while it was being read ({sources}); run again on a stable copy")]
    InputChanged {
        /// The first few source names, comma-separated.
        sources: String,
    },
    /// A file is shorter than when an earlier pass read it.
    #[error("{path}: the file is shorter than when it was first read; run again on a stable copy")]
    InputShrank {
        /// The source's name.
        path: String,
    },
    /// Records of a `Selection` were not added in file order.
    #[error("{path}: records requested out of order (offset {offset})")]
    SelectionOrder {
        /// The source's name.
        path: String,
        /// The offending byte offset.
        offset: u64,
    },
    /// Writing output failed (the cause is the source).
    #[error("writing {path}")]
    Write {
        /// Where the output went (`-` or `<stdout>` for standard output).
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An output directory cannot be used (`reprint gen`).
    #[error("{}: {reason}", path.display())]
    OutputDir {
        /// The directory.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// A persistent index directory does not exist.
    #[error("{}: no such index (create it first)", path.display())]
    IndexMissing {
        /// The directory.
        path: PathBuf,
    },
    /// A directory is not a persistent index (it has no manifest).
    #[error("{}: not a reprint index (no MANIFEST.json)", path.display())]
    NotAnIndex {
        /// The directory.
        path: PathBuf,
    },
    /// An index directory cannot be created where asked.
    #[error("{}: {reason}", path.display())]
    IndexExists {
        /// The directory.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// An index (or one of its files) was written by a newer reprint.
    #[error("{}: index format {found} is newer than this reprint reads ({supported})", path.display())]
    IndexVersion {
        /// The manifest or segment file.
        path: PathBuf,
        /// The format version found.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Another process holds the index's write lock.
    #[error("{}: the index is locked by another writer{}", path.display(), holder.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
        /// The pid recorded by the holder, when it could be read.
        holder: Option<u32>,
    },
    /// A file of an index is corrupt or truncated: a checksum does not match, a length
    /// runs past the end, or the contents are inconsistent.
    #[error("{}: {section}: {reason}", path.display())]
    IndexCorrupt {
        /// The file.
        path: PathBuf,
        /// The part of the file (`header`, `texts`, `band 3`, `manifest`, ...).
        section: String,
        /// What is wrong.
        reason: String,
    },
    /// A document's date field does not hold an ISO 8601 date or date-time.
    #[error("{location}: field {field:?} is not an ISO 8601 date or date-time: {value:?}")]
    BadDate {
        /// `FILE:LINE`.
        location: String,
        /// The field's name.
        field: String,
        /// The value found.
        value: String,
    },
    /// An id given to remove is not in the index (or already removed).
    #[error("no document with id {id:?} in the index")]
    UnknownId {
        /// The id.
        id: String,
    },
    /// Too many documents for the 32-bit document index.
    #[error("too many documents: at most {max} are supported in one run")]
    TooManyDocuments {
        /// The limit.
        max: u64,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn invalid(name: &'static str, requirement: String) -> Self {
        Error::InvalidParameter { name, requirement }
    }

    /// True when the error is a closed output pipe (`reprint ... | head`), which the
    /// binary treats as a quiet end rather than a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Write { source, .. } | Error::Io { source, .. } => {
                source.kind() == std::io::ErrorKind::BrokenPipe
            }
            _ => false,
        }
    }

    /// True for record errors that `ReadOptions::skip_bad_lines`
    /// would have skipped.
    pub fn is_skippable_record(&self) -> bool {
        matches!(
            self,
            Error::BadJson { .. }
                | Error::BadField { .. }
                | Error::MissingField { .. }
                | Error::LineTooLong { .. }
                | Error::BadDate { .. }
        )
    }
}

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
