package io.intercommigrator.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process fake of the Intercom REST API 2.16 (subset) for tests.
 * Thread-safe: all workspace state is guarded by {@code lock}; rate-limit state by {@code rateLock};
 * fault state by {@code faultLock}.
 */
public final class FakeIntercom implements AutoCloseable {

    /** One API request as seen by the fake (not recorded for /_fake endpoints). status 0 = connection dropped. */
    public record RecordedRequest(Instant at, String method, String path, String query, int status, String body,
                                  Map<String, String> headers, boolean rateLimited) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String WORKSPACE_ID = "fakews";

    // ------------------------------------------------------------------ configuration
    private final String token;
    private final int limitPerWindow;
    private final int windowSeconds;
    private final long seed;
    private final int initialLatency;
    private final double initialErrorRate;
    private final double initialAmbiguousRate;
    private final double initialDropRate;
    private final int port;
    private final List<String[]> builderAdmins;
    private final List<String> builderTeams;

    private HttpServer server;
    private ExecutorService executor;

    // ------------------------------------------------------------------ workspace state (guarded by lock)
    private final Object lock = new Object();
    private Random idRandom;
    private final Set<String> usedIds = new HashSet<>();
    private final Map<String, String> builderIds = new HashMap<>(); // "admin:email"/"team:name" -> stable id
    private ObjectNode defaultAdmin;
    private final LinkedHashMap<String, ObjectNode> admins = new LinkedHashMap<>();
    private final LinkedHashMap<String, ObjectNode> teams = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, ObjectNode> dataAttributes = new LinkedHashMap<>();
    private int nextDataAttributeId = 1;
    private final LinkedHashMap<String, ObjectNode> contacts = new LinkedHashMap<>();
    /**
     * Normalised email / external_id → ids of the contacts that held it (a stale id is checked against the contact on
     * use): a create or update finds a conflicting contact without a scan of them all, which at 25,000 creates a
     * minute made the fake itself the bottleneck.
     */
    private final Map<String, Set<String>> contactsByEmail = new HashMap<>();
    private final Map<String, Set<String>> contactsByExternalId = new HashMap<>();
    private final Map<String, LinkedHashSet<String>> contactTags = new HashMap<>();
    /** Lead id → the user it was merged into (POST /contacts/merge): the lead answers 410 + Link afterwards. */
    private final Map<String, String> mergedInto = new HashMap<>();
    private final LinkedHashMap<String, ObjectNode> tags = new LinkedHashMap<>();
    private final Map<String, Map<String, JsonNode>> alterations = new HashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();

    // ------------------------------------------------------------------ rate limit state (guarded by rateLock)
    private final Object rateLock = new Object();
    private long windowStart = -1;
    private int windowCount;
    private boolean window429;
    private int rateLimitedCount;
    private int violationsAfter429;

    // ------------------------------------------------------------------ fault state (guarded by faultLock)
    private final Object faultLock = new Object();
    private Random faultRandom;
    private int failNextCount;
    private int failNextStatus;
    private int dropNextCount;
    private int ambiguousNextCount;
    private int stallNextCount;
    private boolean ambiguousToggle;
    private double serverErrorRate;
    private double ambiguousRate;
    private double dropRate;
    private volatile int latencyMillis;
    private volatile boolean planRestricted;

    private FakeIntercom(Builder b) {
        this.token = b.token;
        this.limitPerWindow = b.limitPer10s;
        this.windowSeconds = b.windowSeconds;
        this.seed = b.seed;
        this.initialLatency = b.latencyMillis;
        this.initialErrorRate = b.serverErrorRate;
        this.initialAmbiguousRate = b.ambiguousRate;
        this.initialDropRate = b.dropRate;
        this.port = b.port;
        this.builderAdmins = new ArrayList<>(b.admins);
        this.builderTeams = new ArrayList<>(b.teams);
        resetInternal();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String token = "test-token";
        private int limitPer10s = 1666;
        private int windowSeconds = 10;
        private int latencyMillis = 0;
        private long seed = 42L;
        private double serverErrorRate;
        private double ambiguousRate;
        private double dropRate;
        private int port = 0;
        private final List<String[]> admins = new ArrayList<>();
        private final List<String> teams = new ArrayList<>();

        public Builder token(String token) { this.token = token; return this; }
        public Builder limitPer10s(int limit) { this.limitPer10s = limit; return this; }
        public Builder windowSeconds(int s) { if (s <= 0) throw new IllegalArgumentException("windowSeconds"); this.windowSeconds = s; return this; }
        public Builder latencyMillis(int ms) { this.latencyMillis = ms; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder serverErrorRate(double r) { this.serverErrorRate = r; return this; }
        public Builder ambiguousRate(double r) { this.ambiguousRate = r; return this; }
        public Builder dropRate(double r) { this.dropRate = r; return this; }
        public Builder port(int port) { this.port = port; return this; }
        /** Admin that survives {@link #reset()} (same id after reset). */
        public Builder admin(String email, String name) { admins.add(new String[]{email, name}); return this; }
        /** Team that survives {@link #reset()} (same id after reset). */
        public Builder team(String name) { teams.add(name); return this; }
        public FakeIntercom build() { return new FakeIntercom(this); }
    }

    // ================================================================== lifecycle

    public synchronized FakeIntercom start() {
        if (server != null) return this;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind fake intercom", e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(512, r -> { // more than a client at 25,000/min and 400 ms has in flight
            Thread t = new Thread(r, "fake-intercom-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public synchronized String baseUrl() {
        if (server == null) throw new IllegalStateException("not started");
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized int port() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** Clears all data, recorded requests, rate-limit counters and faults. Builder admins/teams are re-seeded with the same ids. */
    public void reset() {
        resetInternal();
    }

    private void resetInternal() {
        synchronized (lock) {
            idRandom = new Random(seed);
            usedIds.clear();
            usedIds.addAll(builderIds.values());
            admins.clear();
            teams.clear();
            dataAttributes.clear();
            nextDataAttributeId = 1;
            contacts.clear();
            contactsByEmail.clear();
            contactsByExternalId.clear();
            contactTags.clear();
            mergedInto.clear();
            tags.clear();
            alterations.clear();
            searchableFrom.clear();
            searchesSeen = 0;
            requests.clear();
            maxInFlight.set(0);
            resetStep2State();
            if (defaultAdmin == null) {
                defaultAdmin = adminNode(newId(), "Fake Admin", "admin@fake-intercom.test");
            }
            usedIds.add(defaultAdmin.get("id").asText());
            for (String[] a : builderAdmins) {
                String id = builderIds.computeIfAbsent("admin:" + a[0], k -> newId());
                admins.put(id, adminNode(id, a[1], a[0]));
            }
            for (String t : builderTeams) {
                String id = builderIds.computeIfAbsent("team:" + t, k -> newId());
                teams.put(id, teamNode(id, t));
            }
        }
        synchronized (rateLock) {
            windowStart = -1;
            windowCount = 0;
            window429 = false;
            rateLimitedCount = 0;
            violationsAfter429 = 0;
        }
        synchronized (faultLock) {
            faultRandom = new Random(seed ^ 0x5DEECE66DL);
            failNextCount = 0;
            failNextStatus = 500;
            dropNextCount = 0;
            ambiguousNextCount = 0;
            stallNextCount = 0;
            ambiguousToggle = false;
            serverErrorRate = initialErrorRate;
            ambiguousRate = initialAmbiguousRate;
            dropRate = initialDropRate;
        }
        latencyMillis = initialLatency;
        planRestricted = false;
    }

    // ================================================================== fault controls

    private volatile String faultScopeMethod;
    private volatile java.util.regex.Pattern faultScopePath;

    /**
     * Limits the counted faults (failNext, dropNext, ambiguousNext) to requests of this method whose path matches
     * the regular expression; null, null = every request.
     */
    public FakeIntercom faultsOnlyFor(String method, String pathRegex) {
        faultScopeMethod = method;
        faultScopePath = pathRegex == null ? null : java.util.regex.Pattern.compile(pathRegex);
        return this;
    }

    /** Next n API requests answer {@code status} with an error.list and are not applied. */
    public FakeIntercom failNext(int n, int status) {
        synchronized (faultLock) { failNextCount = n; failNextStatus = status; }
        return this;
    }

    // ------------------------------------------------------------------ search lag (guarded by lock)
    private final Map<String, long[]> searchableFrom = new HashMap<>(); // id -> {created at (epoch ms), searches seen then}
    private long searchesSeen;
    private volatile long searchLagMillis;
    private volatile int searchLagSearches;

    /**
     * Search lag, as Intercom has it ("new contacts can take minutes to appear in search"): a contact, conversation or
     * ticket created from now on is left out of search results until {@code millis} have passed since its creation and
     * {@code searches} searches (of any kind) have been answered since. GET by id sees it at once. 0, 0 turns it off.
     */
    public FakeIntercom searchLag(long millis, int searches) {
        searchLagMillis = millis;
        searchLagSearches = searches;
        return this;
    }

    private void indexed(String id) {
        if (searchLagMillis > 0 || searchLagSearches > 0) {
            searchableFrom.put(id, new long[]{System.currentTimeMillis() + searchLagMillis, searchesSeen + searchLagSearches});
        }
    }

    private boolean searchable(String id) {
        long[] from = searchableFrom.get(id);
        if (from == null) return true;
        if (System.currentTimeMillis() < from[0] || searchesSeen <= from[1]) return false;
        searchableFrom.remove(id);
        return true;
    }

    /** Next n API requests: connection dropped without a response, not applied. */
    public FakeIntercom dropNext(int n) {
        synchronized (faultLock) { dropNextCount = n; }
        return this;
    }

    /** Next n POST/PUT/DELETE requests are applied, then answered alternately with 502 or a dropped connection. */
    public FakeIntercom ambiguousNext(int n) {
        synchronized (faultLock) { ambiguousNextCount = n; }
        return this;
    }

    /**
     * Next n POST/PUT/DELETE requests are applied, recorded (status 0), and then never answered (until the fake closes,
     * at most 60 s): the moment a test kills the migrator between a write and its ledger record.
     */
    public FakeIntercom stallNext(int n) {
        synchronized (faultLock) { stallNextCount = n; }
        return this;
    }

    public FakeIntercom serverErrorRate(double rate) {
        synchronized (faultLock) { serverErrorRate = rate; }
        return this;
    }

    public FakeIntercom ambiguousRate(double rate) {
        synchronized (faultLock) { ambiguousRate = rate; }
        return this;
    }

    public FakeIntercom dropRate(double rate) {
        synchronized (faultLock) { dropRate = rate; }
        return this;
    }

    public FakeIntercom latencyMillis(int ms) {
        latencyMillis = ms;
        return this;
    }

    private volatile long outageUntilNanos;
    private volatile int outageStatus = 503;

    /**
     * An outage: for this long every API request (whatever {@link #faultsOnlyFor} says) answers {@code status} and is not
     * applied; {@link #endOutage()} ends it early. Counted in {@link #outageAnswers()}.
     */
    public FakeIntercom outageFor(java.time.Duration duration, int status) {
        outageStatus = status;
        outageUntilNanos = System.nanoTime() + duration.toNanos();
        return this;
    }

    public FakeIntercom endOutage() {
        outageUntilNanos = 0;
        return this;
    }

    private final AtomicInteger outageAnswers = new AtomicInteger();

    /** Requests answered by an {@link #outageFor} outage. */
    public int outageAnswers() {
        return outageAnswers.get();
    }

    public FakeIntercom planRestricted(boolean restricted) {
        planRestricted = restricted;
        return this;
    }

    // ================================================================== seeding / inspection API

    public String seedAdmin(String email, String name) {
        synchronized (lock) {
            String id = newId();
            admins.put(id, adminNode(id, name, email));
            return id;
        }
    }

    public String seedTeam(String name) {
        synchronized (lock) {
            String id = newId();
            teams.put(id, teamNode(id, name));
            return id;
        }
    }

    /** Creates a contact directly (same validation as POST /contacts except duplicates are allowed). */
    public String seedContact(ObjectNode fields) {
        synchronized (lock) {
            ObjectNode c = buildContact(fields, false);
            return c.get("id").asText();
        }
    }

    /** Adds a conversation attribute directly (a list needs its option labels). Returns its id. */
    public int seedConversationAttribute(String name, String dataType, String... options) {
        synchronized (lock) {
            ObjectNode body = F.objectNode().put("name", name).put("data_type", dataType);
            if (options.length > 0) {
                ArrayNode o = body.putArray("options");
                for (String label : options) o.addObject().put("label", label);
            }
            return conversationAttributeRoutes("POST", List.of("conversations", "attributes"), Map.of(), body).body().get("id").asInt();
        }
    }

    /** Adds a workspace tag directly. Returns its id. */
    public String seedTag(String name) {
        synchronized (lock) {
            return tagRoutes("POST", List.of("tags"), F.objectNode().put("name", name)).body().get("id").asText();
        }
    }

    /** Adds a contact data attribute directly. Returns its id. */
    public int seedDataAttribute(String name, String dataType) {
        synchronized (lock) {
            ObjectNode body = F.objectNode().put("name", name).put("model", "contact").put("data_type", dataType);
            return createDataAttribute(body).get("id").asInt();
        }
    }

    public List<ObjectNode> contacts() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode c : contacts.values()) out.add(renderContact(c, false));
            return out;
        }
    }

    public ObjectNode contact(String id) {
        synchronized (lock) {
            ObjectNode c = contacts.get(id);
            return c == null ? null : renderContact(c, false);
        }
    }

