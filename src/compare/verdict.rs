//! The verdict on a pair: `duplicate`, `near-duplicate`, `rewrite`, `partial`, or
//! nothing (unrelated), in the spirit of METER's wholly / partially / non-derived.
//!
//! The decision is split in two. Whole copies need no more evidence than their n-gram
//! overlap; everything else must first pass the *reuse gate* (is any text reused at
//! all?), and only then do the coverage rules say *how much* (rewrite or partial). In
//! order, the first rule that holds decides (the rule's name is `evidence.rule`):
//!
//! * `duplicate` (`duplicate-jaccard`): word 5-gram Jaccard at least 0.9;
//! * `near-duplicate` (`near-duplicate-jaccard`): 5-gram Jaccard at least the run's
//!   threshold;
//! * for texts of at most three sentences each, sentence equivalence decides
//!   ([`super::equiv`]): below 0.5 unrelated (`not-equivalent`), else
//!   (`equivalent`) `near-duplicate` when the links are mostly identical or edited (as
//!   below), `rewrite` otherwise;
//! * `near-duplicate` (`mostly-close`): both documents at least 80% covered by links
//!   of which at least 80% are identical or edited (a copy with light edits that
//!   breaks many 5-grams);
//! * the reuse gate ([`gate_logit`]): a logistic model of four absolute figures that
//!   do not scale with the documents' lengths: the longest shared word run, the
//!   passage evidence of shared rare runs (a chance significance given both lengths
//!   and the fixed background table), the best sentence link and the number of strong
//!   links. Below 0 the pair is unrelated (`no-reuse`), whatever its coverage or
//!   document score: shared topic alone is never reuse;
//! * `rewrite` (`rewrite`; wholly derived, reworded): at least 3 links, one document
//!   at least 50% covered and the other at least 30% (so a rewrite always has aligned
//!   text);
//! * `partial` (`partial`): reuse without that coverage (a passage, some paragraphs).
//!
//! Coverage counts words outside boilerplate paragraphs only, so furniture such as
//! "Skip to main content" or photo captions cannot make a pair look derived.

use serde::Serialize;

use super::align::{Alignment, LinkKind};

/// The verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The same text: Jaccard at least [`VerdictRules::duplicate_jaccard`].
    Duplicate,
    /// A copy with light edits: high Jaccard, or nearly fully covered by close links.
    NearDuplicate,
    /// Wholly derived but reworded: many links covering most of both texts.
    Rewrite,
    /// Some paragraphs derived: a few strong links, or a high document score.
    Partial,
}

impl Verdict {
    /// The name used in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Duplicate => "duplicate",
            Verdict::NearDuplicate => "near-duplicate",
            Verdict::Rewrite => "rewrite",
            Verdict::Partial => "partial",
        }
    }

    /// Whether the pair counts as derived as a whole (not partial).
    pub fn is_whole(self) -> bool {
        !matches!(self, Verdict::Partial)
    }
}

/// Thresholds of the verdict rules.
#[derive(Debug, Clone, Copy)]
pub struct VerdictRules {
    /// Jaccard at or above which a pair is `duplicate` (default 0.9).
    pub duplicate_jaccard: f64,
    /// Jaccard at or above which a pair is `near-duplicate`; the run's threshold
    /// (default 0.8).
    pub near_duplicate_jaccard: f64,
    /// Coverage, in `[0, 1]`, the better-covered document needs for `rewrite`; also the
    /// coverage by links of any strength for the last `partial` rule (default 0.5).
    pub rewrite_max_coverage: f64,
    /// Coverage, in `[0, 1]`, the less-covered document needs for `rewrite`
    /// (default 0.3).
    pub rewrite_min_coverage: f64,
    /// Sentence links needed for `rewrite` (default 3).
    pub rewrite_min_links: usize,
    /// Texts with at most this many sentence units each (and at least one) are judged
    /// by equivalence (default 3).
    pub short_text_units: usize,
    /// Document score at or above which `reprint sources` lists a source (the verdict
    /// does not read it; default 0.08).
    pub partial_score: f64,
}

impl Default for VerdictRules {
    fn default() -> Self {
        VerdictRules {
            duplicate_jaccard: 0.9,
            near_duplicate_jaccard: 0.8,
            rewrite_max_coverage: 0.5,
            rewrite_min_coverage: 0.3,
            rewrite_min_links: 3,
            short_text_units: 3,
            partial_score: 0.08,
        }
    }
}

