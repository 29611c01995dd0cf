package io.intercommigrator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

import io.intercommigrator.attachments.AttachmentSource;
import io.intercommigrator.attachments.ShippedAttachments;
import io.intercommigrator.clickdesk.ChatToConversation;
import io.intercommigrator.clickdesk.ClickDeskThreads;
import io.intercommigrator.clickdesk.ClickDeskVisitors;
import io.intercommigrator.clickdesk.OfflineMessageToTicket;
import io.intercommigrator.clickdesk.SocialThreadToConversation;
import io.intercommigrator.clickdesk.TagRowToApplication;
import io.intercommigrator.clickdesk.TicketMessageToPart;
import io.intercommigrator.clickdesk.TicketRouting;
import io.intercommigrator.clickdesk.TicketToThread;
import io.intercommigrator.clickdesk.VisitorToContact;
import io.intercommigrator.clickdesk.VoipCallToNote;
import io.intercommigrator.config.Settings;
import io.intercommigrator.core.MigratorExit;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.intake.Bundles;
import io.intercommigrator.intake.CsvReading;
import io.intercommigrator.intake.DefinitionFiles;
import io.intercommigrator.intake.DropOrder;
import io.intercommigrator.intake.GdprCheck;
import io.intercommigrator.intake.GdprGuard;
import io.intercommigrator.intake.InboxFilter;
import io.intercommigrator.intake.Intake;
import io.intercommigrator.intake.RecordReaders;
import io.intercommigrator.intake.SampleSelection;
import io.intercommigrator.intake.ZipUnpacker;
import io.intercommigrator.intercom.AccessToken;
import io.intercommigrator.intercom.AdminDirectory;
import io.intercommigrator.intercom.AttributeProvisioner;
import io.intercommigrator.intercom.ContactTagBatches;
import io.intercommigrator.intercom.ContactUpserter;
import io.intercommigrator.intercom.DeliverySample;
import io.intercommigrator.intercom.DryRunOutbox;
import io.intercommigrator.intercom.InFlightLimit;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.intercom.OutageGate;
import io.intercommigrator.intercom.RateLimitGovernor;
import io.intercommigrator.intercom.RequestRetry;
import io.intercommigrator.intercom.RequestStats;
import io.intercommigrator.intercom.RetryBudget;
import io.intercommigrator.intercom.TagDelivery;
import io.intercommigrator.intercom.TagRegistry;
import io.intercommigrator.intercom.ThreadDelivery;
import io.intercommigrator.intercom.ThreadSchema;
import io.intercommigrator.intercom.ThreadStates;
import io.intercommigrator.intercom.VoipCallDelivery;
import io.intercommigrator.leaddesk.LeadDeskCatalog;
import io.intercommigrator.leaddesk.LeadDeskContacts;
import io.intercommigrator.leaddesk.LeadDeskSources;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadOrder;
import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.observe.Observability;
import io.intercommigrator.observe.ProgressBars;
import io.intercommigrator.plan.ExportFiles;
import io.intercommigrator.report.DeadLetterWriter;
import io.intercommigrator.report.ReconciliationReport;
import io.intercommigrator.verify.SourceRules;

/**
 * The run's beans, bound by Camel Main under the names the YAML routes use ({@code bean: ref: <name>}). Each
 * {@code @BindToRegistry} method builds one bean from the beans it names ({@code @BeanInject}); they are lazy, so
 * Camel creates each when it is first looked up, after what it needs. What exists before Camel starts is bound by
 * {@link Migrator} ({@code settings}, {@code runControl}, {@code ledger}, {@code mappingConfig}, {@code progressBars}
 * and, in a dry-run, {@code dryRunOutbox}); the four every bean may need are injected into fields. Values come from
 * the one typed view, {@link Settings}, which reads Camel's properties component.
 */
public final class MigratorBeans implements CamelConfiguration {
    private final ObjectMapper json = new ObjectMapper();
    @BeanInject("settings")
    private Settings settings;
    @BeanInject("runControl")
    private RunControl run;
    @BeanInject("ledger")
    private Ledger ledger;
    @BeanInject("mappingConfig")
    private MappingConfig mapping;

