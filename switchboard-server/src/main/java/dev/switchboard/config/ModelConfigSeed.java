package dev.switchboard.config;

import java.util.List;
import java.util.Map;

/**
 * A model configuration declared in the config file ({@code [[model_configs]]}). It is imported at start
 * when the store has never had that alias; after that the store wins, so edits made through the API are
 * never overwritten by the file.
 *
 * @param params      TOML values as plain Java values (strings, numbers, booleans, lists, maps)
 * @param origin      where it was declared, for the import report
 * @param fixedParams names of {@code params} that a gateway request cannot override
 * @param metadata    the alias's own normalised metadata, as plain Java values, checked when read
 */
public record ModelConfigSeed(String alias, String provider, String model, Map<String, Object> params,
                              List<String> fallbacks, String description, Map<String, String> labels, String origin,
                              List<String> fixedParams, Map<String, Object> metadata) {
    /** Without alias metadata. */
    public ModelConfigSeed(String alias, String provider, String model, Map<String, Object> params,
                           List<String> fallbacks, String description, Map<String, String> labels, String origin,
                           List<String> fixedParams) {
        this(alias, provider, model, params, fallbacks, description, labels, origin, fixedParams, Map.of());
    }

    /** Without fixed params. */
    public ModelConfigSeed(String alias, String provider, String model, Map<String, Object> params,
                           List<String> fallbacks, String description, Map<String, String> labels, String origin) {
        this(alias, provider, model, params, fallbacks, description, labels, origin, List.of());
    }

    public ModelConfigSeed {
        params = Map.copyOf(params);
        fixedParams = List.copyOf(fixedParams);
        fallbacks = List.copyOf(fallbacks);
        labels = Map.copyOf(labels);
        metadata = Map.copyOf(metadata);
    }
}
