//! reprint: find near-duplicate and rewritten texts in a corpus.
//!
//! The pipeline is data in, data out, one module per stage:
//!
//! ```text
//! corpus -> text (normalize, tokenize) -> shingle -> sketch (MinHash) -> lsh (candidates)
//!        -> verify (exact Jaccard / containment) -> cluster -> report
//! ```
//!
//! [`mode::find_pairs`] runs it end to end over a [`corpus::Corpus`] while keeping
//! only ids, locations and LSH band keys per document in memory; the texts are re-read
//! for the documents that need verification. Rendering lives in [`report`]; the binary
//! only parses flags and wires things together. See `ARCHITECTURE.md`.

pub mod candidates;
pub mod cluster;
pub mod compare;
pub mod corpus;
pub mod dedup;
pub mod error;
pub mod lsh;
pub mod mode;
pub mod model;
pub mod params;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod score;
pub mod shingle;
pub mod sketch;
pub mod text;
pub mod verify;

pub use error::{Error, Result};
pub use params::Params;
pub use pipeline::{Pipeline, PipelineBuilder};

/// Index of a document in corpus order (0-based). 32 bits keep the per-document
/// tables small; a run holds at most `u32::MAX` documents.
pub type DocIndex = u32;

/// A similarity score in `[0, 1]`.
pub type Score = f64;
