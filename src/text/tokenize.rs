//! Unicode-aware word tokenization.
//!
//! The word sequence of a text is defined as
//!
//! 1. fold typographic punctuation: curly and prime apostrophes become `'`, curly and
//!    angle quotes become `"`, every dash and minus sign becomes `-`
//!    ([`fold_punctuation`]);
//! 2. NFKC normalization, then Unicode default case folding;
//! 3. words by Unicode word boundaries (UAX #29), keeping the segments that hold at
//!    least one letter or digit. Numbers are words ("1.5", "31,988"), and so are
//!    contractions ("don't") and underscore-joined names.
//!
//! [`for_each_word_reference`] implements exactly those steps with the
//! `unicode-normalization`, `caseless` and `unicode-segmentation` crates. The fast path
//! [`for_each_word`] gives the same words: after step 1 most news text is pure ASCII,
//! where NFKC is the identity, case folding is ASCII lowercasing and the UAX #29 rules
//! reduce to the small byte scanner below. Property tests check the two agree.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Maps typographic apostrophes, quotes and dashes to their ASCII forms; borrows when
/// there is nothing to fold.
pub fn fold_punctuation(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| fold_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| fold_char(c).unwrap_or(c))
            .collect::<String>(),
    )
}

fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{FF07}'
        | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{FF02}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => return None,
    })
}

/// Calls `f` with each normalized word of `text`, in order (the fast path; see the
/// module docs).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let folded = fold_punctuation(text);
    if folded.is_ascii() {
        ascii_words(folded.as_bytes(), &mut f);
    } else {
        for_each_word_reference(&folded, f);
    }
}

/// The normalized words of `text` as owned strings (convenient, slower than
/// [`for_each_word`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_owned()));
    out
}

/// The reference definition: punctuation folding, NFKC, case folding, UAX #29 words.
pub fn for_each_word_reference(text: &str, mut f: impl FnMut(&str)) {
    let folded = fold_punctuation(text);
    let nfkc: String = folded.nfkc().collect();
    let cased = caseless::default_case_fold_str(&nfkc);
    for w in cased.unicode_words() {
        f(w);
    }
}

// Byte classes for the ASCII scanner.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const UNDERSCORE: u8 = 3;
/// `'` and `.`: join letter-letter and digit-digit (UAX #29 MidNumLetQ).
const MID_NUM_LET: u8 = 4;
/// `:`: joins letter-letter only (MidLetter).
const MID_LETTER: u8 = 5;
/// `,` and `;`: join digit-digit only (MidNum).
const MID_NUM: u8 = 6;

static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else {
            match c {
                b'_' => UNDERSCORE,
                b'\'' | b'.' => MID_NUM_LET,
                b':' => MID_LETTER,
                b',' | b';' => MID_NUM,
                _ => OTHER,
            }
        };
        b += 1;
    }
    t
};

#[inline]
fn is_word_byte(class: u8) -> bool {
    matches!(class, LETTER | DIGIT | UNDERSCORE)
}

/// UAX #29 words of an ASCII text, lowercased.
fn ascii_words(bytes: &[u8], f: &mut impl FnMut(&str)) {
    let n = bytes.len();
    let mut buf: Vec<u8> = Vec::with_capacity(64);
    let mut i = 0;
    while i < n {
        // Skip to the start of a run of word bytes.
        if !is_word_byte(CLASS[bytes[i] as usize]) {
            i += 1;
            continue;
        }
        buf.clear();
        let mut alnum = false;
        loop {
            let c = bytes[i];
            let class = CLASS[c as usize];
            alnum |= class != UNDERSCORE;
            buf.push(c.to_ascii_lowercase());
            i += 1;
            if i >= n {
                break;
            }
            let next = CLASS[bytes[i] as usize];
            if is_word_byte(next) {
                continue;
            }
            // A middle character joins only when the same kind follows it.
            if i + 1 < n {
                let after = CLASS[bytes[i + 1] as usize];
                let joins = match next {
                    MID_NUM_LET => {
                        (class == LETTER && after == LETTER) || (class == DIGIT && after == DIGIT)
                    }
                    MID_LETTER => class == LETTER && after == LETTER,
                    MID_NUM => class == DIGIT && after == DIGIT,
                    _ => false,
                };
                if joins {
                    buf.push(bytes[i]);
                    i += 1;
                    continue;
                }
            }
            break;
        }
        if alnum {
            // The buffer holds ASCII bytes only.
            f(std::str::from_utf8(&buf).expect("ASCII is UTF-8"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fast(t: &str) -> Vec<String> {
        words(t)
    }

    fn reference(t: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word_reference(t, |w| out.push(w.to_owned()));
        out
    }

    #[test]
    fn words_are_folded_and_split_by_uax29() {
        assert_eq!(
            fast("He said: \u{201C}Don\u{2019}t\u{201D} \u{2014} 1,500 people, 3.5% e.g. a_b."),
            vec!["he", "said", "don't", "1,500", "people", "3.5", "e.g", "a_b"]
        );
    }

    #[test]
    fn unicode_forms_and_case_fold_together() {
        // Full-width letters (NFKC), sharp s (case folding), ligature (NFKC).
        assert_eq!(fast("ＡＢＣ Straße ﬁnd"), vec!["abc", "strasse", "find"]);
        assert_eq!(fast("STRASSE"), fast("straße"));
        assert_eq!(fast("Caf\u{e9}"), fast("Cafe\u{301}"));
    }

    #[test]
    fn non_latin_scripts_are_words() {
        assert_eq!(fast("Газа и Израиль"), vec!["газа", "и", "израиль"]);
        assert!(!fast("غزة").is_empty());
    }

    #[test]
    fn punctuation_only_has_no_words() {
        assert!(fast("-- ... ,,, ___ !?").is_empty());
        assert!(fast("").is_empty());
    }

    proptest! {
        #[test]
        fn ascii_fast_path_matches_reference(s in "[a-zA-Z0-9_'.:,; \n\"!-]{0,40}") {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        #[test]
        fn fast_path_matches_reference_on_any_text(s in "\\PC{0,30}") {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        #[test]
        fn typographic_punctuation_matches_reference(s in "[a-zA-Z0-9 '\u{2019}\u{201C}\u{201D}\u{2014}\u{2013}.,]{0,40}") {
            prop_assert_eq!(fast(&s), reference(&s));
        }
    }
}
