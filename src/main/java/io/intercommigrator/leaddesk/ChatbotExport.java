package io.intercommigrator.leaddesk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.intake.CsvSource;
import io.intercommigrator.intake.GroupedRows;
import io.intercommigrator.intake.InputRefusedException;
import io.intercommigrator.intake.MalformedRow;
import io.intercommigrator.intake.SourceRow;
import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.core.LeftOffValue;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;

/**
 * One LeadDesk chatbot export ({@code chatbot_export*.zip}, already unpacked into a folder): its four CSVs
 * (conversations, outcomes, timing, agent), the export range they cover, and one Intercom conversation per chatbot
 * session (mapping.md). The rows of the four files are grouped by conversation_id without being held
 * ({@link GroupedRows}: past a memory budget they spill to sorted runs in a scratch folder below the unpacked one,
 * deleted by {@link #close}), so a session is built from its own rows only. An export missing any of the four files, or not covering the
 * migration range ({@link #requireCovers}), is refused with a message for the customer.
 *
 * <p>Rows that cannot be read (CSV syntax, or a bad message_index / timestamp / sender / handed_over value) are
 * left out and listed by {@link #malformedRows()}; the rest of the export is still used (an invalid contact_email is
 * not used as an identifier, its message is kept). Sessions are the
 * conversation_ids of conversations.csv; outcomes, timing and agent rows annotate them (the first row per id wins).
 */
public final class ChatbotExport implements java.io.Closeable {
    public static final List<String> FILES = List.of("conversations.csv", "outcomes.csv", "timing.csv", "agent.csv");
    static final Map<String, List<String>> REQUIRED_COLUMNS = Map.of(
            "conversations.csv", List.of("conversation_id", "message_index", "timestamp", "sender", "message",
                    "contact_email", "contact_phone"),
            "outcomes.csv", List.of("conversation_id", "intent", "outcome", "handed_over"),
            "timing.csv", List.of("conversation_id", "started_at", "ended_at", "duration_s", "export_range_start",
                    "export_range_end"),
            "agent.csv", List.of("conversation_id", "agent_email", "handover_at"));
    static final String BOT_NAME = "Chatbot";

    private final String displayName;
    private final Timestamps timestamps;
    private final GroupedRows malformed; // in file order, spilled like the messages (an export may be mostly malformed)
    /** Every row by conversation_id, tagged M (message), O (outcome), T (timing), A (agent), in file order. */
    private final GroupedRows messages;
    private Long rangeStart;
    private Long rangeEnd;

    private enum Sender { USER, BOT, AGENT }

    private record Message(long index, long order, long at, Sender sender, String text, String email, String phone) {
    }

    private record Outcome(String intent, String outcome, boolean handedOver) {
    }

    private record Timing(Long startedAt) {
    }

    private record Agent(String email, Long handoverAt, String handoverText) {
    }

    /** One session's rows: its messages in order and the first outcome, timing and agent row of its id. */
    private record Session(String id, List<Message> ordered, Outcome outcome, Timing timing, Agent agent) {
    }

    /** How a session's contact is identified: the ledger source id, and the email / phone found in its messages. */
    private record Identity(String sourceId, String email, String phone) {
    }

    /** A value in a row that cannot be used: the row is reported malformed naming the column. */
    private static final class BadValue extends RuntimeException {
        final String column;

        BadValue(String column, String message) {
            super(message);
            this.column = column;
        }
    }

    private final io.intercommigrator.intake.CsvReading csv;

    private ChatbotExport(String displayName, Timestamps timestamps, io.intercommigrator.intake.CsvReading csv, Path scratch) {
        this.displayName = displayName;
        this.timestamps = timestamps;
        this.csv = csv;
        this.messages = new GroupedRows(scratch);
        this.malformed = new GroupedRows(scratch.resolveSibling(scratch.getFileName() + "-malformed"));
    }

    /**
     * Finds the four CSVs anywhere below {@code folder} (case-insensitive, optional name prefix such as
     * {@code acme_conversations.csv}; {@code __MACOSX/} and dot-files ignored) and loads them.
     *
     * @param displayName the export's name for messages, e.g. "chatbot_export_2026-11.zip"
     * @throws InputRefusedException when a file is missing or ambiguous, a required column is missing, or
     *                               timing.csv gives no export range
     */
    public static ChatbotExport open(Path folder, String displayName, Timestamps timestamps) {
        return open(folder, displayName, timestamps, io.intercommigrator.intake.CsvReading.defaults());
    }

