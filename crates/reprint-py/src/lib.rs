//! Python bindings of reprint: the extension module `reprint._reprint`, wrapped by the
//! Python package `reprint` (`python/reprint/__init__.py`).
//!
//! Texts come in as a Python `list[str]` or as Arrow data through the Arrow PyCapsule
//! interface (`__arrow_c_array__` / `__arrow_c_stream__`: pyarrow arrays, chunked
//! arrays, tables, record batch readers, Polars, DuckDB, ...); string buffers are read
//! in Rust and copied once into the library's in-memory corpus
//! ([`reprint::corpus::Corpus::from_texts_with`]), never as Python `str` objects.
//! Results go out as pyarrow tables whose columns and values are those of the CLI's
//! JSON output ([`reprint::report::wire`]). The GIL is released while Rust works.
//!
//! Each Python name is one `#[pyfunction]` or `#[pyclass]`: here, or for the
//! persistent index (`reprint.Index`) in `src/index.rs`.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

use reprint::cluster::{self, Keep};
use reprint::compare::analyze::Analyzer;
use reprint::compare::docscore::DocIdf;
use reprint::compare::evidence::ReuseEvidence;
use reprint::compare::passages::Passage as LibPassage;
use reprint::compare::Comparer;
use reprint::corpus::{Corpus, ReadOptions, MEMORY_SOURCE_NAME};
use reprint::dedup::Assignment;
use reprint::mode::{Mode, PairsResult};
use reprint::report::round;
use reprint::report::wire::{rounded_evidence, PairRow, Parameters, PassageRow};
use reprint::sketch::Scheme;
use reprint::Pipeline;

mod index;

pyo3::create_exception!(
    reprint,
    ReprintError,
    PyValueError,
    "An error of the reprint library, with the message the CLI prints (after \
     `reprint: error: `). A subclass of ValueError: invalid parameters and invalid \
     input are both reported this way."
);

/// The library error as a Python exception: its message and every cause, joined by
/// `: ` as the CLI prints them.
fn lib_err(e: reprint::Error) -> PyErr {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let part = s.to_string();
        if !message.ends_with(&part) {
            message.push_str(": ");
            message.push_str(&part);
        }
        source = s.source();
    }
    ReprintError::new_err(message)
}

fn value_err(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

fn arrow_err(e: arrow_schema::ArrowError) -> PyErr {
    value_err(format!("reading Arrow data: {e}"))
}

/// Runs `f` in a rayon pool of `threads` workers, or in the global pool (one worker per
/// core) when `None`.
fn in_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    match threads {
        None => Ok(f()),
        Some(0) => Err(value_err("num_threads must be at least 1, got 0")),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| value_err(format!("starting the thread pool: {e}")))?;
            Ok(pool.install(f))
        }
    }
}

// ---------------------------------------------------------------------------------
// Input: texts, ids and one extra column, from a list or from Arrow.

/// The documents of a call, in input order.
struct Texts {
    ids: Vec<String>,
    texts: Vec<String>,
    /// Values of the other columns asked for ([`Columns::fields`], in that order; the
    /// keep policy's column of `dedup`, an index's dates and sources), as the CLI
    /// reads a JSON field: strings as they are, numbers and dates as their text.
    fields: Vec<Vec<Option<String>>>,
}

/// Appends the strings of `array` to `out`; `what` names it in errors. Nulls are an
/// error, as a `null` text field is on the command line.
fn push_strings(array: &dyn Array, what: &str, row0: usize, out: &mut Vec<String>) -> PyResult<()> {
    let null_at = |i: usize| value_err(format!("{what} at row {} is null", row0 + i));
    macro_rules! push {
        ($arr:expr) => {{
            let arr = $arr;
            out.reserve(arr.len());
            for i in 0..arr.len() {
                if arr.is_null(i) {
                    return Err(null_at(i));
                }
                out.push(arr.value(i).to_owned());
            }
        }};
    }
    match array.data_type() {
        DataType::Utf8 => push!(array.as_string::<i32>()),
        DataType::LargeUtf8 => push!(array.as_string::<i64>()),
        DataType::Utf8View => push!(array.as_string_view()),
        DataType::Dictionary(_, v)
            if matches!(
                v.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            let cast = arrow_cast::cast(array, &DataType::Utf8).map_err(arrow_err)?;
            push!(cast.as_string::<i32>())
        }
        other => {
            return Err(PyTypeError::new_err(format!(
                "{what} must be strings (utf8, large_utf8 or string_view), got Arrow type {other}"
            )))
        }
    }
    Ok(())
}

/// Appends ids: strings as they are, anything else (integers) as its text.
fn push_ids(array: &dyn Array, what: &str, row0: usize, out: &mut Vec<String>) -> PyResult<()> {
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
            push_strings(array, what, row0, out)
        }
        _ => {
            let cast = arrow_cast::cast(array, &DataType::Utf8).map_err(arrow_err)?;
            push_strings(&cast, what, row0, out)
        }
    }
}

/// Appends the values of the keep policy's column as text (`None` for nulls): strings as
/// they are, numbers, dates and timestamps as Arrow displays them (ISO 8601 for dates).
fn push_field(array: &dyn Array, out: &mut Vec<Option<String>>) -> PyResult<()> {
    use arrow_cast::display::{ArrayFormatter, FormatOptions};
    let options = FormatOptions::default();
    let f = ArrayFormatter::try_new(array, &options).map_err(arrow_err)?;
    for i in 0..array.len() {
        out.push(if array.is_null(i) {
            None
        } else {
            Some(f.value(i).to_string())
        });
    }
    Ok(())
}

