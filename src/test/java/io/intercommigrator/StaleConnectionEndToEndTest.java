package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;
import io.intercommigrator.testing.Rows;

/**
 * A server that closes kept-alive connections idle for a while (a keep-alive timeout, as behind a load balancer; here the
 * fake's JDK server with {@code sun.net.httpserver.idleInterval=1}: idle for a second, closed, without a word to the
 * client): the migrator checks a pooled connection before it reuses it, so no request is written to a closed
 * connection, none goes unanswered, and neither the outage gate nor the in-flight limit hears of it.
 */
class StaleConnectionEndToEndTest {
    private static final String TOKEN = "tok_stale";

    @TempDir
    Path home;
    Process fake;

    @AfterEach
    void stop() throws Exception {
        if (fake != null) {
            fake.destroy();
            fake.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The fake as a process of its own: the JDK server reads its connection limits once per JVM. */
    private String startFake(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsun.net.httpserver.idleInterval=1", "-Dsun.net.httpserver.clockTick=100", "-cp", System.getProperty("java.class.path"),
                FakeIntercom.class.getName(), "--port", "0", "--token", TOKEN, "--max-seconds", "300"));
        command.addAll(List.of(args));
        fake = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
        String url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("FAKE_INTERCOM_LISTENING ")) {
                        return line.substring("FAKE_INTERCOM_LISTENING ".length()).strip();
                    }
                }
                throw new IllegalStateException("the fake ended before listening");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "fake-output");
        drain.setDaemon(true);
        drain.start();
        return url;
    }

    @Test
    void connectionsTheServerClosedAreNotReusedSoNoRequestGoesUnanswered() throws Exception {
        // 2 s windows of 40 calls: each window's burst leaves the pool's connections idle until the next one, long
        // enough for the server to close them
        String url = startFake("--limit-per-10s", "40", "--window-seconds", "2");
        MigratorHarness migrator = new MigratorHarness(home).live(url, TOKEN)
                .set("intercom.rate-limit-per-minute", "1200").set("verification.sample-size", "0")
                .set("delivery.concurrency", "16");
        migrator.drop("clickdesk/visitors.csv", Rows.visitorsCsv("v", 200));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode stats = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/_fake/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(run.report().path("requests").path("sent").asLong())
                .as("every request the migrator sent reached the server (none was written to a closed connection)")
                .isEqualTo(stats.path("requests").asLong());
        assertThat(run.report().path("requests").path("in_flight").path("decreases").asInt())
                .as("no cut of the in-flight limit but for a 429").isLessThanOrEqualTo(stats.path("rate_limited").asInt());
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isZero();
        assertThat(stats.path("contacts").asInt()).isEqualTo(200);
        run.assertAddsUp();
    }
}
