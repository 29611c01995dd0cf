package io.intercommigrator.intercom;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;

/**
 * Workspace tags by name, case-insensitively (Intercom's own rule): read once per run, created when missing; a
 * creation is journaled so rollback can delete a tag the run made.
 */
public final class TagRegistry {
    private final IntercomClient client;
    private volatile Map<String, String> idsByName;
    private final Provisioning provisioning;
    private final KeyLocks creating = new KeyLocks();

    public TagRegistry(IntercomClient client, Ledger ledger, RunControl run) {
        this.client = client;
        this.provisioning = new Provisioning(ledger, run);
    }

    public static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** The tag's id, creating the tag when the workspace has none of that name. */
    public String idFor(String name) {
        String existing = tags().get(key(name));
        return existing != null ? existing : create(name);
    }

    /** The id of the workspace's tag of that name, without creating it (read-back verification). */
    public java.util.Optional<String> knownId(String name) {
        return java.util.Optional.ofNullable(tags().get(key(name)));
    }

    /**
     * One tag at a time per name, different names at the same time: a file's tag batches go out together at its end
     * ({@link ContactTagBatches#flush}), and each new tag's create used to wait for every other's answer.
     */
    private String create(String name) {
        KeyLocks.Held lock = creating.lock(key(name));
        try {
            return createNow(name);
        } finally {
            lock.unlock();
        }
    }

    private String createNow(String name) {
        String existing = tags().get(key(name));
        if (existing != null) {
            return existing;
        }
        // POST /tags {name} is an upsert by name: sending it again after an unknown outcome finds the same tag
        String id = provisioning.ensure("TAG_CREATE", "tag:" + name.trim(),
                () -> client.postRepeatable("/tags", JsonNodeFactory.instance.objectNode().put("name", name.trim())).id(), () -> {
                    idsByName = null; // an earlier attempt may have made it: read the list again
                    return Optional.ofNullable(tags().get(key(name)));
                });
        tags().put(key(name), id);
        return id;
    }

    private Map<String, String> tags() {
        Map<String, String> known = idsByName;
        if (known == null) {
            synchronized (this) {
                if (idsByName == null) {
                    Map<String, String> loaded = new ConcurrentHashMap<>();
                    for (JsonNode t : client.get("/tags").body().path("data")) {
                        loaded.put(key(t.path("name").asText()), t.path("id").asText());
                    }
                    idsByName = loaded;
                }
                known = idsByName;
            }
        }
        return known;
    }
}
