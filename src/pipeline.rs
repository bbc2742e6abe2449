//! The near-duplicate pipeline, end to end over a corpus.
//!
//! Pass 1 streams the corpus once: each batch of records is parsed, tokenized,
//! shingled and sketched in parallel (rayon), and only the id, location, word count and
//! LSH band keys of each document are kept. LSH then yields candidate pairs. Pass 2
//! re-reads just the documents in candidate pairs, rebuilds their exact shingle sets and
//! verifies every candidate; a set is dropped as soon as its last partner has been seen,
//! so memory holds the sets of "open" documents only.
//!
//! Results do not depend on the thread count: parallel work is collected in corpus
//! order, and pairs are sorted before anyone sees them.

use std::time::{Duration, Instant};

use ahash::AHashMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::compare::{Comparer, Comparison, Prepared};
use crate::corpus::{Batch, Corpus, RawRecord, ReadProgress, RecordProblem, Selection};
use crate::docs::DocTable;
use crate::error::{Error, Result};
use crate::lsh::BandIndex;
use crate::params::{Params, DUPLICATE_JACCARD};
use crate::shingle::Shingler;
use crate::sketch::MinHasher;
use crate::verify::{overlap, Overlap};
use crate::{DocIndex, Score};

/// What the pipeline is doing, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Pass 1: reading, tokenizing, sketching.
    Sketch,
    /// LSH candidate generation.
    Candidates,
    /// Pass 2: re-reading candidates and verifying them.
    Verify,
    /// A later pass that copies documents (dedup).
    Copy,
    /// A pass that only reads and parses the corpus (`reprint bench`).
    Read,
    /// A pass that reads, tokenizes and shingles, and nothing else (`reprint bench`).
    Tokenize,
}

/// Receives progress; every method has a no-op default.
pub trait Observer: ReadProgress {
    /// A stage starts; `total_bytes` is what it will read, if known.
    fn stage(&self, _stage: Stage, _total_bytes: Option<u64>) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl ReadProgress for Silent {
    fn advance(&self, _n: u64) {}
}
impl Observer for Silent {}

pub use crate::align::verdict::Verdict;

/// A verified, reported pair. `a` comes before `b` in corpus order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub a: DocIndex,
    pub b: DocIndex,
    /// Exact overlap figures.
    pub overlap: Overlap,
    /// The figure the pair is ranked by: Jaccard, or with `--containment` the largest
    /// of Jaccard and the two containments.
    pub score: Score,
    pub verdict: Verdict,
    /// Rewrite detection only: share of each document's words in aligned sentences,
    /// and the number of paragraph links.
    pub alignment: Option<PairAlignment>,
}

/// Alignment figures carried by a pair found in the default mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairAlignment {
    pub coverage_a: f64,
    pub coverage_b: f64,
    pub links: usize,
}

/// Counts of what a run met in its input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputStats {
    /// Documents read (including empty ones).
    pub documents: u64,
    /// Documents with no words: kept as documents, never paired.
    pub empty: u64,
    /// Documents with fewer words than one shingle: one shingle of all their words.
    pub short: u64,
    /// Documents that were not valid UTF-8 and were decoded lossily.
    pub lossy_utf8: u64,
    /// Binary files skipped while walking directories.
    pub binary_skipped: u64,
    /// Malformed lines skipped (`--skip-bad-lines`).
    pub bad_lines_skipped: u64,
    /// Documents skipped for exceeding the size limit.
    pub oversized_skipped: u64,
    /// Files with other extensions skipped while walking directories.
    pub other_files_skipped: u64,
    /// Words in all documents.
    pub words: u64,
    /// Bytes of text in all documents.
    pub text_bytes: u64,
    /// A few example locations per kind of problem, for warnings.
    #[serde(skip)]
    pub examples: Vec<(String, String)>,
}

impl InputStats {
    fn example(&mut self, kind: &str, location: String) {
        if self.examples.iter().filter(|(k, _)| k == kind).count() < 3 {
            self.examples.push((kind.to_owned(), location));
        }
    }
}

/// Wall time per stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub sketch: Duration,
    pub candidates: Duration,
    pub verify: Duration,
}

/// The result of pass 1: the document table and the LSH index.
#[derive(Debug)]
pub struct Sketched {
    pub docs: DocTable,
    pub index: BandIndex,
    pub stats: InputStats,
    /// Stem document frequencies and boilerplate, when asked for.
    pub context: Option<CorpusContext>,
}

