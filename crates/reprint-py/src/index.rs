//! `reprint.Index`: the persistent index of [`reprint::index`] from Python, as the
//! `reprint index ...` commands drive it.
//!
//! An `Index` object names a directory and keeps the last commit it read open
//! (segments memory-mapped). Every call first checks that `MANIFEST.json` is still
//! the file of the commit it holds (a `stat`: every commit renames a new manifest over
//! the old one) and opens the index again when it is not, so a commit by another
//! object or process (the CLI) is seen by the next call. Writes (`add`, `query(add=True)`, `remove`, `compact`) take the
//! index's write lock for the call only and release it before returning, as each CLI
//! command does: a writer elsewhere makes the call fail at once with the CLI's message
//! naming the holder's pid, and nothing is left locked while Python holds the object.
//! Writes through one object are serialized (a second thread waits for the first).
//!
//! Texts, ids, dates and sources come in as for `reprint.pairs` (a list, or Arrow
//! columns read in Rust); they become an in-memory corpus whose dates and sources are
//! columns ([`Corpus::with_column`]) read where the CLI reads `--date-field` and
//! `--source-field`. The GIL is released while the library works.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use arrow_array::builder::StringBuilder;
use arrow_array::ArrayRef;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::PyArray;

use reprint::corpus::{Corpus, InputStats, ReadOptions, MEMORY_SOURCE_NAME};
use reprint::index::{
    self, CommitReport, DocFields, Index, IndexWriter, QueryOptions as LibQueryOptions,
};
use reprint::progress::Silent;

use crate::{
    arrow_err, check_max_doc_mib, in_pool, lib_err, pairs_batch_with, parse_mode, parse_scheme,
    push_field, read_ids, read_texts, result_metadata, table, value_err, Columns, Texts,
};

/// What identifies a commit on disk without reading it: every commit renames a new
/// `MANIFEST.json` over the old one, so the file's identity changes. On Unix the
/// manifest file of the stamp is held open, so that its inode cannot be reused by a
/// later commit while it is compared with.
struct Stamp {
    key: StampKey,
    #[cfg(unix)]
    _held: std::fs::File,
}

/// Device, inode (0 off Unix), size and modification time.
type StampKey = (u64, u64, u64, Option<std::time::SystemTime>);

fn stamp_key(m: &std::fs::Metadata) -> StampKey {
    #[cfg(unix)]
    let (dev, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    };
    #[cfg(not(unix))]
    let (dev, ino) = (0, 0);
    (dev, ino, m.len(), m.modified().ok())
}

fn manifest_path(dir: &Path) -> PathBuf {
    dir.join(index::manifest::MANIFEST)
}

/// The stamp of the manifest now (`None` when it cannot be read: the index is opened
/// again, and that gives the error).
fn stamp(dir: &Path) -> Option<Stamp> {
    #[cfg(unix)]
    {
        let f = std::fs::File::open(manifest_path(dir)).ok()?;
        let key = stamp_key(&f.metadata().ok()?);
        Some(Stamp { key, _held: f })
    }
    #[cfg(not(unix))]
    {
        let m = std::fs::metadata(manifest_path(dir)).ok()?;
        Some(Stamp { key: stamp_key(&m) })
    }
}

/// True when the manifest is still the one of `s`.
fn unchanged(dir: &Path, s: &Stamp) -> bool {
    std::fs::metadata(manifest_path(dir)).is_ok_and(|m| stamp_key(&m) == s.key)
}

