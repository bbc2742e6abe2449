//! Source attribution: for each article, the documents of a source collection (wire
//! copy, originals) it was most likely written from.
//!
//! `reprint pairs` reports every related pair with a verdict; a newsroom asking "where
//! did this article come from?" wants something sharper: for each article, its
//! sources, best first, and nothing that a better source already explains. The corpus
//! is two collections, sources first, then articles; only source-article pairs are
//! considered. For each article:
//!
//! 1. Candidates come from the same generators as the default mode (n-gram LSH and
//!    rare-term signatures, [`crate::candidates`]), restricted to source-article pairs,
//!    and each is compared in full ([`crate::compare`]).
//! 2. The **primary source** is the candidate with the highest document score `D`, when
//!    `D` is at least [`Attribution::min_score`]. It is reported even when no
//!    paragraph is reused (verdict `null`): the closest source, the story the article
//!    covers. On METER's newspaper articles the best-scoring PA document is the right
//!    story for 99% of them, reused text or not (EVALUATION.md).
//! 3. **Further sources** follow in score order when they have a verdict (reused text)
//!    and their links explain at least [`Attribution::min_new_units`] article sentences
//!    that no higher-ranked source explains. A second version of the same wire story,
//!    or an earlier story whose background paragraphs the article's real source
//!    repeated, adds nothing new and is left out.
//!
//! Scores are comparable within one run only (`D` is weighted by the run's document
//! frequencies). Ties are broken by corpus order, so the output does not depend on the
//! thread count.

use std::time::Instant;

use crate::corpus::{Corpus, DocTable, InputStats};
use crate::error::Result;
use crate::params::Params;
use crate::progress::Observer;
use crate::verify::Overlap;
use crate::DocIndex;

pub use crate::compare::verdict::Verdict;

use super::all::{candidates, verify};
use super::engine::{sketch_corpus, verify_candidates, Sketched};
use super::{near_dup, CorpusContext, Mode, Timings};
use crate::progress::Stage;

/// Thresholds of the attribution.
#[derive(Debug, Clone, Copy)]
pub struct Attribution {
    /// Document score `D` a primary source needs (the `partial` rule's floor).
    pub min_score: f64,
    /// Article sentences a further source must explain that better sources do not.
    pub min_new_units: usize,
    /// Leave out source-article pairs whose documents have the same value of the read
    /// options' extra field ([`crate::corpus::ReadOptions::extra_field`], e.g. the
    /// outlet): a paper's own archive is not its source. Documents without a value
    /// are in no group.
    pub skip_same_group: bool,
}

impl Default for Attribution {
    fn default() -> Self {
        Attribution {
            min_score: crate::compare::verdict::VerdictRules::default().partial_score,
            min_new_units: 2,
            skip_same_group: false,
        }
    }
}

/// One attributed source of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLink {
    /// The article (a document of the article collection).
    pub article: DocIndex,
    /// The source (a document of the source collection).
    pub source: DocIndex,
    /// 1 for the primary source, then 2, 3, ...
    pub rank: usize,
    /// The document score `D`.
    pub score: f64,
    /// Exact shingle overlap, with the source as A and the article as B.
    pub overlap: Overlap,
    /// The pair's verdict; `None` when no text is reused (primary sources only).
    pub verdict: Option<Verdict>,
    /// Share of the article's words in sentences aligned with this source.
    pub coverage_article: f64,
    /// Share of the source's words in sentences aligned with the article.
    pub coverage_source: f64,
    /// Article sentences this source explains that no higher-ranked source does.
    pub new_sentences: usize,
}

/// The result of an attribution run.
#[derive(Debug)]
pub struct SourcesResult {
    /// Ids, locations and word counts of every document, in corpus order.
    pub docs: DocTable,
    /// Counts of what the run read.
    pub stats: InputStats,
    /// Documents in the source collection (the first `sources` in corpus order).
    pub sources: usize,
    /// Documents in the article collection.
    pub articles: usize,
    /// Source-article candidate pairs compared.
    pub candidates: usize,
    /// Source-article candidate pairs left out because both documents are in one
    /// group ([`Attribution::skip_same_group`]).
    pub same_group: usize,
    /// Links, by article (corpus order), then rank.
    pub links: Vec<SourceLink>,
    /// Wall time per stage.
    pub timings: Timings,
    /// Stem document frequencies and boilerplate, for explaining links afterwards
    /// with the same weights.
    pub context: CorpusContext,
}

