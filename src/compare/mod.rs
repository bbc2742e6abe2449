//! The pair API: everything reprint knows about two texts.
//!
//! [`Comparer::compare`] computes the exact word n-gram overlap (Jaccard, containment),
//! the document score `D` ([`docscore`]), the paragraph alignment and the
//! verdict. It is what `reprint score`, `reprint diff` and the default `reprint pairs`
//! run on each pair. [`changes`] turns an aligned link into word-level changes
//! (equal, inserted, deleted text) for renderers.

use serde::Serialize;

pub mod align;
pub mod analyze;
pub mod background;
pub mod changes;
pub mod docscore;
pub mod equiv;
pub mod evidence;
pub mod passages;
mod stopwords;
pub mod verdict;

use crate::shingle::{Shingler, DEFAULT_NGRAM};
use crate::verify::{overlap, Overlap};
use align::{align, AlignParams, Alignment};
use analyze::{Analyzed, Analyzer};
use background::Background;
use docscore::{doc_score, DocIdf};
use equiv::equivalence;
use evidence::{link_evidence, link_strength, run_figures, ReuseEvidence};
use passages::{passages, Passage};
use verdict::{Evidence, GateFigures, Rule, Verdict, VerdictRules};

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
    /// Share of A's (non-boilerplate) words in aligned sentences, in `[0, 1]`; for a
    /// duplicate that is not aligned, the shingle containment of A in B.
    pub coverage_a: f64,
    /// Share of B's words in aligned sentences, in `[0, 1]`; for a duplicate that is
    /// not aligned, the shingle containment of B in A.
    pub coverage_b: f64,
    /// Sentence equivalence, for short texts only.
    pub equivalence: Option<f64>,
    /// Sentence and paragraph links between the texts (empty for a duplicate that is
    /// not aligned); not serialized.
    #[serde(skip)]
    pub alignment: Alignment,
    /// Whether `alignment` was computed: false for a duplicate that a corpus run does
    /// not align ([`ComparerBuilder::align_duplicates`]); its link count is then
    /// unknown, not zero.
    #[serde(skip)]
    pub aligned: bool,
    /// Aligned passages with their character spans on both sides
    /// ([`passages`](mod@passages)); empty for a duplicate that is not aligned.
    pub passages: Vec<Passage>,
    /// The figures the verdict was decided from, and length-independent evidence of
    /// reuse ([`evidence`](mod@evidence)).
    pub evidence: ReuseEvidence,
}

impl Comparison {
    /// The aligned passages, with character spans on both sides.
    pub fn passages(&self) -> &[Passage] {
        &self.passages
    }

    /// The evidence object.
    pub fn evidence(&self) -> &ReuseEvidence {
        &self.evidence
    }
}

/// The evidence figures every comparison reports, before the alignment's.
fn base_evidence(
    ov: &Overlap,
    score: f64,
    coverage: (f64, f64),
    units: (usize, usize),
) -> ReuseEvidence {
    ReuseEvidence {
        jaccard: ov.jaccard,
        shared_ngrams: ov.shared,
        score,
        coverage_a: coverage.0,
        coverage_b: coverage.1,
        units_a: units.0,
        units_b: units.1,
        ..ReuseEvidence::default()
    }
}

/// The link strength figures of `alignment` into `e`.
fn set_link_strength(e: &mut ReuseEvidence, alignment: &Alignment) {
    let s = link_strength(alignment);
    e.best_link = s.best;
    e.second_link = s.second;
    e.strong_links = s.strong;
    e.chain_links = s.chain;
}

/// Compares texts; holds reusable state, so keep one per thread.
///
/// ```
/// use reprint::compare::Comparer;
/// let mut cmp = Comparer::builder().ngram(5).near_duplicate_jaccard(0.8).build()?;
/// let c = cmp.compare_texts("the same words in the same order", "the same words in the same order");
/// assert_eq!(c.overlap.jaccard, 1.0);
/// # Ok::<(), reprint::Error>(())
/// ```
#[derive(Debug)]
pub struct Comparer {
    analyzer: Analyzer,
    shingler: Shingler,
    ngram: usize,
    align: AlignParams,
    rules: VerdictRules,
    align_duplicates: bool,
    details: bool,
}

/// Builds a [`Comparer`]; values start at [`Comparer::new`]'s defaults and are
/// checked in [`ComparerBuilder::build`].
#[derive(Debug, Clone)]
pub struct ComparerBuilder {
    ngram: usize,
    align: AlignParams,
    rules: VerdictRules,
    align_duplicates: bool,
    details: bool,
}

impl Default for ComparerBuilder {
    fn default() -> Self {
        ComparerBuilder {
            ngram: DEFAULT_NGRAM,
            align: AlignParams::default(),
            rules: VerdictRules::default(),
            align_duplicates: true,
            details: true,
        }
    }
}

impl ComparerBuilder {
    /// Word n-gram length of the overlap figures, 1 to 64 (default 5).
    pub fn ngram(mut self, ngram: usize) -> Self {
        self.ngram = ngram;
        self
    }

