package io.intercommigrator.intercom;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import io.intercommigrator.ExitCode;
import io.intercommigrator.Migrator;
import io.intercommigrator.RunControl;

/**
 * The only way to talk to Intercom. Each request passes the {@link RateLimitGovernor}, then goes through the
 * {@code intercom-call} route (camel-http) with the bearer token and {@code Intercom-Version}. A 429 waits for the
 * window to reset and is sent again; reads, and writes that are harmless to repeat ({@link #postRepeatable}), are
 * retried with backoff; other writes are never blindly retried here: a failed write surfaces as
 * {@link IntercomApiException.Transient} so the record's delivery can look the object up before trying again.
 */
public final class IntercomClient {
    public static final String ROUTE = "direct:intercom-call";

    private final ProducerTemplate template;
    private final RateLimitGovernor governor;
    private final AccessToken token;
    private final String apiVersion;
    private final ObjectMapper json;
    private final DryRunOutbox outbox;
    private final RequestStats stats;
    private final RunControl run;
    private final int readRetries;
    private final Backoff backoff;
    private final OutageGate outage;
    private InFlightLimit inFlight;

    public IntercomClient(ProducerTemplate template, RateLimitGovernor governor, AccessToken token, String apiVersion,
                          ObjectMapper json, DryRunOutbox outbox, RequestStats stats, RunControl run, int readRetries,
                          Backoff backoff) {
        this(template, governor, token, apiVersion, json, outbox, stats, run, readRetries, backoff, null);
    }

    /** @param outage the circuit breaker every request passes before the governor (null: none) */
    public IntercomClient(ProducerTemplate template, RateLimitGovernor governor, AccessToken token, String apiVersion,
                          ObjectMapper json, DryRunOutbox outbox, RequestStats stats, RunControl run, int readRetries,
                          Backoff backoff, OutageGate outage) {
        this.outage = outage;
        this.template = template;
        this.governor = governor;
        this.token = token;
        this.apiVersion = apiVersion;
        this.json = json;
        this.outbox = outbox;
        this.stats = stats;
        this.run = run;
        this.readRetries = readRetries;
        this.backoff = backoff;
    }

    /** Every request from now on also waits for a place under {@code limit} (requests out at once). */
    public IntercomClient limitInFlight(InFlightLimit limit) {
        this.inFlight = limit;
        return this;
    }

    public boolean dryRun() {
        return outbox != null;
    }

    public IntercomResponse get(String path) {
        return send("GET", path, null);
    }

    public IntercomResponse post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    /** A POST whose body the caller has already serialised ({@code bodyJson}, UTF-8): sent as those very bytes. */
    public IntercomResponse post(String path, JsonNode body, byte[] bodyJson) {
        return send("POST", path, body, false, bodyJson);
    }

    /**
     * A reply or note carrying files as {@code attachment_files}: the body is written from the files while it is sent
     * ({@link FilesRequestBody}). A dry-run records the request with each file's name, type and size instead of its data.
     */
    public IntercomResponse postWithFiles(String path, com.fasterxml.jackson.databind.node.ObjectNode body,
                                          java.util.List<io.intercommigrator.attachments.AttachmentSource.Copyable> files) {
        com.fasterxml.jackson.databind.node.ObjectNode summary = body.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode listed = summary.putArray("attachment_files");
        files.forEach(f -> listed.addObject().put("content_type", f.contentType()).put("name", f.name())
                .put("data", f.file() == null ? "(to download: " + f.url() + ")" : "(" + f.size() + " bytes, base64)"));
        return send("POST", path, summary, false, null, outbox != null ? null : new FilesRequestBody(json, body, files));
    }

    /** A write whose repetition changes nothing (tagging contacts in bulk): retried with backoff like a read. */
    public IntercomResponse postRepeatable(String path, JsonNode body) {
        return send("POST", path, body, true);
    }

    /** How many times a read or a repeatable write is sent before its failure surfaces. */
    public int repeatableAttempts() {
        return readRetries + 1;
    }

    public IntercomResponse put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    public IntercomResponse delete(String path) {
        return send("DELETE", path, null);
    }

    public IntercomResponse send(String method, String path, JsonNode body) {
        return send(method, path, body, method.equals("GET"));
    }

    private IntercomResponse send(String method, String path, JsonNode body, boolean repeatable) {
        return send(method, path, body, repeatable, null);
    }

    private IntercomResponse send(String method, String path, JsonNode body, boolean repeatable, byte[] bodyJson) {
        return send(method, path, body, repeatable, bodyJson, null);
    }

    private IntercomResponse send(String method, String path, JsonNode body, boolean repeatable, byte[] bodyJson,
                                  org.apache.hc.core5.http.HttpEntity entity) {
        run.checkRunning();
        if (outbox != null) {
            return outbox.record(method, path, body, bodyJson);
        }
        int failures = 0;
        while (true) {
            run.checkRunning();
            if (outage != null && outage.enter() == OutageGate.Permit.PROBE) {
                probe();
                continue;
            }
            try {
                return once(method, path, body, bodyJson, entity, false);
            } catch (RateLimited e) {
                stats.rateLimited(); // the governor already closed the window; acquire() waits for its reset
            } catch (IntercomApiException.Transient e) {
                if (repeatable && outage != null && outage.down()) {
                    continue; // an outage, not this request's fault: it waits at the gate, its retries untouched
                }
                if (!repeatable || ++failures > readRetries) {
                    throw e;
                }
                stats.retried();
                pause(backoff.delayBefore(failures));
            }
        }
    }

