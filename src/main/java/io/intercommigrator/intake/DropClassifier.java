package io.intercommigrator.intake;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells which system and which kind of export a file is: by the inbox sub-folder ({@code clickdesk/},
 * {@code leaddesk/}) when there is one, else by the file name; {@code agents.csv} exists in both systems and is
 * told apart by its header.
 */
public final class DropClassifier {
    private DropClassifier() {
    }

    /** @param relativePath the path below the inbox (or inside a bundle), '/'-separated */
    public static Optional<DropKind> classify(String relativePath, Path file, String bundleSystem) {
        String normalised = relativePath.replace('\\', '/');
        String name = normalised.substring(normalised.lastIndexOf('/') + 1);
        String folderSystem = systemFromFolders(normalised);
        String system = folderSystem != null ? folderSystem : bundleSystem;
        DropKind chosen = null;
        for (DropKind kind : DropKind.values()) {
            if (kind == DropKind.BUNDLE || !kind.matches(name)) {
                continue;
            }
            if (system != null && !system.equals(kind.system())) {
                continue;
            }
            if (chosen != null && kind.baseName().equals("agents.csv")) {
                return Optional.of(looksLikeLeadDeskAgents(file) ? DropKind.LEADDESK_AGENTS : DropKind.CLICKDESK_AGENTS);
            }
            if (chosen == null || kind.baseName().length() > chosen.baseName().length()) {
                chosen = kind; // the longest known name wins: "ticket_messages.csv" over "messages.csv"-like overlaps
            }
        }
        if (chosen == null && name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            return Optional.of(DropKind.BUNDLE);
        }
        return Optional.ofNullable(chosen);
    }

    /** "clickdesk" or "leaddesk" when a folder of the path names the system, else null. */
    public static String systemFromFolders(String relativePath) {
        String[] segments = relativePath.toLowerCase(Locale.ROOT).split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].contains("clickdesk")) {
                return "clickdesk";
            }
            if (segments[i].contains("leaddesk")) {
                return "leaddesk";
            }
        }
        return null;
    }

    private static boolean looksLikeLeadDeskAgents(Path file) {
        if (file == null) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String header = r.readLine();
            String h = header == null ? "" : header.toLowerCase(Locale.ROOT);
            return h.contains("username") || h.contains("employment") || h.contains("project_ids");
        } catch (IOException e) {
            return false;
        }
    }
}
