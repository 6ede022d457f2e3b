package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.ProviderStatus;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.configs.ConfigSet;
import dev.switchboard.configs.ModelConfig;
import dev.switchboard.configs.ModelConfigSpec;
import dev.switchboard.provider.ProviderRegistry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Turns a request's {@code model} into the upstreams to try, in order, from what is in memory now: an alias
 * gives its target then its fallbacks (a fallback that is an alias brings its own target and fallbacks, each
 * with its own params); a catalog id {@code provider/model} gives that model alone, once its provider's
 * catalog lists it (a provider never fetched is fetched first, as {@code GET /v1/models/{id}} does).
 *
 * <p>A configuration changed a moment ago applies to the very next request: the configurations and the catalog
 * are immutable sets swapped whole, read once per request. A target whose provider's catalog does not list its
 * model (the configuration's {@code target_status: missing}) is tried only after every other one, and one whose
 * provider is gone not at all.
 */
public final class AliasResolver {
    /** The most upstreams one request tries: a target and as many fallbacks as one configuration may list. */
    static final int MAX_TARGETS = 17;
    /** How much of an unknown {@code model} an error message repeats. */
    private static final int MAX_ECHOED_CHARS = 200;
    /** The params of a catalog id: none. Shared, never changed. */
    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    private final Supplier<ConfigSet> configs;
    private final ProviderRegistry providers;
    private final CatalogState catalog;
    private final ModelLookup lookup;

    public AliasResolver(Supplier<ConfigSet> configs, ProviderRegistry providers, CatalogState catalog, ModelLookup lookup) {
        this.configs = configs;
        this.providers = providers;
        this.catalog = catalog;
        this.lookup = lookup;
    }

    /** What a request's {@code model} resolved to. */
    public sealed interface Resolution {
        /** @param alias the alias asked for, or empty for a catalog id */
        record Resolved(Optional<String> alias, List<Target> targets) implements Resolution {
        }

        /** Neither an alias nor a catalog id: {@code message} says so. */
        record Unknown(String message) implements Resolution {
        }
    }

    /**
     * What the resolution of an alias is made from, read now: an alias resolves the same as long as these three
     * are the very same objects (each is swapped whole on a change).
     */
    record Inputs(ConfigSet configs, Catalog catalog, Object providers) {
        boolean sameAs(Inputs other) {
            return configs == other.configs && catalog == other.catalog && providers == other.providers;
        }
    }

    Inputs inputs() {
        return new Inputs(configs.get(), catalog.current(), providers.version());
    }

    /** Completes at once unless a catalog id names a provider that must be fetched first. */
    public CompletionStage<Resolution> resolve(String model) {
        int slash = model.indexOf('/');
        if (slash < 0) return CompletableFuture.completedFuture(alias(model));
        String providerId = model.substring(0, slash);
        String modelId = model.substring(slash + 1);
        Optional<ProviderConfig> provider = providers.find(providerId);
        if (provider.isEmpty() || modelId.isEmpty()) return CompletableFuture.completedFuture(unknown(model));
        return lookup.find(providerId, modelId).thenApply(found -> found.isPresent()
                ? new Resolution.Resolved(Optional.empty(), List.of(new Target(provider.get(), modelId, EMPTY, List.of())))
                : new Resolution.Unknown("the model " + quoted(model) + " does not exist: provider \"" + providerId
                        + "\" does not list it (see GET /v1/models)"));
    }

    private Resolution alias(String name) {
        ConfigSet set = configs.get();
        Optional<ModelConfig> config = set.find(name);
        if (config.isEmpty()) return unknown(name);
        Catalog now = catalog.current();
        Map<String, Target> listed = new LinkedHashMap<>();
        Map<String, Target> missing = new LinkedHashMap<>();
        expand(config.get(), set, now, new HashSet<>(), listed, missing);
        List<Target> targets = new ArrayList<>(listed.values());
        missing.forEach((label, target) -> {
            if (!listed.containsKey(label)) targets.add(target);
        });
        return new Resolution.Resolved(Optional.of(name), List.copyOf(targets.subList(0, Math.min(targets.size(), MAX_TARGETS))));
    }

    /** Adds the target of {@code config}, then its fallbacks, depth first; {@code visited} stops alias cycles. */
    private void expand(ModelConfig config, ConfigSet set, Catalog now, Set<String> visited,
                        Map<String, Target> listed, Map<String, Target> missing) {
        if (!visited.add(config.alias())) return;
        ModelConfigSpec spec = config.spec();
        ObjectNode params = spec.params();
        add(spec.provider(), spec.model(), params, spec.fixedParams(), now, listed, missing);
        for (String fallback : spec.fallbacks()) {
            int slash = fallback.indexOf('/');
            if (slash < 0) {
                set.find(fallback).ifPresent(next -> expand(next, set, now, visited, listed, missing));
            } else {
                add(fallback.substring(0, slash), fallback.substring(slash + 1), params, spec.fixedParams(), now, listed, missing);
            }
        }
    }

    private void add(String providerId, String model, ObjectNode params, List<String> fixed, Catalog now,
                     Map<String, Target> listed, Map<String, Target> missing) {
        Optional<ProviderConfig> provider = providers.find(providerId);
        if (provider.isEmpty()) return; // deleted since the configuration was saved: nothing to call
        Target target = new Target(provider.get(), model, params, fixed);
        (isMissing(now, providerId, model) ? missing : listed).putIfAbsent(target.label(), target);
    }

    /** The provider's catalog is known and does not list the model (a provider never fetched is not "missing"). */
    private static boolean isMissing(Catalog catalog, String providerId, String model) {
        Optional<Snapshot> snapshot = catalog.snapshot(providerId);
        return snapshot.isPresent() && snapshot.get().status() != ProviderStatus.NEVER && snapshot.get().model(model).isEmpty();
    }

    private static Resolution unknown(String model) {
        return new Resolution.Unknown("the model " + quoted(model) + " does not exist: it is neither an alias nor a catalog id"
                + " (<provider>/<model>); see GET /v1/models");
    }

    /** The caller's {@code model} as a message repeats it: in quotes, cut short when it is long. */
    private static String quoted(String model) {
        return "\"" + (model.length() > MAX_ECHOED_CHARS ? model.substring(0, MAX_ECHOED_CHARS) + "…" : model) + "\"";
    }
}
