package io.intercommigrator.leaddesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;

class CallRecordToConversationTest {
    private final CallRecordToConversation mapper = new CallRecordToConversation(
            new MappingConfig.LeadDesk(null, null, null, null, null), new Timestamps(ZoneId.of("Europe/Helsinki")),
            new DispositionTaxonomy(Map.of("r5", "No answer"), Map.of("o1", "Won", "o2", "Lost")),
            Map.of("12", " Anna.Agent@Example.FI", "13", "")::get);

    private static Map<String, String> call(String talkStart) {
        return row("id", "9001", "contact_id", "5001", "agent_id", "12", "agent_username", "anna.agent",
                "campaign", "c7", "campaign_name", "Kevät-kampanja 2026", "direction", "outbound",
                "talk_start", talkStart, "talk_end", "", "talk_time", "125", "call_ending_reason", "r3",
                "call_ending_reason_name", "Sale made", "outcome", "Won", "record_file", "https://rec.example/9001.mp3",
                "comment", "Asiakas soittaa takaisin", "created_at", "2026-03-29 02:29:00");
    }

    @Test
    void callBecomesAConversationWithASummaryNote() {
        ThreadPlan plan = mapper.map(call("2026-03-29 02:30:00"));

        assertThat(plan.key()).isEqualTo(new RecordKey("leaddesk", "conversation", "call-9001"));
        assertThat(plan.kind()).isEqualTo(ThreadPlan.Kind.CONVERSATION);
        assertThat(plan.contact()).isEqualTo(new ThreadPlan.ContactRef(new RecordKey("leaddesk", "contact", "5001"), null));
        assertThat(plan.createdAt()).isEqualTo(1774744200L);
        assertThat(plan.body()).isEqualTo("Call outbound with anna.agent — Sale made");
        assertThat(plan.parts()).containsExactly(new ThreadPlan.PartPlan("summary", ThreadPlan.Author.ADMIN,
                "anna.agent@example.fi", "anna.agent", true, """
                Direction: outbound
                Talk time: 2:05 (125 s)
                Agent: anna.agent
                Result: Sale made
                Outcome: Won
                Recording: https://rec.example/9001.mp3
                Comment: Asiakas soittaa takaisin""", 1774744200L, List.of()));
        assertThat(plan.attributes()).containsExactly(Map.entry("ld_disposition", "Sale made"), Map.entry("ld_outcome", "Won"),
                Map.entry("ld_recording_url", "https://rec.example/9001.mp3"), Map.entry("ld_talk_time_seconds", 125L),
                Map.entry("ld_campaign", "Kevät-kampanja 2026"));
        assertThat(plan.attributeTypes()).containsExactly(Map.entry("ld_disposition", "string"),
                Map.entry("ld_outcome", "string"), Map.entry("ld_recording_url", "string"),
                Map.entry("ld_talk_time_seconds", "integer"), Map.entry("ld_campaign", "string"));
        assertThat(plan.tags()).containsExactly("ld_disposition_sale_made", "ld_outcome_won",
                "ld_campaign_kevat_kampanja_2026");
        assertThat(plan.assigneeEmail()).as("agent 12's email from agents.csv, in the form admins are matched in")
                .isEqualTo("anna.agent@example.fi");
    }

    @Test
    void agentWithoutAnEmailInAgentsCsvIsNamedInTheNoteOnly() {
        for (String agentId : List.of("13", "99", "")) {
            Map<String, String> row = call("2026-03-29 02:30:00");
            row.put("agent_id", agentId);
            ThreadPlan plan = mapper.map(row);

            assertThat(plan.assigneeEmail()).as("agent_id '" + agentId + "'").isNull();
            assertThat(plan.parts()).singleElement().satisfies(p -> {
                assertThat(p.adminEmail()).isNull();
                assertThat(p.adminName()).isEqualTo("anna.agent");
                assertThat(p.body()).contains("Agent: anna.agent");
            });
        }
    }

    @Test
    void helsinkiLocalTimesAcrossTheSpringForwardGiveExactUtcSeconds() {
        // 2026-03-29: Helsinki clocks jump 03:00 EET → 04:00 EEST
        assertThat(mapper.map(call("2026-03-29 02:30:00")).createdAt()).isEqualTo(1774744200L); // 00:30 UTC
        assertThat(mapper.map(call("2026-03-29 02:59:00")).createdAt()).isEqualTo(1774745940L); // 00:59 UTC
        assertThat(mapper.map(call("2026-03-29 04:30:00")).createdAt()).isEqualTo(1774747800L); // 01:30 UTC
        // 03:30 does not exist that day: shifted forward one hour to 04:30 EEST
        assertThat(mapper.map(call("2026-03-29 03:30:00")).createdAt()).isEqualTo(1774747800L);
        assertThat(mapper.map(call("2026-03-29 04:30:00")).parts().get(0).createdAt()).isEqualTo(1774747800L);
    }

