package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;

import java.util.List;

/** One upstream wire format: how to list the models a provider serves. */
public interface ProviderDialect {
    ProviderKind kind();

    /**
     * Lists the models the upstream serves that the provider's allow/deny globs keep, following pagination.
     *
     * @param maxModels the most models kept; one more fails the listing at once, before any further page is read
     * @throws FetchException when the upstream's answer cannot be used; the message is the reason
     */
    List<Model> listModels(ProviderConfig provider, UpstreamClient upstream, int maxModels)
            throws FetchException, InterruptedException;

    /** As above, with no cap on the number of models. */
    default List<Model> listModels(ProviderConfig provider, UpstreamClient upstream) throws FetchException, InterruptedException {
        return listModels(provider, upstream, Integer.MAX_VALUE);
    }
}
