package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An upstream that always has "one more page" is read for at most 1000 pages, and no further than max_models. In memory: no HTTP needed. */
class PaginationBoundsTest {
    private final AtomicInteger calls = new AtomicInteger();

    private UpstreamClient endless(IntFunction<ObjectNode> page) {
        return (uri, headers) -> page.apply(calls.incrementAndGet());
    }

    private static ObjectNode anthropicPage(int n) {
        var page = JsonNodeFactory.instance.objectNode();
        page.putArray("data").addObject().put("id", "m" + n);
        return page.put("has_more", true).put("last_id", "m" + n);
    }

    private static ObjectNode geminiPage(int n) {
        var page = JsonNodeFactory.instance.objectNode();
        page.putArray("models").addObject().put("name", "models/m" + n);
        return page.put("nextPageToken", "token-" + n);
    }

    @Test
    void anthropicStopsAfterAThousandPages() {
        var provider = ProviderConfig.of("anthropic", ProviderKind.ANTHROPIC, URI.create("http://unused"));

        assertThatThrownBy(() -> new AnthropicDialect().listModels(provider, endless(PaginationBoundsTest::anthropicPage)))
                .isInstanceOf(FetchException.class)
                .hasMessage("pagination did not end after 1000 pages");
        assertThat(calls).hasValue(PageCursors.MAX_PAGES);
    }

    @Test
    void geminiStopsAtThePageThatGoesOverMaxModels() {
        var provider = ProviderConfig.of("gemini", ProviderKind.GEMINI, URI.create("http://unused"));

        assertThatThrownBy(() -> new GeminiDialect().listModels(provider, endless(PaginationBoundsTest::geminiPage), 3))
                .hasMessage("upstream listed more than 3 models, over the max_models cap; the rest was not read");
        assertThat(calls).hasValue(4);
    }

    @Test
    void geminiStopsAfterAThousandPages() {
        var provider = ProviderConfig.of("gemini", ProviderKind.GEMINI, URI.create("http://unused"));

        assertThatThrownBy(() -> new GeminiDialect().listModels(provider, endless(PaginationBoundsTest::geminiPage)))
                .hasMessage("pagination did not end after 1000 pages");
        assertThat(calls).hasValue(PageCursors.MAX_PAGES);
    }
}
