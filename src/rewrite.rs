//! The default mode: near-duplicates and rewrites at corpus scale.
//!
//! Rewrites share few word n-grams (the seed rewrite: 3.5% of its 5-grams), so MinHash
//! over n-grams cannot propose them. They do share rare vocabulary: names, numbers,
//! unusual words. Each document gets a **rare-term signature**: its
//! [`SIGNATURE_TERMS`] content stems of lowest document frequency among those found in
//! 2 to [`max_df`] documents (50, or 1 in 2,000 documents in corpora over 100,000,
//! at most 500; ties broken by the stem's hash, so it is deterministic). Two
//! documents sharing at least [`SIGNATURE_MIN_SHARED`] signature stems become
//! candidates. Posting lists are at most `max_df` long by construction, so the cost is
//! O(documents x terms x max df), linear in the corpus.
//! On the development data this proposed 97% of the newspaper / wire-copy pairs that
//! are reuse, with 0.06% of all pairs as candidates (EVALUATION.md).
//!
//! A document-wide signature misses **partial reuse** in large corpora: when a few
//! reworked paragraphs are all two documents share, their rare stems are a handful
//! among each document's forty. So each paragraph of at least
//! [`PARAGRAPH_MIN_STEMS`] distinct content stems also gets a **paragraph key**: the
//! hash of its [`PARAGRAPH_KEY_STEMS`] (four) rarest content stems (document frequency
//! at least 2, however common; ties by hash). Four stems together are rare even when
//! each is not, and a reworded paragraph keeps its names and numbers, so it keeps its
//! key. Documents sharing a key become candidates; keys found in more than
//! [`PARAGRAPH_KEY_MAX_DOCS`] documents are dropped, which bounds the cost per key. On
//! the generated 100k corpus this took the recall of planted partial reuse from 0.10
//! to 0.81 (BENCHMARKS.md).
//!
//! Candidates from all three generators (n-gram LSH, rare-term signatures, paragraph
//! keys) are verified by the full pair comparison ([`crate::compare`]): n-gram overlap,
//! the document score, the paragraph alignment and the verdict. Pairs with no verdict
//! are not reported.

use std::time::Instant;

use rayon::prelude::*;

use crate::align::docscore::DocIdf;
use crate::compare::{Comparer, Comparison};
use crate::corpus::{Batch, Corpus, Selection};
use crate::docs::DocTable;
use crate::error::{Error, Result};
use crate::params::Params;
use crate::pipeline::{
    sketch_corpus, sort_pairs, verify_with, CorpusContext, Observer, Pair, PairAlignment,
    PairsResult, Sketched, Stage, Timings,
};
use crate::DocIndex;

/// Stems per rare-term signature.
pub const SIGNATURE_TERMS: usize = 40;
/// Shared signature stems that make two documents candidates.
pub const SIGNATURE_MIN_SHARED: usize = 4;
/// Stems in more documents than this are not rare (in corpora up to 100,000
/// documents; see [`max_df`]).
pub const SIGNATURE_MAX_DF: u32 = 50;
/// Distinct content stems a paragraph needs to get a paragraph key.
pub const PARAGRAPH_MIN_STEMS: usize = 8;
/// Rarest stems hashed into a paragraph key.
pub const PARAGRAPH_KEY_STEMS: usize = 4;
/// Paragraph keys in more documents than this propose no pairs.
pub const PARAGRAPH_KEY_MAX_DOCS: usize = 50;
/// In larger corpora a stem is rare up to 1 in this many documents...
pub const SIGNATURE_DF_SHARE: u64 = 2_000;
/// ...and never above this many.
pub const SIGNATURE_MAX_DF_CAP: u32 = 500;

/// The document frequency up to which a stem counts as rare in a corpus of `docs`
/// documents: 1 in [`SIGNATURE_DF_SHARE`] documents, but at least [`SIGNATURE_MAX_DF`]
/// and at most [`SIGNATURE_MAX_DF_CAP`]. A fixed cap would leave large corpora with no
/// rare terms at all (a name in 60 of a million articles is rare); the upper bound
/// keeps posting lists, and so the cost per document, bounded.
pub fn max_df(docs: u64) -> u32 {
    let share = (docs / SIGNATURE_DF_SHARE).min(u32::MAX as u64) as u32;
    share.clamp(SIGNATURE_MAX_DF, SIGNATURE_MAX_DF_CAP)
}

/// The rare-term signature of a document (see the module docs), sorted by stem.
pub fn signature(stems: &[u64], idf: &DocIdf, max_df: u32) -> Vec<u64> {
    let mut rare: Vec<(u32, u64)> = stems
        .iter()
        .map(|&s| (idf.df(s), s))
        .filter(|&(df, _)| (2..=max_df).contains(&df))
        .collect();
    rare.sort_unstable();
    rare.truncate(SIGNATURE_TERMS);
    let mut out: Vec<u64> = rare.into_iter().map(|(_, s)| s).collect();
    out.sort_unstable();
    out
}

