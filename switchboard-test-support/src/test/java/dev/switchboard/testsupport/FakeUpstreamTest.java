package dev.switchboard.testsupport;

import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts the benchmarks use: prefix routing and generated model lists. */
class FakeUpstreamTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void generated_lists_have_the_asked_size_and_names() throws Exception {
        try (var upstream = FakeUpstream.start()) {
            upstream.onPrefix("/p/", FakeUpstream.generatedModelLists());
            var response = get(upstream.uri("/p/acme/3/models"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("{\"object\":\"list\",\"data\":[{\"id\":\"acme-model-00001\"")
                    .contains("\"acme-model-00003\"").doesNotContain("acme-model-00004");
            assertThat(get(upstream.uri("/p/acme/3/other")).statusCode()).isEqualTo(404);
            assertThat(get(upstream.uri("/p/acme/many/models")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void an_exact_path_beats_a_prefix_and_the_longest_prefix_wins() throws Exception {
        try (var upstream = FakeUpstream.start()) {
            upstream.onPrefix("/a/", request -> Reply.json("\"short\""))
                    .onPrefix("/a/b/", request -> Reply.json("\"long\""))
                    .onJson("/a/b/c", "\"exact\"");
            assertThat(get(upstream.uri("/a/x")).body()).isEqualTo("\"short\"");
            assertThat(get(upstream.uri("/a/b/x")).body()).isEqualTo("\"long\"");
            assertThat(get(upstream.uri("/a/b/c")).body()).isEqualTo("\"exact\"");
            assertThat(get(upstream.uri("/none")).statusCode()).isEqualTo(404);
            assertThat(upstream.requestCount("/a/b/c")).isEqualTo(1);
        }
    }
}
