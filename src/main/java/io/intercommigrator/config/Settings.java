package io.intercommigrator.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.MigratorExit;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.AccessToken;

/**
 * The application's typed view of the configuration. Every value is read through Camel's properties component, set
 * up by {@link ConfigSources}: command-line {@code -D} &gt; JVM {@code -D} &gt; environment variable (upper case, '.'
 * and '-' to '_') &gt; {@code config/application.properties}, for any key. The run's CamelContext is set up from the
 * same sources, so route placeholders see what this view sees.
 */
public final class Settings {
    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    private final Path home;
    private final ConfigSources sources;
    private final PropertiesComponent properties;
    private final AccessToken token;

    private Settings(Path home, ConfigSources sources) {
        this.home = home;
        this.sources = sources;
        // a context that is never built or started: it only hosts the properties component (and the type converter
        // registry the component's override lookup needs), so it shows up nowhere as a running Camel
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getTypeConverterRegistry();
        this.properties = context.getPropertiesComponent();
        sources.applyTo(properties, Map.of());
        try {
            org.apache.camel.support.service.ServiceHelper.initService(properties);
        } catch (RuntimeException e) {
            throw MigratorExit.badConfiguration("cannot read " + sources.file() + ": " + e.getMessage());
        }
        String rawToken = sources.env().getOrDefault(ConfigSources.TOKEN_VARIABLE, "").trim();
        this.token = rawToken.isEmpty() ? null : new AccessToken(rawToken);
    }

    /** Loads, reports keys the migrator does not know (a warning each) and checks the values (exit 2 when wrong). */
    public static Settings load(Path home, Map<String, String> overrides, Map<String, String> env) {
        Settings settings = open(home, overrides, env);
        settings.unknownKeys().forEach(u -> LOG.warn(u.warning()));
        settings.validate();
        return settings;
    }

    /** The configuration as it is, neither checked nor reported on (the {@code config} command shows it first). */
    public static Settings open(Path home, Map<String, String> overrides, Map<String, String> env) {
        ConfigSources sources = new ConfigSources(home, overrides, env);
        if (!Files.isRegularFile(sources.file())) {
            throw MigratorExit.badConfiguration("no config/application.properties under " + home
                    + " (run from the project root or pass --home DIR)");
        }
        return new Settings(home, sources);
    }

    /** The sources this view reads, to set up the run's CamelContext the same way. */
    public ConfigSources sources() {
        return sources;
    }

    /** Keys in the migrator's families that are set somewhere but that config/application.properties does not list. */
    public List<ConfigSources.UnknownKey> unknownKeys() {
        List<String> fileKeys = ConfigSources.fileKeys(properties);
        return sources.unknownKeys(ConfigSources.knownKeys(fileKeys), fileKeys);
    }

    /** Every key that has an effect or was set: the known ones, the home's file, the command line and own JVM -D. */
    public Set<String> effectiveKeys() {
        List<String> fileKeys = ConfigSources.fileKeys(properties);
        Set<String> keys = new TreeSet<>(ConfigSources.knownKeys(fileKeys));
        keys.addAll(fileKeys);
        keys.addAll(sources.commandLine().keySet());
        keys.addAll(ConfigSources.ownSystemProperties());
        return keys;
    }

    /** The value of a key as a run sees it (raw, empty when set empty, null when set nowhere) and where it came from. */
    public record Effective(String value, ConfigSources.Origin origin) {
    }

    public Effective effective(String key) {
        String value = properties.resolveProperty(key).orElse(null);
        return new Effective(value == null ? null : value.trim(),
                value == null ? ConfigSources.Origin.NONE : ConfigSources.origin(properties, key));
    }

    /** The environment variable Camel Main looks up for a key. */
    static String envName(String key) {
        return ConfigSources.envName(key);
    }

    public void validate() {
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
        for (String key : new String[] {"intercom.rate-limit-per-minute", "delivery.concurrency", "delivery.max-in-flight"}) {
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

    public String get(String key, String fallback) {
        String v = properties.resolveProperty(key).orElse(null);
        return v == null || v.isBlank() ? fallback : v.trim();
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
    public RunControl.Mode mode() {
        return token != null && get("migration.mode", "dry-run").equals("live") ? RunControl.Mode.LIVE : RunControl.Mode.DRY_RUN;
    }

    /** The same settings with {@code migration.mode=live}: for commands that only make sense against Intercom. */
    public Settings live() {
        return new Settings(home, sources.with("migration.mode", "live"));
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

    /** How CSV files are read (intake.fallback-charset, intake.max-record-bytes / -lines): every CSV reader uses it. */
    public io.intercommigrator.intake.CsvOptions csvOptions() {
        String charset = get("intake.fallback-charset", "windows-1252");
        java.nio.charset.Charset fallback;
        try {
            fallback = java.nio.charset.Charset.forName(charset);
        } catch (RuntimeException e) {
            throw MigratorExit.badConfiguration("intake.fallback-charset is not a charset this JVM knows: '" + charset + "'");
        }
        int bytes = getInt("intake.max-record-bytes", io.intercommigrator.intake.CsvOptions.DEFAULT_MAX_RECORD_BYTES);
        int lines = getInt("intake.max-record-lines", io.intercommigrator.intake.CsvOptions.DEFAULT_MAX_RECORD_LINES);
        if (bytes < 1 || lines < 1) {
            throw MigratorExit.badConfiguration("intake.max-record-bytes and intake.max-record-lines must be at least 1");
        }
        return new io.intercommigrator.intake.CsvOptions(fallback, Map.of(), bytes, lines);
    }

    public ZoneId sourceZone(String system) {
        String key = system + ".time-zone";
        try {
            return ZoneId.of(get(key, system.equals("leaddesk") ? "Europe/Helsinki" : "UTC"));
        } catch (RuntimeException e) {
            throw MigratorExit.badConfiguration(key + " is not a time zone: '" + get(key, "") + "'");
        }
    }

    /**
     * The most requests Intercom may have in flight (delivery.max-in-flight, at least delivery.concurrency): the delivery
     * threads, the ledger's and the HTTP connections are sized to it, and {@link io.intercommigrator.intercom.InFlightLimit}
     * keeps what is actually out at what fills the quota at the latency seen.
     */
    public int maxInFlight() {
        return Math.max(getInt("delivery.concurrency", 16), getInt("delivery.max-in-flight", 256));
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
