//! The streaming reader: sources to batches of raw records, on a background thread.
//!
//! A batch owns one buffer holding the bytes of all its records (no allocation per
//! record). Later passes that need only some records of an uncompressed JSON Lines
//! file seek to the offsets recorded in pass 1 instead of scanning the file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::ops::Range;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::time::Duration;

use super::{record, Compression, Corpus, RawRecord, Selection, SourceKind};
use crate::error::{Error, Result};

/// Raw records handed to the caller together, in corpus order.
#[derive(Debug, Default)]
pub struct Batch {
    pub(super) data: Vec<u8>,
    pub(super) entries: Vec<Entry>,
    /// Records skipped for being larger than the size limit: `(source, line)`.
    pub oversized: Vec<(u32, u64)>,
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) source: u32,
    pub(super) line: u64,
    pub(super) offset: u64,
    pub(super) range: Range<usize>,
}

impl Batch {
    /// The records, in corpus order.
    pub fn records(&self) -> Vec<RawRecord<'_>> {
        self.entries
            .iter()
            .map(|e| RawRecord {
                source: e.source,
                line: e.line,
                offset: e.offset,
                bytes: &self.data[e.range.clone()],
            })
            .collect()
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the batch holds no record.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Told how many bytes were read from the sources (compressed bytes for compressed
/// files), to drive a progress bar. Called from the reader thread.
pub trait ReadProgress: Sync {
    /// `n` more bytes were read.
    fn advance(&self, n: u64);
}

const BATCH_BYTES: usize = 1 << 20;
const BATCH_RECORDS: usize = 8192;

pub(super) struct Counting<'a, R> {
    pub(super) inner: R,
    pub(super) progress: Option<&'a dyn ReadProgress>,
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

impl<R: Seek> Seek for Counting<'_, R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

pub(crate) enum Line {
    Kept,
    Oversized,
}

/// Reads one line (without `\n` or `\r\n`), appending it to `buf` when `keep` and it
/// is at most `max` bytes; longer lines are consumed and reported as oversized (and
/// `buf` is left as it was). Returns the bytes consumed (including the newline) and
/// the outcome, or `None` at end of input.
pub(crate) fn next_line<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
    keep: bool,
) -> io::Result<Option<(u64, Line)>> {
    let start = buf.len();
    let mut consumed = 0u64;
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
        let (chunk, used, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], i + 1, true),
            None => (avail, avail.len(), false),
        };
        if keep && !over {
            if buf.len() - start + chunk.len() > max {
                over = true;
                buf.truncate(start);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        r.consume(used);
        consumed += used as u64;
        if done {
            break;
        }
    }
    if consumed == 0 {
        return Ok(None);
    }
    if keep && !over && buf.len() > start && buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some((
        consumed,
        if over { Line::Oversized } else { Line::Kept },
    )))
}

/// Accumulates records and sends full batches.
pub(super) struct Batcher<'a> {
    pub(super) batch: Batch,
    tx: &'a SyncSender<Result<Batch>>,
    /// Threads that may decode a columnar source at once.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub(super) decoders: usize,
}

impl Batcher<'_> {
    /// Adds record `line` of source `idx`, a document of `len` bytes that `write`
    /// appends to the batch's data (or, past `max` bytes, an oversized record), after
    /// counting it in `progress`; false when the receiver has hung up.
    fn push_document(
        &mut self,
        (idx, line): (usize, u64),
        len: usize,
        max: usize,
        progress: Option<&dyn ReadProgress>,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> bool {
        if let Some(p) = progress {
            p.advance(len as u64);
        }
        if len > max {
            self.batch.oversized.push((idx as u32, line));
        } else {
            let start = self.batch.data.len();
            write(&mut self.batch.data);
            self.batch.entries.push(Entry {
                source: idx as u32,
                line,
                offset: line - 1,
                range: start..self.batch.data.len(),
            });
        }
        self.maybe_flush()
    }

    /// Sends the batch if it is full; false when the receiver has hung up.
    pub(super) fn maybe_flush(&mut self) -> bool {
        if self.batch.data.len() >= BATCH_BYTES || self.batch.entries.len() >= BATCH_RECORDS {
            return self.flush();
        }
        true
    }

    fn flush(&mut self) -> bool {
        let batch = std::mem::take(&mut self.batch);
        self.batch.data.reserve(BATCH_BYTES + (64 << 10));
        self.tx.send(Ok(batch)).is_ok()
    }
}