    /// Jaccard at or above which a pair is a near-duplicate, in (0, 1] (default 0.8;
    /// corpus runs use their threshold).
    pub fn near_duplicate_jaccard(mut self, jaccard: f64) -> Self {
        self.rules.near_duplicate_jaccard = jaccard;
        self
    }

    /// All verdict thresholds at once (replaces an earlier
    /// [`ComparerBuilder::near_duplicate_jaccard`]).
    pub fn rules(mut self, rules: VerdictRules) -> Self {
        self.rules = rules;
        self
    }

    /// Alignment constants.
    pub fn align(mut self, align: AlignParams) -> Self {
        self.align = align;
        self
    }

    /// Align pairs that are duplicates by n-gram Jaccard too (default true, for
    /// display). Corpus runs turn this off: a flood of exact copies would otherwise be
    /// aligned pair by pair, and their coverage is then taken from containment.
    pub fn align_duplicates(mut self, align: bool) -> Self {
        self.align_duplicates = align;
        self
    }

    /// Compute the passages and the full evidence object (default true). Corpus runs
    /// that keep only a pair's figures turn this off: the verdict, score and coverage
    /// are the same, `passages` is empty and the evidence holds only the figures the
    /// verdict read (the reuse gate's inputs when the gate was asked; no passage or
    /// link IDF figures).
    pub fn details(mut self, details: bool) -> Self {
        self.details = details;
        self
    }

    /// Checks the values.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidParameter`] for an `ngram` outside 1 to 64 or a Jaccard
    /// outside (0, 1].
    pub fn build(self) -> crate::Result<Comparer> {
        if self.ngram == 0 || self.ngram > 64 {
            return Err(crate::Error::InvalidParameter {
                name: "ngram",
                requirement: format!("must be between 1 and 64, got {}", self.ngram),
            });
        }
        for (name, v) in [
            ("near_duplicate_jaccard", self.rules.near_duplicate_jaccard),
            ("duplicate_jaccard", self.rules.duplicate_jaccard),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(crate::Error::InvalidParameter {
                    name,
                    requirement: format!("must be in (0, 1], got {v}"),
                });
            }
        }
        let mut c = Comparer::new(self.ngram);
        c.align = self.align;
        c.rules = self.rules;
        c.align_duplicates = self.align_duplicates;
        c.details = self.details;
        Ok(c)
    }
}

impl Default for Comparer {
    fn default() -> Self {
        Comparer::new(DEFAULT_NGRAM)
    }
}

impl Comparer {
    /// A builder, to set thresholds and options (checked once).
    pub fn builder() -> ComparerBuilder {
        ComparerBuilder::default()
    }

    /// A comparer using word `ngram`-shingles for the overlap figures, with the
    /// default rules (not checked: prefer [`Comparer::builder`] for user input).
    pub fn new(ngram: usize) -> Self {
        Comparer {
            analyzer: Analyzer::default(),
            shingler: Shingler::new(ngram),
            ngram,
            align: AlignParams::default(),
            rules: VerdictRules::default(),
            align_duplicates: true,
            details: true,
        }
    }

    /// Word n-gram length of the overlap figures.
    pub fn ngram(&self) -> usize {
        self.ngram
    }

    /// Alignment constants.
    pub fn align_params(&self) -> &AlignParams {
        &self.align
    }

    /// Verdict thresholds.
    pub fn rules(&self) -> &VerdictRules {
        &self.rules
    }

    /// Whether pairs that are duplicates by n-gram Jaccard are aligned too.
    pub fn align_duplicates(&self) -> bool {
        self.align_duplicates
    }

