package io.intercommigrator;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

import io.intercommigrator.clickdesk.ChatToConversation;
import io.intercommigrator.clickdesk.ClickDeskThreads;
import io.intercommigrator.clickdesk.ClickDeskVisitors;
import io.intercommigrator.clickdesk.OfflineMessageToTicket;
import io.intercommigrator.clickdesk.SocialThreadToConversation;
import io.intercommigrator.clickdesk.TagRowToApplication;
import io.intercommigrator.clickdesk.TicketMessageToPart;
import io.intercommigrator.clickdesk.VoipCallToNote;
import io.intercommigrator.clickdesk.TicketRouting;
import io.intercommigrator.clickdesk.TicketToThread;
import io.intercommigrator.clickdesk.VisitorToContact;
import io.intercommigrator.intake.Bundles;
import io.intercommigrator.intake.DefinitionFiles;
import io.intercommigrator.intake.CsvOptions;
import io.intercommigrator.intake.DropKind;
import io.intercommigrator.intake.DropOrder;
import io.intercommigrator.intake.InboxFilter;
import io.intercommigrator.intake.Intake;
import io.intercommigrator.intake.RecordReaders;
import io.intercommigrator.intake.Timestamps;
import io.intercommigrator.intake.ZipLimits;
import io.intercommigrator.intake.ZipUnpacker;
import io.intercommigrator.intercom.AdminDirectory;
import io.intercommigrator.intercom.AttributeProvisioner;
import io.intercommigrator.intercom.ContactTagBatches;
import io.intercommigrator.intercom.ContactUpserter;
import io.intercommigrator.intercom.DryRunOutbox;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.intercom.RateLimitGovernor;
import io.intercommigrator.intercom.RequestStats;
import io.intercommigrator.intercom.TagDelivery;
import io.intercommigrator.intercom.TagRegistry;
import io.intercommigrator.intercom.ThreadDelivery;
import io.intercommigrator.intercom.ThreadSchema;
import io.intercommigrator.leaddesk.CallRecordToConversation;
import io.intercommigrator.leaddesk.ContactToContact;
import io.intercommigrator.leaddesk.LeadDeskSources;
import io.intercommigrator.leaddesk.LeadToContact;
import io.intercommigrator.leaddesk.LeadDeskCatalog;
import io.intercommigrator.leaddesk.LeadDeskContacts;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.observe.Observability;
import io.intercommigrator.observe.ProgressBars;
import io.intercommigrator.report.DeadLetterWriter;
import io.intercommigrator.report.ReconciliationReport;
import io.intercommigrator.report.RunAccounting;

/**
 * Builds the run's beans once the CamelContext exists and binds them under the names the YAML routes use.
 * The one place where the object graph is put together.
 */
public final class MigratorWiring implements CamelConfiguration {
    private final Settings settings;
    private final RunControl run;
    private final Ledger ledger;
    private final MappingConfig mapping;
    private final ObjectMapper json = new ObjectMapper();
    private final RunAccounting accounting = new RunAccounting();
    private final RequestStats requests = new RequestStats();
    private IntercomClient client;
    private RateLimitGovernor governor;
    private io.intercommigrator.intercom.OutageGate outage;
    private io.intercommigrator.intercom.InFlightLimit inFlight;
    private DryRunOutbox outbox;
    private ReconciliationReport report;
    private DeadLetterWriter deadLetters;
    private AdminDirectory directory;
    private io.intercommigrator.intercom.ThreadStates threadStates;
    private TagRegistry tags;
    private io.intercommigrator.verify.DeliverySample sample;
    private io.intercommigrator.verify.SourceRules sourceRules;
    private final ProgressBars bars;
    private io.intercommigrator.intake.SampleSelection selection;
    private org.apache.camel.spi.IdempotentRepository intakeSeen;
    private io.intercommigrator.attachments.ShippedAttachments shippedAttachments;
    private io.intercommigrator.attachments.AttachmentSource attachmentSource;

    public MigratorWiring(Settings settings, RunControl run, Ledger ledger, MappingConfig mapping) {
        this(settings, run, ledger, mapping, ProgressBars.off());
    }

