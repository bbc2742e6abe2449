#!/usr/bin/env bash
# Scale runs for BENCHMARKS.md: `reprint gen` corpora of 10k, 100k and 1M documents,
# then `reprint bench` on each in both modes, with the whole process's wall time and
# peak RSS from GNU time. Prints a markdown table; raw JSON stays in $OUT.
#
#   scripts/scale.sh                      # 10k, 100k, 1M (1M: 4.2 GB of disk, ~20 min)
#   SIZES="10000 100000" scripts/scale.sh
#   OUT=/big/disk scripts/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/scale}
SIZES=${SIZES:-"10000 100000 1000000"}
MODES=${MODES:-"near-dup all"}
BIN=target/release/reprint
cargo build --release -q
mkdir -p "$OUT"
for n in $SIZES; do
  dir="$OUT/gen_$n"
  if [ ! -f "$dir/manifest.json" ]; then
    rm -rf "$dir"
    /usr/bin/time -f '%e %M' -o "$OUT/time_gen_$n.txt" "$BIN" gen --docs "$n" --seed 1 --out "$dir" -q
  fi
  for mode in $MODES; do
    /usr/bin/time -f '%e %M' -o "$OUT/time_${mode}_$n.txt" \
      "$BIN" bench --corpus "$dir/corpus.jsonl" --truth "$dir/truth.jsonl" --mode "$mode" \
      --format json --out "$OUT/bench_${mode}_$n.json" -q
  done
done

python3 - "$OUT" $SIZES <<'EOF'
import json, os, sys
out, sizes = sys.argv[1], sys.argv[2:]
def t(name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None, None
    e, m = open(p).read().split()
    return float(e), int(m) / 1024
print("| docs | GB | mode | pipeline s | MB/s | docs/s | peak RSS, pipeline (MB) | wall s, whole bench | recall J>=0.8 | recall, all related | precision |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    for mode in ("near-dup", "all"):
        p = os.path.join(out, f"bench_{mode}_{n}.json")
        if not os.path.exists(p):
            continue
        d = json.load(open(p))
        gb = d["corpus"]["bytes"] / 1e9
        secs = d["pipeline_seconds"]
        peak = max(s["peak_rss_mb"] or 0 for s in d["stages"] if s["pass"] != "separate pass")
        wall, _ = t(f"time_{mode}_{n}.txt")
        q = d["quality"]
        hi = next(b for b in q["by_jaccard"] if b["bucket"].startswith("[0.8"))
        print(f"| {int(n):,} | {gb:.2f} | {mode} | {secs:.1f} | {d['corpus']['bytes'] / 1e6 / secs:.0f} | "
              f"{d['corpus']['documents'] / secs:,.0f} | {peak:.0f} | {wall:.1f} | {hi['recall']:.3f} | "
              f"{q['recall']:.3f} | {q['precision']:.3f} |")
for n in sizes:
    e, m = t(f"time_gen_{n}.txt")
    if e is not None:
        print(f"\ngen {int(n):,} docs: {e:.1f} s, peak RSS {m:.0f} MB")
EOF
