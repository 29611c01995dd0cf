package io.intercommigrator.intercom;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.RunControl;

/**
 * The only way to talk to Intercom. Each request goes through the {@code intercom-call} route
 * (routes/deliver.camel.yaml): outage gate and bearer token ({@link #prepare}), {@link RateLimitGovernor}, camel-http,
 * quota headers, status ({@link #answer}). That route's error handler ({@link RequestRetry}, with the
 * {@code intercomRedelivery} back-off) sends a 429 again once the window resets, and retries reads and writes that are
 * harmless to repeat ({@link #postRepeatable}); other writes are never blindly retried here: a failed write surfaces
 * as {@link IntercomApiException.Transient} so the record's delivery can look the object up before trying again.
 */
public final class IntercomClient {
    public static final String ROUTE = "direct:intercom-call";

    /** The request of an attempt (exchange property of the intercom-call route), see {@link Request}. */
    static final String REQUEST = "migratorIntercomRequest";
    /** The response of a successful attempt (exchange property). */
    static final String RESPONSE = "migratorIntercomResponse";
    /** The attempt's place under the in-flight limit (exchange property), from {@link #prepare} to {@link #answer}. */
    static final String IN_FLIGHT = "migratorIntercomInFlight";
    /** When the governor let the attempt through (System.nanoTime, exchange property): its latency starts here. */
    static final String SENT_AT = "migratorIntercomSentAt";

    private final ProducerTemplate template;
    private final AccessToken token;
    private final String apiVersion;
    private final ObjectMapper json;
    private final DryRunOutbox outbox;
    private final RequestStats stats;
    private final RunControl run;
    private final OutageGate outage;
    private InFlightLimit inFlight;

    public IntercomClient(ProducerTemplate template, AccessToken token, String apiVersion, ObjectMapper json,
                          DryRunOutbox outbox, RequestStats stats, RunControl run) {
        this(template, token, apiVersion, json, outbox, stats, run, null);
    }