    /** Checks the values a bean would refuse, and hooks the run's health checks, meters and progress into Camel's start. */
    @Override
    public void configure(CamelContext context) {
        atLeast("delivery.outage-timeout-seconds", settings.getLong("delivery.outage-timeout-seconds", 900), 1);
        atLeast("verification.sample-size", settings.getInt("verification.sample-size", 50), 0);
        if (!run.live()) { // a live run reads one by one
            atLeast("intake.dry-run-batch-size", settings.getInt("intake.dry-run-batch-size", 500), 1);
        }
        atLeast("delivery.tag-batch-size", settings.getInt("delivery.tag-batch-size", 100), 1);
        atLeast("intercom.attribute-value-max-chars", settings.getInt("intercom.attribute-value-max-chars", 255), 1);
        atLeast("intercom.list-attribute-max-options", settings.getInt("intercom.list-attribute-max-options", 100), 0);
        atLeast("intercom.search-lag-ms", settings.getLong("intercom.search-lag-ms", 120_000), 0);
        atLeast("clickdesk.voip.attach-window-minutes", settings.getLong("clickdesk.voip.attach-window-minutes", 30), 0);
        settings.attachmentPolicy();
        Timestamps leaddeskTime = leaddeskTimestamps(settings);
        instantOrNull(settings.get("leaddesk.chatbot.migration-from", ""), leaddeskTime);
        instantOrNull(settings.get("leaddesk.chatbot.migration-to", ""), leaddeskTime);
        // the progress reporter and the readiness checks hook into the context's start, so they are set up now
        var beans = context.getRegistry();
        Observability.install(context, settings, run, ledger, beans.lookupByNameAndType("intercomClient", IntercomClient.class),
                beans.lookupByNameAndType("accounting", RunAccounting.class),
                beans.lookupByNameAndType("requestStats", RequestStats.class),
                beans.lookupByNameAndType("rateLimitGovernor", RateLimitGovernor.class),
                beans.lookupByNameAndType("progressBars", ProgressBars.class));
    }

    private static void atLeast(String key, long value, long least) {
        if (value < least) {
            throw MigratorExit.badConfiguration(key + " must be " + (least == 0 ? "0 or more" : "at least " + least) + ", not "
                    + value);
        }
    }

    // --- the run's counts and its Intercom side ---

    @BindToRegistry(lazy = true)
    public RunAccounting accounting() {
        return new RunAccounting();
    }

    @BindToRegistry(lazy = true)
    public RequestStats requestStats() {
        return new RequestStats();
    }

    @BindToRegistry(lazy = true)
    public RateLimitGovernor rateLimitGovernor() {
        return new RateLimitGovernor(settings.getInt("intercom.rate-limit-per-minute", 1000),
                settings.getLong("intercom.rate-limit-reset-margin-ms", 50), Clock.systemUTC());
    }

    /** The HTTP path's circuit breaker; a service waits out an outage however long it lasts. */
    @BindToRegistry(lazy = true)
    public OutageGate outageGate() {
        return new OutageGate(settings.getInt("delivery.outage-failures", 10),
                settings.getLong("delivery.outage-probe-interval-ms", 5000),
                run.service() ? 0 : settings.getLong("delivery.outage-timeout-seconds", 900) * 1000, Clock.systemUTC(), run);
    }

    @BindToRegistry(lazy = true)
    public InFlightLimit inFlightLimit(@BeanInject("rateLimitGovernor") RateLimitGovernor governor) {
        return new InFlightLimit(settings.getInt("delivery.concurrency", 16), settings.maxInFlight(), governor::perMinute);
    }

    @BindToRegistry(lazy = true)
    public IntercomClient intercomClient(CamelContext context, @BeanInject("requestStats") RequestStats requests,
                                         @BeanInject("outageGate") OutageGate outage,
                                         @BeanInject("inFlightLimit") InFlightLimit inFlight) {
        // a dry-run has an outbox (bound by Migrator) and sends nothing
        DryRunOutbox outbox = context.getRegistry().lookupByNameAndType("dryRunOutbox", DryRunOutbox.class);
        IntercomClient client = new IntercomClient(context.createProducerTemplate(),
                settings.token() == null ? new AccessToken("dry-run") : settings.token(),
                settings.get("intercom.api-version", "2.16"), json, outbox, requests, run, outage);
        client.limitInFlight(inFlight);
        return client;
    }