/// Receives one message, running pending rayon work meanwhile when called from a pool
/// thread: there the spawned batch jobs may be queued behind the caller (in a one-thread
/// pool, only the caller can run them), so blocking would deadlock.
fn recv_helping<M>(rx: &Receiver<M>) -> M {
    const EXPECT: &str = "workers send before they end";
    if rayon::current_thread_index().is_none() {
        return rx.recv().expect(EXPECT);
    }
    loop {
        match rx.try_recv() {
            Ok(m) => return m,
            Err(TryRecvError::Disconnected) => panic!("{EXPECT}"),
            Err(TryRecvError::Empty) => {}
        }
        match rayon::yield_now() {
            Some(rayon::Yield::Executed) => {}
            // Nothing queued: the jobs run on other threads; wait a little for one.
            _ => match rx.recv_timeout(Duration::from_millis(1)) {
                Ok(m) => return m,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => panic!("{EXPECT}"),
            },
        }
    }
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
        // Parquet sources are decoded by as many threads as the calling pool has
        // (at most four), taken here, where the pool is known.
        let decoders = rayon::current_num_threads().clamp(1, 4);
        std::thread::scope(|scope| {
            let (tx, rx) = sync_channel::<Result<Batch>>(2);
            let producer = scope.spawn(move || {
                if let Err(e) = self.produce(selection, progress, decoders, &tx) {
                    // The receiver may be gone already; then the error is moot.
                    let _ = tx.send(Err(e));
                }
            });
            let mut result = Ok(());
            for msg in rx.iter() {
                if let Err(e) = msg.and_then(&mut f) {
                    result = Err(e);
                    break;
                }
            }
            drop(rx);
            producer.join().expect("reader thread panicked");
            result
        })
    }

    /// Streams the corpus like [`Corpus::read_batches`] and runs `work` on each batch
    /// in the rayon pool, several batches at a time, then hands each batch and its
    /// result to `consume` on the calling thread, in corpus order.
    ///
    /// Batches are processed whole by one worker each, so workers never wait for one
    /// another at batch boundaries. Safe to call from inside a rayon pool of any size
    /// (`pool.install(|| ...)`, even with one thread): while it waits for a batch, a
    /// calling pool thread runs the pending work itself.
    pub fn map_batches<T, W, C>(
        &self,
        selection: Option<&Selection>,
        progress: Option<&dyn ReadProgress>,
        work: W,
        mut consume: C,
    ) -> Result<()>
    where
        T: Send,
        W: Fn(&Batch) -> T + Sync,
        C: FnMut(Batch, T) -> Result<()>,
    {
        let max_in_flight = rayon::current_num_threads() + 1;
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Batch, T)>();
        let work = &work;
        let mut pending: BTreeMap<usize, (Batch, T)> = BTreeMap::new();
        let mut next = 0usize;
        let mut sent = 0usize;
        // Results received so far (in order or not): after an error, only the others
        // are still to come.
        let received = std::cell::Cell::new(0usize);
        rayon::in_place_scope(|scope| {
            // Hands finished batches to `consume` in order; blocks for one result.
            let mut receive_one = |next: &mut usize| -> Result<()> {
                let (seq, batch, out) = recv_helping(&rx);
                received.set(received.get() + 1);
                pending.insert(seq, (batch, out));
                while let Some((batch, out)) = pending.remove(next) {
                    *next += 1;
                    consume(batch, out)?;
                }
                Ok(())
            };
            let read = self.read_batches(selection, progress, |batch| {
                while sent - next >= max_in_flight {
                    receive_one(&mut next)?;
                }
                let tx = tx.clone();
                let seq = sent;
                sent += 1;
                scope.spawn(move |_| {
                    let out = work(&batch);
                    // The receiver outlives the scope, so this cannot fail.
                    let _ = tx.send((seq, batch, out));
                });
                Ok(())
            });
            let mut result = read;
            while received.get() < sent {
                if result.is_ok() {
                    result = receive_one(&mut next);
                } else {
                    // Drain what is still running; results are discarded. (Counting
                    // by `next` would wait for results already received out of order
                    // and hang.)
                    let _ = recv_helping(&rx);
                    received.set(received.get() + 1);
                }
            }
            result
        })
    }

    fn produce(
        &self,
        selection: Option<&Selection>,
        progress: Option<&dyn ReadProgress>,
        decoders: usize,
        tx: &SyncSender<Result<Batch>>,
    ) -> Result<()> {
        let mut out = Batcher {
            batch: Batch::default(),
            tx,
            decoders,
        };
        out.batch.data.reserve(BATCH_BYTES + (64 << 10));
        for (idx, source) in self.sources().iter().enumerate() {
            let wanted = selection.map(|s| s.lines[idx].as_slice());
            if wanted.is_some_and(|w| w.is_empty()) {
                continue;
            }
            if source.kind == SourceKind::Memory {
                if !self.read_memory(idx, wanted, progress, &mut out) || !out.maybe_flush() {
                    return Ok(());
                }
                continue;
            }
            if source.kind == SourceKind::Store {
                let more = self.read_store(idx, wanted, progress, &mut out)?;
                if !more || !out.maybe_flush() {
                    return Ok(());
                }
                continue;
            }
            if source.kind == SourceKind::Parquet {
                let more = self.read_parquet(idx, wanted, progress, &mut out)?;
                if !more || !out.maybe_flush() {
                    return Ok(());
                }
                continue;
            }
            let file = File::open(&source.path).map_err(|e| Error::io(&source.name, e))?;
            let counted = Counting {
                inner: file,
                progress,
            };
            let more = match source.kind {
                SourceKind::Text => self.read_text(idx, counted, &mut out)?,
                SourceKind::Memory | SourceKind::Parquet | SourceKind::Store => {
                    unreachable!("read above")
                }
                SourceKind::JsonArray(_) => {
                    let reader = self.open_decoder(idx, counted)?;
                    self.read_json_array(idx, reader, wanted, &mut out)?
                }
                SourceKind::JsonLines(Compression::None) if wanted.is_some() => {
                    self.read_lines_at(idx, counted, wanted.unwrap_or(&[]), &mut out)?
                }
                SourceKind::JsonLines(_) => {
                    let reader = self.open_decoder(idx, counted)?;
                    self.read_lines(idx, reader, wanted, &mut out)?
                }
            };
            if !more || !out.maybe_flush() {
                return Ok(());
            }
        }
        if !out.batch.entries.is_empty() || !out.batch.oversized.is_empty() {
            out.flush();
        }
        Ok(())
    }

    /// Without the `parquet` feature a Parquet source (which [`Corpus::open`] does not
    /// make then) cannot be read.
    #[cfg(not(feature = "parquet"))]
    fn read_parquet(
        &self,
        idx: usize,
        _wanted: Option<&[(u64, u64)]>,
        _progress: Option<&dyn ReadProgress>,
        _out: &mut Batcher,
    ) -> Result<bool> {
        Err(Error::ParquetDisabled {
            path: self.sources()[idx].name.clone().into(),
        })
    }

    /// Copies the texts of an in-memory source (all, or the wanted ones) into
    /// batches; false when the receiver has hung up.
    fn read_memory(
        &self,
        idx: usize,
        wanted: Option<&[(u64, u64)]>,
        progress: Option<&dyn ReadProgress>,
        out: &mut Batcher,
    ) -> bool {
        let Some(memory) = self.memory(idx) else {
            return true;
        };
        let max = self.options().max_document_bytes;
        let mut push = |i: usize| -> bool {
            let Some(text) = memory.texts.get(i) else {
                return true;
            };
            out.push_document((idx, i as u64 + 1), text.len(), max, progress, |data| {
                data.extend_from_slice(text.as_bytes())
            })
        };
        match wanted {
            None => (0..memory.texts.len()).all(&mut push),
            Some(w) => w.iter().all(|&(line, _)| push((line - 1) as usize)),
        }
    }

    /// Reads the documents of store source `idx` (all, or the wanted ones) into
    /// batches as rows (`record::encode_row`); false when the receiver has hung up.
    fn read_store(
        &self,
        idx: usize,
        wanted: Option<&[(u64, u64)]>,
        progress: Option<&dyn ReadProgress>,
        out: &mut Batcher,
    ) -> Result<bool> {
        let Some(store) = self.store(idx) else {
            return Ok(true);
        };
        let max = self.options().max_document_bytes;
        let with_source = self.options().extra_field.is_some();
        let lines: Option<Vec<u64>> = wanted.map(|w| w.iter().map(|&(l, _)| l).collect());
        store.for_each(lines.as_deref(), &mut |line, id, source, text| {
            out.push_document((idx, line), text.len(), max, progress, |data| {
                let row = record::Row {
                    id: Some(id),
                    extra: source.filter(|_| with_source),
                    text: Some(text),
                };
                record::encode_row(data, row)
            })
        })
    }

    fn read_text(&self, idx: usize, mut r: impl Read, out: &mut Batcher) -> Result<bool> {
        let max = self.options().max_document_bytes;
        let start = out.batch.data.len();
        (&mut r)
            .take((max as u64).saturating_add(1))
            .read_to_end(&mut out.batch.data)
            .map_err(|e| Error::io(&self.sources()[idx].name, e))?;
        if out.batch.data.len() - start > max {
            out.batch.data.truncate(start);
            out.batch.oversized.push((idx as u32, 0));
        } else {
            out.batch.entries.push(Entry {
                source: idx as u32,
                line: 0,
                offset: 0,
                range: start..out.batch.data.len(),
            });
        }
        Ok(true)
    }

    /// Appends a line just read to the batch (skipping blank lines).
    fn push_line(
        out: &mut Batcher,
        idx: usize,
        line_no: u64,
        offset: u64,
        start: usize,
        line: Line,
    ) {
        match line {
            Line::Oversized => out.batch.oversized.push((idx as u32, line_no)),
            Line::Kept => {
                if out.batch.data[start..].iter().all(u8::is_ascii_whitespace) {
                    out.batch.data.truncate(start);
                } else {
                    out.batch.entries.push(Entry {
                        source: idx as u32,
                        line: line_no,
                        offset,
                        range: start..out.batch.data.len(),
                    });
                }
            }
        }
    }

    /// Sequential read of a JSON Lines stream, keeping all lines or the wanted ones.
    fn read_lines(
        &self,
        idx: usize,
        r: impl Read,
        wanted: Option<&[(u64, u64)]>,
        out: &mut Batcher,
    ) -> Result<bool> {
        let name = &self.sources()[idx].name;
        let max = self.options().max_document_bytes;
        let mut reader = BufReader::with_capacity(1 << 20, r);
        let mut line_no = 0u64;
        let mut offset = 0u64;
        let mut want_pos = 0usize;
        loop {
            line_no += 1;
            let keep = match wanted {
                None => true,
                Some(w) => {
                    if want_pos >= w.len() {
                        break;
                    }
                    w[want_pos].0 == line_no
                }
            };
            let start = out.batch.data.len();
            let Some((used, line)) = next_line(&mut reader, &mut out.batch.data, max, keep)
                .map_err(|e| Error::io(name, e))?
            else {
                break;
            };
            let line_offset = offset;
            offset += used;
            if !keep {
                continue;
            }
            want_pos += 1;
            Self::push_line(out, idx, line_no, line_offset, start, line);
            if !out.maybe_flush() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Reads a `.json` file holding one array of objects, keeping all elements or the
    /// wanted ones (by 1-based index; the file is parsed from its start on every
    /// pass). Each kept element is stored on one line, without the whitespace between
    /// its tokens when it spans several lines (JSON strings hold no raw newline), so it
    /// is a JSON Lines record for parsing and for `dedup`'s output. An element is held
    /// whole while it is read; one larger than the size limit is then dropped and
    /// reported as oversized.
    fn read_json_array(
        &self,
        idx: usize,
        r: impl Read,
        wanted: Option<&[(u64, u64)]>,
        out: &mut Batcher,
    ) -> Result<bool> {
        use serde::de::Deserializer as _;
        let name = &self.sources()[idx].name;
        let mut reader = BufReader::with_capacity(1 << 20, r);
        // A UTF-8 byte order mark is skipped (columns of line 1 then count from
        // after it).
        let head = reader.fill_buf().map_err(|e| Error::io(name, e))?;
        if head.starts_with(super::UTF8_BOM) {
            reader.consume(super::UTF8_BOM.len());
        }
        let mut state = ArrayState {
            idx: idx as u32,
            max: self.options().max_document_bytes,
            wanted,
            pos: 0,
            out,
            stop: None,
        };
        let mut de = serde_json::Deserializer::from_reader(reader);
        let res = (&mut de)
            .deserialize_seq(ArrayVisitor(&mut state))
            .and_then(|()| {
                if state.stop.is_none() {
                    de.end()
                } else {
                    Ok(())
                }
            });
        let expected = "a .json file must hold one JSON array of objects, [{...}, ...] \
                        (JSON Lines, one object per line, are read from .jsonl or .ndjson)";
        match (res, state.stop) {
            (_, Some(Stop::HungUp)) => Ok(false),
            (_, Some(Stop::Done)) => Ok(true),
            (Ok(()), None) => {
                if wanted.is_some_and(|w| state.pos < w.len()) {
                    return Err(Error::InputShrank { path: name.clone() });
                }
                Ok(true)
            }
            (Err(e), None) => {
                if e.is_io() {
                    return Err(Error::io(name, io::Error::other(e)));
                }
                let (line, column) = (e.line(), e.column());
                let mut message = e.to_string();
                if let Some(i) = message.rfind(" at line ") {
                    message.truncate(i);
                }
                Err(Error::JsonArray {
                    path: name.into(),
                    line,
                    column,
                    message: format!("{message}; {expected}"),
                })
            }
        }
    }

    /// Reads the wanted lines of an uncompressed JSON Lines file by seeking to the
    /// offsets recorded in an earlier pass.
    fn read_lines_at<R: Read + Seek>(
        &self,
        idx: usize,
        r: R,
        wanted: &[(u64, u64)],
        out: &mut Batcher,
    ) -> Result<bool> {
        let name = &self.sources()[idx].name;
        let max = self.options().max_document_bytes;
        let mut reader = BufReader::with_capacity(256 << 10, r);
        let mut pos = 0u64;
        for &(line_no, offset) in wanted {
            if offset < pos {
                return Err(Error::SelectionOrder {
                    path: name.clone(),
                    offset,
                });
            }
            reader
                .seek_relative((offset - pos) as i64)
                .map_err(|e| Error::io(name, e))?;
            let start = out.batch.data.len();
            let Some((used, line)) = next_line(&mut reader, &mut out.batch.data, max, true)
                .map_err(|e| Error::io(name, e))?
            else {
                return Err(Error::InputShrank { path: name.clone() });
            };
            pos = offset + used;
            Self::push_line(out, idx, line_no, offset, start, line);
            if !out.maybe_flush() {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Why reading a JSON array stopped before its end.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// Every wanted element was read.
    Done,
    /// The receiver of the batches hung up.
    HungUp,
}

struct ArrayState<'w, 'b, 'o> {
    idx: u32,
    max: usize,
    wanted: Option<&'w [(u64, u64)]>,
    pos: usize,
    out: &'o mut Batcher<'b>,
    stop: Option<Stop>,
}

/// Visits the top-level array of a `.json` file, storing its elements as records.
struct ArrayVisitor<'s, 'w, 'b, 'o>(&'s mut ArrayState<'w, 'b, 'o>);

impl<'de> serde::de::Visitor<'de> for ArrayVisitor<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array of objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::{Error as _, IgnoredAny};
        let st = self.0;
        let mut n = 0u64;
        loop {
            n += 1;
            let keep = match st.wanted {
                None => true,
                Some(w) if st.pos >= w.len() => {
                    st.stop = Some(Stop::Done);
                    return Err(A::Error::custom("done"));
                }
                Some(w) => w[st.pos].0 == n,
            };
            if !keep {
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Ok(());
                }
                continue;
            }
            let Some(raw) = seq.next_element::<Box<serde_json::value::RawValue>>()? else {
                return Ok(());
            };
            st.pos += 1;
            let bytes = raw.get().as_bytes();
            if bytes.len() > st.max {
                st.out.batch.oversized.push((st.idx, n));
            } else {
                let start = st.out.batch.data.len();
                push_compact(&mut st.out.batch.data, bytes);
                st.out.batch.entries.push(Entry {
                    source: st.idx,
                    line: n,
                    offset: n - 1,
                    range: start..st.out.batch.data.len(),
                });
            }
            if !st.out.maybe_flush() {
                st.stop = Some(Stop::HungUp);
                return Err(A::Error::custom("stopped"));
            }
        }
    }
}

