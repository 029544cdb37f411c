#!/usr/bin/env bash
# Ledger benchmark (issue 11): a city-shaped ledger export, `poikkeama run` against a bare Python polars scan
# (bench/ledger_peer.py, the floor) and the analyst's pandas + openpyxl job (bench/peer/ledger_pandas.py),
# alternating, with /usr/bin/time -v. Usage: bench/ledger.sh [ROWS] [RUNS] (defaults 2000000, 3); PEERS="polars"
# leaves pandas out. Figures go in BENCHMARKS.md. Needs `pip install polars pandas openpyxl` for the peers.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-2000000}; runs=${2:-3}; peers=${PEERS:-polars pandas}
cargo build --release --quiet --bin poikkeama --example gen_ledger
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
./target/release/examples/gen_ledger --rows "$rows" --seed 1 --out "$work"
grep -v '^#' src/model/accounts.csv > "$work/chart.csv"
bin=$PWD/target/release/poikkeama
source bench/measure.sh
results=$work/results.txt; : > "$results"
for i in $(seq "$runs"); do
  rm -rf "$work/out"
  measure poikkeama "$bin" run --org "$work/org.toml" --out "$work/out" "$work/paakirja.csv" >> "$results"
  measure polars python3 bench/ledger_peer.py "$work/paakirja.csv" "$work/org.toml" "$work/chart.csv" >> "$results"
  if [[ " $peers " == *" pandas "* ]]; then
    measure pandas python3 bench/peer/ledger_pandas.py "$work/paakirja.csv" "$work/org.toml" "$work/chart.csv" "$work/pandas.xlsx" >> "$results"
  fi
done
python3 - "$results" "$rows" "$work/paakirja.csv" <<'PY'
import statistics, sys, os
rows = [l.split() for l in open(sys.argv[1])]
print(f"{int(sys.argv[2]):,} rows, {os.path.getsize(sys.argv[3]) / 2**20:.0f} MiB of CSV")
med = {}
for label in ("poikkeama", "polars", "pandas"):
    w = [float(r[1]) for r in rows if r[0] == label]
    m = [int(r[2]) / 1024 for r in rows if r[0] == label]
    if not w:
        continue
    med[label] = (statistics.median(w), max(m))
    print(f"{label:10} wall min {min(w):.2f} s  median {statistics.median(w):.2f} s  max {max(w):.2f} s  peak RSS {max(m):.0f} MiB")
p = med["poikkeama"]
for label in ("polars", "pandas"):
    if label in med:
        print(f"poikkeama / {label}: wall {p[0] / med[label][0]:.2f}x, memory {p[1] / med[label][1]:.2f}x")
PY
