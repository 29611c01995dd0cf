package io.intercommigrator.clickdesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.TagApplication;
import io.intercommigrator.mapping.ThreadPlan;

/** The ClickDesk social, VoIP and tags.csv rows of mapping.md, one mapper each. */
class SocialVoipTagMappersTest {
    private final VisitorToContact visitors = new VisitorToContact(
            new MappingConfig.ClickDesk(null, null, null, null, null, null, null), Timestamps.utc());

    @Test
    void socialThreadIsOneConversationInTimeOrderWithItsChannel() {
        ThreadPlan plan = new SocialThreadToConversation(Timestamps.utc()).map("s1", List.of(
                row("thread_id", "s1", "network", "facebook", "handle", "anna.fb", "name", "Anna", "email", "Anna@Example.DE",
                        "author_type", "visitor", "text", "second", "created_at", "2025-03-08T09:10:00Z"),
                row("thread_id", "s1", "network", "facebook", "author_type", "agent", "agent_email", "sam@acme.test",
                        "name", "Sam", "text", "reply", "created_at", "2025-03-08T09:05:00Z"),
                row("thread_id", "s1", "network", "facebook", "handle", "anna.fb", "email", "anna@example.de",
                        "author_type", "visitor", "text", "first", "created_at", "2025-03-08T09:00:00Z")));

        assertThat(plan.key()).isEqualTo(new RecordKey("clickdesk", "conversation", "social-s1"));
        assertThat(plan.createdAt()).isEqualTo(1741424400L);
        assertThat(plan.body()).isEqualTo("first");
        assertThat(plan.parts()).extracting(ThreadPlan.PartPlan::body, ThreadPlan.PartPlan::author)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reply", ThreadPlan.Author.ADMIN),
                        org.assertj.core.groups.Tuple.tuple("second", ThreadPlan.Author.CONTACT));
        assertThat(plan.attributes()).containsEntry("cd_channel_source", "Facebook");
        assertThat(plan.contact().fallback().email()).isEqualTo("anna@example.de");
        assertThat(plan.contact().fallback().payload().path("role").asText()).isEqualTo("user");
        assertThat(plan.assigneeEmail()).isEqualTo("sam@acme.test");
    }

    @Test
    void socialThreadWithoutEmailIsALeadKeyedOnNetworkAndHandle() {
        ThreadPlan plan = new SocialThreadToConversation(Timestamps.utc()).map("s2", List.of(
                row("thread_id", "s2", "network", "twitter", "handle", "@kari", "author_type", "visitor", "text", "DM",
                        "created_at", "2025-03-08T10:00:00Z")));
        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "social-contact", "twitter:@kari"));
        assertThat(plan.contact().fallback().payload().path("role").asText()).isEqualTo("lead");
        assertThat(plan.attributes()).containsEntry("cd_channel_source", "Twitter");
    }

    @Test
    void aSocialRowExportedTwiceIsOneMessageAndTheOthersKeepTheirPosition() {
        Map<String, String> hi = row("thread_id", "s1", "network", "facebook", "handle", "annfb", "name", "Ann",
                "email", "ann@x.com", "author_type", "visitor", "agent_email", "", "text", "fb hi", "created_at", "2026-03-01T09:30:00Z");
        Map<String, String> reply = row("thread_id", "s1", "network", "facebook", "handle", "", "name", "Sam", "email", "",
                "author_type", "agent", "agent_email", "sam@acme.test", "text", "hello Ann", "created_at", "2026-03-01T09:31:00Z");
        SocialThreadToConversation mapper = new SocialThreadToConversation(Timestamps.utc());

        ThreadPlan opening = mapper.map("s1", List.of(hi, hi));
        assertThat(opening.body()).isEqualTo("fb hi");
        assertThat(opening.parts()).as("the repeated opening row is not a comment").isEmpty();
        assertThat(opening.leftOff()).as("but it is named, to be counted as a skipped part").singleElement()
                .satisfies(v -> assertThat(v.reason()).isEqualTo("the same message as row 1 (exported twice)"));

        Map<String, String> otherText = new java.util.LinkedHashMap<>(reply);
        otherText.put("text", "anything else?");
        ThreadPlan thread = mapper.map("s1", List.of(hi, reply, hi, reply, otherText));
        assertThat(thread.body()).isEqualTo("fb hi");
        assertThat(thread.parts()).extracting(ThreadPlan.PartPlan::partKey, ThreadPlan.PartPlan::body).as(
                "positions of the rows that move are the keys they always had; a different text at the same time moves")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", "hello Ann"),
                        org.assertj.core.groups.Tuple.tuple("4", "anything else?"));
    }

    @Test
    void voipCallIsABackdatedAdminNoteWithDirectionDurationAgentAndRecording() {
        ThreadPlan plan = new VoipCallToNote(visitors, Timestamps.utc()).map(row("call_id", "p1", "visitor_id", "v1",
                "phone", "+49 1", "agent_email", "sam@acme.test", "direction", "inbound", "started_at", "2025-03-09T08:00:00Z",
                "duration_seconds", "95", "recording_url", "https://rec.example/p1.mp3", "notes", ""));
        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "contact", "v1"));
        ThreadPlan.PartPlan note = plan.parts().get(0);
        assertThat(note.note()).isTrue();
        assertThat(note.author()).isEqualTo(ThreadPlan.Author.ADMIN);
        assertThat(note.createdAt()).isEqualTo(1741507200L);
        assertThat(note.body()).isEqualTo("Phone call (inbound)\nDuration: 1:35 (95 s)\nAgent: sam@acme.test\nPhone: +49 1\n"
                + "Recording: https://rec.example/p1.mp3");
        assertThatThrownBy(() -> new VoipCallToNote(visitors, Timestamps.utc()).map(row("call_id", "p2", "started_at", "soon")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("started_at"));
    }

    @Test
    void tagRowsTargetTheirObjectAndATagFamilyBecomesAnAttribute() {
        TagRowToApplication mapper = new TagRowToApplication(Map.of("plan:", "cd_plan"));
        TagApplication visitor = mapper.map(row("tag", "VIP", "object_type", "visitor", "object_id", "v2"));
        assertThat(visitor.targets()).containsExactly(new RecordKey("clickdesk", "contact", "v2"));
        assertThat(visitor.attribute()).isNull();
        TagApplication ticket = mapper.map(row("tag", "escalated", "object_type", "ticket", "object_id", "t1"));
        assertThat(ticket.targets()).containsExactly(new RecordKey("clickdesk", "ticket", "t1"),
                new RecordKey("clickdesk", "conversation", "t1"));
        TagApplication family = mapper.map(row("tag", "Plan:Gold", "object_type", "visitor", "object_id", "v3"));
        assertThat(family.attribute()).isEqualTo("cd_plan");
        assertThat(family.value()).isEqualTo("Gold");
        assertThat(mapper.map(row("tag", "VIP", "object_type", "visitor", "object_id", "v2")).key())
                .isEqualTo(mapper.map(row("tag", "vip", "object_type", "visitor", "object_id", "v2")).key());
        assertThatThrownBy(() -> mapper.map(row("tag", "x", "object_type", "order", "object_id", "1")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("object_type"));
    }
}
