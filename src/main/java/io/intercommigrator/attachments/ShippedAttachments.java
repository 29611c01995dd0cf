package io.intercommigrator.attachments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The files an export ships for its attachment URLs: every regular file below a folder named {@code attachments}
 * (any depth) of the inbox or of an unpacked bundle, found by the URL's last path segment, percent-decoded
 * ({@code .../files/Invoice%2012.pdf} → {@code Invoice 12.pdf}). Two shipped files of that name: the one whose
 * folders match more of the URL's path wins. Symbolic links are never followed (a drop must not point the
 * migrator at the operator's own files). The inbox is looked at again when a name is not found and the last look is
 * more than a few seconds old (files dropped while the run goes on).
 */
public final class ShippedAttachments {
    public static final String FOLDER = "attachments";
    private static final long RESCAN_AFTER_NANOS = 3_000_000_000L;

    private final Path inbox;
    private final List<Map<String, List<Path>>> bundles = new CopyOnWriteArrayList<>();
    private final Map<Path, Map<String, List<Path>>> bundleRoots = new ConcurrentHashMap<>();
    private volatile Map<String, List<Path>> inboxIndex;
    private volatile long inboxScannedAt;

    public ShippedAttachments(Path inbox) {
        this.inbox = inbox;
    }

    /** True when a path (below the inbox or inside a bundle, '/'-separated) lies in an attachments folder. */
    public static boolean isShippedFile(String relativePath) {
        String[] segments = relativePath.replace('\\', '/').split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].equalsIgnoreCase(FOLDER)) {
                return true;
            }
        }
        return false;
    }

    /** The URL's last path segment, percent-decoded; empty for a URL without one. */
    public static String fileName(String url) {
        String path;
        try {
            path = URI.create(url.strip()).getRawPath();
        } catch (IllegalArgumentException e) {
            path = url.strip().replaceFirst("[?#].*$", "");
        }
        if (path == null) {
            return "";
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        try {
            return URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return last;
        }
    }

    /** A bundle unpacked to {@code folder}: its attachments folders are searched until {@link #forget}. */
    public void register(Path folder) {
        Map<String, List<Path>> index = index(folder);
        bundleRoots.put(folder, index);
        bundles.add(0, index);
    }

    public void forget(Path folder) {
        Map<String, List<Path>> index = bundleRoots.remove(folder);
        if (index != null) {
            bundles.remove(index);
        }
    }

    /** The shipped file for this URL, if the export has one. */
    public Optional<Path> find(String url) {
        String name = fileName(url);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return Optional.empty();
        }
        String key = name.toLowerCase(Locale.ROOT);
        for (Map<String, List<Path>> index : bundles) {
            Optional<Path> hit = best(index.get(key), name, url);
            if (hit.isPresent()) {
                return hit;
            }
        }
        Optional<Path> hit = best(inboxIndex().get(key), name, url);
        if (hit.isEmpty() && System.nanoTime() - inboxScannedAt > RESCAN_AFTER_NANOS) {
            rescanInbox();
            hit = best(inboxIndex.get(key), name, url);
        }
        return hit;
    }

    /** How many files the inbox and the registered bundles ship. */
    public long count() {
        long n = inboxIndex().values().stream().mapToLong(List::size).sum();
        for (Map<String, List<Path>> index : bundles) {
            n += index.values().stream().mapToLong(List::size).sum();
        }
        return n;
    }

    private Map<String, List<Path>> inboxIndex() {
        Map<String, List<Path>> index = inboxIndex;
        if (index == null) {
            rescanInbox();
            index = inboxIndex;
        }
        return index;
    }

    private synchronized void rescanInbox() {
        inboxIndex = index(inbox);
        inboxScannedAt = System.nanoTime();
    }

    /** Exact name first (case-insensitive otherwise); among several, the one sharing the most trailing URL folders. */
    private static Optional<Path> best(List<Path> candidates, String name, String url) {
        if (candidates == null || candidates.isEmpty()) {
            return Optional.empty();
        }
        List<Path> exact = candidates.stream().filter(p -> p.getFileName().toString().equals(name)).toList();
        List<Path> pool = exact.isEmpty() ? candidates : exact;
        if (pool.size() == 1) {
            return Optional.of(pool.get(0));
        }
        String[] urlSegments = fileNameless(url);
        Path bestPath = pool.get(0);
        int bestScore = -1;
        for (Path p : pool) {
            int score = 0;
            Path parent = p.getParent();
            for (int i = urlSegments.length - 1; i >= 0 && parent != null; i--, parent = parent.getParent()) {
                if (!parent.getFileName().toString().equalsIgnoreCase(urlSegments[i])) {
                    break;
                }
                score++;
            }
            if (score > bestScore) {
                bestScore = score;
                bestPath = p;
            }
        }
        return Optional.of(bestPath);
    }

    private static String[] fileNameless(String url) {
        try {
            String path = URI.create(url.strip()).getPath();
            if (path == null) {
                return new String[0];
            }
            String[] segments = path.split("/");
            return java.util.Arrays.copyOf(segments, Math.max(0, segments.length - 1));
        } catch (IllegalArgumentException e) {
            return new String[0];
        }
    }

    /** name (lower case) → shipped files of that name below any attachments folder under {@code root}. */
    static Map<String, List<Path>> index(Path root) {
        Map<String, List<Path>> index = new ConcurrentHashMap<>();
        if (root == null || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return index;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    return !dir.equals(root) && name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !attrs.isSymbolicLink()
                            && isShippedFile(root.relativize(file).toString().replace('\\', '/'))) {
                        index.computeIfAbsent(file.getFileName().toString().toLowerCase(Locale.ROOT),
                                k -> new CopyOnWriteArrayList<>()).add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for shipped attachments under " + root + ": " + e.getMessage(), e);
        }
        return index;
    }

    static List<Path> all(Map<String, List<Path>> index) {
        List<Path> out = new ArrayList<>();
        index.values().forEach(out::addAll);
        return out;
    }
}
