#!/usr/bin/env bash
# Whole export bundles, live, against the local Intercom-like server (150 ms latency, 3,000 calls/min spread over
# 10 s windows like Intercom's): a generated ClickDesk bundle and a generated LeadDesk bundle
# (bench/gen-*-bundle.java), each into a fresh workspace and a fresh home. Most agents exist as admins, most
# departments / offices / projects as teams; the rest show up in the reconciliation queue.
# Per bundle it prints: objects per type from reports/<run-id>/reconciliation.json (and whether they add up),
# requests, calls per source record, wall time, achieved calls/min vs the quota, 429s, duplicates in the workspace,
# and every quota window (but the first and the last) under 97 % of the quota with the endpoints it was spent on.
# SHORT=1: 10 % sizes (under 3 minutes). BUNDLES="clickdesk" or "leaddesk" runs one. Logs, reports, dead letters
# and the fake's stats of the last run stay in target/bench-bundles/<system>/.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1; [ "${SHORT:-0}" = 1 ] && scale=0.1
quota=${QUOTA:-3000}; latency=${LATENCY_MS:-150}
# the migrator's own delivery settings unless CONCURRENCY (delivery.concurrency, where the in-flight limit starts) is set
flags=(); [ -n "${CONCURRENCY:-}" ] && flags+=("-Ddelivery.concurrency=$CONCURRENCY")
bundles=${BUNDLES:-clickdesk leaddesk}
[ -f target/intercom-migrator.jar ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null

fake_pid=""; home=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  if [ -n "$home" ]; then rm -rf "$home"; fi
  fake_pid=""; home=""
}
trap cleanup EXIT

for system in $bundles; do
  home=$(mktemp -d)
  keep=target/bench-bundles/$system; rm -rf "$keep"; mkdir -p "$keep" "$home/inbox/$system"
  bundle=$home/inbox/$system/$system-export.zip
  java bench/gen-$system-bundle.java "$bundle" "$scale" > "$keep/gen.out"

  # Seed the workspace: every agent but the last two as an admin, every team name but the last one.
  mapfile -t seed < <(python3 - "$bundle" "$system" <<'PY'
import csv, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); system = sys.argv[2]
def rows(base):
    name = next(n for n in z.namelist() if n.lower().endswith("/" + base) and "__macosx" not in n.lower())
    text = z.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if system == "leaddesk" else ","))
for a in rows("agents.csv")[:-2]:
    print("--admin"); print(f"{a['email']}={a['name']}")
teams = [d["name"] for d in rows("departments.csv")] if system == "clickdesk" else \
        [o["name"] for o in rows("offices.csv")] + [p["name"] for p in rows("projects.csv")]
for t in teams[:-1]:
    print("--team"); print(t)
