package dev.switchboard.langchain4j;

import dev.switchboard.client.ModelConfig;

/**
 * What the three alias-following models share: the alias, the configuration the next call uses, and closing.
 *
 * @param <D> the kind of LangChain4j model: chat, streaming chat or embedding
 */
abstract class FollowingModel<D> implements AutoCloseable {
    final LiveDelegate<D> live;

    FollowingModel(LiveDelegate<D> live) {
        this.live = live;
    }

    /**
     * The alias this model follows.
     *
     * @return the alias, such as {@code planner}
     */
    public String alias() {
        return live.alias();
    }

    /**
     * The configuration the next call uses: the version the current LangChain4j model was built from. Waits, as a
     * call does, for the first read of the alias.
     *
     * @return the configuration
     * @throws AliasNotConfiguredException when the alias does not exist
     * @throws AliasNotReadyException      when it could not be read yet
     * @throws AliasUnusableException      when its current version cannot be called
     */
    public ModelConfig currentConfig() {
        return live.ready().config();
    }

    /** Stops following the alias (and closes the live model when this model opened it); calls in flight finish. */
    @Override
    public void close() {
        live.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + alias() + "]";
    }
}
