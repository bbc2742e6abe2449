//! Turning a text into what the aligner compares: paragraphs, sentence units, and
//! content stems.
//!
//! * Paragraphs follow [`crate::text::paragraph_spans`].
//! * Units are sentences inside paragraphs: a sentence ends at `.`, `!` or `?` (plus any
//!   closing quotes or brackets) followed by white space and an upper-case letter or
//!   digit (after optional opening quotes), except after a common abbreviation
//!   ("Mr.", "Gen.", "Jan.") or a single letter ("J. Smith"); and at the Chinese and
//!   Japanese full stops and marks `。！？` (plus closing brackets), which need
//!   nothing after them.
//! * Tokens are the words of [`crate::text`] (folded, case-folded, UAX #29).
//! * Content stems drop stop words (Snowball English list) and one-letter words, strip
//!   a final `'s` and inner dots ("u.s" -> "us"), and apply the Snowball English
//!   stemmer; numbers are kept with their thousands separators removed ("31,988" ->
//!   "31988"), so the same figure written two ways still matches.
//!
//! Stems and tokens are represented by stable 64-bit hashes, so no interner is shared
//! between threads and two analyses of the same text always agree.

use std::ops::Range;

use ahash::AHashMap;
use rust_stemmers::{Algorithm, Stemmer};
use xxhash_rust::xxh3::xxh3_64;

use super::stopwords::is_stopword;
use crate::shingle::fmix64;
use crate::text::paragraph::push_trimmed;
use crate::text::{paragraph_spans, Tokenizer};

/// A stable hash of a stem or token.
pub type TermHash = u64;

/// One sentence of a document.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Paragraph index (into [`Analyzed::paragraphs`]).
    pub para: u32,
    /// Byte range of the sentence in the text.
    pub span: Range<usize>,
    /// The same range in characters (Unicode scalar values, as Python `str` indexes).
    pub chars: Range<usize>,
    /// Word hashes in order (stop words included): used to tell identical, edited and
    /// paraphrased links apart.
    pub tokens: Vec<TermHash>,
    /// Content stems, sorted and unique.
    pub stems: Vec<TermHash>,
    /// A list, not prose (a line-up, a list of names): aligned only to an identical
    /// copy of itself, not counted in coverage's total, but part of the text's word sequence
    /// (see [`Analyzer::analyze`]).
    pub list: bool,
}

impl Unit {
    /// Number of words.
    pub fn words(&self) -> usize {
        self.tokens.len()
    }
}

/// A document prepared for alignment.
#[derive(Debug, Clone, Default)]
pub struct Analyzed {
    /// Byte ranges of the paragraphs.
    pub paragraphs: Vec<Range<usize>>,
    /// Paragraphs judged boilerplate (kept for display, never aligned or counted).
    pub boilerplate: Vec<bool>,
    /// Sentence units of the non-boilerplate paragraphs, in text order.
    pub units: Vec<Unit>,
    /// Content stems of the whole document, sorted and unique.
    pub stems: Vec<TermHash>,
    /// Pairs of adjacent content stems, hashed, sorted and unique.
    pub bigrams: Vec<TermHash>,
    /// Words in non-boilerplate paragraphs.
    pub words: usize,
    /// Words per paragraph.
    pub paragraph_words: Vec<usize>,
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "apr", "aug", "co", "col", "corp", "dec", "dr", "feb", "ft", "gen", "gov", "inc", "jan", "jr",
    "lt", "ltd", "mar", "mr", "mrs", "ms", "mt", "no", "nov", "oct", "prof", "rep", "rev", "sen",
    "sep", "sept", "sgt", "sir", "sr", "st", "vs",
];

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | '\u{201D}' | '\u{2019}')
}

/// Closing brackets and quotes of Chinese and Japanese text: 」』）】〕》〉.
fn is_cjk_closing(c: char) -> bool {
    matches!(
        c,
        '\u{300D}' | '\u{300F}' | '\u{FF09}' | '\u{3011}' | '\u{3015}' | '\u{300B}' | '\u{3009}'
    )
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '\u{201C}' | '\u{2018}')
}

