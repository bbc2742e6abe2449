//! The streaming reader: sources to batches of raw records, on a background thread.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{sync_channel, SyncSender};

use super::{Corpus, RawRecord, Selection, SourceKind};
use crate::error::{Error, Result};

/// Raw records handed to the caller together, in corpus order.
#[derive(Debug, Default)]
pub struct Batch {
    /// Records in corpus order.
    pub records: Vec<RawRecord>,
    /// Records skipped for being larger than the size limit: `(source, line)`.
    pub oversized: Vec<(u32, u64)>,
}

/// Told how many bytes were read from the sources (compressed bytes for compressed
/// files), to drive a progress bar. Called from the reader thread.
pub trait ReadProgress: Sync {
    /// `n` more bytes were read.
    fn advance(&self, n: u64);
}

const BATCH_BYTES: usize = 4 << 20;
const BATCH_RECORDS: usize = 8192;

struct Counting<'a, R> {
    inner: R,
    progress: Option<&'a dyn ReadProgress>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = self.progress {
            p.advance(n as u64);
        }
        Ok(n)
    }
}

enum Line {
    Kept,
    Oversized,
}

/// Reads one line (without `\n` or `\r\n`) into `buf` when `keep`, at most `max` bytes;
/// longer lines are consumed and reported as oversized. `None` at end of input.
fn next_line<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
    keep: bool,
) -> io::Result<Option<Line>> {
    buf.clear();
    let mut any = false;
    let mut over = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (chunk, used, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], i + 1, true),
            None => (avail, avail.len(), false),
        };
        if keep && !over {
            if buf.len() + chunk.len() > max {
                over = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        r.consume(used);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(if over { Line::Oversized } else { Line::Kept }))
}

impl Corpus {
    /// Streams the corpus (or only the `selection`) as batches to `f`, reading on a
    /// background thread. Blank lines of JSON Lines sources are skipped. Stops at the
    /// first error from reading or from `f`.
    pub fn read_batches<F>(
        &self,
        selection: Option<&Selection>,
        progress: Option<&dyn ReadProgress>,
        mut f: F,
    ) -> Result<()>
    where
        F: FnMut(Batch) -> Result<()>,
    {
        std::thread::scope(|scope| {
            let (tx, rx) = sync_channel::<Result<Batch>>(2);
            let producer = scope.spawn(move || {
                if let Err(e) = self.produce(selection, progress, &tx) {
                    // The receiver may be gone already; then the error is moot.
                    let _ = tx.send(Err(e));
                }
            });
            let mut result = Ok(());
            for msg in rx.iter() {
                match msg.and_then(&mut f) {
                    Ok(()) => {}
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            drop(rx);
            producer.join().expect("reader thread panicked");
            result
        })
    }

    fn produce(
        &self,
        selection: Option<&Selection>,
        progress: Option<&dyn ReadProgress>,
        tx: &SyncSender<Result<Batch>>,
    ) -> Result<()> {
        let max = self.options().max_document_bytes;
        let mut batch = Batch::default();
        let mut batch_bytes = 0usize;
        // Sends the batch; false when the receiver has hung up.
        let flush = |batch: &mut Batch, batch_bytes: &mut usize| -> bool {
            *batch_bytes = 0;
            tx.send(Ok(std::mem::take(batch))).is_ok()
        };
        for (idx, source) in self.sources().iter().enumerate() {
            let wanted = selection.map(|s| s.lines[idx].as_slice());
            if wanted.is_some_and(|w| w.is_empty()) {
                continue;
            }
            let name = &source.name;
            let src = idx as u32;
            match source.kind {
                SourceKind::Text => {
                    let file = self.open_source(idx)?;
                    let mut reader = Counting {
                        inner: file,
                        progress,
                    };
                    let mut bytes = Vec::new();
                    reader
                        .by_ref()
                        .take(max as u64 + 1)
                        .read_to_end(&mut bytes)
                        .map_err(|e| Error::io(name, e))?;
                    if bytes.len() > max {
                        batch.oversized.push((src, 0));
                    } else {
                        batch_bytes += bytes.len();
                        batch.records.push(RawRecord {
                            source: src,
                            line: 0,
                            bytes,
                        });
                    }
                }
                SourceKind::JsonLines(_) => {
                    let inner = self.open_source(idx)?;
                    let mut reader =
                        BufReader::with_capacity(1 << 20, Counting { inner, progress });
                    let mut line_no = 0u64;
                    let mut want_pos = 0usize;
                    let mut buf = Vec::new();
                    loop {
                        line_no += 1;
                        let keep = match wanted {
                            None => true,
                            Some(w) => {
                                if want_pos >= w.len() {
                                    break;
                                }
                                w[want_pos] == line_no
                            }
                        };
                        let line = next_line(&mut reader, &mut buf, max, keep)
                            .map_err(|e| Error::io(name, e))?;
                        let Some(line) = line else { break };
                        if !keep {
                            continue;
                        }
                        if wanted.is_some() {
                            want_pos += 1;
                        }
                        match line {
                            Line::Oversized => batch.oversized.push((src, line_no)),
                            Line::Kept => {
                                if buf.iter().all(u8::is_ascii_whitespace) {
                                    continue;
                                }
                                batch_bytes += buf.len();
                                batch.records.push(RawRecord {
                                    source: src,
                                    line: line_no,
                                    bytes: std::mem::take(&mut buf),
                                });
                            }
                        }
                        if (batch_bytes >= BATCH_BYTES || batch.records.len() >= BATCH_RECORDS)
                            && !flush(&mut batch, &mut batch_bytes)
                        {
                            return Ok(());
                        }
                    }
                }
            }
            if (batch_bytes >= BATCH_BYTES || batch.records.len() >= BATCH_RECORDS)
                && !flush(&mut batch, &mut batch_bytes)
            {
                return Ok(());
            }
        }
        if !batch.records.is_empty() || !batch.oversized.is_empty() {
            flush(&mut batch, &mut batch_bytes);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Option<Vec<u8>>> {
        let mut r = BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(l) = next_line(&mut r, &mut buf, max, true).unwrap() {
            out.push(match l {
                Line::Kept => Some(buf.clone()),
                Line::Oversized => None,
            });
        }
        out
    }

    #[test]
    fn splits_lines_across_buffer_refills() {
        assert_eq!(
            lines(b"abcdefgh\r\nij\n\nlast", 100),
            vec![
                Some(b"abcdefgh".to_vec()),
                Some(b"ij".to_vec()),
                Some(vec![]),
                Some(b"last".to_vec())
            ]
        );
    }

    #[test]
    fn oversized_lines_are_consumed_whole() {
        assert_eq!(
            lines(b"short\nthis line is too long\nok\n", 8),
            vec![Some(b"short".to_vec()), None, Some(b"ok".to_vec())]
        );
    }
}
