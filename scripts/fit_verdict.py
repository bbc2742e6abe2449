#!/usr/bin/env python3
"""Fits reprint's reuse gate (src/compare/verdict.rs, `gate`) on the binary's own evidence.

    python3 -m venv /tmp/fit-venv && /tmp/fit-venv/bin/pip install numpy scipy wordfreq==3.1.1
    cargo build --release
    /tmp/fit-venv/bin/python scripts/fit_verdict.py --reprint target/release/reprint \
        [--data ../shared/eval] [--cache /tmp/fit-cache]

Reads `reprint score` output (the `evidence` object of each line: `longest_run`,
`passage_evidence`, `best_link`, `strong_links`) on three reuse datasets of the development
data, built as in scripts/research (features.py):

* PAN13 text alignment (pairs.jsonl, all five parts; reuse = label);
* Clough & Stevenson (pairs.jsonl; reuse = plagiarised);
* METER pairs: each newspaper article against the concatenated PA copy of its own story
  (positive) and of the two other same-domain stories most similar to it by
  background-weighted word overlap (hard negatives; wordfreq probabilities, as the research).

MRPC is not used: its label is semantic equivalence of short sentence pairs, judged by
reprint's separate equivalence rule, not reuse.

Model: logistic regression (L2, C=1) on [ln(1+longest_run), ln(1+max(0,passage_evidence)),
best_link, ln(1+strong_links)] (other sets with --features), balanced classes, each dataset
weighing the same in total, every weight constrained to be >= 0 (more evidence never lowers
the logit), features standardised for fitting and the coefficients printed on the raw scale. Prints
the leave-one-dataset-out (LODO) table (train on two sets, test on the third, cut-off
logit >= 0) and the coefficients fitted on all three, as Rust constants.
"""
import argparse
import collections
import json
import math
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = ("pan13", "clough", "meter")
TOK = re.compile(r"\w+", re.UNICODE)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def meter_pairs(data):
    from wordfreq import word_frequency
    cache = {}

    def p_word(w):
        if w not in cache:
            cache[w] = max(word_frequency(w, "en"), 1e-8)
        return cache[w]

    def toks(t):
        return [m.group(0).lower() for m in TOK.finditer(t)]

    docs = read_jsonl(os.path.join(data, "meter", "docs.jsonl"))
    pa = collections.defaultdict(list)
    for d in docs:
        if d["source"] == "PA":
            pa[d["story_id"]].append(d)
    pa_text = {s: "\n\n".join(x["text"] for x in sorted(v, key=lambda x: x["id"])) for s, v in pa.items()}
    pa_words = {s: set(toks(t)) for s, t in pa_text.items()}
    rows = []
    for d in docs:
        if d["source"] != "newspaper" or d["story_id"] not in pa_text:
            continue
        w = set(toks(d["text"]))
        dom = d["domain"]
        cands = []
        for s, pw in pa_words.items():
            if s == d["story_id"] or not s.startswith(dom + "/"):
                continue
            cands.append((sum(-math.log10(p_word(x)) for x in w & pw), s))
        cands.sort(reverse=True)
        rows.append({"id_a": d["id"], "id_b": d["story_id"], "text_a": d["text"],
                     "text_b": pa_text[d["story_id"]], "label": 1, "group": "own-story"})
        for _, s in cands[:2]:
            rows.append({"id_a": d["id"], "id_b": s, "text_a": d["text"], "text_b": pa_text[s],
                         "label": 0, "group": "other-story"})
    return rows


def load(name, data):
    if name == "pan13":
        rows = read_jsonl(os.path.join(data, "pan13_text_alignment", "pairs.jsonl"))
        for r in rows:
            r["group"] = r["part"] + ("" if r["label"] else "-neg") if r["part"].startswith("05") else r["part"]
    elif name == "clough":
        rows = read_jsonl(os.path.join(data, "clough_short_answers", "pairs.jsonl"))
        for r in rows:
            r["group"] = r["label"]
            r["label"] = r["plagiarised"]
    elif name == "meter":
        rows = meter_pairs(data)
    return rows


