package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google's Gemini API: {@code GET {base_url}/v1beta/models?key=…}, pages followed with
 * {@code nextPageToken} → {@code pageToken}. Ids drop the {@code models/} resource prefix.
 * The key travels in the URL, which is why reasons never quote a request's query. Facts: {@link GeminiFacts}.
 */
public final class GeminiDialect implements ProviderDialect {
    /** The largest page the API serves. */
    static final String PAGE_SIZE = "1000";
    static final String RESOURCE_PREFIX = "models/";
    static final String OWNER = "google";

    @Override
    public ProviderKind kind() {
        return ProviderKind.GEMINI;
    }

    @Override
    public ModelFacts facts(Model model) {
        return GeminiFacts.of(model);
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException {
        var headers = UpstreamRequests.headers(provider, Map.of());
        var models = new ModelListBuilder(provider, maxModels);
        var cursors = new PageCursors();
        String pageToken = null;
        while (true) {
            var page = ModelEntries.requireObjectBody(upstream.getJson(pageUri(provider, pageToken), headers));
            addModels(page, models);
            // Google APIs signal the last page by leaving the token out (or sending it empty).
            pageToken = page.path("nextPageToken").asText("");
            if (pageToken.isEmpty()) return models.build();
            cursors.advance(pageToken);
        }
    }

    private static URI pageUri(ProviderConfig provider, String pageToken) throws FetchException {
        var query = new LinkedHashMap<String, String>();
        if (provider.apiKey().isPresent()) query.put("key", provider.apiKey().value());
        query.put("pageSize", PAGE_SIZE);
        if (pageToken != null) query.put("pageToken", pageToken);
        return UpstreamRequests.endpoint(provider, "/v1beta/models", query);
    }

    private static void addModels(ObjectNode page, ModelListBuilder models) throws FetchException {
        // An empty page has no "models" field at all: proto3 JSON omits empty repeated fields.
        var entries = ModelEntries.optionalArray(page, "models");
        if (entries.isEmpty()) return;
        for (int i = 0; i < entries.get().size(); i++) {
            String where = "models[" + i + "]";
            ObjectNode entry = ModelEntries.requireEntry(entries.get().get(i), where);
            String name = ModelEntries.requireText(entry, "name", where);
            String id = name.startsWith(RESOURCE_PREFIX) ? name.substring(RESOURCE_PREFIX.length()) : name;
            if (id.isBlank()) throw ModelEntries.malformed(where + " has a blank \"name\"");
            models.add(ModelEntries.withId(id, 0, OWNER, entry));
        }
    }
}