    /** As {@link #open(Path, String, Timestamps)}, each CSV read with the run's options and that file's column aliases. */
    public static ChatbotExport open(Path folder, String displayName, Timestamps timestamps,
                                     io.intercommigrator.intake.CsvReading csv) {
        Map<String, Path> files = locate(folder, displayName);
        ChatbotExport export = new ChatbotExport(displayName, timestamps, csv,
                folder.resolve(".spill-" + java.util.UUID.randomUUID()));
        try {
            for (String name : FILES) {
                Path file = files.get(name);
                String rowFile = displayName + "!" + folder.relativize(file).toString().replace('\\', '/');
                export.load(name, file, rowFile);
            }
            if (export.rangeStart == null || export.rangeEnd == null) {
                throw new InputRefusedException(displayName + ": refused, timing.csv gives no export_range_start /"
                        + " export_range_end, so the range the chatbot export covers cannot be checked");
            }
        } catch (RuntimeException e) {
            export.close();
            throw e;
        }
        return export;
    }

    /** The earliest export_range_start of timing.csv. */
    public Instant exportRangeStart() {
        return Instant.ofEpochSecond(rangeStart);
    }

    /** The latest export_range_end of timing.csv. */
    public Instant exportRangeEnd() {
        return Instant.ofEpochSecond(rangeEnd);
    }

    /** @throws InputRefusedException when the export does not cover the whole migration range from..to */
    public void requireCovers(Instant from, Instant to) {
        if (exportRangeStart().isAfter(from) || exportRangeEnd().isBefore(to)) {
            throw new InputRefusedException(displayName + ": refused, the chatbot export covers only "
                    + exportRangeStart() + ".." + exportRangeEnd() + ", the migration range is " + from + ".." + to
                    + ". Re-export the full range from LeadDesk Chatbot Studio before closing the LeadDesk account:"
                    + " older chatbot history cannot be recovered later.");
        }
    }

