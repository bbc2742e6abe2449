//! `reprint bench`: runs the pipeline on a corpus with known truth and measures it.
//!
//! Per stage it reports wall time, throughput (corpus bytes and documents per second
//! of that stage) and peak resident memory; then recall and precision of the reported
//! pairs against the truth, per category and per Jaccard bucket.
//!
//! The pipeline's first pass reads, parses, tokenizes, shingles and sketches each
//! document in one streaming step, so those stages cannot be timed apart inside it.
//! `read` and `tokenize+shingle` are therefore **separate passes** over the corpus
//! (like `reprint stats`), run before the pipeline; `sketch` (the fused first pass),
//! `candidates` and `verify` are the real pipeline's stages as its [`Observer`]
//! reports them; `output` renders the pairs as JSON Lines into a sink.
//!
//! Peak memory per stage is the kernel's high-water mark of resident memory (`VmHWM`
//! in `/proc/self/status`), reset between stages by writing `5` to
//! `/proc/self/clear_refs` (Linux). Where that is not possible the figures are absent,
//! or (if only the reset fails) the process's peak so far, and the report says so.
//!
//! Nothing here renders: [`BenchReport`] is serialised as JSON or drawn as tables by
//! [`crate::report::bench`].

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::corpus::{Batch, Corpus, ReadProgress};
use crate::error::{Error, Result};
use crate::gen::Category;
use crate::params::Params;
use crate::pipeline::{self, Observer, PairsResult, Stage};
use crate::report::{self, round, wire, Format, PairsView};

/// Schema name of the JSON report.
pub const BENCH_SCHEMA: &str = "reprint.bench/1";

/// Jaccard buckets of the quality report: `[lo, hi)`, the last one closed.
pub const BUCKETS: [(f64, f64); 4] = [(0.0, 0.2), (0.2, 0.5), (0.5, 0.8), (0.8, 1.0)];

/// Which pipeline to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// The default mode: near-duplicates, rewrites and partial reuse.
    All,
    /// N-gram MinHash + LSH with exact verification only.
    NearDup,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::NearDup => "near-dup",
        }
    }
}

/// One planted pair as `bench` needs it (other fields of the truth file are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct TruthPair {
    pub a: String,
    pub b: String,
    pub category: Category,
    pub jaccard: f64,
}

/// Reads a truth file (JSON Lines of [`TruthPair`]).
pub fn read_truth(path: &Path) -> Result<Vec<TruthPair>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: TruthPair = serde_json::from_str(&line).map_err(|e| Error::BadJson {
            path: path.to_path_buf(),
            line: i as u64 + 1,
            message: e.to_string(),
        })?;
        out.push(row);
    }
    Ok(out)
}

/// Peak resident memory of this process (`VmHWM`), in bytes, where the OS tells.
pub fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak to the current resident size; false where that is not possible.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A measured stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    /// `read`, `tokenize+shingle`, `sketch`, `candidates`, `verify`, `output`.
    pub stage: &'static str,
    /// `separate pass` or `pipeline`.
    pub pass: &'static str,
    /// What the stage does.
    pub what: &'static str,
    pub seconds: f64,
    /// Corpus bytes per second of this stage, in MB (10^6).
    pub mb_per_s: f64,
    /// Documents per second of this stage.
    pub docs_per_s: f64,
    /// Peak resident memory during the stage, MB (10^6); absent where unknown.
    pub peak_rss_mb: Option<f64>,
}

/// The corpus measured.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusInfo {
    pub path: String,
    pub documents: u64,
    pub bytes: u64,
    pub words: u64,
}

/// How the corpus was generated, when `bench` generated it.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    pub seed: u64,
    pub docs: u64,
    pub seconds: f64,
    pub mb_per_s: f64,
    pub docs_per_s: f64,
    /// Where it is kept (`--keep`), if anywhere.
    pub kept_in: Option<String>,
}

