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
/// module docs). Allocates scratch space per call; hot loops should keep a
/// [`Tokenizer`].
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    Tokenizer::default().for_each_word(text, |w| {
        f(std::str::from_utf8(w).expect("words are UTF-8"))
    });
}

/// The normalized words of `text` as owned strings (convenient, slower than
/// [`for_each_word`]).
///
/// ```
/// use reprint::text::words;
/// // Case-folded, apostrophes and dashes folded; numbers and contractions are words,
/// // punctuation is not.
/// assert_eq!(
///     words("Don\u{2019}t STOP \u{2014} 31,988 votes!"),
///     ["don't", "stop", "31,988", "votes"]
/// );
/// assert_eq!(words("Stra\u{df}e"), words("STRASSE"));
/// assert!(words(" ... ").is_empty());
/// ```
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_owned()));
    out
}

/// Reusable scratch space for the fast path.
#[derive(Debug, Default, Clone)]
pub struct Tokenizer {
    lower: Vec<u8>,
    masks: Vec<u64>,
}

impl Tokenizer {
    /// Calls `f` with the UTF-8 bytes of each normalized word of `text`, in order.
    pub fn for_each_word(&mut self, text: &str, mut f: impl FnMut(&[u8])) {
        let folded = fold_punctuation(text);
        if folded.is_ascii() {
            self.ascii_words(folded.as_bytes(), &mut f);
        } else {
            for_each_word_reference(&folded, |w| f(w.as_bytes()));
        }
    }

    /// UAX #29 words of an ASCII text, lowercased. The text is lowercased into a
    /// buffer while a bit mask of word bytes (letters, digits, `_`) is built 64 bytes
    /// at a time (branch-free, so it vectorizes); runs of set bits are then words,
    /// joined across a middle character where the UAX #29 rules say so.
    fn ascii_words(&mut self, bytes: &[u8], f: &mut impl FnMut(&[u8])) {
        let n = bytes.len();
        self.lower.clear();
        self.lower.extend_from_slice(bytes);
        self.lower.make_ascii_lowercase();
        self.masks.clear();
        for chunk in self.lower.chunks(64) {
            let mut m = 0u64;
            for (i, &c) in chunk.iter().enumerate() {
                let word = c.wrapping_sub(b'a') < 26 || c.wrapping_sub(b'0') < 10 || c == b'_';
                m |= (word as u64) << i;
            }
            self.masks.push(m);
        }
        let lower = &self.lower;
        let masks = &self.masks;
        let mut p = next_bit(masks, 0, n, false);
        while p < n {
            let start = p;
            let mut e = next_bit(masks, p, n, true);
            while e + 1 < n && joins(lower[e - 1], lower[e], lower[e + 1]) {
                e = next_bit(masks, e + 1, n, true);
            }
            let word = &lower[start..e];
            if word[0] != b'_' || word.iter().any(|&c| c != b'_') {
                f(word);
            }
            p = next_bit(masks, e, n, false);
        }
    }
}

/// First position `>= from` whose mask bit is set (`zero == false`) or clear
/// (`zero == true`), or `n`.
#[inline]
fn next_bit(masks: &[u64], from: usize, n: usize, zero: bool) -> usize {
    let mut w = from / 64;
    if w >= masks.len() {
        return n;
    }
    let flip = if zero { u64::MAX } else { 0 };
    let mut m = (masks[w] ^ flip) & (u64::MAX << (from % 64));
    loop {
        if m != 0 {
            return (w * 64 + m.trailing_zeros() as usize).min(n);
        }
        w += 1;
        if w >= masks.len() {
            return n;
        }
        m = masks[w] ^ flip;
    }
}

/// Whether `mid` joins the word bytes `prev` and `next` into one word (UAX #29 rules
/// WB6/7 for letters, WB11/12 for digits, on lowercase ASCII).
#[inline]
fn joins(prev: u8, mid: u8, next: u8) -> bool {
    let letter = |c: u8| c.is_ascii_lowercase();
    let digit = |c: u8| c.is_ascii_digit();
    match mid {
        b'\'' | b'.' => (letter(prev) && letter(next)) || (digit(prev) && digit(next)),
        b':' => letter(prev) && letter(next),
        b',' | b';' => digit(prev) && digit(next),
        _ => false,
    }
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