/// The commit an object holds, and the stamp of the manifest it was opened at (taken
/// before opening, so that a commit in between makes the next call open it again).
struct Current {
    index: Arc<Index>,
    stamp: Option<Stamp>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A persistent index of documents (`reprint index ...`): new documents are checked
/// against an archive without re-reading it.
///
/// `Index(path)` or `Index.open(path)` opens an index; `Index.create(path, ...)`
/// makes one. `add` adds documents, `query` reports the pairs between new documents
/// and the index (as `reprint index query --mode near-dup --format json`), `remove`
/// and `compact` as their commands do; `stats()`, `verify()`, `len(idx)`, `id in idx`,
/// `text(id)`, `document(id)` and `ids()` read it.
///
/// The object holds the last commit it read, and sees the commits of other writers
/// (other objects, other processes, the CLI) at its next call. Each write takes the
/// index's write lock for that call only: none is held between calls, and a write
/// while another process writes raises `ReprintError` ("the index is locked by another
/// writer (pid N)"). Writes through one object from several threads wait for one
/// another. `close()` (or leaving a `with` block) releases the open files.
///
/// The library stores a date and a source per document (`dates=`, `sources=`), but
/// queries do not filter by them yet (nor does the CLI); `document(id)` reads them.
#[pyclass(frozen, module = "reprint", name = "Index")]
pub(crate) struct PyIndex {
    dir: PathBuf,
    /// The last commit read; `None` once closed.
    current: Mutex<Option<Current>>,
    /// Serializes the writes made through this object.
    writing: Mutex<()>,
}

/// Documents to add or query: texts and ids, and the date and source values.
struct Docs {
    texts: Texts,
    dates: Option<(String, Vec<Option<String>>)>,
    sources: Option<(String, Vec<Option<String>>)>,
}

/// How the documents become a corpus.
struct ReadAs {
    origin: String,
    skip_bad_dates: bool,
    max_document_bytes: usize,
}

impl Docs {
    /// The in-memory corpus and the fields naming its date and source columns.
    fn into_corpus(self, how: &ReadAs) -> reprint::Result<(Corpus, DocFields)> {
        let Texts { ids, texts, .. } = self.texts;
        let options = ReadOptions {
            skip_bad_lines: how.skip_bad_dates,
            max_document_bytes: how.max_document_bytes,
            ..ReadOptions::default()
        };
        let mut corpus = Corpus::from_texts_with(&how.origin, ids.into_iter().zip(texts), options)?;
        let mut fields = DocFields::default();
        if let Some((name, values)) = self.dates {
            corpus = corpus.with_column(&name, values)?;
            fields.date_field = Some(name);
        }
        if let Some((mut name, values)) = self.sources {
            // The source field's name appears in no message: keep it apart from the
            // date column when both have one name but different values.
            if fields.date_field.as_deref() == Some(name.as_str()) {
                name.push_str(" (source)");
            }
            corpus = corpus.with_column(&name, values)?;
            fields.source_field = Some(name);
        }
        Ok((corpus, fields))
    }
}

/// Dates (`dates=`) or sources (`sources=`) given on their own: a list of `str` or
/// `None` (and for dates `datetime.date` / `datetime.datetime`, by `isoformat()`), or an
/// Arrow array (strings; dates and timestamps as ISO 8601 text).
fn read_values(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    what: &str,
    dates: bool,
) -> PyResult<Vec<Option<String>>> {
    let items: Option<Vec<Bound<'_, PyAny>>> = if let Ok(l) = obj.cast::<PyList>() {
        Some(l.iter().collect())
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        Some(t.iter().collect())
    } else {
        None
    };
    if let Some(items) = items {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.is_none() {
                out.push(None);
            } else if let Ok(s) = item.cast::<PyString>() {
                out.push(Some(s.to_str()?.to_owned()));
            } else if dates && item.hasattr("isoformat")? {
                out.push(Some(item.call_method0("isoformat")?.extract::<String>()?));
            } else {
                let allowed = if dates {
                    "a str, a datetime.date or datetime.datetime, or None"
                } else {
                    "a str or None"
                };
                return Err(PyTypeError::new_err(format!(
                    "{what}[{i}] must be {allowed}, got {}",
                    item.get_type()
                        .name()
                        .map_or_else(|_| "?".into(), |n| n.to_string())
                )));
            }
        }
        return Ok(out);
    }
    let reader = obj
        .extract::<AnyArray>()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{what} must be a list or Arrow data (an object with __arrow_c_array__ or \
                 __arrow_c_stream__)"
            ))
        })?
        .into_reader()?;
    py.detach(move || {
        let mut out = Vec::new();
        for chunk in reader {
            let chunk = chunk.map_err(arrow_err)?;
            push_field(chunk.as_ref(), &mut out)?;
        }
        Ok(out)
    })
}

