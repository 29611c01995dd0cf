#!/usr/bin/env bash
# An outage: the local Intercom-like server answers 503 to every request for OUTAGE_SECONDS (default 60) once a live
# --once run over VISITORS visitors (default 174) is under way (the server has seen START_AFTER requests, default 60:
# past the contact attributes, into the records). The migrator runs with its default delivery settings
# (concurrency, retries, backoff, outage detection). Prints wall time, requests the server received (and how many of
# them the outage answered), dead letters, contacts in the workspace and the exit code.
# JAR=path/to/intercom-migrator.jar measures another build (e.g. one from before outage detection), with the config/
# and routes/ of PROJECT (default: this project). SHORT=1: 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHORT:-0}" = 1 ]; then o=20; else o=60; fi
v=${VISITORS:-174}; outage=${OUTAGE_SECONDS:-$o}; jar=${JAR:-target/intercom-migrator.jar}; after=${START_AFTER:-60}
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes/io/intercommigrator/fake ] \
  || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
cp_test="target/test-classes:$(cat target/test-classpath.txt)"
home=$(mktemp -d); fake_pid=
trap '[ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null; cp "$home/log" target/bench-outage.log 2>/dev/null || true; rm -rf "$home"' EXIT
java -cp "$cp_test" io.intercommigrator.fake.FakeIntercom --port 0 --token bench-token --limit-per-10s 100000 \
  --latency-ms 20 --max-seconds 7200 > "$home/fake.out" &
fake_pid=$!
for _ in $(seq 100); do grep -q LISTENING "$home/fake.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/LISTENING/ {print $2}' "$home/fake.out")
cp -r "${PROJECT:-.}/config" "${PROJECT:-.}/routes" "$home"/
bench/gen-visitors.sh "$v" "$home/inbox/clickdesk/visitors.csv"
java -jar "$jar" confirm --home "$home" > /dev/null
start=$(date +%s.%N)
INTERCOM_ACCESS_TOKEN=bench-token java -Xmx384m -jar "$jar" --once --home "$home" -Dmigration.mode=live \
  -Dintercom.base-url="$url" -Dmigration.gdpr-acknowledged=true -Dintake.read-lock-min-age-ms=0 > "$home/out" 2> "$home/log" &
run_pid=$!
until [ "$(curl -s "$url/_fake/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')" -ge "$after" ] \
  || ! kill -0 $run_pid 2>/dev/null; do sleep 0.05; done
curl -s -X POST "$url/_fake/outage/$outage/503" > /dev/null
down=$(date +%s.%N)
set +e
wait $run_pid
exit_code=$?
set -e
end=$(date +%s.%N)
curl -s "$url/_fake/stats" > "$home/stats.json"
dead=$(cat "$home"/deadletter/*/*.jsonl 2>/dev/null | wc -l || true)
python3 - "$home/stats.json" "$start" "$end" "$exit_code" "$dead" "$v" "$outage" "$down" "$after" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); wall = float(sys.argv[3]) - float(sys.argv[2]); rest = float(sys.argv[3]) - float(sys.argv[8])
print(f"outage: {sys.argv[6]} visitors, 503 to everything for {sys.argv[7]} s from request {sys.argv[9]}; exit code {sys.argv[4]}")
print(f"wall: {wall:.1f} s ({rest:.1f} s from the outage's start); requests received: {s['requests']} ({s.get('outage_answers', '?')} answered by the outage); "
      f"dead letters: {sys.argv[5]}; contacts in the workspace: {s['contacts']}; duplicates: {s['duplicate_emails']}")
PY
