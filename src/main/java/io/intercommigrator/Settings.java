package io.intercommigrator;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.intercommigrator.intercom.AccessToken;

/**
 * The application's typed view of {@code config/application.properties}, overridden by environment
 * variables (upper case, '.' and '-' to '_', the Camel Main way) and then by {@code -Dkey=value}.
 */
public final class Settings {
    public enum Mode { DRY_RUN, LIVE }

    private final Path home;
    private final Map<String, String> properties;
    private final AccessToken token;

    private Settings(Path home, Map<String, String> properties, AccessToken token) {
        this.home = home;
        this.properties = properties;
        this.token = token;
    }

    public static Settings load(Path home, Map<String, String> overrides, Map<String, String> env) {
        Path file = home.resolve("config/application.properties");
        if (!Files.isRegularFile(file)) {
            throw MigratorExit.badConfiguration("no config/application.properties under " + home
                    + " (run from the project root or pass --home DIR)");
        }
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw MigratorExit.badConfiguration("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> merged = new TreeMap<>();
        loaded.stringPropertyNames().forEach(k -> merged.put(k, loaded.getProperty(k).trim()));
        for (String key : merged.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.put(key, fromEnv.trim());
            }
        }
        merged.putAll(overrides);
        String rawToken = env.getOrDefault("INTERCOM_ACCESS_TOKEN", "").trim();
        Settings settings = new Settings(home, merged, rawToken.isEmpty() ? null : new AccessToken(rawToken));
        settings.validate();
        return settings;
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void validate() {
        String mode = get("migration.mode", "dry-run");
        if (!mode.equals("dry-run") && !mode.equals("live")) {
            throw MigratorExit.badConfiguration("migration.mode must be dry-run or live, not '" + mode + "'");
        }
        String region = get("intercom.region", "us");
        if (!Map.of("us", 1, "eu", 1, "au", 1).containsKey(region)) {
            throw MigratorExit.badConfiguration("intercom.region must be us, eu or au, not '" + region + "'");
        }
        URI base = baseUrl();
        if (base.getScheme() == null || base.getHost() == null
                || !(base.getScheme().equals("https") || base.getScheme().equals("http"))) {
            throw MigratorExit.badConfiguration("intercom.base-url must be an http(s) URL, not '" + base + "'");
        }
        if (base.getScheme().equals("http") && !isLoopback(base.getHost())) {
            throw MigratorExit.badConfiguration("intercom.base-url: http:// is allowed only for a loopback host; use https:// for "
                    + base.getHost());
        }
        for (String key : new String[] {"intercom.rate-limit-per-minute", "delivery.concurrency"}) {
            if (getInt(key, 1) < 1) {
                throw MigratorExit.badConfiguration(key + " must be at least 1");
            }
        }
        sourceZone("clickdesk");
        sourceZone("leaddesk");
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name other than localhost is never resolved for this check
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public Path home() {
        return home;
    }

    /** Every merged property, for Camel's property placeholders. */
    public Map<String, String> properties() {
        return properties;
    }

    public String get(String key, String fallback) {
        String v = properties.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    public int getInt(String key, int fallback) {
        try {
            return Integer.parseInt(get(key, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            throw MigratorExit.badConfiguration(key + " must be a whole number, not '" + get(key, "") + "'");
        }
    }

    public long getLong(String key, long fallback) {
        try {
            return Long.parseLong(get(key, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            throw MigratorExit.badConfiguration(key + " must be a whole number, not '" + get(key, "") + "'");
        }
    }

    public double getDouble(String key, double fallback) {
        try {
            return Double.parseDouble(get(key, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            throw MigratorExit.badConfiguration(key + " must be a number, not '" + get(key, "") + "'");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        return Boolean.parseBoolean(get(key, String.valueOf(fallback)));
    }

    /** Live only when asked for and a token is present: without a token every run is a dry-run. */
    public Mode mode() {
        return token != null && get("migration.mode", "dry-run").equals("live") ? Mode.LIVE : Mode.DRY_RUN;
    }

    /** The same settings with {@code migration.mode=live}: for commands that only make sense against Intercom. */
    public Settings live() {
        Map<String, String> copy = new TreeMap<>(properties);
        copy.put("migration.mode", "live");
        return new Settings(home, copy, token);
    }

    public boolean liveRequestedWithoutToken() {
        return token == null && get("migration.mode", "dry-run").equals("live");
    }

    public AccessToken token() {
        return token;
    }

    public String region() {
        return get("intercom.region", "us");
    }

    public URI baseUrl() {
        String configured = get("intercom.base-url", "");
        if (!configured.isEmpty()) {
            return URI.create(configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured);
        }
        return URI.create(switch (region()) {
            case "eu" -> "https://api.eu.intercom.io";
            case "au" -> "https://api.au.intercom.io";
            default -> "https://api.intercom.io";
        });
    }

    /** The attachment guards (attachments.*, export-formats.md): size caps, download timeout, private hosts. */
    public io.intercommigrator.attachments.AttachmentPolicy attachmentPolicy() {
        long maxBytes = getLong("attachments.max-bytes", io.intercommigrator.attachments.AttachmentPolicy.DEFAULT_MAX_BYTES);
        long maxRequest = getLong("attachments.max-request-bytes", io.intercommigrator.attachments.AttachmentPolicy.DEFAULT_MAX_REQUEST_BYTES);
        int timeout = getInt("attachments.download-timeout-ms", 30_000);
        if (maxBytes < 1 || maxRequest < 1 || timeout < 1) {
            throw MigratorExit.badConfiguration("attachments.max-bytes, attachments.max-request-bytes and "
                    + "attachments.download-timeout-ms must be positive");
        }
        return new io.intercommigrator.attachments.AttachmentPolicy(maxBytes, maxRequest, timeout, 3,
                getBoolean("attachments.allow-private-hosts", false));
    }

    /** The ZIP guards (intake.zip.*): every reader of archives uses the same limits. */
    public io.intercommigrator.intake.ZipLimits zipLimits() {
        return new io.intercommigrator.intake.ZipLimits(getLong("intake.zip.max-total-bytes", 2L << 30),
                getLong("intake.zip.max-entry-bytes", 1L << 30), getInt("intake.zip.max-entries", 10_000),
                getDouble("intake.zip.max-compression-ratio", 200.0));
    }

    public ZoneId sourceZone(String system) {
        String key = system + ".time-zone";
        try {
            return ZoneId.of(get(key, system.equals("leaddesk") ? "Europe/Helsinki" : "UTC"));
        } catch (RuntimeException e) {
            throw MigratorExit.badConfiguration(key + " is not a time zone: '" + get(key, "") + "'");
        }
    }

    public Path dir(String key, String fallback) {
        return home.resolve(get(key, fallback)).normalize();
    }

    public Path inboxDir() {
        return dir("migration.inbox-dir", "inbox");
    }

    public Path workDir() {
        return dir("migration.work-dir", "work");
    }

    public Path deadLetterDir() {
        return dir("migration.deadletter-dir", "deadletter");
    }

    public Path reportsDir() {
        return dir("migration.reports-dir", "reports");
    }

    public Path configDir() {
        return home.resolve("config");
    }
}
