package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/** replay through the real CLI: dead letters re-delivered once, references resolved when their object arrives. */
class ReplayEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_replay";

    @Override
    protected String token() {
        return TOKEN;
    }

    @Test
    void replayTwiceDeliversOnce() {
        intercom.faultsOnlyFor("POST", "/contacts").failNext(1, 400);
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email\nv1,Anna,anna@example.de\nv2,Bob,bob@example.com\n"
                + "v3,Bad,\"broken\n");
        Result run = migrator.once();
        assertThat(intercom.contacts()).hasSize(1);
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isEqualTo(2);

        Result replay = migrator.run(List.of("replay"));

        assertThat(replay.exitCode()).isZero();
        assertThat(replay.stdout()).contains("1 delivered", "0 failed again", "1 pending", "correct the file");
        assertThat(intercom.contacts()).hasSize(2);

        int requests = intercom.requests().size();
        Result again = migrator.run(List.of("replay"));
        assertThat(again.stdout()).contains("0 delivered", "1 already handled");
        assertThat(intercom.requests().subList(requests, intercom.requests().size()))
                .noneSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
        assertThat(intercom.contacts()).hasSize(2);
        assertThat(intercom.duplicateEmails()).isEmpty();
    }

    @Test
    void aTagDroppedBeforeItsContactIsAppliedWhenTheContactArrives() {
        migrator.drop("clickdesk/tags.csv", "tag,object_type,object_id\nVIP,visitor,v1\n");
        Result first = migrator.once();
        assertThat(first.counts("tag").path("dead_lettered").asLong()).isEqualTo(1);
        assertThat(migrator.deadLetters().get(0).path("error").path("stage").asText()).isEqualTo("reference");

        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email\nv1,Anna,anna@example.de\n");
        Result second = migrator.once();

        assertThat(second.exitCode()).isZero();
        assertThat(intercom.contacts()).singleElement().satisfies(c -> assertThat(c.path("tags").toString()).contains("VIP"));
        assertThat(second.counts("tag").path("created").asLong()).isEqualTo(1);
        second.assertAddsUp();
    }
}
