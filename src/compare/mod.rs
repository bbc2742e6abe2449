//! The pair API: everything reprint knows about two texts.
//!
//! [`Comparer::compare`] computes the exact word n-gram overlap (Jaccard, containment),
//! the document score `D` ([`docscore`]), the paragraph alignment and the
//! verdict. It is what `reprint score`, `reprint diff` and the default `reprint pairs`
//! run on each pair.

use serde::Serialize;

pub mod align;
pub mod analyze;
pub mod docscore;
pub mod equiv;
mod stopwords;
pub mod verdict;

use crate::shingle::{Shingler, DEFAULT_NGRAM};
use crate::verify::{overlap, Overlap};
use align::{align, AlignParams, Alignment};
use analyze::{Analyzed, Analyzer};
use docscore::{doc_score, DocIdf};
use equiv::equivalence;
use verdict::{Evidence, Verdict, VerdictRules};

/// A text prepared for comparison.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Sorted, unique word n-gram hashes.
    pub shingles: Vec<u64>,
    /// Paragraphs, sentences and stems.
    pub analyzed: Analyzed,
    /// The text itself, kept only for short texts (judged by sentence equivalence).
    pub short_text: Option<String>,
}

/// The comparison of two texts.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The verdict, or `None` when the texts are unrelated.
    pub verdict: Option<Verdict>,
    /// The document score `D`.
    pub score: f64,
    /// Exact word n-gram overlap.
    pub overlap: Overlap,
    /// Share of each text's words in aligned sentences.
    pub coverage_a: f64,
    pub coverage_b: f64,
    /// Sentence equivalence, for short texts only.
    pub equivalence: Option<f64>,
    #[serde(skip)]
    pub alignment: Alignment,
}

/// Compares texts; holds reusable state, so keep one per thread.
#[derive(Debug)]
pub struct Comparer {
    analyzer: Analyzer,
    shingler: Shingler,
    /// Alignment constants.
    pub align: AlignParams,
    /// Verdict thresholds.
    pub rules: VerdictRules,
    /// Align pairs that are duplicates by n-gram Jaccard too (for display). Corpus
    /// runs turn this off: a flood of exact copies would otherwise be aligned pair by
    /// pair, and their coverage is then taken from containment.
    pub align_duplicates: bool,
}

impl Default for Comparer {
    fn default() -> Self {
        Comparer::new(DEFAULT_NGRAM)
    }
}

impl Comparer {
    /// A comparer using word `ngram`-shingles for the overlap figures.
    pub fn new(ngram: usize) -> Self {
        Comparer {
            analyzer: Analyzer::default(),
            shingler: Shingler::new(ngram),
            align: AlignParams::default(),
            rules: VerdictRules::default(),
            align_duplicates: true,
        }
    }

    /// Prepares a text; `is_boilerplate` is asked about each paragraph's
    /// [`analyze::line_key`].
    pub fn prepare(&mut self, text: &str, is_boilerplate: &dyn Fn(u64) -> bool) -> Prepared {
        let analyzed = self.analyzer.analyze(text, is_boilerplate);
        let (shingles, _) = self.shingler.shingle_set(text);
        let short_text =
            (analyzed.units.len() <= self.rules.short_text_units).then(|| text.to_owned());
        Prepared {
            shingles,
            analyzed,
            short_text,
        }
    }

    /// Compares two prepared texts with document frequencies from their collection
    /// (`None`: from the two texts alone).
    pub fn compare(&mut self, a: &Prepared, b: &Prepared, idf: Option<&DocIdf>) -> Comparison {
        let local;
        let idf = match idf {
            Some(i) => i,
            None => {
                let mut t = DocIdf::new();
                t.add(&a.analyzed.stems);
                t.add(&b.analyzed.stems);
                local = t;
                &local
            }
        };
        let ov = overlap(&a.shingles, &b.shingles);
        let score = doc_score(&a.analyzed, &b.analyzed, idf);
        if !self.align_duplicates && ov.jaccard >= self.rules.duplicate_jaccard {
            return Comparison {
                verdict: Some(Verdict::Duplicate),
                score,
                overlap: ov,
                coverage_a: ov.containment_a_in_b,
                coverage_b: ov.containment_b_in_a,
                equivalence: None,
                alignment: Alignment::default(),
            };
        }
        let alignment = align(&a.analyzed, &b.analyzed, &self.align);
        let (ua, ub) = (a.analyzed.units.len(), b.analyzed.units.len());
        let equivalence = match (&a.short_text, &b.short_text) {
            (Some(x), Some(y)) if self.rules.is_short(ua, ub) => {
                Some(equivalence(x, y, &mut self.analyzer))
            }
            _ => None,
        };
        let verdict = self.rules.decide(&Evidence {
            jaccard: ov.jaccard,
            shared: ov.shared,
            alignment: &alignment,
            units_a: ua,
            units_b: ub,
            equivalence,
            score,
        });
        Comparison {
            verdict,
            score,
            overlap: ov,
            coverage_a: alignment.coverage_a,
            coverage_b: alignment.coverage_b,
            equivalence,
            alignment,
        }
    }

    /// Prepares and compares two texts (no boilerplate list, IDF from the pair).
    pub fn compare_texts(&mut self, a: &str, b: &str) -> Comparison {
        let pa = self.prepare(a, &|_| false);
        let pb = self.prepare(b, &|_| false);
        self.compare(&pa, &pb, None)
    }
}
