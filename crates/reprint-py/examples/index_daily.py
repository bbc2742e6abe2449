"""Check each day's articles against an archive index with reprint.Index: the archive
is indexed once, then every new batch is queried (and added in the same commit), so the
archive is never read again.

    pip install ./crates/reprint-py
    python crates/reprint-py/examples/index_daily.py

The directory it writes is an ordinary reprint index: `reprint index stats DIR`,
`reprint index query DIR today.jsonl --mode near-dup` read it too.
"""

import tempfile
from pathlib import Path

import pyarrow as pa

import reprint

story = (
    "The city council approved the new budget on Tuesday after a long debate about "
    "the cost of repairing the old bridge over the river. Residents who spoke at the "
    "meeting asked for the public library to stay open on weekends, and several said "
    "the bridge had been unsafe for years."
)
archive = pa.table(
    {
        "url": ["https://a.example/budget", "https://a.example/recipe"],
        "body": [
            story,
            "A recipe: mix flour, water and salt, knead for ten minutes and bake it.",
        ],
        "published": pa.array(["2024-05-01", "2024-05-01"]).cast(pa.date32()),
        "agency": ["AP", None],
    }
)
today = pa.table(
    {
        "url": ["https://b.example/council", "https://b.example/weather"],
        "body": [
            story.replace("Tuesday", "Wednesday"),
            "Rain is expected on the coast tomorrow, with strong winds in the afternoon.",
        ],
        "published": pa.array(["2024-05-02", "2024-05-02"]).cast(pa.date32()),
        "agency": ["Reuters", "AFP"],
    }
)
columns = dict(
    text_column="body", id_column="url", date_column="published", source_column="agency"
)

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "archive.idx"
    with reprint.Index.create(path, threshold=0.7) as idx:
        print("archive:", idx.add(archive, **columns))
        # Today's batch against the archive, added in the same commit.
        pairs = idx.query(today, within=True, add=True, **columns)
        for row in pairs.to_pylist():
            print(row)
        print(idx, idx.document("https://b.example/council")["source"])
        assert pairs.column("a").to_pylist() == ["https://a.example/budget"]
