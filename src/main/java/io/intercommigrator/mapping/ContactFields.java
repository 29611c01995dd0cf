package io.intercommigrator.mapping;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;


import io.intercommigrator.core.LeftOffValue;
/** Field rules shared by every source's person mappers: email validity, typed attributes, timestamps. */
public final class ContactFields {
    private ContactFields() {
    }

    /** The normalised email, "" when absent; a present but invalid email rejects the record naming the column. */
    public static String email(String raw) {
        String email = Values.normaliseEmail(raw);
        if (!email.isEmpty() && !Values.validEmail(email)) {
            throw new InvalidRecordException("validate", "email", "invalid email address '" + raw.trim() + "'");
        }
        return email;
    }

    public static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value.trim());
        }
    }

    /**
     * Most characters of a string attribute value (intercom.attribute-value-max-chars): Intercom's help centre gives
     * 255 for a text data attribute; the OpenAPI file gives none.
     */
    public static final int DEFAULT_MAX_CHARS = 255;

    /** A backdating time of the contact (signed_up_at, last_seen_at); an unreadable one is left off and noted. */
    public static void putTime(ObjectNode node, String field, Map<String, String> row, String column, Timestamps timestamps,
                               List<LeftOffValue> leftOff) {
        String raw = row.get(column);
        if (raw == null || raw.isBlank()) {
            return;
        }
        try {
            node.put(field, timestamps.toEpochSeconds(raw));
        } catch (IllegalArgumentException e) {
            leftOff.add(new LeftOffValue(column, field, raw.trim(), e.getMessage()));
        }
    }

    /** A string attribute; blank values are left out so an update never blanks what Intercom holds. */
    public static void putAttribute(ObjectNode custom, Map<String, String> types, String attribute, String type, String value) {
        if (value != null && !value.isBlank()) {
            custom.put(attribute, value.trim());
            types.put(attribute, type);
        }
    }

    /**
     * A string attribute read from {@code column}; blank values are left out (an update never blanks what Intercom
     * holds), one longer than {@code maxChars} is left off and noted.
     */
    public static void putString(ObjectNode custom, Map<String, String> types, String column, String attribute, String value,
                                 int maxChars, List<LeftOffValue> leftOff) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.trim();
        if (v.codePointCount(0, v.length()) > maxChars) {
            leftOff.add(new LeftOffValue(column, attribute, v, tooLong(v, maxChars)));
            return;
        }
        custom.put(attribute, v);
        types.put(attribute, "string");
    }

    /** An operator-mapped column with a declared type: string, integer, float, boolean or date. */
    public static void putTyped(ObjectNode custom, Map<String, String> types, String column, MappingConfig.ExtraColumn target,
                                String value, Timestamps timestamps, int maxChars, List<LeftOffValue> leftOff) {
        putValue(custom, types, column, target.attribute(), target.type() == null ? "string" : target.type(), value,
                timestamps, maxChars, leftOff);
    }

    /**
     * A value of an attribute of {@code type} (string, integer, float, boolean, date, datetime) as Intercom takes it;
     * blank values are left out, one that does not fit its type is left off and noted (the record still moves).
     */
    public static void putValue(ObjectNode custom, Map<String, String> types, String column, String attribute, String type,
                                String value, Timestamps timestamps, int maxChars, List<LeftOffValue> leftOff) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.trim();
        try {
            switch (type) {
                case "integer" -> custom.put(attribute, integer(v));
                case "float" -> custom.put(attribute, decimal(v));
                case "boolean" -> custom.put(attribute, parseBoolean(v));
                case "date", "datetime" -> custom.put(attribute, timestamps.toEpochSeconds(v));
                default -> {
                    if (v.codePointCount(0, v.length()) > maxChars) {
                        leftOff.add(new LeftOffValue(column, attribute, v, tooLong(v, maxChars)));
                        return;
                    }
                    custom.put(attribute, v);
                }
            }
        } catch (IllegalArgumentException e) {
            leftOff.add(new LeftOffValue(column, attribute, v, "not a valid " + type + " for attribute " + attribute
                    + (type.startsWith("date") ? " (" + e.getMessage() + ")" : "")));
            return;
        }
        types.put(attribute, type);
    }

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+([.,]\\d*)?|[.,]\\d+)([eE][-+]?\\d{1,3})?");
    /** Spaces Finnish and other locales group digits with: space, no-break space, narrow no-break space, thin space. */
    private static final Pattern DIGIT_GROUPS = Pattern.compile("(?<=\\d)[ \\u00A0\\u202F\\u2009](?=\\d{3}(\\D|$))");

    /** A whole number as written in an export: {@code 1234}, {@code 1 234}, {@code -5}; nothing else. */
    public static long integer(String text) {
        String v = DIGIT_GROUPS.matcher(text.trim()).replaceAll("");
        if (!INTEGER.matcher(v).matches()) {
            throw new NumberFormatException(text);
        }
        return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
    }

    /** A decimal as written in an export: {@code 1234.5}, {@code 1 234,5}, {@code 1e3}; not NaN, Infinity or hex. */
    public static double decimal(String text) {
        String v = DIGIT_GROUPS.matcher(text.trim()).replaceAll("");
        if (!DECIMAL.matcher(v).matches()) {
            throw new NumberFormatException(text);
        }
        double d = Double.parseDouble(v.replace(',', '.'));
        if (Double.isInfinite(d)) {
            throw new NumberFormatException(text);
        }
        return d;
    }

    /** Whether the text is a number {@link #decimal} reads. */
    public static boolean isNumber(String text) {
        try {
            decimal(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the text is a whole number {@link #integer} reads. */
    public static boolean isInteger(String text) {
        try {
            integer(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String tooLong(String v, int maxChars) {
        return v.codePointCount(0, v.length()) + " characters, over the " + maxChars
                + " Intercom takes for a text attribute (intercom.attribute-value-max-chars)";
    }

    static boolean parseBoolean(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "y", "kyllä", "x" -> true;
            case "false", "no", "0", "n", "ei" -> false;
            default -> throw new IllegalArgumentException(v);
        };
    }
}
