//! The verdict on a pair: `duplicate`, `near-duplicate`, `rewrite`, `partial`, or
//! nothing (unrelated), in the spirit of METER's wholly / partially / non-derived.
//!
//! In order, the first rule that holds decides:
//!
//! * `duplicate`: word 5-gram Jaccard at least 0.9;
//! * `near-duplicate`: 5-gram Jaccard at least the run's threshold;
//! * for texts of at most three sentences each, sentence equivalence decides
//!   ([`super::equiv`]): below 0.5 unrelated, else `near-duplicate` when the links are
//!   mostly identical or edited (as below), `rewrite` otherwise;
//! * `near-duplicate`: both documents at least 80% covered by links of which at least
//!   80% are identical or edited (a copy with light edits that breaks many 5-grams);
//! * `rewrite` (wholly derived, reworded): at least 3 links, one document at least 50%
//!   covered and the other at least 30%;
//! * `partial` (some paragraphs derived): at least 2 strong links (score at least 0.5,
//!   or not a paraphrase) and one document at least 10% covered; or one strong link
//!   and a document score `D` of at least 0.08 (short articles built on one wire
//!   paragraph); or `D` at least 0.08 and one document at least 50% covered by links
//!   of any strength (a brief that rewords a few sentences of a longer source, each
//!   link weak on its own); in every case the texts must share at least one word n-gram verbatim
//!   or both be at least 30% covered (independent reports of the same event get a
//!   few sentence links through names and facts; reused material keeps a quote or a
//!   phrase, or is reworded at length);
//! * otherwise unrelated.
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
    /// Strong links needed for `partial` by coverage (default 2).
    pub partial_strong_links: usize,
    /// Coverage, in `[0, 1]`, the better-covered document needs for `partial` with
    /// [`partial_strong_links`](Self::partial_strong_links) strong links (default 0.1).
    pub partial_coverage: f64,
    /// Link score at or above which a paraphrase link counts as strong; identical and
    /// edited links are always strong (default 0.5).
    pub strong_link_score: f64,
    /// Texts with at most this many sentence units each (and at least one) are judged
    /// by equivalence (default 3).
    pub short_text_units: usize,
    /// Document score at or above which one link is enough for `partial`.
    pub partial_score: f64,
    /// Word n-grams the texts must share for `partial`, unless both are covered at
    /// least `rewrite_min_coverage`.
    pub partial_min_shared: usize,
}

impl Default for VerdictRules {
    fn default() -> Self {
        VerdictRules {
            duplicate_jaccard: 0.9,
            near_duplicate_jaccard: 0.8,
            rewrite_max_coverage: 0.5,
            rewrite_min_coverage: 0.3,
            rewrite_min_links: 3,
            partial_strong_links: 2,
            partial_coverage: 0.1,
            strong_link_score: 0.5,
            short_text_units: 3,
            partial_score: 0.08,
            partial_min_shared: 1,
        }
    }
}

/// Everything a verdict is decided from.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// Word 5-gram (or `--ngram`) Jaccard of the two texts.
    pub jaccard: f64,
    /// Word n-grams the two texts share.
    pub shared: usize,
    /// The sentence alignment of the two texts: links and coverage.
    pub alignment: &'a Alignment,
    /// Sentence units of A.
    pub units_a: usize,
    /// Sentence units of B.
    pub units_b: usize,
    /// Equivalence score, computed when both texts are short.
    pub equivalence: Option<f64>,
    /// The document score `D` ([`super::docscore`]).
    pub score: f64,
}

impl VerdictRules {
    /// Whether texts with these unit counts are judged by equivalence.
    pub fn is_short(&self, units_a: usize, units_b: usize) -> bool {
        units_a.max(units_b) <= self.short_text_units && units_a.min(units_b) >= 1
    }

    /// The verdict, or `None` for an unrelated pair.
    pub fn decide(&self, e: &Evidence) -> Option<Verdict> {
        let al = e.alignment;
        if e.jaccard >= self.duplicate_jaccard {
            return Some(Verdict::Duplicate);
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
            return Some(Verdict::NearDuplicate);
        }
        if let Some(eq) = e.equivalence {
            if self.is_short(e.units_a, e.units_b) {
                if eq < super::equiv::EQUIVALENT {
                    return None;
                }
                return Some(if mostly_close {
                    Verdict::NearDuplicate
                } else {
                    Verdict::Rewrite
                });
            }
        }
        if mostly_close {
            return Some(Verdict::NearDuplicate);
        }
        if n >= self.rewrite_min_links
            && hi >= self.rewrite_max_coverage
            && lo >= self.rewrite_min_coverage
        {
            return Some(Verdict::Rewrite);
        }
        let strong = al
            .units
            .iter()
            .filter(|l| l.score >= self.strong_link_score || l.kind != LinkKind::Paraphrase)
            .count();
        if e.shared < self.partial_min_shared && lo < self.rewrite_min_coverage {
            return None;
        }
        if strong >= self.partial_strong_links && hi >= self.partial_coverage {
            return Some(Verdict::Partial);
        }
        if e.score >= self.partial_score && strong >= 1 {
            return Some(Verdict::Partial);
        }
        if e.score >= self.partial_score && n > 0 && hi >= self.rewrite_max_coverage {
            return Some(Verdict::Partial);
        }
        None
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

    fn decide(al: &Alignment, shared: usize, score: f64) -> Option<Verdict> {
        VerdictRules::default().decide(&Evidence {
            jaccard: 0.0,
            shared,
            alignment: al,
            units_a: 30,
            units_b: 30,
            equivalence: None,
            score,
        })
    }

    #[test]
    fn partial_needs_a_shared_ngram_or_wide_coverage() {
        // Two strong sentence links over 15% of one text: partial reuse if the texts
        // share any word n-gram verbatim...
        let two_strong = alignment(
            &[(0.6, LinkKind::Paraphrase), (0.55, LinkKind::Paraphrase)],
            (0.15, 0.08),
        );
        assert_eq!(decide(&two_strong, 3, 0.05), Some(Verdict::Partial));
        // ...not when nothing is shared verbatim (same event, written independently).
        assert_eq!(decide(&two_strong, 0, 0.05), None);
        // One strong link with a high document score: the same.
        let one = alignment(&[(0.7, LinkKind::Paraphrase)], (0.2, 0.05));
        assert_eq!(decide(&one, 1, 0.12), Some(Verdict::Partial));
        assert_eq!(decide(&one, 0, 0.12), None);
        // Reworded at length (both texts 30% covered) needs no shared n-gram.
        let wide = alignment(
            &[(0.6, LinkKind::Paraphrase), (0.55, LinkKind::Paraphrase)],
            (0.45, 0.44),
        );
        assert_eq!(decide(&wide, 0, 0.12), Some(Verdict::Partial));
    }

    #[test]
    fn a_brief_covered_by_weak_links_is_partial() {
        // A short text 60% covered by two weak paraphrase links of a long one.
        let brief = alignment(
            &[(0.35, LinkKind::Paraphrase), (0.3, LinkKind::Paraphrase)],
            (0.6, 0.05),
        );
        assert_eq!(decide(&brief, 2, 0.1), Some(Verdict::Partial));
        // Not with a low document score, nor with nothing shared verbatim.
        assert_eq!(decide(&brief, 2, 0.05), None);
        assert_eq!(decide(&brief, 0, 0.1), None);
        // Nor when the brief is less than half covered.
        let thin = alignment(&[(0.35, LinkKind::Paraphrase)], (0.4, 0.05));
        assert_eq!(decide(&thin, 2, 0.1), None);
    }
}