    /** @param outage the circuit breaker every request passes before the governor (null: none) */
    public IntercomClient(ProducerTemplate template, AccessToken token, String apiVersion, ObjectMapper json,
                          DryRunOutbox outbox, RequestStats stats, RunControl run, OutageGate outage) {
        this.outage = outage;
        this.template = template;
        this.token = token;
        this.apiVersion = apiVersion;
        this.json = json;
        this.outbox = outbox;
        this.stats = stats;
        this.run = run;
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

    /** How many times a read or a repeatable write is sent before its failure surfaces (intercomRedelivery). */
    public int repeatableAttempts() {
        return RequestRetry.policy(template.getCamelContext()).getMaximumRedeliveries() + 1;
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
        String payload;
        try {
            payload = entity != null ? null : bodyJson != null ? new String(bodyJson, java.nio.charset.StandardCharsets.UTF_8)
                    : body == null ? null : json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise request body", e);
        }
        return call(new Request(method, path, payload, entity, repeatable, false));
    }

    /** Sends one request through the intercom-call route, whose error handler tries it again when that is safe. */
    private IntercomResponse call(Request request) {
        Exchange exchange = template.send(ROUTE, e -> e.setProperty(REQUEST, request));
        leaveFlight(exchange, -1, 0); // an attempt that failed before its answer was read
        Exception failure = exchange.getException();
        if (failure != null) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof IntercomApiException || t instanceof RunControl.RunAbortedException || t instanceof RateLimited) {
                    throw (RuntimeException) t;
                }
            }
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return exchange.getProperty(RESPONSE, IntercomResponse.class);
    }

    /** During an outage: one GET /me tells whether Intercom answers again (the gate hears how it went). */
    private void probe() {
        try {
            call(new Request("GET", "/me", null, null, false, true));
        } catch (RateLimited | IntercomApiException.Transient | IntercomApiException.Rejected e) {
            // heard by the gate: a 5xx or no answer keeps the outage, anything else ends it
        } catch (IntercomApiException.AccessDenied e) {
            throw e; // the run is stopped with its one message
        } catch (RuntimeException e) {
            outage.failed(true, "GET /me: " + e.getMessage()); // never heard by the gate: the next probe is scheduled
        }
    }

    /**
     * Route step, first of each attempt: waits at the outage gate (sending the probe when it is this caller's turn),
     * then sets the HTTP request from {@link Request}: a retried attempt starts from the request, not from the answer
     * the previous attempt left on the message.
     */
    public void prepare(Exchange exchange) {
        Request request = exchange.getProperty(REQUEST, Request.class);
        if (!request.probe()) {
            run.checkRunning();
            while (outage != null && outage.enter() == OutageGate.Permit.PROBE) {
                probe();
            }
        }
        leaveFlight(exchange, -1, 0); // an attempt that never reached answer (stopped, interrupted) left its place
        if (inFlight != null) {
            try {
                exchange.setProperty(IN_FLIGHT, inFlight.enter());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IntercomApiException.Transient(0, "interrupted", "interrupted while waiting for a place in flight",
                        request.method() + " " + request.path(), false, e);
            }
        }
        exchange.removeProperty(SENT_AT);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(RESPONSE);
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        String path = request.path();
        int q = path.indexOf('?');
        m.setHeader(Exchange.HTTP_METHOD, request.method());
        m.setHeader(Exchange.HTTP_PATH, q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            m.setHeader(Exchange.HTTP_QUERY, path.substring(q + 1));
        }
        m.setHeader("Authorization", token.authorizationHeader());
        m.setHeader("Intercom-Version", apiVersion);
        m.setHeader("Accept", "application/json");
        if (request.payload() != null || request.entity() != null) {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        m.setBody(request.entity() != null ? request.entity() : request.payload());
    }

    /** Route step, right after the governor let the attempt through: its latency (for the in-flight limit) starts now. */
    public void sent(Exchange exchange) {
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    private void leaveFlight(Exchange exchange, long latencyNanos, Integer status) {
        Long place = exchange.getProperty(IN_FLIGHT, Long.class);
        if (place != null) {
            exchange.removeProperty(IN_FLIGHT);
            inFlight.exit(place, latencyNanos, status);
        }
    }

    /**
     * Route step, last of each attempt: tells the outage gate how Intercom answered and maps the status to the
     * response ({@link #RESPONSE}) or to the exception that decides what happens next (retry, wait, dead-letter, stop).
     */
    public void answer(Exchange exchange) {
        Request request = exchange.getProperty(REQUEST, Request.class);
        String method = request.method();
        String path = request.path();
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message answer = exchange.getMessage();
        Integer status = caught == null ? answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        Long sentAt = exchange.getProperty(SENT_AT, Long.class);
        leaveFlight(exchange, sentAt == null ? -1 : System.nanoTime() - sentAt, status);
        String endpoint = method + " " + path;
        if (outage != null) {
            if (status == null || status >= 500) {
                outage.failed(request.probe(), (status == null ? "no answer" : String.valueOf(status)) + " to " + endpoint);
            } else {
                outage.answered(request.probe());
            }
        }
        if (caught != null) {
            stats.sent(method, path, 0);
            throw new IntercomApiException.Transient(0, "connection", token.redact(describe(caught)), endpoint,
                    !method.equals("GET"), null);
        }
        stats.sent(method, path, status);
        JsonNode parsed = parse(answer.getBody(String.class));
        if (status >= 200 && status < 300) {
            exchange.setProperty(RESPONSE, new IntercomResponse(status, parsed));
            return;
        }
        String code = errorField(parsed, "code");
        String message = token.redact(errorField(parsed, "message"));
        if (status == 429) {
            stats.rateLimited(); // the governor already closed the window; the next attempt waits for its reset
            throw new RateLimited();
        }
        if (status == 401 || status == 403) {
            IntercomApiException.AccessDenied denied = new IntercomApiException.AccessDenied(status, code, message, endpoint);
            run.abort(status == 401 ? ExitCode.BAD_CONFIGURATION : ExitCode.REFUSED, denied.accessDeniedMessage());
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

    /**
     * One request as IntercomClient hands it to the intercom-call route (exchange property {@link #REQUEST}).
     * {@code repeatable}: a read, or a write harmless to repeat, that {@link RequestRetry} may send again;
     * {@code probe}: the outage gate's GET /me, which passes the gate and is never retried.
     */
    public record Request(String method, String path, String payload, org.apache.hc.core5.http.HttpEntity entity,
                          boolean repeatable, boolean probe) {
    }

    /** A 429: not a failure of the request, only a reason to wait for the window. */
    static final class RateLimited extends RuntimeException {
        RateLimited() {
            super(null, null, false, false);
        }
    }
}
