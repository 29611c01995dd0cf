package io.intercommigrator.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Every timestamp and date form of export-formats.md ("Timestamps accepted", "Date fields"), for generators that put
 * each of them in every field where it can appear: {@code form(n, …)} writes the same instant in the n-th form
 * (rotating), so an export's values stay exact whatever form they are written in.
 */
public final class TimestampForms {
    /** The timestamp forms, in rotation order. */
    public static final List<String> FORMS = List.of("iso-offset", "iso-offset-hhmm", "iso-z", "iso-local", "leaddesk-local",
            "finnish", "finnish-short", "unix-seconds", "unix-millis");
    /** The date-only forms of a date field. */
    public static final List<String> DATE_FORMS = List.of("iso-date", "finnish-date", "finnish-date-short");

    private static final DateTimeFormatter ISO_LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter LEADDESK = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    private TimestampForms() {
    }

    /**
     * {@code epochSeconds} in form {@code n % FORMS.size()}, local forms in {@code zone} (the source's configured zone).
     * A form without seconds is used only for a whole minute (else its form with seconds), so the instant is exact.
     */
    public static String form(int n, long epochSeconds, ZoneId zone) {
        ZonedDateTime local = Instant.ofEpochSecond(epochSeconds).atZone(zone);
        boolean wholeMinute = local.getSecond() == 0;
        String form = FORMS.get(Math.floorMod(n, FORMS.size()));
        if (isLocal(form) && !local.getOffset().equals(zone.getRules().getValidOffsets(local.toLocalDateTime()).get(0))) {
            form = "iso-offset"; // the later of two instants at a DST overlap: a local time would read as the earlier one
        }
        return switch (form) {
            case "iso-offset" -> local.withZoneSameInstant(ZoneOffset.ofHours(2)).toOffsetDateTime()
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case "iso-offset-hhmm" -> local.withZoneSameInstant(ZoneOffset.ofHoursMinutes(-3, -30))
                    .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx", Locale.ROOT));
            case "iso-z" -> Instant.ofEpochSecond(epochSeconds).toString();
            case "iso-local" -> local.format(ISO_LOCAL);
            case "leaddesk-local" -> local.format(LEADDESK);
            case "finnish" -> local.format(DateTimeFormatter.ofPattern(wholeMinute ? "dd.MM.uuuu HH:mm" : "dd.MM.uuuu HH:mm:ss",
                    Locale.ROOT));
            case "finnish-short" -> local.format(DateTimeFormatter.ofPattern(wholeMinute ? "d.M.uuuu H:mm" : "d.M.uuuu H:mm:ss",
                    Locale.ROOT));
            case "unix-seconds" -> Long.toString(epochSeconds);
            default -> Long.toString(epochSeconds * 1000 + Math.floorMod(n, 1000)); // milliseconds, not whole seconds
        };
    }

    private static boolean isLocal(String form) {
        return form.equals("iso-local") || form.equals("leaddesk-local") || form.startsWith("finnish");
    }

    /** A date in date-only form {@code n % DATE_FORMS.size()}. */
    public static String date(int n, LocalDate date) {
        return switch (DATE_FORMS.get(Math.floorMod(n, DATE_FORMS.size()))) {
            case "iso-date" -> date.toString();
            case "finnish-date" -> date.format(DateTimeFormatter.ofPattern("dd.MM.uuuu", Locale.ROOT));
            default -> date.format(DateTimeFormatter.ofPattern("d.M.uuuu", Locale.ROOT));
        };
    }

    /**
     * A value for a date field: every timestamp form and every date-only form of {@code date} (local midnight), and
     * among them now and then a value that is no date, or blank (which a migration leaves off that record).
     */
    public static String dateFieldValue(int n, LocalDate date, ZoneId zone) {
        int all = FORMS.size() + DATE_FORMS.size() + ODD_DATES.size();
        int k = Math.floorMod(n, all);
        if (k < DATE_FORMS.size()) {
            return date(k, date);
        }
        if (k < DATE_FORMS.size() + FORMS.size()) {
            return form(k - DATE_FORMS.size(), date.atStartOfDay(zone).toEpochSecond(), zone);
        }
        return ODD_DATES.get(k - DATE_FORMS.size() - FORMS.size());
    }

    /** Values of a date field that are no date (the record moves without them) or no value at all. */
    public static final List<String> ODD_DATES = List.of("", "   ", "31.02.2027", "ensi viikolla", "2027-13-01");
    /** Values of a number field as exports write them, good and bad. */
    public static final List<String> ODD_NUMBERS = List.of("", "  ", "1 234", "1 234,5", "1e3", "-7", "12,5", "n/a",
            "1.234,5", "NaN");
    /** Values of a boolean / checkbox field, good and bad. */
    public static final List<String> ODD_BOOLEANS = List.of("yes", "no", "kyllä", "ei", "1", "0", "true", "FALSE", "", "ehkä");
    /** Values of a text field: empty, spaces, non-ASCII, and longer than Intercom takes (255 characters). */
    public static final List<String> ODD_TEXTS = List.of("", "   ", "Ääkköset, åäö – €", "emoji 😊 ja \"lainaus\"",
            "pitkä ".repeat(60).strip(), "日本語のメモ");

    /** The n-th of {@code values}, rotating. */
    public static String odd(List<String> values, int n) {
        return values.get(Math.floorMod(n, values.size()));
    }
}
