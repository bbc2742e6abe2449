"""`reprint.Index` against the CLI's `reprint index ...`: the same pairs, stats and
errors on the same index, an index written by one read by the other, the answers of
`reprint.pairs(mode="near-dup")` over the archive then the new documents, the write
lock, and the commits of other writers seen by an open object.

The CLI is `target/release/reprint` (built by `cargo build --release` when missing),
or the binary named by $REPRINT_BIN.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow as pa
import pytest

import reprint

ROOT = Path(__file__).resolve().parents[3]

PAIR_COLUMNS = [
    "a",
    "b",
    "score",
    "jaccard",
    "containment_a_in_b",
    "containment_b_in_a",
    "shared_shingles",
    "verdict",
    "earlier",
]


def run_cli(cli: Path, *args: str, ok=(0, 1)) -> subprocess.CompletedProcess:
    p = subprocess.run(
        [str(cli), "-q", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert p.returncode in ok, p.stderr
    return p


def cli_error(cli: Path, *args: str) -> str:
    """The message the CLI prints for a failing command, without its prefix."""
    p = run_cli(cli, *args, ok=(2,))
    return p.stderr.strip().removeprefix("reprint: error: ")


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path


SOURCES = ["AP", "Reuters", None, "AFP"]


def with_fields(rows: list[dict]) -> list[dict]:
    """Rows with a date (some missing) and a source (some missing)."""
    out = []
    for i, r in enumerate(rows):
        r = dict(r)
        if i % 5:
            r["published"] = f"2024-0{1 + i % 9}-{1 + i % 28:02d}T{i % 24:02d}:30:00Z"
        if SOURCES[i % 4]:
            r["agency"] = SOURCES[i % 4]
        out.append(r)
    return out


class Data:
    """A generated corpus as two archive batches and a batch of new documents (the
    generator's own, edits of archive documents, and copies of one, more than
    max_bucket=8 of them: a star), as rows and as JSON Lines files."""

    def __init__(self, cli: Path, tmp: Path):
        run_cli(cli, "gen", "--docs", "500", "--seed", "11", "--out", tmp / "gen", ok=(0,))
        with open(tmp / "gen" / "corpus.jsonl", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        rows = [{"id": r["id"], "text": r["text"]} for r in rows]
        archive, fresh = rows[:400], rows[400:]
        new = list(fresh)
        for i, r in enumerate(archive[::13]):
            words = r["text"].split(" ")
            words[len(words) // 2] = "CHANGED"
            new.append({"id": f"edit{i:03}", "text": " ".join(words)})
        for i in range(12):
            new.append({"id": f"copy{i:03}", "text": archive[7]["text"]})
        self.batches = [with_fields(archive[:200]), with_fields(archive[200:])]
        self.new = new
        self.batch_files = [
            write_jsonl(tmp / f"batch{i}.jsonl", b) for i, b in enumerate(self.batches)
        ]
        self.new_file = write_jsonl(tmp / "new.jsonl", new)

    @property
    def archive(self) -> list[dict]:
        return self.batches[0] + self.batches[1]


@pytest.fixture(scope="session")
def data(cli, tmp_path_factory) -> Data:
    return Data(cli, tmp_path_factory.mktemp("index-data"))


def texts(rows):
    return [r["text"] for r in rows]


def ids(rows):
    return [r["id"] for r in rows]


def py_index(path: Path, data: Data, **options) -> reprint.Index:
    idx = reprint.Index.create(path, **options)
    for b in data.batches:
        idx.add(texts(b), ids(b))
    return idx


def cli_index(cli: Path, path: Path, data: Data, *options: str) -> Path:
    run_cli(cli, "index", "create", path, *options, ok=(0,))
    for f in data.batch_files:
        run_cli(cli, "index", "add", path, f, ok=(0,))
    return path


def cli_query(cli: Path, path: Path, new: Path, *args: str) -> dict:
    p = run_cli(cli, "index", "query", path, new, "--mode", "near-dup", "--format", "json", *args)
    return json.loads(p.stdout)


def assert_same_result(got: pa.Table, want: dict):
    assert got.column_names == PAIR_COLUMNS
    assert got.to_pylist() == want["pairs"]
    meta = got.schema.metadata
    assert meta[b"mode"] == b"near-dup" == want["mode"].encode()
    assert meta[b"schema"].decode() == want["schema"]
    assert int(meta[b"documents"]) == want["documents"]
    assert int(meta[b"candidates"]) == want["candidates"]
    assert json.loads(meta[b"parameters"]) == want["parameters"]
    got_input = json.loads(meta[b"input"])
    for k in ("documents", "words", "empty", "short", "text_bytes"):
        assert got_input[k] == want["input"][k], k


@pytest.mark.parametrize("within", [False, True])
@pytest.mark.parametrize("max_bucket", [500, 8])
def test_query_equals_cli(cli, tmp_path, data, within, max_bucket):
    py_path = tmp_path / "py.idx"
    idx = py_index(py_path, data)
    cli_path = cli_index(cli, tmp_path / "cli.idx", data)
    args = ["--max-bucket", str(max_bucket)] + (["--within"] if within else [])
    want = cli_query(cli, cli_path, data.new_file, *args)
    assert len(want["pairs"]) > 30
    got = idx.query(texts(data.new), ids(data.new), within=within, max_bucket=max_bucket)
    assert_same_result(got, want)
    # The CLI reads the index Python wrote, and Python the CLI's.
    assert cli_query(cli, py_path, data.new_file, *args)["pairs"] == want["pairs"]
    other = reprint.Index(cli_path).query(
        texts(data.new), ids(data.new), within=within, max_bucket=max_bucket
    )
    assert other.to_pylist() == want["pairs"]
    meta = got.schema.metadata
    assert int(meta[b"archive"]) == 400
    assert (int(meta[b"star_buckets"]) > 0) == (max_bucket == 8)
    assert b"commit" not in meta
    # A query adds nothing.
    assert len(idx) == 400 and idx.commit == 2


def test_query_equals_pairs_over_archive_then_new(tmp_path, data):
    idx = py_index(tmp_path / "ix", data, threshold=0.6, ngram=3)
    everything = data.archive + data.new
    all_pairs = reprint.pairs(
        texts(everything), ids(everything), mode="near-dup", threshold=0.6, ngram=3
    ).to_pylist()
    new_ids = set(ids(data.new))
    touching = [p for p in all_pairs if p["a"] in new_ids or p["b"] in new_ids]
    between = [p for p in touching if (p["a"] in new_ids) != (p["b"] in new_ids)]
    assert len(between) > 30 and len(touching) > len(between)
    def undated(rows):
        # No dates were given: `earlier` (the index's column) is null throughout.
        assert all(r.pop("earlier") is None for r in rows)
        return rows

    assert undated(idx.query(texts(data.new), ids(data.new), within=True).to_pylist()) == touching
    assert undated(idx.query(texts(data.new), ids(data.new)).to_pylist()) == between


def test_default_mode_query_equals_pairs_and_cli(cli, tmp_path, data):
    idx = py_index(tmp_path / "ix", data)
    everything = data.archive + data.new
    all_pairs = reprint.pairs(texts(everything), ids(everything)).to_pylist()
    new_ids = set(ids(data.new))
    touching = [p for p in all_pairs if p["a"] in new_ids or p["b"] in new_ids]
    assert len(touching) > 30
    got = idx.query(texts(data.new), ids(data.new), within=True, mode="default")
    assert got.schema.metadata[b"mode"] == b"all"
    rows = got.to_pylist()
    assert all(r.pop("earlier") is None for r in rows)
    assert rows == touching
    cli_path = cli_index(cli, tmp_path / "cli.idx", data)
    p = run_cli(cli, "index", "query", cli_path, data.new_file, "--within", "--format", "json")
    assert json.loads(p.stdout)["pairs"] == got.to_pylist()


def test_options_and_stats_equal_cli(cli, tmp_path, data):
    for options, flags in [
        ({}, []),
        (
            dict(ngram=3, threshold=0.5, perms=64, containment=0.7, text_field="body", id_field="key"),
            ["--ngram", "3", "--threshold", "0.5", "--perms", "64", "--containment", "0.7",
             "--text-field", "body", "--id-field", "key"],
        ),
        (dict(scheme="multiply-shift", bands=16, rows=8), ["--scheme", "multiply-shift", "--bands", "16", "--rows", "8"]),
    ]:
        name = f"o{len(flags)}"
        idx = reprint.Index.create(tmp_path / f"{name}.py", **options)
        run_cli(cli, "index", "create", tmp_path / f"{name}.cli", *flags, ok=(0,))
        cli_stats = json.loads(
            run_cli(cli, "index", "stats", tmp_path / f"{name}.cli", "--format", "json").stdout
        )
        assert idx.stats() == cli_stats
        assert idx.options == cli_stats["options"]
    # Stats of an index with documents: what the CLI says about the same directory.
    idx = py_index(tmp_path / "full", data)
    idx.remove(["doc00000003"])
    st = idx.stats()
    assert st == json.loads(run_cli(cli, "index", "stats", tmp_path / "full", "--format", "json").stdout)
    assert (st["documents"], st["segments"], st["tombstones"], st["commit"]) == (399, 2, 1, 3)
    assert len(idx) == 399


def test_query_add_commits_what_it_queried(cli, tmp_path, data):
    idx = py_index(tmp_path / "ix", data)
    plain = idx.query(texts(data.new), ids(data.new), within=True)
    added = idx.query(texts(data.new), ids(data.new), within=True, add=True)
    assert added.to_pylist() == plain.to_pylist()
    report = json.loads(added.schema.metadata[b"commit"])
    assert report == {"commit": 3, "added": len(data.new), "documents": 400 + len(data.new), "cleaned": 0}
    assert len(idx) == 400 + len(data.new) and idx.commit == 3
    assert idx.text("copy003") == data.archive[7]["text"]
    # As `index query --add` does on the CLI's index.
    cli_path = cli_index(cli, tmp_path / "cli.idx", data)
    cli_query(cli, cli_path, data.new_file, "--within", "--add")
    assert reprint.Index(cli_path).stats()["documents"] == 400 + len(data.new)
    # Querying them again: their ids are in the index now, as on the CLI.
    with pytest.raises(reprint.ReprintError, match="duplicate document id"):
        idx.query(texts(data.new), ids(data.new))


def test_duplicate_ids_are_refused_like_the_cli(cli, tmp_path, data):
    path = tmp_path / "ix"
    idx = py_index(path, data)
    dup = [{"id": "doc00000005", "text": "a text of its own, not in the archive"}]
    f = write_jsonl(tmp_path / "dup.jsonl", dup)
    want = cli_error(cli, "index", "add", path, f)
    with pytest.raises(reprint.ReprintError) as e:
        idx.add(texts(dup), ids(dup))
    assert isinstance(e.value, ValueError)
    assert "doc00000005" in want and "(in the index, seg-00000001.rps)" in want
    assert str(e.value) == want.replace(str(f), "<memory>")
    # Twice in one call, with the origin named.
    with pytest.raises(reprint.ReprintError) as e:
        idx.add(["one", "two"], ["x", "x"], origin="today.parquet")
    assert str(e.value) == 'duplicate document id "x": first at today.parquet:1, again at today.parquet:2'
    with pytest.raises(reprint.ReprintError, match="duplicate document id"):
        idx.query(["one", "two"], ["x", "x"])
    # Nothing was committed.
    assert (len(idx), idx.commit) == (400, 2)
    assert reprint.Index(path).verify() == []


def hold_lock(path: Path, pid: int):
    """Takes the index's write lock as another process would (flock, pid in LOCK)."""
    fcntl = pytest.importorskip("fcntl")
    f = open(path / "LOCK", "r+")
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    f.truncate(0)
    f.write(str(pid))
    f.flush()
    return f


