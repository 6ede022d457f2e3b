package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.time.Instant;
import java.util.List;

/** Lists a provider's models with its dialect over the shared upstream client, then applies its allow/deny globs. */
public final class UpstreamModelSource implements ModelSource {
    private final ProviderDialects dialects;
    private final HttpUpstreamClient upstream;

    public UpstreamModelSource(ProviderDialects dialects, HttpUpstreamClient upstream) {
        this.dialects = dialects;
        this.upstream = upstream;
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, Instant deadline) throws FetchException, InterruptedException {
        List<Model> models = dialects.forKind(provider.kind()).listModels(provider, upstream.withDeadline(deadline));
        return ModelFilter.of(provider).apply(models);
    }
}
