#!/usr/bin/env python3
"""Evidence features for text pairs (research prototype for reprint issue 10).

    venv/bin/python features.py            # writes feats/<dataset>.jsonl for all datasets

Every feature is computed from the two texts alone with a FIXED background
(wordfreq English unigram frequencies), plus optional figures from the reprint-old
binary (`score` batch output and `diff --format json`). No feature depends on
what else is in the dataset, except reprint's own `score` coverage (batch DF,
the known issue-10 defect) -- those are kept in separate columns (prefix rp_).
"""
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

from wordfreq import word_frequency

DATA = "/work/shared/eval"
REPRINT = "/work/base/reprint-old"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feats")
TOK = re.compile(r"\w+", re.UNICODE)
PFLOOR = 1e-8            # probability of a word wordfreq does not know
_pcache = {}


def p_word(w):
    p = _pcache.get(w)
    if p is None:
        p = max(word_frequency(w, "en"), PFLOOR)
        _pcache[w] = p
    return p


def toks(text):
    return [m.group(0).lower() for m in TOK.finditer(text)]


def ngrams(t, n):
    return [tuple(t[i:i + n]) for i in range(len(t) - n + 1)]


def maximal_runs(a, b, seed=3):
    """Maximal common word runs (len >= seed) as (i, j, length)."""
    if len(a) < seed or len(b) < seed:
        return []
    pos = defaultdict(list)
    for j in range(len(b) - seed + 1):
        pos[tuple(b[j:j + seed])].append(j)
    runs = []
    for i in range(len(a) - seed + 1):
        g = tuple(a[i:i + seed])
        for j in pos.get(g, ()):
            if i > 0 and j > 0 and a[i - 1] == b[j - 1]:
                continue  # not the start of a maximal run
            k = seed
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            runs.append((i, j, k))
    return runs


def run_evidence(a, b, beta):
    """Chance significance of the shared runs: for a run w1..wk the expected number of
    chance matches over all la*lb position pairs is la*lb*prod(min(1, beta*p(wi)));
    -log10 of that is the run's evidence (bits in base 10). Runs are taken greedily,
    best first, one-to-one on both sides, and only while their evidence > 0."""
    la, lb = max(len(a), 1), max(len(b), 1)
    lpair = math.log10(la * lb)
    runs = maximal_runs(a, b)
    scored = []
    for i, j, k in runs:
        s = -lpair - sum(math.log10(min(1.0, beta * p_word(w))) for w in a[i:i + k])
        if s > 0:
            scored.append((s, i, j, k))
    scored.sort(reverse=True)
    used_a, used_b = bytearray(len(a)), bytearray(len(b))
    tot, best, cov_a, cov_b, n = 0.0, 0.0, 0, 0, 0
    for s, i, j, k in scored:
        if any(used_a[i:i + k]) or any(used_b[j:j + k]):
            # trim to the unused part would be better; keep simple: skip overlapping runs
            continue
        used_a[i:i + k] = b"\x01" * k
        used_b[j:j + k] = b"\x01" * k
        tot += s
        best = max(best, s)
        cov_a += k
        cov_b += k
        n += 1
    return tot, best, n, cov_a / la, cov_b / lb


def poisson_logsf(x, lam):
    """-log10 P(X >= x) for X ~ Poisson(lam)."""
    if x <= 0:
        return 0.0
    if lam <= 0:
        return 50.0
    # sum the tail terms in log space
    terms = []
    k = x
    lt = -lam + k * math.log(lam) - math.lgamma(k + 1)
    for _ in range(200):
        terms.append(lt)
        k += 1
        lt += math.log(lam) - math.log(k)
        if lt < terms[0] - 30:
            break
    m = max(terms)
    s = m + math.log(sum(math.exp(t - m) for t in terms))
    return min(50.0, max(0.0, -s / math.log(10)))


NUM = re.compile(r"^\d[\d,.]*$")