/// A list or tuple of `str`. The UTF-8 of each string is looked up with the GIL held
/// (no copy; CPython caches it in the object), then copied into Rust strings without
/// the GIL, in parallel: the list's items are held (`items`) so the strings stay alive
/// and unchanged (a `str` is immutable) while they are read.
fn list_strings(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Option<Vec<String>>> {
    let items: Vec<Bound<'_, PyAny>> = if let Ok(l) = obj.cast::<PyList>() {
        l.iter().collect()
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        t.iter().collect()
    } else {
        return Ok(None);
    };
    let mut strs: Vec<&str> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let s = item.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}[{i}] must be a str, got {}",
                item.get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ))
        })?;
        strs.push(s.to_str()?);
    }
    let out = obj
        .py()
        .detach(|| strs.par_iter().map(|s| (*s).to_owned()).collect());
    drop(items);
    Ok(Some(out))
}

/// Ids given on their own (`ids=`): a list of `str`/`int`, or an Arrow array.
fn read_ids(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let item = item?;
            if let Ok(s) = item.cast::<PyString>() {
                out.push(s.to_str()?.to_owned());
            } else if let Ok(n) = item.extract::<i64>() {
                out.push(n.to_string());
            } else {
                return Err(PyTypeError::new_err(format!(
                    "ids[{i}] must be a str or an int"
                )));
            }
        }
        return Ok(out);
    }
    let reader = obj.extract::<AnyArray>()?.into_reader()?;
    py.detach(|| {
        let mut out = Vec::new();
        for chunk in reader {
            let chunk = chunk.map_err(arrow_err)?;
            let row0 = out.len();
            push_ids(chunk.as_ref(), "id", row0, &mut out)?;
        }
        Ok(out)
    })
}

/// Which columns of a table to read.
struct Columns<'a> {
    text: &'a str,
    id: Option<&'a str>,
    /// Other columns: `(column, the keyword that named it)`.
    fields: Vec<(&'a str, &'a str)>,
}

impl Columns<'_> {
    /// The keywords that need a table, for errors: `id_column and keep_field`.
    fn table_keywords(&self) -> (String, &'static str) {
        let mut names = vec!["id_column"];
        names.extend(self.fields.iter().map(|(_, k)| *k));
        let verb = if names.len() == 1 { "needs" } else { "need" };
        (names.join(" and "), verb)
    }
}

fn column<'s>(s: &'s StructArray, name: &str, role: &str) -> PyResult<&'s ArrayRef> {
    s.column_by_name(name).ok_or_else(|| {
        let names: Vec<&str> = s.column_names();
        value_err(format!(
            "no {role} column {name:?} in the table (columns: {})",
            names.join(", ")
        ))
    })
}

/// Reads the documents of a call: `texts` is a list of `str`, or Arrow strings, or an
/// Arrow table (record batches) whose columns are picked by `cols`; `ids` (a list or
/// Arrow array) overrides the id column. Without ids, a table's `"id"` column (when it
/// has one, as the CLI reads JSON Lines) or else the row number (`"0"`, `"1"`, ...).
fn read_texts(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    ids: Option<&Bound<'_, PyAny>>,
    cols: Columns<'_>,
) -> PyResult<Texts> {
    let given_ids = ids.map(|i| read_ids(py, i)).transpose()?;
    let (texts_v, table_ids, fields) = if let Some(v) = list_strings(texts, "texts")? {
        if let Some((_, keyword)) = cols.fields.first() {
            return Err(value_err(format!(
                "{keyword} needs a table: a list of texts has no other column"
            )));
        }
        (v, None, Vec::new())
    } else {
        let any = texts.extract::<AnyArray>().map_err(|_| {
            PyTypeError::new_err(format!(
                "texts must be a list of str or Arrow data (an object with \
                 __arrow_c_array__ or __arrow_c_stream__), got {}",
                texts
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ))
        })?;
        let reader = any.into_reader()?;
        let want_ids = given_ids.is_none();
        py.detach(move || -> PyResult<_> {
            let mut out = Vec::new();
            let mut ids_out: Option<Vec<String>> = None;
            let mut fields_out: Vec<Vec<Option<String>>> = vec![Vec::new(); cols.fields.len()];
            let is_table = matches!(reader.field().data_type(), DataType::Struct(_));
            if !is_table && (cols.id.is_some() || !cols.fields.is_empty()) {
                let (names, verb) = cols.table_keywords();
                return Err(value_err(format!(
                    "{names} {verb} a table; texts is a single array"
                )));
            }
            for chunk in reader {
                let chunk = chunk.map_err(arrow_err)?;
                let row0 = out.len();
                if let DataType::Struct(_) = chunk.data_type() {
                    let s = chunk.as_struct();
                    push_strings(
                        column(s, cols.text, "text")?.as_ref(),
                        &format!("text column {:?}", cols.text),
                        row0,
                        &mut out,
                    )?;
                    if want_ids {
                        let id_col = match cols.id {
                            Some(name) => Some((name, column(s, name, "id")?)),
                            None => s.column_by_name("id").map(|c| ("id", c)),
                        };
                        if let Some((name, c)) = id_col {
                            let v = ids_out.get_or_insert_with(Vec::new);
                            push_ids(c.as_ref(), &format!("id column {name:?}"), row0, v)?;
                        }
                    }
                    for (&(name, keyword), v) in cols.fields.iter().zip(&mut fields_out) {
                        let role = keyword.strip_suffix("_column").unwrap_or(keyword);
                        push_field(column(s, name, role)?.as_ref(), v)?;
                    }
                } else {
                    push_strings(chunk.as_ref(), "text", row0, &mut out)?;
                }
            }
            Ok((out, ids_out, fields_out))
        })?
    };
    let ids = match given_ids.or(table_ids) {
        Some(ids) => {
            if ids.len() != texts_v.len() {
                return Err(value_err(format!(
                    "{} ids for {} texts: give one id per text",
                    ids.len(),
                    texts_v.len()
                )));
            }
            ids
        }
        None => (0..texts_v.len()).map(|i| i.to_string()).collect(),
    };
    Ok(Texts {
        ids,
        texts: texts_v,
        fields,
    })
}

// ---------------------------------------------------------------------------------
// Parameters.

