//! Text normalization, tokenization and paragraph splitting.
//!
//! Everything downstream (shingles, sketches, the paragraph aligner) sees words through
//! [`for_each_word`], so two texts that differ only in Unicode form, case, typographic
//! quotes, apostrophes or dashes produce the same word sequence.

pub(crate) mod paragraph;
mod tokenize;

pub use paragraph::{paragraph_spans, paragraphs};
pub use tokenize::{fold_punctuation, for_each_word, for_each_word_reference, words, Tokenizer};
