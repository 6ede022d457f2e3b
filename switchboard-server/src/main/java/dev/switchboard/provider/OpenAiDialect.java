package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * Any OpenAI-compatible API: {@code GET {base_url}/models} with Bearer auth. Compatibles (vLLM,
 * LM Studio, Groq, DeepSeek …) may leave out {@code object}, {@code created} and {@code owned_by}.
 * No facts: the list gives ids, {@code owned_by} and {@code created}, which is when the entry was created
 * (OpenAI's own fine-tunes and snapshots alike), not a release date; what compatibles add is theirs alone,
 * with no common meaning. Metadata catalogs and the config fill in for these providers.
 */
public final class OpenAiDialect implements ProviderDialect {

    @Override
    public ProviderKind kind() {
        return ProviderKind.OPENAI;
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException {
        var uri = UpstreamRequests.endpoint(provider, "/models", new LinkedHashMap<>());
        var body = upstream.getJson(uri, UpstreamRequests.headers(provider, UpstreamRequests.bearerAuth(provider)));
        var list = OpenAiListShape.of(body);
        var models = new ModelListBuilder(provider, maxModels);
        for (int i = 0; i < list.entries().size(); i++) {
            var entry = ModelEntries.requireEntry(list.entries().get(i), list.where(i));
            models.add(ModelEntries.openAiModel(entry, list.where(i)));
        }
        return models.build();
    }
}
