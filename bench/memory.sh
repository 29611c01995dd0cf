#!/usr/bin/env bash
# Is memory flat for the inputs that need grouping or a pre-scan? For each pair (a file and one ten times bigger) a
# dry-run `--once` in a fixed heap, under GNU time; prints rows, records/s (the migrator's own per-file line), wall
# time, peak RSS, the largest live heap after a GC (-Xlog:gc), and per pair the big/small ratio of peak RSS.
#   social:   ClickDesk social_messages.csv, 10 rows per thread, each thread's rows spread over the whole file
#   chatbot:  LeadDesk chatbot_export ZIP, 10 messages per session spread the same way
#   contacts: LeadDesk contacts.csv with six number custom fields (their integer / float pre-scan) and custom_fields.json
# Sizes: full 30k / 300k social rows, 100k / 1M chatbot messages, 30k / 300k contacts (about 10 minutes);
# SHORT=1: 2k / 20k of the social pair only (KINDS=... adds the others, same sizes). KINDS: which pairs (default
# "social chatbot contacts"). HEAP: the JVM's memory options, default as dry-run-throughput.sh (-Xmx256m, parallel
# collector). JAR: the build to measure (default target/intercom-migrator.jar; another build compares before / after).
# Numbers on a loaded machine are noisy; run it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A small=([social]=30000 [chatbot]=100000 [contacts]=30000)
kinds=${KINDS:-social chatbot contacts}
if [ "${SHORT:-0}" = 1 ]; then small=([social]=2000 [chatbot]=2000 [contacts]=2000); kinds=${KINDS:-social}; fi
heap=${HEAP:--Xmx256m -XX:+UseParallelGC}
jar=${JAR:-target/intercom-migrator.jar}
[ -f "$jar" ] || mvn -B -q -DskipTests package
home=""; trap '[ -n "$home" ] && rm -rf "$home"' EXIT

# run KIND ROWS: prints "RSS_KiB<TAB>line"
run() {
  local kind=$1 rows=$2
  home=$(mktemp -d)
  cp -r config routes "$home"/
  case "$kind" in
    social) bench/gen-memory-inputs.sh social "$rows" "$home/inbox/d1/clickdesk/social_messages.csv" ;;
    chatbot) bench/gen-memory-inputs.sh chatbot "$rows" "$home/inbox/d1/leaddesk/chatbot_export_bench.zip" ;;
    contacts) bench/gen-memory-inputs.sh contacts "$rows" "$home/inbox/d1/leaddesk" ;;
  esac
  local timer=() start wall rate rss live code=0
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$home/rss")
  start=$(date +%s)
  "${timer[@]}" java $heap -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$home/gc.log" -jar "$jar" \
    --once --home "$home" -Dintake.read-lock-min-age-ms=0 2> "$home/log" > "$home/out" || code=$?
  wall=$(( $(date +%s) - start ))
  rate=$(grep -o '[0-9]* records in [0-9.]* s ([0-9]* records/s)' "$home/log" | tail -1 || true)
  rss=$([ -f "$home/rss" ] && tail -1 "$home/rss" || echo 0)
  live=$(grep -o -- '->[0-9]*M' "$home/gc.log" | tr -d -- '->M' | sort -n | tail -1 || true)
  printf '%s\t%-8s rows=%-8s exit=%s %-32s wall=%ss peak_rss=%sMB max_live_heap=%sMB\n' "$rss" "$kind" "$rows" "$code" \
    "${rate:-n/a}" "$wall" "$(( rss / 1024 ))" "${live:-n/a}"
  rm -rf "$home"; home=""
}

echo "heap: $heap, jar: $jar"
for kind in $kinds; do
  a=$(run "$kind" "${small[$kind]}"); echo "${a#*$'\t'}"
  b=$(run "$kind" "$(( ${small[$kind]} * 10 ))"); echo "${b#*$'\t'}"
  awk -v k="$kind" -v a="${a%%$'\t'*}" -v b="${b%%$'\t'*}" \
    'BEGIN { if (a > 0) printf "%s: peak RSS 10x / 1x = %.2f\n", k, b / a; else print k ": no RSS (GNU time missing)" }'
done
