package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelContextTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.testing.MigratorHarness;

/** Every file of records is a templatedRoute of routes/records.camel.yaml, with the step ids the template gives it. */
class FileRecordsTemplateTest {
    private static final List<String> FILES = List.of("clickdesk-visitors-records", "clickdesk-chats", "clickdesk-tickets",
            "clickdesk-ticket-messages", "clickdesk-offline-messages", "clickdesk-voip-calls", "clickdesk-tags",
            "leaddesk-contacts-records", "leaddesk-leads-records", "leaddesk-call-records-records");

    @TempDir
    Path home;

    @Test
    void eachFileOfRecordsIsATemplatedRoute() throws Exception {
        Map<String, String> found = new ConcurrentHashMap<>();
        CamelContextTracker tracker = new CamelContextTracker() {
            @Override
            public void contextCreated(CamelContext context) {
                try {
                    context.addStartupListener((started, alreadyStarted) -> {
                        for (String file : FILES) {
                            boolean templated = started.getRoute(file) != null && started.getRoute(file).isCreatedByRouteTemplate();
                            boolean steps = started.getProcessor(file + "-split") != null
                                    && started.getProcessor(file + "-batch") != null;
                            found.put(file, templated + "/" + steps);
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        tracker.open();
        try {
            assertThat(new MigratorHarness(home).once().exitCode()).isZero();
        } finally {
            tracker.close();
        }
        assertThat(found).hasSize(FILES.size()).allSatisfy((file, state) -> assertThat(state).as(file).isEqualTo("true/true"));
    }
}
