package io.intercommigrator;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.ProducerTemplate;
import org.slf4j.LoggerFactory;

import io.intercommigrator.config.Settings;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.AdminDirectory;
import io.intercommigrator.intercom.DeliverySample;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.intercom.TagRegistry;
import io.intercommigrator.intercom.ThreadStates;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.replay.Replay;
import io.intercommigrator.report.ReconciliationReport;
import io.intercommigrator.report.handoff.HandoffWriter;
import io.intercommigrator.verify.SourceRules;
import io.intercommigrator.verify.Verifier;

/**
 * The last steps of a drop (route step {@code runCompletion.finishDrop}) and of a --once run: reference letters
 * retried, the deliveries sampled and read back, the handoff documents written.
 */
public final class RunCompletion {
    private final Settings settings;
    private final RunControl run;
    private final Ledger ledger;
    private final RunAccounting accounting;
    private final ReconciliationReport report;
    private final IntercomClient client;
    private final TagRegistry tags;
    private final AdminDirectory directory;
    private final ThreadStates threadStates;
    private final DeliverySample sample;
    private final SourceRules sourceRules;
    private final ObjectMapper json;
    private final ProducerTemplate replayTemplate;
    private final boolean gdprApplies;

    RunCompletion(Settings settings, RunControl run, Ledger ledger, RunAccounting accounting, ReconciliationReport report,
                  IntercomClient client, TagRegistry tags, AdminDirectory directory, ThreadStates threadStates,
                  DeliverySample sample, SourceRules sourceRules, ObjectMapper json, ProducerTemplate replayTemplate,
                  boolean gdprApplies) {
        this.settings = settings;
        this.run = run;
        this.ledger = ledger;
        this.accounting = accounting;
        this.report = report;
        this.client = client;
        this.tags = tags;
        this.directory = directory;
        this.threadStates = threadStates;
        this.sample = sample;
        this.sourceRules = sourceRules;
        this.json = json;
        this.replayTemplate = replayTemplate;
        this.gdprApplies = gdprApplies;
    }

    /** Re-delivery of dead letters through the record routes of this run. */
    public Replay replay() {
        return new Replay(replayTemplate, ledger, accounting, settings.deadLetterDir(), run.runId(), settings.inboxDir())
                .guardingGdpr(gdprApplies);
    }

    /**
     * The intake's last step for a drop (the files of one poll), before the report is written. A live service ends
     * each drop as a --once run ends: reference letters retried (a tag whose contact this drop brought), the drop's
     * deliveries sampled and read back; then, in every run, the handoff documents.
     */
    public void finishDrop() {
        if (run.service() && run.live() && run.aborted() == null) {
            Replay replay = replay();
            replay.replay(replay.allFiles(true), "reference");
            threadStates.settleDeferred(); // closed after the parts the replay appended, once
            verify();
            sample.clear(); // the next drop reads back its own deliveries
        } else if (run.service()) {
            threadStates.settleDeferred();
        }
        // a --once run settles them after its end-of-run replay (Migrator): closing them here as well would close a
        // conversation, then re-open it with the replayed contact replies and close it again (two close parts)
        writeHandoff();
    }

    /** Writes the handoff documents of this run under reports/<run-id>/handoff/. */
    public void writeHandoff() {
        new HandoffWriter(ledger, accounting, new HandoffWriter.Directory() {
            @Override
            public Optional<String> adminId(String email) {
                return directory.adminId(email, null);
            }

            @Override
            public Optional<String> teamId(String name) {
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
            report.verification(Verifier.notRun(json, "dry-run: nothing to read back"));
            return;
        }
        try {
            report.verification(new Verifier(client, tags, json, sourceRules)
                    .readingAtOnce(settings.getInt("delivery.concurrency", 16)).verify(sample));
        } catch (RuntimeException e) { // what was delivered stays delivered and reported: the check alone failed
            LoggerFactory.getLogger(RunCompletion.class).error("read-back verification failed: {}", e.getMessage(), e);
            report.verification(Verifier.notRun(json, "verification failed: " + e.getMessage()));
        }
    }
}
