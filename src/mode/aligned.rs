//! Reported pairs aligned in full for display (`report`, `report --from`): both texts,
//! their analyses and the comparison, computed with the run's statistics.

use crate::compare::docscore::IdfSource;
use std::sync::Arc;

use ahash::AHashMap;

use crate::compare::{Comparer, Comparison, Prepared};
use crate::corpus::{Corpus, DocTable};
use crate::error::Result;
use crate::model::{Pair, Verdict};
use crate::params::Params;
use crate::progress::Observer;
use crate::DocIndex;

use super::context::CorpusContext;
use super::engine::verify_with;

/// A document of an explained pair: its text and its analysis.
#[derive(Debug)]
pub struct AlignedDoc {
    /// The document's full text.
    pub text: String,
    /// The text prepared for comparison (with the run's boilerplate, if any).
    pub prepared: Prepared,
}

/// A reported pair compared in full, with both documents, for display.
#[derive(Debug)]
pub struct AlignedPair {
    /// The earlier document (corpus order), shared with its other pairs.
    pub a: std::sync::Arc<AlignedDoc>,
    /// The later document.
    pub b: std::sync::Arc<AlignedDoc>,
    /// The full comparison of `a` with `b`, with the run's verdict and score.
    pub comparison: Comparison,
}

/// Re-reads the documents of `pairs` (only those) and aligns each pair in full,
/// duplicates included, with the run's document frequencies and boilerplate when
/// `context` has them. The verdict and score shown are the run's (`pairs`), so a
/// report agrees with the list it explains. Returns one entry per pair, in order.
pub fn align_pairs(
    corpus: &Corpus,
    docs: &DocTable,
    pairs: &[Pair],
    context: Option<&CorpusContext>,
    params: &Params,
    obs: &dyn Observer,
) -> Result<Vec<AlignedPair>> {
    let wanted: Vec<(DocIndex, DocIndex, Option<Verdict>, f64)> = pairs
        .iter()
        .map(|p| (p.a, p.b, Some(p.verdict), p.score))
        .collect();
    align_listed(corpus, docs, &wanted, context, params, obs)
}

/// [`align_pairs`] for any list of `(a, b, verdict, score)` with `a` before `b` in
/// corpus order (no pair twice): the verdict and score shown are the ones given.
pub fn align_listed(
    corpus: &Corpus,
    docs: &DocTable,
    pairs: &[(DocIndex, DocIndex, Option<Verdict>, f64)],
    context: Option<&CorpusContext>,
    params: &Params,
    obs: &dyn Observer,
) -> Result<Vec<AlignedPair>> {
    let mut wanted: Vec<(DocIndex, DocIndex)> = pairs.iter().map(|p| (p.0, p.1)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let ngram = params.ngram();
    let threshold = params.threshold();
    let make = || {
        Comparer::builder()
            .ngram(ngram)
            .near_duplicate_jaccard(threshold)
            .build()
            .expect("validated parameters")
    };
    let explained = verify_with(
        corpus,
        docs,
        &wanted,
        obs,
        make,
        |cmp, text| {
            let prepared = cmp.prepare(text, &|k| {
                context.is_some_and(|c| c.boilerplate.contains(&k))
            });
            Arc::new(AlignedDoc {
                text: text.to_owned(),
                prepared,
            })
        },
        |cmp, a, b| {
            let idf = context
                .filter(|_| params.idf() == IdfSource::Corpus)
                .map(|c| &c.idf);
            let comparison = cmp.compare(&a.prepared, &b.prepared, idf);
            Some((Arc::clone(a), Arc::clone(b), comparison))
        },
    )?;
    type Found = (Arc<AlignedDoc>, Arc<AlignedDoc>, Comparison);
    let mut by_pair: AHashMap<(DocIndex, DocIndex), Found> =
        explained.into_iter().map(|(a, b, r)| ((a, b), r)).collect();
    pairs
        .iter()
        .map(|&(pa, pb, verdict, score)| {
            let (a, b, mut comparison) =
                by_pair.remove(&(pa, pb)).ok_or_else(|| corpus.changed())?;
            comparison.verdict = verdict;
            comparison.score = score;
            Ok(AlignedPair { a, b, comparison })
        })
        .collect()
}
