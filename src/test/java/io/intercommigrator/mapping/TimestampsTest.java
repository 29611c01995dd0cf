package io.intercommigrator.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    // 2026-03-01T09:30:00Z
    private static final long MARCH_1_0930_UTC = 1_772_357_400L;
    // 2026-03-01T09:30 in Helsinki (EET, UTC+2) = 07:30Z
    private static final long MARCH_1_0930_HELSINKI = 1_772_350_200L;

    private final Timestamps helsinki = new Timestamps(ZoneId.of("Europe/Helsinki"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-03-01T09:30:00Z              | 1772357400",
        "2026-03-01T11:30:00+02:00         | 1772357400",
        "2026-03-01T11:30:00.987+02:00     | 1772357400",
        "2026-03-01T11:30:00+0200          | 1772357400",
        "2026-03-01T11:30:00.987+0200      | 1772357400",
        "2026-03-01T11:30:00+02            | 1772357400",
        "2026-03-01T06:00:00-0330          | 1772357400",
        "2026-03-01 11:30:00+0200          | 1772357400",
        "2026-03-01T11:30:00+02:00:00      | 1772357400",
        "2026-03-01T11:30:00+02:00[Europe/Helsinki] | 1772357400",
        "2026-03-01T09:30Z                 | 1772357400",
        "2026-03-01T09:30:00               | 1772350200",
        "2026-03-01T09:30                  | 1772350200",
        "2026-03-01 09:30:00               | 1772350200",
        "2026-03-01 09:30                  | 1772350200",
        "01.03.2026 09:30                  | 1772350200",
        "1.3.2026 9:30                     | 1772350200",
        "1.3.2026 9:30:00                  | 1772350200",
        "01.03.2026 09:30:00               | 1772350200",
        "2026-03-01                        | 1772316000",
        "01.03.2026                        | 1772316000",
        "1.3.2026                          | 1772316000",
        "'  1.3.2026 '                     | 1772316000",
        "1772357400                        | 1772357400",
        "1741000000000                     | 1741000000",
        "1741000000999                     | 1741000000",
        "'  2026-03-01 09:30  '            | 1772350200",
    })
    void readsEveryAcceptedFormat(String text, long expected) {
        assertThat(helsinki.toEpochSeconds(text)).isEqualTo(expected);
    }

    @Test
    void localTimesUseTheConfiguredZone() {
        assertThat(Timestamps.utc().toEpochSeconds("2026-03-01T09:30:00")).isEqualTo(MARCH_1_0930_UTC);
        assertThat(helsinki.toEpochSeconds("2026-03-01T09:30:00")).isEqualTo(MARCH_1_0930_HELSINKI);
        assertThat(Timestamps.utc().toEpochSeconds("2026-03-01T11:30:00+02:00")).isEqualTo(MARCH_1_0930_UTC);
    }

    @Test
    void springForwardGapIsShiftedForwardByTheGap() {
        // Helsinki 2026-03-29: 03:00 EET jumps to 04:00 EEST (01:00Z), so 03:00-03:59 do not exist
        assertThat(helsinki.toEpochSeconds("2026-03-29 02:30")).isEqualTo(1_774_744_200L); // 00:30Z, still EET
        assertThat(helsinki.toEpochSeconds("2026-03-29 02:59")).isEqualTo(1_774_745_940L); // 00:59Z
        assertThat(helsinki.toEpochSeconds("2026-03-29 03:30")).isEqualTo(1_774_747_800L); // gap -> 04:30 EEST = 01:30Z
        assertThat(helsinki.toEpochSeconds("29.3.2026 4:30")).isEqualTo(1_774_747_800L);   // 01:30Z
    }

    @Test
    void autumnOverlapTakesTheEarlierOffset() {
        // Helsinki 2026-10-25: 04:00 EEST falls back to 03:00 EET (01:00Z), so 03:00-03:59 happen twice
        assertThat(helsinki.toEpochSeconds("2026-10-25 02:30")).isEqualTo(1_792_884_600L); // 23:30Z on the 24th
        assertThat(helsinki.toEpochSeconds("2026-10-25 03:30")).isEqualTo(1_792_888_200L); // first one, EEST = 00:30Z
        assertThat(helsinki.toEpochSeconds("2026-10-25T04:30")).isEqualTo(1_792_895_400L); // EET = 02:30Z
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T11:30:00+2", "2026-03-01T11:30:00+020", "2026-03-01T11:30:00+02:0",
        "2026-03-01T11:30:00+0200:00", "2026-03-01T11:30:00+2400", "2026-03-01T11:30:00+02:60", "2026-03-01T11:30:00 +0200"})
    void rejectsOffsetsNoIsoFormWrites(String text) {
        assertThatThrownBy(() -> helsinki.toEpochSeconds(text))
                .isInstanceOf(TimestampFormatException.class)
                .hasMessageStartingWith("unrecognised timestamp \"" + text + "\"; accepted: 2026-03-01T09:30:00+02:00 (or +0200, +02, Z)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-02-30 10:00", "32.1.2026 10:00", "2026/03/01 09:30", "12345678901234",
        "2026-03-01T25:00", "1,741,000,000",
        "31.2.2027", "12.13.2027", "1.5.27", "12.05.2027.", "1..2027"})
    void rejectsAnythingElseQuotingTheValue(String text) {
        assertThatThrownBy(() -> helsinki.toEpochSeconds(text))
                .isInstanceOf(TimestampFormatException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unrecognised timestamp \"" + text + "\"; accepted: 2026-03-01T09:30:00+02:00");
    }

    @Test
    void rejectsBlank() {
        assertThatThrownBy(() -> helsinki.toEpochSeconds("  ")).isInstanceOf(TimestampFormatException.class)
                .hasMessageStartingWith("timestamp is blank");
        assertThatThrownBy(() -> helsinki.toEpochSeconds(null)).isInstanceOf(TimestampFormatException.class);
    }
}
