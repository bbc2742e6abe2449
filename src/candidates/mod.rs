//! Candidate generators beyond n-gram LSH ([`crate::lsh`]), for the default mode.
//!
//! Rewrites share few word n-grams (the seed rewrite: 3.5% of its 5-grams), so MinHash
//! over n-grams cannot propose them. They do share rare vocabulary: names, numbers,
//! unusual words. [`rare_terms`] gives each document a signature of its rarest content
//! stems; on the development data this proposed 97% of the newspaper / wire-copy pairs
//! that are reuse, with 0.06% of all pairs as candidates (EVALUATION.md).
//!
//! A document-wide signature misses **partial reuse** in large corpora: when a few
//! reworked paragraphs are all two documents share, their rare stems are a handful
//! among each document's forty. [`paragraph_keys`] gives each long enough paragraph a
//! key made of its four rarest stems. On the generated 100k corpus this took the recall
//! of planted partial reuse from 0.10 to 0.81 (BENCHMARKS.md).
//!
//! Both need the corpus's stem document frequencies, so they run as one more pass over
//! the corpus ([`rare_term_candidates`]) after pass 1 has counted them. Every candidate
//! is verified afterwards by the full pair comparison; nothing here decides a verdict.
//!
//! Invariant: candidate pairs are `(a, b)` with `a < b`, sorted and unique.

pub mod paragraph_keys;
pub mod rare_terms;

use rayon::prelude::*;

use crate::compare::docscore::DocIdf;
use crate::corpus::{Batch, Corpus, DocTable, Selection};
use crate::error::Result;
use crate::progress::{Observer, Stage};
use crate::DocIndex;
use paragraph_keys::{paragraph_key, paragraph_key_pairs};
use rare_terms::{max_df, signature, SIGNATURE_MIN_SHARED};

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
        let mut an = crate::compare::analyze::Analyzer::default();
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
                return Err(corpus.changed());
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
        return Err(corpus.changed());
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