impl SourcesResult {
    /// Articles with at least one source.
    pub fn attributed(&self) -> usize {
        self.links.iter().filter(|l| l.rank == 1).count()
    }

    /// Articles whose primary source shares reused text (has a verdict).
    pub fn reused(&self) -> usize {
        self.links
            .iter()
            .filter(|l| l.rank == 1 && l.verdict.is_some())
            .count()
    }
}

/// A compared source-article pair, before ranking.
#[derive(Debug)]
struct Scored {
    score: f64,
    overlap: Overlap,
    verdict: Option<Verdict>,
    coverage_source: f64,
    coverage_article: f64,
    /// Article sentences in links, sorted, unique.
    article_units: Vec<u32>,
}

/// Attributes the articles of `corpus` to its sources: documents read from the first
/// `source_files` files of the corpus are sources, the rest are articles.
pub fn find_sources(
    corpus: &Corpus,
    source_files: u32,
    params: &Params,
    rules: Attribution,
    obs: &dyn Observer,
) -> Result<SourcesResult> {
    find_sources_where(corpus, source_files, params, rules, &|_, _, _| true, obs)
}

/// Which source-article pairs may be attributed at all: `keep(docs, source,
/// article)`; a pair it refuses is never compared (so it cannot take a rank from
/// another source). `reprint sources --index` uses it to leave out sources dated
/// after the article.
pub type PairFilter<'a> = dyn Fn(&DocTable, DocIndex, DocIndex) -> bool + Sync + 'a;

/// [`find_sources`], comparing only the source-article pairs `keep` allows.
pub fn find_sources_where(
    corpus: &Corpus,
    source_files: u32,
    params: &Params,
    rules: Attribution,
    keep: &PairFilter<'_>,
    obs: &dyn Observer,
) -> Result<SourcesResult> {
    let c = candidates(corpus, params, obs)?;
    let is_source = |d: DocIndex| c.docs.location(d).0 < source_files;
    // Sources come first in corpus order: the first document that is not one.
    let sources = (0..c.docs.len() as DocIndex)
        .position(|d| !is_source(d))
        .unwrap_or(c.docs.len());
    // Pairs are (earlier, later): a source and an article exactly when the earlier
    // one is a source and the later one is not.
    let (cross, same_group) = source_article_pairs(
        &c.docs,
        c.pairs.iter().copied(),
        source_files,
        rules.skip_same_group,
        keep,
    );
    let t2 = Instant::now();
    let verified = verify(corpus, &c, &cross, params, obs, |cmp| {
        if cmp.verdict.is_none() && cmp.score < rules.min_score {
            return None;
        }
        let mut article_units: Vec<u32> = cmp.alignment.units.iter().map(|l| l.b as u32).collect();
        article_units.sort_unstable();
        article_units.dedup();
        Some(Scored {
            score: cmp.score,
            overlap: cmp.overlap,
            verdict: cmp.verdict,
            coverage_source: cmp.coverage_a,
            coverage_article: cmp.coverage_b,
            article_units,
        })
    })?;
    let links = rank(verified, rules);
    let t3 = Instant::now();
    Ok(SourcesResult {
        sources,
        articles: c.docs.len() - sources,
        candidates: cross.len(),
        same_group,
        links,
        timings: Timings {
            sketch: c.sketch,
            candidates: c.generate,
            verify: t3 - t2,
        },
        docs: c.docs,
        stats: c.stats,
        context: c.context,
    })
}

/// Attributes the articles as [`find_sources`] does, with the candidates and verdicts
/// of `mode`. [`Mode::All`] is [`find_sources`]. [`Mode::NearDup`] takes candidates
/// from the n-gram LSH only and keeps the source-article pairs whose exact overlap
/// passes the near-dup thresholds ([`near_dup::classify`]): the score is the near-dup
/// score (Jaccard, or with containment the largest of Jaccard and the containments),
/// the coverages are the shingle containments (article in source, source in article),
/// and every such source is listed, best first (`rules` and sentence counts do not
/// apply: `new_sentences` is 0).
pub fn find_sources_in(
    mode: Mode,
    corpus: &Corpus,
    source_files: u32,
    params: &Params,
    rules: Attribution,
    obs: &dyn Observer,
) -> Result<SourcesResult> {
    find_sources_in_where(
        mode,
        corpus,
        source_files,
        params,
        rules,
        &|_, _, _| true,
        obs,
    )
}

