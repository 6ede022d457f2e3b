package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;

import java.util.List;

/**
 * Models listed in the config itself ({@code static_models}); nothing is fetched, so there are no upstream
 * facts: what the config says about a model is the {@code config} source, read elsewhere.
 */
public final class StaticDialect implements ProviderDialect {

    @Override
    public ProviderKind kind() {
        return ProviderKind.STATIC;
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels) throws FetchException {
        var models = new ModelListBuilder(provider, maxModels);
        var ids = provider.staticModels();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank()) throw new FetchException("static_models[" + i + "] is blank");
            models.add(ModelEntries.bareId(id));
        }
        return models.build();
    }
}
