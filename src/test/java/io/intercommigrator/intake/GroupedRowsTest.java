package io.intercommigrator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupedRowsTest {
    @TempDir
    Path dir;

    /** Rows of 300 keys interleaved at random, each key's rows in order: grouped the same in memory and spilled. */
    @Test
    void spilledRunsGiveTheSameGroupsInFirstSeenOrderWithRowsInAddedOrder() throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        List<String[]> added = new ArrayList<>();
        Random random = new Random(7);
        int[] next = new int[300];
        for (int n = 0; n < 3000; n++) {
            int key = random.nextInt(300);
            String value = "k" + key + "-" + next[key]++ + "-ä" + "x".repeat(random.nextInt(40));
            added.add(new String[]{"k" + key, value});
            expected.computeIfAbsent("k" + key, k -> new ArrayList<>()).add(value);
        }
        Path scratch = dir.resolve("spill");
        try (GroupedRows spilled = new GroupedRows(scratch, 128, 1_000_000);
             GroupedRows inMemory = new GroupedRows(dir.resolve("unused"))) {
            long line = 2;
            for (String[] row : added) {
                spilled.add(row[0], line, List.of(row[1], String.valueOf(line)));
                inMemory.add(row[0], line, List.of(row[1], String.valueOf(line)));
                line++;
                if (line == 1000) {
                    spilled.add(null, line, List.of("bad row", String.valueOf(line)));
                    line++;
                }
            }
            assertThat(spilled.runCount()).isGreaterThan(20);
            try (Stream<Path> runs = Files.list(scratch)) {
                assertThat(runs.toList()).allSatisfy(run -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
                        .isEqualTo("rw-------"));
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch))).isEqualTo("rwx------");

            Iterator<GroupedRows.Group> groups = spilled.groups();
            GroupedRows.Group loose = groups.next();
            assertThat(loose.key()).isNull();
            assertThat(loose.rows()).singleElement().satisfies(r -> assertThat(r.line()).isEqualTo(1000));
            Map<String, List<String>> actual = new LinkedHashMap<>();
            while (groups.hasNext()) {
                GroupedRows.Group g = groups.next();
                assertThat(actual).doesNotContainKey(g.key());
                g.rows().forEach(r -> assertThat(r.values().get(1)).isEqualTo(String.valueOf(r.line())));
                actual.put(g.key(), g.rows().stream().map(r -> r.values().get(0)).toList());
            }
            assertThat(actual).containsExactlyEntriesOf(expected);

            Map<String, List<String>> fromMemory = new LinkedHashMap<>();
            inMemory.groups().forEachRemaining(g -> fromMemory.put(g.key(), g.rows().stream().map(r -> r.values().get(0)).toList()));
            assertThat(fromMemory).containsExactlyEntriesOf(expected);
            assertThat(inMemory.runCount()).isZero();
        }
        assertThat(scratch).doesNotExist();
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    /** Keys whose hashes collide (here: every key) are still separate groups, each with its own rows in order. */
    @Test
    void keysWithTheSameHashStayApartInMemoryAndSpilled() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Random random = new Random(11);
        try (GroupedRows spilled = new GroupedRows(dir.resolve("c1"), 16, 1_000_000, key -> 42L);
             GroupedRows inMemory = new GroupedRows(dir.resolve("c2"), 100_000, 100_000_000, key -> 42L)) {
            for (int n = 0; n < 500; n++) {
                String key = "k" + random.nextInt(20);
                String value = key + "#" + n;
                expected.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                spilled.add(key, n, List.of(value));
                inMemory.add(key, n, List.of(value));
            }
            for (GroupedRows rows : List.of(spilled, inMemory)) {
                Map<String, List<String>> actual = new LinkedHashMap<>();
                rows.groups().forEachRemaining(g -> assertThat(actual.put(g.key(),
                        g.rows().stream().map(r -> r.values().get(0)).toList())).isNull());
                assertThat(actual).containsOnlyKeys(expected.keySet());
                expected.forEach((key, values) -> assertThat(actual.get(key)).isEqualTo(values));
            }
        }
    }
}
