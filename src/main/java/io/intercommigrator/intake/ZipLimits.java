package io.intercommigrator.intake;

/**
 * Guards against zip bombs; each limit has a configuration key named in the refusal message.
 *
 * @param maxTotalBytes       all entries together, decompressed ({@code intake.zip.max-total-bytes})
 * @param maxEntryBytes       one entry, decompressed ({@code intake.zip.max-entry-bytes})
 * @param maxEntries          entries in the central directory ({@code intake.zip.max-entries})
 * @param maxCompressionRatio decompressed / compressed size of one entry, checked once it passed 1 MiB
 *                            ({@code intake.zip.max-compression-ratio})
 */
public record ZipLimits(long maxTotalBytes, long maxEntryBytes, int maxEntries, double maxCompressionRatio) {

    public ZipLimits {
        if (maxTotalBytes < 1 || maxEntryBytes < 1 || maxEntries < 1 || !(maxCompressionRatio >= 1)) {
            throw new IllegalArgumentException("zip limits must be positive and the ratio at least 1: " + this);
        }
    }

    public static ZipLimits defaults() {
        return new ZipLimits(2L << 30, 1L << 30, 10_000, 200.0);
    }
}
