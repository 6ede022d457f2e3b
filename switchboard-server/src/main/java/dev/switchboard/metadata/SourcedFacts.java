package dev.switchboard.metadata;

import java.util.Objects;

/**
 * What one source offered for one model.
 *
 * @param source where the facts came from, as {@code sources} names it: {@code config}, {@code alias},
 *               {@code upstream} or {@code catalog:<metadata source id>}
 */
public record SourcedFacts(String source, ModelFacts facts) {
    public static final String CONFIG = "config";
    public static final String ALIAS = "alias";
    public static final String UPSTREAM = "upstream";
    public static final String CATALOG_PREFIX = "catalog:";

    public SourcedFacts {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(facts, "facts");
    }

    public static SourcedFacts catalog(String sourceId, ModelFacts facts) {
        return new SourcedFacts(CATALOG_PREFIX + sourceId, facts);
    }
}
