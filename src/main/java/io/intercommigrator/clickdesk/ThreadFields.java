package io.intercommigrator.clickdesk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.ThreadPlan;

/** Field rules the ClickDesk thread mappers share: required ids, timestamps, blank handling, the thread's contact. */
final class ThreadFields {
    private ThreadFields() {
    }

    /** The trimmed value; a missing or blank one rejects the record naming the column. */
    static String required(String value, String column) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            throw new InvalidRecordException("validate", column, column + " is empty");
        }
        return v;
    }

    /** Unix seconds of a required timestamp; blank or unreadable rejects the record naming the column and the value. */
    static long time(String value, String column, Timestamps timestamps) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException("validate", column, column + " is empty");
        }
        try {
            return timestamps.toEpochSeconds(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("validate", column, column + ": " + e.getMessage());
        }
    }

    /** Trimmed, or null when absent or blank. */
    /**
     * The text of a message: its own, or for a message of files only (Intercom needs a body) a line naming them, so
     * that the part can be recognised in the thread after a write with an unknown outcome.
     */
    static String textOrFiles(String text, java.util.List<String> attachments) {
        if (text != null && !text.isBlank() || attachments.isEmpty()) {
            return text == null ? "" : text;
        }
        return "[Attachments: " + String.join(", ", attachments.stream()
                .map(io.intercommigrator.attachments.AttachmentSource::displayName).toList()) + "]";
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static void putIfPresent(Map<String, Object> map, String name, String value) {
        String v = blankToNull(value);
        if (v != null) {
            map.put(name, v);
        }
    }

    /** A string conversation attribute with its type; blank values are left out. */
    static void putString(Map<String, Object> attributes, Map<String, String> types, String name, String value) {
        String v = blankToNull(value);
        if (v != null) {
            attributes.put(name, v);
            types.put(name, "string");
        }
    }

    static <K, V> Map<K, V> frozen(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * The thread's contact: ledger key clickdesk/contact/visitorKey, fallback built by the visitor mapper from what
     * the thread carries. An invalid email is reported under {@code emailColumn}.
     */
    static ThreadPlan.ContactRef contact(VisitorToContact visitors, String visitorKey, String name, String email,
                                         String phone, String emailColumn) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("visitor_id", visitorKey);
        row.put("name", name == null ? "" : name);
        row.put("email", email == null ? "" : email);
        row.put("phone", phone == null ? "" : phone);
        ContactPlan fallback;
        try {
            fallback = visitors.map(row);
        } catch (InvalidRecordException e) {
            if ("email".equals(e.column()) && !"email".equals(emailColumn)) {
                throw new InvalidRecordException(e.stage(), emailColumn, e.getMessage());
            }
            throw e;
        }
        return new ThreadPlan.ContactRef(new RecordKey(VisitorToContact.SYSTEM, "contact", visitorKey), fallback);
    }
}
