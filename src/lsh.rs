//! Locality-sensitive hashing: bands of signature rows, and candidate pairs.
//!
//! A signature of `K` slots is cut into `b` bands of `r` rows (`b * r <= K`). Two
//! documents become a candidate pair when all rows of at least one band agree, which
//! happens with probability `P(s) = 1 - (1 - s^r)^b` at Jaccard `s` (the S-curve).
//!
//! [`LshParams::for_threshold`] picks `b` and `r` by minimising
//! `w_fp * FP + w_fn * FN`, where `FP` is the area under `P` below the threshold and
//! `FN` the area above `P` beyond it (the construction of datasketch). reprint verifies
//! every candidate exactly, so a false positive only costs a little time while a false
//! negative loses an answer: the weights are `w_fp = 0.02`, `w_fn = 0.98`. For a given
//! `r` only `b = floor(K / r)` is considered, so no whole band of computed slots is left
//! unused (more bands only raise the curve). At threshold 0.8 with 128 slots this gives
//! 18 x 7: 0.986 candidate probability at J = 0.8, against 0.947 for 16 x 8, whose
//! expected recall over the planted pairs of the bench corpus (0.993) sits too close
//! to the 0.99 users are promised.
//!
//! Only band keys are kept per document (one `u64` per band), not signatures.
//! Candidates are found by sorting `(key, doc)` per band, which is deterministic and
//! cache-friendly, instead of a hash table of buckets.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::shingle::fmix64;
use crate::DocIndex;

/// Weight of the false-positive area in the band/row optimiser.
pub const FP_WEIGHT: f64 = 0.02;
/// Weight of the false-negative area in the band/row optimiser.
pub const FN_WEIGHT: f64 = 0.98;

/// Bands and rows of an LSH index; made by [`LshParams::new`] or
/// [`LshParams::for_threshold`], which check them, and read with the getters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LshParams {
    bands: usize,
    rows: usize,
}

impl LshParams {
    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.bands
    }

    /// Rows (signature slots) per band.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Explicit bands and rows; they must fit in `perms` slots.
    pub fn new(bands: usize, rows: usize, perms: usize) -> Result<Self> {
        if bands == 0 {
            return Err(Error::invalid("bands", "must be at least 1".into()));
        }
        if rows == 0 {
            return Err(Error::invalid("rows", "must be at least 1".into()));
        }
        if bands.saturating_mul(rows) > perms {
            return Err(Error::LshShape { bands, rows, perms });
        }
        Ok(LshParams { bands, rows })
    }

    /// The bands and rows minimising the weighted false-positive and false-negative
    /// areas of the S-curve around `threshold` (see the module docs).
    ///
    /// ```
    /// use reprint::lsh::LshParams;
    /// // The default: threshold 0.8 over 128 slots gives 18 bands of 7 rows.
    /// let p = LshParams::for_threshold(0.8, 128).unwrap();
    /// assert_eq!(p, LshParams::new(18, 7, 128).unwrap());
    /// assert_eq!((p.bands(), p.rows(), p.slots()), (18, 7, 126));
    /// assert!(p.probability(0.8) > 0.98);
    /// // A lower threshold needs fewer rows per band, so looser bands match.
    /// let q = LshParams::for_threshold(0.5, 128).unwrap();
    /// assert!(q.probability(0.5) > 0.98);
    /// assert!(q.probability(0.5) > p.probability(0.5));
    /// ```
    pub fn for_threshold(threshold: f64, perms: usize) -> Result<Self> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(Error::invalid(
                "threshold",
                format!("must be in (0, 1], got {threshold}"),
            ));
        }
        if perms == 0 {
            return Err(Error::invalid("perms", "must be at least 1".into()));
        }
        let mut best: Option<(f64, LshParams)> = None;
        for rows in 1..=perms {
            {
                let p = LshParams {
                    bands: perms / rows,
                    rows,
                };
                let fp = integrate(|s| p.probability(s), 0.0, threshold);
                let fn_ = integrate(|s| 1.0 - p.probability(s), threshold, 1.0);
                let cost = FP_WEIGHT * fp + FN_WEIGHT * fn_;
                // Ties go to the first found (fewest rows), which is deterministic.
                if best.is_none_or(|(c, _)| cost < c - 1e-12) {
                    best = Some((cost, p));
                }
            }
        }
        Ok(best.expect("perms >= 1 gives at least one choice").1)
    }

    /// Probability that a pair with Jaccard `s` becomes a candidate: the S-curve
    /// `P(s) = 1 - (1 - s^rows)^bands`, in `[0, 1]`, increasing in `s`; `s` is clamped
    /// to `[0, 1]`.
    ///
    /// ```
    /// use reprint::lsh::LshParams;
    /// let p = LshParams::new(18, 7, 128).unwrap();
    /// let s_curve = |s: f64| 1.0 - (1.0 - s.powi(7)).powi(18);
    /// assert!((p.probability(0.8) - s_curve(0.8)).abs() < 1e-12);
    /// assert!((p.probability(0.8) - 0.9855).abs() < 1e-4); // at the threshold
    /// assert!((p.probability(0.5) - 0.1317).abs() < 1e-4); // well below it
    /// assert_eq!(p.probability(0.0), 0.0);
    /// assert_eq!(p.probability(1.0), 1.0);
    /// ```
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.clamp(0.0, 1.0).powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// Signature slots used (`bands * rows`).
    pub fn slots(&self) -> usize {
        self.bands * self.rows
    }

    /// Writes one key per band of `sig` into `keys` (length `bands`).
    pub fn band_keys(&self, sig: &[u64], keys: &mut [u64]) {
        for (band, key) in keys.iter_mut().enumerate() {
            let rows = &sig[band * self.rows..(band + 1) * self.rows];
            let mut h = (band as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for &v in rows {
                h = fmix64(h ^ v);
            }
            *key = h;
        }
    }
}

