//! Parquet sources (feature `parquet`): each row is a record, numbered from 1 in file
//! order; the id, text and extra field are columns.
//!
//! A file is read one row group at a time, and only the columns a run needs are
//! decoded (a projection). A later pass that wants only some rows ([`super::Selection`])
//! skips the row groups that hold none of them and selects the wanted rows inside the
//! others, so it does not decode the whole file again. Problems (not Parquet, a
//! missing column, a column of a type that cannot be read, a corrupt row group) are
//! errors naming the file, and the row group when it is one; the decoder is run under
//! `catch_unwind` so that a file that makes it panic is an error too.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef, TimeUnit};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder, RowSelection, RowSelectionPolicy, RowSelector,
};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::PageIndexPolicy;

use super::reader::{Batcher, Entry};
use super::record::{encode_row, Row};
use super::{Corpus, ReadOptions, ReadProgress, RowSpool};
use crate::error::{Error, Result};

/// Rows decoded at a time: small enough that one batch of long texts stays a few
/// MiB, large enough that per-batch costs vanish.
const BATCH_ROWS: usize = 1024;

/// An open Parquet file and its metadata (read once from the footer).
pub(crate) struct ParquetFile {
    file: File,
    path: PathBuf,
    meta: ArrowReaderMetadata,
    /// The metadata with some string columns read as views ([`ParquetFile::use_views`]).
    view_meta: Option<ArrowReaderMetadata>,
    name: String,
    /// Rows per chunk when several threads decode ([`CHUNK_ROWS`]; smaller in tests).
    chunk_rows: u64,
}

/// Runs the Parquet decoder, turning a panic into an error.
fn guard<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        format!("the Parquet decoder failed ({what})")
    })
}

impl ParquetFile {
    /// Opens `path` (shown as `name`) and reads its footer.
    pub(crate) fn open(path: &std::path::Path, name: &str) -> Result<ParquetFile> {
        let file = File::open(path).map_err(|e| Error::io(name, e))?;
        let bad = |message: String| Error::Parquet {
            location: name.to_owned(),
            message,
        };
        // The offset index (where each page starts), when the file has one, lets a
        // selection skip whole pages without decompressing them.
        let options = ArrowReaderOptions::new().with_offset_index_policy(PageIndexPolicy::Optional);
        let meta = guard(|| ArrowReaderMetadata::load(&file, options))
            .map_err(&bad)?
            .map_err(|e| bad(format!("not a readable Parquet file: {e}")))?;
        Ok(ParquetFile {
            file,
            path: path.to_owned(),
            meta,
            view_meta: None,
            name: name.to_owned(),
            chunk_rows: CHUNK_ROWS,
        })
    }

