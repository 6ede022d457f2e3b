package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.util.List;

/** One upstream wire format: how to list the models a provider serves. */
public interface ProviderDialect {
    ProviderKind kind();

    /**
     * Lists every model the upstream serves, following pagination, before any allow/deny filtering.
     *
     * @throws FetchException when the upstream's answer cannot be used; the message is the reason
     */
    List<Model> listModels(ProviderConfig provider, UpstreamClient upstream) throws FetchException, InterruptedException;
}
