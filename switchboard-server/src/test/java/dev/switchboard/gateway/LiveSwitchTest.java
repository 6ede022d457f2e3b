package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11: a configuration change applies to the next request — no restart, no client change. An alias is
 * switched to another provider while a client loops on it: no request fails, and every request that starts after
 * the change event was seen goes to the new target; a request in flight finishes on the old one.
 */
class LiveSwitchTest {
    static final String CHAT = "{\"model\":\"planner\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;
    FakeUpstream a;
    FakeUpstream b;
    Switchboard switchboard;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        a = FakeUpstream.start();
        b = FakeUpstream.start();
        a.onJson("/v1/models", openAiList("m"));
        b.onJson("/v1/models", openAiList("m"));
        Upstreams.answersChat(a, "/v1/chat/completions", "from-a", "a");
        Upstreams.answersChat(b, "/v1/chat/completions", "from-b", "b");
        switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of(TestConfigs.openai("a", a.uri("/v1")),
                TestConfigs.openai("b", b.uri("/v1"))))).serve();
        http = new TestHttp(switchboard.port());
        http.post("/api/v1/providers:refresh");
        assertThat(http.json("POST", "/api/v1/model-configs", "{\"alias\":\"planner\",\"provider\":\"a\",\"model\":\"m\"}").status())
                .isEqualTo(201);
    }

    @AfterEach
    void stop() {
        http.close();
        switchboard.close();
        a.close();
        b.close();
    }

    /** One request of the loop: whether it started after the change event had been seen, and what answered. */
    record Call(boolean afterChange, int status, String target, String id) {
    }

    @Test
    void switchingAnAliasWhileAClientLoopsFailsNothingAndTakesEffectAtTheNextRequest() throws Exception {
        List<Call> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean changeSeen = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        try (var loop = Executors.newVirtualThreadPerTaskExecutor(); TestHttp client = new TestHttp(switchboard.port())) {
            Future<?> looping = loop.submit(() -> {
                while (running.get()) {
                    boolean afterChange = changeSeen.get();
                    TestHttp.Response answer = client.json("POST", "/v1/chat/completions", CHAT);
                    calls.add(new Call(afterChange, answer.status(), answer.header("X-Switchboard-Target"),
                            answer.status() == 200 ? answer.json().path("id").asText() : answer.text()));
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() >= 5);
            long before = http.get("/api/v1/model-configs/planner").revision();

            TestHttp.Response switched = http.json("PATCH", "/api/v1/model-configs/planner", "{\"provider\":\"b\"}");
            assertThat(switched.status()).as(switched.text()).isEqualTo(200);
            // what a client following the feed sees: the change event
            JsonNode events = http.get("/api/v1/events?since=" + before + "&wait=5s", "Accept", "application/json").json();
            assertThat(events.get(0).path("type").asText()).isEqualTo("model_config.updated");
            changeSeen.set(true);

            int seenAt = calls.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() >= seenAt + 5);
            running.set(false);
            looping.get();
        }

        assertThat(calls).allSatisfy(call -> assertThat(call.status()).as(call.toString()).isEqualTo(200));
        assertThat(calls.getFirst().target()).isEqualTo("a/m");
        assertThat(calls.stream().filter(Call::afterChange)).isNotEmpty()
                .allSatisfy(call -> assertThat(call.target()).isEqualTo("b/m"))
                .allSatisfy(call -> assertThat(call.id()).isEqualTo("from-b"));
    }

    @Test
    void aRequestInFlightFinishesOnTheOldTarget() throws Exception {
        a.on("/v1/chat/completions", request -> Reply.json(Upstreams.chatCompletion("slow-a", "m", "a")).after(Duration.ofMillis(500)));
        CompletableFuture<TestHttp.Response> inFlight = http.jsonAsync("POST", "/v1/chat/completions", CHAT);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.requestCount("/v1/chat/completions") == 1);

        assertThat(http.json("PATCH", "/api/v1/model-configs/planner", "{\"provider\":\"b\"}").status()).isEqualTo(200);
        TestHttp.Response next = http.json("POST", "/v1/chat/completions", CHAT);

        assertThat(next.header("X-Switchboard-Target")).isEqualTo("b/m");
        TestHttp.Response old = inFlight.get();
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.header("X-Switchboard-Target")).isEqualTo("a/m");
        assertThat(old.json().path("id").asText()).isEqualTo("slow-a");
    }
}
