#!/usr/bin/env bash
# Where a dry-run's CPU goes, per record: a dry-run of a generated visitors.csv (ROWS, default 1M; SHORT=1: 100k)
# under JFR's method sampling, then bench/jfr-summary.java over the delivery pool's samples (the threads every
# record's work runs on). Prints the run's CPU seconds per record (GNU time) and, per owner of the samples (a method
# of ours, or a library such as Camel's routing and Jackson with the method of ours that called it), its share: a
# share times the CPU per record is what that owner costs a record. The start-up, the JIT warm-up and the file's row
# count are in the CPU figure too, so compare runs of the same size. JAR: the migrator to profile.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${JAR:-target/intercom-migrator.jar}
[ -f "$jar" ] || mvn -B -q -DskipTests package
rows=${ROWS:-1000000}
[ "${SHORT:-0}" = 1 ] && rows=${ROWS:-100000}
heap=${HEAP:--Xmx256m -XX:+UseParallelGC}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
cp -r config routes "$home"/
bench/gen-visitors.sh "$rows" "$home/inbox/clickdesk/visitors.csv"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%U %S" -o "$home/cpu")
"${timer[@]}" java $heap -XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording=filename="$home/run.jfr",settings=profile \
  -jar "$jar" --once --home "$home" -Dintake.read-lock-min-age-ms=0 2> "$home/log" > "$home/out"
grep -o "clickdesk/visitors.csv: [0-9]* records in [0-9.]* s ([0-9]* records/s)" "$home/log" | tail -1
[ -f "$home/cpu" ] && awk -v n="$rows" '{ printf "CPU %.1f s (user + sys) = %.1f us per record, everything included\n", $1 + $2, ($1 + $2) * 1e6 / n }' "$home/cpu"
java bench/jfr-summary.java "$home/run.jfr" delivery