/// Byte ranges of the sentences of `text` (trimmed, non-empty).
pub fn sentence_spans(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '\u{3002}' | '\u{FF01}' | '\u{FF1F}' | '\u{FF61}') {
            // 。！？｡ (Chinese, Japanese) end a sentence with no space or capital after.
            let mut j = i + 1;
            while j < chars.len() && (is_closing(chars[j].1) || is_cjk_closing(chars[j].1)) {
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            if k < chars.len() {
                let end = chars.get(j).map_or(text.len(), |x| x.0);
                push_trimmed(text, start..end, &mut out);
                start = chars[k].0;
            }
            i = k.max(i + 1);
            continue;
        }
        if !matches!(c, '.' | '!' | '?') {
            i += 1;
            continue;
        }
        // [.!?] closing* whitespace+ opening* [A-Z0-9]
        let mut j = i + 1;
        while j < chars.len() && is_closing(chars[j].1) {
            j += 1;
        }
        let end_of_sentence = if j < chars.len() {
            chars[j].0
        } else {
            text.len()
        };
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k == j {
            i += 1;
            continue;
        }
        let next_start = k;
        while k < chars.len() && is_opening(chars[k].1) {
            k += 1;
        }
        if k >= chars.len() || !(chars[k].1.is_uppercase() || chars[k].1.is_ascii_digit()) {
            i = j.max(i + 1);
            continue;
        }
        // The word before the punctuation.
        let before = &text[start..pos];
        let last = before
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .trim_start_matches(['"', '\'', '(']);
        let last_lower = last.to_lowercase();
        let single_letter = {
            let mut cs = last.chars();
            matches!((cs.next(), cs.next()), (Some(ch), None) if ch.is_alphabetic())
        };
        if c == '.' && (ABBREVIATIONS.binary_search(&last_lower.as_str()).is_ok() || single_letter)
        {
            i = j.max(i + 1);
            continue;
        }
        push_trimmed(text, start..end_of_sentence, &mut out);
        start = chars[next_start].0;
        i = next_start;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Hash of a normalized line for boilerplate detection: lowercase, digits as `0`,
/// white space collapsed, trimmed. Lines equal under this map count as the same line.
pub fn line_key(line: &str) -> u64 {
    let mut s = String::with_capacity(line.len());
    let mut space = false;
    for c in line.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !s.is_empty() {
            s.push(' ');
        }
        space = false;
        if c.is_ascii_digit() {
            s.push('0');
        } else {
            s.extend(c.to_lowercase());
        }
    }
    xxh3_64(s.as_bytes())
}

/// Prepares documents; holds a stemmer, a tokenizer and a memo of stems, so keep one
/// per thread.
pub struct Analyzer {
    tokenizer: Tokenizer,
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            tokenizer: Tokenizer::default(),
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

thread_local! {
    /// Content stems of words seen on this thread, shared by every analyzer on it:
    /// stemming is the costliest step of analysis and analyzers are made per batch.
    static STEMS: std::cell::RefCell<AHashMap<u64, Option<TermHash>>> =
        std::cell::RefCell::new(AHashMap::new());
}

/// The memoized content stem of one normalized word (see [`Analyzer::stem`]).
fn stem_memo(
    memo: &mut AHashMap<u64, Option<TermHash>>,
    stemmer: &Stemmer,
    word: &[u8],
) -> Option<TermHash> {
    stem_memo_hashed(memo, stemmer, word, xxh3_64(word))
}

/// [`stem_memo`] with the word's XXH3 hash already computed.
fn stem_memo_hashed(
    memo: &mut AHashMap<u64, Option<TermHash>>,
    stemmer: &Stemmer,
    word: &[u8],
    key: u64,
) -> Option<TermHash> {
    if let Some(&s) = memo.get(&key) {
        return s;
    }
    let s = stem_uncached(stemmer, word);
    if memo.len() > 1 << 20 {
        memo.clear();
    }
    memo.insert(key, s);
    s
}

fn stem_uncached(stemmer: &Stemmer, word: &[u8]) -> Option<TermHash> {
    let w = std::str::from_utf8(word).ok()?;
    let first = w.chars().next()?;
    if first.is_numeric() {
        let digits: String = w.chars().filter(|&c| c != ',').collect();
        return Some(xxh3_64(digits.as_bytes()));
    }
    if w.chars().count() < 2 || is_stopword(w) {
        return None;
    }
    let w = w.strip_suffix("'s").unwrap_or(w);
    let cleaned: String = w.chars().filter(|&c| c != '.').collect();
    if cleaned.chars().count() < 2 {
        return None;
    }
    let stemmed = stemmer.stem(&cleaned);
    Some(xxh3_64(stemmed.as_bytes()))
}

/// Converts increasing byte offsets of a text to character offsets in one pass over
/// the text (identity for ASCII text).
#[derive(Debug)]
pub struct CharCursor<'a> {
    text: &'a str,
    ascii: bool,
    byte: usize,
    char: usize,
}

