package io.intercommigrator.plan;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.intercommigrator.mapping.Timestamps;

/**
 * What the values of one unmapped column look like, across every file of one system that has it: fill rate,
 * first distinct values, and the narrowest type every non-blank value fits (integer, float, boolean, date,
 * datetime, options, string — in that order of preference).
 */
final class ColumnProfile {
    static final int MAX_OPTIONS = 10;
    static final int MIN_ROWS_FOR_OPTIONS = 20;
    static final int MAX_SAMPLES = 3;

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "0", "1");

    private final String column;
    private final Timestamps timestamps;
    private final Set<String> files = new TreeSet<>();
    private final LinkedHashSet<String> distinct = new LinkedHashSet<>();
    private long rows;
    private long filled;
    private boolean integer = true;
    private boolean number = true;
    private boolean bool = true;
    private boolean date = true;
    private boolean dateTime = true;

    ColumnProfile(String column, Timestamps timestamps) {
        this.column = column;
        this.timestamps = timestamps;
    }

    String column() {
        return column;
    }

    void seenIn(String fileBaseName) {
        files.add(fileBaseName);
    }

    Set<String> files() {
        return files;
    }

    void add(String raw) {
        rows++;
        String v = raw == null ? "" : raw.trim();
        if (v.isEmpty()) {
            return;
        }
        filled++;
        if (distinct.size() <= MAX_OPTIONS) {
            distinct.add(v);
        }
        // numbers and dates as the mappers read them (ContactFields, Timestamps): "1 234,5", "1e3", "12.05.2027"
        integer &= io.intercommigrator.mapping.ContactFields.isInteger(v);
        number &= io.intercommigrator.mapping.ContactFields.isNumber(v);
        bool &= BOOLEANS.contains(v.toLowerCase(Locale.ROOT));
        date &= isIsoDate(v) || !INTEGER.matcher(v).matches() && v.indexOf(':') < 0 && parses(v);
        if (dateTime) {
            dateTime = v.indexOf(':') > 0 && parses(v); // a time part; epoch digits were integers already
        }
    }

    long filled() {
        return filled;
    }

    /** integer, float, boolean, date, datetime, options or string; null when no row has a value. */
    String inferred() {
        if (filled == 0) {
            return null;
        }
        if (integer) {
            return "integer";
        }
        if (number) {
            return "float";
        }
        if (bool) {
            return "boolean";
        }
        if (date) {
            return "date";
        }
        if (dateTime) {
            return "datetime";
        }
        if (distinct.size() <= MAX_OPTIONS && filled >= MIN_ROWS_FOR_OPTIONS) {
            return "options";
        }
        return "string";
    }

    /** The type the contact mappers accept (string, integer, float, boolean, date): datetime → date, options → string. */
    String mappedType() {
        String inferred = inferred();
        return switch (inferred) {
            case "datetime" -> "date";
            case "options" -> "string";
            default -> inferred;
        };
    }

    /** Non-blank rows / rows, two decimals. */
    String fillRate() {
        return String.format(Locale.ROOT, "%.2f", rows == 0 ? 0.0 : (double) filled / rows);
    }

    List<String> samples() {
        return distinct.stream().limit(MAX_SAMPLES).toList();
    }

    /** Every distinct value, first seen first (meaningful when {@link #inferred()} is options). */
    List<String> options() {
        return new ArrayList<>(distinct);
    }

    private static boolean isIsoDate(String v) {
        if (!ISO_DATE.matcher(v).matches()) {
            return false;
        }
        try {
            LocalDate.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private boolean parses(String v) {
        try {
            timestamps.toEpochSeconds(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
