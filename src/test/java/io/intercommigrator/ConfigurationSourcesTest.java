package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelContextTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;
import io.intercommigrator.testing.TestLog;

/**
 * Every form of configuration (operator-contract.md, Configuration) through the real CLI: the file, environment
 * variables, JVM system properties (a process of its own), command-line -D before or after a sub-command; their
 * precedence, the unknown-key warning and the config command.
 */
class ConfigurationSourcesTest {
    private static final String TOKEN = "config-test-token-5f3a9c";
    private static final String VISITORS = "visitor_id,name,email,phone,tags,social_source,city,country,country_code,browser,"
            + "os,first_seen,last_seen\nv1,Ann Example,ann@example.com,,,,,,,,,1741000000000,1741086400000\n";
    private static final Path TEST_LOG = TestLog.FILE;
    private static final Pattern CONTACT_RECORDS = Pattern.compile("(?m)^contact\\s+(\\d+)");

    @TempDir
    Path home;

    @Test
    void anEnvironmentVariableSetsAKeyTheFileDoesNotList() throws IOException {
        MigratorHarness migrator = new MigratorHarness(home).env("MIGRATION_INBOX_DIR", "drops");
        removeFromFile("migration.inbox-dir");
        write("drops/clickdesk/visitors.csv", VISITORS);

        Result plan = migrator.run(List.of("plan"));

        assertThat(plan.exitCode()).isZero();
        assertThat(contactRecords(plan)).as("plan read drops/, named only by MIGRATION_INBOX_DIR").isEqualTo(1);
    }

    @Test
    void dashDCountsBeforeAndAfterTheSubCommand() throws IOException {
        MigratorHarness migrator = new MigratorHarness(home);
        write("drops/clickdesk/visitors.csv", VISITORS);

        Result plan = migrator.run(List.of("-Dmigration.inbox-dir=drops", "plan", "-Dintercom.rate-limit-per-minute=60"));

        assertThat(plan.exitCode()).isZero();
        assertThat(contactRecords(plan)).as("-D before the sub-command").isEqualTo(1);
        assertThat(plan.stdout()).as("-D after the sub-command").contains("at 60/min");
    }

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheFile() throws IOException {
        MigratorHarness migrator = new MigratorHarness(home).env("MIGRATION_INBOX_DIR", "wrong")
                .env("INTERCOM_RATE_LIMIT_PER_MINUTE", "120");
        write("drops/clickdesk/visitors.csv", VISITORS);

        Result plan = migrator.run(List.of("plan", "-Dmigration.inbox-dir=drops"));

        assertThat(contactRecords(plan)).isEqualTo(1);
        assertThat(plan.stdout()).contains("at 120/min");
    }

