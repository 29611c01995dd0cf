package io.intercommigrator.intercom;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.RunControl;
import io.intercommigrator.ledger.Ledger;

/**
 * The schema threads need before they are sent: conversation attributes ({@code /conversations/attributes}, new in
 * 2.16), ticket types and their attributes. Read once per run, created when missing, each creation journaled so
 * rollback can archive it.
 */
public final class ThreadSchema {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadSchema.class);

    private final IntercomClient client;
    private final Ledger ledger;
    private final RunControl run;
    private volatile Map<String, String> conversationAttributes;
    private final Map<String, TicketType> ticketTypes = new ConcurrentHashMap<>();

    /** A ticket type and the attribute names it has. */
    public record TicketType(String id, Map<String, Boolean> attributes) {
    }

    public ThreadSchema(IntercomClient client, Ledger ledger, RunControl run) {
        this.client = client;
        this.ledger = ledger;
        this.run = run;
    }

    public synchronized void ensureConversationAttributes(Map<String, String> wanted) {
        if (conversationAttributes == null) {
            Map<String, String> loaded = new ConcurrentHashMap<>();
            JsonNode body = client.get("/conversations/attributes").body();
            for (JsonNode a : body.has("data") ? body.path("data") : body.path("attributes")) {
                if (!a.path("archived").asBoolean(false)) {
                    loaded.put(a.path("name").asText(), a.path("data_type").asText());
                }
            }
            conversationAttributes = loaded;
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!conversationAttributes.containsKey(e.getKey())) {
                ObjectNode req = JsonNodeFactory.instance.objectNode().put("name", e.getKey())
                        .put("data_type", conversationType(e.getValue()))
                        .put("description", "Created by intercom-migrator run " + run.runId());
                long j = ledger.journalIntent(run.runId(), null, "CONVERSATION_ATTRIBUTE_CREATE",
                        "conversation_attribute:" + e.getKey(), null, null);
                String id;
                try {
                    id = client.post("/conversations/attributes", req).id();
                } catch (RuntimeException failed) {
                    conversationAttributes = null; // the create may have landed (502, cut off): the retry reads the list again
                    throw failed;
                }
                ledger.journalDone(j, id);
                conversationAttributes.put(e.getKey(), e.getValue());
                LOG.info("Created conversation attribute {} ({})", e.getKey(), conversationType(e.getValue()));
            }
        }
    }

    /** The ticket type of that name (created with the given attributes when missing; missing attributes added). */
    public synchronized TicketType ticketType(String name, Map<String, String> attributeTypes) {
        TicketType type = ticketTypes.get(name);
        if (type == null) {
            for (JsonNode t : client.get("/ticket_types").body().path("data")) {
                if (name.equalsIgnoreCase(t.path("name").asText()) && (type == null || !t.path("archived").asBoolean(false))) {
                    Map<String, Boolean> attrs = new ConcurrentHashMap<>();
                    for (JsonNode a : t.path("ticket_type_attributes").path("data")) {
                        attrs.put(a.path("name").asText(), true);
                    }
                    type = new TicketType(t.path("id").asText(), attrs);
                    if (t.path("archived").asBoolean(false)) {
                        // archived earlier (e.g. by a rollback): the name is taken, so bring the type back
                        long j = ledger.journalIntent(run.runId(), null, "TICKET_TYPE_UNARCHIVE", "ticket_type:" + name, type.id(), null);
                        client.put("/ticket_types/" + type.id(), JsonNodeFactory.instance.objectNode().put("archived", false));
                        ledger.journalDone(j, type.id());
                    }
                }
            }
            if (type == null) {
                ObjectNode req = JsonNodeFactory.instance.objectNode().put("name", name).put("category", "Customer")
                        .put("description", "Migrated tickets (intercom-migrator)");
                long j = ledger.journalIntent(run.runId(), null, "TICKET_TYPE_CREATE", "ticket_type:" + name, null, null);
                String id = client.post("/ticket_types", req).id();
                ledger.journalDone(j, id);
                type = new TicketType(id, new ConcurrentHashMap<>());
                LOG.info("Created ticket type {}", name);
            }
            ticketTypes.put(name, type);
        }
        for (Map.Entry<String, String> e : attributeTypes.entrySet()) {
            if (!e.getKey().startsWith("_default_") && !type.attributes().containsKey(e.getKey())) {
                ObjectNode req = JsonNodeFactory.instance.objectNode().put("name", e.getKey())
                        .put("description", e.getKey() + " (migrated)").put("data_type", conversationType(e.getValue()))
                        .put("visible_on_create", true);
                long j = ledger.journalIntent(run.runId(), null, "TICKET_TYPE_ATTRIBUTE_CREATE",
                        "ticket_type_attribute:" + type.id() + ":" + e.getKey(), null, null);
                String id;
                try {
                    id = client.post("/ticket_types/" + type.id() + "/attributes", req).id();
                } catch (RuntimeException failed) {
                    ticketTypes.remove(name); // the create may have landed (502, cut off): the retry reads the type again
                    throw failed;
                }
                ledger.journalDone(j, id);
                type.attributes().put(e.getKey(), true);
            }
        }
        return type;
    }

    /** Contact-attribute type names → conversation / ticket attribute type names. */
    static String conversationType(String type) {
        return switch (type) {
            case "integer" -> "integer";
            case "float", "decimal" -> "decimal";
            case "boolean" -> "boolean";
            case "date", "datetime" -> "datetime";
            default -> "string";
        };
    }
}
