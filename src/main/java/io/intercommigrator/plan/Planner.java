package io.intercommigrator.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.intercommigrator.clickdesk.ChatToConversation;
import io.intercommigrator.clickdesk.ClickDeskThreads;
import io.intercommigrator.clickdesk.SocialThreadToConversation;
import io.intercommigrator.clickdesk.VisitorToContact;
import io.intercommigrator.intake.CsvOptions;
import io.intercommigrator.intake.CsvSource;
import io.intercommigrator.intake.DefinitionFiles;
import io.intercommigrator.intake.DropClassifier;
import io.intercommigrator.intake.DropKind;
import io.intercommigrator.intake.InputRefusedException;
import io.intercommigrator.intake.JsonRecord;
import io.intercommigrator.intake.JsonRecordStream;
import io.intercommigrator.intake.MalformedRow;
import io.intercommigrator.intake.RecordReaders;
import io.intercommigrator.intake.SourceRow;
import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.intake.UnpackedEntry;
import io.intercommigrator.intake.ZipLimits;
import io.intercommigrator.intake.ZipUnpacker;
import io.intercommigrator.leaddesk.CallRecordToConversation;
import io.intercommigrator.leaddesk.ChatbotExport;
import io.intercommigrator.leaddesk.ContactToContact;
import io.intercommigrator.leaddesk.CustomFieldMap;
import io.intercommigrator.leaddesk.LeadToContact;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.Skip;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;
import io.intercommigrator.core.RunAccounting;

/**
 * The {@code plan} command: reads {@code inbox/} without moving, changing or sending anything and tells, per object
 * type, how many records there are, which will be skipped or are invalid and why, how many API calls the run needs
 * and how long that takes at the configured quota; and proposes a field map for the columns mapping.yaml does not
 * know yet. Bundles and chatbot exports are unpacked under {@code work/plan-<random>/} with the usual ZIP guards and
 * that folder is deleted afterwards. Records go through the same readers and pure mappers as a run, so a record
 * the run would reject is counted invalid here.
 *
 * <p>API call model (an estimate, not a count of what a run will send):
 * <ul>
 *   <li>contact: 1 (upsert POST) + 1 per visitor tag; LeadDesk campaign tags: 1 bulk call per tag and file for every
 *       {@code tagBatchSize} contacts carrying it;</li>
 *   <li>conversation (chat, social thread, call record, chatbot session): 1 (create) + 1 per part + 1 (attributes PUT);</li>
 *   <li>ticket (tickets.csv, offline_messages.csv): 1 (create) + 1 per ticket_messages.csv row (the reply);</li>
 *   <li>tags.csv row: 1; VoIP call note: 1;</li>
 *   <li>attachments: 1 note per 10 files of an opening message, and per 10 files of a part beyond the 10 it carries;</li>
 *   <li>plus {@value #PROVISIONING_CALLS} calls of provisioning (attributes, ticket types, admins, teams, tags).</li>
 * </ul>
 * Skipped and invalid records cost nothing. Duration = calls / rate-per-minute minutes.
 */
public final class Planner {
    static final int PROVISIONING_CALLS = 20;
    static final int PROFILE_ROWS = 10_000;
    static final int MAX_ROW_PROBLEMS_PER_FILE = 10;

    /** The columns export-formats.md documents for the contact files; anything else is a candidate custom attribute. */
    static final Map<DropKind, List<String>> DOCUMENTED_COLUMNS = Map.of(
            DropKind.CLICKDESK_VISITORS, List.of("visitor_id", "name", "email", "phone", "tags", "social_source", "city",
                    "country", "country_code", "browser", "os", "first_seen", "last_seen"),
            DropKind.LEADDESK_CONTACTS, List.of("contact_id", "fname", "lname", "phone", "email", "www", "address",
                    "postcode", "city", "country", "company", "title", "comment", "list", "campaign_id"),
            DropKind.LEADDESK_LEADS, List.of("lead_id", "fname", "lname", "phone", "email", "status", "outcome",
                    "campaign_id", "office", "sponsor", "company_id", "created_at"));

