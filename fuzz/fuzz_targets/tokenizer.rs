//! The tokenizer: the ASCII fast path (`Tokenizer::for_each_word`) against the
//! reference definition (`for_each_word_reference`), and idempotence.
//!
//! Properties, on the input decoded as UTF-8 and on its ASCII projection (every byte
//! masked to 7 bits, so the fast path's byte scanner is what runs): fast path ==
//! reference; `for_each_word` and `words` agree with the scratch-reusing `Tokenizer`;
//! every word is non-empty, holds a letter or digit, and (ASCII) is lowercase; folding
//! punctuation is idempotent; tokenizing the words joined by spaces gives the same
//! words; no word holds white space (UAX #29 attaches a combining mark to the space
//! before it; tests/cli/regression.rs::word_holds_the_space_before_a_combining_mark).
#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::text::{fold_punctuation, for_each_word, for_each_word_reference, words, Tokenizer};

fn reference(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word_reference(t, |w| out.push(w.to_owned()));
    out
}

fn check(text: &str, tok: &mut Tokenizer) {
    let mut fast = Vec::new();
    tok.for_each_word(text, |w| {
        fast.push(String::from_utf8(w.to_vec()).expect("UTF-8 word"))
    });
    let want = reference(text);
    assert_eq!(
        fast, want,
        "fast path differs from the reference on {text:?}"
    );
    let mut via_fn = Vec::new();
    for_each_word(text, |w| via_fn.push(w.to_owned()));
    assert_eq!(via_fn, fast);
    assert_eq!(words(text), fast);

    let folded = fold_punctuation(text);
    assert_eq!(
        fold_punctuation(&folded),
        folded,
        "folding is not idempotent"
    );

    for w in &fast {
        assert!(!w.is_empty());
        assert!(
            w.chars().any(char::is_alphanumeric),
            "word without letter or digit: {w:?}"
        );
        if w.is_ascii() {
            assert!(
                !w.bytes().any(|b| b.is_ascii_uppercase()),
                "not lowercase: {w:?}"
            );
        }
        assert!(
            !w.chars().any(char::is_whitespace),
            "a word holds white space: {w:?} from {text:?}"
        );
    }
    let joined = fast.join(" ");
    assert_eq!(
        words(&joined),
        fast,
        "not idempotent: {text:?} -> {joined:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let mut tok = Tokenizer::default();
    let text = String::from_utf8_lossy(data);
    check(&text, &mut tok);
    let ascii: String = data.iter().map(|&b| (b & 0x7f) as char).collect();
    check(&ascii, &mut tok);
});
