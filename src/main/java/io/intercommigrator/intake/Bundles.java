package io.intercommigrator.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.core.RunAccounting;

/**
 * Unpacks a bundle ZIP under {@code work/unpacked/} with the {@link ZipUnpacker} guards, and hands its files on
 * in phase order, each as if it had been dropped alone. Entries that match no known name are copied to
 * {@code inbox/.unrecognized/<bundle>/} (live) and listed, never dropped silently.
 */
public final class Bundles {
    private static final Logger LOG = LoggerFactory.getLogger(Bundles.class);
    /** Exchange property: the folder a bundle was unpacked to (removed with it when the bundle is done). */
    static final String FOLDER = "bundleFolder";

    /** One file of a bundle, ready for its kind's route. */
    public record Entry(Path file, String name, DropKind kind) {
    }

    private final ZipUnpacker unpacker;
    private final Path workRoot;
    private final Path inbox;
    private final RunControl run;
    private final RunAccounting accounting;
    private final io.intercommigrator.attachments.ShippedAttachments shipped;

    public Bundles(ZipUnpacker unpacker, Path workRoot, Path inbox, RunControl run, RunAccounting accounting) {
        this(unpacker, workRoot, inbox, run, accounting, null);
    }

    /** {@code shipped}: learns of each bundle's attachments/ folders while the bundle is handled (may be null). */
    public Bundles(ZipUnpacker unpacker, Path workRoot, Path inbox, RunControl run, RunAccounting accounting,
                   io.intercommigrator.attachments.ShippedAttachments shipped) {
        this.shipped = shipped;
        this.unpacker = unpacker;
        this.workRoot = workRoot;
        this.inbox = inbox;
        this.run = run;
        this.accounting = accounting;
    }

    public List<Entry> unpack(Exchange exchange) {
        Path zip = exchange.getMessage().getBody(Path.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        String sha = exchange.getProperty(Intake.SHA, String.class);
        Path target = workRoot.resolve("unpacked").resolve(run.runId()).resolve(sha == null ? "bundle" : sha.substring(0, 16));
        String bundleSystem = DropClassifier.systemFromFolders(name);
        List<Entry> entries = new ArrayList<>();
        for (UnpackedEntry e : unpacker.unpack(zip, target, name)) {
            String display = name + "!" + e.entryName();
            if (io.intercommigrator.attachments.ShippedAttachments.isShippedFile(e.entryName())) {
                continue; // a file the export ships for its messages' attachment URLs, not an export of its own
            }
            Optional<DropKind> kind = DropClassifier.classify(e.entryName(), e.file(), bundleSystem);
            if (kind.isEmpty() || kind.get() == DropKind.BUNDLE) {
                LOG.warn("{}: not a file name this migrator knows; kept in inbox/.unrecognized/", display);
                accounting.queue("unrecognised file", display, "entry matches no known export name");
                keepAside(e.file(), name, e.entryName());
            } else {
                entries.add(new Entry(e.file(), display, kind.get()));
            }
        }
        entries.sort(Comparator.comparingInt((Entry e) -> e.kind().phase()).thenComparing(Entry::name));
        LOG.info("{}: {} file(s) to migrate, in phase order {}", name, entries.size(), entries.stream().map(Entry::name).toList());
        exchange.setProperty(FOLDER, target);
        if (shipped != null) {
            shipped.register(target);
        }
        return entries;
    }

    /** Sets the entry up as the exchange's file, the way the intake route sets a dropped file up. */
    public void select(Exchange exchange) {
        Entry entry = exchange.getMessage().getBody(Entry.class);
        exchange.setProperty(Intake.KIND, entry.kind());
        exchange.setProperty(Intake.ROUTE, entry.kind().route());
        exchange.setProperty(Intake.NAME, entry.name());
        exchange.getMessage().setBody(entry.file());
    }

    /** One file of the bundle was refused whole: listed (and, live, kept in .failed/) while the others move on. */
    public void refuseEntry(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        String reason = cause instanceof InputRefusedException ? cause.getMessage() : name + ": " + cause;
        LOG.error("Refused {}: {}", name, reason);
        accounting.queue("refused file", name, reason);
        if (run.touchesInbox()) {
            try {
                Path target = inbox.resolve(".failed").resolve(name.replace('!', '/'));
                Files.createDirectories(target.getParent());
                Files.copy(exchange.getMessage().getBody(Path.class), target, StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(target.resolveSibling(target.getFileName() + ".error.txt"), reason + System.lineSeparator());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Removes the unpacked copy once the bundle has been handled. */
    public void cleanUp(Exchange exchange) {
        Path folder = exchange.getProperty(FOLDER, Path.class);
        if (shipped != null) {
            shipped.forget(folder);
        }
        try {
            Folders.deleteTree(folder);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", folder, e.getMessage());
        }
    }

    private void keepAside(Path file, String bundleName, String entryName) {
        if (!run.touchesInbox()) {
            return;
        }
        try {
            Path target = inbox.resolve(".unrecognized").resolve(bundleName).resolve(entryName);
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
