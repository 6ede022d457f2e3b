package dev.switchboard.catalog;

import dev.switchboard.provider.ProviderRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code switchboard.provider.models}: one gauge per provider, following the registry. A provider's gauge is
 * registered when it appears (registering it again would only earn a warning) and removed when it is deleted,
 * so a deleted provider does not linger in {@code /metrics}.
 */
public final class ProviderGauges {
    private final ProviderRegistry providers;
    private final CatalogState state;
    private final MeterRegistry meters;
    private final Map<String, Gauge> byProvider = new HashMap<>();

    public ProviderGauges(ProviderRegistry providers, CatalogState state, MeterRegistry meters) {
        this.providers = providers;
        this.state = state;
        this.meters = meters;
    }

    /** Brings the gauges in line with the registry; called at start and after each commit. */
    public synchronized void follow() {
        Set<String> ids = providers.ids();
        byProvider.entrySet().removeIf(entry -> {
            if (ids.contains(entry.getKey())) return false;
            meters.remove(entry.getValue());
            return true;
        });
        for (String id : ids) {
            byProvider.computeIfAbsent(id, provider -> Gauge.builder("switchboard.provider.models", state,
                            s -> s.current().snapshot(provider).map(snapshot -> snapshot.models().size()).orElse(0))
                    .tag("provider", provider).register(meters));
        }
    }
}
