package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.time.Instant;
import java.util.List;

/**
 * Lists a provider's models (those its allow/deny globs keep, at most {@code max_models}) with its
 * dialect over the shared upstream client. Providers created through
 * the API are fetched under the {@link UrlPolicy}, checked again at every request; config-file providers
 * are trusted as written.
 */
public final class UpstreamModelSource implements ModelSource {
    private final ProviderDialects dialects;
    private final HttpUpstreamClient upstream;
    private final UrlPolicy policy;
    private final int maxModels;

    /** @param maxModels {@code [model_catalog] max_models}, enforced while the pages arrive */
    public UpstreamModelSource(ProviderDialects dialects, HttpUpstreamClient upstream, UrlPolicy policy, int maxModels) {
        this.dialects = dialects;
        this.upstream = upstream;
        this.policy = policy;
        this.maxModels = maxModels;
    }

    @Override
    public List<Model> listModels(ProviderConfig provider, Instant deadline) throws FetchException, InterruptedException {
        UpstreamClient client = provider.source() == ProviderConfig.Source.API
                ? upstream.withDeadline(deadline, policy)
                : upstream.withDeadline(deadline);
        return dialects.forKind(provider.kind()).listModels(provider, client, maxModels);
    }
}