    public List<ObjectNode> tags() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode t : tags.values()) out.add(t.deepCopy());
            return out;
        }
    }

    public List<ObjectNode> dataAttributes() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode a : dataAttributes.values()) out.add(a.deepCopy());
            return out;
        }
    }

    public List<ObjectNode> admins() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode a : adminList()) out.add(a.deepCopy());
            return out;
        }
    }

    /** How many API requests the fake has seen (cheap enough to poll). */
    public int requestCount() {
        synchronized (lock) {
            return requests.size();
        }
    }

    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return new ArrayList<>(requests);
        }
    }

    public int rateLimitedCount() {
        synchronized (rateLock) { return rateLimitedCount; }
    }

    public int violationsAfter429() {
        synchronized (rateLock) { return violationsAfter429; }
    }

    /** Normalised (trimmed, lower-case) emails held by more than one live (non-deleted, incl. archived) contact. */
    public List<String> duplicateEmails() {
        synchronized (lock) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (ObjectNode c : contacts.values()) {
                String e = normEmail(text(c, "email"));
                if (e != null && !e.isEmpty()) counts.merge(e, 1, Integer::sum);
            }
            List<String> out = new ArrayList<>();
            counts.forEach((k, v) -> { if (v > 1) out.add(k); });
            return out;
        }
    }

    /** GET of that contact/conversation/ticket returns {@code field} (dotted path allowed) replaced by value (null removes it). */
    public FakeIntercom alterOnRead(String objectId, String field, JsonNode value) {
        synchronized (lock) {
            alterations.computeIfAbsent(objectId, k -> new LinkedHashMap<>()).put(field, value);
        }
        return this;
    }

    /** A request's method and path with its ids left out: {@code POST /conversations/{id}/parts}. */
    static String endpointOf(RecordedRequest r) {
        StringBuilder out = new StringBuilder(r.method()).append(' ');
        for (String segment : r.path().split("/")) {
            if (!segment.isEmpty()) {
                out.append('/').append(segment.chars().anyMatch(Character::isDigit) ? "{id}" : segment);
            }
        }
        return out.toString();
    }

    public ObjectNode stats() {
        synchronized (lock) {
            ObjectNode s = F.objectNode();
            s.put("contacts", contacts.size());
            s.put("conversations", conversationCount());
            s.put("parts", partCount());
            s.put("tickets", ticketCount());
            s.put("tags", tags.size());
            s.put("requests", requests.size());
            s.put("max_in_flight", maxInFlight.get()); // requests being answered at the same time, at most
            if (!requests.isEmpty()) {
                s.put("first_request_at_ms", requests.stream().mapToLong(r -> r.at().toEpochMilli()).min().orElse(0));
                s.put("last_request_at_ms", requests.stream().mapToLong(r -> r.at().toEpochMilli()).max().orElse(0));
            }
            s.put("rate_limited", rateLimitedCount());
            // per quota window, in order: [window start (epoch s), requests counted against the quota, 429s]
            java.util.TreeMap<Long, long[]> windows = new java.util.TreeMap<>();
            // per window, the requests by endpoint ("POST /contacts", "PUT /conversations/{id}"): what ran when
            java.util.TreeMap<Long, java.util.TreeMap<String, Integer>> endpoints = new java.util.TreeMap<>();
            for (RecordedRequest r : requests) {
                if (r.status() == 401 || r.path().startsWith("/_fake")) continue;
                long start = r.at().getEpochSecond() / windowSeconds * windowSeconds;
                long[] w = windows.computeIfAbsent(start, k -> new long[2]);
                w[r.status() == 429 ? 1 : 0]++;
                endpoints.computeIfAbsent(start, k -> new java.util.TreeMap<>()).merge(endpointOf(r), 1, Integer::sum);
            }
            com.fasterxml.jackson.databind.node.ArrayNode perWindow = s.putArray("windows");
            windows.forEach((start, w) -> perWindow.addArray().add(start).add(w[0]).add(w[1]));
            com.fasterxml.jackson.databind.node.ArrayNode byEndpoint = s.putArray("windows_by_endpoint");
            endpoints.forEach((start, counts) -> {
                ObjectNode w = byEndpoint.addObject().put("start", start);
                counts.forEach(w.putObject("requests")::put);
            });
            s.put("limit_per_window", limitPerWindow);
            s.put("outage_answers", outageAnswers.get()); // answered by an outageFor outage
            s.put("violations_after_429", violationsAfter429());
            s.put("duplicate_emails", duplicateEmails().size());
            s.put("duplicate_external_ids", duplicateExternalIds().size());
            s.put("duplicate_conversations", duplicateConversations().size());
            s.put("duplicate_tickets", duplicateTickets().size());
            s.put("duplicate_parts", duplicateParts().size());
            s.put("threads_with_repeated_assignment", repeatedAssignments().size());
            return s;
        }
    }

    // ================================================================== HTTP plumbing

    private static class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private record Resp(int status, JsonNode body) {
    }

    private record RateInfo(int limit, int remaining, long reset, boolean limited) {
    }

    private enum Fault { NONE, FAIL, DROP, AMBIGUOUS_502, AMBIGUOUS_DROP, RANDOM_500, STALL }

    private static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " Not Found");
    }

    private static ApiError invalid(String message) {
        return new ApiError(400, "parameter_invalid", message);
    }

    private static ApiError missing(String message) {
        return new ApiError(400, "parameter_not_found", message);
    }

    private static ObjectNode errorBody(String code, String message) {
        ObjectNode b = F.objectNode();
        b.put("type", "error.list");
        b.putNull("request_id");
        ObjectNode e = b.putArray("errors").addObject();
        e.put("code", code);
        e.put("message", message);
        return b;
    }

    private static String codeForStatus(int status) {
        switch (status) {
            case 400: return "parameter_invalid";
            case 401: return "unauthorized";
            case 403: return "forbidden";
            case 404: return "not_found";
            case 409: return "conflict";
            case 422: return "parameter_invalid";
            case 429: return "rate_limit_exceeded";
            case 502: return "bad_gateway";
            case 503: return "service_unavailable";
            case 504: return "gateway_timeout";
            default: return status >= 500 ? "server_error" : "error";
        }
    }

    /** Starts counting {@code max_in_flight} afresh (e.g. between two runs of one test). */
    public FakeIntercom resetMaxInFlight() {
        maxInFlight.set(inFlight.get());
        return this;
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private void handle(HttpExchange ex) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            handleCounted(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void handleCounted(HttpExchange ex) {
        Instant at = Instant.now();
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        String bodyText = "";
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            try (InputStream in = ex.getRequestBody()) {
                bodyText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ex.getRequestHeaders().forEach((k, v) -> {
                if (!v.isEmpty()) headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
            });
            List<String> segs = segments(rawPath);
            if (!segs.isEmpty() && segs.get(0).equals("_fake")) {
                handleFake(ex, method, segs);
                return;
            }
            String auth = headers.get("authorization");
            if (auth == null || !auth.trim().equals("Bearer " + token)) {
                record(at, method, rawPath, query, 401, bodyText, headers, false);
                send(ex, 401, errorBody("unauthorized", "Access Token Invalid"), null);
                return;
            }
            if (planRestricted) {
                record(at, method, rawPath, query, 403, bodyText, headers, false);
                send(ex, 403, errorBody("api_plan_restricted", "Active subscription needed."), peekRate());
                return;
            }
            RateInfo rate = takeRate();
            if (rate.limited()) {
                record(at, method, rawPath, query, 429, bodyText, headers, true);
                send(ex, 429, errorBody("rate_limit_exceeded", "Exceeded rate limit of " + limitPerWindow + " in 10_seconds"), rate);
                return;
            }
            int latency = latencyMillis;
            if (latency > 0) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean mutating = method.equals("POST") || method.equals("PUT") || method.equals("DELETE");
            Fault fault;
            int failStatus = 500;
            boolean inScope = (faultScopeMethod == null || faultScopeMethod.equals(method))
                    && (faultScopePath == null || faultScopePath.matcher(rawPath).matches());
            synchronized (faultLock) {
                if (outageUntilNanos != 0 && System.nanoTime() < outageUntilNanos) {
                    fault = Fault.FAIL;
                    failStatus = outageStatus;
                    outageAnswers.incrementAndGet();
                } else if (!inScope) {
                    fault = Fault.NONE;
                } else if (failNextCount > 0) {
                    failNextCount--;
                    fault = Fault.FAIL;
                    failStatus = failNextStatus;
                } else if (dropNextCount > 0) {
                    dropNextCount--;
                    fault = Fault.DROP;
                } else if (mutating && stallNextCount > 0) {
                    stallNextCount--;
                    fault = Fault.STALL;
                } else if (mutating && ambiguousNextCount > 0) {
                    ambiguousNextCount--;
                    fault = ambiguousToggle ? Fault.AMBIGUOUS_DROP : Fault.AMBIGUOUS_502;
                    ambiguousToggle = !ambiguousToggle;
                } else if (dropRate > 0 && faultRandom.nextDouble() < dropRate) {
                    fault = Fault.DROP;
                } else if (serverErrorRate > 0 && faultRandom.nextDouble() < serverErrorRate) {
                    fault = Fault.RANDOM_500;
                } else if (mutating && ambiguousRate > 0 && faultRandom.nextDouble() < ambiguousRate) {
                    fault = faultRandom.nextBoolean() ? Fault.AMBIGUOUS_DROP : Fault.AMBIGUOUS_502;
                } else {
                    fault = Fault.NONE;
                }
            }
            switch (fault) {
                case FAIL:
                    record(at, method, rawPath, query, failStatus, bodyText, headers, false);
                    send(ex, failStatus, errorBody(codeForStatus(failStatus), "Injected failure"), rate);
                    return;
                case RANDOM_500:
                    record(at, method, rawPath, query, 500, bodyText, headers, false);
                    send(ex, 500, errorBody("server_error", "Injected server error"), rate);
                    return;
                case DROP:
                    record(at, method, rawPath, query, 0, bodyText, headers, false); // before the client can see the drop
                    ex.close();
                    return;
                default:
                    break;
            }
            Resp resp = dispatchSafely(method, segs, query, bodyText);
            // recorded before answering: a client that saw the answer always finds its request in requests()
            if (fault == Fault.AMBIGUOUS_502) {
                record(at, method, rawPath, query, 502, bodyText, headers, false);
                send(ex, 502, errorBody("bad_gateway", "Bad Gateway"), rate);
            } else if (fault == Fault.AMBIGUOUS_DROP) {
                record(at, method, rawPath, query, 0, bodyText, headers, false);
                ex.close();
            } else if (fault == Fault.STALL) {
                record(at, method, rawPath, query, 0, bodyText, headers, false);
                try {
                    Thread.sleep(60_000); // close() interrupts it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            } else {
                record(at, method, rawPath, query, resp.status(), bodyText, headers, false);
                send(ex, resp.status(), resp.body(), rate);
            }
        } catch (Throwable t) {
            try {
                send(ex, 500, errorBody("server_error", "Fake internal error: " + t), null);
            } catch (Throwable ignored) {
                ex.close();
            }
            record(at, method, rawPath, query, 500, bodyText, headers, false);
        }
    }

    private Resp dispatchSafely(String method, List<String> segs, String query, String bodyText) {
        try {
            JsonNode body;
            if (bodyText == null || bodyText.isBlank()) {
                body = F.objectNode();
            } else {
                try {
                    body = MAPPER.readTree(bodyText);
                } catch (IOException e) {
                    throw invalid("Request body is not valid JSON");
                }
                if (body == null || body.isMissingNode() || body.isNull()) body = F.objectNode();
                if (!body.isObject()) throw invalid("Request body must be a JSON object");
            }
            Map<String, String> q = parseQuery(query);
            synchronized (lock) {
                return dispatch(method, segs, q, (ObjectNode) body);
            }
        } catch (ApiError e) {
            ObjectNode error = errorBody(e.code, e.getMessage());
            if (e instanceof Merged merged) error.put(LINK, "</contacts/" + merged.canonical + ">; rel=\"canonical\"");
            return new Resp(e.status, error);
        }
    }

    private void record(Instant at, String method, String path, String query, int status, String body,
                        Map<String, String> headers, boolean rateLimited) {
        synchronized (lock) {
            requests.add(new RecordedRequest(at, method, path, query, status, body,
                    Collections.unmodifiableMap(new LinkedHashMap<>(headers)), rateLimited));
        }
    }

    /** Internal field of an error body that is sent as the Link header instead (410 on a merged contact). */
    private static final String LINK = "_fake_link";

    private static void send(HttpExchange ex, int status, JsonNode body, RateInfo rate) throws IOException {
        if (body instanceof ObjectNode o && o.has(LINK)) {
            body = o.deepCopy();
            ex.getResponseHeaders().set("Link", ((ObjectNode) body).remove(LINK).asText());
        }
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (rate != null) {
            ex.getResponseHeaders().set("X-RateLimit-Limit", String.valueOf(rate.limit()));
            ex.getResponseHeaders().set("X-RateLimit-Remaining", String.valueOf(rate.remaining()));
            ex.getResponseHeaders().set("X-RateLimit-Reset", String.valueOf(rate.reset()));
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private RateInfo takeRate() {
        long now = Instant.now().getEpochSecond();
        long start = now - Math.floorMod(now, (long) windowSeconds);
        synchronized (rateLock) {
            if (start != windowStart) {
                windowStart = start;
                windowCount = 0;
                window429 = false;
            }
            if (window429) violationsAfter429++;
            if (windowCount >= limitPerWindow) {
                window429 = true;
                rateLimitedCount++;
                return new RateInfo(limitPerWindow, 0, start + windowSeconds, true);
            }
            windowCount++;
            return new RateInfo(limitPerWindow, Math.max(0, limitPerWindow - windowCount), start + windowSeconds, false);
        }
    }

    private RateInfo peekRate() {
        long now = Instant.now().getEpochSecond();
        long start = now - Math.floorMod(now, (long) windowSeconds);
        synchronized (rateLock) {
            int used = start == windowStart ? windowCount : 0;
            return new RateInfo(limitPerWindow, Math.max(0, limitPerWindow - used), start + windowSeconds, false);
        }
    }

    private void handleFake(HttpExchange ex, String method, List<String> segs) throws IOException {
        String what = segs.size() > 1 ? segs.get(1) : "";
        if (method.equals("GET") && what.equals("stats")) {
            send(ex, 200, stats(), null);
        } else if (method.equals("POST") && what.equals("outage") && segs.size() == 4) {
            // POST /_fake/outage/<seconds>/<status>: every API request answers <status> for that long (0 s ends it)
            outageFor(java.time.Duration.ofSeconds(Long.parseLong(segs.get(2))), Integer.parseInt(segs.get(3)));
            send(ex, 200, F.objectNode().put("outage_seconds", Long.parseLong(segs.get(2))), null);
        } else if (method.equals("POST") && what.equals("reset")) {
            reset();
            send(ex, 200, F.objectNode().put("reset", true), null);
        } else {
            send(ex, 404, errorBody("not_found", "Resource Not Found"), null);
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) return out;
        for (String s : rawPath.split("/")) {
            if (s.isEmpty()) continue;
            out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String p : rawQuery.split("&")) {
            if (p.isEmpty()) continue;
            int i = p.indexOf('=');
            String k = i < 0 ? p : p.substring(0, i);
            String v = i < 0 ? "" : p.substring(i + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ================================================================== routing (called with lock held)

    private Resp dispatch(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        int n = s.size();
        String root = n > 0 ? s.get(0) : "";
        switch (root) {
            case "me":
                if (n == 1 && m.equals("GET")) return ok(adminList().get(0).deepCopy());
                break;
            case "admins":
                if (n == 1 && m.equals("GET")) {
                    ObjectNode r = F.objectNode().put("type", "admin.list");
                    ArrayNode a = r.putArray("admins");
                    for (ObjectNode ad : adminList()) a.add(ad.deepCopy());
                    return ok(r);
                }
                if (n == 2 && m.equals("GET")) {
                    ObjectNode ad = findAdmin(s.get(1));
                    if (ad == null) throw notFound("Admin");
                    return ok(ad.deepCopy());
                }
                break;
            case "teams":
                if (n == 1 && m.equals("GET")) {
                    ObjectNode r = F.objectNode().put("type", "team.list");
                    ArrayNode a = r.putArray("teams");
                    for (ObjectNode t : teams.values()) a.add(t.deepCopy());
                    return ok(r);
                }
                if (n == 2 && m.equals("GET")) {
                    ObjectNode t = teams.get(s.get(1));
                    if (t == null) throw notFound("Team");
                    return ok(t.deepCopy());
                }
                break;
            case "data_attributes":
                return dataAttributeRoutes(m, s, q, body);
            case "contacts":
                return contactRoutes(m, s, q, body);
            case "tags":
                return tagRoutes(m, s, body);
            default: {
                Resp r = dispatchStep2(m, s, q, body);
                if (r != null) return r;
            }
        }
        throw new ApiError(404, "not_found", "Resource Not Found");
    }

    private static Resp ok(JsonNode body) {
        return new Resp(200, body);
    }

    // ================================================================== admins / teams

    private static ObjectNode adminNode(String id, String name, String email) {
        ObjectNode a = F.objectNode();
        a.put("type", "admin");
        a.put("id", id);
        a.put("name", name);
        a.put("email", email);
        a.put("away_mode_enabled", false);
        a.put("away_mode_reassign", false);
        a.put("has_inbox_seat", true);
        a.putArray("team_ids");
        return a;
    }

    private static ObjectNode teamNode(String id, String name) {
        ObjectNode t = F.objectNode();
        t.put("type", "team");
        t.put("id", id);
        t.put("name", name);
        t.putArray("admin_ids");
        return t;
    }

    private List<ObjectNode> adminList() {
        if (admins.isEmpty()) return List.of(defaultAdmin);
        return new ArrayList<>(admins.values());
    }

    private ObjectNode findAdmin(String id) {
        if (id == null) return null;
        ObjectNode a = admins.get(id);
        if (a == null && defaultAdmin.get("id").asText().equals(id)) a = defaultAdmin;
        return a;
    }

    /** Validates an admin_id field: required -> 400 parameter_not_found when absent; unknown -> 400 parameter_invalid. */
    private ObjectNode requireAdmin(ObjectNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            if (required) throw missing(field + " is required");
            return null;
        }
        ObjectNode a = findAdmin(v.asText());
        if (a == null) throw invalid("Admin not found for " + field + "=" + v.asText());
        return a;
    }

    // ================================================================== data attributes

    private static final Set<String> DA_TYPES = Set.of("string", "integer", "float", "boolean", "date", "datetime", "options");

    private Resp dataAttributeRoutes(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        int n = s.size();
        if (n == 1 && m.equals("GET")) {
            String model = q.get("model");
            if (model != null && !model.equals("contact") && !model.equals("company")) {
                throw new ApiError(422, "parameter_invalid", "model must be one of contact, company");
            }
            boolean includeArchived = "true".equalsIgnoreCase(q.get("include_archived"));
            ObjectNode r = F.objectNode().put("type", "list");
            ArrayNode data = r.putArray("data");
            for (ObjectNode a : dataAttributes.values()) {
                if (model != null && !model.equals(a.get("model").asText())) continue;
                if (!includeArchived && a.get("archived").asBoolean()) continue;
                data.add(a.deepCopy());
            }
            return ok(r);
        }
        if (n == 1 && m.equals("POST")) {
            return ok(createDataAttribute(body).deepCopy());
        }
        if (n == 2 && m.equals("PUT")) {
            ObjectNode a = parseIntKey(s.get(1)) == null ? null : dataAttributes.get(parseIntKey(s.get(1)));
            if (a == null) throw notFound("Data Attribute");
            if (body.has("data_type") && !body.get("data_type").asText().equals(a.get("data_type").asText())) {
                throw invalid("data_type cannot be changed");
            }
            Iterator<Map.Entry<String, JsonNode>> it = body.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (k.equals("id") || k.equals("type") || k.equals("name") || k.equals("model")
                        || k.equals("full_name") || k.equals("data_type") || k.equals("custom")) continue;
                a.set(k, e.getValue().deepCopy());
            }
            a.put("updated_at", nowSec());
            return ok(a.deepCopy());
        }
        throw new ApiError(404, "not_found", "Resource Not Found");
    }

    private ObjectNode createDataAttribute(ObjectNode body) {
        String name = text(body, "name");
        String model = text(body, "model");
        String dataType = text(body, "data_type");
        if (name == null || name.isBlank()) throw missing("name is required");
        if (model == null) throw missing("model is required");
        if (dataType == null) throw missing("data_type is required");
        if (!model.equals("contact") && !model.equals("company")) throw invalid("model must be one of contact, company");
        if (!DA_TYPES.contains(dataType)) throw invalid("data_type must be one of " + String.join(", ", new java.util.TreeSet<>(DA_TYPES)));
        for (ObjectNode a : dataAttributes.values()) {
            if (a.get("model").asText().equals(model) && a.get("name").asText().equalsIgnoreCase(name)) {
                throw invalid("You already have a '" + name + "' in your workspace. Please choose another name.");
            }
        }
        ObjectNode a = F.objectNode();
        int id = nextDataAttributeId++;
        a.put("type", "data_attribute");
        a.put("id", id);
        a.put("name", name);
        a.put("full_name", "custom_attributes." + name);
        a.put("label", name);
        a.put("description", text(body, "description") == null ? "" : text(body, "description"));
        a.put("model", model);
        a.put("data_type", dataType);
        if (body.has("options")) a.set("options", body.get("options").deepCopy());
        a.put("api_writable", true);
        a.put("messenger_writable", body.path("messenger_writable").asBoolean(false));
        a.put("ui_writable", true);
        a.put("custom", true);
        a.put("archived", false);
        long now = nowSec();
        a.put("created_at", now);
        a.put("updated_at", now);
        dataAttributes.put(id, a);
        return a;
    }

    private ObjectNode contactAttribute(String name) {
        for (ObjectNode a : dataAttributes.values()) {
            if (a.get("model").asText().equals("contact") && !a.get("archived").asBoolean()
                    && a.get("name").asText().equals(name)) return a;
        }
        return null;
    }

    private void validateContactCustomAttributes(JsonNode ca) {
        if (ca == null || ca.isNull()) return;
        if (!ca.isObject()) throw invalid("custom_attributes must be an object");
        Iterator<Map.Entry<String, JsonNode>> it = ca.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectNode attr = contactAttribute(e.getKey());
            if (attr == null) throw invalid("Custom attribute '" + e.getKey() + "' does not exist");
            String type = attr.get("data_type").asText();
            if (!valueFits(type, e.getValue())) {
                throw invalid("Custom attribute '" + e.getKey() + "' expects a value of type " + type);
            }
        }
    }

    private static boolean valueFits(String type, JsonNode v) {
        if (v == null || v.isNull()) return true;
        switch (type) {
            case "string":
            case "options":
            case "list":
                return v.isTextual();
            case "integer":
            case "date":
            case "datetime":
                return v.isIntegralNumber();
            case "float":
            case "decimal":
                return v.isNumber();
            case "boolean":
                return v.isBoolean();
            case "files":
                return v.isArray();
            default:
                return true;
        }
    }

    // ================================================================== contacts

    private static final List<String> CONTACT_FIELDS = List.of("role", "external_id", "email", "phone", "name", "avatar",
            "owner_id", "signed_up_at", "last_seen_at", "unsubscribed_from_emails", "email_verified", "language_override");

    private Resp contactRoutes(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        int n = s.size();
        if (n == 1) {
            if (m.equals("POST")) return ok(renderContact(createContact(body), true));
            if (m.equals("GET")) {
                List<JsonNode> all = new ArrayList<>();
                for (ObjectNode c : contacts.values()) all.add(renderContact(c, true));
                ObjectNode r = F.objectNode().put("type", "list");
                paginate(r, "data", all, q.get("per_page"), q.get("starting_after"), 50);
                return ok(r);
            }
        }
        if (n == 2 && s.get(1).equals("search") && m.equals("POST")) {
            JsonNode query = body.get("query");
            if (query == null || !query.isObject()) throw missing("query is required");
            List<JsonNode> hits = new ArrayList<>();
            searchesSeen++;
            for (ObjectNode c : contacts.values()) {
                if (matches(query, f -> contactField(c, f), 0) && searchable(c.get("id").asText())) hits.add(renderContact(c, true));
            }
            ObjectNode r = F.objectNode().put("type", "list");
            JsonNode pg = body.path("pagination");
            paginate(r, "data", hits, pg.hasNonNull("per_page") ? pg.get("per_page").asText() : null,
                    pg.hasNonNull("starting_after") ? pg.get("starting_after").asText() : null, 50);
            return ok(r);
        }
        if (n == 3 && s.get(1).equals("find_by_external_id") && m.equals("GET")) {
            for (ObjectNode c : contacts.values()) {
                if (s.get(2).equals(text(c, "external_id")) && "user".equals(text(c, "role"))) {
                    return ok(renderContact(c, true));
                }
            }
            throw notFound("User");
        }
        if (n == 2 && s.get(1).equals("merge") && m.equals("POST")) return ok(renderContact(mergeContacts(body), true));
        if (n < 2) throw new ApiError(404, "not_found", "Resource Not Found");
        String id = s.get(1);
        if (n == 2) {
            if (m.equals("GET")) return ok(renderContact(requireContact(id), true));
            if (m.equals("PUT")) return ok(renderContact(updateContact(requireContact(id), body), true));
            if (m.equals("DELETE")) {
                ObjectNode c = requireContact(id);
                contacts.remove(id);
                contactTags.remove(id);
                ObjectNode r = F.objectNode();
                r.put("id", id);
                r.set("external_id", c.get("external_id").deepCopy());
                r.put("type", "contact");
                r.put("deleted", true);
                return ok(r);
            }
        }
        if (n == 3 && m.equals("POST") && (s.get(2).equals("archive") || s.get(2).equals("unarchive"))) {
            ObjectNode c = requireContact(id);
            boolean archive = s.get(2).equals("archive");
            c.put("archived", archive);
            c.put("updated_at", nowSec());
            ObjectNode r = F.objectNode();
            r.put("id", id);
            r.set("external_id", c.get("external_id").deepCopy());
            r.put("type", "contact");
            r.put("archived", archive);
            return ok(r);
        }
        if (n >= 3 && s.get(2).equals("tags")) {
            ObjectNode c = requireContact(id);
            if (n == 3 && m.equals("POST")) {
                String tagId = text(body, "id");
                if (tagId == null) throw missing("id is required");
                ObjectNode t = tags.get(tagId);
                if (t == null) throw notFound("Tag");
                contactTags.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(tagId);
                c.put("updated_at", nowSec());
                return ok(t.deepCopy());
            }
            if (n == 3 && m.equals("GET")) {
                ObjectNode r = F.objectNode().put("type", "list");
                r.set("data", tagList(contactTags.get(id)));
                return ok(r);
            }
            if (n == 4 && m.equals("DELETE")) {
                ObjectNode t = tags.get(s.get(3));
                if (t == null) throw notFound("Tag");
                LinkedHashSet<String> set = contactTags.get(id);
                if (set != null) set.remove(s.get(3));
                return ok(t.deepCopy());
            }
        }
        Resp r = contactStep2Routes(m, s, q, body);
        if (r != null) return r;
        throw new ApiError(404, "not_found", "Resource Not Found");
    }

    private ObjectNode requireContact(String id) {
        ObjectNode c = contacts.get(id);
        if (c == null) {
            String canonical = canonicalOf(id);
            if (canonical != null) throw new Merged(canonical);
            throw notFound("User");
        }
        return c;
    }

    /** The final merge target of a merged-away contact (chains followed), or null. */
    private String canonicalOf(String id) {
        String at = mergedInto.get(id);
        for (int hops = 0; at != null && mergedInto.containsKey(at) && hops < 3; hops++) at = mergedInto.get(at);
        return at;
    }

    /** 410 Gone for a merged-away contact; the Link header names the canonical contact. */
    private static final class Merged extends ApiError {
        final String canonical;

        Merged(String canonical) {
            super(410, "contact_merged", "This contact has been merged. See the 'Link' header for the canonical contact.");
            this.canonical = canonical;
        }
    }

    /**
     * POST /contacts/merge {from: lead, into: user[, skip_duplicate_validation]}: the lead's conversations, tickets,
     * tags and notes move to the user, its fields fill the user's empty ones; the lead is gone (410 + Link).
     */
    private ObjectNode mergeContacts(ObjectNode body) {
        String fromId = text(body, "from");
        String intoId = text(body, "into");
        if (isBlank(fromId)) throw missing("from is required");
        if (isBlank(intoId)) throw missing("into is required");
        ObjectNode from = contacts.get(fromId);
        ObjectNode into = contacts.get(intoId);
        if (from == null || into == null) {
            String gone = from == null ? fromId : intoId;
            if (canonicalOf(gone) != null) throw new Merged(canonicalOf(gone));
            throw notFound("User");
        }
        if (fromId.equals(intoId)) throw new ApiError(400, "invalid_merge", "A contact cannot be merged into itself");
        if (!"lead".equals(text(from, "role"))) throw new ApiError(400, "invalid_merge", "Only a lead can be merged (from must be a lead)");
        if (!"user".equals(text(into, "role"))) throw new ApiError(400, "invalid_merge", "Contacts can only be merged into a user (into must be a user)");
        boolean duplicate = (!isBlank(text(from, "email")) && normEmail(text(from, "email")).equals(normEmail(text(into, "email"))))
                || (!isBlank(text(from, "phone")) && text(from, "phone").equals(text(into, "phone")));
        if (!duplicate && !body.path("skip_duplicate_validation").asBoolean(false)) {
            throw new ApiError(400, "invalid_merge", "Contacts can only be merged when they are duplicates (matching email or phone). "
                    + "Pass skip_duplicate_validation=true to override this check.");
        }
        for (String f : CONTACT_FIELDS) {
            if (f.equals("role") || f.equals("external_id") || f.equals("email")) continue;
            JsonNode v = from.get(f);
            JsonNode mine = into.get(f);
            if (v != null && !v.isNull() && (mine == null || mine.isNull())) into.set(f, v.deepCopy());
        }
        ObjectNode intoCustom = (ObjectNode) into.get("custom_attributes");
        from.path("custom_attributes").fields().forEachRemaining(e -> {
            if (!intoCustom.hasNonNull(e.getKey())) intoCustom.set(e.getKey(), e.getValue().deepCopy());
        });
        moveContact(conversations.values(), fromId, into);
        moveContact(tickets.values(), fromId, into);
        for (ObjectNode note : notes.values()) {
            if (fromId.equals(note.path("contact").path("id").asText())) ((ObjectNode) note.get("contact")).put("id", intoId);
        }
        LinkedHashSet<String> leadTags = contactTags.remove(fromId);
        if (leadTags != null) contactTags.computeIfAbsent(intoId, k -> new LinkedHashSet<>()).addAll(leadTags);
        contacts.remove(fromId);
        mergedInto.put(fromId, intoId);
        into.put("updated_at", nowSec());
        return into;
    }

    private void moveContact(java.util.Collection<Thread2> threads, String fromId, ObjectNode into) {
        String intoId = into.get("id").asText();
        for (Thread2 t : threads) {
            int at = t.contactIds.indexOf(fromId);
            if (at >= 0) {
                if (t.contactIds.contains(intoId)) t.contactIds.remove(at);
                else t.contactIds.set(at, intoId);
            }
            if (t.node.path("source") instanceof ObjectNode src && fromId.equals(src.path("author").path("id").asText())) {
                src.set("author", contactAuthor(into));
            }
            for (ObjectNode part : t.parts) {
                if (fromId.equals(part.path("author").path("id").asText())) part.set("author", contactAuthor(into));
            }
        }
    }

    private ObjectNode createContact(ObjectNode body) {
        return buildContact(body, true);
    }

    private ObjectNode buildContact(ObjectNode body, boolean checkDuplicates) {
        String email = text(body, "email");
        String externalId = text(body, "external_id");
        String role = text(body, "role");
        if (isBlank(email) && isBlank(externalId) && isBlank(role)) {
            throw invalid("There are no valid identifiers for this contact; supply one of email, external_id or role");
        }
        if (role != null && !role.equals("user") && !role.equals("lead")) throw invalid("role must be one of user, lead");
        validateEmail(email);
        validateContactCustomAttributes(body.get("custom_attributes"));
        if (checkDuplicates) checkContactConflict(null, email, externalId);
        long now = nowSec();
        ObjectNode c = F.objectNode();
        c.put("type", "contact");
        c.put("id", newContactId());
        indexed(c.get("id").asText());
        c.put("workspace_id", WORKSPACE_ID);
        c.put("external_id", isBlank(externalId) ? null : externalId);
        c.put("role", role != null ? role : (!isBlank(email) ? "user" : "lead"));
        c.put("email", isBlank(email) ? null : email.trim());
        c.putNull("phone");
        c.putNull("name");
        c.putNull("avatar");
        c.putNull("owner_id");
        c.putNull("signed_up_at");
        c.putNull("last_seen_at");
        c.put("created_at", now);
        c.put("updated_at", now);
        c.put("unsubscribed_from_emails", false);
        c.putObject("custom_attributes");
        c.put("archived", false);
        applyContactFields(c, body);
        contacts.put(c.get("id").asText(), c);
        return c;
    }

    private void applyContactFields(ObjectNode c, ObjectNode body) {
        for (String f : CONTACT_FIELDS) {
            if (!body.has(f)) continue;
            JsonNode v = body.get(f);
            if (f.equals("email")) {
                c.put("email", v.isNull() || v.asText().isBlank() ? null : v.asText().trim());
            } else if (f.equals("external_id") || f.equals("owner_id")) {
                c.put(f, v.isNull() ? null : v.asText());
            } else if ((f.equals("signed_up_at") || f.equals("last_seen_at")) && !v.isNull() && !v.isIntegralNumber()) {
                throw invalid(f + " must be a unix timestamp in seconds");
            } else {
                c.set(f, v.deepCopy());
            }
        }
        JsonNode ca = body.get("custom_attributes");
        if (ca != null && ca.isObject()) {
            ObjectNode target = (ObjectNode) c.get("custom_attributes");
            ca.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
        }
        indexContact(c);
    }

    private void indexContact(ObjectNode c) {
        String id = c.get("id").asText();
        String e = normEmail(text(c, "email"));
        if (e != null && !e.isEmpty()) contactsByEmail.computeIfAbsent(e, k -> new LinkedHashSet<>()).add(id);
        String x = text(c, "external_id");
        if (!isBlank(x)) contactsByExternalId.computeIfAbsent(x, k -> new LinkedHashSet<>()).add(id);
    }

    private ObjectNode updateContact(ObjectNode c, ObjectNode body) {
        String id = c.get("id").asText();
        if (body.has("role")) {
            String role = text(body, "role");
            if (role != null && !role.equals("user") && !role.equals("lead")) throw invalid("role must be one of user, lead");
        }
        String email = body.has("email") ? text(body, "email") : null;
        String externalId = body.has("external_id") ? text(body, "external_id") : null;
        validateEmail(email);
        validateContactCustomAttributes(body.get("custom_attributes"));
        checkContactConflict(id, email, externalId);
        applyContactFields(c, body);
        c.put("updated_at", nowSec());
        return c;
    }

    private static void validateEmail(String email) {
        if (email == null || email.isBlank()) return;
        String e = email.trim();
        int at = e.indexOf('@');
        if (at <= 0 || at == e.length() - 1 || e.contains(" ")) throw invalid("Email address is invalid: " + email);
    }

    private void checkContactConflict(String selfId, String email, String externalId) {
        String ne = normEmail(email);
        Set<String> candidates = new LinkedHashSet<>();
        if (ne != null && !ne.isEmpty()) candidates.addAll(contactsByEmail.getOrDefault(ne, Set.of()));
        if (!isBlank(externalId)) candidates.addAll(contactsByExternalId.getOrDefault(externalId, Set.of()));
        Set<String> hits = new HashSet<>();
        for (String cid : candidates) {
            ObjectNode o = contacts.get(cid);
            if (o == null || cid.equals(selfId)) continue;
            if ((ne != null && !ne.isEmpty() && ne.equals(normEmail(text(o, "email"))))
                    || (!isBlank(externalId) && externalId.equals(text(o, "external_id")))) hits.add(cid);
        }
        if (hits.isEmpty()) return;
        for (ObjectNode o : hits.size() == 1 ? List.of(contacts.get(hits.iterator().next())) : contacts.values()) {
            String oid = o.get("id").asText();
            if (hits.contains(oid)) { // the first in the workspace's order, as a scan of them all finds it
                String msg = o.get("archived").asBoolean()
                        ? "An archived contact matching those details already exists with id=" + oid
                        : "A contact matching those details already exists with id=" + oid;
                throw new ApiError(409, "conflict", msg);
            }
        }
    }

    private ObjectNode renderContact(ObjectNode c, boolean forRead) {
        ObjectNode r = c.deepCopy();
        ObjectNode t = F.objectNode();
        t.put("type", "list");
        t.set("data", tagList(contactTags.get(c.get("id").asText())));
        t.put("url", "/contacts/" + c.get("id").asText() + "/tags");
        t.put("total_count", t.get("data").size());
        t.put("has_more", false);
        r.set("tags", t);
        if (forRead) applyAlterations(r);
        return r;
    }

    private JsonNode contactField(ObjectNode c, String field) {
        if (field.startsWith("custom_attributes.")) {
            return c.path("custom_attributes").get(field.substring("custom_attributes.".length()));
        }
        if (field.equals("tag_id")) {
            ArrayNode a = F.arrayNode();
            LinkedHashSet<String> set = contactTags.get(c.get("id").asText());
            if (set != null) set.forEach(a::add);
            return a;
        }
        return c.get(field);
    }

    // ================================================================== tags

    private Resp tagRoutes(String m, List<String> s, ObjectNode body) {
        int n = s.size();
        if (n == 1 && m.equals("GET")) {
            ObjectNode r = F.objectNode().put("type", "list");
            ArrayNode data = r.putArray("data");
            tags.values().forEach(t -> data.add(t.deepCopy()));
            return ok(r);
        }
        if (n == 1 && m.equals("POST")) {
            String name = text(body, "name");
            if (name == null || name.isBlank()) throw invalid("name must not be blank");
            if (name.length() > 190) throw invalid("name is too long (maximum is 190 characters)");
            if (name.contains(",")) throw invalid("name must not contain a comma");
            ObjectNode tag = null;
            String renameId = text(body, "id");
            if (renameId != null) {
                tag = tags.get(renameId);
                if (tag == null) throw notFound("Tag");
                tag.put("name", name);
            } else {
                for (ObjectNode t : tags.values()) {
                    if (t.get("name").asText().equalsIgnoreCase(name)) { tag = t; break; }
                }
            }
            JsonNode users = body.get("users");
            if (users != null && users.isArray()) {
                for (JsonNode u : users) {
                    String cid = u.path("id").asText(null);
                    if (cid == null || !contacts.containsKey(cid)) throw notFound("User");
                }
            }
            if (tag == null) {
                tag = F.objectNode();
                tag.put("type", "tag");
                tag.put("id", newId());
                tag.put("name", name);
                tags.put(tag.get("id").asText(), tag);
            }
            if (users != null && users.isArray()) {
                String tagId = tag.get("id").asText();
                for (JsonNode u : users) {
                    String cid = u.path("id").asText();
                    if (u.path("untag").asBoolean(false)) {
                        LinkedHashSet<String> set = contactTags.get(cid);
                        if (set != null) set.remove(tagId);
                    } else {
                        contactTags.computeIfAbsent(cid, k -> new LinkedHashSet<>()).add(tagId);
                    }
                }
            }
            return ok(tag.deepCopy());
        }
        if (n == 2 && m.equals("GET")) {
            ObjectNode t = tags.get(s.get(1));
            if (t == null) throw notFound("Tag");
            return ok(t.deepCopy());
        }
        if (n == 2 && m.equals("DELETE")) {
            String tagId = s.get(1);
            if (tags.remove(tagId) == null) throw notFound("Tag");
            contactTags.values().forEach(set -> set.remove(tagId));
            removeTagStep2(tagId);
            return ok(F.objectNode().put("id", tagId).put("object", "tag").put("deleted", true));
        }
        throw new ApiError(404, "not_found", "Resource Not Found");
    }

    private ArrayNode tagList(Set<String> ids) {
        ArrayNode a = F.arrayNode();
        if (ids == null) return a;
        for (String id : ids) {
            ObjectNode t = tags.get(id);
            if (t != null) a.add(t.deepCopy());
        }
        return a;
    }

    // ================================================================== search / pagination helpers

    private interface FieldLookup {
        JsonNode get(String field);
    }

    private boolean matches(JsonNode query, FieldLookup lookup, int depth) {
        String op = text(query, "operator");
        if (op == null) throw missing("operator is required in query");
        if (op.equalsIgnoreCase("AND") || op.equalsIgnoreCase("OR")) {
            JsonNode vals = query.get("value");
            if (vals == null || !vals.isArray()) throw invalid("value must be an array for " + op);
            if (depth >= 2) throw invalid("Search query nesting is limited to 2 levels");
            if (vals.size() > 15) throw invalid("At most 15 filters per group are allowed");
            boolean and = op.equalsIgnoreCase("AND");
            boolean result = and;
            for (JsonNode sub : vals) {
                boolean r = matches(sub, lookup, depth + 1);
                result = and ? (result && r) : (result || r);
            }
            return result;
        }
        String field = text(query, "field");
        if (field == null) throw missing("field is required in query");
        JsonNode want = query.get("value");
        JsonNode have = lookup.get(field);
        boolean ci = field.equals("email");
        return compare(op, have, want, ci);
    }

    private static boolean compare(String op, JsonNode have, JsonNode want, boolean caseInsensitive) {
        if (have != null && have.isArray()) {
            // membership semantics for array-valued fields (contact_ids, tag_id)
            boolean contains = false;
            for (JsonNode h : have) if (compare("=", h, want, caseInsensitive)) { contains = true; break; }
            switch (op) {
                case "=": case "IN": return op.equals("IN") ? anyIn(have, want, caseInsensitive) : contains;
                case "!=": case "NIN": return op.equals("NIN") ? !anyIn(have, want, caseInsensitive) : !contains;
                default: throw invalid("Operator " + op + " is not supported for this field");
            }
        }
        String h = (have == null || have.isNull() || have.isMissingNode()) ? null : have.asText();
        String w = (want == null || want.isNull()) ? null : want.asText();
        if (caseInsensitive) {
            h = h == null ? null : h.trim().toLowerCase(Locale.ROOT);
            w = w == null ? null : w.trim().toLowerCase(Locale.ROOT);
        }
        switch (op) {
            case "=": return java.util.Objects.equals(h, w);
            case "!=": return !java.util.Objects.equals(h, w);
            case "IN":
            case "NIN": {
                if (want == null || !want.isArray()) throw invalid("value must be an array for " + op);
                boolean in = false;
                for (JsonNode x : want) {
                    String xs = caseInsensitive ? x.asText().trim().toLowerCase(Locale.ROOT) : x.asText();
                    if (xs.equals(h)) { in = true; break; }
                }
                return op.equals("IN") == in;
            }
            case "~": return h != null && w != null && h.contains(w);
            case "!~": return h == null || w == null || !h.contains(w);
            case "^": return h != null && w != null && h.startsWith(w);
            case "$": return h != null && w != null && h.endsWith(w);
            case ">":
            case "<": {
                if (h == null || w == null) return false;
                try {
                    double hd = Double.parseDouble(h);
                    double wd = Double.parseDouble(w);
                    return op.equals(">") ? hd > wd : hd < wd;
                } catch (NumberFormatException e) {
                    throw invalid("Operator " + op + " requires a numeric value");
                }
            }
            default:
                throw invalid("Operator " + op + " is not supported");
        }
    }

    private static boolean anyIn(JsonNode have, JsonNode want, boolean ci) {
        if (want == null || !want.isArray()) throw invalid("value must be an array");
        for (JsonNode h : have) for (JsonNode w : want) if (compare("=", h, w, ci)) return true;
        return false;
    }

    /** Cursor pagination; cursor is the offset of the next item as an opaque string. */
    private static void paginate(ObjectNode r, String field, List<JsonNode> all, String perPageRaw, String startingAfter,
                                 int defaultPerPage) {
        int perPage = defaultPerPage;
        if (perPageRaw != null) {
            try {
                perPage = Integer.parseInt(perPageRaw);
            } catch (NumberFormatException e) {
                throw invalid("per_page must be an integer");
            }
            if (perPage < 1 || perPage > 150) throw invalid("per_page must be between 1 and 150");
        }
        int offset = 0;
        if (startingAfter != null && !startingAfter.isEmpty()) {
            try {
                offset = Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(startingAfter), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw invalid("starting_after is invalid");
            }
        }
        ArrayNode a = r.putArray(field);
        int end = Math.min(all.size(), offset + perPage);
        for (int i = offset; i < end; i++) a.add(all.get(i));
        r.put("total_count", all.size());
        ObjectNode pages = r.putObject("pages");
        pages.put("type", "pages");
        pages.put("page", offset / perPage + 1);
        pages.put("per_page", perPage);
        pages.put("total_pages", Math.max(1, (all.size() + perPage - 1) / perPage));
        if (end < all.size()) {
            ObjectNode next = pages.putObject("next");
            next.put("page", offset / perPage + 2);
            next.put("starting_after", java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)));
        }
    }

    // ================================================================== alterations

    private void applyAlterations(ObjectNode r) {
        JsonNode idNode = r.get("id");
        if (idNode == null) return;
        Map<String, JsonNode> alt = alterations.get(idNode.asText());
        if (alt == null) return;
        for (Map.Entry<String, JsonNode> e : alt.entrySet()) {
            String[] path = e.getKey().split("\\.");
            ObjectNode target = r;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode next = target.get(path[i]);
                if (next == null || !next.isObject()) next = target.putObject(path[i]);
                target = (ObjectNode) next;
            }
            String last = path[path.length - 1];
            if (e.getValue() == null) target.remove(last);
            else target.set(last, e.getValue().deepCopy());
        }
    }

    // ================================================================== misc helpers

    /**
     * Ids as Intercom gives them (intercom-api.md §1): a numeric string (e.g. "215472389") for conversations, parts,
     * tickets, ticket types and their attributes, tags, notes, admins and teams; contacts have 24 hex digits
     * ({@link #newContactId}); list options a UUID ({@link #newOptionId}). Unique across kinds.
     */
    private String newId() {
        while (true) {
            String id = String.valueOf(100_000_000 + idRandom.nextInt(900_000_000));
            if (usedIds.add(id)) return id;
        }
    }

    private String newContactId() {
        while (true) {
            StringBuilder sb = new StringBuilder(24);
            for (int i = 0; i < 24; i++) sb.append(Character.forDigit(idRandom.nextInt(16), 16));
            String id = sb.toString();
            if (usedIds.add(id)) return id;
        }
    }

    private String newOptionId() {
        while (true) {
            String id = new java.util.UUID(idRandom.nextLong(), idRandom.nextLong()).toString();
            if (usedIds.add(id)) return id;
        }
    }

    private static long nowSec() {
        return Instant.now().getEpochSecond();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        if (v.isContainerNode()) throw invalid(field + " must be a scalar value");
        return v.asText();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String normEmail(String e) {
        return e == null ? null : e.trim().toLowerCase(Locale.ROOT);
    }

    private static Integer parseIntKey(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ================================================================== step 2: state

    /** A conversation or a ticket: base node plus parts, tags and contacts kept separately. */
    private static final class Thread2 {
        final ObjectNode node;
        final List<ObjectNode> parts = new ArrayList<>();
        final LinkedHashSet<String> tagIds = new LinkedHashSet<>();
        final List<String> contactIds = new ArrayList<>();

        Thread2(ObjectNode node) {
            this.node = node;
        }
    }

    private final LinkedHashMap<Integer, ObjectNode> convAttributes = new LinkedHashMap<>();
    private final LinkedHashMap<String, Thread2> conversations = new LinkedHashMap<>();
    private final LinkedHashMap<String, ObjectNode> ticketTypes = new LinkedHashMap<>();
    private final LinkedHashMap<String, Thread2> tickets = new LinkedHashMap<>();
    private final LinkedHashMap<String, ObjectNode> notes = new LinkedHashMap<>();
    private int nextConvAttributeId;
    private int nextTicketNumber;

    private void resetStep2State() {
        convAttributes.clear();
        conversations.clear();
        ticketTypes.clear();
        tickets.clear();
        notes.clear();
        uploads.clear();
        nextConvAttributeId = 1001;
        nextTicketNumber = 1;
        resetTicketStates();
    }

    private int conversationCount() {
        return conversations.size();
    }

    private int partCount() {
        int n = 0;
        for (Thread2 c : conversations.values()) n += c.parts.size();
        return n;
    }

    private int ticketCount() {
        return tickets.size();
    }

    /** external_ids held by more than one live contact. */
    public List<String> duplicateExternalIds() {
        synchronized (lock) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (ObjectNode c : contacts.values()) {
                String e = text(c, "external_id");
                if (!isBlank(e)) counts.merge(e, 1, Integer::sum);
            }
            List<String> out = new ArrayList<>();
            counts.forEach((k, v) -> { if (v > 1) out.add(k); });
            return out;
        }
    }

    /** Ids of tickets that repeat an earlier ticket's (contact, created_at). */
    public List<String> duplicateTickets() {
        synchronized (lock) {
            Set<String> seen = new HashSet<>();
            List<String> out = new ArrayList<>();
            for (Thread2 t : tickets.values()) {
                String key = (t.contactIds.isEmpty() ? "" : t.contactIds.get(0)) + "|" + t.node.path("created_at").asLong();
                if (!seen.add(key)) out.add(t.node.get("id").asText());
            }
            return out;
        }
    }

    /**
     * Parts (of conversations and tickets) that repeat an earlier part of the same thread with the same part_type,
     * created_at and body: "threadId|part_type|created_at|body" once per repetition.
     */
    public List<String> duplicateParts() {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            List<Thread2> threads = new ArrayList<>(conversations.values());
            threads.addAll(tickets.values());
            for (Thread2 t : threads) {
                Set<String> seen = new HashSet<>();
                for (ObjectNode p : t.parts) {
                    String key = t.node.get("id").asText() + "|" + p.path("part_type").asText() + "|"
                            + p.path("created_at").asLong() + "|" + p.path("body").asText()
                            + "|" + p.path("assigned_to").path("type").asText(); // an admin and a team assignment differ
                    if (!seen.add(key)) out.add(key);
                }
            }
            return out;
        }
    }

    /** Conversations that received more than one assignment part (an assignment sent twice). */
    public List<String> repeatedAssignments() {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            for (Thread2 c : conversations.values()) {
                Map<String, Long> byType = new HashMap<>(); // an admin and a team assignment are two, not a repeat
                c.parts.stream().filter(p -> p.path("part_type").asText().matches("assignment|assign_and_reopen"))
                        .forEach(p -> byType.merge(p.path("assigned_to").path("type").asText("none"), 1L, Long::sum));
                if (byType.values().stream().anyMatch(n -> n > 1)) out.add(c.node.get("id").asText());
            }
            return out;
        }
    }

    /** The parts of a conversation or ticket in the order the fake received them (not sorted by created_at). */
    public List<ObjectNode> partsAsReceived(String threadId) {
        synchronized (lock) {
            Thread2 t = conversations.containsKey(threadId) ? conversations.get(threadId) : tickets.get(threadId);
            List<ObjectNode> out = new ArrayList<>();
            if (t != null) t.parts.forEach(p -> out.add(p.deepCopy()));
            return out;
        }
    }

    /** Ids of conversations that repeat an earlier conversation's (first contact, created_at). */
    public List<String> duplicateConversations() {
        synchronized (lock) {
            Set<String> seen = new HashSet<>();
            List<String> out = new ArrayList<>();
            for (Thread2 c : conversations.values()) {
                String key = (c.contactIds.isEmpty() ? "" : c.contactIds.get(0)) + "|" + c.node.path("created_at").asLong();
                if (!seen.add(key)) out.add(c.node.get("id").asText());
            }
            return out;
        }
    }

    private void removeTagStep2(String tagId) {
        conversations.values().forEach(c -> c.tagIds.remove(tagId));
        tickets.values().forEach(t -> t.tagIds.remove(tagId));
    }

    // ================================================================== step 2: Java API

    /** Conversations with ALL their parts (no 500 cap). */
    public List<ObjectNode> conversations() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            for (Thread2 c : conversations.values()) out.add(renderConversation(c, Integer.MAX_VALUE, false, true));
            return out;
        }
    }

    public ObjectNode conversation(String id) {
        synchronized (lock) {
            Thread2 c = conversations.get(id);
            return c == null ? null : renderConversation(c, Integer.MAX_VALUE, false, true);
        }
    }

    public List<ObjectNode> tickets() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            for (Thread2 t : tickets.values()) out.add(renderTicket(t, false));
            return out;
        }
    }

    public ObjectNode ticket(String id) {
        synchronized (lock) {
            Thread2 t = tickets.get(id);
            return t == null ? null : renderTicket(t, false);
        }
    }

    public List<ObjectNode> conversationAttributes() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            convAttributes.values().forEach(a -> out.add(a.deepCopy()));
            return out;
        }
    }

    public List<ObjectNode> ticketTypes() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            ticketTypes.values().forEach(a -> out.add(a.deepCopy()));
            return out;
        }
    }

    public List<ObjectNode> notes() {
        synchronized (lock) {
            List<ObjectNode> out = new ArrayList<>();
            notes.values().forEach(a -> out.add(a.deepCopy()));
            return out;
        }
    }

    // ================================================================== step 2: routing

    private Resp dispatchStep2(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        if (s.isEmpty()) return null;
        switch (s.get(0)) {
            case "conversations":
                return conversationRoutes(m, s, q, body);
            case "ticket_types":
                return ticketTypeRoutes(m, s, body);
            case "tickets":
                return ticketRoutes(m, s, body);
            case "ticket_states":
                if (s.size() == 1 && m.equals("GET")) return ok(ticketStateList());
                return null;
            case "notes":
                if (s.size() == 2 && m.equals("GET")) {
                    ObjectNode note = notes.get(s.get(1));
                    if (note == null) throw notFound("Note");
                    return ok(note.deepCopy());
                }
                return null;
            default:
                return null;
        }
    }

    private Resp contactStep2Routes(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        if (s.size() == 3 && s.get(2).equals("notes")) {
            ObjectNode c = requireContact(s.get(1));
            String cid = c.get("id").asText();
            if (m.equals("POST")) {
                String text = text(body, "body");
                if (isBlank(text)) throw missing("body is required");
                ObjectNode admin = requireAdmin(body, "admin_id", false);
                ObjectNode note = F.objectNode();
                note.put("type", "note");
                note.put("id", newId());
                note.put("created_at", nowSec());
                ObjectNode contact = note.putObject("contact");
                contact.put("type", "contact");
                contact.put("id", cid);
                if (admin == null) note.putNull("author");
                else note.set("author", admin.deepCopy());
                note.put("body", text);
                notes.put(note.get("id").asText(), note);
                return ok(note.deepCopy());
            }
            if (m.equals("GET")) {
                List<JsonNode> list = new ArrayList<>();
                for (ObjectNode note : notes.values()) {
                    if (cid.equals(note.path("contact").path("id").asText())) list.add(note.deepCopy());
                }
                ObjectNode r = F.objectNode().put("type", "list");
                ArrayNode data = r.putArray("data");
                list.forEach(data::add);
                r.put("total_count", list.size());
                return ok(r);
            }
        }
        return null;
    }

    // ================================================================== conversation attributes

    private static final Set<String> CONV_ATTR_TYPES = Set.of("string", "integer", "list", "decimal", "boolean", "datetime");

    private Resp conversationAttributeRoutes(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        int n = s.size();
        if (n == 2 && m.equals("GET")) {
            boolean includeArchived = "true".equalsIgnoreCase(q.get("include_archived"));
            ObjectNode r = F.objectNode().put("type", "list");
            ArrayNode data = r.putArray("data");
            for (ObjectNode a : convAttributes.values()) {
                if (!includeArchived && a.get("archived").asBoolean()) continue;
                data.add(a.deepCopy());
            }
            return ok(r);
        }
        if (n == 2 && m.equals("POST")) {
            String name = text(body, "name");
            String dataType = text(body, "data_type");
            if (isBlank(name)) throw missing("name is required");
            if (isBlank(dataType)) throw missing("data_type is required");
            if (!CONV_ATTR_TYPES.contains(dataType)) {
                throw invalid("data_type must be one of boolean, datetime, decimal, integer, list, string");
            }
            for (ObjectNode a : convAttributes.values()) {
                if (!a.get("archived").asBoolean() && a.get("name").asText().equalsIgnoreCase(name)) {
                    throw invalid("You already have a '" + name + "' in your workspace. Please choose another name.");
                }
            }
            ObjectNode a = F.objectNode();
            int id = nextConvAttributeId++;
            a.put("type", "data_attribute");
            a.put("id", id);
            a.put("name", name);
            a.put("full_name", "custom_attributes." + name);
            a.put("label", name);
            a.put("description", text(body, "description") == null ? "" : text(body, "description"));
            a.put("model", "conversation");
            a.put("data_type", dataType);
            if (dataType.equals("list")) {
                JsonNode opts = body.get("options");
                if (opts == null || !opts.isArray() || opts.isEmpty()) throw invalid("options are required for a list attribute");
                ArrayNode out = a.putArray("options");
                for (JsonNode o : opts) {
                    String label = o.isTextual() ? o.asText() : text(o, "label");
                    if (isBlank(label)) throw invalid("each option needs a label");
                    ObjectNode on = out.addObject();
                    on.put("id", newOptionId());
                    on.put("label", label);
                    on.put("archived", false);
                }
            }
            a.put("multiline", body.path("multiline").asBoolean(false));
            a.put("required", body.path("required").asBoolean(false));
            a.put("custom", true);
            a.put("archived", false);
            long now = nowSec();
            a.put("created_at", now);
            a.put("updated_at", now);
            convAttributes.put(id, a);
            return ok(a.deepCopy());
        }
        if (n == 3 && (m.equals("PUT") || m.equals("DELETE"))) {
            Integer key = parseIntKey(s.get(2));
            ObjectNode a = key == null ? null : convAttributes.get(key);
            if (a == null) throw notFound("Conversation Attribute");
            if (m.equals("DELETE")) {
                a.put("archived", true);
            } else {
                if (body.has("data_type") && !body.get("data_type").asText().equals(a.get("data_type").asText())) {
                    throw invalid("data_type cannot be changed");
                }
                // update_conversation_attribute_request has no `archived`: DELETE archives and nothing unarchives
                for (String f : List.of("description", "required", "multiline", "visible_to_team_ids")) {
                    if (body.has(f)) a.set(f, body.get(f).deepCopy());
                }
            }
            a.put("updated_at", nowSec());
            return ok(a.deepCopy());
        }
        if (n >= 4 && s.get(3).equals("options")) {
            Integer key = parseIntKey(s.get(2));
            ObjectNode a = key == null ? null : convAttributes.get(key);
            if (a == null) throw notFound("Conversation Attribute");
            if (!a.get("data_type").asText().equals("list")) throw unprocessable("Options can only be managed on list attributes");
            ArrayNode options = (ArrayNode) a.get("options");
            if (n == 4 && m.equals("POST")) {
                if (body == null || !body.has("label")) throw unprocessable("label is required");
                if (!body.get("label").isTextual()) throw unprocessable("label must be a string");
                if (body.size() != 1) throw unprocessable("only 'label' is accepted");
                String label = body.get("label").asText();
                for (JsonNode o : options) {
                    if (!o.path("archived").asBoolean() && o.path("label").asText().equalsIgnoreCase(label)) {
                        throw unprocessable("Option '" + label + "' already exists");
                    }
                }
                ObjectNode on = options.addObject();
                on.put("id", newOptionId());
                on.put("label", label);
                on.put("archived", false);
                a.put("updated_at", nowSec());
                return ok(a.deepCopy());
            }
            if (n == 5 && m.equals("DELETE")) {
                for (JsonNode o : options) {
                    if (o.path("id").asText().equals(s.get(4))) {
                        ((ObjectNode) o).put("archived", true);
                        a.put("updated_at", nowSec());
                        return ok(a.deepCopy());
                    }
                }
                throw notFound("Conversation Attribute Option");
            }
        }
        return null;
    }

    private static ApiError unprocessable(String message) {
        return new ApiError(422, "parameter_invalid", message);
    }

    private void validateConversationCustomAttributes(JsonNode ca) {
        if (ca == null || ca.isNull()) return;
        if (!ca.isObject()) throw invalid("custom_attributes must be an object");
        Iterator<Map.Entry<String, JsonNode>> it = ca.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectNode attr = null;
            for (ObjectNode a : convAttributes.values()) {
                if (!a.get("archived").asBoolean() && a.get("name").asText().equals(e.getKey())) { attr = a; break; }
            }
            if (attr == null) throw invalid("Custom attribute '" + e.getKey() + "' does not exist");
            String type = attr.get("data_type").asText();
            JsonNode v = e.getValue();
            if (!valueFits(type, v)) throw invalid("Custom attribute '" + e.getKey() + "' expects a value of type " + type);
            if (type.equals("list") && !v.isNull()) {
                boolean found = false;
                for (JsonNode o : attr.path("options")) {
                    if (!o.path("archived").asBoolean() && (o.path("label").asText().equals(v.asText()) || o.path("id").asText().equals(v.asText()))) {
                        found = true;
                        break;
                    }
                }
                if (!found) throw invalid("'" + v.asText() + "' is not an option of custom attribute '" + e.getKey() + "'");
            }
        }
    }

    // ================================================================== conversations

    private Resp conversationRoutes(String m, List<String> s, Map<String, String> q, ObjectNode body) {
        int n = s.size();
        if (n >= 2 && s.get(1).equals("attributes")) return conversationAttributeRoutes(m, s, q, body);
        if (n == 1 && m.equals("POST")) return ok(createConversation(body));
        if (n == 1 && m.equals("GET")) {
            List<JsonNode> all = new ArrayList<>();
            for (Thread2 c : conversations.values()) all.add(renderConversation(c, 0, true, false));
            ObjectNode r = F.objectNode().put("type", "conversation.list");
            paginate(r, "conversations", all, q.get("per_page"), q.get("starting_after"), 20);
            return ok(r);
        }
        if (n == 2 && s.get(1).equals("search") && m.equals("POST")) {
            JsonNode query = body.get("query");
            if (query == null || !query.isObject()) throw missing("query is required");
            List<JsonNode> hits = new ArrayList<>();
            searchesSeen++;
            for (Thread2 c : conversations.values()) {
                if (matches(query, f -> conversationField(c, f), 0) && searchable(c.node.get("id").asText())) {
                    hits.add(renderConversation(c, 0, true, false));
                }
            }
            ObjectNode r = F.objectNode().put("type", "conversation.list");
            JsonNode pg = body.path("pagination");
            paginate(r, "conversations", hits, pg.hasNonNull("per_page") ? pg.get("per_page").asText() : null,
                    pg.hasNonNull("starting_after") ? pg.get("starting_after").asText() : null, 20);
            return ok(r);
        }
        if (n < 2) return null;
        String id = s.get(1);
        if (n == 2) {
            if (m.equals("GET")) return ok(renderConversation(requireConversation(id), 500, true, true));
            if (m.equals("PUT")) {
                Thread2 c = requireConversation(id);
                validateConversationCustomAttributes(body.get("custom_attributes"));
                JsonNode ca = body.get("custom_attributes");
                if (ca != null && ca.isObject()) {
                    ObjectNode target = (ObjectNode) c.node.get("custom_attributes");
                    ca.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
                }
                if (body.has("read")) c.node.put("read", body.get("read").asBoolean());
                if (body.has("title")) c.node.set("title", body.get("title").deepCopy());
                c.node.put("updated_at", nowSec());
                return ok(renderConversation(c, 500, true, true));
            }
            if (m.equals("DELETE")) {
                requireConversation(id);
                conversations.remove(id);
                return ok(F.objectNode().put("id", id).put("object", "conversation").put("deleted", true));
            }
        }
        if (n == 3 && s.get(2).equals("reply") && m.equals("POST")) {
            Thread2 c = id.equals("last") ? lastConversation() : requireConversation(id);
            ObjectNode part = buildReplyPart(body, "conversation_part");
            addPart(c, part);
            recordUploads(id.equals("last") ? c.node.path("id").asText() : id, part);
            if (part.path("author").path("type").asText().matches("user|lead") && !"open".equals(c.node.get("state").asText())) {
                c.node.put("state", "open");
                c.node.put("open", true);
            }
            return ok(renderConversation(c, 500, true, true));
        }
        if (n == 3 && s.get(2).equals("parts") && m.equals("POST")) {
            Thread2 c = requireConversation(id);
            ObjectNode part = buildManagementPart(c, body, "conversation_part");
            addPart(c, part);
            return ok(renderConversation(c, 500, true, true));
        }
        if (n >= 3 && s.get(2).equals("tags")) {
            Thread2 c = requireConversation(id);
            return threadTagRoutes(c, m, s, body);
        }
        return null;
    }

    private Resp threadTagRoutes(Thread2 c, String m, List<String> s, ObjectNode body) {
        int n = s.size();
        if (n == 3 && m.equals("POST")) {
            requireAdmin(body, "admin_id", true);
            String tagId = text(body, "id");
            if (tagId == null) throw missing("id is required");
            ObjectNode t = tags.get(tagId);
            if (t == null) throw notFound("Tag");
            c.tagIds.add(tagId);
            c.node.put("updated_at", nowSec());
            return ok(t.deepCopy());
        }
        if (n == 4 && m.equals("DELETE")) {
            requireAdmin(body, "admin_id", false);
            ObjectNode t = tags.get(s.get(3));
            if (t == null) throw notFound("Tag");
            c.tagIds.remove(s.get(3));
            c.node.put("updated_at", nowSec());
            return ok(t.deepCopy());
        }
        return null;
    }

    private Thread2 requireConversation(String id) {
        Thread2 c = conversations.get(id);
        if (c == null) throw notFound("Conversation");
        return c;
    }

    private Thread2 lastConversation() {
        Thread2 last = null;
        for (Thread2 c : conversations.values()) last = c;
        if (last == null) throw notFound("Conversation");
        return last;
    }

    private static Long optionalTimestamp(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber()) throw invalid(field + " must be a unix timestamp in seconds");
        return v.asLong();
    }

    private static ArrayNode attachments(ObjectNode body) {
        ArrayNode out = F.arrayNode();
        JsonNode urls = body.get("attachment_urls");
        if (urls == null || urls.isNull()) return out;
        if (!urls.isArray()) throw invalid("attachment_urls must be an array");
        if (urls.size() > 10) throw invalid("attachment_urls must contain at most 10 urls");
        for (JsonNode u : urls) {
            if (!u.isTextual() || u.asText().isBlank()) throw invalid("attachment_urls must contain urls");
            String url = u.asText();
            ObjectNode a = out.addObject();
            a.put("type", "upload");
            a.put("name", url.substring(url.lastIndexOf('/') + 1));
            a.put("url", url);
        }
        return out;
    }

    private ObjectNode contactAuthor(ObjectNode contact) {
        ObjectNode a = F.objectNode();
        a.put("type", "lead".equals(text(contact, "role")) ? "lead" : "user");
        a.put("id", contact.get("id").asText());
        a.set("name", contact.get("name").deepCopy());
        a.set("email", contact.get("email").deepCopy());
        return a;
    }

    private static ObjectNode adminAuthor(ObjectNode admin) {
        ObjectNode a = F.objectNode();
        a.put("type", "admin");
        a.put("id", admin.get("id").asText());
        a.set("name", admin.get("name").deepCopy());
        a.set("email", admin.get("email").deepCopy());
        return a;
    }

    private JsonNode createConversation(ObjectNode body) {
        JsonNode from = body.get("from");
        if (from == null || !from.isObject()) throw missing("from is required");
        String fromType = text(from, "type");
        if (fromType == null || !(fromType.equals("user") || fromType.equals("lead") || fromType.equals("contact"))) {
            throw invalid("from.type must be one of user, lead, contact");
        }
        String fromId = text(from, "id");
        if (isBlank(fromId)) throw missing("from.id is required");
        String text = text(body, "body");
        if (isBlank(text)) throw missing("body is required");
        ArrayNode att = attachments(body);
        Long createdAt = optionalTimestamp(body, "created_at");
        ObjectNode contact = contacts.get(fromId);
        if (contact == null) throw notFound("User");
        long now = nowSec();
        long created = createdAt != null ? createdAt : now;
        String convId = newId();
        String msgId = newId();
        ObjectNode c = F.objectNode();
        c.put("type", "conversation");
        c.put("id", convId);
        c.putNull("title");
        c.put("created_at", created);
        c.put("updated_at", now);
        c.putNull("waiting_since");
        c.putNull("snoozed_until");
        ObjectNode src = c.putObject("source");
        src.put("type", "conversation");
        src.put("id", msgId);
        src.put("delivered_as", "customer_initiated");
        src.put("subject", text(body, "subject") == null ? "" : text(body, "subject"));
        src.put("body", text);
        src.set("author", contactAuthor(contact));
        src.set("attachments", att);
        src.putNull("url");
        src.put("redacted", false);
        c.putNull("admin_assignee_id");
        c.putNull("team_assignee_id");
        c.put("open", true);
        c.put("state", "open");
        c.put("read", false);
        c.put("priority", "not_priority");
        c.putObject("custom_attributes");
        Thread2 t = new Thread2(c);
        t.contactIds.add(fromId);
        conversations.put(convId, t);
        indexed(convId);
        ObjectNode r = F.objectNode();
        r.put("type", "user_message");
        r.put("id", msgId);
        r.put("created_at", created);
        r.put("body", text);
        r.put("message_type", "inapp");
        r.put("conversation_id", convId);
        return r;
    }

    /** Admin reply {message_type comment|note, type admin, admin_id, body} or contact reply {message_type comment, type user, ...}. */
    private ObjectNode buildReplyPart(ObjectNode body, String partObjectType) {
        pendingUploads.clear();
        String type = text(body, "type");
        String messageType = text(body, "message_type");
        if (isBlank(type)) throw missing("type is required");
        if (isBlank(messageType)) throw missing("message_type is required");
        ObjectNode author;
        if (type.equals("admin")) {
            if (!messageType.equals("comment") && !messageType.equals("note")) {
                throw invalid("message_type must be one of comment, note");
            }
            ObjectNode admin = requireAdmin(body, "admin_id", true);
            author = adminAuthor(admin);
        } else if (type.equals("user")) {
            if (!messageType.equals("comment")) throw invalid("message_type must be comment for a contact reply");
            String icId = text(body, "intercom_user_id");
            String userId = text(body, "user_id");
            String email = text(body, "email");
            ObjectNode contact = null;
            if (!isBlank(icId)) {
                contact = contacts.get(icId);
            } else if (!isBlank(userId)) {
                for (ObjectNode c : contacts.values()) if (userId.equals(text(c, "external_id"))) { contact = c; break; }
            } else if (!isBlank(email)) {
                String ne = normEmail(email);
                for (ObjectNode c : contacts.values()) if (ne.equals(normEmail(text(c, "email")))) { contact = c; break; }
            } else {
                throw missing("one of intercom_user_id, user_id or email is required");
            }
            if (contact == null) throw notFound("User");
            author = contactAuthor(contact);
        } else {
            throw invalid("type must be one of admin, user");
        }
        String text = text(body, "body");
        if (isBlank(text)) throw missing("body is required");
        // a contact's reply to a ticket takes no attachment_files in the API: ignored there, as Intercom ignores them
        boolean filesAccepted = !(partObjectType.equals("ticket_part") && type.equals("user"));
        ArrayNode att = filesAccepted && body.hasNonNull("attachment_files") ? attachmentFiles(body) : attachments(body);
        Long createdAt = optionalTimestamp(body, "created_at");
        long now = nowSec();
        return part(partObjectType, messageType, text, createdAt != null ? createdAt : now, author, att);
    }

    private ObjectNode part(String objectType, String partType, String body, long createdAt, ObjectNode author, ArrayNode att) {
        ObjectNode p = F.objectNode();
        p.put("type", objectType);
        p.put("id", newId());
        p.put("part_type", partType);
        if (body == null) p.putNull("body");
        else p.put("body", body);
        p.put("created_at", createdAt);
        p.put("updated_at", nowSec());
        p.put("notified_at", createdAt);
        p.putNull("assigned_to");
        p.set("author", author);
        p.set("attachments", att);
        p.putNull("external_id");
        p.put("redacted", false);
        return p;
    }

    /**
     * POST /conversations/{id}/parts (manageConversation): one of close {message_type, type: admin, admin_id, body?},
     * snoozed {message_type, admin_id, snoozed_until}, open {message_type, admin_id} or assignment {message_type,
     * type: admin|team, admin_id, assignee_id, body?}. The author is always an existing admin (admin_id); none of them
     * takes created_at. Assigning a closed or snoozed conversation re-opens it (part_type assign_and_reopen).
     */
    private ObjectNode buildManagementPart(Thread2 c, ObjectNode body, String partObjectType) {
        String messageType = text(body, "message_type");
        if (isBlank(messageType)) throw missing("message_type is required");
        if (!List.of("assignment", "close", "open", "snoozed").contains(messageType)) {
            throw invalid("message_type must be one of assignment, close, open, snoozed");
        }
        String type = text(body, "type");
        if (messageType.equals("close") || messageType.equals("assignment")) {
            if (isBlank(type)) throw missing("type is required");
        }
        if (type != null && !(type.equals("admin") || (messageType.equals("assignment") && type.equals("team")))) {
            throw invalid(messageType.equals("assignment") ? "type must be one of admin, team" : "type must be admin");
        }
        ObjectNode admin = requireAdmin(body, "admin_id", true);
        String text = text(body, "body");
        ObjectNode part = part(partObjectType, messageType, text, nowSec(), adminAuthor(admin), F.arrayNode());
        switch (messageType) {
            case "assignment": {
                String assignee = text(body, "assignee_id");
                if (isBlank(assignee)) throw missing("assignee_id is required");
                boolean toTeam = "team".equals(type);
                if (assignee.equals("0")) {
                    c.node.putNull(toTeam ? "team_assignee_id" : "admin_assignee_id");
                } else if (!toTeam && findAdmin(assignee) != null) {
                    c.node.put("admin_assignee_id", assignee);
                    part.putObject("assigned_to").put("type", "admin").put("id", assignee);
                } else if (teams.containsKey(assignee)) {
                    c.node.put("team_assignee_id", assignee);
                    part.putObject("assigned_to").put("type", "team").put("id", assignee);
                } else {
                    throw invalid("assignee_id is not " + (toTeam ? "a team: " : "an admin or team: ") + assignee);
                }
                if (!"open".equals(c.node.path("state").asText())) {
                    part.put("part_type", "assign_and_reopen");
                    c.node.put("state", "open");
                    c.node.put("open", true);
                    c.node.putNull("snoozed_until");
                }
                break;
            }
            case "close":
                c.node.put("state", "closed");
                c.node.put("open", false);
                break;
            case "open":
                c.node.put("state", "open");
                c.node.put("open", true);
                c.node.putNull("snoozed_until");
                break;
            case "snoozed": {
                Long until = optionalTimestamp(body, "snoozed_until");
                if (until == null) throw missing("snoozed_until is required");
                c.node.put("state", "snoozed");
                c.node.put("snoozed_until", until);
                break;
            }
            default:
                throw invalid("message_type must be one of assignment, close, open, snoozed");
        }
        c.node.put("updated_at", nowSec());
        return part;
    }

    private static void addPart(Thread2 c, ObjectNode part) {
        c.parts.add(part);
        c.node.put("updated_at", nowSec());
    }

    private List<ObjectNode> orderedParts(Thread2 c) {
        List<ObjectNode> sorted = new ArrayList<>(c.parts);
        sorted.sort((a, b) -> Long.compare(a.path("created_at").asLong(), b.path("created_at").asLong())); // stable
        return sorted;
    }

    private ObjectNode contactList(Thread2 c) {
        ObjectNode cl = F.objectNode();
        cl.put("type", "contact.list");
        ArrayNode arr = cl.putArray("contacts");
        for (String cid : c.contactIds) {
            ObjectNode x = arr.addObject();
            x.put("type", "contact");
            x.put("id", cid);
            ObjectNode contact = contacts.get(cid);
            x.set("external_id", contact == null ? F.nullNode() : contact.get("external_id").deepCopy());
        }
        return cl;
    }

    /** maxParts: newest N parts (in order); 0 with includeParts=false omits conversation_parts (search/list results). */
    private ObjectNode renderConversation(Thread2 c, int maxParts, boolean forRead, boolean includeParts) {
        ObjectNode r = c.node.deepCopy();
        r.set("contacts", contactList(c));
        ObjectNode tm = r.putObject("teammates");
        tm.put("type", "admin.list");
        tm.putArray("admins");
        ObjectNode tl = r.putObject("tags");
        tl.put("type", "tag.list");
        tl.set("tags", tagList(c.tagIds));
        if (includeParts) {
            List<ObjectNode> sorted = orderedParts(c);
            ObjectNode pl = r.putObject("conversation_parts");
            pl.put("type", "conversation_part.list");
            ArrayNode arr = pl.putArray("conversation_parts");
            int from = Math.max(0, sorted.size() - maxParts);
            for (int i = from; i < sorted.size(); i++) arr.add(sorted.get(i).deepCopy());
            pl.put("total_count", sorted.size());
        }
        if (forRead) applyAlterations(r);
        return r;
    }

    private JsonNode conversationField(Thread2 c, String field) {
        switch (field) {
            case "contact_ids": {
                ArrayNode a = F.arrayNode();
                c.contactIds.forEach(a::add);
                return a;
            }
            case "tag_ids": {
                ArrayNode a = F.arrayNode();
                c.tagIds.forEach(a::add);
                return a;
            }
            default: {
                JsonNode cur = c.node;
                for (String p : field.split("\\.")) {
                    cur = cur == null ? null : cur.get(p);
                }
                return cur;
            }
        }
    }

    // ================================================================== ticket types

    private static final Set<String> TICKET_ATTR_TYPES = Set.of("string", "list", "integer", "decimal", "boolean", "datetime", "files");

    private Resp ticketTypeRoutes(String m, List<String> s, ObjectNode body) {
        int n = s.size();
        if (n == 1 && m.equals("GET")) {
            ObjectNode r = F.objectNode().put("type", "list");
            ArrayNode data = r.putArray("data");
            ticketTypes.values().forEach(t -> data.add(t.deepCopy()));
            return ok(r);
        }
        if (n == 1 && m.equals("POST")) {
            String name = text(body, "name");
            if (isBlank(name)) throw missing("name is required");
            checkTicketTypeName(null, name);
            String category = text(body, "category");
            if (category != null && !Set.of("Customer", "Back-office", "Tracker").contains(category)) {
                throw invalid("category must be one of Customer, Back-office, Tracker");
            }
            ObjectNode t = F.objectNode();
            String id = newId();
            t.put("type", "ticket_type");
            t.put("id", id);
            t.put("name", name);
            t.put("description", text(body, "description") == null ? "" : text(body, "description"));
            t.put("icon", text(body, "icon") == null ? "\uD83C\uDF9F\uFE0F" : text(body, "icon"));
            t.put("category", category == null ? "Customer" : category);
            t.put("workspace_id", WORKSPACE_ID);
            t.put("is_internal", body.path("is_internal").asBoolean(false));
            t.put("archived", false);
            long now = nowSec();
            t.put("created_at", now);
            t.put("updated_at", now);
            // the spec's ticket_type_attribute_list schema (its examples say `data`, the schema says this)
            ObjectNode attrs = t.putObject("ticket_type_attributes");
            attrs.put("type", "ticket_type_attributes.list");
            attrs.putArray("ticket_type_attributes");
            ticketTypes.put(id, t);
            return ok(t.deepCopy());
        }
        if (n < 2) return null;
        ObjectNode tt = ticketTypes.get(s.get(1));
        if (tt == null) throw notFound("Ticket Type");
        if (n == 2 && m.equals("GET")) return ok(tt.deepCopy());
        if (n == 2 && m.equals("PUT")) {
            if (body.has("name")) {
                String name = text(body, "name");
                if (isBlank(name)) throw invalid("name must not be blank");
                checkTicketTypeName(tt.get("id").asText(), name);
                tt.put("name", name);
            }
            for (String f : List.of("description", "icon", "category", "is_internal", "archived")) {
                if (body.has(f)) tt.set(f, body.get(f).deepCopy());
            }
            tt.put("updated_at", nowSec());
            return ok(tt.deepCopy());
        }
        ArrayNode attrs = ticketTypeAttributes(tt);
        if (n == 3 && s.get(2).equals("attributes") && m.equals("POST")) {
            String name = text(body, "name");
            String description = text(body, "description");
            String dataType = text(body, "data_type");
            if (isBlank(name)) throw missing("name is required");
            if (description == null) throw missing("description is required");
            if (isBlank(dataType)) throw missing("data_type is required");
            if (!TICKET_ATTR_TYPES.contains(dataType)) {
                throw invalid("data_type must be one of boolean, datetime, decimal, files, integer, list, string");
            }
            if (name.startsWith("_default_")) throw invalid("name is reserved");
            for (JsonNode a : attrs) {
                if (!a.path("archived").asBoolean() && a.path("name").asText().equalsIgnoreCase(name)) {
                    throw invalid("An attribute named '" + name + "' already exists on this ticket type");
                }
            }
            ObjectNode a = F.objectNode();
            a.put("type", "ticket_type_attribute");
            a.put("id", newId());
            a.put("workspace_id", WORKSPACE_ID);
            a.put("name", name);
            a.put("description", description);
            a.put("data_type", dataType);
            ObjectNode io = a.putObject("input_options");
            if (dataType.equals("list")) {
                String items = text(body, "list_items");
                if (isBlank(items)) throw invalid("list_items is required for a list attribute");
                ArrayNode lo = io.putArray("list_options");
                for (String item : items.split(",")) {
                    if (item.isBlank()) continue;
                    ObjectNode o = lo.addObject();
                    o.put("id", newOptionId());
                    o.put("label", item.trim());
                    o.put("archived", false);
                }
            }
            if (dataType.equals("string")) io.put("multiline", body.path("multiline").asBoolean(false));
            a.put("order", attrs.size());
            a.put("required_to_create", body.path("required_to_create").asBoolean(false));
            a.put("required_to_create_for_contacts", body.path("required_to_create_for_contacts").asBoolean(false));
            a.put("visible_on_create", body.path("visible_on_create").asBoolean(true));
            a.put("visible_to_contacts", body.path("visible_to_contacts").asBoolean(true));
            a.put("default", false);
            a.put("ticket_type_id", tt.get("id").asText());
            a.put("archived", false);
            long now = nowSec();
            a.put("created_at", now);
            a.put("updated_at", now);
            attrs.add(a);
            tt.put("updated_at", now);
            return ok(a.deepCopy());
        }
        if (n == 4 && s.get(2).equals("attributes") && m.equals("PUT")) {
            for (JsonNode x : attrs) {
                if (x.path("id").asText().equals(s.get(3))) {
                    ObjectNode a = (ObjectNode) x;
                    if (a.path("archived").asBoolean() && body.has("archived") && !body.get("archived").asBoolean()) {
                        for (JsonNode other : attrs) {
                            if (other != a && !other.path("archived").asBoolean()
                                    && other.path("name").asText().equalsIgnoreCase(a.path("name").asText())) {
                                throw invalid("An attribute named '" + a.path("name").asText() + "' already exists on this ticket type");
                            }
                        }
                    }
                    for (String f : List.of("description", "required_to_create", "required_to_create_for_contacts",
                            "visible_on_create", "visible_to_contacts", "archived", "name")) {
                        if (body.has(f)) a.set(f, body.get(f).deepCopy());
                    }
                    a.put("updated_at", nowSec());
                    return ok(a.deepCopy());
                }
            }
            throw notFound("Ticket Type Attribute");
        }
        return null;
    }

    private static ArrayNode ticketTypeAttributes(ObjectNode ticketType) {
        return (ArrayNode) ticketType.get("ticket_type_attributes").get("ticket_type_attributes");
    }

    private void checkTicketTypeName(String selfId, String name) {
        for (ObjectNode t : ticketTypes.values()) {
            if (!t.get("id").asText().equals(selfId) && t.get("name").asText().equalsIgnoreCase(name)) {
                throw invalid("A ticket type named '" + name + "' already exists");
            }
        }
    }

    // ================================================================== ticket states (GET /ticket_states, read-only)

    private final LinkedHashMap<String, ObjectNode> ticketStates = new LinkedHashMap<>();
    private int nextTicketStateId;

    /** The states every workspace starts with: one per category, labelled as Intercom labels them. */
    private void resetTicketStates() {
        ticketStates.clear();
        nextTicketStateId = 8269;
        addTicketState("Submitted", "Submitted", "submitted");
        addTicketState("In progress", "In progress", "in_progress");
        addTicketState("Waiting on customer", "Waiting on you", "waiting_on_customer");
        addTicketState("Resolved", "Resolved", "resolved");
    }

    private ObjectNode addTicketState(String internalLabel, String externalLabel, String category) {
        ObjectNode st = F.objectNode();
        st.put("type", "ticket_state");
        st.put("id", String.valueOf(nextTicketStateId++));
        st.put("category", category);
        st.put("internal_label", internalLabel);
        st.put("external_label", externalLabel);
        st.put("archived", false);
        ticketStates.put(st.get("id").asText(), st);
        return st;
    }

    /** A further ticket state of a category (a workspace's own label, e.g. "Waiting on finance"). Returns its id. */
    public String seedTicketState(String internalLabel, String category) {
        synchronized (lock) {
            if (!List.of("submitted", "in_progress", "waiting_on_customer", "resolved").contains(category)) {
                throw new IllegalArgumentException("category " + category);
            }
            return addTicketState(internalLabel, internalLabel, category).get("id").asText();
        }
    }

    private ObjectNode ticketStateList() {
        ObjectNode r = F.objectNode().put("type", "list");
        ArrayNode data = r.putArray("data");
        for (ObjectNode st : ticketStates.values()) {
            ObjectNode d = st.deepCopy();
            ObjectNode types = d.putObject("ticket_types");
            types.put("type", "list");
            ArrayNode td = types.putArray("data");
            for (ObjectNode tt : ticketTypes.values()) {
                td.addObject().put("type", "ticket_type").put("id", tt.get("id").asText()).put("name", tt.get("name").asText())
                        .put("archived", tt.path("archived").asBoolean()).put("category", tt.path("category").asText("Customer"));
            }
            data.add(d);
        }
        return r;
    }

    private ObjectNode firstTicketState(String category) {
        for (ObjectNode st : ticketStates.values()) {
            if (st.get("category").asText().equals(category) && !st.path("archived").asBoolean()) return st;
        }
        throw new IllegalStateException("no ticket state of category " + category);
    }

    private static ObjectNode ticketStateRef(ObjectNode st) {
        ObjectNode r = F.objectNode();
        for (String f : List.of("type", "id", "category", "internal_label", "external_label")) r.set(f, st.get(f).deepCopy());
        return r;
    }

    /** PUT /tickets/{id} ticket_state_id: an existing state; a resolved ticket is closed (open false), any other open. */
    private ObjectNode ticketStateFor(JsonNode idNode) {
        String stateId = idNode == null || idNode.isNull() ? null : idNode.asText();
        ObjectNode st = stateId == null ? null : ticketStates.get(stateId);
        if (st == null) throw invalid("ticket_state_id is not a ticket state of this workspace: " + stateId);
        return st;
    }

    private void setTicketState(Thread2 t, ObjectNode st) {
        t.node.set("ticket_state", ticketStateRef(st));
        t.node.put("open", !st.get("category").asText().equals("resolved"));
    }

    // ================================================================== tickets

    private Resp ticketRoutes(String m, List<String> s, ObjectNode body) {
        int n = s.size();
        if (n == 1 && m.equals("POST")) return ok(renderTicket(createTicket(body), true));
        if (n < 2) return null;
        if (n == 2 && s.get(1).equals("search") && m.equals("POST")) {
            JsonNode query = body.get("query");
            if (query == null || !query.isObject()) throw missing("query is required");
            List<JsonNode> hits = new ArrayList<>();
            searchesSeen++;
            for (Thread2 t : tickets.values()) {
                if (matches(query, f -> ticketField(t, f), 0) && searchable(t.node.get("id").asText())) hits.add(renderTicket(t, true));
            }
            ObjectNode r = F.objectNode().put("type", "ticket.list");
            JsonNode pg = body.path("pagination");
            paginate(r, "tickets", hits, pg.hasNonNull("per_page") ? pg.get("per_page").asText() : null,
                    pg.hasNonNull("starting_after") ? pg.get("starting_after").asText() : null, 20);
            return ok(r);
        }
        String id = s.get(1);
        Thread2 t = tickets.get(id);
        if (t == null) throw notFound("Ticket");
        if (n == 2 && m.equals("GET")) return ok(renderTicket(t, true));
        if (n == 2 && m.equals("DELETE")) {
            tickets.remove(id);
            return ok(F.objectNode().put("id", id).put("object", "ticket").put("deleted", true));
        }
        if (n == 2 && m.equals("PUT")) {
            ObjectNode tt = ticketTypes.get(t.node.path("ticket_type").path("id").asText());
            JsonNode ta = body.get("ticket_attributes");
            ObjectNode state = body.has("ticket_state_id") ? ticketStateFor(body.get("ticket_state_id")) : null;
            validateTicketAttributes(tt, ta, false);
            if (ta != null && ta.isObject()) {
                ObjectNode target = (ObjectNode) t.node.get("ticket_attributes");
                ta.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
            }
            if (body.has("open")) t.node.put("open", body.get("open").asBoolean());
            if (body.has("state")) throw invalid("state is not a ticket field: set ticket_state_id");
            if (state != null) setTicketState(t, state);
            if (body.has("is_shared")) t.node.put("is_shared", body.get("is_shared").asBoolean());
            if (body.has("snoozed_until")) t.node.set("snoozed_until", body.get("snoozed_until").deepCopy());
            JsonNode assignment = body.get("assignment");
            if (assignment != null && assignment.isObject()) applyTicketAssignment(t, (ObjectNode) assignment, "assignee_id");
            if (body.has("assignee_id")) applyTicketAssignment(t, body, "assignee_id");
            t.node.put("updated_at", nowSec());
            return ok(renderTicket(t, true));
        }
        if (n == 3 && s.get(2).equals("reply") && m.equals("POST")) {
            ObjectNode part = buildReplyPart(body, "ticket_part");
            addPart(t, part);
            recordUploads(t.node.path("id").asText(), part);
            return ok(part.deepCopy());
        }
        if (n >= 3 && s.get(2).equals("tags")) return threadTagRoutes(t, m, s, body);
        return null;
    }

    /** Searchable ticket fields (POST /tickets/search): contact_ids (membership), ticket_type_id, ticket_attribute.{name}, the rest as stored. */
    private JsonNode ticketField(Thread2 t, String field) {
        switch (field) {
            case "contact_ids": {
                ArrayNode a = F.arrayNode();
                t.contactIds.forEach(a::add);
                return a;
            }
            case "ticket_type_id":
                return t.node.path("ticket_type").get("id");
            case "state":
                return t.node.path("ticket_state").get("category");
            default:
                if (field.startsWith("ticket_attribute.")) {
                    return t.node.path("ticket_attributes").get(field.substring("ticket_attribute.".length()));
                }
                return t.node.get(field);
        }
    }

    private void applyTicketAssignment(Thread2 t, ObjectNode a, String adminField) {
        for (String f : List.of(adminField, "admin_assignee_id")) {
            if (!a.has(f)) continue;
            String v = text(a, f);
            if (v == null || v.equals("0")) t.node.putNull("admin_assignee_id");
            else if (findAdmin(v) == null) throw invalid(f + " is not an admin: " + v);
            else t.node.put("admin_assignee_id", v);
        }
        if (a.has("team_assignee_id")) {
            String v = text(a, "team_assignee_id");
            if (v == null || v.equals("0")) t.node.putNull("team_assignee_id");
            else if (!teams.containsKey(v)) throw invalid("team_assignee_id is not a team: " + v);
            else t.node.put("team_assignee_id", v);
        }
    }

    private void validateTicketAttributes(ObjectNode tt, JsonNode ta, boolean creating) {
        Set<String> given = new HashSet<>();
        if (ta != null && !ta.isNull()) {
            if (!ta.isObject()) throw invalid("ticket_attributes must be an object");
            Iterator<Map.Entry<String, JsonNode>> it = ta.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                JsonNode v = e.getValue();
                given.add(k);
                if (k.equals("_default_title_") || k.equals("_default_description_")) {
                    if (!v.isNull() && !v.isTextual()) throw invalid(k + " must be a string");
                    continue;
                }
                JsonNode attr = null;
                for (JsonNode a : ticketTypeAttributes(tt)) {
                    if (!a.path("archived").asBoolean() && a.path("name").asText().equals(k)) { attr = a; break; }
                }
                if (attr == null) throw invalid("Ticket attribute '" + k + "' does not exist on ticket type " + tt.get("id").asText());
                String type = attr.path("data_type").asText();
                if (!valueFits(type, v)) throw invalid("Ticket attribute '" + k + "' expects a value of type " + type);
                if (type.equals("list") && !v.isNull()) {
                    boolean found = false;
                    for (JsonNode o : attr.path("input_options").path("list_options")) {
                        if (o.path("id").asText().equals(v.asText()) || o.path("label").asText().equals(v.asText())) { found = true; break; }
                    }
                    if (!found) throw invalid("'" + v.asText() + "' is not a list item of ticket attribute '" + k + "'");
                }
            }
        }
        if (creating) {
            for (JsonNode a : ticketTypeAttributes(tt)) {
                if (!a.path("archived").asBoolean() && a.path("required_to_create").asBoolean() && !given.contains(a.path("name").asText())) {
                    throw invalid("Ticket attribute '" + a.path("name").asText() + "' is required");
                }
            }
        }
    }

    private Thread2 createTicket(ObjectNode body) {
        String typeId = text(body, "ticket_type_id");
        if (isBlank(typeId)) throw missing("ticket_type_id is required");
        ObjectNode tt = ticketTypes.get(typeId);
        if (tt == null) throw notFound("Ticket Type");
        if (tt.path("archived").asBoolean()) throw invalid("Ticket type " + typeId + " is archived");
        JsonNode cs = body.get("contacts");
        if (cs == null || !cs.isArray() || cs.size() != 1 || !cs.get(0).isObject()) {
            throw invalid("contacts must contain exactly one contact");
        }
        ObjectNode ref = (ObjectNode) cs.get(0);
        int keys = 0;
        for (String k : List.of("id", "external_id", "email")) if (ref.hasNonNull(k)) keys++;
        if (keys != 1) throw invalid("contacts[0] must have exactly one of id, external_id, email");
        validateTicketAttributes(tt, body.get("ticket_attributes"), true);
        Long createdAt = optionalTimestamp(body, "created_at");
        ObjectNode contact = null;
        String email = null;
        if (ref.hasNonNull("id")) {
            contact = contacts.get(text(ref, "id"));
            if (contact == null) throw notFound("User");
        } else if (ref.hasNonNull("external_id")) {
            String ext = text(ref, "external_id");
            for (ObjectNode c : contacts.values()) if (ext.equals(text(c, "external_id"))) { contact = c; break; }
            if (contact == null) throw notFound("User");
        } else {
            email = text(ref, "email");
            validateEmail(email);
            if (isBlank(email)) throw invalid("email must not be blank");
            String ne = normEmail(email);
            for (ObjectNode c : contacts.values()) if (ne.equals(normEmail(text(c, "email")))) { contact = c; break; }
        }
        Thread2 draft = new Thread2(F.objectNode());
        JsonNode assignment = body.get("assignment");
        if (assignment != null && assignment.isObject()) applyTicketAssignment(draft, (ObjectNode) assignment, "admin_assignee_id");
        if (contact == null) {
            contact = buildContact(F.objectNode().put("email", email).put("role", "user"), false);
        }
        long now = nowSec();
        ObjectNode t = F.objectNode();
        String id = newId();
        t.put("type", "ticket");
        t.put("id", id);
        indexed(id);
        t.put("ticket_id", String.valueOf(nextTicketNumber++));
        t.put("category", tt.path("category").asText("Customer"));
        ObjectNode ta = t.putObject("ticket_attributes");
        JsonNode given = body.get("ticket_attributes");
        if (given != null && given.isObject()) given.fields().forEachRemaining(e -> ta.set(e.getKey(), e.getValue().deepCopy()));
        t.set("ticket_state", ticketStateRef(firstTicketState("submitted")));
        ObjectNode ttRef = t.putObject("ticket_type");
        ttRef.put("type", "ticket_type");
        ttRef.put("id", tt.get("id").asText());
        ttRef.put("name", tt.get("name").asText());
        ttRef.put("category", tt.path("category").asText("Customer"));
        t.put("created_at", createdAt != null ? createdAt : now);
        t.put("updated_at", now);
        t.set("admin_assignee_id", draft.node.has("admin_assignee_id") ? draft.node.get("admin_assignee_id") : F.nullNode());
        t.set("team_assignee_id", draft.node.has("team_assignee_id") ? draft.node.get("team_assignee_id") : F.nullNode());
        t.put("open", true);
        t.put("is_shared", false);
        t.putNull("snoozed_until");
        Thread2 th = new Thread2(t);
        th.contactIds.add(contact.get("id").asText());
        tickets.put(id, th);
        return th;
    }

    private ObjectNode renderTicket(Thread2 t, boolean forRead) {
        ObjectNode r = t.node.deepCopy();
        r.set("contacts", contactList(t));
        ObjectNode tl = r.putObject("tags");
        tl.put("type", "tag.list");
        tl.set("tags", tagList(t.tagIds));
        ObjectNode pl = r.putObject("ticket_parts");
        pl.put("type", "ticket_part.list");
        ArrayNode arr = pl.putArray("ticket_parts");
        for (ObjectNode p : orderedParts(t)) arr.add(p.deepCopy());
        pl.put("total_count", t.parts.size());
        if (forRead) applyAlterations(r);
        return r;
    }

    // ================================================================== CLI

    // ================================================================== attachment_files

    /** A file a reply or note uploaded as attachment_files: what the workspace holds, for tests to check. */
    public record Upload(String threadId, String partId, String partType, long partCreatedAt, String name,
                         String contentType, long size, String sha256) {
    }

    private final List<Upload> uploads = new ArrayList<>();
    private final List<Object[]> pendingUploads = new ArrayList<>(); // of the part being built (under lock)

    /** Every file uploaded so far, in order. */
    public List<Upload> uploads() {
        synchronized (lock) {
            return List.copyOf(uploads);
        }
    }

    /**
     * attachment_files as Intercom takes them: at most 10 objects with name, content_type and base64 data (padded or
     * not, no other characters); anything else is a 400. They take precedence over attachment_urls.
     */
    private ArrayNode attachmentFiles(ObjectNode body) {
        JsonNode files = body.get("attachment_files");
        if (!files.isArray()) throw invalid("attachment_files must be an array");
        if (files.size() > 10) throw invalid("attachment_files must contain at most 10 files");
        ArrayNode out = F.arrayNode();
        List<Object[]> decoded = new ArrayList<>();
        for (JsonNode f : files) {
            if (!f.isObject()) throw invalid("attachment_files must contain objects");
            String name = text(f, "name");
            String contentType = text(f, "content_type");
            String data = text(f, "data");
            if (isBlank(name)) throw missing("attachment_files[].name is required");
            if (isBlank(contentType)) throw missing("attachment_files[].content_type is required");
            if (data == null) throw missing("attachment_files[].data is required");
            byte[] bytes;
            try {
                if (!data.matches("[A-Za-z0-9+/]*={0,2}")) throw new IllegalArgumentException("not base64");
                bytes = java.util.Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw invalid("attachment_files[].data must be base64 encoded: " + name);
            }
            decoded.add(new Object[] {name, contentType, bytes});
        }
        for (Object[] d : decoded) {
            String id = newId();
            byte[] bytes = (byte[]) d[2];
            ObjectNode a = out.addObject();
            a.put("type", "upload");
            a.put("name", (String) d[0]);
            a.put("url", "https://fake-intercom.test/uploads/" + id + "/" + d[0]);
            a.put("content_type", (String) d[1]);
            a.put("filesize", bytes.length);
            pendingUploads.add(new Object[] {d[0], d[1], (long) bytes.length, sha256Hex(bytes)});
        }
        return out;
    }

    private void recordUploads(String threadId, ObjectNode part) {
        for (Object[] u : pendingUploads) {
            uploads.add(new Upload(threadId, part.path("id").asText(), part.path("part_type").asText(),
                    part.path("created_at").asLong(), (String) u[0], (String) u[1], (long) u[2], (String) u[3]));
        }
        pendingUploads.clear();
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Builder b = builder();
        long maxSeconds = 3600;
        long searchLagMs = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port": b.port(Integer.parseInt(v)); i++; break;
                case "--token": b.token(v); i++; break;
                case "--limit-per-10s": b.limitPer10s(Integer.parseInt(v)); i++; break;
                case "--window-seconds": b.windowSeconds(Integer.parseInt(v)); i++; break;
                case "--latency-ms": b.latencyMillis(Integer.parseInt(v)); i++; break;
                case "--error-rate": b.serverErrorRate(Double.parseDouble(v)); i++; break;
                case "--ambiguous-rate": b.ambiguousRate(Double.parseDouble(v)); i++; break;
                case "--drop-rate": b.dropRate(Double.parseDouble(v)); i++; break;
                case "--seed": b.seed(Long.parseLong(v)); i++; break;
                case "--admin": {
                    int eq = v.indexOf('=');
                    if (eq < 0) b.admin(v, v);
                    else b.admin(v.substring(0, eq), v.substring(eq + 1));
                    i++;
                    break;
                }
                case "--team": b.team(v); i++; break;
                case "--max-seconds": maxSeconds = Long.parseLong(v); i++; break;
                case "--search-lag-ms": searchLagMs = Long.parseLong(v); i++; break;
                default:
                    System.err.println("unknown argument: " + a);
                    System.exit(2);
            }
        }
        FakeIntercom fake = b.build().start().searchLag(searchLagMs, 0);
        PrintStream out = System.out;
        out.println("FAKE_INTERCOM_LISTENING " + fake.baseUrl());
        out.flush();
        try {
            Thread.sleep(Math.max(0, maxSeconds) * 1000L);
        } finally {
            fake.close();
        }
    }
}
