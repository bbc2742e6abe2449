#!/usr/bin/env python3
"""Measure reprint's rewrite detection on the labelled data in ../shared/eval.

    scripts/eval.py mrpc   [--data ../shared/eval] [--reprint target/release/reprint]
    scripts/eval.py clough
    scripts/eval.py pan
    scripts/eval.py pan13          (reprint score --passages: pair F1 per part, plagdet)
    scripts/eval.py meter          (reprint pairs over all documents)
    scripts/eval.py meter-sources  (reprint sources --from PA copy, newspaper articles)
    scripts/eval.py all

Standard library only. The data stays where it is (it is not part of this repository);
every figure is computed from reprint's own output with default options. The results
are recorded in EVALUATION.md.
"""
import argparse
import collections
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DERIVED_WHOLE = {"duplicate", "near-duplicate", "rewrite"}


def run_score(reprint, pairs_path, *extra):
    out = subprocess.run([reprint, "score", "-q", *extra, pairs_path], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"reprint score failed: {out.stderr}")
    return [json.loads(l) for l in out.stdout.splitlines()]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def mrpc(args):
    path = os.path.join(args.data, "mrpc", "train.jsonl")
    gold = [r["label"] for r in read_jsonl(path)]
    pred = run_score(args.reprint, path)
    tp = fp = tn = fn = 0
    for g, p in zip(gold, pred):
        yes = p["verdict"] in DERIVED_WHOLE
        if yes and g == 1:
            tp += 1
        elif yes:
            fp += 1
        elif g == 0:
            tn += 1
        else:
            fn += 1
    acc = (tp + tn) / len(gold)
    prec, rec = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * prec * rec / (prec + rec)
    print(f"MRPC train ({len(gold)} pairs): accuracy {acc:.3f}, F1 {f1:.3f} "
          f"(precision {prec:.3f}, recall {rec:.3f}); yes = duplicate, near-duplicate or rewrite")


def clough(args):
    path = os.path.join(args.data, "clough_short_answers", "pairs.jsonl")
    gold = read_jsonl(path)
    pred = run_score(args.reprint, path)
    right = 0
    scores = collections.defaultdict(list)
    verdicts = collections.defaultdict(collections.Counter)
    for g, p in zip(gold, pred):
        right += (p["verdict"] != "unrelated") == (g["label"] != "non")
        scores[g["label"]].append(p["score"])
        verdicts[g["label"]][p["verdict"]] += 1
    print(f"Clough & Stevenson ({len(gold)} answers): derived vs independent right "
          f"{right}/{len(gold)} = {right / len(gold):.3f} (derived = any verdict)")
    for k in ("cut", "light", "heavy", "non"):
        print(f"  {k:5s} mean score {sum(scores[k]) / len(scores[k]):.3f}  verdicts {dict(verdicts[k])}")


def pan(args):
    """Share of inserted verbatim passages whose paragraphs the aligner links: a case
    counts as found when an alignment link covers at least half of the case's characters
    on both sides (paragraph spans, with the data's offset tolerance)."""
    path = os.path.join(args.data, "pan_text_alignment_verbatim", "pairs.jsonl")
    rows = read_jsonl(path)
    found = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for r in rows:
            fa, fb = os.path.join(tmp, "a.txt"), os.path.join(tmp, "b.txt")
            with open(fa, "w", encoding="utf-8") as f:
                f.write(r["text_a"])
            with open(fb, "w", encoding="utf-8") as f:
                f.write(r["text_b"])
            out = subprocess.run([args.reprint, "diff", "--format", "json", fa, fb],
                                 capture_output=True, text=True)
            d = json.loads(out.stdout)
            spans = []
            for side, text in (("a", r["text_a"]), ("b", r["text_b"])):
                pos, lst = 0, []
                for p in d[side]["paragraphs"]:
                    i = text.find(p, pos)
                    lst.append((i, i + len(p)) if i >= 0 else (-1, -1))
                    if i >= 0:
                        pos = i + len(p)
                spans.append(lst)
            for c in r["cases"]:
                total += 1
                ca = (c["this_offset"], c["this_offset"] + c["this_length"])
                cb = (c["source_offset"], c["source_offset"] + c["source_length"])
                for l in d["alignments"]:
                    oa = sum(max(0, min(ca[1], spans[0][i][1]) - max(ca[0], spans[0][i][0])) for i in l["a"])
                    ob = sum(max(0, min(cb[1], spans[1][j][1]) - max(cb[0], spans[1][j][0])) for j in l["b"])
                    if oa >= 0.5 * (ca[1] - ca[0]) and ob >= 0.5 * (cb[1] - cb[0]):
                        found += 1
                        break
    print(f"PAN verbatim ({len(rows)} document pairs, {total} inserted passages): "
          f"{found}/{total} = {found / total:.3f} of passages linked by the aligner")


