package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;
import picocli.CommandLine;

/**
 * The README cannot rot: every {@code java -jar target/intercom-migrator.jar …} it shows must parse with today's
 * command line, and the workflow it teaches (plan → confirm → sample → run → replay → rollback) is run here exactly
 * as written, against the local Intercom-like server on the bundled examples. (The two set-up commands are run by
 * {@code .ci/run}.)
 */
class ReadmeCommandsTest {
    private static final String TOKEN = "tok_readme_0f1e2d3c";
    private static final int EXTRA_VISITORS = 12;
    private static final Pattern COMMAND = Pattern.compile("java -jar target/intercom-migrator\\.jar([^`\\n#]*)");

    @TempDir
    Path home;

    /** The arguments of every command the README shows, in order, placeholders ([RUN_ID], FILE…) left out. */
    static List<List<String>> readmeCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<List<String>> commands = new ArrayList<>();
        Matcher m = COMMAND.matcher(readme);
        while (m.find()) {
            List<String> args = new ArrayList<>();
            for (String token : m.group(1).trim().split("\\s+")) {
                if (token.isEmpty() || token.startsWith("[") || token.contains("…") || token.equals("&&")) {
                    continue;
                }
                args.add(token);
            }
            commands.add(args);
        }
        return commands;
    }

    @Test
    void everyCommandTheReadmeShowsParses() throws IOException {
        List<List<String>> commands = readmeCommands();
        assertThat(commands).as("commands found in README.md").hasSizeGreaterThanOrEqualTo(6);
        for (List<String> args : commands) {
            CommandLine cli = new CommandLine(new App());
            CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
            assertThat(parsed.errors()).as("README command %s", args).isEmpty();
        }
        assertThat(commands).as("the workflow's commands are all in the README")
                .anyMatch(a -> a.contains("plan")).anyMatch(a -> a.contains("confirm")).anyMatch(a -> a.contains("rollback"))
                .anyMatch(a -> a.contains("replay")).anyMatch(a -> a.contains("--once") && a.contains("-Dmigration.mode=live"));
    }

    @Test
    void theWorkflowRunsAsWritten() throws IOException {
        try (FakeIntercom intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000)
                .admin("sofia@acme.example", "Sofia").build().start()) {
            MigratorHarness migrator = new MigratorHarness(home).token(TOKEN).set("intercom.base-url", intercom.baseUrl())
                    .set("migration.gdpr-acknowledged", "true"); // the examples hold EU visitors; the fake stands in for a US workspace
            MigratorHarness.copyTree(Path.of("examples"), migrator.inbox());
            // more visitors than --sample 10 takes, so that the full run has work of its own (and rollback, which takes
            // the newest run that wrote something, must pick the full run and not the sample)
            StringBuilder more = new StringBuilder();
            for (int i = 1; i <= EXTRA_VISITORS; i++) {
                more.append("v9").append(i).append(",Extra ").append(i).append(",extra").append(i)
                        .append("@example.com,,,,Oslo,Norway,NO,Firefox,Linux,1741500000000,1741586400000\n");
            }
            Files.writeString(migrator.inbox().resolve("clickdesk/visitors.csv"), more.toString(),
                    java.nio.file.StandardOpenOption.APPEND);
            List<List<String>> workflow = readmeCommands().stream().filter(ReadmeCommandsTest::isWorkflowStep).toList();
            assertThat(workflow).extracting(a -> a.get(0)).containsSubsequence("plan", "confirm", "--sample", "--once", "rollback", "replay");

            int contactsAfterRun = -1;
            int contactsAfterSample = -1;
            int conversationsAfterSample = -1;
            for (List<String> args : workflow) {
                Result result = migrator.run(args);
                assertThat(result.exitCode()).as("exit code of README command %s\n%s", args, result.stderr()).isZero();
                if (args.get(0).equals("--sample")) {
                    contactsAfterSample = intercom.contacts().size();
                    conversationsAfterSample = intercom.conversations().size();
                    assertThat(contactsAfterSample).as("the sample delivered something").isPositive();
                }
                if (args.contains("--once")) {
                    contactsAfterRun = intercom.contacts().size();
                    assertThat(contactsAfterRun).as("the full run delivers what the sample left: contacts after %s", args)
                            .isGreaterThan(contactsAfterSample);
                    assertThat(result.counts("contact").path("created").asLong()).as("created by the full run")
                            .isEqualTo(contactsAfterRun - contactsAfterSample);
                    result.assertAddsUp();
                }
                if (args.get(0).equals("rollback")) {
                    assertThat(intercom.contacts()).as("rollback (newest run) removed what the full run created, not the sample")
                            .hasSize(contactsAfterSample);
                    assertThat(intercom.conversations()).hasSize(conversationsAfterSample);
                }
                if (args.get(0).equals("plan")) {
                    assertThat(home.resolve("config/mapping.proposed.yaml")).exists();
                }
            }
            assertThat(contactsAfterRun).as("the README's live run ran").isPositive();
            assertThat(intercom.contacts()).as("what the sample delivered stays until its own rollback").hasSize(contactsAfterSample);
        }
    }

    /** The workflow section's plan, confirm, --sample, live --once, rollback and replay, in README order. */
    private static boolean isWorkflowStep(List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        String first = args.get(0);
        if (args.contains("-Dintercom.region=eu")) {
            return false; // the "Running against Intercom" block: the same commands for an EU workspace
        }
        return Arrays.asList("plan", "confirm", "replay", "rollback", "--sample").contains(first)
                || (first.equals("--once") && args.contains("-Dmigration.mode=live"));
    }
}
