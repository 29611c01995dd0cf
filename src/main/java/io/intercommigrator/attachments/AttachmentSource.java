package io.intercommigrator.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Where the bytes of an attachment come from: the file the export ships ({@link ShippedAttachments}), else a
 * download from its URL under the {@link AttachmentPolicy} guards (http/https only, size cap, timeout, at most
 * {@code maxRedirects} redirects each checked again, no host on a loopback / private / link-local / multicast address
 * unless allowed; the address check is made by the connection's own DNS resolver, so a name cannot resolve to a
 * public address for the check and a private one for the connection). A download is written to a file of its own
 * under {@code work/attachments/<run-id>/} and removed when its message has been sent. A dry-run downloads nothing:
 * a file not shipped is counted as one to download. What cannot be copied is a {@link Kept} with its reason.
 */
public final class AttachmentSource implements AutoCloseable {
    /** An attachment this run can copy; {@code file} is null for one a dry-run would download ({@code size} -1). */
    public record Copyable(String url, Path file, long size, String name, String contentType, boolean downloaded) {
    }

    /** An attachment that keeps its URL, and why. */
    public record Kept(String url, String reason) {
    }

    private final ShippedAttachments shipped;
    private final AttachmentPolicy policy;
    private final Path downloads;
    private final boolean dryRun;
    private final CloseableHttpClient http;
    private final java.util.function.Function<InetAddress, String> guard;
    private final AtomicLong shippedFiles = new AtomicLong();
    private final AtomicLong shippedBytes = new AtomicLong();
    private final AtomicLong downloadedFiles = new AtomicLong();
    private final AtomicLong downloadedBytes = new AtomicLong();
    private final AtomicLong toDownload = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();

    public AttachmentSource(ShippedAttachments shipped, AttachmentPolicy policy, Path downloads, boolean dryRun) {
        this(shipped, policy, downloads, dryRun, HostGuard::refusal);
    }

    /** {@code guard}: why an address is refused, or null (tests stand a loopback address in for a public one). */
    AttachmentSource(ShippedAttachments shipped, AttachmentPolicy policy, Path downloads, boolean dryRun,
                     java.util.function.Function<InetAddress, String> guard) {
        this.guard = guard;
        this.shipped = shipped;
        this.policy = policy;
        this.downloads = downloads;
        this.dryRun = dryRun;
        this.http = dryRun ? null : client(policy, guard);
    }

    public AttachmentPolicy policy() {
        return policy;
    }

    /** The attachment's bytes, found or fetched; an object of either record type. */
    public Object resolve(String url) {
        String name = displayName(url);
        java.util.Optional<Path> file = shipped.find(url);
        if (file.isPresent()) {
            long size;
            try {
                size = Files.size(file.get());
            } catch (IOException e) {
                return kept(url, "shipped file " + file.get().getFileName() + " cannot be read: " + e.getMessage());
            }
            if (size > policy.maxBytes()) {
                return kept(url, "file of " + size + " bytes is over attachments.max-bytes (" + policy.maxBytes() + ")");
            }
            shippedFiles.incrementAndGet();
            shippedBytes.addAndGet(size);
            return new Copyable(url, file.get(), size, name, contentType(name, null), false);
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return kept(url, "not a URL and not shipped in attachments/");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return kept(url, "not shipped in attachments/ and not an http(s) URL");
        }
        if (dryRun) {
            toDownload.incrementAndGet();
            return new Copyable(url, null, -1, name, contentType(name, null), true);
        }
        return download(uri, url, name);
    }

    /** Removes a downloaded file once its message has been sent (a shipped file stays where the export put it). */
    public void release(Copyable c) {
        if (c.downloaded() && c.file() != null) {
            try {
                Files.deleteIfExists(c.file());
            } catch (IOException e) {
                // left under work/attachments/<run-id>/, which the next run does not read
            }
        }
    }

