//! One-permutation hashing with optimal densification: the sketch of
//! [`super::Scheme::OnePermutation`].
//!
//! Invariants: a shingle's bin is given by the high bits of its mixed hash, so the
//! values of one bin lie in that bin's own range and no two bins hold the same value
//! unless densification copied it. Densification reads only the bins filled by
//! shingles (a snapshot taken before it starts), and the probe sequence of slot `i`
//! depends only on `i` and [`super::SKETCH_SEED`], so two documents with the same
//! filled bins borrow from the same places.

use super::{SplitMix64, EMPTY, SKETCH_SEED};
use crate::shingle::fmix64;

/// The single "permutation": a bijective mix of the shingle hash.
#[inline]
pub(super) fn mix(h: u64) -> u64 {
    fmix64(h ^ SKETCH_SEED)
}

/// Bin of a mixed hash among `k` bins, from its high bits (Lemire's fast range), so the
/// values in one bin all lie in one contiguous range and never equal another bin's.
#[inline]
pub(super) fn bin_of(g: u64, k: usize) -> usize {
    ((g as u128 * k as u128) >> 64) as usize
}

pub(super) fn sketch(shingles: &[u64], sig: &mut [u64]) {
    let k = sig.len();
    for &h in shingles {
        let g = mix(h);
        let bin = bin_of(g, k);
        // SAFETY-free: bin < k by construction of bin_of.
        if g < sig[bin] {
            sig[bin] = g;
        }
    }
    densify(sig);
}

/// Optimal densification (Shrivastava 2017): every empty slot `i` takes the value of the
/// first non-empty slot on a probe sequence that depends only on `i` and the attempt
/// number. Does nothing if every slot is empty.
pub fn densify(sig: &mut [u64]) {
    let k = sig.len();
    let filled = sig.iter().filter(|&&v| v != EMPTY).count();
    if filled == 0 || filled == k {
        return;
    }
    // Read from a snapshot so borrowed values never chain through other borrowed ones.
    let original: Vec<u64> = sig.to_vec();
    for (i, slot) in sig.iter_mut().enumerate() {
        if *slot != EMPTY {
            continue;
        }
        let mut rng = SplitMix64::new(SKETCH_SEED ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        loop {
            let j = bin_of(rng.next_u64(), k);
            if original[j] != EMPTY {
                *slot = original[j];
                break;
            }
        }
    }
}