fn parse_mode(mode: &str) -> PyResult<Mode> {
    match mode {
        "default" | "all" => Ok(Mode::All),
        "near-dup" | "near_dup" => Ok(Mode::NearDup),
        other => Err(value_err(format!(
            "mode must be \"default\" or \"near-dup\", got {other:?}"
        ))),
    }
}

fn parse_scheme(scheme: &str) -> PyResult<Scheme> {
    match scheme {
        "one-permutation" => Ok(Scheme::OnePermutation),
        "multiply-shift" => Ok(Scheme::MultiplyShift),
        other => Err(value_err(format!(
            "scheme must be \"one-permutation\" or \"multiply-shift\", got {other:?}"
        ))),
    }
}

/// The matching options shared by `pairs`, `clusters` and `dedup`, with the CLI's
/// defaults.
#[derive(Clone)]
struct RunOptions {
    mode: Mode,
    pipeline: Pipeline,
    max_document_bytes: usize,
    num_threads: Option<usize>,
}

#[allow(clippy::too_many_arguments)]
fn run_options(
    mode: &str,
    threshold: f64,
    ngram: usize,
    perms: usize,
    scheme: &str,
    containment: Option<f64>,
    max_size_ratio: f64,
    bands: Option<usize>,
    rows: Option<usize>,
    max_bucket: usize,
    max_doc_mib: usize,
    num_threads: Option<usize>,
) -> PyResult<RunOptions> {
    let mode = parse_mode(mode)?;
    let pipeline = Pipeline::builder()
        .mode(mode)
        .threshold(threshold)
        .ngram(ngram)
        .perms(perms)
        .scheme(parse_scheme(scheme)?)
        .containment(containment)
        .max_size_ratio(max_size_ratio)
        .bands(bands)
        .rows(rows)
        .max_bucket(max_bucket)
        .build()
        .map_err(lib_err)?;
    Ok(RunOptions {
        mode,
        pipeline,
        max_document_bytes: check_max_doc_mib(max_doc_mib)?,
        num_threads,
    })
}

/// `max_doc_mib` in bytes, when in range (as `--max-doc-mib`).
fn check_max_doc_mib(max_doc_mib: usize) -> PyResult<usize> {
    if max_doc_mib == 0 || max_doc_mib > 1 << 20 {
        return Err(lib_err(reprint::Error::InvalidParameter {
            name: "max_doc_mib",
            requirement: format!("must be between 1 and 1048576, got {max_doc_mib}"),
        }));
    }
    Ok(max_doc_mib << 20)
}

/// Builds the in-memory corpus and runs the pipeline, without the GIL.
fn run_pairs(py: Python<'_>, texts: Texts, o: &RunOptions) -> PyResult<PairsResult> {
    let Texts { ids, texts, .. } = texts;
    let o = o.clone();
    py.detach(move || {
        in_pool(o.num_threads, move || {
            let options = ReadOptions {
                max_document_bytes: o.max_document_bytes,
                ..ReadOptions::default()
            };
            let corpus =
                Corpus::from_texts_with(MEMORY_SOURCE_NAME, ids.into_iter().zip(texts), options)?;
            o.pipeline.run(&corpus)
        })?
        .map_err(lib_err)
    })
}

/// Schema metadata of a result table: what the CLI's JSON document has around its rows.
fn run_metadata(
    schema: &str,
    o: &RunOptions,
    res: &PairsResult,
) -> std::collections::HashMap<String, String> {
    result_metadata(schema, o.mode, o.pipeline.params(), res)
}

/// [`run_metadata`] from the mode and parameters themselves.
fn result_metadata(
    schema: &str,
    mode: Mode,
    params: &reprint::params::Params,
    res: &PairsResult,
) -> std::collections::HashMap<String, String> {
    let mut m = std::collections::HashMap::new();
    m.insert("schema".into(), schema.into());
    m.insert("mode".into(), mode.name().into());
    m.insert("documents".into(), res.stats.documents.to_string());
    m.insert("candidates".into(), res.candidates.to_string());
    m.insert(
        "parameters".into(),
        serde_json::to_string(&Parameters::new(params)).unwrap_or_default(),
    );
    m.insert(
        "input".into(),
        serde_json::to_string(&res.stats).unwrap_or_default(),
    );
    m
}

