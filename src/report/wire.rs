//! JSON, JSON Lines and CSV wire types. These are a public interface: fields are only
//! ever added, and the `schema` string changes when a field changes meaning.
//!
//! * `reprint.pairs/1`: `{schema, mode, documents, parameters, input, candidates,
//!   pairs: [PairRow]}`; JSON Lines and CSV carry one `PairRow` per line.
//! * `reprint.clusters/1`: `{schema, mode, documents, parameters, input, pairs,
//!   clusters: [ClusterRow]}`.
//! * `reprint.sources/1`: `{schema, documents, sources, articles, attributed, reused,
//!   parameters, input, candidates, links: [SourceRow]}`; JSON Lines and CSV carry one
//!   `SourceRow` per line.

use serde::Serialize;

use super::round;
use crate::cluster::Cluster;
use crate::corpus::DocTable;
use crate::corpus::InputStats;
use crate::model::Pair;
use crate::params::Params;

/// Schema name of the pairs JSON document.
pub const PAIRS_SCHEMA: &str = "reprint.pairs/1";
/// Schema name of the sources JSON document.
pub const SOURCES_SCHEMA: &str = "reprint.sources/1";
/// Schema name of the clusters JSON document.
pub const CLUSTERS_SCHEMA: &str = "reprint.clusters/1";

/// One reported pair.
#[derive(Debug, Serialize)]
pub struct PairRow<'a> {
    /// Id of the earlier document (corpus order).
    pub a: &'a str,
    /// Id of the later document.
    pub b: &'a str,
    /// The ranking figure: in the default mode the document score `D`; in near-dup
    /// mode Jaccard (with `--containment`, the largest of Jaccard and the
    /// containments).
    pub score: f64,
    /// Exact Jaccard of the shingle sets.
    pub jaccard: f64,
    /// Share of `a`'s shingles found in `b`.
    pub containment_a_in_b: f64,
    /// Share of `b`'s shingles found in `a`.
    pub containment_b_in_a: f64,
    /// Number of shingles the two share.
    pub shared_shingles: usize,
    /// `duplicate`, `near-duplicate`, `rewrite` or `partial`.
    pub verdict: &'static str,
    /// Default mode only: share of `a`'s words in aligned sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_a: Option<f64>,
    /// Default mode only: share of `b`'s words in aligned sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_b: Option<f64>,
    /// Default mode only: number of paragraph links.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<usize>,
}

impl<'a> PairRow<'a> {
    pub fn new(docs: &'a DocTable, p: &Pair) -> Self {
        PairRow {
            a: docs.id(p.a),
            b: docs.id(p.b),
            score: round(p.score),
            jaccard: round(p.overlap.jaccard),
            containment_a_in_b: round(p.overlap.containment_a_in_b),
            containment_b_in_a: round(p.overlap.containment_b_in_a),
            shared_shingles: p.overlap.shared,
            verdict: p.verdict.name(),
            coverage_a: p.alignment.map(|x| round(x.coverage_a)),
            coverage_b: p.alignment.map(|x| round(x.coverage_b)),
            links: p.alignment.map(|x| x.links),
        }
    }
}

/// One cluster.
#[derive(Debug, Serialize)]
pub struct ClusterRow<'a> {
    pub cluster: usize,
    pub size: usize,
    /// Member ids in corpus order.
    pub members: Vec<&'a str>,
}

impl<'a> ClusterRow<'a> {
    pub fn new(docs: &'a DocTable, c: &Cluster) -> Self {
        ClusterRow {
            cluster: c.id,
            size: c.members.len(),
            members: c.members.iter().map(|&m| docs.id(m)).collect(),
        }
    }
}

/// The parameters of a run as written in JSON output.
#[derive(Debug, Serialize)]
pub struct Parameters {
    pub ngram: usize,
    pub perms: usize,
    pub scheme: &'static str,
    pub threshold: f64,
    pub containment: Option<f64>,
    pub bands: usize,
    pub rows: usize,
    pub candidate_threshold: f64,
    /// Probability that a pair at the candidate threshold becomes a candidate.
    pub recall_at_threshold: f64,
}