#[allow(clippy::too_many_arguments)]
fn read_docs(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    ids: Option<&Bound<'_, PyAny>>,
    dates: Option<&Bound<'_, PyAny>>,
    sources: Option<&Bound<'_, PyAny>>,
    text_column: &str,
    id_column: Option<&str>,
    date_column: Option<&str>,
    source_column: Option<&str>,
) -> PyResult<Docs> {
    // Values given on their own win over a table's columns, as `ids` does.
    let date_col = date_column.filter(|_| dates.is_none());
    let source_col = source_column.filter(|_| sources.is_none());
    let mut fields = Vec::new();
    if let Some(c) = date_col {
        fields.push((c, "date_column"));
    }
    if let Some(c) = source_col {
        fields.push((c, "source_column"));
    }
    let cols = Columns {
        text: text_column,
        id: id_column,
        fields,
    };
    let mut t = read_texts(py, texts, ids, cols)?;
    let n = t.texts.len();
    let mut from_table = std::mem::take(&mut t.fields).into_iter();
    let mut take = |given: Option<&Bound<'_, PyAny>>,
                    col: Option<&str>,
                    what: &str,
                    name: &str|
     -> PyResult<Option<(String, Vec<Option<String>>)>> {
        let (name, values) = match (given, col) {
            (Some(v), _) => (
                col.unwrap_or(name).to_owned(),
                read_values(py, v, what, what == "dates")?,
            ),
            (None, Some(c)) => (c.to_owned(), from_table.next().unwrap_or_default()),
            (None, None) => return Ok(None),
        };
        if values.len() != n {
            return Err(value_err(format!(
                "{} {what} for {n} texts: give one per text",
                values.len()
            )));
        }
        Ok(Some((name, values)))
    };
    let dates = take(dates, date_column, "dates", "date")?;
    let sources = take(sources, source_column, "sources", "source")?;
    Ok(Docs {
        texts: t,
        dates,
        sources,
    })
}

/// A commit's report as a dict: `commit`, and the counts of the call.
fn report_dict<'py>(
    py: Python<'py>,
    r: &CommitReport,
    idx: &Index,
    counts: &[(&str, u64)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("commit", r.commit)?;
    for (k, v) in counts {
        d.set_item(*k, *v)?;
    }
    d.set_item("documents", idx.documents())?;
    d.set_item("cleaned", r.cleaned)?;
    Ok(d)
}

/// JSON text as the Python object `json.loads` makes of it (dicts keep the order of
/// the keys, which for a serialized struct is the CLI's).
fn json_loads<'py>(
    py: Python<'py>,
    json: serde_json::Result<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let json = json.map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (json,))
}

fn stats_dict<'py>(py: Python<'py>, stats: &InputStats) -> PyResult<Bound<'py, PyAny>> {
    json_loads(py, serde_json::to_string(stats))
}

/// The keywords shared by `add` and `query`.
struct Input<'a, 'py> {
    texts: &'a Bound<'py, PyAny>,
    ids: Option<&'a Bound<'py, PyAny>>,
    dates: Option<&'a Bound<'py, PyAny>>,
    sources: Option<&'a Bound<'py, PyAny>>,
    text_column: &'a str,
    id_column: Option<&'a str>,
    date_column: Option<&'a str>,
    source_column: Option<&'a str>,
    origin: Option<&'a str>,
    skip_bad_dates: bool,
    max_doc_mib: usize,
}

impl Input<'_, '_> {
    fn read(&self, py: Python<'_>) -> PyResult<(Docs, ReadAs)> {
        let max_document_bytes = check_max_doc_mib(self.max_doc_mib)?;
        let docs = read_docs(
            py,
            self.texts,
            self.ids,
            self.dates,
            self.sources,
            self.text_column,
            self.id_column,
            self.date_column,
            self.source_column,
        )?;
        let how = ReadAs {
            origin: self.origin.unwrap_or(MEMORY_SOURCE_NAME).to_owned(),
            skip_bad_dates: self.skip_bad_dates,
            max_document_bytes,
        };
        Ok((docs, how))
    }
}

impl PyIndex {
    fn opened(py: Python<'_>, dir: PathBuf) -> PyResult<PyIndex> {
        let current = py.detach(|| {
            let stamp = stamp(&dir);
            Index::open(&dir).map(|index| Current {
                index: Arc::new(index),
                stamp,
            })
        });
        Ok(PyIndex {
            current: Mutex::new(Some(current.map_err(lib_err)?)),
            dir,
            writing: Mutex::new(()),
        })
    }

    fn closed_err(&self) -> PyErr {
        PyValueError::new_err(format!("the index {} is closed", self.dir.display()))
    }

