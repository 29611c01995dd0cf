package io.intercommigrator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.core.RunAccounting;

/**
 * Migrates one whole generated export (every file of bench/gen-*-bundle.java) as a bundle into a fake Intercom that
 * fails (5xx, writes applied then answered 502 or cut off, dropped connections, search lag), and compares the final
 * workspace with the same bundle migrated without faults ({@link WorkspaceSnapshot}). The operator's workflow: drop,
 * {@code plan}, {@code confirm}, {@code --once}, then {@code replay} if anything was dead-lettered.
 *
 * <p>Per run it prints duplicates (objects the workspace holds twice), lost (baseline objects missing after the
 * replay), objects that differ, dead letters before the replay, and fields queued (values left off a record, the
 * {@code value left off} entries of the reconciliation queue) next to the fault-free run's.
 *
 * <p>Standalone (bench/bundle-faults.sh): {@code BundleFaultRuns SYSTEM BUNDLE.zip RUNS SEED ERROR AMBIGUOUS DROP
 * SEARCH_LAG_MS}.
 */
public final class BundleFaultRuns {
    private static final String TOKEN = "tok_bundle_faults";

    /** The faults of one run; all zero for the baseline. */
    public record Faults(double errorRate, double ambiguousRate, double dropRate, long searchLagMillis, long seed) {
        static final Faults NONE = new Faults(0, 0, 0, 0, 1);
    }

    /** One run's final workspace, its reports and what the runs said. */
    public record Outcome(WorkspaceSnapshot snapshot, int deadLettered, int fieldsQueued, long requests, long retried,
                          List<String> runProblems) {
    }

    private final Path root;
    private int homes;

    public BundleFaultRuns(Path root) {
        this.root = root;
    }

    public Outcome run(DropOrderPermutations.Export export, Faults faults) {
        Path home = root.resolve("home-" + ++homes);
        FakeIntercom.Builder server = FakeIntercom.builder().token(TOKEN).limitPer10s(100_000).seed(faults.seed())
                .serverErrorRate(faults.errorRate()).ambiguousRate(faults.ambiguousRate()).dropRate(faults.dropRate());
        export.adminEmails().forEach(e -> server.admin(e, e.substring(0, e.indexOf('@'))));
        try (FakeIntercom intercom = server.build().start()) {
            intercom.searchLag(faults.searchLagMillis(), 0);
            Map<String, String> teams = new LinkedHashMap<>();
            export.teamNames().forEach(t -> teams.put(intercom.seedTeam(t), t));
            long started = System.currentTimeMillis() / 1000 - 5;
            MigratorHarness migrator = new MigratorHarness(home).set("intake.poll-initial-delay-ms", "50")
                    .set("verification.sample-size", "0").set("delivery.max-retries", "8")
                    .set("delivery.retry-initial-delay-ms", "200").set("delivery.retry-max-delay-ms", "5000")
                    .set("intercom.search-lag-ms", Long.toString(2 * faults.searchLagMillis() + 1000))
                    .live(intercom.baseUrl(), TOKEN);
            List<String> problems = new ArrayList<>();
            migrator.drop(export.system() + "/" + export.system() + "-export.zip", DropOrderPermutations.zip(export.files()));
            expectZero(migrator.run(List.of("plan")), "plan", problems);
            expectZero(migrator.run(List.of("confirm")), "confirm", problems);
            MigratorHarness.Result once = migrator.once();
            expectZero(once, "--once", problems);
            int deadLettered = migrator.deadLetters().size();
            int fieldsQueued = 0;
            long requests = 0;
            long retried = 0;
            if (once.reportFile() != null) {
                JsonNode report = once.report();
                for (JsonNode q : report.path("reconciliation_queue")) {
                    fieldsQueued += RunAccounting.VALUE_LEFT_OFF.equals(q.path("kind").asText()) ? 1 : 0;
                }
                requests = report.path("requests").path("sent").asLong();
                retried = report.path("requests").path("retried").asLong();
            }
            if (deadLettered > 0) {
                expectZero(migrator.run(List.of("replay")), "replay", problems);
            }
            return new Outcome(WorkspaceSnapshot.of(intercom, teams, started), deadLettered, fieldsQueued, requests,
                    retried, problems);
        }
    }

