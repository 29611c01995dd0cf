#!/usr/bin/env bash
# Files moving with the record, live against the local Intercom-like server (LATENCY_MS, default 50 ms, QUOTA calls/min):
# a generated ClickDesk bundle of CHATS chats (visitors.csv + chats.json, 4 messages each) whose opening message has
# two files and whose agent reply has one, all shipped in the bundle's attachments/ folder (FILE_KB each), migrated
# once with the files and once without them (same chats, no attachments), each into a fresh workspace and home.
# Prints, per variant: calls per chat (requests the fake got / conversations), wall time, and for the variant with
# files the bytes uploaded (shipped bytes, decoded) per second of the run and per second of upload requests.
# SHORT=1: 20 chats of 3 × 64 KiB (under a minute). Logs and reports of the last run stay in target/bench-attachments/.
set -euo pipefail
cd "$(dirname "$0")/.."
chats=${CHATS:-200}; file_kb=${FILE_KB:-256}
[ "${SHORT:-0}" = 1 ] && { chats=20; file_kb=64; }
quota=${QUOTA:-6000}; concurrency=${CONCURRENCY:-16}; latency=${LATENCY_MS:-50}
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null

fake_pid=""; home=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  if [ -n "$home" ]; then rm -rf "$home"; fi
  fake_pid=""; home=""
}
trap cleanup EXIT

for variant in with-files without-files; do
  home=$(mktemp -d)
  keep=target/bench-attachments/$variant; rm -rf "$keep"; mkdir -p "$keep" "$home/inbox/clickdesk"
  python3 - "$home/inbox/clickdesk/export.zip" "$chats" "$file_kb" "$variant" <<'PY'
import json, os, random, sys, zipfile
out, chats, kb, variant = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(7)
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
    rows = ["visitor_id,name,email,phone,tags,city,country,country_code,browser,os,first_seen,last_seen"]
    sessions = []
    for j in range(1, chats + 1):
        rows.append(f"v{j},Visitor {j},visitor{j}@example.com,,,Austin,United States,US,Firefox,Linux,1690000000000,1690086400000")
        start = 1_700_000_000 + j * 3600
        files = [f"https://cdn.clickdesk.example/files/c{j}/scan-{k}.pdf" for k in (1, 2, 3)] if variant == "with-files" else []
        msgs = [{"time": str(start * 1000), "from": "visitor", "text": f"chat {j} opening", "attachments": files[:2]},
                {"time": str((start + 60) * 1000), "from": "agent", "sender_email": "agent1@acme.test", "text": f"chat {j} reply",
                 "attachments": files[2:]},
                {"time": str((start + 120) * 1000), "from": "visitor", "text": f"chat {j} thanks"},
                {"time": str((start + 180) * 1000), "from": "agent", "sender_email": "agent1@acme.test", "text": f"chat {j} bye"}]
        sessions.append({"chat_id": f"c{j}", "visitor_id": f"v{j}", "name": f"Visitor {j}", "email": f"visitor{j}@example.com",
                         "agent_email": "agent1@acme.test", "start_time": str(start * 1000), "messages": msgs})
        for k, url in enumerate(files, 1):
            z.writestr(f"clickdesk/attachments/files/c{j}/scan-{k}.pdf", rnd.randbytes(kb * 1024))
    z.writestr("clickdesk/visitors.csv", "\n".join(rows) + "\n")
    z.writestr("clickdesk/chats.json", json.dumps({"session": sessions}))
PY
  java -Xmx2g -cp "target/test-classes:$(cat target/test-classpath.txt)" io.intercommigrator.fake.FakeIntercom --port 0 \
    --token bench-token --limit-per-10s $((quota / 6)) --latency-ms "$latency" --max-seconds 3600 \
    --admin "agent1@acme.test=Agent One" > "$keep/fake.out" 2> "$keep/fake.err" &
  fake_pid=$!
  for _ in $(seq 100); do grep -q LISTENING "$keep/fake.out" 2>/dev/null && break; sleep 0.1; done
  url=$(awk '/LISTENING/ {print $2}' "$keep/fake.out")
  [ -n "$url" ] || { echo "fake Intercom did not start: $(cat "$keep/fake.err")" >&2; exit 1; }
  cp -r config routes "$home"/
  java -jar target/intercom-migrator.jar confirm --home "$home" > "$keep/confirm.out"
  start=$(date +%s.%N)
  INTERCOM_ACCESS_TOKEN=bench-token java -Xmx512m -jar target/intercom-migrator.jar --once --home "$home" \
    -Dmigration.mode=live -Dintercom.base-url="$url" -Dintercom.rate-limit-per-minute="$quota" \
    -Ddelivery.concurrency="$concurrency" -Dmigration.gdpr-acknowledged=true -Dintake.read-lock-min-age-ms=0 \
    -Dverification.sample-size=0 > "$keep/run.out" 2> "$keep/run.log"
  end=$(date +%s.%N)
  curl -s "$url/_fake/stats" > "$keep/stats.json"
  cp -r "$home/reports" "$keep/" 2>/dev/null || true
  report=$(ls -t "$home"/reports/*/reconciliation.json | head -1)
  python3 - "$variant" "$keep/stats.json" "$report" "$start" "$end" <<'PY'
import json, sys
variant, stats, report, start, end = sys.argv[1:6]
s = json.load(open(stats)); r = json.load(open(report)); wall = float(end) - float(start)
conv = r["objects"]["conversation"]["created"]
line = f"== {variant}: {conv} chats, {s['requests']} requests, {s['requests'] / max(conv, 1):.2f} calls per chat, wall {wall:.1f} s"
a = r.get("attachments")
if a:
    att = r["objects"].get("attachment", {})
    up = a["shipped_bytes"] + a["downloaded_bytes"]
    line += (f"\n   attachments: {att.get('created', 0)} copied, {att.get('skipped', 0)} kept as URL; {up / 1e6:.1f} MB uploaded,"
             f" {up / wall / 1e6:.2f} MB/s over the whole run (decoded bytes; {up * 4 / 3 / wall / 1e6:.2f} MB/s of base64 on the wire)")
print(line)
PY
  cleanup
done
