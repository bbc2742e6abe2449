"""Type stubs of the reprint package (the extension module reprint._reprint and the
Python wrappers in reprint/__init__.py)."""

import datetime
import os
import pathlib
from typing import Any, Literal, Optional, Protocol, Sequence, Tuple, TypedDict, Union

import pyarrow as pa

__version__: str

#: The columns dedup(annotate=True) adds.
ANNOTATION_COLUMNS: Tuple[str, str, str]

class _ArrowStream(Protocol):
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...

class _ArrowArray(Protocol):
    def __arrow_c_array__(self, requested_schema: Any = None) -> Any: ...

#: A list of texts, or Arrow data: strings (Array, ChunkedArray, a Polars Series) or a
#: table (Table, RecordBatch, RecordBatchReader, a Polars DataFrame, a DuckDB result).
Texts = Union[Sequence[str], _ArrowStream, _ArrowArray]
Ids = Union[Sequence[Union[str, int]], _ArrowStream, _ArrowArray]
Mode = Literal["default", "all", "near-dup"]
Scheme = Literal["one-permutation", "multiply-shift"]
KeepPolicy = Literal["first", "longest", "earliest", "newest", "max"]

class ReprintError(ValueError):
    """An error of the reprint library, with the message the CLI prints."""

class Passage:
    """One aligned passage: character offsets (str indexes, end exclusive) into the two
    texts, its kind (identical, edited or paraphrase) and score."""

    @property
    def a_start(self) -> int: ...
    @property
    def a_end(self) -> int: ...
    @property
    def b_start(self) -> int: ...
    @property
    def b_end(self) -> int: ...
    @property
    def kind(self) -> Literal["identical", "edited", "paraphrase"]: ...
    @property
    def score(self) -> float: ...
    @property
    def links(self) -> int: ...
    def as_dict(self) -> dict[str, Any]:
        """The passage as a dict with the keys of `reprint diff --format json`."""

class Comparison:
    """The comparison of two texts, figures rounded to 6 decimals (frozen)."""

    @property
    def score(self) -> float:
        """The document score D, in [0, 1]."""
    @property
    def verdict(
        self,
    ) -> Literal["duplicate", "near-duplicate", "rewrite", "partial", "unrelated"]: ...
    @property
    def coverage_a(self) -> float:
        """Share of A's words in aligned sentences."""
    @property
    def coverage_b(self) -> float:
        """Share of B's words in aligned sentences."""
    @property
    def jaccard(self) -> float: ...
    @property
    def containment_a_in_b(self) -> float: ...
    @property
    def containment_b_in_a(self) -> float: ...
    @property
    def shared_shingles(self) -> int: ...
    @property
    def equivalence(self) -> Optional[float]:
        """Sentence equivalence, for short texts only."""
    @property
    def links(self) -> int:
        """Paragraph links of the alignment."""
    @property
    def passages(self) -> list[Passage]: ...
    @property
    def evidence(self) -> dict[str, Any]:
        """The evidence object of `reprint diff --format json` (a new dict each time)."""

def pairs(
    texts: Texts,
    ids: Optional[Ids] = None,
    *,
    mode: Mode = "default",
    threshold: float = 0.8,
    ngram: int = 5,
    perms: int = 128,
    scheme: Scheme = "one-permutation",
    containment: Optional[float] = None,
    max_size_ratio: float = 4.0,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    max_bucket: int = 500,
    max_doc_mib: int = 64,
    text_column: str = "text",
    id_column: Optional[str] = None,
    num_threads: Optional[int] = None,
) -> pa.Table:
    """Every similar pair of `texts`, as `reprint pairs --format json` lists them.

    Columns: a, b, score, jaccard, containment_a_in_b, containment_b_in_a,
    shared_shingles, verdict, and in the default mode coverage_a, coverage_b, links
    (null for an unaligned duplicate). Sorted by score (descending), then ids. Ids
    default to the table's "id" column when it has one, else the row number ("0",
    "1", ...). The schema metadata holds the run's parameters and input counts.
    """

