package dev.switchboard.langchain4j;

import dev.langchain4j.exception.ModelNotFoundException;

/**
 * A call to a model whose alias Switchboard does not have: it was never created, or it was deleted. Calls fail with
 * it until the alias is created (again), which the model follows without a restart. Not retriable: retrying the same
 * call does not create the alias.
 */
public final class AliasNotConfiguredException extends ModelNotFoundException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;
    /** The alias the failed call named. */
    private final String alias;

    AliasNotConfiguredException(String alias, String message) {
        super(message);
        this.alias = alias;
    }

    /** The alias was deleted while the model followed it. */
    static AliasNotConfiguredException deleted(String alias, long lastVersion, String lastTarget) {
        return new AliasNotConfiguredException(alias, "model configuration \"" + alias + "\" is not configured: it was "
                + "deleted on Switchboard (its last version was " + lastVersion + ", " + lastTarget
                + "); calls fail until it is created again");
    }

    /** Switchboard has never had the alias while the model followed it. */
    static AliasNotConfiguredException unknown(String alias) {
        return new AliasNotConfiguredException(alias, "model configuration \"" + alias + "\" is not configured: "
                + "Switchboard has no such alias (it was never created, or was deleted before this model started "
                + "following it); calls fail until it is created");
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
