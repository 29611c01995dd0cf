package io.intercommigrator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipUnpackerTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private final ZipUnpacker unpacker = new ZipUnpacker(ZipLimits.defaults());

    @Test
    void extractsFilesKeepingSubFoldersAndIgnoringMacJunk() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("visitors.csv", "visitor_id,email\n1,a@x\n");
        entries.put("clickdesk/", "");
        entries.put("clickdesk/chats.json", "{\"session\":[]}");
        entries.put("__MACOSX/._visitors.csv", "junk");
        entries.put("__MACOSX/clickdesk/._chats.json", "junk");
        entries.put(".DS_Store", "junk");
        entries.put("clickdesk/.DS_Store", "junk");
        entries.put(".hidden/notes.csv", "junk");
        entries.put("./leaddesk\\agents.csv", "agent_id\n7\n");
        Path zip = zip("drop.zip", entries);
        Path target = dir.resolve("out");

        var unpacked = unpacker.unpack(zip, target, "inbox/drop.zip");

        assertThat(unpacked).extracting(UnpackedEntry::entryName).containsExactly("visitors.csv", "clickdesk/chats.json", "leaddesk/agents.csv");
        assertThat(unpacked.get(1).file()).isEqualTo(target.toAbsolutePath().resolve("clickdesk/chats.json"));
        assertThat(unpacked.get(1).size()).isEqualTo(14);
        assertThat(Files.readString(unpacked.get(0).file())).isEqualTo("visitor_id,email\n1,a@x\n");
        assertThat(filesUnder(target)).containsExactlyInAnyOrder("clickdesk/chats.json", "visitors.csv", "leaddesk/agents.csv");
        for (UnpackedEntry entry : unpacked) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry.file()))).isEqualTo("rw-------");
        }
    }

    @Test
    void refusesZipSlipLeavingNothingBehind() throws IOException {
        for (String evil : new String[] {"../../evil.sh", "/tmp/evil.sh", "data/../../evil.sh", "..\\evil.sh", "__MACOSX/../../evil.sh"}) {
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("visitors.csv", "visitor_id\n1\n");
            entries.put("sub/agents.csv", "agent_id\n1\n");
            entries.put(evil, "rm -rf /");
            Path zip = zip("slip.zip", entries);
            Path target = dir.resolve("slip-out");
            assertThatThrownBy(() -> unpacker.unpack(zip, target, "inbox/slip.zip"))
                    .isInstanceOf(InputRefusedException.class)
                    .hasMessage("inbox/slip.zip: refused, entry '" + evil + "' would be written outside the extraction folder (zip slip)");
            assertThat(target).doesNotExist();
            assertThat(filesUnder(dir)).containsExactly("slip.zip");
        }
    }

    @Test
    void refusesABombOnTheTotalSizeQuickly() throws IOException {
        Path zip = dir.resolve("bomb.zip");
        long started = System.nanoTime();
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.setLevel(Deflater.BEST_SPEED);
            out.putNextEntry(new ZipEntry("small.csv"));
            out.write("a\n1\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("zeros.csv"));
            writeZeros(out, 3L << 30);
            out.closeEntry();
        }
        System.out.printf("3 GiB bomb written in %.1f s, %d bytes compressed%n", (System.nanoTime() - started) / 1e9, Files.size(zip));
        Path target = dir.resolve("bomb-out");
        ZipUnpacker strict = new ZipUnpacker(new ZipLimits(10 * MIB, 1L << 30, 10_000, 1e9));

        started = System.nanoTime();
        assertThatThrownBy(() -> strict.unpack(zip, target, "inbox/bomb.zip"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("inbox/bomb.zip: refused, the archive expands beyond 10485760 bytes in total,"
                        + " reached while extracting 'zeros.csv' (intake.zip.max-total-bytes)");
        double refusedAfter = (System.nanoTime() - started) / 1e9;
        System.out.printf("3 GiB bomb refused after %.2f s%n", refusedAfter);
        assertThat(refusedAfter).isLessThan(5);
        assertThat(target).doesNotExist();
    }

    @Test
    void refusesAnEntryOverTheEntryLimit() throws IOException {
        Path zip = zip("big.zip", Map.of("big.csv", randomText(3 * MIB)));
        assertThatThrownBy(() -> new ZipUnpacker(new ZipLimits(100 * MIB, 2 * MIB, 10, 200)).unpack(zip, dir.resolve("out"), "big.zip"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("big.zip: refused, entry 'big.csv' expands beyond 2097152 bytes (intake.zip.max-entry-bytes)");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void refusesAHighCompressionRatio() throws IOException {
        Path zip = dir.resolve("ratio.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("ok.csv"));
            out.write(randomText(2 * MIB).getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("nested/zeros.csv"));
            writeZeros(out, 50 * MIB);
        }
        Path target = dir.resolve("out");
        Files.createDirectories(target);
        assertThatThrownBy(() -> unpacker.unpack(zip, target, "ratio.zip"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessageStartingWith("ratio.zip: refused, entry 'nested/zeros.csv' has a compression ratio of ")
                .hasMessageEndingWith(":1, above the limit of 200:1 (intake.zip.max-compression-ratio)");
        assertThat(target).isEmptyDirectory();
    }

    @Test
    void refusesTooManyEntries() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            entries.put("f" + i + ".csv", "x");
        }
        Path zip = zip("many.zip", entries);
        assertThatThrownBy(() -> new ZipUnpacker(new ZipLimits(MIB, MIB, 3, 200)).unpack(zip, dir.resolve("out"), "many.zip"))
                .hasMessage("many.zip: refused, the archive has 4 entries, more than the limit of 3 (intake.zip.max-entries)");
    }

    @Test
    void refusesATruncatedArchive() throws IOException {
        Path zip = zip("cut.zip", Map.of("visitors.csv", randomText(200_000), "agents.csv", randomText(200_000)));
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> unpacker.unpack(zip, dir.resolve("out"), "inbox/cut.zip"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessageStartingWith("inbox/cut.zip: refused, not a readable zip archive (damaged or truncated?): ");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void refusesACorruptEntryNamingIt() throws IOException {
        byte[] content = "visitor_id,email\n1,a@x\n".getBytes(StandardCharsets.UTF_8);
        Path zip = dir.resolve("crc.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("good.csv"));
            out.write(content);
            ZipEntry stored = new ZipEntry("visitors.csv");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(content);
        }
        byte[] bytes = Files.readAllBytes(zip);
        int at = indexOf(bytes, "1,a@x".getBytes(StandardCharsets.UTF_8), indexOf(bytes, "visitors.csv".getBytes(StandardCharsets.UTF_8), 0));
        bytes[at] = '9';
        Files.write(zip, bytes);
        assertThatThrownBy(() -> unpacker.unpack(zip, dir.resolve("out"), "crc.zip"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessageStartingWith("crc.zip: refused, entry 'visitors.csv' is damaged (CRC mismatch");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void refusesDamagedCompressedDataNamingTheEntry() throws IOException {
        Path zip = zip("broken.zip", Map.of("visitors.csv", randomText(300_000)));
        byte[] bytes = Files.readAllBytes(zip);
        Arrays.fill(bytes, 1000, 3000, (byte) 0x55);
        Files.write(zip, bytes);
        assertThatThrownBy(() -> unpacker.unpack(zip, dir.resolve("out"), "broken.zip"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessageStartingWith("broken.zip: refused, entry 'visitors.csv' is damaged");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private Path zip(String name, Map<String, String> entries) throws IOException {
        Path zip = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip;
    }

    private static void writeZeros(OutputStream out, long count) throws IOException {
        byte[] zeros = new byte[1 << 20];
        for (long left = count; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(left, zeros.length));
        }
    }

    private static String randomText(long length) {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("not found");
    }

    private static java.util.List<String> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return java.util.List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
        }
    }
}
