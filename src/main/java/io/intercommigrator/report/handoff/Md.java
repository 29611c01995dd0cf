package io.intercommigrator.report.handoff;

import java.util.List;

/** Plain Markdown: headings, bullet lines and tables whose cells cannot break the table. */
final class Md {
    private final StringBuilder out = new StringBuilder();

    Md h1(String text) {
        return line("# " + text).blank();
    }

    Md h2(String text) {
        return line("## " + text).blank();
    }

    Md h3(String text) {
        return line("### " + text).blank();
    }

    Md para(String text) {
        return line(text).blank();
    }

    Md line(String text) {
        out.append(text).append('\n');
        return this;
    }

    Md bullet(String text) {
        return line("- " + text);
    }

    Md task(String text) {
        return line("- [ ] " + text);
    }

    Md blank() {
        out.append('\n');
        return this;
    }

    /** A table; {@code empty} is written instead when there are no rows. */
    Md table(List<String> headers, List<List<String>> rows, String empty) {
        if (rows.isEmpty()) {
            return para(empty);
        }
        out.append(row(headers));
        out.append('|');
        headers.forEach(h -> out.append("---|"));
        out.append('\n');
        rows.forEach(r -> out.append(row(r)));
        return blank();
    }

    private static String row(List<String> cells) {
        StringBuilder b = new StringBuilder("|");
        cells.forEach(c -> b.append(' ').append(cell(c)).append(" |"));
        return b.append('\n').toString();
    }

    /** "1 campaign", "3 campaigns". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** One table cell: '|' becomes '/', line breaks become spaces. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.replace('|', '/').replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    @Override
    public String toString() {
        String s = out.toString();
        while (s.endsWith("\n\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