def _ilen(iv):
    return sum(e - s for s, e in iv)


def _inter(a, b):
    """Intersection of two sorted lists of disjoint half-open intervals."""
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


def _union(ivs):
    out = []
    for s, e in sorted(x for x in ivs if x[1] > x[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def plagdet(cases, dets):
    """PAN plagdet (Potthast et al. 2010). cases, dets: {pair: [(a_intervals, b_intervals)]},
    character intervals on the suspicious (a) and source (b) side. A detection r detects a
    case s when they overlap on both sides; precision and recall are macro-averaged over all
    detections / cases of the corpus, counting the characters of both sides; granularity is
    the mean number of detections per detected case; plagdet = F1 / log2(1 + granularity)."""
    n_det = sum(len(v) for v in dets.values())
    n_case = sum(len(v) for v in cases.values())
    prec = rec = 0.0
    gran, detected = 0, 0
    for pid in set(cases) | set(dets):
        S, R = cases.get(pid, []), dets.get(pid, [])
        hits = [[(_inter(s[0], r[0]), _inter(s[1], r[1])) for r in R] for s in S]
        for k, r in enumerate(R):
            ca, cb = [], []
            for h in hits:
                ia, ib = h[k]
                if ia and ib:
                    ca += ia
                    cb += ib
            prec += (_ilen(_union(ca)) + _ilen(_union(cb))) / max(1, _ilen(r[0]) + _ilen(r[1]))
        for s, h in zip(S, hits):
            ca, cb, n = [], [], 0
            for ia, ib in h:
                if ia and ib:
                    ca += ia
                    cb += ib
                    n += 1
            rec += (_ilen(_union(ca)) + _ilen(_union(cb))) / max(1, _ilen(s[0]) + _ilen(s[1]))
            if n:
                gran += n
                detected += 1
    p = prec / n_det if n_det else 0.0
    r = rec / n_case if n_case else 0.0
    g = gran / detected if detected else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"plagdet": f / math.log2(1 + g), "precision": p, "recall": r, "granularity": g,
            "detections": n_det, "cases": n_case}


def _fmt(m):
    return (f"plagdet {m['plagdet']:.3f} (precision {m['precision']:.3f}, recall {m['recall']:.3f}, "
            f"granularity {m['granularity']:.3f}; {m['detections']} detections, {m['cases']} cases)")


def pan13(args):
    """PAN 2013 text alignment: `reprint score --passages` over the pairs (suspicious =
    text_a, source = text_b). Pair level: reuse = any verdict, against the label. Passage
    level: plagdet of the strong passages (Passage::is_strong) of pairs with a verdict,
    and for reference of the strong passages of every pair and of every passage."""
    path = os.path.join(args.data, "pan13_text_alignment", "pairs.jsonl")
    rows = read_jsonl(path)
    pred = run_score(args.reprint, path, "--passages")
    assert len(pred) == len(rows)
    tp = fp = fn = 0
    parts = collections.defaultdict(lambda: [0, 0, 0, 0])  # found, positives, fp, negatives
    for r, p in zip(rows, pred):
        yes = p["verdict"] != "unrelated"
        c = parts[r["part"]]
        if r["label"]:
            c[0] += yes
            c[1] += 1
            tp += yes
            fn += not yes
        else:
            c[2] += yes
            c[3] += 1
            fp += yes
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"PAN13 text alignment ({len(rows)} pairs): pair F1 {f1:.3f} (precision {prec:.3f}, "
          f"recall {rec:.3f}); reuse = any verdict")
    for part, (found, pos, fpos, neg) in sorted(parts.items()):
        bits = []
        if pos:
            bits.append(f"recall {found}/{pos} = {found / pos:.3f}")
        if neg:
            bits.append(f"false positives {fpos}/{neg}")
        print(f"  {part}: " + ", ".join(bits))
    cases = {i: [([(c["this_offset"], c["this_offset"] + c["this_length"])],
                  [(c["source_offset"], c["source_offset"] + c["source_length"])]) for c in r["cases"]]
             for i, r in enumerate(rows) if r["cases"]}

    def strong(x):
        # The verdict rules' strong link (Passage::is_strong): not a paraphrase, or
        # mean link score at least 0.5.
        return x["kind"] != "paraphrase" or x["score"] >= 0.5

    def dets(only_related, keep):
        d = {i: [([(x["a_start"], x["a_end"])], [(x["b_start"], x["b_end"])]) for x in p["passages"] if keep(x)]
             for i, p in enumerate(pred) if p["verdict"] != "unrelated" or not only_related}
        return {i: v for i, v in d.items() if v}

    d = dets(True, strong)
    print(f"  strong passages of pairs with a verdict: {_fmt(plagdet(cases, d))}")
    print(f"  strong passages of every pair: {_fmt(plagdet(cases, dets(False, strong)))}")
    print(f"  every passage of pairs with a verdict: {_fmt(plagdet(cases, dets(True, lambda x: True)))}")
    by_part = collections.defaultdict(list)
    for i, r in enumerate(rows):
        by_part[r["part"]].append(i)
    for part, idx in sorted(by_part.items()):
        m = plagdet({i: cases[i] for i in idx if i in cases}, {i: d[i] for i in idx if i in d})
        print(f"    {part} (strong, with a verdict): {_fmt(m)}")