    /** {@code bars}: the live progress bar of an interactive --once run ({@link ProgressBars#off()} otherwise). */
    public MigratorWiring(Settings settings, RunControl run, Ledger ledger, MappingConfig mapping, ProgressBars bars) {
        this.settings = settings;
        this.run = run;
        this.ledger = ledger;
        this.mapping = mapping;
        this.bars = bars;
    }

    @Override
    public void configure(CamelContext context) {
        var registry = context.getRegistry();
        governor = new RateLimitGovernor(settings.getInt("intercom.rate-limit-per-minute", 1000),
                settings.getLong("intercom.rate-limit-reset-margin-ms", 50), Clock.systemUTC());
        outbox = run.live() ? null : new DryRunOutbox(json, settings.workDir().resolve("outbox").resolve(run.runId()));
        long outageTimeout = settings.getLong("delivery.outage-timeout-seconds", 900);
        if (outageTimeout < 1) {
            throw MigratorExit.badConfiguration("delivery.outage-timeout-seconds must be at least 1, not " + outageTimeout);
        }
        outage = new io.intercommigrator.intercom.OutageGate(settings.getInt("delivery.outage-failures", 10),
                settings.getLong("delivery.outage-probe-interval-ms", 5000), run.service() ? 0 : outageTimeout * 1000,
                Clock.systemUTC(), run);
        client = new IntercomClient(context.createProducerTemplate(), settings.token() == null
                ? new io.intercommigrator.intercom.AccessToken("dry-run") : settings.token(),
                settings.get("intercom.api-version", "2.16"), json, outbox, requests, run, outage);
        inFlight = new io.intercommigrator.intercom.InFlightLimit(settings.getInt("delivery.concurrency", 16),
                maxInFlight(settings), governor::perMinute);
        client.limitInFlight(inFlight);
        Observability.install(context, settings, run, ledger, client, accounting, requests, governor, bars);
        replayTemplate = context.createProducerTemplate();
        selection = run.sampleRun() ? io.intercommigrator.intake.SampleSelection.choosing(run.samplePerKind(), accounting)
                : io.intercommigrator.intake.SampleSelection.off();
        report = new ReconciliationReport(settings.reportsDir(), run, accounting, requests, json, selection);
        deadLetters = new DeadLetterWriter(settings.deadLetterDir(), run, json, ledger, accounting,
                settings.token() == null ? new io.intercommigrator.intercom.AccessToken("\u0000no-token\u0000") : settings.token(),
                selection);

        Timestamps clickdeskTime = new Timestamps(settings.sourceZone("clickdesk"));
        Timestamps leaddeskTime = new Timestamps(settings.sourceZone("leaddesk"));
        CsvOptions csv = settings.csvOptions();
        io.intercommigrator.intake.CsvReading csvReading = new io.intercommigrator.intake.CsvReading(csv, mapping);
        ZipLimits zipLimits = settings.zipLimits();

        AttributeProvisioner attributes = new AttributeProvisioner(client, ledger, run);
        tags = new TagRegistry(client, ledger, run);
        int sampleSize = settings.getInt("verification.sample-size", 50);
        if (sampleSize < 0) {
            throw MigratorExit.badConfiguration("verification.sample-size must be 0 or more, not " + sampleSize);
        }
        long seed = settings.getLong("verification.seed", 42);
        // a sample run reads back every object it delivered: the customer is about to look at each of them
        sample = run.sampleRun() ? io.intercommigrator.verify.DeliverySample.everything(seed)
                : new io.intercommigrator.verify.DeliverySample(sampleSize, seed);
        // what the intake read when it leaves the inbox as it is (dry-run, sample run): each file once per pass
        intakeSeen = org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository.memoryIdempotentRepository(100_000);
        LeadDeskCatalog leaddeskCatalog = new LeadDeskCatalog(ledger, json, mapping);
        // the read-back compares what it reads with the source records, through rules of its own (not the mappers)
        sourceRules = new io.intercommigrator.verify.SourceRules(mapping, clickdeskTime, leaddeskTime,
                leaddeskCatalog::customFieldDefinitions, id -> leaddeskCatalog.dispositionTaxonomy().disposition("", id),
                id -> leaddeskCatalog.dispositionTaxonomy().outcome(id),
                settings.getInt("intercom.attribute-value-max-chars", 255));

        registry.bind("runControl", run);
        registry.bind("ledger", ledger);
        registry.bind("intercomClient", client);
        registry.bind("rateLimitGovernor", governor);
        registry.bind("accounting", accounting);
        registry.bind("reconciliationReport", report);
        registry.bind("deadLetterWriter", deadLetters);
        registry.bind("migratorWiring", this);
        registry.bind("sampleSelection", selection);
        registry.bind("intakeSeen", intakeSeen);
        registry.bind("inboxFilter", new InboxFilter());
        registry.bind("dropOrder", new DropOrder());
        registry.bind("intake", new Intake(settings.inboxDir(), ledger, run, accounting));
        shippedAttachments = new io.intercommigrator.attachments.ShippedAttachments(settings.inboxDir());
        registry.bind("gdprCheck", new io.intercommigrator.intake.GdprCheck(new io.intercommigrator.intake.GdprGuard(
                new ZipUnpacker(zipLimits), settings.workDir(), csvReading), gdprApplies(), run));
        registry.bind("bundles", new Bundles(new ZipUnpacker(zipLimits), settings.workDir(), settings.inboxDir(), run, accounting,
                shippedAttachments));
        int batchSize = run.live() ? 1 : settings.getInt("intake.dry-run-batch-size", 500);
        if (batchSize < 1) {
            throw MigratorExit.badConfiguration("intake.dry-run-batch-size must be at least 1, not " + batchSize);
        }
        registry.bind("recordReaders", new RecordReaders(mapping, accounting, csv, recordSpecs(), batchSize));
        int tagBatchSize = settings.getInt("delivery.tag-batch-size", 100);
        if (tagBatchSize < 1) {
            throw MigratorExit.badConfiguration("delivery.tag-batch-size must be at least 1, not " + tagBatchSize);
        }
        ContactTagBatches tagBatches = new ContactTagBatches(client, ledger, tags, accounting, run, deadLetters, tagBatchSize);
        registry.bind("contactTagBatches", tagBatches);
        ContactUpserter contacts = new ContactUpserter(client, ledger, attributes, accounting, run, json, sample, tagBatches);
        registry.bind("contactUpserter", contacts);
        int maxChars = settings.getInt("intercom.attribute-value-max-chars", 255);
        if (maxChars < 1) {
            throw MigratorExit.badConfiguration("intercom.attribute-value-max-chars must be at least 1, not " + maxChars);
        }
        VisitorToContact visitors = new VisitorToContact(mapping.clickdesk(), clickdeskTime, maxChars);
        registry.bind("clickdeskVisitors", new ClickDeskVisitors(visitors));
        directory = new AdminDirectory(client, accounting, mapping.teamMap());
        int listLimit = settings.getInt("intercom.list-attribute-max-options", 100);
        if (listLimit < 0) {
            throw MigratorExit.badConfiguration("intercom.list-attribute-max-options must be 0 or more, not " + listLimit);
        }
        ThreadSchema schema = new ThreadSchema(client, ledger, run, accounting, listLimit);
        registry.bind("threadDelivery", new ThreadDelivery(client, ledger, contacts, directory, schema, tags, accounting, run,
                json, mapping.strict(), sample));
        threadStates = new io.intercommigrator.intercom.ThreadStates(client, ledger, directory, accounting, run,
                settings.get("migration.closing-admin-id", ""), deliveryThreads());
        registry.lookupByNameAndType("threadDelivery", ThreadDelivery.class).states(threadStates);
        long searchLag = settings.getLong("intercom.search-lag-ms", 120_000);
        if (searchLag < 0) {
            throw MigratorExit.badConfiguration("intercom.search-lag-ms must be 0 or more, not " + searchLag);
        }
        registry.lookupByNameAndType("threadDelivery", ThreadDelivery.class).searchLag(searchLag);
        registry.bind("threadStates", threadStates);
        long voipWindowMinutes = settings.getLong("clickdesk.voip.attach-window-minutes", 30);
        if (voipWindowMinutes < 0) {
            throw MigratorExit.badConfiguration("clickdesk.voip.attach-window-minutes must be 0 or more, not " + voipWindowMinutes);
        }
        registry.bind("voipCallDelivery", new io.intercommigrator.intercom.VoipCallDelivery(
                registry.lookupByNameAndType("threadDelivery", ThreadDelivery.class), client, ledger, run, voipWindowMinutes * 60));
        String ticketType = mapping.clickdesk().ticketType();
        TicketRouting routing = TicketRouting.of(mapping.clickdesk());
        registry.bind("clickdeskThreads", new ClickDeskThreads(new ChatToConversation(visitors, clickdeskTime),
                new TicketToThread(visitors, clickdeskTime, routing, ticketType, mapping.ticketStates()), new TicketMessageToPart(clickdeskTime),
                new OfflineMessageToTicket(visitors, clickdeskTime, ticketType), new SocialThreadToConversation(clickdeskTime),
                new VoipCallToNote(visitors, clickdeskTime), new TagRowToApplication(mapping.clickdesk().tagAttributes()), accounting,
                csvReading).spillingTo(settings.workDir().resolve("spill").resolve(run.runId())));
        attachmentSource = new io.intercommigrator.attachments.AttachmentSource(shippedAttachments, settings.attachmentPolicy(),
                settings.workDir().resolve("attachments").resolve(run.runId()), !run.live());
        report.attachments(attachmentSource::summary);
        if (run.live()) {
            report.inFlight(inFlight::summary);
        }
        // files move with the record: every message's attachments, shipped or downloaded (export-formats.md, Attachments)
        registry.lookupByNameAndType("threadDelivery", ThreadDelivery.class).copyFilesFrom(attachmentSource);
        registry.bind("tagDelivery", new TagDelivery(client, ledger, tags, attributes, directory, accounting, run));
        registry.bind("leaddeskCatalog", leaddeskCatalog);
        registry.bind("leaddeskContacts", new LeadDeskContacts(mapping, leaddeskCatalog, leaddeskTime, accounting, csvReading,
                maxChars));
        registry.bind("leaddeskSources", new LeadDeskSources(mapping, leaddeskCatalog, leaddeskTime, accounting, schema, listLimit,
                new ZipUnpacker(zipLimits), settings.workDir(), run.runId(),
                instantOrNull(settings.get("leaddesk.chatbot.migration-from", ""), leaddeskTime),
                instantOrNull(settings.get("leaddesk.chatbot.migration-to", ""), leaddeskTime), csvReading)
                .attributeValueMaxChars(maxChars));
        registry.bind("definitionFiles", new DefinitionFiles(ledger, accounting, json, definitionSpecs(), csvReading));
        registry.bind("deliveryPool", deliveryPool(context));
        registry.bind("threadOrder", new io.intercommigrator.intake.ThreadOrder(run,
                java.time.Duration.ofSeconds(settings.getLong("delivery.order-wait-seconds", 600)), outage::down));
        // the retry rules of the two error handlers; their back-off is intercomRedelivery (routes/error-handling.camel.yaml)
        registry.bind("retryBudget", new io.intercommigrator.intercom.RetryBudget(outage));
        registry.bind("requestRetry", new io.intercommigrator.intercom.RequestRetry(outage, requests));
    }

