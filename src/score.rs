//! Batch scoring of text pairs given as JSON Lines: the pair API on the command line.
//!
//! Input: one object per line with `text_a` and `text_b` (and optional `id_a`, `id_b`,
//! echoed back as given). Output: one [`Scored`] per input line, in input order, handed
//! to a sink; `reprint::report::write_scored` renders it as a JSON line.
//!
//! The document score's IDF comes from the fixed background table by default
//! ([`crate::compare::background`]), so a line's result does not depend on the other lines.
//! With [`IdfSource::Corpus`] document frequencies come from all the texts of the
//! input instead, and the input is read twice (stdin is spooled to a temporary file).
//! Lines are scored in parallel in blocks and written in order.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::compare::analyze::Analyzer;
use crate::compare::docscore::{DocIdf, IdfSource};
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

/// The longest input line read by default: two texts of the default document size
/// limit (64 MiB each) and 1 MiB for the rest of the line.
pub const DEFAULT_MAX_LINE_BYTES: usize = 2 * (64 << 20) + (1 << 20);

/// Lines are scored in blocks of at most this many lines...
const BLOCK_LINES: usize = 1024;
/// ...and this many bytes, so that a block of long lines stays bounded.
const BLOCK_BYTES: usize = 64 << 20;

/// Where the pairs come from.
pub struct ScoreInput {
    name: String,
    path: PathBuf,
    max_line_bytes: usize,
    _spool: Option<reprint_fs::Spool>,
}

impl ScoreInput {
    /// A file, or `-` for stdin, with the default line limit
    /// ([`DEFAULT_MAX_LINE_BYTES`]); see [`ScoreInput::open_with`].
    pub fn open(arg: &str) -> Result<Self> {
        Self::open_with(arg, 64 << 20, false)
    }

    /// A file, or `-` for stdin; a line may hold two texts of `max_document_bytes`
    /// (and 1 MiB more), a longer line is a bad line ([`Error::LineTooLong`]). Stdin
    /// and other streams (a FIFO, process substitution, a device) are copied once to a
    /// temporary file, so they can be read twice; the copy stops at the first line
    /// over the limit unless `skip_bad_lines` (then only the start of such a line is
    /// kept), so an endless line (`/dev/zero`) ends the run instead of filling the disk.
    pub fn open_with(arg: &str, max_document_bytes: usize, skip_bad_lines: bool) -> Result<Self> {
        let max_line_bytes = max_document_bytes.saturating_mul(2).saturating_add(1 << 20);
        let copy = |r: &mut dyn io::Read, name: &str| {
            spool_lines(r, max_line_bytes, skip_bad_lines).map_err(|e| Error::io(name, e))
        };
        let (name, spool) = if arg == "-" {
            let spool = copy(&mut io::stdin().lock(), "<stdin>")?;
            ("<stdin>".to_owned(), Some(spool))
        } else {
            let meta = std::fs::metadata(arg).map_err(|e| Error::io(arg, e))?;
            let mut file = File::open(arg).map_err(|e| Error::io(arg, e))?;
            if meta.is_file() {
                (arg.to_owned(), None)
            } else {
                (arg.to_owned(), Some(copy(&mut file, arg)?))
            }
        };
        let path = match &spool {
            Some(s) => s.path().to_path_buf(),
            None => Path::new(arg).to_path_buf(),
        };
        Ok(ScoreInput {
            name,
            path,
            max_line_bytes,
            _spool: spool,
        })
    }

    /// The longest line read.
    pub fn max_line_bytes(&self) -> usize {
        self.max_line_bytes
    }

    /// Reads the input in blocks of `(line number, line)`; a line longer than the limit
    /// is `None` (consumed, not kept).
    fn blocks(&self, mut f: impl FnMut(Vec<(u64, Option<String>)>) -> Result<()>) -> Result<()> {
        use crate::corpus::reader::{next_line, Line as Read};
        let file = File::open(&self.path).map_err(|e| Error::io(&self.name, e))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut block = Vec::new();
        let mut block_bytes = 0usize;
        let mut line_no = 0u64;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let Some((_, got)) = next_line(&mut reader, &mut buf, self.max_line_bytes, true)
                .map_err(|e| Error::io(&self.name, e))?
            else {
                break;
            };
            line_no += 1;
            let mut bytes = &buf[..];
            if line_no == 1 {
                bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            }
            let text = match got {
                Read::Oversized => None,
                Read::Kept => {
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    if text.trim().is_empty() {
                        continue;
                    }
                    Some(text)
                }
            };
            block_bytes += text.as_ref().map_or(0, String::len);
            block.push((line_no, text));
            if block.len() >= BLOCK_LINES || block_bytes >= BLOCK_BYTES {
                f(std::mem::take(&mut block))?;
                block_bytes = 0;
            }
        }
        if !block.is_empty() {
            f(block)?;
        }
        Ok(())
    }

    /// The error for line `line`: too long, or malformed.
    fn line_error(&self, line: u64, message: Option<String>) -> Error {
        match message {
            None => Error::LineTooLong {
                location: format!("{}:{line}", self.name),
                max: self.max_line_bytes,
            },
            Some(message) => Error::BadJson {
                path: self.name.clone().into(),
                line,
                message,
            },
        }
    }
}

