# Sourced by the bench scripts: `measure LABEL COMMAND...` runs the command under /usr/bin/time -v and prints
# "LABEL wall_seconds peak_rss_kib". Needs $work (a scratch folder).
measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  echo "$label $wall $rss"
}