    /// Reads the string columns among `columns` as string views when the whole file
    /// is read: a view points into the decompressed page (for plain-encoded pages)
    /// instead of copying each value into an array of its own. Selections keep
    /// copying, so that a batch of a few wanted rows does not hold many pages. Left
    /// as it is when the decoder does not take the schema.
    fn use_views(&mut self, columns: &[usize]) {
        let schema = self.schema();
        let fields: Vec<arrow_schema::FieldRef> = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if columns.contains(&i)
                    && matches!(f.data_type(), DataType::Utf8 | DataType::LargeUtf8)
                {
                    Arc::new(f.as_ref().clone().with_data_type(DataType::Utf8View))
                } else {
                    f.clone()
                }
            })
            .collect();
        let schema = Arc::new(arrow_schema::Schema::new_with_metadata(
            fields,
            schema.metadata().clone(),
        ));
        let options = ArrowReaderOptions::new().with_schema(schema);
        let md = self.meta.metadata().clone();
        self.view_meta = guard(|| ArrowReaderMetadata::try_new(md, options))
            .ok()
            .and_then(|r| r.ok());
    }

    /// The Arrow schema of the file.
    pub(crate) fn schema(&self) -> &SchemaRef {
        self.meta.schema()
    }

    /// The compression of the file's first column chunk (what `dedup` writes with).
    pub(crate) fn compression(&self) -> parquet::basic::Compression {
        let md = self.meta.metadata();
        if md.num_row_groups() > 0 && md.row_group(0).num_columns() > 0 {
            md.row_group(0).column(0).compression()
        } else {
            parquet::basic::Compression::SNAPPY
        }
    }

    /// The index and type of the top-level column `name`.
    fn column(&self, name: &str) -> Option<(usize, &DataType)> {
        self.schema()
            .fields()
            .iter()
            .position(|f| f.name() == name)
            .map(|i| (i, self.schema().field(i).data_type()))
    }

    /// The names of the columns, for messages.
    fn column_list(&self) -> String {
        let names: Vec<String> = self
            .schema()
            .fields()
            .iter()
            .map(|f| format!("{:?}", f.name()))
            .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }

    fn error(&self, message: String) -> Error {
        Error::Parquet {
            location: self.name.clone(),
            message,
        }
    }

    /// The number of rows of each row group.
    fn group_rows(&self) -> Vec<u64> {
        let md = self.meta.metadata();
        (0..md.num_row_groups())
            .map(|g| md.row_group(g).num_rows().max(0) as u64)
            .collect()
    }

    fn group_location(&self, g: usize, first: u64, rows: u64) -> String {
        format!(
            "{}: row group {} of {} (rows {}-{})",
            self.name,
            g + 1,
            self.meta.metadata().num_row_groups(),
            first,
            first + rows.saturating_sub(1)
        )
    }

    /// Streams the rows of the top-level `columns` (every column when `None`), only
    /// the 1-based `rows` when given (sorted, without repeats), as record batches in
    /// file order; `f` gets each batch with the row number of each of its rows.
    ///
    /// With `decoders` above 1 the rows are cut into chunks of [`CHUNK_ROWS`] that
    /// many threads decompress and decode at once (chunk `i` on thread `i % decoders`,
    /// each skipping the others' pages), and `f` still sees them in file order. A
    /// whole read (no `rows`) with [`ParquetFile::use_views`] decodes string columns
    /// as views into the decompressed pages instead of copying every value.
    pub(crate) fn for_each_batch(
        &self,
        columns: Option<&[usize]>,
        rows: Option<&[u64]>,
        progress: Option<&dyn ReadProgress>,
        decoders: usize,
        mut f: impl FnMut(&RecordBatch, &[u64]) -> Result<bool>,
    ) -> Result<bool> {
        let meta = match (&self.view_meta, rows) {
            (Some(v), None) => v,
            _ => &self.meta,
        };
        let mask = match columns {
            Some(c) => ProjectionMask::roots(meta.parquet_schema(), c.iter().copied()),
            None => ProjectionMask::all(),
        };
        let chunks = self.chunks(
            rows,
            if decoders > 1 {
                self.chunk_rows
            } else {
                u64::MAX
            },
        )?;
        let decoders = decoders.clamp(1, chunks.len().max(1));
        // Progress: each row group's compressed size, spread over its rows.
        let md = self.meta.metadata();
        let mut group_base = Vec::with_capacity(md.num_row_groups() + 1);
        group_base.push(0u64);
        for g in 0..md.num_row_groups() {
            let size = md.row_group(g).compressed_size().max(0) as u64;
            group_base.push(group_base[g] + size);
        }
        let total = *group_base.last().expect("one entry at least");
        let mut advanced = 0u64;
        let mut advance = |to: u64| {
            if let Some(p) = progress {
                if to > advanced {
                    p.advance(to - advanced);
                    advanced = to;
                }
            }
        };
        let mut numbers: Vec<u64> = Vec::with_capacity(BATCH_ROWS);
        let mut deliver = |chunk: &Chunk,
                           batch: &RecordBatch,
                           done: u64,
                           f: &mut dyn FnMut(&RecordBatch, &[u64]) -> Result<bool>|
         -> Result<bool> {
            let len = batch.num_rows() as u64;
            numbers.clear();
            match rows {
                Some(w) => numbers.extend_from_slice(
                    &w[(chunk.wanted.start as u64 + done) as usize..][..len as usize],
                ),
                None => numbers.extend(chunk.start + done..chunk.start + done + len),
            }
            f(batch, &numbers)
        };
        let progress_to = |chunk: &Chunk, done: u64| {
            let n = chunk.group_rows.max(1);
            let size = group_base[chunk.group + 1] - group_base[chunk.group];
            let at = chunk.start - chunk.group_first;
            let span = chunk.end - chunk.start;
            let part = (span * done).checked_div(chunk.expected).unwrap_or(span);
            group_base[chunk.group] + size * (at + part) / n
        };
        if decoders == 1 {
            // One reader per row group, on this thread.
            let mut i = 0;
            while i < chunks.len() {
                let g = chunks[i].group;
                let k = chunks[i..].partition_point(|c| c.group == g);
                let group = &chunks[i..i + k];
                i += k;
                let mut reader = self.group_reader(meta, &mask, group, rows, &self.file)?;
                for chunk in group {
                    let mut done = 0u64;
                    while done < chunk.expected {
                        let Some(batch) = reader.next_batch()? else {
                            return Err(chunk.short(self, done));
                        };
                        let len = (batch.num_rows() as u64).min(chunk.expected - done);
                        let batch = batch.slice(0, len as usize);
                        if !deliver(chunk, &batch, done, &mut f)? {
                            return Ok(false);
                        }
                        done += len;
                        advance(progress_to(chunk, done));
                    }
                }
                if reader.next_batch()?.is_some() {
                    return Err(group[0].long(self));
                }
            }
            advance(total);
            return Ok(true);
        }
        std::thread::scope(|scope| {
            let mut streams = Vec::with_capacity(decoders);
            for t in 0..decoders {
                let (tx, rx) = sync_channel::<Result<RecordBatch>>(1);
                let mine: Vec<&Chunk> = chunks.iter().skip(t).step_by(decoders).collect();
                let mask = &mask;
                scope.spawn(move || {
                    let run = || -> Result<()> {
                        let file = File::open(&self.path).map_err(|e| Error::io(&self.name, e))?;
                        let mut i = 0;
                        while i < mine.len() {
                            let g = mine[i].group;
                            let k = mine[i..].partition_point(|c| c.group == g);
                            let group: Vec<Chunk> =
                                mine[i..i + k].iter().map(|c| (*c).clone()).collect();
                            i += k;
                            let mut reader = self.group_reader(meta, mask, &group, rows, &file)?;
                            while let Some(batch) = reader.next_batch()? {
                                if tx.send(Ok(batch)).is_err() {
                                    return Ok(());
                                }
                            }
                        }
                        Ok(())
                    };
                    if let Err(e) = run() {
                        let _ = tx.send(Err(e));
                    }
                });
                streams.push(Stream { rx, held: None });
            }
            for (i, chunk) in chunks.iter().enumerate() {
                let stream = &mut streams[i % decoders];
                let mut done = 0u64;
                while done < chunk.expected {
                    let (batch, at) = match stream.held.take() {
                        Some(h) => h,
                        None => match stream.rx.recv() {
                            Ok(b) => (b?, 0),
                            Err(_) => return Err(chunk.short(self, done)),
                        },
                    };
                    let len = ((batch.num_rows() - at) as u64).min(chunk.expected - done);
                    let part = batch.slice(at, len as usize);
                    if at + (len as usize) < batch.num_rows() {
                        stream.held = Some((batch, at + len as usize));
                    }
                    if !deliver(chunk, &part, done, &mut f)? {
                        return Ok(false);
                    }
                    done += len;
                    advance(progress_to(chunk, done));
                }
            }
            for (t, stream) in streams.iter_mut().enumerate() {
                let extra = stream.held.is_some() || matches!(stream.rx.recv(), Ok(Ok(_)));
                if extra {
                    let last = chunks.iter().skip(t).step_by(decoders).next_back();
                    return Err(last.expect("a chunk per decoder").long(self));
                }
            }
            advance(total);
            Ok(true)
        })
    }

    /// The chunks to read: row ranges of at most `size` rows inside each row group,
    /// with the `rows` wanted in each (those without any are left out).
    fn chunks(&self, rows: Option<&[u64]>, size: u64) -> Result<Vec<Chunk>> {
        let mut out = Vec::new();
        let mut first = 1u64;
        let mut taken = 0usize; // wanted rows placed so far
        for (g, n) in self.group_rows().into_iter().enumerate() {
            let group_first = first;
            let end = first + n;
            first = end;
            let mut start = group_first;
            while start < end {
                let stop = end.min(start.saturating_add(size));
                let wanted = match rows {
                    Some(w) => {
                        let k = w[taken..].partition_point(|&r| r < stop);
                        let r = taken..taken + k;
                        taken += k;
                        r
                    }
                    None => 0..0,
                };
                let expected = match rows {
                    Some(_) => wanted.len() as u64,
                    None => stop - start,
                };
                if expected > 0 {
                    out.push(Chunk {
                        group: g,
                        group_first,
                        group_rows: n,
                        start,
                        end: stop,
                        wanted,
                        expected,
                    });
                }
                start = stop;
            }
        }
        if rows.is_some_and(|w| taken < w.len()) {
            return Err(Error::InputShrank {
                path: self.name.clone(),
            });
        }
        Ok(out)
    }

    /// A reader of the `chunks` (all of one row group, in order) and nothing else of
    /// that group: the rows of the chunks, or only the wanted ones among them.
    fn group_reader(
        &self,
        meta: &ArrowReaderMetadata,
        mask: &ProjectionMask,
        chunks: &[Chunk],
        rows: Option<&[u64]>,
        file: &File,
    ) -> Result<GroupReader> {
        let c0 = &chunks[0];
        let location = self.group_location(c0.group, c0.group_first, c0.group_rows);
        let bad = |message: String| Error::Parquet {
            location: location.clone(),
            message,
        };
        let file = file.try_clone().map_err(|e| Error::io(&self.name, e))?;
        let mut builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, meta.clone())
            .with_row_groups(vec![c0.group])
            .with_projection(mask.clone())
            .with_batch_size(BATCH_ROWS);
        let whole = rows.is_none()
            && chunks.len() == 1
            && c0.start == c0.group_first
            && c0.end == c0.group_first + c0.group_rows;
        if !whole {
            let mut selectors = Vec::new();
            let mut next = c0.group_first;
            for c in chunks {
                match rows {
                    Some(w) => push_selection(&mut selectors, &mut next, &w[c.wanted.clone()]),
                    None => {
                        if c.start > next {
                            selectors.push(RowSelector::skip((c.start - next) as usize));
                        }
                        selectors.push(RowSelector::select((c.end - c.start) as usize));
                        next = c.end;
                    }
                }
            }
            // Skipped rows are skipped, never decoded: the default policy decodes
            // every row and filters when the selected runs are short (as a
            // pass-2 selection's are), which costs as much as reading it all.
            builder = builder
                .with_row_selection(RowSelection::from(selectors))
                .with_row_selection_policy(RowSelectionPolicy::Selectors);
        }
        let reader = guard(|| builder.build())
            .map_err(&bad)?
            .map_err(|e| bad(e.to_string()))?;
        Ok(GroupReader { reader, location })
    }
}

