package dev.switchboard.provider;

import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicDialectTest extends DialectTestSupport {
    private final AnthropicDialect dialect = new AnthropicDialect();

    /** Serves ids in pages: the page after {@code after_id} is the one whose predecessor ended with it. */
    private void servePages(String[]... pages) {
        var byAfterId = new LinkedHashMap<String, String>();
        String previousLast = null;
        for (int i = 0; i < pages.length; i++) {
            String[] ids = pages[i];
            boolean hasMore = i < pages.length - 1;
            byAfterId.put(previousLast == null ? "" : previousLast, page(ids, hasMore));
            previousLast = ids[ids.length - 1];
        }
        upstream.on("/v1/models", request -> Reply.json(byAfterId.get(request.query().getOrDefault("after_id", ""))));
    }

    private static String page(String[] ids, boolean hasMore) {
        String data = Arrays.stream(ids)
                .map(id -> """
                        {"type":"model","id":"%s","display_name":"%s","created_at":"2025-02-19T00:00:00Z"}"""
                        .formatted(id, id.toUpperCase()))
                .collect(Collectors.joining(","));
        return """
                {"data":[%s],"has_more":%s,"first_id":"%s","last_id":"%s"}"""
                .formatted(data, hasMore, ids[0], ids[ids.length - 1]);
    }

    @Test
    void followsLastIdAcrossThreePages() throws Exception {
        servePages(new String[]{"claude-a", "claude-b"}, new String[]{"claude-c", "claude-d"}, new String[]{"claude-e"});

        var models = dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client);

        assertThat(ids(models)).containsExactly("claude-a", "claude-b", "claude-c", "claude-d", "claude-e");
        var requests = upstream.requests("/v1/models");
        assertThat(requests).extracting(FakeUpstream.RecordedRequest::query).containsExactly(
                Map.of("limit", "1000"),
                Map.of("limit", "1000", "after_id", "claude-b"),
                Map.of("limit", "1000", "after_id", "claude-d"));
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.header("x-api-key")).contains(KEY);
            assertThat(request.header("anthropic-version")).contains("2023-06-01");
            assertThat(request.header("Authorization")).isEmpty();
        });
    }

    @Test
    void createdComesFromCreatedAtAndTheEntryIsKeptAsMetadata() throws Exception {
        upstream.onJson("/v1/models", """
                {"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4",
                          "created_at":"2025-05-22T00:00:00Z"}],"has_more":false}""");

        var model = dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client).getFirst();

        assertThat(model.id()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(model.created()).isEqualTo(Instant.parse("2025-05-22T00:00:00Z").getEpochSecond());
        assertThat(model.ownedBy()).isEqualTo("anthropic");
        assertThat(model.metadata()).isEqualTo(json("""
                {"type":"model","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}"""));
    }

    @Test
    void configuredHeadersOverrideTheApiVersionAndAreSentOnEveryPage() throws Exception {
        servePages(new String[]{"a"}, new String[]{"b"});
        var provider = provider(ProviderKind.ANTHROPIC, "")
                .withHeaders(Map.of("Anthropic-Version", "2099-01-01", "anthropic-beta", "models-2099"));

        dialect.listModels(provider, client);

        assertThat(upstream.requests("/v1/models")).hasSize(2).allSatisfy(request -> {
            assertThat(request.headers().get("anthropic-version")).containsExactly("2099-01-01");
            assertThat(request.header("anthropic-beta")).contains("models-2099");
        });
    }

    @Test
    void sendsNoKeyHeaderWithoutAKey() throws Exception {
        servePages(new String[]{"a"});

        dialect.listModels(provider(ProviderKind.ANTHROPIC, "").withApiKey(Secret.NONE), client);

        assertThat(upstream.lastRequest("/v1/models").header("x-api-key")).isEmpty();
    }

    @Test
    void duplicateIdsAcrossPagesKeepTheFirst() throws Exception {
        servePages(new String[]{"a", "b"}, new String[]{"b", "c"});

        assertThat(ids(dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client))).containsExactly("a", "b", "c");
    }

    @Test
    void aCursorThatRepeatsStopsThePagination() {
        upstream.onJson("/v1/models", "{\"data\":[{\"id\":\"a\"}],\"has_more\":true,\"last_id\":\"a\"}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client))
                .hasMessage("malformed response: pagination cursor repeated after page 2");
        assertThat(upstream.requestCount("/v1/models")).isEqualTo(2);
    }

    @Test
    void hasMoreWithoutLastIdIsMalformed() {
        upstream.onJson("/v1/models", "{\"data\":[{\"id\":\"a\"}],\"has_more\":true}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client))
                .hasMessage("malformed response: a page with has_more has no \"last_id\"");
    }

    @Test
    void dataThatIsNotAnArrayIsMalformed() {
        upstream.onJson("/v1/models", "{\"data\":\"claude\",\"has_more\":false}");

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client))
                .hasMessage("malformed response: expected field \"data\" to be an array");
    }

    @Test
    void theTotalDeadlineSpansAllPages() {
        // Each page comes well within the request timeout; eight of them do not fit in the deadline.
        upstream.on("/v1/models", request -> {
            String afterId = request.query().getOrDefault("after_id", "");
            int next = afterId.isEmpty() ? 0 : Integer.parseInt(afterId.substring(1)) + 1;
            return Reply.json(page(new String[]{"m" + next}, next < 7)).after(Duration.ofMillis(150));
        });

        assertThatThrownBy(() -> dialect.listModels(provider(ProviderKind.ANTHROPIC, ""),
                client.withDeadline(Instant.now().plusMillis(400))))
                .hasMessage("total deadline exceeded");
        assertThat(upstream.requestCount("/v1/models")).isLessThan(8);
    }

    @Test
    void factsFromTheRecordedListing() throws Exception {
        upstream.onJson("/v1/models", fixture("anthropic-models.json"));

        var facts = factsById(dialect, dialect.listModels(provider(ProviderKind.ANTHROPIC, ""), client));

        assertThat(facts).containsExactly(
                Map.entry("claude-opus-4-5-20251101", facts("""
                        {"display_name":"Claude Opus 4.5","release_date":"2025-11-24","context_window":200000,
                         "max_output_tokens":64000,"input_modalities":["text","image","file"],
                         "capabilities":["reasoning","structured_output","vision","code_execution"]}""")),
                // Every capability the object answers "false" for: the set is empty, not absent.
                Map.entry("claude-3-5-haiku-20241022", facts("""
                        {"display_name":"Claude Haiku 3.5","release_date":"2024-10-22","context_window":200000,
                         "max_output_tokens":8192,"input_modalities":["text","file"],"capabilities":[]}""")),
                // The older answer: no limits, no capabilities object, so those fields stay absent.
                Map.entry("claude-3-haiku-20240307", facts("""
                        {"display_name":"Claude Haiku 3","release_date":"2024-03-07"}""")),
                // A blank name, the epoch for "date unknown", limits that are no token counts: nothing.
                Map.entry("claude-internal-preview", ModelFacts.EMPTY));
    }
}
