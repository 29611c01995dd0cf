package io.intercommigrator.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Source records for tests: row("visitor_id", "v1", "email", "a@b.co"), or a whole visitors.csv of n plain visitors. */
public final class Rows {
    private Rows() {
    }

    public static Map<String, String> row(String... columnsAndValues) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** A ClickDesk visitors.csv of n visitors: {prefix}1, "Visitor {prefix}1", {prefix}1@example.com, and so on. */
    public static String visitorsCsv(String prefix, int n) {
        StringBuilder csv = new StringBuilder("visitor_id,name,email\n");
        for (int i = 1; i <= n; i++) {
            csv.append(prefix).append(i).append(",Visitor ").append(prefix).append(i).append(',')
                    .append(prefix).append(i).append("@example.com\n");
        }
        return csv.toString();
    }
}
