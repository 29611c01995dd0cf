package io.intercommigrator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Ordered;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.util.OrderedLocationProperties;
import org.apache.camel.util.OrderedProperties;

/**
 * Where configuration comes from, the Camel Main way: one properties component whose lookup of any key tries, highest
 * first, the command-line {@code -D} (override properties), JVM system properties, environment variables (upper case,
 * '.' and '-' to '_') and {@code config/application.properties}. {@link Settings} reads through a component set up by
 * {@link #applyTo}; so does the CamelContext of a run, so route placeholders see the same values.
 */
public final class ConfigSources {
    public static final String FILE = "config/application.properties";
    public static final String TOKEN_VARIABLE = "INTERCOM_ACCESS_TOKEN";
    /** The migrator's own key families: a key in them that the shipped application.properties does not list is reported. */
    static final List<String> OWN_PREFIXES = List.of("migration.", "intercom.", "delivery.", "intake.", "attachments.",
            "verification.");
    /** config/application.properties as built into the jar (pom.xml): the keys the migrator knows. */
    private static final String KNOWN_KEYS_RESOURCE = "/io/intercommigrator/reference/application.properties";
    private static final String JVM_SOURCE = "jvm-system-properties";
    private static final String ENV_SOURCE = "environment-variables";

    /** Where an effective value came from, as the {@code config} command prints it. */
    public enum Origin {
        COMMAND_LINE("command line"), JVM("JVM"), ENVIRONMENT("environment"), FILE("file"), NONE("not set");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A key that is set somewhere but that the migrator does not know, with the known key it probably meant (or null). */
    public record UnknownKey(String key, Origin origin, String suggestion) {
        public String warning() {
            String where = switch (origin) {
                case COMMAND_LINE -> "command-line -D";
                case JVM -> "JVM system property";
                case ENVIRONMENT -> "environment variable";
                default -> FILE;
            };
            String meant = suggestion == null ? "" : origin == Origin.ENVIRONMENT
                    ? "; did you mean " + envName(suggestion) + " (" + suggestion + ")?" : "; did you mean " + suggestion + "?";
            return "Unknown configuration key " + key + " (" + where + "), it has no effect" + meant;
        }
    }

    private final Path home;
    private final Map<String, String> commandLine;
    private final Map<String, String> env;

    ConfigSources(Path home, Map<String, String> commandLine, Map<String, String> env) {
        this.home = home;
        this.commandLine = Map.copyOf(commandLine);
        this.env = Map.copyOf(env);
    }

    Path file() {
        return home.resolve(FILE);
    }

    Map<String, String> env() {
        return env;
    }

    Map<String, String> commandLine() {
        return commandLine;
    }

    /** The same sources with one more command-line value (e.g. {@code migration.mode=live} for rollback and replay). */
    ConfigSources with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(commandLine);
        more.put(key, value);
        return new ConfigSources(home, more, env);
    }

    /**
     * Sets up a CamelContext's properties component with these sources; {@code computed} are values the run derives
     * (absolute inbox path, dry-run flag), above everything else.
     */
    public void applyTo(org.apache.camel.spi.PropertiesComponent component, Map<String, String> computed) {
        PropertiesComponent pc = (PropertiesComponent) component;
        pc.setLocation("file:" + file().toAbsolutePath().normalize());
        pc.setEncoding("UTF-8");
        // Camel's own lookups would put the environment above JVM -D and both above the override properties; the two
        // sources below keep the documented order: command line > JVM > environment > file
        pc.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        pc.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        pc.addPropertiesSource(new JvmSystemProperties());
        pc.addPropertiesSource(new EnvironmentVariables(env));
        Properties override = new OrderedProperties();
        override.putAll(commandLine);
        override.putAll(computed);
        pc.setOverrideProperties(override);
    }

    /** The origin Camel recorded for the last lookup of {@code key} (a name of the sources above). */
    static Origin origin(org.apache.camel.spi.PropertiesComponent pc, String key) {
        String source = pc.getResolvedValue(key).map(v -> v.source()).orElse(null);
        if (source == null) {
            return Origin.NONE;
        }
        return switch (source) {
            case "OverrideProperties" -> Origin.COMMAND_LINE;
            case JVM_SOURCE -> Origin.JVM;
            case ENV_SOURCE -> Origin.ENVIRONMENT;
            default -> Origin.FILE;
        };
    }