    /** A live run into a US-hosted workspace whose operator did not acknowledge moving EU/EEA residents there. */
    public boolean gdprApplies() {
        return run.live() && settings.region().equals("us") && !settings.getBoolean("migration.gdpr-acknowledged", false);
    }

    /** What each record file holds and the columns it cannot do without (also what {@code plan} checks). */
    public static Map<DropKind, RecordReaders.Spec> recordSpecs() {
        return Map.ofEntries(
                Map.entry(DropKind.CLICKDESK_VISITORS, new RecordReaders.Spec("contact", VisitorToContact.REQUIRED_COLUMNS)),
                Map.entry(DropKind.CLICKDESK_CHATS, new RecordReaders.Spec("conversation", List.of(), "session")),
                Map.entry(DropKind.CLICKDESK_TICKETS, new RecordReaders.Spec("ticket", List.of("ticket_id", "created_at"))),
                Map.entry(DropKind.CLICKDESK_TICKET_MESSAGES, RecordReaders.Spec.orderedBy("ticket_id", "conversation_part",
                        List.of("ticket_id", "message_id", "author_type", "body", "created_at"))),
                Map.entry(DropKind.CLICKDESK_OFFLINE_MESSAGES, new RecordReaders.Spec("ticket", List.of("message_id", "message", "created_at"))),
                Map.entry(DropKind.CLICKDESK_VOIP_CALLS, RecordReaders.Spec.orderedBy("visitor_id", "note", List.of("call_id", "started_at"))),
                Map.entry(DropKind.CLICKDESK_TAGS, new RecordReaders.Spec("tag", List.of("tag", "object_type", "object_id"))),
                Map.entry(DropKind.LEADDESK_CONTACTS, new RecordReaders.Spec("contact", ContactToContact.REQUIRED_COLUMNS)),
                Map.entry(DropKind.LEADDESK_LEADS, new RecordReaders.Spec("contact", LeadToContact.REQUIRED_COLUMNS)),
                Map.entry(DropKind.LEADDESK_CALL_RECORDS, new RecordReaders.Spec("conversation", CallRecordToConversation.REQUIRED_COLUMNS)));
    }