/// The result of a near-duplicate run.
#[derive(Debug)]
pub struct PairsResult {
    pub docs: DocTable,
    pub stats: InputStats,
    /// Candidate pairs from LSH (before verification).
    pub candidates: usize,
    /// Buckets linked as stars because they exceeded `max_bucket`.
    pub star_buckets: usize,
    /// Reported pairs, sorted by score (descending), then ids.
    pub pairs: Vec<Pair>,
    pub timings: Timings,
    /// Stem document frequencies and boilerplate (default mode only), for explaining
    /// pairs afterwards with the same weights.
    pub context: Option<CorpusContext>,
}

struct DocSketch {
    id: String,
    words: usize,
    text_bytes: usize,
    keys: Option<Vec<u64>>,
    lossy: bool,
    /// With corpus context: content stems (sorted, unique) and the line keys of short
    /// paragraphs.
    stems: Vec<u64>,
    lines: Vec<u64>,
}

/// Counts a parsed record into `stats`; returns the document, `None` for a record that
/// is skipped, or the error that stops the run.
fn tally(
    corpus: &Corpus,
    stats: &mut InputStats,
    rec: &RawRecord,
    res: Result<DocSketch, RecordProblem>,
    ngram: usize,
) -> Result<Option<DocSketch>> {
    match res {
        Ok(d) => {
            stats.documents += 1;
            stats.words += d.words as u64;
            stats.text_bytes += d.text_bytes as u64;
            if d.words == 0 {
                stats.empty += 1;
                stats.example("empty", corpus.location(rec.source, rec.line));
            } else if d.words < ngram {
                stats.short += 1;
            }
            if d.lossy {
                stats.lossy_utf8 += 1;
                stats.example("lossy", corpus.location(rec.source, rec.line));
            }
            Ok(Some(d))
        }
        Err(RecordProblem::Binary) if corpus.sources()[rec.source as usize].walked => {
            stats.binary_skipped += 1;
            stats.example("binary", corpus.location(rec.source, rec.line));
            Ok(None)
        }
        Err(RecordProblem::BadJson(m) | RecordProblem::BadField(m))
            if corpus.options().skip_bad_lines =>
        {
            stats.bad_lines_skipped += 1;
            stats.example(
                "bad",
                format!("{}: {m}", corpus.location(rec.source, rec.line)),
            );
            Ok(None)
        }
        Err(p) => Err(corpus.problem_error(rec.source, rec.line, p)),
    }
}

fn tally_oversized(corpus: &Corpus, stats: &mut InputStats, oversized: &[(u32, u64)]) {
    for &(source, line) in oversized {
        stats.oversized_skipped += 1;
        stats.example("oversized", corpus.location(source, line));
    }
}

/// The pipeline's floor: reads, parses, tokenizes and hashes the shingles of every
/// document, and nothing else. Returns the input counts and the number of shingles.
pub fn scan_corpus(corpus: &Corpus, ngram: usize, obs: &dyn Observer) -> Result<(InputStats, u64)> {
    let mut stats = InputStats {
        other_files_skipped: corpus.walk_stats().other_files_skipped,
        ..Default::default()
    };
    let mut shingles = 0u64;
    obs.stage(Stage::Sketch, Some(corpus.total_bytes()));
    let work = |batch: &Batch| -> Vec<(Result<DocSketch, RecordProblem>, usize)> {
        let mut shingler = Shingler::new(ngram);
        let mut buf = Vec::new();
        batch
            .records()
            .iter()
            .map(|rec| match corpus.parse(rec) {
                Ok(doc) => {
                    buf.clear();
                    let words = shingler.shingles(&doc.text, &mut buf);
                    let sketch = DocSketch {
                        id: String::new(),
                        words,
                        text_bytes: doc.text.len(),
                        keys: None,
                        lossy: doc.lossy,
                        stems: Vec::new(),
                        lines: Vec::new(),
                    };
                    (Ok(sketch), buf.len())
                }
                Err(p) => (Err(p), 0),
            })
            .collect()
    };
    corpus.map_batches(None, Some(obs), work, |batch, results| {
        let records = batch.records();
        for (rec, (res, n)) in records.iter().zip(results) {
            if tally(corpus, &mut stats, rec, res, ngram)?.is_some() {
                shingles += n as u64;
            }
        }
        tally_oversized(corpus, &mut stats, &batch.oversized);
        Ok(())
    })?;
    Ok((stats, shingles))
}