    /** The keys the home's application.properties lists, in file order, as Camel loaded them. */
    static List<String> fileKeys(org.apache.camel.spi.PropertiesComponent pc) {
        List<String> keys = new ArrayList<>();
        Properties loaded = pc.loadProperties();
        if (loaded instanceof OrderedLocationProperties located) {
            for (String key : located.stringPropertyNames()) {
                String location = located.getLocation(key);
                if (location != null && location.contains(FILE)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /** The keys the migrator knows: those of the application.properties it was built with (else the home's file). */
    static Set<String> knownKeys(List<String> homeFileKeys) {
        try (InputStream in = ConfigSources.class.getResourceAsStream(KNOWN_KEYS_RESOURCE)) {
            if (in == null) {
                return new TreeSet<>(homeFileKeys); // run from classes without the build's resources (an IDE)
            }
            Properties known = new Properties();
            known.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            return new TreeSet<>(known.stringPropertyNames());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys of the migrator's families set anywhere (command line, JVM, environment, the home's file) that it does not know. */
    List<UnknownKey> unknownKeys(Set<String> known, List<String> homeFileKeys) {
        List<UnknownKey> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(commandLine.keySet())) {
            if (ours(key) && !known.contains(key)) {
                unknown.add(new UnknownKey(key, Origin.COMMAND_LINE, closest(key, known, false)));
            }
        }
        for (String key : new TreeSet<>(System.getProperties().stringPropertyNames())) {
            if (ours(key) && !known.contains(key) && !commandLine.containsKey(key)) {
                unknown.add(new UnknownKey(key, Origin.JVM, closest(key, known, false)));
            }
        }
        Set<String> knownVariables = new TreeSet<>();
        known.forEach(k -> knownVariables.add(envName(k)));
        for (String name : new TreeSet<>(env.keySet())) {
            String normal = envName(name);
            if (!normal.equals(TOKEN_VARIABLE) && !knownVariables.contains(normal)
                    && OWN_PREFIXES.stream().anyMatch(p -> normal.startsWith(envName(p)))) {
                unknown.add(new UnknownKey(name, Origin.ENVIRONMENT, closest(normal, known, true)));
            }
        }
        for (String key : homeFileKeys) {
            if (ours(key) && !known.contains(key)) {
                unknown.add(new UnknownKey(key, Origin.FILE, closest(key, known, false)));
            }
        }
        return unknown;
    }

    /** JVM system properties in the migrator's families (java.*, user.* and the like are the JVM's own). */
    static List<String> ownSystemProperties() {
        return new TreeSet<>(System.getProperties().stringPropertyNames()).stream().filter(ConfigSources::ours).toList();
    }

    static boolean ours(String key) {
        return OWN_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The environment variable Camel Main looks up for a key: upper case, '.' and '-' become '_'. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The known key nearest to a mistyped one (edits, a swap of two letters counting as one), when it is close. */
    static String closest(String key, Set<String> known, boolean asVariable) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key, asVariable ? envName(candidate) : candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 8) ? best : null;
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** JVM system properties ({@code java -Dkey=value -jar …}), looked up per key. */
    private static final class JvmSystemProperties implements PropertiesSource, Ordered {
        @Override
        public String getName() {
            return JVM_SOURCE;
        }

        @Override
        public String getProperty(String name) {
            String value = System.getProperty(name);
            return value == null ? null : value.trim();
        }

        @Override
        public int getOrder() {
            return 10; // before the environment; the file's location source has order 100
        }
    }

    /** Environment variables, looked up per key the way Camel does (upper case, then '.' and '-' as '_'). */
    private static final class EnvironmentVariables implements PropertiesSource, Ordered {
        private final Map<String, String> env;

        EnvironmentVariables(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String getName() {
            return ENV_SOURCE;
        }

        @Override
        public String getProperty(String name) {
            String upper = name.toUpperCase(Locale.ROOT);
            String value = env.get(upper);
            if (value == null) {
                value = env.get(envName(name));
            }
            // the token is never a property: nothing can put it into a placeholder, a route or the config listing
            return value == null || TOKEN_VARIABLE.equals(envName(name)) ? null : value.trim();
        }

        @Override
        public int getOrder() {
            return 20;
        }
    }
}
