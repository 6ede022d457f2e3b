package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;

import java.util.List;

/** One upstream wire format: how to list the models a provider serves, and what its listing says about each. */
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

    /**
     * What the upstream's own listing said about {@code model}, in the normalised vocabulary (the
     * {@code upstream} source of the model's metadata). Computed from the model alone, its raw
     * {@link Model#metadata()} included, which is persisted: the facts can be derived again at any time.
     * Never guessed: a field the upstream did not give stays absent, a value that does not fit is left out.
     * Empty by default: a dialect whose listing says nothing beyond ids.
     */
    default ModelFacts facts(Model model) {
        return ModelFacts.EMPTY;
    }
}
