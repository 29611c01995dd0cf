package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Who owns a contact's fields (mapping.md): its own record (visitors.csv, contacts.csv, leads.csv). Thread files
 * (chats, social, offline messages, VoIP, chatbot sessions, call records) fill a field that is empty and never
 * overwrite one, whichever file arrives first: a thread first, then the contact's file → the record's values win and
 * the thread's stay where the record has none; the contact's file first → the thread only fills what is empty.
 */
class ContactFieldOwnershipEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_owner";

    // Anna has everything; José has no phone and no social_source
    static final String VISITORS = """
            visitor_id,name,email,phone,social_source
            v1,Anna Müller,anna@example.de,+49 1,Twitter
            v2,José Álvarez,jose@example.es,,
            """;
    // José's chat calls him otherwise; Anna has no chat (her contact is met first by email, from other threads)
    static final String CHATS = """
            {"session": [
              {"chat_id": "c2", "visitor_id": "v2", "name": "Jose (chat)", "email": "jose@example.es", "start_time": "1741000000000",
               "messages": [{"time": "1741000000000", "from": "visitor", "text": "Hola"}]}
            ]}
            """;
    static final String SOCIAL = """
            thread_id,network,handle,name,email,author_type,agent_email,text,created_at
            s1,facebook,anna.fb,Anna FB,anna@example.de,visitor,,Hi from Facebook,2025-03-08T09:00:00Z
            s2,facebook,jose.fb,Jose FB,jose@example.es,visitor,,Hola from Facebook,2025-03-08T10:00:00Z
            """;
    // o1 knows Anna by email only, with another name and phone; o2 is José's (visitor_id v2) and brings his phone
    static final String OFFLINE = """
            message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at
            o1,,A. Offline,anna@example.de,+49 999,,Call me,https://acme.test,2025-03-07 08:00:00
            o2,v2,J. Offline,jose@example.es,+34 2,,Llámame,https://acme.test,2025-03-07 09:00:00
            """;

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("owner@acme.test", "Owner");
    }

    private JsonNode contact(String email) {
        List<com.fasterxml.jackson.databind.node.ObjectNode> all = intercom.contacts().stream()
                .filter(c -> email.equals(c.path("email").asText())).toList();
        assertThat(all).as("one contact with " + email).hasSize(1);
        return all.get(0);
    }

    private static String fields(JsonNode c, String... custom) {
        StringBuilder b = new StringBuilder(c.path("name").asText() + " | " + c.path("phone").asText() + " | "
                + c.path("external_id").asText());
        for (String attribute : custom) {
            b.append(" | ").append(c.path("custom_attributes").path(attribute).asText());
        }
        return b.toString();
    }

    private void assertClickDeskOwnership() {
        assertThat(fields(contact("anna@example.de"), "cd_original_visitor_id", "social_source"))
                .as("Anna: every field from visitors.csv")
                .isEqualTo("Anna Müller | +49 1 | v1 | v1 | twitter");
        assertThat(fields(contact("jose@example.es"), "cd_original_visitor_id", "social_source"))
                .as("José: name from visitors.csv; phone and social_source, empty there, filled by his threads")
                .isEqualTo("José Álvarez | +34 2 | v2 | v2 | facebook");
        assertThat(intercom.duplicateEmails()).isEmpty();
    }

    @Test
    void clickDeskVisitorsFirstThenThreadsFillOnlyEmptyFields() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        assertThat(migrator.once().exitCode()).isZero();
        migrator.drop("clickdesk/chats.json", CHATS);
        migrator.drop("clickdesk/social_messages.csv", SOCIAL);
        migrator.drop("clickdesk/offline_messages.csv", OFFLINE);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertClickDeskOwnership();
        run.assertAddsUp();

        // a delta of visitors.csv still updates the record's own fields; the threads' fill stays where it has none
        migrator.drop("clickdesk/visitors.csv", VISITORS.replace("Anna Müller", "Anna Schmidt"));
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(fields(contact("anna@example.de"))).isEqualTo("Anna Schmidt | +49 1 | v1");
        assertThat(fields(contact("jose@example.es"), "social_source")).isEqualTo("José Álvarez | +34 2 | v2 | facebook");
    }

    @Test
    void clickDeskThreadsFirstThenVisitorsOwnValuesWinAndTheThreadsFillTheRest() {
        migrator.drop("clickdesk/chats.json", CHATS);
        migrator.drop("clickdesk/social_messages.csv", SOCIAL);
        migrator.drop("clickdesk/offline_messages.csv", OFFLINE);
        assertThat(migrator.once().exitCode()).isZero();
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertClickDeskOwnership();
        run.assertAddsUp();

        // the same threads again in a later export (new content, so not skipped as a re-drop): still nothing overwritten
        migrator.drop("clickdesk/social_messages.csv", SOCIAL + "s3,twitter,@anna,Anna X,anna@example.de,visitor,,DM,2025-03-09T10:00:00Z\n");
        assertThat(migrator.once().exitCode()).isZero();
        assertClickDeskOwnership();
    }

    // ---- LeadDesk ------------------------------------------------------------------------------------------------

    static final String CONTACTS = """
            contact_id;fname;lname;phone;email
            5001;Matti;Meikäläinen;+358 40 1;matti@example.fi
            """;
    static final String LEADS = """
            lead_id;fname;lname;phone;email;status;outcome;campaign_id;office;sponsor;company_id;created_at
            L1;Liisa;Virtanen;;liisa@example.fi;new;;;;;;2026-03-01 09:00:00
            """;
    static final String CALLS = """
            id;contact_id;agent_id;agent_username;campaign;campaign_name;direction;talk_start;talk_end;talk_time;call_ending_reason;call_ending_reason_name;outcome;record_file;comment;created_at
            k1;5001;;;;;outbound;2026-03-29 02:30:00;2026-03-29 02:32:05;125;;;;;;2026-03-29 02:30:00
            """;

    /** Sessions of Matti (another phone) and Liisa (a phone her lead row has not). */
    static byte[] chatbotExport() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("conversations.csv", """
                conversation_id;message_index;timestamp;sender;message;contact_email;contact_phone
                b1;1;2026-03-29 02:59:50;user;Hei;matti@example.fi;+358 99 9
                b2;1;2026-03-29 03:59:50;user;Moi;liisa@example.fi;+358 44 4
                """);
        files.put("outcomes.csv", "conversation_id;intent;outcome;handed_over\nb1;billing;resolved;false\nb2;billing;resolved;false\n");
        files.put("timing.csv", "conversation_id;started_at;ended_at;duration_s;export_range_start;export_range_end\n"
                + "b1;2026-03-29 02:59:50;2026-03-29 03:00:00;10;2024-01-01 00:00:00;2026-11-01 00:00:00\n"
                + "b2;2026-03-29 03:59:50;2026-03-29 04:00:00;10;2024-01-01 00:00:00;2026-11-01 00:00:00\n");
        files.put("agent.csv", "conversation_id;agent_email;handover_at\n");
        return BundleZips.zip(files);
    }

    private void assertLeadDeskOwnership() {
        assertThat(fields(contact("matti@example.fi"), "ld_contact_id")).as("Matti: every field from contacts.csv")
                .isEqualTo("Matti Meikäläinen | +358 40 1 | ld-contact-5001 | 5001");
        assertThat(fields(contact("liisa@example.fi"), "ld_lead_status"))
                .as("Liisa: leads.csv's fields; the phone it has not, from her chatbot session")
                .isEqualTo("Liisa Virtanen | +358 44 4 | ld-lead-L1 | new");
        assertThat(intercom.conversations()).as("the call and the two sessions").hasSize(3);
        assertThat(intercom.duplicateEmails()).isEmpty();
    }

    @Test
    void leadDeskContactsFirstThenChatbotAndCallsFillOnlyEmptyFields() throws Exception {
        migrator.drop("leaddesk/contacts.csv", CONTACTS.getBytes(StandardCharsets.UTF_8));
        migrator.drop("leaddesk/leads.csv", LEADS.getBytes(StandardCharsets.UTF_8));
        assertThat(migrator.once().exitCode()).isZero();
        migrator.drop("leaddesk/chatbot_export_2026.zip", chatbotExport());
        migrator.drop("leaddesk/call_records.csv", CALLS.getBytes(StandardCharsets.UTF_8));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertLeadDeskOwnership();
        run.assertAddsUp();
    }

    @Test
    void leadDeskChatbotAndCallsFirstThenContactsOwnValuesWin() throws Exception {
        migrator.drop("leaddesk/chatbot_export_2026.zip", chatbotExport());
        migrator.drop("leaddesk/call_records.csv", CALLS.getBytes(StandardCharsets.UTF_8)); // waits for its contact
        assertThat(migrator.once().exitCode()).isZero();
        migrator.drop("leaddesk/contacts.csv", CONTACTS.getBytes(StandardCharsets.UTF_8));
        migrator.drop("leaddesk/leads.csv", LEADS.getBytes(StandardCharsets.UTF_8));

        Result run = migrator.once(); // its end retries the call's letter: the contact is there now

        assertThat(run.exitCode()).isZero();
        assertLeadDeskOwnership();
    }
}
