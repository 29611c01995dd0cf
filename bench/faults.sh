#!/usr/bin/env bash
# A mixed ClickDesk bundle (visitors, chats, tickets + messages, tags) delivered by the jar to the local Intercom-like
# server while it fails: ERROR_RATE answered 500, AMBIGUOUS_RATE of writes applied then answered 502 or cut off,
# DROP_RATE of connections dropped, LATENCY_MS per request. Prints per type what the report and the ledger say,
# the duplicates the server holds, lost records, dead letters, requests, retries and wall time.
# Full mode: 11,400 records (6,000 visitors, 1,500 chats, 700 tickets with 1,400 messages, 1,800 tag rows), 5 % 5xx,
# 2 % ambiguous, 1 % dropped, 200 ms (about 12 min). SHORT=1: 1,030 records, same faults and latency (under 1.5 min).
# Override: VISITORS CHATS TICKETS TAGS ERROR_RATE AMBIGUOUS_RATE DROP_RATE LATENCY_MS CONCURRENCY MAX_RETRIES SEED,
# SEARCH_LAG_MS (a new contact / conversation / ticket stays out of search results that long; default 0; the migrator's
# intercom.search-lag-ms is set to twice that, plus a second: how long it may wait for search after a lost answer;
# SEARCH_WAIT_MS sets it instead, e.g. 0 for the old one-search behaviour).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHORT:-0}" = 1 ]; then v=600; c=100; t=60; g=150; else v=6000; c=1500; t=700; g=1800; fi
v=${VISITORS:-$v}; c=${CHATS:-$c}; t=${TICKETS:-$t}; g=${TAGS:-$g}
error=${ERROR_RATE:-0.05}; ambiguous=${AMBIGUOUS_RATE:-0.02}; drop=${DROP_RATE:-0.01}; latency=${LATENCY_MS:-200}
concurrency=${CONCURRENCY:-32}; retries=${MAX_RETRIES:-8}; seed=${SEED:-7}
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes/io/intercommigrator/testing ] \
  || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
cp_test="target/test-classes:$(cat target/test-classpath.txt)"
home=$(mktemp -d); fake_pid=
trap '[ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null; cp "$home/log" target/bench-faults.log 2>/dev/null || true; rm -rf "$home"' EXIT
java -cp "$cp_test" io.intercommigrator.fake.FakeIntercom --port 0 --token bench-token --limit-per-10s 1000000 \
  --latency-ms "$latency" --error-rate "$error" --ambiguous-rate "$ambiguous" --drop-rate "$drop" --seed "$seed" \
  --admin agent1@acme.test=agent1 --admin agent2@acme.test=agent2 --admin agent3@acme.test=agent3 --team Support \
  --search-lag-ms "${SEARCH_LAG_MS:-0}" --max-seconds 7200 > "$home/fake.out" &
fake_pid=$!
for _ in $(seq 100); do grep -q LISTENING "$home/fake.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/LISTENING/ {print $2}' "$home/fake.out")
cp -r config routes "$home"/
bench/gen-clickdesk-drop.sh "$home/bundle/export" "$v" "$c" "$t" "$g" "$seed" > "$home/gen.out"
mkdir -p "$home/inbox"
(cd "$home/bundle" && python3 -m zipfile -c "$home/clickdesk-export.zip" export/)
mv "$home/clickdesk-export.zip" "$home/inbox/"
java -jar target/intercom-migrator.jar confirm --home "$home" > /dev/null
start=$(date +%s.%N)
set +e
INTERCOM_ACCESS_TOKEN=bench-token java -Xmx768m -XX:+ExitOnOutOfMemoryError -jar target/intercom-migrator.jar --once \
  --home "$home" -Dmigration.mode=live -Dintercom.base-url="$url" -Dintercom.rate-limit-per-minute=6000000 \
  -Ddelivery.concurrency="$concurrency" -Ddelivery.max-retries="$retries" -Ddelivery.retry-initial-delay-ms=200 \
  -Ddelivery.retry-max-delay-ms=5000 -Dintake.read-lock-min-age-ms=0 -Dintercom.search-lag-ms=${SEARCH_WAIT_MS:-$((2 * ${SEARCH_LAG_MS:-0} + 1000))} 2> "$home/log" > "$home/out"
