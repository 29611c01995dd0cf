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

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.MigratorExit;
import io.intercommigrator.config.Settings;
/**
 * Command line entry: service mode, --once, plan, confirm, rollback, replay, config (operator-contract.md). {@code -D}
 * and {@code --home} are inherited options: accepted before and after a sub-command, every {@code -D} counting.
 */
@Command(name = "intercom-migrator", mixinStandardHelpOptions = true, version = "intercom-migrator 0.1.0",
        description = "Moves ClickDesk and LeadDesk exports dropped in inbox/ into Intercom.",
        subcommands = {App.Plan.class, App.Confirm.class, App.Rollback.class, App.Replay.class, App.Config.class})
public final class App implements Callable<Integer>, Configured {

    @Option(names = "--once", description = "Process every file now in the inbox, deliver, write the reports, exit.")
    boolean once;

    @Option(names = "--sample", paramLabel = "N", description = "Deliver N records of each kind (with the contacts, messages and "
            + "tags that belong to them), read every one back and stop; implies --once and leaves the inbox for the full run.")
    Integer sample;

    @Option(names = "--home", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Folder holding config/ and routes/ (default: current folder).")
    Path home = Path.of(".");

    @Option(names = "-D", paramLabel = "key=value", scope = CommandLine.ScopeType.INHERIT,
            description = "Override a configuration property (before or after a sub-command; above JVM -D, environment and file).")
    Map<String, String> overrides = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /** Runs the CLI with an explicit environment (tests pass their own token this way). */
    public static int run(String[] args, Map<String, String> env) {
        CommandLine cli = new CommandLine(new App());
        cli.setExecutionStrategy(parseResult -> {
            Invocation invocation = Invocation.of(parseResult, env);
            for (CommandLine c : parseResult.asCommandLineList()) {
                if (c.getCommand() instanceof Configured configured) {
                    configured.invocation(invocation);
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

    /** What every command is configured from: --home, every -D of the command line (in order) and the environment. */
    record Invocation(Path home, Map<String, String> overrides, Map<String, String> env) {
        static Invocation of(CommandLine.ParseResult parseResult, Map<String, String> env) {
            Path home = Path.of(".");
            Map<String, String> overrides = new LinkedHashMap<>();
            // an inherited option is parsed per command: the -D before a sub-command and those after it are both kept
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                CommandLine.Model.OptionSpec d = p.matchedOption("-D");
                if (d != null) {
                    for (String pair : d.originalStringValues()) {
                        int eq = pair.indexOf('=');
                        overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                    }
                }
                CommandLine.Model.OptionSpec h = p.matchedOption("--home");
                if (h != null && !h.originalStringValues().isEmpty()) {
                    home = Path.of(h.originalStringValues().get(h.originalStringValues().size() - 1));
                }
            }
            return new Invocation(home, overrides, env);
        }

        Settings settings() {
            return Settings.load(home.toAbsolutePath().normalize(), overrides, env);
        }
    }

    private Invocation invocation;

    @Override
    public void invocation(Invocation invocation) { this.invocation = invocation; }

    @Override
    public Integer call() {
        return Migrator.run(invocation.settings(), once ? Migrator.Mode.ONCE : Migrator.Mode.SERVICE, sample);
    }

    @Command(name = "plan", description = "Read inbox/ without moving or sending anything; print counts, problems, calls and duration.")
    static final class Plan implements Callable<Integer>, Configured {
        private Invocation invocation;
        public void invocation(Invocation invocation) { this.invocation = invocation; }
        @Override public Integer call() { return Commands.plan(invocation.settings()); }
    }

    @Command(name = "confirm", description = "Accept the proposed (or edited) field map; a live run refuses to start until this is done.")
    static final class Confirm implements Callable<Integer>, Configured {
        private Invocation invocation;
        public void invocation(Invocation invocation) { this.invocation = invocation; }
        @Override public Integer call() { return Commands.confirm(invocation.settings()); }
    }

    @Command(name = "rollback", description = "Undo what a run created or changed (newest run by default).")
    static final class Rollback implements Callable<Integer>, Configured {
        @Parameters(arity = "0..1", paramLabel = "RUN_ID") String runId;
        private Invocation invocation;
        public void invocation(Invocation invocation) { this.invocation = invocation; }
        @Override public Integer call() { return Commands.rollback(invocation.settings(), runId); }
    }

    @Command(name = "replay", description = "Re-deliver dead letters after a fix (all pending ones by default).")
    static final class Replay implements Callable<Integer>, Configured {
        @Parameters(arity = "0..*", paramLabel = "DEADLETTER_FILE") List<Path> files = List.of();
        private Invocation invocation;
        public void invocation(Invocation invocation) { this.invocation = invocation; }
        @Override public Integer call() { return Commands.replay(invocation.settings(), files); }
    }

    @Command(name = "config", description = "Print every effective configuration key, its value and where it came from "
            + "(file, environment, JVM, command line); the token masked.")
    static final class Config implements Callable<Integer>, Configured {
        private Invocation invocation;
        public void invocation(Invocation invocation) { this.invocation = invocation; }
        @Override public Integer call() {
            return Commands.config(invocation.home().toAbsolutePath().normalize(), invocation.overrides(), invocation.env());
        }
    }
}
