package io.intercommigrator.clickdesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;

class VisitorToContactTest {
    private final VisitorToContact mapper = new VisitorToContact(
            new MappingConfig.ClickDesk("", null, null, null, null, Map.of("city", "cd_city"),
                    Map.of("plan", new MappingConfig.ExtraColumn("cd_plan_seats", "integer"))), Timestamps.utc());


    @Test
    void visitorWithEmailIsAUserMatchedByNormalisedEmail() {
        ContactPlan plan = mapper.map(row("visitor_id", "v1", "name", "Anna Müller", "email", "  Anna.Mueller@Example.DE ",
                "phone", "+49 1", "tags", "vip| newsletter |", "social_source", "Facebook", "city", "Berlin",
                "first_seen", "1741000000000", "last_seen", "2025-03-04T10:00:00Z"));

        assertThat(plan.email()).isEqualTo("anna.mueller@example.de");
        assertThat(plan.payload().path("role").asText()).isEqualTo("user");
        assertThat(plan.payload().path("external_id").asText()).isEqualTo("v1");
        assertThat(plan.payload().path("email").asText()).isEqualTo("anna.mueller@example.de");
        assertThat(plan.payload().path("signed_up_at").asLong()).isEqualTo(1741000000L);
        assertThat(plan.payload().path("last_seen_at").asLong()).isEqualTo(1741082400L);
        assertThat(plan.payload().path("custom_attributes").path("cd_original_visitor_id").asText()).isEqualTo("v1");
        assertThat(plan.payload().path("custom_attributes").path("social_source").asText()).isEqualTo("facebook");
        assertThat(plan.payload().path("custom_attributes").path("cd_city").asText()).isEqualTo("Berlin");
        assertThat(plan.tags()).containsExactly("vip", "newsletter");
        assertThat(plan.attributeTypes()).containsEntry("cd_original_visitor_id", "string");
    }

    @Test
    void visitorWithoutEmailIsALead() {
        ContactPlan plan = mapper.map(row("visitor_id", "v2", "email", "", "name", "Visitor 2"));
        assertThat(plan.email()).isNull();
        assertThat(plan.payload().path("role").asText()).isEqualTo("lead");
        assertThat(plan.payload().has("email")).isFalse();
        assertThat(plan.tags()).isEmpty();
    }

    @Test
    void blankColumnsAreLeftOutSoAnUpdateNeverBlanksIntercom() {
        ContactPlan plan = mapper.map(row("visitor_id", "v3", "email", "a@b.co", "name", " ", "city", ""));
        assertThat(plan.payload().has("name")).isFalse();
        assertThat(plan.payload().path("custom_attributes").has("cd_city")).isFalse();
    }

    @Test
    void operatorMappedExtraColumnIsTyped() {
        ContactPlan plan = mapper.map(row("visitor_id", "v4", "email", "", "plan", "25"));
        assertThat(plan.payload().path("custom_attributes").path("cd_plan_seats").isIntegralNumber()).isTrue();
        assertThat(plan.attributeTypes()).containsEntry("cd_plan_seats", "integer");
        ContactPlan many = mapper.map(row("visitor_id", "v5", "email", "", "plan", "many"));
        assertThat(many.payload().has("custom_attributes") && many.payload().path("custom_attributes").has("cd_plan_seats"))
                .isFalse();
        assertThat(many.leftOff()).singleElement().satisfies(v -> {
            assertThat(v.column()).isEqualTo("plan");
            assertThat(v.value()).isEqualTo("many");
            assertThat(v.reason()).isEqualTo("not a valid integer for attribute cd_plan_seats");
        });
    }

    @Test
    void invalidEmailRejectsTheRecordNamingTheColumnAndABadTimeCostsOnlyTheField() {
        assertThatThrownBy(() -> mapper.map(row("visitor_id", "v6", "email", "not-an-email")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("email"));
        ContactPlan yesterday = mapper.map(row("visitor_id", "v7", "email", "", "first_seen", "yesterday"));
        assertThat(yesterday.payload().has("signed_up_at")).as("a time that is no time costs the field").isFalse();
        assertThat(yesterday.leftOff()).extracting(v -> v.column()).containsExactly("first_seen");
        assertThatThrownBy(() -> mapper.map(row("visitor_id", " ", "email", "")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("visitor_id"));
    }
}