fn table(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyAny>> {
    let schema = batch.schema();
    Ok(PyTable::try_new(vec![batch], schema)?
        .into_pyarrow(py)?
        .unbind())
}

/// The pairs of a run as a record batch with the columns of `reprint pairs --format
/// json` (the keys of [`PairRow`]).
fn pairs_batch(o: &RunOptions, res: &PairsResult) -> PyResult<RecordBatch> {
    let metadata = run_metadata(reprint::report::wire::PAIRS_SCHEMA, o, res);
    pairs_batch_with(o.mode, metadata, res)
}

/// [`pairs_batch`] with the mode and the schema's metadata given.
fn pairs_batch_with(
    mode: Mode,
    metadata: std::collections::HashMap<String, String>,
    res: &PairsResult,
) -> PyResult<RecordBatch> {
    let n = res.pairs.len();
    let mut a = StringBuilder::new();
    let mut b = StringBuilder::new();
    let mut score = Float64Builder::with_capacity(n);
    let mut jaccard = Float64Builder::with_capacity(n);
    let mut cab = Float64Builder::with_capacity(n);
    let mut cba = Float64Builder::with_capacity(n);
    let mut shared = Int64Builder::with_capacity(n);
    let mut verdict = StringBuilder::new();
    let mut cov_a = Float64Builder::with_capacity(n);
    let mut cov_b = Float64Builder::with_capacity(n);
    let mut links = Int64Builder::with_capacity(n);
    for p in &res.pairs {
        let r = PairRow::new(&res.docs, p);
        a.append_value(r.a);
        b.append_value(r.b);
        score.append_value(r.score);
        jaccard.append_value(r.jaccard);
        cab.append_value(r.containment_a_in_b);
        cba.append_value(r.containment_b_in_a);
        shared.append_value(r.shared_shingles as i64);
        verdict.append_value(r.verdict);
        cov_a.append_option(r.coverage_a);
        cov_b.append_option(r.coverage_b);
        links.append_option(p.alignment.and_then(|x| x.links).map(|l| l as i64));
    }
    let f64f = |name: &str| Field::new(name, DataType::Float64, false);
    let mut fields = vec![
        Field::new("a", DataType::Utf8, false),
        Field::new("b", DataType::Utf8, false),
        f64f("score"),
        f64f("jaccard"),
        f64f("containment_a_in_b"),
        f64f("containment_b_in_a"),
        Field::new("shared_shingles", DataType::Int64, false),
        Field::new("verdict", DataType::Utf8, false),
    ];
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(a.finish()),
        Arc::new(b.finish()),
        Arc::new(score.finish()),
        Arc::new(jaccard.finish()),
        Arc::new(cab.finish()),
        Arc::new(cba.finish()),
        Arc::new(shared.finish()),
        Arc::new(verdict.finish()),
    ];
    if mode == Mode::All {
        fields.push(f64f("coverage_a"));
        fields.push(f64f("coverage_b"));
        fields.push(Field::new("links", DataType::Int64, true));
        columns.push(Arc::new(cov_a.finish()));
        columns.push(Arc::new(cov_b.finish()));
        columns.push(Arc::new(links.finish()));
    }
    let schema = Schema::new(fields).with_metadata(metadata);
    RecordBatch::try_new(Arc::new(schema), columns).map_err(arrow_err)
}

/// Every similar pair of `texts`: what `reprint pairs --format json` lists, as a
/// pyarrow Table with the same columns (`a`, `b`, `score`, `jaccard`,
/// `containment_a_in_b`, `containment_b_in_a`, `shared_shingles`, `verdict`, and in the
/// default mode `coverage_a`, `coverage_b`, `links`), figures rounded to 6 decimals,
/// sorted by score (descending), then ids.
#[pyfunction]
#[pyo3(signature = (texts, ids=None, *, mode="default", threshold=0.8, ngram=5, perms=128,
    scheme="one-permutation", containment=None, max_size_ratio=4.0, bands=None, rows=None,
    max_bucket=500, max_doc_mib=64, text_column="text", id_column=None, num_threads=None))]
#[allow(clippy::too_many_arguments)]
fn pairs(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    ids: Option<&Bound<'_, PyAny>>,
    mode: &str,
    threshold: f64,
    ngram: usize,
    perms: usize,
    scheme: &str,
    containment: Option<f64>,
    max_size_ratio: f64,
    bands: Option<usize>,
    rows: Option<usize>,
    max_bucket: usize,
    max_doc_mib: usize,
    text_column: &str,
    id_column: Option<&str>,
    num_threads: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let o = run_options(
        mode,
        threshold,
        ngram,
        perms,
        scheme,
        containment,
        max_size_ratio,
        bands,
        rows,
        max_bucket,
        max_doc_mib,
        num_threads,
    )?;
    let cols = Columns {
        text: text_column,
        id: id_column,
        fields: Vec::new(),
    };
    let t = read_texts(py, texts, ids, cols)?;
    let res = run_pairs(py, t, &o)?;
    let batch = py.detach(|| pairs_batch(&o, &res))?;
    table(py, batch)
}

/// Groups of documents derived from one another as a whole: what `reprint clusters
/// --format json` lists, as a pyarrow Table with columns `cluster` (the deterministic
/// id: largest first, then by first member), `size` and `members` (ids in input order).
#[pyfunction]
#[pyo3(signature = (texts, ids=None, *, mode="default", threshold=0.8, ngram=5, perms=128,
    scheme="one-permutation", containment=None, max_size_ratio=4.0, bands=None, rows=None,
    max_bucket=500, max_doc_mib=64, text_column="text", id_column=None, num_threads=None))]
#[allow(clippy::too_many_arguments)]
fn clusters(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    ids: Option<&Bound<'_, PyAny>>,
    mode: &str,
    threshold: f64,
    ngram: usize,
    perms: usize,
    scheme: &str,
    containment: Option<f64>,
    max_size_ratio: f64,
    bands: Option<usize>,
    rows: Option<usize>,
    max_bucket: usize,
    max_doc_mib: usize,
    text_column: &str,
    id_column: Option<&str>,
    num_threads: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let o = run_options(
        mode,
        threshold,
        ngram,
        perms,
        scheme,
        containment,
        max_size_ratio,
        bands,
        rows,
        max_bucket,
        max_doc_mib,
        num_threads,
    )?;
    let cols = Columns {
        text: text_column,
        id: id_column,
        fields: Vec::new(),
    };
    let t = read_texts(py, texts, ids, cols)?;
    let mut res = run_pairs(py, t, &o)?;
    let batch = py.detach(|| {
        res.pairs.retain(|p| p.verdict.is_whole());
        let groups = cluster::clusters(res.docs.len(), res.pairs.iter().map(|p| (p.a, p.b)));
        let mut id = Int64Builder::new();
        let mut size = Int64Builder::new();
        let mut members = ListBuilder::new(StringBuilder::new()).with_field(Field::new(
            "item",
            DataType::Utf8,
            false,
        ));
        for c in &groups {
            id.append_value(c.id as i64);
            size.append_value(c.members.len() as i64);
            for &m in &c.members {
                members.values().append_value(res.docs.id(m));
            }
            members.append(true);
        }
        let members = members.finish();
        let schema = Schema::new(vec![
            Field::new("cluster", DataType::Int64, false),
            Field::new("size", DataType::Int64, false),
            Field::new("members", members.data_type().clone(), false),
        ])
        .with_metadata(run_metadata(
            reprint::report::wire::CLUSTERS_SCHEMA,
            &o,
            &res,
        ));
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(id.finish()),
                Arc::new(size.finish()),
                Arc::new(members),
            ],
        )
        .map_err(arrow_err)
    })?;
    table(py, batch)
}