    private static void expectZero(MigratorHarness.Result result, String what, List<String> problems) {
        if (result.exitCode() != 0) {
            problems.add(what + ": exit " + result.exitCode() + " " + result.stderr().lines().reduce((a, b) -> b).orElse(""));
        }
    }

    /** Objects the workspace holds more than once: WorkspaceSnapshot keeps a second one as key#2. */
    static long duplicates(WorkspaceSnapshot.Comparison cmp) {
        return cmp.extra().stream().filter(x -> x.substring(0, x.indexOf(": ") < 0 ? x.length() : x.indexOf(": ")).matches(".*#\\d+")).count();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: BundleFaultRuns SYSTEM BUNDLE.zip RUNS SEED ERROR AMBIGUOUS DROP SEARCH_LAG_MS");
            System.exit(2);
        }
        String system = args[0];
        DropOrderPermutations.Export export = DropOrderPermutations.withPeople(system,
                DropOrderPermutations.unzip(Path.of(args[1])));
        int runs = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        double error = Double.parseDouble(args[4]);
        double ambiguous = Double.parseDouble(args[5]);
        double drop = Double.parseDouble(args[6]);
        long lag = Long.parseLong(args[7]);
        Path root = Files.createTempDirectory("bundle-faults-" + system + "-");
        BundleFaultRuns faultRuns = new BundleFaultRuns(root);
        Outcome baseline = faultRuns.run(export, Faults.NONE);
        // every result line starts with "| ": the runs' own summaries go to the same stdout
        System.out.printf("| %s: %d files, baseline without faults: %d objects, %d fields queued, %d requests, %d dead letters%s%n",
                system, export.files().size(), baseline.snapshot().objects().size(), baseline.fieldsQueued(),
                baseline.requests(), baseline.deadLettered(), baseline.runProblems().isEmpty() ? "" : " " + baseline.runProblems());
        System.out.printf("| faults: %.1f %% 5xx, %.1f %% ambiguous writes, %.1f %% dropped connections, search lag %d ms%n",
                100 * error, 100 * ambiguous, 100 * drop, lag);
        System.out.println("| seed | duplicates | lost | differing | extra | dead letters (before replay) | fields queued (baseline) | requests | retried | wall s |");
        int clean = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Outcome o = faultRuns.run(export, new Faults(error, ambiguous, drop, lag, seed + i));
            WorkspaceSnapshot.Comparison cmp = baseline.snapshot().compare(o.snapshot());
            long dups = duplicates(cmp);
            boolean ok = cmp.same() && o.fieldsQueued() == baseline.fieldsQueued() && o.runProblems().isEmpty();
            clean += ok ? 1 : 0;
            System.out.printf("| %d | %d | %d | %d | %d | %d | %d (%d) | %d | %d | %.0f |%s%n", seed + i, dups, cmp.missing().size(),
                    cmp.differing().size(), cmp.extra().size() - dups, o.deadLettered(), o.fieldsQueued(), baseline.fieldsQueued(),
                    o.requests(), o.retried(), (System.nanoTime() - t0) / 1e9,
                    o.runProblems().isEmpty() ? "" : " runs: " + o.runProblems());
            cmp.missing().stream().limit(5).forEach(m -> System.out.println("|    missing  " + cut(m)));
            cmp.differing().stream().limit(5).forEach(m -> System.out.println("|    differs  " + cut(m)));
            cmp.extra().stream().limit(5).forEach(m -> System.out.println("|    extra    " + cut(m)));
        }
        System.out.printf("| %s: %d of %d fault runs end in the fault-free workspace%n", system, clean, runs);
        if (Boolean.getBoolean("bundleFaults.keep")) {
            System.out.println("| homes kept in " + root);
        } else {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(clean == runs ? 0 : 1);
    }

    private static String cut(String line) {
        return line.length() > 400 ? line.substring(0, 400) + " …" : line;
    }
}
