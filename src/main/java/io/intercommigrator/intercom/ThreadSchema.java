package io.intercommigrator.intercom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.mapping.AttributeDefinition;
import io.intercommigrator.core.RunAccounting;

/**
 * The schema threads need before they are sent: conversation attributes ({@code /conversations/attributes}, new in
 * 2.16), ticket types and their attributes. Read once per run, created when missing, each creation journaled so
 * rollback can archive it.
 *
 * <p>A conversation attribute is created with the plan's value type, or as a source defined it ({@link #define}: the
 * LeadDesk taxonomy makes {@code ld_disposition} a {@code list} of its results). One that already exists keeps its
 * type, which Intercom cannot change: the reconciliation queue says so, and {@link #conform} fits each value to it. A
 * value missing from a list's options is added as an option ({@code POST /conversations/attributes/{id}/options})
 * while the list has fewer than {@code listLimit}, else left off the conversation and queued, so a value is never
 * sent where Intercom would answer 400. What each attribute became is kept in the ledger catalog
 * ({@code intercom / conversation_attribute}) for the handoff inventory.
 */
public final class ThreadSchema {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadSchema.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final String CATALOG_SYSTEM = "intercom";
    public static final String CATALOG_KIND = "conversation_attribute";

    private final IntercomClient client;
    private final Ledger ledger;
    private final RunControl run;
    private final RunAccounting accounting;
    private final int listLimit;
    private final Map<String, AttributeDefinition> definitions = new ConcurrentHashMap<>();
    private final Set<String> described = ConcurrentHashMap.newKeySet();
    private final Set<String> refusedOptions = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ConversationAttribute> conversationAttributes;
    private final Map<String, TicketType> ticketTypes = new ConcurrentHashMap<>();
    private final Provisioning provisioning;

    /**
     * A ticket type, the attribute names it has live, and those it has archived (name → attribute id): Intercom
     * refuses a ticket that sets an archived attribute, so one the run needs is unarchived before use.
     */
    public record TicketType(String id, Map<String, Boolean> attributes, Map<String, String> archivedAttributes) {
    }

    /** A conversation attribute as the workspace has it: id, data_type and, for a list, its live option labels. */
    private record ConversationAttribute(String id, String type, List<String> options, boolean ours) {
    }

    /** @param listLimit most options a list attribute gets from the run (intercom.list-attribute-max-options) */
    public ThreadSchema(IntercomClient client, Ledger ledger, RunControl run, RunAccounting accounting, int listLimit) {
        this.client = client;
        this.ledger = ledger;
        this.run = run;
        this.accounting = accounting;
        this.listLimit = listLimit;
        this.provisioning = new Provisioning(ledger, run);
    }

    /** How these attributes are to be created when the workspace lacks them (replaces earlier definitions of the same names). */
    public void define(Map<String, AttributeDefinition> wanted) {
        definitions.putAll(wanted);
    }

