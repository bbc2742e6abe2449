#!/usr/bin/env python3
"""Baselines with cross-validated thresholds, and the leave-one-dataset-out evidence model.

    venv/bin/python model.py baselines
    venv/bin/python model.py lodo [--features NAME]
    venv/bin/python model.py single        # one-feature threshold rules, LODO transfer
    venv/bin/python model.py fit           # final coefficients on all development data

Reads feats/<dataset>.jsonl written by features.py.
"""
import json
import math
import os
import sys
from collections import Counter, defaultdict

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = ["pan13", "mrpc", "clough", "meter"]


def load(name):
    with open(os.path.join(HERE, "feats", name + ".jsonl")) as f:
        return [json.loads(l) for l in f]


def prf(y, p):
    y, p = np.asarray(y, bool), np.asarray(p, bool)
    tp = (y & p).sum(); fp = (~y & p).sum(); fn = (y & ~p).sum(); tn = (~y & ~p).sum()
    P = tp / max(1, tp + fp); R = tp / max(1, tp + fn)
    F = 2 * P * R / max(1e-12, P + R)
    return dict(P=P, R=R, F1=F, acc=(tp + tn) / len(y), n=len(y))


def best_threshold(x, y, crit="F1"):
    xs = np.unique(x)
    cands = (xs[:-1] + xs[1:]) / 2 if len(xs) > 1 else xs
    best, bt = -1, None
    for t in cands:
        m = prf(y, x >= t)[crit]
        if m > best:
            best, bt = m, t
    return bt


def cv_threshold(x, y, crit="F1", k=10, seed=0):
    """Threshold picked on the training folds, applied to the test fold; pooled predictions."""
    x, y = np.asarray(x, float), np.asarray(y, int)
    pred = np.zeros(len(y), bool)
    ts = []
    for tr, te in StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y):
        t = best_threshold(x[tr], y[tr], crit)
        ts.append(t)
        pred[te] = x[te] >= t
    return pred, ts


def per_group(rows, pred):
    g = defaultdict(lambda: [0, 0])
    for r, p in zip(rows, pred):
        g[r["group"]][0] += int(p)
        g[r["group"]][1] += 1
    return {k: f"{a}/{b}={a / b:.3f}" for k, (a, b) in sorted(g.items())}


def fmt(m):
    return f"F1 {m['F1']:.3f} P {m['P']:.3f} R {m['R']:.3f} acc {m['acc']:.3f} (n={m['n']})"


def baselines():
    pan = load("pan13")
    y = np.array([r["label"] for r in pan])
    for feat in ("cmax5", "cmin5", "jac5"):
        x = np.array([r[feat] for r in pan])
        pred, ts = cv_threshold(x, y, "F1")
        hind = best_threshold(x, y, "F1")
        print(f"PAN13 word 5-gram {feat}: 10-fold CV threshold {np.median(ts):.4f} (range {min(ts):.4f}-{max(ts):.4f}): "
              f"{fmt(prf(y, pred))}; hindsight t={hind:.4f}: {fmt(prf(y, x >= hind))}")
        print("   per part:", per_group(pan, pred))
    mr = load("mrpc")
    y = np.array([r["label"] for r in mr])
    x = np.array([r["jac1"] for r in mr])
    for crit in ("acc", "F1"):
        pred, ts = cv_threshold(x, y, crit)
        hind = best_threshold(x, y, crit)
        print(f"MRPC unigram Jaccard, threshold by CV on {crit}: t~{np.median(ts):.3f}: {fmt(prf(y, pred))}; "
              f"hindsight t={hind:.3f}: {fmt(prf(y, x >= hind))}")
    cl = load("clough")
    y = np.array([r["label"] for r in cl])
    for feat in ("jac5", "cmax5"):
        x = np.array([r[feat] for r in cl])
        pred, ts = cv_threshold(x, y, "acc", k=5)
        print(f"Clough word 5-gram {feat} (5-fold CV threshold): {fmt(prf(y, pred))}")
    me = load("meter")
    y = np.array([r["label"] for r in me])
    for feat in ("jac2", "cmax2", "cmax5"):
        x = np.array([r[feat] for r in me])
        pred, ts = cv_threshold(x, y, "F1")
        print(f"METER pairs word {feat} (10-fold CV threshold): {fmt(prf(y, pred))}; "
              f"recall at P>=0.99 (hindsight): {recall_at_precision(x, y, 0.99):.3f}")


