package io.intercommigrator.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * CsvSource's UTF-8 check (it chooses the charset a file is read in) says of any bytes what a reporting UTF-8 decoder
 * says: every sequence of up to four bytes around the lead bytes' limits, and random text cut into chunks of every size
 * so that a sequence straddles the chunk boundary.
 */
class CsvCharsetCheckTest {

    private static boolean decoderSays(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean checkSays(byte[] bytes, int chunk) throws IOException {
        return CsvSource.isWellFormedUtf8(new ByteArrayInputStream(bytes), chunk);
    }

    @Test
    void everySequenceAroundTheLimitsIsJudgedLikeTheDecoder() throws IOException {
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
                0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        int judged = 0;
        for (int length = 1; length <= 4; length++) {
            int[] at = new int[length];
            while (true) {
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) interesting[at[i]];
                }
                // alone, and after ASCII in chunks that cut the sequence after its first and after its second byte
                byte[] after = concat("abcdefgh".getBytes(StandardCharsets.US_ASCII), bytes);
                for (Object[] text : new Object[][] {{bytes, 64}, {after, 3}, {after, 5}}) {
                    byte[] b = (byte[]) text[0];
                    int chunk = (int) text[1];
                    assertEquals(decoderSays(b), checkSays(b, chunk), HexFormat.ofDelimiter(" ").formatHex(b)
                            + " in chunks of " + chunk);
                    judged++;
                }
                int i = length - 1;
                while (i >= 0 && ++at[i] == interesting.length) {
                    at[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
        assertEquals(3 * (25 + 25 * 25 + 25 * 25 * 25 + 25 * 25 * 25 * 25), judged);
    }

    @Test
    void randomTextInChunksOfEverySizeIsJudgedLikeTheDecoder() throws IOException {
        Random random = new Random(7);
        int wellFormed = 0;
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) {
                text.appendCodePoint(switch (random.nextInt(5)) {
                    case 0 -> 0x20 + random.nextInt(0x60);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0x800 + random.nextInt(0xD000 - 0x800);
                    case 3 -> 0xE000 + random.nextInt(0x2000);
                    default -> 0x10000 + random.nextInt(0x100000);
                });
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (round % 2 == 1 && bytes.length > 0) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // most of these break a sequence
            }
            boolean expected = decoderSays(bytes);
            wellFormed += expected ? 1 : 0;
            for (int chunk = 1; chunk <= 17; chunk++) {
                assertEquals(expected, checkSays(bytes, chunk), "round " + round + " in chunks of " + chunk);
            }
        }
        assertEquals(true, wellFormed > 250 && wellFormed < 500, "both kinds were judged: " + wellFormed + " well-formed");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
