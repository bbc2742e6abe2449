#!/usr/bin/env python3
"""PAN plagdet (Potthast et al. 2010) on PAN 2013 text alignment (folds 0-3 here).

    venv/bin/python plagdet.py reprint     # detections = reprint-old diff alignment groups (paragraph spans)
    venv/bin/python plagdet.py seeds [--gap 40 --min-ev 3]   # prototype seed-and-merge passages

A case / detection is a pair of character sets (suspicious side, source side).  r detects s
when they overlap on both sides.  Precision and recall are macro-averaged over detections
and cases of the whole corpus; granularity is the mean number of detections per detected
case; plagdet = F1 / log2(1 + granularity).
"""
import json
import math
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from features import TOK, p_word, maximal_runs  # noqa: E402

DATA = "/work/shared/eval/pan13_text_alignment/pairs.jsonl"
HERE = os.path.dirname(os.path.abspath(__file__))


def intervals_len(iv):
    return sum(e - s for s, e in iv)


def inter(a, b):
    """intersection of two sorted interval lists"""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def union(ivs):
    ivs = sorted(x for x in ivs if x[1] > x[0])
    out = []
    for s, e in ivs:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def plagdet(cases, dets):
    """cases, dets: dict pair_id -> list of (susp_intervals, src_intervals)"""
    n_det = sum(len(v) for v in dets.values())
    n_case = sum(len(v) for v in cases.values())
    prec_sum = rec_sum = 0.0
    gran_sum, detected = 0, 0
    for pid in set(cases) | set(dets):
        S, R = cases.get(pid, []), dets.get(pid, [])
        for r in R:
            ca, cb = [], []
            for s in S:
                ia, ib = inter(s[0], r[0]), inter(s[1], r[1])
                if ia and ib:
                    ca += ia; cb += ib
            prec_sum += (intervals_len(union(ca)) + intervals_len(union(cb))) / max(1, intervals_len(r[0]) + intervals_len(r[1]))
        for s in S:
            ca, cb, k = [], [], 0
            for r in R:
                ia, ib = inter(s[0], r[0]), inter(s[1], r[1])
                if ia and ib:
                    ca += ia; cb += ib; k += 1
            rec_sum += (intervals_len(union(ca)) + intervals_len(union(cb))) / max(1, intervals_len(s[0]) + intervals_len(s[1]))
            if k:
                gran_sum += k; detected += 1
    P = prec_sum / n_det if n_det else 0.0
    R = rec_sum / n_case if n_case else 0.0
    G = gran_sum / detected if detected else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return dict(plagdet=F / math.log2(1 + G), P=P, R=R, gran=G, F1=F, n_det=n_det, n_case=n_case)


def gold(rows):
    cases = {}
    for i, r in enumerate(rows):
        cases[i] = [([(c["this_offset"], c["this_offset"] + c["this_length"])],
                     [(c["source_offset"], c["source_offset"] + c["source_length"])]) for c in r["cases"]]
    return cases


def reprint_dets(rows, only_related=True):
    feats = [json.loads(l) for l in open(os.path.join(HERE, "feats", "pan13.jsonl"))]
    dets = {}
    for i, (r, f) in enumerate(zip(rows, feats)):
        if only_related and f["rp_verdict"] == "unrelated":
            continue
        dets[i] = [(union([tuple(x) for x in a if x[0] >= 0]), union([tuple(x) for x in b if x[0] >= 0]))
                   for a, b, sc, kind in f["_spans"]]
    return dets


def tok_spans(text):
    return [(m.start(), m.end(), m.group(0).lower()) for m in TOK.finditer(text)]


def seed_dets(ta, tb, gap=40, min_ev=3.0, beta=1000.0, seed=3, keep=None):
    """Passages from shared word runs: runs of >= `seed` words, merged when both their
    suspicious and source positions are within `gap` words of the passage; a passage is
    kept when its summed chance evidence (see features.run_evidence, without the
    length term) exceeds min_ev + log10(la*lb)."""
    sa, sb = tok_spans(ta), tok_spans(tb)
    a, b = [x[2] for x in sa], [x[2] for x in sb]
    if not a or not b:
        return []
    lpair = math.log10(len(a) * len(b))
    runs = maximal_runs(a, b, seed)
    # drop runs made only of very common words (stock phrases)
    good = []
    for i, j, k in runs:
        info = -sum(math.log10(min(1.0, beta * p_word(w))) for w in a[i:i + k])
        if info > 0:
            good.append((i, j, k, info))
    good.sort()
    passages = []  # [a0, a1, b0, b1, ev]
    for i, j, k, info in good:
        merged = False
        for p in passages:
            if i <= p[1] + gap and i + k >= p[0] - gap and j <= p[3] + gap and j + k >= p[2] - gap:
                p[0], p[1] = min(p[0], i), max(p[1], i + k)
                p[2], p[3] = min(p[2], j), max(p[3], j + k)
                p[4] += info
                merged = True
                break
        if not merged:
            passages.append([i, i + k, j, j + k, info])
    # second pass: merge overlapping passages
    changed = True
    while changed:
        changed = False
        for x in range(len(passages)):
            for y in range(x + 1, len(passages)):
                p, q = passages[x], passages[y]
                if q[0] <= p[1] + gap and q[1] >= p[0] - gap and q[2] <= p[3] + gap and q[3] >= p[2] - gap:
                    passages[x] = [min(p[0], q[0]), max(p[1], q[1]), min(p[2], q[2]), max(p[3], q[3]), p[4] + q[4]]
                    del passages[y]
                    changed = True
                    break
            if changed:
                break
    out = []
    for a0, a1, b0, b1, ev in passages:
        if ev - lpair >= min_ev:
            out.append(([(sa[a0][0], sa[a1 - 1][1])], [(sb[b0][0], sb[b1 - 1][1])], ev - lpair))
    return out


def main():
    rows = [json.loads(l) for l in open(DATA)]
    cases = gold(rows)
    mode = sys.argv[1]
    if mode == "reprint":
        for only in (True, False):
            m = plagdet(cases, reprint_dets(rows, only))
            print(f"reprint-old diff alignment groups ({'pairs with a verdict only' if only else 'all pairs'}): "
                  + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in m.items()))
    else:
        args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
        gap, min_ev = int(args.get("--gap", 40)), float(args.get("--min-ev", 3))
        dets = {}
        for i, r in enumerate(rows):
            d = seed_dets(r["text_a"], r["text_b"], gap, min_ev)
            if d:
                dets[i] = [(x[0], x[1]) for x in d]
        m = plagdet(cases, dets)
        print(f"seed passages gap={gap} min_ev={min_ev}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in m.items()))
        # per part
        parts = defaultdict(list)
        for i, r in enumerate(rows):
            parts[r["part"]].append(i)
        for p, idx in sorted(parts.items()):
            m = plagdet({i: cases[i] for i in idx}, {i: dets[i] for i in idx if i in dets})
            print(f"   {p}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in m.items()))


if __name__ == "__main__":
    main()
