package io.intercommigrator.report;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The human reconciliation page: one self-contained HTML file, counts as inline SVG bars. */
final class ReconciliationHtml {
    static final String[] COUNTERS = {"created", "updated", "unchanged", "skipped", "dead_lettered"};
    /** One colour per counter, in {@link #COUNTERS} order (bench/render-report.sh looks for them in the screenshot). */
    static final String[] COLOURS = {"#2e7d32", "#1565c0", "#9e9e9e", "#ef6c00", "#c62828"};

    private ReconciliationHtml() {
    }

    static String render(JsonNode r) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reconciliation ")
                .append(esc(r.path("run_id").asText())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right;vertical-align:top}")
                .append("th:first-child,td:first-child,table.text td,table.text th{text-align:left}")
                .append("svg{max-width:100%;height:auto}.ok{color:#2e7d32}.bad{color:#c62828}</style></head><body>");
        h.append("<h1>Reconciliation: run ").append(esc(r.path("run_id").asText())).append("</h1>");
        h.append("<p>Mode <b>").append(esc(r.path("mode").asText())).append("</b>, source <b>")
                .append(esc(r.path("source").asText())).append("</b>, started ").append(esc(r.path("started_at").asText()))
                .append(", finished ").append(esc(r.path("finished_at").asText("—"))).append(".</p>");
        if (r.has("sample")) {
            JsonNode sample = r.path("sample");
            h.append("<p><b>Sample run</b> (").append(sample.path("per_kind").asLong()).append(" of each kind): ")
                    .append(esc(sample.path("note").asText())).append(". Left for the full run: ")
                    .append(esc(sample.path("left_out").toString())).append(".</p>");
        }
        if (r.has("stopped")) {
            h.append("<p class=\"bad\">Stopped: ").append(esc(r.path("stopped").asText())).append("</p>");
        }
        h.append("<h2>Records per object</h2>").append(chart(r.path("objects")));
        h.append("<table><tr><th>object</th><th>source</th>");
        for (String c : COUNTERS) {
            h.append("<th>").append(c).append("</th>");
        }
        h.append("<th>adds up</th></tr>");
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("objects").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long sum = 0;
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(e.getValue().path("source").asLong()).append("</td>");
            for (String c : COUNTERS) {
                long v = e.getValue().path(c).asLong();
                sum += v;
                h.append("<td>").append(v).append("</td>");
            }
            boolean ok = sum == e.getValue().path("source").asLong();
            h.append("<td class=\"").append(ok ? "ok\">yes" : "bad\">NO").append("</td></tr>");
        }
        h.append("</table>");
        JsonNode v = r.path("verification");
        h.append("<h2>Read-back verification</h2><p>").append(v.path("matched").asLong()).append(" of ")
                .append(v.path("sampled").asLong()).append(" sampled records matched.</p>");
        if (v.path("mismatches").size() > 0) {
            h.append("<ul>");
            v.path("mismatches").forEach(m -> h.append("<li>").append(esc(m.toString())).append("</li>"));
            h.append("</ul>");
        }
        v.path("notes").forEach(n -> h.append("<p>").append(esc(n.asText())).append("</p>"));
        JsonNode q = r.path("requests");
        h.append("<h2>Requests</h2><p>").append(q.path("sent").asLong()).append(" sent, ")
                .append(q.path("rate_limited").asLong()).append(" rate-limited (429), ").append(q.path("retried").asLong())
                .append(" retried.</p>");
        h.append("<h2>Dead letters</h2>");
        JsonNode groups = r.path("dead_letters").path("by_code");
        if (groups.size() == 0) {
            h.append("<p>None: every record was delivered or skipped with a reason.</p>");
        } else {
            h.append("<p>In <code>").append(esc(r.path("dead_letters").path("folder").asText()))
                    .append("/</code>, by error code; fix the cause, then <code>replay</code>.</p>");
            h.append("<table class=\"text\"><tr><th>stage</th><th>status</th><th>code</th><th>count</th><th>examples</th></tr>");
            groups.forEach(g -> {
                h.append("<tr><td>").append(esc(g.path("stage").asText())).append("</td><td>").append(g.path("status").asInt())
                        .append("</td><td>").append(esc(g.path("code").asText())).append("</td><td>").append(g.path("count").asLong())
                        .append("</td><td>");
                g.path("examples").forEach(x -> h.append(esc(x.path("object").asText())).append(" · ")
                        .append(esc(x.path("source_file").asText())).append(':').append(x.path("line").asLong()).append(" — ")
                        .append(esc(shorten(x.path("message").asText()))).append("<br>"));
                h.append("</td></tr>");
            });
            h.append("</table>");
        }
        h.append("<h2>Reconciliation queue</h2>");
        if (r.path("reconciliation_queue").size() == 0) {
            h.append("<p>Nothing needs attention.</p>");
        } else {
            h.append("<table class=\"text\"><tr><th>kind</th><th>subject</th><th>reason</th></tr>");
            r.path("reconciliation_queue").forEach(e -> h.append("<tr><td>").append(esc(e.path("kind").asText()))
                    .append("</td><td>").append(esc(e.path("subject").asText())).append("</td><td>")
                    .append(esc(e.path("reason").asText())).append("</td></tr>"));
            h.append("</table>");
        }
        h.append("<h2>Documents</h2><p><a href=\"reconciliation.json\">reconciliation.json</a> · <a href=\"handoff/\">handoff folder</a></p>");
        if (r.path("handoff_documents").size() > 0) {
            h.append("<ul>");
            r.path("handoff_documents").forEach(d -> h.append("<li><a href=\"").append(esc(d.asText())).append("\">")
                    .append(esc(d.asText().substring(d.asText().indexOf('/') + 1))).append("</a></li>"));
            h.append("</ul>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String chart(JsonNode objects) {
        long max = 1;
        int rows = 0;
        for (JsonNode o : objects) {
            max = Math.max(max, o.path("source").asLong());
            rows++;
        }
        int rowHeight = 28;
        int width = 720;
        int svgWidth = width + 220; // labels on the left, the source count after the longest bar
        int svgHeight = rows * rowHeight + 30;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"records per object and outcome\" width=\"")
                .append(svgWidth).append("\" height=\"").append(svgHeight).append("\" viewBox=\"0 0 ").append(svgWidth).append(' ')
                .append(svgHeight).append("\">");
        int y = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = objects.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            s.append("<text x=\"0\" y=\"").append(y + 18).append("\" font-size=\"13\">").append(esc(e.getKey())).append("</text>");
            double x = 140;
            for (int i = 0; i < COUNTERS.length; i++) {
                double w = width * (double) e.getValue().path(COUNTERS[i]).asLong() / max;
                if (w > 0) {
                    s.append("<rect x=\"").append(String.format(java.util.Locale.ROOT, "%.1f", x)).append("\" y=\"").append(y + 4)
                            .append("\" width=\"").append(String.format(java.util.Locale.ROOT, "%.1f", Math.max(w, 1)))
                            .append("\" height=\"18\" fill=\"").append(COLOURS[i]).append("\"><title>").append(COUNTERS[i])
                            .append(": ").append(e.getValue().path(COUNTERS[i]).asLong()).append("</title></rect>");
                }
                x += w;
            }
            s.append("<text x=\"").append(String.format(java.util.Locale.ROOT, "%.1f", x + 6)).append("\" y=\"").append(y + 18)
                    .append("\" font-size=\"12\" fill=\"#555\">").append(e.getValue().path("source").asLong()).append("</text>");
            y += rowHeight;
        }
        double lx = 140;
        for (int i = 0; i < COUNTERS.length; i++) {
            s.append("<rect x=\"").append(lx).append("\" y=\"").append(y + 8).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLOURS[i]).append("\"/><text x=\"").append(lx + 14).append("\" y=\"").append(y + 17)
                    .append("\" font-size=\"12\">").append(COUNTERS[i]).append("</text>");
            lx += 120;
        }
        return s.append("</svg>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String shorten(String message) {
        return message.length() <= 240 ? message : message.substring(0, 240) + "…";
    }
}
