package io.intercommigrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;

/**
 * The set-up of the tests that run the migrator as a separate JVM (kill -9, service mode, outages): a fresh home
 * folder, the fake a test starts in {@link #intercom}, and every process started through {@link #start} killed and
 * the fake closed after the test. The home of a failed test is kept under {@code target/failed-homes/}: the migrator's
 * logs and ledger are what explains a failure that does not come back on the next run.
 */
@ExtendWith(AgainstMigratorProcesses.KeepHomeOfFailure.class)
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

    /** Copies a failed test's home before its {@code @TempDir} is deleted (files of 64 MB and more left out). */
    static final class KeepHomeOfFailure implements AfterTestExecutionCallback {
        @Override
        public void afterTestExecution(ExtensionContext context) throws IOException {
            if (context.getExecutionException().isEmpty()
                    || !(context.getRequiredTestInstance() instanceof AgainstMigratorProcesses test) || test.home == null) {
                return;
            }
            test.started.forEach(Process::destroyForcibly); // nothing writes while it is copied
            Path kept = Path.of("target", "failed-homes",
                    context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName());
            try (Stream<Path> files = Files.walk(test.home)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    try {
                        if (Files.size(f) < 64L << 20) {
                            Path to = kept.resolve(test.home.relativize(f).toString());
                            Files.createDirectories(to.getParent());
                            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            System.err.println("the failed test's home is kept in " + kept.toAbsolutePath());
        }
    }
}
