package io.intercommigrator.attachments;

/**
 * The guards of {@code export-formats.md} (Attachments) for copying files into Intercom.
 *
 * @param maxBytes          largest file copied (shipped or downloaded); a bigger one keeps its URL
 * @param maxRequestBytes   largest request body sent with files; more files go into further notes
 * @param timeoutMillis     connect, read and whole-download limit of one download
 * @param maxRedirects      redirects followed per download, each target checked again
 * @param allowPrivateHosts true: hosts on loopback / private / link-local / multicast addresses may be downloaded from
 */
public record AttachmentPolicy(long maxBytes, long maxRequestBytes, int timeoutMillis, int maxRedirects,
                               boolean allowPrivateHosts) {
    public static final long DEFAULT_MAX_BYTES = 10L << 20;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L << 20;

    public AttachmentPolicy {
        if (maxBytes < 1 || maxRequestBytes < 1 || timeoutMillis < 1 || maxRedirects < 0) {
            throw new IllegalArgumentException("attachments.* limits must be positive");
        }
    }

    public static AttachmentPolicy defaults() {
        return new AttachmentPolicy(DEFAULT_MAX_BYTES, DEFAULT_MAX_REQUEST_BYTES, 30_000, 3, false);
    }
}
