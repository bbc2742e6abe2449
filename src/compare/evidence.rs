//! The evidence behind a comparison: the figures the verdict rules read, and evidence of
//! reuse that does not depend on the texts' lengths.
//!
//! Length-independent figures:
//!
//! * `longest_run`: the longest run of identical words (tokens as [`crate::text`]
//!   defines them, stop words included, boilerplate paragraphs left out) found in both
//!   texts. Found in one pass from shared word trigrams ([`longest_run`]): each shared
//!   trigram is extended in both directions once per diagonal, so the cost is linear in
//!   the words of the two texts. A run of 50 identical words is evidence of reuse
//!   whatever the lengths of the documents around it.
//! * `aligned_pairs`, `aligned_idf`: the number of sentence links, and the sum over
//!   links of the IDF weights of the content stems each linked pair shares (IDF over the
//!   sentences of the two texts, as the aligner weighs them: nothing from the batch).
//! * `best_link`: the highest sentence link score; `strong_links`: links scoring at
//!   least [`STRONG_LINK`].
//! * `passages`: aligned passages ([`mod@super::passages`]).
//!
//! The verdict is not decided from these yet; they are reported so that it can be
//! checked, and measured (EVALUATION.md).

use ahash::{AHashMap, AHashSet};
use serde::Serialize;

use super::align::{Alignment, Analyzed, LinkKind, UnitIdf};
use super::analyze::TermHash;

/// Link score at or above which a sentence link counts in `strong_links`.
pub const STRONG_LINK: f64 = 0.5;

/// At most this many positions of one word trigram in A are tried as anchors of a run
/// (bounds the cost on repetitive text, where the longest run is then a lower bound).
const MAX_ANCHORS: usize = 64;

/// The evidence object of a comparison (`evidence` in JSON output).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReuseEvidence {
    /// Word n-gram Jaccard of the two texts (the verdict's duplicate rules).
    pub jaccard: f64,
    /// Word n-grams the two texts share.
    pub shared_ngrams: usize,
    /// The document score `D`.
    pub score: f64,
    /// Share of A's words in linked sentences.
    pub coverage_a: f64,
    /// Share of B's words in linked sentences.
    pub coverage_b: f64,
    /// Sentence equivalence, for short texts only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<f64>,
    /// Sentence units of A.
    pub units_a: usize,
    /// Sentence units of B.
    pub units_b: usize,
    /// Sentence links (aligned sentence pairs).
    pub aligned_pairs: usize,
    /// Links whose sentences are identical or lightly edited.
    pub close_links: usize,
    /// Sum over links of the IDF of the content stems the linked sentences share.
    pub aligned_idf: f64,
    /// The best sentence link score, in `[0, 1]` (0 without links).
    pub best_link: f64,
    /// Links scoring at least [`STRONG_LINK`].
    pub strong_links: usize,
    /// The longest run of identical words shared by the two texts.
    pub longest_run: usize,
    /// Aligned passages ([`mod@super::passages`]).
    pub passages: usize,
    /// Strong passages ([`super::passages::Passage::is_strong`]).
    pub strong_passages: usize,
}

/// The word hashes of a document's sentence units, in order (boilerplate left out).
pub fn doc_tokens(doc: &Analyzed) -> Vec<TermHash> {
    let mut out = Vec::with_capacity(doc.words);
    for u in &doc.units {
        out.extend_from_slice(&u.tokens);
    }
    out
}

fn tri(w: &[TermHash]) -> u64 {
    crate::shingle::fmix64(
        w[0].rotate_left(21) ^ w[1].rotate_left(42).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ w[2],
    )
}

