package dev.switchboard.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans of aliases, made once per state of what they are made from ({@link AliasResolver.Inputs}): a
 * configuration, catalog or provider change makes a new state, and the next request a new cache, so a change
 * still applies to the very next request. Only aliases that exist are kept (a bounded set); unknown names are
 * planned each time.
 */
final class PlanCache {
    private final AliasResolver.Inputs inputs;
    private final Map<String, Gateway.Plan[]> byAlias = new ConcurrentHashMap<>();

    PlanCache(AliasResolver.Inputs inputs) {
        this.inputs = inputs;
    }

    boolean isFor(AliasResolver.Inputs now) {
        return inputs.sameAs(now);
    }

    Gateway.Plan get(String alias, Operation operation) {
        Gateway.Plan[] plans = byAlias.get(alias);
        return plans == null ? null : plans[operation.ordinal()];
    }

    void put(String alias, Operation operation, Gateway.Plan plan) {
        // two event loops may plan the same alias at once: either plan is right, and a lost one is made again
        byAlias.computeIfAbsent(alias, a -> new Gateway.Plan[Operation.values().length])[operation.ordinal()] = plan;
    }
}
