package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.intercommigrator.fake.FakeIntercom.RecordedRequest;
import io.intercommigrator.testing.AgainstFakeIntercom;

/**
 * The one retry setting, intercomRedelivery in routes/error-handling.camel.yaml with its delivery.* keys, drives both
 * the in-place retries of a repeatable request and a record's redeliveries: each of its values changes what the fake
 * sees (how many attempts, how far apart). Tag batches (POST /tags, repeatable) and contacts (POST /contacts, a record's
 * write) meet injected 500s.
 */
class RetrySettingsEndToEndTest extends AgainstFakeIntercom {
    @Override
    protected String token() {
        return "tok_retry_settings";
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    @Timeout(60)
    void maxRetriesBoundsTheAttemptsOfARepeatableRequest(int maxRetries) {
        {
            intercom.faultsOnlyFor("POST", "^/tags$").failNext(1000, 500);
            migrator.set("delivery.max-retries", String.valueOf(maxRetries)).set("delivery.retry-initial-delay-ms", "5")
                    .set("delivery.retry-max-delay-ms", "5");
            migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);

            migrator.once();

            Map<String, List<RecordedRequest>> batches = attemptsByBody("POST", "/tags");
            assertThat(batches).as("tag batches sent").isNotEmpty();
            assertThat(batches.values()).as("attempts of each tag batch with delivery.max-retries=" + maxRetries)
                    .allSatisfy(attempts -> assertThat(attempts).hasSize(maxRetries + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    @Timeout(60)
    void maxRetriesBoundsTheAttemptsOfARecord(int maxRetries) {
        {
            intercom.faultsOnlyFor("POST", "^/contacts$").failNext(1000, 500);
            migrator.set("delivery.max-retries", String.valueOf(maxRetries)).set("delivery.retry-initial-delay-ms", "5")
                    .set("delivery.retry-max-delay-ms", "5");
            migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);

            migrator.once();

            Map<String, List<RecordedRequest>> contacts = attemptsByBody("POST", "/contacts");
            assertThat(contacts).as("contacts tried, of %s", intercom.requests().stream()
                    .map(r -> r.method() + " " + r.path() + " " + r.status()).toList()).hasSize(3);
            assertThat(contacts.values()).as("attempts of each contact with delivery.max-retries=" + maxRetries)
                    .allSatisfy(attempts -> assertThat(attempts).hasSize(maxRetries + 1));
        }
    }

    /** Waits of 300, 600, 1200 ms between four attempts unless delivery.retry-max-delay-ms caps them. */
    @Test
    @Timeout(60)
    void initialDelayAndMaxDelaySpaceTheAttempts() {
        intercom.faultsOnlyFor("POST", "^/tags$").failNext(1000, 500);
        migrator.set("delivery.max-retries", "3").set("delivery.retry-initial-delay-ms", "300")
                .set("delivery.retry-max-delay-ms", "100000");
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);
        migrator.once();
        for (List<RecordedRequest> attempts : attemptsByBody("POST", "/tags").values()) {
            List<Long> gaps = gaps(attempts);
            assertThat(gaps.get(0)).as("first wait, delivery.retry-initial-delay-ms=300 (±15 %%)").isGreaterThanOrEqualTo(250);
            // Camel spreads each wait by up to ±15 % and grows the spread one (collision avoidance compounds): the
            // third wait is at least 300 · 0.85 · 2 · 0.85 · 2 · 0.85 = 737 ms, where a multiplier of 1 gives at most 397
            assertThat(gaps.get(2)).as("third wait, 300 · 2² (spread compounding ±15 %%)").isGreaterThanOrEqualTo(700);
        }

        intercom.reset();
        intercom.faultsOnlyFor("POST", "^/tags$").failNext(1000, 500);
        migrator.set("delivery.retry-max-delay-ms", "300");
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);
        migrator.once();
        for (List<RecordedRequest> attempts : attemptsByBody("POST", "/tags").values()) {
            List<Long> gaps = gaps(attempts);
            assertThat(gaps.get(2)).as("third wait capped by delivery.retry-max-delay-ms=300").isLessThan(900);
        }
    }

    /** An operator who edits the YAML's backOffMultiplier sees the waits grow by it. */
    @Test
    @Timeout(60)
    void backOffMultiplierInTheYamlGrowsTheWaits() throws Exception {
        Path errorHandling = home.resolve("routes/error-handling.camel.yaml");
        String yaml = Files.readString(errorHandling);
        assertThat(yaml).contains("backOffMultiplier: \"2\"");
        Files.writeString(errorHandling, yaml.replace("backOffMultiplier: \"2\"", "backOffMultiplier: \"5\""));
        intercom.faultsOnlyFor("POST", "^/tags$").failNext(1000, 500);
        migrator.set("delivery.max-retries", "2").set("delivery.retry-initial-delay-ms", "200")
                .set("delivery.retry-max-delay-ms", "100000");
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);

        migrator.once();

        for (List<RecordedRequest> attempts : attemptsByBody("POST", "/tags").values()) {
            List<Long> gaps = gaps(attempts);
            // 200 then 1000, each spread by up to ±15 % compounding: at least 200 · 0.85 · 5 · 0.85 = 722 ms; with a
            // multiplier of 2 the second wait would be at most 200 · 1.15 · 2 · 1.15 = 529 ms
            assertThat(gaps.get(1)).as("second wait, 200 · 5").isGreaterThanOrEqualTo(650);
        }
    }

    private Map<String, List<RecordedRequest>> attemptsByBody(String method, String path) {
        return intercom.requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path))
                .collect(Collectors.groupingBy(RecordedRequest::body));
    }

    private static List<Long> gaps(List<RecordedRequest> attempts) {
        List<RecordedRequest> sorted = attempts.stream().sorted(java.util.Comparator.comparing(RecordedRequest::at)).toList();
        return java.util.stream.IntStream.range(1, sorted.size())
                .mapToObj(i -> Duration.between(sorted.get(i - 1).at(), sorted.get(i).at()).toMillis()).toList();
    }
}