    /// Whether passages and the full evidence object are computed.
    pub fn details(&self) -> bool {
        self.details
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

    /// Compares two prepared texts. The document score's IDF comes from `idf`, a
    /// collection's document frequencies (`--idf corpus`), or with `None` from the
    /// fixed background table ([`crate::compare::background`]), so that the pair is judged the
    /// same whatever else is being compared.
    pub fn compare(&mut self, a: &Prepared, b: &Prepared, idf: Option<&DocIdf>) -> Comparison {
        let bg = Background::english();
        let ov = overlap(&a.shingles, &b.shingles);
        // Identical texts (the same n-grams and paragraphs of the same lengths) score
        // the maximum and are fully covered, even when `D` or the alignment has nothing
        // to count: a text of stop words, one word, or only corpus boilerplate.
        let identical = !a.shingles.is_empty()
            && a.shingles == b.shingles
            && a.analyzed.paragraph_words == b.analyzed.paragraph_words;
        let score = if identical {
            1.0
        } else {
            match idf {
                Some(t) => doc_score(&a.analyzed, &b.analyzed, t),
                None => doc_score(&a.analyzed, &b.analyzed, bg),
            }
        };
        let (ua, ub) = (a.analyzed.units.len(), b.analyzed.units.len());
        if identical {
            // Cheap (the identity alignment), so even corpus runs count the links.
            let alignment = align(&a.analyzed, &b.analyzed, &self.align);
            let equivalence = self.short_equivalence(a, b);
            let mut evidence = base_evidence(&ov, score, (1.0, 1.0), (ua, ub));
            evidence.equivalence = equivalence;
            evidence.rule = Rule::Identical;
            if self.details {
                self.run_evidence(a, b, bg, &mut evidence);
                set_link_strength(&mut evidence, &alignment);
            }
            let passages = self.passages_and_evidence(a, b, &alignment, &mut evidence);
            return Comparison {
                verdict: Some(Verdict::Duplicate),
                score,
                overlap: ov,
                coverage_a: 1.0,
                coverage_b: 1.0,
                equivalence,
                alignment,
                aligned: true,
                passages,
                evidence,
            };
        }
        if !self.align_duplicates && ov.jaccard >= self.rules.duplicate_jaccard {
            let mut evidence = base_evidence(
                &ov,
                score,
                (ov.containment_a_in_b, ov.containment_b_in_a),
                (ua, ub),
            );
            evidence.rule = Rule::DuplicateJaccard;
            if self.details {
                self.run_evidence(a, b, bg, &mut evidence);
            }
            return Comparison {
                verdict: Some(Verdict::Duplicate),
                score,
                overlap: ov,
                coverage_a: ov.containment_a_in_b,
                coverage_b: ov.containment_b_in_a,
                equivalence: None,
                alignment: Alignment::default(),
                aligned: false,
                passages: Vec::new(),
                evidence,
            };
        }
        let alignment = align(&a.analyzed, &b.analyzed, &self.align);
        let equivalence = self.short_equivalence(a, b);
        let mut evidence = base_evidence(
            &ov,
            score,
            (alignment.coverage_a, alignment.coverage_b),
            (ua, ub),
        );
        evidence.equivalence = equivalence;
        set_link_strength(&mut evidence, &alignment);
        // The gate's run figures are needed unless a rule before the gate decides;
        // with details on they are always reported.
        let before_gate = ov.jaccard >= self.rules.near_duplicate_jaccard
            || (equivalence.is_some() && self.rules.is_short(ua, ub));
        if self.details || !before_gate {
            self.run_evidence(a, b, bg, &mut evidence);
        }
        let decision = self.rules.decision(&Evidence {
            jaccard: ov.jaccard,
            alignment: &alignment,
            units_a: ua,
            units_b: ub,
            equivalence,
            gate: GateFigures {
                longest_run: evidence.longest_run,
                passage_evidence: evidence.passage_evidence,
                best_link: evidence.best_link,
                strong_links: evidence.strong_links,
            },
        });
        evidence.rule = decision.rule;
        evidence.gate_logit = decision.logit;
        let passages = self.passages_and_evidence(a, b, &alignment, &mut evidence);
        Comparison {
            verdict: decision.verdict,
            score,
            overlap: ov,
            coverage_a: alignment.coverage_a,
            coverage_b: alignment.coverage_b,
            equivalence,
            alignment,
            aligned: true,
            passages,
            evidence,
        }
    }

    /// The longest shared run and the passage evidence of two texts.
    fn run_evidence(&self, a: &Prepared, b: &Prepared, bg: &Background, e: &mut ReuseEvidence) {
        let (ta, tb) = (
            evidence::doc_tokens(&a.analyzed),
            evidence::doc_tokens(&b.analyzed),
        );
        (e.longest_run, e.passage_evidence) = run_figures(&ta, &tb, bg);
    }

    /// The passages of an alignment and the evidence figures drawn from it (only
    /// with [`ComparerBuilder::details`] on; else none, and `evidence` as it is).
    fn passages_and_evidence(
        &self,
        a: &Prepared,
        b: &Prepared,
        alignment: &Alignment,
        evidence: &mut ReuseEvidence,
    ) -> Vec<Passage> {
        if !self.details {
            return Vec::new();
        }
        let passages = passages(&a.analyzed, &b.analyzed, alignment);
        evidence.passages = passages.len();
        evidence.strong_passages = passages.iter().filter(|p| p.is_strong()).count();
        link_evidence(&a.analyzed, &b.analyzed, alignment, evidence);
        passages
    }

    /// Sentence equivalence of two short texts; `None` unless both are short.
    fn short_equivalence(&mut self, a: &Prepared, b: &Prepared) -> Option<f64> {
        let (ua, ub) = (a.analyzed.units.len(), b.analyzed.units.len());
        match (&a.short_text, &b.short_text) {
            (Some(x), Some(y)) if self.rules.is_short(ua, ub) => {
                Some(equivalence(x, y, &mut self.analyzer))
            }
            _ => None,
        }
    }

    /// Prepares and compares two texts (no boilerplate list, background IDF).
    pub fn compare_texts(&mut self, a: &str, b: &str) -> Comparison {
        let pa = self.prepare(a, &|_| false);
        let pb = self.prepare(b, &|_| false);
        self.compare(&pa, &pb, None)
    }
}

#[cfg(test)]
#[path = "lang_tests.rs"]
mod lang_tests;
