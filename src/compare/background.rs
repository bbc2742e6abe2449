//! Fixed background statistics: a bundled unigram probability table per language.
//!
//! Every per-pair figure that used to take document frequencies from the batch (the
//! document score's IDF in `score`, `diff` and `pairs`) reads this table by default,
//! so a pair's score does not depend on what else is in the input; and the evidence
//! gate's passage evidence ([`crate::compare::evidence`]) is a chance significance
//! under this table.
//!
//! The English table (`data/background/en.tsv.zst`, ~200 KB) holds the 50,000 most
//! frequent words of the `wordfreq` package 3.1.1 (word list `best`, CC BY-SA 4.0; see
//! `data/background/README.md`), written by `scripts/background_table.py` as
//! `word<TAB>q` with `p = 10^(-q/100)`. When the table is loaded, each entry is
//! re-tokenized with reprint's tokenizer ([`crate::text::Tokenizer`]): entries that are
//! exactly one reprint token give that token's probability (entries that fold to the
//! same token add up); the same token's content stem ([`Analyzer::stem`], stop words
//! and one-letter words have none) gets the sum of the probabilities of its words. So
//! the table speaks reprint's tokens and stems by construction. A word not in the
//! table has probability [`FLOOR`].
//!
//! Tables are per language code ([`Background::for_language`]); only English ships
//! today, and every text is looked up in it.

use std::sync::OnceLock;

use ahash::AHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::compare::analyze::{Analyzer, TermHash};
use crate::text::Tokenizer;

/// Probability of a word the table does not know.
pub const FLOOR: f64 = 1e-8;

/// Words in a typical document, for the background IDF ([`Background::idf`]).
pub const DOC_WORDS: f64 = 300.0;

/// The English table, as bundled.
static EN_TABLE: &[u8] = include_bytes!("../../data/background/en.tsv.zst");

/// A language's background unigram statistics.
#[derive(Debug)]
pub struct Background {
    lang: &'static str,
    /// log10 probability of a token hash (`xxh3_64` of the normalized word).
    tokens: AHashMap<TermHash, f32>,
    /// Probability of a content stem hash.
    stems: AHashMap<TermHash, f64>,
    /// Entries in the bundled table.
    entries: usize,
}

impl Background {
    /// The table of a language code (`"en"`), `None` when reprint has none.
    pub fn for_language(lang: &str) -> Option<&'static Background> {
        match lang {
            "en" => Some(Self::english()),
            _ => None,
        }
    }

    /// The English table (loaded on first use).
    pub fn english() -> &'static Background {
        static EN: OnceLock<Background> = OnceLock::new();
        EN.get_or_init(|| Background::parse("en", EN_TABLE).expect("bundled table is valid"))
    }

    /// Parses a zstd-compressed table (see the module docs).
    fn parse(lang: &'static str, compressed: &[u8]) -> std::io::Result<Background> {
        let raw = zstd::stream::decode_all(compressed)?;
        Ok(Background::from_tsv(lang, &String::from_utf8_lossy(&raw)))
    }

    /// A table from its text form (`word<TAB>q` lines, `p = 10^(-q/100)`; lines
    /// starting with `#` and malformed lines are skipped).
    pub fn from_tsv(lang: &'static str, text: &str) -> Background {
        let mut tokenizer = Tokenizer::default();
        let mut analyzer = Analyzer::default();
        let mut tokens: AHashMap<TermHash, f64> = AHashMap::new();
        let mut stems: AHashMap<TermHash, f64> = AHashMap::new();
        let mut entries = 0;
        let mut words: Vec<Vec<u8>> = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((word, q)) = line.split_once('\t') else {
                continue;
            };
            let Ok(q) = q.trim().parse::<u32>() else {
                continue;
            };
            entries += 1;
            let p = 10f64.powf(-(q as f64) / 100.0);
            words.clear();
            tokenizer.for_each_word(word, |w| words.push(w.to_vec()));
            if words.len() != 1 {
                continue;
            }
            let w = &words[0];
            *tokens.entry(xxh3_64(w)).or_insert(0.0) += p;
            if let Some(s) = analyzer.stem(w) {
                *stems.entry(s).or_insert(0.0) += p;
            }
        }
        Background {
            lang,
            tokens: tokens
                .into_iter()
                .map(|(k, p)| (k, p.min(1.0).log10() as f32))
                .collect(),
            stems,
            entries,
        }
    }

    /// The language code.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// Entries in the bundled table.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// log10 of a token's probability ([`FLOOR`] when unknown); `token` is
    /// `xxh3_64` of the normalized word, as in [`crate::compare::analyze::Unit::tokens`].
    pub fn token_log10(&self, token: TermHash) -> f64 {
        self.tokens.get(&token).map_or(FLOOR.log10(), |&l| l as f64)
    }

    /// A word's probability (normalized by reprint's tokenizer first; [`FLOOR`] when
    /// unknown or not one token).
    pub fn word_probability(&self, word: &str) -> f64 {
        let mut hashes = Vec::new();
        Tokenizer::default().for_each_word(word, |w| hashes.push(xxh3_64(w)));
        match hashes.as_slice() {
            [h] => 10f64.powf(self.token_log10(*h)),
            _ => FLOOR,
        }
    }

    /// Probability of a content stem (the sum over its words; [`FLOOR`] when unknown).
    pub fn stem_probability(&self, stem: TermHash) -> f64 {
        self.stems.get(&stem).copied().unwrap_or(FLOOR).max(FLOOR)
    }

    /// Background IDF of a content stem: `ln(1 / q)`, where `q = 1 - exp(-p · L)` is
    /// the chance that a document of `L` = [`DOC_WORDS`] words drawn from the table
    /// contains the stem, `p` its probability. The collection IDF
    /// `ln((N + 1) / (df + 0.5))` estimates the same `ln(1 / q)` from a batch.
    pub fn idf(&self, stem: TermHash) -> f64 {
        let p = self.stem_probability(stem);
        let q = -(-p * DOC_WORDS).exp_m1();
        (1.0 / q).ln().max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_table_loads_and_orders_words() {
        let bg = Background::english();
        assert_eq!(bg.lang(), "en");
        assert!(bg.entries() >= 49_000, "{}", bg.entries());
        let the = bg.word_probability("the");
        let harbour = bg.word_probability("harbour");
        let unknown = bg.word_probability("zzqxvbnm");
        assert!(the > 0.03 && the < 0.08, "{the}");
        assert!(harbour < 1e-4 && harbour > FLOOR, "{harbour}");
        assert_eq!(unknown, FLOOR);
        // Case and punctuation fold as reprint's tokens do.
        assert_eq!(bg.word_probability("The"), the);
        assert!(Background::for_language("xx").is_none());
    }

    #[test]
    fn background_idf_grows_with_rarity() {
        let bg = Background::english();
        let mut an = Analyzer::default();
        let idf = |w: &str, an: &mut Analyzer| bg.idf(an.stem(w.as_bytes()).unwrap());
        let (people, fisherman, unknown) = (
            idf("people", &mut an),
            idf("fishermen", &mut an),
            idf("zzqxvbnm", &mut an),
        );
        assert!(people < fisherman && fisherman < unknown);
        assert!(people > 0.0);
        // Inflections share a stem, hence an IDF.
        assert_eq!(idf("harbours", &mut an), idf("harbour", &mut an));
    }
}
