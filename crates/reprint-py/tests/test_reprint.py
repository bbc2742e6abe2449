"""The Python package against the CLI: same pairs, clusters, dedup, diff and score
results on the seeds and on a generated corpus, from every kind of input.

The CLI is `target/release/reprint` (built by `cargo build --release` when missing),
or the binary named by $REPRINT_BIN.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow as pa
import pytest

import reprint

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"


def run_cli(cli: Path, *args: str, cwd: Path = ROOT, ok=(0, 1)) -> subprocess.CompletedProcess:
    p = subprocess.run(
        [str(cli), "-q", *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert p.returncode in ok, p.stderr
    return p


@pytest.fixture(scope="session")
def seeds() -> tuple[list[str], list[str]]:
    """Ids (paths as `reprint pairs seeds/` names them) and texts of the seeds."""
    files = sorted(SEEDS.glob("*.txt"))
    ids = [f"seeds/{f.name}" for f in files]
    texts = [f.read_text(encoding="utf-8") for f in files]
    return ids, texts


@pytest.fixture(scope="session")
def corpus(cli: Path, tmp_path_factory) -> Path:
    """A generated corpus of 400 documents with planted pairs of every kind."""
    out = tmp_path_factory.mktemp("gen")
    run_cli(cli, "gen", "--docs", "400", "--seed", "3", "--out", str(out / "c"), ok=(0,))
    return out / "c" / "corpus.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def records(corpus: Path) -> list[dict]:
    return read_jsonl(corpus)


def cli_pairs(cli: Path, mode: str, *inputs: str, command: str = "pairs") -> dict:
    p = run_cli(cli, command, "--mode", mode, "--format", "json", *inputs)
    return json.loads(p.stdout)


MODES = [("default", "all"), ("near-dup", "near-dup")]


@pytest.mark.parametrize("mode,cli_mode", MODES)
def test_pairs_equal_cli_on_seeds(cli, seeds, mode, cli_mode):
    ids, texts = seeds
    want = cli_pairs(cli, cli_mode, "seeds/")
    got = reprint.pairs(texts, ids, mode=mode)
    assert got.to_pylist() == want["pairs"]
    meta = got.schema.metadata
    assert int(meta[b"documents"]) == want["documents"] == 5
    assert int(meta[b"candidates"]) == want["candidates"]
    assert json.loads(meta[b"parameters"]) == want["parameters"]
    if mode == "default":
        # The seeds' README: a rewrite and two partial pairs.
        assert sorted(got.column("verdict").to_pylist()) == ["partial", "partial", "rewrite"]


@pytest.mark.parametrize("mode,cli_mode", MODES)
def test_pairs_equal_cli_on_generated_corpus(cli, corpus, records, mode, cli_mode):
    want = cli_pairs(cli, cli_mode, str(corpus))
    assert len(want["pairs"]) > 20
    texts = [r["text"] for r in records]
    ids = [r["id"] for r in records]
    got = reprint.pairs(texts, ids, mode=mode)
    assert got.to_pylist() == want["pairs"]
    got_input = json.loads(got.schema.metadata[b"input"])
    for k in ("documents", "words", "empty", "short"):
        assert got_input[k] == want["input"][k], k
    # The same from a table: ids from its "id" column, texts from "text".
    table = pa.table({"id": ids, "text": texts, "topic": [r["topic"] for r in records]})
    assert reprint.pairs(table, mode=mode).to_pylist() == want["pairs"]


def test_parameters_reach_the_library(cli, corpus, records):
    want = cli_pairs(
        cli, "near-dup", str(corpus), "--threshold", "0.5", "--ngram", "3", "--perms", "64"
    )
    got = reprint.pairs(
        [r["text"] for r in records],
        [r["id"] for r in records],
        mode="near-dup",
        threshold=0.5,
        ngram=3,
        perms=64,
    )
    assert got.to_pylist() == want["pairs"]
    assert json.loads(got.schema.metadata[b"parameters"]) == want["parameters"]


def test_every_input_kind_gives_the_same_pairs(records):
    texts = [r["text"] for r in records]
    ids = [r["id"] for r in records]
    want = reprint.pairs(texts, ids, mode="near-dup").to_pylist()
    assert want
    table = pa.table({"doc": ids, "body": texts})
    inputs = {
        "array": (pa.array(texts), pa.array(ids)),
        "large_string": (pa.array(texts, type=pa.large_string()), ids),
        "string_view": (pa.array(texts, type=pa.string_view()), ids),
        "dictionary": (pa.array(texts).dictionary_encode(), ids),
        "chunked": (pa.chunked_array([texts[:100], texts[100:250], texts[250:]]), ids),
        "tuple": (tuple(texts), tuple(ids)),
    }
    for name, (t, i) in inputs.items():
        assert reprint.pairs(t, i, mode="near-dup").to_pylist() == want, name
    kw = dict(mode="near-dup", text_column="body", id_column="doc")
    assert reprint.pairs(table, **kw).to_pylist() == want
    batches = table.to_batches(max_chunksize=64)
    assert len(batches) > 1
    reader = pa.RecordBatchReader.from_batches(table.schema, batches)
    assert reprint.pairs(reader, **kw).to_pylist() == want
    assert reprint.pairs(batches[0], **kw).num_rows >= 0

    class Stream:
        """Anything that exports the Arrow C stream interface."""

        def __arrow_c_stream__(self, requested_schema=None):
            return table.__arrow_c_stream__(requested_schema)

    assert reprint.pairs(Stream(), **kw).to_pylist() == want
    # Integer ids are read as their text.
    int_ids = list(range(len(texts)))
    by_int = reprint.pairs(texts, int_ids, mode="near-dup").to_pylist()
    assert by_int == reprint.pairs(texts, [str(i) for i in int_ids], mode="near-dup").to_pylist()
    # Without ids: the row number.
    by_row = reprint.pairs(texts, mode="near-dup").to_pylist()
    assert {(p["a"], p["b"]) for p in by_row} == {
        (str(ids.index(p["a"])), str(ids.index(p["b"]))) for p in want
    }


def test_empty_input_has_the_columns():
    t = reprint.pairs([], mode="near-dup")
    assert t.num_rows == 0
    assert t.column_names == [
        "a", "b", "score", "jaccard", "containment_a_in_b", "containment_b_in_a",
        "shared_shingles", "verdict",
    ]
    t = reprint.pairs(["one text here", "another one"])
    assert t.column_names[-3:] == ["coverage_a", "coverage_b", "links"]


@pytest.mark.parametrize("mode,cli_mode", MODES)
def test_clusters_equal_cli(cli, corpus, records, mode, cli_mode):
    want = cli_pairs(cli, cli_mode, str(corpus), command="clusters")
    assert want["clusters"]
    got = reprint.clusters([r["text"] for r in records], [r["id"] for r in records], mode=mode)
    assert got.to_pylist() == want["clusters"]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


@pytest.mark.parametrize(
    "keep,field", [("first", None), ("longest", None), ("max", "q"), ("newest", "date")]
)
def test_dedup_equals_cli(cli, tmp_path, records, keep, field):
    rows = [
        {
            "id": r["id"],
            "text": r["text"],
            "q": (i * 37) % 101,
            "date": f"2024-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}",
        }
        for i, r in enumerate(records)
    ]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    args = ["--keep", keep] + (["--keep-field", field] if field else [])
    run_cli(cli, "dedup", str(src), "--out", str(tmp_path / "kept.jsonl"), *args)
    run_cli(
        cli, "dedup", str(src), "--annotate", "--out", str(tmp_path / "ann.jsonl"), *args
    )
    kept = [r["id"] for r in read_jsonl(tmp_path / "kept.jsonl")]
    ann = read_jsonl(tmp_path / "ann.jsonl")
    assert len(kept) < len(rows)
    table = pa.table({k: [r[k] for r in rows] for k in ("id", "text", "q", "date")})
    got = reprint.dedup(table, keep=keep, keep_field=field)
    assert got.column("id").to_pylist() == kept
    assert got.schema == table.schema
    annotated = reprint.dedup(table, keep=keep, keep_field=field, annotate=True)
    assert annotated.num_rows == len(rows)
    for name in reprint.ANNOTATION_COLUMNS:
        assert annotated.column(name).to_pylist() == [a[name] for a in ann], name
    if field == "date":
        # An Arrow date column is read as its ISO 8601 text.
        dates = pa.array([r["date"] for r in rows]).cast(pa.date32())
        t2 = table.set_column(table.schema.get_field_index("date"), "date", dates)
        assert reprint.dedup(t2, keep=keep, keep_field=field).column("id").to_pylist() == kept


def test_dedup_keeps_the_types_of_the_table(records):
    ids = [r["id"] for r in records]
    texts = [r["text"] for r in records]
    want = reprint.dedup(pa.table({"id": ids, "text": texts})).column("id").to_pylist()
    for t in (pa.string_view(), pa.large_string()):
        table = pa.table({"id": pa.array(ids, type=t), "text": pa.array(texts, type=t)})
        got = reprint.dedup(table)
        assert got.schema == table.schema
        assert got.column("id").to_pylist() == want
    # The zero-copy fallback for types without a filter kernel gives the same rows.
    table = pa.table({"id": ids, "text": texts})
    keep = reprint.dedup(table, annotate=True).column("keep").combine_chunks()
    assert reprint._slice_runs(table, keep).column("id").to_pylist() == want
    assert reprint._slice_runs(table.slice(0, 0), keep.slice(0, 0)).num_rows == 0


def test_dedup_of_a_list_and_errors(records):
    texts = [r["text"] for r in records]
    t = reprint.dedup(texts, annotate=True)
    assert t.column_names == ["text", "cluster_id", "cluster_size", "keep"]
    assert not all(t.column("keep").to_pylist())
    with pytest.raises(ValueError, match="keep_field"):
        reprint.dedup(texts, keep="max")
    with pytest.raises(ValueError, match="keep must be one of"):
        reprint.dedup(texts, keep="best")
    with pytest.raises(ValueError, match="already has a column 'keep'"):
        reprint.dedup(pa.table({"text": texts, "keep": [1] * len(texts)}), annotate=True)
    with pytest.raises(ValueError, match='no text column "body"'):
        reprint.dedup(pa.table({"text": texts}), text_column="body")


def test_compare_equals_cli_diff(cli, tmp_path, seeds):
    _, texts = seeds
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(texts[2], encoding="utf-8")
    b.write_text(texts[3], encoding="utf-8")
    want = json.loads(run_cli(cli, "diff", str(a), str(b), "--format", "json").stdout)
    c = reprint.compare(texts[2], texts[3])
    assert c.verdict == want["verdict"] == "rewrite"
    for k in ("score", "jaccard", "containment_a_in_b", "containment_b_in_a",
              "coverage_a", "coverage_b", "equivalence"):
        assert getattr(c, k) == want[k], k
    assert c.evidence == want["evidence"]
    assert list(c.evidence) == list(want["evidence"])  # the JSON object's key order
    assert [p.as_dict() for p in c.passages] == want["passages"]
    assert c.passages and c.links > 0
    p = c.passages[0]
    # Character offsets into the texts as given.
    assert 0 <= p.a_start < p.a_end <= len(texts[2])
    assert texts[2][p.a_start:p.a_end].strip()
    with pytest.raises(AttributeError):
        c.score = 0.0  # frozen
    u = reprint.compare("a text about one thing entirely", "the other is unrelated to it")
    assert u.verdict == "unrelated" and u.passages == []


def test_score_equals_cli(cli, tmp_path, seeds, records):
    _, texts = seeds
    pairs = [(texts[2], texts[3]), (texts[0], texts[1]), (texts[0], texts[4]),
             (records[0]["text"], records[1]["text"]), (texts[3], texts[3])]
    lines = [{"id_a": f"a{i}", "id_b": f"b{i}", "text_a": x, "text_b": y}
             for i, (x, y) in enumerate(pairs)]
    src = tmp_path / "pairs.jsonl"
    write_jsonl(src, lines)
    want = read_jsonl(Path(run_cli(cli, "score", str(src), "--passages",
                                   "--out", str(tmp_path / "out.jsonl")).args[-1]))
    got = reprint.score(pa.table({k: [ln[k] for ln in lines] for k in lines[0]}), passages=True)
    rows = got.to_pylist()
    plain = reprint.score(pairs).to_pylist()

    def strip(r):
        return {k: v for k, v in r.items() if k not in ("id_a", "id_b", "passages")}

    assert [strip(r) for r in rows] == [strip(r) for r in plain]
    assert plain[0]["id_a"] is None
    for r, w in zip(rows, want, strict=True):
        # The CLI leaves out an absent equivalence or gate logit; the struct column has
        # them as null.
        for key in ("equivalence", "gate_logit"):
            if key not in w["evidence"]:
                assert r["evidence"].pop(key) is None
        assert r == w
    # With idf="corpus", document frequencies over the texts given, as --idf corpus.
    want_corpus = read_jsonl(Path(run_cli(cli, "score", str(src), "--idf", "corpus",
                                          "--out", str(tmp_path / "c.jsonl")).args[-1]))
    got_corpus = reprint.score(pairs, idf="corpus").to_pylist()
    assert [r["score"] for r in got_corpus] == [w["score"] for w in want_corpus]
    assert [r["score"] for r in got_corpus] != [r["score"] for r in plain]
    with pytest.raises(ValueError, match="idf must be"):
        reprint.score(pairs, idf="batch")
    assert reprint.score([p[0] for p in pairs], pa.array([p[1] for p in pairs])).to_pylist() \
        == plain
    with pytest.raises(TypeError, match=r"pairs\[0\]"):
        reprint.score([("only one",)])


def test_errors_are_python_exceptions(cli, tmp_path):
    with pytest.raises(reprint.ReprintError) as e:
        reprint.pairs(["one text", "two text"], ["x", "x"])
    assert isinstance(e.value, ValueError)
    # The CLI's message, with the in-memory location for the file's.
    write_jsonl(tmp_path / "d.jsonl", [{"id": "x", "text": "one text"}, {"id": "x", "text": "two text"}])
    p = run_cli(cli, "pairs", str(tmp_path / "d.jsonl"), ok=(2,))
    cli_message = p.stderr.strip().removeprefix("reprint: error: ")
    assert str(e.value) == cli_message.replace(str(tmp_path / "d.jsonl"), "<memory>")
    with pytest.raises(reprint.ReprintError, match=r"invalid parameter: threshold must be in \(0, 1\]"):
        reprint.pairs(["a"], threshold=0.0)
    with pytest.raises(ValueError, match="invalid parameter: ngram"):
        reprint.compare("a", "b", ngram=0)
    with pytest.raises(ValueError, match="mode must be"):
        reprint.pairs(["a"], mode="fast")
    with pytest.raises(ValueError, match="2 ids for 1 texts"):
        reprint.pairs(["a"], ["x", "y"])
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str"):
        reprint.pairs(["a", 3])
    with pytest.raises(TypeError, match="must be strings"):
        reprint.pairs(pa.array([1, 2, 3]))
    with pytest.raises(ValueError, match="at row 1 is null"):
        reprint.pairs(pa.array(["a", None]))
    with pytest.raises(ValueError, match="num_threads"):
        reprint.pairs(["a"], num_threads=0)
    with pytest.raises(TypeError, match="texts must be a list of str or Arrow data"):
        reprint.pairs(42)


def test_num_threads_gives_the_same_result(records):
    texts = [r["text"] for r in records]
    want = reprint.pairs(texts).to_pylist()
    assert reprint.pairs(texts, num_threads=1).to_pylist() == want
    assert reprint.pairs(texts, num_threads=3).to_pylist() == want


def test_the_gil_is_released(records):
    """Another Python thread makes progress while `pairs` runs.

    With a switch interval far longer than the test, a Python thread can only run
    while the main thread has given up the GIL on its own; so the counter moves during
    the call only if the binding released the GIL (holding it, the count stays put,
    whatever the timing).
    """
    texts = [r["text"] for r in records] * 3
    ids = [str(i) for i in range(len(texts))]
    counter = [0]
    stop = threading.Event()
    started = threading.Event()

    def spin():
        started.set()
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)  # gives the GIL back to the main thread when it wants it

    old = sys.getswitchinterval()
    t = threading.Thread(target=spin)
    t.start()
    started.wait()
    sys.setswitchinterval(1000.0)
    try:
        before = counter[0]
        reprint.pairs(texts, ids, mode="default", num_threads=1)
        during = counter[0] - before
    finally:
        sys.setswitchinterval(old)
        stop.set()
        t.join()
    assert during > 0


def test_every_public_name_is_documented_and_stubbed():
    stub = (Path(reprint.__file__).parent / "__init__.pyi").read_text(encoding="utf-8")
    for name in reprint.__all__:
        obj = getattr(reprint, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), name
            kind = "class" if isinstance(obj, type) else "def"
            assert f"{kind} {name}(" in stub or f"{kind} {name}:" in stub, name
    assert (Path(reprint.__file__).parent / "py.typed").exists()
    assert "mode=" in reprint.pairs.__text_signature__
