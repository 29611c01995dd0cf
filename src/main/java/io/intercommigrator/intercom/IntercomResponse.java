package io.intercommigrator.intercom;

import com.fasterxml.jackson.databind.JsonNode;

/** A 2xx answer from Intercom (or, in a dry-run, the answer the outbox makes up). */
public record IntercomResponse(int status, JsonNode body) {
    public String id() {
        JsonNode id = body.get("id");
        return id == null || id.isNull() ? null : id.asText();
    }
}