exit_code=$?
set -e
end=$(date +%s.%N)
curl -s "$url/_fake/stats" > "$home/stats.json"
java -cp "$cp_test" io.intercommigrator.testing.LedgerAudit "$home" "$v" "$c" "$t" "$g" > "$home/audit.txt"
report=$(sed -n 's/^ *report: //p' "$home/out")
dead=$(cat "$home"/deadletter/*/*.jsonl 2>/dev/null | wc -l || true)
redeliveries=$(grep -c "On delivery attempt" "$home/log" || true)
python3 - "$home/stats.json" "$report" "$home/audit.txt" "$home/out" "$v" "$c" "$t" "$g" "$start" "$end" "$exit_code" \
  "$dead" "$redeliveries" "$error" "$ambiguous" "$drop" "$latency" "$home" <<'PY'
import glob, json, re, sys
stats = json.load(open(sys.argv[1])); report = json.load(open(sys.argv[2]))
audit = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(sys.argv[3]).read().splitlines()[1:]}
out = open(sys.argv[4]).read()
v, c, t, g = (int(x) for x in sys.argv[5:9]); wall = float(sys.argv[10]) - float(sys.argv[9])
dead_chats = 0
for f in glob.glob(sys.argv[18] + "/deadletter/*/conversation.jsonl"):
    dead_chats += sum(1 for l in open(f) if json.loads(l)["source_file"].endswith("chats.json"))
# the default routing makes the closed-email and chat tickets (j % 4 = 1, 2) conversations, counted as such
routed = sum(1 for j in range(1, t + 1) if j % 4 in (1, 2))
# contacts: the visitors, and every 10th chat's walk-in visitor (counted when its chat creates it)
expected = {"contact": None, "conversation": c + routed, "ticket": t - routed, "conversation_part": 4 * (c - dead_chats) + 2 * t,
            "tag": None}
print(f"faults: {float(sys.argv[14])*100:.0f}% 5xx, {float(sys.argv[15])*100:.0f}% ambiguous, "
      f"{float(sys.argv[16])*100:.0f}% dropped, {sys.argv[17]} ms; records: {v + c + t + 2 * t + g} "
      f"({v} visitors, {c} chats, {t} tickets, {2 * t} ticket messages, {g} tag rows); exit code {sys.argv[11]}")
print(f"{'type':18} {'source':>7} {'created':>8} {'updated':>8} {'unchanged':>9} {'skipped':>7} {'dead':>5} "
      f"{'lost':>5} {'ledger_missing':>14} {'in_flight':>9}")
for k, o in report["objects"].items():
    if o["source"] == 0 and k not in expected:
        continue
    accounted = o["created"] + o["updated"] + o["unchanged"] + o["skipped"] + o["dead_lettered"]
    lost = (expected.get(k) if expected.get(k) is not None else o["source"]) - accounted
    a = audit.get(k, [0, 0, 0, 0, 0, 0])
    print(f"{k:18} {o['source']:>7} {o['created']:>8} {o['updated']:>8} {o['unchanged']:>9} {o['skipped']:>7} "
          f"{o['dead_lettered']:>5} {lost:>5} {a[5]:>14} {a[4]:>9}")
sent = re.search(r"requests: (\d+) sent, (\d+) rate-limited, (\d+) retried", out)
print(f"duplicates: contacts {stats['duplicate_emails'] + stats['duplicate_external_ids']} "
      f"(emails {stats['duplicate_emails']}, external_ids {stats['duplicate_external_ids']}), "
      f"conversations {stats['duplicate_conversations']}, tickets {stats['duplicate_tickets']}, "
      f"parts {stats['duplicate_parts']}, repeated assignments {stats['threads_with_repeated_assignment']}")
print(f"dead letters: {sys.argv[12]}; requests: {stats['requests']} received by the server, "
      f"{sent.group(1) if sent else '?'} sent by the migrator; retried: {sys.argv[13]} record redeliveries + "
      f"{sent.group(3) if sent else '?'} read retries; wall: {wall:.1f} s")
PY
