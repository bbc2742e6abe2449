//! Counts of what a run met in its input, for warnings and reports.

use serde::Serialize;

/// Counts of what a run met in its input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputStats {
    /// Documents read (including empty ones).
    pub documents: u64,
    /// Documents with no words: kept as documents, never paired.
    pub empty: u64,
    /// Documents with fewer words than one shingle: one shingle of all their words.
    pub short: u64,
    /// Documents that were not valid UTF-8 and were decoded lossily.
    pub lossy_utf8: u64,
    /// Binary files skipped while walking directories.
    pub binary_skipped: u64,
    /// Malformed lines skipped (`--skip-bad-lines`).
    pub bad_lines_skipped: u64,
    /// Documents skipped for exceeding the size limit.
    pub oversized_skipped: u64,
    /// Files with other extensions skipped while walking directories.
    pub other_files_skipped: u64,
    /// Symbolic links skipped while walking directories (dangling, or loops).
    #[serde(skip)]
    pub links_skipped: u64,
    /// JSON Lines records without the id field, whose id is their `FILE:LINE`.
    #[serde(skip)]
    pub id_missing: u64,
    /// The id field asked for (`--id-field`), named in the warning about `id_missing`.
    #[serde(skip)]
    pub id_field: String,
    /// Words in all documents.
    pub words: u64,
    /// Bytes of text in all documents.
    pub text_bytes: u64,
    /// A few example locations per kind of problem, for warnings.
    #[serde(skip)]
    pub examples: Vec<(String, String)>,
}

impl InputStats {
    pub(crate) fn example(&mut self, kind: &str, location: String) {
        if self.examples.iter().filter(|(k, _)| k == kind).count() < 3 {
            self.examples.push((kind.to_owned(), location));
        }
    }
}
