use super::*;
use crate::shingle::Shingler;
use proptest::prelude::*;

fn exact_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let sa: std::collections::BTreeSet<_> = a.iter().collect();
    let sb: std::collections::BTreeSet<_> = b.iter().collect();
    let inter = sa.intersection(&sb).count();
    let union = sa.union(&sb).count();
    inter as f64 / union as f64
}

/// A pair of shingle sets with a chosen overlap, from a seeded generator.
fn pair(rng: &mut SplitMix64, shared: usize, only_a: usize, only_b: usize) -> (Vec<u64>, Vec<u64>) {
    let common: Vec<u64> = (0..shared).map(|_| rng.next_u64()).collect();
    let mut a = common.clone();
    let mut b = common;
    a.extend((0..only_a).map(|_| rng.next_u64()));
    b.extend((0..only_b).map(|_| rng.next_u64()));
    (a, b)
}

fn check_estimates_within_tolerance(scheme: Scheme) {
    // 400 random pairs with Jaccard spread over [0, 1]. With K = 128 the estimator's
    // standard deviation is at most sqrt(0.25 / 128) = 0.044; allow 4.5 sigma per pair
    // and require the mean error to be near zero (unbiased).
    let k = 128;
    let h = MinHasher::new(scheme, k);
    let mut rng = SplitMix64::new(7);
    let mut total_err = 0.0;
    let n = 400;
    for t in 0..n {
        let size = 50 + (rng.next_u64() % 800) as usize;
        let shared = (size * t) / n;
        let (a, b) = pair(&mut rng, shared, size - shared, size - shared);
        let exact = exact_jaccard(&a, &b);
        let est = estimate_jaccard(&h.sketch(&a).unwrap(), &h.sketch(&b).unwrap());
        let sd = (exact * (1.0 - exact) / k as f64).sqrt().max(0.01);
        assert!(
            (est - exact).abs() <= 4.5 * sd + 1e-9,
            "{scheme:?}: estimate {est} vs exact {exact} (pair {t})"
        );
        total_err += est - exact;
    }
    let mean = total_err / n as f64;
    assert!(mean.abs() < 0.01, "{scheme:?}: mean error {mean}");
}

#[test]
fn one_permutation_estimates_jaccard() {
    check_estimates_within_tolerance(Scheme::OnePermutation);
}

#[test]
fn multiply_shift_estimates_jaccard() {
    check_estimates_within_tolerance(Scheme::MultiplyShift);
}

#[test]
fn small_sets_are_densified_consistently() {
    // Fewer shingles than slots: densification must keep identical sets identical and
    // still estimate Jaccard.
    let h = MinHasher::new(Scheme::OnePermutation, 128);
    let a = [1u64, 2, 3];
    let s = h.sketch(&a).unwrap();
    assert!(s.iter().all(|&v| v != EMPTY));
    assert_eq!(s, h.sketch(&[3, 2, 1, 1]).unwrap());
    assert!(estimate_jaccard(&s, &h.sketch(&[4, 5, 6]).unwrap()) < 0.2);
}

#[test]
fn empty_input_has_no_signature() {
    for scheme in [Scheme::OnePermutation, Scheme::MultiplyShift] {
        assert!(MinHasher::new(scheme, 16).sketch(&[]).is_none());
    }
}

#[test]
fn signatures_are_stable() {
    // Golden prefix: the sketch is part of the on-disk and cross-run contract.
    let mut s = Shingler::new(3);
    let mut sh = Vec::new();
    s.shingles("the quick brown fox jumps over the lazy dog", &mut sh);
    let oph = MinHasher::new(Scheme::OnePermutation, 8)
        .sketch(&sh)
        .unwrap();
    let ms = MinHasher::new(Scheme::MultiplyShift, 8)
        .sketch(&sh)
        .unwrap();
    assert_eq!(oph, GOLDEN_OPH.to_vec());
    assert_eq!(ms, GOLDEN_MS.to_vec());
}
const GOLDEN_OPH: [u64; 8] = [
    0x0750_D56D_9B85_88F1,
    0xCE28_6828_3494_CCBE,
    0x9AB3_1C3E_0814_EC8F,
    0x0750_D56D_9B85_88F1,
    0x9AB3_1C3E_0814_EC8F,
    0xA2A1_67B1_5568_CABA,
    0xCE28_6828_3494_CCBE,
    0x0750_D56D_9B85_88F1,
];
const GOLDEN_MS: [u64; 8] = [
    0x3466_A521_DA51_C08C,
    0x05CD_B7CD_28B4_07F6,
    0x0A1F_FAC6_8FB1_1291,
    0x09D8_A6B2_8FDD_6C5D,
    0x1C47_9430_9332_01A8,
    0x1AB9_473B_6B3C_2D72,
    0x03F5_98C6_E203_C5DB,
    0x18E0_4242_3332_7333,
];

proptest! {
    #[test]
    fn fast_paths_agree_with_reference(
        set in proptest::collection::vec(any::<u64>(), 0..300),
        k in 1usize..200,
    ) {
        for scheme in [Scheme::OnePermutation, Scheme::MultiplyShift] {
            let h = MinHasher::new(scheme, k);
            prop_assert_eq!(h.sketch(&set), h.sketch_reference(&set));
        }
    }

    #[test]
    fn identical_sets_have_identical_signatures(set in proptest::collection::vec(any::<u64>(), 1..200)) {
        let h = MinHasher::new(Scheme::OnePermutation, 64);
        let mut shuffled = set.clone();
        shuffled.reverse();
        shuffled.extend_from_slice(&set);
        prop_assert_eq!(h.sketch(&set), h.sketch(&shuffled));
    }
}
