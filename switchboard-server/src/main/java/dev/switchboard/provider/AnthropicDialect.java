package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's {@code GET {base_url}/v1/models}: {@code x-api-key} and {@code anthropic-version}
 * headers, pages of up to 1000 followed with {@code has_more} / {@code last_id} → {@code after_id}.
 * Facts: {@link AnthropicFacts}.
 */
public final class AnthropicDialect implements ProviderDialect {
    /** The API version the response shape below was written against; a configured header overrides it. */
    static final String API_VERSION = "2023-06-01";
    /** The largest page the API serves, so that most catalogs take one request. */
    static final String PAGE_SIZE = "1000";
    static final String OWNER = "anthropic";

    @Override
    public ProviderKind kind() {
        return ProviderKind.ANTHROPIC;
    }

    @Override
    public ModelFacts facts(Model model) {
        return AnthropicFacts.of(model);
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException {
        var headers = UpstreamRequests.headers(provider, dialectHeaders(provider));
        var models = new ModelListBuilder(provider, maxModels);
        var cursors = new PageCursors();
        String afterId = null;
        while (true) {
            var page = ModelEntries.requireObjectBody(upstream.getJson(pageUri(provider, afterId), headers));
            addModels(page, models);
            if (!page.path("has_more").asBoolean(false)) return models.build();
            afterId = ModelEntries.requireText(page, "last_id", "a page with has_more");
            cursors.advance(afterId);
        }
    }

    private static Map<String, String> dialectHeaders(ProviderConfig provider) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("anthropic-version", API_VERSION);
        if (provider.apiKey().isPresent()) headers.put("x-api-key", provider.apiKey().value());
        return headers;
    }

    private static URI pageUri(ProviderConfig provider, String afterId) throws FetchException {
        var query = new LinkedHashMap<String, String>();
        query.put("limit", PAGE_SIZE);
        if (afterId != null) query.put("after_id", afterId);
        return UpstreamRequests.endpoint(provider, "/v1/models", query);
    }

    private static void addModels(ObjectNode page, ModelListBuilder models) throws FetchException {
        var data = ModelEntries.requireArray(page, "data");
        for (int i = 0; i < data.size(); i++) {
            String where = "data[" + i + "]";
            ObjectNode entry = ModelEntries.requireEntry(data.get(i), where);
            String id = ModelEntries.requireText(entry, "id", where);
            models.add(ModelEntries.withId(id, ModelEntries.epochSeconds(entry, "created_at"), OWNER, entry));
        }
    }
}
