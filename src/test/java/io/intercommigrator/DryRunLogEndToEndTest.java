package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;
import io.intercommigrator.testing.TestLog;

/** A dry-run's log says what it would do, never that it created what it did not create. */
class DryRunLogEndToEndTest {
    private static final Path TEST_LOG = TestLog.FILE;

    @TempDir
    Path home;

    @Test
    void aDryRunSaysItWouldCreateTheSchemaItNeeds() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home);
        MigratorHarness.copyTree(Path.of("examples"), migrator.inbox());
        // logging starts (and empties the test log) with the first line this JVM logs
        org.slf4j.LoggerFactory.getLogger(DryRunLogEndToEndTest.class).info("dry-run log: the run starts");
        long before = Files.size(TEST_LOG);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        byte[] all = Files.readAllBytes(TEST_LOG);
        String log = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        assertThat(log).contains("Dry-run: would create contact attribute", "Dry-run: would create conversation attribute",
                "Dry-run: would create ticket type");
        assertThat(log).doesNotContain("Created contact attribute", "Created conversation attribute", "Created ticket type");
    }
}
