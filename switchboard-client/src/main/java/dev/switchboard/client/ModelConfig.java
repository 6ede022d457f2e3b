package dev.switchboard.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model configuration as the server holds it, immutable.
 *
 * @param alias        the name applications ask for, e.g. {@code planner}
 * @param provider     the provider id
 * @param model        the model id at that provider
 * @param params       call parameters (temperature, max_tokens …), as JSON values: strings, numbers,
 *                     booleans, lists and maps
 * @param fallbacks    {@code provider/model} targets or aliases to try in order when the target fails
 * @param description  free text, empty when none
 * @param labels       free labels (team, purpose …)
 * @param version      starts at 1, +1 per change
 * @param updatedAt    when this version was saved
 * @param updatedBy    who saved it (the API key's name)
 * @param targetStatus {@code ok}, {@code missing} (the provider no longer lists the model) or {@code unknown}
 */
public record ModelConfig(String alias, String provider, String model, Map<String, Object> params, List<String> fallbacks,
                          String description, Map<String, String> labels, long version, Instant updatedAt, String updatedBy,
                          String targetStatus) {
    /** Copies the collections, so that the configuration cannot change under its holder. */
    public ModelConfig {
        params = Map.copyOf(params);
        fallbacks = List.copyOf(fallbacks);
        labels = Map.copyOf(labels);
    }

    /**
     * The target as the catalog names it.
     *
     * @return {@code provider/model}
     */
    public String target() {
        return provider + "/" + model;
    }
}
