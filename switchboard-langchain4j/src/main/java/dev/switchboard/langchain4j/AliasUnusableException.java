package dev.switchboard.langchain4j;

import dev.langchain4j.exception.NonRetriableException;

/**
 * A call to a model whose current configuration could not be turned into a LangChain4j model: in direct mode the
 * application has no endpoint for its provider, or a param has the wrong type ({@code "temperature": "hot"}). The
 * cause says which. Calls fail with it until a new version of the configuration can be used: a call never goes to
 * the version before, which the configuration no longer names.
 */
public final class AliasUnusableException extends NonRetriableException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;
    /** The alias the failed call named. */
    private final String alias;
    /** The version of the configuration that could not be used. */
    private final long version;

    AliasUnusableException(String alias, long version, String target, Throwable cause) {
        super("model configuration \"" + alias + "\" version " + version + " (" + target + ") cannot be used: "
                + cause.getMessage(), cause);
        this.alias = alias;
        this.version = version;
    }

    /**
     * The alias the failed call named.
     *
     * @return the alias, such as {@code planner}
     */
    public String alias() {
        return alias;
    }

    /**
     * The version of the configuration that could not be used.
     *
     * @return the version
     */
    public long version() {
        return version;
    }
}
