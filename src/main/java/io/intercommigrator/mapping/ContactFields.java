package io.intercommigrator.mapping;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.intake.Timestamps;

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

    public static void putTime(ObjectNode node, String field, Map<String, String> row, String column, Timestamps timestamps) {
        String raw = row.get(column);
        if (raw == null || raw.isBlank()) {
            return;
        }
        try {
            node.put(field, timestamps.toEpochSeconds(raw));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("validate", column, e.getMessage());
        }
    }

    /** A string attribute; blank values are left out so an update never blanks what Intercom holds. */
    public static void putAttribute(ObjectNode custom, Map<String, String> types, String attribute, String type, String value) {
        if (value != null && !value.isBlank()) {
            custom.put(attribute, value.trim());
            types.put(attribute, type);
        }
    }

    /** An operator-mapped column with a declared type: string, integer, float, boolean or date. */
    public static void putTyped(ObjectNode custom, Map<String, String> types, String column, MappingConfig.ExtraColumn target,
                                String value, Timestamps timestamps) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.trim();
        String type = target.type() == null ? "string" : target.type();
        try {
            switch (type) {
                case "integer" -> custom.put(target.attribute(), Long.parseLong(v));
                case "float" -> custom.put(target.attribute(), Double.parseDouble(v.replace(',', '.')));
                case "boolean" -> custom.put(target.attribute(), parseBoolean(v));
                case "date" -> custom.put(target.attribute(), timestamps.toEpochSeconds(v));
                default -> custom.put(target.attribute(), v);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("validate", column, "'" + v + "' is not a valid " + type + " for attribute "
                    + target.attribute());
        }
        types.put(target.attribute(), type);
    }

    static boolean parseBoolean(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "y", "kyllä", "x" -> true;
            case "false", "no", "0", "n", "ei" -> false;
            default -> throw new IllegalArgumentException(v);
        };
    }
}
