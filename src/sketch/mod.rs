//! MinHash signatures of shingle sets.
//!
//! Two schemes are implemented, both over the 64-bit shingle hashes of
//! [`crate::shingle`]:
//!
//! * [`Scheme::OnePermutation`] (the default): one-permutation hashing with optimal
//!   densification (Li, Owen & Zhang 2012; Shrivastava 2017). Each shingle hash is mixed
//!   once and lands in one of `K` bins (by its high bits), which keeps its minimum. Empty
//!   bins borrow the value of the first non-empty bin along a fixed pseudo-random probe
//!   sequence that depends only on the bin number, so two documents borrow from the same
//!   place and the probability that slot `i` agrees is still the Jaccard similarity.
//!   Cost: O(shingles + K) per document.
//! * [`Scheme::MultiplyShift`]: `K` independent multiply-add permutations
//!   `a_i * h + b_i (mod 2^64)` with odd `a_i`, the classic estimator. Cost:
//!   O(shingles x K). Kept as the reference and for users who want the textbook scheme.
//!
//! A signature is `K` `u64` values. Signatures are deterministic: the coefficients come
//! from a fixed seed, so the same text gives the same signature on every machine.
//! Measured trade-offs are in `BENCHMARKS.md`.

mod oph;

use crate::shingle::{fmix64, ShingleHash};

pub use oph::densify;

/// Default number of signature slots.
pub const DEFAULT_PERMS: usize = 128;

/// Seed of every pseudo-random constant used by the sketches (fixed, documented).
pub const SKETCH_SEED: u64 = 0x7265_7072_696E_7431; // "reprint1"

/// Which MinHash construction to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// One permutation hashing with optimal densification.
    #[default]
    OnePermutation,
    /// K multiply-add permutations.
    MultiplyShift,
}

impl Scheme {
    /// The name used on the command line and in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::OnePermutation => "one-permutation",
            Scheme::MultiplyShift => "multiply-shift",
        }
    }
}

/// SplitMix64: the generator for the fixed coefficients.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        fmix64(self.0)
    }
}

/// Computes MinHash signatures. Cheap to clone; share one across threads.
#[derive(Debug, Clone)]
pub struct MinHasher {
    scheme: Scheme,
    k: usize,
    /// multiply-shift: (a, b) per slot.
    coeffs: Vec<(u64, u64)>,
}

/// Marks a slot with no value yet.
pub const EMPTY: u64 = u64::MAX;

impl MinHasher {
    /// A hasher with `k` slots (k >= 1).
    pub fn new(scheme: Scheme, k: usize) -> Self {
        let k = k.max(1);
        let coeffs = match scheme {
            Scheme::OnePermutation => Vec::new(),
            Scheme::MultiplyShift => {
                let mut rng = SplitMix64::new(SKETCH_SEED);
                (0..k)
                    .map(|_| (rng.next_u64() | 1, rng.next_u64()))
                    .collect()
            }
        };
        MinHasher { scheme, k, coeffs }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.k
    }

    /// Always false: a hasher has at least one slot.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Writes the signature of a shingle multiset into `sig` (length `k`). Returns false
    /// (and leaves `sig` all [`EMPTY`]) when there are no shingles.
    pub fn sketch_into(&self, shingles: &[ShingleHash], sig: &mut [u64]) -> bool {
        assert_eq!(sig.len(), self.k, "signature buffer has the wrong length");
        sig.fill(EMPTY);
        if shingles.is_empty() {
            return false;
        }
        match self.scheme {
            Scheme::OnePermutation => oph::sketch(shingles, sig),
            Scheme::MultiplyShift => self.multiply_shift(shingles, sig),
        }
        true
    }

    /// The signature of a shingle multiset, or `None` when it is empty.
    ///
    /// ```
    /// use reprint::sketch::{estimate_jaccard, MinHasher, Scheme};
    /// let h = MinHasher::new(Scheme::OnePermutation, 128);
    /// // |A n B| = 900, |A u B| = 1100: Jaccard 0.818.
    /// let a: Vec<u64> = (0..1000).collect();
    /// let b: Vec<u64> = (100..1100).collect();
    /// let (sa, sb) = (h.sketch(&a).unwrap(), h.sketch(&b).unwrap());
    /// assert_eq!(sa.len(), 128);
    /// assert!((estimate_jaccard(&sa, &sb) - 900.0 / 1100.0).abs() < 0.1);
    /// assert_eq!(h.sketch(&a), h.sketch(&a)); // deterministic
    /// assert_eq!(h.sketch(&[]), None);
    /// ```
    pub fn sketch(&self, shingles: &[ShingleHash]) -> Option<Vec<u64>> {
        let mut sig = vec![EMPTY; self.k];
        self.sketch_into(shingles, &mut sig).then_some(sig)
    }

    fn multiply_shift(&self, shingles: &[ShingleHash], sig: &mut [u64]) {
        // Slot-major in chunks so the inner loop runs over a contiguous block of
        // coefficients for one shingle (auto-vectorizes the min over lanes).
        const CHUNK: usize = 32;
        for (sig_chunk, co_chunk) in sig.chunks_mut(CHUNK).zip(self.coeffs.chunks(CHUNK)) {
            for &h in shingles {
                for (s, &(a, b)) in sig_chunk.iter_mut().zip(co_chunk) {
                    let v = a.wrapping_mul(h).wrapping_add(b);
                    if v < *s {
                        *s = v;
                    }
                }
            }
        }
    }

    /// The straightforward definition of each scheme, for differential tests: slot by
    /// slot, the minimum over all shingles.
    pub fn sketch_reference(&self, shingles: &[ShingleHash]) -> Option<Vec<u64>> {
        if shingles.is_empty() {
            return None;
        }
        let mut sig = vec![EMPTY; self.k];
        match self.scheme {
            Scheme::MultiplyShift => {
                for (slot, &(a, b)) in sig.iter_mut().zip(&self.coeffs) {
                    *slot = shingles
                        .iter()
                        .map(|&h| a.wrapping_mul(h).wrapping_add(b))
                        .min()
                        .unwrap_or(EMPTY);
                }
            }
            Scheme::OnePermutation => {
                for (bin, slot) in sig.iter_mut().enumerate() {
                    *slot = shingles
                        .iter()
                        .map(|&h| oph::mix(h))
                        .filter(|&g| oph::bin_of(g, self.k) == bin)
                        .min()
                        .unwrap_or(EMPTY);
                }
                densify(&mut sig);
            }
        }
        Some(sig)
    }
}

/// Share of slots on which two signatures agree: the MinHash estimate of Jaccard.
/// 0 when the signatures are empty or of different lengths.
///
/// ```
/// use reprint::sketch::estimate_jaccard;
/// assert_eq!(estimate_jaccard(&[1, 2, 3, 4], &[1, 2, 9, 4]), 0.75);
/// assert_eq!(estimate_jaccard(&[1, 2], &[1, 2, 3]), 0.0);
/// ```
pub fn estimate_jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

#[cfg(test)]
mod tests;