def test_a_second_writer_gets_the_clis_message(cli, tmp_path, data):
    path = tmp_path / "ix"
    idx = py_index(path, data)
    # Python holds no lock between calls: the CLI writes to the index it has open.
    run_cli(cli, "index", "remove", path, "doc00000001", ok=(0,))
    held = hold_lock(path, 424242)
    try:
        want = cli_error(cli, "index", "remove", path, "doc00000002")
        assert want == f"{path}: the index is locked by another writer (pid 424242)"
        for write in (
            lambda: idx.add(["a new text"], ["n1"]),
            lambda: idx.remove(["doc00000002"]),
            lambda: idx.compact(),
            lambda: idx.query(["a new text"], ["n1"], add=True),
        ):
            with pytest.raises(reprint.ReprintError) as e:
                write()
            assert str(e.value) == want
        # Readers go on.
        assert len(idx) == 399
        assert idx.query(texts(data.new[:20]), ids(data.new[:20])).num_columns == 9
    finally:
        held.close()
    # Released, the lock is Python's for the call only.
    assert idx.add(["a new text"], ["n1"])["commit"] == 4
    run_cli(cli, "index", "add", path, write_jsonl(tmp_path / "n2.jsonl", [{"id": "n2", "text": "x"}]), ok=(0,))


