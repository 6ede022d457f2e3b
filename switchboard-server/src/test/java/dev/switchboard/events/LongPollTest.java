package dev.switchboard.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.FeedTestSupport;
import dev.switchboard.TestHttp;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/events with Accept: application/json: a JSON array of envelopes, waiting up to ?wait= for one. */
class LongPollTest extends FeedTestSupport {
    private static final String[] JSON = {"Accept", "application/json"};

    @Test
    void theEventsAfterSinceComeBackAtOnceAsAnArrayOfEnvelopes() {
        long first = feed.change("a");
        long second = feed.change("b");

        TestHttp.Response response = feed.http().get("/api/v1/events?since=" + (first - 1) + "&wait=30s", JSON);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.revision()).isEqualTo(second);
        JsonNode events = response.json();
        assertThat(events.findValuesAsText("type")).containsExactly("model_catalog.changed", "model_catalog.changed");
        assertThat(events.get(0).path("revision").asLong()).isEqualTo(first);
        assertThat(events.get(1).path("data").path("changed").get(0).path("provider_id").asText()).isEqualTo("b");
    }

    @Test
    void aPollWithNothingNewAnswersWithTheFirstEventAsSoonAsItIsPublished() throws Exception {
        long current = feed.change("a");
        CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() ->
                feed.http().get("/api/v1/events?since=" + current + "&wait=30s", JSON));
        // the poll is open and caught up: it waits for a live event
        org.awaitility.Awaitility.await().until(() -> metricSubscribers() == 1
                && feed.switchboard().feed().oldestNeeded() == Long.MAX_VALUE);

        long next = feed.change("b");

        JsonNode events = poll.get().json();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("revision").asLong()).isEqualTo(next);
    }

    @Test
    void aPollWithNothingNewAnswersWithAnEmptyArrayAtTheTimeout() {
        long current = feed.change("a");

        TestHttp.Response response = feed.http().get("/api/v1/events?since=" + current + "&wait=200ms", JSON);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("[]");
        assertThat(response.revision()).isEqualTo(current);
    }

    @Test
    void withoutWaitAPollAnswersAtOnce() {
        assertThat(feed.http().get("/api/v1/events", JSON).text()).isEqualTo("[]");
    }

    @Test
    void filtersApplyToALongPoll() {
        long since = feed.change("a");
        feed.change("a");
        long b = feed.change("b");

        JsonNode events = feed.http().get("/api/v1/events?since=" + since + "&providers=b", JSON).json();

        assertThat(events.findValuesAsText("revision")).containsExactly(Long.toString(b));
    }

    @Test
    void aPollBeyondTheLogAnswersWithResyncRequired() {
        long current = feed.change("a");

        JsonNode events = feed.http().get("/api/v1/events?since=" + (current + 5), JSON).json();

        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("resync_required");
        assertThat(events.get(0).path("data").path("revision").asLong()).isEqualTo(current);
    }

    private double metricSubscribers() {
        return feed.http().get("/metrics").text().lines().filter(l -> l.startsWith("switchboard_events_subscribers "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }
}
