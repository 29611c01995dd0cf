package io.intercommigrator.leaddesk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactFields;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.core.LeftOffValue;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.Skip;
import io.intercommigrator.mapping.Values;

/**
 * LeadDesk contact (contacts.csv) → Intercom contact (mapping.md): email is the dedupe key; no email and no phone →
 * reconciliation queue; other1…35 typed per custom_fields.json; campaign → tag {@code ld_campaign_<slug>}. Pure.
 */
public final class ContactToContact {
    public static final String SYSTEM = "leaddesk";
    /** phone is optional: a file without it is read by email alone (export-formats.md lists columns, marks none required). */
    public static final List<String> REQUIRED_COLUMNS = List.of("contact_id", "email");
    static final String CONTACT_ID_ATTRIBUTE = "ld_contact_id";

    private final MappingConfig.LeadDesk config;
    private final Timestamps timestamps;
    private final CustomFieldMap customFields;
    private final Function<String, String> campaignName;
    private final int maxChars;

    /** @param campaignName campaign id → its name from campaigns.json, or null when unknown */
    public ContactToContact(MappingConfig.LeadDesk config, Timestamps timestamps, CustomFieldMap customFields,
                            Function<String, String> campaignName) {
        this(config, timestamps, customFields, campaignName, ContactFields.DEFAULT_MAX_CHARS);
    }

    /** @param maxChars most characters of a text attribute value (intercom.attribute-value-max-chars) */
    public ContactToContact(MappingConfig.LeadDesk config, Timestamps timestamps, CustomFieldMap customFields,
                            Function<String, String> campaignName, int maxChars) {
        this.config = config;
        this.timestamps = timestamps;
        this.customFields = customFields;
        this.campaignName = campaignName;
        this.maxChars = maxChars;
    }

    /** A {@link ContactPlan}, or a {@link Skip} when Intercom would have no identifier for the person. */
    public Object map(Map<String, String> row) {
        String contactId = row.getOrDefault("contact_id", "").trim();
        if (contactId.isEmpty()) {
            throw new InvalidRecordException("validate", "contact_id", "contact_id is empty");
        }
        String email = ContactFields.email(row.get("email"));
        String phone = row.getOrDefault("phone", "").trim();
        if (email.isEmpty() && phone.isEmpty()) {
            return new Skip("LeadDesk contact " + contactId + " has neither email nor phone: Intercom needs an identifier");
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("role", "user");
        payload.put("external_id", config.contactExternalIdPrefix() + contactId);
        ContactFields.putIfPresent(payload, "email", email);
        ContactFields.putIfPresent(payload, "name", Values.joinName(row.get("fname"), row.get("lname")));
        ContactFields.putIfPresent(payload, "phone", phone);

        Map<String, String> types = new LinkedHashMap<>();
        List<LeftOffValue> leftOff = new ArrayList<>();
        ObjectNode custom = payload.putObject("custom_attributes");
        ContactFields.putAttribute(custom, types, CONTACT_ID_ATTRIBUTE, "string", contactId);
        config.contactAttributes().forEach((column, attribute) ->
                ContactFields.putString(custom, types, column, attribute, row.get(column), maxChars, leftOff));
        for (CustomFieldMap.Target target : customFields.targets()) {
            putCustomField(custom, types, target, row.get(target.column()), leftOff);
        }
        config.extraColumns().forEach((column, extra) ->
                ContactFields.putTyped(custom, types, column, extra, row.get(column), timestamps, maxChars, leftOff));
        if (custom.isEmpty()) {
            payload.remove("custom_attributes");
        }
        List<String> tags = new ArrayList<>();
        String campaign = row.getOrDefault("campaign_id", "").trim();
        if (!campaign.isEmpty()) {
            tags.add(campaignTag(campaign, campaignName.apply(campaign)));
        }
        return new ContactPlan(new RecordKey(SYSTEM, "contact", contactId), email.isEmpty() ? null : email, payload, types,
                tags, Set.of("external_id", CONTACT_ID_ATTRIBUTE), leftOff);
    }

    /** Tag for a campaign: {@code ld_campaign_<slug of its name>}, or of its id when the name is unknown. */
    public static String campaignTag(String campaignId, String name) {
        return "ld_campaign_" + Values.slug(name == null || name.isBlank() ? campaignId : name);
    }

    /** A custom field typed per custom_fields.json; a value that does not fit the type is left off and noted. */
    private void putCustomField(ObjectNode custom, Map<String, String> types, CustomFieldMap.Target t, String raw,
                                List<LeftOffValue> leftOff) {
        String value = raw;
        if ("string".equals(t.dataType()) && !t.leadDeskType().equals("text") && raw != null) {
            value = String.join(", ", Values.multi(raw));
        }
        ContactFields.putValue(custom, types, t.column(), t.attribute(), t.dataType(), value, timestamps, maxChars, leftOff);
    }
}