/// The paragraph key of one paragraph's distinct content stems (see the module docs),
/// or `None` when the paragraph is too short or has too few stems in two documents.
pub fn paragraph_key(stems: &[u64], idf: &DocIdf) -> Option<u64> {
    if stems.len() < PARAGRAPH_MIN_STEMS {
        return None;
    }
    let mut rare: Vec<(u32, u64)> = stems
        .iter()
        .map(|&s| (idf.df(s), s))
        .filter(|&(df, _)| df >= 2)
        .collect();
    if rare.len() < PARAGRAPH_KEY_STEMS {
        return None;
    }
    rare.select_nth_unstable(PARAGRAPH_KEY_STEMS - 1);
    let mut key: Vec<u64> = rare[..PARAGRAPH_KEY_STEMS]
        .iter()
        .map(|&(_, s)| s)
        .collect();
    key.sort_unstable();
    // The stems are already hashes: mix them in order.
    Some(key.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &s| {
        (h ^ s).wrapping_mul(0xFF51_AFD7_ED55_8CCD).rotate_left(29)
    }))
}

/// Candidate pairs from rare-term signatures and paragraph keys: one more pass over
/// the corpus.
pub fn rare_term_candidates(
    corpus: &Corpus,
    docs: &DocTable,
    idf: &DocIdf,
    obs: &dyn Observer,
) -> Result<Vec<(DocIndex, DocIndex)>> {
    let n = docs.len();
    let mut selection = Selection::new(corpus.sources().len());
    for d in 0..n as DocIndex {
        let (s, l) = docs.location(d);
        selection.push(s, l, docs.offset(d));
    }
    obs.stage(Stage::Candidates, Some(corpus.total_bytes()));
    let max_df = max_df(idf.docs());
    let work = |batch: &Batch| -> Vec<(Vec<u64>, Vec<u64>)> {
        let mut an = crate::align::Analyzer::default();
        batch
            .records()
            .iter()
            .map(|rec| match corpus.parse(rec) {
                Ok(doc) => {
                    let text: &str = &doc.text;
                    let mut stems = Vec::new();
                    let mut keys = Vec::new();
                    for span in crate::text::paragraph::paragraph_spans(text) {
                        let mut para = an.content_stems(&text[span]);
                        para.sort_unstable();
                        para.dedup();
                        keys.extend(paragraph_key(&para, idf));
                        stems.extend_from_slice(&para);
                    }
                    stems.sort_unstable();
                    stems.dedup();
                    keys.sort_unstable();
                    keys.dedup();
                    (signature(&stems, idf, max_df), keys)
                }
                Err(_) => (Vec::new(), Vec::new()),
            })
            .collect()
    };
    // Postings: (stem, doc) and (paragraph key, doc), built in corpus order.
    let mut postings: Vec<(u64, DocIndex)> = Vec::new();
    let mut key_postings: Vec<(u64, DocIndex)> = Vec::new();
    let mut sig_offsets: Vec<usize> = Vec::with_capacity(n + 1);
    let mut sig_terms: Vec<u64> = Vec::new();
    sig_offsets.push(0);
    let mut cursor: DocIndex = 0;
    corpus.map_batches(Some(&selection), Some(obs), work, |_, sigs| {
        for (sig, keys) in sigs {
            if cursor as usize >= n {
                return Err(Error::Param(
                    "the input changed while it was being read".into(),
                ));
            }
            postings.extend(sig.iter().map(|&s| (s, cursor)));
            key_postings.extend(keys.iter().map(|&k| (k, cursor)));
            sig_terms.extend_from_slice(&sig);
            sig_offsets.push(sig_terms.len());
            cursor += 1;
        }
        Ok(())
    })?;
    if cursor as usize != n {
        return Err(Error::Param(
            "the input changed while it was being read".into(),
        ));
    }
    postings.par_sort_unstable();
    let lookup = |s: u64| -> &[(u64, DocIndex)] {
        let lo = postings.partition_point(|&(t, _)| t < s);
        let hi = postings.partition_point(|&(t, _)| t <= s);
        &postings[lo..hi]
    };
    let mut pairs: Vec<(DocIndex, DocIndex)> = (0..n as DocIndex)
        .into_par_iter()
        .flat_map_iter(|d| {
            let mut counts: ahash::AHashMap<DocIndex, u32> = ahash::AHashMap::new();
            for &s in &sig_terms[sig_offsets[d as usize]..sig_offsets[d as usize + 1]] {
                for &(_, e) in lookup(s) {
                    if e > d {
                        *counts.entry(e).or_insert(0) += 1;
                    }
                }
            }
            let mut found: Vec<(DocIndex, DocIndex)> = counts
                .into_iter()
                .filter(|&(_, c)| c as usize >= SIGNATURE_MIN_SHARED)
                .map(|(e, _)| (d, e))
                .collect();
            found.sort_unstable();
            found.into_iter()
        })
        .collect();
    drop(postings);
    pairs.extend(paragraph_key_pairs(key_postings));
    pairs.par_sort_unstable();
    pairs.dedup();
    Ok(pairs)
}

