#!/usr/bin/env python3
"""Side by side, in one run: from a Python list[str] of a JSONL corpus to near-duplicate
pairs with reprint's Python package, with rensa fed by Python shingling (as
shared/bench/examples/ext_rensa.py does), and with the reprint CLI on the same file.

    python bench_python.py CORPUS.jsonl [--repeats 3] [--cli target/release/reprint]

Each (peer, repeat) runs in a fresh process, peers interleaved; the corpus is read and
json-parsed before the clock starts (the harness's `read`, not timed), except for the
CLI, which is timed as a whole process (it reads and parses the file itself).

* rensa: Python shingling (lowercase, words = runs of alphanumerics `[^\\W_]+`, word
  5-grams joined by a space, as shared/bench's shingling definition), then
  `RMinHash.from_token_sets` (128 slots) and `RMinHashLSH(0.8, 128, 16)` build + query:
  candidate pairs, not verified.
* reprint-py: `reprint.pairs(texts, ids, mode="near-dup")`: verified pairs (exact
  Jaccard >= 0.8) as a pyarrow Table.
* reprint-cli: `reprint -q pairs --mode near-dup CORPUS --format json --out FILE`.

Prints one JSON line per run and a table of medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def load(corpus):
    ids, texts = [], []
    with open(corpus, "rb") as f:
        for line in f:
            o = json.loads(line)
            ids.append(o["id"])
            texts.append(o["text"])
    return ids, texts


def worker(peer, corpus):
    ids, texts = load(corpus)
    if peer == "rensa":
        import re

        from rensa import RMinHash, RMinHashLSH

        word = re.compile(r"[^\W_]+")
        t0 = time.perf_counter()
        sets = []
        for text in texts:
            w = word.findall(text.lower())
            sets.append({" ".join(w[i : i + 5]) for i in range(max(1, len(w) - 4))})
        t1 = time.perf_counter()
        mhs = RMinHash.from_token_sets(sets, 128, 42)
        lsh = RMinHashLSH(0.8, 128, 16)
        lsh.insert_many(mhs)
        cands = lsh.query_all(mhs)
        n = sum(1 for i, lst in enumerate(cands) for j in lst if j > i)
        t2 = time.perf_counter()
        return {"peer": peer, "seconds": t2 - t0, "shingle_s": t1 - t0, "pairs": n,
                "what": "candidate pairs"}
    if peer == "reprint-py":
        import reprint

        t0 = time.perf_counter()
        table = reprint.pairs(texts, ids, mode="near-dup")
        t1 = time.perf_counter()
        return {"peer": peer, "seconds": t1 - t0, "pairs": table.num_rows,
                "what": "verified pairs"}
    raise SystemExit(f"unknown peer {peer}")


def run_cli(cli, corpus):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        t0 = time.perf_counter()
        subprocess.run([cli, "-q", "pairs", "--mode", "near-dup", corpus, "--format", "json",
                        "--out", out.name], check=True)
        t1 = time.perf_counter()
        n = len(json.load(open(out.name))["pairs"])
    return {"peer": "reprint-cli", "seconds": t1 - t0, "pairs": n, "what": "verified pairs"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cli", default="target/release/reprint")
    ap.add_argument("--peers", default="rensa,reprint-py,reprint-cli")
    ap.add_argument("--worker")
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(worker(a.worker, a.corpus)))
        return
    runs = []
    for r in range(a.repeats):
        for peer in a.peers.split(","):
            if peer == "reprint-cli":
                res = run_cli(a.cli, a.corpus)
            else:
                p = subprocess.run([sys.executable, __file__, a.corpus, "--worker", peer],
                                   check=True, capture_output=True, text=True)
                res = json.loads(p.stdout.strip().splitlines()[-1])
            res["repeat"] = r
            print(json.dumps(res), flush=True)
            runs.append(res)
    med = {}
    for peer in a.peers.split(","):
        xs = [x["seconds"] for x in runs if x["peer"] == peer]
        med[peer] = statistics.median(xs)
    print()
    print("| peer | median s | runs s | pairs |")
    print("|---|---|---|---|")
    for peer, m in med.items():
        xs = [x for x in runs if x["peer"] == peer]
        each = ", ".join("%.2f" % x["seconds"] for x in xs)
        print(f"| {peer} | {m:.2f} | {each} | "
              f"{xs[0]['pairs']} {xs[0]['what']} |")
    # Ratios within each repeat (the peers of one repeat run back to back, so they see
    # the same load on a shared machine), then their median.
    def paired(x, y):
        rs = []
        for r in range(a.repeats):
            xs = [v["seconds"] for v in runs if v["peer"] == x and v["repeat"] == r]
            ys = [v["seconds"] for v in runs if v["peer"] == y and v["repeat"] == r]
            rs.append(xs[0] / ys[0])
        return rs

    for x, y in (("rensa", "reprint-py"), ("reprint-py", "reprint-cli")):
        if x in med and y in med:
            rs = paired(x, y)
            print(f"{x} / {y} per repeat: {', '.join('%.2f' % r for r in rs)}; "
                  f"median {statistics.median(rs):.2f}")
    if "rensa" in med and "reprint-py" in med:
        print(f"\nrensa / reprint-py: {med['rensa'] / med['reprint-py']:.1f}x")
    if "reprint-cli" in med and "reprint-py" in med:
        print(f"reprint-py / reprint-cli: {med['reprint-py'] / med['reprint-cli']:.2f}x")


if __name__ == "__main__":
    main()
