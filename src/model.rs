//! The results a run reports: a verified pair, with its figures and verdict.

use crate::verify::Overlap;
use crate::{DocIndex, Score};

pub use crate::compare::verdict::Verdict;

/// A verified, reported pair. `a` comes before `b` in corpus order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The earlier document.
    pub a: DocIndex,
    /// The later document.
    pub b: DocIndex,
    /// Exact overlap figures.
    pub overlap: Overlap,
    /// The figure the pair is ranked by: in the default mode the document score `D`;
    /// in near-dup mode Jaccard, or with `--containment` the largest of Jaccard and
    /// the two containments.
    pub score: Score,
    /// The verdict (near-dup mode: `Duplicate` or `NearDuplicate` only).
    pub verdict: Verdict,
    /// Rewrite detection only: share of each document's words in aligned sentences,
    /// and the number of paragraph links.
    pub alignment: Option<PairAlignment>,
}

/// Alignment figures carried by a pair found in the default mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairAlignment {
    /// Share of `a`'s words in aligned sentences, in `[0, 1]`.
    pub coverage_a: f64,
    /// Share of `b`'s words in aligned sentences, in `[0, 1]`.
    pub coverage_b: f64,
    /// Number of paragraph links, as `reprint diff` shows them; `None` for a
    /// duplicate the run did not align (its coverage is then the shingle containment).
    pub links: Option<usize>,
}