/// [`find_sources_in`], comparing only the source-article pairs `keep` allows.
pub fn find_sources_in_where(
    mode: Mode,
    corpus: &Corpus,
    source_files: u32,
    params: &Params,
    rules: Attribution,
    keep: &PairFilter<'_>,
    obs: &dyn Observer,
) -> Result<SourcesResult> {
    match mode {
        Mode::All => find_sources_where(corpus, source_files, params, rules, keep, obs),
        Mode::NearDup => find_near_dup_sources(corpus, source_files, params, rules, keep, obs),
    }
}

/// The source-article pairs among `pairs` (earlier, later) that `keep` allows,
/// without those within one group when `skip_same_group`; and the number of those
/// left out for their group.
fn source_article_pairs(
    docs: &DocTable,
    pairs: impl Iterator<Item = (DocIndex, DocIndex)>,
    source_files: u32,
    skip_same_group: bool,
    keep: &PairFilter<'_>,
) -> (Vec<(DocIndex, DocIndex)>, usize) {
    let is_source = |d: DocIndex| docs.location(d).0 < source_files;
    let mut same_group = 0;
    let cross = pairs
        .filter(|&(a, b)| is_source(a) && !is_source(b) && keep(docs, a, b))
        .filter(|&(a, b)| {
            let same = skip_same_group && docs.field(a).is_some() && docs.field(a) == docs.field(b);
            same_group += usize::from(same);
            !same
        })
        .collect();
    (cross, same_group)
}

fn find_near_dup_sources(
    corpus: &Corpus,
    source_files: u32,
    params: &Params,
    rules: Attribution,
    keep: &PairFilter<'_>,
    obs: &dyn Observer,
) -> Result<SourcesResult> {
    let t0 = Instant::now();
    // With the corpus context, so that links can be aligned for display afterwards.
    let Sketched {
        docs,
        index,
        stats,
        context,
    } = sketch_corpus(corpus, params, true, obs)?;
    let context = context.expect("asked for context");
    let t1 = Instant::now();
    obs.stage(Stage::Candidates, None);
    let (pairs, _star_buckets) = index.candidates(params.max_bucket());
    drop(index);
    let is_source = |d: DocIndex| docs.location(d).0 < source_files;
    let sources = (0..docs.len() as DocIndex)
        .position(|d| !is_source(d))
        .unwrap_or(docs.len());
    let (cross, same_group) = source_article_pairs(
        &docs,
        pairs.into_iter(),
        source_files,
        rules.skip_same_group,
        keep,
    );
    let t2 = Instant::now();
    let verified: Vec<(DocIndex, DocIndex, Scored)> =
        verify_candidates(corpus, &docs, &cross, params.ngram(), obs)?
            .into_iter()
            .filter_map(|(a, b, ov)| {
                near_dup::classify(params, &ov).map(|(score, verdict)| {
                    (
                        a,
                        b,
                        Scored {
                            score,
                            overlap: ov,
                            verdict: Some(verdict),
                            coverage_source: ov.containment_a_in_b,
                            coverage_article: ov.containment_b_in_a,
                            article_units: Vec::new(),
                        },
                    )
                })
            })
            .collect();
    // Every pair kept has a verdict: the best is primary, the others follow.
    let links = rank(
        verified,
        Attribution {
            min_score: 0.0,
            min_new_units: 0,
            skip_same_group: rules.skip_same_group,
        },
    );
    let t3 = Instant::now();
    Ok(SourcesResult {
        articles: docs.len() - sources,
        sources,
        candidates: cross.len(),
        same_group,
        links,
        timings: Timings {
            sketch: t1 - t0,
            candidates: t2 - t1,
            verify: t3 - t2,
        },
        docs,
        stats,
        context,
    })
}