/// Rows per chunk when several threads decode a file: large enough that the page
/// at each chunk's end, which two threads decompress, costs little (a chunk spans
/// about a hundred 1 MiB pages of a corpus of 4 KiB documents).
const CHUNK_ROWS: u64 = 32 * 1024;

/// A run of rows of one row group that one decoder thread reads.
#[derive(Debug, Clone)]
struct Chunk {
    group: usize,
    group_first: u64,
    group_rows: u64,
    /// The 1-based rows `start..end`.
    start: u64,
    end: u64,
    /// Where the chunk's wanted rows are in the selection (when there is one).
    wanted: std::ops::Range<usize>,
    /// The rows it yields.
    expected: u64,
}

impl Chunk {
    fn location(&self, file: &ParquetFile) -> String {
        file.group_location(self.group, self.group_first, self.group_rows)
    }

    fn short(&self, file: &ParquetFile, done: u64) -> Error {
        Error::Parquet {
            location: self.location(file),
            message: format!(
                "corrupt or truncated: {done} rows decoded of rows {}-{}, {} expected",
                self.start,
                self.end - 1,
                self.expected
            ),
        }
    }

    fn long(&self, file: &ParquetFile) -> Error {
        Error::Parquet {
            location: self.location(file),
            message: format!(
                "holds more rows than its metadata says ({})",
                self.group_rows
            ),
        }
    }
}