def recall_at_precision(x, y, target):
    order = np.argsort(-np.asarray(x))
    y = np.asarray(y)[order]
    tp = np.cumsum(y); k = np.arange(1, len(y) + 1)
    ok = tp / k >= target
    return (tp[ok].max() / y.sum()) if ok.any() else 0.0


# ---------------------------------------------------------------- evidence model

def L(v):
    return math.log1p(max(0.0, v))


FEATSETS = {
    # evidence only: absolute amount of improbable shared text (no ratio to a length)
    "evidence": lambda r: [L(r["lcs_run"]), L(r["sig_tot_b1000"]), L(r["sig_max_b1000"]),
                           L(r["sig_tot_b30"]), L(r["rarew_logp"])],
    # evidence + coverage on each side (ratios)
    "evid+cov": lambda r: [L(r["lcs_run"]), L(r["sig_tot_b1000"]), L(r["sig_max_b1000"]),
                           L(r["sig_tot_b30"]), L(r["rarew_logp"]),
                           r["idfcov_min"], r["idfcov_max"], r["cmax3"], r["cmin3"]],
    # + reprint's own figures
    "evid+cov+rp": lambda r: [L(r["lcs_run"]), L(r["sig_tot_b1000"]), L(r["sig_max_b1000"]),
                              L(r["sig_tot_b30"]), L(r["rarew_logp"]),
                              r["idfcov_min"], r["idfcov_max"], r["cmax3"], r["cmin3"],
                              r["df_maxal"], L(r["df_nal5"]), min(r["df_cov_a"], r["df_cov_b"]),
                              max(r["df_cov_a"], r["df_cov_b"])],
    "passage": lambda r: [L(r["lcs_run"]), L(r["pass_best"]), L(r["sig_tot_b1000"]), L(r["rarew_logp"])],
    "passage+cov": lambda r: [L(r["lcs_run"]), L(r["pass_best"]), L(r["sig_tot_b1000"]), L(r["rarew_logp"]),
                              r["idfcov_min"], r["idfcov_max"]],
    "pass2+al": lambda r: [L(r["lcs_run"]), L(r["pass_best"]), r["df_maxal"]],
    "al": lambda r: [r["df_maxal"]],
    "pass2+al+n": lambda r: [L(r["lcs_run"]), L(r["pass_best"]), r["df_maxal"], L(r["df_nal5"])],
    "pass2+al+sum": lambda r: [L(r["lcs_run"]), L(r["pass_best"]), r["df_maxal"], L(r["df_nal5"]), L(r["df_sumal"]), L(r["df_nal7"])],
    "pass2": lambda r: [L(r["lcs_run"]), L(r["pass_best"])],
    "small": lambda r: [L(r["lcs_run"]), L(r["sig_tot_b1000"]), r["idfcov_min"], r["df_maxal"]],
}
NAMES = {
    "evidence": ["log1p lcs_run", "log1p sig_tot(b=1000)", "log1p sig_max(b=1000)", "log1p sig_tot(b=30)", "log1p rarew_logp"],
}
NAMES["evid+cov"] = NAMES["evidence"] + ["idfcov_min", "idfcov_max", "cmax3", "cmin3"]
NAMES["evid+cov+rp"] = NAMES["evid+cov"] + ["df_maxal", "log1p df_nal5", "df_cov_min", "df_cov_max"]
NAMES["passage"] = ["log1p lcs_run", "log1p pass_best", "log1p sig_tot(b=1000)", "log1p rarew_logp"]
NAMES["passage+cov"] = NAMES["passage"] + ["idfcov_min", "idfcov_max"]
NAMES["pass2+al"] = ["log1p lcs_run", "log1p pass_best", "df_maxal"]
NAMES["al"] = ["df_maxal"]
NAMES["pass2+al+n"] = NAMES["pass2+al"] + ["log1p df_nal5"]
NAMES["pass2+al+sum"] = NAMES["pass2+al+n"] + ["log1p df_sumal", "log1p df_nal7"]
NAMES["pass2"] = ["log1p lcs_run", "log1p pass_best"]
NAMES["small"] = ["log1p lcs_run", "log1p sig_tot(b=1000)", "idfcov_min", "df_maxal"]


def matrix(rows, fs):
    return np.array([FEATSETS[fs](r) for r in rows], float), np.array([r["label"] for r in rows], int)


def fit_lr(X, y, w=None, C=1.0):
    mu, sd = X.mean(0), X.std(0) + 1e-9
    m = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    m.fit((X - mu) / sd, y, sample_weight=w)
    return m, mu, sd


