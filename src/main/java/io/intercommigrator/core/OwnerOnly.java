package io.intercommigrator.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates folders and files that hold PII readable by their owner only (where the file system knows POSIX modes). */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    public static Path createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, DIR);
        return dir;
    }

    public static Path createFile(Path file) throws IOException {
        try {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE);
            Files.createFile(file, attr);
        } catch (FileAlreadyExistsException e) {
            // an existing file keeps its content; its mode is tightened below
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        restrict(file, FILE);
        return file;
    }

    /**
     * Tightens a file that a library created with the default mode (H2's ledger and trace files) to owner-only; nothing
     * when it does not exist.
     */
    public static void restrictFile(Path file) throws IOException {
        if (Files.exists(file)) {
            restrict(file, FILE);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more can be done here
        }
    }
}
