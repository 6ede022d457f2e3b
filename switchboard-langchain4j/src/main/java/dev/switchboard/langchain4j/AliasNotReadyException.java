package dev.switchboard.langchain4j;

import dev.langchain4j.exception.RetriableException;

/**
 * A call made before the model could read its alias from Switchboard even once: the first read is still under way
 * after the wait the builder allows ({@link SwitchboardModels.Builder#readyTimeout}), or it failed (Switchboard
 * unreachable, the key refused). The model keeps trying in the background, so a later call may succeed. A model that
 * has read its alias once keeps its last value while Switchboard is unreachable and never fails with this.
 */
public final class AliasNotReadyException extends RetriableException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;
    /** The alias the failed call named. */
    private final String alias;

    AliasNotReadyException(String alias, String message, Throwable cause) {
        super(message, cause);
        this.alias = alias;
    }

    /**
     * The alias the failed call named.
     *
     * @return the alias, such as {@code planner}
     */
    public String alias() {
        return alias;
    }
}
