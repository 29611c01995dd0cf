package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstMigratorProcesses;
import io.intercommigrator.testing.MigratorHarness;

/**
 * A social_messages.csv whose threads are spread over the whole file cannot be grouped in memory when the file is
 * bigger than the heap allows: 80,000 rows (8,000 threads) run in a 64 MB heap as a process of their own (grouping
 * them in memory ended in OutOfMemoryError there), each thread one conversation with its messages in order.
 */
class SmallHeapEndToEndTest extends AgainstMigratorProcesses {
    private static final int THREADS = 8_000;
    private static final int PER_THREAD = 10;

    /** A 64 MB migrator whose inbox holds THREADS social threads of PER_THREAD messages, spread over the file. */
    private MigratorHarness withSocialFile() {
        MigratorHarness migrator = new MigratorHarness(home).heap("-Xmx64m");
        List<String> rows = GroupedInputsEndToEndTest.interleave(THREADS, PER_THREAD, (t, k) -> {
            boolean agent = k % 2 == 1;
            return "t" + t + ",twitter,@h" + t + "," + (agent ? "Agent" : "Person " + t) + ",," + (agent ? "agent" : "visitor")
                    + "," + (agent ? "agent@example.com" : "") + ",t" + t + " m" + k + " a social message of a realistic length,"
                    + (1741000000L + t);
        });
        migrator.drop("clickdesk/social_messages.csv",
                "thread_id,network,handle,name,email,author_type,agent_email,text,created_at\n" + String.join("\n", rows) + "\n");
        return migrator;
    }

    @Test
    void aSocialFileThatDoesNotFitTheHeapGroupedStillRunsIn64Mb() throws Exception {
        MigratorHarness migrator = withSocialFile();

        Process run = start(migrator, List.of("--once"), "run.log");

        assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("the run ends").isTrue();
        String log = Files.readString(home.resolve("run.log"));
        assertThat(run.exitValue()).as(log.substring(Math.max(0, log.length() - 3000))).isZero();
        GroupedInputsEndToEndTest.assertThreadsInOrder(GroupedInputsEndToEndTest.outbox(home), THREADS, PER_THREAD);
    }

    /** `plan` groups the social file the way the run does (it held every row in memory and ran out of a 64 MB heap). */
    @Test
    void planningASocialFileThatDoesNotFitTheHeapStillRunsIn64Mb() throws Exception {
        MigratorHarness migrator = withSocialFile();

        Process plan = start(migrator, List.of("plan"), "plan.log");

        assertThat(plan.waitFor(5, TimeUnit.MINUTES)).as("the plan ends").isTrue();
        String log = Files.readString(home.resolve("plan.log"));
        assertThat(plan.exitValue()).as(log.substring(Math.max(0, log.length() - 3000))).isZero();
        assertThat(log).containsPattern("(?m)^conversation +" + THREADS + " +0 +0$")
                .containsPattern("(?m)^conversation_part +" + THREADS * (PER_THREAD - 1) + " +0 +0$");
    }
}