/// A decoder thread's batches and the unread rest of the last one received.
struct Stream {
    rx: Receiver<Result<RecordBatch>>,
    held: Option<(RecordBatch, usize)>,
}

/// A record batch reader of one row group, whose failures name the group.
struct GroupReader {
    reader: ParquetRecordBatchReader,
    location: String,
}

impl GroupReader {
    fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        let bad = |message: String| Error::Parquet {
            location: self.location.clone(),
            message,
        };
        match guard(|| self.reader.next()).map_err(bad)? {
            None => Ok(None),
            Some(Ok(b)) => Ok(Some(b)),
            Some(Err(e)) => Err(Error::Parquet {
                location: self.location.clone(),
                message: format!("corrupt or truncated: {e}"),
            }),
        }
    }
}

/// Appends to `selectors` the selection of the 1-based `rows` (sorted), skipping
/// from `next` (the first row not yet covered) to the first of them.
fn push_selection(selectors: &mut Vec<RowSelector>, next: &mut u64, rows: &[u64]) {
    let mut i = 0;
    while i < rows.len() {
        let start = rows[i];
        let mut run = 1usize;
        while i + run < rows.len() && rows[i + run] == start + run as u64 {
            run += 1;
        }
        if start > *next {
            selectors.push(RowSelector::skip((start - *next) as usize));
        }
        selectors.push(RowSelector::select(run));
        *next = start + run as u64;
        i += run;
    }
}

/// The row selection of the wanted 1-based `rows` in a row group starting at row
/// `first`.
#[cfg(test)]
fn selection(rows: &[u64], first: u64) -> RowSelection {
    let mut selectors = Vec::new();
    let mut next = first;
    push_selection(&mut selectors, &mut next, rows);
    RowSelection::from(selectors)
}

/// A column of strings, of any of Arrow's three string layouts.
enum Strings<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
}