/// Pass 1: reads the corpus and sketches every document.
pub fn sketch_corpus(
    corpus: &Corpus,
    params: &Params,
    with_context: bool,
    obs: &dyn Observer,
) -> Result<Sketched> {
    let hasher = MinHasher::new(params.scheme, params.perms);
    let mut idf = crate::align::docscore::DocIdf::new();
    let mut line_df: AHashMap<u64, u32> = AHashMap::new();
    let lsh = params.lsh;
    let mut docs = DocTable::default();
    let mut index = BandIndex::new(lsh.bands);
    let mut stats = InputStats {
        other_files_skipped: corpus.walk_stats().other_files_skipped,
        ..Default::default()
    };
    obs.stage(Stage::Sketch, Some(corpus.total_bytes()));
    let work = |batch: &Batch| -> Vec<Result<DocSketch, RecordProblem>> {
        let mut shingler = Shingler::new(params.ngram);
        let mut buf = Vec::new();
        let mut sig = vec![0u64; params.perms];
        let mut analyzer = crate::align::Analyzer::default();
        let mut word_hashes: Vec<u64> = Vec::new();
        batch
            .records()
            .iter()
            .map(|rec| {
                let doc = corpus.parse(rec)?;
                buf.clear();
                let (words, (stems, lines)) = if with_context {
                    // One tokenization for both the shingles and the stems.
                    word_hashes.clear();
                    let ctx = analyzer.stems_and_short_lines(
                        &doc.text,
                        BOILERPLATE_MAX_WORDS,
                        &mut word_hashes,
                    );
                    Shingler::shingles_of_words(&word_hashes, params.ngram, &mut buf);
                    (word_hashes.len(), ctx)
                } else {
                    (shingler.shingles(&doc.text, &mut buf), Default::default())
                };
                let keys = hasher.sketch_into(&buf, &mut sig).then(|| {
                    let mut k = vec![0u64; lsh.bands];
                    lsh.band_keys(&sig, &mut k);
                    k
                });
                Ok(DocSketch {
                    id: doc.id.into_owned(),
                    words,
                    text_bytes: doc.text.len(),
                    keys,
                    lossy: doc.lossy,
                    stems,
                    lines,
                })
            })
            .collect()
    };
    corpus.map_batches(None, Some(obs), work, |batch, results| {
        let records = batch.records();
        for (rec, res) in records.iter().zip(results) {
            if let Some(d) = tally(corpus, &mut stats, rec, res, params.ngram)? {
                if docs.len() >= u32::MAX as usize {
                    return Err(Error::TooManyDocuments {
                        max: u32::MAX as u64,
                    });
                }
                docs.push(&d.id, rec.source, rec.line, rec.offset, d.words);
                index.push(d.keys.as_deref());
                if with_context {
                    idf.add(&d.stems);
                    for &l in &d.lines {
                        *line_df.entry(l).or_insert(0) += 1;
                    }
                }
            }
        }
        tally_oversized(corpus, &mut stats, &batch.oversized);
        Ok(())
    })?;
    let context = with_context.then(|| CorpusContext {
        idf,
        boilerplate: boilerplate_lines(line_df),
        texts: Vec::new(),
    });
    if let Some((first, second)) = docs.find_duplicate_id() {
        let loc = |d| {
            let (s, l) = docs.location(d);
            corpus.location(s, l)
        };
        return Err(Error::DuplicateId {
            id: docs.id(first).to_owned(),
            first: loc(first),
            second: loc(second),
        });
    }
    Ok(Sketched {
        docs,
        index,
        stats,
        context,
    })
}

/// A document's content stems (sorted, unique) and the line keys of its short
/// paragraphs (boilerplate candidates).
fn doc_context(analyzer: &mut crate::align::Analyzer, text: &str) -> (Vec<u64>, Vec<u64>) {
    analyzer.stems_and_short_lines(text, BOILERPLATE_MAX_WORDS, &mut Vec::new())
}

fn boilerplate_lines(line_df: AHashMap<u64, u32>) -> ahash::AHashSet<u64> {
    line_df
        .into_iter()
        .filter(|&(_, c)| c >= BOILERPLATE_MIN_DOCS)
        .map(|(k, _)| k)
        .collect()
}

/// Computes exact overlaps of candidate pairs by re-reading their documents (pass 2).
/// Returns `(a, b, overlap)` for every candidate, sorted by `(a, b)`.
pub fn verify_candidates(
    corpus: &Corpus,
    docs: &DocTable,
    candidates: &[(DocIndex, DocIndex)],
    ngram: usize,
    obs: &dyn Observer,
) -> Result<Vec<(DocIndex, DocIndex, Overlap)>> {
    verify_with(
        corpus,
        docs,
        candidates,
        obs,
        || Shingler::new(ngram),
        |shingler, text| shingler.shingle_set(text).0,
        |_, a, b| Some(overlap(a, b)),
    )
}

