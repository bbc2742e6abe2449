//! Sentence equivalence: is one short text a paraphrase of the other?
//!
//! Derivation and equivalence differ: a sentence that copies a clause and adds another
//! is reuse, but not a paraphrase. For texts of at most three sentences, reprint decides
//! `rewrite` by this score instead of by alignment coverage. It is a logistic function
//! of six features, with coefficients fitted once on development data (MRPC train,
//! EVALUATION.md) and fixed here:
//!
//! * `stem1`: clipped unigram precision of the stemmed tokens (stop words included),
//!   the smaller of the two directions;
//! * `tok3`: the same for token trigrams, unstemmed (negative weight: a long shared run
//!   plus different material is reuse, not equivalence);
//! * `lev`: 1 - token Levenshtein distance / longer length, on stemmed tokens;
//! * `neg`: 1 when exactly one side has a negation;
//! * `gap`: the longest run of consecutive content stems missing from the other side;
//! * `num`: 1 when both sides have numbers and the sets differ.

use ahash::AHashMap;
use rust_stemmers::{Algorithm, Stemmer};

use super::analyze::Analyzer;
use crate::text::words;

const BIAS: f64 = -3.65;
const W_STEM1: f64 = 9.10;
const W_TOK3: f64 = -3.72;
const W_LEV: f64 = 2.29;
const W_NEG: f64 = -1.23;
const W_GAP: f64 = -0.21;
const W_NUM: f64 = -0.67;

/// Texts longer than this many tokens are cut for the Levenshtein feature.
const MAX_TOKENS: usize = 200;

/// Score at or above which two short texts are called equivalent.
pub const EQUIVALENT: f64 = 0.5;

const NEGATIONS: &[&str] = &[
    "cannot", "never", "no", "nobody", "none", "nor", "not", "nothing", "without",
];

struct Side {
    tokens: Vec<String>,
    stemmed: Vec<String>,
    content: Vec<u64>,
    numbers: Vec<String>,
    negated: bool,
}

fn side(text: &str, stemmer: &Stemmer, analyzer: &mut Analyzer) -> Side {
    let tokens = words(text);
    let stemmed: Vec<String> = tokens
        .iter()
        .map(|t| stemmer.stem(t).into_owned())
        .collect();
    let content: Vec<u64> = tokens
        .iter()
        .filter_map(|t| analyzer.stem(t.as_bytes()))
        .collect();
    let mut numbers: Vec<String> = tokens
        .iter()
        .filter(|t| t.starts_with(|c: char| c.is_numeric()))
        .map(|t| t.replace(',', ""))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let negated = tokens
        .iter()
        .any(|t| NEGATIONS.binary_search(&t.as_str()).is_ok() || t.ends_with("n't"));
    Side {
        tokens,
        stemmed,
        content,
        numbers,
        negated,
    }
}

/// Clipped n-gram precision of `x` against `y` (BLEU style); 0 when `x` is shorter
/// than `n`.
fn precision(x: &[String], y: &[String], n: usize) -> f64 {
    if x.len() < n {
        return 0.0;
    }
    let mut cy: AHashMap<&[String], usize> = AHashMap::new();
    for g in y.windows(n) {
        *cy.entry(g).or_insert(0) += 1;
    }
    let mut hit = 0usize;
    let total = x.len() + 1 - n;
    for g in x.windows(n) {
        if let Some(c) = cy.get_mut(g) {
            if *c > 0 {
                *c -= 1;
                hit += 1;
            }
        }
    }
    hit as f64 / total as f64
}

fn longest_gap(seq: &[u64], other: &[u64]) -> usize {
    let (mut best, mut cur) = (0, 0);
    for s in seq {
        if other.contains(s) {
            cur = 0;
        } else {
            cur += 1;
            best = best.max(cur);
        }
    }
    best
}

/// The six features, in the order of the module docs.
pub fn features(a: &str, b: &str, analyzer: &mut Analyzer) -> [f64; 6] {
    let stemmer = Stemmer::create(Algorithm::English);
    let x = side(a, &stemmer, analyzer);
    let y = side(b, &stemmer, analyzer);
    let stem1 = precision(&x.stemmed, &y.stemmed, 1).min(precision(&y.stemmed, &x.stemmed, 1));
    let tok3 = precision(&x.tokens, &y.tokens, 3).min(precision(&y.tokens, &x.tokens, 3));
    let sa = &x.stemmed[..x.stemmed.len().min(MAX_TOKENS)];
    let sb = &y.stemmed[..y.stemmed.len().min(MAX_TOKENS)];
    let longest = sa.len().max(sb.len()).max(1);
    let lev = 1.0 - strsim::generic_levenshtein(&sa.to_vec(), &sb.to_vec()) as f64 / longest as f64;
    let neg = if x.negated != y.negated { 1.0 } else { 0.0 };
    let gap = longest_gap(&x.content, &y.content).max(longest_gap(&y.content, &x.content)) as f64;
    let num = if !x.numbers.is_empty() && !y.numbers.is_empty() && x.numbers != y.numbers {
        1.0
    } else {
        0.0
    };
    [stem1, tok3, lev, neg, gap, num]
}

/// Probability-like equivalence score in `(0, 1)`.
pub fn equivalence(a: &str, b: &str, analyzer: &mut Analyzer) -> f64 {
    let [stem1, tok3, lev, neg, gap, num] = features(a, b, analyzer);
    let z = BIAS
        + W_STEM1 * stem1
        + W_TOK3 * tok3
        + W_LEV * lev
        + W_NEG * neg
        + W_GAP * gap
        + W_NUM * num;
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paraphrases_score_above_unrelated_sentences() {
        let mut an = Analyzer::default();
        let p = equivalence(
            "The company said profits rose 10 percent in the third quarter.",
            "Profits at the company rose 10 percent in the third quarter, it said.",
            &mut an,
        );
        let n = equivalence(
            "The company said profits rose 10 percent in the third quarter.",
            "Heavy rain flooded several villages in the north on Sunday.",
            &mut an,
        );
        assert!(p >= EQUIVALENT, "{p}");
        assert!(n < 0.1, "{n}");
        assert!(equivalence("Prices did not rise.", "Prices rose.", &mut an) < p);
    }

    #[test]
    fn negation_list_is_sorted() {
        assert!(NEGATIONS.windows(2).all(|w| w[0] < w[1]));
    }
}
