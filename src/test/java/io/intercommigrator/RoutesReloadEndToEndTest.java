package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.ServiceRun;
import io.intercommigrator.testing.TestLog;

/** Service mode: a changed file in routes/ replaces its routes; a broken one is rejected and the old routes keep working. */
class RoutesReloadEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_reload_0123456789";
    private static final Duration WAIT = Duration.ofSeconds(15);

    ServiceRun service;

    @Override
    protected String token() {
        return TOKEN;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void changedRouteFileIsReloadedAndTheIntakeKeepsWatching() throws Exception {
        service = migrator.service();
        CamelContext camel = service.context();
        Path intakeRoutes = home.resolve("routes/intake.camel.yaml");

        replace(intakeRoutes, Files.readString(intakeRoutes).replace("already migrated, nothing to do", "seen before, skipped")
                + """

                - route:
                    id: reload-probe
                    from:
                      uri: direct:reload-probe
                      steps:
                        - setBody:
                            constant: reloaded
                """);

        Awaitility.await().atMost(WAIT).until(() -> camel.getRoute("reload-probe") != null
                && camel.getRouteController().getRouteStatus("intake").isStarted());
        assertThat(camel.createProducerTemplate().requestBody("direct:reload-probe", "", String.class)).isEqualTo("reloaded");
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);
        Awaitility.await().atMost(WAIT).until(() -> intercom.contacts().size() == 3);
    }

    @Test
    void brokenRouteFileIsRejectedAndTheOldRoutesKeepRunning() throws Exception {
        service = migrator.service();
        CamelContext camel = service.context();
        Path log = TestLog.FILE;
        long logBefore = Files.exists(log) ? Files.size(log) : 0;

        replace(home.resolve("routes/deliver.camel.yaml"), """
                - route:
                    id: intercom-call
                    from:
                      uri: direct:intercom-call
                      steps:
                        - to: [ "unclosed
                """);

        Awaitility.await().atMost(WAIT).until(() -> logSince(log, logBefore).contains("Error reloading routes from file")
                && logSince(log, logBefore).contains("deliver.camel.yaml"));
        assertThat(camel.getRouteController().getRouteStatus("intercom-call").isStarted()).isTrue();
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);
        Awaitility.await().atMost(WAIT).until(() -> intercom.contacts().size() == 3);
    }

    /** A reloaded source file brings its templatedRoutes back from the file-records template (routes/records.camel.yaml). */
    @Test
    void reloadedSourceFileKeepsItsTemplatedRoutes() throws Exception {
        service = migrator.service();
        CamelContext camel = service.context();
        Path clickdesk = home.resolve("routes/clickdesk.camel.yaml");

        replace(clickdesk, Files.readString(clickdesk) + """

                - route:
                    id: reload-probe-clickdesk
                    from:
                      uri: direct:reload-probe-clickdesk
                      steps:
                        - setBody:
                            constant: reloaded
                """);

        Awaitility.await().atMost(WAIT).until(() -> camel.getRoute("reload-probe-clickdesk") != null
                && camel.getRoute("clickdesk-visitors-records") != null
                && camel.getRoute("clickdesk-visitors-records").isCreatedByRouteTemplate());
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);
        Awaitility.await().atMost(WAIT).until(() -> intercom.contacts().size() == 3);
    }

    /** Writes beside the file and moves it in, so the watcher never sees half a file. */
    private void replace(Path file, String content) throws IOException {
        Path staged = Files.writeString(home.resolve(file.getFileName() + ".staged"), content, StandardCharsets.UTF_8);
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String logSince(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
    }
}
