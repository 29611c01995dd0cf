#!/usr/bin/env bash
# Dry-run throughput and peak RSS on a generated visitors.csv: 100k rows, then 1M rows (SHORT=1: 20k and 100k).
# Prints rows, records/s (from the migrator's own per-file log line), wall time and peak RSS (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/intercom-migrator.jar ] || mvn -B -q -DskipTests package
small=100000; large=1000000
if [ "${SHORT:-0}" = 1 ]; then small=20000; large=100000; fi
heap=${HEAP:--Xmx256m}
for rows in $small $large; do
  home=$(mktemp -d)
  cp -r config routes "$home"/
  bench/gen-visitors.sh "$rows" "$home/inbox/clickdesk/visitors.csv"
  start=$(date +%s%N)
  timer=(); [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$home/rss")  # GNU time: peak RSS in KiB
  "${timer[@]}" java $heap -XX:+ExitOnOutOfMemoryError -jar target/intercom-migrator.jar \
    --once --home "$home" -Dintake.read-lock-min-age-ms=0 2> "$home/log" > "$home/out"
  end=$(date +%s%N)
  rate=$(grep -o '[0-9]* records in [0-9.]* s ([0-9]* records/s)' "$home/log" | tail -1)
  rss_mb=$([ -f "$home/rss" ] && echo $(( $(cat "$home/rss") / 1024 )) || echo "n/a (no GNU time)")
  printf 'rows=%s  %s  wall=%ss  peak_rss=%sMB  heap=%s\n' "$rows" "$rate" "$(( (end - start) / 1000000000 ))" "$rss_mb" "$heap"
  rm -rf "$home"
done
