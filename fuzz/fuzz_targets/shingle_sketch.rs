//! Shingling and MinHash sketching of arbitrary text.
//!
//! The first byte picks the n-gram length (1 to 8) and the number of signature slots
//! (1 to 128); the rest is the text. Properties: `shingle_set` is sorted and unique,
//! is the deduplicated `shingles` multiset, and `shingles_of_words` over the word
//! hashes gives the same multiset; it is empty exactly when the text has no words and
//! has at most `max(words - n + 1, 1)` shingles; for both schemes, signatures are
//! deterministic (a fresh hasher gives the same), equal the slot-by-slot reference,
//! ignore repeats and order (the multiset and the set sketch the same), and the
//! estimated Jaccard of a signature with itself is 1.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::shingle::{word_hash, Shingler};
use reprint::sketch::{estimate_jaccard, MinHasher, Scheme, EMPTY};
use reprint::text::words;

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else {
        return;
    };
    let n = (cfg & 7) as usize + 1;
    let k = (cfg >> 1) as usize + 1; // 1..=128
    let text = String::from_utf8_lossy(rest);

    let mut sh = Shingler::new(n);
    assert_eq!(sh.ngram(), n);
    let (set, nwords) = sh.shingle_set(&text);
    assert!(
        set.windows(2).all(|w| w[0] < w[1]),
        "shingle set not sorted and unique"
    );
    let mut multi = Vec::new();
    assert_eq!(sh.shingles(&text, &mut multi), nwords);
    let word_list = words(&text);
    assert_eq!(word_list.len(), nwords);
    let hashes: Vec<u64> = word_list.iter().map(|w| word_hash(w)).collect();
    let mut from_words = Vec::new();
    Shingler::shingles_of_words(&hashes, n, &mut from_words);
    assert_eq!(from_words, multi, "shingles_of_words differs from shingles");
    let mut dedup = multi.clone();
    dedup.sort_unstable();
    dedup.dedup();
    assert_eq!(dedup, set);
    assert_eq!(set.is_empty(), nwords == 0);
    assert!(set.len() <= nwords.saturating_sub(n - 1).max(1));
    assert_eq!(
        multi.len(),
        if nwords == 0 {
            0
        } else {
            nwords.saturating_sub(n - 1).max(1)
        }
    );

    for scheme in [Scheme::OnePermutation, Scheme::MultiplyShift] {
        let h = MinHasher::new(scheme, k);
        assert_eq!(h.len(), k);
        let sig = h.sketch(&set);
        assert_eq!(sig.is_none(), set.is_empty());
        let Some(sig) = sig else {
            let mut buf = vec![0; k];
            assert!(!h.sketch_into(&set, &mut buf));
            assert!(buf.iter().all(|&v| v == EMPTY));
            continue;
        };
        assert_eq!(sig.len(), k);
        assert_eq!(
            MinHasher::new(scheme, k).sketch(&set).as_ref(),
            Some(&sig),
            "not deterministic"
        );
        assert_eq!(
            h.sketch_reference(&set).as_ref(),
            Some(&sig),
            "differs from the reference"
        );
        let mut reversed = multi.clone();
        reversed.reverse();
        assert_eq!(
            h.sketch(&reversed).as_ref(),
            Some(&sig),
            "repeats or order change the sketch"
        );
        assert_eq!(estimate_jaccard(&sig, &sig), 1.0);
        let mut buf = vec![0; k];
        assert!(h.sketch_into(&set, &mut buf));
        assert_eq!(buf, sig);
    }
});
