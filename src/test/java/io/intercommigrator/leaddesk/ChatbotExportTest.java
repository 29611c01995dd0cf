package io.intercommigrator.leaddesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.intake.InputRefusedException;
import io.intercommigrator.intake.MalformedRow;
import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.ThreadPlan.Author;
import io.intercommigrator.mapping.ThreadPlan.PartPlan;

class ChatbotExportTest {
    private static final Timestamps HELSINKI = new Timestamps(ZoneId.of("Europe/Helsinki"));
    private static final MappingConfig.LeadDesk CONFIG = new MappingConfig.LeadDesk(null, null, null, null, null);
    private static final String ZIP = "chatbot_export_2026.zip";

    // file order is deliberately not message_index order; "10" sorts after "2" only numerically
    private static final String CONVERSATIONS = """
            conversation_id,message_index,timestamp,sender,message,contact_email,contact_phone
            c1,3,2026-03-01 10:00:30,agent,"Hei, autan mielelläni",,
            c1,1,2026-03-01 10:00:05,user,Haluan vaihtaa liittymää,Maija@Example.fi,+358401
            c1,10,2026-03-01 10:01:00,user,Kiitos,,
            c1,0,2026-03-01 10:00:00,bot,Hei! Miten voin auttaa?,,
            c1,2,2026-03-01 10:00:10,bot,Siirrän sinut asiantuntijalle,,
            c2,0,2026-03-02 10:00:00,user,Aukioloajat?,,+358 50 2
            c3,0,2026-03-02 10:00:00,bot,Hello,,
            """;
    private static final String OUTCOMES = """
            conversation_id,intent,outcome,handed_over
            c1,change_subscription,Handed to agent,true
            c2,opening_hours,Resolved,false
            """;
    private static final String TIMING = """
            conversation_id,started_at,ended_at,duration_s,export_range_start,export_range_end
            c1,2026-03-01 09:59:00,2026-03-01 10:01:00,120,2026-01-01 00:00:00,2026-03-31 00:00:00
            c2,,,,2026-02-01 00:00:00,2026-06-30 23:59:59
            """;
    private static final String AGENT = """
            conversation_id,agent_email,handover_at
            c1,Anna.Agent@Example.fi,2026-03-01 10:00:20
            """;

    @TempDir
    Path dir;

    private void write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private ChatbotExport standardExport() throws IOException {
        write("conversations.csv", CONVERSATIONS);
        write("outcomes.csv", OUTCOMES);
        write("timing.csv", TIMING);
        write("agent.csv", AGENT);
        return ChatbotExport.open(dir, ZIP, HELSINKI);
    }

    @Test
    void sessionKeepsMessageIndexOrderWithTheHandoverNoteInTimeOrder() throws IOException {
        ChatbotExport export = standardExport();
        ContactPlan fallback = export.contactPlan("c1", CONFIG);
        List<ThreadPlan> sessions = export.sessions(id -> export.contactPlan(id, CONFIG));

        assertThat(sessions).extracting(ThreadPlan::key).containsExactly(
                new RecordKey("leaddesk", "conversation", "chatbot-c1"),
                new RecordKey("leaddesk", "conversation", "chatbot-c2"),
                new RecordKey("leaddesk", "conversation", "chatbot-c3"));
        ThreadPlan c1 = sessions.get(0);
        assertThat(c1.kind()).isEqualTo(ThreadPlan.Kind.CONVERSATION);
        assertThat(c1.contact()).isEqualTo(new ThreadPlan.ContactRef(
                new RecordKey("leaddesk", "chatbot-contact", "maija@example.fi"), fallback));
        assertThat(c1.createdAt()).isEqualTo(1772351940L); // timing started_at 2026-03-01 09:59:00 EET
        assertThat(c1.body()).isEqualTo("Haluan vaihtaa liittymää");
        assertThat(c1.parts()).containsExactly(
                new PartPlan("0", Author.ADMIN, null, "Chatbot", true, "[Bot] Hei! Miten voin auttaa?", 1772352000L, List.of()),
                new PartPlan("2", Author.ADMIN, null, "Chatbot", true, "[Bot] Siirrän sinut asiantuntijalle", 1772352010L, List.of()),
                new PartPlan("handover", Author.ADMIN, null, "Chatbot", true,
                        "Handed over to anna.agent@example.fi at 2026-03-01 10:00:20", 1772352020L, List.of()),
                new PartPlan("3", Author.ADMIN, "anna.agent@example.fi", "anna.agent@example.fi", false,
                        "Hei, autan mielelläni", 1772352030L, List.of()),
                new PartPlan("10", Author.CONTACT, null, null, false, "Kiitos", 1772352060L, List.of()));
        assertThat(c1.attributes()).containsExactly(Map.entry("ld_intent", "change_subscription"),
                Map.entry("ld_chatbot_outcome", "Handed to agent"));
        assertThat(c1.attributeTypes()).containsExactly(Map.entry("ld_intent", "string"),
                Map.entry("ld_chatbot_outcome", "string"));
        assertThat(c1.tags()).containsExactly("ld_chatbot_handed_to_agent");
        assertThat(c1.assigneeEmail()).isEqualTo("anna.agent@example.fi");
        assertThat(export.malformed()).isEmpty();
    }

