#!/usr/bin/env bash
# Renders reconciliation.html in headless Chromium (Debian's package) to a PNG and checks that the page is
# self-contained and the picture is not blank: enough colours and text, and the chart's bars drawn.
# Without an argument it first runs the README's smoke dry-run on a copy of examples/ in a temporary home (the
# repository's examples/, work/ and reports/ are left alone, nothing is sent); with one it renders that page.
# The picture is kept as target/reconciliation.png. Usage: bench/render-report.sh [reconciliation.html]
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${CHROMIUM:-/usr/bin/chromium}
png=target/reconciliation.png

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "render-report: $chromium not found and not root: install Debian's chromium (apt-get install chromium)" \
      "or set CHROMIUM to a Chromium binary" >&2
    exit 1
  fi
  echo "render-report: installing Debian's chromium (apt-get, quiet)"
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! timeout 900 apt-get install -y -qq chromium > "$log" 2>&1; then
    # a fresh machine may not have the package lists yet
    if ! { timeout 300 apt-get update -qq && timeout 900 apt-get install -y -qq chromium; } >> "$log" 2>&1; then
      tail -20 "$log" >&2
      echo "render-report: apt-get could not install chromium (log above)" >&2
      exit 1
    fi
  fi
  rm -f "$log"
  [ -x "$chromium" ] || { echo "render-report: chromium installed but $chromium is missing" >&2; exit 1; }
fi

[ -f target/intercom-migrator.jar ] || mvn -B -q -DskipTests package
[ -f target/test-classes/io/intercommigrator/report/RenderedReportCheck.class ] || mvn -B -q test-compile
[ -f target/test-classpath.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -ge 1 ]; then
  page=$(realpath "$1")
else
  home="$tmp/home"
  mkdir -p "$home"
  cp -r config routes "$home"/
  cp -r examples "$home/inbox"
  # no token: a dry-run whatever the environment holds
  env -u INTERCOM_ACCESS_TOKEN timeout 300 java -jar target/intercom-migrator.jar --once --home "$home" \
    -Dintake.read-lock-min-age-ms=0 > "$home/out" 2> "$home/log" \
    || { tail -20 "$home/log" >&2; echo "render-report: the smoke dry-run failed" >&2; exit 1; }
  page=$(ls -1 "$home"/reports/*/reconciliation.html 2>/dev/null | sort | tail -1)
  [ -n "$page" ] || { echo "render-report: the smoke dry-run wrote no reports/<run-id>/reconciliation.html" >&2; exit 1; }
fi
[ -f "$page" ] || { echo "render-report: no such page: $page" >&2; exit 1; }

mkdir -p target
rm -f "$png"
# the flags keep Chromium off the network (closed here) and out of any profile; timeout: a hung browser fails the check
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --force-device-scale-factor=1 --user-data-dir="$tmp/profile" --window-size=1280,2000 \
  --screenshot="$PWD/$png" "file://$page" > "$tmp/chromium.log" 2>&1 || true
if [ ! -s "$png" ]; then
  tail -20 "$tmp/chromium.log" >&2
  echo "render-report: chromium wrote no screenshot of $page (its log above)" >&2
  exit 1
fi
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.intercommigrator.report.RenderedReportCheck "$page" "$png"
