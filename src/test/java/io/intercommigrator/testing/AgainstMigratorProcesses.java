package io.intercommigrator.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;

/**
 * The set-up of the tests that run the migrator as a separate JVM (kill -9, service mode, outages): a fresh home
 * folder, the fake a test starts in {@link #intercom}, and every process started through {@link #start} killed and
 * the fake closed after the test.
 */
public abstract class AgainstMigratorProcesses {
    @TempDir
    protected Path home;
    protected FakeIntercom intercom;
    protected final List<Process> started = new ArrayList<>();

    @BeforeEach
    void needsTheBuildsClasspath() {
        Assumptions.assumeTrue(MigratorHarness.processClasspath().isPresent(),
                "target/runtime-classpath.txt is written by the Maven build (generate-test-resources): run through Maven");
    }

    @AfterEach
    void stopProcessesAndServer() {
        started.forEach(Process::destroyForcibly);
        if (intercom != null) {
            intercom.close();
        }
    }

    /** Starts the migrator with {@code args} in {@link #home}, its output in {@code log} there. */
    protected Process start(MigratorHarness migrator, List<String> args, String log) throws Exception {
        Process p = migrator.process(args, home.resolve(log)).start();
        started.add(p);
        return p;
    }
}
