#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (not in CI): SECONDS_PER_TARGET (default 900 = 15 min) each, one
# after another, with libFuzzer's memory limit at 1 GiB (the bar for any input) and 10 s per input. Seeds
# come from the project's own fixtures; the corpus grows in fuzz/corpus/<target>, and any input that crashes,
# leaks past the memory limit or times out is kept in fuzz/artifacts/<target> (copy it into tests/bad_inputs/
# with a test when fixed). Prints one line per target: runs, corpus size, and whether it found anything.
#
#   bench/fuzz.sh                 # all targets, 15 min each
#   bench/fuzz.sh 60 pdf text     # 1 min each, these targets only
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-900}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(number org config text ledger parquet workbook pdf)

seed() {
    local t=$1 d=fuzz/corpus/$1
    mkdir -p "$d"
    case $t in
        workbook) cp inputs/*.xlsx tests/fixtures/*.xlsx tests/fixtures/*.ods tests/fixtures/*.xls tests/fixtures/real/*.xlsx \
                     tests/fixtures/ledger_trials/*.xlsx "$d"/ ;;
        pdf) cp tests/fixtures/text/*.pdf tests/fixtures/real/pdf/*.pdf "$d"/ ;;
        text) cp tests/fixtures/text/*.txt "$d"/ ;;
        ledger) cp tests/fixtures/ledger/*.csv tests/fixtures/ledger_trials/*.csv tests/fixtures/ledger_trials/*.txt \
                   tests/fixtures/ledger_trials/*.tsv tests/bad_inputs/*.csv "$d"/ 2>/dev/null || true
                printf 'vuosi;kustannuspaikka;tili;talousarvio;muutokset;toteuma\n2024;1100;3000;-100,50;0;-99\n' > "$d/seed.csv" ;;
        parquet) cp tests/fixtures/ledger/*.parquet "$d"/ ;;
        org) cp inputs/organisaatio.toml tests/fixtures/real/*.org.toml "$d"/ ;;
        config) for f in tests/fixtures/*.toml inputs/*.toml; do [ -f "$f" ] && { printf '\0'; cat "$f"; } > "$d/$(basename "$f")"; done
                printf '\1[[rivi]]\nid = "x"\nnimi = "X"\n' > "$d/scheme.toml" ;;
        number) for s in "1 234 567,89" "-1 935 039" "−12,5" "(1 000)" "1.234,5" "1e5" "0,004"; do printf '%s' "$s" > "$d/$(echo "$s" | md5sum | cut -c1-8)"; done ;;
    esac
}

for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "fuzz/artifacts/$t"
    log=fuzz/artifacts/$t.log
    set +e
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 \
        -max_len=262144 -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    found=$(ls "fuzz/artifacts/$t" | wc -l)
    echo "$t: exit $status, $runs runs in ${secs}s, corpus $(ls "fuzz/corpus/$t" | wc -l), artifacts $found"
done