/// Re-reads the documents of candidate pairs (only those), prepares each once with
/// `prepare`, and runs `compare` on every candidate pair, in parallel. A prepared
/// document is dropped as soon as its last partner has been seen, so memory holds the
/// documents of "open" pairs only. Returns `(a, b, result)` for every pair where
/// `compare` gave `Some`, sorted by `(a, b)`. `init` makes per-thread state.
pub fn verify_with<S, T, R, I, P, C>(
    corpus: &Corpus,
    docs: &DocTable,
    candidates: &[(DocIndex, DocIndex)],
    obs: &dyn Observer,
    init: I,
    prepare: P,
    compare: C,
) -> Result<Vec<(DocIndex, DocIndex, R)>>
where
    T: Send + Sync,
    R: Send,
    I: Fn() -> S + Sync,
    P: Fn(&mut S, &str) -> T + Sync,
    C: Fn(&mut S, &T, &T) -> Option<R> + Sync,
{
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // Documents involved, in corpus order, and each one's last partner.
    let n = docs.len();
    let mut last_partner: Vec<DocIndex> = vec![0; n];
    let mut needed = vec![false; n];
    for &(a, b) in candidates {
        needed[a as usize] = true;
        needed[b as usize] = true;
        last_partner[a as usize] = last_partner[a as usize].max(b);
    }
    // Earlier partners of each document (by the later side).
    let mut by_b: Vec<(DocIndex, DocIndex)> = candidates.iter().map(|&(a, b)| (b, a)).collect();
    by_b.sort_unstable();
    let mut selection = Selection::new(corpus.sources().len());
    let mut wanted: Vec<DocIndex> = Vec::new();
    for d in 0..n as DocIndex {
        if needed[d as usize] {
            let (s, l) = docs.location(d);
            selection.push(s, l, docs.offset(d));
            wanted.push(d);
        }
    }
    obs.stage(Stage::Verify, Some(corpus.total_bytes()));

    let mut retained: AHashMap<DocIndex, T> = AHashMap::new();
    let mut out: Vec<(DocIndex, DocIndex, R)> = Vec::with_capacity(candidates.len());
    let mut cursor = 0usize; // into `wanted`
    let mut pair_pos = 0usize; // into `by_b`
    let work = |batch: &Batch| -> Vec<Option<(String, T)>> {
        let mut state = init();
        batch
            .records()
            .iter()
            .map(|rec| {
                let doc = corpus.parse(rec).ok()?;
                let prepared = prepare(&mut state, &doc.text);
                Some((doc.id.into_owned(), prepared))
            })
            .collect()
    };
    corpus.map_batches(Some(&selection), Some(obs), work, |batch, prepared| {
        if cursor + prepared.len() > wanted.len() || !batch.oversized.is_empty() {
            return Err(changed(corpus));
        }
        let ids = &wanted[cursor..cursor + prepared.len()];
        cursor += prepared.len();
        let mut batch_docs: AHashMap<DocIndex, T> = AHashMap::with_capacity(ids.len());
        for (&d, parsed) in ids.iter().zip(prepared) {
            match parsed {
                Some((id, t)) if id == docs.id(d) => {
                    batch_docs.insert(d, t);
                }
                _ => return Err(changed(corpus)),
            }
        }
        // Pairs whose later side is in this batch.
        let last = *ids.last().expect("batches are non-empty");
        let start = pair_pos;
        while pair_pos < by_b.len() && by_b[pair_pos].0 <= last {
            pair_pos += 1;
        }
        let lookup = |d: DocIndex| -> &T {
            batch_docs
                .get(&d)
                .or_else(|| retained.get(&d))
                .expect("earlier partner is retained")
        };
        let results: Vec<Option<(DocIndex, DocIndex, R)>> = by_b[start..pair_pos]
            .par_iter()
            .map_init(&init, |state, &(b, a)| {
                compare(state, lookup(a), lookup(b)).map(|r| (a, b, r))
            })
            .collect();
        out.extend(results.into_iter().flatten());
        for (d, t) in batch_docs {
            if last_partner[d as usize] > last {
                retained.insert(d, t);
            }
        }
        retained.retain(|&d, _| last_partner[d as usize] > last);
        Ok(())
    })?;
    if cursor != wanted.len() {
        return Err(changed(corpus));
    }
    out.sort_unstable_by_key(|&(a, b, _)| (a, b));
    Ok(out)
}

