#!/usr/bin/env python3
"""MRPC: 10-fold CV of small logistic models on sentence-pair evidence features.
    venv/bin/python mrpc_cv.py"""
import json, math, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from model import prf, fmt, load
rows = load("mrpc")
y = np.array([r["label"] for r in rows])
L = lambda v: math.log1p(max(0, v))
sets = {
 "jac1": lambda r: [r["jac1"]],
 "rp_equivalence": lambda r: [r["rp_equivalence"] if r["rp_equivalence"] is not None else 0],
 "overlap": lambda r: [r["idfcov_min"], r["idfcov_max"], r["jac1"], r["cmax2"], r["cmin2"], r["cmax3"], L(r["lcs_run"]), r["num_mismatch"], r["loglenratio"]],
 "overlap+rp": lambda r: [r["idfcov_min"], r["idfcov_max"], r["jac1"], r["cmax2"], r["cmin2"], r["cmax3"], L(r["lcs_run"]), r["num_mismatch"], r["loglenratio"],
                          r["rp_equivalence"] or 0, r["df_maxal"], min(r["df_cov_a"], r["df_cov_b"])],
 "small4": lambda r: [r["idfcov_min"], r["cmin2"], r["num_mismatch"], r["rp_equivalence"] or 0],
}
for name, fn in sets.items():
    X = np.array([fn(r) for r in rows], float)
    for crit in ("acc",):
        pred = np.zeros(len(y), bool)
        for tr, te in StratifiedKFold(10, shuffle=True, random_state=0).split(X, y):
            mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-9
            m = LogisticRegression(max_iter=2000).fit((X[tr] - mu) / sd, y[tr])
            pred[te] = m.predict_proba((X[te] - mu) / sd)[:, 1] >= 0.5
        print(f"MRPC 10-fold CV LR [{name}]: {fmt(prf(y, pred))}")