impl Parameters {
    pub fn new(p: &Params) -> Self {
        let lsh = p.lsh();
        Parameters {
            ngram: p.ngram(),
            perms: p.perms(),
            scheme: p.scheme().name(),
            threshold: p.threshold(),
            containment: p.containment(),
            bands: lsh.bands(),
            rows: lsh.rows(),
            candidate_threshold: round(p.candidate_threshold()),
            recall_at_threshold: round(lsh.probability(p.candidate_threshold())),
        }
    }
}

/// The `--format json` document of `reprint pairs`.
#[derive(Debug, Serialize)]
pub struct PairsDocument<'a> {
    pub schema: &'static str,
    pub mode: &'a str,
    pub documents: u64,
    pub parameters: Parameters,
    pub input: &'a InputStats,
    pub candidates: usize,
    pub pairs: Vec<PairRow<'a>>,
}

/// The `--format json` document of `reprint clusters`.
#[derive(Debug, Serialize)]
pub struct ClustersDocument<'a> {
    pub schema: &'static str,
    pub mode: &'a str,
    pub documents: u64,
    pub parameters: Parameters,
    pub input: &'a InputStats,
    pub pairs: usize,
    pub clusters: Vec<ClusterRow<'a>>,
}

/// One attributed source of an article (`reprint sources`).
#[derive(Debug, Serialize)]
pub struct SourceRow<'a> {
    pub article: &'a str,
    pub source: &'a str,
    /// 1 for the primary source, then 2, 3, ...
    pub rank: usize,
    /// The document score `D`.
    pub score: f64,
    /// Exact Jaccard of the shingle sets.
    pub jaccard: f64,
    /// Number of shingles the two share.
    pub shared_shingles: usize,
    /// `duplicate`, `near-duplicate`, `rewrite`, `partial`, or `null` when no text is
    /// reused (the closest source only).
    pub verdict: Option<&'static str>,
    /// Share of the article's words in sentences aligned with the source.
    pub coverage_article: f64,
    /// Share of the source's words in sentences aligned with the article.
    pub coverage_source: f64,
    /// Article sentences this source explains that no higher-ranked one does.
    pub new_sentences: usize,
}

impl<'a> SourceRow<'a> {
    pub fn new(docs: &'a DocTable, l: &crate::mode::sources::SourceLink) -> Self {
        SourceRow {
            article: docs.id(l.article),
            source: docs.id(l.source),
            rank: l.rank,
            score: round(l.score),
            jaccard: round(l.overlap.jaccard),
            shared_shingles: l.overlap.shared,
            verdict: l.verdict.map(|v| v.name()),
            coverage_article: round(l.coverage_article),
            coverage_source: round(l.coverage_source),
            new_sentences: l.new_sentences,
        }
    }
}

/// The `--format json` document of `reprint sources`.
#[derive(Debug, Serialize)]
pub struct SourcesDocument<'a> {
    pub schema: &'static str,
    pub documents: u64,
    pub sources: usize,
    pub articles: usize,
    /// Articles with at least one source.
    pub attributed: usize,
    /// Articles whose primary source shares reused text.
    pub reused: usize,
    pub parameters: Parameters,
    pub input: &'a InputStats,
    pub candidates: usize,
    pub links: Vec<SourceRow<'a>>,
}

/// One output line of `reprint score`.
#[derive(Debug, Serialize)]
pub struct ScoreRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_a: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_b: Option<&'a serde_json::Value>,
    pub score: f64,
    pub verdict: &'static str,
    pub coverage_a: f64,
    pub coverage_b: f64,
    pub jaccard: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<f64>,
}

/// A malformed input line of `reprint score --skip-bad-lines`.
#[derive(Debug, Serialize)]
pub struct ScoreError<'a> {
    pub line: u64,
    pub error: &'a str,
}
