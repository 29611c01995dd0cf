package io.intercommigrator.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the scratch folders the intake unpacks into (bundles, chatbot exports, plans, the GDPR scan). */
public final class Folders {
    private Folders() {
    }

    /** Deletes the folder and everything in it; a folder that does not exist is fine. */
    public static void deleteTree(Path folder) throws IOException {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
