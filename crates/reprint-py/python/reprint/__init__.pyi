"""Type stubs of the reprint package (the extension module reprint._reprint and the
Python wrappers in reprint/__init__.py)."""

from typing import Any, Literal, Optional, Protocol, Sequence, Tuple, Union

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