/// Pairs of documents sharing a paragraph key held by at most
/// [`PARAGRAPH_KEY_MAX_DOCS`] documents; `(a, b)` with `a < b`, unsorted.
fn paragraph_key_pairs(mut postings: Vec<(u64, DocIndex)>) -> Vec<(DocIndex, DocIndex)> {
    postings.par_sort_unstable();
    let groups: Vec<&[(u64, DocIndex)]> = postings
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|g| (2..=PARAGRAPH_KEY_MAX_DOCS).contains(&g.len()))
        .collect();
    groups
        .par_iter()
        .flat_map_iter(|g| {
            // Documents within a group are in corpus order (sorted postings).
            (0..g.len()).flat_map(move |x| (x + 1..g.len()).map(move |y| (g[x].1, g[y].1)))
        })
        .collect()
}

/// Pass 1 and the candidates of the default mode, before verification.
#[derive(Debug)]
pub struct Candidates {
    pub docs: DocTable,
    pub stats: crate::pipeline::InputStats,
    /// Stem document frequencies and boilerplate from pass 1.
    pub context: CorpusContext,
    /// Candidate pairs `(a, b)`, `a < b`, sorted and unique.
    pub pairs: Vec<(DocIndex, DocIndex)>,
    /// LSH buckets linked as stars.
    pub star_buckets: usize,
    /// Time of pass 1 and of candidate generation.
    pub sketch: std::time::Duration,
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
    let (mut pairs, star_buckets) = index.candidates(params.max_bucket);
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
    let (ngram, threshold) = (params.ngram, params.threshold);
    let boilerplate = &c.context.boilerplate;
    let idf = &c.context.idf;
    verify_with(
        corpus,
        &c.docs,
        pairs,
        obs,
        || {
            let mut cmp = Comparer::new(ngram);
            cmp.rules.near_duplicate_jaccard = threshold;
            cmp.align_duplicates = false;
            cmp
        },
        |cmp, text| cmp.prepare(text, &|k| boilerplate.contains(&k)),
        |cmp, a, b| keep(cmp.compare(a, b, Some(idf))),
    )
}

/// Runs the default mode end to end: sketch (with stem statistics), candidates from
/// n-gram LSH, rare-term signatures and paragraph keys, full pair comparison, sort.
pub fn find_all(corpus: &Corpus, params: &Params, obs: &dyn Observer) -> Result<PairsResult> {
    let c = candidates(corpus, params, obs)?;
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
                    links: cmp.alignment.links.len(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_means_rarer_in_larger_corpora_within_bounds() {
        assert_eq!(max_df(0), SIGNATURE_MAX_DF);
        assert_eq!(max_df(2_230), SIGNATURE_MAX_DF);
        assert_eq!(max_df(100_000), SIGNATURE_MAX_DF);
        assert_eq!(max_df(400_000), 200);
        assert_eq!(max_df(1_000_000), 500);
        assert_eq!(max_df(50_000_000), SIGNATURE_MAX_DF_CAP);
    }

    #[test]
    fn paragraph_keys_follow_the_four_rarest_stems() {
        // Stems 1..=20; stem s is in 22 - s documents, so 20 is the rarest (df 2)
        // and 21.. are in one document only.
        let mut idf = DocIdf::new();
        for d in 0..21u64 {
            let stems: Vec<u64> = (1..=20).filter(|&s| s + d <= 21).collect();
            idf.add(&stems);
        }
        idf.add(&[21, 22, 23]);
        assert_eq!(idf.df(20), 2);
        assert_eq!(idf.df(21), 1);
        let p: Vec<u64> = (10..=20).collect();
        let key = paragraph_key(&p, &idf).unwrap();
        // Other common words, same four rarest stems (17 to 20): same key.
        let reworded: Vec<u64> = (5..=8).chain(17..=20).collect();
        assert_eq!(paragraph_key(&reworded, &idf), Some(key));
        // Stems found in one document only are no evidence: ignored.
        let with_singletons: Vec<u64> = (10..=23).collect();
        assert_eq!(paragraph_key(&with_singletons, &idf), Some(key));
        // A different rare stem, a different key.
        let other: Vec<u64> = (10..=16).chain([18, 19, 20]).collect();
        assert_ne!(paragraph_key(&other, &idf), Some(key));
        // Too few stems: no key.
        assert_eq!(paragraph_key(&p[..PARAGRAPH_MIN_STEMS - 1], &idf), None);
    }

    #[test]
    fn paragraph_key_groups_propose_pairs_unless_too_common() {
        let mut postings = vec![(7u64, 3), (7, 1), (9, 2), (7, 5)];
        // A key in more than PARAGRAPH_KEY_MAX_DOCS documents proposes nothing.
        postings.extend((0..=PARAGRAPH_KEY_MAX_DOCS as DocIndex).map(|d| (11u64, 100 + d)));
        let mut pairs = paragraph_key_pairs(postings);
        pairs.sort_unstable();
        assert_eq!(pairs, vec![(1, 3), (1, 5), (3, 5)]);
    }
}
