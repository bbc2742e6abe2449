#!/usr/bin/env python3
"""Operating points of the LODO model: per held-out dataset, P/R at several probability cut-offs.
    venv/bin/python curve.py FEATSET"""
import sys, numpy as np
from model import load, matrix, fit_lr, predict, dataset_weights, prf, per_group
fs = sys.argv[1]
D = ["pan13", "clough", "meter"]
data = {d: load(d) for d in D}
for held in D:
    train = [r for d in D if d != held for r in data[d]]
    X, y = matrix(train, fs); model = fit_lr(X, y, dataset_weights(train))
    # cut-off chosen on the TRAINING datasets: lowest p with precision >= 0.99 on each of them
    cut = None
    for t in np.linspace(0.5, 0.999, 500):
        ok = all(prf(matrix(data[d], fs)[1], predict(model, matrix(data[d], fs)[0]) >= t)["P"] >= 0.99 for d in D if d != held)
        if ok: cut = t; break
    Xt, yt = matrix(data[held], fs); p = predict(model, Xt)
    for t in [x for x in (0.5, 0.7, 0.8, 0.9, cut) if x is not None]:
        m = prf(yt, p >= t)
        tag = " <- cut-off for P>=0.99 on training sets" if t == cut else ""
        print(f"{held:7s} p>={t:.3f}: F1 {m['F1']:.3f} P {m['P']:.3f} R {m['R']:.3f}{tag}")
        if held == "pan13" and t == cut: print("   ", per_group(data[held], p >= t))