fn parse_keep(keep: &str, field: Option<&str>) -> PyResult<Keep> {
    let k = match keep {
        "first" => Keep::First,
        "longest" => Keep::Longest,
        "earliest" => Keep::Earliest,
        "newest" => Keep::Newest,
        "max" => Keep::Max,
        other => {
            return Err(value_err(format!(
                "keep must be one of first, longest, earliest, newest, max, got {other:?}"
            )))
        }
    };
    match (k.uses_field(), field) {
        (true, None) => Err(value_err(format!(
            "keep={keep:?} compares a column: name it with keep_field=COLUMN"
        ))),
        (false, Some(_)) => Err(value_err(format!(
            "keep_field applies to keep=\"earliest\", \"newest\" or \"max\", not keep={keep:?}"
        ))),
        _ => Ok(k),
    }
}

/// The columns `dedup` adds, one row per input row: `cluster_id` (null for a row in no
/// cluster), `cluster_size` (1 for those) and `keep`. The Python `reprint.dedup` appends
/// them to the table or filters it.
#[pyfunction]
#[pyo3(signature = (texts, ids=None, *, keep="first", keep_field=None, mode="near-dup",
    threshold=0.8, ngram=5, perms=128, scheme="one-permutation", containment=None,
    max_size_ratio=4.0, bands=None, rows=None, max_bucket=500, max_doc_mib=64,
    text_column="text", id_column=None, num_threads=None))]
#[allow(clippy::too_many_arguments)]
fn dedup_columns(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    ids: Option<&Bound<'_, PyAny>>,
    keep: &str,
    keep_field: Option<&str>,
    mode: &str,
    threshold: f64,
    ngram: usize,
    perms: usize,
    scheme: &str,
    containment: Option<f64>,
    max_size_ratio: f64,
    bands: Option<usize>,
    rows: Option<usize>,
    max_bucket: usize,
    max_doc_mib: usize,
    text_column: &str,
    id_column: Option<&str>,
    num_threads: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let policy = parse_keep(keep, keep_field)?;
    let o = run_options(
        mode,
        threshold,
        ngram,
        perms,
        scheme,
        containment,
        max_size_ratio,
        bands,
        rows,
        max_bucket,
        max_doc_mib,
        num_threads,
    )?;
    let cols = Columns {
        text: text_column,
        id: id_column,
        fields: keep_field
            .filter(|_| policy.uses_field())
            .map(|f| (f, "keep_field"))
            .into_iter()
            .collect(),
    };
    let mut t = read_texts(py, texts, ids, cols)?;
    let n_rows = t.texts.len();
    let field = t.fields.pop();
    let mut res = run_pairs(py, t, &o)?;
    let batch = py.detach(move || {
        // Document d of the run is input row `line - 1` (rows over the size limit are
        // not documents).
        let rows: Vec<usize> = (0..res.docs.len() as u32)
            .map(|d| res.docs.location(d).1 as usize - 1)
            .collect();
        let row = |d: u32| rows[d as usize];
        if let Some(values) = &field {
            for d in 0..res.docs.len() as u32 {
                let r = row(d);
                let v = values.get(r).and_then(|v| v.as_deref());
                res.docs.set_field(d, v);
            }
        }
        res.pairs.retain(|p| p.verdict.is_whole());
        let groups = cluster::clusters(res.docs.len(), res.pairs.iter().map(|p| (p.a, p.b)));
        let a = Assignment::new(res.docs.len(), &groups, &res.docs, policy);
        // Rows that were not read as documents (over max_doc_mib) are not kept, as
        // `reprint dedup` does not write them.
        let mut cluster_id: Vec<Option<i64>> = vec![None; n_rows];
        let mut cluster_size = vec![1i64; n_rows];
        let mut kept = vec![false; n_rows];
        for d in 0..res.docs.len() as u32 {
            let r = row(d);
            if let Some(c) = a.cluster[d as usize] {
                cluster_id[r] = Some(c as i64);
                cluster_size[r] = a.sizes[c] as i64;
            }
            kept[r] = !a.is_dropped(d);
        }
        let schema = Schema::new(vec![
            Field::new("cluster_id", DataType::Int64, true),
            Field::new("cluster_size", DataType::Int64, false),
            Field::new("keep", DataType::Boolean, false),
        ])
        .with_metadata(run_metadata("reprint.dedup/1", &o, &res));
        let mut k = BooleanBuilder::with_capacity(n_rows);
        k.append_slice(&kept);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(arrow_array::Int64Array::from(cluster_id)),
                Arc::new(arrow_array::Int64Array::from(cluster_size)),
                Arc::new(k.finish()),
            ],
        )
        .map_err(arrow_err)
    })?;
    table(py, batch)
}

// ---------------------------------------------------------------------------------
// Pair API.

/// One aligned passage: character offsets (Python `str` indexes, end exclusive) into
/// the two texts, its kind and its score (rounded to 6 decimals).
#[pyclass(frozen, module = "reprint", name = "Passage", eq, get_all)]
#[derive(Clone, PartialEq)]
struct Passage {
    /// First character of the passage in A.
    a_start: usize,
    /// One past the last character in A.
    a_end: usize,
    /// First character of the passage in B.
    b_start: usize,
    /// One past the last character in B.
    b_end: usize,
    /// `identical`, `edited` or `paraphrase`: the loosest link inside.
    kind: &'static str,
    /// Mean similarity of the sentence links inside.
    score: f64,
    /// Sentence links inside.
    links: usize,
}

impl Passage {
    fn new(p: &LibPassage) -> Self {
        let r = PassageRow::new(p);
        Passage {
            a_start: r.a_start,
            a_end: r.a_end,
            b_start: r.b_start,
            b_end: r.b_end,
            kind: r.kind,
            score: r.score,
            links: p.links,
        }
    }
}

