package dev.switchboard.catalog;

/**
 * Puts a catalog in a running instance's state as the writer would, for HTTP tests that need models no provider
 * yields yet (e.g. with a normalised record of their choosing). The caller then publishes a revision (any write) so
 * the rendered bodies follow.
 */
public final class CatalogStates {
    private CatalogStates() {
    }

    public static void replace(CatalogState state, Catalog next) {
        state.replace(next);
    }
}
