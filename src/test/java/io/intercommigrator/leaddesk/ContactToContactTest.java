package io.intercommigrator.leaddesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.Skip;

class ContactToContactTest {
    private static final List<CustomField> FIELDS = List.of(
            new CustomField("other1", "Contract end", "date"),
            new CustomField("other2", "Seats", "number"),
            new CustomField("other3", "Budget €", "number"),
            new CustomField("other4", "Interests", "multiselect"),
            new CustomField("other5", "Opt-in", "checkbox"),
            new CustomField("other6", "Notes", "text"),
            new CustomField("other7", "Call script", "richtext"));

    private final CustomFieldMap fields = CustomFieldMap.resolve(FIELDS,
            Map.of("other2", List.of("12", "5"), "other3", List.of("1200", "99,50")), "ld_");
    private final ContactToContact mapper = new ContactToContact(new MappingConfig.LeadDesk(null, null,
            Map.of("company", "ld_company"), null, null), new Timestamps(ZoneId.of("Europe/Helsinki")), fields,
            Map.of("c1", "Kevät-kampanja 2026")::get);


    @Test
    void customFieldTypesFollowTheDefinitionsAndTheValues() {
        assertThat(fields.targets()).extracting(CustomFieldMap.Target::attribute, CustomFieldMap.Target::dataType)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ld_contract_end", "date"),
                        org.assertj.core.groups.Tuple.tuple("ld_seats", "integer"),
                        org.assertj.core.groups.Tuple.tuple("ld_budget", "float"),
                        org.assertj.core.groups.Tuple.tuple("ld_interests", "string"),
                        org.assertj.core.groups.Tuple.tuple("ld_opt_in", "string"),
                        org.assertj.core.groups.Tuple.tuple("ld_notes", "string"));
        assertThat(fields.unsupported()).singleElement().asString().contains("other7", "richtext", "not migrated");
    }

    @Test
    void contactBecomesAUserWithTypedAttributesAndCampaignTag() {
        ContactPlan plan = (ContactPlan) mapper.map(row("contact_id", "5001", "fname", "Matti", "lname", "Meikäläinen",
                "email", "Matti@Example.FI", "phone", "+358 40 1", "company", "Meikäläinen Oy", "campaign_id", "c1",
                "other1", "2026-03-29 03:30:00", "other2", "12", "other3", "99,50", "other4", "sales|support",
                "other5", "1", "other6", "Soita aamulla", "other7", "ignored"));

        assertThat(plan.payload().path("role").asText()).isEqualTo("user");
        assertThat(plan.payload().path("name").asText()).isEqualTo("Matti Meikäläinen");
        assertThat(plan.payload().path("email").asText()).isEqualTo("matti@example.fi");
        assertThat(plan.payload().path("external_id").asText()).isEqualTo("ld-contact-5001");
        var custom = plan.payload().path("custom_attributes");
        assertThat(custom.path("ld_contact_id").asText()).isEqualTo("5001");
        assertThat(custom.path("ld_company").asText()).isEqualTo("Meikäläinen Oy");
        // 03:30 on 2026-03-29 does not exist in Helsinki (clocks go 03:00 → 04:00): read as 04:30 EEST = 01:30 UTC
        assertThat(custom.path("ld_contract_end").asLong()).isEqualTo(1774747800L);
        assertThat(custom.path("ld_seats").asLong()).isEqualTo(12L);
        assertThat(custom.path("ld_budget").asDouble()).isEqualTo(99.5);
        assertThat(custom.path("ld_interests").asText()).isEqualTo("sales, support");
        assertThat(custom.has("ld_call_script")).isFalse();
        assertThat(plan.tags()).containsExactly("ld_campaign_kevat_kampanja_2026");
    }

    @Test
    void contactWithNeitherEmailNorPhoneIsSkippedWithTheReason() {
        Object result = mapper.map(row("contact_id", "5004", "fname", "Ei", "email", " ", "phone", ""));
        assertThat(result).isInstanceOfSatisfying(Skip.class, s -> assertThat(s.reason()).contains("neither email nor phone"));
    }

    @Test
    void phoneAloneIsEnough() {
        ContactPlan plan = (ContactPlan) mapper.map(row("contact_id", "5003", "phone", "+358 50 2", "email", ""));
        assertThat(plan.email()).isNull();
        assertThat(plan.payload().path("phone").asText()).isEqualTo("+358 50 2");
    }

    @Test
    void aFileWithoutThePhoneColumnIsReadByEmailAlone() {
        assertThat(ContactToContact.REQUIRED_COLUMNS).containsExactly("contact_id", "email");
        ContactPlan plan = (ContactPlan) mapper.map(row("contact_id", "5005", "email", "anna@example.fi"));
        assertThat(plan.email()).isEqualTo("anna@example.fi");
        assertThat(plan.payload().has("phone")).isFalse();
        Object noIdentifier = mapper.map(row("contact_id", "5006", "fname", "Ei", "email", ""));
        assertThat(noIdentifier).isEqualTo(new Skip("LeadDesk contact 5006 has neither email nor phone: Intercom needs an identifier"));
    }

    @Test
    void aValueThatDoesNotFitItsFieldIsLeftOffNamingTheColumnAndTheContactStillMoves() {
        String longNote = "ö".repeat(256);
        ContactPlan plan = (ContactPlan) mapper.map(row("contact_id", "9", "email", "a@b.fi", "other1", "31.02.2027",
                "other2", "twelve", "other3", "1 234,5", "other6", longNote));
        var custom = plan.payload().path("custom_attributes");
        assertThat(plan.payload().path("email").asText()).isEqualTo("a@b.fi");
        assertThat(custom.has("ld_contract_end")).isFalse();
        assertThat(custom.has("ld_seats")).isFalse();
        assertThat(custom.has("ld_notes")).isFalse();
        assertThat(custom.path("ld_budget").asDouble()).isEqualTo(1234.5);
        assertThat(plan.attributeTypes()).doesNotContainKeys("ld_contract_end", "ld_seats", "ld_notes");
        assertThat(plan.leftOff()).extracting(v -> v.column() + " " + v.attribute() + " " + v.value()).containsExactly(
                "other1 ld_contract_end 31.02.2027", "other2 ld_seats twelve", "other6 ld_notes " + longNote);
        assertThat(plan.leftOff().get(1).reason()).isEqualTo("not a valid integer for attribute ld_seats");
        assertThat(plan.leftOff().get(2).reason()).startsWith("256 characters, over the 255");
    }

    @Test
    void dateFieldsTakeTheFinnishDateOnlyFormsAndEveryTimestampForm() {
        long may12 = java.time.LocalDate.of(2027, 5, 12).atStartOfDay(ZoneId.of("Europe/Helsinki")).toEpochSecond();
        for (String date : List.of("12.05.2027", "12.5.2027", "2027-05-12", "12.05.2027 00:00", "2027-05-12 00:00:00",
                "2027-05-12T00:00:00", "2027-05-12T00:00:00+03:00", "2027-05-11T21:00:00Z", String.valueOf(may12),
                may12 + "000")) {
            ContactPlan plan = (ContactPlan) mapper.map(row("contact_id", "10", "email", "a@b.fi", "other1", date));
            assertThat(plan.payload().path("custom_attributes").path("ld_contract_end").asLong()).as(date).isEqualTo(may12);
            assertThat(plan.leftOff()).as(date).isEmpty();
        }
        ContactPlan firstOfMay = (ContactPlan) mapper.map(row("contact_id", "11", "email", "a@b.fi", "other1", "1.5.2027"));
        assertThat(firstOfMay.payload().path("custom_attributes").path("ld_contract_end").asLong())
                .isEqualTo(may12 - 11 * 86400L);
    }

    @Test
    void numberFieldsReadTheWaysExportsWriteNumbers() {
        CustomFieldMap odd = CustomFieldMap.resolve(List.of(new CustomField("other2", "Seats", "number")),
                Map.of("other2", List.of("1 234", "12", "n/a")), "ld_");
        assertThat(odd.targets()).singleElement().extracting(CustomFieldMap.Target::dataType)
                .as("grouped digits are whole numbers; a value that is no number does not decide").isEqualTo("integer");
        CustomFieldMap floats = CustomFieldMap.resolve(List.of(new CustomField("other2", "Seats", "number")),
                Map.of("other2", List.of("1e3", "12")), "ld_");
        assertThat(floats.targets()).singleElement().extracting(CustomFieldMap.Target::dataType).isEqualTo("float");
        ContactToContact ints = new ContactToContact(new MappingConfig.LeadDesk(null, null, Map.of(), null, null),
                new Timestamps(ZoneId.of("Europe/Helsinki")), odd, id -> null);
        ContactPlan plan = (ContactPlan) ints.map(row("contact_id", "12", "email", "a@b.fi", "other2", " 1 234 "));
        assertThat(plan.payload().path("custom_attributes").path("ld_seats").asLong()).isEqualTo(1234L);
        for (String bad : List.of("n/a", "NaN", "Infinity", "0x1F", "1.234,5", "12 34", "1e3")) {
            ContactPlan off = (ContactPlan) ints.map(row("contact_id", "13", "email", "a@b.fi", "other2", bad));
            assertThat(off.payload().path("custom_attributes").has("ld_seats")).as(bad).isFalse();
            assertThat(off.leftOff()).as(bad).singleElement().extracting(v -> v.value()).isEqualTo(bad);
        }
    }

    @Test
    void campaignTagFallsBackToTheIdAndIsStable() {
        assertThat(ContactToContact.campaignTag("77", null)).isEqualTo("ld_campaign_77");
        assertThat(ContactToContact.campaignTag("c1", "Kevät-kampanja 2026")).isEqualTo("ld_campaign_kevat_kampanja_2026");
        assertThat(ContactToContact.campaignTag("c1", " ")).as("a blank name is no name").isEqualTo("ld_campaign_c1");
    }
}