    /** The definition files (agents, departments, …): their kind, id column and required columns. */
    public static Map<DropKind, DefinitionFiles.Spec> definitionSpecs() {
        return Map.of(
                DropKind.CLICKDESK_AGENTS, new DefinitionFiles.Spec("agent", "agent_id", List.of("agent_id", "email")),
                DropKind.CLICKDESK_DEPARTMENTS, new DefinitionFiles.Spec("department", "department_id", List.of("department_id", "name")),
                DropKind.CLICKDESK_CANNED_RESPONSES, new DefinitionFiles.Spec("canned_response", "response_id",
                        List.of("response_id", "message")),
                DropKind.LEADDESK_AGENTS, new DefinitionFiles.Spec("agent", "agent_id", List.of("agent_id", "email")),
                DropKind.LEADDESK_PROJECTS, new DefinitionFiles.Spec("project", "project_id", List.of("project_id", "name")),
                DropKind.LEADDESK_OFFICES, new DefinitionFiles.Spec("office", "office_id", List.of("office_id", "name")),
                DropKind.LEADDESK_DIALER_CONFIG, new DefinitionFiles.Spec("dialer_config", null, List.of()),
                DropKind.LEADDESK_LEADAPPS, new DefinitionFiles.Spec("leadapps", null, List.of()));
    }

