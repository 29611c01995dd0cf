#!/usr/bin/env bash
# Writes a deterministic ClickDesk drop of mixed records into DIR: visitors.csv, chats.json (5 messages a session),
# tickets.csv + ticket_messages.csv (2 a ticket), tags.csv. The same generator the fault and crash tests use
# (src/test/java/io/intercommigrator/testing/ClickDeskDrop.java), run from target/test-classes.
# Usage: bench/gen-clickdesk-drop.sh DIR VISITORS CHATS TICKETS TAGS [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 5 ] || { echo "usage: $0 DIR VISITORS CHATS TICKETS TAGS [SEED]" >&2; exit 2; }
[ -d target/test-classes/io/intercommigrator/testing ] || mvn -B -q -DskipTests test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.intercommigrator.testing.ClickDeskDrop "$@"