    /**
     * Rows left out because they could not be read, in file order (conversations, outcomes, timing, agent), read back
     * one by one (past a memory budget they were spilled with the messages); each call reads them all again.
     */
    public java.util.Iterator<MalformedRow> malformedRows() {
        java.util.Iterator<GroupedRows.Group> rows = malformed.groups();
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public MalformedRow next() {
                GroupedRows.Row row = rows.next().rows().get(0);
                List<String> v = row.values();
                return new MalformedRow(v.get(0), row.line(), Integer.parseInt(v.get(1)), v.get(2), v.get(3));
            }
        };
    }

    /** {@link #malformedRows()} as a list: all of them in memory, for an export known to be small. */
    public List<MalformedRow> malformed() {
        List<MalformedRow> all = new ArrayList<>();
        malformedRows().forEachRemaining(all::add);
        return all;
    }

    /** The conversation_ids of the sessions, in first-seen order of conversations.csv. */
    public List<String> conversationIds() {
        List<String> ids = new ArrayList<>();
        for (java.util.Iterator<Session> sessions = sessionRows(); sessions.hasNext(); ) {
            ids.add(sessions.next().id());
        }
        return ids;
    }

    /**
     * One conversation per chatbot session, in first-seen order.
     *
     * @param contactFor conversation_id → the contact to upsert when the session's person is not in Intercom yet
     *                   (typically {@code id -> export.contactPlan(id, config)})
     */
    public List<ThreadPlan> sessions(Function<String, ContactPlan> contactFor) {
        List<ThreadPlan> plans = new ArrayList<>();
        for (java.util.Iterator<Session> sessions = sessionRows(); sessions.hasNext(); ) {
            plans.add(session(sessions.next(), contactFor));
        }
        return plans;
    }

    /**
     * One conversation per chatbot session, in first-seen order, each built when it is asked for (the whole export is
     * never in memory).
     *
     * @param withContacts true: each carries its {@link #contactPlan} (to upsert when the person is not in Intercom
     *                     yet); false: no contact plan (a plan run only counts)
     */
    public java.util.Iterator<ThreadPlan> eachSession(boolean withContacts) {
        java.util.Iterator<SessionRead> sessions = eachSessionRead(withContacts);
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return sessions.hasNext();
            }

            @Override
            public ThreadPlan next() {
                return sessions.next().plan();
            }
        };
    }

    /**
     * One session's conversation and its rows as read (for the read-back, which compares Intercom with the rows, not
     * with the plan): {@code conversation_id}, {@code messages} (message_index, file order, timestamp in Unix seconds,
     * sender, message, contact_email, contact_phone, in file order), {@code intent}, {@code outcome}, {@code handed_over}, {@code started_at},
     * {@code agent_email}, {@code handover_at} (Unix seconds or null).
     */
    public record SessionRead(ThreadPlan plan, com.fasterxml.jackson.databind.JsonNode rows) {
    }

    /** As {@link #eachSession}, each conversation with its session's rows as read. */
    public java.util.Iterator<SessionRead> eachSessionRead(boolean withContacts) {
        java.util.Iterator<Session> sessions = sessionRows();
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return sessions.hasNext();
            }

            @Override
            public SessionRead next() {
                Session session = sessions.next();
                return new SessionRead(session(session, withContacts ? id -> contactPlan(id, session.ordered()) : id -> null),
                        rowsOf(session));
            }
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode rowsOf(Session session) {
        ObjectNode rows = JsonNodeFactory.instance.objectNode().put("conversation_id", session.id());
        com.fasterxml.jackson.databind.node.ArrayNode messages = rows.putArray("messages");
        session.ordered().stream().sorted(Comparator.comparingLong(Message::order)).forEach(m -> messages.addObject()
                .put("message_index", m.index()).put("order", m.order()).put("timestamp", m.at())
                .put("sender", m.sender().name().toLowerCase(Locale.ROOT)).put("message", m.text())
                .put("contact_email", m.email()).put("contact_phone", m.phone()));
        if (session.outcome() != null) {
            rows.put("intent", session.outcome().intent()).put("outcome", session.outcome().outcome())
                    .put("handed_over", session.outcome().handedOver());
        }
        if (session.timing() != null && session.timing().startedAt() != null) {
            rows.put("started_at", session.timing().startedAt());
        }
        if (session.agent() != null) {
            rows.put("agent_email", session.agent().email());
            if (session.agent().handoverAt() != null) {
                rows.put("handover_at", session.agent().handoverAt());
            }
        }
        return rows;
    }

    /** The sessions (ids with at least one message in conversations.csv), in first-seen order. */
    private java.util.Iterator<Session> sessionRows() {
        java.util.Iterator<GroupedRows.Group> groups = messages.groups();
        return new java.util.Iterator<>() {
            private Session next = advance();

            private Session advance() {
                while (groups.hasNext()) {
                    Session s = read(groups.next());
                    if (s != null) {
                        return s;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Session next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Session s = next;
                next = advance();
                return s;
            }
        };
    }

    private void addMalformed(MalformedRow bad) {
        malformed.add(null, bad.line(), List.of(bad.file(), String.valueOf(bad.column()), bad.reason(), bad.raw()));
    }

    /** Deletes the spilled messages and malformed rows. */
    @Override
    public void close() {
        try {
            messages.close();
        } finally {
            malformed.close();
        }
    }

    /**
     * The contact a session belongs to, built from its messages: keyed and identified by the first email (else
     * the first phone) its messages carry; role user with an email, else lead. With neither, the key is
     * {@code chatbot-<conversation_id>} and the role lead.
     *
     * @throws IllegalArgumentException when the conversation is not in the export
     */
    public ContactPlan contactPlan(String conversationId, MappingConfig.LeadDesk config) {
        return contactPlan(conversationId, ordered(conversationId));
    }

    private ContactPlan contactPlan(String conversationId, List<Message> ordered) {
        Identity identity = identity(conversationId, ordered);
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("role", identity.email() != null ? "user" : "lead");
        payload.put("external_id", "ld-chatbot-" + identity.sourceId());
        if (identity.email() != null) {
            payload.put("email", identity.email());
        }
        if (identity.phone() != null) {
            payload.put("phone", identity.phone());
        }
        return new ContactPlan(contactKey(identity), identity.email(), payload, Map.of(), List.of(), Set.of("external_id"));
    }

    private ThreadPlan session(Session session, Function<String, ContactPlan> contactFor) {
        String id = session.id();
        List<Message> ordered = session.ordered();
        Identity identity = identity(id, ordered);
        Outcome outcome = session.outcome();
        Timing timing = session.timing();
        Agent agent = session.agent();
        String agentEmail = agent == null || agent.email().isEmpty() ? null : agent.email();

        Message opening = ordered.stream().filter(m -> m.sender() == Sender.USER && !m.text().isBlank()).findFirst().orElse(null);
        long createdAt = timing != null && timing.startedAt() != null ? timing.startedAt() : ordered.get(0).at();
        String body = opening != null ? opening.text() : "Chatbot conversation " + id;

        List<ThreadPlan.PartPlan> parts = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Set<List<Object>> seen = new HashSet<>();
        List<LeftOffValue> leftOff = new ArrayList<>();
        if (opening != null) {
            seen.add(sameness(opening));
        }
        for (Message m : ordered) {
            if (m == opening) {
                continue;
            }
            String where = "conversation " + id + " message_index " + m.index();
            if (m.text().isBlank()) {
                leftOff.add(LeftOffValue.message(where, m.text(), "empty message (no text)"));
                continue;
            }
            String key = uniqueKey(keys, String.valueOf(m.index()));
            if (!seen.add(sameness(m))) {
                // one message exported twice; its key stays taken so later repeats of the index keep theirs
                leftOff.add(LeftOffValue.message(where, m.text(), "the same message as an earlier row (exported twice)"));
                continue;
            }
            parts.add(switch (m.sender()) {
                case USER -> new ThreadPlan.PartPlan(key, ThreadPlan.Author.CONTACT, null, null, false, m.text(), m.at(), List.of());
                case BOT -> new ThreadPlan.PartPlan(key, ThreadPlan.Author.ADMIN, null, BOT_NAME, true, "[Bot] " + m.text(),
                        m.at(), List.of());
                case AGENT -> new ThreadPlan.PartPlan(key, ThreadPlan.Author.ADMIN, agentEmail, agentEmail, false, m.text(),
                        m.at(), List.of());
            });
        }
        if (outcome != null && outcome.handedOver()) {
            addHandover(parts, keys, agent, agentEmail, ordered, createdAt);
        }

        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        List<String> tags = new ArrayList<>();
        if (outcome != null) {
            putString(attributes, types, "ld_intent", outcome.intent());
            putString(attributes, types, "ld_chatbot_outcome", outcome.outcome());
            if (!outcome.outcome().isEmpty()) {
                tags.add("ld_chatbot_" + Values.slug(outcome.outcome()));
            }
        }
        ThreadPlan.ContactRef contact = new ThreadPlan.ContactRef(contactKey(identity), contactFor.apply(id));
        return new ThreadPlan(new RecordKey(ContactToContact.SYSTEM, "conversation", "chatbot-" + id),
                ThreadPlan.Kind.CONVERSATION, contact, createdAt, body, List.of(), null, null, Map.of(), attributes, types,
                agentEmail, null, parts, tags, leftOff).withState(ThreadPlan.CLOSED);
    }

    /** The handover note, placed in time order: at handover_at, else at the first agent message, else at the end. */
    private static void addHandover(List<ThreadPlan.PartPlan> parts, Set<String> keys, Agent agent, String agentEmail,
                                    List<Message> ordered, long createdAt) {
        Long at = agent == null ? null : agent.handoverAt();
        if (at == null) {
            at = ordered.stream().filter(m -> m.sender() == Sender.AGENT).map(Message::at).findFirst()
                    .orElse(parts.isEmpty() ? createdAt : parts.get(parts.size() - 1).createdAt());
        }
        String text = "Handed over to " + (agentEmail == null ? "an agent" : agentEmail)
                + (agent == null || agent.handoverText().isEmpty() ? "" : " at " + agent.handoverText());
        int position = parts.size();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).createdAt() > at) {
                position = i;
                break;
            }
        }
        parts.add(position, new ThreadPlan.PartPlan(uniqueKey(keys, "handover"), ThreadPlan.Author.ADMIN, null, BOT_NAME,
                true, text, at, List.of()));
    }

    /** The messages of one session (read through the whole export: for a single look-up, not per session). */
    private List<Message> ordered(String conversationId) {
        for (java.util.Iterator<Session> sessions = sessionRows(); sessions.hasNext(); ) {
            Session session = sessions.next();
            if (session.id().equals(conversationId)) {
                return session.ordered();
            }
        }
        throw new IllegalArgumentException(displayName + ": no chatbot conversation " + conversationId);
    }

    /** The session of one id's rows, or null when conversations.csv has no message of it. */
    private static Session read(GroupedRows.Group group) {
        List<Message> ordered = new ArrayList<>(group.rows().size());
        Outcome outcome = null;
        Timing timing = null;
        Agent agent = null;
        for (GroupedRows.Row row : group.rows()) {
            List<String> v = row.values();
            switch (v.get(0)) {
                case "M" -> ordered.add(new Message(Long.parseLong(v.get(1)), Long.parseLong(v.get(2)), Long.parseLong(v.get(3)),
                        Sender.valueOf(v.get(4)), v.get(5), v.get(6), v.get(7)));
                case "O" -> outcome = outcome != null ? outcome : new Outcome(v.get(1), v.get(2), Boolean.parseBoolean(v.get(3)));
                case "T" -> timing = timing != null ? timing : new Timing(v.get(1).isEmpty() ? null : Long.valueOf(v.get(1)));
                default -> agent = agent != null ? agent
                        : new Agent(v.get(1), v.get(2).isEmpty() ? null : Long.valueOf(v.get(2)), v.get(3));
            }
        }
        if (ordered.isEmpty()) {
            return null;
        }
        ordered.sort(Comparator.comparingLong(Message::index).thenComparingLong(Message::order));
        return new Session(group.key(), ordered, outcome, timing, agent);
    }

    private static Identity identity(String conversationId, List<Message> ordered) {
        String email = ordered.stream().map(Message::email).filter(e -> !e.isEmpty()).findFirst().orElse(null);
        String phone = ordered.stream().map(Message::phone).filter(p -> !p.isEmpty()).findFirst().orElse(null);
        String sourceId = email != null ? email : phone != null ? phone : "chatbot-" + conversationId;
        return new Identity(sourceId, email, phone);
    }

    private static RecordKey contactKey(Identity identity) {
        return new RecordKey(ContactToContact.SYSTEM, "chatbot-contact", identity.sourceId());
    }

    /** A message_index with its content (sender, timestamp, text): equal for the rows of one message exported twice. */
    private static List<Object> sameness(Message m) {
        return List.of(m.index(), m.sender(), m.at(), m.text());
    }

    private static String uniqueKey(Set<String> keys, String key) {
        String candidate = key;
        for (int n = 2; !keys.add(candidate); n++) {
            candidate = key + "#" + n;
        }
        return candidate;
    }

    private static void putString(Map<String, Object> attributes, Map<String, String> types, String name, String value) {
        if (!value.isEmpty()) {
            attributes.put(name, value);
            types.put(name, "string");
        }
    }

    // ---- loading ----

    private static Map<String, Path> locate(Path folder, String displayName) {
        Map<String, List<Path>> found = new LinkedHashMap<>();
        FILES.forEach(name -> found.put(name, new ArrayList<>()));
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).filter(p -> !ignored(folder.relativize(p))).sorted().forEach(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                for (String base : FILES) {
                    if (matches(name, base)) {
                        found.get(base).add(p);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(displayName + ": cannot read the unpacked export: " + e.getMessage(), e);
        }
        List<String> missing = FILES.stream().filter(name -> found.get(name).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new InputRefusedException(displayName + ": refused, the chatbot export must hold conversations.csv,"
                    + " outcomes.csv, timing.csv and agent.csv; missing: " + missing);
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : FILES) {
            List<Path> paths = found.get(name);
            if (paths.size() > 1) {
                throw new InputRefusedException(displayName + ": refused, the chatbot export holds more than one " + name
                        + ": " + paths.stream().map(p -> folder.relativize(p).toString().replace('\\', '/')).toList());
            }
            files.put(name, paths.get(0));
        }
        return files;
    }

    private static boolean ignored(Path relative) {
        for (Path segment : relative) {
            String s = segment.toString();
            if (s.startsWith(".") || s.equalsIgnoreCase("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    /** "agent.csv", and prefixed names such as "acme_agent.csv" (the prefix ends in _ - . or a space). */
    static boolean matches(String lowerName, String base) {
        if (lowerName.equals(base)) {
            return true;
        }
        if (!lowerName.endsWith(base) || lowerName.length() == base.length()) {
            return false;
        }
        char c = lowerName.charAt(lowerName.length() - base.length() - 1);
        return c == '_' || c == '-' || c == '.' || c == ' ';
    }

    private void load(String name, Path file, String rowFile) {
        try (CsvSource source = CsvSource.open(file, rowFile, csv.forFile(name))) {
            source.requireColumns(REQUIRED_COLUMNS.get(name));
            long order = 0;
            while (source.hasNext()) {
                Object item = source.next();
                if (item instanceof MalformedRow bad) {
                    addMalformed(bad);
                    continue;
                }
                SourceRow row = (SourceRow) item;
                try {
                    String id = required(row, "conversation_id");
                    switch (name) {
                        case "conversations.csv" -> {
                            Message m = message(row, order++);
                            messages.add(id, row.line(), List.of("M", String.valueOf(m.index()), String.valueOf(m.order()),
                                    String.valueOf(m.at()), m.sender().name(), m.text(), m.email(), m.phone()));
                        }
                        case "outcomes.csv" -> {
                            boolean handedOver = handedOver(row);
                            messages.add(id, row.line(), List.of("O", row.get("intent").trim(), row.get("outcome").trim(),
                                    String.valueOf(handedOver)));
                        }
                        case "timing.csv" -> {
                            Timing t = timing(row);
                            messages.add(id, row.line(), List.of("T", t.startedAt() == null ? "" : String.valueOf(t.startedAt())));
                        }
                        default -> {
                            Agent a = agent(row);
                            messages.add(id, row.line(), List.of("A", a.email(), a.handoverAt() == null ? "" : String.valueOf(a.handoverAt()),
                                    a.handoverText()));
                        }
                    }
                } catch (BadValue e) {
                    int column = source.headers().indexOf(e.column) + 1;
                    addMalformed(new MalformedRow(row.file(), row.line(), column, e.getMessage(),
                            String.join(String.valueOf(source.delimiter()), row.fields().values())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(rowFile + ": cannot close: " + e.getMessage(), e);
        }
    }

    private Message message(SourceRow row, long order) {
        String rawIndex = required(row, "message_index");
        long index;
        try {
            index = Long.parseLong(rawIndex);
        } catch (NumberFormatException e) {
            throw new BadValue("message_index", "message_index '" + rawIndex + "' is not a whole number");
        }
        Sender sender = switch (row.get("sender").trim().toLowerCase(Locale.ROOT)) {
            case "user" -> Sender.USER;
            case "bot" -> Sender.BOT;
            case "agent" -> Sender.AGENT;
            default -> throw new BadValue("sender", "sender '" + row.get("sender").trim() + "' is not user, bot or agent");
        };
        String email = Values.normaliseEmail(row.get("contact_email"));
        if (!email.isEmpty() && !Values.validEmail(email)) {
            email = ""; // the message is kept; an invalid address cannot identify the contact
        }
        return new Message(index, order, time(row, "timestamp", true), sender, row.get("message").strip(), email,
                row.get("contact_phone").trim());
    }

    private Timing timing(SourceRow row) {
        Long start = time(row, "export_range_start", false);
        Long end = time(row, "export_range_end", false);
        Timing timing = new Timing(time(row, "started_at", false));
        if (start != null) {
            rangeStart = rangeStart == null ? start : Math.min(rangeStart, start);
        }
        if (end != null) {
            rangeEnd = rangeEnd == null ? end : Math.max(rangeEnd, end);
        }
        return timing;
    }

    private Agent agent(SourceRow row) {
        return new Agent(Values.normaliseEmail(row.get("agent_email")), time(row, "handover_at", false),
                row.get("handover_at").trim());
    }

    private static boolean handedOver(SourceRow row) {
        String v = row.get("handed_over").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1", "y", "kyllä", "x" -> true;
            case "false", "no", "0", "n", "ei", "" -> false;
            default -> throw new BadValue("handed_over", "handed_over '" + row.get("handed_over").trim() + "' is not true or false");
        };
    }

    private Long time(SourceRow row, String column, boolean required) {
        String raw = row.get(column).trim();
        if (raw.isEmpty()) {
            if (required) {
                throw new BadValue(column, column + " is empty");
            }
            return null;
        }
        try {
            return timestamps.toEpochSeconds(raw);
        } catch (IllegalArgumentException e) {
            throw new BadValue(column, e.getMessage());
        }
    }

    private static String required(SourceRow row, String column) {
        String v = row.get(column).trim();
        if (v.isEmpty()) {
            throw new BadValue(column, column + " is empty");
        }
        return v;
    }
}
