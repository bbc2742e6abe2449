//! Word n-gram shingles hashed to stable 64-bit values.
//!
//! The hashes are part of the interface: they decide which documents match, and a user
//! comparing runs across machines or versions must get the same answer. So they are
//! defined here exactly and pinned by golden-value tests:
//!
//! * a word's hash is XXH3-64 (seed 0) of its normalized UTF-8 bytes ([`word_hash`]);
//! * a shingle of words `w1..wn` (n >= 1) hashes to
//!   `fmix64(fold(n * K, w1..wn))` where each step is `h = (rotl(h, 27) ^ wi) * K`,
//!   `K = 0x9E3779B97F4A7C15` (wrapping), and `fmix64` is MurmurHash3's 64-bit
//!   finalizer ([`shingle_hash`]).
//!
//! Shingles run across sentence and paragraph boundaries. A document with fewer words
//! than `n` (but at least one) has a single shingle of all its words, so short texts
//! still match exact copies of themselves; a document with no words has no shingles.
//! `ahash` is never used here: its output may change between versions and CPUs.

use xxhash_rust::xxh3::xxh3_64;

use crate::text::Tokenizer;

/// Default shingle length in words (see the README for the measurement behind it).
pub const DEFAULT_NGRAM: usize = 5;

/// A 64-bit shingle hash.
pub type ShingleHash = u64;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// MurmurHash3's 64-bit finalizer: a bijection that spreads every input bit.
#[inline]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    h
}

/// Stable hash of one normalized word: XXH3-64 with seed 0.
///
/// ```
/// // Pinned: the same on every machine and in every version.
/// assert_eq!(reprint::shingle::word_hash("ceasefire"), 0xB2DA_9A59_0DFC_3519);
/// ```
#[inline]
pub fn word_hash(word: &str) -> u64 {
    xxh3_64(word.as_bytes())
}

#[inline]
fn word_hash_bytes(word: &[u8]) -> u64 {
    xxh3_64(word)
}

/// Stable hash of a sequence of word hashes (one shingle).
///
/// ```
/// use reprint::shingle::shingle_hash;
/// assert_eq!(shingle_hash(&[1, 2, 3]), 0x110B_103D_8ED6_4ACD); // pinned
/// assert_ne!(shingle_hash(&[1, 2, 3]), shingle_hash(&[3, 2, 1])); // order matters
/// ```
#[inline]
pub fn shingle_hash(words: &[u64]) -> ShingleHash {
    let mut h = (words.len() as u64).wrapping_mul(K);
    for &w in words {
        h = (h.rotate_left(27) ^ w).wrapping_mul(K);
    }
    fmix64(h)
}

/// Turns texts into shingle hashes; holds reusable buffers, so keep one per thread.
#[derive(Debug, Clone)]
pub struct Shingler {
    n: usize,
    words: Vec<u64>,
    tokenizer: Tokenizer,
}

impl Shingler {
    /// A shingler for word `n`-grams. `n` must be at least 1 (validated by
    /// [`crate::Params`]); 0 is treated as 1.
    pub fn new(n: usize) -> Self {
        Shingler {
            n: n.max(1),
            words: Vec::with_capacity(1024),
            tokenizer: Tokenizer::default(),
        }
    }

    /// The shingle length in words.
    pub fn ngram(&self) -> usize {
        self.n
    }

    /// Appends the shingle hashes of `text` to `out`, in text order (repeats kept), and
    /// returns the number of words.
    pub fn shingles(&mut self, text: &str, out: &mut Vec<ShingleHash>) -> usize {
        self.words.clear();
        let words = &mut self.words;
        self.tokenizer
            .for_each_word(text, |w| words.push(word_hash_bytes(w)));
        Self::shingles_of_words(&self.words, self.n, out);
        self.words.len()
    }

    /// Appends the shingle hashes of a sequence of word hashes to `out`.
    pub fn shingles_of_words(words: &[u64], n: usize, out: &mut Vec<ShingleHash>) {
        if words.is_empty() {
            return;
        }
        if words.len() < n {
            out.push(shingle_hash(words));
            return;
        }
        out.extend(words.windows(n).map(shingle_hash));
    }

    /// The set of shingle hashes of `text`: sorted, without repeats. Returns the set and
    /// the number of words.
    ///
    /// ```
    /// use reprint::shingle::Shingler;
    /// let mut sh = Shingler::new(2);
    /// // 5 words, 4 bigrams, one repeated ("a b"): 3 distinct shingles.
    /// let (set, words) = sh.shingle_set("a b c a b");
    /// assert_eq!((set.len(), words), (3, 5));
    /// assert!(set.windows(2).all(|w| w[0] < w[1]));
    /// // Case, spacing and typographic punctuation do not change the words.
    /// assert_eq!(sh.shingle_set("A  B\n\nC a b").0, set);
    /// ```
    pub fn shingle_set(&mut self, text: &str) -> (Vec<ShingleHash>, usize) {
        let mut out = Vec::new();
        let words = self.shingles(text, &mut out);
        out.sort_unstable();
        out.dedup();
        (out, words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(text: &str, n: usize) -> Vec<u64> {
        let mut out = Vec::new();
        Shingler::new(n).shingles(text, &mut out);
        out
    }

    // Golden values: these must never change (see the module docs). A change here means
    // every saved result and index silently stops matching.
    #[test]
    fn golden_values() {
        assert_eq!(word_hash(""), GOLDEN_EMPTY);
        assert_eq!(word_hash("ceasefire"), GOLDEN_WORD);
        assert_eq!(shingle_hash(&[1, 2, 3]), GOLDEN_SHINGLE_123);
        assert_eq!(
            hashes("Gaps are narrowing, Blinken said.", 5),
            GOLDEN_SENTENCE.to_vec()
        );
    }
    // XXH3-64 of the empty input, as published with the XXH3 reference implementation.
    const GOLDEN_EMPTY: u64 = 0x2D06_8005_38D3_94C2;
    const GOLDEN_WORD: u64 = 0xB2DA_9A59_0DFC_3519;
    const GOLDEN_SHINGLE_123: u64 = 0x110B_103D_8ED6_4ACD;
    const GOLDEN_SENTENCE: [u64; 1] = [0x3D84_6C4A_6FE1_B037];

    #[test]
    fn shingles_are_normalized_word_ngrams() {
        assert_eq!(
            hashes("The  QUICK brown fox", 2),
            hashes("the quick\n\nbrown fox", 2)
        );
        assert_eq!(hashes("a b c d e f", 5).len(), 2);
        assert_ne!(hashes("a b", 2), hashes("b a", 2), "order matters");
    }

    #[test]
    fn short_texts_have_one_shingle_and_empty_texts_none() {
        assert_eq!(hashes("just three words", 5).len(), 1);
        assert!(hashes(" ... ", 5).is_empty());
        assert_ne!(hashes("one two", 5), hashes("one two three", 5));
    }

    #[test]
    fn shingle_set_is_sorted_and_unique() {
        let (set, words) = Shingler::new(1).shingle_set("a b a b c");
        assert_eq!(words, 5);
        assert_eq!(set.len(), 3);
        assert!(set.windows(2).all(|w| w[0] < w[1]));
    }
}
