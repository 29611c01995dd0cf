package io.intercommigrator.intake;

import java.util.Map;

/**
 * One parsed record of a source file.
 *
 * @param file   the file name as given by the caller, e.g. "clickdesk/visitors.csv" or "bundle.zip!visitors.csv"
 * @param line   1-based physical line where the record starts
 * @param fields canonical column name to value, in header order; values are never null
 */
public record SourceRow(String file, long line, Map<String, String> fields) {

    /** The value of a canonical column, or "" when the column is absent. */
    public String get(String column) {
        return fields.getOrDefault(column, "");
    }
}
