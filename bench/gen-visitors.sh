#!/usr/bin/env bash
# Writes a ClickDesk visitors.csv of N rows to FILE (deterministic content, ~5% leads without email, tags).
# PREFIX (optional) starts every visitor id and email, so that two files hold different visitors (default: none).
set -euo pipefail
n=${1:?rows}; out=${2:?file}; prefix=${3:-}
mkdir -p "$(dirname "$out")"
awk -v n="$n" -v p="$prefix" 'BEGIN {
  print "visitor_id,name,email,phone,tags,social_source,city,country,country_code,browser,os,first_seen,last_seen";
  for (i = 1; i <= n; i++) {
    email = (i % 20 == 0) ? "" : p "visitor" i "@example.com";
    tag = (i % 3 == 0) ? "vip|newsletter" : "newsletter";
    printf "%sv%d,Visitor %d Müller,%s,+49 30 %07d,%s,%s,Berlin,Germany,DE,Firefox,Linux,%d000,%d000\n",
      p, i, i, email, i, tag, (i % 7 == 0 ? "facebook" : ""), 1741000000 + i, 1741086400 + i;
  }
}' > "$out"