impl<'a> Strings<'a> {
    fn of(a: &'a ArrayRef) -> Option<Strings<'a>> {
        Some(match a.data_type() {
            DataType::Utf8 => Strings::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Strings::Large(a.as_string::<i64>()),
            DataType::Utf8View => Strings::View(a.as_string_view()),
            _ => return None,
        })
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Strings::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Strings::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Strings::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn is_integer(t: &DataType) -> bool {
    t.is_integer()
}

/// True for the types an extra field (a date, a score) can be read from.
fn is_scalar(t: &DataType) -> bool {
    is_string(t)
        || t.is_integer()
        || matches!(
            t,
            DataType::Float32
                | DataType::Float64
                | DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(_, _)
        )
}

/// Writes value `i` of a string, integer, float, date or timestamp column into `out`
/// as text (numbers as JSON writes them, dates and times as ISO 8601, UTC); false
/// when it is null or of another type.
fn scalar_text(a: &ArrayRef, i: usize, out: &mut String) -> bool {
    use std::fmt::Write;
    out.clear();
    if a.is_null(i) {
        return false;
    }
    macro_rules! num {
        ($t:ty) => {{
            let _ = write!(out, "{}", a.as_primitive::<$t>().value(i));
        }};
    }
    match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            if let Some(s) = Strings::of(a).and_then(|s| s.get(i)) {
                out.push_str(s);
            }
        }
        DataType::Int8 => num!(Int8Type),
        DataType::Int16 => num!(Int16Type),
        DataType::Int32 => num!(Int32Type),
        DataType::Int64 => num!(Int64Type),
        DataType::UInt8 => num!(UInt8Type),
        DataType::UInt16 => num!(UInt16Type),
        DataType::UInt32 => num!(UInt32Type),
        DataType::UInt64 => num!(UInt64Type),
        DataType::Float32 => {
            let v = a.as_primitive::<Float32Type>().value(i);
            if !v.is_finite() {
                return false;
            }
            let _ = write!(out, "{}", f64::from(v));
        }
        DataType::Float64 => {
            let v = a.as_primitive::<Float64Type>().value(i);
            if !v.is_finite() {
                return false;
            }
            let _ = write!(out, "{v}");
        }
        DataType::Date32 => {
            let days = a.as_primitive::<Date32Type>().value(i) as i64;
            write_instant(out, days * 86_400, 0, false);
        }
        DataType::Date64 => {
            let ms = a.as_primitive::<Date64Type>().value(i);
            write_instant(
                out,
                ms.div_euclid(1000),
                (ms.rem_euclid(1000) * 1_000_000) as u32,
                false,
            );
        }
        DataType::Timestamp(unit, _) => {
            let (v, per_sec) = match unit {
                TimeUnit::Second => (a.as_primitive::<TimestampSecondType>().value(i), 1),
                TimeUnit::Millisecond => {
                    (a.as_primitive::<TimestampMillisecondType>().value(i), 1_000)
                }
                TimeUnit::Microsecond => (
                    a.as_primitive::<TimestampMicrosecondType>().value(i),
                    1_000_000,
                ),
                TimeUnit::Nanosecond => (
                    a.as_primitive::<TimestampNanosecondType>().value(i),
                    1_000_000_000,
                ),
            };
            let nanos = v.rem_euclid(per_sec) * (1_000_000_000 / per_sec);
            write_instant(out, v.div_euclid(per_sec), nanos as u32, true);
        }
        _ => return false,
    }
    true
}

/// Writes `secs` since the epoch as `YYYY-MM-DD` (`time` false) or
/// `YYYY-MM-DDThh:mm:ss[.fffffffff]Z`.
fn write_instant(out: &mut String, secs: i64, nanos: u32, time: bool) {
    use std::fmt::Write;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
    if time {
        let _ = write!(
            out,
            "T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        if nanos > 0 {
            let _ = write!(out, ".{nanos:09}");
        }
        out.push('Z');
    }
}

/// Where the needed columns are in a file, checked against the read options.
struct Layout {
    text: usize,
    id: Option<usize>,
    extra: Option<usize>,
}

/// The columns a source needs: an error naming the file when the text column is
/// missing or not a string column, or the id column is neither strings nor integers.
/// A missing id column gives `FILE:ROW` ids; a missing extra column or one of another
/// type gives no values (as absent JSON fields do).
fn layout(file: &ParquetFile, o: &ReadOptions) -> Result<Layout> {
    let Some((text, t)) = file.column(&o.text_field) else {
        return Err(file.error(format!(
            "no column {:?} (the text field); the columns are {}",
            o.text_field,
            file.column_list()
        )));
    };
    if !is_string(t) {
        return Err(file.error(format!(
            "column {:?} (the text field) is {t}, not a string column",
            o.text_field
        )));
    }
    let id = match file.column(&o.id_field) {
        Some((i, t)) if is_string(t) || is_integer(t) => Some(i),
        Some((_, t)) => {
            return Err(file.error(format!(
                "column {:?} (the id field) is {t}; ids must be strings or integers",
                o.id_field
            )))
        }
        None => None,
    };
    let extra = o
        .extra_field
        .as_deref()
        .and_then(|name| file.column(name))
        .filter(|(_, t)| is_scalar(t))
        .map(|(i, _)| i);
    Ok(Layout { text, id, extra })
}

/// Checks that `path` is a Parquet file with the columns `options` need (what
/// [`Corpus::open`] does before any reading starts).
pub(super) fn check(path: &std::path::Path, name: &str, options: &ReadOptions) -> Result<()> {
    layout(&ParquetFile::open(path, name)?, options).map(|_| ())
}

impl Corpus {
    /// Reads the rows of Parquet source `idx` (all, or the wanted ones) into batches;
    /// false when the receiver has hung up.
    pub(super) fn read_parquet(
        &self,
        idx: usize,
        wanted: Option<&[(u64, u64)]>,
        progress: Option<&dyn ReadProgress>,
        out: &mut Batcher,
    ) -> Result<bool> {
        let source = &self.sources()[idx];
        // Rows a full read copied to a spool come from there.
        let mut wanted = wanted;
        if let Some(w) = wanted {
            match self.read_spooled_rows(idx, w, out)? {
                Spooled::Stop => return Ok(false),
                Spooled::Rest([]) => {
                    if let Some(p) = progress {
                        p.advance(source.size);
                    }
                    return Ok(true);
                }
                Spooled::Rest(rest) => wanted = Some(rest),
            }
        }
        let mut file = ParquetFile::open(&source.path, &source.name)?;
        let layout = layout(&file, self.options())?;
        let mut columns = vec![layout.text];
        columns.extend(layout.id);
        columns.extend(layout.extra);
        columns.sort_unstable();
        columns.dedup();
        // The position of each needed column in the projected batch.
        let pos = |c: usize| columns.binary_search(&c).expect("projected");
        file.use_views(&columns);
        let (text_at, id_at, extra_at) =
            (pos(layout.text), layout.id.map(pos), layout.extra.map(pos));
        let mut copy = match wanted {
            None if self.spool_rows => RowCopy::start(self, idx),
            _ => None,
        };
        let rows: Option<Vec<u64>> = wanted.map(|w| w.iter().map(|&(l, _)| l).collect());
        let max = self.options().max_document_bytes;
        let mut id_buf = String::new();
        let mut extra_buf = String::new();
        let more = file.for_each_batch(
            Some(&columns),
            rows.as_deref(),
            progress,
            out.decoders,
            |batch, numbers| {
                let text = Strings::of(batch.column(text_at)).expect("checked a string column");
                let id_col = id_at.map(|i| batch.column(i));
                let id_strings = id_col.and_then(Strings::of);
                let extra_col = extra_at.map(|i| batch.column(i));
                for (i, &row) in numbers.iter().enumerate() {
                    let t = text.get(i);
                    if t.is_some_and(|t| t.len() > max) {
                        out.batch.oversized.push((idx as u32, row));
                        if let Some(c) = &mut copy {
                            c.skip(row);
                        }
                        continue;
                    }
                    let id = match (&id_strings, id_col) {
                        (Some(s), _) => s.get(i),
                        (None, Some(c)) => {
                            scalar_text(c, i, &mut id_buf).then_some(id_buf.as_str())
                        }
                        (None, None) => None,
                    };
                    let extra = extra_col
                        .filter(|c| scalar_text(c, i, &mut extra_buf))
                        .map(|_| extra_buf.as_str());
                    let start = out.batch.data.len();
                    encode_row(&mut out.batch.data, Row { id, extra, text: t });
                    if let Some(c) = &mut copy {
                        if !c.push(row, &out.batch.data[start..]) {
                            copy = None;
                        }
                    }
                    out.batch.entries.push(Entry {
                        source: idx as u32,
                        line: row,
                        offset: row - 1,
                        range: start..out.batch.data.len(),
                    });
                    if !out.maybe_flush() {
                        return Ok(false);
                    }
                }
                Ok(true)
            },
        );
        // What was copied is kept, even when the reading stopped early (its rows are
        // whole); after an error it is dropped, and removed.
        if let (Ok(_), Some(c)) = (&more, copy) {
            c.finish(self);
        }
        more
    }

