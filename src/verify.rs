//! Exact similarity of two shingle sets.
//!
//! Candidates from LSH are only likely matches; every reported pair is verified here
//! from the two documents' full shingle sets (sorted, unique 64-bit hashes). With
//! 64-bit hashes a false equality needs a hash collision, about `n^2 / 2^64` for `n`
//! shingles: negligible, so these figures are exact for any practical purpose.

/// Exact overlap figures of two shingle sets.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Overlap {
    /// `|A n B| / |A u B|`.
    pub jaccard: f64,
    /// `|A n B| / |A|`: how much of A is found in B.
    pub containment_a_in_b: f64,
    /// `|A n B| / |B|`.
    pub containment_b_in_a: f64,
    /// `|A n B|`.
    pub shared: usize,
}

/// Size of the intersection of two sorted, unique slices (merge walk; gallops when one
/// side is much smaller).
///
/// ```
/// use reprint::verify::intersection_size;
/// assert_eq!(intersection_size(&[1, 3, 5, 7], &[3, 4, 5]), 2);
/// let large: Vec<u64> = (0..1000).collect();
/// assert_eq!(intersection_size(&[10, 500, 2000], &large), 2);
/// ```
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0;
    }
    if large.len() / small.len() >= 16 {
        let mut count = 0;
        let mut rest = large;
        for x in small {
            match rest.binary_search(x) {
                Ok(i) => {
                    count += 1;
                    rest = &rest[i + 1..];
                }
                Err(i) => rest = &rest[i..],
            }
        }
        return count;
    }
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// Exact Jaccard and containment of two sorted, unique shingle sets. Empty sets have
/// zero similarity with everything (including each other).
///
/// ```
/// use reprint::verify::overlap;
/// // A = {1, 2, 3, 4}, B = {3, 4, 5}: 2 shared, 5 in the union.
/// let o = overlap(&[1, 2, 3, 4], &[3, 4, 5]);
/// assert_eq!(o.shared, 2);
/// assert_eq!(o.jaccard, 2.0 / 5.0);
/// assert_eq!(o.containment_a_in_b, 2.0 / 4.0);
/// assert_eq!(o.containment_b_in_a, 2.0 / 3.0);
/// assert_eq!(overlap(&[], &[]).jaccard, 0.0);
/// ```
pub fn overlap(a: &[u64], b: &[u64]) -> Overlap {
    let shared = intersection_size(a, b);
    let union = a.len() + b.len() - shared;
    let ratio = |num: usize, den: usize| {
        if den == 0 {
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    Overlap {
        jaccard: ratio(shared, union),
        containment_a_in_b: ratio(shared, a.len()),
        containment_b_in_a: ratio(shared, b.len()),
        shared,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn known_values() {
        let o = overlap(&[1, 2, 3, 4], &[3, 4, 5]);
        assert_eq!(o.shared, 2);
        assert!((o.jaccard - 0.4).abs() < 1e-12);
        assert!((o.containment_a_in_b - 0.5).abs() < 1e-12);
        assert!((o.containment_b_in_a - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(overlap(&[], &[]).jaccard, 0.0);
    }

    proptest! {
        #[test]
        fn matches_set_arithmetic(a in proptest::collection::btree_set(0u64..400, 0..200),
                                  b in proptest::collection::btree_set(0u64..400, 0..200)) {
            let av: Vec<u64> = a.iter().copied().collect();
            let bv: Vec<u64> = b.iter().copied().collect();
            let shared = a.intersection(&b).count();
            prop_assert_eq!(intersection_size(&av, &bv), shared);
            let o = overlap(&av, &bv);
            let o2 = overlap(&bv, &av);
            prop_assert_eq!(o.jaccard, o2.jaccard);
            prop_assert_eq!(o.containment_a_in_b, o2.containment_b_in_a);
            if !a.is_empty() {
                prop_assert_eq!(overlap(&av, &av).jaccard, 1.0);
            }
            let union: BTreeSet<_> = a.union(&b).collect();
            if !union.is_empty() {
                prop_assert!((o.jaccard - shared as f64 / union.len() as f64).abs() < 1e-12);
            }
        }

        #[test]
        fn galloping_agrees(small in proptest::collection::btree_set(0u64..10_000, 0..20),
                            large in proptest::collection::btree_set(0u64..10_000, 400..800)) {
            let s: Vec<u64> = small.iter().copied().collect();
            let l: Vec<u64> = large.iter().copied().collect();
            prop_assert_eq!(intersection_size(&s, &l), small.intersection(&large).count());
        }
    }
}
