#!/usr/bin/env python3
"""Measure reprint's rewrite detection on the labelled data in ../shared/eval.

    scripts/eval.py mrpc   [--data ../shared/eval] [--reprint target/release/reprint]
    scripts/eval.py clough
    scripts/eval.py pan
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
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DERIVED_WHOLE = {"duplicate", "near-duplicate", "rewrite"}


def run_score(reprint, pairs_path):
    out = subprocess.run([reprint, "score", "-q", pairs_path], capture_output=True, text=True)
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
    ap.add_argument("dataset", choices=["mrpc", "clough", "pan", "meter", "meter-sources", "all"])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "eval"))
    ap.add_argument("--reprint", default=os.path.join(ROOT, "target", "release", "reprint"))
    args = ap.parse_args()
    todo = ["mrpc", "clough", "pan", "meter", "meter-sources"] if args.dataset == "all" else [args.dataset]
    for t in todo:
        globals()[t.replace("-", "_")](args)


if __name__ == "__main__":
    main()
