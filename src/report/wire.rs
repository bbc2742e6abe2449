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
//! * `reprint.diff/1` and `reprint score` lines carry `evidence` ([`ReuseEvidence`],
//!   figures rounded to 6 decimals) and `passages` ([`PassageRow`]; in `score` only with
//!   `--passages`).
//! * `reprint explain --format json`: [`ExplainDocument`]; `reprint stats --format
//!   json`: [`StatsDocument`] (both without a schema string, keys in alphabetical order).

use serde::Serialize;

use super::round;
use crate::cluster::Cluster;
use crate::compare::evidence::ReuseEvidence;
use crate::compare::passages::Passage;
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
/// Schema id of `reprint index clusters --format json`.
pub const STORY_CLUSTERS_SCHEMA: &str = "reprint.index-clusters/1";

/// The CSV / TSV columns of `reprint pairs` in the default mode, in order (the keys
/// of a [`PairRow`]); the header is written even when no pair was found.
pub const PAIR_COLUMNS: &[&str] = &[
    "a",
    "b",
    "score",
    "jaccard",
    "containment_a_in_b",
    "containment_b_in_a",
    "shared_shingles",
    "verdict",
    "coverage_a",
    "coverage_b",
    "links",
];

/// The CSV / TSV columns of `reprint pairs --mode near-dup` (no alignment figures).
pub const PAIR_COLUMNS_NEAR_DUP: &[&str] = &[
    "a",
    "b",
    "score",
    "jaccard",
    "containment_a_in_b",
    "containment_b_in_a",
    "shared_shingles",
    "verdict",
];

/// The CSV / TSV columns of `reprint sources` (the keys of a [`SourceRow`]).
pub const SOURCE_COLUMNS: &[&str] = &[
    "article",
    "source",
    "rank",
    "score",
    "jaccard",
    "shared_shingles",
    "verdict",
    "coverage_article",
    "coverage_source",
    "new_sentences",
];

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
    /// Default mode only: number of paragraph links, as `reprint diff` counts them;
    /// `null` for a duplicate (Jaccard at least 0.9, not identical) that the run did
    /// not align, whose coverage is then the shingle containment.
    #[serde(skip_serializing_if = "Links::is_absent")]
    pub links: Links,
    /// Persistent index only (`index query`): the id of whichever document has the
    /// earlier date, `null` when either has no date or the dates are equal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier: Option<Option<&'a str>>,
}

impl<'a> PairRow<'a> {
    /// The row of `p`, with ids looked up in `docs` and figures rounded to 6 decimals.
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
            links: match p.alignment {
                None => Links::Absent,
                Some(x) => Links::Count(x.links),
            },
            earlier: None,
        }
    }

    /// The row of `p` with its `earlier` document, from the dates in `docs`.
    pub fn with_earlier(docs: &'a DocTable, p: &Pair) -> Self {
        PairRow {
            earlier: Some(docs.earlier(p.a, p.b)),
            ..PairRow::new(docs, p)
        }
    }
}

/// The `links` of a [`PairRow`]: absent in near-dup mode (no alignment), a count or
/// `null` in the default mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Near-dup mode: the key is left out.
    Absent,
    /// Default mode: the number of paragraph links, or `None` (written `null`) for a
    /// duplicate that was not aligned.
    Count(Option<usize>),
}

impl Links {
    fn is_absent(&self) -> bool {
        *self == Links::Absent
    }
}

impl Serialize for Links {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Links::Absent | Links::Count(None) => s.serialize_none(),
            Links::Count(Some(n)) => s.serialize_u64(*n as u64),
        }
    }
}

/// One cluster.
#[derive(Debug, Serialize)]
pub struct ClusterRow<'a> {
    /// The cluster's deterministic id ([`Cluster::id`]).
    pub cluster: usize,
    /// Number of members (at least two).
    pub size: usize,
    /// Member ids in corpus order.
    pub members: Vec<&'a str>,
}

