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
                .append("svg{max-width:100%;height:auto}figure{margin:0 0 10px}figcaption{font-size:13px}.ok{color:#2e7d32}.bad{color:#c62828}</style></head><body>");
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
        h.append("<h2>Records per object</h2>").append(charts(r.path("objects")));
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

    /**
     * A chart per object type (operator-contract.md): one bar of its source records, split by outcome (created,
     * updated, unchanged, skipped, dead-lettered), scaled to that type's own count; one legend for all.
     */
    private static String charts(JsonNode objects) {
        int width = 720;
        StringBuilder s = new StringBuilder("<div class=\"charts\">");
        for (Iterator<Map.Entry<String, JsonNode>> it = objects.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long source = e.getValue().path("source").asLong();
            s.append("<figure><figcaption>").append(esc(e.getKey())).append(": ").append(source)
                    .append(source == 1 ? " source record" : " source records").append("</figcaption>");
            s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"").append(esc(e.getKey()))
                    .append(": outcome of its source records\" width=\"").append(width).append("\" height=\"24\" viewBox=\"0 0 ")
                    .append(width).append(" 24\">");
            if (source == 0) {
                s.append("<rect x=\"0.5\" y=\"2.5\" width=\"").append(width - 1)
                        .append("\" height=\"19\" fill=\"none\" stroke=\"#bbb\"><title>no records</title></rect>");
            }
            double x = 0;
            for (int i = 0; i < COUNTERS.length; i++) {
                long n = e.getValue().path(COUNTERS[i]).asLong();
                double w = source == 0 ? 0 : width * (double) n / source;
                if (n > 0) {
                    s.append("<rect x=\"").append(String.format(java.util.Locale.ROOT, "%.1f", x)).append("\" y=\"2\" width=\"")
                            .append(String.format(java.util.Locale.ROOT, "%.1f", Math.max(w, 1))).append("\" height=\"20\" fill=\"")
                            .append(COLOURS[i]).append("\"><title>").append(COUNTERS[i]).append(": ").append(n)
                            .append("</title></rect>");
                }
                x += w;
            }
            s.append("</svg></figure>");
        }
        StringBuilder legend = new StringBuilder();
        double lx = 0;
        for (int i = 0; i < COUNTERS.length; i++) {
            legend.append("<rect x=\"").append(lx).append("\" y=\"4\" width=\"10\" height=\"10\" fill=\"").append(COLOURS[i])
                    .append("\"/><text x=\"").append(lx + 14).append("\" y=\"13\" font-size=\"12\">").append(COUNTERS[i])
                    .append("</text>");
            lx += 120;
        }
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"legend\" width=\"").append(width)
                .append("\" height=\"18\" viewBox=\"0 0 ").append(width).append(" 18\">").append(legend).append("</svg>");
        return s.append("</div>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String shorten(String message) {
        return message.length() <= 240 ? message : message.substring(0, 240) + "…";
    }
}
