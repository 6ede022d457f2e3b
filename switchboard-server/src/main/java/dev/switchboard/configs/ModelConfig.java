package dev.switchboard.configs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named model configuration (an alias such as {@code planner}) at one version.
 *
 * @param version      starts at 1, +1 per change; the ETag of the configuration
 * @param targetStatus whether the target model is in its provider's catalog right now
 */
public record ModelConfig(String alias, ModelConfigSpec spec, long version, Instant updatedAt, String updatedBy,
                          TargetStatus targetStatus) {
    public ModelConfig {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(targetStatus, "targetStatus");
    }

    public ModelConfig withTargetStatus(TargetStatus status) {
        return new ModelConfig(alias, spec, version, updatedAt, updatedBy, status);
    }

    /** Names of the spec fields that differ from {@code before}, for the {@code changed} list of events. */
    public List<String> changedFields(ModelConfigSpec before) {
        List<String> changed = new ArrayList<>();
        if (!before.provider().equals(spec.provider())) changed.add("provider");
        if (!before.model().equals(spec.model())) changed.add("model");
        if (!before.params().equals(spec.params())) changed.add("params");
        if (!before.fixedParams().equals(spec.fixedParams())) changed.add("fixed_params");
        if (!before.fallbacks().equals(spec.fallbacks())) changed.add("fallbacks");
        if (!before.description().equals(spec.description())) changed.add("description");
        if (!before.labels().equals(spec.labels())) changed.add("labels");
        if (!before.metadata().equals(spec.metadata())) changed.add("metadata");
        return changed;
    }
}
