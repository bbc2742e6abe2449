//! The two-pass streaming engine every mode runs on.
//!
//! Pass 1 streams the corpus once: each batch of records is parsed, tokenized,
//! shingled and sketched in parallel (rayon), and only the id, location, word count and
//! LSH band keys of each document are kept (plus stem statistics in the default mode).
//! Candidate generation happens between the passes (in the modes). Pass 2
//! ([`verify_with`]) re-reads just the documents in candidate pairs, prepares each once
//! and compares every candidate; a prepared document is dropped as soon as its last
//! partner has been seen, so memory holds the documents of "open" pairs only.
//!
//! Results do not depend on the thread count: parallel work is collected in corpus
//! order, and pairs are sorted before anyone sees them.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::compare::analyze::Analyzer;
use crate::compare::docscore::DocIdf;
use crate::corpus::{Batch, Corpus, DocTable, InputStats, RawRecord, RecordProblem, Selection};
use crate::error::{Error, Result};
use crate::lsh::BandIndex;
use crate::model::Pair;
use crate::params::Params;
use crate::progress::{Observer, Stage};
use crate::shingle::Shingler;
use crate::sketch::MinHasher;
use crate::verify::{overlap, Overlap};
use crate::DocIndex;

use super::context::{boilerplate_lines, CorpusContext, BOILERPLATE_MAX_WORDS};

/// The result of pass 1: the document table and the LSH index.
#[derive(Debug)]
pub struct Sketched {
    /// Ids, locations and word counts of every document, in corpus order.
    pub docs: DocTable,
    /// LSH band keys of the documents, for candidate generation.
    pub index: BandIndex,
    /// Counts of what pass 1 read.
    pub stats: InputStats,
    /// Stem document frequencies and boilerplate, when asked for.
    pub context: Option<CorpusContext>,
}

struct DocSketch {
    id: String,
    /// The read options' extra field, when asked for and present.
    field: Option<String>,
    words: usize,
    text_bytes: usize,
    keys: Option<Vec<u64>>,
    lossy: bool,
    /// The record had no id field: its id is its `FILE:LINE`.
    id_missing: bool,
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
            if d.id_missing {
                stats.id_missing += 1;
                stats.example("id", corpus.location(rec.source, rec.line));
            }
            Ok(Some(d))
        }
        Err(p) => skip_or_fail(corpus, stats, rec, p).map(|()| None),
    }
}

/// A record that is not a document: counted in `stats` when it may be skipped (a
/// binary file met while walking, a bad line with `skip_bad_lines`), or the error that
/// stops the run.
pub(crate) fn skip_or_fail(
    corpus: &Corpus,
    stats: &mut InputStats,
    rec: &RawRecord,
    problem: RecordProblem,
) -> Result<()> {
    match problem {
        RecordProblem::Binary if corpus.sources()[rec.source as usize].walked => {
            stats.binary_skipped += 1;
            stats.example("binary", corpus.location(rec.source, rec.line));
            Ok(())
        }
        p @ (RecordProblem::BadJson(_)
        | RecordProblem::BadField(_)
        | RecordProblem::MissingField(_))
            if corpus.options().skip_bad_lines =>
        {
            let m = match p {
                RecordProblem::MissingField(f) => format!("no {f:?} field"),
                RecordProblem::BadJson(m) | RecordProblem::BadField(m) => m,
                _ => unreachable!("matched above"),
            };
            stats.bad_lines_skipped += 1;
            stats.example(
                "bad",
                format!("{}: {m}", corpus.location(rec.source, rec.line)),
            );
            Ok(())
        }
        p => Err(corpus.problem_error(rec.source, rec.line, p)),
    }
}

/// The error for the first two documents sharing an id, if any.
pub(super) fn duplicate_id_error(corpus: &Corpus, docs: &DocTable) -> Option<Error> {
    let (first, second) = docs.find_duplicate_id()?;
    let loc = |d| {
        let (s, l) = docs.location(d);
        corpus.location(s, l)
    };
    Some(Error::DuplicateId {
        id: docs.id(first).to_owned(),
        first: loc(first),
        second: loc(second),
    })
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
        links_skipped: corpus.walk_stats().links_skipped,
        id_field: corpus.options().id_field.clone(),
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
                        field: None,
                        words,
                        text_bytes: doc.text.len(),
                        keys: None,
                        lossy: doc.lossy,
                        id_missing: doc.id_missing,
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
    let hasher = MinHasher::new(params.scheme(), params.perms());
    let mut idf = DocIdf::new();
    let mut line_df: AHashMap<u64, u32> = AHashMap::new();
    let lsh = params.lsh();
    let mut docs = DocTable::default();
    let mut index = BandIndex::new(lsh.bands());
    let mut stats = InputStats {
        other_files_skipped: corpus.walk_stats().other_files_skipped,
        links_skipped: corpus.walk_stats().links_skipped,
        id_field: corpus.options().id_field.clone(),
        ..Default::default()
    };
    obs.stage(Stage::Sketch, Some(corpus.total_bytes()));
    let work = |batch: &Batch| -> Vec<Result<DocSketch, RecordProblem>> {
        let mut shingler = Shingler::new(params.ngram());
        let mut buf = Vec::new();
        let mut sig = vec![0u64; params.perms()];
        let mut analyzer = Analyzer::default();
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
                    Shingler::shingles_of_words(&word_hashes, params.ngram(), &mut buf);
                    (word_hashes.len(), ctx)
                } else {
                    (shingler.shingles(&doc.text, &mut buf), Default::default())
                };
                let keys = hasher.sketch_into(&buf, &mut sig).then(|| {
                    let mut k = vec![0u64; lsh.bands()];
                    lsh.band_keys(&sig, &mut k);
                    k
                });
                Ok(DocSketch {
                    id: doc.id.into_owned(),
                    field: doc.extra.map(|c| c.into_owned()),
                    words,
                    text_bytes: doc.text.len(),
                    keys,
                    lossy: doc.lossy,
                    id_missing: doc.id_missing,
                    stems,
                    lines,
                })
            })
            .collect()
    };
    corpus.map_batches(None, Some(obs), work, |batch, results| {
        let records = batch.records();
        for (rec, res) in records.iter().zip(results) {
            if let Some(d) = tally(corpus, &mut stats, rec, res, params.ngram())? {
                if docs.len() >= u32::MAX as usize {
                    return Err(Error::TooManyDocuments {
                        max: u32::MAX as u64,
                    });
                }
                let i = docs.push(&d.id, rec.source, rec.line, rec.offset, d.words);
                docs.set_field(i, d.field.as_deref());
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
    if let Some(e) = duplicate_id_error(corpus, &docs) {
        return Err(e);
    }
    Ok(Sketched {
        docs,
        index,
        stats,
        context,
    })
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
            return Err(corpus.changed());
        }
        let ids = &wanted[cursor..cursor + prepared.len()];
        cursor += prepared.len();
        let mut batch_docs: AHashMap<DocIndex, T> = AHashMap::with_capacity(ids.len());
        for (&d, parsed) in ids.iter().zip(prepared) {
            match parsed {
                Some((id, t)) if id == docs.id(d) => {
                    batch_docs.insert(d, t);
                }
                _ => return Err(corpus.changed()),
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
        return Err(corpus.changed());
    }
    out.sort_unstable_by_key(|&(a, b, _)| (a, b));
    Ok(out)
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
