#!/usr/bin/env bash
# Live delivery against the local Intercom-like server with 150 ms latency and a quota of QUOTA calls/min
# (spread over 10 s windows like Intercom's). Reports achieved calls/min ÷ quota and 429s ÷ calls.
# ROWS contacts (default 5000; SHORT=1: 500), QUOTA per minute (default 3000), CONCURRENCY (default 32).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-5000}; [ "${SHORT:-0}" = 1 ] && rows=${ROWS:-500}
quota=${QUOTA:-3000}; concurrency=${CONCURRENCY:-32}; latency=${LATENCY_MS:-150}
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
home=$(mktemp -d); trap 'kill $fake_pid 2>/dev/null || true; cp "$home/log" target/bench-live.log 2>/dev/null || true; rm -rf "$home"' EXIT
java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.intercommigrator.fake.FakeIntercom --port 0 \
  --token bench-token --limit-per-10s $((quota / 6)) --latency-ms "$latency" --max-seconds 3600 > "$home/fake.out" &
fake_pid=$!
for _ in $(seq 100); do grep -q LISTENING "$home/fake.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/LISTENING/ {print $2}' "$home/fake.out")
cp -r config routes "$home"/
bench/gen-visitors.sh "$rows" "$home/inbox/clickdesk/visitors.csv"
java -jar target/intercom-migrator.jar confirm --home "$home" > /dev/null   # a live run needs a confirmed map
start=$(date +%s.%N)
INTERCOM_ACCESS_TOKEN=bench-token java -Xmx512m -jar target/intercom-migrator.jar --once --home "$home" \
  -Dmigration.mode=live -Dintercom.base-url="$url" -Dintercom.rate-limit-per-minute="$quota" \
  -Ddelivery.concurrency="$concurrency" -Dintake.read-lock-min-age-ms=0 -Dmigration.gdpr-acknowledged=true \
  -Dverification.sample-size=0 2> "$home/log" > "$home/out"
end=$(date +%s.%N)
stats=$(curl -s "$url/_fake/stats")
python3 - "$stats" "$quota" "$rows" "$start" "$end" <<'PY'
import json, sys
s = json.loads(sys.argv[1]); quota = int(sys.argv[2]); rows = int(sys.argv[3])
span_min = (s["last_request_at_ms"] - s["first_request_at_ms"]) / 60000
per_min = s["requests"] / span_min
print(f"rows={rows} contacts={s['contacts']} duplicates={s['duplicate_emails']} requests={s['requests']} "
      f"calls/record={s['requests'] / rows:.2f}")
print(f"calls/min={per_min:.0f} quota={quota} ratio={per_min / quota:.3f} "
      f"429s={s['rate_limited']} ({100 * s['rate_limited'] / s['requests']:.2f}%) violations_after_429={s['violations_after_429']} "
      f"wall={float(sys.argv[5]) - float(sys.argv[4]):.0f}s")
PY
