package io.intercommigrator.intake;

import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How {@link CsvSource} reads a file.
 *
 * @param fallbackCharset charset used when the file is not valid UTF-8
 * @param columnAliases   header name as exported to canonical column name; keys match case-insensitively after
 *                        trimming, canonical names are lower-case
 * @param maxRecordBytes  a record longer than this (UTF-8 bytes of its text) is reported malformed and skipped
 * @param maxRecordLines  a quoted field still open after this many physical lines is reported malformed
 */
public record CsvOptions(Charset fallbackCharset, Map<String, String> columnAliases, int maxRecordBytes, int maxRecordLines) {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_RECORD_LINES = 500;

    public CsvOptions {
        if (fallbackCharset == null) {
            throw new IllegalArgumentException("fallbackCharset is required");
        }
        if (maxRecordBytes < 1 || maxRecordLines < 1) {
            throw new IllegalArgumentException("maxRecordBytes and maxRecordLines must be positive");
        }
        Map<String, String> normalised = new LinkedHashMap<>();
        if (columnAliases != null) {
            columnAliases.forEach((alias, canonical) -> normalised.put(normaliseName(alias), normaliseName(canonical)));
        }
        columnAliases = Map.copyOf(normalised);
    }

    public static CsvOptions defaults() {
        return new CsvOptions(Charset.forName("windows-1252"), Map.of(), DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_RECORD_LINES);
    }

    public CsvOptions withColumnAliases(Map<String, String> aliases) {
        return new CsvOptions(fallbackCharset, aliases, maxRecordBytes, maxRecordLines);
    }

    public CsvOptions withFallbackCharset(Charset charset) {
        return new CsvOptions(charset, columnAliases, maxRecordBytes, maxRecordLines);
    }

    public CsvOptions withLimits(int maxBytes, int maxLines) {
        return new CsvOptions(fallbackCharset, columnAliases, maxBytes, maxLines);
    }

    /** The canonical column name a header cell stands for. */
    String canonicalColumn(String headerCell) {
        String name = normaliseName(headerCell);
        return columnAliases.getOrDefault(name, name);
    }

    static String normaliseName(String name) {
        return name.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
    }
}
