package io.intercommigrator.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

import java.util.HexFormat;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.core.RunAccounting;

/**
 * The intake route's steps for one dropped file: classify it, fingerprint it, decide where it moves when done
 * ({@code .done/<run-id>/}, {@code .unrecognized/}, {@code .failed/} with a {@code .error.txt}). A dry-run and a
 * sample run leave the inbox exactly as it was.
 */
public final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    public static final String KIND = "intakeKind";
    public static final String NAME = "intakeName";
    public static final String SHA = "intakeSha";
    public static final String MOVE_TO = "intakeMoveTo";
    public static final String ROUTE = "intakeRoute";
    private static final String STARTED = "intakeStartedNanos";
    private static final String READ_BEFORE = "intakeReadBefore";

    private final Path inbox;
    private final Ledger ledger;
    private final RunControl run;
    private final RunAccounting accounting;

    public Intake(Path inbox, Ledger ledger, RunControl run, RunAccounting accounting) {
        this.inbox = inbox;
        this.ledger = ledger;
        this.run = run;
        this.accounting = accounting;
    }

    /**
     * First step of a batch of records (a copy of the file's exchange, made by the file route's split): drops the
     * file's headers and the properties of the file itself (its name and kind, where it moves, its fingerprint, timing,
     * the read lock's, a bundle's folder), keeping only what a preparation step set for its records (a LeadDesk
     * mapper). Each record's exchange is a copy of the batch's, so every property left here is copied once per record;
     * a record knows its file, line and kind itself ({@link io.intercommigrator.mapping.WorkItem}).
     */
    public void forRecords(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getProperties().keySet().removeIf(k -> k.startsWith("intake") || k.equals(Bundles.FOLDER)
                || k.contains("CamelFileLock"));
    }

    /** Classifies the file and sets where it goes when it has been handled. */
    public void accept(Exchange exchange) {
        Path file = exchange.getMessage().getBody(java.io.File.class).toPath();
        String relative = inbox.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
        exchange.setProperty(NAME, relative);
        exchange.setProperty(MOVE_TO, inbox.resolve(".done").resolve(run.runId()).resolve(relative).toString());
        Optional<DropKind> kind = DropClassifier.classify(relative, file, null);
        kind.ifPresent(k -> {
            exchange.setProperty(KIND, k);
            exchange.setProperty(ROUTE, k.route());
        });
        exchange.setProperty(SHA, sha256(file));
        exchange.setProperty(STARTED, System.nanoTime());
        exchange.setProperty(READ_BEFORE, accounting.rowsRead());
        exchange.getMessage().setBody(file);
        LOG.info("Picked up {} ({})", relative, kind.map(k -> k == DropKind.BUNDLE ? "bundle" : k.system() + " " + k.baseName())
                .orElse("unrecognised"));
    }

    public void unrecognized(Exchange exchange) {
        String name = exchange.getProperty(NAME, String.class);
        LOG.warn("{}: not a file name this migrator knows (see export-formats.md); moved to {}/.unrecognized/, not deleted",
                name, inbox.getFileName());
        accounting.queue("unrecognised file", name, "file name matches no known export; moved to inbox/.unrecognized/");
        exchange.setProperty(MOVE_TO, inbox.resolve(".unrecognized").resolve(name).toString());
    }

    /** True when the same content was already handled (by this run or an earlier one). */
    public boolean alreadyHandled(Exchange exchange) {
        Optional<String> seen = ledger.fileSeen(exchange.getProperty(SHA, String.class));
        seen.ifPresent(where -> LOG.info("{}: identical to {} (same SHA-256); skipped, nothing sent",
                exchange.getProperty(NAME, String.class), where));
        return seen.isPresent();
    }

    public void handled(Exchange exchange) {
        if (!run.sampleRun()) { // a sample delivered only part of the file: the full run must not take it for done
            ledger.rememberFile(exchange.getProperty(SHA, String.class), exchange.getProperty(NAME, String.class), run.runId());
        }
        long records = accounting.rowsRead() - exchange.getProperty(READ_BEFORE, 0L, Long.class);
        double seconds = (System.nanoTime() - exchange.getProperty(STARTED, System.nanoTime(), Long.class)) / 1e9;
        LOG.info("{}: {} records in {} s ({} records/s)", exchange.getProperty(NAME, String.class), records,
                String.format(java.util.Locale.ROOT, "%.2f", seconds),
                String.format(java.util.Locale.ROOT, "%.0f", records / Math.max(seconds, 1e-9)));
    }

    /** The whole file was refused: it moves to .failed/ with a note saying why, and its content may be dropped again. */
    public void refuse(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String name = exchange.getProperty(NAME, String.class);
        String reason = cause instanceof InputRefusedException ? cause.getMessage()
                : name + ": refused after an unexpected error: " + cause;
        LOG.error("Refused {}: {}", name, reason);
        accounting.queue("refused file", name, reason);
        String sha = exchange.getProperty(SHA, String.class);
        if (sha != null) {
            ledger.forgetFile(sha);
        }
        run.fileDone(exchange);
        Path target = inbox.resolve(".failed").resolve(name == null ? "unknown" : name);
        exchange.setProperty(MOVE_TO, target.toString());
        writeNote(target.resolveSibling(target.getFileName() + ".error.txt"), reason);
    }

    private void writeNote(Path note, String reason) {
        if (!run.touchesInbox()) {
            return; // a dry-run or a sample run leaves the inbox as it was
        }
        try {
            Files.createDirectories(note.getParent());
            Files.writeString(note, reason + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) {
        MessageDigest sha = io.intercommigrator.ledger.ContentHash.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream()); // reading is hashing
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