/// Recall over one group of truth pairs.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Recall {
    pub pairs: u64,
    pub found: u64,
    /// `found / pairs`; absent when there are no pairs.
    pub recall: Option<f64>,
}

impl Recall {
    fn add(&mut self, found: bool) {
        self.pairs += 1;
        self.found += found as u64;
    }
    fn finish(&mut self) {
        self.recall = (self.pairs > 0).then(|| round(self.found as f64 / self.pairs as f64));
    }
}

/// Recall within one Jaccard bucket.
#[derive(Debug, Clone, Serialize)]
pub struct BucketRow {
    /// `[lo,hi)`.
    pub bucket: String,
    #[serde(flatten)]
    pub recall: Recall,
}

/// Everything about one truth category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    pub category: Category,
    /// For distractors, `found` counts pairs wrongly reported (lower is better).
    #[serde(flatten)]
    pub recall: Recall,
    pub buckets: Vec<BucketRow>,
    /// Verdicts given to the found pairs.
    pub verdicts: BTreeMap<&'static str, u64>,
}

/// Precision of one verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictRow {
    pub verdict: &'static str,
    pub reported: u64,
    /// Reported pairs that are planted related pairs.
    pub true_positives: u64,
    pub precision: Option<f64>,
}

/// Recall and precision against the truth.
#[derive(Debug, Clone, Serialize)]
pub struct Quality {
    /// Rows in the truth file.
    pub truth_pairs: u64,
    /// Truth pairs that share material (all categories but `distractor`).
    pub related_pairs: u64,
    pub reported: u64,
    /// Reported pairs that are related truth pairs.
    pub true_positives: u64,
    /// Reported pairs that are distractors or not in the truth at all.
    pub false_positives: u64,
    pub distractors_reported: u64,
    pub unlisted_reported: u64,
    pub precision: Option<f64>,
    /// Over all related truth pairs.
    pub recall: Option<f64>,
    pub by_category: Vec<CategoryRow>,
    /// Related pairs only.
    pub by_jaccard: Vec<BucketRow>,
    pub by_verdict: Vec<VerdictRow>,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct BenchReport {
    pub schema: &'static str,
    pub tool: String,
    pub mode: Mode,
    pub threads: usize,
    pub corpus: CorpusInfo,
    pub generated: Option<Generated>,
    pub parameters: wire::Parameters,
    pub stages: Vec<StageRow>,
    /// Wall time of the pipeline (sketch + candidates + verify + output).
    pub pipeline_seconds: f64,
    /// Whether the peak memory was reset between stages (else each figure is the
    /// process's peak so far).
    pub peak_rss_per_stage: bool,
    pub candidates: u64,
    pub quality: Quality,
}

/// Records stage changes and peak memory; forwards progress to `inner`.
struct Recorder<'a> {
    inner: &'a dyn Observer,
    /// During a separate pass: the stage shown instead of the pipeline's own.
    label: Mutex<Option<Stage>>,
    marks: Mutex<Vec<(Stage, Option<u64>)>>,
    resets: bool,
}

impl ReadProgress for Recorder<'_> {
    fn advance(&self, n: u64) {
        self.inner.advance(n);
    }
}

impl Observer for Recorder<'_> {
    fn stage(&self, stage: Stage, total: Option<u64>) {
        if let Some(l) = *self.label.lock().expect("not poisoned") {
            self.inner.stage(l, total);
            return;
        }
        let mut marks = self.marks.lock().expect("not poisoned");
        if marks.last().is_some_and(|&(s, _)| s == stage) {
            self.inner.stage(stage, total);
            return;
        }
        // The peak so far belongs to the stage that is ending.
        marks.push((stage, self.take_peak()));
        self.inner.stage(stage, total);
    }
}

impl Recorder<'_> {
    /// The peak since the last reset, then a reset.
    fn take_peak(&self) -> Option<u64> {
        let p = peak_rss();
        if self.resets {
            reset_peak_rss();
        }
        p
    }
}