    /** The retry rules of the two error handlers; their back-off is intercomRedelivery (routes/error-handling.camel.yaml). */
    @BindToRegistry(lazy = true)
    public RetryBudget retryBudget(@BeanInject("outageGate") OutageGate outage) {
        return new RetryBudget(outage);
    }

    @BindToRegistry(lazy = true)
    public RequestRetry requestRetry(@BeanInject("outageGate") OutageGate outage,
                                     @BeanInject("requestStats") RequestStats requests) {
        return new RequestRetry(outage, requests);
    }

    // --- what a run chooses, reports and sets aside ---

    @BindToRegistry(lazy = true)
    public SampleSelection sampleSelection(@BeanInject("accounting") RunAccounting accounting) {
        return run.sampleRun() ? SampleSelection.choosing(run.samplePerKind(), accounting) : SampleSelection.off();
    }

    @BindToRegistry(lazy = true)
    public ReconciliationReport reconciliationReport(@BeanInject("accounting") RunAccounting accounting,
                                                     @BeanInject("requestStats") RequestStats requests,
                                                     @BeanInject("sampleSelection") SampleSelection selection,
                                                     @BeanInject("attachmentSource") AttachmentSource attachments,
                                                     @BeanInject("inFlightLimit") InFlightLimit inFlight) {
        ReconciliationReport report = new ReconciliationReport(settings.reportsDir(), run, accounting, requests, json, selection);
        report.attachments(attachments::summary);
        if (run.live()) {
            report.inFlight(inFlight::summary);
        }
        return report;
    }

    @BindToRegistry(lazy = true)
    public DeadLetterWriter deadLetterWriter(@BeanInject("accounting") RunAccounting accounting,
                                             @BeanInject("sampleSelection") SampleSelection selection) {
        return new DeadLetterWriter(settings.deadLetterDir(), run, json, ledger, accounting,
                settings.token() == null ? new AccessToken("\u0000no-token\u0000") : settings.token(), selection);
    }

    /** The objects read back after delivery; a sample run reads back every object it delivered (the customer looks at each). */
    @BindToRegistry(lazy = true)
    public DeliverySample deliverySample() {
        long seed = settings.getLong("verification.seed", 42);
        return run.sampleRun() ? DeliverySample.everything(seed)
                : new DeliverySample(settings.getInt("verification.sample-size", 50), seed);
    }

    /** The read-back compares what it reads with the source records through rules of its own (not the mappers). */
    @BindToRegistry(lazy = true)
    public SourceRules sourceRules(@BeanInject("leaddeskCatalog") LeadDeskCatalog catalog) {
        return new SourceRules(mapping, clickdeskTimestamps(settings), leaddeskTimestamps(settings),
                catalog::customFieldDefinitions, id -> catalog.dispositionTaxonomy().disposition("", id),
                id -> catalog.dispositionTaxonomy().outcome(id), settings.getInt("intercom.attribute-value-max-chars", 255));
    }

    /** The intake's last step for a drop and a --once run's last steps: reference letters, read-back, handoff. */
    @BindToRegistry(lazy = true)
    public RunCompletion runCompletion(CamelContext context, @BeanInject("accounting") RunAccounting accounting,
                                       @BeanInject("reconciliationReport") ReconciliationReport report,
                                       @BeanInject("intercomClient") IntercomClient client,
                                       @BeanInject("tagRegistry") TagRegistry tags,
                                       @BeanInject("adminDirectory") AdminDirectory directory,
                                       @BeanInject("threadStates") ThreadStates threadStates,
                                       @BeanInject("deliverySample") DeliverySample sample,
                                       @BeanInject("sourceRules") SourceRules sourceRules) {
        return new RunCompletion(settings, run, ledger, accounting, report, client, tags, directory, threadStates, sample,
                sourceRules, json, context.createProducerTemplate(), gdprApplies(settings, run));
    }

    // --- intake ---

