#!/usr/bin/env bash
# Live delivery of a ClickDesk visitors.csv (two tags on a third of the visitors, one on the rest) against the local
# Intercom-like server, over a table of quota (calls/min, enforced per 10 s window like Intercom's) × latency (ms),
# with the migrator's default delivery settings. Per cell: share of the quota used in the full windows (every window
# but the first and the last: min and mean), 429s ÷ calls, peak requests in flight at the server, calls per record,
# windows, wall time. A cell that misses the goal (every full window ≥ 97 % of the quota, ≤ 0.5 % 429s) says MISSED.
# QUOTAS (default "1000 10000 25000"), LATENCIES (default "50 150 400"), WINDOWS: the rows of a cell are
# quota/6 × WINDOWS (default 6; calls/record is about 1), ROWS overrides that; EXTRA: more -D flags for the migrator
# (e.g. EXTRA=-Ddelivery.max-in-flight=16 for the old fixed limit). SHORT=1 (CI, under a minute): one cell,
# 10,000/min at 150 ms, 4 windows. Also per cell: CPU time per call (ms) of the migrator and of the fake server, and
# the load average at the start of the cell (the machine is shared: a loaded machine lowers the high-rate cells).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHORT:-0}" = 1 ]; then quotas=${QUOTAS:-10000}; latencies=${LATENCIES:-150}; windows=${WINDOWS:-4}
else quotas=${QUOTAS:-1000 10000 25000}; latencies=${LATENCIES:-50 150 400}; windows=${WINDOWS:-6}; fi
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
home=$(mktemp -d); fake_pid=
trap '[ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null; rm -rf "$home"' EXIT
results="$home/results"; : > "$results"
for quota in $quotas; do
  for latency in $latencies; do
    cell="$home/cell"; rm -rf "$cell"; mkdir -p "$cell"
    rows=${ROWS:-$((quota * windows / 6))}
    java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.intercommigrator.fake.FakeIntercom --port 0 \
      --token bench-token --limit-per-10s $((quota / 6)) --latency-ms "$latency" --max-seconds 3600 > "$cell/fake.out" &
    fake_pid=$!
    for _ in $(seq 100); do grep -q LISTENING "$cell/fake.out" 2>/dev/null && break; sleep 0.1; done
    url=$(awk '/LISTENING/ {print $2}' "$cell/fake.out")
    cp -r config routes "$cell"/
    bench/gen-visitors.sh "$rows" "$cell/inbox/clickdesk/visitors.csv"
    java -jar target/intercom-migrator.jar confirm --home "$cell" > /dev/null   # a live run needs a confirmed map
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    INTERCOM_ACCESS_TOKEN=bench-token /usr/bin/time -f '%U %S' -o "$cell/cpu" java -Xmx512m -jar target/intercom-migrator.jar --once --home "$cell" \
      -Dmigration.mode=live -Dintercom.base-url="$url" -Dintake.read-lock-min-age-ms=0 -Dmigration.gdpr-acknowledged=true \
      ${EXTRA:-} 2> "$cell/log" > "$cell/out" || { cp "$cell/log" target/bench-live.log; echo "run failed: target/bench-live.log"; exit 1; }
    end=$(date +%s.%N)
    cp "$cell/log" target/bench-live.log
    fake_cpu=$(awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$fake_pid/stat")  # utime + stime in clock ticks
    migrator_cpu=$(awk '{printf "%.2f", $1 + $2}' "$cell/cpu")
    echo "$quota $latency $rows $start $end $load $migrator_cpu $fake_cpu $(curl -s "$url/_fake/stats" | tr -d ' \n')" >> "$results"
    kill $fake_pid 2>/dev/null || true; wait $fake_pid 2>/dev/null || true; fake_pid=
  done
done
python3 - "$results" <<'PY'
import json, sys
ok = True
print(f"{'quota/min':>9} {'latency':>7} {'rows':>6} {'full windows':>12} {'min share':>9} {'mean share':>10} "
      f"{'429s':>7} {'peak in flight':>14} {'calls/record':>12} {'wall':>6} {'cpu ms/call':>11} {'fake ms/call':>12} {'load':>5}")
for line in open(sys.argv[1]):
    quota, latency, rows, start, end, load, migrator_cpu, fake_cpu, stats = line.split(" ", 8)
    s = json.loads(stats); limit = s["limit_per_window"]
    counts = [w[1] for w in s["windows"]]
    full = counts[1:-1]  # the first and the last window are partial: the run starts and ends inside them
    shares = [c / limit for c in full]
    share_429 = s["rate_limited"] / s["requests"]
    good = bool(full) and min(shares) >= 0.97 and share_429 <= 0.005
    ok = ok and good
    print(f"{quota:>9} {latency + ' ms':>7} {rows:>6} {len(full):>12} "
          f"{(100 * min(shares) if full else 0):>8.1f}% {(100 * sum(shares) / len(full) if full else 0):>9.1f}% "
          f"{100 * share_429:>6.2f}% {s['max_in_flight']:>14} {s['requests'] / int(rows):>12.2f} "
          f"{float(end) - float(start):>5.0f}s {1000 * float(migrator_cpu) / s['requests']:>11.2f} "
          f"{1000 * float(fake_cpu) / s['requests']:>12.2f} {load:>5}{'' if good else '  MISSED'}")
    print(f"{'':>17} per window: {' '.join(str(c) for c in counts)} of {limit}")
print('every cell reached the goal' if ok else 'some cell MISSED the goal (numbers from a loaded machine are noisy)')
PY
