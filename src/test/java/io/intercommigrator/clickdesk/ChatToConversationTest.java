package io.intercommigrator.clickdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.ThreadPlan.Author;
import io.intercommigrator.mapping.ThreadPlan.PartPlan;

class ChatToConversationTest {
    private final ChatToConversation mapper = new ChatToConversation(
            new VisitorToContact(new MappingConfig.ClickDesk(null, null, null, null, null, null, null), Timestamps.utc()), Timestamps.utc());

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void openingVisitorMessageBecomesTheBody() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c1','visitor_id':'v1','name':'Anna','email':' Anna@Example.com ','agent_email':'bob@acme.io',
                 'department':'Sales','start_time':'1741000000000','user_rate':'4','tags':['vip'],
                 'messages':[
                   {'time':'1741000001000','from':'visitor','text':'Hello?','attachments':['https://f/a.png']},
                   {'time':1741000002000,'from':'agent','sender_name':'Bob','text':'Hi Anna'}]}"""));

        assertThat(plan.key()).isEqualTo(new RecordKey("clickdesk", "conversation", "c1"));
        assertThat(plan.kind()).isEqualTo(ThreadPlan.Kind.CONVERSATION);
        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "contact", "v1"));
        assertThat(plan.contact().fallback().email()).isEqualTo("anna@example.com");
        assertThat(plan.contact().fallback().payload().path("name").asText()).isEqualTo("Anna");
        assertThat(plan.createdAt()).isEqualTo(1741000000L);
        assertThat(plan.body()).isEqualTo("Hello?");
        assertThat(plan.attachmentUrls()).containsExactly("https://f/a.png");
        assertThat(plan.parts()).containsExactly(
                new PartPlan("1", Author.ADMIN, "bob@acme.io", "Bob", false, "Hi Anna", 1741000002L, List.of()));
        assertThat(plan.attributes()).containsExactly(
                java.util.Map.entry("cd_channel_source", "Chat"),
                java.util.Map.entry("cd_original_chat_id", "c1"),
                java.util.Map.entry("cd_original_visitor_id", "v1"),
                java.util.Map.entry("cd_chat_rating", 4L));
        assertThat(plan.attributeTypes()).containsEntry("cd_channel_source", "string").containsEntry("cd_chat_rating", "integer");
        assertThat(plan.assigneeEmail()).isEqualTo("bob@acme.io");
        assertThat(plan.teamName()).isEqualTo("Sales");
        assertThat(plan.subject()).isNull();
        assertThat(plan.ticketTypeName()).isNull();
        assertThat(plan.ticketAttributes()).isEmpty();
    }

    @Test
    void agentFirstChatGetsPlaceholderBodyAndEveryMessageAsAPart() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c2','visitor_id':'v2','start_time':'1741000000000','agent_email':'bob@acme.io',
                 'department':' ','user_rate':'',
                 'messages':[
                   {'time':'1741000001000','from':'agent','sender_email':'amy@acme.io','sender_name':'Amy','text':'Welcome'},
                   {'time':'1741000002000','from':'visitor','text':'Thanks'},
                   {'time':'1741000003000','from':'visitor','text':'  '}]}"""));

        assertThat(plan.body()).isEqualTo("ClickDesk chat c2 started");
        assertThat(plan.attachmentUrls()).isEmpty();
        assertThat(plan.parts()).containsExactly(
                new PartPlan("0", Author.ADMIN, "amy@acme.io", "Amy", false, "Welcome", 1741000001L, List.of()),
                new PartPlan("1", Author.CONTACT, null, null, false, "Thanks", 1741000002L, List.of()));
        assertThat(plan.teamName()).isNull();
        assertThat(plan.attributes()).doesNotContainKey("cd_chat_rating");
        assertThat(plan.contact().fallback().payload().path("role").asText()).isEqualTo("lead");
    }

    @Test
    void partsFollowMessageTimeWithExactSecondsAndKeepTheirOriginalIndex() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c3','visitor_id':'v3','start_time':1741000000000,
                 'messages':[
                   {'time':'1741000009000','from':'agent','text':'third'},
                   {'time':'1741000005000','from':'visitor','text':'first'},
                   {'time':'1741000007000','from':'agent','text':'second a'},
                   {'time':'2025-03-03T11:06:47Z','from':'visitor','text':'second b'}]}"""));

        assertThat(plan.body()).isEqualTo("first");
        assertThat(plan.parts()).extracting(PartPlan::partKey, PartPlan::body, PartPlan::createdAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple("2", "second a", 1741000007L),
                org.assertj.core.groups.Tuple.tuple("3", "second b", 1741000007L),
                org.assertj.core.groups.Tuple.tuple("0", "third", 1741000009L));
    }

    @Test
    void aMessageExportedTwiceIsOnePartAndTheOthersKeepTheirIndex() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c6','visitor_id':'v6','start_time':'1741000000000','agent_email':'bob@acme.io',
                 'messages':[
                   {'time':'1741000001000','from':'visitor','text':'Hello?'},
                   {'time':'1741000001000','from':'visitor','text':'Hello?'},
                   {'time':'1741000002000','from':'agent','sender_name':'Bob','text':'Hi','attachments':['https://f/a.png']},
                   {'time':'1741000002000','from':'agent','sender_name':'Bob','text':'Hi','attachments':['https://f/a.png']},
                   {'time':'1741000002000','from':'agent','sender_name':'Bob','text':'How can I help?'},
                   {'time':'1741000003000','from':'agent','sender_name':'Bob','text':'Hi'}]}"""));

        assertThat(plan.body()).isEqualTo("Hello?");
        assertThat(plan.parts()).extracting(PartPlan::partKey, PartPlan::body, PartPlan::createdAt).as(
                "the repeats (1, 3) are left out; a different text at the same time, or the same text later, still moves")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2", "Hi", 1741000002L),
                        org.assertj.core.groups.Tuple.tuple("4", "How can I help?", 1741000002L),
                        org.assertj.core.groups.Tuple.tuple("5", "Hi", 1741000003L));
        assertThat(plan.leftOff()).as("each message left out is named, to be counted as a skipped part")
                .extracting(v -> v.column() + ": " + v.reason()).containsExactly(
                        "messages[1]: the same message as messages[0] (exported twice)",
                        "messages[3]: the same message as messages[2] (exported twice)");
        assertThat(plan.leftOff()).allMatch(io.intercommigrator.core.LeftOffValue::isMessage);
    }

    @Test
    void anEmptyMessageAndARatingThatIsNoNumberAreLeftOffAndNamed() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c7','visitor_id':'v7','start_time':'1741000000000','user_rate':'great',
                 'messages':[
                   {'time':'1741000001000','from':'visitor','text':'Hello?'},
                   {'time':'1741000002000','from':'visitor','text':'  ','attachments':[]}]}"""));

        assertThat(plan.parts()).isEmpty();
        assertThat(plan.attributes()).doesNotContainKey("cd_chat_rating");
        assertThat(plan.leftOff()).extracting(v -> v.column() + " " + v.attribute() + " '" + v.value() + "'").containsExactly(
                "messages[1] conversation_part '  '", "user_rate cd_chat_rating 'great'");
        assertThat(mapper.map(json("{'chat_id':'c8','visitor_id':'v8','start_time':'1741000000000','user_rate':5}"))
                .attributes()).containsEntry("cd_chat_rating", 5L);
    }

    @Test
    void botMessageIsAnAdminNoteMarkedBot() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c4','visitor_id':'v4','start_time':'1741000000000','agent_email':'bob@acme.io',
                 'messages':[{'time':'1741000001000','from':'bot','sender_name':'Helper','text':'Please wait'}]}"""));

        assertThat(plan.parts()).containsExactly(
                new PartPlan("0", Author.ADMIN, null, "Helper", true, "[Bot] Please wait", 1741000001L, List.of()));
    }

    @Test
    void allTwelveAttachmentsStayOnThePart() {
        StringBuilder urls = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            urls.append(i == 1 ? "" : ",").append("'https://f/").append(i).append(".png'");
        }
        ThreadPlan plan = mapper.map(json("{'chat_id':'c5','visitor_id':'v5','start_time':'1741000000000','messages':["
                + "{'time':'1741000001000','from':'agent','text':'','attachments':[" + urls + "]}]}"));

        assertThat(plan.parts()).hasSize(1);
        assertThat(plan.parts().get(0).attachmentUrls()).hasSize(12)
                .startsWith("https://f/1.png").endsWith("https://f/12.png");
    }

    @Test
    void tagsAreTrimmedAndDedupedCaseInsensitivelyInOrder() {
        ThreadPlan plan = mapper.map(json("""
                {'chat_id':'c6','visitor_id':'v6','start_time':'1741000000000',
                 'tags':[' VIP ','billing','vip','',' Billing','refund']}"""));

        assertThat(plan.tags()).containsExactly("VIP", "billing", "refund");
        assertThat(plan.body()).isEqualTo("ClickDesk chat c6 started");
        assertThat(plan.parts()).isEmpty();
    }

    @Test
    void missingIdsOrBadTimesAreRejectedNamingTheColumn() {
        assertThatThrownBy(() -> mapper.map(json("{'visitor_id':'v7','start_time':'1741000000000'}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> {
                    assertThat(e.stage()).isEqualTo("validate");
                    assertThat(e.column()).isEqualTo("chat_id");
                });
        assertThatThrownBy(() -> mapper.map(json("{'chat_id':'c8','start_time':'1741000000000'}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("visitor_id"));
        assertThatThrownBy(() -> mapper.map(json("{'chat_id':'c9','visitor_id':'v9','start_time':'soon'}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("start_time"))
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> mapper.map(json("{'chat_id':'c10','visitor_id':'v10','start_time':'1741000000000',"
                + "'messages':[{'time':'later','from':'visitor','text':'x'}]}")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("messages[0].time"))
                .hasMessageContaining("later");
    }
}
