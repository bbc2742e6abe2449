"""Dedup a Polars DataFrame with reprint: the frame goes in through the Arrow C stream
interface (no copy through Python objects), the kept rows come back as a pyarrow
Table, and from there as a Polars frame again (zero-copy).

    pip install ./crates/reprint-py polars
    python crates/reprint-py/examples/dedup_polars.py
"""

import polars as pl

import reprint

story = (
    "The city council approved the new budget on Tuesday after a long debate about "
    "the cost of repairing the old bridge over the river.\n\nResidents who spoke at the "
    "meeting asked for the public library to stay open on weekends, and several said "
    "the bridge had been unsafe for years."
)
df = pl.DataFrame(
    {
        "id": ["original", "copy", "reworded", "other"],
        "text": [
            story,
            story.replace("Tuesday", "Wednesday"),
            story.replace("approved", "passed").replace("long debate", "lengthy debate"),
            "A recipe: mix flour, water and salt, knead for ten minutes and bake.",
        ],
        "published": ["2024-05-02", "2024-05-01", "2024-05-03", "2024-05-01"],
    }
)

# Every row with its cluster, keeping the earliest published of each cluster.
annotated = pl.from_arrow(
    reprint.dedup(df, keep="earliest", keep_field="published", annotate=True)
)
print(annotated.select("id", "published", "cluster_id", "cluster_size", "keep"))

# Only the kept rows.
kept = pl.from_arrow(reprint.dedup(df, keep="earliest", keep_field="published"))
print("kept:", kept["id"].to_list())
# The reworded copy is not a near-duplicate (near-dup mode, the default of dedup)...
assert kept["id"].to_list() == ["copy", "reworded", "other"], kept["id"].to_list()
# ...the default mode also clusters rewrites.
kept = reprint.dedup(df, keep="earliest", keep_field="published", mode="default")
print("kept (default mode):", kept.column("id").to_pylist())

# Pairs, with the default mode's verdicts, straight from a Polars column.
print(pl.from_arrow(reprint.pairs(df["text"], df["id"])).select("a", "b", "score", "verdict"))
