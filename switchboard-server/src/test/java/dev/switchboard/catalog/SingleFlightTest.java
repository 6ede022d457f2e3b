package dev.switchboard.catalog;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/** Hadrian's finding: concurrent requests on a cold provider share one upstream call, and the answer is kept. */
class SingleFlightTest {
    @TempDir
    Path dir;

    @Test
    void fiftyConcurrentModelListRequestsOnAColdProviderMakeOneUpstreamCall() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on("/v1/models", request -> Reply.json(openAiList("m1", "m2")).after(Duration.ofMillis(400)));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir,
                    List.of(TestConfigs.openai("cold", upstream.uri("/v1"))))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {

                List<CompletableFuture<TestHttp.Response>> requests = IntStream.range(0, 50)
                        .mapToObj(i -> http.getAsync("/v1/models")).toList();
                CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();

                for (var response : requests) {
                    assertThat(response.join().status()).isEqualTo(200);
                    assertThat(response.join().json().findValuesAsText("id")).containsExactly("cold/m1", "cold/m2");
                }
                assertThat(upstream.requestCount("/v1/models")).isEqualTo(1);
                // written back: later reads are served from memory without another call
                assertThat(http.get("/v1/models").json().findValuesAsText("id")).contains("cold/m1");
                assertThat(upstream.requestCount("/v1/models")).isEqualTo(1);
            }
        }
    }

    @Test
    void aMissOnOneModelOfAColdProviderFetchesItOnce() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.on("/v1/models", request -> Reply.json(openAiList("m1")).after(Duration.ofMillis(200)));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir,
                    List.of(TestConfigs.openai("cold", upstream.uri("/v1"))))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {

                List<CompletableFuture<TestHttp.Response>> requests = IntStream.range(0, 20)
                        .mapToObj(i -> http.getAsync("/v1/models/cold/m1")).toList();
                for (var response : requests) assertThat(response.join().status()).isEqualTo(200);
                assertThat(upstream.requestCount("/v1/models")).isEqualTo(1);

                // an unknown id on a freshly fetched provider does not fetch again (no stampede by bad ids)
                assertThat(http.get("/v1/models/cold/nope").status()).isEqualTo(404);
                assertThat(upstream.requestCount("/v1/models")).isEqualTo(1);
            }
        }
    }
}
