package io.intercommigrator.report.handoff;

import java.util.List;

/**
 * saved-replies.csv: {@code title,shortcut,category,message}, RFC 4180 (CRLF, quotes doubled), and safe to open in a
 * spreadsheet: a cell that starts with {@code = + - @}, a tab or a carriage return gets a leading {@code '}.
 */
final class SavedRepliesCsv {
    static final List<String> HEADER = List.of("title", "shortcut", "category", "message");

    private SavedRepliesCsv() {
    }

    static String render(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        append(out, HEADER);
        rows.forEach(r -> append(out, r));
        return out.toString();
    }

    private static void append(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    /** Neutralised against formula injection, then quoted when it holds a comma, a quote or a line break. */
    static String cell(String raw) {
        String v = raw == null ? "" : raw;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