    @Test
    void sessionsWithoutTimingOrUserMessageOrEmailFallBack() throws IOException {
        ChatbotExport export = standardExport();
        List<ThreadPlan> sessions = export.sessions(id -> null);

        ThreadPlan c2 = sessions.get(1);
        assertThat(c2.createdAt()).isEqualTo(1772438400L); // first message, 2026-03-02 10:00:00 EET
        assertThat(c2.body()).isEqualTo("Aukioloajat?");
        assertThat(c2.parts()).isEmpty();
        assertThat(c2.contact().sourceKey()).isEqualTo(new RecordKey("leaddesk", "chatbot-contact", "+358 50 2"));
        assertThat(c2.tags()).containsExactly("ld_chatbot_resolved");
        assertThat(c2.assigneeEmail()).isNull();

        ThreadPlan c3 = sessions.get(2);
        assertThat(c3.body()).isEqualTo("Chatbot conversation c3");
        assertThat(c3.parts()).extracting(PartPlan::body).containsExactly("[Bot] Hello");
        assertThat(c3.contact().sourceKey()).isEqualTo(new RecordKey("leaddesk", "chatbot-contact", "chatbot-c3"));
        assertThat(c3.attributes()).isEmpty();
        assertThat(c3.tags()).isEmpty();
    }

    @Test
    void contactPlanIsAUserWithAnEmailElseALead() throws IOException {
        ChatbotExport export = standardExport();

        ContactPlan c1 = export.contactPlan("c1", CONFIG);
        assertThat(c1.key()).isEqualTo(new RecordKey("leaddesk", "chatbot-contact", "maija@example.fi"));
        assertThat(c1.email()).isEqualTo("maija@example.fi");
        assertThat(c1.payload().toString()).isEqualTo(
                "{\"role\":\"user\",\"external_id\":\"ld-chatbot-maija@example.fi\",\"email\":\"maija@example.fi\",\"phone\":\"+358401\"}");

        ContactPlan c2 = export.contactPlan("c2", CONFIG);
        assertThat(c2.email()).isNull();
        assertThat(c2.payload().toString()).isEqualTo(
                "{\"role\":\"lead\",\"external_id\":\"ld-chatbot-+358 50 2\",\"phone\":\"+358 50 2\"}");

        ContactPlan c3 = export.contactPlan("c3", CONFIG);
        assertThat(c3.key()).isEqualTo(new RecordKey("leaddesk", "chatbot-contact", "chatbot-c3"));
        assertThat(c3.payload().toString()).isEqualTo("{\"role\":\"lead\",\"external_id\":\"ld-chatbot-chatbot-c3\"}");
    }

