package io.intercommigrator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelContextTracker;
import org.awaitility.Awaitility;

import io.intercommigrator.App;

/**
 * A migrator home for one test: a copy of the project's config/ and routes/, an empty inbox, and runs of the real
 * CLI (real Camel Main, real YAML routes) in this JVM with the test's own environment.
 */
public final class MigratorHarness {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private String heap = "-Xmx384m";

    public MigratorHarness(Path home) {
        this(home, true);
    }

    /** A harness on a home folder that already has its config/ (e.g. a map the test confirmed or edited). */
    public static MigratorHarness reuse(Path home) {
        return new MigratorHarness(home, !java.nio.file.Files.isDirectory(home.resolve("config")));
    }

    public MigratorHarness token(String token) {
        env.put("INTERCOM_ACCESS_TOKEN", token);
        return this;
    }

    /** Sets an environment variable for the runs of this harness (e.g. MIGRATION_INBOX_DIR). */
    public MigratorHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    private MigratorHarness(Path home, boolean copyProject) {
        this.home = home;
        Path project = Path.of("").toAbsolutePath();
        if (copyProject) {
            copyTree(project.resolve("config"), home.resolve("config"));
            copyTree(project.resolve("routes"), home.resolve("routes"));
        }
        try {
            Files.createDirectories(home.resolve("inbox/clickdesk"));
            Files.createDirectories(home.resolve("inbox/leaddesk"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // fast intake for tests: the read lock still waits for two identical looks at each file
        set("intake.read-lock-min-age-ms", "0");
        set("intake.read-lock-check-interval-ms", "50");
        set("intake.poll-delay-ms", "100");
        set("delivery.retry-initial-delay-ms", "50");
        set("delivery.retry-max-delay-ms", "400");
        set("intercom.search-lag-ms", "0"); // the fake's search does not lag unless a test makes it
    }

    /** Points the run at a live (fake) Intercom with this token. */
    public MigratorHarness live(String baseUrl, String token) {
        env.put("INTERCOM_ACCESS_TOKEN", token);
        set("migration.mode", "live");
        set("intercom.base-url", baseUrl);
        set("migration.gdpr-acknowledged", "true"); // fixtures hold EU visitors; the guard has its own test
        if (run(List.of("confirm")).exitCode() != 0) {
            throw new IllegalStateException("confirm failed");
        }
        return this;
    }

    /** The heap of the runs started by {@link #process} (default -Xmx384m), e.g. "-Xmx64m" to prove memory is bounded. */
    public MigratorHarness heap(String maxHeapOption) {
        this.heap = maxHeapOption;
        return this;
    }

    public MigratorHarness set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public Path home() {
        return home;
    }

    public Path inbox() {
        return home.resolve("inbox");
    }

    /** Writes a file into the inbox (relative path, e.g. "clickdesk/visitors.csv"). */
    public Path drop(String relative, String content) {
        return drop(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    public Path drop(String relative, byte[] content) {
        try {
            Path staged = home.resolve("staging").resolve(relative);
            Files.createDirectories(staged.getParent());
            Files.write(staged, content);
            Path target = inbox().resolve(relative);
            Files.createDirectories(target.getParent());
            return Files.move(staged, target); // appears whole, as a finished upload would
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the CLI with --once (or the given arguments) and returns what it did. */
    public Result once(String... extraArgs) {
        List<String> args = new ArrayList<>();
        if (extraArgs.length == 0 || extraArgs[0].startsWith("-")) {
            args.add("--once");
        }
        args.addAll(List.of(extraArgs));
        return run(args);
    }

    public Result run(List<String> commandArgs) {
        List<String> args = new ArrayList<>(commandArgs);
        args.add("--home");
        args.add(home.toString());
        properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            code = App.run(args.toArray(String[]::new), Map.copyOf(env));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String o = stdout.toString(StandardCharsets.UTF_8);
        String e = stderr.toString(StandardCharsets.UTF_8);
        out.print(o);
        err.print(e);
        return new Result(code, o, e, reportOf(o));
    }

    /**
     * The migrator's classpath as a process of its own: target/classes and the runtime dependencies the build lists in
     * target/runtime-classpath.txt (maven-dependency-plugin, generate-test-resources phase). Empty when the build has
     * not written that list (e.g. a test started from an IDE before any Maven build).
     */
    public static Optional<String> processClasspath() {
        Path project = Path.of("").toAbsolutePath();
        Path classes = project.resolve("target/classes");
        Path dependencies = project.resolve("target/runtime-classpath.txt");
        if (!Files.isDirectory(classes.resolve("io/intercommigrator")) || !Files.isRegularFile(dependencies)) {
            return Optional.empty();
        }
        try {
            return Optional.of(classes + java.io.File.pathSeparator + Files.readString(dependencies).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CLI with these arguments (then --home and every -D property of this harness) as a process of its own, the way
     * an operator starts it, with only this harness's environment (the token); stdout and stderr are appended to log.
     * The process can be killed for real ({@link Process#destroyForcibly()} is SIGKILL).
     */
    public ProcessBuilder process(List<String> commandArgs, Path log) {
        String classpath = processClasspath().orElseThrow(() -> new IllegalStateException(
                "target/runtime-classpath.txt is missing: build with Maven first (mvn -o test-compile)"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-XX:+ExitOnOutOfMemoryError", "-cp", classpath, App.class.getName()));
        command.addAll(commandArgs);
        command.add("--home");
        command.add(home.toString());
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> processEnv = builder.environment();
        String path = processEnv.get("PATH");
        processEnv.clear();
        if (path != null) {
            processEnv.put("PATH", path);
        }
        processEnv.putAll(env);
        return builder;
    }

    /** The report this run wrote, as its summary names it (two runs may start within the same second). */
    private static Path reportOf(String stdout) {
        return stdout.lines().map(String::strip).filter(l -> l.startsWith("report: ")).map(l -> Path.of(l.substring(8)))
                .findFirst().orElse(null);
    }

    /**
     * Starts the CLI in service mode on its own thread (its output is not captured). The run goes on until
     * {@link ServiceRun#stop()} stops its CamelContext, which ends Camel Main the way Ctrl-C does.
     */
    public ServiceRun service() {
        List<String> args = new ArrayList<>(List.of("--home", home.toString()));
        properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
        CompletableFuture<CamelContext> created = new CompletableFuture<>();
        CamelContextTracker tracker = new CamelContextTracker() {
            @Override
            public void contextCreated(CamelContext context) {
                created.complete(context);
            }
        };
        tracker.open();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Map<String, String> runEnv = Map.copyOf(env);
        Thread service = new Thread(() -> {
            try {
                exit.complete(App.run(args.toArray(String[]::new), runEnv));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            } finally {
                tracker.close();
            }
        }, "migrator-service");
        service.start();
        return new ServiceRun(created, exit, tracker);
    }

    /** A service-mode run in progress. */
    public final class ServiceRun {
        private final CompletableFuture<CamelContext> context;
        private final CompletableFuture<Integer> exit;
        private final CamelContextTracker tracker;

        private ServiceRun(CompletableFuture<CamelContext> context, CompletableFuture<Integer> exit, CamelContextTracker tracker) {
            this.context = context;
            this.exit = exit;
            this.tracker = tracker;
        }

        /** The run's CamelContext once it has started and the intake watches the inbox. */
        public CamelContext context() {
            Awaitility.await("the service run's CamelContext").atMost(Duration.ofSeconds(20))
                    .until(() -> exit.isDone() || (context.isDone() && context.get().isStarted()
                            && context.get().getRouteController().getRouteStatus("intake").isStarted()));
            if (exit.isDone()) {
                throw new IllegalStateException("the service run ended early with exit code " + exit.join());
            }
            return context.join();
        }

        /** Stops the run (in-flight records finish) and returns what it did. */
        public Result stop() {
            tracker.close();
            context.thenAccept(CamelContext::stop);
            try {
                int code = exit.get(30, TimeUnit.SECONDS);
                return new Result(code, "", "", newestReport());
            } catch (Exception e) {
                throw new IllegalStateException("the service run did not stop", e);
            }
        }
    }

    private Path newestReport() {
        Path reports = home.resolve("reports");
        if (!Files.isDirectory(reports)) {
            return null;
        }
        try (Stream<Path> runs = Files.list(reports)) {
            return runs.max(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> p.resolve("reconciliation.json")).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every dead-letter line written under deadletter/, any run. */
    public List<JsonNode> deadLetters() {
        return deadLettersIn(home);
    }

    /** Every dead-letter line written under home/deadletter/, any run. */
    public static List<JsonNode> deadLettersIn(Path home) {
        List<JsonNode> out = new ArrayList<>();
        Path root = home.resolve("deadletter");
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every regular file the runs wrote under the home folder (reports, dead letters, outbox, inbox notes, ledger). */
    public List<Path> writtenFiles() {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one CLI run did. */
    public record Result(int exitCode, String stdout, String stderr, Path reportFile) {
        public JsonNode report() {
            try {
                return JSON.readTree(reportFile.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public JsonNode counts(String objectType) {
            return report().path("objects").path(objectType);
        }

        /**
         * Fails when an object type's outcomes do not add up to its source count, or when the report counts fewer
         * conversation parts than the export's files that this run handled hold (a part's source count rises with its
         * outcome, so a message dropped without being counted would otherwise add up).
         */
        public void assertAddsUp() {
            report().path("objects").fields().forEachRemaining(e -> {
                JsonNode c = e.getValue();
                long sum = c.path("created").asLong() + c.path("updated").asLong() + c.path("unchanged").asLong()
                        + c.path("skipped").asLong() + c.path("dead_lettered").asLong();
                if (sum != c.path("source").asLong()) {
                    throw new AssertionError("report does not add up for " + e.getKey() + ": " + c);
                }
            });
            SourceParts parts = SourceParts.of(reportFile);
            long counted = counts("conversation_part").path("source").asLong();
            JsonNode conversations = counts("conversation");
            boolean everyThreadMoved = conversations.path("dead_lettered").asLong() == 0
                    && conversations.path("skipped").asLong() == 0; // a thread held back takes its messages with it
            if (parts.threads() > 0 && everyThreadMoved && conversations.path("source").asLong() >= parts.threads()
                    && counted < parts.atLeast()) {
                throw new AssertionError("the report counts " + counted + " conversation parts, but the files this run"
                        + " handled hold at least " + parts.atLeast() + " (" + parts + "): messages were dropped uncounted");
            }
        }
    }

    /**
     * The messages the files of one run hold beyond each thread's opening one (which may become the thread's body):
     * a lower bound of the conversation parts its report must count, read from the plain files the run moved to
     * inbox/.done/&lt;run-id&gt;/ (chats.json sessions, social_messages.csv threads, ticket_messages.csv rows).
     */
    record SourceParts(long threads, long atLeast, String detail) {
        static SourceParts of(Path reportFile) {
            if (reportFile == null) {
                return new SourceParts(0, 0, "");
            }
            Path done = reportFile.getParent().getParent().getParent().resolve("inbox/.done")
                    .resolve(reportFile.getParent().getFileName().toString());
            if (!Files.isDirectory(done)) {
                return new SourceParts(0, 0, "");
            }
            long threads = 0;
            long atLeast = 0;
            StringBuilder detail = new StringBuilder();
            try (Stream<Path> files = Files.walk(done)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith("chats.json")) {
                        JsonNode root = JSON.readTree(f.toFile());
                        JsonNode sessions = root.isArray() ? root : root.path("session");
                        for (JsonNode session : sessions) {
                            threads++;
                            atLeast += Math.max(0, session.path("messages").size() - 1);
                        }
                        detail.append(name).append(": ").append(sessions.size()).append(" sessions; ");
                    } else if (name.endsWith("social_messages.csv") || name.endsWith("ticket_messages.csv")) {
                        Map<String, Long> rows = new HashMap<>();
                        try (io.intercommigrator.intake.CsvSource csv = io.intercommigrator.intake.CsvSource.open(f, name,
                                io.intercommigrator.intake.CsvOptions.defaults())) {
                            while (csv.hasNext()) {
                                if (csv.next() instanceof io.intercommigrator.intake.SourceRow row) {
                                    rows.merge(name.endsWith("social_messages.csv") ? row.get("thread_id").trim()
                                            : "row" + row.line(), 1L, Long::sum);
                                }
                            }
                        }
                        long messages = rows.values().stream().mapToLong(Long::longValue).sum();
                        boolean social = name.endsWith("social_messages.csv");
                        threads += social ? rows.size() : 0;
                        atLeast += social ? messages - rows.size() : messages;
                        detail.append(name).append(": ").append(messages).append(" rows; ");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new SourceParts(threads, atLeast, detail.toString().trim());
        }

        @Override
        public String toString() {
            return detail;
        }
    }
}
