package io.intercommigrator.clickdesk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactFields;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.core.LeftOffValue;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.Values;

/**
 * ClickDesk visitor (visitors.csv) → Intercom contact (mapping.md): email present → user matched by email, no
 * email → lead; external_id and cd_original_visitor_id = visitor_id; tags → contact tags; social_source → custom
 * attribute; first_seen / last_seen → signed_up_at / last_seen_at. Pure: no I/O.
 */
public final class VisitorToContact {
    public static final String SYSTEM = "clickdesk";
    public static final List<String> REQUIRED_COLUMNS = List.of("visitor_id", "email");
    static final String VISITOR_ID_ATTRIBUTE = "cd_original_visitor_id";

    private final MappingConfig.ClickDesk config;
    private final Timestamps timestamps;
    private final int maxChars;

    public VisitorToContact(MappingConfig.ClickDesk config, Timestamps timestamps) {
        this(config, timestamps, ContactFields.DEFAULT_MAX_CHARS);
    }

    /** @param maxChars most characters of a text attribute value (intercom.attribute-value-max-chars) */
    public VisitorToContact(MappingConfig.ClickDesk config, Timestamps timestamps, int maxChars) {
        this.config = config;
        this.timestamps = timestamps;
        this.maxChars = maxChars;
    }

    public ContactPlan map(Map<String, String> row) {
        String visitorId = row.getOrDefault("visitor_id", "").trim();
        if (visitorId.isEmpty()) {
            throw new InvalidRecordException("validate", "visitor_id", "visitor_id is empty");
        }
        String email = ContactFields.email(row.get("email"));
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("role", email.isEmpty() ? "lead" : "user");
        payload.put("external_id", config.externalIdPrefix() + visitorId);
        ContactFields.putIfPresent(payload, "email", email);
        ContactFields.putIfPresent(payload, "name", row.get("name"));
        ContactFields.putIfPresent(payload, "phone", row.get("phone"));
        List<LeftOffValue> leftOff = new ArrayList<>();
        ContactFields.putTime(payload, "signed_up_at", row, "first_seen", timestamps, leftOff);
        ContactFields.putTime(payload, "last_seen_at", row, "last_seen", timestamps, leftOff);

        Map<String, String> types = new LinkedHashMap<>();
        ObjectNode custom = payload.putObject("custom_attributes");
        ContactFields.putAttribute(custom, types, VISITOR_ID_ATTRIBUTE, "string", visitorId);
        String social = row.getOrDefault("social_source", "").trim().toLowerCase(java.util.Locale.ROOT);
        ContactFields.putAttribute(custom, types, "social_source", "string", social);
        config.contactAttributes().forEach((column, attribute) ->
                ContactFields.putString(custom, types, column, attribute, row.get(column), maxChars, leftOff));
        config.extraColumns().forEach((column, extra) ->
                ContactFields.putTyped(custom, types, column, extra, row.get(column), timestamps, maxChars, leftOff));
        if (custom.isEmpty()) {
            payload.remove("custom_attributes");
        }
        return new ContactPlan(new RecordKey(SYSTEM, "contact", visitorId), email.isEmpty() ? null : email, payload, types,
                Values.multi(row.get("tags")), Set.of("external_id", VISITOR_ID_ATTRIBUTE), leftOff);
    }
}
