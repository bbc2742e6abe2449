//! The library's error type.
//!
//! Every variant carries what a user needs to find the problem: the path, the line
//! (1-based, as editors count), the field or the parameter. Only the binary turns
//! these into messages and exit codes.

use std::path::PathBuf;

/// Errors returned by the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input path could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file given explicitly looks binary (contains NUL bytes).
    #[error("{path}: looks like a binary file (contains NUL bytes); not a text document")]
    Binary { path: PathBuf },
    /// A JSON Lines record could not be parsed.
    #[error(
        "{path}:{line}: malformed JSON line: {message} (use --skip-bad-lines to skip such lines)"
    )]
    BadJson {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// A JSON Lines record has no usable text field.
    #[error("{path}:{line}: {message} (use --skip-bad-lines to skip such lines)")]
    BadField {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// Two documents carry the same id.
    #[error("duplicate document id {id:?}: first at {first}, again at {second}")]
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
    /// A parameter is out of range or inconsistent.
    #[error("invalid parameter: {0}")]
    Param(String),
    /// Writing output failed.
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// An output directory cannot be used (`reprint gen`).
    #[error("{path}: {reason}")]
    OutputDir { path: PathBuf, reason: String },
    /// Too many documents for the 32-bit document index.
    #[error("too many documents: at most {max} are supported in one run")]
    TooManyDocuments { max: u64 },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
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
}

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
