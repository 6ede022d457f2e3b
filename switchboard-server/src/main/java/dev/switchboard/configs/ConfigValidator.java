package dev.switchboard.configs;

import dev.switchboard.Problem;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.provider.ProviderRegistry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic rules of a model configuration (422): its provider exists, its model is in the provider's
 * catalog (the last-known-good list counts, so a provider in error still validates), its fallbacks
 * resolve, and following fallbacks never leads back to the alias.
 */
final class ConfigValidator {
    private final ProviderRegistry providers;

    ConfigValidator(ProviderRegistry providers) {
        this.providers = providers;
    }

    void validate(String alias, ModelConfigSpec spec, ConfigSet configs, Catalog catalog, boolean checkModels) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (providers.find(spec.provider()).isEmpty()) {
            errors.put("provider", "unknown provider \"" + spec.provider() + "\"; known: " + String.join(", ", providers.idsInOrder()));
        } else if (checkModels && !lists(catalog, spec.provider(), spec.model())) {
            errors.put("model", modelMessage(catalog, spec.provider(), spec.model()));
        }
        for (String fallback : spec.fallbacks()) {
            String problem = fallbackProblem(alias, fallback, configs, catalog, checkModels);
            if (problem != null) errors.putIfAbsent("fallbacks", "\"" + fallback + "\": " + problem);
        }
        if (!errors.containsKey("fallbacks")) {
            List<String> cycle = cycle(alias, spec, configs);
            if (!cycle.isEmpty()) errors.put("fallbacks", "fallback cycle: " + String.join(" -> ", cycle));
        }
        if (!errors.isEmpty()) {
            throw new Problem.Unprocessable("model configuration \"" + alias + "\" is not valid: "
                    + String.join("; ", errors.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()), errors);
        }
    }

    private String fallbackProblem(String alias, String fallback, ConfigSet configs, Catalog catalog, boolean checkModels) {
        int slash = fallback.indexOf('/');
        if (slash < 0) {
            if (fallback.equals(alias)) return "an alias cannot fall back to itself";
            return configs.find(fallback).isPresent() ? null : "no provider/model and no alias of that name";
        }
        String provider = fallback.substring(0, slash);
        String model = fallback.substring(slash + 1);
        if (providers.find(provider).isEmpty()) return "unknown provider \"" + provider + "\"";
        if (checkModels && !lists(catalog, provider, model)) return modelMessage(catalog, provider, model);
        return null;
    }

    private static boolean lists(Catalog catalog, String provider, String model) {
        return catalog.snapshot(provider).flatMap(s -> s.model(model)).isPresent();
    }

    private static String modelMessage(Catalog catalog, String provider, String model) {
        Snapshot snapshot = catalog.snapshot(provider).orElse(Snapshot.never(provider));
        String status = switch (snapshot.status()) {
            case NEVER -> " (it has not been fetched yet)";
            case ERROR -> " (its last fetch failed; checked against its last-known-good list)";
            default -> "";
        };
        return "provider \"" + provider + "\" does not list model \"" + model + "\"" + status
                + "; pass ?validate=false to save it anyway";
    }

    /** The alias path that leads back to {@code alias} through fallbacks, or empty when there is none. */
    private static List<String> cycle(String alias, ModelConfigSpec spec, ConfigSet configs) {
        Deque<List<String>> paths = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (String fallback : spec.fallbacks()) {
            if (!fallback.contains("/")) paths.add(List.of(alias, fallback));
        }
        while (!paths.isEmpty()) {
            List<String> path = paths.poll();
            String last = path.getLast();
            if (last.equals(alias)) return path;
            if (!seen.add(last)) continue;
            configs.find(last).ifPresent(next -> {
                for (String fallback : next.spec().fallbacks()) {
                    if (fallback.contains("/")) continue;
                    List<String> longer = new java.util.ArrayList<>(path);
                    longer.add(fallback);
                    paths.add(longer);
                }
            });
        }
        return List.of();
    }
}
