package io.intercommigrator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropClassifierTest {
    @Test
    void folderDecidesTheSystemAndNamesMatchCaseInsensitivelyWithPrefixes() {
        assertThat(DropClassifier.classify("clickdesk/Visitors.CSV", null, null)).contains(DropKind.CLICKDESK_VISITORS);
        assertThat(DropClassifier.classify("acme_2026-11-01_visitors.csv", null, null)).contains(DropKind.CLICKDESK_VISITORS);
        assertThat(DropClassifier.classify("leaddesk/contacts.csv", null, null)).contains(DropKind.LEADDESK_CONTACTS);
        assertThat(DropClassifier.classify("ticket_messages.csv", null, null)).contains(DropKind.CLICKDESK_TICKET_MESSAGES);
        assertThat(DropClassifier.classify("leaddesk/chatbot_export_2026.zip", null, null)).contains(DropKind.LEADDESK_CHATBOT_EXPORT);
        assertThat(DropClassifier.classify("clickdesk-export.zip", null, null)).contains(DropKind.BUNDLE);
        assertThat(DropClassifier.classify("myvisitors.csv", null, null)).isEmpty();
        assertThat(DropClassifier.classify("notes.txt", null, null)).isEmpty();
        assertThat(DropClassifier.classify("leaddesk/visitors.csv", null, null)).isEmpty();
    }

    @Test
    void agentsCsvInTheInboxRootIsToldApartByItsHeader(@TempDir Path dir) throws Exception {
        Path leaddesk = Files.writeString(dir.resolve("a.csv"), "agent_id;username;name;email;role;office;project_ids;employment\n");
        Path clickdesk = Files.writeString(dir.resolve("b.csv"), "agent_id,name,email,role,departments\n");
        assertThat(DropClassifier.classify("agents.csv", leaddesk, null)).contains(DropKind.LEADDESK_AGENTS);
        assertThat(DropClassifier.classify("agents.csv", clickdesk, null)).contains(DropKind.CLICKDESK_AGENTS);
    }

    @Test
    void phasesPutEverythingAfterWhatItReferences() {
        assertThat(DropKind.LEADDESK_CUSTOM_FIELDS.phase()).isLessThan(DropKind.LEADDESK_CONTACTS.phase());
        assertThat(DropKind.CLICKDESK_AGENTS.phase()).isLessThan(DropKind.CLICKDESK_VISITORS.phase());
        assertThat(DropKind.CLICKDESK_VISITORS.phase()).isLessThan(DropKind.CLICKDESK_CHATS.phase());
        assertThat(DropKind.CLICKDESK_TICKETS.phase()).isLessThan(DropKind.CLICKDESK_TICKET_MESSAGES.phase());
        assertThat(DropKind.CLICKDESK_TICKET_MESSAGES.phase()).isLessThan(DropKind.CLICKDESK_TAGS.phase());
    }
}