    @Test
    void dispositionNameComesFromTheResultTaxonomyAndBlankLinesAreLeftOut() {
        ThreadPlan plan = mapper.map(row("id", "9002", "contact_id", "5002", "agent_username", "ville",
                "direction", "inbound", "talk_start", "", "created_at", "2026-03-01 10:00:00", "talk_time", "59",
                "call_ending_reason", "r5", "call_ending_reason_name", ""));

        assertThat(plan.createdAt()).isEqualTo(1772352000L);
        assertThat(plan.body()).isEqualTo("Call inbound with ville — No answer");
        assertThat(plan.parts().get(0).body()).isEqualTo("Direction: inbound\nTalk time: 0:59 (59 s)\nAgent: ville\nResult: No answer");
        assertThat(plan.parts().get(0).createdAt()).isEqualTo(1772352000L);
        assertThat(plan.attributes()).containsExactly(Map.entry("ld_disposition", "No answer"),
                Map.entry("ld_talk_time_seconds", 59L));
        assertThat(plan.tags()).containsExactly("ld_disposition_no_answer");
    }

    @Test
    void unknownResultIdIsKeptAsTheDisposition() {
        ThreadPlan plan = mapper.map(row("id", "9003", "contact_id", "5003", "talk_start", "2026-03-01 10:00:00",
                "call_ending_reason", "r99", "campaign", "c8"));
        assertThat(plan.attributes()).containsExactly(Map.entry("ld_disposition", "r99"));
        assertThat(plan.tags()).containsExactly("ld_disposition_r99", "ld_campaign_c8");
        assertThat(plan.body()).isEqualTo("Call — r99");
    }

    @Test
    void dispositionAndOutcomeAreWrittenAsTheTaxonomyNamesThem() {
        ThreadPlan byName = mapper.map(row("id", "9008", "contact_id", "5003", "talk_start", "2026-03-01 10:00:00",
                "call_ending_reason_name", "NO ANSWER", "outcome", "won"));
        assertThat(byName.attributes()).containsExactly(Map.entry("ld_disposition", "No answer"), Map.entry("ld_outcome", "Won"));
        assertThat(byName.tags()).containsExactly("ld_disposition_no_answer", "ld_outcome_won");

        ThreadPlan byId = mapper.map(row("id", "9009", "contact_id", "5003", "talk_start", "2026-03-01 10:00:00",
                "call_ending_reason", "r5", "outcome", "o2"));
        assertThat(byId.attributes()).containsExactly(Map.entry("ld_disposition", "No answer"), Map.entry("ld_outcome", "Lost"));
        assertThat(byId.tags()).containsExactly("ld_disposition_no_answer", "ld_outcome_lost");

        ThreadPlan unknown = mapper.map(row("id", "9010", "contact_id", "5003", "talk_start", "2026-03-01 10:00:00",
                "call_ending_reason_name", "Voicemail", "outcome", "maybe later"));
        assertThat(unknown.attributes()).as("values outside the taxonomy pass as they are")
                .containsExactly(Map.entry("ld_disposition", "Voicemail"), Map.entry("ld_outcome", "maybe later"));
        assertThat(unknown.tags()).containsExactly("ld_disposition_voicemail", "ld_outcome_maybe_later");
    }

    @Test
    void missingIdsAndBadValuesNameTheColumn() {
        assertThatThrownBy(() -> mapper.map(row("id", "9004", "contact_id", "", "talk_start", "2026-03-01 10:00:00")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("contact_id"));
        assertThatThrownBy(() -> mapper.map(row("id", " ", "contact_id", "1", "talk_start", "2026-03-01 10:00:00")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("id"));
        assertThatThrownBy(() -> mapper.map(row("id", "9005", "contact_id", "1", "talk_start", "29/03/2026")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> {
                    assertThat(e.column()).isEqualTo("talk_start");
                    assertThat(e.stage()).isEqualTo("validate");
                });
        ThreadPlan badTalkTime = mapper.map(row("id", "9006", "contact_id", "1", "talk_start", "2026-03-01 10:00:00",
                "talk_time", "2:05"));
        assertThat(badTalkTime.attributes()).as("a talk time that is no number costs the field, not the call")
                .doesNotContainKey("ld_talk_time_seconds");
        assertThat(badTalkTime.leftOff()).singleElement().satisfies(v -> {
            assertThat(v.column()).isEqualTo("talk_time");
            assertThat(v.value()).isEqualTo("2:05");
        });
        assertThatThrownBy(() -> mapper.map(row("id", "9007", "contact_id", "1")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("talk_start"));
    }
}
