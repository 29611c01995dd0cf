package io.intercommigrator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Command line entry: service mode, --once, plan, confirm, rollback, replay (operator-contract.md). */
@Command(name = "intercom-migrator", mixinStandardHelpOptions = true, version = "intercom-migrator 0.1.0",
        description = "Moves ClickDesk and LeadDesk exports dropped in inbox/ into Intercom.",
        subcommands = {App.Plan.class, App.Confirm.class, App.Rollback.class, App.Replay.class})
public final class App implements Callable<Integer>, EnvAware {

    @Option(names = "--once", description = "Process every file now in the inbox, deliver, write the reports, exit.")
    boolean once;

    @Option(names = "--sample", paramLabel = "N", description = "Deliver N records of each kind (with the contacts, messages and "
            + "tags that belong to them), read every one back and stop; implies --once and leaves the inbox for the full run.")
    Integer sample;

    @CommandLine.Mixin
    Common common = new Common();

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /** Runs the CLI with an explicit environment (tests pass their own token this way). */
    public static int run(String[] args, Map<String, String> env) {
        CommandLine cli = new CommandLine(new App());
        cli.setExecutionStrategy(parseResult -> {
            for (CommandLine c : parseResult.asCommandLineList()) {
                if (c.getCommand() instanceof EnvAware aware) {
                    aware.env(env);
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            System.err.println(ex.getMessage());
            return ExitCode.BAD_CONFIGURATION;
        });
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof MigratorExit exit) {
                System.err.println(exit.getMessage());
                return exit.code();
            }
            throw ex;
        });
        return cli.execute(args);
    }

    private Map<String, String> env = Map.of();

    @Override
    public void env(Map<String, String> env) { this.env = env; }

    @Override
    public Integer call() {
        return Migrator.run(common.settings(env), once ? Migrator.Mode.ONCE : Migrator.Mode.SERVICE, sample);
    }

    /** Options shared by every command. */
    static final class Common {
        @Option(names = "--home", paramLabel = "DIR", description = "Folder holding config/ and routes/ (default: current folder).")
        Path home = Path.of(".");

        @Option(names = "-D", paramLabel = "key=value", description = "Override a configuration property.")
        Map<String, String> overrides = new LinkedHashMap<>();

        Settings settings(Map<String, String> env) {
            return Settings.load(home.toAbsolutePath().normalize(), overrides, env);
        }
    }

    @Command(name = "plan", description = "Read inbox/ without moving or sending anything; print counts, problems, calls and duration.")
    static final class Plan implements Callable<Integer>, EnvAware {
        @CommandLine.Mixin Common common = new Common();
        private Map<String, String> env = Map.of();
        public void env(Map<String, String> env) { this.env = env; }
        @Override public Integer call() { return Commands.plan(common.settings(env)); }
    }

    @Command(name = "confirm", description = "Accept the proposed (or edited) field map; a live run refuses to start until this is done.")
    static final class Confirm implements Callable<Integer>, EnvAware {
        @CommandLine.Mixin Common common = new Common();
        private Map<String, String> env = Map.of();
        public void env(Map<String, String> env) { this.env = env; }
        @Override public Integer call() { return Commands.confirm(common.settings(env)); }
    }

    @Command(name = "rollback", description = "Undo what a run created or changed (newest run by default).")
    static final class Rollback implements Callable<Integer>, EnvAware {
        @Parameters(arity = "0..1", paramLabel = "RUN_ID") String runId;
        @CommandLine.Mixin Common common = new Common();
        private Map<String, String> env = Map.of();
        public void env(Map<String, String> env) { this.env = env; }
        @Override public Integer call() { return Commands.rollback(common.settings(env), runId); }
    }

    @Command(name = "replay", description = "Re-deliver dead letters after a fix (all pending ones by default).")
    static final class Replay implements Callable<Integer>, EnvAware {
        @Parameters(arity = "0..*", paramLabel = "DEADLETTER_FILE") List<Path> files = List.of();
        @CommandLine.Mixin Common common = new Common();
        private Map<String, String> env = Map.of();
        public void env(Map<String, String> env) { this.env = env; }
        @Override public Integer call() { return Commands.replay(common.settings(env), files); }
    }
}