/// Parses a line; the error is the parser's message, or `None` for a line too long.
/// Copies a stream to a spool, line by line: a line longer than `max` is cut after
/// `max + 1` bytes (so a reader with the same limit sees it as too long), and the copy
/// stops there unless `skip_rest`.
fn spool_lines(r: &mut dyn io::Read, max: usize, skip_rest: bool) -> io::Result<reprint_fs::Spool> {
    use std::io::{BufRead, Write};
    let mut reader = BufReader::with_capacity(1 << 20, r);
    reprint_fs::Spool::from_writer(|w: &mut dyn Write| {
        let mut line = 0usize;
        loop {
            let avail = match reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(());
            }
            let (chunk, newline) = match memchr::memchr(b'\n', avail) {
                Some(i) => (&avail[..=i], true),
                None => (avail, false),
            };
            let n = chunk.len();
            let room = (max + 1).saturating_sub(line);
            let keep = &chunk[..n.min(room)];
            w.write_all(keep)?;
            if newline && keep.len() < n {
                w.write_all(b"\n")?;
            }
            line = if newline { 0 } else { line + n };
            reader.consume(n);
            if line > max && !skip_rest {
                return Ok(());
            }
        }
    })
}

fn parse(line: &Option<String>) -> std::result::Result<Line, Option<String>> {
    let line = line.as_deref().ok_or(None)?;
    serde_json::from_str::<Line>(line).map_err(|e| Some(e.to_string()))
}

/// The message of a skipped line.
fn skipped_message(input: &ScoreInput, message: Option<String>) -> String {
    message.unwrap_or_else(|| format!("line longer than {} bytes", input.max_line_bytes))
}

/// Scores every pair of `input` with background IDF, handing each line's result to
/// `sink` in input order. With `skip_bad_lines`, a malformed line gives
/// [`Scored::Bad`] instead of stopping the run.
pub fn score(
    input: &ScoreInput,
    ngram: usize,
    skip_bad_lines: bool,
    sink: &mut dyn FnMut(Scored) -> Result<()>,
) -> Result<ScoreStats> {
    score_with(input, ngram, IdfSource::Background, skip_bad_lines, sink)
}

/// [`score`] with the IDF statistics chosen: the background table, or document
/// frequencies over every text of the input.
pub fn score_with(
    input: &ScoreInput,
    ngram: usize,
    idf_source: IdfSource,
    skip_bad_lines: bool,
    sink: &mut dyn FnMut(Scored) -> Result<()>,
) -> Result<ScoreStats> {
    let idf = match idf_source {
        IdfSource::Corpus => Some(batch_idf(input, skip_bad_lines)?),
        IdfSource::Background => None,
    };
    // Compare.
    let mut stats = ScoreStats::default();
    input.blocks(|block| {
        let rows: Vec<std::result::Result<Scored, (u64, Option<String>)>> = block
            .par_iter()
            .map_init(
                || Comparer::new(ngram),
                |cmp, (no, line)| {
                    let l = parse(line).map_err(|e| (*no, e))?;
                    let a = cmp.prepare(&l.text_a, &|_| false);
                    let b = cmp.prepare(&l.text_b, &|_| false);
                    let comparison = cmp.compare(&a, &b, idf.as_ref());
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
                    let message = skipped_message(input, message);
                    sink(Scored::Bad { line, message })?;
                }
                Err((line, message)) => return Err(input.line_error(line, message)),
            }
        }
        Ok(())
    })?;
    Ok(stats)
}

/// Document frequencies over every text of the input (a first pass).
fn batch_idf(input: &ScoreInput, skip_bad_lines: bool) -> Result<DocIdf> {
    let mut idf = DocIdf::new();
    input.blocks(|block| {
        let tables: Vec<std::result::Result<DocIdf, (u64, Option<String>)>> = block
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
                Err((line, message)) => return Err(input.line_error(line, message)),
            }
        }
        Ok(())
    })?;
    Ok(idf)
}
