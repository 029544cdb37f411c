#!/usr/bin/env bash
# Report benchmark (issue 9): a large city's year as one workbook, `extract` against `run`, alternating.
# Usage: bench/report.sh [RUNS] [DEPARTMENTS] [AREAS]   (defaults 5, 300, 10). Figures go in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; departments=${2:-300}; areas=${3:-10}
cargo build --release --quiet --bin poikkeama --example make_city
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
./target/release/examples/make_city --departments "$departments" --areas "$areas" --seed 1 --out "$work"
bin=$PWD/target/release/poikkeama
source bench/measure.sh
results=$work/results.txt; : > "$results"
for i in $(seq "$runs"); do
  measure extract "$bin" extract --org "$work/org.toml" "$work/kaupunki.xlsx" >> "$results"
  rm -rf "$work/out"
  measure run "$bin" run --org "$work/org.toml" --out "$work/out" "$work/kaupunki.xlsx" >> "$results"
done
python3 - "$results" "$work/out" <<'PY'
import statistics, sys, os
rows = [l.split() for l in open(sys.argv[1])]
for label in ("extract", "run"):
    w = [float(r[1]) for r in rows if r[0] == label]
    m = [int(r[2]) / 1024 for r in rows if r[0] == label]
    print(f"{label:8} wall min {min(w):.2f} s  median {statistics.median(w):.2f} s  max {max(w):.2f} s  peak RSS {max(m):.0f} MiB")
e = statistics.median(float(r[1]) for r in rows if r[0] == "extract")
r = statistics.median(float(r[1]) for r in rows if r[0] == "run")
print(f"run / extract (medians): {r / e:.2f}×  (target ≤ 2.5×)")
out = sys.argv[2]
for f in sorted(os.listdir(out)):
    print(f"  {f}: {os.path.getsize(os.path.join(out, f)) / 1024:.0f} KiB")
PY