/// Appends the JSON value `json` on one line: as it is when it has no line break,
/// else without the whitespace between its tokens.
fn push_compact(buf: &mut Vec<u8>, json: &[u8]) {
    if memchr::memchr2(b'\n', b'\r', json).is_none() {
        buf.extend_from_slice(json);
        return;
    }
    let (mut in_str, mut escaped) = (false, false);
    for &b in json {
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
            buf.push(b);
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            in_str = b == b'"';
            buf.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Option<Vec<u8>>> {
        let mut r = BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some((_, l)) = next_line(&mut r, &mut buf, max, true).unwrap() {
            out.push(match l {
                Line::Kept => Some(std::mem::take(&mut buf)),
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

    #[test]
    fn compacts_multi_line_json_outside_strings() {
        let mut buf = Vec::new();
        push_compact(
            &mut buf,
            b"{\n  \"a b\": \"x \\\" y\",\r\n  \"n\": [1, 2]\n}",
        );
        assert_eq!(buf, b"{\"a b\":\"x \\\" y\",\"n\":[1,2]}");
        buf.clear();
        push_compact(&mut buf, b"{\"a\": 1}");
        assert_eq!(buf, b"{\"a\": 1}");
    }

    #[test]
    fn appends_to_existing_buffer() {
        let mut r = BufReader::with_capacity(3, &b"abc\ndef\n"[..]);
        let mut buf = b"xy".to_vec();
        let (used, _) = next_line(&mut r, &mut buf, 10, true).unwrap().unwrap();
        assert_eq!(used, 4);
        assert_eq!(buf, b"xyabc");
    }
}
