//! Corpus-wide statistics the pair comparison uses: document frequencies of content
//! stems (the document score's IDF) and boilerplate lines (short paragraphs found in
//! many documents, never aligned).
//!
//! Invariant: the statistics depend only on the corpus, not on which pairs are asked
//! for, so a pair is judged the same in `pairs`, `report` and `diff --corpus`.

use ahash::AHashMap;

use crate::compare::analyze::Analyzer;
use crate::compare::docscore::DocIdf;
use crate::corpus::{Batch, Corpus, DocTable, InputStats, RecordProblem};
use crate::error::Result;
use crate::progress::{Observer, Stage};

use super::engine::{duplicate_id_error, skip_or_fail};

/// Corpus-wide statistics used to judge pairs: document frequencies of content stems
/// (for the document score) and boilerplate lines.
#[derive(Debug, Default)]
pub struct CorpusContext {
    /// Document frequencies of content stems.
    pub idf: DocIdf,
    /// [`crate::compare::analyze::line_key`]s of boilerplate paragraphs.
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
/// [`BOILERPLATE_MIN_DOCS`] documents), and picks out the texts of `wanted` ids (an
/// id asked for twice gets its text twice).
///
/// The corpus is checked as the pair modes check it: a malformed record stops the run
/// (unless `ReadOptions::skip_bad_lines`), and so do two documents with one id
/// ([`crate::Error::DuplicateId`]).
pub fn corpus_context(
    corpus: &Corpus,
    wanted: &[&str],
    obs: &dyn Observer,
) -> Result<CorpusContext> {
    struct Found {
        id: String,
        stems: Vec<u64>,
        lines: Vec<u64>,
        text: Option<String>,
    }
    let mut ctx = CorpusContext {
        texts: vec![None; wanted.len()],
        ..Default::default()
    };
    let mut line_df: AHashMap<u64, u32> = AHashMap::new();
    obs.stage(Stage::Sketch, Some(corpus.total_bytes()));
    let work = |batch: &Batch| -> Vec<Result<Found, RecordProblem>> {
        let mut an = Analyzer::default();
        batch
            .records()
            .iter()
            .map(|rec| {
                let doc = corpus.parse(rec)?;
                let (stems, lines) = doc_context(&mut an, &doc.text);
                let id = doc.id.into_owned();
                let text = wanted.contains(&id.as_str()).then(|| doc.text.into_owned());
                Ok(Found {
                    id,
                    stems,
                    lines,
                    text,
                })
            })
            .collect()
    };
    let mut idf = DocIdf::new();
    let mut docs = DocTable::default();
    let mut stats = InputStats::default();
    corpus.map_batches(None, Some(obs), work, |batch, found| {
        for (rec, f) in batch.records().iter().zip(found) {
            let f = match f {
                Ok(f) => f,
                Err(p) => {
                    skip_or_fail(corpus, &mut stats, rec, p)?;
                    continue;
                }
            };
            docs.push(&f.id, rec.source, rec.line, rec.offset, 0);
            idf.add(&f.stems);
            for l in f.lines {
                *line_df.entry(l).or_insert(0) += 1;
            }
            if let Some(t) = f.text {
                for (i, w) in wanted.iter().enumerate() {
                    if *w == f.id && ctx.texts[i].is_none() {
                        ctx.texts[i] = Some(t.clone());
                    }
                }
            }
        }
        Ok(())
    })?;
    if let Some(e) = duplicate_id_error(corpus, &docs) {
        return Err(e);
    }
    ctx.idf = idf;
    ctx.boilerplate = boilerplate_lines(line_df);
    Ok(ctx)
}

/// A document's content stems (sorted, unique) and the line keys of its short
/// paragraphs (boilerplate candidates).
fn doc_context(analyzer: &mut Analyzer, text: &str) -> (Vec<u64>, Vec<u64>) {
    analyzer.stems_and_short_lines(text, BOILERPLATE_MAX_WORDS, &mut Vec::new())
}

pub(super) fn boilerplate_lines(line_df: AHashMap<u64, u32>) -> ahash::AHashSet<u64> {
    line_df
        .into_iter()
        .filter(|&(_, c)| c >= BOILERPLATE_MIN_DOCS)
        .map(|(k, _)| k)
        .collect()
}
