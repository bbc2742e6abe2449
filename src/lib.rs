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
//!
//! # Embedding
//!
//! A [`Pipeline`] is configured once with a builder (validated in `build`) and runs any
//! [`mode::Mode`] on a [`corpus::Corpus`] of files ([`corpus::Corpus::open`]) or of texts
//! in memory ([`corpus::Corpus::from_texts`]); [`compare::Comparer`] compares two texts.
//! Both are safe to call from inside a rayon pool of any size.
//!
//! ```
//! use reprint::corpus::Corpus;
//! use reprint::mode::Mode;
//! use reprint::Pipeline;
//!
//! let text = "The council approved the new budget on Tuesday after a long debate about \
//!             the cost of repairing the old bridge over the river.";
//! let corpus = Corpus::from_texts(vec![
//!     ("a".to_string(), text.to_string()),
//!     ("b".to_string(), text.replace("Tuesday", "Wednesday")),
//!     ("c".to_string(), "Something else entirely, sharing no phrase.".to_string()),
//! ])?;
//! let pipeline = Pipeline::builder().mode(Mode::All).threshold(0.8).ngram(5).build()?;
//! let result = pipeline.run(&corpus)?;
//! assert_eq!(result.pairs.len(), 1);
//! let pair = &result.pairs[0];
//! assert_eq!((result.docs.id(pair.a), result.docs.id(pair.b)), ("a", "b"));
//! println!("{} ~ {}: {}", result.docs.id(pair.a), result.docs.id(pair.b), pair.verdict.name());
//! # Ok::<(), reprint::Error>(())
//! ```

#![warn(missing_docs)]

pub mod candidates;
pub mod cluster;
pub mod compare;
pub mod corpus;
pub mod dedup;
pub mod error;
pub mod index;
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
