//! The run modes over a whole corpus, and the one dispatch between them.
//!
//! * [`Mode::NearDup`] ([`near_dup`]): word n-gram MinHash + LSH, exact verification.
//! * [`Mode::All`] ([`all`]): near-duplicates, rewrites and partial reuse; candidates
//!   from three generators, each compared in full and given a verdict.
//! * [`sources`]: the default mode's candidates between a source collection and
//!   articles, ranked per article.
//!
//! All of them run on the two-pass [`engine`]; [`context`] holds the corpus statistics
//! the comparison uses, and [`aligned`] re-aligns reported pairs for display.

pub mod aligned;
pub mod all;
pub mod context;
pub mod engine;
pub mod near_dup;
pub mod sources;

use std::time::Duration;

use serde::Serialize;

use crate::corpus::{Corpus, DocTable, InputStats};
use crate::error::Result;
use crate::model::Pair;
use crate::params::Params;
use crate::progress::Observer;

pub use context::CorpusContext;

/// Which pairs a run looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// The default mode: near-duplicates, rewrites and partial reuse, each pair aligned.
    All,
    /// Word n-gram MinHash + LSH with exact verification only: copies and light edits.
    NearDup,
}

impl Mode {
    /// The mode's name on the command line and in outputs (`all`, `near-dup`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::NearDup => "near-dup",
        }
    }
}

/// Runs `mode` over `corpus`: every verified pair, sorted by score (descending), then
/// ids.
pub fn find_pairs(
    mode: Mode,
    corpus: &Corpus,
    params: &Params,
    obs: &dyn Observer,
) -> Result<PairsResult> {
    match mode {
        Mode::All => all::run(corpus, params, obs),
        Mode::NearDup => near_dup::run(corpus, params, obs),
    }
}

/// Wall time per stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// Pass 1: reading, parsing and sketching the corpus.
    pub sketch: Duration,
    /// Candidate generation between the passes.
    pub candidates: Duration,
    /// Pass 2: re-reading and comparing the candidate pairs.
    pub verify: Duration,
}

/// The result of a pairs run, in either mode.
#[derive(Debug)]
pub struct PairsResult {
    /// Ids, locations and word counts of every document, in corpus order.
    pub docs: DocTable,
    /// Counts of what the run read.
    pub stats: InputStats,
    /// Candidate pairs verified (from LSH; in the default mode also from rare-term
    /// signatures and paragraph keys).
    pub candidates: usize,
    /// Buckets linked as stars because they exceeded `max_bucket`.
    pub star_buckets: usize,
    /// Reported pairs, sorted by score (descending), then ids.
    pub pairs: Vec<Pair>,
    /// Wall time per stage.
    pub timings: Timings,
    /// Stem document frequencies and boilerplate (default mode only), for explaining
    /// pairs afterwards with the same weights.
    pub context: Option<CorpusContext>,
}
