//! Batch scoring of text pairs given as JSON Lines: the pair API on the command line.
//!
//! Input: one object per line with `text_a` and `text_b` (and optional `id_a`, `id_b`,
//! echoed back as given). Output: one [`Scored`] per input line, in input order, handed
//! to a sink; `reprint::report::write_scored` renders it as a JSON line.
//!
//! Document frequencies for `D` and for boilerplate come from all the texts of the
//! input, so the input is read twice (stdin is spooled to a temporary file). Lines are
//! scored in parallel in blocks and written in order.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::compare::analyze::Analyzer;
use crate::compare::docscore::DocIdf;
use crate::compare::{Comparer, Comparison};
use crate::error::{Error, Result};

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

/// The result of one input line.
#[derive(Debug)]
pub enum Scored {
    /// A scored pair.
    Pair {
        /// `id_a` as given, if any.
        id_a: Option<serde_json::Value>,
        /// `id_b` as given, if any.
        id_b: Option<serde_json::Value>,
        /// The full comparison of `text_a` with `text_b`.
        comparison: Box<Comparison>,
    },
    /// A malformed line, skipped (`skip_bad_lines`).
    Bad {
        /// 1-based line number.
        line: u64,
        /// What the JSON parser said.
        message: String,
    },
}

/// Counts of a scoring run.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScoreStats {
    /// Lines scored.
    pub pairs: u64,
    /// Lines whose pair got a verdict (not unrelated).
    pub related: u64,
    /// Malformed lines skipped (`skip_bad_lines`).
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

/// Scores every pair of `input`, handing each line's result to `sink` in input order.
/// With `skip_bad_lines`, a malformed line gives [`Scored::Bad`] instead of stopping
/// the run.
pub fn score(
    input: &ScoreInput,
    ngram: usize,
    skip_bad_lines: bool,
    sink: &mut dyn FnMut(Scored) -> Result<()>,
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
    input.blocks(|block| {
        let rows: Vec<std::result::Result<Scored, (u64, String)>> = block
            .par_iter()
            .map_init(
                || Comparer::new(ngram),
                |cmp, (no, line)| {
                    let l = parse(line).map_err(|e| (*no, e))?;
                    let a = cmp.prepare(&l.text_a, &|_| false);
                    let b = cmp.prepare(&l.text_b, &|_| false);
                    let comparison = cmp.compare(&a, &b, Some(&idf));
                    Ok(Scored::Pair {
                        id_a: l.id_a,
                        id_b: l.id_b,
                        comparison: Box::new(comparison),
                    })
                },
            )
            .collect();
        for r in rows {
            match r {
                Ok(scored) => {
                    stats.pairs += 1;
                    if let Scored::Pair { comparison, .. } = &scored {
                        stats.related += comparison.verdict.is_some() as u64;
                    }
                    sink(scored)?;
                }
                Err((line, message)) if skip_bad_lines => {
                    stats.bad_lines += 1;
                    sink(Scored::Bad { line, message })?;
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
