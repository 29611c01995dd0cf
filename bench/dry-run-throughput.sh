#!/usr/bin/env bash
# Dry-run throughput and peak RSS on a generated visitors.csv: 100k rows and 1M rows (SHORT=1: 20k and 100k).
#   cold: a fresh JVM per file, what an operator sees (includes the JIT warm-up: on 2 cores the C2 compiler is busy
#         for about the first 5 s of a run, see the closing notes);
#   warm: the same file after a WARMUP-row file (other visitors) in the same JVM, which measures what a record costs
#         once the code is compiled, and whether that cost grows with the file.
# Records/s come from the migrator's own per-file log line (from the file's pick-up to its last record, its
# fingerprint and row count included); wall time and peak RSS (GNU time) are for the whole process.
# marginal: what one more record costs, (large - small rows) / (difference of the two files' times), from the
# migrator's per-file seconds and from wall time (which adds nothing per record but the JVM's start and exit); the
# start-up, the JIT warm-up and the report cancel out. Peak RSS large/small shows whether memory grows with the file.
# The marginal CPU time per record (user + sys of the process, GNU time) depends less than any rate on what else
# runs, but not nothing: on an overloaded machine (load far above the cores) it grows too, so compare builds
# back to back, and trust neither figure when the load average is well above the core count.
# HEAP: the JVM's memory options, default a 256 MB heap with the parallel (throughput) collector, which suits a batch
# run; with the JVM's default G1 the same run peaks about 50-80 MB higher (its own bookkeeping, and it commits the
# whole heap under this allocation rate). MODES: "cold warm" (default), or one of them. REPEAT: runs per size
# (default 3, SHORT=1: 1); the line shows the median run, with the spread of records/s. JAR: the migrator to run
# (default target/intercom-migrator.jar; e.g. a copy of an earlier build, to compare before and after).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${JAR:-target/intercom-migrator.jar}
[ -f "$jar" ] || mvn -B -q -DskipTests package
small=100000; large=1000000; warmup=${WARMUP:-300000}
repeat=${REPEAT:-3}
if [ "${SHORT:-0}" = 1 ]; then small=20000; large=100000; warmup=${WARMUP:-50000}; repeat=${REPEAT:-1}; fi
heap=${HEAP:--Xmx256m -XX:+UseParallelGC}
declare -A rate secs wall rss cpu

# run MODE ROWS: one migrator process; MODE warm first reads a WARMUP-row file of other visitors
run() {
  local mode=$1 rows=$2 home measured
  home=$(mktemp -d)
  cp -r config routes "$home"/
  measured=clickdesk/visitors.csv
  if [ "$mode" = warm ]; then
    bench/gen-visitors.sh "$warmup" "$home/inbox/a-warm-up/clickdesk/visitors.csv" w-
    measured=b-measured/clickdesk/visitors.csv
  fi
  bench/gen-visitors.sh "$rows" "$home/inbox/$measured"
  local start end timer=()
  start=$(date +%s%N)
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M %U %S" -o "$home/rss")  # GNU time: peak RSS in KiB, CPU s
  "${timer[@]}" java $heap -XX:+ExitOnOutOfMemoryError -jar "$jar" \
    --once --home "$home" -Dintake.read-lock-min-age-ms=0 2> "$home/log" > "$home/out"
  end=$(date +%s%N)
  local line per_s file_s wall_ms rss_mb cpu_s
  line=$(grep -o "$measured: [0-9]* records in [0-9.]* s ([0-9]* records/s)" "$home/log" | tail -1)
  per_s=$(sed 's/.*(\([0-9]*\) records\/s)/\1/' <<< "$line")
  file_s=$(sed 's/.* records in \([0-9.]*\) s .*/\1/' <<< "$line")
  wall_ms=$(( (end - start) / 1000000 ))
  rss_mb=$([ -f "$home/rss" ] && awk '{ print int($1 / 1024) }' "$home/rss" || echo "n/a (no GNU time)")
  cpu_s=$([ -f "$home/rss" ] && awk '{ printf "%.2f", $2 + $3 }' "$home/rss" || echo "n/a")
  # fields: records/s (sorts the runs), file seconds, wall ms, peak RSS MB, CPU s, the line shown
  printf '%s\t%s\t%s\t%s\t%s\t%-4s rows=%-8s %s  wall=%ss  cpu=%ss  peak_rss=%sMB\n' "$per_s" "$file_s" "$wall_ms" \
    "$rss_mb" "$cpu_s" "$mode" "$rows" "${line#*: }" "$(awk -v ms="$wall_ms" 'BEGIN { printf "%.1f", ms / 1000 }')" \
    "$cpu_s" "$rss_mb"
  rm -rf "$home"
}

modes=${MODES:-cold warm}
echo "$jar, heap: $heap, $repeat run(s) per size"
for mode in $modes; do
  for rows in $small $large; do
    runs=$(for _ in $(seq "$repeat"); do run "$mode" "$rows"; done | sort -n)
    median=$(sed -n "$(( (repeat + 1) / 2 ))p" <<< "$runs")
    IFS=$'\t' read -r rate[$mode.$rows] secs[$mode.$rows] wall[$mode.$rows] rss[$mode.$rows] cpu[$mode.$rows] shown \
      <<< "$median"
    printf '%s  (records/s of the %s runs: %s)\n' "$shown" "$repeat" "$(cut -f1 <<< "$runs" | paste -sd' ')"
  done
done
for mode in $modes; do
  awk -v m="$mode" -v a="${rate[$mode.$small]}" -v b="${rate[$mode.$large]}" -v s="$small" -v l="$large" \
    'BEGIN { hi = a > b ? a : b; lo = a > b ? b : a; printf "%s: %d vs %d rows, faster/slower = %.2fx\n", m, s, l, hi / lo }'
  awk -v m="$mode" -v s="$small" -v l="$large" -v fs="${secs[$mode.$small]}" -v fl="${secs[$mode.$large]}" \
    -v ws="${wall[$mode.$small]}" -v wl="${wall[$mode.$large]}" -v rs="${rss[$mode.$small]}" -v rl="${rss[$mode.$large]}" \
    -v cs="${cpu[$mode.$small]}" -v cl="${cpu[$mode.$large]}" \
    'function rate(t) { return t > 0 ? sprintf("%d records/s", (l - s) / t) : "n/a (no difference)" }
     BEGIN { printf "%s: marginal %d -> %d rows: %s (per-file seconds %.2f -> %.2f), %s (wall %.1f -> %.1f s)\n",
               m, s, l, rate(fl - fs), fs, fl, rate((wl - ws) / 1000), ws / 1000, wl / 1000
             if (rs + 0 > 0) printf "%s: peak RSS %d -> %d MB (%.2fx)\n", m, rs, rl, rl / rs
             if (cs + 0 > 0) printf "%s: marginal CPU %.1f us/record (process CPU %.1f -> %.1f s)\n", m,
               (cl - cs) * 1e6 / (l - s), cs, cl }'
done