/// Which rule decided a verdict (`evidence.rule` in JSON output; see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The same n-grams and paragraphs: a duplicate whatever else.
    #[default]
    Identical,
    /// `duplicate` by 5-gram Jaccard.
    DuplicateJaccard,
    /// `near-duplicate` by 5-gram Jaccard.
    NearDuplicateJaccard,
    /// Short texts judged equivalent (`near-duplicate` or `rewrite`).
    Equivalent,
    /// Short texts judged not equivalent (unrelated).
    NotEquivalent,
    /// `near-duplicate`: both texts nearly fully covered by close links.
    MostlyClose,
    /// The reuse gate says no (unrelated).
    NoReuse,
    /// Reuse, with coverage of both texts: `rewrite`.
    Rewrite,
    /// Reuse without that coverage: `partial`.
    Partial,
}

/// Coefficients of the reuse gate ([`gate_logit`]), fitted on the binary's own evidence
/// figures on the development data (PAN13, Clough & Stevenson, METER pairs; datasets
/// weighted equally, classes balanced, weights constrained to be >= 0) by
///
/// ```text
/// cargo build --release
/// /work/research/venv/bin/python scripts/fit_verdict.py --reprint target/release/reprint \
///     --data ../shared/eval --cache /tmp/vd/fit
/// ```
///
/// (any venv with numpy, scipy and wordfreq 3.1.1 will do; the leave-one-dataset-out table
/// it prints is in EVALUATION.md, "The reuse gate"). The longest shared run's weight
/// came out 0 under the constraint: once passage evidence is known, it adds nothing.
pub mod gate {
    /// Intercept.
    pub const BIAS: f64 = -4.1760;
    /// Weight of `ln(1 + longest_run)`.
    pub const W_RUN: f64 = 0.0;
    /// Weight of `ln(1 + passage_evidence)`.
    pub const W_PASSAGE: f64 = 0.9028;
    /// Weight of `best_link`.
    pub const W_LINK: f64 = 4.6561;
    /// Weight of `ln(1 + strong_links)`.
    pub const W_STRONG: f64 = 1.5631;
}

/// The gate's inputs: absolute evidence of reuse that does not scale with the lengths of
/// the documents ([`super::evidence`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GateFigures {
    /// Longest run of identical words shared by the texts.
    pub longest_run: usize,
    /// Passage evidence of shared rare runs (at least 0).
    pub passage_evidence: f64,
    /// Best sentence link score.
    pub best_link: f64,
    /// Sentence links scoring at least [`super::evidence::STRONG_LINK`].
    pub strong_links: usize,
}

/// The reuse gate's logit: `BIAS + W_RUN·ln(1 + longest_run) + W_PASSAGE·ln(1 +
/// passage_evidence) + W_LINK·best_link + W_STRONG·ln(1 + strong_links)` ([`gate`]).
/// Reuse when at least 0. Every weight is positive, so more evidence never lowers it.
pub fn gate_logit(f: &GateFigures) -> f64 {
    gate::BIAS
        + gate::W_RUN * (f.longest_run as f64).ln_1p()
        + gate::W_PASSAGE * f.passage_evidence.max(0.0).ln_1p()
        + gate::W_LINK * f.best_link
        + gate::W_STRONG * (f.strong_links as f64).ln_1p()
}

/// Everything a verdict is decided from.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// Word 5-gram (or `--ngram`) Jaccard of the two texts.
    pub jaccard: f64,
    /// The sentence alignment of the two texts: links and coverage.
    pub alignment: &'a Alignment,
    /// Sentence units of A.
    pub units_a: usize,
    /// Sentence units of B.
    pub units_b: usize,
    /// Equivalence score, computed when both texts are short.
    pub equivalence: Option<f64>,
    /// The reuse gate's inputs.
    pub gate: GateFigures,
}

/// A verdict (`None`: unrelated) and the rule that gave it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The verdict.
    pub verdict: Option<Verdict>,
    /// The rule that decided.
    pub rule: Rule,
    /// The reuse gate's logit, when the gate was asked.
    pub logit: Option<f64>,
}

impl VerdictRules {
    /// Whether texts with these unit counts are judged by equivalence.
    pub fn is_short(&self, units_a: usize, units_b: usize) -> bool {
        units_a.max(units_b) <= self.short_text_units && units_a.min(units_b) >= 1
    }

    /// The verdict, or `None` for an unrelated pair.
    pub fn decide(&self, e: &Evidence) -> Option<Verdict> {
        self.decision(e).verdict
    }