/// The length of the longest common run of `a` and `b` (see the module docs).
pub fn longest_run(a: &[TermHash], b: &[TermHash]) -> usize {
    let mut best = 0usize;
    if a.len() >= 3 && b.len() >= 3 {
        let mut anchors: AHashMap<u64, Vec<u32>> = AHashMap::with_capacity(a.len());
        for (i, w) in a.windows(3).enumerate() {
            let v = anchors.entry(tri(w)).or_default();
            if v.len() < MAX_ANCHORS {
                v.push(i as u32);
            }
        }
        // Per diagonal (i - j), the end in B of the last run extended on it.
        let mut done: AHashMap<i64, usize> = AHashMap::new();
        for (j, w) in b.windows(3).enumerate() {
            let Some(list) = anchors.get(&tri(w)) else {
                continue;
            };
            for &i in list {
                let i = i as usize;
                let d = i as i64 - j as i64;
                if done.get(&d).is_some_and(|&end| end > j) {
                    continue;
                }
                let (mut s, mut t) = (i, j);
                while s > 0 && t > 0 && a[s - 1] == b[t - 1] {
                    s -= 1;
                    t -= 1;
                }
                let (mut e, mut f) = (i, j);
                while e < a.len() && f < b.len() && a[e] == b[f] {
                    e += 1;
                    f += 1;
                }
                done.insert(d, f.max(j + 1));
                best = best.max(e - s);
            }
        }
    }
    if best >= 3 {
        return best;
    }
    let pairs: AHashSet<(u64, u64)> = a.windows(2).map(|w| (w[0], w[1])).collect();
    if b.windows(2).any(|w| pairs.contains(&(w[0], w[1]))) {
        return 2;
    }
    let words: AHashSet<u64> = a.iter().copied().collect();
    usize::from(b.iter().any(|w| words.contains(w)))
}

fn shared_idf(a: &[TermHash], b: &[TermHash], idf: &UnitIdf) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += idf.idf(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The link figures of `evidence` (aligned pairs, their IDF mass, best and strong
/// links, close links) and the longest run, for an alignment of `a` with `b`.
pub fn link_evidence(a: &Analyzed, b: &Analyzed, al: &Alignment, e: &mut ReuseEvidence) {
    e.aligned_pairs = al.units.len();
    e.close_links = al
        .units
        .iter()
        .filter(|l| l.kind != LinkKind::Paraphrase)
        .count();
    e.best_link = al.units.iter().map(|l| l.score).fold(0.0, f64::max);
    e.strong_links = al.units.iter().filter(|l| l.score >= STRONG_LINK).count();
    if !al.units.is_empty() {
        let idf = UnitIdf::from_docs(&[a, b]);
        e.aligned_idf = al
            .units
            .iter()
            .map(|l| shared_idf(&a.units[l.a].stems, &b.units[l.b].stems, &idf))
            .sum();
    }
    e.longest_run = longest_run(&doc_tokens(a), &doc_tokens(b));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Comparer;
    use proptest::prelude::*;

    fn naive(a: &[u64], b: &[u64]) -> usize {
        let mut best = 0;
        for i in 0..a.len() {
            for j in 0..b.len() {
                let mut k = 0;
                while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                    k += 1;
                }
                best = best.max(k);
            }
        }
        best
    }

    #[test]
    fn longest_run_of_small_cases() {
        assert_eq!(longest_run(&[], &[1, 2]), 0);
        assert_eq!(longest_run(&[1, 2, 3], &[4, 5, 6]), 0);
        assert_eq!(longest_run(&[1, 2, 3], &[9, 3, 8]), 1);
        assert_eq!(longest_run(&[1, 2, 3], &[9, 2, 3]), 2);
        assert_eq!(longest_run(&[7, 1, 2, 3, 4, 9], &[0, 1, 2, 3, 4, 5, 6]), 4);
    }

    #[test]
    fn evidence_of_a_verbatim_passage_in_a_long_text() {
        let copied = "Seventeen fishermen from the northern harbour signed a petition against \
            the mooring fees on Tuesday, saying the council had ignored them for years.";
        let filler: String = (0..40)
            .map(|i| format!("Paragraph {i} is about gardening and the weather in spring. "))
            .collect();
        let a = format!("{filler}\n\n{copied}\n\n{filler}");
        let b = format!("A short note.\n\n{copied}");
        let c = Comparer::default().compare_texts(&a, &b);
        let e = &c.evidence;
        assert_eq!(e.longest_run, 23);
        assert_eq!(e.aligned_pairs, 1);
        assert_eq!(e.strong_links, 1);
        assert_eq!(e.close_links, 1);
        assert!(e.best_link > 0.9 && e.aligned_idf > 0.0);
        assert_eq!(e.passages, 1);
        assert!(e.coverage_a < 0.1);
    }

    proptest! {
        #[test]
        fn longest_run_matches_the_quadratic_definition(
            a in prop::collection::vec(0u64..4, 0..60),
            b in prop::collection::vec(0u64..4, 0..60),
        ) {
            prop_assert_eq!(longest_run(&a, &b), naive(&a, &b));
        }
    }
}