def features(ta, tb):
    a, b = toks(ta), toks(tb)
    la, lb = len(a), len(b)
    f = {"len_a": la, "len_b": lb}
    # longest verbatim run in words
    runs = maximal_runs(a, b, seed=2) if la and lb else []
    lcs = max((k for _, _, k in runs), default=0)
    if lcs == 0 and set(a) & set(b):
        lcs = 1
    f["lcs_run"] = lcs
    # n-gram containment, n = 1..8
    for n in (1, 2, 3, 5, 8):
        ga, gb = set(ngrams(a, n)), set(ngrams(b, n))
        s = len(ga & gb)
        f[f"shared{n}"] = s
        f[f"cmax{n}"] = s / max(1, min(len(ga), len(gb)))   # containment of the smaller side
        f[f"cmin{n}"] = s / max(1, max(len(ga), len(gb)))   # containment of the larger side
        f[f"jac{n}"] = s / max(1, len(ga | gb))
    # rarity-weighted shared n-grams (n = 3..8): sum over shared distinct n-grams of their
    # self-information beyond the number of position pairs (clipped at 0)
    lpair = math.log10(max(1, la) * max(1, lb))
    for n in (3, 5, 8):
        ga, gb = set(ngrams(a, n)), set(ngrams(b, n))
        sh = ga & gb
        f[f"rare{n}"] = sum(1 for g in sh if -sum(math.log10(p_word(w)) for w in g) > lpair)
    # chance significance of shared runs, for a few burstiness factors beta
    for beta in (1, 30, 1000):
        tot, best, n, ca, cb = run_evidence(a, b, beta)
        f[f"sig_tot_b{beta}"] = tot
        f[f"sig_max_b{beta}"] = best
        f[f"sig_n_b{beta}"] = n
        f[f"sig_covmax_b{beta}"] = max(ca, cb)
        f[f"sig_covmin_b{beta}"] = min(ca, cb)
    # shared rare words (p < 1e-5): Poisson tail of their number given lb and frequencies
    sa, sb = set(a), set(b)
    rare_a = [w for w in sa if p_word(w) < 1e-5]
    obs = sum(1 for w in rare_a if w in sb)
    lam = sum(1 - math.exp(-lb * p_word(w) * 30) for w in rare_a)
    f["rarew_shared"] = obs
    f["rarew_logp"] = poisson_logsf(obs, lam)
    # IDF-weighted unigram coverage both ways (paraphrase evidence)
    idf = lambda w: -math.log10(p_word(w))
    wa = sum(idf(w) for w in sa) or 1.0
    wb = sum(idf(w) for w in sb) or 1.0
    ws = sum(idf(w) for w in sa & sb)
    f["idfcov_max"] = max(ws / wa, ws / wb)
    f["idfcov_min"] = min(ws / wa, ws / wb)
    f["idf_shared"] = ws
    f["loglenratio"] = abs(math.log((la + 1) / (lb + 1)))
    na = {w for w in sa if NUM.match(w)}
    nb = {w for w in sb if NUM.match(w)}
    f["num_mismatch"] = len(na ^ nb) / max(1, len(na | nb)) if (na or nb) else 0.0
    return f


def para_spans(text, paras):
    pos, lst = 0, []
    for p in paras:
        i = text.find(p, pos)
        lst.append((i, i + len(p)) if i >= 0 else (-1, -1))
        if i >= 0:
            pos = i + len(p)
    return lst