fn changed(corpus: &Corpus) -> Error {
    let names: Vec<&str> = corpus
        .sources()
        .iter()
        .take(3)
        .map(|s| s.name.as_str())
        .collect();
    Error::Param(format!(
        "the input changed while it was being read ({}{}); run again on a stable copy",
        names.join(", "),
        if corpus.sources().len() > 3 {
            ", ..."
        } else {
            ""
        }
    ))
}

/// Labels and filters verified overlaps by the run's thresholds.
pub fn classify(params: &Params, ov: &Overlap) -> Option<(Score, Verdict)> {
    let best_containment = ov.containment_a_in_b.max(ov.containment_b_in_a);
    let by_jaccard = ov.jaccard >= params.threshold;
    let by_containment = params.containment.is_some_and(|c| best_containment >= c);
    if !(by_jaccard || by_containment) {
        return None;
    }
    let score = if params.containment.is_some() {
        ov.jaccard.max(best_containment)
    } else {
        ov.jaccard
    };
    let verdict = if ov.jaccard >= DUPLICATE_JACCARD {
        Verdict::Duplicate
    } else {
        Verdict::NearDuplicate
    };
    Some((score, verdict))
}

/// Sorts pairs by score (descending), then by the ids of `a` and `b`.
pub fn sort_pairs(pairs: &mut [Pair], docs: &DocTable) {
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| docs.id(x.a).cmp(docs.id(y.a)))
            .then_with(|| docs.id(x.b).cmp(docs.id(y.b)))
    });
}

/// Runs the near-duplicate pipeline: sketch, candidates, verify, classify, sort.
pub fn find_pairs(corpus: &Corpus, params: &Params, obs: &dyn Observer) -> Result<PairsResult> {
    let t0 = Instant::now();
    let Sketched {
        docs, index, stats, ..
    } = sketch_corpus(corpus, params, false, obs)?;
    let t1 = Instant::now();
    obs.stage(Stage::Candidates, None);
    let (candidates, star_buckets) = index.candidates(params.max_bucket);
    drop(index);
    let t2 = Instant::now();
    let verified = verify_candidates(corpus, &docs, &candidates, params.ngram, obs)?;
    let mut pairs: Vec<Pair> = verified
        .into_iter()
        .filter_map(|(a, b, ov)| {
            classify(params, &ov).map(|(score, verdict)| Pair {
                a,
                b,
                overlap: ov,
                score,
                verdict,
                alignment: None,
            })
        })
        .collect();
    sort_pairs(&mut pairs, &docs);
    let t3 = Instant::now();
    Ok(PairsResult {
        docs,
        stats,
        candidates: candidates.len(),
        star_buckets,
        pairs,
        timings: Timings {
            sketch: t1 - t0,
            candidates: t2 - t1,
            verify: t3 - t2,
        },
        context: None,
    })
}

/// Corpus-wide statistics used to judge pairs: document frequencies of content stems
/// (for the document score) and boilerplate lines.
#[derive(Debug, Default)]
pub struct CorpusContext {
    /// Document frequencies of content stems.
    pub idf: crate::align::docscore::DocIdf,
    /// [`crate::align::analyze::line_key`]s of boilerplate paragraphs.
    pub boilerplate: ahash::AHashSet<u64>,
    /// The texts of the documents asked for, in the order asked (`None`: not found).
    pub texts: Vec<Option<String>>,
}

/// A paragraph is boilerplate when it has at most this many words...
pub const BOILERPLATE_MAX_WORDS: usize = 12;
/// ...and occurs (normalized) in at least this many documents.
pub const BOILERPLATE_MIN_DOCS: u32 = 5;

