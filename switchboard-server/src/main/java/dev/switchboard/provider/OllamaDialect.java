package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A local Ollama: {@code GET {base_url}/api/tags}, the models pulled on that machine. Ollama itself
 * has no auth; a key, when set, is sent as Bearer for the proxies and hosted instances that want one.
 */
public final class OllamaDialect implements ProviderDialect {

    @Override
    public ProviderKind kind() {
        return ProviderKind.OLLAMA;
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException {
        var uri = UpstreamRequests.endpoint(provider, "/api/tags", new LinkedHashMap<>());
        var body = ModelEntries.requireObjectBody(
                upstream.getJson(uri, UpstreamRequests.headers(provider, UpstreamRequests.bearerAuth(provider))));
        var entries = ModelEntries.requireArray(body, "models");
        var models = new ModelListBuilder(provider, maxModels);
        for (int i = 0; i < entries.size(); i++) {
            String where = "models[" + i + "]";
            ObjectNode entry = ModelEntries.requireEntry(entries.get(i), where);
            String id = ModelEntries.requireText(entry, "name", where);
            models.add(ModelEntries.withId(id, ModelEntries.epochSeconds(entry, "modified_at"), "", entry));
        }
        return models.build();
    }
}
