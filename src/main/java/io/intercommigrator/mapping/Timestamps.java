package io.intercommigrator.mapping;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;

/**
 * Reads the timestamp formats of the export contract and returns Unix seconds (what Intercom takes).
 *
 * <p>Accepted, after trimming: ISO-8601 with offset or Z ({@code 2026-03-01T09:30:00+02:00}, fractional
 * seconds allowed; the offset also as {@code +0200} or {@code +02}, the other forms ISO-8601 gives it); ISO-8601 local ({@code 2026-03-01T09:30:00}, {@code 2026-03-01T09:30}); the same with a
 * space instead of {@code T} ({@code 2026-03-01 09:30:00}, LeadDesk); Finnish {@code 1.3.2026 9:30} /
 * {@code 01.03.2026 09:30:00}; a date alone {@code 2026-03-01}, {@code 01.03.2026} or {@code 1.3.2026} (local midnight,
 * export-formats.md "Date fields"); Unix seconds (up to 11 digits)
 * and Unix milliseconds (12-13 digits, divided down to whole seconds).
 *
 * <p>Local times are read in {@code localZone}. At a DST overlap (autumn) the earlier offset wins, i.e. the
 * first of the two instants; a time inside a DST gap (spring) is shifted forward by the length of the gap
 * (03:30 on the Helsinki spring-forward day becomes 04:30 EEST). This is {@link ZonedDateTime#ofLocal}
 * with no preferred offset.
 */
public final class Timestamps {

    private static final String ACCEPTED = "accepted: 2026-03-01T09:30:00+02:00 (or +0200, +02, Z), 2026-03-01T09:30[:00],"
            + " 2026-03-01 09:30[:00], 1.3.2026 9:30[:00], 2026-03-01, 01.03.2026, 1.3.2026, Unix seconds (<= 11 digits)"
            + " or milliseconds (12-13 digits)";

    private static final DateTimeFormatter FINNISH = new DateTimeFormatterBuilder()
            .appendPattern("d.M.uuuu H:mm[:ss]")
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    /** The date-only Finnish form: {@code 01.03.2026} or {@code 1.3.2026}. */
    private static final DateTimeFormatter FINNISH_DATE = new DateTimeFormatterBuilder()
            .appendPattern("d.M.uuuu")
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    /** {@link DateTimeFormatter#ISO_DATE_TIME}, but the offset may also be {@code +hhmm} or {@code +hh} (ISO-8601 allows all three). */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart()
            .parseLenient() // lenient "+HH": minutes and seconds optional, the colons as written
            .appendOffset("+HH", "Z")
            .parseStrict()
            .optionalStart()
            .appendLiteral('[')
            .parseCaseSensitive()
            .appendZoneRegionId()
            .appendLiteral(']')
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    private final ZoneId localZone;

    public Timestamps(ZoneId localZone) {
        this.localZone = localZone;
    }

    public static Timestamps utc() {
        return new Timestamps(ZoneOffset.UTC);
    }

    public ZoneId localZone() {
        return localZone;
    }

    /** @throws TimestampFormatException when the text is blank or in no accepted format */
    public long toEpochSeconds(String text) {
        if (text == null || text.isBlank()) {
            throw new TimestampFormatException("timestamp is blank; " + ACCEPTED);
        }
        String value = text.trim();
        try {
            if (isDigits(value)) {
                return fromEpochDigits(value);
            }
            if (value.length() == 10 && value.charAt(4) == '-') {
                return atLocal(LocalDate.parse(value).atStartOfDay());
            }
            if (value.length() > 10 && value.charAt(4) == '-' && (value.charAt(10) == 'T' || value.charAt(10) == ' ')) {
                return fromIso(value.substring(0, 10) + 'T' + value.substring(11));
            }
            if (value.indexOf('.') > 0 && value.indexOf(' ') < 0) {
                return atLocal(LocalDate.parse(value, FINNISH_DATE).atStartOfDay());
            }
            if (value.indexOf('.') > 0) {
                return atLocal(LocalDateTime.parse(value, FINNISH));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // falls through to the common message
        }
        throw new TimestampFormatException("unrecognised timestamp \"" + value + "\"; " + ACCEPTED);
    }

    private long fromIso(String isoText) {
        TemporalAccessor parsed = ISO.parseBest(isoText, ZonedDateTime::from, LocalDateTime::from);
        return parsed instanceof ZonedDateTime zoned ? zoned.toEpochSecond() : atLocal((LocalDateTime) parsed);
    }

    private long atLocal(LocalDateTime local) {
        return ZonedDateTime.ofLocal(local, localZone, null).toEpochSecond();
    }

    private static long fromEpochDigits(String digits) {
        if (digits.length() <= 11) {
            return Long.parseLong(digits);
        }
        if (digits.length() <= 13) {
            return Long.parseLong(digits) / 1000;
        }
        throw new ArithmeticException("too many digits for Unix seconds or milliseconds");
    }

    private static boolean isDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