    @Test
    void routePlaceholdersSeeTheSameSourcesAsTheSettings() throws Exception {
        // the harness passes -Dintake.poll-delay-ms=100 on the command line
        MigratorHarness migrator = new MigratorHarness(home).env("INTAKE_READ_LOCK_TIMEOUT_MS", "45678")
                .env("INTAKE_POLL_DELAY_MS", "999");
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        AtomicReference<String> intakeUri = new AtomicReference<>();
        CamelContextTracker tracker = new CamelContextTracker() {
            @Override
            public void contextCreated(CamelContext context) {
                try {
                    context.addStartupListener((started, alreadyStarted) -> intakeUri.compareAndSet(null,
                            started.getRoute("intake").getEndpoint().getEndpointUri()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        tracker.open();
        Result run;
        try {
            run = migrator.once();
        } finally {
            tracker.close();
        }

        assertThat(run.exitCode()).isZero();
        assertThat(intakeUri.get()).contains("readLockTimeout=45678").contains("delay=100").doesNotContain("delay=999");
    }

    @Test
    void unknownKeysAreWarnedWithTheKeyTheyProbablyMeant() throws IOException {
        MigratorHarness migrator = new MigratorHarness(home).env("MIGRATION_MDOE", "live").set("migration.mdoe", "live")
                .set("attachments.quite-unheard-of", "1");
        Files.writeString(home.resolve("config/application.properties"), "\nintake.pol-delay-ms = 5\n",
                StandardOpenOption.APPEND);

        // logging starts (and empties the test log) with the first line this JVM logs
        org.slf4j.LoggerFactory.getLogger(ConfigurationSourcesTest.class).info("unknown keys: the run starts");
        long logBefore = Files.exists(TEST_LOG) ? Files.size(TEST_LOG) : 0;

        Result plan = migrator.run(List.of("plan"));

        assertThat(plan.exitCode()).isZero();
        assertThat(logSince(logBefore))
                .contains("Unknown configuration key migration.mdoe (command-line -D), it has no effect; did you mean "
                        + "migration.mode?")
                .contains("Unknown configuration key MIGRATION_MDOE (environment variable), it has no effect; did you mean "
                        + "MIGRATION_MODE (migration.mode)?")
                .contains("Unknown configuration key intake.pol-delay-ms (config/application.properties), it has no effect; did you mean "
                        + "intake.poll-delay-ms?")
                .containsPattern("Unknown configuration key attachments.quite-unheard-of \\(command-line -D\\), it has no "
                        + "effect\\R")
                .doesNotContain("user.dir").doesNotContain("java.home");
    }

    @Test
    void configListsEveryKeyOfTheFileWithItsValueAndOrigin() throws IOException {
        MigratorHarness migrator = new MigratorHarness(home).token(TOKEN).env("DELIVERY_CONCURRENCY", "3");

        Result config = migrator.run(List.of("config", "-Dmigration.work-dir=scratch"));

        assertThat(config.exitCode()).isZero();
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve("config/application.properties"), StandardCharsets.UTF_8)) {
            file.load(reader);
        }
        assertThat(file.stringPropertyNames()).allSatisfy(key -> assertThat(config.stdout()).containsPattern(
                "(?m)^" + Pattern.quote(key) + " = .*\\((file|command line|environment)\\)$"));
        assertThat(config.stdout()).contains("migration.mode = dry-run  (file)", "delivery.concurrency = 3  (environment)",
                "migration.work-dir = scratch  (command line)", "INTERCOM_ACCESS_TOKEN = ********  (environment)");
        assertThat(config.stdout() + config.stderr()).doesNotContain(TOKEN);
    }

    /** A process of its own, as an operator starts it: JVM -D between java and the class, not after the command. */
    @Test
    void jvmDashDBeatsTheEnvironmentAndTheCommandLineBeatsJvmDashD() throws Exception {
        new MigratorHarness(home);
        Run config = process(List.of("-Dintercom.rate-limit-per-minute=300", "-Dmigration.inbox-dir=jvm-inbox",
                "-Dverification.sampel-size=3"), List.of("config", "-Dmigration.inbox-dir=cli-inbox"),
                Map.of("INTERCOM_RATE_LIMIT_PER_MINUTE", "200", "MIGRATION_INBOX_DIR", "env-inbox", "DELIVERY_CONCURRENCY", "3",
                        "INTERCOM_ACCESS_TOKEN", TOKEN));

        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("intercom.rate-limit-per-minute = 300  (JVM)",
                "migration.inbox-dir = cli-inbox  (command line)", "delivery.concurrency = 3  (environment)",
                "migration.mode = dry-run  (file)", "INTERCOM_ACCESS_TOKEN = ********  (environment)",
                "Unknown configuration key verification.sampel-size (JVM system property), it has no effect; did you mean "
                        + "verification.sample-size?")
                .doesNotContain(TOKEN)
                .doesNotContainPattern("Unknown configuration key (java|user|os|file|line|sun|jdk)\\.");
    }

    @Test
    void jvmDashDMigrationModeLiveRunsLive() throws Exception {
        try (FakeIntercom intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).build().start()) {
            MigratorHarness migrator = new MigratorHarness(home).token(TOKEN);
            assertThat(migrator.run(List.of("confirm")).exitCode()).isZero();
            migrator.drop("clickdesk/visitors.csv", VISITORS);

            Run run = process(List.of("-Dmigration.mode=live", "-Dintercom.base-url=" + intercom.baseUrl(),
                    "-Dmigration.gdpr-acknowledged=true", "-Dintake.read-lock-min-age-ms=0", "-Dintake.poll-delay-ms=100"),
                    List.of("--once"), Map.of("INTERCOM_ACCESS_TOKEN", TOKEN));

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("(live) finished");
            assertThat(intercom.contacts()).extracting(c -> c.path("email").asText()).containsExactly("ann@example.com");
            assertThat(run.output()).doesNotContain(TOKEN);
            for (Path written : migrator.writtenFiles()) {
                if (!written.getFileName().toString().endsWith(".mv.db")) {
                    assertThat(Files.readString(written, StandardCharsets.ISO_8859_1)).as(written.toString()).doesNotContain(TOKEN);
                }
            }
        }
    }

    private record Run(int exitCode, String output) {
    }

    /** java JVM_OPTIONS -cp CLASSPATH io.intercommigrator.App ARGS --home HOME, with only PATH and the given environment. */
    private Run process(List<String> jvmOptions, List<String> args, Map<String, String> env) throws Exception {
        String classpath = MigratorHarness.processClasspath().orElse(null);
        assumeThat(classpath).as("target/runtime-classpath.txt (written by the Maven build)").isNotNull();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, App.class.getName()));
        command.addAll(args);
        command.addAll(List.of("--home", home.toString()));
        Path log = home.resolve("process.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        String path = builder.environment().get("PATH");
        builder.environment().clear();
        if (path != null) {
            builder.environment().put("PATH", path);
        }
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the migrator did not finish: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** What this JVM's runs logged since a point (src/test/resources/log4j2-test.xml). */
    private static String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(TEST_LOG);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
    }

    private static int contactRecords(Result plan) {
        Matcher m = CONTACT_RECORDS.matcher(plan.stdout());
        assertThat(m.find()).as(plan.stdout()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private void removeFromFile(String key) throws IOException {
        Path file = home.resolve("config/application.properties");
        List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.strip().startsWith(key + " ") && !l.strip().startsWith(key + "=")).toList();
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    private void write(String relative, String content) throws IOException {
        Path target = home.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.writeString(target, content, StandardCharsets.UTF_8);
    }
}
