"""Dedup a Hugging Face dataset with reprint, in Arrow format end to end.

The dataset is built locally (`Dataset.from_dict`, no hub download); a dataset from
`load_dataset(...)` works the same way. `with_format("arrow")` hands out pyarrow
tables backed by the dataset's own Arrow memory, which reprint reads without making
Python strings; the result is a pyarrow Table that `Dataset(...)` wraps again.

    pip install ./crates/reprint-py datasets
    python crates/reprint-py/examples/dedup_hf_dataset.py
"""

import datasets

import reprint

base = (
    "Officials said on Monday that the new railway line would open next spring, two "
    "years later than planned, after a review of its cost. Critics said the delay had "
    "cost taxpayers millions and asked for an inquiry into the contracts."
)
rows = {
    "id": [f"doc{i}" for i in range(6)],
    "text": [
        base,
        "A short unrelated note about the weather, which was fine all week long.",
        base.replace("Monday", "Tuesday"),
        base + " The minister did not comment.",
        "Another unrelated text: the library will extend its opening hours in June.",
        base.replace("railway line", "railway"),
    ],
}
ds = datasets.Dataset.from_dict(rows)

table = ds.with_format("arrow")[:]  # a pyarrow Table over the dataset's memory
annotated = reprint.dedup(table, annotate=True)
print(annotated.select(["id", "cluster_id", "cluster_size", "keep"]).to_pylist())

deduped = datasets.Dataset(reprint.dedup(table))
kept = list(deduped["id"])
print(f"kept {deduped.num_rows} of {ds.num_rows}: {kept}")
# doc2 (one word changed) and doc3 (one sentence added) are near-duplicates of doc0;
# doc5 changes too many of its few 5-grams to pass the 0.8 threshold.
assert kept == ["doc0", "doc1", "doc4", "doc5"], kept

# The pairs behind it, with the near-dup mode's figures.
print(reprint.pairs(table, mode="near-dup").select(["a", "b", "jaccard", "verdict"]).to_pylist())
