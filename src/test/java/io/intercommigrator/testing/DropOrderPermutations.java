package io.intercommigrator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import io.intercommigrator.fake.FakeIntercom;

/**
 * Migrates one export in several drop orders, each into a fresh home and a fresh fake Intercom, and compares each
 * final workspace with the bundle's ({@link WorkspaceSnapshot}). Every migration follows the operator's workflow:
 * the whole export is dropped, {@code plan}, {@code confirm} (the map confirmed on the whole export), the inbox is
 * cleared, then the files are dropped in the order under test, one per {@code --once} run (or all at once).
 *
 * <p>Standalone (bench/permutations.sh): {@code DropOrderPermutations SYSTEM BUNDLE.zip ORDERS [SEED]} prints, per
 * order, objects matched / missing / extra against the bundle.
 */
public final class DropOrderPermutations {
    private static final String TOKEN = "tok_permutations";

    /** An export: its files by base name (a chatbot export is one file), and the admins and teams the workspace has. */
    public record Export(String system, Map<String, byte[]> files, List<String> adminEmails, List<String> teamNames) {
        public List<String> names() {
            return new ArrayList<>(files.keySet());
        }
    }

    /** One migration's final workspace and what its runs said. */
    public record Outcome(WorkspaceSnapshot snapshot, List<String> runProblems) {
    }

    private final Path root;
    private int homes;

    public DropOrderPermutations(Path root) {
        this.root = root;
    }

    /** The whole export as one bundle ZIP, one run. */
    public Outcome bundle(Export export) {
        return migrate(export, List.of(List.of()), true);
    }

    /** Every file loose in the inbox, one run. */
    public Outcome allAtOnce(Export export) {
        return migrate(export, List.of(export.names()), false);
    }

    /** One file per run, in this order. */
    public Outcome oneFilePerRun(Export export, List<String> order) {
        List<List<String>> runs = new ArrayList<>();
        order.forEach(f -> runs.add(List.of(f)));
        return migrate(export, runs, false);
    }

    public static List<String> reversed(Export export) {
        List<String> order = export.names();
        Collections.reverse(order);
        return order;
    }

    public static List<String> shuffled(Export export, long seed) {
        List<String> order = export.names();
        Collections.shuffle(order, new Random(seed));
        return order;
    }

    private Outcome migrate(Export export, List<List<String>> runs, boolean asBundle) {
        Path home = root.resolve("home-" + ++homes);
        FakeIntercom.Builder server = FakeIntercom.builder().token(TOKEN).limitPer10s(100_000);
        export.adminEmails().forEach(e -> server.admin(e, e.substring(0, e.indexOf('@'))));
        try (FakeIntercom intercom = server.build().start()) {
            Map<String, String> teams = new LinkedHashMap<>();
            export.teamNames().forEach(t -> teams.put(intercom.seedTeam(t), t));
            long started = System.currentTimeMillis() / 1000 - 5;
            MigratorHarness migrator = new MigratorHarness(home).set("intake.poll-initial-delay-ms", "50")
                    .set("verification.sample-size", "0").live(intercom.baseUrl(), TOKEN);
            List<String> problems = new ArrayList<>();
            // the operator's workflow: the whole export in the inbox, plan, confirm, then the drops under test
            List<Path> planned = dropAll(migrator, export, export.names());
            expectZero(migrator.run(List.of("plan")), "plan", problems);
            expectZero(migrator.run(List.of("confirm")), "confirm", problems);
            for (Path p : planned) {
                delete(p);
            }
            for (List<String> run : runs) {
                if (asBundle) {
                    migrator.drop(export.system() + "/" + export.system() + "-export.zip", zip(export.files()));
                } else {
                    dropAll(migrator, export, run);
                }
                MigratorHarness.Result result = migrator.once();
                expectZero(result, "--once with " + (asBundle ? "the bundle" : String.join(", ", run)), problems);
            }
            return new Outcome(WorkspaceSnapshot.of(intercom, teams, started), problems);
        }
    }

    private static List<Path> dropAll(MigratorHarness migrator, Export export, List<String> names) {
        List<Path> out = new ArrayList<>();
        for (String name : names) {
            out.add(migrator.drop(export.system() + "/" + name, export.files().get(name)));
        }
        return out;
    }

