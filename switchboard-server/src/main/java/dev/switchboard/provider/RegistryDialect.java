package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;

import java.util.List;

/**
 * An organisation's own catalog: a JSON document at {@code base_url} itself (http, https, or a
 * {@code file:} URI for a bundled registry), in the OpenAI list shape or a plain array whose items
 * are model ids or objects with an {@code id}. Facts: {@link RegistryFacts} (the OpenRouter shape, or
 * Switchboard's own field names).
 */
public final class RegistryDialect implements ProviderDialect {

    @Override
    public ProviderKind kind() {
        return ProviderKind.REGISTRY;
    }

    @Override
    public ModelFacts facts(Model model) {
        return RegistryFacts.of(model);
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException {
        var uri = UpstreamRequests.baseUrl(provider);
        var body = upstream.getJson(uri, UpstreamRequests.headers(provider, UpstreamRequests.bearerAuth(provider)));
        var list = OpenAiListShape.of(body);
        var models = new ModelListBuilder(provider, maxModels);
        for (int i = 0; i < list.entries().size(); i++) {
            models.add(model(list.entries().get(i), list.where(i)));
        }
        return models.build();
    }

    private static Model model(JsonNode item, String where) throws FetchException {
        if (item instanceof ObjectNode entry) return ModelEntries.openAiModel(entry, where);
        if (item.isTextual() && !item.asText().isBlank()) return ModelEntries.bareId(item.asText());
        if (item.isTextual()) throw ModelEntries.malformed(where + " is a blank model id");
        throw ModelEntries.malformed("expected " + where + " to be a model id or an object, got "
                + ModelEntries.describe(item));
    }
}