    /// The verdict and the rule that decided it (see the module docs).
    pub fn decision(&self, e: &Evidence) -> Decision {
        let done = |verdict, rule| Decision {
            verdict,
            rule,
            logit: None,
        };
        let al = e.alignment;
        if e.jaccard >= self.duplicate_jaccard {
            return done(Some(Verdict::Duplicate), Rule::DuplicateJaccard);
        }
        let (lo, hi) = if al.coverage_a <= al.coverage_b {
            (al.coverage_a, al.coverage_b)
        } else {
            (al.coverage_b, al.coverage_a)
        };
        let n = al.units.len();
        let close = al
            .units
            .iter()
            .filter(|l| l.kind != LinkKind::Paraphrase)
            .count();
        let mostly_close = lo >= 0.8 && n > 0 && close as f64 >= 0.8 * n as f64;
        if e.jaccard >= self.near_duplicate_jaccard {
            return done(Some(Verdict::NearDuplicate), Rule::NearDuplicateJaccard);
        }
        if let Some(eq) = e.equivalence {
            if self.is_short(e.units_a, e.units_b) {
                if eq < super::equiv::EQUIVALENT {
                    return done(None, Rule::NotEquivalent);
                }
                let v = if mostly_close {
                    Verdict::NearDuplicate
                } else {
                    Verdict::Rewrite
                };
                return done(Some(v), Rule::Equivalent);
            }
        }
        if mostly_close {
            return done(Some(Verdict::NearDuplicate), Rule::MostlyClose);
        }
        let logit = gate_logit(&e.gate);
        let (verdict, rule) = if logit < 0.0 {
            (None, Rule::NoReuse)
        } else if n >= self.rewrite_min_links
            && hi >= self.rewrite_max_coverage
            && lo >= self.rewrite_min_coverage
        {
            (Some(Verdict::Rewrite), Rule::Rewrite)
        } else {
            (Some(Verdict::Partial), Rule::Partial)
        };
        Decision {
            verdict,
            rule,
            logit: Some(logit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::align::UnitLink;

    fn alignment(links: &[(f64, LinkKind)], coverage: (f64, f64)) -> Alignment {
        Alignment {
            units: links
                .iter()
                .enumerate()
                .map(|(i, &(score, kind))| UnitLink {
                    a: i,
                    b: i,
                    score,
                    kind,
                })
                .collect(),
            coverage_a: coverage.0,
            coverage_b: coverage.1,
            ..Default::default()
        }
    }

    fn decide(al: &Alignment, gate: GateFigures) -> Option<Verdict> {
        VerdictRules::default().decide(&Evidence {
            jaccard: 0.0,
            alignment: al,
            units_a: 30,
            units_b: 30,
            equivalence: None,
            gate,
        })
    }

    fn figures(
        longest_run: usize,
        passage_evidence: f64,
        best_link: f64,
        strong: usize,
    ) -> GateFigures {
        GateFigures {
            longest_run,
            passage_evidence,
            best_link,
            strong_links: strong,
        }
    }

    #[test]
    fn coverage_without_evidence_is_not_reuse() {
        // Wide coverage by weak topical links, nothing shared verbatim: unrelated.
        let wide = alignment(
            &[
                (0.35, LinkKind::Paraphrase),
                (0.3, LinkKind::Paraphrase),
                (0.32, LinkKind::Paraphrase),
            ],
            (0.6, 0.5),
        );
        assert_eq!(decide(&wide, figures(2, 0.0, 0.35, 0)), None);
        // The same alignment with a long shared run and a strong passage: a rewrite.
        assert_eq!(
            decide(&wide, figures(30, 40.0, 0.95, 3)),
            Some(Verdict::Rewrite)
        );
    }

    #[test]
    fn a_verbatim_passage_in_a_long_text_is_partial() {
        let one = alignment(&[(0.97, LinkKind::Identical)], (0.02, 0.04));
        assert_eq!(
            decide(&one, figures(60, 45.0, 0.97, 1)),
            Some(Verdict::Partial)
        );
        let d = VerdictRules::default().decision(&Evidence {
            jaccard: 0.0,
            alignment: &one,
            units_a: 300,
            units_b: 200,
            equivalence: None,
            gate: figures(60, 45.0, 0.97, 1),
        });
        assert_eq!(d.rule, Rule::Partial);
        assert!(d.logit.unwrap() > 0.0);
    }

    #[test]
    fn rewrite_needs_aligned_text() {
        // The gate may pass on shared runs alone, but without links it is partial.
        let none = alignment(&[], (0.0, 0.0));
        let v = decide(&none, figures(200, 300.0, 0.0, 0));
        assert_eq!(v, Some(Verdict::Partial));
    }

    proptest::proptest! {
        #[test]
        fn more_evidence_never_turns_reuse_into_unrelated(
            run in 0usize..80, pe in 0.0f64..60.0, link in 0.0f64..1.0, strong in 0usize..10,
            drun in 0usize..20, dpe in 0.0f64..20.0, dlink in 0.0f64..0.5, dstrong in 0usize..5,
        ) {
            let base = figures(run, pe, link, strong);
            let more = figures(run + drun, pe + dpe, (link + dlink).min(1.0), strong + dstrong);
            proptest::prop_assert!(gate_logit(&more) >= gate_logit(&base));
            let al = alignment(&[(0.6, LinkKind::Paraphrase)], (0.1, 0.1));
            if decide(&al, base).is_some() {
                proptest::prop_assert!(decide(&al, more).is_some());
            }
        }
    }
}
