package io.intercommigrator.clickdesk;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.TagApplication;

/**
 * ClickDesk tags.csv row (tag, object_type visitor / chat / ticket, object_id) → a tag on the migrated contact,
 * conversation or ticket. A tag of a family the operator maps to an attribute ({@code "plan:" → cd_plan}, so
 * "plan:gold" sets cd_plan = gold) becomes that contact attribute instead. Pure.
 */
public final class TagRowToApplication {
    private final Map<String, String> tagAttributes;

    /** @param tagAttributes tag prefix → contact attribute (config/mapping.yaml clickdesk.tag_attributes) */
    public TagRowToApplication(Map<String, String> tagAttributes) {
        this.tagAttributes = tagAttributes;
    }

    public TagApplication map(Map<String, String> row) {
        String tag = row.getOrDefault("tag", "").trim();
        String id = row.getOrDefault("object_id", "").trim();
        if (tag.isEmpty()) {
            throw new InvalidRecordException("validate", "tag", "tag is empty");
        }
        if (id.isEmpty()) {
            throw new InvalidRecordException("validate", "object_id", "object_id is empty");
        }
        String type = row.getOrDefault("object_type", "").trim().toLowerCase(Locale.ROOT);
        List<RecordKey> targets = switch (type) {
            case "visitor", "contact" -> List.of(new RecordKey("clickdesk", "contact", id));
            case "chat" -> List.of(new RecordKey("clickdesk", "conversation", id));
            case "ticket" -> List.of(new RecordKey("clickdesk", "ticket", id), new RecordKey("clickdesk", "conversation", id));
            default -> throw new InvalidRecordException("validate", "object_type",
                    "object_type '" + type + "' is not visitor, chat or ticket");
        };
        if (targets.get(0).objectType().equals("contact")) {
            for (Map.Entry<String, String> family : tagAttributes.entrySet()) {
                if (tag.toLowerCase(Locale.ROOT).startsWith(family.getKey().toLowerCase(Locale.ROOT))) {
                    return new TagApplication(targets, tag, family.getValue(), tag.substring(family.getKey().length()).trim());
                }
            }
        }
        return new TagApplication(targets, tag, null, null);
    }
}