    public synchronized void ensureConversationAttributes(Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            AttributeDefinition definition = definition(e.getKey(), e.getValue());
            ConversationAttribute attribute = conversationAttributes().get(e.getKey());
            if (attribute == null) {
                attribute = create(e.getKey(), definition);
                conversationAttributes().put(e.getKey(), attribute);
            } else if (!attribute.type().equals(definition.dataType())) {
                accounting.queue("conversation attribute type kept", e.getKey(), "exists in the workspace as "
                        + attribute.type() + " where the run would create a " + definition.dataType()
                        + (definition.reason() == null ? "" : " (" + definition.reason() + ")")
                        + "; Intercom cannot change an attribute's type, so values are sent as " + attribute.type()
                        + " and a value that cannot be is left off and listed here");
            }
            if (described.add(e.getKey())) {
                describe(e.getKey(), attribute, definition);
            }
        }
    }

    /**
     * The values fitted to the attributes as the workspace has them ({@link #ensureConversationAttributes} first): a
     * list value takes the option's own spelling, or becomes a new option while the list is below the limit; a number
     * for a string attribute is sent as text; a value that cannot fit is left out and queued.
     */
    public synchronized Map<String, Object> conform(Map<String, Object> values, Map<String, String> planTypes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            ConversationAttribute attribute = conversationAttributes().get(name);
            String wanted = conversationType(planTypes.getOrDefault(name, "string"));
            if (attribute == null) {
                out.put(name, value); // not ensured: sent as planned
                continue;
            }
            String type = attribute.type();
            switch (type) {
                case "list" -> listValue(name, attribute, String.valueOf(value)).ifPresent(label -> out.put(name, label));
                case "string" -> out.put(name, value instanceof String ? value : String.valueOf(value));
                default -> {
                    if (type.equals(wanted)) {
                        out.put(name, value);
                    } else {
                        accounting.queue("conversation attribute value not migrated", name, "the workspace attribute has type "
                                + type + " but the run sends " + wanted + "; values left off");
                    }
                }
            }
        }
        return out;
    }

    private Optional<String> listValue(String name, ConversationAttribute attribute, String value) {
        Optional<String> option = attribute.options().stream().filter(value::equals).findFirst()
                .or(() -> attribute.options().stream().filter(value::equalsIgnoreCase).findFirst());
        if (option.isPresent()) {
            return option;
        }
        if (refusedOptions.contains(name + "\u0000" + value.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (attribute.options().size() >= listLimit) {
            accounting.queue("list value not migrated", name + " = " + value, "not an option of the list attribute, which has "
                    + attribute.options().size() + " options already (intercom.list-attribute-max-options = " + listLimit
                    + "): left off the conversations that carry it");
            return Optional.empty();
        }
        String path = "/conversations/attributes/" + attribute.id() + "/options";
        String target = "conversation_attribute_option:" + attribute.id() + ":" + value;
        try {
            provisioning.ensure("CONVERSATION_OPTION_CREATE", target,
                    () -> optionId(client.post(path, NODES.objectNode().put("label", value)).body(), value).orElse(null), () -> {
                        conversationAttributes = null; // an earlier attempt may have added it: read the lists again
                        for (JsonNode a : attributeList()) {
                            if (a.path("id").asText().equals(attribute.id())) {
                                return optionId(a, value);
                            }
                        }
                        return Optional.empty();
                    });
        } catch (IntercomApiException.Rejected refused) {
            refusedOptions.add(name + "\u0000" + value.toLowerCase(Locale.ROOT)); // not asked again in this run
            accounting.queue("list value not migrated", name + " = " + value, "Intercom refused it as a new option ("
                    + refused.status() + " " + refused.code() + ": " + refused.getMessage() + "): left off the conversations");
            return Optional.empty();
        } catch (RuntimeException failed) {
            conversationAttributes = null; // the option may have landed (502, cut off): the retry reads the list again
            throw failed;
        }
        ConversationAttribute now = conversationAttributes().get(name);
        Optional<String> live = now == null ? Optional.empty() : now.options().stream().filter(value::equalsIgnoreCase).findFirst();
        if (live.isPresent()) {
            return live; // read back: the option as the workspace spells it
        }
        attribute.options().add(value);
        accounting.queue("list option added", name + " = " + value, "not among the options the list was made from:"
                + " added to the list attribute");
        LOG.info("{} option '{}' to conversation attribute {}", client.dryRun() ? "Dry-run: would add" : "Added", value, name);
        describe(name, attribute, definitions.get(name));
        return Optional.of(value);
    }

    /** The id of the live option of that label (ignoring case) in an attribute as Intercom answers it. */
    private static Optional<String> optionId(JsonNode attribute, String label) {
        for (JsonNode o : attribute.path("options")) {
            if (label.equalsIgnoreCase(o.path("label").asText()) && !o.path("archived").asBoolean(false)) {
                return Optional.of(o.path("id").asText());
            }
        }
        return Optional.empty();
    }

    private AttributeDefinition definition(String name, String planType) {
        AttributeDefinition defined = definitions.get(name);
        return defined != null ? defined : new AttributeDefinition(conversationType(planType), List.of(), null);
    }

    private Map<String, ConversationAttribute> conversationAttributes() {
        if (conversationAttributes == null) {
            Map<String, ConversationAttribute> loaded = new ConcurrentHashMap<>();
            for (JsonNode a : attributeList()) {
                if (!a.path("archived").asBoolean(false)) {
                    loaded.put(a.path("name").asText(), new ConversationAttribute(a.path("id").asText(),
                            a.path("data_type").asText(), liveOptions(a), false));
                }
            }
            conversationAttributes = loaded;
        }
        return conversationAttributes;
    }

    private JsonNode attributeList() {
        JsonNode body = client.get("/conversations/attributes").body();
        return body.has("data") ? body.path("data") : body.path("attributes");
    }

    private ConversationAttribute create(String name, AttributeDefinition definition) {
        ObjectNode req = NODES.objectNode().put("name", name).put("data_type", definition.dataType())
                .put("description", "Created by intercom-migrator run " + run.runId());
        if (definition.list()) {
            ArrayNode options = req.putArray("options");
            definition.options().forEach(label -> options.addObject().put("label", label));
        }
        JsonNode[] answer = new JsonNode[1];
        try {
            provisioning.ensure("CONVERSATION_ATTRIBUTE_CREATE", "conversation_attribute:" + name, () -> {
                answer[0] = client.post("/conversations/attributes", req).body();
                return answer[0].path("id").asText(null);
            }, () -> {
                conversationAttributes = null; // an earlier attempt or run may have made it: read the list again
                return Optional.ofNullable(conversationAttributes().get(name)).map(ConversationAttribute::id);
            });
        } catch (RuntimeException failed) {
            conversationAttributes = null; // the create may have landed (502, cut off): the retry reads the list again
            throw failed;
        }
        if (answer[0] == null) {
            ConversationAttribute found = conversationAttributes().get(name);
            LOG.info("Conversation attribute {} is in the workspace already ({}): using it", name, found.type());
            return found;
        }
        String id = answer[0].path("id").asText(null);
        List<String> options = liveOptions(answer[0]);
        if (options.isEmpty()) {
            options.addAll(definition.options()); // a dry-run's made-up answer lists none
        }
        LOG.info("{} conversation attribute {} ({}{})", client.dryRun() ? "Dry-run: would create" : "Created", name,
                definition.dataType(),
                definition.list() ? " of " + definition.options().size() + " options" : "");
        return new ConversationAttribute(id, definition.dataType(), options, true);
    }

    private static List<String> liveOptions(JsonNode attribute) {
        List<String> options = new ArrayList<>(); // changed only under the schema's lock
        for (JsonNode o : attribute.path("options")) {
            if (!o.path("archived").asBoolean(false)) {
                options.add(o.path("label").asText());
            }
        }
        return options;
    }

    /** What the attribute became, for the handoff inventory (ledger catalog intercom / conversation_attribute). */
    private void describe(String name, ConversationAttribute attribute, AttributeDefinition definition) {
        ObjectNode d = NODES.objectNode().put("name", name).put("data_type", attribute.type());
        if (attribute.type().equals("list")) {
            attribute.options().forEach(d.putArray("options")::add);
        }
        d.put("origin", !attribute.ours() ? "already in the workspace"
                : client.dryRun() ? "to be created (dry-run " + run.runId() + ")" : "created by run " + run.runId());
        if (definition != null) {
            d.put("wanted", definition.dataType());
            if (definition.reason() != null) {
                d.put("reason", definition.reason());
            }
        }
        ledger.putCatalog(CATALOG_SYSTEM, CATALOG_KIND, name, d.toString());
    }

    /** The ticket type of that name (created with the given attributes when missing; archived ones brought back; missing ones added). */
    public synchronized TicketType ticketType(String name, Map<String, String> attributeTypes) {
        TicketType type = ticketTypes.get(name);
        if (type == null) {
            JsonNode found = findTicketType(name);
            if (found != null && !found.has("ticket_type_attributes")) {
                found = client.get("/ticket_types/" + found.path("id").asText()).body(); // a list without the attributes
            }
            if (found != null) {
                Map<String, Boolean> attrs = new ConcurrentHashMap<>();
                Map<String, String> archived = new ConcurrentHashMap<>();
                for (JsonNode a : attributesOf(found)) {
                    if (!a.path("archived").asBoolean(false)) {
                        attrs.put(a.path("name").asText(), true);
                    } else {
                        archived.put(a.path("name").asText(), a.path("id").asText());
                    }
                }
                archived.keySet().removeAll(attrs.keySet());
                type = new TicketType(found.path("id").asText(), attrs, archived);
                if (found.path("archived").asBoolean(false)) {
                    // archived earlier (e.g. by a rollback): the name is taken, so bring the type back
                    long j = ledger.journalIntent(run.runId(), null, "TICKET_TYPE_UNARCHIVE", "ticket_type:" + name, type.id(), null);
                    client.put("/ticket_types/" + type.id(), NODES.objectNode().put("archived", false));
                    ledger.journalDone(j, type.id());
                }
            } else {
                ObjectNode req = NODES.objectNode().put("name", name).put("category", "Customer")
                        .put("description", "Migrated tickets (intercom-migrator)");
                // read back, its attributes are not known here: one it has already answers "already exists" and is read back too
                String id = provisioning.ensure("TICKET_TYPE_CREATE", "ticket_type:" + name, () -> client.post("/ticket_types", req).id(),
                        () -> Optional.ofNullable(findTicketType(name)).map(t -> t.path("id").asText()));
                type = new TicketType(id, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
                LOG.info("{} ticket type {}", client.dryRun() ? "Dry-run: would create" : "Made", name);
            }
            ticketTypes.put(name, type);
        }
        for (Map.Entry<String, String> e : attributeTypes.entrySet()) {
            if (e.getKey().startsWith("_default_") || type.attributes().containsKey(e.getKey())) {
                continue;
            }
            String archived = type.archivedAttributes().get(e.getKey());
            try {
                if (archived != null) {
                    unarchiveTicketTypeAttribute(type, e.getKey(), archived);
                } else {
                    createTicketTypeAttribute(type, e.getKey(), e.getValue());
                }
            } catch (RuntimeException failed) {
                ticketTypes.remove(name); // the write may have landed (502, cut off): the retry reads the type again
                throw failed;
            }
            type.archivedAttributes().remove(e.getKey());
            type.attributes().put(e.getKey(), true);
        }
        return type;
    }

    /** The workspace's ticket type of that name (ignoring case; a live one wins over an archived one), or null. */
    private JsonNode findTicketType(String name) {
        JsonNode found = null;
        for (JsonNode t : client.get("/ticket_types").body().path("data")) {
            if (name.equalsIgnoreCase(t.path("name").asText()) && (found == null || !t.path("archived").asBoolean(false))) {
                found = t;
            }
        }
        return found;
    }

    /**
     * A ticket type's attributes as Intercom answers them: the spec's schema nests them as
     * {@code ticket_type_attributes.ticket_type_attributes}, its examples as {@code ticket_type_attributes.data}.
     */
    private static JsonNode attributesOf(JsonNode ticketType) {
        JsonNode list = ticketType.path("ticket_type_attributes");
        if (list.isArray()) {
            return list;
        }
        return list.path("ticket_type_attributes").isArray() ? list.path("ticket_type_attributes") : list.path("data");
    }

    /** An attribute archived earlier (e.g. by a rollback) keeps its name and type: it is brought back, not made twice. */
    private void unarchiveTicketTypeAttribute(TicketType type, String name, String attributeId) {
        long j = ledger.journalIntent(run.runId(), null, "TICKET_TYPE_ATTRIBUTE_UNARCHIVE",
                "ticket_type_attribute:" + type.id() + ":" + name, attributeId, null);
        client.put("/ticket_types/" + type.id() + "/attributes/" + attributeId, NODES.objectNode().put("archived", false));
        ledger.journalDone(j, attributeId);
        LOG.info("Unarchived ticket type attribute {}", name);
    }

    private void createTicketTypeAttribute(TicketType type, String name, String planType) {
        ObjectNode req = NODES.objectNode().put("name", name).put("description", name + " (migrated)")
                .put("data_type", conversationType(planType)).put("visible_on_create", true);
        provisioning.ensure("TICKET_TYPE_ATTRIBUTE_CREATE", "ticket_type_attribute:" + type.id() + ":" + name,
                () -> client.post("/ticket_types/" + type.id() + "/attributes", req).id(), () -> {
                    for (JsonNode a : attributesOf(client.get("/ticket_types/" + type.id()).body())) {
                        if (name.equalsIgnoreCase(a.path("name").asText()) && !a.path("archived").asBoolean(false)) {
                            return Optional.of(a.path("id").asText());
                        }
                    }
                    return Optional.empty();
                });
    }

    /** Contact-attribute type names → conversation / ticket attribute type names. */
    static String conversationType(String type) {
        return switch (type) {
            case "list" -> "list";
            case "integer" -> "integer";
            case "float", "decimal" -> "decimal";
            case "boolean" -> "boolean";
            case "date", "datetime" -> "datetime";
            default -> "string";
        };
    }
}