def test_an_open_index_sees_other_writers(cli, tmp_path, data):
    path = tmp_path / "ix"
    idx = py_index(path, data)
    other = reprint.Index(path)
    assert len(other) == 400
    idx.add(texts(data.new[:10]), ids(data.new[:10]))
    assert len(other) == 410 and "doc00000400" in other and other.commit == 3
    run_cli(cli, "index", "remove", path, "doc00000400", ok=(0,))
    assert "doc00000400" not in idx and len(idx) == 409
    # A compaction elsewhere deletes the segment files this object had open.
    run_cli(cli, "index", "compact", path, ok=(0,))
    assert sorted(p.name for p in path.glob("seg-*.rps")) == ["seg-00000005.rps"]
    got = idx.query(texts(data.new[10:]), ids(data.new[10:]))
    assert got.to_pylist() == cli_query(cli, path, write_jsonl(tmp_path / "q.jsonl", data.new[10:]))["pairs"]
    assert idx.stats()["segments"] == 1


def test_remove_and_compact(cli, tmp_path, data):
    path = tmp_path / "ix"
    idx = py_index(path, data)
    before = idx.query(texts(data.new), ids(data.new)).to_pylist()
    gone = sorted({p["a"] for p in before})[:3]
    assert len(gone) == 3
    r = idx.remove(gone + [gone[0]])
    assert r == {"commit": 3, "removed": 3, "documents": 397, "cleaned": 0}
    assert all(g not in idx and idx.text(g) is None for g in gone)
    after = idx.query(texts(data.new), ids(data.new)).to_pylist()
    assert after == [p for p in before if p["a"] not in gone]
    with pytest.raises(reprint.ReprintError) as e:
        idx.remove(["doc00000010", gone[0]])
    assert str(e.value) == cli_error(cli, "index", "remove", path, gone[0])
    assert "doc00000010" in idx  # nothing removed
    with pytest.raises(TypeError, match="list of ids"):
        idx.remove("doc00000010")
    assert idx.remove([]) == {"commit": 3, "removed": 0, "documents": 397, "cleaned": 0}
    c = idx.compact()
    assert c == {
        "commit": 4,
        "kept": 397,
        "dropped": 3,
        "documents": 397,
        "cleaned": 2,
        "segments_before": 2,
        "segments": 1,
    }
    assert sorted(p.name for p in path.glob("seg-*.rps")) == ["seg-00000004.rps"]
    assert idx.query(texts(data.new), ids(data.new)).to_pylist() == after
    assert idx.verify() == []
    assert run_cli(cli, "index", "verify", path).returncode == 0
    # Removed ids may come back.
    idx.add([data.archive[0]["text"]], [gone[0]])
    assert gone[0] in idx


