#!/usr/bin/env bash
# Crash and restart: the jar migrates a mixed ClickDesk drop to the local Intercom-like server (LATENCY_MS per request)
# and is killed with SIGKILL KILLS times, each when the server has received a pseudo-random number of requests
# (seeded by SEED), then started again; a last run goes to the end. Prints the kill points, the duplicates the
# server holds, where every source record stands in the ledger (missing = lost, in_flight = outcome never
# resolved), dead letters, requests and wall time.
# SHORT=1: 412 records (240 visitors, 40 chats, 24 tickets with 48 messages, 60 tag rows), the CrashRestartEndToEndTest
# drop; full: 4,120 records. Override: VISITORS CHATS TICKETS TAGS KILLS LATENCY_MS SEED. A run that ends with dead
# letters leaves its home (run logs, ledger, dead letters) in target/bench-crash-home.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHORT:-0}" = 1 ]; then v=240; c=40; t=24; g=60; else v=2400; c=400; t=240; g=600; fi
v=${VISITORS:-$v}; c=${CHATS:-$c}; t=${TICKETS:-$t}; g=${TAGS:-$g}
kills=${KILLS:-3}; latency=${LATENCY_MS:-40}; seed=${SEED:-20260403}
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes/io/intercommigrator/testing ] \
  || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
cp_test="target/test-classes:$(cat target/test-classpath.txt)"
home=$(mktemp -d); fake_pid=; run_pid=
# a run that ends with dead letters keeps its home (logs, ledger, dead letters) in target/bench-crash-home
trap '[ -n "$run_pid" ] && kill -9 $run_pid 2>/dev/null; [ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null;
      cat "$home"/run-*.log > target/bench-crash.log 2>/dev/null || true;
      if [ -n "$(cat "$home"/deadletter/*/*.jsonl 2>/dev/null)" ]; then rm -rf target/bench-crash-home; cp -r "$home" target/bench-crash-home; fi;
      rm -rf "$home"' EXIT
java -cp "$cp_test" io.intercommigrator.fake.FakeIntercom --port 0 --token bench-token --limit-per-10s 1000000 \
  --latency-ms "$latency" --seed "$seed" --admin agent1@acme.test=agent1 --admin agent2@acme.test=agent2 \
  --admin agent3@acme.test=agent3 --team Support --max-seconds 7200 > "$home/fake.out" &
fake_pid=$!
for _ in $(seq 100); do grep -q LISTENING "$home/fake.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/LISTENING/ {print $2}' "$home/fake.out")
requests() { curl -s "$url/_fake/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'; }
cp -r config routes "$home"/
bench/gen-clickdesk-drop.sh "$home/inbox/clickdesk" "$v" "$c" "$t" "$g" "$seed" > "$home/gen.out"
java -jar target/intercom-migrator.jar confirm --home "$home" > /dev/null
migrate() {
  INTERCOM_ACCESS_TOKEN=bench-token exec java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar target/intercom-migrator.jar --once \
    --home "$home" -Dmigration.mode=live -Dintercom.base-url="$url" -Dintercom.rate-limit-per-minute=6000000 \
    -Ddelivery.max-retries=8 -Dintake.read-lock-min-age-ms=0 -Dintake.poll-delay-ms=100
}
# the kill points: one in each of the first KILLS parts of ~80 % of the requests a run without crashes makes
# (per visitor ~1 call: its tags go in bulk; per chat 8.5; per ticket 4.5 + 2 messages; per tags.csv row 1)
estimate=$(( (10 * v + 85 * c + 45 * t + 10 * 2 * t + 10 * g) / 10 ))
read -r -a points <<< "$(awk -v s="$seed" -v k="$kills" -v e="$estimate" 'BEGIN { srand(s);
  for (i = 0; i < k; i++) printf "%d ", e * 0.8 * (i + 0.15 + 0.7 * rand()) / k }')"
start=$(date +%s.%N)
killed_at=()
for i in $(seq 0 $((kills - 1))); do
  migrate > "$home/run-$((i + 1)).log" 2>&1 &
  run_pid=$!
  at=$(( points[i] > $(requests) + 20 ? points[i] : $(requests) + 20 ))
  while kill -0 $run_pid 2>/dev/null && [ "$(requests)" -lt "$at" ]; do sleep 0.05; done
  if kill -0 $run_pid 2>/dev/null; then
    kill -9 $run_pid; wait $run_pid 2>/dev/null || true
    killed_at+=("$(requests)")
  else
    killed_at+=("(run ended first)")
  fi
  run_pid=
done
# the ledger as the kills left it: what the final run opens (kept with the home of a run that ends with dead letters)
cp "$home/work/ledger.mv.db" "$home/ledger-after-kills.mv.db" 2>/dev/null || true
migrate > "$home/run-final.log" 2>&1 &
run_pid=$!
wait $run_pid && exit_code=0 || exit_code=$?
run_pid=
end=$(date +%s.%N)
curl -s "$url/_fake/stats" > "$home/stats.json"
java -cp "$cp_test" io.intercommigrator.testing.LedgerAudit "$home" "$v" "$c" "$t" "$g" > "$home/audit.txt"
left=$(find "$home/inbox/clickdesk" -type f | wc -l)
dead=$(cat "$home"/deadletter/*/*.jsonl 2>/dev/null | wc -l || true)
echo "crash: ${kills} × SIGKILL at requests ${killed_at[*]} (of ~${estimate} planned), then a final run (exit code ${exit_code}); latency ${latency} ms"
echo "records: $((v + c + t + 2 * t + g)) ($v visitors, $c chats, $t tickets, $((2 * t)) ticket messages, $g tag rows); files left in the inbox: $left"
cat "$home/audit.txt"
python3 - "$home/stats.json" "$start" "$end" "$dead" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"duplicates: contacts {s['duplicate_emails'] + s['duplicate_external_ids']}, conversations {s['duplicate_conversations']}, "
      f"tickets {s['duplicate_tickets']}, parts {s['duplicate_parts']}, repeated assignments {s['threads_with_repeated_assignment']}")
print(f"in Intercom: {s['contacts']} contacts, {s['conversations']} conversations, {s['tickets']} tickets, {s['parts']} parts; "
      f"dead letters: {sys.argv[4]}; requests: {s['requests']}; wall: {float(sys.argv[3]) - float(sys.argv[2]):.1f} s")
PY
