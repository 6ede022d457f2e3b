package dev.switchboard.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.FeedFixture;
import dev.switchboard.SseClient;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Each event type carries exactly its documented payload (docs/events.md), live and replayed alike. */
class EventPayloadTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRefreshPublishesTheCatalogDiffWithFailuresThenEachStatusChange() throws Exception {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a", "b")) {
            feed.upstream().on("/a/v1/models", request -> Reply.json(
                    "{\"data\":[{\"id\":\"x\"},{\"id\":\"y\",\"owned_by\":\"one\"},{\"id\":\"w\"}]}"));
            feed.http().post("/api/v1/providers:refresh");
            feed.upstream().on("/a/v1/models", request -> Reply.json(
                    "{\"data\":[{\"id\":\"y\",\"owned_by\":\"two\"},{\"id\":\"w\"},{\"id\":\"z\"}]}"));
            feed.upstream().on("/b/v1/models", request -> Reply.json(500, "{\"error\":\"down\"}"));

            try (SseClient subscriber = feed.subscribe("")) {
                JsonNode result = feed.http().post("/api/v1/providers:refresh").json();
                String reason = result.path("failed").get(0).path("reason").asText();
                long revision = result.path("revision").asLong();

                SseClient.Event catalog = subscriber.next();
                assertThat(catalog.type()).isEqualTo("model_catalog.changed");
                assertThat(catalog.revision()).isEqualTo(revision - 1);
                assertThat(catalog.json().path("data")).isEqualTo(json("""
                        {"changed": [{"provider_id": "a", "added": ["z"], "removed": ["x"], "updated": ["y"],
                                      "updated_fields": {"y": ["metadata"]}, "normalized": {"y": {}}}],
                         "failed": [{"provider_id": "b", "reason": %s}]}""".formatted(mapper.writeValueAsString(reason))));

                SseClient.Event status = subscriber.next();
                assertThat(status.type()).isEqualTo("provider.status_changed");
                assertThat(status.revision()).isEqualTo(revision);
                assertThat(status.json().path("data")).isEqualTo(json("""
                        {"provider_id": "b", "from": "ok", "to": "error", "reason": %s}""".formatted(mapper.writeValueAsString(reason))));

                assertThat(catalog.json().fieldNames()).toIterable().containsExactly("revision", "type", "time", "data");
            }
        }
    }

    @Test
    void aReplayedEventIsTheLiveOneByteForByte() {
        try (FeedFixture feed = FeedFixture.start(dir, FeedSettings.defaults(), "a")) {
            SseClient.Event live;
            try (SseClient subscriber = feed.subscribe("")) {
                feed.change("a");
                live = subscriber.next();
            }
            feed.stop();
            feed.open(FeedSettings.defaults(), Clock.systemUTC()); // nothing in memory: the replay reads the store
            try (SseClient replaying = feed.subscribe("?since=" + (live.revision() - 1))) {
                assertThat(replaying.next()).isEqualTo(live);
            }
        }
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }
}
