package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

import io.intercommigrator.core.ExitCode;
/** plan → confirm → live run, through the real CLI. */
class TrustCommandsTest {
    private static final String TOKEN = "tok_trust";

    @TempDir
    Path home;
    FakeIntercom intercom;

    @BeforeEach
    void start() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).build().start();
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void planProposesUnknownColumnsConfirmAcceptsThemAndOnlyThenALiveRunMoves() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home);
        StringBuilder csv = new StringBuilder("visitor_id,name,email,plan,seats\n");
        for (int i = 1; i <= 25; i++) {
            csv.append("v").append(i).append(",Visitor ").append(i).append(",v").append(i).append("@example.com,")
                    .append(i % 2 == 0 ? "gold" : "silver").append(",").append(i).append("\n");
        }
        migrator.drop("clickdesk/visitors.csv", csv.toString());
        byte[] before = Files.readAllBytes(migrator.inbox().resolve("clickdesk/visitors.csv"));

        Result plan = migrator.run(List.of("plan"));

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.stdout()).contains("contact", "25", "API calls");
        assertThat(Files.readAllBytes(migrator.inbox().resolve("clickdesk/visitors.csv"))).isEqualTo(before);
        Path proposal = home.resolve("config/mapping.proposed.yaml");
        String proposed = Files.readString(proposal);
        assertThat(proposed).contains("cd_plan", "cd_seats", "integer");
        assertThat(migrator.run(List.of("plan")).exitCode()).isZero();
        assertThat(Files.readString(proposal)).as("deterministic").isEqualTo(proposed);

        // confirm takes the proposal (newer than mapping.yaml)
        Path config = home.resolve("config/mapping.yaml");
        Files.setLastModifiedTime(proposal, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Result confirm = migrator.run(List.of("confirm"));
        assertThat(confirm.exitCode()).isZero();
        MappingConfig confirmed = MappingConfig.load(config);
        assertThat(confirmed.confirmed()).isTrue();
        assertThat(confirmed.clickdesk().extraColumns()).containsKeys("plan", "seats");

        // after a hand edit the map must be confirmed again
        Files.writeString(config, Files.readString(config).replace("strict: false", "strict: true"));
        MigratorHarness edited = liveWithoutConfirming(home);
        Result changed = edited.once();
        assertThat(changed.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(changed.stderr()).contains("changed after it was confirmed");
        assertThat(intercom.requests()).isEmpty();

        assertThat(migrator.run(List.of("confirm")).exitCode()).isZero();
        Result run = liveWithoutConfirming(home).once();
        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).hasSize(25);
        assertThat(intercom.contacts().get(0).path("custom_attributes").has("cd_seats")).isTrue();
    }

    @Test
    void anUnconfirmedMapRefusesALiveRun() {
        MigratorHarness migrator = liveWithoutConfirming(home);
        migrator.drop("clickdesk/visitors.csv", "visitor_id,email\nv1,a@example.com\n");
        Result run = migrator.once();
        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.stderr()).contains("not confirmed", "plan", "confirm");
        assertThat(intercom.requests()).isEmpty();
    }

    /** A live harness on an existing home whose map is left as it is (not confirmed by the harness). */
    private MigratorHarness liveWithoutConfirming(Path dir) {
        MigratorHarness h = MigratorHarness.reuse(dir);
        h.set("migration.mode", "live").set("intercom.base-url", intercom.baseUrl()).set("migration.gdpr-acknowledged", "true");
        h.token(TOKEN);
        return h;
    }
}
