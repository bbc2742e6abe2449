#!/usr/bin/env python3
"""Adds passage-level evidence to feats/*.jsonl: shared word runs (>= 3 words, beta=1000
information) merged into passages when within 40 words on both sides; pass_best = best
passage's summed evidence minus log10(la*lb); pass_n = passages with evidence >= 3.
    venv/bin/python add_passage_feats.py"""
import json, sys, os
from plagdet import seed_dets
DATA = {"pan13": "/work/shared/eval/pan13_text_alignment/pairs.jsonl",
        "panv": "/work/shared/eval/pan_text_alignment_verbatim/pairs.jsonl",
        "mrpc": "/work/shared/eval/mrpc/train.jsonl",
        "clough": "/work/shared/eval/clough_short_answers/pairs.jsonl"}
from features import meter_pairs
for name in (sys.argv[1:] or ["clough", "mrpc", "panv", "meter", "pan13"]):
    src = meter_pairs() if name == "meter" else [json.loads(l) for l in open(DATA[name])]
    feats = [json.loads(l) for l in open(f"feats/{name}.jsonl")]
    for r, f in zip(src, feats):
        d = seed_dets(r["text_a"], r["text_b"], gap=40, min_ev=-1e9)
        evs = sorted((x[2] for x in d), reverse=True)
        f["pass_best"] = evs[0] if evs else 0.0
        f["pass_n3"] = sum(e >= 3 for e in evs)
        f["pass_sum"] = sum(e for e in evs if e > 0)
    with open(f"feats/{name}.jsonl.tmp", "w") as out:
        for f in feats:
            out.write(json.dumps(f) + "\n")
    os.replace(f"feats/{name}.jsonl.tmp", f"feats/{name}.jsonl")
    print(name, "done", file=sys.stderr)
