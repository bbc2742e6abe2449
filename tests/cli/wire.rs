//! The JSON wire formats, pinned: every JSON output of the binary is deserialized into
//! strict structs (`deny_unknown_fields`, every field typed, nullable fields required
//! to be present). Adding, renaming or retyping a field fails here, so a change to the
//! wire format is a deliberate edit of this file (and of the `schema` string when a
//! field changes meaning). Closed vocabularies (verdicts, modes, link kinds,
//! categories) are enums, so a new value fails too.
//!
//! Fields that no check reads are still there to be type-checked on the way in.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::util::{corpus_rows, jsonl, reprint, seed_path, seeds, stderr_of};

/// Makes an `Option` field required: present in the JSON, possibly `null`.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::deserialize(d)
}

fn strict<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "wire format changed ({e}) for {}:\n{json:.2000}",
            std::any::type_name::<T>()
        )
    })
}

fn strict_lines<T: DeserializeOwned>(text: &str) -> Vec<T> {
    text.lines().map(strict).collect()
}

/// Runs `reprint args`, checks the exit code, returns stdout.
fn run<S: AsRef<std::ffi::OsStr>>(args: &[S], code: i32) -> String {
    let out = reprint().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap()
}

// ---- the types ----------------------------------------------------------------------

#[derive(Debug, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Verdict {
    Duplicate,
    NearDuplicate,
    Rewrite,
    Partial,
}

