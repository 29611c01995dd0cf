package io.intercommigrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.intercom.IntercomApiException;
import io.intercommigrator.attachments.AttachmentSource;
import io.intercommigrator.intake.SampleSelection;
import io.intercommigrator.intercom.AdminDirectory;
import io.intercommigrator.intercom.DryRunOutbox;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.intercom.OutageGate;
import io.intercommigrator.intercom.RequestStats;
import io.intercommigrator.intercom.ThreadStates;
import io.intercommigrator.core.OwnerOnly;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.report.DeadLetterWriter;
import io.intercommigrator.report.ReconciliationReport;
import io.intercommigrator.ledger.DryRunLedger;
import io.intercommigrator.ledger.JdbcLedger;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.observe.ProgressBars;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.MigratorExit;
import io.intercommigrator.config.Settings;
/**
 * Runs the pipeline: Camel Main with the YAML routes of {@code routes/}, the beans of {@link MigratorBeans} and
 * {@code config/application.properties}. In --once mode it ends when the inbox has nothing left to do; in service
 * mode when stopped (Ctrl-C lets in-flight records finish). A {@code --sample N} run is a --once run that reads the
 * inbox twice without moving anything: once to choose the sample, once to deliver it (see {@link #deliverSample}).
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    public enum Mode { ONCE, SERVICE }

    /** Work done with the pipeline's beans while Camel runs, instead of watching the inbox (rollback, replay). */
    @FunctionalInterface
    public interface Task {
        void run(RunBeans beans);
    }

    /** The beans the runner itself uses around the routes (report, summary, tasks), looked up by their bound names. */
    public record RunBeans(RunControl run, Ledger ledger, RunAccounting accounting, RequestStats requests, OutageGate outage,
                           ReconciliationReport report, DeadLetterWriter deadLetters, SampleSelection selection,
                           IdempotentRepository intakeSeen, AttachmentSource attachments, ThreadStates threadStates,
                           RunCompletion completion, IntercomClient client, AdminDirectory directory, DryRunOutbox outbox) {
        static RunBeans of(CamelContext context) {
            Registry r = context.getRegistry();
            return new RunBeans(r.lookupByNameAndType("runControl", RunControl.class), r.lookupByNameAndType("ledger", Ledger.class),
                    r.lookupByNameAndType("accounting", RunAccounting.class),
                    r.lookupByNameAndType("requestStats", RequestStats.class),
                    r.lookupByNameAndType("outageGate", OutageGate.class),
                    r.lookupByNameAndType("reconciliationReport", ReconciliationReport.class),
                    r.lookupByNameAndType("deadLetterWriter", DeadLetterWriter.class),
                    r.lookupByNameAndType("sampleSelection", SampleSelection.class),
                    r.lookupByNameAndType("intakeSeen", IdempotentRepository.class),
                    r.lookupByNameAndType("attachmentSource", AttachmentSource.class),
                    r.lookupByNameAndType("threadStates", ThreadStates.class),
                    r.lookupByNameAndType("runCompletion", RunCompletion.class),
                    r.lookupByNameAndType("intercomClient", IntercomClient.class),
                    r.lookupByNameAndType("adminDirectory", AdminDirectory.class),
                    r.lookupByNameAndType("dryRunOutbox", DryRunOutbox.class));
        }
    }

    private Migrator() {
    }

    /** @param sample N of {@code --sample N} (implies --once), or null */
    public static int run(Settings settings, Mode mode, Integer sample) {
        if (sample != null && sample < 1) {
            throw MigratorExit.badConfiguration("--sample needs the number of records of each kind to deliver, 1 or more (not "
                    + sample + ")");
        }
        return pipeline(settings, sample != null ? Mode.ONCE : mode, null, null, sample);
    }

    /** Runs a task (rollback, replay) against live Intercom with the run's beans, then stops. */
    public static int runTask(Settings settings, String what, Task task) {
        requireToken(settings, what);
        // rollback and replay have no dry-run: with a token they are live whatever migration.mode says
        return pipeline(settings.live(), Mode.ONCE, what, task, null);
    }

    /** Reads the live ledger before a task starts (e.g. what a rollback would undo), so a refusal starts no run. */
    public static <T> T beforeTask(Settings settings, String what, java.util.function.Function<Ledger, T> check) {
        requireToken(settings, what);
        try (Ledger ledger = openLedger(settings, true)) {
            return check.apply(ledger);
        }
    }

    private static void requireToken(Settings settings, String what) {
        if (settings.token() == null) {
            throw MigratorExit.badConfiguration(what + " talks to Intercom: set INTERCOM_ACCESS_TOKEN");
        }
    }

    private static int pipeline(Settings settings, Mode mode, String taskName, Task task, Integer sample) {
        MappingConfig mapping = MappingConfig.load(settings.configDir().resolve("mapping.yaml"));
        String runId = newRunId();
        RunControl run = new RunControl(runId, settings.mode(), sample);
        if (mode == Mode.SERVICE && task == null) {
            run.watching();
        }
        if (settings.liveRequestedWithoutToken()) {
            LOG.warn("migration.mode=live but INTERCOM_ACCESS_TOKEN is not set: this run is a dry-run and sends nothing");
        }
        if (run.live() && task == null) {
            io.intercommigrator.mapping.MapConfirmation.requireConfirmed(settings.configDir(), mapping);
            gdprGuard(settings, mapping, mode == Mode.SERVICE);
        }
        // the live bar: --once runs that read the inbox, on an interactive terminal only
        ProgressBars bars = mode == Mode.ONCE && task == null
                ? ProgressBars.detect(settings.get("migration.progress-bar", "auto")) : ProgressBars.off();
        // Ctrl-C / SIGTERM: Camel's own hook stops the routes (finishing in-flight records); this one keeps the JVM up
        // until the run below has written its report, closed its ledger run and printed its summary
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        long finishSeconds = settings.getLong("camel.main.shutdown-timeout", 30) + 30;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (!finished.await(finishSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                    System.err.println("Run " + runId + ": stopped before its report was written");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "migrator-finish"));
        try (Ledger ledger = openLedger(settings, run.live()); bars) {
            ledger.startRun(runId, task == null ? run.modeName() : taskName, mapping.checksum());
            // what exists before Camel: bound as it is; MigratorBeans builds the rest from it
            DryRunOutbox outbox = run.live() ? null
                    : new DryRunOutbox(new ObjectMapper(), settings.workDir().resolve("outbox").resolve(runId));
            Map<String, String> computed = camelProperties(settings, run);
            Main main = new Main() {
                @Override
                protected CamelContext createCamelContext() {
                    CamelContext context = super.createCamelContext();
                    // the run's placeholders are read through the same sources as Settings (Main then sees a location
                    // set and adds none of its own)
                    settings.sources().applyTo(context.getPropertiesComponent(), computed);
                    return context;
                }
            };
            main.bind("settings", settings);
            main.bind("runControl", run);
            main.bind("ledger", ledger);
            main.bind("mappingConfig", mapping);
            main.bind("progressBars", bars);
            if (outbox != null) {
                main.bind("dryRunOutbox", outbox);
            }
            main.configure().addConfiguration(new MigratorBeans());
            java.util.concurrent.atomic.AtomicReference<RunBeans> started = new java.util.concurrent.atomic.AtomicReference<>();
            main.configure().withRoutesIncludePattern(routesIncludePattern(settings));
            boolean reloadRoutes = mode == Mode.SERVICE && settings.getBoolean("migration.routes-reload", true);
            if (reloadRoutes) {
                // only the changed file's routes are replaced: the others, the intake included, keep running
                main.configure().withRoutesReloadEnabled(true).withRoutesReloadDirectory(routesDir(settings).toString())
                        .withRoutesReloadPattern("*.camel.yaml").withRoutesReloadRemoveAllRoutes(false);
            }
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport support) {
                    // before the routes create their endpoints: every HTTP pool checks a long-idle connection before reuse
                    support.getCamelContext().addLifecycleStrategy(new io.intercommigrator.intercom.StaleConnectionCheck());
                    support.getCamelContext().getEndpoints().forEach(io.intercommigrator.intercom.StaleConnectionCheck::apply);
                    started.set(RunBeans.of(support.getCamelContext()));
                    if (reloadRoutes) {
                        support.getCamelContext().getManagementStrategy().addEventNotifier(new IntakeReopener(run));
                    }
                }

                @Override
                public void afterStart(BaseMainSupport support) {
                    if (task == null) {
                        startIntake(support, run);
                        return;
                    }
                    Thread worker = new Thread(() -> {
                        try {
                            task.run(started.get());
                        } catch (RunControl.RunAbortedException e) {
                            // already logged once by the run control
                        } catch (MigratorExit e) {
                            run.abort(e.code(), e.getMessage()); // a refusal with its one-line reason, no stack trace
                        } catch (RuntimeException e) {
                            LOG.error("{} failed: {}", run.runId(), e.getMessage(), e);
                            run.abort(ExitCode.FAILED, e.getMessage());
                        } finally {
                            run.taskDone();
                        }
                    }, "migrator-task");
                    worker.start();
                }
            });
            LOG.info("Run {} ({}{}) on {} → {}", runId, run.modeName(),
                    run.sampleRun() ? ", sample of " + run.samplePerKind() + " per kind" : "", settings.inboxDir(),
                    run.live() ? settings.baseUrl() : settings.workDir().resolve("outbox").resolve(runId));
            if (mode == Mode.ONCE && task == null) {
                run.expectFiles(filesIn(settings.inboxDir()));
            }
            if (mode == Mode.ONCE) {
                bars.install();
                Thread camel = new Thread(() -> runMain(main, run), "camel-main");
                camel.start();
                awaitQuietly(run);
                if (run.sampleRun() && run.aborted() == null) {
                    deliverSample(main, started.get(), run, settings);
                }
                if (run.aborted() == null && task == null) {
                    RunCompletion completion = started.get().completion();
                    if (run.live() && !run.sampleRun()) { // a sample delivers only what it chose
                        // records that waited for something a later file brought (a tag before its contact) go now
                        io.intercommigrator.replay.Replay replay = completion.replay();
                        replay.replay(replay.allFiles(), "reference");
                    }
                    started.get().threadStates().settleDeferred(); // what the replay appended to a closed conversation: closed again
                    completion.writeHandoff(); // while Camel still runs: matching admins and teams needs Intercom
                    completion.verify(); // read-back verification, also while Camel runs (its GETs go through the governor)
                }
                main.completed();
                joinQuietly(camel);
                bars.close(); // the summary below is printed as it is
            } else {
                runMain(main, run);
            }
            RunBeans beans = started.get();
            if (beans == null) { // Camel did not get as far as its beans: nothing ran, nothing to report
                ledger.finishRun(runId, "STOPPED");
                RunControl.RunAbortedException aborted = run.aborted();
                System.err.println("Run " + runId + " STOPPED: " + (aborted == null ? "Camel did not start" : aborted.getMessage()));
                return aborted == null ? ExitCode.FAILED : aborted.exitCode();
            }
            Path report = beans.report().write(true);
            if (outbox != null) {
                outbox.close();
            }
            beans.deadLetters().close();
            RunControl.RunAbortedException aborted = run.aborted();
            ledger.finishRun(runId, aborted == null ? "FINISHED" : "STOPPED");
            printSummary(beans, report, run);
            return aborted == null ? ExitCode.OK : aborted.exitCode();
        } finally {
            finished.countDown();
        }
    }

    /**
     * A sample run's second pass. The first pass (the intake as in any run, every record mapped and offered to the
     * {@link io.intercommigrator.intake.SampleSelection}, nothing delivered, no file moved) has ended; now the intake
     * reads the same files again and the record routes deliver what was chosen. The counts of the first pass are
     * dropped: the report counts what this pass does. Deliveries go through the normal path (ledger, journal), so
     * a sample killed half-way leaves nothing a later run would duplicate.
     */
    private static void deliverSample(Main main, RunBeans beans, RunControl run, Settings settings) {
        CamelContext context = main.getCamelContext();
        try {
            context.getRouteController().stopRoute("intake");
            beans.selection().startDelivering();
            beans.accounting().reset();
            beans.intakeSeen().clear();
            run.startPass(filesIn(settings.inboxDir()));
            context.getRouteController().startRoute("intake");
        } catch (Exception e) {
            run.abort(ExitCode.FAILED, "the sample could not start its delivery pass: " + e.getMessage());
            return;
        }
        awaitQuietly(run);
    }

    /**
     * A live run into a US workspace stops before delivering when the inbox holds EU/EEA residents (unless acknowledged).
     * A service checks each file as it picks it up instead ({@link io.intercommigrator.intake.GdprCheck}, which every
     * run also applies to files dropped after it started), so one such file does not keep it from starting.
     */
    private static void gdprGuard(Settings settings, MappingConfig mapping, boolean service) {
        if (!settings.region().equals("us") || settings.getBoolean("migration.gdpr-acknowledged", false)) {
            return;
        }
        boolean declared = settings.getBoolean("migration.eu-resident-contacts", false);
        if (service && !declared) {
            return;
        }
        java.util.Optional<io.intercommigrator.intake.GdprGuard.Finding> found = declared ? java.util.Optional.empty()
                : new io.intercommigrator.intake.GdprGuard(new io.intercommigrator.intake.ZipUnpacker(
                        settings.zipLimits()), settings.workDir(), new io.intercommigrator.intake.CsvReading(settings.csvOptions(),
                        mapping)).scan(settings.inboxDir());
        if (declared || found.isPresent()) {
            String what = declared ? "the operator declared the contacts EU-resident (migration.eu-resident-contacts=true)"
                    : found.get().count() + " contact(s) look EU/EEA-resident (first: country " + found.get().country() + " in "
                    + found.get().where() + ")";
            throw MigratorExit.refused(io.intercommigrator.intake.GdprGuard.refusal(what) + " Nothing was delivered.");
        }
    }

    /** The files a --once run must handle before it may end (what the intake route would pick up). */
    private static List<String> filesIn(Path inbox) {
        if (!java.nio.file.Files.isDirectory(inbox)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(inbox)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .filter(p -> { // same rule as the intake's InboxFilter: no dot folders, dot-files or error notes
                        for (Path part : inbox.relativize(p)) {
                            if (part.toString().startsWith(".") || part.toString().startsWith("__MACOSX")) {
                                return false;
                            }
                        }
                        String name = p.getFileName().toString();
                        // a .camelLock is the read lock a killed run left behind: the intake deletes it, never reads it
                        return !name.endsWith(".error.txt") && !name.endsWith(".camelLock");
                    })
                    .map(p -> inbox.relativize(p).toString().replace('\\', '/')).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void runMain(Main main, RunControl run) {
        try {
            main.run();
        } catch (Exception e) {
            run.abort(ExitCode.FAILED, "the pipeline could not start: " + e.getMessage());
        }
    }

    /**
     * After Camel started, opens the inbox. The token is not checked up front: a run with nothing new to do sends no
     * request at all, and the first request a bad token makes stops the run with one message.
     */
    private static void startIntake(BaseMainSupport support, RunControl run) {
        try {
            support.getCamelContext().getRouteController().startRoute("intake");
        } catch (Exception e) {
            run.abort(ExitCode.FAILED, "could not start: " + e.getMessage());
        }
    }

    /**
     * A reloaded routes/intake.camel.yaml brings its intake route back stopped ({@code autoStartup: false}); it is
     * started again the way the first one was, once Camel runs.
     */
    private static final class IntakeReopener extends EventNotifierSupport {
        private final RunControl run;

        IntakeReopener(RunControl run) {
            this.run = run;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.RouteReloadedEvent reloaded && "intake".equals(reloaded.getRoute().getRouteId());
        }

        @Override
        public void notify(CamelEvent event) throws Exception {
            CamelContext context = ((CamelEvent.RouteReloadedEvent) event).getRoute().getCamelContext();
            if (run.aborted() == null && !context.getRouteController().getRouteStatus("intake").isStarted()) {
                LOG.info("routes/intake.camel.yaml reloaded: the inbox is watched by the new intake route");
                context.getRouteController().startRoute("intake");
            }
        }
    }

    private static Path routesDir(Settings settings) {
        return settings.home().resolve("routes").toAbsolutePath().normalize();
    }

    /** camel.main.routes-include-pattern with a relative file: path resolved against the run's home folder. */
    private static String routesIncludePattern(Settings settings) {
        String configured = settings.get("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        if (!configured.startsWith("file:") || Path.of(configured.substring(5)).isAbsolute()) {
            return configured;
        }
        return "file:" + settings.home().toAbsolutePath().normalize().resolve(configured.substring(5));
    }

    private static Ledger openLedger(Settings settings, boolean live) {
        if (!live) {
            return new DryRunLedger();
        }
        Path file = settings.workDir().resolve("ledger").toAbsolutePath();
        try {
            // the ledger holds PII (emails, external ids, the before-image of every contact it updated): its folder is
            // the owner's before H2 creates a file in it with the default mode, and its files are tightened after
            OwnerOnly.createDirectories(file.getParent());
            JdbcLedger ledger = JdbcLedger.open(settings.get("ledger.jdbc-url", "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE"),
                    settings.maxInFlight() + 8);
            for (String suffix : List.of(".mv.db", ".trace.db")) {
                OwnerOnly.restrictFile(file.resolveSibling(file.getFileName() + suffix));
            }
            return ledger;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values the run derives from the settings, for the routes' placeholders (above every configured source). */
    private static Map<String, String> camelProperties(Settings settings, RunControl run) {
        Map<String, String> props = new HashMap<>();
        props.put("camel.main.routes-include-pattern", routesIncludePattern(settings));
        props.put("migrator.inbox", settings.inboxDir().toAbsolutePath().toString());
        props.put("migrator.base-url", settings.baseUrl().toString());
        props.put("migrator.dry-run", String.valueOf(!run.live()));
        props.put("migrator.keep-inbox", String.valueOf(!run.touchesInbox()));
        props.put("migrator.run-id", run.runId());
        // fewer connections than requests in flight would make the pool the limit, not the quota
        props.put("delivery.http-connections", String.valueOf(Math.max(settings.getInt("delivery.http-connections", 256),
                settings.maxInFlight())));
        return props;
    }

    private static void printSummary(RunBeans beans, Path report, RunControl run) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("Run %s (%s) finished.%n", run.runId(), run.modeName()));
        if (run.sampleRun()) {
            io.intercommigrator.intake.SampleSelection selection = beans.selection();
            s.append(String.format(run.live()
                    ? "  SAMPLE of %d per kind: only these records were delivered; the inbox was left as it was for the full run "
                            + "(--once), which counts them as unchanged.%n"
                    : "  SAMPLE of %d per kind (dry-run): only these records were planned; the inbox was left as it was.%n",
                    run.samplePerKind()));
            selection.chosenPerKind().forEach((kind, n) -> s.append(String.format("    %-32s %d of %d%n", kind, n[0], n[1])));
            if (selection.referencedContacts() > 0) {
                s.append(String.format("    + %d contact(s) the chosen conversations and tickets belong to (from their contacts "
                        + "file when it holds them, else from the thread)%n", selection.referencedContacts()));
            }
            Map<String, Long> leftOut = beans.accounting().leftOut();
            if (!leftOut.isEmpty()) {
                s.append("  left for the full run: ").append(leftOut).append(System.lineSeparator());
            }
        }
        beans.accounting().snapshot().forEach((type, c) -> {
            if (c.get("source") > 0) {
                s.append(String.format("  %-18s source %d: created %d, updated %d, unchanged %d, skipped %d, dead-lettered %d%n",
                        type, c.get("source"), c.get("created"), c.get("updated"), c.get("unchanged"), c.get("skipped"),
                        c.get("dead_lettered")));
            }
        });
        Map<String, Long> files = beans.attachments() == null ? Map.of() : beans.attachments().summary();
        if (files.values().stream().anyMatch(n -> n > 0)) {
            s.append(String.format("  attachments: %d shipped (%d bytes), %d downloaded (%d bytes), %d to download, %d kept as URL%n",
                    files.get("shipped"), files.get("shipped_bytes"), files.get("downloaded"), files.get("downloaded_bytes"),
                    files.get("to_download"), files.get("kept_as_url")));
        }
        if (beans.outbox() != null) {
            s.append(String.format("  dry-run: %d planned requests in %s (nothing sent)%n", beans.outbox().planned(),
                    beans.outbox().file()));
        } else {
            s.append(String.format("  requests: %d sent, %d rate-limited, %d retried%n", beans.requests().sent(),
                    beans.requests().rateLimitedCount(), beans.requests().retriedCount()));
            if (beans.outage().outages() > 0) {
                s.append(String.format("  outages: %d (delivery paused %d s in those that ended), %d probe(s) of GET /me%n",
                        beans.outage().outages(), beans.outage().downMillis() / 1000, beans.outage().probes()));
            }
        }
        com.fasterxml.jackson.databind.JsonNode v = beans.report().verification();
        if (v != null && v.path("sampled").asInt() > 0) {
            s.append(String.format("  verification: %d of %d sampled objects read back as sent, %d mismatching field(s)%n",
                    v.path("matched").asInt(), v.path("sampled").asInt(), v.path("mismatches").size()));
        }
        s.append("  report: ").append(report).append(System.lineSeparator());
        if (run.aborted() != null) {
            s.append("  STOPPED: ").append(run.aborted().getMessage()).append(System.lineSeparator());
        }
        System.out.print(s);
        System.out.flush();
    }

    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    private static void awaitQuietly(RunControl run) {
        try {
            while (!run.awaitFinished(1, TimeUnit.SECONDS)) {
                // keep waiting: the intake signals when the inbox has nothing left
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
