//! Batch scoring of text pairs given as JSON Lines: the pair API on the command line.
//!
//! Input: one object per line with `text_a` and `text_b` (and optional `id_a`, `id_b`,
//! echoed back as given). Output: one JSON object per input line, in input order, with
//! `score` (the document score `D`), `verdict` (`unrelated` when no rule holds),
//! `coverage_a`, `coverage_b`, `jaccard` and, for short texts, `equivalence`.
//!
//! Document frequencies for `D` and for boilerplate come from all the texts of the
//! input, so the input is read twice (stdin is spooled to a temporary file). Lines are
//! scored in parallel in blocks and written in order.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::align::docscore::DocIdf;
use crate::align::Analyzer;
use crate::compare::Comparer;
use crate::error::{Error, Result};
use crate::report::round;

/// One input line.
#[derive(Debug, Deserialize)]
struct Line {
    text_a: String,
    text_b: String,
    #[serde(default)]
    id_a: Option<serde_json::Value>,
    #[serde(default)]
    id_b: Option<serde_json::Value>,
}

/// One output line.
#[derive(Debug, Serialize)]
pub struct ScoreRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_a: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_b: Option<serde_json::Value>,
    pub score: f64,
    pub verdict: &'static str,
    pub coverage_a: f64,
    pub coverage_b: f64,
    pub jaccard: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<f64>,
}

/// Counts of a scoring run.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScoreStats {
    pub pairs: u64,
    pub related: u64,
    pub bad_lines: u64,
}

/// Where the pairs come from.
pub struct ScoreInput {
    name: String,
    path: PathBuf,
    _spool: Option<tempfile::NamedTempFile>,
}

impl ScoreInput {
    /// A file, or `-` for stdin (spooled so it can be read twice).
    pub fn open(arg: &str) -> Result<Self> {
        if arg == "-" {
            let mut spool =
                tempfile::NamedTempFile::new().map_err(|e| Error::io("temporary file", e))?;
            io::copy(&mut io::stdin().lock(), spool.as_file_mut())
                .map_err(|e| Error::io("<stdin>", e))?;
            return Ok(ScoreInput {
                name: "<stdin>".into(),
                path: spool.path().to_path_buf(),
                _spool: Some(spool),
            });
        }
        File::open(arg).map_err(|e| Error::io(arg, e))?;
        Ok(ScoreInput {
            name: arg.into(),
            path: Path::new(arg).to_path_buf(),
            _spool: None,
        })
    }

    fn blocks(&self, mut f: impl FnMut(Vec<(u64, String)>) -> Result<()>) -> Result<()> {
        let file = File::open(&self.path).map_err(|e| Error::io(&self.name, e))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut block = Vec::new();
        let mut line_no = 0u64;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(&self.name, e))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            let text = String::from_utf8_lossy(&buf)
                .trim_end_matches(['\n', '\r'])
                .to_owned();
            if text.trim().is_empty() {
                continue;
            }
            block.push((line_no, text));
            if block.len() >= 1024 {
                f(std::mem::take(&mut block))?;
            }
        }
        if !block.is_empty() {
            f(block)?;
        }
        Ok(())
    }
}

fn parse(line: &str) -> std::result::Result<Line, String> {
    serde_json::from_str::<Line>(line).map_err(|e| e.to_string())
}

/// Scores every pair of `input` into `out` (JSON Lines). With `skip_bad_lines`, a
/// malformed line gives `{"line": N, "error": "..."}` instead of stopping the run.
pub fn score(
    input: &ScoreInput,
    ngram: usize,
    skip_bad_lines: bool,
    out: &mut dyn Write,
) -> Result<ScoreStats> {
    // Pass 1: document frequencies over every text.
    let mut idf = DocIdf::new();
    input.blocks(|block| {
        let tables: Vec<std::result::Result<DocIdf, (u64, String)>> = block
            .par_iter()
            .map_init(Analyzer::default, |an, (no, line)| {
                let l = parse(line).map_err(|e| (*no, e))?;
                let mut t = DocIdf::new();
                for text in [&l.text_a, &l.text_b] {
                    let mut stems = an.content_stems(text);
                    stems.sort_unstable();
                    stems.dedup();
                    t.add(&stems);
                }
                Ok(t)
            })
            .collect();
        for t in tables {
            match t {
                Ok(t) => idf.merge(t),
                Err(_) if skip_bad_lines => {}
                Err((line, message)) => {
                    return Err(Error::BadJson {
                        path: input.name.clone().into(),
                        line,
                        message,
                    })
                }
            }
        }
        Ok(())
    })?;
    // Pass 2: compare.
    let mut stats = ScoreStats::default();
    let werr = |e: io::Error| Error::Write {
        path: "<output>".into(),
        source: e,
    };
    input.blocks(|block| {
        let rows: Vec<std::result::Result<ScoreRow, (u64, String)>> = block
            .par_iter()
            .map_init(
                || Comparer::new(ngram),
                |cmp, (no, line)| {
                    let l = parse(line).map_err(|e| (*no, e))?;
                    let a = cmp.prepare(&l.text_a, &|_| false);
                    let b = cmp.prepare(&l.text_b, &|_| false);
                    let c = cmp.compare(&a, &b, Some(&idf));
                    Ok(ScoreRow {
                        id_a: l.id_a,
                        id_b: l.id_b,
                        score: round(c.score),
                        verdict: c.verdict.map_or("unrelated", |v| v.name()),
                        coverage_a: round(c.coverage_a),
                        coverage_b: round(c.coverage_b),
                        jaccard: round(c.overlap.jaccard),
                        equivalence: c.equivalence.map(round),
                    })
                },
            )
            .collect();
        for r in rows {
            match r {
                Ok(row) => {
                    stats.pairs += 1;
                    if row.verdict != "unrelated" {
                        stats.related += 1;
                    }
                    serde_json::to_writer(&mut *out, &row).map_err(|e| werr(e.into()))?;
                    out.write_all(b"\n").map_err(werr)?;
                }
                Err((line, message)) if skip_bad_lines => {
                    stats.bad_lines += 1;
                    let v = serde_json::json!({"line": line, "error": message});
                    serde_json::to_writer(&mut *out, &v).map_err(|e| werr(e.into()))?;
                    out.write_all(b"\n").map_err(werr)?;
                }
                Err((line, message)) => {
                    return Err(Error::BadJson {
                        path: input.name.clone().into(),
                        line,
                        message,
                    })
                }
            }
        }
        Ok(())
    })?;
    Ok(stats)
}