#[pymethods]
impl Passage {
    fn __repr__(&self) -> String {
        format!(
            "Passage(a_start={}, a_end={}, b_start={}, b_end={}, kind={:?}, score={}, links={})",
            self.a_start, self.a_end, self.b_start, self.b_end, self.kind, self.score, self.links
        )
    }

    /// The passage as a dict (the keys of `reprint diff --format json`'s passages).
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("a_start", self.a_start)?;
        d.set_item("a_end", self.a_end)?;
        d.set_item("b_start", self.b_start)?;
        d.set_item("b_end", self.b_end)?;
        d.set_item("kind", self.kind)?;
        d.set_item("score", self.score)?;
        Ok(d)
    }
}

fn verdict_name(v: Option<reprint::model::Verdict>) -> &'static str {
    v.map_or("unrelated", |v| v.name())
}

fn evidence_dict<'py>(py: Python<'py>, e: &ReuseEvidence) -> PyResult<Bound<'py, PyDict>> {
    // The JSON object itself (`reprint diff --format json`'s `evidence`), so the keys,
    // their order and `null`s are the CLI's whatever fields the library adds.
    let json = serde_json::to_string(e).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let value = py.import("json")?.call_method1("loads", (json,))?;
    Ok(value.cast_into::<PyDict>()?)
}

/// The comparison of two texts (`reprint.compare`): what `reprint diff A B --format
/// json` reports about them, figures rounded to 6 decimals.
#[pyclass(frozen, module = "reprint", name = "Comparison")]
struct Comparison {
    /// The document score `D`, in `[0, 1]`.
    #[pyo3(get)]
    score: f64,
    /// `duplicate`, `near-duplicate`, `rewrite`, `partial` or `unrelated`.
    #[pyo3(get)]
    verdict: &'static str,
    /// Share of A's words in aligned sentences.
    #[pyo3(get)]
    coverage_a: f64,
    /// Share of B's words in aligned sentences.
    #[pyo3(get)]
    coverage_b: f64,
    /// Exact word n-gram Jaccard.
    #[pyo3(get)]
    jaccard: f64,
    /// Share of A's n-grams found in B.
    #[pyo3(get)]
    containment_a_in_b: f64,
    /// Share of B's n-grams found in A.
    #[pyo3(get)]
    containment_b_in_a: f64,
    /// Word n-grams the two share.
    #[pyo3(get)]
    shared_shingles: usize,
    /// Sentence equivalence, for short texts only.
    #[pyo3(get)]
    equivalence: Option<f64>,
    /// Paragraph links of the alignment.
    #[pyo3(get)]
    links: usize,
    /// The aligned passages, with character spans.
    #[pyo3(get)]
    passages: Vec<Passage>,
    evidence_value: ReuseEvidence,
}

#[pymethods]
impl Comparison {
    /// The evidence object (a new dict on each access): the figures the verdict was
    /// decided from and length-independent evidence of reuse.
    #[getter]
    fn evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        evidence_dict(py, &self.evidence_value)
    }

    fn __repr__(&self) -> String {
        format!(
            "Comparison(verdict={:?}, score={}, coverage_a={}, coverage_b={}, jaccard={}, passages={})",
            self.verdict,
            self.score,
            self.coverage_a,
            self.coverage_b,
            self.jaccard,
            self.passages.len()
        )
    }
}

impl Comparison {
    fn new(c: &reprint::compare::Comparison) -> Self {
        Comparison {
            score: round(c.score),
            verdict: verdict_name(c.verdict),
            coverage_a: round(c.coverage_a),
            coverage_b: round(c.coverage_b),
            jaccard: round(c.overlap.jaccard),
            containment_a_in_b: round(c.overlap.containment_a_in_b),
            containment_b_in_a: round(c.overlap.containment_b_in_a),
            shared_shingles: c.overlap.shared,
            equivalence: c.equivalence.map(round),
            links: c.alignment.links.len(),
            passages: c.passages.iter().map(Passage::new).collect(),
            evidence_value: rounded_evidence(&c.evidence),
        }
    }
}

fn comparer(ngram: usize) -> PyResult<Comparer> {
    Comparer::builder().ngram(ngram).build().map_err(lib_err)
}

/// Compares two texts: score, verdict, coverage, evidence and passages with character
/// spans, as `reprint diff A B --format json` reports them (document frequencies from
/// the two texts alone).
#[pyfunction]
#[pyo3(signature = (a, b, *, ngram=5))]
fn compare(
    py: Python<'_>,
    a: &Bound<'_, PyString>,
    b: &Bound<'_, PyString>,
    ngram: usize,
) -> PyResult<Comparison> {
    let (a, b) = (a.to_str()?, b.to_str()?);
    let mut cmp = comparer(ngram)?;
    py.detach(move || {
        let pa = cmp.prepare(a, &|_| false);
        let pb = cmp.prepare(b, &|_| false);
        Ok(Comparison::new(&cmp.compare(&pa, &pb, None)))
    })
}

/// The pairs of `score`: texts and optional ids, in input order.
struct ScorePairs {
    a: Vec<String>,
    b: Vec<String>,
    id_a: Option<Vec<String>>,
    id_b: Option<Vec<String>>,
}