    /** Attributes the mappers set themselves; a proposal never takes one of these names. */
    private static final Set<String> BUILT_IN_ATTRIBUTES = Set.of("cd_original_visitor_id", "social_source",
            "ld_contact_id", "ld_lead_id", "ld_lead_status", "ld_outcome", "ld_office", "ld_sponsor");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path inbox;
    private final Path workDir;
    private final Path mappingFile;
    private final MappingConfig mapping;
    private final io.intercommigrator.clickdesk.TicketRouting ticketRouting;
    private final Timestamps clickdeskTime;
    private final Timestamps leaddeskTime;
    private final int ratePerMinute;
    private final int tagBatchSize;
    private final ZipUnpacker unpacker;
    private final Map<DropKind, RecordReaders.Spec> recordSpecs = ExportFiles.recordSpecs();
    private final Map<DropKind, DefinitionFiles.Spec> definitionSpecs = ExportFiles.definitionSpecs();

    // state of one plan() call
    private Map<String, long[]> counts;
    private List<String> problems;
    private long calls;
    private Map<String, Map<String, ColumnProfile>> profiles;
    /** system → kind → id → entry: the definitions the export's definition files give (kept in the proposed map) */
    private Map<String, Map<String, Map<String, JsonNode>>> definitions;
    private Path scratch;
    private int scratchSeq;
    private final io.intercommigrator.intake.CsvReading csv;
    private List<String> attachmentUrls;
    private List<Path> bundleFolders;

    public Planner(Path inbox, Path workDir, Path mappingFile, MappingConfig mapping, ZoneId clickdeskZone,
                   ZoneId leaddeskZone, int ratePerMinute, int tagBatchSize, ZipLimits limits) {
        this(inbox, workDir, mappingFile, mapping, clickdeskZone, leaddeskZone, ratePerMinute, tagBatchSize, limits,
                CsvOptions.defaults());
    }

    /** @param csv how the run reads CSV files (intake.fallback-charset, intake.max-record-*): the plan reads them the same */
    public Planner(Path inbox, Path workDir, Path mappingFile, MappingConfig mapping, ZoneId clickdeskZone,
                   ZoneId leaddeskZone, int ratePerMinute, int tagBatchSize, ZipLimits limits, CsvOptions csv) {
        if (ratePerMinute < 1 || tagBatchSize < 1) {
            throw new IllegalArgumentException("ratePerMinute and tagBatchSize must be positive: " + ratePerMinute + ", "
                    + tagBatchSize);
        }
        this.inbox = inbox;
        this.workDir = workDir;
        this.mappingFile = mappingFile;
        this.mapping = mapping;
        this.ticketRouting = io.intercommigrator.clickdesk.TicketRouting.of(mapping.clickdesk());
        this.clickdeskTime = new Timestamps(clickdeskZone);
        this.leaddeskTime = new Timestamps(leaddeskZone);
        this.ratePerMinute = ratePerMinute;
        this.tagBatchSize = tagBatchSize;
        this.unpacker = new ZipUnpacker(limits);
        this.csv = new io.intercommigrator.intake.CsvReading(csv, mapping);
    }

    public synchronized PlanResult plan() {
        counts = new LinkedHashMap<>();
        RunAccounting.OBJECT_TYPES.forEach(type -> counts.put(type, new long[3]));
        problems = new ArrayList<>();
        calls = PROVISIONING_CALLS;
        profiles = new TreeMap<>();
        definitions = new TreeMap<>();
        scratch = null;
        scratchSeq = 0;
        attachmentUrls = new ArrayList<>();
        bundleFolders = new ArrayList<>();
        PlanResult.Attachments attachments;
        try {
            for (Path file : inboxFiles()) {
                String name = inbox.relativize(file).toString().replace('\\', '/');
                Optional<DropKind> kind = DropClassifier.classify(name, file, null);
                if (kind.isEmpty()) {
                    problems.add(name + ": not a known export name");
                } else {
                    handle(kind.get(), file, name);
                }
            }
            attachments = attachments();
        } finally {
            deleteScratch();
        }
        Map<String, PlanResult.ObjectPlan> objects = new LinkedHashMap<>();
        Map<String, PlanResult.ObjectPlan> others = new TreeMap<>();
        counts.forEach((type, c) -> (RunAccounting.OBJECT_TYPES.contains(type) ? objects : others)
                .put(type, new PlanResult.ObjectPlan(c[0], c[1], c[2])));
        objects.putAll(others);
        return new PlanResult(objects, problems, calls, duration(calls), proposal(), attachments);
    }

