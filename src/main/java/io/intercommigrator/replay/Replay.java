package io.intercommigrator.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.intake.DropClassifier;
import io.intercommigrator.intake.DropKind;
import io.intercommigrator.intake.Intake;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;

/**
 * Re-delivers dead letters after a fix (a corrected config, a missing contact now migrated, Intercom back up):
 * each line is rebuilt into its work item and sent through its record route again — same mapping, same ledger,
 * same error handling — so a record that fails again gets a new dead letter in this run's folder. Every line
 * handled is marked in the ledger (replayed, or superseded by the new letter), so replaying twice never delivers
 * twice. A social thread's or a chatbot session's letter holds only its id: it is rebuilt from the handled file in
 * {@code inbox/.done/<run-id>/} (the SHA check would skip a re-drop of it). A campaign tag letter of a LeadDesk contact or lead is replayed as that row: the contact comes out
 * unchanged and its tag goes out again (in a bulk call of its own). Records that cannot be rebuilt (unparseable rows,
 * a grouped record whose file is gone or sits inside a bundle) stay pending with the reason: their corrected file is to
 * be dropped again.
 */
public final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private static final String HANDLED = "replayed-dead-letter";
    private static final Map<DropKind, String> RECORD_ROUTES = Map.ofEntries(
            Map.entry(DropKind.CLICKDESK_VISITORS, "direct:clickdesk-visitor"),
            Map.entry(DropKind.CLICKDESK_CHATS, "direct:clickdesk-chat"),
            Map.entry(DropKind.CLICKDESK_TICKETS, "direct:clickdesk-ticket"),
            Map.entry(DropKind.CLICKDESK_TICKET_MESSAGES, "direct:clickdesk-ticket-message"),
            Map.entry(DropKind.CLICKDESK_OFFLINE_MESSAGES, "direct:clickdesk-offline-message"),
            Map.entry(DropKind.CLICKDESK_VOIP_CALLS, "direct:clickdesk-voip-call"),
            Map.entry(DropKind.CLICKDESK_TAGS, "direct:clickdesk-tag"),
            Map.entry(DropKind.LEADDESK_CONTACTS, "direct:leaddesk-contact"),
            Map.entry(DropKind.LEADDESK_LEADS, "direct:leaddesk-lead"),
            Map.entry(DropKind.LEADDESK_CALL_RECORDS, "direct:leaddesk-call-record"));
    /** Per-file preparation a record route relies on (bean, method), run once per kind in a replay. */
    private static final Map<DropKind, String[]> PREPARE = Map.of(
            DropKind.LEADDESK_CONTACTS, new String[] {"leaddeskContacts", "prepare"},
            DropKind.LEADDESK_LEADS, new String[] {"leaddeskSources", "prepareLeads"},
            DropKind.LEADDESK_CALL_RECORDS, new String[] {"leaddeskSources", "prepareCalls"});
    /** The step a file route runs after its records (bean, method), run after each replayed record of that kind. */
    private static final Map<DropKind, String[]> FINISH = Map.of(
            DropKind.LEADDESK_CONTACTS, new String[] {"contactTagBatches", "flush"},
            DropKind.LEADDESK_LEADS, new String[] {"contactTagBatches", "flush"});
    /** Kinds whose tags are derived from the contact row: a tag letter is replayed as its row (the contact unchanged). */
    private static final java.util.Set<DropKind> CONTACT_ROWS = java.util.Set.of(DropKind.LEADDESK_CONTACTS,
            DropKind.LEADDESK_LEADS);

    /** What a replay did. */
    public record Outcome(int replayed, int failedAgain, int alreadyHandled, List<String> pending) {
    }

    private final ProducerTemplate template;
    private final Ledger ledger;
    private final RunAccounting accounting;
    private final Path deadLetterRoot;
    private final String runId;
    private final Path inbox;
    private final ObjectMapper json = new ObjectMapper();

    public Replay(ProducerTemplate template, Ledger ledger, RunAccounting accounting, Path deadLetterRoot, String runId) {
        this(template, ledger, accounting, deadLetterRoot, runId, null);
    }

    /**
     * @param inbox where handled files wait in {@code .done/<run-id>/}: a social thread's or a chatbot session's letter
     *              is rebuilt from its file there (null: such letters stay pending)
     */
    public Replay(ProducerTemplate template, Ledger ledger, RunAccounting accounting, Path deadLetterRoot, String runId,
                  Path inbox) {
        this.template = template;
        this.ledger = ledger;
        this.accounting = accounting;
        this.deadLetterRoot = deadLetterRoot;
        this.runId = runId;
        this.inbox = inbox;
    }

    private boolean gdprGuard;

    /**
     * The GDPR guard applies (a live replay into a US workspace, not acknowledged): a letter whose record is, or brings
     * along, an EU/EEA resident is not replayed and stays pending with the guard's reason.
     */
    public Replay guardingGdpr(boolean applies) {
        this.gdprGuard = applies;
        return this;
    }

    /** Every dead-letter file of earlier runs. */
    public List<Path> allFiles() {
        return allFiles(false);
    }

    /** Every dead-letter file, this run's too when {@code thisRun} (a service retrying its earlier drops' letters). */
    public List<Path> allFiles(boolean thisRun) {
        if (!Files.isDirectory(deadLetterRoot)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(deadLetterRoot)) {
            return files.filter(p -> p.toString().endsWith(".jsonl"))
                    .filter(p -> thisRun || !p.getParent().getFileName().toString().equals(runId)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replays the lines of these files; {@code onlyStage} limits it to one error stage (e.g. "reference"), null = all. */
    public Outcome replay(List<Path> files, String onlyStage) {
        int replayed = 0;
        int failedAgain = 0;
        int handled = 0;
        List<String> pending = new ArrayList<>();
        java.util.Set<DropKind> prepared = new java.util.HashSet<>();
        for (Path file : files) {
            String objectType = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
            for (String line : lines(file)) {
                String key = sha256(line);
                if (ledger.identity(HANDLED, key).isPresent()) {
                    handled++;
                    continue;
                }
                JsonNode letter = read(line);
                if (onlyStage != null && !onlyStage.equals(letter.path("error").path("stage").asText())) {
                    continue;
                }
                Optional<String> eea = gdprGuard ? io.intercommigrator.intake.GdprGuard.eeaCountryOf(letter.path("source_record"))
                        : Optional.empty();
                if (eea.isPresent()) {
                    pending.add(letter.path("source_file").asText() + " line " + letter.path("line").asText() + ": "
                            + io.intercommigrator.intake.GdprGuard.refusal("its contact looks EU/EEA-resident (country "
                            + eea.get() + ")") + " Not replayed.");
                    continue;
                }
                Optional<String> why = notReplayable(letter);
                DropKind kind = kindOf(letter);
                String grouped = why.isEmpty() ? groupedRoute(letter) : null;
                if (grouped != null) {
                    Optional<WorkItem> rebuilt = Optional.empty();
                    Path handledFile = handledFile(groupedFile(letter));
                    if (handledFile == null) {
                        why = Optional.of("its file is not in inbox/.done/ any more (or sits inside a bundle): drop the file "
                                + "again");
                    } else {
                        rebuilt = rebuild(letter, handledFile);
                        if (rebuilt.isEmpty()) {
                            why = Optional.of(handledFile + " no longer holds it: drop the corrected file again");
                        }
                    }
                    if (rebuilt.isPresent()) {
                        if (deliver(grouped, null, rebuilt.get(), prepared)) {
                            failedAgain++;
                        } else {
                            replayed++;
                        }
                        ledger.rememberIdentity(HANDLED, key, runId);
                        continue;
                    }
                }
                if (why.isEmpty() && (kind == null || !RECORD_ROUTES.containsKey(kind))) {
                    why = Optional.of("records of " + letter.path("source_file").asText() + " are replayed by dropping the file again");
                }
                if (why.isPresent()) {
                    pending.add(letter.path("source_file").asText() + " line " + letter.path("line").asText() + ": " + why.get());
                    continue;
                }
                String recordType = CONTACT_ROWS.contains(kind) && objectType.equals("tag") ? "contact" : objectType;
                WorkItem item = new WorkItem(letter.path("system").asText(), recordType, letter.path("source_file").asText(),
                        letter.path("line").asLong(), sourceRecord(kind, letter.path("source_record")), null);
                boolean failed = deliver(RECORD_ROUTES.get(kind), kind, item, prepared);
                ledger.rememberIdentity(HANDLED, key, runId); // replayed, or superseded by this run's new letter
                if (failed) {
                    failedAgain++;
                } else {
                    replayed++;
                }
            }
        }
        LOG.info("Replay: {} delivered, {} failed again (new dead letters in run {}), {} already handled, {} pending",
                replayed, failedAgain, runId, handled, pending.size());
        return new Outcome(replayed, failedAgain, handled, pending);
    }

    /** Sends one rebuilt record through its record route; true when it failed again (a new dead letter). */
    private boolean deliver(String route, DropKind kind, WorkItem item, java.util.Set<DropKind> prepared) {
        long deadBefore = accounting.total("dead_lettered");
        accounting.source(item.objectType());
        Exchange exchange = template.send(route, e -> {
            if (kind != null) {
                e.setProperty(Intake.KIND, kind);
                if (PREPARE.containsKey(kind)) {
                    invoke(e, PREPARE.get(kind));
                }
                prepared.add(kind);
            }
            e.setProperty(Intake.NAME, item.file());
            e.getMessage().setBody(item);
        });
        if (exchange.getException() != null) {
            throw new IllegalStateException(exchange.getException()); // a stopped run: the letter stays pending
        }
        if (kind != null && FINISH.containsKey(kind)) {
            invoke(exchange, FINISH.get(kind)); // e.g. the contact's tags, sent in bulk by the file route otherwise
        }
        return accounting.total("dead_lettered") > deadBefore;
    }

    /** The record route of a letter whose record is a group of rows (a social thread, a chatbot session), or null. */
    private static String groupedRoute(JsonNode letter) {
        String file = letter.path("source_file").asText();
        if (letter.path("source_record").has("thread_id") && file.endsWith("social_messages.csv")) {
            return "direct:clickdesk-social-thread";
        }
        if (letter.path("source_record").has("conversation_id") && file.endsWith(".zip!conversations.csv")) {
            return "direct:leaddesk-chatbot-session";
        }
        return null;
    }

    /** The inbox name of the file a grouped record came from (a chatbot session: its export ZIP). */
    private static String groupedFile(JsonNode letter) {
        String file = letter.path("source_file").asText();
        return file.endsWith("!conversations.csv") ? file.substring(0, file.length() - "!conversations.csv".length()) : file;
    }

    /** The newest handled copy of an inbox file ({@code .done/<run-id>/<name>}); null when none (or inside a bundle). */
    private Path handledFile(String name) {
        Path done = inbox == null ? null : inbox.resolve(".done");
        if (done == null || name.contains("!") || !Files.isDirectory(done)) {
            return null;
        }
        try (Stream<Path> runs = Files.list(done)) {
            return runs.sorted(java.util.Comparator.reverseOrder()).map(r -> r.resolve(name)).filter(Files::isRegularFile)
                    .findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<WorkItem> rebuild(JsonNode letter, Path handledFile) {
        var registry = template.getCamelContext().getRegistry();
        if (letter.path("source_record").has("thread_id")) {
            return registry.lookupByNameAndType("clickdeskThreads", io.intercommigrator.clickdesk.ClickDeskThreads.class)
                    .socialThreadOf(handledFile, letter.path("source_file").asText(), letter.path("source_record").path("thread_id").asText());
        }
        return registry.lookupByNameAndType("leaddeskSources", io.intercommigrator.leaddesk.LeadDeskSources.class)
                .chatbotSessionOf(handledFile, groupedFile(letter), letter.path("source_record").path("conversation_id").asText());
    }

    /** Calls a route bean's step (bean, method) taking the exchange, or nothing. */
    private static void invoke(Exchange exchange, String[] bean) {
        Object target = exchange.getContext().getRegistry().lookupByName(bean[0]);
        try {
            try {
                target.getClass().getMethod(bean[1], Exchange.class).invoke(target, exchange);
            } catch (NoSuchMethodException noExchange) {
                target.getClass().getMethod(bean[1]).invoke(target);
            }
        } catch (java.lang.reflect.InvocationTargetException ex) {
            if (ex.getCause() instanceof RuntimeException r) {
                throw r; // a stopped run, as from the route itself
            }
            throw new IllegalStateException(ex.getCause());
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Optional<String> notReplayable(JsonNode letter) {
        if ("parse".equals(letter.path("error").path("stage").asText()) || letter.path("source_record").has("raw")) {
            return Optional.of("the row could not be read; correct the file and drop it again");
        }
        return Optional.empty();
    }

    private static DropKind kindOf(JsonNode letter) {
        String file = letter.path("source_file").asText();
        String entry = file.contains("!") ? file.substring(file.lastIndexOf('!') + 1) : file;
        return DropClassifier.classify(entry, null, letter.path("system").asText(null)).orElse(null);
    }

    private Object sourceRecord(DropKind kind, JsonNode record) {
        if (kind == DropKind.CLICKDESK_CHATS) {
            return record;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        record.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().asText()));
        return fields;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        return io.intercommigrator.ledger.ContentHash.of(text);
    }
}