impl<'a> ClusterRow<'a> {
    /// The row of `c`, with member ids looked up in `docs`.
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
    /// Shingle length in words.
    pub ngram: usize,
    /// MinHash signature slots.
    pub perms: usize,
    /// MinHash construction: `one-permutation` or `multiply-shift`.
    pub scheme: &'static str,
    /// Jaccard threshold of the run, in `[0, 1]`.
    pub threshold: f64,
    /// Containment threshold, in `[0, 1]`; `null` when containment is off.
    pub containment: Option<f64>,
    /// LSH bands.
    pub bands: usize,
    /// Signature slots per LSH band (`bands * rows <= perms`).
    pub rows: usize,
    /// The Jaccard the LSH index is tuned for ([`Params::candidate_threshold`]).
    pub candidate_threshold: f64,
    /// Probability that a pair at the candidate threshold becomes a candidate.
    pub recall_at_threshold: f64,
}

impl Parameters {
    /// The wire form of `p`, with derived figures rounded to 6 decimals.
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
    /// Always [`PAIRS_SCHEMA`].
    pub schema: &'static str,
    /// Name of the run mode (`all` or `near-dup`).
    pub mode: &'a str,
    /// Documents read.
    pub documents: u64,
    /// The run's parameters.
    pub parameters: Parameters,
    /// What was read: documents, skipped lines and files, sizes.
    pub input: &'a InputStats,
    /// Candidate pairs that were verified.
    pub candidates: usize,
    /// The reported pairs, in output order.
    pub pairs: Vec<PairRow<'a>>,
}

/// The `--format json` document of `reprint clusters`.
#[derive(Debug, Serialize)]
pub struct ClustersDocument<'a> {
    /// Always [`CLUSTERS_SCHEMA`].
    pub schema: &'static str,
    /// Name of the run mode (`all` or `near-dup`).
    pub mode: &'a str,
    /// Documents read.
    pub documents: u64,
    /// The run's parameters.
    pub parameters: Parameters,
    /// What was read: documents, skipped lines and files, sizes.
    pub input: &'a InputStats,
    /// Verified pairs the clusters were built from.
    pub pairs: usize,
    /// The clusters, in output order.
    pub clusters: Vec<ClusterRow<'a>>,
}

/// One cluster of reprints of `reprint index clusters` (a JSON Lines row): its
/// origin and each member with what it took from the origin.
#[derive(Debug, Serialize)]
pub struct StoryClusterRow<'a> {
    /// The cluster's deterministic id.
    pub cluster: usize,
    /// Number of members (at least two).
    pub size: usize,
    /// Id of the origin: the earliest member, the one the others hold most of when
    /// dates tie or are missing.
    pub origin: &'a str,
    /// Members in archive order, the origin among them.
    pub members: Vec<StoryMemberRow<'a>>,
}

/// A member of a [`StoryClusterRow`].
#[derive(Debug, Serialize)]
pub struct StoryMemberRow<'a> {
    /// The document's id.
    pub id: &'a str,
    /// Its date as stored (`null` when none).
    pub date: Option<&'a str>,
    /// Its source as stored (`null` when none).
    pub source: Option<&'a str>,
    /// The verdict of its reported pair with the origin; `null` for the origin and
    /// for members linked to it only through others.
    pub verdict: Option<&'static str>,
    /// The score of that pair.
    pub score: Option<f64>,
    /// Share of the origin found in this member (aligned coverage in the default
    /// mode, shingle containment in near-dup mode), from that pair.
    pub took: Option<f64>,
}

/// The `--format json` document of `reprint index clusters`.
#[derive(Debug, Serialize)]
pub struct StoryClustersDocument<'a> {
    /// Always [`STORY_CLUSTERS_SCHEMA`].
    pub schema: &'static str,
    /// Name of the run mode (`all` or `near-dup`).
    pub mode: &'a str,
    /// Live documents of the index.
    pub documents: u64,
    /// The index's parameters.
    pub parameters: Parameters,
    /// Verified pairs found over the index.
    pub pairs: usize,
    /// The clusters, in output order.
    pub clusters: Vec<StoryClusterRow<'a>>,
}

