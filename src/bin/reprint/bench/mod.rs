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
//! [`render`].

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub mod render;

use anyhow::Result;
use serde::Serialize;

use reprint::corpus::{Batch, Corpus};
use reprint::mode::{self, engine, Mode, PairsResult};
use reprint::params::Params;
use reprint::progress::{Observer, ReadProgress, Stage};
use reprint::report::{self, round, wire, Format, PairsView};
use reprint_gen::truth::{read_truth, score, Quality};

pub use reprint::report::round as round6;

/// Schema name of the JSON report.
pub const BENCH_SCHEMA: &str = "reprint.bench/1";

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
    let (stats, _) = engine::scan_corpus(corpus, params.ngram(), &rec)?;
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
    let res: PairsResult = mode::find_pairs(mode, corpus, params, &rec)?;
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
        earlier: false,
    };
    report::write_pairs(&mut std::io::sink(), Format::Jsonl, &view)?;
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
