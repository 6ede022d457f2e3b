package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local Ollama: {@code GET {base_url}/api/tags}, the models pulled on that machine, then for each model
 * kept {@code POST {base_url}/api/show} with {@code {"model": "<name>"}} for its details (capabilities,
 * context length; see {@link OllamaFacts}). Ollama itself has no auth; a key, when set, is sent as Bearer
 * for the proxies and hosted instances that want one.
 *
 * <p>The show calls belong to the same fetch: they share its total deadline, and there are at most
 * {@code max_models} of them (a longer tags list fails before any is made). A show call that fails fails
 * the whole fetch, like a failed page, so the provider keeps its last-known-good models rather than
 * losing their details for one run. The exception is a 404: the model was deleted between the two
 * calls, and is listed without details (the next fetch will not list it).
 */
public final class OllamaDialect implements ProviderDialect {
    private static final int NOT_FOUND = 404;

    @Override
    public ProviderKind kind() {
        return ProviderKind.OLLAMA;
    }

    @Override
    public ModelFacts facts(Model model) {
        return OllamaFacts.of(model);
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException {
        var headers = UpstreamRequests.headers(provider, UpstreamRequests.bearerAuth(provider));
        var uri = UpstreamRequests.endpoint(provider, "/api/tags", new LinkedHashMap<>());
        var body = ModelEntries.requireObjectBody(upstream.getJson(uri, headers));
        var entries = ModelEntries.requireArray(body, "models");
        var models = new ModelListBuilder(provider, maxModels);
        for (int i = 0; i < entries.size(); i++) {
            String where = "models[" + i + "]";
            ObjectNode entry = ModelEntries.requireEntry(entries.get(i), where);
            String id = ModelEntries.requireText(entry, "name", where);
            models.add(ModelEntries.withId(id, ModelEntries.epochSeconds(entry, "modified_at"), "", entry));
        }
        var detailed = new ArrayList<Model>();
        for (Model model : models.build()) detailed.add(withDetails(model, provider, upstream, headers));
        return List.copyOf(detailed);
    }

    private static Model withDetails(Model model, ProviderConfig provider, UpstreamClient upstream, Map<String, String> headers)
            throws FetchException, InterruptedException {
        var uri = UpstreamRequests.endpoint(provider, "/api/show", new LinkedHashMap<>());
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("model", model.id());
        ObjectNode show;
        try {
            show = ModelEntries.requireObjectBody(upstream.postJson(uri, headers, request));
        } catch (FetchException e) {
            if (e.httpStatus().orElse(0) == NOT_FOUND) return model;
            throw e.withReason("details of model \"" + model.id() + "\": " + e.getMessage());
        }
        ObjectNode metadata = model.metadata().deepCopy();
        metadata.set(OllamaFacts.SHOW, OllamaFacts.trimShow(show));
        return new Model(model.id(), model.created(), model.ownedBy(), metadata);
    }
}