/// One attributed source of an article (`reprint sources`).
#[derive(Debug, Serialize)]
pub struct SourceRow<'a> {
    /// Id of the article (a document of the article collection).
    pub article: &'a str,
    /// Id of the source (a document of the source collection); `null` in the row of
    /// an article with no source (`sources --all`), as is every field below.
    pub source: Option<&'a str>,
    /// 1 for the primary source, then 2, 3, ...
    pub rank: Option<usize>,
    /// The document score `D`.
    pub score: Option<f64>,
    /// Exact Jaccard of the shingle sets.
    pub jaccard: Option<f64>,
    /// Number of shingles the two share.
    pub shared_shingles: Option<usize>,
    /// `duplicate`, `near-duplicate`, `rewrite`, `partial`, or `null` when no text is
    /// reused (the closest source only).
    pub verdict: Option<&'static str>,
    /// Share of the article's words in sentences aligned with the source.
    pub coverage_article: Option<f64>,
    /// Share of the source's words in sentences aligned with the article.
    pub coverage_source: Option<f64>,
    /// Article sentences this source explains that no higher-ranked one does.
    pub new_sentences: Option<usize>,
}

impl<'a> SourceRow<'a> {
    /// The row of `l`, with ids looked up in `docs` and figures rounded to 6 decimals.
    pub fn new(docs: &'a DocTable, l: &crate::mode::sources::SourceLink) -> Self {
        SourceRow {
            article: docs.id(l.article),
            source: Some(docs.id(l.source)),
            rank: Some(l.rank),
            score: Some(round(l.score)),
            jaccard: Some(round(l.overlap.jaccard)),
            shared_shingles: Some(l.overlap.shared),
            verdict: l.verdict.map(|v| v.name()),
            coverage_article: Some(round(l.coverage_article)),
            coverage_source: Some(round(l.coverage_source)),
            new_sentences: Some(l.new_sentences),
        }
    }

    /// The row of an article with no source: every field but the article `null`.
    pub fn unattributed(docs: &'a DocTable, article: crate::DocIndex) -> Self {
        SourceRow {
            article: docs.id(article),
            source: None,
            rank: None,
            score: None,
            jaccard: None,
            shared_shingles: None,
            verdict: None,
            coverage_article: None,
            coverage_source: None,
            new_sentences: None,
        }
    }
}

/// The `--format json` document of `reprint sources`.
#[derive(Debug, Serialize)]
pub struct SourcesDocument<'a> {
    /// Always [`SOURCES_SCHEMA`].
    pub schema: &'static str,
    /// Documents read, both collections.
    pub documents: u64,
    /// Documents in the source collection.
    pub sources: usize,
    /// Documents in the article collection.
    pub articles: usize,
    /// Articles with at least one source.
    pub attributed: usize,
    /// Articles whose primary source shares reused text.
    pub reused: usize,
    /// The run's parameters.
    pub parameters: Parameters,
    /// What was read: documents, skipped lines and files, sizes.
    pub input: &'a InputStats,
    /// Source-article candidate pairs compared.
    pub candidates: usize,
    /// Links, by article (corpus order), then rank; with `--all`, a row with a `null`
    /// source for each article with none.
    pub links: Vec<SourceRow<'a>>,
}

/// One output line of `reprint score`. Every line has the same keys: `null` where a
/// value is absent (no `id_a` in the input, no equivalence for long texts).
#[derive(Debug, Serialize)]
pub struct ScoreRow<'a> {
    /// The input line's `id_a`, echoed as given; `null` when it had none.
    pub id_a: Option<&'a serde_json::Value>,
    /// The input line's `id_b`, echoed as given; `null` when it had none.
    pub id_b: Option<&'a serde_json::Value>,
    /// The document score `D`.
    pub score: f64,
    /// `duplicate`, `near-duplicate`, `rewrite`, `partial` or `unrelated`.
    pub verdict: &'static str,
    /// Share of `text_a`'s words in aligned sentences, in `[0, 1]`.
    pub coverage_a: f64,
    /// Share of `text_b`'s words in aligned sentences, in `[0, 1]`.
    pub coverage_b: f64,
    /// Exact Jaccard of the shingle sets.
    pub jaccard: f64,
    /// Sentence equivalence, for short texts only; `null` otherwise.
    pub equivalence: Option<f64>,
    /// The figures the verdict was decided from, and length-independent evidence.
    pub evidence: ReuseEvidence,
    /// With `--passages`: the aligned passages, character offsets into `text_a` and
    /// `text_b`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passages: Option<Vec<PassageRow>>,
}