    /// The last commit, opened again when another writer committed since. Called
    /// without the GIL.
    fn snapshot(&self) -> PyResult<Arc<Index>> {
        let mut cur = lock(&self.current);
        let Some(c) = cur.as_mut() else {
            return Err(self.closed_err());
        };
        if !c.stamp.as_ref().is_some_and(|s| unchanged(&self.dir, s)) {
            let stamp = stamp(&self.dir);
            let index = Index::open(&self.dir).map_err(lib_err)?;
            *c = Current {
                index: Arc::new(index),
                stamp,
            };
        }
        Ok(c.index.clone())
    }

    /// Runs `f` with the write lock of the index (taken for this call only), then keeps
    /// the writer's last commit as this object's. Called without the GIL.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> PyResult<T>,
    ) -> PyResult<(T, Arc<Index>)> {
        let _one_at_a_time = lock(&self.writing);
        if lock(&self.current).is_none() {
            return Err(self.closed_err());
        }
        let mut writer = IndexWriter::open(&self.dir).map_err(lib_err)?;
        let out = f(&mut writer)?;
        // Still under the lock: no other commit can come between.
        let stamp = stamp(&self.dir);
        let index = Arc::new(writer.into_index());
        if let Some(c) = lock(&self.current).as_mut() {
            *c = Current {
                index: index.clone(),
                stamp,
            };
        }
        Ok((out, index))
    }

    fn get(&self, py: Python<'_>) -> PyResult<Arc<Index>> {
        py.detach(|| self.snapshot())
    }
}

/// An id given to `in` or `document`: a `str`, or an `int` as its text (as `ids=`
/// reads them).
fn id_of(obj: &Bound<'_, PyAny>) -> Option<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_str().ok().map(str::to_owned);
    }
    if obj.cast::<pyo3::types::PyBool>().is_ok() {
        return None;
    }
    obj.extract::<i64>().ok().map(|n| n.to_string())
}

#[pymethods]
impl PyIndex {
    /// Opens the index in directory `path` (as `Index.open(path)`). Raises
    /// `ReprintError` when there is none ("no such index (create it first)") or it is
    /// damaged.
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<PyIndex> {
        PyIndex::opened(py, path)
    }