def score(reprint, name, rows, cache):
    os.makedirs(cache, exist_ok=True)
    inp = os.path.join(cache, f"{name}.in.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"text_a": r["text_a"], "text_b": r["text_b"]}) + "\n")
    out = subprocess.run([reprint, "score", "-q", inp], capture_output=True, text=True, check=True)
    pred = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert len(pred) == len(rows), (name, len(pred), len(rows))
    return pred


# Candidate gate inputs, each an absolute figure of the evidence object (no ratio to a
# document's length), transformed as the gate reads them.
FEATURES = {
    "run": ("longest_run", lambda e: math.log1p(e["longest_run"])),
    "passage": ("passage_evidence", lambda e: math.log1p(max(0.0, e["passage_evidence"]))),
    "link": ("best_link", lambda e: e["best_link"]),
    "strong": ("strong_links", lambda e: math.log1p(e["strong_links"])),
    "close": ("close_links", lambda e: math.log1p(e["close_links"])),
    "links": ("aligned_pairs", lambda e: math.log1p(e["aligned_pairs"])),
    "strong_passages": ("strong_passages", lambda e: math.log1p(e["strong_passages"])),
    "idf": ("aligned_idf", lambda e: math.log1p(e["aligned_idf"])),
    "second": ("second_link", lambda e: e["second_link"]),
    "chain": ("chain_links", lambda e: math.log1p(e["chain_links"])),
}
DEFAULT_FEATURES = "run,passage,link,strong"


def features(e, names):
    return [FEATURES[n][1](e) for n in names]


def fit(X, y, w, C=1.0):
    """Logistic regression with balanced classes and sample weights `w`, L2 penalty
    (C as scikit-learn's), every weight constrained to be >= 0 so that more evidence
    never lowers the logit (L-BFGS-B on the standardised features; intercept free)."""
    from scipy.optimize import minimize
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    cls = np.array([len(y) / (2.0 * max(1, (y == c).sum())) for c in (0, 1)])
    s = w * cls[y]
    t = 2.0 * y - 1.0

    def loss(theta):
        b, v = theta[0], theta[1:]
        m = t * (Z @ v + b)
        lo = np.logaddexp(0.0, -m)
        g = -s * t * (1.0 - 1.0 / (1.0 + np.exp(-m)))
        f = 0.5 * v @ v + C * (s * lo).sum()
        grad = np.concatenate([[C * g.sum()], v + C * (Z.T @ g)])
        return f, grad

    bounds = [(None, None)] + [(0.0, None)] * X.shape[1]
    r = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    b, v = r.x[0], r.x[1:]
    coef = v / sd
    icpt = b - (v * mu / sd).sum()
    return icpt, coef


def weights(names):
    c = collections.Counter(names)
    return np.array([1.0 / c[n] for n in names]) * len(names) / len(c)


def prf(y, p):
    tp = int(((p == 1) & (y == 1)).sum())
    fp = int(((p == 1) & (y == 0)).sum())
    fn = int(((p == 0) & (y == 1)).sum())
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = float((p == y).mean())
    return f1, prec, rec, acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reprint", default=os.path.join(HERE, "..", "target", "release", "reprint"))
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "eval"))
    ap.add_argument("--cache", default="/tmp/reprint-fit")
    ap.add_argument("--features", default=DEFAULT_FEATURES,
                    help="comma-separated gate inputs (" + ", ".join(FEATURES) + ")")
    args = ap.parse_args()
    names = args.features.split(",")
    data = {}
    for name in DATASETS:
        rows = load(name, args.data)
        pred = score(args.reprint, name, rows, args.cache)
        X = np.array([features(p["evidence"], names) for p in pred])
        y = np.array([int(r["label"]) for r in rows])
        groups = [r["group"] for r in rows]
        data[name] = (X, y, groups)
        print(f"{name}: {len(rows)} pairs, {int(y.sum())} positive", file=sys.stderr)
    print(f"features: {', '.join(FEATURES[n][0] for n in names)}")
    print("leave-one-dataset-out: train on two datasets, test on the third (reuse = logit >= 0)")
    print("| held out | pairs | F1 | precision | recall | accuracy | per group (positives found / negatives flagged) |")
    print("|---|---|---|---|---|---|---|")
    for held in DATASETS:
        tr = [d for d in DATASETS if d != held]
        X = np.vstack([data[d][0] for d in tr])
        y = np.concatenate([data[d][1] for d in tr])
        w = weights([d for d in tr for _ in range(len(data[d][1]))])
        icpt, coef = fit(X, y, w)
        Xt, yt, gt = data[held]
        p = ((Xt @ coef + icpt) >= 0).astype(int)
        f1, prec, rec, acc = prf(yt, p)
        per = collections.defaultdict(lambda: [0, 0])
        for g, yy, pp in zip(gt, yt, p):
            per[(g, yy)][0] += pp
            per[(g, yy)][1] += 1
        detail = "; ".join(f"{g}{'' if yy else ' (neg)'} {a}/{n}" for (g, yy), (a, n) in sorted(per.items(), key=lambda x: (str(x[0][0]), x[0][1])))
        print(f"| {held} | {len(yt)} | {f1:.3f} | {prec:.3f} | {rec:.3f} | {acc:.3f} | {detail} |")
    X = np.vstack([data[d][0] for d in DATASETS])
    y = np.concatenate([data[d][1] for d in DATASETS])
    w = weights([d for d in DATASETS for _ in range(len(data[d][1]))])
    icpt, coef = fit(X, y, w)
    print()
    print("coefficients fitted on all three (raw scale; logit = BIAS + sum W * input):")
    print(f"    pub const BIAS: f64 = {icpt:.4f};")
    for n, c in zip(names, coef):
        print(f"    pub const W_{n.upper()}: f64 = {c:.4f};  // {FEATURES[n][0]}")


if __name__ == "__main__":
    main()
