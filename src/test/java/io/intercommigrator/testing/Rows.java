package io.intercommigrator.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** A source record for mapper tests: row("visitor_id", "v1", "email", "a@b.co"). */
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
}
