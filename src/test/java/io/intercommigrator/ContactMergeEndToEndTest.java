package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * A visitor's VoIP call dropped before anything else makes a lead by the visitor's id; its social thread then makes
 * a user by its email. When the visitor's chat or own row meets both, the lead is merged into the user
 * (POST /contacts/merge), so the visitor ends as one contact carrying its call on its chat, as when visitors.csv
 * comes first: also when the merge is applied and its answer lost (the retry meets 410 and points the ledger the
 * same way) and is not sent again. Before the merge the chat and the visitor's row were dead-lettered with a 409 and the call stayed on a
 * lead of its own (DropOrderPermutationEndToEndTest's reverse order).
 */
class ContactMergeEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_contact_merge";

    @Override
    protected String token() {
        return TOKEN;
    }

    @Test
    void aLeadMadeByAVisitorsCallIsMergedIntoTheUserItsEmailMadeEvenWhenTheMergesAnswerIsLost() {
        Map<String, byte[]> files = DropOrderPermutationEndToEndTest.clickdesk();
        intercom.faultsOnlyFor("POST", "/contacts/merge").ambiguousNext(1); // applied, then 502
        for (String name : List.of("voip_calls.csv", "social_messages.csv", "chats.json", "visitors.csv")) {
            migrator.drop("clickdesk/" + name, files.get(name));
            Result run = migrator.once();
            assertThat(run.exitCode()).as(name).isZero();
            run.assertAddsUp();
        }

        List<ObjectNode> anna = intercom.contacts().stream()
                .filter(c -> "anna@example.de".equals(c.path("email").asText())
                        || "v1".equals(c.path("external_id").asText())).toList();
        assertThat(anna).as("one contact for visitor v1").hasSize(1);
        assertThat(anna.get(0).path("role").asText() + " " + anna.get(0).path("external_id").asText() + " "
                + anna.get(0).path("phone").asText()).isEqualTo("user v1 +49 1");
        assertThat(intercom.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/contacts/merge")))
                .as("the merge, sent once").hasSize(1);
        assertThat(intercom.requests().stream().filter(r -> r.status() == 410))
                .as("the retry after the lost answer finds the lead merged (410) instead of merging again").isNotEmpty();

        List<ObjectNode> withCall = intercom.conversations().stream()
                .filter(c -> c.toString().contains("Phone call (inbound)")).toList();
        assertThat(withCall).as("the call's note, on one conversation").hasSize(1);
        assertThat(withCall.get(0).toString()).as("the chat whose span holds the call").contains("Hallo, meine Rechnung?");
        assertThat(migrator.deadLetters()).as("dead letters").isEmpty();
        assertThat(intercom.duplicateEmails()).isEmpty();
    }
}