    /** During an outage: one GET /me tells whether Intercom answers again (the gate hears how it went). */
    private void probe() {
        try {
            once("GET", "/me", null, null, null, true);
        } catch (RateLimited | IntercomApiException.Transient | IntercomApiException.Rejected e) {
            // heard by the gate: a 5xx or no answer keeps the outage, anything else ends it
        } catch (IntercomApiException.AccessDenied e) {
            throw e; // the run is stopped with its one message
        } catch (RuntimeException e) {
            outage.failed(true, "GET /me: " + e.getMessage()); // never heard by the gate: the next probe is scheduled
        }
    }

    private IntercomResponse once(String method, String path, JsonNode body, byte[] bodyJson,
                                  org.apache.hc.core5.http.HttpEntity entity, boolean probe) {
        long place = 0;
        long ticket;
        try {
            place = inFlight == null ? 0 : inFlight.enter();
            ticket = governor.acquire();
        } catch (InterruptedException e) {
            if (place != 0) {
                inFlight.exit(place, -1, 0);
            }
            Thread.currentThread().interrupt();
            throw new IntercomApiException.Transient(0, "interrupted", "interrupted while waiting for the rate limit",
                    method + " " + path, false, e);
        }
        long sentAt = System.nanoTime();
        Exchange exchange;
        Integer status = null;
        Message answer = null;
        try {
            String payload = entity != null ? null : bodyJson != null ? new String(bodyJson, java.nio.charset.StandardCharsets.UTF_8)
                    : body == null ? null : json.writeValueAsString(body);
            int q = path.indexOf('?');
            exchange = template.send(ROUTE, e -> {
                Message m = e.getIn();
                m.setHeader(Exchange.HTTP_METHOD, method);
                m.setHeader(Exchange.HTTP_PATH, q < 0 ? path : path.substring(0, q));
                if (q >= 0) {
                    m.setHeader(Exchange.HTTP_QUERY, path.substring(q + 1));
                }
                m.setHeader("Authorization", token.authorizationHeader());
                m.setHeader("Intercom-Version", apiVersion);
                m.setHeader("Accept", "application/json");
                if (payload != null || entity != null) {
                    m.setHeader(Exchange.CONTENT_TYPE, "application/json");
                }
                m.setBody(entity != null ? entity : payload);
            });
            answer = exchange.getMessage();
            status = exchange.getException() == null ? answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise request body", e);
        } finally {
            boolean is429 = status != null && status == 429;
            governor.observe(ticket, status == null ? null : header(answer, "X-RateLimit-Limit"),
                    status == null ? null : header(answer, "X-RateLimit-Remaining"),
                    status == null ? null : longHeader(answer, "X-RateLimit-Reset"), is429);
            if (inFlight != null) {
                inFlight.exit(place, System.nanoTime() - sentAt, status);
            }
        }
        String endpoint = method + " " + path;
        if (outage != null) {
            if (status == null || status >= 500) {
                outage.failed(probe, (status == null ? "no answer" : String.valueOf(status)) + " to " + endpoint);
            } else {
                outage.answered(probe);
            }
        }
        if (exchange.getException() != null) {
            Throwable cause = exchange.getException();
            stats.sent(method, path, 0);
            throw new IntercomApiException.Transient(0, "connection", token.redact(describe(cause)), endpoint,
                    !method.equals("GET"), null);
        }
        stats.sent(method, path, status);
        JsonNode parsed = parse(answer.getBody(String.class));
        if (status >= 200 && status < 300) {
            return new IntercomResponse(status, parsed);
        }
        String code = errorField(parsed, "code");
        String message = token.redact(errorField(parsed, "message"));
        if (status == 429) {
            throw new RateLimited();
        }
        if (status == 401 || status == 403) {
            IntercomApiException.AccessDenied denied = new IntercomApiException.AccessDenied(status, code, message, endpoint);
            run.abort(status == 401 ? ExitCode.BAD_CONFIGURATION : ExitCode.REFUSED, Migrator.accessDeniedMessage(denied));
            throw denied; // stopped before any other record sends a request with the same token
        }
        if (status >= 500) {
            throw new IntercomApiException.Transient(status, code, message, endpoint, !method.equals("GET"), null);
        }
        throw new IntercomApiException.Rejected(status, code, message, endpoint);
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text.length() > 500 ? text.substring(0, 500) : text);
        }
    }

    private static String errorField(JsonNode body, String field) {
        JsonNode first = body.path("errors").path(0);
        if (first.has(field)) {
            return first.get(field).asText();
        }
        return field.equals("message") && body.isTextual() ? body.asText() : (field.equals("code") ? "unknown" : "");
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static Integer header(Message m, String name) {
        try {
            return m.getHeader(name, Integer.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long longHeader(Message m, String name) {
        try {
            return m.getHeader(name, Long.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void pause(long delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A 429: not a failure of the request, only a reason to wait for the window. */
    private static final class RateLimited extends RuntimeException {
        RateLimited() {
            super(null, null, false, false);
        }
    }
}
