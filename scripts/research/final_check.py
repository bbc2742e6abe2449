#!/usr/bin/env python3
"""LODO probabilities of the recommended model (pass2+al+n): METER recall at precision 0.99,
Clough class means, MRPC as 'any reuse'.   venv/bin/python final_check.py"""
import numpy as np
from collections import defaultdict
from model import load, matrix, fit_lr, predict, dataset_weights, prf, recall_at_precision, fmt
fs = "pass2+al+n"
D = ["pan13", "clough", "meter"]
data = {d: load(d) for d in D + ["mrpc"]}
for held in D:
    train = [r for d in D if d != held for r in data[d]]
    X, y = matrix(train, fs); model = fit_lr(X, y, dataset_weights(train))
    Xt, yt = matrix(data[held], fs); p = predict(model, Xt)
    print(f"{held}: recall at P>=0.99 (hindsight on the ranking) {recall_at_precision(p, yt, 0.99):.3f}; at P>=0.95 {recall_at_precision(p, yt, 0.95):.3f}")
    if held == "clough":
        g = defaultdict(list)
        for r, q in zip(data[held], p): g[r["group"]].append(q)
        print("   clough mean p by class:", {k: round(float(np.mean(v)), 3) for k, v in g.items()},
              "min/max:", {k: (round(min(v), 3), round(max(v), 3)) for k, v in g.items()})
X, y = matrix([r for d in D for r in data[d]], fs)
model = fit_lr(X, y, dataset_weights([r for d in D for r in data[d]]))
Xm, ym = matrix(data["mrpc"], fs)
pm = predict(model, Xm)
print("MRPC judged 'reuse' by the reuse model fitted on PAN13+Clough+METER:", f"{(pm>=0.5).mean():.3f} of pairs;", fmt(prf(ym, pm >= 0.5)))
me = data["meter"]; ym2 = np.array([r["label"] for r in me])
for f in ("jac2",):
    print("METER", f, "recall at P>=0.99", round(recall_at_precision(np.array([r[f] for r in me]), ym2, 0.99), 3), "at 0.95", round(recall_at_precision(np.array([r[f] for r in me]), ym2, 0.95), 3))
