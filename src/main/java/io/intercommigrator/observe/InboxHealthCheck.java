package io.intercommigrator.observe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: the inbox exists and the run can move handled files out of it (a dry-run only reads it). */
public final class InboxHealthCheck extends AbstractHealthCheck {
    private final Path inbox;
    private final boolean movesFiles;

    public InboxHealthCheck(Path inbox, boolean movesFiles) {
        super("migrator", "migrator-inbox");
        this.inbox = inbox;
        this.movesFiles = movesFiles;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("inbox", inbox.toString());
        if (!Files.isDirectory(inbox)) {
            builder.down().message("inbox " + inbox + " is not a folder");
        } else if (movesFiles && !Files.isWritable(inbox)) {
            builder.down().message("inbox " + inbox + " is not writable: handled files could not be moved to .done/");
        } else if (!Files.isReadable(inbox)) {
            builder.down().message("inbox " + inbox + " is not readable");
        } else {
            builder.up();
        }
    }
}