    /** shipped / downloaded / to download / kept as URL, files and bytes, for the report. */
    public Map<String, Long> summary() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("shipped", shippedFiles.get());
        out.put("shipped_bytes", shippedBytes.get());
        out.put("downloaded", downloadedFiles.get());
        out.put("downloaded_bytes", downloadedBytes.get());
        out.put("to_download", toDownload.get());
        out.put("kept_as_url", kept.get());
        return out;
    }

    private Kept kept(String url, String reason) {
        kept.incrementAndGet();
        return new Kept(url, reason);
    }

    private Object download(URI start, String url, String name) {
        URI uri = start;
        for (int hop = 0; ; hop++) {
            String host = uri.getHost();
            if (host == null || host.isBlank()) {
                return kept(url, "URL has no host");
            }
            if (!policy.allowPrivateHosts()) {
                String refused = refusedHost(host);
                if (refused != null) {
                    return kept(url, refused);
                }
            }
            Object outcome;
            try {
                URI current = uri;
                outcome = http.execute(new HttpGet(current), response -> answer(response, current, url, name));
            } catch (RefusedHost e) {
                return kept(url, e.getMessage());
            } catch (java.net.SocketTimeoutException | org.apache.hc.core5.http.ConnectionRequestTimeoutException e) {
                return kept(url, "download timed out after " + policy.timeoutMillis() + " ms");
            } catch (IOException e) {
                RefusedHost refused = refusedCause(e);
                return kept(url, refused != null ? refused.getMessage() : "download failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            if (outcome instanceof URI next) {
                if (hop >= policy.maxRedirects()) {
                    return kept(url, "more than " + policy.maxRedirects() + " redirects");
                }
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    return kept(url, "redirected to a URL that is not http(s)");
                }
                uri = next;
                continue;
            }
            if (outcome instanceof Kept k) {
                kept.incrementAndGet();
                return k;
            }
            Copyable c = (Copyable) outcome;
            downloadedFiles.incrementAndGet();
            downloadedBytes.addAndGet(c.size());
            return c;
        }
    }

    /** One response: a redirect's target (URI), the file written (Copyable) or why not (Kept). */
    private Object answer(ClassicHttpResponse response, URI uri, String url, String name) throws IOException {
        int code = response.getCode();
        if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
            Header location = response.getFirstHeader("Location");
            if (location == null) {
                return new Kept(url, "HTTP " + code + " without a Location");
            }
            try {
                return uri.resolve(location.getValue().strip());
            } catch (IllegalArgumentException e) {
                return new Kept(url, "HTTP " + code + " to an invalid Location");
            }
        }
        if (code < 200 || code >= 300) {
            return new Kept(url, "download answered HTTP " + code);
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new Kept(url, "download answered HTTP " + code + " without a body");
        }
        if (entity.getContentLength() > policy.maxBytes()) {
            return new Kept(url, "file of " + entity.getContentLength() + " bytes is over attachments.max-bytes ("
                    + policy.maxBytes() + ")");
        }
        Files.createDirectories(downloads);
        Path target = Files.createTempFile(downloads, "download-", ".part");
        long deadline = System.nanoTime() + policy.timeoutMillis() * 1_000_000L;
        long size = 0;
        boolean done = false;
        try (InputStream in = entity.getContent(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
                if (size > policy.maxBytes()) {
                    return new Kept(url, "file is over attachments.max-bytes (" + policy.maxBytes() + ")");
                }
                if (System.nanoTime() > deadline) {
                    return new Kept(url, "download timed out after " + policy.timeoutMillis() + " ms");
                }
                out.write(buffer, 0, n);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(target);
            }
        }
        String type = entity.getContentType();
        return new Copyable(url, target, size, name, contentType(name, type), true);
    }

    /** Why downloading from this host is refused (every address it resolves to must be public), or null. */
    private String refusedHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                String why = guard.apply(a);
                if (why != null) {
                    return refusal(h, why);
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "host " + h + " not found";
        }
    }

    private static String refusal(String host, String why) {
        return "host " + host + " refused: it resolves to a " + why
                + " (attachments.allow-private-hosts=false: an export must not make the migrator read the operator's network)";
    }

    private static RefusedHost refusedCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RefusedHost r) {
                return r;
            }
        }
        return null;
    }

    /** The file name Intercom shows: the URL's last segment, decoded, without folder separators or control characters. */
    public static String displayName(String url) {
        String name = ShippedAttachments.fileName(url).replaceAll("[\\p{Cntrl}/\\\\]", "_").strip();
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "attachment" : name;
    }

    static String contentType(String name, String fromServer) {
        String guessed = URLConnection.guessContentTypeFromName(name);
        if (guessed != null) {
            return guessed;
        }
        if (fromServer != null && !fromServer.isBlank()) {
            String t = fromServer.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (t.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
                return t;
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pdf")) {
            return "application/pdf";
        }
        return "application/octet-stream";
    }

    private static CloseableHttpClient client(AttachmentPolicy policy, java.util.function.Function<InetAddress, String> guard) {
        Timeout timeout = Timeout.ofMilliseconds(policy.timeoutMillis());
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] all = SystemDefaultDnsResolver.INSTANCE.resolve(host);
                if (!policy.allowPrivateHosts()) {
                    for (InetAddress a : all) {
                        String why = guard.apply(a);
                        if (why != null) {
                            throw new RefusedHost(refusal(host, why));
                        }
                    }
                }
                return all;
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .setMaxConnTotal(32).setMaxConnPerRoute(8).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .setUserAgent("intercom-migrator").build();
    }

    @Override
    public void close() {
        if (http != null) {
            try {
                http.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The connection's resolver refused the host's address. */
    static final class RefusedHost extends UnknownHostException {
        RefusedHost(String message) {
            super(message);
        }
    }
}