fn read_score_pairs(
    py: Python<'_>,
    pairs: &Bound<'_, PyAny>,
    b: Option<&Bound<'_, PyAny>>,
) -> PyResult<ScorePairs> {
    let strings = |obj: &Bound<'_, PyAny>, what: &str| -> PyResult<Vec<String>> {
        if let Some(v) = list_strings(obj, what)? {
            return Ok(v);
        }
        let reader = obj.extract::<AnyArray>()?.into_reader()?;
        let what = what.to_owned();
        py.detach(move || {
            let mut out = Vec::new();
            for chunk in reader {
                let chunk = chunk.map_err(arrow_err)?;
                let row0 = out.len();
                push_strings(chunk.as_ref(), &what, row0, &mut out)?;
            }
            Ok(out)
        })
    };
    if let Some(b) = b {
        let a = strings(pairs, "a")?;
        let b = strings(b, "b")?;
        if a.len() != b.len() {
            return Err(value_err(format!(
                "{} texts in a and {} in b: give one b per a",
                a.len(),
                b.len()
            )));
        }
        return Ok(ScorePairs {
            a,
            b,
            id_a: None,
            id_b: None,
        });
    }
    if pairs.cast::<PyList>().is_ok() || pairs.cast::<PyTuple>().is_ok() {
        let mut a = Vec::new();
        let mut bs = Vec::new();
        for (i, item) in pairs.try_iter()?.enumerate() {
            let item = item?;
            let (x, y): (Bound<'_, PyString>, Bound<'_, PyString>) =
                item.extract().map_err(|_| {
                    PyTypeError::new_err(format!("pairs[{i}] must be a pair (a, b) of str"))
                })?;
            a.push(x.to_str()?.to_owned());
            bs.push(y.to_str()?.to_owned());
        }
        return Ok(ScorePairs {
            a,
            b: bs,
            id_a: None,
            id_b: None,
        });
    }
    // A table with the fields of `reprint score`'s input lines.
    let reader = pairs
        .extract::<AnyArray>()
        .map_err(|_| {
            PyTypeError::new_err(
                "pairs must be a list of (a, b) str pairs, or a table with columns \
                 text_a and text_b (and optionally id_a, id_b)",
            )
        })?
        .into_reader()?;
    py.detach(move || {
        let mut p = ScorePairs {
            a: Vec::new(),
            b: Vec::new(),
            id_a: None,
            id_b: None,
        };
        for chunk in reader {
            let chunk = chunk.map_err(arrow_err)?;
            let DataType::Struct(_) = chunk.data_type() else {
                return Err(PyTypeError::new_err(
                    "pairs must be a table with columns text_a and text_b; for two \
                     arrays of texts call score(a, b)",
                ));
            };
            let s = chunk.as_struct();
            let row0 = p.a.len();
            push_strings(
                column(s, "text_a", "text")?.as_ref(),
                "text_a",
                row0,
                &mut p.a,
            )?;
            push_strings(
                column(s, "text_b", "text")?.as_ref(),
                "text_b",
                row0,
                &mut p.b,
            )?;
            for (name, out) in [("id_a", &mut p.id_a), ("id_b", &mut p.id_b)] {
                if let Some(c) = s.column_by_name(name) {
                    push_ids(c.as_ref(), name, row0, out.get_or_insert_with(Vec::new))?;
                }
            }
        }
        Ok(p)
    })
}

fn passages_field() -> Field {
    let fields = Fields::from(vec![
        Field::new("a_start", DataType::Int64, false),
        Field::new("a_end", DataType::Int64, false),
        Field::new("b_start", DataType::Int64, false),
        Field::new("b_end", DataType::Int64, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("score", DataType::Float64, false),
    ]);
    Field::new("item", DataType::Struct(fields), false)
}

/// The `evidence` struct column of `score`: the keys of the evidence object.
fn evidence_array(es: &[ReuseEvidence]) -> ArrayRef {
    let f = |g: fn(&ReuseEvidence) -> f64| -> ArrayRef {
        Arc::new(arrow_array::Float64Array::from_iter_values(
            es.iter().map(g),
        ))
    };
    let i = |g: fn(&ReuseEvidence) -> usize| -> ArrayRef {
        Arc::new(arrow_array::Int64Array::from_iter_values(
            es.iter().map(|e| g(e) as i64),
        ))
    };
    let eq: ArrayRef = Arc::new(arrow_array::Float64Array::from(
        es.iter().map(|e| e.equivalence).collect::<Vec<_>>(),
    ));
    let logit: ArrayRef = Arc::new(arrow_array::Float64Array::from(
        es.iter().map(|e| e.gate_logit).collect::<Vec<_>>(),
    ));
    // The rule's name as JSON writes it (kebab-case).
    let rule: ArrayRef = Arc::new(arrow_array::StringArray::from_iter_values(es.iter().map(
        |e| match serde_json::to_value(e.rule) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        },
    )));
    let columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("jaccard", f(|e| e.jaccard), false),
        ("shared_ngrams", i(|e| e.shared_ngrams), false),
        ("score", f(|e| e.score), false),
        ("coverage_a", f(|e| e.coverage_a), false),
        ("coverage_b", f(|e| e.coverage_b), false),
        ("equivalence", eq, true),
        ("units_a", i(|e| e.units_a), false),
        ("units_b", i(|e| e.units_b), false),
        ("aligned_pairs", i(|e| e.aligned_pairs), false),
        ("close_links", i(|e| e.close_links), false),
        ("aligned_idf", f(|e| e.aligned_idf), false),
        ("best_link", f(|e| e.best_link), false),
        ("strong_links", i(|e| e.strong_links), false),
        ("second_link", f(|e| e.second_link), false),
        ("chain_links", i(|e| e.chain_links), false),
        ("longest_run", i(|e| e.longest_run), false),
        ("passage_evidence", f(|e| e.passage_evidence), false),
        ("gate_logit", logit, true),
        ("rule", rule, false),
        ("passages", i(|e| e.passages), false),
        ("strong_passages", i(|e| e.strong_passages), false),
    ];
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns
        .into_iter()
        .map(|(n, a, nullable)| (Field::new(n, a.data_type().clone(), nullable), a))
        .unzip();
    Arc::new(StructArray::new(Fields::from(fields), arrays, None))
}