/// `reprint score` also says `unrelated`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum ScoreVerdict {
    Duplicate,
    NearDuplicate,
    Rewrite,
    Partial,
    Unrelated,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Mode {
    All,
    NearDup,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Scheme {
    OnePermutation,
    MultiplyShift,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum LinkKind {
    Identical,
    Edited,
    Paraphrase,
}

#[derive(Debug, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Category {
    NearDuplicate,
    Rewrite,
    Partial,
    Sibling,
    Distractor,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Parameters {
    ngram: u64,
    perms: u64,
    scheme: Scheme,
    threshold: f64,
    #[serde(deserialize_with = "nullable")]
    containment: Option<f64>,
    bands: u64,
    rows: u64,
    candidate_threshold: f64,
    recall_at_threshold: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputStats {
    documents: u64,
    empty: u64,
    short: u64,
    lossy_utf8: u64,
    binary_skipped: u64,
    bad_lines_skipped: u64,
    oversized_skipped: u64,
    other_files_skipped: u64,
    words: u64,
    text_bytes: u64,
}

/// One pair; `coverage_a`, `coverage_b` and `links` only in the default mode.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairRow {
    a: String,
    b: String,
    score: f64,
    jaccard: f64,
    containment_a_in_b: f64,
    containment_b_in_a: f64,
    shared_shingles: u64,
    verdict: Verdict,
    coverage_a: Option<f64>,
    coverage_b: Option<f64>,
    links: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairsDocument {
    schema: String,
    mode: Mode,
    documents: u64,
    parameters: Parameters,
    input: InputStats,
    candidates: u64,
    pairs: Vec<PairRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterRow {
    cluster: u64,
    size: u64,
    members: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClustersDocument {
    schema: String,
    mode: Mode,
    documents: u64,
    parameters: Parameters,
    input: InputStats,
    pairs: u64,
    clusters: Vec<ClusterRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRow {
    article: String,
    source: String,
    rank: u64,
    score: f64,
    jaccard: f64,
    shared_shingles: u64,
    #[serde(deserialize_with = "nullable")]
    verdict: Option<Verdict>,
    coverage_article: f64,
    coverage_source: f64,
    new_sentences: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesDocument {
    schema: String,
    documents: u64,
    sources: u64,
    articles: u64,
    attributed: u64,
    reused: u64,
    parameters: Parameters,
    input: InputStats,
    candidates: u64,
    links: Vec<SourceRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffSide {
    id: String,
    paragraphs: Vec<String>,
    boilerplate: Vec<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffLink {
    a: Vec<u64>,
    b: Vec<u64>,
    score: f64,
    kind: LinkKind,
    moved: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffDocument {
    schema: String,
    a: DiffSide,
    b: DiffSide,
    #[serde(deserialize_with = "nullable")]
    verdict: Option<Verdict>,
    score: f64,
    jaccard: f64,
    containment_a_in_b: f64,
    containment_b_in_a: f64,
    coverage_a: f64,
    coverage_b: f64,
    #[serde(deserialize_with = "nullable")]
    equivalence: Option<f64>,
    alignments: Vec<DiffLink>,
    unmatched_a: Vec<u64>,
    unmatched_b: Vec<u64>,
    passages: Vec<PassageRow>,
    evidence: Evidence,
}

/// An aligned passage: character offsets into the two texts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PassageRow {
    a_start: u64,
    a_end: u64,
    b_start: u64,
    b_end: u64,
    kind: LinkKind,
    score: f64,
}

/// The evidence object of `diff` and `score`; `equivalence` only for short texts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Evidence {
    jaccard: f64,
    shared_ngrams: u64,
    score: f64,
    coverage_a: f64,
    coverage_b: f64,
    equivalence: Option<f64>,
    units_a: u64,
    units_b: u64,
    aligned_pairs: u64,
    close_links: u64,
    aligned_idf: f64,
    best_link: f64,
    strong_links: u64,
    second_link: f64,
    chain_links: u64,
    longest_run: u64,
    passage_evidence: f64,
    gate_logit: Option<f64>,
    rule: Rule,
    passages: u64,
    strong_passages: u64,
}

/// The rule that decided a verdict.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Rule {
    Identical,
    DuplicateJaccard,
    NearDuplicateJaccard,
    Equivalent,
    NotEquivalent,
    MostlyClose,
    NoReuse,
    Rewrite,
    Partial,
}

/// One line of `reprint score`; `id_a`/`id_b` echo the input's (any JSON value, or
/// `null`), `equivalence` only for short texts (else `null`). Every key is present.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreRow {
    id_a: Value,
    id_b: Value,
    score: f64,
    verdict: ScoreVerdict,
    coverage_a: f64,
    coverage_b: f64,
    jaccard: f64,
    equivalence: Option<f64>,
    evidence: Evidence,
    passages: Option<Vec<PassageRow>>,
}

/// A malformed input line under `--skip-bad-lines`: the keys of a [`ScoreRow`], all
/// `null`, then `line` and `error`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreError {
    id_a: (),
    id_b: (),
    score: (),
    verdict: (),
    coverage_a: (),
    coverage_b: (),
    jaccard: (),
    equivalence: (),
    evidence: (),
    line: u64,
    error: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainProbability {
    similarity: f64,
    probability: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Explain {
    threshold: f64,
    #[serde(deserialize_with = "nullable")]
    containment: Option<f64>,
    candidate_threshold: f64,
    perms: u64,
    bands: u64,
    rows: u64,
    slots_used: u64,
    probability_at_threshold: f64,
    probability: Vec<ExplainProbability>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stats {
    input: InputStats,
    shingles: u64,
    input_bytes: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchStage {
    stage: String,
    pass: String,
    what: String,
    seconds: f64,
    mb_per_s: f64,
    docs_per_s: f64,
    #[serde(deserialize_with = "nullable")]
    peak_rss_mb: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchCorpus {
    path: String,
    documents: u64,
    bytes: u64,
    words: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchGenerated {
    seed: u64,
    docs: u64,
    seconds: f64,
    mb_per_s: f64,
    docs_per_s: f64,
    #[serde(deserialize_with = "nullable")]
    kept_in: Option<String>,
}

/// Recall in one Jaccard bucket (serde's `flatten` cannot be combined with
/// `deny_unknown_fields`, so the recall fields are spelled out).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchBucket {
    bucket: String,
    pairs: u64,
    found: u64,
    #[serde(deserialize_with = "nullable")]
    recall: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchCategory {
    category: Category,
    pairs: u64,
    found: u64,
    #[serde(deserialize_with = "nullable")]
    recall: Option<f64>,
    buckets: Vec<BenchBucket>,
    verdicts: BTreeMap<String, u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchVerdict {
    verdict: Verdict,
    reported: u64,
    true_positives: u64,
    #[serde(deserialize_with = "nullable")]
    precision: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchQuality {
    truth_pairs: u64,
    related_pairs: u64,
    reported: u64,
    true_positives: u64,
    false_positives: u64,
    distractors_reported: u64,
    unlisted_reported: u64,
    #[serde(deserialize_with = "nullable")]
    precision: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    recall: Option<f64>,
    by_category: Vec<BenchCategory>,
    by_jaccard: Vec<BenchBucket>,
    by_verdict: Vec<BenchVerdict>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchReport {
    schema: String,
    tool: String,
    mode: Mode,
    threads: u64,
    corpus: BenchCorpus,
    #[serde(deserialize_with = "nullable")]
    generated: Option<BenchGenerated>,
    parameters: Parameters,
    stages: Vec<BenchStage>,
    pipeline_seconds: f64,
    peak_rss_per_stage: bool,
    candidates: u64,
    quality: BenchQuality,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    schema: String,
    tool: String,
    seed: u64,
    docs: u64,
    ngram: u64,
    families: u64,
    family_kinds: BTreeMap<String, u64>,
    documents: BTreeMap<String, u64>,
    pairs: BTreeMap<String, u64>,
    corpus_bytes: u64,
    truth_bytes: u64,
    words: u64,
    files: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Rework {
    Edited,
    Rewritten,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RewriteParams {
    synonym_rate: f64,
    reorder_rate: f64,
    split_rate: f64,
    merge_rate: f64,
    drop_rate: f64,
    added_sentences: u64,
    paragraphs_reordered: bool,
}

/// One row of `truth.jsonl`; the optional fields belong to one category each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TruthRow {
    a: String,
    b: String,
    category: Category,
    sibling: bool,
    jaccard: f64,
    shared_shingles: u64,
    union_shingles: u64,
    topic: String,
    edit_rate: Option<f64>,
    rewrite: Option<RewriteParams>,
    paragraphs: Option<u64>,
    rework: Option<Rework>,
    shared_entities: Option<u64>,
    via: Option<[Category; 2]>,
}

/// The generator's corpus rows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusRow {
    id: String,
    topic: String,
    text: String,
}

// ---- the checks ---------------------------------------------------------------------

fn check_pair_rows(rows: &[PairRow], mode: &Mode) {
    for p in rows {
        assert!(!p.a.is_empty() && !p.b.is_empty() && p.a != p.b);
        for x in [
            p.score,
            p.jaccard,
            p.containment_a_in_b,
            p.containment_b_in_a,
        ] {
            assert!((0.0..=1.0).contains(&x), "{p:?}");
        }
        let default_mode = *mode == Mode::All;
        assert_eq!(p.coverage_a.is_some(), default_mode, "{p:?}");
        assert_eq!(p.coverage_b.is_some(), default_mode, "{p:?}");
        assert_eq!(p.links.is_some(), default_mode, "{p:?}");
        assert!(p.shared_shingles > 0 || p.verdict != Verdict::Duplicate);
    }
}

#[test]
fn pairs_json_and_jsonl_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let f = f.to_str().unwrap();
    let s = seeds();
    let s = s.to_str().unwrap();
    for (input, mode, want) in [
        (s, "all", Mode::All),
        (f, "near-dup", Mode::NearDup),
        (f, "all", Mode::All),
    ] {
        let doc: PairsDocument = strict(&run(
            &["pairs", "-q", "--mode", mode, "--format", "json", input],
            0,
        ));
        assert_eq!(doc.schema, "reprint.pairs/1");
        assert_eq!(doc.mode, want);
        assert_eq!(doc.documents, doc.input.documents);
        assert!(!doc.pairs.is_empty());
        assert!(doc.candidates >= doc.pairs.len() as u64 || want == Mode::All);
        assert_eq!(doc.parameters.containment, None);
        assert!(doc.parameters.bands * doc.parameters.rows <= doc.parameters.perms);
        check_pair_rows(&doc.pairs, &want);
        // JSON Lines: the same rows, one per line.
        let rows: Vec<PairRow> = strict_lines(&run(
            &["pairs", "-q", "--mode", mode, "--format", "jsonl", input],
            0,
        ));
        assert_eq!(rows.len(), doc.pairs.len());
        check_pair_rows(&rows, &want);
        for (x, y) in rows.iter().zip(&doc.pairs) {
            assert_eq!((&x.a, &x.b, x.score), (&y.a, &y.b, y.score));
        }
    }
    // --containment is written as a number.
    let doc: PairsDocument = strict(&run(
        &["pairs", "-q", "--mode", "near-dup", "--containment", "0.9"]
            .into_iter()
            .chain(["--format", "json", f])
            .collect::<Vec<_>>(),
        0,
    ));
    assert_eq!(doc.parameters.containment, Some(0.9));
}

#[test]
fn clusters_json() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let doc: ClustersDocument = strict(&run(
        &["clusters", "-q", "--mode", "near-dup", "--format", "json"]
            .into_iter()
            .chain([f.to_str().unwrap()])
            .collect::<Vec<_>>(),
        0,
    ));
    assert_eq!(doc.schema, "reprint.clusters/1");
    assert_eq!(doc.mode, Mode::NearDup);
    assert_eq!((doc.documents, doc.input.documents), (4, 4));
    assert_eq!(doc.pairs, 3);
    assert_eq!(doc.parameters.scheme, Scheme::OnePermutation);
    assert_eq!(doc.clusters.len(), 1);
    let c = &doc.clusters[0];
    assert_eq!((c.cluster, c.size), (0, c.members.len() as u64));
}

#[test]
fn sources_json_and_jsonl() {
    let args = |format: &str| -> Vec<String> {
        let mut v: Vec<String> = ["-q", "sources", "--format", format]
            .map(String::from)
            .into();
        for p in ["003", "000"] {
            v.push("--from".into());
            v.push(seed_path(p).display().to_string());
        }
        v.extend(["001", "002", "004"].map(|p| seed_path(p).display().to_string()));
        v
    };
    let doc: SourcesDocument = strict(&run(&args("json"), 0));
    assert_eq!(doc.schema, "reprint.sources/1");
    assert_eq!((doc.sources, doc.articles), (2, 3));
    assert_eq!(doc.documents, 5);
    assert!(doc.attributed >= doc.reused && doc.attributed <= doc.articles);
    assert!(doc.input.documents == 5 && doc.candidates > 0);
    assert!(doc.parameters.ngram == 5);
    let rows: Vec<SourceRow> = strict_lines(&run(&args("jsonl"), 0));
    assert_eq!(rows.len(), doc.links.len());
    for (r, l) in rows.iter().zip(&doc.links) {
        assert_eq!(
            (&r.article, &r.source, r.rank),
            (&l.article, &l.source, l.rank)
        );
        assert!(r.rank >= 1);
        for x in [r.score, r.jaccard, r.coverage_article, r.coverage_source] {
            assert!((0.0..=1.0).contains(&x), "{r:?}");
        }
        assert!(r.verdict.is_some() || r.shared_shingles < 10 || r.new_sentences == 0);
    }
}

#[test]
fn diff_json() {
    let (a, b) = (seed_path("002"), seed_path("003"));
    let doc: DiffDocument = strict(&run(
        &[
            "diff",
            "--format",
            "json",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        0,
    ));
    assert_eq!(doc.schema, "reprint.diff/1");
    assert_eq!(doc.verdict, Some(Verdict::Rewrite));
    assert_eq!(doc.equivalence, None, "long texts: no sentence equivalence");
    let (pa, pb) = (doc.a.paragraphs.len() as u64, doc.b.paragraphs.len() as u64);
    assert!(doc.a.id.ends_with(".txt") && doc.b.id.ends_with(".txt"));
    assert!(doc.a.boilerplate.iter().all(|&i| i < pa));
    assert!(doc.b.boilerplate.iter().all(|&i| i < pb));
    for l in &doc.alignments {
        assert!(l.a.iter().all(|&i| i < pa) && l.b.iter().all(|&i| i < pb));
        assert!(!l.a.is_empty() && !l.b.is_empty());
        assert!((0.0..=1.0).contains(&l.score));
        let _ = (&l.kind, l.moved);
    }
    assert!(doc.unmatched_a.iter().all(|&i| i < pa));
    assert!(doc.unmatched_b.iter().all(|&i| i < pb));
    let (ta, tb) = (
        fs::read_to_string(&a).unwrap(),
        fs::read_to_string(&b).unwrap(),
    );
    let (ca, cb) = (ta.chars().count() as u64, tb.chars().count() as u64);
    assert!(!doc.passages.is_empty());
    for p in &doc.passages {
        assert!(p.a_start < p.a_end && p.a_end <= ca && p.b_start < p.b_end && p.b_end <= cb);
        assert!((0.0..=1.0).contains(&p.score));
        let _ = &p.kind;
    }
    let e = &doc.evidence;
    assert_eq!(e.passages, doc.passages.len() as u64);
    assert!(e.strong_passages >= 1 && e.strong_passages <= e.passages);
    assert!(e.aligned_pairs >= e.strong_links && e.aligned_pairs >= e.close_links);
    assert!(e.longest_run >= 5 && e.best_link > 0.5 && e.aligned_idf > 0.0);
    assert!(e.passage_evidence > 3.0, "{}", e.passage_evidence);
    assert_eq!(e.rule, Rule::Rewrite);
    assert!(e.gate_logit.is_some_and(|l| l >= 0.0));
    assert_eq!(
        (e.coverage_a, e.coverage_b, e.jaccard),
        (doc.coverage_a, doc.coverage_b, doc.jaccard)
    );
    assert!(e.units_a > 3 && e.units_b > 3 && e.shared_ngrams > 0 && e.score == doc.score);
    assert_eq!(e.equivalence, None);
    for x in [
        doc.score,
        doc.jaccard,
        doc.containment_a_in_b,
        doc.containment_b_in_a,
        doc.coverage_a,
        doc.coverage_b,
    ] {
        assert!((0.0..=1.0).contains(&x));
    }
    // Two short texts: unrelated gives a null verdict and an equivalence figure.
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = (dir.path().join("x.txt"), dir.path().join("y.txt"));
    fs::write(&x, "The river flooded the lower town.").unwrap();
    fs::write(&y, "The museum opened a wing of maps.").unwrap();
    let doc: DiffDocument = strict(&run(
        &[
            "diff",
            "--format",
            "json",
            x.to_str().unwrap(),
            y.to_str().unwrap(),
        ],
        1,
    ));
    assert_eq!(doc.verdict, None);
    assert!(doc.equivalence.is_some());
}

#[test]
fn score_lines() {
    let dir = tempfile::tempdir().unwrap();
    let a = fs::read_to_string(seed_path("002")).unwrap();
    let b = fs::read_to_string(seed_path("003")).unwrap();
    let f = jsonl(
        dir.path(),
        "p.jsonl",
        &[
            serde_json::json!({"id_a": 1, "id_b": "x", "text_a": a, "text_b": b}),
            serde_json::json!({"text_a": "Profits rose sharply, the chief executive said.", "text_b": "The chief executive said profits rose sharply."}),
            serde_json::json!({"text_a": "only one"}),
        ],
    );
    let out = run(&["score", "-q", "--skip-bad-lines", f.to_str().unwrap()], 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    let first: ScoreRow = strict(lines[0]);
    assert_eq!(first.id_a, serde_json::json!(1));
    assert_eq!(first.id_b, serde_json::json!("x"));
    assert_eq!(first.verdict, ScoreVerdict::Rewrite);
    assert_eq!(first.equivalence, None);
    assert!(first.score > 0.0 && first.jaccard > 0.0);
    assert!(first.coverage_a > 0.5 && first.coverage_b > 0.5);
    let short: ScoreRow = strict(lines[1]);
    assert_eq!((short.id_a, short.id_b), (Value::Null, Value::Null));
    assert!(short.equivalence.is_some());
    // One set of keys on every line (the malformed one adds `line` and `error`).
    let keys = |l: &str| -> Vec<String> {
        let v: Value = serde_json::from_str(l).unwrap();
        v.as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(keys(lines[0]), keys(lines[1]));
    let mut bad_keys = keys(lines[2]);
    bad_keys.retain(|k| k != "line" && k != "error");
    assert_eq!(bad_keys, keys(lines[0]));
    let bad: ScoreError = strict(lines[2]);
    let _ = (bad.id_a, bad.id_b, bad.score, bad.verdict, bad.coverage_a);
    let _ = (bad.coverage_b, bad.jaccard, bad.equivalence, bad.evidence);
    assert_eq!(bad.line, 3);
    assert!(bad.error.contains("text_b"), "{}", bad.error);
    assert!(first.passages.is_none() && first.evidence.longest_run >= 5);
    assert!(short.evidence.equivalence.is_some());
    // --passages: the same lines, with passages whose offsets slice the texts.
    let out = run(
        &[
            "score",
            "-q",
            "--skip-bad-lines",
            "--passages",
            f.to_str().unwrap(),
        ],
        0,
    );
    let first: ScoreRow = strict(out.lines().next().unwrap());
    let passages = first.passages.expect("--passages");
    assert!(!passages.is_empty());
    let (ca, cb) = (a.chars().count() as u64, b.chars().count() as u64);
    for p in &passages {
        assert!(p.a_start < p.a_end && p.a_end <= ca && p.b_start < p.b_end && p.b_end <= cb);
    }
}

#[test]
fn explain_and_stats_json() {
    let e: Explain = strict(&run(&["explain", "--threshold", "0.8", "--json"], 0));
    assert_eq!((e.bands, e.rows, e.perms), (18, 7, 128));
    assert_eq!(e.slots_used, e.bands * e.rows);
    assert_eq!((e.threshold, e.candidate_threshold), (0.8, 0.8));
    assert_eq!(e.containment, None);
    assert!(e.probability_at_threshold > 0.98);
    assert_eq!(e.probability.len(), 8);
    assert!(e
        .probability
        .windows(2)
        .all(|w| w[0].similarity < w[1].similarity && w[0].probability <= w[1].probability));
    let e: Explain = strict(&run(
        &[
            "explain",
            "--threshold",
            "0.8",
            "--containment",
            "0.9",
            "--json",
        ],
        0,
    ));
    assert_eq!(e.containment, Some(0.9));
    assert!(e.candidate_threshold < e.threshold);

    let s: Stats = strict(&run(
        &["stats", "--json", "-q", seeds().to_str().unwrap()],
        0,
    ));
    assert_eq!(s.input.documents, 5);
    assert_eq!(s.input.other_files_skipped, 1, "seeds/README.md");
    assert_eq!(s.input_bytes, s.input.text_bytes);
    assert!(s.shingles > 3000 && s.input.words > s.shingles);
    let _ = (
        s.input.empty,
        s.input.short,
        s.input.lossy_utf8,
        s.input.binary_skipped,
        s.input.bad_lines_skipped,
        s.input.oversized_skipped,
    );
}

#[test]
fn bench_json() {
    let r: BenchReport = strict(&run(
        &[
            "bench", "-q", "--format", "json", "--docs", "120", "--seed", "4",
        ],
        0,
    ));
    assert_eq!(r.schema, "reprint.bench/1");
    assert!(r.tool.starts_with("reprint "));
    assert_eq!(r.mode, Mode::All);
    assert!(r.threads >= 1);
    assert_eq!(r.corpus.documents, 120);
    assert!(r.corpus.bytes > 0 && r.corpus.words > 0 && !r.corpus.path.is_empty());
    let g = r.generated.as_ref().expect("generated");
    assert_eq!((g.seed, g.docs, &g.kept_in), (4, 120, &None));
    assert!(g.seconds >= 0.0 && g.mb_per_s >= 0.0 && g.docs_per_s >= 0.0);
    assert_eq!(r.stages.len(), 6);
    for s in &r.stages {
        assert!(
            ["separate pass", "pipeline"].contains(&s.pass.as_str()),
            "{s:?}"
        );
        assert!(!s.stage.is_empty() && !s.what.is_empty());
        assert!(s.seconds >= 0.0 && s.mb_per_s >= 0.0 && s.docs_per_s >= 0.0);
        assert!(s.peak_rss_mb.is_some() || !cfg!(target_os = "linux"));
    }
    assert!(r.pipeline_seconds >= 0.0);
    let _ = r.peak_rss_per_stage;
    let q = &r.quality;
    assert!(q.candidates_consistent(r.candidates));
    assert_eq!(q.true_positives + q.false_positives, q.reported);
    assert!(q.related_pairs <= q.truth_pairs);
    assert!(q.distractors_reported + q.unlisted_reported <= q.false_positives);
    assert!(q.precision.is_some() && q.recall.is_some());
    assert_eq!(q.by_category.len(), 5);
    for c in &q.by_category {
        assert!(c.found <= c.pairs);
        assert_eq!(c.recall.is_some(), c.pairs > 0, "{c:?}");
        assert_eq!(c.buckets.iter().map(|b| b.pairs).sum::<u64>(), c.pairs);
        assert!(c.verdicts.values().sum::<u64>() <= c.found || c.category == Category::Sibling);
    }
    assert!(q.by_jaccard.iter().all(|b| b.bucket.starts_with('[')));
    for v in &q.by_verdict {
        assert!(v.true_positives <= v.reported);
        assert_eq!(v.precision.is_some(), v.reported > 0, "{v:?}");
        let _ = v.verdict;
    }
    // Read back from files: no generation block.
    let tmp = tempfile::tempdir().unwrap();
    let keep = tmp.path().join("k");
    let r: BenchReport = strict(&run(
        &[
            "bench",
            "-q",
            "--format",
            "json",
            "--docs",
            "120",
            "--seed",
            "4",
            "--mode",
            "near-dup",
            "--keep",
            keep.to_str().unwrap(),
        ],
        0,
    ));
    assert_eq!(r.mode, Mode::NearDup);
    assert_eq!(
        r.generated.unwrap().kept_in.as_deref(),
        keep.to_str(),
        "--keep is reported"
    );
    let c = keep.join("corpus.jsonl");
    let t = keep.join("truth.jsonl");
    let r: BenchReport = strict(&run(
        &[
            "bench",
            "-q",
            "--format",
            "json",
            "--corpus",
            c.to_str().unwrap(),
            "--truth",
            t.to_str().unwrap(),
        ],
        0,
    ));
    assert!(r.generated.is_none());
}

impl BenchQuality {
    /// Every reported pair was a candidate or came from another generator; at least
    /// nothing is reported with no candidates at all.
    fn candidates_consistent(&self, candidates: u64) -> bool {
        self.reported == 0 || candidates > 0
    }
}

#[test]
fn gen_manifest_truth_and_corpus_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("g");
    run(
        &[
            "gen",
            "-q",
            "--docs",
            "300",
            "--seed",
            "5",
            "--out",
            dir.to_str().unwrap(),
        ],
        0,
    );
    let m: Manifest = strict(&fs::read_to_string(dir.join("manifest.json")).unwrap());
    assert_eq!(m.schema, "reprint.gen/1");
    assert!(m.tool.starts_with("reprint "));
    assert_eq!((m.seed, m.docs, m.ngram), (5, 300, 5));
    assert!(m.families > 0 && m.families <= m.docs);
    assert!(m.family_kinds.values().sum::<u64>() == m.families);
    assert_eq!(m.documents.values().sum::<u64>(), m.docs);
    let corpus = fs::read_to_string(dir.join("corpus.jsonl")).unwrap();
    let truth = fs::read_to_string(dir.join("truth.jsonl")).unwrap();
    assert_eq!(m.corpus_bytes, corpus.len() as u64);
    assert_eq!(m.truth_bytes, truth.len() as u64);
    assert_eq!(
        m.files.into_iter().collect::<Vec<_>>(),
        [
            ("corpus".to_owned(), "corpus.jsonl".to_owned()),
            ("manifest".to_owned(), "manifest.json".to_owned()),
            ("truth".to_owned(), "truth.jsonl".to_owned()),
        ]
    );
    let docs: Vec<CorpusRow> = strict_lines(&corpus);
    assert_eq!(docs.len() as u64, m.docs);
    assert_eq!(
        docs.iter()
            .map(|d| reprint::text::words(&d.text).len() as u64)
            .sum::<u64>(),
        m.words
    );
    assert!(docs.iter().all(|d| !d.id.is_empty() && !d.topic.is_empty()));
    let rows: Vec<TruthRow> = strict_lines(&truth);
    assert_eq!(rows.len() as u64, m.pairs.values().sum::<u64>());
    for r in &rows {
        assert!(r.a < r.b && !r.topic.is_empty());
        assert!(r.shared_shingles <= r.union_shingles);
        assert!((0.0..=1.0).contains(&r.jaccard));
        // Two derivatives of one source carry `via` (the category may still be
        // `distractor`); otherwise each category carries its own fields, no other's.
        assert_eq!(r.via.is_some(), r.sibling, "{r:?}");
        assert!(r.sibling || r.category != Category::Sibling, "{r:?}");
        let has = [
            r.edit_rate.is_some(),
            r.rewrite.is_some(),
            r.paragraphs.is_some() || r.rework.is_some(),
            r.shared_entities.is_some(),
        ];
        let own = match r.category {
            Category::NearDuplicate => Some(0),
            Category::Rewrite => Some(1),
            Category::Partial => Some(2),
            Category::Distractor => Some(3),
            Category::Sibling => None,
        };
        for (i, h) in has.iter().enumerate() {
            if Some(i) != own || r.sibling {
                assert!(!h, "{r:?}");
            }
        }
        if let Some(p) = &r.rewrite {
            for x in [
                p.synonym_rate,
                p.reorder_rate,
                p.split_rate,
                p.merge_rate,
                p.drop_rate,
            ] {
                assert!((0.0..=1.0).contains(&x));
            }
            let _ = (p.added_sentences, p.paragraphs_reordered);
        }
        let _ = (&r.rework, r.shared_entities, r.paragraphs);
    }
}