impl<'a> CharCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            char: 0,
        }
    }

    /// The character offset of byte offset `byte` (a char boundary of the text). Fast
    /// when offsets come in increasing order; an earlier offset restarts the count.
    pub fn at(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            self.byte = 0;
            self.char = 0;
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}

/// Combines two stem hashes into a bigram hash (order matters).
pub fn bigram_hash(a: TermHash, b: TermHash) -> TermHash {
    fmix64(a.rotate_left(29) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl Analyzer {
    /// The content stem of one normalized word, or `None` for stop words and
    /// one-letter words.
    pub fn stem(&mut self, word: &[u8]) -> Option<TermHash> {
        STEMS.with(|memo| stem_memo(&mut memo.borrow_mut(), &self.stemmer, word))
    }

    /// Calls `f` with each word of `text` (normalized bytes) and its content stem.
    fn for_each_word_stem(&mut self, text: &str, mut f: impl FnMut(&[u8], Option<TermHash>)) {
        let Analyzer { tokenizer, stemmer } = self;
        STEMS.with(|memo| {
            let memo = &mut memo.borrow_mut();
            tokenizer.for_each_word(text, |w| f(w, stem_memo(memo, stemmer, w)));
        });
    }

    /// Content stems of `text` in order (repeats kept).
    pub fn content_stems(&mut self, text: &str) -> Vec<TermHash> {
        let mut out = Vec::new();
        self.for_each_word_stem(text, |_, s| out.extend(s));
        out
    }

    /// One pass over `text` for corpus statistics: its distinct content stems (sorted)
    /// and the [`line_key`]s of its paragraphs of at most `short_words` words (sorted,
    /// distinct: boilerplate candidates). The word hashes of the text
    /// ([`crate::shingle::word_hash`], in order) are appended to `words`, so a caller
    /// that also shingles the text need not tokenize it again.
    pub fn stems_and_short_lines(
        &mut self,
        text: &str,
        short_words: usize,
        words: &mut Vec<u64>,
    ) -> (Vec<TermHash>, Vec<u64>) {
        let mut stems = Vec::new();
        let mut lines = Vec::new();
        let Analyzer { tokenizer, stemmer } = self;
        STEMS.with(|memo| {
            let memo = &mut memo.borrow_mut();
            for span in paragraph_spans(text) {
                let ptext = &text[span];
                let before = words.len();
                tokenizer.for_each_word(ptext, |w| {
                    let h = xxh3_64(w);
                    words.push(h);
                    stems.extend(stem_memo_hashed(memo, stemmer, w, h));
                });
                if words.len() - before <= short_words {
                    lines.push(line_key(ptext));
                }
            }
        });
        stems.sort_unstable();
        stems.dedup();
        lines.sort_unstable();
        lines.dedup();
        (stems, lines)
    }

    /// Word hashes of `text` in order.
    pub fn tokens(&mut self, text: &str) -> Vec<TermHash> {
        let mut out = Vec::new();
        self.tokenizer.for_each_word(text, |w| out.push(xxh3_64(w)));
        out
    }

    /// Analyzes a document. `is_boilerplate` is asked about each paragraph's
    /// [`line_key`]; boilerplate paragraphs are kept for display but not aligned.
    pub fn analyze(&mut self, text: &str, is_boilerplate: &dyn Fn(u64) -> bool) -> Analyzed {
        let paragraphs = paragraph_spans(text);
        let mut out = Analyzed {
            boilerplate: Vec::with_capacity(paragraphs.len()),
            paragraph_words: Vec::with_capacity(paragraphs.len()),
            ..Default::default()
        };
        let mut all_stems: Vec<TermHash> = Vec::new();
        let mut tokens: Vec<TermHash> = Vec::new();
        let mut seq: Vec<TermHash> = Vec::new();
        let mut chars = CharCursor::new(text);
        // Function words per unit, to find lists afterwards.
        let mut function_words: Vec<usize> = Vec::new();
        for (p, span) in paragraphs.iter().enumerate() {
            let ptext = &text[span.clone()];
            let boiler = is_boilerplate(line_key(ptext));
            out.boilerplate.push(boiler);
            let mut pwords = 0;
            for s in sentence_spans(ptext) {
                let stext = &ptext[s.clone()];
                tokens.clear();
                seq.clear();
                let mut function = 0;
                self.for_each_word_stem(stext, |w, s| {
                    tokens.push(xxh3_64(w));
                    seq.extend(s);
                    function += std::str::from_utf8(w).is_ok_and(is_stopword) as usize;
                });
                if tokens.is_empty() {
                    continue;
                }
                pwords += tokens.len();
                if boiler {
                    continue;
                }
                all_stems.extend_from_slice(&seq);
                let tokens = tokens.clone();
                let mut stems = seq.clone();
                stems.sort_unstable();
                stems.dedup();
                let bytes = span.start + s.start..span.start + s.end;
                function_words.push(function);
                out.units.push(Unit {
                    para: p as u32,
                    chars: chars.at(bytes.start)..chars.at(bytes.end),
                    span: bytes,
                    tokens,
                    stems,
                    list: false,
                });
            }
            out.paragraph_words.push(pwords);
            if !boiler {
                out.words += pwords;
            }
        }
        mark_lists(&mut out, &function_words);
        out.bigrams = all_stems
            .windows(2)
            .map(|w| bigram_hash(w[0], w[1]))
            .collect();
        out.bigrams.sort_unstable();
        out.bigrams.dedup();
        all_stems.sort_unstable();
        all_stems.dedup();
        out.stems = all_stems;
        out.paragraphs = paragraphs;
        out
    }
}

/// Units of at least this many words can be lists ([`mark_lists`]).
const LIST_MIN_WORDS: usize = 8;
/// A unit whose share of function words is below this is a list ([`mark_lists`]).
const LIST_MAX_FUNCTION: f64 = 0.1;
/// Lists are looked for only in documents whose share of function words is at least
/// this: prose in a language the stop-word list covers (English prose is at 0.4-0.5).
const PROSE_MIN_FUNCTION: f64 = 0.25;

/// Marks the units that are lists, not prose (line-ups, lists of names, tables of
/// results, and long headlines, which drop function words too): units of at least
/// [`LIST_MIN_WORDS`] words nearly without function words ("the", "of", "was", ...),
/// in a document that is otherwise prose. Two stories about
/// one team or one cast share such lines without any text being reused, and a
/// sentence similarity counts the shared names as if it had been; so lists are
/// boilerplate within a pair: aligned only to an identical copy (a copied list is
/// reuse; two line-ups of one team are often one edit apart), and left out of the
/// words coverage is a share of. They
/// stay in the word sequence, where a copied list still shows as a shared run in the
/// same order, which two line-ups of one team do not make.
fn mark_lists(out: &mut Analyzed, function_words: &[usize]) {
    let words: usize = out.units.iter().map(Unit::words).sum();
    let function: usize = function_words.iter().sum();
    if words == 0 || (function as f64) < PROSE_MIN_FUNCTION * words as f64 {
        return;
    }
    for (u, &f) in out.units.iter_mut().zip(function_words) {
        if u.words() >= LIST_MIN_WORDS && (f as f64) < LIST_MAX_FUNCTION * u.words() as f64 {
            u.list = true;
            out.words -= u.words();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(t: &str) -> Vec<&str> {
        sentence_spans(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn splits_sentences_but_not_abbreviations() {
        assert_eq!(
            sentences("Mr. Blinken spoke. He said \"yes.\" Then 3 more came! Gen. J. Smith agreed"),
            vec![
                "Mr. Blinken spoke.",
                "He said \"yes.\"",
                "Then 3 more came!",
                "Gen. J. Smith agreed"
            ]
        );
        assert_eq!(
            sentences("the U.S. and allies. ok"),
            vec!["the U.S. and allies. ok"]
        );
        assert!(sentences("  ").is_empty());
        assert_eq!(
            sentences("他说：「好。」然后走了！真的吗？是的"),
            vec!["他说：「好。」", "然后走了！", "真的吗？", "是的"]
        );
    }

    #[test]
    fn stems_fold_inflections_numbers_and_stop_words() {
        let mut a = Analyzer::default();
        assert_eq!(
            a.content_stems("negotiations"),
            a.content_stems("negotiation")
        );
        assert_eq!(
            a.content_stems("31,988 killed"),
            a.content_stems("31988 kill")
        );
        assert_eq!(
            a.content_stems("Israel's army"),
            a.content_stems("israel army")
        );
        assert_eq!(
            a.content_stems("U.S. officials"),
            a.content_stems("us official")
        );
        assert!(a.content_stems("the and of to it's a").is_empty());
    }

    #[test]
    fn line_ups_in_prose_are_lists() {
        let mut a = Analyzer::default();
        let text = "Ireland have named their side for the match against England on Saturday.\n\n\
            Murphy, Dempsey, Horgan, Maggs, Hickie, O'Gara, Stringer, Corrigan, Byrne, Hayes.\n\n\
            The coach said that he was happy with the way the squad had trained this week.";
        let d = a.analyze(text, &|_| false);
        let lists: Vec<bool> = d.units.iter().map(|u| u.list).collect();
        assert_eq!(lists, vec![false, true, false]);
        let prose: usize = d.units.iter().filter(|u| !u.list).map(Unit::words).sum();
        assert_eq!(d.words, prose, "a list is left out of the counted words");
        // A short line without function words (a headline) is not a list.
        let d = a.analyze(
            "Ireland call up uncapped Campbell\n\nThe coach said that he was \
            happy with the way the squad had trained this week.",
            &|_| false,
        );
        assert!(d.units.iter().all(|u| !u.list));
        // Nor is anything in a text the stop-word list does not cover.
        let d = a.analyze(
            "Le gouvernement français prépare une réforme importante du système \
            fiscal pendant cette année difficile. Plusieurs ministres régionaux contestent \
            vivement cette proposition budgétaire.",
            &|_| false,
        );
        assert!(d.units.iter().all(|u| !u.list));
    }

    #[test]
    fn analysis_keeps_paragraphs_units_and_boilerplate() {
        let mut a = Analyzer::default();
        let text = "Skip to main content\n\nFirst sentence here. Second one follows.\n\nLast.";
        let skip = line_key("skip to MAIN content");
        let d = a.analyze(text, &|k| k == skip);
        assert_eq!(d.paragraphs.len(), 3);
        assert_eq!(d.boilerplate, vec![true, false, false]);
        assert_eq!(d.units.len(), 3);
        assert_eq!(&text[d.units[1].span.clone()], "Second one follows.");
        assert_eq!(d.units[1].para, 1);
        assert_eq!(d.words, 7);
        assert_eq!(d.paragraph_words, vec![4, 6, 1]);
    }

    #[test]
    fn line_keys_ignore_case_digits_and_spacing() {
        assert_eq!(
            line_key("  Photo: AFP 2024 "),
            line_key("photo:   afp 1999")
        );
        assert_ne!(line_key("photo"), line_key("video"));
    }
}
