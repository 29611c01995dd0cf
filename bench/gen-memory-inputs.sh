#!/usr/bin/env bash
# Writes the inputs of bench/memory.sh (deterministic content):
#   social N FILE    ClickDesk social_messages.csv of N rows, 10 rows per thread, the rows of each thread spread over
#                    the whole file (row i belongs to thread i mod N/10), so nothing can be grouped while reading
#   chatbot N ZIP    LeadDesk chatbot_export ZIP of N messages in conversations.csv (10 per session, spread the same
#                    way) with outcomes.csv, timing.csv and agent.csv (one row per session, every 4th handed over)
#   contacts N DIR   LeadDesk contacts.csv of N rows (';'-separated) and custom_fields.json: other1..other6 are
#                    number fields (other6 has a decimal only on the last row), other7 text
set -euo pipefail
kind=${1:?social, chatbot or contacts}; n=${2:?rows}; out=${3:?output}
case "$kind" in
social)
  mkdir -p "$(dirname "$out")"
  awk -v n="$n" 'BEGIN {
    t = int(n / 10); if (t < 1) t = 1;
    print "thread_id,network,handle,name,email,author_type,agent_email,text,created_at";
    for (i = 0; i < n; i++) {
      th = i % t; k = int(i / t); agent = k % 2 == 1;
      printf "st%d,%s,@handle%d,%s,%s,%s,%s,Message %d of thread %d: hello there how are you doing today,%d\n",
        th, (th % 3 == 0 ? "twitter" : "facebook"), th, (agent ? "Agent Smith" : "Person " th),
        (agent || th % 4 == 0 ? "" : "person" th "@example.com"), (agent ? "agent" : "visitor"),
        (agent ? "agent@example.com" : ""), k, th, 1741000000 + th * 100 + k;
    }
  }' > "$out"
  ;;
chatbot)
  dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
  awk -v n="$n" -v d="$dir" 'BEGIN {
    s = int(n / 10); if (s < 1) s = 1;
    c = d "/conversations.csv"; o = d "/outcomes.csv"; tm = d "/timing.csv"; a = d "/agent.csv";
    print "conversation_id;message_index;timestamp;sender;message;contact_email;contact_phone" > c;
    for (i = 0; i < n; i++) {
      id = i % s; k = int(i / s);
      printf "cb%d;%d;%d;%s;Chatbot message %d of session %d, with some text in it;%s;%s\n", id, k,
        1741000000 + id * 100 + k, (k % 2 == 0 ? "user" : "bot"), k, id,
        (id % 3 == 0 ? "" : "chat" id "@example.com"), (id % 3 == 0 ? "+35840" sprintf("%07d", id) : "") > c;
    }
    print "conversation_id;intent;outcome;handed_over" > o;
    print "conversation_id;started_at;ended_at;duration_s;export_range_start;export_range_end" > tm;
    print "conversation_id;agent_email;handover_at" > a;
    for (id = 0; id < s; id++) {
      printf "cb%d;billing;%s;%s\n", id, (id % 4 == 0 ? "handed_over" : "resolved"), (id % 4 == 0 ? "true" : "false") > o;
      printf "cb%d;%d;%d;60;1700000000;1800000000\n", id, 1741000000 + id * 100, 1741000000 + id * 100 + 60 > tm;
      if (id % 4 == 0) printf "cb%d;agent%d@example.com;%d\n", id, id % 5, 1741000000 + id * 100 + 5 > a;
    }
  }'
  mkdir -p "$(dirname "$out")"
  rm -f "$out"
  out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
  (cd "$dir" && zip -q -X "$out.tmp" conversations.csv outcomes.csv timing.csv agent.csv)
  mv "$out.tmp" "$out"
  ;;
contacts)
  mkdir -p "$out"
  cat > "$out/custom_fields.json" <<'JSON'
[{"field": "other1", "label": "Seats", "type": "number"}, {"field": "other2", "label": "Score", "type": "number"},
 {"field": "other3", "label": "Visits", "type": "number"}, {"field": "other4", "label": "Spend", "type": "number"},
 {"field": "other5", "label": "Orders", "type": "number"}, {"field": "other6", "label": "Rating", "type": "number"},
 {"field": "other7", "label": "Note", "type": "text"}]
JSON
  awk -v n="$n" 'BEGIN {
    print "contact_id;fname;lname;phone;email;city;country;other1;other2;other3;other4;other5;other6;other7";
    for (i = 1; i <= n; i++) {
      printf "k%d;Matti%d;Meikäläinen;+358 40 %07d;matti%d@example.fi;Helsinki;Finland;%d;%d;%d;%d,%02d;%d;%s;note %d\n",
        i, i, i, i, i % 50, i % 997, i % 31, i % 1000, i % 100, i % 13, (i == n ? "4,5" : i % 5), i;
    }
  }' > "$out/contacts.csv"
  ;;
*) echo "unknown kind $kind" >&2; exit 2 ;;
esac
