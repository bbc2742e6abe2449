"""reprint: find near-duplicate and rewritten texts in a corpus.

Texts go in as a ``list[str]`` or as Arrow data (a pyarrow ``Array``,
``ChunkedArray``, ``Table``, ``RecordBatch``, ``RecordBatchReader``, or any
object with ``__arrow_c_array__`` / ``__arrow_c_stream__``: Polars, DuckDB,
Hugging Face datasets in Arrow format). Results come back as pyarrow tables
with the columns and values of the ``reprint`` CLI's JSON output. The GIL is
released while the Rust library works.

Functions: :func:`pairs`, :func:`clusters`, :func:`dedup`, :func:`compare`,
:func:`score`. A persistent index (``reprint index ...``): :class:`Index`.
Errors of the library are :class:`ReprintError` (a ``ValueError``) with the
message the CLI prints.
"""

from __future__ import annotations

from typing import Any, Optional

from ._reprint import (
    Comparison,
    Index,
    Passage,
    ReprintError,
    __version__,
    clusters,
    compare,
    pairs,
    score,
)
from ._reprint import dedup_columns

_dedup_columns = dedup_columns

__all__ = [
    "Comparison",
    "Index",
    "Passage",
    "ReprintError",
    "__version__",
    "clusters",
    "compare",
    "dedup",
    "dedup_columns",
    "pairs",
    "score",
    "ANNOTATION_COLUMNS",
]

#: The columns :func:`dedup` adds with ``annotate=True`` (as ``reprint dedup --annotate``).
ANNOTATION_COLUMNS = ("cluster_id", "cluster_size", "keep")


def _as_table(data: Any, text_column: str) -> Any:
    import pyarrow as pa

    if isinstance(data, pa.Table):
        return data
    if isinstance(data, (list, tuple)):
        return pa.table({text_column: pa.array(data, type=pa.string())})
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        # Polars, DuckDB, a RecordBatchReader (read once, here): materialized once as a
        # pyarrow Table, without copying the buffers.
        return pa.table(data)
    raise TypeError(
        "dedup takes a table: a pyarrow Table or RecordBatch, an object with "
        f"__arrow_c_stream__ (Polars, DuckDB, ...), or a list of str; got {type(data).__name__}"
    )


def _kept_rows(tbl: Any, keep: Any) -> Any:
    """The rows of `tbl` where `keep` is true."""
    import pyarrow as pa

    try:
        return tbl.filter(keep)
    except pa.ArrowNotImplementedError:
        # No filter kernel for some types (string_view in older pyarrow, as Polars
        # exports strings).
        return _slice_runs(tbl, keep)


def _slice_runs(tbl: Any, keep: Any) -> Any:
    """`tbl.filter(keep)` as zero-copy slices of the runs of kept rows."""
    import pyarrow as pa

    parts, start = [], None
    for i, k in enumerate(keep.to_pylist() + [False]):
        if k and start is None:
            start = i
        elif not k and start is not None:
            parts.append(tbl.slice(start, i - start))
            start = None
    return pa.concat_tables(parts) if parts else tbl.slice(0, 0)


def dedup(
    table: Any,
    *,
    text_column: str = "text",
    id_column: Optional[str] = None,
    keep: str = "first",
    keep_field: Optional[str] = None,
    annotate: bool = False,
    mode: str = "near-dup",
    threshold: float = 0.8,
    ngram: int = 5,
    perms: int = 128,
    scheme: str = "one-permutation",
    containment: Optional[float] = None,
    max_size_ratio: float = 4.0,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    max_bucket: int = 500,
    max_doc_mib: int = 64,
    num_threads: Optional[int] = None,
) -> Any:
    """Removes near-duplicates from a table, keeping one row per cluster.

    What ``reprint dedup`` does to a JSON Lines corpus, on a table: the rows are
    clustered by their verified pairs (whole-document verdicts only) and each
    cluster keeps one row by the ``keep`` policy: ``"first"`` (input order),
    ``"longest"`` (most words), or ``"earliest"`` / ``"newest"`` (an ISO 8601
    date or date-time, or an Arrow date/timestamp, in column ``keep_field``) or
    ``"max"`` (a number in ``keep_field``); ties go to the first row.

    Args:
        table: a pyarrow Table or RecordBatch, anything with ``__arrow_c_stream__``
            (a Polars DataFrame, a DuckDB result, a RecordBatchReader), or a
            ``list[str]`` (then a one-column table ``text_column``).
        text_column: the column holding the texts.
        id_column: the column holding the ids (default: ``"id"`` when the table has
            one, else the row number); ids must be unique.
        keep: the keep policy (see above).
        keep_field: the column the ``earliest``, ``newest`` and ``max`` policies read.
        annotate: ``False`` (the default, as ``reprint dedup``): only the kept rows,
            with the table's columns. ``True`` (as ``reprint dedup --annotate``): every
            row, with ``cluster_id`` (null outside clusters), ``cluster_size`` (1
            outside clusters) and ``keep`` appended.
        mode: ``"near-dup"`` (default, as ``reprint dedup``) or ``"default"``.
        threshold, ngram, perms, scheme, containment, max_size_ratio, bands, rows,
        max_bucket, max_doc_mib: as in :func:`pairs`. Rows larger than
            ``max_doc_mib`` are not compared and not kept, as the CLI leaves them out.
        num_threads: worker threads (default: one per core).

    Returns:
        a pyarrow Table.

    Raises:
        ReprintError: duplicate ids, invalid parameters.
        ValueError: an annotation column already in the table, a missing column.
    """
    tbl = _as_table(table, text_column)
    if annotate:
        clash = [c for c in ANNOTATION_COLUMNS if c in tbl.column_names]
        if clash:
            raise ValueError(
                f"the table already has a column {clash[0]!r}; dedup(annotate=True) adds "
                + ", ".join(ANNOTATION_COLUMNS)
            )
    cols = _dedup_columns(
        tbl,
        text_column=text_column,
        id_column=id_column,
        keep=keep,
        keep_field=keep_field,
        mode=mode,
        threshold=threshold,
        ngram=ngram,
        perms=perms,
        scheme=scheme,
        containment=containment,
        max_size_ratio=max_size_ratio,
        bands=bands,
        rows=rows,
        max_bucket=max_bucket,
        max_doc_mib=max_doc_mib,
        num_threads=num_threads,
    )
    if not annotate:
        return _kept_rows(tbl, cols.column("keep"))
    for name in ANNOTATION_COLUMNS:
        tbl = tbl.append_column(cols.schema.field(name), cols.column(name))
    return tbl