    private static java.time.Instant instantOrNull(String text, Timestamps timestamps) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.ofEpochSecond(timestamps.toEpochSeconds(text));
        } catch (IllegalArgumentException e) {
            throw MigratorExit.badConfiguration("leaddesk.chatbot.migration-from/-to: " + e.getMessage());
        }
    }

    /**
     * The most requests Intercom may have in flight (delivery.max-in-flight, at least delivery.concurrency): the delivery
     * threads, the ledger's and the HTTP connections are sized to it, and {@link io.intercommigrator.intercom.InFlightLimit}
     * keeps what is actually out at what fills the quota at the latency seen.
     */
    public static int maxInFlight(Settings settings) {
        return Math.max(settings.getInt("delivery.concurrency", 16), settings.getInt("delivery.max-in-flight", 256));
    }

    /** A live run waits for the network, so its threads may all have a request out; a dry-run has no network to wait for. */
    private int deliveryThreads() {
        return run.live() ? maxInFlight(settings)
                : Math.min(settings.getInt("delivery.concurrency", 16), Runtime.getRuntime().availableProcessors());
    }

    /** Bounded: when the queue is full the splitting thread delivers the record itself, so reading never runs ahead of delivery. */
    private ExecutorService deliveryPool(CamelContext context) {
        int threads = deliveryThreads();
        ThreadPoolProfile profile = new ThreadPoolProfile("delivery");
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setMaxQueueSize(threads * 4);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        return context.getExecutorServiceManager().newThreadPool(this, "delivery", profile);
    }

    private org.apache.camel.ProducerTemplate replayTemplate;

    /** Re-delivery of dead letters through the record routes of this run. */
    public io.intercommigrator.replay.Replay replay() {
        return new io.intercommigrator.replay.Replay(replayTemplate, ledger, accounting, settings.deadLetterDir(), run.runId(),
                settings.inboxDir()).guardingGdpr(gdprApplies());
    }

    public Ledger ledger() {
        return ledger;
    }

    public RunControl run() {
        return run;
    }

    /** How threads end: {@link io.intercommigrator.intercom.ThreadStates#settleDeferred()} closes what waited for its messages. */
    public io.intercommigrator.intercom.ThreadStates threadStates() {
        return threadStates;
    }

    public AdminDirectory directory() {
        return directory;
    }

    public IntercomClient client() {
        return client;
    }

    /** The HTTP path's circuit breaker (outages seen, probes sent). */
    public io.intercommigrator.intercom.OutageGate outage() {
        return outage;
    }

    /** How many requests may be out at once, as the latency and Intercom's answers made it. */
    public io.intercommigrator.intercom.InFlightLimit inFlight() {
        return inFlight;
    }

    public RateLimitGovernor governor() {
        return governor;
    }

    public RunAccounting accounting() {
        return accounting;
    }

    public RequestStats requests() {
        return requests;
    }

    public ReconciliationReport report() {
        return report;
    }

    public DryRunOutbox outbox() {
        return outbox;
    }

    /**
     * The intake's last step for a drop (the files of one poll), before the report is written. A live service ends
     * each drop as a --once run ends: reference letters retried (a tag whose contact this drop brought), the drop's
     * deliveries sampled and read back; then, in every run, the handoff documents.
     */
    public void finishDrop() {
        if (run.service() && run.live() && run.aborted() == null) {
            io.intercommigrator.replay.Replay replay = replay();
            replay.replay(replay.allFiles(true), "reference");
            threadStates.settleDeferred(); // what the replay appended to a closed conversation: closed again
            verify();
            sample.clear(); // the next drop reads back its own deliveries
        }
        writeHandoff();
    }

    /** Writes the handoff documents of this run under reports/<run-id>/handoff/. */
    public void writeHandoff() {
        new io.intercommigrator.report.handoff.HandoffWriter(ledger, accounting, new io.intercommigrator.report.handoff.HandoffWriter.Directory() {
            @Override
            public java.util.Optional<String> adminId(String email) {
                return directory.adminId(email, null);
            }

            @Override
            public java.util.Optional<String> teamId(String name) {
                return directory.teamId(name);
            }
        }, run.runId()).write(report.folder().resolve("handoff"));
    }

    /**
     * Reads a seeded sample of what this run delivered back from Intercom and puts the comparison into the report.
     * A dry-run sent nothing, so there is nothing to read back.
     */
    public void verify() {
        if (!run.live()) {
            report.verification(io.intercommigrator.verify.Verifier.notRun(json, "dry-run: nothing to read back"));
            return;
        }
        try {
            report.verification(new io.intercommigrator.verify.Verifier(client, tags, json, sourceRules)
                    .readingAtOnce(settings.getInt("delivery.concurrency", 16)).verify(sample));
        } catch (RuntimeException e) { // what was delivered stays delivered and reported: the check alone failed
            org.slf4j.LoggerFactory.getLogger(MigratorWiring.class).error("read-back verification failed: {}", e.getMessage(), e);
            report.verification(io.intercommigrator.verify.Verifier.notRun(json, "verification failed: " + e.getMessage()));
        }
    }

    public io.intercommigrator.intake.SampleSelection sampleSelection() {
        return selection;
    }

    /** The files the intake has read in this pass when it leaves the inbox as it is; cleared for a sample's second pass. */
    public org.apache.camel.spi.IdempotentRepository intakeSeen() {
        return intakeSeen;
    }

    public DeadLetterWriter deadLetters() {
        return deadLetters;
    }

    /** Where this run's attachments came from (shipped, downloaded, to download, kept as URL). */
    public io.intercommigrator.attachments.AttachmentSource attachments() {
        return attachmentSource;
    }
}