    private static void expectZero(MigratorHarness.Result result, String what, List<String> problems) {
        if (result.exitCode() != 0) {
            problems.add(what + ": exit " + result.exitCode() + " " + result.stderr().lines().reduce((a, b) -> b).orElse(""));
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The files of a generated bundle (bench/gen-*-bundle.java) by base name; a nested ZIP stays one file. */
    public static Map<String, byte[]> unzip(Path bundle) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(bundle); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (e.isDirectory() || name.isEmpty() || name.startsWith(".") || e.getName().contains("__MACOSX")) {
                    continue;
                }
                files.put(name, zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The agents' emails (admins) and the department / office / project names (teams) of an export. */
    static Export withPeople(String system, Map<String, byte[]> files) {
        List<String> admins = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        for (String[] row : csv(files.get("agents.csv"))) {
            if (row.length > 0 && row[0].contains("@")) {
                admins.add(row[0].toLowerCase(java.util.Locale.ROOT));
            }
        }
        for (String f : system.equals("clickdesk") ? List.of("departments.csv") : List.of("offices.csv", "projects.csv")) {
            for (String[] row : csv(files.get(f))) {
                teams.add(row[0]);
            }
        }
        return new Export(system, files, admins, teams);
    }

    /** The email column (agents.csv) or the name column (the others) of a small definition CSV, header skipped. */
    private static List<String[]> csv(byte[] bytes) {
        List<String[]> out = new ArrayList<>();
        if (bytes == null) {
            return out;
        }
        List<String> lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", "").lines().toList();
        if (lines.isEmpty()) {
            return out;
        }
        String sep = lines.get(0).contains(";") ? ";" : ",";
        List<String> header = List.of(lines.get(0).split(sep, -1));
        int col = header.indexOf("email") >= 0 ? header.indexOf("email") : header.indexOf("name");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(sep, -1);
            if (col >= 0 && col < cells.length && !cells[col].isBlank()) {
                out.add(new String[] {cells[col].replace("\"", "").trim()});
            }
        }
        return out;
    }

    /** A difference as printed: its first {@code permutations.detail-chars} characters (400 unless set). */
    private static String cut(String line) {
        int max = Integer.getInteger("permutations.detail-chars", 400);
        return line.length() > max ? line.substring(0, max) + " …" : line;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DropOrderPermutations SYSTEM BUNDLE.zip ORDERS [SEED]");
            System.exit(2);
        }
        String system = args[0];
        Export export = withPeople(system, unzip(Path.of(args[1])));
        int orders = Integer.parseInt(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 13L;
        Path root = Files.createTempDirectory("permutations-" + system + "-");
        DropOrderPermutations permutations = new DropOrderPermutations(root);
        Outcome baseline = permutations.bundle(export);
        // every result line starts with "| ": the runs' own summaries go to the same stdout
        System.out.printf("| %s: %d files, bundle baseline %d objects%s%n", system, export.files().size(),
                baseline.snapshot().objects().size(), baseline.runProblems().isEmpty() ? "" : " " + baseline.runProblems());
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("all at once", null);
        cases.put("reverse", reversed(export));
        for (int i = 0; i < orders; i++) {
            cases.put("random seed " + (seed + i), shuffled(export, seed + i));
        }
        int same = 0;
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            long t0 = System.nanoTime();
            Outcome o = c.getValue() == null ? permutations.allAtOnce(export) : permutations.oneFilePerRun(export, c.getValue());
            WorkspaceSnapshot.Comparison cmp = baseline.snapshot().compare(o.snapshot());
            same += cmp.same() ? 1 : 0;
            System.out.printf("| %-18s %s (%.0f s)%s%n|    order: %s%n", c.getKey(), cmp.summary(), (System.nanoTime() - t0) / 1e9,
                    o.runProblems().isEmpty() ? "" : " runs: " + o.runProblems(),
                    c.getValue() == null ? "all files in one run" : String.join(" → ", c.getValue()));
            cmp.missing().stream().limit(5).forEach(m -> System.out.println("|    missing  " + cut(m)));
            cmp.differing().stream().limit(5).forEach(m -> System.out.println("|    differs  " + cut(m)));
            cmp.extra().stream().limit(5).forEach(m -> System.out.println("|    extra    " + cut(m)));
        }
        System.out.printf("| %s: %d of %d orders end in the bundle's workspace%n", system, same, cases.size());
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(same == cases.size() ? 0 : 1);
    }
}
