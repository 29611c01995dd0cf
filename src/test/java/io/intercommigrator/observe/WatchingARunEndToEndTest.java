package io.intercommigrator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.ServiceRun;

/** Service mode with camel.server.enabled: /observe/health and /observe/metrics of a real run against a local Intercom. */
class WatchingARunEndToEndTest {
    private static final String TOKEN = "tok_observe_0123456789";
    private static final String VISITORS = """
            visitor_id,name,email,phone
            v1,Anna Müller,anna@example.de,
            v2,José Álvarez,jose@example.es,
            v3,Visitor 3,,+1 512 555 0100
            """;

    @TempDir
    Path home;
    FakeIntercom intercom;
    MigratorHarness migrator;
    ServiceRun service;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String observe;

    @BeforeEach
    void start() throws IOException {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).build().start();
        migrator = new MigratorHarness(home);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        migrator.set("camel.server.enabled", "true").set("camel.server.port", String.valueOf(port));
        observe = "http://127.0.0.1:" + port + "/observe/";
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
        intercom.close();
    }

    @Test
    void readinessIsDownWhileIntercomRejectsTheToken() throws Exception {
        migrator.live(intercom.baseUrl(), "tok_someone_elses");
        service = migrator.service();
        service.context();

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> ready = get("health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("migrator-intercom-token").contains("rejected INTERCOM_ACCESS_TOKEN (401");
        });
        HttpResponse<String> live = get("health/live");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void readyWithTheRightTokenAndMetricsCountWhatWasDelivered() {
        migrator.live(intercom.baseUrl(), TOKEN);
        service = migrator.service();
        service.context();
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> ready = get("health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("migrator-intercom-token", "migrator-ledger", "migrator-inbox");
        });
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> intercom.contacts().size() == 3);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String metrics = get("metrics").body();
            assertThat(counter(metrics, "migrator_records_total\\{object=\"contact\",outcome=\"created\"\\}"))
                    .isEqualTo(intercom.contacts().size());
            assertThat(counter(metrics, "migrator_calls_total\\{endpoint=\"/contacts\",method=\"POST\",status=\"200\"\\}"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(metrics).contains("migrator_rate_limited_total", "migrator_governor_wait_seconds_total",
                    "migrator_dead_letters_total 0.0");
        });
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(observe + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long counter(String prometheusText, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " (\\S+)$").matcher(prometheusText);
        if (!m.find()) {
            throw new AssertionError("no " + nameAndLabels + " in\n" + prometheusText);
        }
        return (long) Double.parseDouble(m.group(1));
    }
}
