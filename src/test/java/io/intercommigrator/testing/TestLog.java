package io.intercommigrator.testing;

import java.nio.file.Path;

/**
 * The file every log line of this test JVM lands in (log4j2-test.xml), so tests can check what a run logged. Each
 * surefire fork has its own (system property {@code test.log.file}, set per fork in pom.xml); a test run outside
 * Maven writes the default one.
 */
public final class TestLog {
    public static final Path FILE = Path.of(System.getProperty("test.log.file", "target/test-logs/tests.log"));

    private TestLog() {
    }
}
