package io.intercommigrator.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.stream.Collectors;

import io.intercommigrator.core.MigratorExit;

/**
 * "AI proposes the map; you confirm before any record moves": {@code confirm} turns the proposal (or the
 * operator's own edit of mapping.yaml) into the confirmed map with a checksum of its content; a live run checks
 * that the map is confirmed and unchanged since.
 */
public final class MapConfirmation {
    private MapConfirmation() {
    }

    /** SHA-256 of the map without its confirmed / checksum lines: what was reviewed. */
    public static String checksum(String yaml) {
        String reviewed = yaml.lines().filter(l -> !l.startsWith("confirmed:") && !l.startsWith("checksum:"))
                .map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
        return io.intercommigrator.ledger.ContentHash.of(reviewed);
    }

    /**
     * Confirms the map: the proposal when it is newer than mapping.yaml, else mapping.yaml as the operator left it.
     * Returns the checksum written.
     */
    public static String confirm(Path configDir) {
        Path mapping = configDir.resolve("mapping.yaml");
        Path proposed = configDir.resolve("mapping.proposed.yaml");
        try {
            boolean useProposal = Files.isRegularFile(proposed) && (!Files.isRegularFile(mapping)
                    || Files.getLastModifiedTime(proposed).compareTo(Files.getLastModifiedTime(mapping)) > 0);
            Path source = useProposal ? proposed : mapping;
            if (!Files.isRegularFile(source)) {
                throw MigratorExit.badConfiguration("nothing to confirm: no config/mapping.yaml (run plan first)");
            }
            String yaml = Files.readString(source, StandardCharsets.UTF_8);
            String body = yaml.lines().filter(l -> !l.startsWith("confirmed:") && !l.startsWith("checksum:"))
                    .collect(Collectors.joining("\n")).strip();
            String sum = checksum(body);
            String confirmed = "confirmed: true\nchecksum: " + sum + "\n" + body + "\n";
            Path staged = configDir.resolve("mapping.yaml.tmp");
            Files.writeString(staged, confirmed, StandardCharsets.UTF_8);
            MappingConfig.load(staged); // a map that does not load is never confirmed
            Files.move(staged, mapping, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refuses a live run (exit 3) whose map is not confirmed or was changed after confirmation. */
    public static void requireConfirmed(Path configDir, MappingConfig mapping) {
        Path file = configDir.resolve("mapping.yaml");
        if (!mapping.confirmed()) {
            throw MigratorExit.refused("the field map is not confirmed: run `plan`, review config/mapping.proposed.yaml "
                    + "(or edit config/mapping.yaml), then run `confirm`; a live run moves no record before that");
        }
        try {
            String actual = checksum(Files.readString(file, StandardCharsets.UTF_8));
            if (!actual.equals(mapping.checksum())) {
                throw MigratorExit.refused("config/mapping.yaml changed after it was confirmed: review it and run `confirm` again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
