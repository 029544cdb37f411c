#!/usr/bin/env bash
# A deep organisation (issue 22): an org file that is a chain of N units (each the parent of the next, codes
# 100000 + level) and a ledger with two rows on the deepest unit's cost center, so that every level's figures
# are computed from the level below. Runs `poikkeama validate` (release build) under /usr/bin/time -v and prints
# "N wall_seconds peak_rss_kib" per depth. The issue's bar: 10 000 levels under 20 s and 1 GiB.
#   bench/deep_org.sh [N...]      defaults 1000 10000
# Figures go in BENCHMARKS.md ("A deep organisation").
set -euo pipefail
cd "$(dirname "$0")/.."
depths=("$@")
[ ${#depths[@]} -gt 0 ] || depths=(1000 10000)
cargo build --release --quiet --bin poikkeama
bin=$PWD/target/release/poikkeama
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source bench/measure.sh
for n in "${depths[@]}"; do
  python3 - "$n" "$work/org$n.toml" "$work/ledger$n.csv" <<'PY'
import sys
n, org, ledger = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(org, "w") as f:
    for i in range(n):
        f.write('[[unit]]\nname = "U%d"\n' % i)
        if i:
            f.write('parent = "U%d"\n' % (i - 1))
        f.write('codes = ["%d"]\n' % (100000 + i))
with open(ledger, "w") as f:
    leaf = 100000 + n - 1
    f.write("kustannuspaikka;tili;vuosi;talousarvio;toteuma\n")
    f.write("%d;300000;2024;1000,00;900,00\n%d;400000;2024;-5000,00;-5200,00\n" % (leaf, leaf))
PY
  (cd "$work" && measure "$n" "$bin" validate --org "org$n.toml" "ledger$n.csv")
  echo "  exit status $(awk '/Exit status/ {print $NF}' "$work/time.txt") (0: the figures hold)"
done