def predict(model, X):
    m, mu, sd = model
    return m.predict_proba((X - mu) / sd)[:, 1]


def dataset_weights(rows):
    """Each training dataset weighs the same in total (MRPC would otherwise dominate)."""
    c = Counter(r["dataset"] for r in rows)
    return np.array([1.0 / c[r["dataset"]] for r in rows]) * len(rows) / len(c)


def lodo(fs, datasets=DATASETS, extra_test=("panv",)):
    data = {d: load(d) for d in datasets + list(extra_test)}
    print(f"== leave-one-dataset-out, features '{fs}' ({', '.join(NAMES[fs])}); LR, balanced classes, datasets weighted equally; threshold p>=0.5")
    for held in datasets:
        train = [r for d in datasets if d != held for r in data[d]]
        X, y = matrix(train, fs)
        model = fit_lr(X, y, dataset_weights(train))
        Xt, yt = matrix(data[held], fs)
        p = predict(model, Xt) >= 0.5
        line = f"  held out {held:7s}: {fmt(prf(yt, p))}"
        if held in ("pan13", "clough"):
            line += "\n     per group: " + str(per_group(data[held], p))
        if held == "pan13":
            Xv, _ = matrix(data["panv"], fs)
            pv = predict(model, Xv) >= 0.5
            line += f"\n     PAN verbatim pairs (all positive) recall {pv.mean():.3f}"
        print(line)


def single():
    """Each feature alone: threshold fitted (max F1) on three datasets, applied to the fourth."""
    data = {d: load(d) for d in DATASETS}
    feats = ["pass_best", "pass_n3", "lcs_run", "sig_tot_b1000", "sig_max_b1000", "sig_tot_b30", "sig_tot_b1", "rarew_logp", "rare5", "shared5",
             "cmax5", "cmin5", "cmax3", "cmax1", "jac1", "idfcov_min", "idfcov_max", "df_maxal", "df_nal5", "rp_score"]
    print("== single-feature rules: threshold (max F1, datasets weighted equally by max of mean F1) on 3 datasets, F1 on the held-out one")
    print(f"{'feature':15s} " + " ".join(f"{d:>16s}" for d in DATASETS) + "   | within-dataset CV F1")
    for f in feats:
        cells, cv = [], []
        for held in DATASETS:
            tr = [d for d in DATASETS if d != held]
            xs = np.unique(np.concatenate([[r[f] or 0 for r in data[d]] for d in tr]))
            cand = np.quantile(xs, np.linspace(0, 1, 200))
            best, bt = -1, None
            for t in cand:
                m = np.mean([prf([r["label"] for r in data[d]], np.array([r[f] or 0 for r in data[d]]) >= t)["F1"] for d in tr])
                if m > best:
                    best, bt = m, t
            m = prf([r["label"] for r in data[held]], np.array([r[f] or 0 for r in data[held]]) >= bt)
            cells.append(f"{m['F1']:.3f}@{bt:.3g}")
            pred, _ = cv_threshold([r[f] or 0 for r in data[held]], [r["label"] for r in data[held]], "F1", k=5)
            cv.append(f"{prf([r['label'] for r in data[held]], pred)['F1']:.3f}")
        print(f"{f:15s} " + " ".join(f"{c:>16s}" for c in cells) + "   | " + " ".join(cv))


def fit_all(fs, datasets=("pan13", "clough", "meter")):
    data = [r for d in datasets for r in load(d)]
    X, y = matrix(data, fs)
    m, mu, sd = fit_lr(X, y, dataset_weights(data))
    coef = m.coef_[0] / sd
    icpt = m.intercept_[0] - (m.coef_[0] * mu / sd).sum()
    print(f"features '{fs}', all of {list(datasets)}, raw-scale coefficients (logit = intercept + sum coef*x):")
    print(f"  intercept {icpt:+.4f}")
    for n, c in zip(NAMES[fs], coef):
        print(f"  {n:28s} {c:+.4f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    fs = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--features" else "evid+cov+rp"
    if cmd == "baselines":
        baselines()
    elif cmd == "lodo":
        for f in ([fs] if "--features" in sys.argv else FEATSETS):
            lodo(f)
    elif cmd == "lodo-reuse":
        for f in ([fs] if "--features" in sys.argv else FEATSETS):
            lodo(f, datasets=["pan13", "clough", "meter"])
    elif cmd == "single":
        single()
    elif cmd == "fit":
        fit_all(fs)
