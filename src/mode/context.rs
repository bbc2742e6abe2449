//! Corpus-wide statistics the pair comparison uses: document frequencies of content
//! stems (the document score's IDF) and boilerplate lines (short paragraphs found in
//! many documents, never aligned).
//!
//! Invariant: the statistics depend only on the corpus, not on which pairs are asked
//! for, so a pair is judged the same in `pairs`, `report` and `diff --corpus`.

use ahash::AHashMap;

use crate::compare::analyze::Analyzer;
use crate::compare::docscore::DocIdf;
use crate::corpus::{Batch, Corpus};
use crate::error::Result;
use crate::progress::{Observer, Stage};

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
/// [`BOILERPLATE_MIN_DOCS`] documents), and picks out the texts of `wanted` ids.
pub fn corpus_context(
    corpus: &Corpus,
    wanted: &[&str],
    obs: &dyn Observer,
) -> Result<CorpusContext> {
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
