//! The default mode (`all`): near-duplicates, rewrites and partial reuse at corpus
//! scale.
//!
//! Candidates from all three generators (n-gram LSH, rare-term signatures, paragraph
//! keys; [`crate::candidates`]) are verified by the full pair comparison
//! ([`crate::compare`]): n-gram overlap, the document score, the paragraph alignment and
//! the verdict. Pairs with no verdict are not reported.

use crate::compare::docscore::IdfSource;
use std::time::Instant;

use crate::candidates::rare_term_candidates;
use crate::compare::{Comparer, Comparison};
use crate::corpus::{Corpus, DocTable, InputStats};
use crate::error::Result;
use crate::model::{Pair, PairAlignment};
use crate::params::Params;
use crate::progress::{Observer, Stage};
use crate::DocIndex;

use super::context::CorpusContext;
use super::engine::{sketch_corpus, sort_pairs, verify_with, Sketched};
use super::{PairsResult, Timings};

/// Pass 1 and the candidates of the default mode, before verification.
#[derive(Debug)]
pub struct Candidates {
    /// Ids, locations and word counts of every document, from pass 1.
    pub docs: DocTable,
    /// Counts of what pass 1 read.
    pub stats: InputStats,
    /// Stem document frequencies and boilerplate from pass 1.
    pub context: CorpusContext,
    /// Candidate pairs `(a, b)`, `a < b`, sorted and unique.
    pub pairs: Vec<(DocIndex, DocIndex)>,
    /// LSH buckets linked as stars.
    pub star_buckets: usize,
    /// Wall time of pass 1.
    pub sketch: std::time::Duration,
    /// Wall time of candidate generation (all three generators).
    pub generate: std::time::Duration,
}

/// Pass 1 (sketch with stem statistics) and all three candidate generators: n-gram
/// LSH, rare-term signatures and paragraph keys.
pub fn candidates(corpus: &Corpus, params: &Params, obs: &dyn Observer) -> Result<Candidates> {
    let t0 = Instant::now();
    let Sketched {
        docs,
        index,
        stats,
        context,
    } = sketch_corpus(corpus, params, true, obs)?;
    let context = context.expect("asked for context");
    let t1 = Instant::now();
    obs.stage(Stage::Candidates, None);
    let (mut pairs, star_buckets) = index.candidates(params.max_bucket());
    drop(index);
    pairs.extend(rare_term_candidates(corpus, &docs, &context.idf, obs)?);
    pairs.sort_unstable();
    pairs.dedup();
    Ok(Candidates {
        docs,
        stats,
        context,
        pairs,
        star_buckets,
        sketch: t1 - t0,
        generate: t1.elapsed(),
    })
}

/// Compares every pair of `pairs` in full with the run's comparer (its threshold, the
/// corpus's document frequencies and boilerplate; duplicates are not aligned) and
/// keeps what `keep` makes of each comparison. Sorted by `(a, b)`.
pub fn verify<R, K>(
    corpus: &Corpus,
    c: &Candidates,
    pairs: &[(DocIndex, DocIndex)],
    params: &Params,
    obs: &dyn Observer,
    keep: K,
) -> Result<Vec<(DocIndex, DocIndex, R)>>
where
    R: Send,
    K: Fn(Comparison) -> Option<R> + Sync,
{
    let (ngram, threshold) = (params.ngram(), params.threshold());
    let boilerplate = &c.context.boilerplate;
    let idf = match params.idf() {
        IdfSource::Corpus => Some(&c.context.idf),
        IdfSource::Background => None,
    };
    verify_with(
        corpus,
        &c.docs,
        pairs,
        obs,
        || {
            Comparer::builder()
                .ngram(ngram)
                .near_duplicate_jaccard(threshold)
                .align_duplicates(false)
                // Only the figures are kept (the pairs output has no passages).
                .details(false)
                .build()
                .expect("validated parameters")
        },
        |cmp, text| cmp.prepare(text, &|k| boilerplate.contains(&k)),
        |cmp, a, b| keep(cmp.compare(a, b, idf)),
    )
}

/// Runs the default mode end to end: sketch (with stem statistics), candidates from
/// n-gram LSH, rare-term signatures and paragraph keys, full pair comparison, sort.
pub fn run(corpus: &Corpus, params: &Params, obs: &dyn Observer) -> Result<PairsResult> {
    run_where(corpus, params, obs, |_, _| true)
}

/// [`run`], comparing only the candidates `(a, b)` that `wanted` accepts (the pairs
/// touching new documents, for an index query): the others are never verified, and
/// `candidates` counts the accepted ones.
pub fn run_where(
    corpus: &Corpus,
    params: &Params,
    obs: &dyn Observer,
    wanted: impl Fn(DocIndex, DocIndex) -> bool,
) -> Result<PairsResult> {
    let mut c = candidates(corpus, params, obs)?;
    c.pairs.retain(|&(a, b)| wanted(a, b));
    let t2 = Instant::now();
    let verified = verify(corpus, &c, &c.pairs, params, obs, |cmp| {
        // Keep the figures, not the alignment: hundreds of thousands of pairs would
        // otherwise hold their link lists until the end of the run.
        cmp.verdict.map(|verdict| {
            (
                cmp.overlap,
                cmp.score,
                verdict,
                PairAlignment {
                    coverage_a: cmp.coverage_a,
                    coverage_b: cmp.coverage_b,
                    links: cmp.aligned.then_some(cmp.alignment.links.len()),
                },
            )
        })
    })?;
    let mut pairs: Vec<Pair> = verified
        .into_iter()
        .map(|(a, b, (overlap, score, verdict, alignment))| Pair {
            a,
            b,
            overlap,
            score,
            verdict,
            alignment: Some(alignment),
        })
        .collect();
    sort_pairs(&mut pairs, &c.docs);
    let t3 = Instant::now();
    Ok(PairsResult {
        candidates: c.pairs.len(),
        star_buckets: c.star_buckets,
        pairs,
        timings: Timings {
            sketch: c.sketch,
            candidates: c.generate,
            verify: t3 - t2,
        },
        docs: c.docs,
        stats: c.stats,
        context: Some(c.context),
    })
}
