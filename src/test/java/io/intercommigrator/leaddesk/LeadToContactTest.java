package io.intercommigrator.leaddesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.Skip;

class LeadToContactTest {
    private final LeadToContact mapper = new LeadToContact(new MappingConfig.LeadDesk(null, null, null, null, null),
            new Timestamps(ZoneId.of("Europe/Helsinki")), Map.of("c1", "Kevät-kampanja 2026")::get);

    @Test
    void leadWithoutAccountLinkIsALeadWithStatusOutcomeAndCampaignTag() {
        ContactPlan plan = (ContactPlan) mapper.map(row("lead_id", "77", "fname", "Liisa", "lname", "Virtanen",
                "phone", "+358 40 7", "email", " Liisa@Example.FI ", "status", "callback", "outcome", "interested",
                "campaign_id", "c1", "office", "", "sponsor", " ", "company_id", "", "created_at", "2026-03-29 02:30:00"));

        assertThat(plan.key()).isEqualTo(new RecordKey("leaddesk", "lead", "77"));
        assertThat(plan.email()).isEqualTo("liisa@example.fi");
        assertThat(plan.payload().path("role").asText()).isEqualTo("lead");
        assertThat(plan.payload().path("external_id").asText()).isEqualTo("ld-lead-77");
        assertThat(plan.payload().path("name").asText()).isEqualTo("Liisa Virtanen");
        assertThat(plan.payload().path("phone").asText()).isEqualTo("+358 40 7");
        // 02:30 EET (UTC+2) on the spring-forward day = 00:30 UTC
        assertThat(plan.payload().path("signed_up_at").asLong()).isEqualTo(1774744200L);
        var custom = plan.payload().path("custom_attributes");
        assertThat(custom.path("ld_lead_id").asText()).isEqualTo("77");
        assertThat(custom.path("ld_lead_status").asText()).isEqualTo("callback");
        assertThat(custom.path("ld_outcome").asText()).isEqualTo("interested");
        assertThat(custom.has("ld_office")).isFalse();
        assertThat(custom.has("ld_sponsor")).isFalse();
        assertThat(plan.attributeTypes()).containsExactly(Map.entry("ld_lead_id", "string"),
                Map.entry("ld_lead_status", "string"), Map.entry("ld_outcome", "string"));
        assertThat(plan.tags()).containsExactly("ld_campaign_kevat_kampanja_2026");
        assertThat(plan.identityAttributes()).containsExactlyInAnyOrder("external_id", "ld_lead_id");
    }

    @Test
    void leadWithOfficeOrSponsorIsAUser() {
        ContactPlan withOffice = (ContactPlan) mapper.map(row("lead_id", "78", "email", "a@b.fi", "office", "Tampere",
                "sponsor", "Elisa"));
        assertThat(withOffice.payload().path("role").asText()).isEqualTo("user");
        assertThat(withOffice.payload().path("custom_attributes").path("ld_office").asText()).isEqualTo("Tampere");
        assertThat(withOffice.payload().path("custom_attributes").path("ld_sponsor").asText()).isEqualTo("Elisa");

        ContactPlan withCompany = (ContactPlan) mapper.map(row("lead_id", "79", "phone", "+358 50 1", "company_id", "42"));
        assertThat(withCompany.payload().path("role").asText()).isEqualTo("user");
        assertThat(withCompany.email()).isNull();
        assertThat(withCompany.payload().has("email")).isFalse();
    }

    @Test
    void unknownCampaignIsTaggedByItsId() {
        ContactPlan plan = (ContactPlan) mapper.map(row("lead_id", "80", "email", "a@b.fi", "campaign_id", "99"));
        assertThat(plan.tags()).containsExactly("ld_campaign_99");
    }

    @Test
    void leadWithNeitherEmailNorPhoneIsSkippedWithTheReason() {
        Object result = mapper.map(row("lead_id", "81", "fname", "Ei", "email", "", "phone", " "));
        assertThat(result).isEqualTo(new Skip("LeadDesk lead 81 has neither email nor phone: Intercom needs an identifier"));
    }

    @Test
    void aFileWithoutThePhoneColumnIsReadByEmailAlone() {
        assertThat(LeadToContact.REQUIRED_COLUMNS).containsExactly("lead_id", "email");
        ContactPlan plan = (ContactPlan) mapper.map(row("lead_id", "84", "email", "lead@example.fi"));
        assertThat(plan.email()).isEqualTo("lead@example.fi");
        assertThat(plan.payload().has("phone")).isFalse();
        Object noIdentifier = mapper.map(row("lead_id", "85", "fname", "Ei", "email", " "));
        assertThat(noIdentifier).isEqualTo(new Skip("LeadDesk lead 85 has neither email nor phone: Intercom needs an identifier"));
    }

    @Test
    void missingIdBadEmailAndBadTimestampNameTheColumn() {
        assertThatThrownBy(() -> mapper.map(row("lead_id", " ", "email", "a@b.fi")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("lead_id"));
        assertThatThrownBy(() -> mapper.map(row("lead_id", "82", "email", "not-an-email")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("email"));
        ContactPlan badTime = (ContactPlan) mapper.map(row("lead_id", "83", "email", "a@b.fi", "created_at", "yesterday"));
        assertThat(badTime.payload().has("signed_up_at")).as("a time that is no time costs the field").isFalse();
        assertThat(badTime.leftOff()).singleElement().satisfies(v -> {
            assertThat(v.column()).isEqualTo("created_at");
            assertThat(v.attribute()).isEqualTo("signed_up_at");
            assertThat(v.value()).isEqualTo("yesterday");
            assertThat(v.reason()).startsWith("unrecognised timestamp");
        });
    }
}
