package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/configuration.md lists exactly the keys of config/application.properties. */
class ConfigurationReferenceTest {
    /** The first cell of a table row, when it is a `key`. */
    private static final Pattern DOCUMENTED_KEY = Pattern.compile("(?m)^\\|\\s*`([^`]+)`\\s*\\|");

    @Test
    void everyKeyIsDocumentedAndEveryDocumentedKeyExists() throws Exception {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("config/application.properties"), StandardCharsets.UTF_8)) {
            file.load(reader);
        }
        Set<String> configured = new TreeSet<>(file.stringPropertyNames());
        Set<String> documented = new TreeSet<>();
        Matcher m = DOCUMENTED_KEY.matcher(Files.readString(Path.of("docs/configuration.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            documented.add(m.group(1));
        }

        Set<String> undocumented = new TreeSet<>(configured);
        undocumented.removeAll(documented);
        Set<String> gone = new TreeSet<>(documented);
        gone.removeAll(configured);
        assertThat(undocumented).as("keys of config/application.properties missing from docs/configuration.md").isEmpty();
        assertThat(gone).as("keys in docs/configuration.md that config/application.properties no longer has").isEmpty();
    }
}