def meter(args):
    """reprint pairs (default mode) over the METER split; a link is a reported pair of a
    newspaper article and a PA document, correct when both belong to the same story."""
    path = os.path.join(args.data, "meter", "docs.jsonl")
    docs = {d["id"]: d for d in read_jsonl(path)}
    out = subprocess.run([args.reprint, "pairs", "-q", "--format", "jsonl", path],
                         capture_output=True, text=True)
    pairs = [json.loads(l) for l in out.stdout.splitlines()]
    news = [d for d in docs.values() if d["source"] == "newspaper"]
    links, best = [], {}
    for p in pairs:
        a, b = docs[p["a"]], docs[p["b"]]
        if a["source"] == b["source"]:
            continue
        n, pa = (a, b) if a["source"] == "newspaper" else (b, a)
        ok = n["story_id"] == pa["story_id"]
        links.append((n["id"], ok))
        if n["id"] not in best or p["score"] > best[n["id"]][0]:
            best[n["id"]] = (p["score"], ok)
    correct = {n for n, ok in links if ok}
    good = sum(ok for _, ok in links)
    print(f"METER ({len(news)} newspaper articles, {len(docs) - len(news)} PA documents): "
          f"{len(correct) / len(news):.3f} of articles linked to PA copy of their own story; "
          f"{good}/{len(links)} = {good / len(links):.3f} of links correct; "
          f"best link per article correct {sum(ok for _, ok in best.values())}/{len(best)} = "
          f"{sum(ok for _, ok in best.values()) / len(best):.3f}")


def meter_sources(args):
    """reprint sources (default options) with the PA documents as the source collection
    and the newspaper articles as articles; a link is correct when the article and its
    source belong to the same story."""
    path = os.path.join(args.data, "meter", "docs.jsonl")
    docs = {}
    with tempfile.TemporaryDirectory() as tmp:
        pa_path, news_path = os.path.join(tmp, "pa.jsonl"), os.path.join(tmp, "news.jsonl")
        with open(path, encoding="utf-8") as f, open(pa_path, "w", encoding="utf-8") as pa, \
                open(news_path, "w", encoding="utf-8") as news:
            for line in f:
                d = json.loads(line)
                docs[d["id"]] = d
                (pa if d["source"] == "PA" else news).write(line)
        out = subprocess.run([args.reprint, "sources", "-q", "--format", "jsonl", "--from", pa_path,
                              news_path], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"reprint sources failed: {out.stderr}")
    links = [json.loads(l) for l in out.stdout.splitlines()]
    n_news = sum(d["source"] == "newspaper" for d in docs.values())

    def figures(rows):
        ok = [docs[r["article"]]["story_id"] == docs[r["source"]]["story_id"] for r in rows]
        arts = {r["article"] for r, k in zip(rows, ok) if k}
        return len(arts) / n_news, sum(ok), len(rows)

    a, good, total = figures(links)
    print(f"METER sources ({n_news} articles, PA copy as sources): {a:.3f} of articles linked to PA "
          f"copy of their own story; {good}/{total} = {good / total:.3f} of links correct")
    a, good, total = figures([r for r in links if r["verdict"]])
    print(f"  links with reused text only: {a:.3f} of articles; {good}/{total} = {good / total:.3f} correct")
    a, good, total = figures([r for r in links if r["rank"] == 1])
    print(f"  primary sources only: {a:.3f} of articles; {good}/{total} = {good / total:.3f} correct")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dataset", choices=["mrpc", "clough", "pan", "pan13", "meter", "meter-sources", "all"])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "eval"))
    ap.add_argument("--reprint", default=os.path.join(ROOT, "target", "release", "reprint"))
    args = ap.parse_args()
    todo = ["mrpc", "clough", "pan", "pan13", "meter", "meter-sources"] if args.dataset == "all" else [args.dataset]
    for t in todo:
        globals()[t.replace("-", "_")](args)


if __name__ == "__main__":
    main()