def test_verify_reports_damage_as_the_cli(cli, tmp_path, data):
    path = tmp_path / "ix"
    idx = py_index(path, data)
    seg = path / "seg-00000002.rps"
    good = seg.read_bytes()
    b = bytearray(good)
    b[len(b) // 2] ^= 0x40  # in the texts: checked when read, and by verify
    seg.write_bytes(bytes(b))
    problems = idx.verify()
    assert problems and all("seg-00000002.rps" in p for p in problems)
    p = run_cli(cli, "index", "verify", path, ok=(1,))
    assert p.stdout.splitlines() == problems
    # The header: the index no longer opens.
    b = bytearray(good)
    b[20] ^= 0x40
    seg.write_bytes(bytes(b))
    with pytest.raises(reprint.ReprintError, match="seg-00000002.rps"):
        reprint.Index(path)


def test_arrow_inputs_give_the_same_index(tmp_path, data):
    want = py_index(tmp_path / "list", data)
    want_pairs = want.query(texts(data.new), ids(data.new), within=True).to_pylist()
    tables = [
        pa.table({"key": ids(b), "body": texts(b), "n": list(range(len(b)))}) for b in data.batches
    ]
    # A Table, a RecordBatchReader, and an object with only __arrow_c_stream__.
    class Stream:
        def __init__(self, t):
            self.t = t

        def __arrow_c_stream__(self, requested_schema=None):
            return self.t.__arrow_c_stream__(requested_schema)

    idx = reprint.Index.create(tmp_path / "arrow")
    idx.add(tables[0], text_column="body", id_column="key")
    r = idx.add(
        pa.RecordBatchReader.from_batches(tables[1].schema, tables[1].to_batches(max_chunksize=37)),
        text_column="body",
        id_column="key",
    )
    assert r["added"] == 200 and r["segment"] == "seg-00000002.rps"
    new = pa.table({"id": ids(data.new), "text": texts(data.new)})
    assert idx.query(Stream(new), within=True).to_pylist() == want_pairs
    # Strings as large_string / string_view, ids from an Arrow array, a RecordBatch.
    assert idx.query(pa.array(texts(data.new), pa.large_string()), pa.array(ids(data.new)), within=True).to_pylist() == want_pairs
    assert idx.query(new.to_batches()[0], within=True).to_pylist() == want_pairs
    assert [want.stats()[k] for k in ("documents", "segments")] == [idx.stats()[k] for k in ("documents", "segments")]
    assert idx.ids().to_pylist() == want.ids().to_pylist() == ids(data.archive)
    with pytest.raises(ValueError, match='no text column "nope"'):
        idx.add(new, text_column="nope")


def test_dates_and_sources(cli, tmp_path, data):
    py = reprint.Index.create(tmp_path / "py")
    b0, b1 = data.batches
    # From lists (a date, a datetime or ISO text, None) and from table columns.
    dates = [r.get("published") for r in b0]
    r = py.add(texts(b0), ids(b0), dates=dates, sources=[r.get("agency") for r in b0])
    assert r["input"]["documents"] == 200
    t = pa.table(
        {
            "id": ids(b1),
            "text": texts(b1),
            "published": [r.get("published") for r in b1],
            "agency": [r.get("agency") for r in b1],
        }
    )
    py.add(t, date_column="published", source_column="agency")
    cli_path = tmp_path / "cli"
    run_cli(cli, "index", "create", cli_path, ok=(0,))
    for f in data.batch_files:
        run_cli(cli, "index", "add", cli_path, f, "--date-field", "published", "--source-field", "agency", ok=(0,))
    # What is stored is what the CLI stores from the JSON fields.
    got, want = py.stats()["sections"], reprint.Index(cli_path).stats()["sections"]
    for k in ("dates", "sources", "meta", "ids", "texts"):
        assert got[k] == want[k], k
    # A query's `earlier` is the CLI's.
    new_dates = [r.get("published") for r in data.new]
    q = py.query(texts(data.new), ids(data.new), dates=new_dates, within=True)
    cli_q = run_cli(
        cli, "index", "query", cli_path, data.new_file, "--date-field", "published",
        "--mode", "near-dup", "--within", "--format", "jsonl",
    )
    assert q.to_pylist() == [json.loads(line) for line in cli_q.stdout.splitlines()]
    small = reprint.Index.create(tmp_path / "small")
    base = " ".join(f"w{i}" for i in range(200))
    small.add([base], ["old"], dates=["2024-03-01"])
    got = small.query([base + " x"], ["new"], dates=[dt.date(2024, 2, 1)]).to_pylist()
    assert [(p["a"], p["b"], p["earlier"]) for p in got] == [("old", "new", "new")]
    got = small.query([base + " x"], ["new"]).to_pylist()
    assert [p["earlier"] for p in got] == [None]
    d = py.document("doc00000001")
    assert d == {
        "id": "doc00000001",
        "text": b0[1]["text"],
        "date": "2024-02-02T01:30:00Z",
        "date_seconds": int(dt.datetime(2024, 2, 2, 1, 30, tzinfo=dt.timezone.utc).timestamp()),
        "source": "Reuters",
        "origin": "<memory>:2",
        "segment": "seg-00000001.rps",
    }
    assert py.document("doc00000000")["date"] is None and py.document("doc00000000")["source"] == "AP"
    assert py.document(b1[0]["id"])["origin"] == "<memory>:1"
    assert py.document("nope") is None
    # Python dates and datetimes, Arrow dates and timestamps.
    ix = reprint.Index.create(tmp_path / "types")
    ix.add(["x one", "x two"], ["d", "t"], dates=[dt.date(2024, 5, 1), dt.datetime(2024, 5, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))])
    ix.add(pa.table({"id": ["ad", "at"], "text": ["y", "z"], "when": pa.array([dt.date(2024, 5, 1), None], pa.date32())}), date_column="when")
    ix.add(["w"], ["ts"], dates=pa.array([dt.datetime(2024, 5, 1)], pa.timestamp("s")))
    may1 = 1_714_521_600
    assert [ix.document(i)["date_seconds"] for i in ("d", "t", "ad", "at", "ts")] == [may1, may1, may1, None, may1]
    # A date that does not parse: the CLI's message, or skipped and counted.
    bad = [{"id": "b1", "text": "fine", "published": "2024-05-01"}, {"id": "b2", "text": "bad", "published": "last tuesday"}]
    f = write_jsonl(tmp_path / "bad.jsonl", bad)
    want = cli_error(cli, "index", "add", cli_path, f, "--date-field", "published")
    with pytest.raises(reprint.ReprintError) as e:
        py.add(pa.table({"id": ids(bad), "text": texts(bad), "published": [r["published"] for r in bad]}), date_column="published")
    assert str(e.value) == want.replace(str(f), "<memory>")
    assert "b1" not in py
    r = py.add(texts(bad), ids(bad), dates=[r["published"] for r in bad], skip_bad_dates=True)
    assert (r["added"], r["input"]["bad_lines_skipped"]) == (1, 1)
    with pytest.raises(ValueError, match="1 dates for 2 texts"):
        py.add(["a", "b"], ["a", "b"], dates=["2024-01-01"])
    with pytest.raises(TypeError, match=r"dates\[0\] must be"):
        py.add(["a"], ["a"], dates=[20240101])
    with pytest.raises(ValueError, match="date_column needs a table"):
        py.add(["a"], ["a"], date_column="published")