fn mb(bytes: u64) -> f64 {
    round(bytes as f64 / 1e6)
}

fn stage_row(
    stage: &'static str,
    pass: &'static str,
    what: &'static str,
    time: Duration,
    bytes: u64,
    docs: u64,
    peak: Option<u64>,
) -> StageRow {
    let s = time.as_secs_f64().max(1e-9);
    StageRow {
        stage,
        pass,
        what,
        seconds: round(time.as_secs_f64()),
        mb_per_s: round(bytes as f64 / 1e6 / s),
        docs_per_s: (docs as f64 / s).round(),
        peak_rss_mb: peak.map(mb),
    }
}

/// Runs the measured passes and the pipeline on `corpus`, then scores the pairs
/// against `truth` (read only after the pipeline, so it does not count in memory).
pub fn run(
    corpus: &Corpus,
    corpus_path: &str,
    truth_path: &Path,
    mode: Mode,
    params: &Params,
    obs: &dyn Observer,
) -> Result<BenchReport> {
    let resets = reset_peak_rss();
    let rec = Recorder {
        inner: obs,
        label: Mutex::new(None),
        marks: Mutex::new(Vec::new()),
        resets,
    };
    let bytes = corpus.total_bytes();
    let mut stages = Vec::new();

    // Separate pass 1: read and parse.
    *rec.label.lock().expect("not poisoned") = Some(Stage::Read);
    rec.take_peak();
    rec.stage(Stage::Read, Some(bytes));
    let t = Instant::now();
    let mut docs = 0u64;
    let work = |batch: &Batch| -> u64 {
        batch
            .records()
            .iter()
            .filter(|r| corpus.parse(r).is_ok())
            .count() as u64
    };
    corpus.map_batches(None, Some(&rec), work, |_, n| {
        docs += n;
        Ok(())
    })?;
    stages.push(stage_row(
        "read",
        "separate pass",
        "read and parse the JSON Lines",
        t.elapsed(),
        bytes,
        docs,
        rec.take_peak(),
    ));

    // Separate pass 2: read, parse, tokenize, shingle.
    *rec.label.lock().expect("not poisoned") = Some(Stage::Tokenize);
    let t = Instant::now();
    let (stats, _) = pipeline::scan_corpus(corpus, params.ngram, &rec)?;
    stages.push(stage_row(
        "tokenize+shingle",
        "separate pass",
        "read, parse, tokenize, hash word n-grams",
        t.elapsed(),
        bytes,
        stats.documents,
        rec.take_peak(),
    ));
    let docs = stats.documents;

    // The pipeline.
    *rec.label.lock().expect("not poisoned") = None;
    let t0 = Instant::now();
    let res: PairsResult = match mode {
        Mode::All => crate::rewrite::find_all(corpus, params, &rec)?,
        Mode::NearDup => pipeline::find_pairs(corpus, params, &rec)?,
    };
    let end_peak = rec.take_peak();
    let marks = rec.marks.lock().expect("not poisoned").clone();
    let peak_of = |stage: Stage| -> Option<u64> {
        let i = marks.iter().position(|&(s, _)| s == stage)?;
        match marks.get(i + 1) {
            Some(&(_, p)) => p,
            None => end_peak,
        }
    };
    let tm = &res.timings;
    stages.push(stage_row(
        "sketch",
        "pipeline",
        if mode == Mode::All {
            "pass 1: read, parse, tokenize, shingle, MinHash, LSH keys, stem statistics"
        } else {
            "pass 1: read, parse, tokenize, shingle, MinHash, LSH keys"
        },
        tm.sketch,
        bytes,
        docs,
        peak_of(Stage::Sketch),
    ));
    stages.push(stage_row(
        "candidates",
        "pipeline",
        if mode == Mode::All {
            "LSH candidates, plus a pass for rare-term signatures"
        } else {
            "LSH candidates"
        },
        tm.candidates,
        bytes,
        docs,
        peak_of(Stage::Candidates),
    ));
    stages.push(stage_row(
        "verify",
        "pipeline",
        if mode == Mode::All {
            "pass 2: re-read candidates, exact overlap, align, verdict"
        } else {
            "pass 2: re-read candidates, exact overlap"
        },
        tm.verify,
        bytes,
        docs,
        // No candidates: the verify stage never started; its time is the sort.
        peak_of(Stage::Verify).or(if marks.iter().any(|m| m.0 == Stage::Verify) {
            None
        } else {
            end_peak
        }),
    ));
    let t = Instant::now();
    let view = PairsView {
        docs: &res.docs,
        pairs: &res.pairs,
        params,
        stats: &res.stats,
        candidates: res.candidates,
        mode: mode.name(),
    };
    report::write_pairs(&mut std::io::sink(), Format::Jsonl, &view).map_err(|e| Error::Write {
        path: "<sink>".into(),
        source: e,
    })?;
    let output_time = t.elapsed();
    stages.push(stage_row(
        "output",
        "pipeline",
        "render the pairs as JSON Lines (discarded)",
        output_time,
        bytes,
        docs,
        rec.take_peak(),
    ));
    let pipeline_seconds = round((t0.elapsed()).as_secs_f64());

    let truth = read_truth(truth_path)?;
    let reported: Vec<(&str, &str, &'static str)> = res
        .pairs
        .iter()
        .map(|p| (res.docs.id(p.a), res.docs.id(p.b), p.verdict.name()))
        .collect();
    let quality = score(&truth, &reported);
    Ok(BenchReport {
        schema: BENCH_SCHEMA,
        tool: format!("reprint {}", env!("CARGO_PKG_VERSION")),
        mode,
        threads: rayon::current_num_threads(),
        corpus: CorpusInfo {
            path: corpus_path.to_owned(),
            documents: res.stats.documents,
            bytes,
            words: res.stats.words,
        },
        generated: None,
        parameters: wire::Parameters::new(params),
        stages,
        pipeline_seconds,
        peak_rss_per_stage: resets,
        candidates: res.candidates as u64,
        quality,
    })
}

fn key<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn bucket_of(j: f64) -> usize {
    BUCKETS
        .iter()
        .position(|&(lo, hi)| j >= lo && j < hi)
        .unwrap_or(BUCKETS.len() - 1)
}

fn bucket_rows() -> Vec<BucketRow> {
    BUCKETS
        .iter()
        .enumerate()
        .map(|(i, &(lo, hi))| BucketRow {
            bucket: format!(
                "[{lo:.1},{hi:.1}{}",
                if i + 1 == BUCKETS.len() { "]" } else { ")" }
            ),
            recall: Recall::default(),
        })
        .collect()
}

/// Scores reported pairs `(a, b, verdict)` against the truth.
pub fn score(truth: &[TruthPair], reported: &[(&str, &str, &'static str)]) -> Quality {
    let found: HashMap<(&str, &str), &'static str> =
        reported.iter().map(|&(a, b, v)| (key(a, b), v)).collect();
    let in_truth: HashMap<(&str, &str), Category> = truth
        .iter()
        .map(|t| (key(&t.a, &t.b), t.category))
        .collect();
    let mut by_category: Vec<CategoryRow> = Category::ALL
        .iter()
        .map(|&c| CategoryRow {
            category: c,
            recall: Recall::default(),
            buckets: bucket_rows(),
            verdicts: BTreeMap::new(),
        })
        .collect();
    let mut by_jaccard = bucket_rows();
    let mut related = Recall::default();
    for t in truth {
        let hit = found.get(&key(&t.a, &t.b)).copied();
        let row = &mut by_category[Category::ALL
            .iter()
            .position(|&c| c == t.category)
            .expect("every category is listed")];
        row.recall.add(hit.is_some());
        row.buckets[bucket_of(t.jaccard)].recall.add(hit.is_some());
        if let Some(v) = hit {
            *row.verdicts.entry(v).or_default() += 1;
        }
        if t.category.is_related() {
            related.add(hit.is_some());
            by_jaccard[bucket_of(t.jaccard)].recall.add(hit.is_some());
        }
    }
    for r in &mut by_category {
        r.recall.finish();
        r.buckets.iter_mut().for_each(|b| b.recall.finish());
    }
    by_jaccard.iter_mut().for_each(|b| b.recall.finish());
    related.finish();
    let mut verdicts: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let (mut tp, mut distractors, mut unlisted) = (0u64, 0u64, 0u64);
    for &(a, b, v) in reported {
        let e = verdicts.entry(v).or_default();
        e.0 += 1;
        match in_truth.get(&key(a, b)) {
            Some(c) if c.is_related() => {
                tp += 1;
                e.1 += 1;
            }
            Some(_) => distractors += 1,
            None => unlisted += 1,
        }
    }
    let n = reported.len() as u64;
    Quality {
        truth_pairs: truth.len() as u64,
        related_pairs: related.pairs,
        reported: n,
        true_positives: tp,
        false_positives: n - tp,
        distractors_reported: distractors,
        unlisted_reported: unlisted,
        precision: (n > 0).then(|| round(tp as f64 / n as f64)),
        recall: related.recall,
        by_category,
        by_jaccard,
        by_verdict: verdicts
            .into_iter()
            .map(|(verdict, (reported, tp))| VerdictRow {
                verdict,
                reported,
                true_positives: tp,
                precision: (reported > 0).then(|| round(tp as f64 / reported as f64)),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(a: &str, b: &str, category: Category, jaccard: f64) -> TruthPair {
        TruthPair {
            a: a.into(),
            b: b.into(),
            category,
            jaccard,
        }
    }

    #[test]
    fn scores_recall_precision_and_buckets() {
        let truth = vec![
            t("d1", "d2", Category::NearDuplicate, 0.9),
            t("d1", "d3", Category::NearDuplicate, 0.3),
            t("d4", "d5", Category::Rewrite, 0.05),
            t("d6", "d7", Category::Distractor, 0.01),
        ];
        // d2/d1 reported in the other order; one distractor and one unlisted pair.
        let reported = vec![
            ("d2", "d1", "near-duplicate"),
            ("d4", "d5", "rewrite"),
            ("d6", "d7", "partial"),
            ("d8", "d9", "partial"),
        ];
        let q = score(&truth, &reported);
        assert_eq!((q.truth_pairs, q.related_pairs, q.reported), (4, 3, 4));
        assert_eq!((q.true_positives, q.false_positives), (2, 2));
        assert_eq!((q.distractors_reported, q.unlisted_reported), (1, 1));
        assert_eq!(q.precision, Some(0.5));
        assert_eq!(q.recall, Some(0.666667));
        let nd = &q.by_category[0];
        assert_eq!((nd.recall.pairs, nd.recall.found), (2, 1));
        assert_eq!(nd.buckets[3].recall.found, 1);
        assert_eq!(nd.buckets[1].recall.found, 0);
        assert_eq!(nd.verdicts.get("near-duplicate"), Some(&1));
        assert_eq!(q.by_jaccard[0].recall.pairs, 1);
        assert_eq!(q.by_jaccard[0].bucket, "[0.0,0.2)");
        assert_eq!(q.by_jaccard[3].bucket, "[0.8,1.0]");
        let partial = q
            .by_verdict
            .iter()
            .find(|v| v.verdict == "partial")
            .unwrap();
        assert_eq!((partial.reported, partial.true_positives), (2, 0));
        assert_eq!(bucket_of(1.0), 3);
        assert_eq!(bucket_of(0.2), 1);
    }
}