    @Test
    void exportRangeIsTheUnionOfTheTimingRowsAndMustCoverTheMigration() throws IOException {
        ChatbotExport export = standardExport();
        assertThat(export.exportRangeStart()).isEqualTo(Instant.parse("2025-12-31T22:00:00Z"));
        assertThat(export.exportRangeEnd()).isEqualTo(Instant.parse("2026-06-30T20:59:59Z"));

        export.requireCovers(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
        assertThatThrownBy(() -> export.requireCovers(Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("chatbot_export_2026.zip: refused, the chatbot export covers only 2025-12-31T22:00:00Z.."
                        + "2026-06-30T20:59:59Z, the migration range is 2025-06-01T00:00:00Z..2026-06-01T00:00:00Z."
                        + " Re-export the full range from LeadDesk Chatbot Studio before closing the LeadDesk account:"
                        + " older chatbot history cannot be recovered later.");
        assertThatThrownBy(() -> export.requireCovers(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z")))
                .isInstanceOf(InputRefusedException.class).hasMessageContaining("covers only");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        write("conversations.csv", CONVERSATIONS);
        write("outcomes.csv", OUTCOMES);
        write("agent.csv", AGENT);
        write("__MACOSX/timing.csv", TIMING);
        write(".hidden/timing.csv", TIMING);

        assertThatThrownBy(() -> ChatbotExport.open(dir, ZIP, HELSINKI))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("chatbot_export_2026.zip: refused, the chatbot export must hold conversations.csv,"
                        + " outcomes.csv, timing.csv and agent.csv; missing: [timing.csv]");
    }

    @Test
    void prefixedAndNestedNamesAreFoundCaseInsensitively() throws IOException {
        write("export/ACME_Conversations.CSV", CONVERSATIONS);
        write("export/acme-2026-03-outcomes.csv", OUTCOMES);
        write("Acme Timing.csv", TIMING);
        write("deep/er/AGENT.csv", AGENT);
        write("export/notes.txt", "ignored");

        ChatbotExport export = ChatbotExport.open(dir, ZIP, HELSINKI);
        assertThat(export.conversationIds()).containsExactly("c1", "c2", "c3");
        assertThat(export.sessions(id -> null).get(0).assigneeEmail()).isEqualTo("anna.agent@example.fi");
    }

    @Test
    void missingColumnRefusesNamingTheFile() throws IOException {
        write("conversations.csv", CONVERSATIONS);
        write("outcomes.csv", "conversation_id,intent,outcome\nc1,x,y\n");
        write("timing.csv", TIMING);
        write("agent.csv", AGENT);

        assertThatThrownBy(() -> ChatbotExport.open(dir, ZIP, HELSINKI))
                .isInstanceOf(InputRefusedException.class)
                .hasMessageStartingWith("chatbot_export_2026.zip!outcomes.csv: missing required column(s) [handed_over]");
    }

    @Test
    void aMessageIndexExportedTwiceWithTheSameContentIsOnePart() throws IOException {
        write("conversations.csv", """
                conversation_id,message_index,timestamp,sender,message,contact_email,contact_phone
                b1,1,2026-03-01 10:00:00,user,hi bot,ann@example.fi,
                b1,2,2026-03-01 10:00:05,bot,hello human,,
                b1,2,2026-03-01 10:00:05,bot,hello human,,
                b1,2,2026-03-01 10:00:06,bot,anything else?,,
                b1,1,2026-03-01 10:00:00,user,hi bot,ann@example.fi,
                b1,3,2026-03-01 10:00:09,user,no thanks,,
                """);
        write("outcomes.csv", "conversation_id,intent,outcome,handed_over\n");
        write("timing.csv", TIMING);
        write("agent.csv", AGENT);

        ThreadPlan b1 = ChatbotExport.open(dir, ZIP, HELSINKI).sessions(id -> null).get(0);

        assertThat(b1.body()).isEqualTo("hi bot");
        // the repeat of index 2 with other content still moves, under the key "2#3" it has always had
        assertThat(b1.parts()).containsExactly(
                new PartPlan("2", Author.ADMIN, null, "Chatbot", true, "[Bot] hello human", 1772352005L, List.of()),
                new PartPlan("2#3", Author.ADMIN, null, "Chatbot", true, "[Bot] anything else?", 1772352006L, List.of()),
                new PartPlan("3", Author.CONTACT, null, null, false, "no thanks", 1772352009L, List.of()));
        assertThat(b1.leftOff()).as("each repeat is named, to be counted as a skipped part").extracting(v -> v.column())
                .containsExactly("conversation b1 message_index 1", "conversation b1 message_index 2");
        assertThat(b1.leftOff()).allSatisfy(v -> assertThat(v.reason()).contains("exported twice"));
    }

    @Test
    void malformedRowsAreCollectedAndTheRestIsUsed() throws IOException {
        write("conversations.csv", CONVERSATIONS + "c1,x,2026-03-01 10:02:00,user,Bad index,,\n"
                + "c1,11,2026-03-01 10:02:00,user,\"never closed,,\n");
        write("outcomes.csv", OUTCOMES);
        write("timing.csv", TIMING);
        write("agent.csv", AGENT);

        ChatbotExport export = ChatbotExport.open(dir, ZIP, HELSINKI);
        assertThat(export.malformed()).extracting(MalformedRow::file, MalformedRow::line, MalformedRow::column)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("chatbot_export_2026.zip!conversations.csv", 9L, 2),
                        org.assertj.core.groups.Tuple.tuple("chatbot_export_2026.zip!conversations.csv", 10L, 5));
        assertThat(export.malformed().get(0).reason()).isEqualTo("message_index 'x' is not a whole number");
        assertThat(export.sessions(id -> null).get(0).parts()).hasSize(5);
    }

    /** Past the grouping buffer (20,000 rows) the malformed rows spill to disk too, and come back all, in file order. */
    @Test
    void manyMalformedRowsComeBackInFileOrderAndTheirSpillIsDeleted() throws IOException {
        StringBuilder conversations = new StringBuilder(CONVERSATIONS);
        int bad = 25_000;
        for (int i = 0; i < bad; i++) {
            conversations.append("c1,x").append(i).append(",2026-03-01 10:02:00,user,Bad index,,\n");
        }
        write("conversations.csv", conversations.toString());
        write("outcomes.csv", OUTCOMES);
        write("timing.csv", TIMING);
        write("agent.csv", AGENT);

        try (ChatbotExport export = ChatbotExport.open(dir, ZIP, HELSINKI)) {
            try (Stream<Path> files = Files.walk(dir)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("run-"))).as("spilled").isNotEmpty();
            }
            List<MalformedRow> rows = export.malformed();
            assertThat(rows).hasSize(bad);
            assertThat(rows).extracting(MalformedRow::line).isSorted().doesNotHaveDuplicates();
            assertThat(rows.get(bad - 1).reason()).isEqualTo("message_index 'x" + (bad - 1) + "' is not a whole number");
            assertThat(export.sessions(id -> null).get(0).parts()).hasSize(5);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(".spill-"))).as("spill deleted").isEmpty();
        }
    }
}