def clusters(
    texts: Texts,
    ids: Optional[Ids] = None,
    *,
    mode: Mode = "default",
    threshold: float = 0.8,
    ngram: int = 5,
    perms: int = 128,
    scheme: Scheme = "one-permutation",
    containment: Optional[float] = None,
    max_size_ratio: float = 4.0,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    max_bucket: int = 500,
    max_doc_mib: int = 64,
    text_column: str = "text",
    id_column: Optional[str] = None,
    num_threads: Optional[int] = None,
) -> pa.Table:
    """Groups of documents derived as a whole, as `reprint clusters --format json`.

    Columns: cluster (deterministic id), size, members (list of ids, input order).
    """

def dedup(
    table: Any,
    *,
    text_column: str = "text",
    id_column: Optional[str] = None,
    keep: KeepPolicy = "first",
    keep_field: Optional[str] = None,
    annotate: bool = False,
    mode: Mode = "near-dup",
    threshold: float = 0.8,
    ngram: int = 5,
    perms: int = 128,
    scheme: Scheme = "one-permutation",
    containment: Optional[float] = None,
    max_size_ratio: float = 4.0,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    max_bucket: int = 500,
    max_doc_mib: int = 64,
    num_threads: Optional[int] = None,
) -> pa.Table:
    """The table without its near-duplicates (one row kept per cluster), or with
    annotate=True every row with cluster_id, cluster_size and keep appended."""

def dedup_columns(
    texts: Texts,
    ids: Optional[Ids] = None,
    *,
    keep: KeepPolicy = "first",
    keep_field: Optional[str] = None,
    mode: Mode = "near-dup",
    threshold: float = 0.8,
    ngram: int = 5,
    perms: int = 128,
    scheme: Scheme = "one-permutation",
    containment: Optional[float] = None,
    max_size_ratio: float = 4.0,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    max_bucket: int = 500,
    max_doc_mib: int = 64,
    text_column: str = "text",
    id_column: Optional[str] = None,
    num_threads: Optional[int] = None,
) -> pa.Table:
    """The three annotation columns of dedup (cluster_id, cluster_size, keep), one row
    per input row."""

def compare(a: str, b: str, *, ngram: int = 5) -> Comparison:
    """Compares two texts as `reprint diff A B --format json` does."""

def score(
    pairs: Union[Sequence[Tuple[str, str]], Texts],
    b: Optional[Texts] = None,
    *,
    ngram: int = 5,
    passages: bool = False,
    idf: Literal["background", "corpus"] = "background",
    num_threads: Optional[int] = None,
) -> pa.Table:
    """Scores many pairs as `reprint score` does: a list of (a, b), a table with
    text_a/text_b (and id_a/id_b) columns, or two sequences score(a, b). IDF comes from
    the fixed background table (a pair's result does not depend on the others), or
    with idf="corpus" from document frequencies over all the texts given.

    Columns: id_a, id_b, score, verdict, coverage_a, coverage_b, jaccard, equivalence,
    evidence (struct), and with passages=True passages (list of struct)."""

#: Dates given on their own (Index.add(dates=...)): ISO 8601 text, dates, datetimes
#: (naive ones are UTC) or None, or an Arrow array of strings, dates or timestamps.
Dates = Union[Sequence[Union[str, datetime.date, datetime.datetime, None]], _ArrowStream, _ArrowArray]
Sources = Union[Sequence[Optional[str]], _ArrowStream, _ArrowArray]
StrPath = Union[str, os.PathLike[str]]

class AddReport(TypedDict):
    commit: int
    added: int
    documents: int
    cleaned: int
    segment: Optional[str]
    input: dict[str, int]

class RemoveReport(TypedDict):
    commit: int
    removed: int
    documents: int
    cleaned: int

class CompactReport(TypedDict):
    commit: int
    kept: int
    dropped: int
    documents: int
    cleaned: int
    segments_before: int
    segments: int

class Document(TypedDict):
    id: str
    text: str
    date: Optional[str]
    date_seconds: Optional[int]
    source: Optional[str]
    origin: str
    segment: str

