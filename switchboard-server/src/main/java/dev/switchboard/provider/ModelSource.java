package dev.switchboard.provider;

import dev.switchboard.config.ProviderConfig;

import java.time.Instant;
import java.util.List;

/** Where the refresh engine gets a provider's models: its dialect over the network, filtered. */
@FunctionalInterface
public interface ModelSource {
    /**
     * The provider's models after its allow/deny filters.
     *
     * @param deadline the fetch, all pages included, fails once this instant passes
     */
    List<Model> listModels(ProviderConfig provider, Instant deadline) throws FetchException, InterruptedException;
}