    /** What the intake read when it leaves the inbox as it is (dry-run, sample run): each file once per pass. */
    @BindToRegistry(lazy = true)
    public IdempotentRepository intakeSeen() {
        return MemoryIdempotentRepository.memoryIdempotentRepository(100_000);
    }

    @BindToRegistry(lazy = true)
    public InboxFilter inboxFilter() {
        return new InboxFilter();
    }

    @BindToRegistry(lazy = true)
    public DropOrder dropOrder() {
        return new DropOrder();
    }

    @BindToRegistry(lazy = true)
    public Intake intake(@BeanInject("accounting") RunAccounting accounting) {
        return new Intake(settings.inboxDir(), ledger, run, accounting);
    }

    @BindToRegistry(lazy = true)
    public CsvReading csvReading() {
        return new CsvReading(settings.csvOptions(), mapping);
    }

    /** EU/EEA residents bound for a US workspace whose operator did not acknowledge it: refused file by file. */
    @BindToRegistry(lazy = true)
    public GdprCheck gdprCheck(@BeanInject("csvReading") CsvReading csvReading) {
        return new GdprCheck(new GdprGuard(new ZipUnpacker(settings.zipLimits()), settings.workDir(), csvReading),
                gdprApplies(settings, run), run);
    }

    @BindToRegistry(lazy = true)
    public ShippedAttachments shippedAttachments() {
        return new ShippedAttachments(settings.inboxDir());
    }

    @BindToRegistry(lazy = true)
    public Bundles bundles(@BeanInject("accounting") RunAccounting accounting,
                           @BeanInject("shippedAttachments") ShippedAttachments shipped) {
        return new Bundles(new ZipUnpacker(settings.zipLimits()), settings.workDir(), settings.inboxDir(), run, accounting, shipped);
    }

    /** A live run reads record by record; a dry-run maps in batches ({@code intake.dry-run-batch-size}). */
    @BindToRegistry(lazy = true)
    public RecordReaders recordReaders(@BeanInject("accounting") RunAccounting accounting) {
        return new RecordReaders(mapping, accounting, settings.csvOptions(), ExportFiles.recordSpecs(),
                run.live() ? 1 : settings.getInt("intake.dry-run-batch-size", 500));
    }

    @BindToRegistry(lazy = true)
    public DefinitionFiles definitionFiles(@BeanInject("accounting") RunAccounting accounting,
                                           @BeanInject("csvReading") CsvReading csvReading) {
        return new DefinitionFiles(ledger, accounting, json, ExportFiles.definitionSpecs(), csvReading);
    }

    /** Bounded: when the queue is full the splitting thread delivers the record itself, so reading never runs ahead of delivery. */
    @BindToRegistry(lazy = true)
    public ExecutorService deliveryPool(CamelContext context) {
        int threads = deliveryThreads(settings, run);
        ThreadPoolProfile profile = new ThreadPoolProfile("delivery");
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setMaxQueueSize(threads * 4);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        return context.getExecutorServiceManager().newThreadPool(this, "delivery", profile);
    }

    @BindToRegistry(lazy = true)
    public ThreadOrder threadOrder(@BeanInject("outageGate") OutageGate outage) {
        return new ThreadOrder(run, Duration.ofSeconds(settings.getLong("delivery.order-wait-seconds", 600)), outage::down);
    }

    // --- delivery ---

    @BindToRegistry(lazy = true)
    public AttributeProvisioner attributeProvisioner(@BeanInject("intercomClient") IntercomClient client) {
        return new AttributeProvisioner(client, ledger, run);
    }

    @BindToRegistry(lazy = true)
    public TagRegistry tagRegistry(@BeanInject("intercomClient") IntercomClient client) {
        return new TagRegistry(client, ledger, run);
    }

    @BindToRegistry(lazy = true)
    public AdminDirectory adminDirectory(@BeanInject("intercomClient") IntercomClient client,
                                         @BeanInject("accounting") RunAccounting accounting) {
        return new AdminDirectory(client, accounting, mapping.teamMap());
    }

    @BindToRegistry(lazy = true)
    public ThreadSchema threadSchema(@BeanInject("intercomClient") IntercomClient client,
                                     @BeanInject("accounting") RunAccounting accounting) {
        return new ThreadSchema(client, ledger, run, accounting, settings.getInt("intercom.list-attribute-max-options", 100));
    }

