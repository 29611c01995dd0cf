#!/usr/bin/env bash
# Drop order must not change the result (issue 13 item 3), long mode of DropOrderPermutationEndToEndTest:
# a generated ClickDesk and LeadDesk bundle (bench/gen-*-bundle.java) is migrated live into a fresh local
# Intercom-like server as the bundle (the baseline), all files at once, and one file per --once run in reverse order
# and in ORDERS seeded random orders, each in a fresh home after plan + confirm on the whole export. Per order it
# prints objects matched / missing / differing / extra against the bundle's workspace (testing/WorkspaceSnapshot:
# contacts by email / external_id, threads by source id, Intercom ids and migration-time timestamps left out) and
# the first few objects that differ. Exit 1 when any order ends elsewhere than the bundle.
# SCALE (default 0.1 of the generators' full size), ORDERS (default 5), SEED (default 13), SYSTEMS ("clickdesk
# leaddesk"). SHORT=1: SCALE 0.03, ORDERS 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${SCALE:-0.1}; orders=${ORDERS:-5}; seed=${SEED:-13}
if [ "${SHORT:-0}" = 1 ]; then scale=${SCALE:-0.03}; orders=${ORDERS:-1}; fi
systems=${SYSTEMS:-clickdesk leaddesk}
[ -d target/classes ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null

out=target/bench-permutations; rm -rf "$out"; mkdir -p "$out"
status=0
for system in $systems; do
  bundle=$out/$system-export.zip
  java bench/gen-$system-bundle.java "$bundle" "$scale" > "$out/$system-gen.out"
  echo "== $system: $(tail -1 "$out/$system-gen.out"), $orders random order(s) from seed $seed"
  set +e
  java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.intercommigrator.testing.DropOrderPermutations "$system" "$bundle" "$orders" "$seed" \
    > "$out/$system.out" 2> "$out/$system.log"
  rc=$?
  set -e
  grep '^| ' "$out/$system.out" | sed 's/^| /   /' || true
  [ "$rc" = 0 ] || status=1
done
exit "$status"