def test_create_and_open_errors_are_the_clis(cli, tmp_path, data):
    path = tmp_path / "ix"
    reprint.Index.create(path)
    with pytest.raises(reprint.ReprintError) as e:
        reprint.Index.create(path)
    assert str(e.value) == cli_error(cli, "index", "create", path)
    with pytest.raises(reprint.ReprintError) as e:
        reprint.Index(tmp_path / "missing")
    assert str(e.value) == cli_error(cli, "index", "stats", tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(reprint.ReprintError, match="not a reprint index"):
        reprint.Index.open(tmp_path / "plain")
    with pytest.raises(reprint.ReprintError, match=r"invalid parameter: threshold must be in \(0, 1\]"):
        reprint.Index.create(tmp_path / "bad", threshold=0)
    assert not (tmp_path / "bad").exists()
    with pytest.raises(ValueError, match="scheme must be"):
        reprint.Index.create(tmp_path / "bad", scheme="fast")
    idx = reprint.Index(str(path))
    with pytest.raises(reprint.ReprintError, match="max_bucket must be at least 2"):
        idx.query(["a"], max_bucket=1)
    with pytest.raises(ValueError, match="num_threads"):
        idx.add(["a"], num_threads=0)
    with pytest.raises(reprint.ReprintError, match="max_doc_mib"):
        idx.add(["a"], max_doc_mib=0)
    # Failed calls committed nothing; an empty add commits nothing either.
    assert idx.add([])["commit"] == 0 and idx.commit == 0


def test_collection_protocol_close_and_repr(tmp_path, data):
    path = tmp_path / "ix"
    with py_index(path, data) as idx:
        assert repr(idx) == f"Index('{path}', documents=400, segments=2, commit=2)"
        assert idx.path == path
        assert "doc00000000" in idx and "nope" not in idx and 3 not in idx
        assert idx.text("doc00000003") == data.archive[3]["text"]
        assert idx.text("nope") is None
        num = reprint.Index.create(tmp_path / "num")
        num.add(["numbered"], [17])
        assert 17 in num and num.text(17) == "numbered" and "17" in num
    assert idx.closed
    assert repr(idx) == f"Index('{path}', closed)"
    with pytest.raises(ValueError, match="closed"):
        len(idx)
    with pytest.raises(ValueError, match="closed"):
        idx.add(["x"])
    assert len(reprint.Index(path)) == 400
    again = pickle.loads(pickle.dumps(reprint.Index(path)))
    assert isinstance(again, reprint.Index) and again.path == path and len(again) == 400


def test_writes_from_threads_are_serialized(tmp_path, data):
    idx = reprint.Index.create(tmp_path / "ix")
    chunks = [data.archive[i : i + 50] for i in range(0, 400, 50)]
    errors = []

    def add(c):
        try:
            idx.add(texts(c), ids(c), num_threads=1)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=add, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(idx) == 400 and idx.commit == 8 and idx.verify() == []


def test_query_releases_the_gil(tmp_path, data):
    """Another Python thread makes progress while `query` runs (see
    test_reprint.test_the_gil_is_released)."""
    idx = py_index(tmp_path / "ix", data)
    new = data.new * 4
    new_ids = [str(i) for i in range(len(new))]
    counter = [0]
    stop = threading.Event()
    started = threading.Event()

    def spin():
        started.set()
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    t = threading.Thread(target=spin)
    t.start()
    started.wait()
    sys.setswitchinterval(1000.0)
    try:
        before = counter[0]
        idx.query(texts(new), new_ids, within=True, add=True, num_threads=1)
        during = counter[0] - before
    finally:
        sys.setswitchinterval(old)
        stop.set()
        t.join()
    assert during > 0