PY
)
  java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.intercommigrator.fake.FakeIntercom --port 0 \
    --token bench-token --limit-per-10s $((quota / 6)) --latency-ms "$latency" --max-seconds 3600 "${seed[@]}" \
    > "$keep/fake.out" 2> "$keep/fake.err" &
  fake_pid=$!
  for _ in $(seq 100); do grep -q LISTENING "$keep/fake.out" 2>/dev/null && break; sleep 0.1; done
  url=$(awk '/LISTENING/ {print $2}' "$keep/fake.out")
  [ -n "$url" ] || { echo "fake Intercom did not start: $(cat "$keep/fake.err")" >&2; exit 1; }

  cp -r config routes "$home"/
  java -jar target/intercom-migrator.jar confirm --home "$home" > "$keep/confirm.out"
  start=$(date +%s.%N)
  set +e
  INTERCOM_ACCESS_TOKEN=bench-token java -Xmx1g -jar target/intercom-migrator.jar --once --home "$home" \
    -Dmigration.mode=live -Dintercom.base-url="$url" -Dintercom.rate-limit-per-minute="$quota" \
    "${flags[@]}" -Dmigration.gdpr-acknowledged=true -Dintake.read-lock-min-age-ms=0 \
    > "$keep/run.out" 2> "$keep/run.log"
  rc=$?
  set -e
  end=$(date +%s.%N)
  curl -s "$url/_fake/stats" > "$keep/stats.json"
  cp -r "$home/reports" "$home/deadletter" "$keep/" 2>/dev/null || true
  [ -d "$home/inbox/.failed" ] && cp -r "$home/inbox/.failed" "$keep/failed"
  report=$(ls -t "$home"/reports/*/reconciliation.json 2>/dev/null | head -1 || true)

  python3 - "$system" "$(cat "$keep/gen.out")" "$keep/stats.json" "${report:-}" "$quota" "$start" "$end" "$rc" "$keep" <<'PY'
import glob, json, os, sys
system, gen, stats_file, report, quota, start, end, rc, keep = sys.argv[1:10]
quota = int(quota); wall = float(end) - float(start)
s = json.load(open(stats_file))
print(f"== {system}: {gen.split(': ', 1)[-1]}")
print(f"   exit code {rc}, wall {wall:.0f} s")
total_source = 0
if report:
    r = json.load(open(report))
    cols = ["source", "created", "updated", "unchanged", "skipped", "dead_lettered"]
    print(f"   {'object':<18}" + "".join(f"{c:>14}" for c in cols) + "   adds up")
    for obj, c in r["objects"].items():
        total_source += c["source"]
        ok = c["source"] == sum(c[k] for k in cols[1:])
        print(f"   {obj:<18}" + "".join(f"{c[k]:>14}" for k in cols) + ("   yes" if ok else "   NO"))
    req = r.get("requests", {})
    print(f"   migrator: sent {req.get('sent')} requests, rate_limited {req.get('rate_limited')}, retried {req.get('retried')};"
          f" reconciliation queue {len(r.get('reconciliation_queue', []))} entries")
else:
    print("   no reconciliation.json written")
n = s["requests"]
span_min = (s.get("last_request_at_ms", 0) - s.get("first_request_at_ms", 0)) / 60000
per_min = n / span_min if span_min > 0 else 0
print(f"   fake: requests {n}, calls/source record {n / total_source if total_source else 0:.2f} (of {total_source}),"
      f" calls/min {per_min:.0f} of {quota} ({per_min / quota:.1%}) over {span_min * 60:.0f} s,"
      f" 429s {s['rate_limited']} ({100 * s['rate_limited'] / max(n, 1):.2f}%), violations after 429 {s['violations_after_429']}")
print(f"   workspace: contacts {s['contacts']}, conversations {s['conversations']}, parts {s['parts']}, tickets {s['tickets']},"
      f" tags {s['tags']}; duplicate emails {s['duplicate_emails']}, duplicate conversations {s['duplicate_conversations']}")
# the windows between the first and the last that used less than 97 % of the quota, with what was sent in them: the
# half-empty windows between phases (issue 14, item 2)
limit = s["limit_per_window"]
by_start = {w["start"]: w["requests"] for w in s.get("windows_by_endpoint", [])}
full = s["windows"][1:-1]
low = [w for w in full if w[1] < 0.97 * limit]
print(f"   windows: {len(full)} full (first and last left out), {len(low)} under 97 % of {limit},"
      f" {sum(1 for w in low if w[1] < limit / 2)} under half")
for start, count, limited in low:
    sent = sorted(by_start.get(start, {}).items(), key=lambda kv: -kv[1])
    print(f"     +{start - s['windows'][0][0]:>4} s {count:>5} ({count / limit:5.1%}): "
          + ", ".join(f"{n} {e}" for e, n in sent[:4]) + (" …" if len(sent) > 4 else ""))
reasons = {}
for f in glob.glob(os.path.join(keep, "deadletter", "*", "*.jsonl")):
    for line in open(f, encoding="utf-8"):
        d = json.loads(line)
        e = d.get("error", {})
        key = f"{os.path.basename(f)[:-6]}: {e.get('stage')} {e.get('status')} {e.get('code')}"
        reasons.setdefault(key, [0, e.get("message", "")])[0] += 1
for key, (count, message) in sorted(reasons.items(), key=lambda kv: -kv[1][0]):
    print(f"   dead letters {count} × {key} — e.g. {message[:160]}")
PY
  cleanup
done
