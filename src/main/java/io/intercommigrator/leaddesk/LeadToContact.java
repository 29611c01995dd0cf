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
 * LeadDesk lead (leads.csv) → Intercom contact (mapping.md): {@code role: lead} when the lead has no account link
 * (office, sponsor and company_id all blank), else {@code role: user}; status and outcome → {@code ld_lead_status},
 * {@code ld_outcome}; campaign → tag {@code ld_campaign_<slug>}; no email and no phone → reconciliation queue. Pure.
 */
public final class LeadToContact {
    /** phone is optional, as for contacts.csv ({@link ContactToContact#REQUIRED_COLUMNS}). */
    public static final List<String> REQUIRED_COLUMNS = List.of("lead_id", "email");
    static final String LEAD_ID_ATTRIBUTE = "ld_lead_id";

    private final MappingConfig.LeadDesk config;
    private final Timestamps timestamps;
    private final Function<String, String> campaignName;
    private final int maxChars;

    /** @param campaignName campaign id → its name from campaigns.json, or null when unknown */
    public LeadToContact(MappingConfig.LeadDesk config, Timestamps timestamps, Function<String, String> campaignName) {
        this(config, timestamps, campaignName, ContactFields.DEFAULT_MAX_CHARS);
    }

    /** @param maxChars most characters of a text attribute value (intercom.attribute-value-max-chars) */
    public LeadToContact(MappingConfig.LeadDesk config, Timestamps timestamps, Function<String, String> campaignName,
                         int maxChars) {
        this.config = config;
        this.timestamps = timestamps;
        this.campaignName = campaignName;
        this.maxChars = maxChars;
    }

    /** A {@link ContactPlan}, or a {@link Skip} when Intercom would have no identifier for the lead. */
    public Object map(Map<String, String> row) {
        String leadId = value(row, "lead_id");
        if (leadId.isEmpty()) {
            throw new InvalidRecordException("validate", "lead_id", "lead_id is empty");
        }
        String email = ContactFields.email(row.get("email"));
        String phone = value(row, "phone");
        if (email.isEmpty() && phone.isEmpty()) {
            return new Skip("LeadDesk lead " + leadId + " has neither email nor phone: Intercom needs an identifier");
        }
        String office = value(row, "office");
        String sponsor = value(row, "sponsor");
        boolean linked = !office.isEmpty() || !sponsor.isEmpty() || !value(row, "company_id").isEmpty();

        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("role", linked ? "user" : "lead");
        payload.put("external_id", config.leadExternalIdPrefix() + leadId);
        ContactFields.putIfPresent(payload, "email", email);
        ContactFields.putIfPresent(payload, "name", Values.joinName(row.get("fname"), row.get("lname")));
        ContactFields.putIfPresent(payload, "phone", phone);
        List<LeftOffValue> leftOff = new ArrayList<>();
        ContactFields.putTime(payload, "signed_up_at", row, "created_at", timestamps, leftOff);

        Map<String, String> types = new LinkedHashMap<>();
        ObjectNode custom = payload.putObject("custom_attributes");
        ContactFields.putAttribute(custom, types, LEAD_ID_ATTRIBUTE, "string", leadId);
        ContactFields.putString(custom, types, "status", "ld_lead_status", row.get("status"), maxChars, leftOff);
        ContactFields.putString(custom, types, "outcome", "ld_outcome", row.get("outcome"), maxChars, leftOff);
        ContactFields.putString(custom, types, "office", "ld_office", office, maxChars, leftOff);
        ContactFields.putString(custom, types, "sponsor", "ld_sponsor", sponsor, maxChars, leftOff);

        List<String> tags = new ArrayList<>();
        String campaign = value(row, "campaign_id");
        if (!campaign.isEmpty()) {
            tags.add(ContactToContact.campaignTag(campaign, campaignName.apply(campaign)));
        }
        return new ContactPlan(new RecordKey(ContactToContact.SYSTEM, "lead", leadId), email.isEmpty() ? null : email,
                payload, types, tags, Set.of("external_id", LEAD_ID_ATTRIBUTE), leftOff);
    }

    private static String value(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "" : v.trim();
    }
}