/// Scores many pairs: what `reprint score` writes for each input line, as a pyarrow
/// Table (`id_a`, `id_b`, `score`, `verdict`, `coverage_a`, `coverage_b`, `jaccard`,
/// `equivalence`, `evidence`, and with `passages=True` `passages`). IDF comes from
/// the fixed background table (`idf="background"`, the default, as in `reprint
/// score`), so a pair's result does not depend on the others, or with
/// `idf="corpus"` from document frequencies over all the texts given.
#[pyfunction]
#[pyo3(signature = (pairs, b=None, *, ngram=5, passages=false, idf="background", num_threads=None))]
#[allow(clippy::too_many_arguments)]
fn score(
    py: Python<'_>,
    pairs: &Bound<'_, PyAny>,
    b: Option<&Bound<'_, PyAny>>,
    ngram: usize,
    passages: bool,
    idf: &str,
    num_threads: Option<usize>,
) -> PyResult<Py<PyAny>> {
    comparer(ngram)?;
    let corpus_idf = match idf {
        "background" => false,
        "corpus" => true,
        other => {
            return Err(PyValueError::new_err(format!(
                "idf must be \"background\" or \"corpus\", got {other:?}"
            )))
        }
    };
    let p = read_score_pairs(py, pairs, b)?;
    let batch = py.detach(move || -> PyResult<RecordBatch> {
        let comparisons = in_pool(num_threads, || {
            // Pass 1, with idf="corpus" only: document frequencies over every text (as
            // `reprint score --idf corpus`).
            let idf = corpus_idf.then(|| {
                p.a.par_iter()
                    .zip(p.b.par_iter())
                    .fold(
                        || (Analyzer::default(), DocIdf::new()),
                        |(mut an, mut t), (x, y)| {
                            for text in [x, y] {
                                let mut stems = an.content_stems(text);
                                stems.sort_unstable();
                                stems.dedup();
                                t.add(&stems);
                            }
                            (an, t)
                        },
                    )
                    .map(|(_, t)| t)
                    .reduce(DocIdf::new, |mut x, y| {
                        x.merge(y);
                        x
                    })
            });
            // Pass 2: compare.
            p.a.par_iter()
                .zip(p.b.par_iter())
                .map_init(
                    || Comparer::new(ngram),
                    |cmp, (x, y)| {
                        let pa = cmp.prepare(x, &|_| false);
                        let pb = cmp.prepare(y, &|_| false);
                        cmp.compare(&pa, &pb, idf.as_ref())
                    },
                )
                .collect::<Vec<_>>()
        })?;
        let n = comparisons.len();
        let ids = |v: &Option<Vec<String>>| -> ArrayRef {
            let mut s = StringBuilder::new();
            for i in 0..n {
                s.append_option(v.as_ref().map(|v| v[i].as_str()));
            }
            Arc::new(s.finish())
        };
        let mut verdict = StringBuilder::new();
        let mut fields = vec![
            Field::new("id_a", DataType::Utf8, true),
            Field::new("id_b", DataType::Utf8, true),
            Field::new("score", DataType::Float64, false),
            Field::new("verdict", DataType::Utf8, false),
            Field::new("coverage_a", DataType::Float64, false),
            Field::new("coverage_b", DataType::Float64, false),
            Field::new("jaccard", DataType::Float64, false),
            Field::new("equivalence", DataType::Float64, true),
        ];
        for c in &comparisons {
            verdict.append_value(verdict_name(c.verdict));
        }
        let fl = |g: &dyn Fn(&reprint::compare::Comparison) -> f64| -> ArrayRef {
            Arc::new(arrow_array::Float64Array::from_iter_values(
                comparisons.iter().map(|c| round(g(c))),
            ))
        };
        let evidence: Vec<ReuseEvidence> = comparisons
            .iter()
            .map(|c| rounded_evidence(&c.evidence))
            .collect();
        let evidence = evidence_array(&evidence);
        let mut columns: Vec<ArrayRef> = vec![
            ids(&p.id_a),
            ids(&p.id_b),
            fl(&|c| c.score),
            Arc::new(verdict.finish()),
            fl(&|c| c.coverage_a),
            fl(&|c| c.coverage_b),
            fl(&|c| c.overlap.jaccard),
            Arc::new(arrow_array::Float64Array::from(
                comparisons
                    .iter()
                    .map(|c| c.equivalence.map(round))
                    .collect::<Vec<_>>(),
            )),
        ];
        fields.push(Field::new("evidence", evidence.data_type().clone(), false));
        columns.push(evidence);
        if passages {
            let item = passages_field();
            let DataType::Struct(item_fields) = item.data_type().clone() else {
                unreachable!("passages_field is a struct")
            };
            let mut list = ListBuilder::new(StructBuilder::from_fields(item_fields, 0))
                .with_field(item.clone());
            for c in &comparisons {
                let sb = list.values();
                for p in PassageRow::all(&c.passages) {
                    for (k, v) in [p.a_start, p.a_end, p.b_start, p.b_end]
                        .into_iter()
                        .enumerate()
                    {
                        sb.field_builder::<Int64Builder>(k)
                            .expect("int field")
                            .append_value(v as i64);
                    }
                    sb.field_builder::<StringBuilder>(4)
                        .expect("kind")
                        .append_value(p.kind);
                    sb.field_builder::<Float64Builder>(5)
                        .expect("score")
                        .append_value(p.score);
                    sb.append(true);
                }
                list.append(true);
            }
            let arr = list.finish();
            fields.push(Field::new("passages", arr.data_type().clone(), false));
            columns.push(Arc::new(arr));
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(arrow_err)
    })?;
    table(py, batch)
}

/// The extension module behind the `reprint` package.
#[pymodule]
fn _reprint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ReprintError", m.py().get_type::<ReprintError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Comparison>()?;
    m.add_class::<Passage>()?;
    m.add_class::<index::PyIndex>()?;
    m.add_function(wrap_pyfunction!(pairs, m)?)?;
    m.add_function(wrap_pyfunction!(clusters, m)?)?;
    m.add_function(wrap_pyfunction!(dedup_columns, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    Ok(())
}
