//! Paragraph keys: the hash of a paragraph's four rarest content stems.
//!
//! Each paragraph of at least [`PARAGRAPH_MIN_STEMS`] distinct content stems gets a
//! **paragraph key**: the hash of its [`PARAGRAPH_KEY_STEMS`] (four) rarest content
//! stems (document frequency at least 2, however common; ties by hash). Four stems
//! together are rare even when each is not, and a reworded paragraph keeps its names
//! and numbers, so it keeps its key. Documents sharing a key become candidates; keys
//! found in more than [`PARAGRAPH_KEY_MAX_DOCS`] documents are dropped, which bounds the
//! cost per key.

use rayon::prelude::*;

use crate::compare::docscore::DocIdf;
use crate::DocIndex;

/// Distinct content stems a paragraph needs to get a paragraph key.
pub const PARAGRAPH_MIN_STEMS: usize = 8;
/// Rarest stems hashed into a paragraph key.
pub const PARAGRAPH_KEY_STEMS: usize = 4;
/// Paragraph keys in more documents than this propose no pairs.
pub const PARAGRAPH_KEY_MAX_DOCS: usize = 50;

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

/// Pairs of documents sharing a paragraph key held by at most
/// [`PARAGRAPH_KEY_MAX_DOCS`] documents; `(a, b)` with `a < b`, unsorted.
pub(crate) fn paragraph_key_pairs(mut postings: Vec<(u64, DocIndex)>) -> Vec<(DocIndex, DocIndex)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
