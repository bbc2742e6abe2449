//! The generator's error type.
//!
//! Each variant's `Display` names only its own context (a path, a parameter); the
//! underlying I/O error is its `source`, so a chain printed link by link says each
//! thing once.

use std::path::PathBuf;

/// Errors of the generator and of reading a truth file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or created.
    #[error("{path}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// Writing a generated file failed.
    #[error("writing {path}")]
    Write {
        /// The file being written.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The output directory cannot be used.
    #[error("{path}: {reason}")]
    OutputDir {
        /// The directory.
        path: PathBuf,
        /// Why not.
        reason: String,
    },
    /// A line of a truth file is not a truth pair.
    #[error("{path}:{line}: not a truth pair: {message}")]
    BadTruth {
        /// The truth file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What the JSON parser said.
        message: String,
    },
    /// An option is out of range.
    #[error("{name} must be at least {min}")]
    TooSmall {
        /// The option.
        name: &'static str,
        /// Its smallest value.
        min: u64,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias of the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
