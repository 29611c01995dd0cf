package io.intercommigrator.mapping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import io.intercommigrator.core.MigratorExit;

/** {@code config/mapping.yaml}: column aliases, attribute names and rules. Defaults match the seeds. */
public record MappingConfig(
        @JsonProperty("confirmed") boolean confirmed,
        @JsonProperty("checksum") String checksum,
        @JsonProperty("strict") boolean strict,
        @JsonProperty("column_aliases") Map<String, Map<String, String>> columnAliases,
        @JsonProperty("team_map") Map<String, String> teamMap,
        @JsonProperty("clickdesk") ClickDesk clickdesk,
        @JsonProperty("leaddesk") LeadDesk leaddesk,
        @JsonProperty("ticket_states") Map<String, String> ticketStates,
        @JsonProperty("definitions") Map<String, Map<String, Map<String, com.fasterxml.jackson.databind.JsonNode>>> definitions) {

    public record ExtraColumn(@JsonProperty("attribute") String attribute, @JsonProperty("type") String type) {
    }

    /** One ticket routing rule: channel and status (null = any) → "conversation" or "ticket". */
    public record TicketRule(@JsonProperty("channel") String channel, @JsonProperty("status") String status,
                             @JsonProperty("target") String target) {
    }

    public record ClickDesk(
            @JsonProperty("external_id_prefix") String externalIdPrefix,
            @JsonProperty("ticket_type") String ticketType,
            @JsonProperty("ticket_routing") java.util.List<TicketRule> ticketRouting,
            @JsonProperty("ticket_routing_fallback") String ticketRoutingFallback,
            @JsonProperty("tag_attributes") Map<String, String> tagAttributes,
            @JsonProperty("contact_attributes") Map<String, String> contactAttributes,
            @JsonProperty("extra_columns") Map<String, ExtraColumn> extraColumns) {
        public ClickDesk {
            externalIdPrefix = externalIdPrefix == null ? "" : externalIdPrefix;
            ticketType = ticketType == null || ticketType.isBlank() ? "ClickDesk ticket" : ticketType;
            ticketRoutingFallback = ticketRoutingFallback == null ? "ticket" : ticketRoutingFallback;
            tagAttributes = tagAttributes == null ? Map.of() : tagAttributes;
            contactAttributes = contactAttributes == null ? Map.of() : contactAttributes;
            extraColumns = extraColumns == null ? Map.of() : extraColumns;
        }
    }

    public record LeadDesk(
            @JsonProperty("contact_external_id_prefix") String contactExternalIdPrefix,
            @JsonProperty("lead_external_id_prefix") String leadExternalIdPrefix,
            @JsonProperty("contact_attributes") Map<String, String> contactAttributes,
            @JsonProperty("custom_field_prefix") String customFieldPrefix,
            @JsonProperty("extra_columns") Map<String, ExtraColumn> extraColumns) {
        public LeadDesk {
            contactExternalIdPrefix = contactExternalIdPrefix == null ? "ld-contact-" : contactExternalIdPrefix;
            leadExternalIdPrefix = leadExternalIdPrefix == null ? "ld-lead-" : leadExternalIdPrefix;
            contactAttributes = contactAttributes == null ? Map.of() : contactAttributes;
            customFieldPrefix = customFieldPrefix == null ? "ld_" : customFieldPrefix;
            extraColumns = extraColumns == null ? Map.of() : extraColumns;
        }
    }

    public MappingConfig {
        columnAliases = columnAliases == null ? Map.of() : columnAliases;
        teamMap = teamMap == null ? Map.of() : teamMap;
        ticketStates = ticketStates == null ? Map.of() : ticketStates;
        clickdesk = clickdesk == null ? new ClickDesk(null, null, null, null, null, null, null) : clickdesk;
        leaddesk = leaddesk == null ? new LeadDesk(null, null, null, null, null) : leaddesk;
        definitions = definitions == null ? Map.of() : definitions;
    }

    /**
     * The entries (id → definition as the file had it) of one kind of definition file ("campaign", "custom_field",
     * "agent", …) that the map was confirmed with; empty when the map holds none.
     */
    public Map<String, com.fasterxml.jackson.databind.JsonNode> definitions(String system, String kind) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> out = definitions.getOrDefault(system, Map.of()).get(kind);
        return out == null ? Map.of() : out;
    }

    /** alias → canonical for one file name (lower-case keys). */
    public Map<String, String> aliasesFor(String fileName) {
        Map<String, String> out = new LinkedHashMap<>();
        columnAliases.getOrDefault(fileName, Map.of()).forEach((alias, canonical) ->
                out.put(alias.trim().toLowerCase(java.util.Locale.ROOT), canonical.trim().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }

    public static MappingConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            return new MappingConfig(false, null, false, null, null, null, null, null, null);
        }
        try {
            Object tree = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file, StandardCharsets.UTF_8));
            return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .convertValue(tree == null ? Map.of() : tree, MappingConfig.class);
        } catch (IOException | RuntimeException e) {
            throw MigratorExit.badConfiguration(file.getFileName() + " is not a valid field map: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