/// Ranks each article's compared sources (see the module docs).
fn rank(verified: Vec<(DocIndex, DocIndex, Scored)>, rules: Attribution) -> Vec<SourceLink> {
    let mut by_article = verified;
    // By article, then score descending, then source in corpus order.
    by_article.sort_by(|x, y| {
        x.1.cmp(&y.1)
            .then(y.2.score.total_cmp(&x.2.score))
            .then(x.0.cmp(&y.0))
    });
    let mut links = Vec::new();
    for group in by_article.chunk_by(|x, y| x.1 == y.1) {
        let article = group[0].1;
        // The best source, or when it is weak, the best one with reused text.
        let primary = if group[0].2.score >= rules.min_score {
            Some(&group[0])
        } else {
            group.iter().find(|(_, _, s)| s.verdict.is_some())
        };
        if let Some((source, _, s)) = primary {
            links.push(link(article, *source, 1, s, s.article_units.len()));
            push_further(&mut links, article, group, s.article_units.clone(), rules);
        }
    }
    links
}

fn push_further(
    links: &mut Vec<SourceLink>,
    article: DocIndex,
    group: &[(DocIndex, DocIndex, Scored)],
    mut explained: Vec<u32>,
    rules: Attribution,
) {
    let primary = links.last().map(|l| l.source);
    for (source, _, s) in group {
        if Some(*source) == primary || s.verdict.is_none() {
            continue;
        }
        let new = s
            .article_units
            .iter()
            .filter(|u| explained.binary_search(u).is_err())
            .count();
        if new < rules.min_new_units {
            continue;
        }
        let rank = links.last().map_or(1, |l| l.rank + 1);
        links.push(link(article, *source, rank, s, new));
        explained.extend_from_slice(&s.article_units);
        explained.sort_unstable();
        explained.dedup();
    }
}

fn link(article: DocIndex, source: DocIndex, rank: usize, s: &Scored, new: usize) -> SourceLink {
    SourceLink {
        article,
        source,
        rank,
        score: s.score,
        overlap: s.overlap,
        verdict: s.verdict,
        coverage_article: s.coverage_article,
        coverage_source: s.coverage_source,
        new_sentences: new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(score: f64, verdict: Option<Verdict>, units: &[u32]) -> Scored {
        Scored {
            score,
            overlap: Overlap {
                jaccard: 0.0,
                containment_a_in_b: 0.0,
                containment_b_in_a: 0.0,
                shared: 0,
            },
            verdict,
            coverage_source: 0.0,
            coverage_article: 0.0,
            article_units: units.to_vec(),
        }
    }

    #[test]
    fn primary_is_best_score_and_further_sources_must_add_sentences() {
        let p = Some(Verdict::Partial);
        let verified = vec![
            // Article 10: source 1 is best; 2 repeats its sentences; 3 adds two.
            (1, 10, scored(0.30, p, &[0, 1, 2, 3])),
            (2, 10, scored(0.20, p, &[1, 2, 3])),
            (3, 10, scored(0.15, p, &[3, 4, 5])),
            // Article 11: best source shares no text, still primary; the weaker one
            // with a verdict follows.
            (4, 11, scored(0.12, None, &[])),
            (5, 11, scored(0.10, p, &[0, 1])),
            // Article 12: nothing reaches the floor and nothing is reused.
            (6, 12, scored(0.05, None, &[0])),
        ];
        let links = rank(verified, Attribution::default());
        let got: Vec<(DocIndex, DocIndex, usize, usize)> = links
            .iter()
            .map(|l| (l.article, l.source, l.rank, l.new_sentences))
            .collect();
        assert_eq!(
            got,
            vec![(10, 1, 1, 4), (10, 3, 2, 2), (11, 4, 1, 0), (11, 5, 2, 2)]
        );
    }

    #[test]
    fn ties_go_to_the_earlier_source_whatever_the_input_order() {
        let p = Some(Verdict::Rewrite);
        let a = vec![
            (7, 20, scored(0.4, p, &[0, 1])),
            (3, 20, scored(0.4, p, &[0, 1])),
        ];
        let b = vec![
            (3, 20, scored(0.4, p, &[0, 1])),
            (7, 20, scored(0.4, p, &[0, 1])),
        ];
        let ra = rank(a, Attribution::default());
        let rb = rank(b, Attribution::default());
        assert_eq!(ra, rb);
        assert_eq!(ra.len(), 1);
        assert_eq!(ra[0].source, 3);
    }

    #[test]
    fn a_weak_best_source_gives_way_to_reused_text() {
        let verified = vec![
            (1, 10, scored(0.06, None, &[])),
            (2, 10, scored(0.05, Some(Verdict::Partial), &[0, 1])),
        ];
        let links = rank(verified, Attribution::default());
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].source, links[0].rank), (2, 1));
    }
}
