package io.intercommigrator.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The GDPR region guard (mapping.md, LeadDesk seed): before a live run into a US-hosted workspace, the contact
 * files waiting in the inbox (and chats.json, whose visitors become contacts) are read for EU/EEA residents
 * (country code or name). Finding one stops the run
 * before anything is delivered, unless the operator acknowledged it. Reads only; moves nothing.
 */
public final class GdprGuard {
    static final Set<String> EEA_CODES = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL",
            "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO");
    static final Set<String> EEA_NAMES = Set.of("austria", "österreich", "belgium", "belgië", "belgique", "bulgaria", "croatia",
            "hrvatska", "cyprus", "czechia", "czech republic", "denmark", "danmark", "estonia", "eesti", "finland", "suomi",
            "france", "germany", "deutschland", "greece", "hungary", "magyarország", "ireland", "italy", "italia", "latvia",
            "lithuania", "luxembourg", "malta", "netherlands", "nederland", "the netherlands", "poland", "polska", "portugal",
            "romania", "slovakia", "slovenia", "spain", "españa", "sweden", "sverige", "iceland", "ísland", "liechtenstein",
            "norway", "norge");
    private static final Set<DropKind> PEOPLE = Set.of(DropKind.CLICKDESK_VISITORS, DropKind.LEADDESK_CONTACTS, DropKind.LEADDESK_LEADS);

    /** The first EU/EEA resident found, and how many were seen. */
    public record Finding(String where, String country, long count) {
    }

    private final ZipUnpacker unpacker;
    private final Path scratch;

    private final CsvReading csv;

    public GdprGuard(ZipUnpacker unpacker, Path scratch, CsvReading csv) {
        this.unpacker = unpacker;
        this.scratch = scratch;
        this.csv = csv;
    }

    public Optional<Finding> scan(Path inbox) {
        Tally inboxTally = new Tally();
        try (Stream<Path> files = Files.walk(inbox)) {
            for (Path file : files.filter(Files::isRegularFile).filter(p -> !hidden(inbox, p)).sorted().toList()) {
                String relative = inbox.relativize(file).toString().replace('\\', '/');
                Optional<DropKind> kind = DropClassifier.classify(relative, file, null);
                if (kind.isPresent() && kind.get() != DropKind.BUNDLE) {
                    inboxTally.add(scanFile(kind.get(), file, relative));
                } else if (kind.isPresent()) {
                    inboxTally.add(scanBundle(file, relative));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inboxTally.finding();
    }

    /** One dropped file as the intake picks it up (a bundle: every entry of it); empty when it holds no EU/EEA resident. */
    public Optional<Finding> scanFile(Path file, String relative) {
        Optional<DropKind> kind = DropClassifier.classify(relative, file, null);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        return kind.get() == DropKind.BUNDLE ? scanBundle(file, relative) : scanFile(kind.get(), file, relative);
    }

    /**
     * One record as a dead letter holds it (a CSV row's columns, a chat's JSON with its visitor_info): the country of the
     * person it is or brings along, when that is EU/EEA; empty otherwise.
     */
    public static Optional<String> eeaCountryOf(com.fasterxml.jackson.databind.JsonNode record) {
        com.fasterxml.jackson.databind.JsonNode info = record.path("visitor_info");
        if (info.isTextual()) {
            try {
                info = CHAT_INFO.readTree(info.asText());
            } catch (IOException e) {
                info = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode person : List.of(record, info)) {
            String code = person.path("country_code").asText("").trim();
            String country = person.path("country").asText("").trim();
            if (eea(code, country)) {
                return Optional.of(code.isEmpty() ? country : code);
            }
        }
        return Optional.empty();
    }

    /** The refusal every mode gives when EU/EEA residents would move into a US workspace ({@code what}: who and where). */
    public static String refusal(String what) {
        return "GDPR guard: " + what + " and intercom.region=us (a US-hosted workspace). Moving them needs a legal basis (data "
                + "processing agreement, possibly consent). Either migrate into an EU workspace (intercom.region=eu with its "
                + "token), or, after legal review, set migration.gdpr-acknowledged=true.";
    }

    /** The first EU/EEA resident seen (where, country) and how many were seen, over a file, a bundle or the inbox. */
    private static final class Tally {
        private Finding first;
        private long count;

        /** One person: counted when the country code or name is EU/EEA; {@code where} is asked for the first only. */
        void person(String code, String country, java.util.function.Supplier<String> where) {
            if (eea(code, country)) {
                count++;
                if (first == null) {
                    first = new Finding(where.get(), code.isEmpty() ? country : code, 0);
                }
            }
        }

        void add(Optional<Finding> finding) {
            finding.ifPresent(f -> {
                if (first == null) {
                    first = f;
                }
                count += f.count();
            });
        }

        Optional<Finding> finding() {
            return first == null ? Optional.empty() : Optional.of(new Finding(first.where(), first.country(), count));
        }
    }

    private Optional<Finding> scanBundle(Path zip, String name) {
        Path folder = scratch.resolve("gdpr-scan-" + Integer.toHexString(name.hashCode()));
        try {
            Tally bundle = new Tally();
            for (UnpackedEntry e : unpacker.unpack(zip, folder, name)) {
                Optional<DropKind> kind = DropClassifier.classify(e.entryName(), e.file(), DropClassifier.systemFromFolders(name));
                if (kind.isPresent()) {
                    bundle.add(scanFile(kind.get(), e.file(), name + "!" + e.entryName()));
                }
            }
            return bundle.finding();
        } catch (InputRefusedException e) {
            return Optional.empty(); // the intake refuses it with its own message; nothing of it will be delivered
        } finally {
            delete(folder);
        }
    }

    /** Contact files by their country columns, chats.json by each session's visitor_info country; others: nothing. */
    private Optional<Finding> scanFile(DropKind kind, Path file, String name) {
        if (PEOPLE.contains(kind)) {
            return scanCsv(file, name, csv.forFile(kind.baseName())); // as the intake reads it
        }
        return kind == DropKind.CLICKDESK_CHATS ? scanChats(file, name) : Optional.empty();
    }

    private static boolean eea(String code, String country) {
        return EEA_CODES.contains(code.toUpperCase(Locale.ROOT)) || EEA_NAMES.contains(country.toLowerCase(Locale.ROOT))
                || (country.length() == 2 && EEA_CODES.contains(country.toUpperCase(Locale.ROOT)));
    }

    /** A chat's visitor becomes a contact too: its visitor_info (a JSON string, or an object) names the country. */
    private static Optional<Finding> scanChats(Path file, String name) {
        Tally chats = new Tally();
        try (JsonRecordStream sessions = JsonRecordStream.open(file, name, "session")) {
            while (sessions.hasNext()) {
                JsonRecord session = sessions.next();
                com.fasterxml.jackson.databind.JsonNode info = session.node().path("visitor_info");
                if (info.isTextual()) {
                    try {
                        info = CHAT_INFO.readTree(info.asText());
                    } catch (IOException e) {
                        continue; // not JSON: no country to read
                    }
                }
                String country = info == null ? "" : info.path("country").asText("").trim();
                String code = info == null ? "" : info.path("country_code").asText("").trim();
                chats.person(code, country, () -> name + " entry " + session.index() + " (line " + session.line() + ")");
            }
        } catch (InputRefusedException e) {
            return Optional.empty(); // the intake refuses it with its own message; nothing of it will be delivered
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chats.finding();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CHAT_INFO = new com.fasterxml.jackson.databind.ObjectMapper();

    private static Optional<Finding> scanCsv(Path file, String name, CsvOptions options) {
        Tally people = new Tally();
        try (CsvSource source = CsvSource.open(file, name, options)) {
            while (source.hasNext()) {
                if (source.next() instanceof SourceRow row) {
                    people.person(row.get("country_code").trim().toUpperCase(Locale.ROOT), row.get("country").trim(),
                            () -> name + " line " + row.line());
                }
            }
        } catch (InputRefusedException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return people.finding();
    }

    private static boolean hidden(Path inbox, Path file) {
        for (Path part : inbox.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void delete(Path folder) {
        try {
            Folders.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