    @BindToRegistry(lazy = true)
    public ContactTagBatches contactTagBatches(@BeanInject("intercomClient") IntercomClient client,
                                               @BeanInject("tagRegistry") TagRegistry tags,
                                               @BeanInject("accounting") RunAccounting accounting,
                                               @BeanInject("deadLetterWriter") DeadLetterWriter deadLetters) {
        return new ContactTagBatches(client, ledger, tags, accounting, run, deadLetters::write,
                settings.getInt("delivery.tag-batch-size", 100), deliveryThreads(settings, run));
    }

    @BindToRegistry(lazy = true)
    public ContactUpserter contactUpserter(@BeanInject("intercomClient") IntercomClient client,
                                           @BeanInject("attributeProvisioner") AttributeProvisioner attributes,
                                           @BeanInject("accounting") RunAccounting accounting,
                                           @BeanInject("deliverySample") DeliverySample sample,
                                           @BeanInject("contactTagBatches") ContactTagBatches tagBatches) {
        return new ContactUpserter(client, ledger, attributes, accounting, run, json, sample, tagBatches);
    }

    @BindToRegistry(lazy = true)
    public ThreadStates threadStates(@BeanInject("intercomClient") IntercomClient client,
                                     @BeanInject("adminDirectory") AdminDirectory directory,
                                     @BeanInject("accounting") RunAccounting accounting) {
        return new ThreadStates(client, ledger, directory, accounting, run, settings.get("migration.closing-admin-id", ""),
                deliveryThreads(settings, run));
    }

    /** Where this run's attachments come from (shipped, downloaded, to download, kept as URL). */
    @BindToRegistry(lazy = true)
    public AttachmentSource attachmentSource(@BeanInject("shippedAttachments") ShippedAttachments shipped) {
        return new AttachmentSource(shipped, settings.attachmentPolicy(),
                settings.workDir().resolve("attachments").resolve(run.runId()), !run.live());
    }

    /** Files move with the record: every message's attachments, shipped or downloaded (export-formats.md, Attachments). */
    @BindToRegistry(lazy = true)
    public ThreadDelivery threadDelivery(@BeanInject("intercomClient") IntercomClient client,
                                         @BeanInject("contactUpserter") ContactUpserter contacts,
                                         @BeanInject("adminDirectory") AdminDirectory directory,
                                         @BeanInject("threadSchema") ThreadSchema schema,
                                         @BeanInject("tagRegistry") TagRegistry tags,
                                         @BeanInject("accounting") RunAccounting accounting,
                                         @BeanInject("deliverySample") DeliverySample sample,
                                         @BeanInject("threadStates") ThreadStates threadStates,
                                         @BeanInject("attachmentSource") AttachmentSource attachments) {
        ThreadDelivery threads = new ThreadDelivery(client, ledger, contacts, directory, schema, tags, accounting, run, json,
                mapping.strict(), sample);
        threads.states(threadStates);
        threads.searchLag(settings.getLong("intercom.search-lag-ms", 120_000));
        threads.copyFilesFrom(attachments);
        return threads;
    }

    @BindToRegistry(lazy = true)
    public VoipCallDelivery voipCallDelivery(@BeanInject("threadDelivery") ThreadDelivery threads,
                                             @BeanInject("intercomClient") IntercomClient client) {
        return new VoipCallDelivery(threads, client, ledger, run,
                settings.getLong("clickdesk.voip.attach-window-minutes", 30) * 60);
    }

    @BindToRegistry(lazy = true)
    public TagDelivery tagDelivery(@BeanInject("intercomClient") IntercomClient client,
                                   @BeanInject("tagRegistry") TagRegistry tags,
                                   @BeanInject("attributeProvisioner") AttributeProvisioner attributes,
                                   @BeanInject("adminDirectory") AdminDirectory directory,
                                   @BeanInject("accounting") RunAccounting accounting) {
        return new TagDelivery(client, ledger, tags, attributes, directory, accounting, run);
    }

    // --- the two sources ---

