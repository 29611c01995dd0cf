package io.intercommigrator.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.IntercomApiException;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.intercom.TagRegistry;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.ThreadPlan;

import io.intercommigrator.intercom.DeliverySample;
/**
 * Read-back verification at the end of a live run: every item of the {@link DeliverySample} is read from Intercom
 * (through the {@link IntercomClient}, so the rate governor applies) and compared field by field with its source
 * record, through the rules of {@link SourceRules} (email, name, phone digits, typed custom attributes, created_at,
 * messages with their order, times, texts and authors, disposition and outcome names): a mapping defect shows as a
 * mismatch, where a comparison with the payload would find what was sent. A value the run queued as left off
 * (mapping.md: a bad value costs a field) is no mismatch: the result lists it under {@code left_off}.
 * Parts appended to a thread that was there already ({@link DeliverySample#CONVERSATION_PART}, {@link DeliverySample#NOTE})
 * are compared as parts only, on the thread they were appended to. The thread's contact is read too when the rules
 * expect one of its fields ({@code contact.email}). What the source rules do not cover (role, tags, other attributes;
 * kinds without rules, a contact a thread filled) is compared with what was sent:
 * <ul>
 * <li>contact: email (trimmed, lower case), name, role (not for a merge into someone else's contact, which keeps its
 * own), the custom attributes sent, and its tags include the plan's;</li>
 * <li>conversation: created_at, the opening message, its attributes and tags, and the plan's parts;</li>
 * <li>ticket: created_at, the ticket attributes sent, its tags and the plan's parts.</li>
 * </ul>
 * Parts: the thread's comments and notes that hold the plan's texts must be as many as the plan's parts, in the
 * plan's order, each with its created_at and author type; parts others added (assignments, appended messages,
 * attachment notes) are not the plan's and are left alone. Intercom returns only the newest 500 parts of a thread:
 * for a longer thread only the plan's parts in that window are compared, and the result says so in {@code notes}.
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    /** How many parts Intercom returns with a conversation (the newest ones). */
    public static final int READABLE_PARTS = 500;
    public static final String PARTS_NOTE = "only the newest " + READABLE_PARTS + " parts can be read back";
    private static final Set<String> MESSAGE_PARTS = Set.of("comment", "note");
    private static final Set<String> CONTACT_AUTHORS = Set.of("user", "lead", "contact");
    private static final Pattern TAG = Pattern.compile("</?[A-Za-z][^>]*>");

    /** Reads one object from Intercom by its path; throws {@link IntercomApiException} when it cannot. */
    @FunctionalInterface
    public interface Reader {
        JsonNode get(String path);
    }

    private final Reader reader;
    private final Function<String, Optional<String>> tagIds;
    private final ObjectMapper json;
    private final SourceRules rules;
    private int readers = 1;

    /** Reads through the run's client (so the rate governor applies); tag ids by name from the run's tag registry. */
    public Verifier(IntercomClient client, TagRegistry tags, ObjectMapper json) {
        this(client, tags, json, null);
    }

    /** As above, comparing each item that knows its source record with that record through {@code rules}. */
    public Verifier(IntercomClient client, TagRegistry tags, ObjectMapper json, SourceRules rules) {
        this(path -> client.get(path).body(), tags::knownId, json, rules);
    }

    public Verifier(Reader reader, Function<String, Optional<String>> tagIds, ObjectMapper json) {
        this(reader, tagIds, json, null);
    }

    /** @param rules what a source record must become in Intercom; null: every item is compared with what was sent */
    public Verifier(Reader reader, Function<String, Optional<String>> tagIds, ObjectMapper json, SourceRules rules) {
        this.reader = reader;
        this.tagIds = tagIds;
        this.json = json;
        this.rules = rules;
    }

    /**
     * Reads up to {@code n} sampled objects at the same time, so the read-back at the end of a run takes a moment of
     * the quota's window instead of a window or more at one request at a time (the result is the same, in sample order).
     */
    public Verifier readingAtOnce(int n) {
        this.readers = Math.max(1, n);
        return this;
    }

    /** The result when nothing is read back (dry-run, sample size 0): sampled 0 and the reason. */
    public static ObjectNode notRun(ObjectMapper json, String note) {
        ObjectNode v = json.createObjectNode().put("sampled", 0).put("matched", 0);
        v.putArray("mismatches");
        v.putArray("notes").add(note);
        return v;
    }

    /** Reads the sample back; the result is {@code reconciliation.json → verification}. */
    public ObjectNode verify(DeliverySample sample) {
        if (sample.size() == 0) {
            return notRun(json, "verification.sample-size is 0: nothing was read back");
        }
        List<DeliverySample.Item> items = sample.draw();
        ObjectNode result = json.createObjectNode();
        ArrayNode mismatches = json.createArrayNode();
        ArrayNode notes = json.createArrayNode();
        ArrayNode leftOff = json.createArrayNode();
        List<String> longThreads = new ArrayList<>();
        Map<String, Integer> sampledByType = new LinkedHashMap<>();
        Map<String, Integer> sampledByKind = new java.util.TreeMap<>();
        int sampled = 0;
        int matched = 0;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(readers, items.size())), r -> {
                    Thread t = new Thread(r, "verify-read");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<Checked>> checks = new ArrayList<>();
            for (DeliverySample.Item item : items) {
                checks.add(pool.submit(() -> {
                    Checked c = new Checked(new ArrayList<>(), json.createArrayNode(), new ArrayList<>());
                    check(item, c.found(), c.leftOff(), c.longThreads());
                    return c;
                }));
            }
            for (int i = 0; i < items.size(); i++) {
                Checked c = outcome(checks.get(i));
                sampled++;
                sampledByType.merge(items.get(i).objectType(), 1, Integer::sum);
                DeliverySample.Origin origin = items.get(i).origin();
                sampledByKind.merge(origin == null || origin.kind() == null ? "(source record not known)" : origin.kind(), 1,
                        Integer::sum);
                if (c.found().isEmpty()) {
                    matched++;
                }
                c.found().forEach(mismatches::add);
                leftOff.addAll(c.leftOff());
                longThreads.addAll(c.longThreads());
            }
        } catch (RunControl.RunAbortedException e) {
            notes.add("verification stopped after " + sampled + " of " + items.size() + " items: " + e.getMessage());
        } finally {
            pool.shutdownNow();
        }
        if (items.isEmpty()) {
            notes.add("nothing was created or updated in this run: nothing to read back");
        }
        if (!longThreads.isEmpty()) {
            notes.add(PARTS_NOTE + ": " + longThreads.size() + " sampled thread(s) have more, and only their parts in "
                    + "that window were compared (" + String.join(", ", longThreads) + ")");
        }
        result.put("sampled", sampled);
        result.put("matched", matched);
        result.set("mismatches", mismatches);
        result.set("notes", notes);
        if (!leftOff.isEmpty()) {
            result.set("left_off", leftOff);
        }
        if (sample.everything()) {
            result.put("sample_size", "all");
        } else {
            result.put("sample_size", sample.size());
        }
        result.put("seed", sample.seed());
        ObjectNode byType = result.putObject("sampled_by_type");
        sampledByType.forEach(byType::put);
        ObjectNode byKind = result.putObject("sampled_by_kind"); // the kinds of source file the sample compared with
        sampledByKind.forEach(byKind::put);
        ObjectNode delivered = result.putObject("delivered_by_type");
        sample.delivered().forEach(delivered::put);
        LOG.info("Read-back verification: {} of {} sampled objects match what was sent ({} mismatching fields)", matched,
                sampled, mismatches.size());
        return result;
    }

    /** One sampled object's mismatches, its values left off, and its note when it is a thread too long to read back whole. */
    private record Checked(List<ObjectNode> found, ArrayNode leftOff, List<String> longThreads) {
    }

    /** The check's result, or what it threw (as thrown: a stopped run, an Intercom error). */
    private static Checked outcome(java.util.concurrent.Future<Checked> check) {
        try {
            return check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the sample back", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void check(DeliverySample.Item item, List<ObjectNode> out, ArrayNode leftOff, List<String> longThreads) {
        Mismatches m = new Mismatches(item, out, leftOff);
        JsonNode actual;
        String path = DeliverySample.CONTACT.equals(item.objectType()) ? "/contacts/"
                : DeliverySample.TICKET.equals(item.objectType())
                || item.plan() instanceof ThreadPlan t && t.kind() == ThreadPlan.Kind.TICKET ? "/tickets/" : "/conversations/";
        try {
            actual = reader.get(path + item.intercomId());
        } catch (IntercomApiException e) {
            m.add("read", json.getNodeFactory().textNode("readable"),
                    json.getNodeFactory().textNode(e.status() + " " + e.code() + ": " + e.getMessage()));
            return;
        }
        Optional<SourceRules.Expected> expected = rules == null ? Optional.empty() : rules.expect(item);
        Set<String> covered = new HashSet<>();
        if (expected.isPresent()) {
            checkSource(item, expected.get(), withContact(actual, expected.get(), m), m, covered);
        }
        if (item.appendedParts() && item.plan() instanceof ThreadPlan plan) {
            checkAppended(plan, item, actual, m, longThreads, expected.map(SourceRules.Expected::parts).orElse(null));
        } else if (item.plan() instanceof ContactPlan plan) {
            checkContact(plan, item, actual, m, covered);
        } else if (item.plan() instanceof ThreadPlan plan) {
            checkThread(plan, item, actual, m, longThreads, covered, expected.map(SourceRules.Expected::parts).orElse(null));
        }
    }

    // ------------------------------------------------------------------ against the source record

    /**
     * The fields the source rules expect, compared with the read-back; each field compared is added to {@code covered}
     * (the comparison with what was sent leaves it alone). A merge into someone else's contact keeps that contact's
     * email and source ids. A value the run queued as left off goes to {@code left_off}, not to the mismatches.
     */
    private void checkSource(DeliverySample.Item item, SourceRules.Expected expected, JsonNode actual, Mismatches m,
                             Set<String> covered) {
        Map<String, io.intercommigrator.core.LeftOffValue> queued = new LinkedHashMap<>();
        List<io.intercommigrator.core.LeftOffValue> planLeftOff = item.plan() instanceof ContactPlan c ? c.leftOff()
                : item.plan() instanceof ThreadPlan t ? t.leftOff() : List.of();
        planLeftOff.forEach(l -> queued.putIfAbsent(l.attribute(), l));
        Set<String> identity = item.plan() instanceof ContactPlan c ? c.identityAttributes() : Set.of();
        expected.fields().forEach((field, want) -> {
            String attribute = field.substring(field.indexOf('.') + 1);
            if (item.merged() && (field.equals("email") || identity.contains(attribute))) {
                return;
            }
            covered.add(field);
            JsonNode got = at(actual, field);
            io.intercommigrator.core.LeftOffValue left = queued.get(attribute);
            if (left != null) {
                m.leftOff(field, left.value(), left.reason(), got);
                return;
            }
            if (want.isNull()) {
                // the rules leave it off (a value that does not fit its type): the run must not have written it
                JsonNode sent = item.sent() == null ? NullNode.getInstance() : at(item.sent(), field);
                m.add(field, text("left off: " + expected.leftOff().get(field)), sent.isMissingNode() || sent.isNull() ? got : sent);
                return;
            }
            if (!matches(field, want, got)) {
                m.add(field, want, got);
            }
        });
    }

    /**
     * The thread as read, with its first contact as read under "contact" when the rules expect a contact field
     * ({@code contact.email}); a contact that cannot be read is a mismatch of its own.
     */
    private JsonNode withContact(JsonNode actual, SourceRules.Expected expected, Mismatches m) {
        if (expected.fields().keySet().stream().noneMatch(f -> f.startsWith("contact.")) || !(actual instanceof ObjectNode o)) {
            return actual;
        }
        String id = actual.path("contacts").path("contacts").path(0).path("id").asText("");
        ObjectNode view = o.deepCopy();
        if (id.isEmpty()) {
            return view;
        }
        try {
            view.set("contact", reader.get("/contacts/" + id));
        } catch (IntercomApiException e) {
            m.add("contact", json.getNodeFactory().textNode("readable"),
                    json.getNodeFactory().textNode(e.status() + " " + e.code() + ": " + e.getMessage()));
        }
        return view;
    }

    /** A field of an object by the report's name: "email", "custom_attributes.x", "source.body", … */
    private static JsonNode at(JsonNode object, String field) {
        int dot = field.indexOf('.');
        return dot < 0 ? object.path(field) : object.path(field.substring(0, dot)).path(field.substring(dot + 1));
    }

    private static boolean matches(String field, JsonNode want, JsonNode got) {
        switch (field) {
            case "email", "contact.email" -> {
                return normEmail(want.asText()).equals(normEmail(got.asText("")));
            }
            case "name" -> {
                return want.asText().strip().equals(got.asText("").strip());
            }
            case "phone" -> {
                // the digits of the source number, a national prefix 0 aside (Intercom may hold it with a country code)
                String digits = got.asText("").replaceAll("\\D", "");
                String source = want.asText().replaceFirst("^0+", "");
                return !digits.isEmpty() && digits.endsWith(source);
            }
            case "source.body" -> {
                return plain(got.asText("")).contains(plain(want.asText()));
            }
            case "ticket_attributes._default_title_", "ticket_attributes._default_description_" -> {
                return plain(got.asText("")).equals(plain(want.asText()));
            }
            case "custom_attributes.ld_disposition", "custom_attributes.ld_outcome" -> {
                return want.asText().equalsIgnoreCase(got.asText("").strip());
            }
            default -> {
                return same(want, got);
            }
        }
    }

    // ------------------------------------------------------------------ contacts

    private void checkContact(ContactPlan plan, DeliverySample.Item item, JsonNode actual, Mismatches m, Set<String> covered) {
        JsonNode sent = item.sent() != null ? item.sent() : plan.payload();
        String email = sent.path("email").asText("");
        if (!email.isBlank() && !covered.contains("email") && !normEmail(email).equals(normEmail(actual.path("email").asText("")))) {
            m.add("email", text(normEmail(email)), text(normEmail(actual.path("email").asText(""))));
        }
        if (sent.hasNonNull("name") && !covered.contains("name") && !sent.path("name").asText().strip().equals(actual.path("name").asText("").strip())) {
            m.add("name", sent.get("name"), actual.path("name"));
        }
        if (!item.merged() && sent.hasNonNull("role")) {
            String wanted = sent.path("role").asText();
            String got = actual.path("role").asText("");
            // a lead Intercom has since turned into a user is not a loss (the run never demotes a user either)
            if (!wanted.equals(got) && !(wanted.equals("lead") && got.equals("user"))) {
                m.add("role", sent.get("role"), actual.path("role"));
            }
        }
        sent.path("custom_attributes").fields().forEachRemaining(e -> {
            JsonNode got = actual.path("custom_attributes").path(e.getKey());
            if (!covered.contains("custom_attributes." + e.getKey()) && !same(e.getValue(), got)) {
                m.add("custom_attributes." + e.getKey(), e.getValue(), got);
            }
        });
        checkTags(plan.tags(), actual.path("tags").path("data"), m);
    }

    private static String normEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ conversations and tickets

    private void checkThread(ThreadPlan plan, DeliverySample.Item item, JsonNode actual, Mismatches m, List<String> longThreads,
                             Set<String> covered, List<SourceRules.Part> sourceParts) {
        if (plan.createdAt() != 0 && !covered.contains("created_at") && actual.path("created_at").asLong() != plan.createdAt()) {
            m.add("created_at", json.getNodeFactory().numberNode(plan.createdAt()), actual.path("created_at"));
        }
        boolean ticket = DeliverySample.TICKET.equals(item.objectType());
        if (ticket) {
            Map<String, Object> sent = new LinkedHashMap<>(plan.ticketAttributes());
            sent.putAll(plan.attributes());
            sent.forEach((k, v) -> {
                JsonNode wanted = json.valueToTree(v);
                JsonNode got = actual.path("ticket_attributes").path(k);
                if (!covered.contains("ticket_attributes." + k) && !same(wanted, got)) {
                    m.add("ticket_attributes." + k, wanted, got);
                }
            });
        } else {
            JsonNode source = actual.path("source");
            String body = plain(source.path("body").asText(""));
            if (!covered.contains("source.body") && !body.contains(plain(plan.body()))) {
                m.add("source.body", text(plan.body()), source.path("body"));
            }
            String author = source.path("author").path("type").asText("");
            if (!CONTACT_AUTHORS.contains(author)) {
                m.add("source.author", text("contact"), source.path("author").path("type"));
            }
            plan.attributes().forEach((k, v) -> {
                JsonNode wanted = json.valueToTree(v);
                JsonNode got = actual.path("custom_attributes").path(k);
                if (!covered.contains("custom_attributes." + k) && !same(wanted, got)) {
                    m.add("custom_attributes." + k, wanted, got);
                }
            });
        }
        checkTags(plan.tags(), actual.path("tags").path("tags"), m);
        JsonNode list = ticket ? actual.path("ticket_parts") : actual.path("conversation_parts");
        JsonNode parts = list.path(ticket ? "ticket_parts" : "conversation_parts");
        int total = list.path("total_count").asInt(parts.size());
        if (total > parts.size()) {
            longThreads.add(item.objectType() + " " + item.intercomId() + ": " + total + " parts");
        }
        List<SourceRules.Part> expected = sourceParts != null ? sourceParts : plan.parts().stream()
                .map(p -> new SourceRules.Part(p.partKey(), p.body(), p.author() == ThreadPlan.Author.CONTACT ? "contact" : "admin",
                        p.createdAt()))
                .toList();
        checkParts(expected, parts, total > parts.size(), m);
    }

    /**
     * Parts this run appended to a thread that was there already (ticket_messages.csv rows, VoIP call notes): only they
     * are compared (as the source says, else as sent), not the thread's own fields.
     */
    private void checkAppended(ThreadPlan plan, DeliverySample.Item item, JsonNode actual, Mismatches m, List<String> longThreads,
                               List<SourceRules.Part> sourceParts) {
        boolean ticket = plan.kind() == ThreadPlan.Kind.TICKET;
        JsonNode list = ticket ? actual.path("ticket_parts") : actual.path("conversation_parts");
        JsonNode parts = list.path(ticket ? "ticket_parts" : "conversation_parts");
        int total = list.path("total_count").asInt(parts.size());
        if (total > parts.size()) {
            longThreads.add(item.objectType() + " " + item.intercomId() + ": " + total + " parts");
        }
        List<SourceRules.Part> expected = sourceParts != null ? sourceParts : plan.parts().stream()
                .map(p -> new SourceRules.Part(p.partKey(), p.body(), p.author() == ThreadPlan.Author.CONTACT ? "contact" : "admin",
                        p.createdAt()))
                .toList();
        checkParts(expected, parts, total > parts.size(), m);
    }

    /**
     * The plan's parts among the thread's comments and notes: as many, in order, with their created_at and author
     * type. When the thread has more parts than Intercom returns, only the plan's parts from the oldest part returned
     * on are expected (one at that very second may be just outside the window: it is compared only when found).
     */
    private void checkParts(List<SourceRules.Part> plan, JsonNode parts, boolean truncated, Mismatches m) {
        List<JsonNode> read = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (JsonNode p : parts) {
            oldest = Math.min(oldest, p.path("created_at").asLong());
            if (MESSAGE_PARTS.contains(p.path("part_type").asText())) {
                read.add(p);
            }
        }
        List<String> bodies = read.stream().map(p -> plain(p.path("body").asText(""))).toList();
        boolean[] used = new boolean[read.size()];
        List<SourceRules.Part> expected = new ArrayList<>();
        List<SourceRules.Part> missing = new ArrayList<>();
        List<int[]> matched = new ArrayList<>(); // {plan index, read index}
        int last = -1;
        for (SourceRules.Part part : plan) {
            if (truncated && part.createdAt() < oldest) {
                continue; // older than the window Intercom returns
            }
            boolean optional = truncated && part.createdAt() == oldest;
            String text = plain(part.body());
            int best = -1;
            int rank = Integer.MAX_VALUE;
            for (int i = 0; i < read.size(); i++) {
                if (used[i] || !bodies.get(i).contains(text)) {
                    continue;
                }
                boolean sameTime = read.get(i).path("created_at").asLong() == part.createdAt();
                // a part known by what it says (a call note: its details) is the one that says most of it
                int r = 4 * missing(part, bodies.get(i)).size() + (sameTime ? 0 : 2) + (i > last ? 0 : 1);
                if (r < rank) {
                    rank = r;
                    best = i;
                }
            }
            if (best < 0) {
                if (!optional) {
                    expected.add(part);
                    missing.add(part);
                }
                continue;
            }
            expected.add(part);
            used[best] = true;
            last = best;
            matched.add(new int[] {expected.size() - 1, best});
        }
        if (!missing.isEmpty()) {
            m.add("part_count", json.getNodeFactory().numberNode(expected.size()), json.getNodeFactory().numberNode(matched.size()));
            for (SourceRules.Part p : missing) {
                m.add("parts[" + p.key() + "].body", text(p.body()), NullNode.getInstance());
            }
        }
        boolean inOrder = true;
        for (int i = 1; i < matched.size(); i++) {
            inOrder &= matched.get(i)[1] > matched.get(i - 1)[1];
        }
        if (!inOrder) {
            ArrayNode wanted = json.createArrayNode();
            matched.forEach(x -> wanted.add(expected.get(x[0]).key()));
            ArrayNode got = json.createArrayNode();
            matched.stream().sorted((a, b) -> Integer.compare(a[1], b[1])).forEach(x -> got.add(expected.get(x[0]).key()));
            m.add("part_order", wanted, got);
        }
        for (int[] x : matched) {
            SourceRules.Part p = expected.get(x[0]);
            JsonNode r = read.get(x[1]);
            if (r.path("created_at").asLong() != p.createdAt()) {
                m.add("parts[" + p.key() + "].created_at", json.getNodeFactory().numberNode(p.createdAt()), r.path("created_at"));
            }
            String author = r.path("author").path("type").asText("");
            boolean ok = p.author().equals("contact") ? CONTACT_AUTHORS.contains(author) : author.equals("admin");
            if (!ok) {
                m.add("parts[" + p.key() + "].author", text(p.author()), r.path("author").path("type"));
            }
            for (String label : missing(p, plain(r.path("body").asText("")))) {
                m.add("parts[" + p.key() + "]." + label, text(p.details().get(label)), r.path("body"));
            }
        }
    }

    /** The labels of the part's details its read-back text does not say. */
    private static List<String> missing(SourceRules.Part part, String body) {
        List<String> out = new ArrayList<>();
        part.details().forEach((label, want) -> {
            if (!body.contains(plain(want))) {
                out.add(label);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ shared

    /** The plan's tags must all be on the object (by name, or by id where Intercom lists tags without names). */
    private void checkTags(List<String> wanted, JsonNode actual, Mismatches m) {
        if (wanted.isEmpty()) {
            return;
        }
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        List<String> shown = new ArrayList<>();
        for (JsonNode t : actual) {
            if (t.hasNonNull("name")) {
                names.add(TagRegistry.key(t.path("name").asText()));
                shown.add(t.path("name").asText());
            } else {
                shown.add("id:" + t.path("id").asText());
            }
            ids.add(t.path("id").asText());
        }
        boolean all = true;
        for (String tag : wanted) {
            if (!names.contains(TagRegistry.key(tag))) {
                Optional<String> id = tagIds.apply(tag);
                all &= id.isPresent() && ids.contains(id.get());
            }
        }
        if (!all) {
            ArrayNode w = json.createArrayNode();
            wanted.forEach(w::add);
            ArrayNode a = json.createArrayNode();
            shown.forEach(a::add);
            m.add("tags", w, a);
        }
    }

    /** Equal as JSON values: numbers by value, other scalars by text; absent, null and "" are alike. */
    static boolean same(JsonNode expected, JsonNode actual) {
        boolean noExpected = expected == null || expected.isNull() || expected.isMissingNode()
                || (expected.isTextual() && expected.asText().isEmpty());
        boolean noActual = actual == null || actual.isNull() || actual.isMissingNode() || (actual.isTextual() && actual.asText().isEmpty());
        if (noExpected || noActual) {
            return noExpected && noActual;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isValueNode() && actual.isValueNode()) {
            return expected.asText().equals(actual.asText());
        }
        return expected.equals(actual);
    }

    /** Text as a reader sees it: HTML tags dropped, the common entities decoded, white space collapsed. */
    static String plain(String html) {
        if (html == null) {
            return "";
        }
        String t = TAG.matcher(html).replaceAll(" ");
        t = t.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&");
        return t.replaceAll("\\s+", " ").strip();
    }

    private JsonNode text(String s) {
        return s == null ? NullNode.getInstance() : json.getNodeFactory().textNode(s);
    }

    /** Collects one item's mismatches in the report's shape. */
    private final class Mismatches {
        private final DeliverySample.Item item;
        private final List<ObjectNode> out;
        private final ArrayNode leftOff;

        Mismatches(DeliverySample.Item item, List<ObjectNode> out, ArrayNode leftOff) {
            this.item = item;
            this.out = out;
            this.leftOff = leftOff;
        }

        /** A source value the run queued as left off (no mismatch): what it was, why, and what Intercom holds. */
        void leftOff(String field, String value, String reason, JsonNode actual) {
            ObjectNode n = leftOff.addObject();
            n.put("object_type", item.objectType());
            n.put("intercom_id", item.intercomId());
            n.put("source", item.source());
            n.put("field", field);
            n.put("value", value);
            n.put("reason", reason);
            n.set("actual", actual == null || actual.isMissingNode() ? NullNode.getInstance() : actual.deepCopy());
        }

        void add(String field, JsonNode expected, JsonNode actual) {
            ObjectNode n = json.createObjectNode();
            n.put("object_type", item.objectType());
            n.put("intercom_id", item.intercomId());
            n.put("source", item.source());
            if (item.origin() != null) {
                n.put("source_record", item.origin().file() + ":" + item.origin().line());
            }
            n.put("field", field);
            n.set("expected", expected == null ? NullNode.getInstance() : expected.deepCopy());
            n.set("actual", actual == null || actual.isMissingNode() ? NullNode.getInstance() : actual.deepCopy());
            out.add(n);
        }
    }
}