    /** Writes {@code mapping.proposed.yaml} next to the mapping file (replacing an older proposal) and returns its path. */
    public Path writeProposal(PlanResult result) {
        Path target = mappingFile.toAbsolutePath().resolveSibling("mapping.proposed.yaml");
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".mapping.proposed", ".tmp");
            Files.writeString(tmp, result.proposedYaml(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The text the command prints: one row per object type, the problems, then the call estimate. */
    public static String render(PlanResult result) {
        StringBuilder out = new StringBuilder();
        out.append("Plan (read only: nothing was moved or sent)\n\n");
        out.append(String.format(Locale.ROOT, "%-20s %10s %10s %10s%n", "object", "records", "skipped", "invalid"));
        result.objects().forEach((type, o) -> out.append(String.format(Locale.ROOT, "%-20s %10d %10d %10d%n",
                type, o.records(), o.skipped(), o.invalid())));
        out.append('\n');
        if (result.problems().isEmpty()) {
            out.append("Problems: none\n");
        } else {
            out.append("Problems (").append(result.problems().size()).append("):\n");
            result.problems().forEach(p -> out.append("  - ").append(p).append('\n'));
        }
        long rate = result.apiCalls() == 0 || result.estimatedDuration().isZero() ? 0
                : Math.round(result.apiCalls() * 60_000.0 / result.estimatedDuration().toMillis());
        PlanResult.Attachments a = result.attachments();
        if (a.total() > 0) {
            out.append('\n').append(String.format(Locale.ROOT, "Attachments: %d (%d shipped, %d bytes; %d to download during the "
                    + "run; %d cannot be copied and keep their URL)%n", a.total(), a.shipped(), a.shippedBytes(), a.toDownload(),
                    a.notCopyable()));
        }
        out.append('\n').append("API calls: ").append(result.apiCalls()).append(" (≈ ")
                .append(human(result.estimatedDuration())).append(rate > 0 ? " at " + rate + "/min" : "").append(")\n");
        return out.toString();
    }

    // ---- walking ----

    private List<Path> inboxFiles() {
        if (!Files.isDirectory(inbox)) {
            problems.add(inbox + ": inbox folder not found");
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(inbox)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(inbox.relativize(p)))
                    .filter(p -> !io.intercommigrator.attachments.ShippedAttachments.isShippedFile(
                            inbox.relativize(p).toString().replace('\\', '/')))
                    .sorted(Comparator.comparing(p -> inbox.relativize(p).toString().replace('\\', '/')))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + inbox + ": " + e.getMessage(), e);
        }
    }

    /** The inbox's own bookkeeping (.done, .failed, …), dot-files, error notes and macOS metadata are not drops. */
    private static boolean hidden(Path relative) {
        for (Path segment : relative) {
            String s = segment.toString();
            if (s.startsWith(".") || s.startsWith("__MACOSX")) {
                return true;
            }
        }
        return relative.getFileName().toString().endsWith(".error.txt");
    }

    private void handle(DropKind kind, Path file, String name) {
        try {
            switch (kind) {
                case BUNDLE -> bundle(file, name);
                case CLICKDESK_VISITORS, LEADDESK_CONTACTS, LEADDESK_LEADS -> contacts(kind, file, name);
                case CLICKDESK_CHATS -> chats(file, name);
                case CLICKDESK_SOCIAL_MESSAGES -> socialThreads(file, name);
                case CLICKDESK_TICKETS, CLICKDESK_OFFLINE_MESSAGES, CLICKDESK_TICKET_MESSAGES, CLICKDESK_VOIP_CALLS,
                     CLICKDESK_TAGS -> oneCallPerRow(kind, file, name);
                case LEADDESK_CALL_RECORDS -> callRecords(file, name);
                case LEADDESK_CHATBOT_EXPORT -> chatbot(file, name);
                default -> definitionFile(kind, file, name);
            }
        } catch (InputRefusedException | UncheckedIOException e) {
            problems.add(e.getMessage());
        }
    }

