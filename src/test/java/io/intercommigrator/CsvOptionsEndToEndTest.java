package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * intake.max-record-bytes and column_aliases reach the readers beside the record reader too: here the one of
 * social_messages.csv (grouped by thread before mapping) in a run and in the plan.
 */
class CsvOptionsEndToEndTest {
    private static final String HEADER = "thread_id,network,handle,name,email,author_type,agent_email,text,created_at\n";

    @TempDir
    Path home;

    @Test
    void maxRecordBytesReachesTheSocialMessagesReader() {
        MigratorHarness migrator = new MigratorHarness(home).set("intake.max-record-bytes", "300");
        migrator.drop("clickdesk/social_messages.csv", HEADER
                + "s1,facebook,ann.fb,Ann,ann@example.com,visitor,,short hello,2025-03-08T09:00:00Z\n"
                + "s2,twitter,@kari,Kari,kari@example.com,visitor,," + "x".repeat(400) + ",2025-03-08T10:00:00Z\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(run.counts("conversation").path("created").asLong()).isEqualTo(1);
        assertThat(run.counts("conversation").path("dead_lettered").asLong()).as("the 400-byte row is over the limit")
                .isEqualTo(1);
        run.assertAddsUp();
    }

    @Test
    void columnAliasesReachTheSocialMessagesReaderAndThePlan() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home);
        Path map = home.resolve("config/mapping.yaml");
        String withAlias = Files.readString(map, StandardCharsets.UTF_8).replace("column_aliases:\n",
                "column_aliases:\n  social_messages.csv: {message: text}\n");
        assertThat(withAlias).contains("social_messages.csv: {message: text}");
        Files.writeString(map, withAlias, StandardCharsets.UTF_8);
        migrator.drop("clickdesk/social_messages.csv", HEADER.replace(",text,", ",message,")
                + "s1,facebook,ann.fb,Ann,ann@example.com,visitor,,hello from facebook,2025-03-08T09:00:00Z\n");

        Result plan = migrator.run(List.of("plan"));
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.stdout()).containsPattern("(?m)^conversation\\s+1\\s").doesNotContain("missing");

        Result run = migrator.once();
        assertThat(run.exitCode()).isZero();
        assertThat(run.counts("conversation").path("created").asLong()).isEqualTo(1);
        assertThat(home.resolve("inbox/.failed")).doesNotExist();
    }
}
