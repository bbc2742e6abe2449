//! `reprint bench`: generate (or take) a corpus with truth, run the pipeline on it and
//! measure time, throughput, memory and quality per stage.

use anyhow::{Context, Result};
use reprint::corpus::{Corpus, Input, ReadOptions};
use reprint::mode::Mode;
use reprint_gen::GenOptions;

use crate::args::{self, BenchArgs};
use crate::bench::{self, render, Generated};
use crate::commands::gen::generate;
use crate::config::{mode, params};
use crate::progress::Progress;

pub fn run(a: &BenchArgs, quiet: bool) -> Result<bool> {
    let out = &a.out.out;
    out.check()?;
    let params = params(&a.matching)?;
    let mode: Mode = mode(a.matching.mode, Mode::All);
    // Keeps a generated temporary corpus alive until the end.
    let mut _tmp = None;
    let (corpus_path, truth_path, generated) = match a.docs {
        Some(docs) => {
            let dir = match &a.keep {
                Some(d) => d.clone(),
                None => {
                    let t = tempfile::Builder::new()
                        .prefix("reprint-bench-")
                        .tempdir()
                        .context("creating a temporary directory")?;
                    let p = t.path().to_path_buf();
                    _tmp = Some(t);
                    p
                }
            };
            let opts = GenOptions {
                docs,
                seed: a.seed,
                ngram: params.ngram(),
            };
            let (m, secs) = generate(&opts, &dir, quiet)?;
            let g = Generated {
                seed: a.seed,
                docs,
                seconds: bench::round6(secs),
                mb_per_s: bench::round6(m.corpus_bytes as f64 / 1e6 / secs.max(1e-9)),
                docs_per_s: (docs as f64 / secs.max(1e-9)).round(),
                kept_in: a.keep.as_ref().map(|k| k.display().to_string()),
            };
            (
                dir.join(reprint_gen::CORPUS_FILE),
                dir.join(reprint_gen::TRUTH_FILE),
                Some(g),
            )
        }
        None => (
            a.corpus.clone().context("--corpus or --docs is required")?,
            a.truth
                .clone()
                .context("--truth is required with --corpus")?,
            None,
        ),
    };
    std::fs::File::open(&truth_path)
        .with_context(|| format!("opening {}", truth_path.display()))?;
    let corpus_name = corpus_path.display().to_string();
    let corpus = Corpus::open(
        &[Input::parse(&corpus_name)],
        ReadOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            skip_bad_lines: false,
            text_extensions: Vec::new(),
            max_document_bytes: 64 << 20,
            extra_field: None,
        },
    )?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let res = bench::run(&corpus, &corpus_name, &truth_path, mode, &params, &progress);
    progress.finish();
    let mut report = res?;
    report.generated = generated;
    out.write(|w| match a.format {
        args::TableJson::Table => render::write_table_report(w, &report),
        args::TableJson::Json => render::write_json(w, &report),
    })?;
    Ok(true)
}
