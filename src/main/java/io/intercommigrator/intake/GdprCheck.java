package io.intercommigrator.intake;

import java.nio.file.Path;

import org.apache.camel.Exchange;

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.RunControl;

/**
 * The GDPR guard for each file, whenever it arrives (issue 16): the intake runs it before any record of the file moves.
 * A file with EU/EEA residents bound for a US workspace is refused with the reason: in service mode it goes to
 * {@code inbox/.failed/} with its {@code .error.txt} and the service keeps watching; a --once or --sample run stops
 * (exit 3) and leaves the file where it is. Off when the workspace is not US-hosted or the operator acknowledged it.
 */
public final class GdprCheck {
    private final GdprGuard guard;
    private final boolean applies;
    private final RunControl run;

    /** @param applies a live run into a US workspace without {@code migration.gdpr-acknowledged} */
    public GdprCheck(GdprGuard guard, boolean applies, RunControl run) {
        this.guard = guard;
        this.applies = applies;
        this.run = run;
    }

    /** Route step (intake, before the file's kind route). */
    public void check(Exchange exchange) {
        if (!applies || !run.live()) {
            return;
        }
        Path file = exchange.getMessage().getBody(Path.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        guard.scanFile(file, name).ifPresent(found -> {
            String reason = name + ": " + GdprGuard.refusal(found.count() + " contact(s) look EU/EEA-resident (first: country "
                    + found.country() + " in " + found.where() + ")") + " Nothing of this file was delivered.";
            if (run.service()) {
                throw new InputRefusedException(reason); // to .failed/ with its .error.txt; the service goes on
            }
            run.abort(ExitCode.REFUSED, reason);
            run.checkRunning();
        });
    }
}