def diff_features(ta, tb, tmp):
    ta, tb = ta.replace("\x00", " "), tb.replace("\x00", " ")  # reprint refuses files with NUL bytes
    fa, fb = os.path.join(tmp, "a.txt"), os.path.join(tmp, "b.txt")
    with open(fa, "w", encoding="utf-8") as f:
        f.write(ta)
    with open(fb, "w", encoding="utf-8") as f:
        f.write(tb)
    out = subprocess.run([REPRINT, "diff", "-q", "--threads", "1", "--format", "json", fa, fb],
                         capture_output=True, text=True)
    d = json.loads(out.stdout)
    al = d["alignments"]
    sp_a, sp_b = para_spans(ta, d["a"]["paragraphs"]), para_spans(tb, d["b"]["paragraphs"])
    sc = [x["score"] for x in al]
    return {
        "df_verdict": d["verdict"], "df_score": d["score"],
        "df_cov_a": d["coverage_a"], "df_cov_b": d["coverage_b"],
        "df_nal": len(al), "df_nal5": sum(s >= 0.5 for s in sc), "df_nal7": sum(s >= 0.7 for s in sc),
        "df_maxal": max(sc, default=0.0), "df_sumal": sum(sc),
        "df_identical": sum(x["kind"] == "identical" for x in al),
        "_spans": [[[sp_a[i] for i in x["a"]], [sp_b[j] for j in x["b"]], x["score"], x["kind"]] for x in al],
    }


def score_batch(path):
    out = subprocess.run([REPRINT, "score", "-q", "--threads", "1", path], capture_output=True, text=True)
    return [json.loads(l) for l in out.stdout.splitlines()]


def read_jsonl(p):
    with open(p, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def meter_pairs():
    """METER pair labels built from story grouping: each newspaper article against (pos) the
    concatenated PA copy of its own story and (neg) the PA copy of the 2 other stories of the
    same domain that are most similar to it by IDF-weighted word overlap (hard negatives)."""
    docs = read_jsonl(os.path.join(DATA, "meter", "docs.jsonl"))
    pa = defaultdict(list)
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
                     "text_b": pa_text[d["story_id"]], "label": 1, "story": d["story_id"]})
        for _, s in cands[:2]:
            rows.append({"id_a": d["id"], "id_b": s, "text_a": d["text"], "text_b": pa_text[s],
                         "label": 0, "story": d["story_id"]})
    return rows


def load(name):
    if name == "pan13":
        rows = read_jsonl(os.path.join(DATA, "pan13_text_alignment", "pairs.jsonl"))
        for r in rows:
            r["group"] = r["part"] + ("" if r["label"] else "-neg") if r["part"].startswith("05") else r["part"]
    elif name == "panv":
        rows = read_jsonl(os.path.join(DATA, "pan_text_alignment_verbatim", "pairs.jsonl"))
    elif name == "mrpc":
        rows = read_jsonl(os.path.join(DATA, "mrpc", "train.jsonl"))
    elif name == "clough":
        rows = read_jsonl(os.path.join(DATA, "clough_short_answers", "pairs.jsonl"))
        for r in rows:
            r["group"] = r["label"]
            r["label"] = r["plagiarised"]
    elif name == "meter":
        rows = meter_pairs()
    elif name == "stsb":
        rows = read_jsonl(os.path.join(DATA, "stsb", "dev.jsonl"))
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    names = sys.argv[1:] or ["clough", "panv", "mrpc", "meter", "pan13"]
    for name in names:
        rows = load(name)
        with tempfile.TemporaryDirectory() as tmp:
            inp = os.path.join(tmp, "in.jsonl")
            with open(inp, "w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps({"id_a": r.get("id_a"), "id_b": r.get("id_b"),
                                        "text_a": r["text_a"], "text_b": r["text_b"]}) + "\n")
            sc = score_batch(inp)
            with open(os.path.join(OUT, name + ".jsonl"), "w") as out:
                for i, (r, s) in enumerate(zip(rows, sc)):
                    f = features(r["text_a"], r["text_b"])
                    f.update({"rp_" + k: s.get(k) for k in ("score", "verdict", "coverage_a", "coverage_b", "jaccard", "equivalence")})
                    f.update(diff_features(r["text_a"], r["text_b"], tmp))
                    meta = {k: r[k] for k in ("id_a", "id_b", "label") if k in r}
                    meta["group"] = r.get("group", name)
                    meta["dataset"] = name
                    if "cases" in r:
                        meta["cases"] = r["cases"]
                    out.write(json.dumps({**meta, **f}) + "\n")
                    if i % 500 == 0:
                        print(name, i, len(rows), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
