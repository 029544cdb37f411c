#!/usr/bin/env bash
# Ledger benchmark (issue 11): a city-shaped ledger export, as CSV and as Parquet, `poikkeama run` against a bare
# Python polars scan (bench/ledger_peer.py, the floor) and the analyst's pandas + openpyxl job
# (bench/peer/ledger_pandas.py, CSV only: pandas reads Parquet only through pyarrow), alternating, with
# /usr/bin/time -v.
#   bench/ledger.sh [ROWS] [RUNS]      defaults 2000000 and 3
#   PEERS="polars"                     leaves pandas out (it needs about 2.2 GiB and 11 s at 10 M rows)
#   FORMATS="csv"                      leaves Parquet out
# The Parquet file is the CSV's rows written by python polars (amounts Decimal(18, 2)), row groups as polars
# writes them. Figures go in BENCHMARKS.md. Needs `pip install polars pandas openpyxl`.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-2000000}; runs=${2:-3}; peers=${PEERS:-polars pandas}; formats=${FORMATS:-csv parquet}
cargo build --release --quiet --bin poikkeama --example gen_ledger
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
./target/release/examples/gen_ledger --rows "$rows" --seed 1 --out "$work"
grep -v '^#' src/model/accounts.csv > "$work/chart.csv"
if [[ " $formats " == *" parquet "* ]]; then
  python3 - "$work/paakirja.csv" "$work/paakirja.parquet" <<'PY'
import sys, polars as pl
money = {c: pl.Decimal(18, 2) for c in ("talousarvio", "muutokset", "toteuma")}
pl.scan_csv(sys.argv[1], separator=";", decimal_comma=True, schema_overrides=money).sink_parquet(sys.argv[2])
PY
fi
bin=$PWD/target/release/poikkeama
source bench/measure.sh
results=$work/results.txt; : > "$results"
for i in $(seq "$runs"); do
  for fmt in $formats; do
    input=$work/paakirja.$fmt
    rm -rf "$work/out"
    measure "poikkeama/$fmt" "$bin" run --org "$work/org.toml" --out "$work/out" "$input" >> "$results"
    measure "polars/$fmt" python3 bench/ledger_peer.py "$input" "$work/org.toml" "$work/chart.csv" >> "$results"
    if [[ $fmt == csv && " $peers " == *" pandas "* ]]; then
      measure "pandas/$fmt" python3 bench/peer/ledger_pandas.py "$input" "$work/org.toml" "$work/chart.csv" "$work/pandas.xlsx" >> "$results"
    fi
  done
done
python3 - "$results" "$rows" "$work" <<'PY'
import statistics, sys, os
rows = [l.split() for l in open(sys.argv[1])]
work = sys.argv[3]
for fmt in ("csv", "parquet"):
    path = os.path.join(work, f"paakirja.{fmt}")
    if not any(r[0].endswith("/" + fmt) for r in rows):
        continue
    print(f"{int(sys.argv[2]):,} rows, {os.path.getsize(path) / 2**20:.0f} MiB of {fmt}")
    med = {}
    for tool in ("poikkeama", "polars", "pandas"):
        label = f"{tool}/{fmt}"
        w = [float(r[1]) for r in rows if r[0] == label]
        m = [int(r[2]) / 1024 for r in rows if r[0] == label]
        if not w:
            continue
        med[tool] = (statistics.median(w), max(m))
        print(f"  {tool:10} wall min {min(w):.2f} s  median {statistics.median(w):.2f} s  max {max(w):.2f} s  peak RSS {max(m):.0f} MiB")
    p = med["poikkeama"]
    for tool in ("polars", "pandas"):
        if tool in med:
            print(f"  poikkeama / {tool}: wall {p[0] / med[tool][0]:.2f}x, memory {p[1] / med[tool][1]:.2f}x")
PY
