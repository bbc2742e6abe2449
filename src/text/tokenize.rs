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
//! 4. scripts written without spaces between words (Chinese and Japanese: Han,
//!    Hiragana, Katakana; Thai) are segmented as Lucene's CJK analyzer does: a run of
//!    such characters with nothing between them becomes its overlapping character
//!    bigrams ("中华人民" -> "中华", "华人", "人民"), and a run of one character stays a
//!    unigram ([`is_unspaced`]). No dictionary is needed, and a copy keeps its bigrams.
//!    Korean (Hangul) is written with spaces and stays word-segmented. Text without such
//!    characters is segmented exactly as by step 3.
//!
//! [`for_each_word_reference`] implements exactly those steps with the
//! `unicode-normalization`, `caseless` and `unicode-segmentation` crates. The fast path
//! [`for_each_word`] gives the same words: after step 1 most news text is pure ASCII,
//! where NFKC is the identity, case folding is ASCII lowercasing and the UAX #29 rules
//! reduce to the small byte scanner below. Property tests check the two agree.

use std::borrow::Cow;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
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

/// The reference definition: punctuation folding, NFKC, case folding, UAX #29 words,
/// character bigrams for text without spaces.
pub fn for_each_word_reference(text: &str, mut f: impl FnMut(&str)) {
    let mut cased = normalize(text);
    // Case folding can undo the earlier steps: `ŉ` folds to `ʼn` (U+02BC, an
    // apostrophe that punctuation folding maps), and `ß` followed by a combining acute
    // folds to `ss\u{301}`, which NFKC composes to `sś`. Normalizing again until
    // nothing changes makes the words what a second reading of them gives (tokenizing
    // is idempotent); one more round is rare, two have not been seen.
    for _ in 0..4 {
        let stable = matches!(is_nfkc_quick(cased.chars()), IsNormalized::Yes)
            && matches!(fold_punctuation(&cased), Cow::Borrowed(_));
        if stable {
            break;
        }
        cased = normalize(&cased);
    }
    if !cased.chars().any(is_unspaced) {
        for w in cased.unicode_words() {
            if let Some(w) = without_space(w) {
                f(w);
            }
        }
        return;
    }
    unspaced_words(&cased, &mut f);
}

/// Steps 1-3 of the reference: punctuation folding, NFKC, case folding.
fn normalize(text: &str) -> String {
    let folded = fold_punctuation(text);
    let nfkc: String = folded.nfkc().collect();
    caseless::default_case_fold_str(&nfkc)
}

/// A UAX #29 word segment without the white space a combining mark can pull in: rule
/// WB4 attaches a mark (Extend) to the character before it, even a space, so `" \u{301}"`
/// is one segment. A word never holds white space; `None` when nothing else is left.
fn without_space(w: &str) -> Option<&str> {
    let w = w.trim_matches(char::is_whitespace);
    (!w.is_empty()).then_some(w)
}

/// Whether `c` belongs to a script written without spaces between words, segmented as
/// character bigrams: Thai, Hiragana, Katakana (with the prolonged sound mark), CJK
/// ideographs (unified, extensions, compatibility) and the ideographic iteration and
/// closing marks.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F // Thai
        | 0x3005..=0x3007 // 々 〆 〇
        | 0x3040..=0x309F // Hiragana
        | 0x30A0..=0x30FF // Katakana
        | 0x31F0..=0x31FF // Katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x323AF // CJK extensions B to H, compatibility supplement
    )
}

/// UAX #29 words of case-folded `text`, with runs of [`is_unspaced`] characters turned
/// into overlapping bigrams (a run ends at any other character, including white space
/// and punctuation).
fn unspaced_words(text: &str, f: &mut impl FnMut(&str)) {
    // Byte ranges of the characters of the current run.
    let mut run: Vec<(usize, usize)> = Vec::new();
    let flush = |run: &mut Vec<(usize, usize)>, f: &mut dyn FnMut(&str)| {
        match run.len() {
            0 => {}
            1 => f(&text[run[0].0..run[0].1]),
            _ => {
                for w in run.windows(2) {
                    f(&text[w[0].0..w[1].1]);
                }
            }
        }
        run.clear();
    };
    // A piece is what is left of a segment between runs; cut out of its segment, it
    // is segmented again, as a second reading of it would be (`a'` cut before a Thai
    // mark is the word `a`: an apostrophe joins only between letters).
    let emit_piece = |s: usize, e: usize, f: &mut dyn FnMut(&str)| {
        for w in text[s..e].unicode_words() {
            if let Some(w) = without_space(w) {
                if w.chars().any(char::is_alphanumeric) {
                    f(w);
                }
            }
        }
    };
    for (start, w) in text.unicode_word_indices() {
        // The non-bigram piece of this segment being collected.
        let mut piece = start;
        for (k, c) in w.char_indices() {
            let (pos, end) = (start + k, start + k + c.len_utf8());
            // A mark of these scripts (a Thai tone mark, say) is not a character of
            // its own: it extends the character before it in the run, or, with no
            // run, belongs to the piece like any other mark.
            let mark = !c.is_alphanumeric();
            if is_unspaced(c) && mark {
                if let Some(last) = run.last_mut().filter(|l| l.1 == pos && piece == pos) {
                    last.1 = end;
                    piece = end;
                }
                continue;
            }
            if is_unspaced(c) {
                emit_piece(piece, pos, f);
                piece = end;
                if run.last().is_some_and(|&(_, e)| e != pos) {
                    flush(&mut run, f);
                }
                run.push((pos, end));
            } else if pos == piece {
                flush(&mut run, f);
            }
        }
        emit_piece(piece, start + w.len(), f);
    }
    flush(&mut run, f);
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
    fn text_without_spaces_becomes_character_bigrams() {
        // Chinese: overlapping bigrams; punctuation ends a run; a lone character stays.
        assert_eq!(fast("中华人民。好"), vec!["中华", "华人", "人民", "好"]);
        // Japanese: kanji, hiragana and katakana runs together, as Lucene's CJK analyzer.
        assert_eq!(
            fast("東京タワー、です"),
            vec!["東京", "京タ", "タワ", "ワー", "です"]
        );
        // Thai (no spaces inside a phrase; a space ends the run).
        assert_eq!(fast("ภาษา ไทย"), vec!["ภา", "าษ", "ษา", "ไท", "ทย"]);
        // Latin words and numbers around them are words as before, in order.
        assert_eq!(
            fast("iPhone 15在北京发布 Straße"),
            vec!["iphone", "15", "在北", "北京", "京发", "发布", "strasse"]
        );
        // Half-width katakana folds to full width (NFKC) before bigrams.
        assert_eq!(fast("ｶﾀｶﾅ"), fast("カタカナ"));
        // Korean keeps its spaces: words, not bigrams.
        assert_eq!(fast("한국어 문장"), vec!["한국어", "문장"]);
    }

    #[test]
    fn text_with_no_unspaced_script_is_segmented_as_before() {
        for t in [
            "Газа и Израиль",
            "Caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e",
            "غزة والقدس",
            "x-1 y's",
        ] {
            let mut plain = Vec::new();
            let nfkc: String = fold_punctuation(t).nfkc().collect();
            for w in caseless::default_case_fold_str(&nfkc).unicode_words() {
                plain.push(w.to_owned());
            }
            assert_eq!(fast(t), plain);
        }
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