class Index:
    """A persistent index (`reprint index ...`): new documents checked against an
    archive without re-reading it.

    Index(path) / Index.open(path) opens one, Index.create(path, ...) makes one. The
    object sees other writers' commits (other objects, processes, the CLI) at its next
    call. Each write takes the index's write lock for that call only; a write while
    another process writes raises ReprintError ("the index is locked by another writer
    (pid N)"). Writes through one object from several threads wait for one another.
    Dates and sources are stored per document, but queries do not filter by them (nor
    does the CLI yet).
    """

    def __init__(self, path: StrPath) -> None: ...
    @staticmethod
    def open(path: StrPath) -> Index:
        """Opens the index in directory path."""
    @staticmethod
    def create(
        path: StrPath,
        *,
        ngram: int = 5,
        perms: int = 128,
        threshold: float = 0.8,
        scheme: Scheme = "one-permutation",
        containment: Optional[float] = None,
        max_size_ratio: float = 4.0,
        bands: Optional[int] = None,
        rows: Optional[int] = None,
        text_field: str = "text",
        id_field: str = "id",
    ) -> Index:
        """Creates an empty index in a new or empty directory, as `reprint index create`
        (same options and defaults), and opens it."""
    @property
    def path(self) -> pathlib.Path:
        """The index directory, as given."""
    @property
    def options(self) -> dict[str, Any]:
        """The options fixed at creation (`options` of `reprint index stats --format json`)."""
    @property
    def commit(self) -> int:
        """The commit counter of the last commit."""
    @property
    def closed(self) -> bool: ...
    def add(
        self,
        texts: Texts,
        ids: Optional[Ids] = None,
        *,
        dates: Optional[Dates] = None,
        sources: Optional[Sources] = None,
        text_column: str = "text",
        id_column: Optional[str] = None,
        date_column: Optional[str] = None,
        source_column: Optional[str] = None,
        origin: Optional[str] = None,
        skip_bad_dates: bool = False,
        max_doc_mib: int = 64,
        num_threads: Optional[int] = None,
    ) -> AddReport:
        """Adds documents as one new segment in one commit (`reprint index add`); ids
        already in the index, or given twice, raise ReprintError and nothing is
        committed."""
    def query(
        self,
        texts: Texts,
        ids: Optional[Ids] = None,
        *,
        within: bool = False,
        add: bool = False,
        mode: Literal["near-dup", "default", "all"] = "near-dup",
        max_bucket: int = 500,
        dates: Optional[Dates] = None,
        sources: Optional[Sources] = None,
        text_column: str = "text",
        id_column: Optional[str] = None,
        date_column: Optional[str] = None,
        source_column: Optional[str] = None,
        origin: Optional[str] = None,
        skip_bad_dates: bool = False,
        max_doc_mib: int = 64,
        num_threads: Optional[int] = None,
    ) -> pa.Table:
        """The pairs between texts and the index (with within=True among the new ones
        too), as `reprint index query --mode near-dup --format json` lists them: columns
        a, b, score, jaccard, containment_a_in_b, containment_b_in_a, shared_shingles,
        verdict, earlier (the id of whichever has the earlier date, None when the dates
        do not say). With add=True the documents are added in the same commit. Metadata:
        the CLI's JSON keys, plus archive, star_buckets and (add=True) commit.
        mode="default" runs the default mode over the stored texts and the new ones
        (rewrites and partial reuse too, with coverage_a, coverage_b, links): the pairs
        of reprint.pairs(archive + new) touching the new documents, at about its cost."""
    def remove(self, ids: Ids) -> RemoveReport:
        """Removes documents by id in one commit (`reprint index remove`)."""
    def compact(self) -> CompactReport:
        """Merges every segment into one, dropping removed documents (`reprint index compact`)."""
    def stats(self) -> dict[str, Any]:
        """`reprint index stats --format json` as a dict."""
    def verify(self) -> list[str]:
        """Checks everything (`reprint index verify`): the problems, [] when sound."""
    def text(self, id: Union[str, int]) -> Optional[str]:
        """The stored text of a live document, or None."""
    def document(self, id: Union[str, int]) -> Optional[Document]:
        """A live document: id, text, date (as given), date_seconds (Unix time, UTC),
        source, origin, segment; or None."""
    def ids(self) -> pa.Array:
        """The live documents' ids in archive order (a pyarrow string Array)."""
    def close(self) -> None:
        """Releases the open segments; later calls raise ValueError."""
    def __enter__(self) -> Index: ...
    def __exit__(self, *args: Any) -> bool: ...
    def __reduce__(self) -> Tuple[type, Tuple[pathlib.Path]]:
        """Pickled as its path: unpickling opens the index again."""
    def __len__(self) -> int: ...
    def __contains__(self, id: object) -> bool: ...