    /// Reads the rows of `wanted` that a full read of Parquet source `idx` copied to
    /// a spool ([`RowSpool`]) into batches. They are the first rows of the file, so
    /// the rest (read from the file) follow them in order.
    fn read_spooled_rows<'w>(
        &self,
        idx: usize,
        wanted: &'w [(u64, u64)],
        out: &mut Batcher,
    ) -> Result<Spooled<'w>> {
        let spools = self.row_spools.lock().unwrap_or_else(|e| e.into_inner());
        let Some(rs) = spools.iter().find(|r| r.source == idx) else {
            return Ok(Spooled::Rest(wanted));
        };
        let copied = wanted.partition_point(|&(row, _)| row < rs.offsets.len() as u64);
        let range = |row: u64| rs.offsets[row as usize - 1]..rs.offsets[row as usize];
        // A selected row that was not copied (too large then; it is an error to read
        // now): all from the file, which says so.
        if wanted[..copied]
            .iter()
            .any(|&(row, _)| row == 0 || range(row).is_empty())
        {
            return Ok(Spooled::Rest(wanted));
        }
        let path = rs.spool.path();
        let fail = |e| Error::io(path.display().to_string(), e);
        let mut file = File::open(path).map_err(fail)?;
        for &(row, _) in &wanted[..copied] {
            let r = range(row);
            let start = out.batch.data.len();
            out.batch.data.resize(start + (r.end - r.start) as usize, 0);
            file.seek(std::io::SeekFrom::Start(r.start))
                .and_then(|_| file.read_exact(&mut out.batch.data[start..]))
                .map_err(fail)?;
            out.batch.entries.push(Entry {
                source: idx as u32,
                line: row,
                offset: row - 1,
                range: start..out.batch.data.len(),
            });
            if !out.maybe_flush() {
                return Ok(Spooled::Stop);
            }
        }
        Ok(Spooled::Rest(&wanted[copied..]))
    }

    /// Opens Parquet source `idx` for writing its rows back (`dedup`).
    pub(crate) fn parquet_file(&self, idx: usize) -> Result<ParquetFile> {
        let s = &self.sources()[idx];
        ParquetFile::open(&s.path, &s.name)
    }
}

/// What is left of a selection once its spooled rows are read.
enum Spooled<'w> {
    /// The receiver hung up.
    Stop,
    /// The rows still to read from the file.
    Rest(&'w [(u64, u64)]),
}

/// A [`RowSpool`] being written during a full read: each row's encoded bytes, in row
/// order, up to a size limit (half the temporary directory's free space when the
/// read starts); rows past it are not copied.
struct RowCopy {
    source: usize,
    writer: reprint_fs::SpoolWriter,
    offsets: Vec<u64>,
    limit: u64,
    // False once the limit is reached: later rows are not copied.
    open: bool,
}

impl RowCopy {
    /// A copy of source `idx`, unless one exists or there is no room (or no way to
    /// know the room) for it.
    fn start(corpus: &Corpus, idx: usize) -> Option<RowCopy> {
        let spools = corpus.row_spools.lock().unwrap_or_else(|e| e.into_inner());
        if spools.iter().any(|r| r.source == idx) {
            return None;
        }
        let limit = corpus
            .row_spool_limit
            .or_else(reprint_fs::spool_limit)
            .filter(|&l| l > 0)?;
        Some(RowCopy {
            source: idx,
            writer: reprint_fs::Spool::writer().ok()?,
            offsets: vec![0],
            limit,
            open: true,
        })
    }

    /// Copies row `row`'s bytes (rows come in order, from 1); false when the copy is
    /// to be dropped (a write failed, or rows came out of order).
    fn push(&mut self, row: u64, bytes: &[u8]) -> bool {
        if !self.open {
            return true;
        }
        if row != self.offsets.len() as u64 {
            return false;
        }
        if self.writer.written() + bytes.len() as u64 > self.limit {
            self.open = false;
            return true;
        }
        if self.writer.write_all(bytes).is_err() {
            return false;
        }
        self.offsets.push(self.writer.written());
        true
    }

    /// Row `row` is not copied (an empty range).
    fn skip(&mut self, row: u64) {
        if self.open && row == self.offsets.len() as u64 {
            self.offsets.push(self.writer.written());
        }
    }

    /// Keeps the copy in the corpus for later passes.
    fn finish(self, corpus: &Corpus) {
        let Ok(spool) = self.writer.finish() else {
            return;
        };
        corpus
            .row_spools
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(RowSpool {
                source: self.source,
                spool,
                offsets: self.offsets,
            });
    }
}

/// Writes Parquet: record batches of one schema to `out`, a row group at a time,
/// through an in-memory buffer drained after every batch (so `out` need not be
/// `Send` or seekable).
pub(crate) struct ParquetSink {
    writer: parquet::arrow::ArrowWriter<Vec<u8>>,
}

