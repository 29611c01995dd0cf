package io.intercommigrator;

import java.nio.file.Path;
import java.util.List;

/** The operator commands beside the run itself (operator-contract.md). */
final class Commands {
    private Commands() {
    }

    static int plan(Settings settings) {
        throw new MigratorExit(ExitCode.FAILED, "plan is not built yet in this version");
    }

    static int confirm(Settings settings) {
        throw new MigratorExit(ExitCode.FAILED, "confirm is not built yet in this version");
    }

    static int rollback(Settings settings, String runId) {
        throw new MigratorExit(ExitCode.FAILED, "rollback is not built yet in this version");
    }

    static int replay(Settings settings, List<Path> files) {
        throw new MigratorExit(ExitCode.FAILED, "replay is not built yet in this version");
    }
}
