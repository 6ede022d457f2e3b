package dev.switchboard.catalog;

import dev.switchboard.provider.ProviderRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The per-provider series, following the registry: {@code switchboard.provider.models},
 * {@code switchboard.provider.status} (one series per status, 1 for the current one),
 * {@code switchboard.provider.last_success_age} and {@code switchboard.provider.consecutive_failures}. A provider's
 * gauges are registered when it appears (registering them again would only earn a warning) and removed when it is
 * deleted, with its {@code switchboard.fetch.failures} counter, so a deleted provider does not linger in
 * {@code /metrics}. Gauges read the current catalog at scrape time: nothing is done per fetch.
 */
public final class ProviderGauges {
    static final String FETCH_FAILURES = "switchboard.fetch.failures";

    private final ProviderRegistry providers;
    private final CatalogState state;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, List<Meter>> byProvider = new HashMap<>();

    public ProviderGauges(ProviderRegistry providers, CatalogState state, Clock clock, MeterRegistry meters) {
        this.providers = providers;
        this.state = state;
        this.clock = clock;
        this.meters = meters;
    }

    /** Brings the gauges in line with the registry; called at start and after each commit. */
    public synchronized void follow() {
        Set<String> ids = providers.ids();
        byProvider.entrySet().removeIf(entry -> {
            if (ids.contains(entry.getKey())) return false;
            entry.getValue().forEach(meters::remove);
            meters.find(FETCH_FAILURES).tag("provider", entry.getKey()).meters().forEach(meters::remove);
            return true;
        });
        for (String id : ids) byProvider.computeIfAbsent(id, this::register);
    }

    private List<Meter> register(String provider) {
        List<Meter> registered = new ArrayList<>();
        registered.add(gauge("switchboard.provider.models", "Models a provider serves (the last-known-good list when failing)",
                provider, snapshot -> snapshot.map(s -> s.models().size()).orElse(0)));
        for (ProviderStatus status : ProviderStatus.values()) {
            registered.add(Gauge.builder("switchboard.provider.status", state,
                            s -> statusOf(s, provider) == status ? 1 : 0)
                    .description("1 for a provider's current status (never, ok, error, suspect), 0 for the others")
                    .tags("provider", provider, "status", status.wireName()).register(meters));
        }
        registered.add(Gauge.builder("switchboard.provider.last_success_age", state, s -> s.current().snapshot(provider)
                        .flatMap(Snapshot::lastSuccessAt)
                        .map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0).orElse(Double.NaN))
                .description("Seconds since a provider's last successful fetch (NaN before the first one)")
                .baseUnit("seconds").tag("provider", provider).register(meters));
        registered.add(gauge("switchboard.provider.consecutive_failures", "Failed fetches of a provider since its last success",
                provider, snapshot -> snapshot.map(Snapshot::consecutiveFailures).orElse(0)));
        return registered;
    }

    private Gauge gauge(String name, String description, String provider, ToDoubleFunction<Optional<Snapshot>> value) {
        return Gauge.builder(name, state, s -> value.applyAsDouble(s.current().snapshot(provider)))
                .description(description).tag("provider", provider).register(meters);
    }

    private static ProviderStatus statusOf(CatalogState state, String provider) {
        return state.current().snapshot(provider).map(Snapshot::status).orElse(ProviderStatus.NEVER);
    }
}