    @BindToRegistry(lazy = true)
    public VisitorToContact visitorToContact() {
        return new VisitorToContact(mapping.clickdesk(), clickdeskTimestamps(settings),
                settings.getInt("intercom.attribute-value-max-chars", 255));
    }

    @BindToRegistry(lazy = true)
    public ClickDeskVisitors clickdeskVisitors(@BeanInject("visitorToContact") VisitorToContact visitors) {
        return new ClickDeskVisitors(visitors);
    }

    @BindToRegistry(lazy = true)
    public ClickDeskThreads clickdeskThreads(@BeanInject("visitorToContact") VisitorToContact visitors,
                                             @BeanInject("accounting") RunAccounting accounting,
                                             @BeanInject("csvReading") CsvReading csvReading) {
        Timestamps time = clickdeskTimestamps(settings);
        String ticketType = mapping.clickdesk().ticketType();
        return new ClickDeskThreads(new ChatToConversation(visitors, time),
                new TicketToThread(visitors, time, TicketRouting.of(mapping.clickdesk()), ticketType, mapping.ticketStates()),
                new TicketMessageToPart(time), new OfflineMessageToTicket(visitors, time, ticketType),
                new SocialThreadToConversation(time), new VoipCallToNote(visitors, time),
                new TagRowToApplication(mapping.clickdesk().tagAttributes()), accounting, csvReading)
                .spillingTo(settings.workDir().resolve("spill").resolve(run.runId()));
    }

    @BindToRegistry(lazy = true)
    public LeadDeskCatalog leaddeskCatalog() {
        return new LeadDeskCatalog(ledger, json, mapping);
    }

    @BindToRegistry(lazy = true)
    public LeadDeskContacts leaddeskContacts(@BeanInject("leaddeskCatalog") LeadDeskCatalog catalog,
                                             @BeanInject("accounting") RunAccounting accounting,
                                             @BeanInject("csvReading") CsvReading csvReading) {
        return new LeadDeskContacts(mapping, catalog, leaddeskTimestamps(settings), accounting, csvReading,
                settings.getInt("intercom.attribute-value-max-chars", 255));
    }

    @BindToRegistry(lazy = true)
    public LeadDeskSources leaddeskSources(@BeanInject("leaddeskCatalog") LeadDeskCatalog catalog,
                                           @BeanInject("accounting") RunAccounting accounting,
                                           @BeanInject("csvReading") CsvReading csvReading) {
        Timestamps time = leaddeskTimestamps(settings);
        return new LeadDeskSources(mapping, catalog, time, accounting, settings.getInt("intercom.list-attribute-max-options", 100),
                new ZipUnpacker(settings.zipLimits()), settings.workDir(), run.runId(),
                instantOrNull(settings.get("leaddesk.chatbot.migration-from", ""), time),
                instantOrNull(settings.get("leaddesk.chatbot.migration-to", ""), time), csvReading)
                .attributeValueMaxChars(settings.getInt("intercom.attribute-value-max-chars", 255));
    }

    // --- values several beans derive the same way ---

    private static Timestamps clickdeskTimestamps(Settings settings) {
        return new Timestamps(settings.sourceZone("clickdesk"));
    }

    private static Timestamps leaddeskTimestamps(Settings settings) {
        return new Timestamps(settings.sourceZone("leaddesk"));
    }

    /** A live run into a US-hosted workspace whose operator did not acknowledge moving EU/EEA residents there. */
    private static boolean gdprApplies(Settings settings, RunControl run) {
        return run.live() && settings.region().equals("us") && !settings.getBoolean("migration.gdpr-acknowledged", false);
    }

    /** A live run waits for the network, so its threads may all have a request out; a dry-run has no network to wait for. */
    private static int deliveryThreads(Settings settings, RunControl run) {
        return run.live() ? settings.maxInFlight()
                : Math.min(settings.getInt("delivery.concurrency", 16), Runtime.getRuntime().availableProcessors());
    }

    private static Instant instantOrNull(String text, Timestamps timestamps) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(timestamps.toEpochSeconds(text));
        } catch (IllegalArgumentException e) {
            throw MigratorExit.badConfiguration("leaddesk.chatbot.migration-from/-to: " + e.getMessage());
        }
    }
}