impl ParquetSink {
    /// A writer of `schema`, compressing with `compression`.
    pub(crate) fn new(
        schema: SchemaRef,
        compression: parquet::basic::Compression,
    ) -> parquet::errors::Result<ParquetSink> {
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(compression)
            .build();
        let writer = parquet::arrow::ArrowWriter::try_new(Vec::new(), schema, Some(props))?;
        Ok(ParquetSink { writer })
    }

    /// Writes `batch`, then what the writer has finished to `out`.
    pub(crate) fn write(
        &mut self,
        batch: &RecordBatch,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.writer.write(batch).map_err(std::io::Error::other)?;
        let done = std::mem::take(self.writer.inner_mut());
        out.write_all(&done)
    }

    /// Ends the file (the last row group and the footer) into `out`.
    pub(crate) fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let rest = self.writer.into_inner().map_err(std::io::Error::other)?;
        out.write_all(&rest)
    }
}

/// The schema `schema` with `fields` added at the end.
pub(crate) fn with_fields(schema: &SchemaRef, fields: Vec<arrow_schema::Field>) -> SchemaRef {
    let mut all: Vec<arrow_schema::FieldRef> = schema.fields().iter().cloned().collect();
    all.extend(fields.into_iter().map(Arc::new));
    Arc::new(arrow_schema::Schema::new_with_metadata(
        all,
        schema.metadata().clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_skip_and_select_runs() {
        let s = selection(&[11, 12, 13, 20, 22], 10);
        let v: Vec<RowSelector> = s.into();
        assert_eq!(
            v,
            vec![
                RowSelector::skip(1),
                RowSelector::select(3),
                RowSelector::skip(6),
                RowSelector::select(1),
                RowSelector::skip(1),
                RowSelector::select(1),
            ]
        );
        let v: Vec<RowSelector> = selection(&[1, 2], 1).into();
        assert_eq!(v, vec![RowSelector::select(2)]);
    }

    /// Every row, or the wanted ones, read with `decoders` threads: (row, id, text).
    fn read_all(
        file: &ParquetFile,
        rows: Option<&[u64]>,
        decoders: usize,
    ) -> Vec<(u64, String, String)> {
        let mut out = Vec::new();
        file.for_each_batch(Some(&[0, 1]), rows, None, decoders, |batch, numbers| {
            let ids = Strings::of(batch.column(0)).unwrap();
            let texts = Strings::of(batch.column(1)).unwrap();
            for (i, &n) in numbers.iter().enumerate() {
                let id = ids.get(i).unwrap().to_owned();
                out.push((n, id, texts.get(i).unwrap_or("-").to_owned()));
            }
            Ok(true)
        })
        .unwrap();
        out
    }

    #[test]
    fn several_decoders_give_the_rows_in_file_order() {
        use arrow_array::StringArray;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let schema = Arc::new(arrow_schema::Schema::new(vec![
            arrow_schema::Field::new("id", DataType::Utf8, false),
            arrow_schema::Field::new("text", DataType::Utf8, true),
        ]));
        let props = parquet::file::properties::WriterProperties::builder()
            .set_max_row_group_row_count(Some(300))
            .set_data_page_row_count_limit(16)
            .set_write_batch_size(16)
            .build();
        let mut w = parquet::arrow::ArrowWriter::try_new(
            File::create(&path).unwrap(),
            schema.clone(),
            Some(props),
        )
        .unwrap();
        let n = 1000usize;
        let ids: Vec<String> = (1..=n).map(|i| format!("d{i}")).collect();
        let texts: Vec<Option<String>> = (1..=n)
            .map(|i| (i % 7 != 0).then(|| format!("text of row {i} {}", "x".repeat(i % 50))))
            .collect();
        for k in (0..n).step_by(128) {
            let end = (k + 128).min(n);
            let batch = RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(StringArray::from(ids[k..end].to_vec())),
                    Arc::new(StringArray::from(texts[k..end].to_vec())),
                ],
            )
            .unwrap();
            w.write(&batch).unwrap();
        }
        w.close().unwrap();
        let expect: Vec<(u64, String, String)> = (1..=n)
            .map(|i| {
                let t = texts[i - 1].clone().unwrap_or_else(|| "-".into());
                (i as u64, ids[i - 1].clone(), t)
            })
            .collect();
        let mut file = ParquetFile::open(&path, "t.parquet").unwrap();
        file.chunk_rows = 70;
        let wanted: Vec<u64> = (1..=n as u64).filter(|r| r % 13 < 3 || *r > 990).collect();
        let picked: Vec<_> = expect
            .iter()
            .filter(|e| wanted.contains(&e.0))
            .cloned()
            .collect();
        for views in [false, true] {
            if views {
                file.use_views(&[0, 1]);
                assert!(file.view_meta.is_some());
            }
            for decoders in [1, 2, 3] {
                assert_eq!(
                    read_all(&file, None, decoders),
                    expect,
                    "{decoders} {views}"
                );
                assert_eq!(read_all(&file, Some(&wanted), decoders), picked);
            }
        }
        // A selection past the end is the file having shrunk.
        assert!(matches!(
            file.for_each_batch(Some(&[1]), Some(&[5, 1001]), None, 2, |_, _| Ok(true)),
            Err(Error::InputShrank { .. })
        ));
        // Stopping early stops every decoder.
        let mut seen = 0;
        let more = file
            .for_each_batch(Some(&[1]), None, None, 3, |_, numbers| {
                seen += numbers.len();
                Ok(seen < 100)
            })
            .unwrap();
        assert!(!more && seen >= 100 && seen < n);
    }

    /// Reads `corpus` whole or the `wanted` rows of its one source: (row, id, text)
    /// of each record, then the oversized rows.
    fn corpus_rows(
        corpus: &Corpus,
        wanted: Option<&[u64]>,
    ) -> (Vec<(u64, String, String)>, Vec<u64>) {
        let selection = wanted.map(|w| {
            let mut s = crate::corpus::Selection::new(1);
            for &r in w {
                s.push(0, r, r - 1);
            }
            s
        });
        let (mut rows, mut over) = (Vec::new(), Vec::new());
        corpus
            .read_batches(selection.as_ref(), None, |batch| {
                for rec in batch.records() {
                    rows.push(match corpus.parse(&rec) {
                        Ok(d) => (rec.line, d.id.into_owned(), d.text.into_owned()),
                        Err(p) => (rec.line, "-".into(), format!("{p:?}")),
                    });
                }
                over.extend(batch.oversized.iter().map(|&(_, l)| l));
                Ok(())
            })
            .unwrap();
        (rows, over)
    }

    #[test]
    fn later_passes_read_the_rows_a_full_read_spooled() {
        use arrow_array::StringArray;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.parquet");
        let schema = Arc::new(arrow_schema::Schema::new(vec![
            arrow_schema::Field::new("id", DataType::Utf8, false),
            arrow_schema::Field::new("text", DataType::Utf8, true),
        ]));
        let n = 3000usize;
        let ids: Vec<String> = (1..=n).map(|i| format!("r{i}")).collect();
        // Every 97th row is too large; some have no text.
        let texts: Vec<Option<String>> = (1..=n)
            .map(|i| match i {
                _ if i % 97 == 0 => Some("big ".repeat(100)),
                _ if i % 11 == 0 => None,
                _ => Some(format!("row {i} {}", "word ".repeat(i % 30))),
            })
            .collect();
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(ids.clone())),
                Arc::new(StringArray::from(texts.clone())),
            ],
        )
        .unwrap();
        let mut w =
            parquet::arrow::ArrowWriter::try_new(File::create(&path).unwrap(), schema, None)
                .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let options = ReadOptions {
            max_document_bytes: 300,
            skip_bad_lines: true,
            ..ReadOptions::default()
        };
        let open =
            || Corpus::open(&[super::super::Input::Path(path.clone())], options.clone()).unwrap();
        let wanted: Vec<u64> = (1..=n as u64)
            .filter(|r| r % 97 != 0 && (r % 7 == 0 || *r > 2990))
            .collect();
        // What the file gives without any spool.
        let plain = open().without_row_spool();
        let whole = corpus_rows(&plain, None);
        assert_eq!(whole.0.len() + whole.1.len(), n);
        assert_eq!(
            whole.1,
            (1..=n as u64).filter(|r| r % 97 == 0).collect::<Vec<_>>()
        );
        let picked = corpus_rows(&plain, Some(&wanted));
        assert_eq!(picked.0.len(), wanted.len());
        assert!(plain.row_spools.lock().unwrap().is_empty());
        // Spooled whole, partly (a limit cuts the copy), or not at all: the same rows.
        for limit in [None, Some(20_000), Some(1)] {
            let mut corpus = open();
            corpus.row_spool_limit = limit;
            assert_eq!(corpus_rows(&corpus, None), whole);
            let (copied, spool) = {
                let spools = corpus.row_spools.lock().unwrap();
                assert_eq!(spools.len(), 1);
                (
                    spools[0].offsets.len() - 1,
                    spools[0].spool.path().to_path_buf(),
                )
            };
            match limit {
                None => assert_eq!(copied, n),
                Some(1) => assert_eq!(copied, 0),
                Some(l) => {
                    assert!(copied > 10 && copied < n, "{copied}");
                    assert!(std::fs::metadata(&spool).unwrap().len() <= l);
                }
            }
            assert_eq!(corpus_rows(&corpus, Some(&wanted)), picked, "{limit:?}");
            if limit.is_none() {
                // Read from the copy alone: the file is not needed any more.
                let away = dir.path().join("away");
                std::fs::rename(&path, &away).unwrap();
                assert_eq!(corpus_rows(&corpus, Some(&wanted)), picked);
                std::fs::rename(&away, &path).unwrap();
            }
            // A second full read does not copy again, and gives the same rows.
            assert_eq!(corpus_rows(&corpus, None), whole);
            assert_eq!(corpus.row_spools.lock().unwrap().len(), 1);
            // A selected row that was too large is read from the file (and is too
            // large again).
            let odd = [5, 97, 98];
            assert_eq!(
                corpus_rows(&corpus, Some(&odd)),
                corpus_rows(&plain, Some(&odd))
            );
            drop(corpus);
            assert!(!spool.exists());
        }
    }

    #[test]
    fn instants_are_iso_8601() {
        let fmt = |secs, nanos, time| {
            let mut s = String::new();
            write_instant(&mut s, secs, nanos, time);
            s
        };
        assert_eq!(fmt(0, 0, false), "1970-01-01");
        assert_eq!(fmt(951_782_400, 0, false), "2000-02-29");
        assert_eq!(fmt(-86_400, 0, false), "1969-12-31");
        assert_eq!(
            fmt(1_700_000_000, 5_000_000, true),
            "2023-11-14T22:13:20.005000000Z"
        );
        assert_eq!(fmt(1_700_000_000, 0, true), "2023-11-14T22:13:20Z");
    }
}
