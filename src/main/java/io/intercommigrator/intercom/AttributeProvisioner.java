package io.intercommigrator.intercom;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.Concurrently;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;

/**
 * Makes sure every contact data attribute a payload uses exists before the payload is sent (Intercom answers 400
 * for an undefined attribute). Reads the workspace's attributes once per run, creates what is missing, journals
 * each creation so a rollback can archive it.
 */
public final class AttributeProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(AttributeProvisioner.class);

    private final IntercomClient client;
    private final Ledger ledger;
    private final RunControl run;
    private volatile Map<String, String> contactAttributes;
    private final Map<String, String> archivedIds = new ConcurrentHashMap<>();
    private final Map<String, String> liveIds = new ConcurrentHashMap<>();
    private final Provisioning provisioning;
    private final Object making = new Object();
    private static final int MAKE_AT_ONCE = 8;

    public AttributeProvisioner(IntercomClient client, Ledger ledger, RunControl run) {
        this.client = client;
        this.ledger = ledger;
        this.run = run;
        this.provisioning = new Provisioning(ledger, run);
    }

    /**
     * Ensures the attributes exist (archived ones unarchived); answers name → the data_type Intercom actually has for each.
     * The missing ones are made at the same time: one after another, a file's first contact waited for each in turn
     * (7 ClickDesk visitor attributes at 400 ms latency: 3 s of an almost empty rate-limit window, issue 14). One set
     * is made at a time, so no attribute is made twice at once.
     */
    public Map<String, String> ensureContactAttributes(Map<String, String> wanted) {
        if (!contactAttributes().keySet().containsAll(wanted.keySet())) {
            synchronized (making) {
                List<Map.Entry<String, String>> missing = wanted.entrySet().stream()
                        .filter(e -> !contactAttributes().containsKey(e.getKey())).toList();
                Concurrently.forEach("attributes", MAKE_AT_ONCE, missing, e -> create(e.getKey(), e.getValue()));
            }
        }
        return contactAttributes(); // read again after an unarchive: the attribute comes back with its own type
    }

    /** Only from {@link #ensureContactAttributes}, holding {@link #making}. */
    private void create(String name, String dataType) {
        Map<String, String> known = contactAttributes();
        if (known.containsKey(name)) {
            return;
        }
        String archived = archivedIds.remove(name);
        if (archived != null) {
            // an attribute archived earlier (e.g. by a rollback) keeps its name: bring it back instead of creating it
            long j = ledger.journalIntent(run.runId(), null, "ATTRIBUTE_UNARCHIVE", "contact_attribute:" + name, archived, null);
            client.put("/data_attributes/" + archived, JsonNodeFactory.instance.objectNode().put("archived", false));
            ledger.journalDone(j, archived);
            contactAttributes = null;
            contactAttributes();
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name).put("model", "contact").put("data_type", dataType)
                .put("description", "Created by intercom-migrator run " + run.runId());
        provisioning.ensure("ATTRIBUTE_CREATE", "contact_attribute:" + name, () -> client.post("/data_attributes", body).id(), () -> {
            contactAttributes = null; // an earlier attempt or run may have made it: read the list again
            return contactAttributes().containsKey(name) ? Optional.of(liveIds.getOrDefault(name, "")) : Optional.empty();
        });
        known = contactAttributes(); // a list read again meanwhile (another create's lost answer) may not have it yet
        known.putIfAbsent(name, dataType);
        LOG.info("{} contact attribute {} ({})", client.dryRun() ? "Dry-run: would create" : "Made", name, known.get(name));
    }

    private Map<String, String> contactAttributes() {
        Map<String, String> known = contactAttributes;
        if (known == null) {
            synchronized (this) {
                if (contactAttributes == null) {
                    Map<String, String> loaded = new ConcurrentHashMap<>();
                    JsonNode list = client.get("/data_attributes?model=contact&include_archived=true").body();
                    for (JsonNode a : list.path("data")) {
                        if (!a.path("archived").asBoolean(false)) {
                            loaded.put(a.path("name").asText(), a.path("data_type").asText("string"));
                            liveIds.put(a.path("name").asText(), a.path("id").asText(""));
                        } else {
                            archivedIds.put(a.path("name").asText(), a.path("id").asText());
                        }
                    }
                    contactAttributes = loaded;
                }
                known = contactAttributes;
            }
        }
        return known;
    }
}
