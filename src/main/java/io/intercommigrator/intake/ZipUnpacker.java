package io.intercommigrator.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Extracts a drop archive to disk, refusing the whole archive on zip slip, damage or bomb limits; on refusal
 * nothing extracted from it is left behind. Entries under {@code __MACOSX/} and dot-files/dot-folders are
 * ignored. Sizes are counted while copying, never taken from headers; the compressed size used for the ratio
 * is what ZipFile actually feeds the inflater (the central directory's), so it cannot be understated.
 */
public final class ZipUnpacker {

    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final long RATIO_CHECK_AFTER_BYTES = 1 << 20;

    private final ZipLimits limits;

    public ZipUnpacker(ZipLimits limits) {
        this.limits = limits;
    }

    /**
     * @param targetDir   extraction folder (created if missing); entries keep their sub-folders inside it
     * @param displayName the archive's name in messages, e.g. "inbox/acme.zip"
     * @return the extracted files, in central-directory order
     * @throws InputRefusedException when the archive is unsafe, damaged or over a limit
     */
    public List<UnpackedEntry> unpack(Path zip, Path targetDir, String displayName) {
        Path root = targetDir.toAbsolutePath().normalize();
        List<Path> created = new ArrayList<>();
        boolean complete = false;
        try (ZipFile archive = openArchive(zip, displayName)) {
            List<ZipEntry> wanted = validate(archive, root, displayName);
            createDirectory(root, created);
            List<UnpackedEntry> unpacked = new ArrayList<>(wanted.size());
            long[] totalBytes = {0};
            for (ZipEntry entry : wanted) {
                unpacked.add(extract(archive, entry, root, displayName, created, totalBytes));
            }
            complete = true;
            return unpacked;
        } catch (IOException e) {
            // a local write problem (disk full, permissions), not the archive's fault
            throw new UncheckedIOException(displayName + ": extraction failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InputRefusedException(displayName + ": refused, an entry name cannot be used here: " + e.getMessage(), e);
        } finally {
            if (!complete) {
                deleteCreated(created);
            }
        }
    }

    private static ZipFile openArchive(Path zip, String displayName) {
        try {
            return new ZipFile(zip.toFile());
        } catch (IOException e) {
            throw new InputRefusedException(displayName + ": refused, not a readable zip archive (damaged or truncated?): "
                    + e.getMessage(), e);
        }
    }

    /** Checks every name and the entry count from the central directory before anything is written. */
    private List<ZipEntry> validate(ZipFile archive, Path root, String displayName) {
        if (archive.size() > limits.maxEntries()) {
            throw new InputRefusedException(displayName + ": refused, the archive has " + archive.size()
                    + " entries, more than the limit of " + limits.maxEntries() + " (intake.zip.max-entries)");
        }
        List<ZipEntry> wanted = new ArrayList<>();
        for (ZipEntry entry : Collections.list(archive.entries())) {
            if (escapesRoot(entry.getName(), root)) {
                throw new InputRefusedException(displayName + ": refused, entry '" + entry.getName()
                        + "' would be written outside the extraction folder (zip slip)");
            }
            String name = entryName(entry);
            if (!entry.isDirectory() && !name.isEmpty() && !isIgnored(name)) {
                wanted.add(entry);
            }
        }
        return wanted;
    }

    private UnpackedEntry extract(ZipFile archive, ZipEntry entry, Path root, String displayName,
                                  List<Path> created, long[] totalBytes) throws IOException {
        String name = entryName(entry);
        Path target = root.resolve(name).normalize();
        try {
            createDirectory(target.getParent(), created);
            createOwnerOnlyFile(target);
        } catch (FileAlreadyExistsException e) {
            throw new InputRefusedException(displayName + ": refused, entry '" + name
                    + "' collides with another entry or file in the extraction folder", e);
        }
        created.add(target);
        long written = 0;
        CRC32 crc = new CRC32(); // ZipFile does not verify CRCs itself
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        try (InputStream in = openEntry(archive, entry, displayName); OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = readEntry(in, buffer, name, written, displayName)) >= 0) {
                written += n;
                totalBytes[0] += n;
                checkLimits(name, entry.getCompressedSize(), written, totalBytes[0], displayName);
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
            throw new InputRefusedException(String.format(Locale.ROOT, "%s: refused, entry '%s' is damaged (CRC mismatch:"
                    + " expected %08x, got %08x)", displayName, name, entry.getCrc(), crc.getValue()));
        }
        return new UnpackedEntry(name, target, written);
    }

    private static InputStream openEntry(ZipFile archive, ZipEntry entry, String displayName) {
        try {
            return archive.getInputStream(entry);
        } catch (IOException e) {
            throw new InputRefusedException(displayName + ": refused, entry '" + entryName(entry) + "' is damaged ("
                    + e.getMessage() + ")", e);
        }
    }

    private static int readEntry(InputStream in, byte[] buffer, String name, long written, String displayName) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new InputRefusedException(displayName + ": refused, entry '" + name + "' is damaged or truncated ("
                    + e.getMessage() + ") after " + written + " bytes", e);
        }
    }

    private void checkLimits(String name, long compressedSize, long written, long total, String displayName) {
        if (written > limits.maxEntryBytes()) {
            throw new InputRefusedException(displayName + ": refused, entry '" + name + "' expands beyond "
                    + limits.maxEntryBytes() + " bytes (intake.zip.max-entry-bytes)");
        }
        if (total > limits.maxTotalBytes()) {
            throw new InputRefusedException(displayName + ": refused, the archive expands beyond " + limits.maxTotalBytes()
                    + " bytes in total, reached while extracting '" + name + "' (intake.zip.max-total-bytes)");
        }
        double ratio = (double) written / Math.max(1, compressedSize);
        if (written > RATIO_CHECK_AFTER_BYTES && ratio > limits.maxCompressionRatio()) {
            throw new InputRefusedException(String.format(Locale.ROOT,
                    "%s: refused, entry '%s' has a compression ratio of %.0f:1, above the limit of %.0f:1 (intake.zip.max-compression-ratio)",
                    displayName, name, ratio, limits.maxCompressionRatio()));
        }
    }

    /** Entry name with '/' separators (some Windows tools write '\\'), without empty or "." segments. */
    private static String entryName(ZipEntry entry) {
        return Arrays.stream(entry.getName().replace('\\', '/').split("/"))
                .filter(segment -> !segment.isEmpty() && !segment.equals("."))
                .collect(Collectors.joining("/"));
    }

    private static boolean escapesRoot(String rawName, Path root) {
        String name = rawName.replace('\\', '/');
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            return true;
        }
        if (Arrays.asList(name.split("/")).contains("..")) {
            return true;
        }
        return !root.resolve(name).normalize().startsWith(root);
    }

    private static boolean isIgnored(String name) {
        for (String segment : name.split("/")) {
            if (segment.equals("__MACOSX") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void createOwnerOnlyFile(Path target) throws IOException {
        if (supportsPosix(target)) {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(target);
        }
    }

    /** Creates the folder and its missing parents owner-only, remembering each one created for clean-up. */
    private static void createDirectory(Path dir, List<Path> created) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createDirectory(dir.getParent(), created);
        FileAttribute<?>[] ownerOnly = supportsPosix(dir.getParent())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        Files.createDirectory(dir, ownerOnly);
        created.add(dir);
    }

    private static boolean supportsPosix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void deleteCreated(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException ignored) {
                // best effort: the refusal message matters more than a leftover empty folder
            }
        }
    }
}
