package io.intercommigrator;

import java.nio.file.Path;
import java.util.List;

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.MigratorExit;
import io.intercommigrator.config.Settings;
import io.intercommigrator.config.ConfigSources;
/** The operator commands beside the run itself (operator-contract.md). */
final class Commands {
    private Commands() {
    }

    static int plan(Settings settings) {
        Path mappingFile = settings.configDir().resolve("mapping.yaml");
        io.intercommigrator.plan.Planner planner = new io.intercommigrator.plan.Planner(settings.inboxDir(), settings.workDir(),
                mappingFile, io.intercommigrator.mapping.MappingConfig.load(mappingFile), settings.sourceZone("clickdesk"),
                settings.sourceZone("leaddesk"), settings.getInt("intercom.rate-limit-per-minute", 1000),
                settings.getInt("delivery.tag-batch-size", 100), settings.zipLimits(), settings.csvOptions());
        io.intercommigrator.plan.PlanResult result = planner.plan();
        planner.writeProposal(result);
        System.out.print(io.intercommigrator.plan.Planner.render(result));
        System.out.println("Proposed field map: " + settings.configDir().resolve("mapping.proposed.yaml")
                + " (review it, then run `confirm`)");
        return ExitCode.OK;
    }

    static int confirm(Settings settings) {
        String checksum = io.intercommigrator.mapping.MapConfirmation.confirm(settings.configDir());
        System.out.println("Field map confirmed: config/mapping.yaml, checksum " + checksum);
        return ExitCode.OK;
    }

    static int rollback(Settings settings, String runId) {
        String target = Migrator.beforeTask(settings, "rollback", ledger -> rollbackTarget(ledger, runId));
        if (target == null) {
            return ExitCode.OK; // nothing left to undo: the workspace already is as before
        }
        return Migrator.runTask(settings, "rollback", beans -> {
            Path report = new io.intercommigrator.rollback.Rollback(beans.client(), beans.ledger(), beans.directory(),
                    beans.run()).undo(target, beans.report().folder());
            System.out.println("Rolled back run " + target + "; report: " + report);
        });
    }

    /**
     * The run {@code rollback [RUN_ID]} undoes. An unknown id is a bad argument (exit 2); nothing left to undo says so
     * in one line and returns null (exit 0: there is nothing to do, as after a rollback that already ran).
     */
    private static String rollbackTarget(io.intercommigrator.ledger.Ledger ledger, String runId) {
        if (runId == null) {
            java.util.Optional<String> newest = ledger.newestRunToUndo("live");
            if (newest.isEmpty()) {
                System.out.println("Nothing to roll back: no live run in the ledger has writes left to undo");
            }
            return newest.orElse(null);
        }
        if (ledger.runMode(runId).isEmpty()) {
            throw MigratorExit.badConfiguration("rollback " + runId + ": no run " + runId + " in the ledger (run ids are the "
                    + "folder names under reports/; a dry-run sends nothing, so it has nothing to undo)");
        }
        if (ledger.journalOf(runId).isEmpty()) {
            System.out.println("Nothing to roll back: run " + runId + " has no journaled writes to undo");
            return null;
        }
        return runId;
    }

    /**
     * Every effective key with its value and origin, one per line ({@code key = value  (origin)}), then the token's
     * presence (never its value). Unknown keys are warned about as by every command, and listed with their origin; a
     * value a run would refuse is reported after the listing (exit 2).
     */
    static int config(Path home, java.util.Map<String, String> overrides, java.util.Map<String, String> env) {
        Settings settings = Settings.open(home, overrides, env);
        List<ConfigSources.UnknownKey> unknown = settings.unknownKeys();
        unknown.forEach(u -> org.slf4j.LoggerFactory.getLogger(Settings.class).warn(u.warning()));
        StringBuilder out = new StringBuilder();
        out.append("Configuration of ").append(home).append(" (highest first: command line -D, JVM -D, environment, ")
                .append(ConfigSources.FILE).append(")").append(System.lineSeparator());
        for (String key : settings.effectiveKeys()) {
            Settings.Effective e = settings.effective(key);
            boolean unknownKey = unknown.stream().anyMatch(u -> u.key().equals(key));
            out.append(key).append(" = ").append(e.value() == null ? "" : e.value()).append("  (").append(e.origin().label())
                    .append(unknownKey ? ", unknown key" : "").append(")").append(System.lineSeparator());
        }
        for (ConfigSources.UnknownKey u : unknown) {
            if (u.origin() == ConfigSources.Origin.ENVIRONMENT) {
                out.append(u.key()).append(" = ").append(env.get(u.key()).trim()).append("  (environment, unknown key)")
                        .append(System.lineSeparator());
            }
        }
        out.append(ConfigSources.TOKEN_VARIABLE).append(" = ").append(settings.token() == null
                ? "(not set: every run is a dry-run)" : "********  (environment)").append(System.lineSeparator());
        System.out.print(out);
        System.out.flush();
        settings.validate();
        return ExitCode.OK;
    }

    static int replay(Settings settings, List<Path> files) {
        return Migrator.runTask(settings, "replay", beans -> {
            io.intercommigrator.replay.Replay replay = beans.completion().replay();
            io.intercommigrator.replay.Replay.Outcome outcome = replay.replay(files.isEmpty() ? replay.allFiles()
                    : files.stream().map(Path::toAbsolutePath).toList(), null);
            System.out.printf("Replay: %d delivered, %d failed again, %d already handled, %d pending%n", outcome.replayed(),
                    outcome.failedAgain(), outcome.alreadyHandled(), outcome.pending().size());
            outcome.pending().forEach(p -> System.out.println("  pending: " + p));
            long refused = outcome.pending().stream().filter(p -> p.contains("GDPR guard: ")).count();
            if (refused > 0) {
                throw MigratorExit.refused("GDPR guard: " + refused + " dead letter(s) not replayed: their contacts look "
                        + "EU/EEA-resident and intercom.region=us (see the pending lines above)");
            }
        });
    }
}
