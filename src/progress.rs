//! Progress hooks: which stage a run is in, and how far it has read.
//!
//! The library never draws anything; a caller that wants a progress bar implements
//! [`Observer`] (the binary draws one with indicatif). [`Silent`] ignores everything.

pub use crate::corpus::ReadProgress;

/// What the pipeline is doing, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Pass 1: reading, tokenizing, sketching.
    Sketch,
    /// LSH candidate generation.
    Candidates,
    /// Pass 2: re-reading candidates and verifying them.
    Verify,
    /// A later pass that copies documents (dedup).
    Copy,
    /// A pass that only reads and parses the corpus (`reprint bench`).
    Read,
    /// A pass that reads, tokenizes and shingles, and nothing else (`reprint bench`).
    Tokenize,
}

/// Receives progress; every method has a no-op default.
pub trait Observer: ReadProgress {
    /// A stage starts; `total_bytes` is what it will read, if known.
    fn stage(&self, _stage: Stage, _total_bytes: Option<u64>) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl ReadProgress for Silent {
    fn advance(&self, _n: u64) {}
}
impl Observer for Silent {}