/// Streams the corpus once to count stem document frequencies and short repeated
/// paragraphs (boilerplate: at most [`BOILERPLATE_MAX_WORDS`] words, in at least
/// [`BOILERPLATE_MIN_DOCS`] documents), and picks out the texts of `wanted` ids.
pub fn corpus_context(
    corpus: &Corpus,
    wanted: &[&str],
    obs: &dyn Observer,
) -> Result<CorpusContext> {
    use crate::align::docscore::DocIdf;
    use crate::align::Analyzer;
    struct Found {
        stems: Vec<u64>,
        lines: Vec<u64>,
        text: Option<(usize, String)>,
    }
    let mut ctx = CorpusContext {
        texts: vec![None; wanted.len()],
        ..Default::default()
    };
    let mut line_df: AHashMap<u64, u32> = AHashMap::new();
    obs.stage(Stage::Sketch, Some(corpus.total_bytes()));
    let work = |batch: &Batch| -> Vec<Option<Found>> {
        let mut an = Analyzer::default();
        batch
            .records()
            .iter()
            .map(|rec| {
                let doc = corpus.parse(rec).ok()?;
                let (stems, lines) = doc_context(&mut an, &doc.text);
                let text = wanted
                    .iter()
                    .position(|w| *w == doc.id)
                    .map(|i| (i, doc.text.into_owned()));
                Some(Found { stems, lines, text })
            })
            .collect()
    };
    let mut idf = DocIdf::new();
    corpus.map_batches(None, Some(obs), work, |_, found| {
        for f in found.into_iter().flatten() {
            idf.add(&f.stems);
            for l in f.lines {
                *line_df.entry(l).or_insert(0) += 1;
            }
            if let Some((i, t)) = f.text {
                if ctx.texts[i].is_none() {
                    ctx.texts[i] = Some(t);
                }
            }
        }
        Ok(())
    })?;
    ctx.idf = idf;
    ctx.boilerplate = boilerplate_lines(line_df);
    Ok(ctx)
}

/// A document of an explained pair: its text and its analysis.
#[derive(Debug)]
pub struct ExplainedDoc {
    pub text: String,
    pub prepared: Prepared,
}

/// A reported pair compared in full, with both documents, for display.
#[derive(Debug)]
pub struct Explained {
    pub a: std::sync::Arc<ExplainedDoc>,
    pub b: std::sync::Arc<ExplainedDoc>,
    pub comparison: Comparison,
}

/// Re-reads the documents of `pairs` (only those) and aligns each pair in full,
/// duplicates included, with the run's document frequencies and boilerplate when
/// `context` has them. The verdict and score shown are the run's (`pairs`), so a
/// report agrees with the list it explains. Returns one entry per pair, in order.
pub fn explain_pairs(
    corpus: &Corpus,
    docs: &DocTable,
    pairs: &[Pair],
    context: Option<&CorpusContext>,
    params: &Params,
    obs: &dyn Observer,
) -> Result<Vec<Explained>> {
    let wanted: Vec<(DocIndex, DocIndex, Option<Verdict>, f64)> = pairs
        .iter()
        .map(|p| (p.a, p.b, Some(p.verdict), p.score))
        .collect();
    explain(corpus, docs, &wanted, context, params, obs)
}

/// [`explain_pairs`] for any list of `(a, b, verdict, score)` with `a` before `b` in
/// corpus order (no pair twice): the verdict and score shown are the ones given.
pub fn explain(
    corpus: &Corpus,
    docs: &DocTable,
    pairs: &[(DocIndex, DocIndex, Option<Verdict>, f64)],
    context: Option<&CorpusContext>,
    params: &Params,
    obs: &dyn Observer,
) -> Result<Vec<Explained>> {
    use std::sync::Arc;
    let mut wanted: Vec<(DocIndex, DocIndex)> = pairs.iter().map(|p| (p.0, p.1)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let ngram = params.ngram;
    let threshold = params.threshold;
    let make = || {
        let mut c = Comparer::new(ngram);
        c.rules.near_duplicate_jaccard = threshold;
        c
    };
    let explained = verify_with(
        corpus,
        docs,
        &wanted,
        obs,
        make,
        |cmp, text| {
            let prepared = cmp.prepare(text, &|k| {
                context.is_some_and(|c| c.boilerplate.contains(&k))
            });
            Arc::new(ExplainedDoc {
                text: text.to_owned(),
                prepared,
            })
        },
        |cmp, a, b| {
            let comparison = cmp.compare(&a.prepared, &b.prepared, context.map(|c| &c.idf));
            Some((Arc::clone(a), Arc::clone(b), comparison))
        },
    )?;
    type Found = (Arc<ExplainedDoc>, Arc<ExplainedDoc>, Comparison);
    let mut by_pair: AHashMap<(DocIndex, DocIndex), Found> =
        explained.into_iter().map(|(a, b, r)| ((a, b), r)).collect();
    pairs
        .iter()
        .map(|&(pa, pb, verdict, score)| {
            let (a, b, mut comparison) =
                by_pair.remove(&(pa, pb)).ok_or_else(|| changed(corpus))?;
            comparison.verdict = verdict;
            comparison.score = score;
            Ok(Explained { a, b, comparison })
        })
        .collect()
}