/// One aligned passage: character offsets (Unicode scalar values, as Python `str`
/// indexes; end exclusive) into the two texts as given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageRow {
    /// First character of the passage in A.
    pub a_start: usize,
    /// One past the last character in A.
    pub a_end: usize,
    /// First character of the passage in B.
    pub b_start: usize,
    /// One past the last character in B.
    pub b_end: usize,
    /// `identical`, `edited` or `paraphrase`: the loosest link inside.
    pub kind: &'static str,
    /// Mean similarity of the sentence links inside, rounded to 6 decimals.
    pub score: f64,
}

impl PassageRow {
    /// The wire form of `p`.
    pub fn new(p: &Passage) -> Self {
        PassageRow {
            a_start: p.a_start,
            a_end: p.a_end,
            b_start: p.b_start,
            b_end: p.b_end,
            kind: p.kind.name(),
            score: round(p.score),
        }
    }

    /// The wire forms of `ps`.
    pub fn all(ps: &[Passage]) -> Vec<Self> {
        ps.iter().map(PassageRow::new).collect()
    }
}

/// `e` with its figures rounded to 6 decimals, as written.
pub fn rounded_evidence(e: &ReuseEvidence) -> ReuseEvidence {
    ReuseEvidence {
        jaccard: round(e.jaccard),
        score: round(e.score),
        coverage_a: round(e.coverage_a),
        coverage_b: round(e.coverage_b),
        equivalence: e.equivalence.map(round),
        aligned_idf: round(e.aligned_idf),
        best_link: round(e.best_link),
        passage_evidence: round(e.passage_evidence),
        second_link: round(e.second_link),
        gate_logit: e.gate_logit.map(round),
        ..e.clone()
    }
}

/// A malformed input line of `reprint score --skip-bad-lines`: the keys of a
/// [`ScoreRow`], all `null`, then `line` and `error`.
#[derive(Debug, Serialize)]
pub struct ScoreError<'a> {
    /// Always `null`.
    pub id_a: Option<()>,
    /// Always `null`.
    pub id_b: Option<()>,
    /// Always `null`.
    pub score: Option<f64>,
    /// Always `null`.
    pub verdict: Option<&'static str>,
    /// Always `null`.
    pub coverage_a: Option<f64>,
    /// Always `null`.
    pub coverage_b: Option<f64>,
    /// Always `null`.
    pub jaccard: Option<f64>,
    /// Always `null`.
    pub equivalence: Option<f64>,
    /// Always `null`.
    pub evidence: Option<()>,
    /// With `--passages`: `null`; absent otherwise (as in [`ScoreRow`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passages: Option<Option<()>>,
    /// 1-based line number in the input.
    pub line: u64,
    /// Why the line could not be read.
    pub error: &'a str,
}

impl<'a> ScoreError<'a> {
    /// The line for input line `line`, unreadable for `error`.
    pub fn new(line: u64, error: &'a str) -> Self {
        ScoreError {
            id_a: None,
            id_b: None,
            score: None,
            verdict: None,
            coverage_a: None,
            coverage_b: None,
            jaccard: None,
            equivalence: None,
            evidence: None,
            passages: None,
            line,
            error,
        }
    }

    /// The same line, with the `passages` key (`null`) when `passages` is asked for.
    pub fn with_passages(mut self, passages: bool) -> Self {
        self.passages = passages.then_some(None);
        self
    }
}

/// One point of the candidate probability curve of `reprint explain`.
#[derive(Debug, Serialize)]
pub struct ExplainPoint {
    /// Chance that a pair at `similarity` becomes a candidate, in `[0, 1]`, rounded to
    /// 6 decimals.
    pub probability: f64,
    /// The pair's Jaccard similarity.
    pub similarity: f64,
}

/// The `--format json` document of `reprint explain`. Keys are in alphabetical order,
/// as the first versions wrote them.
#[derive(Debug, Serialize)]
pub struct ExplainDocument {
    /// LSH bands.
    pub bands: usize,
    /// The Jaccard the LSH index is tuned for.
    pub candidate_threshold: f64,
    /// Containment threshold, in `[0, 1]`; `null` when containment is off.
    pub containment: Option<f64>,
    /// MinHash signature slots.
    pub perms: usize,
    /// The chance that a pair becomes a candidate, at Jaccard 0.3, 0.4, ..., 1.0.
    pub probability: Vec<ExplainPoint>,
    /// The chance that a pair at `candidate_threshold` becomes a candidate.
    pub probability_at_threshold: f64,
    /// Signature slots per LSH band.
    pub rows: usize,
    /// `bands x rows`.
    pub slots_used: usize,
    /// Jaccard threshold of the run, in `[0, 1]`.
    pub threshold: f64,
}

