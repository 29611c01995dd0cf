package io.intercommigrator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    @Test
    void readsCommaSeparatedRowsWithLineNumbers() throws IOException {
        List<Object> items = readAll(write("visitor_id,name,email\n1,Ann,ann@x.com\n\n2,Bob,bob@x.com\n3,Cy\n"));
        assertThat(items).containsExactly(
                row(2, Map.of("visitor_id", "1", "name", "Ann", "email", "ann@x.com")),
                row(4, Map.of("visitor_id", "2", "name", "Bob", "email", "bob@x.com")),
                row(5, Map.of("visitor_id", "3", "name", "Cy", "email", "")));
        assertThat(((SourceRow) items.get(0)).fields().keySet()).containsExactly("visitor_id", "name", "email");
        assertThat(((SourceRow) items.get(2)).get("email")).isEmpty();
        assertThat(((SourceRow) items.get(2)).get("no_such_column")).isEmpty();
    }

    @Test
    void detectsSemicolonFromTheHeaderIgnoringQuotedCommas() throws IOException {
        Path file = write("\"contact_id\";\"fname, given\";lname;email\r\n1;Matti;Virtanen;\"m,v@x.fi\"\r\n2;\"A;B\";C;d@x.fi\r\n");
        try (CsvSource source = open(file)) {
            assertThat(source.delimiter()).isEqualTo(';');
            assertThat(source.headers()).containsExactly("contact_id", "fname, given", "lname", "email");
            assertThat(collect(source)).containsExactly(
                    row(2, Map.of("contact_id", "1", "fname, given", "Matti", "lname", "Virtanen", "email", "m,v@x.fi")),
                    row(3, Map.of("contact_id", "2", "fname, given", "A;B", "lname", "C", "email", "d@x.fi")));
        }
        try (CsvSource source = open(write("a,b;c\n1,2;3\n"))) {
            assertThat(source.delimiter()).isEqualTo(',');
        }
    }

    @Test
    void quoteFreeLinesSplitExactlyAsCommonsCsvDoes() throws IOException {
        String line = " a , b ,,\t,x y,";
        List<String> expected;
        try (CSVParser parser = CSVParser.parse(line, CSVFormat.RFC4180)) {
            expected = parser.getRecords().get(0).toList();
        }
        List<Object> items = readAll(write("c1,c2,c3,c4,c5,c6\n" + line + "\n"));
        assertThat(((SourceRow) items.get(0)).fields().values()).containsExactlyElementsOf(expected)
                .containsExactly(" a ", " b ", "", "\t", "x y", "");
    }

    @Test
    void stripsUtf8Bom() throws IOException {
        Path file = dir.resolve("bom.csv");
        Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "Visitor_ID,Email\n1,ä@x.fi\n".getBytes(StandardCharsets.UTF_8)));
        try (CsvSource source = open(file)) {
            assertThat(source.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(source.headers()).containsExactly("visitor_id", "email");
            assertThat(collect(source)).containsExactly(row(2, Map.of("visitor_id", "1", "email", "ä@x.fi")));
        }
    }

    @Test
    void quotedNewlinesAndEscapedQuotesKeepLineNumbersOfLaterRows() throws IOException {
        String lf = "ticket_id,subject,body\n1,\"Hello \"\"world\"\"\",\"line one\nline two\n\nline four\"\n2,Next,plain\n";
        for (String content : List.of(lf, lf.replace("\n", "\r\n"))) {
            assertThat(readAll(write(content))).containsExactly(
                    row(2, Map.of("ticket_id", "1", "subject", "Hello \"world\"", "body", "line one\nline two\n\nline four")),
                    row(6, Map.of("ticket_id", "2", "subject", "Next", "body", "plain")));
        }
    }

    @Test
    void fallsBackToWindows1252WhenNotUtf8() throws IOException {
        Path file = dir.resolve("contacts.csv");
        Files.write(file, "lname;comment\nMäkinen;maksoi 12 €\n".getBytes(WINDOWS_1252));
        try (CsvSource source = open(file)) {
            assertThat(source.charset()).isEqualTo(WINDOWS_1252);
            assertThat(collect(source)).containsExactly(row(2, Map.of("lname", "Mäkinen", "comment", "maksoi 12 €")));
        }
        Files.write(file, "lname;comment\nMäkinen;maksoi 12 €\n".getBytes(StandardCharsets.UTF_8));
        try (CsvSource source = open(file)) {
            assertThat(source.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(collect(source)).containsExactly(row(2, Map.of("lname", "Mäkinen", "comment", "maksoi 12 €")));
        }
    }

    @Test
    void appliesColumnAliasesCaseInsensitively() throws IOException {
        CsvOptions options = CsvOptions.defaults().withColumnAliases(Map.of(" E-Mail ", "email", "Visitor ID", "visitor_id"));
        try (CsvSource source = CsvSource.open(write(" e-mail ,VISITOR ID,City\na@x.fi,7,Oulu\n"), "clickdesk/visitors.csv", options)) {
            assertThat(source.headers()).containsExactly("email", "visitor_id", "city");
            source.requireColumns(List.of("visitor_id", "email"));
            assertThat(collect(source)).containsExactly(row(2, Map.of("email", "a@x.fi", "visitor_id", "7", "city", "Oulu")));
        }
    }

    @Test
    void missingColumnMessageListsExpectedAndFound() throws IOException {
        try (CsvSource source = open(write("visitor_id,name\n1,Ann\n"))) {
            assertThatThrownBy(() -> source.requireColumns(List.of("visitor_id", "email")))
                    .isInstanceOf(InputRefusedException.class)
                    .hasMessage("clickdesk/visitors.csv: missing required column(s) [email]; expected [visitor_id, email];"
                            + " found [visitor_id, name]");
        }
    }

    @Test
    void refusesEmptyFileAndDuplicateColumns() throws IOException {
        assertThatThrownBy(() -> open(write("")))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("clickdesk/visitors.csv: empty file, a header row is required");
        assertThatThrownBy(() -> open(write("\n  \r\n")))
                .hasMessage("clickdesk/visitors.csv: empty file, a header row is required");
        CsvOptions aliases = CsvOptions.defaults().withColumnAliases(Map.of("e-mail", "email"));
        assertThatThrownBy(() -> CsvSource.open(write("id,Email,name,E-mail\n"), "clickdesk/visitors.csv", aliases))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("clickdesk/visitors.csv: duplicate column 'email' in the header row (columns 2 and 4, after aliases)");
    }

    @Test
    void unbalancedQuoteCostsExactlyOneRow() throws IOException {
        StringBuilder csv = new StringBuilder("visitor_id,name,email\n");
        for (int i = 1; i <= 5; i++) {
            csv.append(i).append(",Name").append(i).append(",n").append(i).append("@x.com\n");
        }
        csv.append("7,\"Bob,bob@x.com\n8,Carol,carol@x.com\n9,\"Dan \"\"D\"\"\",dan@x.com\n");
        List<Object> items = readAll(write(csv.toString()));
        assertThat(items).hasSize(8);
        assertThat(items.get(5)).isEqualTo(new MalformedRow("clickdesk/visitors.csv", 7, 2,
                "unbalanced quote: a quoted field is never closed", "7,\"Bob,bob@x.com"));
        assertThat(items.subList(6, 8)).containsExactly(
                row(8, Map.of("visitor_id", "8", "name", "Carol", "email", "carol@x.com")),
                row(9, Map.of("visitor_id", "9", "name", "Dan \"D\"", "email", "dan@x.com")));
    }

    @Test
    void strayQuoteClosedByALaterLineIsReplayed() throws IOException {
        List<Object> items = readAll(write("id,name,note\n1,\"Bob,x\n2,Carol,plain\n3,Dan,\"multi\nline\"\n4,Eve,e\n"));
        assertThat(items).containsExactly(
                new MalformedRow("clickdesk/visitors.csv", 2, 2,
                        "invalid quoting: a quote inside an unquoted field or text after a closing quote", "1,\"Bob,x"),
                row(3, Map.of("id", "2", "name", "Carol", "note", "plain")),
                row(4, Map.of("id", "3", "name", "Dan", "note", "multi\nline")),
                row(6, Map.of("id", "4", "name", "Eve", "note", "e")));
    }

    @Test
    void reportsTooManyFieldsAndTextAfterClosingQuote() throws IOException {
        List<Object> items = readAll(write("id,name,email\n1,Ann,a@x,extra\n2,\"Bo\"b,b@x\n3,Cy,c@x\n"));
        assertThat(items).containsExactly(
                new MalformedRow("clickdesk/visitors.csv", 2, 4, "record has 4 fields, the header has 3", "1,Ann,a@x,extra"),
                new MalformedRow("clickdesk/visitors.csv", 3, 2,
                        "invalid quoting: a quote inside an unquoted field or text after a closing quote", "2,\"Bo\"b,b@x"),
                row(4, Map.of("id", "3", "name", "Cy", "email", "c@x")));
    }

    @Test
    void quotedFieldOpenPastTheLineCapIsMalformedAndLinesAreReread() throws IOException {
        CsvOptions options = CsvOptions.defaults().withLimits(1 << 20, 3);
        Path file = write("id,note\n1,\"a\nb\nc\nd\"\n2,ok\n");
        List<Object> items = new ArrayList<>();
        try (CsvSource source = CsvSource.open(file, "notes.csv", options)) {
            source.forEachRemaining(items::add);
        }
        // the lines after the bad one are read again as records: one stray quote must not swallow the file
        assertThat(items).containsExactly(
                new MalformedRow("notes.csv", 2, 2, "quoted field still open after 3 lines (unbalanced quote?)", "1,\"a"),
                new SourceRow("notes.csv", 3, Map.of("id", "b", "note", "")),
                new SourceRow("notes.csv", 4, Map.of("id", "c", "note", "")),
                new MalformedRow("notes.csv", 5, 1, "unbalanced quote: a quoted field is never closed", "d\""),
                new SourceRow("notes.csv", 6, Map.of("id", "2", "note", "ok")));
    }

    @Test
    void tenMegabyteFieldIsOneMalformedRowAndReadingGoesOn() throws IOException {
        Path file = dir.resolve("huge.csv");
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("id,body,email\n1,\"");
            writeRepeated(out, 'a', 10_000_000);
            out.write("\",a@x\n2,\"");
            for (int line = 0; line < 200; line++) {
                writeRepeated(out, 'b', 50_000);
                out.write("\n");
            }
            out.write("\",b@x\n3,");
            writeRepeated(out, 'c', 10_000_000);
            out.write(",c@x\n4,short,d@x\n");
        }
        List<Object> items = new ArrayList<>();
        try (CsvSource source = open(file)) {
            source.forEachRemaining(items::add);
            assertThat(source.rowsRead()).isEqualTo(1);
            assertThat(source.malformedCount()).isEqualTo(3);
        }
        assertThat(items).hasSize(4);
        MalformedRow quoted = (MalformedRow) items.get(0);
        assertThat(quoted.line()).isEqualTo(2);
        assertThat(quoted.reason()).isEqualTo("record exceeds 1048576 bytes");
        assertThat(quoted.raw()).startsWith("1,\"aaa").endsWith("…(truncated " + (10_000_008 - 4096) + " chars)");
        MalformedRow multiLine = (MalformedRow) items.get(1);
        assertThat(multiLine.line()).isEqualTo(3);
        assertThat(multiLine.reason()).isEqualTo("record exceeds 1048576 bytes; skipped lines 3-203");
        assertThat(((MalformedRow) items.get(2)).line()).isEqualTo(204);
        assertThat(items.get(3)).isEqualTo(row(205, Map.of("id", "4", "body", "short", "email", "d@x")));
    }

    @Test
    void streamsTwoHundredThousandRows() throws IOException {
        Path file = dir.resolve("contacts.csv");
        int rows = 200_000;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("contact_id;fname;lname;email;phone;city;comment\n");
            for (int i = 1; i <= rows; i++) {
                out.write(i + ";Matti;Mäkinen;matti" + i + "@example.fi;+358401234567;Espoo;"
                        + (i % 10 == 0 ? "\"soitti; \"\"kiinnostunut\"\"\"" : "ei vastannut") + "\n");
            }
        }
        long started = System.nanoTime();
        long lastLine = 0;
        try (CsvSource source = open(file)) {
            while (source.hasNext()) {
                lastLine = ((SourceRow) source.next()).line();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("CsvSource: %d rows in %.2f s = %.0f rows/s%n", source.rowsRead(), seconds, source.rowsRead() / seconds);
            assertThat(source.rowsRead()).isEqualTo(rows);
            assertThat(source.malformedCount()).isZero();
        }
        assertThat(lastLine).isEqualTo(rows + 1);
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("visitors.csv"), content);
    }

    private static CsvSource open(Path file) {
        return CsvSource.open(file, "clickdesk/visitors.csv", CsvOptions.defaults());
    }

    private static List<Object> readAll(Path file) throws IOException {
        try (CsvSource source = open(file)) {
            return collect(source);
        }
    }

    private static List<Object> collect(CsvSource source) {
        List<Object> items = new ArrayList<>();
        source.forEachRemaining(items::add);
        return items;
    }

    private static SourceRow row(long line, Map<String, String> fields) {
        return new SourceRow("clickdesk/visitors.csv", line, fields);
    }

    private static void writeRepeated(Writer out, char c, int count) throws IOException {
        char[] chunk = new char[8192];
        java.util.Arrays.fill(chunk, c);
        for (int left = count; left > 0; left -= chunk.length) {
            out.write(chunk, 0, Math.min(left, chunk.length));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
