package dev.switchboard.events;

import dev.switchboard.FeedTestSupport;
import dev.switchboard.SseClient;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The framing, headers, heartbeat, filters and parameter errors of GET /api/v1/events. */
class SseProtocolTest extends FeedTestSupport {

    @Override
    protected FeedSettings settings() {
        return FeedSettings.defaults().withHeartbeat(Duration.ofMillis(50));
    }

    @Test
    void theStreamIsAnUnbufferedEventStreamThatStartsWithARetryHintAndTheCurrentRevision() {
        long current = feed.change("a");
        try (SseClient subscriber = feed.subscribe("")) {
            assertThat(subscriber.status()).isEqualTo(200);
            assertThat(subscriber.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(subscriber.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(subscriber.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(subscriber.header("X-Switchboard-Revision")).isEqualTo(Long.toString(current));
            await().until(() -> !subscriber.retryLines().isEmpty());
            assertThat(subscriber.retryLines().getFirst()).isEqualTo("retry: 1000");
        }
    }

    @Test
    void eachEventCarriesItsRevisionAsIdItsTypeAsEventAndTheEnvelopeAsData() {
        try (SseClient subscriber = feed.subscribe("")) {
            long revision = feed.change("a");

            SseClient.Event event = subscriber.next();

            assertThat(event.id()).isEqualTo(Long.toString(revision));
            assertThat(event.type()).isEqualTo("model_catalog.changed");
            assertThat(event.json().path("revision").asLong()).isEqualTo(revision);
            assertThat(event.json().path("type").asText()).isEqualTo("model_catalog.changed");
            assertThat(event.json().path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
            assertThat(event.json().path("data").path("changed").get(0).path("provider_id").asText()).isEqualTo("a");
        }
    }

    @Test
    void anIdleStreamGetsPingComments() {
        try (SseClient subscriber = feed.subscribe("")) {
            await().until(() -> subscriber.comments().size() >= 2);
            assertThat(subscriber.comments()).containsOnly(": ping");
        }
    }

    @Test
    void sinceReplaysTheEventsAfterIt() {
        long first = feed.change("a");
        long second = feed.change("b");
        try (SseClient subscriber = feed.subscribe("?since=" + (first - 1))) {
            assertThat(subscriber.next(2)).extracting(SseClient.Event::revision).containsExactly(first, second);
        }
    }

    @Test
    void lastEventIdWinsOverSinceAsABrowserReconnectingSendsBoth() {
        long first = feed.change("a");
        long second = feed.change("a");
        try (SseClient subscriber = feed.subscribe("?since=0", "Last-Event-ID", Long.toString(first))) {
            assertThat(subscriber.next().revision()).isEqualTo(second);
        }
    }

    @Test
    void theProvidersFilterKeepsTheEventsThatConcernThem() {
        try (SseClient onlyB = feed.subscribe("?providers=b,unknown")) {
            feed.change("a");
            long b = feed.change("b");
            assertThat(onlyB.next().revision()).isEqualTo(b);
        }
    }

    @Test
    void theTypesFilterTakesExactTypesAndPrefixes() {
        try (SseClient exact = feed.subscribe("?types=provider.status_changed");
             SseClient prefix = feed.subscribe("?types=provider.*");
             SseClient catalog = feed.subscribe("?types=model_catalog.changed")) {
            long changed = feed.change("b");
            feed.upstream().on("/a/v1/models", request -> FakeUpstream.Reply.json(500, "{}"));
            long failed = feed.refresh("a"); // a status change only: never → error
            long changedAgain = feed.change("b");

            assertThat(exact.next().revision()).isEqualTo(failed);
            assertThat(prefix.next().revision()).isEqualTo(failed);
            assertThat(catalog.next(2)).extracting(SseClient.Event::revision).containsExactly(changed, changedAgain);
        }
    }

    @Test
    void theAliasesFilterMatchesNothingUntilModelConfigurationEventsExist() {
        feed.change("a");

        TestHttp.Response response = feed.http().get("/api/v1/events?since=0&aliases=planner", "Accept", "application/json");

        assertThat(response.text()).isEqualTo("[]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "?since=abc               | since must be a revision (a whole number, 0 or more), got \"abc\"",
            "?since=-1                | since must be a revision (a whole number, 0 or more), got \"-1\"",
            "?wait=forever            | wait must be a duration such as",
            "?wait=61s                | wait must be at most 1m, got \"61s\""})
    void aMalformedParameterIsABadRequest(String query, String message) {
        TestHttp.Response response = feed.http().get("/api/v1/events" + query, "Accept", "application/json");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("invalid_request");
        assertThat(response.json().path("error").path("message").asText()).startsWith(message);
    }

    @Test
    void aMalformedLastEventIdIsABadRequest() {
        TestHttp.Response response = feed.http().get("/api/v1/events", "Last-Event-ID", "r12");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText())
                .isEqualTo("Last-Event-ID must be a revision (a whole number, 0 or more), got \"r12\"");
    }
}