impl ExplainDocument {
    /// The document for `p`, with one point per Jaccard of `similarities`;
    /// probabilities and the candidate threshold rounded to 6 decimals.
    pub fn new(p: &Params, similarities: &[f64]) -> Self {
        let cand = p.candidate_threshold();
        ExplainDocument {
            bands: p.lsh().bands(),
            candidate_threshold: round(cand),
            containment: p.containment(),
            perms: p.perms(),
            probability: similarities
                .iter()
                .map(|&s| ExplainPoint {
                    probability: round(p.lsh().probability(s)),
                    similarity: s,
                })
                .collect(),
            probability_at_threshold: round(p.lsh().probability(cand)),
            rows: p.lsh().rows(),
            slots_used: p.lsh().slots(),
            threshold: p.threshold(),
        }
    }
}

/// The input counts of `reprint stats --format json`: [`InputStats`] with its keys in
/// alphabetical order, as the first versions wrote them.
#[derive(Debug, Serialize)]
pub struct StatsInput {
    /// Malformed lines skipped (`--skip-bad-lines`).
    pub bad_lines_skipped: u64,
    /// Binary files skipped while walking directories.
    pub binary_skipped: u64,
    /// Documents read (including empty ones).
    pub documents: u64,
    /// Documents with no words.
    pub empty: u64,
    /// Documents that were not valid UTF-8 and were decoded lossily.
    pub lossy_utf8: u64,
    /// Files with other extensions skipped while walking directories.
    pub other_files_skipped: u64,
    /// Documents skipped for exceeding the size limit.
    pub oversized_skipped: u64,
    /// Documents with fewer words than one shingle.
    pub short: u64,
    /// Bytes of text in all documents.
    pub text_bytes: u64,
    /// Words in all documents.
    pub words: u64,
}

impl StatsInput {
    /// The counts of `s`, without its examples.
    pub fn new(s: &InputStats) -> Self {
        StatsInput {
            bad_lines_skipped: s.bad_lines_skipped,
            binary_skipped: s.binary_skipped,
            documents: s.documents,
            empty: s.empty,
            lossy_utf8: s.lossy_utf8,
            other_files_skipped: s.other_files_skipped,
            oversized_skipped: s.oversized_skipped,
            short: s.short,
            text_bytes: s.text_bytes,
            words: s.words,
        }
    }
}

/// The `--format json` document of `reprint stats`.
#[derive(Debug, Serialize)]
pub struct StatsDocument {
    /// What was read: documents, words, skipped lines and files.
    pub input: StatsInput,
    /// Bytes read from the inputs (compressed size for compressed files).
    pub input_bytes: u64,
    /// Shingles hashed over all documents.
    pub shingles: u64,
}

/// One line of `reprint dedup --removed FILE`: a dropped document and the one kept in
/// its place.
#[derive(Debug, Serialize)]
pub struct RemovedRow<'a> {
    /// Id of the dropped document.
    pub id: &'a str,
    /// Its cluster id (as in `reprint clusters`).
    pub cluster_id: usize,
    /// Members of the cluster.
    pub cluster_size: usize,
    /// Id of the document kept in its place.
    pub kept_id: &'a str,
    /// Score of the reported pair of the two (rounded to 6 decimals), or `null` when
    /// they are in one cluster through other documents only.
    pub score: Option<f64>,
    /// Verdict of that pair, or `null`.
    pub verdict: Option<&'static str>,
}

impl<'a> RemovedRow<'a> {
    /// The row of `r`, with ids looked up in `docs`.
    pub fn new(docs: &'a DocTable, r: &crate::dedup::Removed) -> Self {
        RemovedRow {
            id: docs.id(r.doc),
            cluster_id: r.cluster,
            cluster_size: r.cluster_size,
            kept_id: docs.id(r.kept),
            score: r.pair.map(|(s, _)| round(s)),
            verdict: r.pair.map(|(_, v)| v.name()),
        }
    }
}
