package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

import io.intercommigrator.core.ExitCode;
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
    /**
     * A social thread's and a chatbot session's dead letters hold only their id: replay rebuilds them from the handled
     * file in inbox/.done/ (a re-drop of the file is skipped by its SHA-256), once, and a second replay sends nothing.
     */
    @Test
    void socialThreadsAndChatbotSessionsAreReplayedFromTheirHandledFile() throws Exception {
        migrator.drop("clickdesk/social_messages.csv", """
                thread_id,network,handle,name,email,author_type,agent_email,text,created_at
                s1,facebook,anna.fb,Anna Müller,anna@example.de,visitor,,Hi from Facebook,2025-03-08T09:00:00Z
                s1,facebook,anna.fb,Anna Müller,anna@example.de,agent,,Hello Anna,2025-03-08T09:05:00Z
                """);
        migrator.drop("leaddesk/chatbot_export_2026.zip", BundleZips.zip(LeadDeskEndToEndTest.chatbot(true)));
        // every conversation create fails, under the outage threshold each time: both records are dead-lettered
        intercom.faultsOnlyFor("POST", "/conversations").serverErrorRate(1.0);
        Result run = migrator.set("delivery.max-retries", "1").once();
        assertThat(run.exitCode()).isZero();
        assertThat(run.counts("conversation").path("dead_lettered").asLong()).isEqualTo(2);
        assertThat(intercom.conversations()).isEmpty();
        intercom.serverErrorRate(0);

        Result replay = migrator.run(List.of("replay"));

        assertThat(replay.exitCode()).isZero();
        assertThat(replay.stdout()).contains("2 delivered", "0 failed again", "0 pending");
        assertThat(intercom.conversations()).hasSize(2);
        assertThat(intercom.duplicateConversations()).isEmpty();
        int requests = intercom.requests().size();
        assertThat(migrator.run(List.of("replay")).stdout()).contains("0 delivered", "2 already handled");
        assertThat(intercom.requests().subList(requests, intercom.requests().size()))
                .noneSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
    }
    /** The GDPR guard also holds for a dead letter replayed later: an EU resident's letter stays pending (exit 3). */
    @Test
    void aDeadLetterOfAnEuResidentIsNotReplayedIntoAUsWorkspace() {
        intercom.faultsOnlyFor("POST", "/contacts").failNext(1, 400);
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email,country_code\nv1,Anna,anna@example.de,DE\n");
        Result run = migrator.once(); // acknowledged, as the harness runs
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isEqualTo(1);

        Result replay = migrator.set("migration.gdpr-acknowledged", "false").run(List.of("replay"));

        assertThat(replay.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(replay.stdout()).contains("0 delivered", "1 pending", "GDPR guard", "country DE");
        assertThat(intercom.contacts()).isEmpty();
        assertThat(migrator.set("migration.gdpr-acknowledged", "true").run(List.of("replay")).stdout()).contains("1 delivered");
        assertThat(intercom.contacts()).hasSize(1);
    }
}
