//! `reprint gen`: a synthetic corpus with planted relations, and its truth file.

use std::cell::RefCell;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use reprint::shingle::Shingler;
use reprint_gen::{GenOptions, Manifest, Measure};

use crate::args::GenArgs;
use crate::progress::DocsProgress;

/// The truth file's measure: reprint's own shingler and tokenizer, so the planted
/// Jaccard is what reprint measures. One shingler per thread and n-gram length.
pub struct ReprintMeasure;

thread_local! {
    static SHINGLER: RefCell<Option<Shingler>> = const { RefCell::new(None) };
}

impl Measure for ReprintMeasure {
    fn shingles(&self, text: &str, ngram: usize) -> (Vec<u64>, usize) {
        SHINGLER.with(|s| {
            let mut s = s.borrow_mut();
            if s.as_ref().is_none_or(|s| s.ngram() != ngram) {
                *s = Some(Shingler::new(ngram));
            }
            s.as_mut().expect("just set").shingle_set(text)
        })
    }

    fn words(&self, text: &str) -> usize {
        let mut n = 0;
        reprint::text::for_each_word(text, |_| n += 1);
        n
    }
}

/// Generates a corpus into `dir` with a progress bar; returns the manifest and the
/// wall time.
pub fn generate(opts: &GenOptions, dir: &Path, quiet: bool) -> Result<(Manifest, f64)> {
    let bar = DocsProgress::new(quiet, opts.docs);
    let t = Instant::now();
    let res = reprint_gen::generate(opts, dir, &ReprintMeasure, &|n| bar.set(n));
    bar.finish();
    let m = res.with_context(|| format!("generating a corpus in {}", dir.display()))?;
    Ok((m, t.elapsed().as_secs_f64()))
}

pub fn run(a: &GenArgs, quiet: bool) -> Result<bool> {
    let opts = GenOptions {
        docs: a.docs,
        seed: a.seed,
        ngram: a.ngram,
    };
    let (m, secs) = generate(&opts, &a.out, quiet)?;
    if !quiet {
        let pairs: Vec<String> = m.pairs.iter().map(|(k, v)| format!("{k} {v}")).collect();
        crate::messages::say!(
            "reprint: wrote {} documents ({:.1} MB) in {:.2}s ({:.1} MB/s) to {}; truth: {}",
            m.docs,
            m.corpus_bytes as f64 / 1e6,
            secs,
            m.corpus_bytes as f64 / 1e6 / secs.max(1e-9),
            a.out.display(),
            pairs.join(", ")
        );
    }
    Ok(true)
}