    /// Opens the index in directory `path`.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<PyIndex> {
        PyIndex::opened(py, path)
    }

    /// Creates an empty index in `path` (a new or empty directory) and opens it, as
    /// `reprint index create` does with the same options and defaults: `ngram`, `perms`,
    /// `threshold`, `scheme`, `containment`, `max_size_ratio`, `bands`, `rows` fix what
    /// the index finds and cannot change later; `text_field` and `id_field` are the
    /// JSON fields `reprint index add` reads (Python calls name their columns instead).
    /// Raises `ReprintError` for a directory that exists and is not empty, or invalid
    /// options.
    #[staticmethod]
    #[pyo3(signature = (path, *, ngram=5, perms=128, threshold=0.8, scheme="one-permutation",
        containment=None, max_size_ratio=4.0, bands=None, rows=None, text_field="text",
        id_field="id"))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        py: Python<'_>,
        path: PathBuf,
        ngram: usize,
        perms: usize,
        threshold: f64,
        scheme: &str,
        containment: Option<f64>,
        max_size_ratio: f64,
        bands: Option<usize>,
        rows: Option<usize>,
        text_field: &str,
        id_field: &str,
    ) -> PyResult<PyIndex> {
        let params = reprint::params::ParamsInput {
            ngram,
            perms,
            scheme: parse_scheme(scheme)?,
            threshold,
            containment,
            max_size_ratio,
            bands,
            rows,
            ..Default::default()
        }
        .validate()
        .map_err(lib_err)?;
        let options = index::options_of(&params, text_field, id_field);
        py.detach(|| index::create(&path, options))
            .map_err(lib_err)?;
        PyIndex::opened(py, path)
    }

    /// The index directory, as given.
    #[getter]
    fn path(&self) -> PathBuf {
        self.dir.clone()
    }

    /// The options fixed at creation (`options` of `reprint index stats --format
    /// json`).
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let idx = self.get(py)?;
        json_loads(py, serde_json::to_string(idx.options()))
    }

    /// The commit counter of the last commit.
    #[getter]
    fn commit(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(self.get(py)?.manifest().commit)
    }

    /// True once `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        lock(&self.current).is_none()
    }

    /// Adds documents as one new segment, in one commit (`reprint index add`).
    ///
    /// `texts` and `ids` are read as in `reprint.pairs` (a list of str, or Arrow data;
    /// a table's `text_column`, and `id_column` or its "id" column, else the row
    /// number, which repeats from one call to the next: give ids to an index you add
    /// to more than once). `dates` (ISO 8601 str, `datetime.date` / `datetime.datetime`, Arrow
    /// dates or timestamps; naive times are UTC) and `sources` (str), one per text or
    /// `None`, or a table's `date_column` and `source_column`, are stored per document
    /// as `--date-field` and `--source-field` store them. `origin` names the documents'
    /// location in messages (`ORIGIN:ROW`, default `<memory>`). A date that does not
    /// parse raises `ReprintError`, or with `skip_bad_dates=True` skips the document
    /// (counted in `input["bad_lines_skipped"]`). Ids already in the index, or given
    /// twice, raise `ReprintError` and nothing is committed.
    ///
    /// Returns a dict: `commit`, `added`, `documents` (in the index now), `cleaned`
    /// (files of earlier commits removed), `segment` (the new segment's file, `None`
    /// when nothing was added) and `input` (the counts of `reprint pairs --format
    /// json`'s `input`).
    #[pyo3(signature = (texts, ids=None, *, dates=None, sources=None, text_column="text",
        id_column=None, date_column=None, source_column=None, origin=None,
        skip_bad_dates=false, max_doc_mib=64, num_threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn add<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        ids: Option<&Bound<'py, PyAny>>,
        dates: Option<&Bound<'py, PyAny>>,
        sources: Option<&Bound<'py, PyAny>>,
        text_column: &str,
        id_column: Option<&str>,
        date_column: Option<&str>,
        source_column: Option<&str>,
        origin: Option<&str>,
        skip_bad_dates: bool,
        max_doc_mib: usize,
        num_threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let input = Input {
            texts,
            ids,
            dates,
            sources,
            text_column,
            id_column,
            date_column,
            source_column,
            origin,
            skip_bad_dates,
            max_doc_mib,
        };
        let (docs, how) = input.read(py)?;
        let ((report, stats), idx) = py.detach(|| {
            self.write(|w| {
                in_pool(num_threads, || {
                    let (corpus, fields) = docs.into_corpus(&how)?;
                    w.add(&corpus, &fields, &Silent)
                })?
                .map_err(lib_err)
            })
        })?;
        let d = report_dict(py, &report, &idx, &[("added", report.added)])?;
        let segment = (report.added > 0)
            .then(|| idx.manifest().segments.last().map(|s| s.file.clone()))
            .flatten();
        d.set_item("segment", segment)?;
        d.set_item("input", stats_dict(py, &stats)?)?;
        Ok(d)
    }

    /// The pairs between `texts` and the index, and with `within=True` among the new
    /// documents too: what `reprint index query --mode near-dup --format json` lists,
    /// as a pyarrow Table with the same columns (`a` the earlier document, archive
    /// first; `b`, `score`, `jaccard`, `containment_a_in_b`, `containment_b_in_a`,
    /// `shared_shingles`, `verdict`, and `earlier`: the id of whichever has the earlier
    /// date, null when either has none or they are equal) and values. These are the pairs touching the new
    /// documents that `reprint.pairs(archive + new, mode="near-dup")` gives with the
    /// index's options; LSH buckets larger than `max_bucket` become stars.
    ///
    /// Input keywords as in `add`. With `add=True` the documents are added in the same
    /// commit (`--add`); without it the index is not changed (their dates and sources
    /// are then read and checked, and dropped). `mode="default"` runs the default
    /// mode over the archive's stored texts followed by the new documents (the pairs
    /// of `reprint.pairs(archive + new)` touching the new ones, with its columns); it
    /// re-reads every stored text, so it takes about as long as that run.
    ///
    /// The schema metadata holds `schema`, `mode`, `documents` (new documents),
    /// `candidates`, `parameters` and `input` as the CLI's JSON does, plus `archive`
    /// (the index's documents queried), `star_buckets`, and with `add=True` `commit`
    /// (a JSON object: `commit`, `added`, `documents`, `cleaned`).
    #[pyo3(signature = (texts, ids=None, *, within=false, add=false, mode="near-dup",
        max_bucket=500, dates=None, sources=None, text_column="text", id_column=None,
        date_column=None, source_column=None, origin=None, skip_bad_dates=false,
        max_doc_mib=64, num_threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn query<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        ids: Option<&Bound<'py, PyAny>>,
        within: bool,
        add: bool,
        mode: &str,
        max_bucket: usize,
        dates: Option<&Bound<'py, PyAny>>,
        sources: Option<&Bound<'py, PyAny>>,
        text_column: &str,
        id_column: Option<&str>,
        date_column: Option<&str>,
        source_column: Option<&str>,
        origin: Option<&str>,
        skip_bad_dates: bool,
        max_doc_mib: usize,
        num_threads: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let mode = parse_mode(mode)?;
        let input = Input {
            texts,
            ids,
            dates,
            sources,
            text_column,
            id_column,
            date_column,
            source_column,
            origin,
            skip_bad_dates,
            max_doc_mib,
        };
        let (docs, how) = input.read(py)?;
        let opts = LibQueryOptions {
            within,
            max_bucket,
            mode,
        };
        let batch = py.detach(|| -> PyResult<_> {
            let run = |idx: &Index| -> PyResult<_> {
                let params = index::params_of(idx.options(), max_bucket).map_err(lib_err)?;
                Ok((params, idx.documents()))
            };
            let (res, params, archive, report) = if add {
                let ((res, params, archive, report), _) = self.write(|w| {
                    let (params, archive) = run(w.index())?;
                    let (res, report) = in_pool(num_threads, || {
                        let (corpus, fields) = docs.into_corpus(&how)?;
                        w.query_and_add(&corpus, &fields, &opts, &Silent)
                    })?
                    .map_err(lib_err)?;
                    let report = (report, w.index().documents());
                    Ok((res, params, archive, Some(report)))
                })?;
                (res, params, archive, report)
            } else {
                let idx = self.snapshot()?;
                let (params, archive) = run(&idx)?;
                let res = in_pool(num_threads, || {
                    let (corpus, fields) = docs.into_corpus(&how)?;
                    idx.query(&corpus, &fields, &opts, &Silent)
                })?
                .map_err(lib_err)?;
                (res, params, archive, None)
            };
            let mut meta =
                result_metadata(reprint::report::wire::PAIRS_SCHEMA, mode, &params, &res);
            meta.insert("archive".into(), archive.to_string());
            meta.insert("star_buckets".into(), res.star_buckets.to_string());
            if let Some((r, documents)) = report {
                let v = serde_json::json!({
                    "commit": r.commit,
                    "added": r.added,
                    "documents": documents,
                    "cleaned": r.cleaned,
                });
                meta.insert("commit".into(), v.to_string());
            }
            with_earlier(pairs_batch_with(mode, meta, &res)?, &res)
        })?;
        table(py, batch)
    }

    /// Removes documents by id (`reprint index remove`), in one commit: they never
    /// appear in results again and are dropped at the next `compact()`. An id not in
    /// the index raises `ReprintError` and nothing is removed; an empty list commits
    /// nothing. Returns a dict: `commit`, `removed`, `documents`, `cleaned`.
    fn remove<'py>(
        &self,
        py: Python<'py>,
        ids: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        if ids.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "ids must be a list of ids (a str would be read as its characters); \
                 give [id] for one",
            ));
        }
        let ids = read_ids(py, ids)?;
        let (report, idx) = if ids.is_empty() {
            // Nothing to remove: no commit (the CLI needs at least one id).
            let idx = self.get(py)?;
            let r = CommitReport {
                commit: idx.manifest().commit,
                ..Default::default()
            };
            (r, idx)
        } else {
            py.detach(|| self.write(|w| w.remove(&ids).map_err(lib_err)))?
        };
        report_dict(py, &report, &idx, &[("removed", report.removed)])
    }

    /// Merges every segment into one, dropping removed documents (`reprint index
    /// compact`), in one commit. Returns a dict: `commit`, `kept`, `dropped`,
    /// `documents`, `cleaned` (old segment files deleted), `segments_before`,
    /// `segments`.
    fn compact<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let ((before, report), idx) = py.detach(|| {
            self.write(|w| {
                let before = w.index().segments().len();
                Ok((before, w.compact().map_err(lib_err)?))
            })
        })?;
        let d = report_dict(
            py,
            &report,
            &idx,
            &[("kept", report.added), ("dropped", report.removed)],
        )?;
        d.set_item("segments_before", before)?;
        d.set_item("segments", idx.segments().len())?;
        Ok(d)
    }

    /// The dict of `reprint index stats --format json`: `documents`, `segments`,
    /// `tombstones`, `commit`, `bytes`, `sections` (bytes per section kind) and
    /// `options`.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let idx = self.get(py)?;
        json_loads(py, serde_json::to_string(&idx.stats().to_json()))
    }

    /// Checks every checksum, count and sort order (`reprint index verify`): the
    /// problems found, an empty list when the index is sound.
    fn verify(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        if self.closed() {
            return Err(self.closed_err());
        }
        py.detach(|| Index::verify(&self.dir)).map_err(lib_err)
    }

    /// The stored text of a live document, or `None`.
    fn text(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
        let Some(id) = id_of(id) else {
            return Ok(None);
        };
        let idx = self.get(py)?;
        py.detach(|| idx.text(&id)).map_err(lib_err)
    }

    /// A live document as a dict (`id`, `text`, `date` as given, `date_seconds`,
    /// `source`, `origin`, `segment`), or `None`.
    fn document<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(id) = id_of(id) else {
            return Ok(None);
        };
        let idx = self.get(py)?;
        let Some((s, d)) = idx.find(&id) else {
            return Ok(None);
        };
        let seg = &idx.segments()[s as usize];
        let text = py.detach(|| seg.text(d)).map_err(lib_err)?;
        let out = PyDict::new(py);
        out.set_item("id", &id)?;
        out.set_item("text", text)?;
        out.set_item(
            "date",
            seg.date_text(d).filter(|_| seg.meta(d).date.is_some()),
        )?;
        out.set_item("date_seconds", seg.meta(d).date)?;
        out.set_item("source", seg.source(d))?;
        out.set_item("origin", seg.origin(d))?;
        out.set_item("segment", &idx.manifest().segments[s as usize].file)?;
        Ok(Some(out))
    }

    /// The ids of the live documents in archive order, as a pyarrow string Array.
    fn ids(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let idx = self.get(py)?;
        let array: ArrayRef = py.detach(|| {
            let mut b = StringBuilder::new();
            for (s, seg) in idx.segments().iter().enumerate() {
                for d in 0..seg.len() as u32 {
                    if idx.is_live(s as u32, d) {
                        b.append_value(seg.id(d));
                    }
                }
            }
            Arc::new(b.finish())
        });
        let capsule = PyArray::from_array_ref(array).into_pyobject(py)?;
        Ok(py
            .import("pyarrow")?
            .getattr("array")?
            .call1((capsule,))?
            .unbind())
    }

    /// Releases the open segments; later calls raise `ValueError`. (No lock is held
    /// between calls, so there is none to release.)
    fn close(&self, py: Python<'_>) {
        // After a write under way (waited for without the GIL).
        py.detach(|| {
            let _one_at_a_time = lock(&self.writing);
            lock(&self.current).take();
        })
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    /// Pickled as its path: unpickling opens the index again (in another process, for
    /// `multiprocessing` or Dask workers).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (PathBuf,))> {
        Ok((slf.get_type().into_any(), (slf.get().dir.clone(),)))
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(self.get(py)?.documents() as usize)
    }

    fn __contains__(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Some(id) = id_of(id) else {
            return Ok(false);
        };
        Ok(self.get(py)?.find(&id).is_some())
    }

    fn __repr__(&self) -> String {
        let path = self.dir.display().to_string();
        let path = path.replace('\\', "\\\\").replace('\'', "\\'");
        match lock(&self.current).as_ref() {
            None => format!("Index('{path}', closed)"),
            Some(c) => format!(
                "Index('{path}', documents={}, segments={}, commit={})",
                c.index.documents(),
                c.index.segments().len(),
                c.index.manifest().commit
            ),
        }
    }
}

/// `batch` with the `earlier` column of `index query`: the id of whichever document of
/// each pair has the earlier date, null when the dates do not say.
fn with_earlier(
    batch: arrow_array::RecordBatch,
    res: &reprint::mode::PairsResult,
) -> PyResult<arrow_array::RecordBatch> {
    let mut earlier = StringBuilder::new();
    for p in &res.pairs {
        earlier.append_option(res.docs.earlier(p.a, p.b));
    }
    let schema = batch.schema();
    let mut fields: Vec<arrow_schema::FieldRef> = schema.fields().iter().cloned().collect();
    fields.push(Arc::new(arrow_schema::Field::new(
        "earlier",
        arrow_schema::DataType::Utf8,
        true,
    )));
    let schema = arrow_schema::Schema::new(fields).with_metadata(schema.metadata().clone());
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    columns.push(Arc::new(earlier.finish()));
    arrow_array::RecordBatch::try_new(Arc::new(schema), columns).map_err(arrow_err)
}