/// Simpson's rule with 200 intervals: smooth integrands, ample precision here.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = 200;
    let h = (b - a) / n as f64;
    let mut sum = f(a) + f(b);
    for i in 1..n {
        let x = a + i as f64 * h;
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
    }
    sum * h / 3.0
}

/// Band keys of every document with a signature, stored band-major:
/// `keys[band][row]`, where row `r` is document `docs[r]`. Documents with no signature
/// (no shingles: empty texts) take no room, so a corpus of millions of empty records
/// costs nothing here.
#[derive(Debug, Clone)]
pub struct BandIndex {
    bands: Vec<Vec<u64>>,
    /// The document of each row, increasing.
    docs: Vec<DocIndex>,
    /// Documents added, with or without a signature.
    len: usize,
}

impl BandIndex {
    /// An empty index for `bands` bands.
    pub fn new(bands: usize) -> Self {
        BandIndex {
            bands: vec![Vec::new(); bands],
            docs: Vec::new(),
            len: 0,
        }
    }

    /// Appends a document's band keys (or `None` when it has no signature: it never
    /// becomes a candidate); documents are numbered in insertion order.
    pub fn push(&mut self, keys: Option<&[u64]>) {
        if let Some(keys) = keys {
            for (col, &k) in self.bands.iter_mut().zip(keys) {
                col.push(k);
            }
            self.docs.push(self.len as DocIndex);
        }
        self.len += 1;
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no document was added.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held per document with a signature (documents without one take none).
    pub fn bytes_per_document(&self) -> usize {
        self.bands.len() * std::mem::size_of::<u64>() + std::mem::size_of::<DocIndex>()
    }

    /// All candidate pairs `(a, b)` with `a < b`, sorted and without repeats.
    ///
    /// Within a bucket of `m` documents every pair is a candidate, except in buckets
    /// larger than `max_bucket`, where each member is paired with the bucket's first
    /// document only (a star): exact-duplicate floods would otherwise make `m^2` pairs.
    /// Clusters are unchanged by this; the returned count of such buckets lets the
    /// caller say so.
    pub fn candidates(&self, max_bucket: usize) -> (Vec<(DocIndex, DocIndex)>, usize) {
        let per_band: Vec<(Vec<(DocIndex, DocIndex)>, usize)> = self
            .bands
            .par_iter()
            .map(|col| {
                let mut entries: Vec<(u64, DocIndex)> =
                    col.iter().zip(&self.docs).map(|(&k, &d)| (k, d)).collect();
                entries.sort_unstable();
                let mut pairs = Vec::new();
                let mut stars = 0;
                let mut i = 0;
                while i < entries.len() {
                    let mut j = i + 1;
                    while j < entries.len() && entries[j].0 == entries[i].0 {
                        j += 1;
                    }
                    let bucket = &entries[i..j];
                    if bucket.len() > max_bucket {
                        stars += 1;
                        let first = bucket[0].1;
                        pairs.extend(bucket[1..].iter().map(|&(_, d)| (first, d)));
                    } else {
                        for (x, &(_, a)) in bucket.iter().enumerate() {
                            for &(_, b) in &bucket[x + 1..] {
                                pairs.push((a, b));
                            }
                        }
                    }
                    i = j;
                }
                (pairs, stars)
            })
            .collect();
        let stars = per_band.iter().map(|(_, s)| s).sum();
        let mut all: Vec<(DocIndex, DocIndex)> =
            per_band.into_iter().flat_map(|(p, _)| p).collect();
        // Entries are sorted by (key, doc), so a < b already holds within each pair.
        all.par_sort_unstable();
        all.dedup();
        (all, stars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_choices_are_recall_weighted() {
        let p = LshParams::for_threshold(0.8, 128).unwrap();
        assert_eq!((p.bands(), p.rows()), (18, 7));
        assert!(p.probability(0.8) > 0.98);
        assert!(p.probability(0.3) < 0.01);
        let p = LshParams::for_threshold(0.5, 128).unwrap();
        assert!(p.probability(0.5) > 0.9, "{p:?}");
        for t in [0.1, 0.3, 0.5, 0.7, 0.9, 1.0] {
            let p = LshParams::for_threshold(t, 64).unwrap();
            assert!(p.slots() <= 64);
            assert!(p.probability(t) > 0.5, "t={t} {p:?}");
        }
    }

    #[test]
    fn probability_is_monotone_s_curve() {
        let p = LshParams::new(16, 8, 128).unwrap();
        let mut last = 0.0;
        for i in 0..=100 {
            let v = p.probability(i as f64 / 100.0);
            assert!(v >= last);
            last = v;
        }
        assert_eq!(p.probability(0.0), 0.0);
        assert_eq!(p.probability(1.0), 1.0);
    }

    #[test]
    fn bad_params_are_rejected() {
        assert!(LshParams::new(20, 8, 128).is_err());
        assert!(LshParams::new(0, 8, 128).is_err());
        assert!(LshParams::for_threshold(0.0, 128).is_err());
        assert!(LshParams::for_threshold(1.5, 128).is_err());
        assert!(LshParams::for_threshold(0.5, 0).is_err());
    }

    #[test]
    fn candidates_share_a_band() {
        let mut idx = BandIndex::new(2);
        idx.push(Some(&[1, 10]));
        idx.push(Some(&[2, 10]));
        idx.push(None);
        idx.push(Some(&[1, 30]));
        idx.push(Some(&[0, 0]));
        let (pairs, stars) = idx.candidates(100);
        assert_eq!(pairs, vec![(0, 1), (0, 3)]);
        assert_eq!(stars, 0);
    }

    #[test]
    fn big_buckets_become_stars() {
        let mut idx = BandIndex::new(1);
        for _ in 0..5 {
            idx.push(Some(&[7]));
        }
        let (pairs, stars) = idx.candidates(3);
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 3), (0, 4)]);
        assert_eq!(stars, 1);
        let (pairs, _) = idx.candidates(10);
        assert_eq!(pairs.len(), 10);
    }
}