    private void bundle(Path zip, String name) {
        String bundleSystem = DropClassifier.systemFromFolders(name);
        Path folder = newScratchFolder();
        bundleFolders.add(folder);
        List<UnpackedEntry> entries = new ArrayList<>(unpacker.unpack(zip, folder, name));
        entries.removeIf(e -> io.intercommigrator.attachments.ShippedAttachments.isShippedFile(e.entryName()));
        entries.sort(Comparator.comparing(UnpackedEntry::entryName));
        for (UnpackedEntry e : entries) {
            String display = name + "!" + e.entryName();
            Optional<DropKind> kind = DropClassifier.classify(e.entryName(), e.file(), bundleSystem);
            if (kind.isEmpty() || kind.get() == DropKind.BUNDLE) {
                problems.add(display + ": not a known export name");
            } else {
                handle(kind.get(), e.file(), display);
            }
        }
    }

    // ---- contacts and the proposal's evidence ----

    private void contacts(DropKind kind, Path file, String name) {
        RecordReaders.Spec spec = recordSpecs.get(kind);
        boolean clickdesk = kind == DropKind.CLICKDESK_VISITORS;
        Timestamps time = clickdesk ? clickdeskTime : leaddeskTime;
        VisitorToContact visitors = new VisitorToContact(mapping.clickdesk(), clickdeskTime);
        ContactToContact ldContacts = new ContactToContact(mapping.leaddesk(), leaddeskTime, CustomFieldMap.none(), id -> null);
        LeadToContact ldLeads = new LeadToContact(mapping.leaddesk(), leaddeskTime, id -> null);
        RowProblems rowProblems = new RowProblems(name);
        Map<String, Long> bulkTags = new HashMap<>(); // LeadDesk campaign tag → contacts carrying it
        try (CsvSource source = openCsv(kind, file, name)) {
            source.requireColumns(spec.requiredColumns());
            List<ColumnProfile> unknown = unknownColumns(kind, source.headers(), time);
            long rows = 0;
            while (source.hasNext()) {
                Object item = source.next();
                if (item instanceof MalformedRow bad) {
                    invalid("contact", rowProblems, bad.line(), "malformed row, " + bad.reason());
                    continue;
                }
                SourceRow row = (SourceRow) item;
                if (rows++ < PROFILE_ROWS) {
                    unknown.forEach(p -> p.add(row.get(p.column())));
                }
                try {
                    Object planned = switch (kind) {
                        case CLICKDESK_VISITORS -> visitors.map(row.fields());
                        case LEADDESK_CONTACTS -> ldContacts.map(row.fields());
                        default -> ldLeads.map(row.fields());
                    };
                    if (planned instanceof Skip skip) {
                        count("contact", 1, 0);
                        rowProblems.add(row.line(), "will be skipped: " + skip.reason());
                    } else {
                        ContactPlan contact = (ContactPlan) planned;
                        contact.leftOff().forEach(v -> rowProblems.add(row.line(), "column " + v.column() + ": '" + shown(v.value())
                                + "' will be left off " + v.attribute() + " (" + v.reason() + "); the contact still moves"));
                        count("contact", 0, 0);
                        count("tag", contact.tags().size());
                        calls++;
                        if (clickdesk) {
                            calls += contact.tags().size();
                        } else {
                            contact.tags().forEach(t -> bulkTags.merge(t.toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
                        }
                    }
                } catch (InvalidRecordException e) {
                    invalid("contact", rowProblems, row.line(), "invalid, " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
        }
        bulkTags.values().forEach(n -> calls += (n + tagBatchSize - 1) / tagBatchSize);
        rowProblems.flush();
    }

    /** The profiles of this file's columns that neither export-formats.md nor mapping.yaml know. */
    private List<ColumnProfile> unknownColumns(DropKind kind, List<String> headers, Timestamps time) {
        boolean clickdesk = kind.system().equals("clickdesk");
        Set<String> known = new HashSet<>(DOCUMENTED_COLUMNS.get(kind));
        if (clickdesk) {
            known.addAll(mapping.clickdesk().contactAttributes().keySet());
            known.addAll(mapping.clickdesk().extraColumns().keySet());
        } else {
            known.addAll(mapping.leaddesk().contactAttributes().keySet());
            known.addAll(mapping.leaddesk().extraColumns().keySet());
        }
        Map<String, ColumnProfile> system = profiles.computeIfAbsent(kind.system(), s -> new TreeMap<>());
        List<ColumnProfile> out = new ArrayList<>();
        for (String column : headers) {
            if (known.contains(column) || (!clickdesk && isOtherField(column))) {
                continue;
            }
            ColumnProfile profile = system.computeIfAbsent(column, c -> new ColumnProfile(c, time));
            profile.seenIn(kind.baseName());
            out.add(profile);
        }
        return out;
    }

    /** other1 … other35: typed through custom_fields.json, never proposed. */
    private static boolean isOtherField(String column) {
        if (!column.matches("other\\d{1,2}")) {
            return false;
        }
        int n = Integer.parseInt(column.substring(5));
        return n >= 1 && n <= 35;
    }

    private String proposal() {
        List<MappingProposal.Entry> entries = new ArrayList<>();
        profiles.forEach((system, columns) -> {
            boolean clickdesk = system.equals("clickdesk");
            Set<String> taken = new HashSet<>(BUILT_IN_ATTRIBUTES);
            if (clickdesk) {
                taken.addAll(mapping.clickdesk().contactAttributes().values());
                mapping.clickdesk().extraColumns().values().forEach(x -> taken.add(x.attribute()));
            } else {
                taken.addAll(mapping.leaddesk().contactAttributes().values());
                mapping.leaddesk().extraColumns().values().forEach(x -> taken.add(x.attribute()));
            }
            String prefix = clickdesk ? "cd_" : "ld_";
            columns.forEach((column, profile) -> {
                String inferred = profile.inferred();
                if (inferred == null) {
                    problems.add(system + " " + String.join(", ", profile.files()) + ": column '" + column
                            + "' is empty in every row read; no attribute proposed");
                    return;
                }
                String slug = Values.slug(column);
                String attribute = unique(slug.startsWith(prefix) ? slug : prefix + slug, taken);
                List<String> comments = new ArrayList<>();
                comments.add(String.join(", ", profile.files()) + ": inferred " + inferred
                        + (inferred.equals("datetime") ? " (written as date: Unix seconds)" : ""));
                comments.add("fill " + profile.fillRate() + ", samples: " + quoted(profile.samples()));
                if (inferred.equals("options")) {
                    comments.add("options: " + quoted(profile.options()));
                }
                entries.add(new MappingProposal.Entry(system, column, attribute, profile.mappedType(), comments));
            });
        });
        return MappingProposal.withDefinitions(MappingProposal.merge(readMappingText(), mapping, entries), mapping, definitions);
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = name + "_" + n;
        }
        taken.add(candidate);
        return candidate;
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> MappingProposal.quote(v.length() > 60 ? v.substring(0, 60) + "…" : v))
                .collect(Collectors.joining(", "));
    }

    private String readMappingText() {
        try {
            return Files.isRegularFile(mappingFile) ? Files.readString(mappingFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mappingFile + ": " + e.getMessage(), e);
        }
    }

    // ---- threads ----

    private void chats(Path file, String name) {
        RecordReaders.Spec spec = recordSpecs.get(DropKind.CLICKDESK_CHATS);
        ChatToConversation mapper = new ChatToConversation(new VisitorToContact(mapping.clickdesk(), clickdeskTime), clickdeskTime);
        RowProblems rowProblems = new RowProblems(name);
        try (JsonRecordStream stream = JsonRecordStream.open(file, name, spec.jsonArrayField())) {
            while (stream.hasNext()) {
                JsonRecord session = stream.next();
                try {
                    conversation(mapper.map(session.node()));
                } catch (InvalidRecordException e) {
                    invalid("conversation", rowProblems, session.line(), "session " + session.index() + " invalid, " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
        }
        rowProblems.flush();
    }

    /**
     * Grouped by thread the way the run groups it ({@link io.intercommigrator.intake.GroupedRows}: past a memory budget
     * the rows spill to sorted runs in a scratch folder), so planning a social file takes no more memory than running it.
     */
    private void socialThreads(Path file, String name) {
        SocialThreadToConversation mapper = new SocialThreadToConversation(clickdeskTime);
        RowProblems rowProblems = new RowProblems(name);
        List<String> headers;
        try (io.intercommigrator.intake.GroupedRows threads = new io.intercommigrator.intake.GroupedRows(
                newScratchFolder())) {
            try (CsvSource source = CsvSource.open(file, name,
                    csv.forFile(DropKind.CLICKDESK_SOCIAL_MESSAGES.baseName()))) { // as ClickDeskThreads reads it
                source.requireColumns(ClickDeskThreads.SOCIAL_REQUIRED_COLUMNS);
                headers = source.headers();
                List<String> values = new ArrayList<>(headers.size());
                while (source.hasNext()) {
                    Object item = source.next();
                    if (item instanceof SourceRow row) {
                        values.clear();
                        headers.forEach(h -> values.add(row.get(h)));
                        threads.add(row.get("thread_id").trim(), row.line(), values);
                    } else {
                        MalformedRow bad = (MalformedRow) item;
                        invalid("conversation", rowProblems, bad.line(), "malformed row, " + bad.reason());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
            }
            java.util.Iterator<io.intercommigrator.intake.GroupedRows.Group> groups = threads.groups();
            while (groups.hasNext()) {
                io.intercommigrator.intake.GroupedRows.Group thread = groups.next();
                List<Map<String, String>> rows = new ArrayList<>(thread.rows().size());
                for (io.intercommigrator.intake.GroupedRows.Row row : thread.rows()) {
                    Map<String, String> fields = new LinkedHashMap<>(headers.size() * 4 / 3 + 1);
                    for (int i = 0; i < headers.size(); i++) {
                        fields.put(headers.get(i), row.values().get(i));
                    }
                    rows.add(fields);
                }
                try {
                    conversation(mapper.map(thread.key(), rows));
                } catch (InvalidRecordException e) {
                    invalid("conversation", rowProblems, thread.rows().get(0).line(),
                            "thread " + thread.key() + " invalid, " + e.getMessage());
                }
            }
        }
        rowProblems.flush();
    }

    private void callRecords(Path file, String name) {
        CallRecordToConversation mapper = new CallRecordToConversation(mapping.leaddesk(), leaddeskTime,
                io.intercommigrator.leaddesk.DispositionTaxonomy.empty(), id -> null);
        RowProblems rowProblems = new RowProblems(name);
        try (CsvSource source = openCsv(DropKind.LEADDESK_CALL_RECORDS, file, name)) {
            source.requireColumns(recordSpecs.get(DropKind.LEADDESK_CALL_RECORDS).requiredColumns());
            while (source.hasNext()) {
                Object item = source.next();
                if (item instanceof MalformedRow bad) {
                    invalid("conversation", rowProblems, bad.line(), "malformed row, " + bad.reason());
                    continue;
                }
                SourceRow row = (SourceRow) item;
                try {
                    conversation(mapper.map(row.fields()));
                } catch (InvalidRecordException e) {
                    invalid("conversation", rowProblems, row.line(), "invalid, " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
        }
        rowProblems.flush();
    }

    private void chatbot(Path zip, String name) {
        Path folder = newScratchFolder();
        unpacker.unpack(zip, folder, name);
        RowProblems rowProblems = new RowProblems(name);
        try (ChatbotExport export = ChatbotExport.open(folder, name, leaddeskTime, csv)) {
            for (java.util.Iterator<MalformedRow> rows = export.malformedRows(); rows.hasNext(); ) {
                MalformedRow bad = rows.next();
                invalid("conversation", rowProblems, bad.line(), bad.file() + ": " + bad.reason());
            }
            export.eachSession(false).forEachRemaining(this::conversation);
        }
        rowProblems.flush();
    }

    /**
     * One conversation that will be created: its parts, and 1 + parts + 1 calls, plus a note per 10 files of the
     * opening message and per 10 files of a part beyond the 10 it carries itself.
     */
    private void conversation(ThreadPlan thread) {
        count("conversation", 0, 0);
        count("conversation_part", thread.parts().size());
        calls += 2 + thread.parts().size();
        attachments(thread.attachmentUrls(), true);
        thread.parts().forEach(p -> attachments(p.attachmentUrls(), false));
    }

    private void attachments(List<String> urls, boolean opening) {
        if (urls.isEmpty()) {
            return;
        }
        attachmentUrls.addAll(urls);
        count("attachment", urls.size());
        long notes = (urls.size() + 9) / 10;
        calls += opening ? notes : notes - 1;
    }

    /** Where each attachment would come from: a shipped file (inbox or bundle), a download, or nowhere. */
    private PlanResult.Attachments attachments() {
        io.intercommigrator.attachments.ShippedAttachments shipped = new io.intercommigrator.attachments.ShippedAttachments(inbox);
        bundleFolders.forEach(shipped::register);
        long files = 0;
        long bytes = 0;
        long download = 0;
        long none = 0;
        for (String url : attachmentUrls) {
            Optional<Path> file = shipped.find(url);
            if (file.isPresent()) {
                files++;
                try {
                    bytes += Files.size(file.get());
                } catch (IOException e) {
                    problems.add(file.get() + ": shipped attachment not readable: " + e.getMessage());
                }
            } else if (url.strip().toLowerCase(Locale.ROOT).matches("https?://.+")) {
                download++;
            } else {
                none++;
            }
        }
        return new PlanResult.Attachments(files, bytes, download, none);
    }

    /** tickets, offline messages, ticket messages, VoIP notes, tags.csv rows: one record and one call per row. */
    private void oneCallPerRow(DropKind kind, Path file, String name) {
        String type = recordSpecs.get(kind).objectType();
        RowProblems rowProblems = new RowProblems(name);
        try (CsvSource source = openCsv(kind, file, name)) {
            source.requireColumns(recordSpecs.get(kind).requiredColumns());
            while (source.hasNext()) {
                Object item = source.next();
                if (item instanceof MalformedRow bad) {
                    invalid(type, rowProblems, bad.line(), "malformed row, " + bad.reason());
                } else {
                    if (kind == DropKind.CLICKDESK_TICKET_MESSAGES) {
                        attachments(Values.multi(((SourceRow) item).get("attachments")), false);
                    }
                    // a ticket counts as what the routing rule makes it, as the run's report counts it
                    count(kind == DropKind.CLICKDESK_TICKETS && ticketRouting.route(((SourceRow) item).get("channel"),
                            ((SourceRow) item).get("status")) == ThreadPlan.Kind.CONVERSATION ? "conversation" : type, 0, 0);
                    calls++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
        }
        rowProblems.flush();
    }

    /** Agents, departments, campaigns, custom fields …: counted, not sent (their calls are in the provisioning share). */
    private void definitionFile(DropKind kind, Path file, String name) {
        keepDefinitions(kind, file, name);
        DefinitionFiles.Spec spec = definitionSpecs.get(kind);
        String type = spec != null ? spec.kind() : kind.baseName().replaceFirst("\\.[a-z]+$", "");
        if (kind.baseName().endsWith(".json")) {
            try {
                JsonNode tree = JSON.readTree(file.toFile());
                count(type, tree != null && tree.isArray() ? tree.size() : 1);
            } catch (IOException e) {
                problems.add(name + ": not readable JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            return;
        }
        RowProblems rowProblems = new RowProblems(name);
        try (CsvSource source = openCsv(kind, file, name)) {
            if (spec != null) {
                source.requireColumns(spec.requiredColumns());
            }
            while (source.hasNext()) {
                Object item = source.next();
                if (item instanceof MalformedRow bad) {
                    invalid(type, rowProblems, bad.line(), "malformed row, " + bad.reason());
                } else {
                    count(type, 0, 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
        }
        rowProblems.flush();
    }

    /**
     * The entries of a definition file that records are mapped with (LeadDesk custom fields, campaigns, results and
     * outcomes, offices, projects, agents), read as the run reads them, for the proposed map: a record file dropped
     * before its definition file is mapped with what the map was confirmed with.
     */
    private void keepDefinitions(DropKind kind, Path file, String name) {
        if (!io.intercommigrator.leaddesk.LeadDeskCatalog.CONFIRMED_KINDS.contains(kind)) {
            return;
        }
        io.intercommigrator.leaddesk.LeadDeskCatalog.Sink sink = (k, id, entry) -> definitions
                .computeIfAbsent(kind.system(), s -> new TreeMap<>()).computeIfAbsent(k, x -> new TreeMap<>()).put(id, entry);
        switch (kind) {
            case LEADDESK_CUSTOM_FIELDS -> io.intercommigrator.leaddesk.LeadDeskCatalog.readCustomFields(file, name, sink);
            case LEADDESK_CAMPAIGNS -> io.intercommigrator.leaddesk.LeadDeskCatalog.readCampaigns(file, name, sink);
            case LEADDESK_RESULTS_OUTCOMES -> io.intercommigrator.leaddesk.LeadDeskCatalog.readResultsOutcomes(file, name, JSON, sink);
            default -> {
                DefinitionFiles.Spec spec = definitionSpecs.get(kind);
                DefinitionFiles.readRows(file, name, spec, csv.forFile(kind.baseName()), JSON, new DefinitionFiles.Rows() {
                    @Override
                    public void put(String id, com.fasterxml.jackson.databind.node.ObjectNode row) {
                        sink.put(spec.kind(), id, row);
                    }

                    @Override
                    public void problem(String reason, String where, String detail) {
                        problems.add(where + ": " + reason + ", " + detail);
                    }
                });
            }
        }
    }

    // ---- helpers ----

    private CsvSource openCsv(DropKind kind, Path file, String name) {
        return CsvSource.open(file, name, csv.forFile(kind.baseName()));
    }

    private void count(String type, long skipped, long invalid) {
        long[] c = counts.computeIfAbsent(type, t -> new long[3]);
        c[0]++;
        c[1] += skipped;
        c[2] += invalid;
    }

    private void count(String type, int records) {
        counts.computeIfAbsent(type, t -> new long[3])[0] += records;
    }

    private void invalid(String type, RowProblems rowProblems, long line, String reason) {
        count(type, 0, 1);
        rowProblems.add(line, reason);
    }

    private Duration duration(long apiCalls) {
        return Duration.ofMillis((apiCalls * 60_000L + ratePerMinute - 1) / ratePerMinute);
    }

    static String human(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long minutes = (s + 59) / 60;
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    private Path newScratchFolder() {
        try {
            if (scratch == null) {
                Files.createDirectories(workDir);
                scratch = Files.createTempDirectory(workDir, "plan-");
            }
            return scratch.resolve("zip-" + ++scratchSeq);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder under " + workDir + ": " + e.getMessage(), e);
        }
    }

    private void deleteScratch() {
        if (scratch == null) {
            return;
        }
        try {
            io.intercommigrator.intake.Folders.deleteTree(scratch);
        } catch (IOException e) {
            problems.add(scratch + ": could not remove the scratch folder: " + e.getMessage());
        }
        scratch = null;
    }

    /** Row-level problem lines of one file, the first few in full, the rest as a count. */
    /** A value as a plan line shows it: at most 80 characters. */
    private static String shown(String value) {
        return value.codePointCount(0, value.length()) <= 80 ? value : value.substring(0, value.offsetByCodePoints(0, 80)) + "…";
    }

    private final class RowProblems {
        private final String file;
        private long count;

        RowProblems(String file) {
            this.file = file;
        }

        void add(long line, String reason) {
            if (count++ < MAX_ROW_PROBLEMS_PER_FILE) {
                problems.add(file + " line " + line + ": " + reason);
            }
        }

        void flush() {
            if (count > MAX_ROW_PROBLEMS_PER_FILE) {
                problems.add(file + ": " + (count - MAX_ROW_PROBLEMS_PER_FILE) + " more row problem(s) not listed");
            }
        }
    }
}
