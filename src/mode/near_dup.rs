//! The near-duplicate mode: word n-gram MinHash + LSH candidates, each verified by
//! exact Jaccard and containment of the re-read shingle sets. Copies and light edits,
//! fast; no alignment.

use std::time::Instant;

use crate::corpus::Corpus;
use crate::error::Result;
use crate::model::{Pair, Verdict};
use crate::params::{Params, DUPLICATE_JACCARD};
use crate::progress::{Observer, Stage};
use crate::verify::Overlap;
use crate::Score;

use super::engine::{sketch_corpus, sort_pairs, verify_candidates, Sketched};
use super::{PairsResult, Timings};

/// Labels and filters verified overlaps by the run's thresholds.
pub fn classify(params: &Params, ov: &Overlap) -> Option<(Score, Verdict)> {
    let best_containment = ov.containment_a_in_b.max(ov.containment_b_in_a);
    let by_jaccard = ov.jaccard >= params.threshold();
    let by_containment = params.containment().is_some_and(|c| best_containment >= c);
    if !(by_jaccard || by_containment) {
        return None;
    }
    let score = if params.containment().is_some() {
        ov.jaccard.max(best_containment)
    } else {
        ov.jaccard
    };
    let verdict = if ov.jaccard >= DUPLICATE_JACCARD {
        Verdict::Duplicate
    } else {
        Verdict::NearDuplicate
    };
    Some((score, verdict))
}

/// Runs the near-duplicate pipeline: sketch, candidates, verify, classify, sort.
pub fn run(corpus: &Corpus, params: &Params, obs: &dyn Observer) -> Result<PairsResult> {
    let t0 = Instant::now();
    let Sketched {
        docs, index, stats, ..
    } = sketch_corpus(corpus, params, false, obs)?;
    let t1 = Instant::now();
    obs.stage(Stage::Candidates, None);
    let (candidates, star_buckets) = index.candidates(params.max_bucket());
    drop(index);
    let t2 = Instant::now();
    let verified = verify_candidates(corpus, &docs, &candidates, params.ngram(), obs)?;
    let mut pairs: Vec<Pair> = verified
        .into_iter()
        .filter_map(|(a, b, ov)| {
            classify(params, &ov).map(|(score, verdict)| Pair {
                a,
                b,
                overlap: ov,
                score,
                verdict,
                alignment: None,
            })
        })
        .collect();
    sort_pairs(&mut pairs, &docs);
    let t3 = Instant::now();
    Ok(PairsResult {
        docs,
        stats,
        candidates: candidates.len(),
        star_buckets,
        pairs,
        timings: Timings {
            sketch: t1 - t0,
            candidates: t2 - t1,
            verify: t3 - t2,
        },
        context: None,
    })
}
