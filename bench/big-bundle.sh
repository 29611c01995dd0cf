#!/usr/bin/env bash
# A big bundle ZIP, dry-run, in a fixed 256 MB heap: does memory stay flat while the input grows?
# For each size it generates visitors.csv (bench/gen-visitors.sh), zips it into a ClickDesk bundle, runs
# `--once` (dry-run) under GNU time, and prints: rows, expanded and zipped size, records/s (the migrator's own
# per-file line), wall time, peak RSS, and the heap left live after each GC (from -Xlog:gc), as the largest value
# in the first and in the last third of the run: equal thirds mean the heap does not grow with the input.
# Sizes: ROWS (space separated). Default "200000 7000000": 28 MiB and 0.94 GiB of CSV (just under the default
# intake.zip.max-entry-bytes of 1 GiB). SHORT=1: "50000 200000".
# The ~1 GiB run writes ~3 GiB of dry-run outbox to a temporary folder and takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${ROWS:-200000 7000000}; [ "${SHORT:-0}" = 1 ] && sizes=${ROWS:-50000 200000}
heap=${HEAP:--Xmx256m}
[ -f target/intercom-migrator.jar ] || mvn -B -q -DskipTests package
home=""; trap '[ -n "$home" ] && rm -rf "$home"' EXIT
printf '%-9s %-10s %-9s %-30s %-7s %-9s %s\n' rows csv_MiB zip_MiB rate wall peak_RSS "live heap after GC, first/last third"
for rows in $sizes; do
  home=$(mktemp -d)
  cp -r config routes "$home"/
  mkdir -p "$home/inbox/clickdesk" "$home/gen"
  bench/gen-visitors.sh "$rows" "$home/gen/visitors.csv"
  csv_mib=$(( $(stat -c %s "$home/gen/visitors.csv") / 1048576 ))
  python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z: z.write(sys.argv[2], "visitors.csv")' \
    "$home/inbox/clickdesk/clickdesk-export.zip" "$home/gen/visitors.csv"   # python3, as the other scripts: no zip tool needed
  rm "$home/gen/visitors.csv"
  zip_mib=$(( $(stat -c %s "$home/inbox/clickdesk/clickdesk-export.zip") / 1048576 ))
  timer=(); [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$home/rss")
  start=$(date +%s)
  "${timer[@]}" java $heap -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$home/gc.log" -jar target/intercom-migrator.jar \
    --once --home "$home" -Dintake.read-lock-min-age-ms=0 2> "$home/log" > "$home/out"
  wall=$(( $(date +%s) - start ))
  rate=$(grep -o '[0-9]* records in [0-9.]* s ([0-9]* records/s)' "$home/log" | tail -1 || true)
  rss=$([ -f "$home/rss" ] && echo "$(( $(cat "$home/rss") / 1024 ))MB" || echo "n/a")
  # "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 150M->20M(256M) 3.1ms": the value after "->" is live heap
  heapline=$(grep -o -- '->[0-9]*M' "$home/gc.log" | tr -d -- '->M' | awk '{v[NR]=$1} END {
      t=int(NR/3); if (t<1) {print "n/a (" NR " GCs)"; exit}
      a=0; for(i=1;i<=t;i++) if(v[i]>a) a=v[i]; b=0; for(i=NR-t+1;i<=NR;i++) if(v[i]>b) b=v[i];
      printf "%dM / %dM over %d GCs", a, b, NR }')
  printf '%-9s %-10s %-9s %-30s %-7s %-9s %s\n' "$rows" "$csv_mib" "$zip_mib" "${rate:-n/a}" "${wall}s" "$rss" "$heapline"
  [ -n "$rate" ] || { echo "run failed:"; tail -5 "$home/log"; find "$home/inbox" -name '*.error.txt' -exec cat {} +; exit 1; }
  rm -rf "$home"; home=""
done
