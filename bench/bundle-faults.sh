#!/usr/bin/env bash
# Five fault runs on a whole export (issue 13, "Done means"): a generated ClickDesk and LeadDesk bundle (every file of
# bench/gen-*-bundle.java) is migrated live as one bundle into a fresh local Intercom-like server that fails
# (ERROR_RATE answered 500, AMBIGUOUS_RATE of writes applied then answered 502 or cut off, DROP_RATE of connections
# dropped, SEARCH_LAG_MS before a new contact / conversation / ticket shows in search), RUNS times with seeds SEED,
# SEED+1 …, after plan + confirm, with replay when something was dead-lettered; each final workspace is compared with
# the same bundle migrated without faults (testing/BundleFaultRuns). Per run: duplicates, lost, differing, dead letters
# before the replay, fields queued (values left off) against the fault-free run's, requests. Exit 1 when any run ends
# elsewhere than the fault-free workspace.
# SCALE (default 1: the generators' full size), RUNS (5), SEED (1), ERROR_RATE (0.05), AMBIGUOUS_RATE (0.02),
# DROP_RATE (0.01), SEARCH_LAG_MS (1500), SYSTEMS ("clickdesk leaddesk"). SHORT=1: SCALE 0.03, RUNS 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${SCALE:-1}; runs=${RUNS:-5}
if [ "${SHORT:-0}" = 1 ]; then scale=${SCALE:-0.03}; runs=${RUNS:-1}; fi
seed=${SEED:-1}; error=${ERROR_RATE:-0.05}; ambiguous=${AMBIGUOUS_RATE:-0.02}; drop=${DROP_RATE:-0.01}
lag=${SEARCH_LAG_MS:-1500}; systems=${SYSTEMS:-clickdesk leaddesk}
[ -d target/classes ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null

out=target/bench-bundle-faults; rm -rf "$out"; mkdir -p "$out"
status=0
for system in $systems; do
  bundle=$out/$system-export.zip
  java bench/gen-$system-bundle.java "$bundle" "$scale" > "$out/$system-gen.out"
  echo "== $system: $(tail -1 "$out/$system-gen.out"), $runs fault run(s) from seed $seed"
  set +e
  java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.intercommigrator.testing.BundleFaultRuns "$system" "$bundle" "$runs" "$seed" "$error" "$ambiguous" "$drop" "$lag" \
    > "$out/$system.out" 2> "$out/$system.log"
  rc=$?
  set -e
  grep '^| ' "$out/$system.out" | sed 's/^| /   /' || true
  [ "$rc" = 0 ] || status=1
done
exit "$status"
